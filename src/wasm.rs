//! The JavaScript boundary: the only module that touches wasm-bindgen and js-sys.
//!
//! Every export takes loosely typed JS values and returns a plain JSON-compatible object. The one
//! class, [`FlowSession`], holds a recording's analysis between requests (call `.free()` when
//! done). Analysis problems are findings inside the report; an export throws only when the
//! caller misuses it. The clock is read here, never in the core.

use crate::cookie::site::{Browser, RequestContext, ThirdPartyCookies};
use crate::cookie::whatif::{NextRequest, Preset};
use crate::cookie::{analyze_set_cookie as analyze_set_cookie_core, WhatIfContext};
use crate::jose::TokenOptions;
use serde::{Deserialize, Serialize};
use wasm_bindgen::prelude::*;
use wasm_bindgen::JsCast;
use crate::handover;

#[wasm_bindgen]
extern "C" {
    #[wasm_bindgen(js_namespace = console, js_name = error)]
    fn console_error(message: &str);
}

// Strings cross into wasm through `TextEncoder.encodeInto`, straight into a buffer the core
// owns. wasm-bindgen's own glue for `&str` copies ASCII one UTF-16 unit at a time in a JS loop,
// which is most of the cost of a `CookieJar` call (a response's Set-Cookie lines are hundreds of
// characters); `encodeInto` is the engine's native transcoder. It writes valid UTF-8 (a lone
// surrogate becomes U+FFFD, as wasm-bindgen's glue does too).
#[wasm_bindgen(inline_js = r#"
const encoder = new TextEncoder();
let view = new Uint8Array(0);
export function encode_into(memory, text, at, capacity) {
  if (typeof text !== 'string') return -1;
  if (view.buffer !== memory.buffer) view = new Uint8Array(memory.buffer);
  const { read, written } = encoder.encodeInto(text, view.subarray(at, at + capacity));
  return read === text.length ? written : -Math.min(3 * text.length, 0x7fffffff);
}
const decoder = new TextDecoder();
// Runs the construction program of src/handover.rs (its `Op` numbers) to build a report.
export function build_value(ops, floats, ascii, unicode, shapes, keys) {
  const a = decoder.decode(ascii), u = unicode.length ? decoder.decode(unicode) : '', k = decoder.decode(keys);
  const shapeKeys = [], guarded = [];
  for (let i = 0, at = 0; i < shapes.length;) {
    const n = shapes[i++], names = [];
    for (let j = 0; j < n; j++) names.push(k.slice(at, at += shapes[i++]));
    shapeKeys.push(names);
    guarded.push(names.includes('__proto__'));
  }
  const strings = [];
  let p = 0, f = 0, pa = 0, pu = 0;
  function value() {
    switch (ops[p++]) {
      case 0: return null;
      case 1: return false;
      case 2: return true;
      case 3: return ops[p++];
      case 4: return floats[f++];
      case 5: return a.slice(pa, pa += ops[p++]);
      case 6: return u.slice(pu, pu += ops[p++]);
      case 7: return strings[ops[p++]];
      // Filled in place, presized: quicker than push. (V8 makes a very long presized array a
      // dictionary, hence the bound; past it, in-order stores append.)
      case 8: { const n = ops[p++], array = n < 65536 ? new Array(n) : []; for (let i = 0; i < n; i++) array[i] = value(); return array; }
      case 9: {
        const shape = ops[p++], names = shapeKeys[shape], o = {};
        if (guarded[shape]) for (let i = 0; i < names.length; i++) put(o, names[i], value());
        else for (let i = 0; i < names.length; i++) o[names[i]] = value();
        return o;
      }
      case 10: { const n = ops[p++], o = {}; for (let i = 0; i < n; i++) { const key = value(); put(o, key, value()); } return o; }
      case 11: return JSON.parse(value());
      case 12: { const s = a.slice(pa, pa += ops[p++]); strings.push(s); return s; }
      case 13: { const s = u.slice(pu, pu += ops[p++]); strings.push(s); return s; }
      default: throw new Error('bad report program');
    }
  }
  return value();
}
// As JSON.parse does, "__proto__" becomes an own property (a token's claims are the sender's
// choice), never the object's prototype.
function put(o, key, v) {
  if (key === '__proto__') Object.defineProperty(o, key, { value: v, writable: true, enumerable: true, configurable: true });
  else o[key] = v;
}
"#)]
extern "C" {
    /// Encodes `text` into `capacity` bytes at `at` in the module's memory: the bytes written,
    /// minus the capacity needed when it did not fit (at most -3), or -1 when `text` is not a
    /// string. (It returns rather than throws: a throw would unwind past the buffer's guard.)
    fn encode_into(memory: &JsValue, text: &js_sys::JsString, at: u32, capacity: u32) -> i32;

    /// Builds a report from its construction program ([`handover`]), read straight from the
    /// module's memory (wasm-bindgen passes each buffer as a view, not a copy).
    #[wasm_bindgen(catch)]
    fn build_value(ops: &[i32], floats: &[f64], ascii: &[u8], unicode: &[u8], shapes: &[i32], keys: &[u8]) -> Result<JsValue, JsValue>;
}

