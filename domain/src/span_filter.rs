//! Span filters, the bar every trace view shares (Grafana's span filters, Jaeger's search in the
//! trace page): each filter is one pill written as text, `field op value`, and all of them must
//! hold (AND). Fields: `service` and `name` (`=`, `!=`, `~` substring or `/regex/`), `duration`
//! (`>`, `<`, `>=`, `<=` with `us`, `ms`, `s`), `kind` and `status` (`=`, `!=`), and any other word
//! is a tag key: `key` (exists), `!key` (missing), `key=value`, `key!=value`, `key~text`, and
//! numeric `key>=500`. `tag.service=x` names a tag that shares a field's name. A row matches a
//! positive test when one of its spans does (a client and its server half are one row), and a
//! negative test (`!=`, `!key`) when none does. Matching is O(rows · filters).
use super::dependency_graph::table::format_count;
use super::fast_hash::FastMap;
use super::search_url::parse_duration;
use super::span::Kind;
use super::text_pattern::{PatternError, TextPattern};
use super::trace_model::{ErrorKind, TraceModel};

/// A numeric comparison.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Compare {
    Above,
    Below,
    AtLeast,
    AtMost,
}

impl Compare {
    fn holds(self, left: f64, right: f64) -> bool {
        match self {
            Compare::Above => left > right,
            Compare::Below => left < right,
            Compare::AtLeast => left >= right,
            Compare::AtMost => left <= right,
        }
    }

    fn symbol(self) -> &'static str {
        match self {
            Compare::Above => ">",
            Compare::Below => "<",
            Compare::AtLeast => ">=",
            Compare::AtMost => "<=",
        }
    }
}

/// A test of a text field (service or span name).
#[derive(Debug, Clone, PartialEq)]
pub enum TextTest {
    Is(String),
    IsNot(String),
    Like(TextPattern),
}

/// A test of a tag (or attribute).
#[derive(Debug, Clone, PartialEq)]
pub enum TagTest {
    Exists,
    Missing,
    Equals(String),
    NotEquals(String),
    Like(TextPattern),
    Number(Compare, f64),
}

/// One filter (one pill).
#[derive(Debug, Clone, PartialEq)]
pub enum SpanFilter {
    Service(TextTest),
    Name(TextTest),
    /// Row duration against a bound in µs.
    Duration(Compare, u64),
    /// `kind=server` (true) or `kind!=server` (false).
    Kind(Kind, bool),
    /// `status=error` (true) or `status=ok` (false): whether the row has an error tag or annotation.
    Error(bool),
    Tag(String, TagTest),
}

/// Why a filter's text was refused.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum FilterError {
    Empty,
    /// The field does not take this operator (field, operator).
    Operator(String, String),
    Duration(String),
    Kind(String),
    Status(String),
    Number(String),
    Pattern(PatternError),
}

impl std::fmt::Display for FilterError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            FilterError::Empty => write!(f, "empty filter"),
            FilterError::Operator(field, op) => write!(f, "{field} does not take {op}"),
            FilterError::Duration(v) => write!(f, "{v:?} is not a duration (try 2ms, 1.5s, 300us)"),
            FilterError::Kind(v) => write!(f, "{v:?} is not a kind (client, server, producer, consumer)"),
            FilterError::Status(v) => write!(f, "{v:?} is not a status (error, ok)"),
            FilterError::Number(v) => write!(f, "{v:?} is not a number"),
            FilterError::Pattern(e) => write!(f, "{e}"),
        }
    }
}

const OPERATORS: [&str; 7] = ["!=", ">=", "<=", "=", "~", ">", "<"];

