//! Reading a list of holiday blocks and make-up working days, with every
//! check a list needs on its own: a date twice, a make-up day that is not a
//! weekend day, a date outside the list's year. Shared by calendar files
//! and a policy's own company days.

use std::ops::Range;

use chrono::{Datelike, NaiveDate};

use super::{LONGEST_HOLIDAY, weekday_name};
use crate::policy::ProblemCode;
use crate::policy::read::{Loader, Located, Node, Table};

/// One holiday block as written, valid on its own.
pub(crate) struct Listed {
    pub(crate) name: String,
    pub(crate) first: NaiveDate,
    pub(crate) last: NaiveDate,
    pub(crate) source: Option<String>,
    pub(crate) span: Range<usize>,
    pub(crate) path: String,
}

/// One make-up working day as written.
pub(crate) struct Makeup {
    pub(crate) date: NaiveDate,
    pub(crate) span: Range<usize>,
    pub(crate) path: String,
}

/// What the lists are checked against.
pub(crate) struct Rules {
    pub(crate) weekend: [bool; 7],
    /// The only year the dates may fall in (a calendar file's).
    pub(crate) year: Option<i32>,
}

/// Reads `holidays` and `makeup_working_days` from `t`; every problem is
/// reported, and only the entries that are valid are returned, in file order.
pub(crate) fn read(
    t: &mut Table<'_, '_>,
    ld: &mut Loader,
    rules: &Rules,
) -> (Vec<Listed>, Vec<Makeup>) {
    let mut holidays: Vec<Listed> = Vec::new();
    for node in t.array(ld, "holidays") {
        if let Some(h) = read_holiday(ld, &node, rules) {
            holidays.push(h);
        }
    }
    report_overlaps(ld, &holidays);
    let mut makeup: Vec<Makeup> = Vec::new();
    for node in t.array(ld, "makeup_working_days") {
        let Some(date) = node.read::<NaiveDate>(ld) else {
            continue;
        };
        let (span, path) = (node.span(), node.path());
        if outside_year(ld, rules, date, &span, &path, "make-up working day") {
            continue;
        }
        if !rules.weekend[date.weekday().num_days_from_monday() as usize] {
            ld.error(
                ProblemCode::InvalidValue,
                span,
                &path,
                format!(
                    "make-up working day {date} is a {}, which is worked anyway",
                    weekday_name(date.weekday())
                ),
            )
            .help("a make-up working day (调休) is a weekend date that is worked; check the date");
            continue;
        }
        if let Some(h) = holidays.iter().find(|h| h.first <= date && date <= h.last) {
            ld.error(
                ProblemCode::Conflict,
                span,
                &path,
                format!(
                    "{date} is both a make-up working day and part of holiday `{}`",
                    h.name
                ),
            );
            continue;
        }
        if makeup.iter().any(|m| m.date == date) {
            ld.error(
                ProblemCode::Duplicate,
                span,
                &path,
                format!("make-up working day {date} is listed twice"),
            );
            continue;
        }
        makeup.push(Makeup { date, span, path });
    }
    (holidays, makeup)
}

fn read_holiday(ld: &mut Loader, node: &Node<'_, '_>, rules: &Rules) -> Option<Listed> {
    let mut t = node.table(ld)?;
    let name: Option<String> = t.req(ld, "name");
    t.allow("label");
    let single: Option<Located<NaiveDate>> = t.opt(ld, "date");
    let from: Option<Located<NaiveDate>> = t.opt(ld, "from");
    let to: Option<Located<NaiveDate>> = t.opt(ld, "to");
    let source: Option<String> = t.opt(ld, "source");
    let path = t.path().to_owned();
    let ends = holiday_ends(ld, node, &path, [single, from, to]);
    t.finish(ld);
    let (first, last) = ends?;
    if !holiday_block_fits(ld, rules, &path, &first, &last) {
        return None;
    }
    Some(Listed {
        name: name?,
        first: first.value,
        last: last.value,
        source,
        span: node.span(),
        path,
    })
}

type Day = Located<NaiveDate>;

