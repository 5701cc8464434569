//! Signature checks with keys the caller gives (RFC 7515 §5.2): RS256/384/512 (RFC 7518 §3.3),
//! ES256/384/512 (§3.4), PS256/384/512 (§3.5), EdDSA with Ed25519 (RFC 8037 §3.1) and its
//! fully-specified name Ed25519 (RFC 9864 §2.2), and
//! HS256/384/512 with a symmetric JWK (RFC 7518 §3.2). The keys are read by [`super::keys`].
//!
//! The key is picked as a verifier picks it: the one the token's `kid` names (RFC 7515 §4.1.4,
//! RFC 7517 §5); without a `kid`, or when no key has it, every key that fits the `alg` is tried
//! and the report says which one verified. What goes wrong in practice gets its own finding:
//!
//! - `jwt.key-not-found`: the `kid` is not among the keys: the issuer rotated its signing key, or
//!   the token is from another issuer or environment;
//! - `jwt.key-mismatch`: no key fits the `alg` (an EC key for RS256, P-256 for ES384, a JWK
//!   whose own `alg`, `use` or `key_ops` rules it out);
//! - `jwt.alg-key-confusion`: an HS* token checked against a public key, the algorithm-confusion
//!   attack (RFC 8725 §2.1), with a check whether the token is HMAC-signed with the public key's
//!   PEM text itself;
//! - `jwt.ecdsa-der-signature`: an ES* signature in ASN.1 DER, a crypto library's default output,
//!   where JOSE requires the fixed-size `R || S` (RFC 7518 §3.4); the DER is decoded and checked
//!   too, to tell "only the encoding is wrong" from "wrong key";
//! - `jwt.weak-key`: an RSA key under 2048 bits (RFC 7518 §3.3, §3.5).
//!
//! `alg: none`, an empty signature and an unknown `alg` are never checked here, so they can never
//! be reported valid. Verification needs no randomness and holds no secret but an `oct` key.
//!
//! Incomplete support: ES256K and Ed448 (as a key or as RFC 9864's `alg`) are not verified
//! (`jwt.signature-unverified`).

use super::keys::{self, Material, PublicKey};
use super::signature::{hmac_matches, SignatureCheck, SignatureStatus};
use crate::finding::{quote, Code, Finding, Severity};
use der::asn1::{AnyRef, UintRef};
use der::{Decode, Reader, SliceReader, Tag, Tagged};
use p256::ecdsa::signature::Verifier;
use rsa::traits::PublicKeyParts;
use rsa::{Pkcs1v15Sign, Pss, RsaPublicKey};
use sha2::{Digest, Sha256, Sha384, Sha512};

/// How many keys a message lists one by one; the rest are counted.
const KEYS_LISTED: usize = 8;

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Hash {
    Sha256,
    Sha384,
    Sha512,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Curve {
    P256,
    P384,
    P521,
}

impl Curve {
    /// The size of one of R and S, in bytes (RFC 7518 §3.4).
    fn field_len(self) -> usize {
        match self {
            Curve::P256 => 32,
            Curve::P384 => 48,
            Curve::P521 => 66,
        }
    }

    fn name(self) -> &'static str {
        match self {
            Curve::P256 => "P-256",
            Curve::P384 => "P-384",
            Curve::P521 => "P-521",
        }
    }
}

/// What an `alg` needs.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Family {
    Hmac,
    RsaPkcs1(Hash),
    RsaPss(Hash),
    Ecdsa(Curve),
    Ed25519,
}

impl Family {
    fn of(alg: &str) -> Option<Family> {
        Some(match alg {
            "HS256" | "HS384" | "HS512" => Family::Hmac,
            "RS256" => Family::RsaPkcs1(Hash::Sha256),
            "RS384" => Family::RsaPkcs1(Hash::Sha384),
            "RS512" => Family::RsaPkcs1(Hash::Sha512),
            "PS256" => Family::RsaPss(Hash::Sha256),
            "PS384" => Family::RsaPss(Hash::Sha384),
            "PS512" => Family::RsaPss(Hash::Sha512),
            "ES256" => Family::Ecdsa(Curve::P256),
            "ES384" => Family::Ecdsa(Curve::P384),
            "ES512" => Family::Ecdsa(Curve::P521),
            // RFC 9864 §2.2: "Ed25519" names the curve as well; "EdDSA" (deprecated) does not.
            "EdDSA" | "Ed25519" => Family::Ed25519,
            _ => return None,
        })
    }

