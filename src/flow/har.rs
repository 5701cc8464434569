//! HAR 1.2 import: the HTTP Archive format that Chromium's and Firefox's DevTools export.
//!
//! Spec: "HTTP Archive (HAR) format" 1.2 (W3C Web Performance WG draft, and the original by Jan
//! Odvarko). Chromium adds `_resourceType` and `_initiator`; Firefox omits both and we fall back to
//! the `Sec-Fetch-*` request headers, and where there are none (browsers send them only to https
//! and localhost) to `Upgrade-Insecure-Requests` and `Accept` (`replay::kind_of`).
//!
//! The file is untrusted and may be huge, truncated or not a HAR at all, so:
//! - strings borrow from the input (`Cow`) — no copy unless JSON escapes force one — and response
//!   bodies stay raw JSON text until someone asks for one ([`Content::text`]), so memory stays near
//!   the file's size;
//! - entries are read one at a time: an entry that does not fit the format is a finding
//!   (`har.entry-invalid`) and the others are kept; a truncated file keeps every entry before the
//!   cut (`har.truncated`);
//! - sizes are capped ([`MAX_HAR_BYTES`], [`MAX_HAR_ENTRIES`]) with findings saying so.

use crate::cookie::parse::split_byte;
use crate::cookie::site::Browser;
use crate::finding::{quote, Code, Finding, Severity};
use crate::limits::{MAX_HAR_BYTES, MAX_HAR_ENTRIES, MAX_QUOTE_CHARS};
use serde::de::{DeserializeSeed, Deserializer, IgnoredAny, MapAccess, SeqAccess, Visitor};
use serde::Deserialize;
use serde_json::value::RawValue;
use std::borrow::Cow;
use std::fmt;

/// One name/value header.
#[derive(Debug, Clone, Deserialize)]
pub struct Header<'a> {
    #[serde(borrow, default)]
    pub name: Cow<'a, str>,
    #[serde(borrow, default)]
    pub value: Cow<'a, str>,
}

/// A request as recorded.
#[derive(Debug, Clone, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct Request<'a> {
    #[serde(borrow, default)]
    pub method: Cow<'a, str>,
    #[serde(borrow)]
    pub url: Cow<'a, str>,
    #[serde(borrow, default)]
    pub headers: Vec<Header<'a>>,
    #[serde(borrow, default)]
    pub post_data: Option<PostData<'a>>,
}

#[derive(Debug, Clone, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct PostData<'a> {
    #[serde(borrow, default)]
    pub mime_type: Cow<'a, str>,
    #[serde(borrow, default)]
    pub text: Option<&'a RawValue>,
}

/// A response as recorded.
#[derive(Debug, Clone, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct Response<'a> {
    /// 0 (or absent) when the request never completed (blocked, cancelled).
    #[serde(default)]
    pub status: i64,
    #[serde(borrow, default)]
    pub headers: Vec<Header<'a>>,
    #[serde(borrow, default)]
    pub content: Content<'a>,
    #[serde(rename = "redirectURL", borrow, default)]
    pub redirect_url: Cow<'a, str>,
    /// Chromium: `true` when a service worker answered the request (it may have made a request
    /// of its own, which is another entry). Raw, so that a value of another type costs nothing.
    #[serde(rename = "_fetchedViaServiceWorker", borrow, default)]
    fetched_via_service_worker: Option<&'a RawValue>,
}

/// A response body, kept as raw JSON text until needed.
#[derive(Debug, Clone, Default, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct Content<'a> {
    #[serde(borrow, default)]
    pub mime_type: Cow<'a, str>,
    #[serde(borrow, default)]
    text: Option<&'a RawValue>,
    #[serde(borrow, default)]
    pub encoding: Option<Cow<'a, str>>,
}

