//! Token analysis: JWS and JWE in compact serialisation (RFC 7515, RFC 7516), JWT claims (RFC 7519).
//!
//! [`analyze_token`] takes whatever the user pasted and returns a [`TokenReport`]: the decoded
//! header and payload, the time claims read three ways (seconds, ISO 8601, relative to `now`), the
//! lifetime bar, the signature status and every [`Finding`]. It never fails and never panics:
//! problems with the input are findings (`jwt.malformed` says which part and why).
//!
//! - [`extract`]: the token out of a header line, cookie list, quotes or JSON.
//! - [`segment`]: base64url and JSON decoding of each part.
//! - [`claims`]: the claim checks and the heuristics for milliseconds and durations.
//! - [`signature`]: HMAC verification with a user-given secret.
//! - [`keys`], [`verify`]: public keys (JWK, JWK Set, PEM) and verification with them: RS*, PS*,
//!   ES*, EdDSA, and HS* with a symmetric JWK; [`analyze_token_with_keys`] takes them.
//! - [`jwe`]: decryption of `alg: dir` JWEs with the keys NextAuth.js v4 and Auth.js derive from
//!   their secret; the plaintext gets the same claim checks as a JWS payload.
//! - [`session_cookie`]: session cookies split over `name.0`, `name.1`, … and Supabase's
//!   `sb-…-auth-token`, joined as their libraries join them.
//! - [`lifetime`]: the lifetime bar's geometry.
//!
//! Secrets are only ever held in memory for the call and are never echoed in a report: findings
//! name a secret by its position in the list given.
//!
//! Incomplete support: asymmetric signatures are verified only with keys given (a token's own
//! `jwk`/`jku`/`x5u` header is never trusted or followed), ES256K and Ed448 are not verified,
//! JWEs other than `alg: dir` are not decrypted, and an HMAC signature is checked against the
//! first secret only.

pub mod claims;
pub mod extract;
pub mod jwe;
#[cfg(feature = "public-keys")]
pub mod keys;
pub mod lifetime;
pub mod segment;
pub mod session_cookie;
pub mod signature;
pub mod token_set;
#[cfg(feature = "public-keys")]
pub mod verify;
/// The web build's stand-in: no public-key arithmetic in the module every page load fetches; the
/// page and the panel load the full core (built with `public-keys`) once someone gives a key.
#[cfg(not(feature = "public-keys"))]
pub mod verify {
    use super::signature::SignatureCheck;
    use crate::finding::{Code, Finding, Severity};

    pub fn check_with_keys(prior: SignatureCheck, _kid: Option<&str>, _input: &[u8], _signature: &[u8], public_keys: &[String], findings: &mut Vec<Finding>) -> SignatureCheck {
        if !public_keys.is_empty() {
            findings.push(Finding::new(
                Code::JwtSignatureUnverified,
                Severity::Info,
                "signature",
                "Public keys are checked by the full core",
                "This build of the core leaves public-key verification out to load faster, so the keys given were not used.",
                "Load the full core (the page and the panel do so when a key is given), or use the command line.",
                "RFC 7515 §5.2",
            ));
        }
        prior
    }
}

use crate::finding::{quote, sort_by_severity, Code, Finding, Severity};
use crate::limits::{MAX_COOKIE_NAME_VALUE_BYTES, MAX_QUOTE_CHARS, MAX_SALT_CANDIDATES, MAX_TOKEN_INPUT_BYTES};
use crate::time::{iso8601, whole_seconds};
use claims::TimeClaim;
use extract::SourceKind;
use jwe::{Decryption, DecryptionStatus};
use lifetime::Lifetime;
use serde::Serialize;
use serde_json::{Map, Value};
use session_cookie::{Scheme, SessionCookie};
use signature::{SignatureCheck, SignatureStatus};

/// What the caller knows besides the token. The core never reads the clock: `now` is given.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct TokenOptions {
    /// The current time, in seconds since 1970.
    pub now: f64,
    /// An HMAC secret to verify the signature with, and the first secret tried on an encrypted
    /// token (text, or `base64:…`). Default: none.
    pub secret: Option<String>,
}