    /// The spec section of the algorithm.
    fn spec(self) -> &'static str {
        match self {
            Family::Hmac => "RFC 7518 §3.2",
            Family::RsaPkcs1(_) => "RFC 7518 §3.3",
            Family::Ecdsa(_) => "RFC 7518 §3.4",
            Family::RsaPss(_) => "RFC 7518 §3.5",
            Family::Ed25519 => "RFC 8037 §3.1",
        }
    }

    /// The key it needs, in words.
    fn needs(self) -> String {
        match self {
            Family::Hmac => "a symmetric key (kty oct)".into(),
            Family::RsaPkcs1(_) | Family::RsaPss(_) => "an RSA key (kty RSA)".into(),
            Family::Ecdsa(c) => format!("an EC {0} key (kty EC, crv {0})", c.name()),
            Family::Ed25519 => "an Ed25519 key (kty OKP, crv Ed25519)".into(),
        }
    }

    fn takes(self, material: &Material) -> bool {
        matches!(
            (self, material),
            (Family::Hmac, Material::Oct(_))
                | (Family::RsaPkcs1(_) | Family::RsaPss(_), Material::Rsa(_))
                | (Family::Ecdsa(Curve::P256), Material::P256(_))
                | (Family::Ecdsa(Curve::P384), Material::P384(_))
                | (Family::Ecdsa(Curve::P521), Material::P521(_))
                | (Family::Ed25519, Material::Ed25519(_))
        )
    }
}

/// The algorithm a public key signs with, for a fix's `algorithms: [...]`.
fn alg_for(material: &Material) -> &'static str {
    match material {
        Material::P256(_) => "ES256",
        Material::P384(_) => "ES384",
        Material::P521(_) => "ES512",
        Material::Ed25519(_) => "EdDSA",
        Material::Oct(_) => "HS256",
        Material::Rsa(_) | Material::Unsupported(_) => "RS256",
    }
}

/// Whether a key may verify this token.
enum Fit {
    Yes,
    No(String),
    /// It would, but this version cannot verify with such a key (Ed448).
    Unsupported(String),
}

fn fit(key: &PublicKey, alg: &str, family: Family) -> Fit {
    if !family.takes(&key.material) {
        if let (Family::Ed25519, Material::Unsupported(what)) = (family, &key.material) {
            if what == "OKP Ed448" {
                return Fit::Unsupported("an Ed448 key, which this version does not verify with".into());
            }
        }
        return Fit::No(String::new()); // the key's description says its type

    }
    // RFC 7517 §4.4, §4.2, §4.3: a JWK may restrict itself to one algorithm and to signatures.
    if let Some(key_alg) = key.alg.as_deref().filter(|a| *a != alg) {
        return Fit::No(format!("its alg is {}: the key is for that algorithm only (RFC 7517 §4.4)", quote(key_alg, 20)));
    }
    if let Some(usage) = key.usage.as_deref().filter(|u| *u != "sig") {
        return Fit::No(format!("its use is {}, not sig: it is published for encryption (RFC 7517 §4.2)", quote(usage, 20)));
    }
    if key.key_ops.as_ref().is_some_and(|ops| !ops.iter().any(|op| op == "verify")) {
        return Fit::No("its key_ops do not include verify (RFC 7517 §4.3)".into());
    }
    Fit::Yes
}

