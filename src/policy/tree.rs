//! The spanned TOML tree a policy file is read from.
//!
//! `toml_parser` lexes the text and parses it into events, recovering from
//! syntax errors; this module arranges the events into tables and arrays
//! held in one arena. Keys and values borrow from the text unless escapes
//! had to be decoded, siblings are linked in file order, and a lookup walks
//! the handful of keys a table holds. Built this way the largest shipped
//! policy is ready to read in about two thirds of the time the `toml`
//! crate's tree of sorted maps takes (about 105 µs against 150 µs), and the
//! tree is most of what loading a policy costs.
//!
//! The rules for where a value lands (headers, dotted keys, arrays of
//! tables, inline tables that cannot be extended) and the problems reported
//! when a file breaks them follow the `toml` crate's own reading of the
//! events, so both accept and reject the same documents with the same
//! messages; the tests below compare the two on every shipped policy, every
//! broken fixture and random documents.

use std::borrow::Cow;
use std::ops::Range;
use std::sync::LazyLock;

use toml::value::Datetime;
use toml_parser::decoder::{Encoding, ScalarKind};
use toml_parser::parser::{Event, EventKind, EventReceiver};
use toml_parser::{ErrorSink, ParseError, Source, Span};

/// How deep arrays and inline tables may nest, and how long a dotted key may
/// be: the limit the `toml` crate uses.
const NESTING_LIMIT: u32 = 80;

/// The index of an item in its [`Tree`].
pub(crate) type ItemId = u32;

/// No item: the end of a sibling chain.
const NONE: ItemId = ItemId::MAX;

/// A parsed TOML document: every key and value in one arena, the root table
/// first.
#[derive(Debug)]
pub(crate) struct Tree<'i> {
    items: Vec<Item<'i>>,
}

/// A TOML syntax (or structure) problem: what is wrong and where.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) struct SyntaxError {
    /// What is wrong, with what was expected, on one line.
    pub(crate) message: String,
    /// The offending bytes, when the parser could point at them.
    pub(crate) span: Option<Range<usize>>,
}

/// One value in the tree, with the key it sits under.
#[derive(Debug)]
pub(crate) struct Item<'i> {
    /// The key (empty for the root and for array elements).
    key: Cow<'i, str>,
    key_span: (u32, u32),
    span: (u32, u32),
    /// The next item in the same table or array.
    next: ItemId,
    value: Value<'i>,
}

/// A TOML value; tables and arrays hold their items as a sibling chain.
#[derive(Debug)]
pub(crate) enum Value<'i> {
    String(Cow<'i, str>),
    /// The digits as written (without `_`), and the radix.
    Integer(Cow<'i, str>, u32),
    /// The number as written (without `_`).
    Float(Cow<'i, str>),
    Boolean(bool),
    Datetime(Datetime),
    Array(Chain, ArrayKind),
    Table(Chain, TableKind),
}

/// The first and last item of a table or array, and how many it holds.
#[derive(Debug, Clone, Copy)]
pub(crate) struct Chain {
    first: ItemId,
    last: ItemId,
    len: u32,
}

impl Chain {
    const EMPTY: Chain = Chain {
        first: NONE,
        last: NONE,
        len: 0,
    };
}

/// Whether an array was written as `[[header]]` tables.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum ArrayKind {
    Values,
    Tables,
}

/// How a table came to be, which decides how it may still be extended.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum TableKind {
    /// Opened by a `[header]` (or the root).
    Header,
    /// Created on the way to a deeper `[header]`; a header may still open it.
    Implicit,
    /// Created by a dotted key; only dotted keys may extend it.
    Dotted,
    /// Written `{ … }`, closed once written.
    Inline,
}

impl Value<'_> {
    pub(crate) fn is_str(&self) -> bool {
        matches!(self, Value::String(_))
    }

    pub(crate) fn is_table(&self) -> bool {
        matches!(self, Value::Table(..))
    }

    /// The TOML type's name, as problems say it.
    pub(crate) fn type_name(&self) -> &'static str {
        match self {
            Value::String(_) => "string",
            Value::Integer(..) => "integer",
            Value::Float(_) => "float",
            Value::Boolean(_) => "boolean",
            Value::Datetime(_) => "datetime",
            Value::Array(..) => "array",
            Value::Table(..) => "table",
        }
    }
}

impl<'i> Item<'i> {
    pub(crate) fn key(&self) -> &str {
        &self.key
    }

    pub(crate) fn key_span(&self) -> Range<usize> {
        self.key_span.0 as usize..self.key_span.1 as usize
    }

    pub(crate) fn span(&self) -> Range<usize> {
        self.span.0 as usize..self.span.1 as usize
    }

    pub(crate) fn value(&self) -> &Value<'i> {
        &self.value
    }
}

/// The items of one table or array, in file order.
pub(crate) struct Items<'t, 'i> {
    tree: &'t Tree<'i>,
    at: ItemId,
    left: u32,
}

impl<'t, 'i> Iterator for Items<'t, 'i> {
    type Item = &'t Item<'i>;

    fn next(&mut self) -> Option<Self::Item> {
        let item = self.tree.items.get(self.at as usize)?;
        self.at = item.next;
        self.left = self.left.saturating_sub(1);
        Some(item)
    }

    fn size_hint(&self) -> (usize, Option<usize>) {
        (self.left as usize, Some(self.left as usize))
    }
}

impl ExactSizeIterator for Items<'_, '_> {}

/// A tree holding one empty table: what an absent table reads as while the
/// format is being recorded.
static EMPTY: LazyLock<Tree<'static>> = LazyLock::new(|| Tree {
    items: vec![Item {
        key: Cow::Borrowed(""),
        key_span: (0, 0),
        span: (0, 0),
        next: NONE,
        value: Value::Table(Chain::EMPTY, TableKind::Header),
    }],
});

