//! Wall-clock times as text, in UTC or at a given offset from it (minutes east of UTC, as the
//! browser reports for local time), with no time-zone database: the caller knows the offset.
//! Also relative times ("5 min ago"), the `datetime-local` input format, both ways, and
//! durations as Lens writes them.

/// A duration in µs as Lens writes it (`mkDurationStr` in zipkin-lens `zipkin/trace.js`):
/// `850μs`; `12ms` for whole milliseconds, else `1.234ms`; from a second on always seconds to
/// the millisecond, `306.017s`, however long (minutes would drop the milliseconds, and a column
/// of durations should read at one precision). Zero, negative or not a number: `0ms`. A
/// fractional count (an average) is rounded to the microsecond first.
pub fn format_duration(us: f64) -> String {
    if !us.is_finite() || us <= 0.0 {
        return "0ms".to_owned();
    }
    // `as` saturates: a huge value stays huge instead of wrapping.
    let us = us.round() as u64;
    if us < 1_000 {
        format!("{us}μs")
    } else if us < 1_000_000 {
        if us % 1_000 == 0 {
            format!("{}ms", us / 1_000)
        } else {
            format!("{}.{:03}ms", us / 1_000, us % 1_000)
        }
    } else {
        let ms = us.saturating_add(500) / 1_000;
        format!("{}.{:03}s", ms / 1_000, ms % 1_000)
    }
}

/// A civil date and time, already shifted to the offset it is shown in.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct CivilTime {
    pub year: i64,
    pub month: u32,
    pub day: u32,
    pub hour: u32,
    pub minute: u32,
    pub second: u32,
    pub millisecond: u32,
}

const MS_PER_DAY: i64 = 86_400_000;

/// Days since 1970-01-01 → (year, month, day), proleptic Gregorian (Howard Hinnant's
/// `civil_from_days`), valid for every `i64` day count this module can produce.
pub fn civil_from_days(days: i64) -> (i64, u32, u32) {
    let z = days + 719_468;
    let era = z.div_euclid(146_097);
    let doe = z.rem_euclid(146_097);
    let yoe = (doe - doe / 1_460 + doe / 36_524 - doe / 146_096) / 365;
    let doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
    let mp = (5 * doy + 2) / 153;
    let day = (doy - (153 * mp + 2) / 5 + 1) as u32;
    let month = if mp < 10 { mp + 3 } else { mp - 9 } as u32;
    let year = yoe + era * 400 + i64::from(month <= 2);
    (year, month, day)
}

/// (year, month, day) → days since 1970-01-01; the inverse of [`civil_from_days`].
pub fn days_from_civil(year: i64, month: u32, day: u32) -> i64 {
    let y = if month <= 2 { year - 1 } else { year };
    let era = y.div_euclid(400);
    let yoe = y.rem_euclid(400);
    let m = i64::from(month);
    let doy = (153 * (if m > 2 { m - 3 } else { m + 9 }) + 2) / 5 + i64::from(day) - 1;
    let doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
    era * 146_097 + doe - 719_468
}

/// The civil time of `ms` (since the epoch) at `offset_minutes` east of UTC.
pub fn civil_time(ms: u64, offset_minutes: i32) -> CivilTime {
    let shifted = (ms.min(i64::MAX as u64 / 2) as i64).saturating_add(i64::from(offset_minutes) * 60_000);
    let days = shifted.div_euclid(MS_PER_DAY);
    let in_day = shifted.rem_euclid(MS_PER_DAY);
    let (year, month, day) = civil_from_days(days);
    CivilTime {
        year,
        month,
        day,
        hour: (in_day / 3_600_000) as u32,
        minute: (in_day / 60_000 % 60) as u32,
        second: (in_day / 1_000 % 60) as u32,
        millisecond: (in_day % 1_000) as u32,
    }
}

/// `UTC`, `UTC+02:00`, `UTC-05:30`: the zone a time is shown in.
pub fn format_offset(offset_minutes: i32) -> String {
    if offset_minutes == 0 {
        return "UTC".to_owned();
    }
    let sign = if offset_minutes < 0 { '-' } else { '+' };
    let m = offset_minutes.unsigned_abs();
    format!("UTC{sign}{:02}:{:02}", m / 60, m % 60)
}

/// `2024-05-01 14:03:07.123`: a full timestamp for a search result or a span.
pub fn format_timestamp(ms: u64, offset_minutes: i32) -> String {
    let t = civil_time(ms, offset_minutes);
    format!(
        "{:04}-{:02}-{:02} {:02}:{:02}:{:02}.{:03}",
        t.year, t.month, t.day, t.hour, t.minute, t.second, t.millisecond
    )
}

