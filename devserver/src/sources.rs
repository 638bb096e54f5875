//! Where stored traces come from besides HTTP: `--load` files (span lists or lists of traces, v2 or v1),
//! `--generate` specs and `--demo` live traffic (Zipkin-shaped requests, and OpenTelemetry-shaped batches that
//! keep their OTLP detail), all built on `spanscope-tracegen` and the domain decoder.
use crate::ingest::store_spans;
use crate::state::AppState;
use crate::time_shift::{end_at, now_micros, shift};
use spanscope_domain::decode::decode_file;
use spanscope_domain::span::Span;
use spanscope_tracegen::{generate_trace, generate_traces, otel_batch, Rng, TraceSet, TraceShape, Traffic};
use std::path::Path;
use std::time::Duration;

/// Loads one file; with `rebase`, its newest trace is moved to end at `end_micros` (the rest keep their
/// distance to it). Returns (traces, spans) loaded.
pub fn load_file(state: &AppState, path: &Path, rebase: bool, end_micros: u64) -> Result<(usize, usize), String> {
    let bytes = std::fs::read(path).map_err(|e| format!("--load {}: {e}", path.display()))?;
    let traces = decode_file(&bytes).map_err(|e| format!("--load {}: {e}", path.display()))?;
    let mut spans: Vec<Span> = traces.iter().flatten().cloned().collect();
    if rebase {
        end_at(&mut spans, end_micros);
    }
    let offered = spans.len();
    let count = store_spans(state, spans);
    if count < offered {
        eprintln!(
            "--load {}: skipped {} spans Zipkin would refuse (e.g. upper-case ids)",
            path.display(),
            offered - count
        );
    }
    Ok((traces.len(), count))
}

/// Loads every `--load` file; each rebased file ends one second before the previous one, so they list in
/// the order given.
pub fn load_files(state: &AppState, paths: &[std::path::PathBuf], rebase: bool) -> Result<(), String> {
    let now = now_micros();
    for (i, path) in paths.iter().enumerate() {
        let (traces, spans) = load_file(state, path, rebase, now - i as u64 * 1_000_000)?;
        eprintln!("loaded {traces} traces ({spans} spans) from {}", path.display());
    }
    Ok(())
}

/// A `--generate` spec: `N` (one trace of N spans) or `SxT` (T traces of about S spans).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum GenerateSpec {
    One { spans: usize },
    Many { spans: usize, traces: usize },
}

impl std::str::FromStr for GenerateSpec {
    type Err = String;
    fn from_str(s: &str) -> Result<Self, String> {
        let number = |v: &str| {
            v.trim().replace('_', "").parse::<usize>().ok().filter(|n| *n > 0).ok_or_else(|| {
                format!("--generate {s}: expected N (spans of one trace) or SxT (T traces of S spans), e.g. 100000 or 50x1000")
            })
        };
        match s.split_once(['x', 'X']) {
            Some((spans, traces)) => Ok(GenerateSpec::Many { spans: number(spans)?, traces: number(traces)? }),
            None => Ok(GenerateSpec::One { spans: number(s)? }),
        }
    }
}

/// Stores the generated traces of one spec and prints their ids to stderr. `index` varies the seed between
/// specs so two identical specs give different traces, while a rerun gives the same ones.
pub fn generate(state: &AppState, spec: GenerateSpec, seed: u64, index: usize) {
    let seed = seed.wrapping_mul(1_000_003).wrapping_add(index as u64);
    let now = now_micros();
    match spec {
        GenerateSpec::One { spans } => {
            let mut trace = generate_trace(&TraceShape { spans, seed, start_micros: now, ..TraceShape::default() });
            end_at(&mut trace, now);
            let id = trace[0].trace_id.clone();
            let count = store_spans(state, trace);
            eprintln!("generated trace {id} ({count} spans)");
        }
        GenerateSpec::Many { spans, traces } => {
            // Half a second apart: a thousand traces fit the UI's default 15-minute lookback.
            let set = generate_traces(&TraceSet {
                traces,
                spans_per_trace: spans,
                seed,
                newest_micros: now,
                spacing_micros: 500_000,
                ..TraceSet::default()
            });
            let mut ids = Vec::with_capacity(set.len());
            let mut all = Vec::new();
            for mut trace in set {
                let start = trace[0].timestamp.unwrap_or(now);
                // Each trace ends where it would have started, so none lies in the future.
                let latest = crate::time_shift::latest_end(trace.iter()).unwrap_or(start);
                shift(&mut trace, start as i64 - latest as i64);
                ids.push(trace[0].trace_id.clone());
                all.extend(trace);
            }
            let count = store_spans(state, all);
            eprintln!("generated {} traces ({count} spans):", ids.len());
            for id in ids {
                eprintln!("  {id}");
            }
        }
    }
}

/// Traces per minute the demo backfills before going live, and how far back.
const BACKFILL_MINUTES: u64 = 15;
/// Big traces in the backfill, and how often another arrives live.
const BIG_TRACES: usize = 3;
const BIG_TRACE_SPANS: usize = 10_000;
const BIG_TRACE_EVERY: u64 = 600;

