//! A simulated Android device that speaks the ADB device protocol over TCP, the way a phone with
//! wireless debugging does, so `adb connect 127.0.0.1:PORT` reaches it and `adb shell` runs
//! commands on it, answered from a [`Transcript`].
//!
//! What it does, message by message: the server's `CNXN` is answered with the device's own
//! `CNXN` (or, for a device whose owner has not accepted the computer, with `AUTH` tokens that
//! no signature satisfies, which leaves the device `unauthorized`).
//!
//! Started with trusted keys ([`SimDevice::start_with_keys`]), it authenticates as a phone with
//! `ro.adb.secure=1` does: a random 20-byte token, a signature checked against each key of its
//! `adb_keys`, and when none matches, the public key the host offers shown to the "owner", who
//! accepts it if the transcript says `@ auth ok` (the key is then trusted for later connections)
//! and never answers if it says `@ auth unauthorized`. Each `OPEN` of a `shell:`
//! service is answered `OKAY`, then the output in `WRTE` messages, each waiting for the server's
//! `OKAY`, then `CLSE`. Any other service is refused with `CLSE`. A transcript with
//! `unplug-after` closes the connection when one command too many arrives, and the device stops
//! accepting connections, as a phone pulled off its cable.

use std::collections::HashMap;
use std::io::Write;
use std::net::{Shutdown, SocketAddr, TcpListener, TcpStream};
use std::sync::atomic::{AtomicBool, AtomicU64, AtomicUsize, Ordering};
use std::sync::{Arc, Mutex};
use std::thread::JoinHandle;

use crate::key::AndroidPublicKey;
use crate::message::{
    read_message, Command, Message, AUTH_RSA_PUBLIC_KEY, AUTH_SIGNATURE, AUTH_TOKEN, MAX_PAYLOAD,
    VERSION_SKIP_CHECKSUM,
};
use crate::transcript::Transcript;

/// The largest payload the simulated device sends or takes.
pub const SIM_MAX_PAYLOAD: u32 = 256 * 1024;

/// What a simulated device did.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct SimStats {
    pub connections: u64,
    pub commands_answered: u64,
    pub services_refused: u64,
    /// Whether the device was unplugged (by its transcript's `unplug-after`).
    pub unplugged: bool,
}

struct Shared {
    transcript: Transcript,
    stop: AtomicBool,
    unplugged: AtomicBool,
    commands: AtomicUsize,
    connections: AtomicU64,
    refused: AtomicU64,
    /// Every connection still open, so stopping or unplugging closes them all.
    live: Mutex<Vec<TcpStream>>,
    address: SocketAddr,
    /// The keys the device trusts (its `adb_keys`), when it asks hosts to authenticate.
    trusted: Option<Mutex<Vec<AndroidPublicKey>>>,
    /// Every public key a host offered (`AUTH` type 3), as sent.
    offered: Mutex<Vec<String>>,
    /// Connections that came online by a signature of a trusted key.
    signed_in: AtomicU64,
}

impl Shared {
    /// Stops accepting and closes every connection.
    fn shut(&self) {
        self.stop.store(true, Ordering::SeqCst);
        for stream in self
            .live
            .lock()
            .map(|mut l| std::mem::take(&mut *l))
            .unwrap_or_default()
        {
            let _ = stream.shutdown(Shutdown::Both);
        }
        // Wake the accepting thread.
        let _ = TcpStream::connect(self.address);
    }
}

/// A simulated device listening on a TCP port.
pub struct SimDevice {
    shared: Arc<Shared>,
    thread: Option<JoinHandle<()>>,
}

impl SimDevice {
    /// Listens on `address` (port 0 picks a free one) and answers from `transcript`.
    pub fn start(transcript: Transcript, address: SocketAddr) -> std::io::Result<Self> {
        Self::listen(transcript, address, None)
    }

    /// As [`SimDevice::start`], for a device that asks every host to authenticate and trusts
    /// `trusted` (its `adb_keys`).
    pub fn start_with_keys(
        transcript: Transcript,
        address: SocketAddr,
        trusted: Vec<AndroidPublicKey>,
    ) -> std::io::Result<Self> {
        Self::listen(transcript, address, Some(trusted))
    }

