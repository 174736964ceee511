//! `refurbdesk cert`: issue, verify, void, list and export signed documents (erasure and
//! destruction certificates, device audit reports), and manage the signing key.

use std::fs;
use std::io::Write;
use std::path::{Path, PathBuf};

use anyhow::{anyhow, Context};
use chrono::{DateTime, NaiveDate, Utc};
use clap::{ArgGroup, Args, Subcommand};
use indicatif::{ProgressBar, ProgressStyle};
use refurbdesk_app::documents::{sha256_hex, DocumentError, Documents, Links, MediaDetails};
use refurbdesk_app::DataPaths;
use refurbdesk_certificate::{verify_bytes, Lang, TrustedKeys, VerifyError};
use refurbdesk_store::{
    CertificateFilter, CertificateRecord, NewDestruction, Store, StoreError, DESTRUCTION_METHODS,
};
use serde::Serialize;
use serde_json::json;
use uuid::Uuid;

use super::{open_existing, open_workstation, store_failure};
use crate::exit::{Exit, Failure};
use crate::GlobalArgs;

#[derive(Debug, Subcommand)]
pub enum CertCommand {
    /// Issue the signed erasure certificate of a finished, verified erasure
    Issue(IssueArgs),
    /// Record a physical destruction (shred, punch, degauss...) and issue its certificate
    Destroy(Box<DestroyArgs>),
    /// Issue a device's signed audit report (identity, battery, locks, grade, erasures)
    Report(ReportArgs),
    /// Verify a certificate or report offline, from its PDF or JSON file
    Verify(VerifyArgs),
    /// Void a certificate (quality managers only); it stays listed and verifies as voided
    Void(VoidArgs),
    /// List issued documents
    List(ListArgs),
    /// Export documents as PDF and JSON files, optionally in one zip
    Export(ExportArgs),
    /// Show, rotate or export the organisation's signing key
    #[command(subcommand)]
    Key(KeyCommand),
}

#[derive(Debug, Args)]
pub struct OutArgs {
    /// The folder to write the PDF into [default: the current folder]
    #[arg(long, value_name = "DIR", default_value = ".")]
    out: PathBuf,
    /// The document's language [default: the certificate.language setting, else en]
    #[arg(long, value_name = "en|fr", value_parser = parse_lang)]
    lang: Option<Lang>,
}

#[derive(Debug, Args)]
pub struct IssueArgs {
    /// The erasure's id (printed by `refurbdesk erase`)
    #[arg(long, value_name = "ID")]
    erasure: Uuid,
    #[command(flatten)]
    out: OutArgs,
    /// The organisation's asset tag of the media
    #[arg(long, value_name = "TEXT")]
    property_number: Option<String>,
    /// Where the media came from (customer, trade-in batch)
    #[arg(long, value_name = "TEXT")]
    source: Option<String>,
    /// The data's confidentiality category, as the customer declared it
    #[arg(long, value_name = "TEXT")]
    classification: Option<String>,
    /// Whether the data was backed up before erasure
    #[arg(long, value_name = "yes|no", value_parser = parse_yes_no)]
    backed_up: Option<bool>,
    /// Where the media goes next [default: the certificate.destination setting]
    #[arg(long, value_name = "TEXT")]
    destination: Option<String>,
}

