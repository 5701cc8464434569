//! The retrieval model: which stored cookies a request carries, RFC 6265bis §5.8
//! ("Retrieval Model", §5.8.3 "Retrieval Algorithm"), and why the others are withheld, in the
//! words of Chromium's DevTools protocol (`Network.CookieBlockedReason`).
//!
//! Cookies that go out are in the browser's serialisation order: longer paths first, then
//! earlier creation time (§5.8.3 step 2).
//!
//! ## Deviations: where we follow Chromium rather than the spec
//! - Lax by default: a cookie without `SameSite` is treated as `Lax`, except that for two minutes
//!   after creation it is also sent on cross-site top-level navigations with an unsafe method
//!   (POST) — Chromium's "Lax-allowing-unsafe" mitigation, which keeps IdP form-POST sign-ins
//!   working right after the cookie was set.
//! - Redirect chains: see [`crate::cookie::site`]; a cross-site hop anywhere in the chain makes the
//!   request at most `Lax`, so `Strict` cookies are withheld on the following same-site hops too.
//! - Third-party cookie blocking is a browser setting (`UserPreferences`, or `ThirdPartyPhaseout`
//!   for the phase-out); `Partitioned` cookies are exempt.
//! - A `Secure` cookie is sent to `http://localhost` and other loopback hosts (secure contexts).

use serde::Serialize;

use crate::cookie::parse::SameSite;
use crate::cookie::site::{domain_match, path_match, Browser, ResolvedRequest, SameSiteContext, ThirdPartyCookies};
use crate::cookie::storage::{ExplainedReason, StoredCookie};
use crate::limits::LAX_ALLOWING_UNSAFE_SECONDS;

/// Chromium's `Network.CookieBlockedReason`: why a stored cookie is not sent.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
pub enum CookieBlockedReason {
    SecureOnly,
    NotOnPath,
    DomainMismatch,
    SameSiteStrict,
    SameSiteLax,
    SameSiteUnspecifiedTreatedAsLax,
    SchemefulSameSiteStrict,
    SchemefulSameSiteLax,
    SchemefulSameSiteUnspecifiedTreatedAsLax,
    UserPreferences,
    ThirdPartyPhaseout,
}

