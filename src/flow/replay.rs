//! Replaying a recorded flow through the cookie jar: for every request, which cookies the browser
//! sends and withholds (and why), for every response, which `Set-Cookie` lines it stores or
//! rejects (and why) — compared with what the recording shows the browser actually sent.
//!
//! Each entry's request context is rebuilt from what a HAR keeps: Chromium's `_resourceType`
//! (or the `Sec-Fetch-Dest` header), the `Origin`/`Referer` headers and `Sec-Fetch-Site: none` for
//! the initiator, the last top-level document for the page a subresource belongs to, and
//! `redirectURL` for the redirect chains. Times come from `startedDateTime`, so expiry and the
//! two-minute Lax-allowing-unsafe window are judged at the moment of each request.
//!
//! Incomplete support: cookies that existed before the recording started are not in our jar; the
//! browser sends them and we cannot say why, so they are reported as `preexisting`, not as
//! disagreements. `document.cookie` writes by scripts are invisible to a HAR.

use super::har::Entry;
use crate::cookie::jar::CookieJar;
use crate::cookie::parse::{same_bytes, split_byte, split_once_byte};
use crate::cookie::site::{Browser, RequestKind, ResolvedRequest, SameSiteContext, ThirdPartyCookies};
use crate::cookie::storage::StorageDecision;
use crate::time::parse_rfc3339;
use serde::Serialize;
use std::fmt;
use std::rc::Rc;

/// Stands for the initiator of a request the browser called cross-site (`Sec-Fetch-Site`) when
/// the HAR keeps neither `Origin` nor `Referer`. `.invalid` is reserved (RFC 2606 §2).
const UNKNOWN_CROSS_SITE: &str = "https://cross-site.invalid";

/// A cookie name (or an entry's host or method) in a replay. A flow has a few of each and
/// mentions them on every entry (sent, withheld, recorded, set): each distinct text is shared
/// ([`Names`]), so an entry costs no text allocations for them. Serialised as the plain string.
#[derive(Clone, PartialEq, Eq)]
pub struct Name(Rc<str>);

impl Name {
    pub fn as_str(&self) -> &str {
        &self.0
    }
}

impl std::ops::Deref for Name {
    type Target = str;
    fn deref(&self) -> &str {
        &self.0
    }
}

impl fmt::Debug for Name {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        fmt::Debug::fmt(&*self.0, f)
    }
}

impl fmt::Display for Name {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        // `pad`, not `write_str`: a width (`{:<6}`) applies, as for a `str`.
        f.pad(&self.0)
    }
}

impl PartialEq<str> for Name {
    fn eq(&self, other: &str) -> bool {
        &*self.0 == other
    }
}

impl PartialEq<String> for Name {
    fn eq(&self, other: &String) -> bool {
        *self.0 == **other
    }
}

impl PartialEq<&str> for Name {
    fn eq(&self, other: &&str) -> bool {
        &*self.0 == *other
    }
}

impl From<&str> for Name {
    fn from(text: &str) -> Name {
        Name(Rc::from(text))
    }
}

impl Serialize for Name {
    fn serialize<S: serde::Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        serializer.serialize_str(&self.0)
    }
}

/// The distinct cookie names (or hosts, or methods) of a replay. Looked up by a scan: a flow has
/// tens of them, not thousands; past [`Names::MAX`] (a hostile HAR) a text is simply not shared.
#[derive(Debug, Default)]
struct Names(Vec<Name>);

impl Names {
    const MAX: usize = 256;

    fn get(&mut self, text: &str) -> Name {
        if let Some(name) = self.0.iter().find(|n| same_bytes(n.as_str().as_bytes(), text.as_bytes())) {
            return name.clone();
        }
        let name = Name::from(text);
        if self.0.len() < Self::MAX {
            self.0.push(name.clone());
        }
        name
    }
}

/// A cookie withheld from a request, with Chromium's reason names.
#[derive(Debug, Clone, PartialEq, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct Withheld {
    pub name: Name,
    pub reasons: Vec<&'static str>,
    /// The first reason's explanation and fix, in words.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub explanation: Option<&'static str>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub fix: Option<&'static str>,
}

/// A predicted verdict that the recorded `Cookie` header contradicts.
#[derive(Debug, Clone, PartialEq, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct Mismatch {
    pub name: Name,
    /// `sent` or `withheld`.
    pub predicted: &'static str,
    /// `sent` or `not-sent`.
    pub observed: &'static str,
}

#[derive(Debug, Clone, PartialEq, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct RequestReplay {
    /// Predicted, in `Cookie` header order.
    pub cookies_sent: Vec<Name>,
    pub cookies_withheld: Vec<Withheld>,
    /// The names in the recorded `Cookie` header; empty when the request was recorded with the
    /// headers it really sent and had none; `None` when the recording cannot say (provisional
    /// headers, a sanitized export).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub observed_sent: Option<Vec<Name>>,
    /// The cookies the jar would send that a cross-origin fetch left out by its credentials mode
    /// ([`credentials_omitted`]): then `cookies_sent` is empty, as nothing went out.
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub credentials_omitted: Vec<Name>,
    /// Sent by the browser but unknown to our jar: set before the recording started.
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub preexisting: Vec<Name>,
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub mismatches: Vec<Mismatch>,
    /// The length of the `Cookie` header in bytes: the recorded one, or else the one the replay
    /// sends (`name=value` pairs joined by `; `). For the servers' header size limits.
    #[serde(skip)]
    pub cookie_bytes: usize,
}