/// `2024-05-01T14:03:07.123456000Z`: µs since the epoch as RFC 3339 in UTC with nanoseconds, as Jaeger's
/// API v3 reads its times (Go's `time.RFC3339Nano`).
pub fn format_rfc3339_utc(us: u64) -> String {
    let t = civil_time(us / 1000, 0);
    format!(
        "{:04}-{:02}-{:02}T{:02}:{:02}:{:02}.{:06}000Z",
        t.year,
        t.month,
        t.day,
        t.hour,
        t.minute,
        t.second,
        u64::from(t.millisecond) * 1000 + us % 1000
    )
}

/// A time-axis label whose precision suits the axis: `14:03:07.120` below 10 s, `14:03:07` below
/// 10 min, `14:03` below two days, then `05-01 14:03`.
pub fn format_axis_time(ms: u64, offset_minutes: i32, axis_span_ms: u64) -> String {
    let t = civil_time(ms, offset_minutes);
    if axis_span_ms < 10_000 {
        format!("{:02}:{:02}:{:02}.{:03}", t.hour, t.minute, t.second, t.millisecond)
    } else if axis_span_ms < 600_000 {
        format!("{:02}:{:02}:{:02}", t.hour, t.minute, t.second)
    } else if axis_span_ms < 2 * MS_PER_DAY as u64 {
        format!("{:02}:{:02}", t.hour, t.minute)
    } else {
        format!("{:02}-{:02} {:02}:{:02}", t.month, t.day, t.hour, t.minute)
    }
}

/// How long ago `ms` was at `now_ms`: `just now`, `12 s ago`, `5 min ago`, `3 h ago`, `2 days ago`,
/// or `in 4 s` for a time after `now_ms` (clock differences between hosts make that happen).
pub fn format_relative(ms: u64, now_ms: u64) -> String {
    let (delta, future) = if ms > now_ms { (ms - now_ms, true) } else { (now_ms - ms, false) };
    let secs = delta / 1_000;
    let text = if secs < 1 {
        return "just now".to_owned();
    } else if secs < 60 {
        format!("{secs} s")
    } else if secs < 3_600 {
        format!("{} min", secs / 60)
    } else if secs < 86_400 {
        format!("{} h", secs / 3_600)
    } else if secs < 2 * 86_400 {
        "1 day".to_owned()
    } else {
        format!("{} days", secs / 86_400)
    };
    if future {
        format!("in {text}")
    } else {
        format!("{text} ago")
    }
}

/// The value of an `<input type="datetime-local">` (`2024-05-01T14:03`, seconds shown when not 0).
pub fn format_datetime_local(ms: u64, offset_minutes: i32) -> String {
    let t = civil_time(ms, offset_minutes);
    let base = format!("{:04}-{:02}-{:02}T{:02}:{:02}", t.year, t.month, t.day, t.hour, t.minute);
    if t.second == 0 && t.millisecond == 0 {
        base
    } else {
        format!("{base}:{:02}", t.second)
    }
}

/// Reads a `datetime-local` value (`YYYY-MM-DDTHH:MM[:SS[.mmm]]`, a space instead of `T` too)
/// at `offset_minutes` east of UTC. `None` for anything else or a time before the epoch.
pub fn parse_datetime_local(text: &str, offset_minutes: i32) -> Option<u64> {
    let text = text.trim();
    let (date, time) = text.split_once(['T', ' '])?;
    let mut d = date.split('-');
    let year: i64 = d.next()?.parse().ok()?;
    let month: u32 = d.next()?.parse().ok()?;
    let day: u32 = d.next()?.parse().ok()?;
    if d.next().is_some() || !(1..=12).contains(&month) || !(1..=days_in_month(year, month)).contains(&day) {
        return None;
    }
    let mut t = time.split(':');
    let hour: u32 = t.next()?.parse().ok()?;
    let minute: u32 = t.next()?.parse().ok()?;
    let (second, millis) = match t.next() {
        None => (0, 0),
        Some(s) => {
            let (whole, frac) = s.split_once('.').unwrap_or((s, ""));
            let frac = format!("{frac:0<3}");
            (whole.parse::<u32>().ok()?, frac.get(..3)?.parse::<u32>().ok()?)
        }
    };
    if t.next().is_some() || hour > 23 || minute > 59 || second > 59 {
        return None;
    }
    let ms = days_from_civil(year, month, day) * MS_PER_DAY
        + i64::from(hour) * 3_600_000
        + i64::from(minute) * 60_000
        + i64::from(second) * 1_000
        + i64::from(millis)
        - i64::from(offset_minutes) * 60_000;
    u64::try_from(ms).ok()
}

