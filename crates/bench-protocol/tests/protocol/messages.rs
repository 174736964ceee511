//! Grammar rules of §3, §5 and §6, one behaviour per test.

use refurbdesk_bench_protocol::{
    encode_message, encode_value, format_message, parse_message, ErrorCode, Event, Fields,
    FrameError, Message, ParseError, ParseErrorKind, ResponseBody, TestOutcome, MAX_BODY_BYTES,
};

fn parsed(body: &str) -> Message {
    parse_message(body).unwrap_or_else(|error| panic!("`{body}` should parse: {error}"))
}

fn kind(body: &str) -> ParseErrorKind {
    match parse_message(body) {
        Ok(message) => panic!("`{body}` should be rejected, parsed as {message:?}"),
        Err(error) => error.kind,
    }
}

fn error(body: &str) -> ParseError {
    parse_message(body).expect_err("should be rejected")
}

fn ok_fields(body: &str) -> Fields {
    match parsed(body) {
        Message::Response {
            body: ResponseBody::Ok(fields),
            ..
        } => fields,
        other => panic!("`{body}` is not an OK response: {other:?}"),
    }
}

fn event(body: &str) -> Event {
    match parsed(body) {
        Message::Event(event) => event,
        other => panic!("`{body}` is not an event: {other:?}"),
    }
}

// --- requests -------------------------------------------------------------------------------

#[test]
fn requests_carry_tag_verb_and_args() {
    assert_eq!(
        parsed("5 ERASE 3 factory_reset"),
        Message::Request {
            tag: 5,
            verb: "ERASE".into(),
            args: vec!["3".into(), "factory_reset".into()],
        }
    );
    assert_eq!(
        parsed("0 PING"),
        Message::Request {
            tag: 0,
            verb: "PING".into(),
            args: vec![],
        }
    );
}

#[test]
fn unknown_verbs_parse_so_the_bench_can_answer_unknown_verb() {
    assert!(
        matches!(parsed("7 FROBNICATE 2"), Message::Request { verb, .. } if verb == "FROBNICATE")
    );
}

#[test]
fn verbs_must_look_like_verbs() {
    assert_eq!(kind("1 hello"), ParseErrorKind::BadVerb);
    assert_eq!(kind("1 PING-2"), ParseErrorKind::BadVerb);
    assert_eq!(kind("1 2PING"), ParseErrorKind::BadVerb);
    assert_eq!(
        kind("1"),
        ParseErrorKind::MissingToken {
            expected: "a verb, `OK` or `ERR`"
        }
    );
}

#[test]
fn tags_are_decimal_from_0_to_9999() {
    assert!(matches!(
        parsed("9999 PING"),
        Message::Request { tag: 9999, .. }
    ));
    for bad in [
        "10000 PING",
        "-1 PING",
        "+1 PING",
        "1.0 PING",
        "x PING",
        "12345 PING",
    ] {
        assert_eq!(kind(bad), ParseErrorKind::BadTag, "{bad}");
    }
}

#[test]
fn request_args_may_be_quoted_and_escaped() {
    assert_eq!(
        parsed("3 RUN 2 \"odd name\" caf%C3%A9"),
        Message::Request {
            tag: 3,
            verb: "RUN".into(),
            args: vec!["2".into(), "odd name".into(), "caf\u{e9}".into()],
        }
    );
    assert_eq!(
        kind("3 RUN 2 mode=\"x\""),
        ParseErrorKind::StrayToken {
            expected: "a plain or fully quoted argument"
        }
    );
}

// --- OK responses ---------------------------------------------------------------------------

#[test]
fn ok_responses_keep_fields_in_order() {
    let fields = ok_fields("4 OK activation=unlocked account=none mdm=none carrier=unlocked");
    let pairs: Vec<_> = fields.iter().collect();
    assert_eq!(
        pairs,
        vec![
            ("activation", "unlocked"),
            ("account", "none"),
            ("mdm", "none"),
            ("carrier", "unlocked"),
        ]
    );
    assert!(ok_fields("8 OK").is_empty());
}

