//! Finding the token in what the user pasted.
//!
//! People paste whatever DevTools shows them: a bare token, `Bearer eyJ…`, a whole
//! `Authorization:` or `Cookie:` header line, a `Set-Cookie:` line, a token in quotes, a token
//! wrapped over several lines, or the JSON a login endpoint returned. We take the token out and say
//! where we took it from (`jwt.extracted`), so the user can check we read the right thing.

use crate::finding::{quote, Code, Finding, Severity};
use crate::limits::MAX_QUOTE_CHARS;
use serde::Serialize;

/// Where the token came from.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "kebab-case")]
pub enum SourceKind {
    /// Just the token (possibly quoted or line-wrapped).
    Bare,
    /// `Bearer <token>`.
    Bearer,
    /// `Authorization: <scheme> <token>`.
    AuthorizationHeader,
    /// `Cookie: a=b; session=<token>`.
    CookieHeader,
    /// `Set-Cookie: session=<token>; Path=/`.
    SetCookieHeader,
    /// `session=<token>`.
    CookiePair,
    /// A JSON document holding the token in a string field (`access_token`, `id_token`, …).
    Json,
}

/// The token text and how it was found.
#[derive(Debug, Clone, PartialEq)]
pub struct Extracted {
    pub token: String,
    pub kind: SourceKind,
    pub cookie_name: Option<String>,
    /// `jwt.extracted` notes, or `jwt.malformed` when nothing token-like was found.
    pub findings: Vec<Finding>,
}

/// JSON fields that conventionally hold a token, in the order we prefer them.
const TOKEN_FIELDS: [&str; 6] = ["access_token", "id_token", "token", "jwt", "accessToken", "idToken"];

/// Takes the token out of pasted text. Never fails: when nothing token-like is found the whole
/// trimmed input is returned as the token, and decoding will say what is wrong with it.
pub fn extract(input: &str) -> Extracted {
    let trimmed = strip_quotes(input.trim());
    let mut out = Extracted {
        token: String::new(),
        kind: SourceKind::Bare,
        cookie_name: None,
        findings: Vec::new(),
    };

    let (token, note): (&str, Option<String>) =
        if let Some(rest) = strip_prefix_ci(trimmed, "authorization:") {
            out.kind = SourceKind::AuthorizationHeader;
            let rest = rest.trim();
            match rest.split_once(char::is_whitespace) {
                Some((scheme, cred)) if scheme.eq_ignore_ascii_case("bearer") => {
                    (cred.trim(), Some("Read the token from the Authorization header (Bearer scheme).".into()))
                }
                Some((scheme, cred)) => (
                    cred.trim(),
                    Some(format!(
                        "Read the credentials of the Authorization header's {} scheme; a JWT is normally sent with the Bearer scheme (RFC 6750 §2.1).",
                        quote(scheme, MAX_QUOTE_CHARS)
                    )),
                ),
                None => (rest, Some("Read the token from the Authorization header, which names no scheme; it should be `Bearer <token>` (RFC 6750 §2.1).".into())),
            }
        } else if let Some(rest) = strip_prefix_ci(trimmed, "cookie:") {
            out.kind = SourceKind::CookieHeader;
            match pick_cookie(rest) {
                Some((name, value)) => {
                    out.cookie_name = Some(name.to_string());
                    (value, Some(format!("Read the token from the cookie {} in the Cookie header.", quote(name, MAX_QUOTE_CHARS))))
                }
                None => {
                    out.findings.push(no_token_in_cookies(rest));
                    (rest.trim(), None)
                }
            }
        } else if let Some(rest) = strip_prefix_ci(trimmed, "set-cookie:") {
            out.kind = SourceKind::SetCookieHeader;
            let pair = rest.split(';').next().unwrap_or_default();
            let (name, value) = pair.split_once('=').unwrap_or(("", pair));
            out.cookie_name = Some(name.trim().to_string());
            (value.trim(), Some(format!("Read the token from the value of the Set-Cookie line's cookie {}.", quote(name.trim(), MAX_QUOTE_CHARS))))
        } else if let Some(cred) = strip_prefix_ci(trimmed, "bearer ") {
            out.kind = SourceKind::Bearer;
            (cred.trim(), None)
        } else if trimmed.starts_with('{') {
            out.kind = SourceKind::Json;
            match token_in_json(trimmed) {
                Some((field, value)) => {
                    let note = format!("Read the token from the JSON field {}.", quote(&field, MAX_QUOTE_CHARS));
                    out.token = value;
                    out.findings.push(extracted_note(note));
                    return finish(out);
                }
                None => {
                    out.findings.push(Finding::new(
                        Code::JwtMalformed,
                        Severity::Error,
                        "token",
                        "This is JSON, not a token",
                        "The input is a JSON document, and none of its fields (access_token, id_token, token, jwt) holds a JWT. A JWT is three base64url parts separated by dots: header.payload.signature.",
                        "Paste the token itself: in DevTools, Application → Cookies (or the request's Authorization header), copy the value that starts with eyJ.",
                        "RFC 7519 §3",
                    ));
                    (trimmed, None)
                }
            }
        } else if looks_like_token(trimmed) {
            (trimmed, None)
        } else if let Some((name, value)) = cookie_pair(trimmed) {
            out.kind = SourceKind::CookiePair;
            out.cookie_name = Some(name.to_string());
            (value, Some(format!("Read the token from the value of the cookie {}.", quote(name, MAX_QUOTE_CHARS))))
        } else {
            (trimmed, None)
        };

    out.token = strip_quotes(token).to_string();
    if let Some(note) = note {
        out.findings.push(extracted_note(note));
    }
    finish(out)
}