thread_local! {
    /// The module's memory object, for [`encode_into`].
    static MEMORY: JsValue = wasm_bindgen::memory();
    /// Where [`with_js_str`] puts the text; kept, so a call does not allocate.
    static SCRATCH: std::cell::RefCell<Vec<u8>> = const { std::cell::RefCell::new(Vec::new()) };
    /// Where [`to_js`] writes a report's program; kept, so a report of megabytes is not written
    /// into buffers grown by doubling on every call (the module's memory does not shrink anyway).
    static REPORT: std::cell::RefCell<handover::Handover> = std::cell::RefCell::new(handover::Handover::default());
}

/// The largest text [`with_js_str`] takes (its UTF-8 may need three bytes per UTF-16 unit).
const MAX_TEXT_BYTES: usize = 256 << 20;
/// The buffer kept between calls.
const KEPT_TEXT_BYTES: usize = 1 << 20;

/// Runs `f` on the UTF-8 text of `text`.
fn with_js_str<R>(text: &js_sys::JsString, f: impl FnOnce(&str) -> R) -> Result<R, JsError> {
    SCRATCH.with(|scratch| {
        let mut buffer = scratch.try_borrow_mut().map_err(|_| JsError::new("text buffer in use"))?;
        if buffer.len() < 1024 {
            buffer.resize(1024, 0);
        }
        let mut written = -1;
        for _ in 0..2 {
            // The address is handed to JS, which writes through it; `buffer` is not borrowed
            // by anything else meanwhile (the RefCell guard is ours).
            let at = u32::try_from(buffer.as_mut_ptr() as usize).map_err(|_| JsError::new("address out of range"))?;
            let capacity = u32::try_from(buffer.len()).map_err(|_| JsError::new("text too large"))?;
            written = MEMORY.with(|memory| encode_into(memory, text, at, capacity));
            if written >= 0 {
                break;
            }
            if written == -1 {
                return Err(JsError::new("expected a string"));
            }
            let needed = usize::try_from(written.unsigned_abs()).unwrap_or(usize::MAX);
            if needed > MAX_TEXT_BYTES {
                return Err(JsError::new(&format!("text too large (over {} MB)", MAX_TEXT_BYTES >> 20)));
            }
            buffer.resize(needed, 0);
        }
        let written = usize::try_from(written).map_err(|_| JsError::new("text could not be encoded"))?;
        let bytes = buffer.get(..written).ok_or_else(|| JsError::new("text could not be encoded"))?;
        let result = std::str::from_utf8(bytes).map(f).map_err(|_| JsError::new("text is not UTF-8"));
        // A one-off large text does not keep its buffer.
        if buffer.len() > KEPT_TEXT_BYTES {
            buffer.truncate(KEPT_TEXT_BYTES);
            buffer.shrink_to_fit();
        }
        result
    })
}

/// Runs when the module is instantiated: a panic (a bug — the core is written not to panic on any
/// input) is reported on the console with its message before the instance traps, so the page can
/// show an error instead of going blank silently.
#[wasm_bindgen(start)]
pub fn start() {
    std::panic::set_hook(Box::new(|info| {
        console_error(&format!("cookie-inspector core panicked (a bug, please report it): {info}"));
    }));
}

