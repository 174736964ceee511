//! The PDF signature standard readers check (PAdES baseline B-B): a `/Sig` field whose
//! `/Contents` holds a CMS SignedData (ECDSA P-256 with SHA-256, made with the organisation's
//! X.509 certificate) over every byte of the file but that `/Contents` itself.
//!
//! It sits beside the Refurbdesk seal in the same, single revision of the file: the seal covers
//! everything but its own signature and this signature's `/Contents`; this signature covers
//! everything but its own `/Contents`, the seal included. So it is made last, and a reader
//! (`pdfsig`, Acrobat, a browser) sees it cover the whole document.
//!
//! Only the CMS and X.509 structures come from crates (RustCrypto `cms`, `x509-cert`); they
//! are filled here: the signed attributes are content-type, message-digest and
//! signing-certificate-v2 (RFC 5035), as ETSI EN 319 142-1 asks of `ETSI.CAdES.detached`.

// the signing half (certificates, CMS, the signature field) is called only when printing;
// without the `print` feature (the WebAssembly verifier) only `verify` is.
#![cfg_attr(not(feature = "print"), allow(dead_code, unused_imports))]

use std::fmt;
use std::time::{Duration, SystemTime};

use chrono::{DateTime, Utc};
use cms::cert::{CertificateChoices, IssuerAndSerialNumber};
use cms::content_info::{CmsVersion, ContentInfo};
use cms::signed_data::{
    CertificateSet, EncapsulatedContentInfo, SignedData, SignerIdentifier, SignerInfo, SignerInfos,
};
use const_oid::ObjectIdentifier;
use der::asn1::{OctetString, SetOfVec, Utf8StringRef};
use der::{Any, Decode, Encode, EncodePem, Sequence};
use lopdf::{Dictionary, Object, StringFormat};
use p256::ecdsa::signature::Signer as _;
use p256::ecdsa::{DerSignature, SigningKey};
use p256::pkcs8::{DecodePrivateKey, EncodePrivateKey, EncodePublicKey, LineEnding};
use sha2::{Digest, Sha256};
use x509_cert::attr::{Attribute, AttributeTypeAndValue};
use x509_cert::ext::pkix::{BasicConstraints, KeyUsage, KeyUsages};
use x509_cert::ext::Extension;
use x509_cert::name::{Name, RdnSequence, RelativeDistinguishedName};
use x509_cert::serial_number::SerialNumber;
use x509_cert::spki::{AlgorithmIdentifierOwned, SubjectPublicKeyInfoOwned};
use x509_cert::time::{Time, Validity};
use x509_cert::Certificate;

/// The signature dictionary's `/SubFilter`.
pub const SUB_FILTER: &str = "ETSI.CAdES.detached";
/// How long a self-signed certificate is valid: ten years.
pub const SELF_SIGNED_VALIDITY: Duration = Duration::from_secs(10 * 365 * 24 * 3600);
/// Bytes reserved for the CMS structure: a self-signed certificate takes about 1 KB, a chain
/// from a certificate authority a few.
const CONTENTS_LEN: usize = 12 * 1024;
const RANGE_PLACEHOLDER: i64 = 8_888_888_888;
const FIELD_NAME: &str = "Refurbdesk signature";

const ID_DATA: ObjectIdentifier = ObjectIdentifier::new_unwrap("1.2.840.113549.1.7.1");
const ID_SIGNED_DATA: ObjectIdentifier = ObjectIdentifier::new_unwrap("1.2.840.113549.1.7.2");
const ID_CONTENT_TYPE: ObjectIdentifier = ObjectIdentifier::new_unwrap("1.2.840.113549.1.9.3");
const ID_MESSAGE_DIGEST: ObjectIdentifier = ObjectIdentifier::new_unwrap("1.2.840.113549.1.9.4");
const ID_SIGNING_CERTIFICATE_V2: ObjectIdentifier =
    ObjectIdentifier::new_unwrap("1.2.840.113549.1.9.16.2.47");
