//! From a document's data to a [`Sheet`] in one language: which fields each kind of document
//! shows, under which headings, with which words.

use crate::document::Lang;
use crate::document::{
    Body, DestructionCertificate, DeviceReport, Document, ErasureCertificate, Media, MethodType,
    Person,
};
use crate::keys::PublicKeyInfo;
use crate::sheet::{Block, Sheet};
use crate::signed::SignedDocument;
use crate::texts::Texts;

/// What the QR code encodes: the verification URL when one is configured, else plain text
/// naming the document (see [`crate::qr`]).
pub fn qr_payload(template: Option<&str>, document: &Document, signed: &SignedDocument) -> String {
    let id = document.id.to_string();
    let digest = signed.signature_digest();
    match template {
        Some(template) if !template.trim().is_empty() => template
            .replace("{id}", &id)
            .replace("{digest}", &digest)
            .replace("{key}", &signed.signature.key_id),
        _ => crate::qr::offline_payload(document, signed),
    }
}

/// The printed form of a signed document.
pub fn sheet(
    document: &Document,
    lang: Lang,
    signed: &SignedDocument,
    key: &PublicKeyInfo,
    qr: String,
    signature_line: bool,
) -> Sheet {
    let t = Texts::new(lang);
    let issuer = &document.issuer;
    let mut issuer_lines = vec![issuer.name.clone()];
    issuer_lines.extend(issuer.address.iter().cloned());
    let contact: Vec<String> = [issuer.location.as_deref(), issuer.phone.as_deref()]
        .into_iter()
        .flatten()
        .map(str::to_owned)
        .collect();
    if !contact.is_empty() {
        issuer_lines.push(contact.join(" · "));
    }
    let kind_key = document.kind().as_str();
    let title = t.t(&format!("{kind_key}.title"));
    let subtitle = vec![
        format!("{} {}", t.t("doc.id"), document.id),
        format!(
            "{} {} · {} {}",
            t.t("doc.issued_at"),
            t.datetime(&document.issued_at),
            t.t("doc.issued_by"),
            person_line(&t, &document.issued_by)
        ),
    ];
    let mut blocks = match &document.body {
        Body::ErasureCertificate(body) => erasure_blocks(&t, body, signature_line),
        Body::DestructionCertificate(body) => destruction_blocks(&t, body, signature_line),
        Body::DeviceReport(body) => report_blocks(&t, body),
        Body::BatchReport(body) => crate::batch::blocks(&t, body),
    };
    // The seal closes the document, or its summary page when the rest is a long table.
    let seal_at = blocks
        .iter()
        .position(|block| matches!(block, Block::PageBreak))
        .unwrap_or(blocks.len());
    blocks.insert(
        seal_at,
        Block::Panel {
            heading: t.t("seal.heading"),
            fields: vec![
                (t.t("seal.signed_by"), issuer.name.clone()),
                (t.t("seal.algorithm"), t.t("seal.algorithm_value")),
                (t.t("seal.digest"), signed.signature_digest()),
                // The key's id and fingerprint are in the footer of every page.
                (t.t("seal.how"), t.t("seal.how_value")),
            ],
        },
    );
    Sheet {
        issuer: issuer_lines,
        title: title.clone(),
        subtitle,
        blocks,
        qr: Some({
            let caption = if qr.starts_with(crate::qr::OFFLINE_PREFIX) {
                t.t("doc.qr_caption_offline")
            } else {
                t.t("doc.qr_caption")
            };
            (qr, caption)
        }),
        footer: vec![
            format!("{title} · {}", document.id),
            format!(
                "{} {} · {} {}",
                t.t("seal.key_id"),
                key.key_id,
                t.t("seal.fingerprint"),
                key.fingerprint_grouped()
            ),
        ],
        // The layout fills in the page numbers once it knows the count.
        page_label: t.tell("doc.page", &[("n", "{n}"), ("m", "{m}")]),
        logo: None,
    }
}

