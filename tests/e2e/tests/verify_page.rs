//! The page a certificate's QR code opens (`refurbdesk site serve`), in Debian's headless
//! Chromium through chromedriver, as a customer would use it: a station issues a certificate
//! whose QR code carries the page's address and pushes it to a real PostgreSQL site; the browser
//! opens the address the QR code holds, checks the PDF in the page (the Rust verifier compiled
//! to WebAssembly), then a byte-flipped copy, then the same page once the certificate is voided,
//! and an unknown id. A screenshot of each state, in English and French, is left under
//! `target/e2e-artifacts/verify-page/`.
//!
//! Needs the release CLI (`cargo build --release -p refurbdesk-cli`) and the verifier module
//! (`scripts/build-verifier`); the test command builds both.

use std::io::{BufRead, BufReader};
use std::path::{Path, PathBuf};
use std::process::{Child, Command, Stdio};
use std::time::Duration;

use refurbdesk_e2e::{artifacts_dir, cli_binary, target_dir, WebDriverSession};
use refurbdesk_pg_test::PgServer;
use serde_json::Value;

const WAIT: Duration = Duration::from_secs(30);

/// The CLI with a station of its own under `home`.
fn refurbdesk(home: &Path) -> Command {
    let mut command = Command::new(cli_binary());
    command
        .env("XDG_DATA_HOME", home.join("share"))
        .env("HOME", home)
        .env("REFURBDESK_DB", home.join("station.db"))
        .env_remove("REFURBDESK_OPERATOR")
        .env_remove("REFURBDESK_KEYS_DIR")
        .env_remove("REFURBDESK_SITE");
    command
}

/// Runs the CLI and returns its standard output, failing the test with its error otherwise.
fn run(home: &Path, args: &[&str]) -> String {
    let output = refurbdesk(home)
        .args(args)
        .output()
        .expect("the refurbdesk CLI runs");
    assert!(
        output.status.success(),
        "refurbdesk {args:?} failed: {}{}",
        String::from_utf8_lossy(&output.stdout),
        String::from_utf8_lossy(&output.stderr)
    );
    String::from_utf8(output.stdout).expect("UTF-8 output")
}

fn json(home: &Path, args: &[&str]) -> Value {
    let out = run(home, args);
    serde_json::from_str(&out).unwrap_or_else(|e| panic!("{args:?} printed no JSON ({e}): {out}"))
}

/// `refurbdesk site serve` on a free port; killed when dropped.
struct Server {
    child: Child,
    address: String,
}

impl Server {
    fn start(home: &Path, site: &str) -> Server {
        let verifier = target_dir().join("verifier");
        assert!(
            verifier.join("refurbdesk-verifier.wasm").is_file(),
            "no verifier module in {}: run scripts/build-verifier first",
            verifier.display()
        );
        let mut child = refurbdesk(home)
            .args(["--json", "--site", site, "site", "serve"])
            .args(["--listen", "127.0.0.1:0", "--verifier"])
            .arg(&verifier)
            .stdout(Stdio::piped())
            .stderr(Stdio::inherit())
            .spawn()
            .expect("refurbdesk site serve starts");
        let mut line = String::new();
        BufReader::new(child.stdout.take().expect("piped stdout"))
            .read_line(&mut line)
            .expect("site serve says where it listens");
        let ready: Value = serde_json::from_str(&line)
            .unwrap_or_else(|e| panic!("site serve's first line is not JSON ({e}): {line:?}"));
        Server {
            child,
            address: ready["listening"].as_str().expect("an address").to_owned(),
        }
    }
}