/// A holiday's first and last day, from a single `date` or from `from`
/// and `to`.
fn holiday_ends(
    ld: &mut Loader,
    node: &Node<'_, '_>,
    path: &str,
    [single, from, to]: [Option<Day>; 3],
) -> Option<(Day, Day)> {
    match (single, from, to) {
        (Some(d), None, None) => Some((d.clone(), d)),
        (None, Some(f), Some(l)) => Some((f, l)),
        (Some(d), _, _) => {
            ld.error(
                ProblemCode::Conflict,
                d.span,
                &d.path,
                format!("`{path}` gives both `date` and `from`/`to`"),
            )
            .help("give `date` for a single day, or `from` and `to` for a block");
            None
        }
        _ => {
            ld.error(
                ProblemCode::MissingKey,
                node.span(),
                path,
                format!("`{path}` needs `date`, or `from` and `to`"),
            )
            .help("write `{ date = 2026-01-01, name = \"元旦\" }` or `{ from = 2026-10-01, to = 2026-10-07, name = \"国庆节\" }`");
            None
        }
    }
}

/// Whether a holiday block runs forward, is not too long and lies in the
/// list's year; each way it does not is reported.
fn holiday_block_fits(ld: &mut Loader, rules: &Rules, path: &str, first: &Day, last: &Day) -> bool {
    if last.value < first.value {
        ld.error(
            ProblemCode::OutOfOrder,
            last.span.clone(),
            &last.path,
            format!(
                "`{path}` ends on {} before it starts on {}",
                last.value, first.value
            ),
        );
        return false;
    }
    if (last.value - first.value).num_days() >= LONGEST_HOLIDAY as i64 {
        ld.error(
            ProblemCode::OutOfRange,
            last.span.clone(),
            &last.path,
            format!("`{path}` is longer than {LONGEST_HOLIDAY} days"),
        )
        .help("list each holiday block separately");
        return false;
    }
    let what = "holiday";
    // A single `date` is both ends: reported once.
    let first_out = outside_year(ld, rules, first.value, &first.span, &first.path, what);
    let last_out = last.span != first.span
        && outside_year(ld, rules, last.value, &last.span, &last.path, what);
    !(first_out || last_out)
}

/// Reports `date` when the list belongs to a year it is not in.
fn outside_year(
    ld: &mut Loader,
    rules: &Rules,
    date: NaiveDate,
    span: &Range<usize>,
    path: &str,
    what: &str,
) -> bool {
    let Some(year) = rules.year.filter(|y| *y != date.year()) else {
        return false;
    };
    ld.error(
        ProblemCode::OutOfRange,
        span.clone(),
        path,
        format!("{what} {date} is outside the calendar's year {year}"),
    )
    .help(format!(
        "a calendar file holds one year; list {date} in the calendar of {}",
        date.year()
    ));
    true
}

/// Reports each pair of blocks that share days, at whichever the file lists
/// later.
fn report_overlaps(ld: &mut Loader, holidays: &[Listed]) {
    let mut order: Vec<&Listed> = holidays.iter().collect();
    order.sort_by_key(|h| (h.first, h.span.start));
    for (i, later) in order.iter().enumerate() {
        for earlier in &order[..i] {
            if earlier.last < later.first {
                continue;
            }
            let (shown, other) = if earlier.span.start > later.span.start {
                (*earlier, *later)
            } else {
                (*later, *earlier)
            };
            report_overlap(
                ld,
                shown,
                &format!("`{}`", other.name),
                other.first,
                other.last,
            );
        }
    }
}

/// Reports that `shown` shares days with the block `other` from `first` to
/// `last`.
pub(crate) fn report_overlap(
    ld: &mut Loader,
    shown: &Listed,
    other: &str,
    first: NaiveDate,
    last: NaiveDate,
) {
    ld.error(
        ProblemCode::Overlap,
        shown.span.clone(),
        &shown.path,
        format!(
            "holiday `{}` overlaps {other} from {} to {}",
            shown.name,
            shown.first.max(first),
            shown.last.min(last)
        ),
    )
    .help("each date may belong to one holiday block only");
}
