//! Who may do what. Checked by the store itself on every write, so a
//! program that skips the UI still cannot act beyond its operator's role.

use std::fmt;
use std::str::FromStr;

use serde::{Deserialize, Serialize};
use thiserror::Error;

/// An operator's role. Each role includes the rights listed for it in
/// [`Role::can`]; admins can do everything.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Role {
    Technician,
    Auditor,
    QualityManager,
    Admin,
}

/// Something an operator may or may not be allowed to do.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Action {
    Read,
    Intake,
    Grade,
    Erase,
    RunBatch,
    VoidCertificate,
    IssueCertificate,
    ManageSettings,
    ManageOperators,
}

impl Role {
    pub const ALL: &'static [Role] = &[
        Role::Technician,
        Role::Auditor,
        Role::QualityManager,
        Role::Admin,
    ];

    pub fn as_str(self) -> &'static str {
        match self {
            Role::Technician => "technician",
            Role::Auditor => "auditor",
            Role::QualityManager => "quality_manager",
            Role::Admin => "admin",
        }
    }

    pub fn can(self, action: Action) -> bool {
        use Action::*;
        match self {
            Role::Admin => true,
            Role::Technician => matches!(action, Read | Intake | Grade | Erase | IssueCertificate),
            Role::QualityManager => matches!(
                action,
                Read | Intake | Grade | Erase | IssueCertificate | VoidCertificate | ManageSettings
            ),
            Role::Auditor => matches!(action, Read | RunBatch),
        }
    }

    /// The roles allowed an action, as a phrase for messages: "a technician,
    /// a quality_manager or an admin".
    pub fn allowed_for(action: Action) -> String {
        let names: Vec<String> = Role::ALL
            .iter()
            .filter(|role| role.can(action))
            .map(|role| role.with_article())
            .collect();
        match names.split_last() {
            Some((last, [])) => last.clone(),
            Some((last, rest)) => format!("{} or {last}", rest.join(", ")),
            None => "no role".to_owned(),
        }
    }

    /// "a technician", "an admin".
    pub fn with_article(self) -> String {
        let article = if self == Role::Auditor || self == Role::Admin {
            "an"
        } else {
            "a"
        };
        format!("{article} {}", self.as_str())
    }
}

impl Action {
    /// The action as it reads after "may not".
    pub fn describe(self) -> &'static str {
        match self {
            Action::Read => "read records",
            Action::Intake => "record intakes",
            Action::Grade => "grade devices",
            Action::Erase => "erase devices",
            Action::RunBatch => "run batches",
            Action::VoidCertificate => "void certificates",
            Action::IssueCertificate => "issue certificates and reports",
            Action::ManageSettings => "change the organisation's settings",
            Action::ManageOperators => "manage operators",
        }
    }
}

impl fmt::Display for Role {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

impl fmt::Display for Action {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.describe())
    }
}

#[derive(Debug, Clone, PartialEq, Eq, Error)]
#[error("{word:?} is not a role; use technician, auditor, quality_manager or admin")]
pub struct UnknownRoleError {
    pub word: String,
}

impl FromStr for Role {
    type Err = UnknownRoleError;

    fn from_str(word: &str) -> Result<Self, Self::Err> {
        Role::ALL
            .iter()
            .copied()
            .find(|role| role.as_str() == word)
            .ok_or_else(|| UnknownRoleError {
                word: word.to_owned(),
            })
    }
}

/// The operator on whose behalf a write is made. Obtain it from
/// [`crate::Store::resolve_actor`]; the store checks the name against its
/// operator list again on every write, so the role here is informative.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Actor {
    pub name: String,
    pub role: Role,
    /// True while the database has no operators and everyone acts as a
    /// local admin named after their OS user.
    pub bootstrap: bool,
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn role_words_round_trip() {
        for role in Role::ALL {
            assert_eq!(role.as_str().parse::<Role>(), Ok(*role));
            let json = serde_json::to_string(role).expect("role serializes");
            assert_eq!(json, format!("\"{}\"", role.as_str()));
        }
        assert!("Admin".parse::<Role>().is_err());
    }

    #[test]
    fn rights_follow_the_role_table() {
        use Action::*;
        let all = [
            Read,
            Intake,
            Grade,
            Erase,
            RunBatch,
            VoidCertificate,
            ManageOperators,
        ];
        let allowed =
            |role: Role| -> Vec<Action> { all.iter().copied().filter(|a| role.can(*a)).collect() };
        assert_eq!(allowed(Role::Technician), vec![Read, Intake, Grade, Erase]);
        assert_eq!(allowed(Role::Auditor), vec![Read, RunBatch]);
        assert_eq!(
            allowed(Role::QualityManager),
            vec![Read, Intake, Grade, Erase, VoidCertificate]
        );
        assert_eq!(allowed(Role::Admin), all.to_vec());
    }

    #[test]
    fn allowed_for_names_every_role_that_may() {
        assert_eq!(
            Role::allowed_for(Action::Intake),
            "a technician, a quality_manager or an admin"
        );
        assert_eq!(Role::allowed_for(Action::ManageOperators), "an admin");
        assert_eq!(
            Role::allowed_for(Action::RunBatch),
            "an auditor or an admin"
        );
    }
}
