//! Where the trace on the page came from, beside the page's state so the view and its parts
//! (header, toolbar) all import it from here and none imports another.
use crate::api::backend_kind::BackendKind;
use spanscope_domain::file_format::FileFormat;
use spanscope_domain::trace_download::DownloadFormat;

/// Where the trace came from: what actions make sense (archive and logs need a trace from the
/// server, not from a file).
#[derive(Debug, Clone, PartialEq)]
pub enum TraceSource {
    /// Fetched from the backend, whichever it is.
    Server,
    File {
        name: String,
        /// The ids of the file's traces, which links open from the file.
        nearby: Vec<String>,
        /// What the file was read as.
        format: FileFormat,
    },
}

impl TraceSource {
    /// The format the trace came in, offered first for download: the format of the `server`'s API
    /// (Zipkin JSON, OTLP JSON from Jaeger's API v3, Jaeger JSON from its legacy API), or the file's.
    pub fn download_format(&self, server: BackendKind) -> DownloadFormat {
        match self {
            TraceSource::Server => match server {
                BackendKind::Zipkin => DownloadFormat::ZipkinV2,
                BackendKind::Jaeger => DownloadFormat::OtlpJson,
                BackendKind::JaegerLegacy => DownloadFormat::JaegerJson,
            },
            TraceSource::File { format, .. } => DownloadFormat::of(*format),
        }
    }
}
