#![cfg(not(target_arch = "wasm32"))]
//! A round trip through each download format shows the same trace: every shared OTLP and Jaeger fixture (and
//! a Zipkin one) read, written as Zipkin v2, OTLP and Jaeger JSON, read again, gives the same rows (depth,
//! service, name, start, duration, error), the same links and the same events.
use spanscope_domain::decode::read_file;
use spanscope_domain::file_format::FileFormat;
use spanscope_domain::span::Span;
use spanscope_domain::span_events::bar_marks;
use spanscope_domain::trace_download::{encode_trace, DownloadFormat};
use spanscope_domain::trace_model::{ErrorKind, TraceModel};

/// A shared fixture: `../shared/fixtures` beside the repository, or where `SPANSCOPE_FIXTURES` says (a
/// git worktree elsewhere).
fn fixture(name: &str) -> Vec<u8> {
    let dir = std::env::var("SPANSCOPE_FIXTURES")
        .unwrap_or_else(|_| format!("{}/../../shared/fixtures", env!("CARGO_MANIFEST_DIR")));
    std::fs::read(format!("{dir}/{name}")).unwrap_or_else(|e| panic!("{dir}/{name}: {e}"))
}

type Row = (u32, String, String, u64, u64, ErrorKind, usize, Vec<String>);

/// What the waterfall shows of each row, and the marks and link count of its first span.
fn picture(spans: Vec<Span>) -> Vec<Row> {
    let model = TraceModel::build(spans);
    (0..model.row_count())
        .map(|r| {
            let row = model.row(r).unwrap();
            let span = model.span(row.span).unwrap();
            let links = span.detail.as_ref().map_or(0, |d| d.links.len());
            let marks = bar_marks(span).into_iter().map(|m| format!("{}@{}", m.label, m.timestamp)).collect();
            let (service, name) = (model.row_service_name(r).to_owned(), model.row_name(r).to_owned());
            (row.depth, service, name, row.start_us(false), row.duration, row.error, links, marks)
        })
        .collect()
}

fn without_errors(rows: &[Row]) -> Vec<Row> {
    rows.iter().map(|r| (r.0, r.1.clone(), r.2.clone(), r.3, r.4, ErrorKind::None, r.6, r.7.clone())).collect()
}

/// `errors_survive`: false for a Zipkin trace whose `error` tags carry messages, which the Collector's
/// Zipkin receiver does not read as an error status (only `error=true`), so OTLP and Jaeger lose them.
fn round_trip(name: &str, came_as: FileFormat, errors_survive: bool) {
    let file = read_file(&fixture(name)).unwrap_or_else(|e| panic!("{name}: {e}"));
    assert_eq!(file.format, came_as, "{name}");
    assert!(!file.traces.is_empty(), "{name}");
    for trace in &file.traces {
        let before = picture(trace.clone());
        assert!(!before.is_empty());
        for format in DownloadFormat::ALL {
            let bytes = encode_trace(trace, format);
            let again = read_file(&bytes).unwrap_or_else(|e| panic!("{name} as {format:?}: {e}"));
            assert_eq!(
                again.format,
                match format {
                    DownloadFormat::ZipkinV2 => FileFormat::Zipkin,
                    DownloadFormat::OtlpJson => FileFormat::OtlpJson,
                    DownloadFormat::JaegerJson => FileFormat::JaegerJson,
                }
            );
            assert_eq!(again.traces.len(), 1, "{name} as {format:?}: one trace written, one read");
            let after = picture(again.traces.into_iter().next().unwrap());
            // Zipkin JSON carries no typed links or events: the Collector's `otlp.link.N` tags and
            // `name|{attributes}|dropped` annotations stand for them, so there links are not counted and
            // marks compare by time (an unnamed event's annotation reads `|{...}|0`), once per time: Zipkin
            // merges identical annotations, as two unnamed events at one instant become.
            let zipkin_view = |rows: &[Row]| -> Vec<Row> {
                rows.iter()
                    .map(|r| {
                        let mut times: Vec<String> =
                            r.7.iter().map(|m| m.rsplit('@').next().unwrap_or_default().to_owned()).collect();
                        times.dedup();
                        (r.0, r.1.clone(), r.2.clone(), r.3, r.4, r.5, 0, times)
                    })
                    .collect()
            };
            assert_eq!(after.len(), before.len(), "{name} as {format:?}: rows");
            // Jaeger JSON holds µs: an OTLP span of 46,460,625 ns is 46,461 µs in Zipkin (rounded, as zipkin-go
            // writes it) but 46,460 µs in Jaeger, so durations there may differ by that one µs.
            let after = match format {
                DownloadFormat::JaegerJson => after
                    .into_iter()
                    .zip(&before)
                    .map(|(mut a, b)| {
                        if a.4.abs_diff(b.4) <= 1 {
                            a.4 = b.4;
                        }
                        a
                    })
                    .collect(),
                _ => after,
            };
            let (after, before) = match (format, errors_survive) {
                (DownloadFormat::ZipkinV2, _) => (zipkin_view(&after), zipkin_view(&before)),
                (_, true) => (after, before.clone()),
                (_, false) => (without_errors(&after), without_errors(&before)),
            };
            assert_eq!(after, before, "{name} as {format:?}");
        }
    }
}

#[test]
fn otlp_fixtures_survive_every_format() {
    round_trip("otlp/otlp-proto-example-trace.json", FileFormat::OtlpJson, true);
    round_trip("otlp/otlp-jaeger-link-attributes.json", FileFormat::OtlpJson, true);
    round_trip("otlp/otlp-jaeger-multi-service.json", FileFormat::OtlpJson, true);
    round_trip("otlp/otlp2jaeger-in.json", FileFormat::OtlpJson, true);
    round_trip("otlp/otlp-multi.jsonl", FileFormat::OtlpJsonLines, true);
}

#[test]
fn jaeger_fixtures_survive_every_format() {
    round_trip("jaeger/jaeger-ui-json-all-types.json", FileFormat::JaegerJson, true);
    round_trip("jaeger/otlp2jaeger-out.json", FileFormat::JaegerJson, true);
    round_trip("jaeger/jaeger-json-follows-from-error.json", FileFormat::JaegerJson, true);
}

#[test]
fn a_zipkin_trace_survives_every_format() {
    round_trip("zipkin/yelp.json", FileFormat::Zipkin, true);
    round_trip("zipkin/skew.json", FileFormat::Zipkin, true);
    round_trip("zipkin/messaging-kafka.json", FileFormat::Zipkin, false);
}

#[test]
fn the_link_fixture_keeps_its_links_and_their_attributes_in_otlp_and_jaeger() {
    let file = read_file(&fixture("otlp/otlp-jaeger-link-attributes.json")).unwrap();
    let original = file.traces[0][0].detail.clone().unwrap();
    assert_eq!(original.links.len(), 3);
    for format in [DownloadFormat::OtlpJson, DownloadFormat::JaegerJson] {
        let again = read_file(&encode_trace(&file.traces[0], format)).unwrap();
        let detail = again.traces[0][0].detail.clone().unwrap();
        let ids: Vec<(String, String)> = detail.links.iter().map(|l| (l.trace_id.clone(), l.span_id.clone())).collect();
        let expected: Vec<(String, String)> =
            original.links.iter().map(|l| (l.trace_id.clone(), l.span_id.clone())).collect();
        assert_eq!(ids, expected, "{format:?}");
        if format == DownloadFormat::OtlpJson {
            assert_eq!(detail.links, original.links, "OTLP keeps every link attribute and its type");
        }
    }
}