const ID_SHA256: ObjectIdentifier = ObjectIdentifier::new_unwrap("2.16.840.1.101.3.4.2.1");
const ID_EC_PUBLIC_KEY: ObjectIdentifier = ObjectIdentifier::new_unwrap("1.2.840.10045.2.1");
const ID_RSA_ENCRYPTION: ObjectIdentifier = ObjectIdentifier::new_unwrap("1.2.840.113549.1.1.1");
const ECDSA_WITH_SHA256: ObjectIdentifier = ObjectIdentifier::new_unwrap("1.2.840.10045.4.3.2");
const ID_COMMON_NAME: ObjectIdentifier = ObjectIdentifier::new_unwrap("2.5.4.3");
const ID_CE_BASIC_CONSTRAINTS: ObjectIdentifier = ObjectIdentifier::new_unwrap("2.5.29.19");
const ID_CE_KEY_USAGE: ObjectIdentifier = ObjectIdentifier::new_unwrap("2.5.29.15");
const ID_ORGANIZATION: ObjectIdentifier = ObjectIdentifier::new_unwrap("2.5.4.10");

#[derive(Debug, thiserror::Error)]
pub enum PadesError {
    #[error("the X.509 certificate cannot be used: {0}")]
    Certificate(String),
    #[error("the X.509 certificate's private key cannot be used: {0}")]
    PrivateKey(String),
    #[error("the X.509 certificate does not belong to its private key")]
    KeyMismatch,
    #[error("the PDF signature cannot be made: {0}")]
    Sign(String),
    #[error("the PKCS#12 file cannot be read: {0}")]
    Pkcs12(String),
}

/// ESSCertIDv2 (RFC 5035) with the default hash algorithm, SHA-256, left out.
#[derive(Clone, Debug, Eq, PartialEq, Sequence)]
struct EssCertIdV2 {
    cert_hash: OctetString,
}

/// SigningCertificateV2 (RFC 5035), without policies.
#[derive(Clone, Debug, Eq, PartialEq, Sequence)]
struct SigningCertificateV2 {
    certs: Vec<EssCertIdV2>,
}

/// What a person reads about an X.509 certificate.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct X509Info {
    /// The subject, as an RFC 4514 string (`CN=…,O=…`).
    pub subject: String,
    pub issuer: String,
    /// SHA-256 of the certificate (DER), hex.
    pub fingerprint: String,
    pub not_before: DateTime<Utc>,
    pub not_after: DateTime<Utc>,
    /// Issued to itself (the default) rather than by a certificate authority.
    pub self_signed: bool,
}

/// The organisation's X.509 certificate and its ECDSA P-256 key: what signs the PDF files.
#[derive(Clone)]
pub struct PdfSigner {
    key: SigningKey,
    certificate: Certificate,
    /// The certificates between it and the authority's root, from a PKCS#12 file; sent along
    /// so readers can build the chain.
    chain: Vec<Certificate>,
}

impl fmt::Debug for PdfSigner {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("PdfSigner")
            .field(
                "subject",
                &self.certificate.tbs_certificate.subject.to_string(),
            )
            .finish_non_exhaustive()
    }
}

fn der_error(error: der::Error) -> PadesError {
    PadesError::Certificate(error.to_string())
}

fn utc(time: &Time) -> DateTime<Utc> {
    DateTime::<Utc>::from(time.to_system_time())
}

