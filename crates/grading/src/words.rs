//! Words: the exact tokens that name enum values in policy files, on the
//! command line, in the store and in JSON. One macro keeps `as_str`,
//! `Display`, `FromStr`, serde and the declared order in agreement.

use thiserror::Error;

/// A token that is not one of the words an enum accepts.
#[derive(Debug, Clone, PartialEq, Eq, Error)]
#[error("{word:?} is not a known {kind}; use one of: {}", .expected.join(", "))]
pub struct UnknownWordError {
    /// What the word was meant to name, e.g. "cosmetic level".
    pub kind: &'static str,
    /// The token as received.
    pub word: String,
    /// Every accepted word, in declaration order.
    pub expected: &'static [&'static str],
}

/// Declares a plain enum whose variants map one-to-one onto words. The
/// variants are declared best first, so the derived order reads "worse is
/// greater" for every scale in this crate.
macro_rules! word_enum {
    (
        $(#[$meta:meta])*
        $name:ident, $kind:literal {
            $( $(#[$variant_meta:meta])* $variant:ident => $word:literal ),+ $(,)?
        }
    ) => {
        $(#[$meta])*
        #[derive(
            Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord,
            serde::Serialize, serde::Deserialize,
        )]
        pub enum $name {
            $( $(#[$variant_meta])* #[serde(rename = $word)] $variant ),+
        }

        impl $name {
            /// Every value, in declaration order.
            pub const ALL: &'static [$name] = &[$( $name::$variant ),+];
            /// The words, in the same order as [`Self::ALL`].
            pub const WORDS: &'static [&'static str] = &[$( $word ),+];

            /// The word used in policy files, on the command line and in JSON.
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

            /// Accepts exactly the words, so a typo is reported rather than
            /// guessed at.
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

pub(crate) use word_enum;

/// "a", "a and b", "a, b and c": lists inside sentences a customer reads.
pub(crate) fn join_words<S: AsRef<str>>(words: &[S]) -> String {
    match words {
        [] => String::new(),
        [one] => one.as_ref().to_owned(),
        [rest @ .., last] => {
            let mut text = String::new();
            for (index, word) in rest.iter().enumerate() {
                if index > 0 {
                    text.push_str(", ");
                }
                text.push_str(word.as_ref());
            }
            text.push_str(" and ");
            text.push_str(last.as_ref());
            text
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn lists_read_as_english() {
        assert_eq!(join_words::<&str>(&[]), "");
        assert_eq!(join_words(&["screen"]), "screen");
        assert_eq!(join_words(&["screen", "back"]), "screen and back");
        assert_eq!(
            join_words(&["screen", "back", "frame"]),
            "screen, back and frame"
        );
    }
}
