//! Public keys given to verify signatures with: a JWK (RFC 7517 §4, RFC 7518 §6, RFC 8037 §2), a
//! JWK Set (RFC 7517 §5) or a JSON array of JWKs, and PEM text (RFC 7468) holding one or more
//! `PUBLIC KEY` (SubjectPublicKeyInfo, RFC 5280 §4.1.2.7), `RSA PUBLIC KEY` (PKCS#1, RFC 8017
//! §A.1.1) or `CERTIFICATE` (X.509, RFC 5280 §4.1: its subject public key) blocks; also the
//! base64 of such DER without the PEM lines, as keys are often kept in environment variables.
//!
//! Reading never fails and never panics: a key that cannot be read is a `jwt.key-unreadable`
//! finding saying which key and why, and the other keys are still read. A private key is never
//! needed: a private JWK's public part is used (`jwt.private-key-given` says so), and a private
//! PEM block is not read at all.
//!
//! Lenient where people's keys are: PEM with CRLF or literal `\n` escapes (a key pasted from a
//! JSON or `.env` file), lines of any width, padding or not; a modulus with a leading zero octet.
//!
//! Incomplete support: Ed448 and secp256k1 keys are read but not verified with (`jwt.key-mismatch`
//! says so); a certificate's validity period and chain are not checked; `x5c`/`x5u`/`jku` are
//! not followed (a JWK's own `n`/`e`, `x`/`y` are used).

use crate::finding::{quote, Code, Finding, Severity};
use crate::limits::{MAX_PUBLIC_KEYS, MAX_PUBLIC_KEY_TEXT_BYTES, MAX_RSA_MODULUS_BITS};
use base64::alphabet;
use base64::engine::general_purpose::{GeneralPurpose, GeneralPurposeConfig};
use base64::engine::DecodePaddingMode;
use base64::Engine;
use der::asn1::AnyRef;
use der::{Decode, Reader, SliceReader, Tag, TagNumber, Tagged};
use rsa::traits::PublicKeyParts;
use serde_json::{Map, Value};
use spki::{ObjectIdentifier, SubjectPublicKeyInfoRef};

/// A key read from the caller's list, ready to verify with.
#[derive(Debug, Clone)]
pub struct PublicKey {
    /// How reports name it: `the public key`, `public key 2`, `JWKS key 3`, `PEM block 2 of public key 1`.
    pub name: String,
    /// The JWK's `kid` (RFC 7517 §4.5).
    pub kid: Option<String>,
    /// The JWK's `alg` (RFC 7517 §4.4): the one algorithm it is for, when given.
    pub alg: Option<String>,
    /// The JWK's `use` (RFC 7517 §4.2): `sig` or `enc`, when given.
    pub usage: Option<String>,
    /// The JWK's `key_ops` (RFC 7517 §4.3), when given.
    pub key_ops: Option<Vec<String>>,
    /// The 0-based position, in the caller's list, of the JWK Set it came from; `None` for a
    /// lone JWK or PEM key. A verifier looks a key up within one set.
    pub jwks: Option<usize>,
    pub material: Material,
    /// The PEM text the key came from, exactly as given: the bytes a server configured with
    /// this PEM file holds, which the algorithm-confusion check tries as an HMAC secret.
    pub pem: Option<String>,
}

impl PublicKey {
    /// Its name, `kid` and kind, for a message: `JWKS key 2 (kid "k1", RSA 2048-bit)`.
    pub fn describe(&self) -> String {
        match &self.kid {
            Some(kid) => format!("{} (kid {}, {})", self.name, quote(kid, 40), self.material.describe()),
            None => format!("{} ({})", self.name, self.material.describe()),
        }
    }
}

/// The key itself.
#[derive(Clone)]
pub enum Material {
    Rsa(rsa::RsaPublicKey),
    P256(p256::ecdsa::VerifyingKey),
    P384(p384::ecdsa::VerifyingKey),
    P521(p521::ecdsa::VerifyingKey),
    Ed25519(ed25519_dalek::VerifyingKey),
    /// A symmetric JWK (`kty: oct`, RFC 7518 §6.4): an HMAC key for HS256/384/512.
    Oct(Vec<u8>),
    /// Read, but of a kind this version does not verify with; says which (`Ed448`, `EC secp256k1`).
    Unsupported(String),
}

impl Material {
    /// In words: `RSA 2048-bit`, `EC P-256`, `Ed25519`, `oct (HMAC) 32 bytes`.
    pub fn describe(&self) -> String {
        match self {
            Material::Rsa(k) => format!("RSA {}-bit", k.n().bits()),
            Material::P256(_) => "EC P-256".into(),
            Material::P384(_) => "EC P-384".into(),
            Material::P521(_) => "EC P-521".into(),
            Material::Ed25519(_) => "OKP Ed25519".into(),
            Material::Oct(k) => format!("oct (HMAC) {} bytes", k.len()),
            Material::Unsupported(what) => what.clone(),
        }
    }
}

/// Never prints key bytes (an `oct` key is a secret): only what kind of key it is.
impl std::fmt::Debug for Material {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(&self.describe())
    }
}