impl PdfSigner {
    /// A new key and a self-signed certificate naming the organisation, valid from `now` for
    /// [`SELF_SIGNED_VALIDITY`].
    pub fn self_signed(organisation: &str, now: SystemTime) -> Result<Self, PadesError> {
        let key = loop {
            let mut seed = [0u8; 32];
            getrandom::fill(&mut seed)
                .map_err(|error| PadesError::PrivateKey(error.to_string()))?;
            // Almost every 32 bytes is a valid scalar; draw again on the rare one that is not.
            if let Ok(key) = SigningKey::from_slice(&seed) {
                break key;
            }
        };
        let name = organisation_name(organisation)?;
        let mut serial = [0u8; 16];
        getrandom::fill(&mut serial).map_err(|error| PadesError::Sign(error.to_string()))?;
        serial[0] &= 0x7f;
        serial[0] |= 0x01;
        let spki_der = key
            .verifying_key()
            .to_public_key_der()
            .map_err(|error| PadesError::PrivateKey(error.to_string()))?;
        let spki = SubjectPublicKeyInfoOwned::from_der(spki_der.as_bytes()).map_err(der_error)?;
        let not_before = now - Duration::from_secs(60);
        let extensions = vec![
            Extension {
                extn_id: ID_CE_BASIC_CONSTRAINTS,
                critical: true,
                extn_value: OctetString::new(
                    BasicConstraints {
                        ca: false,
                        path_len_constraint: None,
                    }
                    .to_der()
                    .map_err(der_error)?,
                )
                .map_err(der_error)?,
            },
            Extension {
                extn_id: ID_CE_KEY_USAGE,
                critical: true,
                extn_value: OctetString::new(
                    KeyUsage(KeyUsages::DigitalSignature | KeyUsages::NonRepudiation)
                        .to_der()
                        .map_err(der_error)?,
                )
                .map_err(der_error)?,
            },
        ];
        let tbs = x509_cert::TbsCertificate {
            version: x509_cert::Version::V3,
            serial_number: SerialNumber::new(&serial).map_err(der_error)?,
            signature: ecdsa_with_sha256(),
            issuer: name.clone(),
            validity: Validity {
                not_before: Time::try_from(not_before).map_err(der_error)?,
                not_after: Time::try_from(now + SELF_SIGNED_VALIDITY).map_err(der_error)?,
            },
            subject: name,
            subject_public_key_info: spki,
            issuer_unique_id: None,
            subject_unique_id: None,
            extensions: Some(extensions),
        };
        let signature: DerSignature = key.sign(&tbs.to_der().map_err(der_error)?);
        let certificate = Certificate {
            tbs_certificate: tbs,
            signature_algorithm: ecdsa_with_sha256(),
            signature: der::asn1::BitString::from_bytes(signature.as_bytes()).map_err(der_error)?,
        };
        Ok(Self {
            key,
            certificate,
            chain: Vec::new(),
        })
    }

    /// A signer from its certificate (PEM, then any chain certificates) and its PKCS#8 key.
    pub fn from_pem(certificates_pem: &str, key_pem: &str) -> Result<Self, PadesError> {
        let key = SigningKey::from_pkcs8_pem(key_pem).map_err(|error| {
            PadesError::PrivateKey(format!(
                "{error}; only ECDSA P-256 keys sign PDF files here"
            ))
        })?;
        let mut certificates = Certificate::load_pem_chain(certificates_pem.as_bytes())
            .map_err(der_error)?
            .into_iter();
        let certificate = certificates
            .next()
            .ok_or_else(|| PadesError::Certificate("no certificate in the file".to_owned()))?;
        Self::new(key, certificate, certificates.collect())
    }

    /// A signer from a PKCS#12 file (`.p12`, `.pfx`) as certificate authorities deliver them:
    /// its private key, the certificate of that key, and the authority's chain. Only ECDSA
    /// P-256 keys are taken (see docs/certificates.md for why not RSA).
    pub fn from_pkcs12(bytes: &[u8], password: &str) -> Result<Self, PadesError> {
        use p12_keystore::error::Error as P12Error;
        let store = p12_keystore::KeyStore::from_pkcs12(bytes, password).map_err(|error| {
            PadesError::Pkcs12(match error {
                P12Error::MacError(_) => {
                    "the password is wrong: the file's integrity check fails with it".to_owned()
                }
                P12Error::DerError(_) | P12Error::InvalidVersion => {
                    "it is not a PKCS#12 file (.p12 or .pfx)".to_owned()
                }
                other => other.to_string(),
            })
        })?;
        let (_, chain) = store
            .private_key_chain()
            .ok_or_else(|| PadesError::Pkcs12("it holds no private key".to_owned()))?;
        let key = pkcs12_key(chain.key())?;
        let mut certificates = chain
            .chain()
            .iter()
            .map(|certificate| Certificate::from_der(certificate.as_der()).map_err(der_error))
            .collect::<Result<Vec<_>, _>>()?;
        // The certificate of the key first, whatever order the file keeps them in.
        let ours = key
            .verifying_key()
            .to_public_key_der()
            .map_err(|error| PadesError::PrivateKey(error.to_string()))?;
        let leaf = certificates
            .iter()
            .position(|certificate| {
                certificate
                    .tbs_certificate
                    .subject_public_key_info
                    .to_der()
                    .is_ok_and(|der| der.as_slice() == ours.as_bytes())
            })
            .ok_or(PadesError::KeyMismatch)?;
        let certificate = certificates.remove(leaf);
        Self::new(key, certificate, certificates)
    }

