//! Sign-in flow analysis: a recorded flow (HAR) replayed to find the hop where the session drops.
//!
//! - [`har`]: reading HAR 1.2 files as Chromium and Firefox export them.
//! - [`cache`]: answers from a cache, not the server (a redirect to sign-in kept by the browser).
//! - [`clear_site_data`]: a response that deletes every cookie of its site.
//! - [`replay`]: every entry through the cookie jar: sent, withheld, stored, rejected, and why.
//! - [`refresh`]: parallel token refreshes that log the user out.
//! - [`tokens`]: every token in the flow, analysed once, with where it was seen.
//! - [`text`]: a report as plain text (the CLI's output, the page's and panel's "Copy as text").

pub mod cache;
pub mod clear_site_data;
pub mod har;
pub mod refresh;
pub mod replay;
pub mod session;
pub mod text;
pub mod tokens;

use crate::cookie::site::Browser;
use crate::finding::{quote, Code, Finding, Severity};
use crate::jose::TokenReport;
use replay::{EntryReplay, ReplayOptions};
use serde::Serialize;
use session::{FirstDrop, FlowFinding};
use tokens::Sighting;

pub use crate::jose::Counts;

/// Everything the flow analysis says about a HAR file (the contract the page, the panel and the
/// CLI share; see README "Flow report").
#[derive(Debug, Clone, PartialEq, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct FlowReport {
    /// One per readable HAR entry, in HAR order.
    pub entries: Vec<EntryReplay>,
    /// Errors first; each names its entry.
    pub findings: Vec<FlowFinding>,
    /// Where the session was first lost, if it was.
    pub first_drop: Option<FirstDrop>,
    /// One sentence: what killed the session, or that nothing did.
    pub headline: String,
    /// Where no cookie was lost but an error ends the session (the page's own trip back to sign
    /// in, a sign-in that set no session): that finding's index in `findings`, which the
    /// headline states. Its entry and fix stand where a first drop's would.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub headline_finding: Option<usize>,
    /// Every cookie name in the flow, in the order first seen: the timeline's columns.
    pub cookies: Vec<String>,
    /// The distinct tokens of the flow, analysed, and where each was seen.
    pub tokens: Vec<TokenReport>,
    pub token_sightings: Vec<Sighting>,
    pub counts: Counts,
    /// The tool that wrote the HAR (`WebInspector 537.36`, `Firefox 132.0`).
    pub creator: Option<String>,
    /// Whose cookie rules the replay applied: `chromium`, or `firefox` for a Firefox export.
    pub browser: Browser,
    /// With [`HarOptions::compare_browsers`]: the same flow replayed with the other browser's
    /// rules.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub other_browser: Option<OtherBrowser>,
}

/// What the flow comes to under the other browser's cookie rules.
#[derive(Debug, Clone, PartialEq, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct OtherBrowser {
    pub browser: Browser,
    pub headline: String,
    pub first_drop: Option<FirstDrop>,
}

/// Options of [`analyze_har`].
#[derive(Debug, Clone, Copy, PartialEq, Default)]
pub struct HarOptions {
    /// Used for entries without a readable time.
    pub now: f64,
    pub replay: ReplayOptions,
    /// Replay the flow a second time with the other browser's cookie rules (Firefox's for a
    /// Chromium replay and the other way round), and say where the session fares otherwise
    /// there (`flow.browser-difference`). Twice the replay work.
    pub compare_browsers: bool,
}

/// Reads a HAR file, replays it and reports where the session drops. Never fails.
pub fn analyze_har(bytes: &[u8], options: &HarOptions) -> FlowReport {
    analyze_har_with_keys(bytes, options, crate::jose::KeyOptions::default())
}

