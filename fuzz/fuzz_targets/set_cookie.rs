//! `Set-Cookie` lines through the parser, the storage model and the jar, in both levels of detail.
//!
//! Input: one flag byte, then text (invalid UTF-8 replaced). The text's first line holds up to
//! three URLs separated by spaces — the response URL, the next request's URL, its initiator —
//! and every further line is one `Set-Cookie` value received in that response. The flag byte
//! picks the next request's kind, method, redirect chain and delay, and the third-party setting.
//!
//! Checked besides "never panics":
//! - `parse_line` (a decision's parse) reads the same cookie as the report parse;
//! - `storage::decide` gives the jar's own decision for each line, with both details;
//! - a `Report` jar and a `DecisionsOnly` jar store, replace, evict and send identically;
//! - the `Cookie` header is exactly the sent cookies, and a cookie is sent iff it has no
//!   blocked reason (so a withheld cookie never reaches the header).
#![no_main]

use cookie_inspector::cookie::jar::CookieJar;
use cookie_inspector::cookie::WhatIfContext;
use cookie_inspector::cookie::analyze_set_cookie;
use cookie_inspector::finding::Code;
use cookie_inspector::cookie::parse::{parse_line, parse_set_cookie, CookieLine, Detail, SetCookie};
use cookie_inspector::cookie::retrieval::{blocked_reasons, RetrievalOutcome};
use cookie_inspector::cookie::site::{Browser, RequestContext, RequestKind, ResolvedRequest, ThirdPartyCookies};
use cookie_inspector::cookie::storage::{decide, decide_line, StoredCookie};
use libfuzzer_sys::fuzz_target;

/// 2026-11-20T…: an instant near the fixtures' own.
const NOW: i64 = 1_795_420_000;

fn same_parse(full: &SetCookie, lean: &CookieLine<'_>) {
    let mut view = full.line();
    // Only the Domain as written may differ: a report quotes it while it lists the attribute.
    assert_eq!(view.domain(), lean.domain());
    if full.attributes.len() >= full.attribute_count {
        assert_eq!(view.domain_verbatim(), lean.domain_verbatim());
    }
    view.domain = lean.domain.clone();
    assert_eq!(&view, lean);
}

fn check_retrieval(jar: &[StoredCookie], request: &ResolvedRequest, now: i64, out: &RetrievalOutcome) {
    let header = out
        .sent
        .iter()
        .map(|c| if c.name.is_empty() { c.value.clone() } else { format!("{}={}", c.name, c.value) })
        .collect::<Vec<_>>()
        .join("; ");
    assert_eq!(out.header, header);
    // Sent exactly when no reason blocks it (a host-only and a domain cookie may share name,
    // domain and path, so compare as multisets).
    let mut expected: Vec<(&str, &str, &str, &str)> = jar
        .iter()
        .filter(|c| !c.is_expired(now) && c.partition_key.as_ref().is_none_or(|k| request.in_partition(k)))
        .filter(|c| blocked_reasons(c, request, now).0.is_empty())
        .map(|c| (c.name(), c.value(), c.domain(), c.path()))
        .collect();
    let mut sent: Vec<(&str, &str, &str, &str)> =
        out.sent.iter().map(|c| (c.name.as_str(), c.value.as_str(), c.domain.as_str(), c.path.as_str())).collect();
    expected.sort_unstable();
    sent.sort_unstable();
    assert_eq!(expected, sent);
    for w in &out.withheld {
        assert!(!w.reasons.is_empty());
    }
    assert!(out.sent.len() + out.withheld.len() <= jar.len());
}

