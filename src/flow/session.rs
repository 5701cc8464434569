//! Session findings over a whole replayed flow: where the sign-in cookie was lost, why, and the fix.
//!
//! Which cookie is "the session" is not written anywhere, so names are matched against what
//! frameworks and people call it ([`is_session_cookie`]); problems with other cookies are still
//! reported, one severity lower.

use super::replay::{EntryReplay, Name};
use crate::cookie::site::{RequestKind, SameSiteContext};
use crate::cookie::site::domain_match;
use crate::finding::{quote, Code, Finding, Severity};
use crate::limits::{MAX_FLOW_MISMATCH_FINDINGS, MAX_QUOTE_CHARS};
use serde::Serialize;

/// Name fragments of session and auth cookies: NextAuth/Auth.js, Supabase (`sb-…-auth-token`),
/// Express (`connect.sid`), Rails/Django/Laravel (`_session`, `sessionid`), PHP (`PHPSESSID`),
/// Java (`JSESSIONID`), ASP.NET (`.AspNetCore.Cookies`), and generic names.
const SESSION_HINTS: [&str; 12] =
    ["session", "sess", "sid", "auth", "token", "jwt", "login", "remember", "identity", "aspnetcore.cookies", "sb-", "user"];

/// Whether a cookie name looks like it carries the sign-in.
pub fn is_session_cookie(name: &str) -> bool {
    let lower = name.to_ascii_lowercase();
    SESSION_HINTS.iter().any(|h| lower.contains(h))
}

/// Name fragments of the cookies a sign-in keeps only for the round trip to the identity
/// provider: OAuth `state`, the PKCE verifier, the OIDC nonce, the return URL (NextAuth.js
/// `next-auth.state`, `next-auth.pkce.code_verifier`; Auth.js `authjs.nonce`,
/// `authjs.callback-url`; Supabase `sb-…-auth-token-code-verifier`).
const ROUND_TRIP_HINTS: [&str; 6] = ["state", "pkce", "code_verifier", "code-verifier", "nonce", "callback-url"];

/// Whether a cookie name looks like one of those round-trip cookies. Withheld or refused on the
/// way back, the sign-in fails (NextAuth.js: "State cookie was missing"), so that is still an
/// error; but the callback clearing it is the protocol finishing, not a lost session.
fn is_round_trip_cookie(name: &str) -> bool {
    let lower = name.to_ascii_lowercase();
    ROUND_TRIP_HINTS.iter().any(|h| lower.contains(h))
}

/// A session cookie that outlives the sign-in: losing it (deleted, or left on another host) is
/// losing the session.
fn is_lasting_session_cookie(name: &str) -> bool {
    is_session_cookie(name) && !is_round_trip_cookie(name)
}

/// Whether a URL is one leg of an OAuth 2.0 / OpenID Connect or SAML round trip: an
/// authorization request to the identity provider (RFC 6749 §4.1.1: `client_id` with
/// `response_type` or `redirect_uri`; a `SAMLRequest`), or its response back to the app
/// (§4.1.2, §4.2.2: `code` or `error` with `state`, a token in the fragment; a `SAMLResponse`).
/// Leaving the app's host for these is the protocol, not the app moving to another host.
fn is_sign_in_round_trip(url: &str) -> bool {
    let has = query_has(url);
    is_authorization_request(url)
        || ((has("code") || has("error")) && has("state"))
        || has("access_token")
        || has("id_token")
        || has("SAMLResponse")
}

/// Whether a URL is the first leg of that round trip: the app sending the browser to the
/// identity provider to sign in (RFC 6749 §4.1.1, a SAML `AuthnRequest`).
fn is_authorization_request(url: &str) -> bool {
    let has = query_has(url);
    (has("client_id") && (has("response_type") || has("redirect_uri"))) || has("SAMLRequest")
}

/// Whether the query or fragment of `url` has a parameter named `name`.
fn query_has(url: &str) -> impl Fn(&str) -> bool + '_ {
    move |name: &str| query_value(url, name).is_some()
}

/// The value (as written, not decoded) of the first parameter named `name` in the query or the
/// fragment of `url`.
fn query_value<'u>(url: &'u str, name: &str) -> Option<&'u str> {
    let (before_fragment, fragment) = url.split_once('#').unwrap_or((url, ""));
    let query = before_fragment.split_once('?').map_or("", |(_, q)| q);
    [query, fragment].into_iter().flat_map(|part| part.split('&')).find_map(|pair| {
        let (n, v) = pair.split_once('=').unwrap_or((pair, ""));
        (n == name).then_some(v)
    })
}

/// Whether a URL asks the identity provider to answer without showing the user a page (OpenID
/// Connect Core 1.0 §3.1.2.1, `prompt=none`): a silent sign-in or renewal, as oidc-client-ts's
/// `signinSilent`, MSAL.js's `ssoSilent`, Auth0's `getTokenSilently` and Keycloak's `check-sso`
/// send from a hidden iframe. It succeeds only if the provider sees its own session cookie.
pub(super) fn is_silent_authorization(url: &str) -> bool {
    // The cheap test first: this runs for every entry.
    crate::cookie::parse::contains(url, "prompt=")
        && is_authorization_request(url)
        && prompts(url, "none")
}

/// Whether the `prompt` parameter of `url` holds `value`: a space-separated list (OpenID Connect
/// Core 1.0 §3.1.2.1), written with `+` or `%20` in a URL.
fn prompts(url: &str, value: &str) -> bool {
    query_value(url, "prompt").is_some_and(|v| v.split(['+', ' ']).flat_map(|p| p.split("%20")).any(|p| p == value))
}

/// Whether an authorization request asks for more than a sign-in: consent to more scopes
/// (`prompt=consent`, Google's `include_granted_scopes`), which an app sends a signed-in user
/// on purpose.
fn asks_for_consent(url: &str) -> bool {
    prompts(url, "consent") || query_has(url)("include_granted_scopes")
}

/// About as many redirects as browsers follow in one chain: the Fetch Standard's limit (§4.4
/// HTTP-redirect fetch), which Chromium (ERR_TOO_MANY_REDIRECTS) and Firefox keep.
const MAX_REDIRECTS: usize = 20;

/// `flow.redirect-loop` at `e`, when its redirect is the last one browsers follow in its chain
/// (the 20th), and the chain visits a page more than once. `went`: the cookies `e` carried.
fn redirect_loop(entries: &[EntryReplay], e: &EntryReplay, went: &[Name]) -> Option<FlowFinding> {
    // How deep the chain is, without a list (this runs for every redirect): bounded by the limit.
    let back = |x: &EntryReplay| x.redirected_from.and_then(|b| entries.get(b).filter(|y| y.index == b));
    let mut depth = 1;
    let mut at = e;
    while depth < MAX_REDIRECTS {
        at = back(at)?;
        depth += 1;
    }
    // The chain back from `e`, newest first.
    let chain: Vec<&EntryReplay> = std::iter::successors(Some(e), |x| back(x)).take(MAX_REDIRECTS).collect();
    // The pages that repeat, in the order the chain visits them.
    let labels: Vec<String> = chain.iter().rev().map(|x| format!("{} {}", x.method, quote(&x.url, MAX_QUOTE_CHARS))).collect();
    let mut pages: Vec<&String> = Vec::new();
    for (k, label) in labels.iter().enumerate() {
        if !pages.contains(&label) && labels.iter().skip(k + 1).any(|l| l == label) {
            pages.push(label);
        }
    }
    if pages.is_empty() {
        return None;
    }
    let start = chain.last().map_or(e.index, |x| x.index);
    let session = went.iter().find(|n| is_lasting_session_cookie(n));
    let why = match session {
        Some(name) => format!(
            "The session ({}) went along every time: one side accepts it and the other does not. Typically a middleware and the pages read the session differently: another cookie name (the __Secure- prefix follows NEXTAUTH_URL/AUTH_URL or useSecureCookies), another secret (AUTH_SECRET missing where the middleware runs), or a check against another host.",
            quote(name, MAX_QUOTE_CHARS)
        ),
        None => "No session went along: the page that sends the user to sign in and the one that sends them back disagree about whether they are signed in (one finds a session the other cannot see: another cookie, server-side state, a cache).".to_string(),
    };
    Some(FlowFinding {
        entry: Some(e.index),
        finding: Finding::new(
            Code::FlowRedirectLoop,
            Severity::Error,
            format!("entries[{}].response", e.index),
            format!("A redirect loop: {} redirects in a row, and the browser gives up", chain.len()),
            format!(
                "The {} requests from entry {start} to entry {} each answer with a redirect, going round {}. Browsers follow about {MAX_REDIRECTS} redirects in a row and then give up (Chromium: ERR_TOO_MANY_REDIRECTS): the user sees an error page, or is stuck signing in. {why}",
                chain.len(),
                e.index,
                pages.iter().take(4).map(|p| p.as_str()).collect::<Vec<_>>().join(" and ")
            ),
            "Make every part that checks the session read it the same way: one cookie name, one secret, one host (set NEXTAUTH_URL/AUTH_URL and AUTH_SECRET where the middleware runs too). And let the sign-in page show its form, instead of redirecting, when the session it finds is not one the rest of the app accepts.",
            "Fetch Standard §4.4 (HTTP-redirect fetch: more than 20 redirects is a network error)",
        ),
    })
}

/// How many entries after a redirect its target is looked for.
const REDIRECT_LOOKAHEAD: usize = 64;

/// The errors a provider answers a `prompt=none` request with when it would need the user
/// (OpenID Connect Core 1.0 §3.1.2.6).
const SILENT_ERRORS: [&str; 4] = ["login_required", "interaction_required", "consent_required", "account_selection_required"];

/// What the provider answered the silent request at entry `i` with, when it is one of those
/// errors: read from the redirect back to the app, following the provider's own redirects, or
/// from the answer page.
fn silent_answer(entries: &[EntryReplay], i: usize) -> Option<&'static str> {
    let mut at = i;
    // A provider may pass through a few of its own pages; a long chain is not a sign-in.
    for _ in 0..8 {
        let e = entries.get(at).filter(|e| e.index == at)?;
        let Some(to) = e.redirect_to.as_deref() else { return e.silent_error_in_page() };
        if let Some(error) = query_value(to, "error") {
            return SILENT_ERRORS.iter().copied().find(|s| *s == error);
        }
        // The next hop follows closely (browsers record a redirect's target right after it): a
        // bounded look keeps a file of many silent requests linear.
        at = entries.iter().skip(at + 1).take(REDIRECT_LOOKAHEAD).find(|x| x.redirected_from == Some(at))?.index;
    }
    None
}

/// The largest answer page searched for an error: a provider's `web_message` page is a few
/// kilobytes.
const MAX_ANSWER_PAGE: usize = 64 * 1024;

/// The error a silent sign-in's answer page posts to the app (`web_message` response mode): one
/// of the errors above, written as the value of an `error` member (`"error":"login_required"`,
/// JSON-escaped in the HAR, or `error: 'login_required'` in a script).
pub(super) fn silent_error_in_page(raw: &str) -> Option<&'static str> {
    let raw = crate::limits::head(raw, MAX_ANSWER_PAGE);
    SILENT_ERRORS.iter().copied().find(|error| {
        raw.match_indices(error).any(|(at, _)| {
            // What comes between `error` and the value: quotes (escaped or not), `:`, `=`, spaces.
            let before = raw.get(..at).unwrap_or("").trim_end_matches(['"', '\\', '\'', ' ', ':', '=']);
            before.len() + 12 >= at && before.ends_with("error")
        })
    })
}

/// The longest body read for a signed-out answer, as the recording writes it (quotes and
/// escapes included): a session endpoint answering "no one" says it in a few bytes
/// (`{"user":null,"expires":null}` is 42 with its escapes). Every other answer is told by its
/// length alone: this is asked of every fetch.
const MAX_SIGNED_OUT_ANSWER: usize = 96;

/// The last path segments of the endpoints an app asks "who is signed in?": NextAuth.js's and
/// Auth.js's `/api/auth/session`, `/api/me`, `/auth/user`, OpenID Connect's `/userinfo`. Only
/// these count for a bare `{}` or `null`, which other endpoints answer for success.
const SESSION_ENDPOINTS: [&str; 9] = ["session", "me", "user", "userinfo", "whoami", "current-user", "current_user", "profile", "account"];

/// Members whose `null` says no one is signed in (`{"user": null}`, `{"session": null}`).
const SIGNED_IN_MEMBERS: [&str; 2] = ["user", "session"];

/// Members whose `false` says so (`{"authenticated": false}`).
const SIGNED_IN_FLAGS: [&str; 6] = ["authenticated", "isAuthenticated", "loggedIn", "isLoggedIn", "signedIn", "isSignedIn"];

/// The body of a JSON answer that says no one is signed in: `{}` or `null` from a session
/// endpoint (NextAuth.js's `/api/auth/session` answers `{}`, and Auth.js's `null`, when it finds
/// no session it can read, with 200 OK), or `"user": null` / `"authenticated": false` from any.
/// Read for fetches answered 2xx; the cheap checks come first, since this is asked of every one.
/// (Kept out of the replay's hot loop: a body that passes them is rare.)
#[inline(never)]
pub(super) fn signed_out_answer(url: &str, content: &super::har::Content<'_>) -> Option<String> {
    let raw = content.raw_text().filter(|raw| raw.len() <= MAX_SIGNED_OUT_ANSWER)?;
    // (A bare `{}` or `null`, spaced or not, is a short text; the members hold one of these.)
    if !(raw.len() <= 16 || raw.contains("null") || raw.contains("false")) || !crate::cookie::parse::contains_ignore_ascii_case(&content.mime_type, "json") {
        return None;
    }
    let body = content.text(MAX_SIGNED_OUT_ANSWER)?;
    let named = |key: &str, names: &[&str]| names.iter().any(|n| key.eq_ignore_ascii_case(n));
    let says = match serde_json::from_str::<serde_json::Value>(&body).ok()? {
        serde_json::Value::Null => true,
        serde_json::Value::Object(members) if members.is_empty() => true,
        serde_json::Value::Object(members) => {
            return members
                .iter()
                .any(|(k, v)| (v.is_null() && named(k, &SIGNED_IN_MEMBERS)) || (v.as_bool() == Some(false) && named(k, &SIGNED_IN_FLAGS)))
                .then(|| body.trim().to_string());
        }
        _ => false,
    };
    // A bare `{}` or `null`: only where the app asks who is signed in.
    let endpoint = path_segments(url).last().is_some_and(|last| named(last, &SESSION_ENDPOINTS));
    (says && endpoint).then(|| body.trim().to_string())
}