    fn listen(
        transcript: Transcript,
        address: SocketAddr,
        trusted: Option<Vec<AndroidPublicKey>>,
    ) -> std::io::Result<Self> {
        let listener = TcpListener::bind(address)?;
        let address = listener.local_addr()?;
        let shared = Arc::new(Shared {
            transcript,
            stop: AtomicBool::new(false),
            unplugged: AtomicBool::new(false),
            commands: AtomicUsize::new(0),
            connections: AtomicU64::new(0),
            refused: AtomicU64::new(0),
            live: Mutex::new(Vec::new()),
            address,
            trusted: trusted.map(Mutex::new),
            offered: Mutex::new(Vec::new()),
            signed_in: AtomicU64::new(0),
        });
        let accepting = Arc::clone(&shared);
        let thread = std::thread::Builder::new()
            .name("adb-sim".to_string())
            .spawn(move || accept_loop(listener, accepting))?;
        Ok(Self {
            shared,
            thread: Some(thread),
        })
    }

    /// Where the device listens.
    pub fn address(&self) -> SocketAddr {
        self.shared.address
    }

    /// Whether the device has gone away (unplugged by its transcript, or stopped).
    pub fn finished(&self) -> bool {
        self.shared.stop.load(Ordering::SeqCst)
    }

    /// Every public key a host offered the device's owner, as its line (base64 and name).
    pub fn offered_keys(&self) -> Vec<String> {
        self.shared
            .offered
            .lock()
            .map(|o| o.clone())
            .unwrap_or_default()
    }

    /// How many connections came online by signing with a key the device trusted.
    pub fn signed_in(&self) -> u64 {
        self.shared.signed_in.load(Ordering::SeqCst)
    }

    pub fn stats(&self) -> SimStats {
        SimStats {
            connections: self.shared.connections.load(Ordering::SeqCst),
            commands_answered: self.shared.commands.load(Ordering::SeqCst) as u64,
            services_refused: self.shared.refused.load(Ordering::SeqCst),
            unplugged: self.shared.unplugged.load(Ordering::SeqCst),
        }
    }

    /// Closes every connection and stops listening.
    pub fn stop(mut self) -> SimStats {
        self.shared.shut();
        if let Some(thread) = self.thread.take() {
            let _ = thread.join();
        }
        self.stats()
    }
}

impl Drop for SimDevice {
    fn drop(&mut self) {
        if let Some(thread) = self.thread.take() {
            self.shared.shut();
            let _ = thread.join();
        }
    }
}

fn accept_loop(listener: TcpListener, shared: Arc<Shared>) {
    for incoming in listener.incoming() {
        if shared.stop.load(Ordering::SeqCst) {
            break;
        }
        let Ok(stream) = incoming else { continue };
        let _ = stream.set_nodelay(true);
        if let Ok(clone) = stream.try_clone() {
            if let Ok(mut live) = shared.live.lock() {
                live.push(clone);
            }
        }
        shared.connections.fetch_add(1, Ordering::SeqCst);
        let serving = Arc::clone(&shared);
        let _ = std::thread::Builder::new()
            .name("adb-sim-conn".to_string())
            .spawn(move || {
                if let Err(error) = serve_connection(stream, &serving) {
                    tracing::debug!(%error, "simulated adb device: connection ended");
                }
            });
    }
}

/// A shell stream the device has open: what it still has to write.
struct OpenStream {
    remote: u32,
    pending: Vec<u8>,
}

