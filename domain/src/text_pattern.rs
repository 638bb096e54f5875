//! The text test of a span filter: a case-insensitive substring, or a small regular expression
//! written between slashes (`/^get .*users$/`). The domain has no regex crate (the wasm bundle has
//! a size budget, issue 2), and a filter typed into the page must never hang the tab, so patterns
//! run on a Thompson automaton (Pike's simulation): time is O(text × pattern) whatever the pattern,
//! with no backtracking. Supported: literals, `.`, `[…]` classes with ranges and `^`, `\d \w \s`
//! (and capitals), `*` `+` `?`, `|`, `( )`, `^` `$`. `{n,m}` is read literally, so a pattern can
//! never expand into a large program. Always case-insensitive, as find is.
use super::find::contains_ci;

/// Longest pattern accepted, in chars: bounds the program and the parser's nesting.
pub const MAX_PATTERN_CHARS: usize = 256;
/// Deepest group nesting accepted.
const MAX_NESTING: usize = 32;

/// Why a pattern was refused (shown next to the filter input).
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum PatternError {
    TooLong,
    TooDeep,
    UnclosedGroup,
    UnmatchedClose,
    UnclosedClass,
    NothingToRepeat,
    TrailingBackslash,
    NegatedShorthandInClass,
}

impl std::fmt::Display for PatternError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(match self {
            PatternError::TooLong => "pattern longer than 256 characters",
            PatternError::TooDeep => "groups nested more than 32 deep",
            PatternError::UnclosedGroup => "a ( is not closed",
            PatternError::UnmatchedClose => "a ) has no (",
            PatternError::UnclosedClass => "a [ is not closed",
            PatternError::NothingToRepeat => "*, + or ? follows nothing",
            PatternError::TrailingBackslash => "the pattern ends with \\",
            PatternError::NegatedShorthandInClass => "\\D, \\W or \\S inside [ ] is not supported",
        })
    }
}

/// A substring or a regular expression, with the text it was written as.
#[derive(Debug, Clone, PartialEq)]
pub struct TextPattern {
    source: String,
    test: Test,
}

#[derive(Debug, Clone, PartialEq)]
enum Test {
    /// Lower-cased needle.
    Contains(String),
    Regex(Program),
}

impl TextPattern {
    /// `/…/` is a regular expression; anything else a substring.
    pub fn parse(source: &str) -> Result<TextPattern, PatternError> {
        let test = match source.strip_prefix('/').and_then(|s| s.strip_suffix('/')) {
            Some(inner) if source.len() >= 2 => Test::Regex(Program::compile(inner)?),
            _ => Test::Contains(source.to_lowercase()),
        };
        Ok(TextPattern { source: source.to_owned(), test })
    }

    /// The text as written (for the URL and the pill).
    pub fn source(&self) -> &str {
        &self.source
    }

    pub fn is_regex(&self) -> bool {
        matches!(self.test, Test::Regex(_))
    }

    /// Whether `text` contains the substring, or has a match of the expression.
    pub fn matches(&self, text: &str) -> bool {
        match &self.test {
            Test::Contains(needle) => contains_ci(text, needle),
            Test::Regex(program) => program.is_match(text),
        }
    }
}

/// A set of chars, tested case-insensitively.
#[derive(Debug, Clone, PartialEq)]
struct CharSet {
    negated: bool,
    ranges: Vec<(char, char)>,
}

impl CharSet {
    fn one(c: char) -> CharSet {
        CharSet { negated: false, ranges: vec![(c, c)] }
    }

    fn contains(&self, c: char) -> bool {
        let hit = |x: char| self.ranges.iter().any(|&(a, b)| a <= x && x <= b);
        let lower = c.to_lowercase().next().unwrap_or(c);
        let upper = c.to_uppercase().next().unwrap_or(c);
        (hit(c) || hit(lower) || hit(upper)) != self.negated
    }
}

#[derive(Debug, Clone, PartialEq)]
enum Node {
    Set(CharSet),
    Any,
    LineStart,
    LineEnd,
    Concat(Vec<Node>),
    Alt(Vec<Node>),
    /// (node, at least one, at most one)
    Repeat(Box<Node>, bool, bool),
}

