//! Talking to a phone's adb daemon ourselves, without the adb server: the host's half of the
//! device protocol over a [`Link`], which is a TCP connection (a phone on wireless debugging,
//! `adb tcpip`, an emulator) or the phone's ADB interface on USB ([`UsbLink`]).
//!
//! Connecting, message by message:
//! 1. we send `CNXN(version, max payload, "host::")`;
//! 2. a phone that asks who we are sends `AUTH(TOKEN, 20 random bytes)`; we answer with the token
//!    signed by the workstation's key (`AUTH(SIGNATURE)`);
//! 3. a phone that does not know the key sends another token; we then offer the public key
//!    (`AUTH(RSA_PUBLIC_KEY)`), which puts "Allow USB debugging?" on its screen, and wait for the
//!    owner to accept (the phone's `CNXN`) for at most the prompt's wait;
//! 4. the phone's `CNXN` carries its banner (`device::ro.product.model=…;`) and its largest
//!    payload: the connection is online.
//!
//! Every message we send carries its payload checksum, so a phone of either protocol version
//! takes it; received checksums are not checked (version 2 daemons leave them out, and TCP and
//! USB bulk transfers are checked below us).
//!
//! A shell command is one stream: `OPEN(local id, 0, "shell:COMMAND")`, the phone's
//! `OKAY(remote id, local id)`, its output in `WRTE` messages that we acknowledge with `OKAY`,
//! and `CLSE`, which we answer with our own. A phone that refuses the service answers the `OPEN`
//! with `CLSE` straight away.

use std::io::Write;
use std::net::{SocketAddr, TcpStream};
use std::time::{Duration, Instant};

use crate::banner::Banner;
use crate::key::{AdbKey, KeyError};
use crate::message::{
    read_message, Command, Message, AUTH_RSA_PUBLIC_KEY, AUTH_SIGNATURE, AUTH_TOKEN, MAX_PAYLOAD,
    VERSION_SKIP_CHECKSUM,
};

/// A two-way channel carrying whole messages to and from one phone.
pub trait Link {
    /// Sends one message.
    fn send(&mut self, message: &Message) -> std::io::Result<()>;
    /// Waits at most `timeout` for the next message; `Ok(None)` when the phone closed the link.
    /// A timeout is an error of kind `TimedOut` or `WouldBlock`.
    fn receive(&mut self, timeout: Duration, max_payload: u32) -> std::io::Result<Option<Message>>;
    /// What the link reaches, for messages (`tcp:127.0.0.1:5555`, `usb:1-4`).
    fn describe(&self) -> String;
}

/// A phone reached over TCP.
pub struct TcpLink {
    stream: TcpStream,
    address: SocketAddr,
}

impl TcpLink {
    pub fn connect(address: SocketAddr, timeout: Duration) -> std::io::Result<Self> {
        let stream = TcpStream::connect_timeout(&address, timeout)?;
        stream.set_nodelay(true)?;
        Ok(Self { stream, address })
    }
}

impl Link for TcpLink {
    fn send(&mut self, message: &Message) -> std::io::Result<()> {
        self.stream.write_all(&message.encode())
    }

    fn receive(&mut self, timeout: Duration, max_payload: u32) -> std::io::Result<Option<Message>> {
        self.stream
            .set_read_timeout(Some(timeout.max(Duration::from_millis(1))))?;
        read_message(&mut self.stream, max_payload, false).map_err(|error| match error {
            crate::message::ReadError::Io(io) => io,
            decode => std::io::Error::new(std::io::ErrorKind::InvalidData, decode.to_string()),
        })
    }

    fn describe(&self) -> String {
        format!("tcp:{}", self.address)
    }
}

/// A phone's ADB interface on USB, claimed through libusb: each message is its 24-byte header in
/// one bulk transfer and its payload in the next, as adb's own USB transport sends them.
pub struct UsbLink {
    handle: rusb::DeviceHandle<rusb::Context>,
    interface: u8,
    endpoint_in: u8,
    endpoint_out: u8,
    /// The OUT endpoint's packet size: a payload that fills whole packets is followed by an
    /// empty packet, so the phone sees where it ends.
    packet_out: usize,
    describe: String,
}

