//! What the tests share: the fixtures, and a real adb server on a private port.

use std::net::{SocketAddr, TcpListener};
use std::path::{Path, PathBuf};
use std::process::{Command, Output};
use std::time::Duration;

use refurbdesk_adb::host::HostClient;
use refurbdesk_adb::sim::SimDevice;
use refurbdesk_adb::Transcript;

pub fn fixture(name: &str) -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("../../fixtures/adb")
        .join(name)
}

pub fn transcript(name: &str) -> Transcript {
    Transcript::load(&fixture(name)).expect("the fixture reads")
}

/// A simulated device from a fixture, on a free port of 127.0.0.1.
pub fn sim(name: &str) -> SimDevice {
    SimDevice::start(transcript(name), "127.0.0.1:0".parse().unwrap()).expect("the sim listens")
}

fn free_port() -> u16 {
    TcpListener::bind("127.0.0.1:0")
        .and_then(|l| l.local_addr())
        .expect("a free port")
        .port()
}

/// Debian's `adb` server, started on a private port with a home of its own (its keys), and
/// killed when dropped; tests never touch a server on 5037.
pub struct AdbServer {
    pub port: u16,
    home: tempfile::TempDir,
}

impl AdbServer {
    pub fn start() -> Self {
        Self::start_with_key(None)
    }

    /// A server whose key is `pem` (written where adb looks for it, `~/.android/adbkey`) rather
    /// than one it makes itself.
    pub fn start_with_key(pem: Option<&str>) -> Self {
        let server = AdbServer {
            port: free_port(),
            home: tempfile::tempdir().expect("a temporary home"),
        };
        if let Some(pem) = pem {
            let dir = server.home.path().join(".android");
            std::fs::create_dir_all(&dir).expect("~/.android");
            std::fs::write(dir.join("adbkey"), pem).expect("the key is written");
        }
        let started = server.adb(&["start-server"]);
        assert!(
            started.status.success(),
            "adb start-server failed (is Debian's adb package installed?): {}",
            String::from_utf8_lossy(&started.stderr)
        );
        server
    }

    /// Runs the real `adb` tool against this server.
    pub fn adb(&self, args: &[&str]) -> Output {
        Command::new("adb")
            .args(args)
            .env("ANDROID_ADB_SERVER_PORT", self.port.to_string())
            .env("HOME", self.home.path())
            .env_remove("ADB_VENDOR_KEYS")
            .output()
            .expect("the adb tool runs (apt-get install adb)")
    }

    pub fn client(&self) -> HostClient {
        let address: SocketAddr = format!("127.0.0.1:{}", self.port).parse().unwrap();
        HostClient::new(address, Duration::from_secs(10))
    }

    /// `adb connect` to a simulated device; its adb serial.
    pub fn connect(&self, device: &SimDevice) -> String {
        let serial = device.address().to_string();
        let out = self.adb(&["connect", &serial]);
        let said = String::from_utf8_lossy(&out.stdout);
        assert!(said.contains("connected to"), "adb connect said: {said}");
        serial
    }
}

impl Drop for AdbServer {
    fn drop(&mut self) {
        let _ = self.adb(&["kill-server"]);
    }
}

/// The fixture keys (made with `openssl genpkey -algorithm RSA -pkeyopt rsa_keygen_bits:2048`).
pub fn key_pem(name: &str) -> String {
    std::fs::read_to_string(fixture(&format!("keys/{name}"))).expect("the fixture key reads")
}

pub fn key(name: &str) -> refurbdesk_adb::key::AdbKey {
    refurbdesk_adb::key::AdbKey::from_pem(&key_pem(name)).expect("the fixture key is an RSA key")
}

/// A simulated device from a fixture that asks hosts to authenticate and trusts `trusted`.
pub fn secure_sim(name: &str, trusted: &[&refurbdesk_adb::key::AdbKey]) -> SimDevice {
    let keys = trusted
        .iter()
        .map(|k| {
            refurbdesk_adb::key::AndroidPublicKey::parse(&k.public_key_line("trusted@host"))
                .expect("our own line parses")
        })
        .collect();
    SimDevice::start_with_keys(transcript(name), "127.0.0.1:0".parse().unwrap(), keys)
        .expect("the sim listens")
}
