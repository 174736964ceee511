//! One message catalogue for every word a person reads: CLI messages,
//! reasons, checklist labels, document texts and the UI.
//!
//! The catalogue is Project Fluent: `assets/locales/<lang>/*.ftl`, embedded at
//! compile time, read here with `fluent-bundle` and in the UI with
//! `@fluent/bundle`. A language is a folder of files, so adding one is adding
//! files; every message id (and attribute) present in one language must be
//! present in all of them (tested).
//!
//! ```
//! use refurbdesk_i18n::{Catalogue, Lang};
//!
//! let fr = Catalogue::for_lang(Lang::Fr);
//! assert_eq!(fr.tell("number-percent", &[("value", "84,96")]), "84,96\u{202f}%");
//! assert_eq!(Lang::Fr.join(&["l'écran", "le dos"]), "l'écran et le dos");
//! ```

mod lang;

use std::borrow::Cow;
use std::collections::{BTreeSet, HashMap};
use std::sync::OnceLock;

use fluent_bundle::concurrent::FluentBundle;
use fluent_bundle::FluentResource;
use fluent_syntax::ast;

/// Arguments for [`Catalogue::tell_args`], when one must be a number (for a
/// Fluent selector such as `{ $count -> [1] was *[other] were }`).
pub use fluent_bundle::{FluentArgs, FluentValue};
use sha2::{Digest, Sha256};

pub use lang::Lang;

mod embedded {
    include!(concat!(env!("OUT_DIR"), "/files.rs"));
}

/// Every catalogue file: (language folder, file name, text), sorted.
pub fn files() -> &'static [(&'static str, &'static str, &'static str)] {
    embedded::FILES
}

/// The languages present: the catalogue's folder names, sorted.
pub fn languages() -> Vec<&'static str> {
    let mut tags: Vec<_> = files().iter().map(|(lang, _, _)| *lang).collect();
    tags.dedup();
    tags
}

/// The catalogue's version: the SHA-256 of every file with its place, so a
/// grade or document can say which words it was told with.
pub fn version() -> &'static str {
    static VERSION: OnceLock<String> = OnceLock::new();
    VERSION.get_or_init(|| {
        let mut hash = Sha256::new();
        for (lang, name, text) in files() {
            for part in [lang.as_bytes(), name.as_bytes(), text.as_bytes()] {
                hash.update((part.len() as u64).to_le_bytes());
                hash.update(part);
            }
        }
        hex::encode(hash.finalize())
    })
}

/// A problem in one catalogue file (a syntax error, a message defined twice).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct FileProblem {
    pub lang: String,
    pub file: String,
    pub problem: String,
}

/// One language's messages, ready to tell.
pub struct Catalogue {
    tag: &'static str,
    bundle: FluentBundle<FluentResource>,
    /// Every message and attribute that takes no argument, told once.
    words: HashMap<String, String, Fnv>,
    /// Every message and attribute that is only text and arguments, split once: telling one
    /// is then filling it, not resolving a Fluent pattern (see [`Catalogue::simple_pattern`]).
    simple: HashMap<String, Vec<PatternPiece>, Fnv>,
    problems: Vec<FileProblem>,
}

/// FNV-1a for the catalogue's short ids: grading looks words up for every device it grades, and
/// std's DoS-resistant hasher costs more than the lookup itself; the ids are our own, not input.
#[derive(Clone, Copy, Default)]
struct Fnv;

struct FnvHasher(u64);

impl std::hash::BuildHasher for Fnv {
    type Hasher = FnvHasher;
    fn build_hasher(&self) -> FnvHasher {
        FnvHasher(0xcbf2_9ce4_8422_2325)
    }
}

impl std::hash::Hasher for FnvHasher {
    fn finish(&self) -> u64 {
        self.0
    }
    fn write(&mut self, bytes: &[u8]) {
        for byte in bytes {
            self.0 = (self.0 ^ u64::from(*byte)).wrapping_mul(0x0100_0000_01b3);
        }
    }
}

