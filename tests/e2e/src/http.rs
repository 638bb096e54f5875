//! Tiny HTTP helpers for a test: a canned server (a host page, a stand-in API) and a plain GET.

/// A tiny HTTP/1.1 server for a test (a host page, a canned API): `answer` maps the request line
/// (`GET /path HTTP/1.1`) to a status, a content type and a body; CORS is open. Stops when the
/// returned task is aborted or the test ends.
pub fn serve_http(
    listener: tokio::net::TcpListener,
    answer: impl Fn(&str) -> (u16, &'static str, Vec<u8>) + Send + Sync + 'static,
) -> tokio::task::JoinHandle<()> {
    use tokio::io::AsyncWriteExt;
    let answer = std::sync::Arc::new(answer);
    tokio::spawn(async move {
        while let Ok((mut stream, _)) = listener.accept().await {
            let answer = answer.clone();
            tokio::spawn(async move {
                let Some(line) = read_request_line(&mut stream).await else { return };
                let (status, content_type, body) = answer(&line);
                let head = format!(
                    "HTTP/1.1 {status} {}\r\nContent-Type: {content_type}\r\nContent-Length: {}\r\n\
                     Access-Control-Allow-Origin: *\r\nConnection: close\r\n\r\n",
                    if status == 200 { "OK" } else { "Not Found" },
                    body.len()
                );
                let _ = stream.write_all(head.as_bytes()).await;
                let _ = stream.write_all(&body).await;
            });
        }
    })
}

/// Reads a request's head from `stream` and gives its first line (`GET /path HTTP/1.1`); `None` when the
/// client goes away first.
pub async fn read_request_line(stream: &mut tokio::net::TcpStream) -> Option<String> {
    use tokio::io::AsyncReadExt;
    let mut request = Vec::new();
    let mut buf = [0u8; 4096];
    while !request.windows(4).any(|w| w == b"\r\n\r\n") {
        match stream.read(&mut buf).await {
            Ok(0) | Err(_) => return None,
            Ok(n) => request.extend_from_slice(&buf[..n]),
        }
    }
    Some(String::from_utf8_lossy(&request).lines().next().unwrap_or_default().to_string())
}

/// A plain HTTP/1.0 GET: (status, lower-cased head, body).
pub async fn http_get(origin: &str, path_and_query: &str) -> (u16, String, String) {
    use tokio::io::{AsyncReadExt, AsyncWriteExt};
    let host = origin.trim_start_matches("http://");
    let mut stream = tokio::net::TcpStream::connect(host).await.expect("connect");
    let request = format!("GET {path_and_query} HTTP/1.0\r\nHost: {host}\r\nAccept-Encoding: identity\r\n\r\n");
    stream.write_all(request.as_bytes()).await.unwrap();
    let mut raw = Vec::new();
    stream.read_to_end(&mut raw).await.unwrap();
    let text = String::from_utf8_lossy(&raw).into_owned();
    let (head, body) = text.split_once("\r\n\r\n").expect("an HTTP answer");
    let status = head.split_whitespace().nth(1).and_then(|s| s.parse().ok()).expect("a status");
    (status, head.to_ascii_lowercase(), body.to_string())
}