/// [`analyze_har`], with the app's secrets for the encrypted session cookies in the flow.
pub fn analyze_har_with_keys(bytes: &[u8], options: &HarOptions, keys: crate::jose::KeyOptions) -> FlowReport {
    let mut har = har::parse_har(bytes);
    let (order, times) = replay::replay_order(&har.entries);
    let mut flow = FlowAnalysis::new(options);
    // As many replays as entries: no room left over from doubling (a 10,000-entry flow's replays
    // are megabytes).
    flow.entries.reserve_exact(har.entries.len());
    flow.order.reserve_exact(har.entries.len());
    flow.cookie_headers_kept(har.cookie_headers_kept);
    if !keys.secrets.is_empty() {
        flow.set_keys(keys);
    }
    for finding in har.findings {
        flow.findings.push(FlowFinding { entry: None, finding });
    }
    if let Some(creator) = har.creator.as_deref() {
        flow.recorded_by(creator);
    }
    if order.iter().enumerate().any(|(position, &i)| position != i) {
        flow.findings.push(FlowFinding {
            entry: None,
            finding: Finding::new(
                Code::HarOutOfOrder,
                Severity::Info,
                "har.log.entries",
                "The entries are not in time order",
                "Some entries start before the ones listed above them; they were replayed in the order of their startedDateTime, as the browser made them.",
                "",
                "HAR 1.2 §entries",
            ),
        });
    }
    for &i in &order {
        if let Some(e) = har.entries.get_mut(i) {
            flow.push_at(i, e, times.get(i).copied().flatten());
            // Each entry is replayed once: its headers (most of what reading it allocated) go
            // now, so the replays that grow meanwhile reuse their room.
            e.forget_headers();
        }
    }
    flow.creator = har.creator;
    flow.finish()
}

/// The flow analysis fed one entry at a time, in the order the browser made the requests: a whole
/// HAR ([`analyze_har`]) or a recorder's requests as they arrive. Each entry is replayed once;
/// a summary walks only the per-entry results, never the entries again.
pub struct FlowAnalysis {
    fallback_now: f64,
    replayer: replay::Replayer,
    /// In push order; sorted by index when a summary is made.
    entries: Vec<EntryReplay>,
    /// Entry indexes in push (replay) order.
    order: Vec<usize>,
    tokens: tokens::Collector,
    refresh_calls: Vec<refresh::RefreshCall>,
    /// Findings about the input itself (HAR problems).
    findings: Vec<FlowFinding>,
    creator: Option<String>,
    /// The same flow replayed with the other browser's rules, when asked for: every entry is
    /// pushed to both.
    other: Option<Box<FlowAnalysis>>,
}

impl FlowAnalysis {
    pub fn new(options: &HarOptions) -> FlowAnalysis {
        let mut flow = FlowAnalysis {
            fallback_now: options.now,
            replayer: replay::Replayer::new(options.replay, options.now),
            entries: Vec::new(),
            order: Vec::new(),
            tokens: tokens::Collector::default(),
            refresh_calls: Vec::new(),
            findings: Vec::new(),
            creator: None,
            other: None,
        };
        if options.compare_browsers {
            flow.compare_browsers();
        }
        flow
    }

    /// How many entries were pushed.
    pub fn len(&self) -> usize {
        self.entries.len()
    }

    pub fn is_empty(&self) -> bool {
        self.entries.is_empty()
    }

    /// Replays the next entry (index = the number pushed before) and returns its replay (always
    /// `Some`: an `Option` only so that no code path here can panic).
    pub fn push(&mut self, e: &har::Entry<'_>) -> Option<&EntryReplay> {
        let time = crate::time::parse_rfc3339(&e.started_date_time);
        let i = self.entries.len();
        self.push_at(i, e, time)
    }

    /// The app's secrets for encrypted session tokens: every token seen so far is analysed again
    /// with them (not the replay), and later ones use them too.
    pub fn set_keys(&mut self, keys: crate::jose::KeyOptions) {
        self.tokens.set_keys(keys);
    }

    /// Tells the analysis that the recording keeps `Cookie` headers, before any entry shows one
    /// (what a whole file can say: [`har::Har::cookie_headers_kept`]). Then a request recorded
    /// with its real headers and no `Cookie` header is known to have sent none.
    pub fn cookie_headers_kept(&mut self, kept: bool) {
        self.replayer.cookie_headers_kept(kept);
    }

