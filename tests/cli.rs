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