/// What the caller may know besides [`TokenOptions`], for encrypted and split session cookies.
///
/// A separate struct so that `TokenOptions { now, secret }` literals keep compiling; pass it to
/// [`analyze_token_with`].
///
/// ```
/// use cookie_inspector::jose::{analyze_token_with, KeyOptions, TokenOptions};
/// let keys = KeyOptions { secrets: vec!["new-secret".into(), "old-secret".into()], cookie_name: Some("my-app.session".into()) };
/// // {"alg":"dir","enc":"A256GCM"}, made with a third secret.
/// let token = "eyJhbGciOiJkaXIiLCJlbmMiOiJBMjU2R0NNIn0..AAAAAAAAAAAAAAAA.Y2lwaGVydGV4dA.dGFndGFndGFndGFndGFnMQ";
/// let report = analyze_token_with(token, &TokenOptions { now: 0.0, secret: None }, &keys);
/// assert_eq!(report.decryption.map(|d| d.secrets_tried), Some(2));
/// assert!(report.findings.iter().any(|f| f.code.as_str() == "jwe.wrong-secret"));
/// ```
#[derive(Debug, Clone, Default, PartialEq)]
pub struct KeyOptions {
    /// More candidate secrets, tried after [`TokenOptions::secret`] in this order — for a
    /// rotation, the new one first, then the old ones. A report names the secret that worked by
    /// its 0-based position in `secret` (if given) followed by `secrets`. Default: none.
    pub secrets: Vec<String>,
    /// The name of the cookie the token came from, when the input does not say (a bare token).
    /// Auth.js salts its key with it; the names in the input and the frameworks' default names
    /// are tried as well. Default: none.
    pub cookie_name: Option<String>,
}

/// The compact serialisation's shape.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "lowercase")]
pub enum TokenKind {
    /// Three parts: a signed (or unsigned) token.
    Jws,
    /// Five parts: an encrypted token.
    Jwe,
    /// Neither.
    Unknown,
}

/// Where the token came from.
#[derive(Debug, Clone, PartialEq, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct Source {
    pub kind: SourceKind,
    pub cookie_name: Option<String>,
    /// The input's length in bytes.
    pub length: usize,
    /// The cookies joined into the token, in order, when the session was split (`name.0`,
    /// `name.1`, …); empty otherwise.
    pub chunks: Vec<String>,
}

/// One dot-separated part, for coloured display.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Part {
    pub name: &'static str,
    pub text: String,
    /// Whether it decoded.
    pub ok: bool,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, Serialize)]
pub struct Counts {
    pub error: usize,
    pub warning: usize,
    pub info: usize,
}

impl Counts {
    /// How many of `findings` are of each severity.
    pub fn of<'a>(findings: impl IntoIterator<Item = &'a Finding>) -> Counts {
        let mut counts = Counts::default();
        for f in findings {
            match f.severity {
                Severity::Error => counts.error += 1,
                Severity::Warning => counts.warning += 1,
                Severity::Info => counts.info += 1,
            }
        }
        counts
    }
}

/// Everything the analysis says about one token.
#[derive(Debug, Clone, PartialEq, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct TokenReport {
    pub kind: TokenKind,
    pub source: Source,
    /// The token's dot-separated parts (joined with `.` they are the token); empty when the
    /// input was over [`MAX_TOKEN_INPUT_BYTES`].
    pub parts: Vec<Part>,
    pub header: Option<Value>,
    /// The header as indented JSON with every number exactly as sent (JS numbers round above 2⁵³).
    pub header_text: Option<String>,
    pub payload: Option<Value>,
    pub payload_text: Option<String>,
    pub claims: Vec<TimeClaim>,
    pub lifetime: Option<Lifetime>,
    pub signature: SignatureCheck,
    /// For an encrypted token (JWE): whether and how it was decrypted; `None` for a JWS.
    pub decryption: Option<Decryption>,
    /// Sorted: errors, then warnings, then infos.
    pub findings: Vec<Finding>,
    pub counts: Counts,
    pub now: f64,
    pub now_iso: Option<String>,
}

const JWS_PARTS: [&str; 3] = ["header", "payload", "signature"];
const JWE_PARTS: [&str; 5] = ["header", "encrypted_key", "iv", "ciphertext", "tag"];

