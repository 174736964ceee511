//! The workstation's ADB key: the RSA key a phone's owner accepts on screen ("Allow USB
//! debugging?") and the phone then trusts, so the workstation can read it without the adb server.
//!
//! The key lives where Google's adb keeps its own (`$ANDROID_USER_HOME/adbkey`, else
//! `~/.android/adbkey`) and in the same form: a PKCS#8 PEM private key, and beside it
//! `adbkey.pub`, the public key in Android's own encoding. Sharing the file means a phone that
//! already trusts this computer's `adb` trusts the station too, and the reverse.
//!
//! Android's public key encoding (what a phone keeps in `/data/misc/adb/adb_keys`, one per line)
//! is base64 of a little-endian structure made for a verifier without a bignum library: the
//! modulus size in 32-bit words (64), `n0inv` = -1/n mod 2³², the modulus, R² mod n with
//! R = 2²⁰⁴⁸ (both 256 bytes, least significant first) and the exponent; then a space and a name
//! (`user@host`). The signature is PKCS#1 v1.5 with SHA-1's DigestInfo over the phone's 20-byte
//! token as given, not hashed again: adb treats the token as the digest.
//!
//! ```
//! use refurbdesk_adb::key::{AdbKey, AndroidPublicKey};
//!
//! let key = AdbKey::from_pem(include_str!("../../../fixtures/adb/keys/station-adbkey")).unwrap();
//! let line = key.public_key_line("bench@station");
//! let public = AndroidPublicKey::parse(&line).unwrap();
//! assert_eq!(public.name(), "bench@station");
//!
//! let token = [7u8; 20];
//! let signature = key.sign_token(&token).unwrap();
//! assert!(public.verifies(&token, &signature));
//! assert!(!public.verifies(&[8u8; 20], &signature));
//! ```

use std::path::{Path, PathBuf};

use base64::Engine;
use rsa::pkcs8::{DecodePrivateKey, EncodePrivateKey, LineEnding};
use rsa::traits::PublicKeyParts;
use rsa::{BoxedUint, Pkcs1v15Sign, PrivateKey, PublicKey};

/// The only modulus size Android's encoding holds: 2048 bits.
pub const MODULUS_BYTES: usize = 256;
const MODULUS_WORDS: u32 = (MODULUS_BYTES / 4) as u32;
/// The encoded structure's length: size, n0inv, modulus, R², exponent.
const ENCODED_BYTES: usize = 4 + 4 + MODULUS_BYTES + MODULUS_BYTES + 4;
/// The token a phone sends to be signed.
pub const TOKEN_BYTES: usize = 20;

/// Why a key cannot be used.
#[derive(Debug, thiserror::Error)]
pub enum KeyError {
    #[error("cannot read the ADB key {path}: {source}")]
    Read {
        path: String,
        #[source]
        source: std::io::Error,
    },
    #[error("cannot write the ADB key {path}: {source}")]
    Write {
        path: String,
        #[source]
        source: std::io::Error,
    },
    #[error("{path} is not an RSA private key in PEM (PKCS#8 or PKCS#1) as adb writes it; move it away to have a new key made")]
    NotAKey { path: String },
    #[error("the ADB key is {bits} bits; Android accepts only 2048-bit keys")]
    WrongSize { bits: usize },
    #[error("cannot make a new ADB key: {0}")]
    Generate(String),
    #[error("cannot sign the phone's token: {0}")]
    Sign(String),
}

/// Why a public key line is not one Android would accept.
#[derive(Debug, thiserror::Error, PartialEq, Eq)]
pub enum PublicKeyError {
    #[error("the public key is not base64")]
    NotBase64,
    #[error("the public key is {0} bytes, not the 524 of Android's encoding")]
    WrongLength(usize),
    #[error("the public key says {0} modulus words, not 64")]
    WrongSize(u32),
    #[error("the public key's n0inv does not match its modulus")]
    Inconsistent,
    #[error("the public key's modulus or exponent is not a usable RSA key")]
    Unusable,
}

/// The workstation's private key.
pub struct AdbKey {
    private: PrivateKey,
}

impl std::fmt::Debug for AdbKey {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        // Never the private parts.
        f.debug_struct("AdbKey").finish_non_exhaustive()
    }
}

/// Where adb keeps its key: `$ANDROID_USER_HOME/adbkey`, else `$HOME/.android/adbkey`.
pub fn default_key_path() -> Option<PathBuf> {
    if let Some(dir) = std::env::var_os("ANDROID_USER_HOME").filter(|d| !d.is_empty()) {
        return Some(PathBuf::from(dir).join("adbkey"));
    }
    std::env::var_os("HOME")
        .filter(|d| !d.is_empty())
        .map(|home| PathBuf::from(home).join(".android").join("adbkey"))
}

