//! The storage model: whether the browser stores a parsed `Set-Cookie` line, RFC 6265bis §5.7
//! ("Storage Model"), and why not, in the words of Chromium's DevTools protocol
//! (`Network.SetCookieBlockedReason`).
//!
//! [`decide`] looks at one parsed line, the response it came with and the cookies already stored,
//! and gives a [`StorageDecision`] plus the cookie as it would be stored. All applicable reasons
//! are collected (DevTools also lists several), each with a plain-English explanation and a fix.
//!
//! ## Deviations: where we follow Chromium rather than the spec
//! - `Domain` equal to a public suffix: when it equals the host exactly, the cookie is kept as a
//!   host-only cookie (Chromium; the spec allows this too); otherwise `InvalidDomain`.
//! - On an IP-address host, `Domain` must equal the address; the cookie is then host-only.
//! - `Secure` cookies are accepted from `http://localhost`, `*.localhost`, `127.0.0.0/8` and
//!   `[::1]` (Chromium treats them as secure contexts).
//! - `SameSite=None` without `Secure` is rejected (`SameSiteNoneInsecure`), as in Chromium since
//!   version 80; the spec only recommends it.
//! - A cookie without `SameSite` is treated as `Lax` ("Lax by default"), so a cross-site
//!   subresource response cannot set it (`SameSiteUnspecifiedTreatedAsLax`).
//! - Third-party cookie blocking (a browser setting, not in the spec) rejects cookies set by
//!   third-party responses with `UserPreferences` (`ThirdPartyPhaseout` for the phase-out),
//!   except `Partitioned; Secure` cookies (CHIPS).
//! - `Partitioned` without `Secure` (or from an insecure origin) is rejected, as Chromium does
//!   (`EXCLUDE_INVALID_PARTITIONED`); DevTools has no dedicated name, so it is reported as
//!   `UnknownError` with its own finding code.
//! - Name prefixes are matched case-insensitively, as in the current draft and Chromium. A
//!   `__Host-` cookie on an IP-address host may carry `Domain=` equal to that address (Chromium's
//!   `HasValidHostPrefixAttributes`).
//! - `__Http-` and `__Host-Http-` (newer drafts: also require `HttpOnly`) are enforced. In
//!   Chromium they sit behind the features `PrefixCookieHttp` / `PrefixCookieHostHttp`; if those
//!   are off in the reader's browser, such cookies are stored without the HttpOnly check.

use serde::Serialize;

pub use crate::cookie::parse::Detail;
use crate::cookie::parse::{CookieLine, Priority, SameSite, SetCookie, SyntaxProblem};
use crate::cookie::psl;
use crate::cookie::site::{
    default_path, domain_match, path_match, Browser, ResolvedRequest, SameSiteContext, ThirdPartyCookies,
};
use crate::finding::{quote, Code, Finding, Severity};
use crate::limits::{MAX_COOKIE_AGE_DAYS, MAX_QUOTE_CHARS, SHORT_SESSION_SECONDS};
use crate::time::{duration_words, iso8601, DAY};

/// A cookie in the jar (RFC 6265bis §5.7, the fields of a stored cookie).
///
/// Name, value, domain and path live in one buffer: a replay stores a cookie per `Set-Cookie`
/// line of a flow, and four allocations each were a good part of storing it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct StoredCookie {
    /// Name, value, domain and path, back to back.
    text: String,
    value_at: usize,
    domain_at: usize,
    path_at: usize,
    pub host_only: bool,
    /// Expiry in seconds since the epoch; `None` for a session cookie.
    pub expiry: Option<i64>,
    pub creation: i64,
    pub last_access: i64,
    pub secure: bool,
    pub http_only: bool,
    pub same_site: SameSite,
    pub partitioned: bool,
    /// For a Partitioned cookie (CHIPS): the top-level site it was set under. It is sent only on
    /// requests under the same top-level site.
    pub partition_key: Option<String>,
    /// Chromium's `Priority`: the order in which it evicts a site's cookies (see the jar).
    pub priority: Priority,
    /// Orders cookies created in the same second (creation order of the jar).
    pub sequence: u64,
}

/// How a stored cookie reads in a report.
#[derive(Serialize)]
#[serde(rename_all = "camelCase")]
struct StoredCookieWire<'a> {
    name: &'a str,
    value: &'a str,
    domain: &'a str,
    host_only: bool,
    path: &'a str,
    expiry: Option<i64>,
    creation: i64,
    last_access: i64,
    secure: bool,
    http_only: bool,
    same_site: SameSite,
    partitioned: bool,
    partition_key: Option<&'a str>,
}

impl Serialize for StoredCookie {
    fn serialize<S: serde::Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        StoredCookieWire {
            name: self.name(),
            value: self.value(),
            domain: self.domain(),
            host_only: self.host_only,
            path: self.path(),
            expiry: self.expiry,
            creation: self.creation,
            last_access: self.last_access,
            secure: self.secure,
            http_only: self.http_only,
            same_site: self.same_site,
            partitioned: self.partitioned,
            partition_key: self.partition_key.as_deref(),
        }
        .serialize(serializer)
    }
}

impl StoredCookie {
    /// A host-only, non-secure session cookie created at `now` with `SameSite` unspecified; the
    /// other fields are public, to set after.
    pub fn new(name: &str, value: &str, domain: &str, path: &str, now: i64) -> StoredCookie {
        let mut text = String::with_capacity(name.len() + value.len() + domain.len() + path.len());
        text.push_str(name);
        let value_at = text.len();
        text.push_str(value);
        let domain_at = text.len();
        text.push_str(domain);
        let path_at = text.len();
        text.push_str(path);
        StoredCookie {
            text,
            value_at,
            domain_at,
            path_at,
            host_only: true,
            expiry: None,
            creation: now,
            last_access: now,
            secure: false,
            http_only: false,
            same_site: SameSite::Unspecified,
            partitioned: false,
            partition_key: None,
            priority: Priority::Medium,
            sequence: 0,
        }
    }

    /// The name (empty for a line without `=`).
    pub fn name(&self) -> &str {
        self.text.get(..self.value_at).unwrap_or("")
    }

    /// The value, as the `Cookie` header sends it.
    pub fn value(&self) -> &str {
        self.text.get(self.value_at..self.domain_at).unwrap_or("")
    }

    /// The host (host-only cookie) or the `Domain` value (without leading dot).
    pub fn domain(&self) -> &str {
        self.text.get(self.domain_at..self.path_at).unwrap_or("")
    }

    /// The `Path` attribute, or the default path of the URL that set the cookie.
    pub fn path(&self) -> &str {
        self.text.get(self.path_at..).unwrap_or("")
    }

    /// RFC 6265bis §5.7: two cookies are "the same" (one replaces the other) when name, domain,
    /// host-only flag and path are equal. The partitioned flag is compared too, standing in for
    /// Chromium's partition key (partition keys themselves are not modelled).
    pub fn same_identity(&self, other: &StoredCookie) -> bool {
        self.name() == other.name()
            && self.domain() == other.domain()
            && self.host_only == other.host_only
            && self.path() == other.path()
            && self.partition_key == other.partition_key
    }