impl Content<'_> {
    /// The body as it is written in the file: a JSON string, quotes and escapes included.
    pub fn raw_text(&self) -> Option<&str> {
        self.text.map(RawValue::get)
    }

    /// The body text, unescaped, if it was recorded as text (not base64) and is at most `max` bytes
    /// of raw JSON.
    pub fn text(&self, max: usize) -> Option<String> {
        let raw = self.text?.get();
        if raw.len() > max || self.encoding.as_deref() == Some("base64") {
            return None;
        }
        serde_json::from_str::<String>(raw).ok()
    }
}

/// Chromium's `_initiator`: who started the request.
#[derive(Debug, Clone, Default, Deserialize)]
pub struct Initiator<'a> {
    #[serde(rename = "type", borrow, default)]
    pub kind: Cow<'a, str>,
    #[serde(borrow, default)]
    pub url: Option<Cow<'a, str>>,
}

/// One request/response pair.
#[derive(Debug, Clone, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct Entry<'a> {
    #[serde(borrow, default)]
    pub started_date_time: Cow<'a, str>,
    /// Total time of the request in milliseconds (-1 or absent when unknown).
    #[serde(default)]
    pub time: f64,
    #[serde(borrow)]
    pub request: Request<'a>,
    #[serde(borrow)]
    pub response: Response<'a>,
    /// Chromium only: `document`, `fetch`, `xhr`, `image`, `script`, …
    #[serde(rename = "_resourceType", borrow, default)]
    pub resource_type: Option<Cow<'a, str>>,
    #[serde(rename = "_initiator", borrow, default)]
    pub initiator: Option<Initiator<'a>>,
    /// Chromium only: `memory` or `disk` when the response came from the browser's cache, so no
    /// request reached the server (DevTools' HAR log sets it for `request.cached()`).
    #[serde(rename = "_fromCache", borrow, default)]
    pub from_cache: Option<Cow<'a, str>>,
    /// Written by this project's recorder: `true` when the request headers are the ones the
    /// browser sent (webRequest's `onSendHeaders`, with the `Cookie` header).
    #[serde(rename = "_requestHeadersAsSent", borrow, default)]
    request_headers_as_sent: Option<&'a RawValue>,
}

/// A raw JSON value that is `true` (a custom field of another type counts as absent).
fn is_true(raw: Option<&RawValue>) -> bool {
    raw.is_some_and(|r| r.get() == "true")
}

impl Entry<'_> {
    /// Frees the request's and the response's headers, once the entry has been analysed.
    pub fn forget_headers(&mut self) {
        self.request.headers = Vec::new();
        self.response.headers = Vec::new();
    }

    /// Whether a service worker answered the request (Chromium's `_fetchedViaServiceWorker`):
    /// this request reached no server itself. A request the worker made is another entry.
    pub fn answered_by_service_worker(&self) -> bool {
        is_true(self.response.fetched_via_service_worker)
    }

    /// Whether the request has a `Cookie` header or the response a `Set-Cookie` header.
    pub fn has_cookie_headers(&self) -> bool {
        self.request.header("cookie").is_some() || self.response.header("set-cookie").is_some()
    }

    /// Whether a request without a `Cookie` header sent no cookie: its headers are the ones the
    /// browser put on the wire, and they were kept whole (`cookie_headers_kept`: the export was
    /// not sanitized, see [`Har::cookie_headers_kept`]; this project's recorder always keeps them).
    ///
    /// DevTools exports the real headers when it saw them (Chromium: `requestWillBeSentExtraInfo`)
    /// and otherwise the provisional ones, which lack `Cookie` whatever was sent. `Host` and
    /// HTTP/2's `:authority` are written by the network stack, so only the real set has them.
    /// An answer from the browser's cache or from a service worker sent nothing of its own.
    pub fn headers_as_sent(&self, cookie_headers_kept: bool) -> bool {
        if self.from_cache.is_some() || self.answered_by_service_worker() {
            return false;
        }
        is_true(self.request_headers_as_sent)
            || (cookie_headers_kept
                && self.request.headers.iter().any(|h| h.name.eq_ignore_ascii_case("host") || h.name.eq_ignore_ascii_case(":authority")))
    }
}

