//! Every named input limit (src/limits.rs), crossed by one: each gives its finding with a message
//! that names the limit, and the analysis still returns a report for what it could read. (Speed
//! on the largest allowed inputs is measured by the benchmarks, not here.)
#![cfg(not(target_arch = "wasm32"))]
#![allow(clippy::unwrap_used, clippy::expect_used, clippy::indexing_slicing, clippy::panic)]

use base64::engine::general_purpose::URL_SAFE_NO_PAD;
use base64::Engine;
use cookie_inspector::cookie::analyze_set_cookie;
use cookie_inspector::cookie::audit::{audit_jar, BrowserCookie};
use cookie_inspector::cookie::whatif::Preset;
use cookie_inspector::finding::Finding;
use cookie_inspector::flow::{analyze_har, HarOptions};
use cookie_inspector::jose::{analyze_token, KeyOptions, TokenOptions};
use cookie_inspector::limits::*;
use cookie_inspector::web_storage::{audit_storage, StorageItem};

const NOW: f64 = 1_795_420_000.0;

/// A Set-Cookie report's findings: the whole input's and every line's.
fn all(r: &cookie_inspector::cookie::SetCookieReport) -> Vec<Finding> {
    r.findings.iter().chain(r.lines.iter().flat_map(|l| l.findings.iter())).cloned().collect()
}

fn find<'a>(findings: &'a [Finding], code: &str) -> &'a Finding {
    findings.iter().find(|f| f.code.as_str() == code).unwrap_or_else(|| panic!("no {code} in {:?}", findings.iter().map(|f| f.code.as_str()).collect::<Vec<_>>()))
}

/// The number as the messages write it (with or without thousands separators).
fn names(f: &Finding, n: usize) -> bool {
    let text = format!("{} {}", f.title, f.detail);
    let plain = n.to_string();
    let grouped = plain.as_bytes().rchunks(3).rev().map(|c| std::str::from_utf8(c).unwrap()).collect::<Vec<_>>().join(",");
    text.contains(&plain) || text.contains(&grouped) || text.contains(&format!("{} KB", n / 1024)) || text.contains(&format!("{} MB", n / (1024 * 1024)))
}

