//! Bytes written in order and read back in the same order: in memory
//! while they are few, then (feature `jsonl`) in an anonymous temporary
//! file, gone when closed, so that memory stays flat whatever the size of
//! the team.

#[cfg(feature = "jsonl")]
use std::fs::File;
use std::io::{self, Cursor, Read, Write};
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
        parts.iter().for_each(|p| self.memory.extend_from_slice(p));
        if self.memory.len() > self.limit {
            self.move_to_file()?;
        }
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

/// Reads exactly `N` bytes; `None` at the end of the bytes.
pub(super) fn next<const N: usize>(source: &mut impl Read) -> io::Result<Option<[u8; N]>> {
    let mut bytes = [0u8; N];
    match source.read_exact(&mut bytes) {
        Ok(()) => Ok(Some(bytes)),
        Err(e) if e.kind() == io::ErrorKind::UnexpectedEof => Ok(None),
        Err(e) => Err(e),
    }
}
