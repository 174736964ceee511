//! `policy check` on real policy texts: every kind of problem is reported
//! with the line it is on, all at once, and a valid policy loads.

use refurbdesk_grading::{check_policy, Checklists, Policy, Problem, DEFAULT_POLICY_TOML};

/// The shipped policy as it was written before the message catalogue: each
/// rule's English `reason` and French `reason_fr`, [grades] and [grades_fr].
/// Such policies still load; the edits below check its sentences' placeholders.
const LEGACY: &str = include_str!("fixtures/legacy-reason-fr.toml");

/// The 1-based line of the first line containing `needle` (a line that is
/// exactly `needle`, for table headers also named in comments).
fn line_of(text: &str, needle: &str) -> usize {
    let header = needle.starts_with('[');
    text.lines()
        .position(|line| {
            if header {
                line == needle
            } else {
                line.contains(needle)
            }
        })
        .unwrap_or_else(|| panic!("{needle:?} is not in the policy"))
        + 1
}

fn problems(text: &str) -> Vec<Problem> {
    let check = check_policy(text, Checklists::embedded());
    // A policy the checker rejects must also be refused for grading.
    assert_eq!(
        Policy::from_toml(text).is_ok(),
        check.is_valid(),
        "{:?}",
        check.problems
    );
    check.problems
}

/// The legacy policy with `old` replaced by `new` (which must occur once).
fn edited(old: &str, new: &str) -> String {
    assert_eq!(LEGACY.matches(old).count(), 1, "{old:?}");
    LEGACY.replacen(old, new, 1)
}

/// The shipped policy with `old` replaced by `new` (which must occur once).
fn shipped_edited(old: &str, new: &str) -> String {
    assert_eq!(DEFAULT_POLICY_TOML.matches(old).count(), 1, "{old:?}");
    DEFAULT_POLICY_TOML.replacen(old, new, 1)
}

/// The default policy with extra rules appended.
fn with_rules(extra: &str) -> String {
    format!("{DEFAULT_POLICY_TOML}\n{extra}")
}

fn assert_one(text: &str, needle_line: &str, message: &str) {
    assert_at(text, line_of(text, needle_line), message);
}

/// Findings about a whole rule are reported at its `[[rule]]` header, the
/// line above its id.
fn assert_on_rule(text: &str, id: &str, message: &str) {
    assert_at(text, line_of(text, &format!("id = \"{id}\"")) - 1, message);
}

fn assert_at(text: &str, line: usize, message: &str) {
    let found = problems(text);
    assert!(
        found
            .iter()
            .any(|problem| problem.line == line && problem.message.contains(message)),
        "expected line {line} to say {message:?}; got {found:#?}"
    );
}

#[test]
fn the_default_policy_is_valid_and_counts_its_rules() {
    let check = check_policy(DEFAULT_POLICY_TOML, Checklists::embedded());
    assert!(check.is_valid(), "{:#?}", check.problems);
    let id = check.policy.expect("policy id");
    assert_eq!(id.name, "backmarket-default");
    assert_eq!(id.version, "1.1.0");
    assert_eq!(
        check.rules,
        DEFAULT_POLICY_TOML
            .lines()
            .filter(|line| *line == "[[rule]]")
            .count()
    );
}

#[test]
fn a_syntax_error_is_reported_at_its_line() {
    let text = edited(
        "name = \"backmarket-default\"",
        "name = \"backmarket-default",
    );
    let found = problems(&text);
    assert_eq!(found.len(), 1, "{found:#?}");
    assert_eq!(found[0].line, line_of(&text, "name = \"backmarket-default"));
    assert!(found[0].message.contains("not valid TOML"), "{found:#?}");
}

#[test]
fn unknown_keys_are_named_with_a_suggestion() {
    let text = edited(
        "id = \"parts.not_genuine\"",
        "id = \"parts.not_genuine\"\ncolour = \"red\"",
    );
    assert_one(
        &text,
        "colour = \"red\"",
        "unknown key `colour` in a [[rule]]",
    );

    let text = edited(
        "when = { soh_below = 85.0 }",
        "when = { soh_bellow = 85.0 }",
    );
    assert_one(
        &text,
        "soh_bellow",
        "unknown key `soh_bellow` in a rule's `when`; did you mean `soh_below`?",
    );

    let text = edited(
        "good_at_most = \"light\"",
        "good_at_most = \"light\"\nfair = 2",
    );
    assert_one(&text, "fair = 2", "unknown key `fair` in [buyback]");

    let text = format!("[extras]\nx = 1\n{DEFAULT_POLICY_TOML}");
    assert_one(&text, "[extras]", "unknown key `extras` in the policy file");

    let text = edited(
        "PREMIUM = \"no marks",
        "PREMIUMM = \"x\"\nPREMIUM = \"no marks",
    );
    assert_one(&text, "PREMIUMM", "did you mean `PREMIUM`?");
}

