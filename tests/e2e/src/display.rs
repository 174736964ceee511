//! A private X display for one test run.

use std::io::{BufRead, BufReader};
use std::process::{Child, Command, Stdio};

use crate::webdriver::HarnessError;

/// An Xvfb server that lives as long as this value.
pub struct VirtualDisplay {
    child: Child,
    /// The value for `DISPLAY`, e.g. `:7`.
    pub display: String,
}

impl VirtualDisplay {
    /// Starts Xvfb on the first free display number; Xvfb itself picks it and reports it on stdout
    /// (`-displayfd 1`), so parallel runs never collide.
    pub fn start() -> Result<Self, HarnessError> {
        let mut child = Command::new("Xvfb")
            .args([
                "-displayfd",
                "1",
                "-screen",
                "0",
                "1280x800x24",
                "-nolisten",
                "tcp",
            ])
            .stdout(Stdio::piped())
            .stderr(Stdio::null())
            .spawn()
            .map_err(|e| HarnessError::Missing {
                what: "Xvfb",
                install: "apt-get install xvfb",
                detail: e.to_string(),
            })?;
        let stdout = child.stdout.take().ok_or(HarnessError::Protocol(
            "Xvfb stdout was not captured".into(),
        ))?;
        let mut line = String::new();
        BufReader::new(stdout)
            .read_line(&mut line)
            .map_err(|e| HarnessError::Protocol(format!("reading Xvfb's display number: {e}")))?;
        let number = line.trim();
        if number.is_empty() || !number.bytes().all(|b| b.is_ascii_digit()) {
            let _ = child.kill();
            return Err(HarnessError::Protocol(format!(
                "Xvfb did not report a display number (got {line:?})"
            )));
        }
        Ok(Self {
            display: format!(":{number}"),
            child,
        })
    }
}

impl Drop for VirtualDisplay {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}