impl<'i> Tree<'i> {
    /// Parses `text`, recovering from errors: the tree holds everything that
    /// could be read, and every problem is returned.
    pub(crate) fn parse(text: &'i str) -> (Self, Vec<SyntaxError>) {
        let source = Source::new(text);
        let tokens = source.lex().into_vec();
        let mut problems: Vec<ParseError> = Vec::new();
        let mut events = Events {
            source,
            events: Vec::with_capacity(tokens.len()),
            depth: 0,
        };
        toml_parser::parser::parse_document(&tokens, &mut events, &mut problems);
        let events = events.events;
        let mut builder = Builder {
            source,
            items: Vec::with_capacity(events.len() / 6 + 1),
            problems,
        };
        builder.items.push(Item {
            key: Cow::Borrowed(""),
            key_span: (0, 0),
            span: (0, 0),
            next: NONE,
            value: Value::Table(Chain::EMPTY, TableKind::Header),
        });
        builder.document(&mut Cursor {
            events: &events,
            at: 0,
        });
        let problems = builder.problems.iter().map(SyntaxError::from).collect();
        (
            Tree {
                items: builder.items,
            },
            problems,
        )
    }

    /// The tree of one empty table.
    pub(crate) fn empty() -> &'static Tree<'static> {
        &EMPTY
    }

    /// The root table.
    pub(crate) fn root(&self) -> &Item<'i> {
        &self.items[0]
    }

    /// The items of a table or array (none for any other value).
    pub(crate) fn items<'t>(&'t self, of: &Item<'i>) -> Items<'t, 'i> {
        match of.value {
            Value::Table(chain, _) | Value::Array(chain, _) => Items {
                tree: self,
                at: chain.first,
                left: chain.len,
            },
            _ => Items {
                tree: self,
                at: NONE,
                left: 0,
            },
        }
    }

    /// The item under `key` in `table`.
    pub(crate) fn get<'t>(&'t self, table: &Item<'i>, key: &str) -> Option<&'t Item<'i>> {
        self.position(table, key).map(|(_, item)| item)
    }

    /// The item under `key` in `table`, and its place among the table's
    /// items.
    pub(crate) fn position<'t>(
        &'t self,
        table: &Item<'i>,
        key: &str,
    ) -> Option<(usize, &'t Item<'i>)> {
        match table.value {
            Value::Table(..) => self
                .items(table)
                .enumerate()
                .find(|(_, item)| item.key == key),
            _ => None,
        }
    }
}

impl From<&ParseError> for SyntaxError {
    /// Words the problem as the `toml` crate does: the description, then
    /// what was expected.
    fn from(error: &ParseError) -> Self {
        let mut message = error.description().to_owned();
        if let Some(expected) = error.expected() {
            message.push_str(", expected ");
            if expected.is_empty() {
                message.push_str("nothing");
            }
            for (i, expected) in expected.iter().enumerate() {
                if i != 0 {
                    message.push_str(", ");
                }
                match expected {
                    toml_parser::Expected::Literal(literal) => {
                        message.push_str(&render_literal(literal));
                    }
                    toml_parser::Expected::Description(what) => message.push_str(what),
                    _ => message.push_str("etc"),
                }
            }
        }
        SyntaxError {
            message,
            span: error.unexpected().map(|s| s.start()..s.end()),
        }
    }
}

fn render_literal(literal: &str) -> String {
    match literal {
        "\n" => "newline".to_owned(),
        "`" => "'`'".to_owned(),
        s if s.chars().all(|c| c.is_ascii_control()) => format!("`{}`", s.escape_debug()),
        s => format!("`{s}`"),
    }
}

/// Collects the parser's events, checking what the `toml` crate has
/// `toml_parser` check on the way (`ValidateWhitespace` and
/// `RecursionGuard`), in one receiver: comments hold only printable
/// characters, a carriage return is followed by a newline, and arrays and
/// inline tables nest at most [`NESTING_LIMIT`] deep.
struct Events<'i> {
    source: Source<'i>,
    events: Vec<Event>,
    depth: u32,
}

impl Events<'_> {
    /// The bytes of a token (empty if the span is off the text).
    fn bytes(&self, span: Span) -> &[u8] {
        self.source
            .input()
            .as_bytes()
            .get(span.start()..span.end())
            .unwrap_or_default()
    }

    fn push(&mut self, kind: EventKind, encoding: Option<Encoding>, span: Span) {
        self.events.push(Event::new_unchecked(kind, encoding, span));
    }

    /// Goes one level deeper; whether that is still allowed.
    fn nest(&mut self, kind: EventKind, span: Span, error: &mut dyn ErrorSink) -> bool {
        self.push(kind, None, span);
        self.depth = self.depth.saturating_add(1);
        let within = self.depth <= NESTING_LIMIT;
        if !within {
            error.report_error(
                ParseError::new("cannot recurse further; max recursion depth met")
                    .with_unexpected(span),
            );
        }
        within
    }

    fn unnest(&mut self, kind: EventKind, span: Span) {
        self.depth = self.depth.saturating_sub(1);
        self.push(kind, None, span);
    }
}

