//! Page layout, independent of what the document is: a header with the issuer, a title, blocks of
//! labelled fields and tables, a signature box and a footer with page numbers and the key's
//! fingerprint on every page. Documents become [`Sheet`]s in `render.rs`; this module turns a
//! sheet (`sheet.rs`) into printpdf pages, measuring text with the embedded font's own advances so that long
//! values wrap instead of running off the page.

use std::sync::OnceLock;

pub use crate::sheet::{Block, Sheet};

use printpdf::{
    Color, FontId, Line, LinePoint, Mm, Op, PaintMode, ParsedFont, PdfDocument, PdfFontHandle,
    PdfPage, Point, Pt, RawImage, RawImageData, RawImageFormat, Rect, Rgb, TextItem, TextMatrix,
    XObjectId, XObjectTransform,
};
use qrcode::canvas::{Canvas, MaskPattern};
use qrcode::{bits, ec, Color as QrColor, EcLevel};

const REGULAR_TTF: &[u8] = include_bytes!("../../../assets/fonts/DejaVuSans.ttf");
const BOLD_TTF: &[u8] = include_bytes!("../../../assets/fonts/DejaVuSans-Bold.ttf");

const PAGE_WIDTH: f32 = 595.276;
const PAGE_HEIGHT: f32 = 841.89;
const MARGIN: f32 = 42.0;
const CONTENT_WIDTH: f32 = PAGE_WIDTH - 2.0 * MARGIN;
const FOOTER_TOP: f32 = 62.0;
const LABEL_WIDTH: f32 = 150.0;
const BODY_SIZE: f32 = 8.2;
const LINE: f32 = 9.8;
const QR_SIZE: f32 = 78.0;
/// Fields two to a row: the gap between the columns and each column's label width.
const GRID_GAP: f32 = 14.0;
const GRID_LABEL_WIDTH: f32 = 114.0;
const SIGNATURE_WIDTH: f32 = 200.0;

const LOGO_HEIGHT: f32 = 34.0;

struct Face {
    font: ParsedFont,
    units_per_em: f32,
    /// Advance of every character below U+0250, the bulk of what documents print.
    latin: Vec<f32>,
}

impl Face {
    fn load(bytes: &[u8]) -> Face {
        Face::parse(bytes, 0).expect("the bundled fonts in assets/fonts parse")
    }

    fn parse(bytes: &[u8], index: usize) -> Option<Face> {
        let font = ParsedFont::from_bytes(bytes, index, &mut Vec::new())?;
        let units_per_em = f32::from(font.font_metrics.units_per_em.max(1));
        let mut face = Face {
            font,
            units_per_em,
            latin: Vec::new(),
        };
        face.latin = (0u32..0x250)
            .map(|cp| face.own_advance(char::from_u32(cp).unwrap_or(' ')))
            .collect();
        Some(face)
    }

    /// Whether the font draws `ch` itself.
    fn covers(&self, ch: char) -> bool {
        ch.is_whitespace()
            || self
                .font
                .lookup_glyph_index(ch as u32)
                .is_some_and(|glyph| glyph != 0)
    }

    fn own_advance(&self, ch: char) -> f32 {
        let glyph = self.font.lookup_glyph_index(ch as u32).unwrap_or(0);
        f32::from(self.font.get_horizontal_advance(glyph)) / self.units_per_em
    }

    /// The advance of `ch` as printed: from the fallback font when this one lacks it.
    fn advance_slow(&self, ch: char) -> f32 {
        if !self.covers(ch) {
            if let Some(fallback) = fallback_face() {
                if fallback.covers(ch) {
                    return fallback.own_advance(ch);
                }
            }
        }
        self.own_advance(ch)
    }

    /// Width of `text` at `size` points.
    fn width(&self, text: &str, size: f32) -> f32 {
        text.chars()
            .map(|ch| {
                self.latin
                    .get(ch as usize)
                    .copied()
                    .unwrap_or_else(|| self.advance_slow(ch))
            })
            .sum::<f32>()
            * size
    }
}

struct Faces {
    regular: Face,
    bold: Face,
}

