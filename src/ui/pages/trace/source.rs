//! Where the trace on the page came from, beside the page's state so the view and its parts
//! (header, toolbar) all import it from here and none imports another.

/// Where the trace came from: what actions make sense (archive and logs need a trace from the
/// server, not from a file).
#[derive(Debug, Clone, PartialEq)]
pub enum TraceSource {
    /// Fetched from the backend, whichever it is.
    Server,
    File {
        name: String,
        /// The ids of the file's other traces, which links open from the file.
        nearby: Vec<String>,
    },
}