#[derive(Debug, Args)]
pub struct DestroyArgs {
    /// shred, punch, degauss, crush or disintegrate
    #[arg(long, value_name = "METHOD")]
    method: String,
    /// The witness's name
    #[arg(long, value_name = "NAME")]
    witness: String,
    #[arg(long, value_name = "TEXT")]
    witness_title: Option<String>,
    #[arg(long, value_name = "TEXT")]
    witness_organisation: Option<String>,
    /// The device the media came from (IMEI, serial or device id), if recorded
    #[arg(long, value_name = "REF")]
    device: Option<String>,
    #[arg(long, value_name = "TEXT")]
    make: Option<String>,
    #[arg(long, value_name = "TEXT")]
    model: Option<String>,
    /// The media's serial number
    #[arg(long, value_name = "TEXT")]
    serial: Option<String>,
    /// hdd, ssd, nvme, flash, phone, tablet...
    #[arg(long, value_name = "TYPE", default_value = "drive")]
    media_type: String,
    #[arg(long, value_name = "BYTES")]
    size: Option<u64>,
    #[arg(long, value_name = "TEXT")]
    property_number: Option<String>,
    #[arg(long, value_name = "TEXT")]
    source: Option<String>,
    #[arg(long, value_name = "TEXT")]
    classification: Option<String>,
    /// The machine and its setting (e.g. "HSM Powerline, 20 mm particles")
    #[arg(long, value_name = "TEXT")]
    details: Option<String>,
    /// A photo or video of the destruction, kept by its SHA-256 (repeatable)
    #[arg(long, value_name = "FILE")]
    evidence: Vec<PathBuf>,
    #[arg(long, value_name = "TEXT", default_value = "WEEE recycling")]
    destination: String,
    #[command(flatten)]
    out: OutArgs,
}

#[derive(Debug, Args)]
pub struct ReportArgs {
    /// The device: an IMEI, a serial or a device id
    #[arg(long, value_name = "REF")]
    device: String,
    #[command(flatten)]
    out: OutArgs,
}

#[derive(Debug, Args)]
pub struct VerifyArgs {
    /// The certificate's PDF or JSON file
    file: PathBuf,
    /// Trust only this public key (a .pub.json file or 64 hex digits) instead of the
    /// workstation's keys
    #[arg(long, value_name = "FILE")]
    pubkey: Option<PathBuf>,
}

#[derive(Debug, Args)]
pub struct VoidArgs {
    /// The certificate's id
    id: Uuid,
    /// Why it is void (kept with it and printed when it is verified)
    #[arg(long, value_name = "TEXT")]
    reason: String,
}

#[derive(Debug, Args)]
pub struct ListArgs {
    #[arg(long, value_name = "REF")]
    device: Option<String>,
    /// Issued on or after this date (YYYY-MM-DD) or moment (RFC 3339)
    #[arg(long, value_name = "DATE", value_parser = parse_since)]
    since: Option<DateTime<Utc>>,
}

#[derive(Debug, Args)]
#[command(group(ArgGroup::new("which").required(true).args(["device", "since", "all"])))]
pub struct ExportArgs {
    #[arg(long, value_name = "REF")]
    device: Option<String>,
    #[arg(long, value_name = "DATE", value_parser = parse_since)]
    since: Option<DateTime<Utc>>,
    #[arg(long)]
    all: bool,
    /// The folder to write into (created if missing)
    #[arg(long, value_name = "DIR")]
    out: PathBuf,
    /// Write one refurbdesk-documents-<time>.zip instead of loose files
    #[arg(long)]
    zip: bool,
    /// Print every document in this language (copies are sealed with the current key)
    #[arg(long, value_name = "en|fr", value_parser = parse_lang)]
    lang: Option<Lang>,
}

#[derive(Debug, Subcommand)]
pub enum KeyCommand {
    /// Show the active key and every key this workstation trusts
    Show,
    /// Start signing with a new key; old documents keep verifying with the old public key
    Rotate,
    /// Write the active public key to a file, for customers verifying offline
    Export {
        #[arg(long, value_name = "FILE")]
        out: PathBuf,
    },
}

fn parse_lang(word: &str) -> Result<Lang, String> {
    word.parse()
}

fn parse_yes_no(word: &str) -> Result<bool, String> {
    match word {
        "yes" | "oui" => Ok(true),
        "no" | "non" => Ok(false),
        other => Err(format!("{other:?} is not yes or no")),
    }
}

fn parse_since(text: &str) -> Result<DateTime<Utc>, String> {
    if let Ok(moment) = DateTime::parse_from_rfc3339(text) {
        return Ok(moment.with_timezone(&Utc));
    }
    NaiveDate::parse_from_str(text, "%Y-%m-%d")
        .map(|date| date.and_hms_opt(0, 0, 0).expect("midnight").and_utc())
        .map_err(|_| format!("{text:?} is not a date: use YYYY-MM-DD or an RFC 3339 moment"))
}

