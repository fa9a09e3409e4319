//! The text of a file as loading sees it: read from disk within a size
//! limit, checked to be UTF-8 (the first bad byte located), and its lines
//! indexed once, so that finding the line of any offset never counts from
//! the start of the file.

use std::io::Read as _;
use std::ops::Range;
use std::path::Path;
use std::sync::Arc;

use super::diagnostic::{Diagnostic, LoadError, ProblemCode, Problems};

/// The largest file [`read_file`] reads unless told otherwise: 16 MiB, some
/// hundred times the largest shipped policy, scenario or cases file.
pub const DEFAULT_SIZE_LIMIT: u64 = 16 * 1024 * 1024;

/// Reads a policy, scenario or cases file as text, refusing what no such
/// file is: anything but a regular file (a FIFO would block, a device such
/// as `/dev/zero` never ends), a file over `limit` bytes, and text that is
/// not UTF-8, which is reported as a problem at the first bad byte.
///
/// ```
/// use cs_policy::{DEFAULT_SIZE_LIMIT, LoadError, read_file};
///
/// let shop = concat!(env!("CARGO_MANIFEST_DIR"), "/policies/shop.toml");
/// assert!(read_file(shop, DEFAULT_SIZE_LIMIT)?.contains("[policy]"));
/// assert!(matches!(read_file(shop, 100), Err(LoadError::TooLarge { limit: 100, .. })));
/// # Ok::<(), LoadError>(())
/// ```
pub fn read_file(path: impl AsRef<Path>, limit: u64) -> Result<String, LoadError> {
    let path = path.as_ref();
    let shown = || path.display().to_string();
    let cannot = |source| LoadError::Read {
        path: shown(),
        source,
    };
    // Asked before opening: opening a FIFO waits for a writer.
    let meta = std::fs::metadata(path).map_err(cannot)?;
    if !meta.is_file() {
        return Err(LoadError::NotAFile { path: shown() });
    }
    if meta.len() > limit {
        return Err(LoadError::TooLarge {
            path: shown(),
            limit,
        });
    }
    let file = std::fs::File::open(path).map_err(cannot)?;
    // The file may grow after it was measured: read one byte past the limit
    // at most, to tell.
    let mut bytes = Vec::with_capacity(usize::try_from(meta.len()).unwrap_or(0));
    file.take(limit.saturating_add(1))
        .read_to_end(&mut bytes)
        .map_err(cannot)?;
    if u64::try_from(bytes.len()).unwrap_or(u64::MAX) > limit {
        return Err(LoadError::TooLarge {
            path: shown(),
            limit,
        });
    }
    String::from_utf8(bytes).map_err(|error| not_utf8(&shown(), error))
}

/// The problem of a file that is not UTF-8, located at its first bad byte
/// and shown with the undecodable bytes replaced.
fn not_utf8(file: &str, error: std::string::FromUtf8Error) -> LoadError {
    let at = error.utf8_error().valid_up_to();
    let byte = error.as_bytes().get(at).copied().unwrap_or(0);
    let text: Arc<str> = Arc::from(String::from_utf8_lossy(error.as_bytes()));
    let diagnostic = Diagnostic {
        file: Arc::from(file),
        line: 0,
        column: 0,
        // The replacement character the shown text holds there.
        span: at..at + char::REPLACEMENT_CHARACTER.len_utf8(),
        code: ProblemCode::Syntax,
        field: String::new(),
        message: format!("the text is not UTF-8: byte `0x{byte:02X}` cannot be read"),
        help: Some("save the file as UTF-8, as TOML requires".to_owned()),
    };
    LoadError::Invalid(Problems::new(text, vec![diagnostic]))
}

/// Where every line of a text starts, found once.
#[derive(Debug, Clone)]
pub(crate) struct LineIndex {
    /// The byte offset of the start of each line; the first is 0.
    starts: Vec<usize>,
}

impl LineIndex {
    pub(crate) fn new(text: &str) -> Self {
        let mut starts = Vec::with_capacity(text.len() / 24 + 1);
        starts.push(0);
        starts.extend(memchr::memchr_iter(b'\n', text.as_bytes()).map(|at| at + 1));
        Self { starts }
    }

    /// The 1-based line of a byte offset.
    pub(crate) fn line_of(&self, offset: usize) -> usize {
        self.starts.partition_point(|start| *start <= offset).max(1)
    }

    /// The byte offset where a 1-based line starts (the end of the text
    /// past the last line).
    pub(crate) fn start_of(&self, line: usize, text: &str) -> usize {
        line.checked_sub(1)
            .and_then(|i| self.starts.get(i))
            .copied()
            .unwrap_or(text.len())
            .min(text.len())
    }

