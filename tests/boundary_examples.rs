//! Boundary examples: where two versions of a policy decide differently,
//! found without any scenario.

mod common;

use common::example_text as example;
use cs_policy::Policy;
use cs_policy::boundary::{Boundaries, BoundaryExample};
use proptest::prelude::*;
use rust_decimal::Decimal;

/// The examples between a shipped policy and an edited copy of it.
fn edited(name: &str, edits: &[(&str, &str)]) -> Boundaries {
    let old_text = example(name);
    let mut new_text = old_text.to_owned();
    for (from, to) in edits {
        assert!(new_text.contains(from), "`{from}` is not in {name}");
        new_text = new_text.replacen(from, to, 1);
    }
    let old = Policy::from_toml_str("old.toml", old_text).expect("the old policy loads");
    let new = Policy::from_toml_str("new.toml", &new_text).expect("the new policy loads");
    Boundaries::between(&old, &new)
}

fn lines(found: &Boundaries) -> Vec<String> {
    found.examples().iter().map(ToString::to_string).collect()
}

const SECOND_COMPLAINT: &str = r#"{ amount = 100, label = "第二次" }"#;

#[test]
fn f1_second_complaint_fine_100_to_120_is_exactly_one_example() {
    let found = edited(
        "shop",
        &[(SECOND_COMPLAINT, r#"{ amount = 120, label = "第二次" }"#)],
    );
    assert_eq!(
        lines(&found),
        ["≠ discipline.ladders.complaint: 2nd occurrence in a month: fine 100 → 120"]
    );
    let only = &found.examples()[0];
    assert_eq!((only.first, only.last), (2.into(), 2.into()));
    assert_eq!(only.before.summary, "fine 100");
    assert_eq!(only.after.summary, "fine 120");
    assert_eq!(
        only.after.clause.as_deref(),
        Some("discipline.ladders.complaint.steps[1]")
    );
}

/// A shipped policy with edits, and every boundary example line the change
/// gives: the row of a table of one-edit cases.
struct Edit {
    /// Named after the rule whose number the edit moves.
    case: &'static str,
    policy: &'static str,
    edits: &'static [(&'static str, &'static str)],
    lines: &'static [&'static str],
}

const EDITS: &[Edit] = &[
    Edit {
        // F1 with past_end = "repeat_last": the 3rd complaint and every later one.
        case: "f1_last_step_raised_repeats_past_the_ladder_as_one_run",
        policy: "shop",
        edits: &[(
            r#"{ amount = 200, label = "第三次" }"#,
            r#"{ amount = 300, label = "第三次" }"#,
        )],
        lines: &["≠ discipline.ladders.complaint: 3rd–5th occurrence in a month: fine 200 → 300"],
    },
    Edit {
        // A2: 以内 read as "below 30" instead of "up to 30".
        case: "a2_thirtieth_minute_early_counted_as_absent_is_one_value",
        policy: "education",
        edits: &[(
            "limit_minutes = 30\nat_limit = \"late\"\n\n[attendance.streak]",
            "limit_minutes = 30\nat_limit = \"absent\"\n\n[attendance.streak]",
        )],
        lines: &[
            "≠ attendance.early_leave: 30 minutes early on shift regular: left early, deducted 20 → absent, deducted 50",
        ],
    },
    Edit {
        case: "a5_review_at_five_to_four_reports_the_fourth_and_fifth_absent_day",
        policy: "education",
        edits: &[("review_at = 5", "review_at = 4")],
        lines: &[
            "≠ attendance.absence_streak: 4th absent day in a row on shift regular: deducted 50 → deducted 50, dismissal review",
            "≠ attendance.absence_streak: 5th absent day in a row on shift regular: deducted 50, dismissal review → deducted 50",
        ],
    },
    Edit {
        case: "k9_one_star_threshold_90_to_89_reports_a_score_of_89_once_per_level_held",
        policy: "call-centre",
        edits: &[("min_score = 90", "min_score = 89")],
        lines: &[
            "≠ pay.plans.star_levels: score 89 on plan star_levels: pay 1100, promoted to ordinary → pay 1100, promoted to one_star",
            "≠ pay.plans.star_levels: score 89 on plan star_levels, level ordinary held: pay 1500 → pay 1500, promoted to one_star",
        ],
    },
    Edit {
        case: "l6_late_marriage_age_of_a_man_25_to_24_reports_age_24",
        policy: "education",
        edits: &[("late_man_age = 25", "late_man_age = 24")],
        lines: &["≠ leave.types.marriage: marriage leave of a man aged 24: entitled days 3 → 10"],
    },
    Edit {
        case: "l6_marriage_notice_15_to_10_is_one_example_for_every_length",
        policy: "education",
        edits: &[("notice_days = 15", "notice_days = 10")],
        lines: &[
            "≠ leave.types.marriage: a request of 1–9 counted days of marriage, made on its first day: needs notice of 15 days → needs notice of 10 days",
        ],
    },
    Edit {
        case: "o6_low_stock_below_10_to_12_reports_10_and_11_listed",
        policy: "shop",
        edits: &[("below = 10", "below = 12")],
        lines: &["≠ orders.low_stock: 10–11 item(s) listed: no alert → low-stock alert"],
    },
    Edit {
        case: "r1_seven_day_return_to_fifteen_reports_days_8_to_15",
        policy: "shop",
        edits: &[("days = 7\n", "days = 15\n")],
        lines: &[
            "≠ orders.returns: a return of regular goods asked 8–15 day(s) after receipt on 2026-03-02: refused as too late → accepted",
        ],
    },
    Edit {
        case: "c5_fifteen_calls_a_day_to_twelve_reports_12_to_14_calls",
        policy: "education",
        edits: &[("per_day = 15", "per_day = 12")],
        lines: &[
            "≠ followup.quotas.effective_calls: 12–14 effective outgoing call(s) in a day: effective_calls short → met",
        ],
    },
    Edit {
        case: "c7_third_ring_to_fourth_reports_the_fourth_ring",
        policy: "education",
        edits: &[("max_rings = 3", "max_rings = 4")],
        lines: &[
            "≠ followup.promises.answer_by_ring: an incoming call answered on the 4th ring: answered too late → answered in time",
        ],
    },
    Edit {
        case: "l5_year_cap_20_to_15_reports_days_16_to_20",
        policy: "education",
        edits: &[("days = 20\ninclusive = true", "days = 15\ninclusive = true")],
        lines: &[
            "≠ leave.year_cap: 16–20 days of personal leave in a year: within the year's cap → over the year's cap",
        ],
    },
    Edit {
        case: "l5_year_cap_no_longer_inclusive_reports_the_twentieth_day",
        policy: "education",
        edits: &[(
            "days = 20\ninclusive = true",
            "days = 20\ninclusive = false",
        )],
        lines: &[
            "≠ leave.year_cap: 20 day(s) of personal leave in a year: within the year's cap → over the year's cap",
        ],
    },
    Edit {
        case: "r2_shipping_within_three_days_to_two_moves_the_latest_shipping_day",
        policy: "shop",
        edits: &[("ship_within = [1, 3]", "ship_within = [1, 2]")],
        lines: &["≠ orders.shipping: an order paid on Monday 2026-03-02: \
          ships 2026-03-03 to 2026-03-05, arrives 2026-03-05 to 2026-03-11 → \
          ships 2026-03-03 to 2026-03-04, arrives 2026-03-05 to 2026-03-11"],
    },
];

/// A2, A5, C5, C7, F1, K9, L5, L6, O6, R1, R2: each edit's boundary examples,
/// line for line.
#[test]
fn each_edit_reports_exactly_its_boundary_examples() {
    for row in EDITS {
        let found = edited(row.policy, row.edits);
        assert_eq!(lines(&found), row.lines, "case `{}`", row.case);
    }
}

#[test]
fn a1_late_limit_30_to_20_is_one_example_from_21_to_30_minutes() {
    let found = edited("education", &[("limit_minutes = 30", "limit_minutes = 20")]);
    assert_eq!(
        lines(&found),
        [
            "≠ attendance.late: 21–30 minutes late on shift regular: late, deducted 20 → absent, deducted 50"
        ]
    );
    let only = &found.examples()[0];
    assert_eq!((only.first, only.last), (21.into(), 30.into()));
    assert_eq!(only.before.clause.as_deref(), Some("attendance.late"));
}

#[test]
fn a6_full_attendance_bonus_100_to_150_is_one_example_on_a_clean_day() {
    let found = edited("call-centre", &[("bonus = \"100\"", "bonus = \"150\"")]);
    let a6: Vec<String> = found
        .examples()
        .iter()
        .filter(|e| e.clause == "attendance.full_attendance")
        .map(ToString::to_string)
        .collect();
    assert_eq!(
        a6,
        [
            "≠ attendance.full_attendance: 0 minutes late on shift office: on time, full-attendance bonus 100 → on time, full-attendance bonus 150"
        ]
    );
}

#[test]
fn a3_streak_of_three_to_four_moves_the_conversion() {
    let found = edited("education", &[("count = 3", "count = 4")]);
    let first = &found.examples()[0];
    assert_eq!(first.clause, "attendance.streak");
    assert_eq!(first.probe, "3rd late in a row on shift regular");
    assert_eq!(first.before.summary, "converted to absence, deducted 10");
    assert_eq!(first.after.summary, "deducted 20");
    let second = &found.examples()[1];
    assert_eq!(second.probe, "4th late in a row on shift regular");
    assert_eq!(second.after.summary, "converted to absence, deducted -10");
}

#[test]
fn a4_late_deduction_20_to_25_is_reported_on_the_late_minutes_as_one_range() {
    let found = edited("education", &[("late = \"20\"", "late = \"25\"")]);
    let late: Vec<&BoundaryExample> = found
        .examples()
        .iter()
        .filter(|e| e.clause == "attendance.late")
        .collect();
    assert_eq!(late.len(), 1);
    assert_eq!((late[0].first, late[0].last), (1.into(), 30.into()));
    assert_eq!(
        late[0].to_string(),
        "≠ attendance.late: 1–30 minutes late on shift regular: late, deducted 20 → late, deducted 25"
    );
}

#[test]
fn k5_band_edge_86_to_85_reports_a_score_of_85() {
    let found = edited(
        "property",
        &[
            (
                r#"{ grade = "fail", max = 85,"#,
                r#"{ grade = "fail", max = 84,"#,
            ),
            ("min = 86, max = 90", "min = 85, max = 90"),
        ],
    );
    assert_eq!(
        lines(&found),
        [
            "≠ kpi.scorecards.front_desk.bands: score 85 on card front_desk: grade fail, not passed, pay share 0% → grade basic_pass, passed, pay share 80%",
            // K5's pay: the performance pay of 1000 at 0% and at 80%.
            "≠ pay.plans.front_desk: score 85 on plan front_desk: pay 0 → 800",
        ]
    );
    let only = &found.examples()[0];
    assert_eq!(only.first, Decimal::from(85));
    assert_eq!(
        only.after.clause.as_deref(),
        Some("kpi.scorecards.front_desk.bands.rows[1]")
    );
}

#[test]
fn l2_notice_of_three_days_to_two_is_one_example_over_the_step() {
    // L2: requests of 2 to 6 counted days (L3 starts at 7).
    let found = edited("education", &[("notice_days = 3", "notice_days = 2")]);
    assert_eq!(found.examples().len(), 1);
    let only = &found.examples()[0];
    assert_eq!(only.clause, "leave.notice[1]");
    assert_eq!((only.first, only.last), (2.into(), 6.into()));
    assert!(only.before.summary.starts_with("needs notice of 3 days;"));
    assert!(only.after.summary.starts_with("needs notice of 2 days;"));
}

#[test]
fn l3_long_leave_from_seven_days_to_six_reports_the_sixth_day() {
    let found = edited("education", &[("min_days = 7", "min_days = 6")]);
    assert_eq!(found.examples().len(), 1);
    let only = &found.examples()[0];
    assert_eq!(only.clause, "leave.notice[2]");
    assert_eq!((only.first, only.last), (6.into(), 6.into()));
    assert!(only.after.summary.starts_with("needs notice of 7 days;"));
}

#[test]
fn k2_refund_rate_tier_8_to_6_reports_the_metrics_between() {
    let found = edited(
        "shop",
        &[(
            "{ at_most = 8, points = 20 }",
            "{ at_most = 6, points = 20 }",
        )],
    );
    assert_eq!(
        lines(&found),
        [
            "≠ kpi.scorecards.after_sales.items.refund_rate: refund_rate from 6.01 to 8 on card after_sales: points 20 → 10"
        ]
    );
    let only = &found.examples()[0];
    assert_eq!((only.first, only.last), ("6.01".parse().unwrap(), 8.into()));
}

#[test]
fn identical_policies_report_no_boundary() {
    for (name, text) in cs_policy::EXAMPLES {
        let policy = Policy::from_toml_str("p.toml", text).expect("a shipped policy loads");
        let found = Boundaries::between(&policy, &policy);
        assert!(found.is_empty(), "{name}: {found}");
    }
}

#[test]
fn policies_with_different_sections_are_probed_against_no_rules() {
    // The property policy has no [discipline]: F1's ladder is probed
    // against "no discipline rules", step by step.
    let shop = Policy::example("shop").expect("shop loads");
    let property = Policy::example("property").expect("property loads");
    let found = Boundaries::between(&shop, &property);
    let complaint: Vec<String> = found
        .examples()
        .iter()
        .filter(|e| e.clause == "discipline.ladders.complaint")
        .map(ToString::to_string)
        .collect();
    assert_eq!(
        complaint,
        [
            "≠ discipline.ladders.complaint: 1st occurrence in a month: fine 50 → no discipline rules",
            "≠ discipline.ladders.complaint: 2nd occurrence in a month: fine 100 → no discipline rules",
            "≠ discipline.ladders.complaint: 3rd–5th occurrence in a month: fine 200 → no discipline rules",
        ]
    );
    // And the other way round, the outcomes swap sides.
    let back = Boundaries::between(&property, &shop);
    assert_eq!(back.examples().len(), found.examples().len());
    // Sorted by clause.
    let clauses: Vec<&str> = found.examples().iter().map(|e| e.clause.as_str()).collect();
    let mut sorted = clauses.clone();
    sorted.sort_unstable();
    assert_eq!(clauses, sorted);
}

#[test]
fn a1_policies_without_a_shift_in_common_are_probed_on_each_first_shift() {
    // Education's A1 (30 minutes, then absent) against the shop, which
    // states no late limit: every minute late is a late there.
    let education = Policy::example("education").expect("education loads");
    let shop = Policy::example("shop").expect("shop loads");
    let found = Boundaries::between(&education, &shop);
    let late: Vec<&BoundaryExample> = found
        .examples()
        .iter()
        .filter(|e| e.clause == "attendance.late")
        .collect();
    assert_eq!(late.len(), 2);
    assert_eq!(late[0].probe, "1–30 minutes late on shift regular / p1_day");
    assert_eq!(late[0].before.summary, "late, deducted 20");
    assert_eq!(late[0].after.summary, "late");
    assert_eq!(late[1].first, Decimal::from(31));
    assert_eq!(late[1].before.summary, "absent, deducted 50");
}

#[test]
fn a_kind_only_the_new_policy_has_is_probed_against_no_kind() {
    // F2 dropped from the old policy: its flat 10 appears as new.
    let text = example("shop");
    let start = text
        .find("[discipline.ladders.off_task_part1]")
        .expect("F2 is in shop");
    let end = start + text[start..].find("\n\n").expect("F2 ends");
    let old_text = format!("{}{}", &text[..start], &text[end..]);
    let old = Policy::from_toml_str("old.toml", &old_text).expect("the old policy loads");
    let new = Policy::from_toml_str("new.toml", text).expect("the new policy loads");
    let found = Boundaries::between(&old, &new);
    assert_eq!(
        lines(&found),
        [
            "≠ discipline.ladders.off_task_part1: 1st–3rd occurrence ever: no kind `off_task_part1` → fine 10"
        ]
    );
}

#[test]
fn examples_serialise_with_their_outcomes_and_clauses() {
    let found = edited(
        "shop",
        &[(SECOND_COMPLAINT, r#"{ amount = 120, label = "第二次" }"#)],
    );
    let json = serde_json::to_value(&found).expect("serialises");
    assert_eq!(json[0]["clause"], "discipline.ladders.complaint");
    assert_eq!(json[0]["probe"], "2nd occurrence in a month");
    assert_eq!(json[0]["first"], "2");
    assert_eq!(json[0]["before"]["summary"], "fine 100");
    assert_eq!(json[0]["after"]["summary"], "fine 120");
    assert_eq!(
        json[0]["after"]["clause"],
        "discipline.ladders.complaint.steps[1]"
    );
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(24))]

    /// F1: any other amount for the second complaint is exactly one example,
    /// and swapping the policies swaps its outcomes.
    #[test]
    fn f1_any_second_fine_is_one_example_both_ways(amount in 0u32..1000) {
        prop_assume!(amount != 100);
        let new_text = example("shop").replacen(
            SECOND_COMPLAINT,
            &format!(r#"{{ amount = {amount}, label = "第二次" }}"#),
            1,
        );
        let old = Policy::example("shop").expect("shop loads");
        // A ladder may not fall (50, then less, then 200): such a copy is
        // invalid and has nothing to compare.
        let Ok(new) = Policy::from_toml_str("new.toml", &new_text) else { return Ok(()); };
        let found = Boundaries::between(&old, &new);
        prop_assert_eq!(found.examples().len(), 1);
        let back = Boundaries::between(&new, &old);
        prop_assert_eq!(back.examples().len(), 1);
        prop_assert_eq!(&found.examples()[0].before, &back.examples()[0].after);
        prop_assert_eq!(&found.examples()[0].after, &back.examples()[0].before);
    }
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(16))]

    /// A1: moving the late limit from `a` to `b` minutes is one example,
    /// from the lower limit + 1 to the higher one, late on the side with
    /// the higher limit and absent on the other.
    #[test]
    fn a1_any_moved_late_limit_is_one_range(a in 1u32..120, b in 1u32..120) {
        prop_assume!(a != b);
        let text = example("education");
        let old_text = text.replacen("limit_minutes = 30", &format!("limit_minutes = {a}"), 1);
        let new_text = text.replacen("limit_minutes = 30", &format!("limit_minutes = {b}"), 1);
        let old = Policy::from_toml_str("old.toml", &old_text).expect("loads");
        let new = Policy::from_toml_str("new.toml", &new_text).expect("loads");
        let found = Boundaries::between(&old, &new);
        let late: Vec<&BoundaryExample> =
            found.examples().iter().filter(|e| e.clause == "attendance.late").collect();
        prop_assert_eq!(late.len(), 1);
        prop_assert_eq!(late[0].first, Decimal::from(a.min(b) + 1));
        prop_assert_eq!(late[0].last, Decimal::from(a.max(b)));
        let (late_side, absent_side) = if a > b {
            (&late[0].before, &late[0].after)
        } else {
            (&late[0].after, &late[0].before)
        };
        prop_assert!(late_side.summary.starts_with("late"));
        prop_assert!(absent_side.summary.starts_with("absent"));
    }
}