fn document_failure(error: DocumentError) -> Failure {
    let exit = match &error {
        DocumentError::Store(StoreError::NotCertifiable { .. })
        | DocumentError::NotCertifiable { .. }
        | DocumentError::NoOrganisation => Exit::Refused,
        DocumentError::UnknownErasure(_)
        | DocumentError::UnknownDevice(_)
        | DocumentError::UnknownDestruction(_)
        | DocumentError::Store(StoreError::UnknownErasure { .. })
        | DocumentError::Store(StoreError::UnknownCertificate { .. }) => Exit::NotFound,
        DocumentError::Store(_) => {
            return match error {
                DocumentError::Store(store) => store_failure(store),
                _ => unreachable!(),
            }
        }
        _ => Exit::Data,
    };
    Failure::new(exit, error)
}

/// What `--json` prints for an issued or listed document.
#[derive(Serialize)]
struct DocumentOutput<'a> {
    id: Uuid,
    kind: &'a str,
    #[serde(skip_serializing_if = "Option::is_none")]
    pdf: Option<String>,
    lang: &'a str,
    key_id: &'a str,
    pdf_sha256: &'a str,
    issued_at: DateTime<Utc>,
    issued_by: &'a str,
    erasure_id: Option<Uuid>,
    destruction_id: Option<Uuid>,
    device_id: Option<Uuid>,
    voided: bool,
    #[serde(skip_serializing_if = "Option::is_none")]
    void_reason: Option<&'a str>,
}

fn output<'a>(record: &'a CertificateRecord, pdf: Option<&Path>) -> DocumentOutput<'a> {
    DocumentOutput {
        id: record.id,
        kind: &record.kind,
        pdf: pdf.map(|path| path.display().to_string()),
        lang: &record.lang,
        key_id: &record.key_id,
        pdf_sha256: &record.pdf_sha256,
        issued_at: record.issued_at,
        issued_by: &record.issued_by,
        erasure_id: record.erasure_id,
        destruction_id: record.destruction_id,
        device_id: record.device_id,
        voided: record.void.is_some(),
        void_reason: record.void.as_ref().map(|void| void.reason.as_str()),
    }
}

fn file_stem(record: &CertificateRecord) -> String {
    format!("{}-{}", record.kind.replace('_', "-"), record.id)
}

/// Writes a file atomically: a reader never sees half a certificate.
fn write_file(path: &Path, bytes: &[u8]) -> Result<(), Failure> {
    let tmp = path.with_extension("part");
    fs::write(&tmp, bytes)
        .and_then(|()| fs::rename(&tmp, path))
        .with_context(|| format!("cannot write {}", path.display()))
        .map_err(|error| Failure::new(Exit::Data, error))
}

fn create_out_dir(dir: &Path) -> Result<(), Failure> {
    fs::create_dir_all(dir)
        .with_context(|| format!("cannot create the folder {}", dir.display()))
        .map_err(|error| Failure::new(Exit::Data, error))
}

