//! Just enough W3C WebDriver to drive the desktop app through tauri-driver, and web pages in
//! Debian's headless Chromium through chromedriver.

use std::net::TcpListener;
use std::os::unix::process::CommandExt;
use std::path::{Path, PathBuf};
use std::process::{Child, Command, Stdio};
use std::time::{Duration, Instant};

use base64::Engine as _;
use serde_json::{json, Value};

use crate::display::VirtualDisplay;

#[derive(Debug, thiserror::Error)]
pub enum HarnessError {
    #[error("{what} is not available ({detail}); install it with: {install}")]
    Missing {
        what: &'static str,
        install: &'static str,
        detail: String,
    },
    #[error("the desktop app binary {0} does not exist; build it first: cargo build --release -p refurbdesk-desktop -p refurbdesk-cli (or set REFURBDESK_E2E_PROFILE=debug for a debug build)")]
    NoApp(PathBuf),
    #[error("WebDriver call {call} failed: {detail}")]
    Call { call: String, detail: String },
    #[error("WebDriver protocol: {0}")]
    Protocol(String),
    #[error("timed out after {seconds} s waiting for {what}")]
    Timeout { what: String, seconds: u64 },
}

/// The WebKit WebDriver that tauri-driver delegates to on Linux.
const NATIVE_DRIVER: &str = "/usr/bin/WebKitWebDriver";
/// Debian's Chromium and its WebDriver (packages chromium, chromium-driver).
const CHROMIUM: &str = "/usr/bin/chromium";
const CHROMEDRIVER: &str = "/usr/bin/chromedriver";

/// One WebDriver session: the desktop app under tauri-driver, or a headless Chromium. Dropping it
/// ends the session and stops the driver with everything it started (app, browser, display).
pub struct WebDriverSession {
    http: ureq::Agent,
    base: String,
    session: String,
    driver: Child,
    _display: Option<VirtualDisplay>,
}

/// The desktop app's session (the name the desktop tests use).
pub type DesktopSession = WebDriverSession;

/// A WebDriver element reference.
pub struct Element {
    id: String,
}

impl WebDriverSession {
    /// Starts chromedriver and, through it, a headless Chromium (no display needed) with a
    /// fixed window size so screenshots are comparable.
    pub fn chromium() -> Result<Self, HarnessError> {
        for (path, what) in [(CHROMIUM, "chromium"), (CHROMEDRIVER, "chromedriver")] {
            if !Path::new(path).exists() {
                return Err(HarnessError::Missing {
                    what,
                    install: "apt-get install chromium chromium-driver",
                    detail: format!("{path} not found"),
                });
            }
        }
        let port = free_port()?;
        let driver = Command::new(CHROMEDRIVER)
            .arg(format!("--port={port}"))
            .stdout(Stdio::null())
            .stderr(Stdio::null())
            .process_group(0)
            .spawn()
            .map_err(|e| HarnessError::Missing {
                what: "chromedriver",
                install: "apt-get install chromium-driver",
                detail: e.to_string(),
            })?;
        let mut session = Self {
            http: ureq::AgentBuilder::new()
                .timeout(Duration::from_secs(60))
                .build(),
            base: format!("http://127.0.0.1:{port}"),
            session: String::new(),
            driver,
            _display: None,
        };
        session.wait_for_driver(Duration::from_secs(30))?;
        // --no-sandbox: CI runs as root, where Chromium's sandbox refuses to start.
        let created = session.post(
            "/session",
            json!({"capabilities": {"alwaysMatch": {
                "browserName": "chrome",
                "goog:chromeOptions": {
                    "binary": CHROMIUM,
                    "args": ["--headless=new", "--no-sandbox", "--disable-gpu",
                             "--disable-dev-shm-usage", "--window-size=1000,1300",
                             "--lang=en-GB"]
                }
            }}}),
        )?;
        session.session = created["sessionId"]
            .as_str()
            .ok_or_else(|| HarnessError::Protocol(format!("no sessionId in {created}")))?
            .to_string();
        Ok(session)
    }

