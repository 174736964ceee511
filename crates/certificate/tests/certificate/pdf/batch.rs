//! The batch audit report: a summary page, then the per-device table flowing over as many pages
//! as the batch needs, in English and French, read back with poppler and verified.

use refurbdesk_certificate::document::{BatchReport, Body};
use refurbdesk_certificate::{issue, samples, verify_bytes, DocumentKind, Lang, PrintOptions};
use refurbdesk_revision::money;

use super::{artifacts, signer, squeeze, tool, trusted};

fn body(document: &refurbdesk_certificate::Document) -> &BatchReport {
    match &document.body {
        Body::BatchReport(report) => report,
        _ => panic!("not a batch report"),
    }
}

fn pages(path: &str) -> usize {
    let info = tool("pdfinfo", &[path]);
    info.lines()
        .find_map(|line| line.strip_prefix("Pages:"))
        .and_then(|count| count.trim().parse().ok())
        .unwrap_or_else(|| panic!("no page count in {info}"))
}

#[test]
fn a_batch_report_states_every_line_the_totals_and_the_certificates_in_both_languages() {
    let signer = signer();
    let document = samples::batch_report(30);
    let report = body(&document);
    assert_eq!(document.kind(), DocumentKind::BatchReport);
    assert_eq!(report.totals.declared, 30);
    assert_eq!(report.totals.missing, 1);
    assert_eq!(report.totals.audited, 29);
    assert!(report.totals.revised_cents < report.totals.quoted_cents);
    for lang in Lang::ALL {
        let name = format!("batch_report-{lang}");
        let issued = issue(&document, lang, &signer, &PrintOptions::default()).unwrap();
        let pdf = artifacts().join(format!("{name}.pdf"));
        std::fs::write(&pdf, &issued.pdf).unwrap();
        let path = pdf.to_str().unwrap();
        // In the content stream's order: a table cell's wrapped lines follow each other there,
        // where a layout reading interleaves them with the next columns'.
        let text = tool("pdftotext", &["-raw", path, "-"]);
        let flat = squeeze(&text);
        let (labels, missing, extras) = match lang {
            Lang::En => (
                [
                    "Trade-in Batch Audit Report",
                    "Devices: declared and found",
                    "Quoted total",
                    "Revised total",
                    "Erasure certificates",
                    "Outcome and reasons",
                ],
                "Not received",
                "Devices received but not declared",
            ),
            Lang::Fr => (
                [
                    "Rapport d'audit de lot de reprise",
                    "Appareils : déclarés et constatés",
                    "Total du devis",
                    "Total révisé",
                    "Certificats d'effacement",
                    "Décision et motifs",
                ],
                "Non reçu",
                "Appareils reçus mais non déclarés",
            ),
        };
        for label in labels.iter().chain([&missing, &extras]) {
            assert!(
                flat.contains(&squeeze(label)),
                "{name}: {label:?} missing from:\n{text}"
            );
        }
        let mut values = vec![
            document.id.to_string(),
            report.batch_id.to_string(),
            report.customer.clone(),
            report.policy_name.clone(),
            money(lang, report.totals.quoted_cents, &report.currency),
            money(lang, report.totals.revised_cents, &report.currency),
            report.extras[0].code.clone(),
        ];
        for line in &report.lines {
            values.extend(line.declared.imei.clone());
            values.extend(line.declared.serial.clone());
            values.extend(line.customer_ref.clone());
            values.extend(line.certificates.iter().map(ToString::to_string));
            if let Some(revision) = &line.revision {
                // Every adjustment's reason, told in the document's language.
                values.extend(revision.tell(lang));
            }
        }
        for value in &values {
            assert!(
                flat.contains(&squeeze(value)),
                "{name}: {value:?} missing from:\n{text}"
            );
        }
        assert!(
            !text.contains("[batch") && !text.contains("[section."),
            "{name}: a text key leaked"
        );
        // The locked phone is returned; a laptop without its charger is readjusted.
        let returned = match lang {
            Lang::En => "Returned to the customer",
            Lang::Fr => "Renvoyé au client",
        };
        assert!(flat.contains(&squeeze(returned)), "{name}: {text}");

        let verified = verify_bytes(&issued.pdf, &trusted(&signer)).unwrap();
        assert_eq!(verified.document, document);
        assert_eq!(verified.document.kind(), DocumentKind::BatchReport);
    }
}

#[test]
fn a_large_batch_flows_over_many_pages_with_the_table_header_on_each() {
    let signer = signer();
    let document = samples::batch_report(400);
    let issued = issue(&document, Lang::En, &signer, &PrintOptions::default()).unwrap();
    let pdf = artifacts().join("batch_report-400.pdf");
    std::fs::write(&pdf, &issued.pdf).unwrap();
    let path = pdf.to_str().unwrap();
    let count = pages(path);
    assert!(count >= 15, "{count} pages for 400 devices");
    // Each page of the device table repeats its header and every page its footer.
    let last_table_page = tool("pdftotext", &["-layout", "-f", "10", "-l", "10", path, "-"]);
    assert!(
        last_table_page.contains("Outcome and reasons"),
        "{last_table_page}"
    );
    assert!(
        last_table_page.contains(&format!("Page 10 of {count}")),
        "{last_table_page}"
    );
    // The first page is the summary: the batch and its totals, before any device row.
    let first = tool("pdftotext", &["-layout", "-f", "1", "-l", "1", path, "-"]);
    assert!(
        first.contains("Quoted total") && first.contains("Revised total"),
        "{first}"
    );
    assert!(!first.contains("Outcome and reasons"), "{first}");
    let report = body(&document);
    let last = report.lines.last().unwrap();
    let all = squeeze(&tool("pdftotext", &[path, "-"]));
    assert!(all.contains(&squeeze(last.customer_ref.as_deref().unwrap())));
    verify_bytes(&issued.pdf, &trusted(&signer)).unwrap();
}
