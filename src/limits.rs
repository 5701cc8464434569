//! Every size and depth limit of the core, in one place.
//!
//! Inputs come from sites the user does not control; each limit has a finding that says clearly
//! when it was hit, so a huge input gives a report, never a hang or an out-of-memory abort.

/// The longest token input (after trimming) analysed, in bytes. Real tokens are a few KiB;
/// browsers cap a cookie at 4096 bytes and most servers cap a header line at 8–16 KiB.
pub const MAX_TOKEN_INPUT_BYTES: usize = 256 * 1024;

/// How deep JSON in a token header or payload may nest. serde_json stops at 128 levels itself;
/// this is the same number, named so reports can quote it.
pub const MAX_JSON_DEPTH: usize = 128;

/// The browser's limit on a cookie's name plus value, in bytes (RFC 6265bis §5.6 step 5).
pub const MAX_COOKIE_NAME_VALUE_BYTES: usize = 4096;

/// How many characters of untrusted text a message quotes before cutting it.
pub const MAX_QUOTE_CHARS: usize = 80;

/// The longest attribute value a browser keeps; a longer `Domain=`/`Path=`/… is ignored
/// (RFC 6265bis §5.6 step "If the attribute-value is longer than 1024 octets").
pub const MAX_COOKIE_ATTRIBUTE_VALUE_BYTES: usize = 1024;

/// The longest a cookie may live: expiry dates further out are cut to this many days
/// from creation (RFC 6265bis §5.6.1 / §5.6.2, "400 days").
pub const MAX_COOKIE_AGE_DAYS: i64 = 400;

/// Chromium keeps at most this many cookies per registrable domain before evicting
/// (`CookieMonster::kDomainMaxCookies`); RFC 6265bis §6.1 asks for at least 50.
pub const MAX_COOKIES_PER_DOMAIN: usize = 180;

/// When a domain goes over [`MAX_COOKIES_PER_DOMAIN`], Chromium evicts down to this many
/// (`kDomainMaxCookies - kDomainPurgeCookies`).
pub const COOKIES_PER_DOMAIN_AFTER_PURGE: usize = 150;

/// How many of a registrable domain's cookies of each `Priority` (low, medium, high) Chromium
/// protects from eviction, the most recently used first (`kDomainCookiesQuotaLow`, `…Medium`,
/// and `…High`: what is left of the 150 after the other two).
pub const PROTECTED_COOKIES_BY_PRIORITY: [usize; 3] = [30, 50, 70];

/// Firefox evicts when a registrable domain already holds this many cookies and another comes
/// (`network.cookie.maxPerHost`), down to [`FIREFOX_COOKIES_PER_DOMAIN_AFTER_PURGE`] with the
/// new one (`network.cookie.quotaPerHost`, 150).
pub const FIREFOX_MAX_COOKIES_PER_DOMAIN: usize = 180;
/// See [`FIREFOX_MAX_COOKIES_PER_DOMAIN`].
pub const FIREFOX_COOKIES_PER_DOMAIN_AFTER_PURGE: usize = 150;

/// Chromium keeps a site's `Partitioned` cookies apart from its others, per partition (the
/// top-level site), and there at most this many bytes of names and values
/// (`CookieMonster::kPerPartitionDomainMaxCookieBytes`, 10 KiB) …
pub const PARTITION_MAX_COOKIE_BYTES: usize = 10_240;
/// … and at most this many cookies (`kPerPartitionDomainMaxCookies`); past either, it evicts the
/// least recently used until both hold again.
pub const PARTITION_MAX_COOKIES: usize = 180;

/// Both browsers update a cookie's last-access time when it is used only if the last update is
/// at least this old (Chromium's `kDefaultAccessUpdateThresholdSeconds`, Firefox's
/// `network.cookie.staleThreshold`): within a sign-in, a cookie keeps its creation time.
pub const LAST_ACCESS_UPDATE_SECONDS: i64 = 60;

/// Cookies used within this many days are safe from the whole jar's limit in both browsers
/// (Chromium's `kSafeFromGlobalPurgeDays`, Firefox's `network.cookie.purgeAge`).
pub const SAFE_FROM_GLOBAL_PURGE_DAYS: i64 = 30;

/// A sign-in cookie that lives this many seconds or less was most likely given its lifetime in
/// the wrong unit (a framework's `maxAge` in milliseconds, written as if in seconds).
pub const SHORT_SESSION_SECONDS: i64 = 600;

/// Chromium keeps at most this many cookies in the whole jar (`CookieMonster::kMaxCookies`);
/// RFC 6265bis §6.1 asks for at least 3000.
pub const MAX_COOKIES_TOTAL: usize = 3300;

