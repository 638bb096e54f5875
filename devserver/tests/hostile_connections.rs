//! Hostile connections (issue 25): clients that never finish their requests, never send one, or trickle a
//! body must not lock out other clients or hold connections for ever; each case timed over real sockets
//! and the server's memory read afterwards.
mod common;
use common::child::{read_answer, ChildServer};
use std::io::Write;
use std::net::TcpStream;
use std::time::{Duration, Instant};

/// Opens a connection and sends the start of a request that never ends.
fn unfinished(server: &ChildServer) -> TcpStream {
    let mut stream = server.connect();
    stream.write_all(b"GET /api/v2/services HTTP/1.1\r\nHost: t\r\nX-Slow: ").unwrap();
    stream
}

/// Whether the server has closed this connection (or answered and closed) within `within`.
fn closed_within(stream: &mut TcpStream, within: Duration) -> (bool, Duration, u16) {
    stream.set_read_timeout(Some(within)).unwrap();
    let started = Instant::now();
    let answer = read_answer(stream, started);
    (answer.elapsed < within, answer.elapsed, answer.status)
}

#[test]
fn unfinished_requests_past_the_cap_do_not_lock_out_new_clients() {
    // The default cap (512) and a short header timeout.
    let server = ChildServer::start(&["--header-timeout", "5s"]);
    let before = server.rss_mb();
    let started = Instant::now();
    let slow: Vec<TcpStream> = (0..1100).map(|_| unfinished(&server)).collect();
    let opened = started.elapsed();
    assert!(opened < Duration::from_secs(4), "opening them took {opened:?}");
    // While they hang, a new client is told at once to come back, not left waiting (once the server has
    // refused the 588 past the cap, which takes it a tenth of a second at most, all at once).
    std::thread::sleep(Duration::from_millis(300));
    let refused = server.get("/api/v2/services");
    assert_eq!(refused.status, 503, "{refused:?}");
    assert!(refused.body.contains("--max-connections 512"), "{refused:?}");
    assert!(refused.elapsed < Duration::from_secs(1), "{refused:?}");
    // Once the header timeout has closed them, new clients are served again.
    while started.elapsed() < Duration::from_millis(5500) + opened {
        std::thread::sleep(Duration::from_millis(50));
    }
    let served = server.get("/api/v2/services");
    assert_eq!(served.status, 200, "{served:?}");
    assert!(served.elapsed < Duration::from_secs(1), "{served:?}");
    let mut closed = 0;
    for mut stream in slow {
        if closed_within(&mut stream, Duration::from_millis(100)).0 {
            closed += 1;
        }
    }
    assert_eq!(closed, 1100, "every unfinished request's connection was closed");
    server.assert_rss_within(before, 50.0);
}

#[test]
fn a_trickled_head_is_cut_off_at_the_header_timeout() {
    let server = ChildServer::start(&["--header-timeout", "1s", "--idle-timeout", "10s"]);
    let before = server.rss_mb();
    let mut stream = unfinished(&server);
    let started = Instant::now();
    // A byte every 100 ms keeps the connection busy, but the head never ends.
    while started.elapsed() < Duration::from_secs(3) {
        if stream.write_all(b"x").is_err() {
            break;
        }
        std::thread::sleep(Duration::from_millis(100));
    }
    let elapsed = started.elapsed();
    let (closed, ..) = closed_within(&mut stream, Duration::from_millis(200));
    assert!(closed, "the connection was closed");
    assert!(elapsed >= Duration::from_millis(900) && elapsed < Duration::from_millis(2500), "{elapsed:?}");
    server.assert_answering();
    server.assert_rss_within(before, 20.0);
}

#[test]
fn idle_connections_are_closed() {
    let server = ChildServer::start(&["--idle-timeout", "500ms", "--header-timeout", "10s"]);
    let before = server.rss_mb();
    // A connection that never sends a byte.
    let mut silent = server.connect();
    let (closed, elapsed, _) = closed_within(&mut silent, Duration::from_secs(3));
    assert!(closed && elapsed >= Duration::from_millis(400), "silent: {elapsed:?}");
    // A kept-alive connection after its answer.
    let mut kept = server.connect();
    kept.write_all(b"GET /api/v2/services HTTP/1.1\r\nHost: t\r\n\r\n").unwrap();
    let started = Instant::now();
    let answer = read_answer(&mut kept, started);
    assert!(answer.head.starts_with("HTTP/1.1 200"), "{answer:?}");
    assert!(
        answer.elapsed >= Duration::from_millis(400) && answer.elapsed < Duration::from_millis(1500),
        "closed {:?} after the request",
        answer.elapsed
    );
    server.assert_answering();
    server.assert_rss_within(before, 20.0);
}

#[test]
fn a_slow_body_gets_a_408_at_the_body_timeout() {
    let server = ChildServer::start(&["--body-timeout", "1s", "--idle-timeout", "10s"]);
    let before = server.rss_mb();
    let mut stream = server.connect();
    stream
        .write_all(b"POST /api/v2/spans HTTP/1.1\r\nHost: t\r\nContent-Type: application/json\r\nContent-Length: 1000\r\n\r\n[")
        .unwrap();
    let started = Instant::now();
    let writer = stream.try_clone().unwrap();
    let trickle = std::thread::spawn(move || {
        let mut writer = writer;
        for _ in 0..40 {
            if writer.write_all(b" ").is_err() {
                break;
            }
            std::thread::sleep(Duration::from_millis(100));
        }
    });
    let answer = read_answer(&mut stream, started);
    assert_eq!(answer.status, 408, "{answer:?}");
    assert!(answer.body.contains("--body-timeout"), "{answer:?}");
    assert!(answer.elapsed >= Duration::from_millis(900) && answer.elapsed < Duration::from_millis(2000), "{answer:?}");
    trickle.join().unwrap();
    server.assert_answering();
    server.assert_rss_within(before, 20.0);
}

#[test]
fn a_client_that_stops_reading_its_answer_is_cut_off_at_the_idle_timeout() {
    // One 30,000-span trace: its JSON (about 10 MB) is far more than the socket buffers hold.
    let server = ChildServer::start(&["--generate", "30000", "--idle-timeout", "500ms"]);
    let before = server.rss_mb();
    let mut stream = server.connect();
    stream.write_all(b"GET /api/v2/traces?limit=1 HTTP/1.1\r\nHost: t\r\n\r\n").unwrap();
    // Read nothing for a while: the server's writes stall, and after the idle timeout it gives up.
    std::thread::sleep(Duration::from_millis(2000));
    let answer = read_answer(&mut stream, Instant::now());
    assert!(answer.head.starts_with("HTTP/1.1 200"), "{}", answer.head);
    let announced: usize = answer
        .head
        .lines()
        .find_map(|l| l.strip_prefix("content-length: "))
        .and_then(|v| v.trim().parse().ok())
        .expect("a content-length");
    assert!(announced > 5_000_000, "{announced} bytes announced");
    assert!(answer.body.len() < announced, "the answer was cut off: {} of {announced} bytes", answer.body.len());
    assert!(
        answer.elapsed < Duration::from_secs(1),
        "what was buffered came at once, then the end: {:?}",
        answer.elapsed
    );
    server.assert_answering();
    server.assert_rss_within(before, 40.0);
}