/// Reads every entry of the caller's list, at most [`MAX_PUBLIC_KEYS`] keys in all; problems
/// are findings.
pub fn read_all(texts: &[String], findings: &mut Vec<Finding>) -> Vec<PublicKey> {
    let too_many = |entry: Entry| {
        unreadable(
            &entry.location(),
            format!("More than {MAX_PUBLIC_KEYS} public keys were given; the rest were not read."),
            "Give only the issuer's current JWKS (a handful of keys).",
        )
    };
    let mut keys = Vec::new();
    for (position, text) in texts.iter().enumerate() {
        let entry = Entry { position, count: texts.len() };
        if position >= MAX_PUBLIC_KEYS {
            findings.push(too_many(entry));
            break;
        }
        for key in read(text, entry, findings) {
            if keys.len() >= MAX_PUBLIC_KEYS {
                findings.push(too_many(entry));
                return keys;
            }
            keys.push(key);
        }
    }
    keys
}

/// Where an entry sits in the caller's list, for names and finding locations.
#[derive(Debug, Clone, Copy)]
struct Entry {
    position: usize,
    count: usize,
}

impl Entry {
    /// `the public key` when it is the only one, else `public key 2`.
    fn name(self) -> String {
        if self.count <= 1 {
            "the public key".into()
        } else {
            format!("public key {}", self.position.saturating_add(1))
        }
    }

    /// The name of part `i` of `n` (a JWKS key, a PEM block) of this entry.
    fn part_name(self, what: &str, i: usize, n: usize) -> String {
        if n <= 1 && what == "PEM block" {
            return self.name();
        }
        let part = format!("{what} {}", i.saturating_add(1));
        if self.count <= 1 {
            part
        } else {
            format!("{part} of public key {}", self.position.saturating_add(1))
        }
    }

    fn location(self) -> String {
        if self.count <= 1 {
            "public key".into()
        } else {
            format!("public key {}", self.position.saturating_add(1))
        }
    }
}

/// Reads one entry: JSON (a JWK, a JWK Set, an array of JWKs), PEM, or bare base64 DER.
fn read(text: &str, entry: Entry, findings: &mut Vec<Finding>) -> Vec<PublicKey> {
    let trimmed = text.trim().trim_matches(|c| c == '"' || c == '\'').trim();
    if trimmed.len() > MAX_PUBLIC_KEY_TEXT_BYTES {
        findings.push(unreadable(
            &entry.location(),
            format!("{} is {} bytes; keys are read up to {MAX_PUBLIC_KEY_TEXT_BYTES} bytes. A JWKS or PEM key is a few KiB.", capital(&entry.name()), trimmed.len()),
            "Give only the key: the issuer's JWKS (…/.well-known/jwks.json) or a PEM public key.",
        ));
        return Vec::new();
    }
    if trimmed.is_empty() {
        findings.push(unreadable(&entry.location(), format!("{} is empty.", capital(&entry.name())), PASTE_FIX));
        return Vec::new();
    }
    if trimmed.starts_with('{') || trimmed.starts_with('[') {
        return read_json(trimmed, entry, findings);
    }
    if trimmed.contains("-----BEGIN") {
        return read_pem(trimmed, entry, findings);
    }
    for prefix in ["ssh-rsa ", "ssh-ed25519 ", "ecdsa-sha2-", "ssh-dss "] {
        if trimmed.starts_with(prefix) {
            findings.push(unreadable(
                &entry.location(),
                format!("{} is an OpenSSH public key (it starts with {}), a format JOSE libraries do not read.", capital(&entry.name()), quote(prefix.trim(), 20)),
                "Convert it to PEM: ssh-keygen -e -m PKCS8 -f key.pub (or use the issuer's JWKS).",
            ));
            return Vec::new();
        }
    }
    // Bare base64 of DER (SPKI, PKCS#1 or a certificate), as kept in environment variables.
    let compact: String = unescape_newlines(trimmed).chars().filter(|c| !c.is_whitespace()).collect();
    match LENIENT_STANDARD.decode(&compact).or_else(|_| LENIENT_URL_SAFE.decode(&compact)) {
        Ok(der) => match from_der_guess(&der) {
            Ok(material) => vec![plain_key(entry.name(), material, None)],
            Err(why) => {
                findings.push(unreadable(&entry.location(), format!("{} is base64, but not of a public key: {why}.", capital(&entry.name())), PASTE_FIX));
                Vec::new()
            }
        },
        Err(_) => {
            findings.push(unreadable(
                &entry.location(),
                format!("{} is neither JSON (a JWK or JWKS) nor PEM (-----BEGIN PUBLIC KEY-----): it starts with {}.", capital(&entry.name()), quote(trimmed, 24)),
                PASTE_FIX,
            ));
            Vec::new()
        }
    }
}

const PASTE_FIX: &str = "Paste the issuer's public key: its JWKS (the JSON at …/.well-known/jwks.json, or the jwks_uri of its /.well-known/openid-configuration), one JWK, or a PEM block (openssl pkey -pubout -in private.pem prints one).";

/// Standard base64, padding optional (PEM bodies and DER in environment variables).
const LENIENT_STANDARD: GeneralPurpose =
    GeneralPurpose::new(&alphabet::STANDARD, GeneralPurposeConfig::new().with_decode_padding_mode(DecodePaddingMode::Indifferent));
/// base64url, padding optional (JWK members, RFC 7515 §2 — some issuers pad them).
const LENIENT_URL_SAFE: GeneralPurpose =
    GeneralPurpose::new(&alphabet::URL_SAFE, GeneralPurposeConfig::new().with_decode_padding_mode(DecodePaddingMode::Indifferent));

