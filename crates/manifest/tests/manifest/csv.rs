//! CSV manifests as customers send them, read through the public API.

use refurbdesk_domain::{Accessory, BuybackGrade, DeviceCategory};
use refurbdesk_manifest::{
    read_manifest, FileProblem, Format, LineProblem, ProblemKind, Rejected, TextEncoding,
};

fn read(text: &str) -> Result<refurbdesk_manifest::Manifest, Rejected> {
    read_manifest(text.as_bytes(), Format::Csv)
}

fn problems(text: &str) -> Vec<LineProblem> {
    let rejected = read(text).expect_err("the manifest is refused");
    assert_eq!(rejected.file, None, "{rejected}");
    rejected.problems
}

fn problem(line: u32, column: Option<&str>, kind: ProblemKind) -> LineProblem {
    LineProblem {
        line,
        column: column.map(str::to_owned),
        kind,
    }
}

const FULL_HEADER: &str =
    "imei,serial,category,make,model,storage_gb,declared_grade,quoted_price,currency,accessories,customer_ref";

#[test]
fn every_column_of_a_comma_utf8_manifest_is_read_typed() {
    let text = format!(
        "{FULL_HEADER}\n\
         356728114587211,F2LXK1ABCD,phone,Apple,iPhone 12,128,FUNCTIONAL_GOOD,310.50,EUR,charger;cable,PO-1\n\
         ,C02ZX1Y2JG5H,laptop,Apple,MacBook Air,256,NOT_FUNCTIONAL_CRACKED,95,EUR,charger,PO-2\n"
    );
    let manifest = read(&text).expect("a good manifest");
    assert_eq!(manifest.columns.len(), 11);
    assert_eq!(manifest.source.encoding, Some(TextEncoding::Utf8));
    assert_eq!(manifest.source.separator, Some(','));
    let [phone, laptop] = &manifest.lines[..] else {
        panic!("two lines: {:?}", manifest.lines)
    };
    assert_eq!(phone.line, 2);
    assert_eq!(phone.imei.as_deref(), Some("356728114587211"));
    assert_eq!(phone.serial.as_deref(), Some("F2LXK1ABCD"));
    assert_eq!(phone.category, Some(DeviceCategory::Phone));
    assert_eq!(phone.make.as_deref(), Some("Apple"));
    assert_eq!(phone.model.as_deref(), Some("iPhone 12"));
    assert_eq!(phone.storage_gb, Some(128));
    assert_eq!(phone.declared_grade, Some(BuybackGrade::FunctionalGood));
    assert_eq!(phone.quoted_price_cents, Some(31_050));
    assert_eq!(phone.currency.as_str(), "EUR");
    assert_eq!(phone.accessories, [Accessory::Charger, Accessory::Cable]);
    assert_eq!(phone.customer_ref.as_deref(), Some("PO-1"));
    assert!(phone.extra.is_empty());

    assert_eq!(laptop.line, 3);
    assert_eq!(laptop.imei, None);
    assert_eq!(laptop.category, Some(DeviceCategory::Laptop));
    assert_eq!(
        laptop.declared_grade,
        Some(BuybackGrade::NotFunctionalCracked)
    );
    assert_eq!(laptop.quoted_price_cents, Some(9_500));
}

#[test]
fn a_bad_line_rejects_the_manifest_with_its_line_and_column() {
    let text = format!(
        "{FULL_HEADER}\n\
         356728114587212,,phone,Apple,iPhone 12,128,FUNCTIONAL_GOOD,310.50,EUR,,\n\
         490154203237518,,phone,Google,Pixel 7,128,FUNCTIONAL_GOOD,200,EUR,,\n"
    );
    assert_eq!(
        problems(&text),
        [problem(
            2,
            Some("imei"),
            ProblemKind::ImeiCheckDigit {
                value: "356728114587212".into(),
                expected: 1
            }
        )]
    );
}

#[test]
fn an_empty_file_and_a_header_alone_are_refused_whole() {
    assert_eq!(read("").unwrap_err(), Rejected::file(FileProblem::Empty));
    assert_eq!(
        read("\n\n").unwrap_err(),
        Rejected::file(FileProblem::Empty)
    );
    assert_eq!(
        read("imei,model\n\n").unwrap_err(),
        Rejected::file(FileProblem::NoLines)
    );
}