    /// The byte range of a 1-based line, without its line break: it ends
    /// where the next line starts, less the break, so that showing many
    /// problems of one long line costs no pass over it each.
    pub(crate) fn line_span(&self, line: usize, text: &str) -> Range<usize> {
        let start = self.start_of(line, text);
        let end = self
            .starts
            .get(line)
            .map_or(text.len(), |next| next.saturating_sub(1))
            .clamp(start, text.len());
        start..end
    }
}

/// Fills in the line and column of every diagnostic that has none (line 0),
/// in one pass over the text (diagnostics come sorted by where they start).
pub(crate) fn locate(text: &str, diagnostics: &mut [Diagnostic]) {
    let lines = LineIndex::new(text);
    let mut locator = Locator::new(text, &lines);
    for d in diagnostics.iter_mut().filter(|d| d.line == 0) {
        (d.line, d.column) = locator.at(d.span.start);
    }
}

/// Lines and columns of byte offsets, each column counted on from the
/// offset located before it when that is earlier on the same line: offsets
/// in increasing order cost the text's length in all, however many share a
/// line. Columns count characters; a byte order mark opening the text is
/// none; an offset inside a character is taken to its start.
pub(crate) struct Locator<'t> {
    text: &'t str,
    lines: &'t LineIndex,
    /// The last offset located, its line, and its 1-based column.
    last: Option<(usize, usize, usize)>,
}

impl<'t> Locator<'t> {
    pub(crate) fn new(text: &'t str, lines: &'t LineIndex) -> Self {
        Self {
            text,
            lines,
            last: None,
        }
    }

    /// The 1-based line and column of `offset`.
    pub(crate) fn at(&mut self, offset: usize) -> (usize, usize) {
        let text = self.text;
        let offset = floor_char_boundary(text, offset.min(text.len()));
        let line = self.lines.line_of(offset);
        let (from, column) = match self.last {
            Some((at, on, column)) if on == line && at <= offset => (at, column),
            _ => {
                let start = self.lines.start_of(line, text);
                let bom = line == 1 && text.starts_with('\u{feff}');
                (start + if bom { 3 } else { 0 }, 1)
            }
        };
        let from = from.min(offset);
        let column = column + text[from..offset].chars().count();
        self.last = Some((offset, line, column));
        (line, column)
    }
}

pub(crate) fn floor_char_boundary(text: &str, mut offset: usize) -> usize {
    while offset > 0 && !text.is_char_boundary(offset) {
        offset -= 1;
    }
    offset
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn lines_and_columns_count_characters() {
        let text = "a = 1\n名 = \"x\"\n\nz";
        let index = LineIndex::new(text);
        let mut locator = Locator::new(text, &index);
        let x = text.find("\"x").unwrap();
        // In order, out of order, and inside a character (taken to its start).
        for (at, place) in [(0, (1, 1)), (6, (2, 1)), (x, (2, 5)), (7, (2, 1))] {
            assert_eq!(locator.at(at), place);
        }
        assert_eq!(locator.at(text.len() - 1), (4, 1));
        // A byte order mark is no column.
        let marked = "\u{feff}a = 1";
        assert_eq!(Locator::new(marked, &LineIndex::new(marked)).at(3), (1, 1));
    }

    proptest::proptest! {
        #[test]
        fn lines_and_columns_match_counting_from_the_start(
            text in "[a\n\u{0}\u{b}\u{8a}é班]{0,60}",
            mut offsets in proptest::collection::vec(0usize..60, 0..8),
        ) {
            let lines = LineIndex::new(&text);
            offsets.sort_unstable();
            let mut found: Vec<Diagnostic> = offsets
                .iter()
                .map(|at| Diagnostic {
                    file: Arc::from("t"),
                    line: 0,
                    column: 0,
                    span: *at..*at,
                    code: ProblemCode::Syntax,
                    field: String::new(),
                    message: String::new(),
                    help: None,
                })
                .collect();
            locate(&text, &mut found);
            for d in &found {
                let at = floor_char_boundary(&text, d.span.start.min(text.len()));
                let before = &text[..at];
                let line = 1 + before.matches('\n').count();
                let column = 1 + before.rsplit('\n').next().unwrap_or("").chars().count();
                proptest::prop_assert_eq!((d.line, d.column), (line, column));
                proptest::prop_assert_eq!(lines.line_of(at), line);
                proptest::prop_assert_eq!(Locator::new(&text, &lines).at(d.span.start), (line, column));
                let span = lines.line_span(line, &text);
                let expected = text.split('\n').nth(line - 1).unwrap_or("");
                proptest::prop_assert_eq!(&text[span], expected);
            }
        }
    }

    #[test]
    fn a_byte_order_mark_is_no_column() {
        let text = "\u{feff}a = 1x\n";
        let mut found = vec![Diagnostic {
            file: Arc::from("t"),
            line: 0,
            column: 0,
            span: 8..9,
            code: ProblemCode::Syntax,
            field: String::new(),
            message: String::new(),
            help: None,
        }];
        locate(text, &mut found);
        assert_eq!((found[0].line, found[0].column), (1, 6));
    }
}
