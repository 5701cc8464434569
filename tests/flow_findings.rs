//! The flow analysis on HARs shaped like Chromium's exports: every session finding, the first
//! drop, the headline, tokens attached to their hops, and bad files.
#![allow(clippy::unwrap_used, clippy::expect_used, clippy::indexing_slicing, clippy::panic)]

use cookie_inspector::flow::{analyze_har, FlowReport, HarOptions};
use serde_json::{json, Value};

const NOW: f64 = 1_795_420_000.0;

/// One entry. `set` are Set-Cookie lines, `cookie` the recorded Cookie header.
#[allow(clippy::too_many_arguments)] // a HAR entry has that many parts; named fields would hide the table of cases
fn entry(ms: u64, method: &str, url: &str, kind: &str, site: &str, origin: Option<&str>, cookie: Option<&str>, status: i64, set: &[&str], location: &str) -> Value {
    let mut headers = vec![json!({"name": "Sec-Fetch-Site", "value": site})];
    if let Some(o) = origin {
        headers.push(json!({"name": "Origin", "value": o}));
    }
    if let Some(c) = cookie {
        headers.push(json!({"name": "Cookie", "value": c}));
    }
    let res_headers: Vec<Value> = set.iter().map(|l| json!({"name": "Set-Cookie", "value": l})).collect();
    json!({
        "startedDateTime": format!("2026-11-23T10:00:{:02}.{:03}Z", ms / 1000, ms % 1000),
        "time": 20,
        "request": {"method": method, "url": url, "headers": headers},
        "response": {"status": status, "headers": res_headers, "redirectURL": location, "content": {"mimeType": "text/html"}},
        "_resourceType": kind,
    })
}

fn har(entries: Vec<Value>) -> Vec<u8> {
    serde_json::to_vec(&json!({"log": {"version": "1.2", "creator": {"name": "WebInspector", "version": "537.36"}, "entries": entries}})).unwrap()
}

fn analyze(bytes: &[u8]) -> FlowReport {
    analyze_har(bytes, &HarOptions { now: NOW, ..HarOptions::default() })
}

fn codes(r: &FlowReport) -> Vec<&'static str> {
    r.findings.iter().map(|f| f.finding.code.as_str()).collect()
}

/// /login → IdP → form POST to /callback (sets the session, 302) → /dashboard.
fn oauth(session_attrs: &str, dashboard_cookie: Option<&str>) -> Vec<u8> {
    har(vec![
        entry(0, "GET", "https://app.test/login", "document", "none", None, None, 200, &[], ""),
        entry(100, "GET", "https://idp.test/authorize", "document", "cross-site", None, None, 200, &[], ""),
        entry(200, "POST", "https://app.test/api/auth/callback/idp", "document", "cross-site", Some("https://idp.test"), None, 302, &[&format!("session=abc; {session_attrs}")], "/dashboard"),
        entry(300, "GET", "https://app.test/dashboard", "document", "cross-site", None, dashboard_cookie, 200, &[], ""),
        entry(400, "GET", "https://app.test/api/me", "fetch", "same-origin", Some("https://app.test"), dashboard_cookie, 401, &[], ""),
    ])
}

#[test]
fn strict_session_on_the_oauth_redirect_is_the_first_drop() {
    let r = analyze(&oauth("Path=/; Secure; HttpOnly; SameSite=Strict", None));
    let drop = r.first_drop.clone().unwrap();
    assert_eq!((drop.entry, drop.cookie.as_str(), drop.kind, drop.set_by), (3, "session", "withheld", Some(2)));
    assert_eq!(drop.reasons, ["SchemefulSameSiteStrict"]);
    assert_eq!(r.headline, "session set by POST /api/auth/callback/idp is withheld on GET /dashboard: SameSite=Strict, and another site started this request (SchemefulSameSiteStrict).");
    let f = r.findings.iter().find(|f| f.finding.code.as_str() == "flow.session-withheld").unwrap();
    assert_eq!(f.entry, Some(3));
    assert!(f.finding.fix.contains("sameSite: 'lax'"), "{}", f.finding.fix);
    // On /api/me (a same-origin fetch after the chain) the cookie is sent again.
    assert_eq!(r.entries[4].request.cookies_sent, ["session"]);
    assert_eq!(r.cookies, ["session"]);
}

