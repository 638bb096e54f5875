//! Zipkin's JSON v1 span (`/api/v1/spans`, old clients) and its conversion to the v2 model,
//! following Zipkin's `zipkin2/v1/V1SpanConverter.java` and `internal/V1JsonSpanReader.java`.
//!
//! A v1 span carries its kind implicitly in core annotations (`cs`, `sr`, `ss`, `cr`, `ms`,
//! `mr`) and its endpoints on each annotation; one v1 span can therefore become two v2 spans
//! (a client half and a shared server half) when both sides reported into the same span.
use super::sorting;
use super::span::{Annotation, Endpoint, Kind, Span};
use serde::de::{self, Deserializer, MapAccess, Visitor};
use serde::Deserialize;
use std::fmt;

/// One annotation of a v1 span: an event, optionally with the endpoint that recorded it.
#[derive(Debug, Clone, PartialEq, Deserialize)]
pub struct V1Annotation {
    #[serde(deserialize_with = "super::lenient::u64_or_zero", default)]
    pub timestamp: u64,
    #[serde(default, deserialize_with = "super::lenient::string_or_empty")]
    pub value: String,
    #[serde(default, deserialize_with = "super::lenient::endpoint")]
    pub endpoint: Option<Endpoint>,
}

/// The value of a v1 binary annotation. Only strings become tags and only `true` marks an
/// address annotation (`ca`, `sa`, `ma`); other types are skipped, as `V1JsonSpanReader` does.
#[derive(Debug, Clone, PartialEq)]
pub enum V1Value {
    Str(String),
    Bool(bool),
    Other,
}

/// A v1 binary annotation: a tag (string value) or an address (`ca`/`sa`/`ma` = true).
#[derive(Debug, Clone, PartialEq)]
pub struct V1BinaryAnnotation {
    pub key: String,
    pub value: V1Value,
    pub endpoint: Option<Endpoint>,
}

/// A Zipkin JSON v1 span, as `/api/v1/spans` receives it.
#[derive(Debug, Clone, Default, PartialEq, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct V1Span {
    pub trace_id: String,
    pub id: String,
    #[serde(default, deserialize_with = "super::lenient::opt_string")]
    pub parent_id: Option<String>,
    #[serde(default, deserialize_with = "super::lenient::opt_string")]
    pub name: Option<String>,
    #[serde(default, deserialize_with = "super::lenient::opt_u64")]
    pub timestamp: Option<u64>,
    #[serde(default, deserialize_with = "super::lenient::opt_u64")]
    pub duration: Option<u64>,
    #[serde(default, deserialize_with = "super::lenient::null_as_default")]
    pub annotations: Vec<V1Annotation>,
    #[serde(default, deserialize_with = "super::lenient::null_as_default")]
    pub binary_annotations: Vec<V1BinaryAnnotation>,
    #[serde(default, deserialize_with = "super::lenient::opt_bool")]
    pub debug: Option<bool>,
}

impl<'de> Deserialize<'de> for V1BinaryAnnotation {
    fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        struct V;
        impl<'de> Visitor<'de> for V {
            type Value = V1BinaryAnnotation;
            fn expecting(&self, f: &mut fmt::Formatter) -> fmt::Result {
                f.write_str("a binary annotation object")
            }
            fn visit_map<A: MapAccess<'de>>(self, mut map: A) -> Result<Self::Value, A::Error> {
                let mut key: Option<String> = None;
                let mut value = V1Value::Other;
                let mut endpoint = None;
                while let Some(name) = map.next_key::<std::borrow::Cow<'de, str>>()? {
                    match name.as_ref() {
                        "key" => key = map.next_value::<Option<String>>()?,
                        "value" => {
                            value = match map.next_value::<serde_json::Value>()? {
                                serde_json::Value::String(s) => V1Value::Str(s),
                                serde_json::Value::Bool(b) => V1Value::Bool(b),
                                _ => V1Value::Other,
                            }
                        }
                        "endpoint" => endpoint = map.next_value::<Option<Endpoint>>()?,
                        _ => {
                            map.next_value::<de::IgnoredAny>()?;
                        }
                    }
                }
                let key = key.ok_or_else(|| de::Error::custom("binary annotation has no key"))?;
                Ok(V1BinaryAnnotation { key, value, endpoint })
            }
        }
        deserializer.deserialize_map(V)
    }
}

/// Service names compare as Zipkin's model stores them: lower-cased, empty meaning absent.
fn service_key(e: Option<&Endpoint>) -> Option<String> {
    e.and_then(|e| e.service_name.as_deref()).filter(|s| !s.is_empty()).map(|s| s.to_lowercase())
}

fn same_service(a: Option<&Endpoint>, b: Option<&Endpoint>) -> bool {
    service_key(a) == service_key(b)
}

