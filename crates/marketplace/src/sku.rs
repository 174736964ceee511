//! SKUs derived from what a listing sells: (model, storage, colour, grade) through a template.

use serde::{Deserialize, Serialize};

/// What a SKU is made of.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct SkuFacts {
    pub model: String,
    pub storage: String,
    pub colour: String,
    pub grade: String,
}

/// A SKU template such as `RD-{model}-{storage}-{colour}-{grade}`: each placeholder is replaced
/// by its fact in capitals, with every run of characters other than letters and digits made one
/// `-`; the text around the placeholders stays as written.
///
/// ```
/// use refurbdesk_marketplace::{SkuFacts, SkuTemplate};
/// let template: SkuTemplate = "RD-{model}-{storage}-{colour}-{grade}".parse().unwrap();
/// let facts = SkuFacts {
///     model: "iPhone 13 Pro".into(),
///     storage: "128 GB".into(),
///     colour: "Sierra blue".into(),
///     grade: "B".into(),
/// };
/// assert_eq!(template.render(&facts), "RD-IPHONE-13-PRO-128-GB-SIERRA-BLUE-B");
/// assert!("RD-{model}-{size}".parse::<SkuTemplate>().is_err());
/// assert!("RD-{model".parse::<SkuTemplate>().is_err());
/// ```
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct SkuTemplate {
    text: String,
    parts: Vec<Part>,
}

#[derive(Debug, Clone, PartialEq, Eq)]
enum Part {
    Text(String),
    Model,
    Storage,
    Colour,
    Grade,
}

/// Why a SKU template was refused.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum SkuTemplateError {
    #[error("unknown placeholder {{{0}}} (model, storage, colour, grade)")]
    Placeholder(String),
    #[error("a '{{' is not closed")]
    Unclosed,
    #[error("the template names no placeholder")]
    Empty,
}

impl SkuTemplate {
    /// The default: `{model}-{storage}-{colour}-{grade}`.
    pub fn standard() -> SkuTemplate {
        "{model}-{storage}-{colour}-{grade}"
            .parse()
            .expect("the standard template parses")
    }

    pub fn as_str(&self) -> &str {
        &self.text
    }

    pub fn render(&self, facts: &SkuFacts) -> String {
        let mut sku = String::new();
        for part in &self.parts {
            match part {
                Part::Text(text) => sku.push_str(text),
                Part::Model => sku.push_str(&normalise(&facts.model)),
                Part::Storage => sku.push_str(&normalise(&facts.storage)),
                Part::Colour => sku.push_str(&normalise(&facts.colour)),
                Part::Grade => sku.push_str(&normalise(&facts.grade)),
            }
        }
        sku
    }
}

/// Capitals, and one `-` for each run of anything else than letters and digits.
fn normalise(fact: &str) -> String {
    let mut out = String::new();
    let mut gap = false;
    for c in fact.trim().chars() {
        if c.is_alphanumeric() {
            if gap && !out.is_empty() {
                out.push('-');
            }
            gap = false;
            out.extend(c.to_uppercase());
        } else {
            gap = true;
        }
    }
    out
}

impl std::str::FromStr for SkuTemplate {
    type Err = SkuTemplateError;

    fn from_str(text: &str) -> Result<Self, Self::Err> {
        let mut parts = Vec::new();
        let mut rest = text;
        while let Some(open) = rest.find('{') {
            if open > 0 {
                parts.push(Part::Text(rest[..open].to_owned()));
            }
            let close = rest[open..].find('}').ok_or(SkuTemplateError::Unclosed)? + open;
            parts.push(match &rest[open + 1..close] {
                "model" => Part::Model,
                "storage" => Part::Storage,
                "colour" | "color" => Part::Colour,
                "grade" => Part::Grade,
                other => return Err(SkuTemplateError::Placeholder(other.to_owned())),
            });
            rest = &rest[close + 1..];
        }
        if !rest.is_empty() {
            parts.push(Part::Text(rest.to_owned()));
        }
        if !parts.iter().any(|part| !matches!(part, Part::Text(_))) {
            return Err(SkuTemplateError::Empty);
        }
        Ok(SkuTemplate {
            text: text.to_owned(),
            parts,
        })
    }
}