impl EventReceiver for Events<'_> {
    fn std_table_open(&mut self, span: Span, _error: &mut dyn ErrorSink) {
        self.push(EventKind::StdTableOpen, None, span);
    }
    fn std_table_close(&mut self, span: Span, _error: &mut dyn ErrorSink) {
        self.push(EventKind::StdTableClose, None, span);
    }
    fn array_table_open(&mut self, span: Span, _error: &mut dyn ErrorSink) {
        self.push(EventKind::ArrayTableOpen, None, span);
    }
    fn array_table_close(&mut self, span: Span, _error: &mut dyn ErrorSink) {
        self.push(EventKind::ArrayTableClose, None, span);
    }
    fn inline_table_open(&mut self, span: Span, error: &mut dyn ErrorSink) -> bool {
        self.nest(EventKind::InlineTableOpen, span, error)
    }
    fn inline_table_close(&mut self, span: Span, _error: &mut dyn ErrorSink) {
        self.unnest(EventKind::InlineTableClose, span);
    }
    fn array_open(&mut self, span: Span, error: &mut dyn ErrorSink) -> bool {
        self.nest(EventKind::ArrayOpen, span, error)
    }
    fn array_close(&mut self, span: Span, _error: &mut dyn ErrorSink) {
        self.unnest(EventKind::ArrayClose, span);
    }
    fn simple_key(&mut self, span: Span, encoding: Option<Encoding>, _error: &mut dyn ErrorSink) {
        self.push(EventKind::SimpleKey, encoding, span);
    }
    fn key_sep(&mut self, span: Span, _error: &mut dyn ErrorSink) {
        self.push(EventKind::KeySep, None, span);
    }
    fn key_val_sep(&mut self, span: Span, _error: &mut dyn ErrorSink) {
        self.push(EventKind::KeyValSep, None, span);
    }
    fn scalar(&mut self, span: Span, encoding: Option<Encoding>, _error: &mut dyn ErrorSink) {
        self.push(EventKind::Scalar, encoding, span);
    }
    fn value_sep(&mut self, span: Span, _error: &mut dyn ErrorSink) {
        self.push(EventKind::ValueSep, None, span);
    }
    fn whitespace(&mut self, span: Span, _error: &mut dyn ErrorSink) {
        self.push(EventKind::Whitespace, None, span);
    }
    fn comment(&mut self, span: Span, error: &mut dyn ErrorSink) {
        // Most comments are plain text; only a suspect one is decoded, which
        // finds and reports what is wrong.
        let plain = match self.bytes(span) {
            [b'#', ..] => all_in(self.bytes(span), &COMMENT),
            _ => false,
        };
        if !plain && let Some(raw) = self.source.get(span) {
            raw.decode_comment(error);
        }
        self.push(EventKind::Comment, None, span);
    }
    fn newline(&mut self, span: Span, error: &mut dyn ErrorSink) {
        if self.bytes(span) != b"\n"
            && let Some(raw) = self.source.get(span)
        {
            raw.decode_newline(error);
        }
        self.push(EventKind::Newline, None, span);
    }
    fn error(&mut self, span: Span, _error: &mut dyn ErrorSink) {
        self.push(EventKind::Error, None, span);
    }
}

/// The parser's events, read front to back.
struct Cursor<'e> {
    events: &'e [Event],
    at: usize,
}

impl Cursor<'_> {
    fn next_event(&mut self) -> Option<Event> {
        let event = self.events.get(self.at).copied();
        self.at += 1;
        event
    }

    fn peek(&self, ahead: usize) -> Option<EventKind> {
        self.events.get(self.at + ahead).map(Event::kind)
    }
}

/// A key as written: its decoded text and where it is.
struct Key<'i> {
    text: Cow<'i, str>,
    span: Span,
}

/// A `[header]` or `[[header]]`.
struct Header<'i> {
    path: Vec<Key<'i>>,
    key: Option<Key<'i>>,
    span: Span,
    is_array: bool,
}

struct Builder<'i> {
    source: Source<'i>,
    items: Vec<Item<'i>>,
    problems: Vec<ParseError>,
}

fn pair(span: Span) -> (u32, u32) {
    // Spans beyond 4 GiB are clamped; no policy file comes near that.
    let at = |n: usize| u32::try_from(n).unwrap_or(u32::MAX);
    (at(span.start()), at(span.end()))
}

fn span_of(pair: (u32, u32)) -> Span {
    Span::new_unchecked(pair.0 as usize, pair.1 as usize)
}

impl<'i> Builder<'i> {
    fn report(&mut self, error: ParseError) {
        self.problems.report_error(error);
    }

    /// Adds a value to the arena, not yet in any table or array.
    fn add(&mut self, span: Span, value: Value<'i>) -> ItemId {
        let id = ItemId::try_from(self.items.len()).unwrap_or(NONE);
        self.items.push(Item {
            key: Cow::Borrowed(""),
            key_span: (0, 0),
            span: pair(span),
            next: NONE,
            value,
        });
        id
    }

