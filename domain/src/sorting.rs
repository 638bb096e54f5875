//! The app's one comparison sort. Every ordering goes through it, so the wasm holds one sort, not one
//! per call site. The exceptions are the hottest orderings (span ids at 100,000 spans, graph layers on
//! every layout sweep), whose keys are packed into `u128`s and sorted with `sort_unstable`: that is one
//! more instantiation, shared by them all.
//!
//! Why: `slice::sort_by` is generic over the element and the comparator, and each instantiation is about
//! 7 kB of wasm. Thirty call sites made it 11% of the shipped bundle (issue 2). Here one merge sort
//! orders indices through a `dyn` comparator. The generic part left at each call site is a short
//! insertion sort and an in-place permutation.
//!
//! Every sort here is stable: equal items keep their input order.

use std::cmp::Ordering;

/// Slices up to this long are insertion-sorted in place. Children of one span and similar short
/// lists are the common case, and for them an index vector would cost more than the sort.
const SHORT: usize = 20;

/// Sorts `items` stably by `cmp`.
pub fn sort_by<T>(items: &mut [T], mut cmp: impl FnMut(&T, &T) -> Ordering) {
    if items.len() <= SHORT {
        insertion_sort(items, &mut cmp);
        return;
    }
    let order = {
        let items = &*items;
        sorted_indices(items.len(), &mut |a, b| cmp(&items[a], &items[b]))
    };
    permute(items, order);
}

/// Sorts `items` stably by the key `key` gives each.
pub fn sort_by_key<T, K: Ord>(items: &mut [T], mut key: impl FnMut(&T) -> K) {
    sort_by(items, |a, b| key(a).cmp(&key(b)));
}

/// Sorts `items` stably in their own order.
pub fn sort<T: Ord>(items: &mut [T]) {
    sort_by(items, T::cmp);
}

/// An integer that orders as `f64::total_cmp` orders `x`, for packing a float into a sort key.
pub fn f64_key(x: f64) -> u64 {
    let bits = x.to_bits() as i64;
    // total_cmp's own trick: flip the magnitude bits of negatives so they order as signed integers…
    let signed = bits ^ ((((bits >> 63) as u64) >> 1) as i64);
    // …then move the sign bit so that they order as unsigned ones.
    (signed as u64) ^ (1 << 63)
}

/// `0..len` ordered by `cmp` on indices: the one sort in the app that is not generic. A bottom-up
/// merge sort of short insertion-sorted runs, written here rather than taken from the standard
/// library because that one may panic when a comparator is not a total order, and this must not
/// (any order is acceptable then, a panic is not). Neighbouring runs already in order are joined
/// without merging, so a list that is sorted or nearly so (children by start time) costs O(n).
fn sorted_indices(len: usize, cmp: &mut dyn FnMut(usize, usize) -> Ordering) -> Vec<usize> {
    let mut order: Vec<usize> = (0..len).collect();
    for run in order.chunks_mut(SHORT) {
        insertion_sort(run, &mut |a: &usize, b: &usize| cmp(*a, *b));
    }
    let mut spare = order.clone();
    let mut width = SHORT;
    while width < len {
        for start in (0..len).step_by(2 * width) {
            let mid = (start + width).min(len);
            let end = (start + 2 * width).min(len);
            merge(&order[start..mid], &order[mid..end], &mut spare[start..end], cmp);
        }
        std::mem::swap(&mut order, &mut spare);
        width *= 2;
    }
    order
}

/// Merges two ordered runs into `out` (as long as both). An item of `right` goes first only when it
/// orders strictly before the item of `left`, which keeps the sort stable.
fn merge(left: &[usize], right: &[usize], out: &mut [usize], cmp: &mut dyn FnMut(usize, usize) -> Ordering) {
    if let (Some(&last), Some(&first)) = (left.last(), right.first()) {
        if cmp(first, last) != Ordering::Less {
            out[..left.len()].copy_from_slice(left);
            out[left.len()..].copy_from_slice(right);
            return;
        }
    }
    let (mut l, mut r) = (0, 0);
    for slot in out.iter_mut() {
        let take_right = match (left.get(l), right.get(r)) {
            (Some(&a), Some(&b)) => cmp(b, a) == Ordering::Less,
            (None, _) => true,
            (_, None) => false,
        };
        if take_right {
            *slot = right.get(r).copied().unwrap_or_default();
            r += 1;
        } else {
            *slot = left.get(l).copied().unwrap_or_default();
            l += 1;
        }
    }
}

