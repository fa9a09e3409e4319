//! Bytes written in order and read back in the same order: in memory
//! while they are few, then (feature `jsonl`) in an anonymous temporary
//! file, gone when closed, so that memory stays flat whatever the size of
//! the team.

#[cfg(feature = "jsonl")]
use std::fs::File;
use std::io::{self, BufRead, Cursor, Read, Write};
#[cfg(feature = "jsonl")]
use std::io::{BufReader, BufWriter, Seek};

/// Bytes written in order.
pub(super) struct Tape {
    memory: Vec<u8>,
    /// Past this many bytes they move to a file, written and read back
    /// through buffers of at most this size.
    limit: usize,
    #[cfg(feature = "jsonl")]
    file: Option<BufWriter<File>>,
}

/// Reads and writes to a file go through buffers of at most this size.
#[cfg(feature = "jsonl")]
const BUFFER: usize = 1 << 20;

impl Tape {
    /// No bytes yet; past `limit` bytes they go to a file.
    pub(super) fn new(limit: usize) -> Self {
        Self {
            memory: Vec::new(),
            limit,
            #[cfg(feature = "jsonl")]
            file: None,
        }
    }

    /// Appends `parts`, one after the other.
    pub(super) fn write(&mut self, parts: &[&[u8]]) -> io::Result<()> {
        if let Some(file) = self.file() {
            return parts.iter().try_for_each(|p| file.write_all(p));
        }
        let len = parts.iter().map(|p| p.len()).sum::<usize>();
        if self.memory.len().saturating_add(len) > self.limit {
            self.move_to_file()?;
            if let Some(file) = self.file() {
                return parts.iter().try_for_each(|p| file.write_all(p));
            }
        } else if self.memory.capacity() == 0 {
            // Room for every byte kept in memory at once: a growing buffer
            // would copy them and touch fresh pages at every doubling.
            self.memory.reserve_exact(self.limit);
        }
        parts.iter().for_each(|p| self.memory.extend_from_slice(p));
        Ok(())
    }

    #[cfg(feature = "jsonl")]
    fn file(&mut self) -> Option<&mut impl Write> {
        self.file.as_mut()
    }

    #[cfg(not(feature = "jsonl"))]
    fn file(&mut self) -> Option<&mut impl Write> {
        None::<&mut Vec<u8>>
    }

    /// The bytes so far moved to a file, to which the rest will go.
    #[cfg(feature = "jsonl")]
    fn move_to_file(&mut self) -> io::Result<()> {
        let buffer = self.limit.min(BUFFER);
        let mut file = BufWriter::with_capacity(buffer, tempfile::tempfile()?);
        file.write_all(&self.memory)?;
        self.memory = Vec::new();
        self.file = Some(file);
        Ok(())
    }

    /// Without a temporary file, the bytes stay in memory.
    #[cfg(not(feature = "jsonl"))]
    fn move_to_file(&mut self) -> io::Result<()> {
        Ok(())
    }

    /// Whether the bytes moved to a file.
    #[cfg(test)]
    pub(super) fn in_file(&mut self) -> bool {
        self.file().is_some()
    }

    /// The bytes written, from the first.
    #[cfg(feature = "jsonl")]
    pub(super) fn rewind(self) -> io::Result<Rewound> {
        let Some(file) = self.file else {
            return Ok(Rewound::Memory(Cursor::new(self.memory)));
        };
        let mut file = file.into_inner().map_err(io::IntoInnerError::into_error)?;
        file.rewind()?;
        let buffer = self.limit.min(BUFFER);
        Ok(Rewound::File(BufReader::with_capacity(buffer, file)))
    }

    /// The bytes written, from the first.
    #[cfg(not(feature = "jsonl"))]
    pub(super) fn rewind(self) -> io::Result<Rewound> {
        Ok(Rewound::Memory(Cursor::new(self.memory)))
    }
}

/// A tape's bytes, read back from the first.
pub(super) enum Rewound {
    Memory(Cursor<Vec<u8>>),
    #[cfg(feature = "jsonl")]
    File(BufReader<File>),
}

impl Read for Rewound {
    fn read(&mut self, buf: &mut [u8]) -> io::Result<usize> {
        match self {
            Self::Memory(m) => m.read(buf),
            #[cfg(feature = "jsonl")]
            Self::File(f) => f.read(buf),
        }
    }
}

impl BufRead for Rewound {
    fn fill_buf(&mut self) -> io::Result<&[u8]> {
        match self {
            Self::Memory(m) => m.fill_buf(),
            #[cfg(feature = "jsonl")]
            Self::File(f) => f.fill_buf(),
        }
    }

    fn consume(&mut self, amount: usize) {
        match self {
            Self::Memory(m) => m.consume(amount),
            #[cfg(feature = "jsonl")]
            Self::File(f) => f.consume(amount),
        }
    }
}

/// Appends the next `n` bytes to `out`, straight from the source's
/// buffer.
#[cfg(feature = "jsonl")]
pub(super) fn append(source: &mut impl BufRead, n: usize, out: &mut Vec<u8>) -> io::Result<()> {
    out.reserve(n);
    let mut left = n;
    while left > 0 {
        let buffered = source.fill_buf()?;
        if buffered.is_empty() {
            return Err(io::ErrorKind::UnexpectedEof.into());
        }
        let take = buffered.len().min(left);
        out.extend_from_slice(&buffered[..take]);
        source.consume(take);
        left -= take;
    }
    Ok(())
}

/// Reads exactly `N` bytes; `None` at the end of the bytes.
pub(super) fn next<const N: usize>(source: &mut impl Read) -> io::Result<Option<[u8; N]>> {
    let mut bytes = [0u8; N];
    match source.read_exact(&mut bytes) {
        Ok(()) => Ok(Some(bytes)),
        Err(e) if e.kind() == io::ErrorKind::UnexpectedEof => Ok(None),
        Err(e) => Err(e),
    }
}

#[cfg(all(test, feature = "jsonl"))]
mod tests {
    use super::*;

    /// The bytes kept in memory never outgrow the room set aside for
    /// them: the write that would is the first to go to the file, and
    /// every byte reads back in order.
    #[test]
    fn memory_holds_at_most_its_limit_and_the_rest_goes_to_the_file() {
        let mut tape = Tape::new(100);
        let first: Vec<u8> = (0..60).collect();
        let second: Vec<u8> = (60..120).collect();
        tape.write(&[&first[..10], &first[10..]]).unwrap();
        assert!(!tape.in_file());
        assert_eq!((tape.memory.len(), tape.memory.capacity()), (60, 100));
        tape.write(&[&second]).unwrap();
        assert!(tape.in_file());
        let mut back = Vec::new();
        tape.rewind().unwrap().read_to_end(&mut back).unwrap();
        assert_eq!(back, (0..120).collect::<Vec<u8>>());
    }

    /// Bytes asked for come whole across the source's buffers, and a
    /// source that ends first is an error, not a short read.
    #[test]
    fn append_takes_bytes_across_buffers_and_refuses_a_short_source() {
        let bytes: Vec<u8> = (0..=255u8).cycle().take(1000).collect();
        let mut source = io::BufReader::with_capacity(7, &bytes[..]);
        let mut out = b"kept".to_vec();
        append(&mut source, 600, &mut out).unwrap();
        append(&mut source, 0, &mut out).unwrap();
        assert_eq!(&out[..4], b"kept");
        assert_eq!(&out[4..], &bytes[..600]);
        let error = append(&mut source, 401, &mut out).unwrap_err();
        assert_eq!(error.kind(), io::ErrorKind::UnexpectedEof);
    }
}
