//! The page's HTML, written out by hand: a few fixed shapes, every text escaped, no template
//! engine. Words come from the message catalogue (`assets/locales/<lang>/verify-page.ftl`); the
//! document's own fields come from the certificate crate, as its PDF prints them.

use std::fmt::Write as _;

use refurbdesk_certificate::{Block, PublicKeyInfo, SignedDocument};
use refurbdesk_i18n::{Catalogue, Lang};

use crate::Void;

/// What the site says of a document, as the page shows it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum PageState {
    /// Signed by a published key and not voided.
    Valid,
    /// Signed by a published key, then voided.
    Voided(Void),
    /// The site's copy does not verify against the published keys (the reason, in English).
    Invalid(String),
}

impl PageState {
    fn word(&self) -> &'static str {
        match self {
            PageState::Valid => "valid",
            PageState::Voided(_) => "voided",
            PageState::Invalid(_) => "invalid",
        }
    }
}

pub(crate) struct DocumentPage<'a> {
    pub lang: Lang,
    pub id: &'a str,
    pub digest: &'a str,
    pub signed: &'a SignedDocument,
    pub key: Option<&'a PublicKeyInfo>,
    pub keys: &'a [PublicKeyInfo],
    pub state: &'a PageState,
    pub replaced_by: Option<&'a str>,
}

fn words(lang: Lang) -> &'static Catalogue {
    Catalogue::for_lang(lang)
}

fn t(lang: Lang, id: &str) -> String {
    words(lang).tell(id, &[])
}

/// Escapes text for an element's content or a quoted attribute.
fn escape(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    for c in text.chars() {
        match c {
            '&' => out.push_str("&amp;"),
            '<' => out.push_str("&lt;"),
            '>' => out.push_str("&gt;"),
            '"' => out.push_str("&quot;"),
            '\'' => out.push_str("&#39;"),
            c => out.push(c),
        }
    }
    out
}

/// A time as stations write it (RFC 3339, nanoseconds), shown to the minute in UTC as the
/// documents print times; anything else as it is.
fn shown_time(text: &str) -> String {
    chrono::DateTime::parse_from_rfc3339(text).map_or_else(
        |_| text.to_owned(),
        |at| {
            at.with_timezone(&chrono::Utc)
                .format("%Y-%m-%d %H:%M UTC")
                .to_string()
        },
    )
}

/// JSON inside `<script type="application/json">`: `<` written as `\u003c`, so no text in it
/// can close the element.
fn script_json(value: &serde_json::Value) -> String {
    value.to_string().replace('<', "\\u003c")
}

fn head(lang: Lang, title: &str) -> String {
    format!(
        "<!doctype html>\n<html lang=\"{}\">\n<head>\n<meta charset=\"utf-8\">\n\
         <meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">\n\
         <meta name=\"robots\" content=\"noindex\">\n\
         <title>{}</title>\n<link rel=\"stylesheet\" href=\"/assets/page.css\">\n</head>\n",
        lang.as_str(),
        escape(title)
    )
}

/// Links to the same page in each language, the current one marked.
fn language_switch(lang: Lang, query_base: &str) -> String {
    let mut out = String::from("<nav class=\"langs\" data-testid=\"lang-switch\">");
    for other in [Lang::En, Lang::Fr] {
        let name = t(other, "verify-page-language-name");
        if other == lang {
            let _ = write!(out, "<span aria-current=\"page\">{}</span>", escape(&name));
        } else {
            let _ = write!(
                out,
                "<a href=\"{}lang={}\" hreflang=\"{}\" lang=\"{}\">{}</a>",
                escape(query_base),
                other.as_str(),
                other.as_str(),
                other.as_str(),
                escape(&name)
            );
        }
    }
    out.push_str("</nav>");
    out
}

/// The answer for an unknown id, a wrong digest or a malformed link: one answer for all, so
/// the page tells nothing about which documents exist.
pub(crate) fn not_found(lang: Lang) -> String {
    let title = t(lang, "verify-page-unknown-title");
    format!(
        "{}<body>\n<main>\n<h1>{}</h1>\n\
         <p class=\"status unknown\" data-testid=\"verify-status\" data-state=\"unknown\">{}</p>\n\
         </main>\n</body>\n</html>\n",
        head(lang, &title),
        escape(&title),
        escape(&t(lang, "verify-page-unknown"))
    )
}