/// Where Debian's `fonts-noto-cjk` puts Noto Sans CJK (face 0 of the collection is the Japanese
/// one; every face covers all CJK ideographs, kana and hangul).
const FALLBACK_FONTS: [&str; 2] = [
    "/usr/share/fonts/opentype/noto/NotoSansCJK-Regular.ttc",
    "/usr/share/fonts/noto-cjk/NotoSansCJK-Regular.ttc",
];

/// The font for characters DejaVu lacks (CJK names), found on the system at first use:
/// `REFURBDESK_FALLBACK_FONT` names another file (a `.ttf`, `.otf` or `.ttc`, face 0).
/// `None` when none is installed: such characters then print as boxes, and
/// [`missing_glyphs`] says which, so the caller can say how to install it.
fn fallback_face() -> Option<&'static Face> {
    static FALLBACK: OnceLock<Option<Face>> = OnceLock::new();
    FALLBACK
        .get_or_init(|| {
            let named = std::env::var_os("REFURBDESK_FALLBACK_FONT").map(std::path::PathBuf::from);
            named
                .into_iter()
                .chain(FALLBACK_FONTS.iter().map(std::path::PathBuf::from))
                .find_map(|path| Face::parse(&std::fs::read(path).ok()?, 0))
        })
        .as_ref()
}

/// The characters of `text` that neither the embedded font nor an installed fallback font
/// draws (they print as boxes).
pub fn missing_glyphs(text: &str) -> Vec<char> {
    let regular = &faces().regular;
    let mut missing: Vec<char> = text
        .chars()
        .filter(|&ch| {
            !ch.is_control()
                && !regular.covers(ch)
                && !fallback_face().is_some_and(|fallback| fallback.covers(ch))
        })
        .collect();
    missing.sort_unstable();
    missing.dedup();
    missing
}

/// Whether any text of the sheet needs the fallback font.
fn needs_fallback(sheet: &Sheet) -> bool {
    let regular = &faces().regular;
    let mut texts: Vec<&str> = Vec::new();
    texts.extend(sheet.issuer.iter().map(String::as_str));
    texts.push(&sheet.title);
    texts.extend(sheet.subtitle.iter().map(String::as_str));
    texts.extend(sheet.footer.iter().map(String::as_str));
    if let Some((_, caption)) = &sheet.qr {
        texts.push(caption);
    }
    for block in &sheet.blocks {
        match block {
            Block::Heading(text) | Block::Paragraph(text) => texts.push(text),
            Block::Fields(fields) | Block::Grid(fields) => {
                texts.extend(fields.iter().flat_map(|(l, v)| [l.as_str(), v.as_str()]))
            }
            Block::Validation { fields, signature } => {
                texts.extend(fields.iter().flat_map(|(l, v)| [l.as_str(), v.as_str()]));
                texts.extend(signature.as_deref());
            }
            Block::Panel { heading, fields } => {
                texts.push(heading);
                texts.extend(fields.iter().flat_map(|(l, v)| [l.as_str(), v.as_str()]));
            }
            Block::Table { columns, rows, .. } => {
                texts.extend(columns.iter().map(String::as_str));
                texts.extend(rows.iter().flatten().map(String::as_str));
            }
            Block::PageBreak => {}
        }
    }
    texts.iter().any(|text| {
        text.chars()
            .any(|ch| !ch.is_control() && !regular.covers(ch))
    })
}

fn faces() -> &'static Faces {
    static FACES: OnceLock<Faces> = OnceLock::new();
    FACES.get_or_init(|| Faces {
        regular: Face::load(REGULAR_TTF),
        bold: Face::load(BOLD_TTF),
    })
}

#[derive(Clone, Copy)]
enum Weight {
    Regular,
    Bold,
}

const INK: Rgb = rgb(0.12, 0.13, 0.16);
const MUTED: Rgb = rgb(0.38, 0.40, 0.45);
const ACCENT: Rgb = rgb(0.08, 0.29, 0.47);
const RULE: Rgb = rgb(0.80, 0.82, 0.86);
const SHADE: Rgb = rgb(0.94, 0.95, 0.97);

const fn rgb(r: f32, g: f32, b: f32) -> Rgb {
    Rgb {
        r,
        g,
        b,
        icc_profile: None,
    }
}

