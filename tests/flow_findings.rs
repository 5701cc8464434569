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
        entry(400, "GET", "https://app.test/api/me", "fetch", "same-origin", Some("https://app.test"), dashboard_cookie, 200, &[], ""),
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

/// A NextAuth.js sign-in as it goes: the sign-in POST stores the OAuth state, the PKCE verifier
/// and the return URL and redirects to the provider, which stores its own session and redirects
/// back with `code` and `state`; the callback clears the round-trip cookies and stores the
/// session. None of that is a drop or a host mismatch.
#[test]
fn a_nextauth_round_trip_is_not_a_drop() {
    let attrs = "Path=/; Secure; HttpOnly; SameSite=Lax";
    let authorize = "https://github.com/login/oauth/authorize?client_id=abc&scope=read%3Auser&response_type=code&redirect_uri=https%3A%2F%2Fapp.test%2Fapi%2Fauth%2Fcallback%2Fgithub&state=xyz";
    let sent_back = "next-auth.state=s1; next-auth.pkce.code_verifier=v1; next-auth.callback-url=https%3A%2F%2Fapp.test";
    let r = analyze(&har(vec![
        entry(0, "POST", "https://app.test/api/auth/signin/github", "document", "same-origin", Some("https://app.test"), None, 302,
            &[&format!("next-auth.state=s1; {attrs}; Max-Age=900"), &format!("next-auth.pkce.code_verifier=v1; {attrs}; Max-Age=900"), &format!("next-auth.callback-url=https%3A%2F%2Fapp.test; {attrs}")], authorize),
        entry(100, "GET", authorize, "document", "cross-site", None, None, 302, &["user_session=g1; Path=/; Secure; HttpOnly; SameSite=Lax"], "https://app.test/api/auth/callback/github?code=c1&state=xyz"),
        entry(200, "GET", "https://app.test/api/auth/callback/github?code=c1&state=xyz", "document", "cross-site", None, Some(sent_back), 302,
            &[&format!("next-auth.state=; {attrs}; Max-Age=0"), &format!("next-auth.pkce.code_verifier=; {attrs}; Max-Age=0"), &format!("next-auth.session-token=abc; {attrs}")], "https://app.test/"),
        entry(300, "GET", "https://app.test/", "document", "cross-site", None, Some("next-auth.callback-url=https%3A%2F%2Fapp.test; next-auth.session-token=abc"), 200, &[], ""),
    ]));
    let errors: Vec<_> = r.findings.iter().filter(|f| f.finding.severity == cookie_inspector::finding::Severity::Error).map(|f| (f.entry, f.finding.code.as_str())).collect();
    assert_eq!(errors, [], "{:?}", codes(&r));
    assert!(r.first_drop.is_none(), "{:?}", r.first_drop);
    assert_eq!(r.headline, "No session drop found in 4 requests.");
    let cleared: Vec<_> = r.findings.iter().filter(|f| f.finding.code.as_str() == "flow.cookie-deleted").map(|f| f.entry).collect();
    assert_eq!(cleared, [Some(2), Some(2)], "still listed, as information");
    // The same callback clearing the session token itself is still the drop.
    let r = analyze(&har(vec![
        entry(0, "GET", "https://app.test/login", "document", "none", None, None, 200, &[&format!("next-auth.session-token=abc; {attrs}")], ""),
        entry(100, "GET", "https://app.test/api/auth/callback/github?code=c1&state=xyz", "document", "cross-site", None, Some("next-auth.session-token=abc"), 302, &[&format!("next-auth.session-token=; {attrs}; Max-Age=0")], "https://app.test/"),
    ]));
    assert_eq!(r.first_drop.map(|d| (d.entry, d.kind)), Some((1, "deleted")));
}

/// Entries Chromium answered from its cache (`_fromCache`) sent nothing and stored nothing; a
/// cached redirect still leads to the next hop.
#[test]
fn cached_entries_send_and_store_nothing() {
    let mut logo = entry(100, "GET", "https://app.test/logo.png", "image", "same-origin", None, None, 200, &["tracker=1; Path=/"], "");
    logo["_fromCache"] = json!("memory");
    let mut moved = entry(200, "GET", "https://app.test/old-home", "document", "same-origin", None, None, 301, &[], "https://app.test/home");
    moved["_fromCache"] = json!("disk");
    let r = analyze(&har(vec![
        entry(0, "GET", "https://app.test/login", "document", "none", None, None, 200, &["session=1; Path=/"], ""),
        logo,
        moved,
        entry(300, "GET", "https://app.test/home", "document", "same-origin", None, Some("session=1"), 200, &[], ""),
    ]));
    assert_eq!((r.entries[1].from_cache, r.entries[2].from_cache, r.entries[3].from_cache), (Some("memory"), Some("disk"), None));
    for i in [1, 2] {
        assert!(r.entries[i].request.cookies_sent.is_empty() && r.entries[i].request.cookies_withheld.is_empty(), "entry {i}");
        assert!(r.entries[i].response.set_cookies.is_empty(), "entry {i}");
    }
    assert!(!r.cookies.iter().any(|c| c == "tracker"), "{:?}", r.cookies);
    assert_eq!(r.entries[3].redirected_from, Some(2), "the cached redirect still leads on");
    assert_eq!(r.entries[3].request.cookies_sent, ["session"]);
    assert!(r.findings.is_empty(), "{:?}", codes(&r));
}

/// A page a service worker answered (Chromium's `_fetchedViaServiceWorker`) reached no server
/// itself: no cookie verdicts there, and the worker's own request (another entry) is replayed as
/// any other.
#[test]
fn service_worker_answers_send_and_store_nothing() {
    let mut answered = entry(100, "GET", "https://app.test/dashboard", "document", "same-origin", None, None, 200, &[], "");
    answered["response"]["_fetchedViaServiceWorker"] = json!(true);
    let mut odd = entry(150, "GET", "https://app.test/other", "document", "same-origin", None, None, 200, &[], "");
    odd["response"]["_fetchedViaServiceWorker"] = json!("true");
    let r = analyze(&har(vec![
        entry(0, "GET", "https://app.test/login", "document", "none", None, None, 200, &["session=1; Path=/"], ""),
        answered,
        odd,
        entry(200, "GET", "https://app.test/dashboard", "fetch", "same-origin", None, Some("session=1"), 200, &[], ""),
    ]));
    assert!(r.entries[1].from_service_worker);
    assert!(r.entries[1].request.cookies_sent.is_empty() && r.entries[1].request.observed_sent.is_none());
    assert!(!r.entries[2].from_service_worker, "a value of another type is not true");
    assert_eq!(r.entries[2].request.cookies_sent, ["session"]);
    assert_eq!(r.entries[3].request.cookies_sent, ["session"]);
    let json = serde_json::to_value(&r).unwrap();
    assert_eq!(json["entries"][1]["fromServiceWorker"], json!(true));
    assert!(json["entries"][2].get("fromServiceWorker").is_none());
}

#[test]
fn prediction_mismatch_is_flagged_honestly() {
    // The browser did not send a cookie we expect to go out (e.g. cleared by a script).
    let r = analyze(&har(vec![
        entry(0, "GET", "https://app.test/login", "document", "none", None, None, 200, &["theme=light; Path=/"], ""),
        entry(100, "GET", "https://app.test/dashboard", "document", "same-origin", None, Some("lang=en"), 200, &[], ""),
    ]));
    assert_eq!(r.entries[1].request.preexisting, ["lang"]);
    let f = r.findings.iter().find(|f| f.finding.code.as_str() == "flow.prediction-mismatch").unwrap();
    assert_eq!(f.entry, Some(1));
    assert_eq!(f.finding.severity, cookie_inspector::finding::Severity::Warning);
    assert!(r.first_drop.is_none(), "not the session: a disagreement, not a drop");
}

/// The recording shows the session cookie missing where the replay sends it (a script deleted
/// it, say): that is the drop, as observed, with no reasons claimed.
#[test]
fn session_missing_from_the_recording_is_the_drop() {
    let r = analyze(&har(vec![
        entry(0, "GET", "https://app.test/login", "document", "none", None, None, 200, &["session=1; Path=/"], ""),
        entry(100, "GET", "https://app.test/dashboard", "document", "same-origin", None, Some("theme=dark"), 200, &[], ""),
        entry(200, "GET", "https://app.test/account", "document", "same-origin", None, Some("theme=dark"), 200, &[], ""),
    ]));
    assert_eq!(r.entries[1].request.cookies_sent, ["session"], "the replay would send it");
    assert_eq!(r.entries[1].request.mismatches.len(), 1, "the disagreement stays on the entry");
    let drop = r.first_drop.clone().unwrap();
    assert_eq!((drop.entry, drop.cookie.as_str(), drop.kind, drop.set_by), (1, "session", "not-sent", Some(0)));
    assert!(drop.reasons.is_empty(), "the recording shows no reason");
    assert_eq!(r.headline, "session set by GET /login is missing from the Cookie header recorded on GET /dashboard: the browser did not send it, though the replay would have.");
    let not_sent: Vec<_> = r.findings.iter().filter(|f| f.finding.code.as_str() == "flow.session-not-sent").collect();
    assert_eq!(not_sent.len(), 1, "once per cookie: {:?}", codes(&r));
    assert_eq!((not_sent[0].entry, not_sent[0].finding.severity), (Some(1), cookie_inspector::finding::Severity::Error));
    assert!(not_sent[0].finding.detail.contains("document.cookie"), "{}", not_sent[0].finding.detail);
    // The next request without it is still listed as a disagreement.
    let later: Vec<_> = r.findings.iter().filter(|f| f.finding.code.as_str() == "flow.prediction-mismatch").map(|f| f.entry).collect();
    assert_eq!(later, [Some(2)]);
}

/// A Strict session on a cross-site navigation is withheld by the replay; when the recorded
/// Cookie header carries it all the same, the browser did not lose it there: no drop is claimed,
/// and the disagreement is reported.
#[test]
fn a_recorded_cookie_outranks_a_predicted_withhold() {
    let r = analyze(&oauth("Path=/; Secure; HttpOnly; SameSite=Strict", Some("session=abc")));
    assert_eq!(r.entries[3].request.cookies_withheld[0].reasons, ["SchemefulSameSiteStrict"], "the prediction is kept");
    assert!(r.first_drop.is_none(), "{:?}", r.first_drop);
    assert!(!codes(&r).contains(&"flow.session-withheld"), "{:?}", codes(&r));
    let f = r.findings.iter().find(|f| f.finding.code.as_str() == "flow.prediction-mismatch").unwrap();
    assert_eq!(f.entry, Some(3));
    assert_eq!(r.headline, "No session drop found in 5 requests.");
}

/// One entry as Firefox's DevTools export it: no `_resourceType` or `_initiator`, a local-time
/// offset in `startedDateTime`, capitalised header names, one `Set-Cookie` header per line.
fn firefox_entry(started: &str, method: &str, url: &str, request: &[(&str, &str)], status: i64, set: &[&str], location: &str) -> Value {
    let headers: Vec<Value> = request.iter().map(|(n, v)| json!({"name": n, "value": v})).collect();
    let mut response: Vec<Value> = vec![json!({"name": "Content-Type", "value": "text/html; charset=utf-8"})];
    response.extend(set.iter().map(|l| json!({"name": "Set-Cookie", "value": l})));
    json!({
        "pageref": "page_1", "startedDateTime": started, "time": 12,
        "request": {"bodySize": 0, "method": method, "url": url, "httpVersion": "HTTP/1.1", "headers": headers, "cookies": [], "queryString": [], "headersSize": 300},
        "response": {"status": status, "statusText": "", "httpVersion": "HTTP/1.1", "headers": response, "cookies": [], "content": {"mimeType": "text/html; charset=utf-8", "size": 0, "text": ""}, "redirectURL": location, "headersSize": 200, "bodySize": 0},
        "cache": {}, "timings": {"blocked": 0, "dns": 0, "connect": 0, "ssl": 0, "send": 0, "wait": 10, "receive": 2}, "time": 12, "_securityState": "secure", "serverIPAddress": "127.0.0.1", "connection": "443"
    })
}

/// A sign-in whose identity provider POSTs back cross-site three minutes after the session
/// (no SameSite) was set: `/login` → the IdP → `POST /callback`, as Firefox's DevTools export
/// it. `sent`: whether the POST's recorded Cookie header carries the session (Firefox sends it,
/// Chromium withholds it).
fn form_post_flow(sent: bool) -> Vec<Value> {
    let nav = |site: &'static str| vec![("Sec-Fetch-Dest", "document"), ("Sec-Fetch-Mode", "navigate"), ("Sec-Fetch-Site", site)];
    let mut post = nav("cross-site");
    post.push(("Origin", "https://idp.test"));
    if sent {
        post.push(("Cookie", "session=abc"));
    }
    vec![
        firefox_entry("2026-11-23T11:00:00.000+01:00", "GET", "https://app.test/login", &nav("none"), 200, &["session=abc; Path=/; Secure; HttpOnly"], ""),
        firefox_entry("2026-11-23T11:03:00.000+01:00", "GET", "https://idp.test/authorize", &nav("cross-site"), 200, &[], ""),
        firefox_entry("2026-11-23T11:03:01.000+01:00", "POST", "https://app.test/callback", &post, 302, &[], "https://app.test/dashboard"),
    ]
}

