//! Every document kind in both languages, printed to real PDF files and read back with poppler
//! (`pdftotext`, `pdffonts`, `pdfinfo`, `pdftoppm`), then verified and tampered with.

#[path = "pdf/batch.rs"]
mod batch;

use std::path::{Path, PathBuf};
use std::process::Command;

use refurbdesk_certificate::document::Body;
use refurbdesk_certificate::{
    issue, reprint, samples, verify_bytes, Document, Keyring, Lang, PrintOptions, SignedDocument,
    Signer, TrustedKeys, VerifyError,
};

fn artifacts() -> PathBuf {
    let dir = Path::new(env!("CARGO_MANIFEST_DIR")).join("../../target/e2e-artifacts/certificates");
    std::fs::create_dir_all(&dir).unwrap();
    dir
}

fn tool(name: &str, args: &[&str]) -> String {
    let output = Command::new(name)
        .args(args)
        .output()
        .unwrap_or_else(|error| {
            panic!("{name} is missing ({error}); scripts/test installs poppler-utils")
        });
    assert!(
        output.status.success(),
        "{name} {args:?} failed: {}",
        String::from_utf8_lossy(&output.stderr)
    );
    String::from_utf8(output.stdout).unwrap()
}

fn signer() -> Signer {
    Signer::ephemeral([42; 32])
}

fn trusted(signer: &Signer) -> TrustedKeys {
    let mut trusted = TrustedKeys::new();
    trusted.add(signer.info().clone());
    trusted
}

/// Text with every kind of space removed, so that wrapped values and French digit grouping
/// compare equal to the data.
fn squeeze(text: &str) -> String {
    text.chars()
        .filter(|c| !c.is_whitespace() && *c != '\u{202f}' && *c != ',')
        .collect()
}

/// The values a reader must find on the page, straight from the document's data.
fn expected_values(document: &Document, lang: Lang) -> Vec<String> {
    let mut values = vec![document.id.to_string(), document.issuer.name.clone()];
    match &document.body {
        Body::ErasureCertificate(body) => {
            let media = &body.media;
            values.extend([
                body.performed_by.name.clone(),
                body.performed_by.title.clone().unwrap(),
                body.performed_by.phone.clone().unwrap(),
                media.make.clone().unwrap(),
                media.model.clone().unwrap(),
                media.serial.clone().unwrap(),
                media.property_number.clone().unwrap(),
                media.source.clone().unwrap(),
                media.classification.clone().unwrap(),
                media.target.clone().unwrap(),
                body.sanitization.tool_version.clone(),
                body.destination.clone(),
                body.validated_by.name.clone(),
                body.run.erasure_id.to_string(),
                body.run.seed.clone().unwrap(),
                body.run.bytes_written.to_string(),
                body.run.bytes_verified.to_string(),
                body.run.started_at.format("%Y-%m-%d %H:%M:%S").to_string(),
                body.run.finished_at.format("%Y-%m-%d %H:%M:%S").to_string(),
            ]);
        }
        Body::DestructionCertificate(body) => {
            values.extend([
                body.performed_by.name.clone(),
                body.witness.name.clone(),
                body.witness.organisation.clone().unwrap(),
                body.media.serial.clone().unwrap(),
                body.media.model.clone().unwrap(),
                body.method_details.clone().unwrap(),
                body.destination.clone(),
                body.destruction_id.to_string(),
                body.destroyed_at.format("%Y-%m-%d %H:%M:%S").to_string(),
            ]);
            for evidence in &body.evidence {
                values.push(evidence.file_name.clone());
                values.push(evidence.sha256.clone());
            }
        }
        Body::DeviceReport(body) => {
            let device = &body.device;
            let grade = body.grade.as_ref().unwrap();
            let battery = body.battery.as_ref().unwrap();
            values.extend([
                device.model.clone(),
                device.serial.clone().unwrap(),
                device.imei.clone().unwrap(),
                device.model_code.clone().unwrap(),
                // Told in the document's language from the findings.
                battery.reasons_in(lang)[0].clone(),
                body.lock.as_ref().unwrap().reasons_in(lang)[0].clone(),
                battery.cycles.unwrap().to_string(),
                "3227".to_owned(),
                "2808".to_owned(),
                grade.listing_grade.clone(),
                grade.policy_name.clone(),
                grade.policy_version.clone(),
                grade.policy_sha256.clone(),
                grade.reasons_in(lang)[0].clone(),
                "crackle above 80 % volume".to_owned(),
                body.erasures[0].erasure_id.to_string(),
            ]);
        }
        // Checked on its own in `batch`.
        Body::BatchReport(_) => unreachable!("samples::all has no batch report"),
    }
    values
}

