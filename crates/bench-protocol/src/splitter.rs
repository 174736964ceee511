//! Turns the serial byte stream into lines, with memory bounded by the line limit.

use crate::framing::MAX_LINE_BYTES;

/// A line the splitter had to throw away.
#[derive(Debug, Clone, Copy, PartialEq, Eq, thiserror::Error)]
pub enum LineError {
    #[error(
        "a line of {discarded} bytes (counting its `\\n`) exceeded the {max}-byte limit and was \
         discarded; count it as a bad line (the bench must keep every line within the limit)",
        max = MAX_LINE_BYTES
    )]
    TooLong { discarded: usize },
}

/// Content bytes (everything but the `\n`) a line may have.
const MAX_CONTENT_BYTES: usize = MAX_LINE_BYTES - 1;

/// Incremental splitter for a byte stream: feed chunks, get complete lines. Enforces the
/// 512-byte limit: a line longer than 512 bytes incl. '\n' yields exactly one
/// [`LineError::TooLong`] and all bytes up to the next '\n' are discarded (without buffering
/// them: memory stays bounded whatever the input).
///
/// The error is reported when the over-long line's `\n` arrives, so that errors and good lines
/// come out in stream order and `discarded` is the line's full length including its `\n`.
#[derive(Debug, Clone)]
pub struct LineSplitter {
    /// Start of a line whose `\n` has not arrived yet; never longer than `MAX_CONTENT_BYTES`.
    partial: Vec<u8>,
    /// `Some(count)` while skipping the rest of an over-long line; `count` bytes skipped so far.
    discarding: Option<usize>,
}

impl Default for LineSplitter {
    fn default() -> Self {
        Self::new()
    }
}

impl LineSplitter {
    pub fn new() -> Self {
        Self {
            partial: Vec::new(),
            discarding: None,
        }
    }

    /// Appends bytes; calls `sink` once per complete line (bytes without '\n'), or once per
    /// over-long line with Err.
    pub fn push(&mut self, bytes: &[u8], mut sink: impl FnMut(Result<&[u8], LineError>)) {
        let mut rest = bytes;
        while let Some(newline) = find_newline(rest) {
            let segment = &rest[..newline];
            rest = &rest[newline + 1..];
            if let Some(skipped) = self.discarding.take() {
                let discarded = skipped.saturating_add(segment.len() + 1);
                sink(Err(LineError::TooLong { discarded }));
            } else if self.partial.is_empty() {
                // Whole line inside this chunk: hand out a borrow, no copy.
                if segment.len() > MAX_CONTENT_BYTES {
                    sink(Err(LineError::TooLong {
                        discarded: segment.len() + 1,
                    }));
                } else {
                    sink(Ok(segment));
                }
            } else {
                let content_len = self.partial.len() + segment.len();
                if content_len > MAX_CONTENT_BYTES {
                    self.partial.clear();
                    sink(Err(LineError::TooLong {
                        discarded: content_len + 1,
                    }));
                } else {
                    self.partial.extend_from_slice(segment);
                    sink(Ok(&self.partial));
                    self.partial.clear();
                }
            }
        }
        self.hold_unfinished(rest);
    }

    /// Bytes of an unfinished line currently held (for EOF handling: an unfinished line at EOF
    /// is discarded by the caller).
    pub fn pending(&self) -> usize {
        self.partial.len()
    }

    /// True while the splitter is skipping the tail of an over-long line whose `\n` has not come
    /// yet. At EOF such a line was never reported; the caller may count it as bad.
    pub fn is_discarding(&self) -> bool {
        self.discarding.is_some()
    }

    /// Forgets any unfinished line, e.g. after the port was reopened.
    pub fn reset(&mut self) {
        self.partial.clear();
        self.discarding = None;
    }

    fn hold_unfinished(&mut self, tail: &[u8]) {
        if tail.is_empty() {
            return;
        }
        if let Some(skipped) = self.discarding.as_mut() {
            *skipped = skipped.saturating_add(tail.len());
        } else if self.partial.len() + tail.len() > MAX_CONTENT_BYTES {
            // Already too long for any valid line: stop buffering instead of waiting for `\n`.
            self.discarding = Some(self.partial.len() + tail.len());
            self.partial.clear();
        } else {
            self.partial.extend_from_slice(tail);
        }
    }
}