/// The text state of an open text section (`BT` … `ET`): consecutive texts share one section
/// and only say what changed, which keeps content streams short and quick to encode.
#[derive(Clone, Copy, PartialEq)]
struct TextState {
    /// The font (0 regular, 1 bold, 2 fallback) and size.
    weight: Option<(u8, f32)>,
    color: Option<[f32; 3]>,
}

struct Writer {
    regular: FontId,
    bold: FontId,
    /// The font for characters the others lack, when the sheet has any and one is installed.
    fallback: Option<FontId>,
    pages: Vec<Vec<Op>>,
    /// Per page, the open text section's state, if one is open.
    text_state: Vec<Option<TextState>>,
    /// The page being drawn on.
    current: usize,
    y: f32,
}

impl Writer {
    /// The current page's operations, for drawing paths: an open text section is closed first.
    fn ops(&mut self) -> &mut Vec<Op> {
        if self.text_state[self.current].take().is_some() {
            self.pages[self.current].push(Op::EndTextSection);
        }
        &mut self.pages[self.current]
    }

    fn close_text_sections(&mut self) {
        for page in 0..self.pages.len() {
            if self.text_state[page].take().is_some() {
                self.pages[page].push(Op::EndTextSection);
            }
        }
    }

    fn new_page(&mut self) {
        self.pages.push(Vec::new());
        self.text_state.push(None);
        self.current = self.pages.len() - 1;
        self.y = PAGE_HEIGHT - MARGIN;
    }

    /// Starts a new page unless `height` still fits above the footer.
    fn ensure(&mut self, height: f32) {
        if self.y - height < FOOTER_TOP + 8.0 {
            self.new_page();
        }
    }

    fn text(&mut self, x: f32, y: f32, text: &str, weight: Weight, size: f32, color: Rgb) {
        if text.is_empty() {
            return;
        }
        let bold = matches!(weight, Weight::Bold);
        let faces = faces();
        let face = if bold { &faces.bold } else { &faces.regular };
        // Runs of characters the weight's font draws, and runs the fallback font draws.
        let mut runs: Vec<(bool, String)> = Vec::new();
        for ch in text.chars() {
            let fallback = self.fallback.is_some() && !face.covers(ch);
            match runs.last_mut() {
                Some((last, run)) if *last == fallback => run.push(ch),
                _ => runs.push((fallback, ch.to_string())),
            }
        }
        let mut x = x;
        for (fallback, run) in runs {
            let font = match (fallback, bold) {
                (true, _) => 2,
                (false, true) => 1,
                (false, false) => 0,
            };
            self.text_run(x, y, &run, font, size, color.clone());
            x += face.width(&run, size);
        }
    }

    fn text_run(&mut self, x: f32, y: f32, text: &str, font: u8, size: f32, color: Rgb) {
        let page = self.current;
        let ops = &mut self.pages[page];
        let state = self.text_state[page].get_or_insert_with(|| {
            ops.push(Op::StartTextSection);
            TextState {
                weight: None,
                color: None,
            }
        });
        if state.weight != Some((font, size)) {
            let id = match font {
                2 => self.fallback.as_ref().unwrap_or(&self.regular),
                1 => &self.bold,
                _ => &self.regular,
            };
            ops.push(Op::SetFont {
                font: PdfFontHandle::External(id.clone()),
                size: Pt(size),
            });
            state.weight = Some((font, size));
        }
        let rgb = [color.r, color.g, color.b];
        if state.color != Some(rgb) {
            ops.push(Op::SetFillColor {
                col: Color::Rgb(color),
            });
            state.color = Some(rgb);
        }
        // Tm places the text absolutely; Td would move relative to the section's previous line.
        ops.push(Op::SetTextMatrix {
            matrix: TextMatrix::Translate(Pt(x), Pt(y)),
        });
        ops.push(Op::ShowText {
            items: vec![TextItem::Text(text.to_owned())],
        });
    }

    fn rule(&mut self, x1: f32, y: f32, x2: f32, color: Rgb, thickness: f32) {
        self.ops().extend([
            Op::SetOutlineColor {
                col: Color::Rgb(color),
            },
            Op::SetOutlineThickness { pt: Pt(thickness) },
            Op::DrawLine {
                line: Line {
                    points: vec![
                        LinePoint {
                            p: Point {
                                x: Pt(x1),
                                y: Pt(y),
                            },
                            bezier: false,
                        },
                        LinePoint {
                            p: Point {
                                x: Pt(x2),
                                y: Pt(y),
                            },
                            bezier: false,
                        },
                    ],
                    is_closed: false,
                },
            },
        ]);
    }

