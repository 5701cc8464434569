//! The engine against real Chromium: every scenario recorded by `tests/differential/record.mjs`
//! (`tests/fixtures/chromium-cookie-verdicts.json`) is replayed through the cookie jar, and every
//! verdict — each cookie Chromium listed for a request (sent, or withheld with reasons) and each
//! `Set-Cookie` line (stored, or blocked with reasons) — must match ours, reason for reason.
#![cfg(not(target_arch = "wasm32"))]
#![allow(clippy::unwrap_used, clippy::expect_used, clippy::indexing_slicing, clippy::panic)]

mod common;
use common::Tally;

use cookie_inspector::cookie::jar::CookieJar;
use cookie_inspector::cookie::site::{Browser, RequestContext, RequestKind, ResolvedRequest, ThirdPartyCookies};
use cookie_inspector::cookie::storage::StorageDecision;
use serde_json::Value;

const FIXTURE: &str = concat!(env!("CARGO_MANIFEST_DIR"), "/tests/fixtures/chromium-cookie-verdicts.json");

fn strings(v: &Value) -> Vec<String> {
    v.as_array().map(|a| a.iter().filter_map(|s| s.as_str().map(str::to_string)).collect()).unwrap_or_default()
}

fn sorted(mut v: Vec<String>) -> Vec<String> {
    v.sort();
    v
}

/// The request context Chromium's recording describes.
fn context(step: &Value, chain: Vec<String>) -> RequestContext {
    context_in(step, chain, Browser::Chromium, ThirdPartyCookies::Blocked)
}

/// [`context`] with another browser's rules and third-party setting.
fn context_in(step: &Value, chain: Vec<String>, browser: Browser, third_party_cookies: ThirdPartyCookies) -> RequestContext {
    let top_level = step["topLevel"].as_bool().unwrap_or(true);
    let kind = match (step["resourceType"].as_str().unwrap_or(""), top_level) {
        ("Document", true) => RequestKind::Navigation,
        ("Document", false) => RequestKind::Iframe,
        ("Image" | "Script" | "Stylesheet" | "Font" | "Media", _) => RequestKind::Image,
        _ => RequestKind::Fetch,
    };
    RequestContext {
        url: step["url"].as_str().unwrap_or_default().to_string(),
        method: step["method"].as_str().unwrap_or("GET").to_string(),
        kind,
        initiator: step["initiator"].as_str().map(str::to_string),
        top_level_url: if top_level && kind == RequestKind::Navigation {
            None
        } else {
            step["partitionKey"]["topLevelSite"].as_str().map(str::to_string)
        },
        redirect_chain: chain,
        // Chromium's recording runs in Playwright contexts, where third-party cookies are blocked.
        third_party_cookies,
        browser,
    }
}


#[test]
fn engine_agrees_with_chromium() {
    let text = std::fs::read_to_string(FIXTURE).unwrap_or_else(|e| panic!("{FIXTURE}: {e}"));
    let fixture: Value = serde_json::from_str(&text).unwrap();
    let scenarios = fixture["scenarios"].as_array().unwrap();
    assert!(scenarios.len() >= 50, "the recording has {} scenarios", scenarios.len());
    let mut tally = Tally::default();

    for scenario in scenarios {
        let id = scenario["id"].as_str().unwrap_or("?");
        let mut jar = CookieJar::new();
        // The recording runs in seconds: every cookie is young (Lax-allowing-unsafe applies).
        let mut now = 1_795_420_000i64;
        let steps = scenario["steps"].as_array().unwrap();
        for (i, (step, chain)) in steps.iter().zip(chains(steps)).enumerate() {
            now += 1;
            let url = step["url"].as_str().unwrap_or_default();
            let ctx = context(step, chain);
            let request = match ResolvedRequest::resolve(&ctx) {
                Ok(r) => r,
                Err(e) => panic!("{id} step {i}: cannot resolve {url}: {e}"),
            };

            // Sending: each cookie Chromium considered, by name, in its order.
            let outcome = jar.cookies_for_request(&request, now);
            let mut ours: Vec<(String, Vec<String>)> = outcome.sent.iter().map(|c| (c.name.clone(), Vec::new())).collect();
            ours.extend(outcome.withheld.iter().map(|w| (w.name.clone(), sorted(w.reason_list().iter().map(|r| r.as_str().to_string()).collect()))));
            let chromium: Vec<(String, Vec<String>)> = step["cookies"]
                .as_array()
                .unwrap()
                .iter()
                .map(|c| (c["name"].as_str().unwrap_or_default().to_string(), sorted(strings(&c["reasons"]))))
                .collect();
            for (name, reasons) in &chromium {
                let position = ours.iter().position(|(n, _)| n == name);
                let mine = position.map(|p| ours.remove(p).1);
                tally.check(
                    format!("{id} step {i} {} {url}: cookie {name:?}", step["method"].as_str().unwrap_or("")),
                    reasons,
                    &mine.unwrap_or_else(|| vec!["(not listed)".into()]),
                );
            }
            for (name, reasons) in ours {
                tally.check(format!("{id} step {i} {url}: cookie {name:?} (we list, Chromium does not)"), &["(not listed)".into()], &reasons);
            }
            // The Cookie header order.
            let chromium_sent: Vec<String> = chromium.iter().filter(|(_, r)| r.is_empty()).map(|(n, _)| n.clone()).collect();
            let ours_sent: Vec<String> = outcome.sent.iter().map(|c| c.name.clone()).collect();
            if chromium_sent.len() > 1 {
                tally.check(format!("{id} step {i} {url}: Cookie header order"), &chromium_sent, &ours_sent);
            }

            // Storing: each Set-Cookie line of the response.
            let blocked = step["blockedSetCookies"].as_array().unwrap();
            for line in strings(&step["setCookie"]) {
                let set = jar.set_cookie(&line, &request, now);
                let mine = match &set.storage.decision {
                    StorageDecision::Rejected(reasons) => sorted(reasons.iter().map(|r| r.as_str().to_string()).collect()),
                    _ => Vec::new(),
                };
                let theirs = blocked
                    .iter()
                    .find(|b| b["line"].as_str() == Some(line.as_str()))
                    .map(|b| sorted(strings(&b["reasons"])))
                    .unwrap_or_default();
                tally.check(format!("{id} step {i} {url}: Set-Cookie {line:?}"), &theirs, &mine);
            }
        }
    }

    println!(
        "differential: {}/{} verdicts agree with Chromium {} ({:.1}%)",
        tally.agree,
        tally.total,
        fixture["chromium"].as_str().unwrap_or("?"),
        100.0 * tally.agree as f64 / tally.total.max(1) as f64
    );
    for d in &tally.disagreements {
        println!("  DISAGREE {d}");
    }
    assert!(tally.total >= 200, "only {} verdicts compared", tally.total);
    assert!(tally.disagreements.is_empty(), "{} disagreements with Chromium (listed above)", tally.disagreements.len());
}