/// The in-progress v2 spans of one v1 span: index 0 is the "first" span that gets data
/// whose endpoint is unknown.
struct Builders<'a> {
    source: &'a V1Span,
    spans: Vec<Span>,
}

impl<'a> Builders<'a> {
    fn new(source: &'a V1Span) -> Self {
        let first = Self::blank(source);
        Builders { source, spans: vec![first] }
    }

    fn blank(source: &V1Span) -> Span {
        Span {
            trace_id: source.trace_id.clone(),
            id: source.id.clone(),
            parent_id: source.parent_id.clone(),
            name: source.name.clone(),
            debug: source.debug.filter(|d| *d),
            ..Span::default()
        }
    }

    /// `forEndpoint`: the span for this endpoint, claiming an endpoint-less span on the way.
    fn for_endpoint(&mut self, e: Option<&Endpoint>) -> usize {
        let Some(e) = e else { return 0 };
        for i in 0..self.spans.len() {
            let span = &mut self.spans[i];
            match &span.local_endpoint {
                None => {
                    span.local_endpoint = Some(e.clone());
                    return i;
                }
                Some(local) => {
                    if same_service(Some(local), Some(e)) {
                        return i;
                    }
                }
            }
        }
        self.new_span(e)
    }

    fn new_span(&mut self, e: &Endpoint) -> usize {
        let mut span = Self::blank(self.source);
        span.local_endpoint = Some(e.clone());
        self.spans.push(span);
        self.spans.len() - 1
    }

    fn get(&mut self, i: usize) -> &mut Span {
        // `i` always comes from for_endpoint/new_span, so it is in range; fall back to the first
        // span rather than panic if that ever changes.
        let last = self.spans.len().saturating_sub(1);
        &mut self.spans[i.min(last)]
    }
}

fn set_ts(span: &mut Span, ts: u64) {
    span.timestamp = (ts != 0).then_some(ts);
}

fn set_dur(span: &mut Span, d: Option<i128>) {
    span.duration = d.filter(|d| *d > 0).and_then(|d| u64::try_from(d).ok());
}

fn diff(end: u64, begin: u64) -> Option<i128> {
    Some(end as i128 - begin as i128)
}