/// Analyses a pasted token (see the module docs for what is accepted).
///
/// ```
/// use cookie_inspector::jose::{analyze_token, TokenOptions};
/// // {"alg":"HS256"}.{"sub":"1","exp":1763900000000} — exp written as Date.now()
/// let token = "eyJhbGciOiJIUzI1NiJ9.eyJzdWIiOiIxIiwiZXhwIjoxNzYzOTAwMDAwMDAwfQ.c2ln";
/// let report = analyze_token(token, &TokenOptions { now: 1_763_900_000.0, secret: None });
/// assert!(report.findings.iter().any(|f| f.code.as_str() == "jwt.exp-milliseconds"));
/// ```
pub fn analyze_token(input: &str, options: &TokenOptions) -> TokenReport {
    analyze_token_with(input, options, &KeyOptions::default())
}

/// [`analyze_token`] with more secrets and the cookie name, for encrypted session cookies.
///
/// A `Cookie:` header (or `a=b; c=d` list) holding a split session cookie (`name.0`, `name.1`, …)
/// or a Supabase session cookie is joined first (see [`session_cookie`]) and the session's token
/// analysed, with the chunk findings.
pub fn analyze_token_with(input: &str, options: &TokenOptions, keys: &KeyOptions) -> TokenReport {
    analyze_token_with_keys(input, options, keys, &[])
}

/// [`analyze_token_with`] and public keys to verify the signature with.
///
/// Each of `public_keys` is a JWK, a JWK Set (`{"keys":[…]}`) or PEM text (`PUBLIC KEY`, `RSA
/// PUBLIC KEY`, `CERTIFICATE`; see [`keys`]). RS256/384/512, PS256/384/512, ES256/384/512 and
/// EdDSA (Ed25519) are verified with the key the token's `kid` names, or else with each key that
/// fits; an HS* token with a symmetric JWK (`kty: oct`). Keys that cannot be read, a `kid` that
/// is not among the keys, a key of the wrong type and an HS* token against a public key are
/// findings (see [`verify`]). Default: none (`analyze_token_with` passes `&[]`).
///
/// ```
/// use cookie_inspector::jose::{analyze_token_with_keys, KeyOptions, TokenOptions};
/// use cookie_inspector::jose::signature::SignatureStatus;
/// // RFC 8037 §A.4: {"alg":"EdDSA"}, signed with the Ed25519 key of §A.1.
/// let token = "eyJhbGciOiJFZERTQSJ9.RXhhbXBsZSBvZiBFZDI1NTE5IHNpZ25pbmc.hgyY0il_MGCjP0JzlnLWG1PPOt7-09PGcvMg3AIbQR6dWbhijcNR4ki4iylGjg5BhVsPt9g7sVvpAr_MuM0KAg";
/// let jwk = r#"{"kty":"OKP","crv":"Ed25519","x":"11qYAYKxCrfVS_7TyWQHOg7hcvPapiMlrwIaaPcHURo"}"#;
/// let report = analyze_token_with_keys(token, &TokenOptions::default(), &KeyOptions::default(), &[jwk.to_string()]);
/// assert_eq!(report.signature.status, SignatureStatus::Valid);
/// ```
pub fn analyze_token_with_keys(input: &str, options: &TokenOptions, keys: &KeyOptions, public_keys: &[String]) -> TokenReport {
    let mut report = empty_report(input.len(), options.now);
    if input.trim().len() > MAX_TOKEN_INPUT_BYTES {
        report.findings.push(too_large(input.len()));
        return finish(report);
    }

    if let Some((kind, pairs)) = extract::cookie_list(input) {
        let wanted = keys.cookie_name.as_deref();
        let mut sessions: Vec<SessionCookie> =
            session_cookie::reassemble(&pairs).into_iter().filter(|s| s.chunked || s.scheme == Scheme::Supabase).collect();
        let pick = sessions.iter().position(|s| Some(s.name.as_str()) == wanted).unwrap_or(0);
        if pick < sessions.len() {
            let session = sessions.swap_remove(pick);
            return session_into(report, session, kind, options, keys, public_keys);
        }
    }

    let extracted = extract::extract(input);
    report.source.kind = extracted.kind;
    report.source.cookie_name = extracted.cookie_name.clone();
    report.findings.extend(extracted.findings);
    analyze_compact(report, extracted.token, options, keys, public_keys, true)
}

