//! Shared by the integration tests: real image files in temporary folders
//! and a target that fails on purpose at a chosen offset.

#![allow(dead_code)]

use std::fs::File;
use std::io;
use std::os::unix::fs::FileExt;
use std::path::{Path, PathBuf};

use refurbdesk_erasure::stream::fill;
use refurbdesk_erasure::{DiskTarget, Pattern, ReadAt, Seed, Target};
use tempfile::TempDir;

pub const MIB: u64 = 1 << 20;

/// An image file of `size` bytes full of 0x5a (old data to be erased).
pub fn image(dir: &TempDir, name: &str, size: u64) -> PathBuf {
    let path = dir.path().join(name);
    let file = File::create(&path).expect("image file is created");
    let block = vec![0x5a_u8; MIB as usize];
    let mut offset = 0;
    while offset < size {
        let len = (size - offset).min(MIB) as usize;
        file.write_all_at(&block[..len], offset)
            .expect("old data is written");
        offset += len as u64;
    }
    file.sync_all().expect("image is flushed");
    path
}

/// Checks every byte of the file against what `pattern` puts there.
pub fn assert_every_byte(path: &Path, pattern: Pattern, seed: Option<Seed>) {
    let file = File::open(path).expect("image opens");
    let size = file.metadata().expect("metadata").len();
    let mut actual = vec![0u8; MIB as usize];
    let mut expected = vec![0u8; MIB as usize];
    let mut offset = 0;
    while offset < size {
        let len = (size - offset).min(MIB) as usize;
        file.read_exact_at(&mut actual[..len], offset)
            .expect("image reads");
        fill(pattern, seed, offset, &mut expected[..len]);
        if actual[..len] != expected[..len] {
            let at = actual[..len]
                .iter()
                .zip(&expected[..len])
                .position(|(a, b)| a != b)
                .unwrap_or(0);
            panic!(
                "{}: byte {} is 0x{:02x}, expected 0x{:02x} ({pattern})",
                path.display(),
                offset + at as u64,
                actual[at],
                expected[at]
            );
        }
        offset += len as u64;
    }
}

/// What the faulty target does wrong.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Fail {
    /// Any write touching this byte fails.
    WriteAt(u64),
    /// Any read touching this byte fails.
    ReadAt(u64),
}

/// A real image file whose writes or reads fail at one offset, like a bad
/// sector.
pub struct FaultyTarget {
    pub inner: DiskTarget,
    pub fail: Fail,
}

fn touches(offset: u64, len: usize, at: u64) -> bool {
    offset <= at && at < offset + len as u64
}

impl Target for FaultyTarget {
    fn describe(&self) -> String {
        format!("faulty {}", self.inner.describe())
    }

    fn len(&self) -> u64 {
        self.inner.len()
    }

    fn write_at(&mut self, offset: u64, data: &[u8]) -> io::Result<()> {
        if let Fail::WriteAt(at) = self.fail {
            if touches(offset, data.len(), at) {
                return Err(io::Error::from_raw_os_error(libc_eio()));
            }
        }
        self.inner.write_at(offset, data)
    }

    fn read_at(&mut self, offset: u64, data: &mut [u8]) -> io::Result<()> {
        if let Fail::ReadAt(at) = self.fail {
            if touches(offset, data.len(), at) {
                return Err(io::Error::from_raw_os_error(libc_eio()));
            }
        }
        self.inner.read_at(offset, data)
    }

    fn flush(&mut self) -> io::Result<()> {
        self.inner.flush()
    }

    fn concurrent_reader(&self) -> Option<Box<dyn ReadAt + Send>> {
        Some(Box::new(FaultyReader {
            inner: self.inner.concurrent_reader()?,
            fail: self.fail,
        }))
    }
}

/// The faulty target's second reader, failing at the same offset.
struct FaultyReader {
    inner: Box<dyn ReadAt + Send>,
    fail: Fail,
}

impl ReadAt for FaultyReader {
    fn read_at(&mut self, offset: u64, data: &mut [u8]) -> io::Result<()> {
        if let Fail::ReadAt(at) = self.fail {
            if touches(offset, data.len(), at) {
                return Err(io::Error::from_raw_os_error(libc_eio()));
            }
        }
        self.inner.read_at(offset, data)
    }
}

/// EIO, the error a failing sector gives.
fn libc_eio() -> i32 {
    5
}
