"""The seeds' scenario: three Flask services instrumented with py_zipkin (api_01 calls api_02 and api_03;
api_02 calls api_03), reporting to a Zipkin at `zipkin_url` in the given encoding."""
import threading

import requests
from flask import Flask, request
from py_zipkin import Encoding, Kind
from py_zipkin.request_helpers import create_http_headers, extract_zipkin_attrs_from_headers
from py_zipkin.transport import SimpleHTTPTransport
from py_zipkin.zipkin import zipkin_client_span, zipkin_span
from werkzeug.serving import make_server

CALLS = {"api_01": ["api_02", "api_03"], "api_02": ["api_03"], "api_03": []}


class Services:
    """Runs the three services on ephemeral ports until `stop()`."""

    def __init__(self, zipkin_host, zipkin_port, encoding):
        self.transport = SimpleHTTPTransport(zipkin_host, zipkin_port)
        self.encoding = encoding
        self.servers = {}
        self.ports = {}
        for name in CALLS:
            server = make_server("127.0.0.1", 0, self._app(name), threaded=True)
            self.servers[name] = server
            self.ports[name] = server.server_port
            threading.Thread(target=server.serve_forever, daemon=True).start()

    def _app(self, name):
        app = Flask(name)

        @app.route("/")
        def index():
            # The root (api_01) starts a sampled trace; the others join the caller's from its B3 headers.
            attrs = extract_zipkin_attrs_from_headers(request.headers, sample_rate=100.0)
            with zipkin_span(
                service_name=name,
                span_name=f"GET /{name}",
                zipkin_attrs=attrs,
                transport_handler=self.transport,
                encoding=self.encoding,
                kind=Kind.SERVER,
                sample_rate=None if attrs else 100.0,
                host="127.0.0.1",
                port=self.ports[name],
                binary_annotations={"http.path": "/"},
            ):
                for target in CALLS[name]:
                    with zipkin_client_span(
                        service_name=name, span_name=f"call {target}", encoding=self.encoding
                    ) as span:
                        span.add_sa_binary_annotation(port=self.ports[target], service_name=target, host="127.0.0.1")
                        headers = create_http_headers()
                        requests.get(f"http://127.0.0.1:{self.ports[target]}/", headers=headers, timeout=10).raise_for_status()
            return "ok"

        return app

    def call_root(self):
        requests.get(f"http://127.0.0.1:{self.ports['api_01']}/", timeout=30).raise_for_status()

    def stop(self):
        for server in self.servers.values():
            server.shutdown()


ENCODINGS = {"V2_JSON": Encoding.V2_JSON, "V1_JSON": Encoding.V1_JSON}