/// A flow Firefox recorded: a cookie without SameSite goes out on a cross-site POST three
/// minutes after it was set (Firefox ESR 153 with default settings does this; Chromium treats
/// such a cookie as Lax and withholds it). The replay follows Firefox's rules for Firefox's
/// export and predicts what it did; with Chromium's rules (asked for) it reports the drop Chrome
/// users would get, and the disagreement with the recording.
#[test]
fn a_firefox_recording_is_replayed_with_firefox_rules() {
    use cookie_inspector::cookie::site::Browser;
    use cookie_inspector::flow::replay::ReplayOptions;
    let entries = form_post_flow(true);
    let bytes = serde_json::to_vec(&json!({"log": {"version": "1.2", "creator": {"name": "Firefox", "version": "153.7.0"}, "browser": {"name": "Firefox", "version": "153.7.0"}, "pages": [], "entries": entries}})).unwrap();
    let r = analyze(&bytes);
    assert_eq!(r.creator.as_deref(), Some("Firefox 153.7.0"));
    assert_eq!(r.browser, Browser::Firefox);
    assert_eq!(r.entries.len(), 3);
    assert_eq!(r.entries[0].time, Some(1_795_428_000.0), "the +01:00 offset is applied (10:00Z)");
    assert_eq!(r.entries[2].kind, cookie_inspector::cookie::site::RequestKind::Navigation, "from Sec-Fetch-Dest, without _resourceType");
    assert_eq!(r.entries[2].request.cookies_sent, ["session"], "Firefox sends a cookie without SameSite cross-site");
    assert!(r.entries[2].request.cookies_withheld.is_empty());
    assert!(r.first_drop.is_none(), "{:?}", r.first_drop);
    assert!(!codes(&r).contains(&"flow.prediction-mismatch"), "{:?}", codes(&r));
    let other = r.findings.iter().find(|f| f.finding.code.as_str() == "har.other-browser").unwrap();
    assert_eq!((other.entry, other.finding.severity), (None, cookie_inspector::finding::Severity::Info));
    assert!(other.finding.title.contains("replayed with Firefox's cookie rules"), "{}", other.finding.title);
    assert!(other.finding.detail.contains("Chrome and Edge treat a cookie without SameSite as Lax"), "{}", other.finding.detail);

    // Chromium's rules, asked for: what Chrome users get.
    let chromium_rules = HarOptions { now: NOW, replay: ReplayOptions { browser: Some(Browser::Chromium), ..ReplayOptions::default() }, ..HarOptions::default() };
    let c = analyze_har(&bytes, &chromium_rules);
    assert_eq!(c.browser, Browser::Chromium);
    assert_eq!(c.entries[2].request.cookies_withheld[0].reasons, ["SchemefulSameSiteUnspecifiedTreatedAsLax"]);
    assert_eq!(c.entries[2].request.observed_sent.as_deref().map(|n| n.len()), Some(1));
    assert!(codes(&c).contains(&"flow.prediction-mismatch"), "{:?}", codes(&c));
    let other = c.findings.iter().find(|f| f.finding.code.as_str() == "har.other-browser").unwrap();
    assert!(other.finding.detail.contains("without SameSite as Lax"), "{}", other.finding.detail);
    assert!(other.finding.fix.contains("--browser firefox"), "{}", other.finding.fix);

    // A Chromium export of the same flow says nothing about another browser, and keeps Chromium's rules.
    let chromium = String::from_utf8(bytes).unwrap().replace("\"name\":\"Firefox\"", "\"name\":\"WebInspector\"");
    let w = analyze(chromium.as_bytes());
    assert!(!codes(&w).contains(&"har.other-browser"));
    assert_eq!(w.browser, Browser::Chromium);
}

/// `compare_browsers`: the same flow replayed with the other browser's rules. A Firefox export
/// that keeps its session (a cookie without SameSite on a cross-site POST, three minutes old)
/// loses it under Chromium's rules: an error, with Chromium's fix. The Chromium export of the
/// same flow gets the note the other way round; a flow both lose gets neither.
#[test]
fn the_other_browsers_rules_are_compared_when_asked() {
    use cookie_inspector::cookie::site::Browser;
    let entries = form_post_flow(true);
    let bytes = serde_json::to_vec(&json!({"log": {"version": "1.2", "creator": {"name": "Firefox", "version": "153.7.0"}, "entries": entries}})).unwrap();
    let compare = HarOptions { now: NOW, compare_browsers: true, ..HarOptions::default() };

    let r = analyze_har(&bytes, &compare);
    assert!(r.first_drop.is_none());
    let other = r.other_browser.as_ref().unwrap();
    assert_eq!(other.browser, Browser::Chromium);
    assert_eq!(other.first_drop.as_ref().map(|d| (d.entry, d.cookie.as_str())), Some((2, "session")));
    let f = r.findings.iter().find(|f| f.finding.code.as_str() == "flow.browser-difference").unwrap();
    assert_eq!((f.entry, f.finding.severity), (Some(2), cookie_inspector::finding::Severity::Error));
    assert_eq!(f.finding.title, "In Chrome, Edge and other Chromium browsers, this sign-in loses its session");
    assert!(f.finding.detail.contains("it is lost at POST /callback"), "{}", f.finding.detail);
    assert!(f.finding.detail.contains(&other.headline), "{}", f.finding.detail);
    assert!(f.finding.fix.contains("SameSite"), "Chromium's own fix for the drop: {}", f.finding.fix);
    // The main replay is the one asked for: the comparison adds, it does not change.
    let plain = analyze(&bytes);
    assert_eq!(r.entries, plain.entries);
    assert!(plain.other_browser.is_none() && !codes(&plain).contains(&"flow.browser-difference"));

    // The same flow exported by Chromium, which withheld the cookie: the drop, and a note that
    // Firefox keeps the session.
    let entries = form_post_flow(false);
    let chromium = serde_json::to_vec(&json!({"log": {"version": "1.2", "creator": {"name": "WebInspector", "version": "537.36"}, "entries": entries}})).unwrap();
    let c = analyze_har(&chromium, &compare);
    assert_eq!(c.first_drop.as_ref().map(|d| d.entry), Some(2));
    assert_eq!(c.other_browser.as_ref().map(|o| (o.browser, o.first_drop.is_none())), Some((Browser::Firefox, true)));
    let f = c.findings.iter().find(|f| f.finding.code.as_str() == "flow.browser-difference").unwrap();
    assert_eq!((f.entry, f.finding.severity), (Some(2), cookie_inspector::finding::Severity::Info));
    assert!(f.finding.title.contains("In Firefox, this sign-in keeps its session"), "{}", f.finding.title);

    // A flow both browsers lose (the Strict session of the recorded Firefox export): no finding.
    let both = std::fs::read(concat!(env!("CARGO_MANIFEST_DIR"), "/tests/fixtures/hars-firefox/oauth-strict-http.har")).unwrap();
    let b = analyze_har(&both, &compare);
    assert!(b.first_drop.is_some() && b.other_browser.as_ref().is_some_and(|o| o.first_drop.is_some()));
    assert!(!codes(&b).contains(&"flow.browser-difference"), "{:?}", codes(&b));

    // A session the server refused (recorded in Chromium): the refusal was the server's answer,
    // which the other browser would have got too; no difference is claimed.
    let refused = std::fs::read(concat!(env!("CARGO_MANIFEST_DIR"), "/tests/fixtures/hars/flow__session-refused.har")).unwrap();
    let r = analyze_har(&refused, &compare);
    assert_eq!(r.first_drop.as_ref().map(|d| d.kind), Some("refused"));
    assert!(r.other_browser.as_ref().is_some_and(|o| o.first_drop.is_none()), "{:?}", r.other_browser);
    assert!(!codes(&r).contains(&"flow.browser-difference"), "{:?}", codes(&r));
}

