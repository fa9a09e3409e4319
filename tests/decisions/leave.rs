//! The leave decisions allocate nothing.

use chrono::NaiveDate;
use cs_policy::Policy;
use cs_policy::leave::{Agent, Approver, Document, LeaveRequest, Relation, Sex};

use crate::allocations;

fn d(m: u32, day: u32) -> NaiveDate {
    NaiveDate::from_ymd_opt(2026, m, day).unwrap()
}

/// Every paper the education policy's types ask for.
const PAPERS: [Document; 3] = [
    Document::LeaveForm,
    Document::HospitalCertificate,
    Document::MarriageCertificate,
];

fn papers(request: LeaveRequest) -> LeaveRequest {
    let signed = request.with_approvals([Approver::AboveDepartmentHead]);
    signed.with_documents(PAPERS).reported_back()
}

#[test]
fn deciding_one_request_allocates_nothing() {
    let policy = Policy::example("education").unwrap();
    let nobody = Agent::id_only("a1");
    let woman = Agent::new(
        "a2",
        NaiveDate::from_ymd_opt(1996, 5, 1).unwrap(),
        Sex::Woman,
    )
    .joined_on(d(1, 5));
    let rostered = Agent::id_only("a3").rostered_on([d(3, 7), d(3, 8), d(3, 10)]);
    // (agent, request, counted, entitled, paid, converted, absent)
    let cases = [
        // A personal day (L1), and one refused for want of its papers.
        (
            &nobody,
            papers(LeaveRequest::new("personal", d(3, 10), d(3, 10), d(3, 10))),
            1,
            1,
            0,
            0,
            0,
        ),
        (
            &nobody,
            LeaveRequest::new("personal", d(3, 10), d(3, 10), d(3, 10)),
            1,
            1,
            0,
            0,
            1,
        ),
        // Sick leave over a weekend: working days only.
        (
            &nobody,
            papers(LeaveRequest::new("sick", d(3, 13), d(3, 16), d(3, 1))),
            2,
            2,
            0,
            0,
            0,
        ),
        // A late marriage, 12 days for 10 (L6).
        (
            &woman,
            papers(
                LeaveRequest::new("marriage", d(4, 20), d(5, 1), d(4, 1)).with_marriage(d(4, 18)),
            ),
            12,
            10,
            10,
            2,
            0,
        ),
        // Bereavement for a grandparent: personal leave (L9).
        (
            &nobody,
            papers(
                LeaveRequest::new("bereavement", d(3, 10), d(3, 12), d(3, 1))
                    .with_relation(Relation::Grandparent),
            ),
            3,
            0,
            0,
            3,
            0,
        ),
        // A rostered weekend (the education team works weekends).
        (
            &rostered,
            papers(LeaveRequest::new("personal", d(3, 7), d(3, 9), d(3, 1))),
            2,
            2,
            0,
            0,
            0,
        ),
    ];
    for (agent, request, counted, entitled, paid, converted, absent) in cases {
        let (summary, count) = allocations(|| policy.decide_leave(agent, &request));
        let s = summary.unwrap();
        assert_eq!(count, 0, "{}", request.leave_type);
        assert_eq!(
            (
                s.counted_days,
                s.entitled_days,
                s.paid_days,
                s.converted_days,
                s.absence_days
            ),
            (counted, entitled, paid, converted, absent),
            "{}: {:?}",
            request.leave_type,
            s.unmet
        );
        let (days, count) = allocations(|| {
            policy
                .decided_days(agent, &request, &s)
                .map(|days| days.filter(Result::is_ok).count())
        });
        assert_eq!(count, 0, "{}", request.leave_type);
        let span = (request.to - request.from).num_days() + 1;
        assert_eq!(days.unwrap(), usize::try_from(span).unwrap());
    }
}

#[test]
fn bad_requests_give_typed_errors_naming_what_was_asked() {
    use cs_policy::leave::LeaveError;
    let policy = Policy::example("education").unwrap();
    let nobody = Agent::id_only("a1");
    let decide = |request: LeaveRequest| policy.decide_leave(&nobody, &request).unwrap_err();
    // An unknown leave type, named with the types the policy has.
    match decide(LeaveRequest::new("sabbatical", d(3, 10), d(3, 10), d(3, 1))) {
        LeaveError::UnknownType { name, known, .. } => {
            assert_eq!(name, "sabbatical");
            assert!(known.contains("personal"), "{known}");
        }
        other => panic!("{other:?}"),
    }
    assert!(matches!(
        decide(LeaveRequest::new("personal", d(3, 10), d(3, 9), d(3, 1))),
        LeaveError::EndsBeforeStart { from, to, .. } if from == d(3, 10) && to == d(3, 9)
    ));
    assert!(matches!(
        decide(LeaveRequest::new(
            "personal",
            d(1, 1),
            d(1, 1) + chrono::Days::new(400),
            d(1, 1)
        )),
        LeaveError::TooLong { days: 401, .. }
    ));
    assert!(matches!(
        decide(
            LeaveRequest::new("maternity", d(7, 1), d(9, 28), d(6, 1)).with_birth(
                d(7, 16),
                false,
                0
            )
        ),
        LeaveError::BabyCount { babies: 0, .. }
    ));
    // A marriage's age rule reads the birth date the agent lacks (L6):
    // the error names the type and the clause.
    match decide(LeaveRequest::new("marriage", d(4, 20), d(4, 22), d(4, 1)).with_marriage(d(4, 18)))
    {
        LeaveError::MissingFact {
            leave_type, clause, ..
        } => {
            assert_eq!(leave_type, "marriage");
            assert_eq!(clause, "leave.types.marriage.entitlement");
        }
        other => panic!("{other:?}"),
    }
    // A policy without leave rules says so.
    let fintech = Policy::example("fintech").unwrap();
    let personal = LeaveRequest::new("personal", d(3, 10), d(3, 10), d(3, 1));
    assert_eq!(
        fintech.decide_leave(&nobody, &personal),
        Err(LeaveError::NoLeaveSection)
    );
}