pub fn run(command: &CertCommand, global: &GlobalArgs, paths: &DataPaths) -> Result<(), Failure> {
    match command {
        CertCommand::Verify(args) => verify(args, global, paths),
        CertCommand::Key(command) => key(command, global, paths),
        CertCommand::List(args) => list(args, global, paths),
        CertCommand::Export(args) => export(args, global, paths),
        CertCommand::Issue(args) => {
            let (mut store, actor) = open_workstation(global, paths)?;
            // Refuse early, before any key is created or anything signed.
            store
                .check_certifiable_erasure(args.erasure)
                .map_err(|error| document_failure(DocumentError::Store(error)))?;
            let details = MediaDetails {
                property_number: args.property_number.clone(),
                source: args.source.clone(),
                classification: args.classification.clone(),
                data_backed_up: args.backed_up,
                destination: args.destination.clone(),
            };
            let erasure = store.erasure(args.erasure).map_err(store_failure)?;
            let mut documents = Documents::new(&mut store, &paths.keys_dir);
            let document = documents
                .erasure_certificate(args.erasure, &actor.name, &details)
                .map_err(document_failure)?;
            let links = Links {
                erasure_id: Some(args.erasure),
                destruction_id: None,
                device_id: erasure.and_then(|erasure| erasure.device_id),
            };
            issue_and_write(&mut documents, &document, links, &args.out, global)
        }
        CertCommand::Report(args) => {
            let (mut store, actor) = open_workstation(global, paths)?;
            let mut documents = Documents::new(&mut store, &paths.keys_dir);
            let document = documents
                .device_report(&args.device, &actor.name)
                .map_err(document_failure)?;
            let device_id = match &document.body {
                refurbdesk_certificate::document::Body::DeviceReport(report) => {
                    Some(report.device.device_id)
                }
                _ => None,
            };
            let links = Links {
                device_id,
                ..Links::default()
            };
            issue_and_write(&mut documents, &document, links, &args.out, global)
        }
        CertCommand::Destroy(args) => destroy(args, global, paths),
        CertCommand::Void(args) => {
            let (mut store, actor) = open_workstation(global, paths)?;
            let record = store
                .void_certificate(args.id, &args.reason, &actor.name)
                .map_err(|error| match error {
                    StoreError::UnknownCertificate { .. } => Failure::new(Exit::NotFound, error),
                    StoreError::AlreadyVoided { .. } => Failure::new(Exit::Refused, error),
                    other => store_failure(other),
                })?;
            if global.json {
                println!("{}", serde_json::to_string(&output(&record, None))?);
            } else {
                println!("voided {} ({}): {}", record.id, record.kind, args.reason);
            }
            Ok(())
        }
    }
}

fn issue_and_write(
    documents: &mut Documents<'_>,
    document: &refurbdesk_certificate::Document,
    links: Links,
    out: &OutArgs,
    global: &GlobalArgs,
) -> Result<(), Failure> {
    let lang = match out.lang {
        Some(lang) => lang,
        None => documents.default_lang().map_err(document_failure)?,
    };
    create_out_dir(&out.out)?;
    let issued = documents
        .issue(document, lang, links)
        .map_err(document_failure)?;
    let path = out.out.join(format!("{}.pdf", file_stem(&issued.record)));
    write_file(&path, &issued.pdf)?;
    if global.json {
        println!(
            "{}",
            serde_json::to_string(&output(&issued.record, Some(&path)))?
        );
    } else {
        println!("issued {} {}", issued.record.kind, issued.record.id);
        println!("{}", path.display());
    }
    Ok(())
}

fn destroy(args: &DestroyArgs, global: &GlobalArgs, paths: &DataPaths) -> Result<(), Failure> {
    if !DESTRUCTION_METHODS.contains(&args.method.as_str()) {
        return Err(Failure::new(
            Exit::Usage,
            anyhow!(
                "--method {:?} is not a destruction method; use shred, punch, degauss, crush or disintegrate",
                args.method
            ),
        ));
    }
    // Evidence is hashed before anything is recorded: a missing photo stops the command.
    let mut evidence = Vec::new();
    for file in &args.evidence {
        let bytes = fs::read(file)
            .with_context(|| format!("cannot read the evidence file {}", file.display()))
            .map_err(|error| Failure::new(Exit::NotFound, error))?;
        evidence.push(json!({
            "file_name": file.file_name().map(|name| name.to_string_lossy().into_owned()).unwrap_or_default(),
            "sha256": sha256_hex(&bytes),
            "size_bytes": bytes.len(),
        }));
    }
    let (mut store, actor) = open_workstation(global, paths)?;
    let device = match &args.device {
        Some(reference) => Some(
            store
                .find_device(reference)
                .map_err(store_failure)?
                .ok_or_else(|| {
                    Failure::new(
                        Exit::NotFound,
                        anyhow!("there is no device matching {reference:?}; use an IMEI, a serial or a device id"),
                    )
                })?,
        ),
        None => None,
    };
    let serial = args
        .serial
        .clone()
        .or_else(|| device.as_ref().and_then(|device| device.serial.clone()));
    let media = json!({
        "make": args.make.clone().or_else(|| device.as_ref().map(|device| device.make.clone())),
        "model": args.model.clone().or_else(|| device.as_ref().map(|device| device.model.clone())),
        "serial": serial,
        "imei": device.as_ref().and_then(|device| device.imei.clone()),
        "media_type": args.media_type,
        "size_bytes": args.size,
        "property_number": args.property_number,
        "source": args.source,
        "classification": args.classification,
    });
    let destruction_id = store
        .record_destruction(&NewDestruction {
            device_id: device.as_ref().map(|device| device.id),
            media,
            media_serial: serial,
            method: args.method.clone(),
            method_details: args.details.clone(),
            destroyed_at: Utc::now(),
            operator: actor.name.clone(),
            witness: json!({
                "name": args.witness,
                "title": args.witness_title,
                "organisation": args.witness_organisation,
            }),
            evidence: serde_json::Value::Array(evidence),
            destination: args.destination.clone(),
        })
        .map_err(store_failure)?;
    let device_id = device.as_ref().map(|device| device.id);
    let mut documents = Documents::new(&mut store, &paths.keys_dir);
    let document = documents
        .destruction_certificate(destruction_id, &actor.name)
        .map_err(document_failure)?;
    let links = Links {
        erasure_id: None,
        destruction_id: Some(destruction_id),
        device_id,
    };
    issue_and_write(&mut documents, &document, links, &args.out, global)
}