fn plain_key(name: String, material: Material, pem: Option<String>) -> PublicKey {
    PublicKey { name, kid: None, alg: None, usage: None, key_ops: None, jwks: None, material, pem }
}

fn unreadable(location: &str, detail: String, fix: &str) -> Finding {
    Finding::new(Code::JwtKeyUnreadable, Severity::Warning, location, "A public key could not be read", detail, fix, "RFC 7517 §4, §5; RFC 7468 §13")
}

fn capital(text: &str) -> String {
    let mut chars = text.chars();
    chars.next().map(|c| c.to_uppercase().chain(chars).collect()).unwrap_or_default()
}

/// Literal `\n` and `\r` escapes, left when a PEM key was copied out of a JSON or `.env` file.
fn unescape_newlines(text: &str) -> String {
    text.replace("\\r\\n", "\n").replace("\\n", "\n").replace("\\r", "\n")
}

// ---- JSON: JWK, JWK Set, array of JWKs ----

fn read_json(text: &str, entry: Entry, findings: &mut Vec<Finding>) -> Vec<PublicKey> {
    let value: Value = match serde_json::from_str(text) {
        Ok(v) => v,
        Err(e) => {
            findings.push(unreadable(
                &entry.location(),
                format!("{} starts like JSON but is not valid JSON: {e}.", capital(&entry.name())),
                "Copy the whole JWK or JWKS (from { to the matching }), as the issuer serves it.",
            ));
            return Vec::new();
        }
    };
    let (jwks, list): (bool, Vec<&Value>) = match &value {
        Value::Object(map) => match map.get("keys") {
            Some(Value::Array(keys)) => (true, keys.iter().collect()),
            Some(_) => {
                findings.push(unreadable(&entry.location(), format!("{} has a keys member that is not an array: a JWK Set's keys is an array of JWKs.", capital(&entry.name())), PASTE_FIX));
                return Vec::new();
            }
            None => (false, vec![&value]),
        },
        Value::Array(items) => (true, items.iter().collect()),
        _ => (false, vec![&value]),
    };
    if jwks && list.is_empty() {
        findings.push(unreadable(&entry.location(), format!("{} is a JWK Set with no keys.", capital(&entry.name())), PASTE_FIX));
        return Vec::new();
    }
    let n = list.len();
    let mut keys = Vec::new();
    for (i, item) in list.into_iter().enumerate().take(MAX_PUBLIC_KEYS.saturating_add(1)) {
        let name = if jwks { entry.part_name("JWKS key", i, n) } else { entry.name() };
        let Value::Object(jwk) = item else {
            findings.push(unreadable(&entry.location(), format!("{} is not a JSON object: a JWK is an object like {{\"kty\":\"RSA\",\"n\":…,\"e\":…}}.", capital(&name)), PASTE_FIX));
            continue;
        };
        match read_jwk(jwk, &name) {
            Ok(mut key) => {
                if is_private_jwk(jwk) {
                    findings.push(private_jwk(&entry.location(), &name));
                }
                key.jwks = jwks.then_some(entry.position);
                keys.push(key);
            }
            Err(why) => findings.push(unreadable(&entry.location(), format!("{} cannot be used: {why}.", capital(&name)), JWK_FIX)),
        }
    }
    keys
}

const JWK_FIX: &str = "Use the JWK exactly as the issuer publishes it: kty RSA with n and e, kty EC with crv, x and y, or kty OKP with crv Ed25519 and x, each base64url without padding.";

/// A private JWK: RSA's `d`/`p`/`q`/…, EC's and OKP's `d` (RFC 7518 §6.2.2, §6.3.2; RFC 8037 §2).
fn is_private_jwk(jwk: &Map<String, Value>) -> bool {
    let kty = jwk.get("kty").and_then(Value::as_str);
    kty != Some("oct") && ["d", "p", "q", "dp", "dq", "qi"].iter().any(|m| jwk.contains_key(*m))
}

fn private_jwk(location: &str, name: &str) -> Finding {
    Finding::new(
        Code::JwtPrivateKeyGiven,
        Severity::Warning,
        location,
        "A private key was given",
        format!("{} is a private JWK (it has d): only its public part was used. A private key signs tokens, so whoever holds it can sign in as anyone; it should never leave the issuer.", capital(name)),
        "Give the public JWK (without d, p, q, dp, dq, qi), as served at the issuer's …/.well-known/jwks.json. If this private key was shared or committed, rotate it.",
        "RFC 7518 §6.2.2, §6.3.2; RFC 8037 §2",
    )
}

