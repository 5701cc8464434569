//! Token analysis: pasted text through `jose::analyze_token_with` without and with secrets (JWS
//! verification, JWE decryption with every derivation), through `analyze_token_with_keys` with a
//! public key (JWK, JWK Set, PEM), and cookie pairs through `jose::session_cookie::reassemble` /
//! `analyze_session_cookies`.
//!
//! Input: one flag byte, then text (invalid UTF-8 replaced): `token [NUL secret [NUL public key]]`.
//! Without a secret, the flag byte picks one of the test vectors' secrets.
//! The flag byte also picks `now`, the cookie name (Auth.js salt) and how many chunks the text is
//! split into as a session cookie.
//!
//! Checked besides "never panics": counts agree with the findings, findings are errors first, the
//! report serialises, a secret or a key changes neither the token read nor a JWS's parts, and a
//! session cookie split into `name.0…name.N` is joined back into the text.
#![no_main]

use cookie_inspector::jose::session_cookie::{analyze_session_cookies, reassemble};
use cookie_inspector::jose::{analyze_token_with, analyze_token_with_keys, Counts, KeyOptions, TokenKind, TokenOptions, TokenReport};
use libfuzzer_sys::fuzz_target;

/// The secrets of tests/fixtures/jwe-vectors.json, so the seeds decrypt.
const SECRETS: [&str; 4] = [
    "an-app-secret-shared-by-every-instance-0001",
    "the-secret-before-the-rotation-of-march-0002",
    "a-fallback-secret-generated-by-one-instance",
    "base64:c2VjcmV0",
];
const NAMES: [&str; 4] = ["authjs.session-token", "next-auth.session-token", "__Secure-authjs.session-token", "my-app.session"];
const NOWS: [f64; 4] = [1_795_460_000.0, 0.0, -1.0e300, f64::NAN];

fn check(report: &TokenReport) {
    let counts = Counts::of(&report.findings);
    assert_eq!(report.counts, counts);
    assert_eq!(counts.error + counts.warning + counts.info, report.findings.len());
    assert!(report.findings.is_sorted_by_key(|f| f.severity), "findings not errors first");
    assert!(serde_json::to_vec(report).is_ok());
}

/// `text` cut into `n` pieces at character boundaries.
fn chunks(text: &str, n: usize) -> Vec<&str> {
    let mut out = Vec::with_capacity(n);
    let mut rest = text;
    for k in (1..=n).rev() {
        let mut at = rest.len() / k;
        while !rest.is_char_boundary(at) {
            at += 1;
        }
        let (head, tail) = rest.split_at(at);
        out.push(head);
        rest = tail;
    }
    out
}

fuzz_target!(|data: &[u8]| {
    let Some((&flags, rest)) = data.split_first() else { return };
    let text = String::from_utf8_lossy(rest);
    let mut fields = text.splitn(3, '\0');
    let input = fields.next().unwrap_or_default();
    let secret = fields.next().unwrap_or(SECRETS[usize::from(flags & 3)]);
    let public_key = fields.next();
    let now = NOWS[usize::from((flags >> 2) & 3)];
    let name = NAMES[usize::from((flags >> 4) & 3)];

    // Without a secret.
    let plain = TokenOptions { now, secret: None };
    let bare = analyze_token_with(input, &plain, &KeyOptions::default());
    check(&bare);

    // With a secret, another one after it, and maybe the cookie name.
    let keyed = TokenOptions { now, secret: Some(secret.to_string()) };
    let keys = KeyOptions {
        secrets: vec![SECRETS[usize::from((flags >> 1) & 3)].to_string()],
        cookie_name: (flags & 0x40 != 0).then(|| name.to_string()),
    };
    let with = analyze_token_with(input, &keyed, &keys);
    check(&with);
    // A cookie name may pick another of several session cookies; otherwise the same token is read.
    if keys.cookie_name.is_none() {
        assert_eq!(bare.kind, with.kind);
        assert_eq!(bare.source, with.source);
    }
    if keys.cookie_name.is_none() && bare.kind == TokenKind::Jws {
        assert_eq!(bare.parts, with.parts);
        assert_eq!(bare.header, with.header);
        assert_eq!(bare.payload_text, with.payload_text);
    }

    // With a public key (JWK, JWK Set or PEM), alone and after the secrets.
    if let Some(key) = public_key {
        let public_keys = [key.to_string()];
        let alone = analyze_token_with_keys(input, &plain, &KeyOptions::default(), &public_keys);
        check(&alone);
        assert_eq!(bare.kind, alone.kind);
        assert_eq!(bare.source, alone.source);
        check(&analyze_token_with_keys(input, &keyed, &keys, &public_keys));
    }

    // As cookie pairs: the text read as a Cookie header.
    let pairs: Vec<(&str, &str)> = input
        .split(';')
        .filter_map(|p| p.split_once('='))
        .map(|(n, v)| (n.trim(), v.trim()))
        .collect();
    for session in reassemble(&pairs) {
        assert!(!session.cookies.is_empty() || session.value.is_empty());
    }
    for report in analyze_session_cookies(&pairs, &keyed, &keys) {
        check(&report);
    }

    // The text itself as a session cookie split into 1–4 chunks, sent out of order.
    let n = usize::from(flags >> 7) * 2 + usize::from((flags >> 3) & 1) + 1;
    let mut split: Vec<(String, &str)> = chunks(input, n).into_iter().enumerate().map(|(i, c)| (format!("{name}.{i}"), c)).collect();
    split.reverse();
    let pairs: Vec<(&str, &str)> = split.iter().map(|(n, v)| (n.as_str(), *v)).collect();
    let joined = reassemble(&pairs);
    assert_eq!(joined.len(), 1);
    if let Some(session) = joined.first() {
        assert_eq!(session.name, name);
        assert_eq!(session.value, input);
        assert!(session.chunked);
    }
    for report in analyze_session_cookies(&pairs, &keyed, &keys) {
        check(&report);
    }
});