/// The answer when the site cannot be read.
pub(crate) fn unavailable(lang: Lang) -> String {
    let title = t(lang, "verify-page-title");
    format!(
        "{}<body>\n<main>\n<h1>{}</h1>\n\
         <p class=\"status unknown\" data-testid=\"verify-status\" data-state=\"unavailable\">{}</p>\n\
         </main>\n</body>\n</html>\n",
        head(lang, &title),
        escape(&title),
        escape(&t(lang, "verify-page-unavailable"))
    )
}

fn fields(out: &mut String, fields: &[(String, String)]) {
    out.push_str("<dl>");
    for (label, value) in fields {
        let _ = write!(out, "<dt>{}</dt><dd>{}</dd>", escape(label), escape(value));
    }
    out.push_str("</dl>\n");
}

fn blocks(out: &mut String, blocks: &[Block]) {
    for block in blocks {
        match block {
            Block::Heading(text) => {
                let _ = writeln!(out, "<h2>{}</h2>", escape(text));
            }
            Block::Fields(list) | Block::Grid(list) => fields(out, list),
            Block::Validation { fields: list, .. } => fields(out, list),
            Block::Panel {
                heading,
                fields: list,
            } => {
                let _ = write!(out, "<section class=\"panel\"><h3>{}</h3>", escape(heading));
                fields(out, list);
                out.push_str("</section>\n");
            }
            Block::Table { columns, rows, .. } => {
                out.push_str("<div class=\"table\"><table><thead><tr>");
                for column in columns {
                    let _ = write!(out, "<th scope=\"col\">{}</th>", escape(column));
                }
                out.push_str("</tr></thead><tbody>");
                for row in rows {
                    out.push_str("<tr>");
                    for cell in row {
                        let _ = write!(out, "<td>{}</td>", escape(cell));
                    }
                    out.push_str("</tr>");
                }
                out.push_str("</tbody></table></div>\n");
            }
            Block::Paragraph(text) => {
                let _ = writeln!(out, "<p>{}</p>", escape(text));
            }
            Block::PageBreak => {}
        }
    }
}