/// Converts a report to a plain JS object (objects, never `Map`, so `JSON.stringify` works): the
/// object `JSON.parse` would make of serde_json's text of it, built from a construction program
/// ([`handover`]) rather than from the text, which cost twice as much to write and read.
///
/// Not serde-wasm-bindgen: a token may carry any JSON number (`"id": 18446744073709551615`,
/// `1e400`), which it refuses to convert (the call would throw); here it becomes the number
/// `JSON.parse` reads. Exact number texts are in `headerText`/`payloadText`.
fn to_js<T: Serialize>(value: &T) -> Result<JsValue, JsError> {
    let write = |out: &mut handover::Handover| -> Result<JsValue, JsError> {
        out.write(value).map_err(|e| JsError::new(&format!("report serialisation failed: {e}")))?;
        build_value(&out.ops, &out.floats, &out.ascii, &out.unicode, &out.shapes, &out.keys)
            .map_err(|_| JsError::new("report could not be built"))
    };
    REPORT.with(|kept| match kept.try_borrow_mut() {
        Ok(mut out) => write(&mut out),
        Err(_) => write(&mut handover::Handover::default()),
    })
}

/// Reads `options[key]` as a finite number.
fn bool_option(options: &JsValue, key: &str) -> bool {
    js_sys::Reflect::get(options, &key.into()).ok().and_then(|v| v.as_bool()).unwrap_or(false)
}

fn number_option(options: &JsValue, key: &str) -> Option<f64> {
    if !options.is_object() {
        return None;
    }
    js_sys::Reflect::get(options, &JsValue::from_str(key)).ok()?.as_f64().filter(|n| n.is_finite())
}

fn string_option(options: &JsValue, key: &str) -> Option<String> {
    if !options.is_object() {
        return None;
    }
    js_sys::Reflect::get(options, &JsValue::from_str(key)).ok()?.as_string()
}

/// `options[key]` as a list of strings: an array (non-strings skipped) or one string.
fn strings_option(options: &JsValue, key: &str) -> Vec<String> {
    if !options.is_object() {
        return Vec::new();
    }
    let Ok(value) = js_sys::Reflect::get(options, &JsValue::from_str(key)) else { return Vec::new() };
    if let Some(one) = value.as_string() {
        return vec![one];
    }
    if js_sys::Array::is_array(&value) {
        return js_sys::Array::from(&value).iter().filter_map(|v| v.as_string()).collect();
    }
    Vec::new()
}

/// The secrets and cookie name of an options object (`secret`, `secrets`, `cookieName`). Kept
/// for the call only: nothing here stores them.
fn key_options(options: &JsValue) -> crate::jose::KeyOptions {
    crate::jose::KeyOptions { secrets: strings_option(options, "secrets"), cookie_name: string_option(options, "cookieName") }
}

/// The caller's clock, in seconds.
fn clock_now() -> f64 {
    js_sys::Date::now() / 1000.0
}

/// `analyzeToken(input, { now?, secret?, secrets?, cookieName?, publicKeys? })`: the full token
/// report for pasted text. `secrets` are tried after `secret`, in order (a rotation: new, then
/// old); `cookieName` is the cookie a bare encrypted token came from (Auth.js salts its key with
/// it); `publicKeys` (JWK, JWKS or PEM texts) verify RS/PS/ES/EdDSA signatures — in the full core
/// (`hasPublicKeys()`), which the web build ships as a second module.
///
/// `input` that is not a string is analysed as empty text (a `jwt.malformed` finding), so a
/// careless caller gets a report rather than an exception.
#[wasm_bindgen(js_name = analyzeToken)]
pub fn analyze_token(input: JsValue, options: JsValue) -> Result<JsValue, JsError> {
    let text = input.as_string().unwrap_or_default();
    let raw_options = options.clone();
    let options = TokenOptions {
        now: number_option(&options, "now").unwrap_or_else(clock_now),
        secret: string_option(&options, "secret"),
    };
    let public_keys = strings_option(&raw_options, "publicKeys");
    to_js(&crate::jose::analyze_token_with_keys(&text, &options, &key_options(&raw_options), &public_keys))
}

