//! The http-state cookie parser suite (IETF httpstate WG, 222 cases) run through the jar.
//!
//! Each case's `received` lines are stored from `http://home.example.org:8888/cookie-parser?<test>`
//! and the cookies a request to `http://home.example.org:8888/cookie-parser-result?<test>` (or the
//! case's `sent-to`) carries are compared, in order, with `sent`. The suite was written for
//! RFC 6265; where Chromium (and RFC 6265bis) behave differently, the case is listed in
//! `http_state_deviations.json` with the Chromium result and the reason, and the test asserts
//! that we produce exactly that result.

// A test: failing loudly is the point.
#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic, clippy::indexing_slicing)]

use cookie_inspector::cookie::jar::CookieJar;
use cookie_inspector::cookie::site::{RequestContext, ResolvedRequest};
use serde::Deserialize;

const CORPUS: &str = concat!(env!("CARGO_MANIFEST_DIR"), "/../shared/corpora/http-state/parser.json");
const DEVIATIONS: &str = concat!(env!("CARGO_MANIFEST_DIR"), "/tests/http_state_deviations.json");
const NOW: i64 = 1_800_000_000;

#[derive(Deserialize, Debug, Clone, PartialEq, Eq)]
struct NameValue {
    name: String,
    value: String,
}

#[derive(Deserialize)]
struct Case {
    test: String,
    received: Vec<String>,
    sent: Vec<NameValue>,
    #[serde(rename = "sent-to")]
    sent_to: Option<String>,
}

#[derive(Deserialize)]
struct Deviation {
    test: String,
    chromium: Vec<NameValue>,
    why: String,
}

fn read(path: &str) -> String {
    std::fs::read_to_string(path).unwrap_or_else(|e| {
        panic!(
            "cannot read {path}: {e}. The http-state corpus lives in the shared corpora directory \
             checked out beside this repository (shared/corpora/http-state/parser.json)."
        )
    })
}

fn run(case: &Case) -> Vec<NameValue> {
    let mut jar = CookieJar::new();
    let origin = "http://home.example.org:8888";
    let response = ResolvedRequest::resolve(&RequestContext::navigation(&format!(
        "{origin}/cookie-parser?{}",
        case.test
    )))
    .unwrap();
    for line in &case.received {
        jar.set_cookie(line, &response, NOW);
    }
    let target = match &case.sent_to {
        Some(to) if to.starts_with("http") => to.clone(),
        Some(to) => format!("{origin}{to}"),
        None => format!("{origin}/cookie-parser-result?{}", case.test),
    };
    let request = ResolvedRequest::resolve(&RequestContext::navigation(&target)).unwrap();
    jar.cookies_for_request(&request, NOW + 1)
        .sent
        .into_iter()
        .map(|c| NameValue {
            name: c.name,
            value: c.value,
        })
        .collect()
}

#[test]
fn http_state_parser_suite() {
    let cases: Vec<Case> = serde_json::from_str(&read(CORPUS)).unwrap();
    let deviations: Vec<Deviation> = serde_json::from_str(&read(DEVIATIONS)).unwrap();
    assert_eq!(cases.len(), 222, "the corpus should hold 222 cases");
    for d in &deviations {
        assert!(
            cases.iter().any(|c| c.test == d.test),
            "deviation for unknown case {}",
            d.test
        );
        assert!(!d.why.trim().is_empty(), "deviation {} gives no reason", d.test);
    }
    let (mut as_written, mut chromium) = (0, 0);
    let mut failures = Vec::new();
    for case in &cases {
        let got = run(case);
        match deviations.iter().find(|d| d.test == case.test) {
            Some(d) => {
                if got == d.chromium && got != case.sent {
                    chromium += 1;
                } else {
                    failures.push(format!(
                        "{} (listed deviation): got {got:?}, Chromium {:?}, suite {:?}",
                        case.test, d.chromium, case.sent
                    ));
                }
            }
            None if got == case.sent => as_written += 1,
            None => failures.push(format!(
                "{}: received {:?}, got {got:?}, expected {:?}",
                case.test, case.received, case.sent
            )),
        }
    }
    println!(
        "http-state: {as_written}/{} pass as written, {chromium} follow Chromium (listed deviations)",
        cases.len()
    );
    assert!(
        failures.is_empty(),
        "{} failures:\n{}",
        failures.len(),
        failures.join("\n")
    );
    assert_eq!(as_written + chromium, cases.len());
}