    /// Whether the cookie has expired at `now`.
    pub fn is_expired(&self, now: i64) -> bool {
        self.expiry.is_some_and(|e| e <= now)
    }
}

/// Chromium's `Network.SetCookieBlockedReason`, the names DevTools shows.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
pub enum SetCookieBlockedReason {
    SecureOnly,
    SameSiteStrict,
    SameSiteLax,
    SameSiteUnspecifiedTreatedAsLax,
    SameSiteNoneInsecure,
    UserPreferences,
    ThirdPartyPhaseout,
    SyntaxError,
    SchemeNotSupported,
    OverwriteSecure,
    InvalidDomain,
    InvalidPrefix,
    NameValuePairExceedsMaxSize,
    DisallowedCharacter,
    NoCookieContent,
    SchemefulSameSiteStrict,
    SchemefulSameSiteLax,
    SchemefulSameSiteUnspecifiedTreatedAsLax,
    /// Chromium rejects the cookie for a reason DevTools has no dedicated name for (here:
    /// `Partitioned` without `Secure`, Chromium's `EXCLUDE_INVALID_PARTITIONED`).
    UnknownError,
}

impl SetCookieBlockedReason {
    /// The DevTools name.
    pub fn as_str(self) -> &'static str {
        use SetCookieBlockedReason as R;
        match self {
            R::SecureOnly => "SecureOnly",
            R::SameSiteStrict => "SameSiteStrict",
            R::SameSiteLax => "SameSiteLax",
            R::SameSiteUnspecifiedTreatedAsLax => "SameSiteUnspecifiedTreatedAsLax",
            R::SameSiteNoneInsecure => "SameSiteNoneInsecure",
            R::UserPreferences => "UserPreferences",
            R::ThirdPartyPhaseout => "ThirdPartyPhaseout",
            R::SyntaxError => "SyntaxError",
            R::SchemeNotSupported => "SchemeNotSupported",
            R::OverwriteSecure => "OverwriteSecure",
            R::InvalidDomain => "InvalidDomain",
            R::InvalidPrefix => "InvalidPrefix",
            R::NameValuePairExceedsMaxSize => "NameValuePairExceedsMaxSize",
            R::DisallowedCharacter => "DisallowedCharacter",
            R::NoCookieContent => "NoCookieContent",
            R::SchemefulSameSiteStrict => "SchemefulSameSiteStrict",
            R::SchemefulSameSiteLax => "SchemefulSameSiteLax",
            R::SchemefulSameSiteUnspecifiedTreatedAsLax => "SchemefulSameSiteUnspecifiedTreatedAsLax",
            R::UnknownError => "UnknownError",
        }
    }

    /// Every reason, for looking one up by its DevTools name.
    pub const ALL: [SetCookieBlockedReason; 19] = {
        use SetCookieBlockedReason as R;
        [
            R::SecureOnly,
            R::SameSiteStrict,
            R::SameSiteLax,
            R::SameSiteUnspecifiedTreatedAsLax,
            R::SameSiteNoneInsecure,
            R::UserPreferences,
            R::ThirdPartyPhaseout,
            R::SyntaxError,
            R::SchemeNotSupported,
            R::OverwriteSecure,
            R::InvalidDomain,
            R::InvalidPrefix,
            R::NameValuePairExceedsMaxSize,
            R::DisallowedCharacter,
            R::NoCookieContent,
            R::SchemefulSameSiteStrict,
            R::SchemefulSameSiteLax,
            R::SchemefulSameSiteUnspecifiedTreatedAsLax,
            R::UnknownError,
        ]
    };

    /// The reason DevTools calls `name`.
    pub fn from_name(name: &str) -> Option<SetCookieBlockedReason> {
        Self::ALL.into_iter().find(|r| r.as_str() == name)
    }

    /// A few words for a headline: why the browser refused to store the cookie.
    pub fn short(self) -> &'static str {
        use SetCookieBlockedReason as R;
        match self {
            R::SecureOnly => "Secure set over plain http",
            R::SameSiteStrict | R::SchemefulSameSiteStrict => "SameSite=Strict set by a cross-site response",
            R::SameSiteLax | R::SchemefulSameSiteLax => "SameSite=Lax set by a cross-site subrequest",
            R::SameSiteUnspecifiedTreatedAsLax | R::SchemefulSameSiteUnspecifiedTreatedAsLax => {
                "no SameSite (so Lax) set by a cross-site subrequest"
            }
            R::SameSiteNoneInsecure => "SameSite=None without Secure",
            R::UserPreferences => "third-party cookies are blocked",
            R::ThirdPartyPhaseout => "third-party cookies are being phased out",
            R::SyntaxError => "the line does not parse",
            R::SchemeNotSupported => "cookies are not stored for this URL scheme",
            R::OverwriteSecure => "it would overwrite a Secure cookie from plain http",
            R::InvalidDomain => "its Domain is a public suffix or another site",
            R::InvalidPrefix => "it breaks its __Secure-/__Host- prefix rules",
            R::NameValuePairExceedsMaxSize => "name and value exceed 4096 bytes",
            R::DisallowedCharacter => "it contains a control character",
            R::NoCookieContent => "it has neither name nor value",
            R::UnknownError => "Partitioned without Secure",
        }
    }

    /// A plain-English explanation and a concrete fix.
    pub fn explain(self) -> (&'static str, &'static str) {
        use SetCookieBlockedReason as R;
        match self {
            R::SecureOnly => (
                "The cookie has the Secure attribute but the response came over plain HTTP, so the browser refuses to store it.",
                "Serve the site over HTTPS (http://localhost is fine for development), or drop Secure only for local HTTP testing.",
            ),
            R::SameSiteStrict | R::SchemefulSameSiteStrict => (
                "The cookie is SameSite=Strict but the response belongs to a cross-site request (a subresource or iframe of another site), so it cannot be set.",
                "Set the cookie from a top-level navigation to your own site, or use `res.cookie('session', v, { sameSite: 'none', secure: true })` if it really must work cross-site.",
            ),
            R::SameSiteLax | R::SchemefulSameSiteLax => (
                "The cookie is SameSite=Lax but the response belongs to a cross-site request (a subresource or iframe of another site), so it cannot be set.",
                "Set it from a top-level navigation, or for an embedded/cross-site flow use `res.cookie('session', v, { sameSite: 'none', secure: true })`.",
            ),
            R::SameSiteUnspecifiedTreatedAsLax | R::SchemefulSameSiteUnspecifiedTreatedAsLax => (
                "The cookie has no SameSite attribute, so the browser treats it as Lax, and a Lax cookie cannot be set by a cross-site subresource or iframe response.",
                "Say what you mean: `res.cookie('session', v, { sameSite: 'none', secure: true })` for cross-site use, or `{ sameSite: 'lax', secure: true }` and set it on a top-level navigation.",
            ),
            R::SameSiteNoneInsecure => (
                "SameSite=None is only accepted together with Secure; without it the browser rejects the cookie.",
                "Add Secure: `res.cookie('session', v, { sameSite: 'none', secure: true })` (and serve over HTTPS).",
            ),
            R::UserPreferences => (
                "The browser blocks third-party cookies (a user setting) and this response is third-party.",
                "Make the request first-party (serve it from your own site, e.g. behind a reverse proxy on the same registrable domain), or use a Partitioned cookie: `Set-Cookie: session=v; Secure; SameSite=None; Partitioned; Path=/`.",
            ),
            R::ThirdPartyPhaseout => (
                "The browser's third-party cookie phase-out blocks cookies set by third-party responses.",
                "Serve the endpoint first-party, or use a Partitioned cookie (`Secure; SameSite=None; Partitioned`).",
            ),
            R::SyntaxError => (
                "The Set-Cookie line could not be parsed into a cookie.",
                "Send `name=value; Path=/; Secure; HttpOnly; SameSite=Lax`.",
            ),
            R::SchemeNotSupported => (
                "Cookies can only be set for http, https, ws and wss URLs.",
                "Set the cookie from an http(s) response.",
            ),
            R::OverwriteSecure => (
                "A Secure cookie with the same name already exists and this insecure (HTTP) response may not overwrite it (\"leave secure cookies alone\").",
                "Serve every page that sets this cookie over HTTPS, or give the insecure cookie another name.",
            ),
            R::InvalidDomain => (
                "The Domain attribute does not cover the host that sent the response (or is a public suffix such as com or github.io), so the browser rejects the cookie.",
                "Leave Domain out (host-only cookie), or set it to the response host or one of its parent domains that is not a public suffix, e.g. `res.cookie('session', v, { domain: 'example.com' })` from app.example.com.",
            ),
            R::InvalidPrefix => (
                "The name starts with __Secure-, __Host- or __Http- but the cookie breaks that prefix's rules (__Secure- needs Secure over HTTPS; __Host- also needs Path=/ and no Domain; __Http- and __Host-Http- also need HttpOnly).",
                "For __Host-: `Set-Cookie: __Host-session=v; Secure; Path=/; HttpOnly; SameSite=Lax` with no Domain. For __Secure-: add Secure and serve over HTTPS.",
            ),
            R::NameValuePairExceedsMaxSize => (
                "The cookie's name and value together exceed 4096 bytes.",
                "Store a short session id in the cookie and keep the data on the server.",
            ),
            R::DisallowedCharacter => (
                "The Set-Cookie line contains a control character, so the whole line is ignored.",
                "Encode the value (base64url or percent-encoding) so it holds only printable ASCII.",
            ),
            R::NoCookieContent => (
                "The line has neither a cookie name nor a value.",
                "Send `name=value`.",
            ),
            R::UnknownError => (
                "The cookie is Partitioned but not Secure (or not from a secure origin); Chromium rejects it as an invalid partitioned cookie.",
                "Add Secure and serve over HTTPS: `Set-Cookie: session=v; Secure; SameSite=None; Partitioned; Path=/`.",
            ),
        }
    }
}