/// Analyses one session cookie joined by [`session_cookie::reassemble`].
pub(crate) fn analyze_session_cookie(session: SessionCookie, kind: SourceKind, options: &TokenOptions, keys: &KeyOptions) -> TokenReport {
    let report = empty_report(session.value.len(), options.now);
    session_into(report, session, kind, options, keys, &[])
}

fn session_into(
    mut report: TokenReport,
    session: SessionCookie,
    kind: SourceKind,
    options: &TokenOptions,
    keys: &KeyOptions,
    public_keys: &[String],
) -> TokenReport {
    report.source.kind = kind;
    report.source.cookie_name = Some(session.name.clone());
    if session.chunked {
        report.source.chunks = session.cookies.clone();
    }
    report.findings.extend(session.findings);
    let token = match session.scheme {
        Scheme::SessionStore => session.value,
        Scheme::Supabase => match session_cookie::supabase_session(&session.value) {
            Ok(s) => {
                let now = whole_seconds(options.now).unwrap_or_default();
                session_cookie::check_supabase_session(&s, &session.name, now, &mut report.findings);
                report.findings.push(Finding::new(
                    Code::JwtExtracted,
                    Severity::Info,
                    "token",
                    "Token taken from the pasted text",
                    format!("Read the access_token of the Supabase session in the cookie {} (base64url-decoded session JSON).", quote(&session.name, MAX_QUOTE_CHARS)),
                    "",
                    "RFC 7519 §3",
                ));
                s.access_token
            }
            Err(f) => {
                report.findings.push(f);
                return finish(report);
            }
        },
    };
    analyze_compact(report, token, options, keys, public_keys, false)
}

fn empty_report(length: usize, now: f64) -> TokenReport {
    TokenReport {
        kind: TokenKind::Unknown,
        source: Source { kind: SourceKind::Bare, cookie_name: None, length, chunks: Vec::new() },
        parts: Vec::new(),
        header: None,
        header_text: None,
        payload: None,
        payload_text: None,
        claims: Vec::new(),
        lifetime: None,
        signature: SignatureCheck { status: SignatureStatus::None, alg: None, detail: "No token was read.".into() },
        decryption: None,
        findings: Vec::new(),
        counts: Counts::default(),
        now,
        now_iso: iso8601(whole_seconds(now).unwrap_or_default()),
    }
}

fn too_large(length: usize) -> Finding {
    Finding::new(
        Code::JwtTooLarge,
        Severity::Error,
        "token",
        "Too large to be a token",
        format!(
            "The input is {length} bytes; this tool reads tokens up to {MAX_TOKEN_INPUT_BYTES} bytes. Real tokens are a few kilobytes: browsers refuse cookies over {MAX_COOKIE_NAME_VALUE_BYTES} bytes and servers refuse header lines over 8–16 KB. Was a whole file or page pasted?"
        ),
        "Paste only the token: the cookie's value, or what follows `Bearer ` in the Authorization header. For a whole recorded flow, use the HAR import.",
        "RFC 7519 §3",
    )
}

