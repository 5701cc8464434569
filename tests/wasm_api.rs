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

/// Reports reach JS as ASCII JSON text (non-ASCII escaped): every character must come back as
/// it was, a character beyond the Basic Multilingual Plane (a surrogate pair) included.
#[wasm_bindgen_test]
fn non_ascii_text_survives_the_handoff() {
    let name = "José · 東京 → 😀 \u{7f}\u{80}\u{ffff}";
    let token = hs256(json!({"sub": "1", "name": name}), "s");
    let report = analyze_token(token.into(), options(Some(1_795_420_000.0), None)).unwrap();
    let payload = js_sys::Reflect::get(&report, &"payload".into()).unwrap();
    let got = js_sys::Reflect::get(&payload, &"name".into()).unwrap().as_string().unwrap();
    assert_eq!(got, name);
    assert_eq!(as_json(&report)["payload"]["name"], name);
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

fn js(v: &Value) -> JsValue {
    js_sys::JSON::parse(&v.to_string()).unwrap()
}

/// The recorder's path in the browser: a `FlowSession` fed the OAuth chain hop by hop finds the
/// Strict session cookie withheld on the callback as soon as that hop is pushed.
#[wasm_bindgen_test]
fn flow_session_finds_the_drop_live() {
    use cookie_inspector::wasm::FlowSession;
    let entry = |at: &str, method: &str, url: &str, headers: Value, status: i64, response_headers: Value, location: &str| {
        js(&json!({
            "startedDateTime": at, "time": 10,
            "request": { "method": method, "url": url, "headers": headers },
            "response": { "status": status, "headers": response_headers, "redirectURL": location },
            "_resourceType": "document"
        }))
    };
    let mut flow = FlowSession::new(js(&json!({ "now": 1_795_420_000.0 })));
    let first = as_json(
        &flow
            .push(entry(
                "2026-11-23T10:00:00.000Z",
                "POST",
                "https://idp.test/authorize",
                json!([{ "name": "Origin", "value": "https://idp.test" }]),
                302,
                json!([]),
                "https://app.test/callback",
            ))
            .unwrap(),
    );
    assert_eq!(first["index"], 0);
    flow.push(entry(
        "2026-11-23T10:00:00.100Z",
        "GET",
        "https://app.test/callback",
        json!([]),
        302,
        json!([{ "name": "Set-Cookie", "value": "session=abc; Path=/; Secure; HttpOnly; SameSite=Strict" }]),
        "https://app.test/dashboard",
    ))
    .unwrap();
    let summary = as_json(&flow.summary().unwrap());
    assert!(summary["entries"].as_array().unwrap().is_empty());
    assert!(summary["firstDrop"].is_null(), "nothing withheld yet: {summary}");
    let third = as_json(&flow.push(entry("2026-11-23T10:00:00.200Z", "GET", "https://app.test/dashboard", json!([]), 200, json!([]), "")).unwrap());
    assert_eq!(third["request"]["cookiesWithheld"][0]["name"], "session");
    assert_eq!(third["request"]["cookiesWithheld"][0]["reasons"][0], "SchemefulSameSiteStrict", "as Chromium names it");
    let summary = as_json(&flow.summary().unwrap());
    assert_eq!(summary["firstDrop"]["entry"], 2, "{summary}");
    assert!(summary["headline"].as_str().unwrap().contains("session"), "{}", summary["headline"]);
    assert_eq!(flow.length(), 3);
    // Not an entry: null, and a finding in the summary; the session keeps going.
    assert!(flow.push(js(&json!({ "request": 5 }))).unwrap().is_null());
    assert!(codes(&as_json(&flow.summary().unwrap())).contains(&"har.entry-invalid".to_string()));
    assert_eq!(as_json(&flow.report().unwrap())["entries"].as_array().unwrap().len(), 3);
    flow.clear();
    assert_eq!(flow.length(), 0);
}

#[wasm_bindgen_test]
fn jar_and_storage_from_extension_shapes() {
    use cookie_inspector::wasm::{analyze_jar, analyze_storage};
    let cookies = json!([
        { "name": "__Host-sid", "value": "x", "domain": "app.test", "hostOnly": true, "path": "/",
          "secure": true, "httpOnly": true, "sameSite": "strict", "session": false, "expirationDate": 1_800_000_000.5,
          "storeId": "0", "partitionKey": { "topLevelSite": "https://app.test" } }
    ]);
    let jar = as_json(&analyze_jar(js(&cookies), options(Some(1_795_420_000.0), None)).unwrap());
    assert_eq!(jar["rows"][0]["sameSite"], "Strict");
    assert_eq!(jar["rows"][0]["expires"], 1_800_000_000.5);
    assert_eq!(jar["rows"][0]["partitionKey"], "https://app.test");
    assert_eq!(codes(&jar), ["jar.samesite-strict-session"]);
    let token = hs256(json!({ "sub": "1", "exp": 1_795_420_000_000_i64 }), "s");
    let storage = as_json(
        &analyze_storage(js(&json!([{ "area": "localStorage", "origin": "https://app.test", "key": "token", "value": token }])), options(Some(1_795_420_000.0), None))
            .unwrap(),
    );
    let found = codes(&storage);
    assert!(found.contains(&"storage.token".to_string()) && found.contains(&"jwt.exp-milliseconds".to_string()), "{found:?}");
    // A wrong shape throws (a caller bug), it does not panic.
    assert!(analyze_jar(JsValue::from_str("nope"), JsValue::UNDEFINED).is_err());
}

/// The decisions-only jar gives the browser's verdicts: stored, refused with Chromium's reason,
/// deleted, and the Cookie header of the next navigation (Strict withheld when another site
/// started it).
#[wasm_bindgen_test]
fn cookie_jar_decisions() {
    use cookie_inspector::wasm::WasmCookieJar;
    let now = Some(1_795_420_000.0);
    let js = |text: &str| js_sys::JsString::from(text);
    let mut jar = WasmCookieJar::new();
    let url = "https://app.test/api/auth/callback";
    assert_eq!(jar.set_cookie(&js("session=1; Path=/; Secure; HttpOnly; SameSite=Strict"), url.into(), now).unwrap(), "stored");
    assert_eq!(jar.set_cookie(&js("theme=dark; Path=/"), url.into(), now).unwrap(), "stored");
    assert_eq!(jar.set_cookie(&js("x=1; Domain=vercel.app"), "https://my.vercel.app/".into(), now).unwrap(), "InvalidDomain");
    assert_eq!(jar.set_cookie(&js("y=1; Secure"), "http://app.test/".into(), now).unwrap(), "SecureOnly");
    assert_eq!(jar.cookie_string("https://app.test/dashboard".into(), None, now).unwrap(), "session=1; theme=dark");
    assert_eq!(jar.cookie_string("https://app.test/dashboard".into(), Some("https://idp.test".into()), now).unwrap(), "theme=dark");
    assert_eq!(jar.set_cookie(&js("theme=; Path=/; Max-Age=0"), url.into(), now).unwrap(), "deleted");
    assert_eq!(jar.cookie_string("https://app.test/".into(), None, now).unwrap(), "session=1");
    assert!(jar.set_cookie(&js("a=1"), "not a url".into(), now).is_err());
    // Several lines of one response, joined as DevTools joins them: one verdict each.
    assert_eq!(jar.set_cookie(&js("p=1; Path=/\nq=1; SameSite=None\n__Host-r=1; Secure; Path=/"), url.into(), now).unwrap(), "stored\nSameSiteNoneInsecure\nstored");
    // The lines cross as UTF-8, however long and whatever their characters (a lone surrogate
    // becomes U+FFFD, as in any UTF-8 encoding of the string).
    let long = format!("big={}; Path=/", "é".repeat(1500));
    assert_eq!(jar.set_cookie(&js(&long), url.into(), now).unwrap(), "stored");
    assert!(jar.cookie_string("https://app.test/".into(), None, now).unwrap().contains(&"é".repeat(1500)));
    let surrogate = js_sys::JsString::from("s=").concat(&js_sys::JsString::from_char_code(&[0xd800]).into()).concat(&"; Path=/".into());
    assert_eq!(jar.set_cookie(&surrogate, url.into(), now).unwrap(), "stored");
    assert!(jar.cookie_string("https://app.test/".into(), None, now).unwrap().ends_with("; s=\u{fffd}"));
    // Not a string: an error, and the jar still works after it.
    assert!(jar.set_cookie(&wasm_bindgen::JsCast::unchecked_into::<js_sys::JsString>(JsValue::from(42)), url.into(), now).is_err());
    assert_eq!(jar.set_cookie(&js("after=1"), url.into(), now).unwrap(), "stored");
}
