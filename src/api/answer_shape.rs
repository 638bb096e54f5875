//! Which server an answer came from, judged by its first bytes: Zipkin answers JSON lists, Jaeger's
//! legacy API `{"data": …}` envelopes, its API v3 `{"result": …}`, `{"services": …}` or `{"error": …}`,
//! and a Jaeger or Zipkin UI's HTML page names itself in its title. Pure and cheap (a big trace is not
//! parsed twice), so a wrong `backend` setting can be named instead of showing a blank page.
use super::backend_kind::BackendKind;

/// What a body looks like.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum AnswerShape {
    /// An answer of this API.
    Api(BackendKind),
    /// An HTML page, with the product its title names (`Jaeger UI` → Jaeger, `Zipkin` → Zipkin).
    Html { product: Option<&'static str> },
    /// Empty, `{}`, or JSON of no known API.
    Unknown,
}

/// The shape of `body`.
pub fn answer_shape(body: &[u8]) -> AnswerShape {
    let body = body.strip_prefix(&[0xEF, 0xBB, 0xBF][..]).unwrap_or(body);
    let start = body.iter().position(|b| !b.is_ascii_whitespace()).unwrap_or(body.len());
    let body = &body[start..];
    match body.first() {
        Some(b'[') => AnswerShape::Api(BackendKind::Zipkin),
        Some(b'<') => AnswerShape::Html { product: html_product(body) },
        Some(b'{') => match first_key(body) {
            Some("data" | "errors" | "total" | "limit" | "offset") => AnswerShape::Api(BackendKind::JaegerLegacy),
            Some("result" | "services" | "operations" | "error" | "dependencies") => {
                AnswerShape::Api(BackendKind::Jaeger)
            }
            _ => AnswerShape::Unknown,
        },
        _ => AnswerShape::Unknown,
    }
}

/// The first key of the JSON object `body` starts with, if it is plain text.
pub fn first_key(body: &[u8]) -> Option<&str> {
    let body = body.strip_prefix(&[0xEF, 0xBB, 0xBF][..]).unwrap_or(body);
    let start = body.iter().position(|b| !b.is_ascii_whitespace())?;
    let after_brace = body[start..].strip_prefix(b"{")?;
    let start = after_brace.iter().position(|b| !b.is_ascii_whitespace())?;
    let rest = after_brace[start..].strip_prefix(b"\"")?;
    let end = rest.iter().position(|b| *b == b'"' || *b == b'\\')?;
    std::str::from_utf8(&rest[..end]).ok()
}

/// The product a page's `<title>` names, looked for in its first 4 KB.
fn html_product(body: &[u8]) -> Option<&'static str> {
    let head = String::from_utf8_lossy(&body[..body.len().min(4096)]).to_ascii_lowercase();
    let title = head.split("<title>").nth(1)?.split("</title>").next()?;
    if title.contains("jaeger") {
        Some("Jaeger")
    } else if title.contains("zipkin") {
        Some("Zipkin")
    } else if title.contains("spanscope") {
        Some("Spanscope")
    } else {
        None
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn each_api_is_told_by_its_first_key() {
        assert_eq!(answer_shape(b" [\"frontend\"]"), AnswerShape::Api(BackendKind::Zipkin));
        assert_eq!(answer_shape(br#"{"data":["a"],"total":1}"#), AnswerShape::Api(BackendKind::JaegerLegacy));
        assert_eq!(
            answer_shape(br#"{"data":null,"errors":[{"code":404,"msg":"trace not found"}]}"#),
            AnswerShape::Api(BackendKind::JaegerLegacy)
        );
        assert_eq!(answer_shape(b"{\n \"result\":{\"resourceSpans\":[]}}"), AnswerShape::Api(BackendKind::Jaeger));
        assert_eq!(answer_shape(br#"{"services":["a"]}"#), AnswerShape::Api(BackendKind::Jaeger));
        assert_eq!(
            answer_shape(br#"{"error":{"httpCode":404,"message":"No traces found"}}"#),
            AnswerShape::Api(BackendKind::Jaeger)
        );
        assert_eq!(answer_shape(b"{}"), AnswerShape::Unknown);
        assert_eq!(answer_shape(b"404 page not found\n"), AnswerShape::Unknown);
        assert_eq!(answer_shape(b""), AnswerShape::Unknown);
    }

    #[test]
    fn ui_pages_name_their_product() {
        let jaeger = b"<!doctype html><html lang=\"en\"><head><title>Jaeger UI</title></head><body></body></html>";
        assert_eq!(answer_shape(jaeger), AnswerShape::Html { product: Some("Jaeger") });
        let lens = b"<html><head><TITLE>Zipkin</TITLE></head></html>";
        assert_eq!(answer_shape(lens), AnswerShape::Html { product: Some("Zipkin") });
        assert_eq!(answer_shape(b"<html><title>502 Bad Gateway</title></html>"), AnswerShape::Html { product: None });
    }
}
