//! `refurbdesk label`: a device's stock label as a PDF file, a ZPL file, or ZPL sent to a
//! label printer.

use std::path::PathBuf;

use clap::{ArgGroup, Args};
use refurbdesk_app::label::{self, LabelOutput, LabelParams};
use refurbdesk_app::{DataPaths, Workstation};
use refurbdesk_domain::Lang;

use crate::exit::Failure;
use crate::GlobalArgs;

#[derive(Debug, Args)]
#[command(group(ArgGroup::new("output").required(true).args(["pdf", "zpl", "printer"])))]
pub struct LabelArgs {
    /// The device: an IMEI, a serial or a device id
    #[arg(long, value_name = "REF")]
    device: String,
    /// Write the label as a PDF the label's size, for any printer
    #[arg(long, value_name = "FILE")]
    pdf: Option<PathBuf>,
    /// Write the label as ZPL for a Zebra printer (203 dpi)
    #[arg(long, value_name = "FILE")]
    zpl: Option<PathBuf>,
    /// Send the ZPL label raw to this printer (port 9100 when none is given)
    #[arg(long, value_name = "HOST:PORT")]
    printer: Option<String>,
    /// The label's width and height in millimetres
    #[arg(long, value_name = "WxH", default_value = "50x25")]
    size: String,
    /// The label's language [default: the certificate.language setting, else en]
    #[arg(long, value_name = "en|fr", value_parser = parse_lang)]
    lang: Option<Lang>,
}

fn parse_lang(word: &str) -> Result<Lang, String> {
    word.parse()
}

pub fn run(args: &LabelArgs, global: &GlobalArgs, paths: &DataPaths) -> Result<(), Failure> {
    let output = match (&args.pdf, &args.zpl, &args.printer) {
        (Some(file), _, _) => LabelOutput::Pdf { file: file.clone() },
        (_, Some(file), _) => LabelOutput::Zpl { file: file.clone() },
        (_, _, Some(address)) => LabelOutput::Printer {
            address: address.clone(),
        },
        (None, None, None) => unreachable!("clap requires one of --pdf, --zpl, --printer"),
    };
    let params = LabelParams {
        device: args.device.clone(),
        output,
        size: Some(args.size.clone()),
        lang: args.lang,
    };
    let ws = Workstation::open_existing(paths.clone(), global.operator.clone())?;
    let printed = label::print(&ws, &params)?;
    if global.json {
        println!("{}", serde_json::to_string(&printed)?);
    } else if matches!(params.output, LabelOutput::Printer { .. }) {
        println!(
            "sent the {} label of {} to {}",
            printed.size, args.device, printed.destination
        );
    } else {
        println!(
            "wrote the {} label of {} to {}",
            printed.size, args.device, printed.destination
        );
    }
    Ok(())
}
