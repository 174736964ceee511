//! Writing documents to disk: atomically, so a reader never sees half a certificate.

use std::fs;
use std::path::Path;

use refurbdesk_store::CertificateRecord;

use crate::error::{Error, ErrorCode};

/// Writes a file atomically: the bytes go to a `.part` file beside it, renamed into place once
/// they are all written.
pub fn write_file_atomically(path: &Path, bytes: &[u8]) -> Result<(), Error> {
    let tmp = path.with_extension("part");
    fs::write(&tmp, bytes)
        .and_then(|()| fs::rename(&tmp, path))
        .map_err(|error| {
            let _ = fs::remove_file(&tmp);
            Error::from_error(ErrorCode::Data, &error)
                .context(format!("cannot write {}", path.display()))
        })
}

/// Creates the folder documents are written into, and its parents.
pub(crate) fn create_out_dir(dir: &Path) -> Result<(), Error> {
    fs::create_dir_all(dir).map_err(|error| {
        Error::from_error(ErrorCode::Data, &error)
            .context(format!("cannot create the folder {}", dir.display()))
    })
}

/// A document's file name without its extension: `erasure-certificate-<id>`.
pub(crate) fn file_stem(record: &CertificateRecord) -> String {
    format!("{}-{}", record.kind.replace('_', "-"), record.id)
}
