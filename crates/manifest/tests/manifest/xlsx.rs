//! XLSX manifests, written at test time with rust_xlsxwriter as a spreadsheet would save them.

use refurbdesk_domain::{Accessory, BuybackGrade};
use refurbdesk_manifest::{read_manifest, FileProblem, Format, LineProblem, ProblemKind, Rejected};
use rust_xlsxwriter::Workbook;

/// A workbook whose first sheet is built by `fill`, as bytes.
fn workbook(fill: impl FnOnce(&mut rust_xlsxwriter::Worksheet)) -> Vec<u8> {
    let mut workbook = Workbook::new();
    fill(workbook.add_worksheet());
    workbook.save_to_buffer().expect("writes the workbook")
}

#[test]
fn a_workbook_with_number_cells_is_read_from_its_first_sheet() {
    let bytes = workbook(|sheet| {
        let header = [
            "IMEI",
            "Model",
            "Storage_GB",
            "Declared_Grade",
            "Quoted_Price",
            "Accessories",
            "Customer_Ref",
            "Lot",
        ];
        for (column, name) in header.iter().enumerate() {
            sheet.write_string(0, column as u16, *name).expect("cell");
        }
        // The IMEI typed as a number, as spreadsheets store it; a price with cents; storage and
        // a customer reference as numbers.
        sheet
            .write_number(1, 0, 356_728_114_587_211.0)
            .expect("cell");
        sheet.write_string(1, 1, "iPhone 12").expect("cell");
        sheet.write_number(1, 2, 128.0).expect("cell");
        sheet.write_string(1, 3, "FUNCTIONAL_GOOD").expect("cell");
        sheet.write_number(1, 4, 310.5).expect("cell");
        sheet.write_string(1, 5, "charger;cable").expect("cell");
        sheet.write_number(1, 6, 4711.0).expect("cell");
        sheet.write_number(1, 7, 3.0).expect("cell");
        // Row 3 left blank; row 4 an IMEI as text and a price with a float's binary noise.
        sheet.write_string(3, 0, "490154203237518").expect("cell");
        sheet.write_number(3, 4, 0.1 + 0.2).expect("cell");
        sheet
            .write_string(3, 3, "NOT_FUNCTIONAL_CRACKED")
            .expect("cell");
    });
    assert_eq!(Format::sniff(&bytes), Format::Xlsx);
    assert_eq!(Format::detect("manifest", &bytes), Format::Xlsx);
    let manifest = read_manifest(&bytes, Format::Xlsx).expect("reads");
    assert_eq!(manifest.source.format, Format::Xlsx);
    assert_eq!(manifest.source.encoding, None);
    assert_eq!(manifest.columns[7], "Lot");
    let [first, second] = &manifest.lines[..] else {
        panic!("two lines: {:?}", manifest.lines)
    };
    assert_eq!(first.line, 2);
    assert_eq!(first.imei.as_deref(), Some("356728114587211"));
    assert_eq!(first.storage_gb, Some(128));
    assert_eq!(first.declared_grade, Some(BuybackGrade::FunctionalGood));
    assert_eq!(first.quoted_price_cents, Some(31_050));
    assert_eq!(first.accessories, [Accessory::Charger, Accessory::Cable]);
    assert_eq!(first.customer_ref.as_deref(), Some("4711"));
    assert_eq!(first.extra["Lot"], "3");
    assert_eq!(second.line, 4, "the spreadsheet's row number");
    assert_eq!(second.quoted_price_cents, Some(30));
}

#[test]
fn bad_cells_are_reported_with_the_spreadsheet_row_number() {
    let bytes = workbook(|sheet| {
        // The table starts lower and to the right, as some exports place it.
        sheet.write_string(2, 1, "serial").expect("cell");
        sheet.write_string(2, 2, "quoted_price").expect("cell");
        sheet.write_string(2, 3, "storage_gb").expect("cell");
        sheet.write_string(3, 1, "SN-1").expect("cell");
        sheet.write_number(3, 2, 12.345).expect("cell");
        sheet.write_number(3, 3, 64.5).expect("cell");
        sheet.write_number(4, 2, -3.0).expect("cell");
    });
    let rejected = read_manifest(&bytes, Format::Xlsx).expect_err("refused");
    assert_eq!(
        rejected.problems,
        [
            LineProblem {
                line: 4,
                column: Some("storage_gb".into()),
                kind: ProblemKind::BadStorage {
                    value: "64.5".into()
                }
            },
            LineProblem {
                line: 4,
                column: Some("quoted_price".into()),
                kind: ProblemKind::BadPrice {
                    value: "12.345".into()
                }
            },
            LineProblem {
                line: 5,
                column: None,
                kind: ProblemKind::MissingIdentifier
            },
            LineProblem {
                line: 5,
                column: Some("quoted_price".into()),
                kind: ProblemKind::NegativePrice { value: "-3".into() }
            },
        ]
    );
}

#[test]
fn bytes_that_are_not_a_workbook_are_refused_whole() {
    let rejected = read_manifest(b"PK\x03\x04 not really a zip", Format::Xlsx).expect_err("bad");
    assert!(
        matches!(rejected.file, Some(FileProblem::UnreadableXlsx { .. })),
        "{rejected:?}"
    );
    assert_eq!(
        read_manifest(&workbook(|_| {}), Format::Xlsx).expect_err("empty sheet"),
        Rejected::file(FileProblem::Empty)
    );
}
