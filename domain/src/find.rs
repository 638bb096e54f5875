//! Find-in-trace: which rows match a typed query, in row (display) order. A row matches when
//! any of its spans has the query, case-insensitively, in a service name (local or remote), the
//! span name, the span id, a tag key or value, or an annotation value. `key=value` matches a tag
//! exactly (key and value), like Zipkin's `annotationQuery` terms.
use super::trace_model::TraceModel;

/// Where a row matched (the first field that did, in this order).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum MatchField {
    Service,
    SpanName,
    SpanId,
    TagKey,
    TagValue,
    Annotation,
}

/// A matching row.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub struct FindMatch {
    pub row: u32,
    pub field: MatchField,
}

/// Whether `hay` contains `needle_lower` (already lower-cased), ignoring case.
pub(crate) fn contains_ci(hay: &str, needle_lower: &str) -> bool {
    if hay.is_ascii() && needle_lower.is_ascii() {
        let n = needle_lower.as_bytes();
        return hay.len() >= n.len() && hay.as_bytes().windows(n.len()).any(|w| w.eq_ignore_ascii_case(n));
    }
    // Lower-casing can lengthen text ("İ", 2 bytes, becomes "i̇", 3), so byte lengths before
    // it say nothing: compare after.
    hay.to_lowercase().contains(needle_lower)
}

/// Rows matching `query` in row order; an empty (or blank) query matches nothing. O(n · fields).
pub fn find_rows(model: &TraceModel, query: &str) -> Vec<FindMatch> {
    let q = query.trim();
    if q.is_empty() {
        return Vec::new();
    }
    let lower = q.to_lowercase();
    let tag_pair = q.split_once('=').map(|(k, v)| (k.trim(), v.trim()));
    let mut out = Vec::new();
    for row in 0..model.row_count() {
        let mut hit = None;
        for &si in model.row_spans(row) {
            let Some(s) = model.span(si) else { continue };
            let field = if let Some((k, v)) = tag_pair.filter(|(k, _)| !k.is_empty()) {
                s.tags.get(k).filter(|val| val.as_str() == v).map(|_| MatchField::TagValue)
            } else if [s.local_service(), s.remote_service()].into_iter().flatten().any(|n| contains_ci(n, &lower)) {
                Some(MatchField::Service)
            } else if s.name.as_deref().is_some_and(|n| contains_ci(n, &lower)) {
                Some(MatchField::SpanName)
            } else if contains_ci(&s.id, &lower) {
                Some(MatchField::SpanId)
            } else if s.tags.keys().any(|k| contains_ci(k, &lower)) {
                Some(MatchField::TagKey)
            } else if s.tags.values().any(|v| contains_ci(v, &lower)) {
                Some(MatchField::TagValue)
            } else if s.annotations.iter().any(|a| contains_ci(&a.value, &lower)) {
                Some(MatchField::Annotation)
            } else {
                None
            };
            if field.is_some() {
                hit = field;
                break;
            }
        }
        if let Some(field) = hit {
            out.push(FindMatch { row, field });
        }
    }
    out
}
