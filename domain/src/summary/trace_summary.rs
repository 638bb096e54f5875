//! What a search result says about one trace and each of its services: the trace page's own
//! figures, which `summarize_model` defines and `quick` reads off ordinary traces.
use crate::trace_model::ErrorKind;

/// One service in a trace summary.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct ServiceSummary {
    pub name: String,
    /// Cleaned spans naming this service, locally or as the remote side (a span naming it both
    /// ways counts twice, as in Lens).
    pub span_count: u32,
    /// Sum of the service's span durations, µs.
    pub total_duration: u64,
    /// Its longest span, µs (Lens orders services by this).
    pub max_duration: u64,
}

/// What a search result shows about a trace: the trace page's own figures.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct TraceSummary {
    /// The cleaned trace id (lower case, padded), as the trace page shows it.
    pub trace_id: String,
    /// First start with skew correction, µs since epoch (0 when no span has a timestamp).
    pub start: u64,
    /// Last end − first start with skew correction, µs (the page's "Duration").
    pub duration: u64,
    /// Cleaned spans: fragments of one span count once, a client and its shared server twice
    /// (the page's "Spans").
    pub span_count: u32,
    /// Row levels (the page's "Depth"; a shared server shares its client's row).
    pub depth: u32,
    /// Services the cleaned spans name (local and remote, as the trace header counts them),
    /// longest span first, then by name.
    pub services: Vec<ServiceSummary>,
    /// The worst error of any row.
    pub error: ErrorKind,
    /// Rows with an error tag or annotation (the page's "Errors": a client and its shared server
    /// that both failed are one row).
    pub error_count: u32,
    /// The top row's service and span name, as the trace page's title.
    pub root_service: String,
    pub root_name: String,
}