fn person_line(t: &Texts, person: &Person) -> String {
    match &person.title {
        Some(title) => format!("{} ({})", person.name, t.code("role", title)),
        None => person.name.clone(),
    }
}

/// A person's title: an operator's role in words, or the title as given.
fn title(t: &Texts, person: &Person) -> String {
    match &person.title {
        Some(title) => t.code("role", title),
        None => t.or_unset(None),
    }
}

fn person_fields(t: &Texts, person: &Person) -> Vec<(String, String)> {
    vec![
        (t.t("person.name"), person.name.clone()),
        (t.t("person.title"), title(t, person)),
        (
            t.t("person.organisation"),
            t.or_unset(person.organisation.as_deref()),
        ),
        (
            t.t("person.location"),
            t.or_unset(person.location.as_deref()),
        ),
        (t.t("person.phone"), t.or_unset(person.phone.as_deref())),
    ]
}

fn media_fields(t: &Texts, media: &Media) -> Vec<(String, String)> {
    if media.media_type == "image_file" {
        return image_fields(t, media);
    }
    let mut fields = vec![
        (t.t("media.make"), t.or_unset(media.make.as_deref())),
        (t.t("media.model"), t.or_unset(media.model.as_deref())),
        (t.t("media.serial"), t.or_unset(media.serial.as_deref())),
    ];
    if let Some(imei) = &media.imei {
        fields.push((t.t("media.imei"), imei.clone()));
    }
    fields.extend([
        (
            t.t("media.property_number"),
            t.or_unset(media.property_number.as_deref()),
        ),
        (t.t("media.type"), t.code("media_type", &media.media_type)),
        (t.t("media.source"), t.or_unset(media.source.as_deref())),
        (
            t.t("media.classification"),
            t.or_unset(media.classification.as_deref()),
        ),
        (t.t("media.backed_up"), t.yes_no(media.data_backed_up)),
    ]);
    if let Some(size) = media.size_bytes {
        fields.push((t.t("media.size"), t.bytes(size)));
    }
    if let Some(target) = &media.target {
        fields.push((t.t("media.target"), target.clone()));
    }
    fields
}

/// An image file: what identifies it (its name, size and the hash of its first MiB), the
/// device it belongs to, and only the rows that say something; its path on the workstation
/// and a make or serial of its own do not apply.
fn image_fields(t: &Texts, media: &Media) -> Vec<(String, String)> {
    let known = |value: &Option<String>| value.clone().filter(|value| !value.trim().is_empty());
    let mut fields = vec![(t.t("media.type"), t.code("media_type", &media.media_type))];
    // A certificate signed before file names were facts holds the path: its last part.
    let file_name = known(&media.file_name).or_else(|| {
        known(&media.target).map(|path| {
            path.rsplit(['/', '\\'])
                .next()
                .unwrap_or(path.as_str())
                .to_owned()
        })
    });
    if let Some(name) = file_name {
        fields.push((t.t("media.file_name"), name));
    }
    if let Some(size) = media.size_bytes {
        fields.push((t.t("media.file_size"), t.bytes(size)));
    }
    let device: Vec<String> = [&media.make, &media.model]
        .into_iter()
        .filter_map(known)
        .collect();
    let mut ids: Vec<String> = Vec::new();
    if let Some(imei) = known(&media.imei) {
        ids.push(format!("{} {imei}", t.t("media.imei")));
    }
    if let Some(serial) = known(&media.serial) {
        ids.push(format!("{} {serial}", t.t("media.serial")));
    }
    if !device.is_empty() || !ids.is_empty() {
        let mut line = device.join(" ");
        if !ids.is_empty() {
            if !line.is_empty() {
                line.push_str(" · ");
            }
            line.push_str(&ids.join(" · "));
        }
        fields.push((t.t("media.device"), line));
    }
    for (key, value) in [
        ("media.property_number", &media.property_number),
        ("media.source", &media.source),
        ("media.classification", &media.classification),
    ] {
        if let Some(value) = known(value) {
            fields.push((t.t(key), value));
        }
    }
    if media.data_backed_up.is_some() {
        fields.push((t.t("media.backed_up"), t.yes_no(media.data_backed_up)));
    }
    if let Some(hash) = known(&media.head_sha256) {
        let when = t.t("media.head_sha256_when");
        fields.push((t.t("media.head_sha256"), format!("{hash}\n({when})")));
    }
    fields
}

