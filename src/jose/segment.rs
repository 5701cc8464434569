//! The compact serialisation's segments: base64url text → bytes → JSON (RFC 7515 §7.1, RFC 7516 §7.1).
//!
//! Every failure names the part and says why, with the offending position and byte, because
//! "invalid token" is exactly the message that leaves people guessing.
//!
//! Deviation (lenient, like Node's `Buffer.from(s, 'base64url')` which most JS verifiers use):
//! `=` padding, the `+`/`/` alphabet and non-zero trailing bits are decoded, and reported as
//! `jwt.base64-variant` instead of rejected, because strict libraries (jose, PyJWT) reject them.

use crate::finding::{quote, Code, Finding, Severity};
use base64::alphabet;
use base64::engine::{DecodePaddingMode, GeneralPurpose, GeneralPurposeConfig};
use base64::{DecodeError, Engine};

const LENIENT: GeneralPurposeConfig = GeneralPurposeConfig::new()
    .with_decode_padding_mode(DecodePaddingMode::Indifferent)
    .with_decode_allow_trailing_bits(true);
/// base64url, padding optional, trailing bits tolerated.
const URL_SAFE_LENIENT: GeneralPurpose = GeneralPurpose::new(&alphabet::URL_SAFE, LENIENT);
/// The standard `+`/`/` alphabet, same leniency.
const STANDARD_LENIENT: GeneralPurpose = GeneralPurpose::new(&alphabet::STANDARD, LENIENT);

/// Decodes one segment's base64url text. `part` names it in messages (`header`, `payload`, …).
/// Variant spellings decode, with a `jwt.base64-variant` warning pushed to `findings`.
pub fn decode_base64url(text: &str, part: &str, findings: &mut Vec<Finding>) -> Result<Vec<u8>, Finding> {
    let padded = text.ends_with('=');
    let standard = text.bytes().any(|b| b == b'+' || b == b'/');
    let engine = if standard { &STANDARD_LENIENT } else { &URL_SAFE_LENIENT };
    let bytes = engine.decode(text).map_err(|e| base64_error(text, part, e, standard))?;
    if padded || standard {
        let what = match (padded, standard) {
            (true, true) => "uses standard base64 (`+`, `/` and `=` padding)",
            (true, false) => "ends in `=` padding",
            _ => "uses the `+`/`/` characters of standard base64",
        };
        findings.push(Finding::new(
            Code::JwtBase64Variant,
            Severity::Warning,
            part,
            format!("The {part} is not plain base64url"),
            format!(
                "The {part} {what}. JWTs use unpadded base64url (`-` and `_`, no `=`); strict libraries such as jose and PyJWT reject this token, lenient ones (Node's Buffer) accept it, so it may work on one server and fail on another."
            ),
            "Encode each part with base64url and no padding, e.g. Buffer.from(json).toString('base64url') in Node, or use a JWT library instead of hand-assembling the token.",
            "RFC 7515 §2 (Base64url Encoding), RFC 7515 Appendix C",
        ));
    }
    Ok(bytes)
}

fn base64_error(text: &str, part: &str, err: DecodeError, standard: bool) -> Finding {
    let detail = match err {
        DecodeError::InvalidByte(offset, byte) | DecodeError::InvalidLastSymbol(offset, byte) => {
            let shown = text.get(offset..).and_then(|t| t.chars().next()).map_or_else(
                || format!("byte 0x{byte:02x}"),
                |c| quote(&c.to_string(), 4),
            );
            if byte == b'=' {
                format!("The {part} has `=` in the middle (position {offset}): padding may only end a base64 string. Two tokens may have been pasted together.")
            } else if standard && (byte == b'-' || byte == b'_') {
                format!("The {part} mixes the base64url (`-`, `_`) and standard (`+`, `/`) alphabets; {shown} at position {offset} cannot be read in both.")
            } else {
                format!("The {part} is not base64url: {shown} at position {offset} is outside the alphabet A–Z a–z 0–9 - _.")
            }
        }
        DecodeError::InvalidLength(len) => format!(
            "The {part} is {len} base64url characters long; a length of 4n+1 cannot be decoded, so a character was lost or added (copy-paste cut?)."
        ),
        DecodeError::InvalidPadding => format!("The {part} has the wrong amount of `=` padding."),
    };
    Finding::new(
        Code::JwtMalformed,
        Severity::Error,
        part,
        format!("The {part} cannot be decoded"),
        detail,
        "Copy the whole token again (from the cookie value or the Authorization header), without surrounding text.",
        "RFC 7515 §7.1",
    )
}

/// Parses decoded bytes as a JSON object (header) or JSON value (payload).
pub fn parse_json(bytes: &[u8], part: &str) -> Result<serde_json::Value, Finding> {
    let text = std::str::from_utf8(bytes).map_err(|e| {
        let at = e.valid_up_to();
        let byte = bytes.get(at).copied().unwrap_or_default();
        malformed_json(
            part,
            format!("The decoded {part} is not UTF-8 text: byte 0x{byte:02x} at offset {at} is invalid. It may be binary data, or encrypted (a JWE has 5 parts)."),
        )
    })?;
    // serde_json stops at 128 levels of nesting (MAX_JSON_DEPTH) with an error, never overflowing the stack.
    serde_json::from_str(text).map_err(|e| {
        let why = if e.to_string().contains("recursion limit") {
            format!(
                "The decoded {part} nests deeper than {} levels, which this tool (like most JSON parsers in servers) refuses: {e}.",
                crate::limits::MAX_JSON_DEPTH
            )
        } else {
            format!("The decoded {part} is not valid JSON: {e}. It starts with {}.", quote(text, 40))
        };
        malformed_json(part, why)
    })
}

fn malformed_json(part: &str, detail: String) -> Finding {
    Finding::new(
        Code::JwtMalformed,
        Severity::Error,
        part,
        format!("The {part} is not JSON"),
        detail,
        "A JWT's header and payload are base64url-encoded JSON objects: create the token with a JWT library (jose's new SignJWT(claims), jsonwebtoken's jwt.sign(claims, secret)) rather than by hand.",
        "RFC 7519 §7.2",
    )
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn decodes_and_reports_variants() {
        let mut f = Vec::new();
        assert_eq!(decode_base64url("eyJhIjoxfQ", "header", &mut f).unwrap(), b"{\"a\":1}");
        assert!(f.is_empty());
        assert_eq!(decode_base64url("eyJhIjoxfQ==", "header", &mut f).unwrap(), b"{\"a\":1}");
        assert_eq!(f.len(), 1);
        assert_eq!(f[0].code, Code::JwtBase64Variant);
    }

    #[test]
    fn errors_say_where() {
        let mut f = Vec::new();
        let e = decode_base64url("eyJh%IjoxfQ", "payload", &mut f).unwrap_err();
        assert!(e.detail.contains("position 4"), "{}", e.detail);
        let e = decode_base64url("abcde", "payload", &mut f).unwrap_err();
        assert!(e.detail.contains("4n+1"), "{}", e.detail);
        let e = parse_json(&[0x7b, 0xff], "payload").unwrap_err();
        assert!(e.detail.contains("0xff at offset 1"), "{}", e.detail);
        let deep = "[".repeat(10_000);
        let e = parse_json(deep.as_bytes(), "payload").unwrap_err();
        assert!(e.detail.contains("nests deeper"), "{}", e.detail);
    }
}