impl CookieBlockedReason {
    /// The DevTools name.
    pub fn as_str(self) -> &'static str {
        use CookieBlockedReason as R;
        match self {
            R::SecureOnly => "SecureOnly",
            R::NotOnPath => "NotOnPath",
            R::DomainMismatch => "DomainMismatch",
            R::SameSiteStrict => "SameSiteStrict",
            R::SameSiteLax => "SameSiteLax",
            R::SameSiteUnspecifiedTreatedAsLax => "SameSiteUnspecifiedTreatedAsLax",
            R::SchemefulSameSiteStrict => "SchemefulSameSiteStrict",
            R::SchemefulSameSiteLax => "SchemefulSameSiteLax",
            R::SchemefulSameSiteUnspecifiedTreatedAsLax => "SchemefulSameSiteUnspecifiedTreatedAsLax",
            R::UserPreferences => "UserPreferences",
            R::ThirdPartyPhaseout => "ThirdPartyPhaseout",
        }
    }

    /// Every reason, for looking one up by its DevTools name.
    pub const ALL: [CookieBlockedReason; 11] = {
        use CookieBlockedReason as R;
        [
            R::SecureOnly,
            R::NotOnPath,
            R::DomainMismatch,
            R::SameSiteStrict,
            R::SameSiteLax,
            R::SameSiteUnspecifiedTreatedAsLax,
            R::SchemefulSameSiteStrict,
            R::SchemefulSameSiteLax,
            R::SchemefulSameSiteUnspecifiedTreatedAsLax,
            R::UserPreferences,
            R::ThirdPartyPhaseout,
        ]
    };

    /// The reason DevTools calls `name`.
    pub fn from_name(name: &str) -> Option<CookieBlockedReason> {
        Self::ALL.into_iter().find(|r| r.as_str() == name)
    }

    /// A few words for a headline: what about the cookie and the request kept it home.
    pub fn short(self) -> &'static str {
        use CookieBlockedReason as R;
        match self {
            R::SecureOnly => "a Secure cookie on a plain-http request",
            R::NotOnPath => "the cookie's Path does not cover this URL",
            R::DomainMismatch => "the cookie belongs to another host",
            R::SameSiteStrict | R::SchemefulSameSiteStrict => "SameSite=Strict, and another site started this request",
            R::SameSiteLax | R::SchemefulSameSiteLax => "SameSite=Lax on a cross-site subrequest or POST",
            R::SameSiteUnspecifiedTreatedAsLax | R::SchemefulSameSiteUnspecifiedTreatedAsLax => {
                "no SameSite (so Lax) on a cross-site subrequest or POST"
            }
            R::UserPreferences => "third-party cookies are blocked",
            R::ThirdPartyPhaseout => "third-party cookies are being phased out",
        }
    }

    /// [`CookieBlockedReason::short`] in `browser`'s words: Firefox withholds third-party cookies
    /// by partitioning them, not by a setting the user chose.
    pub fn short_in(self, browser: Browser) -> &'static str {
        match (self, browser) {
            (CookieBlockedReason::UserPreferences, Browser::Firefox) => {
                "Firefox keeps third-party cookies apart per top-level site"
            }
            _ => self.short(),
        }
    }

    /// [`CookieBlockedReason::explain`] in `browser`'s words.
    pub fn explain_in(self, browser: Browser) -> (&'static str, &'static str) {
        match (self, browser) {
            (CookieBlockedReason::UserPreferences, Browser::Firefox) => (
                "This request is third-party, and Firefox keeps third-party cookies apart per top-level site (Total Cookie Protection, its default): it sends only cookies stored while this same site was the top-level page, and this cookie was stored outside it (for example when the user visited the site directly).",
                "Serve the endpoint from your own site (a subdomain of the app is same-site), or call `document.requestStorageAccess()` from the embedded frame after a user gesture.",
            ),
            _ => self.explain(),
        }
    }

    /// A plain-English explanation and a concrete fix.
    pub fn explain(self) -> (&'static str, &'static str) {
        use CookieBlockedReason as R;
        match self {
            R::SecureOnly => (
                "The cookie is Secure and this request is plain HTTP, so it is not sent.",
                "Redirect every HTTP URL to HTTPS before the sign-in flow starts (HSTS helps).",
            ),
            R::NotOnPath => (
                "The request path is outside the cookie's Path, so it is not sent. Often the cookie was set without Path from a page like /auth/callback and got the default path /auth.",
                "Set the path explicitly: `res.cookie('session', v, { path: '/' })`.",
            ),
            R::DomainMismatch => (
                "The request host is not covered by the cookie's domain (a host-only cookie goes only to the exact host that set it).",
                "To share a cookie across subdomains, set `Domain=example.com` from a host under it: `res.cookie('session', v, { domain: 'example.com' })`.",
            ),
            R::SameSiteStrict | R::SchemefulSameSiteStrict => (
                "The cookie is SameSite=Strict and this request is not same-site all the way: it came from another site (a link, a form POST or a redirect from an identity provider), so the cookie stays home. Chromium and Firefox keep it withheld on every later hop of the same redirect chain, even back on the site itself.",
                "Use Lax for the session cookie: `res.cookie('session', v, { sameSite: 'lax', secure: true })`; keep Strict only for a second, action-guarding cookie.",
            ),
            R::SameSiteLax | R::SchemefulSameSiteLax => (
                "The cookie is SameSite=Lax, and Lax cookies are sent cross-site only on top-level GET navigations; this request is a cross-site subresource, iframe or POST.",
                "For a cross-site POST (form_post response mode) or an embedded app use `res.cookie('session', v, { sameSite: 'none', secure: true })`, or switch the IdP to a GET redirect (response_mode=query).",
            ),
            R::SameSiteUnspecifiedTreatedAsLax | R::SchemefulSameSiteUnspecifiedTreatedAsLax => (
                "The cookie has no SameSite attribute, so the browser treats it as Lax: it is not sent on cross-site subresource requests, iframes or POSTs (a brand-new cookie is still sent on a top-level POST for two minutes).",
                "Set SameSite explicitly: `res.cookie('session', v, { sameSite: 'none', secure: true })` for cross-site use, or `{ sameSite: 'lax' }` and avoid cross-site POSTs.",
            ),
            R::UserPreferences => (
                "The browser blocks third-party cookies (a user setting) and this request is third-party.",
                "Serve the endpoint from your own site, or use a Partitioned cookie (`Secure; SameSite=None; Partitioned`).",
            ),
            R::ThirdPartyPhaseout => (
                "The browser's third-party cookie phase-out blocks this cookie on a third-party request.",
                "Serve the endpoint first-party, or use a Partitioned cookie (`Secure; SameSite=None; Partitioned`).",
            ),
        }
    }
}