/// The shop policy with F1's ladder grown to `steps` steps (50, 100, then
/// 200, 201, 202, … yuan), in `window`.
fn long_ladder(steps: usize, window: &str) -> Policy {
    let shipped = "steps = [\n  { amount = 50, label = \"第一次\" },\n  { amount = 100, label = \"第二次\" },\n  { amount = 200, label = \"第三次\" },\n]";
    let mut rows = vec!["{ amount = 50 }".to_owned(), "{ amount = 100 }".to_owned()];
    rows.extend((0..steps - 2).map(|i| format!("{{ amount = {} }}", 200 + i)));
    let text = example("shop")
        .replacen(shipped, &format!("steps = [{}]", rows.join(", ")), 1)
        .replacen(
            "window = \"calendar_month\"   # 一个自然月内",
            &format!("window = {window}"),
            1,
        );
    Policy::from_toml_str("ladder.toml", &text).expect("the long ladder loads")
}

#[test]
fn f1_a_ladder_of_4000_steps_is_probed_step_by_step_within_one_month() {
    let shop = Policy::example("shop").expect("shop loads");
    let found = Boundaries::between(&shop, &long_ladder(4000, "\"calendar_month\""));
    let complaint: Vec<&BoundaryExample> = found
        .examples()
        .iter()
        .filter(|e| e.clause == "discipline.ladders.complaint")
        .collect();
    // The 4th to 3999th occurrences each cost one yuan more; the 4000th,
    // and the two probed past the end, repeat the last step.
    assert_eq!(complaint.len(), 3997);
    // The 31st and later complaints are still in the month (several on its
    // last day), not a new month's first.
    let at = |k: u32| {
        complaint
            .iter()
            .find(|e| e.first == Decimal::from(k))
            .map(|e| e.to_string())
            .unwrap_or_default()
    };
    assert_eq!(
        at(31),
        "≠ discipline.ladders.complaint: 31st occurrence in a month: fine 200 → 228"
    );
    assert_eq!(
        at(4000),
        "≠ discipline.ladders.complaint: 4000th–4002nd occurrence in a month: fine 200 → 4197"
    );
}

