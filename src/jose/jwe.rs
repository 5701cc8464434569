//! Decrypting a compact JWE (RFC 7516 §5.2) with direct encryption (`alg: dir`, RFC 7518 §4.5),
//! and the keys NextAuth.js v4 and Auth.js derive from their secret for their session cookies.
//!
//! Content encryption (RFC 7518 §5): `A128CBC-HS256` and `A256CBC-HS512` (AES-CBC with
//! HMAC-SHA-2, §5.2: MAC key = first half of the key, encryption key = second half, tag = the
//! first half of HMAC(AAD ‖ IV ‖ ciphertext ‖ AL)), `A128GCM` and `A256GCM` (§5.3). The AAD is the
//! ASCII of the protected header's base64url text as sent (RFC 7516 §5.2 step 14).
//!
//! Keys, exactly as the libraries derive them (HKDF-SHA256, RFC 5869):
//! - NextAuth.js v4 (`next-auth/jwt`, `getDerivedEncryptionKey`): salt `""`, info
//!   `NextAuth.js Generated Encryption Key`, 32 bytes; it writes `A256GCM`.
//! - Auth.js (`@auth/core/jwt`, `getDerivedEncryptionKey`): salt = the session cookie's name,
//!   info `Auth.js Generated Encryption Key (<cookie name>)`, 64 bytes for `A256CBC-HS512` (what
//!   it writes) or 32 for `A256GCM` (which it also reads). Its header's `kid` is the key's JWK
//!   thumbprint (RFC 7638) hashed with SHA-(8 × key length): SHA-512 for the 64-byte key,
//!   SHA-256 for the 32-byte one (`calculateJwkThumbprint(jwk, \`sha${bits}\`)`), so the key that
//!   matches is known before anything is decrypted — and a `kid` no candidate matches means the
//!   token was made with another secret or under another cookie name.
//! - Direct: the secret is the key itself when its length fits the algorithm (`base64:…` for
//!   binary keys), as in RFC 7520 §5.6.
//!
//! A secret is never echoed: reports name it by its position among the secrets given.
//!
//! Incomplete support: key management other than `dir` (RSA-OAEP, AES key wrap, ECDH-ES, PBES2)
//! needs a private or wrapping key and is reported as unsupported (`jwe.unsupported`), and so are
//! compressed payloads (`zip: "DEF"`), which jose ≥ 5 — the library both frameworks use — also
//! refuses, and headers with `crit`.

use crate::finding::{quote, Code, Finding, Severity};
use crate::limits::{MAX_JWE_DECRYPT_ATTEMPTS, MAX_QUOTE_CHARS, MAX_SECRETS};
use aes::{Aes128, Aes256};
use aes_gcm::aead::AeadInPlace;
use aes_gcm::{Aes128Gcm, Aes256Gcm, KeyInit};
use base64::engine::general_purpose::{STANDARD, STANDARD_NO_PAD, URL_SAFE, URL_SAFE_NO_PAD};
use base64::Engine;
use cbc::cipher::block_padding::Pkcs7;
use cbc::cipher::{BlockDecryptMut, KeyIvInit};
use hkdf::Hkdf;
use hmac::{Hmac, Mac};
use serde::Serialize;
use serde_json::{Map, Value};
use sha2::{Digest, Sha256, Sha512};

/// The `info` of NextAuth.js v4's HKDF (`next-auth/jwt`).
pub const NEXTAUTH_V4_INFO: &str = "NextAuth.js Generated Encryption Key";
/// The session cookie names NextAuth.js v4 and Auth.js use by default; each is a candidate salt.
pub const DEFAULT_COOKIE_NAMES: [&str; 4] =
    ["authjs.session-token", "__Secure-authjs.session-token", "next-auth.session-token", "__Secure-next-auth.session-token"];

/// A content-encryption algorithm (RFC 7518 §5.1) this module decrypts.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Enc {
    A128CbcHs256,
    A256CbcHs512,
    A128Gcm,
    A256Gcm,
}

impl Enc {
    /// The `enc` header value, case-sensitive as RFC 7518 §5.1 registers it.
    pub fn from_name(name: &str) -> Option<Enc> {
        match name {
            "A128CBC-HS256" => Some(Enc::A128CbcHs256),
            "A256CBC-HS512" => Some(Enc::A256CbcHs512),
            "A128GCM" => Some(Enc::A128Gcm),
            "A256GCM" => Some(Enc::A256Gcm),
            _ => None,
        }
    }

    pub fn name(self) -> &'static str {
        match self {
            Enc::A128CbcHs256 => "A128CBC-HS256",
            Enc::A256CbcHs512 => "A256CBC-HS512",
            Enc::A128Gcm => "A128GCM",
            Enc::A256Gcm => "A256GCM",
        }
    }

    /// The content-encryption key's length in bytes (RFC 7518 §5.2.3–5.2.5, §5.3).
    pub fn key_len(self) -> usize {
        match self {
            Enc::A128Gcm => 16,
            Enc::A128CbcHs256 | Enc::A256Gcm => 32,
            Enc::A256CbcHs512 => 64,
        }
    }

    /// The IV's length in bytes: 128 bits for CBC (§5.2.2.1), 96 bits for GCM (§5.3).
    pub fn iv_len(self) -> usize {
        match self {
            Enc::A128CbcHs256 | Enc::A256CbcHs512 => 16,
            Enc::A128Gcm | Enc::A256Gcm => 12,
        }
    }

    /// The authentication tag's length in bytes.
    pub fn tag_len(self) -> usize {
        match self {
            Enc::A256CbcHs512 => 32,
            _ => 16,
        }
    }
}

/// Why content decryption failed.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ContentError {
    /// The key has the wrong length for the algorithm.
    KeyLength { expected: usize, found: usize },
    /// The IV has the wrong length for the algorithm.
    IvLength { expected: usize, found: usize },
    /// The tag has the wrong length for the algorithm.
    TagLength { expected: usize, found: usize },
    /// CBC: the ciphertext is empty or not whole 16-byte blocks.
    CiphertextLength { found: usize },
    /// The tag does not verify: another key, or changed bytes.
    Authentication,
    /// CBC: the tag verified but the PKCS#7 padding is wrong (a broken encrypter).
    Padding,
}

