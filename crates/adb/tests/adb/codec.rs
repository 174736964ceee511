//! The device protocol's messages, byte for byte.

use refurbdesk_adb::{
    checksum, read_message, Command, DecodeError, Decoder, Header, Message, HEADER_BYTES,
    MAX_PAYLOAD,
};

#[test]
fn command_words_are_their_letters_little_endian() {
    assert_eq!(Command::Connect.word(), 0x4e58_4e43);
    assert_eq!(Command::Auth.word(), 0x4854_5541);
    assert_eq!(Command::Open.word(), 0x4e45_504f);
    assert_eq!(Command::Okay.word(), 0x5941_4b4f);
    assert_eq!(Command::Close.word(), 0x4553_4c43);
    assert_eq!(Command::Write.word(), 0x4554_5257);
    for command in Command::ALL {
        assert_eq!(Command::from_word(command.word()), Some(command));
        assert_eq!(command.to_string().as_bytes(), command.letters());
    }
    assert_eq!(Command::from_word(0x1234_5678), None);
}

#[test]
fn a_header_is_six_little_endian_words() {
    let message = Message::new(Command::Write, 0x0102_0304, 0x0a0b_0c0d, b"abc".to_vec());
    let bytes = message.encode();
    assert_eq!(bytes.len(), HEADER_BYTES + 3);
    assert_eq!(&bytes[..4], b"WRTE");
    assert_eq!(&bytes[4..8], &[4, 3, 2, 1]);
    assert_eq!(&bytes[8..12], &[0x0d, 0x0c, 0x0b, 0x0a]);
    assert_eq!(&bytes[12..16], &3u32.to_le_bytes());
    assert_eq!(
        &bytes[16..20],
        &(u32::from(b'a') + u32::from(b'b') + u32::from(b'c')).to_le_bytes()
    );
    assert_eq!(&bytes[20..24], &(!Command::Write.word()).to_le_bytes());
    assert_eq!(&bytes[24..], b"abc");
    let mut head = [0u8; HEADER_BYTES];
    head.copy_from_slice(&bytes[..HEADER_BYTES]);
    assert_eq!(Header::decode(&head), message.header());
    assert_eq!(Header::decode(&message.header().encode()), message.header());
}

#[test]
fn every_message_survives_any_split_of_its_bytes() {
    let messages = vec![
        Message::new(
            Command::Connect,
            0x0100_0001,
            256 * 1024,
            b"host::features=shell_v2".to_vec(),
        ),
        Message::new(Command::Open, 1, 0, b"shell:dumpsys battery\0".to_vec()),
        Message::new(Command::Okay, 5, 1, Vec::new()),
        Message::new(Command::Write, 5, 1, vec![0xff; 5000]),
        Message::new(Command::Close, 5, 1, Vec::new()),
    ];
    let stream: Vec<u8> = messages.iter().flat_map(Message::encode).collect();
    for step in [1, 3, 7, 24, 25, 1000, stream.len()] {
        let mut decoder = Decoder::new();
        let mut got = Vec::new();
        for piece in stream.chunks(step) {
            decoder.push(piece);
            while let Some(message) = decoder.next_message().expect("valid") {
                got.push(message);
            }
        }
        assert_eq!(got, messages, "pieces of {step} bytes");
    }
    let mut reader = stream.as_slice();
    for expected in &messages {
        let read = read_message(&mut reader, MAX_PAYLOAD, true).expect("reads");
        assert_eq!(read.as_ref(), Some(expected));
    }
    assert!(read_message(&mut reader, MAX_PAYLOAD, true)
        .expect("clean end")
        .is_none());
}

#[test]
fn a_corrupt_header_or_payload_is_refused() {
    let good = Message::new(Command::Write, 1, 2, b"hello".to_vec()).encode();

    let mut bad_magic = good.clone();
    bad_magic[20] ^= 0x01;
    let mut decoder = Decoder::new();
    decoder.push(&bad_magic);
    assert!(matches!(
        decoder.next_message(),
        Err(DecodeError::BadMagic { .. })
    ));

    let mut unknown = good.clone();
    unknown[..4].copy_from_slice(b"XXXX");
    unknown[20..24].copy_from_slice(&(!u32::from_le_bytes(*b"XXXX")).to_le_bytes());
    let mut decoder = Decoder::new();
    decoder.push(&unknown);
    assert!(matches!(
        decoder.next_message(),
        Err(DecodeError::UnknownCommand(_))
    ));

    let mut corrupt = good.clone();
    corrupt[HEADER_BYTES] = b'j';
    let mut decoder = Decoder::new();
    decoder.push(&corrupt);
    assert!(matches!(
        decoder.next_message(),
        Err(DecodeError::BadChecksum { .. })
    ));
    // Peers of version 0x01000001 leave checksums unchecked.
    let mut decoder = Decoder::new();
    decoder.skip_checksums(true);
    decoder.push(&corrupt);
    assert_eq!(decoder.next_message().unwrap().unwrap().payload, b"jello");

    let mut huge = Message::new(Command::Write, 1, 2, Vec::new()).header();
    huge.data_length = MAX_PAYLOAD + 1;
    let mut decoder = Decoder::new();
    decoder.push(&huge.encode());
    assert!(matches!(
        decoder.next_message(),
        Err(DecodeError::TooLong { .. })
    ));
}

#[test]
fn the_checksum_is_the_byte_sum() {
    assert_eq!(checksum(b""), 0);
    assert_eq!(
        checksum(b"host::\0"),
        u32::from(b'h') + 111 + 115 + 116 + 58 + 58
    );
    assert_eq!(checksum(&vec![0xff; 1 << 20]), 0xff * (1 << 20));
}