/// Eight bytes at a time: a byte-by-byte search was a visible share of the receive path.
fn find_newline(bytes: &[u8]) -> Option<usize> {
    const ONES: u64 = u64::from_le_bytes([0x01; 8]);
    const HIGH_BITS: u64 = u64::from_le_bytes([0x80; 8]);
    const NEWLINES: u64 = u64::from_le_bytes([b'\n'; 8]);
    let mut words = bytes.chunks_exact(8);
    let mut offset = 0;
    for word in &mut words {
        let Ok(word) = <[u8; 8]>::try_from(word) else {
            break;
        };
        // Bytes equal to '\n' become zero; the classic zero-byte test may also flag bytes after
        // a true zero (borrow), but never before one, so the lowest flag is exact.
        let xored = u64::from_le_bytes(word) ^ NEWLINES;
        let zero_flags = xored.wrapping_sub(ONES) & !xored & HIGH_BITS;
        if zero_flags != 0 {
            return Some(offset + (zero_flags.trailing_zeros() / 8) as usize);
        }
        offset += 8;
    }
    bytes[offset..]
        .iter()
        .position(|&byte| byte == b'\n')
        .map(|position| offset + position)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn split_all(chunks: &[&[u8]]) -> (Vec<Result<Vec<u8>, LineError>>, LineSplitter) {
        let mut splitter = LineSplitter::new();
        let mut out = Vec::new();
        for chunk in chunks {
            splitter.push(chunk, |line| out.push(line.map(<[u8]>::to_vec)));
        }
        (out, splitter)
    }

    #[test]
    fn splits_lines_within_one_chunk() {
        let (lines, splitter) = split_all(&[b"a*00\nbb*11\n"]);
        assert_eq!(lines, vec![Ok(b"a*00".to_vec()), Ok(b"bb*11".to_vec())]);
        assert_eq!(splitter.pending(), 0);
    }

    #[test]
    fn joins_a_line_split_across_chunks() {
        let (lines, splitter) = split_all(&[b"1 HE", b"LLO", b"*A3\n2 P", b"ING"]);
        assert_eq!(lines, vec![Ok(b"1 HELLO*A3".to_vec())]);
        assert_eq!(splitter.pending(), "2 PING".len());
    }

    #[test]
    fn keeps_carriage_returns_for_unframe_to_strip() {
        let (lines, _) = split_all(&[b"x\r\n"]);
        assert_eq!(lines, vec![Ok(b"x\r".to_vec())]);
    }

    #[test]
    fn reports_empty_lines() {
        let (lines, _) = split_all(&[b"\n\n"]);
        assert_eq!(lines, vec![Ok(Vec::new()), Ok(Vec::new())]);
    }

    #[test]
    fn accepts_a_line_of_exactly_the_limit() {
        let mut line = vec![b'x'; MAX_LINE_BYTES - 1];
        line.push(b'\n');
        let (lines, _) = split_all(&[&line[..100], &line[100..]]);
        assert_eq!(lines, vec![Ok(vec![b'x'; MAX_LINE_BYTES - 1])]);
    }

    #[test]
    fn rejects_a_line_one_byte_over_the_limit_in_one_chunk() {
        let mut input = vec![b'x'; MAX_LINE_BYTES];
        input.extend_from_slice(b"\nok\n");
        let (lines, _) = split_all(&[&input]);
        assert_eq!(
            lines,
            vec![
                Err(LineError::TooLong {
                    discarded: MAX_LINE_BYTES + 1
                }),
                Ok(b"ok".to_vec())
            ]
        );
    }

    #[test]
    fn reports_a_long_line_once_and_resyncs_on_the_next_newline() {
        let mut splitter = LineSplitter::new();
        let mut out = Vec::new();
        splitter.push(b"ok1\nstart", |line| out.push(line.map(<[u8]>::to_vec)));
        for _ in 0..100 {
            splitter.push(&[b'y'; 1000], |line| out.push(line.map(<[u8]>::to_vec)));
            assert!(splitter.pending() <= MAX_CONTENT_BYTES);
            assert!(splitter.is_discarding());
        }
        splitter.push(b"end\nok2\n", |line| out.push(line.map(<[u8]>::to_vec)));
        assert_eq!(
            out,
            vec![
                Ok(b"ok1".to_vec()),
                Err(LineError::TooLong {
                    discarded: 5 + 100 * 1000 + 4
                }),
                Ok(b"ok2".to_vec()),
            ]
        );
        assert!(!splitter.is_discarding());
        assert_eq!(splitter.pending(), 0);
    }

    #[test]
    fn overflow_detected_while_joining_chunks() {
        let (lines, splitter) = split_all(&[
            &[b'a'; 300],
            &[b'b'; 211],
            b"\n",
            &[b'c'; 300],
            &[b'd'; 212],
        ]);
        assert_eq!(
            lines,
            vec![Ok([[b'a'; 300].as_slice(), &[b'b'; 211]].concat())]
        );
        assert!(splitter.is_discarding());
        assert_eq!(splitter.pending(), 0);
    }

    #[test]
    fn overflow_detected_when_the_newline_arrives() {
        let (lines, _) = split_all(&[&[b'a'; 300], &[b'b'; 300], b"\n"]);
        assert_eq!(lines, vec![Err(LineError::TooLong { discarded: 601 })]);
    }

    #[test]
    fn reset_forgets_the_unfinished_line() {
        let mut splitter = LineSplitter::new();
        splitter.push(b"half a li", |_| {});
        assert_eq!(splitter.pending(), 9);
        splitter.reset();
        let mut out = Vec::new();
        splitter.push(b"ne\n", |line| out.push(line.map(<[u8]>::to_vec)));
        assert_eq!(out, vec![Ok(b"ne".to_vec())]);
    }

    proptest::proptest! {
        #[test]
        fn find_newline_agrees_with_a_plain_search(
            bytes in proptest::collection::vec(
                proptest::prop_oneof![proptest::prelude::any::<u8>(), proptest::strategy::Just(b'\n'), proptest::strategy::Just(0x0B_u8), proptest::strategy::Just(0x09_u8)],
                0..40,
            )
        ) {
            proptest::prop_assert_eq!(
                find_newline(&bytes),
                bytes.iter().position(|&byte| byte == b'\n')
            );
        }
    }

    #[test]
    fn error_message_names_the_size_and_the_limit() {
        let message = LineError::TooLong { discarded: 900 }.to_string();
        assert!(
            message.contains("900") && message.contains("512"),
            "{message}"
        );
    }
}
