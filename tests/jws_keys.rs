//! Signatures verified with public keys: RFC 7520's JWS vectors (§4.1 RS256, §4.2 PS384, §4.3
//! ES512, §4.4 HS256 with its symmetric JWK) and RFC 8037's Ed25519 vector, each with its own key
//! and with another key; and tokens signed by jose (`tests/fixtures/jws-vectors.json`, made by
//! `tests/jws/make-vectors.mjs`) for every RS/PS/ES/EdDSA algorithm with the keys as JWK, JWK Set,
//! SPKI PEM, PKCS#1 PEM and X.509 certificate, with the mistakes people make, checked against
//! jose's own verdicts.
#![allow(clippy::unwrap_used, clippy::expect_used, clippy::indexing_slicing, clippy::panic)]

use base64::engine::general_purpose::URL_SAFE_NO_PAD;
use base64::Engine;
use cookie_inspector::finding::{Code, Severity};
use cookie_inspector::jose::signature::SignatureStatus;
use cookie_inspector::jose::{analyze_token_with, analyze_token_with_keys, KeyOptions, TokenOptions, TokenReport};
use serde_json::Value;

const COOKBOOK: &str = concat!(env!("CARGO_MANIFEST_DIR"), "/../shared/corpora/jose-cookbook");
const VECTORS: &str = concat!(env!("CARGO_MANIFEST_DIR"), "/tests/fixtures/jws-vectors.json");

fn read_json(path: &str) -> Value {
    let text = std::fs::read_to_string(path).unwrap_or_else(|e| panic!("cannot read {path}: {e}"));
    serde_json::from_str(&text).unwrap()
}

fn analyze(token: &str, now: f64, public_keys: &[String]) -> TokenReport {
    analyze_token_with_keys(token, &TokenOptions { now, secret: None }, &KeyOptions::default(), public_keys)
}

fn codes(r: &TokenReport) -> Vec<&'static str> {
    r.findings.iter().map(|f| f.code.as_str()).collect()
}

fn finding(r: &TokenReport, code: Code) -> Option<&cookie_inspector::finding::Finding> {
    r.findings.iter().find(|f| f.code == code)
}

fn has(r: &TokenReport, code: Code, severity: Severity) -> bool {
    r.findings.iter().any(|f| f.code == code && f.severity == severity)
}

/// A JWK without its private members (RFC 7518 §6.2.2, §6.3.2; RFC 8037 §2).
fn public_jwk(key: &Value) -> String {
    let mut key = key.clone();
    for member in ["d", "p", "q", "dp", "dq", "qi"] {
        key.as_object_mut().unwrap().remove(member);
    }
    key.to_string()
}

/// Flips one bit of the signature part.
fn tamper_signature(token: &str) -> String {
    let (input, sig) = token.rsplit_once('.').unwrap();
    let mut bytes = URL_SAFE_NO_PAD.decode(sig).unwrap();
    let middle = bytes.len() / 2;
    bytes[middle] ^= 0x10;
    format!("{input}.{}", URL_SAFE_NO_PAD.encode(bytes))
}