/// Checks the signature with the public keys given, after [`super::signature::check`] (whose
/// verdict is `prior`). Only a token `prior` left unchecked or invalid is checked: `alg: none`,
/// a missing signature and an unknown `alg` stay as they are.
pub fn check_with_keys(
    prior: SignatureCheck,
    kid: Option<&str>,
    signing_input: &[u8],
    signature: &[u8],
    public_keys: &[String],
    findings: &mut Vec<Finding>,
) -> SignatureCheck {
    if public_keys.is_empty() || !matches!(prior.status, SignatureStatus::NotChecked | SignatureStatus::Invalid) {
        return prior;
    }
    let Some(alg) = prior.alg.clone() else { return prior };
    let keys = keys::read_all(public_keys, findings);
    if keys.is_empty() {
        return SignatureCheck { detail: format!("{} None of the public keys given could be read.", prior.detail), ..prior };
    }
    let Some(family) = Family::of(&alg) else {
        findings.push(Finding::new(
            Code::JwtSignatureUnverified,
            Severity::Info,
            "signature",
            format!("{alg} is not verified by this version"),
            format!("The token is signed with {alg}; this version verifies RS256/384/512, PS256/384/512, ES256/384/512, EdDSA and Ed25519, and HS256/384/512, so the keys given were not used."),
            "Verify it with the issuer's library and key.",
            "RFC 7518 §3.1",
        ));
        return SignatureCheck { status: SignatureStatus::Unsupported, alg: Some(alg.clone()), detail: format!("{alg} is not verified by this version.") };
    };
    if family == Family::Hmac {
        return hmac_with_keys(prior, &alg, signing_input, signature, &keys, findings);
    }
    with_public_keys(&alg, family, kid, signing_input, signature, &keys, findings)
}

/// An HS* token: `oct` JWKs are HMAC keys; a public key means algorithm confusion.
fn hmac_with_keys(prior: SignatureCheck, alg: &str, input: &[u8], signature: &[u8], keys: &[PublicKey], findings: &mut Vec<Finding>) -> SignatureCheck {
    let octs: Vec<&PublicKey> = keys.iter().filter(|k| matches!(k.material, Material::Oct(_))).collect();
    for key in &octs {
        if let (Fit::Yes, Material::Oct(bytes)) = (fit(key, alg, Family::Hmac), &key.material) {
            if hmac_matches(alg, bytes, input, signature) {
                findings.push(Finding::new(
                    Code::JwtSignatureValid,
                    Severity::Info,
                    "signature",
                    "The signature matches the key",
                    format!("The {alg} signature matches {}. The token was made with this key and has not been changed.", key.describe()),
                    "",
                    "RFC 7515 §5.2, RFC 7518 §3.2",
                ));
                return SignatureCheck { status: SignatureStatus::Valid, alg: Some(alg.to_string()), detail: format!("Matches {}.", key.describe()) };
            }
        }
    }
    let public: Vec<&PublicKey> = keys.iter().filter(|k| !matches!(k.material, Material::Oct(_) | Material::Unsupported(_))).collect();
    if let Some(first) = public.first() {
        let forged_with = public.iter().find(|k| hmac_with_pem(alg, k, input, signature));
        let pinned = alg_for(&first.material);
        let detail = match forged_with {
            Some(key) => format!(
                "The header says {alg}, an HMAC algorithm verified with a shared secret, but the key given is an asymmetric key: {}. And the HMAC matches with that key's PEM text as the secret: this token was forged with the algorithm-confusion attack. A server that hands its public key to a verify call which takes the algorithm from the token's header computes the same HMAC and accepts it, so anyone who has the public key (it is public) can sign in as anyone.",
                key.describe()
            ),
            None => format!(
                "The header says {alg}, an HMAC algorithm verified with a shared secret, but the key given is an asymmetric key: {}. An issuer that signs with a private key never makes {alg} tokens: either the token comes from another issuer (one with a shared secret), or it is an attempt at the algorithm-confusion attack — {alg} signed with the public key as the HMAC secret, which a server accepts when its verify call takes the algorithm from the token's header.",
                first.describe()
            ),
        };
        findings.push(Finding::new(
            Code::JwtAlgKeyConfusion,
            Severity::Error,
            "header.alg",
            if forged_with.is_some() { "Forged: HMAC-signed with the public key (algorithm confusion)" } else { "An HMAC token checked against a public key (algorithm confusion)" },
            detail,
            format!("Pin the algorithm on the server, never take it from the token: jwtVerify(token, key, {{ algorithms: ['{pinned}'] }}) (jose), jwt.verify(token, publicKey, {{ algorithms: ['{pinned}'] }}) (jsonwebtoken), jwt.decode(token, key, algorithms=['{pinned}']) (PyJWT)."),
            "RFC 8725 §2.1, §3.1; RFC 7515 §5.2",
        ));
    }
    if !octs.is_empty() {
        let tried: Vec<(&PublicKey, String)> = octs
            .iter()
            .map(|k| match fit(k, alg, Family::Hmac) {
                Fit::Yes => (*k, "the signature does not match".to_string()),
                Fit::No(why) | Fit::Unsupported(why) => (*k, why),
            })
            .collect();
        findings.push(Finding::new(
            Code::JwtSignatureInvalid,
            Severity::Error,
            "signature",
            "Signed with a different key",
            format!("The {alg} signature does not match the symmetric key given: {}. The token was signed with another key, or changed after signing.", list_keys(&tried)),
            "Verify with the key the issuer signs with; when rotating, verify with both old and new keys until old tokens expire.",
            "RFC 7515 §5.2, RFC 7518 §3.2",
        ));
    }
    if octs.is_empty() && public.is_empty() {
        return prior;
    }
    let detail = if public.is_empty() { "Does not match the key given.".to_string() } else { format!("{alg} cannot be verified with a public key: a server pinned to its public key's algorithm rejects it.") };
    SignatureCheck { status: SignatureStatus::Invalid, alg: Some(alg.to_string()), detail }
}