    /// A signer from a key and its certificate, checked to match.
    pub fn new(
        key: SigningKey,
        certificate: Certificate,
        chain: Vec<Certificate>,
    ) -> Result<Self, PadesError> {
        let ours = key
            .verifying_key()
            .to_public_key_der()
            .map_err(|error| PadesError::PrivateKey(error.to_string()))?;
        let theirs = certificate
            .tbs_certificate
            .subject_public_key_info
            .to_der()
            .map_err(der_error)?;
        if ours.as_bytes() != theirs.as_slice() {
            return Err(PadesError::KeyMismatch);
        }
        Ok(Self {
            key,
            certificate,
            chain,
        })
    }

    /// The certificate and its chain, PEM.
    pub fn certificates_pem(&self) -> Result<String, PadesError> {
        let mut pem = String::new();
        for certificate in std::iter::once(&self.certificate).chain(&self.chain) {
            pem.push_str(&certificate.to_pem(LineEnding::LF).map_err(der_error)?);
        }
        Ok(pem)
    }

    /// The private key, PKCS#8 PEM: kept in a file only this account may read.
    pub fn key_pem(&self) -> Result<String, PadesError> {
        Ok(self
            .key
            .to_pkcs8_pem(LineEnding::LF)
            .map_err(|error| PadesError::PrivateKey(error.to_string()))?
            .to_string())
    }

    pub fn info(&self) -> X509Info {
        let tbs = &self.certificate.tbs_certificate;
        X509Info {
            subject: tbs.subject.to_string(),
            issuer: tbs.issuer.to_string(),
            fingerprint: hex::encode(Sha256::digest(self.certificate_der())),
            not_before: utc(&tbs.validity.not_before),
            not_after: utc(&tbs.validity.not_after),
            self_signed: tbs.subject == tbs.issuer,
        }
    }

    fn certificate_der(&self) -> Vec<u8> {
        self.certificate
            .to_der()
            .expect("a decoded certificate encodes again")
    }

    /// The DER CMS SignedData (detached) over content whose SHA-256 is `digest`.
    fn signed_data(&self, digest: &[u8]) -> Result<Vec<u8>, PadesError> {
        let sign_error = |error: der::Error| PadesError::Sign(error.to_string());
        let attribute = |oid, value: Any| -> Result<Attribute, PadesError> {
            Ok(Attribute {
                oid,
                values: SetOfVec::try_from(vec![value]).map_err(sign_error)?,
            })
        };
        let signing_certificate = SigningCertificateV2 {
            certs: vec![EssCertIdV2 {
                cert_hash: OctetString::new(Sha256::digest(self.certificate_der()).to_vec())
                    .map_err(sign_error)?,
            }],
        };
        let signed_attrs = SetOfVec::try_from(vec![
            attribute(
                ID_CONTENT_TYPE,
                Any::encode_from(&ID_DATA).map_err(sign_error)?,
            )?,
            attribute(
                ID_MESSAGE_DIGEST,
                Any::encode_from(&OctetString::new(digest).map_err(sign_error)?)
                    .map_err(sign_error)?,
            )?,
            attribute(
                ID_SIGNING_CERTIFICATE_V2,
                Any::encode_from(&signing_certificate).map_err(sign_error)?,
            )?,
        ])
        .map_err(sign_error)?;
        // The signature covers the attributes' DER as a SET (RFC 5652, 5.4).
        let signature: DerSignature = self.key.sign(&signed_attrs.to_der().map_err(sign_error)?);
        let tbs = &self.certificate.tbs_certificate;
        let signer_info = SignerInfo {
            version: CmsVersion::V1,
            sid: SignerIdentifier::IssuerAndSerialNumber(IssuerAndSerialNumber {
                issuer: tbs.issuer.clone(),
                serial_number: tbs.serial_number.clone(),
            }),
            digest_alg: sha256(),
            signed_attrs: Some(signed_attrs),
            signature_algorithm: ecdsa_with_sha256(),
            signature: OctetString::new(signature.as_bytes()).map_err(sign_error)?,
            unsigned_attrs: None,
        };
        let certificates = std::iter::once(&self.certificate)
            .chain(&self.chain)
            .map(|certificate| CertificateChoices::Certificate(certificate.clone()))
            .collect::<Vec<_>>();
        let signed_data = SignedData {
            version: CmsVersion::V1,
            digest_algorithms: SetOfVec::try_from(vec![sha256()]).map_err(sign_error)?,
            encap_content_info: EncapsulatedContentInfo {
                econtent_type: ID_DATA,
                econtent: None,
            },
            certificates: Some(CertificateSet(
                SetOfVec::try_from(certificates).map_err(sign_error)?,
            )),
            crls: None,
            signer_infos: SignerInfos(SetOfVec::try_from(vec![signer_info]).map_err(sign_error)?),
        };
        ContentInfo {
            content_type: ID_SIGNED_DATA,
            content: Any::encode_from(&signed_data).map_err(sign_error)?,
        }
        .to_der()
        .map_err(sign_error)
    }
}

