//! `refurbdesk --site URL cert export`: every station's documents, exported from the site
//! database as they were issued.

use crate::documents::{
    sha256_hex, write_export, ExportParams, ExportResult, ExportedFiles, ListParams,
};
use crate::error::{Error, ErrorCode, Result};
use crate::progress::Progress;
use crate::site::{certificates, SiteParams};

/// Writes the PDF and signed JSON of every station's documents matching `params` (as
/// [`crate::documents::export`] does for one station's), read from the site. Files are the
/// ones issued: `lang` is refused, since printing again needs the issuing station's key.
/// Each PDF is checked against the digest its station recorded when it issued it, so a file
/// changed on the site is never exported.
pub fn export(
    site: &SiteParams,
    params: &ExportParams,
    progress: &Progress,
) -> Result<ExportResult> {
    if params.lang.is_some() {
        return Err(Error::usage(
            "at site level documents are exported as they were issued, in the language they were \
             printed in: printing one again in another language needs the key of the station \
             that issued it, so do that at that station",
        ));
    }
    let list = if params.all {
        ListParams::default()
    } else {
        ListParams {
            device: params.device.clone(),
            since: params.since,
        }
    };
    let listed = certificates(site, &list)?;
    let mut connection = site.connect()?;
    write_export(&params.out, params.zip, &listed, progress, |listed| {
        let id = listed.document.id.hyphenated().to_string();
        let station = listed.station_id;
        let files = connection.document_files(station, &id)?.ok_or_else(|| {
            Error::data(format!(
                "document {id} of station {station} was listed by the site database {} but is no \
                 longer there",
                connection.shown()
            ))
        })?;
        if sha256_hex(&files.pdf) != files.pdf_sha256 {
            return Err(Error::new(
                ErrorCode::CheckFailed,
                format!(
                    "the PDF of document {id} (station {station}) on the site database {} is not \
                     the file its station issued (its SHA-256 differs from the one recorded): \
                     nothing more was exported; the site database's check names what changed",
                    connection.shown()
                ),
            ));
        }
        Ok(ExportedFiles {
            stem: format!("{}-{id}", listed.document.kind.replace('_', "-")),
            pdf: files.pdf,
            json: files.signed_json.into_bytes(),
            summary: listed.document.clone(),
        })
    })
}