    /// Tells the analysis what wrote the recording (a HAR's `log.creator`), before any entry is
    /// pushed: that browser's cookie rules apply unless the options name a browser, and a note
    /// says whose rules the replay follows when it is not Chromium's recording.
    pub fn recorded_by(&mut self, creator: &str) {
        self.replayer.recorded_in(Browser::of_creator(creator));
        if self.other.is_some() {
            // The other browser is the other one of the recording's.
            self.compare_browsers();
        }
        if let Some(finding) = har::other_browser(creator, self.replayer.browser()) {
            self.findings.push(FlowFinding { entry: None, finding });
        }
    }

    /// Replays every entry pushed from now on a second time, with the other browser's cookie
    /// rules (what [`HarOptions::compare_browsers`] asks of [`FlowAnalysis::new`]; made again by
    /// [`FlowAnalysis::recorded_by`], which settles this one's), predictions only:
    /// the recorded `Cookie` headers are what the recording's browser did. Reports then carry
    /// `otherBrowser` and, where the session fares otherwise, `flow.browser-difference`.
    pub fn compare_browsers(&mut self) {
        let other = self.replayer.browser().other();
        let options = HarOptions {
            now: self.fallback_now,
            replay: ReplayOptions { browser: Some(other), ..self.replayer.options() },
            compare_browsers: false,
        };
        let mut second = FlowAnalysis::new(&options);
        second.replayer.predict_only();
        self.other = Some(Box::new(second));
    }

    /// Adds a finding about the input (an entry that could not be read, say).
    pub fn note(&mut self, entry: Option<usize>, finding: Finding) {
        self.findings.push(FlowFinding { entry, finding });
    }

    fn push_at(&mut self, i: usize, e: &har::Entry<'_>, time: Option<f64>) -> Option<&EntryReplay> {
        if let Some(other) = self.other.as_mut() {
            other.push_at(i, e, time);
        }
        let replayed = self.replayer.push(i, e, time);
        // The other browser's replay is about cookies only: tokens and refreshes are this one's.
        if !self.replayer.is_predict_only() {
            self.tokens.add_entry(i, e, time.unwrap_or(self.fallback_now));
            if let Some(call) = refresh::RefreshCall::of(i, e) {
                self.refresh_calls.push(call);
            }
        }
        self.order.push(i);
        self.entries.push(replayed);
        self.entries.last()
    }

    /// The report of everything pushed so far, without the entries (a recorder calls this after
    /// each batch of requests: it costs the per-entry results, not a new replay).
    pub fn summary(&mut self) -> FlowReport {
        self.sort_entries();
        let other = self.other.as_mut().map(|o| o.summary());
        let mut report = self.report_from(&self.entries, other.as_ref());
        report.entries = Vec::new();
        self.copy_tokens_into(report)
    }

    /// The whole report, entries included, leaving the analysis as it was.
    pub fn report(&mut self) -> FlowReport {
        self.sort_entries();
        let other = self.other.as_mut().map(|o| o.summary());
        let mut report = self.report_from(&self.entries, other.as_ref());
        report.entries = self.entries.clone();
        self.copy_tokens_into(report)
    }

    /// `report` with a copy of the tokens and sightings so far (the analysis goes on).
    fn copy_tokens_into(&self, mut report: FlowReport) -> FlowReport {
        let flow_tokens = self.tokens.tokens();
        report.tokens = flow_tokens.tokens.clone();
        report.token_sightings = flow_tokens.sightings.clone();
        report
    }

    /// The whole report, consuming the analysis (no copy of the entries).
    pub fn finish(mut self) -> FlowReport {
        self.sort_entries();
        let other = self.other.take().map(|o| o.finish_summary());
        let mut report = self.report_from(&self.entries, other.as_ref());
        report.entries = std::mem::take(&mut self.entries);
        let tokens = self.tokens.into_tokens();
        report.tokens = tokens.tokens;
        report.token_sightings = tokens.sightings;
        report
    }

