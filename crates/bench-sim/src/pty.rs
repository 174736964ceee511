//! The bench's end of the serial line: a pseudo-terminal whose slave side the host opens through
//! a symlink, the way it would open `/dev/ttyACM0`.

use std::io::{self, Read, Write};
use std::os::fd::{AsFd, BorrowedFd, OwnedFd};
use std::path::{Path, PathBuf};
use std::time::{Duration, Instant};

use nix::fcntl::{fcntl, open, FcntlArg, OFlag};
use nix::poll::{poll, PollFd, PollFlags, PollTimeout};
use nix::pty::{grantpt, posix_openpt, ptsname_r, unlockpt, PtyMaster};
use nix::sys::stat::Mode;
use nix::sys::termios::{cfmakeraw, tcgetattr, tcsetattr, SetArg};

use crate::SimError;

/// How long one line may wait for room in the PTY before it is thrown away. A host that stops
/// reading must not stall the bench's clock.
const WRITE_PATIENCE: Duration = Duration::from_millis(100);

pub(crate) struct Pty {
    master: PtyMaster,
    /// Held open so the PTY stays alive and keeps its raw settings while no host has it open.
    _slave: OwnedFd,
    device: PathBuf,
    /// Set after a line could not be written in time; later lines then do not wait at all
    /// until one goes through.
    stalled: bool,
}

impl Pty {
    /// A new PTY pair with the slave in raw mode (no echo, no line editing, no CR/LF mapping).
    pub(crate) fn open() -> Result<Pty, SimError> {
        let step = |step: &'static str| move |source| SimError::Pty { step, source };
        let master = posix_openpt(OFlag::O_RDWR | OFlag::O_NOCTTY | OFlag::O_CLOEXEC)
            .map_err(step("posix_openpt"))?;
        grantpt(&master).map_err(step("grantpt"))?;
        unlockpt(&master).map_err(step("unlockpt"))?;
        let device = ptsname_r(&master).map_err(step("ptsname"))?;
        let slave = open(
            device.as_str(),
            OFlag::O_RDWR | OFlag::O_NOCTTY | OFlag::O_CLOEXEC,
            Mode::empty(),
        )
        .map_err(step("open slave"))?;
        let mut termios = tcgetattr(&slave).map_err(step("tcgetattr"))?;
        cfmakeraw(&mut termios);
        tcsetattr(&slave, SetArg::TCSANOW, &termios).map_err(step("tcsetattr"))?;
        fcntl(&master, FcntlArg::F_SETFL(OFlag::O_NONBLOCK)).map_err(step("set non-blocking"))?;
        Ok(Pty {
            master,
            _slave: slave,
            device: PathBuf::from(device),
            stalled: false,
        })
    }

    pub(crate) fn device(&self) -> &Path {
        &self.device
    }

    pub(crate) fn fd(&self) -> BorrowedFd<'_> {
        self.master.as_fd()
    }

    /// Non-blocking: `WouldBlock` when nothing is waiting.
    pub(crate) fn read(&mut self, buffer: &mut [u8]) -> io::Result<usize> {
        self.master.read(buffer)
    }

    /// Writes a whole line, waiting at most [`WRITE_PATIENCE`] for room.
    pub(crate) fn write_line(&mut self, line: &[u8]) -> io::Result<()> {
        let deadline = Instant::now() + WRITE_PATIENCE;
        let mut written = 0;
        while written < line.len() {
            match self.master.write(&line[written..]) {
                Ok(0) => return Err(io::ErrorKind::WriteZero.into()),
                Ok(count) => written += count,
                Err(error) if error.kind() == io::ErrorKind::Interrupted => {}
                Err(error) if error.kind() == io::ErrorKind::WouldBlock => {
                    let left = deadline.saturating_duration_since(Instant::now());
                    if self.stalled || left.is_zero() || !self.wait_writable(left)? {
                        self.stalled = true;
                        return Err(io::ErrorKind::TimedOut.into());
                    }
                }
                Err(error) => return Err(error),
            }
        }
        self.stalled = false;
        Ok(())
    }

    fn wait_writable(&self, within: Duration) -> io::Result<bool> {
        let mut fds = [PollFd::new(self.master.as_fd(), PollFlags::POLLOUT)];
        let timeout = PollTimeout::try_from(within).unwrap_or(PollTimeout::MAX);
        match poll(&mut fds, timeout) {
            Ok(ready) => Ok(ready > 0),
            Err(nix::errno::Errno::EINTR) => Ok(true),
            Err(errno) => Err(errno.into()),
        }
    }
}

