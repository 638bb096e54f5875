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

/// Adds `delta` µs to every timestamp (spans and annotations, and the nanosecond times of an OTLP or Jaeger
/// span's detail, so both views of it stay one); absent timestamps stay absent.
pub fn shift(spans: &mut [Span], delta: i64) {
    let move_by = |t: u64| (t as i64).saturating_add(delta).max(1) as u64;
    let delta_nanos = delta.saturating_mul(1_000);
    let move_nanos = |t: u64| if t == 0 { 0 } else { (t as i64).saturating_add(delta_nanos).max(1) as u64 };
    for s in spans {
        s.timestamp = s.timestamp.map(move_by);
        for a in &mut s.annotations {
            a.timestamp = move_by(a.timestamp);
        }
        if let Some(detail) = &mut s.detail {
            detail.start_time_unix_nano = move_nanos(detail.start_time_unix_nano);
            detail.end_time_unix_nano = move_nanos(detail.end_time_unix_nano);
            for event in &mut detail.events {
                event.time_unix_nano = move_nanos(event.time_unix_nano);
            }
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

    #[test]
    fn an_otlp_detail_moves_with_its_span() {
        use spanscope_domain::span_detail::{Event, SpanDetail};
        let detail = SpanDetail {
            start_time_unix_nano: 100_000,
            end_time_unix_nano: 150_000,
            events: vec![Event { time_unix_nano: 120_000, ..Event::default() }, Event::default()],
            ..SpanDetail::default()
        };
        let mut spans =
            vec![Span { timestamp: Some(100), duration: Some(50), detail: Some(Box::new(detail)), ..Span::default() }];
        shift(&mut spans, 900);
        let detail = spans[0].detail.as_ref().unwrap();
        assert_eq!((detail.start_time_unix_nano, detail.end_time_unix_nano), (1_000_000, 1_050_000));
        assert_eq!((detail.events[0].time_unix_nano, detail.events[1].time_unix_nano), (1_020_000, 0));
    }
}
