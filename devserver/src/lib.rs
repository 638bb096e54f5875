//! A Zipkin-compatible in-memory server for Spanscope: ingest, storage, the query API, the UI files and
//! synthetic traffic. Its storage and query rules follow Zipkin's server as ZIPKIN.md describes them.
pub mod cli;
pub mod server;
pub mod ui_files;
