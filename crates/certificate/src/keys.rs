//! The organisation's Ed25519 signing keys, kept as files in one directory.
//!
//! ```text
//! keys/
//!   active                  the key id that signs new documents
//!   <key id>.key            its secret seed, hex, mode 0600 (only the active key keeps one)
//!   <key id>.pub.json       every key's public half, kept for ever to verify old documents
//!   pdf-certificate.pem     the X.509 certificate (and chain) the standard PDF signature names
//!   pdf-certificate.key     its ECDSA P-256 secret, PKCS#8 PEM, mode 0600
//! ```
//!
//! The X.509 certificate is self-signed, naming the organisation, when the first document
//! needs it, unless one from a certificate authority was installed before
//! ([`Keyring::install_pdf_signer`]).
//!
//! The first signature creates a key. Rotation creates a new one, marks the old one retired and
//! deletes its secret: a retired key can no longer sign, but documents it signed still verify.

use std::collections::BTreeMap;
use std::fs::{self, OpenOptions};
use std::io::{self, Write};
use std::path::{Path, PathBuf};

use chrono::{DateTime, SubsecRound, Utc};
use ed25519_dalek::{Signer as _, SigningKey, VerifyingKey};
use serde::{Deserialize, Serialize};
use sha2::{Digest, Sha256};
use thiserror::Error;

use crate::pades::{PadesError, PdfSigner, X509Info};

/// The only signature algorithm documents use.
pub const ALGORITHM: &str = "Ed25519";

const ACTIVE_FILE: &str = "active";
const PDF_CERTIFICATE_FILE: &str = "pdf-certificate.pem";
const PDF_KEY_FILE: &str = "pdf-certificate.key";

#[derive(Debug, Error)]
pub enum KeyError {
    #[error("cannot {action} {path}: {source}; check the keys folder's permissions")]
    Io {
        action: &'static str,
        path: PathBuf,
        #[source]
        source: io::Error,
    },
    #[error("{path} is not a key file Refurbdesk wrote ({problem}); restore it from a backup or rotate the key")]
    Corrupt { path: PathBuf, problem: String },
    #[error(
        "{path} can be read by other users (mode {mode:o}); run `chmod 600 {path}` so only this account can sign"
    )]
    TooOpen { path: PathBuf, mode: u32 },
    #[error(
        "{0} does not hold an Ed25519 public key (expected 64 hex digits or a .pub.json file)"
    )]
    NotAPublicKey(String),
    #[error("{0}")]
    Pdf(#[from] PadesError),
}

/// The public half of a signing key, as published and kept for verification.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct PublicKeyInfo {
    pub key_id: String,
    pub algorithm: String,
    /// 32 bytes, hex.
    pub public_key: String,
    /// SHA-256 of the public key, hex; printed on every document.
    pub fingerprint: String,
    pub created_at: DateTime<Utc>,
    /// When it stopped signing new documents; `None` while active.
    pub retired_at: Option<DateTime<Utc>>,
}

impl PublicKeyInfo {
    fn new(key: &VerifyingKey, created_at: DateTime<Utc>) -> Self {
        let fingerprint = fingerprint(key);
        Self {
            key_id: key_id_of(&fingerprint),
            algorithm: ALGORITHM.to_owned(),
            public_key: hex::encode(key.as_bytes()),
            fingerprint,
            created_at,
            retired_at: None,
        }
    }

    /// The key itself, checked against its id.
    pub fn verifying_key(&self) -> Result<VerifyingKey, KeyError> {
        let key = parse_public_key(&self.public_key)
            .ok_or_else(|| KeyError::NotAPublicKey(self.key_id.clone()))?;
        if key_id_of(&fingerprint(&key)) != self.key_id {
            return Err(KeyError::NotAPublicKey(format!(
                "{} (its id does not match the key)",
                self.key_id
            )));
        }
        Ok(key)
    }

    /// The fingerprint in groups of four, as printed.
    pub fn fingerprint_grouped(&self) -> String {
        group(&self.fingerprint)
    }
}

/// The SHA-256 of a public key, hex.
pub fn fingerprint(key: &VerifyingKey) -> String {
    hex::encode(Sha256::digest(key.as_bytes()))
}

