//! Properties that hold for every input, checked on generated ones (proptest, bounded and seeded:
//! the same cases every run, the whole file in seconds). The fuzz targets (`fuzz/`) check the same
//! properties on far more inputs; these keep them in `cargo test`.
#![cfg(not(target_arch = "wasm32"))]
#![allow(clippy::unwrap_used, clippy::expect_used, clippy::indexing_slicing, clippy::panic)]

use base64::engine::general_purpose::URL_SAFE_NO_PAD;
use base64::Engine;
use cookie_inspector::cookie::jar::CookieJar;
use cookie_inspector::cookie::parse::{parse_line, parse_set_cookie, Detail, SameSite};
use cookie_inspector::cookie::retrieval::{blocked_reasons, RetrievalOutcome};
use cookie_inspector::cookie::site::{RequestContext, RequestKind, ResolvedRequest, ThirdPartyCookies};
use cookie_inspector::cookie::storage::{StorageDecision, StoredCookie};
use cookie_inspector::flow::har::{parse_har, Entry};
use cookie_inspector::flow::{analyze_har, Counts, FlowAnalysis, HarOptions};
use cookie_inspector::jose::signature::SignatureStatus;
use cookie_inspector::jose::{analyze_token, TokenKind, TokenOptions, TokenReport};
use cookie_inspector::time::days_from_civil;
use hmac::{Hmac, Mac};
use proptest::prelude::*;
use proptest::test_runner::RngSeed;
use serde_json::json;

const NOW: i64 = 1_795_420_000;

fn config(cases: u32) -> ProptestConfig {
    ProptestConfig { cases, failure_persistence: None, rng_seed: RngSeed::Fixed(0x5eed_0005), ..ProptestConfig::default() }
}

// ---- Set-Cookie lines ------------------------------------------------------------------------

/// One attribute of a generated line, with the value the parser must end up with.
#[derive(Debug, Clone)]
enum Attr {
    Path(String),
    /// As written (case, leading dot), and the normalised value.
    Domain(String, String),
    MaxAge(i64),
    /// As written, and the instant it names.
    Expires(String, i64),
    Secure,
    HttpOnly,
    Partitioned,
    SameSite(SameSite),
}

/// An attribute name in random case.
fn spelled(name: &'static str) -> impl Strategy<Value = String> {
    proptest::collection::vec(any::<bool>(), name.len()).prop_map(move |upper| {
        name.chars().zip(upper).map(|(c, u)| if u { c.to_ascii_uppercase() } else { c.to_ascii_lowercase() }).collect()
    })
}

fn attr() -> impl Strategy<Value = (String, Attr)> {
    const WEEKDAYS: [&str; 7] = ["Mon", "Tue", "Wed", "Thu", "Fri", "Sat", "Sun"];
    const MONTHS: [&str; 12] = ["Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec"];
    let ws = "[ \t]{0,2}";
    prop_oneof![
        (spelled("Path"), "/[a-z0-9/_-]{0,10}").prop_map(|(n, p)| (format!("{n}={p}"), Attr::Path(p))),
        (spelled("Domain"), any::<bool>(), "[a-zA-Z]{1,8}\\.(com|test|example)").prop_map(|(n, dot, d)| {
            let written = if dot { format!(".{d}") } else { d.clone() };
            (format!("{n}={written}"), Attr::Domain(written, d.to_ascii_lowercase()))
        }),
        (spelled("Max-Age"), -1_000_000_i64..2_000_000_000).prop_map(|(n, s)| (format!("{n}={s}"), Attr::MaxAge(s))),
        (spelled("Expires"), 1970_i64..2200, 0_u8..12, 1_u8..=28, 0_i64..24, 0_i64..60, 0_i64..60, 0_usize..7).prop_map(
            |(n, y, m, d, hh, mm, ss, wd)| {
                let text = format!("{}, {d:02} {} {y} {hh:02}:{mm:02}:{ss:02} GMT", WEEKDAYS[wd], MONTHS[usize::from(m)]);
                let at = days_from_civil(y, m + 1, d) * 86_400 + hh * 3600 + mm * 60 + ss;
                (format!("{n}={text}"), Attr::Expires(text, at))
            }
        ),
        spelled("Secure").prop_map(|n| (n, Attr::Secure)),
        spelled("HttpOnly").prop_map(|n| (n, Attr::HttpOnly)),
        spelled("Partitioned").prop_map(|n| (n, Attr::Partitioned)),
        (spelled("SameSite"), prop_oneof![
            spelled("Strict").prop_map(|v| (v, SameSite::Strict)),
            spelled("Lax").prop_map(|v| (v, SameSite::Lax)),
            spelled("None").prop_map(|v| (v, SameSite::None)),
            "[a-z]{1,6}".prop_filter("not a keyword", |v| !["strict", "lax", "none"].contains(&v.as_str())).prop_map(|v| (v, SameSite::Unspecified)),
        ])
            .prop_map(|(n, (v, s))| (format!("{n}={v}"), Attr::SameSite(s))),
    ]
    .prop_flat_map(move |(text, attr)| (ws, Just(text), ws, Just(attr)))
    .prop_map(|(before, text, after, attr)| (format!("{before}{text}{after}"), attr))
}