/// The name/value pairs of a `Cookie:` header line, or of a bare `a=b; c=d` cookie list (as
/// `document.cookie` or curl's `-b` show it); `None` when the input is neither.
pub fn cookie_list(input: &str) -> Option<(SourceKind, Vec<(&str, &str)>)> {
    let trimmed = strip_quotes(input.trim());
    let (kind, rest) = match strip_prefix_ci(trimmed, "cookie:") {
        Some(rest) => (SourceKind::CookieHeader, rest),
        None => (SourceKind::CookiePair, trimmed),
    };
    let mut pairs = Vec::new();
    for part in rest.split(';') {
        let part = part.trim();
        if part.is_empty() {
            continue;
        }
        let (name, value) = part.split_once('=')?;
        let name = name.trim();
        // A cookie name is an RFC 9110 token; anything else is not a cookie list.
        if name.is_empty() || !name.bytes().all(|b| b.is_ascii_alphanumeric() || b"-_.!#$%&'*+^`|~".contains(&b)) {
            return None;
        }
        pairs.push((name, strip_quotes(value.trim())));
    }
    (!pairs.is_empty()).then_some((kind, pairs))
}

/// Removes whitespace inside the token (a token copied from a wrapped terminal line) and says so.
fn finish(mut out: Extracted) -> Extracted {
    if out.token.chars().any(char::is_whitespace) && looks_like_token(&out.token.split_whitespace().collect::<String>()) {
        out.token.retain(|c| !c.is_whitespace());
        out.findings.push(extracted_note(
            "Removed line breaks and spaces inside the token (it looks copied from wrapped text).".into(),
        ));
    }
    out
}

fn extracted_note(detail: String) -> Finding {
    Finding::new(
        Code::JwtExtracted,
        Severity::Info,
        "token",
        "Token taken from the pasted text",
        detail,
        "",
        "RFC 7519 §3",
    )
}

fn no_token_in_cookies(header: &str) -> Finding {
    let names: Vec<String> = header
        .split(';')
        .filter_map(|p| p.split_once('=').map(|(n, _)| n.trim()))
        .filter(|n| !n.is_empty())
        .take(20)
        .map(|n| quote(n, 40))
        .collect();
    Finding::new(
        Code::JwtMalformed,
        Severity::Error,
        "token",
        "No cookie in this header holds a JWT",
        format!(
            "None of the cookies in the Cookie header looks like a JWT (three base64url parts joined by dots, or five for an encrypted one). Cookies seen: {}. A session id (random string) is opaque: only the server can say what it means.",
            if names.is_empty() { "none".to_string() } else { names.join(", ") }
        ),
        "Paste the value of the session cookie itself, or the response that set it.",
        "RFC 6265bis §5.7.4",
    )
}

/// Picks the cookie in a `Cookie:` header value that most likely holds the session token:
/// a token-shaped value, preferring names that say session/token/auth.
fn pick_cookie(header: &str) -> Option<(&str, &str)> {
    let mut best: Option<(u8, &str, &str)> = None;
    for pair in header.split(';') {
        let Some((name, value)) = pair.split_once('=') else { continue };
        let (name, value) = (name.trim(), strip_quotes(value.trim()));
        if !looks_like_token(value) {
            continue;
        }
        let lower = name.to_ascii_lowercase();
        let score = if ["session", "token", "auth", "jwt"].iter().any(|k| lower.contains(k)) { 2 } else { 1 };
        if best.is_none_or(|(s, _, _)| score > s) {
            best = Some((score, name, value));
        }
    }
    best.map(|(_, n, v)| (n, v))
}