/// A key id is the first 16 hex digits of its fingerprint: short enough to read aloud,
/// long enough that two keys of one organisation never share one.
fn key_id_of(fingerprint: &str) -> String {
    fingerprint[..16].to_owned()
}

fn group(hex: &str) -> String {
    hex.as_bytes()
        .chunks(4)
        .map(|chunk| std::str::from_utf8(chunk).unwrap_or_default())
        .collect::<Vec<_>>()
        .join(" ")
}

fn parse_public_key(text: &str) -> Option<VerifyingKey> {
    let bytes: [u8; 32] = hex::decode(text.trim()).ok()?.try_into().ok()?;
    VerifyingKey::from_bytes(&bytes).ok()
}

/// The key that signs new documents.
pub struct Signer {
    key: SigningKey,
    info: PublicKeyInfo,
}

impl Signer {
    pub fn info(&self) -> &PublicKeyInfo {
        &self.info
    }

    pub fn key_id(&self) -> &str {
        &self.info.key_id
    }

    pub fn sign(&self, message: &[u8]) -> [u8; 64] {
        self.key.sign(message).to_bytes()
    }

    /// A signer for tests and benchmarks that never touches the disk.
    pub fn ephemeral(seed: [u8; 32]) -> Self {
        let key = SigningKey::from_bytes(&seed);
        let info = PublicKeyInfo::new(&key.verifying_key(), Utc::now().trunc_subsecs(0));
        Self { key, info }
    }
}

/// Public keys a verifier trusts, by key id.
#[derive(Debug, Clone, Default)]
pub struct TrustedKeys {
    keys: BTreeMap<String, PublicKeyInfo>,
}

impl TrustedKeys {
    pub fn new() -> Self {
        Self::default()
    }

    pub fn add(&mut self, info: PublicKeyInfo) {
        self.keys.insert(info.key_id.clone(), info);
    }

    pub fn get(&self, key_id: &str) -> Option<&PublicKeyInfo> {
        self.keys.get(key_id)
    }

    pub fn is_empty(&self) -> bool {
        self.keys.is_empty()
    }

    pub fn iter(&self) -> impl Iterator<Item = &PublicKeyInfo> {
        self.keys.values()
    }

    /// Reads a public key file given with `--pubkey`: a `.pub.json` written by Refurbdesk,
    /// or 64 hex digits.
    pub fn from_file(path: &Path) -> Result<Self, KeyError> {
        let text = fs::read_to_string(path).map_err(|source| KeyError::Io {
            action: "read",
            path: path.to_owned(),
            source,
        })?;
        let info = match serde_json::from_str::<PublicKeyInfo>(&text) {
            Ok(info) => info,
            Err(_) => {
                let key = parse_public_key(&text)
                    .ok_or_else(|| KeyError::NotAPublicKey(path.display().to_string()))?;
                PublicKeyInfo::new(&key, DateTime::<Utc>::UNIX_EPOCH)
            }
        };
        info.verifying_key()?;
        let mut trusted = Self::new();
        trusted.add(info);
        Ok(trusted)
    }
}

/// The keys folder of one organisation.
#[derive(Debug, Clone)]
pub struct Keyring {
    dir: PathBuf,
}

impl Keyring {
    pub fn new(dir: impl Into<PathBuf>) -> Self {
        Self { dir: dir.into() }
    }

    pub fn dir(&self) -> &Path {
        &self.dir
    }

    /// The active signer, creating the organisation's first key if there is none.
    pub fn signer(&self) -> Result<Signer, KeyError> {
        match self.active_id()? {
            Some(key_id) => self.load_signer(&key_id),
            None => {
                self.create_dir()?;
                let created = self.write_new_key()?;
                match OpenOptions::new()
                    .write(true)
                    .create_new(true)
                    .open(self.dir.join(ACTIVE_FILE))
                {
                    Ok(mut file) => {
                        file.write_all(created.info.key_id.as_bytes())
                            .and_then(|()| file.sync_all())
                            .map_err(|source| self.io("write", ACTIVE_FILE, source))?;
                        Ok(created)
                    }
                    // Another process created the first key at the same moment: use theirs.
                    Err(error) if error.kind() == io::ErrorKind::AlreadyExists => {
                        let _ = fs::remove_file(self.secret_path(&created.info.key_id));
                        let _ = fs::remove_file(self.public_path(&created.info.key_id));
                        let key_id = self.active_id()?.ok_or_else(|| KeyError::Corrupt {
                            path: self.dir.join(ACTIVE_FILE),
                            problem: "empty".to_owned(),
                        })?;
                        self.load_signer(&key_id)
                    }
                    Err(source) => Err(self.io("create", ACTIVE_FILE, source)),
                }
            }
        }
    }

