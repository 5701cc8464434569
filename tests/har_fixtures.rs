//! Real-browser HAR fixtures: every `tests/fixtures/hars/*.har` was recorded in Chromium by
//! `tests/differential/record-hars.mjs` and written as DevTools' "Export HAR (with sensitive
//! data)" would, next to Chromium's own cookie verdicts for the same run (`*.verdicts.json`,
//! from the DevTools protocol). Each HAR goes through `analyze_har` as a user's file would, and,
//! entry by entry, every verdict of the replay must equal Chromium's: each cookie Chromium
//! associated with a request (sent, or withheld with reasons), the `Cookie` header order, and each
//! `Set-Cookie` line (stored, or blocked with reasons). Then the facts each flow is about
//! (where the session drops, and why) are checked on the report.
#![cfg(not(target_arch = "wasm32"))]
#![allow(clippy::unwrap_used, clippy::expect_used, clippy::indexing_slicing, clippy::panic)]

mod common;
use common::Tally;

use cookie_inspector::cookie::site::{RequestKind, SameSiteContext, ThirdPartyCookies};
use cookie_inspector::flow::replay::{Name, ReplayOptions};
use cookie_inspector::flow::{analyze_har, FlowReport, HarOptions};
use cookie_inspector::finding::Severity;
use serde_json::Value;
use std::collections::BTreeMap;
use std::path::PathBuf;

const DIR: &str = concat!(env!("CARGO_MANIFEST_DIR"), "/tests/fixtures/hars");
/// Only used for entries without a time (none here: every entry has its startedDateTime).
const NOW: f64 = 1_772_355_600.0;

fn strings(v: &Value) -> Vec<String> {
    v.as_array().map(|a| a.iter().filter_map(|s| s.as_str().map(str::to_string)).collect()).unwrap_or_default()
}

fn sorted(mut v: Vec<String>) -> Vec<String> {
    v.sort();
    v
}

/// Every fixture: (scenario id, HAR bytes, Chromium's verdicts), sorted by file name.
fn fixtures() -> Vec<(String, Vec<u8>, Value)> {
    let mut hars: Vec<PathBuf> = std::fs::read_dir(DIR)
        .unwrap_or_else(|e| panic!("{DIR}: {e}"))
        .map(|e| e.unwrap().path())
        .filter(|p| p.extension().is_some_and(|x| x == "har"))
        .collect();
    hars.sort();
    assert!(!hars.is_empty(), "no HAR fixtures in {DIR}: record them with node tests/differential/record-hars.mjs");
    hars.into_iter()
        .map(|har| {
            let verdicts_path = har.with_extension("verdicts.json");
            let verdicts: Value = serde_json::from_str(&std::fs::read_to_string(&verdicts_path).unwrap_or_else(|e| panic!("{}: {e}", verdicts_path.display()))).unwrap();
            let id = verdicts["id"].as_str().unwrap().to_string();
            (id, std::fs::read(&har).unwrap(), verdicts)
        })
        .collect()
}

/// The options a recording is replayed with: third-party cookies as the recording browser had
/// them. Most recordings run in browser contexts, which block them as an Incognito window does;
/// the verdicts file says which did not.
fn options(verdicts: &Value) -> HarOptions {
    let third_party_cookies = match verdicts["thirdPartyCookies"].as_str() {
        Some("allowed") => ThirdPartyCookies::Allowed,
        _ => ThirdPartyCookies::Blocked,
    };
    HarOptions { now: NOW, replay: ReplayOptions { third_party_cookies, browser: None }, ..HarOptions::default() }
}

fn analyze(bytes: &[u8], verdicts: &Value) -> FlowReport {
    analyze_har(bytes, &options(verdicts))
}


/// Compares one flow's replay with Chromium's verdicts, entry by entry.
fn compare(id: &str, report: &FlowReport, verdicts: &Value, tally: &mut Tally) {
    let expected = verdicts["entries"].as_array().unwrap();
    assert_eq!(report.entries.len(), expected.len(), "{id}: {} entries replayed, {} recorded", report.entries.len(), expected.len());
    for (i, v) in expected.iter().enumerate() {
        let e = report.entries.iter().find(|e| e.index == i).unwrap_or_else(|| panic!("{id}: entry {i} not replayed"));
        let url = v["url"].as_str().unwrap_or_default();
        assert_eq!(e.url, url, "{id}: entry {i}");
        let at = format!("{id} entry {i} {} {url}", e.method);
        assert_eq!(e.problem, None, "{at}");

        // A cookie the page's script deleted is gone for Chromium, and the recording cannot say
        // why: the replay still predicts it sent, and must flag that the recorded request did
        // not carry it. The rest of the entry is compared as usual.
        let deleted = strings(&v["deletedByScript"]);
        for name in &deleted {
            let flagged = e.request.mismatches.iter().any(|m| m.name == name.as_str() && (m.predicted, m.observed) == ("sent", "not-sent"));
            tally.check(format!("{at}: cookie {name:?} deleted by the page's script, flagged as not sent"), &[String::from("flagged")], &[String::from(if flagged { "flagged" } else { "not flagged" })]);
        }
        // Sending: each cookie Chromium associated with the request, by name.
        let mut ours: Vec<(String, Vec<String>)> =
            e.request.cookies_sent.iter().filter(|n| !deleted.iter().any(|d| d == n.as_str())).map(|n| (n.to_string(), Vec::new())).collect();
        ours.extend(e.request.cookies_withheld.iter().map(|w| (w.name.to_string(), sorted(w.reasons.iter().map(|r| (*r).to_string()).collect()))));
        let chromium: Vec<(String, Vec<String>)> =
            v["cookies"].as_array().unwrap().iter().map(|c| (c["name"].as_str().unwrap_or_default().to_string(), sorted(strings(&c["reasons"])))).collect();
        for (name, reasons) in &chromium {
            let mine = ours.iter().position(|(n, _)| n == name).map(|p| ours.remove(p).1);
            tally.check(format!("{at}: cookie {name:?}"), reasons, &mine.unwrap_or_else(|| vec!["(not listed)".into()]));
        }
        for (name, reasons) in ours {
            tally.check(format!("{at}: cookie {name:?} (we list it, Chromium does not)"), &["(not listed)".into()], &reasons);
        }
        let chromium_sent: Vec<String> = chromium.iter().filter(|(_, r)| r.is_empty()).map(|(n, _)| n.clone()).collect();
        if chromium_sent.len() > 1 {
            tally.check(format!("{at}: Cookie header order"), &chromium_sent, &e.request.cookies_sent.iter().map(|n| n.to_string()).collect::<Vec<_>>());
        }

        // Storing: each Set-Cookie line of the response.
        let blocked = v["blockedSetCookies"].as_array().unwrap();
        for s in &e.response.set_cookies {
            let theirs = blocked.iter().find(|b| b["line"].as_str() == Some(s.line.as_str())).map(|b| sorted(strings(&b["reasons"]))).unwrap_or_default();
            let mine = if s.stored { Vec::new() } else { sorted(s.reasons.iter().map(|r| (*r).to_string()).collect()) };
            tally.check(format!("{at}: Set-Cookie {:?}", s.line), &theirs, &mine);
        }
        for b in blocked {
            let line = b["line"].as_str().unwrap_or_default();
            if !e.response.set_cookies.iter().any(|s| s.line == line) {
                tally.check(format!("{at}: Set-Cookie {line:?} (blocked by Chromium, not replayed)"), &strings(&b["reasons"]), &["(not replayed)".into()]);
            }
        }

        // Our prediction must equal the recorded Cookie header, with nothing unexplained.
        assert!(e.request.mismatches.iter().all(|m| deleted.iter().any(|d| m.name == d.as_str())), "{at}: prediction vs recorded Cookie header: {:?}", e.request.mismatches);
        assert_eq!(e.request.preexisting, Vec::<String>::new(), "{at}: cookies the jar never saw");
        assert_eq!(e.request.observed_sent.clone().unwrap_or_default(), chromium_sent, "{at}: the HAR's Cookie header vs Chromium's sent cookies");
    }
}