    fn sort_entries(&mut self) {
        if !self.entries.is_sorted_by_key(|e| e.index) {
            crate::order::stable_sort_by_key(&mut self.entries, |e| e.index as u64);
        }
    }

    /// Everything but `entries`, `tokens` and `tokenSightings` (left empty: the caller copies or
    /// moves them in), from the entries sorted by index.
    /// [`FlowAnalysis::summary`], consuming the analysis.
    fn finish_summary(mut self) -> FlowReport {
        self.summary()
    }

    fn report_from(&self, entries: &[EntryReplay], other: Option<&FlowReport>) -> FlowReport {
        let mut findings = self.findings.clone();
        let flow_tokens = self.tokens.tokens();
        // What the token analysis says of the token a cookie carried on an entry, in a sentence.
        let token_note = |entry: usize, cookie: &str| -> Option<String> {
            let sighting = flow_tokens.sightings.iter().find(|s| s.location.strip_prefix("request.cookie.") == Some(cookie) && s.entries.contains(&entry))?;
            let token = flow_tokens.tokens.get(sighting.token)?;
            let worst = token.findings.iter().find(|f| f.severity == Severity::Error).or_else(|| token.findings.iter().find(|f| f.severity == Severity::Warning));
            Some(match worst {
                Some(f) => format!("The token in it: {}.", f.title.trim_end_matches('.')),
                None => "The token in it shows no problem of its own at that time (expiry, clock, algorithm), so a secret or a session store the server does not share is the likelier cause.".to_string(),
            })
        };
        let (session, first_drop) = session::session_findings(entries, &self.order, &token_note);
        findings.extend(session);
        let other_browser = other.map(|other| {
            // Only the other browser's own cookie decisions count: what the server answered
            // (a refusal, a deleting Set-Cookie) answered this recording's requests, not the ones
            // that browser would have made.
            let verdict = match other.first_drop.as_ref().filter(|d| matches!(d.kind, "withheld" | "rejected" | "cleared" | "evicted")) {
                Some(d) => OtherBrowser { browser: other.browser, headline: other.headline.clone(), first_drop: Some(d.clone()) },
                None => OtherBrowser {
                    browser: other.browser,
                    headline: format!("Under {}'s cookie rules no session cookie of this flow is rejected or withheld.", other.browser.name()),
                    first_drop: None,
                },
            };
            findings.extend(browser_difference(entries, first_drop.as_ref(), self.replayer.browser(), &verdict, &other.findings));
            verdict
        });
        findings.extend(tokens::expired_bearers(flow_tokens, entries));
        findings.extend(refresh::refresh_races(&self.refresh_calls).into_iter().map(|f| {
            let entry = f.location.trim_start_matches("entries[").trim_end_matches(']').parse().ok();
            FlowFinding { entry, finding: f }
        }));
        // A token's problems are the flow's problems, at the first request that carried it.
        // Each token's first sighting: the first entry of its first place (places are listed in
        // the order first seen), in one pass over the places.
        let mut firsts: Vec<Option<(usize, &str)>> = vec![None; flow_tokens.tokens.len()];
        for s in &flow_tokens.sightings {
            if let (Some(slot @ None), Some(&entry)) = (firsts.get_mut(s.token), s.entries.first()) {
                *slot = Some((entry, &s.location));
            }
        }
        for (report, first) in flow_tokens.tokens.iter().zip(firsts) {
            let Some((entry, location)) = first else { continue };
            for f in report.findings.iter().filter(|f| f.severity != Severity::Info) {
                let mut f = f.clone();
                f.location = format!("entries[{entry}].{location} → {}", f.location);
                findings.push(FlowFinding { entry: Some(entry), finding: f });
            }
        }
        // Errors first, then by entry (an entry index fits in 32 bits: see `limits::MAX_HAR_ENTRIES`).
        crate::order::stable_sort_by_key(&mut findings, |f| {
            (f.finding.severity as u64) << 32 | f.entry.unwrap_or(0).min(u32::MAX as usize) as u64
        });

        let mut cookies: Vec<String> = Vec::new();
        for &i in &self.order {
            let Some(e) = entries.get(i).filter(|e| e.index == i) else { continue };
            let names = e
                .request
                .cookies_sent
                .iter()
                .chain(e.request.cookies_withheld.iter().map(|w| &w.name))
                .chain(e.request.observed_sent.iter().flatten())
                .chain(e.response.set_cookies.iter().map(|s| &s.name));
            for name in names {
                if !cookies.iter().any(|c| c == name.as_str()) {
                    cookies.push(name.to_string());
                }
            }
        }

        let counts = Counts::of(findings.iter().map(|f| &f.finding));
        let headline_finding = if first_drop.is_none() { findings.iter().position(|f| f.finding.severity == Severity::Error) } else { None };
        let headline = headline(entries, first_drop.as_ref(), headline_finding.and_then(|k| findings.get(k)), self.replayer.browser());
        FlowReport {
            entries: Vec::new(),
            findings,
            first_drop,
            headline,
            headline_finding,
            cookies,
            tokens: Vec::new(),
            token_sightings: Vec::new(),
            counts,
            creator: self.creator.clone(),
            browser: self.replayer.browser(),
            other_browser,
        }
    }
}

