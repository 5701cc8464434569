//! Signature checks (RFC 7515 §5.2, RFC 7518 §3): HMAC with a secret the user gives.
//!
//! "Signed out at random" is very often two machines with different secrets: one instance signs,
//! another verifies. So when the signature does not match we try the readings of the secret people
//! actually mix up — text vs base64, a trailing newline from `echo` — and say which one matched.
//! Comparison is constant-time (`Mac::verify_slice`), though the secret never leaves this machine
//! anyway.
//!
//! RS*, PS*, ES* and EdDSA need the issuer's public key: without one they are reported as not
//! checked, and a secret given for them as not used (`jwt.signature-unverified`); with one,
//! [`super::verify`] checks them.

use crate::finding::{quote, Code, Finding, Severity};
use base64::engine::general_purpose::{STANDARD, STANDARD_NO_PAD, URL_SAFE, URL_SAFE_NO_PAD};
use base64::Engine;
use hmac::{Hmac, Mac};
use serde::Serialize;
use sha2::{Sha256, Sha384, Sha512};

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "kebab-case")]
pub enum SignatureStatus {
    /// Matches the given secret or key.
    Valid,
    /// Does not match the given secret or key (or no key given fits: see the findings).
    Invalid,
    /// Signed, but no key was given.
    NotChecked,
    /// `alg: none`.
    Unsigned,
    /// `alg` names a signature but the signature part is empty.
    Missing,
    /// An algorithm this version cannot verify, or an unknown one.
    Unsupported,
    /// A JWE: there is no signature, the content is encrypted.
    Encrypted,
    /// Nothing to check: the token could not be read.
    None,
}

#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct SignatureCheck {
    pub status: SignatureStatus,
    pub alg: Option<String>,
    pub detail: String,
}

/// The JWS algorithms of RFC 7518 §3.1 (and RFC 8037's EdDSA, RFC 8812's ES256K, RFC 9864's
/// fully-specified Ed25519 and Ed448).
const KNOWN_ALGS: [&str; 17] = [
    "HS256", "HS384", "HS512", "RS256", "RS384", "RS512", "ES256", "ES384", "ES512", "PS256", "PS384", "PS512",
    "EdDSA", "ES256K", "Ed25519", "Ed448", "none",
];

/// One way of reading the secret the user typed.
struct Reading {
    key: Vec<u8>,
    how: &'static str,
}

