//! Streams of traces: a search-results set (many similar traces spaced in time) and the live demo traffic
//! (mostly small requests, sometimes big ones), both repeatable from a seed.
use crate::rng::Rng;
use crate::topology::Topology;
use crate::trace::{generate_with, TraceShape};
use spanscope_domain::span::Span;

/// Many traces of about the same size, newest first, e.g. 1,000 traces of ~50 spans for a search page.
#[derive(Debug, Clone)]
pub struct TraceSet {
    pub traces: usize,
    /// Average spans per trace; each trace varies by up to ±20%.
    pub spans_per_trace: usize,
    pub services: usize,
    pub seed: u64,
    /// Root timestamp of the newest trace, epoch µs.
    pub newest_micros: u64,
    /// Time between consecutive traces' roots, µs.
    pub spacing_micros: u64,
}

impl Default for TraceSet {
    fn default() -> Self {
        TraceSet {
            traces: 1_000,
            spans_per_trace: 50,
            services: 14,
            seed: 1,
            newest_micros: 1_700_000_000_000_000,
            spacing_micros: 1_000_000,
        }
    }
}

/// Generates a [`TraceSet`].
///
/// ```
/// use spanscope_tracegen::{generate_traces, TraceSet};
/// let traces = generate_traces(&TraceSet { traces: 10, ..TraceSet::default() });
/// assert_eq!(traces.len(), 10);
/// ```
pub fn generate_traces(set: &TraceSet) -> Vec<Vec<Span>> {
    let topology = Topology::shop(set.services);
    let mut rng = Rng::new(set.seed);
    (0..set.traces)
        .map(|i| {
            let spread = (set.spans_per_trace / 5).max(1) as u64;
            let spans =
                (set.spans_per_trace as u64 + rng.between(0, 2 * spread)).saturating_sub(spread).max(1) as usize;
            let shape = TraceShape {
                spans,
                services: set.services,
                seed: rng.next_u64(),
                start_micros: set.newest_micros.saturating_sub(i as u64 * set.spacing_micros),
                ..TraceShape::default()
            };
            generate_with(&shape, &topology)
        })
        .collect()
}

/// Live demo traffic: call [`Traffic::next_trace`] with the current time for each new request.
///
/// Sizes follow what a shop sees: most requests touch 5-30 spans, some 30-150, a few hundreds.
#[derive(Debug, Clone)]
pub struct Traffic {
    rng: Rng,
    topology: Topology,
    services: usize,
}

impl Traffic {
    pub fn new(seed: u64, services: usize) -> Traffic {
        Traffic { rng: Rng::new(seed), topology: Topology::shop(services), services }
    }

    /// The span count of the next ordinary request.
    fn next_size(&mut self) -> usize {
        let roll = self.rng.unit();
        (if roll < 0.7 {
            self.rng.between(5, 30)
        } else if roll < 0.96 {
            self.rng.between(30, 150)
        } else {
            self.rng.between(150, 800)
        }) as usize
    }

    /// A new request trace whose root starts at `start_micros`.
    pub fn next_trace(&mut self, start_micros: u64) -> Vec<Span> {
        let spans = self.next_size();
        self.next_trace_of(start_micros, spans)
    }

    /// A new trace of exactly `spans` spans (e.g. a 10,000-span batch request) starting at `start_micros`.
    pub fn next_trace_of(&mut self, start_micros: u64, spans: usize) -> Vec<Span> {
        let shape = TraceShape {
            spans,
            services: self.services,
            seed: self.rng.next_u64(),
            start_micros,
            max_depth: if spans > 1_000 { 40 } else { 16 },
            ..TraceShape::default()
        };
        generate_with(&shape, &self.topology)
    }
}
