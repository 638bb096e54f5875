//! A devserver in a process of its own (the binary cargo built), for the hostile-input tests: raw-socket
//! requests (bytes no HTTP client would send), the time each answer takes, and the server's RSS afterwards.
use std::io::{BufRead, BufReader, Read, Write};
use std::net::{SocketAddr, TcpStream, UdpSocket};
use std::process::{Command, Stdio};
use std::time::{Duration, Instant};

/// A running devserver process, killed when dropped.
pub struct ChildServer {
    pub addr: SocketAddr,
    /// The Jaeger agent's UDP address, when started with `--jaeger-agent`.
    pub agent: Option<SocketAddr>,
    process: std::process::Child,
}

/// What came back on a connection: the status (0 when the connection closed without an answer), the
/// head, the body and how long it took from the first byte sent.
#[derive(Debug)]
pub struct Answer {
    pub status: u16,
    pub head: String,
    pub body: String,
    pub elapsed: Duration,
}

impl ChildServer {
    /// Starts `spanscope-devserver --addr 127.0.0.1:0 FLAGS...` and reads its address lines. The binary is
    /// the one cargo built, or `$SPANSCOPE_DEVSERVER` (as for tests/interop), to hold another build to them.
    pub fn start(flags: &[&str]) -> ChildServer {
        let binary =
            std::env::var("SPANSCOPE_DEVSERVER").unwrap_or_else(|_| env!("CARGO_BIN_EXE_spanscope-devserver").into());
        let mut process = Command::new(binary)
            .args(["--addr", "127.0.0.1:0"])
            .args(flags)
            .stdout(Stdio::piped())
            .stderr(Stdio::null())
            .spawn()
            .expect("devserver starts");
        let mut lines = BufReader::new(process.stdout.take().unwrap()).lines();
        let first = lines.next().expect("an address line").unwrap();
        let addr = first.strip_prefix("listening on http://").expect("address line").parse().unwrap();
        let mut agent = None;
        if flags.contains(&"--jaeger-agent") {
            for line in lines.by_ref() {
                if let Some(udp) = line.unwrap().strip_prefix("jaeger agent on udp://") {
                    agent = Some(udp.parse().unwrap());
                    break;
                }
            }
        }
        // Keep reading, so that nothing the server prints later meets a closed pipe.
        std::thread::spawn(move || lines.for_each(drop));
        ChildServer { addr, agent, process }
    }

    /// A memory figure of /proc/PID/status in MB.
    fn status_mb(&self, field: &str) -> f64 {
        let status = std::fs::read_to_string(format!("/proc/{}/status", self.process.id())).unwrap();
        let kb: f64 = status
            .lines()
            .find_map(|l| l.strip_prefix(field))
            .and_then(|v| v.trim().trim_end_matches("kB").trim().parse().ok())
            .unwrap_or_else(|| panic!("{field} in /proc/PID/status"));
        kb / 1024.0
    }

    /// The server's resident memory in MB (`VmRSS`).
    pub fn rss_mb(&self) -> f64 {
        self.status_mb("VmRSS:")
    }

    /// The most memory the server has held resident so far, in MB (`VmHWM`): what a request cost at its
    /// peak, even when it was given back before the answer.
    pub fn peak_rss_mb(&self) -> f64 {
        self.status_mb("VmHWM:")
    }

    /// Asserts the server's RSS grew by less than `megabytes` since `before` (an `rss_mb()` reading).
    pub fn assert_rss_within(&self, before: f64, megabytes: f64) {
        let now = self.rss_mb();
        assert!(now < before + megabytes, "RSS {before:.0} MB -> {now:.0} MB (allowed +{megabytes} MB)");
    }

    pub fn connect(&self) -> TcpStream {
        let stream = TcpStream::connect(self.addr).expect("connect");
        stream.set_read_timeout(Some(Duration::from_secs(20))).unwrap();
        stream
    }

    /// Sends raw bytes on a new connection and reads until the server closes it (or 20 s pass).
    pub fn exchange(&self, request: &[u8]) -> Answer {
        let mut stream = self.connect();
        let started = Instant::now();
        // A server that answers before reading everything may close early: a failed write is no failure.
        let _ = stream.write_all(request);
        read_answer(&mut stream, started)
    }

    /// `GET path` with `Connection: close`.
    pub fn get(&self, path: &str) -> Answer {
        self.exchange(format!("GET {path} HTTP/1.1\r\nHost: t\r\nConnection: close\r\n\r\n").as_bytes())
    }

    /// `POST path` with these headers and body, `Connection: close`.
    pub fn post(&self, path: &str, headers: &[(&str, &str)], body: &[u8]) -> Answer {
        let mut request =
            format!("POST {path} HTTP/1.1\r\nHost: t\r\nConnection: close\r\nContent-Length: {}\r\n", body.len());
        for (name, value) in headers {
            request.push_str(&format!("{name}: {value}\r\n"));
        }
        request.push_str("\r\n");
        let mut bytes = request.into_bytes();
        bytes.extend_from_slice(body);
        self.exchange(&bytes)
    }

    /// Sends a datagram to the Jaeger agent.
    pub fn send_datagram(&self, datagram: &[u8]) {
        let socket = UdpSocket::bind("127.0.0.1:0").unwrap();
        socket.send_to(datagram, self.agent.expect("started with --jaeger-agent")).unwrap();
    }

    /// Asserts the server still answers a plain query promptly (no worker died, no lock is held).
    pub fn assert_answering(&self) {
        let answer = self.get("/api/v2/services");
        assert_eq!(answer.status, 200, "{answer:?}");
        assert!(answer.elapsed < Duration::from_secs(2), "{answer:?}");
    }
}

/// Reads what the server sends until it closes the connection.
pub fn read_answer(stream: &mut TcpStream, started: Instant) -> Answer {
    let mut received = Vec::new();
    let mut buf = [0u8; 16 * 1024];
    loop {
        match stream.read(&mut buf) {
            Ok(0) | Err(_) => break,
            Ok(n) => received.extend_from_slice(&buf[..n]),
        }
    }
    let elapsed = started.elapsed();
    let text = String::from_utf8_lossy(&received).into_owned();
    let (head, body) = text.split_once("\r\n\r\n").unwrap_or((&text, ""));
    let status = head.split(' ').nth(1).and_then(|s| s.parse().ok()).unwrap_or(0);
    Answer { status, head: head.to_string(), body: body.to_string(), elapsed }
}

impl Drop for ChildServer {
    fn drop(&mut self) {
        let _ = self.process.kill();
        let _ = self.process.wait();
    }
}