/// Converts one v1 span into one or more v2 spans, as `V1SpanConverter.convert` does.
pub fn convert_v1(source: &V1Span) -> Vec<Span> {
    let mut b = Builders::new(source);
    let src_ts = source.timestamp.unwrap_or(0);
    let src_dur = source.duration.unwrap_or(0);
    let mut cs: Option<&V1Annotation> = None;
    let mut sr: Option<&V1Annotation> = None;
    let mut ss: Option<&V1Annotation> = None;
    let mut cr: Option<&V1Annotation> = None;
    let mut ms: Option<&V1Annotation> = None;
    let mut mr: Option<&V1Annotation> = None;
    let mut ws: Option<&V1Annotation> = None;
    let mut wr: Option<&V1Annotation> = None;
    // Synthesised core annotations (when the span's own timestamp stands for cs/sr).
    let synth_cs;
    let synth_sr;

    for a in &source.annotations {
        let i = b.for_endpoint(a.endpoint.as_ref());
        let core = a.value.len() == 2 && a.endpoint.is_some();
        let span = b.get(i);
        match (core, a.value.as_str()) {
            (true, "cs") => {
                span.kind = Some(Kind::Client);
                cs = Some(a);
            }
            (true, "sr") => {
                span.kind = Some(Kind::Server);
                sr = Some(a);
            }
            (true, "ss") => {
                span.kind = Some(Kind::Server);
                ss = Some(a);
            }
            (true, "cr") => {
                span.kind = Some(Kind::Client);
                cr = Some(a);
            }
            (true, "ms") => {
                span.kind = Some(Kind::Producer);
                ms = Some(a);
            }
            (true, "mr") => {
                span.kind = Some(Kind::Consumer);
                mr = Some(a);
            }
            (true, "ws") => ws = Some(a),
            (true, "wr") => wr = Some(a),
            _ => span.annotations.push(Annotation { timestamp: a.timestamp, value: a.value.clone() }),
        }
    }

    let end_reflects_duration = |end: Option<&V1Annotation>| {
        end.is_some_and(|e| src_ts != 0 && src_dur != 0 && src_ts.checked_add(src_dur) == Some(e.timestamp))
    };
    if cs.is_none() && end_reflects_duration(cr) {
        synth_cs = cr.map(|cr| V1Annotation { timestamp: src_ts, value: "cs".into(), endpoint: cr.endpoint.clone() });
        cs = synth_cs.as_ref();
    }
    if sr.is_none() && end_reflects_duration(ss) {
        synth_sr = ss.map(|ss| V1Annotation { timestamp: src_ts, value: "sr".into(), endpoint: ss.endpoint.clone() });
        sr = synth_sr.as_ref();
    }

    let maybe_timestamp_duration = |b: &mut Builders, begin: &V1Annotation, end: Option<&V1Annotation>| {
        let i = b.for_endpoint(begin.endpoint.as_ref());
        let span = b.get(i);
        if src_ts != 0 && src_dur != 0 {
            set_ts(span, src_ts);
            set_dur(span, Some(src_dur as i128));
        } else {
            set_ts(span, begin.timestamp);
            if let Some(end) = end {
                set_dur(span, diff(end.timestamp, begin.timestamp));
            }
        }
    };

    if let (Some(cs_a), Some(sr_a)) = (cs, sr) {
        maybe_timestamp_duration(&mut b, cs_a, cr);
        let client = b.for_endpoint(cs_a.endpoint.as_ref());
        let server = if same_service(cs_a.endpoint.as_ref(), sr_a.endpoint.as_ref()) {
            b.get(client).kind = Some(Kind::Client);
            let e = sr_a.endpoint.clone().unwrap_or_default();
            let s = b.new_span(&e);
            b.get(s).kind = Some(Kind::Server);
            s
        } else {
            b.for_endpoint(sr_a.endpoint.as_ref())
        };
        let server_span = b.get(server);
        server_span.shared = Some(true);
        set_ts(server_span, sr_a.timestamp);
        if let Some(ss) = ss {
            set_dur(server_span, diff(ss.timestamp, sr_a.timestamp));
        }
        if cr.is_none() && src_dur == 0 {
            b.get(client).duration = None; // one-way RPC has no duration
        }
    } else if let (Some(cs_a), Some(_)) = (cs, cr) {
        maybe_timestamp_duration(&mut b, cs_a, cr);
    } else if let (Some(sr_a), Some(_)) = (sr, ss) {
        maybe_timestamp_duration(&mut b, sr_a, ss);
    } else {
        // Incomplete RPC: undo the special-casing of the core annotations.
        for span in b.spans.iter_mut() {
            match span.kind {
                Some(Kind::Client) => {
                    if let Some(cs) = cs {
                        set_ts(span, cs.timestamp);
                    }
                    if let Some(cr) = cr {
                        span.annotations.push(Annotation { timestamp: cr.timestamp, value: cr.value.clone() });
                    }
                }
                Some(Kind::Server) => {
                    if let Some(sr) = sr {
                        set_ts(span, sr.timestamp);
                    }
                    if let Some(ss) = ss {
                        span.annotations.push(Annotation { timestamp: ss.timestamp, value: ss.value.clone() });
                    }
                }
                _ => {}
            }
        }
        if src_ts != 0 {
            let first = b.get(0);
            set_ts(first, src_ts);
            set_dur(first, Some(src_dur as i128));
        }
    }

    if cs.is_none() {
        if let Some(sr_a) = sr {
            if src_ts == 0 || (ss.is_some() && src_dur == 0) {
                let i = b.for_endpoint(sr_a.endpoint.as_ref());
                b.get(i).shared = Some(true);
            }
        }
    }

    if let (Some(ms_a), Some(mr_a)) = (ms, mr) {
        let producer = b.for_endpoint(ms_a.endpoint.as_ref());
        let consumer = if same_service(ms_a.endpoint.as_ref(), mr_a.endpoint.as_ref()) {
            b.get(producer).kind = Some(Kind::Producer);
            let e = mr_a.endpoint.clone().unwrap_or_default();
            let c = b.new_span(&e);
            b.get(c).kind = Some(Kind::Consumer);
            c
        } else {
            b.for_endpoint(mr_a.endpoint.as_ref())
        };
        let c = b.get(consumer);
        c.shared = Some(true);
        if let Some(wr) = wr {
            set_ts(c, wr.timestamp);
            set_dur(c, diff(mr_a.timestamp, wr.timestamp));
        } else {
            set_ts(c, mr_a.timestamp);
        }
        let p = b.get(producer);
        set_ts(p, ms_a.timestamp);
        set_dur(p, ws.and_then(|ws| diff(ws.timestamp, ms_a.timestamp)));
    } else if let Some(ms_a) = ms {
        maybe_timestamp_duration(&mut b, ms_a, ws);
    } else if let Some(mr_a) = mr {
        match wr {
            Some(wr_a) => maybe_timestamp_duration(&mut b, wr_a, Some(mr_a)),
            None => maybe_timestamp_duration(&mut b, mr_a, None),
        }
    } else {
        for a in [ws, wr].into_iter().flatten() {
            let i = b.for_endpoint(a.endpoint.as_ref());
            b.get(i).annotations.push(Annotation { timestamp: a.timestamp, value: a.value.clone() });
        }
    }

    convert_binary_annotations(&mut b, cs, sr, ss, cr, ms, mr);

    let mut out = b.spans;
    for span in out.iter_mut() {
        finish(span);
    }
    out
}

