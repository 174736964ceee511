//! What a document says, as plain data. This is what is signed; the PDF is one rendering of it.
//! Values are stored as facts (codes, numbers, timestamps); words for them in English or French
//! are chosen when rendering, so one signed record can be printed in either language (the
//! language is not part of the signed data).

use std::collections::BTreeMap;
use std::fmt;

use chrono::{DateTime, Utc};
use refurbdesk_domain::{tell_reasons, BatteryFinding, LockFinding};
use serde::{Deserialize, Serialize};
use uuid::Uuid;

pub use crate::batch::{
    BatchLine, BatchReport, BatchTotals, DeclaredFacts, ExtraDevice, FoundFacts,
};

/// The format name and version written into every document.
pub const FORMAT: &str = "refurbdesk.document/1";

/// A document's language (the same as every other room's).
pub use refurbdesk_domain::Lang;

/// Who issues the document (from the settings).
#[derive(Debug, Clone, PartialEq, Eq, Default, Serialize, Deserialize)]
pub struct Organisation {
    pub name: String,
    pub address: Option<String>,
    pub phone: Option<String>,
    pub location: Option<String>,
}

/// A signed document of any kind.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Document {
    pub format: String,
    pub id: Uuid,
    pub issued_at: DateTime<Utc>,
    pub issuer: Organisation,
    /// The station the document was issued on.
    pub station_id: Uuid,
    /// The operator who issued it.
    pub issued_by: Person,
    pub body: Body,
}

impl Document {
    pub fn kind(&self) -> DocumentKind {
        match self.body {
            Body::ErasureCertificate(_) => DocumentKind::ErasureCertificate,
            Body::DestructionCertificate(_) => DocumentKind::DestructionCertificate,
            Body::DeviceReport(_) => DocumentKind::DeviceReport,
            Body::BatchReport(_) => DocumentKind::BatchReport,
        }
    }
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum DocumentKind {
    ErasureCertificate,
    DestructionCertificate,
    DeviceReport,
    BatchReport,
}

impl DocumentKind {
    pub fn as_str(self) -> &'static str {
        match self {
            DocumentKind::ErasureCertificate => "erasure_certificate",
            DocumentKind::DestructionCertificate => "destruction_certificate",
            DocumentKind::DeviceReport => "device_report",
            DocumentKind::BatchReport => "batch_report",
        }
    }

    pub fn from_word(word: &str) -> Option<Self> {
        [
            DocumentKind::ErasureCertificate,
            DocumentKind::DestructionCertificate,
            DocumentKind::DeviceReport,
            DocumentKind::BatchReport,
        ]
        .into_iter()
        .find(|kind| kind.as_str() == word)
    }
}

impl fmt::Display for DocumentKind {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

// One body is built per document, signed and written once: its size on the stack costs nothing
// worth a box at every place that builds or reads one.
#[allow(clippy::large_enum_variant)]
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(tag = "kind", rename_all = "snake_case")]
pub enum Body {
    ErasureCertificate(ErasureCertificate),
    DestructionCertificate(DestructionCertificate),
    DeviceReport(DeviceReport),
    /// A trade-in batch's audit against its declaration ([`crate::batch`]).
    BatchReport(BatchReport),
}

/// A person named on a document (NIST SP 800-88 Appendix G asks for all of these).
#[derive(Debug, Clone, PartialEq, Eq, Default, Serialize, Deserialize)]
pub struct Person {
    pub name: String,
    /// The role or job title.
    pub title: Option<String>,
    pub organisation: Option<String>,
    pub location: Option<String>,
    pub phone: Option<String>,
}

