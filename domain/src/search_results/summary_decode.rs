//! A `/api/v2/traces` answer (`Span[][]`, JSON v2) read straight into trace summaries, with no
//! span ever built. A small scanner walks the answer once: the few fields a summary reads are
//! borrowed from it into a buffer reused from trace to trace, tags and annotations are reduced to
//! "has an `error`", and everything else is stepped over without being decoded. The page runs this
//! in code the browser has only just compiled (its baseline tier), where every instruction counts:
//! a generic serde pass took twice as long. Anything the scanner does not expect (a v1 body,
//! numbers written as strings, duplicate keys, bad JSON) goes through the full decoder instead, so
//! any Zipkin-like answer still works, a bad body gets that decoder's message, and summaries equal
//! `summarize` over the full decoder (tested here and on every fixture).
use super::super::decode::decode_traces;
use super::super::summary::{summarize, SummarySpan, TraceSummary};
use super::super::trace_model::ErrorKind;
use std::borrow::Cow;

/// Summaries of a `/traces` answer, in its order; an unreadable body's message as the error.
pub fn summarize_answer(json: &[u8]) -> Result<Vec<TraceSummary>, String> {
    let json = json.strip_prefix(&[0xEF, 0xBB, 0xBF][..]).unwrap_or(json);
    // Checked once up front (fast on ASCII), so every slice between quotes is valid text.
    let fast = std::str::from_utf8(json).ok().and_then(|text| Scanner { text, at: 0 }.answer());
    match fast {
        Some(summaries) => Ok(summaries),
        None => {
            decode_traces(json).map(|t| t.iter().map(|spans| summarize(spans)).collect()).map_err(|e| e.to_string())
        }
    }
}

/// What a summary reads of one span, borrowed from the answer (owned only when escaped).
#[derive(Default)]
struct ScannedSpan<'a> {
    trace_id: Cow<'a, str>,
    id: Cow<'a, str>,
    parent_id: Option<Cow<'a, str>>,
    name: Option<Cow<'a, str>>,
    timestamp: Option<u64>,
    duration: Option<u64>,
    local_service: Option<Cow<'a, str>>,
    remote_service: Option<Cow<'a, str>>,
    shared: bool,
    error_tag: bool,
    error_annotation: bool,
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
    fn timestamp(&self) -> Option<u64> {
        self.timestamp
    }
    fn duration(&self) -> Option<u64> {
        self.duration
    }
    fn local_service(&self) -> Option<&str> {
        self.local_service.as_deref()
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
}

/// The span fields the scanner reads, one bit each, to refuse a key given twice (as serde would).
const FIELDS: [&str; 11] = [
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
            summaries.push(summarize(&spans));
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
                "localEndpoint" => span.local_service = s.nullable(Self::service_name)?.flatten(),
                "remoteEndpoint" => span.remote_service = s.nullable(Self::service_name)?.flatten(),
                "annotations" => span.error_annotation = s.nullable(Self::has_error_annotation)? == Some(true),
                "tags" => span.error_tag = s.nullable(Self::has_error_tag)? == Some(true),
                _ => span.shared = s.nullable(Self::boolean)? == Some(true),
            }
            Some(())
        })?;
        span.trace_id = trace_id?;
        span.id = id?;
        Some(span)
    }

    /// An endpoint's `serviceName`; its other fields are stepped over.
    fn service_name(&mut self) -> Option<Option<Cow<'a, str>>> {
        let mut name = None;
        let mut seen = false;
        self.object(|s, key| {
            if key != "serviceName" {
                return s.skip_value();
            }
            if std::mem::replace(&mut seen, true) {
                return None;
            }
            name = s.nullable(Self::string)?;
            Some(())
        })?;
        Some(name)
    }

    fn has_error_tag(&mut self) -> Option<bool> {
        let mut error = false;
        self.object(|s, key| {
            error |= key == "error";
            s.skip_value()
        })?;
        Some(error)
    }

    fn has_error_annotation(&mut self) -> Option<bool> {
        let mut error = false;
        self.array(|s| {
            let mut seen = false;
            s.object(|s, key| {
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
        decode_traces(answer.as_bytes()).map(|t| t.iter().map(|s| summarize(s)).collect()).map_err(|e| e.to_string())
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
        assert_eq!(fast[1], summarize::<ScannedSpan>(&[]));
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
        ] {
            assert_eq!(scanned(answer), None, "{answer}");
            assert_eq!(summarize_answer(answer.as_bytes()), full(answer), "{answer}");
        }
        assert!(summarize_answer(b"{\"not\":\"traces\"}").is_err());
        assert!(summarize_answer(&[b'[', 0xff, b']']).is_err());
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