#[test]
fn token_input_and_json_depth() {
    let big = "a".repeat(MAX_TOKEN_INPUT_BYTES + 1);
    let r = analyze_token(&big, &TokenOptions { now: NOW, secret: None });
    assert!(names(find(&r.findings, "jwt.too-large"), MAX_TOKEN_INPUT_BYTES), "{:?}", r.findings);

    let deep = format!("{}1{}", "[".repeat(MAX_JSON_DEPTH + 1), "]".repeat(MAX_JSON_DEPTH + 1));
    let token = format!("{}.{}.c2ln", URL_SAFE_NO_PAD.encode(r#"{"alg":"HS256"}"#), URL_SAFE_NO_PAD.encode(format!(r#"{{"a":{deep}}}"#)));
    let r = cookie_inspector::jose::analyze_token_with(&token, &TokenOptions { now: NOW, secret: None }, &KeyOptions::default());
    let f = r.findings.iter().find(|f| f.detail.contains("nests deeper")).unwrap_or_else(|| panic!("{:?}", r.findings));
    assert!(names(f, MAX_JSON_DEPTH), "{}", f.detail);
}

#[test]
fn set_cookie_line_sizes_and_count() {
    let context = Preset { response_url: "https://app.test/".into(), ..Preset::default() }.context();
    let line = format!("a={}", "v".repeat(MAX_COOKIE_NAME_VALUE_BYTES));
    let r = analyze_set_cookie(&line, &context, NOW);
    assert!(names(find(&all(&r), "cookie.parse.name-value-too-large"), MAX_COOKIE_NAME_VALUE_BYTES));

    let line = format!("a=1; Path=/{}", "p".repeat(MAX_COOKIE_ATTRIBUTE_VALUE_BYTES));
    let r = analyze_set_cookie(&line, &context, NOW);
    assert!(names(find(&all(&r), "cookie.parse.attribute-too-long"), MAX_COOKIE_ATTRIBUTE_VALUE_BYTES));

    let lines: Vec<String> = (0..=MAX_SET_COOKIE_LINES).map(|i| format!("c{i}=1")).collect();
    let r = analyze_set_cookie(&lines.join("\n"), &context, NOW);
    assert_eq!(r.lines.len(), MAX_SET_COOKIE_LINES, "the first lines are still analysed");
    assert!(names(find(&all(&r), "cookie.too-many-lines"), MAX_SET_COOKIE_LINES));
}

#[test]
fn har_size_and_entry_count() {
    let mut big = vec![b' '; MAX_HAR_BYTES + 1];
    big[0] = b'{';
    let r = analyze_har(&big, &HarOptions { now: NOW, ..HarOptions::default() });
    drop(big);
    let f = r.findings.iter().map(|f| &f.finding).find(|f| f.code.as_str() == "har.too-large").unwrap();
    assert!(names(f, MAX_HAR_BYTES), "{} {}", f.title, f.detail);

    let entry = r#"{"request":{"method":"GET","url":"https://app.test/","headers":[]},"response":{"status":200,"headers":[]}}"#;
    let har = format!(r#"{{"log":{{"entries":[{}]}}}}"#, vec![entry; MAX_HAR_ENTRIES + 1].join(","));
    let r = analyze_har(har.as_bytes(), &HarOptions { now: NOW, ..HarOptions::default() });
    assert_eq!(r.entries.len(), MAX_HAR_ENTRIES, "the first entries are still replayed");
    let f = r.findings.iter().map(|f| &f.finding).find(|f| f.code.as_str() == "har.too-large").unwrap();
    assert!(names(f, MAX_HAR_ENTRIES), "{} {}", f.title, f.detail);
}

#[test]
fn jar_and_storage_counts() {
    let cookies: Vec<BrowserCookie> = (0..=MAX_JAR_COOKIES).map(|i| BrowserCookie { name: format!("c{i}"), value: "1".into(), domain: "app.test".into(), path: "/".into(), ..BrowserCookie::default() }).collect();
    let r = audit_jar(&cookies, NOW, &KeyOptions::default());
    assert_eq!(r.rows.len(), MAX_JAR_COOKIES);
    assert!(names(find(&r.findings, "jar.too-many"), MAX_JAR_COOKIES));

    let items: Vec<StorageItem> = (0..=MAX_STORAGE_ITEMS).map(|i| StorageItem { area: "localStorage".into(), origin: "https://app.test".into(), key: format!("k{i}"), value: "v".into() }).collect();
    let r = audit_storage(&items, NOW);
    assert!(names(find(&r.findings, "storage.too-large"), MAX_STORAGE_ITEMS));
    let r = audit_storage(&[StorageItem { area: "localStorage".into(), key: "blob".into(), value: "x".repeat(MAX_STORAGE_VALUE_BYTES + 1), ..StorageItem::default() }], NOW);
    assert!(names(find(&r.findings, "storage.too-large"), MAX_STORAGE_VALUE_BYTES));
}

#[test]
fn public_keys() {
    // A token to verify: {"alg":"RS256"}, any signature (no key given here can verify it).
    let token = "eyJhbGciOiJSUzI1NiJ9.eyJzdWIiOiIxIn0.c2ln";
    let analyze = |keys: Vec<String>| cookie_inspector::jose::analyze_token_with_keys(token, &TokenOptions { now: NOW, secret: None }, &KeyOptions::default(), &keys);

    let r = analyze(vec![" ".repeat(10) + &"k".repeat(MAX_PUBLIC_KEY_TEXT_BYTES + 1)]);
    assert!(names(find(&r.findings, "jwt.key-unreadable"), MAX_PUBLIC_KEY_TEXT_BYTES), "{:?}", r.findings);

    // RFC 8037 §A.2's Ed25519 public key, once more than the limit.
    let jwk = r#"{"kty":"OKP","crv":"Ed25519","x":"11qYAYKxCrfVS_7TyWQHOg7hcvPapiMlrwIaaPcHURo"}"#;
    let r = analyze(vec![jwk.to_string(); MAX_PUBLIC_KEYS + 1]);
    assert!(names(find(&r.findings, "jwt.key-unreadable"), MAX_PUBLIC_KEYS), "{:?}", r.findings);
    assert!(find(&r.findings, "jwt.key-mismatch").detail.contains("and 56 more"), "the message lists 8 keys, then counts");

    // An RSA modulus one bit over the limit.
    let mut n = vec![0x01];
    n.extend(vec![0xff; MAX_RSA_MODULUS_BITS / 8]);
    let r = analyze(vec![format!(r#"{{"kty":"RSA","n":"{}","e":"AQAB"}}"#, URL_SAFE_NO_PAD.encode(&n))]);
    assert!(names(find(&r.findings, "jwt.key-unreadable"), MAX_RSA_MODULUS_BITS), "{:?}", r.findings);
}
