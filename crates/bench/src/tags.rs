//! Tag bookkeeping: which tags may be handed out, and what a response to an old tag means.

use std::time::Duration;

use refurbdesk_bench_protocol::MAX_TAG;
use tokio::time::Instant;

/// How long a finished tag stays out of circulation. A response for it in that time is
/// recognised as a duplicate or a late answer instead of being mistaken for a newer request's.
/// Tags are handed out in order, so even without this a tag comes back only after 10 000
/// requests; the window makes the guarantee hold at any request rate.
pub(crate) const RETIREMENT: Duration = Duration::from_secs(60);

/// How a tag stopped being outstanding.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Retirement {
    /// Its response was accepted: another response with it is a duplicate.
    Answered,
    /// It timed out, was resent under a new tag or was given up: a response with it is late.
    Abandoned,
}

/// When and how one tag was last retired, in 4 bytes: 0 for never (or handed out since), else
/// the millisecond of its retirement counted from the book's epoch, plus one, shifted left by one,
/// with the low bit set for [`Retirement::Abandoned`]. That holds 24 days of milliseconds; the book
/// moves its epoch forward long before (see [`EPOCH_SPAN`]).
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
struct Stamp(u32);

/// The milliseconds after its epoch at which a book moves the epoch up to one window before the
/// time it is retiring a tag at (about 12 days): a stamp never needs more than 31 bits.
const EPOCH_SPAN: u64 = 1 << 30;

impl Stamp {
    fn new(millis: u64, how: Retirement) -> Self {
        debug_assert!(
            millis < EPOCH_SPAN + (1 << 29),
            "the epoch was not moved: {millis} ms"
        );
        let millis = u32::try_from(millis).unwrap_or(u32::MAX >> 2);
        Self(((millis + 1) << 1) | u32::from(how == Retirement::Abandoned))
    }

    /// The millisecond it was retired at and how, unless never.
    fn read(self) -> Option<(u64, Retirement)> {
        if self.0 == 0 {
            return None;
        }
        let how = if self.0 & 1 == 1 {
            Retirement::Abandoned
        } else {
            Retirement::Answered
        };
        Some((u64::from((self.0 >> 1) - 1), how))
    }
}

/// The tags of one link: the next to hand out, and when each was last retired.
///
/// Retirements are a table indexed by tag (40 KB once the first tag is retired), not a map and a
/// queue in time order: at a busy bench's rate every tag is retired within the window, and the
/// map and queue then held about 930 KB per link, eleven links' worth on a full station.
#[derive(Debug)]
pub(crate) struct TagBook {
    next: u16,
    /// Indexed by tag; empty until the first retirement.
    retired: Vec<Stamp>,
    epoch: Instant,
    window: Duration,
}

impl TagBook {
    pub(crate) fn new(window: Duration) -> Self {
        Self {
            // The spec's example starts at 1; nothing depends on it.
            next: 1,
            retired: Vec::new(),
            epoch: Instant::now(),
            window,
        }
    }

    fn millis(&self, at: Instant) -> u64 {
        u64::try_from(at.saturating_duration_since(self.epoch).as_millis()).unwrap_or(u64::MAX >> 2)
    }

    /// How `tag` was retired, and when (in the book's milliseconds), if that was within the window.
    fn retired_within_window(&self, tag: u16, now: Instant) -> Option<(u64, Retirement)> {
        let (at, how) = self.retired.get(usize::from(tag))?.read()?;
        let age = Duration::from_millis(self.millis(now).saturating_sub(at));
        (age < self.window).then_some((at, how))
    }

    fn hand_out(&mut self, tag: u16) -> u16 {
        if let Some(stamp) = self.retired.get_mut(usize::from(tag)) {
            *stamp = Stamp::default();
        }
        tag
    }

    /// The next tag in wrapping order that is neither outstanding nor recently retired. When
    /// every tag is taken that way, the longest-retired one that is not outstanding; `None` only
    /// when all 10 000 tags are outstanding.
    pub(crate) fn allocate(
        &mut self,
        is_outstanding: impl Fn(u16) -> bool,
        now: Instant,
    ) -> Option<u16> {
        for _ in 0..=MAX_TAG {
            let candidate = self.next;
            self.next = if candidate >= MAX_TAG {
                0
            } else {
                candidate + 1
            };
            if !is_outstanding(candidate) && self.retired_within_window(candidate, now).is_none() {
                return Some(self.hand_out(candidate));
            }
        }
        // Every free tag was retired within the window: a scan of the table, only at a rate of
        // more than 10 000 requests a window.
        let oldest = (0..=MAX_TAG)
            .filter(|&tag| !is_outstanding(tag))
            .filter_map(|tag| {
                self.retired_within_window(tag, now)
                    .map(|(at, _)| (at, tag))
            })
            .min()?;
        Some(self.hand_out(oldest.1))
    }

    pub(crate) fn retire(&mut self, tag: u16, how: Retirement, now: Instant) {
        if self.retired.is_empty() {
            self.retired = vec![Stamp::default(); usize::from(MAX_TAG) + 1];
        }
        if self.millis(now) >= EPOCH_SPAN {
            self.move_epoch(now);
        }
        let stamp = Stamp::new(self.millis(now), how);
        if let Some(slot) = self.retired.get_mut(usize::from(tag)) {
            *slot = stamp;
        }
    }

