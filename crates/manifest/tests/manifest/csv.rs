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