impl AdbKey {
    /// Reads a PEM private key as adb writes it (PKCS#8; older adb wrote PKCS#1).
    pub fn from_pem(text: &str) -> Result<Self, KeyError> {
        let private = PrivateKey::from_pkcs8_pem(text)
            .ok()
            .or_else(|| {
                use rsa::pkcs1::DecodeRsaPrivateKey;
                PrivateKey::from_pkcs1_pem(text).ok()
            })
            .ok_or_else(|| KeyError::NotAKey {
                path: "the key".to_string(),
            })?;
        Self::from_private(private)
    }

    fn from_private(private: PrivateKey) -> Result<Self, KeyError> {
        let bytes = private.size();
        if bytes != MODULUS_BYTES {
            return Err(KeyError::WrongSize { bits: bytes * 8 });
        }
        Ok(Self { private })
    }

    /// A new 2048-bit key (exponent 65537), as adb makes on first use.
    pub fn generate() -> Result<Self, KeyError> {
        let mut rng = getrandom::SysRng;
        let private = PrivateKey::new(&mut rng, MODULUS_BYTES * 8)
            .map_err(|error| KeyError::Generate(error.to_string()))?;
        Self::from_private(private)
    }

    /// Reads the key at `path`, or makes one there (mode 0600, with `adbkey.pub` beside it,
    /// named `name`) when there is none. Returns the key and whether it was made.
    pub fn load_or_create(path: &Path, name: &str) -> Result<(Self, bool), KeyError> {
        match std::fs::read_to_string(path) {
            Ok(text) => {
                let key = Self::from_pem(&text).map_err(|error| match error {
                    KeyError::NotAKey { .. } => KeyError::NotAKey {
                        path: path.display().to_string(),
                    },
                    other => other,
                })?;
                Ok((key, false))
            }
            Err(error) if error.kind() == std::io::ErrorKind::NotFound => {
                let key = Self::generate()?;
                key.write(path, name)?;
                Ok((key, true))
            }
            Err(source) => Err(KeyError::Read {
                path: path.display().to_string(),
                source,
            }),
        }
    }

    /// Writes the private key (0600) and `PATH.pub`, creating the directory.
    pub fn write(&self, path: &Path, name: &str) -> Result<(), KeyError> {
        let failed = |source: std::io::Error| KeyError::Write {
            path: path.display().to_string(),
            source,
        };
        if let Some(dir) = path.parent().filter(|d| !d.as_os_str().is_empty()) {
            std::fs::create_dir_all(dir).map_err(failed)?;
        }
        let pem = self
            .private
            .to_pkcs8_pem(LineEnding::LF)
            .map_err(|error| failed(std::io::Error::other(error.to_string())))?;
        write_private(path, pem.as_bytes()).map_err(failed)?;
        let mut public = path.as_os_str().to_owned();
        public.push(".pub");
        std::fs::write(PathBuf::from(public), self.public_key_line(name) + "\n").map_err(failed)
    }

    /// The public key as Android keeps it: base64 of its encoding, a space and `name`.
    pub fn public_key_line(&self, name: &str) -> String {
        let encoded = encode_public(self.private.as_ref());
        format!(
            "{} {name}",
            base64::engine::general_purpose::STANDARD.encode(encoded)
        )
    }

    /// The phone's token signed as adb signs it: PKCS#1 v1.5, SHA-1's DigestInfo, the token as
    /// the digest.
    pub fn sign_token(&self, token: &[u8]) -> Result<Vec<u8>, KeyError> {
        if token.len() != TOKEN_BYTES {
            return Err(KeyError::Sign(format!(
                "the token is {} bytes, not {TOKEN_BYTES}",
                token.len()
            )));
        }
        self.private
            .sign(Pkcs1v15Sign::new::<sha1::Sha1>(), token)
            .map_err(|error| KeyError::Sign(error.to_string()))
    }
}

#[cfg(unix)]
fn write_private(path: &Path, bytes: &[u8]) -> std::io::Result<()> {
    use std::io::Write;
    use std::os::unix::fs::OpenOptionsExt;
    let mut file = std::fs::OpenOptions::new()
        .write(true)
        .create(true)
        .truncate(true)
        .mode(0o600)
        .open(path)?;
    file.write_all(bytes)
}

#[cfg(not(unix))]
fn write_private(path: &Path, bytes: &[u8]) -> std::io::Result<()> {
    std::fs::write(path, bytes)
}

/// A public key from a phone's `adb_keys` or the `AUTH` message that offers it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct AndroidPublicKey {
    key: PublicKey,
    name: String,
}

