//! Writes sample labels: `cargo run -p refurbdesk-label --example label -- OUT_DIR`.
use refurbdesk_i18n::Lang;
use refurbdesk_label::{render_pdf, render_zpl, LabelFacts, LabelGrade, LabelSize};

fn main() {
    let out = std::path::PathBuf::from(std::env::args().nth(1).unwrap_or_else(|| ".".into()));
    let facts = LabelFacts {
        make: "Apple".into(),
        model: "iPhone 12".into(),
        storage_gb: Some(128),
        grade: Some(LabelGrade {
            listing: "VERY_GOOD".into(),
            outcome: "sellable".into(),
            partial: false,
        }),
        soh_pct: Some(86.0),
        imei: Some("356728114587211".into()),
        serial: Some("F17XK2ABCDEF".into()),
        qr: "refurbdesk:verify?id=0193a4b2-7c1d-7e2f-8a3b-4c5d6e7f8091&sig=9f86d081884c7d65".into(),
    };
    for lang in Lang::ALL {
        let pdf = render_pdf(&facts, LabelSize::DEFAULT, lang).expect("a label");
        std::fs::write(out.join(format!("label-{}.pdf", lang.as_str())), pdf).expect("written");
    }
    let large = render_pdf(&facts, "100x50".parse().expect("a size"), Lang::En).expect("a label");
    std::fs::write(out.join("label-100x50.pdf"), large).expect("written");
    let zpl = render_zpl(&facts, LabelSize::DEFAULT, Lang::En).expect("a label");
    std::fs::write(out.join("label.zpl"), zpl).expect("written");
}
