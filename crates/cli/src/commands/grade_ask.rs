//! `refurbdesk grade --ask`: puts, line by line, the questions
//! `refurbdesk_app::grade::open_questions` says are still open (every
//! required checklist item and cosmetic zone that neither the bench, an
//! earlier grade of the same intake nor the command line has answered), in
//! English or French. Questions go to stderr, so `--json` output stays one
//! object on stdout; nothing is recorded until every question is answered.

use std::io::{BufRead, Write};

use anyhow::anyhow;
use refurbdesk_app::grade::{GradeParams, OpenQuestions};

use crate::exit::{Exit, Failure};

/// Asks each question on `output`, reading answers from `input` into
/// `params`; an answer that is not one of the words is asked again.
pub fn ask(
    open: &OpenQuestions,
    input: &mut impl BufRead,
    output: &mut impl Write,
    params: &mut GradeParams,
) -> Result<(), Failure> {
    let count = open.questions.len();
    for (index, question) in open.questions.iter().enumerate() {
        let _ = writeln!(output, "\n[{}/{count}] {}", index + 1, question.text);
        let given = loop {
            let line = read_answer(input, output, open.words.prompt(question.kind))?;
            match question.understand(&line, &open.words) {
                Ok(given) => break given,
                Err(again) => {
                    let _ = writeln!(output, "{again}");
                }
            }
        };
        params.give(given);
    }
    Ok(())
}

/// One line, after the prompt; "q" or the end of the input stops grading.
fn read_answer(
    input: &mut impl BufRead,
    output: &mut impl Write,
    prompt: &str,
) -> Result<String, Failure> {
    let _ = write!(output, "{prompt}");
    let _ = output.flush();
    let mut line = String::new();
    let read = input
        .read_line(&mut line)
        .map_err(|error| Failure::new(Exit::Data, anyhow!("could not read the answer: {error}")))?;
    let word = line.trim().to_lowercase();
    if read == 0 || matches!(word.as_str(), "q" | "quit" | "quitter") {
        return Err(Failure::new(
            Exit::Interrupted,
            anyhow!("grading stopped before every question was answered; nothing was recorded"),
        ));
    }
    Ok(word)
}

#[cfg(test)]
mod tests {
    use std::collections::BTreeMap;

    use refurbdesk_app::grade::{questions, QuestionWords};
    use refurbdesk_app::grade::{Answer, CosmeticLevel, Zone};
    use refurbdesk_domain::{DeviceCategory, Lang};
    use uuid::Uuid;

    use super::*;

    fn open(lang: Lang, params: &GradeParams) -> OpenQuestions {
        OpenQuestions {
            device_id: Uuid::nil(),
            intake_id: Uuid::nil(),
            carried_over: None,
            questions: questions(
                DeviceCategory::Phone,
                &[],
                &params.checks,
                &params.cosmetic,
                lang,
            ),
            words: QuestionWords::of(lang),
        }
    }

    #[test]
    fn each_open_question_is_asked_once_in_order() {
        let mut params = GradeParams {
            device: "x".into(),
            checks: BTreeMap::from([("touch".to_owned(), Answer::Pass)]),
            cosmetic: BTreeMap::from([(Zone::Screen, CosmeticLevel::Micro)]),
            photos: Vec::new(),
            policy: None,
            partial: false,
            explain: false,
            lang: Lang::Fr,
        };
        let open = open(Lang::Fr, &params);
        let items = open.questions.len() - 2;
        // A wrong word first, then yes to everything but the last item.
        let mut typed = String::from("peut-être\n");
        for index in 0..items {
            typed.push_str(if index + 1 == items { "non\n" } else { "o\n" });
        }
        typed.push_str("aucune\n4\n");
        let mut shown = Vec::new();
        ask(&open, &mut typed.as_bytes(), &mut shown, &mut params).expect("answered");
        let shown = String::from_utf8(shown).expect("text");
        assert_eq!(shown.matches("Répondez o").count(), 1, "{shown}");
        assert!(shown.contains("[1/"), "{shown}");
        assert!(shown.contains("Dos"), "{shown}");
        assert_eq!(params.checks.len(), items + 1);
        let last = &open.questions[items - 1].id;
        assert_eq!(params.checks[last], Answer::Fail);
        assert_eq!(params.cosmetic[&Zone::Back], CosmeticLevel::Flawless);
        assert_eq!(params.cosmetic[&Zone::Frame], CosmeticLevel::Cracked);

        // The input ending early stops grading.
        let error =
            ask(&open, &mut "y\n".as_bytes(), &mut Vec::new(), &mut params).expect_err("stopped");
        assert_eq!(error.exit, Exit::Interrupted);
        assert!(
            error.error.to_string().contains("nothing was recorded"),
            "{}",
            error.error
        );
    }
}
