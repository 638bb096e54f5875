"""The real Jaeger clients against the devserver standing in for a Jaeger all-in-one: the tutorial's Flask app
(`jaeger-client` 4.8 + `Flask-OpenTracing` 2.0) reporting to the agent's UDP port, and the Node `jaeger-client`
3.19 reporting to the collector's `POST /api/traces`; each trace read back through Jaeger's legacy API, API v3
and Zipkin's API, with the service, operations, tags, logs and parent they were sent with."""
import datetime
import json
import os
import subprocess
import sys
import time

import requests

from conftest import HERE, REPO


def eventually(server, path, **params):
    """GETs `path` until it answers 200 with some data (the agent stores datagrams in the background, and a
    legacy search with no match is a 200 with no data)."""
    deadline = time.time() + 15
    while True:
        response = requests.get(server.url + path, params=params, timeout=30)
        if response.status_code == 200:
            body = response.json()
            if body.get("data", True) if isinstance(body, dict) else body:
                return body
        if time.time() > deadline:
            raise AssertionError(f"{path} {params}: {response.status_code} {response.text}")
        time.sleep(0.1)


def tags(span):
    return {t["key"]: t["value"] for t in span["tags"]}


def v3_spans(answer):
    """(span, resource attributes) of every span in an API v3 answer, by span id."""
    out = {}
    for rs in answer["result"]["resourceSpans"]:
        resource = {a["key"]: a["value"] for a in rs["resource"].get("attributes", [])}
        for ss in rs["scopeSpans"]:
            for span in ss["spans"]:
                out[span["spanId"]] = (span, resource)
    return out


def rfc3339(seconds):
    return datetime.datetime.fromtimestamp(seconds, datetime.timezone.utc).isoformat().replace("+00:00", "Z")


def test_the_tutorial_flask_app_reports_over_udp(devserver_factory):
    server = devserver_factory("--jaeger-agent", "127.0.0.1:0")
    assert server.agent_port
    done = subprocess.run(
        [sys.executable, os.path.join(HERE, "jaeger_tutorial_app.py"), str(server.agent_port)],
        capture_output=True, text=True, timeout=120,
    )
    assert done.returncode == 0, done.stderr
    sent = json.loads(done.stdout)
    assert [s["greeting"] for s in sent] == ["Hello, Ada!", "Hello, Grace!"]
    ada = sent[0]

    # The legacy API, as Jaeger UI reads it.
    answer = eventually(server, "/api/traces", service="tutorial-app", tags=json.dumps({"user.name": "Ada"}))
    assert [t["traceID"] for t in answer["data"]] == [ada["trace_id"]]
    trace = answer["data"][0]
    spans = {s["spanID"]: s for s in trace["spans"]}
    root, child = spans[ada["root"]], spans[ada["child"]]
    process = trace["processes"][root["processID"]]
    assert process["serviceName"] == "tutorial-app"
    assert {t["key"]: t["value"] for t in process["tags"]}["jaeger.version"] == "Python-4.8.0"
    assert root["operationName"] == "hello"
    assert root["references"] == []
    root_tags = tags(root)
    assert (root_tags["component"], root_tags["http.method"], root_tags["span.kind"]) == ("Flask", "GET", "server")
    assert root_tags["http.status_code"] == 200
    assert root_tags["http.url"] == "http://localhost/hello/Ada"
    assert child["operationName"] == "format-greeting"
    assert child["references"] == [{"refType": "CHILD_OF", "traceID": ada["trace_id"], "spanID": ada["root"]}]
    assert tags(child)["greeting.length"] == 11
    assert [{f["key"]: f["value"] for f in log["fields"]} for log in child["logs"]] == [
        {"event": "string-format", "value": "Hello, Ada!"}
    ]
    assert child["startTime"] >= root["startTime"]
    assert eventually(server, "/api/services")["data"] == ["tutorial-app"]
    assert eventually(server, "/api/services/tutorial-app/operations")["data"] == ["format-greeting", "hello"]
    both = eventually(server, "/api/traces", service="tutorial-app", operation="hello")
    assert sorted(t["traceID"] for t in both["data"]) == sorted(s["trace_id"] for s in sent)
    # A log field finds its trace too.
    by_log = eventually(server, "/api/traces", service="tutorial-app", tags=json.dumps({"value": "Hello, Grace!"}))
    assert [t["traceID"] for t in by_log["data"]] == [sent[1]["trace_id"]]

    # API v3: OTLP JSON.
    now = time.time()
    v3 = eventually(
        server, "/api/v3/traces", **{
            "query.service_name": "tutorial-app", "query.operation_name": "format-greeting",
            "query.attributes": json.dumps({"value": "Hello, Ada!"}),
            "query.start_time_min": rfc3339(now - 600), "query.start_time_max": rfc3339(now + 60),
        })
    stored = v3_spans(v3)
    v3_root, resource = stored[ada["root"]]
    v3_child, _ = stored[ada["child"]]
    assert resource["service.name"] == {"stringValue": "tutorial-app"}
    assert v3_root["traceId"] == ada["trace_id"].rjust(32, "0")
    assert (v3_root["name"], v3_root["kind"]) == ("hello", 2)
    assert v3_child["parentSpanId"] == ada["root"]
    assert v3_child["events"][0]["name"] == "string-format"
    assert v3_child["events"][0]["attributes"] == [{"key": "value", "value": {"stringValue": "Hello, Ada!"}}]

    # Zipkin's API: the Collector's translation.
    zipkin = eventually(server, f"/api/v2/trace/{ada['trace_id']}")
    by_id = {s["id"]: s for s in zipkin}
    assert (by_id[ada["root"]]["name"], by_id[ada["root"]]["kind"]) == ("hello", "SERVER")
    assert by_id[ada["root"]]["localEndpoint"]["serviceName"] == "tutorial-app"
    assert by_id[ada["root"]]["tags"]["http.status_code"] == "200"
    assert by_id[ada["child"]]["parentId"] == ada["root"]
    assert by_id[ada["child"]]["tags"]["greeting.length"] == "11"
    assert by_id[ada["child"]]["annotations"][0]["value"].startswith("string-format")


