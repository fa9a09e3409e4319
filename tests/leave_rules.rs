//! Leave rules L1–L11 through the public API, pinning the handbooks' numbers.

mod common;

use chrono::{Days, NaiveDate};
use common::example_policy;
use cs_policy::Policy;
use cs_policy::leave::{
    Agent, Applicant, Approver, Basis, DayStatus, Document, Grant, LeaveDecision, LeaveError,
    LeaveRequest, Relation, Requirement, Sex,
};

fn d(y: i32, m: u32, day: u32) -> NaiveDate {
    NaiveDate::from_ymd_opt(y, m, day).unwrap()
}

fn education() -> Policy {
    Policy::example("education").unwrap()
}

fn agent(sex: Sex) -> Agent {
    Agent::new("a1", d(1990, 1, 1), sex).joined_on(d(2020, 1, 1))
}

/// Every paper and signature the education ladder may ask for.
fn with_paperwork(request: LeaveRequest) -> LeaveRequest {
    // A marriage leave names the marriage's date: here its first day (L6).
    let married_on = request.married_on.unwrap_or(request.from);
    request
        .with_marriage(married_on)
        .with_documents([
            Document::LeaveForm,
            Document::HospitalCertificate,
            Document::MarriageCertificate,
        ])
        .with_approvals([Approver::AboveDepartmentHead])
        .reported_back()
}

fn check(policy: &Policy, agent: &Agent, request: &LeaveRequest) -> LeaveDecision {
    policy.check_leave_request(agent, request).unwrap()
}

fn clause_id(decision: &LeaveDecision, i: usize) -> String {
    (decision.unmet[i].clause).id().to_owned()
}

/// (entitled, paid, converted) days of a decision.
fn granted(decision: &LeaveDecision) -> (u32, u32, u32) {
    (
        decision.entitled_days,
        decision.paid_days,
        decision.converted_days,
    )
}

fn last_day(from: NaiveDate, days: u64) -> NaiveDate {
    from.checked_add_days(Days::new(days - 1)).unwrap()
}

// ---------------------------------------------------------------- L1 L2 L3 L4

#[test]
fn l1_one_day_with_form_and_head_approval_is_leave() {
    let policy = education();
    // Tuesday 10 March, asked for on the day.
    let request = LeaveRequest::new("personal", d(2026, 3, 10), d(2026, 3, 10), d(2026, 3, 10))
        .with_documents([Document::LeaveForm])
        .with_approvals([Approver::DepartmentHead])
        .reported_back();
    let decision = check(&policy, &agent(Sex::Man), &request);
    assert!(decision.approved(), "{:?}", decision.unmet);
    assert_eq!(decision.counted_days, 1);
    assert_eq!(decision.paid_days, 0, "personal leave is unpaid");
    assert_eq!(decision.days[0].status, DayStatus::Leave { paid: false });
}

#[test]
fn l1_one_day_without_form_or_approval_is_absence() {
    let policy = education();
    let request = LeaveRequest::new("personal", d(2026, 3, 10), d(2026, 3, 10), d(2026, 3, 9))
        .reported_back();
    let decision = check(&policy, &agent(Sex::Man), &request);
    assert_eq!(
        decision
            .unmet
            .iter()
            .map(|u| u.requirement)
            .collect::<Vec<_>>(),
        [
            Requirement::Approval {
                required: Approver::DepartmentHead
            },
            Requirement::Document {
                document: Document::LeaveForm
            },
        ]
    );
    assert_eq!(clause_id(&decision, 0), "leave.notice[0]");
    assert_eq!(
        policy.clause(decision.unmet[0].clause).unwrap().source(),
        Some("001 ch.2 B 二 a")
    );
    assert_eq!(decision.absence_days, 1);
    // A7: the day reaches attendance as not approved.
    assert!(!decision.leave_days()[0].approved);
}