#[test]
fn har_fixtures_agree_with_chromium() {
    let fixtures = fixtures();
    let mut tally = Tally::default();
    let mut entries = 0;
    for (id, bytes, verdicts) in &fixtures {
        let report = analyze(bytes, verdicts);
        entries += report.entries.len();
        compare(id, &report, verdicts, &mut tally);
        println!("{id}: {}", report.headline);
    }
    println!(
        "har fixtures: {}/{} verdicts agree ({:.1}%) over {} HARs, {entries} entries",
        tally.agree,
        tally.total,
        100.0 * tally.agree as f64 / tally.total.max(1) as f64,
        fixtures.len()
    );
    for d in &tally.disagreements {
        println!("  DISAGREE {d}");
    }
    assert!(tally.total >= 50, "only {} verdicts compared", tally.total);
    assert!(tally.disagreements.is_empty(), "{} disagreements with Chromium (listed above)", tally.disagreements.len());
}

/// The cookies a replayed entry sends, and the reasons one is withheld (`None`: not withheld).
fn sent(r: &FlowReport, i: usize) -> Vec<&str> {
    r.entries[i].request.cookies_sent.iter().map(Name::as_str).collect()
}

fn withheld<'r>(r: &'r FlowReport, i: usize, name: &str) -> Option<&'r [&'static str]> {
    r.entries[i].request.cookies_withheld.iter().find(|w| w.name == name).map(|w| w.reasons.as_slice())
}

/// The verdict on the `Set-Cookie` line for `name` in entry `i`: (stored, deletes, reasons).
fn set(r: &FlowReport, i: usize, name: &str) -> (bool, bool, Vec<&'static str>) {
    let s = r.entries[i].response.set_cookies.iter().find(|s| s.name == name).unwrap_or_else(|| panic!("entry {i}: no Set-Cookie for {name}"));
    (s.stored, s.deletes, s.reasons.clone())
}

/// The flow findings: (entry, code).
fn findings(r: &FlowReport) -> Vec<(Option<usize>, &'static str)> {
    r.findings.iter().map(|f| (f.entry, f.finding.code.as_str())).collect()
}

const STORED: (bool, bool, Vec<&str>) = (true, false, Vec::new());