/// The media a certificate is about.
#[derive(Debug, Clone, PartialEq, Eq, Default, Serialize, Deserialize)]
pub struct Media {
    pub make: Option<String>,
    pub model: Option<String>,
    pub serial: Option<String>,
    pub imei: Option<String>,
    /// The organisation's asset tag, when it has one.
    pub property_number: Option<String>,
    /// `hdd`, `ssd`, `nvme`, `flash`, `image_file`, `phone`, `tablet`, ...
    pub media_type: String,
    /// Where the media came from (trade-in customer, batch...).
    pub source: Option<String>,
    /// The data's confidentiality category as the customer declared it.
    pub classification: Option<String>,
    /// Whether the data was backed up before sanitization; `None`: not known to us.
    pub data_backed_up: Option<bool>,
    pub size_bytes: Option<u64>,
    /// The device path it was reached through. `None` for an image file, whose path on the
    /// workstation means nothing to the reader: [`Media::file_name`] names it instead.
    pub target: Option<String>,
    /// An image file's name, without its folders.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub file_name: Option<String>,
    /// The SHA-256 (hex) of the media's first MiB as read just before the erasure: what
    /// identifies an image file's content.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub head_sha256: Option<String>,
}

/// NIST SP 800-88 sanitization categories.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum MethodType {
    Clear,
    Purge,
    Destroy,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Sanitization {
    pub method_type: MethodType,
    /// The method's code: `zero`, `random`, `dod3`, `factory_reset`, `crypto_erase`, ...
    pub method: String,
    pub passes: u32,
    pub tool: String,
    pub tool_version: String,
    /// `full`, `sample:PCT`, `bench`, `operator_confirmation`.
    pub verification: String,
    /// `verified` for every certificate issued (nothing else is certified).
    pub verification_result: String,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Fault {
    pub kind: String,
    pub pass: u32,
    pub offset: u64,
    pub length: u64,
    pub detail: String,
}

/// The erasure run behind a certificate, as recorded.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct ErasureRun {
    pub erasure_id: Uuid,
    pub device_id: Option<Uuid>,
    pub station_id: Uuid,
    pub target_kind: String,
    pub passes_completed: u32,
    /// The random stream's key, so anyone can regenerate and re-check the pattern.
    pub seed: Option<String>,
    pub bytes_written: u64,
    pub bytes_verified: u64,
    pub fault_count: u64,
    pub faults: Vec<Fault>,
    pub started_at: DateTime<Utc>,
    pub finished_at: DateTime<Utc>,
    pub duration_s: f64,
    pub throughput_mib_s: f64,
    /// Bench erasures: what the bench reported; manual resets: the confirmed steps. Documents
    /// issued before [`ErasureRun::bench`] and [`ErasureRun::manual`] existed hold these as
    /// English words; newer ones leave it empty and state the facts below.
    pub detail: Option<String>,
    /// The bench and slot that erased the device, and the bench's own words about it.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub bench: Option<BenchRun>,
    /// The guided manual reset: its checklist and how many steps were confirmed.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub manual: Option<ManualRun>,
}

/// The bench an erasure ran on, as its HELLO named it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct BenchRun {
    pub vendor: String,
    pub model: String,
    pub serial: String,
    pub slot: u16,
    /// What the bench said with its result, verbatim (Bench Protocol `detail`): the bench's
    /// words, printed quoted and never translated.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub said: Option<String>,
}

/// A guided manual factory reset.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct ManualRun {
    /// `ios`, `android`, `samsung`, ...
    pub platform: String,
    pub checklist_version: String,
    pub steps_confirmed: u32,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct ErasureCertificate {
    pub performed_by: Person,
    pub media: Media,
    pub sanitization: Sanitization,
    /// Where the media goes next (reuse, resale, recycling, return to customer).
    pub destination: String,
    pub validated_by: Person,
    pub validated_at: DateTime<Utc>,
    pub run: ErasureRun,
    /// The certificate of the same erasure this one was issued to replace, and why; the one
    /// replaced stays valid. Absent on a first certificate (and on every one issued before
    /// reissuing existed, which verify as they were signed).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub replaces: Option<Replaces>,
}

/// The certificate a reissued one replaces.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Replaces {
    pub certificate_id: Uuid,
    pub reason: String,
}

