//! The table view's rows: links filtered by a text and sorted by a column, ties broken by
//! parent then child so the order never depends on the server's.
use super::style::error_rate;
use crate::dependency_links::{by_parent_then_child, DependencyLink};
use crate::sorting;
use std::cmp::Ordering;

/// A sortable column.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum LinkColumn {
    Parent,
    Child,
    Calls,
    Errors,
    ErrorRate,
}

impl LinkColumn {
    pub const ALL: [LinkColumn; 5] =
        [LinkColumn::Parent, LinkColumn::Child, LinkColumn::Calls, LinkColumn::Errors, LinkColumn::ErrorRate];

    /// The column header.
    pub fn title(self) -> &'static str {
        match self {
            LinkColumn::Parent => "Caller",
            LinkColumn::Child => "Callee",
            LinkColumn::Calls => "Calls",
            LinkColumn::Errors => "Errors",
            LinkColumn::ErrorRate => "Error %",
        }
    }

    /// Numbers read best largest first, names alphabetically.
    pub fn default_descending(self) -> bool {
        !matches!(self, LinkColumn::Parent | LinkColumn::Child)
    }
}

/// A column and a direction.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct LinkSort {
    pub column: LinkColumn,
    pub descending: bool,
}

impl Default for LinkSort {
    /// Busiest links first: in an incident, the heavy edges matter most.
    fn default() -> Self {
        LinkSort { column: LinkColumn::Calls, descending: true }
    }
}

impl LinkSort {
    /// The sort after clicking `column`'s header: the same column flips, another starts in its
    /// natural direction.
    pub fn toggled(self, column: LinkColumn) -> LinkSort {
        if self.column == column {
            LinkSort { column, descending: !self.descending }
        } else {
            LinkSort { column, descending: column.default_descending() }
        }
    }
}

/// Indices into `links` of the rows to show: those whose parent or child contains `filter`
/// (ignoring case; empty keeps all), sorted. O(n log n).
pub fn table_rows(links: &[DependencyLink], filter: &str, sort: LinkSort) -> Vec<u32> {
    let filter = filter.trim().to_lowercase();
    let mut rows: Vec<u32> = (0..links.len() as u32)
        .filter(|&i| {
            let l = &links[i as usize];
            filter.is_empty() || l.parent.to_lowercase().contains(&filter) || l.child.to_lowercase().contains(&filter)
        })
        .collect();
    sorting::sort_by(&mut rows, |&i, &j| {
        let (a, b) = (&links[i as usize], &links[j as usize]);
        let primary = match sort.column {
            LinkColumn::Parent => by_parent_then_child(a, b),
            LinkColumn::Child => a.child.cmp(&b.child).then_with(|| a.parent.cmp(&b.parent)),
            LinkColumn::Calls => a.call_count.cmp(&b.call_count),
            LinkColumn::Errors => a.error_count.cmp(&b.error_count),
            LinkColumn::ErrorRate => {
                error_rate(a.call_count, a.error_count).total_cmp(&error_rate(b.call_count, b.error_count))
            }
        };
        let primary = if sort.descending { primary.reverse() } else { primary };
        match primary {
            Ordering::Equal => by_parent_then_child(a, b),
            other => other,
        }
    });
    rows
}

/// An error rate as the table and panel print it: `0%`, `0.4%`, `12%`, `100%`.
pub fn format_percent(rate: f64) -> String {
    let pct = rate * 100.0;
    if pct == 0.0 || pct >= 10.0 {
        format!("{pct:.0}%")
    } else {
        format!("{pct:.1}%")
    }
}

/// A count with thousands separators (`4,271`), as the summary and tables print it.
pub fn format_count(n: u64) -> String {
    let digits = n.to_string();
    let mut out = String::with_capacity(digits.len() + digits.len() / 3);
    for (i, c) in digits.chars().enumerate() {
        if i > 0 && (digits.len() - i) % 3 == 0 {
            out.push(',');
        }
        out.push(c);
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    fn link(a: &str, b: &str, calls: u64, errors: u64) -> DependencyLink {
        DependencyLink { parent: a.into(), child: b.into(), call_count: calls, error_count: errors }
    }

    #[test]
    fn sorts_and_filters() {
        let links = vec![link("web", "api", 10, 1), link("api", "db", 8, 6), link("cron", "api", 10, 0)];
        assert_eq!(table_rows(&links, "", LinkSort::default()), vec![2, 0, 1]);
        let by_rate = LinkSort::default().toggled(LinkColumn::ErrorRate);
        assert!(by_rate.descending);
        assert_eq!(table_rows(&links, "", by_rate), vec![1, 0, 2]);
        assert_eq!(table_rows(&links, "", by_rate.toggled(LinkColumn::ErrorRate)), vec![2, 0, 1]);
        let by_parent = LinkSort::default().toggled(LinkColumn::Parent);
        assert_eq!(table_rows(&links, "", by_parent), vec![1, 2, 0]);
        assert_eq!(table_rows(&links, "DB", by_parent), vec![1]);
    }

    #[test]
    fn percentages() {
        assert_eq!(format_percent(0.0), "0%");
        assert_eq!(format_percent(0.004), "0.4%");
        assert_eq!(format_percent(0.75), "75%");
        assert_eq!(format_percent(1.0), "100%");
        assert_eq!(format_count(4271), "4,271");
        assert_eq!(format_count(999), "999");
        assert_eq!(format_count(1_000_000), "1,000,000");
    }
}
