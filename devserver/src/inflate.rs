//! Bounded gzip decompression for request bodies: inflating stops one byte past the limit, so a gzip bomb
//! (a megabyte that would inflate to a gigabyte) costs at most the limit in memory and is refused with 413.
use axum::http::StatusCode;
use std::io::Read;

/// Why a gzipped body was not inflated.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum InflateError {
    /// It inflates past this many bytes (`--max-inflated-bytes`).
    TooLarge(usize),
    /// It is no gzip stream.
    Corrupt,
}

impl InflateError {
    /// The status a request with such a body gets.
    pub fn status(&self) -> StatusCode {
        match self {
            InflateError::TooLarge(_) => StatusCode::PAYLOAD_TOO_LARGE,
            InflateError::Corrupt => StatusCode::BAD_REQUEST,
        }
    }
}

impl std::fmt::Display for InflateError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            InflateError::TooLarge(limit) => {
                write!(f, "The gzipped body inflates past {limit} bytes (--max-inflated-bytes)")
            }
            InflateError::Corrupt => f.write_str("Cannot gunzip spans"),
        }
    }
}

/// A gzipped body, unzipped (several members read as one, as Zipkin does), refused past `limit` bytes.
pub fn gunzip(body: &[u8], limit: usize) -> Result<Vec<u8>, InflateError> {
    let mut out = Vec::new();
    let cap = u64::try_from(limit).unwrap_or(u64::MAX).saturating_add(1);
    flate2::read::MultiGzDecoder::new(body).take(cap).read_to_end(&mut out).map_err(|_| InflateError::Corrupt)?;
    if out.len() > limit {
        return Err(InflateError::TooLarge(limit));
    }
    Ok(out)
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::io::Write;

    fn gzip(bytes: &[u8]) -> Vec<u8> {
        let mut encoder = flate2::write::GzEncoder::new(Vec::new(), flate2::Compression::default());
        encoder.write_all(bytes).unwrap();
        encoder.finish().unwrap()
    }

    #[test]
    fn inflates_up_to_the_limit_and_no_further() {
        let body = gzip(&[7u8; 1000]);
        assert_eq!(gunzip(&body, 1000), Ok(vec![7u8; 1000]));
        assert_eq!(gunzip(&body, 999), Err(InflateError::TooLarge(999)));
        let two_members = [gzip(b"ab"), gzip(b"cd")].concat();
        assert_eq!(gunzip(&two_members, 4), Ok(b"abcd".to_vec()));
        assert_eq!(gunzip(&two_members, 3), Err(InflateError::TooLarge(3)));
        assert_eq!(gunzip(b"not gzip", 100), Err(InflateError::Corrupt));
        assert_eq!(InflateError::TooLarge(3).status(), StatusCode::PAYLOAD_TOO_LARGE);
    }
}
