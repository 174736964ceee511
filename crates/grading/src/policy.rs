//! Grading policies: versioned TOML files of rules that turn a device's
//! verdicts, checklist and cosmetic zones into a grade.
//!
//! The file is read with spans so that every problem, whether a TOML syntax
//! error, an unknown key, a bad value, a rule that can never fire or two
//! rules that contradict each other, is reported with its line, all at once.
//! A policy with any problem is refused as a whole: grading never runs on a
//! policy that `refurbdesk policy check` would reject.

use std::collections::BTreeMap;
use std::fmt;
use std::ops::Range;
use std::str::FromStr;
use std::sync::OnceLock;

use refurbdesk_domain::{
    BatteryVerdictKind, CarrierLock, DeviceCategory, Lang, LockVerdictKind, Texts,
};
use serde::{Deserialize, Serialize};
use sha2::{Digest, Sha256};
use thiserror::Error;
use toml_edit::{Document, Item, TableLike};

use crate::analysis;
use crate::checklist::{is_identifier, Checklists, ItemGroup};
use crate::cosmetic::CosmeticLevel;
use crate::result::{Functional, ListingGrade, Outcome, PolicyId};
use crate::words::word_enum;

/// The policy shipped with Refurbdesk, `assets/policies/backmarket-default.toml`.
pub const DEFAULT_POLICY_TOML: &str =
    include_str!("../../../assets/policies/backmarket-default.toml");

/// One thing wrong with a policy file, at its place in the file.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Problem {
    /// 1-based.
    pub line: usize,
    /// 1-based, in characters.
    pub column: usize,
    pub message: String,
}

impl fmt::Display for Problem {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "line {}: {}", self.line, self.message)
    }
}

/// Why a policy file was refused: every problem found, in line order.
#[derive(Debug, Clone, PartialEq, Eq, Error)]
pub struct PolicyError {
    pub problems: Vec<Problem>,
}

impl fmt::Display for PolicyError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let count = self.problems.len();
        write!(
            f,
            "the policy has {count} problem{} (fix them, then check the policy again)",
            if count == 1 { "" } else { "s" }
        )?;
        for problem in &self.problems {
            write!(f, "\n  {problem}")?;
        }
        Ok(())
    }
}

/// The trade-in aesthetic bands: the worst cosmetic level still counted in
/// each. Beyond `good_at_most` a device is USED; any crack makes it CRACKED.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub struct BuybackBands {
    pub flawless_at_most: CosmeticLevel,
    pub good_at_most: CosmeticLevel,
}

/// The conditions of a rule; all that are set must hold for it to fire.
/// List conditions hold when the input is any of the listed values.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
pub struct Conditions {
    pub category: Option<Vec<DeviceCategory>>,
    pub lock: Option<Vec<LockVerdictKind>>,
    pub carrier: Option<Vec<CarrierLock>>,
    pub battery: Option<Vec<BatteryVerdictKind>>,
    /// Whether the device's kind needs a battery (phones, tablets, laptops).
    pub battery_required: Option<bool>,
    /// Battery health is known and below this percentage.
    pub soh_below: Option<f64>,
    pub imei_valid: Option<bool>,
    /// The charge cycles are above the mark for the battery's family.
    pub cycles_above_mark: Option<bool>,
    pub screen_at_least: Option<CosmeticLevel>,
    /// The worst zone other than the screen.
    pub body_at_least: Option<CosmeticLevel>,
    pub any_zone_at_least: Option<CosmeticLevel>,
    /// Any of these checklist items failed.
    pub item_failed: Option<Vec<String>>,
    /// Any item of these groups failed.
    pub group_failed: Option<Vec<ItemGroup>>,
    /// Manual items or zones were left unanswered (partial grading).
    pub unanswered: Option<bool>,
    /// At least this many other fired rules ask for a repair.
    pub repairs_at_least: Option<u32>,
}

word_enum! {
    /// What a `{name}` in a rule's reason is replaced with.
    Placeholder, "placeholder" {
        /// Battery health, e.g. "82.3".
        Soh => "soh",
        /// The rule's `soh_below`.
        Threshold => "threshold",
        /// The failed items the rule matched, by label.
        Failed => "failed",
        /// The zones the rule's cosmetic condition matched.
        Zones => "zones",
        /// The worst matched level, described ("visible scratches or dents").
        Level => "level",
        /// The unanswered items and uninspected zones.
        Unanswered => "unanswered",
        /// How many repairs the other rules asked for.
        Repairs => "repairs",
        Cycles => "cycles",
        CycleLimit => "cycle_limit",
        /// "phone", "laptop"…
        Category => "category",
        /// Make and model: "Apple iPhone 12".
        Device => "device",
    }
}

/// A piece of a reason: text as written, or a placeholder to fill.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) enum Segment {
    Text(String),
    Slot(Placeholder),
}

/// A catalogue message split into text and placeholders in English and French, when it is no
/// more than that in both.
fn compiled_message(id: &str) -> Option<Vec<(Lang, Vec<Segment>)>> {
    let compile = |lang: Lang| -> Option<Vec<Segment>> {
        lang.catalogue()
            .simple_pattern(id)?
            .into_iter()
            .map(|piece| match piece {
                refurbdesk_i18n::PatternPiece::Text(text) => Some(Segment::Text(text)),
                refurbdesk_i18n::PatternPiece::Variable(name) => {
                    name.parse::<Placeholder>().ok().map(Segment::Slot)
                }
            })
            .collect()
    };
    Lang::ALL
        .iter()
        .map(|lang| Some((*lang, compile(*lang)?)))
        .collect()
}

