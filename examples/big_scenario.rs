//! Prints a call-centre scenario of N agents for one month (default 1,000),
//! to time `cs-policy eval` on a large team:
//!
//! ```sh
//! cargo run --release --example big_scenario -- 1000 > /tmp/big.scenario.toml
//! cargo build --release --features cli
//! time target/release/cs-policy eval policies/call-centre.toml /tmp/big.scenario.toml > /dev/null
//! ```

use std::fmt::Write as _;

/// Working days of May 2026 under the call centre's calendar.
const DAYS: [u32; 8] = [11, 12, 13, 14, 18, 19, 20, 21];

fn main() {
    let n: usize = std::env::args()
        .nth(1)
        .and_then(|a| a.parse().ok())
        .unwrap_or(1_000);
    print!("{}", scenario(n));
}

/// The scenario's text: every agent on the office shift every working day
/// of May 2026, punctual but for one late in seven agents, with a few
/// complaints, irregularities and losses.
fn scenario(n: usize) -> String {
    let levels = ["trial", "ordinary", "one_star", "two_star"];
    let mut out = String::from("year = 2026\nmonth = 5\npunctual = true\n");
    for i in 0..n {
        let score = 60 + (i * 37 % 41); // 60..=100, many ties
        let level = levels[i % 4];
        let _ = write!(
            out,
            "\n[[agents]]\nid = \"C{i:04}\"\nplan = \"star_levels\"\nlevel = \"{level}\"\n"
        );
        if level != "trial" {
            let _ = writeln!(out, "commission = \"{}.{:02}\"", 250 + i % 50, i % 100);
        }
        if i % 29 == 0 {
            out.push_str("losses = [\"37.50\"]\n");
        }
        out.push_str("card.items = [");
        for (k, item) in ["service", "knowledge", "discipline", "teamwork"]
            .iter()
            .enumerate()
        {
            let p = (score / 4 + usize::from(k < score % 4)).min(25);
            let _ = write!(
                out,
                "{{ item = \"{item}\", value = {{ points = \"{p}\" }} }}, "
            );
        }
        out.push_str("]\nhistory = [{ score = \"75\", rank = 3 }, { score = \"68\", rank = 9 }]\n");
    }
    out.push_str("\n[[roster]]\nagents = [");
    for i in 0..n {
        let _ = write!(out, "\"C{i:04}\", ");
    }
    out.push_str("]\nshift = \"office\"\ndays = \"working_days\"\n");
    for i in (0..n).step_by(7) {
        let _ = write!(
            out,
            "\n[[punches]]\nagent = \"C{i:04}\"\ndate = \"2026-05-{:02}\"\nin = \"09:{:02}\"\nout = \"18:00\"\n",
            DAYS[i % DAYS.len()],
            5 + i % 20
        );
    }
    for i in (0..n).step_by(11) {
        let kind = if i % 2 == 0 {
            "complaint"
        } else {
            "irregularity"
        };
        let _ = write!(
            out,
            "\n[[incidents]]\nagent = \"C{i:04}\"\nkind = \"{kind}\"\ndate = \"2026-05-{:02}\"\n",
            DAYS[(i / 11) % DAYS.len()]
        );
    }
    out
}