#[test]
fn header_names_are_matched_whatever_their_case_spacing_and_order() {
    let text = " Customer Ref ;DECLARED-GRADE; Serial \nPO-9;Functional used;SN-1\n";
    let manifest = read(text).expect("reads");
    assert_eq!(
        manifest.columns,
        ["Customer Ref", "DECLARED-GRADE", "Serial"]
    );
    let line = &manifest.lines[0];
    assert_eq!(line.customer_ref.as_deref(), Some("PO-9"));
    assert_eq!(line.declared_grade, Some(BuybackGrade::FunctionalUsed));
    assert_eq!(line.serial.as_deref(), Some("SN-1"));
}

#[test]
fn tab_separated_text_and_blank_lines_between_devices_are_read() {
    let text = "serial\tmodel\tNote\n\nSN-1\tA\t\"x\ty\"\n\t\t\nSN-2\tB\n\n\n";
    let manifest = read(text).expect("reads");
    assert_eq!(manifest.source.separator, Some('\t'));
    let lines: Vec<(u32, &str)> = manifest
        .lines
        .iter()
        .map(|line| (line.line, line.serial.as_deref().unwrap_or_default()))
        .collect();
    assert_eq!(lines, [(3, "SN-1"), (5, "SN-2")]);
    assert_eq!(manifest.lines[0].extra["Note"], "x\ty");
    // A short line reads its missing cells as empty.
    assert_eq!(manifest.lines[1].extra["Note"], "");
}

#[test]
fn lines_after_a_multi_line_quoted_field_are_counted_as_an_editor_does() {
    let text =
        "serial,note\r\nSN-1,\"one\r\ntwo\r\nthree\"\r\nSN-2,\"a \"\"quoted\"\" word\"\r\n,\r\n";
    let manifest = read(text).expect("reads");
    assert_eq!(manifest.lines[0].extra["note"], "one\r\ntwo\r\nthree");
    assert_eq!(manifest.lines[1].line, 5);
    assert_eq!(manifest.lines[1].extra["note"], "a \"quoted\" word");

    let bad = "serial,note\n\"SN-1\",\"one\ntwo\"\n,three\n";
    assert_eq!(
        problems(bad),
        [problem(4, None, ProblemKind::MissingIdentifier)]
    );
}

#[test]
fn imeis_may_be_written_in_groups_and_serials_are_kept_as_written() {
    let text = "imei,serial\n35 672811 458721 1,\n49-015420-323751-8,ab-12\n";
    let manifest = read(text).expect("reads");
    assert_eq!(manifest.lines[0].imei.as_deref(), Some("356728114587211"));
    assert_eq!(manifest.lines[1].imei.as_deref(), Some("490154203237518"));
    assert_eq!(manifest.lines[1].serial.as_deref(), Some("ab-12"));
    // The same IMEI written two ways is a duplicate.
    assert_eq!(
        problems("imei\n356728114587211\n35-672811-458721-1\n"),
        [problem(
            3,
            Some("imei"),
            ProblemKind::DuplicateImei {
                value: "356728114587211".into(),
                first_line: 2
            }
        )]
    );
}

#[test]
fn an_absent_currency_is_eur_and_a_manifest_has_one_currency() {
    let manifest = read("serial,currency\nSN-1,\nSN-2,eur\n").expect("reads");
    assert!(manifest
        .lines
        .iter()
        .all(|line| line.currency.as_str() == "EUR"));
    let manifest = read("serial,currency\nSN-1,CHF\nSN-2,chf\n").expect("reads");
    assert_eq!(manifest.lines[1].currency.as_str(), "CHF");
    assert_eq!(
        problems("serial,currency\nSN-1,CHF\nSN-2,\n"),
        [problem(
            3,
            Some("currency"),
            ProblemKind::MixedCurrency {
                value: "EUR".into(),
                expected: "CHF".into(),
                first_line: 2
            }
        )]
    );
}

#[test]
fn accessories_are_split_deduplicated_and_read_in_any_case() {
    let manifest =
        read("serial;accessories\nSN-1;\"Charger, cable;charger ; BOX\"\n").expect("reads");
    assert_eq!(
        manifest.lines[0].accessories,
        [Accessory::Charger, Accessory::Cable, Accessory::Box]
    );
}

#[test]
fn columns_without_a_name_are_ignored_and_trailing_separators_too() {
    let manifest = read("serial;model;;\nSN-1;X;;\nSN-2;Y;\n").expect("reads");
    assert_eq!(manifest.columns, ["serial", "model", "", ""]);
    assert!(manifest.lines.iter().all(|line| line.extra.is_empty()));
    assert_eq!(manifest.lines.len(), 2);
}