/// RFC 6265bis cookie-name (a token) and cookie-value (cookie-octets) characters.
const NAME: &str = "[A-Za-z0-9!#$%&'*+.^_`|~-]{1,16}";
const VALUE: &str = "[!#-+\\--:<-\\[\\]-~]{0,24}";

fn line() -> impl Strategy<Value = (String, String, String, Vec<Attr>)> {
    (NAME, VALUE, proptest::collection::vec(attr(), 0..6)).prop_map(|(name, value, attrs)| {
        let mut line = format!("{name}={value}");
        for (text, _) in &attrs {
            line.push(';');
            line.push_str(text);
        }
        (line, name, value, attrs.into_iter().map(|(_, a)| a).collect())
    })
}

/// A line that is either well-formed or anything at all (controls, separators, non-ASCII).
fn any_line() -> impl Strategy<Value = String> {
    prop_oneof![3 => line().prop_map(|l| l.0), 1 => "[ -~\t\r\0\u{7f}é]{0,60}"]
}

proptest! {
    #![proptest_config(config(1024))]

    /// A line built from a valid name, value and attributes parses back to exactly them: the
    /// last of each repeated attribute wins, names in any case, whitespace trimmed.
    #[test]
    fn set_cookie_line_round_trips((line, name, value, attrs) in line()) {
        let parsed = parse_set_cookie(&line);
        prop_assert_eq!(parsed.problem, None);
        prop_assert_eq!(&parsed.name, &name);
        prop_assert_eq!(&parsed.value, &value);
        prop_assert!(parsed.has_equals);
        let last = |f: &dyn Fn(&Attr) -> bool| attrs.iter().rev().find(|a| f(a)).cloned();
        match last(&|a| matches!(a, Attr::Path(_))) {
            Some(Attr::Path(p)) => prop_assert_eq!(parsed.path(), Some(p.as_str())),
            _ => prop_assert!(parsed.path.is_none()),
        }
        match last(&|a| matches!(a, Attr::Domain(..))) {
            Some(Attr::Domain(written, normal)) => {
                prop_assert_eq!(parsed.domain(), Some(normal.as_str()));
                prop_assert_eq!(parsed.domain_verbatim(), Some(written.as_str()));
            }
            _ => prop_assert!(parsed.domain.is_none()),
        }
        match last(&|a| matches!(a, Attr::MaxAge(_))) {
            Some(Attr::MaxAge(s)) => prop_assert_eq!(parsed.max_age.as_ref().map(|a| a.value), Some(Some(s))),
            _ => prop_assert!(parsed.max_age.is_none()),
        }
        match last(&|a| matches!(a, Attr::Expires(..))) {
            Some(Attr::Expires(text, at)) => {
                let expires = parsed.expires.as_ref().unwrap();
                prop_assert_eq!(expires.value, Some(at), "{}", text);
            }
            _ => prop_assert!(parsed.expires.is_none()),
        }
        match last(&|a| matches!(a, Attr::SameSite(..))) {
            Some(Attr::SameSite(s)) => prop_assert_eq!(parsed.same_site(), s),
            _ => prop_assert_eq!(parsed.same_site(), SameSite::Unspecified),
        }
        prop_assert_eq!(parsed.secure, attrs.iter().any(|a| matches!(a, Attr::Secure)));
        prop_assert_eq!(parsed.http_only, attrs.iter().any(|a| matches!(a, Attr::HttpOnly)));
        prop_assert_eq!(parsed.partitioned, attrs.iter().any(|a| matches!(a, Attr::Partitioned)));
        prop_assert_eq!(parsed.attribute_count, attrs.len());
    }

    /// A cookie set with `Path=/; Secure; HttpOnly` by an https response (which satisfies every
    /// name prefix) is stored and comes back in the next request's Cookie header as `name=value`.
    #[test]
    fn stored_cookie_comes_back_as_sent(name in NAME, value in VALUE, same_site in "(Strict|Lax|None)") {
        let request = ResolvedRequest::resolve(&RequestContext::navigation("https://app.example.com/account")).unwrap();
        let mut jar = CookieJar::new();
        let set = jar.set_cookie(&format!("{name}={value}; Path=/; Secure; HttpOnly; SameSite={same_site}"), &request, NOW);
        prop_assert_eq!(&set.storage.decision, &StorageDecision::Stored, "{:?}", set.storage.findings);
        let out = jar.cookies_for_request(&request, NOW + 1);
        prop_assert_eq!(out.header, format!("{name}={value}"));
    }

    /// The report jar and the decisions-only jar (the replay's) decide every line identically and
    /// send the same cookies; the Cookie header holds exactly the cookies with no blocked reason.
    #[test]
    fn jars_decide_identically(
        lines in proptest::collection::vec((any_line(), 0_usize..4), 1..12),
        requests in proptest::collection::vec((0_usize..4, 0_usize..4, any::<bool>(), 0_i64..400), 1..4),
        third_party in 0_usize..3,
    ) {
        const URLS: [&str; 4] = ["https://app.example.com/auth/callback", "http://app.example.com/", "https://example.com/api/x", "https://idp.test/login"];
        let mut full = CookieJar::with_detail(Detail::Report);
        let mut lean = CookieJar::with_detail(Detail::DecisionsOnly);
        for (line, url) in &lines {
            let a = parse_set_cookie(line);
            let (mut a, mut b) = (a.line(), parse_line(line));
            // The report quotes a Domain as written only while it lists the attribute; compare
            // what the browser uses.
            prop_assert_eq!(a.domain(), b.domain());
            (a.domain, b.domain) = (None, None);
            prop_assert_eq!(a, b);
            let request = ResolvedRequest::resolve(&RequestContext::navigation(URLS[*url])).unwrap();
            let a = full.set_cookie(line, &request, NOW);
            let b = lean.set_cookie(line, &request, NOW);
            prop_assert_eq!(&a.storage.decision, &b.storage.decision);
            prop_assert_eq!(&a.storage.cookie, &b.storage.cookie);
            prop_assert_eq!(a.replaced_existing, b.replaced_existing);
            prop_assert_eq!(full.cookies(), lean.cookies());
        }
        for (url, initiator, post, later) in requests {
            let context = RequestContext {
                url: URLS[url].to_string(),
                method: if post { "POST" } else { "GET" }.to_string(),
                kind: if later % 2 == 0 { RequestKind::Navigation } else { RequestKind::Fetch },
                initiator: Some(URLS[initiator].to_string()),
                third_party_cookies: [ThirdPartyCookies::Allowed, ThirdPartyCookies::Blocked, ThirdPartyCookies::Phaseout][third_party],
                ..RequestContext::default()
            };
            let request = ResolvedRequest::resolve(&context).unwrap();
            let jar = full.cookies().to_vec();
            let a = full.cookies_for_request(&request, NOW + later);
            let b = lean.cookies_for_request(&request, NOW + later);
            prop_assert_eq!(&a, &b);
            check_sent(&jar, &request, NOW + later, &a)?;
        }
    }
}

