//! Tokens kept in the page's web storage (`localStorage`, `sessionStorage`).
//!
//! Single-page apps and auth SDKs often keep the session there instead of in an `HttpOnly`
//! cookie: Supabase's `sb-<ref>-auth-token` (a JSON session), Firebase, MSAL, Auth0's
//! `@@auth0spajs@@` cache, hand-written `localStorage.setItem('token', …)`. Any script on the
//! origin can read web storage (HTML §12.2), so one XSS bug hands the session — and, worse, a
//! long-lived refresh token — to an attacker. Each token found is also analysed like a pasted one.

use crate::finding::{quote, Code, Finding, Severity};
use crate::jose::extract::tokens_in_value;
use crate::jose::token_set::TokenSet;
use crate::jose::{Counts, KeyOptions, TokenReport};
use crate::limits::{MAX_QUOTE_CHARS, MAX_STORAGE_ITEMS, MAX_STORAGE_VALUE_BYTES};
use serde::{Deserialize, Serialize};

/// One web storage entry as the page holds it.
#[derive(Debug, Clone, Default, PartialEq, Deserialize)]
#[serde(default)]
pub struct StorageItem {
    /// `localStorage` or `sessionStorage`.
    pub area: String,
    pub origin: String,
    pub key: String,
    pub value: String,
}

#[derive(Debug, Clone, PartialEq, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct StorageRow {
    pub area: String,
    pub origin: String,
    pub key: String,
    /// The value's length in bytes.
    pub size: usize,
    pub findings: Vec<Finding>,
    /// Index into [`StorageReport::tokens`] of the first token the value holds.
    pub token: Option<usize>,
}

#[derive(Debug, Clone, PartialEq, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct StorageReport {
    /// Only the entries that hold tokens or have findings (web storage is mostly UI state).
    pub items: Vec<StorageRow>,
    pub findings: Vec<Finding>,
    pub tokens: Vec<TokenReport>,
    pub counts: Counts,
}

/// Field names of refresh tokens in stored session objects (OAuth's `refresh_token`, camelCase
/// SDKs' `refreshToken`).
const REFRESH_FIELDS: [&str; 2] = ["refresh_token", "refreshToken"];

/// Reads web storage entries at `now` (seconds since 1970).
pub fn audit_storage(items: &[StorageItem], now: f64) -> StorageReport {
    let mut rows = Vec::new();
    let mut findings = Vec::new();
    let mut tokens = TokenSet::default();
    if items.len() > MAX_STORAGE_ITEMS {
        findings.push(too_large("storage", format!("Only the first {MAX_STORAGE_ITEMS} of {} entries were read.", items.len())));
    }
    for (i, item) in items.iter().take(MAX_STORAGE_ITEMS).enumerate() {
        let at = format!("storage[{i}]");
        let mut flags = Vec::new();
        if item.value.len() > MAX_STORAGE_VALUE_BYTES {
            flags.push(too_large(
                &at,
                format!("The value of {} is {} bytes; only values up to {MAX_STORAGE_VALUE_BYTES} bytes are scanned for tokens.", quote(&item.key, MAX_QUOTE_CHARS), item.value.len()),
            ));
        } else {
            let found = tokens_in_value(&item.value);
            let row_token = tokens.add_value(&item.value, &at, now, &KeyOptions::default(), &mut flags);
            let local = item.area == "localStorage";
            let area = if local { "localStorage" } else { "sessionStorage" };
            if let Some((field, _)) = found.first() {
                let what = if field.is_empty() { "a token".to_string() } else { format!("a token (in {field})") };
                flags.push(Finding::new(
                    Code::StorageToken,
                    if local { Severity::Warning } else { Severity::Info },
                    format!("{at}.value"),
                    format!("{area} {} holds {what}", quote(&item.key, MAX_QUOTE_CHARS)),
                    format!(
                        "Every script running on {} can read {area}: an XSS bug or a compromised dependency can copy the token and use it from anywhere until it expires.{}",
                        if item.origin.is_empty() { "the page" } else { item.origin.as_str() },
                        if local { " localStorage also outlives the tab and the browser session." } else { "" }
                    ),
                    "Keep the session in an HttpOnly, Secure, SameSite=Lax cookie set by the server (a backend-for-frontend), and keep access tokens in memory only.",
                    "HTML §12.2; OAuth 2.0 for Browser-Based Apps §6",
                ));
            }
            if let Some(field) = refresh_field(&item.value) {
                flags.push(Finding::new(
                    Code::StorageRefreshToken,
                    if local { Severity::Warning } else { Severity::Info },
                    format!("{at}.value.{field}"),
                    format!("{area} {} holds a refresh token", quote(&item.key, MAX_QUOTE_CHARS)),
                    "A refresh token mints new access tokens for days or months: stolen from web storage, it keeps an attacker signed in long after the access token expires, unless the server rotates refresh tokens and detects reuse.",
                    "Keep refresh tokens out of scripts' reach (an HttpOnly cookie, or a backend-for-frontend); if they must live in the browser, enable refresh-token rotation with reuse detection.",
                    "OAuth 2.0 Security BCP (RFC 9700) §4.14.2",
                ));
            }
            crate::finding::sort_by_severity(&mut flags);
            if !flags.is_empty() {
                findings.extend(flags.iter().cloned());
                rows.push(StorageRow {
                    area: item.area.clone(),
                    origin: item.origin.clone(),
                    key: item.key.clone(),
                    size: item.value.len(),
                    findings: flags,
                    token: row_token,
                });
            }
            continue;
        }
        findings.extend(flags.iter().cloned());
        rows.push(StorageRow { area: item.area.clone(), origin: item.origin.clone(), key: item.key.clone(), size: item.value.len(), findings: flags, token: None });
    }
    crate::finding::sort_by_severity(&mut findings);
    let counts = Counts::of(&findings);
    StorageReport { items: rows, findings, tokens: tokens.reports, counts }
}

