//! A simulated device's transcript (`fixtures/adb/*.txt`): what its shell answers to each command,
//! as recorded from a real device of that kind, and how the device behaves.
//!
//! ```text
//! # comments and settings come first
//! @ auth unauthorized        (the owner has not accepted this computer; default: ok)
//! @ unplug-after 5           (the cable is pulled when a 6th command arrives)
//! $ getprop ro.product.model
//! SM-G991B
//! $ cat /sys/class/power_supply/battery/cycle_count
//! 212
//! ```
//!
//! A `$ ` line names a command; the lines up to the next `$ ` line are its output, each ending in
//! a newline. A command not in the transcript answers as a phone's shell would: an unset property
//! is an empty line, anything else is not found.

use std::path::Path;

use crate::banner::Banner;

/// How a simulated device answers.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Transcript {
    /// Whether the phone's owner has accepted this computer's key.
    pub authorized: bool,
    /// After answering this many shell commands the device goes away (the cable is pulled).
    pub unplug_after: Option<usize>,
    /// Each command and its output, in the order recorded.
    pub answers: Vec<(String, Vec<u8>)>,
}

/// Why a transcript cannot be used.
#[derive(Debug, thiserror::Error)]
pub enum TranscriptError {
    #[error("cannot read the device transcript {path}: {source}")]
    Read {
        path: String,
        #[source]
        source: std::io::Error,
    },
    #[error("line {line} of the device transcript: {problem}")]
    Line { line: usize, problem: String },
}

impl Transcript {
    pub fn load(path: &Path) -> Result<Self, TranscriptError> {
        let text = std::fs::read_to_string(path).map_err(|source| TranscriptError::Read {
            path: path.display().to_string(),
            source,
        })?;
        Self::parse(&text)
    }

    /// Reads a transcript.
    ///
    /// ```
    /// use refurbdesk_adb::Transcript;
    ///
    /// let t = Transcript::parse("@ unplug-after 1\n$ getprop ro.product.model\nPixel 6\n").unwrap();
    /// assert_eq!(t.answer("getprop ro.product.model"), b"Pixel 6\n".to_vec());
    /// assert_eq!(t.answer("getprop ro.nothing"), b"\n".to_vec());
    /// assert_eq!(t.unplug_after, Some(1));
    /// ```
    pub fn parse(text: &str) -> Result<Self, TranscriptError> {
        let mut transcript = Transcript {
            authorized: true,
            unplug_after: None,
            answers: Vec::new(),
        };
        let mut current: Option<(String, Vec<u8>)> = None;
        for (index, line) in text.lines().enumerate() {
            let number = index + 1;
            if let Some(command) = line.strip_prefix("$ ") {
                transcript.answers.extend(current.take());
                current = Some((command.trim().to_string(), Vec::new()));
                continue;
            }
            if let Some((_, output)) = current.as_mut() {
                output.extend_from_slice(line.as_bytes());
                output.push(b'\n');
                continue;
            }
            let line = line.trim();
            if line.is_empty() || line.starts_with('#') {
                continue;
            }
            let problem = |problem: &str| TranscriptError::Line {
                line: number,
                problem: problem.to_string(),
            };
            let setting = line.strip_prefix("@ ").ok_or_else(|| {
                problem(
                    "before the first `$ command` only comments and `@ setting` lines may stand",
                )
            })?;
            match setting.split_whitespace().collect::<Vec<_>>().as_slice() {
                ["auth", "ok"] => transcript.authorized = true,
                ["auth", "unauthorized"] => transcript.authorized = false,
                ["unplug-after", count] => {
                    transcript.unplug_after =
                        Some(count.parse().map_err(|_| {
                            problem("`unplug-after` takes a whole number of commands")
                        })?)
                }
                _ => {
                    return Err(problem(
                        "known settings are `@ auth ok|unauthorized` and `@ unplug-after N`",
                    ))
                }
            }
        }
        transcript.answers.extend(current);
        Ok(transcript)
    }

    /// What the device's shell prints for `command`.
    pub fn answer(&self, command: &str) -> Vec<u8> {
        let command = command.trim();
        if let Some((_, output)) = self.answers.iter().find(|(c, _)| c == command) {
            return output.clone();
        }
        if command.starts_with("getprop ") {
            return b"\n".to_vec();
        }
        let program = command.split_whitespace().next().unwrap_or_default();
        format!("/system/bin/sh: {program}: inaccessible or not found\n").into_bytes()
    }

    /// A property's value as the transcript's `getprop` answers it.
    pub fn property(&self, name: &str) -> Option<String> {
        let answer = self.answer(&format!("getprop {name}"));
        let value = String::from_utf8_lossy(&answer).trim().to_string();
        (!value.is_empty()).then_some(value)
    }

    /// The banner the device sends in its `CNXN`: its product, model and device names, and no
    /// optional features (so adb uses the original shell service).
    pub fn banner(&self) -> Banner {
        let names = ["ro.product.name", "ro.product.model", "ro.product.device"];
        let values: Vec<(&str, String)> = names
            .iter()
            .map(|name| (*name, self.property(name).unwrap_or_default()))
            .collect();
        let pairs: Vec<(&str, &str)> = values.iter().map(|(n, v)| (*n, v.as_str())).collect();
        Banner::device(&pairs)
    }
}