impl SpanFilter {
    /// Reads one filter's text (see the module documentation).
    pub fn parse(text: &str) -> Result<SpanFilter, FilterError> {
        let text = text.trim();
        if text.is_empty() {
            return Err(FilterError::Empty);
        }
        let split = text
            .char_indices()
            .find(|&(i, c)| matches!(c, '=' | '~' | '<' | '>') || (c == '!' && text[i + 1..].starts_with('=')));
        let Some((at, _)) = split else {
            // No operator: `key` or `!key`.
            return Ok(match text.strip_prefix('!') {
                Some(key) if !key.trim().is_empty() => SpanFilter::Tag(tag_key(key.trim()), TagTest::Missing),
                Some(_) => return Err(FilterError::Empty),
                None => SpanFilter::Tag(tag_key(text), TagTest::Exists),
            });
        };
        let field = text[..at].trim();
        let rest = &text[at..];
        let op = OPERATORS.iter().find(|op| rest.starts_with(**op)).copied().unwrap_or("=");
        let value = rest[op.len()..].trim();
        if field.is_empty() {
            return Err(FilterError::Empty);
        }
        let wrong_op = || FilterError::Operator(field.to_owned(), op.to_owned());
        let compare = match op {
            ">" => Some(Compare::Above),
            "<" => Some(Compare::Below),
            ">=" => Some(Compare::AtLeast),
            "<=" => Some(Compare::AtMost),
            _ => None,
        };
        let text_test = || -> Result<TextTest, FilterError> {
            match op {
                "=" => Ok(TextTest::Is(value.to_owned())),
                "!=" => Ok(TextTest::IsNot(value.to_owned())),
                "~" => TextPattern::parse(value).map(TextTest::Like).map_err(FilterError::Pattern),
                _ => Err(wrong_op()),
            }
        };
        match field {
            "service" => Ok(SpanFilter::Service(text_test()?)),
            "name" => Ok(SpanFilter::Name(text_test()?)),
            "duration" => {
                let compare = compare.ok_or_else(wrong_op)?;
                let us = parse_duration(value).ok_or_else(|| FilterError::Duration(value.to_owned()))?;
                Ok(SpanFilter::Duration(compare, us))
            }
            "kind" => {
                let kind = Kind::from_name(value).ok_or_else(|| FilterError::Kind(value.to_owned()))?;
                match op {
                    "=" | "!=" => Ok(SpanFilter::Kind(kind, op == "=")),
                    _ => Err(wrong_op()),
                }
            }
            "status" => {
                let error = match value.to_ascii_lowercase().as_str() {
                    "error" => true,
                    "ok" => false,
                    _ => return Err(FilterError::Status(value.to_owned())),
                };
                match op {
                    "=" => Ok(SpanFilter::Error(error)),
                    "!=" => Ok(SpanFilter::Error(!error)),
                    _ => Err(wrong_op()),
                }
            }
            key => {
                let key = tag_key(key);
                let test = match (op, compare) {
                    (_, Some(c)) => TagTest::Number(c, parse_number(value)?),
                    ("=", _) => TagTest::Equals(value.to_owned()),
                    ("!=", _) => TagTest::NotEquals(value.to_owned()),
                    _ => TagTest::Like(TextPattern::parse(value).map_err(FilterError::Pattern)?),
                };
                Ok(SpanFilter::Tag(key, test))
            }
        }
    }

    /// Whether row `row` of the model passes this filter.
    pub fn matches(&self, model: &TraceModel, row: u32) -> bool {
        self.row_passes(model, row, &mut |p: &TextPattern, text: &str| p.matches(text))
    }