/// What each flow is about, on the report a user would see.
#[test]
fn each_flow_shows_what_chromium_did() {
    let reports: BTreeMap<String, FlowReport> = fixtures().into_iter().map(|(id, bytes, verdicts)| (id, analyze(&bytes, &verdicts))).collect();
    let get = |id: &str| reports.get(id).unwrap_or_else(|| panic!("no HAR fixture for {id}"));
    assert_eq!(reports.len(), 46, "fixtures: {:?}", reports.keys().collect::<Vec<_>>());
    for (id, r) in &reports {
        assert_eq!(r.creator.as_deref(), Some("WebInspector 537.36"), "{id}");
        assert!(!findings(r).iter().any(|(_, c)| c.starts_with("har.") || *c == "flow.prediction-mismatch"), "{id}: {:?}", findings(r));
    }

    // OAuth form_post, SameSite=Strict: the state cookie is withheld on the cross-site POST to
    // /callback, the session it sets is stored, then withheld on /dashboard (the redirect chain
    // began on idp.test), and both are sent after a same-site click to /account.
    let r = get("oauth/strict-302");
    assert_eq!((r.entries[2].method.as_str(), r.entries[2].status), ("POST", 302));
    assert_eq!(withheld(r, 2, "oauth_state"), Some(&["SchemefulSameSiteStrict"][..]));
    assert_eq!(set(r, 2, "session"), STORED);
    assert_eq!(r.entries[3].redirected_from, Some(2));
    assert_eq!(withheld(r, 3, "session"), Some(&["SchemefulSameSiteStrict"][..]));
    assert_eq!(sent(r, 4), ["oauth_state", "session"]);
    assert_eq!(findings(r), [(Some(2), "flow.session-withheld"), (Some(3), "flow.session-withheld")]);
    let f = &r.findings[1].finding;
    assert!(f.title.contains("session") && f.title.contains("SchemefulSameSiteStrict"), "{}", f.title);
    assert!(f.detail.contains("withheld on GET \"https://app.test:18443/dashboard\" (entry 3)"), "{}", f.detail);
    // The first drop is `oauth_state` (its name contains "auth", so it counts as a session
    // cookie), withheld one hop before the session cookie itself.
    let drop = r.first_drop.clone().unwrap();
    assert_eq!((drop.entry, drop.cookie.as_str(), drop.kind, drop.set_by), (2, "oauth_state", "withheld", Some(0)));
    assert_eq!(drop.reasons, ["SchemefulSameSiteStrict"]);
    assert_eq!(r.headline, "oauth_state set by GET /login is withheld on POST /callback: SameSite=Strict, and another site started this request (SchemefulSameSiteStrict).");

    // Lax: withheld on the POST, sent on the top-level GET after the 302.
    let r = get("oauth/lax-302");
    assert_eq!(withheld(r, 2, "oauth_state"), Some(&["SchemefulSameSiteLax"][..]));
    assert_eq!(sent(r, 3), ["oauth_state", "session"]);
    assert_eq!(findings(r), [(Some(2), "flow.session-withheld")]);
    assert_eq!(r.headline, "oauth_state set by GET /login is withheld on POST /callback: SameSite=Lax on a cross-site subrequest or POST (SchemefulSameSiteLax).");

    // A 307 keeps the POST: /dashboard is a cross-site POST too, and the session is withheld.
    let r = get("oauth/lax-307");
    assert_eq!((r.entries[3].method.as_str(), r.entries[3].redirected_from), ("POST", Some(2)));
    assert_eq!(withheld(r, 3, "session"), Some(&["SchemefulSameSiteLax"][..]));
    assert_eq!(findings(r), [(Some(2), "flow.session-withheld"), (Some(3), "flow.session-withheld")]);

    // No SameSite (Lax by default): cookies younger than two minutes still go on a top-level
    // cross-site POST (Lax-allowing-unsafe), after a 302 and after a 307 alike.
    for id in ["oauth/no-samesite-302", "oauth/no-samesite-307", "oauth/none-secure-302"] {
        let r = get(id);
        assert_eq!(sent(r, 2), ["oauth_state"], "{id}");
        assert_eq!(sent(r, 3), ["oauth_state", "session"], "{id}");
        assert_eq!(r.first_drop, None, "{id}");
        assert_eq!(findings(r), [], "{id}");
        assert_eq!(r.headline, "No session drop found in 5 requests.", "{id}");
    }
    assert_eq!(get("oauth/no-samesite-307").entries[3].method, "POST");

    // Refused on arrival, with Chromium's reason; nothing is sent afterwards.
    for (id, name, reason) in [
        ("secure/over-http", "c", "SecureOnly"),
        ("samesite-none-insecure/same-site-link", "c", "SameSiteNoneInsecure"),
        ("domain/public-suffix-vercel", "c", "InvalidDomain"),
        ("prefix/host-without-path", "__Host-c", "InvalidPrefix"),
    ] {
        let r = get(id);
        assert_eq!(set(r, 0, name), (false, false, vec![reason]), "{id}");
        assert_eq!(findings(r), [(Some(0), "flow.cookie-rejected")], "{id}");
        assert_eq!(sent(r, 1), Vec::<&str>::new(), "{id}");
    }
    assert_eq!(get("secure/over-http").entries[0].url, "http://app.test:18080/set");
    assert_eq!(get("domain/public-suffix-vercel").entries[0].host, "myapp.vercel.app:18443");

    // Max-Age=0 deletes the cookie stored one hop earlier (sent on that very request).
    let r = get("expiry/max-age-0-deletes");
    assert_eq!(sent(r, 1), ["c"]);
    assert_eq!(set(r, 1, "c"), (false, true, Vec::new()));
    assert_eq!(findings(r), [(Some(1), "flow.cookie-deleted")]);
    assert_eq!((sent(r, 2), r.entries[2].request.cookies_withheld.len()), (Vec::<&str>::new(), 0));

    // Path=/admin: withheld on / (NotOnPath), sent on /admin/page.
    let r = get("path/admin-then-root");
    assert_eq!(withheld(r, 1, "c"), Some(&["NotOnPath"][..]));
    assert_eq!(sent(r, 2), ["c"]);

    // A cross-site credentialed fetch: SameSite=None; Secure is allowed by SameSite but the
    // browser blocks third-party cookies.
    let r = get("samesite-none-secure/cross-site-fetch");
    assert_eq!((r.entries[2].kind, r.entries[2].site), (RequestKind::Fetch, Some(SameSiteContext::CrossSite)));
    assert_eq!(withheld(r, 2, "c"), Some(&["UserPreferences"][..]));

    // Several Set-Cookie lines in one response (one header per line, as DevTools exports them):
    // one refused, the others sent back in Chromium's order.
    let r = get("syntax/several-lines");
    let lines: Vec<(&str, bool)> = r.entries[0].response.set_cookies.iter().map(|s| (s.name.as_str(), s.stored)).collect();
    assert_eq!(lines, [("b", true), ("a", true), ("x", false), ("a2", true)]);
    assert_eq!(set(r, 0, "x").2, ["SameSiteNoneInsecure"]);
    assert_eq!(sent(r, 1), ["b", "a", "a2"]);

    // Tokens: a JWT in a JSON response body, and one in an Authorization: Bearer header.
    let r = get("token/json-body");
    assert_eq!((r.tokens.len(), r.token_sightings.len()), (1, 1));
    assert_eq!((r.token_sightings[0].entries.as_slice(), r.token_sightings[0].location.as_str()), (&[1][..], "response.body.access_token"));
    assert_eq!(set(r, 1, "session"), STORED);
    assert_eq!(sent(r, 2), ["session"]);
    let r = get("token/bearer-header");
    assert_eq!((r.tokens.len(), r.token_sightings.len()), (1, 1));
    assert_eq!((r.token_sightings[0].entries.as_slice(), r.token_sightings[0].location.as_str()), (&[1][..], "request.header.authorization"));
    assert_eq!(sent(r, 1), ["session"]);
    // The API call went out without cookies: recorded with its real headers (Host) and no Cookie
    // header, where the jar holds the session for sub.app.test (Domain=app.test).
    let r = get("flow/credentials-omitted");
    assert_eq!(set(r, 0, "session"), STORED);
    assert_eq!(r.entries[1].request.observed_sent, Some(vec![]));
    assert_eq!(sent(r, 1), Vec::<&str>::new());
    assert_eq!(r.entries[1].request.credentials_omitted, ["session"]);
    assert_eq!(r.entries[1].request.mismatches, []);
    let drop = r.first_drop.as_ref().unwrap();
    assert_eq!((drop.entry, drop.cookie.as_str(), drop.kind, drop.set_by), (1, "session", "credentials-omitted", Some(0)));
    let f: Vec<_> = r.findings.iter().filter(|f| f.finding.code.as_str() == "flow.credentials-omitted").collect();
    assert_eq!(f.len(), 1);
    assert_eq!((f[0].entry, f[0].finding.severity), (Some(1), Severity::Error));
    assert!(f[0].finding.fix.contains("credentials: 'include'"), "{}", f[0].finding.fix);
    assert!(r.headline.contains("cross-origin fetch"), "{}", r.headline);
    // The session went along to /dashboard, which sent the browser back to the sign-in page.
    let r = get("flow/session-refused");
    assert_eq!(set(r, 1, "session"), STORED);
    assert_eq!(sent(r, 2), ["session"]);
    assert_eq!(r.entries[2].request.observed_sent, Some(vec![Name::from("session")]));
    let drop = r.first_drop.as_ref().unwrap();
    assert_eq!((drop.entry, drop.cookie.as_str(), drop.kind, drop.set_by), (2, "session", "refused", Some(1)));
    assert_eq!(findings(r), [(Some(2), "flow.session-refused")]);
    assert_eq!(r.headline, "session went along with GET /dashboard, yet the server sent the browser back to sign in: it did not accept the session set by POST /api/auth/callback/credentials.");
    // An old session for the whole of app.test and the sign-in's new host-only one: both go out
    // on /dashboard, the older first (equal paths), as Chromium sent them.
    let r = get("flow/session-duplicate");
    assert_eq!((set(r, 0, "session"), set(r, 1, "session")), (STORED, STORED));
    assert_eq!(sent(r, 2), ["session", "session"]);
    assert_eq!(findings(r), [(Some(2), "flow.session-duplicate")]);
    let f = &r.findings[0].finding;
    assert!(f.detail.contains("Domain=app.test") && f.detail.find("s3cr3t-opaque-2") < f.detail.find("s3cr3t-opaque-1"), "the lines in the order they were set: {}", f.detail);
    // A session scripts can read, deleted by /home's script: /dashboard, recorded with its real
    // headers, carries no Cookie header at all. That is the drop, as observed.
    let r = get("flow/script-deletes-session");
    assert_eq!(sent(r, 1), ["session"]);
    assert_eq!(r.entries[2].request.observed_sent, Some(vec![]));
    let drop = r.first_drop.as_ref().unwrap();
    assert_eq!((drop.entry, drop.cookie.as_str(), drop.kind, drop.set_by), (2, "session", "not-sent", Some(0)));
    assert_eq!(findings(r), [(Some(2), "flow.session-not-sent")]);
    assert!(r.findings[0].finding.detail.contains("The browser sent no Cookie header at all on GET"), "{}", r.findings[0].finding.detail);
    // A silent sign-in (prompt=none) in a hidden iframe on app.test: Chromium's browser context
    // blocks third-party cookies, so idp.test's own session cookie stays behind, and idp.test
    // answers login_required. One finding for the request, with the answer and the fix, in place
    // of the per-cookie withheld one.
    let r = get("flow/silent-sign-in-iframe");
    assert_eq!(set(r, 0, "idp_session"), STORED);
    assert_eq!((r.entries[2].kind, r.entries[2].site), (RequestKind::Iframe, Some(SameSiteContext::CrossSite)));
    assert_eq!(withheld(r, 2, "idp_session"), Some(&["UserPreferences"][..]));
    assert_eq!(r.entries[2].redirect_to.as_deref(), Some("https://app.test:18443/silent-callback?error=login_required&state=s1"));
    assert_eq!(findings(r), [(Some(2), "flow.silent-sign-in-blocked")]);
    let f = &r.findings[0].finding;
    assert_eq!(f.severity, Severity::Error);
    assert!(f.detail.contains("\"idp_session\" is withheld (UserPreferences)") && f.detail.contains("The provider answered login_required"), "{}", f.detail);
    assert!(f.fix.contains("refresh token") && f.spec.contains("§3.1.2.6"), "{}", f.fix);
    let drop = r.first_drop.as_ref().unwrap();
    assert_eq!((drop.entry, drop.cookie.as_str(), drop.kind, drop.set_by), (2, "idp_session", "withheld", Some(0)));
    // The headline names the hop with its query cut short.
    assert_eq!(r.headline, "idp_session set by GET /login is withheld on GET /authorize?client_id=app&response_type=code&scope=o…: third-party cookies are blocked (UserPreferences).");
    // The same flow with third-party cookies allowed (a profile that allows them): the cookie
    // goes, idp.test answers with a code, and nothing is found.
    let r = get("flow/silent-sign-in-iframe-allowed");
    assert_eq!(sent(r, 2), ["idp_session"]);
    assert_eq!(r.entries[2].request.observed_sent, Some(vec![Name::from("idp_session")]));
    assert_eq!(r.entries[2].redirect_to.as_deref(), Some("https://app.test:18443/silent-callback?code=c1&state=s1"));
    assert_eq!(findings(r), []);
    assert_eq!(r.first_drop, None);
    // The sign-in call to the API (cross-origin, same-site) left fetch's default credentials mode:
    // Chromium did not store the session it answered with, and the later call, with credentials,
    // went without it. The recording cannot show the credentials mode, so the replay stores the
    // cookie; the finding names both calls.
    let r = get("flow/login-fetch-without-credentials");
    assert_eq!(set(r, 1, "session"), STORED);
    assert_eq!(r.entries[2].request.observed_sent, Some(vec![]));
    assert_eq!(r.entries[2].request.credentials_omitted, ["session"]);
    assert_eq!(findings(r), [(Some(2), "flow.credentials-omitted")]);
    let f = &r.findings[0].finding;
    assert!(f.detail.contains("Or the cookie was never stored: POST \"https://sub.app.test:18443/api/login\" (entry 1) set it in answer to a cross-origin fetch"), "{}", f.detail);
    assert!(f.detail.contains("though the replay holds \"session\""), "{}", f.detail);
    // Where the cookie came from a navigation, only the one reading.
    let f = &get("flow/credentials-omitted").findings[0].finding;
    assert!(!f.detail.contains("never stored") && f.detail.contains("though the browser held"), "{}", f.detail);
    // /dashboard refuses the session and sends the browser to the sign-in page, which sends it
    // back: Chromium gives up after 20 redirects (ERR_TOO_MANY_REDIRECTS on entry 20). The drop
    // is the first refusal; the loop is found where the browser gave up.
    let r = get("flow/redirect-loop");
    assert_eq!(r.entries.len(), 21);
    assert!(r.entries[2..].iter().all(|e| e.request.observed_sent == Some(vec![Name::from("session")])));
    assert_eq!(findings(r), [(Some(2), "flow.session-refused"), (Some(20), "flow.redirect-loop")]);
    let f = &r.findings[1].finding;
    assert!(f.detail.starts_with("The 20 requests from entry 1 to entry 20 each answer with a redirect, going round GET \"https://app.test:18443/dashboard\" and GET \"https://app.test:18443/api/auth/signin?callbackUrl=%2Fdashboard\"."), "{}", f.detail);
    assert!(f.detail.contains("The session (\"session\") went along every time"), "{}", f.detail);
    assert_eq!(r.first_drop.as_ref().map(|d| (d.entry, d.kind)), Some((2, "refused")));
    // A NextAuth.js session in three chunks (9 KB) goes along to /dashboard, and the server
    // refuses the request with nginx's 400 page: the drop, though every cookie was sent.
    let r = get("flow/cookie-header-too-large");
    assert_eq!(sent(r, 2).len(), 3);
    assert_eq!(r.entries[2].status, 400);
    let recorded = r.entries[2].request.cookie_bytes;
    assert!(recorded > 8192, "{recorded}");
    assert_eq!(findings(r), [(Some(2), "flow.cookie-header-too-large")]);
    let drop = r.first_drop.as_ref().unwrap();
    assert_eq!((drop.entry, drop.cookie.as_str(), drop.kind, drop.set_by), (2, "__Secure-next-auth.session-token.0", "too-large", Some(1)));
    assert!(r.headline.ends_with("and the server refused the request: 400, with a page saying \"Request Header Or Cookie Too Large\"."), "{}", r.headline);
    assert!(drop.fix.unwrap_or_default().contains("large_client_header_buffers"));
    // The callback's session has an Expires a day before the recording: Chromium never kept it
    // (and reported no reason), and /dashboard went without it. The drop, with the Date header
    // saying the date was built wrong (the server's clock agrees with the browser's).
    let r = get("flow/session-expired-on-arrival");
    let (stored, deletes, reasons) = set(r, 1, "session");
    assert_eq!((stored, deletes, reasons.len()), (false, false, 0));
    assert_eq!(r.entries[2].request.observed_sent, Some(vec![]));
    assert_eq!(findings(r), [(Some(1), "flow.cookie-expired-on-arrival")]);
    assert!(r.findings[0].finding.detail.contains("It is 1 day before the response's own Date header"), "{}", r.findings[0].finding.detail);
    assert_eq!(r.first_drop.as_ref().map(|d| (d.entry, d.cookie.as_str(), d.kind)), Some((1, "session", "expired")));
    // An access token issued two hours before the call, valid for one: the API answers 401.
    let r = get("token/bearer-expired");
    assert_eq!(r.entries[1].status, 401);
    assert_eq!(findings(r), [(Some(1), "flow.bearer-expired"), (Some(1), "jwt.expired")]);
    assert!(r.findings[0].finding.detail.contains("sent an access token that expired 1 hour before (exp 2026-03-01T08:00:00Z), and the API answered 401"), "{}", r.findings[0].finding.detail);
    assert_eq!(r.headline, "The API refused an access token that had expired (at GET /api/me).");
    // Signed out, /dashboard answered a 301 to /login, which Chromium kept. After the OAuth
    // callback stored the session, Chromium followed that 301 from its disk cache: no request,
    // so no Cookie header, and the server (which answers the session with the dashboard) never
    // saw it. The session went along only to /login.
    let r = get("flow/cached-sign-in-redirect");
    assert_eq!((r.entries[0].status, r.entries[0].from_cache), (301, None));
    assert_eq!((r.entries[4].status, r.entries[4].from_cache, r.entries[4].redirected_from), (301, Some("disk"), Some(3)));
    assert_eq!(r.entries[4].request.observed_sent, None, "nothing went out");
    assert!(sent(r, 4).is_empty() && r.entries[4].request.cookies_withheld.is_empty());
    assert_eq!(sent(r, 5), ["session"]);
    assert_eq!(findings(r), [(Some(4), "flow.cached-sign-in-redirect")]);
    let f = &r.findings[0].finding;
    assert_eq!(f.severity, Severity::Error);
    assert!(
        f.detail.contains("answered from the browser's disk cache with a 301 to the sign-in page")
            && f.detail.contains("kept from GET \"http://app.test:18080/dashboard\" (entry 0) before the sign-in (a 301 with no Cache-Control or Expires)"),
        "{}",
        f.detail
    );
    assert!(f.fix.contains("Clear-Site-Data"), "{}", f.fix);
    assert_eq!(r.first_drop.as_ref().map(|d| (d.entry, d.cookie.as_str(), d.kind, d.set_by)), Some((4, "session", "cached", Some(3))));
    assert!(r.headline.starts_with("GET /dashboard was answered from the browser's disk cache, with a redirect to sign in it kept from before the sign-in: session set by GET /api/auth/callback/idp"), "{}", r.headline);
    // After the sign-in, /dashboard comes back from a CDN's cache (Age, X-Cache): the 307 to the
    // sign-in page it stored for a signed-out visitor. The session went along; the app never saw
    // it, so this is not the server refusing it.
    let r = get("flow/cdn-cached-sign-in-redirect");
    assert_eq!((r.entries[2].status, r.entries[2].from_cache), (307, None));
    assert_eq!(sent(r, 2), ["session"]);
    assert_eq!(findings(r), [(Some(2), "flow.cached-sign-in-redirect")]);
    assert_eq!(r.findings[0].finding.title, "Sent back to sign-in by a CDN's stored answer");
    assert!(r.findings[0].finding.detail.contains("from a shared cache (\"Age: 73\")"), "{}", r.findings[0].finding.detail);
    assert_eq!(r.first_drop.as_ref().map(|d| (d.entry, d.kind)), Some((2, "cached")));
    // form_post: the provider's cross-site POST to the callback goes without the Lax state
    // cookie, and the callback sends the browser to the sign-in page with error=OAuthCallback.
    let r = get("flow/sign-in-error-state-withheld");
    assert_eq!(withheld(r, 2, "next-auth.state"), Some(&["SchemefulSameSiteLax"][..]));
    assert_eq!(findings(r), [(Some(2), "flow.session-withheld"), (Some(3), "flow.sign-in-error")]);
    let f = &r.findings[1].finding;
    assert_eq!(f.title, "The sign-in ended in an error: \"OAuthCallback\"");
    assert!(f.detail.contains("The flow shows why: POST \"https://app.test:18443/api/auth/callback/idp\" (entry 2) went without \"next-auth.state\" (SchemefulSameSiteLax)"), "{}", f.detail);
    assert!(f.fix.contains("form_post"), "{}", f.fix);
    // The dashboard asks for a prefetch of the sign-out route (Chromium: Sec-Purpose: prefetch),
    // whose answer deletes the session: /account then goes without it.
    let r = get("flow/prefetch-signs-out");
    assert!(r.entries[3].prefetch && !r.entries.iter().enumerate().any(|(i, e)| i != 3 && e.prefetch));
    assert_eq!(sent(r, 3), ["session"]);
    assert_eq!(set(r, 3, "session"), (false, true, Vec::new()));
    assert!(sent(r, 4).is_empty());
    assert_eq!(findings(r), [(Some(3), "flow.prefetch-signed-out")], "in place of flow.cookie-deleted");
    assert!(r.findings[0].finding.detail.contains("is a prefetch, not a visit"), "{}", r.findings[0].finding.detail);
    assert_eq!(r.first_drop.as_ref().map(|d| (d.entry, d.kind, d.set_by)), Some((3, "deleted", Some(1))));
    assert_eq!(r.headline, "session is deleted by the answer to a prefetch of GET /api/auth/signout: the user never asked to sign out.");
    // Clear-Site-Data: "cookies" on /dashboard: Chromium deleted every cookie of app.test, the
    // session and a Domain=app.test cookie set from sub.app.test alike.
    let r = get("flow/clear-site-data");
    assert_eq!(sent(r, 3), ["prefs", "session"]);
    assert_eq!(r.entries[3].response.cleared_cookies, ["prefs", "session"]);
    assert!(sent(r, 4).is_empty(), "gone from the next request on");
    assert_eq!(findings(r), [(Some(3), "flow.site-data-cleared")]);
    assert_eq!(r.first_drop.as_ref().map(|d| (d.entry, d.cookie.as_str(), d.kind, d.set_by)), Some((3, "session", "cleared", Some(2))));
    assert_eq!(r.headline, "session is deleted by Clear-Site-Data in the response to GET /dashboard, with every other cookie of the site.");
    // In the very response that sets the session: Chromium stores none of its cookies (DevTools
    // says SyntaxError), over https and over plain http alike, where the header clears nothing.
    for id in ["flow/clear-site-data-with-sign-in", "flow/clear-site-data-over-http"] {
        let r = get(id);
        assert_eq!(set(r, 1, "session"), (false, false, vec!["SyntaxError"]), "{id}");
        assert!(r.entries[1].response.cleared_cookies.is_empty(), "{id}: nothing was stored to clear");
        assert!(sent(r, 2).is_empty(), "{id}");
        assert_eq!(findings(r), [(Some(1), "flow.site-data-cleared")], "{id}: in place of flow.cookie-rejected");
        assert_eq!(r.findings[0].finding.title, "Clear-Site-Data kept \"session\" from being stored", "{id}");
        assert_eq!(r.first_drop.as_ref().map(|d| (d.entry, d.kind)), Some((1, "cleared")), "{id}");
        assert_eq!(r.headline, "session set by POST /api/auth/callback/credentials is never stored: the same response carries Clear-Site-Data, and Chromium keeps no cookie of such a response.", "{id}");
    }
    assert!(get("flow/clear-site-data-over-http").findings[0].finding.detail.contains("even over plain http, where the header itself is ignored"));
    // Firefox, recorded, kept the session over http: with the comparison, that is a difference.
    let over_http = fixtures().into_iter().find(|(id, _, _)| id == "flow/clear-site-data-over-http").unwrap();
    let compared = analyze_har(&over_http.1, &HarOptions { compare_browsers: true, ..options(&over_http.2) });
    assert_eq!(compared.other_browser.as_ref().map(|o| o.first_drop.is_none()), Some(true));
    assert!(findings(&compared).contains(&(Some(1), "flow.browser-difference")), "{:?}", findings(&compared));
    // 180 experiment cookies after the sign-in: Chromium evicted the 31 least recently used,
    // the session first (its last use did not move within the minute), down to 150.
    let r = get("flow/cookie-evicted");
    assert_eq!(r.entries[2].response.evicted_cookies.len(), 31);
    assert_eq!(r.entries[2].response.evicted_cookies[..3], ["session", "exp_0", "exp_1"]);
    assert_eq!(sent(r, 3).len(), 150);
    assert!(!sent(r, 3).contains(&"session") && !sent(r, 3).contains(&"exp_29") && sent(r, 3).contains(&"exp_30"));
    assert_eq!(findings(r), [(Some(2), "flow.cookie-evicted")]);
    assert_eq!(r.first_drop.as_ref().map(|d| (d.entry, d.cookie.as_str(), d.kind, d.set_by)), Some((2, "session", "evicted", Some(1))));
    assert_eq!(r.headline, "session is evicted by the browser at GET /dashboard: the site passed its limit of 180 cookies.");
    // With Priority=High, Chromium spared it (and evicted exp_0…exp_30); Firefox, which ignores
    // Priority, loses it: with the comparison, that is the difference.
    let r = get("flow/cookie-evicted-priority-high");
    assert_eq!(r.entries[2].response.evicted_cookies.len(), 31);
    assert!(sent(r, 3).contains(&"session") && !sent(r, 3).contains(&"exp_30") && sent(r, 3).contains(&"exp_31"));
    assert_eq!(findings(r), []);
    let high = fixtures().into_iter().find(|(id, _, _)| id == "flow/cookie-evicted-priority-high").unwrap();
    let compared = analyze_har(&high.1, &HarOptions { compare_browsers: true, ..options(&high.2) });
    assert_eq!(compared.other_browser.as_ref().and_then(|o| o.first_drop.as_ref()).map(|d| (d.entry, d.kind)), Some((2, "evicted")));
    assert_eq!(findings(&compared), [(Some(2), "flow.browser-difference")]);
    assert_eq!(compared.findings[0].finding.severity, Severity::Error);
    // A session without Secure, stored when the site holds 180 Secure cookies: Chromium stored
    // it and evicted it at once with the 30 oldest (non-Secure cookies go first).
    let r = get("flow/cookie-evicted-plain-session");
    assert_eq!(set(r, 2, "session"), (true, false, vec![]));
    assert_eq!(r.entries[2].response.evicted_cookies[..2], ["session", "exp_0"]);
    assert_eq!(r.entries[2].response.evicted_cookies.len(), 31);
    assert_eq!(sent(r, 3).len(), 150);
    assert_eq!(findings(r), [(Some(2), "flow.cookie-evicted")]);
    // 40 analytics cookies marked Priority=Low do not shield the session: Chromium spares the
    // 30 newest low-priority ones, evicts the other 10, then the 21 least recently used of the
    // default (medium) priority, the session first.
    let r = get("flow/cookie-evicted-low-priority");
    let evicted: Vec<&str> = r.entries[2].response.evicted_cookies.iter().map(|n| &**n).collect();
    let expected: Vec<String> = (0..10).map(|i| format!("_ga_{i}")).chain(["session".to_string()]).chain((0..20).map(|i| format!("ff_{i}"))).collect();
    assert_eq!(evicted, expected);
    assert_eq!(sent(r, 3).len(), 151);
    assert!(!sent(r, 3).contains(&"session") && sent(r, 3).contains(&"_ga_10") && sent(r, 3).contains(&"ff_20"));
    assert_eq!(findings(r), [(Some(2), "flow.cookie-evicted")]);
    // Max-Age=3 (Express's maxAge: 3600, an hour meant in seconds): the dashboard got the
    // session, the link four seconds later went without it.
    let r = get("flow/session-expires-in-seconds");
    assert_eq!(sent(r, 2), ["connect.sid"]);
    assert!(sent(r, 3).is_empty());
    assert_eq!(findings(r), [(Some(3), "flow.session-expired")]);
    assert!(r.findings[0].finding.detail.contains("Max-Age=3 is exactly what maxAge: 3600 (an hour, written in seconds) becomes as milliseconds"));
    assert_eq!(r.first_drop.as_ref().map(|d| (d.entry, d.cookie.as_str(), d.kind, d.set_by)), Some((3, "connect.sid", "lapsed", Some(1))));
    // The dashboard's script, finding no session in document.cookie (it is HttpOnly), sends
    // the browser to /login itself: the session went along on every request after the sign-in.
    let r = get("flow/signed-out-by-page");
    for i in 2..=4 {
        assert_eq!(sent(r, i), ["session"], "entry {i}");
    }
    assert_eq!(findings(r), [(Some(4), "flow.signed-out-by-page")]);
    let d = &r.findings[0].finding.detail;
    assert!(d.contains("the page's script sends the browser to the sign-in page"), "Chromium records the initiator: {d}");
    assert!(d.contains("\"session\" is HttpOnly") && d.contains("/api/me\" answered 200"), "{d}");
    assert!(r.first_drop.is_none());
    assert!(r.headline.starts_with("Sent back to sign in by the page, with the session alive (at GET /login"), "{}", r.headline);
    // The session endpoint answers {} though the NextAuth.js cookie went along: refused there.
    let r = get("flow/session-endpoint-signed-out");
    assert_eq!(findings(r), [(Some(3), "flow.session-refused")]);
    assert!(r.findings[0].finding.title.starts_with("Answered \"no one is signed in\""), "{}", r.findings[0].finding.title);
    assert_eq!(r.first_drop.as_ref().map(|d| (d.entry, d.cookie.as_str(), d.kind)), Some((3, "__Secure-next-auth.session-token", "refused")));
    // The sign-in's answer sets no session (only the theme cookie the page set before goes on):
    // /dashboard, without one, redirects to /login.
    let r = get("flow/session-not-set");
    assert_eq!(set(r, 0, "theme"), (true, false, vec![]));
    assert!(r.entries[1].response.set_cookies.is_empty());
    assert_eq!(sent(r, 2), ["theme"]);
    assert_eq!(findings(r), [(Some(1), "flow.session-not-set")]);
    assert_eq!(r.headline, "The sign-in set no session cookie (at POST /api/login).");
    // An app in a frame under another site: its session is a third-party cookie. SameSite=Lax
    // is refused there whatever the setting; SameSite=None is refused with third-party cookies
    // blocked (with the fix of a Partitioned cookie), and a Partitioned one is kept and sent.
    let r = get("flow/embedded-app-lax-session");
    assert_eq!(set(r, 2, "session"), (false, false, vec!["SchemefulSameSiteLax"]));
    assert_eq!(findings(r), [(Some(2), "flow.cookie-rejected")]);
    assert_eq!(r.entries[4].status, 401);
    let r = get("flow/embedded-app-third-party-blocked");
    assert_eq!(set(r, 2, "session"), (false, false, vec!["UserPreferences"]));
    assert_eq!(findings(r), [(Some(2), "flow.cookie-rejected")]);
    assert!(r.first_drop.as_ref().and_then(|d| d.fix).is_some_and(|fix| fix.contains("Partitioned")), "{:?}", r.first_drop);
    let r = get("flow/embedded-app-partitioned");
    assert_eq!(set(r, 2, "session"), (true, false, vec![]));
    assert_eq!((sent(r, 3), sent(r, 4)), (vec!["session"], vec!["session"]));
    assert!(findings(r).is_empty(), "{:?}", findings(r));
    // A Partitioned session in three chunks, 10.8 KB: past Chromium's 10 KiB for a site's
    // Partitioned cookies under one top-level site, the first chunk is evicted as it is stored.
    let r = get("flow/embedded-app-partitioned-chunks");
    let chunk = |n: usize| format!("__Secure-next-auth.session-token.{n}");
    assert_eq!(r.entries[2].response.evicted_cookies, [chunk(0).as_str()]);
    assert_eq!(sent(r, 3), [chunk(1), chunk(2)]);
    assert_eq!(r.first_drop.as_ref().map(|d| (d.entry, d.cookie.as_str(), d.kind)), Some((2, chunk(0).as_str(), "evicted")));
    assert!(r.findings[0].finding.title.ends_with("is evicted: the site's Partitioned cookies passed 10 KiB"), "{}", r.findings[0].finding.title);
    assert!(r.first_drop.as_ref().and_then(|d| d.fix).is_some_and(|f| f.contains("under 10 KiB")));
    for id in ["token/json-body", "token/bearer-header"] {
        let t = &get(id).tokens[0];
        assert_eq!(t.payload.as_ref().and_then(|p| p["sub"].as_str()), Some("user-1"), "{id}");
        assert!(!t.findings.iter().any(|f| f.code.as_str().contains("expired")), "{id}: judged at the time of the recording: {:?}", t.findings);
    }
}

