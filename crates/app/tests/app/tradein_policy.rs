//! Use-case tests: trade-in revision policies through `policy::check`, which tells them from
//! grading policies by `[policy] kind = "tradein"`, and `policy::load_tradein`.

use std::path::{Path, PathBuf};

use refurbdesk_app::policy::{self, PolicyCheckParams, PolicyKind};
use refurbdesk_app::{ErrorCode, Hint};

fn write(dir: &Path, name: &str, text: &str) -> PathBuf {
    let path = dir.join(name);
    std::fs::write(&path, text).expect("file written");
    path
}

#[test]
fn the_shipped_trade_in_policy_checks_valid_as_a_trade_in_policy() {
    let dir = tempfile::tempdir().expect("a temporary directory");
    let file = write(dir.path(), "tradein.toml", policy::tradein_default_text());
    let report = policy::check(PolicyCheckParams { file }).expect("checked");
    assert!(report.valid, "{:?}", report.problems);
    assert_eq!(report.kind, PolicyKind::Tradein);
    assert_eq!(report.rules, 10);
    assert_eq!(
        report.policy.as_ref().expect("named").to_string(),
        "tradein-default 1.0.0"
    );
    assert!(report.refusal().is_none());
    let json = serde_json::to_value(
        policy::check(PolicyCheckParams {
            file: write(dir.path(), "again.toml", policy::tradein_default_text()),
        })
        .expect("checked"),
    )
    .expect("json");
    assert_eq!(json["kind"], "tradein");
    assert_eq!(json["valid"], true);

    // The grading path is unchanged, and now says what it checked.
    let grading = write(dir.path(), "grading.toml", policy::default_text());
    let report = policy::check(PolicyCheckParams { file: grading }).expect("checked");
    assert_eq!(report.kind, PolicyKind::Grading);
    assert!(report.valid);
    assert_eq!(report.rules, 24);
}

#[test]
fn a_broken_trade_in_policy_lists_its_problems_by_line_and_is_refused_for_use() {
    let dir = tempfile::tempdir().expect("a temporary directory");
    let text = policy::tradein_default_text()
        .replacen("blocked = \"return\"", "blocked = \"ignore\"", 1)
        .replacen(
            "replace = { cents = 3000 }",
            "replace = { cents = 30.00 }",
            1,
        );
    let line_of = |needle: &str| {
        text.lines()
            .position(|line| line.starts_with(needle))
            .expect("present")
            + 1
    };
    let file = write(dir.path(), "broken.toml", &text);
    let report = policy::check(PolicyCheckParams { file: file.clone() }).expect("checked");
    assert_eq!(report.kind, PolicyKind::Tradein);
    assert!(!report.valid);
    let lines: Vec<usize> = report.problems.iter().map(|problem| problem.line).collect();
    assert_eq!(lines, [line_of("replace ="), line_of("blocked =")]);
    assert!(report.problems[0].message.contains("whole number of cents"));
    let refusal = report.refusal().expect("refused");
    assert_eq!(refusal.code, ErrorCode::Data);
    assert!(refusal
        .message
        .ends_with("has 2 problems; fix them and check again"));

    let error = policy::load_tradein(Some(&file)).expect_err("refused");
    assert_eq!(error.code, ErrorCode::Data);
    assert!(
        error.message.contains(&format!(
            "broken.toml:{}: `blocked` = \"ignore\"",
            line_of("blocked =")
        )),
        "{}",
        error.message
    );
    assert_eq!(
        error.hint,
        Some(Hint::CheckPolicy {
            file: file.display().to_string()
        })
    );
    // No file named: the shipped policy.
    let shipped = policy::load_tradein(None).expect("the shipped policy");
    assert_eq!(shipped.id.name, "tradein-default");
}

#[test]
fn a_trade_in_policy_is_not_taken_for_a_grading_one() {
    let dir = tempfile::tempdir().expect("a temporary directory");
    let file = write(dir.path(), "tradein.toml", policy::tradein_default_text());
    let error = policy::load(&file).expect_err("not a grading policy");
    assert_eq!(error.code, ErrorCode::Data);
    assert!(
        error.message.contains("is a trade-in revision policy"),
        "{}",
        error.message
    );
}