/// L2–L4, L10: one request each, approved or refused for the one thing it
/// misses: the first unmet requirement, its clause and the days of absence
/// where the case pins them; a refused request leaves no day approved.
#[test]
fn l2_l10_a_request_is_approved_or_refused_for_the_one_thing_it_misses() {
    let policy = education();
    let personal = |from, to, asked| with_paperwork(LeaveRequest::new("personal", from, to, asked));
    let sick = |from, to, asked| with_paperwork(LeaveRequest::new("sick", from, to, asked));
    let not_reported_back = LeaveRequest {
        reported_back: false,
        ..sick(d(2026, 3, 10), d(2026, 3, 11), d(2026, 3, 5))
    };
    let by_a_relative = LeaveRequest {
        applicant: Applicant::Relative,
        ..sick(d(2026, 3, 10), d(2026, 3, 10), d(2026, 3, 10))
    };
    let notice = |required_days, given_days| Requirement::Notice {
        required_days,
        given_days,
    };
    // (case, sex, request, counted days where pinned, first unmet requirement,
    // its clause and the days of absence where pinned)
    #[rustfmt::skip]
    let rows = [
        // Tuesday 10 and Wednesday 11 March, asked for three days ahead.
        ("l2_more_than_one_day_needs_three_days_notice", Sex::Woman,
         personal(d(2026, 3, 10), d(2026, 3, 11), d(2026, 3, 7)), None, None, None, None),
        // One day short: asked for on 8 March, two days ahead.
        ("l2_more_than_one_day_needs_three_days_notice (two days ahead)", Sex::Woman,
         personal(d(2026, 3, 10), d(2026, 3, 11), d(2026, 3, 8)), None,
         Some(notice(3, 2)), Some("leave.notice[1]"), Some(2)),
        ("l2_approval_must_go_up_a_level", Sex::Man,
         LeaveRequest::new("personal", d(2026, 3, 10), d(2026, 3, 11), d(2026, 3, 1))
             .with_documents([Document::LeaveForm])
             .with_approvals([Approver::DepartmentHead])
             .reported_back(),
         None, Some(Requirement::Approval { required: Approver::AboveDepartmentHead }), None, None),
        // Monday 9 to Tuesday 17 March: 7 working days, the file's "long leave".
        ("l3_long_leave_needs_a_week_of_notice", Sex::Man,
         personal(d(2026, 3, 9), d(2026, 3, 17), d(2026, 3, 2)), Some(7), None, None, None),
        ("l3_long_leave_needs_a_week_of_notice (six days ahead)", Sex::Man,
         personal(d(2026, 3, 9), d(2026, 3, 17), d(2026, 3, 3)), Some(7),
         Some(notice(7, 6)), Some("leave.notice[2]"), Some(7)),
        ("l4_sick_leave_without_hospital_certificate_is_absence", Sex::Man,
         LeaveRequest::new("sick", d(2026, 3, 10), d(2026, 3, 11), d(2026, 3, 5))
             .with_documents([Document::LeaveForm])
             .with_approvals([Approver::AboveDepartmentHead])
             .reported_back(),
         None, Some(Requirement::Document { document: Document::HospitalCertificate }),
         Some("leave.types.sick"), Some(2)),
        ("l4_sick_leave_not_reported_back_is_absence", Sex::Man,
         not_reported_back, None, Some(Requirement::ReportBack), None, None),
        ("l10_only_work_injury_may_be_filed_by_a_relative", Sex::Man,
         by_a_relative, None, Some(Requirement::Applicant), None, None),
    ];
    for (case, sex, request, counted, unmet, clause, absence) in rows {
        let decision = check(&policy, &agent(sex), &request);
        if let Some(counted) = counted {
            assert_eq!(decision.counted_days, counted, "{case}");
        }
        let Some(unmet) = unmet else {
            assert!(decision.approved(), "{case}: {:?}", decision.unmet);
            continue;
        };
        assert_eq!(decision.unmet.len(), 1, "{case}: {:?}", decision.unmet);
        assert_eq!(decision.unmet[0].requirement, unmet, "{case}");
        assert_eq!(decision.paid_days, 0, "{case}");
        assert!(
            decision.leave_days().iter().all(|day| !day.approved),
            "{case}"
        );
        if let Some(clause) = clause {
            assert_eq!(clause_id(&decision, 0), clause, "{case}");
        }
        if let Some(absence) = absence {
            assert_eq!(decision.absence_days, absence, "{case}");
        }
    }
}

#[test]
fn l2_short_notice_accepted_as_a_special_case_is_waived() {
    let policy = education();
    // 特殊情况酌情处理: the approver accepted one day's notice.
    let request = with_paperwork(LeaveRequest::new(
        "personal",
        d(2026, 3, 10),
        d(2026, 3, 11),
        d(2026, 3, 9),
    ))
    .as_special_case();
    let decision = check(&policy, &agent(Sex::Man), &request);
    assert!(decision.approved());
    assert_eq!(
        decision.waived[0].requirement,
        Requirement::Notice {
            required_days: 3,
            given_days: 1
        }
    );
    assert_eq!((decision.waived[0].clause).id(), "leave.notice[1]");
    // The marriage notice of its own type allows no special case.
    let woman = Agent::new("w", d(1995, 1, 1), Sex::Woman).joined_on(d(2020, 1, 1));
    let mut marriage = marriage_from(d(2026, 5, 10)).as_special_case();
    marriage.requested_on = d(2026, 5, 5);
    let decision = check(&policy, &woman, &marriage);
    assert_eq!(
        decision.unmet[0].requirement,
        Requirement::Notice {
            required_days: 15,
            given_days: 5
        }
    );
    assert_eq!(decision.waived.len(), 1, "the ladder's week is waived");
}

#[test]
fn l3_rest_days_inside_a_working_day_leave_do_not_count() {
    let policy = education();
    // Wednesday 30 September to Saturday 10 October 2026: 1–7 October are
    // the National Day holiday and count for nothing.
    let request = with_paperwork(LeaveRequest::new(
        "personal",
        d(2026, 9, 30),
        d(2026, 10, 10),
        d(2026, 9, 1),
    ));
    let decision = check(&policy, &agent(Sex::Man), &request);
    // 30 Sep, 8 and 9 Oct are working days; 10 Oct is a make-up working Saturday.
    assert_eq!(decision.counted_days, 4);
    let not_counted = decision
        .days
        .iter()
        .filter(|day| day.status == DayStatus::NotCounted)
        .count();
    assert_eq!(not_counted, 7);
    assert_eq!(decision.leave_days().len(), 4);
}

// ---------------------------------------------------------------- L5

fn personal_working_days(policy: &Policy, to: NaiveDate) -> Vec<LeaveDecision> {
    let request = with_paperwork(LeaveRequest::new(
        "personal",
        d(2026, 3, 2),
        to,
        d(2026, 2, 20),
    ));
    policy
        .check_leave_requests(&agent(Sex::Man), &[request])
        .unwrap()
}

