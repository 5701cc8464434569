//! Sign-in flow analysis: a recorded flow (HAR) replayed to find the hop where the session drops.
//!
//! - [`har`]: reading HAR 1.2 files as Chromium and Firefox export them.
//! - [`replay`]: every entry through the cookie jar: sent, withheld, stored, rejected, and why.
//! - [`refresh`]: parallel token refreshes that log the user out.
//! - [`tokens`]: every token in the flow, analysed once, with where it was seen.

pub mod har;
pub mod refresh;
pub mod replay;
pub mod session;
pub mod tokens;

use crate::finding::{Code, Finding, Severity};
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
    /// Every cookie name in the flow, in the order first seen: the timeline's columns.
    pub cookies: Vec<String>,
    /// The distinct tokens of the flow, analysed, and where each was seen.
    pub tokens: Vec<TokenReport>,
    pub token_sightings: Vec<Sighting>,
    pub counts: Counts,
    /// The tool that wrote the HAR (`WebInspector 537.36`, `Firefox 132.0`).
    pub creator: Option<String>,
}

/// Options of [`analyze_har`].
#[derive(Debug, Clone, Copy, PartialEq, Default)]
pub struct HarOptions {
    /// Used for entries without a readable time.
    pub now: f64,
    pub replay: ReplayOptions,
}

/// Reads a HAR file, replays it and reports where the session drops. Never fails.
pub fn analyze_har(bytes: &[u8], options: &HarOptions) -> FlowReport {
    let har = har::parse_har(bytes);
    let (order, times) = replay::replay_order(&har.entries);
    let entries = replay::replay(&har.entries, options.replay, options.now);
    let mut findings: Vec<FlowFinding> = har.findings.into_iter().map(|finding| FlowFinding { entry: None, finding }).collect();
    if order.iter().enumerate().any(|(position, &i)| position != i) {
        findings.push(FlowFinding {
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
    let (session, first_drop) = session::session_findings(&entries, &order);
    findings.extend(session);
    findings.extend(refresh::refresh_races(&har.entries).into_iter().map(|f| {
        let entry = f.location.trim_start_matches("entries[").trim_end_matches(']').parse().ok();
        FlowFinding { entry, finding: f }
    }));
    let flow_tokens = tokens::collect(&har.entries, |i| times.get(i).copied().flatten().unwrap_or(options.now));
    // A token's problems are the flow's problems, at the first request that carried it.
    for (t, report) in flow_tokens.tokens.iter().enumerate() {
        let Some(first) = flow_tokens.sightings.iter().find(|s| s.token == t) else { continue };
        for f in report.findings.iter().filter(|f| f.severity != Severity::Info) {
            let mut f = f.clone();
            f.location = format!("entries[{}].{} → {}", first.entry, first.location, f.location);
            findings.push(FlowFinding { entry: Some(first.entry), finding: f });
        }
    }
    findings.sort_by_key(|f| (f.finding.severity, f.entry.unwrap_or(0)));

    let mut cookies: Vec<String> = Vec::new();
    for &i in &order {
        let Some(e) = entries.get(i).filter(|e| e.index == i) else { continue };
        let names = e
            .request
            .cookies_sent
            .iter()
            .chain(e.request.cookies_withheld.iter().map(|w| &w.name))
            .chain(e.request.observed_sent.iter().flatten())
            .chain(e.response.set_cookies.iter().map(|s| &s.name));
        for name in names {
            if !cookies.contains(name) {
                cookies.push(name.clone());
            }
        }
    }

    let mut counts = Counts::default();
    for f in &findings {
        match f.finding.severity {
            Severity::Error => counts.error += 1,
            Severity::Warning => counts.warning += 1,
            Severity::Info => counts.info += 1,
        }
    }
    let headline = headline(&entries, first_drop.as_ref(), &findings);
    FlowReport {
        entries,
        findings,
        first_drop,
        headline,
        cookies,
        tokens: flow_tokens.tokens,
        token_sightings: flow_tokens.sightings,
        counts,
        creator: har.creator,
    }
}

fn headline(entries: &[EntryReplay], drop: Option<&FirstDrop>, findings: &[FlowFinding]) -> String {
    let at = |i: usize| entries.get(i).filter(|e| e.index == i).map(|e| format!("{} {}", e.method, path_of(&e.url)));
    if let Some(d) = drop {
        let here = at(d.entry).unwrap_or_default();
        return match d.kind {
            "withheld" => format!(
                "{} set by {} is withheld on {}: {}.",
                d.cookie,
                d.set_by.and_then(at).unwrap_or_default(),
                here,
                d.reasons.join(", ")
            ),
            "deleted" => format!("{} is deleted by the response to {}.", d.cookie, here),
            _ => format!("{} is rejected by the browser on {}: {}.", d.cookie, here, d.reasons.join(", ")),
        };
    }
    match findings.iter().find(|f| f.finding.severity == Severity::Error) {
        Some(f) => match f.entry.and_then(at) {
            Some(hop) => format!("{} (at {hop}).", f.finding.title.trim_end_matches('.')),
            None => f.finding.title.clone(),
        },
        None if entries.is_empty() => "No requests to analyse.".to_string(),
        None => format!("No session drop found in {} requests.", entries.len()),
    }
}

/// The path and query of a URL, for short labels.
fn path_of(url: &str) -> &str {
    url.split_once("://").and_then(|(_, rest)| rest.find('/').and_then(|i| rest.get(i..))).unwrap_or(url)
}
