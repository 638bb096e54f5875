//! How a waterfall row is addressed in links (`?span=`, `?focus=`): its span id, then `~n` for
//! the n-th row showing that id. Several rows can show one id (duplicate ids, servers that reuse
//! their client's id on different hosts), and a bare id could not tell them apart; the first row
//! keeps the bare id, so links made before keys existed, and span ids from an embedding page,
//! still open it.

/// The key of the `occurrence`-th row (from 1) showing span `id`.
pub fn row_key(id: &str, occurrence: u32) -> String {
    if occurrence <= 1 {
        id.to_owned()
    } else {
        format!("{id}~{occurrence}")
    }
}

/// A key split into its span id (as written, trimmed) and occurrence (from 1; a bare id and `~1`
/// are the first). `None` when either part is empty or the occurrence is not a positive number.
pub fn parse_row_key(key: &str) -> Option<(&str, u32)> {
    let key = key.trim();
    let (id, occurrence) = match key.split_once('~') {
        None => (key, 1),
        // Digits only: `u32::from_str` would also take a leading `+`.
        Some((id, n)) if !n.is_empty() && n.bytes().all(|b| b.is_ascii_digit()) => (id, n.parse().ok()?),
        Some(_) => return None,
    };
    (!id.is_empty() && occurrence > 0).then_some((id, occurrence))
}

/// The span id part of a key (what the embed bridge reports: it speaks span ids).
pub fn span_id_of_key(key: &str) -> &str {
    let key = key.trim();
    key.split_once('~').map_or(key, |(id, _)| id)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn keys_round_trip_and_a_bare_id_is_the_first() {
        assert_eq!(row_key("00ab", 1), "00ab");
        assert_eq!(row_key("00ab", 3), "00ab~3");
        assert_eq!(parse_row_key("00ab~3"), Some(("00ab", 3)));
        assert_eq!(parse_row_key(" 00ab "), Some(("00ab", 1)));
        assert_eq!(parse_row_key("00ab~1"), Some(("00ab", 1)));
        assert_eq!(span_id_of_key("00ab~3"), "00ab");
        assert_eq!(span_id_of_key("00ab"), "00ab");
    }

    #[test]
    fn malformed_keys_are_refused() {
        for bad in ["", "~2", "ab~", "ab~0", "ab~+2", "ab~-1", "ab~x", "ab~2~2", "ab~99999999999"] {
            assert_eq!(parse_row_key(bad), None, "{bad:?}");
        }
    }
}
