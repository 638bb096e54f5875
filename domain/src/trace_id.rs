//! Trace ids typed by a person: trimmed, lower-cased, and accepted only as 16 or 32 hex digits.

/// Why a typed trace id was refused, worded for the person who typed it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum TraceIdError {
    Empty,
    NotHex,
    WrongLength(usize),
}

impl std::fmt::Display for TraceIdError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            TraceIdError::Empty => write!(f, "Enter a trace id."),
            TraceIdError::NotHex => write!(f, "A trace id has only hex digits (0-9, a-f)."),
            TraceIdError::WrongLength(n) => {
                write!(f, "A trace id has 16 or 32 hex digits; this one has {n}.")
            }
        }
    }
}

/// Trims and lower-cases `input`; returns it when it is 16 or 32 hex digits.
pub fn normalize_trace_id(input: &str) -> Result<String, TraceIdError> {
    let id = input.trim().to_ascii_lowercase();
    if id.is_empty() {
        return Err(TraceIdError::Empty);
    }
    if !id.bytes().all(|b| b.is_ascii_hexdigit()) {
        return Err(TraceIdError::NotHex);
    }
    match id.len() {
        16 | 32 => Ok(id),
        n => Err(TraceIdError::WrongLength(n)),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn accepts_16_and_32_hex_after_trim_and_lowercase() {
        assert_eq!(normalize_trace_id("  A03EE8FFF1DCD9B9 ").unwrap(), "a03ee8fff1dcd9b9");
        assert_eq!(normalize_trace_id(&"ab".repeat(16)).unwrap().len(), 32);
    }

    #[test]
    fn refuses_everything_else() {
        assert_eq!(normalize_trace_id("xyz"), Err(TraceIdError::NotHex));
        assert_eq!(normalize_trace_id("abc"), Err(TraceIdError::WrongLength(3)));
        assert_eq!(normalize_trace_id("   "), Err(TraceIdError::Empty));
    }
}
