//! What a backend can answer, so pages can leave out the controls it would ignore or refuse
//! (Zipkin cannot filter by span kind; Jaeger cannot filter by remote service) instead of each
//! page knowing which backend it talks to.

/// The questions one backend answers beyond services and traces by id, which every one does.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Capabilities {
    /// Span names of a service, for the search form's list.
    pub span_names: bool,
    /// Services a service calls or is called by, and searching by one.
    pub remote_service_filter: bool,
    /// Searching by span kind (server, client, producer, consumer).
    pub span_kind_filter: bool,
    /// Searching by duration bounds.
    pub duration_filter: bool,
    /// Searching by tags and annotations (Zipkin's `annotationQuery`).
    pub tag_filter: bool,
    /// Suggestions of indexed tag keys and their values.
    pub tag_autocomplete: bool,
    /// The service dependency graph.
    pub dependencies: bool,
}

impl Capabilities {
    /// Zipkin v2 (ZIPKIN.md §1): everything but a span-kind filter.
    pub const ZIPKIN: Capabilities = Capabilities {
        span_names: true,
        remote_service_filter: true,
        span_kind_filter: false,
        duration_filter: true,
        tag_filter: true,
        tag_autocomplete: true,
        dependencies: true,
    };
}
