//! Hostile input, bounded: random bytes and mutations of real inputs through every entry point.
//! The core must return a report for each — a panic here is a wasm trap in the page and panel.
//! Deterministic (seeded), so a failure reproduces; the fuzz targets of the hardening work go
//! further, this keeps a regression from reaching CI unnoticed.
#![allow(clippy::unwrap_used, clippy::expect_used, clippy::indexing_slicing, clippy::panic)]

mod common;
use common::Rng;

use cookie_inspector::cookie::analyze_set_cookie;
use cookie_inspector::cookie::whatif::{NextRequest, Preset};
use cookie_inspector::flow::{analyze_har, HarOptions};
use cookie_inspector::jose::{analyze_token, TokenOptions};


/// Characters that matter to the parsers: separators, quotes, escapes, controls, bidi, digits.
const SPICE: &[&str] = &[".", "=", ";", ",", "\"", "\\", "\n", "\r", "\0", "\u{7f}", "\u{202e}", "é", "%", "{", "}", "[", "]", ":", "-", "_", "9", "0", " ", "\t", "=="];

fn mutate(rng: &mut Rng, seed: &str) -> String {
    let mut s: Vec<char> = seed.chars().collect();
    for _ in 0..1 + rng.below(6) {
        let at = rng.below(s.len() + 1);
        match rng.below(5) {
            0 if !s.is_empty() => {
                s.truncate(at);
            }
            1 if at < s.len() => {
                s.remove(at);
            }
            2 => {
                let spice: Vec<char> = SPICE[rng.below(SPICE.len())].chars().collect();
                for (k, c) in spice.into_iter().enumerate() {
                    s.insert((at + k).min(s.len()), c);
                }
            }
            3 if at < s.len() => {
                s[at] = char::from_u32((rng.next() % 0x3000) as u32).unwrap_or('x');
            }
            _ => {
                let copy: Vec<char> = s.iter().skip(at).take(rng.below(40)).copied().collect();
                let to = rng.below(s.len() + 1);
                for (k, c) in copy.into_iter().enumerate() {
                    s.insert((to + k).min(s.len()), c);
                }
            }
        }
    }
    s.into_iter().collect()
}

fn random_bytes(rng: &mut Rng) -> Vec<u8> {
    (0..rng.below(400)).map(|_| (rng.next() & 0xff) as u8).collect()
}

const TOKEN: &str = "Cookie: a=1; session=eyJhbGciOiJIUzI1NiIsInR5cCI6IkpXVCJ9.eyJzdWIiOiIxIiwiaWF0IjoxNzk1NDIwMDAwLCJleHAiOjE3OTU0MjAwMDAwMDAsImF1ZCI6WyJhIl19.c2ln";
const JWE: &str = "eyJhbGciOiJkaXIiLCJlbmMiOiJBMjU2R0NNIn0..AAAAAAAAAAAAAAAA.Y2lwaGVydGV4dA.dGFndGFndGFndGFn";
const LINES: &str = "session=abc; Path=/; Secure; HttpOnly; SameSite=Strict; Max-Age=3600\n__Host-x=1; Domain=app.example.com; Expires=Wed, 21 Oct 2099 07:28:00 GMT\nSet-Cookie: y=\"q\"; SameSite=None; Partitioned; Path=/api";
const HAR: &str = r#"{"log":{"version":"1.2","entries":[{"startedDateTime":"2026-11-23T10:00:00.000Z","time":5,"request":{"method":"POST","url":"https://app.test/callback","headers":[{"name":"Origin","value":"https://idp.test"},{"name":"Cookie","value":"a=1"}],"postData":{"mimeType":"x","text":"refresh_token=1"}},"response":{"status":302,"headers":[{"name":"Set-Cookie","value":"s=1; SameSite=Strict; Secure\nt=2"}],"redirectURL":"/d","content":{"mimeType":"application/json","text":"{\"access_token\":\"eyJhbGciOiJub25lIn0.eyJzdWIiOjF9.\"}"}},"_resourceType":"document"},{"startedDateTime":"2026-11-23T10:00:00.100Z","request":{"method":"GET","url":"https://app.test/d","headers":[]},"response":{"status":200,"headers":[]},"_resourceType":"fetch"}]}}"#;

#[test]
fn token_analysis_survives_hostile_input() {
    let mut rng = Rng(0x5eed_0001);
    for i in 0..20_000 {
        let input = match i % 3 {
            0 => mutate(&mut rng, TOKEN),
            1 => mutate(&mut rng, JWE),
            _ => String::from_utf8_lossy(&random_bytes(&mut rng)).into_owned(),
        };
        let secret = (i % 2 == 0).then(|| mutate(&mut rng, "base64:c2VjcmV0"));
        let report = analyze_token(&input, &TokenOptions { now: (rng.next() % 4_000_000_000) as f64, secret });
        assert_eq!(report.counts.error + report.counts.warning + report.counts.info, report.findings.len());
    }
}

