//! Which trace format a file holds, judged from its content (never its name): Zipkin JSON (v2 or v1, a
//! trace or a list of traces), OTLP JSON (and JSON Lines), or Jaeger JSON.
//!
//! The judgement reads the keys of the first object only, and stops at the first key that only one format
//! uses, so a 100 MB file costs a few bytes of scanning before its decoder runs.

/// A trace file format, as the viewer names it and offers downloads in.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum FileFormat {
    /// Zipkin JSON v2 or v1: a list of spans, a list of traces, or one span.
    Zipkin,
    /// OTLP JSON: one `TracesData` / `ExportTraceServiceRequest` (or Jaeger v3's `{"result": ...}`).
    OtlpJson,
    /// OTLP JSON Lines: one `TracesData` per line (the Collector's file exporter).
    OtlpJsonLines,
    /// Jaeger JSON: `{data: [trace]}`, one trace, a list of traces, or one trace per line.
    JaegerJson,
}

impl FileFormat {
    /// The format's name in messages ("read as OTLP JSON: ...").
    pub fn name(self) -> &'static str {
        match self {
            FileFormat::Zipkin => "Zipkin JSON",
            FileFormat::OtlpJson => "OTLP JSON",
            FileFormat::OtlpJsonLines => "OTLP JSON Lines",
            FileFormat::JaegerJson => "Jaeger JSON",
        }
    }
}

/// Why no format was recognised.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Unrecognised {
    /// Nothing but white space.
    Empty,
    /// gzip-compressed bytes.
    Gzip,
    /// Bytes that are not text (a protobuf export, an image, ...).
    Binary,
    /// Text that does not start as JSON does.
    NotJson,
    /// JSON whose first object has no key of any trace format.
    UnknownJson,
}

impl Unrecognised {
    /// What to tell the person who opened the file.
    pub fn message(self) -> &'static str {
        match self {
            Unrecognised::Empty => "the file is empty; expected JSON spans (Zipkin, OTLP or Jaeger)",
            Unrecognised::Gzip => "the file is gzip-compressed; decompress it and open the JSON inside",
            Unrecognised::Binary => {
                "the file is binary, not JSON (an OTLP protobuf export?); open Zipkin, OTLP or Jaeger JSON"
            }
            Unrecognised::NotJson => "expected JSON: Zipkin spans, OTLP JSON or Jaeger JSON",
            Unrecognised::UnknownJson => {
                "JSON of no trace format: expected Zipkin spans, OTLP `resourceSpans` or Jaeger `data`/`spans`"
            }
        }
    }
}

/// What one key of a first object says about the format.
fn format_of_key(key: &[u8]) -> Option<FileFormat> {
    match key {
        // `error`: Jaeger v3's error answer, which the OTLP reader reports as such; `batches` and `trace`: Tempo's.
        b"resourceSpans" | b"resource_spans" | b"result" | b"error" | b"batches" | b"trace" => {
            Some(FileFormat::OtlpJson)
        }
        b"traceID" | b"spans" | b"processes" | b"data" | b"total" | b"limit" | b"offset" | b"errors" => {
            Some(FileFormat::JaegerJson)
        }
        b"traceId" | b"id" | b"parentId" | b"localEndpoint" | b"remoteEndpoint" | b"annotations"
        | b"binaryAnnotations" | b"kind" | b"shared" | b"debug" | b"timestamp" | b"duration" | b"name" | b"tags" => {
            Some(FileFormat::Zipkin)
        }
        _ => None,
    }
}

/// The format of `input` (a byte-order mark already removed). OTLP JSON is reported as `OtlpJson` whether or
/// not more lines follow: the decoder counts the documents.
pub fn detect_format(input: &[u8]) -> Result<FileFormat, Unrecognised> {
    let Some(first) = skip_ws(input, 0) else { return Err(Unrecognised::Empty) };
    match input[first] {
        b'{' => match first_decisive_key(input, first) {
            Some(format) => Ok(format),
            // `{}` is an empty TracesData (proto3 JSON leaves out an empty list).
            None if is_empty_object(input, first) => Ok(FileFormat::OtlpJson),
            None => Err(Unrecognised::UnknownJson),
        },
        b'[' => match skip_ws(input, first + 1).map(|i| (i, input[i])) {
            Some((i, b'{')) => Ok(first_decisive_key(input, i).unwrap_or(FileFormat::Zipkin)),
            // A list of traces, an empty list, or a list the Zipkin decoder places an error in (Zipkin has
            // always been what a list was read as).
            _ => Ok(FileFormat::Zipkin),
        },
        _ if input.starts_with(&[0x1f, 0x8b]) => Err(Unrecognised::Gzip),
        _ if looks_binary(input) => Err(Unrecognised::Binary),
        _ => Err(Unrecognised::NotJson),
    }
}

