//! Every kind of bad line, each with its line and column; whole-file problems; the problems'
//! serialised shape, which the app passes on as error details.

use std::path::PathBuf;

use refurbdesk_manifest::{
    read_manifest, FileProblem, Format, LineProblem, ProblemKind, Rejected, KNOWN_COLUMNS,
};
use serde_json::json;

fn problem(line: u32, column: Option<&str>, kind: ProblemKind) -> LineProblem {
    LineProblem {
        line,
        column: column.map(str::to_owned),
        kind,
    }
}

fn words(words: &[&str]) -> Vec<String> {
    words.iter().map(|word| (*word).to_owned()).collect()
}

#[test]
fn every_bad_line_is_reported_and_nothing_is_read() {
    let path =
        PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("../../fixtures/manifests/bad-lines.csv");
    let bytes = std::fs::read(path).expect("fixture");
    let rejected = read_manifest(&bytes, Format::Csv).expect_err("refused whole");
    assert_eq!(rejected.file, None);
    let grades = words(&[
        "FUNCTIONAL_FLAWLESS",
        "FUNCTIONAL_GOOD",
        "FUNCTIONAL_USED",
        "FUNCTIONAL_CRACKED",
        "NOT_FUNCTIONAL_USED",
        "NOT_FUNCTIONAL_CRACKED",
    ]);
    let expected = vec![
        problem(
            2,
            Some("imei"),
            ProblemKind::ImeiCheckDigit {
                value: "356728114587212".into(),
                expected: 1,
            },
        ),
        problem(3, None, ProblemKind::MissingIdentifier),
        problem(
            5,
            Some("imei"),
            ProblemKind::DuplicateImei {
                value: "356728114587211".into(),
                first_line: 4,
            },
        ),
        problem(
            6,
            Some("imei"),
            ProblemKind::ImeiScientific {
                value: "3.56728E+14".into(),
            },
        ),
        problem(
            7,
            Some("imei"),
            ProblemKind::ImeiLength {
                value: "35672811458721".into(),
                digits: 14,
            },
        ),
        problem(
            8,
            Some("imei"),
            ProblemKind::ImeiNotDigits {
                value: "35672811458721X".into(),
            },
        ),
        problem(
            9,
            Some("category"),
            ProblemKind::UnknownCategory {
                value: "fridge".into(),
                expected: words(&["phone", "tablet", "laptop", "desktop", "monitor"]),
            },
        ),
        problem(
            10,
            Some("serial"),
            ProblemKind::DuplicateSerial {
                value: "sn-1".into(),
                first_line: 9,
            },
        ),
        problem(
            10,
            Some("declared_grade"),
            ProblemKind::UnknownGrade {
                value: "MINT".into(),
                expected: grades,
            },
        ),
        problem(
            11,
            Some("storage_gb"),
            ProblemKind::BadStorage {
                value: "lots".into(),
            },
        ),
        problem(
            12,
            Some("quoted_price"),
            ProblemKind::BadPrice {
                value: "cent euros".into(),
            },
        ),
        problem(
            13,
            Some("quoted_price"),
            ProblemKind::AmbiguousPrice {
                value: "1,234".into(),
            },
        ),
        problem(
            14,
            Some("quoted_price"),
            ProblemKind::NegativePrice { value: "-5".into() },
        ),
        problem(
            15,
            Some("currency"),
            ProblemKind::UnknownCurrency {
                value: "EUROS".into(),
            },
        ),
        problem(
            16,
            Some("currency"),
            ProblemKind::MixedCurrency {
                value: "USD".into(),
                expected: "EUR".into(),
                first_line: 2,
            },
        ),
        problem(
            17,
            Some("accessories"),
            ProblemKind::UnknownAccessory {
                value: "earbuds".into(),
                expected: words(&["charger", "cable", "box", "stylus", "keyboard", "mouse"]),
            },
        ),
        problem(
            18,
            None,
            ProblemKind::TooManyFields {
                found: 9,
                expected: 8,
            },
        ),
    ];
    for (found, expected) in rejected.problems.iter().zip(&expected) {
        assert_eq!(found, expected);
    }
    assert_eq!(rejected.problems.len(), expected.len(), "{rejected}");
}

#[test]
fn problems_read_as_the_issue_shows_them_in_logs() {
    let rejected = read_manifest(b"serial,quoted_price\nSN-1,12.345\n", Format::Csv)
        .expect_err("three decimals");
    assert_eq!(
        rejected.to_string(),
        "manifest refused, 1 problem(s):\nline 2, column quoted_price: \"12.345\" could be thousands or decimals; write 1234 or 1234,00"
    );
}

#[test]
fn problems_serialise_as_tagged_kinds_with_their_data() {
    let rejected = read_manifest(b"imei\n356728114587212\n", Format::Csv).expect_err("Luhn");
    assert_eq!(
        serde_json::to_value(&rejected).expect("serialises"),
        json!({
            "file": null,
            "problems": [{
                "line": 2,
                "column": "imei",
                "kind": {"kind": "imei_check_digit", "value": "356728114587212", "expected": 1}
            }]
        })
    );
    let back: Rejected =
        serde_json::from_value(serde_json::to_value(&rejected).expect("serialises"))
            .expect("deserialises");
    assert_eq!(back, rejected);
    assert_eq!(
        serde_json::to_value(Rejected::file(FileProblem::NoLines)).expect("serialises"),
        json!({"file": {"kind": "no_lines"}, "problems": []})
    );
}

#[test]
fn the_app_adds_its_open_batch_duplicates_in_line_order() {
    let rejected = Rejected::from_problems(vec![
        problem(
            9,
            Some("imei"),
            ProblemKind::DuplicateInOpenBatch {
                value: "356728114587211".into(),
                batch: "B-2026-0042".into(),
            },
        ),
        problem(3, None, ProblemKind::MissingIdentifier),
    ]);
    let lines: Vec<u32> = rejected.problems.iter().map(|p| p.line).collect();
    assert_eq!(lines, [3, 9]);
    assert_eq!(
        rejected.problems[1].to_string(),
        "line 9, column imei: 356728114587211 is already declared in open batch B-2026-0042"
    );
}

#[test]
fn a_header_without_an_identifier_column_is_refused_whole() {
    assert_eq!(
        read_manifest(b"model,quoted_price\niPhone,10\n", Format::Csv).expect_err("no id"),
        Rejected::file(FileProblem::NoIdentifierColumn {
            columns: vec!["model".into(), "quoted_price".into()]
        })
    );
}

#[test]
fn a_column_named_twice_is_refused_whole() {
    assert_eq!(
        read_manifest(b"IMEI,model, imei \n356728114587211,x,y\n", Format::Csv)
            .expect_err("imei twice"),
        Rejected::file(FileProblem::DuplicateColumn {
            name: "imei".into()
        })
    );
}

#[test]
fn the_known_columns_are_the_issues() {
    assert_eq!(
        KNOWN_COLUMNS,
        [
            "imei",
            "serial",
            "category",
            "make",
            "model",
            "storage_gb",
            "declared_grade",
            "quoted_price",
            "currency",
            "accessories",
            "customer_ref"
        ]
    );
}
