//! Prices as customers write them, to integer cents: `1234.50`, `1 234,50`, `1.234,50`,
//! `1,234.50`, `120 €`. Money is never a float here; a spreadsheet's number cell is rounded to
//! cents only when it has at most two decimals.

/// Why a price cell is not an amount.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum PriceError {
    Bad,
    Ambiguous,
    Negative,
}

/// Group separators accepted between digits: space, no-break space, narrow no-break space
/// (French number formatting) and the apostrophe (Swiss).
fn is_group_space(c: char) -> bool {
    matches!(c, ' ' | '\u{a0}' | '\u{202f}' | '\'')
}

/// Parses a price cell to cents. A single `.` or `,` followed by one or two digits is the
/// decimal mark; followed by three it is refused as ambiguous; when both appear, the last one is
/// the decimal mark and the other groups thousands by three.
pub(crate) fn parse_cents(text: &str) -> Result<i64, PriceError> {
    let mut text = text.trim();
    for symbol in ['€', '$', '£'] {
        if let Some(rest) = text
            .strip_suffix(symbol)
            .or_else(|| text.strip_prefix(symbol))
        {
            text = rest.trim();
            break;
        }
    }
    let (negative, text) = match text.strip_prefix('-') {
        Some(rest) => (true, rest.trim_start()),
        None => (false, text),
    };
    let cleaned: String = text.chars().filter(|c| !is_group_space(*c)).collect();
    if cleaned.is_empty()
        || !cleaned
            .chars()
            .all(|c| c.is_ascii_digit() || c == '.' || c == ',')
        || text.starts_with(is_group_space)
    {
        return Err(PriceError::Bad);
    }
    let cents = cents_of(&cleaned)?;
    if negative && cents > 0 {
        return Err(PriceError::Negative);
    }
    Ok(cents)
}

fn cents_of(text: &str) -> Result<i64, PriceError> {
    let last_mark = text.rfind(['.', ',']);
    let Some(position) = last_mark else {
        return whole(text)?.checked_mul(100).ok_or(PriceError::Bad);
    };
    let mark = text.as_bytes()[position] as char;
    let other = if mark == '.' { ',' } else { '.' };
    let marks = text.matches(mark).count();
    let (units, decimals) = if text.contains(other) {
        // Both marks: the last is the decimal mark, the other groups thousands before it.
        if marks > 1 {
            return Err(PriceError::Bad);
        }
        let (units, decimals) = (&text[..position], &text[position + 1..]);
        (grouped(units, other)?, decimals)
    } else if marks > 1 {
        // The same mark several times: thousands groups, no decimals.
        (grouped(text, mark)?, "")
    } else {
        let (units, decimals) = (&text[..position], &text[position + 1..]);
        if decimals.len() == 3 {
            return Err(if units.is_empty() || units == "0" {
                PriceError::Bad
            } else {
                PriceError::Ambiguous
            });
        }
        (whole(units)?, decimals)
    };
    let fraction = match decimals.len() {
        0 if text.ends_with(mark) && marks == 1 => return Err(PriceError::Bad),
        0 => 0,
        1 => whole(decimals)? * 10,
        2 => whole(decimals)?,
        _ => return Err(PriceError::Bad),
    };
    units
        .checked_mul(100)
        .and_then(|cents| cents.checked_add(fraction))
        .ok_or(PriceError::Bad)
}

/// Digits only, at least one, fitting an i64.
fn whole(digits: &str) -> Result<i64, PriceError> {
    if digits.is_empty() || !digits.bytes().all(|b| b.is_ascii_digit()) {
        return Err(PriceError::Bad);
    }
    digits.parse().map_err(|_| PriceError::Bad)
}

/// `1.234.567` with `.` as the group mark: a first group of 1–3 digits, then groups of 3.
fn grouped(text: &str, mark: char) -> Result<i64, PriceError> {
    let mut groups = text.split(mark);
    let first = groups.next().unwrap_or_default();
    if first.is_empty() || first.len() > 3 {
        return Err(PriceError::Bad);
    }
    let mut digits = first.to_owned();
    for group in groups {
        if group.len() != 3 {
            return Err(PriceError::Bad);
        }
        digits.push_str(group);
    }
    whole(&digits)
}

/// A spreadsheet's number cell to cents, when it holds at most two decimals.
pub(crate) fn cents_of_number(value: f64) -> Result<i64, PriceError> {
    if !value.is_finite() {
        return Err(PriceError::Bad);
    }
    if value < 0.0 {
        return Err(PriceError::Negative);
    }
    let hundredths = value * 100.0;
    let cents = hundredths.round();
    if cents > 9.0e15 || (hundredths - cents).abs() > 1e-3 {
        return Err(PriceError::Bad);
    }
    Ok(cents as i64)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_ways_customers_write_prices() {
        let cases = [
            ("1234.50", Ok(123_450)),
            ("1234,50", Ok(123_450)),
            ("1 234,50", Ok(123_450)),
            ("1\u{a0}234,50", Ok(123_450)),
            ("1\u{202f}234,50", Ok(123_450)),
            ("1.234,50", Ok(123_450)),
            ("1,234.50", Ok(123_450)),
            ("1'234.50", Ok(123_450)),
            ("1.234.567", Ok(123_456_700)),
            ("1,234,567.8", Ok(123_456_780)),
            ("  120  ", Ok(12_000)),
            ("120 €", Ok(12_000)),
            ("€120.5", Ok(12_050)),
            ("0,99", Ok(99)),
            (",99", Err(PriceError::Bad)),
            ("0", Ok(0)),
            ("-0", Ok(0)),
            ("1,234", Err(PriceError::Ambiguous)),
            ("1.234", Err(PriceError::Ambiguous)),
            ("0.125", Err(PriceError::Bad)),
            ("12.3456", Err(PriceError::Bad)),
            ("12.", Err(PriceError::Bad)),
            ("12,50.00", Err(PriceError::Bad)),
            ("1.23.45", Err(PriceError::Bad)),
            ("1.234,5,0", Err(PriceError::Bad)),
            ("-12,00", Err(PriceError::Negative)),
            ("12 EUR", Err(PriceError::Bad)),
            ("", Err(PriceError::Bad)),
            ("abc", Err(PriceError::Bad)),
            ("1e3", Err(PriceError::Bad)),
            ("99999999999999999999", Err(PriceError::Bad)),
        ];
        for (text, expected) in cases {
            assert_eq!(parse_cents(text), expected, "{text:?}");
        }
    }

    #[test]
    fn number_cells_round_to_cents_only_with_two_decimals() {
        assert_eq!(cents_of_number(129.99), Ok(12_999));
        assert_eq!(cents_of_number(0.1 + 0.2), Ok(30));
        assert_eq!(cents_of_number(1_234.5), Ok(123_450));
        assert_eq!(cents_of_number(1.005), Err(PriceError::Bad));
        assert_eq!(cents_of_number(-1.0), Err(PriceError::Negative));
        assert_eq!(cents_of_number(f64::NAN), Err(PriceError::Bad));
    }
}
