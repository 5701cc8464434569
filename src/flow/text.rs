//! A flow report as plain text: the verdict, one line per request with what happened to each
//! cookie, then the findings with their fixes. What the CLI prints, and what the page and the
//! panel copy for a bug report (there with the tokens' signatures redacted, [`crate::redact`]).

use std::fmt::Write;

use super::replay::{EntryReplay, Unkept};
use super::FlowReport;
use crate::finding::Finding;

/// The report as text, ending with a newline.
pub fn plain_text(report: &FlowReport) -> String {
    let mut out = String::new();
    let _ = writeln!(out, "{}", report.headline);
    if let Some(other) = &report.other_browser {
        let _ = writeln!(out, "With {}'s cookie rules: {}", other.browser.name(), other.headline);
    }
    let _ = writeln!(
        out,
        "{} requests, {} error(s), {} warning(s), {} note(s)\n",
        report.entries.len(),
        report.counts.error,
        report.counts.warning,
        report.counts.info
    );
    // The hop the verdict is about: the first drop's, or the headline finding's.
    let lead = report.first_drop.as_ref().map(|d| d.entry).or_else(|| report.headline_finding.and_then(|k| report.findings.get(k)).and_then(|f| f.entry));
    for e in &report.entries {
        let mark = if lead == Some(e.index) { "→" } else { " " };
        let _ = writeln!(out, "{mark}{:>4} {:<6} {:>3} {}  {}", e.index, e.method, e.status, e.url, cookie_marks(e).join(" "));
    }
    for f in &report.findings {
        push_finding(&mut out, &f.finding);
    }
    out
}

/// What happened to each cookie on one request and its response, a mark and a name each:
/// ✓ sent, ✗ withheld, ⊝ not attached, ● stored, ⌫ deleted, ⊘ not stored.
fn cookie_marks(e: &EntryReplay) -> Vec<String> {
    let mut cookies: Vec<String> = e.request.cookies_sent.iter().map(|n| format!("✓{n}")).collect();
    cookies.extend(e.request.cookies_withheld.iter().map(|w| format!("✗{} ({})", w.name, w.reasons.join(", "))));
    cookies.extend(e.request.credentials_omitted.iter().map(|n| format!("⊝{n} (no credentials)")));
    cookies.extend(e.response.set_cookies.iter().map(|s| {
        if s.stored {
            format!("●{}", s.name)
        } else if s.deletes {
            format!("⌫{}", s.name)
        } else if s.unkept == Some(Unkept::SiteLimit) {
            // Not kept, for no rule: the site was at its limit of cookies (listed as evicted).
            format!("⊘{} (not kept)", s.name)
        } else if s.reasons.is_empty() {
            // Not kept, for no rule: its expiry was already past.
            format!("⊘{} (expired)", s.name)
        } else {
            format!("⊘{} ({})", s.name, s.reasons.join(", "))
        }
    }));
    cookies.extend(e.response.cleared_cookies.iter().map(|n| format!("⌫{n} (Clear-Site-Data)")));
    cookies.extend(e.response.evicted_cookies.iter().map(|n| format!("⌫{n} (evicted)")));
    if let Some(cache) = e.from_cache {
        // Nothing went out: what the browser's cache answered is the whole story.
        cookies.insert(0, format!("(from {cache} cache)"));
    }
    cookies
}

/// One finding: severity, title, code and place; the detail; the fix; the spec.
pub fn push_finding(out: &mut String, f: &Finding) {
    let _ = writeln!(out, "\n{:<7} {}  [{} at {}]", f.severity.as_str(), f.title, f.code.as_str(), f.location);
    let _ = writeln!(out, "  {}", f.detail);
    for (i, line) in f.fix.lines().enumerate() {
        let _ = writeln!(out, "  {} {line}", if i == 0 { "fix:" } else { "    " });
    }
    let _ = writeln!(out, "  spec: {}", f.spec);
}
