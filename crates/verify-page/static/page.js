// The verification page's drop zone: checks a PDF (or the signed JSON export) in this browser
// with the Rust verifier compiled to WebAssembly. The file is read here and never sent.
import { loadVerifier } from "/assets/verifier.mjs";

const data = JSON.parse(document.getElementById("verify-data").textContent);
const drop = document.querySelector('[data-testid="verify-drop"]');
const input = document.querySelector('[data-testid="verify-file"]');
const result = document.querySelector('[data-testid="verify-result"]');
const detail = document.querySelector('[data-testid="verify-detail"]');

let verifier = null;

function show(kind, text, more = "") {
  result.dataset.result = kind;
  result.className = `result ${kind}`;
  result.textContent = text;
  detail.textContent = more;
}

async function check(file) {
  show("checking", data.words.checking);
  try {
    verifier ??= await loadVerifier("/assets/refurbdesk-verifier.wasm");
    const bytes = new Uint8Array(await file.arrayBuffer());
    const answer = verifier.verify(bytes, data.keys);
    if (!answer.valid) {
      // The verifier's reason is technical English; the sentence above it is in the page's language.
      show("invalid", data.words.invalid, answer.error ?? "");
    } else if (answer.id !== data.id) {
      show("other", data.words.other.replace("@ID@", answer.id));
    } else if (data.state === "voided") {
      show("voided", data.words.matchVoided);
    } else if (data.state === "invalid") {
      // The file is intact, but the site's own copy of the document is not to be trusted.
      show("invalid", data.words.invalid);
    } else {
      show("match", data.words.match);
    }
  } catch (error) {
    show("error", data.words.error, String(error && error.message ? error.message : error));
  }
}

input.addEventListener("change", () => {
  if (input.files && input.files.length > 0) check(input.files[0]);
});
drop.addEventListener("dragover", (event) => {
  event.preventDefault();
  drop.classList.add("over");
});
drop.addEventListener("dragleave", () => drop.classList.remove("over"));
drop.addEventListener("drop", (event) => {
  event.preventDefault();
  drop.classList.remove("over");
  const file = event.dataTransfer && event.dataTransfer.files[0];
  if (file) check(file);
});
