use super::*;

#[test]
fn every_file_parses_without_problems() {
    assert!(!files().is_empty());
    for lang in languages() {
        let catalogue = Catalogue::load(lang);
        assert_eq!(
            catalogue.problems(),
            &[],
            "the {lang} catalogue has problems"
        );
    }
}

#[test]
fn every_id_exists_in_every_language_and_vice_versa() {
    let all: Vec<(&str, BTreeSet<String>)> = languages()
        .into_iter()
        .map(|lang| (lang, Catalogue::load(lang).ids()))
        .collect();
    assert!(all.len() >= 2, "the catalogue has fewer than two languages");
    for (lang, ids) in &all {
        assert!(
            ids.contains("figure-unknown"),
            "{lang} lacks figure-unknown"
        );
        for (other, other_ids) in &all {
            let missing: Vec<_> = ids.difference(other_ids).collect();
            assert!(
                missing.is_empty(),
                "ids in the {lang} catalogue but not in the {other} one: {missing:?}"
            );
        }
    }
}

#[test]
fn the_languages_are_the_folders_present() {
    let known: Vec<_> = Lang::ALL.iter().map(|lang| lang.as_str()).collect();
    assert_eq!(languages(), known);
    for lang in Lang::ALL {
        assert_eq!(Catalogue::for_lang(lang).tag(), lang.as_str());
        assert_eq!(lang.as_str().parse::<Lang>(), Ok(lang));
    }
    assert!("de".parse::<Lang>().unwrap_err().contains("use en or fr"));
}

#[test]
fn arguments_are_told_without_bidi_isolation_marks() {
    let en = Catalogue::for_lang(Lang::En);
    let fr = Catalogue::for_lang(Lang::Fr);
    assert_eq!(en.tell("slot-label", &[("slot", "4")]), "Slot 4");
    assert_eq!(fr.tell("slot-label", &[("slot", "4")]), "Emplacement 4");
    assert_eq!(
        en.tell("bench-serial", &[("serial", "{$port}")]),
        "Serial {$port}"
    );
    for lang in Lang::ALL {
        let catalogue = Catalogue::for_lang(lang);
        for id in catalogue.ids() {
            let told = catalogue.tell(&id, &[]);
            assert!(
                !told.contains(['\u{2068}', '\u{2069}']),
                "{lang} {id} has isolation marks: {told:?}"
            );
        }
    }
}

#[test]
fn a_missing_message_falls_back_to_english_then_to_its_id() {
    let fr = Catalogue::load("xx");
    assert_eq!(fr.tag(), "en");
    let fr = Catalogue::for_lang(Lang::Fr);
    assert!(!fr.has("no-such-message"));
    assert!(fr.has("figure-unknown"));
    assert_eq!(fr.tell("no-such-message", &[]), "no-such-message");
    assert_eq!(fr.word("no-such-message"), "no-such-message");
    assert_eq!(fr.word("figure-unknown"), "inconnu");
}

#[test]
fn numbers_and_lists_read_as_each_language_writes_them() {
    assert_eq!(Lang::En.percent("84.96"), "84.96%");
    assert_eq!(Lang::Fr.percent("84.96"), "84,96\u{202f}%");
    assert_eq!(Lang::Fr.decimal(2.5, 1), "2,5");
    assert_eq!(Lang::En.decimal(2.5, 1), "2.5");
    assert_eq!(Lang::En.join::<&str>(&[]), "");
    assert_eq!(Lang::En.join(&["screen"]), "screen");
    assert_eq!(
        Lang::En.join(&["screen", "back", "frame"]),
        "screen, back and frame"
    );
    assert_eq!(Lang::Fr.join(&["l'écran", "le dos"]), "l'écran et le dos");
    assert_eq!(Lang::Fr.unknown(), "inconnu");
    assert_eq!(Lang::En.unknown(), "unknown");
}