#[derive(Debug, Clone, PartialEq)]
enum Inst {
    Set(CharSet),
    Any,
    Split(usize, usize),
    Jump(usize),
    LineStart,
    LineEnd,
    Match,
}

/// A compiled expression.
#[derive(Debug, Clone, PartialEq)]
struct Program(Vec<Inst>);

impl Program {
    fn compile(pattern: &str) -> Result<Program, PatternError> {
        let chars: Vec<char> = pattern.chars().collect();
        if chars.len() > MAX_PATTERN_CHARS {
            return Err(PatternError::TooLong);
        }
        let mut parser = Parser { chars: &chars, at: 0 };
        let node = parser.alternation(0)?;
        if parser.at < chars.len() {
            return Err(PatternError::UnmatchedClose);
        }
        let mut insts = Vec::new();
        emit(&node, &mut insts);
        insts.push(Inst::Match);
        Ok(Program(insts))
    }

    /// Unanchored search: a thread starts at every position. O(text × program).
    fn is_match(&self, text: &str) -> bool {
        let n = self.0.len();
        let mut current = Threads::new(n);
        let mut next = Threads::new(n);
        let mut stack = Vec::new();
        let mut chars = text.chars().peekable();
        let mut at_start = true;
        loop {
            let at_end = chars.peek().is_none();
            self.add(&mut current, 0, at_start, at_end, &mut stack);
            if current.list.iter().any(|&pc| matches!(self.0.get(pc), Some(Inst::Match))) {
                return true;
            }
            let Some(c) = chars.next() else { return false };
            let next_at_end = chars.peek().is_none();
            next.clear();
            for &pc in &current.list {
                let step = match self.0.get(pc) {
                    Some(Inst::Set(set)) => set.contains(c),
                    Some(Inst::Any) => true,
                    _ => false,
                };
                if step {
                    self.add(&mut next, pc + 1, false, next_at_end, &mut stack);
                }
            }
            std::mem::swap(&mut current, &mut next);
            at_start = false;
        }
    }

    /// Adds `pc` and everything reachable from it without reading a char (iteratively).
    fn add(&self, threads: &mut Threads, pc: usize, at_start: bool, at_end: bool, stack: &mut Vec<usize>) {
        stack.push(pc);
        while let Some(pc) = stack.pop() {
            if !threads.mark(pc) {
                continue;
            }
            match self.0.get(pc) {
                Some(Inst::Jump(to)) => stack.push(*to),
                Some(Inst::Split(a, b)) => {
                    stack.push(*b);
                    stack.push(*a);
                }
                Some(Inst::LineStart) if at_start => stack.push(pc + 1),
                Some(Inst::LineEnd) if at_end => stack.push(pc + 1),
                Some(Inst::Set(_) | Inst::Any | Inst::Match) => threads.list.push(pc),
                _ => {}
            }
        }
    }
}

/// The live threads at one position: a list and a membership mark per instruction.
struct Threads {
    list: Vec<usize>,
    seen: Vec<bool>,
}

impl Threads {
    fn new(n: usize) -> Threads {
        Threads { list: Vec::with_capacity(n), seen: vec![false; n + 1] }
    }

    fn clear(&mut self) {
        self.list.clear();
        self.seen.iter_mut().for_each(|s| *s = false);
    }

    /// Marks `pc`; false when it already was.
    fn mark(&mut self, pc: usize) -> bool {
        match self.seen.get_mut(pc) {
            Some(s) if !*s => {
                *s = true;
                true
            }
            _ => false,
        }
    }
}