impl ContentError {
    /// "expected X, found Y" in words.
    pub fn describe(self, enc: Enc) -> String {
        let e = enc.name();
        match self {
            ContentError::KeyLength { expected, found } => format!("{e} needs a {expected}-byte key; this one is {found} bytes"),
            ContentError::IvLength { expected, found } => format!("the iv is {found} bytes; {e} uses a {expected}-byte iv"),
            ContentError::TagLength { expected, found } => format!("the tag is {found} bytes; {e} writes a {expected}-byte tag"),
            ContentError::CiphertextLength { found } => {
                format!("the ciphertext is {found} bytes; {e} writes whole 16-byte blocks (at least one)")
            }
            ContentError::Authentication => "the authentication tag does not verify".to_string(),
            ContentError::Padding => "the tag verifies but the decrypted padding is not PKCS#7".to_string(),
        }
    }
}

/// Checks the lengths an encrypter of `enc` always writes: the iv, the tag and, for CBC, whole
/// blocks of ciphertext.
pub fn check_lengths(enc: Enc, iv: usize, tag: usize, ciphertext: usize) -> Result<(), ContentError> {
    if iv != enc.iv_len() {
        return Err(ContentError::IvLength { expected: enc.iv_len(), found: iv });
    }
    if tag != enc.tag_len() {
        return Err(ContentError::TagLength { expected: enc.tag_len(), found: tag });
    }
    if matches!(enc, Enc::A128CbcHs256 | Enc::A256CbcHs512) && (ciphertext == 0 || ciphertext % 16 != 0) {
        return Err(ContentError::CiphertextLength { found: ciphertext });
    }
    Ok(())
}

/// Decrypts and authenticates the content with a known content-encryption key (RFC 7516 §5.2
/// steps 14–16). `aad` is the ASCII of the protected header's base64url text as sent.
///
/// ```
/// use cookie_inspector::jose::jwe::{decrypt_content, ContentError, Enc};
/// let key = [7u8; 32];
/// let r = decrypt_content(Enc::A256Gcm, &key, &[0; 12], b"eyJhbGciOiJkaXIifQ", b"not it", &[0; 16]);
/// assert_eq!(r, Err(ContentError::Authentication));
/// ```
pub fn decrypt_content(enc: Enc, key: &[u8], iv: &[u8], aad: &[u8], ciphertext: &[u8], tag: &[u8]) -> Result<Vec<u8>, ContentError> {
    if key.len() != enc.key_len() {
        return Err(ContentError::KeyLength { expected: enc.key_len(), found: key.len() });
    }
    check_lengths(enc, iv.len(), tag.len(), ciphertext.len())?;
    match enc {
        Enc::A128Gcm => {
            let cipher = Aes128Gcm::new_from_slice(key).map_err(|_| ContentError::KeyLength { expected: 16, found: key.len() })?;
            gcm_open(&cipher, iv, aad, ciphertext, tag)
        }
        Enc::A256Gcm => {
            let cipher = Aes256Gcm::new_from_slice(key).map_err(|_| ContentError::KeyLength { expected: 32, found: key.len() })?;
            gcm_open(&cipher, iv, aad, ciphertext, tag)
        }
        Enc::A128CbcHs256 => {
            let (mac_key, enc_key) = key.split_at_checked(16).ok_or(ContentError::KeyLength { expected: 32, found: key.len() })?;
            let mac = <Hmac<Sha256> as Mac>::new_from_slice(mac_key).map_err(|_| ContentError::Authentication)?;
            cbc_hmac_verify(mac, aad, iv, ciphertext, tag)?;
            let cipher = cbc::Decryptor::<Aes128>::new_from_slices(enc_key, iv).map_err(|_| ContentError::IvLength { expected: 16, found: iv.len() })?;
            let mut buf = ciphertext.to_vec();
            let len = cipher.decrypt_padded_mut::<Pkcs7>(&mut buf).map_err(|_| ContentError::Padding)?.len();
            buf.truncate(len);
            Ok(buf)
        }
        Enc::A256CbcHs512 => {
            let (mac_key, enc_key) = key.split_at_checked(32).ok_or(ContentError::KeyLength { expected: 64, found: key.len() })?;
            let mac = <Hmac<Sha512> as Mac>::new_from_slice(mac_key).map_err(|_| ContentError::Authentication)?;
            cbc_hmac_verify(mac, aad, iv, ciphertext, tag)?;
            let cipher = cbc::Decryptor::<Aes256>::new_from_slices(enc_key, iv).map_err(|_| ContentError::IvLength { expected: 16, found: iv.len() })?;
            let mut buf = ciphertext.to_vec();
            let len = cipher.decrypt_padded_mut::<Pkcs7>(&mut buf).map_err(|_| ContentError::Padding)?.len();
            buf.truncate(len);
            Ok(buf)
        }
    }
}

/// AES-GCM (RFC 7518 §5.3): a 96-bit IV and a 128-bit tag, both length-checked by the caller.
fn gcm_open<C: AeadInPlace<NonceSize = aes_gcm::aead::consts::U12, TagSize = aes_gcm::aead::consts::U16>>(
    cipher: &C,
    iv: &[u8],
    aad: &[u8],
    ciphertext: &[u8],
    tag: &[u8],
) -> Result<Vec<u8>, ContentError> {
    let nonce: [u8; 12] = iv.try_into().map_err(|_| ContentError::IvLength { expected: 12, found: iv.len() })?;
    let tag: [u8; 16] = tag.try_into().map_err(|_| ContentError::TagLength { expected: 16, found: tag.len() })?;
    let mut buf = ciphertext.to_vec();
    cipher
        .decrypt_in_place_detached(&nonce.into(), aad, &mut buf, &tag.into())
        .map_err(|_| ContentError::Authentication)?;
    Ok(buf)
}

/// RFC 7518 §5.2.2.2 steps 2–3: M = HMAC(MAC_KEY, A ‖ IV ‖ E ‖ AL), T = the first half of M,
/// compared in constant time. AL is the AAD's length in bits as a 64-bit big-endian integer.
fn cbc_hmac_verify<M: Mac>(mut mac: M, aad: &[u8], iv: &[u8], ciphertext: &[u8], tag: &[u8]) -> Result<(), ContentError> {
    let al = u64::try_from(aad.len()).unwrap_or(u64::MAX).saturating_mul(8);
    mac.update(aad);
    mac.update(iv);
    mac.update(ciphertext);
    mac.update(&al.to_be_bytes());
    // The tag length was checked to be exactly half the HMAC output; verify_truncated_left
    // compares that prefix in constant time.
    mac.verify_truncated_left(tag).map_err(|_| ContentError::Authentication)
}