#[test]
fn l5_the_year_cap_of_20_days_is_crossed_on_day_21() {
    let policy = education();
    // (case, last day of a personal leave from Monday 2 March, capped days,
    // days over the cap, the day the cap is crossed)
    #[rustfmt::skip]
    let rows = [
        // Monday 2 to Friday 27 March: 20 working days.
        ("l5_twenty_days_are_within_the_cap", d(2026, 3, 27), 20, 0, None),
        // Monday 30 March is the 21st working day.
        ("l5_the_cap_is_crossed_on_day_21",   d(2026, 3, 30), 21, 1, Some(d(2026, 3, 30))),
    ];
    for (case, to, capped, over, crossed) in rows {
        let decisions = personal_working_days(&policy, to);
        let year = policy.leave_year(2026, &decisions).unwrap();
        assert_eq!(
            (year.capped_days, year.over_cap_days, year.crossed_on),
            (capped, over, crossed),
            "{case}"
        );
        assert_eq!(year.clause.id(), "leave.year_cap", "{case}");
    }
}

#[test]
fn l5_converted_marriage_days_count_as_personal_leave_against_the_cap() {
    let policy = education();
    let a = Agent::new("a2", d(2003, 5, 10), Sex::Woman).joined_on(d(2020, 1, 1));
    let marriage = with_paperwork(LeaveRequest::new(
        "marriage",
        d(2026, 5, 9),
        d(2026, 5, 18),
        d(2026, 4, 20),
    ));
    let sick = with_paperwork(LeaveRequest::new(
        "sick",
        d(2026, 6, 1),
        d(2026, 6, 5),
        d(2026, 5, 25),
    ));
    let decisions = policy.check_leave_requests(&a, &[marriage, sick]).unwrap();
    let year = policy.leave_year(2026, &decisions).unwrap();
    let rules = policy.leave().unwrap();
    let days_of = |id| {
        year.per_type
            .iter()
            .find(|u| u.leave_type == rules.type_ref(id).unwrap())
            .map(|u| u.days)
    };
    assert_eq!(days_of("marriage"), Some(3));
    assert_eq!(days_of("personal"), Some(7));
    assert_eq!(days_of("sick"), Some(5));
    assert_eq!(year.capped_days, 12);
    // Another year sees none of it.
    assert_eq!(policy.leave_year(2027, &decisions).unwrap().capped_days, 0);
}

// ---------------------------------------------------------------- L6

fn marriage_from(from: NaiveDate) -> LeaveRequest {
    with_paperwork(LeaveRequest::new(
        "marriage",
        from,
        last_day(from, 10),
        d(2026, 4, 20),
    ))
}

/// L6: 3 days, and 3 + 7 for a late marriage (a man from 25, a woman from
/// 23); a 10-day leave converts what it is not entitled to into personal leave.
#[test]
fn l6_man_at_24_gets_3_days_and_at_25_gets_10_woman_at_22_and_23() {
    let policy = education();
    // (case, sex, born, first day of a 10-day leave, entitled, paid, converted)
    #[rustfmt::skip]
    let rows = [
        // The day before his 25th birthday.
        ("l6_man_at_24_gets_3_days_and_at_25_gets_10 (24)",   Sex::Man,   d(2001, 5, 10), d(2026, 5, 9),  3,  3,  7),
        // On the birthday: 3 + 7.
        ("l6_man_at_24_gets_3_days_and_at_25_gets_10 (25)",   Sex::Man,   d(2001, 5, 10), d(2026, 5, 10), 10, 10, 0),
        ("l6_woman_at_22_gets_3_days_and_at_23_gets_10 (22)", Sex::Woman, d(2003, 5, 10), d(2026, 5, 9),  3,  3,  7),
        ("l6_woman_at_22_gets_3_days_and_at_23_gets_10 (23)", Sex::Woman, d(2003, 5, 10), d(2026, 5, 10), 10, 10, 0),
        // The same age is not late for a man.
        ("l6_woman_at_22_gets_3_days_and_at_23_gets_10 (a man at 23)",   Sex::Man,   d(2003, 5, 10), d(2026, 5, 10), 3,  3,  7),
    ];
    for (case, sex, born, from, entitled, paid, converted) in rows {
        let agent = Agent::new("m", born, sex).joined_on(d(2020, 1, 1));
        let decision = check(&policy, &agent, &marriage_from(from));
        assert_eq!(granted(&decision), (entitled, paid, converted), "{case}");
    }
}

#[test]
fn l6_a_marriage_at_24_grants_3_days_converting_the_rest_to_personal_leave() {
    let policy = education();
    let man = Agent::new("m", d(2001, 5, 10), Sex::Man).joined_on(d(2020, 1, 1));
    let decision = check(&policy, &man, &marriage_from(d(2026, 5, 9)));
    assert_eq!(
        decision.grant,
        Grant::Days {
            days: 3,
            basis: Basis::Marriage {
                age: 24,
                late: false,
                remarriage: false
            }
        }
    );
    let personal = policy.leave().unwrap().type_ref("personal");
    assert_eq!(decision.converted_to, personal);
    let decision = check(&policy, &man, &marriage_from(d(2026, 5, 10)));
    assert_eq!(
        decision.grant_clause.id(),
        "leave.types.marriage.entitlement"
    );
}

#[test]
fn l6_late_marriage_is_judged_on_the_marriage_date_not_the_first_day_of_leave() {
    // RULES.md L6 (issue 14): a woman born 2003-06-01 who married on
    // 2026-04-20 was 22 at the marriage; leave from 2026-06-10, when she is
    // 23, still gets 3 days.
    let policy = education();
    let woman = Agent::new("w", d(2003, 6, 1), Sex::Woman).joined_on(d(2025, 9, 1));
    let request = with_paperwork(
        LeaveRequest::new("marriage", d(2026, 6, 10), d(2026, 6, 12), d(2026, 5, 1))
            .with_marriage(d(2026, 4, 20)),
    );
    let decision = check(&policy, &woman, &request);
    assert_eq!(
        decision.grant,
        Grant::Days {
            days: 3,
            basis: Basis::Marriage {
                age: 22,
                late: false,
                remarriage: false
            }
        }
    );
    assert_eq!(decision.paid_days, 3);
    // Married on her 23rd birthday: late, 3 + 7, whenever the leave starts.
    let request = with_paperwork(
        LeaveRequest::new("marriage", d(2026, 6, 10), d(2026, 6, 19), d(2026, 5, 1))
            .with_marriage(d(2026, 6, 1)),
    );
    assert_eq!(check(&policy, &woman, &request).entitled_days, 10);
}

