//! Session cookies that are more than one cookie: split (chunked) values, and Supabase's format.
//!
//! A browser refuses a cookie whose name and value exceed 4096 bytes (RFC 6265bis §5.6), so the
//! libraries split a large session over several cookies and join them when reading:
//!
//! - NextAuth.js v4 and Auth.js (`SessionStore` in `next-auth/core/lib/cookie` and
//!   `@auth/core/lib/utils/cookie`): `name.0`, `name.1`, … of 3933 (v4) or 3936 (Auth.js)
//!   characters, every one but the last full. The reader takes every cookie whose name starts
//!   with `name`, sorts them by the number after the last dot and joins them — so a missing
//!   chunk, or an old unsplit `name` next to the chunks, gives a broken token and the user is
//!   signed out.
//! - Supabase (`@supabase/ssr`, `createChunks`/`combineChunks`): `sb-<project ref>-auth-token`,
//!   whose value is `base64-` + base64url(the session JSON), cut *after* encoding into `.0`, `.1`,
//!   … of 3180 characters. The reader takes the unsplit cookie if there is one and ignores the
//!   chunks; otherwise `.0`, `.1`, … up to the first missing one. The session JSON holds the
//!   `access_token` (a JWT), `expires_at` (seconds) and the `refresh_token`.
//!
//! [`reassemble`] groups and joins the cookies as the libraries do and says what is wrong with
//! the chunks; [`analyze_session_cookies`] then analyses each session's token.
//!
//! Deviation: a chunk set whose last chunk is exactly full is reported as probably missing a
//! chunk (one value in ~4000 is legitimately a whole number of chunks).

use super::jwe::DEFAULT_COOKIE_NAMES;
use super::{KeyOptions, TokenOptions, TokenReport};
use crate::finding::{quote, Code, Finding, Severity};
use crate::limits::{MAX_COOKIE_CHUNK_INDEX, MAX_QUOTE_CHARS, MAX_SESSION_COOKIES};
use crate::time::{iso8601, relative_words, whole_seconds};
use serde::Serialize;
use serde_json::{Map, Value};

/// NextAuth.js v4's chunk size (`ALLOWED_COOKIE_SIZE - ESTIMATED_EMPTY_COOKIE_SIZE` = 4096 − 163).
pub const NEXTAUTH_V4_CHUNK: usize = 3933;
/// Auth.js's chunk size (4096 − 160).
pub const AUTHJS_CHUNK: usize = 3936;
/// `@supabase/ssr`'s `MAX_CHUNK_SIZE` (of the URI-encoded value).
pub const SUPABASE_CHUNK: usize = 3180;

/// How the library splits and joins the cookie.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "kebab-case")]
pub enum Scheme {
    /// NextAuth.js / Auth.js `SessionStore`: every `name*` cookie, sorted by number, joined.
    SessionStore,
    /// `@supabase/ssr`: the unsplit cookie, else `.0`, `.1`, … up to the first gap.
    Supabase,
}

/// One session cookie, joined from its parts as its library joins them.
#[derive(Debug, Clone, PartialEq, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct SessionCookie {
    pub scheme: Scheme,
    /// The name without `.N`: the name Auth.js salts its key with.
    pub name: String,
    /// The cookies joined, in the order joined (one name when the cookie is not split).
    pub cookies: Vec<String>,
    /// Whether the value came from `name.0`, `name.1`, … rather than from `name` alone.
    pub chunked: bool,
    /// The joined value: what the library reads.
    #[serde(skip)]
    pub value: String,
    /// What is wrong with the chunks, and the note that they were joined.
    pub findings: Vec<Finding>,
}

/// `name.N` → (`name`, N) when N is a chunk number (`0` or digits without a leading zero).
pub fn split_chunk_name(name: &str) -> Option<(&str, u32)> {
    let (base, n) = name.rsplit_once('.')?;
    let valid = !base.is_empty() && !n.is_empty() && n.len() <= 3 && n.bytes().all(|b| b.is_ascii_digit()) && (n == "0" || !n.starts_with('0'));
    let index = n.parse::<u32>().ok().filter(|i| valid && *i <= MAX_COOKIE_CHUNK_INDEX)?;
    Some((base, index))
}

