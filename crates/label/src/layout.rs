//! Where everything goes on a label, in printer dots at 203 dpi (8 dots per millimetre), the
//! resolution of the common Zebra thermal printers. Both outputs draw this one layout: ZPL
//! takes the dots as they are, the PDF scales them to points, so a bar is a whole number of
//! dots wide on the printer and the two labels match.
//!
//! The label reads, top to bottom: the device (bold), its grade and battery, then one row per
//! barcode (bars, and the value under them). The QR code sits in the top right corner; the
//! last barcode row either runs under it at the label's full width or stays beside it,
//! whichever leaves the widest modules (a long serial needs the full width on a 50 × 25 mm
//! label; a single barcode is better beside a taller QR code).

use std::sync::OnceLock;

use printpdf::ParsedFont;
use qrcode::{EcLevel, QrCode};

use crate::code128::{Code128, QUIET_ZONE};
use crate::LabelError;

/// Printer resolution: 203 dpi.
pub const DPI: f32 = 203.0;
/// Modules of white around the QR code's dark modules, inside its square (the label's margin
/// adds to it at the edges).
pub const QR_QUIET: u32 = 2;
/// The largest module a barcode or QR code is drawn with, in dots: wider only wastes label.
const MAX_BAR_MODULE: u32 = 4;
const MAX_QR_MODULE: u32 = 6;

pub fn mm_to_dots(mm: f32) -> u32 {
    (mm * DPI / 25.4).round() as u32
}

const REGULAR_TTF: &[u8] = include_bytes!("../../../assets/fonts/DejaVuSans.ttf");
const BOLD_TTF: &[u8] = include_bytes!("../../../assets/fonts/DejaVuSans-Bold.ttf");

/// A font and its advances, to measure text before placing it.
pub struct Face {
    pub font: ParsedFont,
    units_per_em: f32,
}

impl Face {
    fn load(bytes: &[u8]) -> Face {
        let font = ParsedFont::from_bytes(bytes, 0, &mut Vec::new())
            .expect("the bundled fonts in assets/fonts parse");
        let units_per_em = f32::from(font.font_metrics.units_per_em.max(1));
        Face { font, units_per_em }
    }

    /// Width of `text` in ems.
    pub fn ems(&self, text: &str) -> f32 {
        text.chars()
            .map(|ch| {
                let glyph = self.font.lookup_glyph_index(ch as u32).unwrap_or(0);
                f32::from(self.font.get_horizontal_advance(glyph)) / self.units_per_em
            })
            .sum()
    }
}

pub struct Faces {
    pub regular: Face,
    pub bold: Face,
}

pub fn faces() -> &'static Faces {
    static FACES: OnceLock<Faces> = OnceLock::new();
    FACES.get_or_init(|| Faces {
        regular: Face::load(REGULAR_TTF),
        bold: Face::load(BOLD_TTF),
    })
}

/// One line of text: its top left corner and cell height in dots.
#[derive(Debug, Clone, PartialEq)]
pub struct TextBox {
    pub x: u32,
    pub y: u32,
    pub height: u32,
    /// The width it may take; the text was shortened to fit.
    pub width: u32,
    pub text: String,
    pub bold: bool,
}

/// A Code 128 symbol placed on the label.
#[derive(Debug, Clone, PartialEq)]
pub struct BarcodeBox {
    /// Left edge of the first bar.
    pub x: u32,
    pub y: u32,
    /// Narrowest bar, in dots.
    pub module: u32,
    pub bar_height: u32,
    /// What the bars say.
    pub data: String,
    pub code: Code128,
}

/// The QR code placed on the label.
#[derive(Debug, Clone, PartialEq)]
pub struct QrBox {
    /// Top left corner of the dark modules' square (the quiet zone is around it).
    pub x: u32,
    pub y: u32,
    pub module: u32,
    /// Modules per side.
    pub side: usize,
    /// Row by row, `true` for a dark module.
    pub dark: Vec<bool>,
    pub payload: String,
}

#[derive(Debug, Clone, PartialEq)]
pub struct Layout {
    pub width: u32,
    pub height: u32,
    pub texts: Vec<TextBox>,
    pub barcodes: Vec<BarcodeBox>,
    pub qr: QrBox,
}

/// What goes on the label, already in words.
pub struct Content<'a> {
    pub title: &'a str,
    pub subtitle: &'a str,
    /// (value encoded, line printed under the bars)
    pub barcodes: Vec<(&'a str, String)>,
    pub qr: &'a str,
}

/// A barcode row's place once the QR code's module is chosen.
struct Candidate {
    qr_module: u32,
    /// Whether the last barcode row runs under the QR code.
    last_row_full: bool,
    modules: Vec<u32>,
}

