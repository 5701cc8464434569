//! Parsing one `Set-Cookie` header value: RFC 6265bis §5.6 ("The Set-Cookie Header Field"),
//! §5.6.1–§5.6.7 for the attributes.
//!
//! The result keeps, for every attribute, the text exactly as the server sent it *and* the value
//! the browser works with, so a report can quote the server and explain the difference
//! (`Domain=.Example.COM` → `example.com`).
//!
//! Parsing never fails: a line the browser would ignore still gives a [`SetCookie`], with
//! [`SetCookie::problem`] saying why it is ignored. Work is linear in the line length, and only the
//! first [`MAX_COOKIE_ATTRIBUTES_LISTED`] attributes are listed one by one.
//!
//! ## Deviations: where we follow Chromium rather than the letter of the spec
//! - Repeated attributes: the *last* occurrence of `Expires`, `Max-Age`, `Domain`, `Path` and
//!   `SameSite` wins even when its value is unusable (Chromium's `ParsedCookie` remembers the last
//!   index of each attribute and interprets it later). The spec drops an unusable `Expires` or
//!   `Max-Age` first, so an earlier valid one would win. Values over 1024 bytes are dropped
//!   before this, as the spec says.
//! - An empty `Domain=` is treated as absent (host-only cookie), as Chromium does; the spec calls
//!   it undefined and suggests ignoring the attribute, which comes to the same.
//! - Control characters: Chromium rejects a line holding NUL, CR or LF (it used to truncate
//!   there) and any control character in the name, value or an attribute, which comes to the spec's
//!   rule. A tab inside a name or value is allowed here, as the spec says; Chromium's treatment
//!   of an inner tab has not been verified.
//! - A non-ASCII `Domain` is only lower-cased, not converted to punycode, so it will not match an
//!   ASCII host (Chromium would canonicalise it first).

use serde::Serialize;

use crate::cookie::date::parse_cookie_date;
use crate::finding::{quote, Code, Finding, Severity};
use crate::limits::{
    MAX_COOKIE_ATTRIBUTES_LISTED, MAX_COOKIE_ATTRIBUTE_VALUE_BYTES, MAX_COOKIE_NAME_VALUE_BYTES, MAX_QUOTE_CHARS,
};

/// The `SameSite` attribute as the browser reads it (RFC 6265bis §5.6.7).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
pub enum SameSite {
    Strict,
    Lax,
    None,
    /// Missing, or a value other than the three above: "Default" enforcement, which
    /// Chromium treats as `Lax` (Lax-by-default).
    Unspecified,
}

impl SameSite {
    pub fn as_str(self) -> &'static str {
        match self {
            SameSite::Strict => "Strict",
            SameSite::Lax => "Lax",
            SameSite::None => "None",
            SameSite::Unspecified => "unspecified",
        }
    }
}

/// Chromium's `Priority` attribute (not in RFC 6265bis; Firefox and Safari ignore it): which
/// cookies of a site Chromium evicts last when the site passes its cookie limit.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Default, Serialize)]
pub enum Priority {
    Low,
    /// Missing, or a value other than `Low`, `Medium` and `High`.
    #[default]
    Medium,
    High,
}

/// Why the browser ignores a whole `Set-Cookie` line before looking at its attributes.
/// Named like Chromium's `Network.SetCookieBlockedReason`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
pub enum SyntaxProblem {
    /// A control character (other than tab) anywhere in the line (§5.6 step 1).
    DisallowedCharacter,
    /// Name plus value over 4096 bytes (§5.6 step 5).
    NameValuePairExceedsMaxSize,
    /// Empty name and empty value (§5.6 step 6).
    NoCookieContent,
}

/// One attribute as the server sent it, and the value the browser uses.
#[derive(Debug, Clone, PartialEq, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct Attribute<T> {
    /// The attribute name as written (`domain`, `DOMAIN`, …), whitespace trimmed.
    pub raw_name: String,
    /// The attribute value as written, whitespace trimmed; empty when there was no `=`.
    pub raw_value: String,
    /// The value the browser works with; see each field of [`SetCookie`].
    pub value: T,
}

/// An attribute in the order of the line, for listing.
#[derive(Debug, Clone, PartialEq, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct RawAttribute {
    pub name: String,
    /// `None` when the attribute had no `=`.
    pub value: Option<String>,
    /// `false` when the browser ignores it (unknown name, value too long, or overridden later).
    pub used: bool,
    /// Why it is not used, in words.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub note: Option<String>,
}

/// A parsed `Set-Cookie` line.
#[derive(Debug, Clone, PartialEq, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct SetCookie {
    /// The cookie name after trimming (empty for a line without `=`, per RFC 6265bis).
    pub name: String,
    /// The cookie value after trimming (quotes kept: they are part of the value).
    pub value: String,
    /// Whether the name-value pair contained `=`.
    pub has_equals: bool,
    /// `Expires`: the instant in seconds since the epoch, `None` if not a cookie-date.
    pub expires: Option<Attribute<Option<i64>>>,
    /// `Max-Age`: delta seconds (saturated to the `i64` range), `None` if not an integer.
    pub max_age: Option<Attribute<Option<i64>>>,
    /// `Domain`: leading dot removed, lower-cased; `None` when given empty (host-only).
    pub domain: Option<Attribute<Option<String>>>,
    /// `Path`: `None` when empty or not starting with `/` (the default path is used).
    pub path: Option<Attribute<Option<String>>>,
    pub secure: bool,
    pub http_only: bool,
    pub partitioned: bool,
    /// Chromium's `Priority` (`Medium` when missing or unknown); the attribute list shows it.
    #[serde(skip)]
    pub priority: Priority,
    /// `SameSite`; `value` is `Unspecified` for an unknown value.
    pub same_site: Option<Attribute<SameSite>>,
    /// The first attributes in line order, for the report.
    pub attributes: Vec<RawAttribute>,
    /// How many attributes the line had in all.
    pub attribute_count: usize,
    /// Set when the browser ignores the whole line.
    pub problem: Option<SyntaxProblem>,
    /// What the parser noticed (unknown attributes, bad dates, …).
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub findings: Vec<Finding>,
}

impl SetCookie {
    /// The cookie of a line's name-value pair, before its attributes.
    fn with_head(head: &Head<'_>) -> SetCookie {
        SetCookie {
            name: head.name.to_string(),
            value: head.value.to_string(),
            has_equals: head.has_equals,
            expires: None,
            max_age: None,
            domain: None,
            path: None,
            secure: false,
            http_only: false,
            partitioned: false,
            priority: Priority::Medium,
            same_site: None,
            attributes: Vec::new(),
            attribute_count: 0,
            problem: head.problem,
            findings: Vec::new(),
        }
    }