#[derive(Serialize)]
struct VerifyOutput {
    valid: bool,
    id: Option<Uuid>,
    kind: Option<String>,
    key_id: Option<String>,
    sealed_by: Option<String>,
    problem: Option<String>,
}

fn verify(args: &VerifyArgs, global: &GlobalArgs, paths: &DataPaths) -> Result<(), Failure> {
    let bytes = fs::read(&args.file)
        .with_context(|| format!("cannot read {}", args.file.display()))
        .map_err(|error| Failure::new(Exit::NotFound, error))?;
    // The database, when there is one, adds its published keys and knows voids; a file
    // verifies without it.
    let store = if paths.database.exists() {
        Some(open_existing(paths)?)
    } else {
        None
    };
    let trusted = match &args.pubkey {
        Some(file) => {
            TrustedKeys::from_file(file).map_err(|error| Failure::new(Exit::Data, error))?
        }
        None => workstation_keys(store.as_ref(), &paths.keys_dir)?,
    };
    let failed = |problem: String, verified: Option<&refurbdesk_certificate::Verified>| {
        if global.json {
            let output = VerifyOutput {
                valid: false,
                id: verified.map(|v| v.document.id),
                kind: verified.map(|v| v.document.kind().to_string()),
                key_id: verified.map(|v| v.key_id().to_owned()),
                sealed_by: verified.and_then(|v| v.sealed_by.clone()),
                problem: Some(problem.clone()),
            };
            if let Ok(text) = serde_json::to_string(&output) {
                println!("{text}");
            }
        }
        Failure::new(Exit::CheckFailed, anyhow!("invalid: {problem}"))
    };
    let verified = match verify_bytes(&bytes, &trusted) {
        Ok(verified) => verified,
        Err(error) => {
            let problem = match &error {
                VerifyError::UnknownKey(_) | VerifyError::Signature(_) if trusted.is_empty() => {
                    format!("{error} (this workstation has no keys yet)")
                }
                _ => error.to_string(),
            };
            return Err(failed(problem, None));
        }
    };
    if let Some(store) = &store {
        if let Some(record) = store
            .certificate(verified.document.id)
            .map_err(store_failure)?
        {
            if let Some(void) = record.void {
                return Err(failed(
                    format!(
                        "voided on {} by {}: {}",
                        void.at.format("%Y-%m-%d %H:%M UTC"),
                        void.by,
                        void.reason
                    ),
                    Some(&verified),
                ));
            }
        }
    }
    if global.json {
        let output = VerifyOutput {
            valid: true,
            id: Some(verified.document.id),
            kind: Some(verified.document.kind().to_string()),
            key_id: Some(verified.key_id().to_owned()),
            sealed_by: verified.sealed_by.clone(),
            problem: None,
        };
        println!("{}", serde_json::to_string(&output)?);
    } else {
        let sealed = match &verified.sealed_by {
            Some(seal) if seal != verified.key_id() => format!(", file sealed by key {seal}"),
            Some(_) => ", every byte of the file sealed".to_owned(),
            None => ", data only (JSON)".to_owned(),
        };
        println!(
            "valid: {} {} signed by key {}{sealed}",
            verified.document.kind(),
            verified.document.id,
            verified.key_id()
        );
    }
    Ok(())
}