fn method_type(t: &Texts, kind: MethodType) -> String {
    t.t(match kind {
        MethodType::Clear => "method_type.clear",
        MethodType::Purge => "method_type.purge",
        MethodType::Destroy => "method_type.destroy",
    })
}

/// The validation section: who validated and when, and a line to sign by hand when the
/// organisation wants one.
fn validation_blocks(
    t: &Texts,
    validated_by: &Person,
    validated_at: &chrono::DateTime<chrono::Utc>,
    signature_line: bool,
) -> Vec<Block> {
    vec![
        Block::Heading(t.t("section.validation")),
        Block::Validation {
            fields: vec![
                (t.t("person.name"), validated_by.name.clone()),
                (t.t("person.title"), title(t, validated_by)),
                (t.t("validation.date"), t.datetime(validated_at)),
            ],
            signature: signature_line.then(|| t.t("validation.signature")),
        },
    ]
}

/// Media fields: the short ones two to a row, then the device path or file on its own row.
fn media_blocks(t: &Texts, media: &Media) -> Vec<Block> {
    let wide_labels = [t.t("media.target"), t.t("media.head_sha256")];
    let (wide, short): (Vec<_>, Vec<_>) = media_fields(t, media)
        .into_iter()
        .partition(|(label, _)| wide_labels.contains(label));
    let mut blocks = vec![Block::Grid(short)];
    if !wide.is_empty() {
        blocks.push(Block::Fields(wide));
    }
    blocks
}

