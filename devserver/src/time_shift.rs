//! Moving spans in time: `--rebase` and generated traffic place old or synthetic traces so they end "now",
//! where the UI's default lookback finds them.
use spanscope_domain::span::Span;

/// Microseconds since the epoch, now.
pub fn now_micros() -> u64 {
    std::time::SystemTime::now().duration_since(std::time::UNIX_EPOCH).map(|d| d.as_micros() as u64).unwrap_or(0)
}

/// The latest end (`timestamp + duration`) over spans and their annotations, if any span is timed.
pub fn latest_end<'a>(spans: impl IntoIterator<Item = &'a Span>) -> Option<u64> {
    let mut latest = None;
    for s in spans {
        let ends = s
            .timestamp
            .map(|t| t + s.duration.unwrap_or(0))
            .into_iter()
            .chain(s.annotations.iter().map(|a| a.timestamp));
        for end in ends {
            latest = Some(latest.map_or(end, |l: u64| l.max(end)));
        }
    }
    latest
}

/// Adds `delta` µs to every timestamp (spans and annotations); absent timestamps stay absent.
pub fn shift(spans: &mut [Span], delta: i64) {
    let move_by = |t: u64| (t as i64).saturating_add(delta).max(1) as u64;
    for s in spans {
        s.timestamp = s.timestamp.map(move_by);
        for a in &mut s.annotations {
            a.timestamp = move_by(a.timestamp);
        }
    }
}

/// Shifts spans so that the latest of them ends at `end_micros`.
pub fn end_at(spans: &mut [Span], end_micros: u64) {
    if let Some(latest) = latest_end(spans.iter()) {
        shift(spans, end_micros as i64 - latest as i64);
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use spanscope_domain::span::Annotation;

    #[test]
    fn spans_move_together_and_untimed_spans_stay_untimed() {
        let mut spans = vec![
            Span {
                timestamp: Some(100),
                duration: Some(50),
                annotations: vec![Annotation { timestamp: 120, value: "x".into() }],
                ..Span::default()
            },
            Span { timestamp: Some(130), duration: Some(10), ..Span::default() },
            Span::default(),
        ];
        end_at(&mut spans, 1_000);
        assert_eq!(spans[0].timestamp, Some(950));
        assert_eq!(spans[0].annotations[0].timestamp, 970);
        assert_eq!(spans[1].timestamp, Some(980));
        assert_eq!(spans[2].timestamp, None);
    }
}
