//! Words: this crate's scales use the domain's word macro.

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