#[test]
fn l6_a_certificate_obtained_before_joining_is_an_unmet_requirement() {
    let policy = education();
    let woman = Agent::new("w", d(1995, 1, 1), Sex::Woman).joined_on(d(2026, 3, 1));
    let request = with_paperwork(
        LeaveRequest::new("marriage", d(2026, 6, 10), d(2026, 6, 12), d(2026, 5, 1))
            .with_marriage(d(2026, 2, 14)),
    );
    let decision = check(&policy, &woman, &request);
    let unmet = Requirement::CertificateBeforeJoining {
        married_on: d(2026, 2, 14),
        joined_on: d(2026, 3, 1),
    };
    assert_eq!(decision.unmet.len(), 1);
    assert_eq!(decision.unmet[0].requirement, unmet);
    assert_eq!(clause_id(&decision, 0), "leave.types.marriage.entitlement");
    assert_eq!(
        unmet.to_string(),
        "marriage certificate of 2026-02-14 obtained before joining on 2026-03-01"
    );
    assert!(!decision.approved());
    assert_eq!((decision.paid_days, decision.absence_days), (0, 3));
    // Obtained on the day of joining or after: no requirement unmet.
    let on_joining = with_paperwork(
        LeaveRequest::new("marriage", d(2026, 6, 10), d(2026, 6, 12), d(2026, 5, 1))
            .with_marriage(d(2026, 3, 1)),
    );
    assert!(check(&policy, &woman, &on_joining).unmet.is_empty());
}

#[test]
fn l6_missing_marriage_date_or_join_date_names_the_type_and_the_clause() {
    let policy = education();
    let woman = Agent::new("w", d(1995, 1, 1), Sex::Woman).joined_on(d(2020, 1, 1));
    let mut request = with_paperwork(LeaveRequest::new(
        "marriage",
        d(2026, 6, 10),
        d(2026, 6, 12),
        d(2026, 5, 1),
    ));
    request.married_on = None;
    let err = policy.check_leave_request(&woman, &request).unwrap_err();
    assert_eq!(
        err,
        LeaveError::MissingFact {
            index: 0,
            leave_type: "marriage".into(),
            fact: "married_on",
            clause: "leave.types.marriage.entitlement".into(),
        }
    );
    assert_eq!(
        err.to_string(),
        "request 0: leave type `marriage` needs `married_on` for `leave.types.marriage.entitlement`; add it to the facts"
    );
    let request = request.with_marriage(d(2026, 4, 20));
    let never_joined = Agent::new("w", d(1995, 1, 1), Sex::Woman);
    assert!(matches!(
        policy.check_leave_request(&never_joined, &request),
        Err(LeaveError::MissingFact { fact: "joined_on", ref clause, .. })
            if clause == "leave.types.marriage.entitlement"
    ));
    // A marriage before the agent's birth is bad facts.
    let early = request.with_marriage(d(1990, 1, 1));
    assert!(matches!(
        policy.check_leave_request(&woman, &early),
        Err(LeaveError::MarriedBeforeBirth { .. })
    ));
}

#[test]
fn l6_remarriage_gets_3_days_only() {
    let policy = education();
    let mut man = Agent::new("m", d(1980, 1, 1), Sex::Man).joined_on(d(2020, 1, 1));
    man.previous_marriages = 1;
    let decision = check(&policy, &man, &marriage_from(d(2026, 5, 10)));
    assert_eq!(decision.entitled_days, 3);
    assert!(matches!(
        decision.grant,
        Grant::Days {
            basis: Basis::Marriage {
                remarriage: true,
                late: false,
                ..
            },
            ..
        }
    ));
}

#[test]
fn l6_marriage_needs_15_days_notice_and_the_certificate() {
    let policy = education();
    let woman = Agent::new("w", d(1995, 1, 1), Sex::Woman).joined_on(d(2020, 1, 1));
    let mut request = marriage_from(d(2026, 5, 10));
    request.requested_on = d(2026, 4, 26); // 14 days ahead
    request.documents = vec![Document::LeaveForm];
    let decision = check(&policy, &woman, &request);
    let found: Vec<_> = decision
        .unmet
        .iter()
        .map(|u| (u.requirement, u.clause.id().to_owned()))
        .collect();
    assert_eq!(
        found,
        [
            (
                Requirement::Notice {
                    required_days: 15,
                    given_days: 14
                },
                "leave.types.marriage".to_owned()
            ),
            (
                Requirement::Document {
                    document: Document::MarriageCertificate
                },
                "leave.types.marriage".to_owned()
            ),
        ]
    );
    assert_eq!(decision.absence_days, 10);
    assert_eq!(decision.paid_days, 0);
}

#[test]
fn l6_marriage_leave_is_taken_in_one_block() {
    let policy = education();
    let woman = Agent::new("w", d(1995, 1, 1), Sex::Woman).joined_on(d(2020, 1, 1));
    let first = marriage_from(d(2026, 5, 10));
    let second = with_paperwork(LeaveRequest::new(
        "marriage",
        d(2026, 6, 1),
        d(2026, 6, 2),
        d(2026, 5, 1),
    ));
    let decisions = policy
        .check_leave_requests(&woman, &[first, second])
        .unwrap();
    assert_eq!(decisions[0].entitled_days, 10);
    assert_eq!(
        decisions[1].grant,
        Grant::Days {
            days: 0,
            basis: Basis::AlreadyTaken { request: 0 }
        }
    );
    assert_eq!(decisions[1].converted_days, 2);
}

