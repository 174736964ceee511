//! The business-day calendar the whole product counts in: weekends, the public holidays of the
//! organisation's country (France by default, Belgium the other built-in calendar) and the extra
//! days the organisation is closed. A trade-in batch's audit is due in business days; the
//! warranty returns count the same way.
//!
//! Movable holidays follow Easter Sunday (the Gregorian computus): Easter Monday (+1), Ascension
//! (+39) and Whit Monday (+50).
//!
//! ```
//! use chrono::NaiveDate;
//! use refurbdesk_domain::{BusinessCalendar, Country};
//!
//! let day = |y, m, d| NaiveDate::from_ymd_opt(y, m, d).unwrap();
//! let france = BusinessCalendar::new(Country::France);
//! // Easter Monday 2026 is 6 April: five business days from Thursday 2 April end on Friday 10 April.
//! assert!(!france.is_business_day(day(2026, 4, 6)));
//! assert_eq!(france.add_business_days(day(2026, 4, 2), 5), day(2026, 4, 10));
//!
//! // A closed day the organisation adds counts like a holiday.
//! let closed = BusinessCalendar::new(Country::France).with_closed_days([day(2026, 4, 3)]);
//! assert_eq!(closed.add_business_days(day(2026, 4, 2), 5), day(2026, 4, 13));
//! ```

use std::collections::BTreeSet;

use chrono::{Datelike, Days, NaiveDate, Weekday};

crate::word_enum! {
    #[derive(Default)]
    /// A country whose public holidays are built in.
    Country, "country" {
        /// France (the default): 1 January, Easter Monday, 1 May, 8 May, Ascension, Whit Monday,
        /// 14 July, 15 August, 1 November, 11 November, 25 December.
        #[default]
        France => "fr",
        /// Belgium: 1 January, Easter Monday, 1 May, Ascension, Whit Monday, 21 July,
        /// 15 August, 1 November, 11 November, 25 December.
        Belgium => "be",
    }
}

/// Easter Sunday of `year` in the Gregorian calendar (anonymous Gregorian algorithm, also known
/// as Meeus/Jones/Butcher).
///
/// ```
/// use chrono::NaiveDate;
/// use refurbdesk_domain::easter_sunday;
///
/// assert_eq!(easter_sunday(2026), NaiveDate::from_ymd_opt(2026, 4, 5).unwrap());
/// assert_eq!(easter_sunday(2027), NaiveDate::from_ymd_opt(2027, 3, 28).unwrap());
/// ```
pub fn easter_sunday(year: i32) -> NaiveDate {
    let a = year.rem_euclid(19);
    let b = year.div_euclid(100);
    let c = year.rem_euclid(100);
    let d = b / 4;
    let e = b % 4;
    let f = (b + 8) / 25;
    let g = (b - f + 1) / 3;
    let h = (19 * a + b - d - g + 15) % 30;
    let i = c / 4;
    let k = c % 4;
    let l = (32 + 2 * e + 2 * i - h - k) % 7;
    let m = (a + 11 * h + 22 * l) / 451;
    let month = (h + l - 7 * m + 114) / 31;
    let day = (h + l - 7 * m + 114) % 31 + 1;
    NaiveDate::from_ymd_opt(year, month as u32, day as u32)
        .expect("the computus gives a day of March or April")
}

/// One public holiday: its date and a stable word naming it (`easter_monday`, `bastille_day`…),
/// which a door tells in its language.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
pub struct Holiday {
    pub date: NaiveDate,
    pub name: &'static str,
}

