//! What a server's `Content-Length` is believed for: a hint, never an order. The fetch layer reserves memory
//! from it (so a large trace does not grow by doubling and leave wasm memory, which never shrinks, at twice its
//! size) only up to a sane amount, and names it when a body breaks off short of it.

/// The most reserved up front: a 100,000-span trace is about 35 MB, a million spans about 350 MB. A server that
/// announces more still gets its body read, growing as it comes.
const MAX_RESERVATION: u64 = 512 << 20;

/// Bytes to reserve for a body announced as `announced` (the header's text, if any): the announced size up to
/// `MAX_RESERVATION`, nothing for a header that is not a number.
pub fn reservation(announced: Option<&str>) -> usize {
    let announced = announced.and_then(|text| text.trim().parse::<u64>().ok()).unwrap_or(0);
    usize::try_from(announced.min(MAX_RESERVATION)).unwrap_or(0)
}

/// What to say of a body that stopped coming after `received` bytes, once the server had answered: the server
/// is reachable, its answer is cut (browsers may deliver none of a body that broke off).
pub fn broke_off(received: usize, announced: Option<&str>) -> String {
    match announced.and_then(|text| text.trim().parse::<u64>().ok()) {
        Some(total) => format!(
            "the answer broke off after {received} of the {total} bytes the server announced (a proxy or server \
             limit, or the connection dropped)"
        ),
        None => {
            format!("the answer broke off after {received} bytes (a proxy or server limit, or the connection dropped)")
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    // Issue 25: "Content-Length: 3000000000" with a 1 KB body made the reservation overflow (a panic in wasm).
    #[test]
    fn an_announced_size_is_believed_only_up_to_the_cap() {
        assert_eq!(reservation(Some("35000000")), 35_000_000);
        assert_eq!(reservation(Some("3000000000")), 512 << 20);
        assert_eq!(reservation(Some("18446744073709551615")), 512 << 20);
        assert_eq!(reservation(Some("99999999999999999999999")), 0);
        assert_eq!(reservation(Some("-5")), 0);
        assert_eq!(reservation(Some("abc")), 0);
        assert_eq!(reservation(None), 0);
    }

    #[test]
    fn a_body_that_breaks_off_says_how_far_it_came() {
        assert_eq!(
            broke_off(1024, Some("3000000000")),
            "the answer broke off after 1024 of the 3000000000 bytes the server announced (a proxy or server \
             limit, or the connection dropped)"
        );
        assert_eq!(
            broke_off(0, None),
            "the answer broke off after 0 bytes (a proxy or server limit, or the connection dropped)"
        );
    }
}