    /// Takes one recognised attribute (a later one replaces an earlier one of its kind): `value`
    /// is what the server sent, whitespace trimmed; `raw_name`/`raw_value` the texts a report
    /// quotes (empty when the attribute is not listed).
    fn apply(&mut self, kind: Kind, value: &str, raw_name: String, raw_value: String) {
        match Meaning::of(kind, value) {
            Meaning::Expires(at) => self.expires = Some(Attribute { raw_name, raw_value, value: at }),
            Meaning::MaxAge(delta) => self.max_age = Some(Attribute { raw_name, raw_value, value: delta }),
            Meaning::Domain(d) => {
                self.domain = Some(Attribute { raw_name, raw_value, value: d.map(std::borrow::Cow::into_owned) });
            }
            Meaning::Path(p) => self.path = Some(Attribute { raw_name, raw_value, value: p.map(str::to_string) }),
            Meaning::Secure => self.secure = true,
            Meaning::HttpOnly => self.http_only = true,
            Meaning::Partitioned => self.partitioned = true,
            Meaning::Priority(p) => self.priority = p,
            Meaning::SameSite(v) => self.same_site = Some(Attribute { raw_name, raw_value, value: v }),
        }
    }

    /// The line as the storage decision reads it, borrowed from this parse.
    pub fn line(&self) -> CookieLine<'_> {
        CookieLine {
            name: &self.name,
            value: &self.value,
            has_equals: self.has_equals,
            problem: self.problem,
            expires: self.expires.as_ref().map(|a| a.value),
            max_age: self.max_age.as_ref().map(|a| a.value),
            domain: self
                .domain
                .as_ref()
                .map(|a| (a.raw_value.as_str(), a.value.as_deref().map(std::borrow::Cow::Borrowed))),
            path: self.path.as_ref().map(|a| a.value.as_deref()),
            secure: self.secure,
            http_only: self.http_only,
            partitioned: self.partitioned,
            priority: self.priority,
            same_site: self.same_site.as_ref().map(|a| a.value),
        }
    }

    /// The `SameSite` enforcement in effect (`Unspecified` when the attribute is missing).
    pub fn same_site(&self) -> SameSite {
        self.same_site.as_ref().map_or(SameSite::Unspecified, |a| a.value)
    }

    /// The normalised `Domain`, if a non-empty one was given.
    pub fn domain(&self) -> Option<&str> {
        self.domain.as_ref().and_then(|a| a.value.as_deref())
    }

    /// The `Domain` value exactly as the server wrote it.
    pub fn domain_verbatim(&self) -> Option<&str> {
        self.domain.as_ref().map(|a| a.raw_value.as_str())
    }

    /// The valid `Path` (starts with `/`), if one was given.
    pub fn path(&self) -> Option<&str> {
        self.path.as_ref().and_then(|a| a.value.as_deref())
    }
}

/// What the storage decision (§5.7) reads of a `Set-Cookie` line: the cookie's fields, borrowed
/// from the line itself ([`parse_line`]) or from a report's parse ([`SetCookie::line`]). A replay
/// parses every line of a flow, and this view costs no allocation (a `Domain` written in
/// upper case is the one exception: it is lower-cased into its own string).
#[derive(Debug, Clone, PartialEq)]
pub struct CookieLine<'a> {
    /// The cookie name after trimming (empty for a line without `=`).
    pub name: &'a str,
    /// The cookie value after trimming.
    pub value: &'a str,
    pub has_equals: bool,
    /// Set when the browser ignores the whole line.
    pub problem: Option<SyntaxProblem>,
    /// `Expires` when present: the instant, `None` when it is not a cookie-date.
    pub expires: Option<Option<i64>>,
    /// `Max-Age` when present: delta seconds, `None` when not an integer.
    pub max_age: Option<Option<i64>>,
    /// `Domain` when present: as written (trimmed; empty when a report did not list it), and
    /// normalised (`None` when empty).
    pub domain: Option<(&'a str, Option<std::borrow::Cow<'a, str>>)>,
    /// `Path` when present: `None` when it does not start with `/`.
    pub path: Option<Option<&'a str>>,
    pub secure: bool,
    pub http_only: bool,
    pub partitioned: bool,
    /// Chromium's `Priority` (`Medium` when missing or unknown).
    pub priority: Priority,
    /// `SameSite` when present (`Unspecified` for an unknown value).
    pub same_site: Option<SameSite>,
}

impl<'a> CookieLine<'a> {
    fn apply(&mut self, kind: Kind, value: &'a str) {
        match Meaning::of(kind, value) {
            Meaning::Expires(at) => self.expires = Some(at),
            Meaning::MaxAge(delta) => self.max_age = Some(delta),
            Meaning::Domain(d) => self.domain = Some((value, d)),
            Meaning::Path(p) => self.path = Some(p),
            Meaning::Secure => self.secure = true,
            Meaning::HttpOnly => self.http_only = true,
            Meaning::Partitioned => self.partitioned = true,
            Meaning::Priority(p) => self.priority = p,
            Meaning::SameSite(v) => self.same_site = Some(v),
        }
    }

    /// The `SameSite` enforcement in effect (`Unspecified` when the attribute is missing).
    pub fn same_site(&self) -> SameSite {
        self.same_site.unwrap_or(SameSite::Unspecified)
    }

    /// The normalised `Domain`, if a non-empty one was given.
    pub fn domain(&self) -> Option<&str> {
        self.domain.as_ref().and_then(|(_, d)| d.as_deref())
    }

    /// The `Domain` value as the server wrote it.
    pub fn domain_verbatim(&self) -> Option<&str> {
        self.domain.as_ref().map(|(raw, _)| *raw)
    }

    /// The valid `Path` (starts with `/`), if one was given.
    pub fn path(&self) -> Option<&'a str> {
        self.path.flatten()
    }
}

