//! Stock labels: gathers what a device's label says (identity, latest grade, battery, latest
//! signed report) and prints it as a PDF file, a ZPL file, or ZPL sent raw to a label printer
//! over TCP (port 9100 on Zebra printers). The layout and both formats are `crates/label`'s.
//!
//! The QR code carries the verification link of the device's latest report that is not void,
//! with the same id and digest the report's own QR code carries; without a report, the IMEI;
//! without an IMEI, the serial; without either, the device id.
//!
//! A device that has not been graded still gets a label, which says "Not graded": stock is
//! labelled when it is shelved, often before grading, and its IMEI and serial barcodes are what
//! people scan to find it again. The words make it plain that no sale grade is claimed.

use std::io::Write;
use std::net::{SocketAddr, TcpStream, ToSocketAddrs};
use std::path::PathBuf;
use std::time::Duration;

use refurbdesk_certificate::{Document, Lang, SignedDocument};
use refurbdesk_label::{LabelError, LabelFacts, LabelGrade, LabelSize};
use refurbdesk_store::{CertificateFilter, CertificateRecord};
use serde::{Deserialize, Serialize};
use ts_rs::TS;
use uuid::Uuid;

use crate::documents::{setting, write_file_atomically};
use crate::error::{Error, ErrorCode, Hint, RecordKind};
use crate::workstation::Workstation;

/// The port raw print jobs go to when the printer's address names none.
pub const RAW_PRINT_PORT: u16 = 9100;
/// How long a printer has to accept the connection, and then each write.
const CONNECT_TIMEOUT: Duration = Duration::from_secs(5);
const WRITE_TIMEOUT: Duration = Duration::from_secs(10);

/// Print a device's stock label.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, TS)]
#[ts(export)]
pub struct LabelParams {
    /// The device: an IMEI, a serial or a device id.
    pub device: String,
    pub output: LabelOutput,
    /// `WIDTHxHEIGHT` in millimetres (`50x25`, the default when unset).
    pub size: Option<String>,
    /// The label's language; the `certificate.language` setting when unset.
    #[ts(type = "\"en\" | \"fr\" | null")]
    pub lang: Option<Lang>,
}

/// Where a label goes.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, TS)]
#[serde(tag = "kind", rename_all = "snake_case")]
#[ts(export)]
pub enum LabelOutput {
    /// A PDF file the label's size, for any printer (replaced if it exists).
    Pdf {
        #[ts(type = "string")]
        file: PathBuf,
    },
    /// A ZPL file for a Zebra printer at 203 dpi (replaced if it exists).
    Zpl {
        #[ts(type = "string")]
        file: PathBuf,
    },
    /// ZPL sent raw over TCP to `HOST:PORT` (`HOST` alone means port 9100).
    Printer { address: String },
}

/// What the QR code of a label carries.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, TS)]
#[serde(rename_all = "snake_case")]
#[ts(export)]
pub enum QrSource {
    /// The verification link of the device's latest signed report.
    Report,
    Imei,
    Serial,
    DeviceId,
}

/// A label printed.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, TS)]
#[ts(export)]
pub struct LabelPrinted {
    pub device_id: Uuid,
    /// `pdf` or `zpl`.
    pub format: String,
    /// The file written, or the printer's `HOST:PORT`.
    pub destination: String,
    #[ts(type = "number")]
    pub bytes: u64,
    /// `WIDTHxHEIGHT` in millimetres.
    pub size: String,
    pub lang: String,
    /// The listing grade printed; `None` when the device is not graded.
    pub listing_grade: Option<String>,
    pub qr: String,
    pub qr_source: QrSource,
    /// The report whose link the QR code carries.
    pub report_id: Option<Uuid>,
}