impl<'a> Request<'a> {
    /// The first header named `name` (case-insensitive).
    pub fn header(&self, name: &str) -> Option<&str> {
        header(&self.headers, name)
    }
}

impl<'a> Response<'a> {
    /// A response of `status` with these headers, read as a HAR's is (for tests of what other
    /// modules read from a response).
    #[cfg(test)]
    pub(crate) fn with_headers(status: i64, headers: &[(&str, &str)]) -> Response<'static> {
        let json = serde_json::json!({
            "status": status,
            "headers": headers.iter().map(|(n, v)| serde_json::json!({ "name": n, "value": v })).collect::<Vec<_>>(),
        });
        // Leaked: a test's few responses borrow their text for the test's whole run.
        let text: &'static str = Box::leak(json.to_string().into_boxed_str());
        serde_json::from_str(text).unwrap_or_else(|e| unreachable!("a response built from JSON reads back: {e}"))
    }

    pub fn header(&self, name: &str) -> Option<&str> {
        header(&self.headers, name)
    }

    /// Every `Set-Cookie` line, in order. Chromium joins several into one header value with `\n`.
    pub fn set_cookie_lines(&self) -> impl Iterator<Item = &str> {
        self.headers
            .iter()
            .filter(|h| h.name.eq_ignore_ascii_case("set-cookie"))
            .flat_map(|h| split_byte(&h.value, b'\n'))
            .map(str::trim)
            .filter(|l| !l.is_empty())
    }
}

fn header<'h>(headers: &'h [Header<'_>], name: &str) -> Option<&'h str> {
    headers.iter().find(|h| h.name.eq_ignore_ascii_case(name)).map(|h| h.value.as_ref())
}

/// A parsed HAR: the entries that could be read and what was wrong with the file.
#[derive(Debug, Clone, Default)]
pub struct Har<'a> {
    pub entries: Vec<Entry<'a>>,
    /// `log.creator.name` and `version`, e.g. `WebInspector 537.36`.
    pub creator: Option<String>,
    pub findings: Vec<Finding>,
    /// Some entry has a `Cookie` or `Set-Cookie` header: the export kept them (it was not
    /// sanitized), so a request recorded with its real headers and no `Cookie` header sent no
    /// cookie ([`Entry::headers_as_sent`]). Never for Safari's exports, which were not checked.
    pub cookie_headers_kept: bool,
}

