//! The station's durable memory: every device, intake, operator and audit entry, kept in one SQLite file that survives crashes and stands up in an audit.
//!
//! [`Store::open`] creates or upgrades the database (backing it up before
//! any upgrade) and refuses one made by a newer Refurbdesk. Every write runs
//! in one `BEGIN IMMEDIATE` transaction, retried while another program holds
//! the lock, and appends a hash-chained entry to the audit log in that same
//! transaction; [`Store::verify_audit`] and [`Store::check`] find what was
//! changed behind the store's back. Roles are enforced here, not only in the
//! UI: a write names its operator and is refused unless the operator's role
//! allows it.
//!
//! All SQL lives in this crate. Ids are UUID v7 and every record names the
//! station it was made on, so the data can later be replicated to a
//! site-wide database.

mod audit;
mod batch;
mod batches;
mod certificates;
mod checkpoint;
mod codec;
mod customers;
mod erasures;
mod error;
mod grades;
mod intake;
mod locks;
mod maintenance;
mod operators;
mod outbox;
mod overrides;
mod photos;
mod pins;
mod qa;
mod replica;
mod roles;
mod shipments;
mod site_owned;
mod stats;
mod store;

pub use audit::{AuditEntry, AuditProblem, AuditReport, ChainWalk, RecordMismatch, GENESIS_HASH};
pub use batches::{
    AccessoriesRecord, AuditSources, BatchLine, BatchRecord, ClosureRecord, ErasureFacts,
    GradeFacts, IntakeFacts, NewBatch, OpenDeclarations, OpenDuplicate, ReceiptRecord, Received,
};
pub use certificates::{
    CertificateFilter, CertificateRecord, DestructionRecord, NewCertificate, NewDestruction,
    SigningKeyRecord, VoidRecord,
};
pub use customers::{CustomerRecord, NewCustomer};
pub use erasures::{
    BenchErasureDetails, BenchErasureResult, BenchSlot, ErasureDetails, ErasureFault,
    ErasureFilter, ErasureRecord, ErasureResult, ErasureStatus, ManualResetDetails,
    ManualResetResult, NewBenchErasure, NewErasure, NewManualReset, OutcomeSource, PlannedStep,
    ResetStep, StepAnswer, StepConfirmation,
};
pub use error::StoreError;
pub use grades::{ChecklistAnswer, GradeRecord, GradeSummary, NewGrade, ZonePhoto, ZoneRecord};
pub use intake::{
    BenchInfo, DeviceCursor, DeviceFilter, DeviceRecord, DeviceRow, Direction, EvidenceLine,
    IntakeRecord, IntakeSummary, NewIntake, TestRecord,
};
pub use locks::{LockConfirmationRecord, NewLockConfirmation};
pub use maintenance::{CheckReport, RestoreReport};
pub use operators::{check_operator_name, Operator};
pub use outbox::{
    NewOutboxEntry, OutboxCounts, OutboxDecision, OutboxEntry, OutboxState, Stocking,
};
pub use overrides::{CertificateReplacementRecord, ChecklistOverrideRecord, NewChecklistOverride};
pub use photos::{NewPhoto, PhotoRecord, PHOTO_MAX_BYTES};
pub use pins::{PinAttempt, PinRecord, WrongPins};
pub use qa::{
    iso_week, NewQaDraw, NewQaResult, QaCandidate, QaCheckKind, QaOutcome, QaResult, QaSample,
};
pub use replica::{
    replica_entry_hash, replicated_digest, EntityLag, ReplicaEntry, ReplicaItem, NOT_REPLICATED,
};
pub use roles::{Action, Actor, Role, UnknownRoleError};
pub use shipments::{orderline_identity, NewShipment, ShipRefusal, ShipmentRecord, Shipped};
pub use site_owned::{
    SiteAttachment, SiteKey, SiteOperator, SitePull, SitePullApplied, SITE_OPERATOR,
};
pub use stats::{DashboardFigures, OperatorDay, SohBucket, TestTally, WordCount, SOH_BUCKET_PCT};
pub use store::{
    page_cache_kib, set_page_cache_kib, Durability, Store, DEFAULT_PAGE_CACHE_KIB, SCHEMA_VERSION,
};
