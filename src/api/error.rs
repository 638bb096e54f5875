//! What went wrong talking to the trace server, worded for an engineer in the middle of an incident:
//! the status, the server's own message (Zipkin answers 400/404/500 with plain text, Jaeger with a
//! JSON error envelope), why the server could not be reached, or that it speaks another API than
//! `config.json`'s `backend` says. The wording names the server the page is set up for.
use super::backend_kind::BackendKind;

/// A failed request to the trace server's API.
#[derive(Debug, Clone, PartialEq)]
pub enum ApiError {
    /// No HTTP answer at all: server down, wrong address, or a CORS refusal (browsers do not
    /// tell these apart, so the message names all three when the API is on another origin).
    Unreachable { url: String, cross_origin: bool },
    /// An HTTP error status, with the body's message when it had one, and the API whose error
    /// shape the body has, if any (`answer_shape`).
    Status { url: String, status: u16, status_text: String, message: String, looks_like: Option<BackendKind> },
    /// A 2xx answer whose body is not what the server's API sends.
    BadBody { url: String, message: String },
    /// The server answered in another API's shape than `config.json`'s `backend` names.
    WrongBackend { url: String, configured: BackendKind, looks_like: BackendKind },
    /// The server has no endpoint for this (Jaeger's API v3 before its dependencies endpoint).
    Unsupported { what: String, advice: String },
    /// The request took longer than the client waits.
    TimedOut { url: String, seconds: u32 },
    /// A newer request replaced this one, or the page went away; nothing to show.
    Cancelled,
}

impl ApiError {
    /// The HTTP status, when there was one.
    pub fn status(&self) -> Option<u16> {
        match self {
            ApiError::Status { status, .. } => Some(*status),
            _ => None,
        }
    }

    /// A short headline ("HTTP 500 Internal Server Error", "Zipkin API unreachable"), naming `server`,
    /// the backend the page is set up for.
    pub fn title(&self, server: BackendKind) -> String {
        let name = server.name();
        match self {
            ApiError::Unreachable { .. } => format!("{name} API unreachable"),
            ApiError::Status { status, status_text, .. } => format!("HTTP {status} {status_text}").trim_end().into(),
            ApiError::BadBody { .. } => format!("Unexpected answer from {name}"),
            ApiError::WrongBackend { configured, looks_like, .. } => {
                format!("This server looks like {}, not {}", looks_like.api_name(), configured.api_name())
            }
            ApiError::Unsupported { what, .. } => format!("{name} has no {what}"),
            ApiError::TimedOut { .. } => format!("{name} did not answer in time"),
            ApiError::Cancelled => "Request cancelled".into(),
        }
    }

    /// The details: the server's message or what to check.
    pub fn detail(&self, server: BackendKind) -> String {
        let name = server.name();
        match self {
            ApiError::Unreachable { url, cross_origin: true } => format!(
                "No answer from {url}. The server may be down or the address wrong, or it refused this page's \
                 origin (CORS): {}.",
                server.cors_advice()
            ),
            ApiError::Unreachable { url, cross_origin: false } => {
                format!("No answer from {url}. Is the {name} server running, and is apiBaseUrl in config.json right?")
            }
            ApiError::WrongBackend { url, configured, looks_like } => format!(
                "{url} answered as {} does. Set \"backend\": \"{}\" in config.json (it is \"{}\" now), or point \
                 apiBaseUrl at a server with {}.",
                looks_like.api_name(),
                looks_like.config_value(),
                configured.config_value(),
                configured.api_name()
            ),
            ApiError::Unsupported { advice, .. } => advice.clone(),
            ApiError::Status { url, message, .. } if message.is_empty() => format!("{url} answered with no message."),
            ApiError::Status { url, message, .. } => format!("{url}: {message}"),
            ApiError::BadBody { url, message } => format!("{url}: {message}"),
            ApiError::TimedOut { url, seconds } => format!("{url} gave no answer within {seconds} s."),
            ApiError::Cancelled => "A newer request replaced this one.".into(),
        }
    }
}

/// Worded for Zipkin, the default backend; pages word errors for their own backend (`ErrorView`).
impl std::fmt::Display for ApiError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        let server = BackendKind::default();
        write!(f, "{}: {}", self.title(server), self.detail(server))
    }
}

impl std::error::Error for ApiError {}