fn workstation_keys(store: Option<&Store>, keys_dir: &Path) -> Result<TrustedKeys, Failure> {
    refurbdesk_app::documents::trusted_keys(store, keys_dir).map_err(document_failure)
}

fn filter(
    store: &Store,
    device: Option<&String>,
    since: Option<DateTime<Utc>>,
) -> Result<CertificateFilter, Failure> {
    let device_id = match device {
        Some(reference) => Some(
            store
                .find_device(reference)
                .map_err(store_failure)?
                .ok_or_else(|| {
                    Failure::new(
                        Exit::NotFound,
                        anyhow!("there is no device matching {reference:?}"),
                    )
                })?
                .id,
        ),
        None => None,
    };
    Ok(CertificateFilter {
        device_id,
        since,
        ..CertificateFilter::default()
    })
}

fn list(args: &ListArgs, global: &GlobalArgs, paths: &DataPaths) -> Result<(), Failure> {
    let store = open_existing(paths)?;
    let records = store
        .list_certificates(&filter(&store, args.device.as_ref(), args.since)?)
        .map_err(store_failure)?;
    if global.json {
        let outputs: Vec<_> = records.iter().map(|record| output(record, None)).collect();
        println!("{}", serde_json::to_string(&outputs)?);
        return Ok(());
    }
    if records.is_empty() {
        println!("no documents");
    }
    for record in &records {
        println!(
            "{}  {:<23}  {}  {}  {}{}",
            record.id,
            record.kind,
            record.issued_at.format("%Y-%m-%d %H:%M"),
            record.lang,
            record.issued_by,
            match &record.void {
                Some(void) => format!("  VOID: {}", void.reason),
                None => String::new(),
            }
        );
    }
    Ok(())
}

fn export(args: &ExportArgs, global: &GlobalArgs, paths: &DataPaths) -> Result<(), Failure> {
    let mut store = open_existing(paths)?;
    let filter = if args.all {
        CertificateFilter::default()
    } else {
        filter(&store, args.device.as_ref(), args.since)?
    };
    let records = store.list_certificates(&filter).map_err(store_failure)?;
    create_out_dir(&args.out)?;
    let documents = Documents::new(&mut store, &paths.keys_dir);
    let progress = if global.json || records.is_empty() {
        ProgressBar::hidden()
    } else {
        ProgressBar::new(records.len() as u64).with_style(
            ProgressStyle::with_template("{bar:40} {pos}/{len} documents {elapsed}")
                .expect("a valid template"),
        )
    };
    let mut zip = if args.zip {
        let name = format!(
            "refurbdesk-documents-{}.zip",
            Utc::now().format("%Y%m%dT%H%M%SZ")
        );
        let path = args.out.join(name);
        let file = fs::File::create(&path)
            .with_context(|| format!("cannot create {}", path.display()))
            .map_err(|error| Failure::new(Exit::Data, error))?;
        Some((zip::ZipWriter::new(file), path))
    } else {
        None
    };
    let mut written = Vec::new();
    for record in &records {
        let (pdf, json) = documents
            .files(record, args.lang)
            .map_err(document_failure)?;
        let stem = file_stem(record);
        match &mut zip {
            Some((writer, _)) => {
                let options = zip::write::SimpleFileOptions::default();
                for (name, bytes) in [
                    (format!("{stem}.pdf"), &pdf),
                    (format!("{stem}.json"), &json),
                ] {
                    writer
                        .start_file(name, options)
                        .and_then(|()| writer.write_all(bytes).map_err(Into::into))
                        .map_err(|error| {
                            Failure::new(Exit::Data, anyhow!("cannot write the zip: {error}"))
                        })?;
                }
            }
            None => {
                write_file(&args.out.join(format!("{stem}.pdf")), &pdf)?;
                write_file(&args.out.join(format!("{stem}.json")), &json)?;
            }
        }
        written.push(output(record, None));
        progress.inc(1);
    }
    progress.finish_and_clear();
    let zip_path = match zip {
        Some((writer, path)) => {
            writer.finish().map_err(|error| {
                Failure::new(Exit::Data, anyhow!("cannot finish the zip: {error}"))
            })?;
            Some(path)
        }
        None => None,
    };
    if global.json {
        println!(
            "{}",
            serde_json::to_string(&json!({
                "count": written.len(),
                "out": args.out.display().to_string(),
                "zip": zip_path.as_ref().map(|path| path.display().to_string()),
                "documents": written,
            }))?
        );
    } else {
        match &zip_path {
            Some(path) => println!("exported {} documents to {}", written.len(), path.display()),
            None => println!(
                "exported {} documents to {}",
                written.len(),
                args.out.display()
            ),
        }
    }
    Ok(())
}

