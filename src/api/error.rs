//! What went wrong talking to Zipkin, worded for an engineer in the middle of an incident:
//! the status, the server's own message (Zipkin answers 400/404/500 with plain text), or why
//! the server could not be reached.

/// A failed request to the Zipkin API.
#[derive(Debug, Clone, PartialEq)]
pub enum ApiError {
    /// No HTTP answer at all: server down, wrong address, or a CORS refusal (browsers do not
    /// tell these apart, so the message names all three when the API is on another origin).
    Unreachable { url: String, cross_origin: bool },
    /// An HTTP error status, with the body's message when it had one.
    Status { url: String, status: u16, status_text: String, message: String },
    /// A 2xx answer whose body is not what Zipkin sends.
    BadBody { url: String, message: String },
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

    /// A short headline ("HTTP 500 Internal Server Error", "Zipkin unreachable").
    pub fn title(&self) -> String {
        match self {
            ApiError::Unreachable { .. } => "Zipkin API unreachable".into(),
            ApiError::Status { status, status_text, .. } => format!("HTTP {status} {status_text}").trim_end().into(),
            ApiError::BadBody { .. } => "Unexpected answer from Zipkin".into(),
            ApiError::TimedOut { .. } => "Zipkin did not answer in time".into(),
            ApiError::Cancelled => "Request cancelled".into(),
        }
    }

    /// The details: the server's message or what to check.
    pub fn detail(&self) -> String {
        match self {
            ApiError::Unreachable { url, cross_origin: true } => format!(
                "No answer from {url}. The server may be down or the address wrong, or it refused this page's \
                 origin (CORS): set ZIPKIN_QUERY_ALLOWED_ORIGINS on the Zipkin server."
            ),
            ApiError::Unreachable { url, cross_origin: false } => {
                format!("No answer from {url}. Is the Zipkin server running, and is apiBaseUrl in config.json right?")
            }
            ApiError::Status { url, message, .. } if message.is_empty() => format!("{url} answered with no message."),
            ApiError::Status { url, message, .. } => format!("{url}: {message}"),
            ApiError::BadBody { url, message } => format!("{url}: {message}"),
            ApiError::TimedOut { url, seconds } => format!("{url} gave no answer within {seconds} s."),
            ApiError::Cancelled => "A newer request replaced this one.".into(),
        }
    }
}

impl std::fmt::Display for ApiError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "{}: {}", self.title(), self.detail())
    }
}

impl std::error::Error for ApiError {}

/// The message worth showing from an error body: plain text as is; for an HTML error page (a
/// proxy's 502, a misrouted request) its `<title>` or its text without tags; cut to a readable length.
pub fn error_body_message(body: &str) -> String {
    const MAX: usize = 500;
    let trimmed = body.trim();
    let looks_html = trimmed.starts_with('<') && trimmed.to_ascii_lowercase().contains("<html");
    let text = if looks_html { html_message(trimmed) } else { trimmed.to_string() };
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
        };
        assert_eq!(e.title(), "HTTP 400 Bad Request");
        assert!(e.to_string().contains("maxDuration is only valid with minDuration"));
    }
}
