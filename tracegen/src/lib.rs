//! Deterministic synthetic Zipkin v2 traces from a believable shop: a gateway, auth, users, orders,
//! payments, inventory, search and more, talking HTTP to each other and to a database, a cache, a search
//! index and a message broker with producers and consumers.
//!
//! The traces carry what real ones do: shared client/server spans (same id, `shared: true` on the server
//! half), HTTP, SQL and messaging tags, annotations, ~3% failing requests with `error` tags that propagate to
//! callers, slow outliers, and one host (`inventory-service`) whose clock runs 35 ms behind, so its server
//! spans start before their clients. The same seed always gives the same spans.
//!
//! - [`generate_trace`] — one trace of exactly N spans (1,000 / 10,000 / 100,000 for benchmarks).
//! - [`generate_traces`] — a set of similar traces, e.g. 1,000 search results of ~50 spans.
//! - [`Traffic`] — a stream of request-sized traces for live demos.
//! - [`otel_batch`] — OpenTelemetry-shaped traces (links, events, an exception, resources and scopes) with
//!   their OTLP detail, for the demo.
//!
//! ```
//! use spanscope_tracegen::{generate_trace, TraceShape};
//! let big = generate_trace(&TraceShape { spans: 10_000, seed: 42, ..TraceShape::default() });
//! assert_eq!(big.len(), 10_000);
//! assert_eq!(big, generate_trace(&TraceShape { spans: 10_000, seed: 42, ..TraceShape::default() }));
//! ```
pub mod otel;
pub mod rng;
pub mod topology;
pub mod trace;
pub mod traffic;

pub use otel::{otel_batch, OtelBatch};
pub use rng::Rng;
pub use topology::Topology;
pub use trace::{generate_trace, generate_with, TraceShape, CLOCK_SKEW_MICROS};
pub use traffic::{generate_traces, TraceSet, Traffic};