fn key(command: &KeyCommand, global: &GlobalArgs, paths: &DataPaths) -> Result<(), Failure> {
    let keyring = refurbdesk_certificate::Keyring::new(&paths.keys_dir);
    let key_failure = |error: refurbdesk_certificate::KeyError| Failure::new(Exit::Data, error);
    match command {
        KeyCommand::Show => {
            let store = if paths.database.exists() {
                Some(open_existing(paths)?)
            } else {
                None
            };
            let active = keyring.active().map_err(key_failure)?;
            let trusted = workstation_keys(store.as_ref(), &paths.keys_dir)?;
            if global.json {
                let keys: Vec<_> = trusted.iter().collect();
                println!(
                    "{}",
                    serde_json::to_string(&json!({
                        "keys_dir": paths.keys_dir.display().to_string(),
                        "active": active,
                        "trusted": keys,
                    }))?
                );
                return Ok(());
            }
            match &active {
                Some(info) => println!(
                    "active key {} (fingerprint {}) in {}",
                    info.key_id,
                    info.fingerprint_grouped(),
                    paths.keys_dir.display()
                ),
                None => println!(
                    "no signing key yet in {}: the first certificate creates one",
                    paths.keys_dir.display()
                ),
            }
            for info in trusted.iter() {
                println!(
                    "  {}  created {}{}",
                    info.key_id,
                    info.created_at.format("%Y-%m-%d"),
                    match info.retired_at {
                        Some(at) => format!(", retired {}", at.format("%Y-%m-%d")),
                        None => String::new(),
                    }
                );
            }
            Ok(())
        }
        KeyCommand::Rotate => {
            let (mut store, actor) = open_workstation(global, paths)?;
            let (retired, new) = keyring.rotate().map_err(key_failure)?;
            store
                .publish_signing_key(&refurbdesk_app::documents::key_record(&new), &actor.name)
                .map_err(store_failure)?;
            if global.json {
                println!(
                    "{}",
                    serde_json::to_string(&json!({"retired": retired, "active": new}))?
                );
            } else {
                if let Some(old) = &retired {
                    println!("retired key {}", old.key_id);
                }
                println!(
                    "now signing with key {} (fingerprint {})",
                    new.key_id,
                    new.fingerprint_grouped()
                );
            }
            Ok(())
        }
        KeyCommand::Export { out } => {
            let info = keyring.signer().map_err(key_failure)?.info().clone();
            let json = serde_json::to_string_pretty(&info)?;
            write_file(out, format!("{json}\n").as_bytes())?;
            if global.json {
                println!(
                    "{}",
                    serde_json::to_string(
                        &json!({"key_id": info.key_id, "file": out.display().to_string()})
                    )?
                );
            } else {
                println!("wrote public key {} to {}", info.key_id, out.display());
            }
            Ok(())
        }
    }
}