#[test]
fn f1_ladder_probes_stay_in_a_quarter_and_a_rolling_window() {
    let shop = Policy::example("shop").expect("shop loads");
    for (window, words) in [
        ("\"quarter\"", "in a quarter"),
        ("{ rolling_days = 7 }", "within 7 days"),
    ] {
        let found = Boundaries::between(&shop, &long_ladder(100, window));
        let probe = |k: u32| {
            found
                .examples()
                .iter()
                .find(|e| e.clause == "discipline.ladders.complaint" && e.first == Decimal::from(k))
                .map(|e| e.to_string())
                .unwrap_or_default()
        };
        // The 91st occurrence of a quarter (past its 90 days), the 8th of
        // a week: the ladder's own step either way.
        for k in [8, 91] {
            assert_eq!(
                probe(k),
                format!(
                    "≠ discipline.ladders.complaint: {k}{} occurrence {words}: fine 200 → {}",
                    if k == 8 { "th" } else { "st" },
                    197 + k
                ),
                "{window}"
            );
        }
    }
}

/// The property policy with its K5 card of one item scaled to `total`,
/// and its bands edited.
fn card_of_total(total: &str, bands: &[(&str, &str)]) -> Policy {
    let mut text = example("property")
        .replacen("total = 100\n", &format!("total = {total}\n"), 1)
        .replacen(
            "kind = \"points\"\nmax = 100\n",
            &format!("kind = \"points\"\nmax = {total}\n"),
            1,
        );
    for (from, to) in bands {
        assert!(text.contains(from), "`{from}` is in property");
        text = text.replacen(from, to, 1);
    }
    Policy::from_toml_str("card.toml", &text).expect("the scaled card loads")
}