#[test]
fn bad_values_name_the_accepted_ones() {
    let cases = [
        (
            ("outcome = \"recycle\"\nreason = \"{repairs}", "outcome = \"scrap\"\nreason = \"{repairs}"),
            "outcome = \"scrap\"",
            "\"scrap\" is not a known outcome; use one of: sellable, repair, recycle, hold, blocked",
        ),
        (
            ("grade_at_most = \"FAIR\"\nreason = \"The screen has", "grade_at_most = \"OK\"\nreason = \"The screen has"),
            "grade_at_most = \"OK\"",
            "\"OK\" is not a known listing grade",
        ),
        (
            ("when = { lock = \"blocked\" }", "when = { lock = \"locked\" }"),
            "lock = \"locked\"",
            "\"locked\" is not a known lock verdict",
        ),
        (
            ("when = { screen_at_least = \"visible\" }", "when = { screen_at_least = \"broken\" }"),
            "\"broken\"",
            "\"broken\" is not a known cosmetic level",
        ),
        (
            ("when = { soh_below = 85.0 }", "when = { soh_below = \"85\" }"),
            "soh_below = \"85\"",
            "`soh_below` must be a number of percent",
        ),
        (
            ("when = { soh_below = 85.0 }", "when = { soh_below = 0 }"),
            "soh_below = 0",
            "`soh_below` = 0 can never hold",
        ),
        (
            ("when = { imei_valid = false }", "when = { imei_valid = \"no\" }"),
            "imei_valid = \"no\"",
            "`imei_valid` must be true or false",
        ),
        (
            ("when = { repairs_at_least = 3 }", "when = { repairs_at_least = 0 }"),
            "repairs_at_least = 0",
            "must be at least 1",
        ),
        (
            ("when = { carrier = \"locked\" }", "when = { carrier = [] }"),
            "carrier = []",
            "empty list, which matches nothing, so this rule can never fire",
        ),
        (
            ("version = \"1.1.0\"", "version = 1.0"),
            "version = 1.0",
            "`version` must be a string in quotes, e.g. version = \"1.0\"",
        ),
        (
            ("item_failed = [\"genuine_parts\"]", "item_failed = [\"genuine_part\"]"),
            "genuine_part\"]",
            "`item_failed` names `genuine_part`, which is on no checklist; did you mean `genuine_parts`?",
        ),
        (
            ("outcome = \"blocked\"\nfunctional", "outcome = \"sellable\"\nfunctional"),
            "outcome = \"sellable\"",
            "outcome = \"sellable\" can never take effect",
        ),
        (
            ("grade_at_most = \"STALLONE\"\nreason = \"The screen has", "grade_at_most = \"PREMIUM\"\nreason = \"The screen has"),
            "grade_at_most = \"PREMIUM\"",
            "grade_at_most = \"PREMIUM\" can never take effect",
        ),
    ];
    for ((old, new), line_needle, message) in cases {
        assert_one(&edited(old, new), line_needle, message);
    }
}

#[test]
fn missing_pieces_are_reported_where_they_belong() {
    let text = edited("version = \"1.1.0\"\n", "");
    assert_one(&text, "[policy]", "[policy] has no `version`");

    let text = edited("STALLONE = \"heavy", "# STALLONE = \"heavy");
    assert_one(&text, "[grades]", "[grades] has no sentence for STALLONE");

    let text = edited(
        "id = \"carrier.locked\"\nwhen = { carrier = \"locked\" }\n",
        "id = \"carrier.locked\"\n",
    );
    let line = line_of(&text, "id = \"carrier.locked\"") - 1;
    let found = problems(&text);
    assert!(
        found
            .iter()
            .any(|p| p.line == line && p.message.contains("has no `when`")),
        "{found:#?}"
    );

    let without_buyback = edited("[buyback]\n", "[buyback_bands]\n");
    let found = problems(&without_buyback);
    assert!(
        found
            .iter()
            .any(|p| p.message.contains("the [buyback] table is missing")),
        "{found:#?}"
    );
}