/// Labels (NIST SP 800-88 Appendix G fields and the rest) per language.
fn expected_labels(document: &Document, lang: Lang) -> Vec<&'static str> {
    let erasure_en = [
        "Certificate of Data Sanitization",
        "Person performing sanitization",
        "Name",
        "Title",
        "Organisation",
        "Location",
        "Phone",
        "Make / vendor",
        "Model",
        "Serial number",
        "Property number",
        "Media type",
        "Media source",
        "Classification",
        "Data backed up",
        "Method type",
        "Clear",
        "Method used",
        "Method details",
        "Tool used (and version)",
        "Verification method",
        "Verification result",
        "Post-sanitization destination",
        "Validation",
        "Date",
        "Bytes written",
        "Bytes verified",
        "Throughput",
        "Duration",
        "Random seed",
        "Digital signature",
        "Public key fingerprint (SHA-256)",
        "Page 1 of",
    ];
    let erasure_fr = [
        "Certificat d'effacement des données",
        "Personne ayant réalisé l'opération",
        "Nom",
        "Fonction",
        "Organisation",
        "Lieu",
        "Téléphone",
        "Marque / fabricant",
        "Modèle",
        "Numéro de série",
        "Numéro d'inventaire",
        "Type de support",
        "Provenance du support",
        "Classification",
        "Données sauvegardées",
        "Type de méthode",
        "Méthode utilisée",
        "Détails de la méthode",
        "Outil utilisé (et version)",
        "Méthode de vérification",
        "Résultat de la vérification",
        "Destination après effacement",
        "Validation",
        "Octets écrits",
        "Octets vérifiés",
        "Débit",
        "Durée",
        "Graine aléatoire",
        "Signature électronique",
        "Empreinte de la clé publique (SHA-256)",
        "Page 1 sur",
    ];
    let destruction_en = [
        "Certificate of Media Destruction",
        "Destroy",
        "Shredding",
        "Witness",
        "Evidence (photos and videos)",
        "Destroyed on",
        "SHA-256",
        "Serial number",
        "Media type",
        "Hard disk drive (magnetic)",
    ];
    let destruction_fr = [
        "Certificat de destruction de support",
        "Broyage",
        "Témoin",
        "Preuves (photos et vidéos)",
        "Détruit le",
        "Numéro de série",
        "Disque dur (magnétique)",
    ];
    let report_en = [
        "Device Audit Report",
        "Device identity",
        "Battery",
        "Design capacity",
        "Full charge capacity",
        "State of health",
        "Charge cycles",
        "Pass (sellable)",
        "Account and management locks",
        "Activation lock",
        "MDM enrolment",
        "Functional checklist",
        "Cosmetic inspection",
        "Listing grade",
        "Policy",
        "Data erasure",
        "Repair first",
    ];
    let report_fr = [
        "Rapport d'audit de l'appareil",
        "Identité de l'appareil",
        "Capacité nominale",
        "État de santé",
        "Cycles de charge",
        "Verrouillages de compte et de gestion",
        "Inspection esthétique",
        "Effacement des données",
        "À réparer",
    ];
    match (&document.body, lang) {
        (Body::ErasureCertificate(_), Lang::En) => erasure_en.to_vec(),
        (Body::ErasureCertificate(_), Lang::Fr) => erasure_fr.to_vec(),
        (Body::DestructionCertificate(_), Lang::En) => destruction_en.to_vec(),
        (Body::DestructionCertificate(_), Lang::Fr) => destruction_fr.to_vec(),
        (Body::DeviceReport(_), Lang::En) => report_en.to_vec(),
        (Body::DeviceReport(_), Lang::Fr) => report_fr.to_vec(),
        (Body::BatchReport(_), _) => unreachable!("samples::all has no batch report"),
    }
}

#[test]
fn every_document_prints_its_fields_with_embedded_subset_fonts_on_a4() {
    let signer = signer();
    let dir = artifacts();
    for lang in Lang::ALL {
        for document in samples::all(1) {
            let name = format!("{}-{}", document.kind(), lang);
            let issued = issue(&document, lang, &signer, &PrintOptions::default()).unwrap();
            let pdf = dir.join(format!("{name}.pdf"));
            std::fs::write(&pdf, &issued.pdf).unwrap();
            let path = pdf.to_str().unwrap();

            let text = tool("pdftotext", &["-layout", path, "-"]);
            let flat = squeeze(&text);
            for value in expected_values(&document, lang) {
                assert!(
                    flat.contains(&squeeze(&value)),
                    "{name}: {value:?} missing from:\n{text}"
                );
            }
            for label in expected_labels(&document, lang) {
                assert!(
                    flat.contains(&squeeze(label)),
                    "{name}: label {label:?} missing from:\n{text}"
                );
            }
            assert!(
                !text.contains("[section.") && !text.contains("[seal."),
                "{name}: a text key leaked"
            );
            assert!(
                flat.contains(&squeeze(&signer.info().fingerprint_grouped())),
                "{name}: the key fingerprint is not printed"
            );

            let fonts = tool("pdffonts", &[path]);
            let font_rows: Vec<&str> = fonts.lines().skip(2).collect();
            assert_eq!(font_rows.len(), 2, "{name}: {fonts}");
            for row in font_rows {
                let columns: Vec<&str> = row.split_whitespace().collect();
                assert!(
                    columns[0].contains('+') && columns[0].contains("DejaVuSans"),
                    "{name}: {row}"
                );
                // emb sub uni
                let flags = &columns[columns.len() - 5..columns.len() - 2];
                assert_eq!(flags, ["yes", "yes", "yes"], "{name}: {row}");
            }

            let info = tool("pdfinfo", &[path]);
            assert!(info.contains("(A4)"), "{name}: {info}");
            assert!(
                info.contains(&document.issuer.name),
                "{name}: author missing: {info}"
            );

            let png_prefix = dir.join(&name);
            tool(
                "pdftoppm",
                &[
                    "-png",
                    "-r",
                    "70",
                    "-f",
                    "1",
                    "-l",
                    "1",
                    "-singlefile",
                    path,
                    png_prefix.to_str().unwrap(),
                ],
            );
            assert!(dir.join(format!("{name}.png")).metadata().unwrap().len() > 10_000);

            assert!(
                issued.pdf.len() <= 40 * 1024,
                "{name}: {} bytes",
                issued.pdf.len()
            );
            let verified = verify_bytes(&issued.pdf, &trusted(&signer)).unwrap();
            assert_eq!(verified.sealed_by.as_deref(), Some(signer.key_id()));
            assert_eq!(verified.document, document);
        }
    }
}

