//! The exported JS API, run in a real browser: `wasm-pack test --headless --chrome`.
#![cfg(target_arch = "wasm32")]
#![allow(clippy::unwrap_used, clippy::expect_used, clippy::indexing_slicing, clippy::panic)]

use base64::engine::general_purpose::URL_SAFE_NO_PAD;
use base64::Engine;
use cookie_inspector::wasm::analyze_token;
use hmac::{Hmac, Mac};
use serde_json::{json, Value};
use sha2::Sha256;
use wasm_bindgen::JsValue;
use wasm_bindgen_test::*;

wasm_bindgen_test_configure!(run_in_browser);

fn b64(v: &Value) -> String {
    URL_SAFE_NO_PAD.encode(serde_json::to_vec(v).unwrap())
}

fn hs256(payload: Value, secret: &str) -> String {
    let input = format!("{}.{}", b64(&json!({"alg": "HS256", "typ": "JWT"})), b64(&payload));
    let mut mac = Hmac::<Sha256>::new_from_slice(secret.as_bytes()).unwrap();
    mac.update(input.as_bytes());
    format!("{input}.{}", URL_SAFE_NO_PAD.encode(mac.finalize().into_bytes()))
}

/// The report as JSON, through the browser's own JSON.stringify: proves it is a plain object.
fn as_json(report: &JsValue) -> Value {
    let text: String = js_sys::JSON::stringify(report).unwrap().into();
    serde_json::from_str(&text).unwrap()
}

fn options(now: Option<f64>, secret: Option<&str>) -> JsValue {
    let o = js_sys::Object::new();
    if let Some(n) = now {
        js_sys::Reflect::set(&o, &"now".into(), &n.into()).unwrap();
    }
    if let Some(s) = secret {
        js_sys::Reflect::set(&o, &"secret".into(), &s.into()).unwrap();
    }
    o.into()
}

fn codes(report: &Value) -> Vec<String> {
    report["findings"].as_array().unwrap().iter().map(|f| f["code"].as_str().unwrap().to_string()).collect()
}

#[wasm_bindgen_test]
fn report_is_a_plain_json_object() {
    let now = 1_795_420_000.0;
    let token = hs256(json!({"sub": "1", "iat": now as i64, "exp": (now as i64) * 1000 + 3600}), "s");
    let report = analyze_token(token.into(), options(Some(now), None)).unwrap();
    let proto = js_sys::Object::get_prototype_of(&report);
    assert!(proto.is_object() && js_sys::Object::get_prototype_of(&proto).is_null(), "prototype is Object.prototype");
    let v = as_json(&report);
    assert_eq!(v["kind"], "jws");
    assert_eq!(v["findings"][0]["code"], "jwt.exp-milliseconds");
    assert_eq!(v["findings"][0]["severity"], "error");
    assert!(v["findings"][0]["where"].as_str().unwrap().contains("exp"));
    assert_eq!(v["payload"]["sub"], "1");
    let exp_marker = v["lifetime"]["markers"].as_array().unwrap().iter().find(|m| m["name"] == "exp").unwrap().clone();
    assert_eq!(exp_marker["clipped"], "after");
    assert_eq!(exp_marker["suspect"], true);
}

#[wasm_bindgen_test]
fn now_defaults_to_the_browser_clock() {
    let clock = js_sys::Date::now() / 1000.0;
    let token = hs256(json!({"sub": "1", "iat": clock as i64, "exp": clock as i64 + 3600}), "s");
    let v = as_json(&analyze_token(token.clone().into(), JsValue::UNDEFINED).unwrap());
    assert!(codes(&v).is_empty(), "{:?}", codes(&v));
    assert!((v["now"].as_f64().unwrap() - clock).abs() < 60.0);
    // The same token two hours later is expired.
    let v = as_json(&analyze_token(token.into(), options(Some(clock + 7200.0), None)).unwrap());
    assert_eq!(codes(&v), ["jwt.expired"]);
}

#[wasm_bindgen_test]
fn secret_is_verified_in_the_browser() {
    let now = 1_795_420_000.0;
    let secret = "correct horse battery staple, long enough";
    let token = hs256(json!({"sub": "1", "iat": now as i64, "exp": now as i64 + 600}), secret);
    let v = as_json(&analyze_token(token.clone().into(), options(Some(now), Some(secret))).unwrap());
    assert_eq!(v["signature"]["status"], "valid");
    assert_eq!(codes(&v), ["jwt.signature-valid"]);
    let v = as_json(&analyze_token(token.into(), options(Some(now), Some("another instance's secret!!!!!!!!!"))).unwrap());
    assert_eq!(v["signature"]["status"], "invalid");
    assert_eq!(codes(&v), ["jwt.signature-invalid"]);
}

#[wasm_bindgen_test]
fn bad_input_never_throws() {
    let garbage: String = (0u32..2000).filter_map(|i| char::from_u32((i * 7919) % 0x2_0000)).collect();
    let huge = "e".repeat(10 * 1024 * 1024);
    let deep = format!("{}.{}.c2ln", b64(&json!({"alg": "HS256"})), URL_SAFE_NO_PAD.encode("[".repeat(10_000)));
    let inputs: Vec<(JsValue, &str)> = vec![
        (JsValue::UNDEFINED, "jwt.malformed"),
        (JsValue::NULL, "jwt.malformed"),
        (JsValue::from_f64(42.0), "jwt.malformed"),
        (js_sys::Object::new().into(), "jwt.malformed"),
        ("".into(), "jwt.malformed"),
        (garbage.into(), "jwt.malformed"),
        ("{\"a\": {\"b\": 1}}".into(), "jwt.malformed"),
        (deep.into(), "jwt.malformed"),
        (huge.into(), "jwt.too-large"),
    ];
    for (input, code) in inputs {
        let report = analyze_token(input, options(Some(0.0), Some("x"))).unwrap();
        let v = as_json(&report);
        assert!(codes(&v).iter().any(|c| c == code), "{code}: {:?}", codes(&v));
    }
    // Options of the wrong shape are ignored, not fatal.
    let v = as_json(&analyze_token("a.b.c".into(), JsValue::from_str("not options")).unwrap());
    assert!(!codes(&v).is_empty());
}