/// The part of an error page searched for those words.
const MAX_ERROR_PAGE: usize = 4096;

/// How servers say a request's headers are too large, in the pages they answer with (400 or
/// 413, or nginx's internal 494): nginx, HTTP.sys (IIS), Apache, Tomcat.
const HEADERS_REFUSED_PAGES: [&str; 6] = [
    "Request Header Or Cookie Too Large",
    "Request Header Fields Too Large",
    "Request Too Long",
    "size of the request headers is too long",
    "exceeds server limit",
    "Request header is too large",
];

/// Whether the response refuses the request for the size of its headers: a 431 (RFC 6585 §5),
/// or a 400, 413 or 494 whose page says so (`page`: the body as the HAR holds it). Returns how
/// the server put it.
pub(super) fn headers_refused<'p>(status: i64, page: impl FnOnce() -> Option<&'p str>) -> Option<&'static str> {
    match status {
        431 => Some("431 Request Header Fields Too Large"),
        // (The page's own words, whatever the status: `refusal` puts them in a sentence.)
        400 | 413 | 494 => {
            // The servers' own pages are a few hundred bytes, their words written as below.
            let page = page()?;
            let page = crate::limits::head(page, MAX_ERROR_PAGE);
            HEADERS_REFUSED_PAGES.iter().copied().find(|phrase| crate::cookie::parse::contains(page, phrase))
        }
        _ => None,
    }
}

/// "400, with a page saying "…"": how a response refused the request's headers, for a sentence.
pub(super) fn refusal(status: i64, how: &str) -> String {
    if status == 431 {
        how.to_string()
    } else {
        format!("{status}, with a page saying \"{how}\"")
    }
}

/// A `Cookie` header longer than this is past the limit of many servers: 8 KB per header line in
/// nginx (`large_client_header_buffers`) and Tomcat (`maxHttpHeaderSize`), 8,190 bytes per field
/// in Apache (`LimitRequestFieldSize`), counting the `Cookie: ` before the value.
const LARGE_COOKIE_HEADER: usize = 8_000;

const HEADER_LIMITS: &str = "Common limits: nginx 8 KB per header line (large_client_header_buffers), Apache 8,190 bytes per field (LimitRequestFieldSize), Tomcat 8 KB (maxHttpHeaderSize), Node.js 16 KB for all headers together (--max-http-header-size), IIS 16 KB (MaxFieldLength, MaxRequestBytes); proxies, load balancers and CDNs in front have their own.";

const TOO_LARGE_FIX: &str = "Make the cookies smaller: keep the session on the server (NextAuth.js/Auth.js: the database session strategy) and send only its id; leave out of the token what the app does not need (NextAuth.js: what the jwt callback adds; ID tokens with every group claim); delete cookies the app no longer writes, and the ones a failed sign-in leaves behind (ASP.NET: .AspNetCore.Correlation.* and OpenIdConnect.nonce.*). Or raise the limit of every server on the way (nginx: large_client_header_buffers 4 32k; Node.js: --max-http-header-size=32768).";

/// "9,118": a byte count with thousands separators, for sentences.
pub(super) fn grouped(n: usize) -> String {
    let digits = n.to_string();
    let mut out = String::with_capacity(digits.len() + digits.len() / 3);
    for (i, d) in digits.chars().enumerate() {
        if i > 0 && (digits.len() - i) % 3 == 0 {
            out.push(',');
        }
        out.push(d);
    }
    out
}

/// The reasons that are a browser's third-party cookie blocking (a setting, Incognito, Firefox's
/// Total Cookie Protection), not the cookie's own attributes.
fn is_third_party_reason(reason: &str) -> bool {
    matches!(reason, "UserPreferences" | "ThirdPartyPhaseout")
}

const SILENT_THIRD_PARTY_WHY: &str = "In a frame under another site, the provider's cookies are third-party cookies: Safari and Brave block them, Chrome blocks them in Incognito windows and when the user chooses to, and Firefox's Total Cookie Protection keeps them apart (the cookie stored when the user signed in at the provider, top-level, is not the one a frame under another site sees).";

const SILENT_THIRD_PARTY_FIX: &str = "Do not renew the sign-in through the provider's cookies in an iframe. Renew with a refresh token instead (Auth0's SPA SDK: useRefreshTokens: true; oidc-client-ts and MSAL.js: ask for offline_access and renew with the refresh token; Keycloak's JS adapter: updateToken), or serve the provider under the app's own site (a custom domain such as login.example.com for example.com) so that its cookies are first-party. When a silent attempt answers login_required, send the user to the provider in a top-level redirect rather than signing them out: with a session there, the provider sends them straight back.";

const SILENT_SAMESITE_FIX: &str = "A provider you run (Keycloak, IdentityServer, your own OAuth server) must set its session cookie with SameSite=None; Secure for it to reach a frame under another site. Even then, browsers that block third-party cookies hold it back: renew with a refresh token instead (Auth0's SPA SDK: useRefreshTokens: true; oidc-client-ts and MSAL.js: ask for offline_access), or serve the provider under the app's own site (a custom domain such as login.example.com for example.com).";

const SILENT_SPEC: &str = "OpenID Connect Core 1.0 §3.1.2.1 (prompt=none), §3.1.2.6 (login_required)";

/// `flow.silent-sign-in-blocked` or `flow.silent-sign-in-failed` for the silent sign-in at `e`,
/// with the first drop it makes: the provider's cookies withheld by the replay, or missing from
/// the recorded `Cookie` header though the replay sends them (`stored`: cookie names the flow
/// stored, with the entry), or else only the provider's answer that it saw no session.
fn silent_sign_in(e: &EntryReplay, entries: &[EntryReplay], stored: &[(Name, usize)]) -> Option<(FlowFinding, Option<FirstDrop>)> {
    let answer = silent_answer(entries, e.index);
    let i = e.index;
    let by_index = |j: usize| entries.get(j).filter(|x| x.index == j);
    let set_by = |name: &Name| stored.iter().rev().find(|(n, _)| n == name).map(|p| p.1);
    let third_party_frame = e.kind == RequestKind::Iframe && e.site == Some(SameSiteContext::CrossSite);
    let frame = if third_party_frame { " from a hidden iframe under another site" } else { "" };
    let host = quote(&e.host, MAX_QUOTE_CHARS);
    let answered = |otherwise: &str| match answer {
        Some(error) => format!(" The provider answered {error}, so the app has no fresh sign-in and sends the user to sign in again."),
        None => otherwise.to_string(),
    };
    let names = |list: &[&Name]| list.iter().map(|n| quote(n, MAX_QUOTE_CHARS)).collect::<Vec<_>>().join(", ");
    let observed = e.request.observed_sent.as_ref();
    // The provider's cookies: those for this host and path (a cookie of another host or path
    // is listed as withheld too, as DevTools lists it, but was never the provider's to send).
    let withheld: Vec<&super::replay::Withheld> = e
        .request
        .cookies_withheld
        .iter()
        .filter(|w| !w.reasons.iter().any(|r| matches!(*r, "DomainMismatch" | "NotOnPath")) && !observed.is_some_and(|o| o.contains(&w.name)))
        .collect();
    let missing: Vec<&Name> = e.request.mismatches.iter().filter(|m| m.observed == "not-sent" && set_by(&m.name).is_some()).map(|m| &m.name).collect();
    let without_them = " Without them the provider answers login_required, and the app sends the user to sign in again.";

    if let Some(first) = withheld.first() {
        let mut reasons: Vec<&'static str> = withheld.iter().flat_map(|w| w.reasons.iter().copied()).collect();
        reasons.dedup();
        let third_party = first.reasons.iter().all(|r| is_third_party_reason(r));
        let why = if third_party { SILENT_THIRD_PARTY_WHY } else { first.explanation.unwrap_or("") };
        let fix = if third_party {
            SILENT_THIRD_PARTY_FIX
        } else if first.reasons.iter().all(|r| r.contains("SameSite")) {
            SILENT_SAMESITE_FIX
        } else {
            first.fix.unwrap_or(SILENT_THIRD_PARTY_FIX)
        };
        let list: Vec<&Name> = withheld.iter().map(|w| &w.name).collect();
        let drop = FirstDrop { entry: i, cookie: first.name.to_string(), kind: "withheld", reasons: first.reasons.clone(), set_by: set_by(&first.name), fix: Some(fix) };
        let finding = Finding::new(
            Code::FlowSilentSignInBlocked,
            Severity::Error,
            format!("entries[{i}].request"),
            format!("The silent sign-in at {host} goes without the provider's cookies: {}", reasons.join(", ")),
            format!(
                "{} asks {host} to sign the user in without showing a page (prompt=none){frame}. That works only if the provider sees its own session cookie on this request, but {} {} withheld ({}). {why}{}",
                describe(e),
                names(&list),
                if list.len() == 1 { "is" } else { "are" },
                reasons.join(", "),
                answered(without_them)
            ),
            fix,
            SILENT_SPEC,
        );
        return Some((FlowFinding { entry: Some(i), finding }, Some(drop)));
    }

    if let Some(first) = missing.first() {

        let setter = set_by(first).and_then(by_index).map_or_else(|| "an earlier response".to_string(), describe);
        let why = if third_party_frame {
            format!("The likeliest cause is the browser's third-party cookie blocking, which this replay did not apply. {SILENT_THIRD_PARTY_WHY}")
        } else {
            "Something outside the recording removed them or held them back: a script, the user clearing site data, or a browser setting.".to_string()
        };
        let fix = if third_party_frame { SILENT_THIRD_PARTY_FIX } else { "Watch the provider's cookies in DevTools (Application → Cookies) between the sign-in at the provider and this request, and record the flow again." };
        let drop = FirstDrop { entry: i, cookie: first.to_string(), kind: "not-sent", reasons: Vec::new(), set_by: set_by(first), fix: Some(fix) };
        let finding = Finding::new(
            Code::FlowSilentSignInBlocked,
            Severity::Error,
            format!("entries[{i}].request"),
            format!("The silent sign-in at {host} went without the provider's cookies"),
            format!(
                "{} asks {host} to sign the user in without showing a page (prompt=none){frame}. The browser held {} (set by {setter}), and the replay of this recording sends {} on this request, but the Cookie header the browser recorded lacks {}. {why}{}",
                describe(e),
                names(&missing),
                if missing.len() == 1 { "it" } else { "them" },
                if missing.len() == 1 { "it" } else { "them" },
                answered(without_them)
            ),
            fix,
            SILENT_SPEC,
        );
        return Some((FlowFinding { entry: Some(i), finding }, Some(drop)));
    }

    let error = answer?;
    let carried = match observed {
        Some(sent) if sent.is_empty() => " The request carried no cookie.".to_string(),
        Some(sent) => format!(" The request carried {}, but no session the provider accepts.", names(&sent.iter().collect::<Vec<_>>())),
        None => String::new(),
    };
    let (severity, cause, fix) = if third_party_frame {
        (
            Severity::Warning,
            format!("If the user is signed in at {host} in this browser (before this recording began), the browser held its session cookie back. {SILENT_THIRD_PARTY_WHY}"),
            SILENT_THIRD_PARTY_FIX,
        )
    } else {
        (
            Severity::Info,
            "The user has no session at the provider: never signed in there, signed out, or the provider's session ended.".to_string(),
            "When a silent attempt answers login_required, send the user to the provider in a top-level redirect (without prompt=none) rather than signing them out; renew with a refresh token where the provider allows it.",
        )
    };
    let finding = Finding::new(
        Code::FlowSilentSignInFailed,
        severity,
        format!("entries[{i}].response"),
        format!("The provider answered {error} to the silent sign-in at {host}"),
        format!(
            "{} asks {host} to sign the user in without showing a page (prompt=none){frame}, and the provider answered {error}: it saw no session of its own.{carried} {cause} An app that takes this answer for signed out sends the user back to the sign-in page.",
            describe(e)
        ),
        fix,
        SILENT_SPEC,
    );
    Some((FlowFinding { entry: Some(i), finding }, None))
}

/// The path segments of an absolute URL (empty ones skipped), as written.
fn path_segments(url: &str) -> impl Iterator<Item = &str> {
    let rest = url.split_once("://").map_or("", |(_, r)| r);
    let path = rest.find('/').and_then(|at| rest.get(at..)).unwrap_or("");
    let path = path.get(..path.find(['?', '#']).unwrap_or(path.len())).unwrap_or("");
    path.split('/').filter(|s| !s.is_empty())
}

/// Path segments that name a sign-in page: `/login`, NextAuth.js's `/api/auth/signin`, Devise's
/// `/users/sign_in`, Django's `/accounts/login/`, ASP.NET's `/Account/Login`, WordPress's
/// `wp-login.php`.
const SIGN_IN_SEGMENTS: [&str; 10] = ["login", "signin", "sign-in", "sign_in", "log-in", "log_in", "logon", "wp-login.php", "login.php", "login.aspx"];

/// Path segment fragments of a sign-out (which ends a session on purpose): `/logout`,
/// `/api/auth/signout`, OpenID Connect's `end_session_endpoint`.
const SIGN_OUT_HINTS: [&str; 9] = ["logout", "signout", "sign-out", "sign_out", "log-out", "log_out", "logoff", "end_session", "end-session"];

/// Whether a URL is a sign-in page, or sends the browser to an identity provider to sign in.
fn is_sign_in_page(url: &str) -> bool {
    path_segments(url).any(|s| SIGN_IN_SEGMENTS.iter().any(|n| s.eq_ignore_ascii_case(n))) || is_authorization_request(url)
}

fn is_sign_out(url: &str) -> bool {
    segment_contains_any(url, &SIGN_OUT_HINTS)
}

/// Whether a path segment of `url` contains one of `hints` (lower-case), ignoring case.
fn segment_contains_any(url: &str, hints: &[&str]) -> bool {
    path_segments(url).any(|s| {
        let lower = s.to_ascii_lowercase();
        hints.iter().any(|h| lower.contains(h))
    })
}

/// Path segment fragments of the endpoints a sign-in form or API posts to: `/login`,
/// `/api/auth/…`, `/users/sign_in`, `/sessions`, `/oauth/token`, `/verify-otp`, a magic link.
const SIGN_IN_POST_HINTS: [&str; 12] = ["login", "signin", "sign-in", "sign_in", "log-in", "logon", "auth", "session", "token", "verify", "otp", "magic"];