/// A cookie that goes out with the request.
#[derive(Debug, Clone, PartialEq, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct SentCookie {
    pub name: String,
    pub value: String,
    pub domain: String,
    pub path: String,
    /// Sent only thanks to the two-minute Lax-allowing-unsafe window.
    pub lax_allowing_unsafe: bool,
}

/// A stored cookie that is not sent, with the reasons.
#[derive(Debug, Clone, PartialEq, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct WithheldCookie {
    pub name: String,
    pub domain: String,
    pub path: String,
    pub reasons: Vec<ExplainedReason<CookieBlockedReason>>,
}

impl WithheldCookie {
    /// Just the reason names.
    pub fn reason_list(&self) -> Vec<CookieBlockedReason> {
        self.reasons.iter().map(|r| r.reason).collect()
    }
}

/// What a request carries.
#[derive(Debug, Clone, PartialEq, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct RetrievalOutcome {
    /// In `Cookie` header order.
    pub sent: Vec<SentCookie>,
    pub withheld: Vec<WithheldCookie>,
    /// The `Cookie` header value (empty when nothing is sent).
    pub header: String,
}

/// Why `cookie` is not sent on `request` at `now`; empty means it is sent. The second value
/// says whether it is sent only thanks to Lax-allowing-unsafe.
pub fn blocked_reasons(cookie: &StoredCookie, request: &ResolvedRequest, now: i64) -> (Vec<CookieBlockedReason>, bool) {
    use CookieBlockedReason as R;
    let url = &request.url;
    let mut reasons = Vec::new();
    // §5.8.3 step 1: host-only cookies need the exact host, domain cookies a domain-match.
    let domain_ok = if cookie.host_only {
        url.host() == cookie.domain()
    } else {
        domain_match(url.host(), cookie.domain())
    };
    if !domain_ok {
        reasons.push(R::DomainMismatch);
    }
    // §5.8.3 step 1: path-match (§5.1.4).
    if !path_match(url.path(), cookie.path()) {
        reasons.push(R::NotOnPath);
    }
    // §5.8.3 step 1: Secure cookies need a secure protocol (localhost counts, Chromium).
    if cookie.secure && !url.is_secure() {
        reasons.push(R::SecureOnly);
    }
    // §5.8.3 step 1: SameSite enforcement against the request's same-site context.
    let mut lax_allowing_unsafe = false;
    let allowed = |ctx: SameSiteContext, lau: &mut bool| -> bool {
        match cookie.same_site {
            SameSite::None => true,
            SameSite::Strict => ctx == SameSiteContext::Strict,
            SameSite::Lax => ctx >= SameSiteContext::Lax,
            // Firefox has no "Lax by default": a cookie without SameSite goes everywhere.
            SameSite::Unspecified if request.browser == Browser::Firefox => true,
            SameSite::Unspecified => {
                if ctx >= SameSiteContext::Lax {
                    true
                } else if ctx == SameSiteContext::LaxMethodUnsafe
                    && now.saturating_sub(cookie.creation) < LAX_ALLOWING_UNSAFE_SECONDS
                {
                    // Chromium's Lax-allowing-unsafe: new unspecified cookies survive a top-level POST.
                    *lau = true;
                    true
                } else {
                    false
                }
            }
        }
    };
    if !allowed(request.context, &mut lax_allowing_unsafe) {
        // Chromium (schemeful same-site on, its default) names every SameSite exclusion with the
        // `Schemeful…` form, not only scheme-only ones: Chromium 156's recorded verdicts
        // (tests/fixtures/chromium-cookie-verdicts.json) never show the plain forms.
        // Firefox's same-site is schemeless, so its exclusions take the plain names.
        reasons.push(match (cookie.same_site, request.browser) {
            (SameSite::Strict, Browser::Firefox) => R::SameSiteStrict,
            (SameSite::Lax, Browser::Firefox) => R::SameSiteLax,
            (SameSite::Strict, _) => R::SchemefulSameSiteStrict,
            (SameSite::Lax, _) => R::SchemefulSameSiteLax,
            _ => R::SchemefulSameSiteUnspecifiedTreatedAsLax,
        });
        lax_allowing_unsafe = false;
    }
    // Third-party cookie blocking (browser setting); Partitioned cookies are exempt. Firefox's
    // Total Cookie Protection withholds every cookie not stored under this top-level site (the
    // ones that are reach here only in their partition): reported as the setting that did it.
    if request.total_cookie_protection() {
        if cookie.partition_key.is_none() {
            reasons.push(R::UserPreferences);
        }
    } else if request.third_party && !cookie.partitioned {
        match request.third_party_cookies {
            ThirdPartyCookies::Allowed => {}
            ThirdPartyCookies::Blocked => reasons.push(R::UserPreferences),
            ThirdPartyCookies::Phaseout => reasons.push(R::ThirdPartyPhaseout),
        }
    }
    (reasons, lax_allowing_unsafe)
}

