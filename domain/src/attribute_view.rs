//! Typed attribute values as the details panel shows them: an array or key-value list as the
//! nested values it holds, each with its type (never flattened to one string), bytes as base64;
//! and the filter that finds a key among hundreds (in nested lists too). Walks are iterative, so a
//! value nested a thousand deep costs no stack, and a huge value is cut at [`MAX_LINES`].
use super::find::contains_ci;
use super::span_detail::{AnyValue, Attribute};

/// Lines drawn for one value at most; the rest is counted in a last line.
pub const MAX_LINES: usize = 500;

/// One line of a nested value: its key (a list's `key`, an array's `[i]`), type and text.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ValueLine {
    /// 1 for the value's own members, 2 for theirs, ...
    pub depth: u32,
    pub label: String,
    pub type_name: &'static str,
    /// A scalar's text; for an array or list, how many it holds.
    pub text: String,
}

/// What a value shows in its own cell: a scalar's text, a composite's size.
pub fn value_text(value: &AnyValue) -> String {
    match value {
        AnyValue::Array(items) => count(items.len(), "value", "values"),
        AnyValue::KeyValueList(pairs) => count(pairs.len(), "key", "keys"),
        AnyValue::Empty => "(empty)".to_owned(),
        AnyValue::String(s) if s.is_empty() => "(empty string)".to_owned(),
        scalar => scalar.to_display_string(),
    }
}

fn count(n: usize, one: &str, many: &str) -> String {
    format!("{n} {}", if n == 1 { one } else { many })
}

/// The members of a composite value, depth first, each with its depth; nothing for a scalar. At
/// most [`MAX_LINES`] lines, then one line saying how many more there are.
pub fn value_lines(value: &AnyValue) -> Vec<ValueLine> {
    let mut out = Vec::new();
    let mut hidden = 0usize;
    // Children are pushed in reverse so they come off the stack in order.
    let mut stack: Vec<(u32, String, &AnyValue)> = Vec::new();
    push_members(&mut stack, 1, value);
    while let Some((depth, label, v)) = stack.pop() {
        if out.len() < MAX_LINES {
            out.push(ValueLine { depth, label, type_name: v.type_name(), text: value_text(v) });
        } else {
            hidden += 1;
        }
        push_members(&mut stack, depth + 1, v);
    }
    if hidden > 0 {
        out.push(ValueLine { depth: 1, label: String::new(), type_name: "", text: format!("… {hidden} more") });
    }
    out
}

fn push_members<'a>(stack: &mut Vec<(u32, String, &'a AnyValue)>, depth: u32, value: &'a AnyValue) {
    match value {
        AnyValue::Array(items) => {
            stack.extend(items.iter().enumerate().rev().map(|(i, v)| (depth, format!("[{i}]"), v)));
        }
        AnyValue::KeyValueList(pairs) => stack.extend(pairs.iter().rev().map(|a| (depth, a.key.clone(), &a.value))),
        _ => {}
    }
}

/// Whether an attribute matches a filter: its key, a scalar value's text, or any key or value
/// nested in it contains `query` (ignoring case). A blank query matches everything.
pub fn attribute_matches(attribute: &Attribute, query: &str) -> bool {
    let query = query.trim();
    if query.is_empty() {
        return true;
    }
    let needle = query.to_lowercase();
    if contains_ci(&attribute.key, &needle) {
        return true;
    }
    let mut stack = vec![&attribute.value];
    while let Some(v) = stack.pop() {
        match v {
            AnyValue::Array(items) => stack.extend(items.iter()),
            AnyValue::KeyValueList(pairs) => {
                if pairs.iter().any(|a| contains_ci(&a.key, &needle)) {
                    return true;
                }
                stack.extend(pairs.iter().map(|a| &a.value));
            }
            AnyValue::Empty => {}
            scalar => {
                if contains_ci(&scalar.to_display_string(), &needle) {
                    return true;
                }
            }
        }
    }
    false
}

/// The attributes that match `query`, in their order.
pub fn filter_attributes<'a>(attributes: &'a [Attribute], query: &str) -> Vec<&'a Attribute> {
    attributes.iter().filter(|a| attribute_matches(a, query)).collect()
}