#[test]
fn unknown_fields_are_kept_for_forward_compatibility() {
    let fields = ok_fields("1 OK present=yes wireless_charging=yes");
    assert_eq!(fields.get("wireless_charging"), Some("yes"));
    assert_eq!(fields.len(), 2);
}

#[test]
fn duplicate_keys_are_rejected_and_located() {
    let error = error("1 OK a=1 b=2 a=3");
    assert_eq!(error.kind, ParseErrorKind::DuplicateKey);
    assert_eq!(error.token, Some(5));
    assert_eq!(error.text, "a=3");
}

#[test]
fn keys_must_match_the_key_pattern() {
    for bad in [
        "1 OK Model=x",
        "1 OK 1a=x",
        "1 OK a-b=x",
        "1 OK =x",
        "1 OK =\"x\"",
    ] {
        assert_eq!(kind(bad), ParseErrorKind::BadKey, "{bad}");
    }
    assert_eq!(ok_fields("1 OK a_1=x").get("a_1"), Some("x"));
}

#[test]
fn ok_responses_accept_only_fields() {
    assert_eq!(kind("1 OK present=yes extra"), ParseErrorKind::NotAField);
    assert_eq!(kind("1 OK \"quoted\""), ParseErrorKind::NotAField);
}

#[test]
fn values_are_decoded() {
    let fields = ok_fields(
        r#"2 OK model="iPhone 12" color=Bleu%20oc%C3%A9an note="say \"hi\" \\ 100%25" eq=a=b empty="""#,
    );
    assert_eq!(fields.get("model"), Some("iPhone 12"));
    assert_eq!(fields.get("color"), Some("Bleu oc\u{e9}an"));
    assert_eq!(fields.get("note"), Some("say \"hi\" \\ 100%"));
    assert_eq!(fields.get("eq"), Some("a=b"));
    assert_eq!(fields.get("empty"), Some(""));
}

#[test]
fn value_errors_are_reported() {
    assert_eq!(kind("1 OK a="), ParseErrorKind::EmptyBareValue);
    assert_eq!(kind("1 OK a=50%"), ParseErrorKind::BadPercent);
    assert_eq!(kind("1 OK a=%e9"), ParseErrorKind::BadPercent);
    assert_eq!(kind("1 OK a=%E9"), ParseErrorKind::InvalidUtf8);
    assert_eq!(kind("1 OK a=\"x\\n\""), ParseErrorKind::BadEscape);
    assert_eq!(kind("1 OK a=\"open"), ParseErrorKind::UnterminatedQuote);
    assert_eq!(kind("1 OK a=\"x\"y"), ParseErrorKind::TextAfterQuote);
    assert_eq!(kind("1 OK a=x\"y\""), ParseErrorKind::StrayQuote);
}

#[test]
fn bare_backslashes_are_literal() {
    assert_eq!(ok_fields("1 OK path=C:\\x").get("path"), Some("C:\\x"));
}

// --- ERR responses --------------------------------------------------------------------------

#[test]
fn err_responses_carry_a_code_and_optional_message() {
    assert_eq!(
        parsed("4 ERR NO_SLOT"),
        Message::Response {
            tag: Some(4),
            body: ResponseBody::Err {
                code: ErrorCode::NoSlot,
                message: None
            },
        }
    );
    assert_eq!(
        parsed("4 ERR DEVICE \"no answer from the device\""),
        Message::Response {
            tag: Some(4),
            body: ResponseBody::Err {
                code: ErrorCode::Device,
                message: Some("no answer from the device".into())
            },
        }
    );
}

#[test]
fn every_error_code_round_trips_by_name() {
    let names = [
        "BAD_CRC",
        "UNKNOWN_VERB",
        "BAD_ARGS",
        "NO_SLOT",
        "EMPTY",
        "BUSY",
        "UNSUPPORTED",
        "DEVICE",
    ];
    for (name, code) in names.iter().zip(ErrorCode::ALL) {
        assert_eq!(code.as_str(), *name);
        assert_eq!(ErrorCode::parse(name), Some(code));
        assert!(matches!(
            parsed(&format!("9 ERR {name}")),
            Message::Response { body: ResponseBody::Err { code: parsed_code, .. }, .. } if parsed_code == code
        ));
    }
    assert_eq!(ErrorCode::parse("bad_crc"), None);
}

