//! The system-identity string a `CNXN` message carries: `<kind>:<serial>:<properties>`, where the
//! properties are `name=value` pairs joined by `;` (a device names its product, model and
//! device, and the optional features it speaks in `features=a,b,c`).

/// Who sent a `CNXN`, and what it says about itself.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Banner {
    /// `device`, `host`, `bootloader`, `recovery`, `sideload`…
    pub kind: String,
    /// Usually empty: the serial travels in the properties (`ro.serialno`) or the transport.
    pub serial: String,
    /// The `name=value` pairs, in the order sent; `features` among them.
    pub properties: Vec<(String, String)>,
}

impl Banner {
    /// A device's banner with these properties.
    pub fn device(properties: &[(&str, &str)]) -> Self {
        Self {
            kind: "device".to_string(),
            serial: String::new(),
            properties: properties
                .iter()
                .map(|(k, v)| (k.to_string(), v.to_string()))
                .collect(),
        }
    }

    /// Reads a banner; a text without two colons is a bare kind.
    ///
    /// ```
    /// use refurbdesk_adb::Banner;
    ///
    /// let banner = Banner::parse("device::ro.product.model=Pixel 6;features=cmd,shell_v2");
    /// assert_eq!(banner.kind, "device");
    /// assert_eq!(banner.get("ro.product.model"), Some("Pixel 6"));
    /// assert_eq!(banner.features(), vec!["cmd", "shell_v2"]);
    /// assert_eq!(Banner::parse("host::features=shell_v2").kind, "host");
    /// ```
    pub fn parse(text: &str) -> Self {
        let text = text.trim_end_matches('\0');
        let mut parts = text.splitn(3, ':');
        let kind = parts.next().unwrap_or_default().to_string();
        let serial = parts.next().unwrap_or_default().to_string();
        let properties = parts
            .next()
            .unwrap_or_default()
            .split(';')
            .filter(|pair| !pair.is_empty())
            .map(|pair| match pair.split_once('=') {
                Some((name, value)) => (name.to_string(), value.to_string()),
                None => (pair.to_string(), String::new()),
            })
            .collect();
        Self {
            kind,
            serial,
            properties,
        }
    }

    /// The banner as sent, without the NUL a device adds after it.
    ///
    /// ```
    /// use refurbdesk_adb::Banner;
    ///
    /// let banner = Banner::device(&[("ro.product.model", "SM-G991B")]);
    /// assert_eq!(banner.format(), "device::ro.product.model=SM-G991B");
    /// assert_eq!(Banner::parse(&banner.format()), banner);
    /// ```
    pub fn format(&self) -> String {
        let properties: Vec<String> = self
            .properties
            .iter()
            .map(|(name, value)| format!("{name}={value}"))
            .collect();
        format!("{}:{}:{}", self.kind, self.serial, properties.join(";"))
    }

    pub fn get(&self, name: &str) -> Option<&str> {
        self.properties
            .iter()
            .find(|(n, _)| n == name)
            .map(|(_, v)| v.as_str())
    }

    /// The optional protocol features the sender speaks.
    pub fn features(&self) -> Vec<&str> {
        self.get("features")
            .map(|list| list.split(',').filter(|f| !f.is_empty()).collect())
            .unwrap_or_default()
    }
}