impl std::fmt::Debug for Catalogue {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Catalogue")
            .field("lang", &self.tag)
            .finish()
    }
}

impl Catalogue {
    /// The catalogue of `lang`, loaded the first time it is asked for: a process that speaks one
    /// language parses only that language's files (about 400 KB of parsed messages each).
    pub fn for_lang(lang: Lang) -> &'static Catalogue {
        static LOADED: [OnceLock<Catalogue>; Lang::ALL.len()] =
            [const { OnceLock::new() }; Lang::ALL.len()];
        let index = Lang::ALL
            .iter()
            .position(|known| *known == lang)
            .expect("Lang::ALL lists every language");
        LOADED[index].get_or_init(|| Catalogue::load(lang.as_str()))
    }

    /// Loads the catalogue of the folder `tag` from the embedded files (an
    /// unknown tag gives an empty catalogue whose messages fall back to English).
    pub fn load(tag: &str) -> Catalogue {
        let tag = languages()
            .into_iter()
            .find(|known| *known == tag)
            .unwrap_or("en");
        let locale = tag.parse().unwrap_or_default();
        let mut bundle = FluentBundle::new_concurrent(vec![locale]);
        // The words go into terminals, PDFs and text fields, not bidi HTML.
        bundle.set_use_isolating(false);
        let mut problems = Vec::new();
        for (lang, file, text) in files().iter().filter(|(lang, _, _)| *lang == tag) {
            let mut problem = |problem: String| {
                problems.push(FileProblem {
                    lang: lang.to_string(),
                    file: file.to_string(),
                    problem,
                })
            };
            let resource = match FluentResource::try_new(text.to_string()) {
                Ok(resource) => resource,
                Err((resource, errors)) => {
                    for error in errors {
                        problem(format!("{error:?}"));
                    }
                    resource
                }
            };
            if let Err(errors) = bundle.add_resource(resource) {
                for error in errors {
                    problem(format!("{error:?}"));
                }
            }
        }
        let mut catalogue = Catalogue {
            tag,
            bundle,
            words: HashMap::default(),
            simple: HashMap::default(),
            problems,
        };
        let mut words = HashMap::default();
        let mut simple = HashMap::default();
        for id in catalogue.ids() {
            let mut errors = Vec::new();
            if let Some(text) = catalogue.format(&id, None, &mut errors) {
                if errors.is_empty() {
                    words.insert(id.clone(), text.into_owned());
                }
            }
            if let Some(pieces) = catalogue.simple_pattern(&id) {
                simple.insert(id, pieces);
            }
        }
        catalogue.words = words;
        catalogue.simple = simple;
        catalogue
    }

    /// The language tag of this catalogue ("en", "fr").
    pub fn tag(&self) -> &'static str {
        self.tag
    }

    /// Problems found while loading the files (none in a shipped build; tested).
    pub fn problems(&self) -> &[FileProblem] {
        &self.problems
    }

    /// Every message id, term id (`-term`) and attribute (`id.attribute`).
    pub fn ids(&self) -> BTreeSet<String> {
        let mut ids = BTreeSet::new();
        for (_, _, text) in files().iter().filter(|(lang, _, _)| *lang == self.tag) {
            let resource = match FluentResource::try_new(text.to_string()) {
                Ok(resource) | Err((resource, _)) => resource,
            };
            for entry in resource.entries() {
                use ast::Entry;
                let (prefix, attributes) = match entry {
                    Entry::Message(message) => (message.id.name.to_string(), &message.attributes),
                    Entry::Term(term) => (format!("-{}", term.id.name), &term.attributes),
                    _ => continue,
                };
                for attribute in attributes {
                    ids.insert(format!("{prefix}.{}", attribute.id.name));
                }
                ids.insert(prefix);
            }
        }
        ids
    }

    /// Whether the message (or `id.attribute`) exists in this language.
    pub fn has(&self, id: &str) -> bool {
        let (message, attribute) = split(id);
        self.bundle
            .get_message(message)
            .is_some_and(|found| match attribute {
                None => found.value().is_some(),
                Some(name) => found.get_attribute(name).is_some(),
            })
    }

    /// A message (or `id.attribute`) that takes no argument, told once when
    /// the catalogue loaded. A missing id falls back to English, then to the id.
    pub fn word(&'static self, id: &str) -> &'static str {
        if let Some(text) = self.words.get(id) {
            return text;
        }
        let english = Catalogue::for_lang(Lang::En);
        match english.words.get(id) {
            Some(text) => text,
            None => missing(id),
        }
    }

    /// Tells a message (or `id.attribute`) with its arguments, given as text
    /// already written the way this language writes numbers. A message missing
    /// here is told from the English catalogue; one missing there too is told as
    /// its id, so a mistake shows instead of vanishing.
    pub fn tell(&self, id: &str, args: &[(&str, &str)]) -> String {
        if args.is_empty() {
            if let Some(text) = self.words.get(id) {
                return text.clone();
            }
        }
        if let Some(pieces) = self.simple.get(id) {
            if let Some(text) = fill(pieces, args) {
                return text;
            }
        }
        let mut fluent_args = FluentArgs::with_capacity(args.len());
        for (name, value) in args {
            fluent_args.set(*name, FluentValue::from(*value));
        }
        self.tell_args(id, &fluent_args)
    }

    /// [`Catalogue::tell`] with Fluent arguments, for numbers a message selects on.
    pub fn tell_args(&self, id: &str, args: &FluentArgs<'_>) -> String {
        let mut errors = Vec::new();
        if let Some(text) = self.format(id, Some(args), &mut errors) {
            return text.into_owned();
        }
        if self.tag != "en" {
            return Catalogue::for_lang(Lang::En).tell_args(id, args);
        }
        id.to_owned()
    }

    /// The names of the arguments (`{ $name }`) a message or `id.attribute`
    /// uses, in order of first use; `None` when it does not exist here.
    pub fn variables(&self, id: &str) -> Option<Vec<String>> {
        let (message, attribute) = split(id);
        let found = self.bundle.get_message(message)?;
        let pattern = match attribute {
            None => found.value()?,
            Some(name) => found.get_attribute(name)?.value(),
        };
        let mut names = Vec::new();
        pattern_variables(pattern, &mut names);
        Some(names)
    }

    /// A message (or `id.attribute`) made only of text and `{ $variables }`, as pieces to fill
    /// by hand; `None` when it is missing here or uses anything more (a selector, a term, a
    /// function). Hot paths compile such a message once and fill it per use: the same words as
    /// [`Catalogue::tell`] with string arguments, without resolving the pattern each time.
    pub fn simple_pattern(&self, id: &str) -> Option<Vec<PatternPiece>> {
        let (message, attribute) = split(id);
        let found = self.bundle.get_message(message)?;
        let pattern = match attribute {
            None => found.value()?,
            Some(name) => found.get_attribute(name)?.value(),
        };
        let mut pieces = Vec::with_capacity(pattern.elements.len());
        for element in &pattern.elements {
            match element {
                ast::PatternElement::TextElement { value } => match pieces.last_mut() {
                    Some(PatternPiece::Text(text)) => text.push_str(value),
                    _ => pieces.push(PatternPiece::Text((*value).to_owned())),
                },
                ast::PatternElement::Placeable {
                    expression:
                        ast::Expression::Inline(ast::InlineExpression::VariableReference { id }),
                } => pieces.push(PatternPiece::Variable(id.name.to_owned())),
                _ => return None,
            }
        }
        Some(pieces)
    }

    fn format<'s>(
        &'s self,
        id: &str,
        args: Option<&'s FluentArgs<'_>>,
        errors: &mut Vec<fluent_bundle::FluentError>,
    ) -> Option<Cow<'s, str>> {
        let (message, attribute) = split(id);
        let found = self.bundle.get_message(message)?;
        let pattern = match attribute {
            None => found.value()?,
            Some(name) => found.get_attribute(name)?.value(),
        };
        Some(self.bundle.format_pattern(pattern, args, errors))
    }
}

