//! The trade-in policy check on real policy texts: every kind of problem is reported with the
//! line it is on, all at once, and a policy the check rejects is refused whole.

use refurbdesk_domain::Accessory;
use refurbdesk_revision::{
    check_tradein_policy, is_tradein_policy, Amount, LockAction, Mismatch, Problem, TradeinPolicy,
    DEFAULT_TRADEIN_POLICY_TOML,
};

use crate::common::shipped_edited;

/// The 1-based line of the first line containing `needle` (a line that is exactly `needle`
/// for table headers, also named in comments).
fn line_of(text: &str, needle: &str) -> usize {
    let header = needle.starts_with('[');
    text.lines()
        .position(|line| {
            if header {
                line == needle
            } else {
                line.contains(needle) && !line.starts_with('#')
            }
        })
        .unwrap_or_else(|| panic!("{needle:?} is not in the policy"))
        + 1
}

fn problems(text: &str) -> Vec<Problem> {
    let check = check_tradein_policy(text);
    // A policy the checker rejects must also be refused for revising.
    assert_eq!(
        TradeinPolicy::from_toml(text).is_ok(),
        check.is_valid(),
        "{:?}",
        check.problems
    );
    check.problems
}

/// `text` has exactly one problem, at `line`, whose message contains `message`.
fn assert_at(text: &str, line: usize, message: &str) {
    let found = problems(text);
    assert_eq!(found.len(), 1, "{found:#?}");
    assert_eq!(found[0].line, line, "{found:#?}");
    assert!(
        found[0].message.contains(message),
        "{:?} does not contain {message:?}",
        found[0].message
    );
}

/// The shipped policy with `old` replaced by `new`, which has one problem on the line
/// containing `new`'s first line.
fn assert_edit(old: &str, new: &str, message: &str) {
    let text = shipped_edited(old, new);
    let needle = new.lines().next().expect("a line");
    assert_at(&text, line_of(&text, needle), message);
}

#[test]
fn the_shipped_policy_reads_as_written() {
    let policy = TradeinPolicy::from_toml(DEFAULT_TRADEIN_POLICY_TOML).expect("valid");
    assert_eq!(policy.id.name, "tradein-default");
    assert_eq!(policy.id.version, "1.0.0");
    assert_eq!(policy.currency, "EUR");
    assert_eq!(policy.floor, Amount::Cents(0));
    assert_eq!(policy.grade_step, Amount::Percent(15));
    assert_eq!(policy.mandatory_missing, Amount::Cents(2_500));
    assert_eq!(
        policy.optional_amount(Accessory::Stylus),
        Amount::Cents(1_500)
    );
    assert_eq!(policy.battery_replace, Amount::Cents(3_000));
    assert_eq!(policy.battery_consumed, Amount::Cents(3_000));
    assert_eq!(policy.per_failed_function, Amount::Percent(10));
    assert_eq!(policy.lock_blocked, LockAction::Return);
    assert_eq!(policy.lock_unknown, LockAction::Hold);
    assert_eq!(policy.model_mismatch, Mismatch::Requote);
    assert_eq!(
        policy.storage_mismatch,
        Mismatch::Deduct(Amount::Percent(20))
    );
    let check = check_tradein_policy(DEFAULT_TRADEIN_POLICY_TOML);
    assert_eq!(check.rules, TradeinPolicy::RULES.len());
    assert_eq!(check.policy, Some(policy.id.clone()));
}

#[test]
fn a_trade_in_policy_is_told_from_a_grading_one() {
    assert!(is_tradein_policy(DEFAULT_TRADEIN_POLICY_TOML));
    let grading = std::fs::read_to_string(concat!(
        env!("CARGO_MANIFEST_DIR"),
        "/../../assets/policies/backmarket-default.toml"
    ))
    .expect("the grading policy is readable");
    assert!(!is_tradein_policy(&grading));
    // Broken TOML still says what it is, so the right checker reports its syntax error.
    assert!(is_tradein_policy(&format!(
        "{DEFAULT_TRADEIN_POLICY_TOML}\n[grade\n"
    )));
    assert!(!is_tradein_policy("[policy\nname = \"x\"\n"));
}

#[test]
fn a_toml_syntax_error_is_reported_at_its_line() {
    let text = shipped_edited(
        "per_step = { percent = 15 }",
        "per_step = { percent = 15 } each",
    );
    let found = problems(&text);
    assert_eq!(found.len(), 1, "{found:#?}");
    assert_eq!(found[0].line, line_of(&text, "per_step ="));
    assert!(found[0].message.starts_with("this is not valid TOML"));
}

#[test]
fn unknown_keys_are_named_with_the_likely_one() {
    let text = shipped_edited(
        "per_step = { percent = 15 }",
        "per_step = { percent = 15 }\nper_stpe = { percent = 5 }",
    );
    let found = problems(&text);
    assert_eq!(found[0].line, line_of(&text, "per_stpe"));
    assert!(found[0]
        .message
        .contains("unknown key `per_stpe` in [grade]; did you mean `per_step`?"));

    let text = shipped_edited("[battery]", "[batery]");
    let found = problems(&text);
    // The unknown table at its line, and the missing one at the top of the file.
    assert_eq!(found.len(), 2, "{found:#?}");
    assert_eq!(found[0].line, 1);
    assert!(found[0].message.contains("the [battery] table is missing"));
    assert_eq!(found[1].line, line_of(&text, "[batery]"));
    assert!(found[1].message.contains("did you mean `battery`?"));
}