#[test]
fn the_pdf_carries_the_signed_json_as_an_attachment() {
    let signer = signer();
    let document = samples::erasure_certificate(2);
    let issued = issue(&document, Lang::En, &signer, &PrintOptions::default()).unwrap();
    let dir = tempfile::tempdir().unwrap();
    let pdf = dir.path().join("c.pdf");
    std::fs::write(&pdf, &issued.pdf).unwrap();
    let listing = tool("pdfdetach", &["-list", pdf.to_str().unwrap()]);
    assert!(
        listing.contains(refurbdesk_certificate::EMBEDDED_NAME),
        "{listing}"
    );
    let out = dir.path().join("data.json");
    tool(
        "pdfdetach",
        &[
            "-save",
            "1",
            "-o",
            out.to_str().unwrap(),
            pdf.to_str().unwrap(),
        ],
    );
    let json = std::fs::read(&out).unwrap();
    assert_eq!(json, issued.json);
    let verified = verify_bytes(&json, &trusted(&signer)).unwrap();
    assert!(verified.sealed_by.is_none());
    assert_eq!(verified.document.id, document.id);
}

#[test]
fn flipping_any_byte_of_the_pdf_fails_verification() {
    let signer = signer();
    let trusted = trusted(&signer);
    let issued = issue(
        &samples::erasure_certificate(3),
        Lang::Fr,
        &signer,
        &PrintOptions::default(),
    )
    .unwrap();
    let len = issued.pdf.len();
    // Every byte of the head, the tail and the seal, and a stride through the rest.
    let mut positions: Vec<usize> = (0..512).chain(len - 512..len).collect();
    positions.extend((0..len).step_by(61));
    let contents = issued
        .pdf
        .windows(11)
        .position(|w| w == b"/ByteRange[")
        .unwrap();
    positions.extend(contents..(contents + 220).min(len));
    positions.sort_unstable();
    positions.dedup();
    for position in positions {
        for flip in [0x01u8, 0x80] {
            let mut tampered = issued.pdf.clone();
            tampered[position] ^= flip;
            assert!(
                verify_bytes(&tampered, &trusted).is_err(),
                "flipping bit {flip:#x} of byte {position} of {len} went unnoticed"
            );
        }
    }
    let mut appended = issued.pdf.clone();
    appended.extend_from_slice(b"\n% appended update\n");
    assert!(matches!(
        verify_bytes(&appended, &trusted),
        Err(VerifyError::Seal(_))
    ));
    let truncated = &issued.pdf[..len - 10];
    assert!(verify_bytes(truncated, &trusted).is_err());
}

#[test]
fn an_edited_visible_text_or_a_resealed_file_fails() {
    let signer = signer();
    let trusted = trusted(&signer);
    let document = samples::erasure_certificate(4);
    let issued = issue(&document, Lang::En, &signer, &PrintOptions::default()).unwrap();

    // Someone rewrites the page's content stream (what a reader sees) and saves the file.
    let mut pdf = lopdf::Document::load_mem(&issued.pdf).unwrap();
    let page = *pdf.get_pages().values().next().unwrap();
    let content = pdf.get_page_content(page);
    let mut edited = content.clone();
    let marker = b"0 0 1 rg".to_vec();
    edited.extend_from_slice(&marker);
    pdf.change_page_content(page, edited).unwrap();
    let mut bytes = Vec::new();
    pdf.save_to(&mut bytes).unwrap();
    assert!(verify_bytes(&bytes, &trusted).is_err());

    // Someone else re-issues the same data with their own key: not trusted.
    let forger = Signer::ephemeral([9; 32]);
    let forged = issue(&document, Lang::En, &forger, &PrintOptions::default()).unwrap();
    assert!(matches!(
        verify_bytes(&forged.pdf, &trusted),
        Err(VerifyError::UnknownKey(_))
    ));
    // Trust comes only from the keys given: told to trust the forger, the file verifies.
    let mut both = trusted.clone();
    both.add(forger.info().clone());
    verify_bytes(&forged.pdf, &both).unwrap();
}

#[test]
fn a_changed_field_in_the_json_fails_and_names_the_mismatch() {
    let signer = signer();
    let trusted = trusted(&signer);
    let issued = issue(
        &samples::destruction_certificate(5),
        Lang::Fr,
        &signer,
        &PrintOptions::default(),
    )
    .unwrap();
    let text = String::from_utf8(issued.json.clone()).unwrap();
    let changed = text.replacen("Claire Martin", "Claire Martinez", 1);
    assert_ne!(changed, text);
    let error = verify_bytes(changed.as_bytes(), &trusted).unwrap_err();
    assert!(error.to_string().contains("signature mismatch"), "{error}");
    let reformatted: serde_json::Value = serde_json::from_slice(&issued.json).unwrap();
    // Whitespace and key order do not matter: the canonical form is what is signed.
    verify_bytes(
        serde_json::to_string(&reformatted).unwrap().as_bytes(),
        &trusted,
    )
    .unwrap();
}

