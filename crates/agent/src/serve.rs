//! The laptop as a one-slot bench (`refurbdesk agent --serve-serial PORT`): on a USB-serial
//! cable to the workstation, the agent answers Bench Protocol v1 for the laptop it runs on, so
//! the workstation reads it like any bench (`intake --port`, the station).
//!
//! The answers are the simulated benches' ([`Responder`]): the same reading of host lines, the
//! same slot checks and errors. What the slot holds is this laptop as sysfs shows it
//! ([`bench_profile`]), read again at every `HELLO`, the first request of a host that opens the
//! port, so a reconnecting workstation gets fresh figures. What could not be read is left out of
//! the reply, which the protocol reads as "not known"; the locks are `unknown` (not read over
//! sysfs); there are no tests to run and no erase to do (`UNSUPPORTED`).

use std::fs::File;
use std::io::{self, Read, Write};
use std::os::fd::AsFd;
use std::path::{Path, PathBuf};
use std::sync::atomic::{AtomicBool, Ordering};
use std::time::{Duration, Instant};

use nix::fcntl::OFlag;
use nix::poll::{poll, PollFd, PollFlags, PollTimeout};
use nix::sys::stat::Mode;
use nix::sys::termios::{
    cfmakeraw, cfsetspeed, tcflush, tcgetattr, tcsetattr, BaudRate, ControlFlags, FlushArg, SetArg,
};
use refurbdesk_bench_protocol::{ErrorCode, LineError, LineSplitter, ResponseBody};
use refurbdesk_bench_sim::{
    BatteryFields, BenchIdentity, DeviceProfile, IdentFields, LockFields, Reply, Responder,
    Scenario,
};

use crate::LaptopReading;

/// The bench's vendor in its `HELLO` reply.
pub const BENCH_VENDOR: &str = "Refurbdesk";
/// The bench's model in its `HELLO` reply.
pub const BENCH_MODEL: &str = "laptop agent";
/// The bench's serial when none is given: the one every laptop agent's intake records.
pub const DEFAULT_BENCH_SERIAL: &str = "laptop-agent";

/// How long the port is watched before the stop flag is looked at again.
const STOP_POLL: Duration = Duration::from_millis(100);
/// After the port went away, how often it is tried again.
const REOPEN_EVERY: Duration = Duration::from_millis(500);
/// How long one line may wait for room on the port before it is dropped (a host that stopped
/// reading must not hang the agent).
const WRITE_PATIENCE: Duration = Duration::from_millis(1000);
const READ_CHUNK: usize = 4096;

/// What the one slot holds: the laptop's identity, battery and locks as Bench Protocol v1 fields.
pub fn bench_profile(reading: &LaptopReading) -> DeviceProfile {
    let (make, model, model_code) = reading.make_model();
    let ident = IdentFields {
        category: Some("laptop".to_owned()),
        make,
        model,
        model_code,
        serial: reading.dmi.product_serial.clone(),
        storage_gb: reading.storage_gb().map(|gb| gb.to_string()),
        ..IdentFields::default()
    };
    let battery = reading.battery_reading();
    let figure = |value: Option<u32>| value.map(|v| v.to_string());
    let battery = BatteryFields {
        present: battery
            .present
            .map(|present| if present { "yes" } else { "no" }.to_owned()),
        design_mah: figure(battery.design_mah),
        full_mah: figure(battery.full_mah),
        design_mwh: figure(battery.design_mwh),
        full_mwh: figure(battery.full_mwh),
        cycles: figure(battery.cycles),
        soh_pct: None,
        temp_c: None,
        voltage_mv: figure(battery.voltage_mv),
        source: battery.source,
    };
    let unknown = || Some("unknown".to_owned());
    DeviceProfile {
        slot: 1,
        present: true,
        ident,
        battery: Some(battery),
        lock: Some(LockFields {
            activation: unknown(),
            account: unknown(),
            mdm: unknown(),
            carrier: unknown(),
        }),
        tests: Vec::new(),
        erase: None,
        expect: None,
    }
}

/// The one-slot bench `bench_serial` holding this laptop.
pub fn bench_scenario(reading: &LaptopReading, bench_serial: &str) -> Scenario {
    let bench = BenchIdentity {
        vendor: BENCH_VENDOR.to_owned(),
        model: BENCH_MODEL.to_owned(),
        serial: bench_serial.to_owned(),
        fw: env!("CARGO_PKG_VERSION").to_owned(),
        slots: 1,
    };
    Scenario::one_slot(&reading.sysfs_root, bench, bench_profile(reading))
}