#[test]
fn the_policy_table_must_say_what_it_is() {
    assert_edit(
        "kind = \"tradein\"",
        "kind = \"grading\"",
        "`kind` = \"grading\" is not a trade-in policy",
    );
    assert_edit(
        "currency = \"EUR\"",
        "currency = \"euro\"",
        "is not an ISO 4217 code",
    );
    let text = shipped_edited("version = \"1.0.0\"\n", "");
    assert_at(
        &text,
        line_of(&text, "[policy]"),
        "[policy] has no `version`",
    );
    let text = shipped_edited("name = \"tradein-default\"", "name = \"\"");
    assert_at(&text, line_of(&text, "name = \"\""), "`name` is empty");
}

#[test]
fn amounts_are_whole_cents_or_whole_percentages() {
    assert_edit(
        "per_failed = { percent = 10 }",
        "per_failed = 10",
        "`per_failed` must be an amount in whole cents or whole percent of the quote",
    );
    assert_edit(
        "replace = { cents = 3000 }",
        "replace = { cents = 30.00 }",
        "is not a whole number of cents",
    );
    assert_edit(
        "replace = { cents = 3000 }",
        "replace = { cents = -3000 }",
        "is negative",
    );
    assert_edit(
        "per_failed = { percent = 10 }",
        "per_failed = { percent = 110 }",
        "is not between 0 and 100",
    );
    assert_edit(
        "per_failed = { percent = 10 }",
        "per_failed = { percent = 12.5 }",
        "must be a whole percentage",
    );
    assert_edit(
        "per_failed = { percent = 10 }",
        "per_failed = { percent = 10, cents = 100 }",
        "gives both cents and percent",
    );
    assert_edit(
        "per_failed = { percent = 10 }",
        "per_failed = { }",
        "`per_failed` is empty",
    );
    assert_edit(
        "per_failed = { percent = 10 }",
        "per_failed = { pourcent = 10 }",
        "did you mean `percent`?",
    );
}

#[test]
fn a_missing_rule_is_reported_at_its_table() {
    let text = shipped_edited("consumed = { cents = 3000 }\n", "");
    assert_at(
        &text,
        line_of(&text, "[battery]"),
        "[battery] has no `consumed`",
    );
    let text = shipped_edited("blocked = \"return\"\n", "");
    assert_at(&text, line_of(&text, "[lock]"), "[lock] has no `blocked`");
    let text = shipped_edited("model = \"requote\"\n", "");
    assert_at(
        &text,
        line_of(&text, "[mismatch]"),
        "[mismatch] has no `model`",
    );
}

#[test]
fn accessories_are_the_domain_words() {
    assert_edit(
        "stylus = { cents = 1500 }",
        "styllus = { cents = 1500 }",
        "did you mean `stylus`?",
    );
    assert_edit(
        "box = { cents = 0 }",
        "box = \"free\"",
        "`box` must be an amount",
    );
}

#[test]
fn a_locked_device_cannot_be_ignored() {
    assert_edit(
        "blocked = \"return\"",
        "blocked = \"ignore\"",
        "a locked device cannot be bought as if it were not; use one of: return, hold",
    );
    assert_edit(
        "unknown = \"hold\"",
        "unknown = \"keep\"",
        "use one of: return, hold, ignore",
    );
}

#[test]
fn a_mismatch_is_requote_or_an_amount() {
    assert_edit(
        "model = \"requote\"",
        "model = \"quote again\"",
        "write \"requote\" or an amount",
    );
}

#[test]
fn a_floor_of_the_whole_quote_makes_every_rule_useless() {
    assert_edit(
        "floor = { cents = 0 }",
        "floor = { percent = 100 }",
        "no rule could ever lower it",
    );
}

#[test]
fn every_problem_is_reported_at_once_in_line_order() {
    let text = shipped_edited("currency = \"EUR\"", "currency = \"eur\"")
        .replacen(
            "per_step = { percent = 15 }",
            "per_step = { percent = 150 }",
            1,
        )
        .replacen("blocked = \"return\"", "blocked = \"ignore\"", 1);
    let found = problems(&text);
    let lines: Vec<usize> = found.iter().map(|problem| problem.line).collect();
    assert_eq!(
        lines,
        [
            line_of(&text, "currency = \"eur\""),
            line_of(&text, "per_step ="),
            line_of(&text, "blocked ="),
        ]
    );
    assert!(check_tradein_policy(&text).policy.is_none());
}

#[test]
fn an_empty_file_lists_every_missing_table() {
    let found = problems("");
    let missing: Vec<&str> = found
        .iter()
        .filter_map(|problem| {
            problem
                .message
                .strip_prefix("the [")
                .and_then(|rest| rest.split(']').next())
        })
        .collect();
    assert_eq!(
        missing,
        [
            "policy",
            "grade",
            "accessories",
            "battery",
            "functions",
            "lock",
            "mismatch"
        ]
    );
    assert!(found.iter().all(|problem| problem.line == 1));
}
