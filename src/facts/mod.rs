//! Reading facts files: a scenario (TOML), the facts of cases files, and
//! JSON Lines agent-months, all held to the policy's standard.
//!
//! Every reader goes through one strict layer: a float is
//! refused as `float-money` (facts never pass through `f64`), an unknown
//! key is refused with the closest known key, and each problem carries its
//! field path. Each format then locates it: file, line and column for
//! TOML, line number and field path for JSON Lines ([`jsonl`]), line and
//! column for a CSV punch log (`csv`, feature `csv`). Every problem of a
//! file is collected in one pass.

pub(crate) mod check;
#[cfg(feature = "csv")]
pub mod csv;
#[cfg(feature = "jsonl")]
pub mod jsonl;
pub(crate) mod strict;
pub(crate) mod toml;

use crate::policy::ProblemCode;

/// A problem with the facts themselves (a month 13, an agent listed twice,
/// a shift the policy does not define), found after they were read; named
/// by the field path it concerns, and located by the reader that read it.
///
/// ```
/// use cs_policy::facts::FactProblem;
/// let month = cs_policy::Scenario { year: 2026, month: 13, ..Default::default() };
/// let problems: Vec<FactProblem> = month.problems(None);
/// assert_eq!(problems[0].field, "month");
/// ```
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct FactProblem {
    /// The field path (`punches[3].date`).
    pub field: String,
    /// The stable problem code.
    pub code: ProblemCode,
    /// What is wrong.
    pub message: String,
    /// What to do about it.
    pub help: Option<String>,
}

impl FactProblem {
    pub(crate) fn new(field: String, code: ProblemCode, message: String) -> Self {
        Self {
            field,
            code,
            message,
            help: None,
        }
    }

    pub(crate) fn help(mut self, help: impl Into<String>) -> Self {
        self.help = Some(help.into());
        self
    }
}

/// The problem code of a message that the format or serde wrote (the
/// strict layer's own problems carry their code).
fn code_of(message: &str) -> ProblemCode {
    if message.starts_with("missing field") {
        ProblemCode::MissingKey
    } else if message.starts_with("invalid type") {
        ProblemCode::WrongType
    } else if message.starts_with("duplicate") {
        ProblemCode::Duplicate
    } else {
        ProblemCode::InvalidValue
    }
}

/// Whether serde refused a float where a decimal belongs (a type that
/// reads decimals from strings only says so before the strict layer sees
/// the number).
pub(crate) fn is_float(message: &str) -> bool {
    message.starts_with("invalid type: floating point")
}

/// A serde message in the house style: its first line, without the final
/// period, and serde's "field" called a key as policies call it.
pub(crate) fn tidy(message: &str) -> String {
    let first = message.lines().next().unwrap_or("").trim();
    let first = first.strip_suffix('.').unwrap_or(first);
    match first.strip_prefix("missing field ") {
        Some(rest) => format!("missing key {rest}"),
        None => first.to_owned(),
    }
}

/// A problem that serde or the format found at `path`, in the house
/// style: its code (from serde's own words), a message that names the
/// field, as a policy's problems do (`missing key `id` in `agents[0]``),
/// and the help that a facts type's own message gives after `"; "` (`did
/// you mean …`, `write …`).
pub(crate) fn serde_problem(message: &str, path: &str) -> (ProblemCode, String, Option<String>) {
    let code = code_of(message);
    let message = tidy(message);
    let (message, help) = match message.split_once("; ") {
        Some((message, help)) if help.starts_with("did you mean") || help.starts_with("write ") => {
            (message.to_owned(), Some(help.to_owned()))
        }
        _ => (message, None),
    };
    let field = match path {
        "" => "the value".to_owned(),
        path => format!("`{path}`"),
    };
    // chrono's words for a date or time it cannot read.
    let message = match message.as_str() {
        "input is out of range" => format!("{field} is not a date or time that exists"),
        "input contains invalid characters"
        | "premature end of input"
        | "trailing input"
        | "no possible date and time matching input"
        | "input is not enough for unique date and time" => format!(
            "{field} is not a date or time as facts write them (`2026-03-02`, `09:00:00`, `2026-03-02 09:00:00`)"
        ),
        _ if path.is_empty() => message,
        _ => format!("{message} in `{path}`"),
    };
    (code, message, help)
}

/// Where `written` (a key or a number, as found by path) starts within
/// `text[span]`, for problems a format locates only at the enclosing
/// value: the first place the word stands on its own.
pub(crate) fn find_word(text: &str, span: std::ops::Range<usize>, word: &str) -> Option<usize> {
    let inside = text.get(span.clone())?;
    let is_word = |b: u8| b.is_ascii_alphanumeric() || b == b'_' || b == b'-';
    let mut from = 0;
    while let Some(at) = inside.get(from..)?.find(word) {
        let start = from + at;
        let end = start + word.len();
        let before = start
            .checked_sub(1)
            .and_then(|i| inside.as_bytes().get(i))
            .copied();
        let after = inside.as_bytes().get(end).copied();
        if !before.is_some_and(is_word) && !after.is_some_and(is_word) {
            return Some(span.start + start);
        }
        from = end;
    }
    None
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_word_is_found_on_its_own_only() {
        let text = "{ clock = 1, in = 2 }";
        assert_eq!(find_word(text, 0..text.len(), "in"), text.find("in ="));
    }
}
