//! The ADB device protocol's messages: a 24-byte little-endian header and an optional payload.
//!
//! The header is six 32-bit words: command, arg0, arg1, payload length, payload checksum (the
//! sum of the payload's bytes) and magic (the command with every bit flipped). Both ends of a
//! connection (the adb server on the workstation and the daemon on the phone) send the same
//! messages; which arguments mean what depends on the command.

use std::fmt;

/// Length of every message header, in bytes.
pub const HEADER_BYTES: usize = 24;

/// The first protocol version, whose peers check every payload's checksum.
pub const VERSION_CHECKED: u32 = 0x0100_0000;

/// The version (Android 9 and later) whose peers no longer check payload checksums.
pub const VERSION_SKIP_CHECKSUM: u32 = 0x0100_0001;

/// The largest payload a peer of [`VERSION_CHECKED`] accepts.
pub const MAX_PAYLOAD_V1: u32 = 4 * 1024;

/// The largest payload this crate accepts in one message (what the adb server offers too).
pub const MAX_PAYLOAD: u32 = 1024 * 1024;

/// `AUTH` arg0: the daemon sends a random token to be signed.
pub const AUTH_TOKEN: u32 = 1;
/// `AUTH` arg0: the host answers with the token signed by one of its keys.
pub const AUTH_SIGNATURE: u32 = 2;
/// `AUTH` arg0: the host offers its public key, which the phone's owner must accept on screen.
pub const AUTH_RSA_PUBLIC_KEY: u32 = 3;

/// What a message does.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Command {
    /// `CNXN(version, max_payload, "system-identity")`: opens the connection; both ends send it.
    Connect,
    /// `AUTH(type, 0, data)`: the key exchange that a phone's owner approves on screen.
    Auth,
    /// `OPEN(local_id, 0, "service\0")`: opens a stream to a service (`shell:…`, `sync:`…).
    Open,
    /// `OKAY(local_id, remote_id, "")`: the stream is ready, or the last write was taken.
    Okay,
    /// `WRTE(local_id, remote_id, data)`: bytes on a stream; one at a time until `OKAY`.
    Write,
    /// `CLSE(local_id, remote_id, "")`: the stream is closed (or an `OPEN` refused).
    Close,
    /// `SYNC(online, sequence, "")`: only ever used between parts of the adb server itself.
    Sync,
    /// `STLS(type, version, "")`: asks to switch the connection to TLS (wireless debugging).
    StartTls,
}

impl Command {
    pub const ALL: [Command; 8] = [
        Command::Connect,
        Command::Auth,
        Command::Open,
        Command::Okay,
        Command::Write,
        Command::Close,
        Command::Sync,
        Command::StartTls,
    ];

    /// The four ASCII letters, as they read on the wire.
    pub fn letters(self) -> &'static [u8; 4] {
        match self {
            Command::Connect => b"CNXN",
            Command::Auth => b"AUTH",
            Command::Open => b"OPEN",
            Command::Okay => b"OKAY",
            Command::Write => b"WRTE",
            Command::Close => b"CLSE",
            Command::Sync => b"SYNC",
            Command::StartTls => b"STLS",
        }
    }

    /// The command word: the letters read as a little-endian `u32` (`CNXN` is `0x4e584e43`).
    pub fn word(self) -> u32 {
        u32::from_le_bytes(*self.letters())
    }

    pub fn from_word(word: u32) -> Option<Command> {
        Command::ALL
            .into_iter()
            .find(|command| command.word() == word)
    }
}

impl fmt::Display for Command {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        // The letters are ASCII by construction.
        f.write_str(std::str::from_utf8(self.letters()).unwrap_or("????"))
    }
}

/// The payload checksum of the header: the sum of the payload's bytes, wrapping.
///
/// ```
/// assert_eq!(refurbdesk_adb::checksum(&[1, 2, 3]), 6);
/// assert_eq!(refurbdesk_adb::checksum(&[0xff; 4]), 1020);
/// ```
pub fn checksum(payload: &[u8]) -> u32 {
    payload
        .iter()
        .fold(0u32, |sum, &byte| sum.wrapping_add(u32::from(byte)))
}

/// One message: a command, its two arguments and its payload.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Message {
    pub command: Command,
    pub arg0: u32,
    pub arg1: u32,
    pub payload: Vec<u8>,
}

impl Message {
    pub fn new(command: Command, arg0: u32, arg1: u32, payload: impl Into<Vec<u8>>) -> Self {
        Self {
            command,
            arg0,
            arg1,
            payload: payload.into(),
        }
    }