/// Whether the HMAC matches with the key's PEM text as the secret, as a server holding that PEM
/// file would compute it (with or without the file's final newline, LF or CRLF).
fn hmac_with_pem(alg: &str, key: &PublicKey, input: &[u8], signature: &[u8]) -> bool {
    let Some(pem) = &key.pem else { return false };
    let crlf = pem.replace("\r\n", "\n").replace('\n', "\r\n");
    let candidates = [pem.clone(), format!("{pem}\n"), crlf.clone(), format!("{crlf}\r\n")];
    candidates.iter().any(|text| hmac_matches(alg, text.as_bytes(), input, signature))
}

/// RS*, PS*, ES*, EdDSA with the public keys given.
fn with_public_keys(alg: &str, family: Family, kid: Option<&str>, input: &[u8], signature: &[u8], keys: &[PublicKey], findings: &mut Vec<Finding>) -> SignatureCheck {
    let owned_alg = Some(alg.to_string());
    // RFC 7515 §4.1.4: the kid names the key; a verifier looks it up in its JWKS.
    let named: Vec<&PublicKey> = kid.map(|kid| keys.iter().filter(|k| k.kid.as_deref() == Some(kid)).collect()).unwrap_or_default();
    let kid_missing = kid.is_some() && named.is_empty() && keys.iter().any(|k| k.kid.is_some());
    let by_kid = !named.is_empty();
    let candidates: Vec<&PublicKey> = if by_kid { named } else { keys.iter().collect() };

    let mut fitting: Vec<&PublicKey> = Vec::new();
    let mut unfit: Vec<(&PublicKey, String)> = Vec::new();
    let mut unsupported: Vec<(&PublicKey, String)> = Vec::new();
    for key in candidates {
        match fit(key, alg, family) {
            Fit::Yes => fitting.push(key),
            Fit::No(why) => unfit.push((key, why)),
            Fit::Unsupported(why) => unsupported.push((key, why)),
        }
    }

    if fitting.is_empty() {
        if let Some(kid) = kid.filter(|_| kid_missing) {
            findings.push(key_not_found(kid, keys, None, &[], family));
        }
        if !unsupported.is_empty() && unfit.is_empty() {
            findings.push(Finding::new(
                Code::JwtSignatureUnverified,
                Severity::Info,
                "signature",
                format!("{alg} with this key is not verified by this version"),
                format!("The key given is {}.", list_keys(&unsupported)),
                "Verify it with the issuer's library and key.",
                family.spec(),
            ));
            return SignatureCheck { status: SignatureStatus::Unsupported, alg: owned_alg, detail: "The key given is of a kind this version does not verify with.".into() };
        }
        unfit.extend(unsupported);
        let which = match kid.filter(|_| by_kid) {
            Some(kid) => format!("the key its kid {} names does not", quote(kid, 60)),
            None if unfit.len() == 1 => "the key given does not".to_string(),
            None => "none of the keys given does".to_string(),
        };
        findings.push(Finding::new(
            Code::JwtKeyMismatch,
            Severity::Error,
            "header.alg",
            "The key does not fit the token's algorithm",
            format!(
                "The header says {alg}, which needs {}, and {which}: {}. A verifier holding only these keys rejects the token: the issuer signs with another key than the one you have, or the token's alg was changed.",
                family.needs(),
                list_keys(&unfit)
            ),
            "Verify with the issuer's key of the right type (kty and crv), or make the issuer sign with the algorithm its key is for: RSA → RS256 or PS256, EC P-256 → ES256, P-384 → ES384, P-521 → ES512, Ed25519 → EdDSA.",
            format!("{}; RFC 7517 §4; RFC 7518 §3.1, §6", family.spec()),
        ));
        return SignatureCheck { status: SignatureStatus::Invalid, alg: owned_alg, detail: format!("No key given fits {alg}.") };
    }

    // RFC 7518 §3.4: R || S, each exactly the field size. DER is a common mistake: say so.
    if let Family::Ecdsa(curve) = family {
        if signature.len() != 2 * curve.field_len() {
            if let Some(raw) = der_to_raw(signature, curve.field_len()) {
                let correct = fitting.iter().find(|k| verify_one(alg, family, k, input, &raw).is_ok());
                findings.push(Finding::new(
                    Code::JwtEcdsaDerSignature,
                    Severity::Error,
                    "signature",
                    "ECDSA signature in DER form, not JOSE's R || S",
                    format!(
                        "The {alg} signature is {} bytes of ASN.1 DER (a SEQUENCE of two INTEGERs), the default output of OpenSSL, Node's crypto.sign, Java's Signature and Go's ecdsa.SignASN1. A JWS carries R and S as two {n}-byte numbers side by side ({} bytes), so JOSE verifiers reject this token. {}",
                        signature.len(),
                        2 * curve.field_len(),
                        match correct {
                            Some(k) => format!("Decoded, it is a correct signature by {}: only its encoding is wrong.", k.describe()),
                            None => "Decoded, it does not verify with the keys given either.".to_string(),
                        },
                        n = curve.field_len(),
                    ),
                    format!("Sign with a JOSE library (jose: new SignJWT(claims).setProtectedHeader({{ alg: '{alg}' }}).sign(key)), or ask for the raw form: crypto.sign(hash, input, {{ key, dsaEncoding: 'ieee-p1363' }}) in Node; in Java and Go, convert the DER to R || S, each left-padded to {} bytes.", curve.field_len()),
                    "RFC 7518 §3.4",
                ));
                let detail = match correct {
                    Some(k) => format!("A DER-encoded ECDSA signature: correct for {}, but JOSE requires R || S, so verifiers reject it.", k.describe()),
                    None => "A DER-encoded ECDSA signature, which JOSE verifiers reject; it does not verify with the keys given either.".to_string(),
                };
                return SignatureCheck { status: SignatureStatus::Invalid, alg: owned_alg, detail };
            }
        }
    }

    let results: Vec<(&PublicKey, Result<(), String>)> = fitting.iter().map(|k| (*k, verify_one(alg, family, k, input, signature))).collect();
    let verified = results.iter().find(|(_, r)| r.is_ok()).map(|(k, _)| *k);
    let failures: Vec<(&PublicKey, String)> = results.iter().filter_map(|(k, r)| r.as_ref().err().map(|why| (*k, why.clone()))).collect();
    match verified {
        Some(key) => {
            if let Some(kid) = kid.filter(|_| kid_missing) {
                findings.push(key_not_found(kid, keys, Some(key), &[], family));
            }
            if kid.is_none() {
                if let Some(n) = key.jwks.map(|set| fitting.iter().filter(|k| k.jwks == Some(set)).count()).filter(|n| *n > 1) {
                    findings.push(Finding::new(
                        Code::JwtKeyNotFound,
                        Severity::Warning,
                        "header.kid",
                        "The token has no kid, and several keys fit",
                        format!("The token's header has no kid, and {n} keys of its JWK Set fit {alg}. {} verifies it, but a verifier that looks the key up in the set cannot tell which key to use: jose refuses (ERR_JWKS_MULTIPLE_MATCHING_KEYS), other libraries require a kid outright.", capital_first(&key.describe())),
                        "Have the issuer put the key's kid in every token's header: new SignJWT(claims).setProtectedHeader({ alg, kid }), with the kid under which the key is published in the JWKS.",
                        format!("RFC 7515 §4.1.4, RFC 7517 §5, {}", family.spec()),
                    ));
                }
            }
            if let Material::Rsa(rsa_key) = &key.material {
                let bits = rsa_key.n().bits();
                if bits < 2048 {
                    findings.push(Finding::new(
                        Code::JwtWeakKey,
                        Severity::Error,
                        "signature",
                        "The RSA key is too short",
                        format!("The token verifies with {}, but {alg} requires a key of at least 2048 bits. jose refuses to verify with a shorter key, and a {bits}-bit key can be factored by a well-funded attacker, who could then sign any token.", key.describe()),
                        "Generate a 2048-bit or larger key (openssl genpkey -algorithm RSA -pkeyopt rsa_keygen_bits:2048), publish it in the JWKS under a new kid, and sign with it.",
                        family.spec(),
                    ));
                }
            }
            let how = if by_kid {
                ", the key its kid names".to_string()
            } else if fitting.len() > 1 {
                format!(", found by trying each of the {} keys that fit {alg}{}", fitting.len(), if kid.is_none() { " (the token has no kid)" } else { "" })
            } else {
                String::new()
            };
            findings.push(Finding::new(
                Code::JwtSignatureValid,
                Severity::Info,
                "signature",
                "The signature verifies with the public key",
                format!("The {alg} signature verifies with {}{how}. The token was signed with the matching private key and has not been changed.", key.describe()),
                "",
                format!("RFC 7515 §5.2, {}", family.spec()),
            ));
            SignatureCheck { status: SignatureStatus::Valid, alg: owned_alg, detail: format!("Verifies with {}{how}.", key.describe()) }
        }
        None => {
            match kid.filter(|_| kid_missing) {
                Some(kid) => findings.push(key_not_found(kid, keys, None, &failures, family)),
                None => findings.push(Finding::new(
                    Code::JwtSignatureInvalid,
                    Severity::Error,
                    "signature",
                    "The signature does not verify with the public key",
                    format!(
                        "The {alg} signature does not verify with {}. The token was signed with another key (another issuer or environment, or a key rotated away), or changed after signing.",
                        list_keys(&failures)
                    ),
                    "Verify with the issuer's current keys: its JWKS (the jwks_uri of its /.well-known/openid-configuration). If the issuer rotated its key, fetch the JWKS again; keep the old key published until the last token signed with it expires.",
                    format!("RFC 7515 §5.2, {}", family.spec()),
                )),
            }
            let detail = match failures.as_slice() {
                [(k, why)] => format!("Does not verify with {}: {why}.", k.describe()),
                _ => format!("Does not verify with any of the {} keys that fit {alg}.", failures.len()),
            };
            SignatureCheck { status: SignatureStatus::Invalid, alg: owned_alg, detail }
        }
    }
}