/// Prints the label of `params.device` to a file or a printer.
///
/// The size and the printer's address are checked before anything is read; an unknown device
/// is `not_found`; a printer that cannot be reached is `bench_unreachable` (station hardware
/// that did not answer), naming its address.
pub fn print(ws: &Workstation, params: &LabelParams) -> Result<LabelPrinted, Error> {
    let size = match params.size.as_deref() {
        Some(text) => text.parse::<LabelSize>().map_err(label_error)?,
        None => LabelSize::DEFAULT,
    };
    let printer = match &params.output {
        LabelOutput::Printer { address } => Some(printer_address(address)?),
        _ => None,
    };
    let device = ws.store.find_device(&params.device)?.ok_or_else(|| {
        Error::not_found(format!(
            "there is no device matching {:?}; use an IMEI, a serial or a device id",
            params.device
        ))
        .with_hint(Hint::ListRecords {
            what: RecordKind::Devices,
        })
    })?;
    let lang = match params.lang {
        Some(lang) => lang,
        None => ws
            .store
            .setting(setting::LANGUAGE)?
            .and_then(|word| word.parse().ok())
            .unwrap_or_default(),
    };
    let intake = ws.store.latest_intake(device.id)?;
    let grade = ws.store.latest_grade(device.id)?;
    let report = latest_report(ws, device.id)?;
    let imei = device.imei.clone().filter(|imei| !imei.trim().is_empty());
    let serial = device
        .serial
        .clone()
        .filter(|serial| !serial.trim().is_empty());
    let (qr, qr_source, report_id) = match (&report, &imei, &serial) {
        (Some((id, link)), _, _) => (link.clone(), QrSource::Report, Some(*id)),
        (None, Some(imei), _) => (imei.clone(), QrSource::Imei, None),
        (None, None, Some(serial)) => (serial.clone(), QrSource::Serial, None),
        (None, None, None) => (device.id.to_string(), QrSource::DeviceId, None),
    };
    let facts = LabelFacts {
        make: device.make.clone(),
        model: device.model.clone(),
        storage_gb: intake
            .as_ref()
            .and_then(|intake| intake.identity.storage_gb),
        grade: grade.as_ref().map(|grade| LabelGrade {
            listing: grade.listing_grade.to_string(),
            outcome: grade.outcome.to_string(),
            partial: grade.partial,
        }),
        soh_pct: intake.as_ref().and_then(|intake| intake.battery.soh_pct),
        imei,
        serial,
        qr: qr.clone(),
    };
    let (format, bytes, destination) = match &params.output {
        LabelOutput::Pdf { file } => {
            let pdf = refurbdesk_label::render_pdf(&facts, size, lang).map_err(label_error)?;
            write_file_atomically(file, &pdf)?;
            ("pdf", pdf.len(), file.display().to_string())
        }
        LabelOutput::Zpl { file } => {
            let zpl = refurbdesk_label::render_zpl(&facts, size, lang).map_err(label_error)?;
            write_file_atomically(file, zpl.as_bytes())?;
            ("zpl", zpl.len(), file.display().to_string())
        }
        LabelOutput::Printer { address } => {
            let zpl = refurbdesk_label::render_zpl(&facts, size, lang).map_err(label_error)?;
            let addresses = printer.unwrap_or_default();
            send_raw(address, &addresses, zpl.as_bytes())?;
            ("zpl", zpl.len(), address.clone())
        }
    };
    tracing::info!(device = %device.id, format, %destination, "label printed");
    Ok(LabelPrinted {
        device_id: device.id,
        format: format.to_owned(),
        destination,
        bytes: bytes as u64,
        size: size.to_string(),
        lang: lang.as_str().to_owned(),
        listing_grade: grade.map(|grade| grade.listing_grade.to_string()),
        qr,
        qr_source,
        report_id,
    })
}

fn label_error(error: LabelError) -> Error {
    let code = match error {
        LabelError::BadSize { .. } | LabelError::TooSmall { .. } => ErrorCode::Usage,
        LabelError::Barcode(_) => ErrorCode::Data,
    };
    Error::from_error(code, &error)
}

/// The device's latest report that is not void, and the text its QR code carries.
fn latest_report(ws: &Workstation, device_id: Uuid) -> Result<Option<(Uuid, String)>, Error> {
    let reports = ws.store.list_certificates(&CertificateFilter {
        device_id: Some(device_id),
        kind: Some("device_report".to_owned()),
        ..CertificateFilter::default()
    })?;
    let Some(record) = reports.iter().rev().find(|record| record.void.is_none()) else {
        return Ok(None);
    };
    let template = ws.store.setting(setting::VERIFY_URL)?;
    Ok(Some((record.id, report_link(record, template.as_deref())?)))
}

/// The same text the report's own QR code carries: its id and signature digest, in the
/// `certificate.verify_url` template when one is set.
fn report_link(record: &CertificateRecord, template: Option<&str>) -> Result<String, Error> {
    let unreadable = |reason: String| {
        Error::data(format!(
            "the stored report {} cannot be read: {reason}",
            record.id
        ))
        .with_hint(Hint::CheckDatabase)
    };
    let signed: SignedDocument =
        serde_json::from_str(&record.signed_json).map_err(|error| unreadable(error.to_string()))?;
    let document: Document = serde_json::from_value(signed.document.clone())
        .map_err(|error| unreadable(error.to_string()))?;
    Ok(refurbdesk_certificate::qr_payload(
        template, &document, &signed,
    ))
}