/// Checks a JWS signature. `signing_input` is `header.payload` as ASCII (RFC 7515 §5.2 step 8).
pub fn check(
    alg: Option<&str>,
    signing_input: &[u8],
    signature: &[u8],
    secret: Option<&str>,
    findings: &mut Vec<Finding>,
) -> SignatureCheck {
    let Some(alg) = alg else {
        return SignatureCheck { status: SignatureStatus::Unsupported, alg: None, detail: "The header names no algorithm.".into() };
    };
    let owned_alg = Some(alg.to_string());
    if alg.eq_ignore_ascii_case("none") {
        findings.push(Finding::new(
            Code::JwtAlgNone,
            Severity::Error,
            "header.alg",
            "Unsigned token (alg: none)",
            format!(
                "The header says {}: the token carries no signature{}, so anyone can write one with any sub and any exp. A verifier that accepts it lets every visitor forge a session; correct libraries reject it, so either the issuer is misconfigured or the verifier is dangerously permissive.",
                quote(alg, 12),
                if signature.is_empty() { "" } else { " (yet the signature part is not empty)" }
            ),
            "Sign the token (e.g. new SignJWT(claims).setProtectedHeader({ alg: 'HS256' }).sign(key)) and pin the accepted algorithms when verifying: jwtVerify(token, key, { algorithms: ['HS256'] }).",
            "RFC 7518 §3.6, RFC 8725 §3.1",
        ));
        return SignatureCheck { status: SignatureStatus::Unsigned, alg: owned_alg, detail: "alg is none: there is nothing to verify.".into() };
    }
    if !KNOWN_ALGS.contains(&alg) {
        let hint = KNOWN_ALGS.iter().find(|k| k.eq_ignore_ascii_case(alg));
        findings.push(Finding::new(
            Code::JwtAlgUnknown,
            Severity::Warning,
            "header.alg",
            "Unknown signing algorithm",
            format!(
                "alg is {}, which is not a registered JWS algorithm{}. Verifiers reject the token.",
                quote(alg, 40),
                hint.map(|k| format!(" (algorithm names are case-sensitive: did you mean {k}?)")).unwrap_or_default()
            ),
            format!("Use a registered name, e.g. {}.", hint.copied().unwrap_or("HS256 or RS256")),
            "RFC 7518 §3.1, RFC 7515 §4.1.1",
        ));
        return SignatureCheck { status: SignatureStatus::Unsupported, alg: owned_alg, detail: "Unknown algorithm: not verified.".into() };
    }
    if signature.is_empty() {
        findings.push(Finding::new(
            Code::JwtSignatureMissing,
            Severity::Error,
            "signature",
            "The signature is missing",
            format!("The header says {alg}, but the signature part (after the second dot) is empty. Verifiers reject the token. It was probably cut when copied, or stripped on purpose."),
            "Copy the whole token, including the part after the second dot.",
            "RFC 7515 §7.1",
        ));
        return SignatureCheck { status: SignatureStatus::Missing, alg: owned_alg, detail: "The signature part is empty.".into() };
    }
    let Some(secret) = secret.filter(|s| !s.is_empty()) else {
        let detail = if alg.starts_with("HS") {
            format!("Signed with {alg} (HMAC). Enter the secret to check it: a mismatch is the classic \"signed out at random\" cause (instances with different secrets).")
        } else {
            format!("Signed with {alg}; checking it needs the issuer's public key.")
        };
        return SignatureCheck { status: SignatureStatus::NotChecked, alg: owned_alg, detail };
    };
    let Some(hash_bytes) = hmac_size(alg) else {
        findings.push(Finding::new(
            Code::JwtSignatureUnverified,
            Severity::Info,
            "signature",
            format!("{alg} needs a public key, not a secret"),
            format!("{alg} is an asymmetric algorithm: it is verified with the issuer's public key (its JWKS), not with a shared secret, so the secret you entered was not used. Give the public key (a JWK, the JWKS or PEM) to verify it."),
            "Verify with the issuer's JWKS, e.g. jwtVerify(token, createRemoteJWKSet(new URL('https://issuer/.well-known/jwks.json'))).",
            "RFC 7518 §3.1",
        ));
        return SignatureCheck { status: SignatureStatus::Unsupported, alg: owned_alg, detail: format!("{alg} needs a public key; not verified.") };
    };

    let readings = secret_readings(secret, findings);
    let matched = readings.iter().position(|r| hmac_matches(alg, &r.key, signing_input, signature));
    let first_how = readings.first().map_or("as text", |r| r.how);
    let tried: Vec<&str> = readings.iter().map(|r| r.how).collect();
    let weak_key = matched.and_then(|i| readings.get(i)).or(readings.first()).map_or(0, |r| r.key.len());
    if weak_key < hash_bytes {
        findings.push(Finding::new(
            Code::JwtWeakSecret,
            Severity::Warning,
            "signature",
            "The HMAC secret is too short",
            format!("The secret is {weak_key} bytes; {alg} needs at least {hash_bytes}. Short secrets can be brute-forced offline from any one token, and then anyone can mint sessions."),
            "Generate a long random secret: openssl rand -base64 32 (and set it the same on every instance).",
            "RFC 7518 §3.2",
        ));
    }
    match matched.and_then(|i| readings.get(i)) {
        Some(reading) => {
            findings.push(Finding::new(
                Code::JwtSignatureValid,
                Severity::Info,
                "signature",
                "The signature matches the secret",
                format!("The {alg} signature matches the secret read {}. The token was made with this secret and has not been changed.", reading.how),
                "",
                "RFC 7515 §5.2",
            ));
            if reading.how != first_how {
                findings.push(Finding::new(
                    Code::JwtSecretEncoding,
                    Severity::Warning,
                    "signature",
                    "The secret matches only when read differently",
                    format!(
                        "The signature does not match the secret {first_how}, but does when it is read {}. If the issuer and the verifier read the secret differently (one decodes base64, the other uses the text; a trailing newline from `echo` in one environment), one signs tokens the other rejects.",
                        reading.how
                    ),
                    "Read the secret the same way everywhere: either Buffer.from(secret, 'base64') on both sides, or new TextEncoder().encode(secret) on both, and store it without a trailing newline (printf, not echo).",
                    "RFC 7518 §3.2",
                ));
            }
            SignatureCheck { status: SignatureStatus::Valid, alg: owned_alg, detail: format!("Matches the secret read {}.", reading.how) }
        }
        None => {
            findings.push(Finding::new(
                Code::JwtSignatureInvalid,
                Severity::Error,
                "signature",
                "Signed with a different secret",
                format!(
                    "The {alg} signature does not match the secret you entered (tried it {}). The token was signed with another secret — or changed after signing. This is the classic \"logged in, then randomly logged out\": one instance signs with its secret and another verifies with a different one (a per-instance fallback secret when NEXTAUTH_SECRET/AUTH_SECRET/JWT_SECRET is unset, a secret rotated on some instances only, different values in preview and production).",
                    tried.join(", ")
                ),
                "Set one secret for every instance and environment (e.g. AUTH_SECRET in the deployment's environment, not generated at start-up); when rotating, verify with both old and new secrets until old tokens expire.",
                "RFC 7515 §5.2, RFC 7518 §3.2",
            ));
            SignatureCheck { status: SignatureStatus::Invalid, alg: owned_alg, detail: format!("Does not match the secret (tried it {}).", tried.join(", ")) }
        }
    }
}

