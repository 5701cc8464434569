//! HTTP caching (RFC 9111), as far as a sign-in needs it: whether an answer came from a shared
//! cache instead of the server, and whether browsers keep a redirect and follow it again without
//! asking the server.
//!
//! A redirect to the sign-in page that a cache keeps outlives the signed-out visit it answered:
//! once the user has signed in, the browser (or a CDN) goes on sending them to sign in, and the
//! server never sees the session. Chromium's HAR marks an answer from the browser's own cache
//! (`_fromCache`); a shared cache says so only in its headers.

use super::har::{Header, Response};
use crate::cookie::date::parse_cookie_date;
use crate::limits::head;

/// At most this many bytes of a header's value are quoted in a finding.
const MAX_QUOTED_VALUE: usize = 60;

/// The values (their starts, lower-cased) by which a shared cache's own header says it answered
/// from storage, by the header's lower-cased name: CloudFront's and Varnish's `X-Cache` ("Hit
/// from cloudfront", "HIT"), Cloudflare's `CF-Cache-Status`, Vercel's `X-Vercel-Cache`, Next.js's
/// own `X-Nextjs-Cache`, Akamai's, and the `X-Cache-Status`/`X-Proxy-Cache` an nginx
/// `proxy_cache` is usually set up to send. A "STALE" answer is a stored one too.
fn hit_values(name: &str) -> &'static [&'static str] {
    match name {
        "x-cache" | "akamai-cache-status" => &["hit"],
        "cf-cache-status" => &["hit", "stale", "updating", "revalidated"],
        "x-vercel-cache" => &["hit", "stale", "prerender"],
        "x-nextjs-cache" | "x-cache-status" | "x-proxy-cache" => &["hit", "stale"],
        _ => &[],
    }
}

fn quoted(h: &Header<'_>) -> String {
    let value = h.value.trim();
    let cut = head(value, MAX_QUOTED_VALUE);
    format!(
        "{}: {cut}{}",
        h.name,
        if cut.len() < value.len() { "…" } else { "" }
    )
}

/// The header of `response` that says a shared cache (a CDN, a reverse proxy) answered from
/// storage, not the server: an `Age` over 0 (RFC 9111 §5.1: only a cache sends it), a
/// `Cache-Status` with `hit` (RFC 9211 §2.1), or a CDN's own hit header. As "Name: value".
/// Asked only of redirects and 401s, so the lower-cased copies cost nothing that matters.
pub fn shared_cache_hit(response: &Response<'_>) -> Option<String> {
    response.headers.iter().find_map(|h| {
        let name = h.name.to_ascii_lowercase();
        let value = h.value.trim().to_ascii_lowercase();
        let hit = match name.as_str() {
            "age" => value.parse::<u64>().is_ok_and(|age| age > 0),
            // RFC 9211: a list of caches, each with parameters; `hit` is one of them.
            "cache-status" => value
                .split(',')
                .any(|cache| cache.split(';').skip(1).any(|p| p.trim() == "hit")),
            other => hit_values(other).iter().any(|hit| value.starts_with(hit)),
        };
        hit.then(|| quoted(h))
    })
}

/// The directives of every `Cache-Control` header of `response`, lower-cased name first, with
/// the value unquoted (RFC 9111 §5.2: a list; several headers are one list).
fn cache_control<'r>(response: &'r Response<'_>) -> impl Iterator<Item = (String, &'r str)> {
    response
        .headers
        .iter()
        .filter(|h| h.name.eq_ignore_ascii_case("cache-control"))
        .flat_map(|h| h.value.split(','))
        .map(|directive| {
            let (name, value) = directive.split_once('=').unwrap_or((directive, ""));
            (
                name.trim().to_ascii_lowercase(),
                value.trim().trim_matches('"'),
            )
        })
}