/// `name=<token>` with a cookie-token name, e.g. `next-auth.session-token=eyJ…`.
fn cookie_pair(text: &str) -> Option<(&str, &str)> {
    let (name, value) = text.split_once('=')?;
    let value = value.split(';').next().unwrap_or_default().trim();
    let name_ok = !name.is_empty()
        && name.bytes().all(|b| b.is_ascii_alphanumeric() || b"-_.!#$%&'*+^`|~".contains(&b));
    (name_ok && looks_like_token(strip_quotes(value))).then(|| (name, strip_quotes(value)))
}

/// Breadth-first search, bounded, for a JWT in a conventional field of a JSON document.
fn token_in_json(text: &str) -> Option<(String, String)> {
    let value: serde_json::Value = serde_json::from_str(text).ok()?;
    let mut queue = std::collections::VecDeque::from([&value]);
    let mut visited = 0usize;
    while let Some(v) = queue.pop_front() {
        visited += 1;
        if visited > 10_000 {
            break;
        }
        if let serde_json::Value::Object(map) = v {
            for field in TOKEN_FIELDS {
                if let Some(serde_json::Value::String(s)) = map.get(field) {
                    if looks_like_token(s) {
                        return Some((field.to_string(), s.clone()));
                    }
                }
            }
            queue.extend(map.values());
        } else if let serde_json::Value::Array(items) = v {
            queue.extend(items.iter());
        }
    }
    None
}

/// Whether text has the shape of a compact JWS (3 parts) or JWE (5 parts) in the base64url alphabet.
pub fn looks_like_token(text: &str) -> bool {
    // One pass (every cookie value and body field of a flow is asked): segments of base64url
    // characters split by dots, each ending in at most two `=` of padding (a common variant).
    let mut dots = 0usize;
    let mut padding = 0usize;
    for &b in text.as_bytes() {
        match b {
            b'.' if dots < 4 => {
                dots += 1;
                padding = 0;
            }
            b'=' if padding < 2 => padding += 1,
            b'A'..=b'Z' | b'a'..=b'z' | b'0'..=b'9' | b'-' | b'_' if padding == 0 => {}
            _ => return false,
        }
    }
    (dots == 2 || dots == 4) && text.len() > dots + 4
}

/// JSON body fields that hold tokens in OAuth/OIDC responses (RFC 6749 §5.1, OIDC Core §3.1.3.3)
/// and in Supabase/Firebase-style session objects.
const BODY_FIELDS: [&str; 6] = ["access_token", "id_token", "refresh_token", "token", "accessToken", "idToken"];

/// Whether JSON text can name one of [`BODY_FIELDS`]: they all end in "oken", so a text without
/// those letters, and without a `\u` escape that could spell them, has none of them. Most JSON
/// responses of a recorded flow are not token responses, and are then neither unescaped nor
/// parsed. It holds of a body still escaped as a HAR string too: letters stay letters there, a
/// letter written as an escape is a `\u` escape, and the body's own `\u` becomes `\\u`, which
/// still contains `\u`.
pub fn may_name_token_fields(json: &str) -> bool {
    crate::cookie::parse::contains(json, "oken") || crate::cookie::parse::contains(json, "\\u")
}

/// Top-level and one-level-nested token fields of a JSON body (`{ session: { access_token } }`).
pub fn tokens_in_json(body: &str) -> Vec<(String, String)> {
    if !may_name_token_fields(body) {
        return Vec::new();
    }
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

/// The tokens a stored value holds, with where in it: the value itself (`""`), or fields of the
/// JSON it is — directly or as Supabase's `base64-` + base64url(JSON) cookie format
/// (`@supabase/ssr`), e.g. `access_token`, `currentSession.refresh_token`.
pub fn tokens_in_value(value: &str) -> Vec<(String, String)> {
    let value = value.trim().trim_matches('"');
    if looks_like_token(value) {
        return vec![(String::new(), value.to_string())];
    }
    if let Some(encoded) = value.strip_prefix("base64-") {
        use base64::Engine;
        let engine = base64::engine::general_purpose::GeneralPurpose::new(
            &base64::alphabet::URL_SAFE,
            base64::engine::GeneralPurposeConfig::new().with_decode_padding_mode(base64::engine::DecodePaddingMode::Indifferent),
        );
        let decoded = engine.decode(encoded.trim_end_matches('=')).ok().and_then(|b| String::from_utf8(b).ok());
        return decoded.map(|json| tokens_in_json(&json)).unwrap_or_default();
    }
    if value.starts_with('{') {
        return tokens_in_json(value);
    }
    Vec::new()
}

fn strip_prefix_ci<'a>(text: &'a str, prefix: &str) -> Option<&'a str> {
    let head = text.get(..prefix.len())?;
    head.eq_ignore_ascii_case(prefix).then(|| text.get(prefix.len()..)).flatten()
}

