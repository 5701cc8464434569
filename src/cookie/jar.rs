//! A cookie jar that carries state through a sequence of responses and requests: RFC 6265bis §5.7
//! (storing, replacing, deleting), §5.8 (retrieval, last-access time) and §6.1 (limits, eviction).
//!
//! The jar never reads the clock: every call takes `now` in seconds since the epoch. Expired
//! cookies are dropped lazily, whenever the jar is used at a later `now`.
//!
//! ## Deviations: where we follow Chromium rather than the spec
//! - Limits are the browsers' (the spec only sets minimums: 50 per domain, 3000 in all), each
//!   counted per registrable domain, least recently used evicted first:
//!   - Chromium (`CookieMonster::GarbageCollect`): past 180 cookies, down to 150, in six rounds
//!     (low-priority non-`Secure`, low `Secure`, medium non-`Secure`, high non-`Secure`, medium
//!     `Secure`, high `Secure`), each sparing the most recently used 30 low, 50 medium or 70
//!     high-priority cookies: a `Secure` or `Priority=High` session outlives the others.
//!   - Firefox (`CookieStorage::AddCookie`): when 180 are there and another comes, the oldest
//!     non-`Secure` ones go first (down to 150 with the new one); when all are `Secure`, a new
//!     `Secure` cookie evicts the oldest, and a new non-`Secure` one is not kept at all.
//!   - In all, past 3300 both go down to 3000, but never evict a cookie used in the last 30 days.
//!   - Both count a site's cookies per partition. Chromium keeps `Partitioned` cookies apart and
//!     allows a site at most 10 KiB of their names and values (and 180 of them) under each
//!     top-level site (`GarbageCollectPartitionedCookies`): past that, the least recently used go
//!     until both hold, whatever their priority.
//! - A cookie's last-access time moves only when the last move is a minute old (both browsers):
//!   the order of eviction within a sign-in is the order of creation.

use std::collections::HashMap;

use serde::Serialize;

use crate::cookie::parse::{parse_line, parse_set_cookie, Detail};
use crate::cookie::psl;
use crate::cookie::retrieval::{self, RetrievalOutcome, SentCookie, WithheldCookie};
use crate::cookie::parse::Priority;
use crate::cookie::site::{Browser, ResolvedRequest};
use crate::cookie::storage::{decide_line, StorageDecision, StorageOutcome, StoredCookie};
use crate::limits::{
    COOKIES_PER_DOMAIN_AFTER_PURGE, COOKIES_TOTAL_AFTER_PURGE, FIREFOX_COOKIES_PER_DOMAIN_AFTER_PURGE,
    FIREFOX_MAX_COOKIES_PER_DOMAIN, LAST_ACCESS_UPDATE_SECONDS, MAX_COOKIES_PER_DOMAIN, MAX_COOKIES_TOTAL,
    PARTITION_MAX_COOKIES, PARTITION_MAX_COOKIE_BYTES, PROTECTED_COOKIES_BY_PRIORITY, SAFE_FROM_GLOBAL_PURGE_DAYS,
};
use crate::time::DAY;

/// What to do when a site's cookies reach the browsers' limit (180 per registrable domain): the
/// fix of `flow.cookie-evicted` and `jar.site-near-limit`.
/// What to do when a site's `Partitioned` cookies pass Chromium's 10 KiB in one partition.
pub const PARTITION_LIMIT_FIX: &str = "Keep a site's Partitioned cookies under 10 KiB of names and values in each top-level site that embeds it: put a session id in the Partitioned cookie and the session itself on the server (NextAuth.js/Auth.js: the database session strategy), instead of a large token split into chunks (name.0, name.1…), and delete the chunks and other Partitioned cookies the app no longer needs.";

pub const LIMIT_FIX: &str = "Keep the site under 180 cookies: find what sets so many (chunks of an older, larger session left behind as name.1, name.2…, a cookie per page, experiment or tab, analytics on the same registrable domain) and stop it, give those cookies a short Max-Age, or move them to another site. Make the session cookie Secure (both browsers evict cookies without Secure first) and give it Priority=High (Chromium then spares it before the other cookies; Firefox ignores Priority).";

/// The browser's cookie store.
#[derive(Debug, Clone, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct CookieJar {
    /// Whether `set_cookie` writes findings (a report) or decisions only (a replay).
    #[serde(skip)]
    detail: Detail,
    cookies: Vec<StoredCookie>,
    #[serde(skip)]
    next_sequence: u64,
    /// Cookies evicted by the limits so far (name, domain), for reports.
    evicted: Vec<(String, String)>,
    /// Registrable domain of each cookie domain seen, so limits cost no repeated list lookups.
    #[serde(skip)]
    key_cache: HashMap<String, String>,
}

/// What [`CookieJar::set_cookie`] did.
#[derive(Debug, Clone, PartialEq, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct SetOutcome {
    #[serde(flatten)]
    pub storage: StorageOutcome,
    /// Whether a stored cookie with the same identity was replaced or deleted.
    pub replaced_existing: bool,
    /// Cookies evicted because a limit was passed when this one was added (name, domain). Under
    /// Firefox's rules this may be the new cookie itself.
    pub evicted: Vec<(String, String)>,
    /// Whether those were evicted under Chromium's limit for `Partitioned` cookies (10 KiB per
    /// site and partition) rather than the site's 180 cookies.
    #[serde(skip)]
    pub evicted_from_partition: bool,
}

/// The key Chromium counts per-domain limits under: the registrable domain, or the domain itself.
fn eviction_key(domain: &str) -> String {
    psl::registrable_domain(domain).unwrap_or_else(|| domain.to_string())
}