    /// The header and the payload, as sent. The checksum is always filled in: peers of
    /// [`VERSION_CHECKED`] need it, later ones ignore it.
    ///
    /// ```
    /// use refurbdesk_adb::{Command, Message};
    ///
    /// let bytes = Message::new(Command::Okay, 7, 3, Vec::new()).encode();
    /// assert_eq!(&bytes[0..4], b"OKAY");
    /// assert_eq!(&bytes[4..8], &7u32.to_le_bytes());
    /// assert_eq!(&bytes[8..12], &3u32.to_le_bytes());
    /// assert_eq!(&bytes[20..24], &(Command::Okay.word() ^ 0xffff_ffff).to_le_bytes());
    /// assert_eq!(bytes.len(), 24);
    /// ```
    pub fn encode(&self) -> Vec<u8> {
        let mut bytes = Vec::with_capacity(HEADER_BYTES + self.payload.len());
        bytes.extend_from_slice(&self.header().encode());
        bytes.extend_from_slice(&self.payload);
        bytes
    }

    /// The header that goes before this message's payload.
    pub fn header(&self) -> Header {
        let command = self.command.word();
        Header {
            command,
            arg0: self.arg0,
            arg1: self.arg1,
            data_length: u32::try_from(self.payload.len()).unwrap_or(u32::MAX),
            data_check: checksum(&self.payload),
            magic: command ^ 0xffff_ffff,
        }
    }

    /// The payload as text up to its first NUL (service names and banners end in one).
    pub fn payload_text(&self) -> String {
        let end = self
            .payload
            .iter()
            .position(|&b| b == 0)
            .unwrap_or(self.payload.len());
        String::from_utf8_lossy(&self.payload[..end]).into_owned()
    }
}

impl fmt::Display for Message {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(
            f,
            "{}({:#x}, {:#x}, {} bytes)",
            self.command,
            self.arg0,
            self.arg1,
            self.payload.len()
        )
    }
}

/// The six words of a header, as read off the wire and not yet checked.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Header {
    pub command: u32,
    pub arg0: u32,
    pub arg1: u32,
    pub data_length: u32,
    pub data_check: u32,
    pub magic: u32,
}

impl Header {
    pub fn encode(&self) -> [u8; HEADER_BYTES] {
        let mut bytes = [0u8; HEADER_BYTES];
        let words = [
            self.command,
            self.arg0,
            self.arg1,
            self.data_length,
            self.data_check,
            self.magic,
        ];
        for (chunk, word) in bytes.chunks_exact_mut(4).zip(words) {
            chunk.copy_from_slice(&word.to_le_bytes());
        }
        bytes
    }

    /// Reads the six words; [`Header::check`] says whether they make a message.
    pub fn decode(bytes: &[u8; HEADER_BYTES]) -> Header {
        let word =
            |i: usize| u32::from_le_bytes([bytes[i], bytes[i + 1], bytes[i + 2], bytes[i + 3]]);
        Header {
            command: word(0),
            arg0: word(4),
            arg1: word(8),
            data_length: word(12),
            data_check: word(16),
            magic: word(20),
        }
    }

    /// The command, once the magic matches it and the payload length is one this side takes.
    ///
    /// ```
    /// use refurbdesk_adb::{Command, DecodeError, Header, Message};
    ///
    /// let mut header = Message::new(Command::Write, 1, 2, b"hi".to_vec()).header();
    /// assert_eq!(header.check(1024), Ok(Command::Write));
    /// header.magic ^= 1;
    /// assert!(matches!(header.check(1024), Err(DecodeError::BadMagic { .. })));
    /// ```
    pub fn check(&self, max_payload: u32) -> Result<Command, DecodeError> {
        if self.magic != self.command ^ 0xffff_ffff {
            return Err(DecodeError::BadMagic {
                command: self.command,
                magic: self.magic,
            });
        }
        let command =
            Command::from_word(self.command).ok_or(DecodeError::UnknownCommand(self.command))?;
        if self.data_length > max_payload {
            return Err(DecodeError::TooLong {
                command,
                length: self.data_length,
                max: max_payload,
            });
        }
        Ok(command)
    }
}

/// Why bytes off the wire are not a message. The protocol says a peer that sends one of these
/// is closed on: nothing after it can be trusted.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum DecodeError {
    #[error("the header's magic {magic:#010x} is not its command {command:#010x} inverted")]
    BadMagic { command: u32, magic: u32 },
    #[error("{0:#010x} is not an ADB command")]
    UnknownCommand(u32),
    #[error("a {command} message of {length} bytes is longer than the {max} bytes agreed")]
    TooLong {
        command: Command,
        length: u32,
        max: u32,
    },
    #[error("the {command} message's payload sums to {computed:#x}, its header says {header:#x}")]
    BadChecksum {
        command: Command,
        header: u32,
        computed: u32,
    },
}

