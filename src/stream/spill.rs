//! The first pass's statements, kept in input order until the team is
//! ranked: in memory while they are few, then in an anonymous temporary
//! file (gone when closed), so that memory stays flat whatever the size of
//! the team.

use std::fs::File;
use std::io::{self, BufReader, BufWriter, Cursor, Read, Seek, Write};
use std::ops::Range;

use rust_decimal::Decimal;

use crate::pay::Ranked;

/// Past this many bytes the statements move to a temporary file.
const IN_MEMORY: usize = 8 << 20;

/// Reads and writes to the file go through buffers of this size.
const BUFFER: usize = 1 << 20;

/// What is kept with a statement's bytes.
#[derive(Debug, Clone, Copy, PartialEq)]
pub(super) struct Head {
    /// Where the rank to fill in is, for a scored agent.
    pub(super) slot: Option<u32>,
    /// The agent's plan, by position.
    pub(super) plan: u32,
    /// The rank the statement was written with.
    pub(super) assumed: Ranked,
    /// The numbers of the agent's first incident and request.
    pub(super) firsts: (u32, u32),
    /// The statement's total.
    pub(super) total: Decimal,
}

/// Eight words (the length first), a flag byte, the total.
const HEAD: usize = 8 * 4 + 1 + 16;

const NONE: u32 = u32::MAX;

impl Head {
    fn encode(&self, len: u32) -> [u8; HEAD] {
        let mut out = [0u8; HEAD];
        let (award, tied) = self.assumed.award_rank.unwrap_or((NONE, false));
        let words = [
            len,
            self.slot.unwrap_or(NONE),
            self.plan,
            self.assumed.rank.unwrap_or(NONE),
            award,
            self.firsts.0,
            self.firsts.1,
            0,
        ];
        for (chunk, word) in out.chunks_exact_mut(4).zip(words) {
            chunk.copy_from_slice(&word.to_le_bytes());
        }
        out[32] = u8::from(tied);
        out[33..].copy_from_slice(&self.total.serialize());
        out
    }

    fn decode(bytes: &[u8; HEAD]) -> (Self, u32) {
        let word = |i: usize| {
            let mut w = [0u8; 4];
            w.copy_from_slice(&bytes[i * 4..i * 4 + 4]);
            u32::from_le_bytes(w)
        };
        let some = |w: u32| (w != NONE).then_some(w);
        let mut total = [0u8; 16];
        total.copy_from_slice(&bytes[33..]);
        let head = Self {
            slot: some(word(1)),
            plan: word(2),
            assumed: Ranked {
                rank: some(word(3)),
                award_rank: some(word(4)).map(|a| (a, bytes[32] != 0)),
            },
            firsts: (word(5), word(6)),
            total: Decimal::deserialize(total),
        };
        (head, word(0))
    }
}

/// Statements written in order, to be read back in the same order.
#[derive(Default)]
pub(super) struct Spill {
    memory: Vec<u8>,
    file: Option<BufWriter<File>>,
}

impl Spill {
    /// Keeps one statement.
    pub(super) fn push(&mut self, head: &Head, bytes: &[u8]) -> io::Result<()> {
        let len = u32::try_from(bytes.len())
            .map_err(|_| io::Error::other("a statement is too large to keep"))?;
        let head = head.encode(len);
        match &mut self.file {
            Some(file) => {
                file.write_all(&head)?;
                file.write_all(bytes)
            }
            None => {
                self.memory.extend_from_slice(&head);
                self.memory.extend_from_slice(bytes);
                if self.memory.len() > IN_MEMORY {
                    let mut file = BufWriter::with_capacity(BUFFER, tempfile::tempfile()?);
                    file.write_all(&self.memory)?;
                    self.memory = Vec::new();
                    self.file = Some(file);
                }
                Ok(())
            }
        }
    }

    /// The statements kept, from the first.
    pub(super) fn replay(self) -> io::Result<Replay> {
        let source = match self.file {
            Some(file) => {
                let mut file = file.into_inner().map_err(io::IntoInnerError::into_error)?;
                file.rewind()?;
                Source::File(BufReader::with_capacity(BUFFER, file))
            }
            None => Source::Memory(Cursor::new(self.memory)),
        };
        Ok(Replay { source })
    }
}

enum Source {
    Memory(Cursor<Vec<u8>>),
    File(BufReader<File>),
}

/// The statements kept, read back in order.
pub(super) struct Replay {
    source: Source,
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
        let source: &mut dyn Read = match &mut self.source {
            Source::Memory(m) => m,
            Source::File(f) => f,
        };
        let mut head = [0u8; HEAD];
        match source.read_exact(&mut head) {
            Ok(()) => {}
            Err(e) if e.kind() == io::ErrorKind::UnexpectedEof => return Ok(None),
            Err(e) => return Err(e),
        }
        let (head, len) = Head::decode(&head);
        let start = out.len();
        let len = usize::try_from(len).map_err(io::Error::other)?;
        out.resize(start + len, 0);
        source.read_exact(&mut out[start..])?;
        Ok(Some((head, start..start + len)))
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
                    plan: i,
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
            assert_eq!(spill.file.is_some(), big);
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
