//! The JavaScript boundary: the only module that touches wasm-bindgen and js-sys.
//!
//! Every export takes loosely typed JS values and returns a plain JSON-compatible object (no
//! exported classes, nothing to `.free()`). Analysis problems are findings inside the report; an
//! export throws only when the caller misuses it. The clock is read here, never in the core.

use crate::jose::{analyze_token as analyze_token_core, TokenOptions};
use serde::Serialize;
use wasm_bindgen::prelude::*;

#[wasm_bindgen]
extern "C" {
    #[wasm_bindgen(js_namespace = console, js_name = error)]
    fn console_error(message: &str);
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

/// Converts a report to a plain JS object (objects, never `Map`, so `JSON.stringify` works).
///
/// Through JSON text and the engine's `JSON.parse` rather than serde-wasm-bindgen: a token may
/// carry any JSON number (`"id": 18446744073709551615`, `1e400`), which serde-wasm-bindgen
/// refuses to convert (the call would throw), while `JSON.parse` always succeeds. Both cost the
/// same on the token benchmark. Exact number texts are in `headerText`/`payloadText`.
fn to_js<T: Serialize>(value: &T) -> Result<JsValue, JsError> {
    let mut buffer = Vec::with_capacity(4096);
    serde_json::to_writer(&mut buffer, value).map_err(|e| JsError::new(&format!("report serialisation failed: {e}")))?;
    // serde_json writes UTF-8 only; from_utf8 cannot fail here but is checked anyway.
    let text = String::from_utf8(buffer).map_err(|_| JsError::new("report is not UTF-8"))?;
    js_sys::JSON::parse(&text).map_err(|_| JsError::new("report JSON could not be parsed"))
}

/// Reads `options[key]` as a finite number.
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

/// The caller's clock, in seconds.
fn clock_now() -> f64 {
    js_sys::Date::now() / 1000.0
}

/// `analyzeToken(input, { now?, secret? })`: the full token report for pasted text.
///
/// `input` that is not a string is analysed as empty text (a `jwt.malformed` finding), so a
/// careless caller gets a report rather than an exception.
#[wasm_bindgen(js_name = analyzeToken)]
pub fn analyze_token(input: JsValue, options: JsValue) -> Result<JsValue, JsError> {
    let text = input.as_string().unwrap_or_default();
    let options = TokenOptions {
        now: number_option(&options, "now").unwrap_or_else(clock_now),
        secret: string_option(&options, "secret"),
    };
    to_js(&analyze_token_core(&text, &options))
}

/// The crate version, for bug reports.
#[wasm_bindgen]
pub fn version() -> String {
    env!("CARGO_PKG_VERSION").to_string()
}