def test_the_node_client_reports_to_the_collector_over_http(devserver_factory):
    server = devserver_factory()
    env = dict(os.environ, NODE_PATH=os.path.join(REPO, ".tools", "node_modules"))
    done = subprocess.run(
        ["node", os.path.join(HERE, "jaeger_node_client.js"), server.url + "/api/traces"],
        capture_output=True, text=True, timeout=120, env=env,
    )
    assert done.returncode == 0, done.stderr
    sent = {k: v.rjust(16, "0") for k, v in json.loads(done.stdout).items()}

    answer = eventually(server, f"/api/traces/{sent['trace_id']}")
    trace = answer["data"][0]
    spans = {s["spanID"]: s for s in trace["spans"]}
    root, child = spans[sent["root"]], spans[sent["child"]]
    process = trace["processes"][root["processID"]]
    assert process["serviceName"] == "node-checkout"
    process_tags = {t["key"]: t["value"] for t in process["tags"]}
    assert (process_tags["deploy.env"], process_tags["jaeger.version"]) == ("interop", "Node-3.19.0")
    assert root["operationName"] == "checkout"
    assert (tags(root)["customer"], tags(root)["items"]) == ("ada", 3)
    assert [{f["key"]: f["value"] for f in log["fields"]} for log in root["logs"]] == [
        {"event": "payment", "amount": 12.5}
    ]
    assert child["operationName"] == "charge-card"
    assert child["references"] == [{"refType": "CHILD_OF", "traceID": sent["trace_id"], "spanID": sent["root"]}]
    assert (tags(child)["error"], tags(child)["span.kind"]) == (True, "client")
    errors = eventually(server, "/api/traces", service="node-checkout", tags=json.dumps({"error": "true"}))
    assert [t["traceID"] for t in errors["data"]] == [sent["trace_id"]]
    assert eventually(server, "/api/operations", service="node-checkout", spanKind="client")["data"] == [
        {"name": "charge-card", "spanKind": "client"}
    ]

    v3 = eventually(server, f"/api/v3/traces/{sent['trace_id']}")
    stored = v3_spans(v3)
    v3_child, resource = stored[sent["child"]]
    assert resource["service.name"] == {"stringValue": "node-checkout"}
    assert (v3_child["kind"], v3_child["status"]["code"], v3_child["parentSpanId"]) == (3, 2, sent["root"])
    assert stored[sent["root"]][0]["events"][0]["name"] == "payment"

    zipkin = eventually(server, f"/api/v2/trace/{sent['trace_id']}")
    by_id = {s["id"]: s for s in zipkin}
    assert by_id[sent["child"]]["parentId"] == sent["root"]
    assert by_id[sent["child"]]["kind"] == "CLIENT"
    assert by_id[sent["child"]]["localEndpoint"]["serviceName"] == "node-checkout"
    assert "error" in by_id[sent["child"]]["tags"]
    assert by_id[sent["root"]]["tags"]["customer"] == "ada"