/// RFC 6265bis §5.8.3: splits `cookies` (already free of expired ones) into sent and withheld for
/// `request`, in serialisation order. Withheld cookies are listed only when their domain is
/// related to the request host (same site), so a report is not flooded by unrelated cookies.
pub fn retrieve<'a>(
    cookies: impl IntoIterator<Item = &'a StoredCookie>,
    request: &ResolvedRequest,
    now: i64,
) -> RetrievalOutcome {
    let mut withheld = Vec::new();
    let sent = select(cookies, request, now, Some(&mut withheld));
    RetrievalOutcome {
        header: header(&sent),
        sent: sent.iter().map(SentCookie::from).collect(),
        withheld,
    }
}

impl From<&Selected<'_>> for SentCookie {
    fn from(s: &Selected<'_>) -> SentCookie {
        SentCookie {
            name: s.cookie.name().to_string(),
            value: s.cookie.value().to_string(),
            domain: s.cookie.domain().to_string(),
            path: s.cookie.path().to_string(),
            lax_allowing_unsafe: s.lax_allowing_unsafe,
        }
    }
}

/// A cookie chosen to be sent, with its position in the jar's order.
pub(crate) struct Selected<'a> {
    pub cookie: &'a StoredCookie,
    pub index: usize,
    pub lax_allowing_unsafe: bool,
}

/// The cookies `request` carries, in serialisation order; the withheld ones (with reasons) go to
/// `withheld` when the caller wants them. The one place the §5.8.3 choice is made, for reports
/// and for the bare `Cookie` header alike.
pub(crate) fn select<'a>(
    cookies: impl IntoIterator<Item = &'a StoredCookie>,
    request: &ResolvedRequest,
    now: i64,
    mut withheld: Option<&mut Vec<WithheldCookie>>,
) -> Vec<Selected<'a>> {
    let mut sent: Vec<Selected<'a>> = Vec::new();
    let request_site = request.url.site();
    for (index, cookie) in cookies.into_iter().enumerate() {
        // CHIPS: a Partitioned cookie exists only under the top-level site it was set under;
        // elsewhere Chromium does not even list it.
        if cookie.is_expired(now) || cookie.partition_key.as_ref().is_some_and(|k| !request.in_partition(k)) {
            continue;
        }
        let (reasons, lax_allowing_unsafe) = blocked_reasons(cookie, request, now);
        if reasons.is_empty() {
            sent.push(Selected { cookie, index, lax_allowing_unsafe });
        } else if let Some(withheld) = withheld.as_deref_mut() {
            if !reasons.contains(&CookieBlockedReason::DomainMismatch)
                || crate::cookie::site::site_of_host(cookie.domain()) == request_site
            {
                withheld.push(WithheldCookie {
                    name: cookie.name().to_string(),
                    domain: cookie.domain().to_string(),
                    path: cookie.path().to_string(),
                    reasons: reasons
                        .into_iter()
                        .map(|reason| {
                            let (explanation, fix) = reason.explain_in(request.browser);
                            ExplainedReason {
                                reason,
                                explanation,
                                fix,
                            }
                        })
                        .collect(),
                });
            }
        }
    }
    // §5.8.3 step 2: longer paths first, then earlier creation times.
    sent.sort_by(|a, b| {
        b.cookie
            .path()
            .len()
            .cmp(&a.cookie.path().len())
            .then(a.cookie.creation.cmp(&b.cookie.creation))
            .then(a.cookie.sequence.cmp(&b.cookie.sequence))
    });
    sent
}