#[test]
fn lax_session_survives_the_oauth_redirect() {
    let r = analyze(&oauth("Path=/; Secure; HttpOnly; SameSite=Lax", Some("session=abc")));
    assert!(r.first_drop.is_none());
    assert_eq!(r.entries[3].request.cookies_sent, ["session"]);
    assert!(r.entries[3].request.mismatches.is_empty());
    assert_eq!(codes(&r), Vec::<&str>::new());
    assert_eq!(r.headline, "No session drop found in 5 requests.");
}

#[test]
fn rejected_on_arrival() {
    let cases = [
        ("http://app.test/callback", "session=1; Secure; Path=/", "SecureOnly"),
        ("https://app.test/callback", "session=1; SameSite=None; Path=/", "SameSiteNoneInsecure"),
        ("https://myapp.vercel.app/callback", "session=1; Domain=vercel.app; Path=/", "InvalidDomain"),
        ("https://app.test/callback", "session=1; Domain=other.test", "InvalidDomain"),
        ("https://app.test/callback", "__Host-session=1; Secure; Path=/; Domain=app.test", "InvalidPrefix"),
        ("https://app.test/callback", "__Secure-session=1; Path=/", "InvalidPrefix"),
    ];
    for (url, line, reason) in cases {
        let r = analyze(&har(vec![entry(0, "GET", url, "document", "none", None, None, 200, &[line], "")]));
        let f = r.findings.iter().find(|f| f.finding.code.as_str() == "flow.cookie-rejected").unwrap_or_else(|| panic!("{line}: {:?}", codes(&r)));
        assert!(f.finding.title.contains(reason), "{line}: {}", f.finding.title);
        let drop = r.first_drop.as_ref().unwrap();
        assert_eq!((drop.kind, drop.reasons.clone()), ("rejected", vec![reason]), "{line}");
    }
    let big = format!("session={}; Path=/", "x".repeat(5000));
    let r = analyze(&har(vec![entry(0, "GET", "https://app.test/", "document", "none", None, None, 200, &[&big], "")]));
    assert_eq!(r.first_drop.unwrap().reasons, ["NameValuePairExceedsMaxSize"]);
}

#[test]
fn deleted_by_a_later_response() {
    let r = analyze(&har(vec![
        entry(0, "GET", "https://app.test/login", "document", "none", None, None, 200, &["session=1; Path=/; Max-Age=3600"], ""),
        entry(500, "GET", "https://app.test/api/session", "fetch", "same-origin", Some("https://app.test"), Some("session=1"), 200, &["session=; Path=/; Max-Age=0"], ""),
        entry(900, "GET", "https://app.test/dashboard", "document", "same-origin", None, None, 200, &[], ""),
    ]));
    assert!(codes(&r).contains(&"flow.cookie-deleted"), "{:?}", codes(&r));
    assert_eq!(r.first_drop.as_ref().unwrap().kind, "deleted");
    assert!(r.entries[2].request.cookies_sent.is_empty());
}

#[test]
fn callback_on_another_host() {
    let r = analyze(&har(vec![entry(
        0,
        "GET",
        "https://app-git-feature.vercel.app/api/auth/callback/github",
        "document",
        "cross-site",
        None,
        None,
        302,
        &["next-auth.session-token=abc; Path=/; Secure; HttpOnly; SameSite=Lax"],
        "https://app.vercel.app/",
    )]));
    let f = r.findings.iter().find(|f| f.finding.code.as_str() == "flow.callback-host-mismatch").unwrap_or_else(|| panic!("{:?}", codes(&r)));
    assert!(f.finding.detail.contains("NEXTAUTH_URL"));
}

#[test]
fn prefix_flip_between_secure_and_plain() {
    let r = analyze(&har(vec![
        entry(0, "GET", "https://app.test/api/auth/callback/x", "document", "none", None, None, 302, &["__Secure-next-auth.session-token=a; Path=/; Secure; SameSite=Lax"], "/"),
        entry(100, "GET", "https://app.test/", "document", "none", None, Some("next-auth.session-token=old"), 200, &[], ""),
    ]));
    assert!(codes(&r).contains(&"flow.prefix-changed"), "{:?}", codes(&r));
}

