//! A Zipkin- and Jaeger-compatible in-memory server for Spanscope: ingest (Zipkin, OTLP, Jaeger's agent and
//! collector), storage, the query APIs (Zipkin v2, Jaeger's legacy API and API v3), the UI files and synthetic
//! traffic. Its storage and Zipkin query rules follow Zipkin's server as ZIPKIN.md describes them; what OTLP
//! and Jaeger carry is kept beside, and the Jaeger APIs answer as Jaeger v2.20 does (OTEL_JAEGER.md).
pub mod api;
pub mod api_v3;
pub mod api_v3_query;
pub mod cli;
pub mod connections;
pub mod csp;
pub mod faults;
pub mod inflate;
pub mod ingest;
pub mod jaeger_api;
pub mod jaeger_ingest;
pub mod jaeger_params;
pub mod jaeger_thrift;
pub mod links;
pub mod normalize;
pub mod otlp_ingest;
pub mod otlp_proto;
pub mod proto3;
pub mod protowire;
pub mod query;
pub mod request_body;
pub mod respond;
pub mod server;
pub mod sources;
pub mod state;
pub mod store;
pub mod thrift;
pub mod thrift_binary;
pub mod thrift_compact;
pub mod thrift_protocol;
pub mod time_shift;
pub mod ui_files;
pub mod url_path;