    /// Moves the epoch to one window before `now`: stamps from before it are past their window and
    /// become "never"; the others are counted from the new epoch.
    fn move_epoch(&mut self, now: Instant) {
        let epoch = now.checked_sub(self.window).unwrap_or(now).max(self.epoch);
        let shift = self.millis(epoch);
        for stamp in &mut self.retired {
            *stamp = match stamp.read() {
                Some((at, how)) if at >= shift => Stamp::new(at - shift, how),
                _ => Stamp::default(),
            };
        }
        self.epoch = epoch;
    }

    /// How `tag` was retired, if that was within the window before `now`.
    pub(crate) fn retirement(&self, tag: u16, now: Instant) -> Option<Retirement> {
        self.retired_within_window(tag, now).map(|(_, how)| how)
    }
}

#[cfg(test)]
mod tests {
    use std::collections::HashSet;

    use super::*;

    #[test]
    fn tags_count_up_and_wrap_after_9999() {
        let mut book = TagBook::new(Duration::ZERO);
        let now = Instant::now();
        let first: Vec<u16> = (0..3)
            .filter_map(|_| book.allocate(|_| false, now))
            .collect();
        assert_eq!(first, vec![1, 2, 3]);
        for _ in 3..MAX_TAG {
            book.allocate(|_| false, now);
        }
        assert_eq!(book.allocate(|_| false, now), Some(0));
        assert_eq!(book.allocate(|_| false, now), Some(1));
    }

    #[test]
    fn outstanding_tags_are_never_handed_out_again() {
        let mut book = TagBook::new(Duration::ZERO);
        let now = Instant::now();
        let mut outstanding = HashSet::new();
        for _ in 0..25_000 {
            let tag = book
                .allocate(|tag| outstanding.contains(&tag), now)
                .expect("plenty of tags are free");
            assert!(outstanding.insert(tag), "tag {tag} handed out twice");
            // Keep every third tag outstanding forever, release the rest.
            if !tag.is_multiple_of(3) {
                outstanding.remove(&tag);
            }
        }
    }

    #[test]
    fn all_tags_outstanding_gives_none() {
        let mut book = TagBook::new(Duration::ZERO);
        assert_eq!(book.allocate(|_| true, Instant::now()), None);
    }

    #[test]
    fn retired_tags_are_skipped_until_the_window_passes() {
        let mut book = TagBook::new(Duration::from_secs(60));
        let start = Instant::now();
        let tag = book.allocate(|_| false, start).expect("free");
        book.retire(tag, Retirement::Abandoned, start);
        for _ in 0..MAX_TAG {
            let next = book.allocate(|_| false, start).expect("free");
            assert_ne!(next, tag, "a retired tag came back inside the window");
        }
        assert_eq!(book.retirement(tag, start), Some(Retirement::Abandoned));

        let later = start + Duration::from_secs(61);
        assert_eq!(book.retirement(tag, later), None, "the window has passed");
        assert_eq!(book.allocate(|_| false, later), Some(tag));
        assert_eq!(book.retirement(tag, later), None);
    }

    #[test]
    fn when_every_free_tag_is_retired_the_oldest_retirement_is_reused() {
        let mut book = TagBook::new(Duration::from_secs(60));
        let start = Instant::now();
        for tag in 0..=MAX_TAG {
            book.retire(
                tag,
                Retirement::Answered,
                start + Duration::from_millis(u64::from(tag)),
            );
        }
        // Tag 0 is outstanding, so the oldest retirement that may be reused is tag 1.
        let now = start + Duration::from_secs(1);
        let reused = book.allocate(|tag| tag == 0, now);
        assert_eq!(reused, Some(1));
        assert_eq!(book.retirement(1, now), None);
        assert_eq!(book.retirement(2, now), Some(Retirement::Answered));
    }

    #[test]
    fn retirements_keep_their_window_when_the_epoch_moves() {
        let mut book = TagBook::new(Duration::from_secs(60));
        let start = Instant::now();
        book.retire(1, Retirement::Answered, start);
        // Thirteen days on, past the stamps' span: tag 2 is retired 30 s before tag 3, whose
        // retirement moves the epoch.
        let later = start + Duration::from_secs(13 * 24 * 3600);
        book.retire(2, Retirement::Abandoned, later - Duration::from_secs(30));
        book.retire(3, Retirement::Answered, later);
        assert!(book.epoch > start, "the epoch moved");
        assert_eq!(book.retirement(1, later), None, "thirteen days old");
        assert_eq!(book.retirement(2, later), Some(Retirement::Abandoned));
        assert_eq!(book.retirement(3, later), Some(Retirement::Answered));
        let after = later + Duration::from_secs(45);
        assert_eq!(book.retirement(2, after), None, "75 s after its retirement");
        assert_eq!(book.retirement(3, after), Some(Retirement::Answered));
        assert_eq!(
            book.retirement(3, later + Duration::from_secs(61)),
            None,
            "the window has passed"
        );
    }

    #[test]
    fn a_newer_retirement_of_the_same_tag_wins() {
        let mut book = TagBook::new(Duration::from_secs(10));
        let start = Instant::now();
        book.retire(7, Retirement::Abandoned, start);
        book.retire(7, Retirement::Answered, start + Duration::from_secs(5));
        // The first retirement's window has passed, the second's has not.
        let now = start + Duration::from_secs(11);
        book.allocate(|_| false, now);
        assert_eq!(book.retirement(7, now), Some(Retirement::Answered));
    }
}
