//! Counters of one link, so a flaky cable or a misbehaving bench shows up in numbers.

use serde::{Deserialize, Serialize};

/// Why a received line was dropped.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum BadLineKind {
    /// The `*XX` tail did not match the body.
    BadCrc,
    /// No `*XX` tail, or one that is not two uppercase hex digits.
    MissingCrc,
    /// Longer than 512 bytes with its `\n`.
    TooLong,
    /// Framed correctly but not a message a bench may send (bad grammar, a request, a HELLO
    /// reply without its required fields).
    Unparsable,
    /// A response whose tag this link never used (or used too long ago to remember).
    UnknownTag,
    /// An unfinished line cut off when the port closed.
    Truncated,
}

/// Dropped lines, by reason.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct BadLineCounts {
    pub bad_crc: u64,
    pub missing_crc: u64,
    pub too_long: u64,
    pub unparsable: u64,
    pub unknown_tag: u64,
    pub truncated: u64,
}

impl BadLineCounts {
    pub fn total(&self) -> u64 {
        self.bad_crc
            + self.missing_crc
            + self.too_long
            + self.unparsable
            + self.unknown_tag
            + self.truncated
    }

    pub fn get(&self, kind: BadLineKind) -> u64 {
        match kind {
            BadLineKind::BadCrc => self.bad_crc,
            BadLineKind::MissingCrc => self.missing_crc,
            BadLineKind::TooLong => self.too_long,
            BadLineKind::Unparsable => self.unparsable,
            BadLineKind::UnknownTag => self.unknown_tag,
            BadLineKind::Truncated => self.truncated,
        }
    }

    pub(crate) fn count(&mut self, kind: BadLineKind) {
        let counter = match kind {
            BadLineKind::BadCrc => &mut self.bad_crc,
            BadLineKind::MissingCrc => &mut self.missing_crc,
            BadLineKind::TooLong => &mut self.too_long,
            BadLineKind::Unparsable => &mut self.unparsable,
            BadLineKind::UnknownTag => &mut self.unknown_tag,
            BadLineKind::Truncated => &mut self.truncated,
        };
        *counter += 1;
    }
}

/// A snapshot of a link's counters since [`crate::BenchLink::connect`].
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct LinkStats {
    /// Request lines written, first attempts and retries alike, the link's own HELLOs included.
    pub requests_sent: u64,
    /// Request lines that repeated an earlier request under a new tag.
    pub retries: u64,
    /// Attempts that got no response within the request timeout.
    pub timeouts: u64,
    /// `ERR BAD_CRC` answers: the bench could not read one of our lines.
    pub bad_crc_answers: u64,
    /// Lines dropped, by reason.
    pub bad_lines: BadLineCounts,
    /// Responses whose tag was already answered (the bench sent one twice); ignored.
    pub duplicate_responses: u64,
    /// Responses to an attempt that had already timed out or been resent; ignored.
    pub late_responses: u64,
    /// Valid events delivered, `! RESET` included.
    pub events: u64,
    /// `! RESET` events seen.
    pub resets: u64,
    /// Times the port was reopened after it had been lost.
    pub reconnects: u64,
}