/// How often an OpenTelemetry-shaped batch (orders, and the batch consumer linked to them) arrives.
const OTEL_BATCH_EVERY_MICROS: u64 = 60_000_000;

/// Stores one demo trace so that it ends at `end_micros`.
fn store_demo_trace(state: &AppState, mut trace: Vec<Span>, end_micros: u64) {
    end_at(&mut trace, end_micros);
    store_spans(state, trace);
}

/// The OpenTelemetry-shaped demo traffic, drawn from its own seed so the Zipkin-shaped stream stays the same.
pub struct OtelDemo {
    rng: Rng,
}

impl OtelDemo {
    pub fn new(seed: u64) -> OtelDemo {
        OtelDemo { rng: Rng::new(seed ^ 0x07E1_BA7C) }
    }

    /// Stores a batch of 2-5 orders whose consumer trace ends at `end_micros`; returns the consumer's trace id.
    pub fn store_batch(&mut self, state: &AppState, end_micros: u64) -> String {
        let orders = self.rng.between(2, 5) as usize;
        let batch = otel_batch(self.rng.next_u64(), end_micros, orders);
        let id = batch.consumer_trace[0].trace_id.clone();
        store_spans(state, batch.producer_traces.into_iter().flatten().chain(batch.consumer_trace).collect());
        id
    }
}

/// Fills the last 15 minutes with traffic (about one trace a second, plus three 10,000-span traces, and an
/// OpenTelemetry batch a minute) so the search page has data at once. Returns the traffic streams to continue
/// live.
pub fn demo_backfill(state: &AppState, seed: u64) -> (Traffic, OtelDemo, Rng) {
    let mut traffic = Traffic::new(seed, 14);
    let mut pacing = Rng::new(seed ^ 0xDE30);
    let now = now_micros();
    let mut at = now - BACKFILL_MINUTES * 60 * 1_000_000;
    let big_at: Vec<u64> = (0..BIG_TRACES).map(|i| at + (i as u64 * 2 + 1) * 120_000_000).collect();
    // The big traces first: they are what a newcomer opens to see the viewer cope.
    for &end in &big_at {
        let trace = traffic.next_trace_of(end, BIG_TRACE_SPANS);
        eprintln!("demo: big trace {} ({BIG_TRACE_SPANS} spans)", trace[0].trace_id);
        store_demo_trace(state, trace, end);
    }
    let mut otel = OtelDemo::new(seed);
    let mut next_batch = at + OTEL_BATCH_EVERY_MICROS / 2;
    let (mut stored, mut batches) = (0, 0);
    while at < now {
        store_demo_trace(state, traffic.next_trace(at), at);
        stored += 1;
        if at >= next_batch {
            let id = otel.store_batch(state, at);
            if batches == 0 {
                eprintln!("demo: OpenTelemetry batch consumer trace {id} (links to its producers' traces)");
            }
            batches += 1;
            next_batch += OTEL_BATCH_EVERY_MICROS;
        }
        at += 500_000 + pacing.between(0, 1_000_000);
    }
    eprintln!(
        "demo: backfilled {stored} traces and {batches} OpenTelemetry batches over the last {BACKFILL_MINUTES} minutes"
    );
    (traffic, otel, pacing)
}

/// Live demo traffic: a new trace about every second (0.5-1.5 s), a 10,000-span trace every 10 minutes, an
/// OpenTelemetry batch every minute.
pub async fn demo_live(state: AppState, mut traffic: Traffic, mut otel: OtelDemo, mut pacing: Rng) {
    let mut last_big = std::time::Instant::now();
    let mut last_batch = std::time::Instant::now();
    loop {
        tokio::time::sleep(Duration::from_millis(500 + pacing.between(0, 1_000))).await;
        let big = last_big.elapsed().as_secs() >= BIG_TRACE_EVERY;
        let now = now_micros();
        let trace = if big {
            last_big = std::time::Instant::now();
            traffic.next_trace_of(now, BIG_TRACE_SPANS)
        } else {
            traffic.next_trace(now)
        };
        if last_batch.elapsed().as_micros() >= u128::from(OTEL_BATCH_EVERY_MICROS) {
            last_batch = std::time::Instant::now();
            otel.store_batch(&state, now);
        }
        let state = state.clone();
        // Storing a big trace takes a moment; keep it off the async workers.
        let _ = tokio::task::spawn_blocking(move || store_demo_trace(&state, trace, now)).await;
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn generate_specs_parse() {
        assert_eq!("100000".parse(), Ok(GenerateSpec::One { spans: 100_000 }));
        assert_eq!("50x1000".parse(), Ok(GenerateSpec::Many { spans: 50, traces: 1_000 }));
        assert_eq!("100_000".parse(), Ok(GenerateSpec::One { spans: 100_000 }));
        assert!("0".parse::<GenerateSpec>().is_err());
        assert!("50x".parse::<GenerateSpec>().is_err());
        assert!("lots".parse::<GenerateSpec>().unwrap_err().contains("50x1000"));
    }
}