/// The context argument of `analyzeSetCookie`: a preset the page offers, or full request contexts.
#[derive(Deserialize, Default)]
#[serde(rename_all = "camelCase", default)]
struct SetCookieArgs {
    // A preset (see `cookie::whatif`).
    response_url: String,
    next: NextRequest,
    next_scheme: Option<String>,
    third_party_cookies: ThirdPartyCookies,
    browser: Browser,
    next_after_seconds: f64,
    // Or the contexts themselves, which win when `response` is given.
    response: Option<RequestContext>,
    next_request: Option<RequestContext>,
    now: Option<f64>,
}

/// `analyzeSetCookie(lines, context)`: `Set-Cookie` lines (one per line) → parsed, stored or
/// rejected, sent or withheld on the next request, with Chromium's reason names and fixes.
///
/// `context` is either a preset — `{ responseUrl, next: "same-site-link" | "cross-site-link" |
/// "cross-site-form-post" | "oauth-redirect-back" | "same-site-fetch" | "cross-site-fetch" |
/// "cross-site-iframe", nextScheme?: "http" | "https", thirdPartyCookies?: "allowed" | "blocked" |
/// "phaseout", browser?: "chromium" | "firefox", nextAfterSeconds? }` — or `{ response, nextRequest? }` request contexts; `now` is
/// optional (seconds; default: the clock). Throws only for a context of the wrong shape.
#[wasm_bindgen(js_name = analyzeSetCookie)]
pub fn analyze_set_cookie(lines: JsValue, context: JsValue) -> Result<JsValue, JsError> {
    let text = lines.as_string().unwrap_or_default();
    let args: SetCookieArgs = from_js(&context, "analyzeSetCookie context")?;
    let whatif = match args.response {
        Some(response) => WhatIfContext {
            response,
            next_request: args.next_request,
            next_request_after_seconds: args.next_after_seconds,
        },
        None => Preset {
            response_url: args.response_url,
            next: args.next,
            next_scheme: args.next_scheme,
            third_party_cookies: args.third_party_cookies,
            browser: args.browser,
            next_after_seconds: args.next_after_seconds,
        }
        .context(),
    };
    to_js(&analyze_set_cookie_core(&text, &whatif, args.now.filter(|n| n.is_finite()).unwrap_or_else(clock_now)))
}

/// `analyzeHar(bytes, { now?, thirdPartyCookies?, browser?, compareBrowsers?, text? })`: a HAR file (a `Uint8Array`: a 10 MB
/// string costs ~27 ms just to cross into wasm, bytes ~2 ms) → the flow report: every entry
/// replayed through the cookie jar, the session findings, the first drop and every token; with
/// `text: true`, also `text`, the report as plain text for a bug report (tokens redacted).
/// Never throws for any bytes; a non-`Uint8Array` argument is analysed as an empty file.
#[wasm_bindgen(js_name = analyzeHar)]
pub fn analyze_har(bytes: JsValue, options: JsValue) -> Result<JsValue, JsError> {
    let data = bytes.dyn_into::<js_sys::Uint8Array>().map(|a| a.to_vec()).unwrap_or_default();
    let report = crate::flow::analyze_har(&data, &options_js(&options));
    // The file's copy goes before the report is handed over, so the handover can reuse its room.
    drop(data);
    let value = to_js(&report)?;
    if bool_option(&options, "text") {
        let _ = js_sys::Reflect::set(&value, &"text".into(), &shareable_text(&report).into());
    }
    Ok(value)
}

/// The report as plain text for a bug report ([`crate::flow::text`]), with every token's
/// signature redacted ([`crate::redact`]), so that pasting it anywhere gives no one a session.
fn shareable_text(report: &crate::flow::FlowReport) -> String {
    crate::redact::redact_tokens(&crate::flow::text::plain_text(report)).0
}

/// `{ now?, thirdPartyCookies?, browser?, compareBrowsers? }` as [`crate::flow::HarOptions`].
fn options_js(options: &JsValue) -> crate::flow::HarOptions {
    crate::flow::HarOptions {
        now: number_option(options, "now").unwrap_or_else(clock_now),
        replay: replay_options(options),
        compare_browsers: bool_option(options, "compareBrowsers"),
    }
}

