//! Policies: checking a policy file line by line (`refurbdesk policy check`), a grading policy or
//! a trade-in revision one (`[policy] kind = "tradein"`), and loading one to use. A policy with
//! any problem is refused as a whole, so nothing runs on a policy the check would reject.

use std::path::{Path, PathBuf};

use refurbdesk_grading::{
    check_policy, Checklists, Policy, PolicyId, Problem, DEFAULT_POLICY_TOML,
};
use refurbdesk_revision::{
    check_tradein_policy, is_tradein_policy, TradeinPolicy, DEFAULT_TRADEIN_POLICY_TOML,
};
use serde::{Deserialize, Serialize};
use ts_rs::TS;

use crate::error::{Error, Hint, Result};

/// Which policy file to check.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, TS)]
#[ts(export)]
pub struct PolicyCheckParams {
    #[ts(type = "string")]
    pub file: PathBuf,
}

/// A policy by name, version and the SHA-256 of its text.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, TS)]
#[ts(export)]
pub struct PolicyRef {
    pub name: String,
    pub version: String,
    pub sha256: String,
}

impl From<&refurbdesk_revision::PolicyId> for PolicyRef {
    fn from(id: &refurbdesk_revision::PolicyId) -> Self {
        Self {
            name: id.name.clone(),
            version: id.version.clone(),
            sha256: id.sha256.clone(),
        }
    }
}

impl From<&PolicyId> for PolicyRef {
    fn from(id: &PolicyId) -> Self {
        Self {
            name: id.name.clone(),
            version: id.version.clone(),
            sha256: id.sha256.clone(),
        }
    }
}

impl std::fmt::Display for PolicyRef {
    /// "backmarket-default 1.1.0", as the grading crate writes a policy.
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "{} {}", self.name, self.version)
    }
}

/// One thing wrong with a policy file, at its place in the file.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, TS)]
#[ts(export)]
pub struct PolicyProblem {
    /// 1-based.
    #[ts(type = "number")]
    pub line: usize,
    /// 1-based, in characters.
    #[ts(type = "number")]
    pub column: usize,
    pub message: String,
}

impl From<&refurbdesk_revision::Problem> for PolicyProblem {
    fn from(problem: &refurbdesk_revision::Problem) -> Self {
        Self {
            line: problem.line,
            column: problem.column,
            message: problem.message.clone(),
        }
    }
}

/// Which kind of policy a file is.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, TS)]
#[serde(rename_all = "snake_case")]
#[ts(export)]
pub enum PolicyKind {
    /// Rules that grade a device (backmarket-default).
    Grading,
    /// Rules that revise a trade-in quote from what the audit found (`kind = "tradein"`).
    Tradein,
}

impl From<&Problem> for PolicyProblem {
    fn from(problem: &Problem) -> Self {
        Self {
            line: problem.line,
            column: problem.column,
            message: problem.message.clone(),
        }
    }
}

/// What checking a policy found (what `refurbdesk policy check --json` prints).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, TS)]
#[ts(export)]
pub struct PolicyCheckReport {
    /// The file as named.
    pub file: String,
    /// Grading, or trade-in revision (`[policy] kind = "tradein"`).
    pub kind: PolicyKind,
    pub valid: bool,
    /// Name and version, when the `[policy]` table could be read.
    pub policy: Option<PolicyRef>,
    #[ts(type = "number")]
    pub rules: usize,
    /// Every problem, in line order.
    pub problems: Vec<PolicyProblem>,
    /// What still loads but should move (French sentences written in the policy rather than
    /// named from the catalogue), each saying how.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub warnings: Vec<PolicyProblem>,
}

impl PolicyCheckReport {
    /// The failure an invalid policy is: the count of its problems (the report lists them).
    pub fn refusal(&self) -> Option<Error> {
        if self.valid {
            return None;
        }
        let count = self.problems.len();
        Some(
            Error::data(format!(
                "{} has {count} problem{}; fix {} and check again",
                self.file,
                if count == 1 { "" } else { "s" },
                if count == 1 { "it" } else { "them" }
            ))
            .with_details(serde_json::json!({ "problems": self.problems })),
        )
    }
}

/// The shipped default policy (backmarket-default), as text to copy and edit.
pub fn default_text() -> &'static str {
    DEFAULT_POLICY_TOML
}

