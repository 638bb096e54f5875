//! Deterministic synthetic Zipkin traces.
