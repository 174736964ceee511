//! `refurbdesk grade --ask`: asks the technician, line by line, every
//! required checklist item and cosmetic zone that neither the bench, an
//! earlier grade of the same intake nor the command line has answered, in
//! English or French. Questions go to stderr, so `--json` output stays one
//! object on stdout; nothing is recorded until every question is answered.

use std::collections::BTreeMap;
use std::io::{BufRead, Write};

use anyhow::anyhow;
use refurbdesk_domain::{DeviceCategory, Lang};
use refurbdesk_grading::{zones_for, Answer, BenchTest, Checklists, CosmeticLevel, Zone};

use crate::exit::{Exit, Failure};

/// What is still to be asked, in the order a technician works: the
/// checklist in its template's order, then the zones in inspection order.
pub struct Missing {
    items: Vec<(String, String, bool)>,
    zones: Vec<Zone>,
}

impl Missing {
    /// The required items nobody answered (with their question in `lang`
    /// and whether `na` is allowed) and the zones without a level.
    pub fn find(
        category: DeviceCategory,
        tests: &[BenchTest],
        answers: &BTreeMap<String, Answer>,
        levels: &BTreeMap<Zone, CosmeticLevel>,
        lang: Lang,
    ) -> Missing {
        let template = Checklists::embedded().for_category(category);
        // An unknown item on the command line is reported by grading itself.
        let items = template
            .fill(tests, answers)
            .map(|filled| {
                filled
                    .unanswered(template)
                    .filter_map(|id| template.item(id))
                    .map(|item| {
                        let question = item.question_in(lang).unwrap_or(item.label_in(lang));
                        (item.id.to_string(), question.to_owned(), item.na_allowed)
                    })
                    .collect()
            })
            .unwrap_or_default();
        let zones = zones_for(category)
            .iter()
            .copied()
            .filter(|zone| !levels.contains_key(zone))
            .collect();
        Missing { items, zones }
    }