impl Candidate {
    /// Wider modules scan better; the narrowest one on the label counts first.
    fn score(&self) -> (u32, u32, u32) {
        let narrowest_bar = self.modules.iter().copied().min().unwrap_or(MAX_BAR_MODULE);
        (
            narrowest_bar.min(self.qr_module).min(3),
            narrowest_bar.min(3),
            self.qr_module.min(4),
        )
    }
}

pub fn layout(width_mm: f32, height_mm: f32, content: &Content<'_>) -> Result<Layout, LabelError> {
    let width = mm_to_dots(width_mm);
    let height = mm_to_dots(height_mm);
    let margin = mm_to_dots(1.5);
    // Sizes grow with the label from those of a 50 × 25 mm one (400 × 200 dots).
    let unit = (width as f32 / 400.0)
        .min(height as f32 / 200.0)
        .clamp(0.6, 3.0);
    let scaled = |dots: f32| (dots * unit).round() as u32;
    let text_height = scaled(18.0).max(12);
    let line_gap = scaled(2.0).max(1);
    let readable_height = scaled(15.0).max(10);
    let row_gap = scaled(4.0).max(2);
    let column_gap = scaled(6.0).max(4);

    let too_small = |what: String| LabelError::TooSmall {
        width_mm,
        height_mm,
        what,
    };

    // The fewer modules, the larger each is drawn on a small label, and a module's size is what
    // decides whether a scanner reads a thermal print: error correction M, unless L needs a
    // smaller symbol (a report's plain-text reference is just past what version 5-M holds).
    let qr_code = [EcLevel::M, EcLevel::L]
        .into_iter()
        .map(|level| QrCode::with_error_correction_level(content.qr.as_bytes(), level))
        .collect::<Result<Vec<_>, _>>()
        .map_err(|error| too_small(format!("the QR code ({error})")))?
        .into_iter()
        .min_by_key(QrCode::width)
        .expect("two levels tried");
    let qr_side = qr_code.width();
    let qr_dark: Vec<bool> = qr_code
        .to_colors()
        .into_iter()
        .map(|color| color == qrcode::Color::Dark)
        .collect();
    let qr_span = qr_side as u32 + 2 * QR_QUIET;

    let codes = content
        .barcodes
        .iter()
        .map(|(data, _)| Code128::encode(data).map_err(LabelError::Barcode))
        .collect::<Result<Vec<_>, _>>()?;

    // Rows from the top: two lines of text, then the barcode rows sharing what is left.
    let text_bottom = margin + 2 * (text_height + line_gap) + line_gap;
    let rows = codes.len() as u32;
    let inner_bottom = height.saturating_sub(margin);
    let bar_height = if rows == 0 {
        0
    } else {
        let available = inner_bottom
            .saturating_sub(text_bottom)
            .saturating_sub(rows * (readable_height + 2) + (rows - 1) * row_gap);
        (available / rows).min(mm_to_dots(15.0))
    };
    if rows > 0 && bar_height < mm_to_dots(3.0) {
        return Err(too_small(format!(
            "{rows} barcodes at least 3 mm tall under two lines of text"
        )));
    }
    let row_top = |index: u32| text_bottom + index * (bar_height + 2 + readable_height + row_gap);

    // The room a barcode needs at `module` dots: the symbol and the quiet zone the margin
    // does not already give on each side.
    let quiet_extra = |module: u32| (QUIET_ZONE * module).saturating_sub(margin);
    let needs = |code: &Code128, module: u32| code.modules() * module + 2 * quiet_extra(module);
    let best_module = |code: &Code128, room: u32| {
        (1..=MAX_BAR_MODULE)
            .rev()
            .find(|module| needs(code, *module) <= room)
    };

    let full_width = width.saturating_sub(2 * margin);
    let mut best: Option<Candidate> = None;
    for last_row_full in [false, true] {
        if last_row_full && rows == 0 {
            continue;
        }
        // How tall the QR code's square may be.
        let qr_room = if last_row_full {
            row_top(rows - 1).saturating_sub(row_gap + margin)
        } else {
            inner_bottom.saturating_sub(margin)
        };
        for qr_module in (1..=MAX_QR_MODULE).rev() {
            let qr_size = qr_span * qr_module;
            if qr_size > qr_room || qr_size + column_gap > full_width {
                continue;
            }
            let column = full_width - qr_size - column_gap;
            let modules: Option<Vec<u32>> = codes
                .iter()
                .enumerate()
                .map(|(index, code)| {
                    let room = if last_row_full && index as u32 == rows - 1 {
                        full_width
                    } else {
                        column
                    };
                    best_module(code, room)
                })
                .collect();
            if let Some(modules) = modules {
                let candidate = Candidate {
                    qr_module,
                    last_row_full,
                    modules,
                };
                if best
                    .as_ref()
                    .is_none_or(|best| candidate.score() > best.score())
                {
                    best = Some(candidate);
                }
            }
        }
    }
    let chosen = best.ok_or_else(|| {
        too_small(if codes.is_empty() {
            "the QR code".to_owned()
        } else {
            "the barcodes beside the QR code".to_owned()
        })
    })?;

    let qr_size = qr_span * chosen.qr_module;
    let qr_left = width - margin - qr_size;
    let column = full_width - qr_size - column_gap;
    let faces = faces();
    let mut texts = vec![
        fitted(
            margin,
            margin,
            text_height,
            column,
            content.title,
            true,
            faces,
        ),
        fitted(
            margin,
            margin + text_height + line_gap,
            text_height,
            column,
            content.subtitle,
            false,
            faces,
        ),
    ];
    let mut barcodes = Vec::new();
    for (index, (code, module)) in codes.into_iter().zip(&chosen.modules).enumerate() {
        let full = chosen.last_row_full && index as u32 == rows - 1;
        let room = if full { full_width } else { column };
        let top = row_top(index as u32);
        let x = margin + quiet_extra(*module);
        let (data, readable) = &content.barcodes[index];
        texts.push(fitted(
            x,
            top + bar_height + 2,
            readable_height,
            room - quiet_extra(*module),
            readable,
            false,
            faces,
        ));
        barcodes.push(BarcodeBox {
            x,
            y: top,
            module: *module,
            bar_height,
            data: (*data).to_owned(),
            code,
        });
    }
    Ok(Layout {
        width,
        height,
        texts,
        barcodes,
        qr: QrBox {
            x: qr_left + QR_QUIET * chosen.qr_module,
            y: margin + QR_QUIET * chosen.qr_module,
            module: chosen.qr_module,
            side: qr_side,
            dark: qr_dark,
            payload: content.qr.to_owned(),
        },
    })
}