/// Where the agent serves and what it reads.
#[derive(Debug, Clone)]
pub struct ServeOptions {
    /// The serial port: `/dev/ttyUSB0`, `/dev/ttyACM0`, a pseudo-terminal's slave.
    pub port: PathBuf,
    /// The sysfs tree to read (`/sys`).
    pub sysfs_root: PathBuf,
    /// The serial the bench gives in its `HELLO` reply.
    pub bench_serial: String,
}

/// What happens while serving, for the door to tell.
#[derive(Debug)]
pub enum Notice<'a> {
    /// The port is open and the laptop read: the agent answers from now on.
    Serving { reading: &'a LaptopReading },
    /// A host said `HELLO`: sysfs was read again.
    Hello { reading: &'a LaptopReading },
    /// The port went away (cable out, device gone); the agent tries it again.
    PortLost { error: &'a io::Error },
    /// The port is back.
    PortBack,
}

/// What the agent did while it served.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct ServeStats {
    /// Requests answered (lines answered `? ERR BAD_CRC` included).
    pub answered: u64,
    /// `HELLO`s, each of which read sysfs again.
    pub hellos: u64,
    /// Times the port went away.
    pub port_lost: u64,
}

/// Why the agent could not serve.
#[derive(Debug, thiserror::Error)]
pub enum ServeError {
    #[error(
        "cannot open the serial port {port}: {source}; check the cable and the path (ls \
         /dev/ttyUSB* /dev/ttyACM*), and that this user may open it (group dialout)"
    )]
    Open {
        port: PathBuf,
        #[source]
        source: io::Error,
    },
}

