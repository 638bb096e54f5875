//! The command line: every flag of `spanscope-devserver`, documented for `--help`.
use clap::Parser;
use std::net::SocketAddr;
use std::path::PathBuf;
use std::time::Duration;

/// A Zipkin- and Jaeger-compatible in-memory server for Spanscope: Zipkin's HTTP API (ingest and query),
/// OTLP/HTTP trace ingest (`POST /v1/traces`, protobuf or JSON), Jaeger's ingest (the agent's UDP
/// `emitBatch`, the collector's `POST /api/traces` Thrift) and both of Jaeger's query APIs (`/api/...` and
/// API v3, `/api/v3/...`), the UI from a trunk `dist/` folder, and synthetic demo traffic.
#[derive(Debug, Clone, Parser)]
#[command(name = "spanscope-devserver", version, about, long_about = None)]
pub struct Args {
    /// Address to listen on; port 0 picks a free port (the first stdout line tells which).
    #[arg(long, default_value = "127.0.0.1:9411")]
    pub addr: SocketAddr,

    /// Listen for Jaeger clients on this UDP address, as a Jaeger agent does on 6831: Thrift compact
    /// `emitBatch` datagrams (what `jaeger-client` libraries send by default). Port 0 picks a free port (a
    /// stdout line tells which).
    #[arg(long, value_name = "ADDR")]
    pub jaeger_agent: Option<SocketAddr>,

    /// Serve the UI from this trunk-built folder under the base path.
    #[arg(long, value_name = "DIR")]
    pub dist: Option<PathBuf>,

    /// Path the UI is served under (`/` redirects here); the query APIs are also mounted under it (BASE/api/v2,
    /// and Jaeger's BASE/api and BASE/api/v3).
    #[arg(long, default_value = "/zipkin", value_name = "PATH")]
    pub base_path: String,

    /// File served verbatim as BASE/config.json (not parsed); `{}` without it.
    #[arg(long, value_name = "FILE")]
    pub config: Option<PathBuf>,

    /// Span budget of the in-memory store: past it the oldest traces are evicted (Zipkin's MEM_MAX_SPANS).
    #[arg(long, default_value_t = 500_000, value_name = "N")]
    pub max_spans: usize,

    /// Send the UI's page with a strict Content-Security-Policy (no inline script or style; connect-src and
    /// frame-ancestors from config.json's apiBaseUrl, archivePostUrl and allowedOrigins), as a deployment should.
    #[arg(long)]
    pub csp: bool,

    /// Largest request body taken, as sent (gzipped or not): a bigger one gets a 413, at once when its
    /// Content-Length announces it. SIZE is bytes or a number with KiB, MiB, GiB (or KB, MB, GB). The default
    /// is three times a 100,000-span trace's JSON; decoding a batch takes a few times its size in memory.
    #[arg(long, default_value = "128MiB", value_name = "SIZE", value_parser = parse_size)]
    pub max_body_bytes: usize,

    /// Largest body after gzip decompression: inflating stops there with a 413, so a gzip bomb never
    /// inflates whole.
    #[arg(long, default_value = "128MiB", value_name = "SIZE", value_parser = parse_size)]
    pub max_inflated_bytes: usize,

    /// What all request bodies being read or handled may hold together: past it a request gets a 503 (and
    /// `Retry-After: 1`) instead of the server running out of memory under many big bodies at once.
    #[arg(long, default_value = "512MiB", value_name = "SIZE", value_parser = parse_size)]
    pub max_buffered_bytes: usize,

    /// Most connections served at once; past it a new connection gets a 503 and is closed, so clients that
    /// never finish their requests cannot lock everyone else out.
    #[arg(long, default_value_t = 512, value_name = "N", value_parser = clap::value_parser!(u32).range(1..))]
    pub max_connections: u32,

    /// Time a connection has to send a request's line and headers, counted from when it is ready for one
    /// (on connecting, and after each answer when kept alive); then it is closed. DURATION is a number with
    /// ms, s or m (`500ms`, `10s`); a bare number is seconds.
    #[arg(long, default_value = "10s", value_name = "DURATION", value_parser = parse_duration)]
    pub header_timeout: Duration,

    /// Time a request's whole body has to arrive once its headers have: then the answer is a 408.
    #[arg(long, default_value = "60s", value_name = "DURATION", value_parser = parse_duration)]
    pub body_timeout: Duration,

    /// A connection with no request being handled and no byte moving either way for this long is closed (a
    /// kept-alive client gone quiet, a stalled upload, a client that stopped reading its answer). A kept-alive
    /// connection waiting for its next request is closed after this or --header-timeout, whichever is shorter.
    #[arg(long, default_value = "15s", value_name = "DURATION", value_parser = parse_duration)]
    pub idle_timeout: Duration,

    /// Comma-separated CORS origins allowed to call the API (Zipkin's QUERY_ALLOWED_ORIGINS).
    #[arg(long, default_value = "*", value_name = "ORIGINS")]
    pub allowed_origins: String,

    /// Comma-separated tag keys offered by /autocompleteKeys (Zipkin's AUTOCOMPLETE_KEYS).
    /// Default: none, or `http.method,http.status_code,environment` with --demo.
    #[arg(long, value_name = "KEYS")]
    pub autocomplete_keys: Option<String>,

