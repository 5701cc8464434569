//! The engine against real Chromium: every scenario recorded by `tests/differential/record.mjs`
//! (`tests/fixtures/chromium-cookie-verdicts.json`) is replayed through the cookie jar, and every
//! verdict — each cookie Chromium listed for a request (sent, or withheld with reasons) and each
//! `Set-Cookie` line (stored, or blocked with reasons) — must match ours, reason for reason.
#![cfg(not(target_arch = "wasm32"))]
#![allow(clippy::unwrap_used, clippy::expect_used, clippy::indexing_slicing, clippy::panic)]

mod common;
use common::Tally;

use cookie_inspector::cookie::jar::CookieJar;
use cookie_inspector::cookie::site::{RequestContext, RequestKind, ResolvedRequest, ThirdPartyCookies};
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
        // The recording runs in Playwright contexts, where third-party cookies are blocked.
        third_party_cookies: ThirdPartyCookies::Blocked,
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
        let mut chains: Vec<Vec<String>> = Vec::new();
        for (i, step) in steps.iter().enumerate() {
            now += 1;
            let url = step["url"].as_str().unwrap_or_default();
            // Redirect hops: the chain of the hop this one came from, plus that hop.
            let chain = match step["redirectedFrom"].as_str() {
                Some(from) => {
                    let prev = (0..i).rev().find(|&j| steps[j]["url"].as_str() == Some(from));
                    let mut c = prev.map(|j| chains[j].clone()).unwrap_or_default();
                    c.push(from.to_string());
                    c
                }
                None => Vec::new(),
            };
            chains.push(chain.clone());
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