/// The fix for a sign-in cookie whose lifetime is seconds or minutes (`cookie.expiry.short`,
/// `flow.session-expired`).
pub const SHORT_LIFETIME_FIX: &str = "Give the lifetime in the unit the API takes: Express's res.cookie and express-session's cookie.maxAge in milliseconds (maxAge: 60 * 60 * 1000 for an hour), Max-Age itself, Next.js's cookies().set and most others in seconds. To sign users out when idle, renew the session while they are active (express-session's rolling: true, Auth.js's session.updateAge) rather than giving it minutes to live.";

/// Why a sign-in cookie that lives seconds or minutes (`max_age` as sent, if it was) was most
/// likely given its lifetime in the wrong unit, in a sentence or two.
pub fn short_lifetime_hint(max_age: Option<i64>) -> String {
    // Lifetimes people write in seconds, and their names.
    const ROUND: [(i64, &str); 11] = [
        (300, "5 minutes"),
        (600, "10 minutes"),
        (900, "15 minutes"),
        (1800, "30 minutes"),
        (3600, "an hour"),
        (7200, "2 hours"),
        (43_200, "12 hours"),
        (86_400, "a day"),
        (604_800, "a week"),
        (1_209_600, "2 weeks"),
        (2_592_000, "30 days"),
    ];
    let mut hint = "A sign-in cookie this short-lived is rarely meant: Express's res.cookie and express-session's cookie.maxAge are in milliseconds (maxAge: 3600 is 3.6 seconds, sent as Max-Age=3), where Max-Age, Next.js's cookies().set, Django and most others are in seconds.".to_string();
    // Express sends Max-Age as the whole seconds of maxAge / 1000.
    let sent = max_age.map(|n| n.max(0));
    let meant: Vec<&(i64, &str)> = ROUND.iter().filter(|(m, _)| Some(m / 1000) == sent).collect();
    match (sent, meant.as_slice()) {
        (Some(n), [(m, words)]) => {
            hint += &format!(" Max-Age={n} is exactly what maxAge: {m} ({words}, written in seconds) becomes as milliseconds.");
        }
        (Some(n), [first, .., last]) => {
            let values: Vec<String> = meant.iter().map(|(m, _)| m.to_string()).collect();
            let (head, tail) = values.split_at(values.len() - 1);
            hint += &format!(
                " Max-Age={n} is exactly what maxAge: {} or {} ({} to {}, written in seconds) becomes as milliseconds.",
                head.join(", "),
                tail.join(""),
                first.1,
                last.1
            );
        }
        _ => {}
    }
    hint
}

/// What the browser does with one `Set-Cookie` line.
#[derive(Debug, Clone, PartialEq, Serialize)]
#[serde(tag = "decision", content = "reasons", rename_all = "camelCase")]
pub enum StorageDecision {
    Stored,
    Rejected(Vec<SetCookieBlockedReason>),
    /// The cookie is already expired: it only removes a stored cookie of the same identity.
    DeletesExisting,
}

/// A blocked reason with its words, for reports.
#[derive(Debug, Clone, PartialEq, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct ExplainedReason<R> {
    pub reason: R,
    pub explanation: &'static str,
    pub fix: &'static str,
}

/// The result of [`decide`].
#[derive(Debug, Clone, PartialEq, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct StorageOutcome {
    /// Serialised inline: `"decision": "rejected", "reasons": [...]`.
    #[serde(flatten)]
    pub decision: StorageDecision,
    /// The reasons with explanations (empty unless rejected).
    pub explained: Vec<ExplainedReason<SetCookieBlockedReason>>,
    /// The cookie as it would be stored (present whenever the line made a cookie at all).
    pub cookie: Option<StoredCookie>,
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub findings: Vec<Finding>,
}

