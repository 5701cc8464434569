//! The CLI's contract: output, exit codes 0 / 1 / 2.
#![cfg(not(target_arch = "wasm32"))]
#![allow(clippy::unwrap_used, clippy::expect_used, clippy::indexing_slicing, clippy::panic)]

use std::process::Command;

const NOW: &str = "1795420000";

fn run(args: &[&str]) -> (i32, String) {
    let out = Command::new(env!("CARGO_BIN_EXE_cookie-inspector")).args(args).output().unwrap();
    (out.status.code().unwrap_or(-1), String::from_utf8_lossy(&out.stdout).into_owned() + &String::from_utf8_lossy(&out.stderr))
}

fn b64(json: &str) -> String {
    use base64::Engine;
    base64::engine::general_purpose::URL_SAFE_NO_PAD.encode(json)
}

#[test]
fn clean_token_exits_0() {
    let t = format!("{}.{}.c2ln", b64(r#"{"alg":"HS256"}"#), b64(r#"{"sub":"1","iat":1795419000,"exp":1795423600}"#));
    let (code, out) = run(&["token", &t, "--now", NOW]);
    assert_eq!(code, 0, "{out}");
    assert!(out.contains("0 error(s)") && out.contains("Valid for another"), "{out}");
}

#[test]
fn broken_token_exits_1_with_the_finding() {
    let t = format!("{}.{}.c2ln", b64(r#"{"alg":"HS256"}"#), b64(r#"{"sub":"1","iat":1795420000,"exp":1795420003600}"#));
    let (code, out) = run(&["token", &format!("Bearer {t}"), "--now", NOW]);
    assert_eq!(code, 1, "{out}");
    assert!(out.contains("jwt.exp-milliseconds") && out.contains("fix: const exp"), "{out}");
    let (code, out) = run(&["token", &t, "--now", NOW, "--json"]);
    assert_eq!(code, 1);
    let v: serde_json::Value = serde_json::from_str(&out).unwrap();
    assert_eq!(v["findings"][0]["code"], "jwt.exp-milliseconds");
}

#[test]
fn warnings_fail_only_when_asked() {
    let t = format!("{}.{}.c2ln", b64(r#"{"alg":"HS256"}"#), b64(r#"{"iat":1795419000,"exp":1795423600}"#));
    assert_eq!(run(&["token", &t, "--now", NOW]).0, 0);
    assert_eq!(run(&["token", &t, "--now", NOW, "--fail-on", "warning"]).0, 1);
}

#[test]
fn unusable_input_and_usage_exit_2() {
    assert_eq!(run(&["token", "not a token", "--now", NOW]).0, 2);
    assert_eq!(run(&["token"]).0, 2);
    assert_eq!(run(&["frobnicate"]).0, 2);
    assert_eq!(run(&["token", "x", "--now", "soon"]).0, 2);
}

fn write_har(name: &str, entries: serde_json::Value) -> std::path::PathBuf {
    let dir = std::env::temp_dir().join(format!("cookie-inspector-cli-{}", std::process::id()));
    std::fs::create_dir_all(&dir).unwrap();
    let path = dir.join(name);
    std::fs::write(&path, serde_json::to_vec(&serde_json::json!({"log": {"version": "1.2", "entries": entries}})).unwrap()).unwrap();
    path
}

#[allow(clippy::too_many_arguments)]
fn har_entry(url: &str, method: &str, site: &str, set: Option<&str>, cookie: Option<&str>, status: i64, location: &str, at: &str) -> serde_json::Value {
    let mut req = vec![serde_json::json!({"name": "Sec-Fetch-Site", "value": site})];
    if site == "cross-site" && method == "POST" {
        req.push(serde_json::json!({"name": "Origin", "value": "https://idp.test"}));
    }
    if let Some(c) = cookie {
        req.push(serde_json::json!({"name": "Cookie", "value": c}));
    }
    let res: Vec<serde_json::Value> = set.into_iter().map(|l| serde_json::json!({"name": "Set-Cookie", "value": l})).collect();
    serde_json::json!({"startedDateTime": at, "request": {"method": method, "url": url, "headers": req},
        "response": {"status": status, "headers": res, "redirectURL": location}, "_resourceType": "document"})
}

/// A recorded Chromium flow: the API call went out without credentials.
#[test]
fn check_shows_cookies_a_fetch_left_out() {
    let path = concat!(env!("CARGO_MANIFEST_DIR"), "/tests/fixtures/hars/flow__credentials-omitted.har");
    let (code, out) = run(&["check", path]);
    assert_eq!(code, 1, "{out}");
    assert!(out.contains("→   1 GET    200 https://sub.app.test:18443/api/me  ⊝session (no credentials)"), "{out}");
    assert!(out.contains("[flow.credentials-omitted at entries[1].request]"), "{out}");
    let (_, out) = run(&["check", path, "--json"]);
    let v: serde_json::Value = serde_json::from_str(&out).unwrap();
    assert_eq!(v["firstDrop"]["kind"], "credentials-omitted");
    assert_eq!(v["entries"][1]["request"]["credentialsOmitted"], serde_json::json!(["session"]));
    assert_eq!(v["entries"][1]["request"]["observedSent"], serde_json::json!([]));
}

#[test]
fn check_finds_the_drop_and_exits_1() {
    let path = write_har(
        "strict.har",
        serde_json::json!([
            har_entry("https://app.test/callback", "POST", "cross-site", Some("session=1; Path=/; Secure; SameSite=Strict"), None, 302, "/dashboard", "2026-11-23T10:00:00.000Z"),
            har_entry("https://app.test/dashboard", "GET", "cross-site", None, Some("other=1"), 200, "", "2026-11-23T10:00:00.100Z"),
        ]),
    );
    let (code, out) = run(&["check", path.to_str().unwrap()]);
    assert_eq!(code, 1, "{out}");
    assert!(out.starts_with("session set by POST /callback is withheld on GET /dashboard: SameSite=Strict, and another site started this request (SchemefulSameSiteStrict)."), "{out}");
    assert!(out.contains("→   1 GET") && out.contains("✗session (SchemefulSameSiteStrict)"), "{out}");
    let (code, out) = run(&["check", path.to_str().unwrap(), "--json"]);
    assert_eq!(code, 1);
    let v: serde_json::Value = serde_json::from_str(&out).unwrap();
    assert_eq!(v["firstDrop"]["entry"], 1);
    assert_eq!(v["entries"][1]["request"]["cookiesWithheld"][0]["reasons"][0], "SchemefulSameSiteStrict");
}

#[test]
fn check_clean_flow_exits_0_and_bad_files_exit_2() {
    let path = write_har(
        "lax.har",
        serde_json::json!([
            har_entry("https://app.test/callback", "GET", "cross-site", Some("session=1; Path=/; Secure; SameSite=Lax"), None, 302, "/dashboard", "2026-11-23T10:00:00.000Z"),
            har_entry("https://app.test/dashboard", "GET", "cross-site", None, Some("session=1"), 200, "", "2026-11-23T10:00:00.100Z"),
        ]),
    );
    let (code, out) = run(&["check", path.to_str().unwrap()]);
    assert_eq!(code, 0, "{out}");
    let dir = path.parent().unwrap();
    let not_har = dir.join("not.har");
    std::fs::write(&not_har, b"{\"hello\": \"world\"}").unwrap();
    assert_eq!(run(&["check", not_har.to_str().unwrap()]).0, 2);
    assert_eq!(run(&["check", dir.join("missing.har").to_str().unwrap()]).0, 2);
    assert_eq!(run(&["check"]).0, 2);
}

/// A rotated Auth.js session cookie made by @auth/core: the CLI decrypts it with the old secret
/// given second, names which one worked, and calls a wrong one a wrong secret.
#[test]
fn token_decrypts_with_repeated_secrets() {
    let vectors: serde_json::Value =
        serde_json::from_str(&std::fs::read_to_string(concat!(env!("CARGO_MANIFEST_DIR"), "/tests/fixtures/jwe-vectors.json")).unwrap()).unwrap();
    let case = vectors["tokens"].as_array().unwrap().iter().find(|c| c["secrets"].as_array().is_some_and(|s| s.len() == 2)).unwrap();
    let cookie = format!("Cookie: {}={}", case["cookieName"].as_str().unwrap(), case["token"].as_str().unwrap());
    let now = vectors["generatedAt"].as_f64().unwrap().to_string();
    let (new, old) = (case["secrets"][0].as_str().unwrap(), case["secrets"][1].as_str().unwrap());
    let (_, out) = run(&["token", &cookie, "--secret", new, "--secret", old, "--now", &now, "--json"]);
    let report: serde_json::Value = serde_json::from_str(&out).unwrap();
    assert_eq!(report["decryption"]["status"], "decrypted", "{out}");
    assert_eq!(report["decryption"]["secretIndex"], 1);
    assert_eq!(report["payload"], case["payload"]);
    let (code, out) = run(&["token", &cookie, "--secret", vectors["secrets"]["other"].as_str().unwrap(), "--now", &now]);
    assert_eq!(code, 1, "{out}");
    assert!(out.contains("jwe.wrong-secret"), "{out}");
}

/// `--public-key FILE`: a token made by jose verifies with its JWKS file and not with another
/// key; an unreadable file is a usage error.
#[test]
fn token_verifies_with_a_public_key_file() {
    let vectors: serde_json::Value =
        serde_json::from_str(&std::fs::read_to_string(concat!(env!("CARGO_MANIFEST_DIR"), "/tests/fixtures/jws-vectors.json")).unwrap()).unwrap();
    let case = vectors["cases"].as_array().unwrap().iter().find(|c| c["kind"] == "valid" && c["alg"] == "RS256").unwrap();
    let dir = std::env::temp_dir().join(format!("cookie-inspector-cli-keys-{}", std::process::id()));
    std::fs::create_dir_all(&dir).unwrap();
    let (good, other) = (dir.join("jwks.json"), dir.join("other.pem"));
    std::fs::write(&good, vectors["keyTexts"]["jwks"].as_str().unwrap()).unwrap();
    std::fs::write(&other, vectors["keyTexts"]["spki:rsa-other"].as_str().unwrap()).unwrap();
    let token = case["token"].as_str().unwrap();
    let now = vectors["generatedAt"].as_f64().unwrap().to_string();
    let (_, out) = run(&["token", token, "--public-key", good.to_str().unwrap(), "--now", &now, "--json"]);
    let report: serde_json::Value = serde_json::from_str(&out).unwrap();
    assert_eq!(report["signature"]["status"], "valid", "{}", report["signature"]);
    let (code, out) = run(&["token", token, "--public-key", other.to_str().unwrap(), "--now", &now]);
    assert_eq!(code, 1, "{out}");
    assert!(out.contains("jwt.signature-invalid"), "{out}");
    let (code, _) = run(&["token", token, "--public-key", dir.join("missing.pem").to_str().unwrap()]);
    assert_eq!(code, 2);
    std::fs::remove_dir_all(&dir).ok();
}

/// `--browser`: a Firefox export is replayed with Firefox's rules unless told otherwise; the
/// report says whose rules applied, and the reasons follow them.
#[test]
fn check_replays_with_the_recording_browsers_rules_or_the_one_asked_for() {
    let har = concat!(env!("CARGO_MANIFEST_DIR"), "/tests/fixtures/hars-firefox/oauth-strict-http.har");
    let (code, out) = run(&["check", har, "--json", "--now", NOW]);
    assert_eq!(code, 1, "{out}");
    let v: serde_json::Value = serde_json::from_str(&out).unwrap();
    assert_eq!(v["browser"], "firefox");
    assert_eq!(v["firstDrop"]["reasons"], serde_json::json!(["SameSiteStrict"]), "schemeless: the plain name");
    let (code, out) = run(&["check", har, "--json", "--now", NOW, "--browser", "chromium"]);
    assert_eq!(code, 1, "{out}");
    let v: serde_json::Value = serde_json::from_str(&out).unwrap();
    assert_eq!(v["browser"], "chromium");
    assert_eq!(v["firstDrop"]["reasons"], serde_json::json!(["SchemefulSameSiteStrict"]));
    let (code, out) = run(&["check", har, "--browser", "safari"]);
    assert_eq!(code, 2, "{out}");
    assert!(out.contains("--browser takes chromium or firefox"), "{out}");
}

/// `--compare-browsers`: a flow that keeps its session in Firefox but loses it under Chromium's
/// rules fails the check, and the text names the other browser's verdict.
#[test]
fn check_compare_browsers_fails_on_a_drop_only_the_other_browser_has() {
    let nav = |site: &str| serde_json::json!([{"name": "Sec-Fetch-Dest", "value": "document"}, {"name": "Sec-Fetch-Mode", "value": "navigate"}, {"name": "Sec-Fetch-Site", "value": site}]);
    let entry = |at: &str, method: &str, url: &str, headers: serde_json::Value, set: &[&str], location: &str| {
        let set: Vec<serde_json::Value> = set.iter().map(|l| serde_json::json!({"name": "Set-Cookie", "value": l})).collect();
        serde_json::json!({"startedDateTime": at, "request": {"method": method, "url": url, "headers": headers},
            "response": {"status": if location.is_empty() { 200 } else { 302 }, "headers": set, "redirectURL": location, "content": {}}})
    };
    let mut post = nav("cross-site");
    post.as_array_mut().unwrap().extend([serde_json::json!({"name": "Origin", "value": "https://idp.test"}), serde_json::json!({"name": "Cookie", "value": "session=abc"})]);
    let har = serde_json::json!({"log": {"version": "1.2", "creator": {"name": "Firefox", "version": "153.7.0"}, "entries": [
        entry("2026-11-23T10:00:00.000Z", "GET", "https://app.test/login", nav("none"), &["session=abc; Path=/; Secure; HttpOnly"], ""),
        entry("2026-11-23T10:03:00.000Z", "GET", "https://idp.test/authorize", nav("cross-site"), &[], ""),
        entry("2026-11-23T10:03:01.000Z", "POST", "https://app.test/callback", post, &[], "https://app.test/dashboard"),
    ]}});
    let path = std::env::temp_dir().join(format!("cookie-inspector-compare-{}.har", std::process::id()));
    std::fs::write(&path, serde_json::to_vec(&har).unwrap()).unwrap();
    let file = path.to_str().unwrap();
    let (code, out) = run(&["check", file, "--now", NOW]);
    assert_eq!(code, 0, "Firefox kept the session: {out}");
    let (code, out) = run(&["check", file, "--now", NOW, "--compare-browsers"]);
    assert_eq!(code, 1, "{out}");
    assert!(out.contains("With Chromium's cookie rules: session set by GET /login is withheld on POST /callback"), "{out}");
    assert!(out.contains("flow.browser-difference"), "{out}");
    std::fs::remove_file(&path).ok();
}

/// A silent sign-in recorded in Chromium with third-party cookies allowed keeps its session; CI
/// that compares browsers fails it, because Firefox keeps the provider's cookie apart. Recorded
/// with them blocked, it fails as it is, with the provider's answer.
#[test]
fn check_finds_a_silent_sign_in_that_other_browsers_break() {
    let allowed = concat!(env!("CARGO_MANIFEST_DIR"), "/tests/fixtures/hars/flow__silent-sign-in-iframe-allowed.har");
    let (code, out) = run(&["check", allowed]);
    assert_eq!(code, 0, "{out}");
    let (code, out) = run(&["check", allowed, "--compare-browsers", "--json"]);
    assert_eq!(code, 1, "{out}");
    let v: serde_json::Value = serde_json::from_str(&out).unwrap();
    let f = &v["findings"][0];
    assert_eq!((f["code"].as_str(), f["entry"].as_u64()), (Some("flow.browser-difference"), Some(2)), "{f}");
    assert!(f["title"].as_str().unwrap().contains("In Firefox"), "{f}");
    assert!(f["fix"].as_str().unwrap().contains("refresh token"), "the silent sign-in's fix: {f}");
    let blocked = concat!(env!("CARGO_MANIFEST_DIR"), "/tests/fixtures/hars/flow__silent-sign-in-iframe.har");
    let (code, out) = run(&["check", blocked]);
    assert_eq!(code, 1, "{out}");
    assert!(out.contains("[flow.silent-sign-in-blocked at entries[2].request]") && out.contains("The provider answered login_required"), "{out}");
}

/// A cached hop in the timeline says who answered it, and the cached redirect fails the check
/// (the post-deploy smoke test a 301 to sign-in should fail).
#[test]
fn check_marks_a_hop_the_browser_cache_answered() {
    let har = concat!(env!("CARGO_MANIFEST_DIR"), "/tests/fixtures/hars/flow__cached-sign-in-redirect.har");
    let (code, out) = run(&["check", har]);
    assert_eq!(code, 1, "{out}");
    let line = out.lines().find(|l| l.contains("   4 GET")).unwrap_or_else(|| panic!("no line for entry 4: {out}"));
    assert!(line.starts_with('→') && line.contains("301 http://app.test:18080/dashboard  (from disk cache)"), "{line}");
    assert!(out.contains("[flow.cached-sign-in-redirect at entries[4].response]"), "{out}");
}
