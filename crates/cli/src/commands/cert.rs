//! `refurbdesk cert`: issue, verify, void, list and export signed documents (erasure and
//! destruction certificates, device audit reports), and manage the signing key.

use std::path::PathBuf;

use anyhow::anyhow;
use chrono::{DateTime, NaiveDate, Utc};
use clap::{ArgGroup, Args, Subcommand};
use indicatif::{ProgressBar, ProgressStyle};
use refurbdesk_app::documents::{
    self, DestroyParams, DocumentSummary, ExportKeyParams, ExportParams, ImportX509Params,
    IssueParams, ListParams, ReportParams, Verification, VerifyParams, VerifyQrParams, VoidParams,
};
use refurbdesk_app::{Cancel, DataPaths, Progress, Workstation};
use refurbdesk_domain::Lang;
use uuid::Uuid;

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
    /// The erasure's id (printed by `refurbdesk erase`; `refurbdesk erase list` lists them)
    #[arg(long, value_name = "ID")]
    erasure: String,
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
    /// Issue a new certificate for an erasure that already has one; it names the one it
    /// replaces, which stays valid (needs --reason)
    #[arg(long, requires = "reason")]
    reissue: bool,
    /// Why the certificate is issued again (with --reissue)
    #[arg(long, value_name = "TEXT", requires = "reissue")]
    reason: Option<String>,
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
    #[arg(required_unless_present = "qr", conflicts_with = "qr")]
    file: Option<PathBuf>,
    /// Read the QR code of a printed document from a scan or photo (PNG) or from its PDF, and
    /// verify the document it names as kept in this workstation's database
    #[arg(long, value_name = "IMAGE_OR_PDF", conflicts_with = "pubkey")]
    qr: Option<PathBuf>,
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
        /// Write the X.509 certificate PDF files are signed with (PEM) instead, for PDF
        /// readers that should trust it
        #[arg(long)]
        x509: bool,
    },
    /// Sign PDF files from now on with the organisation's certificate from a certificate
    /// authority (a PKCS#12 .p12/.pfx file with an ECDSA P-256 key). The password is read from
    /// REFURBDESK_P12_PASSWORD, else asked on the terminal, else read as one line of standard input
    #[command(name = "import-x509")]
    ImportX509 {
        #[arg(value_name = "FILE.p12")]
        file: PathBuf,
    },
}

/// Where `cert key import-x509` reads the PKCS#12 file's password first.
const P12_PASSWORD_ENV: &str = "REFURBDESK_P12_PASSWORD";