/// The public holidays of `country` in `year`, in date order.
///
/// ```
/// use refurbdesk_domain::{public_holidays, Country};
///
/// let names: Vec<_> = public_holidays(Country::France, 2026).iter().map(|h| h.name).collect();
/// assert_eq!(names.len(), 11);
/// assert!(names.contains(&"whit_monday"));
/// ```
pub fn public_holidays(country: Country, year: i32) -> Vec<Holiday> {
    let fixed = |month: u32, day: u32, name: &'static str| Holiday {
        date: NaiveDate::from_ymd_opt(year, month, day).expect("a fixed holiday exists every year"),
        name,
    };
    let easter = easter_sunday(year);
    let after_easter = |days: u64, name: &'static str| Holiday {
        date: easter + Days::new(days),
        name,
    };
    let mut days = vec![
        fixed(1, 1, "new_year"),
        after_easter(1, "easter_monday"),
        fixed(5, 1, "labour_day"),
        after_easter(39, "ascension"),
        after_easter(50, "whit_monday"),
        fixed(8, 15, "assumption"),
        fixed(11, 1, "all_saints"),
        fixed(11, 11, "armistice"),
        fixed(12, 25, "christmas"),
    ];
    match country {
        Country::France => {
            days.push(fixed(5, 8, "victory_in_europe"));
            days.push(fixed(7, 14, "bastille_day"));
        }
        Country::Belgium => days.push(fixed(7, 21, "national_day")),
    }
    days.sort();
    days
}

/// Which days are worked: Monday to Friday, except the country's public holidays and the
/// organisation's extra closed days.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct BusinessCalendar {
    pub country: Country,
    pub closed_days: BTreeSet<NaiveDate>,
}

impl BusinessCalendar {
    pub fn new(country: Country) -> Self {
        Self {
            country,
            closed_days: BTreeSet::new(),
        }
    }

    /// The same calendar with these extra closed days (a bridge day, the summer closure).
    pub fn with_closed_days(mut self, days: impl IntoIterator<Item = NaiveDate>) -> Self {
        self.closed_days.extend(days);
        self
    }

    /// The public holiday on `date`, if it is one.
    pub fn holiday(&self, date: NaiveDate) -> Option<Holiday> {
        public_holidays(self.country, date.year())
            .into_iter()
            .find(|holiday| holiday.date == date)
    }

    /// Whether `date` is worked: not a Saturday or Sunday, not a public holiday, not closed.
    pub fn is_business_day(&self, date: NaiveDate) -> bool {
        !matches!(date.weekday(), Weekday::Sat | Weekday::Sun)
            && !self.closed_days.contains(&date)
            && self.holiday(date).is_none()
    }

    /// The `days`-th business day after `from` (`from` itself is not counted, whatever it is);
    /// `from` when `days` is 0.
    pub fn add_business_days(&self, from: NaiveDate, days: u32) -> NaiveDate {
        let mut date = from;
        let mut left = days;
        while left > 0 {
            date = date
                .succ_opt()
                .expect("a business day before the end of time");
            if self.is_business_day(date) {
                left -= 1;
            }
        }
        date
    }

    /// How many business days lie after `from` up to and including `to` (0 when `to` is not
    /// after `from`).
    pub fn business_days_between(&self, from: NaiveDate, to: NaiveDate) -> u32 {
        from.iter_days()
            .skip(1)
            .take_while(|date| *date <= to)
            .filter(|date| self.is_business_day(*date))
            .count() as u32
    }
}

