//! The signed envelope: a document's data, canonicalised with RFC 8785 (JCS) and signed with
//! Ed25519. The same envelope is the `.json` export and the file embedded in the PDF, so either
//! verifies on its own with nothing but the public key.

use ed25519_dalek::{Signature, Verifier};
use serde::{Deserialize, Serialize};
use sha2::{Digest, Sha256};
use thiserror::Error;

use crate::keys::{Signer, TrustedKeys, ALGORITHM};

/// How the signed bytes are made from `document`.
pub const CANONICALIZATION: &str = "RFC8785";

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct SignedDocument {
    /// The document's data exactly as signed (its canonical form is what the signature covers).
    pub document: serde_json::Value,
    pub signature: DocumentSignature,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct DocumentSignature {
    pub algorithm: String,
    pub canonicalization: String,
    pub key_id: String,
    /// The signer's public key, hex; a verifier still looks the key id up in its own trusted
    /// keys and refuses a document whose key it does not know.
    pub public_key: String,
    /// 64 bytes, hex.
    pub value: String,
}

#[derive(Debug, Error, PartialEq, Eq)]
pub enum SignatureError {
    #[error("the document data cannot be canonicalised: {0}")]
    Canonical(String),
    #[error("signed with {0}, which Refurbdesk does not verify (only Ed25519)")]
    Algorithm(String),
    #[error("unknown key {0}: it is not among the trusted public keys; verify it against the organisation's published public key")]
    UnknownKey(String),
    #[error("key {0} is trusted with a different public key than the one the document names: the key was swapped")]
    KeyMismatch(String),
    #[error(
        "signature mismatch: the data was changed after it was signed, or signed by another key"
    )]
    Mismatch,
    #[error("the signature is not 128 hex digits")]
    Malformed,
}

/// RFC 8785 bytes of a JSON value.
pub fn canonical_bytes(value: &serde_json::Value) -> Result<Vec<u8>, SignatureError> {
    serde_json_canonicalizer::to_vec(value)
        .map_err(|error| SignatureError::Canonical(error.to_string()))
}

impl SignedDocument {
    /// Signs `document` (any serialisable data) with the active key.
    pub fn sign<T: Serialize>(document: &T, signer: &Signer) -> Result<Self, SignatureError> {
        let document = serde_json::to_value(document)
            .map_err(|error| SignatureError::Canonical(error.to_string()))?;
        let bytes = canonical_bytes(&document)?;
        let signature = signer.sign(&bytes);
        Ok(Self {
            document,
            signature: DocumentSignature {
                algorithm: ALGORITHM.to_owned(),
                canonicalization: CANONICALIZATION.to_owned(),
                key_id: signer.key_id().to_owned(),
                public_key: signer.info().public_key.clone(),
                value: hex::encode(signature),
            },
        })
    }

    /// Checks the signature with a trusted key. The document's own `public_key` is only used to
    /// tell "unknown key" from "swapped key"; trust comes from `trusted`.
    pub fn verify(&self, trusted: &TrustedKeys) -> Result<(), SignatureError> {
        let signature = &self.signature;
        if signature.algorithm != ALGORITHM {
            return Err(SignatureError::Algorithm(signature.algorithm.clone()));
        }
        if signature.canonicalization != CANONICALIZATION {
            return Err(SignatureError::Canonical(format!(
                "unknown canonicalization {:?}",
                signature.canonicalization
            )));
        }
        let info = trusted
            .get(&signature.key_id)
            .ok_or_else(|| SignatureError::UnknownKey(signature.key_id.clone()))?;
        if info.public_key != signature.public_key {
            return Err(SignatureError::KeyMismatch(signature.key_id.clone()));
        }
        let key = info
            .verifying_key()
            .map_err(|_| SignatureError::UnknownKey(signature.key_id.clone()))?;
        let bytes = canonical_bytes(&self.document)?;
        let value = self.signature_bytes()?;
        key.verify(&bytes, &Signature::from_bytes(&value))
            .map_err(|_| SignatureError::Mismatch)
    }

    pub fn signature_bytes(&self) -> Result<[u8; 64], SignatureError> {
        hex::decode(&self.signature.value)
            .ok()
            .and_then(|bytes| bytes.try_into().ok())
            .ok_or(SignatureError::Malformed)
    }

    /// The first 16 hex digits of the signature's SHA-256: what the QR code and the page
    /// footer show, so a printed copy can be matched with its data.
    pub fn signature_digest(&self) -> String {
        let digest = Sha256::digest(self.signature.value.as_bytes());
        hex::encode(&digest[..8])
    }

    /// The envelope as written to a `.json` file or embedded in a PDF.
    pub fn to_json(&self) -> Vec<u8> {
        let mut bytes = serde_json::to_vec_pretty(self).expect("a JSON value serialises");
        bytes.push(b'\n');
        bytes
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    fn trusted(signer: &Signer) -> TrustedKeys {
        let mut trusted = TrustedKeys::new();
        trusted.add(signer.info().clone());
        trusted
    }

    #[test]
    fn canonical_form_sorts_keys_and_formats_numbers_like_ecmascript() {
        let value = json!({"b": 1.0, "a": [1e21, 0.000001, "é"], "c": {"z": null, "y": true}});
        let bytes = canonical_bytes(&value).unwrap();
        assert_eq!(
            String::from_utf8(bytes).unwrap(),
            r#"{"a":[1e+21,0.000001,"é"],"b":1,"c":{"y":true,"z":null}}"#
        );
    }

    #[test]
    fn a_signed_document_verifies_and_any_changed_field_does_not() {
        let signer = Signer::ephemeral([1; 32]);
        let signed =
            SignedDocument::sign(&json!({"id": "x", "bytes": 4096, "ok": true}), &signer).unwrap();
        signed.verify(&trusted(&signer)).unwrap();

        let mut changed = signed.clone();
        changed.document["bytes"] = json!(4097);
        assert_eq!(
            changed.verify(&trusted(&signer)),
            Err(SignatureError::Mismatch)
        );

        let mut reordered: SignedDocument = serde_json::from_str(
            r#"{"document":{"ok":true,"bytes":4096,"id":"x"},"signature":null}"#
                .replace("null", &serde_json::to_string(&signed.signature).unwrap())
                .as_str(),
        )
        .unwrap();
        reordered.verify(&trusted(&signer)).unwrap();
        reordered.signature.value.replace_range(0..2, "00");
        assert!(reordered.verify(&trusted(&signer)).is_err());
    }

    #[test]
    fn an_unknown_or_swapped_key_is_named() {
        let signer = Signer::ephemeral([1; 32]);
        let other = Signer::ephemeral([2; 32]);
        let signed = SignedDocument::sign(&json!({"id": "x"}), &signer).unwrap();
        assert_eq!(
            signed.verify(&trusted(&other)),
            Err(SignatureError::UnknownKey(signer.key_id().to_owned()))
        );
        let mut swapped = signed.clone();
        swapped.signature.public_key = other.info().public_key.clone();
        assert_eq!(
            swapped.verify(&trusted(&signer)),
            Err(SignatureError::KeyMismatch(signer.key_id().to_owned()))
        );
    }
}