    /// Opens `url` in the browser and waits for it to load.
    pub fn navigate(&self, url: &str) -> Result<(), HarnessError> {
        self.post("/url", json!({ "url": url })).map(|_| ())
    }

    /// Starts Xvfb, tauri-driver (inside its own D-Bus session, without the accessibility bus that
    /// otherwise stalls WebKitGTK at start), and the app at `app`.
    pub fn start(app: &Path, args: &[&str], env: &[(&str, &Path)]) -> Result<Self, HarnessError> {
        if !app.is_file() {
            return Err(HarnessError::NoApp(app.to_path_buf()));
        }
        if !Path::new(NATIVE_DRIVER).exists() {
            return Err(HarnessError::Missing {
                what: "WebKitWebDriver",
                install: "apt-get install webkit2gtk-driver",
                detail: format!("{NATIVE_DRIVER} not found"),
            });
        }
        let tauri_driver = tauri_driver_path();
        let display = VirtualDisplay::start()?;
        let port = free_port()?;
        let native_port = free_port()?;
        let mut command = Command::new("dbus-run-session");
        command
            .arg("--")
            .arg(&tauri_driver)
            .args(["--port", &port.to_string()])
            .args(["--native-port", &native_port.to_string()])
            .args(["--native-driver", NATIVE_DRIVER])
            .env("DISPLAY", &display.display)
            .env("NO_AT_BRIDGE", "1")
            .env_remove("WAYLAND_DISPLAY")
            // Without a GPU the app turns WebKit's compositing off (src-tauri/src/lib.rs), and
            // WebKitWebDriver's screenshots then time out under Xvfb: the tests keep compositing
            // on unless the environment or the caller says otherwise (the benchmark measures the
            // app as shipped).
            .env(
                "REFURBDESK_COMPOSITING",
                std::env::var_os("REFURBDESK_COMPOSITING").unwrap_or_else(|| "on".into()),
            )
            .stdout(Stdio::null())
            .stderr(Stdio::inherit())
            .process_group(0);
        for (key, value) in env {
            command.env(key, value);
        }
        let driver = command.spawn().map_err(|e| HarnessError::Missing {
            what: "dbus-run-session and tauri-driver",
            install: "apt-get install dbus; cargo install tauri-driver --locked",
            detail: format!("{}: {e}", tauri_driver.display()),
        })?;
        let base = format!("http://127.0.0.1:{port}");
        // Every call is bounded, so a wedged driver fails the test instead of hanging the run.
        let http = ureq::AgentBuilder::new()
            .timeout(Duration::from_secs(60))
            .build();
        let mut session = Self {
            http,
            base,
            session: String::new(),
            driver,
            _display: Some(display),
        };
        session.wait_for_driver(Duration::from_secs(30))?;
        let created = session.post(
            "/session",
            json!({"capabilities": {"alwaysMatch": {
                "browserName": "wry",
                "tauri:options": {"application": app, "args": args}
            }}}),
        )?;
        session.session = created["sessionId"]
            .as_str()
            .ok_or_else(|| HarnessError::Protocol(format!("no sessionId in {created}")))?
            .to_string();
        Ok(session)
    }

    fn wait_for_driver(&mut self, limit: Duration) -> Result<(), HarnessError> {
        let start = Instant::now();
        loop {
            if let Ok(Some(status)) = self.driver.try_wait() {
                return Err(HarnessError::Protocol(format!(
                    "the WebDriver server exited early with {status}"
                )));
            }
            if self
                .http
                .get(&format!("{}/status", self.base))
                .call()
                .is_ok()
            {
                return Ok(());
            }
            if start.elapsed() > limit {
                return Err(HarnessError::Timeout {
                    what: "the WebDriver server to listen".into(),
                    seconds: limit.as_secs(),
                });
            }
            std::thread::sleep(Duration::from_millis(100));
        }
    }

    fn url(&self, path: &str) -> String {
        format!("{}/session/{}{}", self.base, self.session, path)
    }

    fn post(&self, path: &str, body: Value) -> Result<Value, HarnessError> {
        let url = if path == "/session" {
            format!("{}{}", self.base, path)
        } else {
            self.url(path)
        };
        answer(path, self.http.post(&url).send_json(body))
    }