#[test]
fn documents_signed_before_a_key_rotation_still_verify() {
    let dir = tempfile::tempdir().unwrap();
    let ring = Keyring::new(dir.path().join("keys"));
    let old_signer = ring.signer().unwrap();
    let old = issue(
        &samples::erasure_certificate(6),
        Lang::Fr,
        &old_signer,
        &PrintOptions::default(),
    )
    .unwrap();
    ring.rotate().unwrap();
    let new_signer = ring.signer().unwrap();
    assert_ne!(new_signer.key_id(), old_signer.key_id());
    let new = issue(
        &samples::erasure_certificate(7),
        Lang::Fr,
        &new_signer,
        &PrintOptions::default(),
    )
    .unwrap();
    let trusted = ring.trusted().unwrap();
    assert_eq!(
        verify_bytes(&old.pdf, &trusted).unwrap().key_id(),
        old_signer.key_id()
    );
    assert_eq!(
        verify_bytes(&new.pdf, &trusted).unwrap().key_id(),
        new_signer.key_id()
    );
}

#[test]
fn a_reprint_in_another_language_after_rotation_keeps_the_data_signature() {
    let dir = tempfile::tempdir().unwrap();
    let ring = Keyring::new(dir.path());
    let old_signer = ring.signer().unwrap();
    let issued = issue(
        &samples::destruction_certificate(9),
        Lang::En,
        &old_signer,
        &PrintOptions::default(),
    )
    .unwrap();
    ring.rotate().unwrap();
    let new_signer = ring.signer().unwrap();
    let copy = reprint(
        &issued.signed,
        Lang::Fr,
        &new_signer,
        &PrintOptions::default(),
    )
    .unwrap();
    let verified = verify_bytes(&copy, &ring.trusted().unwrap()).unwrap();
    assert_eq!(verified.key_id(), old_signer.key_id());
    assert_eq!(verified.sealed_by.as_deref(), Some(new_signer.key_id()));
    assert_eq!(verified.signed, issued.signed);
    let path = dir.path().join("copy.pdf");
    std::fs::write(&path, &copy).unwrap();
    assert!(tool("pdftotext", &[path.to_str().unwrap(), "-"]).contains("Certificat de destruction"));
}

#[test]
fn the_qr_code_carries_the_id_and_signature_digest() {
    let signer = signer();
    let document = samples::erasure_certificate(8);
    let options = PrintOptions {
        verify_url_template: Some("https://verify.example.fr/c/{id}?d={digest}".to_owned()),
        ..PrintOptions::default()
    };
    let issued = issue(&document, Lang::En, &signer, &options).unwrap();
    let url = refurbdesk_certificate::qr_payload(
        options.verify_url_template.as_deref(),
        &document,
        &issued.signed,
    );
    assert_eq!(
        url,
        format!(
            "https://verify.example.fr/c/{}?d={}",
            document.id,
            issued.signed.signature_digest()
        )
    );
    let default = refurbdesk_certificate::qr_payload(None, &document, &issued.signed);
    assert!(
        default.contains(&document.id.to_string())
            && default.contains(&issued.signed.signature_digest())
    );
    // The URL is what the printed code holds, read back from the PDF's image.
    assert_eq!(
        refurbdesk_certificate::qr::decode(&issued.pdf).unwrap(),
        vec![url]
    );
}

#[test]
fn without_a_verify_url_the_qr_code_is_plain_text_read_back_from_the_pdf_and_a_scan() {
    use refurbdesk_certificate::qr::{self, QrReference};
    let signer = signer();
    let dir = artifacts();
    let document = samples::erasure_certificate(9);
    let issued = issue(&document, Lang::Fr, &signer, &PrintOptions::default()).unwrap();
    let digest = issued.signed.signature_digest();
    let expected = format!(
        "REFURBDESK erasure_certificate\nid={}\ndigest={digest}",
        document.id
    );
    assert_eq!(qr::decode(&issued.pdf).unwrap(), vec![expected.clone()]);
    let reference = QrReference::parse(&expected).unwrap();
    assert_eq!(reference.id, document.id);
    assert_eq!(reference.digest.as_deref(), Some(digest.as_str()));
    let pdf = dir.join("qr-offline-fr.pdf");
    std::fs::write(&pdf, &issued.pdf).unwrap();
    let text = tool("pdftotext", &["-layout", pdf.to_str().unwrap(), "-"]);
    assert!(text.contains("Identifiant et empreinte"), "{text}");
    assert!(!text.contains("Scanner pour vérifier"), "{text}");
    // A scan of the page: rendered by poppler at 300 dpi, read by the same decoder, and by ZBar.
    let scan = dir.join("qr-offline-fr-scan");
    tool(
        "pdftoppm",
        &[
            "-png",
            "-r",
            "300",
            "-singlefile",
            pdf.to_str().unwrap(),
            scan.to_str().unwrap(),
        ],
    );
    let png = scan.with_extension("png");
    assert_eq!(
        qr::decode(&std::fs::read(&png).unwrap()).unwrap(),
        vec![expected.clone()]
    );
    let zbar = tool("zbarimg", &["--quiet", "--raw", png.to_str().unwrap()]);
    assert_eq!(zbar.trim_end(), expected);
    assert_eq!(qr::decode(b"not a picture"), Err(qr::QrError::NotAnImage));
}