/// One rule of a policy.
#[derive(Debug, Clone, PartialEq)]
pub struct Rule {
    /// Stable across versions and languages, e.g. `battery.below_threshold`.
    pub id: String,
    /// Where its `[[rule]]` header is.
    pub line: usize,
    pub when: Conditions,
    pub outcome: Option<Outcome>,
    pub grade_at_most: Option<ListingGrade>,
    pub functional: Option<Functional>,
    /// The catalogue message that tells the reason in every language
    /// (`reason_id`), with `{ $placeholders }` as arguments.
    pub reason_id: Option<String>,
    /// The English sentence written in the policy itself (`reason`), with
    /// `{placeholders}`: what a rule without `reason_id` tells in every
    /// language that has no sentence of its own. Empty with `reason_id` alone.
    pub reason: String,
    pub(crate) segments: Vec<Segment>,
    /// Sentences the policy itself writes in other languages, by language tag
    /// (an older policy's `reason_fr` is `"fr"`; `policy check` says how to
    /// move it to the catalogue).
    pub written_reasons: Texts,
    /// [`Rule::written_reasons`] split into text and placeholders, by language tag.
    pub(crate) written_segments: BTreeMap<String, Vec<Segment>>,
    /// The placeholders `reason_id`'s message uses, in any language.
    pub(crate) message_slots: Vec<Placeholder>,
    /// `reason_id`'s message in every language split into text and placeholders once, when it
    /// is plain text and arguments in all of them: grading then fills it without asking Fluent
    /// to resolve the pattern for every device (`None`: told through the catalogue each time).
    pub(crate) message_segments: Option<Vec<(Lang, Vec<Segment>)>>,
}

impl Rule {
    /// Whether the rule changes anything, rather than only adding a note.
    pub fn has_effect(&self) -> bool {
        self.outcome.is_some() || self.grade_at_most.is_some() || self.functional.is_some()
    }
}

/// A loaded, checked policy.
#[derive(Debug, Clone, PartialEq)]
pub struct Policy {
    pub id: PolicyId,
    pub description: Option<String>,
    pub buyback: BuybackBands,
    /// What each listing grade means, shown as the last reason, in English:
    /// `[grades]`, or the English catalogue's sentences of `[grade_ids]`.
    pub grade_texts: BTreeMap<ListingGrade, String>,
    /// Sentences the policy writes in other languages, by language tag (an
    /// older policy's `[grades_fr]` is `"fr"`); empty when the file has none.
    pub written_grade_texts: BTreeMap<String, BTreeMap<ListingGrade, String>>,
    /// The catalogue message of each grade's sentence (`[grade_ids]`); empty
    /// when the policy writes its sentences itself.
    pub grade_ids: BTreeMap<ListingGrade, String>,
    /// What `policy check` warns about: loadable, but to be moved.
    pub warnings: Vec<Problem>,
    /// In file order, which is the order reasons are listed in.
    pub rules: Vec<Rule>,
    /// The last reason of a grade, in English and (when the policy has it) French, told once:
    /// it depends on the grade alone, so grading copies it rather than telling it per device.
    pub(crate) grade_reasons: OnceLock<BTreeMap<ListingGrade, Texts>>,
}

impl Policy {
    /// The sentences that close every grade's reasons: "Very good: …" / "Très bon état : …".
    pub(crate) fn grade_reason(&self, grade: ListingGrade) -> &Texts {
        let told = self.grade_reasons.get_or_init(|| {
            let tell = |lang: Lang, grade: ListingGrade, sentence: &str| {
                lang.catalogue().tell(
                    "grade-reason",
                    &[("title", grade.title_in(lang)), ("sentence", sentence)],
                )
            };
            ListingGrade::ALL
                .iter()
                .copied()
                .map(|grade| {
                    // English always; another language when the catalogue or the policy words it.
                    let texts = Lang::ALL
                        .iter()
                        .filter_map(|&lang| {
                            let sentence = self
                                .grade_text_in(grade, lang)
                                .or_else(|| (lang == Lang::En).then(String::new))?;
                            Some((lang.as_str().to_owned(), tell(lang, grade, &sentence)))
                        })
                        .collect();
                    (grade, texts)
                })
                .collect()
        });
        &told[&grade]
    }

    /// Parses and checks a policy against the shipped checklists.
    pub fn from_toml(text: &str) -> Result<Policy, PolicyError> {
        Policy::from_toml_with(text, Checklists::embedded())
    }

    /// Parses and checks a policy against the given checklists.
    pub fn from_toml_with(text: &str, checklists: &Checklists) -> Result<Policy, PolicyError> {
        let (policy, problems) = read(text, checklists);
        match policy {
            Some(policy) if problems.is_empty() => Ok(policy),
            _ => Err(PolicyError { problems }),
        }
    }

    /// The shipped default policy, parsed once.
    pub fn embedded_default() -> &'static Policy {
        static DEFAULT: OnceLock<Policy> = OnceLock::new();
        DEFAULT.get_or_init(|| {
            // The crate's tests prove the shipped file is valid; a broken
            // one can only come from editing the file without running them.
            Policy::from_toml(DEFAULT_POLICY_TOML)
                .unwrap_or_else(|error| panic!("the shipped default policy is broken: {error}"))
        })
    }

    /// The rule with this id.
    pub fn rule(&self, id: &str) -> Option<&Rule> {
        self.rules.iter().find(|rule| rule.id == id)
    }

    /// What `grade` means in `lang`: its catalogue message, else the
    /// policy's own sentence (English; French from `[grades_fr]`). `None`
    /// for a language the policy has no sentence in.
    pub fn grade_text_in(&self, grade: ListingGrade, lang: Lang) -> Option<String> {
        if let Some(id) = self.grade_ids.get(&grade) {
            return Some(lang.catalogue().tell(id, &[]));
        }
        match lang {
            Lang::En => self.grade_texts.get(&grade).cloned(),
            _ => self
                .written_grade_texts
                .get(lang.as_str())
                .and_then(|texts| texts.get(&grade))
                .cloned(),
        }
    }
}