    fn item(&self, id: ItemId) -> Option<&Item<'i>> {
        self.items.get(id as usize)
    }

    fn item_mut(&mut self, id: ItemId) -> Option<&mut Item<'i>> {
        self.items.get_mut(id as usize)
    }

    /// Links `child` at the end of the table or array `parent`, under `key`.
    fn link(&mut self, parent: ItemId, child: ItemId, key: Option<Key<'i>>) {
        if let Some(key) = key
            && let Some(item) = self.item_mut(child)
        {
            item.key = key.text;
            item.key_span = pair(key.span);
        }
        let Some(Item {
            value: Value::Table(chain, _) | Value::Array(chain, _),
            ..
        }) = self.item_mut(parent)
        else {
            return;
        };
        let last = chain.last;
        if last == NONE {
            chain.first = child;
        }
        chain.last = child;
        chain.len += 1;
        if last != NONE
            && let Some(item) = self.item_mut(last)
        {
            item.next = child;
        }
    }

    fn find(&self, table: ItemId, key: &str) -> Option<ItemId> {
        let Some(Item {
            value: Value::Table(chain, _),
            ..
        }) = self.item(table)
        else {
            return None;
        };
        let mut at = chain.first;
        while let Some(item) = self.item(at) {
            if item.key == key {
                return Some(at);
            }
            at = item.next;
        }
        None
    }

    fn table_kind(&self, id: ItemId) -> Option<TableKind> {
        match self.item(id)?.value {
            Value::Table(_, kind) => Some(kind),
            _ => None,
        }
    }

    fn set_table_kind(&mut self, id: ItemId, to: TableKind) {
        if let Some(Item {
            value: Value::Table(_, kind),
            ..
        }) = self.item_mut(id)
        {
            *kind = to;
        }
    }

    /// A table no one can reach: where the contents of a header that could
    /// not be placed go, so that reading carries on.
    fn detached(&mut self) -> ItemId {
        self.add(
            Span::new_unchecked(0, 0),
            Value::Table(Chain::EMPTY, TableKind::Header),
        )
    }

    /// ```abnf
    /// expression = ws comment / ws keyval ws [ comment ] / ws table ws [ comment ] / ws
    /// ```
    fn document(&mut self, input: &mut Cursor<'_>) {
        let mut current: ItemId = 0;
        while let Some(event) = input.next_event() {
            match event.kind() {
                EventKind::StdTableOpen | EventKind::ArrayTableOpen => {
                    let header = self.header(event, input);
                    current = self.open_table(header);
                }
                EventKind::SimpleKey => {
                    let (path, key) = self.key(event, input);
                    let Some(key) = key else {
                        break;
                    };
                    let Some(mut next) = input.next_event() else {
                        break;
                    };
                    if next.kind() == EventKind::Whitespace {
                        let Some(after) = input.next_event() else {
                            break;
                        };
                        next = after;
                    }
                    if next.kind() != EventKind::KeyValSep {
                        break;
                    }
                    if input.peek(0) == Some(EventKind::Whitespace) {
                        input.next_event();
                    }
                    let value = self.value(input);
                    self.place(current, path, key, value);
                }
                _ => {}
            }
        }
    }

    /// ```abnf
    /// std-table = std-table-open key *( table-key-sep key) std-table-close
    /// array-table = array-table-open key *( table-key-sep key) array-table-close
    /// ```
    fn header(&mut self, open: Event, input: &mut Cursor<'_>) -> Header<'i> {
        let is_array = open.kind() == EventKind::ArrayTableOpen;
        let mut header = Header {
            path: Vec::new(),
            key: None,
            span: open.span(),
            is_array,
        };
        while let Some(event) = input.next_event() {
            match event.kind() {
                EventKind::ArrayTableClose | EventKind::StdTableClose => {
                    header.span = header.span.append(event.span());
                    break;
                }
                EventKind::SimpleKey => {
                    let (path, key) = self.key(event, input);
                    header.path = path;
                    header.key = key;
                }
                _ => {}
            }
        }
        header
    }

    /// Opens the table a header names; returns where its keys go.
    fn open_table(&mut self, header: Header<'i>) -> ItemId {
        let Some(key) = header.key else {
            return self.detached();
        };
        let Some(parent) = self.descend(0, header.path, Descent::Header) else {
            return self.detached();
        };
        let span = pair(header.span);
        if header.is_array {
            let element = self.add(header.span, Value::Table(Chain::EMPTY, TableKind::Header));
            match self.find(parent, &key.text) {
                None => {
                    let array =
                        self.add(header.span, Value::Array(Chain::EMPTY, ArrayKind::Tables));
                    self.link(parent, array, Some(key));
                    self.link(array, element, None);
                }
                Some(existing) => match self.item(existing) {
                    Some(Item {
                        value: Value::Array(_, ArrayKind::Tables),
                        ..
                    }) => self.link(existing, element, None),
                    Some(old) => {
                        let context = span_of(old.span);
                        self.report(
                            ParseError::new("duplicate key")
                                .with_unexpected(key.span)
                                .with_context(context),
                        );
                    }
                    None => {}
                },
            }
            return element;
        }
        match self.find(parent, &key.text) {
            None => {
                let table = self.add(header.span, Value::Table(Chain::EMPTY, TableKind::Header));
                self.link(parent, table, Some(key));
                table
            }
            Some(existing) => {
                let kind = self.table_kind(existing);
                if kind != Some(TableKind::Implicit) {
                    // Since tables cannot be defined more than once,
                    // redefining one with a [table] header is not allowed.
                    let context = self.item(existing).map(|old| span_of(old.key_span));
                    let mut problem = ParseError::new("duplicate key").with_unexpected(key.span);
                    if let Some(context) = context {
                        problem = problem.with_context(context);
                    }
                    self.report(problem);
                }
                // The header now defines the table (in place of any other
                // value, so that reading carries on): point at it.
                if let Some(item) = self.item_mut(existing) {
                    match &mut item.value {
                        Value::Table(_, kind) => *kind = TableKind::Header,
                        other => *other = Value::Table(Chain::EMPTY, TableKind::Header),
                    }
                    item.span = span;
                    item.key_span = pair(key.span);
                    item.key = key.text;
                }
                existing
            }
        }
    }

    /// Places `value` under the (possibly dotted) key in `table`.
    fn place(&mut self, table: ItemId, path: Vec<Key<'i>>, key: Key<'i>, value: ItemId) {
        let dotted = !path.is_empty();
        let Some(parent) = self.descend(table, path, Descent::Dotted) else {
            return;
        };
        // Dotted keys may not add to a table a header defined.
        let parent_kind = self.table_kind(parent);
        if dotted && matches!(parent_kind, Some(TableKind::Header | TableKind::Inline)) {
            self.report(ParseError::new("duplicate key").with_unexpected(key.span));
            return;
        }
        self.insert(parent, key, value);
    }

    /// Links `value` under `key`, unless the table already has that key.
    fn insert(&mut self, table: ItemId, key: Key<'i>, value: ItemId) {
        if let Some(existing) = self.find(table, &key.text) {
            let context = self.item(existing).map(|old| span_of(old.key_span));
            let mut problem = ParseError::new("duplicate key").with_unexpected(key.span);
            if let Some(context) = context {
                problem = problem.with_context(context);
            }
            self.report(problem);
            return;
        }
        self.link(table, value, Some(key));
    }

    /// Walks (and creates) the tables a header or dotted key passes through.
    fn descend(&mut self, mut table: ItemId, path: Vec<Key<'i>>, how: Descent) -> Option<ItemId> {
        let dotted = how != Descent::Header;
        for key in path {
            let Some(existing) = self.find(table, &key.text) else {
                let kind = if dotted {
                    TableKind::Dotted
                } else {
                    TableKind::Implicit
                };
                let created = self.add(key.span, Value::Table(Chain::EMPTY, kind));
                self.link(table, created, Some(key));
                table = created;
                continue;
            };
            let item = self.item(existing)?;
            let old_span = span_of(item.span);
            table = match item.value {
                Value::Array(chain, ArrayKind::Tables) if how != Descent::Inline => {
                    match self.item(chain.last) {
                        Some(Item {
                            value: Value::Table(..),
                            ..
                        }) => chain.last,
                        Some(last) => {
                            let problem = cannot_extend(last.value.type_name(), key.span)
                                .with_context(old_span);
                            self.report(problem);
                            return None;
                        }
                        None => return None,
                    }
                }
                Value::Table(_, TableKind::Inline) if how != Descent::Inline => {
                    self.report(cannot_extend("inline table", key.span));
                    return None;
                }
                Value::Table(_, kind) => {
                    let open_to_dots = match how {
                        Descent::Header => true,
                        Descent::Dotted => {
                            matches!(kind, TableKind::Implicit | TableKind::Dotted)
                        }
                        // Inside `{ … }` only what dotted keys made there.
                        Descent::Inline => kind == TableKind::Dotted,
                    };
                    if !open_to_dots {
                        self.report(ParseError::new("duplicate key").with_unexpected(key.span));
                        return None;
                    }
                    if dotted && kind == TableKind::Implicit {
                        self.set_table_kind(existing, TableKind::Dotted);
                    }
                    existing
                }
                ref other => {
                    let problem = cannot_extend(other.type_name(), key.span).with_context(old_span);
                    self.report(problem);
                    return None;
                }
            };
        }
        Some(table)
    }

    /// ```abnf
    /// key = simple-key / dotted-key
    /// dotted-key = simple-key 1*( dot-sep simple-key )
    /// ```
    fn key(&mut self, first: Event, input: &mut Cursor<'_>) -> (Vec<Key<'i>>, Option<Key<'i>>) {
        let mut path = Vec::new();
        let mut last = self.decode_key(first);
        if more_key(input) {
            while let Some(event) = input.next_event() {
                match event.kind() {
                    EventKind::SimpleKey => {
                        let next = self.decode_key(event);
                        path.extend(std::mem::replace(&mut last, next));
                        if !more_key(input) {
                            break;
                        }
                    }
                    EventKind::Whitespace | EventKind::KeySep => {}
                    _ => {}
                }
            }
        }
        if NESTING_LIMIT as usize <= path.len() {
            self.report(ParseError::new("recursion limit"));
            return (Vec::new(), None);
        }
        (path, last)
    }

    fn decode_key(&mut self, event: Event) -> Option<Key<'i>> {
        let raw = self.source.get(event)?;
        let mut text = Cow::Borrowed("");
        match written_as_is(raw.as_str(), event.encoding()) {
            Some(plain) => text = Cow::Borrowed(plain),
            None => raw.decode_key(&mut text, &mut self.problems),
        }
        Some(Key {
            text,
            span: event.span(),
        })
    }

    /// ```abnf
    /// val = string / boolean / array / inline-table / date-time / float / integer
    /// ```
    fn value(&mut self, input: &mut Cursor<'_>) -> ItemId {
        if let Some(event) = input.next_event()
            && let Some(value) = self.nested_value(event, input)
        {
            return value;
        }
        self.add(
            Span::new_unchecked(0, 0),
            Value::Integer(Cow::Borrowed(""), 10),
        )
    }

    fn scalar(&mut self, event: Event) -> ItemId {
        let mut text = Cow::Borrowed("");
        let kind = match self.source.get(event) {
            Some(raw) => match (
                event.encoding(),
                written_as_is(raw.as_str(), event.encoding()),
            ) {
                (Some(_), Some(plain)) => {
                    text = Cow::Borrowed(plain);
                    ScalarKind::String
                }
                _ => raw.decode_scalar(&mut text, &mut self.problems),
            },
            None => ScalarKind::String,
        };
        let value = match kind {
            ScalarKind::String => Value::String(text),
            ScalarKind::Boolean(b) => Value::Boolean(b),
            ScalarKind::DateTime => match text.parse::<Datetime>() {
                Ok(datetime) => Value::Datetime(datetime),
                Err(error) => {
                    self.report(ParseError::new(error.to_string()).with_unexpected(event.span()));
                    Value::Datetime(Datetime {
                        date: None,
                        time: None,
                        offset: None,
                    })
                }
            },
            ScalarKind::Float => Value::Float(text),
            ScalarKind::Integer(radix) => Value::Integer(text, radix.value()),
        };
        self.add(event.span(), value)
    }

    /// ```abnf
    /// inline-table = inline-table-open [ inline-table-keyvals ] ws-comment-newline inline-table-close
    /// ```
    fn inline_table(&mut self, open: Event, input: &mut Cursor<'_>) -> ItemId {
        let table = self.add(open.span(), Value::Table(Chain::EMPTY, TableKind::Inline));
        let mut close = open.span();
        let mut pending_key: Option<(Vec<Key<'i>>, Key<'i>)> = None;
        let mut pending_value: Option<ItemId> = None;
        while let Some(event) = input.next_event() {
            close = event.span();
            match event.kind() {
                EventKind::StdTableOpen
                | EventKind::ArrayTableOpen
                | EventKind::StdTableClose
                | EventKind::ArrayClose
                | EventKind::ArrayTableClose
                | EventKind::KeySep => break,
                EventKind::SimpleKey => {
                    if let (path, Some(key)) = self.key(event, input) {
                        pending_key = Some((path, key));
                    }
                }
                EventKind::InlineTableOpen | EventKind::ArrayOpen | EventKind::Scalar => {
                    pending_value = self.nested_value(event, input);
                }
                EventKind::ValueSep | EventKind::InlineTableClose => {
                    if let (Some((path, key)), Some(value)) =
                        (pending_key.take(), pending_value.take())
                    {
                        self.place_inline(table, path, key, value);
                    }
                    if event.kind() == EventKind::InlineTableClose {
                        break;
                    }
                }
                _ => {}
            }
        }
        self.end_at(table, close);
        table
    }

    fn place_inline(&mut self, table: ItemId, path: Vec<Key<'i>>, key: Key<'i>, value: ItemId) {
        let dotted = !path.is_empty();
        let Some(parent) = self.descend(table, path, Descent::Inline) else {
            return;
        };
        let parent_dotted = self.table_kind(parent) == Some(TableKind::Dotted);
        if parent_dotted != dotted {
            self.report(ParseError::new("duplicate key").with_unexpected(key.span));
            return;
        }
        self.insert(parent, key, value);
    }

    /// ```abnf
    /// array = array-open array-values array-close
    /// ```
    fn array(&mut self, open: Event, input: &mut Cursor<'_>) -> ItemId {
        let array = self.add(open.span(), Value::Array(Chain::EMPTY, ArrayKind::Values));
        let mut close = open.span();
        let mut pending: Option<ItemId> = None;
        while let Some(event) = input.next_event() {
            close = event.span();
            match event.kind() {
                EventKind::StdTableOpen
                | EventKind::ArrayTableOpen
                | EventKind::InlineTableClose
                | EventKind::SimpleKey
                | EventKind::KeySep
                | EventKind::KeyValSep
                | EventKind::StdTableClose
                | EventKind::ArrayTableClose => break,
                EventKind::InlineTableOpen | EventKind::ArrayOpen | EventKind::Scalar => {
                    pending = self.nested_value(event, input);
                }
                EventKind::ValueSep | EventKind::ArrayClose => {
                    if let Some(value) = pending.take() {
                        self.link(array, value, None);
                    }
                    if event.kind() == EventKind::ArrayClose {
                        break;
                    }
                }
                _ => {}
            }
        }
        self.end_at(array, close);
        array
    }

    /// The value that starts with `event`, if one does: a scalar, an array
    /// or an inline table.
    fn nested_value(&mut self, event: Event, input: &mut Cursor<'_>) -> Option<ItemId> {
        match event.kind() {
            EventKind::InlineTableOpen => Some(self.inline_table(event, input)),
            EventKind::ArrayOpen => Some(self.array(event, input)),
            EventKind::Scalar => Some(self.scalar(event)),
            _ => None,
        }
    }

    /// Ends an array's or inline table's span where its last event ends.
    fn end_at(&mut self, id: ItemId, close: Span) {
        if let Some(item) = self.item_mut(id) {
            item.span.1 = pair(close).1;
        }
    }
}