fn erasure_blocks(t: &Texts, body: &ErasureCertificate, signature_line: bool) -> Vec<Block> {
    let s = &body.sanitization;
    let run = &body.run;
    let mut blocks = vec![
        Block::Paragraph(t.t("erasure_certificate.statement")),
        Block::Heading(t.t("section.performed_by")),
        Block::Grid(person_fields(t, &body.performed_by)),
        Block::Heading(t.t("section.media")),
    ];
    blocks.extend(media_blocks(t, &body.media));
    blocks.extend([
        Block::Heading(t.t("section.sanitization")),
        Block::Grid(vec![
            (t.t("san.method_type"), method_type(t, s.method_type)),
            (t.t("san.method"), t.code("method", &s.method)),
            (t.t("san.details"), t.code("method_details", &s.method)),
            (t.t("san.passes"), s.passes.to_string()),
            (t.t("san.tool"), format!("{} {}", s.tool, s.tool_version)),
            (
                t.t("san.verification"),
                t.code("verification", verification_code(&s.verification)),
            ),
            (
                t.t("san.verification_result"),
                t.code("result", &s.verification_result),
            ),
            (t.t("san.destination"), destination(t, &body.destination)),
        ]),
        Block::Heading(t.t("section.record")),
    ]);
    let mut figures = vec![
        (t.t("run.started_at"), t.datetime(&run.started_at)),
        (t.t("run.finished_at"), t.datetime(&run.finished_at)),
        (
            t.t("run.duration"),
            format!("{} s", t.decimal(run.duration_s, 1)),
        ),
        (
            t.t("run.passes_completed"),
            format!("{} / {}", run.passes_completed, s.passes),
        ),
    ];
    // Bytes and throughput are what an overwrite measures; a bench or a person resetting a
    // phone writes nothing this station counts, so those rows do not apply.
    let overwrite = matches!(run.target_kind.as_str(), "block" | "image") || run.bytes_written > 0;
    if overwrite {
        figures.extend([
            (t.t("run.bytes_written"), t.bytes(run.bytes_written)),
            (t.t("run.bytes_verified"), t.bytes(run.bytes_verified)),
            (
                t.t("run.throughput"),
                format!(
                    "{} {}/s",
                    t.decimal(run.throughput_mib_s, 1),
                    t.t("unit.mib")
                ),
            ),
        ]);
    }
    figures.push((t.t("run.faults"), t.integer(run.fault_count)));
    if let Some(bench) = &run.bench {
        figures.push((
            t.t("run.bench"),
            format!("{} {} ({})", bench.vendor, bench.model, bench.serial),
        ));
        figures.push((t.t("run.slot"), bench.slot.to_string()));
    }
    blocks.push(Block::Grid(figures));
    let mut record = vec![(t.t("run.erasure_id"), run.erasure_id.to_string())];
    if let Some(seed) = &run.seed {
        record.push((t.t("run.seed"), seed.clone()));
    }
    // The station's id stays in the signed data: it means nothing to the customer reading.
    if let Some(bench) = &run.bench {
        if let Some(said) = bench.said.as_deref().filter(|said| !said.trim().is_empty()) {
            record.push((t.t("run.bench_said"), t.quoted(said)));
        }
    }
    if let Some(manual) = &run.manual {
        record.push((
            t.t("run.manual"),
            t.tell(
                "run.manual_value",
                &[
                    ("platform", &t.code("platform", &manual.platform)),
                    ("version", &manual.checklist_version),
                    ("steps", &manual.steps_confirmed.to_string()),
                ],
            ),
        ));
    }
    if let Some(detail) = &run.detail {
        // Documents issued before the bench and the manual reset were facts: their words.
        record.push((t.t("run.detail"), t.quoted(detail)));
    }
    if let Some(device) = run.device_id {
        record.push((t.t("run.device_id"), device.to_string()));
    }
    if let Some(replaces) = &body.replaces {
        record.push((
            t.t("run.replaces"),
            t.tell(
                "run.replaces_value",
                &[
                    ("id", &replaces.certificate_id.to_string()),
                    ("reason", &t.quoted(&replaces.reason)),
                ],
            ),
        ));
    }
    blocks.push(Block::Fields(record));
    if !run.faults.is_empty() {
        blocks.push(Block::Table {
            columns: vec![
                t.t("fault.kind"),
                t.t("fault.pass"),
                t.t("fault.offset"),
                t.t("fault.length"),
                t.t("fault.detail"),
            ],
            widths: vec![0.12, 0.08, 0.2, 0.15, 0.45],
            rows: run
                .faults
                .iter()
                .map(|fault| {
                    vec![
                        t.code("fault_kind", &fault.kind),
                        fault.pass.to_string(),
                        t.integer(fault.offset),
                        t.integer(fault.length),
                        t.quoted(&fault.detail),
                    ]
                })
                .collect(),
        });
    }
    blocks.extend(validation_blocks(
        t,
        &body.validated_by,
        &body.validated_at,
        signature_line,
    ));
    blocks
}

/// `sample:10` → `sample` (the percentage shows in the method details row instead).
fn verification_code(verification: &str) -> &str {
    verification.split(':').next().unwrap_or(verification)
}