impl Drop for Server {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

fn shot(browser: &WebDriverSession, name: &str) {
    let path: PathBuf = artifacts_dir()
        .join("verify-page")
        .join(format!("{name}.png"));
    browser.screenshot(&path).expect("a screenshot");
}

/// What the drop zone said of the file at `path`: its `data-result`, and the result's text.
fn check_file(browser: &WebDriverSession, path: &Path) -> (String, String) {
    let input = browser
        .wait_for("[data-testid=verify-file]", WAIT)
        .expect("the drop zone's file input");
    browser
        .type_into(&input, &path.display().to_string())
        .expect("the file is chosen");
    let start = std::time::Instant::now();
    loop {
        let result = browser
            .wait_for("[data-testid=verify-result]", WAIT)
            .expect("the result line");
        let state = browser
            .attribute(&result, "data-result")
            .expect("data-result")
            .unwrap_or_default();
        if !state.is_empty() && state != "checking" {
            let text = browser.text(&result).expect("the result's text");
            return (state, text);
        }
        assert!(
            start.elapsed() < WAIT,
            "the page never finished checking {path:?}"
        );
        std::thread::sleep(Duration::from_millis(100));
    }
}

fn status(browser: &WebDriverSession) -> (String, String) {
    let element = browser
        .wait_for("[data-testid=verify-status]", WAIT)
        .expect("the page's status");
    (
        browser
            .attribute(&element, "data-state")
            .expect("data-state")
            .unwrap_or_default(),
        browser.text(&element).expect("the status text"),
    )
}

fn html_lang(browser: &WebDriverSession) -> String {
    browser
        .execute(
            "return document.documentElement.lang",
            serde_json::json!([]),
        )
        .expect("the page's language")
        .as_str()
        .unwrap_or_default()
        .to_owned()
}

#[test]
fn a_customer_checks_a_certificate_on_the_page_its_qr_code_opens() {
    let home = tempfile::tempdir().expect("a temporary folder");
    let home = home.path();
    let site = PgServer::shared().fresh_database();
    run(home, &["--site", &site, "site", "init"]);
    let server = Server::start(home, &site);
    let base = format!("http://{}", server.address);

    // The station prints the page's address in every certificate's QR code.
    run(
        home,
        &[
            "settings",
            "set",
            "organisation.name",
            "Atelier Reconditionné SAS",
        ],
    );
    run(
        home,
        &[
            "settings",
            "set",
            "certificate.verify_url",
            &format!("{base}/v/{{id}}?d={{digest}}"),
        ],
    );
    let image = home.join("disk.img");
    std::fs::write(&image, vec![0x5a_u8; 1 << 20]).expect("an image file");
    let erasure = json(
        home,
        &[
            "erase",
            "--method",
            "zero",
            "--yes-erase-image",
            "--json",
            "--target",
            &image.display().to_string(),
        ],
    );
    let out = home.join("out");
    let issued = json(
        home,
        &[
            "cert",
            "issue",
            "--json",
            "--lang",
            "en",
            "--erasure",
            erasure["id"].as_str().expect("an erasure id"),
            "--out",
            &out.display().to_string(),
        ],
    );
    let id = issued["id"].as_str().expect("a certificate id").to_owned();
    let pdf = PathBuf::from(issued["pdf"].as_str().expect("a PDF path"));
    run(home, &["--site", &site, "site", "push", "--once"]);

    // The address a customer's phone would open: the one the PDF's QR code holds.
    let read = json(
        home,
        &[
            "cert",
            "verify",
            "--json",
            "--qr",
            &pdf.display().to_string(),
        ],
    );
    let url = read["qr_text"]
        .as_str()
        .expect("the QR code's text")
        .to_owned();
    assert!(
        url.starts_with(&format!("{base}/v/{id}?d=")),
        "the QR code holds {url}"
    );

    let browser = WebDriverSession::chromium().expect("headless Chromium under chromedriver");

    // Valid, in the browser's language (English here).
    browser.navigate(&url).expect("the page opens");
    let (state, text) = status(&browser);
    assert_eq!(state, "valid", "{text}");
    assert_eq!(html_lang(&browser), "en");
    let fields = browser
        .wait_for_text("[data-testid=verify-document]", &id, WAIT)
        .expect("the signed fields name the document");
    assert!(fields.contains("Atelier Reconditionné SAS"), "{fields}");
    assert!(fields.contains("disk.img"), "{fields}");
    shot(&browser, "valid-en");

    // The PDF itself, checked in the page: the same document, intact.
    let (result, said) = check_file(&browser, &pdf);
    assert_eq!(result, "match", "{said}");
    shot(&browser, "pdf-intact-en");

    // One byte of the PDF's visible text changed: the page's own check refuses it.
    let mut bytes = std::fs::read(&pdf).expect("the PDF");
    let at = bytes.len() / 2;
    bytes[at] ^= 0x01;
    let flipped = home.join("flipped.pdf");
    std::fs::write(&flipped, &bytes).expect("the flipped copy");
    browser.navigate(&url).expect("the page opens again");
    let (result, said) = check_file(&browser, &flipped);
    assert_eq!(result, "invalid", "{said}");
    let detail = browser
        .wait_for("[data-testid=verify-detail]", WAIT)
        .and_then(|element| browser.text(&element))
        .expect("the verifier's reason");
    assert!(!detail.is_empty(), "no reason shown for the flipped file");
    shot(&browser, "pdf-flipped-en");

    // The same page in French, asked for by the language switch.
    let mut french = url.clone();
    french.push_str("&lang=fr");
    browser.navigate(&french).expect("the French page opens");
    let (state, text) = status(&browser);
    assert_eq!(state, "valid");
    assert!(text.starts_with("Valide"), "{text}");
    assert_eq!(html_lang(&browser), "fr");
    let (result, said) = check_file(&browser, &pdf);
    assert_eq!(result, "match");
    assert!(said.contains("intact"), "{said}");
    shot(&browser, "pdf-intact-fr");

    // Voided at the station and pushed: the page says when, by whom and why, and an intact copy
    // of the file is still said to be voided.
    run(
        home,
        &[
            "cert",
            "void",
            &id,
            "--reason",
            "issued for the wrong customer",
        ],
    );
    run(home, &["--site", &site, "site", "push", "--once"]);
    browser
        .navigate(&url)
        .expect("the page opens after the void");
    let (state, text) = status(&browser);
    assert_eq!(state, "voided", "{text}");
    assert!(text.contains("issued for the wrong customer"), "{text}");
    let (result, said) = check_file(&browser, &pdf);
    assert_eq!(result, "voided", "{said}");
    shot(&browser, "voided-en");
    browser
        .navigate(&french)
        .expect("the French page after the void");
    let (state, text) = status(&browser);
    assert_eq!(state, "voided");
    assert!(text.starts_with("Annulé"), "{text}");
    shot(&browser, "voided-fr");

    // An unknown id, and the right id with a wrong digest: one answer, telling nothing.
    let digest = url.rsplit("d=").next().expect("a digest").to_owned();
    let unknown = format!("{base}/v/0192f3c4-0000-7000-8000-000000000000?d={digest}");
    let wrong_digest = format!("{base}/v/{id}?d=0000000000000000");
    for (name, address) in [("unknown-en", &unknown), ("wrong-digest-en", &wrong_digest)] {
        browser.navigate(address).expect("the page opens");
        let (state, text) = status(&browser);
        assert_eq!(state, "unknown", "{address}: {text}");
        assert!(
            browser
                .wait_for("[data-testid=verify-document]", Duration::from_millis(0))
                .is_err(),
            "{address} shows a document"
        );
        shot(&browser, name);
    }
    browser
        .navigate(&format!("{unknown}&lang=fr"))
        .expect("the French unknown page");
    let (_, text) = status(&browser);
    assert!(text.starts_with("Aucun document"), "{text}");
    shot(&browser, "unknown-fr");
}

#[test]
fn the_server_answers_nothing_but_pages_by_id_and_digest_with_a_strict_policy() {
    let home = tempfile::tempdir().expect("a temporary folder");
    let home = home.path();
    let site = PgServer::shared().fresh_database();
    run(home, &["--site", &site, "site", "init"]);
    let server = Server::start(home, &site);
    let base = format!("http://{}", server.address);
    let agent = ureq::AgentBuilder::new()
        .timeout(Duration::from_secs(10))
        .build();
    // No listing, no search, no other path: "not found", the same page as an unknown id.
    for path in [
        "/",
        "/v/",
        "/v",
        "/search?q=356728114587211",
        "/v/not-a-uuid?d=00",
        "/api/certificates",
    ] {
        match agent.get(&format!("{base}{path}")).call() {
            Err(ureq::Error::Status(404, response)) => {
                let body = response.into_string().unwrap_or_default();
                assert!(body.contains("data-state=\"unknown\""), "{path}: {body}");
            }
            other => panic!("{path}: expected 404, got {other:?}"),
        }
    }
    // Every answer carries the policy that keeps the page to its own scripts.
    let page = match agent
        .get(&format!(
            "{base}/v/0192f3c4-0000-7000-8000-000000000000?d=00"
        ))
        .call()
    {
        Err(ureq::Error::Status(404, response)) => response,
        other => panic!("expected 404, got {other:?}"),
    };
    let policy = page.header("content-security-policy").unwrap_or_default();
    assert!(policy.contains("default-src 'none'"), "{policy}");
    assert!(
        policy.contains("script-src 'self' 'wasm-unsafe-eval'"),
        "{policy}"
    );
    assert_eq!(page.header("referrer-policy"), Some("no-referrer"));
    let module = agent
        .get(&format!("{base}/assets/refurbdesk-verifier.wasm"))
        .call()
        .expect("the verifier module is served");
    assert_eq!(module.header("content-type"), Some("application/wasm"));
    let mut bytes = Vec::new();
    std::io::Read::read_to_end(&mut module.into_reader(), &mut bytes).expect("its bytes");
    assert!(bytes.starts_with(b"\0asm"), "not a WebAssembly module");
}