fn reason_finding(reason: SetCookieBlockedReason, detail: String) -> Finding {
    use SetCookieBlockedReason as R;
    let (explanation, fix) = reason.explain();
    let code = match reason {
        R::SecureOnly => Code::CookieSecureInsecureOrigin,
        R::SameSiteStrict
        | R::SameSiteLax
        | R::SameSiteUnspecifiedTreatedAsLax
        | R::SchemefulSameSiteStrict
        | R::SchemefulSameSiteLax
        | R::SchemefulSameSiteUnspecifiedTreatedAsLax => Code::CookieSameSiteBlockedOnSet,
        R::SameSiteNoneInsecure => Code::CookieSameSiteNoneWithoutSecure,
        R::UserPreferences | R::ThirdPartyPhaseout => Code::CookieThirdPartyBlocked,
        R::SchemeNotSupported => Code::CookieSchemeNotSupported,
        R::OverwriteSecure => Code::CookieOverwriteSecure,
        R::InvalidDomain => Code::CookieDomainMismatch,
        R::InvalidPrefix => Code::CookiePrefixInvalid,
        R::NameValuePairExceedsMaxSize => Code::CookieNameValueTooLarge,
        R::DisallowedCharacter => Code::CookieDisallowedCharacter,
        R::NoCookieContent | R::SyntaxError => Code::CookieNoContent,
        R::UnknownError => Code::CookiePartitionedWithoutSecure,
    };
    let detail = if detail.is_empty() {
        explanation.to_string()
    } else {
        format!("{explanation} {detail}")
    };
    Finding::new(
        code,
        Severity::Error,
        "Set-Cookie",
        format!("The browser rejects the cookie: {}", reason.as_str()),
        detail,
        fix,
        "RFC 6265bis §5.7",
    )
}

/// Picks the SameSite reason. Chromium (with schemeful same-site, its default since M89) names
/// every SameSite exclusion with the `Schemeful…` form, also when the sites differ and not only the
/// scheme: the recorded verdicts of Chromium 156 (tests/fixtures/chromium-cookie-verdicts.json)
/// never show the plain forms. The plain variants stay in the enum for the protocol's sake.
fn samesite_reason(same_site: SameSite, browser: Browser) -> Option<SetCookieBlockedReason> {
    use SetCookieBlockedReason as R;
    Some(match (same_site, browser) {
        // Firefox: schemeless same-site (plain names), and no "Lax by default".
        (SameSite::Strict, Browser::Firefox) => R::SameSiteStrict,
        (SameSite::Lax, Browser::Firefox) => R::SameSiteLax,
        (SameSite::Unspecified, Browser::Firefox) => return None,
        (SameSite::Strict, _) => R::SchemefulSameSiteStrict,
        (SameSite::Lax, _) => R::SchemefulSameSiteLax,
        (SameSite::Unspecified, _) => R::SchemefulSameSiteUnspecifiedTreatedAsLax,
        (SameSite::None, _) => return None,
    })
}

fn is_samesite_reason(r: SetCookieBlockedReason) -> bool {
    use SetCookieBlockedReason as R;
    matches!(
        r,
        R::SameSiteStrict
            | R::SameSiteLax
            | R::SameSiteUnspecifiedTreatedAsLax
            | R::SchemefulSameSiteStrict
            | R::SchemefulSameSiteLax
            | R::SchemefulSameSiteUnspecifiedTreatedAsLax
    )
}

fn has_prefix(text: &str, prefix: &str) -> bool {
    text.get(..prefix.len())
        .is_some_and(|head| head.eq_ignore_ascii_case(prefix))
}

/// RFC 6265bis §5.7: decides whether `set` (received in the response to `request` at `now`)
/// is stored, given the cookies already in the jar (`existing`, for "leave secure cookies alone").
pub fn decide(set: &SetCookie, request: &ResolvedRequest, existing: &[StoredCookie], now: i64) -> StorageOutcome {
    decide_line(&set.line(), request, existing, now, Detail::Report)
}

/// [`decide`], with findings only when `detail` asks for them: the decision and its reasons are
/// the same either way.
pub fn decide_with(set: &SetCookie, request: &ResolvedRequest, existing: &[StoredCookie], now: i64, detail: Detail) -> StorageOutcome {
    decide_line(&set.line(), request, existing, now, detail)
}

