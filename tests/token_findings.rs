//! Every `jwt.*` finding code: a token that triggers it, and clean tokens that trigger none.
#![allow(clippy::unwrap_used, clippy::expect_used, clippy::indexing_slicing, clippy::panic)]

use base64::engine::general_purpose::{STANDARD, URL_SAFE_NO_PAD};
use base64::Engine;
use cookie_inspector::finding::{Code, Severity};
use cookie_inspector::jose::signature::SignatureStatus;
use cookie_inspector::jose::{analyze_token, analyze_token_with_keys, KeyOptions, TokenKind, TokenOptions, TokenReport};
use hmac::{Hmac, Mac};
use serde_json::{json, Value};
use sha2::{Sha256, Sha384, Sha512};
use std::collections::BTreeSet;
use std::sync::Mutex;

/// 2026-11-23T07:46:40Z: the instant every test calls "now".
const NOW: i64 = 1_795_420_000;
const SECRET: &str = "a-long-enough-secret-for-hs256-tokens!!";

/// Codes seen by any test in this file; `every_jwt_code_is_exercised` checks it covers all.
static SEEN: Mutex<BTreeSet<&'static str>> = Mutex::new(BTreeSet::new());

fn b64(v: &Value) -> String {
    URL_SAFE_NO_PAD.encode(serde_json::to_vec(v).unwrap())
}

fn sign(alg: &str, input: &str, key: &[u8]) -> String {
    let tag = match alg {
        "HS256" => {
            let mut m = Hmac::<Sha256>::new_from_slice(key).unwrap();
            m.update(input.as_bytes());
            m.finalize().into_bytes().to_vec()
        }
        "HS384" => {
            let mut m = Hmac::<Sha384>::new_from_slice(key).unwrap();
            m.update(input.as_bytes());
            m.finalize().into_bytes().to_vec()
        }
        "HS512" => {
            let mut m = Hmac::<Sha512>::new_from_slice(key).unwrap();
            m.update(input.as_bytes());
            m.finalize().into_bytes().to_vec()
        }
        _ => b"not-a-real-signature".to_vec(),
    };
    URL_SAFE_NO_PAD.encode(tag)
}

fn token_with(header: Value, payload: Value, key: &[u8]) -> String {
    let alg = header["alg"].as_str().unwrap_or("").to_string();
    let input = format!("{}.{}", b64(&header), b64(&payload));
    let sig = sign(&alg, &input, key);
    format!("{input}.{sig}")
}

fn token(payload: Value) -> String {
    token_with(json!({"alg": "HS256", "typ": "JWT"}), payload, SECRET.as_bytes())
}

fn good_claims() -> Value {
    json!({"sub": "user-42", "iat": NOW - 60, "exp": NOW + 3600, "iss": "https://auth.example.com", "aud": ["api"]})
}

fn analyze(input: &str, secret: Option<&str>) -> TokenReport {
    let report = analyze_token(input, &TokenOptions { now: NOW as f64, secret: secret.map(str::to_string) });
    let mut seen = SEEN.lock().unwrap();
    for f in &report.findings {
        seen.insert(f.code.as_str());
    }
    report
}

fn codes(r: &TokenReport) -> Vec<&'static str> {
    r.findings.iter().map(|f| f.code.as_str()).collect()
}

/// Asserts `code` is among the findings with `severity`, and returns that finding's detail.
fn expect(r: &TokenReport, code: &str, severity: Severity) -> String {
    let f = r
        .findings
        .iter()
        .find(|f| f.code.as_str() == code)
        .unwrap_or_else(|| panic!("expected {code}, got {:?}", codes(r)));
    assert_eq!(f.severity, severity, "{code}: {}", f.detail);
    assert!(!f.title.is_empty() && !f.detail.is_empty() && !f.spec.is_empty() && !f.location.is_empty());
    // Only informational findings may have nothing to fix.
    assert!(!f.fix.is_empty() || f.severity == Severity::Info, "{code} has no fix");
    f.detail.clone()
}

