//! Reading Jaeger's query parameters as its Go server does (v2.20's `query_parser.go` and API v3's
//! `query_parser.go`): repeatable parameters, where `Get` means the first value and "" means absent; Go
//! durations (`time.ParseDuration`); RFC 3339 times with nanoseconds (`time.RFC3339Nano`); trace ids as
//! `model.TraceIDFromString` reads them (up to 32 hex digits, a high and a low half); tags as a JSON object of
//! strings. Error texts are Go's, so that a client sees what Jaeger would tell it.
use spanscope_domain::time_format::days_from_civil;

/// A query string's parameters in order, repeats kept (`url.Values`).
#[derive(Debug, Clone, Default)]
pub struct Values(Vec<(String, String)>);

impl Values {
    /// Parses `a=1&b=x%20y` (form encoding: `+` is a space).
    pub fn parse(raw: Option<&str>) -> Values {
        Values(
            form_urlencoded::parse(raw.unwrap_or("").as_bytes())
                .map(|(k, v)| (k.into_owned(), v.into_owned()))
                .collect(),
        )
    }

    /// `url.Values.Get`: the first value, "" when absent.
    pub fn get(&self, name: &str) -> &str {
        self.0.iter().find(|(k, _)| k == name).map(|(_, v)| v.as_str()).unwrap_or("")
    }

    /// Every value of a repeatable parameter.
    pub fn all(&self, name: &str) -> Vec<&str> {
        self.0.iter().filter(|(k, _)| k == name).map(|(_, v)| v.as_str()).collect()
    }

    /// API v3's `getQueryParam`: the canonical name's value, else the deprecated one's, with the name used.
    pub fn get_either<'a>(&'a self, canonical: &'a str, deprecated: &'a str) -> (&'a str, &'a str) {
        match self.get(canonical) {
            "" => (self.get(deprecated), deprecated),
            v => (v, canonical),
        }
    }
}

/// Go's `strconv` error text: `strconv.ParseInt: parsing "x": invalid syntax`.
fn syntax_error(function: &str, text: &str) -> String {
    format!("strconv.{function}: parsing {text:?}: invalid syntax")
}

/// `strconv.ParseInt(text, 10, 64)`.
pub fn parse_int(text: &str) -> Result<i64, String> {
    let digits = text.strip_prefix(['+', '-']).unwrap_or(text);
    if digits.is_empty() || !digits.bytes().all(|b| b.is_ascii_digit()) {
        return Err(syntax_error("ParseInt", text));
    }
    text.parse::<i64>().map_err(|_| format!("strconv.ParseInt: parsing {text:?}: value out of range"))
}

/// `time.ParseDuration`: a signed sequence of decimal numbers, each with an optional fraction and a unit
/// (`ns`, `us`, `µs`, `ms`, `s`, `m`, `h`), e.g. `1.5h`, `250ms`, `1m30s`; `0` needs no unit. Nanoseconds.
pub fn parse_duration(text: &str) -> Result<i64, String> {
    let invalid = || format!("time: invalid duration {text:?}");
    let (negative, mut rest) = match text.as_bytes().first() {
        Some(b'-') => (true, &text[1..]),
        Some(b'+') => (false, &text[1..]),
        _ => (false, text),
    };
    if rest == "0" {
        return Ok(0);
    }
    if rest.is_empty() {
        return Err(invalid());
    }
    let mut total: f64 = 0.0;
    while !rest.is_empty() {
        let number_len = rest.bytes().take_while(|b| b.is_ascii_digit() || *b == b'.').count();
        let number = &rest[..number_len];
        if number.is_empty() || number == "." || number.matches('.').count() > 1 {
            return Err(invalid());
        }
        let value: f64 = number.parse().map_err(|_| invalid())?;
        rest = &rest[number_len..];
        let unit_len =
            rest.char_indices().find(|(_, c)| c.is_ascii_digit() || *c == '.').map_or(rest.len(), |(i, _)| i);
        let unit = &rest[..unit_len];
        let scale = match unit {
            "" => return Err(format!("time: missing unit in duration {text:?}")),
            "ns" => 1.0,
            "us" | "µs" | "μs" => 1e3,
            "ms" => 1e6,
            "s" => 1e9,
            "m" => 60e9,
            "h" => 3600e9,
            other => return Err(format!("time: unknown unit {other:?} in duration {text:?}")),
        };
        total += value * scale;
        if total > i64::MAX as f64 {
            return Err(invalid());
        }
        rest = &rest[unit_len..];
    }
    let ns = total.round() as i64;
    Ok(if negative { -ns } else { ns })
}

