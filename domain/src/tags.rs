//! A span's tags: a small map from key to value kept as one vector sorted by key.
//!
//! Spans carry a handful of tags each. A `BTreeMap` gives every span a 544-byte node and makes
//! each scan (the `error` tag, find-in-trace) walk node links; a sorted vector is one small
//! block read front to back, which at 100,000 spans saves tens of megabytes and a third of
//! the time spent looking at tags. It reads and writes as a JSON object, like the map did.
use super::sorting;
use serde::de::{MapAccess, Visitor};
use serde::ser::SerializeMap;
use serde::{Deserialize, Deserializer, Serialize, Serializer};
use std::fmt;

/// Tags sorted by key, each key once.
#[derive(Debug, Clone, Default, PartialEq, Eq, Hash)]
pub struct Tags(Vec<(String, String)>);

impl Tags {
    pub fn new() -> Self {
        Tags(Vec::new())
    }

    pub fn len(&self) -> usize {
        self.0.len()
    }

    pub fn is_empty(&self) -> bool {
        self.0.is_empty()
    }

    fn position(&self, key: &str) -> Result<usize, usize> {
        self.0.binary_search_by(|(k, _)| k.as_str().cmp(key))
    }

    pub fn get(&self, key: &str) -> Option<&String> {
        self.position(key).ok().and_then(|i| self.0.get(i)).map(|(_, v)| v)
    }

    pub fn contains_key(&self, key: &str) -> bool {
        self.position(key).is_ok()
    }

    /// Sets a tag, returning the value it replaced.
    pub fn insert(&mut self, key: String, value: String) -> Option<String> {
        match self.position(&key) {
            Ok(i) => self.0.get_mut(i).map(|(_, v)| std::mem::replace(v, value)),
            Err(i) => {
                self.0.insert(i, (key, value));
                None
            }
        }
    }

    /// Removes a tag, returning its value.
    pub fn remove(&mut self, key: &str) -> Option<String> {
        self.position(key).ok().map(|i| self.0.remove(i).1)
    }

    /// Key and value pairs in key order.
    pub fn iter(&self) -> impl ExactSizeIterator<Item = (&String, &String)> {
        self.into_iter()
    }

    pub fn keys(&self) -> impl ExactSizeIterator<Item = &String> {
        self.0.iter().map(|(k, _)| k)
    }

    pub fn values(&self) -> impl ExactSizeIterator<Item = &String> {
        self.0.iter().map(|(_, v)| v)
    }

    /// Builds from pairs in any order; for a key given twice the last value wins, as when a
    /// JSON object repeats a key.
    pub(crate) fn from_pairs(mut pairs: Vec<(String, String)>) -> Self {
        // Input is usually sorted already (Zipkin writes tags in key order): then no sort runs.
        if !pairs.windows(2).all(|w| w[0].0 < w[1].0) {
            // Stable, so equal keys keep their order and the last is the one to keep.
            sorting::sort_by(&mut pairs, |a, b| a.0.cmp(&b.0));
            let mut deduped: Vec<(String, String)> = Vec::with_capacity(pairs.len());
            for pair in pairs {
                match deduped.last_mut() {
                    Some(last) if last.0 == pair.0 => *last = pair,
                    _ => deduped.push(pair),
                }
            }
            pairs = deduped;
        }
        Tags(pairs)
    }
}

impl Extend<(String, String)> for Tags {
    fn extend<I: IntoIterator<Item = (String, String)>>(&mut self, iter: I) {
        for (k, v) in iter {
            self.insert(k, v);
        }
    }
}

impl FromIterator<(String, String)> for Tags {
    fn from_iter<I: IntoIterator<Item = (String, String)>>(iter: I) -> Self {
        Tags::from_pairs(iter.into_iter().collect())
    }
}

impl<const N: usize> From<[(String, String); N]> for Tags {
    fn from(pairs: [(String, String); N]) -> Self {
        pairs.into_iter().collect()
    }
}

impl IntoIterator for Tags {
    type Item = (String, String);
    type IntoIter = std::vec::IntoIter<(String, String)>;
    fn into_iter(self) -> Self::IntoIter {
        self.0.into_iter()
    }
}

impl<'a> IntoIterator for &'a Tags {
    type Item = (&'a String, &'a String);
    type IntoIter = std::iter::Map<std::slice::Iter<'a, (String, String)>, fn(&'a (String, String)) -> Self::Item>;
    fn into_iter(self) -> Self::IntoIter {
        self.0.iter().map(|(k, v)| (k, v))
    }
}

impl Serialize for Tags {
    fn serialize<S: Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        let mut map = serializer.serialize_map(Some(self.0.len()))?;
        for (k, v) in &self.0 {
            map.serialize_entry(k, v)?;
        }
        map.end()
    }
}

/// Reads a JSON object of string values; `lenient::tags` is the forgiving reader for wire input.
impl<'de> Deserialize<'de> for Tags {
    fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        struct TagsVisitor;
        impl<'de> Visitor<'de> for TagsVisitor {
            type Value = Tags;
            fn expecting(&self, f: &mut fmt::Formatter) -> fmt::Result {
                f.write_str("an object of tags")
            }
            fn visit_map<A: MapAccess<'de>>(self, mut map: A) -> Result<Tags, A::Error> {
                let mut pairs = Vec::with_capacity(map.size_hint().unwrap_or(0).min(64));
                while let Some(pair) = map.next_entry::<String, String>()? {
                    pairs.push(pair);
                }
                Ok(Tags::from_pairs(pairs))
            }
        }
        deserializer.deserialize_map(TagsVisitor)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn tags(pairs: &[(&str, &str)]) -> Tags {
        pairs.iter().map(|(k, v)| (k.to_string(), v.to_string())).collect()
    }

    #[test]
    fn kept_sorted_with_the_last_value_of_a_repeated_key() {
        let t = tags(&[("b", "1"), ("a", "2"), ("b", "3")]);
        assert_eq!(t.keys().map(String::as_str).collect::<Vec<_>>(), ["a", "b"]);
        assert_eq!(t.get("b").map(String::as_str), Some("3"));
        assert!(t.contains_key("a") && !t.contains_key("c"));
    }

    #[test]
    fn insert_replaces_or_places_in_order() {
        let mut t = tags(&[("a", "1"), ("c", "3")]);
        assert_eq!(t.insert("b".into(), "2".into()), None);
        assert_eq!(t.insert("a".into(), "9".into()).as_deref(), Some("1"));
        assert_eq!(t.iter().map(|(k, v)| format!("{k}={v}")).collect::<Vec<_>>(), ["a=9", "b=2", "c=3"]);
    }

    #[test]
    fn json_object_round_trip() {
        let t: Tags = serde_json::from_str(r#"{"z":"1","error":"","a":"x"}"#).unwrap();
        assert_eq!(serde_json::to_string(&t).unwrap(), r#"{"a":"x","error":"","z":"1"}"#);
    }
}