    /// The active key's public half, if a key exists.
    pub fn active(&self) -> Result<Option<PublicKeyInfo>, KeyError> {
        match self.active_id()? {
            Some(key_id) => self.read_public(&key_id).map(Some),
            None => Ok(None),
        }
    }

    /// Starts signing with a new key. The old key is marked retired and its secret deleted;
    /// its public half stays. Returns (retired, new).
    pub fn rotate(&self) -> Result<(Option<PublicKeyInfo>, PublicKeyInfo), KeyError> {
        self.create_dir()?;
        let old = self.active()?;
        let created = self.write_new_key()?;
        let tmp = self.dir.join(format!("{ACTIVE_FILE}.tmp"));
        fs::write(&tmp, created.info.key_id.as_bytes())
            .and_then(|()| fs::rename(&tmp, self.dir.join(ACTIVE_FILE)))
            .map_err(|source| self.io("write", ACTIVE_FILE, source))?;
        let retired = match old {
            Some(mut info) => {
                info.retired_at = Some(created.info.created_at);
                self.write_public(&info)?;
                match fs::remove_file(self.secret_path(&info.key_id)) {
                    Ok(()) => {}
                    Err(error) if error.kind() == io::ErrorKind::NotFound => {}
                    Err(source) => {
                        return Err(KeyError::Io {
                            action: "delete the retired secret",
                            path: self.secret_path(&info.key_id),
                            source,
                        })
                    }
                }
                Some(info)
            }
            None => None,
        };
        Ok((retired, created.info))
    }

    /// Every public key this folder has held, oldest first.
    pub fn public_keys(&self) -> Result<Vec<PublicKeyInfo>, KeyError> {
        let entries = match fs::read_dir(&self.dir) {
            Ok(entries) => entries,
            Err(error) if error.kind() == io::ErrorKind::NotFound => return Ok(Vec::new()),
            Err(source) => return Err(self.io("list", "", source)),
        };
        let mut keys = Vec::new();
        for entry in entries {
            let entry = entry.map_err(|source| self.io("list", "", source))?;
            let name = entry.file_name().to_string_lossy().into_owned();
            if let Some(key_id) = name.strip_suffix(".pub.json") {
                keys.push(self.read_public(key_id)?);
            }
        }
        keys.sort_by(|a, b| (a.created_at, &a.key_id).cmp(&(b.created_at, &b.key_id)));
        Ok(keys)
    }

    /// Every public key of this folder, for verification.
    pub fn trusted(&self) -> Result<TrustedKeys, KeyError> {
        let mut trusted = TrustedKeys::new();
        for info in self.public_keys()? {
            trusted.add(info);
        }
        Ok(trusted)
    }

    /// The signer of the standard PDF signature, creating a self-signed certificate naming
    /// `organisation` on first use.
    pub fn pdf_signer(&self, organisation: &str) -> Result<PdfSigner, KeyError> {
        if let Some(signer) = self.load_pdf_signer()? {
            return Ok(signer);
        }
        self.create_dir()?;
        let created = PdfSigner::self_signed(organisation, std::time::SystemTime::now())?;
        let key_path = self.dir.join(PDF_KEY_FILE);
        match write_private(&key_path, created.key_pem()?.as_bytes()) {
            Ok(()) => {
                self.write_atomically(PDF_CERTIFICATE_FILE, &created.certificates_pem()?)?;
                Ok(created)
            }
            // Another process created it at the same moment: use theirs.
            Err(error) if error.kind() == io::ErrorKind::AlreadyExists => {
                self.load_pdf_signer()?.ok_or_else(|| KeyError::Corrupt {
                    path: self.dir.join(PDF_CERTIFICATE_FILE),
                    problem: "missing beside its key".to_owned(),
                })
            }
            Err(source) => Err(KeyError::Io {
                action: "write",
                path: key_path,
                source,
            }),
        }
    }