fn pattern_variables(pattern: &ast::Pattern<&str>, names: &mut Vec<String>) {
    for element in &pattern.elements {
        if let ast::PatternElement::Placeable { expression } = element {
            expression_variables(expression, names);
        }
    }
}

fn expression_variables(expression: &ast::Expression<&str>, names: &mut Vec<String>) {
    match expression {
        ast::Expression::Inline(inline) => inline_variables(inline, names),
        ast::Expression::Select { selector, variants } => {
            inline_variables(selector, names);
            for variant in variants {
                pattern_variables(&variant.value, names);
            }
        }
    }
}

fn inline_variables(inline: &ast::InlineExpression<&str>, names: &mut Vec<String>) {
    match inline {
        ast::InlineExpression::VariableReference { id }
            if !names.iter().any(|name| name == id.name) =>
        {
            names.push(id.name.to_owned());
        }
        ast::InlineExpression::Placeable { expression } => expression_variables(expression, names),
        ast::InlineExpression::FunctionReference { arguments, .. }
        | ast::InlineExpression::TermReference {
            arguments: Some(arguments),
            ..
        } => {
            for argument in &arguments.positional {
                inline_variables(argument, names);
            }
            for named in &arguments.named {
                inline_variables(&named.value, names);
            }
        }
        _ => {}
    }
}