fuzz_target!(|data: &[u8]| {
    let Some((&flags, rest)) = data.split_first() else { return };
    let text = String::from_utf8_lossy(rest);
    let (first, lines) = text.split_once('\n').unwrap_or((&text, ""));
    let mut urls = first.split(' ');
    let response_url = urls.next().unwrap_or_default();
    let next_url = urls.next().unwrap_or(response_url);
    let initiator = urls.next();

    // Both browsers' rules, chosen by the input's length (every flag bit is taken).
    let browser = if rest.len() % 2 == 1 { Browser::Firefox } else { Browser::Chromium };
    let response = RequestContext { initiator: initiator.map(str::to_string), browser, ..RequestContext::navigation(response_url) };
    let next = RequestContext {
        url: next_url.to_string(),
        method: if flags & 0x04 != 0 { "POST".into() } else { "GET".into() },
        kind: match flags & 0x03 {
            0 => RequestKind::Navigation,
            1 => RequestKind::Iframe,
            2 => RequestKind::Fetch,
            _ => RequestKind::Image,
        },
        initiator: initiator.map(str::to_string),
        top_level_url: (flags & 0x08 != 0).then(|| response_url.to_string()),
        redirect_chain: if flags & 0x10 != 0 { vec![response_url.to_string()] } else { Vec::new() },
        third_party_cookies: match (flags >> 5) & 0x03 {
            1 => ThirdPartyCookies::Blocked,
            2 => ThirdPartyCookies::Phaseout,
            _ => ThirdPartyCookies::Allowed,
        },
        browser,
    };
    let later = NOW + if flags & 0x80 != 0 { 500 } else { 30 };

    // The page's report, with the other browser's rules compared line by line.
    let what_if = WhatIfContext { response: response.clone(), next_request: Some(next.clone()), next_request_after_seconds: (later - NOW) as f64 };
    let report = analyze_set_cookie(lines, &what_if, NOW as f64);
    for line in &report.lines {
        assert!(line.findings.iter().filter(|f| f.code == Code::CookieBrowserDifference).count() <= 1);
    }

    let resolved = ResolvedRequest::resolve(&response).ok();
    let mut full_jar = CookieJar::with_detail(Detail::Report);
    let mut lean_jar = CookieJar::with_detail(Detail::DecisionsOnly);
    for line in lines.split('\n') {
        let full = parse_set_cookie(line);
        let lean = parse_line(line);
        same_parse(&full, &lean);
        let Some(request) = resolved.as_ref() else { continue };
        full_jar.purge_expired(NOW);
        lean_jar.purge_expired(NOW);
        assert_eq!(full_jar.cookies(), lean_jar.cookies());
        let decided = decide(&full, request, full_jar.cookies(), NOW);
        let decided_lean = decide_line(&lean, request, lean_jar.cookies(), NOW, Detail::DecisionsOnly);
        assert_eq!(decided.decision, decided_lean.decision);
        assert!(decided_lean.findings.is_empty());

        let a = full_jar.set_cookie(line, request, NOW);
        let b = lean_jar.set_cookie(line, request, NOW);
        assert_eq!(a.storage.decision, decided.decision);
        assert_eq!(a.storage.decision, b.storage.decision);
        assert_eq!(a.storage.cookie, b.storage.cookie);
        assert_eq!(a.replaced_existing, b.replaced_existing);
        assert_eq!(a.evicted, b.evicted);
        assert!(b.storage.findings.is_empty());
        assert_eq!(full_jar.cookies(), lean_jar.cookies());
    }
    if resolved.is_none() {
        return;
    }
    let mut requests = vec![(resolved, NOW)];
    requests.push((ResolvedRequest::resolve(&next).ok(), later));
    for (request, now) in requests.iter().filter_map(|(r, now)| r.as_ref().map(|r| (r, *now))) {
        let jar: Vec<StoredCookie> = full_jar.cookies().to_vec();
        let a = full_jar.cookies_for_request(request, now);
        let b = lean_jar.cookies_for_request(request, now);
        assert_eq!(a, b);
        check_retrieval(&jar, request, now, &a);
        assert_eq!(full_jar.cookies(), lean_jar.cookies());
    }
});