/// Firefox's Total Cookie Protection in a replay: a session stored when the user visited the API
/// site directly is not sent on the app's cross-site fetch to it, and the reason says why in
/// Firefox's terms; a cookie the API set inside the app's page comes back there.
#[test]
fn firefox_keeps_third_party_cookies_apart_per_site() {
    use cookie_inspector::cookie::site::Browser;
    use cookie_inspector::flow::replay::ReplayOptions;
    let entries = vec![
        entry(0, "GET", "https://api.other.test/login", "document", "none", None, None, 200, &["session=s1; Path=/; Secure; SameSite=None"], ""),
        entry(1, "GET", "https://app.test/", "document", "none", None, None, 200, &[], ""),
        entry(2, "GET", "https://api.other.test/me", "fetch", "cross-site", Some("https://app.test"), None, 200, &["widget=w1; Path=/; Secure; SameSite=None"], ""),
        entry(3, "GET", "https://api.other.test/me", "fetch", "cross-site", Some("https://app.test"), None, 200, &[], ""),
    ];
    let firefox = HarOptions { now: NOW, replay: ReplayOptions { browser: Some(Browser::Firefox), ..ReplayOptions::default() }, ..HarOptions::default() };
    let r = analyze_har(&har(entries.clone()), &firefox);
    let withheld = &r.entries[2].request.cookies_withheld;
    assert_eq!(withheld.len(), 1, "{withheld:?}");
    assert_eq!((withheld[0].name.as_str(), withheld[0].reasons.as_slice()), ("session", ["UserPreferences"].as_slice()));
    assert!(withheld[0].explanation.unwrap_or("").contains("Total Cookie Protection"), "{:?}", withheld[0].explanation);
    assert_eq!(r.entries[3].request.cookies_sent, ["widget"], "stored under app.test, sent there");
    // Chromium with third-party cookies allowed (its default) sends both.
    let r = analyze(&har(entries));
    assert_eq!(r.entries[3].request.cookies_sent.len(), 2, "{:?}", r.entries[3].request.cookies_sent);
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

/// `entry`, with more request headers (as DevTools exports the real ones: `Host` among them)
/// and more entry fields.
fn with(mut e: Value, headers: &[(&str, &str)], fields: &[(&str, Value)]) -> Value {
    for (n, v) in headers {
        e["request"]["headers"].as_array_mut().unwrap().push(json!({"name": n, "value": v}));
    }
    for (path, v) in fields {
        let (object, key) = path.split_once('.').map_or((None, *path), |(o, k)| (Some(o), k));
        match object {
            Some(o) => e[o][key] = v.clone(),
            None => e[key] = v.clone(),
        }
    }
    e
}

/// A session cookie a script deleted (it is not HttpOnly): the next navigation, recorded with its
/// real headers, has no Cookie header at all. That is the drop, as observed; the same request
/// with only the provisional headers (no `Host`), answered by a service worker, or in a
/// sanitized export says nothing.
#[test]
fn a_request_recorded_whole_without_a_cookie_header_sent_none() {
    let host = [("Host", "app.test")];
    let flow = |last: Value| {
        har(vec![
            with(entry(0, "GET", "https://app.test/login", "document", "none", None, None, 200, &["session=abc; Path=/; Secure; SameSite=Lax"], ""), &host, &[]),
            with(entry(500, "GET", "https://app.test/home", "document", "same-origin", None, Some("session=abc"), 200, &[], ""), &host, &[]),
            last,
        ])
    };
    let dashboard = || entry(900, "GET", "https://app.test/dashboard", "document", "same-origin", None, None, 200, &[], "");

    let r = analyze(&flow(with(dashboard(), &host, &[])));
    assert_eq!(r.entries[2].request.observed_sent, Some(vec![]));
    assert_eq!(r.entries[2].request.credentials_omitted, Vec::<String>::new(), "a navigation has no credentials mode to blame");
    let drop = r.first_drop.as_ref().unwrap();
    assert_eq!((drop.entry, drop.kind, drop.set_by), (2, "not-sent", Some(0)));
    assert_eq!(codes(&r).iter().filter(|c| **c == "flow.session-not-sent").count(), 1, "{:?}", codes(&r));
    let f = r.findings.iter().find(|f| f.finding.code.as_str() == "flow.session-not-sent").unwrap();
    assert!(f.finding.detail.contains("The browser sent no Cookie header at all on GET") && f.finding.detail.contains("a script deleted it"), "{}", f.finding.detail);
    assert!(f.finding.fix.contains("document.cookie"), "{}", f.finding.fix);

    // HTTP/2's pseudo-header is as good as Host; this project's recorder says so itself.
    let h2 = analyze(&flow(with(dashboard(), &[(":authority", "app.test")], &[])));
    assert_eq!(h2.first_drop.as_ref().map(|d| d.kind), Some("not-sent"));
    let recorder = analyze(&flow(with(dashboard(), &[], &[("_requestHeadersAsSent", json!(true))])));
    assert_eq!(recorder.first_drop.as_ref().map(|d| d.kind), Some("not-sent"));

    // Safari's exports were not checked: there a missing Cookie header proves nothing.
    let entries = vec![
        with(entry(0, "GET", "https://app.test/login", "document", "none", None, None, 200, &["session=abc; Path=/; Secure; SameSite=Lax"], ""), &host, &[]),
        with(entry(500, "GET", "https://app.test/home", "document", "same-origin", None, Some("session=abc"), 200, &[], ""), &host, &[]),
        with(dashboard(), &host, &[]),
    ];
    let safari = analyze(&serde_json::to_vec(&json!({"log": {"version": "1.2", "creator": {"name": "WebKit Web Inspector", "version": "18.0"}, "entries": entries}})).unwrap());
    assert_eq!(safari.entries[2].request.observed_sent, None);
    assert!(safari.first_drop.is_none(), "{:?}", safari.first_drop);

    for (case, last) in [
        ("provisional headers", dashboard()),
        ("service worker", with(dashboard(), &host, &[("response._fetchedViaServiceWorker", json!(true))])),
        ("recorder mark of another type", with(dashboard(), &[], &[("_requestHeadersAsSent", json!("yes"))])),
    ] {
        let r = analyze(&flow(last));
        assert_eq!(r.entries[2].request.observed_sent, None, "{case}");
        assert!(r.first_drop.is_none(), "{case}: {:?}", r.first_drop);
        assert!(!codes(&r).contains(&"flow.session-not-sent"), "{case}: {:?}", codes(&r));
    }
}

/// A sanitized export has neither Cookie nor Set-Cookie headers: a request with `Host` and no
/// Cookie header proves nothing there.
#[test]
fn a_sanitized_export_proves_nothing_by_a_missing_cookie_header() {
    let r = analyze(&har(vec![with(entry(0, "GET", "https://app.test/", "document", "none", None, None, 200, &[], ""), &[("Host", "app.test")], &[])]));
    assert_eq!(codes(&r), ["har.sanitized"]);
    assert_eq!(r.entries[0].request.observed_sent, None);
}

/// A cross-origin fetch without a Cookie header, where the jar holds the session for its host:
/// the credentials mode left it out (one finding per host called). A same-origin request, a
/// `no-cors` one or one without `Origin` is not blamed on the credentials mode.
#[test]
fn a_cross_origin_fetch_without_credentials_is_found() {
    let host = |h: &'static str| [("Host", h), ("Sec-Fetch-Mode", "cors")];
    let api = |ms: u64, url: &str, origin: Option<&str>, extra: &[(&str, &str)]| with(entry(ms, "GET", url, "fetch", "same-site", origin, None, 401, &[], ""), extra, &[]);
    let flow = |calls: Vec<Value>| {
        let mut entries = vec![with(entry(0, "GET", "https://app.test/", "document", "none", None, None, 200, &["session=abc; Domain=app.test; Path=/; Secure; HttpOnly; SameSite=Lax", "theme=dark; Domain=app.test; Path=/; Secure"], ""), &host("app.test"), &[])];
        entries.extend(calls);
        analyze(&har(entries))
    };

    let r = flow(vec![
        api(100, "https://api.app.test/me", Some("https://app.test"), &host("api.app.test")),
        api(200, "https://api.app.test/orders", Some("https://app.test"), &host("api.app.test")),
    ]);
    for i in [1, 2] {
        assert_eq!(r.entries[i].request.credentials_omitted, ["session", "theme"], "entry {i}");
        assert_eq!(r.entries[i].request.cookies_sent, Vec::<String>::new(), "entry {i}: nothing went out");
        assert_eq!(r.entries[i].request.mismatches, [], "entry {i}");
    }
    let found: Vec<_> = r.findings.iter().filter(|f| f.finding.code.as_str() == "flow.credentials-omitted").collect();
    assert_eq!(found.len(), 1, "once per host: {:?}", codes(&r));
    assert!(!found[0].finding.detail.contains("was not gone"), "nothing later shows the cookie: {}", found[0].finding.detail);
    assert_eq!(found[0].entry, Some(1));
    assert!(found[0].finding.detail.contains("\"session\", \"theme\""), "{}", found[0].finding.detail);
    let drop = r.first_drop.as_ref().unwrap();
    assert_eq!((drop.entry, drop.cookie.as_str(), drop.kind, drop.set_by), (1, "session", "credentials-omitted", Some(0)));
    assert_eq!(r.headline, "session is left out of the cross-origin fetch GET /me: the request does not include credentials.");

    // A later request that carries the session rules out that it was gone.
    let r = flow(vec![
        api(100, "https://api.app.test/me", Some("https://app.test"), &host("api.app.test")),
        with(entry(300, "GET", "https://app.test/account", "document", "same-origin", None, Some("session=abc; theme=dark"), 200, &[], ""), &host("app.test"), &[]),
    ]);
    let f = r.findings.iter().find(|f| f.finding.code.as_str() == "flow.credentials-omitted").unwrap();
    assert!(f.finding.detail.ends_with("The cookie was not gone: GET \"https://app.test/account\" (entry 2) carries it later."), "{}", f.finding.detail);

    // Only a cookie that is not the session: reported, one severity lower, and no drop.
    let r = analyze(&har(vec![
        with(entry(0, "GET", "https://app.test/", "document", "none", None, None, 200, &["theme=dark; Domain=app.test; Path=/; Secure"], ""), &host("app.test"), &[]),
        api(100, "https://api.app.test/me", Some("https://app.test"), &host("api.app.test")),
    ]));
    let f = r.findings.iter().find(|f| f.finding.code.as_str() == "flow.credentials-omitted").unwrap();
    assert_eq!(f.finding.severity, cookie_inspector::finding::Severity::Warning);
    assert!(r.first_drop.is_none());

    // A font (CORS mode, never with credentials) from a same-site host: left out too, as browsers
    // do, and no finding.
    let font = with(entry(100, "GET", "https://static.app.test/brand.woff2", "font", "same-site", Some("https://app.test"), None, 200, &[], ""), &host("static.app.test"), &[]);
    let r = flow(vec![font]);
    assert_eq!(r.entries[1].request.credentials_omitted, ["session", "theme"]);
    assert!(r.findings.is_empty() && r.first_drop.is_none(), "{:?}", codes(&r));

    for (case, call) in [
        ("same origin", api(100, "https://app.test/api/me", Some("https://app.test"), &host("app.test"))),
        ("no Origin", api(100, "https://api.app.test/me", None, &host("api.app.test"))),
        ("no-cors", api(100, "https://api.app.test/me", Some("https://app.test"), &[("Host", "api.app.test"), ("Sec-Fetch-Mode", "no-cors")])),
    ] {
        let r = flow(vec![call]);
        assert_eq!(r.entries[1].request.credentials_omitted, Vec::<String>::new(), "{case}");
        assert_eq!(r.entries[1].request.cookies_sent, ["session", "theme"], "{case}: the prediction stands");
        assert!(!codes(&r).contains(&"flow.credentials-omitted"), "{case}: {:?}", codes(&r));
        assert_eq!(r.first_drop.as_ref().map(|d| d.kind), Some("not-sent"), "{case}: the recording still shows the drop");
    }
}

/// A CORS preflight never carries cookies or stores them (Fetch Standard §4.8): no prediction,
/// no drop, with or without Chromium's `_resourceType`.
#[test]
fn preflights_send_and_store_no_cookies() {
    let host = |h: &'static str| [("Host", h), ("Sec-Fetch-Mode", "cors")];
    for resource_type in ["preflight", "other"] {
        let preflight = with(
            entry(100, "OPTIONS", "https://api.app.test/me", resource_type, "same-site", Some("https://app.test"), None, 204, &["tracker=1; Domain=app.test; Path=/"], ""),
            &[("Host", "api.app.test"), ("Sec-Fetch-Mode", "cors"), ("Access-Control-Request-Method", "PUT")],
            &[],
        );
        let r = analyze(&har(vec![
            with(entry(0, "GET", "https://app.test/", "document", "none", None, None, 200, &["session=abc; Domain=app.test; Path=/; Secure; HttpOnly; SameSite=Lax"], ""), &host("app.test"), &[]),
            preflight,
            with(entry(200, "PUT", "https://api.app.test/me", "fetch", "same-site", Some("https://app.test"), Some("session=abc"), 200, &[], ""), &host("api.app.test"), &[]),
        ]));
        let p = &r.entries[1];
        assert!(p.request.cookies_sent.is_empty() && p.request.credentials_omitted.is_empty() && p.response.set_cookies.is_empty(), "{resource_type}: {p:?}");
        assert!(r.findings.is_empty() && r.first_drop.is_none(), "{resource_type}: {:?}", codes(&r));
        assert_eq!(r.entries[2].request.cookies_sent, ["session"], "{resource_type}");
    }
}

/// A cross-site fetch without a Cookie header may have met blocked third-party cookies rather
/// than a credentials mode: the recording cannot tell, so it is the observed drop, not a guess.
#[test]
fn a_cross_site_fetch_without_cookies_is_not_blamed_on_its_credentials_mode() {
    let host = |h: &'static str| [("Host", h), ("Sec-Fetch-Mode", "cors")];
    let r = analyze(&har(vec![
        with(entry(0, "GET", "https://api.test/login", "document", "none", None, None, 200, &["session=abc; Path=/; Secure; HttpOnly; SameSite=None"], ""), &host("api.test"), &[]),
        with(entry(100, "GET", "https://app.test/", "document", "none", None, None, 200, &[], ""), &host("app.test"), &[]),
        with(entry(200, "GET", "https://api.test/me", "fetch", "cross-site", Some("https://app.test"), None, 401, &[], ""), &host("api.test"), &[]),
    ]));
    assert_eq!(r.entries[2].site, Some(cookie_inspector::cookie::site::SameSiteContext::CrossSite));
    assert_eq!(r.entries[2].request.credentials_omitted, Vec::<String>::new());
    assert_eq!(r.entries[2].request.cookies_sent, ["session"], "the prediction stands (third-party cookies allowed)");
    assert!(!codes(&r).contains(&"flow.credentials-omitted"), "{:?}", codes(&r));
    assert_eq!(r.first_drop.as_ref().map(|d| (d.entry, d.kind)), Some((2, "not-sent")));
    let f = r.findings.iter().find(|f| f.finding.code.as_str() == "flow.session-not-sent").unwrap();
    assert!(f.finding.detail.contains("The browser sent no Cookie header at all") && f.finding.detail.contains("blocked third-party cookies"), "{}", f.finding.detail);
    assert!(f.finding.fix.starts_with("Replay with third-party cookies blocked"), "{}", f.finding.fix);
}

/// After the callback stored the session, a request that carries it is sent back to sign in:
/// the browser kept the session, the server refused it. A redirect to the sign-in page, an
/// authorization request to the identity provider again, or a 401 all count; a sign-out, the
/// sign-in page itself, a request without the session, or a session cookie that a plain page
/// load (not a sign-in) set do not.
#[test]
fn a_session_the_server_refuses_is_found() {
    let flow = |last: Value| {
        har(vec![
            entry(0, "GET", "https://app.test/login", "document", "none", None, None, 200, &[], ""),
            entry(100, "POST", "https://app.test/api/auth/callback/credentials", "document", "same-origin", Some("https://app.test"), None, 302, &["session=abc; Path=/; Secure; HttpOnly; SameSite=Lax"], "/dashboard"),
            last,
        ])
    };
    let r = analyze(&flow(entry(200, "GET", "https://app.test/dashboard", "document", "same-origin", None, Some("session=abc"), 302, &[], "/login?callbackUrl=%2Fdashboard")));
    let drop = r.first_drop.as_ref().unwrap();
    assert_eq!((drop.entry, drop.cookie.as_str(), drop.kind, drop.set_by), (2, "session", "refused", Some(1)));
    assert_eq!(r.headline_finding, None, "a drop is the verdict's own");
    assert_eq!(r.headline, "session went along with GET /dashboard, yet the server sent the browser back to sign in: it did not accept the session set by POST /api/auth/callback/credentials.");
    let f = r.findings.iter().find(|f| f.finding.code.as_str() == "flow.session-refused").unwrap();
    assert_eq!((f.entry, f.finding.severity), (Some(2), cookie_inspector::finding::Severity::Error));
    assert!(f.finding.detail.contains("redirects to the sign-in page \"https://app.test/login?callbackUrl=%2Fdashboard\""), "{}", f.finding.detail);
    assert!(f.finding.detail.contains("the request carried it"), "{}", f.finding.detail);
    assert!(f.finding.fix.contains("AUTH_SECRET"), "{}", f.finding.fix);

    // Back to the identity provider; a 401 from the API (predicted: no Cookie header recorded).
    let idp = analyze(&flow(entry(200, "GET", "https://app.test/dashboard", "document", "same-origin", None, Some("session=abc"), 302, &[], "https://idp.test/authorize?client_id=app&response_type=code&redirect_uri=https%3A%2F%2Fapp.test%2Fcb")));
    assert_eq!(idp.first_drop.as_ref().map(|d| d.kind), Some("refused"));
    let api = analyze(&flow(entry(200, "GET", "https://app.test/api/me", "fetch", "same-origin", None, None, 401, &[], "")));
    assert_eq!(api.first_drop.as_ref().map(|d| (d.entry, d.kind)), Some((2, "refused")));
    assert_eq!(api.headline, "session would go along with GET /api/me, yet the server answered 401 Unauthorized: it did not accept the session set by POST /api/auth/callback/credentials.");
    let f = api.findings.iter().find(|f| f.finding.code.as_str() == "flow.session-refused").unwrap();
    assert!(f.finding.detail.contains("would carry (predicted"), "{}", f.finding.detail);

    for (case, last) in [
        ("sign-out", entry(200, "POST", "https://app.test/api/auth/signout", "document", "same-origin", Some("https://app.test"), Some("session=abc"), 302, &["session=; Max-Age=0; Path=/"], "/login")),
        ("the sign-in page itself", entry(200, "GET", "https://app.test/login", "document", "same-origin", None, Some("session=abc"), 302, &[], "/login?step=2")),
        ("without the session", entry(200, "GET", "https://app.test/dashboard", "document", "same-origin", None, Some("theme=dark"), 302, &[], "/login")),
        ("an ordinary redirect", entry(200, "GET", "https://app.test/dashboard", "document", "same-origin", None, Some("session=abc"), 302, &[], "/dashboard/home")),
    ] {
        let r = analyze(&flow(last));
        assert!(!codes(&r).contains(&"flow.session-refused"), "{case}: {:?}", codes(&r));
    }
    // A session cookie set by a plain page load (an anonymous session), or renewed by a form that
    // is no sign-in, is no sign-in.
    for (method, url) in [("GET", "https://app.test/"), ("POST", "https://app.test/api/cart")] {
        let r = analyze(&har(vec![
            entry(0, method, url, "document", "none", None, None, 200, &["connect.sid=s1; Path=/; HttpOnly"], ""),
            entry(100, "GET", "https://app.test/dashboard", "document", "same-origin", None, Some("connect.sid=s1"), 302, &[], "/login"),
        ]));
        assert!(!codes(&r).contains(&"flow.session-refused"), "{method} {url}: {:?}", codes(&r));
    }
    // A sign-in form's POST (Devise), or the identity provider's answer with a GET, is one.
    for (method, url) in [("POST", "https://app.test/users/sign_in"), ("GET", "https://app.test/oidc?code=c1&state=s1")] {
        let r = analyze(&har(vec![
            entry(0, method, url, "document", "same-origin", None, None, 302, &["_app_session=s1; Path=/; HttpOnly"], "/dashboard"),
            entry(100, "GET", "https://app.test/dashboard", "document", "same-origin", None, Some("_app_session=s1"), 302, &[], "/users/sign_in"),
        ]));
        assert!(codes(&r).contains(&"flow.session-refused"), "{method} {url}: {:?}", codes(&r));
    }
}

/// A refusal that repeats, sign-in after sign-in (the provider signs the user straight back in,
/// the app refuses again): the refusal says how many rounds the recording holds.
#[test]
fn a_refused_session_in_a_loop_counts_the_rounds() {
    let round = |ms: u64| {
        [
            entry(ms, "GET", "https://app.test/callback?code=c1&state=s1", "document", "cross-site", None, None, 302, &["session=abc; Path=/; Secure; HttpOnly; SameSite=Lax"], "/dashboard"),
            entry(ms + 100, "GET", "https://app.test/dashboard", "document", "cross-site", None, Some("session=abc"), 302, &[], "https://idp.test/authorize?client_id=app&response_type=code"),
            entry(ms + 200, "GET", "https://idp.test/authorize?client_id=app&response_type=code", "document", "cross-site", None, None, 302, &[], "https://app.test/callback?code=c1&state=s1"),
        ]
    };
    let r = analyze(&har([round(0), round(1000), round(2000)].concat()));
    assert_eq!(codes(&r), ["flow.session-refused"]);
    assert!(r.findings[0].finding.detail.ends_with(" The sign-in finished 3 times in this recording: the user goes round."), "{}", r.findings[0].finding.detail);
    let once = analyze(&har(round(0).to_vec()));
    assert!(!once.findings[0].finding.detail.contains("goes round"));
}

/// The refusal names what the token analysis found in the session cookie's token.
#[test]
fn a_refused_session_says_what_its_token_shows() {
    use base64::Engine;
    let b64 = |v: Value| base64::engine::general_purpose::URL_SAFE_NO_PAD.encode(v.to_string());
    // Issued and expiring an hour before the flow: expired when it went along.
    let iat = NOW as i64 - 7200;
    let jwt = format!("{}.{}.c2ln", b64(json!({"alg": "HS256", "typ": "JWT"})), b64(json!({"sub": "u1", "iat": iat, "exp": iat + 3600})));
    let set = format!("session={jwt}; Path=/; Secure; HttpOnly; SameSite=Lax");
    let cookie = format!("session={jwt}");
    let r = analyze(&har(vec![
        entry(100, "POST", "https://app.test/api/login", "document", "same-origin", Some("https://app.test"), None, 302, &[&set], "/dashboard"),
        entry(200, "GET", "https://app.test/dashboard", "document", "same-origin", None, Some(&cookie), 302, &[], "/login"),
    ]));
    let f = r.findings.iter().find(|f| f.finding.code.as_str() == "flow.session-refused").unwrap();
    assert!(f.finding.detail.contains("The token in it: "), "{}", f.finding.detail);
    assert!(f.finding.detail.to_lowercase().contains("expired"), "{}", f.finding.detail);
}

/// Two cookies of one name in one Cookie header: an error for the session (once), nothing for
/// another cookie.
#[test]
fn a_session_sent_twice_is_found_once() {
    let r = analyze(&har(vec![
        entry(0, "GET", "https://app.test/", "document", "none", None, None, 200, &["sid=old; Domain=app.test; Path=/", "theme=a; Domain=app.test; Path=/"], ""),
        entry(100, "GET", "https://app.test/account", "document", "same-origin", None, None, 200, &["sid=new; Path=/account", "theme=b; Path=/account"], ""),
        entry(200, "GET", "https://app.test/account/settings", "document", "same-origin", None, None, 200, &[], ""),
        entry(300, "GET", "https://app.test/account/billing", "document", "same-origin", None, None, 200, &[], ""),
    ]));
    assert_eq!(r.entries[2].request.cookies_sent, ["sid", "theme", "sid", "theme"], "longest Path first");
    assert_eq!(codes(&r), ["flow.session-duplicate"]);
    let f = &r.findings[0];
    assert_eq!(f.entry, Some(2));
    assert!(f.finding.detail.contains("would carry (predicted)") && f.finding.detail.contains("\"sid=old; Domain=app.test; Path=/\" by GET"), "{}", f.finding.detail);
    assert!(f.finding.fix.contains("Max-Age=0"), "{}", f.finding.fix);
}

/// The app on app.test, then its hidden iframe asking `idp` for a silent sign-in (`prompt` as
/// given), answered with a redirect to `answer`. `set_at_idp`: the provider's own cookie, stored
/// when the user signed in there first (top-level), or `None` (before the recording began).
fn silent_flow(idp: &str, prompt: &str, set_at_idp: Option<&str>, cookie: Option<&str>, answer: &str) -> Vec<u8> {
    let mut entries = Vec::new();
    if let Some(line) = set_at_idp {
        entries.push(entry(0, "GET", &format!("https://{idp}/login"), "document", "none", None, None, 200, &[line], ""));
    }
    // (A cookie of the app's own, so that the file is not a sanitized export.)
    entries.push(entry(100, "GET", "https://app.test/app", "document", "none", None, None, 200, &["theme=dark; Path=/"], ""));
    let authorize = format!("https://{idp}/authorize?client_id=app&response_type=code&redirect_uri=https%3A%2F%2Fapp.test%2Fcb&state=s1&prompt={prompt}");
    let site = if idp.ends_with(".app.test") { "same-site" } else { "cross-site" };
    entries.push(with(entry(200, "GET", &authorize, "document", site, None, cookie, 302, &[], answer), &[("Sec-Fetch-Dest", "iframe"), ("Referer", "https://app.test/")], &[]));
    entries.push(with(entry(300, "GET", answer, "document", "cross-site", None, None, 200, &[], ""), &[("Sec-Fetch-Dest", "iframe"), ("Referer", "https://app.test/")], &[]));
    har(entries)
}

fn silent_findings(r: &FlowReport) -> Vec<(Option<usize>, &'static str, cookie_inspector::finding::Severity)> {
    r.findings.iter().filter(|f| f.finding.code.as_str().starts_with("flow.silent-")).map(|f| (f.entry, f.finding.code.as_str(), f.finding.severity)).collect()
}

/// A silent sign-in (OpenID Connect `prompt=none`) in a hidden iframe: the provider's cookies,
/// whatever their names, held back by the cookie's own SameSite (third-party cookies allowed)
/// or by Firefox's Total Cookie Protection; or only the provider's `login_required` to show.
#[test]
fn a_silent_sign_in_without_the_providers_cookies_is_found() {
    use cookie_inspector::cookie::site::Browser;
    use cookie_inspector::finding::Severity;
    use cookie_inspector::flow::replay::ReplayOptions;
    // MSAL.js answers in the fragment. The provider's cookie is SameSite=Lax: never sent to a
    // cross-site frame, third-party cookies allowed or not. Its name is no session name.
    let bytes = silent_flow("login.idp.test", "none", Some("ESTSAUTH=e1; Path=/; Secure; HttpOnly; SameSite=Lax"), None, "https://app.test/cb#error=login_required&error_description=AADSTS50058&state=s1");
    let r = analyze(&bytes);
    assert_eq!(silent_findings(&r), [(Some(2), "flow.silent-sign-in-blocked", Severity::Error)]);
    assert_eq!(codes(&r), ["flow.silent-sign-in-blocked"], "no per-cookie finding besides");
    let f = &r.findings[0].finding;
    assert!(f.title.contains("SameSiteLax"), "{}", f.title);
    assert!(f.detail.contains("\"ESTSAUTH\" is withheld") && f.detail.contains("The provider answered login_required"), "{}", f.detail);
    // The cookie's own attribute is the cause: the provider's fix first.
    assert!(f.fix.starts_with("A provider you run") && f.fix.contains("SameSite=None; Secure"), "{}", f.fix);
    let drop = r.first_drop.clone().unwrap();
    assert_eq!((drop.entry, drop.cookie.as_str(), drop.kind, drop.set_by), (2, "ESTSAUTH", "withheld", Some(0)));

    // SameSite=None; Secure, as providers set it for this: Chromium with third-party cookies
    // allowed sends it (and the recording shows it went), Firefox keeps it apart.
    let none = "idp_session=u1; Path=/; Secure; HttpOnly; SameSite=None";
    let bytes = silent_flow("idp.test", "none", Some(none), Some("idp_session=u1"), "https://app.test/cb?code=c1&state=s1");
    assert_eq!(silent_findings(&analyze(&bytes)), []);
    let firefox = HarOptions { now: NOW, replay: ReplayOptions { browser: Some(Browser::Firefox), ..ReplayOptions::default() }, ..HarOptions::default() };
    let bytes = silent_flow("idp.test", "none", Some(none), None, "https://app.test/cb?error=login_required&state=s1");
    let r = analyze_har(&bytes, &firefox);
    assert_eq!(silent_findings(&r), [(Some(2), "flow.silent-sign-in-blocked", Severity::Error)]);
    let f = &r.findings[0].finding;
    assert!(f.detail.contains("Total Cookie Protection") && f.fix.contains("useRefreshTokens"), "{}", f.detail);

    // `prompt` is a list ("none" among others is still silent); `prompt=login` is not silent.
    let bytes = silent_flow("idp.test", "none%20consent", Some("idp_session=u1; Path=/; Secure; SameSite=Lax"), None, "https://app.test/cb?error=consent_required&state=s1");
    assert_eq!(silent_findings(&analyze(&bytes)), [(Some(2), "flow.silent-sign-in-blocked", Severity::Error)]);
    let bytes = silent_flow("idp.test", "login", Some("idp_session=u1; Path=/; Secure; SameSite=Lax"), None, "https://app.test/cb?code=c1&state=s1");
    let r = analyze(&bytes);
    assert_eq!(silent_findings(&r), []);
    assert_eq!(codes(&r), ["flow.session-withheld"], "an ordinary withheld session cookie");

    // Signed in at the provider before the recording began: nothing to replay, only the answer.
    // In a frame under another site that is likely third-party cookie blocking (a warning);
    // with the provider on the app's own site, the user simply has no session there (a note).
    let bytes = silent_flow("idp.test", "none", None, None, "https://app.test/cb?error=login_required&state=s1");
    let r = analyze(&bytes);
    assert_eq!(silent_findings(&r), [(Some(1), "flow.silent-sign-in-failed", Severity::Warning)]);
    let f = &r.findings[0].finding;
    assert!(f.title.contains("login_required") && f.detail.contains("held its session cookie back") && f.fix.contains("refresh token"), "{}", f.detail);
    assert_eq!(r.first_drop, None);
    let bytes = silent_flow("login.app.test", "none", None, None, "https://app.test/cb?error=interaction_required&state=s1");
    let r = analyze(&bytes);
    assert_eq!(silent_findings(&r), [(Some(1), "flow.silent-sign-in-failed", Severity::Info)]);
    assert!(r.findings[0].finding.detail.contains("no session at the provider"), "{}", r.findings[0].finding.detail);
    // Another error (the app is misconfigured) is not a missing session.
    let bytes = silent_flow("idp.test", "none", None, None, "https://app.test/cb?error=invalid_request&state=s1");
    assert_eq!(silent_findings(&analyze(&bytes)), []);

    // The provider passes through a page of its own before it answers: the answer is read at the
    // end of the redirect chain.
    let frame = |e: Value| with(e, &[("Sec-Fetch-Dest", "iframe"), ("Referer", "https://app.test/")], &[]);
    let bytes = har(vec![
        entry(0, "GET", "https://app.test/app", "document", "none", None, None, 200, &["theme=dark; Path=/"], ""),
        frame(entry(100, "GET", "https://idp.test/authorize?client_id=app&redirect_uri=https%3A%2F%2Fapp.test%2Fcb&prompt=none&state=s1", "document", "cross-site", None, None, 302, &[], "/u/resume?state=s1")),
        frame(entry(150, "GET", "https://idp.test/u/resume?state=s1", "document", "cross-site", None, None, 302, &[], "https://app.test/cb?state=s1&error=login_required")),
        frame(entry(200, "GET", "https://app.test/cb?state=s1&error=login_required", "document", "cross-site", None, None, 200, &[], "")),
    ]);
    let r = analyze(&bytes);
    assert_eq!(silent_findings(&r), [(Some(1), "flow.silent-sign-in-failed", Severity::Warning)]);

    // Auth0's getTokenSilently (response_mode=web_message): the provider answers 200 with a page
    // that posts the result to the app, in the recorded body.
    let page = r#"<!DOCTYPE html><html><head><title>Authorization Response</title></head><body><script type="text/javascript">(function(window, document) {var targetOrigin = "https://app.test";var authorizationResponse = {type: "authorization_response",response: {"error":"login_required","error_description":"Login required","state":"s1"}};window.parent.postMessage(authorizationResponse, targetOrigin);})(this, this.document);</script></body></html>"#;
    let answer = |body: &str, cookie: Option<&str>| {
        let mut e = frame(entry(100, "GET", "https://tenant.auth0.test/authorize?client_id=app&redirect_uri=https%3A%2F%2Fapp.test&response_mode=web_message&prompt=none&state=s1", "document", "cross-site", None, cookie, 200, &[], ""));
        e["response"]["content"] = json!({"mimeType": "text/html", "text": body});
        har(vec![entry(0, "GET", "https://app.test/app", "document", "none", None, None, 200, &["theme=dark; Path=/"], ""), e])
    };
    let r = analyze(&answer(page, None));
    assert_eq!(silent_findings(&r), [(Some(1), "flow.silent-sign-in-failed", Severity::Warning)]);
    assert!(r.findings[0].finding.title.contains("login_required"), "{}", r.findings[0].finding.title);
    let r = analyze(&answer(&page.replace(r#""error":"login_required","error_description":"Login required""#, r#""code":"c1""#), Some("auth0=a1")));
    assert_eq!(silent_findings(&r), []);
}

/// A request refused for the size of its headers (431, or a 400 page saying so) is the drop,
/// though the session went along; a Cookie header past common limits without a refusal is a
/// warning, once. The size is the recorded header's, or the one the replay would send.
#[test]
fn a_cookie_header_too_large_for_the_server_is_found() {
    use cookie_inspector::finding::Severity;
    let chunk = |n: usize| format!("__Secure-authjs.session-token.{n}={}; Path=/; Secure; HttpOnly; SameSite=Lax", "A".repeat(3000));
    let lines: Vec<String> = (0..3).map(chunk).collect();
    let set: Vec<&str> = lines.iter().map(String::as_str).collect();
    let header: String = (0..3).map(|n| format!("__Secure-authjs.session-token.{n}={}", "A".repeat(3000))).collect::<Vec<_>>().join("; ");
    let flow = |status: i64, cookie: Option<&str>, page: &str| {
        let mut dashboard = entry(300, "GET", "https://app.test/dashboard", "document", "same-origin", None, cookie, status, &[], "");
        dashboard["response"]["content"] = json!({"mimeType": "text/html", "text": page});
        har(vec![
            entry(0, "GET", "https://app.test/login", "document", "none", None, None, 200, &[], ""),
            entry(100, "POST", "https://app.test/api/auth/callback/credentials", "document", "same-origin", Some("https://app.test"), None, 302, &set, "/dashboard"),
            dashboard,
        ])
    };
    let too_large = |r: &FlowReport| r.findings.iter().filter(|f| f.finding.code.as_str() == "flow.cookie-header-too-large").map(|f| (f.entry, f.finding.severity)).collect::<Vec<_>>();

    // Node.js's own answer: 431.
    let r = analyze(&flow(431, Some(&header), ""));
    assert_eq!(too_large(&r), [(Some(2), Severity::Error)]);
    assert_eq!(r.entries[2].request.cookie_bytes, header.len());
    let f = r.findings.iter().find(|f| f.finding.code.as_str() == "flow.cookie-header-too-large").unwrap();
    assert_eq!(header.len(), 9_100);
    assert!(f.finding.title.ends_with("431 Request Header Fields Too Large") && f.finding.detail.contains("9,100 bytes (3 cookies"), "{}", f.finding.detail);
    assert_eq!(r.first_drop.as_ref().map(|d| d.kind), Some("too-large"));
    // The replay's own size, without a recorded Cookie header, is the same.
    let r = analyze(&flow(431, None, ""));
    assert_eq!(r.entries[2].request.cookie_bytes, header.len());
    // IIS's page, as HTTP.sys writes it.
    let r = analyze(&flow(400, Some(&header), "<h2>Bad Request - Request Too Long</h2><p>HTTP Error 400. The size of the request headers is too long.</p>"));
    assert_eq!(too_large(&r), [(Some(2), Severity::Error)]);
    // A 400 for another reason is not this.
    let r = analyze(&flow(400, Some(&header), "{\"error\":\"invalid_request\"}"));
    assert_eq!(too_large(&r), [(Some(2), Severity::Warning)], "past the limit, but not refused for it");
    assert_eq!(r.first_drop, None);
    // Answered, and over 8 KB: a warning, with the sizes.
    let r = analyze(&flow(200, Some(&header), ""));
    assert_eq!(too_large(&r), [(Some(2), Severity::Warning)]);
    assert!(r.findings.iter().any(|f| f.finding.title == "The Cookie header is 9,100 bytes: past what many servers accept"), "{:?}", r.findings);
    // A small Cookie header: no warning; refused, the detail says another header is the large one.
    let small = "__Secure-authjs.session-token.0=abc";
    let r = analyze(&flow(200, Some(small), ""));
    assert_eq!(too_large(&r), []);
    let r = analyze(&flow(431, Some(small), ""));
    assert!(r.findings.iter().any(|f| f.finding.detail.contains("so another header is the large one")), "{:?}", r.findings);
}

/// A session cookie whose `Expires` is already past when it arrives is never kept: not a
/// deletion when it has a value and a recent date, but a server clock or a date that is off,
/// told apart by the response's own `Date` header. Deletions stay deletions.
#[test]
fn a_session_that_expires_on_arrival_is_found() {
    use cookie_inspector::finding::Severity;
    // The sign-in at 10:00:00Z by the browser's clock; `date` is the server's Date header.
    let flow = |date: Option<&str>, line: &str, before: Option<&str>| {
        let mut callback = entry(100, "POST", "https://app.test/api/auth/callback/credentials", "document", "same-origin", Some("https://app.test"), None, 302, &[line], "/dashboard");
        if let Some(d) = date {
            callback["response"]["headers"].as_array_mut().unwrap().push(json!({"name": "Date", "value": d}));
        }
        let mut entries = Vec::new();
        if let Some(old) = before {
            entries.push(entry(0, "GET", "https://app.test/", "document", "none", None, None, 200, &[old], ""));
        }
        entries.push(callback);
        entries.push(entry(200, "GET", "https://app.test/dashboard", "document", "same-origin", None, None, 302, &[], "/login"));
        har(entries)
    };
    let expired = |r: &FlowReport| r.findings.iter().filter(|f| f.finding.code.as_str() == "flow.cookie-expired-on-arrival").map(|f| (f.entry, f.finding.severity, f.finding.detail.clone())).collect::<Vec<_>>();

    // The server's clock is 2 hours behind: its Date says 08:00, and its "one hour" is 09:00.
    let r = analyze(&flow(Some("Mon, 23 Nov 2026 08:00:00 GMT"), "session=abc123; Path=/; Expires=Mon, 23 Nov 2026 09:00:00 GMT; Secure; HttpOnly", None));
    let found = expired(&r);
    assert_eq!(found.len(), 1, "{:?}", r.findings);
    assert_eq!((found[0].0, found[0].1), (Some(0), Severity::Error));
    assert!(found[0].2.contains("the server's clock is 2 hours behind the browser's, so an expiry 1 hour after its own time"), "{}", found[0].2);
    let drop = r.first_drop.clone().unwrap();
    assert_eq!((drop.entry, drop.cookie.as_str(), drop.kind), (0, "session", "expired"));
    assert!(drop.fix.unwrap_or_default().starts_with("Send Max-Age"));
    assert_eq!(r.headline, "session expired on arrival at POST /api/auth/callback/credentials: its Expires was already past by the browser's clock, so the browser never kept it.");
    assert!(r.entries[0].response.set_cookies[0].explanation.unwrap_or_default().contains("already past"));
    // The Date header is right, the date built is not: local time written as GMT, 5 hours west.
    let r = analyze(&flow(Some("Mon, 23 Nov 2026 10:00:00 GMT"), "session=abc123; Path=/; Expires=Mon, 23 Nov 2026 06:00:00 GMT", None));
    assert!(expired(&r)[0].2.contains("It is 4 hours before the response's own Date header"), "{:?}", expired(&r));
    // No Date header: both causes named.
    let r = analyze(&flow(None, "session=abc123; Path=/; Expires=Mon, 23 Nov 2026 09:30:00 GMT", None));
    assert!(expired(&r)[0].2.contains("Either the server's clock is behind"), "{:?}", expired(&r));
    // Replacing a valid session: this finding, not a deletion.
    let r = analyze(&flow(Some("Mon, 23 Nov 2026 08:00:00 GMT"), "session=new; Path=/; Expires=Mon, 23 Nov 2026 09:00:00 GMT", Some("session=old; Path=/")));
    assert_eq!(codes(&r), ["flow.cookie-expired-on-arrival"], "{:?}", r.findings);

    // Deletions: PHP's "deleted" value an hour back, a 1970 date, Max-Age=0.
    for (line, code) in [
        ("session=deleted; Path=/; Expires=Mon, 23 Nov 2026 09:00:00 GMT", "flow.cookie-deleted"),
        ("session=abc; Path=/; Expires=Thu, 01 Jan 1970 00:00:00 GMT", "flow.cookie-deleted"),
        ("session=abc; Path=/; Max-Age=0", "flow.cookie-deleted"),
    ] {
        let r = analyze(&flow(Some("Mon, 23 Nov 2026 10:00:00 GMT"), line, Some("session=old; Path=/")));
        assert_eq!(codes(&r), [code], "{line}: {:?}", r.findings);
        let r = analyze(&flow(Some("Mon, 23 Nov 2026 10:00:00 GMT"), line, None));
        assert!(expired(&r).is_empty(), "{line}");
    }
}

/// A redirect chain as long as browsers follow, visiting a page again, is a loop: found once,
/// where the chain reaches the limit. A long chain of distinct pages, or a short loop, is not.
#[test]
fn a_redirect_loop_is_found() {
    let chain = |urls: &[String]| {
        let entries: Vec<Value> = urls
            .iter()
            .enumerate()
            .map(|(k, url)| {
                let next = urls.get(k + 1).cloned().unwrap_or_else(|| "https://app.test/end".to_string());
                entry(k as u64 * 10, "GET", url, "document", if k == 0 { "none" } else { "same-origin" }, None, None, 302, if k == 0 { &["theme=dark; Path=/"][..] } else { &[][..] }, &next)
            })
            .collect();
        analyze(&har(entries))
    };
    let looped = |n: usize| (0..n).map(|k| if k % 2 == 0 { "https://app.test/protected".to_string() } else { "https://app.test/login?next=%2Fprotected".to_string() }).collect::<Vec<_>>();
    let r = chain(&looped(24));
    let found: Vec<_> = r.findings.iter().filter(|f| f.finding.code.as_str() == "flow.redirect-loop").collect();
    assert_eq!(found.len(), 1, "once: {:?}", r.findings);
    assert_eq!(found[0].entry, Some(19), "where the chain reaches 20 requests");
    assert!(found[0].finding.detail.contains("going round GET \"https://app.test/protected\" and GET \"https://app.test/login?next=%2Fprotected\""), "{}", found[0].finding.detail);
    assert!(found[0].finding.detail.contains("No session went along"), "{}", found[0].finding.detail);
    // 19 requests in the chain: browsers still follow it.
    assert!(!codes(&chain(&looped(19))).contains(&"flow.redirect-loop"));
    // 25 distinct pages: long, but no loop.
    let distinct: Vec<String> = (0..25).map(|k| format!("https://app.test/step/{k}")).collect();
    assert!(!codes(&chain(&distinct)).contains(&"flow.redirect-loop"));
}

/// An access token that expires during the flow: once the API answers 401 to it, the app did not
/// renew it. Judged at each request's own time; a 401 to a valid token, or an expired token the
/// API still accepts, is not this.
#[test]
fn an_expired_bearer_token_the_api_refuses_is_found() {
    use base64::Engine;
    let b64 = |v: Value| base64::engine::general_purpose::URL_SAFE_NO_PAD.encode(serde_json::to_vec(&v).unwrap());
    // The entries start at 2026-11-23T10:00:00Z (1_795_428_000); the token expires at 10:00:30.
    let token = format!("{}.{}.c2ln", b64(json!({"alg": "HS256", "typ": "JWT"})), b64(json!({"sub": "1", "iat": 1_795_427_000, "exp": 1_795_428_030})));
    let call = |ms: u64, status: i64| {
        let mut e = entry(ms, "GET", "https://app.test/api/items", "fetch", "same-origin", Some("https://app.test"), None, status, &[], "");
        e["request"]["headers"].as_array_mut().unwrap().push(json!({"name": "Authorization", "value": format!("Bearer {token}")}));
        e
    };
    let expired = |r: &FlowReport| r.findings.iter().filter(|f| f.finding.code.as_str() == "flow.bearer-expired").map(|f| (f.entry, f.finding.detail.clone())).collect::<Vec<_>>();
    let r = analyze(&har(vec![call(0, 200), call(10_000, 200), call(40_000, 401), call(50_000, 401)]));
    let found = expired(&r);
    assert_eq!(found.len(), 1, "once per token: {:?}", r.findings);
    assert_eq!(found[0].0, Some(2));
    assert!(found[0].1.contains("expired 10 seconds before") && found[0].1.contains("The same token went out on 2 earlier request(s)"), "{}", found[0].1);
    // Before it expired, a 401 is something else; after, an API that still accepts it says nothing.
    assert!(expired(&analyze(&har(vec![call(0, 401)]))).is_empty());
    assert!(expired(&analyze(&har(vec![call(40_000, 200)]))).is_empty());
}

/// A redirect to sign-in from a cache after the sign-in: the browser's (a 301 it kept from a
/// signed-out visit) or a CDN's (its hit header). The server never saw the session, so this is
/// not `flow.session-refused`. A redirect to sign-in that browsers keep is a warning on its own,
/// and nothing when its headers forbid keeping it.
#[test]
fn a_redirect_to_sign_in_from_a_cache_is_found() {
    let with_headers = |mut e: Value, headers: &[(&str, &str)]| {
        for (name, value) in headers {
            e["response"]["headers"].as_array_mut().unwrap().push(json!({"name": name, "value": value}));
        }
        e
    };
    let signed_out = |status: i64, headers: &[(&str, &str)]| with_headers(entry(0, "GET", "https://app.test/dashboard", "document", "none", None, None, status, &[], "/login"), headers);
    let sign_in = || {
        vec![
            entry(100, "GET", "https://app.test/login", "document", "same-origin", None, None, 200, &[], ""),
            entry(200, "POST", "https://app.test/api/auth/callback/credentials", "document", "same-origin", Some("https://app.test"), None, 302, &["session=abc; Path=/; Secure; HttpOnly; SameSite=Lax"], "/dashboard"),
        ]
    };
    let cached = |what: &str| {
        let mut e = entry(300, "GET", "https://app.test/dashboard", "document", "same-origin", None, None, 301, &[], "/login");
        e["_fromCache"] = json!(what);
        e
    };
    let only = |r: &FlowReport| r.findings.iter().filter(|f| f.finding.code.as_str() == "flow.cached-sign-in-redirect").map(|f| (f.entry, f.finding.severity)).collect::<Vec<_>>();
    use cookie_inspector::finding::Severity::{Error, Warning};

    // The browser's memory cache: the drop, naming the visit it was kept from.
    let mut flow = vec![signed_out(301, &[])];
    flow.extend(sign_in());
    flow.push(cached("memory"));
    flow.push(entry(400, "GET", "https://app.test/login", "document", "same-origin", None, Some("session=abc"), 200, &[], ""));
    let r = analyze(&har(flow));
    assert_eq!(only(&r), [(Some(3), Error)], "the error only, not the warning as well: {:?}", codes(&r));
    assert!(!codes(&r).contains(&"flow.session-refused"));
    assert!(r.findings[0].finding.detail.contains("from the browser's memory cache with a 301 to the sign-in page \"https://app.test/login\", kept from GET \"https://app.test/dashboard\" (entry 0)"), "{}", r.findings[0].finding.detail);
    assert_eq!(r.first_drop.as_ref().map(|d| (d.entry, d.kind, d.set_by)), Some((3, "cached", Some(2))));
    assert!(r.first_drop.as_ref().and_then(|d| d.fix).is_some_and(|f| f.contains("Cache-Control: no-store")));

    // A CDN's stored answer: the session went along, the app never saw it. A 302 and a 401 alike.
    for (status, hit) in [(302, ("Age", "73")), (302, ("X-Vercel-Cache", "HIT")), (401, ("CF-Cache-Status", "HIT"))] {
        let mut flow = sign_in();
        let location = if status == 401 { "" } else { "/login?next=%2Fdashboard" };
        flow.push(with_headers(entry(300, "GET", "https://app.test/dashboard", "document", "same-origin", None, Some("session=abc"), status, &[], location), &[hit]));
        let r = analyze(&har(flow));
        assert_eq!(only(&r), [(Some(2), Error)], "{status} {hit:?}: {:?}", codes(&r));
        assert!(!codes(&r).contains(&"flow.session-refused"), "{status} {hit:?}");
        let f = &r.findings[0].finding;
        assert_eq!(f.title, "Sent back to sign-in by a CDN's stored answer");
        assert!(f.detail.contains(&format!("from a shared cache (\"{}: {}\")", hit.0, hit.1)) && f.detail.contains("which carried \"session\""), "{}", f.detail);
        assert!(r.headline.contains("a CDN's cache"), "{}", r.headline);
        // The same answer from the server itself is the server refusing the session.
        let mut flow = sign_in();
        flow.push(entry(300, "GET", "https://app.test/dashboard", "document", "same-origin", None, Some("session=abc"), status, &[], location));
        assert_eq!(codes(&analyze(&har(flow))), ["flow.session-refused"], "{status}");
    }

    // Signed out only: the kept redirect is a warning (once), whatever else follows.
    let kept = |status: i64, headers: &[(&str, &str)]| {
        let mut flow = vec![signed_out(status, headers)];
        flow.push(with_headers(entry(50, "GET", "https://app.test/settings", "document", "none", None, None, status, &[], "/login"), headers));
        flow.extend(sign_in());
        flow.push(entry(300, "GET", "https://app.test/dashboard", "document", "same-origin", None, Some("session=abc"), 200, &[], ""));
        analyze(&har(flow))
    };
    let r = kept(308, &[]);
    assert_eq!(only(&r), [(Some(0), Warning)]);
    assert!(r.findings[0].finding.detail.contains("with a 308 with no Cache-Control or Expires: browsers store it"), "{}", r.findings[0].finding.detail);
    assert_eq!(r.first_drop, None);
    assert_eq!(only(&kept(302, &[("Cache-Control", "max-age=3600")])), [(Some(0), Warning)]);
    // Headers that keep browsers asking the server: nothing to say.
    for headers in [&[("Cache-Control", "no-store")][..], &[("Cache-Control", "no-cache")], &[("Vary", "Cookie")], &[("Cache-Control", "max-age=0")]] {
        assert!(only(&kept(301, headers)).is_empty(), "{headers:?}");
    }
    assert!(only(&kept(302, &[])).is_empty(), "a 302 is not kept without an expiry");

    // A cached redirect to sign-in before anyone signed in is what a signed-out visit gets.
    let r = analyze(&har(vec![signed_out(301, &[]), cached("disk")]));
    assert_eq!(only(&r), [(Some(0), Warning)]);
}

/// A sign-out set off by a prefetch: by any of the headers that mark one, its deletion of the
/// session is `flow.prefetch-signed-out` (the drop); a prefetch of the sign-out address that
/// deletes nothing is a warning; the same deletion on a visit stays `flow.cookie-deleted`.
#[test]
fn a_prefetch_that_signs_out_is_found() {
    let flow = |header: Option<(&str, &str)>, set: &[&str]| {
        let mut out = entry(300, "GET", "https://app.test/logout", "other", "same-origin", None, Some("session=abc"), 200, set, "");
        if let Some((name, value)) = header {
            out["request"]["headers"].as_array_mut().unwrap().push(json!({"name": name, "value": value}));
        }
        analyze(&har(vec![
            entry(0, "POST", "https://app.test/api/login", "document", "same-origin", Some("https://app.test"), None, 302, &["session=abc; Path=/; Secure; HttpOnly"], "/dashboard"),
            entry(100, "GET", "https://app.test/dashboard", "document", "same-origin", None, Some("session=abc"), 200, &[], ""),
            out,
            entry(400, "GET", "https://app.test/account", "document", "same-origin", None, None, 302, &[], "/login"),
        ]))
    };
    let deletion = ["session=; Path=/; Max-Age=0"];
    for header in [("Sec-Purpose", "prefetch"), ("sec-purpose", "prefetch;prerender"), ("Purpose", "prefetch"), ("X-Moz", "prefetch"), ("Next-Router-Prefetch", "1"), ("x-middleware-prefetch", "1")] {
        let r = flow(Some(header), &deletion);
        assert!(r.entries[2].prefetch, "{header:?}");
        assert_eq!(codes(&r), ["flow.prefetch-signed-out"], "{header:?}");
        assert_eq!(r.findings[0].finding.severity, cookie_inspector::finding::Severity::Error);
        assert_eq!(r.first_drop.as_ref().map(|d| (d.entry, d.kind)), Some((2, "deleted")));
        let json = serde_json::to_value(&r).unwrap();
        assert_eq!(json["entries"][2]["prefetch"], json!(true), "in the report");
        assert!(json["entries"][1].get("prefetch").is_none(), "left out when false");
    }
    // Not prefetches: a visit, and headers that only look alike.
    for header in [None, Some(("Next-Router-Prefetch", "0")), Some(("Sec-Purpose", "prerender")), Some(("X-Purpose", "none"))] {
        let r = flow(header, &deletion);
        assert!(!r.entries[2].prefetch, "{header:?}");
        assert_eq!(codes(&r), ["flow.cookie-deleted"], "{header:?}");
    }
    // A prefetch of the sign-out address that deletes nothing: the server may still end the
    // session there. A warning, no drop of its own; when the server then refuses the session,
    // the refusal names the prefetch.
    let r = flow(Some(("Sec-Purpose", "prefetch")), &[]);
    assert_eq!(codes(&r), ["flow.session-refused", "flow.prefetch-signed-out"]);
    let warning = &r.findings[1].finding;
    assert_eq!(warning.severity, cookie_inspector::finding::Severity::Warning);
    assert_eq!(warning.title, "A prefetch went to the sign-out address with the session");
    assert!(r.findings[0].finding.detail.contains("Before it, GET \"https://app.test/logout\" (entry 2) was a prefetch of the sign-out address"), "{}", r.findings[0].finding.detail);
}

/// `Clear-Site-Data` with "cookies" (or "*") deletes every cookie of the response's site: the
/// session's loss is the drop, except on the sign-out (unless a prefetch went there). Not over
/// plain http, not unquoted, not for "cache" alone.
#[test]
fn clear_site_data_that_deletes_the_session_is_found() {
    let flow = |url: &str, value: &str, prefetch: bool| {
        let mut clearing = entry(300, "GET", url, "document", "same-origin", None, Some("session=abc; theme=dark"), 200, &[], "");
        clearing["response"]["headers"].as_array_mut().unwrap().push(json!({"name": "Clear-Site-Data", "value": value}));
        if prefetch {
            clearing["request"]["headers"].as_array_mut().unwrap().push(json!({"name": "Sec-Purpose", "value": "prefetch"}));
        }
        let scheme = url.split(':').next().unwrap();
        analyze(&har(vec![
            entry(0, "GET", &format!("{scheme}://www.app.test/"), "document", "none", None, None, 200, &["theme=dark; Domain=app.test; Path=/"], ""),
            entry(100, "POST", &format!("{scheme}://app.test/api/login"), "document", "same-origin", Some(&format!("{scheme}://app.test")), None, 302, &["session=abc; Path=/; HttpOnly"], "/dashboard"),
            clearing,
            entry(400, "GET", &format!("{scheme}://app.test/account"), "document", "same-origin", None, None, 200, &[], ""),
        ]))
    };
    let r = flow("https://app.test/dashboard", "\"storage\", \"cookies\"", false);
    assert_eq!(r.entries[2].response.cleared_cookies, ["theme", "session"]);
    assert!(r.entries[3].request.cookies_sent.is_empty(), "the next request goes without them");
    assert_eq!(codes(&r), ["flow.site-data-cleared"]);
    assert!(r.findings[0].finding.detail.contains("(\"theme\", \"session\"), the session among them"), "{}", r.findings[0].finding.detail);
    assert_eq!(r.first_drop.as_ref().map(|d| (d.entry, d.kind, d.set_by)), Some((2, "cleared", Some(1))));
    let json = serde_json::to_value(&r).unwrap();
    assert_eq!(json["entries"][2]["response"]["clearedCookies"], json!(["theme", "session"]));
    assert!(json["entries"][1]["response"].get("clearedCookies").is_none(), "left out when empty");
    assert_eq!(codes(&flow("https://app.test/dashboard", "\"*\"", false)), ["flow.site-data-cleared"]);
    // The sign-out clears on purpose; a prefetch of it does not.
    let r = flow("https://app.test/logout", "\"cookies\"", false);
    assert_eq!(r.entries[2].response.cleared_cookies, ["theme", "session"]);
    assert_eq!(codes(&r), Vec::<&str>::new());
    assert_eq!(r.first_drop, None);
    let r = flow("https://app.test/logout", "\"cookies\"", true);
    assert_eq!(codes(&r), ["flow.site-data-cleared"]);
    assert!(r.findings[0].finding.detail.contains("This request was a prefetch of the sign-out address"), "{}", r.findings[0].finding.detail);
    assert!(r.findings[0].finding.fix.contains("prefetch={false}"), "the prefetch's fix: {}", r.findings[0].finding.fix);
    // With the session in the same response: Chromium stores none of its lines (a rule of its
    // own, over http too); Firefox stores it and clears it with the rest, over https only.
    let same_response = |scheme: &str, browser: cookie_inspector::cookie::site::Browser| {
        let mut sign_in = entry(100, "POST", &format!("{scheme}://app.test/api/login"), "document", "same-origin", Some(&format!("{scheme}://app.test")), None, 302, &["session=abc; Path=/; HttpOnly"], "/dashboard");
        sign_in["response"]["headers"].as_array_mut().unwrap().push(json!({"name": "Clear-Site-Data", "value": "\"cookies\""}));
        let next = entry(200, "GET", &format!("{scheme}://app.test/dashboard"), "document", "same-origin", None, None, 200, &[], "");
        let options = HarOptions { now: NOW, replay: cookie_inspector::flow::replay::ReplayOptions { browser: Some(browser), ..Default::default() }, ..HarOptions::default() };
        analyze_har(&har(vec![sign_in, next]), &options)
    };
    use cookie_inspector::cookie::site::Browser::{Chromium, Firefox};
    for scheme in ["https", "http"] {
        let r = same_response(scheme, Chromium);
        let line = &r.entries[0].response.set_cookies[0];
        assert_eq!((line.stored, line.reasons.as_slice()), (false, &["SyntaxError"][..]), "{scheme}");
        assert!(line.explanation.unwrap().contains("Chromium stores none of the Set-Cookie lines"), "{scheme}");
        assert_eq!(codes(&r), ["flow.site-data-cleared"], "{scheme}");
        assert!(r.entries[1].request.cookies_sent.is_empty(), "{scheme}");
    }
    let r = same_response("https", Firefox);
    assert!(r.entries[0].response.set_cookies[0].stored);
    assert_eq!(r.entries[0].response.cleared_cookies, ["session"]);
    assert_eq!(codes(&r), ["flow.site-data-cleared"]);
    assert!(r.findings[0].finding.detail.contains("the clearing takes the new session too"), "{}", r.findings[0].finding.detail);
    let r = same_response("http", Firefox);
    assert_eq!(r.entries[1].request.cookies_sent, ["session"], "Firefox keeps it over http");
    assert!(codes(&r).is_empty(), "{:?}", codes(&r));
    // Not obeyed, or not about cookies.
    for (url, value) in [("http://app.test/dashboard", "\"cookies\""), ("https://app.test/dashboard", "cookies"), ("https://app.test/dashboard", "\"cache\"")] {
        let r = flow(url, value, false);
        assert!(r.entries[2].response.cleared_cookies.is_empty(), "{url} {value}");
        assert_eq!(r.entries[3].request.cookies_sent.len(), 2, "{url} {value}");
    }
}

/// The browser sent to the app's error page, its sign-in page or its callback with a sign-in
/// error code: what the code means; for a code about the round-trip cookies, the one the flow
/// shows not coming back. Once per flow; not for a page guard's SessionRequired, a sign-out, or
/// an `error` parameter elsewhere.
#[test]
fn a_sign_in_that_ends_on_an_error_page_is_explained() {
    let flow = |state: Option<&str>, last: &str| {
        analyze(&har(vec![
            entry(0, "GET", "https://app.test/login", "document", "none", None, None, 200, &["authjs.state=s1; Path=/; Secure; HttpOnly; SameSite=Strict"], ""),
            entry(100, "GET", "https://idp.test/authorize", "document", "cross-site", None, None, 302, &[], "https://app.test/api/auth/callback/idp?code=c&state=s1"),
            entry(200, "GET", "https://app.test/api/auth/callback/idp?code=c&state=s1", "document", "cross-site", None, state, 302, &[], last),
            entry(300, "GET", &format!("https://app.test{last}"), "document", "same-origin", None, state, 200, &[], ""),
        ]))
    };
    let errors = |r: &FlowReport| r.findings.iter().filter(|f| f.finding.code.as_str() == "flow.sign-in-error").map(|f| (f.entry, f.finding.detail.clone())).collect::<Vec<_>>();
    // Auth.js v5's error page: Configuration, with the Strict state cookie withheld on the callback.
    let found = errors(&flow(None, "/api/auth/error?error=Configuration"));
    assert_eq!(found.len(), 1);
    assert_eq!(found[0].0, Some(3));
    assert!(found[0].1.contains("is the app's error page with error=\"Configuration\"") && found[0].1.contains("went without \"authjs.state\" (SchemefulSameSiteStrict)"), "{}", found[0].1);
    // The provider's own answer to the callback (RFC 6749 §4.1.2.1), and an unknown code.
    let found = errors(&flow(None, "/login?error=access_denied"));
    assert!(found[0].1.contains("the user or the provider refused the authorization") && !found[0].1.contains("went without"), "not about cookies: {}", found[0].1);
    assert!(errors(&flow(None, "/login?error=E_CUSTOM_42"))[0].1.contains("an error code of the app or its identity provider"));
    // Configuration with every cookie back: the configuration reading only, and its fix.
    let r = flow(Some("authjs.state=s1"), "/api/auth/error?error=Configuration");
    let f = r.findings.iter().find(|f| f.finding.code.as_str() == "flow.sign-in-error").unwrap();
    assert!(!f.finding.detail.contains("went without") && f.finding.fix.contains("server's log"), "{:?}", f.finding);
    // Not sign-in errors.
    for last in ["/api/auth/signin?error=SessionRequired", "/logout?error=x", "/search?error=none", "/login?error="] {
        assert!(errors(&flow(None, last)).is_empty(), "{last}");
    }
}

/// The site's limit of cookies: a page whose answer sets 180 cookies after the sign-in takes
/// the site past it, and the browser evicts the least recently used, the session among them
/// (unless the rules spare it: Secure before non-Secure, and Chromium's Priority=High). Under
/// Firefox's rules, a non-Secure session is not kept when the site's 180 are all Secure.
#[test]
fn a_session_evicted_by_the_sites_cookie_limit_is_found() {
    use cookie_inspector::cookie::site::Browser::{self, Chromium, Firefox};
    let flow = |session: &str, filler: &str, count: usize, browser: Browser| {
        let lines: Vec<String> = (0..count).map(|i| format!("exp_{i}=1; Path=/{filler}")).collect();
        let lines: Vec<&str> = lines.iter().map(String::as_str).collect();
        let options = HarOptions { now: NOW, replay: cookie_inspector::flow::replay::ReplayOptions { browser: Some(browser), ..Default::default() }, ..HarOptions::default() };
        analyze_har(
            &har(vec![
                entry(0, "POST", "https://app.test/api/login", "document", "same-origin", Some("https://app.test"), None, 302, &[session], "/dashboard"),
                entry(100, "GET", "https://app.test/dashboard", "document", "same-origin", None, None, 200, &lines, ""),
                entry(5_000, "GET", "https://www.app.test/account", "document", "same-origin", None, None, 200, &[], ""),
            ]),
            &options,
        )
    };
    let secure = "session=abc; Domain=app.test; Path=/; Secure; HttpOnly";
    for browser in [Chromium, Firefox] {
        let r = flow(secure, "; Secure", 180, browser);
        assert!(r.entries[2].request.cookies_sent.iter().all(|n| n != "session"), "{browser:?}");
        assert_eq!(r.entries[1].response.evicted_cookies.len(), 31, "{browser:?}");
        assert_eq!(r.entries[1].response.evicted_cookies[0], "session", "the oldest goes first ({browser:?})");
        assert_eq!(codes(&r), ["flow.cookie-evicted"], "{browser:?}");
        let f = &r.findings[0].finding;
        assert_eq!(f.title, "\"session\" is evicted: the site passed its limit of cookies");
        assert!(f.detail.contains("Storing the 180 cookies the response to GET \"https://app.test/dashboard\""), "{}", f.detail);
        assert!(f.detail.contains("took \"app.test\" past the browser's limit of 180 cookies per site, and the browser evicted 31 to make room"), "{}", f.detail);
        assert!(f.detail.contains("\"session\", \"exp_0\", \"exp_1\", \"exp_2\", \"exp_3\", \"exp_4\" and 25 more"), "{}", f.detail);
        assert!(f.fix.contains("Priority=High"));
        assert_eq!(r.first_drop.as_ref().map(|d| (d.entry, d.cookie.as_str(), d.kind, d.set_by)), Some((1, "session", "evicted", Some(0))), "{browser:?}");
        assert!(r.headline.contains("is evicted by the browser at"), "{}", r.headline);
        let json = serde_json::to_value(&r).unwrap();
        assert_eq!(json["entries"][1]["response"]["evictedCookies"][0], "session");
        assert!(json["entries"][0]["response"].get("evictedCookies").is_none(), "left out when empty");
    }
    // 179 more cookies: the site stays within its limit.
    assert!(codes(&flow(secure, "; Secure", 179, Chromium)).is_empty());
    // Non-Secure cookies go before a Secure session, in both browsers.
    for browser in [Chromium, Firefox] {
        let r = flow(secure, "", 180, browser);
        assert!(codes(&r).is_empty(), "{browser:?}: {:?}", codes(&r));
        assert!(r.entries[2].request.cookies_sent.iter().any(|n| n == "session"), "{browser:?}");
    }
    // Priority=High spares it in Chromium, not in Firefox (which says so when compared).
    let high = "session=abc; Domain=app.test; Path=/; Secure; HttpOnly; Priority=High";
    assert!(codes(&flow(high, "; Secure", 180, Chromium)).is_empty());
    assert_eq!(codes(&flow(high, "; Secure", 180, Firefox)), ["flow.cookie-evicted"]);
    // A non-Secure session after 180 Secure cookies: Firefox does not keep it at all; Chromium
    // stores it and evicts it at once (non-Secure cookies go first).
    let plain = |browser: Browser| {
        let options = HarOptions { now: NOW, replay: cookie_inspector::flow::replay::ReplayOptions { browser: Some(browser), ..Default::default() }, ..HarOptions::default() };
        let lines: Vec<String> = (0..180).map(|i| format!("exp_{i}=1; Path=/; Secure")).collect();
        let lines: Vec<&str> = lines.iter().map(String::as_str).collect();
        analyze_har(
            &har(vec![
                entry(0, "GET", "https://app.test/", "document", "none", None, None, 200, &lines, ""),
                entry(100, "POST", "https://app.test/api/login", "document", "same-origin", Some("https://app.test"), None, 302, &["session=abc; Path=/; HttpOnly"], "/dashboard"),
                entry(200, "GET", "https://app.test/dashboard", "document", "same-origin", None, None, 200, &[], ""),
            ]),
            &options,
        )
    };
    let r = plain(Chromium);
    assert!(r.entries[1].response.set_cookies[0].stored);
    assert_eq!(r.entries[1].response.evicted_cookies[..2], ["session", "exp_0"]);
    assert_eq!(codes(&r), ["flow.cookie-evicted"]);
    assert_eq!(r.findings[0].finding.title, "\"session\" is evicted: the site passed its limit of cookies");
    let r = plain(Firefox);
    let line = &r.entries[1].response.set_cookies[0];
    assert!(!line.stored && line.unkept == Some(cookie_inspector::flow::replay::Unkept::SiteLimit), "{line:?}");
    assert_eq!(codes(&r), ["flow.cookie-evicted"]);
    assert_eq!(r.findings[0].finding.title, "\"session\" is not kept: the site is at its limit of cookies");
    assert!(r.findings[0].finding.detail.contains("all of them Secure, and Firefox does not evict a Secure cookie"), "{}", r.findings[0].finding.detail);
    assert!(r.headline.contains("is not kept: the site already has 180 cookies, all Secure"), "{}", r.headline);
}

/// A session whose own lifetime runs out during the flow: Express's maxAge: 86400 (a day, meant
/// in seconds) is 86.4 s, sent as Max-Age=86; the request 100 s later goes without it. An error
/// with the unit mix-up; a long lifetime that ran out is a warning; nothing while it lives, on
/// another host, or when the recorded Cookie header still carried it.
#[test]
fn a_session_that_expires_during_the_flow_is_found() {
    let at = |mut e: Value, time: &str| {
        e["startedDateTime"] = json!(format!("2026-11-23T{time}.000Z"));
        e
    };
    let flow = |line: &str, later: &str, host: &str, cookie: Option<&str>| {
        analyze(&har(vec![
            at(entry(0, "POST", "https://app.test/login", "document", "same-origin", Some("https://app.test"), None, 302, &[line], "/dashboard"), "10:00:00"),
            at(entry(0, "GET", "https://app.test/dashboard", "document", "same-origin", None, None, 200, &[], ""), "10:00:01"),
            at(entry(0, "GET", &format!("https://{host}/account"), "document", "same-origin", None, cookie, 302, &[], "/login"), later),
        ]))
    };
    let express = "connect.sid=s%3Aabc; Path=/; Expires=Mon, 23 Nov 2026 10:01:26 GMT; Max-Age=86; HttpOnly";
    let r = flow(express, "10:01:40", "app.test", None);
    assert_eq!(r.entries[1].request.cookies_sent, ["connect.sid"]);
    assert!(r.entries[2].request.cookies_sent.is_empty());
    assert_eq!(codes(&r), ["flow.session-expired"]);
    let f = &r.findings[0].finding;
    assert_eq!((r.findings[0].entry, f.severity), (Some(2), cookie_inspector::finding::Severity::Error));
    assert_eq!(f.title, "\"connect.sid\" expired 1 minute 26 seconds after it was set");
    assert!(f.detail.contains("it expired 14 seconds before GET \"https://app.test/account\" (entry 2), 1 minute 40 seconds after it was set"), "{}", f.detail);
    assert!(f.detail.contains("Max-Age=86 is exactly what maxAge: 86400 (a day, written in seconds) becomes as milliseconds"), "{}", f.detail);
    assert!(f.fix.contains("60 * 60 * 1000"));
    assert_eq!(r.first_drop.as_ref().map(|d| (d.entry, d.cookie.as_str(), d.kind, d.set_by)), Some((2, "connect.sid", "lapsed", Some(0))));
    assert_eq!(r.headline, "connect.sid set by POST /login had expired by GET /account: its own lifetime ran out, so the browser no longer sent it.");
    // Still alive, another site, or recorded as sent: nothing.
    // (Alive, the session went along and the server sent the browser to sign in: a refusal.)
    assert_eq!(codes(&flow(express, "10:01:20", "app.test", None)), ["flow.session-refused"]);
    assert!(codes(&flow(express, "10:01:40", "other.test", None)).is_empty());
    // A path the request is not under: the cookie would not have gone anyway (§5.1.4).
    for path in ["Path=/api", "Path=/acc"] {
        let line = express.replace("Path=/", path);
        assert!(!codes(&flow(&line, "10:01:40", "app.test", None)).contains(&"flow.session-expired"), "{path}");
    }
    // Without Path, the default path of POST /login is "/", which /account is under.
    assert_eq!(codes(&flow(&express.replace("Path=/; ", ""), "10:01:40", "app.test", None)), ["flow.session-expired"]);
    assert!(!codes(&flow(express, "10:01:40", "app.test", Some("connect.sid=s%3Aabc"))).contains(&"flow.session-expired"));
    // An hour, run out two hours later: a warning, with the fix for renewing it.
    let r = flow("session=abc; Path=/; Max-Age=3600; HttpOnly", "12:00:00", "app.test", None);
    assert_eq!(codes(&r), ["flow.session-expired"]);
    assert_eq!(r.findings[0].finding.severity, cookie_inspector::finding::Severity::Warning);
    assert!(r.findings[0].finding.fix.contains("rolling: true"));
    assert!(!r.findings[0].finding.detail.contains("milliseconds"));
    // Renewed before it ran out: nothing.
    let r = analyze(&har(vec![
        at(entry(0, "POST", "https://app.test/login", "document", "same-origin", Some("https://app.test"), None, 302, &["session=abc; Path=/; Max-Age=60"], "/dashboard"), "10:00:00"),
        at(entry(0, "GET", "https://app.test/dashboard", "document", "same-origin", None, None, 200, &["session=abc; Path=/; Max-Age=60"], ""), "10:00:50"),
        at(entry(0, "GET", "https://app.test/account", "document", "same-origin", None, None, 200, &[], ""), "10:01:30"),
    ]));
    assert_eq!(r.entries[2].request.cookies_sent, ["session"]);
    assert!(codes(&r).is_empty(), "{:?}", codes(&r));
}

/// `entry` with the initiator Chromium records for a navigation the page's script started
/// (`location.assign`).
fn by_script(mut e: Value) -> Value {
    e["_initiator"] = json!({"type": "script"});
    e
}

/// `entry` answered with this JSON body.
fn answering(mut e: Value, body: &str) -> Value {
    e["response"]["content"] = json!({"mimeType": "application/json; charset=utf-8", "text": body});
    e
}

/// A sign-in that stores `set`, the dashboard, the page's fetch of `api` (answered `body`), then
/// the page's own navigation to `/login`.
fn sent_back(set: &str, api: &str, body: &str) -> Vec<u8> {
    har(vec![
        entry(0, "POST", "https://app.test/api/auth/callback/credentials", "document", "same-origin", Some("https://app.test"), None, 302, &[set], "/dashboard"),
        entry(100, "GET", "https://app.test/dashboard", "document", "same-origin", None, Some("session=abc"), 200, &[], ""),
        answering(entry(200, "GET", api, "fetch", "same-origin", None, Some("session=abc"), 200, &[], ""), body),
        by_script(entry(300, "GET", "https://app.test/login?next=%2Fdashboard", "document", "same-origin", None, Some("session=abc"), 200, &[], "")),
    ])
}

/// After the sign-in, the page itself goes to the sign-in page while the session was kept,
/// sent and accepted: the check that failed runs in the page. An HttpOnly session is named as
/// invisible to `document.cookie`.
#[test]
fn the_page_sending_the_user_back_to_sign_in_is_found() {
    let r = analyze(&sent_back("session=abc; Path=/; Secure; HttpOnly; SameSite=Lax", "https://app.test/api/me", r#"{"name":"Ada"}"#));
    assert_eq!(codes(&r), ["flow.signed-out-by-page"]);
    let f = &r.findings[0];
    assert_eq!((f.entry, f.finding.severity), (Some(3), cookie_inspector::finding::Severity::Error));
    assert_eq!(r.headline, "Sent back to sign in by the page, with the session alive (at GET /login?next=%2Fdashboard).");
    let d = &f.finding.detail;
    assert!(d.contains("the page's script sends the browser to the sign-in page: GET \"https://app.test/login?next=%2Fdashboard\" (entry 3) from GET \"https://app.test/dashboard\" (entry 1)"), "{d}");
    assert!(d.contains("\"session\" went along on GET \"https://app.test/login?next=%2Fdashboard\" (entry 3)"), "{d}");
    assert!(d.contains("the page's requests: GET \"https://app.test/api/me\" answered 200"), "{d}");
    assert!(d.contains("\"session\" is HttpOnly: the page's script cannot see it in document.cookie"), "{d}");
    assert!(!d.contains("goes round") && !d.contains("belong to one origin"), "{d}");
    assert!(f.finding.fix.contains("ask the server"), "{}", f.finding.fix);
    assert!(r.first_drop.is_none());
    // No cookie was lost: the headline states this finding, and the text marks its hop.
    assert_eq!(r.headline_finding, Some(0));
    let text = cookie_inspector::flow::text::plain_text(&r);
    assert!(text.contains("\n→   3 GET    200 https://app.test/login?next=%2Fdashboard  ✓session\n"), "{text}");

    // Not HttpOnly: no such sentence. Without the initiator (Firefox's HAR, a link): said so.
    let mut flow: Value = serde_json::from_slice(&sent_back("session=abc; Path=/; Secure; SameSite=Lax", "https://app.test/api/me", "[]")).unwrap();
    flow["log"]["entries"][3].as_object_mut().unwrap().remove("_initiator");
    let r = analyze(&serde_json::to_vec(&flow).unwrap());
    assert_eq!(codes(&r), ["flow.signed-out-by-page"]);
    assert!(!r.findings[0].finding.detail.contains("HttpOnly:"), "{}", r.findings[0].finding.detail);
    assert!(r.findings[0].finding.detail.contains("a navigation of the page's own (a link, a form or its script; no server redirect) goes to"));

    // Signed in on one origin, sent back from a page on another, twice round.
    let r = analyze(&har(vec![
        entry(0, "GET", "https://app.test/callback?code=c1&state=s1", "document", "cross-site", None, None, 302, &["session=abc; Domain=app.test; Path=/; Secure; SameSite=Lax"], "https://www.app.test/"),
        entry(100, "GET", "https://www.app.test/", "document", "cross-site", None, Some("session=abc"), 200, &[], ""),
        by_script(entry(200, "GET", "https://www.app.test/login", "document", "same-origin", None, Some("session=abc"), 302, &[], "https://idp.test/authorize?client_id=app&response_type=code")),
        entry(300, "GET", "https://idp.test/authorize?client_id=app&response_type=code", "document", "same-site", None, None, 302, &[], "https://app.test/callback?code=c2&state=s2"),
        entry(400, "GET", "https://app.test/callback?code=c2&state=s2", "document", "cross-site", None, Some("session=abc"), 302, &["session=def; Domain=app.test; Path=/; Secure; SameSite=Lax"], "https://www.app.test/"),
        entry(500, "GET", "https://www.app.test/", "document", "cross-site", None, Some("session=def"), 200, &[], ""),
    ]));
    assert_eq!(codes(&r), ["flow.signed-out-by-page"]);
    let d = &r.findings[0].finding.detail;
    assert!(d.contains("The sign-in finished on \"https://app.test\" and this page is on \"https://www.app.test\""), "{d}");
    assert!(d.contains("The sign-in finished 2 times in this recording: the user goes round."), "{d}");
    assert!(d.contains("The recording shows no request of the page's before it"), "{d}");

    // Not when: the user signed out; the server refused the session (its finding says it); the
    // session was deleted; the sign-in page sends the browser on into the app; a redirect (the
    // server's) led there; no sign-in came before.
    let not = |entries: Vec<Value>, case: &str| {
        let r = analyze(&har(entries));
        assert!(!codes(&r).contains(&"flow.signed-out-by-page"), "{case}: {:?}", codes(&r));
        r
    };
    let sign_in = || entry(0, "POST", "https://app.test/api/auth/callback/credentials", "document", "same-origin", Some("https://app.test"), None, 302, &["session=abc; Path=/; Secure; HttpOnly"], "/dashboard");
    let dashboard = || entry(100, "GET", "https://app.test/dashboard", "document", "same-origin", None, Some("session=abc"), 200, &[], "");
    let login = |status: i64, to: &str| by_script(entry(300, "GET", "https://app.test/login", "document", "same-origin", None, Some("session=abc"), status, &[], to));
    not(vec![sign_in(), dashboard(), entry(200, "POST", "https://app.test/api/auth/signout", "fetch", "same-origin", Some("https://app.test"), Some("session=abc"), 200, &[], ""), login(200, "")], "signed out");
    let r = not(vec![sign_in(), dashboard(), entry(200, "GET", "https://app.test/api/me", "fetch", "same-origin", None, Some("session=abc"), 401, &[], ""), login(200, "")], "refused");
    assert_eq!(codes(&r), ["flow.session-refused"]);
    let r = not(vec![sign_in(), dashboard(), entry(200, "GET", "https://app.test/api/me", "fetch", "same-origin", None, Some("session=abc"), 200, &["session=; Path=/; Max-Age=0"], ""), login(200, "")], "deleted");
    assert_eq!(codes(&r), ["flow.cookie-deleted"]);
    not(vec![sign_in(), dashboard(), login(302, "https://app.test/dashboard")], "the sign-in page sends on");
    not(vec![sign_in(), entry(100, "GET", "https://app.test/dashboard", "document", "same-origin", None, Some("session=abc"), 302, &[], "/login"), login(200, "")], "a redirect");
    not(vec![entry(0, "GET", "https://app.test/dashboard", "document", "none", None, Some("session=abc"), 200, &[], ""), login(200, "")], "no sign-in");
    // Asking the provider for consent to more scopes, signed in, on purpose.
    for consent in ["prompt=consent", "include_granted_scopes=true"] {
        let more = by_script(entry(300, "GET", &format!("https://idp.test/authorize?client_id=app&response_type=code&scope=calendar&{consent}"), "document", "cross-site", None, None, 200, &[], ""));
        not(vec![sign_in(), dashboard(), more], consent);
    }
    // A step of the sign-in itself: its second factor's page leads on to another sign-in page.
    let mfa = entry(100, "GET", "https://app.test/login/mfa", "document", "same-origin", None, Some("session=abc"), 200, &[], "");
    not(vec![sign_in(), mfa, by_script(entry(300, "GET", "https://app.test/login/verify", "document", "same-origin", None, Some("session=abc"), 200, &[], ""))], "a second factor");
    // Signed out, then in again: the second sign-in counts afresh.
    let signed_out = entry(200, "POST", "https://app.test/api/auth/signout", "fetch", "same-origin", Some("https://app.test"), Some("session=abc"), 200, &[], "");
    let later = |mut e: Value, ms: u64| {
        e["startedDateTime"] = json!(format!("2026-11-23T10:00:01.{ms:03}Z"));
        e
    };
    let r = analyze(&har(vec![sign_in(), dashboard(), signed_out, later(sign_in(), 0), later(dashboard(), 100), later(login(200, ""), 300)]));
    assert_eq!(codes(&r), ["flow.signed-out-by-page"]);
    assert!(r.findings[0].finding.detail.contains("The sign-in finished 2 times"), "{}", r.findings[0].finding.detail);
}

/// A session endpoint that answers 200 with "no one is signed in" though the session went along
/// refused it, as a 401 would have: NextAuth.js's `{}`, Auth.js's `null`, `"user": null`,
/// `"authenticated": false`. A bare `{}` from another endpoint is its success, not that.
#[test]
fn a_session_endpoint_answering_signed_out_refused_the_session() {
    let set = "next-auth.session-token=abc; Path=/; HttpOnly; SameSite=Lax";
    let flow = |api: &str, body: &str| {
        analyze(&har(vec![
            entry(0, "POST", "https://app.test/api/auth/callback/credentials", "document", "same-origin", Some("https://app.test"), None, 302, &[set], "/dashboard"),
            entry(100, "GET", "https://app.test/dashboard", "document", "same-origin", None, Some("next-auth.session-token=abc"), 200, &[], ""),
            answering(entry(200, "GET", api, "fetch", "same-origin", None, Some("next-auth.session-token=abc"), 200, &[], ""), body),
            by_script(entry(300, "GET", "https://app.test/api/auth/signin?callbackUrl=%2Fdashboard", "document", "same-origin", None, Some("next-auth.session-token=abc"), 200, &[], "")),
        ]))
    };
    let r = flow("https://app.test/api/auth/session", "{}");
    assert_eq!(codes(&r), ["flow.session-refused"]);
    let d = &r.findings[0].finding.detail;
    assert!(d.contains("answers 200 with \"{}\", which says no one is signed in (NextAuth.js and Auth.js answer so when they cannot read the session cookie)"), "{d}");
    assert_eq!(r.headline, "next-auth.session-token went along with GET /api/auth/session, yet the server answered \"{}\" that no one is signed in: it did not accept the session set by POST /api/auth/callback/credentials.");
    assert_eq!(r.first_drop.as_ref().map(|d| (d.entry, d.kind)), Some((2, "refused")));
    for (api, body) in [
        ("https://app.test/api/auth/session", "null"),
        ("https://app.test/api/me", "{ }"),
        ("https://app.test/api/data", r#"{"user":null}"#),
        ("https://app.test/graphql", r#"{"isAuthenticated":false,"roles":[]}"#),
    ] {
        assert_eq!(codes(&flow(api, body)), ["flow.session-refused"], "{api} {body}");
    }
    // Success bodies, or a flag that is not about the session: the page decided.
    for (api, body) in [
        ("https://app.test/api/track", "{}"),
        ("https://app.test/api/auth/session", r#"{"user":{"name":"Ada"},"expires":"2026-12-23T10:00:00.000Z"}"#),
        ("https://app.test/api/flags", r#"{"beta":false,"user":"ada"}"#),
        ("https://app.test/api/auth/session", "[]"),
    ] {
        assert_eq!(codes(&flow(api, body)), ["flow.signed-out-by-page"], "{api} {body}");
    }
}

/// A sign-in that redirects into the app with no session cookie in its answer (express-session
/// with a Secure cookie behind a TLS-ending proxy sends none), after which the app sends the
/// browser back to sign in: said, at the sign-in, when nothing else explains the flow.
#[test]
fn a_sign_in_that_sets_no_session_is_found() {
    let flow = |set: &[&str], dashboard: Value| {
        analyze(&har(vec![
            entry(0, "GET", "https://app.test/login", "document", "none", None, Some("theme=dark"), 200, &[], ""),
            entry(100, "POST", "https://app.test/login", "document", "same-origin", Some("https://app.test"), Some("theme=dark"), 302, set, "/dashboard"),
            dashboard,
        ]))
    };
    let bounced = || entry(200, "GET", "https://app.test/dashboard", "document", "same-origin", None, Some("theme=dark"), 302, &[], "/login?next=%2Fdashboard");
    let r = flow(&[], bounced());
    assert_eq!(codes(&r), ["flow.session-not-set"]);
    let f = &r.findings[0];
    assert_eq!((f.entry, f.finding.severity), (Some(1), cookie_inspector::finding::Severity::Error));
    assert_eq!(r.headline, "The sign-in set no session cookie (at POST /login).");
    let d = &f.finding.detail;
    assert!(d.contains("POST \"https://app.test/login\" (entry 1) finished the sign-in, redirecting to \"https://app.test/dashboard\", and its answer has no Set-Cookie at all"), "{d}");
    assert!(d.contains("GET \"https://app.test/dashboard\" (entry 2) redirected to \"https://app.test/login?next=%2Fdashboard\""), "{d}");
    assert!(f.finding.fix.contains("app.set('trust proxy', 1)"), "{}", f.finding.fix);
    // Other cookies set, the session not: named.
    let r = flow(&["csrf=c1; Path=/api; Secure"], bounced());
    assert_eq!(codes(&r), ["flow.session-not-set"]);
    assert!(r.findings[0].finding.detail.contains("its answer has Set-Cookie only for \"csrf\""), "{}", r.findings[0].finding.detail);
    // A 401 from the app's API is a trip back too.
    let api = entry(200, "GET", "https://app.test/api/me", "fetch", "same-origin", None, Some("theme=dark"), 401, &[], "");
    assert_eq!(codes(&flow(&[], api)), ["flow.session-not-set"]);

    // Not when: the session was set (and sent); its line was refused (that finding says why);
    // the app did not send the browser back; the recording has no cookie headers at all
    // (Chromium's default export), where no Set-Cookie can be seen.
    let with_session = entry(200, "GET", "https://app.test/dashboard", "document", "same-origin", None, Some("theme=dark; session=s1"), 200, &[], "");
    assert!(codes(&flow(&["session=s1; Path=/; HttpOnly"], with_session)).is_empty());
    let r = analyze(&har(vec![
        entry(100, "POST", "http://app.test/login", "document", "same-origin", Some("http://app.test"), Some("theme=dark"), 302, &["session=s1; Path=/; Secure"], "/dashboard"),
        entry(200, "GET", "http://app.test/dashboard", "document", "same-origin", None, Some("theme=dark"), 302, &[], "/login"),
    ]));
    assert_eq!(codes(&r), ["flow.cookie-rejected"]);
    let stays = entry(200, "GET", "https://app.test/dashboard", "document", "same-origin", None, Some("theme=dark"), 200, &[], "");
    assert!(codes(&flow(&[], stays)).is_empty());
    let r = analyze(&har(vec![
        entry(100, "POST", "https://app.test/login", "document", "same-origin", Some("https://app.test"), None, 302, &[], "/dashboard"),
        entry(200, "GET", "https://app.test/dashboard", "document", "same-origin", None, None, 302, &[], "/login"),
    ]));
    assert!(!codes(&r).contains(&"flow.session-not-set"), "{:?}", codes(&r));
    // The identity provider's own sign-in form, handing the browser back to the app's callback,
    // is not the app's sign-in (the callback is).
    let r = analyze(&har(vec![
        entry(0, "POST", "https://idp.test/login", "document", "same-origin", Some("https://idp.test"), Some("theme=dark"), 302, &[], "https://app.test/callback?code=c1&state=s1"),
        entry(100, "GET", "https://app.test/callback?code=c1&state=s1", "document", "cross-site", None, Some("theme=dark"), 302, &[], "/dashboard"),
        bounced(),
    ]));
    assert_eq!(r.findings.iter().map(|f| (f.entry, f.finding.code.as_str())).collect::<Vec<_>>(), [(Some(1), "flow.session-not-set")]);
}