/// The header is the sent cookies in order, and a cookie is sent exactly when nothing blocks it:
/// a withheld cookie never reaches the header.
fn check_sent(jar: &[StoredCookie], request: &ResolvedRequest, now: i64, out: &RetrievalOutcome) -> Result<(), TestCaseError> {
    let header = out.sent.iter().map(|c| if c.name.is_empty() { c.value.clone() } else { format!("{}={}", c.name, c.value) }).collect::<Vec<_>>().join("; ");
    prop_assert_eq!(&out.header, &header);
    let key = |c: &StoredCookie| (c.name().to_string(), c.value().to_string(), c.domain().to_string(), c.path().to_string());
    let mut expected: Vec<_> = jar
        .iter()
        .filter(|c| !c.is_expired(now) && c.partition_key.as_ref().is_none_or(|k| request.in_partition(k)))
        .filter(|c| blocked_reasons(c, request, now).0.is_empty())
        .map(key)
        .collect();
    let mut sent: Vec<_> = out.sent.iter().map(|c| (c.name.clone(), c.value.clone(), c.domain.clone(), c.path.clone())).collect();
    expected.sort();
    sent.sort();
    prop_assert_eq!(expected, sent);
    for w in &out.withheld {
        prop_assert!(!w.reasons.is_empty());
    }
    Ok(())
}