impl UsbLink {
    /// Opens the device at `bus`/`address` and claims its ADB interface (class 0xff, subclass
    /// 0x42, protocol 0x01).
    pub fn open(bus: u8, address: u8) -> Result<Self, UsbLinkError> {
        use rusb::UsbContext;
        let context = rusb::Context::new().map_err(UsbLinkError::Usb)?;
        let device = context
            .devices()
            .map_err(UsbLinkError::Usb)?
            .iter()
            .find(|d| d.bus_number() == bus && d.address() == address)
            .ok_or(UsbLinkError::NotFound { bus, address })?;
        let config = device
            .active_config_descriptor()
            .map_err(UsbLinkError::Usb)?;
        let mut found = None;
        for interface in config.interfaces() {
            for setting in interface.descriptors() {
                if (
                    setting.class_code(),
                    setting.sub_class_code(),
                    setting.protocol_code(),
                ) != (0xff, 0x42, 0x01)
                {
                    continue;
                }
                let mut endpoint_in = None;
                let mut endpoint_out = None;
                for endpoint in setting.endpoint_descriptors() {
                    if endpoint.transfer_type() != rusb::TransferType::Bulk {
                        continue;
                    }
                    match endpoint.direction() {
                        rusb::Direction::In => endpoint_in = Some(endpoint.address()),
                        rusb::Direction::Out => {
                            endpoint_out =
                                Some((endpoint.address(), endpoint.max_packet_size() as usize))
                        }
                    }
                }
                if let (Some(i), Some((o, packet))) = (endpoint_in, endpoint_out) {
                    found = Some((setting.interface_number(), i, o, packet));
                }
            }
        }
        let (interface, endpoint_in, endpoint_out, packet_out) =
            found.ok_or(UsbLinkError::NoAdbInterface { bus, address })?;
        let handle = device.open().map_err(|error| match error {
            rusb::Error::Access => UsbLinkError::Permission { bus, address },
            other => UsbLinkError::Usb(other),
        })?;
        handle
            .claim_interface(interface)
            .map_err(|error| match error {
                rusb::Error::Busy => UsbLinkError::Busy { bus, address },
                other => UsbLinkError::Usb(other),
            })?;
        Ok(Self {
            handle,
            interface,
            endpoint_in,
            endpoint_out,
            packet_out: packet_out.max(1),
            describe: format!("usb:{bus}-{address}"),
        })
    }

    fn write_all(&self, bytes: &[u8]) -> std::io::Result<()> {
        let mut written = 0;
        while written < bytes.len() {
            written += self
                .handle
                .write_bulk(self.endpoint_out, &bytes[written..], Duration::from_secs(5))
                .map_err(usb_io)?;
        }
        Ok(())
    }

    fn read_exact(&self, buffer: &mut [u8], deadline: Instant) -> std::io::Result<usize> {
        let mut filled = 0;
        while filled < buffer.len() {
            let left = deadline.saturating_duration_since(Instant::now());
            if left.is_zero() {
                return Err(std::io::ErrorKind::TimedOut.into());
            }
            filled += self
                .handle
                .read_bulk(self.endpoint_in, &mut buffer[filled..], left)
                .map_err(usb_io)?;
        }
        Ok(filled)
    }
}

impl Drop for UsbLink {
    fn drop(&mut self) {
        let _ = self.handle.release_interface(self.interface);
    }
}

impl Link for UsbLink {
    fn send(&mut self, message: &Message) -> std::io::Result<()> {
        self.write_all(&message.header().encode())?;
        if !message.payload.is_empty() {
            self.write_all(&message.payload)?;
            if message.payload.len().is_multiple_of(self.packet_out) {
                self.handle
                    .write_bulk(self.endpoint_out, &[], Duration::from_secs(5))
                    .map_err(usb_io)?;
            }
        }
        Ok(())
    }

    fn receive(&mut self, timeout: Duration, max_payload: u32) -> std::io::Result<Option<Message>> {
        let deadline = Instant::now() + timeout;
        let mut head = [0u8; crate::message::HEADER_BYTES];
        match self.read_exact(&mut head, deadline) {
            Err(error) if error.kind() == std::io::ErrorKind::NotConnected => return Ok(None),
            other => other?,
        };
        let header = crate::message::Header::decode(&head);
        let command = header
            .check(max_payload)
            .map_err(|e| std::io::Error::new(std::io::ErrorKind::InvalidData, e.to_string()))?;
        let mut payload = vec![0u8; header.data_length as usize];
        // The rest of a message follows at once: its payload gets time of its own.
        self.read_exact(
            &mut payload,
            Instant::now().max(deadline) + Duration::from_secs(5),
        )?;
        Ok(Some(Message {
            command,
            arg0: header.arg0,
            arg1: header.arg1,
            payload,
        }))
    }

    fn describe(&self) -> String {
        self.describe.clone()
    }
}

fn usb_io(error: rusb::Error) -> std::io::Error {
    use std::io::ErrorKind;
    let kind = match error {
        rusb::Error::Timeout => ErrorKind::TimedOut,
        rusb::Error::NoDevice | rusb::Error::NotFound | rusb::Error::Pipe => {
            ErrorKind::NotConnected
        }
        rusb::Error::Access => ErrorKind::PermissionDenied,
        _ => ErrorKind::Other,
    };
    std::io::Error::new(kind, error.to_string())
}

