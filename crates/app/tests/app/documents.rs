//! Use-case tests: documents. Real erasures of image files, real signed PDFs, real SQLite.

use std::path::{Path, PathBuf};
use std::sync::{Arc, Mutex};

use refurbdesk_app::documents::{
    self, DestroyParams, DocumentError, ExportKeyParams, ExportParams, IssueParams, ListParams,
    ReportParams, VerifyParams, VoidParams,
};
use refurbdesk_app::erase::{self, DriveConfirmation, DriveParams};
use refurbdesk_app::{
    Cancel, Door, Error, ErrorCode, Hint, Progress, ProgressReport, RecordKind, Workstation,
};
use refurbdesk_certificate::Lang;
use refurbdesk_erasure::{Method, Verify};
use refurbdesk_store::{ErasureStatus, Role};
use uuid::Uuid;

use crate::support::TestStation;

const MIB: usize = 1 << 20;

/// Names the organisation, as every certificate needs.
fn name_organisation(ws: &mut Workstation) {
    let actor = ws.actor().unwrap();
    ws.store
        .set_setting(
            "organisation.name",
            "Atelier Reconditionné SAS",
            &actor.name,
        )
        .unwrap();
}

/// Erases an image file through the erasure use case, recorded in the station's store.
fn erase_image(ws: &mut Workstation, dir: &Path, name: &str) -> Uuid {
    let image = dir.join(name);
    std::fs::write(&image, vec![0x5a_u8; MIB]).unwrap();
    let params = DriveParams {
        target: image,
        method: Method::Random,
        verify: Verify::Full,
        confirmation: DriveConfirmation::Image,
        device: None,
        lang: Lang::En,
    };
    let erased = erase::drive(ws, &params, &Progress::silent(), &mut |_| {}).unwrap();
    assert_eq!(erased.record.status, ErasureStatus::Verified);
    erased.record.id
}

fn issue_params(erasure: Uuid, out: &Path, lang: Lang) -> IssueParams {
    IssueParams {
        erasure,
        out: out.to_path_buf(),
        lang: Some(lang),
        property_number: Some("ASSET-0042".into()),
        source: None,
        classification: None,
        backed_up: Some(false),
        destination: None,
        reissue_reason: None,
    }
}

fn verify_file(station: &TestStation, file: &Path) -> documents::Verification {
    documents::verify(
        &station.paths,
        &VerifyParams {
            file: file.to_path_buf(),
            pubkey: None,
        },
    )
    .unwrap()
}

fn pdftotext(path: &Path) -> String {
    let output = std::process::Command::new("pdftotext")
        .arg(path)
        .arg("-")
        .output()
        .expect("pdftotext (poppler-utils) is installed");
    String::from_utf8(output.stdout).unwrap()
}

fn files_in(dir: &Path) -> Vec<PathBuf> {
    let mut files: Vec<_> = std::fs::read_dir(dir)
        .map(|entries| entries.map(|entry| entry.unwrap().path()).collect())
        .unwrap_or_default();
    files.sort();
    files
}

#[test]
fn an_erasure_certificate_is_issued_linked_and_verifies() {
    let station = TestStation::new();
    let mut ws = station.open(None);
    name_organisation(&mut ws);
    let erasure = erase_image(&mut ws, station.dir.path(), "disk.img");
    let out = station.dir.path().join("out");

    let issued = documents::issue(&mut ws, &issue_params(erasure, &out, Lang::Fr)).unwrap();
    assert_eq!(issued.kind, "erasure_certificate");
    assert_eq!(issued.erasure_id, Some(erasure));
    assert_eq!(issued.lang, "fr");
    assert!(!issued.voided);
    let pdf = PathBuf::from(issued.pdf.as_deref().unwrap());
    assert_eq!(pdf.parent(), Some(out.as_path()));
    assert_eq!(
        files_in(&out),
        vec![pdf.clone()],
        "only the PDF, no .part left"
    );
    let bytes = std::fs::read(&pdf).unwrap();
    assert_eq!(documents::sha256_hex(&bytes), issued.pdf_sha256);
    let text = pdftotext(&pdf);
    assert!(
        text.contains("Certificat d'effacement des données"),
        "{text}"
    );
    assert!(text.contains(&erasure.to_string()), "{text}");
    assert!(text.contains("Atelier Reconditionné SAS"), "{text}");

    let verification = verify_file(&station, &pdf);
    assert!(verification.valid, "{verification:?}");
    assert_eq!(verification.id, Some(issued.id));
    assert_eq!(verification.kind.as_deref(), Some("erasure_certificate"));
    assert_eq!(verification.key_id.as_deref(), Some(issued.key_id.as_str()));
    assert_eq!(verification.sealed_by, verification.key_id);
    assert_eq!(verification.problem, None);

    let listed = documents::list(&ws, &ListParams::default()).unwrap();
    assert_eq!(listed.len(), 1);
    assert_eq!(listed[0].id, issued.id);
    assert_eq!(listed[0].pdf, None, "a listed document names no file");
}

