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

/// The object JS gets is the one `JSON.parse` makes of serde_json's text of the same report:
/// compared through the browser's own `JSON.stringify`, which keeps key order.
fn assert_same_as_json_parse<T: serde::Serialize>(got: &JsValue, native: &T, what: &str) {
    let expected = js_sys::JSON::parse(&serde_json::to_string(native).unwrap()).unwrap();
    let got_text: String = js_sys::JSON::stringify(got).unwrap().into();
    let expected_text: String = js_sys::JSON::stringify(&expected).unwrap().into();
    assert!(got_text == expected_text, "{what}: differs from JSON.parse of serde_json's text\n got: {got_text:.2000}\nwant: {expected_text:.2000}");
}

fn get(o: &JsValue, key: &str) -> JsValue {
    js_sys::Reflect::get(o, &key.into()).unwrap()
}

/// A token whose claims hold what a hand-written handover gets wrong: integers past 2^53 and
/// past f64 (as `JSON.parse` reads them), `-0`, a float, a `__proto__` claim (an own property,
/// as `JSON.parse` makes it, never the object's prototype), non-ASCII and empty strings, nested
/// and empty containers, and strings repeated (sent once, then referred to).
#[wasm_bindgen_test]
fn token_report_equals_json_parse_of_its_json() {
    let now = 1_795_420_000.0;
    let payload_text = r#"{"sub":"user","big":18446744073709551615,"neg":-9223372036854775809,"huge":1e400,"tiny":-1e-400,"neg0":-0,"frac":0.1,"exact":1.0000000000000002,"__proto__":{"polluted":true},"nested":{"__proto__":1,"a":[1,"a",null,true,[],{}]},"text":"José 😀 \u0000","empty":"","same":"user","again":"user","iat":1795420000,"exp":1795423600}"#;
    let header = b64(&json!({"alg": "HS256", "typ": "JWT"}));
    let token = format!("{header}.{}.c2ln", URL_SAFE_NO_PAD.encode(payload_text));
    let got = analyze_token(token.clone().into(), options(Some(now), None)).unwrap();
    let native = cookie_inspector::jose::analyze_token(&token, &cookie_inspector::jose::TokenOptions { now, secret: None });
    assert_same_as_json_parse(&got, &native, "token report");
    let payload = get(&got, "payload");
    assert_eq!(get(&payload, "big").as_f64(), Some(18_446_744_073_709_551_615.0));
    assert_eq!(get(&payload, "huge").as_f64(), Some(f64::INFINITY));
    assert!(get(&payload, "neg0").as_f64().is_some_and(|z| z == 0.0 && z.is_sign_negative()), "-0 stays negative zero");
    assert_eq!(get(&payload, "frac").as_f64(), Some(0.1));
    assert_eq!(get(&payload, "exact").as_f64(), Some(1.000_000_000_000_000_2));
    assert_eq!(get(&payload, "text").as_string().unwrap(), "José 😀 \u{0}");
    let proto = js_sys::Object::get_prototype_of(&payload);
    assert!(js_sys::Object::get_prototype_of(&proto).is_null(), "the payload's prototype is still Object.prototype");
    assert!(get(&payload, "polluted").is_undefined(), "a __proto__ claim does not become the prototype");
    let own = js_sys::Object::get_own_property_descriptor(&payload.clone().into(), &"__proto__".into());
    assert!(get(&get(&own, "value"), "polluted").as_bool() == Some(true), "__proto__ is an own property");
    assert!(get(&js_sys::Object::new().into(), "polluted").is_undefined(), "Object.prototype untouched");
}