/// The decision, on a line as [`parse_line`](crate::cookie::parse::parse_line) reads it (or a
/// report's parse lends it): what [`decide`] and the jar both use.
pub fn decide_line(set: &CookieLine<'_>, request: &ResolvedRequest, existing: &[StoredCookie], now: i64, detail: Detail) -> StorageOutcome {
    use SetCookieBlockedReason as R;
    let verbose = detail == Detail::Report;
    let mut findings = Vec::new();
    // §5.6: a line the parser gave up on never becomes a cookie.
    if let Some(problem) = set.problem {
        let reason = match problem {
            SyntaxProblem::DisallowedCharacter => R::DisallowedCharacter,
            SyntaxProblem::NameValuePairExceedsMaxSize => R::NameValuePairExceedsMaxSize,
            SyntaxProblem::NoCookieContent => R::NoCookieContent,
        };
        return StorageOutcome {
            decision: StorageDecision::Rejected(vec![reason]),
            explained: vec![explained(reason)],
            cookie: None,
            findings,
        };
    }
    let url = &request.url;
    let secure_origin = url.is_secure();
    let mut reasons: Vec<SetCookieBlockedReason> = Vec::new();
    let mut details: Vec<(SetCookieBlockedReason, String)> = Vec::new();
    let firefox = request.browser == Browser::Firefox;
    // §5.6 step 2 makes a line without `=` a nameless cookie; Firefox makes it a name with an
    // empty value (recorded: `v1only` comes back as `v1only=`), and refuses an empty name.
    let (name, value) = if firefox && !set.has_equals { (set.value, "") } else { (set.name, set.value) };
    if firefox && set.has_equals && set.name.is_empty() {
        reasons.push(R::NoCookieContent);
        if verbose {
            details.push((R::NoCookieContent, "Firefox refuses a cookie without a name.".to_string()));
        }
    }

    // §5.7 step 2 (the user agent may ignore cookies for non-HTTP schemes).
    if !url.scheme_supports_cookies() {
        reasons.push(R::SchemeNotSupported);
        if verbose {
            details.push((
                R::SchemeNotSupported,
                format!("The response URL's scheme is {}.", quote(url.scheme(), 20)),
            ));
        }
    }

    // §5.6.1/§5.6.2 and §5.7 step 3: Max-Age wins over Expires; both are capped at 400 days.
    let cap = now.saturating_add(MAX_COOKIE_AGE_DAYS * DAY);
    let max_age = set.max_age.flatten();
    let expires = set.expires.flatten();
    let requested_expiry = match (max_age, expires) {
        (Some(delta), _) if delta <= 0 => Some(i64::MIN),
        (Some(delta), _) => Some(now.saturating_add(delta)),
        (None, Some(at)) => Some(at),
        (None, None) => None,
    };
    if verbose && max_age.is_some() && expires.is_some() {
            findings.push(Finding::new(
                Code::CookieMaxAgeOverridesExpires,
                Severity::Info,
                "Set-Cookie.Max-Age",
                "Both Max-Age and Expires are set; Max-Age wins",
                "When both are present the browser uses Max-Age and ignores Expires.",
                "Send only one of them (Max-Age is simpler: no clock or date format involved).",
                "RFC 6265bis §5.7 step 3",
            ));
        }
    let expiry = requested_expiry.map(|e| e.min(cap));
    if let Some(e) = requested_expiry {
        if verbose && e > cap {
                findings.push(Finding::new(
                    Code::CookieExpiryCapped,
                    Severity::Info,
                    "Set-Cookie.Expires",
                    "The expiry is more than 400 days away and is cut to 400 days",
                    format!(
                        "The server asked for {} ({}); browsers keep a cookie at most {MAX_COOKIE_AGE_DAYS} days, so it \
                         expires on {}.",
                        iso8601(e).unwrap_or_else(|| "a far-future date".to_string()),
                        duration_words(e.saturating_sub(now)),
                        iso8601(cap).unwrap_or_default()
                    ),
                    "Nothing breaks; to keep a long-lived login, re-issue the cookie on visits (sliding expiry).",
                    "RFC 6265bis §5.6.1",
                ));
            }
        // A sign-in cookie that lives seconds or minutes: a lifetime in the wrong unit, most often.
        if verbose && e > now && e.saturating_sub(now) <= SHORT_SESSION_SECONDS && crate::flow::session::is_session_cookie(name) {
            let lifetime = e.saturating_sub(now);
            findings.push(Finding::new(
                Code::CookieExpiryShort,
                Severity::Warning,
                if max_age.is_some() { "Set-Cookie.Max-Age" } else { "Set-Cookie.Expires" },
                format!("{} lives only {}", quote(name, MAX_QUOTE_CHARS), duration_words(lifetime)),
                format!(
                    "The browser deletes this sign-in cookie {} after it arrives, and the user is signed out at the next request after that. {}",
                    duration_words(lifetime),
                    short_lifetime_hint(max_age)
                ),
                SHORT_LIFETIME_FIX,
                "RFC 6265bis §5.6.2",
            ));
        }
    } else {
        if verbose {
            findings.push(Finding::new(
                Code::CookieSession,
                Severity::Info,
                "Set-Cookie",
                "A session cookie: it ends when the browser session ends",
                "Without a usable Expires or Max-Age the cookie is kept only for the browsing session (browsers that \
                 restore sessions may keep it longer).",
                "Add `Max-Age=<seconds>` if the login should survive closing the browser.",
                "RFC 6265bis §5.7 step 3",
            ));
        }
    }

    // §5.7 steps 5–6: the Domain attribute.
    let host = url.host();
    let (domain, host_only) = match set.domain() {
        None => (host, true),
        Some(d) if url.host_is_ip() => {
            // An IP host: the attribute must be the address itself (brackets optional for IPv6).
            let bare = host.trim_start_matches('[').trim_end_matches(']');
            let d_bare = d.trim_start_matches('[').trim_end_matches(']');
            if d_bare != bare {
                reasons.push(R::InvalidDomain);
                if verbose {
                    findings.push(Finding::new(
                        Code::CookieDomainIpAddress,
                        Severity::Error,
                        "Set-Cookie.Domain",
                        "Domain on an IP-address host must be that address",
                        format!(
                            "The response host is the IP address {}; Domain={} does not equal it.",
                            quote(host, MAX_QUOTE_CHARS),
                            quote(set.domain_verbatim().unwrap_or(""), MAX_QUOTE_CHARS)
                        ),
                        "Leave Domain out for IP hosts.",
                        "RFC 6265bis §5.1.3, §5.7",
                    ));
                }
            }
            (host, true)
        }
        Some(d) if psl::is_public_suffix(d) => {
            if d == host {
                // Chromium: a Domain equal to the host makes a host-only cookie even on a public suffix.
                (host, true)
            } else {
                reasons.push(R::InvalidDomain);
                if verbose {
                    findings.push(Finding::new(
                        Code::CookieDomainPublicSuffix,
                        Severity::Error,
                        "Set-Cookie.Domain",
                        format!(
                            "Domain={} is a public suffix",
                            quote(set.domain_verbatim().unwrap_or(""), MAX_QUOTE_CHARS)
                        ),
                        format!(
                            "{} is on the Public Suffix List (like com, co.uk, github.io or vercel.app): a cookie for it \
                             would reach every site under it, so browsers reject it.",
                            quote(d, MAX_QUOTE_CHARS)
                        ),
                        format!(
                            "Leave Domain out, so the cookie belongs to {} only.",
                            quote(host, MAX_QUOTE_CHARS)
                        ),
                        "RFC 6265bis §5.7 step 5",
                    ));
                }
                (d, false)
            }
        }
        Some(d) => {
            if !domain_match(host, d) {
                reasons.push(R::InvalidDomain);
                if verbose {
                    details.push((
                        R::InvalidDomain,
                        format!(
                            "The response host is {} and Domain={} does not domain-match it.",
                            quote(host, MAX_QUOTE_CHARS),
                            quote(set.domain_verbatim().unwrap_or(""), MAX_QUOTE_CHARS)
                        ),
                    ));
                }
            }
            (d, false)
        }
    };

    // §5.7 step 7: Path, or the default path of the request URL (§5.1.4).
    let path = set.path().unwrap_or_else(|| default_path(url.path()));

    // §5.7 step 8: Secure only from a secure origin.
    if set.secure && !secure_origin {
        reasons.push(R::SecureOnly);
        if verbose {
            details.push((
                R::SecureOnly,
                format!(
                    "The response URL is {}://{}.",
                    url.scheme(),
                    quote(host, MAX_QUOTE_CHARS)
                ),
            ));
        }
    }

    // §5.7 step 13 (Chromium: required): SameSite=None needs Secure.
    if set.same_site() == SameSite::None && !set.secure {
        reasons.push(R::SameSiteNoneInsecure);
    }
    if verbose && set.same_site.is_none() {
            findings.push(Finding::new(
                Code::CookieSameSiteUnspecified,
                Severity::Info,
                "Set-Cookie.SameSite",
                if firefox {
                    "No SameSite attribute: Firefox sends it cross-site, Chromium treats it as Lax"
                } else {
                    "No SameSite attribute: the browser treats the cookie as Lax"
                },
                if firefox {
                    "Firefox treats a cookie without SameSite as None and sends it on cross-site requests too. Chrome, \
                     Edge and other Chromium browsers treat it as Lax: there it is not sent on cross-site subresource \
                     requests or cross-site POSTs (after a two-minute grace period for new cookies), which breaks \
                     sign-in flows that POST back from an identity provider."
                } else {
                    "It is not sent on cross-site subresource requests or cross-site POSTs (after a two-minute grace period \
                     for new cookies), which breaks sign-in flows that POST back from an identity provider."
                },
                "Say it explicitly: `SameSite=Lax` for a normal session, `SameSite=None; Secure` for cross-site use.",
                "RFC 6265bis §5.6.7",
            ));
        }
    // CHIPS (Chromium's IsCookiePartitionedValid): Partitioned needs Secure from a secure origin.
    if set.partitioned && !(set.secure && secure_origin) {
        reasons.push(R::UnknownError);
    }

    // §5.7 step 14: SameSite on a cross-site response.
    if request.response_context == SameSiteContext::CrossSite {
        if let Some(r) = samesite_reason(set.same_site(), request.browser) {
            reasons.push(r);
        }
    }

    // §5.7 steps 17–20: cookie name prefixes, case-insensitive. `__Secure-` needs Secure from a
    // secure origin; `__Host-` also Path=/ and no Domain (or, on an IP host, Domain equal to the
    // host: Chromium's HasValidHostPrefixAttributes); `__Http-` and `__Host-Http-` (newer drafts)
    // also need HttpOnly.
    let secure_ok = set.secure && secure_origin;
    let host_ok = secure_ok
        // Firefox checks the path the cookie gets (a missing Path defaulting to / passes).
        && (set.path() == Some("/") || (firefox && path == "/"))
        && match set.domain() {
            None => true,
            Some(d) => {
                url.host_is_ip()
                    && d.trim_start_matches('[').trim_end_matches(']')
                        == host.trim_start_matches('[').trim_end_matches(']')
            }
        };
    let prefix_ok = if has_prefix(name, "__Host-Http-") {
        host_ok && set.http_only
    } else if has_prefix(name, "__Host-") {
        host_ok
    } else if has_prefix(name, "__Http-") {
        secure_ok && set.http_only
    } else if has_prefix(name, "__Secure-") {
        secure_ok
    } else {
        // §5.7 step 16: an empty name must not smuggle a prefix in through the value (the
        // serialised header would read `__Host-…`).
        !(name.is_empty()
            && ["__Secure-", "__Host-", "__Http-"]
                .iter()
                .any(|p| has_prefix(value, p)))
    };
    if !prefix_ok {
        reasons.push(R::InvalidPrefix);
        if verbose {
            details.push((
                R::InvalidPrefix,
                format!("The cookie name is {}.", quote(name, MAX_QUOTE_CHARS)),
            ));
        }
    }

    // §5.7 step 19: "leave secure cookies alone" — an insecure origin may not shadow a Secure cookie.
    if !set.secure && !secure_origin {
        let clash = existing.iter().any(|old| {
            old.secure
                && old.name() == name
                && (domain_match(old.domain(), domain) || domain_match(domain, old.domain()))
                && path_match(path, old.path())
        });
        if clash {
            reasons.push(R::OverwriteSecure);
        }
    }

    // Third-party cookie blocking (a browser setting). Partitioned + Secure cookies are exempt.
    // Chromium checks the setting before SameSite when storing: a blocked third-party cookie is
    // reported with the setting's reason alone (recorded from Chromium 156), unlike when sending.
    // Firefox's Total Cookie Protection stores it under the top-level site instead.
    if request.third_party && !(set.partitioned && set.secure) && !request.total_cookie_protection() {
        let setting = match request.third_party_cookies {
            ThirdPartyCookies::Allowed => None,
            ThirdPartyCookies::Blocked => Some(R::UserPreferences),
            ThirdPartyCookies::Phaseout => Some(R::ThirdPartyPhaseout),
        };
        if let Some(setting) = setting {
            reasons.retain(|r| !is_samesite_reason(*r));
            details.retain(|(r, _)| !is_samesite_reason(*r));
            reasons.push(setting);
        }
    }

    let cookie = StoredCookie {
        host_only,
        expiry,
        secure: set.secure,
        http_only: set.http_only,
        same_site: set.same_site(),
        partitioned: set.partitioned,
        partition_key: request.stores_partitioned(set.partitioned).then(|| request.top_level_site()),
        priority: set.priority,
        ..StoredCookie::new(name, value, domain, path, now)
    };

    // The public-suffix and IP-address cases already have a specific finding for InvalidDomain.
    let specific_domain_finding = findings
        .iter()
        .any(|f| matches!(f.code, Code::CookieDomainPublicSuffix | Code::CookieDomainIpAddress));
    for r in reasons.iter().filter(|_| verbose) {
        if *r == R::InvalidDomain && specific_domain_finding {
            continue;
        }
        let detail = details
            .iter()
            .filter(|(d, _)| d == r)
            .map(|(_, t)| t.as_str())
            .collect::<Vec<_>>()
            .join(" ");
        findings.push(reason_finding(*r, detail));
    }
    let explained_reasons = reasons.iter().map(|r| explained(*r)).collect();
    let decision = if !reasons.is_empty() {
        StorageDecision::Rejected(reasons)
    } else if cookie.is_expired(now) {
        if verbose {
            findings.push(Finding::new(
                Code::CookieDeletes,
                Severity::Info,
                "Set-Cookie",
                "The cookie is already expired: it deletes any stored cookie of this name",
                match requested_expiry {
                    // Express's maxAge: 900 (meant as 15 minutes) is 0.9 s: Max-Age=0 and an
                    // Expires less than a second ahead.
                    Some(i64::MIN) if expires.is_some_and(|at| at >= now) => format!(
                        "Max-Age is zero or negative, which is how servers delete a cookie (logout); but the line's Expires ({}) has not passed, so the server meant it to live. {}",
                        iso8601(expires.unwrap_or(now)).unwrap_or_default(),
                        short_lifetime_hint(max_age)
                    ),
                    Some(i64::MIN) => {
                        "Max-Age is zero or negative, which is how servers delete a cookie (logout).".to_string()
                    }
                    Some(e) => format!(
                        "It expired {} ({}). If this is a login cookie, the server or a proxy clock may be wrong, or the \
                         date is built in local time.",
                        crate::time::relative_words(e, now),
                        iso8601(e).unwrap_or_default()
                    ),
                    None => String::new(),
                },
                "To delete a cookie, send the same Domain and Path as when it was set; otherwise send a future expiry.",
                "RFC 6265bis §5.7 step 22",
            ));
        }
        StorageDecision::DeletesExisting
    } else {
        if verbose {
            findings.push(Finding::new(
                Code::CookieStored,
                Severity::Info,
                "Set-Cookie",
                format!("The browser stores {}", quote(cookie.name(), MAX_QUOTE_CHARS)),
                format!(
                    "{} cookie for {}{}, path {}, {}.",
                    if cookie.host_only { "Host-only" } else { "Domain" },
                    if cookie.host_only { "" } else { "." },
                    quote(cookie.domain(), MAX_QUOTE_CHARS),
                    quote(cookie.path(), MAX_QUOTE_CHARS),
                    match cookie.expiry {
                        Some(e) => format!("expires {}", crate::time::relative_words(e, now)),
                        None => "session cookie".to_string(),
                    }
                ),
                "Nothing to fix here.",
                "RFC 6265bis §5.7",
            ));
        }
        StorageDecision::Stored
    };
    if verbose && !cookie.http_only && looks_like_session(cookie.name()) {
            findings.push(Finding::new(
                Code::CookieNotHttpOnly,
                Severity::Warning,
                "Set-Cookie.HttpOnly",
                "A session cookie without HttpOnly",
                format!(
                    "{} looks like a session cookie but scripts can read it, so any XSS can steal the session.",
                    quote(cookie.name(), MAX_QUOTE_CHARS)
                ),
                "Add HttpOnly: `res.cookie('session', v, { httpOnly: true, secure: true, sameSite: 'lax' })`.",
                "RFC 6265bis §8.5",
            ));
        }
    StorageOutcome {
        explained: explained_reasons,
        decision,
        cookie: Some(cookie),
        findings,
    }
}