/// The layout Go names in its parse errors.
const RFC3339_NANO: &str = "2006-01-02T15:04:05.999999999Z07:00";

/// `time.Parse(time.RFC3339Nano, text)`: `2024-05-01T12:00:00.123456789Z` or with a `±hh:mm` offset; the
/// fraction is optional. Nanoseconds since the epoch (times before it count as the epoch).
pub fn parse_rfc3339(text: &str) -> Result<u64, String> {
    let error = || format!("parsing time {text:?} as {RFC3339_NANO:?}: cannot parse {text:?} as RFC 3339");
    let b = text.as_bytes();
    let digits = |from: usize, len: usize| -> Option<i64> {
        let part = b.get(from..from + len)?;
        part.iter().all(u8::is_ascii_digit).then(|| part.iter().fold(0i64, |n, d| n * 10 + i64::from(d - b'0')))
    };
    let at = |i: usize, c: u8| b.get(i) == Some(&c);
    if !(at(4, b'-') && at(7, b'-') && at(10, b'T') && at(13, b':') && at(16, b':')) {
        return Err(error());
    }
    let (year, month, day) =
        (digits(0, 4).ok_or_else(error)?, digits(5, 2).ok_or_else(error)?, digits(8, 2).ok_or_else(error)?);
    let (hour, minute, second) =
        (digits(11, 2).ok_or_else(error)?, digits(14, 2).ok_or_else(error)?, digits(17, 2).ok_or_else(error)?);
    let mut i = 19;
    let mut nanos = 0i64;
    if at(i, b'.') {
        let len = b[i + 1..].iter().take_while(|d| d.is_ascii_digit()).count();
        if len == 0 || len > 9 {
            return Err(error());
        }
        nanos = digits(i + 1, len).ok_or_else(error)? * 10i64.pow(9 - len as u32);
        i += 1 + len;
    }
    let offset = match b.get(i) {
        Some(b'Z') if i + 1 == b.len() => 0,
        Some(sign @ (b'+' | b'-')) if i + 6 == b.len() && at(i + 3, b':') => {
            let minutes = digits(i + 1, 2).ok_or_else(error)? * 60 + digits(i + 4, 2).ok_or_else(error)?;
            if *sign == b'+' {
                minutes
            } else {
                -minutes
            }
        }
        _ => return Err(error()),
    };
    let days_in_month = [31, if is_leap(year) { 29 } else { 28 }, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31];
    if !(1..=12).contains(&month)
        || day < 1
        || day > days_in_month[(month - 1) as usize]
        || hour > 23
        || minute > 59
        || second > 59
    {
        return Err(format!("parsing time {text:?}: a month, day or time of day out of range"));
    }
    // Month and day were checked to be in range above.
    let seconds =
        days_from_civil(year, month as u32, day as u32) * 86_400 + hour * 3600 + minute * 60 + second - offset * 60;
    let ns = i128::from(seconds) * 1_000_000_000 + i128::from(nanos);
    Ok(ns.clamp(0, i128::from(u64::MAX)) as u64)
}

fn is_leap(year: i64) -> bool {
    (year % 4 == 0 && year % 100 != 0) || year % 400 == 0
}

/// `model.TraceIDFromString`: up to 32 hex digits, the last 16 the low half. The id as the store keys it:
/// 16 lower-case digits when the high half is zero, else 32.
pub fn parse_trace_id(text: &str) -> Result<String, String> {
    if text.len() > 32 {
        return Err(format!("TraceID cannot be longer than 32 hex characters: {text}"));
    }
    // Split as Go does, by bytes: the split may fall inside a multi-byte character, so the halves are bytes.
    let parse = |part: &[u8]| {
        if part.is_empty() || !part.iter().all(u8::is_ascii_hexdigit) {
            Err(syntax_error("ParseUint", &String::from_utf8_lossy(part)))
        } else {
            Ok(part.iter().fold(0u64, |n, d| n << 4 | u64::from((*d as char).to_digit(16).expect("a hex digit"))))
        }
    };
    let bytes = text.as_bytes();
    let (high, low) = if bytes.len() > 16 {
        let (high, low) = bytes.split_at(bytes.len() - 16);
        (parse(high)?, parse(low)?)
    } else {
        (0, parse(bytes)?)
    };
    Ok(if high == 0 { format!("{low:016x}") } else { format!("{high:016x}{low:016x}") })
}