#[test]
fn reasons_with_unknown_or_idle_placeholders_are_refused() {
    let text = edited(
        "reason = \"Battery health is {soh}%",
        "reason = \"Battery health is {health}%",
    );
    assert_one(
        &text,
        "{health}",
        "the placeholder {health}, which does not exist",
    );

    let text = edited(
        "reason = \"Some parts are not the maker's originals",
        "reason = \"Below {threshold}: some parts are not the maker's originals",
    );
    assert_on_rule(
        &text,
        "parts.not_genuine",
        "uses {threshold} in its reason, which needs a soh_below condition",
    );
}

#[test]
fn french_reasons_are_checked_like_english_ones() {
    let text = edited(
        "reason_fr = \"L'état de santé de la batterie est de {soh}",
        "reason_fr = \"L'état de santé de la batterie est de {sante}",
    );
    assert_one(
        &text,
        "{sante}",
        "the placeholder {sante}, which does not exist",
    );

    let text = edited(
        "reason_fr = \"Certaines pièces",
        "reason_fr = \"Sous {threshold} : certaines pièces",
    );
    assert_on_rule(
        &text,
        "parts.not_genuine",
        "uses {threshold} in its reason_fr, which needs a soh_below condition",
    );

    for (old, new, line, message) in [
        (
            "reason_fr = \"Certaines pièces",
            "reason_fr = \"  \" # \"",
            "reason_fr = \"  \"",
            "`reason_fr` is empty",
        ),
        (
            "STALLONE = \"de fortes",
            "# STALLONE = \"de fortes",
            "[grades_fr]",
            "[grades_fr] has no sentence for STALLONE",
        ),
        (
            "[grades_fr]\n",
            "[grades_fr]\nGREAT = \"super\"\n",
            "GREAT",
            "unknown key `GREAT` in [grades_fr]",
        ),
    ] {
        assert_one(&edited(old, new), line, message);
    }
}

#[test]
fn a_policy_without_french_grades_with_english_reasons_only() {
    let english_only: String = LEGACY
        .lines()
        .filter(|line| !line.starts_with("reason_fr = "))
        .collect::<Vec<_>>()
        .join("\n");
    let start = english_only
        .find("\n[grades_fr]\n")
        .expect("the legacy policy has French grades");
    let end = start
        + english_only[start..]
            .find("\n\n")
            .expect("a blank line after them");
    let english_only = format!("{}{}", &english_only[..start], &english_only[end..]);
    let policy = Policy::from_toml(&english_only).expect("French is optional");
    assert!(policy.written_grade_texts.is_empty());
    assert!(policy
        .rules
        .iter()
        .all(|rule| rule.written_reasons.is_empty()));
    assert!(policy.rules.iter().all(|rule| rule.reason_id.is_none()));
    assert_eq!(policy.warnings, &[], "English sentences alone need no move");
}

#[test]
fn the_shipped_policy_names_every_reason_by_message_id() {
    let policy = Policy::embedded_default();
    assert!(policy
        .rules
        .iter()
        .all(|rule| rule.written_reasons.is_empty()
            && rule.reason.is_empty()
            && rule
                .reason_id
                .as_deref()
                .is_some_and(|id| id.starts_with("reason-"))));
    assert!(policy.written_grade_texts.is_empty());
    assert_eq!(policy.grade_ids.len(), 6);
    assert_eq!(policy.warnings, &[]);
    let check = check_policy(DEFAULT_POLICY_TOML, Checklists::embedded());
    assert!(check.is_valid() && check.warnings.is_empty(), "{check:?}");
}

#[test]
fn reason_fr_and_grades_fr_still_load_and_policy_check_says_how_to_move_them() {
    let policy = Policy::from_toml(LEGACY).expect("a policy with reason_fr still loads");
    assert!(policy
        .rules
        .iter()
        .all(|rule| rule.written_reasons.contains_key("fr")));
    assert_eq!(policy.written_grade_texts["fr"].len(), 6);
    let check = check_policy(LEGACY, Checklists::embedded());
    assert!(check.is_valid(), "{:?}", check.problems);
    // One warning per reason_fr, and one for [grades_fr], each at its line.
    assert_eq!(check.warnings.len(), policy.rules.len() + 1);
    let reason_fr = line_of(LEGACY, "reason_fr = \"L'appareil est verrouillé");
    let warning = check
        .warnings
        .iter()
        .find(|warning| warning.line == reason_fr)
        .expect("a warning at the first reason_fr");
    assert!(
        warning.message.contains("assets/locales/fr/grading.ftl")
            && warning
                .message
                .contains("reason_id = \"reason-lock-blocked\""),
        "{}",
        warning.message
    );
    let grades_fr = line_of(LEGACY, "[grades_fr]");
    assert!(check
        .warnings
        .iter()
        .any(|warning| warning.line == grades_fr
            && warning
                .message
                .contains("[grade_ids] PREMIUM = \"grade-sentence-premium\"")));
    assert_eq!(check.warnings, policy.warnings);
}