/// The message worth showing from an error body: plain text as is; a Jaeger error envelope's
/// message; for an HTML error page (a proxy's 502, a misrouted request) its `<title>` or its text
/// without tags; cut to a readable length.
pub fn error_body_message(body: &str) -> String {
    const MAX: usize = 500;
    let trimmed = body.trim();
    let looks_html = trimmed.starts_with('<') && trimmed.to_ascii_lowercase().contains("<html");
    let text = if looks_html {
        html_message(trimmed)
    } else {
        super::jaeger_answers::error_envelope_message(trimmed.as_bytes()).unwrap_or_else(|| trimmed.to_string())
    };
    let collapsed = text.split_whitespace().collect::<Vec<_>>().join(" ");
    match collapsed.char_indices().nth(MAX) {
        Some((cut, _)) => format!("{}…", &collapsed[..cut]),
        None => collapsed,
    }
}

fn html_message(html: &str) -> String {
    let lower = html.to_ascii_lowercase();
    if let (Some(start), Some(end)) = (lower.find("<title>"), lower.find("</title>")) {
        if start + 7 <= end {
            let title = html[start + 7..end].trim();
            if !title.is_empty() {
                return title.to_string();
            }
        }
    }
    let body = lower.find("<body").map(|i| &html[i..]).unwrap_or(html);
    let mut text = String::with_capacity(body.len());
    let mut in_tag = false;
    for c in body.chars() {
        match c {
            '<' => in_tag = true,
            '>' => {
                in_tag = false;
                text.push(' ');
            }
            c if !in_tag => text.push(c),
            _ => {}
        }
    }
    text
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn plain_text_bodies_are_kept() {
        assert_eq!(error_body_message("endTs <= 0\n"), "endTs <= 0");
    }

    #[test]
    fn html_error_pages_give_their_title() {
        let page = "<html><head><title>502 Bad Gateway</title></head><body><h1>502</h1></body></html>";
        assert_eq!(error_body_message(page), "502 Bad Gateway");
        let untitled = "<!DOCTYPE html><html><body><h1>Oops</h1><p>upstream died</p></body></html>";
        assert_eq!(error_body_message(untitled), "Oops upstream died");
    }

    #[test]
    fn long_bodies_are_cut() {
        let long = "x".repeat(2000);
        assert_eq!(error_body_message(&long).chars().count(), 501);
    }

    #[test]
    fn the_status_and_message_are_both_shown() {
        let e = ApiError::Status {
            url: "/api/v2/traces".into(),
            status: 400,
            status_text: "Bad Request".into(),
            message: "maxDuration is only valid with minDuration".into(),
            looks_like: None,
        };
        assert_eq!(e.title(BackendKind::Zipkin), "HTTP 400 Bad Request");
        assert!(e.to_string().contains("maxDuration is only valid with minDuration"));
    }

    #[test]
    fn jaeger_envelopes_give_their_message() {
        assert_eq!(
            error_body_message(
                r#"{"data":null,"total":0,"errors":[{"code":400,"msg":"parameter 'service' is required"}]}"#
            ),
            "parameter 'service' is required"
        );
        assert_eq!(
            error_body_message(r#"{"error":{"httpCode":400,"message":"malformed parameter query.num_traces"}}"#),
            "malformed parameter query.num_traces"
        );
        assert_eq!(error_body_message(r#"{"other":1}"#), r#"{"other":1}"#);
    }

    #[test]
    fn messages_name_the_configured_server_and_its_cors_setting() {
        let unreachable = ApiError::Unreachable { url: "https://j.example/api/v3/services".into(), cross_origin: true };
        assert_eq!(unreachable.title(BackendKind::Jaeger), "Jaeger API unreachable");
        assert_eq!(unreachable.title(BackendKind::Zipkin), "Zipkin API unreachable");
        assert!(unreachable.detail(BackendKind::Jaeger).contains("extensions.jaeger_query.http.cors.allowed_origins"));
        assert!(unreachable.detail(BackendKind::Zipkin).contains("ZIPKIN_QUERY_ALLOWED_ORIGINS"));
    }

    #[test]
    fn a_wrong_backend_says_which_it_looks_like_and_which_key_to_change() {
        let wrong = ApiError::WrongBackend {
            url: "/api/v2/services".into(),
            configured: BackendKind::Zipkin,
            looks_like: BackendKind::JaegerLegacy,
        };
        assert_eq!(
            wrong.title(BackendKind::Zipkin),
            "This server looks like Jaeger's legacy HTTP API, not Zipkin's API v2"
        );
        assert_eq!(
            wrong.detail(BackendKind::Zipkin),
            "/api/v2/services answered as Jaeger's legacy HTTP API does. Set \"backend\": \"jaeger-legacy\" in \
             config.json (it is \"zipkin\" now), or point apiBaseUrl at a server with Zipkin's API v2."
        );
    }
}