    /// The X.509 certificate (and chain) that signs PDF files, PEM, if there is one yet.
    pub fn pdf_certificate_pem(&self) -> Result<Option<String>, KeyError> {
        let path = self.dir.join(PDF_CERTIFICATE_FILE);
        match fs::read_to_string(&path) {
            Ok(text) => Ok(Some(text)),
            Err(error) if error.kind() == io::ErrorKind::NotFound => Ok(None),
            Err(source) => Err(KeyError::Io {
                action: "read",
                path,
                source,
            }),
        }
    }

    /// What the X.509 certificate says, if there is one yet.
    pub fn pdf_certificate(&self) -> Result<Option<X509Info>, KeyError> {
        match self.pdf_certificate_pem()? {
            Some(pem) => crate::pades::certificate_info(&pem)
                .map(Some)
                .map_err(|error| KeyError::Corrupt {
                    path: self.dir.join(PDF_CERTIFICATE_FILE),
                    problem: error.to_string(),
                }),
            None => Ok(None),
        }
    }

    /// Signs PDF files with `signer` from now on (a certificate from a certificate authority),
    /// replacing the one before; documents signed before keep their signatures.
    pub fn install_pdf_signer(&self, signer: &PdfSigner) -> Result<(), KeyError> {
        self.create_dir()?;
        let key_path = self.dir.join(PDF_KEY_FILE);
        let tmp = self.dir.join(format!("{PDF_KEY_FILE}.tmp"));
        let _ = fs::remove_file(&tmp);
        write_private(&tmp, signer.key_pem()?.as_bytes())
            .and_then(|()| fs::rename(&tmp, &key_path))
            .map_err(|source| KeyError::Io {
                action: "write",
                path: key_path,
                source,
            })?;
        self.write_atomically(PDF_CERTIFICATE_FILE, &signer.certificates_pem()?)
    }

    fn load_pdf_signer(&self) -> Result<Option<PdfSigner>, KeyError> {
        let key_path = self.dir.join(PDF_KEY_FILE);
        if !key_path.exists() {
            return Ok(None);
        }
        check_private_mode(&key_path)?;
        let key = fs::read_to_string(&key_path).map_err(|source| KeyError::Io {
            action: "read",
            path: key_path.clone(),
            source,
        })?;
        let Some(certificates) = self.pdf_certificate_pem()? else {
            return Ok(None);
        };
        PdfSigner::from_pem(&certificates, &key)
            .map(Some)
            .map_err(|error| KeyError::Corrupt {
                path: self.dir.join(PDF_CERTIFICATE_FILE),
                problem: error.to_string(),
            })
    }

    fn write_atomically(&self, file: &str, text: &str) -> Result<(), KeyError> {
        let path = self.dir.join(file);
        let tmp = self.dir.join(format!("{file}.tmp"));
        fs::write(&tmp, text)
            .and_then(|()| fs::rename(&tmp, &path))
            .map_err(|source| KeyError::Io {
                action: "write",
                path,
                source,
            })
    }

    fn active_id(&self) -> Result<Option<String>, KeyError> {
        let path = self.dir.join(ACTIVE_FILE);
        match fs::read_to_string(&path) {
            Ok(text) if !text.trim().is_empty() => Ok(Some(text.trim().to_owned())),
            Ok(_) => Ok(None),
            Err(error) if error.kind() == io::ErrorKind::NotFound => Ok(None),
            Err(source) => Err(KeyError::Io {
                action: "read",
                path,
                source,
            }),
        }
    }

    fn load_signer(&self, key_id: &str) -> Result<Signer, KeyError> {
        let path = self.secret_path(key_id);
        check_private_mode(&path)?;
        let text = fs::read_to_string(&path).map_err(|source| KeyError::Io {
            action: "read",
            path: path.clone(),
            source,
        })?;
        let seed: [u8; 32] = hex::decode(text.trim())
            .ok()
            .and_then(|bytes| bytes.try_into().ok())
            .ok_or_else(|| KeyError::Corrupt {
                path: path.clone(),
                problem: "not 64 hex digits".to_owned(),
            })?;
        let key = SigningKey::from_bytes(&seed);
        let info = self.read_public(key_id)?;
        if info.public_key != hex::encode(key.verifying_key().as_bytes()) {
            return Err(KeyError::Corrupt {
                path,
                problem: "the secret does not match its public key".to_owned(),
            });
        }
        Ok(Signer { key, info })
    }