/// Whether a response that stores a session cookie finishes a sign-in: the identity provider's
/// answer (the return leg of the round trip), a callback, or a POST to a sign-in endpoint. (Not
/// any POST: a server that renews its session cookie on every response would otherwise make any
/// form a "sign-in", and a visitor's later trip to the sign-in page a refused session.)
fn completes_sign_in(e: &EntryReplay) -> bool {
    if is_sign_out(&e.url) {
        return false;
    }
    is_sign_in_round_trip(&e.url)
        || segment_contains_any(&e.url, &["callback"])
        || (e.method.as_str().eq_ignore_ascii_case("POST") && segment_contains_any(&e.url, &SIGN_IN_POST_HINTS))
}

/// " The sign-in finished 3 times …": a loop, said when the recording finished more than one
/// sign-in (each round a new navigation, which no browser limit stops).
fn rounds(sign_ins: usize) -> String {
    if sign_ins > 1 {
        format!(" The sign-in finished {sign_ins} times in this recording: the user goes round.")
    } else {
        String::new()
    }
}

/// The fix for a sign-in whose answer set no session cookie (`flow.session-not-set`).
const NOT_SET_FIX: &str = "Make the answer that finishes the sign-in carry the session cookie. Behind a proxy or load balancer that ends TLS, tell the app the request was https (Express: app.set('trust proxy', 1); otherwise express-session with cookie.secure: true sends no cookie at all), or the framework's equivalent (X-Forwarded-Proto). Set the cookie on the response you return (Next.js: const res = NextResponse.redirect(url); res.cookies.set(…); return res — not on another response object). Save the session before redirecting (express-session: req.session.save(callback)), check that the session store (Redis, a database) accepts the write, and that no proxy or CDN in front drops Set-Cookie.";

/// `flow.session-not-set`: a sign-in that finished with a redirect into the app (a callback, a
/// sign-in form's POST) and stored no session cookie, after which a request without one was
/// sent to sign in again (a redirect to the sign-in page or the identity provider, a 401, or a
/// navigation to the sign-in page). Only asked when nothing else in the flow explains the trip
/// back and no sign-in stored a session; `None` for a recording without its cookie headers
/// (Chromium's default export), where no `Set-Cookie` can be seen.
fn session_not_set(entries: &[EntryReplay], order: &[usize]) -> Option<FlowFinding> {
    let by_index = |i: usize| entries.get(i).filter(|e| e.index == i);
    if !entries.iter().any(|e| e.request.observed_sent.is_some() || !e.response.set_cookies.is_empty()) {
        return None;
    }
    for (pos, &i) in order.iter().enumerate() {
        let Some(e) = by_index(i) else { continue };
        // The redirect first: it is rare and cheap to see, the rest is neither.
        let Some(to) = e.redirect_to.as_deref() else { continue };
        // (The provider handing the browser back to the app is not the app's own sign-in.)
        if e.from_cache.is_some() || is_sign_in_page(to) || is_sign_in_round_trip(to) || !completes_sign_in(e) {
            continue;
        }
        if e.response.set_cookies.iter().any(|s| is_session_cookie(&s.name)) {
            continue;
        }
        // The trip back first, then that it went without a session and was no sign-out.
        let back = order.iter().skip(pos + 1).take(REDIRECT_LOOKAHEAD).filter_map(|&j| by_index(j)).find(|x| {
            let carried = x.request.observed_sent.as_ref().unwrap_or(&x.request.cookies_sent);
            (x.status == 401
                || x.redirect_to.as_deref().is_some_and(is_sign_in_page)
                || (x.kind == RequestKind::Navigation && x.redirected_from.is_none() && is_sign_in_page(&x.url)))
                && !carried.iter().any(|n| is_lasting_session_cookie(n))
                && !is_sign_out(&x.url)
        });
        let Some(back) = back else { continue };
        let set: Vec<String> = e.response.set_cookies.iter().take(4).map(|s| quote(&s.name, MAX_QUOTE_CHARS)).collect();
        let set = if set.is_empty() { "no Set-Cookie at all".to_string() } else { format!("Set-Cookie only for {}", set.join(", ")) };
        let how = if back.status == 401 {
            "answered 401 Unauthorized".to_string()
        } else if let Some(to) = back.redirect_to.as_deref() {
            format!("redirected to {}", quote(to, MAX_QUOTE_CHARS))
        } else {
            "went to the sign-in page".to_string()
        };
        return Some(FlowFinding {
            entry: Some(i),
            finding: Finding::new(
                Code::FlowSessionNotSet,
                Severity::Error,
                format!("entries[{i}].response"),
                "The sign-in set no session cookie",
                format!(
                    "{} finished the sign-in, redirecting to {}, and its answer has {set}: no session cookie. So the browser had none to send, and {} {how}. The usual causes: express-session (or another framework) with a Secure cookie behind a proxy that ends TLS, where the app believes the request was http and leaves the cookie out; a cookie set on one response object while another is returned (Next.js: cookies set on NextResponse.next() or cookies() before returning a new NextResponse.redirect()); a session not saved before the redirect, or a session store that failed; a proxy or CDN that drops Set-Cookie.",
                    describe(e),
                    quote(to, MAX_QUOTE_CHARS),
                    describe(back),
                ),
                NOT_SET_FIX,
                "RFC 6265bis §5.7 (Set-Cookie is the only way a server stores a cookie)",
            ),
        });
    }
    None
}

/// The fix when the page, not the server, sent the user back to sign in
/// (`flow.signed-out-by-page`).
const BY_PAGE_FIX: &str = "Decide \"signed in\" where the session is: ask the server (an endpoint that reads the session cookie, such as NextAuth.js's /api/auth/session or your /api/me) rather than reading document.cookie (an HttpOnly session, as it should be, is not there) or a token in localStorage; keep the whole flow on one origin (redirect www to the bare domain, or the reverse, before the sign-in starts, with NEXTAUTH_URL/AUTH_URL and the provider's redirect URI on that origin); and give the auth client the server's base path and URL. Then read the page's redirect condition in the browser's debugger: break on the navigation to the sign-in page.";

/// A navigation of the page's own to sign in, after a sign-in, with the session alive: what
/// `flow.signed-out-by-page` says, written once the whole flow is seen.
struct PageTrip {
    /// Where in the findings it goes (among those of its entry).
    at: usize,
    /// The navigation to sign in.
    entry: usize,
    /// The entry that finished the sign-in.
    signed_in: usize,
    /// The last request that carried the session, and the session's name.
    sent_at: usize,
    name: Name,
    /// The page shown before it.
    page: Option<usize>,
}

/// `flow.signed-out-by-page` for `trip`. `sign_ins`: how many times the recording finished a
/// sign-in.
fn signed_out_by_page(entries: &[EntryReplay], trip: &PageTrip, sign_ins: usize, stored: &[(Name, usize)]) -> Option<FlowFinding> {
    let by_index = |i: usize| entries.get(i).filter(|x| x.index == i);
    let PageTrip { entry, signed_in, sent_at, ref name, page, .. } = *trip;
    let e = by_index(entry)?;
    let name_q = quote(name, MAX_QUOTE_CHARS);
    let by = if e.by_script { "the page's script sends the browser to" } else { "a navigation of the page's own (a link, a form or its script; no server redirect) goes to" };
    let from = page.and_then(by_index).map(|p| format!(" from {}", describe(p))).unwrap_or_default();
    // What the page asked the server between its load and this navigation.
    let asked: Vec<String> = page
        .map(|p| {
            entries
                .iter()
                .filter(|x| x.index > p && x.index < e.index && x.kind == RequestKind::Fetch)
                .take(4)
                .map(|x| format!("{} {} answered {}", x.method, quote(&x.url, MAX_QUOTE_CHARS), x.status))
                .collect()
        })
        .unwrap_or_default();
    let asked = if asked.is_empty() {
        " The recording shows no request of the page's before it: the decision used nothing the server said.".to_string()
    } else {
        format!(" Before it, the page's requests: {}; none refused the session.", asked.join(", "))
    };
    // The line that stored the session: an HttpOnly cookie is not in document.cookie.
    let line = stored
        .iter()
        .rev()
        .filter(|(n, _)| n == name)
        .find_map(|&(_, at)| by_index(at).and_then(|setter| setter.response.set_cookies.iter().rev().find(|s| s.stored && s.name == *name)));
    let http_only = line.is_some_and(|s| s.line.split(';').skip(1).any(|a| a.trim().eq_ignore_ascii_case("httponly")));
    let http_only = if http_only {
        format!(" {name_q} is HttpOnly: the page's script cannot see it in document.cookie, so a check there for it always finds the user signed out.")
    } else {
        String::new()
    };
    let origins = (by_index(signed_in).and_then(|x| super::replay::origin_of(&x.url)), page.and_then(by_index).and_then(|p| super::replay::origin_of(&p.url)));
    let origins = match origins {
        (Some(a), Some(b)) if a != b => format!(
            " The sign-in finished on {} and this page is on {}: localStorage, sessionStorage and a script's memory belong to one origin, so what the sign-in kept there is not here.",
            quote(&a, MAX_QUOTE_CHARS),
            quote(&b, MAX_QUOTE_CHARS)
        ),
        _ => String::new(),
    };
    let round = rounds(sign_ins);
    Some(FlowFinding {
        entry: Some(e.index),
        finding: Finding::new(
            Code::FlowSignedOutByPage,
            Severity::Error,
            format!("entries[{}].request", e.index),
            "Sent back to sign in by the page, with the session alive".to_string(),
            format!(
                "After {} finished the sign-in, {by} the sign-in page: {}{from}. The browser kept the session: {name_q} went along on {}, and no answer refused it, deleted it or redirected to sign in. So the check that failed runs in the page.{asked}{http_only}{origins}{round} Usual causes: a check of document.cookie for an HttpOnly cookie; a token the page looks for in localStorage or sessionStorage of another origin (www and the bare domain are two), or in memory that a full page load lost; an auth client with another base path or URL than the server's.",
                by_index(signed_in).map_or_else(|| format!("entry {signed_in}"), describe),
                describe(e),
                by_index(sent_at).map_or_else(|| format!("entry {sent_at}"), describe),
            ),
            BY_PAGE_FIX,
            "RFC 6265bis §5.7 step 14 (HttpOnly: not for non-HTTP APIs); HTML Standard §12.2 (Web storage is per origin)",
        ),
    })
}

/// A cookie's name without the chunk number a framework adds to a large value split over
/// several cookies (`name.0`, `name.1`: NextAuth.js, Auth.js, Supabase).
fn chunk_base(name: &str) -> &str {
    crate::jose::session_cookie::split_chunk_name(name).map_or(name, |(base, _)| base)
}

/// The fix for a session the server refused (`flow.session-refused`).
const REFUSED_FIX: &str = "Give every instance the same secret (set AUTH_SECRET / NEXTAUTH_SECRET, or the framework's session secret, in the deployment's environment), keep sessions in a shared store (a database or Redis) rather than in memory, keep server clocks in sync, and look in the server log at this request for why the session was refused (NextAuth.js logs JWT_SESSION_ERROR).";

/// The fix for a fetch that left the cookies out (`flow.credentials-omitted`).
const CREDENTIALS_FIX: &str = "Call the API with fetch(url, { credentials: 'include' }) on every call, the sign-in call that sets the cookie included (axios: withCredentials: true; XMLHttpRequest: xhr.withCredentials = true), and have it answer with Access-Control-Allow-Credentials: true and Access-Control-Allow-Origin set to the page's exact origin (not *). Or serve the API under the page's own origin (a rewrite or proxy), where the default sends the cookie.";

/// The fix for a session a response deleted (`flow.cookie-deleted`).
const DELETED_FIX: &str = "Find the code that sets this cookie with maxAge: 0 / expires: new Date(0) (a sign-out route, a session check that fails) and log why it runs.";

/// Values that mark a `Set-Cookie` as a deletion (PHP writes `deleted`; others clear the value).
const DELETION_VALUES: [&str; 6] = ["", "deleted", "null", "undefined", "0", "expired"];

/// How recent a past `Expires` must be to read as a cookie meant to live (a deletion uses a
/// date long gone: 1970, or a year ago).
const RECENT_EXPIRY: i64 = 14 * 24 * 3600;

pub(super) const EXPIRED_EXPLANATION: &str = "Its Expires date was already past when it arrived, so the browser did not keep it: a deletion if that was meant, otherwise a server clock or a date that is off.";

const EXPIRED_FIX: &str = "Send Max-Age (the lifetime in seconds) instead of Expires: the browser counts it from its own clock, so no server clock or date format can cut it short. Keep the server's clock synchronised (NTP), and build any Expires date in UTC (JavaScript: toUTCString(); Python: email.utils.format_datetime on an aware UTC datetime, usegmt=True; PHP: gmdate).";

/// `flow.cookie-expired-on-arrival` for a line of `e` whose `Expires` was already past when it
/// arrived, when the line looks meant to live: it has a value, and the date is recent. Says
/// whose clock is off, from the response's `Date` header.
fn expired_on_arrival(e: &EntryReplay, s: &super::replay::SetCookieReplay) -> Option<FlowFinding> {
    let at = s.expired_at()?;
    let now = e.time.and_then(crate::time::whole_seconds)?;
    let value = s.line.split(';').next().and_then(|pair| pair.split_once('=')).map_or("", |(_, v)| v.trim().trim_matches('"'));
    if DELETION_VALUES.iter().any(|d| value.eq_ignore_ascii_case(d)) || now.saturating_sub(at) > RECENT_EXPIRY {
        return None;
    }
    let when = |t: i64| crate::time::iso8601(t).unwrap_or_default();
    let cause = match e.server_date() {
        // The server thought the date was ahead: its clock is behind the browser's.
        Some(date) if at > date && now.saturating_sub(date) > 60 => format!(
            " The response's own Date header says {}: the server's clock is {} behind the browser's, so an expiry {} after its own time is already past here.",
            when(date),
            crate::time::duration_words(now.saturating_sub(date)),
            crate::time::duration_words(at.saturating_sub(date))
        ),
        Some(date) if at <= date => format!(
            " It is {} before the response's own Date header ({}), so the date was built wrong: often local time written with \"GMT\" (a server west of UTC makes every cookie expire that many hours early), or a lifetime added in the wrong unit.",
            crate::time::duration_words(date.saturating_sub(at)),
            when(date)
        ),
        Some(_) => " The server's Date header agrees with the browser's clock, so the date itself was built wrong (a lifetime added in the wrong unit, or from a stale time).".to_string(),
        None => " Either the server's clock is behind the browser's, or the date was built wrong (local time written as GMT).".to_string(),
    };
    Some(FlowFinding {
        entry: Some(e.index),
        finding: Finding::new(
            Code::FlowCookieExpiredOnArrival,
            severity_for(&s.name),
            format!("entries[{}].response", e.index),
            format!("{} expired on arrival: its Expires is already past", quote(&s.name, MAX_QUOTE_CHARS)),
            format!(
                "The response to {} sets {} with Expires {}, {} before the browser's clock at the time ({}). The browser never keeps it (and drops a cookie of the same name it held): the next request goes without it.{cause}",
                describe(e),
                quote(&s.name, MAX_QUOTE_CHARS),
                when(at),
                crate::time::duration_words(now.saturating_sub(at)),
                when(now)
            ),
            EXPIRED_FIX,
            "RFC 6265bis §5.7 step 22 (expiry in the past), §5.6.1 (Expires)",
        ),
    })
}