/// The PKCS#12 file's password: from the environment, else asked on the terminal without echo,
/// else one line of standard input (a script's pipe).
fn read_p12_password(file: &std::path::Path) -> Result<String, Failure> {
    use std::io::{BufRead, IsTerminal};
    if let Ok(password) = std::env::var(P12_PASSWORD_ENV) {
        return Ok(password);
    }
    if std::io::stdin().is_terminal() {
        return Ok(rpassword::prompt_password(format!(
            "password of {}: ",
            file.display()
        ))?);
    }
    let mut line = String::new();
    std::io::stdin().lock().read_line(&mut line)?;
    Ok(line.trim_end_matches(['\n', '\r']).to_owned())
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

pub(crate) fn parse_since(text: &str) -> Result<DateTime<Utc>, String> {
    if let Ok(moment) = DateTime::parse_from_rfc3339(text) {
        return Ok(moment.with_timezone(&Utc));
    }
    NaiveDate::parse_from_str(text, "%Y-%m-%d")
        .map(|date| date.and_hms_opt(0, 0, 0).expect("midnight").and_utc())
        .map_err(|_| format!("{text:?} is not a date: use YYYY-MM-DD or an RFC 3339 moment"))
}

/// The workstation for a command that records (issuing, voiding, rotating the key).
fn open(global: &GlobalArgs, paths: &DataPaths) -> Result<Workstation, Failure> {
    super::acting(paths, global)
}

/// The workstation for a command that only reads its database.
fn open_existing(global: &GlobalArgs, paths: &DataPaths) -> Result<Workstation, Failure> {
    Ok(Workstation::open_existing(
        paths.clone(),
        global.operator.clone(),
    )?)
}

/// Prints a value as one line of JSON.
fn print_json(value: &impl serde::Serialize) -> Result<(), Failure> {
    println!("{}", serde_json::to_string(value)?);
    Ok(())
}

pub fn run(command: &CertCommand, global: &GlobalArgs, paths: &DataPaths) -> Result<(), Failure> {
    match command {
        CertCommand::Verify(args) => verify(args, global, paths),
        CertCommand::Key(command) => key(command, global, paths),
        CertCommand::List(args) => list(args, global, paths),
        CertCommand::Export(args) => export(args, global, paths),
        CertCommand::Issue(args) => {
            let params = IssueParams {
                erasure: refurbdesk_app::erase::parse_erasure_id(&args.erasure)?,
                out: args.out.out.clone(),
                lang: args.out.lang,
                property_number: args.property_number.clone(),
                source: args.source.clone(),
                classification: args.classification.clone(),
                backed_up: args.backed_up,
                destination: args.destination.clone(),
                reissue_reason: args.reason.clone().filter(|_| args.reissue),
            };
            let issued = documents::issue(&mut open(global, paths)?, &params)?;
            print_issued(&issued, global)
        }
        CertCommand::Report(args) => {
            let params = ReportParams {
                device: args.device.clone(),
                out: args.out.out.clone(),
                lang: args.out.lang,
            };
            let issued = documents::report(&mut open(global, paths)?, &params)?;
            print_issued(&issued, global)
        }
        CertCommand::Destroy(args) => {
            let params = DestroyParams {
                method: args.method.clone(),
                witness: args.witness.clone(),
                witness_title: args.witness_title.clone(),
                witness_organisation: args.witness_organisation.clone(),
                device: args.device.clone(),
                make: args.make.clone(),
                model: args.model.clone(),
                serial: args.serial.clone(),
                media_type: args.media_type.clone(),
                size: args.size,
                property_number: args.property_number.clone(),
                source: args.source.clone(),
                classification: args.classification.clone(),
                details: args.details.clone(),
                evidence: args.evidence.clone(),
                destination: args.destination.clone(),
                out: args.out.out.clone(),
                lang: args.out.lang,
            };
            // Checked before a database is created for it.
            documents::check_destroy(&params)?;
            let issued = documents::destroy(&mut super::acting_creating(paths, global)?, &params)?;
            print_issued(&issued, global)
        }
        CertCommand::Void(args) => {
            let params = VoidParams {
                id: args.id,
                reason: args.reason.clone(),
            };
            let voided = documents::void(&mut open(global, paths)?, &params)?;
            if global.json {
                print_json(&voided)
            } else {
                println!("voided {} ({}): {}", voided.id, voided.kind, args.reason);
                Ok(())
            }
        }
    }
}

fn print_issued(issued: &DocumentSummary, global: &GlobalArgs) -> Result<(), Failure> {
    if global.json {
        return print_json(issued);
    }
    println!("issued {} {}", issued.kind, issued.id);
    if let Some(replaced) = issued.replaces {
        println!("replaces certificate {replaced}, which stays valid");
    }
    if let Some(pdf) = &issued.pdf {
        println!("{pdf}");
    }
    Ok(())
}

fn verify(args: &VerifyArgs, global: &GlobalArgs, paths: &DataPaths) -> Result<(), Failure> {
    let (verification, from_qr) = match (&args.qr, &args.file) {
        (Some(image), _) => {
            let found = documents::verify_qr(
                paths,
                &VerifyQrParams {
                    image: image.clone(),
                },
            )?;
            if global.json {
                print_json(&found)?;
            } else {
                println!("QR code: {}", found.qr_text.replace('\n', " "));
            }
            (found.verification, Some(found.digest_checked))
        }
        (None, Some(file)) => {
            let params = VerifyParams {
                file: file.clone(),
                pubkey: args.pubkey.clone(),
            };
            // With a site named, the void state is the site's: a certificate voided at any
            // station.
            let verification = match &global.site {
                Some(url) => refurbdesk_app::site::verify(
                    paths,
                    &params,
                    &refurbdesk_app::site::SiteParams {
                        url: Some(url.clone()),
                    },
                )?,
                None => documents::verify(paths, &params)?,
            };
            if global.json {
                print_json(&verification)?;
            }
            (verification, None)
        }
        (None, None) => unreachable!("clap requires a file or --qr"),
    };
    match verification {
        Verification {
            valid: true,
            id: Some(id),
            kind: Some(kind),
            key_id: Some(key_id),
            sealed_by,
            replaces,
            replaced_by,
            ..
        } => {
            if !global.json {
                let sealed = match (&sealed_by, from_qr) {
                    (_, Some(true)) => ", as issued here; the QR code's digest matches".to_owned(),
                    (_, Some(false)) => {
                        ", as issued here; the QR code carries no digest to compare".to_owned()
                    }
                    (Some(seal), None) if *seal != key_id => {
                        format!(", file sealed by key {seal}")
                    }
                    (Some(_), None) => ", every byte of the file sealed".to_owned(),
                    (None, None) => ", data only (JSON)".to_owned(),
                };
                println!("valid: {kind} {id} signed by key {key_id}{sealed}");
                if let Some(replaced) = replaces {
                    println!("replaces certificate {replaced}, which stays valid");
                }
                if let Some(by) = replaced_by {
                    println!(
                        "replaced by certificate {} (issued {} by {}: {}); this one stays valid",
                        by.id,
                        by.at.format("%Y-%m-%d %H:%M UTC"),
                        by.by,
                        by.reason
                    );
                }
            }
            Ok(())
        }
        Verification { problem, .. } => Err(Failure::new(
            Exit::CheckFailed,
            anyhow!("invalid: {}", problem.unwrap_or_default()),
        )),
    }
}

fn list(args: &ListArgs, global: &GlobalArgs, paths: &DataPaths) -> Result<(), Failure> {
    let params = ListParams {
        device: args.device.clone(),
        since: args.since,
    };
    // With --site, every station's documents, void state from the site.
    if let Some(url) = &global.site {
        let listed = refurbdesk_app::site::certificates(
            &refurbdesk_app::site::SiteParams {
                url: Some(url.clone()),
            },
            &params,
        )?;
        if global.json {
            return print_json(&listed);
        }
        let documents: Vec<_> = listed.iter().map(|line| line.document.clone()).collect();
        let stations: Vec<String> = listed
            .iter()
            .map(|line| line.station_id.to_string())
            .collect();
        print_list(&documents, Some(&stations));
        return Ok(());
    }
    let listed = documents::list(&open_existing(global, paths)?, &params)?;
    if global.json {
        return print_json(&listed);
    }
    print_list(&listed, None);
    Ok(())
}

/// One line per document; with `stations` (the site's list), the issuing station after who
/// issued it.
fn print_list(listed: &[documents::DocumentSummary], stations: Option<&[String]>) {
    if listed.is_empty() {
        println!("no documents");
    }
    for (index, document) in listed.iter().enumerate() {
        println!(
            "{}  {:<23}  {}  {}  {}{}{}",
            document.id,
            document.kind,
            document.issued_at.format("%Y-%m-%d %H:%M"),
            document.lang,
            document.issued_by,
            match stations.and_then(|stations| stations.get(index)) {
                Some(station) => format!("  station {station}"),
                None => String::new(),
            },
            match &document.void_reason {
                Some(reason) => format!("  VOID: {reason}"),
                None => String::new(),
            }
        );
        if let Some(replaced) = document.replaces {
            println!("    replaces {replaced}");
        }
        if let Some(by) = document.replaced_by {
            println!("    replaced by {by}");
        }
    }
}

fn export(args: &ExportArgs, global: &GlobalArgs, paths: &DataPaths) -> Result<(), Failure> {
    let params = ExportParams {
        device: args.device.clone(),
        since: args.since,
        all: args.all,
        out: args.out.clone(),
        zip: args.zip,
        lang: args.lang,
    };
    let bar = if global.json {
        ProgressBar::hidden()
    } else {
        ProgressBar::no_length().with_style(
            ProgressStyle::with_template("{bar:40} {pos}/{len} documents {elapsed}")
                .expect("a valid template"),
        )
    };
    let progress = {
        let bar = bar.clone();
        Progress::new(
            move |report| {
                if let Some(total) = report.total {
                    bar.set_length(total);
                }
                bar.set_position(report.done);
            },
            Cancel::new(),
        )
    };
    // With --site, every station's documents as the site holds them.
    let exported = match &global.site {
        Some(url) => refurbdesk_app::site_export::export(
            &refurbdesk_app::site::SiteParams {
                url: Some(url.clone()),
            },
            &params,
            &progress,
        ),
        None => documents::export(&mut open_existing(global, paths)?, &params, &progress),
    };
    bar.finish_and_clear();
    let exported = exported?;
    if global.json {
        return print_json(&exported);
    }
    println!(
        "exported {} documents to {}",
        exported.count,
        exported.zip.as_deref().unwrap_or(&exported.out)
    );
    Ok(())
}

fn key(command: &KeyCommand, global: &GlobalArgs, paths: &DataPaths) -> Result<(), Failure> {
    match command {
        KeyCommand::Show => {
            let keys = documents::show_keys(paths)?;
            if global.json {
                return print_json(&keys);
            }
            match &keys.active {
                Some(info) => println!(
                    "active key {} (fingerprint {}) in {}",
                    info.key_id,
                    info.fingerprint_grouped(),
                    keys.keys_dir
                ),
                None => println!(
                    "no signing key yet in {}: the first certificate creates one",
                    keys.keys_dir
                ),
            }
            match &keys.pdf_certificate {
                Some(certificate) => println!(
                    "PDF signing certificate {} ({}), fingerprint {}, expires {}",
                    certificate.subject,
                    if certificate.self_signed {
                        "self-signed".to_owned()
                    } else {
                        format!("issued by {}", certificate.issuer)
                    },
                    certificate.fingerprint,
                    certificate.not_after.format("%Y-%m-%d")
                ),
                None => {
                    println!("no PDF signing certificate yet: the first certificate creates one")
                }
            }
            for info in &keys.trusted {
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
            let rotated = documents::rotate_key(&mut open(global, paths)?)?;
            if global.json {
                return print_json(&rotated);
            }
            if let Some(old) = &rotated.retired {
                println!("retired key {}", old.key_id);
            }
            println!(
                "now signing with key {} (fingerprint {})",
                rotated.active.key_id,
                rotated.active.fingerprint_grouped()
            );
            Ok(())
        }
        KeyCommand::Export { out, x509: true } => {
            let params = ExportKeyParams { out: out.clone() };
            let exported = documents::export_certificate(paths, &params)?;
            if global.json {
                return print_json(&exported);
            }
            println!(
                "wrote the PDF signing certificate {} (fingerprint {}) to {}",
                exported.subject, exported.fingerprint, exported.file
            );
            Ok(())
        }
        KeyCommand::ImportX509 { file } => {
            let mut ws = open(global, paths)?;
            let params = ImportX509Params {
                file: file.clone(),
                password: read_p12_password(file)?,
            };
            let imported = documents::import_x509(&mut ws, &params)?;
            if global.json {
                return print_json(&imported);
            }
            println!(
                "PDF files are now signed with {} issued by {} (fingerprint {}, valid until {})",
                imported.subject,
                imported.issuer,
                imported.fingerprint,
                imported.not_after.format("%Y-%m-%d")
            );
            Ok(())
        }
        KeyCommand::Export { out, x509: false } => {
            let params = ExportKeyParams { out: out.clone() };
            let exported = documents::export_key(paths, &params)?;
            if global.json {
                return print_json(&exported);
            }
            println!("wrote public key {} to {}", exported.key_id, exported.file);
            Ok(())
        }
    }
}