/// RFC 7520 §4.1–4.4 and RFC 8037 §A.4: each verifies with its public key (and the private JWK
/// as given, with a finding), and fails with another key of the same type and with one bit changed.
#[test]
fn rfc7520_vectors_verify_with_their_keys() {
    let generated = read_json(VECTORS);
    let other = |kty: &str| -> String {
        let reference = match kty {
            "RSA" => "jwk:rsa-other",
            "EC" => "jwk:p521-other",
            "OKP" => "jwk:ed25519-other",
            _ => "jwk:oct-other",
        };
        generated["keyTexts"][reference].as_str().unwrap().to_string()
    };
    let mut paths: Vec<String> = std::fs::read_dir(format!("{COOKBOOK}/jws"))
        .unwrap_or_else(|e| panic!("RFC 7520 vectors missing at {COOKBOOK}: {e}"))
        .map(|e| e.unwrap().path().to_string_lossy().to_string())
        .filter(|p| p.ends_with(".json"))
        .collect();
    paths.sort();
    paths.push(format!("{COOKBOOK}/curve25519/jws.json"));

    let (mut verified, mut rejected, mut total) = (0, 0, 0);
    for path in &paths {
        let v = read_json(path);
        let name = path.rsplit('/').next().unwrap();
        let token = v["output"]["compact"].as_str().unwrap();
        let alg = v["input"]["alg"].as_str().unwrap();
        let key = &v["input"]["key"];
        let kty = key["kty"].as_str().unwrap();
        total += 1;

        let r = analyze(token, 0.0, &[public_jwk(key)]);
        assert_eq!(r.signature.status, SignatureStatus::Valid, "{name} ({alg}): {} {:?}", r.signature.detail, codes(&r));
        assert!(has(&r, Code::JwtSignatureValid, Severity::Info), "{name}");
        assert_eq!(r.signature.alg.as_deref(), Some(alg));

        // The private JWK as the vector gives it: its public part verifies, and that is said.
        let r = analyze(token, 0.0, &[key.to_string()]);
        assert_eq!(r.signature.status, SignatureStatus::Valid, "{name} with the private JWK");
        assert_eq!(has(&r, Code::JwtPrivateKeyGiven, Severity::Warning), kty != "oct", "{name}");

        // Another key of the same type, and one changed bit: never valid.
        let wrong = analyze(token, 0.0, &[other(kty)]);
        let tampered = analyze(&tamper_signature(token), 0.0, &[public_jwk(key)]);
        for (what, r) in [("another key", &wrong), ("a changed bit", &tampered)] {
            assert_eq!(r.signature.status, SignatureStatus::Invalid, "{name} with {what}: {}", r.signature.detail);
            assert!(has(r, Code::JwtSignatureInvalid, Severity::Error), "{name} with {what}: {:?}", codes(r));
            assert!(!has(r, Code::JwtSignatureValid, Severity::Info), "{name} with {what}");
        }
        verified += 1;
        rejected += 1;
    }
    assert_eq!(total, 5, "RFC 7520 §4.1–4.4 and the Ed25519 vector");
    eprintln!("RFC 7520 / RFC 8037 JWS vectors: {verified}/{total} verify with their key; {rejected}/{total} rejected with another key");
}

/// The §4.1 RS256 vector with the key as PEM would need DER encoding here; instead every form is
/// checked on jose's tokens below. This checks the `kid` path on RFC 7520's own JWK Set shape.
#[test]
fn rfc7520_key_in_a_jwk_set_by_kid() {
    let v = read_json(&format!("{COOKBOOK}/jws/4_1.rsa_v15_signature.json"));
    let token = v["output"]["compact"].as_str().unwrap();
    let key = public_jwk(&v["input"]["key"]);
    let generated = read_json(VECTORS);
    let jwks = format!("{{\"keys\":[{},{key}]}}", generated["keyTexts"]["jwk:rsa-other"].as_str().unwrap());
    let r = analyze(token, 0.0, &[jwks]);
    assert_eq!(r.signature.status, SignatureStatus::Valid, "{}", r.signature.detail);
    assert!(r.signature.detail.contains("bilbo.baggins@hobbiton.example") && r.signature.detail.contains("the key its kid names"), "{}", r.signature.detail);
}