/// Points `link` at `target`, replacing an old symlink but never a file or folder.
pub(crate) fn place_link(link: &Path, target: &Path) -> Result<(), SimError> {
    match std::fs::symlink_metadata(link) {
        Ok(metadata) if metadata.file_type().is_symlink() => {
            std::fs::remove_file(link).map_err(|source| SimError::Link {
                link: link.to_owned(),
                target: target.to_owned(),
                source,
            })?;
        }
        Ok(_) => {
            return Err(SimError::LinkInTheWay {
                link: link.to_owned(),
            })
        }
        Err(error) if error.kind() == io::ErrorKind::NotFound => {}
        Err(source) => {
            return Err(SimError::Link {
                link: link.to_owned(),
                target: target.to_owned(),
                source,
            })
        }
    }
    std::os::unix::fs::symlink(target, link).map_err(|source| SimError::Link {
        link: link.to_owned(),
        target: target.to_owned(),
        source,
    })
}

/// Removes `link` if it still points at `target`; a link someone else has since re-pointed is
/// theirs.
pub(crate) fn remove_link(link: &Path, target: &Path) {
    if std::fs::read_link(link).is_ok_and(|current| current == target) {
        if let Err(error) = std::fs::remove_file(link) {
            tracing::warn!(link = %link.display(), %error, "could not remove the bench link");
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn bytes_written_on_the_master_arrive_unchanged_on_the_slave() {
        let mut pty = Pty::open().expect("a PTY");
        let mut host = std::fs::OpenOptions::new()
            .read(true)
            .write(true)
            .open(pty.device())
            .expect("open the slave");
        // Raw mode: no `\n` → `\r\n`, and no echo of what the host writes.
        pty.write_line(b"1 OK*00\r\n").expect("write");
        let mut received = [0u8; 9];
        host.read_exact(&mut received).expect("read");
        assert_eq!(&received, b"1 OK*00\r\n");
        host.write_all(b"2 PING*XX\n").expect("host write");
        std::thread::sleep(Duration::from_millis(20));
        let mut buffer = [0u8; 64];
        let count = pty.read(&mut buffer).expect("read on master");
        assert_eq!(&buffer[..count], b"2 PING*XX\n");
    }

    #[test]
    fn link_replaces_symlinks_but_not_files() {
        let folder = tempfile::tempdir().expect("temp dir");
        let link = folder.path().join("ttyBENCH0");
        place_link(&link, Path::new("/nonexistent/a")).expect("fresh link");
        place_link(&link, Path::new("/nonexistent/b")).expect("replaces a stale link");
        assert_eq!(
            std::fs::read_link(&link).ok(),
            Some(PathBuf::from("/nonexistent/b"))
        );
        remove_link(&link, Path::new("/nonexistent/a"));
        assert!(
            std::fs::symlink_metadata(&link).is_ok(),
            "not ours to remove"
        );
        remove_link(&link, Path::new("/nonexistent/b"));
        assert!(std::fs::symlink_metadata(&link).is_err());

        std::fs::write(&link, b"precious").expect("a regular file");
        assert!(matches!(
            place_link(&link, Path::new("/nonexistent/c")),
            Err(SimError::LinkInTheWay { .. })
        ));
        assert_eq!(std::fs::read(&link).ok(), Some(b"precious".to_vec()));
    }
}