/// How a secret becomes the content-encryption key.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "kebab-case")]
pub enum Derivation {
    /// NextAuth.js v4: HKDF-SHA256(secret, salt "", info "NextAuth.js Generated Encryption Key"), 32 bytes.
    NextauthV4,
    /// Auth.js: HKDF-SHA256(secret, salt = cookie name, info "Auth.js Generated Encryption Key (<cookie name>)").
    Authjs,
    /// The secret is the key.
    Direct,
}

impl Derivation {
    fn describe(self, salt: &str) -> String {
        match self {
            Derivation::NextauthV4 => "NextAuth.js v4's key (HKDF-SHA256 of the secret, empty salt)".to_string(),
            Derivation::Authjs => format!("Auth.js's key for the cookie {} (HKDF-SHA256 of the secret, salted with the cookie name)", quote(salt, MAX_QUOTE_CHARS)),
            Derivation::Direct => "the secret used as the key itself".to_string(),
        }
    }
}

/// NextAuth.js v4's encryption key (`next-auth/jwt` `getDerivedEncryptionKey(secret, "")`).
pub fn nextauth_v4_key(secret: &[u8]) -> [u8; 32] {
    let mut okm = [0u8; 32];
    // 32 bytes is far below HKDF-SHA256's 255 × 32 limit: expand cannot fail.
    let _ = Hkdf::<Sha256>::new(Some(b""), secret).expand(NEXTAUTH_V4_INFO.as_bytes(), &mut okm);
    okm
}

/// Auth.js's encryption key for `enc` (`@auth/core/jwt` `getDerivedEncryptionKey(enc, secret,
/// salt)`); `None` for an `enc` Auth.js does not derive a key for.
///
/// ```
/// use cookie_inspector::jose::jwe::{authjs_key, Enc};
/// assert_eq!(authjs_key(b"secret", "authjs.session-token", Enc::A256CbcHs512).map(|k| k.len()), Some(64));
/// assert_eq!(authjs_key(b"secret", "authjs.session-token", Enc::A128Gcm), None);
/// ```
pub fn authjs_key(secret: &[u8], salt: &str, enc: Enc) -> Option<Vec<u8>> {
    let len = match enc {
        Enc::A256CbcHs512 => 64,
        Enc::A256Gcm => 32,
        Enc::A128CbcHs256 | Enc::A128Gcm => return None,
    };
    let mut okm = vec![0u8; len];
    let info = format!("Auth.js Generated Encryption Key ({salt})");
    Hkdf::<Sha256>::new(Some(salt.as_bytes()), secret).expand(info.as_bytes(), &mut okm).ok()?;
    Some(okm)
}

/// The JWK thumbprint (RFC 7638 §3) of a symmetric key: base64url of the hash of
/// `{"k":"<base64url key>","kty":"oct"}`, with SHA-512 when `sha512`, else SHA-256.
pub fn jwk_thumbprint(key: &[u8], sha512: bool) -> String {
    let jwk = format!("{{\"k\":\"{}\",\"kty\":\"oct\"}}", URL_SAFE_NO_PAD.encode(key));
    if sha512 {
        URL_SAFE_NO_PAD.encode(Sha512::digest(jwk.as_bytes()))
    } else {
        URL_SAFE_NO_PAD.encode(Sha256::digest(jwk.as_bytes()))
    }
}

/// The `kid` Auth.js's `encode` writes for a key: its thumbprint with SHA-(8 × key length),
/// i.e. SHA-512 for the 64-byte A256CBC-HS512 key.
pub fn authjs_kid(key: &[u8]) -> String {
    jwk_thumbprint(key, key.len() == 64)
}

/// What became of the attempt to decrypt.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "kebab-case")]
pub enum DecryptionStatus {
    /// Decrypted and authenticated: the payload is the plaintext.
    Decrypted,
    /// No candidate key opens it.
    WrongSecret,
    /// The right key (its `kid` says so) does not open it: the token was changed or cut.
    Corrupted,
    /// No secret was given.
    SecretNeeded,
    /// A key management or content algorithm, `zip` or `crit` this version does not handle.
    Unsupported,
    /// A part has the wrong length for the algorithm (or could not be decoded).
    Malformed,
}

/// Whether the header's `kid` names one of the candidate keys.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "kebab-case")]
pub enum KidCheck {
    /// No `kid` (NextAuth.js v4 writes none).
    Absent,
    /// The `kid` is the thumbprint of the key that decrypted it.
    Matched,
    /// The `kid` is the thumbprint of none of the keys tried.
    Unmatched,
    /// Not checked (no secret, or nothing to check against).
    NotChecked,
}

/// The decryption outcome, in the report as `decryption`.
#[derive(Debug, Clone, PartialEq, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct Decryption {
    pub status: DecryptionStatus,
    /// The header's `alg` and `enc`.
    pub alg: Option<String>,
    pub enc: Option<String>,
    /// Which secret worked: its 0-based position among the secrets given (see
    /// [`KeyOptions`](super::KeyOptions)). The secret itself is never in a report.
    pub secret_index: Option<usize>,
    /// How that secret was read: `as text`, `without its surrounding whitespace or newline`, …
    pub secret_reading: Option<&'static str>,
    pub derivation: Option<Derivation>,
    /// The HKDF salt of the key that worked: `""` for NextAuth.js v4, the cookie name for Auth.js.
    pub salt: Option<String>,
    pub kid: KidCheck,
    /// How many secrets and cookie names (salts) were tried.
    pub secrets_tried: usize,
    pub salts_tried: Vec<String>,
    /// One sentence for the token view.
    pub detail: String,
}

/// The five parts of a compact JWE, decoded, with the header segment as sent (the AAD).
pub struct JweInput<'a> {
    pub header: &'a Map<String, Value>,
    pub header_segment: &'a str,
    pub encrypted_key: &'a [u8],
    pub iv: &'a [u8],
    pub ciphertext: &'a [u8],
    pub tag: &'a [u8],
}