#[test]
fn a_changed_byte_or_an_unknown_key_is_an_invalid_result_not_an_error() {
    let station = TestStation::new();
    let mut ws = station.open(None);
    name_organisation(&mut ws);
    let erasure = erase_image(&mut ws, station.dir.path(), "disk.img");
    let out = station.dir.path().join("out");
    let issued = documents::issue(&mut ws, &issue_params(erasure, &out, Lang::En)).unwrap();
    let pdf = PathBuf::from(issued.pdf.unwrap());

    let mut bytes = std::fs::read(&pdf).unwrap();
    let middle = bytes.len() / 2;
    bytes[middle] ^= 0x20;
    let tampered = station.dir.path().join("tampered.pdf");
    std::fs::write(&tampered, &bytes).unwrap();
    let verification = verify_file(&station, &tampered);
    assert!(!verification.valid);
    assert!(verification.problem.is_some(), "{verification:?}");

    // Another workstation, with no keys and no database, trusts nothing.
    let elsewhere = TestStation::new();
    let verification = verify_file(&elsewhere, &pdf);
    assert!(!verification.valid);
    let problem = verification.problem.unwrap();
    assert!(problem.contains("unknown key"), "{problem}");
    assert!(problem.contains("no keys yet"), "{problem}");
    assert!(
        !elsewhere.paths.database.exists(),
        "verifying never creates a database"
    );

    // A file that is not there is an error.
    let error = documents::verify(
        &station.paths,
        &VerifyParams {
            file: station.dir.path().join("missing.pdf"),
            pubkey: None,
        },
    )
    .unwrap_err();
    assert_eq!(error.code, ErrorCode::NotFound);
    assert!(
        error.message.starts_with("cannot read "),
        "{}",
        error.message
    );
}

#[test]
fn a_voided_certificate_verifies_as_voided_and_a_void_is_final() {
    let station = TestStation::new();
    let mut ws = station.open(None);
    name_organisation(&mut ws);
    let erasure = erase_image(&mut ws, station.dir.path(), "disk.img");
    let out = station.dir.path().join("out");
    let issued = documents::issue(&mut ws, &issue_params(erasure, &out, Lang::En)).unwrap();
    let pdf = PathBuf::from(issued.pdf.clone().unwrap());
    assert!(verify_file(&station, &pdf).valid);

    let void = VoidParams {
        id: issued.id,
        reason: "wrong customer".into(),
    };
    let voided = documents::void(&mut ws, &void).unwrap();
    assert!(voided.voided);
    assert_eq!(voided.void_reason.as_deref(), Some("wrong customer"));

    let verification = verify_file(&station, &pdf);
    assert!(!verification.valid);
    assert_eq!(
        verification.id,
        Some(issued.id),
        "still says which document"
    );
    let problem = verification.problem.unwrap();
    assert!(
        problem.starts_with("voided on ") && problem.ends_with("wrong customer"),
        "{problem}"
    );

    let again = documents::void(&mut ws, &void).unwrap_err();
    assert_eq!(again.code, ErrorCode::Refused);
    let unknown = documents::void(
        &mut ws,
        &VoidParams {
            id: Uuid::now_v7(),
            reason: "typo".into(),
        },
    )
    .unwrap_err();
    assert_eq!(unknown.code, ErrorCode::NotFound);
    assert_eq!(
        unknown.hint,
        Some(Hint::ListRecords {
            what: RecordKind::Certificates
        })
    );
    let listed = documents::list(&ws, &ListParams::default()).unwrap();
    assert!(listed[0].voided);
}

