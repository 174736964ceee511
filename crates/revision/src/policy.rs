//! The trade-in revision policy: a versioned TOML file
//! (`assets/policies/tradein-default.toml` ships) saying how much each
//! difference between what a customer declared and what the auditor found
//! takes off the quote.
//!
//! Like the grading policy, the file is read with spans, so every problem (TOML
//! syntax, an unknown key, a bad amount, a rule that could never apply) is
//! reported with its line, all at once, and a policy with any problem is
//! refused whole.

use std::collections::BTreeMap;
use std::fmt;
use std::ops::Range;
use std::sync::OnceLock;

use refurbdesk_domain::Accessory;
use serde::{Deserialize, Serialize};
use sha2::{Digest, Sha256};
use thiserror::Error;
use toml_edit::{Document, Item, TableLike};

use crate::money::Amount;

/// The policy shipped with Refurbdesk, `assets/policies/tradein-default.toml`.
pub const DEFAULT_TRADEIN_POLICY_TOML: &str =
    include_str!("../../../assets/policies/tradein-default.toml");

/// The value of `[policy] kind` that makes a file a trade-in revision policy.
pub const KIND: &str = "tradein";

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
            "the trade-in policy has {count} problem{} (fix them, then check the policy again)",
            if count == 1 { "" } else { "s" }
        )?;
        for problem in &self.problems {
            write!(f, "\n  {problem}")?;
        }
        Ok(())
    }
}

/// A policy by name, version and the SHA-256 of its text.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct PolicyId {
    pub name: String,
    pub version: String,
    pub sha256: String,
}

impl fmt::Display for PolicyId {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{} {}", self.name, self.version)
    }
}

/// What happens to a device whose lock stops its sale.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum LockAction {
    /// Sent back to the customer; nothing is paid for it.
    Return,
    /// Kept until the customer removes the lock; nothing is paid while it is locked.
    Hold,
    /// Priced as if unlocked (only for a lock that could not be read).
    Ignore,
}

impl LockAction {
    pub fn as_str(self) -> &'static str {
        match self {
            LockAction::Return => "return",
            LockAction::Hold => "hold",
            LockAction::Ignore => "ignore",
        }
    }
}

/// What a model or storage that differs from the declaration does to the quote.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Mismatch {
    /// The quote is for another device: it is flagged to be made again, and the rule takes
    /// nothing off by itself.
    Requote,
    /// A fixed deduction.
    Deduct(Amount),
}

/// A loaded, checked trade-in revision policy. Every percentage is of the quoted price
/// (deductions do not compound).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct TradeinPolicy {
    pub id: PolicyId,
    /// ISO 4217, e.g. "EUR": the currency of every `cents` amount and of the quotes it revises.
    pub currency: String,
    pub description: Option<String>,
    /// `[price] floor`: what a device that is not locked is never revised below (0 when absent).
    pub floor: Amount,
    /// `[grade] per_step`: per step the found trade-in grade is below the declared one.
    pub grade_step: Amount,
    /// `[accessories] mandatory_missing`: per missing accessory its category must come with.
    pub mandatory_missing: Amount,
    /// `[accessories.optional]`: per declared accessory that is missing and not mandatory;
    /// one not listed takes nothing off.
    pub optional_missing: BTreeMap<Accessory, Amount>,
    /// `[battery] replace`: the battery verdict is `replace`.
    pub battery_replace: Amount,
    /// `[battery] consumed`: the battery verdict is `consumed`.
    pub battery_consumed: Amount,
    /// `[functions] per_failed`: per failed functional check.
    pub per_failed_function: Amount,
    /// `[lock] blocked`: return or hold (never ignore).
    pub lock_blocked: LockAction,
    /// `[lock] unknown`: a lock that could not be read (ignore when absent).
    pub lock_unknown: LockAction,
    /// `[mismatch] model`: another model (or make, or category) than declared.
    pub model_mismatch: Mismatch,
    /// `[mismatch] storage`: less storage than declared.
    pub storage_mismatch: Mismatch,
}