fn explained(reason: SetCookieBlockedReason) -> ExplainedReason<SetCookieBlockedReason> {
    let (explanation, fix) = reason.explain();
    ExplainedReason {
        reason,
        explanation,
        fix,
    }
}

/// Heuristic: names sign-in cookies commonly carry.
fn looks_like_session(name: &str) -> bool {
    let n = name.to_ascii_lowercase();
    ["session", "sess", "sid", "auth", "token", "jwt", "login"]
        .iter()
        .any(|k| n.contains(k))
}

#[cfg(test)]
mod tests {

    /// Every reason is in `ALL`, found again by its DevTools name, with its own few words.
    #[test]
    fn reasons_by_name() {
        for r in SetCookieBlockedReason::ALL {
            assert_eq!(SetCookieBlockedReason::from_name(r.as_str()), Some(r));
            assert!(!r.short().is_empty() && !r.explain().0.is_empty());
        }
        assert_eq!(SetCookieBlockedReason::from_name("NoSuchReason"), None);
    }

    use super::*;
    use crate::cookie::parse::parse_set_cookie;
    use crate::cookie::site::{RequestContext, RequestKind};
    use SetCookieBlockedReason as R;

    const NOW: i64 = 1_800_000_000;

    fn req(ctx: RequestContext) -> ResolvedRequest {
        ResolvedRequest::resolve(&ctx).unwrap()
    }