/// What one recognised attribute's value means to the browser (RFC 6265bis §5.6.1–§5.6.7): the
/// one place both parses take it from.
enum Meaning<'a> {
    Expires(Option<i64>),
    MaxAge(Option<i64>),
    Domain(Option<std::borrow::Cow<'a, str>>),
    Path(Option<&'a str>),
    Secure,
    HttpOnly,
    Partitioned,
    Priority(Priority),
    SameSite(SameSite),
}

impl<'a> Meaning<'a> {
    fn of(kind: Kind, value: &'a str) -> Meaning<'a> {
        match kind {
            // §5.6.1: cookie-date; a bad date leaves the value None (Chromium: session cookie).
            Kind::Expires => Meaning::Expires(parse_cookie_date(value)),
            // §5.6.2: integer delta-seconds, `-` allowed; anything else ignores the attribute.
            Kind::MaxAge => Meaning::MaxAge(parse_max_age(value)),
            // §5.6.3: strip one leading '.', lower-case.
            Kind::Domain => {
                let d = value.strip_prefix('.').unwrap_or(value);
                let d = if !d.bytes().any(|b| b.is_ascii_uppercase() || !b.is_ascii()) {
                    std::borrow::Cow::Borrowed(d)
                } else if d.is_ascii() {
                    std::borrow::Cow::Owned(d.to_ascii_lowercase())
                } else {
                    std::borrow::Cow::Owned(d.to_lowercase())
                };
                Meaning::Domain((!d.is_empty()).then_some(d))
            }
            // §5.6.4: a path not starting with '/' means the default path.
            Kind::Path => Meaning::Path(value.starts_with('/').then_some(value)),
            // §5.6.5, §5.6.6: flags; any value is ignored.
            Kind::Secure => Meaning::Secure,
            Kind::HttpOnly => Meaning::HttpOnly,
            Kind::Partitioned => Meaning::Partitioned,
            // Chromium's ParsedCookie: case-insensitive low/medium/high, anything else the default.
            Kind::Priority => Meaning::Priority(if value.eq_ignore_ascii_case("low") {
                Priority::Low
            } else if value.eq_ignore_ascii_case("high") {
                Priority::High
            } else {
                Priority::Medium
            }),
            // §5.6.7: case-insensitive None/Strict/Lax, anything else is "Default".
            Kind::SameSite => Meaning::SameSite(if value.eq_ignore_ascii_case("strict") {
                SameSite::Strict
            } else if value.eq_ignore_ascii_case("lax") {
                SameSite::Lax
            } else if value.eq_ignore_ascii_case("none") {
                SameSite::None
            } else {
                SameSite::Unspecified
            }),
        }
    }
}

/// RFC 6265bis §5.6 step 1: CTL characters other than HTAB (`%x00-08 / %x0A-1F / %x7F`).
fn is_disallowed_control(c: char) -> bool {
    matches!(c, '\u{0}'..='\u{8}' | '\u{a}'..='\u{1f}' | '\u{7f}')
}

/// 0x01 in every byte of a word: `ONES * b` is `b` in every byte.
const ONES: u64 = 0x0101_0101_0101_0101;
/// The high bit of every byte of a word.
const HIGHS: u64 = 0x8080_8080_8080_8080;

/// The word-at-a-time searches below: the high bit set in each byte of `x` that is zero, exact
/// for the lowest such byte (a borrow only ever runs upwards), which is all `trailing_zeros`
/// looks at.
fn zero_bytes(x: u64) -> u64 {
    x.wrapping_sub(ONES) & !x & HIGHS
}

/// One pass over the line, eight bytes at a time (every line is scanned in full, and values
/// can be long): whether it holds a control character (a byte below 0x20 other than tab, or
/// 0x7F; §5.6 step 1), and where its first `;` is (step 2).
fn scan_line(bytes: &[u8]) -> (bool, Option<usize>) {
    let mut control = false;
    let mut semicolon = None;
    let mut chunks = bytes.chunks_exact(8);
    let mut offset = 0;
    for chunk in &mut chunks {
        let mut word = [0u8; 8];
        word.copy_from_slice(chunk);
        let x = u64::from_le_bytes(word);
        if semicolon.is_none() {
            let hits = zero_bytes(x ^ (u64::from(b';') * ONES));
            if hits != 0 {
                semicolon = Some(offset + (hits.trailing_zeros() / 8) as usize);
            }
        }
        // A byte below 0x20 sets its high bit in `x - 0x20…` when its own high bit is clear;
        // either flag sends the word to an exact look.
        if !control {
            let low = x.wrapping_sub(0x20 * ONES) & !x & HIGHS;
            let del = zero_bytes(x ^ (0x7f * ONES));
            control = (low | del) != 0 && chunk.iter().any(|&b| is_control_byte(b));
        }
        if control && semicolon.is_some() {
            return (true, semicolon);
        }
        offset += 8;
    }
    for (i, &b) in chunks.remainder().iter().enumerate() {
        control |= is_control_byte(b);
        if b == b';' && semicolon.is_none() {
            semicolon = Some(offset + i);
        }
    }
    (control, semicolon)
}

/// Where `needle` first is in `bytes`, eight bytes at a time (the same word trick as
/// [`scan_line`]). Lines, cookie-avs and a response's `Set-Cookie` block are searched this way:
/// in wasm a byte-by-byte loop over them was a tenth of a decision.
pub(crate) fn find_byte(bytes: &[u8], needle: u8) -> Option<usize> {
    let pattern = u64::from(needle) * ONES;
    let mut chunks = bytes.chunks_exact(8);
    let mut offset = 0;
    for chunk in &mut chunks {
        let mut word = [0u8; 8];
        word.copy_from_slice(chunk);
        let hits = zero_bytes(u64::from_le_bytes(word) ^ pattern);
        if hits != 0 {
            return Some(offset + (hits.trailing_zeros() / 8) as usize);
        }
        offset += 8;
    }
    chunks.remainder().iter().position(|&b| b == needle).map(|i| offset + i)
}

/// `a == b`, eight bytes at a time. In wasm, `==` on slices is a `memcmp` that compares one byte
/// per step, and the flow analysis compares every token it sees (hundreds of bytes) with the
/// last few it saw: that compare was a twentieth of a 1,000-entry analysis.
pub(crate) fn same_bytes(a: &[u8], b: &[u8]) -> bool {
    if a.len() != b.len() {
        return false;
    }
    let (mut x, mut y) = (a.chunks_exact(8), b.chunks_exact(8));
    for (p, q) in (&mut x).zip(&mut y) {
        let (mut v, mut w) = ([0u8; 8], [0u8; 8]);
        v.copy_from_slice(p);
        w.copy_from_slice(q);
        if u64::from_ne_bytes(v) != u64::from_ne_bytes(w) {
            return false;
        }
    }
    x.remainder() == y.remainder()
}

/// Where `first` followed by `second` first is in `bytes`, eight positions at a time: each word
/// is compared with `first` and the word one byte on with `second`, so a position is a hit only
/// when both bytes match. Searching for a common first byte alone stops at every one of them
/// (`\` before each `"` of a JSON body kept escaped in a HAR string); a pair rarely occurs by
/// chance.
pub(crate) fn find_pair(bytes: &[u8], first: u8, second: u8) -> Option<usize> {
    let (p, q) = (u64::from(first) * ONES, u64::from(second) * ONES);
    let word = |at: usize| {
        let mut w = [0u8; 8];
        w.copy_from_slice(bytes.get(at..at + 8).unwrap_or(&[0; 8]));
        u64::from_le_bytes(w)
    };
    let mut at = 0;
    while at + 9 <= bytes.len() {
        // Byte k is zero exactly when bytes[at + k] == first and bytes[at + k + 1] == second.
        let hits = zero_bytes((word(at) ^ p) | (word(at + 1) ^ q));
        if hits != 0 {
            return Some(at + (hits.trailing_zeros() / 8) as usize);
        }
        at += 8;
    }
    bytes.get(at..)?.windows(2).position(|w| w == [first, second]).map(|i| at + i)
}

/// Whether `needle` occurs in `hay`: [`find_pair`] (or [`find_byte`] for one byte) for its
/// start, then a compare. The flow analysis asks this of every entry (a MIME type, a URL, a
/// body) with short fixed needles, where `str::contains` sets up its two-way searcher anew on
/// each call: 3% of a HAR analysis.
pub(crate) fn contains(hay: &str, needle: &str) -> bool {
    let (hay, needle) = (hay.as_bytes(), needle.as_bytes());
    let (first, second, rest) = match needle {
        [] => return true,
        [only] => return find_byte(hay, *only).is_some(),
        [first, second, rest @ ..] => (*first, *second, rest),
    };
    let mut from = 0;
    while let Some(at) = hay.get(from..).and_then(|h| find_pair(h, first, second)) {
        let start = from + at + 2;
        if hay.get(start..start + rest.len()) == Some(rest) {
            return true;
        }
        from = from + at + 1;
    }
    false
}

fn is_control_byte(b: u8) -> bool {
    (b < 0x20 && b != b'\t') || b == 0x7f
}

/// Trims the whitespace the spec means (SP and HTAB), nothing else.
fn trim_wsp(s: &str) -> &str {
    // Byte-wise: both characters are ASCII, so every cut is on a character boundary.
    let b = s.as_bytes();
    let start = b.iter().position(|&c| c != b' ' && c != b'\t').unwrap_or(b.len());
    let end = b.iter().rposition(|&c| c != b' ' && c != b'\t').map_or(start, |i| i + 1);
    s.get(start..end).unwrap_or("")
}

/// Splits `text` at the first `=`: (name, value, had `=`).
fn split_pair(text: &str) -> (&str, &str, bool) {
    match split_once_byte(text, b'=') {
        Some((n, v)) => (trim_wsp(n), trim_wsp(v), true),
        None => (trim_wsp(text), "", false),
    }
}

/// [`contains`] without ASCII case: for header values, which browsers and servers write either way.
pub(crate) fn contains_ignore_ascii_case(hay: &str, needle: &str) -> bool {
    needle.is_empty() || hay.as_bytes().windows(needle.len()).any(|w| w.eq_ignore_ascii_case(needle.as_bytes()))
}

/// `str::split_once` for an ASCII delimiter, by [`find_byte`] (the general pattern searcher
/// was most of a parse in wasm).
pub(crate) fn split_once_byte(text: &str, delimiter: u8) -> Option<(&str, &str)> {
    let at = find_byte(text.as_bytes(), delimiter)?;
    // An ASCII byte is always a character boundary.
    Some((text.get(..at)?, text.get(at + 1..)?))
}

/// `str::split` for an ASCII delimiter, in the manner of [`split_once_byte`].
struct SplitByte<'a>(Option<&'a str>, u8);

/// `text.split(delimiter)` for an ASCII delimiter, by [`find_byte`]: every piece, empty ones
/// included, as `str::split` gives them.
pub(crate) fn split_byte(text: &str, delimiter: u8) -> impl Iterator<Item = &str> {
    SplitByte(Some(text), delimiter)
}

impl<'a> Iterator for SplitByte<'a> {
    type Item = &'a str;
    fn next(&mut self) -> Option<&'a str> {
        let text = self.0?;
        match split_once_byte(text, self.1) {
            Some((head, tail)) => {
                self.0 = Some(tail);
                Some(head)
            }
            None => self.0.take(),
        }
    }
}