#[test]
fn clean_token_has_no_findings() {
    let r = analyze(&token(good_claims()), None);
    assert_eq!(r.kind, TokenKind::Jws);
    assert!(r.findings.is_empty(), "{:?}", codes(&r));
    assert_eq!(r.signature.status, SignatureStatus::NotChecked);
    let life = r.lifetime.unwrap();
    assert_eq!(serde_json::to_value(life.status).unwrap(), "valid");
    assert!(life.markers.iter().all(|m| m.clipped.is_none() && !m.suspect));
    assert_eq!(r.claims.len(), 2);
    assert_eq!(r.claims[1].iso.as_deref(), Some("2026-11-23T08:46:40Z"));
    assert_eq!(r.claims[1].relative.as_deref(), Some("in 1 hour"));
}

#[test]
fn clean_token_with_right_secret_is_only_signature_valid() {
    for alg in ["HS256", "HS384", "HS512"] {
        let key = "k".repeat(64);
        let t = token_with(json!({"alg": alg}), good_claims(), key.as_bytes());
        let r = analyze(&t, Some(&key));
        assert_eq!(codes(&r), ["jwt.signature-valid"], "{alg}");
        assert_eq!(r.signature.status, SignatureStatus::Valid);
    }
}

#[test]
fn malformed_inputs() {
    let deep = format!("{}.{}.c2ln", b64(&json!({"alg": "HS256"})), URL_SAFE_NO_PAD.encode("[".repeat(10_000)));
    let bad_utf8 = format!("{}.{}.c2ln", b64(&json!({"alg": "HS256"})), URL_SAFE_NO_PAD.encode([0x7b, 0x22, 0xff, 0xfe]));
    let garbage: String = (0u8..=255).map(char::from).collect();
    let cases: Vec<(String, &str)> = vec![
        (String::new(), "empty"),
        ("   \n\t ".into(), "empty"),
        ("abc".into(), "no dots"),
        ("a.b.c.d".into(), "4 parts"),
        ("{\"user\":\"x\"}".into(), "JSON"),
        (garbage, "binary"),
        (deep, "nests deeper"),
        (bad_utf8, "not UTF-8"),
        (format!("{}.e30.c2ln", URL_SAFE_NO_PAD.encode("not json")), "not valid JSON"),
        (format!("{}.e30.c2ln", b64(&json!([1, 2]))), "not an object"),
        (format!("{}.{}.c2ln", b64(&json!({"alg": "HS256"})), b64(&json!("just a string"))), "not an object"),
        ("eyJhbGciOiJIUzI1NiJ9.eyJ%zdWIiOiIxIn0.c2ln".into(), "position 3"),
    ];
    for (input, why) in cases {
        let r = analyze(&input, None);
        let f = r.findings.iter().find(|f| f.code == Code::JwtMalformed);
        assert!(f.is_some(), "{why}: {:?}", codes(&r));
        assert_eq!(f.unwrap().severity, Severity::Error);
        let all: String = r.findings.iter().map(|f| format!("{} {}", f.title, f.detail)).collect();
        let needle = match why {
            "empty" => "empty",
            "no dots" => "no dots",
            "4 parts" => "4 dot-separated parts",
            "JSON" => "JSON",
            "binary" => "",
            other => other,
        };
        assert!(all.contains(needle), "{why}: {all}");
    }
}

#[test]
fn too_large_input_is_refused_quickly() {
    let huge = "a".repeat(10 * 1024 * 1024);
    let r = analyze(&huge, None);
    expect(&r, "jwt.too-large", Severity::Error);
    assert!(r.parts.is_empty());
}

#[test]
fn alg_none() {
    let t = format!("{}.{}.", b64(&json!({"alg": "none"})), b64(&good_claims()));
    let r = analyze(&t, Some(SECRET));
    expect(&r, "jwt.alg-none", Severity::Error);
    assert_eq!(r.signature.status, SignatureStatus::Unsigned);
}

#[test]
fn expired_and_expiring() {
    let r = analyze(&token(json!({"sub": "1", "iat": NOW - 7200, "exp": NOW - 3600})), None);
    let d = expect(&r, "jwt.expired", Severity::Error);
    assert!(d.contains("1 hour"), "{d}");
    assert_eq!(r.findings[0].title, "Expired 1 hour ago");
    // exp == now is expired: "on or after" (RFC 7519 §4.1.4).
    let r = analyze(&token(json!({"sub": "1", "exp": NOW})), None);
    expect(&r, "jwt.expired", Severity::Error);
    let r = analyze(&token(json!({"sub": "1", "iat": NOW - 60, "exp": NOW + 120})), None);
    expect(&r, "jwt.expires-soon", Severity::Warning);
    assert!(!codes(&r).contains(&"jwt.expired"));
}

