//! The bytes a pass puts at any offset of the target: a fill byte, or the
//! seeded ChaCha20 stream positioned at that offset, so the verification and
//! a sampled check can regenerate any block without replaying the ones
//! before it.

use rand_chacha::ChaCha20Rng;
use rand_core::{RngCore, SeedableRng};

use crate::method::{Pattern, Seed};

/// Fills `buf` with what `pattern` puts at `offset` of the target.
pub fn fill(pattern: Pattern, seed: Option<Seed>, offset: u64, buf: &mut [u8]) {
    match pattern {
        Pattern::Fill(byte) => buf.fill(byte),
        Pattern::Stream => {
            // A stream pass always has a seed (the plan makes one); an all-zero
            // key here would still be deterministic, never a panic.
            let seed = seed.unwrap_or(Seed([0; 32]));
            let mut rng = ChaCha20Rng::from_seed(seed.0);
            // The generator seeks in 32-bit words and hands out whole words,
            // so an offset inside a word takes the rest of that word first.
            rng.set_word_pos(u128::from(offset / 4));
            let skip = (offset % 4) as usize;
            let mut rest = buf;
            if skip > 0 {
                let mut word = [0u8; 4];
                rng.fill_bytes(&mut word);
                let take = (4 - skip).min(rest.len());
                rest[..take].copy_from_slice(&word[skip..skip + take]);
                rest = &mut rest[take..];
            }
            rng.fill_bytes(rest);
        }
    }
}

/// Whether a fill pattern's buffer can be filled once and reused for every
/// block (true for fill bytes, false for the stream).
pub fn is_constant(pattern: Pattern) -> bool {
    matches!(pattern, Pattern::Fill(_))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_stream_at_an_offset_is_the_same_bytes_as_the_whole_stream() {
        let seed = Some(Seed([3; 32]));
        let mut whole = vec![0u8; 10_000];
        fill(Pattern::Stream, seed, 0, &mut whole);
        for offset in [0usize, 4, 7, 512, 4093, 9_000] {
            let mut part = vec![0u8; 1_000.min(10_000 - offset)];
            fill(Pattern::Stream, seed, offset as u64, &mut part);
            assert_eq!(part, whole[offset..offset + part.len()], "offset {offset}");
        }
        let mut other = vec![0u8; 64];
        fill(Pattern::Stream, Some(Seed([4; 32])), 0, &mut other);
        assert_ne!(other, whole[..64], "another seed must give other bytes");
        assert!(whole.iter().any(|&b| b != 0));
    }

    #[test]
    fn fill_bytes_fill_everything() {
        let mut buf = vec![1u8; 33];
        fill(Pattern::Fill(0xff), None, 123, &mut buf);
        assert!(buf.iter().all(|&b| b == 0xff));
        assert!(is_constant(Pattern::Fill(0)) && !is_constant(Pattern::Stream));
    }
}
