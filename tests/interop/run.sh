#!/usr/bin/env bash
# The real-client scenario (py_zipkin Flask services, V2_JSON and V1_JSON) and the API conformance check
# (schemathesis against shared/zipkin2-api.yaml), against spanscope-devserver.
#
# Sets up what is missing (a venv in .tools/venv with tests/interop/requirements.txt, the devserver build),
# then runs pytest; exits non-zero on failure. Extra arguments go to pytest (e.g. -k py_zipkin).
# SPANSCOPE_DEVSERVER=/path/to/binary skips the build.
set -euo pipefail

here="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
repo="$(cd "$here/../.." && pwd)"
venv="$repo/.tools/venv"
requirements="$here/requirements.txt"
stamp="$venv/.requirements.sha256"

want="$(sha256sum "$requirements" | cut -d' ' -f1)"
if [[ ! -x "$venv/bin/python" ]]; then
  echo "interop: creating $venv" >&2
  python3 -m venv "$venv"
fi
if [[ "$(cat "$stamp" 2>/dev/null || true)" != "$want" ]]; then
  echo "interop: installing $(basename "$requirements")" >&2
  "$venv/bin/pip" install --quiet --disable-pip-version-check -r "$requirements"
  echo "$want" > "$stamp"
fi

if [[ -z "${SPANSCOPE_DEVSERVER:-}" ]]; then
  (cd "$repo" && cargo build --quiet -p spanscope-devserver)
  SPANSCOPE_DEVSERVER="${CARGO_TARGET_DIR:-$repo/target}/debug/spanscope-devserver"
fi
export SPANSCOPE_DEVSERVER

cd "$here"
exec "$venv/bin/python" -m pytest -p no:cacheprovider -q "$@" .
