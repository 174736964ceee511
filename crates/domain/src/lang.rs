//! The languages Refurbdesk speaks to people in (their words are the
//! catalogue of `refurbdesk-i18n`), and how a threshold reads.

pub use refurbdesk_i18n::Lang;

/// A threshold as people write it, with a decimal point: 85.0 as "85",
/// 82.5 as "82.5".
pub fn bare_number(value: f64) -> String {
    let text = format!("{value:.2}");
    text.trim_end_matches('0').trim_end_matches('.').to_owned()
}

/// `value`, which is below `limit`, with just enough decimals (with a decimal
/// point) that it also reads as below it: 84.96 must not be shown as "85.0"
/// beside a limit of 85. `None` when even four decimals round up to the limit.
pub fn number_below(value: f64, limit: f64) -> Option<String> {
    (1..=4usize)
        .map(|decimals| format!("{value:.decimals$}"))
        .find(|shown| shown.parse::<f64>().is_ok_and(|shown| shown < limit))
}

/// Reasons to show: each finding told by `tell`, or, for a record made
/// before findings existed (it has none), the English words it holds.
pub fn tell_reasons<T>(
    words: &[String],
    findings: &[T],
    tell: impl Fn(&T) -> String,
) -> Vec<String> {
    if findings.is_empty() {
        words.to_vec()
    } else {
        findings.iter().map(tell).collect()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn numbers_read_as_each_language_writes_them() {
        assert_eq!(Lang::En.percent("84.96"), "84.96%");
        assert_eq!(Lang::Fr.percent("84.96"), "84,96\u{202f}%");
        assert_eq!(Lang::Fr.decimal(2.5, 1), "2,5");
        assert_eq!("fr".parse::<Lang>(), Ok(Lang::Fr));
        assert!("de".parse::<Lang>().unwrap_err().contains("use en or fr"));
    }

    #[test]
    fn lists_and_thresholds_read_naturally() {
        assert_eq!(Lang::En.join::<&str>(&[]), "");
        assert_eq!(Lang::En.join(&["screen"]), "screen");
        assert_eq!(
            Lang::En.join(&["screen", "back", "frame"]),
            "screen, back and frame"
        );
        assert_eq!(Lang::Fr.join(&["l'écran", "le dos"]), "l'écran et le dos");
        assert_eq!(bare_number(85.0), "85");
        assert_eq!(bare_number(82.5), "82.5");
        assert_eq!(number_below(82.34, 85.0).as_deref(), Some("82.3"));
        assert_eq!(number_below(84.96, 85.0).as_deref(), Some("84.96"));
        assert_eq!(number_below(84.999_99, 85.0), None);
    }
}
