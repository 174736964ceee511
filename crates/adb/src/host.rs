//! The adb server's host protocol, spoken over TCP (port 5037 unless `ANDROID_ADB_SERVER_PORT`
//! says otherwise): each request is its length in four hex digits followed by its text; the server
//! answers `OKAY` or `FAIL` followed by a length-prefixed reason. Some requests answer with a
//! length-prefixed text after `OKAY` (`host:devices`, `host:version`); `host:transport:<serial>`
//! turns the connection into a pipe to that device, on which one service request (`shell:…`) is
//! then made, whose output runs until the connection closes.

use std::io::{Read, Write};
use std::net::{SocketAddr, TcpStream};
use std::time::Duration;

/// The port the adb server listens on unless told otherwise.
pub const DEFAULT_SERVER_PORT: u16 = 5037;

/// The longest request the host protocol can carry (four hex digits of length).
pub const MAX_REQUEST: usize = 0xffff;

/// A request as it goes on the wire.
///
/// ```
/// use refurbdesk_adb::host::encode_request;
///
/// assert_eq!(encode_request("host:version").unwrap(), b"000chost:version".to_vec());
/// assert!(encode_request(&"x".repeat(70_000)).is_none());
/// ```
pub fn encode_request(request: &str) -> Option<Vec<u8>> {
    if request.len() > MAX_REQUEST {
        return None;
    }
    let mut bytes = format!("{:04x}", request.len()).into_bytes();
    bytes.extend_from_slice(request.as_bytes());
    Some(bytes)
}

/// Reads four hex digits of length.
///
/// ```
/// use refurbdesk_adb::host::parse_length;
///
/// assert_eq!(parse_length(b"001f"), Some(31));
/// assert_eq!(parse_length(b"00zz"), None);
/// ```
pub fn parse_length(digits: &[u8; 4]) -> Option<usize> {
    let text = std::str::from_utf8(digits).ok()?;
    usize::from_str_radix(text, 16).ok()
}

/// One line of `host:devices`: a serial and its state (`device`, `unauthorized`, `offline`…).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct DeviceEntry {
    pub serial: String,
    pub state: String,
}

/// Reads the text `host:devices` answers: one `serial<TAB>state` per line.
///
/// ```
/// use refurbdesk_adb::host::parse_devices;
///
/// let list = parse_devices("R58N12\tdevice\n127.0.0.1:5555\tunauthorized\n");
/// assert_eq!(list.len(), 2);
/// assert_eq!(list[1].state, "unauthorized");
/// ```
pub fn parse_devices(text: &str) -> Vec<DeviceEntry> {
    text.lines()
        .filter_map(|line| {
            let (serial, state) = line.split_once('\t')?;
            Some(DeviceEntry {
                serial: serial.to_string(),
                state: state.trim().to_string(),
            })
        })
        .collect()
}

/// Why the adb server did not do what was asked.
#[derive(Debug, thiserror::Error)]
pub enum HostError {
    #[error("no adb server answers on {address}: {source}")]
    NoServer {
        address: SocketAddr,
        #[source]
        source: std::io::Error,
    },
    #[error("the adb server on {address} stopped answering: {source}")]
    Io {
        address: SocketAddr,
        #[source]
        source: std::io::Error,
    },
    #[error("the adb server refused `{request}`: {reason}")]
    Failed { request: String, reason: String },
    #[error("the adb server answered `{request}` with something that is not the host protocol")]
    Garbled { request: String },
    #[error("the request `{0}` is too long for the host protocol")]
    TooLong(String),
}

impl HostError {
    /// The device named is attached but its owner has not accepted this computer's key.
    pub fn is_unauthorized(&self) -> bool {
        matches!(self, HostError::Failed { reason, .. } if reason.contains("unauthorized"))
    }

    /// No device of that serial is attached (or it just went away).
    pub fn is_device_missing(&self) -> bool {
        matches!(self, HostError::Failed { reason, .. }
            if reason.contains("not found") || reason.contains("offline") || reason.contains("no devices"))
    }
}

/// A client of one adb server. Each request opens its own connection, as adb's own client does.
#[derive(Debug, Clone)]
pub struct HostClient {
    address: SocketAddr,
    timeout: Duration,
}