/// One `Set-Cookie` line of a response.
#[derive(Debug, Clone, PartialEq, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct SetCookieReplay {
    pub name: Name,
    pub line: String,
    pub stored: bool,
    /// The line deletes a stored cookie (`Max-Age=0`, an `Expires` in the past).
    pub deletes: bool,
    pub reasons: Vec<&'static str>,
    /// The stored cookie's domain and whether it is host-only (when a cookie was made at all).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub domain: Option<String>,
    pub host_only: bool,
    /// The first explanation and fix, for a report line.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub explanation: Option<&'static str>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub fix: Option<&'static str>,
    /// Why a line no cookie rule refused was still not kept, when that is so.
    #[serde(skip)]
    pub unkept: Option<Unkept>,
    /// When the line's cookie expires, in seconds since 1970, for a line stored with a lifetime
    /// or one whose `Expires` (without a `Max-Age`) was already past when it arrived
    /// ([`SetCookieReplay::expired_at`]). Not for `Max-Age=0`, which deletes on purpose.
    #[serde(skip)]
    pub expiry: Option<i64>,
}

impl SetCookieReplay {
    /// For a line whose `Expires` was already past when it arrived: that time.
    pub fn expired_at(&self) -> Option<i64> {
        self.expiry.filter(|_| !self.stored)
    }
}

/// Why the browser did not keep a line's cookie though no rule of the cookie itself refused it.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Unkept {
    /// Its response's `Clear-Site-Data` clears cookies: Chromium stores none of the response's
    /// lines ([`super::clear_site_data`]).
    ClearSiteData,
    /// The site's 180 cookies were all `Secure` and this one is not: Firefox does not make room.
    SiteLimit,
}

#[derive(Debug, Clone, PartialEq, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct ResponseReplay {
    pub set_cookies: Vec<SetCookieReplay>,
    /// The cookies `Clear-Site-Data: "cookies"` deleted ([`super::clear_site_data`]), after
    /// the response's own `Set-Cookie` lines were stored.
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub cleared_cookies: Vec<Name>,
    /// The cookies the browser evicted to stay within its limit of cookies per site as this
    /// response's lines were stored (the jar's rules; under Firefox's, a line's own cookie
    /// when it was not kept).
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub evicted_cookies: Vec<Name>,
    /// Whether those went under Chromium's limit for a site's `Partitioned` cookies in one
    /// partition (10 KiB) rather than the site's 180 cookies.
    #[serde(skip)]
    pub evicted_from_partition: bool,
}

/// What a response said that the session findings read, in the rare entries where it said any
/// of it: kept apart (boxed), so that every other entry of a long flow stays small.
#[derive(Debug, Clone, PartialEq, Default)]
pub struct ResponseNotes {
    /// The error the answer page of a silent sign-in carries ([`super::session`]): a provider in
    /// the `web_message` response mode (Auth0's `getTokenSilently`) answers with a page that
    /// posts the result to the app, not with a redirect. Read only for such a request.
    silent_error: Option<&'static str>,
    /// How the server said the request's headers were too large: 431, or a 400 page that says so
    /// (nginx's "Request Header Or Cookie Too Large").
    headers_refused: Option<&'static str>,
    /// The response's `Date` header (the server's clock), in seconds since 1970: read only when a
    /// `Set-Cookie` line expired on arrival, to tell a clock that is off from a date built wrong.
    server_date: Option<i64>,
    /// For a redirect or a 401: the header by which a shared cache (a CDN) says it answered
    /// from storage ([`super::cache::shared_cache_hit`]).
    shared_cache_hit: Option<String>,
    /// For a redirect: why browsers keep it and follow it again without asking the server
    /// ([`super::cache::kept_by_browsers`]).
    kept_by_browsers: Option<String>,
    /// For a fetch answered 2xx with a short JSON body that says no one is signed in (`{}`,
    /// `null`, `"user": null`, `"authenticated": false`): that body
    /// ([`super::session::signed_out_answer`]).
    signed_out_answer: Option<String>,
}

/// The replay of one HAR entry.
///
/// Fields that are usually empty (no redirect, no recorded `Cookie` header, no mismatch…) are
/// left out of the JSON when they are: a 10,000-entry flow's report is megabytes, and handing it
/// to JavaScript costs in proportion to its length.
#[derive(Debug, Clone, PartialEq, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct EntryReplay {
    pub index: usize,
    pub method: Name,
    pub url: String,
    pub host: Name,
    pub status: i64,
    /// `navigation`, `iframe`, `fetch` or `image` (any subresource).
    pub kind: RequestKind,
    /// The same-site context cookies were judged in: `strict`, `lax`, `laxMethodUnsafe`,
    /// `crossSite`.
    pub site: Option<SameSiteContext>,
    /// The entry this one is the redirect target of.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub redirected_from: Option<usize>,
    /// The resolved `Location` of a redirect.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub redirect_to: Option<String>,
    /// Seconds since 1970, from `startedDateTime` (a display shows it in ISO 8601 itself: one
    /// number per entry instead of a second text).
    pub time: Option<f64>,
    /// In milliseconds after the flow's first request.
    pub offset_ms: Option<f64>,
    pub request: RequestReplay,
    pub response: ResponseReplay,
    /// Why the entry could not be replayed (its URL does not parse), if so.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub problem: Option<String>,
    /// `memory` or `disk`: the browser answered from its cache (Chromium's `_fromCache`), so no
    /// request went out: no cookie was sent, and no `Set-Cookie` was read.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub from_cache: Option<&'static str>,
    /// A service worker answered (Chromium's `_fetchedViaServiceWorker`): as with the cache, this
    /// request sent no cookie and stored none; what the worker fetched is an entry of its own.
    #[serde(skip_serializing_if = "std::ops::Not::not")]
    pub from_service_worker: bool,
    /// A prefetch ([`is_prefetch`]): the browser or a framework asked for it ahead of a click,
    /// not the user. Its cookies go and are stored as any request's.
    #[serde(skip_serializing_if = "std::ops::Not::not")]
    pub prefetch: bool,
    #[serde(skip)]
    notes: Option<Box<ResponseNotes>>,
    /// A fetch in CORS mode to another origin, on the same site (its `Origin` names another
    /// origin): one whose cookies, sent and stored, depend on its credentials mode.
    #[serde(skip)]
    pub cross_origin_fetch: bool,
    /// A silent sign-in: an authorization request with `prompt=none` ([`super::session`]).
    #[serde(skip)]
    pub silent_sign_in: bool,
    /// Started by the page's script (Chromium's `_initiator.type` is `script`): for a navigation,
    /// `location.assign()` and the like rather than a link, a form or a redirect.
    #[serde(skip)]
    pub by_script: bool,
}

