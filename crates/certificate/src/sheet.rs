//! A document as printable data, in the chosen language: what the PDF prints (`layout.rs`
//! paints it) and what the site's verification page shows. Plain data, no PDF library, so the
//! verifier builds without one (the WebAssembly verifier).

/// One document laid out as data: what to print, in the chosen language.
#[derive(Debug, Clone, Default)]
pub struct Sheet {
    /// The issuer's name, then address lines.
    pub issuer: Vec<String>,
    pub title: String,
    /// Lines under the title (document id, date).
    pub subtitle: Vec<String>,
    pub blocks: Vec<Block>,
    /// Text the QR code encodes, with its caption.
    pub qr: Option<(String, String)>,
    /// Left side of the footer on every page (kind and id, key fingerprint).
    pub footer: Vec<String>,
    /// "Page {n} of {m}" with the two numbers to fill in.
    pub page_label: String,
    /// The issuer's logo, printed above its name.
    pub logo: Option<Logo>,
}

/// A decoded logo: 8-bit RGB pixels, row by row.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Logo {
    pub width: usize,
    pub height: usize,
    pub rgb: Vec<u8>,
}

impl Logo {
    /// Decodes a PNG; transparency is flattened onto white paper.
    pub fn from_png(bytes: &[u8]) -> Result<Logo, String> {
        let logo = Logo::decode_png(bytes, 4_000_000)?;
        if logo.width * logo.height > 4_000_000 {
            return Err(format!(
                "{}×{} pixels is not a usable logo",
                logo.width, logo.height
            ));
        }
        Ok(logo)
    }

    /// Decodes a PNG of at most `max_pixels` (a logo, a scanned page); transparency is
    /// flattened onto white paper.
    pub(crate) fn decode_png(bytes: &[u8], max_pixels: usize) -> Result<Logo, String> {
        let mut decoder = png::Decoder::new(std::io::Cursor::new(bytes));
        decoder.set_transformations(png::Transformations::EXPAND | png::Transformations::STRIP_16);
        let mut reader = decoder.read_info().map_err(|error| error.to_string())?;
        let size = reader
            .output_buffer_size()
            .ok_or("the image is too large")?;
        let mut buffer = vec![0; size];
        let frame = reader
            .next_frame(&mut buffer)
            .map_err(|error| error.to_string())?;
        let (width, height) = (frame.width as usize, frame.height as usize);
        if width == 0 || height == 0 || width * height > max_pixels {
            return Err(format!("{width}×{height} pixels is not a usable image"));
        }
        let pixels = &buffer[..frame.buffer_size()];
        let over_white = |value: u8, alpha: u8| -> u8 {
            ((u16::from(value) * u16::from(alpha) + 255 * (255 - u16::from(alpha))) / 255) as u8
        };
        let rgb = match frame.color_type {
            png::ColorType::Rgb => pixels.to_vec(),
            png::ColorType::Rgba => pixels
                .chunks_exact(4)
                .flat_map(|p| {
                    [
                        over_white(p[0], p[3]),
                        over_white(p[1], p[3]),
                        over_white(p[2], p[3]),
                    ]
                })
                .collect(),
            png::ColorType::Grayscale => pixels.iter().flat_map(|g| [*g, *g, *g]).collect(),
            png::ColorType::GrayscaleAlpha => pixels
                .chunks_exact(2)
                .flat_map(|p| {
                    let g = over_white(p[0], p[1]);
                    [g, g, g]
                })
                .collect(),
            png::ColorType::Indexed => return Err("indexed colours were not expanded".to_owned()),
        };
        Ok(Logo { width, height, rgb })
    }
}

#[derive(Debug, Clone)]
pub enum Block {
    Heading(String),
    Fields(Vec<(String, String)>),
    /// Labelled fields two to a row, for short values (a name and a title, two dates).
    Grid(Vec<(String, String)>),
    /// Who validated and when, down the left half, with a line to sign on the right if any.
    Validation {
        fields: Vec<(String, String)>,
        signature: Option<String>,
    },
    Table {
        columns: Vec<String>,
        /// Each column's share of the width; they add up to 1.
        widths: Vec<f32>,
        rows: Vec<Vec<String>>,
    },
    Paragraph(String),
    /// A framed box (the signature panel): a heading and labelled lines.
    Panel {
        heading: String,
        fields: Vec<(String, String)>,
    },
    /// What follows starts on a new page (a report's summary page ends here).
    PageBreak,
}
