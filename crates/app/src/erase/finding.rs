//! What an erasure record's note says, told in a language when it is shown.
//!
//! New records keep a finding in their note: a code and its facts, as JSON
//! ([`DriveFinding`], [`DeviceFinding`]). Records written before that keep the English sentence
//! they were written with; they are shown as they are, since the hash chain covers them.

use refurbdesk_bench::ErrorCode as BenchCode;
use refurbdesk_domain::Lang;
use refurbdesk_erasure::{DriveFinding, FaultKind};
use refurbdesk_station::erase::DeviceFinding;
use refurbdesk_station::Interruption;
use refurbdesk_store::{OutcomeSource, StepAnswer};
use serde::{Deserialize, Serialize};

/// A finding of any kind of erasure.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(untagged)]
pub enum Finding {
    Drive(DriveFinding),
    Device(DeviceFinding),
}

impl Finding {
    /// The finding a note holds, if it holds one.
    pub fn from_note(note: &str) -> Option<Finding> {
        serde_json::from_str(note).ok()
    }

    /// The finding as a record's note keeps it.
    pub fn to_note(&self) -> String {
        // Enums of strings and numbers always serialise.
        serde_json::to_string(self).unwrap_or_else(|_| format!("{self:?}"))
    }

    /// The finding in words.
    pub fn tell(&self, lang: Lang) -> String {
        match self {
            Finding::Drive(finding) => tell_drive(finding, lang),
            Finding::Device(finding) => tell_device(finding, lang),
        }
    }
}

/// A record's note as a person reads it in `lang`: its finding told, or the sentence an older
/// record was written with.
pub fn tell_note(note: Option<&str>, lang: Lang) -> Option<String> {
    let note = note?;
    Some(match Finding::from_note(note) {
        Some(finding) => finding.tell(lang),
        None => note.to_owned(),
    })
}

fn tell_drive(finding: &DriveFinding, lang: Lang) -> String {
    match (finding, lang) {
        (DriveFinding::DriveInterrupted { .. }, Lang::En) => {
            "stopped on request before the end; nothing is proven — erase the drive again from the start"
                .to_owned()
        }
        (DriveFinding::DriveInterrupted { .. }, Lang::Fr) => {
            "arrêté à la demande avant la fin ; rien n'est prouvé — effacez de nouveau le disque \
             depuis le début"
                .to_owned()
        }
        (DriveFinding::DriveFailed { fault_count, first }, lang) => match (first, lang) {
            (Some(first), Lang::En) => {
                format!("{fault_count} fault(s); the first: {}", first.detail)
            }
            (Some(first), Lang::Fr) => format!(
                "{fault_count} défaut(s) ; le premier ({}) : {}",
                fault_word_fr(first.kind),
                first.detail
            ),
            (None, Lang::En) => "failed".to_owned(),
            (None, Lang::Fr) => "échec".to_owned(),
        },
    }
}

fn fault_word_fr(kind: FaultKind) -> &'static str {
    match kind {
        FaultKind::Write => "écriture",
        FaultKind::Flush => "vidage sur le support",
        FaultKind::Read => "relecture",
        FaultKind::Mismatch => "bloc différent à la relecture",
    }
}

fn quoted(text: Option<&str>, lang: Lang) -> String {
    match (text, lang) {
        (Some(text), Lang::En) => format!(": \"{text}\""),
        (Some(text), Lang::Fr) => format!(" : « {text} »"),
        (None, _) => String::new(),
    }
}