/// Why tables are being walked: the rules differ a little.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Descent {
    /// To the table a `[header]` names.
    Header,
    /// Along a dotted key in a table body.
    Dotted,
    /// Along a dotted key inside `{ … }`.
    Inline,
}

fn cannot_extend(type_name: &str, key: Span) -> ParseError {
    ParseError::new(format!(
        "cannot extend value of type {type_name} with a dotted key"
    ))
    .with_unexpected(key)
}

/// The text of a bare key, or of a one-line string with no escapes, when
/// it is valid as written: most keys and strings are, and taking them as
/// they are skips decoding them character by character. Anything else
/// (escapes, characters TOML does not allow, a missing quote) goes through
/// `toml_parser`'s decoder, which also reports what is wrong.
fn written_as_is(raw: &str, encoding: Option<Encoding>) -> Option<&str> {
    let bytes = raw.as_bytes();
    let inner = |quote: u8| match bytes {
        [first, inner @ .., last] if *first == quote && *last == quote => {
            raw.get(1..raw.len() - 1).map(|text| (text, inner))
        }
        _ => None,
    };
    match encoding {
        None => (!bytes.is_empty() && all_in(bytes, &BARE_KEY)).then_some(raw),
        Some(Encoding::BasicString) => {
            let (text, inner) = inner(b'"')?;
            all_in(inner, &BASIC_AS_IS).then_some(text)
        }
        Some(Encoding::LiteralString) => {
            let (text, inner) = inner(b'\'')?;
            all_in(inner, &LITERAL_AS_IS).then_some(text)
        }
        Some(Encoding::MlBasicString | Encoding::MlLiteralString) => None,
    }
}

