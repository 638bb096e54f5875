//! Trace ids typed by a person: trimmed, lower-cased, and normalised as Zipkin's server does
//! before it looks one up (`Span.normalizeTraceId`): up to 32 hex digits, a shorter id left-padded
//! with zeros to 16 (or to 32 past 16), a 32-digit id whose high half is zero read as its low 16,
//! and an all-zero id refused. So a 15-digit id asks for the 16-digit trace Zipkin would answer.

/// Why a typed trace id was refused, worded for the person who typed it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum TraceIdError {
    Empty,
    NotHex,
    /// More than 32 hex digits (the count).
    TooLong(usize),
    AllZeros,
}

impl std::fmt::Display for TraceIdError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            TraceIdError::Empty => write!(f, "Enter a trace id."),
            TraceIdError::NotHex => write!(f, "A trace id has only hex digits (0-9, a-f)."),
            TraceIdError::TooLong(n) => write!(f, "A trace id has at most 32 hex digits; this one has {n}."),
            TraceIdError::AllZeros => write!(f, "A trace id is never all zeros."),
        }
    }
}

/// The id to ask Zipkin for: `input` trimmed, lower-cased (Zipkin refuses upper case) and padded
/// as the server pads it (16 or 32 digits, a zero high half dropped); refused when the server
/// would refuse it.
pub fn normalize_trace_id(input: &str) -> Result<String, TraceIdError> {
    let id = input.trim();
    if id.is_empty() {
        return Err(TraceIdError::Empty);
    }
    if !id.bytes().all(|b| b.is_ascii_hexdigit()) {
        return Err(TraceIdError::NotHex);
    }
    if id.len() > 32 {
        return Err(TraceIdError::TooLong(id.len()));
    }
    if id.bytes().all(|b| b == b'0') {
        return Err(TraceIdError::AllZeros);
    }
    Ok(super::clean::normalize_trace_id(id))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn accepts_16_and_32_hex_after_trim_and_lowercase() {
        assert_eq!(normalize_trace_id("  A03EE8FFF1DCD9B9 ").unwrap(), "a03ee8fff1dcd9b9");
        assert_eq!(normalize_trace_id(&"ab".repeat(16)).unwrap(), "ab".repeat(16));
    }

    #[test]
    fn short_ids_are_padded_as_zipkin_does() {
        // 15 hex: Zipkin pads to 16 and answers, so the box must ask for the padded id.
        assert_eq!(normalize_trace_id("3ee8fff1dcd9b9a").unwrap(), "03ee8fff1dcd9b9a");
        assert_eq!(normalize_trace_id("ABC").unwrap(), "0000000000000abc");
        // 17 and 31 hex: padded to 32.
        assert_eq!(normalize_trace_id(&"1".repeat(17)).unwrap(), format!("{}{}", "0".repeat(15), "1".repeat(17)));
        assert_eq!(normalize_trace_id(&"f".repeat(31)).unwrap(), format!("0{}", "f".repeat(31)));
        // A 128-bit id whose high half is zero is the 64-bit id.
        assert_eq!(normalize_trace_id(&format!("{}A03EE8FFF1DCD9B9", "0".repeat(16))).unwrap(), "a03ee8fff1dcd9b9");
        assert_eq!(normalize_trace_id(&format!("{}a03ee8fff1dcd9b9", "0".repeat(2))).unwrap(), "a03ee8fff1dcd9b9");
    }

    #[test]
    fn refuses_what_zipkin_refuses() {
        assert_eq!(normalize_trace_id("xyz"), Err(TraceIdError::NotHex));
        assert_eq!(normalize_trace_id("a03ee8fff1dcd9b9-"), Err(TraceIdError::NotHex));
        assert_eq!(normalize_trace_id("   "), Err(TraceIdError::Empty));
        assert_eq!(normalize_trace_id(""), Err(TraceIdError::Empty));
        assert_eq!(normalize_trace_id(&"a".repeat(33)), Err(TraceIdError::TooLong(33)));
        assert_eq!(normalize_trace_id("000"), Err(TraceIdError::AllZeros));
        assert_eq!(TraceIdError::TooLong(33).to_string(), "A trace id has at most 32 hex digits; this one has 33.");
    }
}