/// Serves the laptop on the port until `stop` is set. The port is opened first (an error if it
/// cannot be: a wrong path, not a serial port, no permission); once served, a port that goes
/// away is waited for and opened again.
pub fn serve(
    options: &ServeOptions,
    stop: &AtomicBool,
    mut notice: impl FnMut(Notice<'_>),
) -> Result<ServeStats, ServeError> {
    let mut port = Some(open_port(&options.port).map_err(|source| ServeError::Open {
        port: options.port.clone(),
        source,
    })?);
    let mut reading = crate::read(&options.sysfs_root);
    let mut responder = Responder::new(bench_scenario(&reading, &options.bench_serial));
    notice(Notice::Serving { reading: &reading });
    let mut stats = ServeStats::default();
    let mut splitter = LineSplitter::new();
    let mut buffer = vec![0u8; READ_CHUNK];
    while !stop.load(Ordering::Relaxed) {
        let Some(file) = port.as_mut() else {
            std::thread::sleep(REOPEN_EVERY.min(STOP_POLL * 5));
            if let Ok(file) = open_port(&options.port) {
                port = Some(file);
                splitter.reset();
                notice(Notice::PortBack);
            }
            continue;
        };
        let wait = responder
            .next_due()
            .map_or(STOP_POLL, |due| {
                due.saturating_duration_since(Instant::now())
            })
            .min(STOP_POLL);
        let readable = match wait_readable(file, wait) {
            Ok(readable) => readable,
            Err(error) => {
                stats.port_lost += 1;
                notice(Notice::PortLost { error: &error });
                port = None;
                continue;
            }
        };
        for event in responder.due_events(Instant::now()) {
            write_line(file, event.as_bytes());
        }
        if !readable {
            continue;
        }
        let count = match file.read(&mut buffer) {
            Ok(0) => Err(io::Error::new(
                io::ErrorKind::UnexpectedEof,
                "the port hung up",
            )),
            Ok(count) => Ok(count),
            Err(error) if error.kind() == io::ErrorKind::WouldBlock => continue,
            Err(error) if error.kind() == io::ErrorKind::Interrupted => continue,
            Err(error) => Err(error),
        };
        let count = match count {
            Ok(count) => count,
            Err(error) => {
                stats.port_lost += 1;
                notice(Notice::PortLost { error: &error });
                port = None;
                continue;
            }
        };
        let mut lines: Vec<Result<Vec<u8>, LineError>> = Vec::new();
        splitter.push(&buffer[..count], |line| {
            lines.push(line.map(<[u8]>::to_vec))
        });
        for line in lines {
            let Some(mut reply) = responder.answer(line.as_deref().map_err(Clone::clone)) else {
                continue;
            };
            stats.answered += 1;
            refuse_unknown_identity(&mut reply);
            if let Some(text) = reply.line() {
                write_line(file, text.as_bytes());
            }
            if reply.verb.as_deref() == Some("HELLO") && matches!(reply.body, ResponseBody::Ok(_)) {
                // A host (re)connected: what it reads next is the laptop as it is now.
                stats.hellos += 1;
                reading = crate::read(&options.sysfs_root);
                responder.replace_scenario(bench_scenario(&reading, &options.bench_serial));
                notice(Notice::Hello { reading: &reading });
            }
        }
    }
    Ok(stats)
}

/// `IDENT` must carry a make and a model (spec §4). When DMI gave neither, the bench says the
/// device could not be read (`ERR DEVICE`) instead of sending an identity without them.
fn refuse_unknown_identity(reply: &mut Reply) {
    if reply.verb.as_deref() != Some("IDENT") {
        return;
    }
    let ResponseBody::Ok(fields) = &reply.body else {
        return;
    };
    let missing: Vec<&str> = ["make", "model"]
        .into_iter()
        .filter(|key| fields.get(key).is_none())
        .collect();
    if missing.is_empty() {
        return;
    }
    reply.body = ResponseBody::Err {
        code: ErrorCode::Device,
        message: Some(format!(
            "the laptop's {} could not be read from DMI (class/dmi/id/sys_vendor, product_name, \
             product_version)",
            missing.join(" and ")
        )),
    };
}

/// Opens the port for reading and writing, as 115200 8N1, raw, no flow control (spec §1), and
/// drops what was waiting in it (half a line of nobody's).
fn open_port(path: &Path) -> io::Result<File> {
    let fd = nix::fcntl::open(
        path,
        OFlag::O_RDWR | OFlag::O_NOCTTY | OFlag::O_NONBLOCK | OFlag::O_CLOEXEC,
        Mode::empty(),
    )?;
    let mut termios = tcgetattr(&fd).map_err(|errno| {
        if errno == nix::errno::Errno::ENOTTY {
            io::Error::new(io::ErrorKind::InvalidInput, "it is not a serial port")
        } else {
            errno.into()
        }
    })?;
    cfmakeraw(&mut termios);
    cfsetspeed(&mut termios, BaudRate::B115200)?;
    termios.control_flags |= ControlFlags::CLOCAL | ControlFlags::CREAD;
    termios.control_flags &= !(ControlFlags::CSTOPB | ControlFlags::PARENB | ControlFlags::CRTSCTS);
    tcsetattr(&fd, SetArg::TCSANOW, &termios)?;
    tcflush(&fd, FlushArg::TCIFLUSH)?;
    Ok(File::from(fd))
}

/// Whether bytes wait on the port, after at most `within`; an error when it hung up.
fn wait_readable(file: &File, within: Duration) -> io::Result<bool> {
    let mut fds = [PollFd::new(file.as_fd(), PollFlags::POLLIN)];
    let millis = u16::try_from(within.as_millis().max(1)).unwrap_or(u16::MAX);
    match poll(&mut fds, PollTimeout::from(millis)) {
        Ok(0) => Ok(false),
        Ok(_) => {
            let events = fds[0].revents().unwrap_or(PollFlags::empty());
            if events.intersects(PollFlags::POLLIN) {
                // Read what is there; a hang-up shows as the read's error or end.
                Ok(true)
            } else if events
                .intersects(PollFlags::POLLHUP | PollFlags::POLLERR | PollFlags::POLLNVAL)
            {
                Err(io::Error::new(
                    io::ErrorKind::BrokenPipe,
                    "the port hung up",
                ))
            } else {
                Ok(false)
            }
        }
        Err(nix::errno::Errno::EINTR) => Ok(false),
        Err(errno) => Err(errno.into()),
    }
}

/// Writes one whole line, waiting at most [`WRITE_PATIENCE`] for room; a line that cannot go
/// out in time is dropped (the host asks again, spec §7).
fn write_line(file: &mut File, line: &[u8]) {
    let deadline = Instant::now() + WRITE_PATIENCE;
    let mut written = 0;
    while written < line.len() {
        match file.write(&line[written..]) {
            Ok(0) => return,
            Ok(count) => written += count,
            Err(error) if error.kind() == io::ErrorKind::Interrupted => {}
            Err(error) if error.kind() == io::ErrorKind::WouldBlock => {
                let left = deadline.saturating_duration_since(Instant::now());
                if left.is_zero() {
                    return;
                }
                let mut fds = [PollFd::new(file.as_fd(), PollFlags::POLLOUT)];
                let millis = u16::try_from(left.as_millis().max(1)).unwrap_or(u16::MAX);
                if poll(&mut fds, PollTimeout::from(millis)).is_err() {
                    return;
                }
            }
            Err(_) => return,
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use refurbdesk_bench_protocol::frame;

    fn fixture(name: &str) -> PathBuf {
        Path::new(env!("CARGO_MANIFEST_DIR"))
            .join("../../fixtures/sysfs")
            .join(name)
    }

    fn ask(responder: &mut Responder, body: &str) -> String {
        let line = frame(body).expect("framed");
        let mut reply = responder
            .answer(Ok(line.trim_end().as_bytes()))
            .expect("an answer");
        refuse_unknown_identity(&mut reply);
        reply.line().expect("a line")
    }

    #[test]
    fn the_slot_holds_the_laptop_in_the_protocols_units_and_unknowns_are_left_out() {
        let reading = crate::read(&fixture("laptop-energy"));
        let mut bench = Responder::new(bench_scenario(&reading, "agent-1"));
        let hello = ask(&mut bench, "1 HELLO");
        assert!(
            hello.starts_with(
                "1 OK proto=1 vendor=Refurbdesk model=\"laptop agent\" serial=agent-1 fw="
            ) && hello.contains(" slots=1*"),
            "{hello}"
        );
        assert!(ask(&mut bench, "2 SLOTS").starts_with("2 OK n=1 s1=occupied*"));
        let ident = ask(&mut bench, "3 IDENT 1");
        assert!(
            ident.starts_with(
                "3 OK category=laptop make=LENOVO model=\"ThinkPad T14 Gen 1\" \
                 model_code=20S0000AUS serial=PF2ABCDE storage_gb=512*"
            ),
            "{ident}"
        );
        // µWh → mWh, µV → mV; no soh_pct: the host computes it from the pair.
        let batt = ask(&mut bench, "4 BATT 1");
        assert!(
            batt.starts_with(
                "4 OK present=yes design_mwh=50500 full_mwh=41210 cycles=318 voltage_mv="
            ) && batt.contains(" source=sysfs:BAT0*"),
            "{batt}"
        );
        assert!(ask(&mut bench, "5 LOCK 1")
            .starts_with("5 OK activation=unknown account=unknown mdm=unknown carrier=unknown*"));
        assert!(ask(&mut bench, "6 TESTS 1").starts_with("6 OK names=\"\"*"));
        assert!(ask(&mut bench, "7 IDENT 2").starts_with("7 ERR NO_SLOT"));
        assert!(ask(&mut bench, "8 ERASE 1 factory_reset").starts_with("8 ERR UNSUPPORTED"));
        assert!(ask(&mut bench, "9 RUN 1 wifi").starts_with("9 ERR UNSUPPORTED"));
    }

    #[test]
    fn figures_that_could_not_be_read_are_not_sent_and_no_battery_is_present_no() {
        let reading = crate::read(&fixture("laptop-battery-unreadable"));
        let mut bench = Responder::new(bench_scenario(&reading, DEFAULT_BENCH_SERIAL));
        let batt = ask(&mut bench, "1 BATT 1");
        assert!(
            batt.starts_with("1 OK present=yes source=sysfs:BAT0*"),
            "no capacity, no cycles, never 0: {batt}"
        );
        let reading = crate::read(&fixture("laptop-no-battery"));
        let mut bench = Responder::new(bench_scenario(&reading, DEFAULT_BENCH_SERIAL));
        assert!(ask(&mut bench, "1 BATT 1").starts_with("1 OK present=no source=sysfs*"));
    }

    #[test]
    fn a_laptop_without_make_or_model_answers_ident_with_a_device_error() {
        let mut reading = crate::read(&fixture("laptop-charge"));
        reading.dmi.sys_vendor = None;
        let mut bench = Responder::new(bench_scenario(&reading, DEFAULT_BENCH_SERIAL));
        let ident = ask(&mut bench, "1 IDENT 1");
        assert!(
            ident.starts_with("1 ERR DEVICE \"the laptop's make could not be read"),
            "{ident}"
        );
    }

    #[test]
    fn a_path_that_is_not_a_serial_port_is_refused() {
        let error = open_port(&fixture("laptop-energy").join("class/dmi/id/sys_vendor"))
            .expect_err("a plain file");
        assert_eq!(error.kind(), io::ErrorKind::InvalidInput);
        assert!(open_port(Path::new("/nonexistent/ttyUSB9")).is_err());
    }
}
