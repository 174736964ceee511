//! `refurbdesk batch report | export | certificates`: a batch's signed audit report, its
//! audit as CSV or XLSX, and its devices' certificates (`refurbdesk_app::documents`).

use std::path::PathBuf;

use clap::{Args, ValueEnum};
use refurbdesk_app::documents::{
    self, BatchCertificatesParams, BatchExportParams, BatchReportParams, SheetFormat,
};
use refurbdesk_app::{DataPaths, Workstation};
use refurbdesk_domain::Lang;

use crate::exit::Failure;
use crate::GlobalArgs;

#[derive(Debug, Args)]
pub struct ReportArgs {
    #[arg(value_name = "BATCH")]
    batch: String,
    /// The folder the PDF is written into (created if missing)
    #[arg(long, value_name = "DIR")]
    out: PathBuf,
    /// The report's language [default: the certificate.language setting]
    #[arg(long, value_name = "en|fr", value_parser = parse_lang)]
    lang: Option<Lang>,
}

#[derive(Debug, Clone, Copy, ValueEnum)]
pub enum FormatArg {
    Csv,
    Xlsx,
}

#[derive(Debug, Args)]
pub struct ExportArgs {
    #[arg(value_name = "BATCH")]
    batch: String,
    #[arg(long, value_name = "csv|xlsx")]
    format: FormatArg,
    /// The file to write
    #[arg(long, value_name = "FILE")]
    out: PathBuf,
    /// The language the adjustments' reasons are told in [default: the certificate.language
    /// setting]
    #[arg(long, value_name = "en|fr", value_parser = parse_lang)]
    lang: Option<Lang>,
}

#[derive(Debug, Args)]
pub struct CertificatesArgs {
    #[arg(value_name = "BATCH")]
    batch: String,
    /// The folder to write into (created if missing)
    #[arg(long, value_name = "DIR")]
    out: PathBuf,
    /// Write one batch-<id>-certificates.zip there instead of loose PDF files
    #[arg(long)]
    zip: bool,
}

fn parse_lang(word: &str) -> Result<Lang, String> {
    word.parse()
}

pub fn report(args: &ReportArgs, global: &GlobalArgs, paths: &DataPaths) -> Result<(), Failure> {
    let mut ws = super::acting(paths, global)?;
    let issued = documents::batch_report(
        &mut ws,
        &BatchReportParams {
            batch: args.batch.clone(),
            out: args.out.clone(),
            lang: args.lang,
        },
    )?;
    if global.json {
        println!("{}", serde_json::to_string(&issued)?);
    } else if let Some(pdf) = &issued.pdf {
        println!("{pdf}");
    }
    Ok(())
}

pub fn export(args: &ExportArgs, global: &GlobalArgs, paths: &DataPaths) -> Result<(), Failure> {
    let ws = Workstation::open_existing(paths.clone(), global.operator.clone())?;
    let exported = documents::batch_export(
        &ws,
        &BatchExportParams {
            batch: args.batch.clone(),
            format: match args.format {
                FormatArg::Csv => SheetFormat::Csv,
                FormatArg::Xlsx => SheetFormat::Xlsx,
            },
            out: args.out.clone(),
            lang: args.lang,
        },
    )?;
    if global.json {
        println!("{}", serde_json::to_string(&exported)?);
    } else {
        println!("{} ({} rows)", exported.path, exported.rows);
    }
    Ok(())
}

pub fn certificates(
    args: &CertificatesArgs,
    global: &GlobalArgs,
    paths: &DataPaths,
) -> Result<(), Failure> {
    let mut ws = Workstation::open_existing(paths.clone(), global.operator.clone())?;
    let gathered = documents::batch_certificates(
        &mut ws,
        &BatchCertificatesParams {
            batch: args.batch.clone(),
            out: args.out.clone(),
            zip: args.zip,
        },
    )?;
    if global.json {
        println!("{}", serde_json::to_string(&gathered)?);
    } else {
        match &gathered.zip {
            Some(zip) => println!("{zip} ({} certificates)", gathered.count),
            None => {
                for file in &gathered.files {
                    println!("{}", PathBuf::from(&gathered.out).join(file).display());
                }
                if gathered.files.is_empty() {
                    println!("no certificates for this batch's devices");
                }
            }
        }
    }
    Ok(())
}