/// Reads a HAR file. Never fails: problems are findings, and whatever could be read is returned.
pub fn parse_har(bytes: &[u8]) -> Har<'_> {
    let mut har = Har::default();
    if bytes.len() > MAX_HAR_BYTES {
        har.findings.push(Finding::new(
            Code::HarTooLarge,
            Severity::Error,
            "har",
            "The HAR file is too large",
            format!(
                "The file is {} bytes; this tool reads HAR files up to {MAX_HAR_BYTES} bytes ({} MiB). A sign-in flow is usually well under 10 MB.",
                bytes.len(),
                MAX_HAR_BYTES / (1024 * 1024)
            ),
            "Record only the sign-in: in DevTools' Network panel, clear the log, enable \"Preserve log\", sign in, then export. Filtering by \"Doc\" and \"Fetch/XHR\" keeps it small.",
            "HAR 1.2",
        ));
        return har;
    }
    // JSON text is UTF-8 (RFC 8259 §8.1). Checked once for the whole file, so that the reader
    // need not check each string again (that was a sixth of reading a HAR); a file that is not
    // is read up to its first bad byte.
    let (text, not_utf8_at) = match std::str::from_utf8(bytes) {
        Ok(text) => (text, None),
        Err(e) => (bytes.get(..e.valid_up_to()).and_then(|b| std::str::from_utf8(b).ok()).unwrap_or(""), Some(e.valid_up_to())),
    };
    // Fast path: entries straight into their types. If an entry does not fit (not a cut-off
    // file: then the entries before the cut are all there is), read again entry by entry as raw
    // text, so that one bad entry costs only itself.
    let (mut result, mut saw_log, mut saw_entries) = read(text, &mut har, false);
    if result.as_ref().is_err_and(|e| e.classify() != serde_json::error::Category::Eof) {
        har = Har::default();
        (result, saw_log, saw_entries) = read(text, &mut har, true);
    }
    if let Some(at) = not_utf8_at {
        let utf16 = bytes.starts_with(&[0xff, 0xfe]) || bytes.starts_with(&[0xfe, 0xff]);
        har.findings.push(Finding::new(
            Code::HarMalformed,
            Severity::Error,
            "har",
            "The file is not valid JSON",
            format!(
                "The byte at offset {at} is not valid UTF-8, which JSON text must be: {}. The {} entries before it were read.",
                if utf16 {
                    "the file is in UTF-16 (an editor may have saved it so)"
                } else {
                    "the file is not JSON text (an image, an archive?) or was damaged"
                },
                har.entries.len()
            ),
            "Export the HAR again from DevTools and analyse the file as saved, without opening and saving it in an editor.",
            "RFC 8259 §8.1",
        ));
        return har;
    }
    if let Err(e) = result {
        let truncated = e.classify() == serde_json::error::Category::Eof;
        let kept = har.entries.len();
        har.findings.push(if truncated {
            Finding::new(
                Code::HarTruncated,
                Severity::Warning,
                "har",
                "The HAR file is cut off",
                format!("The file ends in the middle of its JSON (line {}, column {}): it was truncated while saving or copying. The {kept} entries before the cut were read.", e.line(), e.column()),
                "Export the HAR again and check the file is complete (it ends with `]}}`).",
                "HAR 1.2",
            )
        } else {
            Finding::new(
                Code::HarMalformed,
                Severity::Error,
                "har",
                "The file is not valid JSON",
                format!("It cannot be read as JSON at line {}, column {}: {e}. {} entries before that point were read.", e.line(), e.column(), kept),
                "Export the HAR again from DevTools (Network panel → ⤓ Export HAR) rather than editing it by hand.",
                "RFC 8259, HAR 1.2",
            )
        });
        return har;
    }
    if !saw_log || !saw_entries {
        har.findings.push(Finding::new(
            Code::HarNotHar,
            Severity::Error,
            "har",
            "This JSON is not a HAR file",
            format!(
                "A HAR file is a JSON object with log.entries (a list of requests); this one has {}.",
                if saw_log { "a log without entries" } else { "no log" }
            ),
            "In DevTools' Network panel, use ⤓ Export HAR (or right-click a request → Save all as HAR).",
            "HAR 1.2 §log",
        ));
    } else if har.entries.is_empty() && har.findings.is_empty() {
        har.findings.push(Finding::new(
            Code::HarEmpty,
            Severity::Warning,
            "har.log.entries",
            "The HAR file has no requests",
            "log.entries is empty: nothing was recorded.",
            "Open DevTools before signing in, enable \"Preserve log\" in the Network panel, sign in, then export.",
            "HAR 1.2 §entries",
        ));
    }
    let any_cookie_header = har.entries.iter().any(Entry::has_cookie_headers);
    if !any_cookie_header && !har.entries.is_empty() {
        har.findings.push(sanitized(har.entries.len()));
    }
    // Safari's exports are not known to keep every request's Cookie header: a missing one there
    // proves nothing (only Chromium's and Firefox's were checked).
    har.cookie_headers_kept = any_cookie_header && !har.creator.as_deref().is_some_and(is_webkit);
    har
}

/// One pass over the file; `careful` reads each entry as raw text first.
fn read<'a>(text: &'a str, har: &mut Har<'a>, careful: bool) -> (Result<(), serde_json::Error>, bool, bool) {
    let mut reader = Reader { har, saw_log: false, saw_entries: false, careful };
    let mut de = serde_json::Deserializer::from_str(text);
    let result = RootSeed(&mut reader).deserialize(&mut de).and_then(|()| de.end());
    (result, reader.saw_log, reader.saw_entries)
}