/// Cuts a byte stream into messages, whatever sizes the stream arrives in.
///
/// ```
/// use refurbdesk_adb::{Command, Decoder, Message};
///
/// let sent = Message::new(Command::Open, 1, 0, b"shell:getprop\0".to_vec());
/// let bytes = sent.encode();
/// let mut decoder = Decoder::new();
/// decoder.push(&bytes[..10]);
/// assert_eq!(decoder.next_message(), Ok(None));
/// decoder.push(&bytes[10..]);
/// assert_eq!(decoder.next_message(), Ok(Some(sent)));
/// ```
#[derive(Debug, Clone)]
pub struct Decoder {
    buffer: Vec<u8>,
    max_payload: u32,
    check_sums: bool,
}

impl Default for Decoder {
    fn default() -> Self {
        Self::new()
    }
}

impl Decoder {
    /// A decoder that takes payloads up to [`MAX_PAYLOAD`] and checks checksums (until
    /// [`Decoder::skip_checksums`] says the peers agreed on [`VERSION_SKIP_CHECKSUM`]).
    pub fn new() -> Self {
        Self {
            buffer: Vec::new(),
            max_payload: MAX_PAYLOAD,
            check_sums: true,
        }
    }

    /// Once both peers speak [`VERSION_SKIP_CHECKSUM`] or later, senders may leave the checksum 0.
    pub fn skip_checksums(&mut self, skip: bool) {
        self.check_sums = !skip;
    }

    pub fn push(&mut self, bytes: &[u8]) {
        self.buffer.extend_from_slice(bytes);
    }

    /// The next whole message, `None` until one has arrived.
    pub fn next_message(&mut self) -> Result<Option<Message>, DecodeError> {
        let Some(head) = self.buffer.get(..HEADER_BYTES) else {
            return Ok(None);
        };
        let mut bytes = [0u8; HEADER_BYTES];
        bytes.copy_from_slice(head);
        let header = Header::decode(&bytes);
        let command = header.check(self.max_payload)?;
        let end = HEADER_BYTES + header.data_length as usize;
        if self.buffer.len() < end {
            return Ok(None);
        }
        let payload = self.buffer[HEADER_BYTES..end].to_vec();
        self.buffer.drain(..end);
        let computed = checksum(&payload);
        if self.check_sums && computed != header.data_check {
            return Err(DecodeError::BadChecksum {
                command,
                header: header.data_check,
                computed,
            });
        }
        Ok(Some(Message {
            command,
            arg0: header.arg0,
            arg1: header.arg1,
            payload,
        }))
    }
}

/// Reads one message from a blocking reader: `Ok(None)` when the stream ends cleanly before a
/// header starts.
pub fn read_message(
    reader: &mut impl std::io::Read,
    max_payload: u32,
    check_sums: bool,
) -> Result<Option<Message>, ReadError> {
    let mut head = [0u8; HEADER_BYTES];
    let mut filled = 0;
    while filled < HEADER_BYTES {
        match reader.read(&mut head[filled..]) {
            Ok(0) if filled == 0 => return Ok(None),
            Ok(0) => {
                return Err(ReadError::Io(std::io::Error::from(
                    std::io::ErrorKind::UnexpectedEof,
                )))
            }
            Ok(n) => filled += n,
            Err(error) if error.kind() == std::io::ErrorKind::Interrupted => {}
            Err(error) => return Err(ReadError::Io(error)),
        }
    }
    let header = Header::decode(&head);
    let command = header.check(max_payload)?;
    let mut payload = vec![0u8; header.data_length as usize];
    reader.read_exact(&mut payload).map_err(ReadError::Io)?;
    let computed = checksum(&payload);
    if check_sums && computed != header.data_check {
        return Err(DecodeError::BadChecksum {
            command,
            header: header.data_check,
            computed,
        }
        .into());
    }
    Ok(Some(Message {
        command,
        arg0: header.arg0,
        arg1: header.arg1,
        payload,
    }))
}

/// Why [`read_message`] gave no message.
#[derive(Debug, thiserror::Error)]
pub enum ReadError {
    #[error(transparent)]
    Decode(#[from] DecodeError),
    #[error(transparent)]
    Io(std::io::Error),
}
