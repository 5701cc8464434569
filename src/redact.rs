//! Redaction for exports: a report or a HAR a developer attaches to a bug report must not hand
//! over a working session.
//!
//! A JWS is only accepted with its signature and a JWE only with its authentication tag, so
//! replacing that last part with a marker keeps everything a reader needs (header, claims, which
//! algorithm) and makes the token useless to anyone who finds the file (RFC 7515 §5.2 step 6,
//! RFC 7516 §5.2 step 14). The same part is also replaced wherever it appears alone (a report's
//! `parts[].text`). Secrets never appear in reports, so there is nothing else to remove.

use crate::jose::extract::looks_like_token;
use std::collections::BTreeSet;

/// What replaces a signature or tag.
pub const MARKER: &str = "REDACTED";

/// Characters a compact token is made of (base64url and the dots between parts). Not `=`: it
/// joins a cookie's name to its token (`s=eyJ…`), and compact tokens carry no padding.
fn token_char(b: u8) -> bool {
    b.is_ascii_alphanumeric() || matches!(b, b'-' | b'_' | b'.')
}

/// `text` with the signature (JWS) or authentication tag (JWE) of every compact token replaced
/// by [`MARKER`], and how many distinct tokens were redacted.
///
/// ```
/// use cookie_inspector::redact::redact_tokens;
/// let (text, n) = redact_tokens(r#"{"cookie":"s=eyJhbGciOiJIUzI1NiJ9.eyJzdWIiOiIxIn0.c2lnbmF0dXJl","sig":"c2lnbmF0dXJl"}"#);
/// assert_eq!(text, r#"{"cookie":"s=eyJhbGciOiJIUzI1NiJ9.eyJzdWIiOiIxIn0.REDACTED","sig":"REDACTED"}"#);
/// assert_eq!(n, 1);
/// ```
pub fn redact_tokens(text: &str) -> (String, usize) {
    let bytes = text.as_bytes();
    let mut out = String::with_capacity(text.len());
    let mut secrets: BTreeSet<&str> = BTreeSet::new();
    let mut tokens = 0usize;
    let mut last = 0usize;
    let mut i = 0usize;
    while i < bytes.len() {
        if !bytes.get(i).copied().is_some_and(token_char) {
            i += 1;
            continue;
        }
        let start = i;
        while bytes.get(i).copied().is_some_and(token_char) {
            i += 1;
        }
        // Runs are ASCII, so these byte offsets are char boundaries.
        let Some(run) = text.get(start..i) else { continue };
        let run_trimmed = run.trim_matches('.');
        if !(run_trimmed.starts_with("eyJ") && looks_like_token(run_trimmed)) {
            continue;
        }
        let Some(cut) = run_trimmed.rfind('.') else { continue };
        let Some(signature) = run_trimmed.get(cut + 1..) else { continue };
        if signature.is_empty() {
            continue; // unsigned (alg none): nothing to take away
        }
        let lead = run.len() - run.trim_start_matches('.').len();
        let sig_start = start + lead + cut + 1;
        let sig_end = sig_start + signature.len();
        out.push_str(text.get(last..sig_start).unwrap_or_default());
        out.push_str(MARKER);
        last = sig_end;
        if secrets.insert(signature) {
            tokens += 1;
        }
    }
    out.push_str(text.get(last..).unwrap_or_default());
    // The same signatures where they stand alone (a report lists a token's parts).
    for signature in secrets.iter().filter(|s| s.len() >= 8) {
        if out.contains(signature) {
            out = out.replace(signature, MARKER);
        }
    }
    (out, tokens)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn jws_jwe_and_unsigned() {
        let jws = "eyJhbGciOiJIUzI1NiJ9.eyJzdWIiOiIxIn0.c2lnbmF0dXJlLXBhcnQ";
        let jwe = "eyJhbGciOiJkaXIiLCJlbmMiOiJBMjU2R0NNIn0..aXYtaXYtaXYtaXY.Y2lwaGVydGV4dA.dGFnLXRhZy10YWctdGFn";
        let none = "eyJhbGciOiJub25lIn0.eyJzdWIiOiIxIn0.";
        let text = format!("Cookie: a={jws}; b={jwe}\nBearer {none} and again {jws}");
        let (out, n) = redact_tokens(&text);
        assert_eq!(n, 2);
        assert!(!out.contains("c2lnbmF0dXJlLXBhcnQ") && !out.contains("dGFnLXRhZy10YWctdGFn"), "{out}");
        assert!(out.contains("eyJzdWIiOiIxIn0.REDACTED") && out.contains("Y2lwaGVydGV4dA.REDACTED"), "{out}");
        assert!(out.contains(none), "an unsigned token has nothing to redact");
    }

    #[test]
    fn ordinary_text_is_untouched() {
        for text in ["", "hello.world.example", "a.b.c", "v1.2.3", "eyJ", "ünïcødé eyJx.eyJ.é", "...."] {
            assert_eq!(redact_tokens(text), (text.to_string(), 0), "{text}");
        }
    }
}
