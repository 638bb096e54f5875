//! A response body not yet decoded, with the decoder for its backend's format. Pure (no fetch),
//! so the decoding and its failure wording are tested on the host.
use super::error::ApiError;

/// A body and how to read it: the caller decodes when it chooses, so it can show progress and
/// time each step, and the bytes are freed as soon as they are decoded.
pub struct Answer<T> {
    url: String,
    bytes: Vec<u8>,
    decode: fn(&[u8]) -> Result<T, String>,
}

impl<T> Answer<T> {
    /// The body of `url`, to be read by `decode` (which says what is wrong when it cannot).
    pub fn new(url: String, bytes: Vec<u8>, decode: fn(&[u8]) -> Result<T, String>) -> Answer<T> {
        Answer { url, bytes, decode }
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
        (self.decode)(&self.bytes).map_err(|message| ApiError::BadBody { url: self.url, message })
    }
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
        let answer = Answer::new("/api/v2/trace/a".into(), body.to_vec(), spans);
        assert_eq!(answer.len(), body.len());
        assert_eq!(answer.decode(), Ok(2));
    }

    #[test]
    fn a_body_in_another_format_is_a_bad_body_of_its_url() {
        let answer =
            Answer::new("/api/v2/traces?limit=1".into(), b"<html>proxy login</html>".to_vec(), summarize_answer);
        match answer.decode() {
            Err(ApiError::BadBody { url, message }) => {
                assert_eq!(url, "/api/v2/traces?limit=1");
                assert!(!message.is_empty());
            }
            other => panic!("expected a bad body, got {:?}", other.map(|s| s.len())),
        }
        assert!(Answer::new(String::new(), Vec::new(), spans).is_empty());
    }
}