/// Every recorded HAR fixture's report arrives exactly as `JSON.parse` would give it.
#[wasm_bindgen_test]
fn flow_reports_equal_json_parse_of_their_json() {
    use cookie_inspector::cookie::site::ThirdPartyCookies;
    use cookie_inspector::flow::{analyze_har as native_har, replay::ReplayOptions, HarOptions};
    let hars: &[(&str, &[u8])] = &[
        ("domain__public-suffix-vercel", include_bytes!("fixtures/hars/domain__public-suffix-vercel.har")),
        ("expiry__max-age-0-deletes", include_bytes!("fixtures/hars/expiry__max-age-0-deletes.har")),
        ("oauth__strict-302", include_bytes!("fixtures/hars/oauth__strict-302.har")),
        ("oauth__none-secure-302", include_bytes!("fixtures/hars/oauth__none-secure-302.har")),
        ("path__admin-then-root", include_bytes!("fixtures/hars/path__admin-then-root.har")),
        ("prefix__host-without-path", include_bytes!("fixtures/hars/prefix__host-without-path.har")),
        ("secure__over-http", include_bytes!("fixtures/hars/secure__over-http.har")),
        ("syntax__several-lines", include_bytes!("fixtures/hars/syntax__several-lines.har")),
        ("token__bearer-header", include_bytes!("fixtures/hars/token__bearer-header.har")),
    ];
    let now = 1_795_420_000.0;
    for (name, bytes) in hars {
        let got = cookie_inspector::wasm::analyze_har(js_sys::Uint8Array::from(*bytes).into(), options(Some(now), None)).unwrap();
        let native = native_har(bytes, &HarOptions { now, replay: ReplayOptions { third_party_cookies: ThirdPartyCookies::Allowed, browser: None }, ..HarOptions::default() });
        assert_same_as_json_parse(&got, &native, name);
    }
    // A made-up flow with what the fixtures have little of: many entries sharing cookie names,
    // rejected and deleting Set-Cookie lines, redirects, withheld cookies, tokens in bodies and
    // headers, non-ASCII text, optional fields present and absent.
    let token = hs256(json!({"sub": "ü", "iat": 1_795_420_000, "exp": 1_795_423_600}), "s");
    let lines = [
        format!("session={token}; Path=/; Secure; HttpOnly; SameSite=Lax"),
        "theme=dark; Path=/".to_string(),
        "insecure=1; Secure".to_string(),
        "none=1; SameSite=None".to_string(),
        "gone=; Max-Age=0".to_string(),
        "other=1; Domain=elsewhere.test".to_string(),
        "strict=1; SameSite=Strict; Secure".to_string(),
    ];
    let mut entries = Vec::new();
    for i in 0..240usize {
        let host = ["app.test", "idp.test", "api.app.test"][i % 3];
        let scheme = if i % 11 == 0 { "http" } else { "https" };
        let status = if i % 5 == 0 { 302 } else { 200 };
        let set: Vec<Value> = (0..i % 4).map(|k| json!({"name": "Set-Cookie", "value": lines[(i + k) % lines.len()]})).collect();
        let body = if i % 7 == 0 { json!({"mimeType": "application/json", "text": format!("{{\"access_token\":\"{token}\",\"note\":\"café\"}}")}) } else { json!({"mimeType": "text/html", "text": ""}) };
        entries.push(json!({
            "startedDateTime": format!("2026-11-23T10:00:{:02}.{:03}Z", i / 10, (i % 10) * 100),
            "request": {"method": if i % 6 == 0 { "POST" } else { "GET" }, "url": format!("{scheme}://{host}/p/{i}?q=é"),
                "headers": [{"name": "Cookie", "value": "session=x; theme=dark"}, {"name": "Authorization", "value": format!("Bearer {token}")}]},
            "response": {"status": status, "headers": set, "redirectURL": if status == 302 { format!("https://app.test/p/{}", i + 1) } else { String::new() }, "content": body},
            "_resourceType": if i % 4 == 0 { "document" } else { "fetch" }
        }));
    }
    let har = serde_json::to_vec(&json!({"log": {"version": "1.2", "creator": {"name": "test", "version": "1"}, "entries": entries}})).unwrap();
    let got = cookie_inspector::wasm::analyze_har(js_sys::Uint8Array::from(&har[..]).into(), options(Some(now), None)).unwrap();
    let native = native_har(&har, &HarOptions { now, replay: ReplayOptions { third_party_cookies: ThirdPartyCookies::Allowed, browser: None }, ..HarOptions::default() });
    assert!(native.entries.len() == 240 && native.findings.len() > 5, "the made-up flow is analysed: {} findings", native.findings.len());
    assert_same_as_json_parse(&got, &native, "made-up flow");
}