#[test]
fn only_a_quality_manager_voids() {
    let station = TestStation::new();
    let mut ws = station.open(None);
    name_organisation(&mut ws);
    let erasure = erase_image(&mut ws, station.dir.path(), "disk.img");
    let out = station.dir.path().join("out");
    let issued = documents::issue(&mut ws, &issue_params(erasure, &out, Lang::En)).unwrap();
    let os_user = ws.actor().unwrap();
    ws.store
        .add_operator("root", Role::Admin, &os_user)
        .unwrap();
    let root = station.open(Some("root")).actor().unwrap();
    ws.store
        .add_operator("tim", Role::Technician, &root)
        .unwrap();
    let mut tim = station.open(Some("tim"));
    let error = documents::void(
        &mut tim,
        &VoidParams {
            id: issued.id,
            reason: "wrong customer".into(),
        },
    )
    .unwrap_err();
    assert_eq!(error.code, ErrorCode::Refused);
    assert!(!documents::list(&ws, &ListParams::default()).unwrap()[0].voided);
}

#[test]
fn nothing_is_signed_for_an_unknown_erasure_or_a_nameless_organisation() {
    let station = TestStation::new();
    let mut ws = station.open(None);
    let erasure = erase_image(&mut ws, station.dir.path(), "disk.img");
    let out = station.dir.path().join("out");

    let error = documents::issue(&mut ws, &issue_params(erasure, &out, Lang::En)).unwrap_err();
    assert_eq!(error.code, ErrorCode::Refused);
    assert_eq!(
        error.hint,
        Some(Hint::SetSetting {
            key: "organisation.name".into(),
            example: "\"Your company\"".into()
        })
    );
    assert!(!error.message.contains("refurbdesk"), "{}", error.message);
    assert!(error
        .tell(Door::Terminal)
        .contains("settings set organisation.name"));

    name_organisation(&mut ws);
    let error =
        documents::issue(&mut ws, &issue_params(Uuid::now_v7(), &out, Lang::En)).unwrap_err();
    assert_eq!(error.code, ErrorCode::NotFound);

    assert!(files_in(&out).is_empty(), "{:?}", files_in(&out));
    assert!(
        files_in(&station.paths.keys_dir).is_empty(),
        "no key is created before a document can be signed"
    );
    assert!(documents::list(&ws, &ListParams::default())
        .unwrap()
        .is_empty());
}

#[test]
fn document_errors_carry_hints_instead_of_commands() {
    let unknown = Error::from(DocumentError::UnknownErasure(Uuid::nil()));
    assert_eq!(unknown.code, ErrorCode::NotFound);
    assert_eq!(
        unknown.hint,
        Some(Hint::ListRecords {
            what: RecordKind::Erasures
        })
    );
    assert_eq!(
        unknown.tell(Door::Terminal),
        format!(
            "there is no erasure {}; `refurbdesk erase list` lists them with their ids",
            Uuid::nil()
        )
    );
    let bad = Error::from(DocumentError::BadSetting {
        key: "sale.warranty_months",
        reason: "sale.warranty_months is 6, but…".into(),
    });
    assert_eq!(bad.code, ErrorCode::Data);
    assert!(!bad.message.contains("refurbdesk"));
    assert!(bad
        .tell(Door::Terminal)
        .contains("refurbdesk settings set sale.warranty_months 12"));
    assert!(!bad.tell(Door::Window).contains("refurbdesk"));
    let device = Error::from(DocumentError::UnknownDevice("nope".into()));
    assert_eq!(device.code, ErrorCode::NotFound);
}