/// Strips one pair of matching quotes (`"…"`, `'…'` or `` `…` ``) and the space inside them.
fn strip_quotes(text: &str) -> &str {
    for q in ['"', '\'', '`'] {
        if let Some(inner) = text.strip_prefix(q).and_then(|t| t.strip_suffix(q)) {
            return inner.trim();
        }
    }
    text
}

#[cfg(test)]
mod tests {
    use super::*;

    const T: &str = "eyJhbGciOiJIUzI1NiJ9.eyJzdWIiOiIxIn0.c2ln";

    #[test]
    fn forms() {
        let cases = [
            (T.to_string(), SourceKind::Bare, None),
            (format!("  \"{T}\"\n"), SourceKind::Bare, None),
            (format!("Bearer {T}"), SourceKind::Bearer, None),
            (format!("authorization: Bearer {T}"), SourceKind::AuthorizationHeader, None),
            (format!("Cookie: theme=dark; __Secure-next-auth.session-token={T}; x=1"), SourceKind::CookieHeader, Some("__Secure-next-auth.session-token")),
            (format!("Set-Cookie: sid={T}; Path=/; HttpOnly"), SourceKind::SetCookieHeader, Some("sid")),
            (format!("session={T}"), SourceKind::CookiePair, Some("session")),
            (format!("{{\"data\":{{\"access_token\":\"{T}\",\"expires_in\":3600}}}}"), SourceKind::Json, None),
        ];
        for (input, kind, cookie) in cases {
            let e = extract(&input);
            assert_eq!(e.token, T, "{input}");
            assert_eq!(e.kind, kind, "{input}");
            assert_eq!(e.cookie_name.as_deref(), cookie, "{input}");
        }
    }

    /// The fields are found in the body, one level down, and through escapes in their names;
    /// a body that names none of them is not a source of tokens.
    #[test]
    fn tokens_in_json_bodies() {
        let found = |body: String| tokens_in_json(&body);
        let pairs = |list: &[(&str, &str)]| list.iter().map(|(a, b)| (a.to_string(), b.to_string())).collect::<Vec<_>>();
        assert_eq!(found(format!("{{\"access_token\":\"{T}\",\"token_type\":\"Bearer\"}}")), pairs(&[("access_token", T)]));
        assert_eq!(found(format!("{{\"session\":{{\"idToken\":\"{T}\"}}}}")), pairs(&[("session.idToken", T)]));
        assert_eq!(found(format!("{{\"acc\\u0065ss_t\\u006fken\":\"{T}\"}}")), pairs(&[("access_token", T)]));
        assert_eq!(found(format!("{{\"jwt\":\"{T}\",\"user\":{{\"name\":\"a\"}}}}")), pairs(&[]));
        assert_eq!(found(format!("{{\"access_token\":\"{T}\"")), pairs(&[]), "not JSON");
    }

    /// The one-pass shape test agrees with its definition, segment by segment.
    #[test]
    fn token_shape() {
        let definition = |text: &str| {
            let dots = text.bytes().filter(|&b| b == b'.').count();
            let segment_ok = |s: &str| {
                let body = s.trim_end_matches('=');
                s.len() - body.len() <= 2 && body.bytes().all(|b| b.is_ascii_alphanumeric() || b == b'-' || b == b'_')
            };
            (dots == 2 || dots == 4) && text.len() > dots + 4 && text.split('.').all(segment_ok)
        };
        let cases = [
            T, "a.b.c", "abc.def.ghi", "ab==.cd=.ef", "ab===.cd.ef", "a=b.cd.ef", "ab..cdef", "a.b.c.d.e", "aa.bb.cc.dd.ee",
            "aa.bb.cc.dd.ee.ff", "aa.bb.cc.dd", "aa.bb", "", ".....", "ab.c d.ef", "ab.cd.é", "ab.cd.ef=", "ab.cd.ef==", "ab.cd.ef===",
            "=.=.=", "==.==.==", "a+b.c/d.ef", "ab.cd.ef\n",
        ];
        for case in cases {
            assert_eq!(looks_like_token(case), definition(case), "{case:?}");
        }
    }

    #[test]
    fn wrapped_token_is_joined() {
        let e = extract("eyJhbGciOiJIUzI1NiJ9.\n  eyJzdWIiOiIxIn0\n.c2ln");
        assert_eq!(e.token, T);
        assert!(e.findings.iter().any(|f| f.code == Code::JwtExtracted));
    }

    #[test]
    fn cookie_header_without_token_is_malformed() {
        let e = extract("Cookie: sid=abc123; theme=dark");
        assert!(e.findings.iter().any(|f| f.code == Code::JwtMalformed && f.detail.contains("\"sid\"")));
    }
}