/// `jwt.key-not-found` for a `kid` that no key has (an error even when another key verifies:
/// a verifier looks the key up by kid).
fn key_not_found(kid: &str, keys: &[PublicKey], verified_by: Option<&PublicKey>, failures: &[(&PublicKey, String)], family: Family) -> Finding {
    let kids: Vec<String> = keys.iter().filter_map(|k| k.kid.as_deref()).take(KEYS_LISTED).map(|k| quote(k, 40)).collect();
    let more = keys.iter().filter(|k| k.kid.is_some()).count().saturating_sub(kids.len());
    let have = format!("{}{}", kids.join(", "), if more > 0 { format!(" and {more} more") } else { String::new() });
    let (severity, outcome) = match verified_by {
        Some(key) => (
            Severity::Error,
            format!("Yet {} verifies it: the issuer signs with this key but labels the token with another kid, so a verifier that looks the key up by kid (most do) rejects the token.", key.describe()),
        ),
        None if failures.is_empty() => (Severity::Error, "No other key given fits the token's algorithm either.".to_string()),
        None => (Severity::Error, format!("Tried without the kid, none of the keys that fit verifies it either: {}.", list_keys(failures))),
    };
    Finding::new(
        Code::JwtKeyNotFound,
        severity,
        "header.kid",
        "The token's kid is not among the keys",
        format!(
            "The token's kid {} is not among the keys given (their kids: {have}). A verifier picks the key by kid, finds none and rejects the token: the issuer's signing key was rotated (the JWKS you have is older or newer than the token), or the token comes from another issuer or environment (staging and production keys). {outcome}",
            quote(kid, 60)
        ),
        "Verify with the issuer's current JWKS, and let the verifier fetch it again when it meets an unknown kid (jose's createRemoteJWKSet does, at most every 30 s). An issuer should publish a new key before signing with it and keep the old one until the last token signed with it expires.",
        format!("RFC 7515 §4.1.4, RFC 7517 §5, {}", family.spec()),
    )
}

