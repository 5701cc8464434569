//! URLs, sites and the request context a cookie decision depends on: RFC 6265bis §5.2
//! ("Same-site and cross-site requests"), §5.1.3 (domain matching), §5.1.4 (paths), and the
//! "secure protocol" notion of §5.7 / §5.8.3.
//!
//! A request's *site for cookies* is compared with its URL, its initiator and every URL of its
//! redirect chain, giving one of four contexts (Chromium's `CookieOptions::SameSiteCookieContext`):
//! `Strict`, `Lax`, `LaxMethodUnsafe` (cross-site top-level navigation with POST, …) or `CrossSite`.
//! Both the schemeless and the schemeful (scheme is part of the site) contexts are computed;
//! decisions use the schemeful one, and a cookie blocked only because of the scheme gets the
//! `Schemeful…` reason, as Chromium reports it.
//!
//! ## Deviations: where we follow Chromium rather than the spec
//! - Redirects: a request whose redirect chain has any URL cross-site with the site for cookies
//!   is at most `Lax` for a top-level navigation and cross-site for anything else (Chromium's
//!   `ComputeSameSiteContext` with "SameSite cookies consider redirect chain" enabled). RFC 6265bis
//!   §5.2.1 says the same in prose; Chromium is the reference for the exact rule.
//! - Setting cookies from a top-level navigation response is always at least `Lax`: a top-level
//!   navigation can set `Strict` and `Lax` cookies even when it came from another site.
//! - `http://localhost`, `*.localhost`, `127.0.0.0/8` and `[::1]` count as secure, so `Secure`
//!   cookies are stored and sent there over plain HTTP (Chromium since version 89).
//! - Only a small URL parser is used: scheme, host (lower-cased; IPv6 in brackets), port is
//!   dropped, path up to `?`/`#`. No percent-decoding or IDNA; hosts should be given in ASCII.

use serde::{Deserialize, Serialize};

use crate::cookie::parse::find_byte;
use crate::cookie::psl;

/// The parts of a URL that cookies look at: scheme, host, path and site, held in one buffer
/// (a flow resolves a URL per request, and four allocations per URL were most of that).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct CookieUrl {
    /// Lower-case scheme, lower-case host and path back to back; then the site, when it is not
    /// a suffix of the host.
    text: String,
    /// Where the host, the path and the path's end are in `text`.
    host_at: usize,
    path_at: usize,
    path_end: usize,
    /// Where the schemeless site ([`site_of_host`]) is in `text`: computed once at parse time,
    /// because same-site checks ask for it several times per request. It is almost always a
    /// suffix of the host (the registrable domain, or the host itself); a host with a trailing
    /// dot or non-ASCII letters has a site written differently, stored after the path.
    site_at: usize,
    site_end: usize,
    /// Whether the scheme is `https` or `wss` (asked for every same-site comparison).
    secure_scheme: bool,
}

impl CookieUrl {
    /// Parses an absolute URL. `Err` says what is wrong, for a caller-facing message.
    pub fn parse(text: &str) -> Result<CookieUrl, String> {
        // (Byte searches throughout: every delimiter here is ASCII, and a URL is parsed per
        // request, so the general pattern searchers showed up in profiles.)
        let text = trim_ascii_whitespace(text);
        let colon = find_byte(text.as_bytes(), b':').ok_or("no scheme (expected e.g. https://host/path)")?;
        let (scheme, rest) = (text.get(..colon).unwrap_or(""), text.get(colon + 1..).unwrap_or(""));
        if scheme.is_empty() || !scheme.bytes().all(|b| b.is_ascii_alphanumeric() || matches!(b, b'+' | b'-' | b'.')) {
            return Err("invalid scheme".to_string());
        }
        let Some(rest) = rest.strip_prefix("//") else {
            // `data:`, `about:blank`, … have no host: cookies cannot be set for them.
            return Ok(CookieUrl::from_parts(scheme, "", "/"));
        };
        // The authority ends at the first '/', '?' or '#'; its host after the last '@'.
        let mut end = rest.len();
        let mut at_sign = None;
        for (i, &b) in rest.as_bytes().iter().enumerate() {
            match b {
                b'/' | b'?' | b'#' => {
                    end = i;
                    break;
                }
                b'@' => at_sign = Some(i),
                _ => {}
            }
        }
        let (authority, tail) = (rest.get(..end).unwrap_or(""), rest.get(end..).unwrap_or(""));
        let host_port = match at_sign {
            Some(at) => authority.get(at + 1..).unwrap_or(""),
            None => authority,
        };
        let host = if host_port.starts_with('[') {
            let close = find_byte(host_port.as_bytes(), b']').ok_or("unclosed '[' in IPv6 host")?;
            host_port.get(..=close).unwrap_or(host_port)
        } else {
            host_port.get(..find_byte(host_port.as_bytes(), b':').unwrap_or(host_port.len())).unwrap_or(host_port)
        };
        if host.is_empty()
            && ["http", "https", "ws", "wss"].iter().any(|s| s.eq_ignore_ascii_case(scheme))
        {
            return Err("empty host".to_string());
        }
        let path_end = tail.bytes().position(|b| b == b'?' || b == b'#').unwrap_or(tail.len());
        let path = tail.get(..path_end).unwrap_or("");
        Ok(CookieUrl::from_parts(scheme, host, if path.is_empty() { "/" } else { path }))
    }

