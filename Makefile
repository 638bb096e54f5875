# Spanscope: `make run` (the UI with a demo Zipkin-compatible backend) and `make test` (every test).
# Both install what they need on a fresh machine first (scripts/bootstrap.sh; skipped when present).

SHELL := /bin/bash
export PATH := $(CURDIR)/.tools/node_modules/.bin:$(HOME)/.cargo/bin:$(PATH)
export CHROMEDRIVER ?= /usr/bin/chromedriver
ADDR ?= 127.0.0.1:9411
# Where `make run` listens for Jaeger clients (jaeger-client sends to the agent on UDP 6831 by default).
JAEGER_AGENT ?= 127.0.0.1:6831
DEVSERVER := target/release/spanscope-devserver

.PHONY: run test bench dist devserver bootstrap test-host test-browser test-e2e test-interop clean

run: dist devserver
	$(DEVSERVER) --addr $(ADDR) --jaeger-agent $(JAEGER_AGENT) --dist dist --demo

bootstrap:
	@scripts/bootstrap.sh build

## The release UI in dist/ (trunk rebuilds only when sources changed).
dist: bootstrap
	trunk build --offline --release

devserver:
	cargo build --release -p spanscope-devserver

test: bootstrap
	@scripts/bootstrap.sh browser
	$(MAKE) --no-print-directory test-host test-browser test-e2e test-interop

## Host tests: the pure domain (its own crate, spanscope-domain) and api parts, the devserver and the trace generator.
test-host:
	cargo test -p spanscope-domain
	cargo test -p spanscope --no-default-features
	cargo test -p spanscope-devserver -p spanscope-tracegen

## Components mounted in a real DOM: wasm-bindgen-test in headless Chromium. In a zone with daylight saving, so
## the trace tests see a summer offset differ from today's (browser_trace.rs).
test-browser:
	TZ=Europe/Berlin cargo test -p spanscope --target wasm32-unknown-unknown

## What a user does, in headless Chromium against the devserver serving the built dist/ (the Jaeger tests
## run the tutorial's real app from tests/interop: its virtualenv comes from `bootstrap.sh clients`).
test-e2e: dist devserver
	@scripts/bootstrap.sh clients
	cargo test -p spanscope-e2e -- --test-threads=1

## Real instrumentation (py_zipkin + Flask, the OpenTelemetry SDK, jaeger-client in Python and Node) and API
## conformance (schemathesis) against the devserver; run.sh installs the clients (`bootstrap.sh clients`).
test-interop: devserver
	SPANSCOPE_DEVSERVER=$(CURDIR)/$(DEVSERVER) tests/interop/run.sh

## The performance budgets of every issue, measured (issue 7): the host benchmarks (domain, devserver), then
## headless Chromium against the devserver. Prints one table; raw figures in target/bench.json; the table also
## goes into README.md's Benchmarks section. A failed host benchmark shows as n/a in the table, not as an error.
bench: dist devserver
	@scripts/bootstrap.sh browser
	rm -rf target/criterion target/bench-devserver.json
	-cargo bench -p spanscope-domain --bench domain
	-cargo bench -p spanscope-devserver --bench server
	cargo run -q -p spanscope-e2e --features bench --bin bench

clean:
	rm -rf dist target