/// Reads a JS value as `T` through JSON text (one JSON implementation in the module); `null` and
/// `undefined` give `T::default()`.
fn from_js<T: serde::de::DeserializeOwned + Default>(value: &JsValue, what: &str) -> Result<T, JsError> {
    if value.is_undefined() || value.is_null() {
        return Ok(T::default());
    }
    let text: String = js_sys::JSON::stringify(value).map_err(|_| JsError::new(&format!("{what}: not JSON-serialisable")))?.into();
    serde_json::from_str(&text).map_err(|e| JsError::new(&format!("{what}: {e}")))
}

/// `{ thirdPartyCookies?: "allowed" | "blocked" | "phaseout", browser?: "chromium" | "firefox" }`
/// (no browser: the one that wrote the HAR, Chromium when it says nothing).
fn replay_options(options: &JsValue) -> crate::flow::replay::ReplayOptions {
    crate::flow::replay::ReplayOptions { third_party_cookies: third_party_option(options), browser: browser_option(options) }
}

fn browser_option(options: &JsValue) -> Option<Browser> {
    match string_option(options, "browser").as_deref() {
        Some("firefox") => Some(Browser::Firefox),
        Some("chromium") => Some(Browser::Chromium),
        _ => None,
    }
}

fn third_party_option(options: &JsValue) -> ThirdPartyCookies {
    match string_option(options, "thirdPartyCookies").as_deref() {
        Some("blocked") => ThirdPartyCookies::Blocked,
        Some("phaseout") => ThirdPartyCookies::Phaseout,
        _ => ThirdPartyCookies::Allowed,
    }
}

/// A recording analysed as it happens: `new FlowSession({ thirdPartyCookies?, browser?, compareBrowsers? })`, then
/// `push(entry)` for each request (a HAR 1.2 entry object, in the order the browser made them;
/// each redirect hop its own entry) and `summary()` whenever the view refreshes. Each entry is
/// replayed once, when pushed; `summary()` only walks the per-entry results.
#[wasm_bindgen]
pub struct FlowSession {
    options: crate::flow::HarOptions,
    flow: crate::flow::FlowAnalysis,
    /// Kept across `clear()`: the secret belongs to the app, not to one recording.
    secrets: Vec<String>,
}

#[wasm_bindgen]
impl FlowSession {
    #[wasm_bindgen(constructor)]
    pub fn new(options: JsValue) -> FlowSession {
        let options = options_js(&options);
        FlowSession { options, flow: crate::flow::FlowAnalysis::new(&options), secrets: Vec::new() }
    }

    /// Replays one HAR entry and returns its replay (the shape of `analyzeHar(…).entries[i]`), or
    /// `null` for an object that is not a HAR entry (a `har.entry-invalid` finding says why).
    pub fn push(&mut self, entry: JsValue) -> Result<JsValue, JsError> {
        let text: String = match js_sys::JSON::stringify(&entry) {
            Ok(t) => t.into(),
            Err(_) => String::new(),
        };
        let index = self.flow.len();
        match serde_json::from_str::<crate::flow::har::Entry<'_>>(&text) {
            Ok(e) => match self.flow.push(&e) {
                Some(replayed) => to_js(replayed),
                None => Ok(JsValue::NULL),
            },
            Err(error) => {
                self.flow.note(None, crate::flow::har::invalid_entry(index, &error.to_string()));
                Ok(JsValue::NULL)
            }
        }
    }

    /// The report of everything pushed so far without `entries` (headline, first drop, findings,
    /// cookie columns, tokens, counts).
    pub fn summary(&mut self) -> Result<JsValue, JsError> {
        to_js(&self.flow.summary())
    }

    /// The whole report, entries included (the shape of `analyzeHar`'s).
    pub fn report(&mut self) -> Result<JsValue, JsError> {
        to_js(&self.flow.report())
    }

    /// The whole report as plain text for a bug report, tokens' signatures redacted (what
    /// `analyzeHar(bytes, { text: true }).text` is).
    pub fn text(&mut self) -> String {
        shareable_text(&self.flow.report())
    }

    /// The app's secrets (`[current, previous…]`) for encrypted session cookies in the flow: the
    /// tokens seen so far are analysed again with them, and later ones too. Kept in memory only.
    #[wasm_bindgen(js_name = setSecrets)]
    pub fn set_secrets(&mut self, secrets: Vec<String>) {
        self.flow.set_keys(crate::jose::KeyOptions { secrets: secrets.clone(), cookie_name: None });
        self.secrets = secrets;
    }

    /// Forgets every entry (a new recording).
    pub fn clear(&mut self) {
        self.flow = crate::flow::FlowAnalysis::new(&self.options);
        if !self.secrets.is_empty() {
            self.flow.set_keys(crate::jose::KeyOptions { secrets: self.secrets.clone(), cookie_name: None });
        }
    }

    /// How many entries were pushed.
    #[wasm_bindgen(getter)]
    pub fn length(&self) -> usize {
        self.flow.len()
    }
}