    fn fill(&mut self, x: f32, y: f32, width: f32, height: f32, color: Rgb) {
        self.ops().extend([
            Op::SetFillColor {
                col: Color::Rgb(color),
            },
            Op::DrawRectangle {
                rectangle: Rect {
                    mode: Some(PaintMode::Fill),
                    ..Rect::from_xywh(Pt(x), Pt(y), Pt(width), Pt(height))
                },
            },
        ]);
    }

    fn frame(&mut self, x: f32, y: f32, width: f32, height: f32, color: Rgb) {
        self.ops().extend([
            Op::SetOutlineColor {
                col: Color::Rgb(color),
            },
            Op::SetOutlineThickness { pt: Pt(0.8) },
            Op::DrawRectangle {
                rectangle: Rect {
                    mode: Some(PaintMode::Stroke),
                    ..Rect::from_xywh(Pt(x), Pt(y), Pt(width), Pt(height))
                },
            },
        ]);
    }
}

/// Splits `text` into lines no wider than `width` points, breaking at spaces and, for words
/// longer than a line (hashes, paths), anywhere.
fn wrap(text: &str, face: &Face, size: f32, width: f32) -> Vec<String> {
    let mut lines = Vec::new();
    for paragraph in text.split('\n') {
        let mut line = String::new();
        for word in paragraph.split(' ') {
            let candidate = if line.is_empty() {
                word.to_owned()
            } else {
                format!("{line} {word}")
            };
            if face.width(&candidate, size) <= width {
                line = candidate;
                continue;
            }
            if !line.is_empty() {
                lines.push(std::mem::take(&mut line));
            }
            let mut piece = String::new();
            for ch in word.chars() {
                piece.push(ch);
                if face.width(&piece, size) > width && piece.chars().count() > 1 {
                    piece.pop();
                    lines.push(std::mem::take(&mut piece));
                    piece.push(ch);
                }
            }
            line = piece;
        }
        lines.push(line);
    }
    lines
}

/// Lays the sheet out on A4 pages and returns the printpdf document, ready to serialise.
pub fn layout(sheet: &Sheet, title: &str) -> PdfDocument {
    let faces = faces();
    let mut doc = PdfDocument::new(title);
    let regular = doc.add_font(&faces.regular.font);
    let bold = doc.add_font(&faces.bold.font);
    // Only a sheet that needs it carries the fallback font (subset like the others), so that
    // Latin-only documents keep their size.
    let fallback = if needs_fallback(sheet) {
        fallback_face().map(|face| doc.add_font(&face.font))
    } else {
        None
    };
    let logo = sheet.logo.as_ref().map(|logo| {
        let id = doc.add_image(&RawImage {
            pixels: RawImageData::U8(logo.rgb.clone()),
            width: logo.width,
            height: logo.height,
            data_format: RawImageFormat::RGB8,
            tag: Vec::new(),
        });
        (id, logo.height)
    });
    let mut w = Writer {
        regular,
        bold,
        fallback,
        pages: Vec::new(),
        text_state: Vec::new(),
        current: 0,
        y: 0.0,
    };
    w.new_page();
    let qr = sheet
        .qr
        .as_ref()
        .and_then(|(payload, _)| qr_image(payload))
        .map(|image| {
            let side = image.height;
            (doc.add_image(&image), side)
        });
    header(&mut w, sheet, faces, logo, qr);
    for (index, block) in sheet.blocks.iter().enumerate() {
        let keep_with_next = matches!(block, Block::Heading(_));
        draw_block(
            &mut w,
            block,
            faces,
            keep_with_next && index + 1 < sheet.blocks.len(),
        );
    }
    let count = w.pages.len();
    for number in 1..=count {
        footer(&mut w, sheet, faces, number, count);
    }
    w.close_text_sections();
    let pages = w
        .pages
        .into_iter()
        .map(|ops| PdfPage::new(Mm::from(Pt(PAGE_WIDTH)), Mm::from(Pt(PAGE_HEIGHT)), ops))
        .collect();
    doc.with_pages(pages);
    doc
}