#[test]
fn not_yet_valid_and_iat_in_future() {
    let r = analyze(&token(json!({"sub": "1", "nbf": NOW + 3600, "exp": NOW + 7200})), None);
    let d = expect(&r, "jwt.not-yet-valid", Severity::Error);
    assert!(d.contains("time-zone"), "a whole hour ahead hints at a time zone: {d}");
    let r = analyze(&token(json!({"sub": "1", "iat": NOW + 30, "exp": NOW + 3600})), None);
    let d = expect(&r, "jwt.iat-in-future", Severity::Warning);
    assert!(d.contains("clock skew"), "{d}");
    let r = analyze(&token(json!({"sub": "1", "iat": NOW + 86_400 * 3, "exp": NOW + 86_400 * 3 + 60})), None);
    expect(&r, "jwt.iat-in-future", Severity::Error);
}

#[test]
fn exp_in_milliseconds_date_now_plus_3600() {
    // What `exp: Date.now() + 3600` produces, with iat from the same moment.
    let now_ms = NOW * 1000 + 347;
    let r = analyze(&token(json!({"sub": "1", "iat": NOW, "exp": now_ms + 3600})), None);
    let d = expect(&r, "jwt.exp-milliseconds", Severity::Error);
    assert!(d.contains("Date.now() + 3600"), "{d}");
    assert!(d.contains("dead on arrival"), "{d}");
    assert!(!codes(&r).contains(&"jwt.expired"), "exp in ms is not 'expired' when read as seconds");
    let exp = r.claims.iter().find(|c| c.name == "exp").unwrap();
    assert_eq!(serde_json::to_value(exp.reading).unwrap(), "milliseconds");
    assert!(exp.iso.as_deref().unwrap().starts_with("+0588"), "{:?}", exp.iso);
    let life = r.lifetime.unwrap();
    let marker = life.markers.iter().find(|m| m.name == "exp").unwrap();
    assert!(marker.suspect);
    assert_eq!(serde_json::to_value(marker.clipped).unwrap(), "after");
    assert_eq!(marker.position, 100.0);
    assert_eq!(serde_json::to_value(life.status).unwrap(), "broken");
    // The fix is copyable JavaScript in seconds.
    assert!(r.findings[0].fix.contains("Math.floor(Date.now() / 1000)"));
}

#[test]
fn iat_and_nbf_in_milliseconds() {
    let r = analyze(&token(json!({"sub": "1", "iat": NOW * 1000, "exp": NOW + 600})), None);
    expect(&r, "jwt.iat-milliseconds", Severity::Error);
    assert!(!codes(&r).contains(&"jwt.iat-in-future"));
    let r = analyze(&token(json!({"sub": "1", "nbf": NOW * 1000, "exp": NOW + 600})), None);
    expect(&r, "jwt.nbf-milliseconds", Severity::Error);
}

#[test]
fn exp_as_duration() {
    let r = analyze(&token(json!({"sub": "1", "iat": NOW, "exp": 3600})), None);
    let d = expect(&r, "jwt.exp-duration", Severity::Error);
    assert!(d.contains("1970-01-01T01:00:00Z") && d.contains("1 hour"), "{d}");
    assert!(d.contains(&(NOW + 3600).to_string()), "suggests iat + exp: {d}");
    let marker = r.lifetime.as_ref().unwrap().markers.iter().find(|m| m.name == "exp").unwrap().clone();
    assert_eq!(serde_json::to_value(marker.clipped).unwrap(), "before");
    assert!(r.lifetime.unwrap().valid.is_none());
}

#[test]
fn exp_before_iat() {
    let r = analyze(&token(json!({"sub": "1", "iat": NOW - 100, "exp": NOW - 3700})), None);
    expect(&r, "jwt.exp-before-iat", Severity::Error);
    assert_eq!(serde_json::to_value(r.lifetime.unwrap().status).unwrap(), "broken");
}