/// Where the session was first lost.
#[derive(Debug, Clone, PartialEq, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct FirstDrop {
    pub entry: usize,
    pub cookie: String,
    /// `rejected`, `withheld` or `deleted` (the replay's verdict), `not-sent` (the recording's:
    /// the replay would have sent it), `credentials-omitted` (a cross-origin fetch went out
    /// without cookies: [`super::replay::RequestReplay::credentials_omitted`]), or `refused` (the
    /// session went along after the sign-in, and the server sent the browser back to sign in), or
    /// `too-large` (the session went along, and the server refused the request for the size of
    /// its headers), or `expired` (its `Expires` was already past when it arrived: a clock or a
    /// date that is off).
    pub kind: &'static str,
    pub reasons: Vec<&'static str>,
    /// The entry that set the cookie, for a withheld or deleted one.
    pub set_by: Option<usize>,
    /// What to do about it: the fix of the finding that reports the drop (or of the reason
    /// that withheld or refused the cookie), for a display to show with the headline.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub fix: Option<&'static str>,
}

/// A finding tied to an entry of the flow.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct FlowFinding {
    /// Index of the HAR entry it is about (HAR order); `None` for the file as a whole.
    pub entry: Option<usize>,
    #[serde(flatten)]
    pub finding: Finding,
}

/// `GET "https://…" (entry 3)`: how a finding names an entry.
pub(super) fn describe(e: &EntryReplay) -> String {
    format!("{} {} (entry {})", e.method, quote(&e.url, MAX_QUOTE_CHARS), e.index)
}

/// ", the session among them: \"a\", \"b\"": the session cookies of a list, for a sentence.
fn session_among(names: &[Name]) -> String {
    let session: Vec<String> = names.iter().filter(|n| is_lasting_session_cookie(n)).take(4).map(|n| quote(n, MAX_QUOTE_CHARS)).collect();
    if session.is_empty() {
        String::new()
    } else {
        format!(", the session among them: {}", session.join(", "))
    }
}

fn severity_for(name: &str) -> Severity {
    if is_session_cookie(name) {
        Severity::Error
    } else {
        Severity::Warning
    }
}

/// What NextAuth.js's and Auth.js's callback failures (three names over their versions) mean.
const CALLBACK_FAILED: &str = "the callback could not finish the sign-in: the state, PKCE or nonce check failed, or the provider's token endpoint refused the code";

/// What a sign-in error code in an address means: Auth.js / NextAuth.js (the
/// `error` of their error and sign-in pages), Better Auth's, and OAuth 2.0's own answers to the
/// redirect URI (RFC 6749 §4.1.2.1). The third field: whether a round-trip cookie (state, PKCE
/// verifier, nonce, CSRF token) that did not come back is the usual cause (`Always`), or one
/// cause among others, named only when the flow shows it (`IfSeen`).
const SIGN_IN_ERRORS: [(&str, &str, CookieCause); 13] = [
    ("Configuration", "Auth.js could not finish the sign-in: a server configuration problem (AUTH_SECRET/NEXTAUTH_SECRET unset, AUTH_URL/NEXTAUTH_URL wrong, the provider's client id or secret wrong), or, logged as InvalidCheck, a state, PKCE or nonce cookie that did not come back (the server log has the [auth][error] line)", CookieCause::IfSeen),
    ("AccessDenied", "the app's signIn callback refused the user (it returned false or threw)", CookieCause::Never),
    ("Verification", "the email sign-in link had expired or was already used (a mail scanner may have opened it first)", CookieCause::Never),
    ("OAuthSignin", "the authorization request to the provider could not be built or sent", CookieCause::Never),
    ("OAuthCallback", CALLBACK_FAILED, CookieCause::Always),
    ("OAuthCallbackError", CALLBACK_FAILED, CookieCause::Always),
    ("CallbackRouteError", CALLBACK_FAILED, CookieCause::Always),
    ("InvalidCheck", "the state, PKCE verifier or nonce the callback checks did not come back in its cookie, or did not match", CookieCause::Always),
    ("MissingCSRF", "the CSRF token cookie did not come back with the sign-in POST", CookieCause::Always),
    ("OAuthAccountNotLinked", "the email is already linked to another provider's account, which Auth.js does not link on its own", CookieCause::Never),
    ("CredentialsSignin", "the credentials provider's authorize returned nothing: wrong credentials, or authorize failed", CookieCause::Never),
    ("state_mismatch", "the state the provider sent back does not match the state cookie", CookieCause::Always),
    ("access_denied", "the user or the provider refused the authorization (RFC 6749 §4.1.2.1)", CookieCause::Never),
];

#[derive(Clone, Copy, PartialEq)]
enum CookieCause {
    Never,
    IfSeen,
    Always,
}

const SIGN_IN_ERROR_COOKIE_FIX: &str = "Make the sign-in's round-trip cookies (state, PKCE verifier, nonce, CSRF token) come back on the callback: SameSite=Lax, not Strict (the callback arrives from the provider's site), and SameSite=None; Secure when the provider answers with form_post (a cross-site POST, on which Lax cookies are not sent); the same host for starting the sign-in and for the callback (NEXTAUTH_URL/AUTH_URL, the redirect URI); Secure only over https; and one sign-in at a time per browser (a second one overwrites the first one's state cookie).";

const SIGN_IN_ERROR_FIX: &str = "Read the server's log at the time of this request: the code names the step that failed. Auth.js logs [auth][error] with the cause; set debug: true for more.";

/// `flow.sign-in-error` for `e`, a page the browser was sent to with an `error` in its address:
/// the app's sign-in page or error page, or the callback the provider answered with an error.
/// For a code about the round-trip cookies, names the one that did not come back, from the
/// requests replayed `before` it (latest first).
fn sign_in_error<'e>(e: &EntryReplay, before: impl Iterator<Item = &'e EntryReplay>) -> Option<FlowFinding> {
    if e.kind != RequestKind::Navigation || is_sign_out(&e.url) {
        return None;
    }
    let code = query_value(&e.url, "error").filter(|c| !c.is_empty())?;
    let at_error_page = segment_contains_any(&e.url, &["error"]);
    if !at_error_page && !is_sign_in_page(&e.url) && !segment_contains_any(&e.url, &["callback"]) {
        return None;
    }
    // SessionRequired is a page guard's word for a session it did not get or accept: the
    // findings on the request that led here say why.
    if code == "SessionRequired" {
        return None;
    }
    let known = SIGN_IN_ERRORS.iter().find(|(c, _, _)| c.eq_ignore_ascii_case(code));
    let meaning = known.map_or("an error code of the app or its identity provider", |k| k.1);
    let cookie_cause = known.map_or(CookieCause::Never, |k| k.2);
    // The round-trip cookie that did not come back, on the latest request that should have
    // carried it (a withheld one, or one missing from the recorded Cookie header).
    let lost = before.take(8).find_map(|p| {
        // The recording outranks the prediction: a cookie the recorded Cookie header carries came back.
        let carried = |n: &Name| p.request.observed_sent.as_ref().is_some_and(|sent| sent.contains(n));
        let withheld = p.request.cookies_withheld.iter().find(|w| is_round_trip_cookie(&w.name) && !carried(&w.name)).map(|w| (p, w.name.clone(), w.reasons.join(", ")));
        withheld.or_else(|| {
            p.request.mismatches.iter().find(|m| m.observed == "not-sent" && is_round_trip_cookie(&m.name)).map(|m| (p, m.name.clone(), "missing from the recorded Cookie header".to_string()))
        })
    });
    let lost = lost.filter(|_| cookie_cause != CookieCause::Never);
    let evidence = match &lost {
        Some((p, name, why)) => format!(" The flow shows why: {} went without {} ({why}).", describe(p), quote(name, MAX_QUOTE_CHARS)),
        None => String::new(),
    };
    let about_cookies = lost.is_some() || cookie_cause == CookieCause::Always;
    Some(FlowFinding {
        entry: Some(e.index),
        finding: Finding::new(
            Code::FlowSignInError,
            Severity::Error,
            format!("entries[{}].request", e.index),
            format!("The sign-in ended in an error: {}", quote(code, MAX_QUOTE_CHARS)),
            format!(
                "{} is the app's {} with error={}: {meaning}.{evidence}",
                describe(e),
                if at_error_page { "error page" } else if is_sign_in_page(&e.url) { "sign-in page" } else { "callback" },
                quote(code, MAX_QUOTE_CHARS)
            ),
            if about_cookies { SIGN_IN_ERROR_COOKIE_FIX } else { SIGN_IN_ERROR_FIX },
            "RFC 6749 §4.1.2.1; Auth.js error codes",
        ),
    })
}

/// The fix for a session that lived its full (long) lifetime and ran out during the flow.
const RENEW_FIX: &str = "Renew the session while the user is active, so that it runs out only after a time of no use (express-session's rolling: true, Auth.js's session.updateAge, a refresh before expiry), or give it a longer Max-Age.";

/// Whether the line `s`, stored by `setter`, makes a cookie that goes to `e` by its domain and
/// its path (RFC 6265bis §5.8.3 step 1: host or domain match, then path match).
fn reaches(s: &super::replay::SetCookieReplay, setter: &EntryReplay, e: &EntryReplay) -> bool {
    use crate::cookie::site::{default_path, path_match, CookieUrl};
    // The URL's host, without the port: cookies do not tell ports apart (RFC 6265bis §8.5).
    let Ok(url) = CookieUrl::parse(&e.url) else { return false };
    let host = url.host();
    let domain = match &s.domain {
        Some(domain) if s.host_only => domain.eq_ignore_ascii_case(host),
        Some(domain) => domain_match(&host.to_ascii_lowercase(), domain),
        None => false,
    };
    // The cookie's path: its `Path` attribute when that starts with `/`, else the default path
    // of the URL that set it (§5.7 steps 7–8). Read again here: this runs only for a session
    // that ran out, not for every stored line.
    domain
        && match crate::cookie::parse::parse_line(&s.line).path.flatten() {
            Some(path) => path_match(url.path(), path),
            None => CookieUrl::parse(&setter.url).is_ok_and(|from| path_match(url.path(), default_path(from.path()))),
        }
}

/// `flow.session-expired`: the session stored by line `line` of `setter`'s response expired
/// (at `expiry`) before `e`, which would have carried it. An error when it was given ten
/// minutes or less (a unit mix-up, most often), a warning otherwise. With whether it was short.
fn session_expired(setter: &EntryReplay, line: usize, e: &EntryReplay, expiry: i64) -> Option<(FlowFinding, bool)> {
    let s = setter.response.set_cookies.get(line)?;
    let set_at = setter.time.and_then(crate::time::whole_seconds)?;
    let now = e.time.and_then(crate::time::whole_seconds)?;
    let lifetime = expiry.saturating_sub(set_at);
    let short = lifetime <= crate::limits::SHORT_SESSION_SECONDS;
    let parsed = crate::cookie::parse::parse_line(&s.line);
    let mut detail = format!(
        "{} set {} with {} to live ({}), and it expired {} before {}, {} after it was set: the browser no longer had it to send.",
        describe(setter),
        quote(&s.name, MAX_QUOTE_CHARS),
        crate::time::duration_words(lifetime),
        quote(&s.line, MAX_QUOTE_CHARS),
        crate::time::duration_words(now.saturating_sub(expiry)),
        describe(e),
        crate::time::duration_words(now.saturating_sub(set_at))
    );
    if short {
        detail.push(' ');
        detail += &crate::cookie::storage::short_lifetime_hint(parsed.max_age.flatten());
    }
    let finding = Finding::new(
        Code::FlowSessionExpired,
        if short { Severity::Error } else { Severity::Warning },
        format!("entries[{}].request", e.index),
        format!("{} expired {} after it was set", quote(&s.name, MAX_QUOTE_CHARS), crate::time::duration_words(lifetime)),
        detail,
        if short { crate::cookie::storage::SHORT_LIFETIME_FIX } else { RENEW_FIX },
        "RFC 6265bis §5.7 step 3, §5.8.3",
    );
    Some((FlowFinding { entry: Some(e.index), finding }, short))
}

/// Why a line's cookie was not kept though no rule refused it: Firefox's limit of cookies per site.
pub(super) const NOT_KEPT_EXPLANATION: &str = "The site already had 180 cookies, all of them Secure, and Firefox does not evict a Secure cookie to make room for one without Secure: it did not keep this one.";

/// The fix for a session lost to the browser's limit of cookies per site (`flow.cookie-evicted`).
/// The fix for a session evicted at `e`: under the site's limit of cookies, or its partition's.
fn evicted_fix(e: &EntryReplay) -> &'static str {
    if e.response.evicted_from_partition {
        crate::cookie::jar::PARTITION_LIMIT_FIX
    } else {
        crate::cookie::jar::LIMIT_FIX
    }
}

