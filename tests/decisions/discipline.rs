//! The discipline decisions allocate nothing, and bad arguments are typed
//! errors naming what was asked.

use chrono::NaiveDate;
use cs_policy::Policy;
use cs_policy::discipline::{Action, Incident, KindRef, Occurrence, OccurrenceError, StepAmount};
use rust_decimal::Decimal;

use crate::allocations;

fn shop() -> Policy {
    Policy::example("shop").unwrap()
}

#[test]
fn f1_each_complaint_of_the_month_is_charged_without_allocating() {
    let policy = shop();
    let (complaint, count) = allocations(|| policy.kind_ref("complaint"));
    assert_eq!(count, 0);
    let complaint = complaint.unwrap();
    // F1: 50, 100, 200, and the file repeats the last step past the end.
    for (n, amount) in [(1, 50), (2, 100), (3, 200), (4, 200), (9, 200)] {
        let (o, count) = allocations(|| policy.occurrence(complaint, n));
        assert_eq!(count, 0, "occurrence {n}");
        let o = o.unwrap();
        assert_eq!(
            o.amount,
            StepAmount::Fixed(Decimal::from(amount)),
            "occurrence {n}"
        );
        assert_eq!(o.fund.unwrap().id(), "activity");
        assert_eq!(o.occurrence, n);
    }
}

#[test]
fn f4_the_third_off_task_violation_dismisses_without_allocating() {
    let policy = shop();
    let off_task = policy.kind_ref("off_task").unwrap();
    let (third, count) = allocations(|| policy.occurrence(off_task, 3));
    assert_eq!(count, 0);
    let third = third.unwrap();
    assert!(third.actions.contains(Action::Dismissal));
    assert_eq!(third.clause.id(), "discipline.ladders.off_task.steps[2]");
    let second = policy.occurrence(off_task, 2).unwrap();
    assert_eq!(second.amount, StepAmount::Fixed(Decimal::from(30)));
    assert!(!second.actions.contains(Action::Dismissal));
}

#[test]
fn occurrence_zero_is_a_typed_error_naming_the_kind() {
    let policy = shop();
    let complaint = policy.kind_ref("complaint").unwrap();
    let (err, count) = allocations(|| policy.occurrence(complaint, 0));
    assert_eq!(count, 0);
    assert_eq!(err, Err(OccurrenceError::Zero { kind: complaint }));
}

#[test]
fn an_unknown_kind_is_a_typed_error_naming_the_kind() {
    let policy = shop();
    assert!(policy.kind_ref("complaints").is_none());
    let typo = KindRef::from_id("complaints");
    assert_eq!(
        policy.occurrence(typo, 1),
        Err(OccurrenceError::UnknownKind { kind: typo })
    );
    let err = policy.occurrence(typo, 1).unwrap_err().to_string();
    assert!(err.contains("`complaints`"), "{err}");
}

#[test]
fn another_policys_kind_is_refused_even_when_its_id_exists_here() {
    let shop = shop();
    let education = Policy::example("education").unwrap();
    let kind = education
        .discipline()
        .and_then(|d| d.kinds().first().map(|k| k.reference()))
        .unwrap();
    assert_eq!(
        shop.occurrence(kind, 1),
        Err(OccurrenceError::UnknownKind { kind })
    );
    // The same id read back from text is tied to no policy: resolved by id.
    let back: KindRef = serde_json::from_str(r#""complaint""#).unwrap();
    assert_eq!(
        shop.occurrence(back, 2),
        shop.occurrence(shop.kind_ref("complaint").unwrap(), 2)
    );
}

#[test]
fn occurrences_read_back_equal_and_name_kind_fund_and_clause_by_id() {
    let policy = shop();
    for kind in policy.discipline().unwrap().kinds() {
        for n in 1..=4 {
            let o = policy.occurrence(kind.reference(), n).unwrap();
            let json = serde_json::to_string(&o).unwrap();
            assert!(
                json.contains(&format!(r#""kind":"{}""#, kind.id())),
                "{json}"
            );
            assert!(
                json.contains(&format!(r#""clause":"{}""#, o.clause.id())),
                "{json}"
            );
            assert_eq!(serde_json::from_str::<Occurrence>(&json).unwrap(), o);
        }
    }
}

#[test]
fn a_months_statement_reads_back_equal() {
    let policy = shop();
    let d = |day| NaiveDate::from_ymd_opt(2026, 3, day).unwrap();
    let incidents = [
        Incident::new("a1", "complaint", d(2)),
        Incident::new("a1", "complaint", d(9)),
        Incident::new("a1", "praise", d(10)),
        Incident::new("a2", "off_task", d(11)),
    ];
    let s = policy.discipline_month(2026, 3, &incidents).unwrap();
    let json = serde_json::to_string(&s).unwrap();
    let back: cs_policy::discipline::Statement = serde_json::from_str(&json).unwrap();
    assert_eq!(back, s);
    assert!(!json.contains(r#""kind":0"#), "{json}");
}