// ---------------------------------------------------------------- L7

fn maternity(babies: i32, difficult: bool, days: u64) -> LeaveRequest {
    let from = d(2026, 7, 1);
    with_paperwork(
        LeaveRequest::new("maternity", from, last_day(from, days), d(2026, 6, 1)).with_birth(
            d(2026, 7, 16),
            difficult,
            babies,
        ),
    )
}

#[test]
fn l7_normal_birth_is_15_plus_75_days() {
    let policy = education();
    let decision = check(&policy, &agent(Sex::Woman), &maternity(1, false, 100));
    assert_eq!(
        decision.grant,
        Grant::Days {
            days: 90,
            basis: Basis::Maternity {
                before_days: 15,
                after_days: 75,
                difficult: false,
                babies: 1
            }
        }
    );
    assert_eq!((decision.paid_days, decision.converted_days), (90, 10));
}

/// L7: 15 days before and 75 after, 90 after a difficult birth, 15 more
/// for each additional baby; days asked beyond them convert.
#[test]
fn l7_maternity_days_by_birth_and_babies() {
    let policy = education();
    let woman = agent(Sex::Woman);
    // (case, babies, difficult, days asked, entitled, paid, converted)
    #[rustfmt::skip]
    let rows = [
        ("l7_normal_birth_is_15_plus_75_days",         1, false, 100, 90,  90,  10),
        ("l7_difficult_birth_is_15_plus_90_days (100 days)",      1, true,  100, 100, 100, 0),
        ("l7_difficult_birth_is_15_plus_90_days (110 days)", 1, true,  110, 105, 105, 5),
        ("l7_each_additional_baby_adds_15_days (twins)",                         2, false, 130, 105, 105, 25),
        ("l7_each_additional_baby_adds_15_days (triplets)",                      3, false, 130, 120, 120, 10),
        ("l7_each_additional_baby_adds_15_days (difficult twins)",               2, true,  130, 120, 120, 10),
    ];
    for (case, babies, difficult, days, entitled, paid, converted) in rows {
        let decision = check(&policy, &woman, &maternity(babies, difficult, days));
        assert_eq!(granted(&decision), (entitled, paid, converted), "{case}");
    }
}

#[test]
fn l7_a_negative_or_zero_count_of_babies_is_bad_facts() {
    let policy = education();
    for babies in [-1, 0, 10] {
        let err = policy
            .check_leave_request(&agent(Sex::Woman), &maternity(babies, false, 90))
            .unwrap_err();
        assert_eq!(err, LeaveError::BabyCount { index: 0, babies });
        assert!(err.to_string().contains("from 1 to 9"), "{err}");
    }
    let mut no_birth = maternity(1, false, 90);
    no_birth.birth = None;
    assert!(matches!(
        policy.check_leave_request(&agent(Sex::Woman), &no_birth),
        Err(LeaveError::MissingFact { fact: "birth", .. })
    ));
}

// ---------------------------------------------------------------- L8

#[test]
fn l8_nursing_hour_ends_the_day_before_the_first_birthday() {
    let policy = education();
    // Born Wednesday 17 June 2025: the first birthday is Wednesday 17 June 2026.
    let request = LeaveRequest::new("nursing", d(2026, 6, 15), d(2026, 6, 18), d(2026, 6, 1))
        .with_documents([Document::LeaveForm])
        .with_approvals([Approver::DepartmentHead])
        .with_birth(d(2025, 6, 17), false, 1);
    let decision = check(&policy, &agent(Sex::Woman), &request);
    assert_eq!(
        decision.grant,
        Grant::NursingHour {
            minutes_per_day: 60,
            last_day: d(2026, 6, 16)
        }
    );
    let statuses: Vec<_> = decision.days.iter().map(|day| day.status).collect();
    let personal = policy.leave().unwrap().type_ref("personal").unwrap();
    assert_eq!(
        statuses,
        [
            DayStatus::NursingHour { minutes: 60 },
            DayStatus::NursingHour { minutes: 60 },
            DayStatus::Converted { to: personal },
            DayStatus::Converted { to: personal },
        ]
    );
    // Nursing days are worked days: attendance sees only the converted ones.
    assert_eq!(decision.leave_days().len(), 2);
}

#[test]
fn l8_a_leap_day_baby_is_nursed_until_28_february() {
    let policy = education();
    // The file's choice: a 29 February birthday falls on 1 March in 2025.
    let born = d(2024, 2, 29);
    assert_eq!(
        policy
            .nursing_minutes("nursing", born, d(2025, 2, 28))
            .unwrap(),
        Some(60)
    );
    assert_eq!(
        policy
            .nursing_minutes("nursing", born, d(2025, 3, 1))
            .unwrap(),
        None
    );
    assert_eq!(
        policy
            .nursing_minutes("nursing", born, d(2024, 2, 28))
            .unwrap(),
        None,
        "before the birth"
    );
    // Not a nursing type: no minutes.
    assert_eq!(
        policy.nursing_minutes("sick", born, d(2024, 3, 1)).unwrap(),
        None
    );
}

// ---------------------------------------------------------------- L9

fn bereavement(relation: Relation) -> LeaveRequest {
    // Told by phone on the first day; the form completed on return.
    LeaveRequest::new(
        "bereavement",
        d(2026, 3, 10),
        d(2026, 3, 12),
        d(2026, 3, 10),
    )
    .with_documents([Document::LeaveForm])
    .with_approvals([Approver::DepartmentHead])
    .with_relation(relation)
}

