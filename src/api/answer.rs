//! A response body not yet decoded, with the decoder for its backend's format. Pure (no fetch),
//! so the decoding and its failure wording are tested on the host. A body in another API's shape
//! (a Jaeger envelope where Zipkin JSON was expected) is named as such, not as unreadable.
use super::answer_shape::{answer_shape, AnswerShape};
use super::backend_kind::BackendKind;
use super::error::ApiError;

/// A body and how to read it: the caller decodes when it chooses, so it can show progress and
/// time each step, and the bytes are freed as soon as they are decoded.
pub struct Answer<T> {
    url: String,
    bytes: Vec<u8>,
    server: BackendKind,
    decode: fn(&[u8]) -> Result<T, String>,
}

impl<T> Answer<T> {
    /// The body of `url` from a `server`, to be read by `decode` (which says what is wrong when it cannot).
    pub fn new(url: String, bytes: Vec<u8>, server: BackendKind, decode: fn(&[u8]) -> Result<T, String>) -> Answer<T> {
        Answer { url, bytes, server, decode }
    }

    /// The size of the body in bytes.
    pub fn len(&self) -> usize {
        self.bytes.len()
    }

    pub fn is_empty(&self) -> bool {
        self.bytes.is_empty()
    }

    /// Decodes the body (freeing it); a body in no format the backend sends is an
    /// [`ApiError::BadBody`] naming the URL it came from.
    pub fn decode(self) -> Result<T, ApiError> {
        decode_as(self.server, &self.url, &self.bytes, self.decode)
    }
}

/// `bytes` of `url` read by `decode`, for a `server` of this kind: a body in another API's shape is
/// an [`ApiError::WrongBackend`] (told by its first bytes, before decoding), one `decode` cannot read
/// an [`ApiError::BadBody`].
pub fn decode_as<T>(
    server: BackendKind,
    url: &str,
    bytes: &[u8],
    decode: fn(&[u8]) -> Result<T, String>,
) -> Result<T, ApiError> {
    if let AnswerShape::Api(looks_like) = answer_shape(bytes) {
        if looks_like != server {
            return Err(ApiError::WrongBackend { url: url.to_string(), configured: server, looks_like });
        }
    }
    decode(bytes).map_err(|message| ApiError::BadBody { url: url.to_string(), message })
}

#[cfg(test)]
mod tests {
    use super::*;
    use spanscope_domain::decode::decode_spans;
    use spanscope_domain::search_results::summarize_answer;

    fn spans(bytes: &[u8]) -> Result<usize, String> {
        decode_spans(bytes).map(|s| s.len()).map_err(|e| e.to_string())
    }

    #[test]
    fn a_body_decodes_with_its_backends_decoder() {
        let body = br#"[{"traceId":"a","id":"1","name":"get","timestamp":1,"duration":2},
                        {"traceId":"a","id":"2","parentId":"1","name":"db","timestamp":1,"duration":1}]"#;
        let answer = Answer::new("/api/v2/trace/a".into(), body.to_vec(), BackendKind::Zipkin, spans);
        assert_eq!(answer.len(), body.len());
        assert_eq!(answer.decode(), Ok(2));
    }

    #[test]
    fn a_body_in_another_format_is_a_bad_body_of_its_url() {
        let answer = Answer::new(
            "/api/v2/traces?limit=1".into(),
            b"<html>proxy login</html>".to_vec(),
            BackendKind::Zipkin,
            summarize_answer,
        );
        match answer.decode() {
            Err(ApiError::BadBody { url, message }) => {
                assert_eq!(url, "/api/v2/traces?limit=1");
                assert!(!message.is_empty());
            }
            other => panic!("expected a bad body, got {:?}", other.map(|s| s.len())),
        }
        assert!(Answer::new(String::new(), Vec::new(), BackendKind::Zipkin, spans).is_empty());
    }

    #[test]
    fn another_apis_answer_names_that_api() {
        let v3 = br#"{"result":{"resourceSpans":[]}}"#.to_vec();
        let answer = Answer::new("/api/v2/trace/a".into(), v3, BackendKind::Zipkin, spans);
        assert_eq!(
            answer.decode(),
            Err(ApiError::WrongBackend {
                url: "/api/v2/trace/a".into(),
                configured: BackendKind::Zipkin,
                looks_like: BackendKind::Jaeger
            })
        );
        let zipkin_list = b"[\"frontend\"]";
        assert_eq!(
            decode_as(BackendKind::JaegerLegacy, "/api/services", zipkin_list, |_| Ok(())),
            Err(ApiError::WrongBackend {
                url: "/api/services".into(),
                configured: BackendKind::JaegerLegacy,
                looks_like: BackendKind::Zipkin
            })
        );
        assert_eq!(decode_as(BackendKind::Jaeger, "/api/v3/services", b"{}", |_| Ok(7)), Ok(7));
    }
}
