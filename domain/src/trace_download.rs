//! A trace written out for download in each format Spanscope reads: Zipkin v2 JSON, OTLP JSON and
//! Jaeger JSON, whichever it came in (the spans as received, before cleaning; an OTLP or Jaeger span
//! from its lossless original, a Zipkin span as the Collector's receivers read one). Opening the
//! file again shows the same trace.
use super::file_format::FileFormat;
use super::jaeger_json::encode_jaeger_json;
use super::otlp_json::encode_otlp_json;
use super::span::Span;

/// A format a trace can be downloaded in.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum DownloadFormat {
    ZipkinV2,
    OtlpJson,
    JaegerJson,
}

impl DownloadFormat {
    pub const ALL: [DownloadFormat; 3] =
        [DownloadFormat::ZipkinV2, DownloadFormat::OtlpJson, DownloadFormat::JaegerJson];

    /// The format's name on the download menu.
    pub fn label(self) -> &'static str {
        match self {
            DownloadFormat::ZipkinV2 => "Zipkin v2 JSON",
            DownloadFormat::OtlpJson => "OTLP JSON",
            DownloadFormat::JaegerJson => "Jaeger JSON",
        }
    }

    /// The file name for trace `trace_id` (an id that is not a plain name is left out).
    pub fn file_name(self, trace_id: &str) -> String {
        let id: String = trace_id.chars().filter(|c| c.is_ascii_alphanumeric() || matches!(c, '-' | '_')).collect();
        let id = if id.is_empty() { "trace".to_owned() } else { format!("trace-{id}") };
        match self {
            DownloadFormat::ZipkinV2 => format!("{id}.zipkin.json"),
            DownloadFormat::OtlpJson => format!("{id}.otlp.json"),
            DownloadFormat::JaegerJson => format!("{id}.jaeger.json"),
        }
    }

    /// The download format of a file format (OTLP JSON Lines is offered back as one OTLP JSON document).
    pub fn of(format: FileFormat) -> DownloadFormat {
        match format {
            FileFormat::Zipkin => DownloadFormat::ZipkinV2,
            FileFormat::OtlpJson | FileFormat::OtlpJsonLines => DownloadFormat::OtlpJson,
            FileFormat::JaegerJson => DownloadFormat::JaegerJson,
        }
    }

    /// Every format, the one the trace came in first.
    pub fn offered(came_as: DownloadFormat) -> Vec<DownloadFormat> {
        let mut all = vec![came_as];
        all.extend(DownloadFormat::ALL.into_iter().filter(|f| *f != came_as));
        all
    }
}

/// The spans as a file of `format`.
pub fn encode_trace(spans: &[Span], format: DownloadFormat) -> Vec<u8> {
    match format {
        DownloadFormat::ZipkinV2 => serde_json::to_vec(spans).unwrap_or_default(),
        DownloadFormat::OtlpJson => encode_otlp_json(spans).into_bytes(),
        DownloadFormat::JaegerJson => encode_jaeger_json(spans).into_bytes(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn names_say_the_format_and_keep_only_plain_ids() {
        assert_eq!(DownloadFormat::OtlpJson.file_name("5b8e"), "trace-5b8e.otlp.json");
        assert_eq!(DownloadFormat::JaegerJson.file_name("../x"), "trace-x.jaeger.json");
        assert_eq!(DownloadFormat::ZipkinV2.file_name("//"), "trace.zipkin.json");
        let offered = DownloadFormat::offered(DownloadFormat::of(FileFormat::OtlpJsonLines));
        assert_eq!(offered, vec![DownloadFormat::OtlpJson, DownloadFormat::ZipkinV2, DownloadFormat::JaegerJson]);
    }
}