impl HostClient {
    /// A client of the server at `address`; each read waits at most `timeout`.
    pub fn new(address: SocketAddr, timeout: Duration) -> Self {
        Self { address, timeout }
    }

    pub fn address(&self) -> SocketAddr {
        self.address
    }

    fn open(&self) -> Result<TcpStream, HostError> {
        let stream = TcpStream::connect_timeout(&self.address, self.timeout).map_err(|source| {
            HostError::NoServer {
                address: self.address,
                source,
            }
        })?;
        stream
            .set_read_timeout(Some(self.timeout))
            .and_then(|()| stream.set_write_timeout(Some(self.timeout)))
            .map_err(|source| self.io(source))?;
        Ok(stream)
    }

    fn io(&self, source: std::io::Error) -> HostError {
        HostError::Io {
            address: self.address,
            source,
        }
    }

    /// Sends one request and reads `OKAY`, or the reason of a `FAIL`.
    fn ask(&self, stream: &mut TcpStream, request: &str) -> Result<(), HostError> {
        let bytes =
            encode_request(request).ok_or_else(|| HostError::TooLong(request.to_string()))?;
        stream.write_all(&bytes).map_err(|e| self.io(e))?;
        let mut status = [0u8; 4];
        stream.read_exact(&mut status).map_err(|e| self.io(e))?;
        match &status {
            b"OKAY" => Ok(()),
            b"FAIL" => {
                let reason = self.read_text(stream, request)?;
                Err(HostError::Failed {
                    request: request.to_string(),
                    reason,
                })
            }
            _ => Err(HostError::Garbled {
                request: request.to_string(),
            }),
        }
    }

    /// Reads a length-prefixed text.
    fn read_text(&self, stream: &mut TcpStream, request: &str) -> Result<String, HostError> {
        let mut digits = [0u8; 4];
        stream.read_exact(&mut digits).map_err(|e| self.io(e))?;
        let length = parse_length(&digits).ok_or_else(|| HostError::Garbled {
            request: request.to_string(),
        })?;
        let mut text = vec![0u8; length];
        stream.read_exact(&mut text).map_err(|e| self.io(e))?;
        Ok(String::from_utf8_lossy(&text).into_owned())
    }

    /// A request whose answer is `OKAY` and a length-prefixed text.
    pub fn query(&self, request: &str) -> Result<String, HostError> {
        let mut stream = self.open()?;
        self.ask(&mut stream, request)?;
        self.read_text(&mut stream, request)
    }

    /// The server's protocol version (`host:version`), e.g. 41.
    pub fn version(&self) -> Result<u32, HostError> {
        let text = self.query("host:version")?;
        u32::from_str_radix(text.trim(), 16).map_err(|_| HostError::Garbled {
            request: "host:version".to_string(),
        })
    }

    /// The devices the server knows, with their states.
    pub fn devices(&self) -> Result<Vec<DeviceEntry>, HostError> {
        Ok(parse_devices(&self.query("host:devices")?))
    }

    /// The state of one device (`device`, `unauthorized`, `offline`…).
    pub fn state(&self, serial: &str) -> Result<String, HostError> {
        Ok(self
            .query(&format!("host-serial:{serial}:get-state"))?
            .trim()
            .to_string())
    }

    /// Asks the server to connect to a device over TCP (`adb connect`); the server's answer,
    /// e.g. `connected to 127.0.0.1:5555`.
    pub fn connect(&self, address: &str) -> Result<String, HostError> {
        self.query(&format!("host:connect:{address}"))
    }

    /// Runs `command` in the device's shell and returns everything it printed, once the
    /// device closes the stream.
    pub fn shell(&self, serial: &str, command: &str) -> Result<Vec<u8>, HostError> {
        let mut stream = self.open()?;
        self.ask(&mut stream, &format!("host:transport:{serial}"))?;
        self.ask(&mut stream, &format!("shell:{command}"))?;
        let mut output = Vec::new();
        stream.read_to_end(&mut output).map_err(|e| self.io(e))?;
        Ok(output)
    }

    /// Stops the server (`host:kill`).
    pub fn kill(&self) -> Result<(), HostError> {
        let mut stream = self.open()?;
        self.ask(&mut stream, "host:kill")
    }
}
