//! Which parts of the target an erasure reads back: everything, in large
//! chunks, or a seeded random sample of 1 MiB blocks that always includes
//! the first and the last MiB.
//!
//! The sample is chosen in one ordered sweep (selection sampling: block `i`
//! is taken with probability `still_needed / still_left`), which gives
//! exactly the number of blocks asked for, in disk order, with constant
//! memory whatever the size of the drive.

use rand_chacha::ChaCha20Rng;
use rand_core::{RngCore, SeedableRng};

use crate::method::{Seed, Verify};

/// Bytes per read or write of a sequential pass; large enough that system
/// call overhead is negligible, small enough to keep memory bounded.
pub const CHUNK: usize = 4 << 20;

/// Size of one sampled block.
pub const SAMPLE_BLOCK: u64 = 1 << 20;

/// One contiguous range of the target.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Extent {
    pub offset: u64,
    pub len: usize,
}

/// The ranges of a pass or a verification, in disk order. Cloning it gives
/// the same sequence again (the generator thread and the reader each walk
/// their own copy).
#[derive(Debug, Clone)]
pub struct Extents {
    size: u64,
    kind: Kind,
}

#[derive(Debug, Clone)]
enum Kind {
    Sequential {
        next: u64,
    },
    Sample {
        // Boxed: the generator's state is far larger than the other variant.
        rng: Box<ChaCha20Rng>,
        blocks: u64,
        /// The next block index to consider.
        index: u64,
        /// Blocks still to take from the middle (excluding forced ones).
        needed: u64,
        /// The forced blocks at each end: `[0, head)` and `[tail, blocks)`.
        head: u64,
        tail: u64,
    },
}

impl Extents {
    /// Every byte of a target of `size` bytes, in [`CHUNK`]s.
    pub fn sequential(size: u64) -> Extents {
        Extents {
            size,
            kind: Kind::Sequential { next: 0 },
        }
    }

    /// The ranges `verify` reads on a target of `size` bytes; `sample_seed`
    /// picks the sampled blocks (ignored for a full verification).
    pub fn for_verify(size: u64, verify: Verify, sample_seed: Seed) -> Extents {
        let percent = match verify {
            Verify::Full => return Extents::sequential(size),
            Verify::Sample { percent } => percent,
        };
        let blocks = size.div_ceil(SAMPLE_BLOCK);
        // The first MiB is block 0; the last MiB is the last block, plus the
        // one before it when the last block is shorter than a MiB.
        let head = blocks.min(1);
        let short_tail = !size.is_multiple_of(SAMPLE_BLOCK);
        let tail = blocks
            .saturating_sub(if short_tail { 2 } else { 1 })
            .max(head);
        let wanted = ((blocks as f64) * percent / 100.0).ceil() as u64;
        let forced = head + (blocks - tail);
        let middle = tail - head;
        let needed = wanted.saturating_sub(forced).min(middle);
        if needed == middle {
            return Extents::sequential(size);
        }
        Extents {
            size,
            kind: Kind::Sample {
                rng: Box::new(ChaCha20Rng::from_seed(sample_seed.0)),
                blocks,
                index: 0,
                needed,
                head,
                tail,
            },
        }
    }

    /// Total bytes the sequence covers.
    pub fn total_bytes(&self) -> u64 {
        self.clone().map(|extent| extent.len as u64).sum()
    }

    fn block(&self, index: u64) -> Extent {
        let offset = index * SAMPLE_BLOCK;
        Extent {
            offset,
            len: (self.size - offset).min(SAMPLE_BLOCK) as usize,
        }
    }
}

impl Iterator for Extents {
    type Item = Extent;

    fn next(&mut self) -> Option<Extent> {
        let size = self.size;
        let index = match &mut self.kind {
            Kind::Sequential { next } => {
                if *next >= size {
                    return None;
                }
                let extent = Extent {
                    offset: *next,
                    len: (size - *next).min(CHUNK as u64) as usize,
                };
                *next += extent.len as u64;
                return Some(extent);
            }
            Kind::Sample {
                rng,
                blocks,
                index,
                needed,
                head,
                tail,
            } => loop {
                if *index >= *blocks {
                    return None;
                }
                let current = *index;
                *index += 1;
                if current < *head || current >= *tail {
                    break current;
                }
                let left = *tail - current;
                // Take this block with probability needed / left.
                if *needed > 0 && rng.next_u64() % left < *needed {
                    *needed -= 1;
                    break current;
                }
            },
        };
        Some(self.block(index))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    const MIB: u64 = 1 << 20;

    #[test]
    fn sequential_extents_cover_every_byte_once() {
        let size = 3 * CHUNK as u64 + 1234;
        let extents: Vec<_> = Extents::sequential(size).collect();
        assert_eq!(extents.len(), 4);
        assert_eq!(extents[3].len, 1234);
        let mut next = 0;
        for extent in &extents {
            assert_eq!(extent.offset, next);
            next += extent.len as u64;
        }
        assert_eq!(next, size);
        assert_eq!(Extents::sequential(0).count(), 0);
    }

    #[test]
    fn a_sample_covers_the_percentage_and_both_ends() {
        let size = 1000 * MIB;
        let seed = Seed([9; 32]);
        let verify = Verify::Sample { percent: 10.0 };
        let sample: Vec<_> = Extents::for_verify(size, verify, seed).collect();
        let bytes: u64 = sample.iter().map(|e| e.len as u64).sum();
        assert_eq!(bytes, 100 * MIB, "exactly ceil(10 % of 1000) blocks");
        assert_eq!(sample[0].offset, 0);
        assert_eq!(sample.last().map(|e| e.offset), Some(999 * MIB));
        assert!(
            sample.windows(2).all(|w| w[0].offset < w[1].offset),
            "disk order, no repeats"
        );
        // Same seed, same blocks; another seed, other blocks.
        let again: Vec<_> = Extents::for_verify(size, verify, seed).collect();
        assert_eq!(sample, again);
        let other: Vec<_> = Extents::for_verify(size, verify, Seed([1; 32])).collect();
        assert_ne!(sample, other);
    }

    #[test]
    fn a_short_last_block_brings_in_the_one_before_it() {
        let size = 100 * MIB + 4096;
        let sample: Vec<_> =
            Extents::for_verify(size, Verify::Sample { percent: 1.0 }, Seed([2; 32])).collect();
        let last_mib_start = size - MIB;
        let covered = |at: u64| {
            sample
                .iter()
                .any(|e| e.offset <= at && at < e.offset + e.len as u64)
        };
        assert!(covered(0) && covered(MIB - 1));
        assert!(covered(last_mib_start) && covered(size - 1));
        let bytes: u64 = sample.iter().map(|e| e.len as u64).sum();
        assert!(bytes * 100 >= size, "at least 1 % read: {bytes}");
    }

    #[test]
    fn a_sample_of_everything_is_a_full_read() {
        let size = 10 * MIB;
        let all = Extents::for_verify(size, Verify::Sample { percent: 100.0 }, Seed([0; 32]));
        assert_eq!(all.total_bytes(), size);
        let tiny = Extents::for_verify(MIB / 2, Verify::Sample { percent: 5.0 }, Seed([0; 32]));
        assert_eq!(tiny.total_bytes(), MIB / 2);
    }
}