impl Default for CookieJar {
    fn default() -> CookieJar {
        CookieJar::with_detail(Detail::Report)
    }
}

impl CookieJar {
    /// A jar whose `set_cookie` outcomes carry findings.
    pub fn new() -> CookieJar {
        CookieJar::default()
    }

    /// A jar that writes down as much as `detail` asks: [`Detail::DecisionsOnly`] gives the same
    /// verdicts, reasons and stored cookies without any finding text (for replays).
    pub fn with_detail(detail: Detail) -> CookieJar {
        CookieJar { detail, cookies: Vec::new(), next_sequence: 0, evicted: Vec::new(), key_cache: HashMap::new() }
    }

    /// All stored cookies (including ones expired at a later `now` until the jar is next used).
    pub fn cookies(&self) -> &[StoredCookie] {
        &self.cookies
    }

    /// How many cookies were evicted by the limits so far.
    pub fn evicted(&self) -> &[(String, String)] {
        &self.evicted
    }

    /// Drops cookies expired at `now` (RFC 6265bis §5.7: "remove all expired cookies").
    pub fn purge_expired(&mut self, now: i64) {
        self.cookies.retain(|c| !c.is_expired(now));
    }

    /// Deletes every cookie of `host`'s site, as `Clear-Site-Data: "cookies"` in a response from
    /// it does (Clear Site Data §4.2.1: the cookies whose domain has the host's registrable
    /// domain, so subdomains' and the parent's too; a host without one, an IP address or
    /// `localhost`, clears its own). Returns the cookies deleted, in the jar's order.
    pub fn clear_site(&mut self, host: &str) -> Vec<StoredCookie> {
        let site = psl::registrable_domain(host);
        let of_site = |c: &StoredCookie| match &site {
            Some(site) => psl::registrable_domain_cow(c.domain()).is_some_and(|d| d == site.as_str()),
            None => c.domain().eq_ignore_ascii_case(host),
        };
        let (cleared, kept) = std::mem::take(&mut self.cookies).into_iter().partition(of_site);
        self.cookies = kept;
        cleared
    }

    /// Processes one `Set-Cookie` header value received in the response to `request` at `now`.
    pub fn set_cookie(&mut self, line: &str, request: &ResolvedRequest, now: i64) -> SetOutcome {
        self.set(line, request, now, true)
    }

    /// [`CookieJar::set_cookie`] for a caller that needs only the verdict: the cookie moves into
    /// the jar instead of being copied into the outcome too.
    pub fn store(&mut self, line: &str, request: &ResolvedRequest, now: i64) -> StorageDecision {
        self.set(line, request, now, false).storage.decision
    }

    fn set(&mut self, line: &str, request: &ResolvedRequest, now: i64, keep_cookie: bool) -> SetOutcome {
        self.purge_expired(now);
        let mut storage = match self.detail {
            Detail::DecisionsOnly => decide_line(&parse_line(line), request, &self.cookies, now, self.detail),
            Detail::Report => {
                let mut parsed = parse_set_cookie(line);
                let mut storage = decide_line(&parsed.line(), request, &self.cookies, now, self.detail);
                // The parser's findings come first, as they read in the line.
                parsed.findings.append(&mut storage.findings);
                storage.findings = parsed.findings;
                storage
            }
        };
        let mut replaced_existing = false;
        let mut evicted = Vec::new();
        let mut evicted_from_partition = false;
        if let (StorageDecision::Stored | StorageDecision::DeletesExisting, Some(cookie)) =
            (&storage.decision, storage.cookie.as_mut())
        {
            // §5.7 step 22: an old cookie with the same identity is replaced; the new one keeps
            // the old creation time (so its place in the Cookie header does not change).
            if let Some(index) = self.cookies.iter().position(|old| old.same_identity(cookie)) {
                let old = self.cookies.remove(index);
                cookie.creation = old.creation;
                cookie.sequence = old.sequence;
                replaced_existing = true;
            } else {
                cookie.sequence = self.next_sequence;
                self.next_sequence += 1;
            }
            if storage.decision == StorageDecision::Stored {
                let added = self.cookies.len();
                if keep_cookie {
                    self.cookies.push(cookie.clone());
                } else if let Some(cookie) = storage.cookie.take() {
                    self.cookies.push(cookie);
                }
                // (Most cookies pass no limit: the limits are looked at only when one may be
                // passed, out of line.)
                let partitioned = self.cookies.get(added).is_some_and(|c| c.partition_key.is_some());
                if partitioned || self.cookies.len() > MAX_COOKIES_PER_DOMAIN.min(FIREFOX_MAX_COOKIES_PER_DOMAIN) {
                    (evicted, evicted_from_partition) = self.enforce_limits(added, now, request.browser);
                }
            }
        }
        SetOutcome {
            storage,
            replaced_existing,
            evicted,
            evicted_from_partition,
        }
    }

    /// Which cookies `request` carries at `now` (and why others are withheld). Updates the
    /// last-access time of the cookies sent (§5.8.3 step 3).
    pub fn cookies_for_request(&mut self, request: &ResolvedRequest, now: i64) -> RetrievalOutcome {
        let mut withheld = Vec::new();
        let (header, sent) = self.retrieve(request, now, Some(&mut withheld), |sent| (retrieval::header(sent), sent.iter().map(SentCookie::from).collect()));
        RetrievalOutcome { header, sent, withheld }
    }