/// Chromium's default export ("Export HAR (sanitized)", Chromium 130+) drops the `Cookie` and
/// `Set-Cookie` headers: a flow of `entries` requests without a single one cannot say anything
/// about cookies.
fn sanitized(entries: usize) -> Finding {
    Finding::new(
        Code::HarSanitized,
        Severity::Warning,
        "har",
        "The HAR has no cookies: it was exported sanitized",
        format!(
            "None of the {} requests has a Cookie or Set-Cookie header. Chromium's DevTools strip them by default when exporting (\"Export HAR (sanitized)\"), so where the session cookie was set or dropped cannot be seen.",
            entries
        ),
        "In DevTools, Settings (⚙) → Preferences → Network → enable \"Allow to generate HAR with sensitive data\", then in the Network panel use ⤓ → \"Export HAR (with sensitive data)\". The file then contains your session: analyse it here, it never leaves the page, and don't share it.",
        "HAR 1.2",
    )
}

/// Whether a HAR's creator is Safari's Web Inspector ("WebKit Web Inspector"; Chromium's is
/// "WebInspector").
fn is_webkit(creator: &str) -> bool {
    let name = creator.to_ascii_lowercase();
    name.contains("webkit") || name.contains("safari")
}

/// A HAR written by Firefox's or Safari's DevTools (`log.creator`), replayed with `rules`: the
/// user should know whose rules the replay follows, and how the other engines differ, before
/// reading the verdicts.
pub(crate) fn other_browser(creator: &str, rules: Browser) -> Option<Finding> {
    let firefox = Browser::of_creator(creator) == Browser::Firefox;
    let (title, detail, fix) = if firefox && rules == Browser::Firefox {
        (
            "Recorded in Firefox, replayed with Firefox's cookie rules",
            format!(
                "This HAR was written by {}, so the replay follows Firefox's cookie rules: a cookie without SameSite is sent on cross-site requests, http and https pages of one site count as the same site, and third-party cookies are kept apart per top-level site (Total Cookie Protection). Chrome and Edge treat a cookie without SameSite as Lax and compare schemes too, so a flow that keeps its session here can lose it there.",
                quote(creator, MAX_QUOTE_CHARS)
            ),
            "To see what Chrome and Edge users get, replay the same file with Chromium's rules (`--browser chromium`, or the browser choice on the page), or record the flow in Chrome too.",
        )
    } else if firefox || is_webkit(creator) {
        let differences = if firefox {
            "Firefox does not treat a cookie without SameSite as Lax (it sends it on cross-site requests, where Chromium withholds it), and it keeps third-party cookies apart per top-level site (Total Cookie Protection)"
        } else {
            "Safari blocks third-party cookies by default and limits how long cookies written by scripts last (Intelligent Tracking Prevention)"
        };
        (
            "Recorded in another browser, replayed with Chromium's cookie rules",
            format!(
                "This HAR was written by {}. The replay follows Chromium's cookie rules, and this browser's differ in places: {differences}. Where the replay disagrees with a recorded Cookie header, the recording shows what the browser did, and each disagreement is listed.",
                quote(creator, MAX_QUOTE_CHARS)
            ),
            if firefox {
                "Replay it with Firefox's rules (`--browser firefox`, or the browser choice on the page) to explain what Firefox did."
            } else {
                "To see what most users get, record the same flow in Chrome or Edge too."
            },
        )
    } else {
        return None;
    };
    Some(Finding::new(Code::HarOtherBrowser, Severity::Info, "har.log.creator", title, detail, fix, "HAR 1.2 §creator"))
}

/// State shared by the seeds below while the file is read.
struct Reader<'h, 'a> {
    har: &'h mut Har<'a>,
    saw_log: bool,
    saw_entries: bool,
    careful: bool,
}

/// The root object: `{ "log": … }`, everything else ignored.
struct RootSeed<'r, 'h, 'a>(&'r mut Reader<'h, 'a>);

