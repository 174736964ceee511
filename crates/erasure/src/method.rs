//! What an erasure writes and how it checks it: the overwrite methods, their
//! passes, the seed of the random stream and the verification mode.

use std::fmt;
use std::str::FromStr;

use serde::{Deserialize, Serialize};
use thiserror::Error;

/// An overwrite method (NIST SP 800-88 "Clear" by overwriting).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Method {
    /// One pass of zeros.
    Zero,
    /// One pass of a ChaCha20 stream from a recorded seed.
    Random,
    /// Three passes: zeros, ones (0xFF), then the seeded stream, after the
    /// DoD 5220.22-M three-pass scheme that some customers still ask for.
    Dod3,
}

impl Method {
    pub const ALL: [Method; 3] = [Method::Zero, Method::Random, Method::Dod3];

    pub fn as_str(self) -> &'static str {
        match self {
            Method::Zero => "zero",
            Method::Random => "random",
            Method::Dod3 => "dod3",
        }
    }

    /// The passes in the order they are written; verification checks the last.
    pub fn passes(self) -> &'static [Pattern] {
        match self {
            Method::Zero => &[Pattern::Fill(0x00)],
            Method::Random => &[Pattern::Stream],
            Method::Dod3 => &[Pattern::Fill(0x00), Pattern::Fill(0xFF), Pattern::Stream],
        }
    }

    /// Whether the method draws on the seeded stream (and so records a seed).
    pub fn uses_seed(self) -> bool {
        self.passes().contains(&Pattern::Stream)
    }
}

impl fmt::Display for Method {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

#[derive(Debug, Clone, PartialEq, Eq, Error)]
#[error("{word:?} is not an erasure method; use zero, random or dod3")]
pub struct UnknownMethod {
    pub word: String,
}

impl FromStr for Method {
    type Err = UnknownMethod;

    fn from_str(word: &str) -> Result<Self, Self::Err> {
        Method::ALL
            .into_iter()
            .find(|method| method.as_str() == word)
            .ok_or_else(|| UnknownMethod {
                word: word.to_owned(),
            })
    }
}

/// What one pass writes.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case", tag = "kind", content = "byte")]
pub enum Pattern {
    /// Every byte the same value.
    Fill(u8),
    /// The ChaCha20 keystream of the erasure's seed, byte `n` of the target
    /// being byte `n` of the stream, so any block can be regenerated alone.
    Stream,
}

impl fmt::Display for Pattern {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Pattern::Fill(byte) => write!(f, "0x{byte:02x}"),
            Pattern::Stream => f.write_str("seeded stream"),
        }
    }
}

/// The 256-bit key of the random stream, recorded as 64 hex digits so the
/// verification (and anyone re-checking later) can regenerate every byte.
#[derive(Clone, Copy, PartialEq, Eq, Hash)]
pub struct Seed(pub [u8; 32]);

impl Seed {
    /// A fresh seed from the operating system's random source.
    pub fn generate() -> Result<Seed, getrandom::Error> {
        let mut bytes = [0u8; 32];
        getrandom::fill(&mut bytes)?;
        Ok(Seed(bytes))
    }

    pub fn to_hex(self) -> String {
        hex::encode(self.0)
    }
}

impl fmt::Debug for Seed {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "Seed({})", self.to_hex())
    }
}

impl fmt::Display for Seed {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.to_hex())
    }
}

#[derive(Debug, Clone, PartialEq, Eq, Error)]
#[error("{text:?} is not a seed: a seed is 64 hexadecimal digits (32 bytes)")]
pub struct BadSeed {
    pub text: String,
}

impl FromStr for Seed {
    type Err = BadSeed;

    fn from_str(text: &str) -> Result<Self, Self::Err> {
        let bad = || BadSeed {
            text: text.to_owned(),
        };
        let bytes = hex::decode(text.trim()).map_err(|_| bad())?;
        let bytes: [u8; 32] = bytes.try_into().map_err(|_| bad())?;
        Ok(Seed(bytes))
    }
}

impl Serialize for Seed {
    fn serialize<S: serde::Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        serializer.serialize_str(&self.to_hex())
    }
}

impl<'de> Deserialize<'de> for Seed {
    fn deserialize<D: serde::Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        let text = String::deserialize(deserializer)?;
        text.parse().map_err(serde::de::Error::custom)
    }
}

/// How the last pass is checked.
#[derive(Debug, Clone, Copy, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case", tag = "mode")]
pub enum Verify {
    /// Every byte read back.
    Full,
    /// Randomly chosen 1 MiB blocks covering at least `percent` % of the
    /// target, always with the first and the last MiB.
    Sample { percent: f64 },
}

impl fmt::Display for Verify {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Verify::Full => f.write_str("full"),
            Verify::Sample { percent } => write!(f, "sample:{percent}"),
        }
    }
}

#[derive(Debug, Clone, PartialEq, Eq, Error)]
#[error(
    "{text:?} is not a verification mode; use full, or sample:PCT with PCT a percentage above 0 and \
     at most 100 (for example sample:10)"
)]
pub struct BadVerify {
    pub text: String,
}

impl FromStr for Verify {
    type Err = BadVerify;

    fn from_str(text: &str) -> Result<Self, Self::Err> {
        let bad = || BadVerify {
            text: text.to_owned(),
        };
        if text == "full" {
            return Ok(Verify::Full);
        }
        let percent = text
            .strip_prefix("sample:")
            .ok_or_else(bad)?
            .trim_end_matches('%')
            .parse::<f64>()
            .map_err(|_| bad())?;
        if !(percent > 0.0 && percent <= 100.0) {
            return Err(bad());
        }
        Ok(Verify::Sample { percent })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn methods_round_trip_and_have_their_passes() {
        for method in Method::ALL {
            assert_eq!(method.as_str().parse::<Method>(), Ok(method));
        }
        assert_eq!(Method::Zero.passes(), &[Pattern::Fill(0)]);
        assert_eq!(Method::Dod3.passes().len(), 3);
        assert_eq!(Method::Dod3.passes()[2], Pattern::Stream);
        assert!(!Method::Zero.uses_seed());
        assert!(Method::Random.uses_seed() && Method::Dod3.uses_seed());
        assert!("gutmann".parse::<Method>().is_err());
    }

    #[test]
    fn verify_modes_parse_and_reject_nonsense() {
        assert_eq!("full".parse::<Verify>(), Ok(Verify::Full));
        assert_eq!(
            "sample:12.5".parse::<Verify>(),
            Ok(Verify::Sample { percent: 12.5 })
        );
        assert_eq!(
            "sample:10".parse::<Verify>().map(|v| v.to_string()),
            Ok("sample:10".to_owned())
        );
        for bad in [
            "sample:0",
            "sample:101",
            "sample:",
            "sample:x",
            "some",
            "sample:NaN",
        ] {
            assert!(bad.parse::<Verify>().is_err(), "{bad} must be refused");
        }
    }

    #[test]
    fn seeds_round_trip_through_hex() {
        let seed = Seed([7; 32]);
        assert_eq!(seed.to_hex().parse::<Seed>(), Ok(seed));
        assert!("abcd".parse::<Seed>().is_err());
        let json = serde_json::to_string(&seed).expect("serialises");
        assert_eq!(serde_json::from_str::<Seed>(&json).expect("parses"), seed);
        assert_ne!(
            Seed::generate().expect("os random"),
            Seed::generate().expect("os random")
        );
    }
}