/// Analyses the token text itself (the compact serialisation). `one_cookie`: the token is one
/// cookie's whole value, so the cookie size limit applies to it.
fn analyze_compact(
    mut report: TokenReport,
    token: String,
    options: &TokenOptions,
    keys: &KeyOptions,
    public_keys: &[String],
    one_cookie: bool,
) -> TokenReport {
    let now_whole = whole_seconds(options.now).unwrap_or_default();
    if token.is_empty() {
        report.findings.push(Finding::new(
            Code::JwtMalformed,
            Severity::Error,
            "token",
            "Nothing to analyse",
            "The input is empty (or only whitespace, quotes or a header name).",
            "Paste a token: three base64url parts joined by dots, e.g. eyJhbGciOi….eyJzdWIiOi….SflKxwRJ….",
            "RFC 7519 §3",
        ));
        return finish(report);
    }

    let segments: Vec<&str> = token.split('.').collect();
    report.kind = match segments.len() {
        3 => TokenKind::Jws,
        5 => TokenKind::Jwe,
        _ => TokenKind::Unknown,
    };
    let names: &[&'static str] = match report.kind {
        TokenKind::Jws => &JWS_PARTS,
        TokenKind::Jwe => &JWE_PARTS,
        TokenKind::Unknown => &["header", "payload"],
    };
    report.parts = segments
        .iter()
        .enumerate()
        .map(|(i, text)| Part { name: names.get(i).copied().unwrap_or("extra"), text: (*text).to_string(), ok: false })
        .collect();

    if report.kind == TokenKind::Unknown {
        let n = segments.len();
        report.findings.push(Finding::new(
            Code::JwtMalformed,
            Severity::Error,
            "token",
            "Not a JWT",
            if n == 1 {
                "The input has no dots: a JWT has three base64url parts (header.payload.signature), or five when encrypted. This looks like an opaque session id, which only the server that issued it can read.".to_string()
            } else {
                format!("The input has {n} dot-separated parts; a JWT has 3 (signed, JWS) or 5 (encrypted, JWE). A part was lost or two tokens were pasted together.")
            },
            "Copy the whole token: from the cookie's value (DevTools → Application → Cookies) or from after `Bearer ` in the request's Authorization header.",
            "RFC 7519 §3, RFC 7515 §7.1, RFC 7516 §7.1",
        ));
        return finish_with_token(report, token, one_cookie);
    }

    // RFC 7515 §5.2 steps 2–4 / RFC 7516 §5.2 steps 2–3: the protected header.
    let header = decode_part(&mut report, 0).and_then(|bytes| match segment::parse_json(&bytes, "header") {
        Ok(Value::Object(map)) => Some(map),
        Ok(other) => {
            report.findings.push(not_object("header", &other));
            None
        }
        Err(f) => {
            report.findings.push(f);
            None
        }
    });
    let alg = header.as_ref().and_then(|h| h.get("alg")).and_then(Value::as_str).map(str::to_string);
    let kid = header.as_ref().and_then(|h| h.get("kid")).and_then(Value::as_str).map(str::to_string);
    if header.is_some() && alg.is_none() {
        report.findings.push(Finding::new(
            Code::JwtMissingAlg,
            Severity::Error,
            "header.alg",
            "The header names no algorithm",
            "The header has no alg (or it is not a string), which every JWS and JWE must have. Verifiers reject the token.",
            "Create the token with a library, which sets alg: new SignJWT(claims).setProtectedHeader({ alg: 'HS256' }).",
            "RFC 7515 §4.1.1",
        ));
    }

    if report.kind == TokenKind::Jwe {
        let decoded: Vec<Option<Vec<u8>>> = (1..5).map(|i| decode_part(&mut report, i)).collect();
        let enc = header.as_ref().and_then(|h| h.get("enc")).and_then(Value::as_str);
        report.findings.push(encrypted_finding(alg.as_deref(), enc, header.as_ref().is_some_and(|h| h.contains_key("kid")), report.source.cookie_name.as_deref()));
        let mut detail = "An encrypted token (JWE) has no signature to check; its authentication tag is checked when it is decrypted with the app's secret.".to_string();
        if let (Some(h), [Some(encrypted_key), Some(iv), Some(ciphertext), Some(tag)]) = (&header, decoded.as_slice()) {
            let input = jwe::JweInput {
                header: h,
                header_segment: segments.first().copied().unwrap_or_default(),
                encrypted_key,
                iv,
                ciphertext,
                tag,
            };
            let secrets: Vec<&str> = options.secret.iter().chain(&keys.secrets).map(String::as_str).collect();
            let names = salt_candidates(keys.cookie_name.as_deref(), report.source.cookie_name.as_deref());
            let (outcome, plaintext) = jwe::decrypt(&input, &secrets, &names, &mut report.findings);
            if outcome.status == DecryptionStatus::Decrypted {
                detail = "Encrypted (JWE): the authentication tag verified with the key derived from the secret, so the token is intact and was made with that secret.".to_string();
            }
            if let Some(p) = plaintext.and_then(|bytes| claims_object(&mut report, &bytes)) {
                report.claims = claims::check_claims(&p, now_whole, &mut report.findings);
                report.lifetime = Some(lifetime::lifetime(&report.claims, now_whole));
                report.payload_text = serde_json::to_string_pretty(&p).ok();
                report.payload = Some(Value::Object(p));
            }
            report.decryption = Some(outcome);
        }
        if let Some(h) = header {
            report.header_text = serde_json::to_string_pretty(&h).ok();
            report.header = Some(Value::Object(h));
        }
        report.signature = SignatureCheck { status: SignatureStatus::Encrypted, alg: alg.clone(), detail };
        return finish_with_token(report, token, one_cookie);
    }

    // JWS payload: RFC 7519 §7.2 step 10 — the claims set must be a JSON object.
    let payload = decode_part(&mut report, 1).and_then(|bytes| claims_object(&mut report, &bytes));
    let signature = decode_part(&mut report, 2);

    if let Some(p) = payload {
        report.claims = claims::check_claims(&p, now_whole, &mut report.findings);
        report.lifetime = Some(lifetime::lifetime(&report.claims, now_whole));
        report.payload_text = serde_json::to_string_pretty(&p).ok();
        report.payload = Some(Value::Object(p));
    }
    if let Some(h) = header {
        report.header_text = serde_json::to_string_pretty(&h).ok();
        report.header = Some(Value::Object(h));
        if let Some(sig) = &signature {
            // RFC 7515 §5.2 step 8: the signing input is the ASCII of header "." payload as sent.
            let signing_input_len = segments.first().map_or(0, |h| h.len()) + 1 + segments.get(1).map_or(0, |p| p.len());
            let signing_input = token.as_bytes().get(..signing_input_len).unwrap_or_default();
            let secret = options.secret.as_deref().or(keys.secrets.first().map(String::as_str));
            // With public keys for an asymmetric alg, a secret is beside the point: not "unused".
            let hmac = alg.as_deref().is_some_and(|a| a.starts_with("HS"));
            let secret = if public_keys.is_empty() || hmac { secret } else { None };
            let checked = signature::check(alg.as_deref(), signing_input, sig, secret, &mut report.findings);
            report.signature = verify::check_with_keys(checked, kid.as_deref(), signing_input, sig, public_keys, &mut report.findings);
        }
    }
    finish_with_token(report, token, one_cookie)
}