impl<'de: 'a, 'a> DeserializeSeed<'de> for RootSeed<'_, '_, 'a> {
    type Value = ();
    fn deserialize<D: Deserializer<'de>>(self, d: D) -> Result<(), D::Error> {
        d.deserialize_any(self)
    }
}

impl<'de: 'a, 'a> Visitor<'de> for RootSeed<'_, '_, 'a> {
    type Value = ();
    fn expecting(&self, f: &mut fmt::Formatter) -> fmt::Result {
        f.write_str("a HAR object")
    }
    fn visit_map<M: MapAccess<'de>>(self, mut map: M) -> Result<(), M::Error> {
        while let Some(key) = map.next_key::<Cow<'de, str>>()? {
            if key == "log" && !self.0.saw_log {
                self.0.saw_log = true;
                map.next_value_seed(LogSeed(&mut *self.0))?;
            } else {
                map.next_value::<IgnoredAny>()?;
            }
        }
        Ok(())
    }
    // Any other JSON value is valid JSON but not a HAR: consume it and let the caller say so.
    fn visit_seq<S: SeqAccess<'de>>(self, mut seq: S) -> Result<(), S::Error> {
        while seq.next_element::<IgnoredAny>()?.is_some() {}
        Ok(())
    }
    fn visit_str<E>(self, _: &str) -> Result<(), E> {
        Ok(())
    }
    fn visit_f64<E>(self, _: f64) -> Result<(), E> {
        Ok(())
    }
    fn visit_i64<E>(self, _: i64) -> Result<(), E> {
        Ok(())
    }
    fn visit_u64<E>(self, _: u64) -> Result<(), E> {
        Ok(())
    }
    fn visit_bool<E>(self, _: bool) -> Result<(), E> {
        Ok(())
    }
    fn visit_unit<E>(self) -> Result<(), E> {
        Ok(())
    }
}

#[derive(Deserialize)]
struct Creator {
    #[serde(default)]
    name: String,
    #[serde(default)]
    version: String,
}

struct LogSeed<'r, 'h, 'a>(&'r mut Reader<'h, 'a>);

impl<'de: 'a, 'a> DeserializeSeed<'de> for LogSeed<'_, '_, 'a> {
    type Value = ();
    fn deserialize<D: Deserializer<'de>>(self, d: D) -> Result<(), D::Error> {
        d.deserialize_map(self)
    }
}

impl<'de: 'a, 'a> Visitor<'de> for LogSeed<'_, '_, 'a> {
    type Value = ();
    fn expecting(&self, f: &mut fmt::Formatter) -> fmt::Result {
        f.write_str("the HAR log object")
    }
    fn visit_map<M: MapAccess<'de>>(self, mut map: M) -> Result<(), M::Error> {
        while let Some(key) = map.next_key::<Cow<'de, str>>()? {
            match key.as_ref() {
                "entries" if !self.0.saw_entries => {
                    self.0.saw_entries = true;
                    map.next_value_seed(EntriesSeed(&mut *self.0))?;
                }
                "creator" => {
                    // A creator of the wrong shape is not worth losing the file over.
                    let creator = map.next_value::<serde_json::Value>()?;
                    if let Ok(c) = serde_json::from_value::<Creator>(creator) {
                        self.0.har.creator = Some(format!("{} {}", c.name, c.version).trim().to_string());
                    }
                }
                _ => {
                    map.next_value::<IgnoredAny>()?;
                }
            }
        }
        Ok(())
    }
}

struct EntriesSeed<'r, 'h, 'a>(&'r mut Reader<'h, 'a>);

impl<'de: 'a, 'a> DeserializeSeed<'de> for EntriesSeed<'_, '_, 'a> {
    type Value = ();
    fn deserialize<D: Deserializer<'de>>(self, d: D) -> Result<(), D::Error> {
        d.deserialize_seq(self)
    }
}

