//! The dependency page's time range: a preset ("last hour", relative to now, so a refresh shows
//! the newest calls) or an absolute start and end (Lens's `startTime`/`endTime` links, or a
//! window a person typed), and the `/api/v2/dependencies?endTs&lookback` query it asks for.
use crate::search_url::DependencyWindow;
use crate::time_format::{civil_from_days, days_from_civil};

/// The presets offered, shortest first: (URL value, label, length in ms).
pub const PRESETS: [(&str, &str, u64); 8] = [
    ("15m", "Last 15 minutes", 900_000),
    ("1h", "Last hour", 3_600_000),
    ("6h", "Last 6 hours", 21_600_000),
    ("12h", "Last 12 hours", 43_200_000),
    ("1d", "Last day", 86_400_000),
    ("2d", "Last 2 days", 172_800_000),
    ("7d", "Last 7 days", 604_800_000),
    ("30d", "Last 30 days", 2_592_000_000),
];

/// The preset shown when the URL names no range: Zipkin's own default lookback for `/dependencies`.
pub const DEFAULT_PRESET: &str = "1d";

/// What the URL asks for.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum DependencyRange {
    /// The last `ms` milliseconds before now; `value` is the preset's URL form (`1h`).
    Preset { value: &'static str, ms: u64 },
    /// A fixed window, ms since epoch, `start_ms < end_ms`.
    Absolute { start_ms: u64, end_ms: u64 },
}

impl Default for DependencyRange {
    fn default() -> Self {
        DependencyRange::preset(DEFAULT_PRESET).unwrap_or(DependencyRange::Preset { value: "1d", ms: 86_400_000 })
    }
}

impl DependencyRange {
    /// The preset with this URL value (`1h`), if offered.
    pub fn preset(value: &str) -> Option<DependencyRange> {
        PRESETS.iter().find(|(v, _, _)| *v == value).map(|(v, _, ms)| DependencyRange::Preset { value: v, ms: *ms })
    }

    /// Reads the range from URL values: `startTime`/`endTime` (ms, Lens) win over `lookback`
    /// (a preset). A missing start is one day before the end; a start not before the end, or
    /// anything unreadable, falls back to the default preset rather than failing the page.
    pub fn from_url(start_time: Option<&str>, end_time: Option<&str>, lookback: Option<&str>) -> DependencyRange {
        let number = |v: Option<&str>| v.and_then(|v| v.trim().parse::<u64>().ok()).filter(|v| *v > 0);
        let (start, end) = (number(start_time), number(end_time));
        match (start, end) {
            (Some(start_ms), Some(end_ms)) if start_ms < end_ms => DependencyRange::Absolute { start_ms, end_ms },
            (None, Some(end_ms)) => {
                DependencyRange::Absolute { start_ms: end_ms.saturating_sub(86_400_000), end_ms }.non_empty()
            }
            _ => lookback.and_then(DependencyRange::preset).unwrap_or_default(),
        }
    }

    fn non_empty(self) -> DependencyRange {
        match self {
            DependencyRange::Absolute { start_ms, end_ms } if start_ms >= end_ms => DependencyRange::default(),
            other => other,
        }
    }

    /// The URL parameters of this range, in the page's order.
    pub fn to_url(&self) -> Vec<(&'static str, String)> {
        match self {
            DependencyRange::Preset { value, .. } => vec![("lookback", (*value).to_owned())],
            DependencyRange::Absolute { start_ms, end_ms } => {
                vec![("startTime", start_ms.to_string()), ("endTime", end_ms.to_string())]
            }
        }
    }

    /// The concrete window at `now_ms`.
    pub fn window(&self, now_ms: u64) -> DependencyWindow {
        match *self {
            DependencyRange::Preset { ms, .. } => {
                DependencyWindow { start_ms: now_ms.saturating_sub(ms), end_ms: now_ms }
            }
            DependencyRange::Absolute { start_ms, end_ms } => DependencyWindow { start_ms, end_ms },
        }
    }

    /// A short description for headings and the empty state ("Last hour").
    pub fn label(&self, utc_offset_minutes: i64) -> String {
        match self {
            DependencyRange::Preset { value, ms } => PRESETS
                .iter()
                .find(|(v, _, _)| v == value)
                .map(|(_, label, _)| (*label).to_owned())
                .unwrap_or_else(|| format!("Last {} ms", ms)),
            DependencyRange::Absolute { start_ms, end_ms } => format!(
                "{} to {}",
                format_local(*start_ms, utc_offset_minutes).replace('T', " "),
                format_local(*end_ms, utc_offset_minutes).replace('T', " ")
            ),
        }
    }