const FIREFOX_FIXTURE: &str = concat!(env!("CARGO_MANIFEST_DIR"), "/tests/fixtures/firefox-cookie-verdicts.json");

/// The redirect chain of every step: the chain of the hop it came from, plus that hop.
fn chains(steps: &[Value]) -> Vec<Vec<String>> {
    let mut chains: Vec<Vec<String>> = Vec::new();
    for (i, step) in steps.iter().enumerate() {
        let chain = match step["redirectedFrom"].as_str() {
            Some(from) => {
                let prev = (0..i).rev().find(|&j| steps[j]["url"].as_str() == Some(from));
                let mut c = prev.map(|j| chains[j].clone()).unwrap_or_default();
                c.push(from.to_string());
                c
            }
            None => Vec::new(),
        };
        chains.push(chain);
    }
    chains
}

/// `scheme://host:port/path` of a URL (the server's key for a request).
fn key_of(url: &str) -> &str {
    url.split(['?', '#']).next().unwrap_or(url)
}

/// The engine with Firefox's rules against real Firefox (`tests/differential/record-firefox-verdicts.mjs`):
/// the same scenarios, played in Firefox 153 with its default settings (Total Cookie Protection).
/// Firefox reports no reasons, so its verdicts are what it did: the `Cookie` header of every
/// request (as the server received it), and the cookies its jar held at the end. Each request's
/// context comes from Chromium's recording of the same scenario (same pages, same server).
#[test]
fn engine_with_firefox_rules_agrees_with_firefox() {
    let chromium: Value = serde_json::from_str(&std::fs::read_to_string(FIXTURE).unwrap()).unwrap();
    let firefox: Value = serde_json::from_str(&std::fs::read_to_string(FIREFOX_FIXTURE).unwrap()).unwrap();
    let recorded = chromium["scenarios"].as_array().unwrap();
    let scenarios = firefox["scenarios"].as_array().unwrap();
    assert!(scenarios.len() >= 99, "the Firefox recording has {} scenarios", scenarios.len());
    let mut tally = Tally::default();
    // Where Firefox did not do what Chromium did: the verdicts that test the Firefox rules.
    let mut differs_from_chromium = 0;
    for scenario in scenarios {
        let id = scenario["id"].as_str().unwrap_or("?");
        let Some(steps) = recorded.iter().find(|s| s["id"] == scenario["id"]).and_then(|s| s["steps"].as_array()) else {
            // The flows only the HAR fixtures have: their contexts are in the HARs, and
            // tests/har_fixtures.rs replays those with Firefox's rules against these verdicts.
            assert!(id.starts_with("flow/") || id.starts_with("token/"), "{id}: not in Chromium's recording");
            continue;
        };
        let mut requests: Vec<&Value> = scenario["requests"].as_array().unwrap().iter().collect();
        let chains = chains(steps);
        let mut jar = CookieJar::new();
        let mut now = 1_795_420_000i64;
        for (i, (step, chain)) in steps.iter().zip(chains).enumerate() {
            now += 1;
            if step["error"].is_string() {
                continue;
            }
            let url = step["url"].as_str().unwrap_or_default();
            let method = step["method"].as_str().unwrap_or("GET");
            let ctx = context_in(step, chain, Browser::Firefox, ThirdPartyCookies::Allowed);
            let request = ResolvedRequest::resolve(&ctx).unwrap_or_else(|e| panic!("{id} step {i}: {e}"));
            let Some(at) = requests.iter().position(|r| r["url"].as_str() == Some(key_of(url)) && r["method"].as_str() == Some(method)) else {
                panic!("{id} step {i}: Firefox made no {method} {url}");
            };
            let theirs = requests.remove(at)["cookieHeader"].as_str().unwrap_or_default().to_string();
            let ours = jar.cookies_for_request(&request, now).header;
            let chromium_sent = step["cookieHeader"].as_str().unwrap_or_default();
            if theirs != chromium_sent {
                differs_from_chromium += 1;
            }
            tally.check(format!("{id} step {i} {method} {url}: Cookie header"), &[theirs], &[ours]);
            for line in strings(&step["setCookie"]) {
                jar.set_cookie(&line, &request, now);
            }
        }
        assert!(requests.is_empty(), "{id}: Firefox made requests Chromium did not: {requests:?}");
        // The jar at the end: name and domain (a leading dot for a domain cookie, as Firefox
        // writes it).
        let mut ours: Vec<String> = jar
            .cookies()
            .iter()
            .filter(|c| !c.is_expired(now))
            .map(|c| format!("{}@{}{}", c.name(), if c.host_only { "" } else { "." }, c.domain()))
            .collect();
        ours.sort();
        let mut theirs: Vec<String> = scenario["jar"]
            .as_array()
            .unwrap()
            .iter()
            .map(|c| format!("{}@{}", c["name"].as_str().unwrap_or_default(), c["domain"].as_str().unwrap_or_default()))
            .collect();
        theirs.sort();
        tally.check(format!("{id}: the jar at the end"), &theirs, &ours);
    }
    println!(
        "differential (Firefox): {}/{} verdicts agree with {} ({:.1}%); Firefox did otherwise than Chromium on {differs_from_chromium} requests",
        tally.agree,
        tally.total,
        firefox["firefox"].as_str().unwrap_or("?"),
        tally.percent()
    );
    for d in &tally.disagreements {
        println!("  DISAGREE {}", d.replace("Chromium [", "Firefox ["));
    }
    assert!(tally.total >= 300, "only {} verdicts compared", tally.total);
    assert!(differs_from_chromium >= 5, "the recording shows only {differs_from_chromium} differences from Chromium");
    assert!(tally.disagreements.is_empty(), "{} disagreements with Firefox (listed above)", tally.disagreements.len());
}