impl<'de: 'a, 'a> Visitor<'de> for EntriesSeed<'_, '_, 'a> {
    type Value = ();
    fn expecting(&self, f: &mut fmt::Formatter) -> fmt::Result {
        f.write_str("the list of HAR entries")
    }
    fn visit_seq<S: SeqAccess<'de>>(self, mut seq: S) -> Result<(), S::Error> {
        let careful = self.0.careful;
        let har = &mut *self.0.har;
        let mut index = 0usize;
        let mut invalid = 0usize;
        if !careful {
            while let Some(entry) = seq.next_element::<Entry<'de>>()? {
                if har.entries.len() >= MAX_HAR_ENTRIES {
                    har.findings.push(too_many_entries());
                    while seq.next_element::<IgnoredAny>()?.is_some() {}
                    break;
                }
                har.entries.push(entry);
            }
            return Ok(());
        }
        // Each entry is first taken as raw text, so one bad entry costs only itself.
        while let Some(raw) = seq.next_element::<&'de RawValue>()? {
            if har.entries.len() >= MAX_HAR_ENTRIES {
                har.findings.push(too_many_entries());
                while seq.next_element::<IgnoredAny>()?.is_some() {}
                break;
            }
            match serde_json::from_str::<Entry<'de>>(raw.get()) {
                Ok(entry) => har.entries.push(entry),
                Err(e) => {
                    invalid += 1;
                    // One finding per bad entry would flood the report: the first few, then a count.
                    if invalid <= 5 {
                        har.findings.push(invalid_entry(index, &e.to_string()));
                    }
                }
            }
            index += 1;
        }
        if invalid > 5 {
            har.findings.push(Finding::new(
                Code::HarEntryInvalid,
                Severity::Warning,
                "har.log.entries",
                format!("{invalid} entries were skipped in all"),
                format!("{invalid} of {index} entries do not fit the HAR format; the first five are listed."),
                "Export the HAR again from DevTools rather than editing it by hand.",
                "HAR 1.2 §entries",
            ));
        }
        Ok(())
    }
}

/// The finding for entry `index`, skipped because it does not fit the format (`error` says how).
pub fn invalid_entry(index: usize, error: &str) -> Finding {
    Finding::new(
        Code::HarEntryInvalid,
        Severity::Warning,
        format!("har.log.entries[{index}]"),
        format!("Entry {index} was skipped"),
        format!("Entry {index} does not fit the HAR format: {}. The other entries were read.", quote(error, 160)),
        "Export the HAR again from DevTools rather than editing it by hand.",
        "HAR 1.2 §entries",
    )
}

fn too_many_entries() -> Finding {
    Finding::new(
        Code::HarTooLarge,
        Severity::Warning,
        "har.log.entries",
        "Too many requests: only the first were read",
        format!("The file has more than {MAX_HAR_ENTRIES} entries; the first {MAX_HAR_ENTRIES} were read."),
        "Record only the sign-in flow (clear the Network log first).",
        "HAR 1.2 §entries",
    )
}

#[cfg(test)]
mod tests {
    use super::*;