    /// Default `lookback` of /traces and /dependencies, in milliseconds (Zipkin's QUERY_LOOKBACK).
    #[arg(long, default_value_t = 86_400_000, value_name = "MS")]
    pub default_lookback: u64,

    /// Group traces by the whole trace id (true) or by its low 64 bits (Zipkin's STRICT_TRACE_ID=false).
    #[arg(long, default_value_t = true, action = clap::ArgAction::Set, value_name = "BOOL")]
    pub strict_trace_id: bool,

    /// Delay every query API answer by this many milliseconds (for testing loading states).
    #[arg(long, default_value_t = 0, value_name = "MS")]
    pub latency: u64,

    /// Answer this fraction (0..=1) of query API requests with a 500 and a text body (for testing errors).
    #[arg(long, default_value_t = 0.0, value_name = "R", value_parser = parse_rate)]
    pub fail_rate: f64,

    /// Generate live synthetic traffic: a new trace every second, a few 10,000-span traces, and a minute's
    /// OpenTelemetry-shaped batch (links from a consumer to its producers, events, an exception).
    #[arg(long)]
    pub demo: bool,

    /// Seed of the synthetic traffic (--demo, --generate); the same seed gives the same traces.
    #[arg(long, default_value_t = 1, value_name = "N")]
    pub seed: u64,

    /// Store generated traces at startup: `100000` is one trace of that many spans, `50x1000` a thousand
    /// 50-span traces. Repeatable. Trace ids are printed to stderr.
    #[arg(long, value_name = "SPEC")]
    pub generate: Vec<crate::sources::GenerateSpec>,

    /// Load files at startup: Zipkin JSON v2 or v1 (a span list or a list of traces), OTLP JSON or JSON Lines,
    /// or Jaeger JSON (the format is read from the content); OTLP and Jaeger spans keep their detail.
    #[arg(long, value_name = "FILE", num_args = 1..)]
    pub load: Vec<PathBuf>,

    /// Shift each loaded file's traces together so that its newest one ends now (the shared fixtures are
    /// years old); several files end one second apart, in the order given.
    #[arg(long)]
    pub rebase: bool,
}

/// A probability: a number from 0 to 1.
fn parse_rate(raw: &str) -> Result<f64, String> {
    match raw.parse::<f64>() {
        Ok(r) if (0.0..=1.0).contains(&r) => Ok(r),
        _ => Err(format!("expected a number from 0 to 1, got {raw:?}")),
    }
}

/// A size in bytes: `1048576`, `64KiB`, `16MiB`, `1GiB`, or decimal `KB`, `MB`, `GB`.
fn parse_size(raw: &str) -> Result<usize, String> {
    let text = raw.trim();
    let digits = text.bytes().take_while(u8::is_ascii_digit).count();
    let (number, unit) = text.split_at(digits);
    let scale: u64 = match unit.trim() {
        "" | "B" => 1,
        "KiB" => 1 << 10,
        "MiB" => 1 << 20,
        "GiB" => 1 << 30,
        "KB" => 1_000,
        "MB" => 1_000_000,
        "GB" => 1_000_000_000,
        _ => return Err(format!("expected bytes or a number with KiB, MiB, GiB, KB, MB or GB, got {raw:?}")),
    };
    number
        .parse::<u64>()
        .ok()
        .and_then(|n| n.checked_mul(scale))
        .and_then(|n| usize::try_from(n).ok())
        .filter(|n| *n > 0)
        .ok_or_else(|| format!("expected a positive size, got {raw:?}"))
}

/// A duration: `500ms`, `10s`, `2m`, or a bare number of seconds.
fn parse_duration(raw: &str) -> Result<Duration, String> {
    let text = raw.trim();
    let digits = text.bytes().take_while(u8::is_ascii_digit).count();
    let (number, unit) = text.split_at(digits);
    let number: u64 = number.parse().map_err(|_| format!("expected a duration such as 500ms or 10s, got {raw:?}"))?;
    let duration = match unit.trim() {
        "ms" => Duration::from_millis(number),
        "" | "s" => Duration::from_secs(number),
        "m" => Duration::from_secs(number.saturating_mul(60)),
        _ => return Err(format!("expected a duration such as 500ms or 10s, got {raw:?}")),
    };
    if duration.is_zero() {
        return Err(format!("expected a positive duration, got {raw:?}"));
    }
    Ok(duration)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn sizes_and_durations_parse() {
        assert_eq!(parse_size("1048576"), Ok(1 << 20));
        assert_eq!(parse_size("16MiB"), Ok(16 << 20));
        assert_eq!(parse_size("2GB"), Ok(2_000_000_000));
        assert!(parse_size("0").is_err());
        assert!(parse_size("12 parsecs").is_err());
        assert!(parse_size("é").is_err());
        assert_eq!(parse_duration("500ms"), Ok(Duration::from_millis(500)));
        assert_eq!(parse_duration("10"), Ok(Duration::from_secs(10)));
        assert_eq!(parse_duration("2m"), Ok(Duration::from_secs(120)));
        assert!(parse_duration("0s").is_err());
        assert!(parse_duration("1h").is_err());
        assert!(parse_duration("ms").is_err());
    }
}