fn convert_binary_annotations(
    b: &mut Builders,
    cs: Option<&V1Annotation>,
    sr: Option<&V1Annotation>,
    ss: Option<&V1Annotation>,
    cr: Option<&V1Annotation>,
    ms: Option<&V1Annotation>,
    mr: Option<&V1Annotation>,
) {
    let source = b.source;
    let (mut ca, mut sa, mut ma): (Option<&Endpoint>, Option<&Endpoint>, Option<&Endpoint>) = (None, None, None);
    for ba in &source.binary_annotations {
        match &ba.value {
            V1Value::Bool(true) if ba.endpoint.is_some() && matches!(ba.key.as_str(), "ca" | "sa" | "ma") => {
                match ba.key.as_str() {
                    "ca" => ca = ba.endpoint.as_ref(),
                    "sa" => sa = ba.endpoint.as_ref(),
                    _ => ma = ba.endpoint.as_ref(),
                }
            }
            V1Value::Str(value) => {
                if matches!(ba.key.as_str(), "ca" | "sa" | "ma") {
                    continue; // an address key with a string value is not an address; Zipkin drops it
                }
                let i = b.for_endpoint(ba.endpoint.as_ref());
                if ba.key == "lc" && value.is_empty() {
                    continue;
                }
                b.get(i).tags.insert(ba.key.clone(), value.clone());
            }
            _ => {}
        }
    }

    let no_core = cs.is_none() && cr.is_none() && ss.is_none() && sr.is_none();
    if no_core && (ca.is_some() || sa.is_some()) {
        match (ca, sa) {
            (Some(ca), Some(sa)) => {
                let i = b.for_endpoint(Some(ca));
                b.get(i).remote_endpoint = Some(sa.clone());
            }
            (None, Some(sa)) => {
                b.get(0).remote_endpoint = Some(sa.clone());
            }
            (Some(ca), None) => {
                let first = b.get(0);
                first.kind = Some(Kind::Server);
                first.remote_endpoint = Some(ca.clone());
            }
            (None, None) => {}
        }
        return;
    }

    if let (Some(ca), Some(server)) = (ca, sr.or(ss)) {
        if server.endpoint.as_ref() != Some(ca) {
            let mut ca = ca.clone();
            if same_service(Some(&ca), server.endpoint.as_ref()) {
                ca.service_name = None;
            }
            let i = b.for_endpoint(server.endpoint.as_ref());
            b.get(i).remote_endpoint = Some(ca);
        }
    }
    if let Some(sa) = sa {
        if let Some(c) = cs.or(cr) {
            let i = b.for_endpoint(c.endpoint.as_ref());
            b.get(i).remote_endpoint = Some(sa.clone());
        }
    }
    if let Some(ma) = ma {
        for m in [ms, mr].into_iter().flatten() {
            let i = b.for_endpoint(m.endpoint.as_ref());
            b.get(i).remote_endpoint = Some(ma.clone());
        }
    }
}

/// What `Span.Builder.build()` enforces: no self-parent, no `shared` on a client, annotations
/// in time order without duplicates.
fn finish(span: &mut Span) {
    if span.parent_id.as_deref() == Some(span.id.as_str()) {
        span.parent_id = None;
    }
    if span.kind == Some(Kind::Client) {
        span.shared = None;
    }
    sorting::sort(&mut span.annotations);
    span.annotations.dedup();
}

#[cfg(test)]
mod tests {
    use super::*;

    fn ep(name: &str) -> Option<Endpoint> {
        Some(Endpoint { service_name: Some(name.into()), ..Endpoint::default() })
    }

    #[test]
    fn client_and_server_in_one_v1_span_split_into_two() {
        let v1 = V1Span {
            trace_id: "1".into(),
            id: "2".into(),
            timestamp: Some(10),
            duration: Some(100),
            annotations: vec![
                V1Annotation { timestamp: 10, value: "cs".into(), endpoint: ep("a") },
                V1Annotation { timestamp: 20, value: "sr".into(), endpoint: ep("b") },
                V1Annotation { timestamp: 90, value: "ss".into(), endpoint: ep("b") },
                V1Annotation { timestamp: 110, value: "cr".into(), endpoint: ep("a") },
            ],
            ..V1Span::default()
        };
        let out = convert_v1(&v1);
        assert_eq!(out.len(), 2);
        assert_eq!(out[0].kind, Some(Kind::Client));
        assert_eq!((out[0].timestamp, out[0].duration), (Some(10), Some(100)));
        assert_eq!(out[1].kind, Some(Kind::Server));
        assert_eq!(out[1].shared, Some(true));
        assert_eq!((out[1].timestamp, out[1].duration), (Some(20), Some(70)));
    }
}
