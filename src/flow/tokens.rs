//! Every token in a recorded flow: where it was seen, analysed once.
//!
//! Tokens travel in `Authorization: Bearer` headers, in cookies (sent and set), and in the JSON
//! bodies of login and refresh endpoints (`access_token`, `id_token`, `refresh_token`). The same
//! token usually appears on many requests, so each distinct token is analysed once and each
//! sighting points at it.

use super::har::Entry;
use crate::cookie::parse::{same_bytes, split_byte, split_once_byte};
use crate::jose::extract::{looks_like_token, tokens_in_json};
use crate::jose::extract::SourceKind;
use crate::jose::session_cookie::{reassemble, Scheme, SessionCookie};
use crate::jose::{analyze_token_with, KeyOptions, TokenOptions, TokenReport};
use crate::limits::{MAX_BODY_SCAN_BYTES, MAX_FLOW_TOKENS};
use serde::Serialize;
use std::collections::HashMap;

/// Where a token travelled: one place in the requests or responses, and every entry that carried
/// it there. One per place, not per sighting: a session token rides on nearly every request of a
/// flow, and a display groups the sightings this way anyway.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct Sighting {
    /// Index into [`FlowTokens::tokens`].
    pub token: usize,
    /// e.g. `request.header.authorization`, `request.cookie.session`, `response.set-cookie.session`,
    /// `response.body.access_token`.
    pub location: String,
    /// Indexes of the HAR entries, in the order they were replayed.
    pub entries: Vec<usize>,
}

/// The distinct tokens of a flow and where each was seen (in the order first seen there).
#[derive(Debug, Clone, Default, PartialEq, Serialize)]
pub struct FlowTokens {
    pub tokens: Vec<TokenReport>,
    pub sightings: Vec<Sighting>,
}

/// `flow.bearer-expired`: a request whose `Authorization: Bearer` token had expired by the time
/// it was sent (its `exp`, RFC 7519 §4.1.4, judged at the request's own time), answered 401. The
/// app went on using the token instead of renewing it. Once per token, at the first such request.
pub fn expired_bearers(flow: &FlowTokens, entries: &[super::replay::EntryReplay]) -> Vec<super::session::FlowFinding> {
    use crate::finding::{Code, Finding, Severity};
    let mut out = Vec::new();
    for sighting in flow.sightings.iter().filter(|s| s.location == "request.header.authorization") {
        let Some(token) = flow.tokens.get(sighting.token) else { continue };
        // Seconds since 1970; a value in milliseconds is the token analysis's own finding.
        let Some(exp) = token.payload.as_ref().and_then(|p| p.get("exp")).and_then(serde_json::Value::as_f64).filter(|&x| x < 1e11) else { continue };
        let refused = sighting.entries.iter().filter_map(|&i| entries.get(i).filter(|e| e.index == i)).find(|e| e.status == 401 && e.time.is_some_and(|t| t >= exp));
        let Some(e) = refused else { continue };
        let ago = crate::time::whole_seconds(e.time.unwrap_or(exp) - exp).unwrap_or(0);
        let before = sighting.entries.iter().take_while(|&&i| i != e.index).count();
        out.push(super::session::FlowFinding {
            entry: Some(e.index),
            finding: Finding::new(
                Code::FlowBearerExpired,
                Severity::Error,
                format!("entries[{}].request.header.authorization", e.index),
                "The API refused an access token that had expired",
                format!(
                    "{} sent an access token that expired {} before (exp {}), and the API answered 401 Unauthorized.{} The app went on using the token instead of renewing it; an app that takes the 401 for signed out sends the user back to sign in: the classic \"signed out after an hour\".",
                    super::session::describe(e),
                    crate::time::duration_words(ago),
                    crate::time::iso8601(crate::time::whole_seconds(exp).unwrap_or(0)).unwrap_or_default(),
                    if before > 0 { format!(" The same token went out on {before} earlier request(s) of this flow.") } else { String::new() }
                ),
                "Renew the access token before it expires (at its exp, less a minute of leeway) with the refresh token, or on a 401 renew once and retry the request: token libraries do it when asked (Auth0's SPA SDK: getTokenSilently before each call; oidc-client-ts: automaticSilentRenew; an axios interceptor that refreshes and retries). Keep the clocks of the app's servers in sync.",
                "RFC 7519 §4.1.4 (exp); RFC 6750 §3.1 (invalid_token)",
            ),
        });
    }
    out
}