/// `flow.cookie-evicted` for `e`, whose `Set-Cookie` lines took the site past the browser's
/// cookie limit: the session `name` was evicted, or (Firefox) not kept at all.
fn cookie_evicted(e: &EntryReplay, name: &Name) -> FlowFinding {
    let not_kept = e.response.set_cookies.iter().any(|s| s.name == *name && s.unkept == Some(super::replay::Unkept::SiteLimit));
    let host = crate::cookie::site::CookieUrl::parse(&e.url).map(|u| u.host().to_string()).unwrap_or_default();
    let site = crate::cookie::psl::registrable_domain(&host).unwrap_or(host);
    let others: Vec<String> = e.response.evicted_cookies.iter().filter(|n| *n != name).take(5).map(|n| quote(n, MAX_QUOTE_CHARS)).collect();
    let more = e.response.evicted_cookies.len().saturating_sub(others.len() + 1);
    let lines = e.response.set_cookies.len();
    let (title, detail) = if not_kept {
        (
            format!("{} is not kept: the site is at its limit of cookies", quote(name, MAX_QUOTE_CHARS)),
            format!(
                "The response to {} sets {} for {}. {} No warning says so. Chromium would have evicted older ones instead.",
                describe(e),
                quote(name, MAX_QUOTE_CHARS),
                quote(&site, MAX_QUOTE_CHARS),
                NOT_KEPT_EXPLANATION
            ),
        )
    } else {
        // Those evicted, the session first; and what evicting cookies looks like from outside.
        let listed = format!(
            "{}{}{}",
            quote(name, MAX_QUOTE_CHARS),
            if others.is_empty() { String::new() } else { format!(", {}", others.join(", ")) },
            if more > 0 { format!(" and {more} more") } else { String::new() }
        );
        let unseen = "No Set-Cookie line deletes the session and DevTools shows no warning; it is simply missing from the next request on. A cookie's last use moves only once a minute, so within a sign-in the oldest cookies go first";
        let stored = if lines == 1 { "cookie".to_string() } else { format!("{lines} cookies") };
        if e.response.evicted_from_partition {
            (
                format!("{} is evicted: the site's Partitioned cookies passed 10 KiB", quote(name, MAX_QUOTE_CHARS)),
                format!(
                    "Storing the {stored} the response to {} sets took the Partitioned cookies of {} under this top-level site past Chromium's limit of 10 KiB of names and values per site and partition, and Chromium evicted the least recently used until they fit: {listed}. {unseen}: the first chunk of a session split into chunks.",
                    describe(e),
                    quote(&site, MAX_QUOTE_CHARS),
                ),
            )
        } else {
            (
                format!("{} is evicted: the site passed its limit of cookies", quote(name, MAX_QUOTE_CHARS)),
                format!(
                    "Storing the {stored} the response to {} sets took {} past the browser's limit of 180 cookies per site, and the browser evicted {} to make room (those without Secure first, then the least recently used): {listed}. {unseen}.",
                    describe(e),
                    quote(&site, MAX_QUOTE_CHARS),
                    e.response.evicted_cookies.len(),
                ),
            )
        }
    };
    FlowFinding {
        entry: Some(e.index),
        finding: Finding::new(Code::FlowCookieEvicted, Severity::Error, format!("entries[{}].response", e.index), title, detail, evicted_fix(e), "RFC 6265bis §6.1 (limits); CHIPS §5 (partitioned cookie limits)"),
    }
}

/// Whether `s` is a line Chromium refused because its response's `Clear-Site-Data` clears
/// cookies ([`super::clear_site_data`]).
fn refused_for_clearing(s: &super::replay::SetCookieReplay) -> bool {
    s.unkept == Some(super::replay::Unkept::ClearSiteData)
}

/// The session `Clear-Site-Data` cost in `e`: a session cookie it deleted, or one set by the
/// same response and kept from being stored.
fn cleared_session(e: &EntryReplay) -> Option<&Name> {
    e.response
        .cleared_cookies
        .iter()
        .chain(e.response.set_cookies.iter().filter(|s| refused_for_clearing(s)).map(|s| &s.name))
        .find(|n| is_lasting_session_cookie(n))
}

/// `flow.site-data-cleared` for `e`, whose `Clear-Site-Data` cost the session `name` (deleted
/// with the rest of the site's cookies, or never stored), unless it is the sign-out (a prefetch
/// of the sign-out is not).
fn site_data_cleared(e: &EntryReplay, name: &Name) -> Option<FlowFinding> {
    if is_sign_out(&e.url) && !e.prefetch {
        return None;
    }
    let cleared = &e.response.cleared_cookies;
    let mut detail = format!("The response to {} carries Clear-Site-Data with \"cookies\".", describe(e));
    if !cleared.is_empty() {
        let names: Vec<String> = cleared.iter().take(6).map(|n| quote(n, MAX_QUOTE_CHARS)).collect();
        let more = cleared.len().saturating_sub(names.len());
        detail += &format!(
            " The browser deleted every cookie of the site ({}{}){}. No Set-Cookie line deletes them: they are simply gone from the next request on.",
            names.join(", "),
            if more > 0 { format!(" and {more} more") } else { String::new() },
            if cleared.contains(name) { ", the session among them" } else { "" }
        );
    }
    let refused = e.response.set_cookies.iter().any(|s| s.name == *name && refused_for_clearing(s));
    let set_here = e.response.set_cookies.iter().any(|s| s.name == *name);
    if refused {
        detail += &format!(
            " The same response sets {}, and Chromium stores none of the Set-Cookie lines of a response whose Clear-Site-Data clears cookies (DevTools reports them as SyntaxError){}: this sign-in never keeps its session.",
            quote(name, MAX_QUOTE_CHARS),
            if crate::cookie::site::CookieUrl::parse(&e.url).is_ok_and(|u| !u.is_secure()) { ", even over plain http, where the header itself is ignored (Firefox keeps them there)" } else { "" }
        );
    } else if set_here {
        detail += &format!(" The same response sets {}: the clearing takes the new session too (Firefox, recorded), so this sign-in never keeps it.", quote(name, MAX_QUOTE_CHARS));
    }
    if e.prefetch {
        detail += " This request was a prefetch of the sign-out address: the user never asked to sign out.";
    }
    Some(FlowFinding {
        entry: Some(e.index),
        finding: Finding::new(
            Code::FlowSiteDataCleared,
            Severity::Error,
            format!("entries[{}].response", e.index),
            if refused { format!("Clear-Site-Data kept {} from being stored", quote(name, MAX_QUOTE_CHARS)) } else { format!("Clear-Site-Data deleted {}", quote(name, MAX_QUOTE_CHARS)) },
            detail,
            if e.prefetch { PREFETCH_FIX } else { super::clear_site_data::FIX },
            "Clear Site Data §4.2.1 (clear cookies for origin)",
        ),
    })
}

/// The fix for a sign-out a prefetch set off (`flow.prefetch-signed-out`).
const PREFETCH_FIX: &str = "Sign out with a POST (a form, or fetch with method: 'POST'), never on a GET: prefetchers only GET. Keep the sign-out link from being prefetched (Next.js: <Link href=\"/logout\" prefetch={false}>; Remix: no prefetch on it; speculation rules: exclude it, as in \"where\": { \"not\": { \"href_matches\": \"/logout\" } }), and have the route do nothing for a request with Sec-Purpose: prefetch or Next-Router-Prefetch: 1.";

/// `flow.prefetch-signed-out` for `e`, a prefetch: as an error when its answer deletes the
/// session (`deleted`, the line), as a warning when it only went to a sign-out address with
/// the session (a sign-out on GET ends it on the server, with or without a cookie to delete).
fn prefetch_signed_out(e: &EntryReplay, deleted: Option<&super::replay::SetCookieReplay>) -> FlowFinding {
    let (severity, title, what) = match deleted {
        Some(s) => (
            Severity::Error,
            format!("A prefetch deleted {}", quote(&s.name, MAX_QUOTE_CHARS)),
            format!("Its answer deletes {} ({})", quote(&s.name, MAX_QUOTE_CHARS), quote(&s.line, MAX_QUOTE_CHARS)),
        ),
        None => (
            Severity::Warning,
            "A prefetch went to the sign-out address with the session".to_string(),
            "It carried the session; if the route signs out on a GET, it ended the session on the server".to_string(),
        ),
    };
    FlowFinding {
        entry: Some(e.index),
        finding: Finding::new(
            Code::FlowPrefetchSignedOut,
            severity,
            format!("entries[{}].response", e.index),
            title,
            format!(
                "{} is a prefetch, not a visit: the browser (a <link rel=prefetch>, speculation rules) or the app's router (Next.js prefetches the <Link>s in view) asked for it ahead of a click, and the user never chose to sign out. {what}, so the next page finds no session and sends the user to sign in. Prefetching a sign-out link signs the user out as soon as the page that shows it is open.",
                describe(e)
            ),
            PREFETCH_FIX,
            "RFC 9110 §9.2.1 (GET is safe); Fetch Standard (Sec-Purpose: prefetch)",
        ),
    }
}

/// The fix for a redirect to sign-in that a cache keeps (`flow.cached-sign-in-redirect`).
const CACHED_FIX: &str = "Send the signed-out to sign in with a 302, 303 or 307 and Cache-Control: no-store, never a 301 or 308 (without an expiry, browsers keep those for good; Next.js: permanent: false in the redirects of next.config.js, and NextResponse.redirect(url), whose default is 307; Express: res.redirect(302, …)). Mark every answer that depends on the session Cache-Control: private, no-store, so that no CDN or proxy stores it, or Vary: Cookie. Browsers that already hold the redirect go on following it: answer the sign-in callback over HTTPS with Clear-Site-Data: \"cache\" to drop it, or move the page to a new URL; purge the CDN's cache.";

const CACHED_SPEC: &str = "RFC 9111 §4 (reusing a stored response), §4.2.2 (heuristic freshness); RFC 9110 §15.4.2 (301)";

/// `flow.cached-sign-in-redirect` (an error, and the drop) for `e`, answered after the sign-in
/// by a cache, with a redirect to the sign-in page (or, from a shared cache, a 401): the
/// browser followed a redirect it kept from a signed-out visit, or a CDN handed out a signed-out
/// answer, and the server never saw the session. `before` are the entries replayed before it.
fn cached_sign_in_redirect<'e>(
    e: &EntryReplay,
    before: impl Iterator<Item = &'e EntryReplay>,
    went: &[Name],
    stored: &[(Name, usize)],
    by_index: &dyn Fn(usize) -> Option<&'e EntryReplay>,
) -> Option<(FlowFinding, FirstDrop)> {
    let shared = e.shared_cache_hit();
    if e.from_cache.is_none() && shared.is_none() {
        return None;
    }
    let back_to = e.redirect_to.as_deref().filter(|to| is_sign_in_page(to));
    if (back_to.is_none() && !(shared.is_some() && e.status == 401)) || is_sign_out(&e.url) || is_sign_in_page(&e.url) {
        return None;
    }
    let held = stored.iter().rev().find(|(n, _)| is_lasting_session_cookie(n));
    let name = went.iter().find(|n| is_lasting_session_cookie(n)).or(held.map(|(n, _)| n))?;
    let set_by = stored.iter().rev().find(|(n, _)| n == name).map(|p| p.1);
    let setter = set_by.and_then(by_index).map_or_else(|| "before the recording".to_string(), describe);
    let answer = match back_to {
        Some(to) => format!("a {} to the sign-in page {}", e.status, quote(to, MAX_QUOTE_CHARS)),
        None => "a 401 Unauthorized".to_string(),
    };
    let (title, detail) = match (e.from_cache, shared) {
        (Some(cache), _) => {
            // The signed-out visit whose answer the browser kept: the same URL and answer, from
            // the server.
            let origin = before.filter(|p| p.from_cache.is_none() && p.url == e.url && p.status == e.status && p.redirect_to == e.redirect_to).last();
            let kept = match origin {
                Some(o) => format!(", kept from {} before the sign-in ({})", describe(o), o.kept_by_browsers().unwrap_or("a redirect its headers let the browser keep")),
                None => String::new(),
            };
            (
                "Sent back to sign-in by a redirect the browser kept".to_string(),
                format!(
                    "{} was answered from the browser's {cache} cache with {answer}{kept}. No request went to the server, so {} (stored by {setter}) never reached it, and the server never had the chance to let the user in. A kept redirect is followed on every visit while it lasts (a 301 or 308 without an expiry: until the cache is cleared), so the user is sent to sign in after every sign-in.",
                    describe(e),
                    quote(name, MAX_QUOTE_CHARS)
                ),
            )
        }
        (None, Some(hit)) => (
            "Sent back to sign-in by a CDN's stored answer".to_string(),
            format!(
                "{} got {answer} from a shared cache ({}): a CDN or proxy in front of the app stored a signed-out visitor's answer and handed it to this request, which {} {}. The app never saw the session. A shared cache may store any answer not marked Cache-Control: private or no-store, and then gives it to every user.",
                describe(e),
                quote(hit, MAX_QUOTE_CHARS),
                if went.contains(name) { "carried" } else { "came after the sign-in stored" },
                quote(name, MAX_QUOTE_CHARS)
            ),
        ),
        (None, None) => return None,
    };
    let finding = FlowFinding {
        entry: Some(e.index),
        finding: Finding::new(Code::FlowCachedSignInRedirect, Severity::Error, format!("entries[{}].response", e.index), title, detail, CACHED_FIX, CACHED_SPEC),
    };
    let drop = FirstDrop { entry: e.index, cookie: name.to_string(), kind: "cached", reasons: Vec::new(), set_by, fix: Some(CACHED_FIX) };
    Some((finding, drop))
}

/// `flow.cached-sign-in-redirect` as a warning: `e` redirects to the sign-in page with an answer
/// browsers keep, so a visit after signing in would be sent to sign in from the cache.
fn kept_sign_in_redirect(e: &EntryReplay) -> Option<FlowFinding> {
    let kept = e.kept_by_browsers()?;
    let to = e.redirect_to.as_deref().filter(|to| is_sign_in_page(to))?;
    if is_sign_in_page(&e.url) || is_sign_out(&e.url) {
        return None;
    }
    Some(FlowFinding {
        entry: Some(e.index),
        finding: Finding::new(
            Code::FlowCachedSignInRedirect,
            Severity::Warning,
            format!("entries[{}].response", e.index),
            "A redirect to sign-in that browsers keep",
            format!(
                "{} redirects to the sign-in page {} with {kept}: browsers store it and, while it lasts, follow it without asking the server (a 301 or 308 without an expiry: until the cache is cleared). Once the user has signed in, the next visit to this address is sent to sign in again from the cache, and the server never sees the session: the user seems unable to stay signed in until they clear the browser's cache.",
                describe(e),
                quote(to, MAX_QUOTE_CHARS)
            ),
            CACHED_FIX,
            CACHED_SPEC,
        ),
    })
}

