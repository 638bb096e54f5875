//! The span table: every row of the trace as a table row (service, span name, kind, start,
//! duration, self time, status, and any tag the user adds as a column), sortable by each column,
//! and a grouped mode (by service, or by service and span name) with count, total, self time, p50
//! and p99. Sorting precomputes one key per row, then runs the one stable sort (`sorting`), so
//! equal rows keep their order and a second sort refines the first. Column choice is text, so it
//! persists in storage or a URL.
use super::percentile::p50_p99;
use super::sorting;
use super::span::Kind;
use super::trace_model::{ErrorKind, TraceModel};
use std::cmp::Ordering;

/// A column of the table.
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub enum Column {
    Service,
    Name,
    Kind,
    Start,
    Duration,
    SelfTime,
    Status,
    /// A tag (attribute) chosen by the user.
    Tag(String),
}

impl Column {
    /// The column's name in the saved text (`tag:<key>` for a tag).
    pub fn id(&self) -> String {
        match self {
            Column::Service => "service".into(),
            Column::Name => "name".into(),
            Column::Kind => "kind".into(),
            Column::Start => "start".into(),
            Column::Duration => "duration".into(),
            Column::SelfTime => "self".into(),
            Column::Status => "status".into(),
            Column::Tag(key) => format!("tag:{key}"),
        }
    }

    pub fn from_id(id: &str) -> Option<Column> {
        Some(match id.trim() {
            "service" => Column::Service,
            "name" => Column::Name,
            "kind" => Column::Kind,
            "start" => Column::Start,
            "duration" => Column::Duration,
            "self" => Column::SelfTime,
            "status" => Column::Status,
            other => Column::Tag(other.strip_prefix("tag:").filter(|k| !k.is_empty())?.to_owned()),
        })
    }

    /// The header text.
    pub fn title(&self) -> String {
        match self {
            Column::Service => "Service".into(),
            Column::Name => "Span name".into(),
            Column::Kind => "Kind".into(),
            Column::Start => "Start".into(),
            Column::Duration => "Duration".into(),
            Column::SelfTime => "Self time".into(),
            Column::Status => "Status".into(),
            Column::Tag(key) => key.clone(),
        }
    }
}

/// The fixed columns, in order.
pub fn default_columns() -> Vec<Column> {
    vec![Column::Service, Column::Name, Column::Kind, Column::Start, Column::Duration, Column::SelfTime, Column::Status]
}

/// Columns as saved text, comma-separated.
pub fn columns_text(columns: &[Column]) -> String {
    columns.iter().map(Column::id).collect::<Vec<_>>().join(",")
}

/// Columns from saved text; unknown names are dropped, repeats kept once; the defaults if none.
pub fn parse_columns(text: &str) -> Vec<Column> {
    let mut out: Vec<Column> = Vec::new();
    for c in text.split(',').filter_map(Column::from_id) {
        if !out.contains(&c) {
            out.push(c);
        }
    }
    if out.is_empty() {
        default_columns()
    } else {
        out
    }
}

/// The kind of a row: the first of its spans that has one.
pub fn row_kind(model: &TraceModel, row: u32) -> Option<Kind> {
    model.row_spans(row).iter().find_map(|&s| model.span(s).and_then(|s| s.kind))
}

pub fn kind_text(kind: Option<Kind>) -> &'static str {
    match kind {
        Some(Kind::Client) => "client",
        Some(Kind::Server) => "server",
        Some(Kind::Producer) => "producer",
        Some(Kind::Consumer) => "consumer",
        None => "",
    }
}

pub fn status_text(error: ErrorKind) -> &'static str {
    match error {
        ErrorKind::None => "ok",
        ErrorKind::Transient => "error (recovered)",
        ErrorKind::Critical => "error",
    }
}

/// A tag's value on the row: the first of its spans that has the tag.
pub fn row_tag<'a>(model: &'a TraceModel, row: u32, key: &str) -> Option<&'a str> {
    model.row_spans(row).iter().find_map(|&s| model.span(s).and_then(|s| s.tags.get(key)).map(String::as_str))
}