/// The `browser` option reaches the replay through the wasm API: a Firefox export is replayed
/// with Firefox's rules unless Chromium's are asked for, and each way equals the native report.
#[wasm_bindgen_test]
fn the_browser_option_picks_the_rules() {
    use cookie_inspector::cookie::site::{Browser, ThirdPartyCookies};
    use cookie_inspector::flow::{analyze_har as native_har, replay::ReplayOptions, HarOptions};
    let bytes: &[u8] = include_bytes!("fixtures/hars-firefox/oauth-strict-http.har");
    let now = 1_795_420_000.0;
    for (asked, expect) in [(None, Browser::Firefox), (Some("chromium"), Browser::Chromium), (Some("firefox"), Browser::Firefox)] {
        let o = options(Some(now), None);
        if let Some(b) = asked {
            js_sys::Reflect::set(&o, &"browser".into(), &b.into()).unwrap();
        }
        let got = cookie_inspector::wasm::analyze_har(js_sys::Uint8Array::from(bytes).into(), o).unwrap();
        let native = native_har(bytes, &HarOptions { now, replay: ReplayOptions { third_party_cookies: ThirdPartyCookies::Allowed, browser: asked.map(|_| expect) }, ..HarOptions::default() });
        assert_eq!(native.browser, expect);
        assert_same_as_json_parse(&got, &native, asked.unwrap_or("as recorded"));
    }
    // compareBrowsers: the other browser's verdict comes along.
    let o = options(Some(now), None);
    js_sys::Reflect::set(&o, &"compareBrowsers".into(), &true.into()).unwrap();
    let got = cookie_inspector::wasm::analyze_har(js_sys::Uint8Array::from(bytes).into(), o).unwrap();
    let native = native_har(bytes, &HarOptions { now, compare_browsers: true, ..HarOptions::default() });
    assert_eq!(native.other_browser.as_ref().map(|o| o.browser), Some(Browser::Chromium));
    assert_same_as_json_parse(&got, &native, "compared");
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

/// `text: true` adds the report as the CLI's plain text, with every token's signature redacted
/// (a token in an address, here), so that it can be pasted into a bug report; without it, no text.
#[wasm_bindgen_test]
fn text_report_is_the_plain_text_redacted() {
    use cookie_inspector::flow::{analyze_har as native_har, HarOptions};
    let token = hs256(json!({"sub": "user-1", "exp": 1_900_000_000}), "s3cret");
    let har = json!({"log": {"version": "1.2", "creator": {"name": "t", "version": "1"}, "entries": [{
        "startedDateTime": "2026-11-23T10:00:00.000Z",
        "request": {"method": "GET", "url": format!("https://app.test/callback?id_token={token}"), "headers": []},
        "response": {"status": 302, "headers": [{"name": "Set-Cookie", "value": "session=abc; Path=/; Secure"}], "redirectURL": "/dashboard", "content": {"mimeType": "text/html"}},
        "_resourceType": "document"
    }]}});
    let bytes = serde_json::to_vec(&har).unwrap();
    let now = 1_795_420_000.0;
    let o = options(Some(now), None);
    js_sys::Reflect::set(&o, &"text".into(), &true.into()).unwrap();
    let got = cookie_inspector::wasm::analyze_har(js_sys::Uint8Array::from(&bytes[..]).into(), o).unwrap();
    let text = get(&got, "text").as_string().expect("a text");
    let native = native_har(&bytes, &HarOptions { now, ..HarOptions::default() });
    let plain = cookie_inspector::flow::text::plain_text(&native);
    assert!(plain.contains(&token), "the CLI's text has the address as it was");
    let signature = token.rsplit('.').next().unwrap();
    assert!(!text.contains(signature), "{text}");
    assert_eq!(text, cookie_inspector::redact::redact_tokens(&plain).0);
    assert!(text.starts_with(&format!("{}\n", native.headline)));
    assert!(text.contains("   0 GET    302 https://app.test/callback?id_token="), "{text}");
    let plain_report = cookie_inspector::wasm::analyze_har(js_sys::Uint8Array::from(&bytes[..]).into(), options(Some(now), None)).unwrap();
    assert!(get(&plain_report, "text").is_undefined());
}