#[test]
fn missing_exp_and_sub() {
    let r = analyze(&token(json!({"iat": NOW})), None);
    expect(&r, "jwt.missing-exp", Severity::Warning);
    expect(&r, "jwt.missing-sub", Severity::Warning);
    assert_eq!(serde_json::to_value(r.lifetime.unwrap().status).unwrap(), "no-expiry");
}

#[test]
fn long_lived_access_token() {
    let r = analyze(&token(json!({"sub": "1", "iat": NOW, "exp": NOW + 30 * 86_400})), None);
    let d = expect(&r, "jwt.long-lived", Severity::Warning);
    assert!(d.contains("30 days"), "{d}");
    // A refresh token may live long.
    let r = analyze(&token(json!({"sub": "1", "iat": NOW, "exp": NOW + 30 * 86_400, "token_use": "refresh"})), None);
    assert!(!codes(&r).contains(&"jwt.long-lived"));
}

#[test]
fn claim_types() {
    let r = analyze(&token(json!({"sub": 42, "exp": "1800000000", "aud": 7})), None);
    let types: Vec<_> = r.findings.iter().filter(|f| f.code == Code::JwtClaimType).map(|f| f.location.clone()).collect();
    assert_eq!(types.len(), 3, "{types:?}");
    assert!(types.contains(&"payload.exp".to_string()));
    let exp = r.claims.iter().find(|c| c.name == "exp").unwrap();
    assert_eq!(exp.seconds, Some(1_800_000_000), "the number in the string is still shown");
}

#[test]
fn claims_out_of_range() {
    for exp in [json!(-5), json!(1_795_420_000_000_000i64), json!(1.795e18)] {
        let r = analyze(&token(json!({"sub": "1", "exp": exp})), None);
        expect(&r, "jwt.claim-out-of-range", Severity::Error);
    }
}

#[test]
fn encrypted_tokens_say_which_framework() {
    let parts = |h: Value| format!("{}..{}.{}.{}", b64(&h), "AAAAAAAAAAAAAAAA", "Y2lwaGVydGV4dA", "dGFndGFndGFndGFn");
    let r = analyze(&parts(json!({"alg": "dir", "enc": "A256GCM"})), None);
    assert_eq!(r.kind, TokenKind::Jwe);
    let d = expect(&r, "jwt.encrypted", Severity::Info);
    assert!(d.contains("NextAuth.js v4"), "{d}");
    assert_eq!(r.signature.status, SignatureStatus::Encrypted);
    let cookie = format!("Cookie: authjs.session-token={}", parts(json!({"alg": "dir", "enc": "A256CBC-HS512", "kid": "x"})));
    let r = analyze(&cookie, None);
    let d = expect(&r, "jwt.encrypted", Severity::Info);
    assert!(d.contains("Auth.js v5") && d.contains("cookie name is Auth.js v5"), "{d}");
    assert_eq!(r.source.cookie_name.as_deref(), Some("authjs.session-token"));
}

#[test]
fn signature_invalid_with_other_secret() {
    let r = analyze(&token(good_claims()), Some("the-secret-of-another-instance-0123456789"));
    let d = expect(&r, "jwt.signature-invalid", Severity::Error);
    assert!(d.contains("different") || d.contains("another secret"), "{d}");
    assert_eq!(r.signature.status, SignatureStatus::Invalid);
    // A changed payload breaks the signature too.
    let t = token(good_claims());
    let mut pieces: Vec<&str> = t.split('.').collect();
    let forged = b64(&json!({"sub": "admin", "exp": NOW + 3600}));
    pieces[1] = &forged;
    let r = analyze(&pieces.join("."), Some(SECRET));
    expect(&r, "jwt.signature-invalid", Severity::Error);
}

#[test]
fn secret_readings() {
    // Signed with the base64-decoded key, verified with the base64 text.
    let key = b"0123456789abcdef0123456789abcdef";
    let t = token_with(json!({"alg": "HS256"}), good_claims(), key);
    let r = analyze(&t, Some(&STANDARD.encode(key)));
    expect(&r, "jwt.signature-valid", Severity::Info);
    expect(&r, "jwt.secret-encoding", Severity::Warning);
    // The base64: prefix says how to read it: no warning.
    let r = analyze(&t, Some(&format!("base64:{}", URL_SAFE_NO_PAD.encode(key))));
    assert_eq!(codes(&r), ["jwt.signature-valid"]);
    // A trailing newline (echo $SECRET > file).
    let r = analyze(&token(good_claims()), Some(&format!("{SECRET}\n")));
    let d = expect(&r, "jwt.secret-encoding", Severity::Warning);
    assert!(d.contains("whitespace or newline"), "{d}");
}