/// What `policy check` found.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct PolicyCheck {
    /// Name and version, when the `[policy]` table could be read.
    pub policy: Option<PolicyId>,
    pub rules: usize,
    pub problems: Vec<Problem>,
    /// Loadable but to be moved, such as `reason_fr` and `[grades_fr]`: each
    /// says how. A policy with warnings only is valid.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub warnings: Vec<Problem>,
}

impl PolicyCheck {
    pub fn is_valid(&self) -> bool {
        self.problems.is_empty()
    }
}

/// Checks a policy file and reports every problem with its line.
pub fn check_policy(text: &str, checklists: &Checklists) -> PolicyCheck {
    let (policy, problems) = read(text, checklists);
    let (id, rules, warnings) = match policy {
        Some(policy) => (Some(policy.id), policy.rules.len(), policy.warnings),
        None => (None, 0, Vec::new()),
    };
    PolicyCheck {
        policy: id,
        rules,
        problems,
        warnings,
    }
}

/// Reads a policy, collecting problems instead of stopping at the first.
/// Returns the policy when it could be assembled at all (it may still have
/// problems), and every problem sorted by place.
fn read(text: &str, checklists: &Checklists) -> (Option<Policy>, Vec<Problem>) {
    let mut reader = Reader {
        text,
        problems: Vec::new(),
        warnings: Vec::new(),
    };
    let mut policy = reader.document(checklists);
    if let Some(policy) = &policy {
        for (rule_index, message) in analysis::analyse(policy, checklists) {
            let line = policy.rules[rule_index].line;
            reader.problems.push(Problem {
                line,
                column: 1,
                message,
            });
        }
    }
    let mut problems = reader.problems;
    problems.sort_by_key(|problem| (problem.line, problem.column));
    problems.dedup();
    if let Some(policy) = &mut policy {
        let mut warnings = reader.warnings;
        warnings.sort_by_key(|warning| (warning.line, warning.column));
        policy.warnings = warnings;
    }
    (policy, problems)
}

struct Reader<'a> {
    text: &'a str,
    problems: Vec<Problem>,
    warnings: Vec<Problem>,
}

const ROOT_KEYS: &[&str] = &[
    "policy",
    "buyback",
    "grades",
    "grade_ids",
    "grades_fr",
    "rule",
];
const POLICY_KEYS: &[&str] = &["name", "version", "description"];
const BUYBACK_KEYS: &[&str] = &["flawless_at_most", "good_at_most"];
const RULE_KEYS: &[&str] = &[
    "id",
    "when",
    "outcome",
    "grade_at_most",
    "functional",
    "reason_id",
    "reason",
    "reason_fr",
];
const WHEN_KEYS: &[&str] = &[
    "category",
    "lock",
    "carrier",
    "battery",
    "battery_required",
    "soh_below",
    "imei_valid",
    "cycles_above_mark",
    "screen_at_least",
    "body_at_least",
    "any_zone_at_least",
    "item_failed",
    "group_failed",
    "unanswered",
    "repairs_at_least",
];