/// Whether `name` is a Supabase session cookie name, `sb-<project ref>-auth-token`.
pub fn is_supabase_name(name: &str) -> bool {
    name.len() > "sb--auth-token".len() && name.starts_with("sb-") && name.ends_with("-auth-token")
}

fn is_session_name(name: &str) -> bool {
    let lower = name.to_ascii_lowercase();
    ["session", "token", "auth", "jwt"].iter().any(|k| lower.contains(k))
}

/// Groups `pairs` (a Cookie header's name/value pairs, in order) into session cookies and joins
/// their chunks. Returns the split session cookies (`name.0`, … whose name says session, token or
/// auth), every Supabase session cookie and the NextAuth.js/Auth.js cookies of the default names,
/// split or not; other cookies are left out.
///
/// ```
/// use cookie_inspector::jose::session_cookie::reassemble;
/// let s = reassemble(&[("authjs.session-token.1", "world"), ("theme", "dark"), ("authjs.session-token.0", "hello.")]);
/// assert_eq!(s.len(), 1);
/// assert_eq!(s[0].value, "hello.world");
/// assert_eq!(s[0].cookies, ["authjs.session-token.0", "authjs.session-token.1"]);
/// ```
pub fn reassemble(pairs: &[(&str, &str)]) -> Vec<SessionCookie> {
    struct Group<'a> {
        base: &'a str,
        whole: Vec<&'a str>,
        chunks: Vec<Chunk<'a>>,
    }
    // Pass 1: session-like chunk sets, Supabase's cookies and the frameworks' default names, in
    // order of first appearance.
    let mut groups: Vec<Group<'_>> = Vec::new();
    for &(name, value) in pairs {
        let (base, index) = match split_chunk_name(name) {
            Some((base, i)) if is_session_name(base) || is_supabase_name(base) => (base, Some(i)),
            _ if is_supabase_name(name) || DEFAULT_COOKIE_NAMES.contains(&name) => (name, None),
            _ => continue,
        };
        let at = match groups.iter().position(|g| g.base == base) {
            Some(at) => at,
            None if groups.len() < MAX_SESSION_COOKIES => {
                groups.push(Group { base, whole: Vec::new(), chunks: Vec::new() });
                groups.len() - 1
            }
            None => continue,
        };
        let Some(group) = groups.get_mut(at) else { continue };
        match index {
            Some(i) => match group.chunks.binary_search_by_key(&i, |c| c.index) {
                Ok(found) => {
                    if let Some(c) = group.chunks.get_mut(found) {
                        c.count += 1;
                    }
                }
                Err(insert_at) => group.chunks.insert(insert_at, Chunk { index: i, value, count: 1 }),
            },
            None => group.whole.push(value),
        }
    }
    // Pass 2: the unsplit cookie of a split session's name (the SessionStore reads it too).
    for &(name, value) in pairs {
        let known = is_supabase_name(name) || DEFAULT_COOKIE_NAMES.contains(&name);
        if let Some(group) = groups.iter_mut().find(|g| g.base == name && !known) {
            group.whole.push(value);
        }
    }
    groups
        .iter()
        .map(|g| {
            let scheme = if is_supabase_name(g.base) { Scheme::Supabase } else { Scheme::SessionStore };
            join(scheme, g.base, &g.whole, &g.chunks)
        })
        .collect()
}

/// One chunk number: the first value sent under it, and how many cookies had that name.
struct Chunk<'a> {
    index: u32,
    value: &'a str,
    count: usize,
}

fn chunk_at<'c, 'a>(chunks: &'c [Chunk<'a>], index: u32) -> Option<&'c Chunk<'a>> {
    chunks.binary_search_by_key(&index, |c| c.index).ok().and_then(|at| chunks.get(at))
}

