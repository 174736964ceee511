//! Documents people can check: erasure and destruction certificates and device audit reports,
//! signed with the organisation's Ed25519 key, printed as A4 PDFs in English or French, and
//! verified offline from the PDF or its JSON alone.
//!
//! - `document.rs`: what a document says (plain data; this is what is signed).
//! - `batch.rs`: the batch audit report's facts and its pages (summary, per-device table).
//! - `signed.rs`: the RFC 8785 canonical form and the Ed25519 envelope.
//! - `keys.rs`: the organisation's keys on disk, rotation, trusted public keys.
//! - `texts.rs` + `assets/locales/<lang>/certificate.ftl`: words and number formats per language.
//! - `render.rs`: which fields each kind of document shows; `layout.rs`: A4 page layout.
//! - `pdf.rs`: embedding the signed JSON and sealing the file's bytes; `verify.rs`: checking both.
//! - `qr.rs`: what the QR code says, and reading it back from a PDF or a scan.
//!
//! No database here: the caller gathers the facts (from the store) into a [`Document`] and
//! records what [`issue`] returns.

pub mod batch;
pub mod document;
pub mod keys;
#[cfg(feature = "print")]
mod layout;
pub mod pades;
mod pdf;
pub mod qr;
mod render;
pub mod samples;
mod sheet;
pub mod signed;
mod texts;
pub mod verify;

use thiserror::Error;

pub use document::{Document, DocumentKind, Lang};
pub use keys::{KeyError, Keyring, PublicKeyInfo, Signer, TrustedKeys};
#[cfg(feature = "print")]
pub use layout::missing_glyphs;
pub use pades::{PdfSigner, X509Info};
pub use pdf::{EMBEDDED_NAME, SEAL_FILTER};
pub use render::DEFAULT_DESTINATION;
pub use sheet::{Block, Logo, Sheet};
pub use signed::{SignatureError, SignedDocument};
pub use verify::{verify_bytes, Verified, VerifyError};

#[derive(Debug, Error)]
pub enum IssueError {
    #[error(transparent)]
    Signature(#[from] SignatureError),
    #[cfg(feature = "print")]
    #[error(transparent)]
    Pdf(#[from] pdf::PdfError),
    #[error("the signed data is not a document Refurbdesk knows: {0}")]
    NotADocument(String),
}

/// How documents are printed, from the settings.
#[derive(Debug, Clone, Default)]
pub struct PrintOptions {
    /// A URL for the QR code, with `{id}`, `{digest}` and `{key}` filled in; without one the
    /// QR code carries plain text naming the document and its signature digest ([`qr`]).
    pub verify_url_template: Option<String>,
    /// The organisation's logo, printed above its name.
    pub logo: Option<Logo>,
    /// The organisation's X.509 certificate and key: with one, the PDF also carries a standard
    /// signature (PAdES) that PDF readers show.
    pub pdf_signer: Option<PdfSigner>,
    /// A line for a handwritten signature under the validation of certificates.
    pub signature_line: bool,
}

/// A signed document and its two files.
#[derive(Debug, Clone)]
pub struct Issued {
    pub signed: SignedDocument,
    /// The sealed PDF with the signed JSON inside.
    pub pdf: Vec<u8>,
    /// The signed JSON alone (`.json` export).
    pub json: Vec<u8>,
}

#[cfg(feature = "print")]
/// Signs a document and prints it in `lang`.
pub fn issue(
    document: &Document,
    lang: Lang,
    signer: &Signer,
    options: &PrintOptions,
) -> Result<Issued, IssueError> {
    let signed = SignedDocument::sign(document, signer)?;
    let pdf = print_signed(document, &signed, lang, signer, options)?;
    let json = signed.to_json();
    Ok(Issued { signed, pdf, json })
}

#[cfg(feature = "print")]
/// Prints an already signed document again (another language, a lost file). The data keeps its
/// original signature; the new file is sealed by `signer`, which may be a newer key.
pub fn reprint(
    signed: &SignedDocument,
    lang: Lang,
    signer: &Signer,
    options: &PrintOptions,
) -> Result<Vec<u8>, IssueError> {
    let document: Document = serde_json::from_value(signed.document.clone())
        .map_err(|error| IssueError::NotADocument(error.to_string()))?;
    print_signed(&document, signed, lang, signer, options)
}

#[cfg(feature = "print")]
fn print_signed(
    document: &Document,
    signed: &SignedDocument,
    lang: Lang,
    signer: &Signer,
    options: &PrintOptions,
) -> Result<Vec<u8>, IssueError> {
    let qr = render::qr_payload(options.verify_url_template.as_deref(), document, signed);
    let mut sheet = render::sheet(
        document,
        lang,
        signed,
        signer.info(),
        qr,
        options.signature_line,
    );
    sheet.logo = options.logo.clone();
    let id = document.id.to_string();
    let meta = pdf::PdfMeta {
        title: &sheet.title,
        author: &document.issuer.name,
        subject: document.kind().as_str(),
        document_id: &id,
        issued_at_unix: document.issued_at.timestamp(),
    };
    Ok(pdf::write_pdf(
        &sheet,
        &meta,
        signed,
        signer,
        options.pdf_signer.as_ref(),
    )?)
}

/// The text the QR code of a signed document carries.
pub fn qr_payload(template: Option<&str>, document: &Document, signed: &SignedDocument) -> String {
    render::qr_payload(template, document, signed)
}

/// A signed document's printed form in `lang` without the PDF: the same title, fields and
/// tables the PDF prints, for showing the document elsewhere (the site's verification page).
/// `key` is the public key that signed the data; its fingerprint is printed.
pub fn sheet_of(
    signed: &SignedDocument,
    lang: Lang,
    key: &PublicKeyInfo,
) -> Result<Sheet, IssueError> {
    let document: Document = serde_json::from_value(signed.document.clone())
        .map_err(|error| IssueError::NotADocument(error.to_string()))?;
    Ok(render::sheet(
        &document,
        lang,
        signed,
        key,
        String::new(),
        false,
    ))
}