#[test]
fn a_destruction_is_recorded_only_with_all_its_evidence() {
    let station = TestStation::new();
    let mut ws = station.open(None);
    name_organisation(&mut ws);
    let photo = station.dir.path().join("IMG_2031.jpg");
    std::fs::write(&photo, b"not really a jpeg").unwrap();
    let out = station.dir.path().join("out");
    let params = DestroyParams {
        method: "shred".into(),
        witness: "Claire Martin".into(),
        witness_title: None,
        witness_organisation: None,
        device: None,
        make: Some("Seagate".into()),
        model: Some("ST500LM030".into()),
        serial: Some("WCJ0001".into()),
        media_type: "hdd".into(),
        size: Some(500_107_862_016),
        property_number: None,
        source: None,
        classification: None,
        details: None,
        evidence: vec![photo.clone(), station.dir.path().join("missing.jpg")],
        destination: "WEEE recycling".into(),
        out: out.clone(),
        lang: Some(Lang::En),
    };

    let error = documents::destroy(&mut ws, &params).unwrap_err();
    assert_eq!(error.code, ErrorCode::NotFound);
    assert!(error.message.contains("missing.jpg"), "{}", error.message);
    let error = documents::destroy(
        &mut ws,
        &DestroyParams {
            method: "burn".into(),
            evidence: vec![photo.clone()],
            ..params.clone()
        },
    )
    .unwrap_err();
    assert_eq!(error.code, ErrorCode::Usage);
    let error = documents::destroy(
        &mut ws,
        &DestroyParams {
            device: Some("nope".into()),
            evidence: vec![photo.clone()],
            ..params.clone()
        },
    )
    .unwrap_err();
    assert_eq!(error.code, ErrorCode::NotFound);
    assert!(
        documents::list(&ws, &ListParams::default())
            .unwrap()
            .is_empty(),
        "nothing recorded or issued"
    );

    let issued = documents::destroy(
        &mut ws,
        &DestroyParams {
            evidence: vec![photo],
            ..params
        },
    )
    .unwrap();
    assert_eq!(issued.kind, "destruction_certificate");
    let destruction = issued.destruction_id.unwrap();
    assert!(ws.store.destruction(destruction).unwrap().is_some());
    let text = pdftotext(Path::new(issued.pdf.as_deref().unwrap()));
    assert!(
        text.contains("Claire Martin") && text.contains("WCJ0001"),
        "{text}"
    );
    let digest = documents::sha256_hex(b"not really a jpeg");
    assert!(
        text.replace(char::is_whitespace, "").contains(&digest),
        "{text}"
    );
}

#[test]
fn a_report_needs_a_known_device() {
    let station = TestStation::new();
    let mut ws = station.open(None);
    name_organisation(&mut ws);
    let error = documents::report(
        &mut ws,
        &ReportParams {
            device: "356728114587211".into(),
            out: station.dir.path().join("out"),
            lang: None,
        },
    )
    .unwrap_err();
    assert_eq!(error.code, ErrorCode::NotFound);
    assert!(
        error.message.contains("356728114587211"),
        "{}",
        error.message
    );
}

/// Issues `count` certificates, one per erasure.
fn station_with_certificates(count: usize) -> (TestStation, Workstation) {
    let station = TestStation::new();
    let mut ws = station.open(None);
    name_organisation(&mut ws);
    let out = station.dir.path().join("issued");
    for n in 0..count {
        let erasure = erase_image(&mut ws, station.dir.path(), &format!("disk-{n}.img"));
        documents::issue(&mut ws, &issue_params(erasure, &out, Lang::En)).unwrap();
    }
    (station, ws)
}

fn export_params(out: &Path, zip: bool) -> ExportParams {
    ExportParams {
        device: None,
        since: None,
        all: true,
        out: out.to_path_buf(),
        zip,
        lang: None,
    }
}

#[test]
fn export_writes_each_document_and_reports_once_per_document() {
    let (station, mut ws) = station_with_certificates(3);
    let seen = Arc::new(Mutex::new(Vec::<ProgressReport>::new()));
    let progress = {
        let seen = seen.clone();
        Progress::new(
            move |report| seen.lock().unwrap().push(report.clone()),
            Cancel::new(),
        )
    };
    let out = station.dir.path().join("export");
    let exported = documents::export(&mut ws, &export_params(&out, false), &progress).unwrap();
    assert_eq!(exported.count, 3);
    assert_eq!(exported.zip, None);
    let seen = seen.lock().unwrap();
    assert_eq!(
        seen.iter().map(|r| (r.done, r.total)).collect::<Vec<_>>(),
        vec![(1, Some(3)), (2, Some(3)), (3, Some(3))]
    );
    assert!(seen.iter().all(|r| r.task == "export"));
    let files = files_in(&out);
    assert_eq!(files.len(), 6, "{files:?}");
    // Each exported JSON verifies on its own.
    for json in files.iter().filter(|f| f.extension().unwrap() == "json") {
        assert!(verify_file(&station, json).valid, "{}", json.display());
    }

    // The same in one zip.
    let zipped = station.dir.path().join("zipped");
    let exported =
        documents::export(&mut ws, &export_params(&zipped, true), &Progress::silent()).unwrap();
    let zip = PathBuf::from(exported.zip.unwrap());
    assert_eq!(files_in(&zipped), vec![zip.clone()]);
    let archive = zip::ZipArchive::new(std::fs::File::open(&zip).unwrap()).unwrap();
    let names: Vec<String> = archive
        .file_names()
        .map(|name| name.unwrap().into_owned())
        .collect();
    assert_eq!(names.iter().filter(|n| n.ends_with(".pdf")).count(), 3);
    assert_eq!(names.iter().filter(|n| n.ends_with(".json")).count(), 3);
}

