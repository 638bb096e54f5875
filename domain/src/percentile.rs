//! Percentiles of durations by the nearest-rank method: the p-th percentile is the smallest value
//! with at least p% of the values at or below it, always one of the values (no interpolation, so a
//! "p50 2 ms" is a duration some span really had).

/// The `q`-quantile (0 < q <= 1) of `sorted` (ascending); 0 for an empty list.
pub fn nearest_rank(sorted: &[u64], q: f64) -> u64 {
    if sorted.is_empty() {
        return 0;
    }
    let rank = (q.clamp(0.0, 1.0) * sorted.len() as f64).ceil() as usize;
    sorted.get(rank.clamp(1, sorted.len()) - 1).copied().unwrap_or(0)
}

/// p50 and p99 of unsorted durations (sorted here).
pub fn p50_p99(mut values: Vec<u64>) -> (u64, u64) {
    values.sort_unstable();
    (nearest_rank(&values, 0.5), nearest_rank(&values, 0.99))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn nearest_rank_picks_a_value_of_the_list() {
        assert_eq!(nearest_rank(&[], 0.5), 0);
        assert_eq!(nearest_rank(&[7], 0.99), 7);
        assert_eq!(nearest_rank(&[1, 2, 3, 4], 0.5), 2);
        assert_eq!(nearest_rank(&[1, 2, 3, 4, 5], 0.5), 3);
        let hundred: Vec<u64> = (1..=100).collect();
        assert_eq!(nearest_rank(&hundred, 0.99), 99);
        assert_eq!(p50_p99(vec![30, 10, 20]), (20, 30));
    }
}