    /// The next longer window to suggest when this one found nothing: for a preset the next
    /// preset, for an absolute window a preset at least twice as long (ending now, because an
    /// empty absolute window often means the person typed the wrong day).
    pub fn wider(&self) -> Option<DependencyRange> {
        let length = match *self {
            DependencyRange::Preset { ms, .. } => ms,
            DependencyRange::Absolute { start_ms, end_ms } => end_ms.saturating_sub(start_ms).saturating_mul(2),
        };
        PRESETS.iter().find(|(_, _, ms)| *ms > length).map(|(value, _, ms)| DependencyRange::Preset { value, ms: *ms })
    }
}

/// `YYYY-MM-DDTHH:MM` (the value of an `<input type="datetime-local">`) of an instant, shifted
/// by the local offset (`utc_offset_minutes` east of UTC, i.e. `-Date.getTimezoneOffset()`).
pub fn format_local(ms: u64, utc_offset_minutes: i64) -> String {
    let local_minutes = (ms / 60_000) as i64 + utc_offset_minutes;
    let days = local_minutes.div_euclid(1440);
    let minute_of_day = local_minutes.rem_euclid(1440);
    let (y, m, d) = civil_from_days(days);
    format!("{y:04}-{m:02}-{d:02}T{:02}:{:02}", minute_of_day / 60, minute_of_day % 60)
}

/// The instant of a `YYYY-MM-DDTHH:MM[:SS]` local time, given the local offset at that time.
/// `None` for anything else (an empty or half-typed field).
pub fn parse_local(text: &str, utc_offset_minutes: i64) -> Option<u64> {
    let text = text.trim();
    let (date, time) = text.split_once('T').or_else(|| text.split_once(' '))?;
    let mut date_parts = date.split('-').map(|p| p.parse::<i64>().ok());
    let (y, m, d) = (date_parts.next()??, date_parts.next()??, date_parts.next()??);
    let mut time_parts = time.split(':').map(|p| p.split('.').next().and_then(|p| p.parse::<i64>().ok()));
    let (hh, mm) = (time_parts.next()??, time_parts.next()??);
    let ss = time_parts.next().flatten().unwrap_or(0);
    let valid = (1..=12).contains(&m) && (1..=31).contains(&d) && (0..24).contains(&hh) && (0..60).contains(&mm);
    if !valid || !(0..60).contains(&ss) || date_parts.next().is_some() {
        return None;
    }
    // Month and day were checked to be in range above.
    let days = days_from_civil(y, m as u32, d as u32);
    let seconds = days * 86_400 + hh * 3600 + mm * 60 + ss - utc_offset_minutes * 60;
    u64::try_from(seconds).ok().map(|s| s * 1000)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn lens_links_are_absolute_and_presets_are_relative() {
        let r = DependencyRange::from_url(Some("1000"), Some("5000"), None);
        assert_eq!(r, DependencyRange::Absolute { start_ms: 1000, end_ms: 5000 });
        assert_eq!(r.window(99), DependencyWindow { start_ms: 1000, end_ms: 5000 });
        let p = DependencyRange::from_url(None, None, Some("1h"));
        assert_eq!(p.window(10_000_000), DependencyWindow { start_ms: 6_400_000, end_ms: 10_000_000 });
        assert_eq!(DependencyRange::from_url(Some("9"), Some("5"), Some("junk")), DependencyRange::default());
    }

    #[test]
    fn local_times_round_trip() {
        assert_eq!(format_local(0, 0), "1970-01-01T00:00");
        assert_eq!(format_local(1_571_896_375_322, 120), "2019-10-24T07:52");
        assert_eq!(parse_local("2019-10-24T07:52", 120), Some(1_571_896_320_000));
        assert_eq!(
            parse_local("2024-02-29T23:59:30", 0).map(|ms| format_local(ms, 0)),
            Some("2024-02-29T23:59".into())
        );
        assert_eq!(parse_local("2019-13-01T00:00", 0), None);
        assert_eq!(parse_local("", 0), None);
    }

    #[test]
    fn wider_windows() {
        let hour = DependencyRange::preset("1h").unwrap();
        assert_eq!(hour.wider(), DependencyRange::preset("6h"));
        assert_eq!(DependencyRange::preset("30d").unwrap().wider(), None);
        let abs = DependencyRange::Absolute { start_ms: 0, end_ms: 3_600_000 };
        assert_eq!(abs.wider(), DependencyRange::preset("6h"));
    }
}