/// Verifies with one key that fits; the error says why not, in words.
fn verify_one(alg: &str, family: Family, key: &PublicKey, input: &[u8], signature: &[u8]) -> Result<(), String> {
    const NO_MATCH: &str = "the signature does not match";
    match (family, &key.material) {
        (Family::RsaPkcs1(hash) | Family::RsaPss(hash), Material::Rsa(rsa_key)) => {
            let size = rsa_key.size();
            if signature.len() != size {
                return Err(format!("the signature is {} bytes, and a {}-bit RSA key's signatures are {size} bytes", signature.len(), rsa_key.n().bits()));
            }
            let pss = matches!(family, Family::RsaPss(_));
            let digest = hash_of(hash, input);
            if rsa_verify(rsa_key, hash, pss, &digest, signature) {
                return Ok(());
            }
            // RS and PS with the same key and hash: the other padding is a telling mistake.
            if rsa_verify(rsa_key, hash, !pss, &digest, signature) {
                let other = format!("{}{}", if pss { "RS" } else { "PS" }, alg.get(2..).unwrap_or_default());
                return Err(format!("it is a valid {other} signature with this key: the issuer signs with {other} but the header says {alg}"));
            }
            Err(NO_MATCH.into())
        }
        (Family::Ecdsa(curve), material) => {
            if signature.len() != 2 * curve.field_len() {
                return Err(format!("the signature is {} bytes, and {alg} signatures are {} bytes (R || S, RFC 7518 §3.4)", signature.len(), 2 * curve.field_len()));
            }
            let ok = match material {
                Material::P256(k) => p256::ecdsa::Signature::from_slice(signature).is_ok_and(|s| k.verify(input, &s).is_ok()),
                Material::P384(k) => p384::ecdsa::Signature::from_slice(signature).is_ok_and(|s| k.verify(input, &s).is_ok()),
                Material::P521(k) => p521::ecdsa::Signature::from_slice(signature).is_ok_and(|s| k.verify(input, &s).is_ok()),
                _ => false,
            };
            if ok {
                Ok(())
            } else {
                Err(NO_MATCH.into())
            }
        }
        (Family::Ed25519, Material::Ed25519(k)) => {
            let sig = ed25519_dalek::Signature::from_slice(signature).map_err(|_| format!("the signature is {} bytes, and Ed25519 signatures are 64 bytes (RFC 8032 §5.1.6)", signature.len()))?;
            k.verify(input, &sig).map_err(|_| NO_MATCH.to_string())
        }
        _ => Err(format!("it is {}, and {alg} needs {}", key.material.describe(), family.needs())),
    }
}

