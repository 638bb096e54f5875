//! What a backend can answer, so pages can leave out the controls it would ignore or refuse
//! (Zipkin cannot filter by span kind; Jaeger cannot filter by remote service) instead of each
//! page knowing which backend it talks to. A control a backend cannot answer is not offered, and
//! criteria it cannot search by (from a link) are refused by its search request, never dropped.

/// The questions one backend answers beyond services and traces by id, which every one does.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Capabilities {
    /// Span names of a service, for the search form's list.
    pub span_names: bool,
    /// Services a service calls or is called by, and searching by one.
    pub remote_service_filter: bool,
    /// Choosing a span kind (server, client, producer, consumer, internal): Jaeger lists the
    /// operations of that kind, and the search is by one of them.
    pub span_kind_filter: bool,
    /// Searching by duration bounds.
    pub duration_filter: bool,
    /// Searching by tags and annotations (Zipkin's `annotationQuery`).
    pub tag_filter: bool,
    /// Searching by bare words (an annotation value, or a tag key alone): Zipkin's `annotationQuery`
    /// takes them, Jaeger only `key=value` tags.
    pub annotation_words: bool,
    /// A maximum duration without a minimum (Zipkin refuses it).
    pub max_duration_alone: bool,
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
        annotation_words: true,
        max_duration_alone: false,
        tag_autocomplete: true,
        dependencies: true,
    };

    /// Jaeger's API v3 (OTEL_JAEGER.md; `apiv3/query_parser.go`): operations by span kind, tags as
    /// `query.attributes` (read since v2.19), durations; no remote service, no tag suggestions. Its
    /// dependencies endpoint is newer than v2.20: asked for, and a 404 is said on the page.
    pub const JAEGER: Capabilities = Capabilities {
        span_names: true,
        remote_service_filter: false,
        span_kind_filter: true,
        duration_filter: true,
        tag_filter: true,
        annotation_words: false,
        max_duration_alone: true,
        tag_autocomplete: false,
        dependencies: true,
    };

    /// Jaeger's legacy HTTP API (`/api/…`, `query_parser.go`): as v3, with `/api/dependencies`.
    pub const JAEGER_LEGACY: Capabilities = Capabilities::JAEGER;
}