#[test]
fn l9_bereavement_for_a_parent_in_law_is_3_paid_days() {
    let policy = education();
    let decision = check(
        &policy,
        &agent(Sex::Man),
        &bereavement(Relation::ParentInLaw),
    );
    assert!(decision.approved(), "{:?}", decision.unmet);
    assert_eq!((decision.entitled_days, decision.paid_days), (3, 3));
    assert_eq!(decision.converted_days, 0);
}

#[test]
fn l9_bereavement_for_a_grandparent_is_personal_leave() {
    let policy = education();
    let decision = check(
        &policy,
        &agent(Sex::Man),
        &bereavement(Relation::Grandparent),
    );
    assert_eq!(
        decision.grant,
        Grant::Days {
            days: 0,
            basis: Basis::RelationNotListed {
                relation: Relation::Grandparent
            }
        }
    );
    assert_eq!((decision.paid_days, decision.converted_days), (0, 3));
    // Still approved leave, not absence.
    assert!(decision.leave_days().iter().all(|day| day.approved));
}

#[test]
fn l9_bereavement_beyond_3_days_is_personal_leave_and_needs_the_relation() {
    let policy = education();
    let mut request = bereavement(Relation::Parent);
    request.to = d(2026, 3, 14);
    let decision = check(&policy, &agent(Sex::Man), &request);
    assert_eq!((decision.paid_days, decision.converted_days), (3, 2));
    request.relation = None;
    assert!(matches!(
        policy.check_leave_request(&agent(Sex::Man), &request),
        Err(LeaveError::MissingFact {
            fact: "relation",
            ..
        })
    ));
}

// ---------------------------------------------------------------- L10

#[test]
fn l10_work_injury_is_marked_statutory_not_computed() {
    let policy = education();
    let mut request = LeaveRequest::new(
        "work_injury",
        d(2026, 3, 10),
        d(2026, 3, 19),
        d(2026, 3, 11),
    )
    .with_documents([Document::LeaveForm, Document::HospitalCertificate]);
    request.applicant = Applicant::Relative;
    let decision = check(&policy, &agent(Sex::Man), &request);
    assert!(decision.approved(), "{:?}", decision.unmet);
    assert_eq!(decision.grant, Grant::Statutory);
    assert_eq!(decision.paid_days, 0);
    assert!(
        decision
            .days
            .iter()
            .all(|day| day.status == DayStatus::Statutory)
    );
    assert_eq!(decision.leave_days().len(), 10);

    request.documents = vec![Document::LeaveForm];
    let decision = check(&policy, &agent(Sex::Man), &request);
    assert_eq!(
        decision.unmet[0].requirement,
        Requirement::Document {
            document: Document::HospitalCertificate
        }
    );
}

// ---------------------------------------------------------------- L11

#[test]
fn l11_a_shop_leave_form_is_valid_only_once_the_supervisor_signs() {
    let policy = Policy::example("shop").unwrap();
    let unsigned = LeaveRequest::new("personal", d(2026, 3, 10), d(2026, 3, 10), d(2026, 3, 9))
        .with_documents([Document::LeaveForm]);
    let decision = check(&policy, &agent(Sex::Man), &unsigned);
    assert_eq!(
        decision.unmet[0].requirement,
        Requirement::Approval {
            required: Approver::Supervisor
        }
    );
    assert_eq!(
        policy.cite(decision.unmet[0].clause).unwrap().to_string(),
        "leave.notice[0] «请假需事先向主管请示, 请假条需主管签字方生效» [000 part 1 §9, part 3 §6]"
    );
    let signed = unsigned.with_approvals([Approver::Supervisor]);
    assert!(check(&policy, &agent(Sex::Man), &signed).approved());
    // Asked for on the day: not in advance.
    let late = LeaveRequest {
        requested_on: d(2026, 3, 10),
        ..signed
    };
    assert_eq!(
        check(&policy, &agent(Sex::Man), &late).unmet[0].requirement,
        Requirement::Notice {
            required_days: 1,
            given_days: 0
        }
    );
}

// ---------------------------------------------------------------- bad facts

#[test]
fn bad_facts_give_clear_errors() {
    let policy = education();
    let a = agent(Sex::Man);
    let backwards = LeaveRequest::new("personal", d(2026, 3, 10), d(2026, 3, 9), d(2026, 3, 1));
    let err = policy.check_leave_request(&a, &backwards).unwrap_err();
    assert_eq!(
        err.to_string(),
        "request 0 ends on 2026-03-09, before it starts on 2026-03-10; swap or correct the dates"
    );

    let unknown = LeaveRequest::new("annual", d(2026, 3, 10), d(2026, 3, 10), d(2026, 3, 1));
    let err = policy
        .check_leave_requests(&a, &[backwards.clone(), unknown.clone()][1..])
        .unwrap_err();
    assert!(
        err.to_string()
            .contains("leave type `annual` is not defined")
    );
    assert!(err.to_string().contains("personal, sick, marriage"));

    let too_long = LeaveRequest::new("personal", d(2026, 1, 1), d(2027, 12, 31), d(2025, 12, 1));
    assert!(matches!(
        policy.check_leave_request(&a, &too_long),
        Err(LeaveError::TooLong { days: 730, .. })
    ));

    let unborn = Agent::new("late", d(2026, 6, 1), Sex::Man).joined_on(d(2020, 1, 1));
    let request = LeaveRequest::new("personal", d(2026, 3, 10), d(2026, 3, 10), d(2026, 3, 1));
    assert!(matches!(
        policy.check_leave_request(&unborn, &request),
        Err(LeaveError::BornAfterLeave { .. })
    ));

    let fintech = Policy::example("fintech").unwrap();
    assert_eq!(
        fintech.check_leave_request(&a, &request),
        Err(LeaveError::NoLeaveSection)
    );
}