/// What each kind of case must give; `jose` is what jose's jwtVerify said when the file was made.
#[test]
fn jose_tokens_with_every_key_form() {
    let v = read_json(VECTORS);
    let now = v["generatedAt"].as_f64().unwrap();
    let texts = v["keyTexts"].as_object().unwrap();
    let (mut agree, mut total) = (0, 0);
    for case in v["cases"].as_array().unwrap() {
        let kind = case["kind"].as_str().unwrap();
        let token = case["token"].as_str().unwrap();
        let jose = case["jose"].as_str().unwrap();
        let refs: Vec<&str> = case["publicKeys"].as_array().unwrap().iter().map(|r| r.as_str().unwrap()).collect();
        let keys: Vec<String> = refs.iter().map(|r| texts[*r].as_str().unwrap().to_string()).collect();
        let what = format!("{kind} {} with {refs:?} ({})", case["alg"], case["note"]);
        let r = analyze(token, now, &keys);
        let status = r.signature.status;
        let msg = format!("{what}: {status:?} {} {:?}", r.signature.detail, codes(&r));
        assert!(!has(&r, Code::JwtKeyUnreadable, Severity::Warning), "{msg}");

        match kind {
            "valid" => {
                assert_eq!(status, SignatureStatus::Valid, "{msg}");
                assert!(has(&r, Code::JwtSignatureValid, Severity::Info), "{msg}");
                assert!(r.findings.iter().all(|f| f.severity == Severity::Info), "{msg}");
            }
            "invalid" => {
                assert_eq!(status, SignatureStatus::Invalid, "{msg}");
                assert!(has(&r, Code::JwtSignatureInvalid, Severity::Error), "{msg}");
            }
            "kid-not-found" => {
                assert_eq!(status, SignatureStatus::Invalid, "{msg}");
                let f = finding(&r, Code::JwtKeyNotFound).expect(&msg);
                assert_eq!(f.severity, Severity::Error);
                assert!(f.detail.contains("\"rsa-2025\"") && f.detail.contains("rotated") && f.detail.contains("\"rsa-2026\""), "{}", f.detail);
                assert!(!has(&r, Code::JwtSignatureInvalid, Severity::Error), "one error for one cause: {msg}");
            }
            "kid-not-found-but-verifies" => {
                // The signature is right, but a verifier looking the key up by kid rejects it.
                assert_eq!(status, SignatureStatus::Valid, "{msg}");
                let f = finding(&r, Code::JwtKeyNotFound).expect(&msg);
                assert_eq!(f.severity, Severity::Error);
                assert!(f.detail.contains("\"rsa-renamed\"") && f.detail.contains("Yet JWKS key 1 (kid \"rsa-2026\""), "{}", f.detail);
            }
            "no-kid-several-fit" => {
                assert_eq!(status, SignatureStatus::Valid, "{msg}");
                let f = finding(&r, Code::JwtKeyNotFound).expect(&msg);
                assert_eq!(f.severity, Severity::Warning);
                assert!(f.detail.contains("ERR_JWKS_MULTIPLE_MATCHING_KEYS"), "{}", f.detail);
            }
            "key-mismatch" => {
                assert_eq!(status, SignatureStatus::Invalid, "{msg}");
                assert!(has(&r, Code::JwtKeyMismatch, Severity::Error), "{msg}");
                assert!(!has(&r, Code::JwtSignatureInvalid, Severity::Error), "{msg}");
            }
            "rs-ps-swapped" => {
                assert_eq!(status, SignatureStatus::Invalid, "{msg}");
                let f = finding(&r, Code::JwtSignatureInvalid).expect(&msg);
                assert!(f.detail.contains("it is a valid RS256 signature with this key"), "{}", f.detail);
            }
            "alg-key-confusion-forged" | "alg-key-confusion" => {
                assert_eq!(status, SignatureStatus::Invalid, "{msg}");
                let f = finding(&r, Code::JwtAlgKeyConfusion).expect(&msg);
                assert_eq!(f.severity, Severity::Error);
                assert_eq!(f.title.starts_with("Forged"), kind == "alg-key-confusion-forged", "{}", f.title);
                assert!(f.fix.contains("algorithms: ['RS256']"), "{}", f.fix);
            }
            "ecdsa-der" | "ecdsa-der-wrong-key" => {
                assert_eq!(status, SignatureStatus::Invalid, "{msg}");
                let f = finding(&r, Code::JwtEcdsaDerSignature).expect(&msg);
                assert_eq!(f.severity, Severity::Error);
                assert_eq!(f.detail.contains("only its encoding is wrong"), kind == "ecdsa-der", "{}", f.detail);
                assert!(f.spec.contains("RFC 7518 §3.4"));
            }
            "weak-key" => {
                assert_eq!(status, SignatureStatus::Valid, "{msg}");
                assert!(has(&r, Code::JwtWeakKey, Severity::Error), "{msg}");
            }
            "signature-missing" => {
                assert_eq!(status, SignatureStatus::Missing, "{msg}");
                assert!(has(&r, Code::JwtSignatureMissing, Severity::Error), "{msg}");
            }
            "alg-none" => {
                assert_eq!(status, SignatureStatus::Unsigned, "{msg}");
                assert!(has(&r, Code::JwtAlgNone, Severity::Error), "{msg}");
            }
            other => panic!("unknown case kind {other}"),
        }
        // Never valid where jose says no, unless a finding says why a verifier rejects it; and
        // valid wherever jose says valid.
        total += 1;
        let explained = has(&r, Code::JwtKeyNotFound, Severity::Error) || has(&r, Code::JwtKeyNotFound, Severity::Warning) || has(&r, Code::JwtWeakKey, Severity::Error);
        if (status == SignatureStatus::Valid) == (jose == "valid") {
            agree += 1;
        } else {
            assert!(status == SignatureStatus::Valid && explained, "jose says {jose}: {msg}");
        }
        // A changed token never verifies.
        if status == SignatureStatus::Valid {
            let t = analyze(&tamper_signature(token), now, &keys);
            assert_ne!(t.signature.status, SignatureStatus::Valid, "{what} with a changed bit");
        }
    }
    eprintln!("jose vectors: {total} cases; our verdict equals jose's in {agree}, the rest are valid signatures a kid lookup or jose's key-size rule rejects, each with its finding");
}

