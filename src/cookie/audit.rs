//! The cookies a browser holds right now (its cookie store, as `chrome.cookies.getAll` lists it),
//! read for what will break or weaken the sign-in next: a session cookie `SameSite=Strict` (lost
//! on the OAuth redirect back), readable by scripts, without `Secure`, near the size limit,
//! shadowed by a same-named cookie of another domain or path, and the tokens it carries.
//!
//! Every cookie here was accepted by the browser already, so nothing is "rejected": the flags
//! say what happens on the *next* request or under attack. Severity follows [`is_session_cookie`]:
//! the same flag on a cookie that does not carry the sign-in is one step lower.

use crate::finding::{quote, Code, Finding, Severity};
use crate::flow::session::is_session_cookie;
use crate::jose::session_cookie::reassemble;
use crate::jose::token_set::TokenSet;
use crate::jose::{Counts, KeyOptions, TokenOptions, TokenReport};
use crate::limits::{COOKIES_PER_DOMAIN_AFTER_PURGE, MAX_COOKIES_PER_DOMAIN, MAX_COOKIE_NAME_VALUE_BYTES, MAX_JAR_COOKIES, MAX_QUOTE_CHARS, PARTITION_MAX_COOKIE_BYTES};
use serde::{Deserialize, Serialize};
use std::collections::HashMap;

/// A cookie as the browser's extension API lists it (`chrome.cookies.Cookie`; Firefox's
/// `cookies.Cookie` has the same fields). Unknown fields are ignored, missing ones default.
#[derive(Debug, Clone, Default, PartialEq, Deserialize)]
#[serde(rename_all = "camelCase", default)]
pub struct BrowserCookie {
    pub name: String,
    pub value: String,
    pub domain: String,
    pub host_only: bool,
    pub path: String,
    pub secure: bool,
    pub http_only: bool,
    /// `no_restriction`, `lax`, `strict` or `unspecified`.
    pub same_site: String,
    pub session: bool,
    /// Seconds since 1970.
    pub expiration_date: Option<f64>,
    pub partition_key: Option<PartitionKey>,
}

#[derive(Debug, Clone, Default, PartialEq, Deserialize)]
#[serde(rename_all = "camelCase", default)]
pub struct PartitionKey {
    pub top_level_site: Option<String>,
}

/// One row of the jar table: DevTools' columns plus our findings.
#[derive(Debug, Clone, PartialEq, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct JarRow {
    pub name: String,
    pub value: String,
    pub domain: String,
    pub path: String,
    /// Seconds since 1970; `None` for a session cookie.
    pub expires: Option<f64>,
    /// Name plus value, in bytes (DevTools' "Size").
    pub size: usize,
    pub http_only: bool,
    pub secure: bool,
    /// `Strict`, `Lax`, `None`, or empty when unspecified (DevTools leaves it blank).
    pub same_site: &'static str,
    pub partition_key: Option<String>,
    pub host_only: bool,
    pub session: bool,
    /// Whether the name looks like the sign-in cookie.
    pub is_session: bool,
    pub findings: Vec<Finding>,
    /// Index into [`JarReport::tokens`] of the first token the value holds.
    pub token: Option<usize>,
}

/// The whole jar, read.
#[derive(Debug, Clone, PartialEq, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct JarReport {
    pub rows: Vec<JarRow>,
    /// Every row's findings (their `where` is `cookies[i]…`) and the jar's own, errors first.
    pub findings: Vec<Finding>,
    pub tokens: Vec<TokenReport>,
    pub counts: Counts,
}

/// Chromium stores a value this close to the 4096-byte name+value limit only until the next,
/// slightly larger session (a new claim, a longer name) tips it over and the whole cookie is
/// rejected (`NameValuePairExceedsMaxSize`).
const NEAR_LIMIT_BYTES: usize = 3_584;

fn one_lower(session: bool, severity: Severity) -> Severity {
    match (session, severity) {
        (true, s) => s,
        (false, Severity::Error) => Severity::Warning,
        (false, _) => Severity::Info,
    }
}

/// A site (registrable domain) and a partition (`None`: unpartitioned; else the top-level site),
/// with its cookies: where browsers count their limits.
type SiteGroup<'c> = ((String, Option<&'c str>), Vec<&'c BrowserCookie>);

