//! Counting a JSON key in raw bytes, to size a decoder's vector once before it parses: one vectorised
//! substring search, no allocation.

/// How many times `quoted_key` (with its quotes) appears outside string values: inside one, its quotes would be
/// escaped (`\"traceId\"`), so those are not counted.
pub(crate) fn count_keys(input: &[u8], quoted_key: &[u8]) -> usize {
    memchr::memmem::find_iter(input, quoted_key).filter(|&at| at == 0 || input.get(at - 1) != Some(&b'\\')).count()
}