    fn write_new_key(&self) -> Result<Signer, KeyError> {
        let mut seed = [0u8; 32];
        getrandom::fill(&mut seed).map_err(|error| KeyError::Io {
            action: "draw randomness for",
            path: self.dir.clone(),
            source: io::Error::other(error.to_string()),
        })?;
        let key = SigningKey::from_bytes(&seed);
        let info = PublicKeyInfo::new(&key.verifying_key(), Utc::now().trunc_subsecs(0));
        let secret_path = self.secret_path(&info.key_id);
        write_private(&secret_path, format!("{}\n", hex::encode(seed)).as_bytes()).map_err(
            |source| KeyError::Io {
                action: "write",
                path: secret_path.clone(),
                source,
            },
        )?;
        self.write_public(&info)?;
        Ok(Signer { key, info })
    }

    fn read_public(&self, key_id: &str) -> Result<PublicKeyInfo, KeyError> {
        let path = self.public_path(key_id);
        let text = fs::read_to_string(&path).map_err(|source| KeyError::Io {
            action: "read",
            path: path.clone(),
            source,
        })?;
        let info: PublicKeyInfo =
            serde_json::from_str(&text).map_err(|error| KeyError::Corrupt {
                path: path.clone(),
                problem: error.to_string(),
            })?;
        info.verifying_key().map_err(|_| KeyError::Corrupt {
            path,
            problem: "its key id does not match its public key".to_owned(),
        })?;
        Ok(info)
    }

    fn write_public(&self, info: &PublicKeyInfo) -> Result<(), KeyError> {
        let path = self.public_path(&info.key_id);
        let tmp = path.with_extension("json.tmp");
        let json = serde_json::to_string_pretty(info).expect("key info serialises");
        fs::write(&tmp, format!("{json}\n"))
            .and_then(|()| fs::rename(&tmp, &path))
            .map_err(|source| KeyError::Io {
                action: "write",
                path,
                source,
            })
    }

    fn create_dir(&self) -> Result<(), KeyError> {
        fs::create_dir_all(&self.dir).map_err(|source| self.io("create", "", source))?;
        #[cfg(unix)]
        {
            use std::os::unix::fs::PermissionsExt;
            let _ = fs::set_permissions(&self.dir, fs::Permissions::from_mode(0o700));
        }
        Ok(())
    }

    fn secret_path(&self, key_id: &str) -> PathBuf {
        self.dir.join(format!("{key_id}.key"))
    }

    fn public_path(&self, key_id: &str) -> PathBuf {
        self.dir.join(format!("{key_id}.pub.json"))
    }

    fn io(&self, action: &'static str, file: &str, source: io::Error) -> KeyError {
        KeyError::Io {
            action,
            path: self.dir.join(file),
            source,
        }
    }
}

fn write_private(path: &Path, contents: &[u8]) -> io::Result<()> {
    let mut options = OpenOptions::new();
    options.write(true).create_new(true);
    #[cfg(unix)]
    {
        use std::os::unix::fs::OpenOptionsExt;
        options.mode(0o600);
    }
    let mut file = options.open(path)?;
    file.write_all(contents)?;
    file.sync_all()
}