/// The findings inferred from the flow's shape fire only on the flows made for them, also
/// with third-party cookies allowed (the default, where a cross-site fetch Chromium recorded
/// without cookies, because the recording browser blocked them, would otherwise look like one).
#[test]
fn inferred_drops_only_where_the_flow_has_them() {
    for (id, bytes, _) in fixtures() {
        let r = analyze_har(&bytes, &HarOptions { now: NOW, ..HarOptions::default() });
        for (code, only) in [
            ("flow.credentials-omitted", if id == "flow/login-fetch-without-credentials" { "flow/login-fetch-without-credentials" } else { "flow/credentials-omitted" }),
            ("flow.session-refused", if id == "flow/redirect-loop" { "flow/redirect-loop" } else { "flow/session-refused|flow/session-endpoint-signed-out" }),
            ("flow.signed-out-by-page", "flow/signed-out-by-page"),
            ("flow.session-not-set", "flow/session-not-set"),
            ("flow.redirect-loop", "flow/redirect-loop"),
            ("flow.bearer-expired", "token/bearer-expired"),
            ("flow.cookie-expired-on-arrival", "flow/session-expired-on-arrival"),
            ("flow.session-duplicate", "flow/session-duplicate"),
            // (And the app in a frame, recorded with third-party cookies blocked, replayed here
            // with them allowed: its recorded Cookie header lacks the session.)
            ("flow.session-not-sent", "flow/script-deletes-session|flow/embedded-app-third-party-blocked"),
            // Replayed with third-party cookies allowed, the provider's cookie is predicted sent
            // on the silent sign-in; the recorded Cookie header lacks it.
            ("flow.silent-sign-in-blocked", "flow/silent-sign-in-iframe"),
            ("flow.silent-sign-in-failed", "(none: the recording shows the cookie missing)"),
            ("flow.cookie-header-too-large", "flow/cookie-header-too-large"),
            ("flow.cached-sign-in-redirect", "flow/cached-sign-in-redirect|flow/cdn-cached-sign-in-redirect"),
            ("flow.prefetch-signed-out", "flow/prefetch-signs-out"),
            // flow/session-refused ends on the sign-in page with error=SessionRequired: a page
            // guard's word for the refusal found there, not an error of its own.
            ("flow.sign-in-error", "flow/sign-in-error-state-withheld"),
            ("flow.site-data-cleared", "flow/clear-site-data|flow/clear-site-data-with-sign-in|flow/clear-site-data-over-http"),
            ("flow.cookie-evicted", "flow/cookie-evicted|flow/cookie-evicted-plain-session|flow/cookie-evicted-low-priority|flow/embedded-app-partitioned-chunks"),
            ("flow.session-expired", "flow/session-expires-in-seconds"),
        ] {
            assert_eq!(findings(&r).iter().any(|(_, c)| *c == code), only.split('|').any(|o| o == id), "{id}: {code}? {:?}", findings(&r));
        }
        if id == "flow/silent-sign-in-iframe" {
            let f = &r.findings[0];
            assert_eq!((f.entry, f.finding.severity), (Some(2), Severity::Error));
            assert!(f.finding.detail.contains("the Cookie header the browser recorded lacks it") && f.finding.detail.contains("third-party cookie blocking"), "{}", f.finding.detail);
            assert_eq!(r.first_drop.as_ref().map(|d| (d.entry, d.kind)), Some((2, "not-sent")));
        }
    }
}

