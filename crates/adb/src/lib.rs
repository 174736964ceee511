//! Android devices over ADB, the Android Debug Bridge.
//!
//! Three parties talk ADB: the daemon on the phone, the adb server on the workstation (which owns
//! the USB and TCP links to phones) and clients of that server (the `adb` command, and us).
//! This crate speaks both of its protocols, with no dependency on Google's code:
//!
//! - [`message`]: the **device protocol** between the server and a phone: 24-byte little-endian
//!   headers (command, two arguments, payload length, payload checksum, magic = command ^
//!   0xffffffff) and a payload; `CNXN` opens the connection, `AUTH` is the key exchange the
//!   phone's owner approves on screen, `OPEN`/`OKAY`/`WRTE`/`CLSE` carry streams to services
//!   such as `shell:`. A pure codec, no I/O except [`read_message`] over any reader.
//! - [`host`]: the **host protocol** of the adb server on TCP 5037: length-prefixed text
//!   requests (`host:devices`, `host:transport:<serial>`, `shell:…`) answered `OKAY`/`FAIL`.
//! - [`sim`]: a simulated phone speaking the device protocol over TCP from a [`Transcript`] of a
//!   real device's shell answers, so the real `adb` tool can `adb connect` to it.
//! - [`android`]: reading a phone's identity, battery and locks through the server.
//! - [`usb`]: what is on the USB buses, and whether each device is an Android phone with USB
//!   debugging on, an Apple device, a bench on a USB serial link, or a phone without debugging.
//! - [`ios`]: reading an iPhone's identity and battery from what libimobiledevice's tools print.
//!
//! ```
//! use refurbdesk_adb::{Banner, Command, Decoder, Message, VERSION_SKIP_CHECKSUM};
//!
//! // A phone answering the server's CNXN with its own.
//! let banner = Banner::device(&[("ro.product.model", "Pixel 6")]);
//! let cnxn = Message::new(Command::Connect, VERSION_SKIP_CHECKSUM, 256 * 1024, banner.format());
//! let bytes = cnxn.encode();
//! assert_eq!(&bytes[..4], b"CNXN");
//!
//! let mut decoder = Decoder::new();
//! decoder.push(&bytes);
//! let back = decoder.next_message().unwrap().unwrap();
//! assert_eq!(back.command, Command::Connect);
//! assert_eq!(Banner::parse(&back.payload_text()).get("ro.product.model"), Some("Pixel 6"));
//! ```

pub mod android;
mod banner;
pub mod direct;
pub mod host;
pub mod ios;
pub mod key;
pub mod message;
pub mod sim;
mod transcript;
pub mod usb;

pub use banner::Banner;
pub use message::{
    checksum, read_message, Command, DecodeError, Decoder, Header, Message, ReadError,
    AUTH_RSA_PUBLIC_KEY, AUTH_SIGNATURE, AUTH_TOKEN, HEADER_BYTES, MAX_PAYLOAD, MAX_PAYLOAD_V1,
    VERSION_CHECKED, VERSION_SKIP_CHECKSUM,
};
pub use transcript::{Transcript, TranscriptError};