/// A progress that asks to stop as soon as the first document is written.
fn cancelling_after_the_first() -> (Progress, Arc<Mutex<u64>>) {
    let cancel = Cancel::new();
    let reports = Arc::new(Mutex::new(0));
    let progress = {
        let stop = cancel.clone();
        let reports = reports.clone();
        Progress::new(
            move |_| {
                *reports.lock().unwrap() += 1;
                stop.cancel();
            },
            cancel,
        )
    };
    (progress, reports)
}

#[test]
fn a_cancelled_export_stops_between_documents() {
    let (station, mut ws) = station_with_certificates(3);

    let (progress, reports) = cancelling_after_the_first();
    let out = station.dir.path().join("export");
    let error = documents::export(&mut ws, &export_params(&out, false), &progress).unwrap_err();
    assert_eq!(error.code, ErrorCode::Interrupted);
    assert!(error.message.contains("1 of 3"), "{}", error.message);
    assert_eq!(error.details.as_ref().unwrap()["count"], 1);
    assert_eq!(*reports.lock().unwrap(), 1);
    assert_eq!(files_in(&out).len(), 2, "one PDF and its JSON");

    let (progress, _) = cancelling_after_the_first();
    let zipped = station.dir.path().join("zipped");
    let error = documents::export(&mut ws, &export_params(&zipped, true), &progress).unwrap_err();
    assert_eq!(error.code, ErrorCode::Interrupted);
    assert!(
        files_in(&zipped).is_empty(),
        "the unfinished zip is removed"
    );

    // Cancelled before it starts: nothing written.
    let cancel = Cancel::new();
    cancel.cancel();
    let before = station.dir.path().join("before");
    let error = documents::export(
        &mut ws,
        &export_params(&before, false),
        &Progress::new(|_| {}, cancel),
    )
    .unwrap_err();
    assert_eq!(error.code, ErrorCode::Interrupted);
    assert!(files_in(&before).is_empty());
}

#[test]
fn old_documents_verify_after_a_key_rotation() {
    let (station, mut ws) = station_with_certificates(1);
    let old = documents::list(&ws, &ListParams::default()).unwrap()[0].clone();
    let shown = documents::show_keys(&station.paths).unwrap();
    let first = shown.active.clone().unwrap();
    assert_eq!(first.key_id, old.key_id);
    assert_eq!(
        first.fingerprint_grouped().replace(' ', ""),
        first.fingerprint
    );

    let rotated = documents::rotate_key(&mut ws).unwrap();
    assert_eq!(rotated.retired.as_ref().unwrap().key_id, first.key_id);
    assert_ne!(rotated.active.key_id, first.key_id);
    let shown = documents::show_keys(&station.paths).unwrap();
    assert_eq!(shown.active.unwrap().key_id, rotated.active.key_id);
    let trusted: Vec<_> = shown.trusted.iter().map(|k| k.key_id.as_str()).collect();
    assert!(trusted.contains(&first.key_id.as_str()), "{trusted:?}");
    assert!(
        trusted.contains(&rotated.active.key_id.as_str()),
        "{trusted:?}"
    );

    // The old document's exported JSON still verifies with the workstation's keys…
    let out = station.dir.path().join("export");
    documents::export(&mut ws, &export_params(&out, false), &Progress::silent()).unwrap();
    let json = files_in(&out)
        .into_iter()
        .find(|f| f.extension().unwrap() == "json")
        .unwrap();
    assert!(verify_file(&station, &json).valid);
    // …but not with the new public key alone.
    let pubkey = station.dir.path().join("org.pub.json");
    let exported = documents::export_key(
        &station.paths,
        &ExportKeyParams {
            out: pubkey.clone(),
        },
    )
    .unwrap();
    assert_eq!(exported.key_id, rotated.active.key_id);
    let verification = documents::verify(
        &station.paths,
        &VerifyParams {
            file: json,
            pubkey: Some(pubkey),
        },
    )
    .unwrap();
    assert!(!verification.valid);
    assert!(verification.problem.unwrap().contains("unknown key"));
}