/// Finds and analyses every token in `entries`. A token's times are judged at `now_of(entry)`
/// for the entry where it is first seen: a recording is analysed as it was, not as of today.
pub fn collect(entries: &[Entry<'_>], now_of: impl Fn(usize) -> f64) -> FlowTokens {
    let mut collector = Collector::default();
    for (i, e) in entries.iter().enumerate() {
        collector.add_entry(i, e, now_of(i));
    }
    collector.flow
}

/// The token collection fed one entry at a time (a whole HAR, or a recorder's requests as they
/// arrive): each distinct token is analysed once, when first seen — and again only when the
/// secrets change ([`Collector::set_keys`]).
#[derive(Debug, Default)]
pub struct Collector {
    flow: FlowTokens,
    index: HashMap<String, usize>,
    /// The slots of the last few tokens seen, most recent first, checked before `index`: a flow
    /// carries the same session cookie and access token on request after request, and hashing
    /// a token of hundreds of bytes for every sighting cost more than comparing it to these.
    recent: [Option<usize>; 4],
    /// (token, location) → its entry in `flow.sightings`.
    places: HashMap<(usize, String), usize>,
    /// The last few entries of `flow.sightings` added to, most recent first: a flow carries the
    /// same tokens in the same places request after request, and these are found without
    /// writing the location or hashing it.
    recent_places: [Option<usize>; 4],
    /// Per token, what it was read from and the time it is judged at, to analyse it again with
    /// new secrets.
    seen: Vec<(Seen, f64)>,
    keys: KeyOptions,
}

/// Where a token of the flow was read from.
#[derive(Debug, Clone)]
enum Seen {
    /// A token's text, and the cookie it came in (Auth.js salts its key with the cookie name).
    Text(String, Option<String>),
    /// A session cookie split into chunks (or Supabase's), joined as its library joins them.
    Session(SessionCookie),
}

/// A cookie value without the double quotes it may be wrapped in (RFC 6265bis §4.1.1), byte-wise
/// (`trim_matches` with a char pattern was 1.4% of a HAR analysis).
fn trim_quotes(value: &str) -> &str {
    let b = value.as_bytes();
    let start = b.iter().position(|&c| c != b'"').unwrap_or(b.len());
    let end = b.iter().rposition(|&c| c != b'"').map_or(start, |i| i + 1);
    value.get(start..end).unwrap_or("")
}

/// Where a token was seen: `prefix` (`request.cookie`), then `.name` (the cookie's or field's
/// name), if any.
#[derive(Clone, Copy)]
struct Place<'a> {
    prefix: &'static str,
    name: Option<&'a str>,
}

impl Place<'_> {
    fn text(&self) -> String {
        match self.name {
            Some(name) => format!("{}.{name}", self.prefix),
            None => self.prefix.to_string(),
        }
    }

    /// Whether `location` is this place's text, without writing it.
    fn is(&self, location: &str) -> bool {
        match self.name {
            Some(name) => location
                .strip_prefix(self.prefix)
                .and_then(|rest| rest.strip_prefix('.'))
                .is_some_and(|rest| rest == name),
            None => location == self.prefix,
        }
    }
}

/// The cookie name of a sighting's location (`request.cookie.NAME`, `response.set-cookie.NAME`).
fn cookie_of(location: &str) -> Option<String> {
    location.strip_prefix("request.cookie.").or_else(|| location.strip_prefix("response.set-cookie.")).map(str::to_string)
}

