//! Code 128 (ISO/IEC 15417), written by hand: a table of 107 patterns, a check symbol and a
//! choice between code sets B (printable ASCII) and C (pairs of digits), so an IMEI takes
//! seven digit pairs instead of fifteen characters and fits a small label.

/// Bar and space widths of every symbol value, in modules, bar first. 103–105 start code sets
/// A, B and C; 106 is the stop pattern (with its final two-module bar).
const PATTERNS: [&str; 107] = [
    "212222", "222122", "222221", "121223", "121322", "131222", "122213", "122312", "132212",
    "221213", "221312", "231212", "112232", "122132", "122231", "113222", "123122", "123221",
    "223211", "221132", "221231", "213212", "223112", "312131", "311222", "321122", "321221",
    "312212", "322112", "322211", "212123", "212321", "232121", "111323", "131123", "131321",
    "112313", "132113", "132311", "211313", "231113", "231311", "112133", "112331", "132131",
    "113123", "113321", "133121", "313121", "211331", "231131", "213113", "213311", "213131",
    "311123", "311321", "331121", "312113", "312311", "332111", "314111", "221411", "431111",
    "111224", "111422", "121124", "121421", "141122", "141221", "112214", "112412", "122114",
    "122411", "142112", "142211", "241211", "221114", "413111", "241112", "134111", "111242",
    "121142", "121241", "114212", "124112", "124211", "411212", "421112", "421211", "212141",
    "214121", "412121", "111143", "111341", "131141", "114113", "114311", "411113", "411311",
    "113141", "114131", "311141", "411131", "211412", "211214", "211232", "2331112",
];

const START_B: u8 = 104;
const START_C: u8 = 105;
/// In code set B, switch to C; in C, switch to B.
const CODE_C: u8 = 99;
const CODE_B: u8 = 100;
const STOP: u8 = 106;

/// Modules of quiet zone a reader needs on each side of the symbol.
pub const QUIET_ZONE: u32 = 10;

/// A Code 128 symbol: its values (start, data, check, stop) and its bars.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Code128 {
    pub values: Vec<u8>,
}

#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("{text:?} cannot be written as a Code 128 barcode: only printable ASCII characters can")]
pub struct NotEncodable {
    pub text: String,
}

#[derive(Clone, Copy, PartialEq, Eq)]
enum Set {
    B,
    C,
}

impl Code128 {
    /// Encodes `text` with the fewest symbols the usual rule gives: code set C for runs of
    /// four digits or more (six in the middle of text, where two switches cost two symbols),
    /// B for the rest.
    pub fn encode(text: &str) -> Result<Self, NotEncodable> {
        let bytes = text.as_bytes();
        if bytes.is_empty() || !bytes.iter().all(|b| (32..=126).contains(b)) {
            return Err(NotEncodable {
                text: text.to_owned(),
            });
        }
        let digits_from = |i: usize| bytes[i..].iter().take_while(|b| b.is_ascii_digit()).count();
        let mut values = Vec::new();
        let mut i = 0;
        let lead = digits_from(0);
        let mut set = if lead == bytes.len() && lead % 2 == 0 || lead >= 4 {
            values.push(START_C);
            Set::C
        } else {
            values.push(START_B);
            Set::B
        };
        while i < bytes.len() {
            match set {
                Set::C => {
                    if digits_from(i) >= 2 {
                        values.push((bytes[i] - b'0') * 10 + (bytes[i + 1] - b'0'));
                        i += 2;
                    } else {
                        values.push(CODE_B);
                        set = Set::B;
                    }
                }
                Set::B => {
                    let run = digits_from(i);
                    let to_end = i + run == bytes.len();
                    if run >= 6 || (to_end && run >= 4) {
                        // An odd run gives its first digit to B, so C ends on a whole pair.
                        if run % 2 == 1 {
                            values.push(bytes[i] - 32);
                            i += 1;
                        }
                        values.push(CODE_C);
                        set = Set::C;
                    } else {
                        values.push(bytes[i] - 32);
                        i += 1;
                    }
                }
            }
        }
        let check = values
            .iter()
            .enumerate()
            .map(|(position, value)| position.max(1) as u32 * u32::from(*value))
            .sum::<u32>()
            % 103;
        values.push(check as u8);
        values.push(STOP);
        Ok(Self { values })
    }

    /// Bar and space widths in modules, left to right, starting with a bar.
    pub fn widths(&self) -> impl Iterator<Item = u32> + '_ {
        self.values.iter().flat_map(|value| {
            PATTERNS[usize::from(*value)]
                .bytes()
                .map(|digit| u32::from(digit - b'0'))
        })
    }

    /// The symbol's width in modules, without quiet zones.
    pub fn modules(&self) -> u32 {
        self.widths().sum()
    }

    /// Each bar as (start, width), in modules from the symbol's left edge.
    pub fn bars(&self) -> Vec<(u32, u32)> {
        let mut bars = Vec::new();
        let mut x = 0;
        for (index, width) in self.widths().enumerate() {
            if index % 2 == 0 {
                bars.push((x, width));
            }
            x += width;
        }
        bars
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_pattern_is_eleven_modules_and_unique() {
        for (value, pattern) in PATTERNS.iter().enumerate() {
            let width: u32 = pattern.bytes().map(|d| u32::from(d - b'0')).sum();
            let bar_modules: u32 = pattern
                .bytes()
                .step_by(2)
                .map(|d| u32::from(d - b'0'))
                .sum();
            if value == usize::from(STOP) {
                assert_eq!(width, 13);
            } else {
                assert_eq!(width, 11, "pattern {value}");
                // Code 128's parity: the bars of every symbol take an even number of modules.
                assert_eq!(bar_modules % 2, 0, "pattern {value}");
            }
        }
        let mut sorted = PATTERNS.to_vec();
        sorted.sort();
        sorted.dedup();
        assert_eq!(sorted.len(), PATTERNS.len());
    }

    #[test]
    fn an_imei_is_seven_pairs_and_one_digit() {
        let code = Code128::encode("356728114587211").unwrap();
        assert_eq!(
            code.values[..10],
            [START_C, 35, 67, 28, 11, 45, 87, 21, CODE_B, b'1' - 32]
        );
        assert_eq!(code.values.len(), 12);
        assert_eq!(code.modules(), 11 * 11 + 13);
    }

    #[test]
    fn the_check_symbol_is_the_weighted_sum_modulo_103() {
        // 104 + 1·48 (P) + 2·42 + 3·42 (J J) + 4·17 + 5·18 + 6·19 (1 2 3) + 7·35 (C) = 879,
        // and 879 = 8·103 + 55.
        let code = Code128::encode("PJJ123C").unwrap();
        assert_eq!(code.values[0], START_B);
        assert_eq!(code.values[code.values.len() - 2], 55);
    }

    #[test]
    fn letters_use_b_and_long_digit_runs_switch_to_c() {
        let serial = Code128::encode("F17XK2ABCDEF").unwrap();
        assert_eq!(serial.values[0], START_B);
        assert!(!serial.values.contains(&CODE_C));
        let mixed = Code128::encode("AB1234567").unwrap();
        assert_eq!(
            mixed.values[..7],
            [START_B, b'A' - 32, b'B' - 32, b'1' - 32, CODE_C, 23, 45]
        );
        assert!(Code128::encode("Épée").is_err());
        assert!(Code128::encode("").is_err());
    }
}