fn header(
    w: &mut Writer,
    sheet: &Sheet,
    faces: &Faces,
    logo: Option<(XObjectId, usize)>,
    qr: Option<(XObjectId, usize)>,
) {
    let text_width = CONTENT_WIDTH
        - if sheet.qr.is_some() {
            QR_SIZE + 16.0
        } else {
            0.0
        };
    let top = w.y;
    if let Some((id, height_px)) = logo {
        place_image(w, id, height_px, MARGIN, top - LOGO_HEIGHT, LOGO_HEIGHT);
        w.y -= LOGO_HEIGHT + 6.0;
    }
    if let Some((name, rest)) = sheet.issuer.split_first() {
        w.text(MARGIN, w.y - 12.0, name, Weight::Bold, 12.0, ACCENT);
        w.y -= 26.0;
        for line in rest {
            for piece in wrap(line, &faces.regular, 8.0, text_width) {
                w.text(MARGIN, w.y, &piece, Weight::Regular, 8.0, MUTED);
                w.y -= 10.5;
            }
        }
    }
    w.y -= 14.0;
    for piece in wrap(&sheet.title, &faces.bold, 17.0, text_width) {
        w.text(MARGIN, w.y, &piece, Weight::Bold, 17.0, INK);
        w.y -= 21.0;
    }
    for line in &sheet.subtitle {
        w.text(MARGIN, w.y, line, Weight::Regular, 9.0, MUTED);
        w.y -= 12.0;
    }
    if let Some((_, caption)) = &sheet.qr {
        let (qr, qr_px) = match qr {
            Some((id, px)) => (Some(id), px),
            None => (None, 0),
        };
        let x = PAGE_WIDTH - MARGIN - QR_SIZE;
        let qr_top = top;
        if let Some(id) = qr {
            place_image(w, id, qr_px, x, qr_top - QR_SIZE, QR_SIZE);
        }
        let caption_width = faces.regular.width(caption, 6.5);
        w.text(
            x + (QR_SIZE - caption_width).max(0.0) / 2.0,
            qr_top - QR_SIZE - 9.0,
            caption,
            Weight::Regular,
            6.5,
            MUTED,
        );
        w.y = w.y.min(qr_top - QR_SIZE - 16.0);
    }
    w.y -= 4.0;
    w.rule(MARGIN, w.y, PAGE_WIDTH - MARGIN, ACCENT, 1.2);
    w.y -= 10.0;
}

/// The QR code as a grey image, one pixel per module with four modules of quiet zone on each
/// side: one small image instead of hundreds of rectangles, and unsmoothed when scaled up (no
/// `/Interpolate`), so the modules stay sharp.
fn qr_image(payload: &str) -> Option<RawImage> {
    let (modules, colors) = qr_modules(payload)?;
    let side = modules + 8;
    let mut pixels = vec![255u8; side * side];
    for row in 0..modules {
        for col in 0..modules {
            if colors[row * modules + col] == QrColor::Dark {
                pixels[(row + 4) * side + col + 4] = 0;
            }
        }
    }
    Some(RawImage {
        pixels: RawImageData::U8(pixels),
        width: side,
        height: side,
        data_format: RawImageFormat::R8,
        tag: Vec::new(),
    })
}

fn place_image(w: &mut Writer, id: XObjectId, height_px: usize, x: f32, y: f32, height: f32) {
    // The printed size follows from the resolution: pick the one that makes it `height` tall.
    let dpi = height_px as f32 * 72.0 / height;
    w.ops().push(Op::UseXobject {
        id,
        transform: XObjectTransform {
            translate_x: Some(Pt(x)),
            translate_y: Some(Pt(y)),
            dpi: Some(dpi),
            ..XObjectTransform::default()
        },
    });
}

/// The QR code's modules, row by row. The mask is fixed rather than chosen by scoring all eight,
/// which any mask allows (the standard's scoring only eases scanning of dense codes) and which
/// was a tenth of the time it takes to print a certificate.
fn qr_modules(payload: &str) -> Option<(usize, Vec<QrColor>)> {
    let bits = bits::encode_auto(payload.as_bytes(), EcLevel::M).ok()?;
    let version = bits.version();
    let (data, ec_data) = ec::construct_codewords(&bits.into_bytes(), version, EcLevel::M).ok()?;
    let mut canvas = Canvas::new(version, EcLevel::M);
    canvas.draw_all_functional_patterns();
    canvas.draw_data(&data, &ec_data);
    canvas.apply_mask(MaskPattern::Checkerboard);
    Some((version.width() as usize, canvas.into_colors()))
}

