//! The refresh race: parallel token refreshes where a later one fails.
//!
//! With refresh-token rotation (OAuth 2.0 Security BCP, RFC 9700 §4.14.2; Auth0, Supabase, Cognito,
//! Okta…) each refresh token can be used once. When two tabs, or two requests of one page, see an
//! expired access token at the same moment, both call the refresh endpoint with the same refresh
//! token: the first wins and rotates it, the second is refused (400 `invalid_grant` or 401), and
//! the client — seeing a failed refresh — signs the user out. In a HAR it shows as overlapping
//! refresh calls to the same endpoint where a later one fails.

use super::har::Entry;
use crate::cookie::parse::contains;
use crate::finding::{Code, Finding, Severity};
use crate::time::parse_rfc3339;

/// Two refresh calls count as parallel when the second starts before the first has finished, or
/// within this many milliseconds of it (a HAR's `time` is sometimes missing).
pub const PARALLEL_WITHIN_MS: f64 = 100.0;

/// Whether the entry looks like a call to a token refresh endpoint.
pub fn is_refresh_call(e: &Entry<'_>) -> bool {
    // Lower-cased only when it has to be: this is asked of every entry.
    let url: std::borrow::Cow<'_, str> = if e.request.url.bytes().any(|b| b.is_ascii_uppercase()) {
        e.request.url.to_ascii_lowercase().into()
    } else {
        e.request.url.as_ref().into()
    };
    let body_says = e
        .request
        .post_data
        .as_ref()
        .and_then(|p| p.text)
        .is_some_and(|raw| contains(raw.get(), "refresh_token"));
    contains(&url, "grant_type=refresh_token") || contains(&url, "/refresh") || body_says
}

/// The path of a URL without query, for grouping calls to the same endpoint.
fn endpoint(url: &str) -> &str {
    url.split(['?', '#']).next().unwrap_or(url)
}

/// What the race detection keeps of a refresh call: small, so a recorder can keep one per call
/// for as long as it runs.
#[derive(Debug, Clone, PartialEq)]
pub struct RefreshCall {
    pub entry: usize,
    /// Start and end, in milliseconds since 1970.
    pub start_ms: f64,
    pub end_ms: f64,
    pub endpoint: String,
    pub status: i64,
}

impl RefreshCall {
    /// The call record of entry `index`, if it is a refresh call with a readable start time.
    pub fn of(index: usize, e: &Entry<'_>) -> Option<RefreshCall> {
        if !is_refresh_call(e) {
            return None;
        }
        let start_ms = parse_rfc3339(&e.started_date_time)? * 1000.0;
        Some(RefreshCall {
            entry: index,
            start_ms,
            end_ms: start_ms + e.time.max(0.0),
            endpoint: endpoint(&e.request.url).to_string(),
            status: e.response.status,
        })
    }
}

/// `flow.refresh-race` findings for the refresh calls of a flow (in any order).
pub fn refresh_races(calls: &[RefreshCall]) -> Vec<Finding> {
    // By start time: only overlapping neighbours are paired.
    let mut calls: Vec<&RefreshCall> = calls.iter().collect();
    crate::order::stable_sort_by_key(&mut calls, |c| crate::order::f64_key(c.start_ms));
    let mut findings = Vec::new();
    let mut reported = Vec::new();
    for (n, a) in calls.iter().enumerate() {
        for b in calls.iter().skip(n + 1) {
            if b.start_ms > a.end_ms && b.start_ms - a.start_ms > PARALLEL_WITHIN_MS {
                break; // sorted by start: no later call overlaps this one
            }
            if a.endpoint != b.endpoint || reported.contains(&b.entry) {
                continue;
            }
            let ok = |s: i64| (200..300).contains(&s);
            let failed = |s: i64| matches!(s, 400 | 401 | 403);
            if ok(a.status) && failed(b.status) {
                let (first, second) = (a.entry, b.entry);
                reported.push(second);
                findings.push(Finding::new(
                    Code::FlowRefreshRace,
                    Severity::Error,
                    format!("entries[{second}]"),
                    "Parallel token refreshes: the second one fails",
                    format!(
                        "Two calls to {} started {} ms apart (entries {first} and {second}): the first succeeded ({}), the second failed ({}). With refresh-token rotation the first call spends the refresh token, so the second — sent with the same, now revoked, token — is refused, and a client that treats a failed refresh as \"signed out\" logs the user out.",
                        crate::finding::quote(&b.endpoint, 120),
                        (b.start_ms - a.start_ms).round() as i64,
                        a.status,
                        b.status
                    ),
                    "Refresh once and share the result: let refreshing; function refresh() { return (refreshing ??= doRefresh().finally(() => { refreshing = undefined; })); } — across tabs, use a BroadcastChannel or the Web Locks API (navigator.locks.request('refresh', doRefresh)).",
                    "RFC 9700 §4.14.2, RFC 6749 §6",
                ));
            }
        }
    }
    findings
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::flow::har::parse_har;

    fn races(entries: &[Entry<'_>]) -> Vec<Finding> {
        let calls: Vec<RefreshCall> = entries.iter().enumerate().filter_map(|(i, e)| RefreshCall::of(i, e)).collect();
        refresh_races(&calls)
    }

    fn entry(url: &str, at: &str, time: f64, status: i64) -> String {
        format!(r#"{{"startedDateTime":"{at}","time":{time},"request":{{"method":"POST","url":"{url}","headers":[]}},"response":{{"status":{status},"headers":[]}}}}"#)
    }

    #[test]
    fn parallel_refresh_with_a_failure_is_a_race() {
        let url = "https://xyz.supabase.co/auth/v1/token?grant_type=refresh_token";
        let har = format!(
            r#"{{"log":{{"entries":[{},{},{}]}}}}"#,
            entry(url, "2026-11-23T10:00:00.000Z", 80.0, 200),
            entry(url, "2026-11-23T10:00:00.004Z", 75.0, 400),
            entry("https://app.test/api/me", "2026-11-23T10:00:00.010Z", 20.0, 401)
        );
        let parsed = parse_har(har.as_bytes());
        let found = races(&parsed.entries);
        assert_eq!(found.len(), 1);
        assert_eq!(found[0].location, "entries[1]");
        assert!(found[0].detail.contains("4 ms apart"), "{}", found[0].detail);
    }

    #[test]
    fn sequential_refreshes_are_fine() {
        let url = "https://app.test/api/auth/refresh";
        let har = format!(
            r#"{{"log":{{"entries":[{},{}]}}}}"#,
            entry(url, "2026-11-23T10:00:00.000Z", 80.0, 200),
            entry(url, "2026-11-23T10:15:00.000Z", 75.0, 401)
        );
        assert!(races(&parse_har(har.as_bytes()).entries).is_empty());
    }
}