fn emit(node: &Node, out: &mut Vec<Inst>) {
    match node {
        Node::Set(set) => out.push(Inst::Set(set.clone())),
        Node::Any => out.push(Inst::Any),
        Node::LineStart => out.push(Inst::LineStart),
        Node::LineEnd => out.push(Inst::LineEnd),
        Node::Concat(parts) => parts.iter().for_each(|p| emit(p, out)),
        Node::Alt(options) => {
            // split L1, next; L1: a; jump end; next: split L2, … ; the last option falls through.
            let mut jumps = Vec::new();
            for (k, option) in options.iter().enumerate() {
                if k + 1 < options.len() {
                    let split = out.len();
                    out.push(Inst::Split(split + 1, 0));
                    emit(option, out);
                    jumps.push(out.len());
                    out.push(Inst::Jump(0));
                    let after = out.len();
                    out[split] = Inst::Split(split + 1, after);
                } else {
                    emit(option, out);
                }
            }
            let end = out.len();
            for j in jumps {
                out[j] = Inst::Jump(end);
            }
        }
        Node::Repeat(inner, at_least_one, at_most_one) => match (at_least_one, at_most_one) {
            // e+ : L: e; split L, out
            (true, _) => {
                let start = out.len();
                emit(inner, out);
                let after = out.len() + 1;
                out.push(Inst::Split(start, after));
            }
            // e? : split L, out; L: e; out
            (false, true) => {
                let split = out.len();
                out.push(Inst::Split(split + 1, 0));
                emit(inner, out);
                let after = out.len();
                out[split] = Inst::Split(split + 1, after);
            }
            // e* : L: split L+1, out; e; jump L; out
            (false, false) => {
                let split = out.len();
                out.push(Inst::Split(split + 1, 0));
                emit(inner, out);
                out.push(Inst::Jump(split));
                let after = out.len();
                out[split] = Inst::Split(split + 1, after);
            }
        },
    }
}

struct Parser<'a> {
    chars: &'a [char],
    at: usize,
}