#[test]
fn set_cookie_analysis_survives_hostile_input() {
    let mut rng = Rng(0x5eed_0002);
    let nexts = [NextRequest::SameSiteLink, NextRequest::CrossSiteFormPost, NextRequest::OauthRedirectBack, NextRequest::CrossSiteIframe];
    for i in 0..10_000 {
        let lines = if i % 4 == 3 { String::from_utf8_lossy(&random_bytes(&mut rng)).into_owned() } else { mutate(&mut rng, LINES) };
        let preset = Preset {
            response_url: mutate(&mut rng, "https://app.example.com/api/auth/callback"),
            next: nexts[i % nexts.len()],
            next_after_seconds: (rng.next() % 1000) as f64 - 10.0,
            ..Preset::default()
        };
        let report = analyze_set_cookie(&lines, &preset.context(), 1_795_420_000.0);
        assert!(report.lines.len() <= lines.split('\n').count());
    }
}

#[test]
fn har_analysis_survives_hostile_input() {
    let mut rng = Rng(0x5eed_0003);
    for i in 0..10_000 {
        let bytes = if i % 5 == 4 { random_bytes(&mut rng) } else { mutate(&mut rng, HAR).into_bytes() };
        let report = analyze_har(&bytes, &HarOptions { now: 1_795_420_000.0, ..HarOptions::default() });
        assert!(report.entries.len() <= 2);
        assert!(!report.headline.is_empty());
    }
}

/// The panel's paths: hostile entries pushed one by one, a decisions-only jar, and the jar and
/// web-storage audits fed mutated extension objects.
#[test]
fn panel_paths_survive_hostile_input() {
    use cookie_inspector::cookie::audit::{audit_jar, BrowserCookie};
    use cookie_inspector::cookie::jar::CookieJar;
    use cookie_inspector::cookie::parse::Detail;
    use cookie_inspector::cookie::site::{RequestContext, ResolvedRequest};
    use cookie_inspector::flow::{har::Entry, FlowAnalysis};
    use cookie_inspector::web_storage::{audit_storage, StorageItem};
    let mut rng = Rng(0x5eed_0004);
    let entry = r#"{"startedDateTime":"2026-11-23T10:00:00.000Z","time":5,"request":{"method":"GET","url":"https://app.test/callback","headers":[{"name":"Cookie","value":"a=1; s=eyJhbGciOiJIUzI1NiJ9.eyJleHAiOjF9.c2ln"}]},"response":{"status":302,"headers":[{"name":"Set-Cookie","value":"s=1; SameSite=Strict; Secure"}],"redirectURL":"/d"},"_resourceType":"document"}"#;
    let mut flow = FlowAnalysis::new(&HarOptions { now: 1_795_420_000.0, ..HarOptions::default() });
    let mut lean = CookieJar::with_detail(Detail::DecisionsOnly);
    for i in 0..5_000 {
        let text = mutate(&mut rng, entry);
        if let Ok(e) = serde_json::from_str::<Entry<'_>>(&text) {
            flow.push(&e);
        }
        if i % 50 == 0 {
            let summary = flow.summary();
            assert!(!summary.headline.is_empty());
        }
        let url = mutate(&mut rng, "https://app.example.com/cb");
        if let Ok(r) = ResolvedRequest::resolve(&RequestContext::navigation(&url)) {
            lean.set_cookie(&mutate(&mut rng, LINES), &r, 1_795_420_000);
            lean.cookies_for_request(&r, 1_795_420_000);
        }
        let cookie = BrowserCookie {
            name: mutate(&mut rng, "next-auth.session-token.0"),
            value: mutate(&mut rng, "base64-eyJhY2Nlc3NfdG9rZW4iOiJleUpoYkdjaU9pSklVekkxTmlKOS5leUp6ZFdJaU9pSXhJbjAuYzJsbiJ9"),
            domain: mutate(&mut rng, ".app.test"),
            same_site: mutate(&mut rng, "strict"),
            ..BrowserCookie::default()
        };
        let jar = audit_jar(&[cookie.clone(), cookie], (rng.next() % 4_000_000_000) as f64, &cookie_inspector::jose::KeyOptions { secrets: vec!["s".into()], cookie_name: None });
        assert_eq!(jar.rows.len(), 2);
        let item = StorageItem { area: "localStorage".into(), origin: "https://app.test".into(), key: "k".into(), value: mutate(&mut rng, r#"{"access_token":"eyJhbGciOiJIUzI1NiJ9.eyJleHAiOjF9.c2ln","refresh_token":"r"}"#) };
        audit_storage(&[item], 1_795_420_000.0);
    }
    assert_eq!(flow.report().entries.len(), flow.len());
}
