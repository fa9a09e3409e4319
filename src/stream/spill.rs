//! The first pass's statements, kept in input order until the team is
//! ranked: in memory while they are few, then in an anonymous temporary
//! file (gone when closed), so that memory stays flat whatever the size of
//! the team.

use std::io;
use std::ops::Range;

use rust_decimal::Decimal;

use super::tape::{self, Rewound, Tape};
use crate::pay::{Ranked, Standing};

/// Past this many bytes the statements move to a temporary file.
const IN_MEMORY: usize = 8 << 20;

/// What is kept with a statement's bytes.
#[derive(Debug, Clone, Copy, PartialEq)]
pub(super) struct Head {
    /// Where the rank to fill in is, for a scored agent.
    pub(super) slot: Option<u32>,
    /// What the agent is ranked by.
    pub(super) standing: Option<Standing>,
    /// The rank the statement was written with.
    pub(super) assumed: Ranked,
    /// The numbers of the agent's first incident and request.
    pub(super) firsts: (u32, u32),
    /// The statement's total.
    pub(super) total: Decimal,
}

/// Eight words (the length first), a flag byte, the total, the score.
const HEAD: usize = 8 * 4 + 1 + 16 + 16;

const NONE: u32 = u32::MAX;

/// The flag byte's bits.
const TIED: u8 = 1;
const STANDING: u8 = 2;
const ELIGIBLE: u8 = 4;
const SCORED: u8 = 8;

impl Head {
    fn encode(&self, len: u32) -> [u8; HEAD] {
        let mut out = [0u8; HEAD];
        let (award, tied) = self.assumed.award_rank.unwrap_or((NONE, false));
        let words = [
            len,
            self.slot.unwrap_or(NONE),
            self.standing.map_or(0, |s| s.plan),
            self.assumed.rank.unwrap_or(NONE),
            award,
            self.firsts.0,
            self.firsts.1,
            0,
        ];
        for (chunk, word) in out.chunks_exact_mut(4).zip(words) {
            chunk.copy_from_slice(&word.to_le_bytes());
        }
        let flag = |on: bool, bit: u8| if on { bit } else { 0 };
        let score = self.standing.and_then(|s| s.score);
        out[32] = flag(tied, TIED)
            | flag(self.standing.is_some(), STANDING)
            | flag(self.standing.is_some_and(|s| s.eligible), ELIGIBLE)
            | flag(score.is_some(), SCORED);
        out[33..49].copy_from_slice(&self.total.serialize());
        out[49..].copy_from_slice(&score.unwrap_or_default().serialize());
        out
    }

    fn decode(bytes: &[u8; HEAD]) -> (Self, u32) {
        let word = |i: usize| {
            let mut w = [0u8; 4];
            w.copy_from_slice(&bytes[i * 4..i * 4 + 4]);
            u32::from_le_bytes(w)
        };
        let decimal = |at: usize| {
            let mut d = [0u8; 16];
            d.copy_from_slice(&bytes[at..at + 16]);
            Decimal::deserialize(d)
        };
        let some = |w: u32| (w != NONE).then_some(w);
        let flag = |bit: u8| bytes[32] & bit != 0;
        let head = Self {
            slot: some(word(1)),
            standing: flag(STANDING).then(|| Standing {
                plan: word(2),
                score: flag(SCORED).then(|| decimal(49)),
                eligible: flag(ELIGIBLE),
            }),
            assumed: Ranked {
                rank: some(word(3)),
                award_rank: some(word(4)).map(|a| (a, flag(TIED))),
            },
            firsts: (word(5), word(6)),
            total: decimal(33),
        };
        (head, word(0))
    }
}

/// Statements written in order, to be read back in the same order.
pub(super) struct Spill {
    tape: Tape,
}

impl Default for Spill {
    fn default() -> Self {
        Self {
            tape: Tape::new(IN_MEMORY),
        }
    }
}

impl Spill {
    /// Keeps one statement.
    pub(super) fn push(&mut self, head: &Head, bytes: &[u8]) -> io::Result<()> {
        let len = u32::try_from(bytes.len())
            .map_err(|_| io::Error::other("a statement is too large to keep"))?;
        self.tape.write(&[&head.encode(len), bytes])
    }

    /// The statements kept, from the first.
    pub(super) fn replay(self) -> io::Result<Replay> {
        Ok(Replay {
            source: self.tape.rewind()?,
        })
    }
}

/// The statements kept, read back in order.
pub(super) struct Replay {
    source: Rewound,
}

impl Replay {
    /// The next `n` statements, in place of what `chunk` held; fewer only
    /// after the last.
    pub(super) fn chunk(&mut self, n: usize, chunk: &mut Chunk) -> io::Result<()> {
        chunk.heads.clear();
        chunk.lines.clear();
        for _ in 0..n {
            match self.next(&mut chunk.lines)? {
                Some(kept) => chunk.heads.push(kept),
                None => break,
            }
        }
        Ok(())
    }

    /// The next statement, its bytes appended to `out`; `None` after the
    /// last.
    pub(super) fn next(&mut self, out: &mut Vec<u8>) -> io::Result<Option<(Head, Range<usize>)>> {
        let Some(head) = tape::next::<HEAD>(&mut self.source)? else {
            return Ok(None);
        };
        let (head, len) = Head::decode(&head);
        let start = out.len();
        let len = usize::try_from(len).map_err(io::Error::other)?;
        tape::append(&mut self.source, len, out)?;
        Ok(Some((head, start..out.len())))
    }
}

/// A batch of kept statements read back: their heads and where each
/// one's bytes are in `lines`.
#[derive(Default)]
pub(super) struct Chunk {
    pub(super) heads: Vec<(Head, Range<usize>)>,
    pub(super) lines: Vec<u8>,
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn statements_come_back_in_order_from_memory_or_a_file() {
        for big in [false, true] {
            let mut spill = Spill::default();
            let line = vec![b'x'; if big { IN_MEMORY / 3 } else { 10 }];
            let heads: Vec<Head> = (0..5u32)
                .map(|i| Head {
                    slot: (i % 2 == 0).then_some(i),
                    standing: (i != 2).then_some(Standing {
                        plan: i,
                        score: (i != 3).then(|| Decimal::new(9050 + i64::from(i), 2)),
                        eligible: i % 2 == 1,
                    }),
                    assumed: Ranked {
                        rank: (i > 0).then_some(i),
                        award_rank: (i % 3 == 1).then_some((i, i == 4)),
                    },
                    firsts: (i, i + 1),
                    total: Decimal::new(12345 + i64::from(i), 2),
                })
                .collect();
            for head in &heads {
                spill.push(head, &line).unwrap();
            }
            assert_eq!(spill.tape.in_file(), big);
            let mut replay = spill.replay().unwrap();
            let mut out = Vec::new();
            for head in &heads {
                let (read, range) = replay.next(&mut out).unwrap().unwrap();
                assert_eq!(&read, head);
                assert_eq!(&out[range], &line[..]);
            }
            assert!(replay.next(&mut out).unwrap().is_none());
        }
    }
}
