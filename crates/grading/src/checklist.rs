//! Functional checklists: the templates per device category (data files in
//! `assets/checklists/`), and filling one in from the bench's test results
//! and the technician's answers.

use std::collections::{BTreeMap, HashMap};
use std::sync::{Arc, OnceLock};

use refurbdesk_domain::{DeviceCategory, Lang, Texts};
use serde::{Deserialize, Serialize};
use thiserror::Error;

use crate::words::word_enum;

pub use refurbdesk_domain::Answer;

word_enum! {
    /// What the bench said about one test.
    TestOutcome, "bench test outcome" {
        Pass => "pass",
        Fail => "fail",
        /// The bench could not run it on this device.
        Skip => "skip",
    }
}

word_enum! {
    /// Who fills an item in.
    ItemKind, "checklist item kind" {
        /// The bench's test results.
        Automatic => "automatic",
        /// The technician (or the bench, when it ran one of the item's tests).
        Manual => "manual",
    }
}

word_enum! {
    /// What a failed item means for the device; policies match on groups.
    ItemGroup, "checklist item group" {
        /// Something does not work.
        Functional => "functional",
        /// Liquid damage or missing pieces.
        Integrity => "integrity",
        /// Parts that are not the maker's.
        Parts => "parts",
        /// Chargers and cables.
        Accessories => "accessories",
    }
}

word_enum! {
    /// Where an item stands once the checklist is filled in.
    ItemState, "checklist item state" {
        Pass => "pass",
        Fail => "fail",
        /// Does not apply (answered na, or the bench skipped every test).
        Na => "na",
        /// An automatic item the bench did not run and nobody answered.
        Untested => "untested",
        /// A manual item still waiting for the technician.
        Unanswered => "unanswered",
    }
}

word_enum! {
    /// Who gave an item its state.
    AnswerSource, "answer source" {
        Bench => "bench",
        Technician => "technician",
    }
}

/// One result the bench sent for a test (`! RESULT <slot> <test> PASS`).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct BenchTest {
    pub name: String,
    pub outcome: TestOutcome,
}

/// One item of a checklist template.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct ChecklistItem {
    /// Shared with every [`ItemResult`] about it, so filling a checklist in
    /// copies no strings.
    pub id: Arc<str>,
    pub kind: ItemKind,
    pub group: ItemGroup,
    /// A noun phrase shown in reasons, in English: "rear camera".
    pub label: String,
    /// The catalogue message of the item's words,
    /// `checklist-<category>-<id with dashes>` (its `.question` attribute is
    /// the question), when the file leaves the words to the catalogue.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub message: Option<String>,
    /// Labels the file itself writes in other languages, by language tag
    /// (an older file's `label_fr` is `"fr"`); the catalogue's words are
    /// told through [`ChecklistItem::label_in`].
    #[serde(default, skip_serializing_if = "Texts::is_empty")]
    pub written_labels: Texts,
    /// What the technician is asked, in English; manual items only.
    pub question: Option<String>,
    /// Questions the file itself writes in other languages, by language tag
    /// (an older file's `question_fr`).
    #[serde(default, skip_serializing_if = "Texts::is_empty")]
    pub written_questions: Texts,
    /// Bench tests that answer the item.
    pub tests: Vec<String>,
    /// A manual item that may be left unanswered.
    pub optional: bool,
    /// Whether `na` is an acceptable answer.
    pub na_allowed: bool,
}

impl ChecklistItem {
    /// The label in `lang`: the catalogue's, else the file's (the English
    /// one when the file has none in `lang`).
    pub fn label_in(&self, lang: Lang) -> &str {
        if let Some(message) = &self.message {
            return lang.catalogue().word(message);
        }
        self.written_labels
            .get(lang.as_str())
            .unwrap_or(&self.label)
    }

    /// The question in `lang`: the catalogue's, else the file's (the
    /// English one when the file has none in `lang`).
    pub fn question_in(&self, lang: Lang) -> Option<&str> {
        if let Some(message) = &self.message {
            self.question.as_ref()?;
            return Some(lang.catalogue().word(&format!("{message}.question")));
        }
        let question = self.question.as_deref()?;
        Some(
            self.written_questions
                .get(lang.as_str())
                .map_or(question, String::as_str),
        )
    }
}