/// One way of reading a typed secret, and the key material it gives.
struct Reading {
    bytes: Vec<u8>,
    how: &'static str,
    /// Readings only tried as a raw key (a base64 decoding: NextAuth.js and Auth.js use the text).
    direct_only: bool,
}

fn readings(secret: &str) -> Vec<Reading> {
    if let Some(rest) = secret.strip_prefix("base64:") {
        if let Some(bytes) = decode_any_base64(rest.trim()) {
            return vec![Reading { bytes, how: "as base64 (base64: prefix)", direct_only: false }];
        }
    }
    let mut out = vec![Reading { bytes: secret.as_bytes().to_vec(), how: "as text", direct_only: false }];
    let trimmed = secret.trim();
    if trimmed.len() != secret.len() && !trimmed.is_empty() {
        out.push(Reading { bytes: trimmed.as_bytes().to_vec(), how: "without its surrounding whitespace or newline", direct_only: false });
    }
    // A key given as base64 (as a JWK's k is): only of a length some enc uses.
    if let Some(bytes) = decode_any_base64(trimmed).filter(|b| matches!(b.len(), 16 | 32 | 64)) {
        out.push(Reading { bytes, how: "as base64", direct_only: true });
    }
    out
}

fn decode_any_base64(text: &str) -> Option<Vec<u8>> {
    [&URL_SAFE_NO_PAD, &URL_SAFE, &STANDARD, &STANDARD_NO_PAD].iter().find_map(|e| e.decode(text).ok())
}

/// One candidate key.
struct Candidate {
    key: Vec<u8>,
    secret_index: usize,
    how: &'static str,
    derivation: Derivation,
    salt: String,
    kid_match: bool,
}

