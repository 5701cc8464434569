//! The one finding type: everything the analysis has to say about an input.
//!
//! A problem in the *analysed input* (a token, a `Set-Cookie` line, a HAR file) is never an `Err`:
//! it is a [`Finding`] with a stable dotted [`Code`], a [`Severity`], a plain-English title and
//! detail, the spec section it rests on, a concrete fix and where in the input it applies.
//! `Err` is kept for misuse by the caller.
//!
//! Codes are part of the public contract (CI scripts match on them): a code is never renamed or
//! reused. `tests` at the bottom pins the full list.

use serde::Serialize;

/// How bad a finding is. Ordered: `Error` sorts first.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize)]
#[serde(rename_all = "lowercase")]
pub enum Severity {
    /// The session breaks (or the token is rejected) because of this.
    Error,
    /// Works now, but is fragile, insecure or about to break.
    Warning,
    /// Worth knowing; nothing is wrong.
    Info,
}

impl Severity {
    /// The lower-case name used in reports: `error`, `warning`, `info`.
    pub fn as_str(self) -> &'static str {
        match self {
            Severity::Error => "error",
            Severity::Warning => "warning",
            Severity::Info => "info",
        }
    }
}

macro_rules! codes {
    ($($(#[$doc:meta])* $variant:ident => $text:literal,)*) => {
        /// A stable finding code. `as_str()` is the text reports carry; never rename one.
        #[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
        pub enum Code {
            $($(#[$doc])* $variant,)*
        }

        impl Code {
            /// Every code, in declaration order.
            pub const ALL: &'static [Code] = &[$(Code::$variant,)*];

            /// The dotted code text, e.g. `jwt.exp-milliseconds`.
            pub fn as_str(self) -> &'static str {
                match self {
                    $(Code::$variant => $text,)*
                }
            }
        }
    };
}

codes! {
    // ---- Token analysis (src/jose/) ----
    /// The input is not a decodable JWS/JWE (wrong number of parts, bad base64url, bad JSON, too large).
    JwtMalformed => "jwt.malformed",
    /// `alg: none`: an unsigned token.
    JwtAlgNone => "jwt.alg-none",
    /// `exp` is in the past.
    JwtExpired => "jwt.expired",
    /// `exp` is less than five minutes away.
    JwtExpiresSoon => "jwt.expires-soon",
    /// `nbf` is in the future.
    JwtNotYetValid => "jwt.not-yet-valid",
    /// `iat` is in the future (clock skew between issuer and verifier).
    JwtIatInFuture => "jwt.iat-in-future",
    /// `exp` is a millisecond timestamp.
    JwtExpMilliseconds => "jwt.exp-milliseconds",
    /// `iat` is a millisecond timestamp.
    JwtIatMilliseconds => "jwt.iat-milliseconds",
    /// `exp` is a duration (`3600`) rather than a point in time.
    JwtExpDuration => "jwt.exp-duration",
    /// `exp` is earlier than `iat`.
    JwtExpBeforeIat => "jwt.exp-before-iat",
    /// No `exp`: the token never expires.
    JwtMissingExp => "jwt.missing-exp",
    /// No `sub`: the token names no user.
    JwtMissingSub => "jwt.missing-sub",
    /// The token lives much longer than an access token should.
    JwtLongLived => "jwt.long-lived",
    /// A registered claim has the wrong JSON type (e.g. `"exp": "1700000000"`).
    JwtClaimType => "jwt.claim-type",
    /// A JWE: the payload is encrypted.
    JwtEncrypted => "jwt.encrypted",
    /// The signature matches the given secret or key.
    JwtSignatureValid => "jwt.signature-valid",
    /// The signature does not match the given secret or key.
    JwtSignatureInvalid => "jwt.signature-invalid",
    /// The token alone is larger than a browser accepts in one cookie.
    JwtTooLargeForCookie => "jwt.too-large-for-cookie",
    /// `nbf` is a millisecond timestamp.
    JwtNbfMilliseconds => "jwt.nbf-milliseconds",
    /// A time claim is negative, not finite, or beyond any plausible date (micro/nanoseconds).
    JwtClaimOutOfRange => "jwt.claim-out-of-range",
    /// The header has no `alg`.
    JwtMissingAlg => "jwt.missing-alg",
    /// The header's `alg` is not a registered JWS algorithm.
    JwtAlgUnknown => "jwt.alg-unknown",
    /// A signed token whose signature part is empty.
    JwtSignatureMissing => "jwt.signature-missing",
    /// A secret was given but this algorithm needs a public key (or cannot be checked here).
    JwtSignatureUnverified => "jwt.signature-unverified",
    /// The signature matches, but only when the secret is read as base64 rather than as text (or the reverse).
    JwtSecretEncoding => "jwt.secret-encoding",
    /// A segment uses `=` padding or the `+`/`/` alphabet instead of unpadded base64url.
    JwtBase64Variant => "jwt.base64-variant",
    /// The token was found inside a larger input (header line, cookie list, quotes): says where.
    JwtExtracted => "jwt.extracted",
    /// The input was cut at the size limit.
    JwtTooLarge => "jwt.too-large",
    /// The HMAC secret is shorter than the hash output: brute-forceable.
    JwtWeakSecret => "jwt.weak-secret",
    // ---- Cookie engine (src/cookie/) ----
    /// The line holds a control character: the browser ignores the whole line.
    CookieDisallowedCharacter => "cookie.parse.disallowed-character",
    /// Name plus value exceed 4096 bytes: the browser ignores the line.
    CookieNameValueTooLarge => "cookie.parse.name-value-too-large",
    /// Both name and value are empty: the browser ignores the line.
    CookieNoContent => "cookie.parse.no-content",
    /// The name-value pair has no `=` (or an empty name): a cookie with an empty name.
    CookieNameless => "cookie.parse.nameless",
    /// An attribute value is longer than 1024 bytes and is ignored.
    CookieAttributeTooLong => "cookie.parse.attribute-too-long",
    /// An attribute the browser does not know; it is ignored.
    CookieUnknownAttribute => "cookie.parse.unknown-attribute",
    /// An attribute is given more than once; the last one wins.
    CookieRepeatedAttribute => "cookie.parse.repeated-attribute",
    /// The line has more attributes than a report lists.
    CookieManyAttributes => "cookie.parse.many-attributes",
    /// `Expires` is not a cookie-date: ignored, so the cookie is a session cookie.
    CookieExpiresInvalid => "cookie.expires.invalid",
    /// `Max-Age` is not an integer: ignored.
    CookieMaxAgeInvalid => "cookie.max-age.invalid",
    /// Both `Max-Age` and `Expires`: `Max-Age` wins.
    CookieMaxAgeOverridesExpires => "cookie.max-age.overrides-expires",
    /// The expiry is more than 400 days away and is cut to 400 days.
    CookieExpiryCapped => "cookie.expiry.capped",
    /// The cookie is already expired: it deletes a stored cookie of the same name.
    CookieDeletes => "cookie.expiry.deletes",
    /// A sign-in cookie that lives seconds or minutes: most often a lifetime in the wrong unit.
    CookieExpiryShort => "cookie.expiry.short",
    /// No `Expires`/`Max-Age`: the cookie ends with the browsing session.
    CookieSession => "cookie.expiry.session",
    /// `Path` missing or not starting with `/`: the default path of the request URL is used.
    CookiePathDefault => "cookie.path.default",
    /// `SameSite` has an unknown value: treated as unspecified (Lax by default).
    CookieSameSiteInvalid => "cookie.samesite.invalid-value",
    /// No `SameSite`: the browser treats the cookie as Lax.
    CookieSameSiteUnspecified => "cookie.samesite.unspecified",
    /// `SameSite=None` without `Secure`: rejected.
    CookieSameSiteNoneWithoutSecure => "cookie.samesite.none-without-secure",
    /// The response is cross-site, so a SameSite cookie cannot be set.
    CookieSameSiteBlockedOnSet => "cookie.samesite.blocked-on-set",
    /// A `Secure` cookie from an insecure origin: rejected.
    CookieSecureInsecureOrigin => "cookie.secure.insecure-origin",
    /// An insecure origin tried to overwrite a `Secure` cookie: rejected.
    CookieOverwriteSecure => "cookie.secure.overwrite",
    /// The URL scheme cannot set cookies.
    CookieSchemeNotSupported => "cookie.scheme-not-supported",
    /// `Domain` is a public suffix.
    CookieDomainPublicSuffix => "cookie.domain.public-suffix",
    /// `Domain` does not cover the response host: rejected.
    CookieDomainMismatch => "cookie.domain.mismatch",
    /// `Domain` on an IP-address host.
    CookieDomainIpAddress => "cookie.domain.ip-address",
    /// A `__Secure-`/`__Host-` prefix whose rules are broken: rejected.
    CookiePrefixInvalid => "cookie.prefix.invalid",
    /// Third-party cookies are blocked by the browser's settings.
    CookieThirdPartyBlocked => "cookie.third-party.blocked",
    /// `Partitioned` without `Secure`.
    CookiePartitionedWithoutSecure => "cookie.partitioned.without-secure",
    /// A session-like cookie without `HttpOnly` is readable by scripts.
    CookieNotHttpOnly => "cookie.httponly.missing",
    /// The cookie is stored.
    CookieStored => "cookie.stored",
    /// The cookie is sent on the next request.
    CookieSent => "cookie.sent",
    /// The cookie is not sent on the next request.
    CookieWithheld => "cookie.withheld",
    /// A URL in the request context could not be parsed.
    CookieContextInvalid => "cookie.context.invalid-url",
    /// More Set-Cookie lines than analysed; the rest were cut.
    CookieTooManyLines => "cookie.too-many-lines",
    // ---- Flow analysis (src/flow/) ----
    /// The HAR file is not valid JSON.
    HarMalformed => "har.malformed",
    /// The HAR file ends in the middle: the entries before the cut were read.
    HarTruncated => "har.truncated",
    /// Valid JSON, but not a HAR (no log.entries).
    HarNotHar => "har.not-har",
    /// Over the size or entry-count limit.
    HarTooLarge => "har.too-large",
    /// One entry does not fit the format and was skipped.
    HarEntryInvalid => "har.entry-invalid",
    /// No entries at all.
    HarEmpty => "har.empty",
    /// Exported without cookies (Chromium's default "sanitized" export).
    HarSanitized => "har.sanitized",
    /// Parallel refresh calls where a later one fails (refresh-token rotation race).
    FlowRefreshRace => "flow.refresh-race",
    /// A cookie stored earlier in the flow is withheld on a later request.
    FlowSessionWithheld => "flow.session-withheld",
    /// A response's Set-Cookie is refused by the browser.
    FlowCookieRejected => "flow.cookie-rejected",
    /// A later response deletes a stored cookie.
    FlowCookieDeleted => "flow.cookie-deleted",
    /// The callback stores the session for one host and redirects to another.
    FlowCallbackHostMismatch => "flow.callback-host-mismatch",
    /// The session cookie's name flips between `__Secure-`/`__Host-` and plain.
    FlowPrefixChanged => "flow.prefix-changed",
    /// Our prediction and the recorded Cookie header disagree.
    FlowPredictionMismatch => "flow.prediction-mismatch",
    /// The HAR's entries are not in time order (they were replayed in time order).
    HarOutOfOrder => "har.out-of-order",
    // ---- The browser's cookie store and web storage (src/cookie/audit.rs, src/web_storage.rs) ----
    /// A session cookie is SameSite=Strict: lost on the redirect back from the identity provider.
    JarSessionStrict => "jar.samesite-strict-session",
    /// A session cookie is SameSite=None: sent on every cross-site request.
    JarSameSiteNone => "jar.samesite-none",
    /// A session cookie is readable by the page's scripts (no HttpOnly).
    JarNotHttpOnly => "jar.not-httponly",
    /// A session cookie is not Secure.
    JarNotSecure => "jar.not-secure",
    /// A cookie is close to the 4096-byte name+value limit.
    JarNearSizeLimit => "jar.near-size-limit",
    /// A cookie split into chunks (`name.0`, `name.1`).
    JarChunked => "jar.chunked",
    /// A session cookie with a Domain attribute: sent to every subdomain.
    JarDomainWide => "jar.domain-wide",
    /// The same cookie name for several domains or paths.
    JarDuplicateName => "jar.duplicate-name",
    /// More cookies than analysed.
    JarTooMany => "jar.too-many",
    /// A site holds 150 or more of the 180 cookies browsers keep for it: the next ones evict.
    JarSiteNearLimit => "jar.site-near-limit",
    /// A site's Partitioned cookies under one top-level site hold 8 KiB or more of Chromium's
    /// 10 KiB: the next ones evict.
    JarPartitionNearLimit => "jar.partition-near-limit",
    /// A token kept in localStorage or sessionStorage.
    StorageToken => "storage.token",
    /// A refresh token kept in web storage.
    StorageRefreshToken => "storage.refresh-token",
    /// More storage entries than analysed, or an entry too large.
    StorageTooLarge => "storage.too-large",
    // ---- Encrypted tokens and session cookies (src/jose/jwe.rs, src/jose/session_cookie.rs) ----
    /// A JWE decrypted with a given secret: says which one (by position) and which key derivation.
    JweDecrypted => "jwe.decrypted",
    /// No given secret decrypts the JWE: it was made with another secret (or cookie name).
    JweWrongSecret => "jwe.wrong-secret",
    /// The key the header's `kid` names does not authenticate the token: it was changed or cut.
    JweCorrupted => "jwe.corrupted",
    /// An encrypted token and no secret: enter it to decrypt.
    JweSecretNeeded => "jwe.secret-needed",
    /// A JWE this version cannot decrypt: key management other than `dir`, another `enc`, `zip`, `crit`.
    JweUnsupported => "jwe.unsupported",
    /// A session cookie split into `name.0`, `name.1`, … was joined.
    SessionChunksReassembled => "session.chunks-reassembled",
    /// A chunk of a split session cookie is missing.
    SessionChunkMissing => "session.chunk-missing",
    /// Chunks from different writes, or chunks next to an unsplit cookie of the same name.
    SessionChunkStale => "session.chunk-stale",
    /// A Supabase session cookie that does not decode to a session.
    SessionSupabaseUndecodable => "session.supabase-undecodable",
    /// The Supabase session's `expires_at` has passed.
    SessionSupabaseExpired => "session.supabase-expired",
    /// The Supabase session has no refresh token.
    SessionSupabaseNoRefreshToken => "session.supabase-no-refresh-token",
    // ---- Public-key signature checks (src/jose/keys.rs, src/jose/verify.rs) ----
    /// The token's `kid` names none of the keys given (a rotated signing key, another issuer), or
    /// the token has no `kid` and several keys of a JWK Set fit.
    JwtKeyNotFound => "jwt.key-not-found",
    /// The keys given do not fit the token's `alg` (key type or curve, or the key's own alg/use).
    JwtKeyMismatch => "jwt.key-mismatch",
    /// A public key given could not be read (bad JSON, JWK, PEM or DER; wrong lengths).
    JwtKeyUnreadable => "jwt.key-unreadable",
    /// An HMAC (HS*) token checked against a public key: the algorithm-confusion attack.
    JwtAlgKeyConfusion => "jwt.alg-key-confusion",
    /// An ES* signature in ASN.1 DER instead of JOSE's fixed-size R||S.
    JwtEcdsaDerSignature => "jwt.ecdsa-der-signature",
    /// A private key was given where a public key is expected.
    JwtPrivateKeyGiven => "jwt.private-key-given",
    /// The RSA key that verifies the token is shorter than the 2048 bits RFC 7518 requires.
    JwtWeakKey => "jwt.weak-key",
    /// A session cookie of the flow is missing from a recorded Cookie header the replay predicts
    /// it in: the browser dropped it for a reason the recording does not show.
    FlowSessionNotSent => "flow.session-not-sent",
    /// The HAR was recorded by another browser than the one the replay follows (Chromium).
    HarOtherBrowser => "har.other-browser",
    /// A cross-origin fetch went out without cookies the browser held for it: its credentials
    /// mode was not `include`.
    FlowCredentialsOmitted => "flow.credentials-omitted",
    /// After the sign-in stored the session, a request that carried it was sent back to sign in
    /// (a redirect to the sign-in page, a 401): the server did not accept the session.
    FlowSessionRefused => "flow.session-refused",
    /// Two cookies of one session name (another Domain or Path) go out in one Cookie header.
    FlowSessionDuplicate => "flow.session-duplicate",
    /// Replayed with the other browser's cookie rules as well, the flow loses its session where
    /// this replay keeps it, or keeps it where this one loses it.
    FlowBrowserDifference => "flow.browser-difference",
    /// The other browser's cookie rules store or send this `Set-Cookie` line's cookie otherwise.
    CookieBrowserDifference => "cookie.browser-difference",
    /// A silent sign-in (`prompt=none`) went to the identity provider without the provider's own
    /// cookies: withheld (third-party cookies blocked, SameSite in a cross-site frame) or missing
    /// from the recorded `Cookie` header.
    FlowSilentSignInBlocked => "flow.silent-sign-in-blocked",
    /// A silent sign-in was answered `login_required` (or another "the user must act" error),
    /// with no cookie loss the recording shows.
    FlowSilentSignInFailed => "flow.silent-sign-in-failed",
    /// The server refused a request for the size of its headers (431, nginx's "Request Header Or
    /// Cookie Too Large"), or its `Cookie` header is past what common servers accept.
    FlowCookieHeaderTooLarge => "flow.cookie-header-too-large",
    /// A cookie meant to live (a value, a recent date) arrived with an `Expires` already past:
    /// the server's clock or the date it built is off.
    FlowCookieExpiredOnArrival => "flow.cookie-expired-on-arrival",
    /// A redirect chain as long as browsers follow (20), back and forth between the same pages.
    FlowRedirectLoop => "flow.redirect-loop",
    /// A request's `Authorization: Bearer` token had expired when it was sent, and the API
    /// answered 401: the app did not renew it.
    FlowBearerExpired => "flow.bearer-expired",
    /// A redirect to the sign-in page came from a cache (the browser's, or a CDN's), so the
    /// session never reached the server; or a redirect to sign-in that browsers keep.
    FlowCachedSignInRedirect => "flow.cached-sign-in-redirect",
    /// A prefetch (not the user) went to the sign-out address: its answer deleted the session,
    /// or it carried the session to a route that signs out on GET.
    FlowPrefetchSignedOut => "flow.prefetch-signed-out",
    /// `Clear-Site-Data: "cookies"` outside the sign-out deleted the session (with every other
    /// cookie of the site), or in the very response that set it.
    FlowSiteDataCleared => "flow.site-data-cleared",
    /// The browser was sent to the app's error or sign-in page (or the callback) with a sign-in
    /// error code in the address: what the code means, and the cookie that did not come back.
    FlowSignInError => "flow.sign-in-error",
    /// The browser evicted a session cookie to keep the site within its cookie limit (180 per
    /// registrable domain), or did not keep a new one for it.
    FlowCookieEvicted => "flow.cookie-evicted",
    /// A session cookie's own lifetime ran out during the flow: the next request went without it.
    FlowSessionExpired => "flow.session-expired",
    /// After the sign-in, a navigation of the page's own (not a server's redirect) went back to
    /// sign in while the session was kept, sent and refused by no answer: the page's check
    /// decided.
    FlowSignedOutByPage => "flow.signed-out-by-page",
    /// A sign-in finished (a callback, or a sign-in form's POST, redirected into the app) with no
    /// session cookie in its answer, and the app then sent the browser back to sign in.
    FlowSessionNotSet => "flow.session-not-set",
}

impl serde::Serialize for Code {
    fn serialize<S: serde::Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        s.serialize_str(self.as_str())
    }
}

/// One thing the analysis found, ready for a report.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Finding {
    /// Stable code, e.g. `jwt.exp-milliseconds`.
    pub code: Code,
    pub severity: Severity,
    /// One line: what is wrong.
    pub title: String,
    /// Why it breaks the session, with the values involved.
    pub detail: String,
    /// A concrete, copyable fix; empty when there is nothing to fix (an informational finding).
    pub fix: String,
    /// The spec section the verdict rests on, e.g. `RFC 7519 §4.1.4`.
    pub spec: String,
    /// Where in the input it applies, e.g. `payload.exp`, `header.alg`, `token`.
    #[serde(rename = "where")]
    pub location: String,
}

impl Finding {
    /// A finding with every text field given.
    pub fn new(
        code: Code,
        severity: Severity,
        location: impl Into<String>,
        title: impl Into<String>,
        detail: impl Into<String>,
        fix: impl Into<String>,
        spec: impl Into<String>,
    ) -> Finding {
        Finding {
            code,
            severity,
            title: title.into(),
            detail: detail.into(),
            fix: fix.into(),
            spec: spec.into(),
            location: location.into(),
        }
    }
}

/// Sorts findings for display: errors first, then warnings, then infos; stable otherwise.
pub fn sort_by_severity(findings: &mut [Finding]) {
    crate::order::stable_sort_by_key(findings, |f| f.severity as u64);
}

/// Quotes untrusted text for a message: at most `max` characters, control and bidi characters escaped.
///
/// Findings quote what the input said; the input is hostile, so what ends up in a message must not
/// be able to reorder or hide the rest of the text.
pub fn quote(text: &str, max: usize) -> String {
    let mut out = String::with_capacity(text.len().min(max) + 2);
    out.push('"');
    for (count, c) in text.chars().enumerate() {
        if count >= max {
            out.push('…');
            break;
        }
        match c {
            '"' => out.push_str("\\\""),
            '\\' => out.push_str("\\\\"),
            c if c.is_control() || is_bidi_control(c) => {
                out.push_str(&format!("\\u{{{:x}}}", c as u32));
            }
            c => out.push(c),
        }
    }
    out.push('"');
    out
}

fn is_bidi_control(c: char) -> bool {
    matches!(c, '\u{200e}' | '\u{200f}' | '\u{202a}'..='\u{202e}' | '\u{2066}'..='\u{2069}' | '\u{061c}')
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Pins every code text: changing this list means breaking users' CI scripts.
    #[test]
    fn code_texts_are_stable() {
        let texts: Vec<&str> = Code::ALL.iter().map(|c| c.as_str()).collect();
        let expected = [
            "jwt.malformed",
            "jwt.alg-none",
            "jwt.expired",
            "jwt.expires-soon",
            "jwt.not-yet-valid",
            "jwt.iat-in-future",
            "jwt.exp-milliseconds",
            "jwt.iat-milliseconds",
            "jwt.exp-duration",
            "jwt.exp-before-iat",
            "jwt.missing-exp",
            "jwt.missing-sub",
            "jwt.long-lived",
            "jwt.claim-type",
            "jwt.encrypted",
            "jwt.signature-valid",
            "jwt.signature-invalid",
            "jwt.too-large-for-cookie",
            "jwt.nbf-milliseconds",
            "jwt.claim-out-of-range",
            "jwt.missing-alg",
            "jwt.alg-unknown",
            "jwt.signature-missing",
            "jwt.signature-unverified",
            "jwt.secret-encoding",
            "jwt.base64-variant",
            "jwt.extracted",
            "jwt.too-large",
            "jwt.weak-secret",
            "cookie.parse.disallowed-character",
            "cookie.parse.name-value-too-large",
            "cookie.parse.no-content",
            "cookie.parse.nameless",
            "cookie.parse.attribute-too-long",
            "cookie.parse.unknown-attribute",
            "cookie.parse.repeated-attribute",
            "cookie.parse.many-attributes",
            "cookie.expires.invalid",
            "cookie.max-age.invalid",
            "cookie.max-age.overrides-expires",
            "cookie.expiry.capped",
            "cookie.expiry.deletes",
            "cookie.expiry.short",
            "cookie.expiry.session",
            "cookie.path.default",
            "cookie.samesite.invalid-value",
            "cookie.samesite.unspecified",
            "cookie.samesite.none-without-secure",
            "cookie.samesite.blocked-on-set",
            "cookie.secure.insecure-origin",
            "cookie.secure.overwrite",
            "cookie.scheme-not-supported",
            "cookie.domain.public-suffix",
            "cookie.domain.mismatch",
            "cookie.domain.ip-address",
            "cookie.prefix.invalid",
            "cookie.third-party.blocked",
            "cookie.partitioned.without-secure",
            "cookie.httponly.missing",
            "cookie.stored",
            "cookie.sent",
            "cookie.withheld",
            "cookie.context.invalid-url",
            "cookie.too-many-lines",
            "har.malformed",
            "har.truncated",
            "har.not-har",
            "har.too-large",
            "har.entry-invalid",
            "har.empty",
            "har.sanitized",
            "flow.refresh-race",
            "flow.session-withheld",
            "flow.cookie-rejected",
            "flow.cookie-deleted",
            "flow.callback-host-mismatch",
            "flow.prefix-changed",
            "flow.prediction-mismatch",
            "har.out-of-order",
            "jar.samesite-strict-session",
            "jar.samesite-none",
            "jar.not-httponly",
            "jar.not-secure",
            "jar.near-size-limit",
            "jar.chunked",
            "jar.domain-wide",
            "jar.duplicate-name",
            "jar.too-many",
            "jar.site-near-limit",
            "jar.partition-near-limit",
            "storage.token",
            "storage.refresh-token",
            "storage.too-large",
            "jwe.decrypted",
            "jwe.wrong-secret",
            "jwe.corrupted",
            "jwe.secret-needed",
            "jwe.unsupported",
            "session.chunks-reassembled",
            "session.chunk-missing",
            "session.chunk-stale",
            "session.supabase-undecodable",
            "session.supabase-expired",
            "session.supabase-no-refresh-token",
            "jwt.key-not-found",
            "jwt.key-mismatch",
            "jwt.key-unreadable",
            "jwt.alg-key-confusion",
            "jwt.ecdsa-der-signature",
            "jwt.private-key-given",
            "jwt.weak-key",
            "flow.session-not-sent",
            "har.other-browser",
            "flow.credentials-omitted",
            "flow.session-refused",
            "flow.session-duplicate",
            "flow.browser-difference",
            "cookie.browser-difference",
            "flow.silent-sign-in-blocked",
            "flow.silent-sign-in-failed",
            "flow.cookie-header-too-large",
            "flow.cookie-expired-on-arrival",
            "flow.redirect-loop",
            "flow.bearer-expired",
            "flow.cached-sign-in-redirect",
            "flow.prefetch-signed-out",
            "flow.site-data-cleared",
            "flow.sign-in-error",
            "flow.cookie-evicted",
            "flow.session-expired",
            "flow.signed-out-by-page",
            "flow.session-not-set",
        ];
        assert_eq!(texts, expected);
        let mut unique = texts.clone();
        unique.sort_unstable();
        unique.dedup();
        assert_eq!(unique.len(), texts.len(), "a code text is used twice");
    }

    #[test]
    fn quote_escapes_controls_and_bidi() {
        assert_eq!(quote("a\u{202e}b\n", 10), "\"a\\u{202e}b\\u{a}\"");
        assert_eq!(quote("abcdef", 3), "\"abc…\"");
    }

    #[test]
    fn severity_sorts_errors_first() {
        let mut v = [Severity::Info, Severity::Error, Severity::Warning];
        v.sort();
        assert_eq!(v, [Severity::Error, Severity::Warning, Severity::Info]);
    }
}