pub(crate) fn document(page: &DocumentPage<'_>) -> String {
    let lang = page.lang;
    let catalogue = words(lang);
    let sheet = page
        .key
        .and_then(|key| refurbdesk_certificate::sheet_of(page.signed, lang, key).ok());
    let title = sheet
        .as_ref()
        .map_or_else(|| t(lang, "verify-page-title"), |sheet| sheet.title.clone());
    let mut out = head(lang, &title);
    out.push_str("<body>\n<main>\n");
    let query_base = format!("/v/{}?d={}&", page.id, page.digest);
    out.push_str(&language_switch(lang, &query_base));
    let _ = writeln!(
        out,
        "<p class=\"kicker\">{}</p>",
        escape(&t(lang, "verify-page-title"))
    );
    let _ = writeln!(out, "<h1>{}</h1>", escape(&title));

    // The state first: it is what the customer came for.
    let status = match page.state {
        PageState::Valid => catalogue.tell("verify-page-valid", &[]),
        PageState::Voided(void) => catalogue.tell(
            "verify-page-voided",
            &[
                ("at", shown_time(&void.at).as_str()),
                ("by", void.by.as_str()),
                ("reason", void.reason.as_str()),
            ],
        ),
        PageState::Invalid(_) => catalogue.tell("verify-page-invalid", &[]),
    };
    let _ = writeln!(
        out,
        "<p class=\"status {word}\" data-testid=\"verify-status\" data-state=\"{word}\" role=\"status\">{}</p>",
        escape(&status),
        word = page.state.word(),
    );
    if let PageState::Voided(void) = page.state {
        let _ = write!(out, "<dl class=\"void\" data-testid=\"verify-void\">");
        for (label, value) in [
            ("verify-page-voided-at", &shown_time(&void.at)),
            ("verify-page-voided-by", &void.by),
            ("verify-page-void-reason", &void.reason),
        ] {
            let _ = write!(
                out,
                "<dt>{}</dt><dd>{}</dd>",
                escape(&t(lang, label)),
                escape(value)
            );
        }
        out.push_str("</dl>\n");
    }
    if let Some(replacement) = page.replaced_by {
        let _ = writeln!(
            out,
            "<p class=\"replaced\">{}</p>",
            escape(&catalogue.tell("verify-page-replaced", &[("id", replacement)]))
        );
    }

    // The customer's own check of a file.
    let _ = writeln!(
        out,
        "<section class=\"check\">\n<h2>{}</h2>\n\
         <label class=\"drop\" data-testid=\"verify-drop\">\n<span>{}</span>\n\
         <input type=\"file\" accept=\"application/pdf,.pdf,application/json,.json\" data-testid=\"verify-file\">\n\
         </label>\n<p class=\"result\" data-testid=\"verify-result\" data-result=\"\" role=\"status\" aria-live=\"polite\"></p>\n\
         <p class=\"detail\" data-testid=\"verify-detail\"></p>\n</section>",
        escape(&t(lang, "verify-page-check-heading")),
        escape(&t(lang, "verify-page-check-help")),
    );

    // The signed fields, as the PDF prints them.
    if let Some(sheet) = &sheet {
        out.push_str("<section class=\"document\" data-testid=\"verify-document\">\n");
        let _ = writeln!(
            out,
            "<h2>{}</h2>",
            escape(&t(lang, "verify-page-signed-fields"))
        );
        out.push_str("<p class=\"issuer\">");
        let issuer: Vec<String> = sheet.issuer.iter().map(|line| escape(line)).collect();
        out.push_str(&issuer.join("<br>"));
        out.push_str("</p>\n");
        for line in &sheet.subtitle {
            let _ = writeln!(out, "<p class=\"subtitle\">{}</p>", escape(line));
        }
        blocks(&mut out, &sheet.blocks);
        out.push_str("</section>\n");
    }
    out.push_str("</main>\n");

    // What the page's script needs: the document it is about, the published keys the file is
    // checked against, and its words in the page's language.
    let id_mark = "@ID@";
    let data = serde_json::json!({
        "id": page.id,
        "state": page.state.word(),
        "keys": page.keys,
        "words": {
            "checking": t(lang, "verify-page-checking"),
            "match": t(lang, "verify-page-match"),
            "matchVoided": t(lang, "verify-page-match-voided"),
            "other": catalogue.tell("verify-page-other", &[("id", id_mark)]),
            "invalid": t(lang, "verify-page-invalid-file"),
            "error": t(lang, "verify-page-error"),
        },
    });
    let _ = writeln!(
        out,
        "<script type=\"application/json\" id=\"verify-data\">{}</script>\n\
         <script type=\"module\" src=\"/assets/page.js\"></script>\n</body>\n</html>",
        script_json(&data)
    );
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn text_and_json_cannot_break_out_of_their_element() {
        assert_eq!(
            escape("<b>\"A&B's\"</b>"),
            "&lt;b&gt;&quot;A&amp;B&#39;s&quot;&lt;/b&gt;"
        );
        let json = script_json(&serde_json::json!({ "x": "</script><script>alert(1)" }));
        assert!(!json.contains("</script>"), "{json}");
        let back: serde_json::Value = serde_json::from_str(&json).unwrap();
        assert_eq!(back["x"], "</script><script>alert(1)");
    }

    #[test]
    fn times_show_to_the_minute_in_utc() {
        assert_eq!(
            shown_time("2026-12-03T09:48:34.787228786Z"),
            "2026-12-03 09:48 UTC"
        );
        assert_eq!(
            shown_time("2026-12-03T10:48:34+01:00"),
            "2026-12-03 09:48 UTC"
        );
        assert_eq!(shown_time("yesterday"), "yesterday");
    }

    #[test]
    fn not_found_says_nothing_of_which_documents_exist_in_either_language() {
        for lang in [Lang::En, Lang::Fr] {
            let page = not_found(lang);
            assert!(page.contains(&format!("<html lang=\"{}\">", lang.as_str())));
            assert!(page.contains("data-state=\"unknown\""));
            assert!(
                !page.contains("verify-page-"),
                "a message id told as itself: {page}"
            );
        }
    }
}