/// A photo or video of a destruction, identified by its SHA-256.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Evidence {
    pub file_name: String,
    pub sha256: String,
    pub size_bytes: u64,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct DestructionCertificate {
    pub destruction_id: Uuid,
    pub device_id: Option<Uuid>,
    pub performed_by: Person,
    pub witness: Person,
    pub media: Media,
    /// `shred`, `punch`, `degauss`, `crush`, `disintegrate`.
    pub method: String,
    pub method_details: Option<String>,
    pub destroyed_at: DateTime<Utc>,
    pub destination: String,
    pub evidence: Vec<Evidence>,
    pub validated_by: Person,
    pub validated_at: DateTime<Utc>,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct DeviceIdentity {
    pub device_id: Uuid,
    pub category: String,
    pub make: String,
    pub model: String,
    pub model_code: Option<String>,
    pub serial: Option<String>,
    pub imei: Option<String>,
    pub imei_valid: Option<bool>,
    pub storage_gb: Option<u32>,
    pub first_seen: DateTime<Utc>,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct BatteryFacts {
    pub present: Option<bool>,
    pub design_mah: Option<f64>,
    pub full_mah: Option<f64>,
    pub design_mwh: Option<f64>,
    pub full_mwh: Option<f64>,
    pub cycles: Option<u32>,
    pub soh_pct: Option<f64>,
    pub verdict: String,
    /// Reasons as words, in English: what documents made before findings
    /// existed hold, and what an intake recorded before them has.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub reasons: Vec<String>,
    /// Reasons as facts, told in the language the document is printed in.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub findings: Vec<BatteryFinding>,
}

impl BatteryFacts {
    /// The reasons to print, in `lang` where they are facts.
    pub fn reasons_in(&self, lang: Lang) -> Vec<String> {
        tell_reasons(&self.reasons, &self.findings, |finding| finding.text(lang))
    }
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct LockFacts {
    pub activation: Option<String>,
    pub account: Option<String>,
    pub mdm: Option<String>,
    pub carrier: Option<String>,
    pub verdict: String,
    /// Reasons as words, in English (see [`BatteryFacts::reasons`]).
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub reasons: Vec<String>,
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub findings: Vec<LockFinding>,
}

impl LockFacts {
    /// The reasons to print, in `lang` where they are facts.
    pub fn reasons_in(&self, lang: Lang) -> Vec<String> {
        tell_reasons(&self.reasons, &self.findings, |finding| finding.text(lang))
    }
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(from = "StoredCheckFact")]
pub struct CheckFact {
    /// The test, checklist item or zone, as recorded (`camera_rear`).
    pub name: String,
    /// `pass`, `fail`, `skip`, `na`, or a zone's cosmetic level.
    pub outcome: String,
    pub detail: Option<String>,
    /// What the name means, for people, by language tag: `{"en": "rear camera", "fr":
    /// "appareil photo arrière"}`. Empty where nothing says (older reports print the name).
    #[serde(default, skip_serializing_if = "BTreeMap::is_empty")]
    pub labels: BTreeMap<String, String>,
}

/// A check as any build signed it: `labels`, or the older `label` and `label_fr`.
#[derive(Deserialize)]
struct StoredCheckFact {
    name: String,
    outcome: String,
    #[serde(default)]
    detail: Option<String>,
    #[serde(default)]
    labels: BTreeMap<String, String>,
    #[serde(default)]
    label: Option<String>,
    #[serde(default)]
    label_fr: Option<String>,
}

impl From<StoredCheckFact> for CheckFact {
    fn from(stored: StoredCheckFact) -> Self {
        let mut labels = stored.labels;
        for (lang, label) in [(Lang::En, stored.label), (Lang::Fr, stored.label_fr)] {
            if let Some(label) = label {
                labels.entry(lang.as_str().to_owned()).or_insert(label);
            }
        }
        CheckFact {
            name: stored.name,
            outcome: stored.outcome,
            detail: stored.detail,
            labels,
        }
    }
}

impl CheckFact {
    /// The label in `lang`, else the English label, else the recorded name.
    pub fn label_in(&self, lang: Lang) -> &str {
        self.labels
            .get(lang.as_str())
            .or_else(|| self.labels.get(Lang::En.as_str()))
            .unwrap_or(&self.name)
    }
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(from = "StoredGradeFacts")]
pub struct GradeFacts {
    pub grade_id: Uuid,
    pub graded_at: DateTime<Utc>,
    pub operator: String,
    pub outcome: String,
    pub listing_grade: String,
    pub buyback_grade: String,
    pub policy_name: String,
    pub policy_version: String,
    pub policy_sha256: String,
    pub partial: bool,
    /// The grade's reasons by language tag, each followed by its rule id: `en` always, every
    /// other language the grade's reasons were told in (none for a grade made before the policy
    /// had French sentences).
    pub reasons: BTreeMap<String, Vec<String>>,
    pub checklist: Vec<CheckFact>,
    pub cosmetic: Vec<CheckFact>,
}

/// A grade as any build signed it: `reasons` by language, or the older English list in
/// `reasons` with the French one in `reasons_fr`.
#[derive(Deserialize)]
struct StoredGradeFacts {
    grade_id: Uuid,
    graded_at: DateTime<Utc>,
    operator: String,
    outcome: String,
    listing_grade: String,
    buyback_grade: String,
    policy_name: String,
    policy_version: String,
    policy_sha256: String,
    partial: bool,
    reasons: StoredReasons,
    #[serde(default)]
    reasons_fr: Vec<String>,
    checklist: Vec<CheckFact>,
    cosmetic: Vec<CheckFact>,
}

#[derive(Deserialize)]
#[serde(untagged)]
enum StoredReasons {
    ByLanguage(BTreeMap<String, Vec<String>>),
    English(Vec<String>),
}

impl From<StoredGradeFacts> for GradeFacts {
    fn from(stored: StoredGradeFacts) -> Self {
        let mut reasons = match stored.reasons {
            StoredReasons::ByLanguage(reasons) => reasons,
            StoredReasons::English(english) => {
                BTreeMap::from([(Lang::En.as_str().to_owned(), english)])
            }
        };
        if !stored.reasons_fr.is_empty() {
            reasons
                .entry(Lang::Fr.as_str().to_owned())
                .or_insert(stored.reasons_fr);
        }
        GradeFacts {
            grade_id: stored.grade_id,
            graded_at: stored.graded_at,
            operator: stored.operator,
            outcome: stored.outcome,
            listing_grade: stored.listing_grade,
            buyback_grade: stored.buyback_grade,
            policy_name: stored.policy_name,
            policy_version: stored.policy_version,
            policy_sha256: stored.policy_sha256,
            partial: stored.partial,
            reasons,
            checklist: stored.checklist,
            cosmetic: stored.cosmetic,
        }
    }
}

impl GradeFacts {
    /// The reasons to print in `lang`: the English ones when there are none in `lang`.
    pub fn reasons_in(&self, lang: Lang) -> &[String] {
        self.reasons
            .get(lang.as_str())
            .or_else(|| self.reasons.get(Lang::En.as_str()))
            .map_or(&[], Vec::as_slice)
    }
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct ErasureSummary {
    pub erasure_id: Uuid,
    pub method: String,
    pub status: String,
    pub target: String,
    pub bytes_verified: u64,
    pub finished_at: Option<DateTime<Utc>>,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct DeviceReport {
    pub device: DeviceIdentity,
    /// The latest intake's reading; `None` if the device was never read on a bench.
    pub intake_id: Option<Uuid>,
    pub intake_at: Option<DateTime<Utc>>,
    pub battery: Option<BatteryFacts>,
    pub lock: Option<LockFacts>,
    pub tests: Vec<CheckFact>,
    pub grade: Option<GradeFacts>,
    pub erasures: Vec<ErasureSummary>,
    /// The warranty the organisation gives with the device, in months from
    /// its sale (the `sale.warranty_months` setting; the marketplace asks for
    /// at least 12). Absent from reports issued before it was printed.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub warranty_months: Option<u32>,
}