/// Control bytes other than white space, or bytes that are not UTF-8, in the first 512 bytes.
fn looks_binary(input: &[u8]) -> bool {
    let head = &input[..input.len().min(512)];
    let text = match std::str::from_utf8(head) {
        Ok(text) => text,
        // A multi-byte character cut at the 512th byte is still text.
        Err(e) if e.error_len().is_none() => std::str::from_utf8(&head[..e.valid_up_to()]).unwrap_or_default(),
        Err(_) => return true,
    };
    text.chars().any(|c| c.is_control() && !matches!(c, '\n' | '\r' | '\t'))
}

fn skip_ws(input: &[u8], mut at: usize) -> Option<usize> {
    while let Some(b) = input.get(at) {
        if !matches!(b, b' ' | b'\t' | b'\r' | b'\n') {
            return Some(at);
        }
        at += 1;
    }
    None
}

fn is_empty_object(input: &[u8], open: usize) -> bool {
    skip_ws(input, open + 1).is_some_and(|i| input[i] == b'}')
}

/// The first key of the object at `open` that names a format; values of other keys are skipped.
fn first_decisive_key(input: &[u8], open: usize) -> Option<FileFormat> {
    let mut at = open + 1;
    loop {
        at = skip_ws(input, at)?;
        if input[at] != b'"' {
            return None;
        }
        let end = string_end(input, at)?;
        if let Some(format) = format_of_key(&input[at + 1..end - 1]) {
            return Some(format);
        }
        at = skip_ws(input, end)?;
        if input[at] != b':' {
            return None;
        }
        at = value_end(input, skip_ws(input, at + 1)?)?;
        at = skip_ws(input, at)?;
        match input[at] {
            b',' => at += 1,
            _ => return None,
        }
    }
}

/// The index just past the string that opens at `open`.
fn string_end(input: &[u8], open: usize) -> Option<usize> {
    let mut at = open + 1;
    loop {
        let rel = memchr::memchr2(b'"', b'\\', input.get(at..)?)?;
        at += rel;
        if input[at] == b'\\' {
            at += 2;
        } else {
            return Some(at + 1);
        }
    }
}

/// The index just past the value that starts at `start` (nested objects and arrays skipped whole).
fn value_end(input: &[u8], start: usize) -> Option<usize> {
    match input[start] {
        b'"' => string_end(input, start),
        b'{' | b'[' => {
            let (mut depth, mut at) = (0usize, start);
            loop {
                match *input.get(at)? {
                    b'"' => {
                        at = string_end(input, at)?;
                        continue;
                    }
                    b'{' | b'[' => depth += 1,
                    b'}' | b']' => {
                        depth -= 1;
                        if depth == 0 {
                            return Some(at + 1);
                        }
                    }
                    _ => {}
                }
                at += 1;
            }
        }
        _ => {
            let rest = &input[start..];
            Some(
                start
                    + rest
                        .iter()
                        .position(|b| matches!(b, b',' | b'}' | b']' | b' ' | b'\t' | b'\r' | b'\n'))
                        .unwrap_or(rest.len()),
            )
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn detect(text: &str) -> Result<FileFormat, Unrecognised> {
        detect_format(text.as_bytes())
    }

    #[test]
    fn formats_are_told_apart_by_their_keys() {
        assert_eq!(detect(r#"[{"traceId":"a","id":"b"}]"#), Ok(FileFormat::Zipkin));
        assert_eq!(detect(r#"[[{"traceId":"a","id":"b"}]]"#), Ok(FileFormat::Zipkin));
        assert_eq!(detect("[]"), Ok(FileFormat::Zipkin));
        assert_eq!(detect(r#"{"traceId":"a","id":"b"}"#), Ok(FileFormat::Zipkin));
        assert_eq!(detect(r#"{"resourceSpans":[]}"#), Ok(FileFormat::OtlpJson));
        assert_eq!(detect(r#"{"result":{"resourceSpans":[]}}"#), Ok(FileFormat::OtlpJson));
        assert_eq!(detect(" {} "), Ok(FileFormat::OtlpJson));
        assert_eq!(detect(r#"{"data":[{"traceID":"a","spans":[]}]}"#), Ok(FileFormat::JaegerJson));
        assert_eq!(detect(r#"[{"traceID":"a","spans":[]}]"#), Ok(FileFormat::JaegerJson));
        assert_eq!(detect(r#"[{"x":1}]"#), Ok(FileFormat::Zipkin));
        // Keys no format uses are skipped, nested values and strings with escapes included.
        assert_eq!(detect(r#"{"x":{"a":["}",{"b":"\"]"}]},"y":1.5,"spans":[]}"#), Ok(FileFormat::JaegerJson));
    }

    #[test]
    fn what_is_not_a_trace_file_says_why() {
        assert_eq!(detect("  \n"), Err(Unrecognised::Empty));
        assert_eq!(detect_format(&[0x1f, 0x8b, 8, 0]), Err(Unrecognised::Gzip));
        assert_eq!(detect_format(&[0x0a, 0x10, 0x00, 0xff]), Err(Unrecognised::Binary));
        assert_eq!(detect("hello"), Err(Unrecognised::NotJson));
        assert_eq!(detect(r#"{"x":1}"#), Err(Unrecognised::UnknownJson));
        assert_eq!(detect(r#"{"x":"#), Err(Unrecognised::UnknownJson));
    }
}