/// A 120×40 PNG with transparency: a blue bar on a clear background.
fn logo_png() -> Vec<u8> {
    let (width, height) = (120u32, 40u32);
    let mut pixels = Vec::new();
    for y in 0..height {
        for x in 0..width {
            let inside = (10..30).contains(&y) && (10..110).contains(&x);
            pixels.extend_from_slice(&if inside {
                [20, 70, 120, 255]
            } else {
                [0, 0, 0, 0]
            });
        }
    }
    let mut bytes = Vec::new();
    let mut encoder = png::Encoder::new(&mut bytes, width, height);
    encoder.set_color(png::ColorType::Rgba);
    encoder.set_depth(png::BitDepth::Eight);
    encoder
        .write_header()
        .unwrap()
        .write_image_data(&pixels)
        .unwrap();
    bytes
}

#[test]
fn the_organisation_logo_is_printed_above_its_name() {
    let logo = refurbdesk_certificate::Logo::from_png(&logo_png()).unwrap();
    assert_eq!((logo.width, logo.height), (120, 40));
    // Transparent pixels become white paper; opaque ones keep their colour.
    assert_eq!(&logo.rgb[..3], &[255, 255, 255]);
    let inside = (15 * 120 + 50) * 3;
    assert_eq!(&logo.rgb[inside..inside + 3], &[20, 70, 120]);
    assert!(refurbdesk_certificate::Logo::from_png(b"not a png").is_err());

    let signer = signer();
    let options = PrintOptions {
        logo: Some(logo),
        ..PrintOptions::default()
    };
    let issued = issue(
        &samples::erasure_certificate(10),
        Lang::En,
        &signer,
        &options,
    )
    .unwrap();
    let path = artifacts().join("erasure_certificate-logo.pdf");
    std::fs::write(&path, &issued.pdf).unwrap();
    let images = tool("pdfimages", &["-list", path.to_str().unwrap()]);
    let rows: Vec<Vec<&str>> = images
        .lines()
        .skip(2)
        .map(|row| row.split_whitespace().collect())
        .collect();
    // The logo (120×40, RGB) and the QR code (grey, square).
    assert_eq!(rows.len(), 2, "{images}");
    assert!(
        rows.iter()
            .any(|r| r[3] == "120" && r[4] == "40" && r[5] == "rgb"),
        "{images}"
    );
    assert!(
        rows.iter().any(|r| r[3] == r[4] && r[5] == "gray"),
        "{images}"
    );
    verify_bytes(&issued.pdf, &trusted(&signer)).unwrap();
}

#[test]
fn a_report_states_the_warranty_and_for_phones_water_resistance() {
    let signer = signer();
    let dir = artifacts();
    let printed = |document: &Document, lang: Lang, name: &str| {
        let issued = issue(document, lang, &signer, &PrintOptions::default()).unwrap();
        let pdf = dir.join(format!("{name}-{lang}.pdf"));
        std::fs::write(&pdf, &issued.pdf).unwrap();
        let text = tool("pdftotext", &["-layout", pdf.to_str().unwrap(), "-"]);
        text.split_whitespace().collect::<Vec<_>>().join(" ")
    };
    let phone = samples::device_report(10);
    let french = printed(&phone, Lang::Fr, "sale-phone");
    assert!(french.contains("Conditions de vente"), "{french}");
    assert!(
        french.contains("Garantie 12 mois à compter de la vente"),
        "{french}"
    );
    assert!(
        french.contains("Étanchéité Non garantie après reconditionnement"),
        "{french}"
    );
    let english = printed(&phone, Lang::En, "sale-phone");
    assert!(
        english.contains("Warranty 12 months from the sale"),
        "{english}"
    );
    assert!(
        english.contains("Water resistance Not guaranteed after refurbishment"),
        "{english}"
    );

    // A laptop was never sold as water-resistant: only its warranty is stated.
    let mut laptop = phone.clone();
    if let Body::DeviceReport(report) = &mut laptop.body {
        report.device.category = "laptop".to_owned();
        report.warranty_months = Some(24);
    }
    let english = printed(&laptop, Lang::En, "sale-laptop");
    assert!(
        english.contains("Warranty 24 months from the sale"),
        "{english}"
    );
    assert!(!english.contains("Water resistance"), "{english}");

    // A laptop report issued before the warranty was printed has no such section.
    if let Body::DeviceReport(report) = &mut laptop.body {
        report.warranty_months = None;
    }
    let english = printed(&laptop, Lang::En, "sale-older");
    assert!(!english.contains("Conditions of sale"), "{english}");
}