fn destruction_blocks(
    t: &Texts,
    body: &DestructionCertificate,
    signature_line: bool,
) -> Vec<Block> {
    let mut blocks = vec![
        Block::Paragraph(t.t("destruction_certificate.statement")),
        Block::Heading(t.t("section.media")),
    ];
    blocks.extend(media_blocks(t, &body.media));
    blocks.extend([
        Block::Heading(t.t("section.destruction")),
        Block::Fields(vec![
            (t.t("san.method_type"), method_type(t, MethodType::Destroy)),
            (t.t("san.method"), t.code("destroy", &body.method)),
            (
                t.t("san.details"),
                t.or_unset(body.method_details.as_deref()),
            ),
            (t.t("destruction.date"), t.datetime(&body.destroyed_at)),
            (t.t("san.destination"), destination(t, &body.destination)),
            (t.t("destruction.id"), body.destruction_id.to_string()),
        ]),
        Block::Heading(t.t("section.performed_by")),
        Block::Grid(person_fields(t, &body.performed_by)),
        Block::Heading(t.t("section.witness")),
        Block::Grid(vec![
            (t.t("person.name"), body.witness.name.clone()),
            (t.t("person.title"), title(t, &body.witness)),
            (
                t.t("person.organisation"),
                t.or_unset(body.witness.organisation.as_deref()),
            ),
        ]),
        Block::Heading(t.t("section.evidence")),
    ]);
    if body.evidence.is_empty() {
        blocks.push(Block::Paragraph(t.t("evidence.none")));
    } else {
        blocks.push(Block::Table {
            columns: vec![
                t.t("evidence.file"),
                t.t("evidence.size"),
                "SHA-256".to_owned(),
            ],
            widths: vec![0.3, 0.14, 0.56],
            rows: body
                .evidence
                .iter()
                .map(|item| {
                    vec![
                        item.file_name.clone(),
                        t.integer(item.size_bytes),
                        item.sha256.clone(),
                    ]
                })
                .collect(),
        });
    }
    blocks.extend(validation_blocks(
        t,
        &body.validated_by,
        &body.validated_at,
        signature_line,
    ));
    blocks
}

fn number(t: &Texts, value: Option<f64>, unit: &str) -> String {
    match value {
        Some(value) => format!("{} {unit}", t.decimal(value, 0)),
        None => t.t("value.not_reported"),
    }
}