impl EntryReplay {
    /// The error a silent sign-in's answer page posts to the app ([`ResponseNotes`]).
    pub fn silent_error_in_page(&self) -> Option<&'static str> {
        self.notes.as_ref().and_then(|n| n.silent_error)
    }

    /// How the server refused the request's headers as too large ([`ResponseNotes`]).
    pub fn headers_refused(&self) -> Option<&'static str> {
        self.notes.as_ref().and_then(|n| n.headers_refused)
    }

    /// The response's `Date` header, read when a cookie expired on arrival ([`ResponseNotes`]).
    pub fn server_date(&self) -> Option<i64> {
        self.notes.as_ref().and_then(|n| n.server_date)
    }

    /// The header saying a shared cache answered this redirect or 401 ([`ResponseNotes`]).
    pub fn shared_cache_hit(&self) -> Option<&str> {
        self.notes.as_ref().and_then(|n| n.shared_cache_hit.as_deref())
    }

    /// The body by which a fetch was told no one is signed in ([`ResponseNotes`]).
    pub fn signed_out_answer(&self) -> Option<&str> {
        self.notes.as_ref().and_then(|n| n.signed_out_answer.as_deref())
    }

    /// Why browsers keep this redirect ([`ResponseNotes`]).
    pub fn kept_by_browsers(&self) -> Option<&str> {
        self.notes.as_ref().and_then(|n| n.kept_by_browsers.as_deref())
    }

    fn notes_mut(&mut self) -> &mut ResponseNotes {
        self.notes.get_or_insert_with(Box::default)
    }
}

/// Options for a replay.
#[derive(Debug, Clone, Copy, PartialEq, Default)]
pub struct ReplayOptions {
    pub third_party_cookies: ThirdPartyCookies,
    /// Whose cookie rules; `None`: the HAR's creator decides (Firefox's for a Firefox export,
    /// Chromium's otherwise).
    pub browser: Option<Browser>,
}

/// The kind of request from Chromium's `_resourceType`, else from `Sec-Fetch-Dest`, else (a
/// Firefox export has no `_resourceType`, and browsers send `Sec-Fetch-*` only to https and
/// localhost) from what the browser asks for.
fn kind_of(e: &Entry<'_>) -> RequestKind {
    // Compared without case and without a lower-cased copy: this runs for every entry.
    let is = |text: &str, any: &[&str]| any.iter().any(|a| text.eq_ignore_ascii_case(a));
    let dest = e.request.header("sec-fetch-dest");
    if dest.is_some_and(|d| is(d, &["iframe", "frame", "embed", "object"])) {
        return RequestKind::Iframe;
    }
    match (e.resource_type.as_deref(), dest) {
        (Some(t), _) if is(t, &["document"]) => RequestKind::Navigation,
        (Some(t), _) if is(t, &["fetch", "xhr", "eventsource", "websocket", "ping", "preflight", "other"]) => RequestKind::Fetch,
        (Some(_), _) => RequestKind::Image,
        (None, Some(d)) if is(d, &["document"]) => RequestKind::Navigation,
        (None, Some(d)) if is(d, &["", "empty"]) => RequestKind::Fetch,
        (None, Some(_)) => RequestKind::Image,
        // Browsers send `Upgrade-Insecure-Requests: 1` with navigation requests only (Upgrade
        // Insecure Requests §3.2.1, "navigational requests"); a frame's navigation cannot be told
        // from the top level's here, and the top level is the sign-in's. Other requests name
        // what they take: an image asks for `image/…` first.
        (None, None) if e.request.header("upgrade-insecure-requests").is_some_and(|v| v.trim() == "1") => RequestKind::Navigation,
        (None, None) if e.request.header("accept").is_some_and(|a| a.trim_start().get(..6).is_some_and(|p| p.eq_ignore_ascii_case("image/"))) => RequestKind::Image,
        (None, None) => RequestKind::Fetch,
    }
}