impl Reader<'_> {
    fn place(&self, span: Option<Range<usize>>) -> (usize, usize) {
        let offset = span.map_or(0, |span| span.start).min(self.text.len());
        let before = &self.text[..offset];
        let line = before.matches('\n').count() + 1;
        let line_start = before.rfind('\n').map_or(0, |index| index + 1);
        let column = before[line_start..].chars().count() + 1;
        (line, column)
    }

    /// The value as written in the file, for quoting it back in messages.
    fn raw(&self, item: &Item) -> String {
        item.span()
            .and_then(|span| self.text.get(span))
            .unwrap_or_default()
            .trim()
            .to_owned()
    }

    fn warning(&mut self, span: Option<Range<usize>>, message: impl Into<String>) {
        let (line, column) = self.place(span);
        self.warnings.push(Problem {
            line,
            column,
            message: message.into(),
        });
    }

    fn problem(&mut self, span: Option<Range<usize>>, message: impl Into<String>) {
        let (line, column) = self.place(span);
        self.problems.push(Problem {
            line,
            column,
            message: message.into(),
        });
    }

    /// Spans of a key and of its value, for messages about either.
    fn key_span(table: &dyn TableLike, key: &str) -> Option<Range<usize>> {
        table.key(key).and_then(|key| key.span())
    }

    /// Reports keys that are not in `allowed`.
    fn unknown_keys(&mut self, table: &dyn TableLike, allowed: &[&str], context: &str) {
        let unknown: Vec<String> = table
            .iter()
            .map(|(key, _)| key.to_owned())
            .filter(|key| !allowed.contains(&key.as_str()))
            .collect();
        for key in unknown {
            let suggestion = closest(&key, allowed)
                .map(|close| format!("did you mean `{close}`? "))
                .unwrap_or_default();
            self.problem(
                Self::key_span(table, &key),
                format!(
                    "unknown key `{key}` in {context}; {suggestion}the keys allowed there are: {}",
                    allowed.join(", ")
                ),
            );
        }
    }

    fn document(&mut self, checklists: &Checklists) -> Option<Policy> {
        let document = match Document::parse(self.text) {
            Ok(document) => document,
            Err(error) => {
                let message = error.message().trim().to_owned();
                self.problem(error.span(), format!("this is not valid TOML: {message}"));
                return None;
            }
        };
        let root = document.as_table();
        self.unknown_keys(root, ROOT_KEYS, "the policy file");

        let id = self.policy_table(root.get("policy"));
        let buyback = self.buyback_table(root.get("buyback"));
        let grade_ids = self.grade_ids_table(root.get("grade_ids"));
        let grade_texts = match &grade_ids {
            Some(ids) if !ids.is_empty() => Some(
                ids.iter()
                    .map(|(grade, id)| (*grade, Lang::En.catalogue().tell(id, &[])))
                    .collect(),
            ),
            _ => self.grades_table(root.get("grades")),
        };
        let grade_texts_fr =
            self.grades_fr_table(root.get("grades_fr"), Self::key_span(root, "grades_fr"));
        let rules = self.rules(root.get("rule"), checklists);

        let digest = hex::encode(Sha256::digest(self.text.as_bytes()));
        let (name, version, description) = id?;
        Some(Policy {
            id: PolicyId {
                name,
                version,
                sha256: digest,
            },
            description,
            buyback: buyback?,
            grade_texts: grade_texts?,
            written_grade_texts: Some(grade_texts_fr?)
                .filter(|french| !french.is_empty())
                .map(|french| BTreeMap::from([(Lang::Fr.as_str().to_owned(), french)]))
                .unwrap_or_default(),
            grade_ids: grade_ids?,
            warnings: Vec::new(),
            rules,
            grade_reasons: OnceLock::new(),
        })
    }

    /// A table that must exist, reported at the top of the file when absent.
    fn required_table<'i>(
        &mut self,
        item: Option<&'i Item>,
        name: &str,
        example: &str,
    ) -> Option<&'i dyn TableLike> {
        match item {
            None => {
                self.problem(
                    None,
                    format!("the [{name}] table is missing; add it, e.g. {example}"),
                );
                None
            }
            Some(item) => match item.as_table_like() {
                Some(table) => Some(table),
                None => {
                    self.problem(item.span(), format!("`{name}` must be a table: [{name}]"));
                    None
                }
            },
        }
    }

    fn policy_table(&mut self, item: Option<&Item>) -> Option<(String, String, Option<String>)> {
        let table = self.required_table(
            item,
            "policy",
            "[policy] name = \"my-shop\" version = \"1.0\"",
        )?;
        let span = item.and_then(Item::span);
        self.unknown_keys(table, POLICY_KEYS, "[policy]");
        let name = self.required_text(table, "name", "[policy]", span.clone());
        let version = self.required_text(table, "version", "[policy]", span);
        let description = table
            .get("description")
            .and_then(|item| self.text_value(item, "description"));
        Some((name?, version?, description))
    }

    fn buyback_table(&mut self, item: Option<&Item>) -> Option<BuybackBands> {
        let table = self.required_table(
            item,
            "buyback",
            "[buyback] flawless_at_most = \"micro\" good_at_most = \"light\"",
        )?;
        let span = item.and_then(Item::span);
        self.unknown_keys(table, BUYBACK_KEYS, "[buyback]");
        let level = |reader: &mut Self, key: &str| -> Option<CosmeticLevel> {
            match table.get(key) {
                None => {
                    reader.problem(
                        span.clone(),
                        format!("[buyback] has no `{key}`; add it with a cosmetic level (flawless, micro, light, visible)"),
                    );
                    None
                }
                Some(item) => reader.word::<CosmeticLevel>(item, key),
            }
        };
        let flawless = level(self, "flawless_at_most");
        let good = level(self, "good_at_most");
        let (flawless, good) = (flawless?, good?);
        let mut valid = true;
        if good >= CosmeticLevel::Cracked || flawless >= CosmeticLevel::Cracked {
            self.problem(
                table.get("good_at_most").and_then(Item::span),
                "a cracked device is always CRACKED on the trade-in scale; [buyback] levels must be below cracked",
            );
            valid = false;
        }
        if flawless > good {
            self.problem(
                table.get("flawless_at_most").and_then(Item::span),
                format!(
                    "flawless_at_most = \"{flawless}\" is worse than good_at_most = \"{good}\", so the two \
                     bands contradict each other; flawless_at_most must be at or below good_at_most"
                ),
            );
            valid = false;
        }
        valid.then_some(BuybackBands {
            flawless_at_most: flawless,
            good_at_most: good,
        })
    }

    fn grades_table(&mut self, item: Option<&Item>) -> Option<BTreeMap<ListingGrade, String>> {
        self.required_table(
            item,
            "grades",
            "[grades] PREMIUM = \"Like new…\" (one sentence per grade)",
        )?;
        self.grade_sentences(item?, "grades")
    }

    /// `[grades_fr]`: optional, but when present it has every grade.
    fn grades_fr_table(
        &mut self,
        item: Option<&Item>,
        header: Option<Range<usize>>,
    ) -> Option<BTreeMap<ListingGrade, String>> {
        match item {
            None => Some(BTreeMap::new()),
            Some(item) if item.as_table_like().is_none() => {
                self.problem(
                    item.span(),
                    "`grades_fr` must be a table: [grades_fr] PREMIUM = \"Comme neuf…\"",
                );
                None
            }
            Some(item) => {
                self.warning(
                    header.or(item.span()),
                    "[grades_fr] still loads, but a policy's sentences now live in the message catalogue: \
                     move each French sentence to assets/locales/fr/grading.ftl under an id \
                     (grade-sentence-premium = …), the English one from [grades] to \
                     assets/locales/en/grading.ftl under the same id, and replace both tables with \
                     [grade_ids] PREMIUM = \"grade-sentence-premium\" (one id per grade)",
                );
                self.grade_sentences(item, "grades_fr")
            }
        }
    }

    /// `[grade_ids]`: optional; when present it names every grade's message,
    /// and each must exist in every language of the catalogue.
    fn grade_ids_table(&mut self, item: Option<&Item>) -> Option<BTreeMap<ListingGrade, String>> {
        let Some(item) = item else {
            return Some(BTreeMap::new());
        };
        if item.as_table_like().is_none() {
            self.problem(
                item.span(),
                "`grade_ids` must be a table: [grade_ids] PREMIUM = \"grade-sentence-premium\"",
            );
            return None;
        }
        let ids = self.grade_sentences(item, "grade_ids")?;
        let table = item.as_table_like()?;
        let mut valid = true;
        for (grade, id) in &ids {
            let span = table.get(grade.as_str()).and_then(Item::span);
            valid &= self.message_exists(span, id, "grade_ids");
        }
        valid.then_some(ids)
    }

    /// Whether `id` is a message of every language's catalogue; a problem
    /// at `span` for each language it is missing from.
    fn message_exists(&mut self, span: Option<Range<usize>>, id: &str, key: &str) -> bool {
        let mut exists = true;
        for lang in Lang::ALL {
            if !lang.catalogue().has(id) {
                self.problem(
                    span.clone(),
                    format!(
                        "`{key}` names the message `{id}`, which the {lang} catalogue does not have; \
                         add it to assets/locales/{lang}/grading.ftl or name a message that exists"
                    ),
                );
                exists = false;
            }
        }
        exists
    }

    /// The placeholders a message uses in any language, or a problem for
    /// an argument that is not one.
    fn message_slots(&mut self, span: Option<Range<usize>>, id: &str) -> Option<Vec<Placeholder>> {
        let mut slots = Vec::new();
        let mut valid = true;
        for lang in Lang::ALL {
            for name in lang.catalogue().variables(id).unwrap_or_default() {
                match name.parse::<Placeholder>() {
                    Ok(slot) if !slots.contains(&slot) => slots.push(slot),
                    Ok(_) => {}
                    Err(_) => {
                        self.problem(
                            span.clone(),
                            format!(
                                "the message `{id}` ({lang}) uses {{ ${name} }}, which is not a placeholder; use one of: {}",
                                Placeholder::WORDS.join(", ")
                            ),
                        );
                        valid = false;
                    }
                }
            }
        }
        valid.then_some(slots)
    }

    fn grade_sentences(
        &mut self,
        item: &Item,
        name: &str,
    ) -> Option<BTreeMap<ListingGrade, String>> {
        let table = item.as_table_like()?;
        let span = item.span();
        self.unknown_keys(table, ListingGrade::WORDS, &format!("[{name}]"));
        let mut texts = BTreeMap::new();
        for grade in ListingGrade::ALL {
            match table.get(grade.as_str()) {
                None => self.problem(
                    span.clone(),
                    format!(
                        "[{name}] has no sentence for {grade}; every grade needs one, since it is shown as the last reason"
                    ),
                ),
                Some(item) => {
                    if let Some(text) = self.text_value(item, grade.as_str()) {
                        texts.insert(*grade, text);
                    }
                }
            }
        }
        (texts.len() == ListingGrade::ALL.len()).then_some(texts)
    }

    fn rules(&mut self, item: Option<&Item>, checklists: &Checklists) -> Vec<Rule> {
        let Some(item) = item else {
            self.problem(
                None,
                "the policy has no rules; add [[rule]] tables (see assets/policies/backmarket-default.toml)",
            );
            return Vec::new();
        };
        let Some(array) = item.as_array_of_tables() else {
            self.problem(
                item.span(),
                "`rule` must be an array of tables: write each rule under its own [[rule]] header",
            );
            return Vec::new();
        };
        let mut rules: Vec<Rule> = Vec::new();
        for table in array.iter() {
            let Some(rule) = self.rule(table, checklists) else {
                continue;
            };
            if let Some(first) = rules.iter().find(|known| known.id == rule.id) {
                let line = first.line;
                self.problem(
                    Self::key_span(table, "id").or(table.span()),
                    format!(
                        "rule id `{}` is already used by the rule at line {line}; rule ids must be unique",
                        rule.id
                    ),
                );
                continue;
            }
            rules.push(rule);
        }
        rules
    }

    fn rule(&mut self, table: &toml_edit::Table, checklists: &Checklists) -> Option<Rule> {
        let span = table.span();
        let (line, _) = self.place(span.clone());
        self.unknown_keys(table, RULE_KEYS, "a [[rule]]");
        let problems_before = self.problems.len();

        let id = self.required_text(table, "id", "this [[rule]]", span.clone());
        if let Some(id) = &id {
            let valid = id.split('.').all(is_identifier);
            if !valid {
                self.problem(
                    table.get("id").and_then(Item::span),
                    format!(
                        "rule id `{id}` is not valid: use lowercase words of letters, digits and _ joined by dots, e.g. `battery.below_threshold`"
                    ),
                );
            }
        }
        let when = match table.get("when") {
            None => {
                self.problem(
                    span.clone(),
                    "this [[rule]] has no `when`; add its conditions as [rule.when] (or when = {} for a rule that always fires)",
                );
                None
            }
            Some(item) => self.conditions(item, checklists),
        };
        let outcome = table
            .get("outcome")
            .and_then(|item| self.word::<Outcome>(item, "outcome"));
        let grade_at_most = table
            .get("grade_at_most")
            .and_then(|item| self.word::<ListingGrade>(item, "grade_at_most"));
        let functional = table
            .get("functional")
            .and_then(|item| self.word::<Functional>(item, "functional"));
        if outcome == Some(Outcome::Sellable) {
            self.problem(
                table.get("outcome").and_then(Item::span),
                "outcome = \"sellable\" can never take effect: every device starts sellable and rules can only make the outcome more severe",
            );
        }
        if grade_at_most == Some(ListingGrade::Premium) {
            self.problem(
                table.get("grade_at_most").and_then(Item::span),
                "grade_at_most = \"PREMIUM\" can never take effect: every device starts at PREMIUM and rules can only lower it",
            );
        }
        if functional == Some(Functional::Full) {
            self.problem(
                table.get("functional").and_then(Item::span),
                "functional = \"full\" can never take effect: every device starts fully functional and rules can only lower it",
            );
        }
        let reason_id = table
            .get("reason_id")
            .and_then(|item| self.text_value(item, "reason_id"));
        let message_slots = match &reason_id {
            Some(message) => {
                let span = table.get("reason_id").and_then(Item::span);
                if self.message_exists(span.clone(), message, "reason_id") {
                    self.message_slots(span, message)
                } else {
                    None
                }
            }
            None => Some(Vec::new()),
        };
        let reason = match (&reason_id, table.get("reason")) {
            (Some(_), None) => Some(String::new()),
            (None, None) => {
                self.problem(
                    span,
                    "this [[rule]] has no `reason`; add reason_id = \"...\" naming its message in \
                     assets/locales/<lang>/grading.ftl, or reason = \"...\" with the English sentence",
                );
                None
            }
            (_, Some(item)) => self.text_value(item, "reason"),
        };
        let segments = reason
            .as_ref()
            .and_then(|reason| self.segments(table, "reason", reason));
        let reason_fr = table
            .get("reason_fr")
            .and_then(|item| self.text_value(item, "reason_fr"));
        let segments_fr = reason_fr
            .as_ref()
            .and_then(|reason| self.segments(table, "reason_fr", reason));
        if reason_fr.is_some() {
            let suggested = id.as_deref().map_or("reason-…".to_owned(), |id| {
                format!("reason-{}", id.replace(['.', '_'], "-"))
            });
            self.warning(
                Self::key_span(table, "reason_fr"),
                format!(
                    "`reason_fr` still loads, but a rule's sentences now live in the message catalogue: \
                     move it to assets/locales/fr/grading.ftl as `{suggested} = …` (placeholders \
                     written {{ $name }}), the English `reason` to assets/locales/en/grading.ftl under \
                     the same id, and replace both keys with reason_id = \"{suggested}\""
                ),
            );
        }
        if self.problems.len() > problems_before {
            return None;
        }
        Some(Rule {
            id: id?,
            line,
            when: when?,
            outcome,
            grade_at_most,
            functional,
            reason: reason?,
            segments: segments?,
            written_reasons: reason_fr
                .map(|reason| Texts::from([(Lang::Fr.as_str().to_owned(), reason)]))
                .unwrap_or_default(),
            written_segments: segments_fr
                .map(|segments| BTreeMap::from([(Lang::Fr.as_str().to_owned(), segments)]))
                .unwrap_or_default(),
            message_slots: message_slots?,
            message_segments: reason_id.as_deref().and_then(compiled_message),
            reason_id,
        })
    }

    /// A reason split into text and placeholders, or a problem at `key`.
    fn segments(
        &mut self,
        table: &toml_edit::Table,
        key: &str,
        reason: &str,
    ) -> Option<Vec<Segment>> {
        match parse_segments(reason) {
            Ok(segments) => Some(segments),
            Err(message) => {
                self.problem(table.get(key).and_then(Item::span), message);
                None
            }
        }
    }

    fn conditions(&mut self, item: &Item, checklists: &Checklists) -> Option<Conditions> {
        let Some(table) = item.as_table_like() else {
            self.problem(
                item.span(),
                "`when` must be a table of conditions: [rule.when] or when = { lock = \"blocked\" }",
            );
            return None;
        };
        self.unknown_keys(table, WHEN_KEYS, "a rule's `when`");
        let problems_before = self.problems.len();
        let get = |key: &str| table.get(key);
        let mut when = Conditions {
            category: get("category").and_then(|item| self.words(item, "category")),
            lock: get("lock").and_then(|item| self.words(item, "lock")),
            carrier: get("carrier").and_then(|item| self.words(item, "carrier")),
            battery: get("battery").and_then(|item| self.words(item, "battery")),
            battery_required: get("battery_required")
                .and_then(|item| self.boolean(item, "battery_required")),
            soh_below: get("soh_below").and_then(|item| self.percentage(item, "soh_below")),
            imei_valid: get("imei_valid").and_then(|item| self.boolean(item, "imei_valid")),
            cycles_above_mark: get("cycles_above_mark")
                .and_then(|item| self.boolean(item, "cycles_above_mark")),
            screen_at_least: get("screen_at_least")
                .and_then(|item| self.word(item, "screen_at_least")),
            body_at_least: get("body_at_least").and_then(|item| self.word(item, "body_at_least")),
            any_zone_at_least: get("any_zone_at_least")
                .and_then(|item| self.word(item, "any_zone_at_least")),
            item_failed: None,
            group_failed: get("group_failed").and_then(|item| self.words(item, "group_failed")),
            unanswered: get("unanswered").and_then(|item| self.boolean(item, "unanswered")),
            repairs_at_least: get("repairs_at_least")
                .and_then(|item| self.count(item, "repairs_at_least")),
        };
        if let Some(item) = get("item_failed") {
            when.item_failed = self.item_ids(item, checklists);
        }
        (self.problems.len() == problems_before).then_some(when)
    }

    fn required_text(
        &mut self,
        table: &dyn TableLike,
        key: &str,
        context: &str,
        span: Option<Range<usize>>,
    ) -> Option<String> {
        match table.get(key) {
            None => {
                self.problem(
                    span,
                    format!("{context} has no `{key}`; add {key} = \"...\""),
                );
                None
            }
            Some(item) => self.text_value(item, key),
        }
    }

    fn text_value(&mut self, item: &Item, key: &str) -> Option<String> {
        match item.as_str() {
            Some(text) if text.trim().is_empty() => {
                self.problem(
                    item.span(),
                    format!("`{key}` is empty; write something in it"),
                );
                None
            }
            Some(text) => Some(text.trim().to_owned()),
            None => {
                self.problem(
                    item.span(),
                    format!(
                        "`{key}` must be a string in quotes, e.g. {key} = \"{}\"",
                        self.raw(item)
                    ),
                );
                None
            }
        }
    }

    fn word<T>(&mut self, item: &Item, key: &str) -> Option<T>
    where
        T: FromStr,
        T::Err: fmt::Display,
    {
        let text = self.text_value(item, key)?;
        match text.parse::<T>() {
            Ok(value) => Some(value),
            Err(error) => {
                self.problem(item.span(), format!("`{key}`: {error}"));
                None
            }
        }
    }

    /// A word or a list of words; an empty list matches nothing.
    fn words<T>(&mut self, item: &Item, key: &str) -> Option<Vec<T>>
    where
        T: FromStr,
        T::Err: fmt::Display,
    {
        if item.as_str().is_some() {
            return self.word(item, key).map(|value| vec![value]);
        }
        let Some(array) = item.as_array() else {
            self.problem(
                item.span(),
                format!("`{key}` must be a word in quotes or a list of them, e.g. {key} = [\"a\", \"b\"]"),
            );
            return None;
        };
        if array.is_empty() {
            self.problem(
                item.span(),
                format!("`{key}` is an empty list, which matches nothing, so this rule can never fire; list at least one value or remove the condition"),
            );
            return None;
        }
        let mut values = Vec::with_capacity(array.len());
        let mut valid = true;
        for value in array.iter() {
            let parsed = match value.as_str() {
                Some(text) => text
                    .parse::<T>()
                    .map_err(|error| format!("`{key}`: {error}")),
                None => Err(format!("`{key}` must list words in quotes")),
            };
            match parsed {
                Ok(parsed) => values.push(parsed),
                Err(message) => {
                    self.problem(value.span(), message);
                    valid = false;
                }
            }
        }
        valid.then_some(values)
    }

    fn item_ids(&mut self, item: &Item, checklists: &Checklists) -> Option<Vec<String>> {
        let ids: Vec<ItemId> = self.words(item, "item_failed")?;
        let mut valid = true;
        for id in &ids {
            if checklists.group_of(&id.0).is_none() {
                let mut known: Vec<&str> = checklists
                    .iter()
                    .flat_map(|template| template.items().iter().map(|item| &*item.id))
                    .collect();
                known.sort_unstable();
                known.dedup();
                let suggestion = closest(&id.0, &known)
                    .map(|close| format!("did you mean `{close}`? "))
                    .unwrap_or_default();
                self.problem(
                    item.span(),
                    format!(
                        "`item_failed` names `{}`, which is on no checklist; {suggestion}the items are: {}",
                        id.0,
                        known.join(", ")
                    ),
                );
                valid = false;
            }
        }
        valid.then(|| ids.into_iter().map(|id| id.0).collect())
    }

    fn boolean(&mut self, item: &Item, key: &str) -> Option<bool> {
        let value = item.as_bool();
        if value.is_none() {
            self.problem(
                item.span(),
                format!("`{key}` must be true or false (without quotes)"),
            );
        }
        value
    }

    fn percentage(&mut self, item: &Item, key: &str) -> Option<f64> {
        let value = item
            .as_float()
            .or_else(|| item.as_integer().map(|number| number as f64));
        match value {
            None => {
                self.problem(
                    item.span(),
                    format!("`{key}` must be a number of percent, e.g. {key} = 85.0"),
                );
                None
            }
            Some(value) if !value.is_finite() || value <= 0.0 => {
                self.problem(
                    item.span(),
                    format!(
                        "`{key}` = {} can never hold: no battery health is below it; use a percentage above 0",
                        self.raw(item)
                    ),
                );
                None
            }
            Some(value) if value > 200.0 => {
                self.problem(
                    item.span(),
                    format!("`{key}` = {value} is not a battery health percentage; use a value such as 85.0"),
                );
                None
            }
            Some(value) => Some(value),
        }
    }

    fn count(&mut self, item: &Item, key: &str) -> Option<u32> {
        match item.as_integer() {
            Some(value) if value >= 1 && value <= i64::from(u32::MAX) => Some(value as u32),
            Some(_) => {
                self.problem(
                    item.span(),
                    format!("`{key}` must be at least 1; at 0 it always holds, so leave the condition out instead"),
                );
                None
            }
            None => {
                self.problem(
                    item.span(),
                    format!("`{key}` must be a whole number, e.g. {key} = 3"),
                );
                None
            }
        }
    }
}