/// The ECDSA P-256 key of a PKCS#12 file's PKCS#8 bytes, or why another kind is refused.
fn pkcs12_key(pkcs8: &[u8]) -> Result<SigningKey, PadesError> {
    let info = p256::pkcs8::PrivateKeyInfo::try_from(pkcs8)
        .map_err(|error| PadesError::PrivateKey(error.to_string()))?;
    let refused = |kind: &str| {
        PadesError::PrivateKey(format!(
            "it is {kind}; only ECDSA P-256 (prime256v1) keys sign PDF files here: ask the \
             certificate authority for a P-256 certificate"
        ))
    };
    match info.algorithm.oid {
        ID_RSA_ENCRYPTION => Err(refused("an RSA key")),
        ID_EC_PUBLIC_KEY => SigningKey::try_from(info)
            .map_err(|_| refused("an elliptic-curve key on another curve than P-256")),
        other => Err(refused(&format!("a key of algorithm {other}"))),
    }
}

fn organisation_name(organisation: &str) -> Result<Name, PadesError> {
    let value = |oid| -> Result<RelativeDistinguishedName, PadesError> {
        let text = Utf8StringRef::new(organisation).map_err(der_error)?;
        Ok(RelativeDistinguishedName(
            SetOfVec::try_from(vec![AttributeTypeAndValue {
                oid,
                value: Any::encode_from(&text).map_err(der_error)?,
            }])
            .map_err(der_error)?,
        ))
    };
    Ok(RdnSequence(vec![
        value(ID_ORGANIZATION)?,
        value(ID_COMMON_NAME)?,
    ]))
}

fn ecdsa_with_sha256() -> AlgorithmIdentifierOwned {
    AlgorithmIdentifierOwned {
        oid: ECDSA_WITH_SHA256,
        parameters: None,
    }
}

fn sha256() -> AlgorithmIdentifierOwned {
    AlgorithmIdentifierOwned {
        oid: ID_SHA256,
        parameters: None,
    }
}

/// Adds the signature field (an invisible widget on the first page), its signature dictionary
/// with placeholders, and the AcroForm that lists it.
pub(crate) fn add_field(
    doc: &mut lopdf::Document,
    signer: &PdfSigner,
    signed_at: DateTime<Utc>,
) -> Result<(), String> {
    let mut sig = Dictionary::new();
    sig.set("Type", Object::Name(b"Sig".to_vec()));
    sig.set("Filter", Object::Name(b"Adobe.PPKLite".to_vec()));
    sig.set("SubFilter", Object::Name(SUB_FILTER.as_bytes().to_vec()));
    sig.set(
        "ByteRange",
        vec![
            Object::Integer(0),
            Object::Integer(RANGE_PLACEHOLDER),
            Object::Integer(RANGE_PLACEHOLDER),
            Object::Integer(RANGE_PLACEHOLDER),
        ],
    );
    sig.set(
        "Contents",
        Object::String(vec![0; CONTENTS_LEN], StringFormat::Hexadecimal),
    );
    sig.set(
        "M",
        Object::string_literal(signed_at.format("D:%Y%m%d%H%M%S+00'00'").to_string()),
    );
    let subject = signer.info().subject;
    sig.set(
        "Name",
        Object::String(pdf_text(&subject), StringFormat::Literal),
    );
    let sig_id = doc.add_object(sig);

    let page_id = *doc
        .get_pages()
        .values()
        .next()
        .ok_or("the PDF has no page")?;
    let mut widget = Dictionary::new();
    widget.set("Type", Object::Name(b"Annot".to_vec()));
    widget.set("Subtype", Object::Name(b"Widget".to_vec()));
    widget.set("FT", Object::Name(b"Sig".to_vec()));
    widget.set(
        "T",
        Object::String(pdf_text(FIELD_NAME), StringFormat::Literal),
    );
    widget.set("V", Object::Reference(sig_id));
    widget.set("Rect", vec![0.into(), 0.into(), 0.into(), 0.into()]);
    // Print and Locked: an invisible signature that stays put.
    widget.set("F", Object::Integer(4 | 128));
    widget.set("P", Object::Reference(page_id));
    let widget_id = doc.add_object(widget);

    let page = doc
        .get_object_mut(page_id)
        .and_then(Object::as_dict_mut)
        .map_err(|error| error.to_string())?;
    match page.get_mut(b"Annots") {
        Ok(Object::Array(annots)) => annots.push(Object::Reference(widget_id)),
        Ok(_) => return Err("the first page's annotations are not inline".to_owned()),
        Err(_) => page.set("Annots", vec![Object::Reference(widget_id)]),
    }
    let mut acro_form = Dictionary::new();
    acro_form.set("Fields", vec![Object::Reference(widget_id)]);
    // SignaturesExist and AppendOnly.
    acro_form.set("SigFlags", Object::Integer(3));
    doc.catalog_mut()
        .map_err(|error| error.to_string())?
        .set("AcroForm", acro_form);
    Ok(())
}