#[test]
fn a_report_tells_lock_states_and_reasons_in_its_own_language() {
    let signer = signer();
    let dir = artifacts();
    let document = samples::device_report(9);
    let printed = |lang: Lang| {
        let issued = issue(&document, lang, &signer, &PrintOptions::default()).unwrap();
        let pdf = dir.join(format!("reasons-{lang}.pdf"));
        std::fs::write(&pdf, &issued.pdf).unwrap();
        // -layout keeps each label on the line of its value.
        tool("pdftotext", &["-layout", pdf.to_str().unwrap(), "-"])
    };
    let french = printed(Lang::Fr);
    let english = printed(Lang::En);
    for (text, present, absent) in [
        (
            &french,
            [
                "L'état de santé de la batterie est de 87,0",
                "qu'exige ce canal de vente",
                "Aucun verrouillage d'activation",
                "Verrouillage d'activation Désactivé",
                "Compte Déconnecté",
                "Inscription MDM Non inscrit",
                "Ces contrôles ont échoué : haut-parleur.",
                // Tests, items and zones named in words, outcomes and levels too.
                "appareil photo arrière Réussi",
                "allumage et extinction Réussi",
                "Dos Aucune marque",
                "Très bon état (VERY_GOOD)",
                "Fonctionnel, bon état (FUNCTIONAL_GOOD)",
            ],
            ["Battery health", "did not pass"],
        ),
        (
            &english,
            [
                "Battery health is 87.0%",
                "this sales channel needs",
                "No activation lock",
                "Activation lock Off",
                "Account Signed out",
                "MDM enrolment Not enrolled",
                "These checks did not pass: speaker.",
                "rear camera Pass",
                "power on and off Pass",
                "Back Flawless",
                "Very good (VERY_GOOD)",
                "Functional, good (FUNCTIONAL_GOOD)",
            ],
            ["état de santé", "ont échoué"],
        ),
    ] {
        let flat = text.split_whitespace().collect::<Vec<_>>().join(" ");
        for sentence in present {
            assert!(
                flat.contains(sentence),
                "{sentence:?} missing from:\n{text}"
            );
        }
        for absent in absent {
            assert!(!flat.contains(absent), "{absent:?} printed in:\n{text}");
        }
    }

    // A grade made before the policy had French sentences prints its
    // English reasons in a French report, rather than none.
    let mut older = document.clone();
    if let Body::DeviceReport(report) = &mut older.body {
        report
            .grade
            .as_mut()
            .expect("the sample is graded")
            .reasons
            .remove("fr");
    }
    let issued = issue(&older, Lang::Fr, &signer, &PrintOptions::default()).unwrap();
    let pdf = dir.join("reasons-older-grade-fr.pdf");
    std::fs::write(&pdf, &issued.pdf).unwrap();
    let text = tool("pdftotext", &["-layout", pdf.to_str().unwrap(), "-"]);
    let flat = text.split_whitespace().collect::<Vec<_>>().join(" ");
    assert!(
        flat.contains("These checks did not pass: speaker."),
        "{text}"
    );
}

/// A device report as builds before the language-keyed fields signed it: each check's `label`
/// and `label_fr`, the grade's English `reasons` list and its French `reasons_fr`.
fn in_the_shape_before_languages_were_keys(document: &Document) -> serde_json::Value {
    let mut value = serde_json::to_value(document).unwrap();
    let grade = &mut value["body"]["grade"];
    let reasons = grade["reasons"].take();
    grade["reasons"] = reasons["en"].clone();
    grade["reasons_fr"] = reasons["fr"].clone();
    for list in ["checklist", "cosmetic"] {
        for check in grade[list].as_array_mut().unwrap() {
            let check = check.as_object_mut().unwrap();
            if let Some(labels) = check.remove("labels") {
                check.insert("label".to_owned(), labels["en"].clone());
                check.insert("label_fr".to_owned(), labels["fr"].clone());
            }
        }
    }
    value
}

#[test]
fn a_report_signed_with_label_fr_and_reasons_fr_still_verifies_and_prints_in_french() {
    let signer = signer();
    let document = samples::device_report(12);
    let old_shape = in_the_shape_before_languages_were_keys(&document);
    assert!(old_shape.to_string().contains("\"label_fr\""));
    assert!(old_shape.to_string().contains("\"reasons_fr\""));
    // Signed as issued then: the signature covers the old field names.
    let signed = SignedDocument::sign(&old_shape, &signer).unwrap();
    let json = signed.to_json();
    let verified = verify_bytes(&json, &trusted(&signer)).expect("the old JSON verifies");
    assert_eq!(verified.signed.document, old_shape, "read, never rewritten");
    // And reads as the document it was, with its words under their languages.
    assert_eq!(verified.document, document);

    // Printed again from the old data (a lost file), the copy verifies and is French.
    let copy = reprint(&signed, Lang::Fr, &signer, &PrintOptions::default()).unwrap();
    let verified = verify_bytes(&copy, &trusted(&signer)).expect("the reprint verifies");
    assert_eq!(verified.signed, signed);
    let dir = artifacts();
    let path = dir.join("report-signed-with-label-fr.pdf");
    std::fs::write(&path, &copy).unwrap();
    let text = tool("pdftotext", &[path.to_str().unwrap(), "-"]);
    let flat = text.split_whitespace().collect::<Vec<_>>().join(" ");
    assert!(flat.contains("allumage et extinction"), "{text}");
    assert!(flat.contains("Ces contrôles ont échoué"), "{text}");

    // A report issued now writes the new shape.
    let issued = issue(&document, Lang::En, &signer, &PrintOptions::default()).unwrap();
    let new_shape = issued.signed.document.to_string();
    assert!(!new_shape.contains("label_fr") && !new_shape.contains("reasons_fr"));
    assert!(new_shape
        .contains("\"labels\":{\"en\":\"power on and off\",\"fr\":\"allumage et extinction\"}"));
}

