//! Why bytes could not be read as spans: the format they were read as, where (line and column) and why.
use super::file_format::FileFormat;
use std::fmt;

/// Why bytes could not be read as spans, and where (1-based line, 1-based column). `format` names what the
/// bytes were read as when a file's format was detected (`decode_file`); the Zipkin API readers leave it out.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct DecodeError {
    pub line: usize,
    pub column: usize,
    pub message: String,
    pub format: Option<FileFormat>,
}

impl fmt::Display for DecodeError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        if let Some(format) = self.format {
            write!(f, "read as {}: ", format.name())?;
        }
        write!(f, "line {}, column {}: {}", self.line, self.column, self.message)
    }
}

impl std::error::Error for DecodeError {}

impl DecodeError {
    pub(crate) fn from_serde(e: serde_json::Error) -> Self {
        let (line, column) = (e.line(), e.column());
        let full = e.to_string();
        // serde_json appends " at line L column C"; the position is ours to print.
        let suffix = format!(" at line {line} column {column}");
        let message = full.strip_suffix(&suffix).unwrap_or(&full).to_owned();
        DecodeError { line, column, message, format: None }
    }

    /// An error about the input as a whole, placed at its first token.
    pub(crate) fn at_start(input: &[u8], message: &str) -> Self {
        let (line, column) = position_of_first_token(input);
        DecodeError { line, column, message: message.to_owned(), format: None }
    }

    /// The same error, placed at `line` and `column`.
    pub(crate) fn at(self, line: usize, column: usize) -> Self {
        DecodeError { line, column, ..self }
    }

    /// The same error, saying which format the bytes were read as.
    pub(crate) fn read_as(self, format: FileFormat) -> Self {
        DecodeError { format: Some(format), ..self }
    }
}

fn position_of_first_token(input: &[u8]) -> (usize, usize) {
    let (mut line, mut column) = (1, 0);
    for &b in input {
        match b {
            b'\n' => {
                line += 1;
                column = 0;
            }
            b' ' | b'\t' | b'\r' => column += 1,
            _ => return (line, column + 1),
        }
    }
    (line, column)
}