/// Parses `Max-Age` per RFC 6265bis §5.6.2: an optional `-` then digits only, saturating.
fn parse_max_age(value: &str) -> Option<i64> {
    let (negative, digits) = match value.strip_prefix('-') {
        Some(rest) => (true, rest),
        None => (false, value),
    };
    if digits.is_empty() || !digits.bytes().all(|b| b.is_ascii_digit()) {
        return None;
    }
    let mut n: i64 = 0;
    for b in digits.bytes() {
        n = n.saturating_mul(10).saturating_add(i64::from(b - b'0'));
    }
    Some(if negative { -n } else { n })
}

/// Parses the bytes of a header value; invalid UTF-8 is replaced first (it can only make
/// the line odder, never make an invalid line valid: the replacement is not a control character).
pub fn parse_set_cookie_bytes(bytes: &[u8]) -> SetCookie {
    parse_set_cookie(&String::from_utf8_lossy(bytes))
}

/// How much a parse or a storage decision writes down besides the verdict.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum Detail {
    #[default]
    /// Findings with their texts and every attribute as sent: what a report shows.
    Report,
    /// The verdict and its reasons only. A replay through the jar needs no more, and writing the
    /// texts costs several times the decision itself.
    DecisionsOnly,
}

/// Parses one `Set-Cookie` header value (without the `Set-Cookie:` name) for a report: every
/// attribute as sent, and findings. [`parse_line`] reads the same cookie for a decision alone.
pub fn parse_set_cookie(line: &str) -> SetCookie {
    let head = read_head(line);
    let mut cookie = SetCookie::with_head(&head);
    let Head { pair, rest, name, value, has_equals, problem } = head;

    // §5.6 step 1: a control character aborts the whole line.
    if let Some(c) = if problem == Some(SyntaxProblem::DisallowedCharacter) { line.chars().find(|c| is_disallowed_control(*c)) } else { None } {
        cookie.findings.push(Finding::new(
            Code::CookieDisallowedCharacter,
            Severity::Error,
            "Set-Cookie",
            "The Set-Cookie line contains a control character, so the browser ignores it",
            format!(
                "The line contains U+{:04X}. RFC 6265bis rejects any line holding a control character \
                 other than tab, and Chromium reports the cookie as DisallowedCharacter. Often this is a \
                 newline from a value that was not encoded, or header splitting.",
                u32::from(c)
            ),
            "Encode the cookie value (e.g. encodeURIComponent or base64url) so it contains only printable ASCII.",
            "RFC 6265bis §5.6 step 1",
        ));
    }

    // Step 5: name plus value over 4096 bytes.
    if problem == Some(SyntaxProblem::NameValuePairExceedsMaxSize) {
        cookie.findings.push(Finding::new(
            Code::CookieNameValueTooLarge,
            Severity::Error,
            "Set-Cookie",
            "The cookie's name and value are too large, so the browser ignores it",
            format!(
                "Name plus value are {} bytes; browsers accept at most {MAX_COOKIE_NAME_VALUE_BYTES}. \
                 A large JWT or serialised session in a cookie is the usual cause.",
                name.len() + value.len()
            ),
            "Keep only a session id in the cookie and the data on the server, or split the value over several cookies.",
            "RFC 6265bis §5.6 step 5",
        ));
    }
    // Step 6: empty name and empty value.
    if problem == Some(SyntaxProblem::NoCookieContent) {
        cookie.findings.push(Finding::new(
            Code::CookieNoContent,
            Severity::Error,
            "Set-Cookie",
            "The Set-Cookie line has neither a name nor a value, so the browser ignores it",
            "An empty name and an empty value make no cookie.",
            "Send `name=value`, e.g. `session=<id>; Path=/; Secure; HttpOnly; SameSite=Lax`.",
            "RFC 6265bis §5.6 step 6",
        ));
    }
    if cookie.problem.is_none() && (!has_equals || name.is_empty()) {
            cookie.findings.push(Finding::new(
                Code::CookieNameless,
                Severity::Warning,
                "Set-Cookie",
                "The cookie has an empty name",
                format!(
                    "The name-value pair {} has {}, so current browsers store a cookie with an empty name and \
                     send it as just its value; older parsers (RFC 6265) drop it. Servers rarely read such a cookie.",
                    quote(pair, MAX_QUOTE_CHARS),
                    if has_equals { "nothing before `=`" } else { "no `=`" }
                ),
                "Give the cookie a name: `name=value`.",
                "RFC 6265bis §5.6 step 3",
            ));
        }

    if let Some(rest) = rest {
        parse_attributes(&mut cookie, rest);
    }
    summarise_attributes(&mut cookie);
    cookie
}

