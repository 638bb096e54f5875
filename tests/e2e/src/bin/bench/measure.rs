//! One line of the benchmark table: a measure, its figure (runs summarised as median with min and max, a
//! single value, or why there is none), and the budget it is judged against.
use serde_json::{json, Value};

#[derive(Clone, Debug)]
pub enum Figure {
    /// Every run's value; summarised as median (min–max).
    Runs(Vec<f64>),
    /// A value measured once (sizes, figures another benchmark already summarised).
    Single(f64),
    /// Not measured, and why (e.g. "n/a (page not present)").
    Missing(String),
    /// What was awaited did not happen within this many units: an upper budget is missed, not skipped.
    TimedOut(f64),
}

#[derive(Clone, Copy, Debug, PartialEq)]
pub enum Judge {
    /// The median must be at most the budget.
    MedianAtMost,
    /// Every run must be at most the budget ("never blocks more than …").
    MaxAtMost,
    /// The median must be at least the budget (rates).
    MedianAtLeast,
}

#[derive(Clone, Debug)]
pub struct Budget {
    pub value: f64,
    pub judge: Judge,
}

impl Budget {
    pub fn at_most(value: f64) -> Option<Budget> {
        Some(Budget { value, judge: Judge::MedianAtMost })
    }
    pub fn never_over(value: f64) -> Option<Budget> {
        Some(Budget { value, judge: Judge::MaxAtMost })
    }
    #[allow(dead_code)]
    pub fn at_least(value: f64) -> Option<Budget> {
        Some(Budget { value, judge: Judge::MedianAtLeast })
    }
}

#[derive(Clone, Debug)]
pub struct Measure {
    /// Where it comes from: "trace 100k", "search", "host", "bundle", …
    pub group: String,
    pub name: String,
    pub unit: &'static str,
    pub figure: Figure,
    pub budget: Option<Budget>,
    /// Which issue states the budget, and anything a reader needs to interpret the figure.
    pub note: String,
}

impl Measure {
    pub fn new(group: &str, name: &str, unit: &'static str, figure: Figure, budget: Option<Budget>) -> Measure {
        Measure { group: group.into(), name: name.into(), unit, figure, budget, note: String::new() }
    }

    pub fn note(mut self, note: impl Into<String>) -> Measure {
        self.note = note.into();
        self
    }

    /// (median, min, max) of the figure, if there is one.
    pub fn summary(&self) -> Option<(f64, f64, f64)> {
        match &self.figure {
            Figure::Runs(runs) if !runs.is_empty() => {
                let mut v = runs.clone();
                v.sort_by(f64::total_cmp);
                let mid = v.len() / 2;
                let median = if v.len() % 2 == 1 { v[mid] } else { (v[mid - 1] + v[mid]) / 2.0 };
                Some((median, v[0], v[v.len() - 1]))
            }
            Figure::Single(x) => Some((*x, *x, *x)),
            _ => None,
        }
    }

    /// Some(true) pass, Some(false) missed, None when there is no budget or no figure.
    pub fn passed(&self) -> Option<bool> {
        let budget = self.budget.as_ref()?;
        if let Figure::TimedOut(after) = self.figure {
            return (budget.judge != Judge::MedianAtLeast && after > budget.value).then_some(false);
        }
        let (median, _, max) = self.summary()?;
        Some(match budget.judge {
            Judge::MedianAtMost => median <= budget.value,
            Judge::MaxAtMost => max <= budget.value,
            Judge::MedianAtLeast => median >= budget.value,
        })
    }

    pub fn figure_text(&self) -> String {
        match (&self.figure, self.summary()) {
            (Figure::Missing(why), _) => why.clone(),
            (Figure::TimedOut(after), _) => format!("> {} {} (timed out)", number(*after), self.unit),
            (Figure::Runs(runs), Some((median, min, max))) if runs.len() > 1 => {
                format!("{} {} ({}–{}, n={})", number(median), self.unit, number(min), number(max), runs.len())
            }
            (_, Some((value, _, _))) => format!("{} {}", number(value), self.unit),
            _ => "n/a (no runs)".into(),
        }
    }

    pub fn budget_text(&self) -> String {
        match &self.budget {
            None => "—".into(),
            Some(b) => match b.judge {
                Judge::MedianAtMost => format!("≤ {} {}", number(b.value), self.unit),
                Judge::MaxAtMost => format!("max ≤ {} {}", number(b.value), self.unit),
                Judge::MedianAtLeast => format!("≥ {} {}", number(b.value), self.unit),
            },
        }
    }

    pub fn result_text(&self) -> &'static str {
        match (self.passed(), &self.figure, &self.budget) {
            (Some(true), _, _) => "pass",
            (Some(false), _, _) => "MISSED",
            (None, Figure::Missing(_), Some(_)) => "n/a",
            _ => "",
        }
    }

    pub fn to_json(&self) -> Value {
        let summary = self.summary();
        json!({
            "group": self.group,
            "measure": self.name,
            "unit": self.unit,
            "runs": match &self.figure { Figure::Runs(r) => json!(r), Figure::Single(x) => json!([x]), _ => json!([]) },
            "median": summary.map(|s| s.0),
            "min": summary.map(|s| s.1),
            "max": summary.map(|s| s.2),
            "missing": match &self.figure {
                Figure::Missing(why) => json!(why),
                Figure::TimedOut(after) => json!(format!("timed out after {after} {}", self.unit)),
                _ => Value::Null,
            },
            "budget": self.budget.as_ref().map(|b| json!({ "value": b.value, "judge": format!("{:?}", b.judge) })),
            "pass": self.passed(),
            "note": self.note,
        })
    }
}

/// Three significant-ish digits: 0.42, 7.3, 48, 1,234,567.
pub fn number(x: f64) -> String {
    if !x.is_finite() {
        return format!("{x}");
    }
    let a = x.abs();
    if x.fract() == 0.0 && a < 10_000.0 {
        format!("{x:.0}")
    } else if a >= 10_000.0 {
        let s = format!("{:.0}", x);
        let (sign, digits) = s.strip_prefix('-').map_or(("", s.as_str()), |d| ("-", d));
        let mut out = String::new();
        for (i, c) in digits.chars().enumerate() {
            if i > 0 && (digits.len() - i) % 3 == 0 {
                out.push(',');
            }
            out.push(c);
        }
        format!("{sign}{out}")
    } else if a >= 100.0 {
        format!("{:.0}", x)
    } else if a >= 10.0 {
        format!("{:.1}", x)
    } else {
        format!("{:.2}", x)
    }
}