#[test]
fn k5_cards_of_any_total_are_probed_at_their_edges() {
    // Ten million, four hundred million, and 5 × 10^28 points: the bands
    // are the same, so only the pay past the old card's 100 points differs,
    // as one run whatever the total (the search never lists every score).
    let property = Policy::example("property").expect("property loads");
    for total in ["10000000", "400000000", "\"50000000000000000000000000000\""] {
        let found = Boundaries::between(&property, &card_of_total(total, &[]));
        assert_eq!(
            lines(&found),
            [format!(
                "≠ pay.plans.front_desk: scores 101–{} on plan front_desk: not evaluated: item `assessment` takes at most `100` points → pay 1000",
                total.trim_matches('"')
            )]
        );
    }
}

#[test]
fn k5_a_band_edge_moved_on_a_card_of_ten_million_is_found() {
    // The excellent band from 98 to 9,000,000 on a 10,000,000-point card.
    let old = card_of_total("10000000", &[]);
    let new = card_of_total(
        "10000000",
        &[
            (
                "{ grade = \"good\", min = 91, max = 97,",
                "{ grade = \"good\", min = 91, max = 8999999,",
            ),
            (
                "{ grade = \"excellent\", min = 98,",
                "{ grade = \"excellent\", min = 9000000,",
            ),
        ],
    );
    assert_eq!(
        lines(&Boundaries::between(&old, &new)),
        [
            "≠ kpi.scorecards.front_desk.bands: scores 98–8999999 on card front_desk: grade excellent, passed, pay share 100% → grade good, passed, pay share 100%"
        ]
    );
}

#[test]
fn k2_a_tier_at_the_largest_decimal_is_probed_without_overflow() {
    // K2's last tier moved to the largest decimal: the metric one hundredth
    // above it cannot be written, so only the edges that exist are probed.
    let found = edited(
        "shop",
        &[(
            "{ at_most = 12, points = 10 }",
            r#"{ at_most = "79228162514264337593543950335", points = 10 }"#,
        )],
    );
    let tiers: Vec<String> = found
        .examples()
        .iter()
        .filter(|e| e.clause.ends_with("refund_rate"))
        .map(ToString::to_string)
        .collect();
    assert_eq!(
        tiers,
        [
            "≠ kpi.scorecards.after_sales.items.refund_rate: refund_rate from 12.01 to 79228162514264337593543950335 on card after_sales: points 0 → 10"
        ]
    );
}
