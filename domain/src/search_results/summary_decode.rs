//! A `/api/v2/traces` answer (`Span[][]`, JSON v2) read straight into trace summaries. A small
//! scanner walks the answer once and borrows from it only what the trace page's pipeline reads
//! for a summary (ids, name, kind, timing, the local endpoint, the remote service, whether an
//! `error` tag or annotation is present, `shared`), into a buffer reused from trace to trace;
//! other tags, annotations and fields are stepped over without being decoded. An ordinary trace
//! is summarised from those borrowed fields (`summary::summarize_with`); any other is built into
//! spans and through the trace page's own model, so a result lists what its trace page shows.
//! The page runs this in code the browser has only just compiled (its baseline tier), where
//! every instruction counts: a generic serde pass took twice as long. Anything the scanner does
//! not expect (a v1 body, numbers written as strings, duplicate keys, bad JSON) goes through the
//! full decoder instead, so any Zipkin-like answer still works, a bad body gets that decoder's
//! message, and summaries equal the full decoder's (tested here, on every fixture and on
//! generated answers).
use super::super::clock_skew::Host;
use super::super::decode::decode_traces;
use super::super::span::{Annotation, Endpoint, Kind, Span, Tags};
use super::super::summary::{summarize_owned, summarize_with, SummarySpan, TraceSummary};
use super::super::trace_model::ErrorKind;
use std::borrow::Cow;

/// Summaries of a `/traces` answer, in its order; an unreadable body's message as the error.
pub fn summarize_answer(json: &[u8]) -> Result<Vec<TraceSummary>, String> {
    let json = json.strip_prefix(&[0xEF, 0xBB, 0xBF][..]).unwrap_or(json);
    // Checked once up front (fast on ASCII), so every slice between quotes is valid text.
    let fast = std::str::from_utf8(json).ok().and_then(|text| Scanner { text, at: 0 }.answer());
    match fast {
        Some(summaries) => Ok(summaries),
        None => decode_traces(json).map(|t| t.into_iter().map(summarize_owned).collect()).map_err(|e| e.to_string()),
    }
}

/// An endpoint as the scanner reads it, borrowed.
#[derive(Default)]
struct ScannedEndpoint<'a> {
    service_name: Option<Cow<'a, str>>,
    ipv4: Option<Cow<'a, str>>,
    ipv6: Option<Cow<'a, str>>,
    port: Option<u64>,
}

/// An endpoint's fields as the decoder keeps them (see `to_endpoint`), borrowed.
type EndpointFields<'e> = (Option<&'e str>, Option<&'e str>, Option<&'e str>, Option<u16>);

impl ScannedEndpoint<'_> {
    /// The fields `to_endpoint` would keep, without copying them; `None` when it keeps none.
    fn fields(&self) -> Option<EndpointFields<'_>> {
        let port = self.port.and_then(|p| u16::try_from(p).ok()).filter(|p| *p != 0);
        let f = (self.service_name.as_deref(), self.ipv4.as_deref(), self.ipv6.as_deref(), port);
        (f != (None, None, None, None)).then_some(f)
    }

    /// As the decoder reads it (`lenient::endpoint`): an out-of-range or zero port is absent, an
    /// endpoint with nothing set too.
    fn to_endpoint(&self) -> Option<Endpoint> {
        let owned = |v: &Option<Cow<str>>| v.as_deref().map(str::to_owned);
        let e = Endpoint {
            service_name: owned(&self.service_name),
            ipv4: owned(&self.ipv4),
            ipv6: owned(&self.ipv6),
            port: self.port.and_then(|p| u16::try_from(p).ok()).filter(|p| *p != 0),
        };
        (e != Endpoint::default()).then_some(e)
    }
}

/// What a summary reads of one span, borrowed from the answer (owned only when escaped).
#[derive(Default)]
struct ScannedSpan<'a> {
    trace_id: Cow<'a, str>,
    id: Cow<'a, str>,
    parent_id: Option<Cow<'a, str>>,
    name: Option<Cow<'a, str>>,
    kind: Option<Kind>,
    timestamp: Option<u64>,
    duration: Option<u64>,
    local: Option<ScannedEndpoint<'a>>,
    remote_service: Option<Cow<'a, str>>,
    shared: bool,
    error_tag: bool,
    error_annotation: bool,
}