/// A checklist item id as written in a policy; its existence is checked
/// against the checklists separately.
struct ItemId(String);

impl FromStr for ItemId {
    type Err = String;

    fn from_str(word: &str) -> Result<Self, Self::Err> {
        if is_identifier(word) {
            Ok(ItemId(word.to_owned()))
        } else {
            Err(format!(
                "{word:?} is not a checklist item id (lowercase letters, digits and _)"
            ))
        }
    }
}

/// The allowed word closest to a misspelt one, when it is close enough to
/// be the likely intent.
fn closest<'a>(word: &str, allowed: &[&'a str]) -> Option<&'a str> {
    allowed
        .iter()
        .map(|candidate| (edit_distance(word, candidate), *candidate))
        .filter(|(distance, candidate)| *distance <= 2.max(candidate.len() / 4))
        .min_by_key(|(distance, _)| *distance)
        .map(|(_, candidate)| candidate)
}

fn edit_distance(a: &str, b: &str) -> usize {
    let b: Vec<char> = b.chars().collect();
    let mut previous: Vec<usize> = (0..=b.len()).collect();
    for (i, ca) in a.chars().enumerate() {
        let mut current = vec![i + 1; b.len() + 1];
        for (j, cb) in b.iter().enumerate() {
            let substitution = previous[j] + usize::from(ca != *cb);
            current[j + 1] = substitution.min(previous[j + 1] + 1).min(current[j] + 1);
        }
        previous = current;
    }
    previous[b.len()]
}