fn report_blocks(t: &Texts, body: &DeviceReport) -> Vec<Block> {
    let device = &body.device;
    let mut identity = vec![
        (t.t("device.category"), t.code("category", &device.category)),
        (t.t("media.make"), device.make.clone()),
        (t.t("media.model"), device.model.clone()),
        (
            t.t("device.model_code"),
            t.or_unset(device.model_code.as_deref()),
        ),
        (t.t("media.serial"), t.or_unset(device.serial.as_deref())),
    ];
    if let Some(imei) = &device.imei {
        let validity = match device.imei_valid {
            Some(false) => format!(" ({})", t.t("device.imei_invalid")),
            _ => String::new(),
        };
        identity.push((t.t("media.imei"), format!("{imei}{validity}")));
    }
    if let Some(storage) = device.storage_gb {
        identity.push((
            t.t("device.storage"),
            format!("{storage} {}", t.t("unit.gb")),
        ));
    }
    identity.push((t.t("device.id"), device.device_id.to_string()));
    identity.push((t.t("device.first_seen"), t.datetime(&device.first_seen)));
    let mut blocks = vec![
        Block::Heading(t.t("section.identity")),
        Block::Fields(identity),
        Block::Heading(t.t("section.battery")),
    ];
    match &body.battery {
        Some(battery) => {
            let mut fields = vec![
                (t.t("battery.present"), t.yes_no(battery.present)),
                (
                    t.t("battery.design"),
                    capacity(t, battery.design_mah, battery.design_mwh),
                ),
                (
                    t.t("battery.full"),
                    capacity(t, battery.full_mah, battery.full_mwh),
                ),
                (
                    t.t("battery.soh"),
                    match battery.soh_pct {
                        Some(soh) => format!("{} %", t.decimal(soh, 1)),
                        None => t.t("value.not_reported"),
                    },
                ),
                (
                    t.t("battery.cycles"),
                    battery
                        .cycles
                        .map(|cycles| t.integer(u64::from(cycles)))
                        .unwrap_or_else(|| t.t("value.not_reported")),
                ),
                (
                    t.t("battery.verdict"),
                    t.code("battery_verdict", &battery.verdict),
                ),
            ];
            if let Some(intake_at) = &body.intake_at {
                fields.push((t.t("report.read_at"), t.datetime(intake_at)));
            }
            blocks.push(Block::Fields(fields));
            push_reasons(t, &mut blocks, &battery.reasons_in(t.lang));
        }
        None => blocks.push(Block::Paragraph(t.t("report.no_intake"))),
    }
    blocks.push(Block::Heading(t.t("section.lock")));
    match &body.lock {
        Some(lock) => {
            blocks.push(Block::Fields(vec![
                (
                    t.t("lock.activation"),
                    lock_state(t, "activation", &lock.activation),
                ),
                (t.t("lock.account"), lock_state(t, "account", &lock.account)),
                (t.t("lock.mdm"), lock_state(t, "mdm", &lock.mdm)),
                (t.t("lock.carrier"), lock_state(t, "carrier", &lock.carrier)),
                (t.t("lock.verdict"), t.code("lock_verdict", &lock.verdict)),
            ]));
            push_reasons(t, &mut blocks, &lock.reasons_in(t.lang));
        }
        None => blocks.push(Block::Paragraph(t.t("report.no_intake"))),
    }
    if !body.tests.is_empty() {
        blocks.push(Block::Heading(t.t("section.tests")));
        blocks.push(checks_table(t, &body.tests, "test", Detail::BenchSaid));
    }
    blocks.push(Block::Heading(t.t("section.grade")));
    match &body.grade {
        Some(grade) => {
            blocks.push(Block::Fields(vec![
                (t.t("grade.outcome"), t.code("outcome", &grade.outcome)),
                (
                    t.t("grade.listing"),
                    t.code_with_word("listing", &grade.listing_grade),
                ),
                (
                    t.t("grade.buyback"),
                    t.code_with_word("buyback", &grade.buyback_grade),
                ),
                (
                    t.t("grade.policy"),
                    format!("{} {}", grade.policy_name, grade.policy_version),
                ),
                (t.t("grade.policy_sha256"), grade.policy_sha256.clone()),
                (
                    t.t("grade.graded"),
                    format!("{} · {}", t.datetime(&grade.graded_at), grade.operator),
                ),
                (t.t("grade.partial"), t.yes_no(Some(grade.partial))),
            ]));
            push_reasons(t, &mut blocks, grade.reasons_in(t.lang));
            if !grade.checklist.is_empty() {
                blocks.push(Block::Heading(t.t("section.checklist")));
                blocks.push(checks_table(t, &grade.checklist, "test", Detail::Note));
            }
            if !grade.cosmetic.is_empty() {
                blocks.push(Block::Heading(t.t("section.cosmetic")));
                blocks.push(checks_table(t, &grade.cosmetic, "level", Detail::Photos));
            }
        }
        None => blocks.push(Block::Paragraph(t.t("report.no_grade"))),
    }
    // What the marketplace asks a seller to state: the warranty, and that
    // a refurbished phone or tablet is no longer certified water-resistant.
    let mut sale = Vec::new();
    if let Some(months) = body.warranty_months {
        sale.push((
            t.t("sale.warranty"),
            t.tell("sale.warranty_months", &[("months", &months.to_string())]),
        ));
    }
    if matches!(body.device.category.as_str(), "phone" | "tablet") {
        sale.push((t.t("sale.water_resistance"), t.t("sale.not_guaranteed")));
    }
    if !sale.is_empty() {
        blocks.push(Block::Heading(t.t("section.sale")));
        blocks.push(Block::Fields(sale));
    }
    blocks.push(Block::Heading(t.t("section.erasures")));
    if body.erasures.is_empty() {
        blocks.push(Block::Paragraph(t.t("report.no_erasure")));
    } else {
        blocks.push(Block::Table {
            columns: vec![
                t.t("san.method"),
                t.t("report.status"),
                t.t("run.finished_at"),
                t.t("run.erasure_id"),
            ],
            widths: vec![0.25, 0.2, 0.16, 0.39],
            rows: body
                .erasures
                .iter()
                .map(|erasure| {
                    let mut status = t.code("status", &erasure.status);
                    if erasure.bytes_verified > 0 {
                        status = format!("{status}\n{}", t.bytes(erasure.bytes_verified));
                    }
                    vec![
                        t.code("method", &erasure.method),
                        status,
                        erasure
                            .finished_at
                            .map(|at| t.datetime(&at))
                            .unwrap_or_else(|| t.t("value.not_specified")),
                        erasure.erasure_id.to_string(),
                    ]
                })
                .collect(),
        });
    }
    blocks
}