    /// `matches`, with the substring and regex tests going through `like` (which may remember
    /// answers: a trace repeats a few dozen names and values over thousands of rows).
    fn row_passes<'m>(
        &self,
        model: &'m TraceModel,
        row: u32,
        like: &mut dyn FnMut(&TextPattern, &'m str) -> bool,
    ) -> bool {
        let Some(r) = model.row(row) else { return false };
        let spans = model.row_spans(row);
        let span_of = |s: &u32| model.span(*s);
        match self {
            SpanFilter::Service(test) => {
                let names = std::iter::once(model.row_service_name(row))
                    .chain(spans.iter().filter_map(|&s| model.service_name(model.span_service(s))));
                text_test_holds(test, names, like)
            }
            SpanFilter::Name(test) => {
                let names = spans.iter().filter_map(span_of).filter_map(|s| s.name.as_deref());
                text_test_holds(test, names, like)
            }
            SpanFilter::Duration(compare, bound) => compare.holds(r.duration as f64, *bound as f64),
            SpanFilter::Kind(kind, is) => spans.iter().filter_map(span_of).any(|s| s.kind == Some(*kind)) == *is,
            SpanFilter::Error(is) => (r.error != ErrorKind::None) == *is,
            SpanFilter::Tag(key, test) => {
                let mut values = spans.iter().filter_map(span_of).filter_map(|s| s.tags.get(key).map(String::as_str));
                match test {
                    TagTest::Exists => values.next().is_some(),
                    TagTest::Missing => values.next().is_none(),
                    TagTest::Equals(v) => values.any(|x| x == v),
                    TagTest::NotEquals(v) => !values.any(|x| x == v),
                    TagTest::Like(p) => values.any(|x| like(p, x)),
                    TagTest::Number(c, n) => values.any(|x| x.trim().parse::<f64>().is_ok_and(|x| c.holds(x, *n))),
                }
            }
        }
    }
}

impl std::fmt::Display for SpanFilter {
    /// The filter's text, which `parse` reads back to the same filter.
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        let text = |f: &mut std::fmt::Formatter<'_>, field: &str, test: &TextTest| match test {
            TextTest::Is(v) => write!(f, "{field}={v}"),
            TextTest::IsNot(v) => write!(f, "{field}!={v}"),
            TextTest::Like(p) => write!(f, "{field}~{}", p.source()),
        };
        match self {
            SpanFilter::Service(t) => text(f, "service", t),
            SpanFilter::Name(t) => text(f, "name", t),
            SpanFilter::Duration(c, us) => write!(f, "duration{}{}", c.symbol(), duration_text(*us)),
            SpanFilter::Kind(k, is) => write!(f, "kind{}{}", if *is { "=" } else { "!=" }, kind_name(*k)),
            SpanFilter::Error(is) => write!(f, "status={}", if *is { "error" } else { "ok" }),
            SpanFilter::Tag(key, test) => {
                let key = written_key(key);
                match test {
                    TagTest::Exists => write!(f, "{key}"),
                    TagTest::Missing => write!(f, "!{key}"),
                    TagTest::Equals(v) => write!(f, "{key}={v}"),
                    TagTest::NotEquals(v) => write!(f, "{key}!={v}"),
                    TagTest::Like(p) => write!(f, "{key}~{}", p.source()),
                    TagTest::Number(c, n) => write!(f, "{key}{}{n}", c.symbol()),
                }
            }
        }
    }
}

/// A duration as `parse_duration` reads it back exactly: whole ms or s when exact, else µs.
fn duration_text(us: u64) -> String {
    if us >= 1_000_000 && us.is_multiple_of(1_000_000) {
        format!("{}s", us / 1_000_000)
    } else if us >= 1_000 && us.is_multiple_of(1_000) {
        format!("{}ms", us / 1_000)
    } else {
        format!("{us}us")
    }
}

fn kind_name(kind: Kind) -> &'static str {
    match kind {
        Kind::Client => "client",
        Kind::Server => "server",
        Kind::Producer => "producer",
        Kind::Consumer => "consumer",
    }
}

const FIELDS: [&str; 5] = ["service", "name", "duration", "kind", "status"];

/// A tag key as typed: `tag.` before a field's name escapes it.
fn tag_key(written: &str) -> String {
    match written.strip_prefix("tag.") {
        Some(key) if FIELDS.contains(&key) => key.to_owned(),
        _ => written.to_owned(),
    }
}