    fn codes(h: &Har<'_>) -> Vec<&'static str> {
        h.findings.iter().map(|f| f.code.as_str()).collect()
    }

    const ENTRY: &str = r#"{"startedDateTime":"2026-11-23T10:00:00.000Z","request":{"method":"GET","url":"https://app.test/","headers":[{"name":"Cookie","value":"a=1"}]},"response":{"status":302,"headers":[{"name":"set-cookie","value":"s=1; Path=/\nt=2"}],"redirectURL":"/dashboard","content":{"mimeType":"application/json","text":"{\"access_token\":\"x\"}"}},"_resourceType":"document","_initiator":{"type":"other"}}"#;

    #[test]
    fn reads_entries_and_chromium_fields() {
        let text = format!(r#"{{"log":{{"version":"1.2","creator":{{"name":"WebInspector","version":"537.36"}},"entries":[{ENTRY},{ENTRY}]}}}}"#);
        let har = parse_har(text.as_bytes());
        assert_eq!(codes(&har), Vec::<&str>::new());
        assert_eq!(har.entries.len(), 2);
        assert_eq!(har.creator.as_deref(), Some("WebInspector 537.36"));
        let e = &har.entries[0];
        assert_eq!(e.request.header("cookie"), Some("a=1"));
        assert_eq!(e.response.set_cookie_lines().collect::<Vec<_>>(), ["s=1; Path=/", "t=2"]);
        assert_eq!(e.response.redirect_url, "/dashboard");
        assert_eq!(e.resource_type.as_deref(), Some("document"));
        assert_eq!(e.response.content.text(1000).as_deref(), Some("{\"access_token\":\"x\"}"));
        assert_eq!(e.response.content.text(5), None, "over the limit");
    }

    #[test]
    fn truncated_keeps_what_came_before() {
        let text = format!(r#"{{"log":{{"entries":[{ENTRY},{ENTRY},{{"request":{{"url":"https://a"#);
        let har = parse_har(text.as_bytes());
        assert_eq!(har.entries.len(), 2);
        assert_eq!(codes(&har), ["har.truncated"]);
    }

    /// A byte that is not UTF-8 ends the reading there, with the entries before it kept and the
    /// offset named; a UTF-16 file is recognised as such.
    #[test]
    fn not_utf8_keeps_what_came_before() {
        let mut bytes = format!(r#"{{"log":{{"entries":[{ENTRY},{ENTRY},{{"request":{{"url":"https://a"#).into_bytes();
        let at = bytes.len();
        bytes.extend_from_slice(b"\xff\"}}]}}");
        let har = parse_har(&bytes);
        assert_eq!(har.entries.len(), 2);
        assert_eq!(codes(&har), ["har.malformed"]);
        assert!(har.findings[0].detail.contains(&format!("offset {at} ")), "{}", har.findings[0].detail);
        assert!(!har.findings[0].detail.contains("UTF-16"));
        let utf16: Vec<u8> = [0xff, 0xfe].into_iter().chain("{\"log\":{}}".bytes().flat_map(|b| [b, 0])).collect();
        let har = parse_har(&utf16);
        assert_eq!((har.entries.len(), codes(&har)), (0, vec!["har.malformed"]));
        assert!(har.findings[0].detail.contains("UTF-16"), "{}", har.findings[0].detail);
    }

    #[test]
    fn bad_entries_are_skipped() {
        let text = format!(r#"{{"log":{{"entries":[{{"request":{{}}}},{ENTRY},7]}}}}"#);
        let har = parse_har(text.as_bytes());
        assert_eq!(har.entries.len(), 1);
        assert_eq!(codes(&har), ["har.entry-invalid", "har.entry-invalid"]);
        assert!(har.findings[0].location.ends_with("[0]"));
    }

    #[test]
    fn not_a_har() {
        for text in [r#"{"hello":"world"}"#, "[1,2,3]", "42", r#"{"log":{"version":"1.2"}}"#] {
            assert_eq!(codes(&parse_har(text.as_bytes())), ["har.not-har"], "{text}");
        }
        assert_eq!(codes(&parse_har(b"\xff\xfe garbage")), ["har.malformed"]);
        assert_eq!(codes(&parse_har(b"")), ["har.truncated"]);
        assert_eq!(codes(&parse_har(br#"{"log":{"entries":[]}}"#)), ["har.empty"]);
    }

    #[test]
    fn sanitized_export_is_detected() {
        let entry = ENTRY.replace(r#"{"name":"Cookie","value":"a=1"}"#, "").replace(r#"{"name":"set-cookie","value":"s=1; Path=/\nt=2"}"#, "");
        let text = format!(r#"{{"log":{{"entries":[{entry}]}}}}"#);
        assert_eq!(codes(&parse_har(text.as_bytes())), ["har.sanitized"]);
    }

    #[test]
    fn deep_nesting_is_an_error_not_a_crash() {
        let text = format!(r#"{{"log":{{"entries":[{}]}}}}"#, "[".repeat(100_000));
        let har = parse_har(text.as_bytes());
        assert!(codes(&har).contains(&"har.malformed") || codes(&har).contains(&"har.truncated"), "{:?}", codes(&har));
    }
}