/// Reads one JWK's public key (RFC 7517 §4; the members of RFC 7518 §6 and RFC 8037 §2).
fn read_jwk(jwk: &Map<String, Value>, name: &str) -> Result<PublicKey, String> {
    let text = |member: &str| -> Result<Option<String>, String> {
        match jwk.get(member) {
            None => Ok(None),
            Some(Value::String(s)) => Ok(Some(s.clone())),
            Some(other) => Err(format!("its {member} is not a string (it is {})", quote(&other.to_string(), 30))),
        }
    };
    let key_ops = match jwk.get("key_ops") {
        None => None,
        Some(Value::Array(ops)) => Some(ops.iter().filter_map(Value::as_str).map(str::to_string).collect()),
        Some(_) => return Err("its key_ops is not an array of strings".into()),
    };
    let kty = text("kty")?.ok_or("it has no kty (RSA, EC, OKP or oct)")?;
    let material = match kty.as_str() {
        "RSA" => {
            let n = member_bytes(jwk, "n")?;
            let e = member_bytes(jwk, "e")?;
            rsa_key(&n, &e)?
        }
        "EC" => {
            let crv = text("crv")?.ok_or("it is kty EC but has no crv")?;
            let size = match crv.as_str() {
                "P-256" => 32,
                "P-384" => 48,
                "P-521" => 66,
                "secp256k1" => return Ok(with_members(jwk, name, Material::Unsupported("EC secp256k1".into()))),
                other => return Err(format!("its crv {} is not P-256, P-384 or P-521", quote(other, 20))),
            };
            let x = member_bytes(jwk, "x")?;
            let y = member_bytes(jwk, "y")?;
            for (member, bytes) in [("x", &x), ("y", &y)] {
                if bytes.len() != size {
                    return Err(format!("its {member} is {} bytes; a {crv} coordinate is {size} bytes (RFC 7518 §6.2.1.2: the full size, leading zeros kept)", bytes.len()));
                }
            }
            let mut point = Vec::with_capacity(1 + 2 * size);
            point.push(0x04);
            point.extend_from_slice(&x);
            point.extend_from_slice(&y);
            ec_key(&crv, &point).map_err(|_| format!("the point (x, y) is not on the curve {crv}"))?
        }
        "OKP" => {
            let crv = text("crv")?.ok_or("it is kty OKP but has no crv")?;
            match crv.as_str() {
                "Ed25519" => ed25519_key(&member_bytes(jwk, "x")?)?,
                "Ed448" | "X25519" | "X448" => Material::Unsupported(format!("OKP {crv}")),
                other => return Err(format!("its crv {} is not Ed25519", quote(other, 20))),
            }
        }
        "oct" => {
            let k = member_bytes(jwk, "k")?;
            if k.is_empty() {
                return Err("its k is empty".into());
            }
            Material::Oct(k)
        }
        other => return Err(format!("its kty {} is not RSA, EC, OKP or oct", quote(other, 20))),
    };
    let mut key = with_members(jwk, name, material);
    key.key_ops = key_ops;
    Ok(key)
}

/// The key with the JWK's `kid`, `alg` and `use` (strings only; anything else is ignored).
fn with_members(jwk: &Map<String, Value>, name: &str, material: Material) -> PublicKey {
    let text = |m: &str| jwk.get(m).and_then(Value::as_str).map(str::to_string);
    PublicKey { name: name.to_string(), kid: text("kid"), alg: text("alg"), usage: text("use"), key_ops: None, jwks: None, material, pem: None }
}

/// A base64url member (RFC 7518 §6: Base64urlUInt or octets).
fn member_bytes(jwk: &Map<String, Value>, member: &str) -> Result<Vec<u8>, String> {
    let text = match jwk.get(member) {
        Some(Value::String(s)) => s,
        Some(_) => return Err(format!("its {member} is not a string")),
        None => return Err(format!("it has no {member}")),
    };
    LENIENT_URL_SAFE
        .decode(text.trim())
        .or_else(|_| LENIENT_STANDARD.decode(text.trim()))
        .map_err(|e| format!("its {member} is not base64url ({e})"))
}

fn rsa_key(n: &[u8], e: &[u8]) -> Result<Material, String> {
    let n = rsa::BigUint::from_bytes_be(n);
    let e = rsa::BigUint::from_bytes_be(e);
    let bits = n.bits();
    if bits < 512 {
        return Err(format!("its modulus n is {bits} bits: not an RSA key"));
    }
    if bits > MAX_RSA_MODULUS_BITS {
        return Err(format!("its modulus n is {bits} bits; keys are read up to {MAX_RSA_MODULUS_BITS} bits"));
    }
    rsa::RsaPublicKey::new_with_max_size(n, e, MAX_RSA_MODULUS_BITS).map(Material::Rsa).map_err(|err| match err {
        rsa::Error::PublicExponentTooSmall => "its exponent e is below 2".to_string(),
        rsa::Error::PublicExponentTooLarge => "its exponent e is above 2³³ − 1 (it is 65537 in practice)".to_string(),
        other => format!("it is not a valid RSA public key ({other})"),
    })
}

/// An EC key from a SEC1 point (`04 || x || y`, or compressed).
fn ec_key(crv: &str, point: &[u8]) -> Result<Material, ()> {
    match crv {
        "P-256" => p256::ecdsa::VerifyingKey::from_sec1_bytes(point).map(Material::P256).map_err(drop),
        "P-384" => p384::ecdsa::VerifyingKey::from_sec1_bytes(point).map(Material::P384).map_err(drop),
        "P-521" => p521::ecdsa::VerifyingKey::from_sec1_bytes(point).map(Material::P521).map_err(drop),
        _ => Err(()),
    }
}

fn ed25519_key(x: &[u8]) -> Result<Material, String> {
    let bytes: &[u8; 32] = x.try_into().map_err(|_| format!("its x is {} bytes; an Ed25519 public key is 32 bytes (RFC 8037 §2)", x.len()))?;
    ed25519_dalek::VerifyingKey::from_bytes(bytes).map(Material::Ed25519).map_err(|_| "its x is not a point of Ed25519".to_string())
}

// ---- PEM ----

