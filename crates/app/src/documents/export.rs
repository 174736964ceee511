//! Exporting documents as PDF and JSON files, loose or in one zip.

use std::fs;
use std::io::Write;
use std::path::{Path, PathBuf};

use chrono::{DateTime, Utc};
use refurbdesk_certificate::Lang;
use refurbdesk_store::CertificateFilter;
use serde::{Deserialize, Serialize};
use serde_json::json;
use ts_rs::TS;

use super::cases::{certificate_filter, DocumentSummary};
use super::files::{create_out_dir, file_stem, write_file_atomically};
use super::Documents;
use crate::error::{Error, ErrorCode};
use crate::progress::{Progress, ProgressReport, Running};
use crate::workstation::Workstation;

/// Which documents to export, where and how.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, TS)]
#[ts(export)]
pub struct ExportParams {
    /// Only this device's documents (an IMEI, a serial or a device id).
    pub device: Option<String>,
    /// Only those issued at or after this moment.
    pub since: Option<DateTime<Utc>>,
    /// Every document (`device` and `since` are then not looked at).
    pub all: bool,
    /// The folder to write into (created if missing).
    #[ts(type = "string")]
    pub out: PathBuf,
    /// One `refurbdesk-documents-<time>.zip` instead of loose files.
    pub zip: bool,
    /// Print every document in this language (copies are sealed with the current key); each
    /// document's own language when unset.
    #[ts(type = "\"en\" | \"fr\" | null")]
    pub lang: Option<Lang>,
}

/// What an export wrote. Fields in alphabetical order, as the CLI has always printed them.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, TS)]
#[ts(export)]
pub struct ExportResult {
    #[ts(type = "number")]
    pub count: usize,
    pub documents: Vec<DocumentSummary>,
    /// The folder written into.
    pub out: String,
    /// The archive, when the export was zipped.
    pub zip: Option<String>,
}

/// The task name of an export's progress reports.
pub const EXPORT_TASK: &str = "export";

/// Writes each matching document's PDF and signed JSON into `params.out`, or into one zip
/// there. Reports once per document written; stops between documents when `progress` is
/// cancelled, with an [`ErrorCode::Interrupted`] error whose details say how many were written
/// (an unfinished zip is removed).
pub fn export(
    ws: &mut Workstation,
    params: &ExportParams,
    progress: &Progress,
) -> Result<ExportResult, Error> {
    let filter = if params.all {
        CertificateFilter::default()
    } else {
        certificate_filter(&ws.store, params.device.as_deref(), params.since)?
    };
    let records = ws.store.list_certificates(&filter)?;
    let documents = Documents::new(&mut ws.store, &ws.paths.keys_dir);
    write_export(&params.out, params.zip, &records, progress, |record| {
        let (pdf, json) = documents.files(record, params.lang)?;
        Ok(ExportedFiles {
            stem: file_stem(record),
            pdf,
            json,
            summary: DocumentSummary::of(record, None),
        })
    })
}

/// One document's files, as an export writes them.
pub(crate) struct ExportedFiles {
    /// The file name without its extension (`erasure-certificate-<id>`).
    pub stem: String,
    pub pdf: Vec<u8>,
    pub json: Vec<u8>,
    pub summary: DocumentSummary,
}

