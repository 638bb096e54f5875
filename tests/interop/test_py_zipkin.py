"""Spans from a real instrumentation library (py_zipkin, v2 and v1 JSON) end up in the devserver with the
right services, trace shape and dependency links."""
import time
from urllib.parse import urlparse

import pytest

from conftest import now_ms
from services import ENCODINGS, Services


@pytest.mark.parametrize("encoding", ["V2_JSON", "V1_JSON"])
def test_three_flask_services(devserver_factory, encoding):
    zipkin = devserver_factory()
    address = urlparse(zipkin.url)
    services = Services(address.hostname, address.port, ENCODINGS[encoding])
    try:
        services.call_root()
    finally:
        services.stop()

    # py_zipkin reports synchronously when each service's server span ends: all spans are in.
    assert zipkin.get("/api/v2/services") == ["api_01", "api_02", "api_03"]
    assert zipkin.get("/api/v2/spans", serviceName="api_01") == ["call api_02", "call api_03", "get /api_01"]
    assert zipkin.get("/api/v2/remoteServices", serviceName="api_01") == ["api_02", "api_03"]

    traces = zipkin.get("/api/v2/traces", serviceName="api_03", limit=10)
    assert len(traces) == 1, traces
    trace = traces[0]
    # 3 client spans (api_01 -> api_02, api_01 -> api_03, api_02 -> api_03) and 4 server spans.
    kinds = sorted(s.get("kind", "") for s in trace)
    assert kinds.count("CLIENT") == 3 and kinds.count("SERVER") == 4, kinds
    assert len({s["traceId"] for s in trace}) == 1

    by_kind_service = {}
    for s in trace:
        by_kind_service.setdefault((s["kind"], s["localEndpoint"]["serviceName"]), []).append(s)
    (root,) = by_kind_service[("SERVER", "api_01")]
    assert "parentId" not in root
    # Each server shares its client's span id (B3 shared spans) and sits under the caller's server span.
    for client in by_kind_service[("CLIENT", "api_01")] + by_kind_service[("CLIENT", "api_02")]:
        callee = client["remoteEndpoint"]["serviceName"]
        servers = [s for s in by_kind_service[("SERVER", callee)] if s["id"] == client["id"]]
        assert len(servers) == 1, (client, by_kind_service[("SERVER", callee)])
        assert servers[0].get("parentId") == client.get("parentId")
        caller_server = by_kind_service[("SERVER", client["localEndpoint"]["serviceName"])]
        assert client["parentId"] in {s["id"] for s in caller_server}

    # The whole trace reads back by id, and the dependency links are the call graph.
    assert len(zipkin.get(f"/api/v2/trace/{trace[0]['traceId']}")) == 7
    links = zipkin.get("/api/v2/dependencies", endTs=now_ms(), lookback=3_600_000)
    assert sorted((l["parent"], l["child"], l["callCount"], l.get("errorCount", 0)) for l in links) == [
        ("api_01", "api_02", 1, 0),
        ("api_01", "api_03", 1, 0),
        ("api_02", "api_03", 1, 0),
    ]