#[test]
fn a_reason_id_must_name_a_message_of_every_language_with_placeholders_it_can_fill() {
    assert_one(
        &shipped_edited(
            "reason_id = \"reason-lock-blocked\"",
            "reason_id = \"reason-lock-blokced\"",
        ),
        "reason-lock-blokced",
        "`reason_id` names the message `reason-lock-blokced`, which the en catalogue does not have",
    );
    assert_one(
        &shipped_edited(
            "PREMIUM = \"grade-sentence-premium\"",
            "PREMIUM = \"grade-sentence-best\"",
        ),
        "grade-sentence-best",
        "`grade_ids` names the message `grade-sentence-best`, which the fr catalogue does not have",
    );
    // {threshold} in the message needs a soh_below condition.
    assert_on_rule(
        &with_rules(
            "[[rule]]\nid = \"battery.told_wrong\"\nwhen = { battery = \"replace\" }\noutcome = \"repair\"\nreason_id = \"reason-battery-below-threshold\"\n",
        ),
        "battery.told_wrong",
        "uses {threshold} in its reason_id message, which needs a soh_below condition",
    );
    let neither = shipped_edited("reason_id = \"reason-lock-blocked\"\n", "");
    assert_on_rule(
        &neither,
        "lock.blocked",
        "this [[rule]] has no `reason`; add reason_id",
    );
}

#[test]
fn rules_that_can_never_fire_are_found() {
    let cases = [
        (
            "[[rule]]\nid = \"desk.screen\"\nwhen = { category = \"desktop\", screen_at_least = \"micro\" }\ngrade_at_most = \"GOOD\"\nreason = \"x\"\n",
            "rule `desk.screen` can never fire: it needs a screen zone, and none of its categories (desktop) has one",
        ),
        (
            "[[rule]]\nid = \"monitor.battery\"\nwhen = { category = [\"desktop\", \"monitor\"], battery_required = true }\nreason = \"x\"\n",
            "rule `monitor.battery` can never fire: battery_required = true, but no battery is required for every one of its categories (desktop, monitor)",
        ),
        (
            "[[rule]]\nid = \"absent.health\"\nwhen = { battery = [\"absent\", \"unknown\"], soh_below = 70.0 }\nreason = \"x\"\n",
            "rule `absent.health` can never fire: soh_below needs a measured battery health",
        ),
        (
            "[[rule]]\nid = \"phone.keyboard\"\nwhen = { category = \"phone\", item_failed = [\"keyboard_complete\"] }\nreason = \"x\"\n",
            "rule `phone.keyboard` can never fire: none of the items it names (keyboard_complete) is on the checklist of its categories (phone)",
        ),
        (
            "[[rule]]\nid = \"desktop.parts\"\nwhen = { category = \"desktop\", group_failed = [\"integrity\", \"parts\"] }\nreason = \"x\"\n",
            "",
        ),
        (
            "[[rule]]\nid = \"repairs.absurd\"\nwhen = { repairs_at_least = 40 }\noutcome = \"recycle\"\nreason = \"x\"\n",
            "rule `repairs.absurd` can never fire: it needs 40 repairs, but the policy has only",
        ),
    ];
    for (rule, message) in cases {
        let text = with_rules(rule);
        let found = problems(&text);
        let id_line = line_of(&text, rule.lines().nth(1).expect("id line"));
        let header_line = id_line - 1;
        if message.is_empty() {
            // Desktops do have integrity and parts items: this one can fire.
            assert!(found.is_empty(), "{found:#?}");
            continue;
        }
        assert!(
            found
                .iter()
                .any(|p| p.line == header_line && p.message.contains(message)),
            "expected line {header_line}: {message:?}; got {found:#?}"
        );
    }
}