impl Parser<'_> {
    fn peek(&self) -> Option<char> {
        self.chars.get(self.at).copied()
    }

    fn alternation(&mut self, depth: usize) -> Result<Node, PatternError> {
        if depth > MAX_NESTING {
            return Err(PatternError::TooDeep);
        }
        let mut options = vec![self.concatenation(depth)?];
        while self.peek() == Some('|') {
            self.at += 1;
            options.push(self.concatenation(depth)?);
        }
        Ok(if options.len() == 1 { options.remove(0) } else { Node::Alt(options) })
    }

    fn concatenation(&mut self, depth: usize) -> Result<Node, PatternError> {
        let mut parts = Vec::new();
        while let Some(c) = self.peek() {
            if c == '|' || c == ')' {
                break;
            }
            let mut atom = self.atom(depth)?;
            while let Some(q @ ('*' | '+' | '?')) = self.peek() {
                self.at += 1;
                atom = Node::Repeat(Box::new(atom), q == '+', q == '?');
            }
            parts.push(atom);
        }
        Ok(Node::Concat(parts))
    }

    fn atom(&mut self, depth: usize) -> Result<Node, PatternError> {
        let Some(c) = self.peek() else { return Err(PatternError::NothingToRepeat) };
        self.at += 1;
        Ok(match c {
            '(' => {
                let inner = self.alternation(depth + 1)?;
                if self.peek() != Some(')') {
                    return Err(PatternError::UnclosedGroup);
                }
                self.at += 1;
                inner
            }
            '[' => Node::Set(self.class()?),
            '.' => Node::Any,
            '^' => Node::LineStart,
            '$' => Node::LineEnd,
            '*' | '+' | '?' => return Err(PatternError::NothingToRepeat),
            '\\' => Node::Set(self.escape()?),
            c => Node::Set(CharSet::one(c)),
        })
    }

    /// After `\`: a class shorthand or the char itself.
    fn escape(&mut self) -> Result<CharSet, PatternError> {
        let Some(c) = self.peek() else { return Err(PatternError::TrailingBackslash) };
        self.at += 1;
        let ranges = |negated, ranges: &[(char, char)]| CharSet { negated, ranges: ranges.to_vec() };
        const DIGIT: &[(char, char)] = &[('0', '9')];
        const WORD: &[(char, char)] = &[('0', '9'), ('a', 'z'), ('A', 'Z'), ('_', '_')];
        const SPACE: &[(char, char)] = &[(' ', ' '), ('\t', '\r')];
        Ok(match c {
            'd' => ranges(false, DIGIT),
            'D' => ranges(true, DIGIT),
            'w' => ranges(false, WORD),
            'W' => ranges(true, WORD),
            's' => ranges(false, SPACE),
            'S' => ranges(true, SPACE),
            'n' => CharSet::one('\n'),
            't' => CharSet::one('\t'),
            c => CharSet::one(c),
        })
    }

    /// After `[`: items up to `]` (a `]` first is literal).
    fn class(&mut self) -> Result<CharSet, PatternError> {
        let mut set = CharSet { negated: false, ranges: Vec::new() };
        if self.peek() == Some('^') {
            set.negated = true;
            self.at += 1;
        }
        let mut first = true;
        loop {
            let Some(c) = self.peek() else { return Err(PatternError::UnclosedClass) };
            self.at += 1;
            if c == ']' && !first {
                return Ok(set);
            }
            first = false;
            let low = if c == '\\' {
                let escaped = self.escape()?;
                match escaped.ranges.as_slice() {
                    [(a, b)] if a == b && !escaped.negated => *a,
                    _ if escaped.negated => return Err(PatternError::NegatedShorthandInClass),
                    _ => {
                        set.ranges.extend(escaped.ranges);
                        continue;
                    }
                }
            } else {
                c
            };
            // `a-z`, unless the `-` is last (`[a-]` holds `a` and `-`).
            if self.peek() == Some('-') && self.chars.get(self.at + 1).is_some_and(|&n| n != ']') {
                self.at += 1;
                let Some(high) = self.peek() else { return Err(PatternError::UnclosedClass) };
                self.at += 1;
                let high = if high == '\\' { self.escape()?.ranges.first().map_or('\\', |r| r.0) } else { high };
                if low <= high {
                    set.ranges.push((low, high));
                } else {
                    set.ranges.push((high, low));
                }
            } else {
                set.ranges.push((low, low));
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn re(p: &str, text: &str) -> bool {
        TextPattern::parse(&format!("/{p}/")).expect("valid pattern").matches(text)
    }

    #[test]
    fn substrings_ignore_case() {
        let p = TextPattern::parse("Select").unwrap();
        assert!(p.matches("db: SELECT users"));
        assert!(!p.matches("db: insert"));
        assert!(!p.is_regex());
    }

    #[test]
    fn expressions_match_as_a_regex_engine_would() {
        assert!(re("^get /api", "GET /api/users"));
        assert!(!re("^get /api", "post get /api"));
        assert!(re("users$", "get /users"));
        assert!(!re("users$", "get /users/1"));
        assert!(re("a(b|c)+d", "xxabcbcdxx"));
        assert!(!re("a(b|c)+d", "ad"));
        assert!(re("colou?r", "color"));
        assert!(re("colou?r", "colour"));
        assert!(re("[0-9]+ms", "took 120ms"));
        assert!(!re("[^a-z]", "abc"));
        assert!(re("\\d\\d\\d", "status 404"));
        assert!(re("a.c", "abc"));
        assert!(re("x*", ""));
        assert!(re("a{2}", "a{2}"), "counted repetition is literal");
        assert!(re("[a-]", "-"));
    }

    #[test]
    fn bad_patterns_are_refused_with_a_reason() {
        assert_eq!(TextPattern::parse("/(ab/"), Err(PatternError::UnclosedGroup));
        assert_eq!(TextPattern::parse("/ab)/"), Err(PatternError::UnmatchedClose));
        assert_eq!(TextPattern::parse("/[ab/"), Err(PatternError::UnclosedClass));
        assert_eq!(TextPattern::parse("/*a/"), Err(PatternError::NothingToRepeat));
        assert_eq!(TextPattern::parse("/a\\/"), Err(PatternError::TrailingBackslash));
        assert_eq!(TextPattern::parse(&format!("/{}/", "(".repeat(40))), Err(PatternError::TooDeep));
        assert_eq!(TextPattern::parse(&format!("/{}/", "a".repeat(300))), Err(PatternError::TooLong));
    }

    #[test]
    fn catastrophic_patterns_for_backtrackers_finish_at_once() {
        // `(a*)*b` and `(a|a)*b` against many `a`s take exponential time in a backtracking engine.
        let text = "a".repeat(5_000);
        let start = std::time::Instant::now();
        assert!(!re("(a*)*b", &text));
        assert!(!re("(a|a)*b", &text));
        assert!(!re("(x+x+)+y", &"x".repeat(5_000)));
        assert!(start.elapsed().as_secs() < 2);
    }
}