/// Decrypts a JWE with the candidate `secrets` (in order; empty ones are skipped) and cookie
/// names (candidate Auth.js salts, in order). Pushes the `jwe.*` findings; returns the outcome
/// and, when decrypted, the plaintext.
pub fn decrypt(input: &JweInput<'_>, secrets: &[&str], cookie_names: &[String], findings: &mut Vec<Finding>) -> (Decryption, Option<Vec<u8>>) {
    let alg = input.header.get("alg").and_then(Value::as_str);
    let enc_name = input.header.get("enc").and_then(Value::as_str);
    let kid = input.header.get("kid").and_then(Value::as_str);
    let mut outcome = Decryption {
        status: DecryptionStatus::Unsupported,
        alg: alg.map(str::to_string),
        enc: enc_name.map(str::to_string),
        secret_index: None,
        secret_reading: None,
        derivation: None,
        salt: None,
        kid: if kid.is_some() { KidCheck::NotChecked } else { KidCheck::Absent },
        secrets_tried: 0,
        salts_tried: Vec::new(),
        detail: String::new(),
    };

    // RFC 7516 §5.2 step 5: what this decrypter does not understand, it must not pretend to.
    if let Some(why) = unsupported(input.header, alg, enc_name) {
        outcome.detail = format!("Not decrypted: {why}.");
        findings.push(Finding::new(
            Code::JweUnsupported,
            Severity::Warning,
            "header",
            "This encrypted token cannot be decrypted here",
            format!("{why}. This version decrypts direct encryption (alg dir) with A128GCM, A256GCM, A128CBC-HS256 or A256CBC-HS512, which is what NextAuth.js and Auth.js write; other key management needs the recipient's private or key-wrapping key."),
            "Decrypt it where the key lives, e.g. with jose: await jwtDecrypt(token, key), and inspect the claims there.",
            "RFC 7516 §5.2, RFC 7518 §4.1, §5.1",
        ));
        return (outcome, None);
    }
    let Some(enc) = enc_name.and_then(Enc::from_name) else {
        return (outcome, None);
    };

    // RFC 7518 §4.5: with dir the encrypted key is empty; RFC 7516 §5.2 step 11 and §5.2: the iv,
    // tag and block lengths the algorithm always writes.
    let shape = if input.encrypted_key.is_empty() {
        check_lengths(enc, input.iv.len(), input.tag.len(), input.ciphertext.len()).err().map(|e| (e.describe(enc), if matches!(e, ContentError::IvLength { .. }) { "iv" } else if matches!(e, ContentError::TagLength { .. }) { "tag" } else { "ciphertext" }))
    } else {
        Some((format!("alg dir uses no encrypted key, but the encrypted_key part holds {} bytes", input.encrypted_key.len()), "encrypted_key"))
    };
    if let Some((why, part)) = shape {
        outcome.status = DecryptionStatus::Malformed;
        outcome.detail = format!("Not decrypted: {why}.");
        findings.push(Finding::new(
            Code::JwtMalformed,
            Severity::Error,
            part,
            format!("The {part} does not fit {}", enc.name()),
            format!("{}, so no library can decrypt it. The token was cut or altered (a lost cookie chunk, a copy that dropped characters), or assembled by hand.", capitalise(&why)),
            "Copy the whole cookie value again; if the session cookie is split into name.0, name.1, … paste the whole Cookie header so the chunks are joined.",
            "RFC 7516 §5.2, RFC 7518 §4.5, §5.2.2, §5.3",
        ));
        return (outcome, None);
    }

    let secrets: Vec<(usize, &str)> = secrets.iter().copied().enumerate().filter(|(_, s)| !s.is_empty()).take(MAX_SECRETS).collect();
    if secrets.is_empty() {
        outcome.status = DecryptionStatus::SecretNeeded;
        outcome.detail = "Enter the app's secret to decrypt it.".to_string();
        findings.push(Finding::new(
            Code::JweSecretNeeded,
            Severity::Info,
            "token",
            "Enter the app's secret to read this token",
            format!(
                "The claims (who is signed in, when the session expires) are encrypted with {}. With the app's secret (NEXTAUTH_SECRET for NextAuth.js v4, AUTH_SECRET for Auth.js) this tool derives the key as the library does, decrypts the token here and checks its claims; the secret is kept in memory only and never leaves this machine. Several secrets can be given, to find which one (current or rotated out) the token was made with.",
                enc.name()
            ),
            "",
            "RFC 7516 §5.2",
        ));
        return (outcome, None);
    }
    outcome.secrets_tried = secrets.len();

    // Every candidate key, in the order: secret, reading, derivation, salt.
    let mut candidates: Vec<Candidate> = Vec::new();
    for &(index, secret) in &secrets {
        for reading in readings(secret) {
            if !reading.direct_only {
                if enc == Enc::A256Gcm {
                    candidates.push(Candidate { key: nextauth_v4_key(&reading.bytes).to_vec(), secret_index: index, how: reading.how, derivation: Derivation::NextauthV4, salt: String::new(), kid_match: false });
                }
                for salt in cookie_names {
                    if let Some(key) = authjs_key(&reading.bytes, salt, enc) {
                        candidates.push(Candidate { key, secret_index: index, how: reading.how, derivation: Derivation::Authjs, salt: salt.clone(), kid_match: false });
                    }
                }
            }
            if reading.bytes.len() == enc.key_len() {
                candidates.push(Candidate { key: reading.bytes, secret_index: index, how: reading.how, derivation: Derivation::Direct, salt: String::new(), kid_match: false });
            }
        }
    }
    if matches!(enc, Enc::A256Gcm | Enc::A256CbcHs512) {
        outcome.salts_tried = cookie_names.to_vec();
    }
    if let Some(kid) = kid {
        for c in &mut candidates {
            c.kid_match = authjs_kid(&c.key) == kid || jwk_thumbprint(&c.key, false) == kid;
        }
        outcome.kid = if candidates.iter().any(|c| c.kid_match) { KidCheck::Matched } else { KidCheck::Unmatched };
    }

    // The keys whose thumbprint is the kid first: Auth.js decrypts with that one only.
    let ordered = candidates.iter().filter(|c| c.kid_match).chain(candidates.iter().filter(|c| !c.kid_match));
    let aad = input.header_segment.as_bytes();
    let mut opened = None;
    // Known to be the right key yet failing: the kid named it, or its tag verified (CBC padding).
    let mut right_key_failed: Option<&'static str> = None;
    for c in ordered.take(MAX_JWE_DECRYPT_ATTEMPTS) {
        match decrypt_content(enc, &c.key, input.iv, aad, input.ciphertext, input.tag) {
            Ok(plaintext) => {
                opened = Some((c, plaintext));
                break;
            }
            Err(ContentError::Padding) => {
                right_key_failed = Some("The authentication tag verifies with a key derived from a secret you gave, so the secret and cookie name are right, but the decrypted content does not end in PKCS#7 padding: the encrypter is broken (a hand-written CBC implementation?).");
            }
            Err(_) if c.kid_match => {
                right_key_failed.get_or_insert("The header's kid is the thumbprint of a key derived from a secret you gave, so the secret and cookie name are right, yet the authentication tag does not verify. The ciphertext, iv, tag or header was altered after encryption, or part of it is missing (a lost cookie chunk, a value cut when copied).");
            }
            Err(_) => {}
        }
    }

    let n_secrets = secrets.len();
    let secrets_words = if n_secrets == 1 { "the secret".to_string() } else { format!("any of the {n_secrets} secrets") };
    let Some((c, plaintext)) = opened else {
        if let Some(why) = right_key_failed {
            outcome.status = DecryptionStatus::Corrupted;
            outcome.detail = "The key is derived from a secret given, but the token does not decrypt with it: it was changed or cut.".to_string();
            findings.push(Finding::new(
                Code::JweCorrupted,
                Severity::Error,
                "tag",
                "The token was changed or cut",
                format!("{why} Every {} decrypter rejects it, so the user is signed out.", enc.name()),
                "Copy the whole cookie value again, or paste the whole Cookie header so split cookies (name.0, name.1, …) are joined; if the browser itself holds a cut value, find what truncates it (a proxy's header limit, a cookie chunk rejected as too large).",
                "RFC 7516 §5.2 step 16",
            ));
            return (outcome, None);
        }
        outcome.status = DecryptionStatus::WrongSecret;
        let kid_words = match outcome.kid {
            KidCheck::Unmatched => " The header's kid (the thumbprint Auth.js writes of its key) matches none of the keys derived from the secrets given, so this is known before decrypting.",
            _ => " A token changed or cut after encryption (a lost cookie chunk) fails the same way; the header has no kid to tell the two apart.",
        };
        let salts = if outcome.salts_tried.is_empty() {
            String::new()
        } else {
            format!(" Auth.js salts its key with the cookie name; tried {}.", outcome.salts_tried.iter().map(|s| quote(s, MAX_QUOTE_CHARS)).collect::<Vec<_>>().join(", "))
        };
        outcome.detail = format!("Encrypted with a different secret: {secrets_words} given do not open it.");
        findings.push(Finding::new(
            Code::JweWrongSecret,
            Severity::Error,
            "token",
            "Encrypted with a different secret",
            format!(
                "The token does not decrypt with {secrets_words} you gave (keys derived as NextAuth.js v4 and Auth.js derive them; tried {} key{}): it was encrypted with a different secret — the per-instance fallback secret (NextAuth.js v4 without NEXTAUTH_SECRET derives one from its configuration, which differs between instances and deployments) or a rotated secret. A server configured with the secret you gave cannot read it either, so the user is signed out at random, depending on which instance answers.{salts} If the app renamed its session cookie, give that name: it is part of Auth.js's key.{kid_words}",
                candidates.len().min(MAX_JWE_DECRYPT_ATTEMPTS),
                if candidates.len() == 1 { "" } else { "s" }
            ),
            "Set the same NEXTAUTH_SECRET (NextAuth.js v4) or AUTH_SECRET (Auth.js) on every instance and environment, from the deployment's settings, never generated at start-up. When rotating with Auth.js keep the old secret readable until old sessions expire: secret: [newSecret, oldSecret] in the config, or the new secret in AUTH_SECRET_1 and the old one left in AUTH_SECRET (Auth.js encrypts with the first and reads with all). NextAuth.js v4 takes one secret, so rotating it signs everyone out once.",
            "RFC 7516 §5.2 step 16, RFC 7518 §5.2.2.2, §5.3",
        ));
        return (outcome, None);
    };

    outcome.status = DecryptionStatus::Decrypted;
    outcome.secret_index = Some(c.secret_index);
    outcome.secret_reading = Some(c.how);
    outcome.derivation = Some(c.derivation);
    outcome.salt = Some(c.salt.clone());
    let which = if n_secrets == 1 { "the secret".to_string() } else { format!("secret {} of {n_secrets}", c.secret_index + 1) };
    let kid_words = match outcome.kid {
        KidCheck::Matched => " The header's kid is this key's thumbprint, as Auth.js writes it.",
        KidCheck::Unmatched => " The header's kid is not this key's thumbprint (Auth.js's encode writes the thumbprint), so the token was not made by Auth.js's own encode.",
        _ => "",
    };
    outcome.detail = format!("Decrypted with {which}, read {}: {}.", c.how, c.derivation.describe(&c.salt));
    findings.push(Finding::new(
        Code::JweDecrypted,
        Severity::Info,
        "token",
        "Decrypted",
        format!(
            "Decrypted and authenticated with {which} (read {}), using {} and {}.{kid_words}{} The payload below is the decrypted claims set.",
            c.how,
            c.derivation.describe(&c.salt),
            enc.name(),
            if c.secret_index > 0 && n_secrets > 1 {
                format!(" It was made with secret {} of the list, not the first: an instance that only has the first secret cannot read it (the old secret of a rotation, or another instance's).", c.secret_index + 1)
            } else {
                String::new()
            }
        ),
        "",
        "RFC 7516 §5.2, RFC 5869",
    ));
    if c.how != "as text" && c.how != "as base64 (base64: prefix)" {
        findings.push(Finding::new(
            Code::JwtSecretEncoding,
            Severity::Warning,
            "token",
            "The secret matches only when read differently",
            format!("The token decrypts with the secret read {}, not as typed. If one instance reads the secret differently (a trailing newline from `echo` in one environment), it derives another key and cannot read the others' cookies.", c.how),
            "Store the secret without a trailing newline (printf, not echo) and set the same value everywhere.",
            "RFC 5869 §2.2",
        ));
    }
    (outcome, Some(plaintext))
}

