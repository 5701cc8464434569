//! "What if": the request contexts behind the page's choices ("a cross-site form POST", "the OAuth
//! redirect back"), so that the page only names a situation and the engine decides what it means.
//!
//! Every preset starts with the response that sets the cookies and describes the next request the
//! browser makes. The other site is `https://other-site.example` (`https://idp.example` for the
//! identity provider): any site that is not the response's own.

use super::site::{Browser, RequestContext, RequestKind, ThirdPartyCookies};
use super::WhatIfContext;
use serde::{Deserialize, Serialize};

/// The cross-site page used by the presets.
pub const OTHER_SITE: &str = "https://other-site.example";
/// The identity provider used by the OAuth preset.
pub const IDENTITY_PROVIDER: &str = "https://idp.example";

/// The next request, as the page offers it.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, Serialize, Deserialize)]
#[serde(rename_all = "kebab-case")]
pub enum NextRequest {
    /// The user follows a link on the same site (or reloads).
    #[default]
    SameSiteLink,
    /// A link on another site leads here (top-level GET).
    CrossSiteLink,
    /// A form on another site POSTs here (top-level POST), e.g. a payment or SAML/OIDC form_post.
    CrossSiteFormPost,
    /// The identity provider POSTs back to this callback URL, which answers with the cookies and a
    /// 302 to `/dashboard`: the next request is that redirected GET.
    OauthRedirectBack,
    /// The site's own page calls `fetch()` here.
    SameSiteFetch,
    /// A page on another site calls `fetch(url, { credentials: 'include' })` here.
    CrossSiteFetch,
    /// A page on another site embeds this URL in an `<iframe>`.
    CrossSiteIframe,
}

/// The page's description of a situation.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase", default)]
pub struct Preset {
    /// The URL whose response carries the `Set-Cookie` lines.
    pub response_url: String,
    pub next: NextRequest,
    /// Make the next request over `http` or `https` (default: the response URL's scheme).
    pub next_scheme: Option<String>,
    pub third_party_cookies: ThirdPartyCookies,
    /// Whose cookie rules (Chromium's unless told).
    pub browser: Browser,
    /// Seconds between the response and the next request (expiry, the 2-minute Lax window).
    pub next_after_seconds: f64,
}

/// `url` with its scheme replaced, when `scheme` is `http` or `https`.
fn with_scheme(url: &str, scheme: Option<&str>) -> String {
    match (scheme, url.split_once("://")) {
        (Some(s @ ("http" | "https")), Some((_, rest))) => format!("{s}://{rest}"),
        _ => url.to_string(),
    }
}

/// `scheme://host[:port]` of a URL (text up to the first `/` after the authority).
fn origin_of(url: &str) -> String {
    match url.split_once("://") {
        Some((scheme, rest)) => {
            let authority = rest.split(['/', '?', '#']).next().unwrap_or(rest);
            format!("{scheme}://{authority}")
        }
        None => url.to_string(),
    }
}