/// The claims set (a JWS payload or a JWE plaintext): RFC 7519 §7.2 step 10, a JSON object.
fn claims_object(report: &mut TokenReport, bytes: &[u8]) -> Option<Map<String, Value>> {
    match segment::parse_json(bytes, "payload") {
        Ok(Value::Object(map)) => Some(map),
        Ok(other) => {
            report.findings.push(not_object("payload", &other));
            None
        }
        Err(f) => {
            report.findings.push(f);
            None
        }
    }
}

/// Cookie names to try as Auth.js's salt: the caller's, the input's (without a `.N` chunk
/// suffix), then the frameworks' defaults; no repeats.
fn salt_candidates(given: Option<&str>, from_input: Option<&str>) -> Vec<String> {
    let from_input = from_input.map(|n| session_cookie::split_chunk_name(n).map_or(n, |(base, _)| base));
    let mut names: Vec<String> = Vec::new();
    for name in given.into_iter().chain(from_input).chain(jwe::DEFAULT_COOKIE_NAMES) {
        let name = name.trim();
        if !name.is_empty() && !names.iter().any(|n| n == name) && names.len() < MAX_SALT_CANDIDATES {
            names.push(name.to_string());
        }
    }
    names
}

/// Decodes part `i`, marking it ok or pushing the finding; `None` if it did not decode.
fn decode_part(report: &mut TokenReport, i: usize) -> Option<Vec<u8>> {
    let part = report.parts.get(i)?;
    let name = part.name;
    match segment::decode_base64url(&part.text, name, &mut report.findings) {
        Ok(bytes) => {
            if let Some(p) = report.parts.get_mut(i) {
                p.ok = true;
            }
            Some(bytes)
        }
        Err(f) => {
            report.findings.push(f);
            None
        }
    }
}

