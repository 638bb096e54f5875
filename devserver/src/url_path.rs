//! Percent-decoding of request paths, byte by byte: an escape that is not `%` and two hex digits, or one that
//! decodes to bytes that are not UTF-8, is refused (the caller answers 400), never sliced mid-character.

/// Why a path could not be decoded; the text is the 400 answer.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct MalformedPath(pub String);

fn hex_value(digit: u8) -> Option<u8> {
    (digit as char).to_digit(16).map(|v| v as u8)
}

/// Decodes `%xx` escapes in a URL path.
pub fn percent_decode(path: &str) -> Result<String, MalformedPath> {
    let bytes = path.as_bytes();
    let mut out = Vec::with_capacity(bytes.len());
    let mut i = 0;
    while i < bytes.len() {
        if bytes[i] != b'%' {
            out.push(bytes[i]);
            i += 1;
            continue;
        }
        let high = bytes.get(i + 1).copied().and_then(hex_value);
        let low = bytes.get(i + 2).copied().and_then(hex_value);
        let (Some(high), Some(low)) = (high, low) else {
            return Err(MalformedPath(format!("Malformed percent-encoding at byte {i} of the path")));
        };
        out.push(high << 4 | low);
        i += 3;
    }
    String::from_utf8(out).map_err(|_| MalformedPath("The percent-decoded path is not UTF-8".into()))
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    #[test]
    fn escapes_decode_and_broken_ones_are_refused() {
        assert_eq!(percent_decode("a%20b%2Fc").as_deref(), Ok("a b/c"));
        assert_eq!(percent_decode("caf%C3%A9é").as_deref(), Ok("caféé"));
        assert_eq!(
            percent_decode("%a\u{e9}"),
            Err(MalformedPath("Malformed percent-encoding at byte 0 of the path".into()))
        );
        assert!(percent_decode("x%4").is_err());
        assert!(percent_decode("x%").is_err());
        assert!(percent_decode("%zz").is_err());
        assert_eq!(percent_decode("%e9"), Err(MalformedPath("The percent-decoded path is not UTF-8".into())));
    }

    proptest! {
        #[test]
        fn any_text_decodes_or_is_refused(path in "(%|[0-9a-fA-F]|\\PC){0,12}") {
            let _ = percent_decode(&path);
        }

        #[test]
        fn text_without_escapes_is_unchanged(path in "[^%]{0,20}") {
            prop_assert_eq!(percent_decode(&path), Ok(path.clone()));
        }
    }
}