fn too_large(at: &str, detail: String) -> Finding {
    Finding::new(Code::StorageTooLarge, Severity::Info, at, "Web storage too large to read in full", detail, "", "")
}

/// The refresh-token field of a stored JSON session, if it has a non-empty one (at the top level
/// or one level down, as `{ currentSession: { refresh_token } }`).
fn refresh_field(value: &str) -> Option<String> {
    let value = value.trim();
    let json = if let Some(encoded) = value.strip_prefix("base64-") {
        use base64::Engine;
        let bytes = base64::engine::general_purpose::URL_SAFE_NO_PAD.decode(encoded.trim_end_matches('=')).ok()?;
        String::from_utf8(bytes).ok()?
    } else if value.starts_with('{') {
        value.to_string()
    } else {
        return None;
    };
    let serde_json::Value::Object(map) = serde_json::from_str::<serde_json::Value>(&json).ok()? else { return None };
    let has = |m: &serde_json::Map<String, serde_json::Value>| {
        REFRESH_FIELDS.into_iter().find(|f| m.get(*f).and_then(|v| v.as_str()).is_some_and(|s| !s.is_empty()))
    };
    if let Some(f) = has(&map) {
        return Some(f.to_string());
    }
    map.iter().find_map(|(key, v)| v.as_object().and_then(|inner| has(inner).map(|f| format!("{key}.{f}"))))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn item(area: &str, key: &str, value: &str) -> StorageItem {
        StorageItem { area: area.into(), origin: "https://app.test".into(), key: key.into(), value: value.into() }
    }

    const TOKEN: &str = "eyJhbGciOiJIUzI1NiJ9.eyJzdWIiOiIxIiwiZXhwIjoxNzYzOTAwMDAwMDAwfQ.c2ln";

    #[test]
    fn supabase_session_in_local_storage() {
        let value = format!(r#"{{"access_token":"{TOKEN}","refresh_token":"v1.abc","user":{{"id":"1"}}}}"#);
        let r = audit_storage(&[item("localStorage", "theme", "dark"), item("localStorage", "sb-ref-auth-token", &value)], 1_763_900_000.0);
        assert_eq!(r.items.len(), 1, "UI state is not listed");
        let codes: Vec<&str> = r.items[0].findings.iter().map(|f| f.code.as_str()).collect();
        assert!(codes.contains(&"storage.token") && codes.contains(&"storage.refresh-token") && codes.contains(&"jwt.exp-milliseconds"), "{codes:?}");
        assert_eq!(r.items[0].token, Some(0));
        assert_eq!(r.tokens.len(), 1);
    }

    #[test]
    fn session_storage_is_one_step_milder() {
        let r = audit_storage(&[item("sessionStorage", "token", TOKEN)], 1_763_900_000.0);
        let f = r.items[0].findings.iter().find(|f| f.code == Code::StorageToken).map(|f| f.severity);
        assert_eq!(f, Some(Severity::Info));
    }

    #[test]
    fn oversized_value_is_said_not_scanned() {
        let big = "x".repeat(MAX_STORAGE_VALUE_BYTES + 1);
        let r = audit_storage(&[item("localStorage", "blob", &big)], 0.0);
        assert_eq!(r.items[0].findings[0].code, Code::StorageTooLarge);
    }
}
