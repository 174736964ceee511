//! A physical destruction of media as it is recorded: how it was destroyed, what was destroyed,
//! who witnessed it and the photos kept as evidence. Plain data the store keeps and the
//! destruction certificate states.

use serde::{Deserialize, Serialize};

use crate::word_enum;

word_enum! {
    /// How the media was destroyed.
    DestructionMethod, "destruction method" {
        Shred => "shred",
        Punch => "punch",
        Degauss => "degauss",
        Crush => "crush",
        Disintegrate => "disintegrate",
    }
}

/// What was destroyed. Fields in alphabetical order, the order records have always been
/// written in; a field an older record lacks reads as absent.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
#[serde(default)]
pub struct DestroyedMedia {
    /// The data's confidentiality category, as the customer declared it.
    pub classification: Option<String>,
    /// Whether the data was backed up before (recorded by some imports).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub data_backed_up: Option<bool>,
    pub imei: Option<String>,
    pub make: Option<String>,
    /// hdd, ssd, nvme, flash, phone, tablet, drive…
    pub media_type: Option<String>,
    pub model: Option<String>,
    /// The organisation's asset tag.
    pub property_number: Option<String>,
    pub serial: Option<String>,
    pub size_bytes: Option<u64>,
    /// Where the media came from (customer, trade-in batch).
    pub source: Option<String>,
}

/// Who saw the media destroyed.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
#[serde(default)]
pub struct Witness {
    pub name: String,
    pub organisation: Option<String>,
    pub title: Option<String>,
}

/// A photo or video of the destruction, kept by its digest.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(default)]
pub struct EvidenceFile {
    pub file_name: String,
    /// SHA-256 of the file, lowercase hex.
    pub sha256: String,
    pub size_bytes: u64,
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_record_written_before_the_types_reads_back_whole() {
        // As `cert destroy` wrote media before it was typed: every key, nulls included.
        let old = r#"{"classification":null,"imei":null,"make":"Seagate","media_type":"hdd",
            "model":"ST500LM030","property_number":"A-1","serial":"WCJ0001","size_bytes":500107862016,
            "source":null}"#;
        let media: DestroyedMedia = serde_json::from_str(old).unwrap();
        assert_eq!(media.serial.as_deref(), Some("WCJ0001"));
        assert_eq!(media.size_bytes, Some(500_107_862_016));
        // A hand-written record with a key or two still reads; the rest is absent.
        let sparse: DestroyedMedia = serde_json::from_str(r#"{"make":"Seagate"}"#).unwrap();
        assert_eq!(sparse.media_type, None);
        let witness: Witness = serde_json::from_str(r#"{"name":"Claire Martin"}"#).unwrap();
        assert_eq!(witness.name, "Claire Martin");
    }

    #[test]
    fn methods_are_their_words() {
        assert_eq!(
            "shred".parse::<DestructionMethod>().unwrap(),
            DestructionMethod::Shred
        );
        assert!("burn".parse::<DestructionMethod>().is_err());
        assert_eq!(DestructionMethod::WORDS.len(), 5);
    }
}