/// One `-----BEGIN label-----` … `-----END label-----` block.
struct PemBlock<'a> {
    label: &'a str,
    body: &'a str,
    end_label: &'a str,
}

impl PemBlock<'_> {
    /// The block's text as given.
    fn text(&self) -> String {
        format!("-----BEGIN {}-----{}-----END {}-----", self.label, self.body, self.end_label)
    }
}

/// The PEM blocks of `text`, in order, and whether text was left over after a cut `BEGIN`.
fn pem_blocks(text: &str) -> (Vec<PemBlock<'_>>, bool) {
    let mut blocks = Vec::new();
    let mut rest = text;
    while let Some((_, after)) = rest.split_once("-----BEGIN ") {
        let Some((label, after)) = after.split_once("-----") else { return (blocks, true) };
        let Some((body, after)) = after.split_once("-----END ") else { return (blocks, true) };
        let Some((end_label, after)) = after.split_once("-----") else { return (blocks, true) };
        blocks.push(PemBlock { label, body, end_label });
        rest = after;
    }
    (blocks, false)
}

fn read_pem(text: &str, entry: Entry, findings: &mut Vec<Finding>) -> Vec<PublicKey> {
    let unescaped = unescape_newlines(text);
    let (blocks, cut) = pem_blocks(&unescaped);
    if cut {
        findings.push(unreadable(
            &entry.location(),
            format!("{} has a -----BEGIN line without its -----END line: it was cut when copied.", capital(&entry.name())),
            "Copy the whole PEM block, from -----BEGIN PUBLIC KEY----- to -----END PUBLIC KEY----- inclusive.",
        ));
    }
    let n = blocks.len();
    let mut keys = Vec::new();
    for (i, block) in blocks.iter().enumerate() {
        let name = entry.part_name("PEM block", i, n);
        let label = block.label.trim();
        if label != block.end_label.trim() {
            findings.push(unreadable(
                &entry.location(),
                format!("{} begins as {} but ends as {}.", capital(&name), quote(label, 40), quote(block.end_label.trim(), 40)),
                "Copy the PEM block exactly as the tool that wrote it printed it.",
            ));
            continue;
        }
        if label.contains("PRIVATE KEY") {
            findings.push(Finding::new(
                Code::JwtPrivateKeyGiven,
                Severity::Warning,
                entry.location(),
                "A private key was given",
                format!("{} is a private key (-----BEGIN {}-----); it was not read. A private key signs tokens, so whoever holds it can sign in as anyone; it should never leave the issuer.", capital(&name), quote(label, 40).trim_matches('"')),
                "Give the public key: openssl pkey -in private.pem -pubout prints it (-----BEGIN PUBLIC KEY-----). If this private key was shared or committed, rotate it.",
                "RFC 7468 §10, §13",
            ));
            continue;
        }
        if label == "EC PARAMETERS" {
            continue; // openssl ecparam prints it before a key: not a key.
        }
        let kind = match label {
            "PUBLIC KEY" => DerKind::Spki,
            "RSA PUBLIC KEY" => DerKind::Pkcs1,
            "CERTIFICATE" | "X509 CERTIFICATE" | "TRUSTED CERTIFICATE" => DerKind::Certificate,
            other => {
                findings.push(unreadable(
                    &entry.location(),
                    format!("{} is a PEM {} block, not a public key (PUBLIC KEY, RSA PUBLIC KEY or CERTIFICATE).", capital(&name), quote(other, 40)),
                    PASTE_FIX,
                ));
                continue;
            }
        };
        // RFC 7468 §2: the base64 text may be wrapped at any width; RFC 1421 headers (legacy
        // encrypted keys) carry a colon and are not base64.
        let body: String = block.body.lines().filter(|l| !l.contains(':')).flat_map(|l| l.chars()).filter(|c| !c.is_whitespace()).collect();
        let der = match LENIENT_STANDARD.decode(&body) {
            Ok(der) => der,
            Err(e) => {
                findings.push(unreadable(&entry.location(), format!("The base64 inside {name} is broken: {e}."), "Copy the PEM block again, whole and unchanged."));
                continue;
            }
        };
        let material = match kind {
            DerKind::Spki => from_spki_der(&der),
            DerKind::Pkcs1 => from_pkcs1_der(&der),
            DerKind::Certificate => from_certificate_der(&der),
        };
        match material {
            Ok(material) => {
                let name = match kind {
                    DerKind::Certificate if n <= 1 && entry.count <= 1 => "the certificate's key".to_string(),
                    DerKind::Certificate => format!("the certificate's key ({name})"),
                    _ => name,
                };
                keys.push(plain_key(name, material, Some(block.text())));
            }
            Err(why) => findings.push(unreadable(&entry.location(), format!("{} ({label}) cannot be read: {why}.", capital(&name)), PASTE_FIX)),
        }
    }
    if blocks.is_empty() && !cut {
        findings.push(unreadable(&entry.location(), format!("{} has no PEM block.", capital(&entry.name())), PASTE_FIX));
    }
    keys
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum DerKind {
    Spki,
    Pkcs1,
    Certificate,
}

// ---- DER: SubjectPublicKeyInfo, PKCS#1, X.509 ----

const RSA_ENCRYPTION: ObjectIdentifier = ObjectIdentifier::new_unwrap("1.2.840.113549.1.1.1");
const RSASSA_PSS: ObjectIdentifier = ObjectIdentifier::new_unwrap("1.2.840.113549.1.1.10");
const EC_PUBLIC_KEY: ObjectIdentifier = ObjectIdentifier::new_unwrap("1.2.840.10045.2.1");
const SECP256R1: ObjectIdentifier = ObjectIdentifier::new_unwrap("1.2.840.10045.3.1.7");
const SECP384R1: ObjectIdentifier = ObjectIdentifier::new_unwrap("1.3.132.0.34");
const SECP521R1: ObjectIdentifier = ObjectIdentifier::new_unwrap("1.3.132.0.35");
const SECP256K1: ObjectIdentifier = ObjectIdentifier::new_unwrap("1.3.132.0.10");
const X25519: ObjectIdentifier = ObjectIdentifier::new_unwrap("1.3.101.110");
const X448: ObjectIdentifier = ObjectIdentifier::new_unwrap("1.3.101.111");
const ED25519: ObjectIdentifier = ObjectIdentifier::new_unwrap("1.3.101.112");
const ED448: ObjectIdentifier = ObjectIdentifier::new_unwrap("1.3.101.113");

/// DER of unknown kind (bare base64): a SubjectPublicKeyInfo, a PKCS#1 key or a certificate.
fn from_der_guess(der: &[u8]) -> Result<Material, String> {
    from_spki_der(der).or_else(|spki_err| from_pkcs1_der(der).or_else(|_| from_certificate_der(der).map_err(|_| spki_err)))
}

/// RFC 5280 §4.1.2.7 SubjectPublicKeyInfo.
fn from_spki_der(der: &[u8]) -> Result<Material, String> {
    let spki = SubjectPublicKeyInfoRef::from_der(der).map_err(|e| format!("not a DER SubjectPublicKeyInfo ({e})"))?;
    from_spki(&spki)
}

fn from_spki(spki: &SubjectPublicKeyInfoRef<'_>) -> Result<Material, String> {
    let key = spki.subject_public_key.as_bytes().ok_or("its key bit string is not whole octets")?;
    let oid = spki.algorithm.oid;
    if oid == RSA_ENCRYPTION || oid == RSASSA_PSS {
        from_pkcs1_der(key)
    } else if oid == EC_PUBLIC_KEY {
        let curve = spki.algorithm.parameters_oid().map_err(|_| "an EC key without a named curve")?;
        let crv = if curve == SECP256R1 {
            "P-256"
        } else if curve == SECP384R1 {
            "P-384"
        } else if curve == SECP521R1 {
            "P-521"
        } else if curve == SECP256K1 {
            return Ok(Material::Unsupported("EC secp256k1".into()));
        } else {
            return Err(format!("an EC key on the curve {curve}, not P-256, P-384 or P-521"));
        };
        ec_key(crv, key).map_err(|_| format!("its point is not on the curve {crv}"))
    } else if oid == ED25519 {
        ed25519_key(key)
    } else if oid == ED448 {
        Ok(Material::Unsupported("OKP Ed448".into()))
    } else if oid == X25519 || oid == X448 {
        Ok(Material::Unsupported(format!("OKP {} (a key-agreement key)", if oid == X25519 { "X25519" } else { "X448" })))
    } else {
        Err(format!("its algorithm {oid} is not RSA, EC or Ed25519"))
    }
}

/// RFC 8017 §A.1.1 RSAPublicKey.
fn from_pkcs1_der(der: &[u8]) -> Result<Material, String> {
    let key = rsa::pkcs1::RsaPublicKey::from_der(der).map_err(|e| format!("not a DER RSAPublicKey ({e})"))?;
    rsa_key(key.modulus.as_bytes(), key.public_exponent.as_bytes())
}

/// RFC 5280 §4.1: the subjectPublicKeyInfo of a certificate's tbsCertificate (its 7th field, or
/// 6th without the `[0]` version). The rest of the certificate is not checked.
fn from_certificate_der(der: &[u8]) -> Result<Material, String> {
    let not_cert = |e: der::Error| format!("not a DER X.509 certificate ({e})");
    let cert = AnyRef::from_der(der).map_err(not_cert)?;
    let parts = sequence_items(cert).map_err(not_cert)?;
    let tbs = parts.first().copied().ok_or("not an X.509 certificate (empty)")?;
    let fields = sequence_items(tbs).map_err(not_cert)?;
    let versioned = fields.first().is_some_and(|f| f.tag() == Tag::ContextSpecific { constructed: true, number: TagNumber::N0 });
    let spki = fields.get(if versioned { 6 } else { 5 }).copied().ok_or("not an X.509 certificate (too few fields)")?;
    let spki: SubjectPublicKeyInfoRef<'_> = spki.decode_as().map_err(|e| format!("its subjectPublicKeyInfo is malformed ({e})"))?;
    from_spki(&spki)
}

/// The items of a DER SEQUENCE.
fn sequence_items(any: AnyRef<'_>) -> der::Result<Vec<AnyRef<'_>>> {
    any.tag().assert_eq(Tag::Sequence)?;
    let mut reader = SliceReader::new(any.value())?;
    let mut items = Vec::new();
    while !reader.is_finished() {
        items.push(AnyRef::decode(&mut reader)?);
    }
    Ok(items)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn read_one(text: &str) -> (Vec<PublicKey>, Vec<Finding>) {
        let mut findings = Vec::new();
        let keys = read_all(&[text.to_string()], &mut findings);
        (keys, findings)
    }

    fn codes(findings: &[Finding]) -> Vec<&'static str> {
        findings.iter().map(|f| f.code.as_str()).collect()
    }

    // RFC 7520 §3.3 (RSA) and §3.1 (P-521) public keys, RFC 8037 §A.2 (Ed25519).
    const RSA_N: &str = "n4EPtAOCc9AlkeQHPzHStgAbgs7bTZLwUBZdR8_KuKPEHLd4rHVTeT-O-XV2jRojdNhxJWTDvNd7nqQ0VEiZQHz_AJmSCpMaJMRBSFKrKb2wqVwGU_NsYOYL-QtiWN2lbzcEe6XC0dApr5ydQLrHqkHHig3RBordaZ6Aj-oBHqFEHYpPe7Tpe-OfVfHd1E6cS6M1FZcD1NNLYD5lFHpPI9bTwJlsde3uhGqC0ZCuEHg8lhzwOHrtIQbS0FVbb9k3-tVTU4fg_3L_vniUFAKwuCLqKnS2BYwdq_mzSnbLY7h_qixoR7jig3__kRhuaxwUkRz5iaiQkqgc5gHdrNP5zw";
    const RSA_E: &str = "AQAB";
    const P521_X: &str = "AHKZLLOsCOzz5cY97ewNUajB957y-C-U88c3v13nmGZx6sYl_oJXu9A5RkTKqjqvjyekWF-7ytDyRXYgCF5cj0Kt";
    const P521_Y: &str = "AdymlHvOiLxXkEhayXQnNCvDX4h9htZaCJN34kfmC6pV5OhQHiraVySsUdaQkAgDPrwQrJmbnX9cwlGfP-HqHZR1";
    const ED_X: &str = "11qYAYKxCrfVS_7TyWQHOg7hcvPapiMlrwIaaPcHURo";
    /// RFC 8410 §10.1's Ed25519 SubjectPublicKeyInfo.
    const ED_PEM: &str = "-----BEGIN PUBLIC KEY-----\nMCowBQYDK2VwAyEAGb9ECWmEzf6FQbrBZ9w7lshQhqowtrbLDFw4rXAxZuE=\n-----END PUBLIC KEY-----\n";

    #[test]
    fn reads_jwks_jwk_and_pem() {
        let jwks = format!(r#"{{"keys":[{{"kty":"RSA","kid":"r1","use":"sig","n":"{RSA_N}","e":"{RSA_E}"}},{{"kty":"EC","crv":"P-521","kid":"e1","x":"{P521_X}","y":"{P521_Y}"}},{{"kty":"OKP","crv":"Ed25519","x":"{ED_X}"}}]}}"#);
        let (keys, findings) = read_one(&jwks);
        assert!(findings.is_empty(), "{findings:?}");
        let kinds: Vec<String> = keys.iter().map(|k| k.material.describe()).collect();
        assert_eq!(kinds, ["RSA 2048-bit", "EC P-521", "OKP Ed25519"]);
        assert_eq!(keys.first().and_then(|k| k.kid.as_deref()), Some("r1"));
        assert_eq!(keys.get(1).map(|k| k.name.as_str()), Some("JWKS key 2"));

        let (keys, findings) = read_one(ED_PEM);
        assert!(findings.is_empty(), "{findings:?}");
        assert_eq!(keys.len(), 1);
        assert!(matches!(keys.first().map(|k| &k.material), Some(Material::Ed25519(_))));
        // The same key with literal \n escapes (from a .env file), and as bare base64.
        let (keys, findings) = read_one(&ED_PEM.replace('\n', "\\n"));
        assert_eq!((keys.len(), findings.len()), (1, 0));
        let (keys, findings) = read_one("MCowBQYDK2VwAyEAGb9ECWmEzf6FQbrBZ9w7lshQhqowtrbLDFw4rXAxZuE");
        assert_eq!((keys.len(), findings.len()), (1, 0));
    }

    #[test]
    fn private_keys_are_reported() {
        let jwk = format!(r#"{{"kty":"OKP","crv":"Ed25519","x":"{ED_X}","d":"nWGxne_9WmC6hEr0kuwsxERJxWl7MmkZcDusAxyuf2A"}}"#);
        let (keys, findings) = read_one(&jwk);
        assert_eq!(keys.len(), 1);
        assert_eq!(codes(&findings), ["jwt.private-key-given"]);
        let (keys, findings) = read_one("-----BEGIN PRIVATE KEY-----\nMC4CAQAwBQYDK2VwBCIEINTuctv5E1hK1bbY8fdp+K06/nwoy/HU++CXqI9EdVhC\n-----END PRIVATE KEY-----");
        assert!(keys.is_empty());
        assert_eq!(codes(&findings), ["jwt.private-key-given"]);
    }

    /// Malformed keys: each is a `jwt.key-unreadable` finding, never a panic.
    #[test]
    fn malformed_keys_are_findings() {
        let cases: Vec<String> = vec![
            "".into(),
            "   ".into(),
            "{".into(),
            r#"{"kty":"RSA""#.into(),
            "[1, 2]".into(),
            r#"{"keys":{}}"#.into(),
            r#"{"keys":[]}"#.into(),
            r#"{"n":"AQAB","e":"AQAB"}"#.into(),
            r#"{"kty":7}"#.into(),
            r#"{"kty":"RSA","e":"AQAB"}"#.into(),
            r#"{"kty":"RSA","n":"AQAB","e":"AQAB"}"#.into(),
            format!(r#"{{"kty":"RSA","n":"{RSA_N}","e":"AQ"}}"#),
            format!(r#"{{"kty":"RSA","n":"{RSA_N}","e":"AQAB","key_ops":"verify"}}"#),
            r#"{"kty":"RSA","n":"not base64!","e":"AQAB"}"#.into(),
            format!(r#"{{"kty":"EC","crv":"P-256","x":"{P521_X}","y":"{P521_Y}"}}"#),
            format!(r#"{{"kty":"EC","crv":"P-521","x":"{P521_X}","y":"{P521_X}"}}"#),
            format!(r#"{{"kty":"EC","x":"{P521_X}","y":"{P521_Y}"}}"#),
            r#"{"kty":"EC","crv":"brainpoolP256r1","x":"AA","y":"AA"}"#.into(),
            r#"{"kty":"OKP","crv":"Ed25519","x":"AAAA"}"#.into(),
            r#"{"kty":"OKP","crv":"Ed25519","x":"7P____________________________________________8"}"#.into(),
            r#"{"kty":"oct","k":""}"#.into(),
            r#"{"kty":"DSA"}"#.into(),
            "-----BEGIN PUBLIC KEY-----\nMCowBQYDK2VwAyEAGb9ECWmEzf6FQbrBZ9w7".into(),
            "-----BEGIN PUBLIC KEY-----\n!!!!\n-----END PUBLIC KEY-----".into(),
            "-----BEGIN PUBLIC KEY-----\nAAAA\n-----END PUBLIC KEY-----".into(),
            "-----BEGIN PUBLIC KEY-----\nMCowBQYDK2VwAyEAGb9ECWmEzf6FQbrBZ9w7lshQhqowtrbLDFw4rXAxZuE=\n-----END RSA PUBLIC KEY-----".into(),
            "-----BEGIN RSA PUBLIC KEY-----\nMCowBQYDK2VwAyEAGb9ECWmEzf6FQbrBZ9w7lshQhqowtrbLDFw4rXAxZuE=\n-----END RSA PUBLIC KEY-----".into(),
            "-----BEGIN CERTIFICATE-----\nMCowBQYDK2VwAyEAGb9ECWmEzf6FQbrBZ9w7lshQhqowtrbLDFw4rXAxZuE=\n-----END CERTIFICATE-----".into(),
            "-----BEGIN CERTIFICATE REQUEST-----\nAAAA\n-----END CERTIFICATE REQUEST-----".into(),
            // An EC SubjectPublicKeyInfo with a point cut short.
            "-----BEGIN PUBLIC KEY-----\nMBkwEwYHKoZIzj0CAQYIKoZIzj0DAQcDAgAE\n-----END PUBLIC KEY-----".into(),
            "ssh-ed25519 AAAAC3NzaC1lZDI1NTE5AAAAIOMqqnkVzrm0SdG6UOoqKLsabgH5C9okWi0dh2l9GKJl user@host".into(),
            "not a key at all".into(),
            "AAAA".into(),
            "x".repeat(MAX_PUBLIC_KEY_TEXT_BYTES + 1),
        ];
        for case in &cases {
            let (keys, findings) = read_one(case);
            assert!(keys.is_empty(), "{:?}: read as {keys:?}", quote(case, 60));
            assert!(findings.iter().any(|f| f.code == Code::JwtKeyUnreadable), "{:?}: {findings:?}", quote(case, 60));
            assert!(findings.iter().all(|f| !f.detail.is_empty() && !f.fix.is_empty()));
        }
    }

    #[test]
    fn jwks_keeps_good_keys_next_to_bad_ones_and_caps_the_count() {
        let jwks = format!(r#"{{"keys":[{{"kty":"EC","crv":"P-256","x":"AA","y":"AA"}},{{"kty":"OKP","crv":"Ed25519","x":"{ED_X}"}},"text"]}}"#);
        let (keys, findings) = read_one(&jwks);
        assert_eq!(keys.len(), 1);
        assert_eq!(codes(&findings), ["jwt.key-unreadable", "jwt.key-unreadable"]);
        let one = format!(r#"{{"kty":"OKP","crv":"Ed25519","x":"{ED_X}"}}"#);
        let many = format!("{{\"keys\":[{}]}}", vec![one.as_str(); MAX_PUBLIC_KEYS + 10].join(","));
        let (keys, findings) = read_one(&many);
        assert_eq!(keys.len(), MAX_PUBLIC_KEYS);
        assert_eq!(codes(&findings), ["jwt.key-unreadable"]);
    }

    #[test]
    fn unsupported_curves_are_read_as_such() {
        let (keys, findings) = read_one(r#"{"kty":"OKP","crv":"Ed448","x":"AAAA"}"#);
        assert!(findings.is_empty());
        assert!(matches!(keys.first().map(|k| &k.material), Some(Material::Unsupported(w)) if w == "OKP Ed448"));
    }

    #[test]
    fn oct_keys_never_print_their_bytes() {
        let (keys, _) = read_one(r#"{"kty":"oct","k":"c2VjcmV0LXNlY3JldA"}"#);
        let printed = format!("{keys:?}");
        assert!(printed.contains("oct (HMAC) 13 bytes") && !printed.contains("115"), "{printed}");
    }
}