/// A line's name-value pair and the rest, as both parses read them (§5.6 steps 1–6).
struct Head<'a> {
    /// Everything before the first `;`.
    pair: &'a str,
    /// Everything after it (the cookie-avs), if there was one.
    rest: Option<&'a str>,
    name: &'a str,
    value: &'a str,
    has_equals: bool,
    /// The first of steps 1, 5 and 6 that makes the browser ignore the line.
    problem: Option<SyntaxProblem>,
}

fn read_head(line: &str) -> Head<'_> {
    // Steps 1 and 2 in one scan: a control character anywhere (every one is ASCII), and the
    // first ';', which ends the name-value pair.
    let (has_control, first_semicolon) = scan_line(line.as_bytes());
    let (pair, rest) = match first_semicolon.and_then(|at| Some((line.get(..at)?, line.get(at + 1..)?))) {
        Some((p, r)) => (p, Some(r)),
        None => (line, None),
    };
    // Step 3: without '=', the name is empty and the whole pair is the value.
    let (name, value, has_equals) = match split_once_byte(pair, b'=') {
        Some((n, v)) => (trim_wsp(n), trim_wsp(v), true),
        None => ("", trim_wsp(pair), false),
    };
    let problem = if has_control {
        Some(SyntaxProblem::DisallowedCharacter)
    } else if name.len() + value.len() > MAX_COOKIE_NAME_VALUE_BYTES {
        // Step 5: name plus value over 4096 bytes.
        Some(SyntaxProblem::NameValuePairExceedsMaxSize)
    } else if name.is_empty() && value.is_empty() {
        // Step 6: empty name and empty value.
        Some(SyntaxProblem::NoCookieContent)
    } else {
        None
    };
    Head { pair, rest, name, value, has_equals, problem }
}

/// The parse for a decision alone ([`Detail::DecisionsOnly`]): the same cookie as
/// [`parse_set_cookie`] (the fuzz target and a property test hold the two equal), borrowed from
/// the line, without the attribute list, the raw texts and the findings, and with each cookie-av
/// read in one pass. A replay parses every line of a flow, so this is the parser's hot path.
pub fn parse_line(line: &str) -> CookieLine<'_> {
    let head = read_head(line);
    let mut cookie = CookieLine {
        name: head.name,
        value: head.value,
        has_equals: head.has_equals,
        problem: head.problem,
        expires: None,
        max_age: None,
        domain: None,
        path: None,
        secure: false,
        http_only: false,
        partitioned: false,
        priority: Priority::Medium,
        same_site: None,
    };
    let mut rest = head.rest;

    // The cookie-avs: each up to the next ';', split at its first '='.
    while let Some(text) = rest {
        let end = find_byte(text.as_bytes(), b';');
        let av = match end {
            Some(at) => text.get(..at).unwrap_or(""),
            None => text,
        };
        rest = end.and_then(|at| text.get(at + 1..));
        let (name, value, has_equals) = split_pair(av);
        if name.is_empty() && !has_equals {
            continue; // only whitespace: "foo=bar;;" or a trailing ';'
        }
        // §5.6: an attribute-value over 1024 octets is ignored.
        if value.len() > MAX_COOKIE_ATTRIBUTE_VALUE_BYTES {
            continue;
        }
        if let Some(kind) = Kind::of(name) {
            cookie.apply(kind, value);
        }
    }
    cookie
}

/// What a recognised attribute is (RFC 6265bis §5.6.1–§5.6.7).
#[derive(Clone, Copy, PartialEq, Eq)]
enum Kind {
    Expires,
    MaxAge,
    Domain,
    Path,
    Secure,
    HttpOnly,
    SameSite,
    Partitioned,
    /// Chromium's, outside the spec: recognised so that it is not reported as unknown.
    Priority,
}

impl Kind {
    fn of(name: &str) -> Option<Kind> {
        // Every attribute of every line is looked up, so the name is compared as one or two
        // words: letters case-folded by setting bit 0x20 (only `A`–`Z` and `a`–`z` fold onto a
        // lower-case letter that way), the `-` of `max-age` compared exactly.
        const fn word(text: &[u8], from: usize, fold: bool) -> u64 {
            let mut out = 0u64;
            let mut i = 0;
            while i < 8 && from + i < text.len() {
                #[allow(clippy::indexing_slicing)] // `from + i < text.len()`, checked above.
                let b = text[from + i];
                let b = if fold && b.is_ascii_alphabetic() { 0x20 } else if fold { 0 } else { b };
                out |= (b as u64) << (8 * i);
                i += 1;
            }
            out
        }
        const fn key(name: &str) -> (u64, u64, u64, u64) {
            let b = name.as_bytes();
            (word(b, 0, false), word(b, 0, true), word(b, 8, false), word(b, 8, true))
        }
        const EXPIRES: (u64, u64, u64, u64) = key("expires");
        const MAX_AGE: (u64, u64, u64, u64) = key("max-age");
        const DOMAIN: (u64, u64, u64, u64) = key("domain");
        const PATH: (u64, u64, u64, u64) = key("path");
        const SECURE: (u64, u64, u64, u64) = key("secure");
        const HTTP_ONLY: (u64, u64, u64, u64) = key("httponly");
        const SAME_SITE: (u64, u64, u64, u64) = key("samesite");
        const PARTITIONED: (u64, u64, u64, u64) = key("partitioned");
        const PRIORITY: (u64, u64, u64, u64) = key("priority");
        let bytes = name.as_bytes();
        if !(4..=11).contains(&bytes.len()) {
            return None;
        }
        // The name as two little-endian words, zero-padded, from two loads that may overlap (an
        // overlapping byte is the same byte in both, so OR-ing them is exact).
        let len = bytes.len();
        let u32_at = |at: usize| bytes.get(at..at + 4).and_then(|b| b.try_into().ok()).map_or(0, u32::from_le_bytes);
        let u64_at = |at: usize| bytes.get(at..at + 8).and_then(|b| b.try_into().ok()).map_or(0, u64::from_le_bytes);
        let (low, high) = if len < 8 {
            (u64::from(u32_at(0)) | u64::from(u32_at(len - 4)) << (8 * (len - 4)), 0)
        } else if len == 8 {
            (u64_at(0), 0)
        } else {
            (u64_at(0), u64_at(len - 8) >> (8 * (16 - len)))
        };
        let is = |(w0, f0, w1, f1): (u64, u64, u64, u64)| low | f0 == w0 && high | f1 == w1;
        // The names differ in length or, at equal length, in their words: one or two compares.
        let kind = match bytes.len() {
            4 if is(PATH) => Kind::Path,
            6 if is(DOMAIN) => Kind::Domain,
            6 if is(SECURE) => Kind::Secure,
            7 if is(EXPIRES) => Kind::Expires,
            7 if is(MAX_AGE) => Kind::MaxAge,
            8 if is(HTTP_ONLY) => Kind::HttpOnly,
            8 if is(SAME_SITE) => Kind::SameSite,
            8 if is(PRIORITY) => Kind::Priority,
            11 if is(PARTITIONED) => Kind::Partitioned,
            _ => return None,
        };
        Some(kind)
    }