/// What this module cannot decrypt, in words; `None` when it can.
fn unsupported(header: &Map<String, Value>, alg: Option<&str>, enc: Option<&str>) -> Option<String> {
    let Some(alg) = alg else {
        return Some("the header names no key management algorithm (alg)".to_string());
    };
    if alg != "dir" {
        return Some(format!("alg is {}: the content key is wrapped or agreed with the recipient's key, not derived from a shared secret", quote(alg, 30)));
    }
    let Some(enc) = enc else {
        return Some("the header names no content encryption algorithm (enc)".to_string());
    };
    if Enc::from_name(enc).is_none() {
        return Some(format!("enc is {}, not one of A128GCM, A256GCM, A128CBC-HS256, A256CBC-HS512", quote(enc, 30)));
    }
    if let Some(zip) = header.get("zip") {
        return Some(format!(
            "the payload is compressed (zip {}), which this version does not inflate; jose 5 and later, which NextAuth.js and Auth.js build on, refuse such tokens too",
            quote(&zip.as_str().map_or_else(|| zip.to_string(), str::to_string), 20)
        ));
    }
    if let Some(crit) = header.get("crit") {
        return Some(format!("the header lists critical extensions (crit {}) this version does not implement", quote(&crit.to_string(), 40)));
    }
    None
}

fn capitalise(s: &str) -> String {
    let mut c = s.chars();
    c.next().map_or_else(String::new, |f| f.to_uppercase().chain(c).collect())
}

#[cfg(test)]
mod tests {
    use super::*;
    use aes_gcm::aead::AeadInPlace;
    use cbc::cipher::BlockEncryptMut;

    fn gcm_seal(key: &[u8], iv: [u8; 12], aad: &[u8], plaintext: &[u8]) -> (Vec<u8>, Vec<u8>) {
        let mut buf = plaintext.to_vec();
        let tag = Aes256Gcm::new_from_slice(key).unwrap().encrypt_in_place_detached(&iv.into(), aad, &mut buf).unwrap();
        (buf, tag.to_vec())
    }

    fn cbc_hs512_seal(key: &[u8], iv: [u8; 16], aad: &[u8], plaintext: &[u8]) -> (Vec<u8>, Vec<u8>) {
        let (mac_key, enc_key) = key.split_at(32);
        let mut buf = plaintext.to_vec();
        buf.resize(plaintext.len() + 16, 0);
        let ct = cbc::Encryptor::<Aes256>::new_from_slices(enc_key, &iv).unwrap().encrypt_padded_mut::<Pkcs7>(&mut buf, plaintext.len()).unwrap().to_vec();
        let mut mac = <Hmac<Sha512> as Mac>::new_from_slice(mac_key).unwrap();
        mac.update(aad);
        mac.update(&iv);
        mac.update(&ct);
        mac.update(&((aad.len() as u64) * 8).to_be_bytes());
        (ct, mac.finalize().into_bytes()[..32].to_vec())
    }

    #[test]
    fn round_trips_and_rejects_changes() {
        let key = authjs_key(b"s3cret", "authjs.session-token", Enc::A256CbcHs512).unwrap();
        let (ct, tag) = cbc_hs512_seal(&key, [9; 16], b"aad", b"{\"sub\":\"1\"}");
        assert_eq!(decrypt_content(Enc::A256CbcHs512, &key, &[9; 16], b"aad", &ct, &tag).unwrap(), b"{\"sub\":\"1\"}");
        // Wrong tag, wrong AAD, wrong key, truncated ciphertext.
        let mut bad = tag.clone();
        bad[0] ^= 1;
        assert_eq!(decrypt_content(Enc::A256CbcHs512, &key, &[9; 16], b"aad", &ct, &bad), Err(ContentError::Authentication));
        assert_eq!(decrypt_content(Enc::A256CbcHs512, &key, &[9; 16], b"aae", &ct, &tag), Err(ContentError::Authentication));
        let other = authjs_key(b"s3cret", "next-auth.session-token", Enc::A256CbcHs512).unwrap();
        assert_eq!(decrypt_content(Enc::A256CbcHs512, &other, &[9; 16], b"aad", &ct, &tag), Err(ContentError::Authentication));
        assert_eq!(decrypt_content(Enc::A256CbcHs512, &key, &[9; 16], b"aad", &ct[..15], &tag), Err(ContentError::CiphertextLength { found: 15 }));
        assert_eq!(decrypt_content(Enc::A256CbcHs512, &key, &[9; 16], b"aad", &ct, &tag[..16]), Err(ContentError::TagLength { expected: 32, found: 16 }));

        let key = nextauth_v4_key(b"s3cret");
        let (ct, tag) = gcm_seal(&key, [1; 12], b"hdr", b"hello");
        assert_eq!(decrypt_content(Enc::A256Gcm, &key, &[1; 12], b"hdr", &ct, &tag).unwrap(), b"hello");
        assert_eq!(decrypt_content(Enc::A256Gcm, &key, &[1; 11], b"hdr", &ct, &tag), Err(ContentError::IvLength { expected: 12, found: 11 }));
        assert_eq!(decrypt_content(Enc::A256Gcm, &key[..16], &[1; 12], b"hdr", &ct, &tag), Err(ContentError::KeyLength { expected: 32, found: 16 }));
        assert_eq!(decrypt_content(Enc::A256Gcm, &key, &[1; 12], b"hdr", &ct[..4], &tag), Err(ContentError::Authentication));
        // Empty ciphertext is fine for GCM (an empty plaintext), not for CBC.
        let (ct, tag) = gcm_seal(&key, [1; 12], b"hdr", b"");
        assert_eq!(decrypt_content(Enc::A256Gcm, &key, &[1; 12], b"hdr", &ct, &tag).unwrap(), b"");
        assert_eq!(check_lengths(Enc::A128CbcHs256, 16, 16, 0), Err(ContentError::CiphertextLength { found: 0 }));
    }