/// Moves `items[order[i]]` to `i` for every `i`, by swaps along each cycle of the permutation.
/// `order` must be a permutation of `0..items.len()` (as `sorted_indices` returns); it is used up as
/// the record of which places are done.
fn permute<T>(items: &mut [T], mut order: Vec<usize>) {
    for start in 0..order.len() {
        // `hole` holds the item that started at `start`, carried along the cycle until its place.
        let mut hole = start;
        loop {
            let from = order[hole];
            order[hole] = hole;
            if from == start || from == hole {
                break;
            }
            items.swap(hole, from);
            hole = from;
        }
    }
}

/// Stable: an item moves left only past items that order strictly after it.
fn insertion_sort<T>(items: &mut [T], cmp: &mut impl FnMut(&T, &T) -> Ordering) {
    for i in 1..items.len() {
        let mut j = i;
        while j > 0 && cmp(&items[j - 1], &items[j]) == Ordering::Greater {
            items.swap(j - 1, j);
            j -= 1;
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// A small deterministic generator, so the tests need no random crate.
    fn numbers(len: usize, seed: u64, modulo: u64) -> Vec<u64> {
        let mut x = seed;
        (0..len)
            .map(|_| {
                x = x.wrapping_mul(6364136223846793005).wrapping_add(1442695040888963407);
                (x >> 33) % modulo
            })
            .collect()
    }

    #[test]
    fn agrees_with_the_standard_stable_sort_at_every_length() {
        for len in [0, 1, 2, 3, SHORT - 1, SHORT, SHORT + 1, 100, 1000, 5000] {
            for modulo in [3, 1000, u64::MAX] {
                // (key, input position): equal keys must keep their input order.
                let input: Vec<(u64, usize)> =
                    numbers(len, (len as u64).wrapping_add(modulo), modulo).into_iter().zip(0..).collect();
                let mut ours = input.clone();
                sort_by_key(&mut ours, |p| p.0);
                let mut std = input.clone();
                std.sort_by_key(|p| p.0);
                assert_eq!(ours, std, "len {len}, keys below {modulo}");
            }
        }
    }

    #[test]
    fn float_keys_order_as_total_cmp() {
        let floats = [
            f64::NEG_INFINITY,
            -1e300,
            -2.5,
            -1.0,
            -0.0,
            0.0,
            1e-300,
            0.5,
            1.0,
            3.0,
            1e300,
            f64::INFINITY,
            f64::NAN,
            -f64::NAN,
        ];
        for a in floats {
            for b in floats {
                assert_eq!(f64_key(a).cmp(&f64_key(b)), a.total_cmp(&b), "{a} vs {b}");
            }
        }
    }

    #[test]
    fn sorted_and_reversed_inputs() {
        let mut up: Vec<u32> = (0..500).collect();
        sort(&mut up);
        assert!(up.windows(2).all(|w| w[0] < w[1]));
        let mut down: Vec<u32> = (0..500).rev().collect();
        sort(&mut down);
        assert_eq!(down, (0..500).collect::<Vec<_>>());
    }

    #[test]
    fn moves_owned_values_without_losing_any() {
        let mut names: Vec<String> = numbers(300, 7, 50).iter().map(|n| format!("n{n}")).collect();
        let mut expected = names.clone();
        expected.sort();
        sort_by(&mut names, |a, b| a.cmp(b));
        assert_eq!(names, expected);
    }

    #[test]
    fn an_inconsistent_comparator_does_not_panic() {
        // A comparator that lies (as a NaN-unaware float compare would) may give any order, but must
        // neither panic nor lose or duplicate items.
        let mut items: Vec<u64> = numbers(400, 3, 1000);
        let mut flip = false;
        sort_by(&mut items, |a, b| {
            flip = !flip;
            if flip {
                a.cmp(b)
            } else {
                b.cmp(a)
            }
        });
        let mut expected = numbers(400, 3, 1000);
        expected.sort();
        items.sort();
        assert_eq!(items, expected);
    }
}