/// The cookies of each site in each partition, in the order first listed.
fn by_site_and_partition(cookies: &[BrowserCookie]) -> Vec<SiteGroup<'_>> {
    // A map from group to its place (up to 5,000 cookies).
    let mut groups: Vec<SiteGroup<'_>> = Vec::new();
    let mut place: HashMap<(String, Option<&str>), usize> = HashMap::new();
    for c in cookies {
        let domain = c.domain.trim_start_matches('.').to_ascii_lowercase();
        let site = crate::cookie::psl::registrable_domain(&domain).unwrap_or(domain);
        let key = (site, c.partition_key.as_ref().map(|p| p.top_level_site.as_deref().unwrap_or("")));
        match place.get(&key).and_then(|&at| groups.get_mut(at)) {
            Some((_, list)) => list.push(c),
            None => {
                place.insert(key.clone(), groups.len());
                groups.push((key, vec![c]));
            }
        }
    }
    groups
}

/// Names and values of `list`, in bytes: what Chromium counts against a partition's 10 KiB.
fn name_value_bytes(list: &[&BrowserCookie]) -> usize {
    list.iter().map(|c| c.name.len() + c.value.len()).sum()
}

/// A partition's `Partitioned` cookies of one site at 8 KiB or more of names and values: the
/// next large cookie passes Chromium's 10 KiB.
const PARTITION_NEAR_LIMIT_BYTES: usize = 8 * 1024;