/// A cookie jar for callers that want the browser's decisions and nothing else — the same
/// engine as the reports, without their texts: `new CookieJar()`, then `setCookie(line, url,
/// now?)` for each `Set-Cookie` a response carries and `cookieString(url, initiator?, now?)` for
/// the `Cookie` header a top-level GET navigation gets (`initiator`: the origin that started it;
/// absent when the user did). Plain arguments rather than an options object: reading an object's
/// properties from wasm costs more than the decision. `now` (seconds) defaults to the clock.
#[wasm_bindgen(js_name = CookieJar)]
pub struct WasmCookieJar {
    jar: crate::cookie::jar::CookieJar,
    /// The last request resolved and what it was resolved from (URL, initiator): a flow sets
    /// several cookies from one response, and parsing URLs and looking up their sites is most of
    /// a decision.
    last_url: String,
    last_initiator: Option<String>,
    last: Option<crate::cookie::site::ResolvedRequest>,
}

impl WasmCookieJar {
    /// Resolves the request (or keeps the last one, if it is the same). The texts are taken
    /// owned: kept as the last ones, they need no copy.
    fn resolve(&mut self, url: String, initiator: Option<String>) -> Result<&crate::cookie::site::ResolvedRequest, JsError> {
        use crate::cookie::site::ResolvedRequest;
        let same = self.last.is_some() && self.last_url == url && self.last_initiator == initiator;
        if !same {
            let resolved =
                ResolvedRequest::navigation(&url, initiator.as_deref()).map_err(|e| JsError::new(&format!("CookieJar: {e}")))?;
            self.last_url = url;
            self.last_initiator = initiator;
            self.last = Some(resolved);
        }
        self.last.as_ref().ok_or_else(|| JsError::new("CookieJar: no request"))
    }

    /// Stores each of `lines` (separated by `\n`): the verdicts, one per line.
    fn store_lines(jar: &mut crate::cookie::jar::CookieJar, lines: &str, request: &crate::cookie::site::ResolvedRequest, now: i64) -> String {
        use crate::cookie::storage::StorageDecision;
        let mut out = String::with_capacity(64);
        let mut rest = Some(lines);
        let mut first = true;
        while let Some(text) = rest {
            let (line, tail) = match crate::cookie::parse::find_byte(text.as_bytes(), b'\n') {
                Some(at) => (text.get(..at).unwrap_or(""), text.get(at + 1..)),
                None => (text, None),
            };
            rest = tail;
            if !first {
                out.push('\n');
            }
            first = false;
            // Every trailing CR goes, as `trim_end_matches('\r')` would take them.
            let keep = line.bytes().rposition(|b| b != b'\r').map_or(0, |i| i + 1);
            let line = line.get(..keep).unwrap_or("");
            match jar.store(line, request, now) {
                StorageDecision::Stored => out.push_str("stored"),
                StorageDecision::DeletesExisting => out.push_str("deleted"),
                StorageDecision::Rejected(reasons) => {
                    for (k, r) in reasons.iter().enumerate() {
                        if k > 0 {
                            out.push(',');
                        }
                        out.push_str(r.as_str());
                    }
                }
            }
        }
        out
    }

    fn now(now: Option<f64>) -> i64 {
        crate::time::whole_seconds(now.filter(|n| n.is_finite()).unwrap_or_else(clock_now)).unwrap_or_default()
    }
}

#[wasm_bindgen(js_class = CookieJar)]
impl WasmCookieJar {
    #[wasm_bindgen(constructor)]
    pub fn new() -> WasmCookieJar {
        WasmCookieJar {
            jar: crate::cookie::jar::CookieJar::with_detail(crate::cookie::parse::Detail::DecisionsOnly),
            last_url: String::new(),
            last_initiator: None,
            last: None,
        }
    }

