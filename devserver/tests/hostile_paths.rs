//! Hostile request targets (issue 25): percent escapes that end inside a multi-byte character and ids
//! made of multi-byte characters must get a 400, never a panic that drops the connection unanswered.
mod common;
use common::child::ChildServer;
use std::time::Duration;

/// A `dist/` with just an index page, so the UI routes (and their path decoding) are live.
fn dist() -> String {
    let dir = std::env::temp_dir().join(format!("spanscope-hostile-dist-{}", std::process::id()));
    std::fs::create_dir_all(&dir).unwrap();
    std::fs::write(dir.join("index.html"), "<html><head></head><body>ui</body></html>").unwrap();
    dir.to_string_lossy().into_owned()
}

fn raw_get(server: &ChildServer, target: &[u8]) -> common::child::Answer {
    let mut request = b"GET ".to_vec();
    request.extend_from_slice(target);
    request.extend_from_slice(b" HTTP/1.1\r\nHost: t\r\nConnection: close\r\n\r\n");
    server.exchange(&request)
}

#[test]
fn malformed_percent_escapes_in_ui_paths_are_400s() {
    let dist = dist();
    let server = ChildServer::start(&["--dist", &dist]);
    let before = server.rss_mb();
    for target in [&b"/zipkin/%a\xc3\xa9"[..], b"/zipkin/%\xc3\xa9", b"/zipkin/x%zz", b"/zipkin/x%4", b"/zipkin/%e9"] {
        for _ in 0..20 {
            let answer = raw_get(&server, target);
            assert_eq!(answer.status, 400, "{}: {answer:?}", String::from_utf8_lossy(target));
            assert!(answer.body.contains("percent"), "{answer:?}");
            assert!(answer.elapsed < Duration::from_secs(1), "{answer:?}");
        }
    }
    // Raw bytes that are no UTF-8 never reach a handler: hyper refuses the request line.
    let raw = raw_get(&server, b"/zipkin/\xff\xfe");
    assert_eq!(raw.status, 400, "{raw:?}");
    // Well-formed escapes still decode: `%69ndex.html` is the page itself.
    let page = raw_get(&server, b"/zipkin/%69ndex.html");
    assert_eq!(page.status, 200, "{page:?}");
    assert!(page.body.contains("<base href=\"/zipkin/\""), "{page:?}");
    server.assert_answering();
    server.assert_rss_within(before, 20.0);
}

#[test]
fn multi_byte_trace_ids_are_400s_in_both_jaeger_apis() {
    let server = ChildServer::start(&[]);
    let before = server.rss_mb();
    // 18 bytes: the split 16 bytes from the end falls inside the `é`.
    let id = "a%C3%A9012345678901234";
    for path in [
        format!("/api/traces/{id}"),
        format!("/api/traces?traceID={id}"),
        format!("/api/v3/traces/{id}"),
        format!("/zipkin/api/traces/{id}"),
    ] {
        let answer = server.get(&path);
        assert_eq!(answer.status, 400, "{path}: {answer:?}");
        assert!(answer.body.contains("invalid syntax"), "{path}: {answer:?}");
        assert!(answer.elapsed < Duration::from_secs(1), "{path}: {answer:?}");
    }
    // The Zipkin API refuses them too (an upper-case or non-hex id is Zipkin's 400).
    let zipkin = server.get(&format!("/api/v2/trace/{id}"));
    assert_eq!(zipkin.status, 400, "{zipkin:?}");
    server.assert_answering();
    server.assert_rss_within(before, 20.0);
}
