//! The error count as the trace page writes it ("1 error", "3 errors") and whether it is drawn
//! as an alarm: only a count above zero is, so a clean trace does not show a red "0 errors".

/// An error count's words and tone.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ErrorTally {
    pub text: String,
    /// Whether to draw it in the error colour.
    pub alarm: bool,
}

/// The tally of `count` errors.
pub fn error_tally(count: usize) -> ErrorTally {
    ErrorTally { text: format!("{count} error{}", if count == 1 { "" } else { "s" }), alarm: count > 0 }
}