/// A JSON object of strings (`map[string]string`), as `tags` and `query.attributes` carry them; the last of
/// a repeated key wins. Errors are serde's text.
pub fn parse_string_map(text: &str) -> Result<Vec<(String, String)>, String> {
    let map: std::collections::BTreeMap<String, String> = serde_json::from_str(text).map_err(|e| e.to_string())?;
    Ok(map.into_iter().collect())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn go_durations() {
        assert_eq!(parse_duration("1.2s"), Ok(1_200_000_000));
        assert_eq!(parse_duration("250ms"), Ok(250_000_000));
        assert_eq!(parse_duration("1h2m3s"), Ok(3_723_000_000_000));
        assert_eq!(parse_duration("10us"), Ok(10_000));
        assert_eq!(parse_duration("10µs"), Ok(10_000));
        assert_eq!(parse_duration(".5ms"), Ok(500_000));
        assert_eq!(parse_duration("-1s"), Ok(-1_000_000_000));
        assert_eq!(parse_duration("0"), Ok(0));
        assert_eq!(parse_duration("100").unwrap_err(), "time: missing unit in duration \"100\"");
        assert_eq!(parse_duration("5x").unwrap_err(), "time: unknown unit \"x\" in duration \"5x\"");
        assert_eq!(parse_duration("abc").unwrap_err(), "time: invalid duration \"abc\"");
        assert_eq!(parse_duration("").unwrap_err(), "time: invalid duration \"\"");
    }

    #[test]
    fn rfc3339_with_nanoseconds_and_offsets() {
        assert_eq!(parse_rfc3339("1970-01-01T00:00:00Z"), Ok(0));
        assert_eq!(parse_rfc3339("2024-02-29T12:00:00.123456789Z"), Ok(1_709_208_000_123_456_789));
        assert_eq!(parse_rfc3339("2024-02-29T13:30:00.5+01:30"), Ok(1_709_208_000_500_000_000));
        assert_eq!(parse_rfc3339("2023-11-14T22:13:20Z"), Ok(1_700_000_000_000_000_000));
        for bad in [
            "2024-02-30T00:00:00Z",
            "2024-01-01 00:00:00Z",
            "2024-01-01T00:00:00",
            "1700000000",
            "2024-01-01T00:00:00.Z",
        ] {
            assert!(parse_rfc3339(bad).is_err(), "{bad}");
        }
        assert!(parse_rfc3339("x")
            .unwrap_err()
            .starts_with("parsing time \"x\" as \"2006-01-02T15:04:05.999999999Z07:00\""));
    }

    #[test]
    fn trace_ids_as_jaeger_reads_them() {
        assert_eq!(parse_trace_id("abc").unwrap(), "0000000000000abc");
        assert_eq!(parse_trace_id("00000000000000000000000000000abc").unwrap(), "0000000000000abc");
        assert_eq!(parse_trace_id("1000000000000000F").unwrap(), "0000000000000001000000000000000f");
        assert_eq!(parse_trace_id("xyz").unwrap_err(), "strconv.ParseUint: parsing \"xyz\": invalid syntax");
        assert!(parse_trace_id(&"a".repeat(33)).unwrap_err().starts_with("TraceID cannot be longer than 32"));
        assert!(parse_trace_id("").is_err());
        // 18 bytes whose split point falls inside the `é`: refused, not a panic.
        assert_eq!(
            parse_trace_id("a\u{e9}012345678901234").unwrap_err(),
            "strconv.ParseUint: parsing \"a\u{fffd}\": invalid syntax"
        );
    }

    proptest::proptest! {
        #[test]
        fn any_text_parses_or_is_refused(text in "([0-9a-f]|\\PC){0,40}") {
            let _ = parse_trace_id(&text);
            let _ = parse_duration(&text);
            let _ = parse_rfc3339(&text);
            let _ = parse_int(&text);
        }
    }

    #[test]
    fn values_keep_repeats_and_get_the_first() {
        let v = Values::parse(Some("traceID=a&traceID=b&service=x+y&service=z"));
        assert_eq!(v.all("traceID"), ["a", "b"]);
        assert_eq!((v.get("service"), v.get("none")), ("x y", ""));
        assert_eq!(v.get_either("query.serviceName", "query.service"), ("", "query.service"));
        assert_eq!(parse_int("-5"), Ok(-5));
        assert_eq!(parse_int("5s").unwrap_err(), "strconv.ParseInt: parsing \"5s\": invalid syntax");
        assert_eq!(
            parse_string_map(r#"{"b":"2","a":"1"}"#).unwrap(),
            [("a".into(), "1".into()), ("b".into(), "2".into())]
        );
        assert!(parse_string_map(r#"{"a":1}"#).is_err());
    }
}