    fn label(self) -> &'static str {
        match self {
            Kind::Expires => "Expires",
            Kind::MaxAge => "Max-Age",
            Kind::Domain => "Domain",
            Kind::Path => "Path",
            Kind::Secure => "Secure",
            Kind::HttpOnly => "HttpOnly",
            Kind::SameSite => "SameSite",
            Kind::Partitioned => "Partitioned",
            Kind::Priority => "Priority",
        }
    }
}

fn parse_attributes(cookie: &mut SetCookie, rest: &str) {
    let mut unknown: Vec<String> = Vec::new();
    let mut unknown_count = 0usize;
    let mut seen: [usize; 9] = [0; 9];
    // Index into `cookie.attributes` of the listed attribute that currently wins, per kind.
    let mut winner: [Option<usize>; 9] = [None; 9];
    // §5.6 step "unparsed-attributes": split on ';' into cookie-avs, in order.
    for av in SplitByte(Some(rest), b';') {
        if trim_wsp(av).is_empty() {
            continue; // "foo=bar;;" or a trailing ';'
        }
        cookie.attribute_count += 1;
        let (name, value, has_equals) = split_pair(av);
        let listed = cookie.attributes.len() < MAX_COOKIE_ATTRIBUTES_LISTED;
        let index = cookie.attributes.len();
        let text = |t: &str| if listed { t.to_string() } else { String::new() };
        let mut raw = RawAttribute {
            name: text(name),
            value: (has_equals && listed).then(|| value.to_string()),
            used: true,
            note: None,
        };
        let kind = Kind::of(name);
        // §5.6: "If the attribute-value is longer than 1024 octets, ignore the cookie-av."
        if value.len() > MAX_COOKIE_ATTRIBUTE_VALUE_BYTES {
            raw.used = false;
            if listed {
                raw.note = Some(format!("value longer than {MAX_COOKIE_ATTRIBUTE_VALUE_BYTES} bytes"));
            }
            cookie.findings.push(Finding::new(
                Code::CookieAttributeTooLong,
                Severity::Warning,
                format!("Set-Cookie.{}", kind.map_or("attribute", Kind::label)),
                format!("The {} attribute value is too long and is ignored", quote(name, 40)),
                format!(
                    "Its value is {} bytes; browsers ignore attribute values over {MAX_COOKIE_ATTRIBUTE_VALUE_BYTES} bytes.",
                    value.len()
                ),
                "Shorten the attribute value (a Path or Domain is never this long on purpose).",
                "RFC 6265bis §5.6",
            ));
            if listed {
                cookie.attributes.push(raw);
            }
            continue;
        }
        let Some(kind) = kind else {
            unknown_count += 1;
            if unknown.len() < 5 {
                unknown.push(quote(name, 40));
            }
            raw.used = false;
            if listed {
                raw.note = Some("not a cookie attribute; ignored".to_string());
            }
            if listed {
                cookie.attributes.push(raw);
            }
            continue;
        };
        let slot = kind as usize;
        if let Some(s) = seen.get_mut(slot) {
            *s += 1;
        }
        cookie.apply(kind, value, text(name), text(value));
        if listed {
            if let Some(w) = winner.get_mut(slot) {
                if let Some(previous) = w.replace(index) {
                    if let Some(p) = cookie.attributes.get_mut(previous) {
                        p.used = false;
                        p.note = Some(format!("overridden by a later {}", kind.label()));
                    }
                }
            }
            cookie.attributes.push(raw);
        }
    }

    if unknown_count > 0 {
            cookie.findings.push(Finding::new(
                Code::CookieUnknownAttribute,
                Severity::Info,
                "Set-Cookie",
                format!("{unknown_count} attribute(s) the browser does not know are ignored"),
                format!(
                    "Ignored: {}{}. A misspelt attribute (`HttpOnly;` written `Http-Only`, `SameSite` written `Same-Site`) \
                     silently loses its protection.",
                    unknown.join(", "),
                    if unknown_count > unknown.len() { ", …" } else { "" }
                ),
                "Check the spelling; the attributes are Expires, Max-Age, Domain, Path, Secure, HttpOnly, SameSite and Partitioned (and Chromium's Priority).",
                "RFC 6265bis §5.6",
            ));
        }
    let kinds = [
        Kind::Expires,
        Kind::MaxAge,
        Kind::Domain,
        Kind::Path,
        Kind::Secure,
        Kind::HttpOnly,
        Kind::SameSite,
        Kind::Partitioned,
        Kind::Priority,
    ];
    for kind in kinds {
        let count = seen.get(kind as usize).copied().unwrap_or(0);
        if count > 1 && !matches!(kind, Kind::Secure | Kind::HttpOnly | Kind::Partitioned) {
                cookie.findings.push(Finding::new(
                    Code::CookieRepeatedAttribute,
                    Severity::Warning,
                    format!("Set-Cookie.{}", kind.label()),
                    format!("{} is given {count} times; only the last one counts", kind.label()),
                    "Browsers use the last occurrence of a repeated attribute, even when it is unusable. Two layers \
                     (framework and proxy) each adding the attribute is the usual cause.",
                    format!("Send {} once.", kind.label()),
                    "RFC 6265bis §5.7",
                ));
            }
    }
    if cookie.attribute_count > MAX_COOKIE_ATTRIBUTES_LISTED {
            cookie.findings.push(Finding::new(
                Code::CookieManyAttributes,
                Severity::Warning,
                "Set-Cookie",
                format!("The line has {} attributes", cookie.attribute_count),
                format!(
                    "Only the first {MAX_COOKIE_ATTRIBUTES_LISTED} are listed; all were parsed. A real cookie has fewer than ten."
                ),
                "Check what builds this header: attributes are being appended in a loop.",
                "RFC 6265bis §5.6",
            ));
        }
}