/// HMAC output size in bytes, for the HS algorithms.
fn hmac_size(alg: &str) -> Option<usize> {
    match alg {
        "HS256" => Some(32),
        "HS384" => Some(48),
        "HS512" => Some(64),
        _ => None,
    }
}

/// Whether the HMAC (`HS256`/`HS384`/`HS512`) of `input` with `key` is `signature`.
pub(crate) fn hmac_matches(alg: &str, key: &[u8], input: &[u8], signature: &[u8]) -> bool {
    // new_from_slice accepts any key length for HMAC; verify_slice compares in constant time.
    match alg {
        "HS256" => Hmac::<Sha256>::new_from_slice(key).is_ok_and(|mut m| {
            m.update(input);
            m.verify_slice(signature).is_ok()
        }),
        "HS384" => Hmac::<Sha384>::new_from_slice(key).is_ok_and(|mut m| {
            m.update(input);
            m.verify_slice(signature).is_ok()
        }),
        "HS512" => Hmac::<Sha512>::new_from_slice(key).is_ok_and(|mut m| {
            m.update(input);
            m.verify_slice(signature).is_ok()
        }),
        _ => false,
    }
}

/// The readings of a typed secret, the one it was given as first.
///
/// `base64:…` is read as base64 (or base64url) only. Otherwise: the text; the text without
/// surrounding whitespace; and, if it is valid base64/base64url of at least 16 bytes, its decoding.
fn secret_readings(secret: &str, findings: &mut Vec<Finding>) -> Vec<Reading> {
    if let Some(rest) = secret.strip_prefix("base64:") {
        if let Some(key) = decode_any_base64(rest.trim()) {
            return vec![Reading { key, how: "as base64 (base64: prefix)" }];
        }
        findings.push(Finding::new(
            Code::JwtSecretEncoding,
            Severity::Warning,
            "signature",
            "The secret after base64: is not base64",
            "The secret starts with base64: but the rest is not valid base64 or base64url, so it was used as text, prefix included.",
            "Give the secret as plain text, or as base64: followed by its base64 encoding.",
            "RFC 4648 §4, §5",
        ));
        return vec![Reading { key: secret.as_bytes().to_vec(), how: "as text" }];
    }
    let mut readings = vec![Reading { key: secret.as_bytes().to_vec(), how: "as text" }];
    let trimmed = secret.trim();
    if trimmed.len() != secret.len() {
        readings.push(Reading { key: trimmed.as_bytes().to_vec(), how: "as text without its surrounding whitespace or newline" });
    }
    if let Some(key) = decode_any_base64(trimmed).filter(|k| k.len() >= 16) {
        readings.push(Reading { key, how: "as base64" });
    }
    readings
}

fn decode_any_base64(text: &str) -> Option<Vec<u8>> {
    [&URL_SAFE_NO_PAD, &URL_SAFE, &STANDARD, &STANDARD_NO_PAD].iter().find_map(|e| e.decode(text).ok())
}