/// A secret given next to the public keys of an RS256 token is not reported as unused.
#[test]
fn secret_next_to_public_keys_is_not_noise() {
    let v = read_json(VECTORS);
    let case = v["cases"].as_array().unwrap().iter().find(|c| c["kind"] == "valid" && c["alg"] == "RS256").unwrap();
    let key = v["keyTexts"][case["publicKeys"][0].as_str().unwrap()].as_str().unwrap().to_string();
    let options = TokenOptions { now: v["generatedAt"].as_f64().unwrap(), secret: Some("an-hmac-secret".into()) };
    let r = analyze_token_with_keys(case["token"].as_str().unwrap(), &options, &KeyOptions::default(), &[key]);
    assert_eq!(r.signature.status, SignatureStatus::Valid);
    assert!(!codes(&r).contains(&"jwt.signature-unverified"), "{:?}", codes(&r));
    // Without keys, analyze_token_with is what it was: not checked.
    let r = analyze_token_with(case["token"].as_str().unwrap(), &options, &KeyOptions::default());
    assert_eq!(r.signature.status, SignatureStatus::Unsupported);
}

/// Unreadable keys through the whole analysis: findings, no verdict, no panic.
#[test]
fn unreadable_keys_leave_the_token_unchecked() {
    let v = read_json(VECTORS);
    let case = v["cases"].as_array().unwrap().iter().find(|c| c["kind"] == "valid" && c["alg"] == "ES256").unwrap();
    let token = case["token"].as_str().unwrap();
    let now = v["generatedAt"].as_f64().unwrap();
    let pem = v["keyTexts"]["spki:p256"].as_str().unwrap();
    let bad = [
        "{\"kty\":\"EC\",\"crv\":\"P-256\",\"x\":\"AAAA\",\"y\":\"AAAA\"}".to_string(),
        "{not json".to_string(),
        pem.replace("-----END PUBLIC KEY-----", ""),
        pem.replacen('M', "*", 1),
        pem.get(..pem.len() / 2).unwrap().to_string() + "\n-----END PUBLIC KEY-----",
        "\u{202e}".repeat(5),
    ];
    for key in &bad {
        let r = analyze(token, now, std::slice::from_ref(key));
        assert_eq!(r.signature.status, SignatureStatus::NotChecked, "{key}: {}", r.signature.detail);
        assert!(has(&r, Code::JwtKeyUnreadable, Severity::Warning), "{key}: {:?}", codes(&r));
        // Untrusted text is quoted with bidi controls escaped.
        assert!(r.findings.iter().all(|f| !f.detail.contains('\u{202e}')));
    }
    // A bad key next to a good one: the good one verifies.
    let r = analyze(token, now, &[bad[0].clone(), pem.to_string()]);
    assert_eq!(r.signature.status, SignatureStatus::Valid, "{}", r.signature.detail);
    assert!(has(&r, Code::JwtKeyUnreadable, Severity::Warning));
}

/// Every prefix of a JWK Set, a PEM key and a certificate, and every one-byte change of a PEM
/// key's body: read or reported, never a panic, and never "valid" for the wrong key.
#[test]
fn cut_and_changed_keys_never_panic() {
    let v = read_json(VECTORS);
    let case = v["cases"].as_array().unwrap().iter().find(|c| c["kind"] == "valid" && c["alg"] == "ES256").unwrap();
    let token = case["token"].as_str().unwrap();
    let now = v["generatedAt"].as_f64().unwrap();
    let texts = &v["keyTexts"];
    for reference in ["jwks", "spki:p256", "cert:p256", "pkcs1:rsa"] {
        let text = texts[reference].as_str().unwrap();
        for cut in (0..text.trim_end().len()).filter(|i| text.is_char_boundary(*i)) {
            let r = analyze(token, now, &[text[..cut].to_string()]);
            assert_ne!(r.signature.status, SignatureStatus::Valid, "{reference} cut at {cut}");
        }
    }
    let pem = texts["spki:p256"].as_str().unwrap();
    let mut verified = 0;
    for i in 27..pem.len() - 26 {
        let mut bytes = pem.as_bytes().to_vec();
        bytes[i] = if bytes[i] == b'A' { b'B' } else { b'A' };
        let r = analyze(token, now, &[String::from_utf8(bytes).unwrap()]);
        verified += usize::from(r.signature.status == SignatureStatus::Valid);
    }
    // Only changes that leave the key's point as it was may still verify (base64 slack bits).
    assert!(verified < 4, "{verified} changed keys verified");
}
