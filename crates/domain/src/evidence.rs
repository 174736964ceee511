//! The raw protocol lines kept with a reading, as evidence of where each
//! value came from: the bench link makes them, the store keeps them.

use std::fmt;

use chrono::{DateTime, Utc};
use serde::{Deserialize, Serialize};

/// Which side sent a protocol line.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Direction {
    Host,
    Bench,
}

impl Direction {
    pub fn as_str(self) -> &'static str {
        match self {
            Direction::Host => "host",
            Direction::Bench => "bench",
        }
    }

    /// The direction named by [`Direction::as_str`]'s word.
    pub fn from_word(word: &str) -> Option<Direction> {
        match word {
            "host" => Some(Direction::Host),
            "bench" => Some(Direction::Bench),
            _ => None,
        }
    }
}

impl fmt::Display for Direction {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

/// One line as it crossed the wire.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct EvidenceLine {
    pub at: DateTime<Utc>,
    pub direction: Direction,
    /// The framed text (`body*XX`) without its `\n` (and without a `\r`
    /// before it), exactly as sent or received.
    pub line: String,
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_direction_reads_back_from_its_word() {
        for direction in [Direction::Host, Direction::Bench] {
            assert_eq!(Direction::from_word(direction.as_str()), Some(direction));
            assert_eq!(
                serde_json::to_string(&direction).expect("serializes"),
                format!("\"{direction}\"")
            );
        }
        assert_eq!(Direction::from_word("Host"), None);
    }
}