fn draw_block(w: &mut Writer, block: &Block, faces: &Faces, keep_with_next: bool) {
    match block {
        Block::Heading(text) => {
            w.ensure(if keep_with_next { 44.0 } else { 22.0 });
            w.y -= 6.0;
            w.fill(MARGIN, w.y - 4.0, CONTENT_WIDTH, 16.0, SHADE);
            w.fill(MARGIN, w.y - 4.0, 2.5, 16.0, ACCENT);
            w.text(MARGIN + 8.0, w.y + 0.5, text, Weight::Bold, 9.5, ACCENT);
            w.y -= 16.0;
        }
        Block::Fields(fields) => {
            for (label, value) in fields {
                draw_field(w, faces, label, value, MARGIN, CONTENT_WIDTH);
            }
        }
        Block::Grid(fields) => draw_grid(w, faces, fields, MARGIN, CONTENT_WIDTH),
        Block::Validation { fields, signature } => {
            // The fields down the left half; the line to sign on the right, level with the
            // last field, its label under it.
            let half = (CONTENT_WIDTH - GRID_GAP) / 2.0;
            let rows: usize = fields
                .iter()
                .map(|(label, value)| field_rows(faces, label, value, half, GRID_LABEL_WIDTH))
                .sum();
            let height =
                (rows as f32 * (LINE + 2.0)).max(if signature.is_some() { 40.0 } else { 0.0 });
            w.ensure(height + 12.0);
            let top = w.y;
            for (label, value) in fields {
                let rows = field_rows(faces, label, value, half, GRID_LABEL_WIDTH);
                draw_field_at(w, faces, label, value, MARGIN, half, GRID_LABEL_WIDTH, rows);
            }
            if let Some(label) = signature {
                let x = PAGE_WIDTH - MARGIN - SIGNATURE_WIDTH;
                let line_y = (top - height + LINE).min(w.y + LINE);
                w.rule(x, line_y, PAGE_WIDTH - MARGIN, INK, 0.6);
                w.text(
                    x,
                    line_y - 9.0,
                    label,
                    Weight::Regular,
                    BODY_SIZE - 1.0,
                    MUTED,
                );
                w.y = w.y.min(line_y - 12.0);
            }
            w.y -= 4.0;
        }
        Block::Table {
            columns,
            widths,
            rows,
        } => draw_table(w, faces, columns, widths, rows),
        Block::Paragraph(text) => {
            for piece in wrap(text, &faces.regular, BODY_SIZE, CONTENT_WIDTH) {
                w.ensure(LINE);
                w.text(MARGIN, w.y, &piece, Weight::Regular, BODY_SIZE, INK);
                w.y -= LINE;
            }
            w.y -= 4.0;
        }
        Block::Panel { heading, fields } => {
            let inner = CONTENT_WIDTH - 16.0;
            let height: f32 = 22.0 + grid_height(faces, fields, inner);
            w.ensure(height + 8.0);
            w.y -= 6.0;
            let top = w.y;
            w.text(MARGIN + 8.0, w.y - 12.0, heading, Weight::Bold, 9.5, ACCENT);
            w.y -= 22.0;
            draw_grid(w, faces, fields, MARGIN + 8.0, inner);
            w.frame(MARGIN, w.y + 4.0, CONTENT_WIDTH, top - w.y - 4.0, ACCENT);
            w.y -= 4.0;
        }
        Block::PageBreak => w.new_page(),
    }
}

/// A label and its value.
type Field = (String, String);

/// Splits fields into those that fit on one line in half of `width` (two to a row) and the
/// others (a whole row each), so that a wrapped value is never read across two columns.
fn grid_split(faces: &Faces, fields: &[(String, String)], width: f32) -> (Vec<Field>, Vec<Field>) {
    let half = (width - GRID_GAP) / 2.0;
    fields
        .iter()
        .cloned()
        .partition(|(label, value)| field_rows(faces, label, value, half, GRID_LABEL_WIDTH) == 1)
}

