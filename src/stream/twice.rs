//! Agents listed twice, found once every row is read: each good row's id
//! (hashed) and position written down as the rows are read, in one of
//! [`SHARES`] shares by id, then each share sorted out on its own, so that
//! memory stays flat whatever the size of the team.

use std::collections::HashSet;
use std::hash::{BuildHasherDefault, Hasher};
use std::io::{self, Read};

use super::tape::{self, Tape};

/// The ids written down stay in memory up to this many bytes (16 each),
/// then go to a file for each share.
const IN_MEMORY: usize = 4 << 20;

/// The ids are written down in this many shares, by id: an id listed
/// twice is in one share both times, and the shares are sorted out on
/// every core.
const SHARES: usize = 16;

/// The rows that list an agent an earlier good row gave.
pub(super) enum Twice {
    /// Not known yet: the good rows' ids, as they are read.
    Unknown {
        /// (id, position) for each, in the share `id % SHARES`.
        shares: Vec<Tape>,
        count: usize,
    },
    /// Their positions, in order.
    Known(Vec<usize>),
}

impl Twice {
    /// Nothing read yet.
    pub(super) fn unknown() -> Self {
        Self::Unknown {
            shares: (0..SHARES).map(|_| Tape::new(IN_MEMORY / SHARES)).collect(),
            count: 0,
        }
    }

    /// Whether the good row at `at`, with agent id `id` (hashed), lists
    /// the agent again: never while that is not known yet, the row then
    /// written down.
    pub(super) fn again(&mut self, at: usize, id: u64) -> io::Result<bool> {
        match self {
            Self::Unknown { shares, count } => {
                *count += 1;
                let at = u64::try_from(at).map_err(io::Error::other)?;
                // Below SHARES, the length of the list.
                let share = (id % SHARES as u64) as usize;
                shares[share].write(&[&id.to_le_bytes(), &at.to_le_bytes()])?;
                Ok(false)
            }
            Self::Known(rows) => Ok(rows.binary_search(&at).is_ok()),
        }
    }

    /// The rows that list an agent again, in order.
    pub(super) fn find(self) -> io::Result<Vec<usize>> {
        match self {
            Self::Known(rows) => Ok(rows),
            Self::Unknown { shares, count } => find(shares, count),
        }
    }
}

/// The rows of the `count` written down in `shares` that list an agent
/// again, each share sorted out on its own.
fn find(shares: Vec<Tape>, count: usize) -> io::Result<Vec<usize>> {
    let expected = count.div_ceil(SHARES);
    let found = super::map_owned(shares, |share| again(&mut share.rewind()?, expected));
    let mut rows = Vec::new();
    for share in found {
        rows.extend(share?);
    }
    rows.sort_unstable();
    Ok(rows)
}

/// The rows of `source`, in order, whose id an earlier one gave.
fn again(source: &mut impl Read, expected: usize) -> io::Result<Vec<usize>> {
    let mut seen = Seen::with_capacity_and_hasher(expected, Default::default());
    let mut rows = Vec::new();
    while let Some(written) = tape::next::<16>(source)? {
        let (id, at) = split(written);
        if !seen.insert(id) {
            rows.push(usize::try_from(at).map_err(io::Error::other)?);
        }
    }
    Ok(rows)
}

/// The ids are 64-bit hashes already: a set of them takes each as it is,
/// turned half-way round, since a share holds ids alike in their low
/// bits.
type Seen = HashSet<u64, BuildHasherDefault<AsHashed>>;

#[derive(Default)]
struct AsHashed(u64);

impl Hasher for AsHashed {
    fn finish(&self) -> u64 {
        self.0.rotate_left(32)
    }

    fn write(&mut self, bytes: &[u8]) {
        for &b in bytes {
            self.0 = self.0.rotate_left(8) ^ u64::from(b);
        }
    }

    fn write_u64(&mut self, id: u64) {
        self.0 = id;
    }
}

fn split(written: [u8; 16]) -> (u64, u64) {
    let mut id = [0u8; 8];
    let mut at = [0u8; 8];
    id.copy_from_slice(&written[..8]);
    at.copy_from_slice(&written[8..]);
    (u64::from_le_bytes(id), u64::from_le_bytes(at))
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Every row whose id an earlier row gave, whether the ids are kept
    /// in memory or in files.
    #[test]
    fn the_rows_listing_an_agent_again_are_found_in_order() {
        // A quarter more ids than memory holds: most shares move to files.
        for n in [10usize, IN_MEMORY / 16 * 5 / 4] {
            let mut twice = Twice::unknown();
            let mut expected = Vec::new();
            for at in 0..n {
                // Every seventh row repeats the id of the row 5 before it.
                let id = if at % 7 == 6 { at - 5 } else { at };
                if id != at {
                    expected.push(at);
                }
                let hashed = u64::try_from(id)
                    .unwrap()
                    .wrapping_mul(0x9E37_79B9_7F4A_7C15);
                assert!(!twice.again(at, hashed).unwrap());
            }
            if let Twice::Unknown { shares, .. } = &mut twice {
                let in_files = shares.iter_mut().map(Tape::in_file).filter(|&f| f).count();
                assert_eq!(in_files > 0, n > 10, "{in_files} shares in files");
            }
            let found = twice.find().unwrap();
            assert_eq!(found, expected);
            let mut known = Twice::Known(found);
            assert!(known.again(6, 0).unwrap());
            assert!(!known.again(5, 0).unwrap());
        }
    }
}