    /// [`CookieJar::cookies_for_request`] for a replay: calls `sent` with each cookie sent, in
    /// `Cookie` header order, and returns the cookies withheld. No header text and no copies of
    /// the sent cookies (whose values are the flow's session tokens) are made.
    pub fn names_for_request(&mut self, request: &ResolvedRequest, now: i64, mut sent: impl FnMut(&StoredCookie)) -> Vec<WithheldCookie> {
        let mut withheld = Vec::new();
        self.retrieve(request, now, Some(&mut withheld), |selected| selected.iter().for_each(|s| sent(s.cookie)));
        withheld
    }

    /// [`CookieJar::cookies_for_request`]'s `Cookie` header alone, without the lists.
    pub fn cookie_header(&mut self, request: &ResolvedRequest, now: i64) -> String {
        self.retrieve(request, now, None, retrieval::header)
    }

    /// RFC 6265bis §5.8.3, the one place the three requests above run it: expired cookies are
    /// purged, the cookies `request` carries are selected (the withheld ones collected when
    /// asked), `read` sees them in serialisation order, and then they get `now` as their
    /// last-access time (step 3).
    fn retrieve<R>(
        &mut self,
        request: &ResolvedRequest,
        now: i64,
        withheld: Option<&mut Vec<WithheldCookie>>,
        read: impl FnOnce(&[retrieval::Selected<'_>]) -> R,
    ) -> R {
        self.purge_expired(now);
        let selected = retrieval::select(&self.cookies, request, now, withheld);
        let result = read(&selected);
        let touched: Vec<usize> = selected.iter().map(|s| s.index).collect();
        for i in touched {
            if let Some(c) = self.cookies.get_mut(i) {
                // Chromium moves it when the last move is at least a minute old, Firefox when
                // it is more than a minute old.
                let age = now.saturating_sub(c.last_access);
                let stale = match request.browser {
                    Browser::Chromium => age >= LAST_ACCESS_UPDATE_SECONDS,
                    Browser::Firefox => age > LAST_ACCESS_UPDATE_SECONDS,
                };
                if stale {
                    c.last_access = now;
                }
            }
        }
        result
    }

    /// RFC 6265bis §6.1 with the browsers' numbers (see the module notes): per registrable
    /// domain (and partition), then in all, after the cookie at index `added` was stored. With
    /// whether the evictions were under Chromium's limit for a partition.
    #[inline(never)]
    fn enforce_limits(&mut self, added: usize, now: i64, browser: Browser) -> (Vec<(String, String)>, bool) {
        let mut evicted = Vec::new();
        let partition = self.cookies.get(added).and_then(|c| c.partition_key.clone());
        let from_partition = browser == Browser::Chromium && partition.is_some();
        // No domain can be over its limit while the whole jar is under it: skip the lookups.
        // (Chromium's limit for a partition is in bytes too: a few cookies can pass it.)
        if self.cookies.len() > MAX_COOKIES_PER_DOMAIN.min(FIREFOX_MAX_COOKIES_PER_DOMAIN) || from_partition {
            let domain = self.cookies.get(added).map(|c| c.domain().to_string()).unwrap_or_default();
            for c in &self.cookies {
                if !self.key_cache.contains_key(c.domain()) {
                    self.key_cache.insert(c.domain().to_string(), eviction_key(c.domain()));
                }
            }
            let key = self.key_cache.get(&domain).cloned().unwrap_or_else(|| eviction_key(&domain));
            let cache = &self.key_cache;
            // Both browsers count a site's cookies per partition: Chromium keeps Partitioned ones
            // in a store of their own, Firefox counts per origin attributes (its partition key).
            let same = |c: &StoredCookie| c.partition_key == partition && cache.get(c.domain()).is_some_and(|k| *k == key);
            // The site's cookies, least recently used first (then oldest, then first stored).
            let mut site: Vec<usize> = (0..self.cookies.len()).filter(|&i| self.cookies.get(i).is_some_and(same)).collect();
            if from_partition {
                self.least_recently_used_first(&mut site);
                let doomed = Self::chromium_partition_evictions(&self.cookies, &site);
                evicted.extend(self.remove_indices(doomed));
            } else if site.len() > MAX_COOKIES_PER_DOMAIN.min(FIREFOX_MAX_COOKIES_PER_DOMAIN) {
                // Both browsers act only past 180 with the new cookie (Firefox: 180 before it).
                self.least_recently_used_first(&mut site);
                let doomed = match browser {
                    Browser::Chromium => Self::chromium_evictions(&self.cookies, &site),
                    Browser::Firefox => Self::firefox_evictions(&self.cookies, &site, added),
                };
                evicted.extend(self.remove_indices(doomed));
            }
        }
        if self.cookies.len() > MAX_COOKIES_TOTAL {
            let remove = self.cookies.len() - COOKIES_TOTAL_AFTER_PURGE;
            let safe_since = now.saturating_sub(SAFE_FROM_GLOBAL_PURGE_DAYS * DAY);
            let mut old: Vec<usize> = (0..self.cookies.len())
                .filter(|&i| self.cookies.get(i).is_some_and(|c| c.last_access < safe_since))
                .collect();
            // Both browsers take the non-Secure ones first.
            self.least_recently_used_first(&mut old);
            crate::order::stable_sort_by_key(&mut old, |&i| self.cookies.get(i).map_or(1, |c| u64::from(c.secure)));
            old.truncate(remove);
            evicted.extend(self.remove_indices(old));
        }
        let from_partition = from_partition && !evicted.is_empty();
        (evicted, from_partition)
    }

    /// Chromium's limit for a site's `Partitioned` cookies under one top-level site
    /// (`GarbageCollectPartitionedCookies`): past 10 KiB of names and values, or past 180
    /// cookies, the least recently used go until both hold. `site` is least recently used
    /// first. Returns the indices to remove.
    fn chromium_partition_evictions(cookies: &[StoredCookie], site: &[usize]) -> Vec<usize> {
        let size = |i: &usize| cookies.get(*i).map_or(0, |c| c.name().len() + c.value().len());
        let mut bytes: usize = site.iter().map(size).sum();
        let mut count = site.len();
        let mut doomed = Vec::new();
        for i in site {
            if bytes <= PARTITION_MAX_COOKIE_BYTES && count <= PARTITION_MAX_COOKIES {
                break;
            }
            bytes -= size(i);
            count -= 1;
            doomed.push(*i);
        }
        doomed
    }

    /// Orders indices into the jar by last access, then by storing order (which is creation
    /// order: a replaced cookie keeps its creation time and its place).
    fn least_recently_used_first(&self, indices: &mut [usize]) {
        let cookie = |i: &usize| self.cookies.get(*i);
        crate::order::stable_sort_by_key(indices, |i| cookie(i).map_or(0, |c| c.sequence));
        // The i64 time, its sign bit flipped, orders as an u64.
        crate::order::stable_sort_by_key(indices, |i| cookie(i).map_or(0, |c| (c.last_access as u64) ^ (1 << 63)));
    }

    /// Chromium's per-domain purge (`GarbageCollect`, `PurgeLeastRecentMatches`): `site` is the
    /// domain's cookies, least recently used first. Past the limit, down to 150 in six rounds,
    /// each over one priority (and first only its non-`Secure` cookies), each sparing that
    /// priority's quota of most recently used cookies. Returns the indices to remove.
    fn chromium_evictions(cookies: &[StoredCookie], site: &[usize]) -> Vec<usize> {
        if site.len() <= MAX_COOKIES_PER_DOMAIN {
            return Vec::new();
        }
        let mut goal = site.len() - COOKIES_PER_DOMAIN_AFTER_PURGE;
        let mut left: Vec<usize> = site.to_vec();
        let mut doomed = Vec::with_capacity(goal);
        let rounds = [
            (Priority::Low, true),
            (Priority::Low, false),
            (Priority::Medium, true),
            (Priority::High, true),
            (Priority::Medium, false),
            (Priority::High, false),
        ];
        for (priority, spare_secure) in rounds {
            if goal == 0 {
                break;
            }
            let quota = PROTECTED_COOKIES_BY_PRIORITY.get(priority as usize).copied().unwrap_or(0);
            let of = |i: &usize| cookies.get(*i).filter(|c| c.priority == priority);
            let count = left.iter().filter_map(of).count();
            if count <= quota {
                continue;
            }
            let secure = left.iter().filter_map(of).filter(|c| c.secure).count();
            let mut may = if spare_secure { count.saturating_sub(secure.max(quota)) } else { count - quota };
            left.retain(|i| {
                let eligible = of(i).is_some_and(|c| !(spare_secure && c.secure));
                if eligible && may > 0 && goal > 0 {
                    may -= 1;
                    goal -= 1;
                    doomed.push(*i);
                    false
                } else {
                    true
                }
            });
        }
        doomed
    }

    /// Firefox's per-domain eviction (`CookieStorage::AddCookie`, `FindStaleCookies`): when the
    /// site already held 180 cookies before the one at `added`, its oldest non-`Secure` cookies
    /// go (up to 31, or more if it held more); when it has none, a `Secure` newcomer evicts the
    /// oldest `Secure` ones and a non-`Secure` newcomer is not kept. `site` is least recently
    /// used first. Returns the indices to remove.
    fn firefox_evictions(cookies: &[StoredCookie], site: &[usize], added: usize) -> Vec<usize> {
        let before = site.iter().filter(|&&i| i != added).count();
        if before < FIREFOX_MAX_COOKIES_PER_DOMAIN {
            return Vec::new();
        }
        let limit = FIREFOX_MAX_COOKIES_PER_DOMAIN - FIREFOX_COOKIES_PER_DOMAIN_AFTER_PURGE + (before + 1 - FIREFOX_MAX_COOKIES_PER_DOMAIN);
        let older = |secure_too: bool| -> Vec<usize> {
            site.iter()
                .copied()
                .filter(|&i| i != added && cookies.get(i).is_some_and(|c| secure_too || !c.secure))
                .take(limit)
                .collect()
        };
        let doomed = older(false);
        if !doomed.is_empty() {
            doomed
        } else if cookies.get(added).is_some_and(|c| c.secure) {
            older(true)
        } else {
            vec![added]
        }
    }

    /// Removes the cookies at `doomed` (distinct indices); returns them in `doomed`'s order (the
    /// order of eviction), as (name, domain).
    fn remove_indices(&mut self, mut doomed: Vec<usize>) -> Vec<(String, String)> {
        let out: Vec<(String, String)> =
            doomed.iter().filter_map(|&i| self.cookies.get(i)).map(|c| (c.name().to_string(), c.domain().to_string())).collect();
        // Highest index first, so each removal leaves the indices still to remove in place.
        crate::order::stable_sort_by_key(&mut doomed, |&i| !(i as u64));
        for i in doomed {
            if i < self.cookies.len() {
                self.cookies.remove(i);
            }
        }
        self.evicted.extend(out.iter().cloned());
        out
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::cookie::retrieval::CookieBlockedReason;
    use crate::cookie::site::RequestContext;

    const NOW: i64 = 1_800_000_000;

    fn resolve(ctx: RequestContext) -> ResolvedRequest {
        ResolvedRequest::resolve(&ctx).unwrap()
    }

    /// A decisions-only jar decides exactly as a reporting one, on every kind of line.
    #[test]
    fn decisions_only_decides_the_same() {
        let lines = [
            "a=1; Path=/; Secure; HttpOnly; SameSite=Strict; Max-Age=60",
            "b=2; Domain=example.com; Expires=Wed, 21 Oct 2099 07:28:00 GMT",
            "c=3; Domain=co.uk",
            "__Host-d=4; Path=/api",
            "__Secure-e=5",
            "f=6; SameSite=None",
            "g=7; samesite=lax; unknown=1; path=/x; path=/",
            "h=8; Expires=Wed, 99 Foo 99999",
            "noequals",
            "=",
            "i=\u{1}bad",
            "a=; Max-Age=0; Path=/",
            "j=9; Partitioned; Secure",
        ];
        let https = resolve(RequestContext::navigation("https://app.example.com/cb"));
        let http = resolve(RequestContext::navigation("http://app.example.com/cb"));
        let cross = resolve(RequestContext { initiator: Some("https://idp.test".into()), ..RequestContext::navigation("https://app.example.com/next") });
        let mut full = CookieJar::new();
        let mut lean = CookieJar::with_detail(Detail::DecisionsOnly);
        for (n, line) in lines.iter().enumerate() {
            for r in [&https, &http] {
                let a = full.set_cookie(line, r, NOW + n as i64);
                let b = lean.set_cookie(line, r, NOW + n as i64);
                assert_eq!(a.storage.decision, b.storage.decision, "{line}");
                assert_eq!(a.storage.cookie, b.storage.cookie, "{line}");
                assert_eq!(a.storage.explained, b.storage.explained, "{line}");
                assert!(b.storage.findings.is_empty(), "{line}");
            }
        }
        for r in [&https, &http, &cross] {
            assert_eq!(full.cookies_for_request(r, NOW + 99), lean.cookies_for_request(r, NOW + 99));
        }
    }

    /// Clear-Site-Data's cookies: every cookie of the registrable domain (the parent's and the
    /// subdomains'), none of another site; a host without a registrable domain clears its own.
    #[test]
    fn clear_site_takes_the_whole_registrable_domain() {
        let mut jar = CookieJar::new();
        for (url, line) in [
            ("https://app.example.com/", "host=1"),
            ("https://app.example.com/", "parent=1; Domain=example.com"),
            ("https://api.example.com/", "sibling=1"),
            ("https://example.org/", "other=1"),
            ("https://example.com.evil.test/", "lookalike=1"),
            ("http://127.0.0.1:3000/", "ip=1"),
            ("http://localhost:3000/", "local=1"),
        ] {
            assert_eq!(jar.store(line, &resolve(RequestContext::navigation(url)), NOW), StorageDecision::Stored, "{line}");
        }
        let names = |cookies: &[StoredCookie]| cookies.iter().map(|c| c.name().to_string()).collect::<Vec<_>>();
        assert_eq!(names(&jar.clear_site("app.example.com")), ["host", "parent", "sibling"]);
        assert_eq!(names(jar.cookies()), ["other", "lookalike", "ip", "local"]);
        assert_eq!(names(&jar.clear_site("127.0.0.1")), ["ip"]);
        assert_eq!(names(&jar.clear_site("localhost")), ["local"]);
        assert!(jar.clear_site("nothing.test").is_empty());
        assert_eq!(names(jar.cookies()), ["other", "lookalike"]);
    }

    #[test]
    fn replace_keeps_creation_and_delete_removes() {
        let r = resolve(RequestContext::navigation("https://app.example.com/"));
        let mut jar = CookieJar::new();
        jar.set_cookie("a=1; Path=/", &r, NOW);
        jar.set_cookie("b=1; Path=/", &r, NOW + 1);
        let out = jar.set_cookie("a=2; Path=/", &r, NOW + 2);
        assert!(out.replaced_existing);
        assert_eq!(jar.cookies_for_request(&r, NOW + 3).header, "a=2; b=1");
        let out = jar.set_cookie("a=; Max-Age=0; Path=/", &r, NOW + 4);
        assert_eq!(out.storage.decision, StorageDecision::DeletesExisting);
        assert!(out.replaced_existing);
        assert_eq!(jar.cookies_for_request(&r, NOW + 5).header, "b=1");
    }

    #[test]
    fn expiry_is_against_given_now() {
        let r = resolve(RequestContext::navigation("https://app.example.com/"));
        let mut jar = CookieJar::new();
        jar.set_cookie("a=1; Max-Age=60", &r, NOW);
        assert_eq!(jar.cookies_for_request(&r, NOW + 59).header, "a=1");
        assert_eq!(jar.cookies_for_request(&r, NOW + 60).header, "");
        assert!(jar.cookies().is_empty());
    }

    #[test]
    fn per_domain_eviction() {
        let r = resolve(RequestContext::navigation("https://app.example.com/"));
        let mut jar = CookieJar::new();
        jar.set_cookie("keep=1; Secure", &r, NOW);
        for i in 0..MAX_COOKIES_PER_DOMAIN {
            jar.set_cookie(&format!("c{i}=v"), &r, NOW + 1 + i as i64);
        }
        assert_eq!(jar.cookies().len(), COOKIES_PER_DOMAIN_AFTER_PURGE);
        assert_eq!(
            jar.evicted().len(),
            MAX_COOKIES_PER_DOMAIN + 1 - COOKIES_PER_DOMAIN_AFTER_PURGE
        );
        // The Secure cookie survives although it is the oldest; the oldest insecure ones go.
        assert!(jar.cookies().iter().any(|c| c.name() == "keep"));
        assert!(!jar.cookies().iter().any(|c| c.name() == "c0"));
        assert!(jar.cookies().iter().any(|c| c.name() == "c179"));
        // Another registrable domain is not affected.
        let other = resolve(RequestContext::navigation("https://other.example.org/"));
        jar.set_cookie("x=1", &other, NOW + 1000);
        assert_eq!(jar.cookies().len(), COOKIES_PER_DOMAIN_AFTER_PURGE + 1);
    }

    /// The whole jar's limit spares cookies used in the last 30 days: only the old ones go,
    /// non-Secure first.
    #[test]
    fn total_eviction() {
        let mut jar = CookieJar::new();
        let mut t = NOW - 60 * DAY;
        for d in 0..20 {
            if d == 10 {
                t = NOW;
            }
            let r = resolve(RequestContext::navigation(&format!("https://s{d}.example{d}.com/")));
            for i in 0..170 {
                t += 1;
                let secure = if d == 0 && i < 5 { "; Secure" } else { "" };
                jar.set_cookie(&format!("c{i}=v{secure}"), &r, t);
            }
        }
        // Past 3300 (at the 3301st), 301 went: every later cookie fitted under the limit.
        assert_eq!(jar.cookies().len(), 20 * 170 - 301);
        let kept = |domain: &str, name: &str| jar.cookies().iter().any(|c| c.domain() == domain && c.name() == name);
        assert!(!kept("s0.example0.com", "c5") && !kept("s1.example1.com", "c135"), "the oldest non-Secure cookies go");
        assert!(kept("s1.example1.com", "c136"));
        assert!(kept("s0.example0.com", "c0"), "a Secure one outlives newer non-Secure ones");
        assert!(kept("s19.example19.com", "c0") && kept("s10.example10.com", "c0"), "recent cookies stay");
        // All recent: nothing is evicted, although the jar is past its limit.
        let mut recent = CookieJar::new();
        for d in 0..20 {
            let r = resolve(RequestContext::navigation(&format!("https://s{d}.example{d}.com/")));
            for i in 0..170 {
                recent.set_cookie(&format!("c{i}=v"), &r, NOW + d);
            }
        }
        assert_eq!(recent.cookies().len(), 20 * 170);
    }

    /// Stores `count` cookies named `prefix0`, `prefix1`, … with `attrs`, a second apart after
    /// `t`, for each line; returns the last time.
    fn site_with(jar: &mut CookieJar, r: &ResolvedRequest, lines: &[(&str, &str, usize)], mut t: i64) -> i64 {
        for (prefix, attrs, count) in lines {
            for i in 0..*count {
                t += 1;
                jar.set_cookie(&format!("{prefix}{i}=v{attrs}"), r, t);
            }
        }
        t
    }

    /// Chromium's six rounds: with every cookie Secure, the oldest go, a session among them,
    /// unless it has `Priority=High`; low-priority cookies go before medium ones; a
    /// `Priority` value other than low/medium/high is medium.
    #[test]
    fn chromium_priorities_and_secure_cookies() {
        let r = resolve(RequestContext::navigation("https://app.example.com/"));
        let names = |jar: &CookieJar| jar.cookies().iter().map(|c| c.name().to_string()).collect::<Vec<_>>();
        for (attrs, survives) in [("; Secure", false), ("; Secure; Priority=High", true), ("; Secure; priority=HIGH", true), ("; Secure; Priority=Urgent", false), ("", false)] {
            let mut jar = CookieJar::new();
            jar.set_cookie(&format!("session=s{attrs}"), &r, NOW);
            site_with(&mut jar, &r, &[("s", "; Secure", MAX_COOKIES_PER_DOMAIN)], NOW);
            assert_eq!(jar.cookies().len(), COOKIES_PER_DOMAIN_AFTER_PURGE, "{attrs}");
            assert_eq!(names(&jar).contains(&"session".to_string()), survives, "{attrs}");
        }
        // 40 low-priority cookies, the newest: 10 go (the low quota spares 30), then the oldest
        // medium ones make up the 31.
        let mut jar = CookieJar::new();
        let t = site_with(&mut jar, &r, &[("m", "", 141)], NOW);
        site_with(&mut jar, &r, &[("low", "; Priority=Low", 40)], t);
        assert_eq!(jar.cookies().len(), COOKIES_PER_DOMAIN_AFTER_PURGE);
        let low = jar.cookies().iter().filter(|c| c.priority == Priority::Low).count();
        assert_eq!(low, 30);
        let n = names(&jar);
        assert!(!n.contains(&"low9".to_string()) && n.contains(&"low10".to_string()), "{n:?}");
        assert!(!n.contains(&"m20".to_string()) && n.contains(&"m21".to_string()), "{n:?}");
        // Medium cookies, a few non-Secure among many Secure: the non-Secure go first, then
        // the oldest Secure ones.
        let mut jar = CookieJar::new();
        let t = site_with(&mut jar, &r, &[("s", "; Secure", 170)], NOW);
        site_with(&mut jar, &r, &[("plain", "", 11)], t);
        assert_eq!(jar.cookies().len(), COOKIES_PER_DOMAIN_AFTER_PURGE);
        assert!(jar.cookies().iter().all(|c| c.secure));
        let n = names(&jar);
        assert!(!n.contains(&"s19".to_string()) && n.contains(&"s20".to_string()), "{n:?}");
    }

    /// Chromium's limit for `Partitioned` cookies: per site and top-level site, 10 KiB of names
    /// and values (the least recently used go until they fit, priorities aside) and 180 cookies.
    /// They count apart from the site's other cookies, and Firefox has no byte limit.
    #[test]
    fn chromium_partition_limits() {
        let framed = |browser: Browser| {
            resolve(RequestContext {
                url: "https://app.example/embed".into(),
                kind: crate::cookie::site::RequestKind::Iframe,
                top_level_url: Some("https://portal.example/course".into()),
                browser,
                ..RequestContext::default()
            })
        };
        let top = resolve(RequestContext::navigation("https://app.example/"));
        let chunk = |n: usize, size: usize| format!("s.{n}={}; Secure; SameSite=None; Partitioned; Path=/", "x".repeat(size));
        let names = |jar: &CookieJar| jar.cookies().iter().map(|c| c.name().to_string()).collect::<Vec<_>>();
        // 3 × 3,900 bytes: the first chunk goes as the third is stored, in a frame and at the
        // top level alike (both are partitions); 10,240 bytes exactly stay.
        for r in [framed(Browser::Chromium), top.clone()] {
            let mut jar = CookieJar::new();
            jar.set_cookie(&chunk(0, 3900), &r, NOW);
            jar.set_cookie(&chunk(1, 3900), &r, NOW);
            let third = jar.set_cookie(&chunk(2, 3900), &r, NOW);
            assert_eq!((third.evicted.len(), third.evicted_from_partition), (1, true));
            assert_eq!(names(&jar), ["s.1", "s.2"]);
        }
        let mut jar = CookieJar::new();
        jar.set_cookie(&chunk(0, 5117), &framed(Browser::Chromium), NOW);
        let last = jar.set_cookie(&chunk(1, 5117), &framed(Browser::Chromium), NOW);
        assert!(last.evicted.is_empty(), "2 × (3 + 5,117) = 10,240 bytes");
        // Priority aside, the least recently used go: a cookie sent a minute later is recent.
        let r = framed(Browser::Chromium);
        let mut jar = CookieJar::new();
        jar.set_cookie(&format!("{}; Priority=High", chunk(0, 3900)), &r, NOW);
        jar.set_cookie(&chunk(1, 3900), &r, NOW);
        jar.set_cookie(&chunk(2, 3900), &r, NOW);
        assert_eq!(names(&jar), ["s.1", "s.2"]);
        let mut jar = CookieJar::new();
        jar.set_cookie(&chunk(0, 3900), &r, NOW);
        jar.set_cookie(&chunk(1, 3900).replace("Path=/", "Path=/api"), &r, NOW);
        jar.cookie_header(&r, NOW + 60);
        jar.set_cookie(&chunk(2, 3900), &r, NOW + 61);
        assert_eq!(names(&jar), ["s.0", "s.2"]);
        // Another top-level site is another partition: each keeps its own.
        let mut jar = CookieJar::new();
        let other = resolve(RequestContext {
            url: "https://app.example/embed".into(),
            kind: crate::cookie::site::RequestKind::Iframe,
            top_level_url: Some("https://shop.example/".into()),
            ..RequestContext::default()
        });
        jar.set_cookie(&chunk(0, 3900), &r, NOW);
        jar.set_cookie(&chunk(1, 3900), &r, NOW);
        jar.set_cookie(&chunk(0, 3900), &other, NOW);
        jar.set_cookie(&chunk(1, 3900), &other, NOW);
        assert_eq!(jar.cookies().len(), 4);
        // 181 small Partitioned cookies: the oldest goes. 180 unpartitioned ones besides do not
        // count: no eviction among them.
        let mut jar = CookieJar::new();
        let t = site_with(&mut jar, &top, &[("u", "; Secure", MAX_COOKIES_PER_DOMAIN)], NOW);
        site_with(&mut jar, &top, &[("p", "; Secure; Partitioned", PARTITION_MAX_COOKIES + 1)], t);
        assert_eq!(jar.cookies().len(), MAX_COOKIES_PER_DOMAIN + PARTITION_MAX_COOKIES);
        assert!(!names(&jar).contains(&"p0".to_string()) && names(&jar).contains(&"u0".to_string()));
        // Firefox: no byte limit.
        let mut jar = CookieJar::new();
        for n in 0..3 {
            jar.set_cookie(&chunk(n, 3900), &framed(Browser::Firefox), NOW);
        }
        assert_eq!(jar.cookies().len(), 3);
    }

    /// Firefox's eviction: when 180 are there and another comes, 31 of the oldest non-Secure
    /// go; with only Secure ones there, a Secure newcomer evicts Secure ones and a non-Secure
    /// newcomer is not kept; a used cookie (more than a minute later) counts as recent.
    #[test]
    fn firefox_eviction() {
        let mut ctx = RequestContext::navigation("https://app.example.com/");
        ctx.browser = Browser::Firefox;
        let r = resolve(ctx);
        let secure = |jar: &CookieJar| jar.cookies().iter().filter(|c| c.secure).count();
        // One non-Secure cookie among 179 Secure: only it goes.
        let mut jar = CookieJar::new();
        let t = site_with(&mut jar, &r, &[("plain", "", 1), ("s", "; Secure", 179)], NOW);
        let out = jar.set_cookie("new=1; Secure", &r, t + 1);
        assert_eq!(out.evicted, vec![("plain0".to_string(), "app.example.com".to_string())]);
        assert_eq!((jar.cookies().len(), secure(&jar)), (180, 180));
        // Only Secure ones: a non-Secure newcomer is not kept, a Secure one evicts 31.
        let out = jar.set_cookie("plain=1", &r, t + 2);
        assert_eq!(out.evicted, vec![("plain".to_string(), "app.example.com".to_string())]);
        assert_eq!(jar.cookies().len(), 180);
        let out = jar.set_cookie("late=1; Secure", &r, t + 3);
        assert_eq!(out.evicted.len(), 31);
        assert_eq!(jar.cookies().len(), FIREFOX_COOKIES_PER_DOMAIN_AFTER_PURGE);
        // Priority means nothing to Firefox: the oldest goes, High or not.
        let mut jar = CookieJar::new();
        jar.set_cookie("session=s; Secure; Priority=High", &r, NOW);
        site_with(&mut jar, &r, &[("a", "; Secure", 180)], NOW);
        assert!(!jar.cookies().iter().any(|c| c.name() == "session"));
    }

    /// A cookie's last access moves only when the last move is a minute old (Chromium: at least,
    /// Firefox: more than): the session sent 30 s after its creation is still the least recently
    /// used.
    #[test]
    fn last_access_moves_once_a_minute() {
        for (browser, first_move) in [(Browser::Chromium, 60), (Browser::Firefox, 61)] {
            let mut ctx = RequestContext::navigation("https://app.example.com/");
            ctx.browser = browser;
            let r = resolve(ctx);
            let mut jar = CookieJar::new();
            jar.set_cookie("session=s; Secure", &r, NOW);
            let last_access = |jar: &CookieJar| jar.cookies().first().map(|c| c.last_access);
            for (at, expected) in [(30, 0), (first_move - 1, 0), (first_move, first_move), (2 * first_move - 1, first_move)] {
                jar.cookies_for_request(&r, NOW + at);
                assert_eq!(last_access(&jar), Some(NOW + expected), "{browser:?} at +{at} s");
            }
        }
    }

    /// Chromium 156: after a cross-site form POST at an identity provider and a 302 back, a
    /// `SameSite=Strict` cookie is withheld on `/callback` AND on the following `/dashboard` hop,
    /// while a Lax one is sent on both (top-level GET after the 302).
    #[test]
    fn oauth_redirect_chain() {
        let mut jar = CookieJar::new();
        let app = resolve(RequestContext::navigation("https://app.example.com/"));
        jar.set_cookie("strict=1; Secure; HttpOnly; SameSite=Strict; Path=/", &app, NOW);
        jar.set_cookie("lax=1; Secure; HttpOnly; SameSite=Lax; Path=/", &app, NOW);
        let idp = "https://login.idp.example.net/authorize";
        let callback = resolve(RequestContext {
            url: "https://app.example.com/callback?code=x".into(),
            method: "GET".into(),
            initiator: Some("https://login.idp.example.net".into()),
            redirect_chain: vec![idp.into()],
            ..RequestContext::default()
        });
        let out = jar.cookies_for_request(&callback, NOW + 30);
        assert_eq!(out.header, "lax=1");
        assert_eq!(out.withheld[0].reason_list(), vec![CookieBlockedReason::SchemefulSameSiteStrict]);
        // The callback sets a fresh Strict session cookie: allowed on a top-level navigation response.
        let set = jar.set_cookie(
            "session=new; Secure; HttpOnly; SameSite=Strict; Path=/",
            &callback,
            NOW + 31,
        );
        assert_eq!(set.storage.decision, StorageDecision::Stored);
        // /callback answers 302 → /dashboard: same chain, so still at most Lax.
        let dashboard = resolve(RequestContext {
            url: "https://app.example.com/dashboard".into(),
            initiator: Some("https://login.idp.example.net".into()),
            redirect_chain: vec![idp.into(), "https://app.example.com/callback?code=x".into()],
            ..RequestContext::default()
        });
        let out = jar.cookies_for_request(&dashboard, NOW + 32);
        assert_eq!(out.header, "lax=1");
        let withheld: Vec<&str> = out.withheld.iter().map(|w| w.name.as_str()).collect();
        assert_eq!(withheld, vec!["strict", "session"]);
        // A fresh navigation by the user afterwards sends everything.
        let later = jar.cookies_for_request(
            &resolve(RequestContext::navigation("https://app.example.com/dashboard")),
            NOW + 40,
        );
        assert_eq!(later.sent.len(), 3);
    }

    #[test]
    fn form_post_from_idp_and_lax_allowing_unsafe() {
        let mut jar = CookieJar::new();
        let app = resolve(RequestContext::navigation("https://app.example.com/login"));
        jar.set_cookie("nonce=1; Secure; Path=/", &app, NOW);
        jar.set_cookie("lax=1; Secure; SameSite=Lax; Path=/", &app, NOW);
        let post = resolve(RequestContext {
            url: "https://app.example.com/callback".into(),
            method: "POST".into(),
            initiator: Some("https://login.idp.example.net".into()),
            redirect_chain: vec!["https://login.idp.example.net/authorize".into()],
            ..RequestContext::default()
        });
        let soon = jar.cookies_for_request(&post, NOW + 60);
        assert_eq!(soon.header, "nonce=1");
        assert!(soon.sent[0].lax_allowing_unsafe);
        let late = jar.cookies_for_request(&post, NOW + 180);
        assert_eq!(late.header, "");
        assert_eq!(late.withheld.len(), 2);
    }
}
