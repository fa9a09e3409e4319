//! Invariants of ages and leave decisions (L1–L11), over generated facts.

use chrono::{Datelike, Days, NaiveDate};
use cs_policy::leave::{
    AgeReached, AgeRules, Agent, Approver, DayStatus, Document, LeapDay, LeaveError, LeaveRequest,
    MOST_BABIES, Relation, Sex,
};
use cs_policy::{ClauseRef, Policy};
use proptest::prelude::*;

fn date(offset: u32) -> NaiveDate {
    NaiveDate::from_ymd_opt(1950, 1, 1)
        .unwrap()
        .checked_add_days(Days::new(u64::from(offset)))
        .unwrap()
}

/// The education policy, loaded once.
fn education() -> &'static Policy {
    static P: std::sync::OnceLock<Policy> = std::sync::OnceLock::new();
    P.get_or_init(|| Policy::example("education").unwrap())
}

/// Mostly a day of 2026, the year the calendar covers; otherwise any day
/// from year 1 to about 8200.
fn any_day() -> impl Strategy<Value = NaiveDate> {
    prop_oneof![
        3 => (0u64..365).prop_map(|n| NaiveDate::from_ymd_opt(2026, 1, 1).unwrap() + Days::new(n)),
        1 => (1i32..3_000_000).prop_map(|n| NaiveDate::from_num_days_from_ce_opt(n).unwrap()),
    ]
}

fn ages(reached: AgeReached, leap_day: LeapDay) -> AgeRules {
    AgeRules {
        reached,
        leap_day,
        clause: ClauseRef::default(),
    }
}

fn age_rules() -> impl Strategy<Value = AgeRules> {
    (
        prop_oneof![
            Just(AgeReached::OnAnniversary),
            Just(AgeReached::DayAfterAnniversary)
        ],
        prop_oneof![Just(LeapDay::February28), Just(LeapDay::March1)],
    )
        .prop_map(|(r, l)| ages(r, l))
}

const TYPES: &[&str] = &[
    "personal",
    "sick",
    "marriage",
    "maternity",
    "nursing",
    "bereavement",
    "work_injury",
];

const RELATIONS: &[Relation] = &[
    Relation::Parent,
    Relation::Child,
    Relation::Spouse,
    Relation::ParentInLaw,
    Relation::Grandparent,
    Relation::Sibling,
];

prop_compose! {
    fn request()(
        kind in 0..TYPES.len(),
        // Requests end in 2026, the year the calendar covers.
        start in 0u32..235,
        length in 1u64..130,
        notice in -3i64..40,
        documents in proptest::collection::vec(0usize..3, 0..3),
        approver in proptest::option::of(0usize..3),
        reported_back in any::<bool>(),
        relation in 0..RELATIONS.len(),
        babies in 1i32..4,
        difficult in any::<bool>(),
        married in 0u64..400,
    ) -> LeaveRequest {
        let from = NaiveDate::from_ymd_opt(2026, 1, 1).unwrap() + Days::new(u64::from(start));
        let to = from + Days::new(length - 1);
        let requested_on = from - chrono::TimeDelta::days(notice);
        let all_documents = [Document::LeaveForm, Document::HospitalCertificate, Document::MarriageCertificate];
        let approvers = [Approver::Supervisor, Approver::DepartmentHead, Approver::AboveDepartmentHead];
        let mut r = LeaveRequest::new(TYPES[kind], from, to, requested_on)
            .with_documents(documents.into_iter().map(|i| all_documents[i]))
            .with_approvals(approver.map(|i| approvers[i]))
            .with_relation(RELATIONS[relation])
            .with_birth(from + Days::new(15), difficult, babies)
            // Sometimes before the agent joined on 2025-06-01 (L6).
            .with_marriage(from - Days::new(married));
        r.reported_back = reported_back;
        r
    }
}

/// An agent born in 1995 who joined in 2025, rostered on the days of 2026
/// numbered in `roster` (from 0 for 1 January), if given.
fn agent_on(roster: Option<&[u64]>) -> Agent {
    let agent = Agent::new(
        "p",
        NaiveDate::from_ymd_opt(1995, 3, 1).unwrap(),
        Sex::Woman,
    )
    .joined_on(NaiveDate::from_ymd_opt(2025, 6, 1).unwrap());
    let first = NaiveDate::from_ymd_opt(2026, 1, 1).unwrap();
    match roster {
        Some(days) => agent.rostered_on(days.iter().map(|n| first + Days::new(*n))),
        None => agent,
    }
}