/// Writes the files `files` gives for each of `items` into `out`, or into one zip there,
/// reporting once per document and stopping between documents when `progress` is cancelled
/// (an [`ErrorCode::Interrupted`] error whose details say how many were written; an unfinished
/// zip is removed). Shared by the station's export and the site's.
pub(crate) fn write_export<T>(
    out: &Path,
    zip: bool,
    items: &[T],
    progress: &Progress,
    mut files: impl FnMut(&T) -> Result<ExportedFiles, Error>,
) -> Result<ExportResult, Error> {
    create_out_dir(out)?;
    let mut zip = match zip {
        true => Some(Zip::create(out)?),
        false => None,
    };
    let total = items.len() as u64;
    let mut written = Vec::new();
    for item in items {
        if progress.is_cancelled() {
            break;
        }
        let ExportedFiles {
            stem,
            pdf,
            json,
            summary,
        } = match files(item) {
            Ok(files) => files,
            Err(error) => {
                if let Some(zip) = zip {
                    zip.discard();
                }
                return Err(error);
            }
        };
        match &mut zip {
            Some(zip) => {
                zip.add(&format!("{stem}.pdf"), &pdf)?;
                zip.add(&format!("{stem}.json"), &json)?;
            }
            None => {
                write_file_atomically(&out.join(format!("{stem}.pdf")), &pdf)?;
                write_file_atomically(&out.join(format!("{stem}.json")), &json)?;
            }
        }
        written.push(summary);
        progress.report(ProgressReport {
            task: EXPORT_TASK.to_owned(),
            done: written.len() as u64,
            total: Some(total),
            stage: None,
        });
    }
    if written.len() < items.len() {
        let kept = match zip {
            Some(zip) => {
                zip.discard();
                "the unfinished archive was removed".to_owned()
            }
            None => format!("the files written so far are in {}", out.display()),
        };
        return Err(Error::new(
            ErrorCode::Interrupted,
            format!(
                "the export was stopped after {} of {} documents; {kept}",
                written.len(),
                items.len()
            ),
        )
        .with_details(json!({
            "count": written.len(),
            "total": items.len(),
            "documents": written,
        })));
    }
    let zip = zip.map(Zip::finish).transpose()?;
    Ok(ExportResult {
        count: written.len(),
        documents: written,
        out: out.display().to_string(),
        zip: zip.map(|path| path.display().to_string()),
    })
}

/// Whether a running export was asked to stop.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, TS)]
#[ts(export)]
pub struct ExportCancel {
    /// False when no export was running.
    pub cancelled: bool,
}

/// Runs [`export`] as the door's running export, which [`export_cancel`] stops.
pub fn export_running(
    ws: &mut Workstation,
    params: &ExportParams,
    progress: &Progress,
    running: &Running,
) -> Result<ExportResult, Error> {
    running.begin(progress);
    let result = export(ws, params, progress);
    running.end();
    result
}

/// Stops the export running under `running` after the document it is writing; it then ends
/// with an [`ErrorCode::Interrupted`] error saying how many were written.
pub fn export_cancel(running: &Running) -> ExportCancel {
    ExportCancel {
        cancelled: running.cancel(),
    }
}

/// One export's archive, being written.
pub(crate) struct Zip {
    writer: zip::ZipWriter<fs::File>,
    path: PathBuf,
}

impl Zip {
    fn create(dir: &Path) -> Result<Self, Error> {
        let name = format!(
            "refurbdesk-documents-{}.zip",
            Utc::now().format("%Y%m%dT%H%M%SZ")
        );
        Self::create_named(dir, &name)
    }

    /// An archive named `name` in `dir`.
    pub(crate) fn create_named(dir: &Path, name: &str) -> Result<Self, Error> {
        let path = dir.join(name);
        let file = fs::File::create(&path).map_err(|error| {
            Error::from_error(ErrorCode::Data, &error)
                .context(format!("cannot create {}", path.display()))
        })?;
        Ok(Self {
            writer: zip::ZipWriter::new(file),
            path,
        })
    }

    pub(crate) fn add(&mut self, name: &str, bytes: &[u8]) -> Result<(), Error> {
        let options = zip::write::SimpleFileOptions::default();
        self.writer
            .start_file(name, options)
            .and_then(|()| self.writer.write_all(bytes).map_err(Into::into))
            .map_err(|error| Error::data(format!("cannot write the zip: {error}")))
    }

    pub(crate) fn finish(self) -> Result<PathBuf, Error> {
        self.writer
            .finish()
            .map_err(|error| Error::data(format!("cannot finish the zip: {error}")))?;
        Ok(self.path)
    }

    /// Drops an archive that will not be finished.
    fn discard(self) {
        drop(self.writer);
        let _ = fs::remove_file(&self.path);
    }
}