/// A personal leave of 10 to 12 March and a sick leave of 12 and 13 March:
/// both claim the 12th.
fn overlapping_pair() -> [LeaveRequest; 2] {
    [
        with_paperwork(LeaveRequest::new(
            "personal",
            d(2026, 3, 10),
            d(2026, 3, 12),
            d(2026, 3, 1),
        )),
        with_paperwork(LeaveRequest::new(
            "sick",
            d(2026, 3, 12),
            d(2026, 3, 13),
            d(2026, 3, 1),
        )),
    ]
}

#[test]
fn overlapping_requests_count_each_date_once() {
    let policy = education();
    let [first, second] = overlapping_pair();
    let decisions = policy
        .check_leave_requests(&agent(Sex::Man), &[first, second])
        .unwrap();
    assert_eq!(
        decisions[1].days[0].status,
        DayStatus::Claimed { request: 0 }
    );
    assert_eq!(decisions[1].counted_days, 1);
    let year = policy.leave_year(2026, &decisions).unwrap();
    assert_eq!(year.capped_days, 4);
}

#[test]
fn a_decision_serializes_with_its_clauses() {
    let policy = education();
    let request = LeaveRequest::new("personal", d(2026, 3, 10), d(2026, 3, 11), d(2026, 3, 9));
    let decision = check(&policy, &agent(Sex::Man), &request);
    let json = serde_json::to_value(&decision).unwrap();
    assert_eq!(json["unmet"][0]["requirement"], "notice");
    assert_eq!(json["unmet"][0]["required_days"], 3);
    assert_eq!(json["days"][0]["status"], "absence");
    assert_eq!(json["unmet"][0]["clause"], "leave.notice[1]");
    let text = serde_json::to_string(&request).unwrap();
    let back: LeaveRequest = serde_json::from_str(&text).unwrap();
    assert_eq!(back, request);
}

#[test]
fn overlapping_requests_may_be_bad_facts_when_the_policy_says_so() {
    let policy = example_policy(
        "education",
        &[(
            "overlapping_requests = \"count_once\"",
            "overlapping_requests = \"bad_facts\"",
        )],
    );
    let [first, second] = overlapping_pair();
    let err = policy
        .check_leave_requests(&agent(Sex::Man), &[first, second])
        .unwrap_err();
    assert_eq!(
        err,
        LeaveError::Overlap {
            first: 0,
            second: 1,
            date: d(2026, 3, 12)
        }
    );
    assert_eq!(
        err.to_string(),
        "requests 0 and 1 both claim 2026-03-12; withdraw one or correct the dates"
    );
}

#[test]
fn l8_a_leap_day_birthday_on_28_february_when_the_policy_says_so() {
    let policy = example_policy(
        "education",
        &[("leap_day = \"march_1\"", "leap_day = \"february_28\"")],
    );
    let born = d(2024, 2, 29);
    assert_eq!(
        policy
            .nursing_minutes("nursing", born, d(2025, 2, 27))
            .unwrap(),
        Some(60)
    );
    assert_eq!(
        policy
            .nursing_minutes("nursing", born, d(2025, 2, 28))
            .unwrap(),
        None
    );
    // A man born on 29 February 2004 is 25 on 28 February 2029 under this rule.
    let man = Agent::new("m", d(2004, 2, 29), Sex::Man).joined_on(d(2020, 1, 1));
    let request = with_paperwork(LeaveRequest::new(
        "marriage",
        d(2029, 2, 28),
        d(2029, 3, 9),
        d(2029, 1, 1),
    ));
    assert_eq!(check(&policy, &man, &request).entitled_days, 10);
    assert_eq!(check(&education(), &man, &request).entitled_days, 3);
}

// ---------------------------------------------------------------- ids and round trips

/// A decision of each kind, as a CRM would store them.
fn decisions_of_every_kind(policy: &Policy) -> Vec<LeaveDecision> {
    let woman = agent(Sex::Woman);
    let requests = [
        // Marriage beyond its 10 days: 2 converted to personal leave (L6).
        with_paperwork(
            LeaveRequest::new("marriage", d(2026, 4, 20), d(2026, 5, 1), d(2026, 4, 1))
                .with_marriage(d(2026, 4, 18)),
        ),
        // A second marriage request: the one block is taken.
        with_paperwork(LeaveRequest::new(
            "marriage",
            d(2026, 6, 1),
            d(2026, 6, 2),
            d(2026, 5, 1),
        )),
        with_paperwork(maternity(2, true, 130)),
        with_paperwork(bereavement(Relation::Grandparent)),
        with_paperwork(LeaveRequest::new(
            "work_injury",
            d(2026, 9, 1),
            d(2026, 9, 4),
            d(2026, 9, 1),
        )),
        // Refused: too little notice, waived as a special case, and no form.
        LeaveRequest::new("personal", d(2026, 11, 2), d(2026, 11, 3), d(2026, 11, 1))
            .as_special_case()
            .with_approvals([Approver::AboveDepartmentHead]),
        // Overlaps the refused request: its first date is claimed.
        with_paperwork(LeaveRequest::new(
            "sick",
            d(2026, 11, 3),
            d(2026, 11, 4),
            d(2026, 10, 1),
        )),
    ];
    policy.check_leave_requests(&woman, &requests).unwrap()
}