impl TradeinPolicy {
    /// The rules a trade-in policy has, by the names adjustments carry.
    pub const RULES: &'static [&'static str] = &[
        "grade.step",
        "accessory.mandatory",
        "accessory.optional",
        "battery.replace",
        "battery.consumed",
        "function.failed",
        "lock.blocked",
        "lock.unknown",
        "mismatch.model",
        "mismatch.storage",
    ];

    /// Parses and checks a policy; any problem refuses it whole.
    pub fn from_toml(text: &str) -> Result<TradeinPolicy, PolicyError> {
        let (policy, problems) = read(text);
        match policy {
            Some(policy) if problems.is_empty() => Ok(policy),
            _ => Err(PolicyError { problems }),
        }
    }

    /// The shipped default policy, parsed once.
    pub fn embedded_default() -> &'static TradeinPolicy {
        static DEFAULT: OnceLock<TradeinPolicy> = OnceLock::new();
        DEFAULT.get_or_init(|| {
            // The crate's tests prove the shipped file is valid.
            TradeinPolicy::from_toml(DEFAULT_TRADEIN_POLICY_TOML)
                .unwrap_or_else(|error| panic!("the shipped trade-in policy is broken: {error}"))
        })
    }

    /// What a missing `accessory` that is not mandatory takes off.
    pub fn optional_amount(&self, accessory: Accessory) -> Amount {
        self.optional_missing
            .get(&accessory)
            .copied()
            .unwrap_or(Amount::ZERO)
    }
}

/// Whether `text` declares itself a trade-in revision policy (`[policy] kind = "tradein"`).
/// A file that is not valid TOML is judged by its lines, so that its syntax error is
/// reported by the right checker.
///
/// ```
/// use refurbdesk_revision::{is_tradein_policy, DEFAULT_TRADEIN_POLICY_TOML};
///
/// assert!(is_tradein_policy(DEFAULT_TRADEIN_POLICY_TOML));
/// assert!(!is_tradein_policy("[policy]\nname = \"backmarket-default\"\n"));
/// assert!(is_tradein_policy("[policy]\nkind = \"tradein\"\nname = \"broken\n"));
/// ```
pub fn is_tradein_policy(text: &str) -> bool {
    match Document::parse(text) {
        Ok(document) => document
            .get("policy")
            .and_then(Item::as_table_like)
            .and_then(|table| table.get("kind"))
            .and_then(Item::as_str)
            .is_some_and(|kind| kind.trim() == KIND),
        Err(_) => text.lines().any(|line| {
            let line = line.trim();
            line.strip_prefix("kind")
                .map(str::trim_start)
                .and_then(|rest| rest.strip_prefix('='))
                .map(|value| value.trim().trim_matches(|c| c == '"' || c == '\''))
                == Some(KIND)
        }),
    }
}

/// What checking a trade-in policy found.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct PolicyCheck {
    /// Name and version, when the `[policy]` table could be read.
    pub policy: Option<PolicyId>,
    /// How many rules the policy sets ([`TradeinPolicy::RULES`]), when it loads.
    pub rules: usize,
    /// Every problem, in line order.
    pub problems: Vec<Problem>,
}

impl PolicyCheck {
    pub fn is_valid(&self) -> bool {
        self.problems.is_empty()
    }
}

/// Checks a trade-in policy and reports every problem with its line.
///
/// ```
/// use refurbdesk_revision::{check_tradein_policy, DEFAULT_TRADEIN_POLICY_TOML};
///
/// assert!(check_tradein_policy(DEFAULT_TRADEIN_POLICY_TOML).is_valid());
/// let broken = DEFAULT_TRADEIN_POLICY_TOML.replace("per_step = { percent = 15 }", "per_step = 15");
/// let check = check_tradein_policy(&broken);
/// assert_eq!(check.problems.len(), 1);
/// assert!(check.problems[0].message.contains("`per_step` must be an amount"));
/// ```
pub fn check_tradein_policy(text: &str) -> PolicyCheck {
    let (policy, problems) = read(text);
    PolicyCheck {
        rules: if policy.is_some() && problems.is_empty() {
            TradeinPolicy::RULES.len()
        } else {
            0
        },
        policy: policy.map(|policy| policy.id),
        problems,
    }
}

fn read(text: &str) -> (Option<TradeinPolicy>, Vec<Problem>) {
    let mut reader = Reader {
        text,
        problems: Vec::new(),
    };
    let policy = reader.document();
    let mut problems = reader.problems;
    problems.sort_by_key(|problem| (problem.line, problem.column));
    problems.dedup();
    (policy, problems)
}

const ROOT_KEYS: &[&str] = &[
    "policy",
    "price",
    "grade",
    "accessories",
    "battery",
    "functions",
    "lock",
    "mismatch",
];
const POLICY_KEYS: &[&str] = &["kind", "name", "version", "currency", "description"];
const PRICE_KEYS: &[&str] = &["floor"];
const GRADE_KEYS: &[&str] = &["per_step"];
const ACCESSORIES_KEYS: &[&str] = &["mandatory_missing", "optional"];
const BATTERY_KEYS: &[&str] = &["replace", "consumed"];
const FUNCTIONS_KEYS: &[&str] = &["per_failed"];
const LOCK_KEYS: &[&str] = &["blocked", "unknown"];
const MISMATCH_KEYS: &[&str] = &["model", "storage"];
const AMOUNT_KEYS: &[&str] = &["cents", "percent"];