proptest! {
    /// L6, L8: a person has `n` full years from the day `n` is reached until
    /// the day before `n + 1` is, across month ends and leap years.
    #[test]
    fn l6_full_years_change_exactly_when_reached(
        rules in age_rules(),
        birth in 0u32..30_000,
        later in 0u32..30_000,
    ) {
        let born = date(birth);
        let on = born + Days::new(u64::from(later));
        let n = rules.full_years(born, on).unwrap();
        if n > 0 {
            prop_assert!(rules.reached_on(born, n).unwrap() <= on);
        }
        prop_assert!(rules.reached_on(born, n + 1).unwrap() > on);
        prop_assert_eq!(rules.full_years(born, born.pred_opt().unwrap()), None);
    }

    /// L8: a 29 February birthday is reached on the day the policy names.
    #[test]
    fn l8_leap_day_anniversaries(years in 1u32..40) {
        let born = NaiveDate::from_ymd_opt(2000, 2, 29).unwrap();
        let feb = ages(AgeReached::OnAnniversary, LeapDay::February28);
        let mar = ages(AgeReached::OnAnniversary, LeapDay::March1);
        let day = |r: &AgeRules| r.anniversary(born, years).unwrap();
        if years % 4 == 0 {
            prop_assert_eq!(day(&feb), day(&mar));
        } else {
            prop_assert_eq!(day(&feb).succ_opt().unwrap(), day(&mar));
        }
    }

    /// A7, L1–L10: every counted day is decided exactly once, and a request
    /// with an unmet requirement is absence on every counted day.
    #[test]
    fn a7_every_counted_day_is_decided_once(
        r in request(),
        roster in proptest::option::of(proptest::collection::vec(0u64..365, 0..200)),
    ) {
        let policy = Policy::example("education").unwrap();
        // Sometimes on a roster (issue 17): its days are the days counted.
        let agent = agent_on(roster.as_deref());
        let d = policy.check_leave_request(&agent, &r).unwrap();
        let span = usize::try_from((r.to - r.from).num_days() + 1).unwrap();
        prop_assert_eq!(d.days.len(), span);
        let granted = d.days.iter().filter(|day| matches!(
            day.status,
            DayStatus::Leave { .. } | DayStatus::Statutory | DayStatus::NursingHour { .. }
        )).count() as u32;
        prop_assert_eq!(granted + d.converted_days + d.absence_days, d.counted_days);
        prop_assert!(d.paid_days <= d.counted_days);
        if d.approved() {
            prop_assert_eq!(granted, d.entitled_days);
            prop_assert!(d.leave_days().iter().all(|day| day.approved));
        } else {
            prop_assert_eq!(d.absence_days, d.counted_days);
            prop_assert_eq!(d.paid_days, 0);
            prop_assert!(d.leave_days().iter().all(|day| !day.approved));
        }
    }

    /// L5: the cap is crossed exactly when more than 20 days count against it,
    /// and on the 21st of them.
    #[test]
    fn l5_cap_crossed_only_beyond_twenty_days(rs in proptest::collection::vec(request(), 1..6)) {
        let policy = Policy::example("education").unwrap();
        let agent = Agent::new("p", NaiveDate::from_ymd_opt(1995, 3, 1).unwrap(), Sex::Woman)
            .joined_on(NaiveDate::from_ymd_opt(2025, 6, 1).unwrap());
        let decisions = policy.check_leave_requests(&agent, &rs).unwrap();
        let year = policy.leave_year(2026, &decisions).unwrap();
        prop_assert_eq!(year.crossed_on.is_some(), year.capped_days > 20);
        prop_assert_eq!(year.over_cap_days, year.capped_days.saturating_sub(20));
        let used: u32 = year.per_type.iter().filter(|u| u.counts_against_cap).map(|u| u.days).sum();
        prop_assert_eq!(used, year.capped_days);
    }
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(1024))]

    /// Any dates and any count of babies: a request is decided day by day
    /// over exactly its dates, or refused for a cause the facts show
    /// (L1–L11's preconditions: dates in order, at most 400 days, an agent
    /// born by the first day, a birth of 1 to 9 babies, a marriage after
    /// the agent's birth, dates the 2026 calendar covers). Sound facts
    /// within the calendar are always decided. L8: nursing time runs from
    /// the birth to the day before the first birthday (29 February's is
    /// 1 March).
    #[test]
    fn bad_facts_decide_within_the_request_or_fail_for_cause(
        kind in 0..TYPES.len(),
        from in any_day(),
        to in any_day(),
        asked in any_day(),
        born in prop_oneof![3 => (0u32..20_000).prop_map(date), 1 => any_day()],
        // Sometimes within two days of the first day, either side.
        born_near_start in proptest::option::weighted(0.2, -2i64..=2),
        babies in prop_oneof![3 => 1i32..=MOST_BABIES, 1 => -2i32..=12, 1 => any::<i32>()],
        married in proptest::option::weighted(0.8, any_day()),
    ) {
        let policy = education();
        let born = born_near_start.map_or(born, |d| from + chrono::TimeDelta::days(d));
        let agent = Agent::new("p", born, Sex::Woman).joined_on(date(0));
        let mut r = LeaveRequest::new(TYPES[kind], from, to, asked)
            .with_birth(from, false, babies)
            .with_relation(Relation::Parent);
        if let Some(married) = married {
            r = r.with_marriage(married);
        }
        let result = policy.check_leave_request(&agent, &r);

        let span = (to - from).num_days() + 1;
        let covered = from.year() == 2026 && to.year() == 2026;
        let (is_birth, is_marriage) = (
            matches!(TYPES[kind], "maternity" | "nursing"),
            TYPES[kind] == "marriage",
        );
        let babies_sound = (1..=MOST_BABIES).contains(&babies);
        match &result {
            Err(LeaveError::EndsBeforeStart { index: 0, from: f, to: t }) => {
                prop_assert!(to < from && *f == from && *t == to);
            }
            Err(LeaveError::TooLong { index: 0, days }) => {
                prop_assert!(from <= to && *days == span && span > 400);
            }
            Err(LeaveError::BornAfterLeave { agent, birth_date, index: 0, from: f }) => {
                prop_assert!(agent == "p" && *birth_date == born && *f == from && born > from);
            }
            Err(LeaveError::BabyCount { index: 0, babies: b }) => {
                prop_assert!(is_birth && *b == babies && !babies_sound);
            }
            Err(LeaveError::MissingFact { index: 0, fact: "married_on", .. }) => {
                prop_assert!(is_marriage && married.is_none());
            }
            Err(LeaveError::MarriedBeforeBirth { index: 0, birth_date, married_on, .. }) => {
                prop_assert!(is_marriage && *birth_date == born && Some(*married_on) == married);
                prop_assert!(*married_on < born);
            }
            Err(LeaveError::Calendar { index: 0, .. }) => prop_assert!(!covered),
            Err(e) => prop_assert!(false, "refused for no cause the facts show: {}", e),
            Ok(decision) => {
                prop_assert!(from <= to && span <= 400 && born <= from);
                prop_assert!(!is_birth || babies_sound);
                prop_assert!(!is_marriage || married.is_some_and(|m| m >= born));
                let dates: Vec<_> = decision.days.iter().map(|d| d.date).collect();
                let expected: Vec<_> = from.iter_days().take_while(|d| *d <= to).collect();
                prop_assert_eq!(dates, expected);
            }
        }
        let sound = from <= to
            && born <= from
            && (!is_birth || babies_sound)
            && (!is_marriage || married.is_some_and(|m| m >= born));
        if sound && covered {
            prop_assert!(result.is_ok(), "sound facts refused: {:?}", result);
        }

        let first_birthday = NaiveDate::from_ymd_opt(born.year() + 1, born.month(), born.day())
            .unwrap_or_else(|| NaiveDate::from_ymd_opt(born.year() + 1, 3, 1).unwrap());
        let edges = [born.pred_opt().unwrap(), born, first_birthday.pred_opt().unwrap(), first_birthday];
        for on in edges.into_iter().chain([to]) {
            let minutes = policy.nursing_minutes("nursing", born, on).unwrap();
            let nursing = born <= on && on < first_birthday;
            prop_assert_eq!(minutes, nursing.then_some(60), "born {}, on {}", born, on);
        }
    }
}

proptest! {
    /// The one-decision call and the month path are one rule: the summary
    /// of a request decided alone is the decision's, its dates are the
    /// decision's days, with the roster given in any order; and both read
    /// back equal from JSON.
    #[test]
    fn one_request_decided_alone_is_the_decision(
        r in request(),
        roster in proptest::option::of(proptest::collection::vec(0u64..365, 0..200)),
    ) {
        let policy = Policy::example("education").unwrap();
        let agent = agent_on(roster.as_deref());
        let decision = policy.check_leave_request(&agent, &r).unwrap();
        let summary = policy.decide_leave(&agent, &r).unwrap();
        prop_assert_eq!(summary, decision.summary);
        let days: Vec<_> = policy
            .decided_days(&agent, &r, &summary)
            .unwrap()
            .collect::<Result<_, _>>()
            .unwrap();
        prop_assert_eq!(&days, &decision.days);
        let json = serde_json::to_string(&decision).unwrap();
        let back: cs_policy::leave::LeaveDecision = serde_json::from_str(&json).unwrap();
        prop_assert_eq!(back, decision);
    }
}