/// Why a phone's USB interface cannot be used.
#[derive(Debug, thiserror::Error)]
pub enum UsbLinkError {
    #[error("no USB device at bus {bus} address {address} (it was unplugged?)")]
    NotFound { bus: u8, address: u8 },
    #[error("the USB device at bus {bus} address {address} has no ADB interface: turn on USB debugging in the phone's developer options")]
    NoAdbInterface { bus: u8, address: u8 },
    #[error("no permission to open the USB device at bus {bus} address {address}: install the udev rule assets/udev/70-refurbdesk-usb.rules and plug the phone again")]
    Permission { bus: u8, address: u8 },
    #[error("the ADB interface of the USB device at bus {bus} address {address} is held by another program (an adb server?): stop it with `adb kill-server`")]
    Busy { bus: u8, address: u8 },
    #[error("USB: {0}")]
    Usb(rusb::Error),
}

/// How long each step of a connection may take.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Timeouts {
    /// Each answer of the phone.
    pub answer: Duration,
    /// The owner's answer to "Allow USB debugging?" once the key has been offered.
    pub prompt: Duration,
}

impl Default for Timeouts {
    fn default() -> Self {
        Self {
            answer: Duration::from_secs(5),
            prompt: Duration::from_secs(30),
        }
    }
}

/// Why talking to a phone directly failed.
#[derive(Debug, thiserror::Error)]
pub enum DirectError {
    #[error("{device} has not accepted this computer: accept the USB debugging prompt on the phone (tick \"Always allow from this computer\") and try again")]
    Unauthorized { device: String },
    #[error("{device} went away (the link closed)")]
    Gone { device: String },
    #[error("{device} did not answer within {seconds} s while {waiting_for}")]
    Timeout {
        device: String,
        seconds: u64,
        waiting_for: &'static str,
    },
    #[error("{device} refused the service {service}")]
    Refused { device: String, service: String },
    #[error("{device} broke the ADB protocol: {problem}")]
    Protocol { device: String, problem: String },
    #[error("{device}: {source}")]
    Io {
        device: String,
        #[source]
        source: std::io::Error,
    },
    #[error(transparent)]
    Key(#[from] KeyError),
}

impl DirectError {
    /// Whether the phone went away (and so, during a reading, was unplugged).
    pub fn is_gone(&self) -> bool {
        matches!(self, DirectError::Gone { .. })
    }
}

/// How a connection was authenticated.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Authentication {
    /// The phone did not ask (debugging builds, emulators, `ro.adb.secure=0`).
    NotAsked,
    /// The phone already trusted the workstation's key.
    Signature,
    /// The owner accepted the key on the phone's screen.
    Accepted,
}

/// An online connection to one phone's adb daemon.
pub struct DirectDevice<L: Link> {
    link: L,
    device: String,
    banner: Banner,
    max_payload: u32,
    next_local: u32,
    timeouts: Timeouts,
    authentication: Authentication,
}

impl<L: Link> DirectDevice<L> {
    /// Connects and authenticates with `key`, offered under `name` (`user@host`) if the phone
    /// does not know it yet.
    pub fn connect(
        mut link: L,
        key: &AdbKey,
        name: &str,
        timeouts: Timeouts,
    ) -> Result<Self, DirectError> {
        let device = link.describe();
        let io = |source: std::io::Error| DirectError::Io {
            device: device.clone(),
            source,
        };
        link.send(&Message::new(
            Command::Connect,
            VERSION_SKIP_CHECKSUM,
            MAX_PAYLOAD,
            b"host::\0".to_vec(),
        ))
        .map_err(io)?;
        let mut signed = false;
        let mut offered_at: Option<Instant> = None;
        loop {
            let wait = match offered_at {
                Some(at) => timeouts.prompt.saturating_sub(at.elapsed()),
                None => timeouts.answer,
            };
            let message = match link.receive(wait, MAX_PAYLOAD) {
                Ok(Some(message)) => message,
                Ok(None) => return Err(DirectError::Gone { device }),
                Err(error) if is_timeout(&error) => {
                    return Err(match offered_at {
                        Some(_) => DirectError::Unauthorized { device },
                        None => DirectError::Timeout {
                            device,
                            seconds: timeouts.answer.as_secs(),
                            waiting_for: "connecting",
                        },
                    })
                }
                Err(error) if is_gone(&error) => return Err(DirectError::Gone { device }),
                Err(error) => return Err(io(error)),
            };
            match (message.command, message.arg0) {
                (Command::Connect, _) => {
                    let authentication = match (signed, offered_at) {
                        (_, Some(_)) => Authentication::Accepted,
                        (true, None) => Authentication::Signature,
                        (false, None) => Authentication::NotAsked,
                    };
                    return Ok(Self {
                        banner: Banner::parse(&message.payload_text()),
                        max_payload: message.arg1.clamp(1, MAX_PAYLOAD),
                        link,
                        device,
                        next_local: 1,
                        timeouts,
                        authentication,
                    });
                }
                (Command::Auth, AUTH_TOKEN) if !signed => {
                    let signature = key.sign_token(&message.payload)?;
                    link.send(&Message::new(Command::Auth, AUTH_SIGNATURE, 0, signature))
                        .map_err(io)?;
                    signed = true;
                }
                (Command::Auth, AUTH_TOKEN) if offered_at.is_none() => {
                    let mut offer = key.public_key_line(name).into_bytes();
                    offer.push(0);
                    link.send(&Message::new(Command::Auth, AUTH_RSA_PUBLIC_KEY, 0, offer))
                        .map_err(io)?;
                    offered_at = Some(Instant::now());
                }
                // A phone may send tokens while its owner decides; keep waiting.
                (Command::Auth, AUTH_TOKEN) => {}
                (other, arg0) => {
                    return Err(DirectError::Protocol {
                        device,
                        problem: format!("{other} ({arg0:#x}) while connecting"),
                    })
                }
            }
        }
    }