/// A prefetch, by the headers that mark one: `Sec-Purpose: prefetch` (the Fetch Standard's;
/// Chromium's `<link rel=prefetch>` and speculation rules, prerenders too), the older `Purpose:
/// prefetch`, Firefox's `X-Moz: prefetch`, and Next.js's `Next-Router-Prefetch: 1` and
/// `X-Middleware-Prefetch: 1` (its router prefetching the links a page shows). One pass over the
/// headers, names told apart by length first: this is asked of every entry.
fn is_prefetch(e: &Entry<'_>) -> bool {
    e.request.headers.iter().any(|h| {
        let name = h.name.as_ref();
        let is = |n: &str| name.eq_ignore_ascii_case(n);
        match name.len() {
            5 | 7 | 11 => (is("x-moz") || is("purpose") || is("sec-purpose")) && crate::cookie::parse::contains_ignore_ascii_case(&h.value, "prefetch"),
            20 | 21 => (is("next-router-prefetch") || is("x-middleware-prefetch")) && h.value.trim() == "1",
            _ => false,
        }
    })
}

/// A CORS preflight: Chromium's `_resourceType: "preflight"`, or an `OPTIONS` request with
/// `Access-Control-Request-Method` (Fetch Standard §4.8).
fn is_preflight(e: &Entry<'_>) -> bool {
    e.resource_type.as_deref().is_some_and(|t| t.eq_ignore_ascii_case("preflight"))
        || (e.request.method.eq_ignore_ascii_case("OPTIONS") && e.request.header("access-control-request-method").is_some())
}

/// Whether a request that went out without a `Cookie` header, though the jar would have sent
/// cookies, was a cross-origin request whose credentials mode left them out. Such a request is
/// in CORS mode and carries `Origin` (Fetch Standard §3.1, "append a request `Origin` header":
/// for a response tainting of "cors"), naming another origin; it sends cookies only when its
/// credentials mode is `include` (§4.5 HTTP-network-or-cache fetch, "includeCredentials").
/// `fetch`'s default is `same-origin` (XMLHttpRequest: `withCredentials` false), and fonts,
/// module scripts and `crossorigin="anonymous"` elements never include them.
///
/// Not for a fetch on another site: there, blocked third-party cookies (a browser setting,
/// tracking protection) leave the same trace, so the recording cannot tell the two apart.
fn credentials_omitted(e: &Entry<'_>, kind: RequestKind, site: SameSiteContext, url: &str) -> bool {
    if (kind == RequestKind::Fetch && site == SameSiteContext::CrossSite) || e.request.header("sec-fetch-mode").is_some_and(|m| !m.eq_ignore_ascii_case("cors")) {
        return false;
    }
    let Some(origin) = e.request.header("origin").map(str::trim) else { return false };
    // `Origin: null` (an opaque origin: a sandboxed frame, a redirect across origins) is never
    // the request's own origin either.
    origin_of(url).is_some_and(|own| !own.eq_ignore_ascii_case(origin))
}

/// The origin of a URL (`scheme://host[:port]`), or `None` for `null` / unparsable text.
pub(super) fn origin_of(url: &str) -> Option<String> {
    let scheme = url.split_once("://")?.0;
    authority_of(url).map(|authority| format!("{}://{authority}", scheme.to_ascii_lowercase()))
}

/// The authority (host, and port if any) of an absolute URL, as written.
fn authority_of(url: &str) -> Option<&str> {
    // The scheme ends at the first ':' (a later "://" would follow an invalid scheme anyway).
    let (scheme, rest) = split_once_byte(url, b':')?;
    let rest = rest.strip_prefix("//")?;
    let authority = rest.get(..rest.bytes().position(|b| matches!(b, b'/' | b'?' | b'#')).unwrap_or(rest.len()))?;
    (!authority.is_empty() && scheme.bytes().all(|b| b.is_ascii_alphanumeric() || b"+-.".contains(&b))).then_some(authority)
}

/// Resolves a `Location` against the URL it came from (RFC 9110 §10.2.2 / RFC 3986 §5.2, for the
/// forms servers use: absolute, scheme-relative, absolute-path and relative-path).
pub fn resolve_location(base: &str, location: &str) -> String {
    let location = location.trim();
    if location.contains("://") {
        return location.to_string();
    }
    let Some(origin) = origin_of(base) else { return location.to_string() };
    if let Some(rest) = location.strip_prefix("//") {
        let scheme = base.split("://").next().unwrap_or("https");
        return format!("{scheme}://{rest}");
    }
    if location.starts_with('/') {
        return format!("{origin}{location}");
    }
    let path = base.get(origin.len()..).unwrap_or("/");
    let path = path.split(['?', '#']).next().unwrap_or("/");
    if location.starts_with('?') {
        return format!("{origin}{path}{location}");
    }
    let dir = path.rfind('/').and_then(|i| path.get(..=i)).unwrap_or("/");
    format!("{origin}{dir}{location}")
}

/// The names in a `Cookie` header, in order.
fn cookie_header_names(header: &str, names: &mut Names) -> Vec<Name> {
    split_byte(header, b';')
        .map(str::trim)
        .filter(|p| !p.is_empty())
        // A nameless cookie is serialised as its value alone (RFC 6265bis §5.8.3 step 4).
        .map(|p| names.get(split_once_byte(p, b'=').map_or("", |(n, _)| n.trim())))
        .collect()
}

/// The name a `Set-Cookie` line sets (the text before the first `=` of its first pair).
fn set_cookie_name(line: &str) -> &str {
    let pair = split_byte(line, b';').next().unwrap_or("");
    split_once_byte(pair, b'=').map_or("", |(n, _)| n.trim())
}