/// `jar.site-near-limit`: a site (registrable domain) whose unpartitioned cookies number 150 or
/// more. Both browsers keep 180 and then evict down to 150 (RFC 6265bis §6.1; the jar module
/// has their orders), so the next cookies the site sets evict others: a warning when a session
/// cookie is among them, a note otherwise.
fn sites_near_limit(groups: &[SiteGroup<'_>]) -> Vec<Finding> {
    groups
        .iter()
        .filter(|((_, partition), list)| partition.is_none() && list.len() >= COOKIES_PER_DOMAIN_AFTER_PURGE)
        .map(|((site, _), list)| {
            let sessions: Vec<&&BrowserCookie> = list.iter().filter(|c| is_session_cookie(&c.name)).collect();
            let plain: Vec<String> = sessions.iter().filter(|c| !c.secure).take(4).map(|c| quote(&c.name, MAX_QUOTE_CHARS)).collect();
            let named: Vec<String> = sessions.iter().take(4).map(|c| quote(&c.name, MAX_QUOTE_CHARS)).collect();
            let at_risk = if !plain.is_empty() {
                format!(" The sign-in cookies without Secure ({}) go first.", plain.join(", "))
            } else if !named.is_empty() {
                format!(
                    " The sign-in cookies ({}) are Secure, so cookies without Secure go before them; after those, the least recently used go, and a cookie's last use moves only once a minute, so a session set in a burst of other cookies counts as old.",
                    named.join(", ")
                )
            } else {
                String::new()
            };
            Finding::new(
                Code::JarSiteNearLimit,
                if sessions.is_empty() { Severity::Info } else { Severity::Warning },
                "cookies",
                format!("{} holds {} cookies, near the limit of {MAX_COOKIES_PER_DOMAIN}", quote(site, MAX_QUOTE_CHARS), list.len()),
                format!(
                    "Browsers keep at most {MAX_COOKIES_PER_DOMAIN} cookies per site; the next cookie past that makes them evict down to {COOKIES_PER_DOMAIN_AFTER_PURGE}, without a word in DevTools: cookies without Secure first (and, in Chromium, low-priority ones), then the least recently used.{at_risk}"
                ),
                crate::cookie::jar::LIMIT_FIX,
                "RFC 6265bis §6.1",
            )
        })
        .collect()
}


/// `jar.partition-near-limit`: a site's `Partitioned` cookies under one top-level site holding
/// 8 KiB or more of names and values. Chromium keeps 10 KiB there and evicts the least recently
/// used past it (the jar module), so a session in chunks loses its first chunk: a warning when a
/// session cookie is among them, a note otherwise.
fn partitions_near_limit(groups: &[SiteGroup<'_>]) -> Vec<Finding> {
    groups
        .iter()
        .filter_map(|((site, partition), list)| Some((site, (*partition)?, list, name_value_bytes(list))))
        .filter(|(.., bytes)| *bytes >= PARTITION_NEAR_LIMIT_BYTES)
        .map(|(site, partition, list, bytes)| {
            let sessions: Vec<String> = list.iter().filter(|c| is_session_cookie(&c.name)).take(4).map(|c| quote(&c.name, MAX_QUOTE_CHARS)).collect();
            let at_risk = if sessions.is_empty() {
                String::new()
            } else {
                format!(" Among them the sign-in cookies {}: the least recently used go first, and a cookie's last use moves only once a minute, so the first chunk of a session split into chunks goes first.", sessions.join(", "))
            };
            Finding::new(
                Code::JarPartitionNearLimit,
                if sessions.is_empty() { Severity::Info } else { Severity::Warning },
                "cookies",
                format!("{}'s Partitioned cookies under {} hold {bytes} bytes, near Chromium's 10 KiB", quote(site, MAX_QUOTE_CHARS), quote(partition, MAX_QUOTE_CHARS)),
                format!(
                    "Chromium keeps at most {PARTITION_MAX_COOKIE_BYTES} bytes of names and values of a site's Partitioned cookies under one top-level site ({} cookies here); past that it evicts the least recently used until they fit, without a word in DevTools.{at_risk}",
                    list.len()
                ),
                crate::cookie::jar::PARTITION_LIMIT_FIX,
                "RFC 6265bis §6.1; CHIPS §5 (partitioned cookie limits)",
            )
        })
        .collect()
}

/// Reads the jar at `now` (seconds since 1970): flags per cookie, tokens analysed once. Session
/// cookies split into chunks (NextAuth.js/Auth.js `name.0…`, Supabase `sb-…-auth-token.N`) are
/// joined per domain and path, as the server reads them, and encrypted ones are decrypted with
/// `keys` (the secrets are used for this call only).
pub fn audit_jar(cookies: &[BrowserCookie], now: f64, keys: &KeyOptions) -> JarReport {
    let mut rows = Vec::with_capacity(cookies.len().min(MAX_JAR_COOKIES));
    let mut findings = Vec::new();
    if cookies.len() > MAX_JAR_COOKIES {
        findings.push(Finding::new(
            Code::JarTooMany,
            Severity::Warning,
            "cookies",
            format!("Only the first {MAX_JAR_COOKIES} cookies were read"),
            format!("The jar lists {} cookies; the rest were not analysed.", cookies.len()),
            "",
            "RFC 6265bis §6.1",
        ));
    }
    let mut tokens = TokenSet::default();
    let mut names: HashMap<&str, usize> = HashMap::new();
    for c in cookies.iter().take(MAX_JAR_COOKIES) {
        *names.entry(c.name.as_str()).or_default() += 1;
    }

    // Session cookies, joined per (domain, path): the server sees one Cookie header per request,
    // and a chunk set only ever comes from one domain and path. Row → (token, first row of it).
    let mut session_of: HashMap<usize, (usize, bool)> = HashMap::new();
    let listed: Vec<(usize, &BrowserCookie)> = cookies.iter().take(MAX_JAR_COOKIES).enumerate().collect();
    let mut scopes: Vec<(&str, &str)> = listed.iter().map(|(_, c)| (c.domain.as_str(), c.path.as_str())).collect();
    scopes.sort_unstable();
    scopes.dedup();
    for (domain, path) in scopes {
        let group: Vec<(usize, &BrowserCookie)> = listed.iter().copied().filter(|(_, c)| c.domain == domain && c.path == path).collect();
        let pairs: Vec<(&str, &str)> = group.iter().map(|(_, c)| (c.name.as_str(), c.value.as_str())).collect();
        for session in reassemble(&pairs) {
            let members: Vec<usize> = group.iter().filter(|(_, c)| session.cookies.contains(&c.name)).map(|(i, _)| *i).collect();
            let key = session.value.clone();
            let Some(slot) = tokens.slot(&key, || crate::jose::analyze_session_cookie(session, crate::jose::extract::SourceKind::CookieHeader, &TokenOptions { now, secret: None }, keys)) else { break };
            for (k, row) in members.iter().enumerate() {
                session_of.insert(*row, (slot, k == 0));
            }
        }
    }

    for (i, c) in cookies.iter().take(MAX_JAR_COOKIES).enumerate() {
        let session = is_session_cookie(&c.name);
        let at = format!("cookies[{i}]");
        let name = quote(&c.name, MAX_QUOTE_CHARS);
        let mut flags = Vec::new();
        let same_site = match c.same_site.as_str() {
            "strict" => "Strict",
            "lax" => "Lax",
            "no_restriction" => "None",
            _ => "",
        };
        let size = c.name.len() + c.value.len();

        if same_site == "Strict" && session {
            flags.push(Finding::new(
                Code::JarSessionStrict,
                Severity::Warning,
                format!("{at}.sameSite"),
                format!("{name} is SameSite=Strict: it is not sent when the user arrives from another site"),
                "A Strict cookie is withheld on every request of a navigation that a different site started — the redirect back from the identity provider (OAuth/OIDC callback), a link in an email or chat, a bookmark opened from another site. The callback then sees no session and sends the user to sign in again.",
                "Use SameSite=Lax for the session cookie (NextAuth: cookies.sessionToken.options.sameSite = 'lax'; Express: cookie: { sameSite: 'lax' }). Lax still blocks cross-site POSTs and subresources.",
                "RFC 6265bis §5.8.3, §8.8.2",
            ));
        }
        if same_site == "None" && session {
            flags.push(Finding::new(
                Code::JarSameSiteNone,
                Severity::Info,
                format!("{at}.sameSite"),
                format!("{name} is SameSite=None: it goes out on cross-site requests"),
                "Every site can make the browser send this cookie (forms, images, fetch with credentials), so the app must defend against CSRF itself; and browsers that block third-party cookies withhold it in cross-site frames anyway.",
                "Unless the app is embedded cross-site, use SameSite=Lax.",
                "RFC 6265bis §8.8",
            ));
        }
        if session && !c.http_only {
            flags.push(Finding::new(
                Code::JarNotHttpOnly,
                Severity::Warning,
                format!("{at}.httpOnly"),
                format!("{name} is readable by the page's scripts"),
                "Without HttpOnly, document.cookie exposes the sign-in cookie to every script on the page: one XSS bug or compromised dependency can copy the session out.",
                "Set HttpOnly on the session cookie; keep what scripts need in a separate, non-secret cookie.",
                "RFC 6265bis §4.1.2.6, §8.5",
            ));
        }
        if session && !c.secure {
            flags.push(Finding::new(
                Code::JarNotSecure,
                Severity::Warning,
                format!("{at}.secure"),
                format!("{name} is not Secure: it goes out over plain http"),
                "A cookie without Secure is sent on http:// requests to the same host, where anyone on the network can read it. (On localhost this is expected in development.)",
                "Set Secure (and serve the app over https); better still, use the __Host- prefix for the session cookie.",
                "RFC 6265bis §4.1.2.5, §8.6",
            ));
        }
        if size >= NEAR_LIMIT_BYTES {
            flags.push(Finding::new(
                Code::JarNearSizeLimit,
                one_lower(session, Severity::Warning),
                format!("{at}.value"),
                format!("{name} is {size} bytes, close to the 4096-byte limit"),
                format!("Browsers reject, silently, a cookie whose name and value exceed {MAX_COOKIE_NAME_VALUE_BYTES} bytes. A session this close to the limit breaks as soon as it grows (more claims, a longer provider token) — the user signs in and the cookie is simply not stored."),
                "Keep the session cookie small: store an id and keep the rest on the server, drop provider tokens you do not need from the session, or split it into chunks (NextAuth does: name.0, name.1).",
                "RFC 6265bis §5.6 step 7",
            ));
        }
        if let Some(base) = chunk_base(&c.name).filter(|_| !session_of.contains_key(&i)) {
            if i == 0 || !cookies.iter().take(i).any(|o| chunk_base(&o.name) == Some(base)) {
                flags.push(Finding::new(
                    Code::JarChunked,
                    Severity::Info,
                    format!("{at}.name"),
                    format!("{} is split into chunks", quote(base, MAX_QUOTE_CHARS)),
                    "The value was too large for one cookie, so the framework split it (NextAuth/Auth.js, Supabase: name.0, name.1, …). If one chunk is rejected, expires or is not sent, the whole session fails to decode.",
                    "Shrink the session so it fits one cookie; meanwhile make sure every chunk has the same Path, Domain, SameSite and expiry.",
                    "RFC 6265bis §5.6",
                ));
            }
        }
        if !c.host_only && session {
            flags.push(Finding::new(
                Code::JarDomainWide,
                Severity::Info,
                format!("{at}.domain"),
                format!("{name} is sent to every subdomain of {}", c.domain.trim_start_matches('.')),
                "A Domain cookie goes out to all subdomains, which can read or overwrite it; a sign-in cookie is usually meant for one host.",
                "Omit Domain (a host-only cookie), or use the __Host- prefix, which requires that.",
                "RFC 6265bis §5.7 step 9, §8.6",
            ));
        }
        if names.get(c.name.as_str()).copied().unwrap_or(0) > 1 && session {
            let others: Vec<String> = cookies
                .iter()
                .filter(|o| o.name == c.name && !std::ptr::eq(*o, c))
                .take(4)
                .map(|o| format!("{}{}", o.domain, o.path))
                .collect();
            flags.push(Finding::new(
                Code::JarDuplicateName,
                Severity::Warning,
                format!("{at}.name"),
                format!("{name} exists more than once (also for {})", others.join(", ")),
                "Two cookies with the same name but another Domain or Path both go out in one Cookie header, longest path first. Most servers read only the first, which may be a stale session from a subdomain or an old path: the user looks signed out, or signed in as someone else.",
                "Delete the stray copy (set it again with its own Domain and Path and Max-Age=0), and always set the session cookie with the same Domain and Path.",
                "RFC 6265bis §5.8.3 step 2, §8.7",
            ));
        }

        let mut row_token = None;
        let joined = session_of.get(&i).copied();
        if let Some((slot, first)) = joined {
            row_token = Some(slot);
            if let Some(report) = tokens.reports.get(slot).filter(|_| first) {
                for f in report.findings.iter().filter(|f| f.severity != Severity::Info || f.code.as_str().starts_with("session.") || f.code.as_str().starts_with("jwe.")) {
                    let mut f = f.clone();
                    f.location = format!("{at}.value → {}", f.location);
                    flags.push(f);
                }
            }
        }
        if joined.is_none() {
            if let Some(slot) = tokens.add_value(&c.value, &at, now, keys, &mut flags) {
                row_token.get_or_insert(slot);
            }
        }

        crate::finding::sort_by_severity(&mut flags);
        findings.extend(flags.iter().cloned());
        rows.push(JarRow {
            name: c.name.clone(),
            value: c.value.clone(),
            domain: c.domain.clone(),
            path: c.path.clone(),
            expires: if c.session { None } else { c.expiration_date.filter(|e| e.is_finite()) },
            size,
            http_only: c.http_only,
            secure: c.secure,
            same_site,
            partition_key: c.partition_key.as_ref().and_then(|p| p.top_level_site.clone()),
            host_only: c.host_only,
            session: c.session,
            is_session: session,
            findings: flags,
            token: row_token,
        });
    }
    let groups = by_site_and_partition(cookies.get(..MAX_JAR_COOKIES).unwrap_or(cookies));
    findings.extend(sites_near_limit(&groups));
    findings.extend(partitions_near_limit(&groups));
    crate::finding::sort_by_severity(&mut findings);
    let counts = Counts::of(&findings);
    JarReport { rows, findings, tokens: tokens.reports, counts }
}

/// `next-auth.session-token` for `next-auth.session-token.1`: the base name of a chunk cookie.
fn chunk_base(name: &str) -> Option<&str> {
    crate::jose::session_cookie::split_chunk_name(name).map(|(base, _)| base)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn cookie(name: &str, value: &str, same_site: &str) -> BrowserCookie {
        BrowserCookie {
            name: name.into(),
            value: value.into(),
            domain: "app.test".into(),
            host_only: true,
            path: "/".into(),
            secure: true,
            http_only: true,
            same_site: same_site.into(),
            session: true,
            ..Default::default()
        }
    }

    fn codes(r: &JarRow) -> Vec<&'static str> {
        r.findings.iter().map(|f| f.code.as_str()).collect()
    }

    /// A site's Partitioned cookies under one top-level site at 8 KiB of names and values or
    /// more: a warning naming the sign-in cookies among them, a note otherwise; each partition
    /// counts apart, unpartitioned cookies not at all.
    #[test]
    fn a_partition_near_chromiums_bytes_is_flagged() {
        let framed = |name: &str, size: usize, top: &str| {
            let mut c = cookie(name, &"x".repeat(size), "none");
            c.secure = true;
            c.partition_key = Some(PartitionKey { top_level_site: Some(top.into()) });
            c
        };
        let near = |list: Vec<BrowserCookie>| {
            let r = audit_jar(&list, 0.0, &KeyOptions::default());
            r.findings.into_iter().filter(|f| f.code == Code::JarPartitionNearLimit).collect::<Vec<_>>()
        };
        // Two session chunks and a flag: 8,192 bytes of names and values under one top-level
        // site. A warning that names the chunks.
        let chunks = |top: &str| vec![framed("next-auth.session-token.0", 4066, top), framed("next-auth.session-token.1", 4070, top), framed("flag", 2, top)];
        let f = near(chunks("https://portal.test"));
        assert_eq!(f.len(), 1);
        assert_eq!((f[0].severity, f[0].title.as_str()), (Severity::Warning, "\"app.test\"'s Partitioned cookies under \"https://portal.test\" hold 8192 bytes, near Chromium's 10 KiB"));
        assert!(f[0].detail.contains("the sign-in cookies \"next-auth.session-token.0\", \"next-auth.session-token.1\""), "{}", f[0].detail);
        assert!(f[0].fix.contains("under 10 KiB"));
        // One byte less; the same cookies under two top-level sites (two partitions); the same
        // size unpartitioned: nothing.
        let mut less = chunks("https://portal.test");
        less[2].value.pop();
        assert!(near(less).is_empty());
        let mut split = chunks("https://portal.test");
        split[1].partition_key = Some(PartitionKey { top_level_site: Some("https://shop.test".into()) });
        assert!(near(split).is_empty());
        let unpartitioned = chunks("https://portal.test").into_iter().map(|mut c| { c.partition_key = None; c }).collect();
        assert!(near(unpartitioned).is_empty());
        // Without a sign-in cookie among them: a note.
        let f = near(vec![framed("prefs", 8192 - 5, "https://portal.test")]);
        assert_eq!(f[0].severity, Severity::Info);
    }

    /// 150 or more cookies for one site (subdomains and Domain cookies count together,
    /// partitioned ones apart): a warning when a sign-in cookie is among them, naming those
    /// without Secure as the first to go; a note otherwise; nothing at 149.
    #[test]
    fn a_site_near_its_cookie_limit_is_flagged() {
        let site = |n: usize, session: Option<bool>| {
            let mut list: Vec<BrowserCookie> = (0..n)
                .map(|i| {
                    let mut c = cookie(&format!("exp_{i}"), "1", "lax");
                    c.domain = if i % 2 == 0 { ".app.test".into() } else { format!("s{}.app.test", i % 3) };
                    c
                })
                .collect();
            if let Some(secure) = session {
                let mut c = cookie("session", "s", "lax");
                c.secure = secure;
                list.push(c);
            }
            let mut partitioned = cookie("exp_p", "1", "none");
            partitioned.partition_key = Some(PartitionKey { top_level_site: Some("https://other.test".into()) });
            list.push(partitioned);
            let mut elsewhere = cookie("session", "o", "lax");
            elsewhere.domain = "other.test".into();
            list.push(elsewhere);
            audit_jar(&list, 0.0, &KeyOptions::default())
        };
        let near = |r: &JarReport| r.findings.iter().filter(|f| f.code == Code::JarSiteNearLimit).cloned().collect::<Vec<_>>();
        assert!(near(&site(148, Some(true))).is_empty(), "149 with the session, the partitioned one apart");
        let f = near(&site(149, Some(true)));
        assert_eq!(f.len(), 1);
        assert_eq!((f[0].severity, f[0].title.as_str()), (Severity::Warning, "\"app.test\" holds 150 cookies, near the limit of 180"));
        assert!(f[0].detail.contains("The sign-in cookies (\"session\") are Secure"), "{}", f[0].detail);
        assert!(f[0].fix.contains("Priority=High"));
        let f = near(&site(160, Some(false)));
        assert!(f[0].detail.contains("The sign-in cookies without Secure (\"session\") go first."), "{}", f[0].detail);
        let f = near(&site(160, None));
        assert_eq!(f[0].severity, Severity::Info);
    }

    #[test]
    fn strict_session_cookie_is_flagged_but_a_lax_one_is_not() {
        let r = audit_jar(&[cookie("__Host-session", "x", "strict"), cookie("session", "y", "lax")], 0.0, &KeyOptions::default());
        assert_eq!(codes(&r.rows[0]), ["jar.samesite-strict-session"]);
        assert!(r.rows[1].findings.is_empty(), "{:?}", r.rows[1].findings);
        assert_eq!(r.rows[0].same_site, "Strict");
        assert_eq!(r.counts.warning, 1);
    }

    #[test]
    fn duplicates_chunks_and_size() {
        let mut other = cookie("sid", "b", "lax");
        other.domain = ".app.test".into();
        other.host_only = false;
        let big = "v".repeat(3700);
        let r = audit_jar(
            &[cookie("sid", "a", "lax"), other, cookie("next-auth.session-token.0", &big, "lax"), cookie("next-auth.session-token.1", "x", "lax")],
            0.0,
            &KeyOptions::default(),
        );
        assert_eq!(codes(&r.rows[0]), ["jar.duplicate-name"]);
        assert!(r.rows[0].findings[0].title.contains(".app.test/"), "{}", r.rows[0].findings[0].title);
        assert_eq!(codes(&r.rows[1]), ["jar.duplicate-name", "jar.domain-wide"]);
        // The chunks are joined and read as the server would: not a token, said once, on chunk 0.
        assert_eq!(codes(&r.rows[2]), ["jwt.malformed", "jar.near-size-limit", "session.chunks-reassembled"]);
        assert_eq!(codes(&r.rows[3]), Vec::<&str>::new(), "the set's findings are on its first chunk");
        assert_eq!((r.rows[2].token, r.rows[3].token), (Some(0), Some(0)));
        // A chunk set no framework reads is still said to be one.
        let r = audit_jar(&[cookie("prefs.0", "a", "lax"), cookie("prefs.1", "b", "lax")], 0.0, &KeyOptions::default());
        assert_eq!(codes(&r.rows[0]), ["jar.chunked"]);
    }

    #[test]
    fn tokens_in_values_are_analysed_once() {
        // {"alg":"HS256"}.{"sub":"1","exp":1763900000000}: exp in milliseconds.
        let t = "eyJhbGciOiJIUzI1NiJ9.eyJzdWIiOiIxIiwiZXhwIjoxNzYzOTAwMDAwMDAwfQ.c2ln";
        let r = audit_jar(&[cookie("access_token", t, "lax"), cookie("id", t, "lax")], 1_763_900_000.0, &KeyOptions::default());
        assert_eq!(r.tokens.len(), 1);
        assert_eq!((r.rows[0].token, r.rows[1].token), (Some(0), Some(0)));
        assert!(codes(&r.rows[0]).contains(&"jwt.exp-milliseconds"), "{:?}", codes(&r.rows[0]));
        assert!(r.rows[0].findings.iter().any(|f| f.location.starts_with("cookies[0].value → ")));
    }

    #[test]
    fn supabase_base64_cookie_is_opened() {
        use base64::Engine;
        let t = "eyJhbGciOiJIUzI1NiJ9.eyJzdWIiOiIxIiwiZXhwIjoxNzYzOTAwMDAwMDAwfQ.c2ln";
        let json = format!(r#"{{"access_token":"{t}","refresh_token":"r1"}}"#);
        let value = format!("base64-{}", base64::engine::general_purpose::URL_SAFE_NO_PAD.encode(json));
        let r = audit_jar(&[cookie("sb-abcd-auth-token", &value, "lax")], 1_763_900_000.0, &KeyOptions::default());
        assert_eq!(r.rows[0].token, Some(0));
        assert!(r.rows[0].findings.iter().any(|f| f.code.as_str() == "jwt.exp-milliseconds" && f.location.starts_with("cookies[0].value → ")), "{:?}", codes(&r.rows[0]));
    }
}
