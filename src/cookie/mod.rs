//! The cookie engine: why a browser dropped (or never sent) a sign-in cookie, following
//! RFC 6265bis (draft-ietf-httpbis-rfc6265bis) as Chromium implements it.
//!
//! One module per spec concept:
//! - [`date`]: the cookie-date algorithm (§5.1.1).
//! - [`parse`]: one `Set-Cookie` line into a [`parse::SetCookie`] (§5.6), raw and normalised.
//! - [`psl`]: public suffixes and registrable domains (the Public Suffix List).
//! - [`site`]: URLs, same-site contexts, domain and path matching (§5.1.3, §5.1.4, §5.2).
//! - [`storage`]: whether a cookie is stored, with DevTools' `SetCookieBlockedReason` (§5.7).
//! - [`retrieval`]: which cookies a request carries, with DevTools' `CookieBlockedReason` (§5.8).
//! - [`jar`]: a jar that carries state across responses and requests, with eviction (§6.1).
//! - [`audit`]: the cookies a browser holds now, read for what breaks the sign-in next.
//! - [`whatif`]: the request contexts behind the page's "what if" choices.
//!
//! [`analyze_set_cookie`] is the entry point for the report: it runs `Set-Cookie` lines through a
//! fresh jar for a given response and says, per line, what was parsed, whether it is stored, and
//! whether it goes out on a given next request.
//!
//! The engine is pure: `now` is always a parameter (seconds since the epoch), and nothing here
//! reads the clock or the network. Each module lists where it follows Chromium over the spec.

pub mod audit;
pub mod date;
pub mod jar;
pub mod parse;
pub mod psl;
pub mod retrieval;
pub mod site;
pub mod storage;
pub mod whatif;

use serde::{Deserialize, Serialize};

use crate::finding::{quote, sort_by_severity, Code, Finding, Severity};
use crate::limits::{MAX_QUOTE_CHARS, MAX_SET_COOKIE_LINES};
use jar::CookieJar;
use parse::SetCookie;
use retrieval::{blocked_reasons, CookieBlockedReason, RetrievalOutcome};
use site::{Browser, RequestContext, ResolvedRequest};
use storage::{ExplainedReason, StorageDecision, StorageOutcome};

/// The situation to analyse `Set-Cookie` lines in.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase", default)]
pub struct WhatIfContext {
    /// The request whose response carried the `Set-Cookie` lines.
    pub response: RequestContext,
    /// The request to check sending on; `None` means the same request made again from the same
    /// place (same URL, kind, initiator and top-level page), without the redirect chain.
    pub next_request: Option<RequestContext>,
    /// How many seconds after the response the next request is made (default 0). Matters for
    /// expiry and for the two-minute Lax-allowing-unsafe window.
    pub next_request_after_seconds: f64,
}

/// Whether a line's cookie goes out on the next request.
#[derive(Debug, Clone, PartialEq, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct Sending {
    pub sent: bool,
    /// Sent only thanks to Chromium's two-minute Lax-allowing-unsafe window.
    pub lax_allowing_unsafe: bool,
    /// A later line replaced (or deleted) this cookie before the request.
    pub replaced_by_later_line: bool,
    pub reasons: Vec<ExplainedReason<CookieBlockedReason>>,
}

/// The analysis of one `Set-Cookie` line.
#[derive(Debug, Clone, PartialEq, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct LineReport {
    /// 1-based line number in the input.
    pub line_number: usize,
    /// The header value as given (without a `Set-Cookie:` name).
    pub line: String,
    /// What the browser parsed: each attribute raw and normalised.
    pub cookie: SetCookie,
    /// Stored or not, and why; `None` when the response URL could not be parsed. Its findings
    /// are moved to [`LineReport::findings`].
    pub storage: Option<StorageOutcome>,
    /// Whether the cookie is sent on the next request; `None` when it was not stored.
    pub sending: Option<Sending>,
    /// Everything found about this line, errors first.
    pub findings: Vec<Finding>,
}

/// The result of [`analyze_set_cookie`].
#[derive(Debug, Clone, PartialEq, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct SetCookieReport {
    pub lines: Vec<LineReport>,
    /// What the next request carries (all lines together), when the context could be resolved.
    pub next_request: Option<RetrievalOutcome>,
    /// Findings about the input as a whole (bad context URLs, too many lines).
    pub findings: Vec<Finding>,
}