/// A PDF text string: ASCII as is, anything else as UTF-16BE with its byte order mark.
fn pdf_text(text: &str) -> Vec<u8> {
    if text.is_ascii() {
        return text.as_bytes().to_vec();
    }
    let mut bytes = vec![0xfe, 0xff];
    for unit in text.encode_utf16() {
        bytes.extend_from_slice(&unit.to_be_bytes());
    }
    bytes
}

/// Where the signature's `/Contents` (angle brackets included) sits in a written file; its
/// `/ByteRange` is written now, so the seal made next covers it.
pub(crate) fn reserve(bytes: &mut [u8]) -> Result<(usize, usize), String> {
    let placeholder = format!("[0 {RANGE_PLACEHOLDER} {RANGE_PLACEHOLDER} {RANGE_PLACEHOLDER}]");
    let range_start = crate::pdf::find_unique(bytes, placeholder.as_bytes())
        .map_err(|_| "the PDF signature's byte range placeholder is missing")?;
    let contents = format!("/Contents<{}>", "00".repeat(CONTENTS_LEN));
    let contents_start = crate::pdf::find_unique(bytes, contents.as_bytes())
        .map_err(|_| "the PDF signature's placeholder is missing")?
        + b"/Contents".len();
    let contents_end = contents_start + contents.len() - b"/Contents".len();
    let ranges = format!(
        "[0 {} {} {}]",
        contents_start,
        contents_end,
        bytes.len() - contents_end
    );
    let padded = format!(
        "{}{}]",
        &ranges[..ranges.len() - 1],
        " ".repeat(placeholder.len() - ranges.len())
    );
    bytes[range_start..range_start + placeholder.len()].copy_from_slice(padded.as_bytes());
    Ok((contents_start, contents_end))
}

/// Signs every byte of the file but the reserved `/Contents`, and writes the signature there.
pub(crate) fn sign(
    bytes: &mut [u8],
    (start, end): (usize, usize),
    signer: &PdfSigner,
) -> Result<(), PadesError> {
    let mut hasher = Sha256::new();
    hasher.update(&bytes[..start]);
    hasher.update(&bytes[end..]);
    let cms = signer.signed_data(&hasher.finalize())?;
    let hex = hex::encode(&cms);
    let room = end - start - 2;
    if hex.len() > room {
        return Err(PadesError::Sign(format!(
            "the signature takes {} bytes, more than the {} reserved for it; use a certificate \
             with a shorter chain",
            cms.len(),
            room / 2
        )));
    }
    bytes[start + 1..start + 1 + hex.len()].copy_from_slice(hex.as_bytes());
    Ok(())
}

/// Whether `bytes[start..end]` is a `/Contents` hex string, as a PDF signature's is: the
/// Refurbdesk seal leaves exactly that out of what it covers, and nothing else.
pub(crate) fn is_signature_contents(bytes: &[u8], start: usize, end: usize) -> bool {
    end > start + 2
        && end <= bytes.len()
        && bytes[..start].ends_with(b"/Contents")
        && bytes[start] == b'<'
        && bytes[end - 1] == b'>'
        && bytes[start + 1..end - 1].iter().all(u8::is_ascii_hexdigit)
}

