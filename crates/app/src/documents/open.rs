//! A recorded document's PDF in the station's documents folder, for a door to open in the
//! system's viewer.
//!
//! The door opens only what this function hands it: a file inside the documents folder
//! (`<data dir>/documents`, where the window issues documents), named after the document and
//! holding exactly the bytes that were issued. A document issued elsewhere (the CLI's `out`
//! folder) is written there from the database, which keeps every issued PDF; a file that is not
//! the document as issued (altered, replaced) or that leads out of the folder (a link) is
//! refused rather than opened.

use std::fs;
use std::io::ErrorKind;
use std::path::{Path, PathBuf};

use serde::{Deserialize, Serialize};
use ts_rs::TS;
use uuid::Uuid;

use super::files::{create_out_dir, file_stem, write_file_atomically};
use super::sha256_hex;
use crate::error::{Error, ErrorCode, Hint, RecordKind};
use crate::workstation::Workstation;

/// Which document to open.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, TS)]
#[ts(export)]
pub struct DocumentFileParams {
    /// The document's id.
    pub id: Uuid,
}

/// The document's PDF, ready to open.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, TS)]
#[ts(export)]
pub struct DocumentFile {
    pub id: Uuid,
    /// The PDF, inside the documents folder.
    #[ts(type = "string")]
    pub path: PathBuf,
    /// True when the file was missing and has just been written from the database.
    pub written: bool,
}

/// The documents folder: where the window issues documents, and the only folder whose files a
/// door opens.
pub fn documents_dir(ws: &Workstation) -> PathBuf {
    ws.paths.data_dir.join("documents")
}

/// The PDF of document `params.id` in the documents folder, written there from the database
/// when it is missing; an error when there is no such document, or when the file there is not
/// the document as issued or lies outside the folder.
pub fn file(ws: &Workstation, params: &DocumentFileParams) -> Result<DocumentFile, Error> {
    let record = ws.store.certificate(params.id)?.ok_or_else(|| {
        Error::not_found(format!(
            "there is no document {} in {}",
            params.id,
            ws.paths.database.display()
        ))
        .with_hint(Hint::ListRecords {
            what: RecordKind::Certificates,
        })
    })?;
    let dir = documents_dir(ws);
    create_out_dir(&dir)?;
    let path = dir.join(format!("{}.pdf", file_stem(&record)));
    let written = match fs::symlink_metadata(&path) {
        Ok(_) => false,
        Err(error) if error.kind() == ErrorKind::NotFound => {
            let pdf = ws.store.certificate_pdf(record.id)?.ok_or_else(|| {
                Error::data(format!(
                    "document {} has no PDF in {}",
                    record.id,
                    ws.paths.database.display()
                ))
                .with_hint(Hint::CheckDatabase)
            })?;
            write_file_atomically(&path, &pdf)?;
            true
        }
        Err(error) => return Err(unreadable(&path, &error)),
    };
    inside(&dir, &path)?;
    let bytes = fs::read(&path).map_err(|error| unreadable(&path, &error))?;
    if sha256_hex(&bytes) != record.pdf_sha256 {
        return Err(Error::data(format!(
            "{} is not document {} as it was issued (its SHA-256 differs): it was altered or \
             replaced, so it is not opened; move it out of {} and it is written again from the \
             database",
            path.display(),
            record.id,
            dir.display()
        )));
    }
    Ok(DocumentFile {
        id: record.id,
        path,
        written,
    })
}

/// Refuses a file that resolves outside the documents folder (a link pointing elsewhere).
fn inside(dir: &Path, path: &Path) -> Result<(), Error> {
    let real_dir = fs::canonicalize(dir).map_err(|error| unreadable(dir, &error))?;
    let real = fs::canonicalize(path).map_err(|error| unreadable(path, &error))?;
    if real.parent() != Some(real_dir.as_path()) || !real.is_file() {
        return Err(Error::refused(format!(
            "{} leads to {}, outside the documents folder {}: only the folder's own files are \
             opened",
            path.display(),
            real.display(),
            real_dir.display()
        )));
    }
    Ok(())
}

fn unreadable(path: &Path, error: &std::io::Error) -> Error {
    Error::from_error(ErrorCode::Data, error).context(format!("cannot read {}", path.display()))
}