/// Splits a reason into text and `{placeholders}`; `{{` and `}}` are
/// literal braces.
fn parse_segments(reason: &str) -> Result<Vec<Segment>, String> {
    let mut segments = Vec::new();
    let mut text = String::new();
    let mut chars = reason.chars().peekable();
    while let Some(c) = chars.next() {
        match c {
            '{' if chars.peek() == Some(&'{') => {
                chars.next();
                text.push('{');
            }
            '}' if chars.peek() == Some(&'}') => {
                chars.next();
                text.push('}');
            }
            '{' => {
                let mut name = String::new();
                loop {
                    match chars.next() {
                        Some('}') => break,
                        Some(c) => name.push(c),
                        None => {
                            return Err(format!(
                                "the reason opens `{{{name}` but never closes it; write `}}` after the placeholder name, or `{{{{` for a literal brace"
                            ))
                        }
                    }
                }
                let slot = name.parse::<Placeholder>().map_err(|_| {
                    format!(
                        "the reason uses the placeholder {{{name}}}, which does not exist; use one of: {}",
                        Placeholder::WORDS
                            .iter()
                            .map(|word| format!("{{{word}}}"))
                            .collect::<Vec<_>>()
                            .join(", ")
                    )
                })?;
                if !text.is_empty() {
                    segments.push(Segment::Text(std::mem::take(&mut text)));
                }
                segments.push(Segment::Slot(slot));
            }
            '}' => {
                return Err(
                    "the reason has a `}` that closes nothing; write `}}` for a literal brace"
                        .to_owned(),
                )
            }
            c => text.push(c),
        }
    }
    if !text.is_empty() {
        segments.push(Segment::Text(text));
    }
    Ok(segments)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_reason_of_the_shipped_policy_is_filled_without_resolving_fluent_per_device() {
        // Grading holds its speed target only while each sentence is compiled once at load.
        for rule in &Policy::embedded_default().rules {
            if let Some(id) = &rule.reason_id {
                assert!(
                    rule.message_segments.is_some(),
                    "rule {} tells {id} through Fluent for every device",
                    rule.id
                );
            }
        }
    }

    #[test]
    fn the_shipped_policy_is_valid() {
        let check = check_policy(DEFAULT_POLICY_TOML, Checklists::embedded());
        assert!(check.is_valid(), "{:#?}", check.problems);
        let policy = Policy::embedded_default();
        assert_eq!(policy.id.name, "backmarket-default");
        assert!(!policy.id.version.is_empty());
        assert_eq!(policy.id.sha256.len(), 64);
        assert_eq!(policy.grade_texts.len(), 6);
    }

    #[test]
    fn placeholders_split_from_text() {
        assert_eq!(
            parse_segments("Health {soh}% < {threshold}% {{ok}}").expect("parses"),
            vec![
                Segment::Text("Health ".into()),
                Segment::Slot(Placeholder::Soh),
                Segment::Text("% < ".into()),
                Segment::Slot(Placeholder::Threshold),
                Segment::Text("% {ok}".into()),
            ]
        );
        assert!(parse_segments("{nope}").unwrap_err().contains("{nope}"));
        assert!(parse_segments("{soh").unwrap_err().contains("never closes"));
        assert!(parse_segments("a } b")
            .unwrap_err()
            .contains("closes nothing"));
    }

    #[test]
    fn near_misses_get_a_suggestion() {
        assert_eq!(closest("grade_at_mots", RULE_KEYS), Some("grade_at_most"));
        assert_eq!(closest("soh_bellow", WHEN_KEYS), Some("soh_below"));
        assert_eq!(closest("colour", RULE_KEYS), None);
    }
}