/// Reads a certificate back from PEM, for tests and `cert key show`.
pub fn certificate_info(pem: &str) -> Result<X509Info, PadesError> {
    // The signer's certificate comes first; an authority's chain may follow it.
    let certificate = Certificate::load_pem_chain(pem.as_bytes())
        .map_err(der_error)?
        .into_iter()
        .next()
        .ok_or_else(|| PadesError::Certificate("no certificate in the file".to_owned()))?;
    let tbs = &certificate.tbs_certificate;
    Ok(X509Info {
        subject: tbs.subject.to_string(),
        issuer: tbs.issuer.to_string(),
        fingerprint: hex::encode(Sha256::digest(certificate.to_der().map_err(der_error)?)),
        not_before: utc(&tbs.validity.not_before),
        not_after: utc(&tbs.validity.not_after),
        self_signed: tbs.subject == tbs.issuer,
    })
}

/// Checks the PDF signature whose `/Contents` is `bytes[start..end]`: its message digest is
/// that of every other byte of the file, and its ECDSA signature over the signed attributes
/// verifies with the certificate it carries. (Whether a reader trusts that certificate is the
/// reader's business; Refurbdesk's trust is the seal's Ed25519 key.)
pub(crate) fn verify(bytes: &[u8], (start, end): (usize, usize)) -> Result<(), String> {
    use der::{Reader, SliceReader};
    use p256::ecdsa::signature::Verifier as _;
    use p256::ecdsa::{Signature, VerifyingKey};

    let broken = |what: &str| format!("its {what} cannot be read");
    let cms = hex::decode(&bytes[start + 1..end - 1]).map_err(|_| broken("contents"))?;
    let mut reader = SliceReader::new(&cms).map_err(|_| broken("contents"))?;
    let content_info: ContentInfo = reader.decode().map_err(|_| broken("CMS structure"))?;
    if content_info.content_type != ID_SIGNED_DATA {
        return Err("it is not CMS signed data".to_owned());
    }
    let signed_data: SignedData = content_info
        .content
        .decode_as()
        .map_err(|_| broken("CMS structure"))?;
    let [signer_info] = signed_data.signer_infos.0.as_slice() else {
        return Err("it does not hold exactly one signer".to_owned());
    };
    let SignerIdentifier::IssuerAndSerialNumber(sid) = &signer_info.sid else {
        return Err("it names its signer by key identifier, which is not checked here".to_owned());
    };
    let certificate = signed_data
        .certificates
        .iter()
        .flat_map(|set| set.0.iter())
        .find_map(|choice| match choice {
            CertificateChoices::Certificate(certificate)
                if certificate.tbs_certificate.serial_number == sid.serial_number
                    && certificate.tbs_certificate.issuer == sid.issuer =>
            {
                Some(certificate)
            }
            _ => None,
        })
        .ok_or("it does not carry its signer's certificate")?;
    let signed_attrs = signer_info
        .signed_attrs
        .as_ref()
        .ok_or("it has no signed attributes")?;
    let digest = signed_attrs
        .iter()
        .find(|attribute| attribute.oid == ID_MESSAGE_DIGEST)
        .and_then(|attribute| attribute.values.get(0))
        .and_then(|value| value.decode_as::<OctetString>().ok())
        .ok_or("it has no message digest")?;
    let mut hasher = Sha256::new();
    hasher.update(&bytes[..start]);
    hasher.update(&bytes[end..]);
    if digest.as_bytes() != hasher.finalize().as_slice() {
        return Err("the file's bytes were changed after it was signed".to_owned());
    }
    if signer_info.signature_algorithm.oid != ECDSA_WITH_SHA256 {
        return Err(
            "it is not an ECDSA P-256 signature, which is the only kind checked here".to_owned(),
        );
    }
    let key = VerifyingKey::from_sec1_bytes(
        certificate
            .tbs_certificate
            .subject_public_key_info
            .subject_public_key
            .raw_bytes(),
    )
    .map_err(|_| broken("certificate's key"))?;
    let signature = Signature::from_der(signer_info.signature.as_bytes())
        .map_err(|_| broken("signature value"))?;
    let message = signed_attrs
        .to_der()
        .map_err(|_| broken("signed attributes"))?;
    key.verify(&message, &signature)
        .map_err(|_| "its signature does not match its signed attributes".to_owned())
}