/// The checklist for one device category, built by
/// [`ChecklistTemplate::from_toml`] with an index of its ids and bench tests
/// so that filling it in is a few lookups, not a search per item.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct ChecklistTemplate {
    category: DeviceCategory,
    items: Vec<ChecklistItem>,
    #[serde(skip)]
    by_id: HashMap<Arc<str>, usize>,
    /// Bench test name to (item index, the test's own bit).
    #[serde(skip)]
    by_test: HashMap<String, (usize, u32)>,
    /// Loadable but to be moved, such as an item's `label_fr`: each says how.
    #[serde(skip_serializing_if = "Vec::is_empty")]
    warnings: Vec<String>,
}

/// Each bench test gets one bit of a `u128` while filling a checklist in.
const MAX_TESTS: usize = 128;

/// A template file that cannot be used.
#[derive(Debug, Clone, PartialEq, Error)]
pub enum TemplateError {
    #[error("the {file} checklist is not valid TOML or has an unknown key: {source}; fix it at the place shown")]
    Syntax {
        file: String,
        #[source]
        source: toml::de::Error,
    },
    #[error("the {file} checklist says category = \"{found}\", but it is the template for {expected}s; fix the category line")]
    WrongCategory {
        file: String,
        found: DeviceCategory,
        expected: DeviceCategory,
    },
    #[error("the {file} checklist's item {item:?} {problem}")]
    BadItem {
        file: String,
        item: String,
        problem: String,
    },
    #[error("the {file} checklist has no items; list at least one [[item]]")]
    Empty { file: String },
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct RawTemplate {
    category: DeviceCategory,
    #[serde(default)]
    item: Vec<RawItem>,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct RawItem {
    id: String,
    kind: ItemKind,
    group: ItemGroup,
    /// Without it, the words are the catalogue's.
    label: Option<String>,
    label_fr: Option<String>,
    question: Option<String>,
    question_fr: Option<String>,
    #[serde(default)]
    tests: Vec<String>,
    #[serde(default)]
    optional: bool,
    #[serde(default = "yes")]
    na_allowed: bool,
}

fn yes() -> bool {
    true
}

/// `[a-z][a-z0-9_]*`: the shape of item ids and bench test names.
pub(crate) fn is_identifier(word: &str) -> bool {
    let mut chars = word.chars();
    chars.next().is_some_and(|c| c.is_ascii_lowercase())
        && chars.all(|c| c.is_ascii_lowercase() || c.is_ascii_digit() || c == '_')
}

impl ChecklistTemplate {
    /// Parses and checks a template. `expected` is the category the file is
    /// for, when known (the file name says it).
    pub fn from_toml(
        text: &str,
        file: &str,
        expected: Option<DeviceCategory>,
    ) -> Result<Self, TemplateError> {
        let raw: RawTemplate = toml::from_str(text).map_err(|source| TemplateError::Syntax {
            file: file.to_owned(),
            source,
        })?;
        if let Some(expected) = expected.filter(|expected| *expected != raw.category) {
            return Err(TemplateError::WrongCategory {
                file: file.to_owned(),
                found: raw.category,
                expected,
            });
        }
        if raw.item.is_empty() {
            return Err(TemplateError::Empty {
                file: file.to_owned(),
            });
        }
        let bad = |item: &str, problem: &str| TemplateError::BadItem {
            file: file.to_owned(),
            item: item.to_owned(),
            problem: problem.to_owned(),
        };
        let mut items = Vec::with_capacity(raw.item.len());
        let mut warnings = Vec::new();
        let mut seen_tests: HashMap<String, String> = HashMap::new();
        for mut item in raw.item {
            if !is_identifier(&item.id) {
                return Err(bad(
                    &item.id,
                    "is not a valid id; use lowercase letters, digits and _ starting with a letter",
                ));
            }
            if items
                .iter()
                .any(|known: &ChecklistItem| *known.id == *item.id)
            {
                return Err(bad(&item.id, "appears twice; give each item its own id"));
            }
            let message = match &item.label {
                Some(label) if label.trim().is_empty() => {
                    return Err(bad(
                        &item.id,
                        "has an empty label; customers read it in reasons",
                    ))
                }
                Some(_) => None,
                None => {
                    let message =
                        format!("checklist-{}-{}", raw.category, item.id.replace('_', "-"));
                    let english = Lang::En.catalogue();
                    if !english.has(&message) {
                        return Err(bad(
                            &item.id,
                            &format!(
                                "has no label; add `{message} = …` (with `.question = …` for a manual item) \
                                 to assets/locales/<lang>/checklists.ftl, or write label = \"...\""
                            ),
                        ));
                    }
                    if item.question.is_some()
                        || item.question_fr.is_some()
                        || item.label_fr.is_some()
                    {
                        return Err(bad(
                            &item.id,
                            &format!(
                                "takes its words from the catalogue (it has no label), so its question \
                                 must be there too: move it to `{message}.question` in \
                                 assets/locales/<lang>/checklists.ftl"
                            ),
                        ));
                    }
                    let question = format!("{message}.question");
                    if english.has(&question) {
                        item.question = Some(english.word(&question).to_owned());
                    }
                    item.label = Some(english.word(&message).to_owned());
                    Some(message)
                }
            };
            let label = item.label.take().unwrap_or_default();
            if item
                .label_fr
                .as_deref()
                .is_some_and(|label| label.trim().is_empty())
            {
                return Err(bad(
                    &item.id,
                    "has an empty label_fr; write the French label or remove the line",
                ));
            }
            if item.question_fr.is_some() && item.question.is_none() {
                return Err(bad(
                    &item.id,
                    "has a question_fr but no question; add the question in English too",
                ));
            }
            match item.kind {
                ItemKind::Automatic if item.tests.is_empty() => {
                    return Err(bad(
                        &item.id,
                        "is automatic but lists no bench tests; list them in tests = [...] or make it manual",
                    ))
                }
                ItemKind::Automatic if item.optional || item.question.is_some() => {
                    return Err(bad(
                        &item.id,
                        "is automatic, so optional and question do not apply; remove them or make it manual",
                    ))
                }
                ItemKind::Manual if item.question.as_deref().is_none_or(|q| q.trim().is_empty()) => {
                    return Err(bad(
                        &item.id,
                        "is manual but has no question for the technician; add question = \"...\"",
                    ))
                }
                _ => {}
            }
            for test in &item.tests {
                if !is_identifier(test) {
                    return Err(bad(
                        &item.id,
                        &format!("lists the bench test {test:?}, which is not a test name ([a-z][a-z0-9_]*)"),
                    ));
                }
                if let Some(other) = seen_tests.insert(test.clone(), item.id.clone()) {
                    return Err(bad(
                        &item.id,
                        &format!("lists the bench test {test:?}, which already answers item {other:?}; one test answers one item"),
                    ));
                }
            }
            // Words written per language in the file itself: still read, keyed by language.
            let message_id = format!("checklist-{}-{}", raw.category, item.id.replace('_', "-"));
            let mut written_labels = Texts::new();
            let mut written_questions = Texts::new();
            for (key, text, written) in [
                ("label_fr", item.label_fr, &mut written_labels),
                ("question_fr", item.question_fr, &mut written_questions),
            ] {
                if let Some(text) = text {
                    written.insert(Lang::Fr.as_str().to_owned(), text);
                    warnings.push(format!(
                        "{file}: item {:?} has {key}, which still loads, but an item's words now live in \
                         the message catalogue: write them as `{message_id}` (its question as \
                         `.question`) in assets/locales/<lang>/checklists.ftl and remove {key}",
                        item.id
                    ));
                }
            }
            items.push(ChecklistItem {
                id: Arc::from(item.id),
                kind: item.kind,
                group: item.group,
                label,
                message,
                written_labels,
                question: item.question,
                written_questions,
                tests: item.tests,
                optional: item.optional,
                na_allowed: item.na_allowed,
            });
        }
        if seen_tests.len() > MAX_TESTS {
            return Err(TemplateError::BadItem {
                file: file.to_owned(),
                item: items.last().map_or(String::new(), |item| item.id.to_string()),
                problem: format!("takes the checklist past {MAX_TESTS} bench tests, the most one checklist may read"),
            });
        }
        let by_id = items
            .iter()
            .enumerate()
            .map(|(index, item)| (item.id.clone(), index))
            .collect();
        let mut by_test = HashMap::new();
        for (index, item) in items.iter().enumerate() {
            for test in &item.tests {
                let bit = by_test.len() as u32;
                by_test.insert(test.clone(), (index, bit));
            }
        }
        Ok(ChecklistTemplate {
            category: raw.category,
            items,
            by_id,
            by_test,
            warnings,
        })
    }

    pub fn category(&self) -> DeviceCategory {
        self.category
    }

    /// What loads but is to be moved (an item's `label_fr` or `question_fr`), each saying how.
    pub fn warnings(&self) -> &[String] {
        &self.warnings
    }

    /// The items, in the order they are asked and reported.
    pub fn items(&self) -> &[ChecklistItem] {
        &self.items
    }

    /// The item with this id.
    pub fn item(&self, id: &str) -> Option<&ChecklistItem> {
        self.by_id.get(id).map(|index| &self.items[*index])
    }

    /// The item a bench test answers.
    pub fn item_for_test(&self, test: &str) -> Option<&ChecklistItem> {
        self.by_test.get(test).map(|(index, _)| &self.items[*index])
    }

    /// Fills the checklist in: an item takes the technician's answer if
    /// there is one, else the bench's results for its tests (any FAIL fails
    /// it; only SKIPs make it n/a), else it is untested (automatic) or
    /// unanswered (manual). When a test was run twice, its last result counts.
    pub fn fill(
        &self,
        tests: &[BenchTest],
        answers: &BTreeMap<String, Answer>,
    ) -> Result<FilledChecklist, ChecklistError> {
        let count = self.items.len();
        let mut answer_of: Vec<Option<Answer>> = vec![None; count];
        for (id, answer) in answers {
            let Some(index) = self.by_id.get(id.as_str()) else {
                return Err(ChecklistError::UnknownItem {
                    item: id.clone(),
                    category: self.category,
                    known: self.items.iter().map(|item| item.id.to_string()).collect(),
                });
            };
            answer_of[*index] = Some(*answer);
        }
        // Each test counts by its last result: walk the results backwards
        // and take a test only the first time it is met.
        let mut bench: Vec<Option<TestOutcome>> = vec![None; count];
        let mut seen: u128 = 0;
        for test in tests.iter().rev() {
            let Some((index, bit)) = self.by_test.get(test.name.as_str()) else {
                continue;
            };
            if seen & (1 << bit) != 0 {
                continue;
            }
            seen |= 1 << bit;
            bench[*index] = Some(combine(bench[*index], test.outcome));
        }
        let mut items = Vec::with_capacity(count);
        for ((item, answer), bench) in self.items.iter().zip(answer_of).zip(bench) {
            if answer == Some(Answer::Na) && !item.na_allowed {
                return Err(ChecklistError::NaNotAllowed {
                    item: item.id.to_string(),
                    label: item.label.clone(),
                    category: self.category,
                });
            }
            let (state, source) = match (answer, bench) {
                (Some(answer), _) => (answer_state(answer), Some(AnswerSource::Technician)),
                (None, Some(outcome)) => (test_state(outcome), Some(AnswerSource::Bench)),
                (None, None) if item.kind == ItemKind::Automatic => (ItemState::Untested, None),
                (None, None) => (ItemState::Unanswered, None),
            };
            items.push(ItemResult {
                id: item.id.clone(),
                state,
                source,
                bench,
            });
        }
        Ok(FilledChecklist { items })
    }
}

/// An item's bench verdict from its tests' results, whatever their order:
/// any FAIL fails it, else any PASS passes it, else it was skipped.
fn combine(so_far: Option<TestOutcome>, next: TestOutcome) -> TestOutcome {
    match (so_far, next) {
        (_, TestOutcome::Fail) | (Some(TestOutcome::Fail), _) => TestOutcome::Fail,
        (_, TestOutcome::Pass) | (Some(TestOutcome::Pass), _) => TestOutcome::Pass,
        _ => TestOutcome::Skip,
    }
}

fn answer_state(answer: Answer) -> ItemState {
    match answer {
        Answer::Pass => ItemState::Pass,
        Answer::Fail => ItemState::Fail,
        Answer::Na => ItemState::Na,
    }
}

fn test_state(outcome: TestOutcome) -> ItemState {
    match outcome {
        TestOutcome::Pass => ItemState::Pass,
        TestOutcome::Fail => ItemState::Fail,
        TestOutcome::Skip => ItemState::Na,
    }
}

/// Answers that do not fit the template.
#[derive(Debug, Clone, PartialEq, Eq, Error)]
pub enum ChecklistError {
    #[error("{item:?} is not on the {category} checklist; answer one of: {}", .known.join(", "))]
    UnknownItem {
        item: String,
        category: DeviceCategory,
        known: Vec<String>,
    },
    #[error("{item} ({label}) cannot be answered na on a {category}: it always applies; answer pass or fail")]
    NaNotAllowed {
        item: String,
        label: String,
        category: DeviceCategory,
    },
}

/// One item as filled in.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct ItemResult {
    pub id: Arc<str>,
    pub state: ItemState,
    /// Who decided the state; `None` while untested or unanswered.
    pub source: Option<AnswerSource>,
    /// What the bench said, kept even when the technician's answer decided.
    pub bench: Option<TestOutcome>,
}

/// A checklist filled in, items in template order.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct FilledChecklist {
    pub items: Vec<ItemResult>,
}

