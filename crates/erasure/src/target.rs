//! What an erasure writes to: the [`Target`] trait (so tests can put a
//! fault-injecting target in place of a disk) and [`DiskTarget`], an image
//! file or a block device opened for direct I/O where it allows it, locked
//! so that no second erasure can run on it at the same time.

use std::fs::{File, OpenOptions};
use std::io;
use std::os::unix::fs::{FileExt, FileTypeExt, OpenOptionsExt};
use std::os::unix::io::AsRawFd;
use std::path::{Path, PathBuf};

use serde::{Deserialize, Serialize};

use crate::buffer::ALIGN;
use crate::error::EraseError;

/// A byte range that can be overwritten and read back.
///
/// Buffers handed to `write_at` and `read_at` start on a page boundary and
/// their lengths are whole pages except at the very end of the target.
pub trait Target {
    /// The path or name used in messages.
    fn describe(&self) -> String;
    /// Size in bytes.
    fn len(&self) -> u64;
    fn is_empty(&self) -> bool {
        self.len() == 0
    }
    /// Writes all of `data` at `offset`.
    fn write_at(&mut self, offset: u64, data: &[u8]) -> io::Result<()>;
    /// Fills all of `data` from `offset`.
    fn read_at(&mut self, offset: u64, data: &mut [u8]) -> io::Result<()>;
    /// Makes everything written durable on the medium and makes the reads
    /// that follow come from the medium, not from a cache.
    fn flush(&mut self) -> io::Result<()>;
    /// A second handle that reads the same bytes from another thread, so the
    /// verification can keep two reads in flight; `None` reads on one.
    fn concurrent_reader(&self) -> Option<Box<dyn ReadAt + Send>> {
        None
    }
}

/// Positional reads from a second thread (see [`Target::concurrent_reader`]).
pub trait ReadAt {
    /// Fills all of `data` from `offset`.
    fn read_at(&mut self, offset: u64, data: &mut [u8]) -> io::Result<()>;
}

/// Whether the target is a whole block device or a regular file.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum TargetKind {
    Image,
    Block,
}

impl TargetKind {
    pub fn as_str(self) -> &'static str {
        match self {
            TargetKind::Image => "image",
            TargetKind::Block => "block",
        }
    }
}

/// What a path is, before anything is opened for writing.
pub fn kind_of(path: &Path) -> Result<TargetKind, EraseError> {
    let metadata = std::fs::metadata(path).map_err(|source| {
        if source.kind() == io::ErrorKind::NotFound {
            EraseError::NotFound {
                path: path.to_owned(),
            }
        } else {
            EraseError::Io {
                action: "could not look at",
                path: path.to_owned(),
                source,
            }
        }
    })?;
    let file_type = metadata.file_type();
    if file_type.is_block_device() {
        Ok(TargetKind::Block)
    } else if file_type.is_file() {
        Ok(TargetKind::Image)
    } else {
        Err(EraseError::NotErasable {
            path: path.to_owned(),
            reason: "it is neither a block device nor a regular image file".to_owned(),
        })
    }
}

/// An image file or block device, opened and locked for an erasure.
#[derive(Debug)]
pub struct DiskTarget {
    path: PathBuf,
    kind: TargetKind,
    len: u64,
    /// Opened with O_DIRECT when the file system or device accepts it, so
    /// writes bypass the page cache and reads come from the medium.
    direct: Option<File>,
    /// Always present: used for the unaligned tail and when O_DIRECT is refused.
    buffered: File,
    /// Whether anything went through `buffered` since the last flush.
    buffered_dirty: bool,
}

impl DiskTarget {
    /// Opens `path` for erasing. A block device is claimed exclusively
    /// (O_EXCL: the kernel refuses while it is mounted, used as swap or part
    /// of an array), and either kind is locked with `flock` so a second
    /// erasure of the same target is refused while this one runs.
    pub fn open(path: &Path) -> Result<DiskTarget, EraseError> {
        let kind = kind_of(path)?;
        let exclusive = match kind {
            TargetKind::Block => libc::O_EXCL,
            TargetKind::Image => 0,
        };
        let open = |flags: i32| {
            OpenOptions::new()
                .read(true)
                .write(true)
                .custom_flags(flags)
                .open(path)
        };
        // Only the first descriptor claims the device: the kernel counts each
        // exclusive open as a separate holder and would refuse the second.
        let (direct, buffered) = match open(libc::O_DIRECT | exclusive) {
            Ok(direct) => {
                let buffered = open(0).map_err(|source| open_error(path, kind, source))?;
                (Some(direct), buffered)
            }
            // tmpfs and some FUSE file systems have no direct I/O.
            Err(error) if error.raw_os_error() == Some(libc::EINVAL) => {
                tracing::info!(path = %path.display(), "direct I/O not supported; using buffered I/O with cache flushes");
                let buffered = open(exclusive).map_err(|source| open_error(path, kind, source))?;
                (None, buffered)
            }
            Err(source) => return Err(open_error(path, kind, source)),
        };
        lock(&buffered, path)?;
        let len = match kind {
            TargetKind::Image => buffered
                .metadata()
                .map_err(|source| EraseError::Io {
                    action: "could not read the size of",
                    path: path.to_owned(),
                    source,
                })?
                .len(),
            TargetKind::Block => block_device_size(&buffered).map_err(|source| EraseError::Io {
                action: "could not read the size of the block device",
                path: path.to_owned(),
                source,
            })?,
        };
        Ok(DiskTarget {
            path: path.to_owned(),
            kind,
            len,
            direct,
            buffered,
            buffered_dirty: false,
        })
    }

    pub fn kind(&self) -> TargetKind {
        self.kind
    }

    pub fn path(&self) -> &Path {
        &self.path
    }

