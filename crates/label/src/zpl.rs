//! The ZPL label: one `^XA … ^XZ` format for a Zebra printer at 203 dpi, from the same layout
//! as the PDF. Text is UTF-8 (`^CI28`) in the printer's scalable font 0; every field goes
//! through `^FH` so a `^` or `~` in a value cannot end the field or start a command.

use std::fmt::Write;

use crate::layout::Layout;

pub fn write(layout: &Layout) -> String {
    let mut zpl = String::new();
    let mut line = |text: String| {
        zpl.push_str(&text);
        zpl.push('\n');
    };
    line("^XA".into());
    line("^CI28".into());
    line(format!("^PW{}", layout.width));
    line(format!("^LL{}", layout.height));
    line("^LH0,0".into());
    for text in &layout.texts {
        // ^FB keeps the text to its width and one line.
        line(format!(
            "^FO{},{}^A0N,{},{}^FB{},1,0,L,0^FH^FD{}^FS",
            text.x,
            text.y,
            text.height,
            text.height,
            text.width,
            escape(&text.text)
        ));
    }
    for code in &layout.barcodes {
        // Code 128 in automatic mode (the printer picks code sets B and C, as the PDF does),
        // no interpretation line: the value is printed above as text of our own.
        line(format!(
            "^FO{},{}^BY{}^BCN,{},N,N,N,A^FH^FD{}^FS",
            code.x,
            code.y,
            code.module,
            code.bar_height,
            escape(&code.data)
        ));
    }
    let qr = &layout.qr;
    // Model 2, `module` dots per module; "MA," is error correction M, automatic data mode.
    line(format!(
        "^FO{},{}^BQN,2,{}^FH^FDMA,{}^FS",
        qr.x,
        qr.y,
        qr.module,
        escape(&qr.payload)
    ));
    line("^PQ1".into());
    line("^XZ".into());
    zpl
}

/// A field's text for `^FH` (hexadecimal escapes after `_`): `_`, `^` and `~` become `_5F`,
/// `_5E` and `_7E`; everything else is sent as UTF-8.
fn escape(text: &str) -> String {
    let mut escaped = String::with_capacity(text.len());
    for ch in text.chars() {
        match ch {
            '_' | '^' | '~' => {
                let _ = write!(escaped, "_{:02X}", ch as u32);
            }
            ch => escaped.push(ch),
        }
    }
    escaped
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::{layout, tests::phone, LabelSize};
    use refurbdesk_i18n::Lang;

    #[test]
    fn one_format_with_both_barcodes_and_the_qr_code() {
        let zpl = write(&layout(&phone(), LabelSize::DEFAULT, Lang::En).unwrap());
        assert!(zpl.starts_with("^XA\n^CI28\n^PW400\n^LL200\n"), "{zpl}");
        assert!(zpl.trim_end().ends_with("^XZ"));
        assert_eq!(zpl.matches("^XA").count(), 1);
        assert!(zpl.contains("^BY2^BCN,"), "{zpl}");
        assert!(zpl.contains("^FD356728114587211^FS"), "{zpl}");
        assert!(zpl.contains("^FDF17XK2ABCDEF^FS"), "{zpl}");
        assert!(zpl.contains("^BQN,2,"), "{zpl}");
        assert!(zpl.contains("^FDMA,356728114587211^FS"), "{zpl}");
        assert!(zpl.contains("Apple iPhone 12 · 128 GB"), "{zpl}");
    }

    #[test]
    fn carets_and_tildes_cannot_escape_a_field() {
        assert_eq!(escape("A^XZ~JR_1"), "A_5EXZ_7EJR_5F1");
    }
}