    /// Asks each question on `output`, reading answers from `input`; an
    /// answer that is not one of the words is asked again.
    pub fn ask(
        &self,
        lang: Lang,
        input: &mut impl BufRead,
        output: &mut impl Write,
        answers: &mut BTreeMap<String, Answer>,
        levels: &mut BTreeMap<Zone, CosmeticLevel>,
    ) -> Result<(), Failure> {
        let words = Words::of(lang);
        let count = self.items.len() + self.zones.len();
        let mut number = 0;
        for (id, question, na_allowed) in &self.items {
            number += 1;
            let _ = writeln!(output, "\n[{number}/{count}] {question}");
            let answer = loop {
                let line = read_answer(input, output, words.item_prompt)?;
                match item_answer(&line) {
                    Some(Answer::Na) if !na_allowed => {
                        let _ = writeln!(output, "{}", words.na_refused);
                    }
                    Some(answer) => break answer,
                    None => {
                        let _ = writeln!(output, "{}", words.item_again);
                    }
                }
            };
            answers.insert(id.clone(), answer);
        }
        for zone in &self.zones {
            number += 1;
            let _ = writeln!(output, "\n[{number}/{count}] {}", zone.title_in(lang));
            let level = loop {
                let line = read_answer(input, output, words.zone_prompt)?;
                match zone_level(&line) {
                    Some(level) => break level,
                    None => {
                        let _ = writeln!(output, "{}", words.zone_again);
                    }
                }
            };
            levels.insert(*zone, level);
        }
        Ok(())
    }
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

/// Both languages' words are understood whichever language asks.
fn item_answer(word: &str) -> Option<Answer> {
    match word {
        "pass" | "p" | "yes" | "y" | "oui" | "o" => Some(Answer::Pass),
        "fail" | "f" | "no" | "n" | "non" => Some(Answer::Fail),
        "na" | "n/a" | "so" | "sans objet" => Some(Answer::Na),
        _ => None,
    }
}

fn zone_level(word: &str) -> Option<CosmeticLevel> {
    if let Ok(level) = word.parse::<CosmeticLevel>() {
        return Some(level);
    }
    match word {
        "0" | "aucune" | "aucun" | "aucune marque" => Some(CosmeticLevel::Flawless),
        "1" | "micro-rayures" => Some(CosmeticLevel::Micro),
        "2" | "légère" | "légères" | "legere" | "légères marques" => {
            Some(CosmeticLevel::Light)
        }
        "3" | "visibles" => Some(CosmeticLevel::Visible),
        "4" | "fissuré" | "fissurée" | "fissure" | "fissure visible" => {
            Some(CosmeticLevel::Cracked)
        }
        _ => None,
    }
}

struct Words {
    item_prompt: &'static str,
    item_again: &'static str,
    na_refused: &'static str,
    zone_prompt: &'static str,
    zone_again: &'static str,
}

impl Words {
    fn of(lang: Lang) -> Words {
        match lang {
            Lang::En => Words {
                item_prompt: "[y]es (pass) / [n]o (fail) / na (not applicable) / [q]uit: ",
                item_again: "Answer y (it works), n (it does not), na (the device has none) or q (stop, record nothing).",
                na_refused: "This check applies to every device of this kind: answer y or n.",
                zone_prompt: "flawless (0), micro (1), light (2), visible (3), cracked (4) / [q]uit: ",
                zone_again: "Answer one of: flawless, micro (invisible at 20 cm), light (invisible at 50 cm), visible, cracked; or 0 to 4.",
            },
            Lang::Fr => Words {
                item_prompt: "[o]ui (réussi) / [n]on (échec) / so (sans objet) / [q]uitter : ",
                item_again: "Répondez o (fonctionne), n (ne fonctionne pas), so (l'appareil n'en a pas) ou q (arrêter sans rien enregistrer).",
                na_refused: "Ce contrôle vaut pour tout appareil de ce type : répondez o ou n.",
                zone_prompt: "aucune (0), micro (1), légère (2), visible (3), fissuré (4) / [q]uitter : ",
                zone_again: "Répondez aucune, micro (invisible à 20 cm), légère (invisible à 50 cm), visible ou fissuré ; ou de 0 à 4.",
            },
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn words_of_both_languages_are_understood() {
        assert_eq!(item_answer("oui"), Some(Answer::Pass));
        assert_eq!(item_answer("n"), Some(Answer::Fail));
        assert_eq!(item_answer("so"), Some(Answer::Na));
        assert_eq!(item_answer("peut-être"), None);
        assert_eq!(zone_level("légère"), Some(CosmeticLevel::Light));
        assert_eq!(zone_level("cracked"), Some(CosmeticLevel::Cracked));
        assert_eq!(zone_level("0"), Some(CosmeticLevel::Flawless));
        assert_eq!(zone_level("5"), None);
    }

    #[test]
    fn each_missing_item_and_zone_is_asked_once_in_order() {
        let mut answers = BTreeMap::from([("touch".to_owned(), Answer::Pass)]);
        let mut levels = BTreeMap::from([(Zone::Screen, CosmeticLevel::Micro)]);
        let missing = Missing::find(DeviceCategory::Phone, &[], &answers, &levels, Lang::Fr);
        assert!(missing.items.iter().all(|(id, _, _)| id != "touch"));
        assert_eq!(missing.zones, [Zone::Back, Zone::Frame]);
        let items = missing.items.len();
        // A wrong word first, then yes to everything but the last item.
        let mut typed = String::from("peut-être\n");
        for index in 0..items {
            typed.push_str(if index + 1 == items { "non\n" } else { "o\n" });
        }
        typed.push_str("aucune\n4\n");
        let mut shown = Vec::new();
        missing
            .ask(
                Lang::Fr,
                &mut typed.as_bytes(),
                &mut shown,
                &mut answers,
                &mut levels,
            )
            .expect("answered");
        let shown = String::from_utf8(shown).expect("text");
        assert_eq!(shown.matches("Répondez o").count(), 1, "{shown}");
        assert!(shown.contains("[1/"), "{shown}");
        assert!(shown.contains("Dos"), "{shown}");
        assert_eq!(answers.len(), items + 1);
        let last = &missing.items[items - 1].0;
        assert_eq!(answers[last], Answer::Fail);
        assert_eq!(levels[&Zone::Back], CosmeticLevel::Flawless);
        assert_eq!(levels[&Zone::Frame], CosmeticLevel::Cracked);

        // The input ending early stops grading.
        let error = missing
            .ask(
                Lang::En,
                &mut "y\n".as_bytes(),
                &mut Vec::new(),
                &mut answers,
                &mut levels,
            )
            .expect_err("stopped");
        assert_eq!(error.exit, Exit::Interrupted);
        assert!(
            error.error.to_string().contains("nothing was recorded"),
            "{}",
            error.error
        );
    }
}