/// The session findings and the first drop, walking the entries in replay order.
///
/// `token_note(entry, cookie)` says what the token analysis found in that cookie's value on that
/// entry, as a sentence (or `None`: no token there).
pub fn session_findings(entries: &[EntryReplay], order: &[usize], token_note: &dyn Fn(usize, &str) -> Option<String>) -> (Vec<FlowFinding>, Option<FirstDrop>) {
    let mut findings = Vec::new();
    let mut first_drop: Option<FirstDrop> = None;
    // (cookie name, entry that stored it)
    let mut stored: Vec<(Name, usize)> = Vec::new();
    let mut reported_withheld: Vec<(Name, Vec<&'static str>)> = Vec::new();
    let mut mismatches = 0usize;
    let mut reported_not_sent: Vec<Name> = Vec::new();
    let mut reported_credentials: Vec<Name> = Vec::new();
    let mut reported_duplicates: Vec<Name> = Vec::new();
    let mut reported_too_large = false;
    let mut reported_loop = false;
    let mut reported_cached = false;
    let mut reported_sign_in_error = false;
    let mut reported_evicted = false;
    // The first redirect to sign-in that browsers keep (a warning, unless a cached one is found).
    let mut kept_redirect: Option<FlowFinding> = None;
    let mut reported_prefetch = false;
    // A prefetch of the sign-out address that carried the session (and deleted nothing).
    let mut prefetched_sign_out: Option<usize> = None;
    // The entry whose response stored a session cookie as a sign-in finished, and whether a
    // request after it was already found sent back to sign-in.
    let mut signed_in_at: Option<usize> = None;
    let mut refused = false;
    // Where in `findings` the refusal is: the rounds of a loop are added once all are counted.
    let mut refused_at: Option<usize> = None;
    // For `flow.signed-out-by-page`: how many sign-ins finished, the last request after the first
    // that carried the session, where the user last signed out, and the last page shown (its
    // entry, and where it is in `order`).
    let mut sign_ins = 0usize;
    let mut session_sent: Option<(usize, Name)> = None;
    let mut signed_out_at: Option<usize> = None;
    let mut page: Option<(usize, usize)> = None;
    // Where in `order` the first and the last sign-in were, and up to where the requests after
    // the first were read.
    let mut signed_in_pos = 0usize;
    let mut last_sign_in_pos: Option<usize> = None;
    let mut read_up_to = 0usize;
    let mut by_page: Option<PageTrip> = None;
    let by_index = |i: usize| entries.get(i).filter(|e| e.index == i);

    // Session cookies stored with a lifetime, until replaced or deleted: (name, the entry that
    // stored it, its line's index there, expiry).
    let mut living: Vec<(Name, usize, usize, i64)> = Vec::new();
    let mut reported_lapsed = false;

    for (pos, &i) in order.iter().enumerate() {
        let Some(e) = by_index(i) else { continue };

        // A session whose own lifetime ran out before this request, which would have carried it.
        let at = e.time.and_then(crate::time::whole_seconds);
        if let Some(now) = at.filter(|_| !reported_lapsed && e.from_cache.is_none() && !e.from_service_worker) {
            let lapsed = living.iter().position(|(name, by, line, expiry)| {
                *expiry <= now
                    && !e.request.observed_sent.as_ref().is_some_and(|sent| sent.contains(name))
                    && by_index(*by).is_some_and(|setter| setter.response.set_cookies.get(*line).is_some_and(|s| reaches(s, setter, e)))
            });
            if let Some((name, by, line, expiry)) = lapsed.map(|k| living.swap_remove(k)) {
                reported_lapsed = true;
                if let Some((finding, short)) = by_index(by).and_then(|setter| session_expired(setter, line, e, expiry)) {
                    if first_drop.is_none() {
                        let fix = if short { crate::cookie::storage::SHORT_LIFETIME_FIX } else { RENEW_FIX };
                        first_drop = Some(FirstDrop { entry: i, cookie: name.to_string(), kind: "lapsed", reasons: Vec::new(), set_by: Some(by), fix: Some(fix) });
                    }
                    findings.push(finding);
                }
            }
        }

        // A silent sign-in is about the identity provider's cookies, whatever their names: one
        // finding for the request, in place of the per-cookie ones below.
        let silent = e.silent_sign_in.then(|| silent_sign_in(e, entries, &stored)).flatten();
        let silent_lost = silent.as_ref().is_some_and(|(f, _)| f.finding.code == Code::FlowSilentSignInBlocked);
        if let Some((finding, drop)) = silent {
            if first_drop.is_none() {
                first_drop = drop;
            }
            findings.push(finding);
        }

        // Set, then withheld on a later request.
        for w in e.request.cookies_withheld.iter().filter(|_| !silent_lost) {
            let Some(&(_, set_by)) = stored.iter().rev().find(|(n, _)| *n == w.name) else { continue };
            // The recording outranks the prediction: a cookie the recorded Cookie header carries
            // was not lost here, whatever the replay says (the disagreement is reported below).
            if e.request.observed_sent.as_ref().is_some_and(|sent| sent.contains(&w.name)) {
                continue;
            }
            if !is_session_cookie(&w.name) || reported_withheld.iter().any(|(n, r)| *n == w.name && *r == w.reasons) {
                continue;
            }
            reported_withheld.push((w.name.clone(), w.reasons.clone()));
            let setter = by_index(set_by);
            if first_drop.is_none() {
                first_drop = Some(FirstDrop { entry: i, cookie: w.name.to_string(), kind: "withheld", reasons: w.reasons.clone(), set_by: Some(set_by), fix: w.fix });
            }
            // The reason's words come from the engine that decided it: one explanation per reason.
            let why = w.explanation.unwrap_or("");
            let fix = w.fix.unwrap_or("See the reasons on the request.");
            findings.push(FlowFinding {
                entry: Some(i),
                finding: Finding::new(
                    Code::FlowSessionWithheld,
                    Severity::Error,
                    format!("entries[{i}].request"),
                    format!("{} is set, then not sent: {}", quote(&w.name, MAX_QUOTE_CHARS), w.reasons.join(", ")),
                    format!(
                        "{} set by {} is withheld on {}. {why}",
                        quote(&w.name, MAX_QUOTE_CHARS),
                        setter.map_or_else(|| format!("entry {set_by}"), describe),
                        describe(e)
                    ),
                    fix,
                    "RFC 6265bis §5.8.3",
                ),
            });
        }

        // Two cookies of one session name in one Cookie header (another Domain or Path): most
        // servers read the first, which the browser orders longest Path first, then oldest first.
        let went = e.request.observed_sent.as_ref().unwrap_or(&e.request.cookies_sent);
        for (k, name) in went.iter().enumerate() {
            // The repeat first: it is rare and cheap to see, the name's meaning is neither.
            if !went.get(..k).is_some_and(|before| before.contains(name)) || reported_duplicates.contains(name) || !is_lasting_session_cookie(name) {
                continue;
            }
            reported_duplicates.push(name.clone());
            // The lines that stored a cookie of that name, latest last.
            let mut lines: Vec<String> = Vec::new();
            for &(_, at) in stored.iter().filter(|(n, _)| n == name) {
                let Some(setter) = by_index(at) else { continue };
                for sc in setter.response.set_cookies.iter().filter(|sc| sc.stored && sc.name == *name) {
                    let line = format!("{} by {}", quote(&sc.line, MAX_QUOTE_CHARS), describe(setter));
                    if !lines.contains(&line) {
                        lines.push(line);
                    }
                }
            }
            let set_by = if lines.is_empty() {
                " (set before the recording started, or by a script)".to_string()
            } else {
                format!(": set as {}", lines.join("; then "))
            };
            findings.push(FlowFinding {
                entry: Some(i),
                finding: Finding::new(
                    Code::FlowSessionDuplicate,
                    Severity::Error,
                    format!("entries[{i}].request"),
                    format!("Two cookies named {} go out together", quote(name, MAX_QUOTE_CHARS)),
                    format!(
                        "{} {} {} twice{set_by}. They differ in Domain or Path, so the browser keeps both and sends both, longest Path first, then the older first. Most servers read only the first: a stale session (from a subdomain, an old Path, an earlier deployment) wins over the new one, and the user looks signed out or signed in as someone else.",
                        describe(e),
                        if e.request.observed_sent.is_some() { "carried" } else { "would carry (predicted)" },
                        quote(name, MAX_QUOTE_CHARS)
                    ),
                    "Set the session cookie with one Domain and Path everywhere, and delete the other one once: send it again with its own Domain and Path and Max-Age=0 (a cookie is only replaced or deleted by one with the same name, Domain and Path).",
                    "RFC 6265bis §5.8.3 step 2",
                ),
            });
        }

        // The browser sent to an error page, or to sign in, with the sign-in's error code.
        if !reported_sign_in_error {
            let before = order.iter().rev().skip_while(|&&j| j != i).skip(1).filter_map(|&j| by_index(j));
            if let Some(finding) = sign_in_error(e, before) {
                reported_sign_in_error = true;
                findings.push(finding);
            }
        }

        // Sent back to sign-in after signing in by a cache (the browser's, or a CDN's): the
        // server never saw the session, so it refused nothing.
        let mut cached_here = false;
        if signed_in_at.is_some() && !reported_cached {
            let before = order.iter().take_while(|&&j| j != i).filter_map(|&j| by_index(j));
            if let Some((finding, drop)) = cached_sign_in_redirect(e, before, went, &stored, &by_index) {
                reported_cached = true;
                cached_here = true;
                if first_drop.is_none() {
                    first_drop = Some(drop);
                }
                findings.push(finding);
            }
        }
        if kept_redirect.is_none() && e.redirect_to.is_some() {
            kept_redirect = kept_sign_in_redirect(e);
        }

        // Sent back to sign-in after signing in, with the session: the browser kept it and sent
        // it, so the server refused it. (Without the session, a drop above explains the bounce.)
        if let Some(signed_in) = signed_in_at.filter(|_| !refused && !cached_here) {
            // The answer first (cheap, and rare), then what was asked.
            let back_to = e.redirect_to.as_deref().filter(|to| is_sign_in_page(to));
            let signed_out_answer = e.signed_out_answer();
            if (back_to.is_some() || e.status == 401 || signed_out_answer.is_some()) && !is_sign_out(&e.url) && !is_sign_in_page(&e.url) {
                // (Not a chunk of a session whose other chunk the flow already lost: that loss
                // is the cause.)
                let lost_chunk = |n: &Name| first_drop.as_ref().is_some_and(|d| d.cookie != n.as_str() && chunk_base(&d.cookie) == chunk_base(n));
                if let Some(name) = went.iter().find(|n| is_lasting_session_cookie(n)).filter(|n| !lost_chunk(n)) {
                    refused = true;
                    refused_at = Some(findings.len());
                    let set_by = stored.iter().rev().find(|(n, _)| n == name).map_or(signed_in, |p| p.1);
                    if first_drop.is_none() {
                        first_drop = Some(FirstDrop { entry: i, cookie: name.to_string(), kind: "refused", reasons: Vec::new(), set_by: Some(set_by), fix: Some(REFUSED_FIX) });
                    }
                    let answer = match (back_to, signed_out_answer) {
                        (Some(to), _) => format!("redirects to the sign-in page {}", quote(to, MAX_QUOTE_CHARS)),
                        (None, Some(body)) => format!("answers {} with {}, which says no one is signed in (NextAuth.js and Auth.js answer so when they cannot read the session cookie)", e.status, quote(body, MAX_QUOTE_CHARS)),
                        (None, None) => "answers 401 Unauthorized".to_string(),
                    };
                    findings.push(FlowFinding {
                        entry: Some(i),
                        finding: Finding::new(
                            Code::FlowSessionRefused,
                            Severity::Error,
                            format!("entries[{i}].response"),
                            if back_to.is_none() && signed_out_answer.is_some() {
                                format!("Answered \"no one is signed in\" though {} went along", quote(name, MAX_QUOTE_CHARS))
                            } else {
                                format!("Sent back to sign-in though {} went along", quote(name, MAX_QUOTE_CHARS))
                            },
                            format!(
                                "{} {answer}, after {} stored {} to finish the sign-in, and the request {} it: the browser kept the session and sent it; the server did not accept it.{} The usual causes: the server cannot read what it wrote (instances or deployments with different secrets: NEXTAUTH_SECRET, AUTH_SECRET or the session secret unset, so each instance makes its own, or rotated; or sessions kept in one instance's memory, which another instance or a restart does not have); the token fails a check (expired, iat or nbf in the future by clock skew, another audience); or the page needs something the session lacks.",
                                describe(e),
                                by_index(set_by).map_or_else(|| format!("entry {set_by}"), describe),
                                quote(name, MAX_QUOTE_CHARS),
                                if e.request.observed_sent.is_some() { "carried" } else { "would carry (predicted: the recording has no Cookie header to show)" },
                                token_note(i, name).map(|n| format!(" {n}")).unwrap_or_default()
                                    + &prefetched_sign_out
                                        .and_then(by_index)
                                        .map(|p| format!(" Before it, {} was a prefetch of the sign-out address that carried the session: if that route signs out on a GET, the prefetch ended the session on the server (see that finding).", describe(p)))
                                        .unwrap_or_default()
                            ),
                            REFUSED_FIX,
                            "RFC 6265bis §3.1",
                        ),
                    });
                }
            }
        }

        // Back at sign-in by a navigation of the page's own (no server redirected), with the
        // session kept, sent and refused by no answer: the page's check decided. (A sign-out, or
        // a drop or refusal found above, explains a trip to sign in otherwise.)
        if by_page.is_none()
            && !refused
            && first_drop.is_none()
            && e.kind == RequestKind::Navigation
            && e.redirected_from.is_none()
            && signed_in_at.is_some()
            // From a page of the app shown since the sign-in (a step of the sign-in itself, as a
            // second factor's page, may lead on to another sign-in page).
            && page.is_some_and(|(p, at)| at > signed_in_pos && by_index(p).is_some_and(|p| !is_sign_in_page(&p.url)))
            // (The sign-in page, or the provider: not silently, nor for consent to more scopes.)
            && is_sign_in_page(&e.url)
            && !(is_authorization_request(&e.url) && (e.silent_sign_in || asks_for_consent(&e.url)))
            // A sign-in page that sends the browser on into the app found the session good.
            && e.redirect_to.as_deref().is_none_or(is_sign_in_page)
        {
            // The requests since the sign-in, read only now (this is rare; the rest of the flow
            // never pays for it), and once each: whether one signed out, the last that carried
            // the session.
            let from = (signed_in_pos + 1).max(read_up_to);
            for (at, x) in order.iter().enumerate().take(pos + 1).skip(from).filter_map(|(at, &j)| Some((at, by_index(j)?))) {
                if is_sign_out(&x.url) {
                    signed_out_at = Some(at);
                }
                let carried = x.request.observed_sent.as_ref().unwrap_or(&x.request.cookies_sent);
                if let Some(name) = carried.iter().find(|n| is_lasting_session_cookie(n)) {
                    session_sent = Some((x.index, name.clone()));
                }
            }
            read_up_to = pos + 1;
            // (A sign-in after the sign-out starts afresh.)
            let signed_out = signed_out_at.is_some_and(|at| Some(at) > last_sign_in_pos);
            if let (Some(signed_in), Some((sent_at, name)), false) = (signed_in_at, session_sent.as_ref(), signed_out) {
                // Written once the whole flow is seen: it counts the sign-ins that follow.
                by_page = Some(PageTrip { at: findings.len(), entry: i, signed_in, sent_at: *sent_at, name: name.clone(), page: page.map(|(p, _)| p) });
            }
        }
        if e.kind == RequestKind::Navigation && e.redirect_to.is_none() && (200..300).contains(&e.status) {
            page = Some((i, pos));
        }

        // A prefetch of a sign-out address that carried the session: a sign-out on GET ends the
        // session on the server, whatever the cookies say (the deletion case is found below).
        if e.prefetch && !reported_prefetch && is_sign_out(&e.url) && went.iter().any(|n| is_lasting_session_cookie(n)) && !e.response.set_cookies.iter().any(|s| s.deletes) && e.response.cleared_cookies.is_empty() {
            reported_prefetch = true;
            prefetched_sign_out = Some(i);
            findings.push(prefetch_signed_out(e, None));
        }

        // A redirect chain as long as browsers follow, back and forth between the same pages.
        if !reported_loop && e.redirect_to.is_some() {
            if let Some(finding) = redirect_loop(entries, e, went) {
                reported_loop = true;
                findings.push(finding);
            }
        }

        // A request refused for the size of its headers (the session went along, but the server
        // never read it), or, once per flow, a Cookie header past common servers' limits.
        let bytes = e.request.cookie_bytes;
        if let Some(how) = e.headers_refused().filter(|_| !reported_too_large) {
            reported_too_large = true;
            let how = refusal(e.status, how);
            let cookie = went.iter().find(|n| is_lasting_session_cookie(n)).or_else(|| went.first());
            if let Some(name) = cookie.filter(|_| first_drop.is_none()) {
                let set_by = stored.iter().rev().find(|(n, _)| n == name).map(|p| p.1);
                first_drop = Some(FirstDrop { entry: i, cookie: name.to_string(), kind: "too-large", reasons: Vec::new(), set_by, fix: Some(TOO_LARGE_FIX) });
            }
            let carried = if bytes >= 4096 {
                format!("Its Cookie header alone is {} bytes ({} cookies{}).", grouped(bytes), went.len(), session_among(went))
            } else {
                format!("Its Cookie header is {} bytes, so another header is the large one, or the limit is low.", grouped(bytes))
            };
            findings.push(FlowFinding {
                entry: Some(i),
                finding: Finding::new(
                    Code::FlowCookieHeaderTooLarge,
                    Severity::Error,
                    format!("entries[{i}].response"),
                    format!("The server refused the request for its header size: {how}"),
                    format!(
                        "{} was answered {how}: the server refuses a request whose headers outgrow its limit, before the app sees it. {carried} The session went along, but nothing read it: the user gets an error page, or is sent back to sign in. A session that grows (chunked tokens, group claims) or cookies that pile up (one per sign-in attempt) end here. {HEADER_LIMITS}",
                        describe(e)
                    ),
                    TOO_LARGE_FIX,
                    "RFC 6585 §5 (431); RFC 6265bis §6.1 (limits)",
                ),
            });
        } else if bytes > LARGE_COOKIE_HEADER && !reported_too_large && e.headers_refused().is_none() {
            reported_too_large = true;
            findings.push(FlowFinding {
                entry: Some(i),
                finding: Finding::new(
                    Code::FlowCookieHeaderTooLarge,
                    Severity::Warning,
                    format!("entries[{i}].request"),
                    format!("The Cookie header is {} bytes: past what many servers accept", grouped(bytes)),
                    format!(
                        "{} {} a Cookie header of {} bytes ({} cookies{}). Servers with default settings answer such a request with 400 or 431 and never read the session; this one did not, but a proxy, another instance or a new deployment may. {HEADER_LIMITS}",
                        describe(e),
                        if e.request.observed_sent.is_some() { "carries" } else { "would carry (predicted)" },
                        grouped(bytes),
                        went.len(),
                        session_among(went)
                    ),
                    TOO_LARGE_FIX,
                    "RFC 6265bis §6.1 (limits)",
                ),
            });
        }

        // A cross-origin fetch that left the jar's cookies out: once per host called (an app
        // calls its API again and again, and the fix is one line in one place). A font or a
        // module script without cookies is what browsers do, and no finding.
        let omitted = &e.request.credentials_omitted;
        if !omitted.is_empty() && e.kind == RequestKind::Fetch && !reported_credentials.contains(&e.host) {
            reported_credentials.push(e.host.clone());
            let session = omitted.iter().find(|n| is_session_cookie(n));
            if let Some(name) = session.filter(|_| first_drop.is_none()) {
                let set_by = stored.iter().rev().find(|(n, _)| *n == **name).map(|p| p.1);
                first_drop = Some(FirstDrop { entry: i, cookie: name.to_string(), kind: "credentials-omitted", reasons: Vec::new(), set_by, fix: Some(CREDENTIALS_FIX) });
            }
            let names: Vec<String> = omitted.iter().take(4).map(|n| quote(n, MAX_QUOTE_CHARS)).collect();
            let more = omitted.len().saturating_sub(names.len());
            // The cookie came from the answer to a cross-origin fetch: the browser stores that
            // answer's Set-Cookie only if the fetch included credentials too (Fetch Standard §4.5,
            // includeCredentials), and the recording cannot show whether it did. So the cookie may never
            // have been there: the recording cannot tell this from the reading above.
            let setter = omitted
                .iter()
                .find_map(|n| stored.iter().rev().find(|(s, _)| s == n))
                .and_then(|&(_, at)| by_index(at))
                .filter(|setter| setter.cross_origin_fetch && setter.index != i);
            let never_stored = setter.map_or_else(String::new, |setter| {
                format!(
                    " Or the cookie was never stored: {} set it in answer to a cross-origin fetch, and the browser keeps such an answer's Set-Cookie only when that fetch includes credentials as well.",
                    describe(setter)
                )
            });
            findings.push(FlowFinding {
                entry: Some(i),
                finding: Finding::new(
                    Code::FlowCredentialsOmitted,
                    if session.is_some() { Severity::Error } else { Severity::Warning },
                    format!("entries[{i}].request"),
                    format!("The fetch to {} went out without cookies: credentials not included", quote(&e.host, MAX_QUOTE_CHARS)),
                    format!(
                        "{} is a cross-origin fetch (its Origin header names another origin) and was sent with no Cookie header, though {} {}{} for it and would {} {} under Chromium's cookie rules. A cross-origin fetch carries cookies only when its credentials mode is \"include\": fetch() defaults to \"same-origin\", and XMLHttpRequest sends them only with withCredentials. Without the cookie the API sees no session and answers as if signed out (401, or a redirect to the sign-in page).{never_stored}{}",
                        describe(e),
                        if setter.is_some() { "the replay holds" } else { "the browser held" },
                        names.join(", "),
                        if more > 0 { format!(" and {more} more") } else { String::new() },
                        if setter.is_some() { "send" } else { "have sent" },
                        if omitted.len() == 1 { "it" } else { "them" },
                        // The other reading, that the cookie was gone, is ruled out by a later
                        // request the recording shows carrying it.
                        order
                            .iter()
                            .skip_while(|&&j| j != i)
                            .skip(1)
                            .filter_map(|&j| by_index(j))
                            .find(|later| later.request.observed_sent.as_ref().is_some_and(|o| o.iter().any(|n| omitted.contains(n))))
                            .map(|later| format!(" The cookie was not gone: {} carries it later.", describe(later)))
                            .unwrap_or_default()
                    ),
                    CREDENTIALS_FIX,
                    "Fetch Standard §4.5 (HTTP-network-or-cache fetch: includeCredentials)",
                ),
            });
        }

        // Observed vs predicted (a silent sign-in's missing cookies are its finding above).
        for m in e.request.mismatches.iter().filter(|m| !(silent_lost && m.observed == "not-sent")) {
            // A session cookie of this flow that the replay sends but the recorded Cookie header
            // lacks: the browser did drop it here, for a reason the recording does not show. The
            // first time for each cookie, that is the finding (and maybe the first drop).
            if m.observed == "not-sent" && is_session_cookie(&m.name) && !reported_not_sent.contains(&m.name) {
                if let Some(&(_, set_by)) = stored.iter().rev().find(|(n, _)| *n == m.name) {
                    reported_not_sent.push(m.name.clone());
                    // On a cross-site request, blocked third-party cookies are the likeliest cause
                    // (the replay's default allows them); elsewhere, something outside the recording.
                    let cross_site = e.site == Some(SameSiteContext::CrossSite);
                    let missing = if e.request.observed_sent.as_ref().is_some_and(Vec::is_empty) {
                        "The browser sent no Cookie header at all on"
                    } else {
                        "It is not in the Cookie header the browser sent on"
                    };
                    let (why, fix) = if cross_site {
                        (
                            "This request is cross-site, so the likeliest cause is blocked third-party cookies: Chrome with third-party cookies blocked (a setting, an Incognito window, tracking protection), Safari, Brave and Firefox's Total Cookie Protection withhold them whatever the cookie's attributes, while this replay assumed them allowed. Otherwise: a script deleted it, or the user cleared site data.",
                            "Replay with third-party cookies blocked to confirm. Then serve the API on the app's own site (a subdomain, or a path behind the app's domain), where its cookies are first-party; a cookie for an app embedded in another site can be partitioned (Partitioned; Secure; SameSite=None).",
                        )
                    } else {
                        (
                            "Usual causes: a script deleted it (document.cookie, a sign-out handler, a consent or storage-cleaning script), another tab or an extension changed the cookies, the user cleared site data, or a browser rule this replay does not model (the replay follows Chromium; another browser or a browser setting may differ).",
                            "Between the two requests, watch the cookie in DevTools (Application → Cookies) and search the app's scripts for code that writes document.cookie or calls a sign-out endpoint. Record the flow again in Chromium to compare.",
                        )
                    };
                    if first_drop.is_none() {
                        first_drop = Some(FirstDrop { entry: i, cookie: m.name.to_string(), kind: "not-sent", reasons: Vec::new(), set_by: Some(set_by), fix: Some(fix) });
                    }
                    findings.push(FlowFinding {
                        entry: Some(i),
                        finding: Finding::new(
                            Code::FlowSessionNotSent,
                            Severity::Error,
                            format!("entries[{i}].request"),
                            format!("{} is set, then missing from the recorded Cookie header", quote(&m.name, MAX_QUOTE_CHARS)),
                            format!(
                                "{} was set by {}. {missing} {}, though the replay of this recording would send it: the browser no longer had it, or held it back, for a reason the recording does not show. {why}",
                                quote(&m.name, MAX_QUOTE_CHARS),
                                by_index(set_by).map_or_else(|| format!("entry {set_by}"), describe),
                                describe(e)
                            ),
                            fix,
                            "RFC 6265bis §5.8.3",
                        ),
                    });
                    continue;
                }
            }
            mismatches += 1;
            if mismatches <= MAX_FLOW_MISMATCH_FINDINGS {
                findings.push(FlowFinding {
                    entry: Some(i),
                    finding: Finding::new(
                        Code::FlowPredictionMismatch,
                        Severity::Warning,
                        format!("entries[{i}].request"),
                        format!("Our prediction for {} differs from the recording", quote(&m.name, MAX_QUOTE_CHARS)),
                        format!(
                            "On {} we predict {} is {}, but the recorded Cookie header shows it was {}. Either the browser had state the recording does not show (a cookie set by script with document.cookie, a different browser setting such as third-party cookie blocking, a cookie set in another tab), or our engine is wrong here: please report it with the HAR.",
                            describe(e),
                            quote(&m.name, MAX_QUOTE_CHARS),
                            m.predicted,
                            if m.observed == "sent" { "sent" } else { "not sent" }
                        ),
                        "",
                        "RFC 6265bis §5.8.3",
                    ),
                });
            }
        }

        for (k, s) in e.response.set_cookies.iter().enumerate() {
            // The latest line of a name decides its lifetime (a new line replaces, a deletion ends it).
            if s.stored || s.deletes {
                living.retain(|(name, ..)| *name != s.name);
            }
            if let Some(expiry) = s.expiry.filter(|_| s.stored && is_lasting_session_cookie(&s.name)) {
                living.push((s.name.clone(), i, k, expiry));
            }
            if s.stored {
                if is_lasting_session_cookie(&s.name) && completes_sign_in(e) {
                    // Once per response (a chunked session stores several lines).
                    if last_sign_in_pos != Some(pos) {
                        sign_ins += 1;
                        last_sign_in_pos = Some(pos);
                    }
                    if signed_in_at.is_none() {
                        signed_in_at = Some(i);
                        signed_in_pos = pos;
                    }
                }
                stored.push((s.name.clone(), i));
                continue;
            }
            // A cookie meant to live that expired on arrival: the server's clock, or the date it
            // built, disagrees with the browser's (not a deletion, whatever the jar held before).
            if let Some(finding) = expired_on_arrival(e, s) {
                if first_drop.is_none() && is_session_cookie(&s.name) {
                    let set_by = stored.iter().rev().find(|(n, _)| *n == s.name).map(|p| p.1);
                    first_drop = Some(FirstDrop { entry: i, cookie: s.name.to_string(), kind: "expired", reasons: Vec::new(), set_by, fix: Some(EXPIRED_FIX) });
                }
                findings.push(finding);
                continue;
            }
            if s.deletes && e.prefetch && is_lasting_session_cookie(&s.name) {
                // Deleted by a prefetch: a sign-out the user never asked for.
                if first_drop.is_none() {
                    let set_by = stored.iter().rev().find(|(n, _)| *n == s.name).map(|p| p.1);
                    first_drop = Some(FirstDrop { entry: i, cookie: s.name.to_string(), kind: "deleted", reasons: Vec::new(), set_by, fix: Some(PREFETCH_FIX) });
                }
                reported_prefetch = true;
                findings.push(prefetch_signed_out(e, Some(s)));
                continue;
            }
            if s.deletes {
                let session = is_lasting_session_cookie(&s.name);
                if first_drop.is_none() && session {
                    let set_by = stored.iter().rev().find(|(n, _)| *n == s.name).map(|p| p.1);
                    first_drop = Some(FirstDrop { entry: i, cookie: s.name.to_string(), kind: "deleted", reasons: Vec::new(), set_by, fix: Some(DELETED_FIX) });
                }
                findings.push(FlowFinding {
                    entry: Some(i),
                    finding: Finding::new(
                        Code::FlowCookieDeleted,
                        if session { Severity::Error } else { Severity::Info },
                        format!("entries[{i}].response"),
                        format!("{} is deleted", quote(&s.name, MAX_QUOTE_CHARS)),
                        format!(
                            "The response to {} deletes {} with an expiry in the past ({}). If this is not the sign-out, the server decided the session was invalid — often because it could not read the cookie (a different secret, a token it could not verify) or because a middleware clears cookies it does not know.",
                            describe(e),
                            quote(&s.name, MAX_QUOTE_CHARS),
                            quote(&s.line, MAX_QUOTE_CHARS)
                        ),
                        DELETED_FIX,
                        "RFC 6265bis §5.7 step 22",
                    ),
                });
                continue;
            }
            // A line Chromium refused for the response's Clear-Site-Data is that finding's (below).
            if s.reasons.is_empty() || refused_for_clearing(s) {
                continue;
            }
            if first_drop.is_none() && is_session_cookie(&s.name) {
                first_drop = Some(FirstDrop { entry: i, cookie: s.name.to_string(), kind: "rejected", reasons: s.reasons.clone(), set_by: None, fix: s.fix });
            }
            findings.push(FlowFinding {
                entry: Some(i),
                finding: Finding::new(
                    Code::FlowCookieRejected,
                    severity_for(&s.name),
                    format!("entries[{i}].response"),
                    format!("{} is rejected: {}", quote(&s.name, MAX_QUOTE_CHARS), s.reasons.join(", ")),
                    format!(
                        "The browser refuses {} from {} ({}). {}",
                        quote(&s.line, MAX_QUOTE_CHARS),
                        describe(e),
                        s.reasons.join(", "),
                        s.explanation.unwrap_or("")
                    ),
                    s.fix.unwrap_or("Fix the attributes of this Set-Cookie line."),
                    "RFC 6265bis §5.7",
                ),
            });
        }

        // Clear-Site-Data: every cookie of the site deleted, after the Set-Cookie lines above.
        if let Some(name) = cleared_session(e) {
            if let Some(finding) = site_data_cleared(e, name) {
                if first_drop.is_none() {
                    let set_by = stored.iter().rev().find(|(n, _)| n == name).map(|p| p.1);
                    first_drop = Some(FirstDrop { entry: i, cookie: name.to_string(), kind: "cleared", reasons: Vec::new(), set_by, fix: Some(if e.prefetch { PREFETCH_FIX } else { super::clear_site_data::FIX }) });
                }
                findings.push(finding);
            }
        }

        // The site's cookie limit: the session evicted to make room, or not kept.
        if let Some(name) = e.response.evicted_cookies.iter().find(|n| is_lasting_session_cookie(n)).filter(|_| !reported_evicted) {
            reported_evicted = true;
            if first_drop.is_none() {
                let set_by = stored.iter().rev().find(|(n, _)| n == name).map(|p| p.1);
                first_drop = Some(FirstDrop { entry: i, cookie: name.to_string(), kind: "evicted", reasons: Vec::new(), set_by, fix: Some(evicted_fix(e)) });
            }
            findings.push(cookie_evicted(e, name));
        }

        // The callback stores the session for one host and redirects to another (not to the
        // identity provider, or back from it: the cookies a sign-in sets around that trip are
        // meant for the host that set them).
        if let Some(to) = e.redirect_to.as_ref().filter(|to| !is_sign_in_round_trip(to)) {
            let to_host = super::replay::resolve_location(to, "/")
                .split("://")
                .nth(1)
                .and_then(|r| r.split(['/', ':']).next())
                .unwrap_or("")
                .to_ascii_lowercase();
            for s in e.response.set_cookies.iter().filter(|s| s.stored && is_lasting_session_cookie(&s.name)) {
                let Some(domain) = &s.domain else { continue };
                let reaches = if s.host_only { to_host == *domain } else { domain_match(&to_host, domain) };
                if !reaches && !to_host.is_empty() {
                    findings.push(FlowFinding {
                        entry: Some(i),
                        finding: Finding::new(
                            Code::FlowCallbackHostMismatch,
                            Severity::Error,
                            format!("entries[{i}].response"),
                            "The session is set for one host, the app continues on another",
                            format!(
                                "{} stores {} for {} and then redirects to {}, which never receives it: the browser keeps cookies per host. This is the callback-URL mismatch — NEXTAUTH_URL/AUTH_URL (or the OAuth redirect URI) names another host than the one users are on: a preview deployment vs production, www vs apex, localhost vs 127.0.0.1.",
                                describe(e),
                                quote(&s.name, MAX_QUOTE_CHARS),
                                quote(domain, MAX_QUOTE_CHARS),
                                quote(to, MAX_QUOTE_CHARS)
                            ),
                            "Use one host end to end: set NEXTAUTH_URL (Auth.js: AUTH_URL) to the URL users visit, register that callback URL with the provider, and redirect www ↔ apex before sign-in starts. For a cookie shared by subdomains, set Domain=example.com.",
                            "RFC 6265bis §5.7 (host-only cookies), §5.1.3",
                        ),
                    });
                }
            }
        }
    }

    if mismatches > MAX_FLOW_MISMATCH_FINDINGS {
        findings.push(FlowFinding {
            entry: None,
            finding: Finding::new(
                Code::FlowPredictionMismatch,
                Severity::Warning,
                "entries",
                format!("{mismatches} predictions differ from the recording in all"),
                format!("The first {MAX_FLOW_MISMATCH_FINDINGS} are listed; each entry's request.mismatches has them all."),
                "",
                "RFC 6265bis §5.8.3",
            ),
        });
    }

    if let Some(f) = refused_at.and_then(|k| findings.get_mut(k)).filter(|_| sign_ins > 1) {
        f.finding.detail.push_str(&rounds(sign_ins));
    }
    if let Some(trip) = by_page {
        if let Some(f) = signed_out_by_page(entries, &trip, sign_ins, &stored) {
            findings.insert(trip.at.min(findings.len()), f);
        }
    }
    // No sign-in stored a session and nothing else explains the flow: did one leave it out?
    if signed_in_at.is_none() && first_drop.is_none() && !findings.iter().any(|f| f.finding.severity == Severity::Error) {
        if let Some(f) = session_not_set(entries, order) {
            findings.push(f);
        }
    }
    if let Some(f) = prefix_changed(entries) {
        findings.push(f);
    }
    // A kept redirect to sign-in is a warning for later visits; when one was followed from a
    // cache here, the error says it all.
    if let Some(f) = kept_redirect.filter(|_| !reported_cached) {
        findings.push(f);
    }
    (findings, first_drop)
}

/// `__Secure-x` and `x` both in one flow: the app writes one name and reads the other.
fn prefix_changed(entries: &[EntryReplay]) -> Option<FlowFinding> {
    let mut names: Vec<(&str, usize)> = Vec::new();
    for e in entries {
        names.extend(e.response.set_cookies.iter().map(|s| (s.name.as_str(), e.index)));
        names.extend(e.request.observed_sent.iter().flatten().map(|n| (n.as_str(), e.index)));
    }
    for &(name, entry) in &names {
        // Prefixes match without case (§4.1.3.3), compared in place: this runs for every name
        // of every entry on each report.
        let bare = ["__secure-", "__host-"]
            .iter()
            .find_map(|p| name.get(..p.len()).filter(|head| head.eq_ignore_ascii_case(p)).map(|_| name.get(p.len()..).unwrap_or("")));
        let Some(bare) = bare.filter(|b| !b.is_empty() && is_session_cookie(b)) else { continue };
        if let Some(&(_, other)) = names.iter().find(|(n, _)| *n == bare) {
            return Some(FlowFinding {
                entry: Some(entry.max(other)),
                finding: Finding::new(
                    Code::FlowPrefixChanged,
                    Severity::Error,
                    format!("entries[{}]", entry.max(other)),
                    "The session cookie's name changes between __Secure- and plain",
                    format!(
                        "Both {} and {} appear in this flow. Frameworks pick the prefixed name when they believe the site is served over https (NextAuth/Auth.js: from NEXTAUTH_URL/AUTH_URL or the request's protocol): if the part that writes the session and the part that reads it disagree — an http preview, a proxy that does not forward X-Forwarded-Proto — each looks for a cookie the other never wrote, and the user is signed out.",
                        quote(name, MAX_QUOTE_CHARS),
                        quote(bare, MAX_QUOTE_CHARS)
                    ),
                    "Serve the app over https everywhere (also previews), set NEXTAUTH_URL/AUTH_URL to the https URL, forward X-Forwarded-Proto from the proxy (Auth.js: trustHost), or pin the choice with useSecureCookies.",
                    "RFC 6265bis §4.1.3 (cookie name prefixes)",
                ),
            });
        }
    }
    None
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn sign_in_round_trip_urls() {
        for url in [
            "https://github.com/login/oauth/authorize?client_id=abc&scope=read%3Auser&response_type=code&redirect_uri=https%3A%2F%2Fapp.test%2Fapi%2Fauth%2Fcallback%2Fgithub&state=xyz",
            "https://accounts.example/o/oauth2/v2/auth?redirect_uri=https%3A%2F%2Fapp.test%2Fcb&client_id=1",
            "https://app.test/api/auth/callback/github?code=c1&state=xyz",
            "https://app.test/api/auth/callback/github?error=access_denied&state=xyz",
            "https://app.test/cb#access_token=t&token_type=bearer&state=s",
            "https://app.test/cb#id_token=t",
            "https://idp.example/sso?SAMLRequest=fZJ",
        ] {
            assert!(is_sign_in_round_trip(url), "{url}");
        }
        for url in [
            "https://app.vercel.app/",
            "https://app.test/dashboard?state=open",
            "https://app.test/?code=1",
            "https://app.test/?client_id=1",
            "https://app.test/?xclient_id=1&redirect_uri=2",
            "",
        ] {
            assert!(!is_sign_in_round_trip(url), "{url}");
        }
    }

    #[test]
    fn silent_authorization_requests() {
        for url in [
            "https://idp.example/authorize?client_id=a&response_type=code&redirect_uri=x&prompt=none",
            "https://login.microsoftonline.com/t/oauth2/v2.0/authorize?client_id=a&redirect_uri=x&prompt=none&response_mode=fragment",
            "https://idp.example/authorize?client_id=a&redirect_uri=x&prompt=none+consent",
            "https://idp.example/authorize?client_id=a&redirect_uri=x&prompt=consent%20none",
        ] {
            assert!(is_silent_authorization(url), "{url}");
        }
        for url in [
            "https://idp.example/authorize?client_id=a&redirect_uri=x&prompt=login",
            "https://idp.example/authorize?client_id=a&redirect_uri=x&prompt=nonesuch",
            "https://app.example/search?prompt=none",
            "https://idp.example/authorize?client_id=a&redirect_uri=x&xprompt=none",
            "",
        ] {
            assert!(!is_silent_authorization(url), "{url}");
        }
        // The answer page of the web_message response mode, as a HAR holds it (a JSON string).
        let page = r#""<!DOCTYPE html><html><head><title>Authorization Response</title></head><body><script type="text/javascript">(function(window, document) {var targetOrigin = "https://app.example";var authorizationResponse = {type: "authorization_response",response: {"error":"login_required","error_description":"Login required","state":"s1"}};window.parent.postMessage(authorizationResponse, targetOrigin);})(this, this.document);</script></body></html>""#;
        assert_eq!(silent_error_in_page(page), Some("login_required"));
        assert_eq!(silent_error_in_page("<script>parent.postMessage({ error: 'interaction_required' }, '*')</script>"), Some("interaction_required"));
        assert_eq!(silent_error_in_page(r#""{"code":"c1","state":"s1"}""#), None);
        assert_eq!(silent_error_in_page("<p>login_required is an error the app handles</p>"), None);
        assert_eq!(silent_error_in_page(&format!("{}\"error\":\"login_required\"", "é".repeat(40_000))), None, "past the bound");
        assert_eq!(query_value("https://a/cb?state=s#error=login_required&x", "error"), Some("login_required"));
        assert_eq!(query_value("https://a/cb?flag&state=s", "flag"), Some(""));
        assert_eq!(query_value("https://a/cb?state=s", "error"), None);
    }

    #[test]
    fn header_refusals_and_sizes() {
        assert_eq!(headers_refused(431, || None), Some("431 Request Header Fields Too Large"));
        let nginx = "<html>\r\n<head><title>400 Request Header Or Cookie Too Large</title></head>";
        assert_eq!(headers_refused(400, || Some(nginx)), Some("Request Header Or Cookie Too Large"));
        assert_eq!(headers_refused(400, || Some("Size of a request header field exceeds server limit.")), Some("exceeds server limit"));
        assert_eq!(headers_refused(400, || Some("{\"error\":\"bad\"}")), None);
        assert_eq!(headers_refused(200, || Some(nginx)), None, "an answer, not a refusal");
        assert_eq!(headers_refused(413, || None), None);
        assert_eq!(refusal(400, "Request Too Long"), "400, with a page saying \"Request Too Long\"");
        for (n, text) in [(0, "0"), (999, "999"), (1000, "1,000"), (9118, "9,118"), (1_234_567, "1,234,567")] {
            assert_eq!(grouped(n), text);
        }
    }

    #[test]
    fn round_trip_cookies_are_told_apart() {
        for name in ["next-auth.state", "next-auth.pkce.code_verifier", "__Secure-authjs.nonce", "authjs.callback-url", "sb-abc-auth-token-code-verifier", "oauth_state"] {
            assert!(is_session_cookie(name) && is_round_trip_cookie(name), "{name}");
        }
        for name in ["next-auth.session-token", "__Secure-authjs.session-token", "sb-abc-auth-token", "connect.sid", "PHPSESSID"] {
            assert!(is_session_cookie(name) && !is_round_trip_cookie(name), "{name}");
        }
    }
}