/// The users of which browsers a replay's rules stand for, in a sentence.
fn users_of(browser: Browser) -> &'static str {
    match browser {
        Browser::Chromium => "Chrome, Edge and other Chromium browsers",
        Browser::Firefox => "Firefox",
    }
}

/// `flow.browser-difference`: where the other browser's replay loses the session and this one
/// does not (an error: that browser's users are signed out), or the other way round (a note: the
/// cause is this browser's rule).
fn browser_difference(entries: &[EntryReplay], here: Option<&FirstDrop>, browser: Browser, other: &OtherBrowser, other_findings: &[FlowFinding]) -> Option<FlowFinding> {
    let at = |i: usize| hop_label(entries, i).unwrap_or_default();
    // A cookie refused, cleared or evicted is lost in the response; a withheld one in the request.
    let location = |drop: &FirstDrop| {
        let side = if matches!(drop.kind, "rejected" | "cleared" | "evicted") { "response" } else { "request" };
        format!("entries[{}].{side}", drop.entry)
    };
    match (here, other.first_drop.as_ref()) {
        (None, Some(drop)) => {
            // The other replay's own finding for its drop carries the fix and the spec.
            let cause = other_findings.iter().find(|f| f.entry == Some(drop.entry) && f.finding.severity == Severity::Error);
            Some(FlowFinding {
                entry: Some(drop.entry),
                finding: Finding::new(
                    Code::FlowBrowserDifference,
                    Severity::Error,
                    location(drop),
                    format!("In {}, this sign-in loses its session", users_of(other.browser)),
                    format!(
                        "Replayed with {}'s cookie rules the session survives, but with {}'s it is lost at {}: {} Users of {} are sent back to sign in.",
                        browser.name(),
                        other.browser.name(),
                        at(drop.entry),
                        other.headline,
                        users_of(other.browser)
                    ),
                    cause.map_or("Give the session cookie attributes both browsers keep and send on this request: `SameSite=Lax; Secure; Path=/` for a same-site app, `SameSite=None; Secure` (and `Partitioned` in a third-party frame) for a cross-site one.", |f| f.finding.fix.as_str()),
                    cause.map_or("RFC 6265bis §5.8.3", |f| f.finding.spec.as_str()),
                ),
            })
        }
        // Only a drop by this browser's cookie rules can be one the other browser avoids
        // (Clear-Site-Data's cookies are a browser's rule too: over http, Chromium keeps none of
        // the response's cookies and Firefox keeps them; so is which cookies go past a site's limit).
        (Some(drop), None) if matches!(drop.kind, "withheld" | "rejected" | "cleared" | "evicted") => Some(FlowFinding {
            entry: Some(drop.entry),
            finding: Finding::new(
                Code::FlowBrowserDifference,
                Severity::Info,
                location(drop),
                format!("In {}, this sign-in keeps its session", users_of(other.browser)),
                format!(
                    "The session is lost at {} under {}'s cookie rules only: replayed with {}'s, it survives. The cause is a rule of {}, so a test in the other browser would not show it.",
                    at(drop.entry),
                    browser.name(),
                    other.browser.name(),
                    browser.name()
                ),
                "Fix the drop reported above: it is what this browser's users get.",
                "RFC 6265bis §5.8.3",
            ),
        }),
        _ => None,
    }
}