    /// Lower-cases scheme and host (ASCII only: hosts reach us in their ASCII form) and finds
    /// the site.
    fn from_parts(scheme: &str, host: &str, path: &str) -> CookieUrl {
        let mut text = String::with_capacity(scheme.len() + host.len() + path.len());
        text.push_str(scheme);
        text.push_str(host);
        let host_at = scheme.len();
        let path_at = text.len();
        if let Some(head) = text.get_mut(..path_at) {
            head.make_ascii_lowercase();
        }
        text.push_str(path);
        let path_end = text.len();
        let host = text.get(host_at..path_at).unwrap_or("");
        let (mut site_at, mut site_end) = (path_at, path_at);
        if !host.is_empty() {
            match site_of_host(host) {
                std::borrow::Cow::Borrowed(site) if host.ends_with(site) => site_at = path_at - site.len(),
                site => {
                    let site = site.into_owned();
                    text.push_str(&site);
                    (site_at, site_end) = (path_end, text.len());
                }
            }
        }
        let secure_scheme = matches!(text.get(..host_at), Some("https" | "wss"));
        CookieUrl { text, host_at, path_at, path_end, site_at, site_end, secure_scheme }
    }

    /// Lower-case scheme: `https`, `http`, …
    pub fn scheme(&self) -> &str {
        self.text.get(..self.host_at).unwrap_or("")
    }

    /// Lower-case host; IPv6 addresses keep their brackets (`[::1]`).
    pub fn host(&self) -> &str {
        self.text.get(self.host_at..self.path_at).unwrap_or("")
    }

    /// The path, `/` when empty; no query or fragment.
    pub fn path(&self) -> &str {
        self.text.get(self.path_at..self.path_end).unwrap_or("/")
    }

    /// The schemeless site: registrable domain, or the host itself for IPs and public suffixes.
    pub fn site(&self) -> &str {
        self.text.get(self.site_at..self.site_end).unwrap_or("")
    }

    /// Whether the scheme is a secure one for the schemeful site (`https`, `wss`).
    fn secure_scheme(&self) -> bool {
        self.secure_scheme
    }

    /// Whether the host is an IP address (IPv4 dotted or bracketed IPv6).
    pub fn host_is_ip(&self) -> bool {
        is_ip(self.host())
    }

    /// A "secure protocol" for cookies: https/wss, or a local host Chromium treats as
    /// potentially trustworthy.
    pub fn is_secure(&self) -> bool {
        self.secure_scheme() || self.is_local_host()
    }

    /// `localhost`, `*.localhost`, `127.0.0.0/8`, `[::1]`.
    pub fn is_local_host(&self) -> bool {
        let h = self.host().strip_suffix('.').unwrap_or(self.host());
        h == "localhost"
            || h.ends_with(".localhost")
            || h == "[::1]"
            || h.parse::<std::net::Ipv4Addr>().is_ok_and(|ip| ip.is_loopback())
    }

    /// Whether the scheme can carry cookies at all.
    pub fn scheme_supports_cookies(&self) -> bool {
        matches!(self.scheme(), "http" | "https" | "ws" | "wss")
    }

    /// The schemeful site's origin form (`https://example.com`): Partitioned cookies' key.
    pub fn schemeful_site(&self) -> String {
        let mut out = String::with_capacity(self.site().len() + 8);
        out.push_str(if self.secure_scheme() { "https://" } else { "http://" });
        out.push_str(self.site());
        out
    }