/// The recorder's path — entries pushed one at a time into a `FlowAnalysis`, with a summary
/// after every push — ends with the same report as the whole file through `analyze_har`, and
/// each push returns the entry's final replay (nothing later changes an earlier hop).
#[test]
fn incremental_analysis_equals_the_whole_file() {
    use cookie_inspector::flow::{har::parse_har, FlowAnalysis};
    for (id, bytes, verdicts) in fixtures() {
        let whole = analyze(&bytes, &verdicts);
        let har = parse_har(&bytes);
        let mut flow = FlowAnalysis::new(&options(&verdicts));
        flow.cookie_headers_kept(har.cookie_headers_kept);
        let mut pushed = Vec::new();
        let mut summaries = 0;
        for e in &har.entries {
            pushed.push(flow.push(e).cloned().unwrap());
            let summary = flow.summary();
            assert!(summary.entries.is_empty(), "{id}: a summary carries no entries");
            summaries += usize::from(summary.first_drop.is_some());
        }
        let report = flow.report();
        assert_eq!(pushed, whole.entries, "{id}: pushed replays");
        assert_eq!(report.entries, whole.entries, "{id}: entries");
        assert_eq!(report.findings, whole.findings, "{id}: findings");
        assert_eq!(report.first_drop, whole.first_drop, "{id}: first drop");
        assert_eq!(report.headline, whole.headline, "{id}: headline");
        assert_eq!(report.tokens, whole.tokens, "{id}: tokens");
        assert_eq!(report.token_sightings, whole.token_sightings, "{id}: sightings");
        assert_eq!(report.cookies, whole.cookies, "{id}: cookie columns");
        // A drop, once found, is found by every later summary.
        assert!(whole.first_drop.is_none() || summaries > 0, "{id}: the drop shows up live");
    }
}