/// Splits input text into `Set-Cookie` values: one per line, an optional `Set-Cookie:` name
/// removed, blank lines skipped. Returns (1-based line number, value).
fn split_lines(text: &str) -> Vec<(usize, &str)> {
    text.split('\n')
        .enumerate()
        .map(|(i, l)| (i + 1, l.strip_suffix('\r').unwrap_or(l)))
        .map(|(i, l)| {
            let trimmed = l.trim_start();
            let value = match trimmed.get(..11) {
                Some(head) if head.eq_ignore_ascii_case("set-cookie:") => trimmed.get(11..).unwrap_or(""),
                _ => l,
            };
            (i, value)
        })
        .filter(|(_, l)| !l.trim().is_empty())
        .collect()
}

/// Analyses `Set-Cookie` lines (one header value per line) received in the response described
/// by `context.response`, at `now` (seconds since the epoch), and checks each stored cookie
/// against `context.next_request`.
pub fn analyze_set_cookie(lines: &str, context: &WhatIfContext, now: f64) -> SetCookieReport {
    let mut report = analyze_with_rules(lines, context, now);
    // The same lines under the other browser's rules: a developer tests in one browser, and
    // users of the other lose the cookie. Each line they treat otherwise gets a finding.
    let browser = context.response.browser;
    let other_browser = browser.other();
    let mut other_context = context.clone();
    other_context.response.browser = other_browser;
    if let Some(next) = other_context.next_request.as_mut() {
        next.browser = other_browser;
    }
    let other = analyze_with_rules(lines, &other_context, now);
    for (here, there) in report.lines.iter_mut().zip(&other.lines) {
        if let Some(f) = browser_difference(here, there, browser, other_browser) {
            here.findings.push(f);
            sort_by_severity(&mut here.findings);
        }
    }
    report
}

/// What happens to a line's cookie: stored (and then sent or not), or refused, with the reasons.
fn fate(line: &LineReport) -> (bool, Option<bool>, Vec<&'static str>) {
    let stored = line.storage.as_ref().is_some_and(|s| s.decision == StorageDecision::Stored);
    let refused: Vec<&'static str> = line.storage.as_ref().map(|s| s.explained.iter().map(|r| r.reason.as_str()).collect()).unwrap_or_default();
    match &line.sending {
        Some(s) => (stored, Some(s.sent), s.reasons.iter().map(|r| r.reason.as_str()).collect()),
        None => (stored, None, refused),
    }
}

/// `cookie.browser-difference`: the line's cookie is stored or sent under one browser's rules
/// and not under the other's.
fn browser_difference(here: &LineReport, there: &LineReport, browser: Browser, other: Browser) -> Option<Finding> {
    let (stored_here, sent_here, _) = fate(here);
    let (stored_there, sent_there, reasons_there) = fate(there);
    if (stored_here, sent_here) == (stored_there, sent_there) {
        return None;
    }
    let name = quote(&here.cookie.name, MAX_QUOTE_CHARS);
    let words = |stored: bool, sent: Option<bool>| match (stored, sent) {
        (false, _) => "refuses it",
        (true, Some(true)) => "stores it and sends it on the next request",
        (true, Some(false)) => "stores it but does not send it on the next request",
        (true, None) => "stores it",
    };
    let reasons = if reasons_there.is_empty() { String::new() } else { format!(" ({})", reasons_there.join(", ")) };
    // Users of the other browser lose what this one keeps: a warning; the other way round, a note.
    let loses = (stored_here && !stored_there) || (sent_here == Some(true) && sent_there != Some(true));
    Some(Finding::new(
        Code::CookieBrowserDifference,
        if loses { Severity::Warning } else { Severity::Info },
        format!("line {}: browsers", here.line_number),
        format!("{} treats {name} otherwise: it {}", other.name(), words(stored_there, sent_there)),
        format!(
            "With {}'s cookie rules the browser {}; with {}'s it {}{reasons}. Firefox sends a cookie without SameSite cross-site and compares sites without their scheme; Chrome and Edge treat it as Lax and compare schemes.",
            browser.name(),
            words(stored_here, sent_here),
            other.name(),
            words(stored_there, sent_there)
        ),
        "Give the cookie attributes that every browser reads the same way: an explicit SameSite (Lax for a same-site session, None with Secure for cross-site use), Secure, and Path=/.",
        "RFC 6265bis §5.7, §5.8.3",
    ))
}