    /// Whether `key` is [`CookieUrl::schemeful_site`], without building it.
    pub fn is_schemeful_site(&self, key: &str) -> bool {
        let scheme = if self.secure_scheme() { "https://" } else { "http://" };
        key.strip_prefix(scheme) == Some(self.site())
    }
}

/// `str::trim_matches(char::is_ascii_whitespace)`, on bytes (every such character is ASCII).
fn trim_ascii_whitespace(text: &str) -> &str {
    let b = text.as_bytes();
    let start = b.iter().position(|c| !c.is_ascii_whitespace()).unwrap_or(b.len());
    let end = b.iter().rposition(|c| !c.is_ascii_whitespace()).map_or(start, |i| i + 1);
    text.get(start..end).unwrap_or("")
}

/// The schemeless site of a host: its registrable domain, or the host itself for IP addresses
/// and public suffixes. Borrowed from `host` whenever it can be (a lower-case host), so comparing
/// sites allocates nothing.
pub fn site_of_host(host: &str) -> std::borrow::Cow<'_, str> {
    if is_ip(host) {
        return std::borrow::Cow::Borrowed(host);
    }
    psl::registrable_domain_cow(host).unwrap_or(std::borrow::Cow::Borrowed(host))
}

fn is_ip(host: &str) -> bool {
    // (A dotted IPv4 address ends in a digit; most hosts do not, and skip the parse.)
    host.starts_with('[') || (host.ends_with(|c: char| c.is_ascii_digit()) && host.parse::<std::net::Ipv4Addr>().is_ok())
}

/// RFC 6265bis §5.1.3: does `host` domain-match `domain` (both lower-case)?
pub fn domain_match(host: &str, domain: &str) -> bool {
    if host == domain {
        return true;
    }
    // The domain is a suffix of the host, the character before it is '.', and the host is a
    // host name (not an IP address).
    host.len() > domain.len()
        && host.ends_with(domain)
        && host.as_bytes().get(host.len() - domain.len() - 1) == Some(&b'.')
        && !is_ip(host)
}

/// RFC 6265bis §5.1.4: the default path of a request path (its "directory").
pub fn default_path(request_path: &str) -> &str {
    if !request_path.starts_with('/') {
        return "/";
    }
    match request_path.rfind('/') {
        Some(0) | None => "/",
        Some(i) => request_path.get(..i).unwrap_or("/"),
    }
}

/// RFC 6265bis §5.1.4: does `request_path` path-match `cookie_path`?
pub fn path_match(request_path: &str, cookie_path: &str) -> bool {
    if request_path == cookie_path {
        return true;
    }
    request_path.starts_with(cookie_path)
        && (cookie_path.ends_with('/') || request_path.as_bytes().get(cookie_path.len()) == Some(&b'/'))
}

/// What kind of request this is: top-level navigations are treated differently by `SameSite`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub enum RequestKind {
    /// The address bar, a link or a form in the top-level window.
    #[default]
    Navigation,
    /// A navigation inside an `<iframe>`.
    Iframe,
    /// `fetch()` / XHR.
    Fetch,
    /// `<img>`, `<script>` and other subresources.
    Image,
}

/// Whose cookie rules apply. Chromium's are the default. Firefox's differ where Firefox 153 was
/// recorded doing otherwise (`tests/fixtures/firefox-cookie-verdicts.json`):
/// - same-site is schemeless: `http://app.test` and `https://app.test` are one site;
/// - a cookie without `SameSite` is sent cross-site (no "Lax by default", so no
///   Lax-allowing-unsafe either);
/// - Total Cookie Protection: a third-party request carries only the cookies stored under its
///   top-level site, and a third-party response stores its cookies there;
/// - `__Host-` needs the cookie's path to be `/` (a missing `Path` that defaults to `/` will do);
///   a line without `=` is a name with an empty value, and an empty name is refused.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum Browser {
    #[default]
    Chromium,
    Firefox,
}

impl Browser {
    /// The browser a HAR's `log.creator` names: Firefox's DevTools write "Firefox"; anything
    /// else is read with Chromium's rules.
    pub fn of_creator(creator: &str) -> Browser {
        if creator.to_ascii_lowercase().contains("firefox") {
            Browser::Firefox
        } else {
            Browser::Chromium
        }
    }