#[test]
fn a_document_opens_from_its_file_in_the_documents_folder_and_nowhere_else() {
    use refurbdesk_app::documents::DocumentFileParams;

    let station = TestStation::new();
    let mut ws = station.open(None);
    name_organisation(&mut ws);
    let erasure = erase_image(&mut ws, station.dir.path(), "disk.img");
    // Issued outside the documents folder, as the CLI's --out may do.
    let out = station.dir.path().join("out");
    let issued = documents::issue(&mut ws, &issue_params(erasure, &out, Lang::En)).unwrap();
    let params = DocumentFileParams { id: issued.id };

    // Missing from the folder: written there from the database, byte for byte.
    let opened = documents::file(&ws, &params).unwrap();
    assert!(opened.written);
    let folder = documents::documents_dir(&ws);
    assert_eq!(opened.path.parent(), Some(folder.as_path()));
    let issued_bytes = std::fs::read(issued.pdf.as_deref().unwrap()).unwrap();
    assert_eq!(std::fs::read(&opened.path).unwrap(), issued_bytes);
    assert!(verify_file(&station, &opened.path).valid);
    let again = documents::file(&ws, &params).unwrap();
    assert_eq!(
        (again.path.clone(), again.written),
        (opened.path.clone(), false)
    );

    // An altered file is not opened.
    let mut altered = issued_bytes.clone();
    let last = altered.len() - 10;
    altered[last] ^= 0x01;
    std::fs::write(&opened.path, &altered).unwrap();
    let error = documents::file(&ws, &params).unwrap_err();
    assert_eq!(error.code, ErrorCode::Data, "{error:?}");
    assert!(
        error.message.contains("SHA-256 differs"),
        "{}",
        error.message
    );

    // A link leading out of the folder is not followed, even to the right bytes.
    std::fs::remove_file(&opened.path).unwrap();
    std::os::unix::fs::symlink(issued.pdf.as_deref().unwrap(), &opened.path).unwrap();
    let error = documents::file(&ws, &params).unwrap_err();
    assert_eq!(error.code, ErrorCode::Refused, "{error:?}");
    assert!(
        error.message.contains("outside the documents folder"),
        "{}",
        error.message
    );

    // An unknown document.
    let error = documents::file(&ws, &DocumentFileParams { id: Uuid::now_v7() }).unwrap_err();
    assert_eq!(error.code, ErrorCode::NotFound);
    assert_eq!(
        error.hint,
        Some(Hint::ListRecords {
            what: RecordKind::Certificates
        })
    );
}

#[test]
fn a_second_certificate_for_an_erasure_is_refused_naming_the_first() {
    let station = TestStation::new();
    let mut ws = station.open(None);
    name_organisation(&mut ws);
    let out = station.dir.path().join("issued");
    let erasure = erase_image(&mut ws, station.dir.path(), "disk.img");
    let first = documents::issue(&mut ws, &issue_params(erasure, &out, Lang::En)).unwrap();
    let error = documents::issue(&mut ws, &issue_params(erasure, &out, Lang::Fr)).unwrap_err();
    assert_eq!(error.code, ErrorCode::Refused);
    assert!(
        error.message.contains(&first.id.to_string()),
        "{}",
        error.message
    );
    assert_eq!(
        error.details.as_ref().unwrap()["file"],
        format!("erasure-certificate-{}.pdf", first.id)
    );
    assert_eq!(files_in(&out).len(), 1, "nothing more written");
}

#[test]
fn an_image_file_certificate_names_the_file_and_its_first_mib_as_erased_not_its_path() {
    use sha2::{Digest, Sha256};
    let station = TestStation::new();
    let mut ws = station.open(None);
    name_organisation(&mut ws);
    let erasure = erase_image(&mut ws, station.dir.path(), "customer-dump.img");
    // What the file held before the erasure wrote a byte (erase_image fills it with 0x5a).
    let before = hex::encode(Sha256::digest(vec![0x5a_u8; MIB]));
    let out = station.dir.path().join("out");
    let mut params = issue_params(erasure, &out, Lang::En);
    params.property_number = None;
    params.backed_up = None;
    let issued = documents::issue(&mut ws, &params).unwrap();
    let text = pdftotext(Path::new(issued.pdf.as_deref().unwrap()));
    assert!(text.contains("customer-dump.img"), "{text}");
    assert!(text.contains(&before), "{text}");
    let folder = station.dir.path().to_str().unwrap();
    assert!(!text.contains(folder), "the workstation's path: {text}");
    let media =
        &text[text.find("Media information").unwrap()..text.find("Sanitization details").unwrap()];
    assert!(!media.contains("Not specified"), "{media}");
    assert!(verify_file(&station, Path::new(issued.pdf.as_deref().unwrap())).valid);
}