    #[test]
    fn cbc_padding_error_is_told_apart() {
        // A valid tag over a ciphertext whose last block does not decrypt to PKCS#7 padding.
        let key = [3u8; 64];
        let (mac_key, _) = key.split_at(32);
        let ct = [0u8; 16];
        let mut mac = <Hmac<Sha512> as Mac>::new_from_slice(mac_key).unwrap();
        mac.update(b"a");
        mac.update(&[0; 16]);
        mac.update(&ct);
        mac.update(&8u64.to_be_bytes());
        let tag = mac.finalize().into_bytes()[..32].to_vec();
        let r = decrypt_content(Enc::A256CbcHs512, &key, &[0; 16], b"a", &ct, &tag);
        assert_eq!(r, Err(ContentError::Padding));
    }

    #[test]
    fn derivations_match_the_libraries() {
        // Values computed with next-auth 4.24.15 / @auth/core 0.41.3's getDerivedEncryptionKey
        // (through @panva/hkdf) and jose's calculateJwkThumbprint, for the secret "secret".
        assert_eq!(URL_SAFE_NO_PAD.encode(nextauth_v4_key(b"secret")), "mrUFjr9b6I-C9K7pnSLPi-ejSkrxg2KZ0GaPTYMCD1o");
        let k = authjs_key(b"secret", "authjs.session-token", Enc::A256CbcHs512).unwrap();
        assert_eq!(URL_SAFE_NO_PAD.encode(&k), "se9s3ZFcRMCnEjJXSmpwVGpeFtErs430Y447lr3TICUTHpBpX_ByqdFI8VEcekmBqFtjpigxHaH6fM_EnEfCuw");
        assert_eq!(authjs_kid(&k), "7x9DUMVaEU6giab0l0OWDt4e4SsRH_cbwMof2EzEyy6onK5o8xSPPB799RVoqm2v6z674kQCv9jom2T8S-a1dQ");
        assert_eq!(authjs_kid(&k[..32]).len(), 43, "SHA-256 thumbprint for a 32-byte key");
    }

    #[test]
    fn readings_of_a_secret() {
        let r = readings("abc\n");
        assert_eq!(r.iter().map(|r| r.how).collect::<Vec<_>>(), ["as text", "without its surrounding whitespace or newline"]);
        let r = readings("base64:AAECAw");
        assert_eq!(r.len(), 1);
        assert_eq!(r[0].bytes, [0, 1, 2, 3]);
        let r = readings("AAECAwQFBgcICQoLDA0ODw");
        assert!(r.iter().any(|r| r.direct_only && r.bytes.len() == 16));
    }

    fn header(v: Value) -> Map<String, Value> {
        v.as_object().unwrap().clone()
    }

    #[test]
    fn unsupported_and_malformed_are_findings() {
        let h = header(serde_json::json!({"alg": "RSA-OAEP", "enc": "A256GCM"}));
        let input = JweInput { header: &h, header_segment: "x", encrypted_key: b"k", iv: &[0; 12], ciphertext: b"c", tag: &[0; 16] };
        let mut f = Vec::new();
        let (d, p) = decrypt(&input, &["s"], &[], &mut f);
        assert_eq!((d.status, p), (DecryptionStatus::Unsupported, None));
        assert_eq!(f[0].code, Code::JweUnsupported);

        let h = header(serde_json::json!({"alg": "dir", "enc": "A256GCM", "zip": "DEF"}));
        let input = JweInput { header: &h, header_segment: "x", encrypted_key: b"", iv: &[0; 12], ciphertext: b"c", tag: &[0; 16] };
        let mut f = Vec::new();
        assert_eq!(decrypt(&input, &["s"], &[], &mut f).0.status, DecryptionStatus::Unsupported);
        assert!(f[0].detail.contains("compressed"), "{}", f[0].detail);

        let h = header(serde_json::json!({"alg": "dir", "enc": "A256GCM"}));
        let input = JweInput { header: &h, header_segment: "x", encrypted_key: b"", iv: &[0; 7], ciphertext: b"c", tag: &[0; 16] };
        let mut f = Vec::new();
        assert_eq!(decrypt(&input, &["s"], &[], &mut f).0.status, DecryptionStatus::Malformed);
        assert_eq!((f[0].code, f[0].location.as_str()), (Code::JwtMalformed, "iv"));

        let input = JweInput { header: &h, header_segment: "x", encrypted_key: b"", iv: &[0; 12], ciphertext: b"c", tag: &[0; 16] };
        let mut f = Vec::new();
        assert_eq!(decrypt(&input, &[], &[], &mut f).0.status, DecryptionStatus::SecretNeeded);
        assert_eq!(f[0].code, Code::JweSecretNeeded);
        let mut f = Vec::new();
        let (d, _) = decrypt(&input, &["", "wrong"], &["authjs.session-token".into()], &mut f);
        assert_eq!((d.status, d.secrets_tried), (DecryptionStatus::WrongSecret, 1));
        assert_eq!(f[0].code, Code::JweWrongSecret);
        assert!(!f[0].detail.contains("wrong\""), "the secret is never echoed: {}", f[0].detail);
    }