    /// The other one: whose rules a comparison replays with.
    pub fn other(self) -> Browser {
        match self {
            Browser::Chromium => Browser::Firefox,
            Browser::Firefox => Browser::Chromium,
        }
    }

    /// Its name in a sentence ("with Firefox's rules").
    pub fn name(self) -> &'static str {
        match self {
            Browser::Chromium => "Chromium",
            Browser::Firefox => "Firefox",
        }
    }
}

/// The browser's third-party cookie setting. With [`Browser::Firefox`], `Allowed` (its default)
/// means Total Cookie Protection: third-party cookies are kept apart per top-level site.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub enum ThirdPartyCookies {
    #[default]
    Allowed,
    /// Blocked by the user (reported as `UserPreferences`).
    Blocked,
    /// Blocked by the third-party cookie phase-out (reported as `ThirdPartyPhaseout` when sending).
    Phaseout,
}

/// A request (or the request whose response sets cookies), as the caller describes it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase", default)]
pub struct RequestContext {
    /// The request URL.
    pub url: String,
    /// The HTTP method (after redirects: a 302/303 turns POST into GET).
    pub method: String,
    pub kind: RequestKind,
    /// The origin (or any URL) of the document that started the request; `None` when the user
    /// started it (typed URL, bookmark), which counts as same-site.
    pub initiator: Option<String>,
    /// For iframes and subresources: the URL of the top-level page. Ignored for navigations.
    pub top_level_url: Option<String>,
    /// Earlier URLs of this request's redirect chain, first to last, not including `url`.
    pub redirect_chain: Vec<String>,
    pub third_party_cookies: ThirdPartyCookies,
    /// Whose rules decide (Chromium's unless told).
    pub browser: Browser,
}

impl Default for RequestContext {
    fn default() -> Self {
        RequestContext {
            url: String::new(),
            method: "GET".to_string(),
            kind: RequestKind::Navigation,
            initiator: None,
            top_level_url: None,
            redirect_chain: Vec::new(),
            third_party_cookies: ThirdPartyCookies::Allowed,
            browser: Browser::Chromium,
        }
    }
}

impl RequestContext {
    /// The method as the request line writes it (`GET` when none was given).
    pub fn method_name(&self) -> String {
        if self.method.is_empty() {
            "GET".to_string()
        } else {
            self.method.to_ascii_uppercase()
        }
    }

    /// A user-typed top-level GET navigation to `url` (same-site, nothing cross-site).
    pub fn navigation(url: &str) -> RequestContext {
        RequestContext {
            url: url.to_string(),
            ..RequestContext::default()
        }
    }
}

/// Chromium's same-site context for a request, weakest first.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Serialize)]
#[serde(rename_all = "camelCase")]
pub enum SameSiteContext {
    CrossSite,
    /// A cross-site top-level navigation with an unsafe method (POST): Lax cookies stay home.
    LaxMethodUnsafe,
    /// A cross-site top-level navigation with a safe method, or a cross-site redirect in the chain.
    Lax,
    Strict,
}

/// A [`RequestContext`] with its URLs parsed and its same-site contexts computed.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ResolvedRequest {
    pub url: CookieUrl,
    /// Whether the method is "safe" (GET, HEAD, OPTIONS, TRACE).
    safe_method: bool,
    pub kind: RequestKind,
    /// Context for sending cookies on this request, schemeful (the one that decides).
    pub context: SameSiteContext,
    /// The same without the scheme, to tell `Schemeful…` reasons apart.
    pub schemeless_context: SameSiteContext,
    /// Context for cookies set by this request's response (schemeful / schemeless).
    pub response_context: SameSiteContext,
    pub schemeless_response_context: SameSiteContext,
    /// Whether the request is third-party (its URL is cross-site with the top-level site).
    pub third_party: bool,
    /// The site for cookies (the top-level page), when it is not the request URL itself: its
    /// schemeful site is the partition Partitioned cookies live in.
    top_level: Option<CookieUrl>,
    pub third_party_cookies: ThirdPartyCookies,
    pub browser: Browser,
}

fn is_safe_method(method: &str) -> bool {
    ["GET", "HEAD", "OPTIONS", "TRACE"]
        .iter()
        .any(|m| m.eq_ignore_ascii_case(method))
}