impl ScannedSpan<'_> {
    /// The span the full decoder would build, less what no summary reads (other tags and
    /// annotations, remote addresses, `debug`).
    fn to_span(&self) -> Span {
        let owned = |v: &Option<Cow<str>>| v.as_deref().map(str::to_owned);
        Span {
            trace_id: self.trace_id.clone().into_owned(),
            id: self.id.clone().into_owned(),
            parent_id: owned(&self.parent_id),
            name: owned(&self.name),
            kind: self.kind,
            timestamp: self.timestamp,
            duration: self.duration,
            local_endpoint: self.local.as_ref().and_then(ScannedEndpoint::to_endpoint),
            remote_endpoint: owned(&self.remote_service)
                .map(|n| Endpoint { service_name: Some(n), ..Endpoint::default() }),
            annotations: if self.error_annotation {
                vec![Annotation { timestamp: 0, value: "error".to_owned() }]
            } else {
                Vec::new()
            },
            tags: if self.error_tag {
                Tags::from_pairs(vec![("error".to_owned(), String::new())])
            } else {
                Tags::new()
            },
            debug: None,
            shared: self.shared.then_some(true),
            detail: None,
        }
    }
}

impl SummarySpan for ScannedSpan<'_> {
    fn trace_id(&self) -> &str {
        &self.trace_id
    }
    fn id(&self) -> &str {
        &self.id
    }
    fn parent_id(&self) -> Option<&str> {
        self.parent_id.as_deref()
    }
    fn name(&self) -> Option<&str> {
        self.name.as_deref()
    }
    fn kind(&self) -> Option<Kind> {
        self.kind
    }
    fn timestamp(&self) -> Option<u64> {
        self.timestamp
    }
    fn duration(&self) -> Option<u64> {
        self.duration
    }
    /// As the decoder: an endpoint with nothing set is no endpoint (its service is `None` anyway).
    fn local_service(&self) -> Option<&str> {
        self.local.as_ref().and_then(|e| e.service_name.as_deref())
    }
    fn remote_service(&self) -> Option<&str> {
        self.remote_service.as_deref()
    }
    fn shared(&self) -> bool {
        self.shared
    }
    /// As `trace_model::span_error`: an `error` tag outranks an `error` annotation.
    fn error(&self) -> ErrorKind {
        if self.error_tag {
            ErrorKind::Critical
        } else if self.error_annotation {
            ErrorKind::Transient
        } else {
            ErrorKind::None
        }
    }
    /// As the decoder: an endpoint with nothing set (no name, address or valid port) is none.
    fn local_host(&self) -> Option<Host<'_>> {
        let (_, ipv4, ipv6, _) = self.local.as_ref()?.fields()?;
        Some(Host { ipv4, ipv6 })
    }
    fn same_local_endpoint(&self, other: &Self) -> bool {
        self.local.as_ref().and_then(ScannedEndpoint::fields) == other.local.as_ref().and_then(ScannedEndpoint::fields)
    }
}

/// The span fields the scanner reads, one bit each, to refuse a key given twice (as serde would).
/// `binaryAnnotations` makes a span v1: the scanner gives up on it (the full decoder converts it).
const FIELDS: [&str; 13] = [
    "traceId",
    "id",
    "parentId",
    "name",
    "timestamp",
    "duration",
    "localEndpoint",
    "remoteEndpoint",
    "annotations",
    "tags",
    "shared",
    "kind",
    "binaryAnnotations",
];

/// A cursor over the answer. Every method answers `None` on anything unexpected, which sends the
/// whole answer to the full decoder; none recurses, so no nesting depth can exhaust the stack.
struct Scanner<'a> {
    text: &'a str,
    at: usize,
}