fn analyze_with_rules(lines: &str, context: &WhatIfContext, now: f64) -> SetCookieReport {
    let now = crate::time::whole_seconds(now).unwrap_or(0);
    let mut report_findings = Vec::new();
    let resolve = |ctx: &RequestContext, what: &str, findings: &mut Vec<Finding>| match ResolvedRequest::resolve(ctx) {
        Ok(r) => Some(r),
        Err(e) => {
            findings.push(Finding::new(
                Code::CookieContextInvalid,
                Severity::Error,
                what.to_string(),
                format!("The {what} URL could not be read"),
                format!("{}: {}", what, quote(&e, 200)),
                "Give absolute URLs such as https://app.example.com/callback.",
                "RFC 6265bis §5.7",
            ));
            None
        }
    };
    let response = resolve(&context.response, "response", &mut report_findings);
    let next_ctx = context.next_request.clone().unwrap_or_else(|| RequestContext {
        redirect_chain: Vec::new(),
        ..context.response.clone()
    });
    let delay = crate::time::whole_seconds(context.next_request_after_seconds)
        .unwrap_or(0)
        .max(0);
    let next_now = now.saturating_add(delay);
    let next = response
        .as_ref()
        .and_then(|_| resolve(&next_ctx, "nextRequest", &mut report_findings));

    let mut all = split_lines(lines);
    if all.len() > MAX_SET_COOKIE_LINES {
        report_findings.push(Finding::new(
            Code::CookieTooManyLines,
            Severity::Warning,
            "input",
            format!("Only the first {MAX_SET_COOKIE_LINES} Set-Cookie lines are analysed"),
            format!("The input has {} lines.", all.len()),
            "Analyse fewer lines at a time.",
            "RFC 6265bis §6.1",
        ));
        all.truncate(MAX_SET_COOKIE_LINES);
    }

    let mut jar = CookieJar::new();
    let mut reports = Vec::with_capacity(all.len());
    for (number, line) in all {
        let mut cookie = parse::parse_set_cookie(line);
        let mut findings = std::mem::take(&mut cookie.findings);
        let storage = response.as_ref().map(|r| {
            let mut outcome = jar.set_cookie(line, r, now).storage;
            // The parser's findings are already in `findings`; move only the storage ones over,
            // so each finding appears once in the report (in `LineReport::findings`).
            outcome.findings.retain(|f| !findings.contains(f));
            findings.append(&mut outcome.findings);
            outcome
        });
        reports.push(LineReport {
            line_number: number,
            line: line.to_string(),
            cookie,
            storage,
            sending: None,
            findings,
        });
    }

    // Sending on the next request, after every line has been applied.
    let next_outcome = next.as_ref().map(|n| {
        // The identity each line's cookie was stored or deleted under, to spot later overrides.
        let identities: Vec<Option<storage::StoredCookie>> = reports
            .iter()
            .map(|r| match &r.storage {
                Some(StorageOutcome {
                    decision: StorageDecision::Stored | StorageDecision::DeletesExisting,
                    cookie: Some(c),
                    ..
                }) => Some(c.clone()),
                _ => None,
            })
            .collect();
        for (index, report) in reports.iter_mut().enumerate() {
            let Some(StorageOutcome { decision: StorageDecision::Stored, cookie: Some(stored), .. }) = report.storage.clone() else {
                continue;
            };
            let stored = &stored;
            let still_there = !identities
                .iter()
                .skip(index + 1)
                .flatten()
                .any(|later| later.same_identity(stored));
            let (reasons, lau) = blocked_reasons(stored, n, next_now);
            let expired = stored.is_expired(next_now);
            let sent = reasons.is_empty() && still_there && !expired;
            if !reasons.is_empty() {
                let names: Vec<&str> = reasons.iter().map(|r| r.as_str()).collect();
                let (explanation, fix) = reasons.first().map_or(("", ""), |r| r.explain_in(n.browser));
                report.findings.push(Finding::new(
                    Code::CookieWithheld,
                    Severity::Error,
                    "next request",
                    format!("{} is not sent on the next request: {}", quote(stored.name(), MAX_QUOTE_CHARS), names.join(", ")),
                    format!("Request: {} {}. {explanation}", next_ctx.method_name(), quote(&next_ctx.url, 200)),
                    fix,
                    "RFC 6265bis §5.8.3",
                ));
            } else if expired {
                report.findings.push(Finding::new(
                    Code::CookieWithheld,
                    Severity::Error,
                    "next request",
                    format!("{} has expired by the next request", quote(stored.name(), MAX_QUOTE_CHARS)),
                    format!(
                        "It expires {} and the next request is made {} after the response.",
                        stored.expiry.map(|e| crate::time::relative_words(e, now)).unwrap_or_default(),
                        crate::time::duration_words(delay)
                    ),
                    "Give the cookie a longer Max-Age.",
                    "RFC 6265bis §5.8.3",
                ));
            } else if sent {
                report.findings.push(Finding::new(
                    Code::CookieSent,
                    Severity::Info,
                    "next request",
                    format!("{} is sent on the next request", quote(stored.name(), MAX_QUOTE_CHARS)),
                    if lau {
                        "Only thanks to the two-minute Lax-allowing-unsafe window for cookies without SameSite: the same \
                         request more than 120 seconds after the cookie was set will not carry it."
                            .to_string()
                    } else {
                        format!("Request: {} {}.", next_ctx.method_name(), quote(&next_ctx.url, 200))
                    },
                    if lau { "Set `SameSite=None; Secure` if the cookie must survive a cross-site POST." } else { "Nothing to fix here." },
                    "RFC 6265bis §5.8.3",
                ));
            }
            report.sending = Some(Sending {
                sent,
                lax_allowing_unsafe: lau && sent,
                replaced_by_later_line: !still_there,
                reasons: reasons
                    .into_iter()
                    .map(|reason| {
                        let (explanation, fix) = reason.explain_in(n.browser);
                        ExplainedReason { reason, explanation, fix }
                    })
                    .collect(),
            });
        }
        jar.cookies_for_request(n, next_now)
    });

    for report in &mut reports {
        for f in &mut report.findings {
            f.location = format!("line {}: {}", report.line_number, f.location);
        }
        sort_by_severity(&mut report.findings);
    }
    SetCookieReport {
        lines: reports,
        next_request: next_outcome,
        findings: report_findings,
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::cookie::site::RequestKind;

    const NOW: f64 = 1_800_000_000.0;

    /// Each line the other browser's rules store or send otherwise gets `cookie.browser-difference`:
    /// a warning when users of the other browser lose the cookie, a note the other way round.
    #[test]
    fn the_other_browsers_rules_are_compared_line_by_line() {
        let context = |browser: Browser| WhatIfContext {
            response: RequestContext { browser, ..RequestContext::navigation("https://app.example.com/login") },
            next_request: Some(RequestContext {
                method: "POST".into(),
                initiator: Some("https://idp.example".into()),
                browser,
                ..RequestContext::navigation("https://app.example.com/callback")
            }),
            next_request_after_seconds: 300.0,
        };
        let lines = "session=1; Secure; Path=/\n__Host-h=1; Secure\nlax=1; Secure; Path=/; SameSite=None";
        let difference = |r: &SetCookieReport, line: usize| {
            r.lines[line].findings.iter().find(|f| f.code == Code::CookieBrowserDifference).map(|f| (f.severity, f.title.clone()))
        };
        // Chromium's rules: the cookie without SameSite is withheld on the cross-site POST five
        // minutes later, and the __Host- cookie without Path is refused; Firefox keeps both.
        let r = analyze_set_cookie(lines, &context(Browser::Chromium), NOW);
        assert_eq!(r.lines[0].sending.as_ref().map(|s| s.sent), Some(false));
        assert_eq!(difference(&r, 0), Some((Severity::Info, "Firefox treats \"session\" otherwise: it stores it and sends it on the next request".to_string())));
        assert_eq!(difference(&r, 1), Some((Severity::Info, "Firefox treats \"__Host-h\" otherwise: it stores it and sends it on the next request".to_string())));
        assert_eq!(difference(&r, 2), None, "SameSite=None; Secure goes in both");
        // Firefox's rules: the same, seen from the other side, warns.
        let r = analyze_set_cookie(lines, &context(Browser::Firefox), NOW);
        assert_eq!(r.lines[0].sending.as_ref().map(|s| s.sent), Some(true));
        let (severity, title) = difference(&r, 0).unwrap();
        assert_eq!(severity, Severity::Warning);
        assert_eq!(title, "Chromium treats \"session\" otherwise: it stores it but does not send it on the next request");
        let f = r.lines[0].findings.iter().find(|f| f.code == Code::CookieBrowserDifference).unwrap();
        assert!(f.detail.contains("(SchemefulSameSiteUnspecifiedTreatedAsLax)"), "{}", f.detail);
        assert_eq!(difference(&r, 1).map(|d| d.0), Some(Severity::Warning), "Chromium refuses the __Host- cookie without Path");
        assert!(r.lines[1].findings.iter().any(|f| f.detail.contains("refuses it (InvalidPrefix)")));
    }

    #[test]
    fn report_for_a_typical_mistake() {
        let ctx = WhatIfContext {
            response: RequestContext::navigation("http://app.example.com/auth/callback"),
            next_request: Some(RequestContext::navigation("http://app.example.com/dashboard")),
            next_request_after_seconds: 0.0,
        };
        let report = analyze_set_cookie(
            "Set-Cookie: session=abc; SameSite=None\nid=1; HttpOnly\r\n\nprefs=x; Path=/; Max-Age=3600",
            &ctx,
            NOW,
        );
        assert_eq!(report.lines.len(), 3);
        let first = &report.lines[0];
        assert_eq!(first.line_number, 1);
        assert_eq!(
            first.storage.as_ref().unwrap().decision,
            StorageDecision::Rejected(vec![storage::SetCookieBlockedReason::SameSiteNoneInsecure])
        );
        assert_eq!(first.findings[0].severity, Severity::Error);
        assert!(first.findings[0].location.starts_with("line 1"));
        // `id` gets the default path /auth: not sent to /dashboard.
        let second = &report.lines[1];
        assert_eq!(second.storage.as_ref().unwrap().decision, StorageDecision::Stored);
        let sending = second.sending.as_ref().unwrap();
        assert!(!sending.sent);
        assert_eq!(sending.reasons[0].reason, CookieBlockedReason::NotOnPath);
        assert!(report.lines[2].sending.as_ref().unwrap().sent);
        assert_eq!(report.next_request.as_ref().unwrap().header, "prefs=x");
        // The report serialises with camelCase fields.
        let json = serde_json::to_value(&report).unwrap();
        assert!(json["lines"][0]["cookie"]["sameSite"]["rawValue"].is_string());
        assert_eq!(json["lines"][0]["storage"]["decision"], "rejected");
        assert_eq!(json["lines"][0]["storage"]["reasons"][0], "SameSiteNoneInsecure");
        assert_eq!(json["lines"][1]["sending"]["reasons"][0]["reason"], "NotOnPath");
    }

    #[test]
    fn context_deserialises_from_camel_case() {
        let ctx: WhatIfContext = serde_json::from_str(
            r#"{"response":{"url":"https://api.example.net/x","kind":"fetch","topLevelUrl":"https://app.example.com/","thirdPartyCookies":"blocked"}}"#,
        )
        .unwrap();
        assert_eq!(ctx.response.kind, RequestKind::Fetch);
        assert_eq!(ctx.response.method, "GET");
        let report = analyze_set_cookie("a=b; Secure; SameSite=None", &ctx, NOW);
        assert_eq!(
            report.lines[0].storage.as_ref().unwrap().decision,
            StorageDecision::Rejected(vec![storage::SetCookieBlockedReason::UserPreferences])
        );
    }

    #[test]
    fn bad_context_and_hostile_input_give_findings() {
        let ctx = WhatIfContext {
            response: RequestContext::navigation("not a url"),
            ..WhatIfContext::default()
        };
        let report = analyze_set_cookie("a=b", &ctx, f64::NAN);
        assert_eq!(report.findings[0].code, Code::CookieContextInvalid);
        assert!(report.lines[0].storage.is_none());
        let ctx = WhatIfContext {
            response: RequestContext::navigation("https://a.example/"),
            ..WhatIfContext::default()
        };
        let huge = format!("a=b{}", "; Expires=Wed, 99 Foo 99999".repeat(10_000));
        let report = analyze_set_cookie(&huge, &ctx, NOW);
        assert!(report.lines[0]
            .findings
            .iter()
            .any(|f| f.code == Code::CookieExpiresInvalid));
        let many = "a=b\n".repeat(MAX_SET_COOKIE_LINES + 5);
        let report = analyze_set_cookie(&many, &ctx, NOW);
        assert_eq!(report.lines.len(), MAX_SET_COOKIE_LINES);
        assert_eq!(report.findings[0].code, Code::CookieTooManyLines);
        assert!(report.lines[0].sending.as_ref().unwrap().replaced_by_later_line);
    }

    /// Arbitrary bytes through the whole pipeline (parse, storage, retrieval, report): no panic.
    #[test]
    fn arbitrary_bytes_never_panic() {
        let mut rng = crate::testing::XorShift(0x9E37_79B9_7F4A_7C15);
        let mut next = move || rng.next();
        let alphabet: &[u8] = b"=;,. \t\"-_/:aZ09%\x00\x7f\xff\xc3\xa9SecureDomainPathSameSiteNoneLaxStrictMax-AgeExpires__Host-__Secure-";
        let contexts = [
            WhatIfContext {
                response: RequestContext::navigation("http://a.example.com/x/y"),
                ..WhatIfContext::default()
            },
            WhatIfContext {
                response: RequestContext {
                    url: "https://api.b.example/z".into(),
                    kind: RequestKind::Fetch,
                    top_level_url: Some("https://a.example.com/".into()),
                    ..RequestContext::default()
                },
                next_request: Some(RequestContext::navigation("https://api.b.example/")),
                next_request_after_seconds: 3.0,
            },
        ];
        for i in 0..3000 {
            let len = (next() % 120) as usize;
            let bytes: Vec<u8> = (0..len)
                .map(|_| alphabet[(next() % alphabet.len() as u64) as usize])
                .collect();
            let text = String::from_utf8_lossy(&bytes);
            let report = analyze_set_cookie(&text, &contexts[i % 2], NOW);
            let _ = serde_json::to_string(&report).unwrap();
            let _ = site::CookieUrl::parse(&text);
            let _ = psl::registrable_domain(&text);
        }
    }

    /// A cookie without SameSite, set on the login page, survives the IdP's cross-site form POST
    /// only if the POST comes within two minutes.
    #[test]
    fn next_request_delay_and_lax_allowing_unsafe() {
        let post = RequestContext {
            url: "https://app.example.com/callback".into(),
            method: "POST".into(),
            initiator: Some("https://idp.example.net".into()),
            ..RequestContext::default()
        };
        let mut ctx = WhatIfContext {
            response: RequestContext::navigation("https://app.example.com/login"),
            next_request: Some(post),
            next_request_after_seconds: 30.0,
        };
        let report = analyze_set_cookie("state=xyz; Secure; HttpOnly; Path=/; Max-Age=600", &ctx, NOW);
        let sending = report.lines[0].sending.as_ref().unwrap();
        assert!(sending.sent && sending.lax_allowing_unsafe);
        ctx.next_request_after_seconds = 300.0;
        let report = analyze_set_cookie("state=xyz; Secure; HttpOnly; Path=/; Max-Age=600", &ctx, NOW);
        let sending = report.lines[0].sending.as_ref().unwrap();
        assert!(!sending.sent);
        assert_eq!(
            sending.reasons[0].reason,
            CookieBlockedReason::SchemefulSameSiteUnspecifiedTreatedAsLax
        );
        ctx.next_request_after_seconds = 900.0;
        let report = analyze_set_cookie("state=xyz; Secure; SameSite=None; Path=/; Max-Age=600", &ctx, NOW);
        assert!(!report.lines[0].sending.as_ref().unwrap().sent);
        assert!(report.lines[0].findings.iter().any(|f| f.code == Code::CookieWithheld));
    }
}