#[test]
fn contradicting_rules_are_found_on_the_milder_rule() {
    // Anything with light screen scratches already has micro ones, so the
    // screen.micro rule (VERY_GOOD) always fires with this one.
    let text = with_rules(
        "[[rule]]\nid = \"screen.light_lenient\"\nwhen = { screen_at_least = \"light\" }\ngrade_at_most = \"EXCELLENT\"\nreason = \"x\"\n",
    );
    let found = problems(&text);
    let header = line_of(&text, "id = \"screen.light_lenient\"") - 1;
    let micro_line = line_of(&text, "id = \"screen.micro\"") - 1;
    assert!(
        found.iter().any(|p| p.line == header
            && p.message.contains("caps the grade at EXCELLENT")
            && p.message
                .contains(&format!("rule `screen.micro` (line {micro_line})"))
            && p.message.contains("contradict")),
        "{found:#?}"
    );

    // A lock rule that would let a blocked phone be repaired instead.
    let text = with_rules(
        "[[rule]]\nid = \"lock.blocked_phone\"\nwhen = { lock = \"blocked\", category = \"phone\" }\noutcome = \"repair\"\nreason = \"x\"\n",
    );
    assert_on_rule(
        &text,
        "lock.blocked_phone",
        "sets the outcome repair, but whenever it fires rule `lock.blocked`",
    );

    // The same rule twice under another id.
    let text = with_rules(
        "[[rule]]\nid = \"parts.copy\"\nwhen = { item_failed = [\"genuine_parts\"] }\ngrade_at_most = \"EXCELLENT\"\nreason = \"x\"\n",
    );
    let found = problems(&text);
    assert!(
        found.iter().any(|p| p.message.contains(
            "rule `parts.copy` has the same conditions and effects as rule `parts.not_genuine`"
        )),
        "{found:#?}"
    );

    let text = edited(
        "flawless_at_most = \"micro\"",
        "flawless_at_most = \"visible\"",
    );
    assert_one(
        &text,
        "flawless_at_most = \"visible\"",
        "is worse than good_at_most = \"light\", so the two bands contradict each other",
    );
}

#[test]
fn duplicate_ids_point_at_the_first_use() {
    let text = with_rules(
        "[[rule]]\nid = \"lock.unknown\"\nwhen = { imei_valid = true }\nreason = \"x\"\n",
    );
    let first = line_of(&text, "id = \"lock.unknown\"") - 1;
    let found = problems(&text);
    let second = text
        .lines()
        .enumerate()
        .filter(|(_, line)| line.contains("id = \"lock.unknown\""))
        .nth(1)
        .map(|(index, _)| index + 1)
        .expect("second id");
    assert!(
        found.iter().any(|p| p.line == second
            && p.message.contains(&format!(
                "rule id `lock.unknown` is already used by the rule at line {first}"
            ))),
        "{found:#?}"
    );
}

#[test]
fn every_problem_is_reported_at_once_in_line_order() {
    let text = edited(
        "outcome = \"hold\"\nreason = \"The IMEI",
        "outcome = \"later\"\nreason = \"The IMEI",
    );
    let text = text.replacen(
        "when = { soh_below = 85.0 }",
        "when = { soh_bellow = 85.0 }",
        1,
    );
    let text = text.replacen(
        "when = { carrier = \"locked\" }",
        "when = { carrier = \"locked\", category = \"watch\" }",
        1,
    );
    let found = problems(&text);
    assert_eq!(found.len(), 3, "{found:#?}");
    assert!(found.windows(2).all(|pair| pair[0].line <= pair[1].line));
    assert_eq!(found[0].line, line_of(&text, "outcome = \"later\""));
    assert_eq!(found[1].line, line_of(&text, "soh_bellow"));
    assert_eq!(found[2].line, line_of(&text, "\"watch\""));
    let error = Policy::from_toml(&text).expect_err("refused");
    let message = error.to_string();
    assert!(
        message.starts_with("the policy has 3 problems"),
        "{message}"
    );
    assert!(
        message.contains(&format!("line {}: ", found[1].line)),
        "{message}"
    );
}

#[test]
fn rule_tables_may_be_written_as_sub_tables() {
    let text = with_rules(
        "[[rule]]\nid = \"laptop.keyboard_worn\"\nreason = \"The keyboard shows wear.\"\ngrade_at_most = \"GOOD\"\n\n[rule.when]\ncategory = \"laptop\"\nbody_at_least = \"light\"\n",
    );
    // It says what body.light already says for every device: a duplicate
    // cap that is not milder is fine, so this policy is valid.
    let policy = Policy::from_toml(&text).expect("valid");
    let rule = policy.rule("laptop.keyboard_worn").expect("rule");
    assert_eq!(
        rule.line,
        line_of(&text, "id = \"laptop.keyboard_worn\"") - 1
    );
    assert!(rule.when.category.is_some());
}