#[test]
fn weak_secret() {
    let t = token_with(json!({"alg": "HS256"}), good_claims(), b"secret");
    let r = analyze(&t, Some("secret"));
    expect(&r, "jwt.weak-secret", Severity::Warning);
    expect(&r, "jwt.signature-valid", Severity::Info);
}

#[test]
fn too_large_for_cookie() {
    let big = "x".repeat(5000);
    let t = token(json!({"sub": "1", "exp": NOW + 600, "iat": NOW, "picture": big}));
    let r = analyze(&format!("Cookie: session={t}"), None);
    expect(&r, "jwt.too-large-for-cookie", Severity::Error);
    let r = analyze(&t, None);
    expect(&r, "jwt.too-large-for-cookie", Severity::Warning);
}

#[test]
fn header_problems() {
    let r = analyze(&token_with(json!({"typ": "JWT"}), good_claims(), b""), None);
    expect(&r, "jwt.missing-alg", Severity::Error);
    let r = analyze(&token_with(json!({"alg": "hs256"}), good_claims(), b""), None);
    let d = expect(&r, "jwt.alg-unknown", Severity::Warning);
    assert!(d.contains("HS256"), "{d}");
    let t = format!("{}.{}.", b64(&json!({"alg": "HS256"})), b64(&good_claims()));
    let r = analyze(&t, None);
    expect(&r, "jwt.signature-missing", Severity::Error);
    let r = analyze(&token_with(json!({"alg": "RS256"}), good_claims(), b""), Some("a secret"));
    expect(&r, "jwt.signature-unverified", Severity::Info);
}

