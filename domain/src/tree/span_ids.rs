//! Span ids turned into small integers once per trace, so the tree and row passes compare and
//! look up `u32`s instead of hashing and comparing 16-character heap strings (at 100,000 spans
//! those string reads were most of building a model: each one is a cache miss).
//!
//! A canonical id (exactly 16 lower-case hex digits, what cleaning produces for real ids) maps
//! one-to-one onto a `u64`; any other string is kept as a string key, so odd ids still work and
//! two ids are the same integer exactly when they are the same string.
use crate::fast_hash::FastMap;
use crate::span::Span;

/// "No such id": a span without a parent id.
pub(crate) const NO_PARENT: u32 = u32::MAX;
/// A parent id that no span in the trace has.
pub(crate) const MISSING: u32 = u32::MAX - 1;

/// The value of a canonical id: exactly 16 lower-case hex digits. Upper-case digits are refused
/// on purpose: `"A"` and `"a"` are different strings, so they must not share a value.
pub(crate) fn hex16(id: &str) -> Option<u64> {
    let b = id.as_bytes();
    if b.len() != 16 {
        return None;
    }
    let mut v = 0u64;
    for &c in b {
        let d = match c {
            b'0'..=b'9' => c - b'0',
            b'a'..=b'f' => c - b'a' + 10,
            _ => return None,
        };
        v = (v << 4) | u64::from(d);
    }
    Some(v)
}

/// Dense numbers for distinct id strings, in order of first appearance.
#[derive(Default)]
struct Interner<'a> {
    hex: FastMap<u64, u32>,
    other: FastMap<&'a str, u32>,
}

impl<'a> Interner<'a> {
    fn with_capacity(n: usize) -> Self {
        let mut hex = FastMap::default();
        hex.reserve(n);
        Interner { hex, other: FastMap::default() }
    }

    fn len(&self) -> u32 {
        (self.hex.len() + self.other.len()) as u32
    }

    fn intern(&mut self, id: &'a str) -> u32 {
        let next = self.len();
        match hex16(id) {
            Some(v) => *self.hex.entry(v).or_insert(next),
            None => *self.other.entry(id).or_insert(next),
        }
    }

    fn intern_hex(&mut self, v: u64) -> u32 {
        let next = self.len();
        *self.hex.entry(v).or_insert(next)
    }

    fn get(&self, id: &str) -> Option<u32> {
        match hex16(id) {
            Some(v) => self.hex.get(&v).copied(),
            None => self.other.get(id).copied(),
        }
    }
}

/// Every span's id and parent id as dense numbers `0..count`.
#[derive(Debug, Clone, Default)]
pub(crate) struct SpanIds {
    /// The number of each span's id.
    pub id: Vec<u32>,
    /// The number of each span's parent id: `NO_PARENT` when it has none, `MISSING` when no
    /// span of the trace has that id.
    pub parent: Vec<u32>,
    /// How many distinct span ids there are.
    pub count: u32,
}

impl SpanIds {
    /// Numbers the ids of `spans`. O(n), one hash per id and parent id.
    pub fn of(spans: &[Span]) -> SpanIds {
        let mut names = Interner::with_capacity(spans.len());
        let id: Vec<u32> = spans.iter().map(|s| names.intern(&s.id)).collect();
        let parent = spans
            .iter()
            .map(|s| match s.parent_id.as_deref() {
                None => NO_PARENT,
                Some(p) => names.get(p).unwrap_or(MISSING),
            })
            .collect();
        SpanIds { id, parent, count: names.len() }
    }

    /// Numbers the ids from keys already read (`IdKeys`), touching an id string only when its key
    /// is not a canonical value. The keys must describe `spans` as they are now.
    pub fn from_keys(spans: &[Span], keys: &IdKeys) -> SpanIds {
        let mut names = Interner::with_capacity(spans.len());
        let id: Vec<u32> = spans
            .iter()
            .enumerate()
            .map(|(i, s)| match keys.id.get(i) {
                Some(Some(v)) => names.intern_hex(*v),
                _ => names.intern(&s.id),
            })
            .collect();
        let parent = spans
            .iter()
            .enumerate()
            .map(|(i, s)| match (s.parent_id.as_deref(), keys.parent.get(i)) {
                (None, _) => NO_PARENT,
                (Some(_), Some(Some(v))) => names.hex.get(v).copied().unwrap_or(MISSING),
                (Some(p), _) => names.get(p).unwrap_or(MISSING),
            })
            .collect();
        SpanIds { id, parent, count: names.len() }
    }
}

/// Ids read once from their strings, by a pass that has the span in cache anyway (cleaning):
/// the value of a canonical id, `None` for any other string (which is then compared as one).
#[derive(Debug, Clone, Default)]
pub(crate) struct IdKeys {
    pub id: Vec<Option<u64>>,
    /// Meaningful only for spans that have a parent id.
    pub parent: Vec<Option<u64>>,
}

impl IdKeys {
    /// The keys of one span's id and parent id.
    pub fn read(span: &Span) -> (Option<u64>, Option<u64>) {
        (hex16(&span.id), span.parent_id.as_deref().and_then(hex16))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn span(id: &str, parent: Option<&str>) -> Span {
        Span { id: id.into(), parent_id: parent.map(Into::into), ..Span::default() }
    }

    #[test]
    fn canonical_ids_are_integers_and_others_still_work() {
        assert_eq!(hex16("00000000000000ff"), Some(255));
        assert_eq!(hex16("00000000000000FF"), None);
        assert_eq!(hex16("ff"), None);
        assert_eq!(hex16("000000000000000g"), None);
        let spans = [
            span("00000000000000ff", None),
            span("x", Some("00000000000000ff")),
            span("00000000000000FF", Some("x")),
            span("00000000000000ff", Some("nope")),
        ];
        let ids = SpanIds::of(&spans);
        assert_eq!(ids.id, vec![0, 1, 2, 0]);
        assert_eq!(ids.parent, vec![NO_PARENT, 0, 1, MISSING]);
        assert_eq!(ids.count, 3);
        let mut keys = IdKeys::default();
        for s in &spans {
            let (id, parent) = IdKeys::read(s);
            keys.id.push(id);
            keys.parent.push(parent);
        }
        let from_keys = SpanIds::from_keys(&spans, &keys);
        assert_eq!((from_keys.id, from_keys.parent, from_keys.count), (ids.id, ids.parent, ids.count));
    }
}