#[test]
fn unknown_error_codes_are_parse_errors() {
    assert_eq!(kind("1 ERR OVERHEATED"), ParseErrorKind::UnknownErrorCode);
    assert_eq!(
        kind("1 ERR"),
        ParseErrorKind::MissingToken {
            expected: "an ERR code"
        }
    );
}

#[test]
fn err_messages_must_be_quoted() {
    assert!(matches!(
        kind("1 ERR DEVICE timeout"),
        ParseErrorKind::StrayToken { .. }
    ));
    assert!(matches!(
        kind("1 ERR DEVICE \"a\" \"b\""),
        ParseErrorKind::StrayToken { .. }
    ));
}

#[test]
fn err_responses_tolerate_and_drop_extra_fields() {
    assert_eq!(
        parsed("1 ERR BUSY \"erasing\" eta_s=40"),
        Message::Response {
            tag: Some(1),
            body: ResponseBody::Err {
                code: ErrorCode::Busy,
                message: Some("erasing".into())
            },
        }
    );
    assert_eq!(kind("1 ERR BUSY eta=1 eta=2"), ParseErrorKind::DuplicateKey);
}

#[test]
fn untrusted_tag_only_with_bad_crc() {
    assert_eq!(
        parsed("? ERR BAD_CRC"),
        Message::Response {
            tag: None,
            body: ResponseBody::Err {
                code: ErrorCode::BadCrc,
                message: None
            },
        }
    );
    assert_eq!(kind("? OK"), ParseErrorKind::UntrustedTagMisused);
    assert_eq!(kind("? ERR BUSY"), ParseErrorKind::UntrustedTagMisused);
    assert_eq!(kind("? PING"), ParseErrorKind::UntrustedTagMisused);
}

// --- events ---------------------------------------------------------------------------------

#[test]
fn slot_events() {
    assert_eq!(event("! INSERTED 3"), Event::Inserted { slot: 3 });
    assert_eq!(event("! REMOVED 65535"), Event::Removed { slot: 65535 });
    assert_eq!(event("! RESET"), Event::Reset);
    assert_eq!(
        event("! FAULT 2 \"clamp open\""),
        Event::Fault {
            slot: 2,
            message: "clamp open".into()
        }
    );
}

#[test]
fn slots_start_at_one_and_are_decimal() {
    for bad in [
        "! INSERTED 0",
        "! INSERTED x",
        "! INSERTED 65536",
        "! REMOVED -1",
        "! INSERTED 3.0",
    ] {
        assert_eq!(kind(bad), ParseErrorKind::BadSlot, "{bad}");
    }
    assert_eq!(
        kind("! INSERTED"),
        ParseErrorKind::MissingToken {
            expected: "a slot number"
        }
    );
}

#[test]
fn result_events() {
    assert_eq!(
        event("! RESULT 3 wifi PASS"),
        Event::Result {
            slot: 3,
            test: "wifi".into(),
            outcome: TestOutcome::Pass,
            detail: None
        }
    );
    assert_eq!(
        event("! RESULT 4 camera_rear FAIL \"focus motor stuck\""),
        Event::Result {
            slot: 4,
            test: "camera_rear".into(),
            outcome: TestOutcome::Fail,
            detail: Some("focus motor stuck".into())
        }
    );
    assert_eq!(kind("! RESULT 3 wifi pass"), ParseErrorKind::BadOutcome);
    assert_eq!(kind("! RESULT 3 WiFi PASS"), ParseErrorKind::BadTestName);
    assert!(matches!(
        kind("! RESULT 3 wifi PASS because"),
        ParseErrorKind::StrayToken { .. }
    ));
}

