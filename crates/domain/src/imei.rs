//! IMEI checks. An IMEI is 15 digits whose last digit is a Luhn check digit
//! over the first 14; a failing check means a misread or an altered IMEI.

use crate::lang::Lang;

const IMEI_LENGTH: usize = 15;

/// True only for exactly 15 ASCII digits whose last digit is the Luhn check
/// digit of the first 14.
pub fn luhn_valid(digits: &str) -> bool {
    match split_imei(digits) {
        Some((payload, check)) => luhn_check_digit(payload) == check,
        None => false,
    }
}

/// Checks an IMEI and, when it is not valid, says why in a sentence that
/// names the IMEI, e.g. "IMEI 356728114587212 fails its Luhn check digit
/// (expected 1) …".
pub fn check_imei(imei: &str) -> (bool, Option<String>) {
    check_imei_in(imei, Lang::En)
}

/// [`check_imei`] with its sentence told in `lang` (`imei-*` in the catalogue).
pub fn check_imei_in(imei: &str, lang: Lang) -> (bool, Option<String>) {
    let length = IMEI_LENGTH.to_string();
    let tell = |id: &str, args: &[(&str, &str)]| {
        let mut all = vec![("length", length.as_str())];
        all.extend_from_slice(args);
        (false, Some(lang.catalogue().tell(id, &all)))
    };
    if imei.is_empty() {
        return tell("imei-empty", &[]);
    }
    if !imei.bytes().all(|byte| byte.is_ascii_digit()) {
        return tell("imei-not-digits", &[("imei", &format!("{imei:?}"))]);
    }
    if imei.len() != IMEI_LENGTH {
        return tell(
            "imei-wrong-length",
            &[("imei", imei), ("digits", &imei.len().to_string())],
        );
    }
    match split_imei(imei) {
        Some((payload, check)) => {
            let expected = luhn_check_digit(payload);
            if expected == check {
                (true, None)
            } else {
                tell(
                    "imei-check-digit",
                    &[("imei", imei), ("expected", &expected.to_string())],
                )
            }
        }
        // Unreachable after the checks above, but a wrong answer is better
        // than a panic if they ever drift apart.
        None => tell("imei-malformed", &[("imei", &format!("{imei:?}"))]),
    }
}

/// Splits a well-formed IMEI into its 14 payload digit values and its check
/// digit value; `None` unless it is exactly 15 ASCII digits.
fn split_imei(imei: &str) -> Option<(Vec<u32>, u32)> {
    if imei.len() != IMEI_LENGTH {
        return None;
    }
    let values: Option<Vec<u32>> = imei.chars().map(|c| c.to_digit(10)).collect();
    let mut values = values?;
    let check = values.pop()?;
    Some((values, check))
}

/// The Luhn check digit for a payload: starting from the digit next to the
/// check digit and moving left, every other digit is doubled.
fn luhn_check_digit(payload: Vec<u32>) -> u32 {
    let sum: u32 = payload
        .iter()
        .rev()
        .enumerate()
        .map(|(position, &digit)| {
            if position % 2 == 0 {
                let doubled = digit * 2;
                if doubled > 9 {
                    doubled - 9
                } else {
                    doubled
                }
            } else {
                digit
            }
        })
        .sum();
    (10 - sum % 10) % 10
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn luhn_accepts_only_fifteen_digits_with_the_right_check_digit() {
        let cases = [
            ("356728114587211", true),  // the spec's example
            ("356728114587212", false), // same with a wrong check digit
            ("490154203237518", true),  // a second well-known valid IMEI
            ("490154203237519", false),
            ("35672811458721", false),   // 14 digits
            ("3567281145872110", false), // 16 digits
            ("35672811458721A", false),  // a letter
            ("3567281145872I1", false),  // letter I in place of a 1
            ("", false),
            ("356728114587211 ", false),
            ("３５６７２８１１４５８７２１１", false), // full-width digits are not ASCII
        ];
        for (imei, valid) in cases {
            assert_eq!(luhn_valid(imei), valid, "{imei:?}");
        }
    }

    #[test]
    fn every_check_digit_but_one_fails() {
        let payload = "35672811458721";
        let valid: Vec<u32> = (0..10)
            .filter(|digit| luhn_valid(&format!("{payload}{digit}")))
            .collect();
        assert_eq!(valid, vec![1]);
    }

    #[test]
    fn check_imei_explains_each_failure_naming_the_imei() {
        assert_eq!(check_imei("356728114587211"), (true, None));

        let (valid, reason) = check_imei("356728114587212");
        assert!(!valid);
        let reason = reason.expect("a failing IMEI has a reason");
        assert!(
            reason.contains("IMEI 356728114587212 fails its Luhn check digit (expected 1)"),
            "{reason}"
        );

        let (valid, reason) = check_imei("35672811458721");
        assert!(!valid);
        let reason = reason.expect("a short IMEI has a reason");
        assert!(reason.contains("35672811458721 has 14 digits"), "{reason}");

        let (valid, reason) = check_imei("35672811458721A");
        assert!(!valid);
        let reason = reason.expect("an IMEI with letters has a reason");
        assert!(reason.contains("other than digits"), "{reason}");
        assert!(reason.contains("35672811458721A"), "{reason}");

        let (valid, reason) = check_imei("");
        assert!(!valid);
        assert_eq!(
            reason.as_deref(),
            Some("The IMEI is empty; an IMEI has 15 digits — re-read it from the device (dial *#06#).")
        );
    }

    #[test]
    fn check_imei_tells_its_sentence_word_for_word_in_each_language() {
        assert_eq!(
            check_imei("356728114587212").1.as_deref(),
            Some(
                "IMEI 356728114587212 fails its Luhn check digit (expected 1) — re-read it from \
                 the device (dial *#06#); if it still fails, the IMEI may have been altered."
            )
        );
        assert_eq!(
            check_imei("35672811458721A").1.as_deref(),
            Some(
                "IMEI \"35672811458721A\" contains characters other than digits; an IMEI has 15 \
                 digits — re-read it from the device (dial *#06#)."
            )
        );
        assert_eq!(
            check_imei_in("35672811458721", Lang::Fr).1.as_deref(),
            Some(
                "L'IMEI 35672811458721 compte 14 chiffres ; un IMEI en compte 15 — relisez-le \
                 sur l'appareil (composez *#06#)."
            )
        );
        assert_eq!(check_imei_in("356728114587211", Lang::Fr), (true, None));
    }
}
