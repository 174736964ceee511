//! Words: this crate's scales use the domain's word macro; and lists of
//! words inside sentences.

/// Declares one of this crate's scales or word sets with the domain's
/// [`refurbdesk_domain::word_enum!`], ordered as declared: variants are
/// declared best first, so the derived order reads "worse is greater".
macro_rules! word_enum {
    ($(#[$meta:meta])* $name:ident, $kind:literal { $($body:tt)* }) => {
        refurbdesk_domain::word_enum! {
            $(#[$meta])*
            #[derive(PartialOrd, Ord)]
            $name, $kind { $($body)* }
        }
    };
}

pub(crate) use word_enum;

/// "a", "a and b", "a, b and c": lists inside sentences a customer reads.
pub(crate) fn join_words<S: AsRef<str>>(words: &[S]) -> String {
    match words {
        [] => String::new(),
        [one] => one.as_ref().to_owned(),
        [rest @ .., last] => {
            let mut text = String::new();
            for (index, word) in rest.iter().enumerate() {
                if index > 0 {
                    text.push_str(", ");
                }
                text.push_str(word.as_ref());
            }
            text.push_str(" and ");
            text.push_str(last.as_ref());
            text
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn lists_read_as_english() {
        assert_eq!(join_words::<&str>(&[]), "");
        assert_eq!(join_words(&["screen"]), "screen");
        assert_eq!(join_words(&["screen", "back"]), "screen and back");
        assert_eq!(
            join_words(&["screen", "back", "frame"]),
            "screen, back and frame"
        );
    }
}