impl Preset {
    /// The full context the engine analyses.
    pub fn context(&self) -> WhatIfContext {
        let url = self.response_url.trim().to_string();
        let origin = origin_of(&url);
        let next_url = with_scheme(&url, self.next_scheme.as_deref());
        let nav = |url: String, method: &str, initiator: Option<String>| RequestContext {
            url,
            method: method.to_string(),
            kind: RequestKind::Navigation,
            initiator,
            third_party_cookies: self.third_party_cookies,
            browser: self.browser,
            ..RequestContext::default()
        };
        let sub = |kind: RequestKind, top: &str| RequestContext {
            url: next_url.clone(),
            method: "GET".to_string(),
            kind,
            initiator: Some(origin_of(top)),
            top_level_url: Some(top.to_string()),
            redirect_chain: Vec::new(),
            third_party_cookies: self.third_party_cookies,
            browser: self.browser,
        };
        // The cookies arrive on a user-started top-level GET, except in the OAuth case.
        let typed = nav(url.clone(), "GET", None);
        let (response, next) = match self.next {
            NextRequest::SameSiteLink => (typed, nav(next_url.clone(), "GET", Some(origin.clone()))),
            NextRequest::CrossSiteLink => (typed, nav(next_url.clone(), "GET", Some(OTHER_SITE.into()))),
            NextRequest::CrossSiteFormPost => (typed, nav(next_url.clone(), "POST", Some(OTHER_SITE.into()))),
            NextRequest::SameSiteFetch => (typed, sub(RequestKind::Fetch, &format!("{}/", origin_of(&next_url)))),
            NextRequest::CrossSiteFetch => (typed, sub(RequestKind::Fetch, &format!("{OTHER_SITE}/"))),
            NextRequest::CrossSiteIframe => (typed, sub(RequestKind::Iframe, &format!("{OTHER_SITE}/"))),
            NextRequest::OauthRedirectBack => {
                // The IdP's form_post lands on the callback (its response sets the cookies), then
                // the 302 to /dashboard keeps the cross-site IdP in the redirect chain.
                let callback = nav(url.clone(), "POST", Some(IDENTITY_PROVIDER.into()));
                let mut dashboard = nav(format!("{}/dashboard", origin_of(&next_url)), "GET", Some(IDENTITY_PROVIDER.into()));
                dashboard.redirect_chain = vec![url.clone()];
                (callback, dashboard)
            }
        };
        WhatIfContext { response, next_request: Some(next), next_request_after_seconds: self.next_after_seconds }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::cookie::analyze_set_cookie;

    fn sent(lines: &str, preset: Preset) -> Vec<(String, bool, Vec<String>)> {
        let report = analyze_set_cookie(lines, &preset.context(), 1_795_420_000.0);
        report
            .lines
            .iter()
            .map(|l| {
                let s = l.sending.as_ref();
                (
                    l.cookie.name.clone(),
                    s.is_some_and(|s| s.sent),
                    s.map(|s| s.reasons.iter().map(|r| r.reason.as_str().to_string()).collect()).unwrap_or_default(),
                )
            })
            .collect()
    }

    fn preset(next: NextRequest) -> Preset {
        Preset { response_url: "https://app.example.com/callback".into(), next, ..Preset::default() }
    }

    #[test]
    fn oauth_redirect_back_withholds_strict_and_sends_lax() {
        let r = sent("strict=1; SameSite=Strict; Secure; Path=/\nlax=1; SameSite=Lax; Secure; Path=/", preset(NextRequest::OauthRedirectBack));
        assert_eq!(r[0], ("strict".into(), false, vec!["SchemefulSameSiteStrict".into()]));
        assert_eq!(r[1], ("lax".into(), true, vec![]));
    }

    #[test]
    fn each_preset_decides_as_chromium_does() {
        let lines = "none=1; SameSite=None; Secure; Path=/\nlax=1; SameSite=Lax; Path=/\nstrict=1; SameSite=Strict; Path=/\nplain=1; Path=/";
        let cases = [
            (NextRequest::SameSiteLink, [true, true, true, true]),
            (NextRequest::CrossSiteLink, [true, true, false, true]),
            // `plain` is younger than two minutes: Lax-allowing-unsafe sends it on a top-level POST.
            (NextRequest::CrossSiteFormPost, [true, false, false, true]),
            (NextRequest::SameSiteFetch, [true, true, true, true]),
            (NextRequest::CrossSiteFetch, [true, false, false, false]),
            (NextRequest::CrossSiteIframe, [true, false, false, false]),
        ];
        for (next, expected) in cases {
            let got: Vec<bool> = sent(lines, preset(next)).iter().map(|r| r.1).collect();
            assert_eq!(got, expected, "{next:?}");
        }
    }

    #[test]
    fn third_party_blocking_and_scheme_switch() {
        let mut p = preset(NextRequest::CrossSiteFetch);
        p.third_party_cookies = ThirdPartyCookies::Blocked;
        let r = sent("none=1; SameSite=None; Secure; Path=/", p);
        assert_eq!(r[0].2, ["UserPreferences"]);
        let mut p = preset(NextRequest::SameSiteLink);
        p.next_scheme = Some("http".into());
        let r = sent("s=1; Secure; Path=/", p);
        assert_eq!(r[0].2, ["SecureOnly"]);
    }
}
