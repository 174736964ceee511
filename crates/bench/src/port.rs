//! The serial port as a non-blocking file descriptor under tokio's reactor.
//!
//! `serialport` does the termios work (115200 8N1, raw, no flow control, exclusive); we then
//! take its descriptor and switch it to non-blocking so one reactor can watch every bench of a
//! station without a thread or a poll loop per port.

use std::io;
use std::os::fd::{AsRawFd, FromRawFd, IntoRawFd, OwnedFd, RawFd};
use std::path::Path;

use serialport::{DataBits, FlowControl, Parity, StopBits};
use tokio::io::unix::AsyncFd;
use tokio::io::Interest;

const BAUD_RATE: u32 = 115_200;

/// An open, exclusively held tty.
pub(crate) struct Tty(OwnedFd);

impl AsRawFd for Tty {
    fn as_raw_fd(&self) -> RawFd {
        self.0.as_raw_fd()
    }
}

impl Drop for Tty {
    fn drop(&mut self) {
        // TIOCEXCL outlives our descriptor on some drivers; clear it so the next opener (us
        // after a replug, or a service tool) is not locked out. Failure only means the device
        // is already gone.
        // SAFETY: the descriptor is open until `self.0` drops after this body, and TIOCNXCL
        // takes no argument.
        unsafe {
            libc::ioctl(self.0.as_raw_fd(), libc::TIOCNXCL);
        }
    }
}

pub(crate) type SerialFd = AsyncFd<Tty>;

/// Opens and configures the port off the runtime's threads (opening a USB-serial device can
/// block for a while), then registers it with the reactor.
pub(crate) async fn open(path: &Path) -> io::Result<SerialFd> {
    let owned_path = path.to_path_buf();
    let tty = tokio::task::spawn_blocking(move || open_blocking(&owned_path))
        .await
        .map_err(io::Error::other)??;
    // SAFETY: `Tty` owns its descriptor, keeps it open until it is dropped together with the
    // `AsyncFd`, and `as_raw_fd` always returns that same descriptor.
    unsafe { AsyncFd::register_with_interest(tty, Interest::READABLE | Interest::WRITABLE) }
        .map_err(io::Error::from)
}

fn open_blocking(path: &Path) -> io::Result<Tty> {
    let name = path.to_str().ok_or_else(|| {
        io::Error::new(
            io::ErrorKind::InvalidInput,
            "the port path is not valid UTF-8; use a path made of plain characters",
        )
    })?;
    let port = serialport::new(name, BAUD_RATE)
        .data_bits(DataBits::Eight)
        .parity(Parity::None)
        .stop_bits(StopBits::One)
        .flow_control(FlowControl::None)
        .open_native()
        .map_err(io::Error::from)?;
    // SAFETY: `into_raw_fd` hands over sole ownership of an open descriptor.
    let tty = Tty(unsafe { OwnedFd::from_raw_fd(port.into_raw_fd()) });
    set_nonblocking(tty.as_raw_fd())?;
    // Bytes queued before we opened belong to no request of ours and may be half a line.
    // SAFETY: plain syscall on a descriptor we own.
    unsafe {
        libc::tcflush(tty.as_raw_fd(), libc::TCIFLUSH);
    }
    Ok(tty)
}

fn set_nonblocking(fd: RawFd) -> io::Result<()> {
    // SAFETY: fcntl on a descriptor we own, with integer arguments only.
    let flags = unsafe { libc::fcntl(fd, libc::F_GETFL) };
    if flags < 0 {
        return Err(io::Error::last_os_error());
    }
    // SAFETY: as above.
    if unsafe { libc::fcntl(fd, libc::F_SETFL, flags | libc::O_NONBLOCK) } < 0 {
        return Err(io::Error::last_os_error());
    }
    Ok(())
}

/// One non-blocking `read`; `WouldBlock` tells the reactor to wait for the next readiness.
pub(crate) fn read_some(tty: &Tty, buffer: &mut [u8]) -> io::Result<usize> {
    retry_interrupted(|| {
        // SAFETY: the buffer is valid for `buffer.len()` writable bytes.
        unsafe { libc::read(tty.as_raw_fd(), buffer.as_mut_ptr().cast(), buffer.len()) }
    })
}

/// One non-blocking `write`; may write fewer bytes than given.
pub(crate) fn write_some(tty: &Tty, bytes: &[u8]) -> io::Result<usize> {
    retry_interrupted(|| {
        // SAFETY: the slice is valid for `bytes.len()` readable bytes.
        unsafe { libc::write(tty.as_raw_fd(), bytes.as_ptr().cast(), bytes.len()) }
    })
}

/// A signal landing mid-syscall says nothing about the port, so such a call is simply redone.
fn retry_interrupted(mut syscall: impl FnMut() -> isize) -> io::Result<usize> {
    loop {
        match usize::try_from(syscall()) {
            Ok(count) => return Ok(count),
            Err(_) => {
                let error = io::Error::last_os_error();
                if error.kind() != io::ErrorKind::Interrupted {
                    return Err(error);
                }
            }
        }
    }
}