/// A tag key as written, escaped when it is a field's name.
fn written_key(key: &str) -> String {
    if FIELDS.contains(&key) {
        format!("tag.{key}")
    } else {
        key.to_owned()
    }
}

fn parse_number(value: &str) -> Result<f64, FilterError> {
    value.parse::<f64>().ok().filter(|n| n.is_finite()).ok_or_else(|| FilterError::Number(value.to_owned()))
}

fn text_test_holds<'m>(
    test: &TextTest,
    mut values: impl Iterator<Item = &'m str>,
    like: &mut dyn FnMut(&TextPattern, &'m str) -> bool,
) -> bool {
    match test {
        TextTest::Is(v) => values.any(|x| x == v),
        TextTest::IsNot(v) => !values.any(|x| x == v),
        TextTest::Like(p) => values.any(|x| like(p, x)),
    }
}

/// Reads every filter text; the refused ones come back with their reason, in order.
pub fn parse_filters<'a>(texts: impl IntoIterator<Item = &'a str>) -> (Vec<SpanFilter>, Vec<(String, FilterError)>) {
    let mut filters = Vec::new();
    let mut refused = Vec::new();
    for text in texts {
        match SpanFilter::parse(text) {
            Ok(f) => filters.push(f),
            Err(e) => refused.push((text.to_owned(), e)),
        }
    }
    (filters, refused)
}

/// The rows passing every filter, in row order, out of how many.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct FilterMatches {
    /// False without filters: then nothing is dimmed or hidden and `rows` is empty.
    pub active: bool,
    pub rows: Vec<u32>,
    pub total: u32,
}

impl FilterMatches {
    /// Whether row `row` is shown undimmed: every row when no filter is active.
    pub fn is_match(&self, row: u32) -> bool {
        !self.active || self.rows.binary_search(&row).is_ok()
    }

    /// "38 of 10,000 spans" (empty without filters).
    pub fn count_label(&self) -> String {
        if !self.active {
            return String::new();
        }
        let noun = if self.total == 1 { "span" } else { "spans" };
        format!("{} of {} {noun}", format_count(self.rows.len() as u64), format_count(u64::from(self.total)))
    }

    /// The match after (`forward`) or before `current`, wrapping around; the first (or last) match
    /// when `current` is none. Rows in between need not be matches: the selection may be anywhere.
    pub fn step(&self, current: Option<u32>, forward: bool) -> Option<u32> {
        let first = *self.rows.first()?;
        let last = *self.rows.last()?;
        let Some(at) = current else { return Some(if forward { first } else { last }) };
        if forward {
            let next = self.rows.partition_point(|&r| r <= at);
            Some(self.rows.get(next).copied().unwrap_or(first))
        } else {
            let before = self.rows.partition_point(|&r| r < at);
            Some(before.checked_sub(1).and_then(|i| self.rows.get(i).copied()).unwrap_or(last))
        }
    }

    /// 1-based position of `row` among the matches ("3 of 38"), if it is one.
    pub fn position(&self, row: u32) -> Option<usize> {
        self.rows.binary_search(&row).ok().map(|i| i + 1)
    }
}

/// The rows of `model` that pass all `filters`. O(rows · filters); each filter's substring or regex
/// runs once per distinct text, its answer remembered for the other rows.
pub fn apply_filters(model: &TraceModel, filters: &[SpanFilter]) -> FilterMatches {
    let total = model.row_count();
    if filters.is_empty() {
        return FilterMatches { active: false, rows: Vec::new(), total };
    }
    let mut answers: Vec<FastMap<&str, bool>> = filters.iter().map(|_| FastMap::default()).collect();
    let rows = (0..total)
        .filter(|&r| {
            filters.iter().zip(answers.iter_mut()).all(|(f, known)| {
                f.row_passes(model, r, &mut |p: &TextPattern, text| {
                    *known.entry(text).or_insert_with(|| p.matches(text))
                })
            })
        })
        .collect();
    FilterMatches { active: true, rows, total }
}
