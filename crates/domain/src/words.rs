//! Words: the exact lowercase tokens that name enum values on the bench
//! line, in policy files, on the command line, in the store and in JSON. One
//! macro, [`word_enum!`](crate::word_enum), keeps `as_str`, `Display`,
//! `FromStr`, serde and the declared order in agreement, so a word can never
//! mean two things; the grading crate declares its scales with it too.

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

/// Declares a plain enum whose variants map one-to-one onto words. More
/// derives (an order, say) go in as attributes before the name.
#[macro_export]
macro_rules! word_enum {
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
        pub enum $name {
            $( $(#[$variant_meta])* #[serde(rename = $word)] $variant ),+
        }

        impl $name {
            /// Every value, in declaration order.
            pub const ALL: &'static [$name] = &[$( $name::$variant ),+];
            /// The words, in the same order as [`Self::ALL`].
            pub const WORDS: &'static [&'static str] = &[$( $word ),+];

            /// The word used on the wire, in files, in the store and in JSON.
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
            type Err = $crate::UnknownWordError;

            /// Accepts exactly the words: a typo, or a sender writing
            /// anything else, is reported rather than guessed at.
            fn from_str(word: &str) -> Result<Self, Self::Err> {
                match word {
                    $( $word => Ok($name::$variant), )+
                    _ => Err($crate::UnknownWordError {
                        kind: $kind,
                        word: word.to_owned(),
                        expected: Self::WORDS,
                    }),
                }
            }
        }
    };
}