/// A flow recorded in real Firefox (ESR 153), kept as its DevTools exported it
/// (`tests/differential/record-firefox.mjs`): no `_resourceType` or `_initiator`, no `Sec-Fetch-*`
/// (plain http), `+01:00` times. Firefox's own verdicts are the `Cookie` headers it sent, and the
/// replay must predict each of them, withhold what Firefox withheld, and find the same drop.
#[test]
fn firefox_export_agrees_with_what_firefox_sent() {
    let path = concat!(env!("CARGO_MANIFEST_DIR"), "/tests/fixtures/hars-firefox/oauth-strict-http.har");
    let bytes = std::fs::read(path).unwrap();
    let har: Value = serde_json::from_slice(&bytes).unwrap();
    let r = analyze_har(&bytes, &HarOptions { now: NOW, ..HarOptions::default() });
    assert_eq!(r.creator.as_deref(), Some("Firefox 153.7.0"));
    let raw = har["log"]["entries"].as_array().unwrap();
    assert_eq!(r.entries.len(), raw.len());
    assert!(raw.iter().all(|e| e["startedDateTime"].as_str().unwrap().ends_with("+01:00") && e.get("_resourceType").is_none()));
    let kinds: Vec<RequestKind> = r.entries.iter().map(|e| e.kind).collect();
    use RequestKind::{Fetch, Image, Navigation};
    assert_eq!(kinds, [Navigation, Navigation, Navigation, Navigation, Fetch, Image]);
    assert_eq!(r.entries.iter().map(|e| e.redirected_from).collect::<Vec<_>>(), [None, Some(0), Some(1), Some(2), None, None]);
    // What Firefox sent on each request, read from the export itself, against the prediction.
    for (e, raw) in r.entries.iter().zip(raw) {
        let recorded: Vec<String> = raw["request"]["headers"]
            .as_array()
            .unwrap()
            .iter()
            .filter(|h| h["name"].as_str().unwrap().eq_ignore_ascii_case("cookie"))
            .flat_map(|h| h["value"].as_str().unwrap().split("; ").map(|p| p.split('=').next().unwrap().to_string()).collect::<Vec<_>>())
            .collect();
        let predicted: Vec<String> = e.request.cookies_sent.iter().map(Name::to_string).collect();
        assert_eq!(sorted(predicted), sorted(recorded), "entry {}: {}", e.index, e.url);
        assert!(e.request.mismatches.is_empty() && e.request.preexisting.is_empty(), "entry {}", e.index);
    }
    // Firefox, like Chromium, kept the Strict session home on the chain's last hop.
    let drop = r.first_drop.clone().unwrap();
    assert_eq!((drop.entry, drop.cookie.as_str(), drop.kind, drop.set_by), (3, "session", "withheld", Some(2)));
    assert_eq!(r.entries[4].site, Some(SameSiteContext::Strict), "the dashboard's own fetch is same-site");
    let found: Vec<(Option<usize>, &str)> = r.findings.iter().map(|f| (f.entry, f.finding.code.as_str())).collect();
    assert_eq!(found, [(Some(3), "flow.session-withheld"), (None, "har.other-browser"), (Some(2), "flow.cookie-deleted")]);
}