/// Puts `item` first in a most-recent-first list: it moves up if it was listed, else the last
/// one falls off.
fn promote(list: &mut [Option<usize>], item: usize) {
    if list.first() == Some(&Some(item)) {
        return;
    }
    let last = list.iter().position(|&r| r == Some(item)).unwrap_or(list.len().saturating_sub(1));
    if let Some(window) = list.get_mut(..=last) {
        window.rotate_right(1);
        if let Some(first) = window.first_mut() {
            *first = Some(item);
        }
    }
}

/// Whether two token texts are equal, their last bytes compared first: tokens from one issuer
/// share the header and most of the payload and differ in the signature, at the end.
fn same_text(a: &str, b: &str) -> bool {
    a.len() == b.len() && a.as_bytes().last_chunk::<8>() == b.as_bytes().last_chunk::<8>() && same_bytes(a.as_bytes(), b.as_bytes())
}

impl Collector {
    /// The tokens and sightings so far.
    pub fn tokens(&self) -> &FlowTokens {
        &self.flow
    }

    /// The tokens and sightings, without a copy.
    pub fn into_tokens(self) -> FlowTokens {
        self.flow
    }

    fn analyse(&self, seen: &Seen, now: f64) -> TokenReport {
        let options = TokenOptions { now, secret: None };
        match seen {
            Seen::Text(token, cookie_name) => {
                analyze_token_with(token, &options, &KeyOptions { secrets: self.keys.secrets.clone(), cookie_name: cookie_name.clone() })
            }
            Seen::Session(session) => crate::jose::analyze_session_cookie(session.clone(), SourceKind::CookieHeader, &options, &self.keys),
        }
    }

    /// Uses `keys`' secrets for every token, analysing the ones seen so far again (a user typed
    /// the app's secret after the flow was recorded). The secrets are kept in memory only.
    pub fn set_keys(&mut self, keys: KeyOptions) {
        self.keys = keys;
        let reports: Vec<TokenReport> = self.seen.iter().map(|(seen, now)| self.analyse(seen, *now)).collect();
        self.flow.tokens = reports;
    }

    fn add(&mut self, entry: usize, place: Place<'_>, token: &str, now: f64) {
        let seen = |location: &str| Seen::Text(token.to_string(), cookie_of(location));
        self.add_seen(entry, place, token, seen, now);
    }

    /// Records a sighting of `key` (the token's text, or a joined session cookie's value),
    /// analysing it the first time. `seen` makes what it was read from (given the location) only
    /// then: most sightings are of a token already analysed.
    fn add_seen(&mut self, entry: usize, place: Place<'_>, key: &str, seen: impl FnOnce(&str) -> Seen, now: f64) {
        let next = self.flow.tokens.len();
        let slot = match self.recent_slot(key, false).or_else(|| self.index.get(key).copied()) {
            Some(i) => i,
            None if next < MAX_FLOW_TOKENS => {
                self.index.insert(key.to_string(), next);
                let seen = seen(&place.text());
                let report = self.analyse(&seen, now);
                self.flow.tokens.push(report);
                self.seen.push((seen, now));
                next
            }
            None => return,
        };
        promote(&mut self.recent, slot);
        let sightings = &self.flow.sightings;
        let recent = self.recent_places.iter().flatten().copied().find(|&at| {
            sightings.get(at).is_some_and(|s| s.token == slot && place.is(&s.location))
        });
        let at = match recent {
            Some(at) => at,
            None => {
                let key = (slot, place.text());
                match self.places.get(&key) {
                    Some(&at) => at,
                    None => {
                        let at = self.flow.sightings.len();
                        self.places.insert(key.clone(), at);
                        self.flow.sightings.push(Sighting { token: slot, location: key.1, entries: Vec::new() });
                        at
                    }
                }
            }
        };
        if let Some(sighting) = self.flow.sightings.get_mut(at) {
            sighting.entries.push(entry);
        }
        promote(&mut self.recent_places, at);
    }