// ---- Tokens ----------------------------------------------------------------------------------

fn counts_agree(report: &TokenReport) -> Result<(), TestCaseError> {
    prop_assert_eq!(report.counts, Counts::of(&report.findings));
    prop_assert_eq!(report.counts.error + report.counts.warning + report.counts.info, report.findings.len());
    prop_assert!(report.findings.is_sorted_by_key(|f| f.severity));
    Ok(())
}

/// A claim value: seconds, milliseconds, a duration, a float, a string, null.
fn claim() -> impl Strategy<Value = serde_json::Value> {
    prop_oneof![
        (1_000_000_000_i64..2_500_000_000).prop_map(|s| json!(s)),
        (1_000_000_000_000_i64..2_500_000_000_000).prop_map(|ms| json!(ms)),
        (0_i64..100_000).prop_map(|d| json!(d)),
        any::<f64>().prop_filter("JSON has no NaN or infinity", |f| f.is_finite()).prop_map(|f| json!(f)),
        "[0-9a-z]{0,12}".prop_map(|s| json!(s)),
        Just(serde_json::Value::Null),
    ]
}

fn b64(value: &serde_json::Value) -> String {
    URL_SAFE_NO_PAD.encode(value.to_string())
}

proptest! {
    #![proptest_config(config(512))]

    /// `analyze_token` never panics, and its counts are its findings', on any text.
    #[test]
    fn token_counts_match_findings(text in "\\PC{0,200}|[A-Za-z0-9_.=\\- ]{0,300}", now in any::<f64>()) {
        counts_agree(&analyze_token(&text, &TokenOptions { now, secret: None }))?;
    }

    /// An HS256 token: three parts that join back to the token, its header and payload read,
    /// valid with its own secret, invalid with another, unchecked without one.
    #[test]
    fn hs256_tokens_verify(
        claims in proptest::collection::vec((prop_oneof![Just("iat"), Just("nbf"), Just("exp"), Just("auth_time"), Just("sub")], claim()), 0..5),
        secret in "[ -~]{1,40}",
        now in 0.0_f64..4e9,
    ) {
        let header = json!({ "alg": "HS256", "typ": "JWT" });
        let payload = serde_json::Value::Object(claims.into_iter().map(|(k, v)| (k.to_string(), v)).collect());
        let signing_input = format!("{}.{}", b64(&header), b64(&payload));
        let mut mac = Hmac::<sha2::Sha256>::new_from_slice(secret.as_bytes()).unwrap();
        mac.update(signing_input.as_bytes());
        let token = format!("{signing_input}.{}", URL_SAFE_NO_PAD.encode(mac.finalize().into_bytes()));

        let none = analyze_token(&token, &TokenOptions { now, secret: None });
        counts_agree(&none)?;
        prop_assert_eq!(none.kind, TokenKind::Jws);
        prop_assert_eq!(none.parts.iter().map(|p| p.text.as_str()).collect::<Vec<_>>().join("."), token.clone());
        prop_assert_eq!(none.header.as_ref(), Some(&header));
        prop_assert_eq!(none.payload.as_ref(), Some(&payload));
        prop_assert_eq!(none.signature.status, SignatureStatus::NotChecked);

        let good = analyze_token(&token, &TokenOptions { now, secret: Some(secret.clone()) });
        counts_agree(&good)?;
        prop_assert_eq!(good.signature.status, SignatureStatus::Valid);
        let bad = analyze_token(&token, &TokenOptions { now, secret: Some(format!("{secret}x")) });
        counts_agree(&bad)?;
        prop_assert_eq!(bad.signature.status, SignatureStatus::Invalid);
    }
}

