//! What can go wrong on a bench link, worded for the person at the station.

use std::path::PathBuf;

use refurbdesk_bench_protocol::ErrorCode;

use crate::Verb;

/// Why a connect or a request did not produce an answer.
#[derive(Debug, thiserror::Error)]
pub enum LinkError {
    #[error(
        "cannot open the bench port {}: {source}; check that the bench is plugged in and \
         powered, that the path is right and that no other program holds the port",
        .port.display()
    )]
    Open {
        port: PathBuf,
        #[source]
        source: std::io::Error,
    },

    #[error(
        "the bench on {} gave no valid answer to {verb} after {attempts} attempt(s); check the \
         cable and that the bench is powered, then try again",
        .port.display()
    )]
    Unreachable {
        port: PathBuf,
        verb: Verb,
        attempts: u32,
    },

    #[error(
        "the bench on {} did not answer {verb} in time and it was not resent, because sending \
         it twice could start the work twice; ask RESULTS or STATUS for that slot to learn \
         whether it started",
        .port.display()
    )]
    NoAnswer { port: PathBuf, verb: Verb },

    #[error(
        "the bench on {} refused {verb} with {code}{}; {}",
        .port.display(),
        quoted_message(.message.as_deref()),
        bench_error_advice(*.code)
    )]
    Bench {
        port: PathBuf,
        verb: Verb,
        code: ErrorCode,
        message: Option<String>,
    },

    #[error(
        "the bench on {} speaks Bench Protocol version {proto}, but this station speaks only \
         version 1; update the bench firmware or use a bench that speaks version 1",
        .port.display()
    )]
    Incompatible { port: PathBuf, proto: u32 },

    #[error(
        "the bench on {} is disconnected (its port closed or failed); check the cable and that \
         the bench is powered — the station reopens the port by itself when the bench comes back",
        .port.display()
    )]
    Disconnected { port: PathBuf },

    #[error(
        "the link to the bench on {} was closed; connect again to talk to this bench",
        .port.display()
    )]
    Closed { port: PathBuf },

    #[error("invalid request: {0}")]
    InvalidRequest(String),
}

fn quoted_message(message: Option<&str>) -> String {
    message
        .map(|text| format!(" (\"{text}\")"))
        .unwrap_or_default()
}

fn bench_error_advice(code: ErrorCode) -> &'static str {
    match code {
        ErrorCode::BadCrc => "the request was corrupted on the wire; send it again",
        ErrorCode::UnknownVerb => {
            "this bench's firmware does not know that verb; update the firmware or skip this step"
        }
        ErrorCode::BadArgs => "the request's arguments were not what the bench expects; fix them",
        ErrorCode::NoSlot => "that slot number does not exist on this bench (see slots= in HELLO)",
        ErrorCode::Empty => "there is no device in that slot; place one and try again",
        ErrorCode::Busy => "the slot is running a test or an erase; wait for it to finish",
        ErrorCode::Unsupported => "this bench cannot do that for this device; do it by hand",
        ErrorCode::Device => "the device did not answer the bench; reseat it and try again",
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn messages_name_the_port_and_say_what_to_do() {
        let port = PathBuf::from("/dev/ttyACM3");
        let unreachable = LinkError::Unreachable {
            port: port.clone(),
            verb: Verb::Ident,
            attempts: 4,
        }
        .to_string();
        assert!(unreachable.contains("/dev/ttyACM3"), "{unreachable}");
        assert!(unreachable.contains("IDENT"), "{unreachable}");
        assert!(unreachable.contains("4 attempt"), "{unreachable}");
        assert!(unreachable.contains("cable"), "{unreachable}");

        let refused = LinkError::Bench {
            port: port.clone(),
            verb: Verb::Batt,
            code: ErrorCode::Device,
            message: Some("no answer from gauge".into()),
        }
        .to_string();
        assert!(refused.contains("BATT with DEVICE"), "{refused}");
        assert!(refused.contains("no answer from gauge"), "{refused}");
        assert!(refused.contains("reseat"), "{refused}");

        let no_answer = LinkError::NoAnswer {
            port,
            verb: Verb::Run,
        }
        .to_string();
        assert!(no_answer.contains("RESULTS"), "{no_answer}");
    }
}
