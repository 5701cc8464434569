//! Every token in a recorded flow: where it was seen, analysed once.
//!
//! Tokens travel in `Authorization: Bearer` headers, in cookies (sent and set), and in the JSON
//! bodies of login and refresh endpoints (`access_token`, `id_token`, `refresh_token`). The same
//! token usually appears on many requests, so each distinct token is analysed once and each
//! sighting points at it.

use super::har::Entry;
use crate::jose::extract::looks_like_token;
use crate::jose::{analyze_token, TokenOptions, TokenReport};
use crate::limits::{MAX_BODY_SCAN_BYTES, MAX_FLOW_TOKENS};
use serde::Serialize;
use std::collections::HashMap;

/// Where in an entry a token was seen.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct Sighting {
    /// Index of the HAR entry.
    pub entry: usize,
    /// e.g. `request.header.authorization`, `request.cookie.session`, `response.set-cookie.session`,
    /// `response.body.access_token`.
    pub location: String,
    /// Index into [`FlowTokens::tokens`].
    pub token: usize,
}

/// The distinct tokens of a flow and where each was seen.
#[derive(Debug, Clone, Default, PartialEq, Serialize)]
pub struct FlowTokens {
    pub tokens: Vec<TokenReport>,
    pub sightings: Vec<Sighting>,
}

/// JSON body fields that hold tokens in OAuth/OIDC responses (RFC 6749 §5.1, OIDC Core §3.1.3.3)
/// and in Supabase/Firebase-style session objects.
const BODY_FIELDS: [&str; 6] = ["access_token", "id_token", "refresh_token", "token", "accessToken", "idToken"];

/// Finds and analyses every token in `entries`. A token's times are judged at `now_of(entry)`
/// for the entry where it is first seen: a recording is analysed as it was, not as of today.
pub fn collect(entries: &[Entry<'_>], now_of: impl Fn(usize) -> f64) -> FlowTokens {
    let mut flow = FlowTokens::default();
    let mut index: HashMap<String, usize> = HashMap::new();
    let mut add = |flow: &mut FlowTokens, entry: usize, location: String, token: &str| {
        let next = flow.tokens.len();
        let slot = match index.get(token) {
            Some(&i) => i,
            None if next < MAX_FLOW_TOKENS => {
                index.insert(token.to_string(), next);
                flow.tokens.push(analyze_token(token, &TokenOptions { now: now_of(entry), secret: None }));
                next
            }
            None => return,
        };
        flow.sightings.push(Sighting { entry, location, token: slot });
    };

    for (i, e) in entries.iter().enumerate() {
        if let Some(auth) = e.request.header("authorization") {
            if let Some((scheme, cred)) = auth.trim().split_once(' ') {
                if scheme.eq_ignore_ascii_case("bearer") && looks_like_token(cred.trim()) {
                    add(&mut flow, i, "request.header.authorization".into(), cred.trim());
                }
            }
        }
        for header in e.request.headers.iter().filter(|h| h.name.eq_ignore_ascii_case("cookie")) {
            for pair in header.value.split(';') {
                if let Some((name, value)) = pair.split_once('=') {
                    let value = value.trim().trim_matches('"');
                    if looks_like_token(value) {
                        add(&mut flow, i, format!("request.cookie.{}", name.trim()), value);
                    }
                }
            }
        }
        for line in e.response.set_cookie_lines() {
            let pair = line.split(';').next().unwrap_or_default();
            if let Some((name, value)) = pair.split_once('=') {
                let value = value.trim().trim_matches('"');
                if looks_like_token(value) {
                    add(&mut flow, i, format!("response.set-cookie.{}", name.trim()), value);
                }
            }
        }
        if e.response.content.mime_type.contains("json") {
            if let Some(body) = e.response.content.text(MAX_BODY_SCAN_BYTES) {
                for (field, token) in tokens_in_json(&body) {
                    add(&mut flow, i, format!("response.body.{field}"), &token);
                }
            }
        }
    }
    flow
}

/// Top-level and one-level-nested token fields of a JSON body (`{ session: { access_token } }`).
fn tokens_in_json(body: &str) -> Vec<(String, String)> {
    let Ok(serde_json::Value::Object(map)) = serde_json::from_str::<serde_json::Value>(body) else {
        return Vec::new();
    };
    let mut found = Vec::new();
    let mut scan = |prefix: &str, m: &serde_json::Map<String, serde_json::Value>| {
        for field in BODY_FIELDS {
            if let Some(serde_json::Value::String(s)) = m.get(field) {
                if looks_like_token(s) {
                    found.push((format!("{prefix}{field}"), s.clone()));
                }
            }
        }
    };
    scan("", &map);
    for (key, value) in &map {
        if let serde_json::Value::Object(inner) = value {
            scan(&format!("{key}."), inner);
        }
    }
    found
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::flow::har::parse_har;

    #[test]
    fn finds_tokens_everywhere_and_dedupes() {
        let t = "eyJhbGciOiJIUzI1NiJ9.eyJzdWIiOiIxIiwiZXhwIjozNjAwfQ.c2ln";
        let har = format!(
            r#"{{"log":{{"entries":[
            {{"request":{{"method":"POST","url":"https://app.test/api/login","headers":[]}},
              "response":{{"status":200,"headers":[{{"name":"Set-Cookie","value":"session={t}; Path=/"}}],
                          "content":{{"mimeType":"application/json","text":"{{\"session\":{{\"access_token\":\"{t}\"}}}}"}}}}}},
            {{"request":{{"method":"GET","url":"https://app.test/api/me","headers":[{{"name":"Authorization","value":"Bearer {t}"}},{{"name":"Cookie","value":"theme=dark; session={t}"}}]}},
              "response":{{"status":401,"headers":[]}}}}]}}}}"#
        );
        let parsed = parse_har(har.as_bytes());
        assert!(parsed.findings.is_empty(), "{:?}", parsed.findings);
        let flow = collect(&parsed.entries, |_| 1_795_420_000.0);
        assert_eq!(flow.tokens.len(), 1);
        let places: Vec<(usize, &str)> = flow.sightings.iter().map(|s| (s.entry, s.location.as_str())).collect();
        assert_eq!(
            places,
            [
                (0, "response.set-cookie.session"),
                (0, "response.body.session.access_token"),
                (1, "request.header.authorization"),
                (1, "request.cookie.session"),
            ]
        );
        assert!(flow.tokens[0].findings.iter().any(|f| f.code.as_str() == "jwt.exp-duration"));
    }
}