fn capacity(t: &Texts, mah: Option<f64>, mwh: Option<f64>) -> String {
    match (mah, mwh) {
        (None, None) => t.t("value.not_reported"),
        (Some(mah), None) => number(t, Some(mah), "mAh"),
        (None, Some(mwh)) => number(t, Some(mwh), "mWh"),
        (Some(mah), Some(mwh)) => format!(
            "{} · {}",
            number(t, Some(mah), "mAh"),
            number(t, Some(mwh), "mWh")
        ),
    }
}

/// A lock state's word (`locked`, `icloud`…) in the document's language.
fn lock_state(t: &Texts, prefix: &str, word: &Option<String>) -> String {
    match word.as_deref() {
        Some(word) if !word.trim().is_empty() => t.code(prefix, word),
        other => t.or_unset(other),
    }
}

fn push_reasons(t: &Texts, blocks: &mut Vec<Block>, reasons: &[String]) {
    if reasons.is_empty() {
        return;
    }
    blocks.push(Block::Fields(vec![(
        t.t("report.reasons"),
        reasons
            .iter()
            .map(|reason| format!("• {reason}"))
            .collect::<Vec<_>>()
            .join("\n"),
    )]));
}

/// What a check table's third column holds.
#[derive(Clone, Copy)]
enum Detail {
    /// A bench's own words about its test (Bench Protocol `RESULT … detail`): quoted.
    BenchSaid,
    /// Words a person recorded with a checklist answer: quoted too.
    Note,
    /// Photos of a zone: file names and hashes.
    Photos,
}

/// A table of checks; `outcomes` is the catalogue prefix their outcome
/// words are told under (`test` for pass/fail, `level` for wear).
fn checks_table(
    t: &Texts,
    checks: &[crate::document::CheckFact],
    outcomes: &str,
    detail: Detail,
) -> Block {
    let header = match detail {
        Detail::BenchSaid => "check.bench_said",
        Detail::Note => "check.note",
        Detail::Photos => "check.photos",
    };
    Block::Table {
        columns: vec![t.t("check.name"), t.t("check.outcome"), t.t(header)],
        widths: vec![0.36, 0.16, 0.48],
        rows: checks
            .iter()
            .map(|check| {
                let said = check
                    .detail
                    .as_deref()
                    .filter(|said| !said.trim().is_empty());
                vec![
                    check.label_in(t.lang).to_owned(),
                    t.code(outcomes, &check.outcome),
                    match (said, detail) {
                        (None, _) => String::new(),
                        (Some(photos), Detail::Photos) => photos.to_owned(),
                        (Some(said), _) => t.quoted(said),
                    },
                ]
            })
            .collect(),
    }
}

/// Where media goes next: the words for a known destination (and for the default that older
/// documents hold in English), else the organisation's own words as set.
fn destination(t: &Texts, destination: &str) -> String {
    match destination {
        LEGACY_DEFAULT_DESTINATION => t.t("destination.reuse_resale"),
        other => t.code("destination", other),
    }
}

/// What documents issued before destinations were codes say when none was set.
const LEGACY_DEFAULT_DESTINATION: &str = "Reuse: refurbished for resale";

/// The destination written into a document when the organisation set none.
pub const DEFAULT_DESTINATION: &str = "reuse_resale";