fn days_in_month(year: i64, month: u32) -> u32 {
    match month {
        2 if (year % 4 == 0 && year % 100 != 0) || year % 400 == 0 => 29,
        2 => 28,
        4 | 6 | 9 | 11 => 30,
        _ => 31,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn rfc3339_with_nanoseconds_in_utc() {
        assert_eq!(format_rfc3339_utc(0), "1970-01-01T00:00:00.000000000Z");
        assert_eq!(format_rfc3339_utc(1_700_000_000_123_456), "2023-11-14T22:13:20.123456000Z");
        assert_eq!(format_rfc3339_utc(951_782_400_000_001), "2000-02-29T00:00:00.000001000Z");
    }

    // 2019-10-24T05:52:55.322Z
    const T: u64 = 1_571_896_375_322;

    #[test]
    fn utc_and_offsets() {
        assert_eq!(format_timestamp(T, 0), "2019-10-24 05:52:55.322");
        assert_eq!(format_timestamp(T, 120), "2019-10-24 07:52:55.322");
        assert_eq!(format_timestamp(T, -360), "2019-10-23 23:52:55.322");
        assert_eq!(format_timestamp(0, 0), "1970-01-01 00:00:00.000");
        assert_eq!(format_timestamp(951_782_400_000, 0), "2000-02-29 00:00:00.000");
        assert_eq!(format_offset(0), "UTC");
        assert_eq!(format_offset(330), "UTC+05:30");
        assert_eq!(format_offset(-300), "UTC-05:00");
        // Huge values never panic.
        let _ = format_timestamp(u64::MAX, i32::MAX);
    }

    #[test]
    fn axis_labels_follow_the_span() {
        assert_eq!(format_axis_time(T, 0, 5_000), "05:52:55.322");
        assert_eq!(format_axis_time(T, 0, 60_000), "05:52:55");
        assert_eq!(format_axis_time(T, 0, 3_600_000), "05:52");
        assert_eq!(format_axis_time(T, 0, 7 * 86_400_000), "10-24 05:52");
    }

    #[test]
    fn relative_times() {
        assert_eq!(format_relative(T, T + 400), "just now");
        assert_eq!(format_relative(T, T + 12_000), "12 s ago");
        assert_eq!(format_relative(T, T + 300_000), "5 min ago");
        assert_eq!(format_relative(T, T + 3 * 3_600_000), "3 h ago");
        assert_eq!(format_relative(T, T + 86_400_000), "1 day ago");
        assert_eq!(format_relative(T, T + 9 * 86_400_000), "9 days ago");
        assert_eq!(format_relative(T + 4_000, T), "in 4 s");
    }

    #[test]
    fn datetime_local_round_trips() {
        assert_eq!(format_datetime_local(T, 0), "2019-10-24T05:52:55");
        assert_eq!(format_datetime_local(1_571_896_320_000, 0), "2019-10-24T05:52");
        assert_eq!(parse_datetime_local("2019-10-24T05:52", 0), Some(1_571_896_320_000));
        assert_eq!(parse_datetime_local("2019-10-24T07:52", 120), Some(1_571_896_320_000));
        assert_eq!(parse_datetime_local("2019-10-24 05:52:55.322", 0), Some(T));
        for offset in [-600, 0, 345] {
            let s = format_datetime_local(1_571_896_320_000, offset);
            assert_eq!(parse_datetime_local(&s, offset), Some(1_571_896_320_000));
        }
        assert_eq!(parse_datetime_local("2019-02-29T00:00", 0), None);
        assert_eq!(parse_datetime_local("2019-10-24T24:00", 0), None);
        assert_eq!(parse_datetime_local("yesterday", 0), None);
        assert_eq!(parse_datetime_local("1969-12-31T23:59", 0), None);
    }

    #[test]
    fn durations_read_as_lens_shows_them() {
        assert_eq!(format_duration(0.0), "0ms");
        assert_eq!(format_duration(-5.0), "0ms");
        assert_eq!(format_duration(f64::NAN), "0ms");
        assert_eq!(format_duration(850.0), "850μs");
        assert_eq!(format_duration(999.4), "999μs");
        // Whole milliseconds stay short (spans often have millisecond resolution), others
        // show every microsecond.
        assert_eq!(format_duration(12_000.0), "12ms");
        assert_eq!(format_duration(1_234.0), "1.234ms");
        assert_eq!(format_duration(1_200.0), "1.200ms");
        assert_eq!(format_duration(131_848.0), "131.848ms");
        assert_eq!(format_duration(999_999.0), "999.999ms");
        // From a second on, always to the millisecond, however long: no minutes that drop
        // the milliseconds.
        assert_eq!(format_duration(1_000_000.0), "1.000s");
        assert_eq!(format_duration(3_500_000.0), "3.500s");
        assert_eq!(format_duration(59_999_999.0), "60.000s");
        assert_eq!(format_duration(306_017_000.0), "306.017s");
        assert_eq!(format_duration(306_017_499.0), "306.017s");
        assert_eq!(format_duration(306_017_500.0), "306.018s");
        assert_eq!(format_duration(7_200_000_000.0), "7200.000s");
        // A fractional microsecond count (an average) rounds to the microsecond first.
        assert_eq!(format_duration(999.6), "1ms");
        assert_eq!(format_duration(1_234.4), "1.234ms");
        let _ = format_duration(f64::MAX);
    }
}