    /// Whether reads and writes bypass the page cache.
    pub fn direct_io(&self) -> bool {
        self.direct.is_some()
    }

    /// Splits `[offset, offset + len)` into the part direct I/O can take (a
    /// whole number of pages from a page boundary) and the rest.
    fn direct_part(&self, offset: u64, len: usize) -> usize {
        if self.direct.is_none() || !offset.is_multiple_of(ALIGN as u64) {
            return 0;
        }
        len / ALIGN * ALIGN
    }
}

impl Target for DiskTarget {
    fn describe(&self) -> String {
        self.path.display().to_string()
    }

    fn len(&self) -> u64 {
        self.len
    }

    fn write_at(&mut self, offset: u64, data: &[u8]) -> io::Result<()> {
        let head = self.direct_part(offset, data.len());
        if let (Some(direct), true) = (&self.direct, head > 0) {
            direct.write_all_at(&data[..head], offset)?;
        }
        if head < data.len() {
            self.buffered
                .write_all_at(&data[head..], offset + head as u64)?;
            self.buffered_dirty = true;
        }
        Ok(())
    }

    fn read_at(&mut self, offset: u64, data: &mut [u8]) -> io::Result<()> {
        read_split(self.direct.as_ref(), &self.buffered, offset, data)
    }

    fn concurrent_reader(&self) -> Option<Box<dyn ReadAt + Send>> {
        // Duplicated descriptors share the open file, its O_DIRECT flag and
        // its lock; positional reads do not disturb each other.
        let direct = match &self.direct {
            Some(file) => Some(file.try_clone().ok()?),
            None => None,
        };
        let buffered = self.buffered.try_clone().ok()?;
        Some(Box::new(DiskReader { direct, buffered }))
    }

    fn flush(&mut self) -> io::Result<()> {
        // fsync also sends a cache flush to the drive, so direct writes sitting
        // in its volatile cache are on the medium afterwards.
        match &self.direct {
            Some(direct) => direct.sync_all()?,
            None => self.buffered.sync_all()?,
        }
        if self.buffered_dirty || self.direct.is_none() {
            self.buffered.sync_all()?;
            // Clean pages can now be dropped, so the read-back sees the medium.
            // SAFETY: plain system call on an open descriptor.
            let status = unsafe {
                libc::posix_fadvise(self.buffered.as_raw_fd(), 0, 0, libc::POSIX_FADV_DONTNEED)
            };
            if status != 0 {
                tracing::warn!(path = %self.path.display(), status, "could not drop cached pages; verification may read from memory");
            }
            self.buffered_dirty = false;
        }
        Ok(())
    }
}

/// A second reading handle on a [`DiskTarget`].
#[derive(Debug)]
struct DiskReader {
    direct: Option<File>,
    buffered: File,
}

impl ReadAt for DiskReader {
    fn read_at(&mut self, offset: u64, data: &mut [u8]) -> io::Result<()> {
        read_split(self.direct.as_ref(), &self.buffered, offset, data)
    }
}

/// Reads the whole pages from a page boundary with direct I/O (when there
/// is a direct descriptor) and the rest through the page cache.
fn read_split(
    direct: Option<&File>,
    buffered: &File,
    offset: u64,
    data: &mut [u8],
) -> io::Result<()> {
    let head = match direct {
        Some(_) if offset.is_multiple_of(ALIGN as u64) => data.len() / ALIGN * ALIGN,
        _ => 0,
    };
    if let (Some(direct), true) = (direct, head > 0) {
        direct.read_exact_at(&mut data[..head], offset)?;
    }
    if head < data.len() {
        buffered.read_exact_at(&mut data[head..], offset + head as u64)?;
    }
    Ok(())
}

fn open_error(path: &Path, kind: TargetKind, source: io::Error) -> EraseError {
    match (kind, source.raw_os_error()) {
        (TargetKind::Block, Some(libc::EBUSY)) => EraseError::InUse {
            path: path.to_owned(),
            holder: "the kernel (it is mounted, used as swap, or part of a RAID, LVM or another exclusive user)".to_owned(),
        },
        (_, Some(libc::EACCES | libc::EPERM)) => EraseError::Io {
            action: "may not write to",
            path: path.to_owned(),
            source,
        },
        _ => EraseError::Io {
            action: "could not open for writing",
            path: path.to_owned(),
            source,
        },
    }
}

/// Takes the erasure lock on the target without waiting.
fn lock(file: &File, path: &Path) -> Result<(), EraseError> {
    // SAFETY: plain system call on an open descriptor; the lock is released
    // when the last descriptor of this open file is closed.
    let status = unsafe { libc::flock(file.as_raw_fd(), libc::LOCK_EX | libc::LOCK_NB) };
    if status == 0 {
        return Ok(());
    }
    let error = io::Error::last_os_error();
    if error.raw_os_error() == Some(libc::EWOULDBLOCK) {
        Err(EraseError::InUse {
            path: path.to_owned(),
            holder: "another erasure".to_owned(),
        })
    } else {
        Err(EraseError::Io {
            action: "could not lock",
            path: path.to_owned(),
            source: error,
        })
    }
}

/// The size of a block device, from the kernel (BLKGETSIZE64).
fn block_device_size(file: &File) -> io::Result<u64> {
    // _IOR(0x12, 114, size_t)
    const BLKGETSIZE64: libc::c_ulong = 0x8008_1272;
    let mut size: u64 = 0;
    // SAFETY: the ioctl writes one u64 into `size`, which outlives the call.
    let status = unsafe { libc::ioctl(file.as_raw_fd(), BLKGETSIZE64 as _, &mut size) };
    if status != 0 {
        return Err(io::Error::last_os_error());
    }
    Ok(size)
}