fn check_private_mode(path: &Path) -> Result<(), KeyError> {
    #[cfg(unix)]
    {
        use std::os::unix::fs::PermissionsExt;
        let metadata = fs::metadata(path).map_err(|source| KeyError::Io {
            action: "read",
            path: path.to_owned(),
            source,
        })?;
        let mode = metadata.permissions().mode() & 0o777;
        if mode & 0o077 != 0 {
            return Err(KeyError::TooOpen {
                path: path.to_owned(),
                mode,
            });
        }
    }
    // No permission bits to check elsewhere (the WebAssembly verifier never reads a key file).
    #[cfg(not(unix))]
    let _ = path;
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn first_use_creates_a_private_key_and_later_uses_reload_it() {
        let dir = tempfile::tempdir().unwrap();
        let ring = Keyring::new(dir.path().join("keys"));
        assert!(ring.active().unwrap().is_none());
        let first = ring.signer().unwrap();
        let again = ring.signer().unwrap();
        assert_eq!(first.key_id(), again.key_id());
        assert_eq!(first.sign(b"x"), again.sign(b"x"));
        #[cfg(unix)]
        {
            use std::os::unix::fs::PermissionsExt;
            let secret = dir
                .path()
                .join("keys")
                .join(format!("{}.key", first.key_id()));
            let mode = fs::metadata(secret).unwrap().permissions().mode() & 0o777;
            assert_eq!(mode, 0o600);
        }
        assert_eq!(first.key_id().len(), 16);
        assert!(first.info().fingerprint.starts_with(first.key_id()));
    }

    #[test]
    fn the_pdf_certificate_is_made_once_with_a_private_key_and_can_be_replaced() {
        let dir = tempfile::tempdir().unwrap();
        let ring = Keyring::new(dir.path().join("keys"));
        assert!(ring.pdf_certificate().unwrap().is_none());
        let first = ring.pdf_signer("Atelier Nord").unwrap();
        let again = ring.pdf_signer("Another name").unwrap();
        assert_eq!(first.info(), again.info());
        assert_eq!(ring.pdf_certificate().unwrap().unwrap(), first.info());
        assert!(first.info().subject.contains("CN=Atelier Nord"));
        #[cfg(unix)]
        {
            use std::os::unix::fs::PermissionsExt;
            let secret = dir.path().join("keys").join(PDF_KEY_FILE);
            let mode = fs::metadata(secret).unwrap().permissions().mode() & 0o777;
            assert_eq!(mode, 0o600);
        }
        let other = PdfSigner::self_signed("CA issued", std::time::SystemTime::now()).unwrap();
        ring.install_pdf_signer(&other).unwrap();
        assert_eq!(
            ring.pdf_signer("Atelier Nord").unwrap().info(),
            other.info()
        );
    }

    #[test]
    fn rotation_retires_the_old_key_but_keeps_its_public_half() {
        let dir = tempfile::tempdir().unwrap();
        let ring = Keyring::new(dir.path());
        let old = ring.signer().unwrap().info().clone();
        let (retired, new) = ring.rotate().unwrap();
        let retired = retired.unwrap();
        assert_eq!(retired.key_id, old.key_id);
        assert!(retired.retired_at.is_some());
        assert_ne!(new.key_id, old.key_id);
        assert_eq!(ring.signer().unwrap().key_id(), new.key_id);
        assert!(!dir.path().join(format!("{}.key", old.key_id)).exists());
        let trusted = ring.trusted().unwrap();
        assert!(trusted.get(&old.key_id).is_some());
        assert!(trusted.get(&new.key_id).is_some());
    }

    #[test]
    fn a_secret_readable_by_others_is_refused() {
        let dir = tempfile::tempdir().unwrap();
        let ring = Keyring::new(dir.path());
        let key_id = ring.signer().unwrap().key_id().to_owned();
        #[cfg(unix)]
        {
            use std::os::unix::fs::PermissionsExt;
            let secret = dir.path().join(format!("{key_id}.key"));
            fs::set_permissions(&secret, fs::Permissions::from_mode(0o644)).unwrap();
            let error = ring.signer().err().unwrap();
            assert!(matches!(error, KeyError::TooOpen { .. }), "{error}");
            assert!(error.to_string().contains("chmod 600"));
        }
    }

    #[test]
    fn a_public_key_file_reads_as_hex_or_json() {
        let dir = tempfile::tempdir().unwrap();
        let signer = Signer::ephemeral([7; 32]);
        let hex_file = dir.path().join("k.hex");
        fs::write(&hex_file, format!("{}\n", signer.info().public_key)).unwrap();
        let trusted = TrustedKeys::from_file(&hex_file).unwrap();
        assert!(trusted.get(signer.key_id()).is_some());
        let json_file = dir.path().join("k.pub.json");
        fs::write(&json_file, serde_json::to_string(signer.info()).unwrap()).unwrap();
        assert!(TrustedKeys::from_file(&json_file)
            .unwrap()
            .get(signer.key_id())
            .is_some());
        fs::write(&hex_file, "not a key").unwrap();
        assert!(matches!(
            TrustedKeys::from_file(&hex_file),
            Err(KeyError::NotAPublicKey(_))
        ));
    }
}
