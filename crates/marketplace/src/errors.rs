//! The marketplace's error bodies, whatever their shape, turned into one message.

use serde_json::Value;

/// The message of an error body: `{"error": {"message": …}}` or `{"error": "…"}`,
/// `{"errors": [{"field": …, "message": …}, …]}`, RFC 7807 problem+json (`title`, `detail`),
/// `{"detail": …}` or `{"message": …}`, or a bare string; an empty body says its status.
///
/// ```
/// use refurbdesk_marketplace::error_message;
/// assert_eq!(error_message(400, br#"{"error":{"code":"x","message":"Bad quantity"}}"#), "Bad quantity");
/// assert_eq!(
///     error_message(400, br#"{"errors":[{"field":"catalog","message":"no sku column"},{"message":"empty"}]}"#),
///     "catalog: no sku column; empty"
/// );
/// assert_eq!(
///     error_message(400, br#"{"type":"about:blank","title":"Invalid status","status":400,"detail":"Order 7 is PAID"}"#),
///     "Invalid status: Order 7 is PAID"
/// );
/// assert_eq!(error_message(401, br#"{"detail":"Invalid token."}"#), "Invalid token.");
/// assert_eq!(error_message(400, b"The imei is already set."), "The imei is already set.");
/// assert_eq!(error_message(400, br#""quoted""#), "quoted");
/// assert_eq!(error_message(503, b""), "HTTP 503 with an empty body");
/// ```
pub fn error_message(status: u16, body: &[u8]) -> String {
    let text = String::from_utf8_lossy(body);
    let text = text.trim();
    if text.is_empty() {
        return format!("HTTP {status} with an empty body");
    }
    match serde_json::from_str::<Value>(text) {
        Ok(value) => message_of(&value).unwrap_or_else(|| clip(text)),
        Err(_) => clip(text),
    }
}

fn clip(text: &str) -> String {
    const MOST: usize = 500;
    if text.chars().count() <= MOST {
        return text.to_owned();
    }
    let mut clipped: String = text.chars().take(MOST).collect();
    clipped.push('…');
    clipped
}

fn message_of(value: &Value) -> Option<String> {
    match value {
        Value::String(text) => Some(text.clone()),
        Value::Array(items) => {
            let messages: Vec<String> = items.iter().filter_map(message_of).collect();
            (!messages.is_empty()).then(|| messages.join("; "))
        }
        Value::Object(map) => {
            let text = |key: &str| map.get(key).and_then(Value::as_str).map(str::to_owned);
            if let Some(error) = map.get("error") {
                if let Some(message) = message_of(error) {
                    return Some(message);
                }
            }
            if let Some(errors) = map.get("errors") {
                if let Some(message) = message_of(errors) {
                    return Some(message);
                }
            }
            match (text("title"), text("detail")) {
                (Some(title), Some(detail)) => return Some(format!("{title}: {detail}")),
                (None, Some(detail)) => return Some(detail),
                _ => {}
            }
            if let Some(message) = text("message") {
                return Some(match text("field") {
                    Some(field) => format!("{field}: {message}"),
                    None => message,
                });
            }
            text("title").or_else(|| text("code"))
        }
        _ => None,
    }
}
