//! The rank an agent will most likely have, guessed while the team is
//! read: the best scores seen so far in each plan whose ranks pay (its
//! prizes, the first places a streak counts), as many as the prizes reach. A
//! guess that proves wrong costs only a second evaluation.

use rust_decimal::Decimal;

use crate::Policy;
use crate::pay::{Ranked, Stakes, Standing};

/// A prize further down than this is never guessed: the agents it goes
/// to are evaluated again once ranked.
const GUESSED: u32 = 64;

/// The best scores seen so far, per plan (by position).
pub(super) struct Leaders {
    plans: Vec<Top>,
}

/// The best scores of one plan, highest first, of every agent and of the
/// agents who may win a prize.
struct Top {
    stakes: Stakes,
    all: Vec<Decimal>,
    eligible: Vec<Decimal>,
    /// How many of each are kept.
    keep_all: usize,
    keep_eligible: usize,
}

impl Top {
    fn new(stakes: Stakes) -> Self {
        let first = usize::from(stakes.first);
        let (keep_all, keep_eligible) = match stakes.prizes {
            None => (first, 0),
            Some((deepest, eligible)) => {
                let deepest = usize::try_from(deepest.min(GUESSED)).unwrap_or(0);
                if eligible {
                    (first, deepest)
                } else {
                    (deepest.max(first), 0)
                }
            }
        };
        Self {
            stakes,
            all: Vec::new(),
            eligible: Vec::new(),
            keep_all,
            keep_eligible,
        }
    }

    /// How many kept scores are above `score`, and whether one equals it.
    fn above(scores: &[Decimal], score: Decimal) -> (u32, bool) {
        let above = scores.iter().take_while(|s| **s > score).count();
        let tied = scores.get(above).is_some_and(|s| *s == score);
        (u32::try_from(above).unwrap_or(u32::MAX), tied)
    }

    fn see(scores: &mut Vec<Decimal>, keep: usize, score: Decimal) {
        if scores.len() == keep && scores.last().is_none_or(|low| *low >= score) {
            return;
        }
        let at = scores.iter().take_while(|s| **s >= score).count();
        scores.insert(at, score);
        scores.truncate(keep);
    }
}

impl Leaders {
    /// No agent seen yet.
    pub(super) fn new(policy: &Policy) -> Self {
        let plans = policy.rank_stakes().into_iter().map(Top::new).collect();
        Self { plans }
    }

    /// Counts an agent in.
    pub(super) fn see(&mut self, standing: Standing) {
        let top = usize::try_from(standing.plan)
            .ok()
            .and_then(|i| self.plans.get_mut(i));
        let (Some(score), Some(top)) = (standing.score, top) else {
            return;
        };
        Top::see(&mut top.all, top.keep_all, score);
        if standing.eligible {
            Top::see(&mut top.eligible, top.keep_eligible, score);
        }
    }

    /// The rank the agent would have among the agents seen (exact as far
    /// as it decides pay: which prize, whether first).
    pub(super) fn guess(&self, standing: Standing) -> Ranked {
        let top = usize::try_from(standing.plan)
            .ok()
            .and_then(|i| self.plans.get(i));
        let (Some(score), Some(top)) = (standing.score, top) else {
            return Ranked::default();
        };
        let (above, tied) = Top::above(&top.all, score);
        let award_rank =
            top.stakes
                .prizes
                .filter(|_| standing.eligible)
                .map(|(_, among_eligible)| {
                    let (above, tied) = if among_eligible {
                        Top::above(&top.eligible, score)
                    } else {
                        (above, tied)
                    };
                    (above.saturating_add(1), tied)
                });
        Ranked {
            rank: Some(above.saturating_add(1)),
            award_rank,
        }
    }
}