fn not_object(part: &str, value: &Value) -> Finding {
    Finding::new(
        Code::JwtMalformed,
        Severity::Error,
        part,
        format!("The {part} is not a JSON object"),
        format!(
            "The decoded {part} is valid JSON but not an object (it starts with {}); a JWT's {part} must be a JSON object of name/value pairs.",
            crate::finding::quote(&value.to_string(), 40)
        ),
        "Sign an object: new SignJWT({ sub: userId }) (jose) or jwt.sign({ sub: userId }, key) (jsonwebtoken) — not a bare string or number.",
        if part == "header" { "RFC 7515 §4" } else { "RFC 7519 §7.2 step 10" },
    )
}

/// `jwt.encrypted`, saying which framework the header looks like.
fn encrypted_finding(alg: Option<&str>, enc: Option<&str>, has_kid: bool, cookie: Option<&str>) -> Finding {
    let cookie_l = cookie.map(str::to_ascii_lowercase).unwrap_or_default();
    let by_name = if cookie_l.contains("next-auth.session-token") {
        " Its cookie name is NextAuth.js v4's."
    } else if cookie_l.contains("authjs.session-token") {
        " Its cookie name is Auth.js v5's."
    } else {
        ""
    };
    let looks_like = match (alg, enc) {
        (Some("dir"), Some("A256GCM")) => format!(
            "Its header (alg dir, enc A256GCM) is what NextAuth.js v4 writes for its session cookie (next-auth.session-token): the key is derived from NEXTAUTH_SECRET with HKDF-SHA256 (info \"NextAuth.js Generated Encryption Key\").{by_name}"
        ),
        (Some("dir"), Some("A256CBC-HS512")) => format!(
            "Its header (alg dir, enc A256CBC-HS512{}) is what Auth.js v5 writes for its session cookie (authjs.session-token): the key is derived from AUTH_SECRET with HKDF-SHA256, salted with the cookie name.{by_name}",
            if has_kid { ", with a kid: the key's thumbprint" } else { "" }
        ),
        _ => format!(
            "Its header says alg {}, enc {}.{by_name}",
            alg.map_or("(none)".to_string(), |a| crate::finding::quote(a, 30)),
            enc.map_or("(none)".to_string(), |e| crate::finding::quote(e, 30))
        ),
    };
    Finding::new(
        Code::JwtEncrypted,
        Severity::Info,
        "token",
        "Encrypted token (JWE)",
        format!(
            "This is an encrypted token (5 parts): its claims, including who is signed in and when the session expires, can only be read with the key. {looks_like}"
        ),
        "To inspect it in the app: const token = await getToken({ req, secret: process.env.AUTH_SECRET }) (next-auth/jwt) and log token.exp and token.sub.",
        "RFC 7516 §3, §7.1",
    )
}

/// Checks that need the token text, then finishes the report.
fn finish_with_token(mut report: TokenReport, token: String, one_cookie: bool) -> TokenReport {
    // RFC 6265bis §5.6 step 5 (via §5.7): a cookie's name plus value may not exceed 4096 bytes.
    let name_len = report.source.cookie_name.as_ref().map_or(0, String::len);
    let total = name_len + token.len();
    if one_cookie && total > MAX_COOKIE_NAME_VALUE_BYTES {
        let in_cookie = report.source.cookie_name.is_some();
        report.findings.push(Finding::new(
            Code::JwtTooLargeForCookie,
            if in_cookie { Severity::Error } else { Severity::Warning },
            "token",
            "Too large for one cookie",
            format!(
                "The token is {} bytes{}; browsers refuse a cookie whose name and value exceed {MAX_COOKIE_NAME_VALUE_BYTES} bytes (Chromium reports NameValuePairExceedsMaxSize) and silently drop it, so the session cookie never arrives.",
                token.len(),
                if in_cookie { format!(" and with its cookie name {total}") } else { String::new() }
            ),
            "Keep the cookie small: store a session id and keep the claims server-side, drop large claims (profile pictures, permission lists), or split it over chunked cookies (NextAuth/Auth.js do this as name.0, name.1, …).",
            "RFC 6265bis §5.6, §5.7",
        ));
    }
    finish(report)
}

fn finish(mut report: TokenReport) -> TokenReport {
    sort_by_severity(&mut report.findings);
    report.counts = Counts::of(&report.findings);
    report
}
