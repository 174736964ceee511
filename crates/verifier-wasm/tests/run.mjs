// Verifies each file named on the command line with the WebAssembly module, through the same
// loader the verification page uses, and prints one JSON answer per line. Argument 1: the
// module; argument 2: the trusted keys (JSON); the rest: files. Also fails if the module
// imports anything.
import { readFileSync } from 'node:fs';
import { loadVerifier } from '../js/verifier.mjs';

const [wasmPath, keysPath, ...files] = process.argv.slice(2);
const wasm = readFileSync(wasmPath);
const imports = WebAssembly.Module.imports(new WebAssembly.Module(wasm));
if (imports.length !== 0) {
  console.error(`the module imports ${JSON.stringify(imports)}`);
  process.exit(3);
}
const verifier = await loadVerifier(wasm);
const keys = JSON.parse(readFileSync(keysPath, 'utf8'));
for (const file of files) {
  console.log(JSON.stringify(verifier.verify(new Uint8Array(readFileSync(file)), keys)));
}