fn hash_of(hash: Hash, input: &[u8]) -> Vec<u8> {
    match hash {
        Hash::Sha256 => Sha256::digest(input).to_vec(),
        Hash::Sha384 => Sha384::digest(input).to_vec(),
        Hash::Sha512 => Sha512::digest(input).to_vec(),
    }
}

/// RSASSA-PKCS1-v1_5 or RSASSA-PSS (salt as long as the hash, RFC 7518 §3.5) over `digest`.
fn rsa_verify(key: &RsaPublicKey, hash: Hash, pss: bool, digest: &[u8], signature: &[u8]) -> bool {
    let result = match (hash, pss) {
        (Hash::Sha256, false) => key.verify(Pkcs1v15Sign::new::<Sha256>(), digest, signature),
        (Hash::Sha384, false) => key.verify(Pkcs1v15Sign::new::<Sha384>(), digest, signature),
        (Hash::Sha512, false) => key.verify(Pkcs1v15Sign::new::<Sha512>(), digest, signature),
        (Hash::Sha256, true) => key.verify(Pss::new::<Sha256>(), digest, signature),
        (Hash::Sha384, true) => key.verify(Pss::new::<Sha384>(), digest, signature),
        (Hash::Sha512, true) => key.verify(Pss::new::<Sha512>(), digest, signature),
    };
    result.is_ok()
}

