//! A CRM's view of the crate, through its public API only: the six single
//! questions a CRM asks while an agent works, one agent's month, and the
//! statement stored as JSON and read back equal.
//!
//! `cargo run --example crm`

use cs_policy::attendance::{DayStatus, Punches};
use cs_policy::chrono::NaiveDate;
use cs_policy::followup::{Member, NextCall};
use cs_policy::leave::{Agent, Approver, Document, LeaveRequest};
use cs_policy::orders::Order;
use cs_policy::rust_decimal::Decimal;
use cs_policy::{AgentStatement, Policy, Scenario};

type Error = Box<dyn std::error::Error>;

fn main() -> Result<(), Error> {
    is_this_day_late()?;
    which_band_is_this_score()?;
    what_does_the_third_complaint_cost()?;
    what_is_this_leave_request_worth()?;
    when_is_the_next_call_due()?;
    what_flag_does_this_order_get()?;
    one_agents_month_stored_and_read_back()?;
    Ok(())
}

fn date(year: i32, month: u32, day: u32) -> Result<NaiveDate, Error> {
    NaiveDate::from_ymd_opt(year, month, day).ok_or_else(|| "no such date".into())
}

/// A1, A4: punched in at 09:12 on a 09:00 shift.
fn is_this_day_late() -> Result<(), Error> {
    let policy = Policy::example("education")?;
    let regular = policy.shift_ref("regular").ok_or("no shift `regular`")?;
    let day = date(2026, 3, 3)?;
    let arrived = day.and_hms_opt(9, 12, 0).ok_or("no such time")?;
    let decision = policy.attendance_day(Some(regular), day, Punches::Arrived(arrived))?;
    assert_eq!(decision.status, DayStatus::Late { minutes: 12 });
    let deduction = decision.deduction.ok_or("a late day deducts")?;
    assert_eq!(deduction.amount, Decimal::from(20));
    println!(
        "late:       {:?}, {} yuan  because {}",
        decision.status,
        deduction.amount,
        policy.cite(decision.clause)?
    );
    Ok(())
}

/// K5: the band of 88 points on the property front desk's card.
fn which_band_is_this_score() -> Result<(), Error> {
    let policy = Policy::example("property")?;
    let card = policy
        .scorecard_ref("front_desk")
        .ok_or("no card `front_desk`")?;
    let grade = policy.band(card, Decimal::from(88))?;
    assert_eq!(grade.band.id(), "basic_pass");
    assert_eq!(grade.pay_share, Some(Decimal::from(80)));
    println!(
        "band:       88 is `{}`, {}% of performance pay  because {}",
        grade.band.id(),
        grade.pay_share.unwrap_or_default(),
        policy.cite(grade.clause)?
    );
    Ok(())
}

/// F1: the shop's third complaint in a month.
fn what_does_the_third_complaint_cost() -> Result<(), Error> {
    let policy = Policy::example("shop")?;
    let complaint = policy.kind_ref("complaint").ok_or("no kind `complaint`")?;
    let third = policy.occurrence(complaint, 3)?;
    assert_eq!(third.clause.id(), "discipline.ladders.complaint.steps[2]");
    println!(
        "complaint:  the third costs {:?} into `{}`  because {}",
        third.amount,
        third.fund.map_or("no fund", |f| f.id()),
        policy.cite(third.clause)?
    );
    Ok(())
}

/// L-rules: a personal day with its form and the supervisor's approval; the
/// agent gives no birth date or sex, which a personal day does not read.
fn what_is_this_leave_request_worth() -> Result<(), Error> {
    let policy = Policy::example("shop")?;
    let request = LeaveRequest::new(
        "personal",
        date(2026, 3, 10)?,
        date(2026, 3, 10)?,
        date(2026, 3, 9)?,
    )
    .with_documents([Document::LeaveForm])
    .with_approvals([Approver::Supervisor]);
    let summary = policy.decide_leave(&Agent::id_only("S02"), &request)?;
    assert!(summary.approved());
    assert_eq!((summary.counted_days, summary.paid_days), (1, 0));
    println!(
        "leave:      {} day counted, {} paid  because {}",
        summary.counted_days,
        summary.paid_days,
        policy.cite(summary.clause)?
    );
    Ok(())
}

/// C1: a member whose card arrived at 10:00 on the day of the deal.
fn when_is_the_next_call_due() -> Result<(), Error> {
    let policy = Policy::example("education")?;
    let deal = date(2026, 3, 2)?;
    let member = Member {
        id: "M1".into(),
        deal,
        card_received: deal.and_hms_opt(10, 0, 0),
        ..Default::default()
    };
    let at = deal.and_hms_opt(15, 0, 0).ok_or("no such time")?;
    let NextCall::Due(next) = policy.next_call(&member, &[], at)? else {
        return Err("a new member has a call due".into());
    };
    assert_eq!(next.call.id(), "first");
    println!(
        "next call:  `{}` from {} to {}  because {}",
        next.call.id(),
        next.window.opens,
        next.window.closes,
        policy.cite(next.clause)?
    );
    Ok(())
}

/// O1–O3: an order with a special request, taken by agent 1.
fn what_flag_does_this_order_get() -> Result<(), Error> {
    let policy = Policy::example("shop")?;
    let order = Order {
        agent: Some(1),
        special_request: true,
        ..Default::default()
    };
    let marks = policy.order_marks(&order)?;
    let flag = marks
        .flag
        .ok_or("an order with a special request is flagged")?;
    assert_eq!(flag.clause.id(), "orders.flags.colours.special");
    println!(
        "order flag: {:?}  because {}",
        flag.colour,
        policy.cite(flag.clause)?
    );
    Ok(())
}

/// One agent's month as the CRM stores it: written as JSON, read back equal,
/// and matched to the policy that produced it.
fn one_agents_month_stored_and_read_back() -> Result<(), Error> {
    let policy = Policy::example("shop")?;
    let month = Scenario::from_toml_str(
        "policies/shop.scenario.toml",
        include_str!("../policies/shop.scenario.toml"),
    )?;
    let statement = policy.agent_statement(&month, "S02")?;
    let stored = serde_json::to_string(&statement)?;
    let read_back: AgentStatement = serde_json::from_str(&stored)?;
    assert_eq!(read_back, statement);
    assert_eq!(read_back.policy.sha256, policy.stamp().sha256);
    println!(
        "\nS02's month, stored ({} bytes) and read back equal:",
        stored.len()
    );
    let view = read_back.view(&policy)?;
    for line in &view.lines {
        println!("  {:<10} {:>9} {}", line.kind, line.amount, line.clause);
    }
    println!("  {:<10} {:>9}", "total", view.total);
    Ok(())
}