    fn get(&self, path: &str) -> Result<Value, HarnessError> {
        answer(path, self.http.get(&self.url(path)).call())
    }

    /// The window's title.
    pub fn title(&self) -> Result<String, HarnessError> {
        string(self.get("/title")?)
    }

    /// Finds an element by CSS selector, waiting up to `limit` for it to appear.
    pub fn wait_for(&self, css: &str, limit: Duration) -> Result<Element, HarnessError> {
        let start = Instant::now();
        loop {
            let found = self.post("/element", json!({"using": "css selector", "value": css}));
            if let Ok(value) = found {
                if let Some(id) = value
                    .as_object()
                    .and_then(|o| o.values().next())
                    .and_then(Value::as_str)
                {
                    return Ok(Element { id: id.to_string() });
                }
            }
            if start.elapsed() > limit {
                return Err(HarnessError::Timeout {
                    what: format!("element {css}"),
                    seconds: limit.as_secs(),
                });
            }
            std::thread::sleep(Duration::from_millis(200));
        }
    }

    /// Waits until the element at `css` exists and its text contains `needle`; returns that text.
    pub fn wait_for_text(
        &self,
        css: &str,
        needle: &str,
        limit: Duration,
    ) -> Result<String, HarnessError> {
        let start = Instant::now();
        let mut last = String::new();
        loop {
            if let Ok(element) = self.wait_for(css, Duration::from_millis(0)) {
                if let Ok(text) = self.text(&element) {
                    if text.contains(needle) {
                        return Ok(text);
                    }
                    last = text;
                }
            }
            if start.elapsed() > limit {
                return Err(HarnessError::Timeout {
                    what: format!("{css} to show {needle:?} (last text: {last:?})"),
                    seconds: limit.as_secs(),
                });
            }
            std::thread::sleep(Duration::from_millis(250));
        }
    }

    /// Clicks an element.
    pub fn click(&self, element: &Element) -> Result<(), HarnessError> {
        self.post(&format!("/element/{}/click", element.id), json!({}))
            .map(|_| ())
    }

    /// Types `text` into an element (WebDriver key codes such as `\u{E007}` for Enter work too).
    pub fn type_into(&self, element: &Element, text: &str) -> Result<(), HarnessError> {
        self.post(
            &format!("/element/{}/value", element.id),
            json!({ "text": text }),
        )
        .map(|_| ())
    }

    /// Empties an input.
    pub fn clear(&self, element: &Element) -> Result<(), HarnessError> {
        self.post(&format!("/element/{}/clear", element.id), json!({}))
            .map(|_| ())
    }

    /// An attribute of an element; `None` when it has none.
    pub fn attribute(&self, element: &Element, name: &str) -> Result<Option<String>, HarnessError> {
        let value = self.get(&format!("/element/{}/attribute/{name}", element.id))?;
        Ok(value.as_str().map(str::to_owned))
    }

    /// Runs a script in the page and returns its result.
    pub fn execute(&self, script: &str, args: Value) -> Result<Value, HarnessError> {
        self.post("/execute/sync", json!({ "script": script, "args": args }))
    }

    /// Runs an asynchronous script in the page: it reports its result by calling its last argument.
    pub fn execute_async(&self, script: &str, args: Value) -> Result<Value, HarnessError> {
        self.post("/execute/async", json!({ "script": script, "args": args }))
    }

    /// Waits until the element at `css` carries `name="value"`.
    pub fn wait_for_attribute(
        &self,
        css: &str,
        name: &str,
        value: &str,
        limit: Duration,
    ) -> Result<Element, HarnessError> {
        let start = Instant::now();
        let mut last = None;
        loop {
            if let Ok(element) = self.wait_for(css, Duration::from_millis(0)) {
                let now = self.attribute(&element, name)?;
                if now.as_deref() == Some(value) {
                    return Ok(element);
                }
                last = now;
            }
            if start.elapsed() > limit {
                return Err(HarnessError::Timeout {
                    what: format!("{css} to have {name}={value:?} (last: {last:?})"),
                    seconds: limit.as_secs(),
                });
            }
            std::thread::sleep(Duration::from_millis(200));
        }
    }