/// A set of bytes, as a table indexed by the byte.
type ByteSet = [bool; 256];

/// The bytes of a bare key: `A-Z a-z 0-9 - _`.
const BARE_KEY: ByteSet = byte_set(&[
    (b'A', b'Z'),
    (b'a', b'z'),
    (b'0', b'9'),
    (b'-', b'-'),
    (b'_', b'_'),
]);

/// The bytes a one-line basic string holds as written (TOML's
/// `basic-unescaped`): no control character but tab, no quote, no
/// backslash; any byte of UTF-8 text beyond ASCII.
const BASIC_AS_IS: ByteSet = byte_set(&[
    (b'\t', b'\t'),
    (0x20, 0x21),
    (0x23, 0x5B),
    (0x5D, 0x7E),
    (0x80, 0xFF),
]);

/// The bytes of a one-line literal string (TOML's `literal-char`).
const LITERAL_AS_IS: ByteSet =
    byte_set(&[(b'\t', b'\t'), (0x20, 0x26), (0x28, 0x7E), (0x80, 0xFF)]);

/// The bytes of a comment (TOML's `non-eol`).
const COMMENT: ByteSet = byte_set(&[(b'\t', b'\t'), (0x20, 0x7E), (0x80, 0xFF)]);

/// The set of the bytes in the inclusive ranges.
const fn byte_set(ranges: &[(u8, u8)]) -> ByteSet {
    let mut set = [false; 256];
    let mut r = 0;
    while r < ranges.len() {
        let (first, last) = ranges[r];
        let mut b = first as usize;
        while b <= last as usize {
            set[b] = true;
            b += 1;
        }
        r += 1;
    }
    set
}