/// English words that a French document must not print, except inside the quotes that mark
/// words as someone else's (a bench's own detail).
const ENGLISH: &[&str] = &[
    "the",
    "and",
    "of",
    "for",
    "with",
    "on",
    "to",
    "not",
    "no",
    "yes",
    "bytes",
    "MiB",
    "GiB",
    "KiB",
    "TiB",
    "GB",
    "Reuse",
    "refurbished",
    "resale",
    "slot",
    "steps",
    "confirmed",
    "Pass",
    "Passed",
    "Fail",
    "Failed",
    "verified",
    "specified",
    "reported",
    "unknown",
    "Detail",
    "Scan",
    "Page",
    "of",
    "Issued",
    "Signed",
    "Name",
    "Title",
    "Make",
    "Serial",
    "number",
    "Media",
    "Method",
    "used",
    "Duration",
    "Throughput",
    "Errors",
    "Random",
    "seed",
    "Station",
    "record",
    "Bench",
    "words",
    "Write",
    "Read",
    "Battery",
    "Checks",
    "Result",
    "Repair",
    "first",
    "months",
    "Warranty",
    "Cracked",
    "Screen",
    "speaker",
    "crackle",
    "above",
    "volume",
    "focus",
    "keys",
    "destroyed",
    "Reuse",
    "Sale",
];

/// The words of `text` outside «…» quotes.
fn words_outside_quotes(text: &str) -> Vec<String> {
    let mut outside = String::new();
    let mut depth = 0usize;
    for ch in text.chars() {
        match ch {
            '«' => depth += 1,
            '»' => depth = depth.saturating_sub(1),
            _ if depth == 0 => outside.push(ch),
            _ => {}
        }
    }
    // Identifiers are nobody's language: rule ids (`functional.failed`), paths and file names.
    let identifier = |token: &str| {
        let inner = token.trim_matches(|c: char| !c.is_alphanumeric());
        inner.contains(['.', '/', '_'])
    };
    outside
        .split_whitespace()
        .filter(|token| !identifier(token))
        .flat_map(|token| token.split(|c: char| !c.is_alphanumeric()))
        .filter(|word| !word.is_empty())
        .map(str::to_owned)
        .collect()
}

#[test]
fn french_documents_print_no_english_word_outside_a_quote() {
    let signer = signer();
    let dir = artifacts();
    let mut documents = samples::all(3);
    documents.push(samples::bench_erasure_certificate(3));
    documents.push(samples::image_erasure_certificate(3));
    for document in documents {
        let name = format!("{}-{}-words", document.kind(), document.id);
        let issued = issue(&document, Lang::Fr, &signer, &PrintOptions::default()).unwrap();
        let pdf = dir.join(format!("{name}.pdf"));
        std::fs::write(&pdf, &issued.pdf).unwrap();
        let text = tool("pdftotext", &["-layout", pdf.to_str().unwrap(), "-"]);
        // Page "N sur M" is French too; "Page" is both, so only count it when followed by "of".
        let english: Vec<String> = words_outside_quotes(&text)
            .into_iter()
            .filter(|word| {
                ENGLISH
                    .iter()
                    .any(|english| english.eq_ignore_ascii_case(word) && *english != "Page")
            })
            .collect();
        assert!(
            english.is_empty(),
            "{name}: English words {english:?} in:\n{text}"
        );
        assert!(
            !text.contains("Page 1 of") && !text.contains("MiB") && !text.contains("GiB"),
            "{name}:\n{text}"
        );
        let overwrite = matches!(&document.body, Body::ErasureCertificate(body) if body.run.target_kind == "block");
        assert!(
            !overwrite || text.contains("Mio/s"),
            "{name}: no Mio/s:\n{text}"
        );
        // Bench words are printed, quoted and labelled as the bench's.
        if text.contains("Propres mots du banc") {
            assert!(text.contains("«"), "{name}:\n{text}");
        }
    }
    // The bench's detail is quoted under its label.
    let document = samples::bench_erasure_certificate(3);
    let issued = issue(&document, Lang::Fr, &signer, &PrintOptions::default()).unwrap();
    let pdf = dir.join("bench-erasure-fr.pdf");
    std::fs::write(&pdf, &issued.pdf).unwrap();
    let text = squeeze(&tool("pdftotext", &[pdf.to_str().unwrap(), "-"]));
    assert!(
        text.contains(&squeeze(
            "Propres mots du banc « keys destroyed, no focus »"
        )),
        "{text}"
    );
    let report = samples::device_report(3);
    let issued = issue(&report, Lang::Fr, &signer, &PrintOptions::default()).unwrap();
    let pdf = dir.join("report-bench-words-fr.pdf");
    std::fs::write(&pdf, &issued.pdf).unwrap();
    let text = squeeze(&tool("pdftotext", &[pdf.to_str().unwrap(), "-"]));
    assert!(
        text.contains(&squeeze("« crackle above 80 % volume »")),
        "{text}"
    );
    assert!(text.contains(&squeeze("Propres mots du banc")), "{text}");
}

