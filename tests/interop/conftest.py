"""Starts spanscope-devserver on an ephemeral port for each test that asks for one."""
import json
import os
import re
import subprocess
import sys
import time

import pytest
import requests

REPO = os.path.abspath(os.path.join(os.path.dirname(__file__), "..", ".."))
FIXTURES = os.path.abspath(os.path.join(REPO, "..", "shared", "fixtures"))


class Devserver:
    """A running devserver: `url` is its root, e.g. http://127.0.0.1:40123."""

    def __init__(self, *flags):
        binary = os.environ.get("SPANSCOPE_DEVSERVER") or os.path.join(REPO, "target", "debug", "spanscope-devserver")
        self.process = subprocess.Popen(
            [binary, "--addr", "127.0.0.1:0", *flags],
            stdout=subprocess.PIPE,
            stderr=subprocess.DEVNULL,
            text=True,
        )
        # The first stdout line names the address once the server accepts connections.
        first = self.process.stdout.readline()
        match = re.match(r"listening on (http://\S+)", first)
        if not match:
            self.process.kill()
            raise RuntimeError(f"devserver did not start: {first!r}")
        self.url = match.group(1)
        # With --jaeger-agent, a later line names the agent's UDP address.
        self.agent_port = None
        if "--jaeger-agent" in flags:
            for line in self.process.stdout:
                agent = re.match(r"jaeger agent on udp://\S+:(\d+)", line)
                if agent:
                    self.agent_port = int(agent.group(1))
                    break

    def get(self, path, **params):
        response = requests.get(self.url + path, params=params, timeout=30)
        response.raise_for_status()
        return response.json()

    def stop(self):
        self.process.terminate()
        try:
            self.process.wait(timeout=10)
        except subprocess.TimeoutExpired:
            self.process.kill()


@pytest.fixture
def devserver_factory():
    started = []

    def start(*flags):
        server = Devserver(*flags)
        started.append(server)
        return server

    yield start
    for server in started:
        server.stop()


def now_ms():
    return int(time.time() * 1000)


HERE = os.path.dirname(os.path.abspath(__file__))


def otel_export(kind, endpoint, compression=None):
    """Runs otel_export.py with the `proto` exporter (this virtualenv) or the `json` one (its own, from
    run.sh's SPANSCOPE_OTLP_JSON_PYTHON); returns what the SDK recorded and whether the export succeeded."""
    python = sys.executable if kind == "proto" else os.environ.get("SPANSCOPE_OTLP_JSON_PYTHON")
    if not python:
        pytest.fail("SPANSCOPE_OTLP_JSON_PYTHON is not set: run tests/interop/run.sh")
    args = [python, os.path.join(HERE, "otel_export.py"), kind, endpoint] + ([compression] if compression else [])
    done = subprocess.run(args, capture_output=True, text=True, timeout=120)
    assert done.returncode == 0, done.stderr
    return json.loads(done.stdout)