fn tell_device(finding: &DeviceFinding, lang: Lang) -> String {
    match finding {
        DeviceFinding::BenchFailed {
            method,
            from: OutcomeSource::Event,
            detail,
        } => {
            let detail = quoted(detail.as_deref(), lang);
            match lang {
                Lang::En => format!(
                    "the bench reported the {method} failed{detail}; the device cannot be \
                     certified — erase it again, or reset it by hand"
                ),
                Lang::Fr => format!(
                    "le banc a signalé l'échec de {method}{detail} ; l'appareil ne peut pas être \
                     certifié — effacez-le de nouveau, ou réinitialisez-le à la main"
                ),
            }
        }
        DeviceFinding::BenchFailed {
            method,
            from: OutcomeSource::Status,
            ..
        } => match lang {
            Lang::En => format!(
                "the bench reported the {method} failed (through STATUS: its done event was lost, \
                 and its detail with it); erase the device again, or reset it by hand"
            ),
            Lang::Fr => format!(
                "le banc a signalé l'échec de {method} (par STATUS : son événement de fin a été \
                 perdu, et son détail avec lui) ; effacez de nouveau l'appareil, ou \
                 réinitialisez-le à la main"
            ),
        },
        DeviceFinding::BenchRefused {
            slot,
            method,
            code,
            message,
        } => {
            let said = match (message, lang) {
                (Some(message), Lang::En) => format!(" (\"{message}\")"),
                (Some(message), Lang::Fr) => format!(" (« {message} »)"),
                (None, _) => String::new(),
            };
            match lang {
                Lang::En => format!(
                    "the bench refused ERASE {slot} {method} with {code}{said}; nothing was erased{}",
                    match code {
                        BenchCode::Unsupported => {
                            " — the bench cannot erase this device this way: use the other \
                             method, or reset it by hand"
                        }
                        BenchCode::Busy => " — the slot was busy; try again when it is idle",
                        _ => "",
                    }
                ),
                Lang::Fr => format!(
                    "le banc a refusé ERASE {slot} {method} avec {code}{said} ; rien n'a été \
                     effacé{}",
                    match code {
                        BenchCode::Unsupported => {
                            " — le banc ne peut pas effacer cet appareil ainsi : utilisez l'autre \
                             méthode, ou réinitialisez-le à la main"
                        }
                        BenchCode::Busy => {
                            " — l'emplacement était occupé ; réessayez quand il sera libre"
                        }
                        _ => "",
                    }
                ),
            }
        }
        DeviceFinding::BenchInterrupted { why } => match lang {
            Lang::En => format!(
                "{}; nothing is proven — erase the device again",
                interruption_en(*why)
            ),
            Lang::Fr => format!(
                "{} ; rien n'est prouvé — effacez de nouveau l'appareil",
                interruption_fr(*why)
            ),
        },
        DeviceFinding::ManualStopped {
            number,
            count,
            step,
        } => match lang {
            Lang::En => format!(
                "the operator stopped at step {number} of {count} ({step}); nothing is proven — \
                 go through the reset again"
            ),
            Lang::Fr => format!(
                "l'opérateur s'est arrêté à l'étape {number} sur {count} ({step}) ; rien n'est \
                 prouvé — refaites la réinitialisation"
            ),
        },
        DeviceFinding::ManualStepFailed {
            number,
            count,
            step,
            answer,
            text,
        } => match lang {
            Lang::En => format!(
                "required step {number} of {count} ({step}) was answered {answer}: \"{text}\"; \
                 the device cannot be certified — complete that step, then go through the reset \
                 again"
            ),
            Lang::Fr => format!(
                "l'étape obligatoire {number} sur {count} ({step}) a reçu la réponse « {} » : \
                 « {text} » ; l'appareil ne peut pas être certifié — faites cette étape, puis \
                 refaites la réinitialisation",
                answer_fr(*answer)
            ),
        },
    }
}

fn interruption_en(why: Interruption) -> &'static str {
    match why {
        Interruption::DeviceRemoved => {
            "the device was taken out of the slot before the bench reported the outcome"
        }
        Interruption::BenchReset => "the bench restarted during the erase and forgot it",
        Interruption::BenchGone => {
            "the bench went away (its port closed) before it reported the outcome"
        }
        Interruption::BenchSilent => "the bench stopped answering before it reported the outcome",
        Interruption::Forgotten => {
            "the bench no longer knows of this erase (it restarted, or the device was swapped, \
             and that event was lost)"
        }
        Interruption::NoOutcome => "the bench reported no outcome in time",
        Interruption::Cancelled => {
            "the operator stopped waiting for the bench (it may still be erasing)"
        }
    }
}

fn interruption_fr(why: Interruption) -> &'static str {
    match why {
        Interruption::DeviceRemoved => {
            "l'appareil a été retiré de l'emplacement avant que le banc n'en donne le résultat"
        }
        Interruption::BenchReset => "le banc a redémarré pendant l'effacement et l'a oublié",
        Interruption::BenchGone => {
            "le banc a disparu (son port s'est fermé) avant d'en donner le résultat"
        }
        Interruption::BenchSilent => "le banc a cessé de répondre avant d'en donner le résultat",
        Interruption::Forgotten => {
            "le banc ne connaît plus cet effacement (il a redémarré, ou l'appareil a été \
             échangé, et cet événement a été perdu)"
        }
        Interruption::NoOutcome => "le banc n'a donné aucun résultat à temps",
        Interruption::Cancelled => {
            "l'opérateur a cessé d'attendre le banc (il est peut-être encore en train d'effacer)"
        }
    }
}

fn answer_fr(answer: StepAnswer) -> &'static str {
    match answer {
        StepAnswer::Yes => "oui",
        StepAnswer::No => "non",
        StepAnswer::Skipped => "passée",
    }
}