    /// Stores (or not) the `Set-Cookie` lines received from `url` (a top-level navigation's
    /// response; several lines separated by `\n`, as DevTools joins them): returns one verdict per
    /// line, joined by `\n` — `"stored"`, `"deleted"` (an expiry in the past removed it) or
    /// Chromium's blocked reasons joined by `,` (`"SecureOnly"`, `"InvalidDomain,SameSiteNoneInsecure"`).
    /// Throws only for a URL that does not parse, or `lines` that are not a string (or over
    /// 256 MB as UTF-8).
    #[wasm_bindgen(js_name = setCookie)]
    pub fn set_cookie(&mut self, lines: &js_sys::JsString, url: String, now: Option<f64>) -> Result<String, JsError> {
        let now = Self::now(now);
        self.resolve(url, None)?;
        let Some(request) = &self.last else { return Err(JsError::new("CookieJar: no request")) };
        let jar = &mut self.jar;
        with_js_str(lines, |lines| Self::store_lines(jar, lines, request, now))
    }

    /// The `Cookie` header a navigation to `url` started by `initiator` carries (empty when
    /// none), in the browser's order.
    #[wasm_bindgen(js_name = cookieString)]
    pub fn cookie_string(&mut self, url: String, initiator: Option<String>, now: Option<f64>) -> Result<String, JsError> {
        self.resolve(url, initiator)?;
        let Some(request) = &self.last else { return Err(JsError::new("CookieJar: no request")) };
        Ok(self.jar.cookie_header(request, Self::now(now)))
    }
}


impl Default for WasmCookieJar {
    fn default() -> Self {
        WasmCookieJar::new()
    }
}

/// `analyzeJar(cookies, { now?, secrets? })`: the browser's cookies as `chrome.cookies.getAll`
/// lists them → `{ rows, findings, tokens, counts }`: DevTools' columns plus flags per cookie (a
/// Strict session cookie, readable by scripts, near the size limit, duplicated, tokens inside).
/// Session cookies split into chunks are joined, and encrypted ones decrypted with `secrets`.
#[wasm_bindgen(js_name = analyzeJar)]
pub fn analyze_jar(cookies: JsValue, options: JsValue) -> Result<JsValue, JsError> {
    let cookies: Vec<crate::cookie::audit::BrowserCookie> = from_js(&cookies, "analyzeJar cookies")?;
    to_js(&crate::cookie::audit::audit_jar(&cookies, number_option(&options, "now").unwrap_or_else(clock_now), &key_options(&options)))
}

/// `analyzeStorage(items, { now? })`: `[{ area: "localStorage" | "sessionStorage", origin, key,
/// value }]` → `{ items, findings, tokens, counts }` for the entries that hold tokens.
#[wasm_bindgen(js_name = analyzeStorage)]
pub fn analyze_storage(items: JsValue, options: JsValue) -> Result<JsValue, JsError> {
    let items: Vec<crate::web_storage::StorageItem> = from_js(&items, "analyzeStorage items")?;
    to_js(&crate::web_storage::audit_storage(&items, number_option(&options, "now").unwrap_or_else(clock_now)))
}

/// `redactTokens(text)`: `{ text, redacted }` — the text (a report's or a HAR's JSON) with the
/// signature or authentication tag of every token replaced by `REDACTED`, so an exported file
/// cannot be used to sign in; `redacted` counts the tokens.
#[wasm_bindgen(js_name = redactTokens)]
pub fn redact_tokens(text: &str) -> Result<JsValue, JsError> {
    let (text, redacted) = crate::redact::redact_tokens(text);
    to_js(&serde_json::json!({ "text": text, "redacted": redacted }))
}

/// Whether this build verifies public-key signatures (the full core) or leaves them out (the
/// smaller module pages load first).
#[wasm_bindgen(js_name = hasPublicKeys)]
pub fn has_public_keys() -> bool {
    cfg!(feature = "public-keys")
}

/// The crate version, for bug reports.
#[wasm_bindgen]
pub fn version() -> String {
    env!("CARGO_PKG_VERSION").to_string()
}