/// The screen's words follow French typography; the engine's recorded
/// sentences (reasons, findings) keep the bytes they were recorded with.
const TYPESET_FILES: &[&str] = &[
    "common.ftl",
    "ui.ftl",
    "ui-device.ftl",
    "ui-batches.ftl",
    "ui-hints.ftl",
    "ui-quality.ftl",
    "ui-settings.ftl",
    "ui-sync.ftl",
];

#[test]
fn french_sets_high_punctuation_apart_with_no_break_spaces() {
    let fr = Catalogue::for_lang(Lang::Fr);
    let mut checked = 0;
    for (_, _, text) in files()
        .iter()
        .filter(|(lang, file, _)| *lang == "fr" && TYPESET_FILES.contains(file))
    {
        let resource = match FluentResource::try_new(text.to_string()) {
            Ok(resource) | Err((resource, _)) => resource,
        };
        for entry in resource.entries() {
            let fluent_syntax::ast::Entry::Message(message) = entry else {
                continue;
            };
            let id = message.id.name;
            let told = fr.tell(id, &[]);
            checked += 1;
            for bad in [" :", " ;", " !", " ?", " %", "« ", " »"] {
                assert!(
                    !told.contains(bad),
                    "fr {id} has an ordinary space in {bad:?}: {told:?}"
                );
            }
        }
    }
    assert!(checked > 10);
    assert_eq!(
        fr.tell("bench-list-empty-hint", &[]),
        "Branchez un banc ou lancez le simulateur\u{a0}:"
    );
}

#[test]
fn the_version_is_a_digest_of_the_files() {
    let version = version();
    assert_eq!(version.len(), 64);
    assert!(version.chars().all(|c| c.is_ascii_hexdigit()));
    assert_eq!(version, super::version());
}

#[test]
fn a_message_names_its_arguments() {
    let en = Catalogue::for_lang(Lang::En);
    assert_eq!(
        en.variables("battery-healthy"),
        Some(vec!["health".to_owned(), "threshold".to_owned()])
    );
    assert_eq!(en.variables("figure-unknown"), Some(vec![]));
    assert_eq!(en.variables("no-such-message"), None);
    let mut args = FluentArgs::new();
    args.set("slot", FluentValue::from(7));
    assert_eq!(en.tell_args("slot-label", &args), "Slot 7");
}

#[test]
fn a_simple_pattern_filled_by_hand_tells_what_fluent_tells() {
    let mut compiled = 0;
    for tag in languages() {
        let catalogue = Catalogue::load(tag);
        for id in catalogue.ids() {
            let Some(pieces) = catalogue.simple_pattern(&id) else {
                continue;
            };
            compiled += 1;
            let names: Vec<String> = catalogue.variables(&id).unwrap_or_default();
            let values: Vec<String> = names.iter().map(|name| format!("«{name} 1,5 %»")).collect();
            let args: Vec<(&str, &str)> = names
                .iter()
                .zip(&values)
                .map(|(name, value)| (name.as_str(), value.as_str()))
                .collect();
            let by_hand: String = pieces
                .iter()
                .map(|piece| match piece {
                    PatternPiece::Text(text) => text.clone(),
                    PatternPiece::Variable(name) => format!("«{name} 1,5 %»"),
                })
                .collect();
            // Fluent itself (tell_args resolves the pattern) against the filled pieces, and
            // against `tell`, which fills them.
            let mut fluent_args = FluentArgs::new();
            for (name, value) in &args {
                fluent_args.set(*name, FluentValue::from(*value));
            }
            let by_fluent = catalogue.tell_args(&id, &fluent_args);
            assert_eq!(by_hand, by_fluent, "{tag}: {id}");
            assert_eq!(catalogue.tell(&id, &args), by_fluent, "{tag}: {id}");
        }
    }
    assert!(
        compiled > 100,
        "only {compiled} messages are simple patterns"
    );
    assert_eq!(
        Catalogue::load("en").simple_pattern("no-such-message"),
        None
    );
}