/// Findings about the attributes that won.
fn summarise_attributes(cookie: &mut SetCookie) {
    let mut findings = Vec::new();
    if let Some(a) = &cookie.expires {
        if a.value.is_none() {
                findings.push(Finding::new(
                    Code::CookieExpiresInvalid,
                    Severity::Warning,
                    "Set-Cookie.Expires",
                    "Expires is not a date the browser can read, so it is ignored",
                    format!(
                        "Expires={} does not parse as a cookie-date (it needs a time hh:mm:ss, a day, a month name and \
                         a year from 1601). Without a usable expiry the cookie ends when the browser closes{}.",
                        quote(&a.raw_value, MAX_QUOTE_CHARS),
                        if cookie.max_age.is_some() {
                            " unless Max-Age applies"
                        } else {
                            ""
                        }
                    ),
                    "Send an IMF-fixdate, e.g. `Expires=Wed, 21 Oct 2026 07:28:00 GMT`, or use `Max-Age=<seconds>`.",
                    "RFC 6265bis §5.1.1, §5.6.1",
                ));
            }
    }
    if let Some(a) = &cookie.max_age {
        if a.value.is_none() {
                findings.push(Finding::new(
                    Code::CookieMaxAgeInvalid,
                    Severity::Warning,
                    "Set-Cookie.Max-Age",
                    "Max-Age is not an integer, so it is ignored",
                    format!(
                        "Max-Age={} is not an optional '-' followed by digits. Milliseconds with a unit or a decimal \
                         point are common mistakes.",
                        quote(&a.raw_value, MAX_QUOTE_CHARS)
                    ),
                    "Send whole seconds: `Max-Age=3600`.",
                    "RFC 6265bis §5.6.2",
                ));
            }
    }
    if let Some(a) = &cookie.path {
        if a.value.is_none() {
                findings.push(Finding::new(
                    Code::CookiePathDefault,
                    Severity::Warning,
                    "Set-Cookie.Path",
                    "Path does not start with '/', so the default path is used",
                    format!(
                        "Path={} is ignored; the cookie gets the directory of the request URL instead, so it may not be \
                         sent to other pages.",
                        quote(&a.raw_value, MAX_QUOTE_CHARS)
                    ),
                    "Send `Path=/` for a session cookie.",
                    "RFC 6265bis §5.6.4",
                ));
            }
    }
    if let Some(a) = &cookie.same_site {
        if a.value == SameSite::Unspecified {
                findings.push(Finding::new(
                    Code::CookieSameSiteInvalid,
                    Severity::Warning,
                    "Set-Cookie.SameSite",
                    "SameSite has a value the browser does not know",
                    format!(
                        "SameSite={} is not Strict, Lax or None, so the cookie is treated as if SameSite were \
                         missing: Lax by default in Chromium, which withholds it on cross-site requests.",
                        quote(&a.raw_value, MAX_QUOTE_CHARS)
                    ),
                    "Write `SameSite=Lax` (or `SameSite=None; Secure` for a cookie that must be sent cross-site).",
                    "RFC 6265bis §5.6.7",
                ));
            }
    }
    cookie.findings.extend(findings);
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Up to 39 bytes, mostly `a`, each other one (one in `one_in`) drawn from `alphabet`:
    /// over many draws a special byte falls at every offset of the 8-byte words.
    fn sprinkled(rng: &mut crate::testing::XorShift, alphabet: &[u8], one_in: u64, spread: u32) -> Vec<u8> {
        let state = rng.next();
        let len = (state % 40) as usize;
        (0..len)
            .map(|i| {
                let r = state.rotate_left(i as u32 * spread);
                if r % one_in == 0 { alphabet[(r >> 8) as usize % alphabet.len()] } else { b'a' }
            })
            .collect()
    }

    /// The pair search finds the first place the two bytes stand together, wherever it falls
    /// in or across the 8-byte words (the second byte in the next word included).
    #[test]
    fn find_pair_matches_windows() {
        let alphabet = [b'a', b'\\', b'u', b'"', 0x00, 0x80, 0xff, b'k'];
        let mut rng = crate::testing::XorShift(0x0ddb_a11c_afef_00d1);
        for _ in 0..20_000 {
            let bytes = sprinkled(&mut rng, &alphabet, 2, 9);
            for (first, second) in [(b'\\', b'u'), (b'a', b'a'), (b'u', b'\\'), (0x80, 0xff), (b'k', b'k')] {
                let expected = bytes.windows(2).position(|w| w == [first, second]);
                assert_eq!(find_pair(&bytes, first, second), expected, "{bytes:?} {first} {second}");
            }
        }
    }

    /// The word-at-a-time compare agrees with `==`, a difference in any byte of any word or
    /// of the tail included.
    #[test]
    fn same_bytes_matches_eq() {
        let mut rng = crate::testing::XorShift(0x05ee_d0fb_17e5);
        for _ in 0..20_000 {
            let a = sprinkled(&mut rng, &[b'a', b'b', 0xff], 3, 7);
            let mut b = a.clone();
            if let Some(at) = (!b.is_empty()).then(|| rng.next() as usize % b.len()) {
                if rng.next() % 2 == 0 {
                    b[at] ^= 1 << (rng.next() % 8);
                }
            }
            if rng.next() % 8 == 0 {
                b.push(b'a');
            }
            assert_eq!(same_bytes(&a, &b), a == b, "{a:?} {b:?}");
        }
    }

    /// The word-at-a-time search finds the first occurrence wherever it falls in or across
    /// the 8-byte words, and nothing when there is none (bytes with the high bit set included).
    #[test]
    fn find_byte_matches_position() {
        let alphabet = [b'a', b';', b'=', b'\n', 0x00, 0x80, 0xbb, 0xff, 0x3a, 0x3c, 0x0a ^ 0x80];
        let mut rng = crate::testing::XorShift(0x1234_5678_9abc_def1);
        for _ in 0..20_000 {
            let bytes = sprinkled(&mut rng, &alphabet, 5, 7);
            for needle in [b';', b'=', b'\n', 0x00, 0xff] {
                assert_eq!(find_byte(&bytes, needle), bytes.iter().position(|&b| b == needle), "{bytes:?} {needle}");
            }
        }
    }

    /// The substring test agrees with `str::contains`: needles that start with a byte found
    /// often, that overlap themselves, that end at the end of the text, and the empty needle.
    #[test]
    fn contains_ignoring_case() {
        assert!(contains_ignore_ascii_case("Prefetch;Prerender", "prefetch"));
        assert!(contains_ignore_ascii_case("x", ""));
        assert!(!contains_ignore_ascii_case("pre", "prefetch"));
        assert!(!contains_ignore_ascii_case("préfetch", "prefetch"));
    }

    #[test]
    fn contains_matches_str_contains() {
        let alphabet = [b'a', b'o', b'k', b'e', b'n', b'/'];
        let mut rng = crate::testing::XorShift(0x5151_7a7a_0303_c0c0);
        let needles = ["", "o", "oken", "aa", "aaa", "/refresh", "ooo", "kena"];
        for _ in 0..20_000 {
            let bytes = sprinkled(&mut rng, &alphabet, 2, 12);
            let hay = std::str::from_utf8(&bytes).unwrap();
            for needle in needles {
                assert_eq!(contains(hay, needle), hay.contains(needle), "{hay:?} {needle:?}");
            }
        }
    }

    /// The word-at-a-time scan agrees with the byte-by-byte definition, wherever the control
    /// character and the `;` fall relative to the 8-byte words.
    #[test]
    fn scan_line_matches_bytewise() {
        let alphabet = [b'a', b' ', b'\t', b';', b'=', 0x00, 0x1f, 0x20, 0x7e, 0x7f, 0x80, 0xff, b':'];
        let mut rng = crate::testing::XorShift(0x9e37_79b9_7f4a_7c15);
        for _ in 0..20_000 {
            let bytes = sprinkled(&mut rng, &alphabet, 7, 5);
            let expected = (bytes.iter().any(|&b| is_control_byte(b)), bytes.iter().position(|&b| b == b';'));
            assert_eq!(scan_line(&bytes), expected, "{bytes:?}");
        }
    }

    /// The word-compare lookup of attribute names agrees with a case-insensitive comparison,
    /// on every case mix of the nine names and on names one byte away from them.
    #[test]
    fn attribute_kinds_by_word_compare() {
        let names = ["expires", "max-age", "domain", "path", "secure", "httponly", "samesite", "partitioned", "priority"];
        let by_comparison = |name: &str| names.iter().position(|n| n.eq_ignore_ascii_case(name));
        let by_kind = |name: &str| Kind::of(name).map(|k| k as usize);
        let mut checked = 0;
        for name in names {
            for mask in 0..(1u32 << name.len()) {
                let mixed: String = name
                    .chars()
                    .enumerate()
                    .map(|(i, c)| if mask & (1 << i) != 0 { c.to_ascii_uppercase() } else { c })
                    .collect();
                assert_eq!(by_kind(&mixed), by_comparison(&mixed), "{mixed:?}");
                checked += 1;
            }
            for i in 0..name.len() {
                for b in [0u8, b'\r', b'-', b'_', b' ', b'@', b'`', b'[', b'{', 0x7f, b'M', b'a'] {
                    let mut bytes = name.as_bytes().to_vec();
                    bytes[i] = b;
                    let near = String::from_utf8(bytes).unwrap();
                    assert_eq!(by_kind(&near), by_comparison(&near), "{near:?}");
                    checked += 1;
                }
            }
            for extra in [format!("{name}x"), name[1..].to_string(), format!(" {name}")] {
                assert_eq!(by_kind(&extra), by_comparison(&extra), "{extra:?}");
            }
        }
        assert!(checked > 2_000);
        assert_eq!(by_kind("Max\rAge"), None);
        assert_eq!(by_kind("SameSite"), Some(Kind::SameSite as usize));
    }

    /// Chromium's `Priority`: low/medium/high in any case, anything else medium; listed as used,
    /// not reported as unknown. The same in the report's parse and the replay's.
    #[test]
    fn priority_attribute() {
        for (line, expected) in [
            ("a=1; Priority=High", Priority::High),
            ("a=1; priority=LOW", Priority::Low),
            ("a=1; PRIORITY=medium", Priority::Medium),
            ("a=1; Priority=urgent", Priority::Medium),
            ("a=1; Priority=High; Priority=Low", Priority::Low),
            ("a=1", Priority::Medium),
        ] {
            let c = parse_set_cookie(line);
            assert_eq!(c.priority, expected, "{line}");
            assert_eq!(parse_line(line).priority, expected, "{line}");
            assert!(c.findings.iter().all(|f| f.code != Code::CookieUnknownAttribute), "{line}: {:?}", c.findings);
        }
        let c = parse_set_cookie("a=1; Priority=High; Priority=Low");
        assert!(c.findings.iter().any(|f| f.code == Code::CookieRepeatedAttribute));
        assert_eq!(c.attributes.iter().map(|a| a.used).collect::<Vec<_>>(), [false, true]);
    }

    #[test]
    fn name_value_and_attributes() {
        let c =
            parse_set_cookie(" sid = abc ; Domain=.Example.COM; Path=/app; Secure; HttpOnly; SameSite=lax; Max-Age=60");
        assert_eq!((c.name.as_str(), c.value.as_str()), ("sid", "abc"));
        assert_eq!(c.domain(), Some("example.com"));
        assert_eq!(c.domain_verbatim(), Some(".Example.COM"));
        assert_eq!(c.path(), Some("/app"));
        assert!(c.secure && c.http_only && !c.partitioned);
        assert_eq!(c.same_site(), SameSite::Lax);
        assert_eq!(c.max_age.as_ref().unwrap().value, Some(60));
        assert!(c.problem.is_none());
        assert_eq!(c.attribute_count, 6);
    }

    #[test]
    fn nameless_and_empty() {
        let c = parse_set_cookie("foo");
        assert_eq!((c.name.as_str(), c.value.as_str(), c.has_equals), ("", "foo", false));
        assert!(c.findings.iter().any(|f| f.code == Code::CookieNameless));
        assert_eq!(parse_set_cookie("=").problem, Some(SyntaxProblem::NoCookieContent));
        assert_eq!(
            parse_set_cookie("  ; Secure").problem,
            Some(SyntaxProblem::NoCookieContent)
        );
    }

    #[test]
    fn control_characters_and_size() {
        assert_eq!(
            parse_set_cookie("a=b\nc").problem,
            Some(SyntaxProblem::DisallowedCharacter)
        );
        assert_eq!(
            parse_set_cookie("a=b\u{0}").problem,
            Some(SyntaxProblem::DisallowedCharacter)
        );
        assert_eq!(parse_set_cookie("a=\tb").problem, None);
        let big = format!("a={}", "x".repeat(4096));
        assert_eq!(
            parse_set_cookie(&big).problem,
            Some(SyntaxProblem::NameValuePairExceedsMaxSize)
        );
        let ok = format!("a={}", "x".repeat(4095));
        assert_eq!(parse_set_cookie(&ok).problem, None);
    }

    #[test]
    fn max_age_forms() {
        assert_eq!(parse_max_age("10"), Some(10));
        assert_eq!(parse_max_age("-1"), Some(-1));
        assert_eq!(parse_max_age("99999999999999999999999"), Some(i64::MAX));
        assert_eq!(parse_max_age("1.5"), None);
        assert_eq!(parse_max_age("+5"), None);
        assert_eq!(parse_max_age(""), None);
    }

    #[test]
    fn repeated_last_wins_and_long_values_ignored() {
        let long = "/".repeat(1025);
        let c = parse_set_cookie(&format!(
            "a=b; Path=/one; path=/two; Path={long}; SameSite=Strict; SameSite=bogus"
        ));
        assert_eq!(c.path(), Some("/two"));
        assert_eq!(c.same_site(), SameSite::Unspecified);
        assert!(c.findings.iter().any(|f| f.code == Code::CookieAttributeTooLong));
        assert!(c.findings.iter().any(|f| f.code == Code::CookieRepeatedAttribute));
        assert!(c.findings.iter().any(|f| f.code == Code::CookieSameSiteInvalid));
        assert!(!c.attributes[0].used);
        assert!(c.attributes[1].used);
    }

    #[test]
    fn bad_expires_is_a_finding() {
        let c = parse_set_cookie("a=b; Expires=Wed, 99 Foo 99999");
        assert_eq!(c.expires.as_ref().unwrap().value, None);
        assert!(c.findings.iter().any(|f| f.code == Code::CookieExpiresInvalid));
    }

    #[test]
    fn hostile_input_is_bounded() {
        let line = format!("a=b{}", "; x=y".repeat(10_000));
        let start = std::time::Instant::now();
        let c = parse_set_cookie(&line);
        assert_eq!(c.attribute_count, 10_000);
        assert_eq!(c.attributes.len(), MAX_COOKIE_ATTRIBUTES_LISTED);
        let mb = "a=".to_string() + &"v".repeat(1 << 20);
        let c2 = parse_set_cookie(&mb);
        assert_eq!(c2.problem, Some(SyntaxProblem::NameValuePairExceedsMaxSize));
        let semis = ";".repeat(1 << 20);
        let _ = parse_set_cookie(&semis);
        assert!(start.elapsed().as_secs() < 5);
        // Arbitrary bytes, including invalid UTF-8.
        let mut state: u32 = 12345;
        for _ in 0..2000 {
            let bytes: Vec<u8> = (0..64)
                .map(|_| {
                    state = state.wrapping_mul(1_103_515_245).wrapping_add(12345);
                    (state >> 16) as u8
                })
                .collect();
            let _ = parse_set_cookie_bytes(&bytes);
        }
    }
}