    /// Whether `text` is read as a token: one of the last few token texts seen (checking each of
    /// a flow's repeated cookies and `Authorization` headers byte by byte again was 7% of its
    /// analysis), or else [`looks_like_token`].
    fn is_token(&self, text: &str) -> bool {
        self.recent_slot(text, true).is_some() || looks_like_token(text)
    }

    /// The slot of one of the last few tokens found by `key`: a token's text, or (unless
    /// `texts_only`) a joined session cookie's value.
    fn recent_slot(&self, key: &str, texts_only: bool) -> Option<usize> {
        self.recent.iter().flatten().copied().find(|&slot| match self.seen.get(slot) {
            Some((Seen::Text(text, _), _)) => same_text(text, key),
            Some((Seen::Session(session), _)) => !texts_only && same_text(&session.value, key),
            None => false,
        })
    }

    /// Adds the tokens of entry `i`, judged at `now` if first seen here.
    pub fn add_entry(&mut self, i: usize, e: &Entry<'_>, now: f64) {
        if let Some(auth) = e.request.header("authorization") {
            if let Some((scheme, cred)) = auth.trim().split_once(' ') {
                if scheme.eq_ignore_ascii_case("bearer") && self.is_token(cred.trim()) {
                    self.add(i, Place { prefix: "request.header.authorization", name: None }, cred.trim(), now);
                }
            }
        }
        // Session cookies split into chunks (NextAuth.js/Auth.js `name.0…`) or kept the Supabase
        // way: no part is a token by itself, the joined value is.
        let sent: Vec<(&str, &str)> = e
            .request
            .headers
            .iter()
            .filter(|h| h.name.eq_ignore_ascii_case("cookie"))
            .flat_map(|h| split_byte(&h.value, b';'))
            .filter_map(|pair| split_once_byte(pair, b'=').map(|(n, v)| (n.trim(), v.trim())))
            .collect();
        let set: Vec<(&str, &str)> = e
            .response
            .set_cookie_lines()
            .filter_map(|line| split_byte(line, b';').next().and_then(|pair| split_once_byte(pair, b'=')).map(|(n, v)| (n.trim(), v.trim())))
            .collect();
        for (pairs, place) in [(sent, "request.cookie"), (set, "response.set-cookie")] {
            for session in reassemble(&pairs).into_iter().filter(|s| s.chunked || s.scheme == Scheme::Supabase) {
                let place = Place { prefix: place, name: Some(&session.name) };
                self.add_seen(i, place, &session.value, |_| Seen::Session(session.clone()), now);
            }
        }
        for header in e.request.headers.iter().filter(|h| h.name.eq_ignore_ascii_case("cookie")) {
            for pair in split_byte(&header.value, b';') {
                if let Some((name, value)) = split_once_byte(pair, b'=') {
                    let value = trim_quotes(value.trim());
                    if self.is_token(value) {
                        self.add(i, Place { prefix: "request.cookie", name: Some(name.trim()) }, value, now);
                    }
                }
            }
        }
        for line in e.response.set_cookie_lines() {
            let pair = split_byte(line, b';').next().unwrap_or_default();
            if let Some((name, value)) = split_once_byte(pair, b'=') {
                let value = trim_quotes(value.trim());
                if self.is_token(value) {
                    self.add(i, Place { prefix: "response.set-cookie", name: Some(name.trim()) }, value, now);
                }
            }
        }
        if crate::cookie::parse::contains(&e.response.content.mime_type, "json")
            && e.response.content.raw_text().is_some_and(crate::jose::extract::may_name_token_fields)
        {
            if let Some(body) = e.response.content.text(MAX_BODY_SCAN_BYTES) {
                for (field, token) in tokens_in_json(&body) {
                    self.add(i, Place { prefix: "response.body", name: Some(&field) }, &token, now);
                }
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::flow::har::parse_har;

    #[test]
    fn promote_keeps_the_most_recent_first() {
        let mut list = [None; 3];
        for item in [1, 2, 1, 3, 4] {
            promote(&mut list, item);
        }
        assert_eq!(list, [Some(4), Some(3), Some(1)], "2 fell off; 1 moved up when seen again");
        promote(&mut list, 1);
        assert_eq!(list, [Some(1), Some(4), Some(3)]);
        promote(&mut [], 1);
    }

    #[test]
    fn finds_tokens_everywhere_and_dedupes() {
        let t = "eyJhbGciOiJIUzI1NiJ9.eyJzdWIiOiIxIiwiZXhwIjozNjAwfQ.c2ln";
        let har = format!(
            r#"{{"log":{{"entries":[
            {{"request":{{"method":"POST","url":"https://app.test/api/login","headers":[]}},
              "response":{{"status":200,"headers":[{{"name":"Set-Cookie","value":"session={t}; Path=/"}}],
                          "content":{{"mimeType":"application/json","text":"{{\"session\":{{\"access_token\":\"{t}\"}}}}"}}}}}},
            {{"request":{{"method":"GET","url":"https://app.test/api/me","headers":[{{"name":"Authorization","value":"Bearer {t}"}},{{"name":"Cookie","value":"theme=dark; session={t}"}}]}},
              "response":{{"status":401,"headers":[]}}}}]}}}}"#
        );
        let parsed = parse_har(har.as_bytes());
        assert!(parsed.findings.is_empty(), "{:?}", parsed.findings);
        let flow = collect(&parsed.entries, |_| 1_795_420_000.0);
        assert_eq!(flow.tokens.len(), 1);
        let places: Vec<(&[usize], &str)> = flow.sightings.iter().map(|s| (s.entries.as_slice(), s.location.as_str())).collect();
        assert_eq!(
            places,
            [
                (&[0][..], "response.set-cookie.session"),
                (&[0][..], "response.body.session.access_token"),
                (&[1][..], "request.header.authorization"),
                (&[1][..], "request.cookie.session"),
            ]
        );
        assert!(flow.tokens[0].findings.iter().any(|f| f.code.as_str() == "jwt.exp-duration"));
    }

    /// Sightings go to the right token whether it is found among the recent ones or in the index:
    /// seven tokens in a pattern that pushes each out of the four recent slots and brings it back.
    #[test]
    fn recent_tokens_and_the_index_agree() {
        let token = |n: usize| format!("eyJhbGciOiJIUzI1NiJ9.eyJzdWIiOiI{n}In0.c2ln{n}");
        let pattern = [0, 1, 0, 2, 3, 4, 5, 1, 6, 0, 0, 3, 6, 2, 5, 4, 1];
        let entries: Vec<String> = pattern
            .iter()
            .map(|&n| format!(r#"{{"request":{{"method":"GET","url":"https://app.test/","headers":[{{"name":"Authorization","value":"Bearer {}"}}]}},"response":{{"status":200,"headers":[]}}}}"#, token(n)))
            .collect();
        let har = format!(r#"{{"log":{{"entries":[{}]}}}}"#, entries.join(","));
        let parsed = parse_har(har.as_bytes());
        let flow = collect(&parsed.entries, |_| 1_795_420_000.0);
        assert_eq!(flow.tokens.len(), 7);
        // One place per token (the Authorization header), listing every entry that carried it.
        assert_eq!(flow.sightings.len(), 7);
        // Slots are numbered in order of first sighting; each entry is listed under its token.
        let mut first_seen: Vec<usize> = Vec::new();
        for (entry, &n) in pattern.iter().enumerate() {
            if !first_seen.contains(&n) {
                first_seen.push(n);
            }
            let slot = first_seen.iter().position(|&m| m == n).unwrap();
            let place = flow.sightings.iter().find(|s| s.token == slot).unwrap();
            assert!(place.entries.contains(&entry), "entry {entry} under token {slot}");
            assert_eq!(place.location, "request.header.authorization");
        }
        assert_eq!(flow.sightings.iter().map(|s| s.entries.len()).sum::<usize>(), pattern.len());
    }
}