    fn nav(url: &str) -> ResolvedRequest {
        req(RequestContext::navigation(url))
    }

    /// A fetch from `top` to `url` (a subresource of the page `top`).
    fn fetch(url: &str, top: &str) -> ResolvedRequest {
        req(RequestContext {
            url: url.into(),
            kind: RequestKind::Fetch,
            top_level_url: Some(top.into()),
            initiator: Some(top.into()),
            ..RequestContext::default()
        })
    }

    fn reasons(line: &str, r: &ResolvedRequest, existing: &[StoredCookie]) -> Vec<R> {
        match decide(&parse_set_cookie(line), r, existing, NOW).decision {
            StorageDecision::Rejected(v) => v,
            _ => vec![],
        }
    }

    /// A sign-in cookie that lives ten minutes or less is flagged, with the unit mix-up that
    /// most often causes it (Express's maxAge is in milliseconds); Max-Age=0 with an Expires
    /// still ahead says so too. Other cookies, and longer lifetimes, are not flagged.
    #[test]
    fn short_lived_sign_in_cookies() {
        let r = nav("https://app.example.com/login");
        let http_date = |t: i64| {
            let c = crate::time::civil_from_seconds(t).unwrap();
            let month = ["Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec"][usize::from(c.month) - 1];
            format!("{:02} {month} {} {:02}:{:02}:{:02} GMT", c.day, c.year, c.hour, c.minute, c.second)
        };
        let short = |line: &str| {
            decide(&parse_set_cookie(line), &r, &[], NOW).findings.into_iter().find(|f| f.code == Code::CookieExpiryShort)
        };
        let express = format!("connect.sid=s%3Aabc; Path=/; Expires={}; Max-Age=86; HttpOnly", http_date(NOW + 86));
        let f = short(&express).expect("flagged");
        assert_eq!(f.title, "\"connect.sid\" lives only 1 minute 26 seconds", "{}", f.title);
        assert!(f.detail.contains("Max-Age=86 is exactly what maxAge: 86400 (a day, written in seconds) becomes as milliseconds"), "{}", f.detail);
        assert!(f.fix.contains("60 * 60 * 1000"));
        assert!(short("session=abc; Max-Age=3").unwrap().detail.contains("maxAge: 3600 (an hour"));
        assert!(!short("session=abc; Max-Age=120").unwrap().detail.contains("exactly what"));
        assert!(short("session=abc; Max-Age=600").is_some());
        for quiet in ["session=abc; Max-Age=601", "theme=dark; Max-Age=3", "session=abc", "session=abc; Max-Age=0"] {
            assert!(short(quiet).is_none(), "{quiet}");
        }
        // Express's maxAge: 900 (meant in seconds): Max-Age=0 and an Expires under a second ahead.
        let out = decide(&parse_set_cookie(&format!("session=abc; Max-Age=0; Expires={}", http_date(NOW))), &r, &[], NOW);
        let deletes = out.findings.iter().find(|f| f.code == Code::CookieDeletes).unwrap();
        assert!(deletes.detail.contains("has not passed, so the server meant it to live"), "{}", deletes.detail);
        assert!(deletes.detail.contains("maxAge: 300, 600 or 900 (5 minutes to 15 minutes"), "{}", deletes.detail);
    }

    #[test]
    fn clean_cookie_is_stored() {
        let out = decide(
            &parse_set_cookie("session=abc; Path=/; Secure; HttpOnly; SameSite=Lax; Max-Age=3600"),
            &nav("https://app.example.com/login"),
            &[],
            NOW,
        );
        assert_eq!(out.decision, StorageDecision::Stored);
        let c = out.cookie.unwrap();
        assert!(c.host_only && c.secure && c.http_only);
        assert_eq!(c.expiry, Some(NOW + 3600));
        assert!(out.findings.iter().all(|f| f.severity != Severity::Error));
    }