#[test]
fn erase_events() {
    assert_eq!(
        event("! ERASE 2 progress=0"),
        Event::EraseProgress {
            slot: 2,
            progress: 0
        }
    );
    assert_eq!(
        event("! ERASE 2 progress=100"),
        Event::EraseProgress {
            slot: 2,
            progress: 100
        }
    );
    assert_eq!(
        event("! ERASE 2 done=ok"),
        Event::EraseDone {
            slot: 2,
            ok: true,
            detail: None
        }
    );
    assert_eq!(
        event("! ERASE 2 done=failed \"FRP lock\""),
        Event::EraseDone {
            slot: 2,
            ok: false,
            detail: Some("FRP lock".into())
        }
    );
}

#[test]
fn erase_events_are_checked() {
    assert_eq!(kind("! ERASE 2 progress=101"), ParseErrorKind::BadProgress);
    assert_eq!(kind("! ERASE 2 progress=-1"), ParseErrorKind::BadProgress);
    assert_eq!(kind("! ERASE 2 progress=5.5"), ParseErrorKind::BadProgress);
    assert_eq!(
        kind("! ERASE 2 done=maybe"),
        ParseErrorKind::BadEraseOutcome
    );
    assert_eq!(kind("! ERASE 2"), ParseErrorKind::EraseNeedsProgressOrDone);
    assert_eq!(
        kind("! ERASE 2 progress=5 done=ok"),
        ParseErrorKind::EraseNeedsProgressOrDone
    );
    assert_eq!(
        kind("! ERASE 2 progress=5 \"why\""),
        ParseErrorKind::DetailWithProgress
    );
    assert_eq!(
        kind("! ERASE 2 progress=5 progress=6"),
        ParseErrorKind::DuplicateKey
    );
    assert!(matches!(
        kind("! ERASE 2 done=ok \"a\" \"b\""),
        ParseErrorKind::StrayToken { .. }
    ));
}

#[test]
fn events_tolerate_and_drop_extra_fields() {
    assert_eq!(
        event("! INSERTED 3 cradle=usb_c"),
        Event::Inserted { slot: 3 }
    );
    assert_eq!(
        event("! ERASE 2 method=nvme_format progress=40"),
        Event::EraseProgress {
            slot: 2,
            progress: 40
        }
    );
    assert!(matches!(
        kind("! INSERTED 3 4"),
        ParseErrorKind::StrayToken { .. }
    ));
    assert_eq!(kind("! RESET X=1"), ParseErrorKind::BadKey);
}

#[test]
fn fault_messages_must_be_quoted() {
    assert_eq!(kind("! FAULT 2 clamp"), ParseErrorKind::ExpectedQuoted);
    assert_eq!(
        kind("! FAULT 2"),
        ParseErrorKind::MissingToken {
            expected: "a quoted fault message"
        }
    );
}

#[test]
fn unknown_events_are_rejected() {
    assert_eq!(kind("! DOCKED 3"), ParseErrorKind::UnknownEvent);
    assert_eq!(kind("! inserted 3"), ParseErrorKind::UnknownEvent);
}

// --- whole-body rules -----------------------------------------------------------------------

#[test]
fn tokens_may_be_separated_by_several_spaces() {
    assert_eq!(event("!   INSERTED   3"), Event::Inserted { slot: 3 });
}

#[test]
fn surrounding_spaces_and_bad_bytes_are_rejected() {
    assert_eq!(kind(""), ParseErrorKind::Empty);
    assert_eq!(kind(" 1 PING"), ParseErrorKind::LeadingSpace);
    assert_eq!(kind("1 PING "), ParseErrorKind::TrailingSpace);
    assert_eq!(
        kind("1 OK a=\u{e9}"),
        ParseErrorKind::ForbiddenByte { position: 7 }
    );
    assert_eq!(
        kind("1 OK a=*"),
        ParseErrorKind::ForbiddenByte { position: 7 }
    );
    assert_eq!(
        kind("1 PING\r"),
        ParseErrorKind::ForbiddenByte { position: 6 }
    );
}