// ---- HAR flows -------------------------------------------------------------------------------

fn entry() -> impl Strategy<Value = serde_json::Value> {
    const URLS: [&str; 6] = ["https://app.test/", "https://app.test/login", "https://idp.test/authorize", "https://app.test/callback", "https://app.test/dashboard", "http://app.test/"];
    const SET: [&str; 6] = [
        "session=abc; Path=/; Secure; HttpOnly; SameSite=Strict",
        "session=abc; Path=/; Secure; HttpOnly; SameSite=Lax",
        "sid=1; Max-Age=0",
        "__Host-auth=x; Path=/; Secure",
        "token=eyJhbGciOiJub25lIn0.eyJleHAiOjE3OTU0MjAwMDAwMDB9.; Secure; SameSite=None",
        "idp=1; Domain=idp.test; Secure",
    ];
    const KINDS: [&str; 4] = ["document", "fetch", "image", "xhr"];
    (0_usize..6, any::<bool>(), prop_oneof![Just(200), Just(302), Just(401)], proptest::option::of(0_usize..6), proptest::option::of(0_usize..6), 0_usize..4, proptest::option::of(0_usize..6))
        .prop_map(|(url, post, status, set, cookie, kind, redirect)| {
            let mut request_headers = vec![];
            if let Some(c) = cookie {
                request_headers.push(json!({ "name": "Cookie", "value": SET[c].split(';').next().unwrap() }));
            }
            let mut response_headers = vec![];
            if let Some(s) = set {
                response_headers.push(json!({ "name": "Set-Cookie", "value": SET[s] }));
            }
            json!({
                "time": 5,
                "request": { "method": if post { "POST" } else { "GET" }, "url": URLS[url], "headers": request_headers },
                "response": { "status": status, "headers": response_headers, "redirectURL": redirect.map(|r| URLS[r]).unwrap_or("") },
                "_resourceType": KINDS[kind],
            })
        })
}

proptest! {
    #![proptest_config(config(256))]

    /// A HAR read whole gives the same report as its entries pushed one by one (the panel's path),
    /// when the entries are in time order.
    #[test]
    fn har_analysis_equals_incremental(mut entries in proptest::collection::vec(entry(), 0..12), third_party in 0_usize..3, firefox in proptest::bool::ANY, compare in proptest::bool::ANY) {
        for (i, e) in entries.iter_mut().enumerate() {
            e["startedDateTime"] = json!(format!("2026-11-23T10:00:{:02}.{:03}Z", i / 4, (i % 4) * 250));
        }
        let har = json!({ "log": { "version": "1.2", "creator": { "name": "WebInspector", "version": "537.36" }, "entries": entries } });
        let bytes = serde_json::to_vec(&har).unwrap();
        let replay = cookie_inspector::flow::replay::ReplayOptions {
            third_party_cookies: [ThirdPartyCookies::Allowed, ThirdPartyCookies::Blocked, ThirdPartyCookies::Phaseout][third_party],
            browser: firefox.then_some(cookie_inspector::cookie::site::Browser::Firefox),
        };
        let options = HarOptions { now: NOW as f64, replay, compare_browsers: compare };
        let whole = analyze_har(&bytes, &options);
        prop_assert_eq!(whole.entries.len(), entries.len());
        prop_assert_eq!(whole.counts, Counts::of(whole.findings.iter().map(|f| &f.finding)));

        let mut flow = FlowAnalysis::new(&options);
        for finding in parse_har(&bytes).findings {
            flow.note(None, finding);
        }
        for e in &entries {
            let text = e.to_string();
            let parsed: Entry<'_> = serde_json::from_str(&text).unwrap();
            flow.push(&parsed);
        }
        let mut incremental = flow.report();
        prop_assert_eq!(incremental.creator.take(), None);
        incremental.creator.clone_from(&whole.creator);
        prop_assert_eq!(incremental, whole);
    }
}