    /// The rendered text of an element.
    pub fn text(&self, element: &Element) -> Result<String, HarnessError> {
        string(self.get(&format!("/element/{}/text", element.id))?)
    }

    /// Presses and releases `key` (a character or a WebDriver key code such as `\u{E014}` for the
    /// right arrow) on whatever has the focus, through the Actions API as a person's key would.
    pub fn press_key(&self, key: char) -> Result<(), HarnessError> {
        let key = key.to_string();
        self.post(
            "/actions",
            json!({"actions": [{"type": "key", "id": "keyboard", "actions": [
                {"type": "keyDown", "value": key},
                {"type": "keyUp", "value": key}
            ]}]}),
        )
        .map(|_| ())
    }

    /// The process id of the driver's process group leader (dbus-run-session); the app and
    /// WebKit's processes are its descendants.
    pub fn driver_pid(&self) -> u32 {
        self.driver.id()
    }

    /// Saves a PNG screenshot of the window at `path`.
    pub fn screenshot(&self, path: &Path) -> Result<(), HarnessError> {
        let encoded = string(self.get("/screenshot")?)?;
        let png = base64::engine::general_purpose::STANDARD
            .decode(encoded.as_bytes())
            .map_err(|e| HarnessError::Protocol(format!("screenshot is not base64: {e}")))?;
        if !png.starts_with(b"\x89PNG") {
            return Err(HarnessError::Protocol("screenshot is not a PNG".into()));
        }
        if let Some(dir) = path.parent() {
            std::fs::create_dir_all(dir)
                .map_err(|e| HarnessError::Protocol(format!("creating {}: {e}", dir.display())))?;
        }
        std::fs::write(path, png)
            .map_err(|e| HarnessError::Protocol(format!("writing {}: {e}", path.display())))
    }
}

impl Drop for WebDriverSession {
    fn drop(&mut self) {
        if !self.session.is_empty() {
            let _ = self.http.delete(&self.url("")).call();
        }
        // Killing dbus-run-session alone would orphan tauri-driver and the app, so the driver's whole
        // process group goes.
        let _ = Command::new("kill")
            .args(["-TERM", "--", &format!("-{}", self.driver.id())])
            .status();
        let _ = self.driver.kill();
        let _ = self.driver.wait();
    }
}

fn answer(
    call: &str,
    response: Result<ureq::Response, ureq::Error>,
) -> Result<Value, HarnessError> {
    let response = match response {
        Ok(response) => response,
        Err(ureq::Error::Status(code, response)) => {
            let body = response.into_string().unwrap_or_default();
            return Err(HarnessError::Call {
                call: call.to_string(),
                detail: format!("HTTP {code}: {body}"),
            });
        }
        Err(error) => {
            return Err(HarnessError::Call {
                call: call.to_string(),
                detail: error.to_string(),
            })
        }
    };
    let body: Value = response.into_json().map_err(|e| HarnessError::Call {
        call: call.to_string(),
        detail: format!("answer is not JSON: {e}"),
    })?;
    Ok(body.get("value").cloned().unwrap_or(Value::Null))
}

fn string(value: Value) -> Result<String, HarnessError> {
    value
        .as_str()
        .map(str::to_string)
        .ok_or_else(|| HarnessError::Protocol(format!("expected a string, got {value}")))
}

fn free_port() -> Result<u16, HarnessError> {
    TcpListener::bind("127.0.0.1:0")
        .and_then(|l| l.local_addr())
        .map(|a| a.port())
        .map_err(|e| HarnessError::Protocol(format!("no free local port: {e}")))
}

/// tauri-driver as installed by the test command into the clone (`target/tools/bin`), else from PATH.
fn tauri_driver_path() -> PathBuf {
    let local = crate::target_dir().join("tools/bin/tauri-driver");
    if local.is_file() {
        local
    } else {
        PathBuf::from("tauri-driver")
    }
}
