// Loads the certificate verifier compiled to WebAssembly (crates/verifier-wasm) and calls it
// through its plain C ABI: no generated glue, no dependency. Works in browsers (give the URL
// of refurbdesk-verifier.wasm) and in Node (give the module's bytes).
//
//   const verifier = await loadVerifier('/assets/refurbdesk-verifier.wasm');
//   const answer = verifier.verify(pdfBytes, publishedKeys);
//   // { valid: true, id, kind, key_id, sealed_by, digest, issued_at, document }
//   // or { valid: false, code, error }

/** Instantiates the module from a URL (fetched) or from its bytes. */
export async function loadVerifier(source) {
  const bytes =
    typeof source === 'string'
      ? await (await fetch(source)).arrayBuffer()
      : source;
  // The module imports nothing: it needs no host functions.
  const { instance } = await WebAssembly.instantiate(bytes, {});
  const exports = instance.exports;
  const encoder = new TextEncoder();
  const decoder = new TextDecoder();

  /** Copies bytes into the module's memory; the caller frees them. */
  function copyIn(data) {
    const ptr = exports.rd_alloc(data.length);
    new Uint8Array(exports.memory.buffer, ptr, data.length).set(data);
    return ptr;
  }

  return {
    /** Verifies a file (Uint8Array) against the published keys (an array of key objects). */
    verify(file, keys) {
      const keyBytes = encoder.encode(JSON.stringify(keys));
      const filePtr = copyIn(file);
      const keysPtr = copyIn(keyBytes);
      try {
        const len = exports.rd_verify(filePtr, file.length, keysPtr, keyBytes.length);
        // Read the answer only now: verifying may have grown (and so moved) the memory.
        const answer = new Uint8Array(exports.memory.buffer, exports.rd_result(), len);
        return JSON.parse(decoder.decode(answer));
      } finally {
        exports.rd_free(filePtr, file.length);
        exports.rd_free(keysPtr, keyBytes.length);
      }
    },
  };
}