#[test]
fn leave_results_name_types_and_clauses_by_id_and_read_back_equal() {
    use cs_policy::leave::{LeaveSummary, Unmets, YearBalance};
    let policy = education();
    let decisions = decisions_of_every_kind(&policy);
    let json = serde_json::to_value(&decisions).unwrap();
    assert_eq!(json[0]["leave_type"], "marriage");
    assert_eq!(json[0]["converted_to"], "personal");
    assert_eq!(json[0]["clause"], "leave.types.marriage");
    assert_eq!(json[1]["grant"]["basis"]["basis"], "already_taken");
    assert_eq!(json[6]["days"][0]["status"], "claimed");
    let converted = json[0]["days"].as_array().unwrap().last().unwrap().clone();
    assert_eq!(converted["to"], "personal");
    for decision in &decisions {
        let text = serde_json::to_string(decision).unwrap();
        let back: LeaveDecision = serde_json::from_str(&text).unwrap();
        assert_eq!(&back, decision, "{text}");
        let summary: LeaveSummary =
            serde_json::from_str(&serde_json::to_string(&decision.summary).unwrap()).unwrap();
        assert_eq!(summary, decision.summary);
        let unmet: Unmets =
            serde_json::from_str(&serde_json::to_string(&decision.unmet).unwrap()).unwrap();
        assert_eq!(unmet, decision.unmet);
    }
    let year = policy.leave_year(2026, &decisions).unwrap();
    let text = serde_json::to_string(&year).unwrap();
    assert!(text.contains(r#""leave_type":"personal""#), "{text}");
    assert_eq!(serde_json::from_str::<YearBalance>(&text).unwrap(), year);
    // A type read back names its type by id: the policy resolves it.
    let back: LeaveDecision = serde_json::from_value(json[2].clone()).unwrap();
    let rules = policy.leave().unwrap();
    assert_eq!(
        rules.get(back.leave_type).map(|t| t.id()),
        Some("maternity")
    );
    // An unknown field of a stored summary is refused, not dropped.
    let mut stored = serde_json::to_value(decisions[0].summary).unwrap();
    stored["paid"] = 3.into();
    assert!(serde_json::from_value::<LeaveSummary>(stored).is_err());
}

#[test]
fn a_leave_type_of_another_policy_is_refused_not_shown_as_this_policys() {
    let shop = Policy::example("shop").unwrap();
    let personal = shop.leave_type_ref("personal").unwrap();
    let education = education();
    let rules = education.leave().unwrap();
    assert!(rules.get(personal).is_none());
    // Read back, the same id is nobody's: the education policy resolves it.
    let back = serde_json::from_str(&serde_json::to_string(&personal).unwrap()).unwrap();
    assert_eq!(rules.get(back).map(|t| t.id()), Some("personal"));
    assert_eq!(
        shop.leave().unwrap().get(personal).map(|t| t.id()),
        Some("personal")
    );
}

#[test]
fn the_most_requirements_one_request_can_leave_unmet_fit_the_decision() {
    // A type asking everything the ladder asks and more: its own notice and
    // signature, every paper, reporting back, the agent filing, and a
    // certificate obtained after joining.
    let policy = example_policy(
        "education",
        &[(
            "notice_days = 15\ndocuments = [\"marriage_certificate\"]",
            "notice_days = 15\napprover = \"above_department_head\"\nform = true\nreport_back = true\n\
             documents = [\"marriage_certificate\", \"hospital_certificate\", \"birth_certificate\", \"leave_form\"]",
        )],
    );
    // One day, asked the day after it, by a relative; married before joining.
    let mut request = LeaveRequest::new("marriage", d(2026, 3, 10), d(2026, 3, 10), d(2026, 3, 11))
        .with_marriage(d(2019, 5, 1));
    request.applicant = Applicant::Relative;
    let summary = policy.decide_leave(&agent(Sex::Woman), &request).unwrap();
    assert_eq!(
        summary.unmet.len(),
        cs_policy::leave::MOST_UNMET,
        "{:?}",
        summary.unmet
    );
}

// ---------------------------------------------------------------- personal data

#[test]
fn a_personal_or_sick_day_needs_no_birth_date_or_sex() {
    let policy = education();
    let nobody = Agent::id_only("a1");
    for kind in [
        "personal",
        "sick",
        "bereavement",
        "maternity",
        "work_injury",
    ] {
        let request = with_paperwork(
            LeaveRequest::new(kind, d(2026, 3, 10), d(2026, 3, 10), d(2026, 3, 1))
                .with_relation(Relation::Parent)
                .with_birth(d(2026, 3, 20), false, 1),
        );
        let summary = policy.decide_leave(&nobody, &request).unwrap();
        assert!(summary.approved(), "{kind}: {:?}", summary.unmet);
    }
}

#[test]
fn l6_the_late_marriage_age_names_the_type_and_clause_that_read_the_birth_date_and_sex() {
    let policy = education();
    let request = with_paperwork(marriage_from(d(2026, 4, 20)));
    let joined = Agent::id_only("a1").joined_on(d(2020, 1, 1));
    let err = policy.decide_leave(&joined, &request).unwrap_err();
    assert_eq!(
        err.to_string(),
        "request 0: leave type `marriage` needs `birth_date` for `leave.types.marriage.entitlement`; add it to the facts"
    );
    let mut born = joined.clone();
    born.birth_date = Some(d(1990, 1, 1));
    assert!(matches!(
        policy.decide_leave(&born, &request),
        Err(LeaveError::MissingFact { fact: "sex", ref clause, .. }) if clause == "leave.types.marriage.entitlement"
    ));
    // A remarriage's days do not depend on the sex.
    born.previous_marriages = 1;
    let summary = policy.decide_leave(&born, &request).unwrap();
    assert_eq!(summary.entitled_days, 3);
}