/// One sort key per row.
enum Keys<'a> {
    Numbers(Vec<u64>),
    Texts(Vec<&'a str>),
    /// Tag values: numbers first by value, then texts, then rows without the tag.
    Values(Vec<Option<(Option<f64>, &'a str)>>),
}

/// Sorts `rows` (model row indices) by `column`, stably; `descending` reverses the order of
/// distinct keys but keeps rows without a tag value last. `self_times` is `row_self_times`.
pub fn sort_rows(
    model: &TraceModel,
    self_times: &[u64],
    rows: &mut [u32],
    column: &Column,
    descending: bool,
    skew: bool,
) {
    let all = model.row_count();
    let row_of = |r: u32| model.row(r);
    let keys = match column {
        Column::Service => Keys::Texts((0..all).map(|r| model.row_service_name(r)).collect()),
        Column::Name => Keys::Texts((0..all).map(|r| model.row_name(r)).collect()),
        Column::Kind => Keys::Texts((0..all).map(|r| kind_text(row_kind(model, r))).collect()),
        Column::Start => Keys::Numbers((0..all).map(|r| row_of(r).map_or(0, |x| x.start_us(skew))).collect()),
        Column::Duration => Keys::Numbers(model.rows().iter().map(|x| x.duration).collect()),
        Column::SelfTime => Keys::Numbers((0..all).map(|r| self_times.get(r as usize).copied().unwrap_or(0)).collect()),
        Column::Status => Keys::Numbers(model.rows().iter().map(|x| x.error as u64).collect()),
        Column::Tag(key) => Keys::Values(
            (0..all)
                .map(|r| row_tag(model, r, key).map(|v| (v.trim().parse::<f64>().ok().filter(|n| n.is_finite()), v)))
                .collect(),
        ),
    };
    let flip = |o: Ordering| if descending { o.reverse() } else { o };
    // Rows beyond the model (a stale list) sort as empty keys rather than panic.
    match &keys {
        Keys::Numbers(k) => {
            let key = |r: &u32| k.get(*r as usize).copied().unwrap_or(0);
            sorting::sort_by(rows, |a, b| flip(key(a).cmp(&key(b))))
        }
        Keys::Texts(k) => {
            let key = |r: &u32| k.get(*r as usize).copied().unwrap_or("");
            sorting::sort_by(rows, |a, b| flip(key(a).cmp(key(b))))
        }
        Keys::Values(k) => {
            let key = |r: &u32| k.get(*r as usize).copied().flatten();
            sorting::sort_by(rows, |a, b| match (key(a), key(b)) {
                (Some(x), Some(y)) => flip(compare_values(x, y)),
                (Some(_), None) => Ordering::Less,
                (None, Some(_)) => Ordering::Greater,
                (None, None) => Ordering::Equal,
            })
        }
    }
}

fn compare_values(a: (Option<f64>, &str), b: (Option<f64>, &str)) -> Ordering {
    match (a.0, b.0) {
        (Some(x), Some(y)) => x.total_cmp(&y).then_with(|| a.1.cmp(b.1)),
        (Some(_), None) => Ordering::Less,
        (None, Some(_)) => Ordering::Greater,
        (None, None) => a.1.cmp(b.1),
    }
}

/// What the grouped mode groups by.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum GroupBy {
    Service,
    /// Service and span name: the same name in two services is two operations.
    SpanName,
}

/// One group's figures (µs).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct GroupRow {
    pub service: String,
    /// Empty when grouped by service.
    pub name: String,
    pub count: u32,
    pub total: u64,
    pub self_time: u64,
    pub p50: u64,
    pub p99: u64,
    /// The group's rows, in the order given.
    pub rows: Vec<u32>,
}

/// Groups `rows`, largest total first (ties by name). O(n log n).
pub fn group_rows(model: &TraceModel, self_times: &[u64], rows: &[u32], by: GroupBy) -> Vec<GroupRow> {
    use std::collections::HashMap;
    let mut index: HashMap<(&str, &str), usize> = HashMap::new();
    let mut groups: Vec<GroupRow> = Vec::new();
    let mut durations: Vec<Vec<u64>> = Vec::new();
    for &r in rows {
        let Some(row) = model.row(r) else { continue };
        let service = model.row_service_name(r);
        let name = if by == GroupBy::SpanName { model.row_name(r) } else { "" };
        let g = *index.entry((service, name)).or_insert_with(|| {
            groups.push(GroupRow {
                service: service.to_owned(),
                name: name.to_owned(),
                count: 0,
                total: 0,
                self_time: 0,
                p50: 0,
                p99: 0,
                rows: Vec::new(),
            });
            durations.push(Vec::new());
            groups.len() - 1
        });
        let group = &mut groups[g];
        group.count += 1;
        group.total = group.total.saturating_add(row.duration);
        group.self_time = group.self_time.saturating_add(self_times.get(r as usize).copied().unwrap_or(0));
        group.rows.push(r);
        durations[g].push(row.duration);
    }
    for (group, d) in groups.iter_mut().zip(durations) {
        (group.p50, group.p99) = p50_p99(d);
    }
    sorting::sort_by(&mut groups, |a, b| {
        b.total.cmp(&a.total).then_with(|| (&a.service, &a.name).cmp(&(&b.service, &b.name)))
    });
    groups
}
