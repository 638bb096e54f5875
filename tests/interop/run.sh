#!/usr/bin/env bash
# The real-client scenarios (py_zipkin Flask services, V2_JSON and V1_JSON; the OpenTelemetry SDK's OTLP/HTTP
# protobuf and JSON exporters; the tutorial's Flask app with jaeger-client over the agent's UDP port and the Node
# jaeger-client over the collector's HTTP), raw OTLP/HTTP edge cases, and the API conformance check
# (schemathesis against shared/zipkin2-api.yaml), against spanscope-devserver.
#
# Sets up what is missing (a venv in .tools/venv with tests/interop/requirements.txt, one in
# .tools/venv-otlp-json with requirements-otlp-json.txt, npm's jaeger-client in .tools/node_modules, the
# devserver build),
# then runs pytest; exits non-zero on failure. Extra arguments go to pytest (e.g. -k py_zipkin).
# SPANSCOPE_DEVSERVER=/path/to/binary skips the build.
set -euo pipefail

here="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
repo="$(cd "$here/../.." && pwd)"
venv="$repo/.tools/venv"

# ensure_venv DIR REQUIREMENTS: a virtualenv in DIR with REQUIREMENTS installed, reinstalled when the file's
# hash changes.
ensure_venv() {
  local dir="$1" requirements="$2"
  local stamp="$dir/.requirements.sha256" want
  want="$(sha256sum "$requirements" | cut -d' ' -f1)"
  if [[ ! -x "$dir/bin/python" ]]; then
    echo "interop: creating $dir" >&2
    python3 -m venv "$dir"
  fi
  if [[ "$(cat "$stamp" 2>/dev/null || true)" != "$want" ]]; then
    echo "interop: installing $(basename "$requirements")" >&2
    "$dir/bin/pip" install --quiet --disable-pip-version-check -r "$requirements"
    echo "$want" > "$stamp"
  fi
}
ensure_venv "$venv" "$here/requirements.txt"
# The OTLP JSON exporter's pins conflict with the protobuf exporter's: its own virtualenv.
ensure_venv "$repo/.tools/venv-otlp-json" "$here/requirements-otlp-json.txt"
export SPANSCOPE_OTLP_JSON_PYTHON="$repo/.tools/venv-otlp-json/bin/python"
# The Node jaeger-client (test_jaeger_clients.py) from npm into .tools, as bootstrap.sh installs binaryen.
NODE_JAEGER_CLIENT_VERSION=3.19.0
if [[ "$(node -p "require('$repo/.tools/node_modules/jaeger-client/package.json').version" 2>/dev/null || true)" \
      != "$NODE_JAEGER_CLIENT_VERSION" ]]; then
  echo "interop: installing jaeger-client $NODE_JAEGER_CLIENT_VERSION from npm into .tools" >&2
  npm install --prefix "$repo/.tools" --no-audit --no-fund --silent "jaeger-client@$NODE_JAEGER_CLIENT_VERSION"
fi

if [[ -z "${SPANSCOPE_DEVSERVER:-}" ]]; then
  (cd "$repo" && cargo build --quiet -p spanscope-devserver)
  SPANSCOPE_DEVSERVER="${CARGO_TARGET_DIR:-$repo/target}/debug/spanscope-devserver"
fi
export SPANSCOPE_DEVSERVER

cd "$here"
exec "$venv/bin/python" -m pytest -p no:cacheprovider -q "$@" .