impl ResolvedRequest {
    /// Parses the URLs and computes the contexts. `Err` names the URL that does not parse.
    pub fn resolve(ctx: &RequestContext) -> Result<ResolvedRequest, String> {
        Self::resolve_parts(
            &ctx.url,
            &ctx.method,
            ctx.kind,
            ctx.initiator.as_deref(),
            ctx.top_level_url.as_deref(),
            &ctx.redirect_chain,
            (ctx.third_party_cookies, ctx.browser),
        )
    }

    /// A top-level navigation to `url` (GET, no redirects), started by `initiator` (`None`: by
    /// the user): [`ResolvedRequest::resolve`] without building a [`RequestContext`].
    pub fn navigation(url: &str, initiator: Option<&str>) -> Result<ResolvedRequest, String> {
        Self::resolve_parts(url, "GET", RequestKind::Navigation, initiator, None, &[], (ThirdPartyCookies::Allowed, Browser::Chromium))
    }

    /// [`ResolvedRequest::resolve`] from borrowed parts: a replay resolves every request of a flow
    /// and need not copy its texts into a [`RequestContext`] first. `settings`: the browser's
    /// third-party cookie setting, and whose rules.
    pub(crate) fn resolve_parts(
        url: &str,
        method: &str,
        kind: RequestKind,
        initiator: Option<&str>,
        top_level_url: Option<&str>,
        redirect_chain: &[String],
        (third_party_cookies, browser): (ThirdPartyCookies, Browser),
    ) -> Result<ResolvedRequest, String> {
        let parse = |what: &str, u: &str| CookieUrl::parse(u).map_err(|e| format!("{what} {u:?}: {e}"));
        let url = parse("url", url)?;
        let initiator = initiator.map(|u| parse("initiator", u)).transpose()?;
        let top = top_level_url.map(|u| parse("topLevelUrl", u)).transpose()?;
        let mut chain = Vec::with_capacity(redirect_chain.len());
        for u in redirect_chain {
            chain.push(parse("redirectChain entry", u)?);
        }
        let navigation = kind == RequestKind::Navigation;
        // The site for cookies: the URL itself for a top-level navigation, else the top-level page.
        let site_for_cookies = if navigation {
            &url
        } else {
            top.as_ref().or(initiator.as_ref()).unwrap_or(&url)
        };
        let safe_method = method.is_empty() || is_safe_method(method);
        // Chromium's ComputeSameSiteContext (RFC 6265bis §5.2.1): Strict needs the URL, the
        // initiator and every URL of the redirect chain same-site with the site for cookies.
        // Otherwise a top-level navigation is Lax (LaxMethodUnsafe for POST & co. when sending;
        // the method does not matter for setting), and anything else is cross-site.
        // Each comparison is made once, schemeless and schemeful together: (same site, same
        // site and scheme). The four contexts below pick from them.
        let compare = |a: &CookieUrl, b: &CookieUrl| {
            let site = a.site() == b.site();
            (site, site && a.secure_scheme() == b.secure_scheme())
        };
        let pick = |(site, schemeful_site): (bool, bool), schemeful: bool| if schemeful { schemeful_site } else { site };
        let url_same = compare(site_for_cookies, &url);
        let initiator_same = initiator.as_ref().map_or((true, true), |i| compare(i, &url));
        let chain_same = chain.iter().fold(url_same, |(site, scheme), u| {
            let (s, sc) = compare(u, site_for_cookies);
            (site && s, scheme && sc)
        });
        let compute = |schemeful: bool, for_response: bool| -> SameSiteContext {
            if !pick(url_same, schemeful) {
                return SameSiteContext::CrossSite;
            }
            if pick(initiator_same, schemeful) && pick(chain_same, schemeful) {
                return SameSiteContext::Strict;
            }
            if !navigation {
                SameSiteContext::CrossSite
            } else if for_response || safe_method {
                SameSiteContext::Lax
            } else {
                SameSiteContext::LaxMethodUnsafe
            }
        };
        // Firefox compares sites without their scheme, for SameSite and for third parties alike
        // (recorded: a Strict cookie goes from an http page to the https host, and back).
        let schemeful = browser == Browser::Chromium;
        let third_party = !navigation && !pick(url_same, schemeful);
        let (context, schemeless_context) = (compute(schemeful, false), compute(false, false));
        let (response_context, schemeless_response_context) = (compute(schemeful, true), compute(false, true));
        let top_level = if navigation { None } else { top.or(initiator) };
        Ok(ResolvedRequest {
            context,
            schemeless_context,
            response_context,
            schemeless_response_context,
            url,
            safe_method,
            kind,
            third_party,
            top_level,
            third_party_cookies,
            browser,
        })
    }