#[test]
fn base64_variants_and_extraction() {
    // 25 bytes of JSON: base64 with two `=` of padding.
    let padded = base64::engine::general_purpose::URL_SAFE.encode(br#"{"alg":"HS256","kid":"a"}"#);
    assert!(padded.ends_with("=="));
    let t = format!("{padded}.{}.c2ln", b64(&good_claims()));
    let r = analyze(&t, None);
    expect(&r, "jwt.base64-variant", Severity::Warning);
    let r = analyze(&format!("Authorization: Bearer {}", token(good_claims())), None);
    let d = expect(&r, "jwt.extracted", Severity::Info);
    assert!(d.contains("Bearer"), "{d}");
    assert_eq!(r.counts.info, 1);
    assert_eq!(r.counts.error + r.counts.warning, 0);
}

#[test]
fn numbers_beyond_javascript_precision_survive() {
    let payload = r#"{"sub":"1","id":18446744073709551615,"big":123456789012345678901234567890,"huge":1e400,"exp":1795423600}"#;
    let t = format!("{}.{}.c2ln", b64(&json!({"alg": "HS256"})), URL_SAFE_NO_PAD.encode(payload));
    let r = analyze(&t, None);
    assert!(r.findings.is_empty(), "{:?}", codes(&r));
    let text = r.payload_text.unwrap();
    for exact in ["18446744073709551615", "123456789012345678901234567890", "1e+400"] {
        assert!(text.contains(exact), "{exact} in {text}");
    }
}

#[test]
fn findings_are_sorted_by_severity() {
    let r = analyze(&token(json!({"iat": NOW, "exp": 3600})), None);
    let sev: Vec<Severity> = r.findings.iter().map(|f| f.severity).collect();
    let mut sorted = sev.clone();
    sorted.sort();
    assert_eq!(sev, sorted);
    assert!(sev.len() >= 2);
}

/// RFC 7520 §4.4: HS256 with the symmetric key of §3.5.
#[test]
fn rfc7520_hmac_vector() {
    let path = concat!(env!("CARGO_MANIFEST_DIR"), "/../shared/corpora/jose-cookbook/jws/4_4.hmac-sha2_integrity_protection.json");
    let text = std::fs::read_to_string(path).unwrap_or_else(|e| panic!("RFC 7520 vectors missing at {path}: {e}"));
    let v: Value = serde_json::from_str(&text).unwrap();
    let compact = v["output"]["compact"].as_str().unwrap();
    let k = v["input"]["key"]["k"].as_str().unwrap();
    let r = analyze(compact, Some(&format!("base64:{k}")));
    assert_eq!(r.signature.status, SignatureStatus::Valid);
    // Its payload is prose, not a claims set: that is reported, the signature still checked.
    expect(&r, "jwt.malformed", Severity::Error);
    let r = analyze(compact, Some(k));
    assert_eq!(r.signature.status, SignatureStatus::Valid, "base64url text is also tried decoded");
}

/// The public-key findings, on tokens jose signed (`tests/fixtures/jws-vectors.json`; every case
/// is checked in full by tests/jws_keys.rs).
#[test]
fn public_key_findings() {
    let path = concat!(env!("CARGO_MANIFEST_DIR"), "/tests/fixtures/jws-vectors.json");
    let v: Value = serde_json::from_str(&std::fs::read_to_string(path).unwrap()).unwrap();
    let options = TokenOptions { now: v["generatedAt"].as_f64().unwrap(), secret: None };
    let analyze_keys = |token: &str, keys: &[String]| {
        let report = analyze_token_with_keys(token, &options, &KeyOptions::default(), keys);
        let mut seen = SEEN.lock().unwrap();
        for f in &report.findings {
            seen.insert(f.code.as_str());
        }
        report
    };
    let case = |kind: &str| v["cases"].as_array().unwrap().iter().find(|c| c["kind"] == kind).unwrap();
    let keys_of = |c: &Value| -> Vec<String> { c["publicKeys"].as_array().unwrap().iter().map(|r| v["keyTexts"][r.as_str().unwrap()].as_str().unwrap().to_string()).collect() };
    for (kind, code, severity) in [
        ("kid-not-found", "jwt.key-not-found", Severity::Error),
        ("key-mismatch", "jwt.key-mismatch", Severity::Error),
        ("alg-key-confusion-forged", "jwt.alg-key-confusion", Severity::Error),
        ("ecdsa-der", "jwt.ecdsa-der-signature", Severity::Error),
        ("weak-key", "jwt.weak-key", Severity::Error),
    ] {
        let c = case(kind);
        let r = analyze_keys(c["token"].as_str().unwrap(), &keys_of(c));
        expect(&r, code, severity);
    }
    // A key that cannot be read, and a private key where a public one belongs.
    let valid = case("valid");
    let r = analyze_keys(valid["token"].as_str().unwrap(), &["{\"kty\":\"RSA\",\"n\":\"AQAB\"}".to_string()]);
    expect(&r, "jwt.key-unreadable", Severity::Warning);
    assert_eq!(r.signature.status, SignatureStatus::NotChecked);
    let r = analyze_keys(valid["token"].as_str().unwrap(), &["-----BEGIN PRIVATE KEY-----\nMC4CAQAwBQYDK2VwBCIEINTuctv5E1hK1bbY8fdp+K06/nwoy/HU++CXqI9EdVhC\n-----END PRIVATE KEY-----".to_string()]);
    expect(&r, "jwt.private-key-given", Severity::Warning);
}

/// Runs last by name order within this binary is not guaranteed, so it triggers every case itself.
#[test]
fn every_jwt_code_is_exercised() {
    // Re-run each trigger test body so the check does not depend on test order.
    clean_token_with_right_secret_is_only_signature_valid();
    malformed_inputs();
    too_large_input_is_refused_quickly();
    alg_none();
    expired_and_expiring();
    not_yet_valid_and_iat_in_future();
    exp_in_milliseconds_date_now_plus_3600();
    iat_and_nbf_in_milliseconds();
    exp_as_duration();
    exp_before_iat();
    missing_exp_and_sub();
    long_lived_access_token();
    claim_types();
    claims_out_of_range();
    encrypted_tokens_say_which_framework();
    signature_invalid_with_other_secret();
    secret_readings();
    weak_secret();
    too_large_for_cookie();
    header_problems();
    base64_variants_and_extraction();
    public_key_findings();
    let seen = SEEN.lock().unwrap().clone();
    let missing: Vec<&str> = Code::ALL.iter().map(|c| c.as_str()).filter(|c| c.starts_with("jwt.") && !seen.contains(c)).collect();
    assert!(missing.is_empty(), "codes no test triggers: {missing:?}");
}