impl AndroidPublicKey {
    /// Reads one line: base64, then optionally a space and a name. A trailing NUL (as in the
    /// `AUTH` payload) and line ending are ignored.
    pub fn parse(line: &str) -> Result<Self, PublicKeyError> {
        let line = line.trim_end_matches(['\0', '\n', '\r']).trim();
        let (encoded, name) = line.split_once(' ').unwrap_or((line, ""));
        let bytes = base64::engine::general_purpose::STANDARD
            .decode(encoded)
            .map_err(|_| PublicKeyError::NotBase64)?;
        if bytes.len() != ENCODED_BYTES {
            return Err(PublicKeyError::WrongLength(bytes.len()));
        }
        let word = |at: usize| {
            u32::from_le_bytes([bytes[at], bytes[at + 1], bytes[at + 2], bytes[at + 3]])
        };
        let words = word(0);
        if words != MODULUS_WORDS {
            return Err(PublicKeyError::WrongSize(words));
        }
        let n0inv = word(4);
        let mut modulus: Vec<u8> = bytes[8..8 + MODULUS_BYTES].to_vec();
        let exponent = word(8 + 2 * MODULUS_BYTES);
        if n0inv != minus_inverse(word(8)) {
            return Err(PublicKeyError::Inconsistent);
        }
        modulus.reverse();
        let n = BoxedUint::from_be_slice_vartime(&modulus);
        let e = BoxedUint::from(u64::from(exponent));
        let key = PublicKey::new(n, e).map_err(|_| PublicKeyError::Unusable)?;
        Ok(Self {
            key,
            name: name.trim().to_string(),
        })
    }

    /// The name after the key (`user@host`), empty if none.
    pub fn name(&self) -> &str {
        &self.name
    }

    /// Whether `signature` is this key's signature of `token`, as a phone checks it.
    pub fn verifies(&self, token: &[u8], signature: &[u8]) -> bool {
        token.len() == TOKEN_BYTES
            && self
                .key
                .verify(Pkcs1v15Sign::new::<sha1::Sha1>(), token, signature)
                .is_ok()
    }

    /// The key in Android's encoding, base64, without a name.
    pub fn encoded(&self) -> String {
        base64::engine::general_purpose::STANDARD.encode(encode_public(&self.key))
    }
}

/// Android's encoding of a 2048-bit public key.
fn encode_public(key: &PublicKey) -> Vec<u8> {
    let mut big_endian = key.n_bytes().to_vec();
    // A 2048-bit modulus is exactly 256 bytes; pad defensively all the same.
    while big_endian.len() < MODULUS_BYTES {
        big_endian.insert(0, 0);
    }
    let mut little = big_endian.clone();
    little.reverse();
    let n = num_bigint::BigUint::from_bytes_be(&big_endian);
    let r_squared = (num_bigint::BigUint::from(1u8) << (2 * 8 * MODULUS_BYTES)) % &n;
    let mut rr = r_squared.to_bytes_le();
    rr.resize(MODULUS_BYTES, 0);
    let low = u32::from_le_bytes([little[0], little[1], little[2], little[3]]);
    let exponent = key
        .e_bytes()
        .iter()
        .fold(0u32, |e, &b| (e << 8) | u32::from(b));

    let mut out = Vec::with_capacity(ENCODED_BYTES);
    out.extend_from_slice(&MODULUS_WORDS.to_le_bytes());
    out.extend_from_slice(&minus_inverse(low).to_le_bytes());
    out.extend_from_slice(&little);
    out.extend_from_slice(&rr);
    out.extend_from_slice(&exponent.to_le_bytes());
    out
}

/// -1/x mod 2³² for odd x (Newton's iteration doubles the correct low bits each step).
fn minus_inverse(x: u32) -> u32 {
    let mut inverse: u32 = 1;
    for _ in 0..5 {
        inverse = inverse.wrapping_mul(2u32.wrapping_sub(x.wrapping_mul(inverse)));
    }
    inverse.wrapping_neg()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn minus_inverse_is_the_negated_inverse() {
        for x in [1u32, 3, 65537, 0xffff_ffff, 0x1234_5679] {
            assert_eq!(x.wrapping_mul(minus_inverse(x)), u32::MAX, "{x}");
        }
    }

    #[test]
    fn a_line_with_another_size_or_a_wrong_n0inv_is_refused() {
        let key = AdbKey::from_pem(include_str!("../../../fixtures/adb/keys/station-adbkey"))
            .expect("fixture key");
        let line = key.public_key_line("x@y");
        let (b64, _) = line.split_once(' ').unwrap();
        let mut bytes = base64::engine::general_purpose::STANDARD
            .decode(b64)
            .unwrap();
        bytes[4] ^= 1;
        let edited = base64::engine::general_purpose::STANDARD.encode(&bytes);
        assert_eq!(
            AndroidPublicKey::parse(&edited),
            Err(PublicKeyError::Inconsistent)
        );
        bytes[4] ^= 1;
        bytes[0] = 32;
        let edited = base64::engine::general_purpose::STANDARD.encode(&bytes);
        assert_eq!(
            AndroidPublicKey::parse(&edited),
            Err(PublicKeyError::WrongSize(32))
        );
        assert_eq!(
            AndroidPublicKey::parse("AAAA x@y"),
            Err(PublicKeyError::WrongLength(3))
        );
        assert_eq!(
            AndroidPublicKey::parse("not base64!"),
            Err(PublicKeyError::NotBase64)
        );
    }
}