/// The setting that remembers the window's label printer (`HOST:PORT`), so the device screen's
/// Print label offers it.
pub const PRINTER_SETTING: &str = "label.printer";

/// Whether `value` is a printer address as [`LabelOutput::Printer`] takes it (its shape only: the
/// printer may be off while it is set).
pub(crate) fn check_printer_setting(value: &str) -> Result<(), String> {
    with_raw_port(value)
        .map(|_| ())
        .map_err(|error| format!("{PRINTER_SETTING}: {}", error.message))
}

/// The printer's addresses: `HOST:PORT`, `HOST` alone for port 9100, `[v6]:PORT`.
fn printer_address(address: &str) -> Result<Vec<SocketAddr>, Error> {
    let address = address.trim();
    let with_port = with_raw_port(address)?;
    let addresses: Vec<SocketAddr> = with_port
        .to_socket_addrs()
        .map_err(|error| unreachable(address, &error))?
        .collect();
    if addresses.is_empty() {
        return Err(unreachable(
            address,
            &std::io::Error::other("the name has no address"),
        ));
    }
    Ok(addresses)
}

/// `address` with its port: port 9100 when it names none.
fn with_raw_port(address: &str) -> Result<String, Error> {
    let address = address.trim();
    let bad = || {
        Error::usage(format!(
            "{address:?} is not a printer address; write HOST:PORT (port {RAW_PRINT_PORT} for \
             most label printers)"
        ))
    };
    let with_port = match address.rsplit_once(':') {
        _ if address.is_empty() => return Err(bad()),
        // A bare IPv6 address or a host without a port.
        Some((host, _)) if host.contains(':') && !host.ends_with(']') => {
            format!("[{address}]:{RAW_PRINT_PORT}")
        }
        Some((host, port)) => {
            if host.is_empty() || !matches!(port.parse::<u16>(), Ok(port) if port != 0) {
                return Err(bad());
            }
            address.to_owned()
        }
        None => format!("{address}:{RAW_PRINT_PORT}"),
    };
    Ok(with_port)
}

fn unreachable(address: &str, error: &std::io::Error) -> Error {
    Error::new(
        ErrorCode::BenchUnreachable,
        format!("the label printer at {address} cannot be reached: {error}"),
    )
    .with_hint(Hint::say(
        "check that the printer is on, on the network and at this address",
    ))
}

/// Sends a print job raw (the "JetDirect" way): connect, write, close. Raw printing has no
/// reply to wait for; a printer that accepted every byte has the job.
fn send_raw(address: &str, addresses: &[SocketAddr], job: &[u8]) -> Result<(), Error> {
    let mut last = std::io::Error::other("no address to connect to");
    for socket in addresses {
        match TcpStream::connect_timeout(socket, CONNECT_TIMEOUT) {
            Ok(mut stream) => {
                return stream
                    .set_write_timeout(Some(WRITE_TIMEOUT))
                    .and_then(|()| stream.write_all(job))
                    .and_then(|()| stream.flush())
                    .and_then(|()| stream.shutdown(std::net::Shutdown::Write))
                    .map_err(|error| unreachable(address, &error));
            }
            Err(error) => last = error,
        }
    }
    Err(unreachable(address, &last))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn printer_addresses_default_to_the_raw_port() {
        assert_eq!(
            printer_address("127.0.0.1").unwrap(),
            ["127.0.0.1:9100".parse::<SocketAddr>().unwrap()]
        );
        assert_eq!(
            printer_address("127.0.0.1:6101").unwrap(),
            ["127.0.0.1:6101".parse::<SocketAddr>().unwrap()]
        );
        assert_eq!(
            printer_address("::1").unwrap(),
            ["[::1]:9100".parse::<SocketAddr>().unwrap()]
        );
        assert_eq!(
            printer_address("[::1]:9101").unwrap(),
            ["[::1]:9101".parse::<SocketAddr>().unwrap()]
        );
        for bad in ["", "host:", ":9100", "host:port", "host:0", "host:70000"] {
            let error = printer_address(bad).unwrap_err();
            assert_eq!(error.code, ErrorCode::Usage, "{bad}: {error}");
        }
    }
}
