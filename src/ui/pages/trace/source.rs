//! Where the trace on the page came from, beside the page's state so the view and its parts
//! (header, toolbar) all import it from here and none imports another.
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
    /// The format the trace came in, offered first for download (a server answers Zipkin JSON).
    pub fn download_format(&self) -> DownloadFormat {
        match self {
            TraceSource::Server => DownloadFormat::ZipkinV2,
            TraceSource::File { format, .. } => DownloadFormat::of(*format),
        }
    }
}