#[test]
fn errors_say_which_token_and_what_rule() {
    assert_eq!(
        error("! INSERTED slot=x").to_string(),
        "token 3 `slot=x`: a slot must be a decimal number from 1 to 65535"
    );
    assert_eq!(
        error("! RESULT 3").to_string(),
        "token 4: the line ends where a test name was expected"
    );
    assert_eq!(
        error("1 PING ").to_string(),
        "the body ends with a space; nothing may follow the last token"
    );
    let long_token = format!("1 OK {}", "k".repeat(100));
    let shown = error(&long_token).text;
    assert!(shown.len() < 50 && shown.ends_with("..."), "{shown}");
}

// --- formatting -----------------------------------------------------------------------------

#[test]
fn formatting_writes_the_canonical_forms() {
    let cases = [
        (
            Message::Request {
                tag: 12,
                verb: "RUN".into(),
                args: vec!["3".into(), "camera_rear".into()],
            },
            "12 RUN 3 camera_rear",
        ),
        (
            Message::Response {
                tag: None,
                body: ResponseBody::Err {
                    code: ErrorCode::BadCrc,
                    message: None,
                },
            },
            "? ERR BAD_CRC",
        ),
        (
            Message::Response {
                tag: Some(7),
                body: ResponseBody::Err {
                    code: ErrorCode::Device,
                    message: Some("no \"ack\"".into()),
                },
            },
            r#"7 ERR DEVICE "no \"ack\"""#,
        ),
        (
            Message::Response {
                tag: Some(7),
                body: ResponseBody::Ok(
                    Fields::new()
                        .with("model", "Galaxy S21 5G")
                        .with("color", "Gris fonc\u{e9}")
                        .with("note", "100% *new*"),
                ),
            },
            "7 OK model=\"Galaxy S21 5G\" color=\"Gris fonc%C3%A9\" note=\"100%25 %2Anew%2A\"",
        ),
        (
            Message::Event(Event::Result {
                slot: 3,
                test: "wifi".into(),
                outcome: TestOutcome::Skip,
                detail: Some("no AP".into()),
            }),
            "! RESULT 3 wifi SKIP \"no AP\"",
        ),
        (
            Message::Event(Event::EraseProgress {
                slot: 1,
                progress: 42,
            }),
            "! ERASE 1 progress=42",
        ),
        (
            Message::Event(Event::EraseDone {
                slot: 1,
                ok: false,
                detail: None,
            }),
            "! ERASE 1 done=failed",
        ),
        (
            Message::Event(Event::Fault {
                slot: 2,
                message: "overcurrent".into(),
            }),
            "! FAULT 2 \"overcurrent\"",
        ),
        (Message::Event(Event::Reset), "! RESET"),
    ];
    for (message, body) in cases {
        assert_eq!(format_message(&message), body);
        assert_eq!(parse_message(body), Ok(message));
    }
}

#[test]
fn encode_message_refuses_lines_over_the_limit() {
    let message = Message::Response {
        tag: Some(1),
        body: ResponseBody::Ok(Fields::new().with("note", &"x".repeat(MAX_BODY_BYTES))),
    };
    assert!(matches!(
        encode_message(&message),
        Err(FrameError::TooLong { .. })
    ));
}

#[test]
fn encode_value_output_parses_back_as_a_field() {
    for value in [
        "",
        " ",
        "\"",
        "\\",
        "%",
        "*",
        "a b=c",
        "\u{1F600}",
        "\n\r\t",
        "%25",
    ] {
        let body = format!("1 OK v={}", encode_value(value));
        assert_eq!(ok_fields(&body).get("v"), Some(value), "{body}");
    }
}

#[test]
fn fields_insert_replaces_in_place() {
    let mut fields = Fields::new().with("a", "1").with("b", "2");
    fields.insert("a", "3");
    assert_eq!(
        fields.iter().collect::<Vec<_>>(),
        vec![("a", "3"), ("b", "2")]
    );
    assert_eq!(fields.get("c"), None);
}