fn headline(entries: &[EntryReplay], drop: Option<&FirstDrop>, lead: Option<&FlowFinding>, browser: Browser) -> String {
    let at = |i: usize| hop_label(entries, i);
    if let Some(d) = drop {
        let here = at(d.entry).unwrap_or_default();
        // The reason in a few words first, then DevTools' names (what the Issues panel shows).
        let words = |shorts: Vec<&'static str>| -> String {
            let mut shorts = shorts;
            shorts.dedup();
            if shorts.is_empty() {
                return d.reasons.join(", ");
            }
            format!("{} ({})", shorts.join("; "), d.reasons.join(", "))
        };
        return match d.kind {
            "withheld" => {
                use crate::cookie::retrieval::CookieBlockedReason;
                let shorts = d.reasons.iter().filter_map(|r| CookieBlockedReason::from_name(r)).map(|r| r.short_in(browser)).collect();
                format!("{} set by {} is withheld on {}: {}.", d.cookie, d.set_by.and_then(at).unwrap_or_default(), here, words(shorts))
            }
            "deleted" if entries.get(d.entry).is_some_and(|e| e.index == d.entry && e.prefetch) => {
                format!("{} is deleted by the answer to a prefetch of {}: the user never asked to sign out.", d.cookie, here)
            }
            "deleted" => format!("{} is deleted by the response to {}.", d.cookie, here),
            "refused" => {
                let e = entries.get(d.entry).filter(|e| e.index == d.entry);
                format!(
                    "{} {} with {}, yet the server {}: it did not accept the session set by {}.",
                    d.cookie,
                    // Recorded, or only predicted (no Cookie header in the recording).
                    if e.is_some_and(|e| e.request.observed_sent.is_none()) { "would go along" } else { "went along" },
                    here,
                    match e.map(|e| (e.status, e.redirect_to.is_some(), e.signed_out_answer())) {
                        Some((401, ..)) => "answered 401 Unauthorized".to_string(),
                        Some((_, false, Some(body))) => format!("answered {} that no one is signed in", quote(body, 40)),
                        _ => "sent the browser back to sign in".to_string(),
                    },
                    d.set_by.and_then(at).unwrap_or_default()
                )
            }
            "expired" => format!(
                "{} expired on arrival at {}: its Expires was already past by the browser's clock, so the browser never kept it.",
                d.cookie, here
            ),
            "too-large" => {
                let e = entries.get(d.entry).filter(|e| e.index == d.entry);
                format!(
                    "{} went along with {} in a Cookie header of {} bytes, and the server refused the request: {}.",
                    d.cookie,
                    here,
                    session::grouped(e.map_or(0, |e| e.request.cookie_bytes)),
                    e.and_then(|e| e.headers_refused().map(|how| session::refusal(e.status, how))).unwrap_or_default()
                )
            }
            "cleared" => {
                let set_here = entries.get(d.entry).filter(|e| e.index == d.entry).and_then(|e| e.response.set_cookies.iter().find(|s| s.name == d.cookie.as_str()));
                match set_here {
                    Some(s) if !s.stored => format!("{} set by {} is never stored: the same response carries Clear-Site-Data, and Chromium keeps no cookie of such a response.", d.cookie, here),
                    Some(_) => format!("{} is deleted by Clear-Site-Data in the response to {}, the very response that set it.", d.cookie, here),
                    None => format!("{} is deleted by Clear-Site-Data in the response to {}, with every other cookie of the site.", d.cookie, here),
                }
            }
            "lapsed" => format!(
                "{} set by {} had expired by {}: its own lifetime ran out, so the browser no longer sent it.",
                d.cookie,
                d.set_by.and_then(at).unwrap_or_default(),
                here
            ),
            "evicted" => {
                let not_kept = entries.get(d.entry).filter(|e| e.index == d.entry).and_then(|e| e.response.set_cookies.iter().find(|s| s.name == d.cookie.as_str())).is_some_and(|s| s.unkept == Some(replay::Unkept::SiteLimit));
                if not_kept {
                    format!("{} set by {} is not kept: the site already has 180 cookies, all Secure.", d.cookie, here)
                } else {
                    let limit = if entries.get(d.entry).filter(|e| e.index == d.entry).is_some_and(|e| e.response.evicted_from_partition) {
                        "its Partitioned cookies passed Chromium's 10 KiB under this top-level site"
                    } else {
                        "the site passed its limit of 180 cookies"
                    };
                    format!("{} is evicted by the browser at {}: {limit}.", d.cookie, here)
                }
            }
            "cached" => {
                let e = entries.get(d.entry).filter(|e| e.index == d.entry);
                let from = match (e.and_then(|e| e.from_cache), e.and_then(EntryReplay::shared_cache_hit)) {
                    (Some(cache), _) => format!("the browser's {cache} cache, with a redirect to sign in it kept from before the sign-in"),
                    (None, Some(_)) => "a CDN's cache, with a signed-out visitor's answer".to_string(),
                    (None, None) => "a cache".to_string(),
                };
                format!("{} was answered from {from}: {} set by {} never reached the server.", here, d.cookie, d.set_by.and_then(at).unwrap_or_default())
            }
            "credentials-omitted" => format!(
                "{} is left out of the cross-origin fetch {}: the request does not include credentials.",
                d.cookie, here
            ),
            "not-sent" => format!(
                "{} set by {} is missing from the Cookie header recorded on {}: the browser did not send it, though the replay would have.",
                d.cookie,
                d.set_by.and_then(at).unwrap_or_default(),
                here
            ),
            _ => {
                use crate::cookie::storage::SetCookieBlockedReason;
                let shorts = d.reasons.iter().filter_map(|r| SetCookieBlockedReason::from_name(r)).map(SetCookieBlockedReason::short).collect();
                format!("{} is rejected by the browser on {}: {}.", d.cookie, here, words(shorts))
            }
        };
    }
    match lead {
        Some(f) => match f.entry.and_then(at) {
            Some(hop) => format!("{} (at {hop}).", f.finding.title.trim_end_matches('.')),
            None => f.finding.title.clone(),
        },
        None if entries.is_empty() => "No requests to analyse.".to_string(),
        None => format!("No session drop found in {} requests.", entries.len()),
    }
}

/// "GET /dashboard": how a sentence names entry `i` (`entries` sorted by index). A long query (an
/// authorization request's) is cut: the label names the hop, the entry shows the address.
fn hop_label(entries: &[EntryReplay], i: usize) -> Option<String> {
    const MAX_QUERY: usize = 40;
    entries.get(i).filter(|e| e.index == i).map(|e| {
        let path = path_of(&e.url);
        match path.find('?').map(|q| q + 1 + MAX_QUERY).filter(|&end| end < path.len()) {
            Some(end) => format!("{} {}…", e.method, crate::limits::head(path, end)),
            None => format!("{} {path}", e.method),
        }
    })
}

/// The path and query of a URL, for short labels.
fn path_of(url: &str) -> &str {
    url.split_once("://").and_then(|(_, rest)| rest.find('/').and_then(|i| rest.get(i..))).unwrap_or(url)
}