/// Whether every byte is in `set`. Looks at every byte without stopping
/// early: text as written is the common case.
fn all_in(bytes: &[u8], set: &ByteSet) -> bool {
    bytes.iter().fold(true, |all, b| all & set[usize::from(*b)])
}

/// Whether a key continues with a dot after the current part.
fn more_key(input: &Cursor<'_>) -> bool {
    match input.peek(0) {
        Some(EventKind::KeySep) => true,
        Some(EventKind::Whitespace) => input.peek(1) == Some(EventKind::KeySep),
        _ => false,
    }
}

#[cfg(test)]
mod tests {
    //! The tree against the `toml` crate's own: the same values at the same
    //! places, and the same problems.

    use std::collections::BTreeMap;

    use proptest::prelude::*;
    use toml::Spanned;
    use toml::de::{DeTable, DeValue};

    use super::*;

    /// A value with its span, comparable across both trees.
    #[derive(Debug, PartialEq)]
    enum Plain {
        String(String),
        Integer(String, u32),
        Float(String),
        Boolean(bool),
        Datetime(String),
        Array(Vec<(Range<usize>, Plain)>),
        /// Key → (key span, value span, value).
        Table(BTreeMap<String, (Range<usize>, Range<usize>, Plain)>),
    }

    fn from_toml(value: &DeValue<'_>) -> Plain {
        match value {
            DeValue::String(s) => Plain::String(s.to_string()),
            DeValue::Integer(i) => Plain::Integer(i.as_str().to_owned(), i.radix()),
            DeValue::Float(f) => Plain::Float(f.as_str().to_owned()),
            DeValue::Boolean(b) => Plain::Boolean(*b),
            DeValue::Datetime(d) => Plain::Datetime(d.to_string()),
            DeValue::Array(items) => Plain::Array(
                items
                    .iter()
                    .map(|v: &Spanned<DeValue<'_>>| (v.span(), from_toml(v.get_ref())))
                    .collect(),
            ),
            DeValue::Table(map) => Plain::Table(
                map.iter()
                    .map(|(k, v)| {
                        (
                            k.get_ref().to_string(),
                            (k.span(), v.span(), from_toml(v.get_ref())),
                        )
                    })
                    .collect(),
            ),
        }
    }

    fn from_tree(tree: &Tree<'_>, item: &Item<'_>) -> Plain {
        match item.value() {
            Value::String(s) => Plain::String(s.to_string()),
            Value::Integer(s, radix) => Plain::Integer(s.to_string(), *radix),
            Value::Float(s) => Plain::Float(s.to_string()),
            Value::Boolean(b) => Plain::Boolean(*b),
            Value::Datetime(d) => Plain::Datetime(d.to_string()),
            Value::Array(..) => Plain::Array(
                tree.items(item)
                    .map(|v| (v.span(), from_tree(tree, v)))
                    .collect(),
            ),
            Value::Table(..) => Plain::Table(
                tree.items(item)
                    .map(|v| {
                        (
                            v.key().to_owned(),
                            (v.key_span(), v.span(), from_tree(tree, v)),
                        )
                    })
                    .collect(),
            ),
        }
    }

    fn problems_of(
        errors: impl IntoIterator<Item = (String, Option<Range<usize>>)>,
    ) -> Vec<(String, Option<Range<usize>>)> {
        let mut all: Vec<_> = errors.into_iter().collect();
        all.sort_by(|a, b| {
            (&a.1.as_ref().map(|s| (s.start, s.end)), &a.0)
                .cmp(&(&b.1.as_ref().map(|s| (s.start, s.end)), &b.0))
        });
        all.dedup();
        all
    }

    /// Whether both read `text` the same way; on a difference, what it is.
    fn compare(text: &str) -> Result<(), String> {
        let (theirs, their_errors) = DeTable::parse_recoverable(text);
        let (ours, our_errors) = Tree::parse(text);
        let their_problems = problems_of(
            their_errors
                .iter()
                .map(|e| (e.message().to_owned(), e.span())),
        );
        let our_problems = problems_of(our_errors.into_iter().map(|e| (e.message, e.span)));
        if their_problems != our_problems {
            return Err(format!(
                "problems differ:\n toml: {their_problems:?}\n ours: {our_problems:?}"
            ));
        }
        // After a problem the two may keep different parts of a broken
        // document; what matters there is that both report it.
        if their_problems.is_empty() {
            let theirs = from_toml(&DeValue::Table(theirs.into_inner()));
            let ours = from_tree(&ours, ours.root());
            if theirs != ours {
                return Err(format!("trees differ:\n toml: {theirs:?}\n ours: {ours:?}"));
            }
        }
        Ok(())
    }

    #[test]
    fn shipped_policies_and_fixtures_read_the_same_as_the_toml_crate() {
        let mut files = 0;
        for dir in ["policies", "tests/fixtures/invalid"] {
            let dir = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join(dir);
            for entry in std::fs::read_dir(&dir).into_iter().flatten().flatten() {
                let path = entry.path();
                if path.extension().is_some_and(|e| e == "toml") {
                    let text = std::fs::read_to_string(&path).unwrap_or_default();
                    if let Err(diff) = compare(&text) {
                        panic!("{}: {diff}", path.display());
                    }
                    files += 1;
                }
            }
        }
        assert!(files > 10, "only {files} files compared");
    }

    #[test]
    fn edge_documents_read_the_same_as_the_toml_crate() {
        let documents = [
            "",
            "a = 1",
            "a.b.c = 1\na.b.d = 2\na.e = 3",
            "[a.b]\nx = 1\n[a]\ny = 2",
            "[a]\n[a]",
            "[a]\nb.c = 1\n[a.b]",
            "[a]\nb.c = 1\n[a.b.d]\ne = 1",
            "a = 1\n[a]",
            "a = 1\na.b = 2",
            "a = [1]\na.b = 2",
            "a = {x = 1}\na.y = 2",
            "a = {x = 1}\n[a.b]",
            "a = {b.c = 1, b.d = 2}",
            "a = {b = {c = 1}, b.d = 2}",
            "a = {x = 1, x = 2}",
            "[[a]]\nx = 1\n[[a]]\nx = 2\n[a.b]\ny = 3",
            "[[a]]\n[a]",
            "[a]\n[[a]]",
            "[[a.b]]\n[[a.b]]\n[[a]]",
            "a = []\n[[a]]",
            "[[a]]\nb.c = 1\n",
            "x = 1\nb.c = 1\n[b]",
            "'quoted key' = \"v\\u00e9\"\n\"a.b\" = 1\n",
            "n = 0x1F\no = 0o17\nb = 0b101\nf = 6.02e23\ng = 1_000.5\ni = +inf\nd = 1979-05-27\nt = 07:32:00\ndt = 1979-05-27T07:32:00Z",
            "s = \"\"\"\nmulti\nline\"\"\"\nl = '''raw'''",
            "a = \"unterminated\nb = 2",
            "a = \nb = 2",
            "= 1",
            "[a\nb = 1",
            "[]\nb = 1",
            "a = [1, 2,, 3]",
            "a = {x = 1,}",
            "a = 1979-13-27",
            "a = 25:00:00",
            "a.b.c.d.e.f = 1\n[a.b.c]",
            "k = [[1, 2], [\"a\", {x = 1}]]",
            "a = 1 # comment\n# comment \u{7}\n",
            "[a]\nb = 1\n[a.c]\n[a.c.d]\n[a]",
            "[[x.y]]\n[x]\nz = 1",
        ];
        let deep_array = format!("a = {}{}", "[".repeat(90), "]".repeat(90));
        let deep_table = format!("a = {}{}", "{ b = ".repeat(85), "}".repeat(85));
        let odd_lines = [
            "# a comment with a bell \u{7}\na = 1",
            "a = 1 # \u{7f} in a comment\n",
            "a = 1\r\nb = 2\r\n",
            "a = 1\rb = 2",
            "#\r\n#\r",
        ];
        let all = documents
            .iter()
            .copied()
            .chain(odd_lines)
            .chain([deep_array.as_str(), deep_table.as_str()]);
        for text in all {
            if let Err(diff) = compare(text) {
                panic!("{text:?}: {diff}");
            }
        }
    }

    /// Random documents from fragments TOML is easy to get wrong with.
    fn document() -> impl Strategy<Value = String> {
        let fragment = prop::sample::select(vec![
            "[a]",
            "[a.b]",
            "[b]",
            "[a.b.c]",
            "[[a]]",
            "[[a.b]]",
            "[[c]]",
            "[c.d]",
            "a = 1",
            "b = 2",
            "a.b = 3",
            "b.c = 4",
            "c.d.e = 5",
            "d = {x = 1}",
            "d.y = 2",
            "e = {b.c = 1, b.d = 2}",
            "f = [1, {g = 2}]",
            "g = \"s\"",
            "h = 1979-05-27",
            "i = [",
            "j = {",
            "k = \"",
            "]",
            "}",
            "= 3",
            "l = 1 2",
            "m = 0x",
            "# note",
            "n.o = {}",
            "[n]",
            "[n.o]",
            "p = 'x'",
            "q.'r s' = true",
            "[\"t\".u]",
            "r = \"a\\tb\"",
            "s = \"\u{7f}\"",
            "t = '\t\\'",
            "\"\" = 1",
            "'' = 2",
            "u = \"é\"",
            "v = \"\"\"x\"\"\"",
            "w = '\u{1}'",
            "x-y_z = 1",
            "é = 1",
        ]);
        prop::collection::vec(fragment, 0..12).prop_map(|parts| parts.join("\n"))
    }

    proptest! {
        #![proptest_config(ProptestConfig { cases: 2000, ..ProptestConfig::default() })]

        #[test]
        fn random_documents_read_the_same_as_the_toml_crate(text in document()) {
            if let Err(diff) = compare(&text) {
                prop_assert!(false, "{text:?}: {diff}");
            }
        }

        #[test]
        fn arbitrary_text_never_panics(text in "\\PC{0,80}") {
            let _ = Tree::parse(&text);
        }

        #[test]
        fn scrambled_toml_reads_the_same_as_the_toml_crate(
            text in "[a-c=\\[\\]{}.,\"'#\n \t0-9\\\\\u{7f}\u{1}é:+-]{0,60}"
        ) {
            if let Err(diff) = compare(&text) {
                prop_assert!(false, "{text:?}: {diff}");
            }
        }
    }
}