#[test]
fn a_standard_erasure_certificate_fits_on_one_page_with_or_without_a_signature_line() {
    let signer = signer();
    let dir = artifacts();
    for lang in Lang::ALL {
        for signature_line in [false, true] {
            for (kind, document) in [
                ("drive", samples::erasure_certificate(5)),
                ("bench", samples::bench_erasure_certificate(5)),
                ("image", samples::image_erasure_certificate(5)),
            ] {
                let options = PrintOptions {
                    signature_line,
                    ..PrintOptions::default()
                };
                let issued = issue(&document, lang, &signer, &options).unwrap();
                let name = format!("one-page-{kind}-{lang}-{signature_line}");
                let pdf = dir.join(format!("{name}.pdf"));
                std::fs::write(&pdf, &issued.pdf).unwrap();
                let path = pdf.to_str().unwrap();
                let info = tool("pdfinfo", &[path]);
                assert!(
                    info.lines()
                        .any(|line| line.starts_with("Pages:") && line.ends_with(" 1")),
                    "{name}: {info}"
                );
                let text = tool("pdftotext", &["-layout", path, "-"]);
                let label = match lang {
                    Lang::En => "Signature of the person validating",
                    Lang::Fr => "Signature de la personne qui valide",
                };
                assert_eq!(text.contains(label), signature_line, "{name}:\n{text}");
            }
        }
    }
}

#[test]
fn an_image_file_erasure_names_the_file_its_first_mib_and_its_device_and_nothing_unset() {
    let signer = signer();
    let dir = artifacts();
    let document = samples::image_erasure_certificate(7);
    let Body::ErasureCertificate(body) = &document.body else {
        unreachable!()
    };
    let hash = body.media.head_sha256.clone().unwrap();
    for (lang, labels, unset) in [
        (
            Lang::En,
            [
                "File name",
                "SHA-256 of first MiB",
                "(read before the erasure)",
                "Belongs to device",
            ],
            "Not specified",
        ),
        (
            Lang::Fr,
            [
                "Nom du fichier",
                "SHA-256 du premier Mio",
                "(lu avant l'effacement)",
                "Appareil d'origine",
            ],
            "Non précisé",
        ),
    ] {
        let issued = issue(&document, lang, &signer, &PrintOptions::default()).unwrap();
        let pdf = dir.join(format!("image-erasure-{lang}.pdf"));
        std::fs::write(&pdf, &issued.pdf).unwrap();
        let text = tool("pdftotext", &["-layout", pdf.to_str().unwrap(), "-"]);
        for label in labels {
            assert!(text.contains(label), "{lang}: no {label:?} in:\n{text}");
        }
        assert!(text.contains("redmi-7.img"), "{text}");
        assert!(text.contains(&hash), "{text}");
        assert!(
            squeeze(&text).contains(&squeeze("Xiaomi Redmi Note 12 · IMEI 356728114587211")),
            "{text}"
        );
        assert!(!text.contains(unset), "{lang}: an unset row in:\n{text}");
        // Rows that do not apply to a file: a make, a serial, a device path.
        for absent in ["Make / vendor", "Marque", "Device path", "Périphérique ou"] {
            assert!(!text.contains(absent), "{lang}: {absent:?} in:\n{text}");
        }
    }
}

#[test]
fn names_in_japanese_print_in_noto_sans_cjk_and_latin_documents_do_not_carry_it() {
    let signer = signer();
    let dir = artifacts();
    let mut document = samples::image_erasure_certificate(11);
    document.issuer.name = "株式会社リファービッシュ東京".to_owned();
    if let Body::ErasureCertificate(body) = &mut document.body {
        body.media.model = Some("Redmi Note 12 – 日本版".to_owned());
    }
    assert!(
        refurbdesk_certificate::missing_glyphs(&document.issuer.name).is_empty(),
        "fonts-noto-cjk is installed by scripts/test"
    );
    let issued = issue(&document, Lang::En, &signer, &PrintOptions::default()).unwrap();
    let pdf = dir.join("japanese-names.pdf");
    std::fs::write(&pdf, &issued.pdf).unwrap();
    let path = pdf.to_str().unwrap();
    let text = tool("pdftotext", &["-layout", path, "-"]);
    assert!(text.contains("株式会社リファービッシュ東京"), "{text}");
    assert!(text.contains("Redmi Note 12 – 日本版"), "{text}");
    let fonts = tool("pdffonts", &[path]);
    assert!(
        fonts
            .lines()
            .any(|line| line.contains("+NotoSansCJK") && line.contains("yes yes")),
        "the fallback font is embedded as a subset:\n{fonts}"
    );
    let latin = samples::erasure_certificate(11);
    let issued_latin = issue(&latin, Lang::En, &signer, &PrintOptions::default()).unwrap();
    let latin_pdf = dir.join("latin-names.pdf");
    std::fs::write(&latin_pdf, &issued_latin.pdf).unwrap();
    let fonts = tool("pdffonts", &[latin_pdf.to_str().unwrap()]);
    assert!(!fonts.contains("Noto"), "{fonts}");
    // Characters no installed font has are named, so the caller can say so.
    assert_eq!(
        refurbdesk_certificate::missing_glyphs("ok \u{10FFFD}"),
        vec!['\u{10FFFD}']
    );
}
