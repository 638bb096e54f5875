"""The tutorial's Flask app, instrumented as the tutorial does it: OpenTracing's `jaeger-client` (reporting to a
Jaeger agent over UDP, compact Thrift `emitBatch`) and `Flask-OpenTracing` (a server span per request). Run as
`python jaeger_tutorial_app.py AGENT_PORT`: it serves two requests through Flask's test client, flushes the
tracer and prints what it sent as JSON (span ids, names and tags), so the test can look for exactly that."""
import json
import sys
import time

from flask import Flask
from flask_opentracing import FlaskTracing
from jaeger_client import Config

agent_port = int(sys.argv[1])
config = Config(
    config={
        "sampler": {"type": "const", "param": 1},
        "local_agent": {"reporting_host": "127.0.0.1", "reporting_port": agent_port},
        "reporter_flush_interval": 0.2,
        "logging": False,
    },
    service_name="tutorial-app",
    validate=True,
)
tracer = config.initialize_tracer()
app = Flask(__name__)
tracing = FlaskTracing(tracer, True, app)
sent = []


@app.route("/hello/<name>")
def hello(name):
    span = tracing.get_span()
    span.set_tag("user.name", name)
    with tracer.start_active_span("format-greeting", child_of=span) as scope:
        greeting = f"Hello, {name}!"
        scope.span.set_tag("greeting.length", len(greeting))
        scope.span.log_kv({"event": "string-format", "value": greeting})
        sent.append({
            "trace_id": "%016x" % span.trace_id,
            "root": "%016x" % span.span_id,
            "child": "%016x" % scope.span.span_id,
            "greeting": greeting,
        })
    return greeting


with app.test_client() as client:
    for who in ["Ada", "Grace"]:
        assert client.get(f"/hello/{who}").status_code == 200

time.sleep(1)
tracer.close()
time.sleep(0.5)
print(json.dumps(sent))