fn grid_height(faces: &Faces, fields: &[(String, String)], width: f32) -> f32 {
    let (short, long) = grid_split(faces, fields, width);
    let rows = short.len().div_ceil(2)
        + long
            .iter()
            .map(|(label, value)| field_rows(faces, label, value, width, LABEL_WIDTH))
            .sum::<usize>();
    rows as f32 * LINE + (short.len().div_ceil(2) + long.len()) as f32 * 2.0
}

/// Labelled fields, the short ones two to a row, then the long ones a row each.
fn draw_grid(w: &mut Writer, faces: &Faces, fields: &[(String, String)], x: f32, width: f32) {
    let half = (width - GRID_GAP) / 2.0;
    let (short, long) = grid_split(faces, fields, width);
    for pair in short.chunks(2) {
        w.ensure(LINE + 2.0);
        let top = w.y;
        for (index, (label, value)) in pair.iter().enumerate() {
            w.y = top;
            let column = x + index as f32 * (half + GRID_GAP);
            draw_field_at(w, faces, label, value, column, half, GRID_LABEL_WIDTH, 1);
        }
    }
    for (label, value) in &long {
        draw_field(w, faces, label, value, x, width);
    }
}

/// How many lines a field takes in `width` with labels `label_width` wide.
fn field_rows(faces: &Faces, label: &str, value: &str, width: f32, label_width: f32) -> usize {
    let lines = wrap(value, &faces.regular, BODY_SIZE, width - label_width - 6.0);
    let labels = wrap(label, &faces.bold, BODY_SIZE - 0.5, label_width - 8.0);
    lines.len().max(labels.len())
}

fn draw_field(w: &mut Writer, faces: &Faces, label: &str, value: &str, x: f32, width: f32) {
    let rows = field_rows(faces, label, value, width, LABEL_WIDTH);
    w.ensure(rows as f32 * LINE + 2.0);
    draw_field_at(w, faces, label, value, x, width, LABEL_WIDTH, rows);
}

/// Draws a field at the current height, taking `rows` lines (at least its own).
#[allow(clippy::too_many_arguments)]
fn draw_field_at(
    w: &mut Writer,
    faces: &Faces,
    label: &str,
    value: &str,
    x: f32,
    width: f32,
    label_width: f32,
    rows: usize,
) {
    let lines = wrap(value, &faces.regular, BODY_SIZE, width - label_width - 6.0);
    let labels = wrap(label, &faces.bold, BODY_SIZE - 0.5, label_width - 8.0);
    let rows = rows.max(lines.len()).max(labels.len());
    let top = w.y;
    for (index, piece) in labels.iter().enumerate() {
        w.text(
            x,
            top - index as f32 * LINE,
            piece,
            Weight::Bold,
            BODY_SIZE - 0.5,
            MUTED,
        );
    }
    for (index, piece) in lines.iter().enumerate() {
        w.text(
            x + label_width,
            top - index as f32 * LINE,
            piece,
            Weight::Regular,
            BODY_SIZE,
            INK,
        );
    }
    w.y -= rows as f32 * LINE;
    w.rule(x, w.y + LINE - 3.2, x + width, RULE, 0.4);
    w.y -= 2.0;
}

fn draw_table(
    w: &mut Writer,
    faces: &Faces,
    columns: &[String],
    widths: &[f32],
    rows: &[Vec<String>],
) {
    let xs: Vec<f32> = widths
        .iter()
        .scan(MARGIN, |x, share| {
            let start = *x;
            *x += share * CONTENT_WIDTH;
            Some(start)
        })
        .collect();
    let col_width = |index: usize| widths[index] * CONTENT_WIDTH - 6.0;
    let draw_header = |w: &mut Writer| {
        w.fill(MARGIN, w.y - 4.0, CONTENT_WIDTH, 14.0, SHADE);
        for (index, column) in columns.iter().enumerate() {
            w.text(
                xs[index] + 3.0,
                w.y,
                column,
                Weight::Bold,
                BODY_SIZE - 0.5,
                MUTED,
            );
        }
        w.y -= 15.0;
    };
    w.ensure(15.0 + LINE * 2.0);
    draw_header(w);
    for row in rows {
        let cells: Vec<Vec<String>> = row
            .iter()
            .enumerate()
            .map(|(index, cell)| wrap(cell, &faces.regular, BODY_SIZE, col_width(index)))
            .collect();
        let height = cells.iter().map(Vec::len).max().unwrap_or(1) as f32 * LINE;
        if w.y - height < FOOTER_TOP + 8.0 {
            w.new_page();
            draw_header(w);
        }
        for (index, lines) in cells.iter().enumerate() {
            for (line_index, piece) in lines.iter().enumerate() {
                w.text(
                    xs[index] + 3.0,
                    w.y - line_index as f32 * LINE,
                    piece,
                    Weight::Regular,
                    BODY_SIZE,
                    INK,
                );
            }
        }
        w.y -= height;
        w.rule(MARGIN, w.y + LINE - 3.2, MARGIN + CONTENT_WIDTH, RULE, 0.4);
        w.y -= 2.0;
    }
    w.y -= 4.0;
}