    /// A whole token through the analysis: `dir` + A256GCM with NextAuth.js v4's key.
    fn nextauth_token(secret: &str, header_json: &str, payload: &[u8]) -> String {
        let seg = URL_SAFE_NO_PAD.encode(header_json);
        let (ct, tag) = gcm_seal(&nextauth_v4_key(secret.as_bytes()), [4; 12], seg.as_bytes(), payload);
        format!("{seg}..{}.{}.{}", URL_SAFE_NO_PAD.encode([4u8; 12]), URL_SAFE_NO_PAD.encode(ct), URL_SAFE_NO_PAD.encode(tag))
    }

    fn analyze(token: &str, secrets: &[&str]) -> crate::jose::TokenReport {
        let keys = crate::jose::KeyOptions { secrets: secrets.iter().map(|s| s.to_string()).collect(), cookie_name: None };
        crate::jose::analyze_token_with(token, &crate::jose::TokenOptions { now: 1_800_000_000.0, secret: None }, &keys)
    }

    fn has(r: &crate::jose::TokenReport, code: Code) -> bool {
        r.findings.iter().any(|f| f.code == code)
    }

    #[test]
    fn edge_cases_through_the_analysis() {
        let good = nextauth_token("k", r#"{"alg":"dir","enc":"A256GCM"}"#, br#"{"sub":"1","exp":1800003600}"#);
        let r = analyze(&good, &["k"]);
        assert_eq!(r.decryption.as_ref().unwrap().derivation, Some(Derivation::NextauthV4));
        assert_eq!(r.payload.as_ref().unwrap()["sub"], "1");

        // Bad base64 in the ciphertext: the part is named, nothing is decrypted.
        let parts: Vec<&str> = good.split('.').collect();
        let bad = format!("{}..{}.{}%.{}", parts[0], parts[2], parts[3], parts[4]);
        let r = analyze(&bad, &["k"]);
        assert!(r.findings.iter().any(|f| f.code == Code::JwtMalformed && f.location == "ciphertext"), "{:?}", r.findings);
        assert!(r.decryption.is_none() && r.payload.is_none());

        // A wrong tag: with one secret and no kid, indistinguishable from another secret.
        let mut tag = URL_SAFE_NO_PAD.decode(parts[4]).unwrap();
        tag[15] ^= 1;
        let r = analyze(&format!("{}..{}.{}.{}", parts[0], parts[2], parts[3], URL_SAFE_NO_PAD.encode(&tag)), &["k"]);
        assert!(has(&r, Code::JweWrongSecret));

        // Truncated: the tag cut to 10 bytes is a malformed tag, not a wrong secret.
        let r = analyze(&format!("{}..{}.{}.{}", parts[0], parts[2], parts[3], &parts[4][..14]), &["k"]);
        assert_eq!(r.decryption.as_ref().unwrap().status, DecryptionStatus::Malformed);
        assert!(r.findings.iter().any(|f| f.code == Code::JwtMalformed && f.location == "tag"));

        // A plaintext that is not a claims set is reported like a JWS payload that is not one.
        let r = analyze(&nextauth_token("k", r#"{"alg":"dir","enc":"A256GCM"}"#, b"[1,2]"), &["k"]);
        assert!(has(&r, Code::JweDecrypted) && has(&r, Code::JwtMalformed));
        let r = analyze(&nextauth_token("k", r#"{"alg":"dir","enc":"A256GCM"}"#, &[0xff, 0xfe]), &["k"]);
        assert!(r.findings.iter().any(|f| f.code == Code::JwtMalformed && f.detail.contains("0xff")));

        // A huge header (150 KB, 200 KB encoded) is analysed, not choked on.
        let huge = format!(r#"{{"alg":"dir","enc":"A256GCM","x":"{}"}}"#, "a".repeat(150_000));
        let r = analyze(&nextauth_token("k", &huge, b"{}"), &["k"]);
        assert!(has(&r, Code::JweDecrypted), "{:?}", r.findings.iter().map(|f| f.code.as_str()).collect::<Vec<_>>());

        // The secret with a trailing newline (from echo) decrypts, and that is said.
        let r = analyze(&good, &["k\n"]);
        assert!(has(&r, Code::JweDecrypted) && has(&r, Code::JwtSecretEncoding));
    }

    #[test]
    fn kid_names_the_key_and_a_changed_token_is_corrupted() {
        let salt = "authjs.session-token".to_string();
        let key = authjs_key(b"right", &salt, Enc::A256CbcHs512).unwrap();
        let h = header(serde_json::json!({"alg": "dir", "enc": "A256CBC-HS512", "kid": authjs_kid(&key)}));
        let seg = "eyJ0ZXN0IjoxfQ";
        let (ct, mut tag) = cbc_hs512_seal(&key, [5; 16], seg.as_bytes(), b"{\"sub\":\"7\"}");
        let input = JweInput { header: &h, header_segment: seg, encrypted_key: b"", iv: &[5; 16], ciphertext: &ct, tag: &tag };
        let mut f = Vec::new();
        let (d, p) = decrypt(&input, &["wrong", "right"], &["x".into(), salt.clone()], &mut f);
        assert_eq!(p.unwrap(), b"{\"sub\":\"7\"}");
        assert_eq!((d.status, d.kid, d.secret_index, d.derivation, d.salt.as_deref()), (DecryptionStatus::Decrypted, KidCheck::Matched, Some(1), Some(Derivation::Authjs), Some("authjs.session-token")));
        assert!(f[0].detail.contains("secret 2 of 2"), "{}", f[0].detail);
        tag[3] ^= 0x80;
        let input = JweInput { header: &h, header_segment: seg, encrypted_key: b"", iv: &[5; 16], ciphertext: &ct, tag: &tag };
        let mut f = Vec::new();
        assert_eq!(decrypt(&input, &["right"], &[salt], &mut f).0.status, DecryptionStatus::Corrupted);
        assert_eq!(f[0].code, Code::JweCorrupted);
    }
}