/// The order to replay entries in: by start time when every entry has one (HAR exports are
/// usually, but not always, in that order), else as listed.
pub fn replay_order(entries: &[Entry<'_>]) -> (Vec<usize>, Vec<Option<f64>>) {
    let times: Vec<Option<f64>> = entries.iter().map(|e| parse_rfc3339(&e.started_date_time)).collect();
    let mut order: Vec<usize> = (0..entries.len()).collect();
    if times.iter().all(Option::is_some) {
        crate::order::stable_sort_by_key(&mut order, |&i| crate::order::f64_key(times.get(i).copied().flatten().unwrap_or(0.0)));
    }
    (order, times)
}

/// Replays `entries` through a fresh jar. `fallback_now` is used for entries without a time.
/// The result has one replay per entry, at the entry's index.
pub fn replay(entries: &[Entry<'_>], options: ReplayOptions, fallback_now: f64) -> Vec<EntryReplay> {
    let (order, times) = replay_order(entries);
    let mut replayer = Replayer::new(options, fallback_now);
    let mut out: Vec<Option<EntryReplay>> = vec![None; entries.len()];
    for &i in &order {
        let Some(e) = entries.get(i) else { continue };
        if let Some(slot) = out.get_mut(i) {
            *slot = Some(replayer.push(i, e, times.get(i).copied().flatten()));
        }
    }
    out.into_iter().flatten().collect()
}

/// A redirect waiting for its next hop: the entry, the resolved `Location`, the chain so far
/// (ending with the entry's URL) and the chain's initiator.
struct PendingRedirect {
    entry: usize,
    to: String,
    chain: Vec<String>,
    initiator: Option<String>,
}

/// The replay as a state machine fed one entry at a time, in the order the browser made the
/// requests: a whole HAR ([`replay`]) or requests as a recorder sees them arrive.
pub struct Replayer {
    options: ReplayOptions,
    jar: CookieJar,
    pending_redirects: Vec<PendingRedirect>,
    current_page: Option<String>,
    last_time: f64,
    first_time: Option<f64>,
    names: Names,
    /// The hosts and methods of the entries, shared the same way.
    texts: Names,
    /// Whether the recording keeps `Cookie` headers: `None` until told or until an entry shows
    /// one (a recorder's requests, pushed one by one); `Some` when the whole file said.
    cookie_headers_kept: Option<bool>,
    /// The browser the recording names (`log.creator`), for when the options name none.
    recorded_in: Browser,
    /// A what-if replay (another browser's rules): the recorded `Cookie` headers are what the
    /// recording's browser did, not evidence for this replay, so none is read.
    predict_only: bool,
}

impl Replayer {
    /// A fresh jar. `fallback_now` is the time of entries that have none, until one has.
    pub fn new(options: ReplayOptions, fallback_now: f64) -> Replayer {
        Replayer { options, jar: CookieJar::with_detail(crate::cookie::parse::Detail::DecisionsOnly), pending_redirects: Vec::new(), current_page: None, last_time: fallback_now, first_time: None, names: Names::default(), texts: Names::default(), cookie_headers_kept: None, recorded_in: Browser::Chromium, predict_only: false }
    }

    /// Tells the replay whether the recording keeps `Cookie` headers, before it has seen one (what
    /// a whole file says: [`crate::flow::har::Har::cookie_headers_kept`]).
    pub fn cookie_headers_kept(&mut self, kept: bool) {
        self.cookie_headers_kept = Some(kept);
    }

    /// Tells the replay which browser made the recording (its rules apply unless the options
    /// name a browser).
    pub fn recorded_in(&mut self, browser: Browser) {
        self.recorded_in = browser;
    }

    /// Makes this a what-if replay: predictions only, no recorded `Cookie` header read.
    pub fn predict_only(&mut self) {
        self.predict_only = true;
    }

    pub fn is_predict_only(&self) -> bool {
        self.predict_only
    }

    /// The options it was made with.
    pub fn options(&self) -> ReplayOptions {
        self.options
    }

    /// Whose cookie rules the replay applies.
    pub fn browser(&self) -> Browser {
        self.options.browser.unwrap_or(self.recorded_in)
    }

    /// The cookie jar as the replay has left it.
    pub fn jar(&self) -> &CookieJar {
        &self.jar
    }

    /// Replays entry `i` (its index in the recording), started at `time` (seconds since 1970).
    pub fn push(&mut self, i: usize, e: &Entry<'_>, time: Option<f64>) -> EntryReplay {
        let url: &str = &e.request.url;
        if self.first_time.is_none() {
            self.first_time = time;
        }
        let first_time = self.first_time;
        let now_f = time.unwrap_or(self.last_time);
        self.last_time = now_f;
        let now = crate::time::whole_seconds(now_f).unwrap_or_default();
        let kind = kind_of(e);

        // Is this the target of an earlier redirect? (The most recent one with this Location.)
        let pending = self.pending_redirects.iter().rposition(|p| p.to == url).map(|p| self.pending_redirects.remove(p));
        let redirected_from = pending.as_ref().map(|p| p.entry);
        let (chain, inherited_initiator) = match pending {
            Some(p) => (p.chain, p.initiator),
            None => (Vec::new(), None),
        };

        // The initiator: the start of a redirect chain keeps it; `Sec-Fetch-Site: none` is the
        // user (address bar, bookmark); else Origin, else Referer.
        let initiator = if redirected_from.is_some() {
            inherited_initiator
        } else if e.request.header("sec-fetch-site").is_some_and(|s| s.eq_ignore_ascii_case("none")) {
            None
        } else {
            e.request
                .header("origin")
                .and_then(origin_of)
                .or_else(|| e.request.header("referer").and_then(origin_of))
                // The browser's own verdict when the page stripped Origin and Referer
                // (Referrer-Policy: no-referrer): some other site started it.
                .or_else(|| {
                    e.request
                        .header("sec-fetch-site")
                        .is_some_and(|s| s.eq_ignore_ascii_case("cross-site"))
                        .then(|| UNKNOWN_CROSS_SITE.to_string())
                })
        };

        // The request's context, resolved from the entry's own texts (no RequestContext of copies).
        let method: &str = if e.request.method.is_empty() { "GET" } else { &e.request.method };
        let top_level_url = if kind == RequestKind::Navigation { None } else { self.current_page.as_deref() };
        let resolved = ResolvedRequest::resolve_parts(url, method, kind, initiator.as_deref(), top_level_url, &chain, (self.options.third_party_cookies, self.browser()));
        if kind == RequestKind::Navigation {
            self.current_page = Some(url.to_string());
        }

        let status = e.response.status;
        let redirect_to = (300..400).contains(&status).then(|| {
            let loc = if e.response.redirect_url.is_empty() { e.response.header("location").unwrap_or("") } else { &e.response.redirect_url };
            resolve_location(url, loc)
        });
        if let Some(to) = &redirect_to {
            let mut next_chain = chain;
            next_chain.push(url.to_string());
            self.pending_redirects.push(PendingRedirect { entry: i, to: to.clone(), chain: next_chain, initiator });
        }

        let cookie_header = e.request.header("cookie");
        if self.cookie_headers_kept.is_none() && e.has_cookie_headers() {
            self.cookie_headers_kept = Some(true);
        }
        let mut replay = EntryReplay {
            index: i,
            method: self.texts.get(method),
            url: url.to_string(),
            host: self.texts.get(authority_of(url).unwrap_or_default()),
            status,
            kind,
            site: None,
            redirected_from,
            redirect_to,
            time,
            offset_ms: time.zip(first_time).map(|(t, f)| ((t - f) * 1000.0).round()),
            request: RequestReplay {
                cookies_sent: Vec::new(),
                cookies_withheld: Vec::new(),
                observed_sent: match cookie_header {
                    _ if self.predict_only => None,
                    Some(h) => Some(cookie_header_names(h, &mut self.names)),
                    None if e.headers_as_sent(self.cookie_headers_kept == Some(true)) => Some(Vec::new()),
                    None => None,
                },
                credentials_omitted: Vec::new(),
                preexisting: Vec::new(),
                mismatches: Vec::new(),
                cookie_bytes: cookie_header.map_or(0, str::len),
            },
            response: ResponseReplay { set_cookies: Vec::new(), cleared_cookies: Vec::new(), evicted_cookies: Vec::new(), evicted_from_partition: false },
            problem: None,
            from_cache: match e.from_cache.as_deref() {
                Some(c) if c.eq_ignore_ascii_case("memory") => Some("memory"),
                Some(c) if !c.is_empty() => Some("disk"),
                _ => None,
            },
            from_service_worker: e.answered_by_service_worker(),
            prefetch: is_prefetch(e),
            cross_origin_fetch: false,
            silent_sign_in: super::session::is_silent_authorization(url),
            by_script: e.initiator.as_ref().is_some_and(|i| i.kind.eq_ignore_ascii_case("script")),
            notes: None,
        };
        if let Some(how) = super::session::headers_refused(status, || e.response.content.raw_text()) {
            replay.notes_mut().headers_refused = Some(how);
        }
        // A redirect, or a 401, kept or answered by a cache: the server may never see the
        // session (the session findings say when it matters).
        if (replay.redirect_to.is_some() || status == 401) && replay.from_cache.is_none() {
            if let Some(hit) = super::cache::shared_cache_hit(&e.response) {
                replay.notes_mut().shared_cache_hit = Some(hit);
            }
            if replay.redirect_to.is_some() {
                if let Some(kept) = super::cache::kept_by_browsers(status, &e.response) {
                    replay.notes_mut().kept_by_browsers = Some(kept);
                }
            }
        }
        if (200..300).contains(&status) && kind == RequestKind::Fetch {
            if let Some(body) = super::session::signed_out_answer(url, &e.response.content) {
                replay.notes_mut().signed_out_answer = Some(body);
            }
        }
        if (200..300).contains(&status) && replay.silent_sign_in {
            if let Some(error) = e.response.content.raw_text().and_then(super::session::silent_error_in_page) {
                replay.notes_mut().silent_error = Some(error);
            }
        }

        let request = match resolved {
            Ok(r) => r,
            Err(problem) => {
                replay.problem = Some(problem);
                return replay;
            }
        };
        replay.site = Some(request.context);

        if replay.from_cache.is_some() || replay.from_service_worker {
            // This request reached no server: the jar is neither read nor written. (A cached
            // redirect still leads on: the chain above already follows it.)
            return replay;
        }
        if is_preflight(e) {
            // A CORS preflight never includes credentials (Fetch Standard §4.8, CORS-preflight
            // fetch: its credentials mode is "same-origin", its response tainting "cors"): it
            // sends no cookie and stores none, whatever the jar holds.
            return replay;
        }

        // RFC 6265bis §5.8.3: what goes out.
        let names = &mut self.names;
        let sent = &mut replay.request.cookies_sent;
        let mut bytes = 0;
        let withheld = self.jar.names_for_request(&request, now, |c| {
            sent.push(names.get(c.name()));
            // §5.8.3 step 4: "name=value" (the value alone for a nameless cookie), joined by "; ".
            bytes += usize::from(bytes > 0) * 2 + c.name().len() + usize::from(!c.name().is_empty()) + c.value().len();
        });

        replay.request.cookies_withheld = withheld
            .iter()
            .map(|w| Withheld {
                name: names.get(&w.name),
                reasons: w.reason_list().iter().map(|r| r.as_str()).collect(),
                explanation: w.reasons.first().map(|r| r.explanation),
                fix: w.reasons.first().map(|r| r.fix),
            })
            .collect();
        let req = &mut replay.request;
        if !req.cookies_sent.is_empty() && req.observed_sent.as_ref().is_some_and(Vec::is_empty) && credentials_omitted(e, kind, request.context, url) {
            req.credentials_omitted = std::mem::take(&mut req.cookies_sent);
        } else if cookie_header.is_none() {
            req.cookie_bytes = bytes;
        }
        if let Some(observed) = &req.observed_sent {
            for name in observed {
                let known = self.jar.cookies().iter().any(|c| c.name() == name.as_str());
                if !req.cookies_sent.contains(name) {
                    if known {
                        req.mismatches.push(Mismatch { name: name.clone(), predicted: "withheld", observed: "sent" });
                    } else {
                        req.preexisting.push(name.clone());
                    }
                }
            }
            for name in &req.cookies_sent {
                if !observed.contains(name) {
                    req.mismatches.push(Mismatch { name: name.clone(), predicted: "sent", observed: "not-sent" });
                }
            }
        }

        // RFC 6265bis §5.7: what the response stores. (Whether it answered a cross-origin fetch,
        // whose credentials mode decides whether the browser stores anything, is for the session
        // findings: the recording cannot show that mode.)
        let mut lines = e.response.set_cookie_lines().peekable();
        if kind == RequestKind::Fetch && lines.peek().is_some() {
            replay.cross_origin_fetch = credentials_omitted(e, kind, request.context, url);
        }
        // Clear-Site-Data that clears cookies: Chromium stores none of this response's cookies.
        let clears_cookies = super::clear_site_data::header_clears_cookies(&e.response);
        let refused_for_clearing = clears_cookies && self.browser() == Browser::Chromium;
        for line in lines {
            if refused_for_clearing {
                replay.response.set_cookies.push(SetCookieReplay {
                    name: self.names.get(set_cookie_name(line)),
                    line: line.to_string(),
                    stored: false,
                    deletes: false,
                    reasons: vec!["SyntaxError"],
                    domain: None,
                    host_only: false,
                    explanation: Some(super::clear_site_data::REFUSED_EXPLANATION),
                    fix: Some(super::clear_site_data::FIX),
                    unkept: Some(Unkept::ClearSiteData),
                    expiry: None,
                });
                continue;
            }
            let set = self.jar.set_cookie(line, &request, now);
            // Firefox does not keep a non-Secure cookie when the site's 180 are all Secure (where
            // Chromium stores it and may evict it at once, as non-Secure cookies go first).
            let made = set.storage.cookie.as_ref().map(|c| (c.name(), c.domain()));
            let not_kept = self.browser() == Browser::Firefox && set.evicted.iter().any(|(n, d)| made == Some((n.as_str(), d.as_str())));
            replay.response.evicted_cookies.extend(set.evicted.iter().map(|(n, _)| self.names.get(n)));
            replay.response.evicted_from_partition |= set.evicted_from_partition;
            let (stored, deletes, reasons) = match &set.storage.decision {
                StorageDecision::Stored => (true, false, Vec::new()),
                StorageDecision::DeletesExisting => (false, set.replaced_existing, Vec::new()),
                StorageDecision::Rejected(r) => (false, false, r.iter().map(|r| r.as_str()).collect()),
            };
            let first = set.storage.explained.first();
            // The cookie's expiry, stored or already past (Max-Age ≤ 0 is i64::MIN: a deletion on
            // purpose; a refused line or one left out keeps none).
            let expiry = match (&set.storage.decision, set.storage.cookie.as_ref().and_then(|c| c.expiry)) {
                (StorageDecision::Stored, at) if !not_kept => at,
                (StorageDecision::DeletesExisting, Some(at)) if at != i64::MIN => Some(at),
                _ => None,
            };
            let expired_at = expiry.filter(|_| !stored);
            if expired_at.is_some() && replay.server_date().is_none() {
                if let Some(date) = e.response.header("date").and_then(crate::cookie::date::parse_cookie_date) {
                    replay.notes_mut().server_date = Some(date);
                }
            }
            replay.response.set_cookies.push(SetCookieReplay {
                name: self.names.get(set.storage.cookie.as_ref().map_or_else(|| set_cookie_name(line), |c| c.name())),
                line: line.to_string(),
                stored: stored && !not_kept,
                deletes,
                reasons,
                domain: set.storage.cookie.as_ref().map(|c| c.domain().to_string()),
                host_only: set.storage.cookie.as_ref().is_some_and(|c| c.host_only),
                // No rule refused a line that expired on arrival, or one the site's limit left
                // out: say so in words instead.
                explanation: if not_kept {
                    Some(super::session::NOT_KEPT_EXPLANATION)
                } else {
                    first.map(|x| x.explanation).or(expired_at.map(|_| super::session::EXPIRED_EXPLANATION))
                },
                fix: first.map(|x| x.fix),
                unkept: not_kept.then_some(Unkept::SiteLimit),
                expiry,
            });
        }
        // After the Set-Cookie lines: a session set by the same response goes too (Firefox,
        // recorded; Chromium never stored it).
        // (Clear Site Data §4.1: obeyed only from a potentially trustworthy origin.)
        if clears_cookies && request.url.is_secure() {
            let cleared = self.jar.clear_site(request.url.host());
            replay.response.cleared_cookies = cleared.iter().map(|c| self.names.get(c.name())).collect();
        }
        replay
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::flow::har::parse_har;

    #[test]
    fn locations_resolve() {
        let base = "https://app.test/api/auth/callback?code=1";
        assert_eq!(resolve_location(base, "/dashboard"), "https://app.test/dashboard");
        assert_eq!(resolve_location(base, "https://idp.test/x"), "https://idp.test/x");
        assert_eq!(resolve_location(base, "//cdn.test/y"), "https://cdn.test/y");
        assert_eq!(resolve_location(base, "google"), "https://app.test/api/auth/google");
        assert_eq!(resolve_location(base, "?a=2"), "https://app.test/api/auth/callback?a=2");
    }

    #[allow(clippy::too_many_arguments)]
    fn entry(at: &str, method: &str, url: &str, headers: &str, status: i64, set_cookie: &str, redirect: &str, dest: &str) -> String {
        let set = if set_cookie.is_empty() { String::new() } else { format!(r#"{{"name":"set-cookie","value":"{set_cookie}"}}"#) };
        format!(
            r#"{{"startedDateTime":"{at}","request":{{"method":"{method}","url":"{url}","headers":[{headers}]}},"response":{{"status":{status},"headers":[{set}],"redirectURL":"{redirect}"}},"_resourceType":"{dest}"}}"#
        )
    }

    /// The OAuth chain: a cross-site form POST to /callback sets a Strict session cookie and
    /// redirects to /dashboard, where Chromium withholds it.
    #[test]
    fn oauth_chain_withholds_strict_session_on_dashboard() {
        let har = format!(
            r#"{{"log":{{"entries":[{},{},{}]}}}}"#,
            entry("2026-11-23T10:00:00.000Z", "GET", "https://idp.test/authorize", r#"{"name":"Sec-Fetch-Site","value":"cross-site"},{"name":"Referer","value":"https://app.test/login"}"#, 200, "", "", "document"),
            entry("2026-11-23T10:00:01.000Z", "POST", "https://app.test/callback", r#"{"name":"Origin","value":"https://idp.test"}"#, 302, "session=abc; Path=/; Secure; HttpOnly; SameSite=Strict", "/dashboard", "document"),
            entry("2026-11-23T10:00:01.100Z", "GET", "https://app.test/dashboard", "", 200, "", "", "document"),
        );
        let parsed = parse_har(har.as_bytes());
        let r = replay(&parsed.entries, ReplayOptions::default(), 0.0);
        assert_eq!(r.len(), 3);
        assert!(r[1].response.set_cookies[0].stored);
        assert_eq!(r[2].redirected_from, Some(1));
        assert_eq!(r[2].request.cookies_withheld.len(), 1);
        assert_eq!((r[2].request.cookies_withheld[0].name.as_str(), r[2].request.cookies_withheld[0].reasons.clone()), ("session", vec!["SchemefulSameSiteStrict"]));
        assert!(r[2].request.cookies_withheld[0].fix.is_some());
        assert_eq!((r[2].url.as_str(), r[2].offset_ms, r[2].time), ("https://app.test/dashboard", Some(1100.0), Some(1_795_428_001.1)));
        assert_eq!(r[2].site, Some(SameSiteContext::Lax));
        assert!(r[2].request.observed_sent.is_none());
    }

    /// Fed one entry at a time (as a recorder sees them), the replay says what the whole-file
    /// replay says.
    #[test]
    fn incremental_replay_matches_the_whole_file() {
        let har = format!(
            r#"{{"log":{{"entries":[{},{},{}]}}}}"#,
            entry("2026-11-23T10:00:00.000Z", "GET", "https://idp.test/authorize", "", 200, "", "", "document"),
            entry("2026-11-23T10:00:01.000Z", "POST", "https://app.test/callback", r#"{"name":"Origin","value":"https://idp.test"}"#, 302, "session=abc; Path=/; Secure; SameSite=Strict", "/dashboard", "document"),
            entry("2026-11-23T10:00:01.100Z", "GET", "https://app.test/dashboard", "", 200, "", "", "document"),
        );
        let parsed = parse_har(har.as_bytes());
        let whole = replay(&parsed.entries, ReplayOptions::default(), 0.0);
        let mut replayer = Replayer::new(ReplayOptions::default(), 0.0);
        let fed: Vec<EntryReplay> = parsed
            .entries
            .iter()
            .enumerate()
            .map(|(i, e)| replayer.push(i, e, crate::time::parse_rfc3339(&e.started_date_time)))
            .collect();
        assert_eq!(fed, whole);
        assert_eq!(replayer.jar().cookies().len(), 1);
    }

    #[test]
    fn observed_cookie_headers_are_compared() {
        let har = format!(
            r#"{{"log":{{"entries":[{},{}]}}}}"#,
            entry("2026-11-23T10:00:00.000Z", "GET", "https://app.test/login", r#"{"name":"Sec-Fetch-Site","value":"none"}"#, 200, "a=1; Path=/", "", "document"),
            entry("2026-11-23T10:00:01.000Z", "GET", "https://app.test/api/me", r#"{"name":"Cookie","value":"old=1; b=2"},{"name":"Referer","value":"https://app.test/login"}"#, 200, "", "", "fetch"),
        );
        let parsed = parse_har(har.as_bytes());
        let r = replay(&parsed.entries, ReplayOptions::default(), 0.0);
        assert_eq!(r[1].request.cookies_sent, ["a"]);
        assert_eq!(r[1].request.preexisting, ["old", "b"]);
        assert_eq!(r[1].request.mismatches, [Mismatch { name: "a".into(), predicted: "sent", observed: "not-sent" }]);
    }
}