    #[test]
    fn each_rejection_reason() {
        let https = nav("https://app.example.com/a/b");
        let http = nav("http://app.example.com/a/b");
        assert_eq!(reasons("a=b; Secure", &http, &[]), vec![R::SecureOnly]);
        assert_eq!(
            reasons("a=b; SameSite=None", &https, &[]),
            vec![R::SameSiteNoneInsecure]
        );
        assert_eq!(reasons("a=b; Domain=other.com", &https, &[]), vec![R::InvalidDomain]);
        assert_eq!(reasons("a=b; Domain=com", &https, &[]), vec![R::InvalidDomain]);
        assert_eq!(
            reasons("__Host-a=b; Secure; Path=/; Domain=example.com", &https, &[]),
            vec![R::InvalidPrefix]
        );
        assert_eq!(reasons("__secure-a=b", &https, &[]), vec![R::InvalidPrefix]);
        assert_eq!(reasons("=__Host-x", &https, &[]), vec![R::InvalidPrefix]);
        assert_eq!(reasons("a=b\u{1}", &https, &[]), vec![R::DisallowedCharacter]);
        assert_eq!(
            reasons(&format!("a={}", "x".repeat(5000)), &https, &[]),
            vec![R::NameValuePairExceedsMaxSize]
        );
        assert_eq!(reasons("=", &https, &[]), vec![R::NoCookieContent]);
        assert_eq!(
            reasons("a=b", &nav("ftp://example.com/"), &[]),
            vec![R::SchemeNotSupported]
        );
        let cross = fetch("https://api.other.net/x", "https://app.example.com/");
        assert_eq!(
            reasons("a=b; SameSite=Strict; Secure", &cross, &[]),
            vec![R::SchemefulSameSiteStrict]
        );
        assert_eq!(reasons("a=b; SameSite=Lax; Secure", &cross, &[]), vec![R::SchemefulSameSiteLax]);
        assert_eq!(
            reasons("a=b; Secure", &cross, &[]),
            vec![R::SchemefulSameSiteUnspecifiedTreatedAsLax]
        );
        assert_eq!(reasons("a=b; Secure; SameSite=None", &cross, &[]), vec![]);
        // Schemeful: the page is http://, the fetch goes to https:// of the same site.
        let scheme_cross = fetch("https://app.example.com/x", "http://app.example.com/");
        assert_eq!(
            reasons("a=b; SameSite=Strict; Secure", &scheme_cross, &[]),
            vec![R::SchemefulSameSiteStrict]
        );
        assert_eq!(
            reasons("a=b; SameSite=Lax; Secure", &scheme_cross, &[]),
            vec![R::SchemefulSameSiteLax]
        );
        assert_eq!(
            reasons("a=b; Secure", &scheme_cross, &[]),
            vec![R::SchemefulSameSiteUnspecifiedTreatedAsLax]
        );
        // Third-party cookie blocking.
        let mut blocked = RequestContext {
            url: "https://api.other.net/x".into(),
            kind: RequestKind::Fetch,
            top_level_url: Some("https://app.example.com/".into()),
            third_party_cookies: ThirdPartyCookies::Blocked,
            ..RequestContext::default()
        };
        assert_eq!(
            reasons("a=b; Secure; SameSite=None", &req(blocked.clone()), &[]),
            vec![R::UserPreferences]
        );
        assert_eq!(
            reasons("a=b; Secure; SameSite=None; Partitioned", &req(blocked.clone()), &[]),
            vec![]
        );
        blocked.third_party_cookies = ThirdPartyCookies::Phaseout;
        assert_eq!(
            reasons("a=b; Secure; SameSite=None", &req(blocked), &[]),
            vec![R::ThirdPartyPhaseout]
        );
        assert_eq!(reasons("a=b; SameSite=None; Secure; Partitioned", &https, &[]), vec![]);
        assert_eq!(reasons("a=b; Partitioned", &https, &[]), vec![R::UnknownError]);
        // Leave secure cookies alone.
        let secure = decide(&parse_set_cookie("a=1; Secure; Path=/"), &https, &[], NOW)
            .cookie
            .unwrap();
        assert_eq!(
            reasons("a=2; Path=/a", &http, std::slice::from_ref(&secure)),
            vec![R::OverwriteSecure]
        );
        assert_eq!(reasons("b=2; Path=/a", &http, &[secure]), vec![]);
        // Every reason has words.
        for r in [R::SyntaxError, R::SameSiteNoneInsecure, R::UserPreferences] {
            assert!(!r.explain().0.is_empty() && !r.explain().1.is_empty());
        }
    }

    #[test]
    fn domains() {
        let r = nav("https://shop.example.co.uk/");
        let c = decide(&parse_set_cookie("a=b; Domain=.EXAMPLE.co.uk"), &r, &[], NOW)
            .cookie
            .unwrap();
        assert_eq!((c.domain(), c.host_only), ("example.co.uk", false));
        // Public suffix equal to the host: host-only (Chromium).
        let gh = nav("https://github.io/");
        let out = decide(&parse_set_cookie("a=b; Domain=github.io"), &gh, &[], NOW);
        assert_eq!(out.decision, StorageDecision::Stored);
        assert!(out.cookie.unwrap().host_only);
        assert_eq!(
            reasons("a=b; Domain=vercel.app", &nav("https://me.vercel.app/"), &[]),
            vec![R::InvalidDomain]
        );
        // IP hosts.
        let ip = nav("http://192.168.0.1/");
        assert_eq!(reasons("a=b; Domain=168.0.1", &ip, &[]), vec![R::InvalidDomain]);
        assert_eq!(reasons("a=b; Domain=192.168.0.1", &ip, &[]), vec![]);
    }

    #[test]
    fn prefixes_and_localhost() {
        let https = nav("https://app.example.com/");
        assert_eq!(reasons("__Host-s=1; Secure; Path=/", &https, &[]), vec![]);
        assert_eq!(reasons("__HOST-s=1; Secure; Path=/", &https, &[]), vec![]);
        assert_eq!(reasons("__Host-s=1; Secure", &https, &[]), vec![R::InvalidPrefix]);
        assert_eq!(reasons("__Secure-s=1; Secure", &https, &[]), vec![]);
        assert_eq!(reasons("__Host-s=1; Secure; Path=/; Domain=", &https, &[]), vec![]);
        assert_eq!(reasons("__Http-s=1; Secure", &https, &[]), vec![R::InvalidPrefix]);
        assert_eq!(reasons("__Http-s=1; Secure; HttpOnly", &https, &[]), vec![]);
        assert_eq!(
            reasons("__Host-Http-s=1; Secure; HttpOnly; Path=/", &https, &[]),
            vec![]
        );
        assert_eq!(
            reasons("__Host-Http-s=1; Secure; Path=/", &https, &[]),
            vec![R::InvalidPrefix]
        );
        let ip = nav("https://10.0.0.1/");
        assert_eq!(reasons("__Host-s=1; Secure; Path=/; Domain=10.0.0.1", &ip, &[]), vec![]);
        let insecure = reasons("__Secure-s=1; Secure", &nav("http://app.example.com/"), &[]);
        assert_eq!(insecure, vec![R::SecureOnly, R::InvalidPrefix]);
        // localhost is a secure context over http.
        for host in ["http://localhost:3000/", "http://127.0.0.1:8080/", "http://[::1]/"] {
            assert_eq!(
                reasons("__Host-s=1; Secure; Path=/; SameSite=None", &nav(host), &[]),
                vec![],
                "{host}"
            );
        }
    }

    #[test]
    fn expiry_rules() {
        let r = nav("https://a.example/");
        let out = decide(&parse_set_cookie("a=b; Max-Age=999999999"), &r, &[], NOW);
        assert_eq!(out.cookie.unwrap().expiry, Some(NOW + 400 * DAY));
        assert!(out.findings.iter().any(|f| f.code == Code::CookieExpiryCapped));
        let out = decide(
            &parse_set_cookie("a=b; Expires=Fri, 01 Jan 9999 00:00:00 GMT; Max-Age=60"),
            &r,
            &[],
            NOW,
        );
        assert_eq!(out.cookie.unwrap().expiry, Some(NOW + 60));
        let out = decide(&parse_set_cookie("a=b; Max-Age=0"), &r, &[], NOW);
        assert_eq!(out.decision, StorageDecision::DeletesExisting);
        let out = decide(
            &parse_set_cookie("a=b; Expires=Thu, 01 Jan 1970 00:00:00 GMT"),
            &r,
            &[],
            NOW,
        );
        assert_eq!(out.decision, StorageDecision::DeletesExisting);
        let out = decide(&parse_set_cookie("a=b; Expires=Wed, 99 Foo 99999"), &r, &[], NOW);
        assert_eq!(out.decision, StorageDecision::Stored);
        assert_eq!(out.cookie.unwrap().expiry, None);
    }
}