fn serve_connection(stream: TcpStream, shared: &Shared) -> std::io::Result<()> {
    let mut reader = stream.try_clone()?;
    let mut writer = stream;
    let mut send = |message: Message| writer.write_all(&message.encode());
    let mut max_payload = SIM_MAX_PAYLOAD;
    let mut online = false;
    let mut streams: HashMap<u32, OpenStream> = HashMap::new();
    let mut next_id = 1u32;
    let mut token = [0u8; crate::key::TOKEN_BYTES];
    let go_online = |version: u32, send: &mut dyn FnMut(Message) -> std::io::Result<()>| {
        let banner = shared.transcript.banner().format();
        send(Message::new(
            Command::Connect,
            version.min(VERSION_SKIP_CHECKSUM),
            SIM_MAX_PAYLOAD,
            banner.into_bytes(),
        ))
    };
    let mut version = VERSION_SKIP_CHECKSUM;
    loop {
        // Checksums are not checked: peers of protocol version 2 leave them out, and this
        // device never speaks version 1's checked mode.
        let message = match read_message(&mut reader, MAX_PAYLOAD, false) {
            Ok(Some(message)) => message,
            Ok(None) => return Ok(()),
            Err(error) => return Err(std::io::Error::other(error.to_string())),
        };
        match message.command {
            Command::Connect => {
                max_payload = message.arg1.clamp(1, SIM_MAX_PAYLOAD);
                version = message.arg0;
                if shared.trusted.is_none() && shared.transcript.authorized {
                    online = true;
                    go_online(version, &mut send)?;
                } else {
                    send(auth_token(&mut token))?;
                }
            }
            Command::Auth if message.arg0 == AUTH_SIGNATURE => {
                let trusted = shared.trusted.as_ref().is_some_and(|keys| {
                    keys.lock()
                        .map(|keys| keys.iter().any(|k| k.verifies(&token, &message.payload)))
                        .unwrap_or(false)
                });
                if trusted {
                    shared.signed_in.fetch_add(1, Ordering::SeqCst);
                    online = true;
                    go_online(version, &mut send)?;
                } else {
                    // Not a key this device knows: a fresh token, as adbd sends.
                    send(auth_token(&mut token))?;
                }
            }
            // The key is shown to the owner. Without trusted keys (or when the transcript says
            // the owner does not accept) nobody answers, and the host waits forever.
            Command::Auth if message.arg0 == AUTH_RSA_PUBLIC_KEY => {
                let line = message.payload_text();
                if let Ok(mut offered) = shared.offered.lock() {
                    offered.push(line.clone());
                }
                let accepted = match (&shared.trusted, shared.transcript.authorized) {
                    (Some(keys), true) => match AndroidPublicKey::parse(&line) {
                        Ok(key) => {
                            if let Ok(mut keys) = keys.lock() {
                                keys.push(key);
                            }
                            true
                        }
                        Err(error) => {
                            tracing::debug!(%error, "simulated adb device: unusable key offered");
                            false
                        }
                    },
                    _ => false,
                };
                if accepted {
                    online = true;
                    go_online(version, &mut send)?;
                }
            }
            Command::Open if online => {
                let service = message.payload_text();
                let Some(command) = service.strip_prefix("shell:") else {
                    shared.refused.fetch_add(1, Ordering::SeqCst);
                    send(Message::new(Command::Close, 0, message.arg0, Vec::new()))?;
                    continue;
                };
                if let Some(limit) = shared.transcript.unplug_after {
                    if shared.commands.load(Ordering::SeqCst) >= limit {
                        shared.unplugged.store(true, Ordering::SeqCst);
                        shared.shut();
                        return Ok(());
                    }
                }
                let output = shared.transcript.answer(command);
                shared.commands.fetch_add(1, Ordering::SeqCst);
                let id = next_id;
                next_id += 1;
                send(Message::new(Command::Okay, id, message.arg0, Vec::new()))?;
                let mut open = OpenStream {
                    remote: message.arg0,
                    pending: output,
                };
                if let Some(next) = next_write(id, &mut open, max_payload) {
                    send(next)?;
                    streams.insert(id, open);
                } else {
                    send(Message::new(Command::Close, id, open.remote, Vec::new()))?;
                }
            }
            Command::Okay => {
                let id = message.arg1;
                if let Some(open) = streams.get_mut(&id) {
                    if let Some(next) = next_write(id, open, max_payload) {
                        send(next)?;
                    } else {
                        let remote = open.remote;
                        streams.remove(&id);
                        send(Message::new(Command::Close, id, remote, Vec::new()))?;
                    }
                }
            }
            Command::Write if online => {
                // Input to a shell: taken and dropped.
                send(Message::new(
                    Command::Okay,
                    message.arg1,
                    message.arg0,
                    Vec::new(),
                ))?;
            }
            Command::Close => {
                streams.remove(&message.arg1);
            }
            _ => {}
        }
    }
}

/// The next `WRTE` of a stream's output, `None` once it has all been written.
fn next_write(id: u32, open: &mut OpenStream, max_payload: u32) -> Option<Message> {
    if open.pending.is_empty() {
        return None;
    }
    let take = open.pending.len().min(max_payload as usize);
    let chunk: Vec<u8> = open.pending.drain(..take).collect();
    Some(Message::new(Command::Write, id, open.remote, chunk))
}

/// A fresh random token to be signed, kept in `token` to check the signature against.
fn auth_token(token: &mut [u8; crate::key::TOKEN_BYTES]) -> Message {
    if getrandom::fill(token).is_err() {
        // No randomness: a token that changes all the same, so no signature is replayed.
        let nanos = std::time::SystemTime::now()
            .duration_since(std::time::UNIX_EPOCH)
            .map(|d| d.as_nanos())
            .unwrap_or_default();
        for (i, byte) in token.iter_mut().enumerate() {
            *byte = (nanos >> (i % 16 * 8)) as u8 ^ i as u8;
        }
    }
    Message::new(Command::Auth, AUTH_TOKEN, 0, token.to_vec())
}
