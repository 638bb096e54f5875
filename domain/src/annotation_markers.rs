//! Annotation markers on a waterfall bar: markers closer than a few pixels are grouped into one
//! marker whose tooltip lists them all, so they never overlap (a Lens complaint, ZIPKIN.md §7).

use super::sorting;

/// One drawn marker: its position and the annotations it stands for.
#[derive(Debug, Clone, PartialEq)]
pub struct MarkerGroup {
    /// Position as a fraction of the view window (0..1).
    pub at: f64,
    /// Indices into the list given to [`group_markers`].
    pub members: Vec<usize>,
}

/// Groups positions (fractions of the window, any order) so that groups are at least
/// `min_gap` apart; a group sits at its first member. O(n log n).
pub fn group_markers(positions: &[f64], min_gap: f64) -> Vec<MarkerGroup> {
    let mut order: Vec<usize> = (0..positions.len()).filter(|&i| positions[i].is_finite()).collect();
    sorting::sort_by(&mut order, |&a, &b| positions[a].total_cmp(&positions[b]).then(a.cmp(&b)));
    let mut groups: Vec<MarkerGroup> = Vec::new();
    for i in order {
        let at = positions[i];
        match groups.last_mut() {
            Some(g) if at - g.at < min_gap => g.members.push(i),
            _ => groups.push(MarkerGroup { at, members: vec![i] }),
        }
    }
    groups
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn close_markers_share_a_group() {
        let groups = group_markers(&[0.5, 0.1, 0.101, 0.9, f64::NAN], 0.01);
        assert_eq!(groups.len(), 3);
        assert_eq!(groups[0].members, vec![1, 2]);
        assert_eq!(groups[1].members, vec![0]);
    }
}
