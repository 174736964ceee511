//! CRC-8/SMBUS, the checksum that guards every line of the protocol.

const POLYNOMIAL: u8 = 0x07;

/// `TABLES[k][x]` is the CRC state after feeding state `x` through one byte step and then `k`
/// zero bytes. CRC is linear, so eight input bytes can be folded in with eight independent
/// lookups instead of a chain of eight dependent ones; on the receive path the CRC was the
/// single most expensive step before this.
const TABLES: [[u8; 256]; 8] = build_tables();

const fn step(mut crc: u8) -> u8 {
    let mut bit = 0;
    while bit < 8 {
        crc = if crc & 0x80 != 0 {
            (crc << 1) ^ POLYNOMIAL
        } else {
            crc << 1
        };
        bit += 1;
    }
    crc
}

const fn build_tables() -> [[u8; 256]; 8] {
    let mut tables = [[0u8; 256]; 8];
    let mut index = 0;
    while index < 256 {
        tables[0][index] = step(index as u8);
        index += 1;
    }
    let mut zeros = 1;
    while zeros < 8 {
        let mut index = 0;
        while index < 256 {
            tables[zeros][index] = tables[0][tables[zeros - 1][index] as usize];
            index += 1;
        }
        zeros += 1;
    }
    tables
}

/// CRC-8/SMBUS (poly 0x07, init 0, no reflect, no xorout). crc8(b"123456789") == 0xF4.
pub fn crc8(bytes: &[u8]) -> u8 {
    let mut crc = 0u8;
    let mut blocks = bytes.chunks_exact(8);
    for block in &mut blocks {
        crc = TABLES[7][usize::from(crc ^ block[0])]
            ^ TABLES[6][usize::from(block[1])]
            ^ TABLES[5][usize::from(block[2])]
            ^ TABLES[4][usize::from(block[3])]
            ^ TABLES[3][usize::from(block[4])]
            ^ TABLES[2][usize::from(block[5])]
            ^ TABLES[1][usize::from(block[6])]
            ^ TABLES[0][usize::from(block[7])];
    }
    blocks
        .remainder()
        .iter()
        .fold(crc, |crc, &byte| TABLES[0][usize::from(crc ^ byte)])
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    /// Straight from the definition, bit by bit, to check the table against.
    fn crc8_bitwise(bytes: &[u8]) -> u8 {
        let mut crc = 0u8;
        for &byte in bytes {
            crc ^= byte;
            for _ in 0..8 {
                crc = if crc & 0x80 != 0 {
                    (crc << 1) ^ POLYNOMIAL
                } else {
                    crc << 1
                };
            }
        }
        crc
    }

    #[test]
    fn check_value_from_the_spec() {
        assert_eq!(crc8(b"123456789"), 0xF4);
    }

    #[test]
    fn empty_input_keeps_the_initial_value() {
        assert_eq!(crc8(b""), 0x00);
    }

    #[test]
    fn single_bytes_follow_the_polynomial() {
        assert_eq!(crc8(&[0x01]), 0x07);
        assert_eq!(crc8(&[0x80]), 0x89);
        assert_eq!(crc8(&[0xFF]), 0xF3);
    }

    proptest! {
        #[test]
        fn table_matches_the_bitwise_definition(bytes in proptest::collection::vec(any::<u8>(), 0..300)) {
            prop_assert_eq!(crc8(&bytes), crc8_bitwise(&bytes));
        }
    }
}
