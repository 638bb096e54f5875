#!/usr/bin/env bash
# The real-client scenarios (py_zipkin Flask services, V2_JSON and V1_JSON; the OpenTelemetry SDK's OTLP/HTTP
# protobuf and JSON exporters; the tutorial's Flask app with jaeger-client over the agent's UDP port and the Node
# jaeger-client over the collector's HTTP), raw OTLP/HTTP edge cases, and the API conformance check
# (schemathesis against shared/zipkin2-api.yaml), against spanscope-devserver.
#
# Sets up what is missing (`scripts/bootstrap.sh clients`: a venv in .tools/venv with
# tests/interop/requirements.txt, one in .tools/venv-otlp-json with requirements-otlp-json.txt, npm's
# jaeger-client in .tools/node_modules; the devserver build), then runs pytest; exits non-zero on failure.
# Extra arguments go to pytest (e.g. -k py_zipkin).
# SPANSCOPE_DEVSERVER=/path/to/binary skips the build.
set -euo pipefail

here="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
repo="$(cd "$here/../.." && pwd)"
venv="$repo/.tools/venv"

# The clients' virtualenvs and npm packages, as `make test` installs them for the e2e layer too.
"$repo/scripts/bootstrap.sh" clients
export SPANSCOPE_OTLP_JSON_PYTHON="$repo/.tools/venv-otlp-json/bin/python"

if [[ -z "${SPANSCOPE_DEVSERVER:-}" ]]; then
  (cd "$repo" && cargo build --quiet -p spanscope-devserver)
  SPANSCOPE_DEVSERVER="${CARGO_TARGET_DIR:-$repo/target}/debug/spanscope-devserver"
fi
export SPANSCOPE_DEVSERVER

cd "$here"
exec "$venv/bin/python" -m pytest -p no:cacheprovider -q "$@" .