fn footer(w: &mut Writer, sheet: &Sheet, faces: &Faces, number: usize, count: usize) {
    w.current = number - 1;
    w.rule(MARGIN, FOOTER_TOP - 6.0, PAGE_WIDTH - MARGIN, RULE, 0.6);
    let mut y = FOOTER_TOP - 18.0;
    for line in &sheet.footer {
        for piece in wrap(line, &faces.regular, 6.8, CONTENT_WIDTH - 70.0) {
            w.text(MARGIN, y, &piece, Weight::Regular, 6.8, MUTED);
            y -= 8.5;
        }
    }
    let label = sheet
        .page_label
        .replace("{n}", &number.to_string())
        .replace("{m}", &count.to_string());
    let width = faces.regular.width(&label, 7.5);
    w.text(
        PAGE_WIDTH - MARGIN - width,
        FOOTER_TOP - 18.0,
        &label,
        Weight::Regular,
        7.5,
        MUTED,
    );
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn wrapping_keeps_every_character_and_respects_the_width() {
        let faces = faces();
        let text = "Écrasement vérifié de 4 294 967 296 octets sur /dev/disk/by-id/ata-SAMSUNG_MZ7LN256HAJQ-000L7_S3TANX0K123456 avec relecture complète";
        let lines = wrap(text, &faces.regular, 8.5, 150.0);
        assert!(lines.len() > 2);
        for line in &lines {
            assert!(faces.regular.width(line, 8.5) <= 150.0 + 0.01, "{line:?}");
        }
        let joined: String = lines.concat().chars().filter(|c| *c != ' ').collect();
        let original: String = text.chars().filter(|c| *c != ' ').collect();
        assert_eq!(joined, original);
    }

    #[test]
    fn the_qr_image_has_its_quiet_zone_and_finder_patterns() {
        let image = qr_image(
            "refurbdesk:verify?id=01900000-0000-7000-8000-000000000001&sig=0123456789abcdef",
        )
        .expect("encodes");
        let RawImageData::U8(pixels) = &image.pixels else {
            panic!("8-bit grey");
        };
        let side = image.width;
        assert_eq!(image.height, side);
        assert!((21 + 8..=177 + 8).contains(&side));
        let dark = |x: usize, y: usize| pixels[y * side + x] == 0;
        // Quiet zone: the first four rows and columns are white.
        assert!((0..side).all(|i| (0..4).all(|q| !dark(i, q) && !dark(q, i))));
        // A finder pattern in three corners: a dark 7×7 ring, white ring, dark 3×3 centre.
        for (x0, y0) in [(4, 4), (side - 11, 4), (4, side - 11)] {
            for i in 0..7 {
                assert!(
                    dark(x0 + i, y0)
                        && dark(x0 + i, y0 + 6)
                        && dark(x0, y0 + i)
                        && dark(x0 + 6, y0 + i)
                );
            }
            assert!(!dark(x0 + 1, y0 + 1) && dark(x0 + 3, y0 + 3));
        }
    }

    #[test]
    fn widths_come_from_the_font() {
        let faces = faces();
        assert!(faces.regular.width("WWWW", 10.0) > faces.regular.width("iiii", 10.0) * 2.0);
        assert!(faces.bold.width("Refurbdesk", 10.0) > faces.regular.width("Refurbdesk", 10.0));
        assert_eq!(faces.regular.width("", 10.0), 0.0);
    }
}
