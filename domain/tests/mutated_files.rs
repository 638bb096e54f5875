//! The fuzz target's promise for OTLP and Jaeger files, kept in `make test`: every shared OTLP and Jaeger fixture,
//! cut at every byte or mutated at random (bytes flipped, ranges deleted or repeated), is read without a panic;
//! what reads still draws (links, events, every download format, rows), and what does not gets a message with a
//! position inside the file. (`fuzz/` runs the same pipeline unguided under libFuzzer.)
use proptest::prelude::*;
use spanscope_domain::decode::{read_file, FileFormat};
use spanscope_domain::rows::{visible_rows, RowOptions};
use spanscope_domain::span_events::bar_marks;
use spanscope_domain::span_links::SpanLinks;
use spanscope_domain::trace_download::{encode_trace, DownloadFormat};
use spanscope_domain::trace_model::TraceModel;

const FIXTURES: &[&str] = &[
    "otlp/otlp-jaeger-link-attributes.json",
    "otlp/otlp-jaeger-multi-service.json",
    "otlp/otlp-multi.jsonl",
    "otlp/otlp-proto-example-trace.json",
    "otlp/otlp2jaeger-in.json",
    "jaeger/jaeger-json-follows-from-error.json",
    "jaeger/jaeger-ui-json-all-types.json",
    "jaeger/otlp2jaeger-out.json",
];

fn fixture(path: &str) -> Vec<u8> {
    let full = format!("{}/../../shared/fixtures/{}", env!("CARGO_MANIFEST_DIR"), path);
    std::fs::read(&full).unwrap_or_else(|e| panic!("{full}: {e}"))
}

/// Reads `bytes` as a dropped file and, if it reads, runs what the trace page runs on it. An error must point
/// inside the file: a line that exists and a column no longer than that line (plus one, for "at its end").
fn read_and_draw(bytes: &[u8]) -> Result<(), String> {
    match read_file(bytes) {
        Ok(file) => {
            for spans in file.traces {
                for span in &spans {
                    let _ = bar_marks(span);
                }
                for format in DownloadFormat::ALL {
                    read_file(&encode_trace(&spans, format))
                        .map_err(|e| format!("{format:?} download of a file that read does not read: {e}"))?;
                }
                let model = TraceModel::build(spans);
                let _ = SpanLinks::resolve(&model, &[]);
                let _ = visible_rows(&model, &RowOptions { skew: true, ..RowOptions::default() });
            }
            Ok(())
        }
        Err(e) => {
            let lines: Vec<&[u8]> = bytes.split(|&b| b == b'\n').collect();
            let line_len = lines.get(e.line.saturating_sub(1)).map_or(0, |l| l.len());
            if e.line == 0 || e.line > lines.len().max(1) || e.column > line_len + 1 {
                return Err(format!("{e}: position outside the file ({} lines)", lines.len()));
            }
            Ok(())
        }
    }
}

#[test]
fn every_fixture_cut_at_every_byte_reads_or_says_where() {
    for path in FIXTURES {
        let bytes = fixture(path);
        let whole = read_file(&bytes).unwrap_or_else(|e| panic!("{path}: {e}"));
        assert!(matches!(whole.format, FileFormat::OtlpJson | FileFormat::OtlpJsonLines | FileFormat::JaegerJson));
        // Every cut of small files, about 2,000 cuts of larger ones.
        let step = (bytes.len() / 2_000).max(1);
        for cut in (0..bytes.len()).step_by(step) {
            let short = &bytes[..cut];
            if let Err(why) = read_and_draw(short) {
                panic!("{path} cut at {cut}: {why}");
            }
            // A truncated OTLP or Jaeger document is an error that names the format; a cut may still leave a
            // valid document only where a JSON Lines file ends a line.
            if cut > 0 && cut < bytes.len() {
                if let Err(e) = read_file(short) {
                    let text = e.to_string();
                    assert!(text.contains("line "), "{path} cut at {cut}: {text}");
                }
            }
        }
    }
}

#[derive(Debug, Clone)]
enum Mutation {
    Flip { at: usize, byte: u8 },
    Delete { at: usize, len: usize },
    Repeat { at: usize, len: usize },
}

fn apply(bytes: &mut Vec<u8>, mutation: &Mutation) {
    let n = bytes.len().max(1);
    match *mutation {
        Mutation::Flip { at, byte } => {
            if !bytes.is_empty() {
                bytes[at % n] = byte;
            }
        }
        Mutation::Delete { at, len } => {
            let from = (at % n).min(bytes.len());
            let to = (from + len).min(bytes.len());
            bytes.drain(from..to);
        }
        Mutation::Repeat { at, len } => {
            let from = (at % n).min(bytes.len());
            let to = (from + len).min(bytes.len());
            let copy = bytes[from..to].to_vec();
            bytes.splice(to..to, copy);
        }
    }
}

fn arb_mutation() -> impl Strategy<Value = Mutation> {
    // Bytes a JSON parser cares about, and any byte.
    let byte = prop_oneof![proptest::sample::select(b"{}[]\",:0-9eE.+ \n\\tfnu".to_vec()), any::<u8>(),];
    prop_oneof![
        (any::<usize>(), byte).prop_map(|(at, byte)| Mutation::Flip { at, byte }),
        (any::<usize>(), 1..40usize).prop_map(|(at, len)| Mutation::Delete { at, len }),
        (any::<usize>(), 1..400usize).prop_map(|(at, len)| Mutation::Repeat { at, len }),
    ]
}

proptest! {
    #![proptest_config(ProptestConfig { cases: 400, ..ProptestConfig::default() })]

    #[test]
    fn mutated_fixtures_never_panic(
        which in 0..FIXTURES.len(),
        mutations in proptest::collection::vec(arb_mutation(), 1..6),
    ) {
        let mut bytes = fixture(FIXTURES[which]);
        for m in &mutations {
            apply(&mut bytes, m);
        }
        prop_assert_eq!(read_and_draw(&bytes), Ok(()));
    }
}