/// §5.8.3 step 4: the `Cookie` header: `name=value` pairs joined by `; ` (a nameless cookie is
/// its value alone).
pub(crate) fn header(sent: &[Selected<'_>]) -> String {
    let mut out = String::with_capacity(sent.iter().map(|s| s.cookie.name().len() + s.cookie.value().len() + 3).sum());
    for (i, s) in sent.iter().enumerate() {
        if i > 0 {
            out.push_str("; ");
        }
        if !s.cookie.name().is_empty() {
            out.push_str(s.cookie.name());
            out.push('=');
        }
        out.push_str(s.cookie.value());
    }
    out
}

#[cfg(test)]
mod tests {

    /// Every reason is in `ALL`, found again by its DevTools name, with its own few words.
    #[test]
    fn reasons_by_name() {
        for r in CookieBlockedReason::ALL {
            assert_eq!(CookieBlockedReason::from_name(r.as_str()), Some(r));
            assert!(!r.short().is_empty() && !r.explain().0.is_empty());
        }
        assert_eq!(CookieBlockedReason::from_name("NoSuchReason"), None);
    }

    use super::*;
    use crate::cookie::site::{RequestContext, RequestKind};
    use CookieBlockedReason as R;

    const NOW: i64 = 1_800_000_000;

    fn cookie(name: &str, same_site: SameSite, secure: bool, path: &str) -> StoredCookie {
        let mut c = StoredCookie::new(name, "v", "app.example.com", path, NOW - 1000);
        (c.secure, c.http_only, c.same_site) = (secure, true, same_site);
        c
    }

    fn resolve(ctx: RequestContext) -> ResolvedRequest {
        ResolvedRequest::resolve(&ctx).unwrap()
    }

    #[test]
    fn clean_request_sends_everything() {
        let r = resolve(RequestContext::navigation("https://app.example.com/a"));
        for ss in [SameSite::Strict, SameSite::Lax, SameSite::None, SameSite::Unspecified] {
            assert_eq!(blocked_reasons(&cookie("a", ss, true, "/"), &r, NOW).0, vec![]);
        }
    }

    #[test]
    fn each_withholding_reason() {
        let https = resolve(RequestContext::navigation("https://app.example.com/a"));
        let http = resolve(RequestContext::navigation("http://app.example.com/a"));
        assert_eq!(
            blocked_reasons(&cookie("a", SameSite::Lax, true, "/"), &http, NOW).0,
            vec![R::SecureOnly]
        );
        assert_eq!(
            blocked_reasons(&cookie("a", SameSite::Lax, false, "/b"), &https, NOW).0,
            vec![R::NotOnPath]
        );
        let other = resolve(RequestContext::navigation("https://www.example.com/"));
        assert_eq!(
            blocked_reasons(&cookie("a", SameSite::Lax, false, "/"), &other, NOW).0,
            vec![R::DomainMismatch]
        );
        let cross_fetch = resolve(RequestContext {
            url: "https://app.example.com/api".into(),
            kind: RequestKind::Fetch,
            top_level_url: Some("https://shop.other.net/".into()),
            initiator: Some("https://shop.other.net/".into()),
            ..RequestContext::default()
        });
        assert_eq!(
            blocked_reasons(&cookie("a", SameSite::Strict, true, "/"), &cross_fetch, NOW).0,
            vec![R::SchemefulSameSiteStrict]
        );
        assert_eq!(
            blocked_reasons(&cookie("a", SameSite::Lax, true, "/"), &cross_fetch, NOW).0,
            vec![R::SchemefulSameSiteLax]
        );
        assert_eq!(
            blocked_reasons(&cookie("a", SameSite::Unspecified, true, "/"), &cross_fetch, NOW).0,
            vec![R::SchemefulSameSiteUnspecifiedTreatedAsLax]
        );
        assert_eq!(
            blocked_reasons(&cookie("a", SameSite::None, true, "/"), &cross_fetch, NOW).0,
            vec![]
        );
        let mut blocked = cross_fetch.clone();
        blocked.third_party_cookies = ThirdPartyCookies::Blocked;
        assert_eq!(
            blocked_reasons(&cookie("a", SameSite::None, true, "/"), &blocked, NOW).0,
            vec![R::UserPreferences]
        );
        blocked.third_party_cookies = ThirdPartyCookies::Phaseout;
        assert_eq!(
            blocked_reasons(&cookie("a", SameSite::None, true, "/"), &blocked, NOW).0,
            vec![R::ThirdPartyPhaseout]
        );
        let mut partitioned = cookie("a", SameSite::None, true, "/");
        partitioned.partitioned = true;
        assert_eq!(blocked_reasons(&partitioned, &blocked, NOW).0, vec![]);
        // Schemeful: an http page fetching its https sibling.
        let scheme_cross = resolve(RequestContext {
            url: "https://app.example.com/api".into(),
            kind: RequestKind::Fetch,
            top_level_url: Some("http://app.example.com/".into()),
            ..RequestContext::default()
        });
        assert_eq!(
            blocked_reasons(&cookie("a", SameSite::Strict, true, "/"), &scheme_cross, NOW).0,
            vec![R::SchemefulSameSiteStrict]
        );
        assert_eq!(
            blocked_reasons(&cookie("a", SameSite::Lax, true, "/"), &scheme_cross, NOW).0,
            vec![R::SchemefulSameSiteLax]
        );
        assert_eq!(
            blocked_reasons(&cookie("a", SameSite::Unspecified, true, "/"), &scheme_cross, NOW).0,
            vec![R::SchemefulSameSiteUnspecifiedTreatedAsLax]
        );
    }

    #[test]
    fn lax_allowing_unsafe_window() {
        let post = resolve(RequestContext {
            url: "https://app.example.com/callback".into(),
            method: "POST".into(),
            initiator: Some("https://idp.example.net/".into()),
            ..RequestContext::default()
        });
        let mut young = cookie("a", SameSite::Unspecified, true, "/");
        young.creation = NOW - 119;
        assert_eq!(blocked_reasons(&young, &post, NOW), (vec![], true));
        young.creation = NOW - 120;
        assert_eq!(
            blocked_reasons(&young, &post, NOW).0,
            vec![R::SchemefulSameSiteUnspecifiedTreatedAsLax]
        );
        let mut lax = cookie("a", SameSite::Lax, true, "/");
        lax.creation = NOW - 10;
        assert_eq!(blocked_reasons(&lax, &post, NOW).0, vec![R::SchemefulSameSiteLax]);
        assert_eq!(
            blocked_reasons(&cookie("a", SameSite::None, true, "/"), &post, NOW).0,
            vec![]
        );
    }

    #[test]
    fn order_longer_path_first_then_older() {
        let mut a = cookie("a", SameSite::Lax, false, "/");
        let mut b = cookie("b", SameSite::Lax, false, "/x");
        let mut c = cookie("c", SameSite::Lax, false, "/");
        a.creation = 5;
        b.creation = 9;
        c.creation = 1;
        let r = resolve(RequestContext::navigation("https://app.example.com/x/y"));
        let out = retrieve([&a, &b, &c], &r, NOW);
        assert_eq!(out.header, "b=v; c=v; a=v");
        assert_eq!(c.sequence, a.sequence); // ties would fall back to creation sequence
        c.creation = 5;
        c.sequence = 1;
        a.sequence = 0;
        let out = retrieve([&c, &a, &b], &r, NOW);
        assert_eq!(out.header, "b=v; a=v; c=v");
    }
}