/// A line of text, shortened with "..." until it fits `width` dots.
fn fitted(
    x: u32,
    y: u32,
    height: u32,
    width: u32,
    text: &str,
    bold: bool,
    faces: &Faces,
) -> TextBox {
    let face = if bold { &faces.bold } else { &faces.regular };
    let fits = |text: &str| face.ems(text) * height as f32 <= width as f32;
    let mut shown = text.to_owned();
    if !fits(&shown) {
        let mut chars: Vec<char> = text.chars().collect();
        loop {
            chars.pop();
            let candidate = format!("{}...", chars.iter().collect::<String>().trim_end());
            if chars.is_empty() || fits(&candidate) {
                shown = candidate;
                break;
            }
        }
    }
    TextBox {
        x,
        y,
        height,
        width,
        text: shown,
        bold,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn content<'a>(qr: &'a str, barcodes: Vec<(&'a str, String)>) -> Content<'a> {
        Content {
            title: "Apple iPhone 12 · 128 GB",
            subtitle: "Very good · Battery 86%",
            barcodes,
            qr,
        }
    }

    #[test]
    fn a_50_by_25_label_keeps_two_dot_modules_for_an_imei_a_serial_and_a_report_link() {
        let qr = "refurbdesk:verify?id=01900000-0000-7000-8000-000000000001&sig=0123456789abcdef";
        let layout = layout(
            50.0,
            25.0,
            &content(
                qr,
                vec![
                    ("356728114587211", "IMEI 356728114587211".into()),
                    ("F17XK2ABCDEF", "S/N F17XK2ABCDEF".into()),
                ],
            ),
        )
        .unwrap();
        assert_eq!((layout.width, layout.height), (400, 200));
        assert!(layout.barcodes.iter().all(|code| code.module == 2));
        assert!(layout.qr.module >= 2);
        // Nothing leaves the label, and the QR code does not cover the first barcode.
        for code in &layout.barcodes {
            let right = code.x + code.code.modules() * code.module;
            assert!(right <= layout.width - mm_to_dots(1.5));
            assert!(code.y + code.bar_height <= layout.height);
        }
        let first = &layout.barcodes[0];
        assert!(first.x + first.code.modules() * first.module < layout.qr.x);
        for text in &layout.texts {
            assert!(!text.text.is_empty());
        }
    }

    #[test]
    fn too_small_a_label_is_refused_with_what_does_not_fit() {
        let error = layout(
            25.0,
            15.0,
            &content(
                "356728114587211",
                vec![
                    ("356728114587211", "IMEI 356728114587211".into()),
                    ("F17XK2ABCDEF", "S/N F17XK2ABCDEF".into()),
                ],
            ),
        )
        .unwrap_err();
        assert!(matches!(error, LabelError::TooSmall { .. }), "{error}");
    }

    #[test]
    fn long_text_is_shortened_to_its_room() {
        let faces = faces();
        let text = fitted(
            0,
            0,
            20,
            120,
            "Samsung Galaxy S24 Ultra Enterprise Edition · 1024 GB",
            true,
            faces,
        );
        assert!(text.text.ends_with("..."), "{}", text.text);
        assert!(faces.bold.ems(&text.text) * 20.0 <= 120.0);
    }
}
