//! The certificate verifier compiled to WebAssembly, for the page a certificate's QR code opens
//! (`refurbdesk site serve`): the customer drops a PDF (or the `.json` export) on the page, and
//! the page checks it in the browser with the same code `refurbdesk cert verify` runs, so the
//! file never leaves their machine.
//!
//! [`verify_to_json`] is the whole job, on the host as in the browser: a file and the trusted
//! public keys (JSON) in, a JSON answer out. The module exports it through a plain C ABI, so the
//! page needs no generated glue, only `js/verifier.mjs`:
//!
//! - `rd_alloc(len) -> ptr` and `rd_free(ptr, len)`: memory for the file and the keys;
//! - `rd_verify(file_ptr, file_len, keys_ptr, keys_len) -> len`: verifies and keeps the answer;
//! - `rd_result() -> ptr`: where the answer's `len` bytes of UTF-8 JSON are, until the next call.
//!
//! Built by `scripts/build-verifier` (`cargo build -p refurbdesk-verifier-wasm --lib --target
//! wasm32-unknown-unknown --release`); the module imports nothing from its host.

use refurbdesk_certificate::{verify_bytes, PublicKeyInfo, TrustedKeys, VerifyError};
use serde_json::{json, Value};

/// Verifies `file` against the public keys in `keys_json` (a JSON array of keys as the site
/// publishes them: `key_id`, `algorithm`, `public_key`, `fingerprint`, `created_at`).
///
/// The answer is `{"valid": true, "id", "kind", "key_id", "sealed_by", "digest", "issued_at",
/// "document"}` (`digest` as the QR code carries it) or `{"valid": false, "code", "error"}`,
/// `code` one of `bad_keys`, `not_a_document`, `no_embedded_data`, `seal`, `pdf_signature`,
/// `file_mismatch`, `unknown_key`, `signature`.
pub fn verify_to_json(file: &[u8], keys_json: &[u8]) -> String {
    answer(file, keys_json).to_string()
}

fn answer(file: &[u8], keys_json: &[u8]) -> Value {
    let keys: Vec<PublicKeyInfo> = match serde_json::from_slice(keys_json) {
        Ok(keys) => keys,
        Err(error) => {
            return json!({
                "valid": false,
                "code": "bad_keys",
                "error": format!("the trusted keys are not a JSON list of public keys: {error}"),
            })
        }
    };
    let mut trusted = TrustedKeys::new();
    for key in keys {
        trusted.add(key);
    }
    match verify_bytes(file, &trusted) {
        Ok(verified) => json!({
            "valid": true,
            "id": verified.document.id.hyphenated().to_string(),
            "kind": verified.document.kind().as_str(),
            "key_id": verified.key_id(),
            "sealed_by": verified.sealed_by,
            "digest": verified.signed.signature_digest(),
            "issued_at": verified.document.issued_at,
            "document": verified.signed.document,
        }),
        Err(error) => json!({
            "valid": false,
            "code": code(&error),
            "error": error.to_string(),
        }),
    }
}

/// A stable word for each way a file fails, for the page to choose its sentence by.
fn code(error: &VerifyError) -> &'static str {
    match error {
        VerifyError::NotADocument(_) => "not_a_document",
        VerifyError::NoEmbeddedData(_) => "no_embedded_data",
        VerifyError::Seal(_) => "seal",
        VerifyError::PdfSignature(_) => "pdf_signature",
        VerifyError::FileMismatch => "file_mismatch",
        VerifyError::UnknownKey(_) => "unknown_key",
        VerifyError::Signature(_) => "signature",
    }
}

#[cfg(target_arch = "wasm32")]
mod exports {
    use std::cell::RefCell;

    thread_local! {
        /// The last answer, read by the page through `rd_result`.
        static RESULT: RefCell<Vec<u8>> = const { RefCell::new(Vec::new()) };
    }

    /// Memory the page copies a file or the keys into.
    #[no_mangle]
    pub extern "C" fn rd_alloc(len: u32) -> *mut u8 {
        let mut buffer = Vec::<u8>::with_capacity(len as usize);
        let ptr = buffer.as_mut_ptr();
        std::mem::forget(buffer);
        ptr
    }

    /// Gives back memory from `rd_alloc`.
    ///
    /// # Safety
    /// `ptr` and `len` are exactly what one `rd_alloc` call gave, freed once.
    #[no_mangle]
    pub unsafe extern "C" fn rd_free(ptr: *mut u8, len: u32) {
        drop(Vec::from_raw_parts(ptr, 0, len as usize));
    }

    /// Verifies the file against the keys; returns the answer's length in bytes.
    ///
    /// # Safety
    /// Both ranges were filled by the page in memory from `rd_alloc`.
    #[no_mangle]
    pub unsafe extern "C" fn rd_verify(
        file_ptr: *const u8,
        file_len: u32,
        keys_ptr: *const u8,
        keys_len: u32,
    ) -> u32 {
        let file = std::slice::from_raw_parts(file_ptr, file_len as usize);
        let keys = std::slice::from_raw_parts(keys_ptr, keys_len as usize);
        let answer = super::verify_to_json(file, keys).into_bytes();
        let len = answer.len() as u32;
        RESULT.with(|result| *result.borrow_mut() = answer);
        len
    }

    /// Where the last answer is.
    #[no_mangle]
    pub extern "C" fn rd_result() -> *const u8 {
        RESULT.with(|result| result.borrow().as_ptr())
    }

    fn no_randomness(_: &mut [u8]) -> Result<(), getrandom_02::Error> {
        Err(getrandom_02::Error::UNSUPPORTED)
    }
    getrandom_02::register_custom_getrandom!(no_randomness);
}