/// Reads a list of closed days as a setting holds it: `YYYY-MM-DD` dates separated by commas
/// (spaces allowed, an empty list allowed); the error names the first entry that is not a date.
///
/// ```
/// use refurbdesk_domain::parse_closed_days;
///
/// assert_eq!(parse_closed_days("2026-05-15, 2026-12-24").unwrap().len(), 2);
/// assert!(parse_closed_days("").unwrap().is_empty());
/// assert_eq!(parse_closed_days("2026-02-30").unwrap_err(), "2026-02-30");
/// ```
pub fn parse_closed_days(text: &str) -> Result<BTreeSet<NaiveDate>, String> {
    text.split(',')
        .map(str::trim)
        .filter(|entry| !entry.is_empty())
        .map(|entry| NaiveDate::parse_from_str(entry, "%Y-%m-%d").map_err(|_| entry.to_owned()))
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    fn day(y: i32, m: u32, d: u32) -> NaiveDate {
        NaiveDate::from_ymd_opt(y, m, d).unwrap()
    }

    #[test]
    fn easter_matches_published_dates() {
        for (year, month, d) in [
            (2000, 4, 23),
            (2019, 4, 21),
            (2024, 3, 31),
            (2025, 4, 20),
            (2026, 4, 5),
            (2027, 3, 28),
            (2028, 4, 16),
            (2038, 4, 25),
        ] {
            assert_eq!(easter_sunday(year), day(year, month, d), "{year}");
        }
    }

    #[test]
    fn france_2026_and_2027() {
        let dates = |year| -> Vec<NaiveDate> {
            public_holidays(Country::France, year)
                .into_iter()
                .map(|h| h.date)
                .collect()
        };
        assert_eq!(
            dates(2026),
            vec![
                day(2026, 1, 1),
                day(2026, 4, 6),
                day(2026, 5, 1),
                day(2026, 5, 8),
                day(2026, 5, 14),
                day(2026, 5, 25),
                day(2026, 7, 14),
                day(2026, 8, 15),
                day(2026, 11, 1),
                day(2026, 11, 11),
                day(2026, 12, 25),
            ]
        );
        let d2027 = dates(2027);
        assert!(d2027.contains(&day(2027, 3, 29)), "Easter Monday");
        assert!(d2027.contains(&day(2027, 5, 6)), "Ascension");
        assert!(d2027.contains(&day(2027, 5, 17)), "Whit Monday");
    }

    #[test]
    fn belgium_has_its_national_day_not_the_french_ones() {
        let cal = BusinessCalendar::new(Country::Belgium);
        assert!(!cal.is_business_day(day(2026, 7, 21)));
        assert!(cal.is_business_day(day(2026, 7, 14)));
        assert!(cal.is_business_day(day(2026, 5, 8)));
        assert!(!cal.is_business_day(day(2026, 5, 25)), "Whit Monday");
        let france = BusinessCalendar::new(Country::France);
        assert!(france.is_business_day(day(2026, 7, 21)));
        assert!(!france.is_business_day(day(2026, 7, 14)));
    }

    #[test]
    fn counting_skips_weekends_holidays_and_closed_days() {
        let france = BusinessCalendar::new(Country::France);
        // Monday 2 March 2026 + 5 = Monday 9 March.
        assert_eq!(
            france.add_business_days(day(2026, 3, 2), 5),
            day(2026, 3, 9)
        );
        // From a Saturday: counting starts on Monday.
        assert_eq!(
            france.add_business_days(day(2026, 3, 7), 1),
            day(2026, 3, 9)
        );
        // Ascension (Thu 14 May 2026): Wed 13 May + 2 = Mon 18 May.
        assert_eq!(
            france.add_business_days(day(2026, 5, 13), 2),
            day(2026, 5, 18)
        );
        // Christmas 2026 is a Friday, 1 January 2027 too: Thu 24 Dec + 5 counts Mon 28 to
        // Thu 31, skips Fri 1 January and ends on Mon 4 January.
        assert_eq!(
            france.add_business_days(day(2026, 12, 24), 5),
            day(2027, 1, 4)
        );
        // Whit Monday 2027 (17 May) and a bridge day the organisation closes (Fri 7 May 2027).
        let closed = BusinessCalendar::new(Country::France).with_closed_days([day(2027, 5, 7)]);
        // Wed 5 May + 3: Ascension Thu 6, closed Fri 7, so Mon 10, Tue 11, Wed 12.
        assert_eq!(
            closed.add_business_days(day(2027, 5, 5), 3),
            day(2027, 5, 12)
        );
        assert_eq!(
            france.add_business_days(day(2027, 5, 14), 1),
            day(2027, 5, 18)
        );
        assert_eq!(
            france.add_business_days(day(2027, 5, 14), 0),
            day(2027, 5, 14)
        );
    }

    #[test]
    fn between_is_the_inverse_of_adding() {
        let france = BusinessCalendar::new(Country::France);
        let start = day(2026, 12, 20);
        for n in 0..40 {
            let end = france.add_business_days(start, n);
            assert_eq!(france.business_days_between(start, end), n);
        }
    }
}
