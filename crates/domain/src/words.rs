//! Wire words: the lowercase tokens that name enum values on the bench line,
//! in the store and in JSON. One macro keeps `as_str`, `Display`, `FromStr`
//! and serde in agreement, so a word can never mean two things.

use thiserror::Error;

/// A token that is not one of the words an enum accepts.
#[derive(Debug, Clone, PartialEq, Eq, Error)]
#[error("{word:?} is not a known {kind}; use one of: {}", .expected.join(", "))]
pub struct UnknownWordError {
    /// What the word was meant to name, e.g. "device category".
    pub kind: &'static str,
    /// The token as received.
    pub word: String,
    /// Every accepted word, in declaration order.
    pub expected: &'static [&'static str],
}

/// Declares a plain enum whose variants map one-to-one onto wire words.
macro_rules! wire_enum {
    (
        $(#[$meta:meta])*
        $name:ident, $kind:literal {
            $( $(#[$variant_meta:meta])* $variant:ident => $word:literal ),+ $(,)?
        }
    ) => {
        $(#[$meta])*
        #[derive(
            Debug, Clone, Copy, PartialEq, Eq, Hash, serde::Serialize, serde::Deserialize,
        )]
        #[serde(rename_all = "snake_case")]
        pub enum $name {
            $( $(#[$variant_meta])* $variant ),+
        }

        impl $name {
            /// Every value, in declaration order.
            pub const ALL: &'static [$name] = &[$( $name::$variant ),+];
            /// The wire words, in the same order as [`Self::ALL`].
            pub const WORDS: &'static [&'static str] = &[$( $word ),+];

            /// The word used on the bench line, in the store and in JSON.
            pub fn as_str(self) -> &'static str {
                match self {
                    $( $name::$variant => $word ),+
                }
            }
        }

        impl std::fmt::Display for $name {
            fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
                f.write_str(self.as_str())
            }
        }

        impl std::str::FromStr for $name {
            type Err = $crate::words::UnknownWordError;

            /// Accepts exactly the wire words: the protocol writes them in
            /// lowercase, so anything else signals a misbehaving sender.
            fn from_str(word: &str) -> Result<Self, Self::Err> {
                match word {
                    $( $word => Ok($name::$variant), )+
                    _ => Err($crate::words::UnknownWordError {
                        kind: $kind,
                        word: word.to_owned(),
                        expected: Self::WORDS,
                    }),
                }
            }
        }
    };
}

pub(crate) use wire_enum;
