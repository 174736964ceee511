//! Reading the technician's answers as typed: `screen=micro,back=light` and
//! `liquid_indicators=pass,touch=fail`, shared by the command line and the UI.

use std::collections::BTreeMap;
use std::str::FromStr;

use thiserror::Error;

use crate::checklist::{is_identifier, Answer};
use crate::cosmetic::{CosmeticLevel, Zone};

/// A list of `name=value` pairs that cannot be read.
#[derive(Debug, Clone, PartialEq, Eq, Error)]
pub enum InputError {
    #[error("{piece:?} is not {shape}; write {example}")]
    NotAPair {
        piece: String,
        shape: &'static str,
        example: &'static str,
    },
    /// A list with no pair at all (`""`, `" , "`).
    #[error("{text:?} names no {what}: give {shape} pairs, {example}; nothing inspected is not a grade (grade a partial result on purpose instead)")]
    Empty {
        text: String,
        what: &'static str,
        shape: &'static str,
        example: &'static str,
    },
    #[error("{piece:?}: {message}")]
    BadValue { piece: String, message: String },
    #[error("{name} is given twice ({first} and {second}); give it once")]
    Repeated {
        name: String,
        first: String,
        second: String,
    },
}

fn pairs<'t>(
    text: &'t str,
    shape: &'static str,
    example: &'static str,
) -> impl Iterator<Item = Result<(&'t str, &'t str, &'t str), InputError>> + 't {
    text.split(',')
        .map(str::trim)
        .filter(|piece| !piece.is_empty())
        .map(move |piece| match piece.split_once('=') {
            Some((name, value)) if !name.trim().is_empty() && !value.trim().is_empty() => {
                Ok((piece, name.trim(), value.trim()))
            }
            _ => Err(InputError::NotAPair {
                piece: piece.to_owned(),
                shape,
                example,
            }),
        })
}

fn insert<K: Ord + Clone + ToString, V: Copy + ToString>(
    map: &mut BTreeMap<K, V>,
    key: K,
    value: V,
) -> Result<(), InputError> {
    if let Some(first) = map.insert(key.clone(), value) {
        return Err(InputError::Repeated {
            name: key.to_string(),
            first: first.to_string(),
            second: value.to_string(),
        });
    }
    Ok(())
}

fn word<T>(piece: &str, value: &str) -> Result<T, InputError>
where
    T: FromStr,
    T::Err: ToString,
{
    value.parse::<T>().map_err(|error| InputError::BadValue {
        piece: piece.to_owned(),
        message: error.to_string(),
    })
}

/// `screen=micro,back=light` into zone levels, adding to `into`.
pub fn parse_cosmetic(
    text: &str,
    into: &mut BTreeMap<Zone, CosmeticLevel>,
) -> Result<(), InputError> {
    let (shape, example) = ("zone=level", "e.g. screen=micro,back=light");
    let mut given = 0;
    for pair in pairs(text, shape, example) {
        let (piece, zone, level) = pair?;
        insert(into, word::<Zone>(piece, zone)?, word(piece, level)?)?;
        given += 1;
    }
    if given == 0 {
        return Err(InputError::Empty {
            text: text.to_owned(),
            what: "zone",
            shape,
            example,
        });
    }
    Ok(())
}

/// `liquid_indicators=pass,touch=fail` into answers, adding to `into`.
pub fn parse_checks(text: &str, into: &mut BTreeMap<String, Answer>) -> Result<(), InputError> {
    let (shape, example) = (
        "item=pass|fail|na",
        "e.g. liquid_indicators=pass,touch=fail",
    );
    let mut given = 0;
    for pair in pairs(text, shape, example) {
        given += 1;
        let (piece, item, answer) = pair?;
        if !is_identifier(item) {
            return Err(InputError::BadValue {
                piece: piece.to_owned(),
                message: format!(
                    "{item:?} is not a checklist item id (lowercase letters, digits and _)"
                ),
            });
        }
        insert(into, item.to_owned(), word::<Answer>(piece, answer)?)?;
    }
    if given == 0 {
        return Err(InputError::Empty {
            text: text.to_owned(),
            what: "checklist item",
            shape,
            example,
        });
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn lists_of_pairs_are_read_with_spaces_and_empty_pieces_ignored() {
        let mut levels = BTreeMap::new();
        parse_cosmetic(" screen=micro, back = light,,", &mut levels).expect("parses");
        parse_cosmetic("frame=flawless", &mut levels).expect("parses");
        assert_eq!(
            levels,
            BTreeMap::from([
                (Zone::Screen, CosmeticLevel::Micro),
                (Zone::Back, CosmeticLevel::Light),
                (Zone::Frame, CosmeticLevel::Flawless),
            ])
        );
        let mut answers = BTreeMap::new();
        parse_checks("liquid_indicators=pass,touch=na", &mut answers).expect("parses");
        assert_eq!(answers["touch"], Answer::Na);
    }

    #[test]
    fn each_mistake_names_the_piece_and_the_fix() {
        let mut levels = BTreeMap::new();
        let cases = [
            ("screen", "\"screen\" is not zone=level"),
            ("screen=shiny", "\"shiny\" is not a known cosmetic level"),
            ("glass=micro", "\"glass\" is not a known cosmetic zone"),
            (
                "screen=micro,screen=light",
                "screen is given twice (micro and light)",
            ),
        ];
        for (text, needle) in cases {
            levels.clear();
            let error = parse_cosmetic(text, &mut levels).expect_err(text);
            assert!(error.to_string().contains(needle), "{text}: {error}");
        }
        for nothing in ["", " ", ",", " , ,"] {
            let error = parse_cosmetic(nothing, &mut levels).expect_err("no zone");
            assert!(error.to_string().contains("names no zone"), "{error}");
            let mut answers = BTreeMap::new();
            let error = parse_checks(nothing, &mut answers).expect_err("no item");
            assert!(
                error.to_string().contains("names no checklist item"),
                "{error}"
            );
        }
        let mut answers = BTreeMap::new();
        let error = parse_checks("touch=ok", &mut answers).expect_err("bad answer");
        assert!(error.to_string().contains("pass, fail, na"), "{error}");
        let error = parse_checks("Touch=pass", &mut answers).expect_err("bad id");
        assert!(
            error.to_string().contains("not a checklist item id"),
            "{error}"
        );
    }
}