impl FilledChecklist {
    /// The state of one item.
    pub fn state(&self, id: &str) -> Option<ItemState> {
        self.items
            .iter()
            .find(|item| &*item.id == id)
            .map(|item| item.state)
    }

    /// Manual items still waiting for an answer, optional ones excepted.
    pub fn unanswered<'a>(
        &'a self,
        template: &'a ChecklistTemplate,
    ) -> impl Iterator<Item = &'a str> + 'a {
        self.items
            .iter()
            .zip(template.items())
            .filter(|(result, item)| result.state == ItemState::Unanswered && !item.optional)
            .map(|(result, _)| &*result.id)
    }
}

const EMBEDDED: [(&str, &str); 5] = [
    (
        "phone",
        include_str!("../../../assets/checklists/phone.toml"),
    ),
    (
        "tablet",
        include_str!("../../../assets/checklists/tablet.toml"),
    ),
    (
        "laptop",
        include_str!("../../../assets/checklists/laptop.toml"),
    ),
    (
        "desktop",
        include_str!("../../../assets/checklists/desktop.toml"),
    ),
    (
        "monitor",
        include_str!("../../../assets/checklists/monitor.toml"),
    ),
];

/// One checklist template per device category.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Checklists {
    templates: Vec<ChecklistTemplate>,
}