    /// What the phone said of itself when it came online.
    pub fn banner(&self) -> &Banner {
        &self.banner
    }

    /// How this connection was authenticated.
    pub fn authentication(&self) -> Authentication {
        self.authentication
    }

    /// What the link reaches (`tcp:…`, `usb:…`).
    pub fn device(&self) -> &str {
        &self.device
    }

    /// Runs `command` in the phone's shell and returns everything it printed.
    pub fn shell(&mut self, command: &str) -> Result<Vec<u8>, DirectError> {
        let service = format!("shell:{command}");
        let local = self.next_local;
        self.next_local = self.next_local.wrapping_add(1).max(1);
        let mut open = service.clone().into_bytes();
        open.push(0);
        self.send(Message::new(Command::Open, local, 0, open))?;
        let mut remote = 0u32;
        let mut output = Vec::new();
        loop {
            let message = self.receive("running a shell command")?;
            // Late messages of earlier streams are not this one's.
            if message.arg1 != local {
                continue;
            }
            match message.command {
                Command::Okay => remote = message.arg0,
                Command::Write => {
                    if remote == 0 {
                        remote = message.arg0;
                    }
                    output.extend_from_slice(&message.payload);
                    self.send(Message::new(Command::Okay, local, remote, Vec::new()))?;
                }
                Command::Close if remote == 0 => {
                    return Err(DirectError::Refused {
                        device: self.device.clone(),
                        service,
                    })
                }
                Command::Close => {
                    self.send(Message::new(Command::Close, local, remote, Vec::new()))?;
                    return Ok(output);
                }
                other => {
                    return Err(DirectError::Protocol {
                        device: self.device.clone(),
                        problem: format!("{other} in a shell stream"),
                    })
                }
            }
        }
    }

    fn send(&mut self, message: Message) -> Result<(), DirectError> {
        self.link.send(&message).map_err(|source| {
            if is_gone(&source) {
                DirectError::Gone {
                    device: self.device.clone(),
                }
            } else {
                DirectError::Io {
                    device: self.device.clone(),
                    source,
                }
            }
        })
    }

    fn receive(&mut self, waiting_for: &'static str) -> Result<Message, DirectError> {
        match self.link.receive(self.timeouts.answer, self.max_payload) {
            Ok(Some(message)) => Ok(message),
            Ok(None) => Err(DirectError::Gone {
                device: self.device.clone(),
            }),
            Err(error) if is_timeout(&error) => Err(DirectError::Timeout {
                device: self.device.clone(),
                seconds: self.timeouts.answer.as_secs(),
                waiting_for,
            }),
            Err(error) if is_gone(&error) => Err(DirectError::Gone {
                device: self.device.clone(),
            }),
            Err(source) => Err(DirectError::Io {
                device: self.device.clone(),
                source,
            }),
        }
    }
}

fn is_timeout(error: &std::io::Error) -> bool {
    matches!(
        error.kind(),
        std::io::ErrorKind::TimedOut | std::io::ErrorKind::WouldBlock
    )
}

fn is_gone(error: &std::io::Error) -> bool {
    use std::io::ErrorKind;
    matches!(
        error.kind(),
        ErrorKind::UnexpectedEof
            | ErrorKind::ConnectionReset
            | ErrorKind::ConnectionAborted
            | ErrorKind::BrokenPipe
            | ErrorKind::NotConnected
    )
}
