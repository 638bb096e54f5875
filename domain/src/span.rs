//! The Zipkin v2 span as it travels over the wire (ZIPKIN.md §2): the contract shared by
//! the decoder, the devserver's storage and every later pass.
//!
//! Empty fields are omitted when written; explicit `null`s are accepted when read, because
//! some clients send them for absent lists and maps.
use super::span_detail::SpanDetail;
pub use super::tags::Tags;
use serde::{Deserialize, Deserializer, Serialize};

/// The role of a span in an RPC or messaging exchange.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(rename_all = "UPPERCASE")]
pub enum Kind {
    Client,
    Server,
    Producer,
    Consumer,
}

impl Kind {
    /// A kind as Zipkin's decoders read it: any letter case; an unknown name is no kind.
    pub fn from_name(name: &str) -> Option<Kind> {
        let is = |k: &str| name.eq_ignore_ascii_case(k);
        if is("CLIENT") {
            Some(Kind::Client)
        } else if is("SERVER") {
            Some(Kind::Server)
        } else if is("PRODUCER") {
            Some(Kind::Producer)
        } else if is("CONSUMER") {
            Some(Kind::Consumer)
        } else {
            None
        }
    }
}

/// A network endpoint: the service that recorded a span, or the one it talked to.
#[derive(Debug, Clone, Default, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct Endpoint {
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub service_name: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub ipv4: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub ipv6: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub port: Option<u16>,
}

/// A timestamped event inside a span (epoch microseconds).
#[derive(Debug, Clone, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
pub struct Annotation {
    pub timestamp: u64,
    pub value: String,
}

/// One Zipkin v2 span. Timestamps and durations are microseconds.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct Span {
    pub trace_id: String,
    pub id: String,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub parent_id: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub name: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub kind: Option<Kind>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub timestamp: Option<u64>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub duration: Option<u64>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub local_endpoint: Option<Endpoint>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub remote_endpoint: Option<Endpoint>,
    #[serde(default, deserialize_with = "null_as_default", skip_serializing_if = "Vec::is_empty")]
    pub annotations: Vec<Annotation>,
    #[serde(default, deserialize_with = "null_as_default", skip_serializing_if = "Tags::is_empty")]
    pub tags: Tags,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub debug: Option<bool>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub shared: Option<bool>,
    /// What OTLP or Jaeger sent beyond Zipkin's fields (typed attributes, events, links, status, resource,
    /// scope), kept losslessly; `None` for a Zipkin span. Not part of Zipkin's JSON.
    #[serde(skip)]
    pub detail: Option<Box<SpanDetail>>,
}

impl Span {
    /// The local service name, if the span names one.
    pub fn local_service(&self) -> Option<&str> {
        self.local_endpoint.as_ref().and_then(|e| e.service_name.as_deref())
    }

    /// The remote service name, if the span names one.
    pub fn remote_service(&self) -> Option<&str> {
        self.remote_endpoint.as_ref().and_then(|e| e.service_name.as_deref())
    }
}

/// Reads `null` as the type's default (an empty list or map).
fn null_as_default<'de, D, T>(deserializer: D) -> Result<T, D::Error>
where
    D: Deserializer<'de>,
    T: Default + Deserialize<'de>,
{
    Ok(Option::<T>::deserialize(deserializer)?.unwrap_or_default())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn explicit_nulls_read_as_absent() {
        let span: Span = serde_json::from_str(
            r#"{"traceId":"a","id":"b","parentId":null,"annotations":null,"tags":null,"kind":"SERVER","extra":1}"#,
        )
        .unwrap();
        assert_eq!(span.parent_id, None);
        assert!(span.annotations.is_empty() && span.tags.is_empty());
        assert_eq!(span.kind, Some(Kind::Server));
    }

    #[test]
    fn empty_fields_are_omitted_when_written() {
        let span = Span { trace_id: "a".into(), id: "b".into(), ..Span::default() };
        assert_eq!(serde_json::to_string(&span).unwrap(), r#"{"traceId":"a","id":"b"}"#);
    }
}