    /// The top-level site (`https://example.com`): the partition Partitioned cookies live in.
    pub fn top_level_site(&self) -> String {
        self.top_level.as_ref().unwrap_or(&self.url).schemeful_site()
    }

    /// Whether a cookie the response stores is kept under the top-level site: a `Partitioned`
    /// one (CHIPS), or with Firefox's Total Cookie Protection any set by a third party.
    pub fn stores_partitioned(&self, partitioned_attribute: bool) -> bool {
        partitioned_attribute || self.total_cookie_protection()
    }

    /// Firefox's default for third parties: their cookies live in the top-level site's partition.
    pub fn total_cookie_protection(&self) -> bool {
        self.browser == Browser::Firefox && self.third_party && self.third_party_cookies == ThirdPartyCookies::Allowed
    }

    /// Whether a Partitioned cookie's key is this request's top-level site.
    pub fn in_partition(&self, key: &str) -> bool {
        self.top_level.as_ref().unwrap_or(&self.url).is_schemeful_site(key)
    }

    /// Whether the method is "safe" (GET, HEAD, OPTIONS, TRACE).
    pub fn safe_method(&self) -> bool {
        self.safe_method
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// The URL parts as `str` methods find them: the oracle for [`CookieUrl::parse`]'s byte scans.
    fn reference(text: &str) -> Option<(String, String, String)> {
        let text = text.trim_matches(|c: char| c.is_ascii_whitespace());
        let (scheme, rest) = text.split_once(':')?;
        if scheme.is_empty() || !scheme.chars().all(|c| c.is_ascii_alphanumeric() || "+-.".contains(c)) {
            return None;
        }
        let Some(rest) = rest.strip_prefix("//") else {
            return Some((scheme.to_ascii_lowercase(), String::new(), "/".to_string()));
        };
        let end = rest.find(['/', '?', '#']).unwrap_or(rest.len());
        let (authority, tail) = rest.split_at(end);
        let host_port = authority.rsplit_once('@').map_or(authority, |(_, h)| h);
        let host = if host_port.starts_with('[') {
            &host_port[..=host_port.find(']')?]
        } else {
            host_port.split(':').next().unwrap_or("")
        };
        if host.is_empty() && ["http", "https", "ws", "wss"].iter().any(|s| s.eq_ignore_ascii_case(scheme)) {
            return None;
        }
        let path = tail.split(['?', '#']).next().unwrap_or("");
        let path = if path.is_empty() { "/" } else { path };
        Some((scheme.to_ascii_lowercase(), host.to_ascii_lowercase(), path.to_string()))
    }

    /// The byte-scanning parser reads every URL as the `str` methods do, on URLs built from
    /// the pieces that matter (user info, ports, IPv6 brackets, query, fragment, whitespace).
    #[test]
    fn url_parts_match_the_reference() {
        let pieces = [
            "https", "HTTP", "ws", "x-y+z.1", ":", "//", "/", "?", "#", "@", "[", "]", "::1", "a", "Example.COM", ".", " ",
            "\t", "é", "8080", "user:pw", "%2F",
        ];
        let mut rng = crate::testing::XorShift(0x51_7cc1_b727_220a);
        let mut parsed = 0;
        for _ in 0..30_000 {
            let state = rng.next();
            // Most start like a URL, so the authority and path rules are reached.
            let mut text = if state % 4 == 0 { String::new() } else { format!("{}://", pieces[(state >> 40) as usize % 4]) };
            for k in 0..(state % 9) as u32 + 1 {
                text.push_str(pieces[(state.rotate_left(k * 7) % pieces.len() as u64) as usize]);
            }
            let ours = CookieUrl::parse(&text).ok().map(|u| (u.scheme().to_string(), u.host().to_string(), u.path().to_string()));
            assert_eq!(ours, reference(&text), "{text:?}");
            parsed += usize::from(ours.is_some());
        }
        assert!(parsed > 10_000, "{parsed}");
    }

    #[test]
    fn url_parts() {
        let u = CookieUrl::parse("HTTP://User@Home.Example.org:8888/a/b?x#y").unwrap();
        assert_eq!(
            (u.scheme(), u.host(), u.path()),
            ("http", "home.example.org", "/a/b")
        );
        let v = CookieUrl::parse("http://[::1]:3000").unwrap();
        assert_eq!((v.host(), v.path()), ("[::1]", "/"));
        assert!(v.is_secure() && v.host_is_ip());
        assert!(CookieUrl::parse("http://localhost:3000/").unwrap().is_secure());
        assert!(CookieUrl::parse("http://127.0.0.1/").unwrap().is_secure());
        assert!(!CookieUrl::parse("http://example.com/").unwrap().is_secure());
        assert!(CookieUrl::parse("nonsense").is_err());
    }

    /// The site is the registrable domain as the public suffix list gives it, also when that
    /// is not written as the end of the host.
    #[test]
    fn url_sites() {
        let site = |u: &str| CookieUrl::parse(u).unwrap().site().to_string();
        assert_eq!(site("https://App.Example.co.uk:8443/x"), "example.co.uk");
        assert_eq!(site("https://example.com./"), "example.com");
        assert_eq!(site("https://my.vercel.app/"), "my.vercel.app");
        assert_eq!(site("https://vercel.app/"), "vercel.app");
        assert_eq!(site("http://127.0.0.1:3000/"), "127.0.0.1");
        assert_eq!(site("http://[::1]/"), "[::1]");
        assert_eq!(site("about:blank"), "");
        let u = CookieUrl::parse("https://WWW.Example.COM./a/b?q").unwrap();
        assert_eq!((u.host(), u.path(), u.site()), ("www.example.com.", "/a/b", "example.com"));
    }

    #[test]
    fn matching() {
        assert!(domain_match("www.example.com", "example.com"));
        assert!(!domain_match("wwwexample.com", "example.com"));
        assert!(!domain_match("1.2.3.4", "2.3.4"));
        assert_eq!(default_path("/a/b/c"), "/a/b");
        assert_eq!(default_path("/a"), "/");
        assert_eq!(default_path(""), "/");
        assert!(path_match("/a/b", "/a"));
        assert!(path_match("/a/b", "/a/"));
        assert!(!path_match("/ab", "/a"));
    }

    #[test]
    fn contexts() {
        let r = ResolvedRequest::resolve(&RequestContext::navigation("https://app.example/")).unwrap();
        assert_eq!(r.context, SameSiteContext::Strict);
        let post = RequestContext {
            url: "https://app.example/callback".into(),
            method: "POST".into(),
            initiator: Some("https://idp.example.net".into()),
            ..RequestContext::default()
        };
        let r = ResolvedRequest::resolve(&post).unwrap();
        assert_eq!(r.context, SameSiteContext::LaxMethodUnsafe);
        assert_eq!(r.response_context, SameSiteContext::Lax);
        let sub = RequestContext {
            url: "https://api.other.example/x".into(),
            kind: RequestKind::Fetch,
            top_level_url: Some("https://app.example/".into()),
            initiator: Some("https://app.example/".into()),
            ..RequestContext::default()
        };
        let r = ResolvedRequest::resolve(&sub).unwrap();
        assert_eq!(r.context, SameSiteContext::CrossSite);
        assert!(r.third_party);
        // A same-site fetch redirected through another site is cross-site (not Lax).
        let bounced = RequestContext {
            url: "https://app.example/api".into(),
            kind: RequestKind::Fetch,
            top_level_url: Some("https://app.example/".into()),
            redirect_chain: vec!["https://tracker.example.net/r".into()],
            ..RequestContext::default()
        };
        let r = ResolvedRequest::resolve(&bounced).unwrap();
        assert_eq!(
            (r.context, r.response_context),
            (SameSiteContext::CrossSite, SameSiteContext::CrossSite)
        );
        // http → https of the same registrable domain: same-site only schemelessly.
        let mixed = RequestContext {
            url: "https://app.example/".into(),
            kind: RequestKind::Fetch,
            top_level_url: Some("http://app.example/".into()),
            ..RequestContext::default()
        };
        let r = ResolvedRequest::resolve(&mixed).unwrap();
        assert_eq!(r.context, SameSiteContext::CrossSite);
        assert_eq!(r.schemeless_context, SameSiteContext::Strict);
    }
}