/// A table of the policy and the span of its header.
type Section<'i> = (&'i dyn TableLike, Option<Range<usize>>);

struct Reader<'a> {
    text: &'a str,
    problems: Vec<Problem>,
}

impl Reader<'_> {
    fn place(&self, span: Option<Range<usize>>) -> (usize, usize) {
        let offset = span.map_or(0, |span| span.start).min(self.text.len());
        let before = &self.text[..offset];
        let line = before.matches('\n').count() + 1;
        let line_start = before.rfind('\n').map_or(0, |index| index + 1);
        let column = before[line_start..].chars().count() + 1;
        (line, column)
    }

    fn raw(&self, item: &Item) -> String {
        item.span()
            .and_then(|span| self.text.get(span))
            .unwrap_or_default()
            .trim()
            .to_owned()
    }

    fn problem(&mut self, span: Option<Range<usize>>, message: impl Into<String>) {
        let (line, column) = self.place(span);
        self.problems.push(Problem {
            line,
            column,
            message: message.into(),
        });
    }

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
                table.key(&key).and_then(|key| key.span()),
                format!(
                    "unknown key `{key}` in {context}; {suggestion}the keys allowed there are: {}",
                    allowed.join(", ")
                ),
            );
        }
    }

    fn document(&mut self) -> Option<TradeinPolicy> {
        let document = match Document::parse(self.text) {
            Ok(document) => document,
            Err(error) => {
                let message = error.message().trim().to_owned();
                self.problem(error.span(), format!("this is not valid TOML: {message}"));
                return None;
            }
        };
        let root = document.as_table();
        self.unknown_keys(root, ROOT_KEYS, "the trade-in policy file");

        let head = self.policy_table(root.get("policy"));
        let floor = match root.get("price") {
            None => Some(Amount::ZERO),
            Some(item) => self.table(item, "price").and_then(|table| {
                self.unknown_keys(table, PRICE_KEYS, "[price]");
                match table.get("floor") {
                    None => Some(Amount::ZERO),
                    Some(item) => self.amount(item, "floor"),
                }
            }),
        };
        if let (Some(Amount::Percent(100)), Some(item)) = (floor, root.get("price")) {
            let span = item
                .as_table_like()
                .and_then(|table| table.get("floor"))
                .and_then(Item::span);
            self.problem(
                span,
                "`floor` = { percent = 100 } keeps the whole quote, so no rule could ever lower it; \
                 use a floor below 100 percent",
            );
        }

        let grade = self.required_table(root.get("grade"), "grade", GRADE_KEYS);
        let grade_step = grade.and_then(|table| self.required_amount(table, "grade", "per_step"));

        let accessories =
            self.required_table(root.get("accessories"), "accessories", ACCESSORIES_KEYS);
        let mandatory_missing = accessories
            .clone()
            .and_then(|table| self.required_amount(table, "accessories", "mandatory_missing"));
        let optional_missing = match accessories.and_then(|(table, _)| table.get("optional")) {
            None => Some(BTreeMap::new()),
            Some(item) => self.optional(item),
        };

        let battery = self.required_table(root.get("battery"), "battery", BATTERY_KEYS);
        let battery_replace = battery
            .clone()
            .and_then(|table| self.required_amount(table, "battery", "replace"));
        let battery_consumed =
            battery.and_then(|table| self.required_amount(table, "battery", "consumed"));

        let functions = self.required_table(root.get("functions"), "functions", FUNCTIONS_KEYS);
        let per_failed_function =
            functions.and_then(|table| self.required_amount(table, "functions", "per_failed"));

        let lock = self.required_table(root.get("lock"), "lock", LOCK_KEYS);
        let lock_blocked = lock
            .clone()
            .and_then(|(table, header)| match table.get("blocked") {
                None => {
                    self.problem(
                        header,
                        "[lock] has no `blocked`; add blocked = \"return\" or blocked = \"hold\"",
                    );
                    None
                }
                Some(item) => {
                    self.lock_action(item, "blocked", &[LockAction::Return, LockAction::Hold])
                }
            });
        let lock_unknown = lock.and_then(|(table, _)| match table.get("unknown") {
            None => Some(LockAction::Ignore),
            Some(item) => self.lock_action(
                item,
                "unknown",
                &[LockAction::Return, LockAction::Hold, LockAction::Ignore],
            ),
        });

        let mismatch = self.required_table(root.get("mismatch"), "mismatch", MISMATCH_KEYS);
        let model_mismatch = mismatch
            .clone()
            .and_then(|table| self.required_mismatch(table, "model"));
        let storage_mismatch = mismatch.and_then(|table| self.required_mismatch(table, "storage"));

        let (name, version, currency, description) = head?;
        Some(TradeinPolicy {
            id: PolicyId {
                name,
                version,
                sha256: hex::encode(Sha256::digest(self.text.as_bytes())),
            },
            currency,
            description,
            floor: floor?,
            grade_step: grade_step?,
            mandatory_missing: mandatory_missing?,
            optional_missing: optional_missing?,
            battery_replace: battery_replace?,
            battery_consumed: battery_consumed?,
            per_failed_function: per_failed_function?,
            lock_blocked: lock_blocked?,
            lock_unknown: lock_unknown?,
            model_mismatch: model_mismatch?,
            storage_mismatch: storage_mismatch?,
        })
    }

    fn table<'i>(&mut self, item: &'i Item, name: &str) -> Option<&'i dyn TableLike> {
        let table = item.as_table_like();
        if table.is_none() {
            self.problem(item.span(), format!("`{name}` must be a table: [{name}]"));
        }
        table
    }

    /// A table that must exist, with its unknown keys reported.
    fn required_table<'i>(
        &mut self,
        item: Option<&'i Item>,
        name: &str,
        allowed: &[&str],
    ) -> Option<Section<'i>> {
        let Some(item) = item else {
            self.problem(
                None,
                format!(
                    "the [{name}] table is missing; add it with {} (see assets/policies/tradein-default.toml)",
                    allowed.join(", ")
                ),
            );
            return None;
        };
        let table = self.table(item, name)?;
        self.unknown_keys(table, allowed, &format!("[{name}]"));
        Some((table, item.span()))
    }

    fn policy_table(
        &mut self,
        item: Option<&Item>,
    ) -> Option<(String, String, String, Option<String>)> {
        let (table, span) = self.required_table(item, "policy", POLICY_KEYS)?;
        if let Some(kind) = self.required_text(table, "kind", "[policy]", span.clone()) {
            if kind != KIND {
                self.problem(
                    table.get("kind").and_then(Item::span),
                    format!(
                        "`kind` = \"{kind}\" is not a trade-in policy; write kind = \"{KIND}\""
                    ),
                );
            }
        }
        let name = self.required_text(table, "name", "[policy]", span.clone());
        let version = self.required_text(table, "version", "[policy]", span.clone());
        let currency = self
            .required_text(table, "currency", "[policy]", span)
            .and_then(|currency| {
                if currency.len() == 3 && currency.chars().all(|c| c.is_ascii_uppercase()) {
                    Some(currency)
                } else {
                    self.problem(
                        table.get("currency").and_then(Item::span),
                        format!(
                            "`currency` = \"{currency}\" is not an ISO 4217 code; write three capital letters, e.g. currency = \"EUR\""
                        ),
                    );
                    None
                }
            });
        let description = table
            .get("description")
            .and_then(|item| self.text_value(item, "description"));
        Some((name?, version?, currency?, description))
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

    /// An amount `[context]` must have; reported at the table's header when absent.
    fn required_amount(
        &mut self,
        (table, header): Section<'_>,
        context: &str,
        key: &str,
    ) -> Option<Amount> {
        match table.get(key) {
            None => {
                self.problem(
                    header,
                    format!(
                        "[{context}] has no `{key}`; add {key} = {{ cents = 0 }} or {key} = {{ percent = 0 }} with the amount it takes off"
                    ),
                );
                None
            }
            Some(item) => self.amount(item, key),
        }
    }

    /// `{ cents = N }` or `{ percent = N }`: whole numbers, cents at least 0, percent 0 to 100.
    fn amount(&mut self, item: &Item, key: &str) -> Option<Amount> {
        let example = format!("{key} = {{ cents = 2500 }} or {key} = {{ percent = 10 }}");
        let Some(table) = item.as_table_like() else {
            self.problem(
                item.span(),
                format!(
                    "`{key}` must be an amount in whole cents or whole percent of the quote, e.g. {example} (found {})",
                    self.raw(item)
                ),
            );
            return None;
        };
        let context = format!("`{key}`");
        self.unknown_keys(table, AMOUNT_KEYS, &context);
        let (cents, percent) = (table.get("cents"), table.get("percent"));
        let span = item.span();
        match (cents, percent) {
            (Some(_), Some(percent)) => {
                self.problem(
                    percent.span().or(span),
                    format!("`{key}` gives both cents and percent; keep one, e.g. {example}"),
                );
                None
            }
            (None, None) => {
                if table.iter().next().is_none() {
                    self.problem(span, format!("`{key}` is empty; write {example}"));
                }
                None
            }
            (Some(value), None) => match value.as_integer() {
                Some(cents) if cents >= 0 => Some(Amount::Cents(cents as u64)),
                Some(_) => {
                    self.problem(
                        value.span(),
                        format!("`{key}`: cents = {} is negative; a rule only takes off, so write 0 or more", self.raw(value)),
                    );
                    None
                }
                None => {
                    self.problem(
                        value.span(),
                        format!(
                            "`{key}`: cents = {} is not a whole number of cents; money is counted in cents without decimals (25.50 is cents = 2550)",
                            self.raw(value)
                        ),
                    );
                    None
                }
            },
            (None, Some(value)) => match value.as_integer() {
                Some(percent) if (0..=100).contains(&percent) => {
                    Some(Amount::Percent(percent as u32))
                }
                Some(_) => {
                    self.problem(
                        value.span(),
                        format!(
                            "`{key}`: percent = {} is not between 0 and 100",
                            self.raw(value)
                        ),
                    );
                    None
                }
                None => {
                    self.problem(
                        value.span(),
                        format!(
                            "`{key}`: percent = {} must be a whole percentage from 0 to 100, e.g. percent = 15",
                            self.raw(value)
                        ),
                    );
                    None
                }
            },
        }
    }

    fn optional(&mut self, item: &Item) -> Option<BTreeMap<Accessory, Amount>> {
        let Some(table) = item.as_table_like() else {
            self.problem(
                item.span(),
                "`optional` must be a table of accessories: [accessories.optional] box = { cents = 0 }",
            );
            return None;
        };
        let mut amounts = BTreeMap::new();
        let mut valid = true;
        for (key, value) in table.iter() {
            match key.parse::<Accessory>() {
                Ok(accessory) => match self.amount(value, key) {
                    Some(amount) => {
                        amounts.insert(accessory, amount);
                    }
                    None => valid = false,
                },
                Err(error) => {
                    let suggestion = closest(key, Accessory::WORDS)
                        .map(|close| format!("did you mean `{close}`? "))
                        .unwrap_or_default();
                    self.problem(
                        table.key(key).and_then(|key| key.span()),
                        format!("[accessories.optional]: {error}; {suggestion}"),
                    );
                    valid = false;
                }
            }
        }
        valid.then_some(amounts)
    }

    fn lock_action(
        &mut self,
        item: &Item,
        key: &str,
        allowed: &[LockAction],
    ) -> Option<LockAction> {
        let words: Vec<&str> = allowed.iter().map(|action| action.as_str()).collect();
        let text = self.text_value(item, key)?;
        match allowed.iter().find(|action| action.as_str() == text) {
            Some(action) => Some(*action),
            None => {
                let why = if key == "blocked" && text == "ignore" {
                    "a locked device cannot be bought as if it were not; "
                } else {
                    ""
                };
                self.problem(
                    item.span(),
                    format!(
                        "`{key}` = \"{text}\": {why}use one of: {}",
                        words.join(", ")
                    ),
                );
                None
            }
        }
    }

    fn required_mismatch(&mut self, (table, header): Section<'_>, key: &str) -> Option<Mismatch> {
        let Some(item) = table.get(key) else {
            self.problem(
                header,
                format!("[mismatch] has no `{key}`; add {key} = \"requote\" or {key} = {{ cents = 5000 }}"),
            );
            return None;
        };
        if let Some(word) = item.as_str() {
            return if word.trim() == "requote" {
                Some(Mismatch::Requote)
            } else {
                self.problem(
                    item.span(),
                    format!(
                        "`{key}` = \"{}\": write \"requote\" or an amount, e.g. {key} = {{ cents = 5000 }}",
                        word.trim()
                    ),
                );
                None
            };
        }
        self.amount(item, key).map(Mismatch::Deduct)
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

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_shipped_policy_is_valid() {
        let check = check_tradein_policy(DEFAULT_TRADEIN_POLICY_TOML);
        assert!(check.is_valid(), "{:#?}", check.problems);
        let policy = TradeinPolicy::embedded_default();
        assert_eq!(policy.id.name, "tradein-default");
        assert_eq!(policy.currency, "EUR");
        assert_eq!(policy.id.sha256.len(), 64);
    }

    #[test]
    fn near_misses_get_a_suggestion() {
        assert_eq!(closest("per_stpe", GRADE_KEYS), Some("per_step"));
        assert_eq!(closest("chargr", Accessory::WORDS), Some("charger"));
        assert_eq!(closest("colour", ROOT_KEYS), None);
    }
}
