//! Issue 25: a misbehaving backend cannot crash or freeze the page. A small raw server in the test answers as a
//! hostile or broken Zipkin would; each case asserts what the page says and that the app keeps working after it.
use spanscope_e2e::{Browser, Devserver};
use std::io::Write;
use tokio::io::{AsyncReadExt, AsyncWriteExt};

/// A server that answers every request with `head` (status line and headers, CORS open) and `body`, then closes
/// the connection, whatever the head announced. Returns its origin.
async fn serve_raw(head: &'static str, body: Vec<u8>) -> String {
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.expect("bind");
    let origin = format!("http://{}", listener.local_addr().expect("addr"));
    tokio::spawn(async move {
        while let Ok((mut stream, _)) = listener.accept().await {
            let body = body.clone();
            tokio::spawn(async move {
                let mut request = Vec::new();
                let mut buf = [0u8; 4096];
                while !request.windows(4).any(|w| w == b"\r\n\r\n") {
                    match stream.read(&mut buf).await {
                        Ok(0) | Err(_) => return,
                        Ok(n) => request.extend_from_slice(&buf[..n]),
                    }
                }
                let head = format!("{head}\r\nAccess-Control-Allow-Origin: *\r\nConnection: close\r\n\r\n");
                let _ = stream.write_all(head.as_bytes()).await;
                let _ = stream.write_all(&body).await;
                let _ = stream.shutdown().await;
            });
        }
    });
    origin
}

/// The devserver serving the UI, its config pointing the API at `api`.
async fn ui_against(api: &str) -> (Devserver, tempfile::NamedTempFile) {
    let mut config = tempfile::NamedTempFile::new().unwrap();
    write!(config, r#"{{"apiBaseUrl": "{api}"}}"#).unwrap();
    let path = config.path().to_str().unwrap().to_string();
    (Devserver::start(&["--config", &path]).await, config)
}

// "A trace response announcing Content-Length: 3000000000 with a 1 KB body panics the Wasm module ... the page
// stays on 'Downloading the trace...' for ever."
#[tokio::test]
async fn a_body_far_shorter_than_announced_is_named_and_the_app_keeps_working() {
    let api =
        serve_raw("HTTP/1.1 200 OK\r\nContent-Type: application/json\r\nContent-Length: 3000000000", vec![b' '; 1024])
            .await;
    let (server, _config) = ui_against(&api).await;
    let browser = Browser::start().await;
    browser.goto(&server.ui("/traces/00000000000000a1")).await;
    // Browsers deliver none or part of a body that breaks off: the count is what arrived.
    browser.wait_for_text("of the 3000000000 bytes the server announced").await;
    browser.wait_for_text("Unexpected answer from Zipkin").await;
    // The app is alive: its own navigation still renders a page.
    browser.by_role("link", "Find a trace").await.click().await.unwrap();
    browser.by_role("heading", "Find a trace").await;
    browser.close().await;
}