/// A DER `ECDSA-Sig-Value` (RFC 3279 §2.2.3: SEQUENCE { r INTEGER, s INTEGER }) as JOSE's
/// `R || S`, each left-padded to `field_len` bytes; `None` if it is not one.
fn der_to_raw(signature: &[u8], field_len: usize) -> Option<Vec<u8>> {
    let seq = AnyRef::from_der(signature).ok()?;
    if seq.tag() != Tag::Sequence {
        return None;
    }
    let mut reader = SliceReader::new(seq.value()).ok()?;
    let r = UintRef::decode(&mut reader).ok()?;
    let s = UintRef::decode(&mut reader).ok()?;
    if !reader.is_finished() {
        return None;
    }
    let mut raw = Vec::with_capacity(2 * field_len);
    for n in [r.as_bytes(), s.as_bytes()] {
        raw.resize(raw.len() + field_len.checked_sub(n.len())?, 0);
        raw.extend_from_slice(n);
    }
    Some(raw)
}

/// `key A (…): why; key B (…)`, at most [`KEYS_LISTED`] keys, then a count; an empty `why`
/// (a key of the wrong type, which its description shows) is left out.
fn list_keys(keys: &[(&PublicKey, String)]) -> String {
    let mut parts: Vec<String> =
        keys.iter().take(KEYS_LISTED).map(|(k, why)| if why.is_empty() { k.describe() } else { format!("{}: {why}", k.describe()) }).collect();
    if keys.len() > KEYS_LISTED {
        parts.push(format!("and {} more", keys.len() - KEYS_LISTED));
    }
    parts.join("; ")
}

fn capital_first(text: &str) -> String {
    let mut chars = text.chars();
    chars.next().map(|c| c.to_uppercase().chain(chars).collect()).unwrap_or_default()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn der_signatures_convert_to_raw() {
        // SEQUENCE { INTEGER 0x00ff (positive, leading zero), INTEGER 0x01 }
        let der = [0x30, 0x07, 0x02, 0x02, 0x00, 0xff, 0x02, 0x01, 0x01];
        let raw = der_to_raw(&der, 4);
        assert_eq!(raw, Some(vec![0, 0, 0, 0xff, 0, 0, 0, 1]));
        assert_eq!(der_to_raw(&der, 0), None);
        assert_eq!(der_to_raw(&der[..8], 4), None);
        assert_eq!(der_to_raw(&[0x30, 0x00], 4), None);
        assert_eq!(der_to_raw(&[], 4), None);
    }

    #[test]
    fn families() {
        assert_eq!(Family::of("ES512"), Some(Family::Ecdsa(Curve::P521)));
        assert_eq!(Family::of("ES256K"), None);
        assert_eq!(Family::of("none"), None);
        assert_eq!(Family::of("rs256"), None);
    }
}