fn join(scheme: Scheme, base: &str, whole: &[&str], chunks: &[Chunk<'_>]) -> SessionCookie {
    let mut findings = Vec::new();
    let chunk_name = |i: u32| format!("{base}.{i}");
    let q = |s: &str| quote(s, MAX_QUOTE_CHARS);
    let lib = match scheme {
        Scheme::SessionStore => "NextAuth.js/Auth.js",
        Scheme::Supabase => "@supabase/ssr",
    };

    // The same name twice: cookies of different paths or domains; the server sees one of them.
    for c in chunks.iter().filter(|c| c.count > 1) {
        findings.push(stale(
            base,
            format!("The cookie {} is sent {} times (cookies of the same name for different paths or domains). The server reads one of them — which one depends on the parser — so chunks of different sessions can be joined.", q(&chunk_name(c.index)), c.count),
        ));
    }
    if whole.len() > 1 {
        findings.push(stale(base, format!("The cookie {} is sent {} times (for different paths or domains): the server reads one of them, maybe an old session.", q(base), whole.len())));
    }

    // What the library joins.
    let (names, values, chunked): (Vec<String>, Vec<&str>, bool) = match scheme {
        Scheme::Supabase if !whole.is_empty() || chunks.is_empty() => {
            if !chunks.is_empty() {
                findings.push(stale(
                    base,
                    format!("Both {} and the chunks {} are sent. @supabase/ssr's combineChunks reads {} and ignores the chunks, so the server works with that cookie — usually an old session left when a larger one was split — while the current session sits in the chunks.", q(base), list(chunks.iter().map(|c| chunk_name(c.index))), q(base)),
                ));
            }
            (vec![base.to_string()], whole.first().copied().into_iter().collect(), false)
        }
        Scheme::Supabase => {
            // combineChunks: .0, .1, … up to the first one missing.
            let mut names = Vec::new();
            let mut values = Vec::new();
            for i in 0..=MAX_COOKIE_CHUNK_INDEX {
                let Some(c) = chunk_at(chunks, i) else { break };
                names.push(chunk_name(i));
                values.push(c.value);
            }
            (names, values, true)
        }
        Scheme::SessionStore if chunks.is_empty() => (vec![base.to_string()], whole.first().copied().into_iter().collect(), false),
        Scheme::SessionStore => {
            if !whole.is_empty() {
                findings.push(stale(
                    base,
                    format!("Both {} and the chunks {} are sent. The SessionStore reads every cookie whose name starts with {} and joins them, so the old unsplit value is glued to the chunks and the token cannot be read: the user is signed out. It is left over from before the session grew past one cookie (or from another path or domain).", q(base), list(chunks.iter().map(|c| chunk_name(c.index))), q(base)),
                ));
            }
            let names = chunks.iter().map(|c| chunk_name(c.index)).collect();
            let values = chunks.iter().map(|c| c.value).collect();
            (names, values, true)
        }
    };

    if chunked {
        check_chunks(scheme, base, chunks, &mut findings);
        let total: usize = values.iter().map(|v| v.len()).sum();
        let size = values.first().map_or(0, |v| v.len());
        let by = match size {
            NEXTAUTH_V4_CHUNK if values.len() > 1 => " (chunks of 3933 characters: NextAuth.js v4)",
            AUTHJS_CHUNK if values.len() > 1 => " (chunks of 3936 characters: Auth.js)",
            SUPABASE_CHUNK if values.len() > 1 => " (chunks of 3180 characters: @supabase/ssr)",
            _ => "",
        };
        findings.push(Finding::new(
            Code::SessionChunksReassembled,
            Severity::Info,
            "cookie",
            "Split session cookie joined",
            format!(
                "The session is split over {} cookie{}{by}; joined {} in numeric order into one value of {total} bytes, as {lib} does when it reads the session.",
                values.len(),
                if values.len() == 1 { "" } else { "s" },
                list(names.iter().cloned())
            ),
            "",
            "RFC 6265bis §5.6 (4096-byte limit per cookie)",
        ));
    }

    SessionCookie { scheme, name: base.to_string(), cookies: names, chunked, value: values.concat(), findings }
}

/// Gaps, a lone `.0`, and chunk lengths that do not fit one write.
fn check_chunks(scheme: Scheme, base: &str, chunks: &[Chunk<'_>], findings: &mut Vec<Finding>) {
    let q = |s: &str| quote(s, MAX_QUOTE_CHARS);
    let Some(max) = chunks.last().map(|c| c.index) else { return };
    let missing: Vec<u32> = (0..=max).filter(|i| chunk_at(chunks, *i).is_none()).take(11).collect();
    let consequence = match scheme {
        Scheme::SessionStore => "NextAuth.js/Auth.js join the chunks that arrive, so the token is cut and cannot be read: getToken() returns null and the user is signed out.",
        Scheme::Supabase => "@supabase/ssr joins the chunks up to the first missing one, so the session JSON is cut, the server finds no session and the user is signed out.",
    };
    let causes = "A chunk is lost when the browser rejects it (a cookie over 4096 bytes with its attributes, the per-site cookie limit — Chromium keeps 180 per domain — or a Set-Cookie cut by a proxy's header limit), when it expires or is deleted apart from the others, or when it was set for another path or domain.";
    let fix = "Make the session fit in fewer cookies: keep only ids in the session (in Auth.js's jwt callback, return { sub, … } without profile data, group lists or provider tokens), or use a database session. Check that every chunk is set with the same Path, Domain and expiry.";
    if !missing.is_empty() {
        let shown: Vec<String> = missing.iter().take(10).map(|i| format!("{base}.{i}")).collect();
        findings.push(Finding::new(
            Code::SessionChunkMissing,
            Severity::Error,
            "cookie",
            "A chunk of the session cookie is missing",
            format!(
                "{} {} missing: the chunks go up to {} but {} not sent. {consequence} {causes}",
                list(shown.iter().cloned()),
                if missing.len() == 1 { "is" } else { "are" },
                q(&format!("{base}.{max}")),
                if missing.len() == 1 { "this one is" } else { "these are" }
            ),
            fix,
            "RFC 6265bis §5.6, §5.7",
        ));
        return;
    }
    if max == 0 {
        findings.push(Finding::new(
            Code::SessionChunkMissing,
            Severity::Error,
            "cookie",
            "Only the first chunk of the session cookie arrived",
            format!(
                "Only {} is sent. The libraries name a value {} only when it is split into two or more chunks (a value that fits one cookie is called {}), so {} and later are missing. {consequence} {causes}",
                q(&format!("{base}.0")),
                q(&format!("{base}.0")),
                q(base),
                q(&format!("{base}.1"))
            ),
            fix,
            "RFC 6265bis §5.6, §5.7",
        ));
        return;
    }
    // Every chunk but the last is cut to the same length; URI-escaped characters make lengths
    // vary, so only values in the base64url/JWE alphabet are measured.
    let values: Vec<&str> = chunks.iter().map(|c| c.value).collect();
    let plain = values.iter().all(|v| v.bytes().all(|b| b.is_ascii_alphanumeric() || b"-_.".contains(&b)));
    let (Some(first), Some(last)) = (values.first(), values.last()) else { return };
    if !plain {
        return;
    }
    let size = first.len();
    let odd: Vec<String> = chunks
        .iter()
        .take(values.len().saturating_sub(1))
        .filter(|c| c.value.len() != size)
        .map(|c| format!("{base}.{}", c.index))
        .take(10)
        .collect();
    if !odd.is_empty() {
        findings.push(stale(
            base,
            format!(
                "{} {} a different length than {} ({size} characters). The library cuts every chunk but the last to the same length, so these chunks come from different writes: a chunk of an older, longer session that was not deleted, or a chunk of a newer one that did not arrive. Joined, they make no valid value.",
                list(odd.iter().cloned()),
                if odd.len() == 1 { "has" } else { "have" },
                q(&format!("{base}.0"))
            ),
        ));
    } else if last.len() == size {
        findings.push(Finding::new(
            Code::SessionChunkMissing,
            Severity::Warning,
            "cookie",
            "The last chunk is full: a chunk after it is probably missing",
            format!(
                "{} is as long as every other chunk ({size} characters). The library fills every chunk but the last, so unless the value is an exact multiple of the chunk size, {} was not sent. {consequence}",
                q(&format!("{base}.{max}")),
                q(&format!("{base}.{}", max.saturating_add(1)))
            ),
            fix,
            "RFC 6265bis §5.6, §5.7",
        ));
    }
}

fn stale(base: &str, detail: String) -> Finding {
    Finding::new(
        Code::SessionChunkStale,
        Severity::Error,
        "cookie",
        "Chunks from different sessions",
        detail,
        format!(
            "Delete every {}* cookie (sign out, or clear the site's cookies) and sign in again; in the app, clear the old cookies whenever the session is rewritten — NextAuth.js/Auth.js and @supabase/ssr do when the Cookie header reaches them, so look for a Path or Domain that differs between the writes.",
            quote(base, MAX_QUOTE_CHARS)
        ),
        "RFC 6265bis §5.7, §5.8.3",
    )
}

/// Quoted names, comma-separated; after ten, how many more.
fn list(names: impl Iterator<Item = String>) -> String {
    let mut shown = Vec::new();
    let mut more = 0usize;
    for name in names {
        if shown.len() < 10 {
            shown.push(quote(&name, MAX_QUOTE_CHARS));
        } else {
            more += 1;
        }
    }
    if more > 0 {
        shown.push(format!("and {more} more"));
    }
    shown.join(", ")
}

/// A Supabase session read from its cookie value.
#[derive(Debug, Clone, PartialEq)]
pub struct SupabaseSession {
    pub access_token: String,
    pub refresh_token: Option<String>,
    /// `expires_at`, seconds since 1970.
    pub expires_at: Option<f64>,
    pub json: Value,
}

/// Decodes a Supabase session cookie's value: `base64-` + base64url(JSON) (`cookieEncoding:
/// "base64url"`, the default since @supabase/ssr 0.4), or the URI-encoded JSON of older
/// versions; an object with `access_token`, or the old `[access_token, refresh_token, …]` array.
pub fn supabase_session(value: &str) -> Result<SupabaseSession, Finding> {
    let value = value.trim();
    let text = if let Some(encoded) = value.strip_prefix("base64-") {
        // @supabase/ssr's stringFromBase64URL skips whitespace and `=`.
        let cleaned: String = encoded.chars().filter(|c| !c.is_whitespace() && *c != '=').collect();
        let mut ignored = Vec::new();
        let bytes = super::segment::decode_base64url(&cleaned, "session", &mut ignored).map_err(|f| undecodable(format!("The value after base64- is not base64url: {}", f.detail)))?;
        String::from_utf8(bytes).map_err(|e| undecodable(format!("The decoded session is not UTF-8 text (invalid byte at offset {}).", e.utf8_error().valid_up_to())))?
    } else {
        percent_decode(value).ok_or_else(|| undecodable("The value is neither base64- followed by base64url nor URI-encoded JSON.".to_string()))?
    };
    let json: Value = serde_json::from_str(&text).map_err(|e| {
        undecodable(format!("The decoded value is not JSON ({e}); it starts with {}. A session cut short — a missing chunk — decodes to the start of the JSON only.", quote(&text, 40)))
    })?;
    let (access, refresh, expires) = match &json {
        Value::Object(map) => (string_field(map, "access_token"), string_field(map, "refresh_token"), map.get("expires_at").and_then(Value::as_f64)),
        Value::Array(items) => (items.first().and_then(Value::as_str).map(str::to_string), items.get(1).and_then(Value::as_str).map(str::to_string), None),
        _ => (None, None, None),
    };
    let Some(access_token) = access else {
        return Err(undecodable("The session JSON has no access_token string.".to_string()));
    };
    Ok(SupabaseSession { access_token, refresh_token: refresh.filter(|r| !r.is_empty()), expires_at: expires, json })
}

fn string_field(map: &Map<String, Value>, key: &str) -> Option<String> {
    map.get(key).and_then(Value::as_str).map(str::to_string)
}

fn undecodable(detail: String) -> Finding {
    Finding::new(
        Code::SessionSupabaseUndecodable,
        Severity::Error,
        "cookie",
        "The Supabase session cookie cannot be read",
        format!("{detail} @supabase/ssr treats such a cookie as no session, so the user is signed out."),
        "Paste the whole Cookie header (every sb-…-auth-token chunk); if the browser holds a broken value, sign out and in again, and make sure every response that refreshes the session writes all of its cookies (createServerClient's setAll in the middleware).",
        "RFC 4648 §5",
    )
}

/// Decodes `%XX` escapes; `None` if an escape is broken or the result is not UTF-8.
fn percent_decode(text: &str) -> Option<String> {
    let mut out = Vec::with_capacity(text.len());
    let mut bytes = text.bytes();
    while let Some(b) = bytes.next() {
        if b == b'%' {
            let hi = bytes.next().and_then(|c| (c as char).to_digit(16))?;
            let lo = bytes.next().and_then(|c| (c as char).to_digit(16))?;
            out.push(u8::try_from(hi * 16 + lo).ok()?);
        } else {
            out.push(b);
        }
    }
    String::from_utf8(out).ok()
}

/// The session-level checks of a Supabase session: `expires_at` against `now`, and a refresh token.
pub fn check_supabase_session(session: &SupabaseSession, cookie: &str, now: i64, findings: &mut Vec<Finding>) {
    let has_refresh = session.refresh_token.is_some();
    if let Some(expires) = session.expires_at.and_then(whole_seconds) {
        if expires <= now {
            let when = iso8601(expires).unwrap_or_else(|| expires.to_string());
            findings.push(Finding::new(
                Code::SessionSupabaseExpired,
                if has_refresh { Severity::Warning } else { Severity::Error },
                "session.expires_at",
                "The Supabase session's access token has expired",
                format!(
                    "expires_at is {when}, {}. {}",
                    relative_words(expires, now),
                    if has_refresh {
                        "The session has a refresh token, so the next request that reads the session refreshes it — and must write the new cookies back. If the cookie is still expired on later requests, the refreshed session is never saved (a server client without setAll, or a middleware that does not return the response it was given), and every server render sees an expired session."
                    } else {
                        "The session has no refresh token to renew it with: the user is signed out."
                    }
                ),
                "Refresh in middleware and return its cookies: createServerClient(url, key, { cookies: { getAll, setAll } }) with setAll writing to the response, then await supabase.auth.getUser() before rendering.",
                "RFC 6749 §6",
            ));
        }
    }
    if !has_refresh {
        findings.push(Finding::new(
            Code::SessionSupabaseNoRefreshToken,
            Severity::Error,
            "session.refresh_token",
            "The Supabase session has no refresh token",
            format!("The session in {} has no refresh_token, so when the access token expires the session cannot be renewed and the user is signed out. The cookie was written by hand or cut.", quote(cookie, MAX_QUOTE_CHARS)),
            "Let @supabase/ssr write the session cookie (createServerClient/createBrowserClient with cookie methods) instead of setting it by hand.",
            "RFC 6749 §1.5, §6",
        ));
    }
}

/// Every session cookie among `pairs`, joined and analysed: one token report each, for the
/// joined NextAuth.js/Auth.js token or the Supabase session's access token, with the chunk and
/// session findings. Other cookies are left out.
pub fn analyze_session_cookies(pairs: &[(&str, &str)], options: &TokenOptions, keys: &KeyOptions) -> Vec<TokenReport> {
    reassemble(pairs).into_iter().map(|s| super::analyze_session_cookie(s, super::SourceKind::CookieHeader, options, keys)).collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    fn codes(s: &SessionCookie) -> Vec<&'static str> {
        s.findings.iter().map(|f| f.code.as_str()).collect()
    }

    #[test]
    fn chunk_names() {
        assert_eq!(split_chunk_name("a.session-token.0"), Some(("a.session-token", 0)));
        assert_eq!(split_chunk_name("x.12"), Some(("x", 12)));
        for bad in ["x.01", "x.", ".1", "x.1a", "x.4294967296", "x.1000", "plain"] {
            assert_eq!(split_chunk_name(bad), None, "{bad}");
        }
        assert!(is_supabase_name("sb-abc-auth-token"));
        assert!(!is_supabase_name("sb-abc-auth-token-code-verifier"));
        assert!(!is_supabase_name("sb--auth-token"));
    }

    #[test]
    fn numeric_order_and_gaps() {
        let a = "A".repeat(AUTHJS_CHUNK);
        let pairs: Vec<(String, String)> = (0..12).map(|i| (format!("authjs.session-token.{i}"), if i == 11 { "end".into() } else { a.clone() })).collect();
        let refs: Vec<(&str, &str)> = pairs.iter().rev().map(|(n, v)| (n.as_str(), v.as_str())).collect();
        let s = reassemble(&refs);
        assert_eq!(s[0].cookies[10], "authjs.session-token.10", "10 after 9, not after 1");
        assert!(s[0].value.ends_with("end"));
        assert_eq!(codes(&s[0]), ["session.chunks-reassembled"]);
        assert!(s[0].findings[0].detail.contains("Auth.js"), "{}", s[0].findings[0].detail);

        let gap: Vec<(&str, &str)> = refs.iter().copied().filter(|(n, _)| !n.ends_with(".3")).collect();
        let s = reassemble(&gap);
        assert_eq!(codes(&s[0])[0], "session.chunk-missing");
        assert!(s[0].findings[0].detail.contains("\"authjs.session-token.3\" is missing"), "{}", s[0].findings[0].detail);

        let s = reassemble(&[("authjs.session-token.0", "abc")]);
        assert_eq!(codes(&s[0])[0], "session.chunk-missing");
    }

    #[test]
    fn stale_chunks() {
        let full = "B".repeat(NEXTAUTH_V4_CHUNK);
        let s = reassemble(&[("next-auth.session-token.0", &full), ("next-auth.session-token.1", "short"), ("next-auth.session-token.2", "tail")]);
        assert_eq!(codes(&s[0])[0], "session.chunk-stale");
        let s = reassemble(&[("next-auth.session-token", "old"), ("next-auth.session-token.0", &full), ("next-auth.session-token.1", "x")]);
        assert_eq!(codes(&s[0])[0], "session.chunk-stale");
        let s = reassemble(&[("next-auth.session-token.0", &full), ("next-auth.session-token.1", &full)]);
        assert_eq!(s[0].findings[0].severity, Severity::Warning, "a full last chunk: probably one more");
        let s = reassemble(&[("next-auth.session-token.0", "a"), ("next-auth.session-token.0", "b"), ("next-auth.session-token.1", "c")]);
        assert!(codes(&s[0]).contains(&"session.chunk-stale"));
    }

    #[test]
    fn supabase_reads_like_combine_chunks() {
        let s = reassemble(&[("sb-ref-auth-token.1", "CD"), ("sb-ref-auth-token.0", "AB"), ("sb-ref-auth-token.3", "GH")]);
        assert_eq!(s[0].value, "ABCD", "stops at the first gap");
        assert!(codes(&s[0]).contains(&"session.chunk-missing"));
        let s = reassemble(&[("sb-ref-auth-token", "old"), ("sb-ref-auth-token.0", "new")]);
        assert_eq!(s[0].value, "old", "the unsplit cookie wins");
        assert_eq!(codes(&s[0]), ["session.chunk-stale"]);
        // Not split, not a session-like name: left out.
        assert!(reassemble(&[("theme", "dark"), ("_ga.1", "x")]).is_empty());
        // A framework's default name, not split: kept as it is, nothing to say.
        let s = reassemble(&[("theme", "dark"), ("__Secure-authjs.session-token", "v")]);
        assert_eq!((s[0].chunked, s[0].value.as_str(), s[0].findings.len()), (false, "v", 0));
    }

    #[test]
    fn supabase_values() {
        let json = r#"{"access_token":"a.b.c","refresh_token":"r","expires_at":1700000000}"#;
        let encoded = format!("base64-{}", base64::Engine::encode(&base64::engine::general_purpose::URL_SAFE_NO_PAD, json));
        let s = supabase_session(&encoded).unwrap();
        assert_eq!((s.access_token.as_str(), s.refresh_token.as_deref(), s.expires_at), ("a.b.c", Some("r"), Some(1_700_000_000.0)));
        let s = supabase_session("%7B%22access_token%22%3A%22t%22%7D").unwrap();
        assert_eq!((s.access_token.as_str(), s.refresh_token), ("t", None));
        assert_eq!(supabase_session(r#"["t","r",null]"#).unwrap().refresh_token.as_deref(), Some("r"));
        for bad in ["base64-%%%", "base64-eyJhY2Nlc3NfdG9rZW4iOi", "base64-/w", "%zz", "{}", "[1]", "base64-"] {
            let e = supabase_session(bad).unwrap_err();
            assert_eq!(e.code, Code::SessionSupabaseUndecodable, "{bad}");
        }
    }
}