impl Checklists {
    /// The templates shipped in `assets/checklists/`.
    pub fn embedded() -> &'static Checklists {
        static EMBEDDED_SET: OnceLock<Checklists> = OnceLock::new();
        EMBEDDED_SET.get_or_init(|| {
            // The crate's tests prove the shipped files parse; this only
            // runs on files that passed them.
            Checklists::from_files(EMBEDDED.iter().copied())
                .unwrap_or_else(|error| panic!("a shipped checklist template is broken: {error}"))
        })
    }

    /// Parses one template per category from `(category word, text)` pairs.
    pub fn from_files<'a>(
        files: impl IntoIterator<Item = (&'a str, &'a str)>,
    ) -> Result<Checklists, TemplateError> {
        let mut templates: Vec<ChecklistTemplate> = Vec::new();
        for (name, text) in files {
            let expected = name.parse::<DeviceCategory>().ok();
            let template = ChecklistTemplate::from_toml(text, &format!("{name}.toml"), expected)?;
            templates.retain(|known| known.category != template.category);
            templates.push(template);
        }
        for category in DeviceCategory::ALL {
            if !templates.iter().any(|t| t.category == *category) {
                return Err(TemplateError::Empty {
                    file: format!("{category}.toml"),
                });
            }
        }
        templates.sort_by_key(|t| t.category as u8);
        Ok(Checklists { templates })
    }

    /// The template for a category.
    pub fn for_category(&self, category: DeviceCategory) -> &ChecklistTemplate {
        // `from_files` guarantees one template per category.
        self.templates
            .iter()
            .find(|template| template.category == category)
            .unwrap_or(&self.templates[0])
    }

    pub fn iter(&self) -> impl Iterator<Item = &ChecklistTemplate> {
        self.templates.iter()
    }

    /// The group of an item id on whichever template has it.
    pub fn group_of(&self, id: &str) -> Option<ItemGroup> {
        self.templates
            .iter()
            .find_map(|template| template.item(id))
            .map(|item| item.group)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn tests(list: &[(&str, TestOutcome)]) -> Vec<BenchTest> {
        list.iter()
            .map(|(name, outcome)| BenchTest {
                name: (*name).to_owned(),
                outcome: *outcome,
            })
            .collect()
    }

    fn answers(list: &[(&str, Answer)]) -> BTreeMap<String, Answer> {
        list.iter()
            .map(|(id, answer)| ((*id).to_owned(), *answer))
            .collect()
    }

    #[test]
    fn every_shipped_template_parses_and_ids_mean_the_same_everywhere() {
        let set = Checklists::embedded();
        for category in DeviceCategory::ALL {
            let template = set.for_category(*category);
            assert_eq!(template.category, *category);
            for id in [
                "powers_on_off",
                "all_features",
                "housing_complete",
                "genuine_parts",
                "charger_present",
            ] {
                assert!(template.item(id).is_some(), "{category} lacks {id}");
            }
        }
        let mut groups: HashMap<&str, (ItemGroup, ItemKind)> = HashMap::new();
        for template in set.iter() {
            for item in template.items() {
                let seen = groups.entry(&*item.id).or_insert((item.group, item.kind));
                assert_eq!(
                    *seen,
                    (item.group, item.kind),
                    "{} differs on {}",
                    item.id,
                    template.category
                );
            }
        }
    }

    #[test]
    fn every_shipped_item_speaks_french() {
        for template in Checklists::embedded().iter() {
            for item in template.items() {
                let where_ = format!("{} in the {} checklist", item.id, template.category);
                let message = item
                    .message
                    .as_deref()
                    .unwrap_or_else(|| panic!("{where_}: its words are not in the catalogue"));
                assert!(item.written_labels.is_empty(), "{where_}");
                assert!(item.written_questions.is_empty(), "{where_}");
                let question = format!("{message}.question");
                for lang in Lang::ALL {
                    let catalogue = lang.catalogue();
                    assert!(catalogue.has(message), "{where_}: {lang}");
                    assert_eq!(item.label_in(lang), catalogue.word(message));
                    assert_eq!(
                        catalogue.has(&question),
                        item.question.is_some(),
                        "{where_}"
                    );
                }
                assert_eq!(item.label_in(Lang::En), item.label);
                assert_eq!(item.question_in(Lang::En), item.question.as_deref());
                assert_eq!(
                    item.question.is_some(),
                    item.question_in(Lang::Fr).is_some(),
                    "{where_}"
                );
                if item.question.is_some() {
                    assert_ne!(item.question_in(Lang::Fr), item.question_in(Lang::En));
                }
                if let Some(question) = item.question_in(Lang::Fr) {
                    assert!(
                        question.ends_with(" ?") || question.contains(" ? "),
                        "{where_}: {question}"
                    );
                    assert!(!question.contains('’'), "{where_}: {question}");
                }
            }
        }
    }

    #[test]
    fn an_item_without_french_is_told_in_english() {
        let text = "category = \"phone\"\n[[item]]\nid=\"a\"\nkind=\"manual\"\ngroup=\"functional\"\nlabel=\"antenna\"\nquestion=\"Works?\"\n";
        let template = ChecklistTemplate::from_toml(text, "phone.toml", None).expect("parses");
        let item = template.item("a").expect("item");
        assert_eq!(item.label_in(Lang::Fr), "antenna");
        assert_eq!(item.question_in(Lang::Fr), Some("Works?"));
        assert!(template.warnings().is_empty());
        // An older file's French words still load, keyed by language, with a warning.
        let older = text
            .replace(
                "label=\"antenna\"",
                "label=\"antenna\"\nlabel_fr=\"antenne\"",
            )
            .replace(
                "question=\"Works?\"",
                "question=\"Works?\"\nquestion_fr=\"Ça marche ?\"",
            );
        let template = ChecklistTemplate::from_toml(&older, "phone.toml", None).expect("loads");
        let item = template.item("a").expect("item");
        assert_eq!(item.label_in(Lang::Fr), "antenne");
        assert_eq!(item.question_in(Lang::Fr), Some("Ça marche ?"));
        assert_eq!(item.label_in(Lang::En), "antenna");
        assert_eq!(template.warnings().len(), 2);
        assert!(
            template.warnings()[0].contains("`checklist-phone-a`"),
            "{:?}",
            template.warnings()
        );
        let empty = text.replace("label=\"antenna\"", "label=\"antenna\"\nlabel_fr=\" \"");
        let error = ChecklistTemplate::from_toml(&empty, "phone.toml", None).expect_err("refused");
        assert!(error.to_string().contains("empty label_fr"), "{error}");
        // Without a label, the words must be in the catalogue.
        let unlabelled = text.replace("label=\"antenna\"\n", "");
        let error =
            ChecklistTemplate::from_toml(&unlabelled, "phone.toml", None).expect_err("refused");
        assert!(
            error
                .to_string()
                .contains("has no label; add `checklist-phone-a = …`"),
            "{error}"
        );
        let known = unlabelled.replace("id=\"a\"", "id=\"touch\"");
        let error = ChecklistTemplate::from_toml(&known, "phone.toml", None).expect_err("refused");
        assert!(
            error
                .to_string()
                .contains("move it to `checklist-phone-touch.question`"),
            "{error}"
        );
        let known = known.replace("question=\"Works?\"\n", "");
        let template = ChecklistTemplate::from_toml(&known, "phone.toml", None).expect("parses");
        let item = template.item("touch").expect("item");
        assert_eq!(item.message.as_deref(), Some("checklist-phone-touch"));
        assert_eq!(item.label_in(Lang::Fr), "écran tactile");
        assert_eq!(item.label, "touchscreen");
        assert_eq!(
            item.question_in(Lang::Fr),
            Some("L'écran tactile répond-il partout, y compris sur les bords et dans les coins ?")
        );
        assert_eq!(item.question_in(Lang::En), item.question.as_deref());
    }

    #[test]
    fn charger_is_mandatory_only_for_mains_devices() {
        let set = Checklists::embedded();
        for category in DeviceCategory::ALL {
            let charger = set
                .for_category(*category)
                .item("charger_present")
                .expect("charger item");
            let mains = matches!(
                category,
                DeviceCategory::Laptop | DeviceCategory::Desktop | DeviceCategory::Monitor
            );
            assert_eq!(
                !charger.optional && !charger.na_allowed,
                mains,
                "{category}"
            );
        }
    }

    #[test]
    fn every_protocol_test_name_answers_an_item_somewhere() {
        // The names listed in bench-protocol-v1 §4.
        let names = [
            "power",
            "charge",
            "wifi",
            "bluetooth",
            "cellular",
            "mic",
            "speaker",
            "earpiece",
            "camera_front",
            "camera_rear",
            "flash",
            "buttons",
            "touch",
            "display",
            "proximity",
            "biometrics",
            "vibration",
            "keyboard",
            "trackpad",
            "ports",
            "webcam",
            "dead_pixels",
        ];
        let set = Checklists::embedded();
        for name in names {
            assert!(
                set.iter().any(|t| t
                    .items
                    .iter()
                    .any(|item| item.tests.iter().any(|test| test == name))),
                "no checklist item reads the bench test {name}"
            );
        }
    }

    #[test]
    fn technician_beats_bench_beats_nothing() {
        let template = Checklists::embedded().for_category(DeviceCategory::Phone);
        let filled = template
            .fill(
                &tests(&[
                    ("camera_rear", TestOutcome::Fail),
                    ("wifi", TestOutcome::Pass),
                    ("cellular", TestOutcome::Skip),
                    ("touch", TestOutcome::Pass),
                ]),
                &answers(&[
                    ("camera_rear", Answer::Pass),
                    ("liquid_indicators", Answer::Fail),
                ]),
            )
            .expect("fills");
        let item = |id: &str| filled.items.iter().find(|item| &*item.id == id).expect(id);
        assert_eq!(item("camera_rear").state, ItemState::Pass);
        assert_eq!(item("camera_rear").source, Some(AnswerSource::Technician));
        assert_eq!(item("camera_rear").bench, Some(TestOutcome::Fail));
        assert_eq!(item("wifi").state, ItemState::Pass);
        assert_eq!(item("wifi").source, Some(AnswerSource::Bench));
        assert_eq!(item("cellular").state, ItemState::Na);
        assert_eq!(
            item("touch").state,
            ItemState::Pass,
            "a manual item the bench answered"
        );
        assert_eq!(item("flash").state, ItemState::Untested);
        assert_eq!(item("liquid_indicators").state, ItemState::Fail);
        assert_eq!(item("screen_burn_in").state, ItemState::Unanswered);
        let unanswered: Vec<_> = filled.unanswered(template).collect();
        assert!(unanswered.contains(&"screen_burn_in"));
        assert!(!unanswered.contains(&"touch"));
        assert!(
            !unanswered.contains(&"charger_present"),
            "optional on phones"
        );
        assert!(
            !unanswered.contains(&"flash"),
            "automatic items are never unanswered"
        );
    }

    #[test]
    fn a_rerun_test_counts_by_its_last_result() {
        let template = Checklists::embedded().for_category(DeviceCategory::Phone);
        let filled = template
            .fill(
                &tests(&[("wifi", TestOutcome::Fail), ("wifi", TestOutcome::Pass)]),
                &BTreeMap::new(),
            )
            .expect("fills");
        assert_eq!(filled.state("wifi"), Some(ItemState::Pass));
    }

    #[test]
    fn unknown_items_and_refused_na_are_named() {
        let template = Checklists::embedded().for_category(DeviceCategory::Laptop);
        let error = template
            .fill(&[], &answers(&[("headphone_jack", Answer::Pass)]))
            .expect_err("unknown");
        let message = error.to_string();
        assert!(
            message.contains("\"headphone_jack\" is not on the laptop checklist"),
            "{message}"
        );
        assert!(message.contains("keyboard_complete"), "{message}");

        let error = template
            .fill(&[], &answers(&[("charger_present", Answer::Na)]))
            .expect_err("na refused");
        assert!(
            error
                .to_string()
                .contains("charger_present (charger) cannot be answered na"),
            "{error}"
        );
    }

    #[test]
    fn broken_templates_are_refused_with_the_item_named() {
        let cases = [
            ("category = \"phone\"\n", "has no items"),
            ("category = \"tablet\"\n[[item]]\nid=\"a\"\nkind=\"manual\"\ngroup=\"functional\"\nlabel=\"a\"\nquestion=\"?\"\n", "says category = \"tablet\""),
            ("category = \"phone\"\n[[item]]\nid=\"a\"\nkind=\"automatic\"\ngroup=\"functional\"\nlabel=\"a\"\n", "lists no bench tests"),
            ("category = \"phone\"\n[[item]]\nid=\"a\"\nkind=\"manual\"\ngroup=\"functional\"\nlabel=\"a\"\n", "no question"),
            ("category = \"phone\"\n[[item]]\nid=\"A\"\nkind=\"manual\"\ngroup=\"functional\"\nlabel=\"a\"\nquestion=\"?\"\n", "not a valid id"),
            ("category = \"phone\"\n[[item]]\nid=\"a\"\nkind=\"manual\"\ngroup=\"looks\"\nlabel=\"a\"\nquestion=\"?\"\n", "looks"),
            ("category = \"phone\"\n[[item]]\nid=\"a\"\nkind=\"automatic\"\ngroup=\"functional\"\nlabel=\"a\"\ntests=[\"x\"]\n[[item]]\nid=\"b\"\nkind=\"automatic\"\ngroup=\"functional\"\nlabel=\"b\"\ntests=[\"x\"]\n", "already answers item \"a\""),
            ("category = \"phone\"\ncolour = 1\n", "colour"),
        ];
        for (text, needle) in cases {
            let error =
                ChecklistTemplate::from_toml(text, "phone.toml", Some(DeviceCategory::Phone))
                    .expect_err(needle);
            assert!(error.to_string().contains(needle), "{needle}: {error}");
        }
    }
}
