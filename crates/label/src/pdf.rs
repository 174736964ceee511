//! The PDF label: one page the label's size, bars and QR modules as filled rectangles (vector,
//! so they stay sharp at any printer's resolution), text in the embedded DejaVu fonts.

use printpdf::{
    Color, Mm, Op, PaintMode, PdfDocument, PdfFontHandle, PdfPage, PdfSaveOptions, Pt, Rect, Rgb,
    TextItem, TextMatrix,
};

use crate::layout::{faces, Layout, DPI};
use crate::LabelSize;

const BLACK: Rgb = Rgb {
    r: 0.0,
    g: 0.0,
    b: 0.0,
    icc_profile: None,
};

/// Where the baseline sits below the top of a text cell, in cell heights (DejaVu's ascent).
const BASELINE: f32 = 0.78;

pub fn write(layout: &Layout, size: LabelSize, title: &str) -> Vec<u8> {
    let faces = faces();
    let mut doc = PdfDocument::new(title);
    let regular = doc.add_font(&faces.regular.font);
    let bold = doc.add_font(&faces.bold.font);
    let page_height = Pt::from(Mm(size.height_mm)).0;
    let pt = |dots: f32| dots * 72.0 / DPI;
    // A rectangle given in dots from the top left corner.
    let rect = |x: f32, y: f32, width: f32, height: f32| Op::DrawRectangle {
        rectangle: Rect {
            mode: Some(PaintMode::Fill),
            ..Rect::from_xywh(
                Pt(pt(x)),
                Pt(page_height - pt(y + height)),
                Pt(pt(width)),
                Pt(pt(height)),
            )
        },
    };

    let mut ops = vec![Op::SetFillColor {
        col: Color::Rgb(BLACK),
    }];
    for code in &layout.barcodes {
        let module = code.module as f32;
        for (start, width) in code.code.bars() {
            ops.push(rect(
                code.x as f32 + start as f32 * module,
                code.y as f32,
                width as f32 * module,
                code.bar_height as f32,
            ));
        }
    }
    // The QR code: one rectangle per run of dark modules in a row, each reaching a hair into
    // the row below so that no light seam shows between rows when the page is rasterised.
    let qr = &layout.qr;
    let module = qr.module as f32;
    for row in 0..qr.side {
        let mut col = 0;
        while col < qr.side {
            if !qr.dark[row * qr.side + col] {
                col += 1;
                continue;
            }
            let start = col;
            while col < qr.side && qr.dark[row * qr.side + col] {
                col += 1;
            }
            let seam = if row + 1 < qr.side { 0.05 } else { 0.0 };
            ops.push(rect(
                qr.x as f32 + start as f32 * module,
                qr.y as f32 + row as f32 * module,
                (col - start) as f32 * module,
                module * (1.0 + seam),
            ));
        }
    }
    ops.push(Op::StartTextSection);
    for text in &layout.texts {
        let font = if text.bold { &bold } else { &regular };
        ops.push(Op::SetFont {
            font: PdfFontHandle::External(font.clone()),
            size: Pt(pt(text.height as f32)),
        });
        ops.push(Op::SetTextMatrix {
            matrix: TextMatrix::Translate(
                Pt(pt(text.x as f32)),
                Pt(page_height - pt(text.y as f32 + BASELINE * text.height as f32)),
            ),
        });
        ops.push(Op::ShowText {
            items: vec![TextItem::Text(text.text.clone())],
        });
    }
    ops.push(Op::EndTextSection);
    let page = PdfPage::new(Mm(size.width_mm), Mm(size.height_mm), ops);
    doc.with_pages(vec![page]);
    doc.save(&PdfSaveOptions::default(), &mut Vec::new())
}