/// Why browsers keep the redirect `response` (of `status`) and follow it again without asking
/// the server, as a phrase ("a 301 without Cache-Control"), or `None` when they ask again.
///
/// RFC 9111 §4.2: a stored response is reused while fresh. Freshness comes from `max-age`
/// (§5.2.2.1), else `Expires` after `Date` (§5.3); without either, 301 and 308 are
/// "heuristically cacheable" (RFC 9110 §15.4.2, §15.4.9), which Chromium and Firefox take as
/// fresh indefinitely, while 302, 303 and 307 are not stored at all. `no-store` forbids storing
/// it (§5.2.2.5), `no-cache` and `max-age=0` make every reuse ask the server first, and `Vary:
/// Cookie` (or `*`) means a request with other cookies (the session) does not match it (§4.1).
pub fn kept_by_browsers(status: i64, response: &Response<'_>) -> Option<String> {
    let mut max_age: Option<u64> = None;
    for (name, value) in cache_control(response) {
        match name.as_str() {
            "no-store" | "no-cache" => return None,
            "max-age" => max_age = max_age.or(Some(value.parse::<u64>().unwrap_or(0))),
            _ => {}
        }
    }
    let varies_by_cookie = response
        .headers
        .iter()
        .filter(|h| h.name.eq_ignore_ascii_case("vary"))
        .flat_map(|h| h.value.split(','))
        .any(|field| matches!(field.trim(), "*") || field.trim().eq_ignore_ascii_case("cookie"));
    if varies_by_cookie {
        return None;
    }
    if let Some(seconds) = max_age {
        return (seconds > 0).then(|| format!("a {status} with Cache-Control: max-age={seconds}"));
    }
    if let Some(expires) = response.header("expires") {
        // An invalid date means "already expired" (§5.3); without Date, the browser's clock
        // decides, which the recording does not give: only a date past the response's counts.
        let date = response.header("date").and_then(parse_cookie_date);
        return match (parse_cookie_date(expires), date) {
            (Some(at), Some(now)) if at > now => Some(format!(
                "a {status} with Expires: {}",
                head(expires.trim(), MAX_QUOTED_VALUE)
            )),
            _ => None,
        };
    }
    matches!(status, 301 | 308).then(|| format!("a {status} with no Cache-Control or Expires"))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn response(status: i64, headers: &[(&str, &str)]) -> Response<'static> {
        Response::with_headers(status, headers)
    }

    #[test]
    fn which_redirects_browsers_keep() {
        let kept = |status, headers: &[(&'static str, &'static str)]| {
            kept_by_browsers(status, &response(status, headers))
        };
        assert_eq!(
            kept(301, &[("Location", "/login")]).as_deref(),
            Some("a 301 with no Cache-Control or Expires")
        );
        assert_eq!(
            kept(308, &[]).as_deref(),
            Some("a 308 with no Cache-Control or Expires")
        );
        assert_eq!(kept(302, &[]), None, "302 is not heuristically cacheable");
        assert_eq!(kept(307, &[]), None);
        assert_eq!(kept(301, &[("Cache-Control", "no-store")]), None);
        assert_eq!(kept(301, &[("cache-control", "private, No-Cache")]), None);
        assert_eq!(
            kept(301, &[("Cache-Control", "max-age=0")]),
            None,
            "stale at once: asks the server"
        );
        assert_eq!(
            kept(
                308,
                &[
                    ("Cache-Control", "public"),
                    ("Cache-Control", "max-age=\"3600\"")
                ]
            )
            .as_deref(),
            Some("a 308 with Cache-Control: max-age=3600")
        );
        assert_eq!(
            kept(302, &[("Cache-Control", "private, max-age=600")]).as_deref(),
            Some("a 302 with Cache-Control: max-age=600")
        );
        assert_eq!(
            kept(301, &[("Vary", "Accept-Encoding, Cookie")]),
            None,
            "the signed-in request does not match"
        );
        assert_eq!(kept(301, &[("Vary", "*")]), None);
        let date = ("Date", "Sun, 01 Mar 2026 09:00:00 GMT");
        assert_eq!(
            kept(302, &[date, ("Expires", "Sun, 01 Mar 2026 10:00:00 GMT")]).as_deref(),
            Some("a 302 with Expires: Sun, 01 Mar 2026 10:00:00 GMT")
        );
        assert_eq!(
            kept(301, &[date, ("Expires", "0")]),
            None,
            "an invalid Expires is already expired"
        );
        assert_eq!(
            kept(302, &[("Expires", "Sun, 01 Mar 2026 10:00:00 GMT")]),
            None,
            "no Date to judge it by"
        );
    }

    #[test]
    fn shared_cache_hits() {
        let hit =
            |headers: &[(&'static str, &'static str)]| shared_cache_hit(&response(302, headers));
        assert_eq!(hit(&[("Age", "120")]).as_deref(), Some("Age: 120"));
        assert_eq!(hit(&[("Age", "0")]), None, "fresh from the origin");
        assert_eq!(hit(&[("Age", "soon")]), None);
        assert_eq!(
            hit(&[("X-Cache", "Hit from cloudfront")]).as_deref(),
            Some("X-Cache: Hit from cloudfront")
        );
        assert_eq!(hit(&[("X-Cache", "Miss from cloudfront")]), None);
        assert_eq!(
            hit(&[("cf-cache-status", "HIT")]).as_deref(),
            Some("cf-cache-status: HIT")
        );
        assert_eq!(hit(&[("CF-Cache-Status", "DYNAMIC")]), None);
        assert_eq!(
            hit(&[("x-vercel-cache", "STALE")]).as_deref(),
            Some("x-vercel-cache: STALE")
        );
        assert_eq!(hit(&[("X-Vercel-Cache", "MISS")]), None);
        assert_eq!(
            hit(&[(
                "Cache-Status",
                "OriginCache; fwd=uri-miss, CDN; hit; ttl=30"
            )])
            .as_deref(),
            Some("Cache-Status: OriginCache; fwd=uri-miss, CDN; hit; ttl=30")
        );
        assert_eq!(hit(&[("Cache-Status", "CDN; fwd=miss; stored")]), None);
        let long: &'static str = Box::leak(format!("HIT {}", "x".repeat(200)).into_boxed_str());
        assert_eq!(
            hit(&[("X-Cache", long)]).map(|q| q.chars().count()),
            Some("X-Cache: ".len() + MAX_QUOTED_VALUE + 1),
            "quoted, cut"
        );
    }
}