#[test]
fn prediction_mismatch_is_flagged_honestly() {
    // The browser did not send a cookie we expect to go out (e.g. cleared by a script).
    let r = analyze(&har(vec![
        entry(0, "GET", "https://app.test/login", "document", "none", None, None, 200, &["session=1; Path=/"], ""),
        entry(100, "GET", "https://app.test/dashboard", "document", "same-origin", None, Some("theme=dark"), 200, &[], ""),
    ]));
    assert_eq!(r.entries[1].request.preexisting, ["theme"]);
    let f = r.findings.iter().find(|f| f.finding.code.as_str() == "flow.prediction-mismatch").unwrap();
    assert_eq!(f.entry, Some(1));
}

#[test]
fn tokens_are_attached_to_their_hops() {
    use base64::Engine;
    let b64 = |v: Value| base64::engine::general_purpose::URL_SAFE_NO_PAD.encode(serde_json::to_vec(&v).unwrap());
    let token = format!("{}.{}.c2ln", b64(json!({"alg": "HS256"})), b64(json!({"sub": "1", "iat": 1_795_399_200, "exp": 1_795_399_200_000u64 + 3600})));
    let mut e = entry(0, "GET", "https://app.test/api/me", "fetch", "same-origin", Some("https://app.test"), None, 200, &[], "");
    e["request"]["headers"].as_array_mut().unwrap().push(json!({"name": "Authorization", "value": format!("Bearer {token}")}));
    let r = analyze(&har(vec![e]));
    assert_eq!(r.tokens.len(), 1);
    assert_eq!(r.token_sightings[0].location, "request.header.authorization");
    let f = r.findings.iter().find(|f| f.finding.code.as_str() == "jwt.exp-milliseconds").unwrap();
    assert_eq!(f.entry, Some(0));
}

#[test]
fn out_of_order_entries_are_replayed_in_time_order() {
    let r = analyze(&har(vec![
        entry(500, "GET", "https://app.test/dashboard", "document", "same-origin", None, Some("session=1"), 200, &[], ""),
        entry(0, "GET", "https://app.test/login", "document", "none", None, None, 200, &["session=1; Path=/"], ""),
    ]));
    assert!(codes(&r).contains(&"har.out-of-order"));
    assert_eq!(r.entries[0].request.cookies_sent, ["session"], "the later entry sees the earlier cookie");
    assert!(r.entries[0].request.mismatches.is_empty());
}

#[test]
fn bad_files_give_findings_not_panics() {
    let oauth = oauth("Path=/; SameSite=Strict", None);
    let truncated = &oauth[..oauth.len() / 2];
    let r = analyze(truncated);
    assert!(codes(&r).contains(&"har.truncated"), "{:?}", codes(&r));
    assert!(!r.entries.is_empty(), "entries before the cut are replayed");
    for bytes in [&b"{\"hello\": 1}"[..], b"", b"\x00\x01\x02", b"[[[[[[[[[[", b"{\"log\":{\"entries\":[{\"request\":{\"url\":\"::::\"},\"response\":{}}]}}"] {
        let r = analyze(bytes);
        assert!(!r.findings.is_empty() || r.entries.iter().any(|e| e.problem.is_some()), "{bytes:?}");
    }
    let sanitized = har(vec![entry(0, "GET", "https://app.test/", "document", "none", None, None, 200, &[], "")]);
    assert!(codes(&analyze(&sanitized)).contains(&"har.sanitized"));
}

#[test]
fn sec_fetch_site_cross_site_counts_without_origin_or_referer() {
    let r = analyze(&har(vec![
        entry(0, "GET", "https://app.test/login", "document", "none", None, None, 200, &["s=1; Path=/; SameSite=Strict"], ""),
        entry(100, "GET", "https://app.test/dashboard", "document", "cross-site", None, None, 200, &[], ""),
    ]));
    assert_eq!(r.entries[1].request.cookies_withheld[0].reasons, ["SchemefulSameSiteStrict"]);
}