impl<'a> Scanner<'a> {
    fn answer(mut self) -> Option<Vec<TraceSummary>> {
        let mut summaries = Vec::new();
        let mut spans: Vec<ScannedSpan<'a>> = Vec::new();
        self.array(|s| {
            spans.clear();
            s.array(|s| {
                spans.push(s.span()?);
                Some(())
            })?;
            summaries.push(summarize_with(&spans, || spans.iter().map(ScannedSpan::to_span).collect()));
            Some(())
        })?;
        self.skip_space();
        (self.at == self.text.len()).then_some(summaries)
    }

    /// Kept out of line on purpose: the browser swaps in optimised code for a function only
    /// between calls, so a span reader inlined into one long loop would run all 50,000 spans in
    /// its slow first-compiled form; called once per span, it is optimised after a few traces.
    #[inline(never)]
    fn span(&mut self) -> Option<ScannedSpan<'a>> {
        let mut span = ScannedSpan::default();
        let mut seen = 0u16;
        let (mut trace_id, mut id) = (None, None);
        self.object(|s, key| {
            let Some(field) = FIELDS.iter().position(|f| *f == key) else { return s.skip_value() };
            if seen & (1 << field) != 0 {
                return None;
            }
            seen |= 1 << field;
            match key {
                "traceId" => trace_id = Some(s.string()?),
                "id" => id = Some(s.string()?),
                "parentId" => span.parent_id = s.nullable(Self::string)?,
                "name" => span.name = s.nullable(Self::string)?,
                "timestamp" => span.timestamp = s.nullable(Self::integer)?,
                "duration" => span.duration = s.nullable(Self::integer)?,
                "kind" => span.kind = s.nullable(Self::kind)?.flatten(),
                "localEndpoint" => span.local = s.nullable(Self::endpoint)?,
                // Of the remote side a summary reads only the service (a leaf client's row).
                "remoteEndpoint" => span.remote_service = s.nullable(Self::endpoint)?.and_then(|e| e.service_name),
                "annotations" => span.error_annotation = s.nullable(Self::has_error_annotation)? == Some(true),
                "tags" => span.error_tag = s.nullable(Self::has_error_tag)? == Some(true),
                "shared" => span.shared = s.nullable(Self::boolean)? == Some(true),
                _ => return None, // binaryAnnotations: a v1 span
            }
            Some(())
        })?;
        // The decoder refuses a missing or empty id; its message is the one to show.
        span.trace_id = trace_id.filter(|t| !t.is_empty())?;
        span.id = id.filter(|t| !t.is_empty())?;
        Some(span)
    }

    /// A span kind as the decoder reads it: any case, unknown names as no kind.
    fn kind(&mut self) -> Option<Option<Kind>> {
        Some(Kind::from_name(&self.string()?))
    }

    /// An endpoint's fields; others are stepped over.
    fn endpoint(&mut self) -> Option<ScannedEndpoint<'a>> {
        let mut e = ScannedEndpoint::default();
        let mut seen = 0u8;
        self.object(|s, key| {
            let bit = match key {
                "serviceName" => 1,
                "ipv4" => 2,
                "ipv6" => 4,
                "port" => 8,
                _ => return s.skip_value(),
            };
            if seen & bit != 0 {
                return None;
            }
            seen |= bit;
            match bit {
                1 => e.service_name = s.nullable(Self::string)?,
                2 => e.ipv4 = s.nullable(Self::string)?,
                4 => e.ipv6 = s.nullable(Self::string)?,
                _ => e.port = s.nullable(Self::integer)?,
            }
            Some(())
        })?;
        Some(e)
    }

    /// Whether the tags hold `error`; as the decoder, a `null` value is no tag.
    fn has_error_tag(&mut self) -> Option<bool> {
        let mut error = false;
        self.object(|s, key| {
            if key != "error" {
                return s.skip_value();
            }
            if !s.literal(b"null") {
                error = true;
                s.skip_value()?;
            }
            Some(())
        })?;
        Some(error)
    }

    /// Whether an annotation's value is `error`. An annotation naming its endpoint is v1's: the
    /// scanner gives up (the full decoder converts it).
    fn has_error_annotation(&mut self) -> Option<bool> {
        let mut error = false;
        self.array(|s| {
            let mut seen = false;
            s.object(|s, key| {
                if key == "endpoint" {
                    return None;
                }
                if key != "value" {
                    return s.skip_value();
                }
                if std::mem::replace(&mut seen, true) {
                    return None;
                }
                error |= s.nullable(Self::string)?.as_deref() == Some("error");
                Some(())
            })
        })?;
        Some(error)
    }

    // ---- JSON shapes ------------------------------------------------------------------------

    /// `[v, …]`, calling `element` at the start of each element.
    fn array(&mut self, mut element: impl FnMut(&mut Self) -> Option<()>) -> Option<()> {
        self.expect(b'[')?;
        if self.eat(b']') {
            return Some(());
        }
        loop {
            element(self)?;
            match self.next_token()? {
                b',' => {}
                b']' => return Some(()),
                _ => return None,
            }
        }
    }

    /// `{"k": v, …}`, calling `field` with each key (escaped keys are refused) at its value.
    fn object(&mut self, mut field: impl FnMut(&mut Self, &'a str) -> Option<()>) -> Option<()> {
        self.expect(b'{')?;
        if self.eat(b'}') {
            return Some(());
        }
        loop {
            self.skip_space();
            let key = match self.string()? {
                Cow::Borrowed(key) => key,
                Cow::Owned(_) => return None,
            };
            self.expect(b':')?;
            field(self, key)?;
            match self.next_token()? {
                b',' => {}
                b'}' => return Some(()),
                _ => return None,
            }
        }
    }

    /// `null` as `None`, anything else read by `value`.
    fn nullable<T>(&mut self, value: impl FnOnce(&mut Self) -> Option<T>) -> Option<Option<T>> {
        if self.literal(b"null") {
            Some(None)
        } else {
            value(self).map(Some)
        }
    }

    fn string(&mut self) -> Option<Cow<'a, str>> {
        self.expect(b'"')?;
        let start = self.at;
        let bytes = self.text.as_bytes();
        let mut escaped = false;
        // A plain loop: the strings are short (ids, names), where a search routine's setup costs
        // more than it saves.
        loop {
            let b = *bytes.get(self.at)?;
            self.at += 1;
            match b {
                b'"' => break,
                // The escaped character is skipped (a `\uXXXX`'s digits are plain bytes).
                b'\\' => {
                    escaped = true;
                    self.at += 1;
                }
                0..=0x1f => return None, // a raw control character: not JSON
                _ => {}
            }
        }
        let end = self.at - 1;
        if escaped {
            // Rare: let serde_json undo the escapes of this one string. (From bytes, as every JSON
            // read in the app is: one copy of serde_json's parser in the wasm, not two.)
            serde_json::from_slice(self.text[start - 1..=end].as_bytes()).ok().map(Cow::Owned)
        } else {
            Some(Cow::Borrowed(&self.text[start..end]))
        }
    }

    /// A non-negative integer; anything else (a fraction, an exponent, a sign) is refused.
    fn integer(&mut self) -> Option<u64> {
        self.skip_space();
        let bytes = self.text.as_bytes();
        let start = self.at;
        let mut value = 0u64;
        while let Some(&b @ b'0'..=b'9') = bytes.get(self.at) {
            value = value.checked_mul(10)?.checked_add(u64::from(b - b'0'))?;
            self.at += 1;
        }
        let digits = self.at - start;
        let leading_zero = digits > 1 && bytes[start] == b'0';
        let more = matches!(bytes.get(self.at), Some(b'.' | b'e' | b'E'));
        (digits > 0 && !leading_zero && !more).then_some(value)
    }

    fn boolean(&mut self) -> Option<bool> {
        if self.literal(b"true") {
            Some(true)
        } else {
            self.literal(b"false").then_some(false)
        }
    }

    /// Steps over any value, nested ones included, with an explicit stack of open brackets.
    fn skip_value(&mut self) -> Option<()> {
        let mut open: Vec<u8> = Vec::new();
        loop {
            self.skip_space();
            let bytes = self.text.as_bytes();
            match *bytes.get(self.at)? {
                b'"' => {
                    self.string()?;
                }
                b'{' | b'[' => {
                    let close = if bytes[self.at] == b'{' { b'}' } else { b']' };
                    self.at += 1;
                    if !self.eat(close) {
                        open.push(close);
                        if close == b'}' {
                            self.key()?;
                        }
                        continue;
                    }
                }
                b't' | b'f' => {
                    self.boolean()?;
                }
                b'n' => self.literal(b"null").then_some(())?,
                b'-' | b'0'..=b'9' => self.skip_number()?,
                _ => return None,
            }
            // A value ended: close what it completes, then expect the next element, if any.
            loop {
                let Some(&close) = open.last() else { return Some(()) };
                match self.next_token()? {
                    b',' if close == b'}' => {
                        self.key()?;
                        break;
                    }
                    b',' => break,
                    c if c == close => {
                        open.pop();
                    }
                    _ => return None,
                }
            }
        }
    }

    /// An object key and its colon, in a value being stepped over.
    fn key(&mut self) -> Option<()> {
        self.skip_space();
        self.string()?;
        self.expect(b':')
    }

    fn skip_number(&mut self) -> Option<()> {
        let bytes = self.text.as_bytes();
        let start = self.at;
        while matches!(bytes.get(self.at), Some(b'0'..=b'9' | b'-' | b'+' | b'.' | b'e' | b'E')) {
            self.at += 1;
        }
        // Loosely checked; a number too odd for serde_json itself is refused here.
        self.text[start..self.at].parse::<f64>().ok().map(|_| ())
    }

    // ---- bytes ------------------------------------------------------------------------------

    fn skip_space(&mut self) {
        let bytes = self.text.as_bytes();
        while matches!(bytes.get(self.at), Some(b' ' | b'\n' | b'\r' | b'\t')) {
            self.at += 1;
        }
    }

    /// The next byte that is not space, consumed.
    fn next_token(&mut self) -> Option<u8> {
        self.skip_space();
        let b = *self.text.as_bytes().get(self.at)?;
        self.at += 1;
        Some(b)
    }

    fn expect(&mut self, byte: u8) -> Option<()> {
        (self.next_token()? == byte).then_some(())
    }

    /// Consumes `word` (`null`, `true`, `false`) if it comes next (after space).
    fn literal(&mut self, word: &[u8]) -> bool {
        self.skip_space();
        let hit = self.text.as_bytes()[self.at..].starts_with(word);
        self.at += if hit { word.len() } else { 0 };
        hit
    }

    /// Consumes `byte` if it comes next (after space).
    fn eat(&mut self, byte: u8) -> bool {
        self.skip_space();
        let hit = self.text.as_bytes().get(self.at) == Some(&byte);
        self.at += usize::from(hit);
        hit
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn full(answer: &str) -> Result<Vec<TraceSummary>, String> {
        decode_traces(answer.as_bytes())
            .map(|t| t.into_iter().map(summarize_owned).collect())
            .map_err(|e| e.to_string())
    }

    fn scanned(answer: &str) -> Option<Vec<TraceSummary>> {
        Scanner { text: answer, at: 0 }.answer()
    }

    const TRICKY: &str = r#" [ [ {"traceId":"00000000000000aa","id":"1","name":"get \"/x\" \u00e9\ud83d\ude00",
        "timestamp":0,"duration":5,"kind":"SERVER","debug":false,
        "localEndpoint":{"serviceName":"caf\u00e9","ipv4":"10.0.0.1","port":80},"tags":{"error":"","http.path":"/x"},
        "annotations":null,"remoteEndpoint":null,"extra":{"a":[1,-2.5e3,{"b":[true,false,null,{}]},[]],"c":"}]"}},
      {"traceId":"00000000000000aa","id":"2","parentId":"1","timestamp":10,"duration":3,"shared":true,
        "annotations":[{"timestamp":11,"value":"error"},{"value":null}],"tags":null,
        "localEndpoint":{"serviceName":null}} ], [] ] "#;

    #[test]
    fn the_scanner_reads_what_the_full_decoder_reads() {
        let fast = scanned(TRICKY).expect("the scanner reads it");
        assert_eq!(Ok(fast.clone()), full(TRICKY));
        assert_eq!(fast[0].root_name, "get \"/x\" é😀");
        assert_eq!(fast[0].error, ErrorKind::Critical);
        assert_eq!(fast[0].error_count, 2);
        assert_eq!(fast[1], summarize_owned(Vec::new()));
        assert_eq!(scanned("[]"), Some(vec![]));
    }

    #[test]
    fn anything_unexpected_goes_to_the_full_decoder() {
        for answer in [
            r#"[[{"traceId":"a","id":"1","timestamp":1.5}]]"#,
            r#"[[{"traceId":"a","id":"1","timestamp":"15"}]]"#,
            r#"[[{"traceId":"a","id":"1","id":"2"}]]"#,
            r#"[[{"traceId":"a","id":"1","tags":{"err\u006fr":""}}]]"#,
            r#"[[{"traceId":"a","id":"1","duration":-3}]]"#,
            r#"[[{"traceId":"a","id":"1","duration":012}]]"#,
            r#"[[{"id":"1"}]]"#,
            r#"[[{"traceId":"a","id":"1"}]] x"#,
            r#"[[{"traceId":"a","id":"1","x":[1,]}]]"#,
            r#"[[{"traceId":"a","id":"1","x":{"k" 1}}]]"#,
            r#"[[{"traceId":"a","id":"1","x":nul}]]"#,
            "[[{\"traceId\":\"a\",\"id\":\"1\",\"name\":\"tab\there\"}]]",
            r#"{"not":"traces"}"#,
            r#"[[{"traceId":"a","id":"1""#,
            // v1: converted by the full decoder.
            r#"[[{"traceId":"a","id":"1","binaryAnnotations":[{"key":"error","value":"x"}]}]]"#,
            r#"[[{"traceId":"a","id":"1","annotations":[{"timestamp":1,"value":"cs","endpoint":{"serviceName":"x"}}]}]]"#,
            // An empty id: the decoder's message.
            r#"[[{"traceId":"a","id":""}]]"#,
        ] {
            assert_eq!(scanned(answer), None, "{answer}");
            assert_eq!(summarize_answer(answer.as_bytes()), full(answer), "{answer}");
        }
        assert!(summarize_answer(b"{\"not\":\"traces\"}").is_err());
        assert!(summarize_answer(&[b'[', 0xff, b']']).is_err());
    }

    #[test]
    fn fields_read_as_the_decoder_reads_them() {
        // A `null` error tag is no tag; a lower-case kind is a kind; a port out of range is none.
        let answer = r#"[[{"traceId":"00000000000000aa","id":"00000000000000a1","kind":"server","timestamp":5,
            "duration":9,"tags":{"error":null},"localEndpoint":{"serviceName":"web","port":70000,"ipv4":"10.0.0.1"}},
          {"traceId":"00000000000000aa","id":"00000000000000a2","parentId":"00000000000000a1","kind":"client",
            "timestamp":6,"duration":2,"localEndpoint":{"serviceName":"web"},"remoteEndpoint":{"serviceName":"db","ipv4":"10.0.0.9"}}]]"#;
        let fast = scanned(answer).expect("the scanner reads it");
        assert_eq!(Ok(fast.clone()), full(answer));
        assert_eq!((fast[0].error, fast[0].error_count), (ErrorKind::None, 0));
        assert_eq!(fast[0].services.iter().map(|s| s.name.as_str()).collect::<Vec<_>>(), ["web", "db"]);
    }

    #[test]
    fn deep_nesting_in_a_skipped_value_never_exhausts_the_stack() {
        let deep = format!(r#"[[{{"traceId":"a","id":"1","x":{}{}}}]]"#, "[".repeat(200_000), "]".repeat(200_000));
        assert_eq!(scanned(&deep).map(|s| s.len()), Some(1));
    }

    #[test]
    fn a_byte_order_mark_is_skipped() {
        let answer = format!("\u{feff}{TRICKY}");
        assert_eq!(summarize_answer(answer.as_bytes()), full(TRICKY));
    }
}