/// The HAR fixtures replayed with Firefox's rules, against what Firefox sent when it ran the same
/// flows (`tests/fixtures/firefox-cookie-verdicts.json`, recorded by
/// `tests/differential/record-firefox-verdicts.mjs` with its default settings). Each entry's
/// predicted Cookie header (names, in order) must be the one Firefox sent on the same request.
/// An entry from which the page's script deleted a cookie is the one exception the replay cannot
/// see (as in Chromium's case): there the deleted cookie is left out of the comparison.
#[test]
fn har_replay_with_firefox_rules_predicts_what_firefox_sent() {
    use cookie_inspector::cookie::site::Browser;
    let path = concat!(env!("CARGO_MANIFEST_DIR"), "/tests/fixtures/firefox-cookie-verdicts.json");
    let firefox: Value = serde_json::from_str(&std::fs::read_to_string(path).unwrap()).unwrap();
    let mut tally = Tally::default();
    // The same replay with Chromium's rules, which must miss where Firefox differs.
    let mut chromium_rules = Tally::default();
    let mut flows = 0;
    // Flows where Chromium's cache answered a request that Firefox sent to the server.
    let mut parted = 0;
    for ((id, bytes, verdicts), rules) in fixtures().into_iter().flat_map(|f| [(f.clone(), Browser::Firefox), (f, Browser::Chromium)]) {
        let Some(scenario) = firefox["scenarios"].as_array().unwrap().iter().find(|s| s["id"].as_str() == Some(id.as_str())) else {
            panic!("{id}: Firefox did not run it (node --experimental-websocket tests/differential/record-firefox-verdicts.mjs)");
        };
        let tally = if rules == Browser::Firefox {
            flows += 1;
            &mut tally
        } else {
            &mut chromium_rules
        };
        let options = HarOptions { now: NOW, replay: ReplayOptions { third_party_cookies: ThirdPartyCookies::Allowed, browser: Some(rules) }, ..HarOptions::default() };
        let report = analyze_har(&bytes, &options);
        let mut requests: Vec<&Value> = scenario["requests"].as_array().unwrap().iter().collect();
        for e in &report.entries {
            let key = e.url.split(['?', '#']).next().unwrap_or_default();
            if e.from_cache.is_some() {
                // Chromium's cache answered here, and no request went out; Firefox, in the same
                // flow, asked the server (which answered otherwise). The flows part here: what
                // is left of Firefox's is that request, carrying what the jar holds.
                let left: Vec<(&str, &str)> = requests.iter().map(|r| (r["url"].as_str().unwrap_or_default(), r["cookieHeader"].as_str().unwrap_or_default())).collect();
                let jar: Vec<String> = scenario["jar"].as_array().unwrap().iter().map(|c| format!("{}=", c["name"].as_str().unwrap_or_default())).collect();
                assert!(
                    left.len() == 1 && left[0].0 == key && jar.iter().all(|c| left[0].1.contains(c.as_str())),
                    "{id}: after entry {} (from Chromium's cache), Firefox made {left:?}",
                    e.index
                );
                requests.clear();
                parted += 1;
                break;
            }
            let Some(at) = requests.iter().position(|r| r["url"].as_str() == Some(key) && r["method"].as_str() == Some(e.method.as_str())) else {
                panic!("{id}: Firefox made no {} {key}", e.method);
            };
            let header = requests.remove(at)["cookieHeader"].as_str().unwrap_or_default().to_string();
            let theirs: Vec<String> = header.split("; ").filter(|p| !p.is_empty()).map(|p| p.split('=').next().unwrap_or_default().to_string()).collect();
            let deleted = strings(&verdicts["entries"][e.index]["deletedByScript"]);
            let ours: Vec<String> = e.request.cookies_sent.iter().map(|n| n.to_string()).filter(|n| !deleted.contains(n)).collect();
            tally.check(format!("{id} entry {} {} {key}: Cookie header", e.index, e.method), &theirs, &ours);
        }
        // In the redirect loop Firefox follows one redirect more than Chromium before it gives
        // up: a repeat of a request already compared (its page and its Cookie header).
        let compared = |r: &&Value| report.entries.iter().any(|e| e.url.split(['?', '#']).next() == r["url"].as_str());
        if id == "flow/redirect-loop" {
            requests.retain(|r| !compared(r));
        }
        assert!(requests.is_empty(), "{id}: Firefox made requests the HAR lacks: {requests:?}");
    }
    println!("HAR fixtures under Firefox's rules: {}/{} requests agree with {} over {flows} flows", tally.agree, tally.total, firefox["firefox"].as_str().unwrap_or("?"));
    for d in &tally.disagreements {
        println!("  DISAGREE {}", d.replace("Chromium [", "Firefox ["));
    }
    assert!(flows >= 20 && tally.total >= 60, "{flows} flows, {} requests", tally.total);
    assert_eq!(parted, 2, "the cached redirect, under both rules, is where the two browsers' flows part");
    assert!(
        chromium_rules.disagreements.iter().any(|d| d.starts_with("prefix/host-without-path")),
        "Chromium's rules predicted Firefox everywhere: {:?}",
        chromium_rules.disagreements
    );
    assert!(tally.disagreements.is_empty(), "{} disagreements with Firefox (listed above)", tally.disagreements.len());
}
