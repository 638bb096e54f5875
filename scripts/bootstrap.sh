#!/usr/bin/env bash
# Installs what building and testing Spanscope needs, skipping whatever is already there at the
# right version, so a second run costs a few version checks. Only package registries are used
# (crates.io, npm, Debian): trunk runs with --offline and never downloads tools itself.
#
#   scripts/bootstrap.sh build     wasm32 target, trunk, wasm-bindgen-cli, binaryen (wasm-opt)
#   scripts/bootstrap.sh browser   Chromium and ChromeDriver (Debian packages)
#   scripts/bootstrap.sh clients   the real tracing clients the e2e and interop tests run: a Python virtualenv
#                                  in .tools/venv (tests/interop/requirements.txt), one in .tools/venv-otlp-json
#                                  (requirements-otlp-json.txt), npm's jaeger-client in .tools/node_modules
set -euo pipefail
cd "$(dirname "$0")/.."

TRUNK_VERSION=0.21.14
BINARYEN_VERSION=132
NODE_JAEGER_CLIENT_VERSION=3.19.0
TOOLS_DIR=.tools

say() { printf '\033[1mbootstrap:\033[0m %s\n' "$*"; }

# The wasm-bindgen CLI must match the library exactly; Cargo.lock is the truth.
locked_wasm_bindgen() {
  awk '/^name = "wasm-bindgen"$/ { getline; gsub(/[^0-9.]/, ""); print; exit }' Cargo.lock
}

build_tools() {
  if ! rustup target list --installed | grep -qx wasm32-unknown-unknown; then
    say "adding the wasm32-unknown-unknown target"
    rustup target add wasm32-unknown-unknown
  fi
  if [ "$(trunk --version 2>/dev/null | awk '{print $2}')" != "$TRUNK_VERSION" ]; then
    say "installing trunk $TRUNK_VERSION (a few minutes, once)"
    cargo install trunk --version "$TRUNK_VERSION" --locked
  fi
  local wbg
  wbg=$(locked_wasm_bindgen)
  if [ "$(wasm-bindgen --version 2>/dev/null | awk '{print $2}')" != "$wbg" ]; then
    say "installing wasm-bindgen-cli $wbg (a few minutes, once)"
    # Not --locked: the registry lags one of its locked dependencies.
    cargo install wasm-bindgen-cli --version "$wbg"
  fi
  if ! "$TOOLS_DIR/node_modules/.bin/wasm-opt" --version 2>/dev/null | grep -q "version $BINARYEN_VERSION"; then
    say "installing binaryen $BINARYEN_VERSION from npm into $TOOLS_DIR (Debian's wasm-opt 108 breaks the module)"
    mkdir -p "$TOOLS_DIR"
    npm install --prefix "$TOOLS_DIR" --no-audit --no-fund --silent "binaryen@$BINARYEN_VERSION"
  fi
}

browser_tools() {
  if ! command -v chromium >/dev/null || ! command -v chromedriver >/dev/null; then
    say "installing chromium and chromium-driver from Debian"
    export DEBIAN_FRONTEND=noninteractive
    apt-get update -qq
    apt-get install -y -qq --no-install-recommends chromium chromium-driver >/dev/null
  fi
}

# ensure_venv DIR REQUIREMENTS: a virtualenv in DIR with REQUIREMENTS installed, reinstalled when the file's
# hash changes.
ensure_venv() {
  local dir="$1" requirements="$2"
  local stamp="$dir/.requirements.sha256" want
  want="$(sha256sum "$requirements" | cut -d' ' -f1)"
  if [[ ! -x "$dir/bin/python" ]]; then
    say "creating $dir"
    python3 -m venv "$dir"
  fi
  if [[ "$(cat "$stamp" 2>/dev/null || true)" != "$want" ]]; then
    say "installing $(basename "$requirements") into $dir"
    "$dir/bin/pip" install --quiet --disable-pip-version-check -r "$requirements"
    echo "$want" > "$stamp"
  fi
}

client_tools() {
  ensure_venv "$TOOLS_DIR/venv" tests/interop/requirements.txt
  # The OTLP JSON exporter's pins conflict with the protobuf exporter's: its own virtualenv.
  ensure_venv "$TOOLS_DIR/venv-otlp-json" tests/interop/requirements-otlp-json.txt
  # The Node jaeger-client (tests/interop/test_jaeger_clients.py), from npm as binaryen is.
  if [[ "$(node -p "require('$PWD/$TOOLS_DIR/node_modules/jaeger-client/package.json').version" 2>/dev/null || true)" \
        != "$NODE_JAEGER_CLIENT_VERSION" ]]; then
    say "installing jaeger-client $NODE_JAEGER_CLIENT_VERSION from npm into $TOOLS_DIR"
    mkdir -p "$TOOLS_DIR"
    npm install --prefix "$TOOLS_DIR" --no-audit --no-fund --silent "jaeger-client@$NODE_JAEGER_CLIENT_VERSION"
  fi
}

case "${1:-build}" in
  build) build_tools ;;
  browser) browser_tools ;;
  clients) client_tools ;;
  *) echo "usage: $0 build|browser|clients" >&2; exit 2 ;;
esac