fn read(file: &Path) -> Result<String> {
    std::fs::read_to_string(file).map_err(|error| {
        Error::data(format!(
            "cannot read the policy {}: {error}; check the path and that the file is readable text",
            file.display()
        ))
    })
}

/// Checks a policy file: TOML syntax, unknown keys, bad values, rules that never fire or
/// contradict, each with its line. A file whose `[policy]` says `kind = "tradein"` is checked as
/// a trade-in revision policy, any other as a grading policy. An invalid policy is a report with
/// `valid: false`, not an error; only a file that cannot be read is one.
pub fn check(params: PolicyCheckParams) -> Result<PolicyCheckReport> {
    let text = read(&params.file)?;
    if is_tradein_policy(&text) {
        let check = check_tradein_policy(&text);
        return Ok(PolicyCheckReport {
            file: params.file.display().to_string(),
            kind: PolicyKind::Tradein,
            valid: check.is_valid(),
            policy: check.policy.as_ref().map(PolicyRef::from),
            rules: check.rules,
            problems: check.problems.iter().map(PolicyProblem::from).collect(),
            warnings: Vec::new(),
        });
    }
    let check = check_policy(&text, Checklists::embedded());
    Ok(PolicyCheckReport {
        file: params.file.display().to_string(),
        kind: PolicyKind::Grading,
        valid: check.is_valid(),
        policy: check.policy.as_ref().map(PolicyRef::from),
        rules: check.rules,
        problems: check.problems.iter().map(PolicyProblem::from).collect(),
        warnings: check.warnings.iter().map(PolicyProblem::from).collect(),
    })
}

/// Loads a policy to grade with; a policy with any problem is refused with the whole list,
/// each as FILE:LINE: message.
pub fn load(file: &Path) -> Result<Policy> {
    let text = read(file)?;
    if is_tradein_policy(&text) {
        return Err(Error::data(format!(
            "{} is a trade-in revision policy (kind = \"tradein\"), not a grading policy; name a grading policy such as backmarket-default",
            file.display()
        )));
    }
    Policy::from_toml(&text).map_err(|error| {
        let name = file.display();
        let list: Vec<String> = error
            .problems
            .iter()
            .map(|problem| format!("  {name}:{}: {}", problem.line, problem.message))
            .collect();
        let problems: Vec<PolicyProblem> = error.problems.iter().map(PolicyProblem::from).collect();
        Error::data(format!(
            "the policy {name} cannot be used; checking it found:\n{}\nfix {}",
            list.join("\n"),
            if list.len() == 1 { "it" } else { "them" }
        ))
        .with_hint(Hint::CheckPolicy {
            file: name.to_string(),
        })
        .with_details(serde_json::json!({ "problems": problems }))
    })
}

/// The policy in `file`, or the shipped default when none is named.
pub fn load_or_default(file: Option<&Path>) -> Result<Policy> {
    match file {
        Some(file) => load(file),
        None => Ok(Policy::embedded_default().clone()),
    }
}

/// The shipped trade-in revision policy (tradein-default), as text to copy and edit.
pub fn tradein_default_text() -> &'static str {
    DEFAULT_TRADEIN_POLICY_TOML
}

/// Loads a trade-in revision policy to revise quotes with, or the shipped one when none is
/// named; a policy with any problem is refused with the whole list, each as FILE:LINE: message.
pub fn load_tradein(file: Option<&Path>) -> Result<TradeinPolicy> {
    let Some(file) = file else {
        return Ok(TradeinPolicy::embedded_default().clone());
    };
    let text = read(file)?;
    TradeinPolicy::from_toml(&text).map_err(|error| {
        let name = file.display();
        let list: Vec<String> = error
            .problems
            .iter()
            .map(|problem| format!("  {name}:{}: {}", problem.line, problem.message))
            .collect();
        let problems: Vec<PolicyProblem> = error.problems.iter().map(PolicyProblem::from).collect();
        Error::data(format!(
            "the trade-in policy {name} cannot be used; checking it found:\n{}\nfix {}",
            list.join("\n"),
            if list.len() == 1 { "it" } else { "them" }
        ))
        .with_hint(Hint::CheckPolicy {
            file: name.to_string(),
        })
        .with_details(serde_json::json!({ "problems": problems }))
    })
}