/// When the jar goes over [`MAX_COOKIES_TOTAL`], Chromium evicts down to this many
/// (`kMaxCookies - kPurgeCookies`).
pub const COOKIES_TOTAL_AFTER_PURGE: usize = 3000;

/// How many attributes of one `Set-Cookie` line are listed one by one in a report; the rest
/// are still parsed (last one wins) but only counted, so a hostile line cannot make the report huge.
pub const MAX_COOKIE_ATTRIBUTES_LISTED: usize = 64;

/// How many `Set-Cookie` lines one call analyses; the rest are reported as cut.
pub const MAX_SET_COOKIE_LINES: usize = 1000;

/// Chromium's "Lax-allowing-unsafe" window: a cookie without `SameSite` younger than this many
/// seconds is still sent on a cross-site top-level POST (RFC 6265bis §5.8.3, "2 minutes").
pub const LAX_ALLOWING_UNSAFE_SECONDS: i64 = 120;

/// The largest HAR file read, in bytes. A recorded sign-in is usually under 10 MB; this leaves room
/// for long sessions while keeping the wasm instance's memory (about twice the file) bounded.
pub const MAX_HAR_BYTES: usize = 256 * 1024 * 1024;

/// The most HAR entries read; the rest are counted and skipped.
pub const MAX_HAR_ENTRIES: usize = 100_000;

/// The most distinct tokens analysed in one flow; later ones are not analysed.
pub const MAX_FLOW_TOKENS: usize = 1_000;

/// Response bodies larger than this (as raw JSON text) are not scanned for tokens.
pub const MAX_BODY_SCAN_BYTES: usize = 256 * 1024;

/// How many prediction/recording disagreements are listed as findings (all stay in the entries).
pub const MAX_FLOW_MISMATCH_FINDINGS: usize = 10;

/// Cookies of the browser's store read by the jar audit; a store holds at most 3,300
/// ([`MAX_COOKIES_TOTAL`]) in Chromium, so more is not a browser's list.
pub const MAX_JAR_COOKIES: usize = 5_000;

/// Web storage entries read, and the bytes of one value scanned for tokens (a value this large
/// is not a session; browsers allow ~5 MB per origin).
pub const MAX_STORAGE_ITEMS: usize = 2_000;
pub const MAX_STORAGE_VALUE_BYTES: usize = 256 * 1024;

/// Candidate secrets tried on an encrypted token (secret rotation keeps two or three); more are
/// ignored, so a pasted list cannot make decryption slow.
pub const MAX_SECRETS: usize = 16;

/// Candidate keys actually decrypted with, per token (each costs one pass over the ciphertext).
/// When the header's `kid` names the key, only that one is tried.
pub const MAX_JWE_DECRYPT_ATTEMPTS: usize = 64;

/// Cookie names tried as Auth.js's HKDF salt: the given one, the token's cookie, the four defaults.
pub const MAX_SALT_CANDIDATES: usize = 8;

/// The highest chunk number read in a split session cookie (`name.0` … `name.N`); NextAuth.js
/// and Auth.js split a 4 KB-per-cookie value, so real sets have a handful.
pub const MAX_COOKIE_CHUNK_INDEX: u32 = 999;

/// Session cookies (split sets and Supabase cookies) read from one Cookie header; a browser sends
/// one or two, so more are ignored.
pub const MAX_SESSION_COOKIES: usize = 16;

/// The longest text of one public key (a JWK, a JWK Set or PEM) read, in bytes. An issuer's JWKS
/// with its certificate chains is a few tens of KiB.
pub const MAX_PUBLIC_KEY_TEXT_BYTES: usize = 256 * 1024;

/// Public keys read for one token, over every JWK Set and PEM bundle given; the rest are ignored,
/// so a pasted list cannot make verification slow.
pub const MAX_PUBLIC_KEYS: usize = 64;

/// The largest RSA modulus read, in bits. Issuers use 2048–4096; verifying with a larger key is
/// still fast (the public exponent is small: at most 2³³ − 1, checked when the key is read).
pub const MAX_RSA_MODULUS_BITS: usize = 8192;

/// The longest start of `text` of at most `max` bytes that ends on a character boundary: where a
/// scan of untrusted text stops.
pub fn head(text: &str, max: usize) -> &str {
    let end = (0..=text.len().min(max)).rev().find(|&i| text.is_char_boundary(i)).unwrap_or(0);
    text.get(..end).unwrap_or("")
}

#[cfg(test)]
mod tests {
    #[test]
    fn head_ends_on_a_character_boundary() {
        assert_eq!(super::head("abcdef", 4), "abcd");
        assert_eq!(super::head("abc", 10), "abc");
        assert_eq!(super::head("aé", 2), "a", "é is two bytes");
        assert_eq!(super::head("", 3), "");
    }
}