/// Chromium's rules do not predict Firefox: the same replay with them must miss the requests
/// where Firefox differs (so the test above tests the Firefox rules, not luck).
#[test]
fn chromium_rules_do_not_predict_firefox() {
    let chromium: Value = serde_json::from_str(&std::fs::read_to_string(FIXTURE).unwrap()).unwrap();
    let firefox: Value = serde_json::from_str(&std::fs::read_to_string(FIREFOX_FIXTURE).unwrap()).unwrap();
    let mut missed = Vec::new();
    for scenario in firefox["scenarios"].as_array().unwrap() {
        let id = scenario["id"].as_str().unwrap_or("?");
        let Some(steps) = chromium["scenarios"].as_array().unwrap().iter().find(|s| s["id"] == scenario["id"]).and_then(|s| s["steps"].as_array()) else {
            continue; // a HAR-only flow (see above)
        };
        let mut requests: Vec<&Value> = scenario["requests"].as_array().unwrap().iter().collect();
        let mut jar = CookieJar::new();
        let mut now = 1_795_420_000i64;
        for (step, chain) in steps.iter().zip(chains(steps)) {
            now += 1;
            if step["error"].is_string() {
                continue;
            }
            let url = step["url"].as_str().unwrap_or_default();
            let request = ResolvedRequest::resolve(&context_in(step, chain, Browser::Chromium, ThirdPartyCookies::Allowed)).unwrap();
            let at = requests.iter().position(|r| r["url"].as_str() == Some(key_of(url)) && r["method"] == step["method"]).unwrap();
            let theirs = requests.remove(at)["cookieHeader"].as_str().unwrap_or_default().to_string();
            if jar.cookies_for_request(&request, now).header != theirs {
                missed.push(format!("{id} {url}"));
            }
            for line in strings(&step["setCookie"]) {
                jar.set_cookie(&line, &request, now);
            }
        }
    }
    for needle in ["samesite-strict/http-to-https-link", "prefix/host-without-path", "syntax/no-equals", "syntax/empty-name"] {
        assert!(missed.iter().any(|m| m.starts_with(needle)), "Chromium's rules predicted Firefox on {needle}: {missed:?}");
    }
}
