//! `Clear-Site-Data` (W3C Clear Site Data), as far as cookies go: a response that says
//! `"cookies"` (or `"*"`) makes the browser delete every cookie of the response's site, when it
//! comes from a potentially trustworthy origin (§4.1: https, or a local host). The replay does
//! the clearing ([`crate::cookie::jar::CookieJar::clear_site`]); this module reads the header.
//!
//! It is meant for the sign-out. Sent anywhere else (a middleware adding it to every page, a
//! sign-in that wants to wipe a previous user's state), it deletes the session without a single
//! `Set-Cookie` line, and the next request goes without it. Recorded in Chromium 156 and Firefox
//! 153 alike: the cookies of the whole registrable domain go (a `Domain=app.test` cookie set from
//! `sub.app.test` too), and a session set by `Set-Cookie` in the same response goes with them: the
//! clearing comes after the response's cookies are stored. Chromium goes further: it stores none
//! of the `Set-Cookie` lines of a response whose `Clear-Site-Data` clears cookies (DevTools
//! reports them as `SyntaxError`), even over plain http, where the header itself is ignored;
//! Firefox, there, keeps them (both recorded).

use super::har::Response;

/// Why Chromium refused a `Set-Cookie` line of such a response (its reason, `SyntaxError`, says
/// nothing of it).
pub const REFUSED_EXPLANATION: &str = "The response's Clear-Site-Data clears cookies, and Chromium stores none of the Set-Cookie lines of such a response (DevTools reports them as SyntaxError), over plain http too.";

/// The fix for cookies `Clear-Site-Data` deleted or kept from being stored.
pub const FIX: &str = "Send Clear-Site-Data: \"cookies\" (or \"*\") only from the sign-out, and never from a response that also sets the session: the browser keeps none of its cookies. To wipe a previous user's cookies at sign-in, delete them by name (Max-Age=0, with their Domain and Path) before setting the new session; \"cache\" or \"storage\" alone leave cookies alone. Find what adds the header: a logout handler applied to every route (Spring Security's ClearSiteDataHeaderWriter belongs in the logout handler only), a security-headers middleware, a proxy or CDN rule.";

/// Whether `response` says to clear cookies: Clear Site Data §3.1, the header is a list of
/// quoted strings; `"cookies"` and the wildcard `"*"` clear cookies, a type without its quotes
/// is not recognised (and Chromium ignores it).
pub fn header_clears_cookies(response: &Response<'_>) -> bool {
    response
        .headers
        .iter()
        .filter(|h| h.name.eq_ignore_ascii_case("clear-site-data"))
        .flat_map(|h| h.value.split(','))
        .any(|kind| matches!(kind.trim(), "\"cookies\"" | "\"*\""))
}

#[cfg(test)]
mod tests {
    use super::*;

    /// What the replay asks: the header says so, and (§4.1) the origin is potentially
    /// trustworthy.
    fn clears(url: &str, value: &str) -> bool {
        header_clears_cookies(&Response::with_headers(200, &[("Clear-Site-Data", value)])) && crate::cookie::site::CookieUrl::parse(url).unwrap().is_secure()
    }

    #[test]
    fn which_headers_clear_cookies() {
        assert!(clears("https://app.test/logout", "\"cookies\""));
        assert!(clears("https://app.test/logout", "\"cache\", \"cookies\", \"storage\""));
        assert!(clears("https://app.test/logout", "\"*\""));
        assert!(clears("http://localhost:3000/logout", "\"cookies\""), "a local host is potentially trustworthy");
        assert!(!clears("http://app.test/logout", "\"cookies\""), "not over plain http");
        assert!(!clears("https://app.test/logout", "cookies"), "unquoted: not recognised");
        assert!(!clears("https://app.test/logout", "\"cache\", \"storage\""));
        assert!(!clears("https://app.test/logout", "\"executionContexts\""));
    }

    #[test]
    fn the_header_alone_whatever_the_scheme() {
        let says = |value: &str| header_clears_cookies(&Response::with_headers(200, &[("clear-site-data", value)]));
        assert!(says("\"cookies\""));
        assert!(says(" \"storage\" , \"*\" "));
        assert!(!says("\"cache\""));
        assert!(!says(""));
    }
}