fn split(id: &str) -> (&str, Option<&str>) {
    match id.split_once('.') {
        Some((message, attribute)) => (message, Some(attribute)),
        None => (id, None),
    }
}

/// The words of a fixed list of ids (an enum's words, a language's separators), looked up in
/// each language's catalogue the first time they are needed and kept: code that tells a word
/// per device reads an array instead of hashing an id.
pub struct WordTable<const N: usize> {
    ids: [&'static str; N],
    told: [OnceLock<[&'static str; N]>; Lang::ALL.len()],
}

impl<const N: usize> WordTable<N> {
    pub const fn new(ids: [&'static str; N]) -> Self {
        Self {
            ids,
            told: [const { OnceLock::new() }; Lang::ALL.len()],
        }
    }

    /// The word of `ids[index]` in `lang`, as [`Catalogue::word`] tells it.
    pub fn get(&'static self, lang: Lang, index: usize) -> &'static str {
        let slot = Lang::ALL
            .iter()
            .position(|known| *known == lang)
            .expect("Lang::ALL lists every language");
        self.told[slot].get_or_init(|| self.ids.map(|id| lang.catalogue().word(id)))[index]
    }
}

/// A simple pattern with its arguments written in; `None` when one is not given (Fluent then
/// tells it, marking the missing argument).
fn fill(pieces: &[PatternPiece], args: &[(&str, &str)]) -> Option<String> {
    let mut text = String::with_capacity(
        pieces
            .iter()
            .map(|piece| match piece {
                PatternPiece::Text(text) => text.len(),
                PatternPiece::Variable(_) => 16,
            })
            .sum(),
    );
    for piece in pieces {
        match piece {
            PatternPiece::Text(piece) => text.push_str(piece),
            PatternPiece::Variable(name) => {
                let (_, value) = args.iter().find(|(given, _)| given == name)?;
                text.push_str(value);
            }
        }
    }
    Some(text)
}

/// A piece of a message with no selector: text as written, or the name of an argument.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum PatternPiece {
    Text(String),
    Variable(String),
}

/// A missing id told as itself, kept for the life of the program.
fn missing(id: &str) -> &'static str {
    static MISSING: OnceLock<std::sync::Mutex<HashMap<String, &'static str>>> = OnceLock::new();
    let mut told = MISSING
        .get_or_init(Default::default)
        .lock()
        .unwrap_or_else(|poison| poison.into_inner());
    told.entry(id.to_owned())
        .or_insert_with(|| Box::leak(id.to_owned().into_boxed_str()))
}

#[cfg(test)]
mod tests;
