//! Tag bookkeeping: which tags may be handed out, and what a response to an old tag means.

use std::collections::{HashMap, VecDeque};
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

#[derive(Debug)]
pub(crate) struct TagBook {
    next: u16,
    retired: HashMap<u16, (Retirement, Instant)>,
    /// Retirements in time order, for pruning; an entry is stale when the map holds a newer one.
    retired_order: VecDeque<(u16, Instant)>,
    window: Duration,
}

impl TagBook {
    pub(crate) fn new(window: Duration) -> Self {
        Self {
            // The spec's example starts at 1; nothing depends on it.
            next: 1,
            retired: HashMap::new(),
            retired_order: VecDeque::new(),
            window,
        }
    }

    /// The next tag in wrapping order that is neither outstanding nor recently retired. When
    /// every tag is taken that way, the longest-retired one that is not outstanding; `None` only
    /// when all 10 000 tags are outstanding.
    pub(crate) fn allocate(
        &mut self,
        is_outstanding: impl Fn(u16) -> bool,
        now: Instant,
    ) -> Option<u16> {
        self.prune(now);
        for _ in 0..=MAX_TAG {
            let candidate = self.next;
            self.next = if candidate >= MAX_TAG {
                0
            } else {
                candidate + 1
            };
            if !is_outstanding(candidate) && !self.retired.contains_key(&candidate) {
                return Some(candidate);
            }
        }
        let mut skipped = Vec::new();
        let mut found = None;
        while let Some((tag, since)) = self.retired_order.pop_front() {
            let is_current = self
                .retired
                .get(&tag)
                .is_some_and(|&(_, latest)| latest == since);
            if !is_current {
                continue;
            }
            if is_outstanding(tag) {
                skipped.push((tag, since));
            } else {
                self.retired.remove(&tag);
                found = Some(tag);
                break;
            }
        }
        for entry in skipped.into_iter().rev() {
            self.retired_order.push_front(entry);
        }
        found
    }

    pub(crate) fn retire(&mut self, tag: u16, how: Retirement, now: Instant) {
        self.retired.insert(tag, (how, now));
        self.retired_order.push_back((tag, now));
    }

    pub(crate) fn retirement(&self, tag: u16) -> Option<Retirement> {
        self.retired.get(&tag).map(|&(how, _)| how)
    }

    fn prune(&mut self, now: Instant) {
        while let Some(&(tag, since)) = self.retired_order.front() {
            if now.saturating_duration_since(since) < self.window {
                break;
            }
            self.retired_order.pop_front();
            if self
                .retired
                .get(&tag)
                .is_some_and(|&(_, latest)| latest == since)
            {
                self.retired.remove(&tag);
            }
        }
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
        assert_eq!(book.retirement(tag), Some(Retirement::Abandoned));

        let later = start + Duration::from_secs(61);
        assert_eq!(book.allocate(|_| false, later), Some(tag));
        assert_eq!(book.retirement(tag), None);
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
        let reused = book.allocate(|tag| tag == 0, start + Duration::from_secs(1));
        assert_eq!(reused, Some(1));
        assert_eq!(book.retirement(1), None);
        assert_eq!(book.retirement(2), Some(Retirement::Answered));
    }

    #[test]
    fn a_newer_retirement_of_the_same_tag_wins() {
        let mut book = TagBook::new(Duration::from_secs(10));
        let start = Instant::now();
        book.retire(7, Retirement::Abandoned, start);
        book.retire(7, Retirement::Answered, start + Duration::from_secs(5));
        // The first entry expires, the second must survive pruning.
        book.allocate(|_| false, start + Duration::from_secs(11));
        assert_eq!(book.retirement(7), Some(Retirement::Answered));
    }
}
