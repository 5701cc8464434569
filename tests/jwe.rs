//! Encrypted session cookies: RFC 7520's JWE vectors, and cookies written by the real libraries
//! (`tests/fixtures/jwe-vectors.json`, made by `tests/jwe/make-vectors.mjs` with next-auth,
//! @auth/core and @supabase/ssr): our decryption must give exactly the payload their `decode`
//! gives, name the secret and the salt that worked, join their chunks and notice a lost one.
#![allow(clippy::unwrap_used, clippy::expect_used, clippy::indexing_slicing, clippy::panic)]

mod common;
use common::Rng;

use base64::engine::general_purpose::URL_SAFE_NO_PAD;
use base64::Engine;
use cookie_inspector::finding::{Code, Severity};
use cookie_inspector::jose::jwe::{decrypt_content, ContentError, Derivation, DecryptionStatus, Enc, KidCheck};
use cookie_inspector::jose::session_cookie::{analyze_session_cookies, reassemble};
use cookie_inspector::jose::signature::SignatureStatus;
use cookie_inspector::jose::{analyze_token, analyze_token_with, KeyOptions, TokenOptions, TokenReport};
use serde_json::Value;

const COOKBOOK: &str = concat!(env!("CARGO_MANIFEST_DIR"), "/../shared/corpora/jose-cookbook/jwe");
const VECTORS: &str = concat!(env!("CARGO_MANIFEST_DIR"), "/tests/fixtures/jwe-vectors.json");

fn read_json(path: &str) -> Value {
    let text = std::fs::read_to_string(path).unwrap_or_else(|e| panic!("cannot read {path}: {e}"));
    serde_json::from_str(&text).unwrap()
}

fn b64(v: &Value) -> Vec<u8> {
    URL_SAFE_NO_PAD.decode(v.as_str().unwrap()).unwrap()
}

fn codes(r: &TokenReport) -> Vec<&'static str> {
    r.findings.iter().map(|f| f.code.as_str()).collect()
}

fn has(r: &TokenReport, code: Code, severity: Severity) -> bool {
    r.findings.iter().any(|f| f.code == code && f.severity == severity)
}

fn analyze(input: &str, now: f64, secrets: &[&str], cookie_name: Option<&str>) -> TokenReport {
    let keys = KeyOptions { secrets: secrets.iter().map(|s| s.to_string()).collect(), cookie_name: cookie_name.map(str::to_string) };
    analyze_token_with(input, &TokenOptions { now, secret: None }, &keys)
}

/// RFC 7520 §5: `dir` + A128GCM end to end (§5.6), and the content layer with the given CEK for
/// every vector whose content encryption we implement (§5.1, §5.3, §5.7 A128CBC-HS256; §5.2 A256GCM).
#[test]
fn rfc7520_vectors() {
    let mut entries: Vec<_> = std::fs::read_dir(COOKBOOK)
        .unwrap_or_else(|e| panic!("RFC 7520 vectors missing at {COOKBOOK}: {e}"))
        .map(|e| e.unwrap().path())
        .filter(|p| p.extension().is_some_and(|x| x == "json"))
        .collect();
    entries.sort();
    let (mut passed, mut total) = (0, 0);
    for path in &entries {
        let v = read_json(path.to_str().unwrap());
        let name = path.file_name().unwrap().to_string_lossy().to_string();
        let Some(enc) = v["input"]["enc"].as_str().and_then(Enc::from_name) else { continue };
        let plaintext = v["input"]["plaintext"].as_str().unwrap().as_bytes();
        let content = &v["encrypting_content"];
        let aad = content["protected_b64u"].as_str().unwrap().as_bytes();
        let iv = b64(&v["generated"]["iv"]);
        let (ct, tag) = (b64(&content["ciphertext"]), b64(&content["tag"]));
        let cek = if v["input"]["alg"] == "dir" { b64(&v["input"]["key"]["k"]) } else { b64(&v["generated"]["cek"]) };
        total += 1;

        // The content layer: RFC 7516 §5.2 steps 14–16 with the known key.
        assert_eq!(decrypt_content(enc, &cek, &iv, aad, &ct, &tag).unwrap(), plaintext, "{name}");
        let mut bad = tag.clone();
        bad[0] ^= 1;
        assert_eq!(decrypt_content(enc, &cek, &iv, aad, &ct, &bad), Err(ContentError::Authentication), "{name}: changed tag");
        assert_eq!(decrypt_content(enc, &cek, &iv, b"eyJhbGciOiJkaXIifQ", &ct, &tag), Err(ContentError::Authentication), "{name}: other AAD");

        // `dir` tokens: the whole compact serialisation through the token analysis.
        if v["input"]["alg"] == "dir" {
            let compact = v["output"]["compact"].as_str().unwrap();
            let k = v["input"]["key"]["k"].as_str().unwrap();
            for secret in [format!("base64:{k}"), k.to_string()] {
                let r = analyze(compact, 0.0, &[&secret], None);
                let d = r.decryption.as_ref().unwrap();
                assert_eq!((d.status, d.derivation, d.secret_index), (DecryptionStatus::Decrypted, Some(Derivation::Direct), Some(0)), "{name}: {:?}", codes(&r));
                // The plaintext is prose, not a claims set: reported, like RFC 7520's JWS payload.
                assert!(has(&r, Code::JwtMalformed, Severity::Error), "{name}");
            }
            let r = analyze(compact, 0.0, &["base64:AAAAAAAAAAAAAAAAAAAAAA"], None);
            assert!(has(&r, Code::JweWrongSecret, Severity::Error), "{name}: {:?}", codes(&r));
        }
        passed += 1;
    }
    println!("RFC 7520 JWE vectors: {passed}/{total} pass (content layer; dir end to end)");
    assert_eq!(total, 5, "5.1, 5.2, 5.3, 5.6, 5.7");
    assert_eq!(passed, total);
}

fn vectors() -> Value {
    read_json(VECTORS)
}

fn now(v: &Value) -> f64 {
    v["generatedAt"].as_f64().unwrap()
}

fn secrets_of<'a>(t: &'a Value, all: &'a Value) -> Vec<&'a str> {
    match t["secrets"].as_array() {
        Some(list) => list.iter().map(|s| s.as_str().unwrap()).collect(),
        None => vec![all["secrets"]["current"].as_str().unwrap()],
    }
}

fn check_decrypted(r: &TokenReport, t: &Value, what: &str) {
    let d = r.decryption.as_ref().unwrap_or_else(|| panic!("{what}: no decryption: {:?}", codes(r)));
    assert_eq!(d.status, DecryptionStatus::Decrypted, "{what}: {}", d.detail);
    assert_eq!(r.payload.as_ref(), Some(&t["payload"]), "{what}: the payload the library's decode returns");
    let expect = &t["expect"];
    assert_eq!(d.secret_index, expect["secretIndex"].as_u64().map(|i| i as usize), "{what}");
    assert_eq!(serde_json::to_value(d.derivation).unwrap(), expect["derivation"], "{what}");
    assert_eq!(d.salt.as_deref(), expect["salt"].as_str(), "{what}");
    assert!(has(r, Code::JweDecrypted, Severity::Info), "{what}");
    assert_eq!(r.signature.status, SignatureStatus::Encrypted);
    // The plaintext gets the JWS claim checks: iat and exp read, the lifetime bar drawn.
    assert_eq!(r.claims.iter().map(|c| c.name).collect::<Vec<_>>(), ["iat", "exp"], "{what}");
    assert!(r.lifetime.is_some(), "{what}");
}

#[test]
fn library_tokens_decrypt_to_their_payload() {
    let v = vectors();
    let tokens = v["tokens"].as_array().unwrap();
    let other = v["secrets"]["other"].as_str().unwrap();
    for t in tokens {
        let what = t["name"].as_str().unwrap();
        let token = t["token"].as_str().unwrap();
        let cookie = t["cookieName"].as_str().unwrap();
        let secrets = secrets_of(t, &v);

        // As the cookie line the browser sends, and as a bare token with the cookie name given.
        let r = analyze(&format!("Cookie: theme=dark; {cookie}={token}"), now(&v), &secrets, None);
        check_decrypted(&r, t, what);
        let r = analyze(token, now(&v), &secrets, Some(cookie));
        check_decrypted(&r, t, what);
        if t["library"] == "@auth/core" {
            assert_eq!(r.decryption.as_ref().unwrap().kid, KidCheck::Matched, "{what}: the kid names the key");
        } else {
            assert_eq!(r.decryption.as_ref().unwrap().kid, KidCheck::Absent, "{what}");
        }

        // Another secret: the library rejects it, and we say why.
        assert_eq!(t["decodeWithOtherSecret"].as_str().unwrap_or("rejected"), "rejected");
        let r = analyze(token, now(&v), &[other], Some(cookie));
        assert!(has(&r, Code::JweWrongSecret, Severity::Error), "{what}: {:?}", codes(&r));
        assert_eq!(r.decryption.as_ref().unwrap().status, DecryptionStatus::WrongSecret);
        assert!(r.payload.is_none());
        assert!(!serde_json::to_string(&r).unwrap().contains(other), "{what}: the secret is never in a report");

        // No secret: asked for.
        let r = analyze_token(token, &TokenOptions { now: now(&v), secret: None });
        assert!(has(&r, Code::JweSecretNeeded, Severity::Info), "{what}");
        assert!(has(&r, Code::JwtEncrypted, Severity::Info), "{what}");
    }

    // The rotated token names the second secret, and says an instance with only the first cannot read it.
    let rotated = tokens.iter().find(|t| t["expect"]["secretIndex"] == 1).unwrap();
    let r = analyze(rotated["token"].as_str().unwrap(), now(&v), &secrets_of(rotated, &v), None);
    let d = r.findings.iter().find(|f| f.code == Code::JweDecrypted).unwrap();
    assert!(d.detail.contains("secret 2 of 2") && d.detail.contains("not the first"), "{}", d.detail);

    // Auth.js's key depends on the cookie name: a custom name that is not given cannot be guessed,
    // just as the library's decode with another salt fails.
    let custom = tokens.iter().find(|t| t["cookieName"] == "my-app.session").unwrap();
    assert_eq!(custom["decodeWithOtherSalt"], "rejected");
    let r = analyze(custom["token"].as_str().unwrap(), now(&v), &secrets_of(custom, &v), None);
    let d = r.decryption.as_ref().unwrap();
    assert_eq!((d.status, d.kid), (DecryptionStatus::WrongSecret, KidCheck::Unmatched));
    let f = r.findings.iter().find(|f| f.code == Code::JweWrongSecret).unwrap();
    assert!(f.detail.contains("authjs.session-token") && f.detail.contains("cookie name"), "{}", f.detail);

    // The claim checks run on the plaintext: next-auth's token without a user id has no sub.
    let no_sub = tokens.iter().find(|t| t["payload"].get("sub").is_none()).unwrap();
    let r = analyze(no_sub["token"].as_str().unwrap(), now(&v), &secrets_of(no_sub, &v), None);
    assert!(has(&r, Code::JwtMissingSub, Severity::Warning), "{:?}", codes(&r));
    // …and the expiry: a month later the session has expired.
    let r = analyze(no_sub["token"].as_str().unwrap(), now(&v) + 31.0 * 86400.0, &secrets_of(no_sub, &v), None);
    assert!(has(&r, Code::JwtExpired, Severity::Error), "{:?}", codes(&r));
    println!("library tokens: {}/{} decrypt to the payload their decode returns", tokens.len(), tokens.len());
}

#[test]
fn changed_and_cut_tokens() {
    let v = vectors();
    let t = v["tokens"].as_array().unwrap().iter().find(|t| t["library"] == "@auth/core").unwrap();
    let token = t["token"].as_str().unwrap();
    let secrets = secrets_of(t, &v);
    // A changed ciphertext character: the kid says the key is right, so the token was altered.
    let parts: Vec<&str> = token.split('.').collect();
    let mut ct = parts[3].to_string();
    let flipped = if ct.starts_with('A') { "B" } else { "A" };
    ct.replace_range(0..1, flipped);
    let changed = [parts[0], parts[1], parts[2], &ct, parts[4]].join(".");
    let r = analyze(&changed, now(&v), &secrets, None);
    assert!(has(&r, Code::JweCorrupted, Severity::Error), "{:?}", codes(&r));
    // Cut: the tag or the ciphertext's last block lost.
    let cut = &token[..token.len() - 10];
    let r = analyze(cut, now(&v), &secrets, None);
    assert!(has(&r, Code::JwtMalformed, Severity::Error), "{:?}", codes(&r));
    let no_tag = format!("{}.{}.{}.{}.", parts[0], parts[1], parts[2], parts[3]);
    let r = analyze(&no_tag, now(&v), &secrets, None);
    assert_eq!(r.decryption.as_ref().unwrap().status, DecryptionStatus::Malformed);
}

fn header_of(cookies: &[(String, String)]) -> String {
    format!("Cookie: theme=dark; {}", cookies.iter().map(|(n, v)| format!("{n}={v}")).collect::<Vec<_>>().join("; "))
}

fn cookie_list(set: &Value) -> Vec<(String, String)> {
    set["cookies"].as_array().unwrap().iter().map(|c| (c["name"].as_str().unwrap().to_string(), c["value"].as_str().unwrap().to_string())).collect()
}

#[test]
fn chunked_cookies_reassemble_and_decrypt() {
    let v = vectors();
    let sets = v["chunked"].as_array().unwrap();
    for set in sets {
        let what = set["name"].as_str().unwrap();
        let name = set["cookieName"].as_str().unwrap();
        let cookies = cookie_list(set);
        assert!(cookies.len() >= 3, "{what}: the fixture should be split into 3+ chunks");
        let secrets = secrets_of(set, &v);

        // Joined in numeric order, whatever order the header lists them in.
        let mut shuffled = cookies.clone();
        shuffled.reverse();
        let pairs: Vec<(&str, &str)> = shuffled.iter().map(|(n, v)| (n.as_str(), v.as_str())).collect();
        let joined = reassemble(&pairs);
        assert_eq!(joined.len(), 1);
        assert_eq!(joined[0].value, set["token"].as_str().unwrap(), "{what}");
        assert_eq!(joined[0].name, name);

        let r = analyze(&header_of(&shuffled), now(&v), &secrets, None);
        check_decrypted(&r, set, what);
        assert_eq!(r.source.cookie_name.as_deref(), Some(name));
        assert_eq!(r.source.chunks, cookies.iter().map(|(n, _)| n.clone()).collect::<Vec<_>>());
        assert!(has(&r, Code::SessionChunksReassembled, Severity::Info), "{what}");
        assert!(!codes(&r).contains(&"jwt.too-large-for-cookie"), "{what}: each chunk fits a cookie");
        assert!(!codes(&r).iter().any(|c| c.starts_with("session.chunk-")), "{what}: {:?}", codes(&r));

        // The same through the function the flow and the panel call.
        let reports = analyze_session_cookies(&pairs, &TokenOptions { now: now(&v), secret: None }, &KeyOptions { secrets: secrets.iter().map(|s| s.to_string()).collect(), cookie_name: None });
        assert_eq!(reports.len(), 1);
        assert_eq!(reports[0].payload.as_ref(), Some(&set["payload"]), "{what}");

        // Chunk 1 lost: the library's getToken returns null; we say which chunk is missing.
        assert!(set["getTokenWithoutChunk1"].is_null());
        let without: Vec<(String, String)> = cookies.iter().filter(|(n, _)| !n.ends_with(".1")).cloned().collect();
        let r = analyze(&header_of(&without), now(&v), &secrets, None);
        let f = r.findings.iter().find(|f| f.code == Code::SessionChunkMissing).unwrap_or_else(|| panic!("{what}: {:?}", codes(&r)));
        assert_eq!(f.severity, Severity::Error);
        assert!(f.detail.contains(&format!("\"{name}.1\" is missing")), "{}", f.detail);
        assert!(r.payload.is_none());

        // The last chunk lost: no gap, but the last chunk left is full.
        let last = format!(".{}", cookies.len() - 1);
        let without_last: Vec<(String, String)> = cookies.iter().filter(|(n, _)| !n.ends_with(&last)).cloned().collect();
        let r = analyze(&header_of(&without_last), now(&v), &secrets, None);
        assert!(has(&r, Code::SessionChunkMissing, Severity::Warning), "{what}: {:?}", codes(&r));

        // An old unsplit cookie next to the chunks: the library glues it in.
        let mut stale = cookies.clone();
        stale.push((name.to_string(), v["tokens"][0]["token"].as_str().unwrap().to_string()));
        let r = analyze(&header_of(&stale), now(&v), &secrets, None);
        assert!(has(&r, Code::SessionChunkStale, Severity::Error), "{what}: {:?}", codes(&r));
    }
    println!("chunked cookies: {}/{} chunk sets reassemble and decrypt", sets.len(), sets.len());
}

#[test]
fn supabase_cookies() {
    let v = vectors();
    let sets = v["supabase"].as_array().unwrap();
    for set in sets {
        let what = set["name"].as_str().unwrap();
        let name = set["cookieName"].as_str().unwrap();
        let cookies = cookie_list(set);
        let session = &set["session"];
        let access = session["access_token"].as_str().unwrap();
        let claims: Value = serde_json::from_slice(&URL_SAFE_NO_PAD.decode(access.split('.').nth(1).unwrap()).unwrap()).unwrap();
        let jwt_secret = set["jwtSecret"].as_str().unwrap();

        let r = analyze(&header_of(&cookies), now(&v), &[jwt_secret], None);
        assert_eq!(r.payload.as_ref(), Some(&claims), "{what}: the access token of the session @supabase/ssr reads back");
        assert_eq!(r.signature.status, SignatureStatus::Valid, "{what}");
        assert_eq!(r.source.cookie_name.as_deref(), Some(name));
        assert_eq!(r.source.chunks.len(), if cookies.len() > 1 { cookies.len() } else { 0 }, "{what}");
        assert!(!codes(&r).iter().any(|c| c.starts_with("session.")) || cookies.len() > 1, "{what}: {:?}", codes(&r));
        assert!(!has(&r, Code::SessionSupabaseExpired, Severity::Warning), "{what}");
        assert_eq!(r.counts.error, 0, "{what}: {:?}", codes(&r));

        // Two hours later the access token has expired; the refresh token can renew it.
        let later = session["expires_at"].as_f64().unwrap() + 3600.0;
        let r = analyze(&header_of(&cookies), later, &[], None);
        assert!(has(&r, Code::SessionSupabaseExpired, Severity::Warning), "{what}: {:?}", codes(&r));
        assert!(has(&r, Code::JwtExpired, Severity::Error), "{what}");

        if cookies.len() > 1 {
            // Chunk 1 lost: @supabase/ssr reads no session; we say which chunk and why.
            assert!(set["readWithoutChunk1"].is_null());
            let without: Vec<(String, String)> = cookies.iter().filter(|(n, _)| !n.ends_with(".1")).cloned().collect();
            let r = analyze(&header_of(&without), now(&v), &[], None);
            assert!(has(&r, Code::SessionChunkMissing, Severity::Error), "{what}: {:?}", codes(&r));
            assert!(has(&r, Code::SessionSupabaseUndecodable, Severity::Error), "{what}: {:?}", codes(&r));
        }
    }

    // The session without a refresh token.
    let json = r#"{"access_token":"eyJhbGciOiJIUzI1NiJ9.eyJzdWIiOiIxIn0.c2ln","expires_at":100}"#;
    let cookie = format!("sb-x-auth-token=base64-{}", URL_SAFE_NO_PAD.encode(json));
    let r = analyze(&cookie, 200.0, &[], None);
    assert!(has(&r, Code::SessionSupabaseNoRefreshToken, Severity::Error), "{:?}", codes(&r));
    assert!(has(&r, Code::SessionSupabaseExpired, Severity::Error), "{:?}", codes(&r));
    println!("Supabase cookies: {}/{} sessions read back", sets.len(), sets.len());
}

/// Every `jwe.*` and `session.*` code, triggered from outside the crate.
#[test]
fn every_jwe_and_session_code_is_exercised() {
    let v = vectors();
    let now = now(&v);
    let current = v["secrets"]["current"].as_str().unwrap();
    let authjs = v["tokens"].as_array().unwrap().iter().find(|t| t["library"] == "@auth/core").unwrap()["token"].as_str().unwrap().to_string();
    let parts: Vec<&str> = authjs.split('.').collect();
    let mut tag = URL_SAFE_NO_PAD.decode(parts[4]).unwrap();
    tag[0] ^= 1;
    let changed = format!("{}..{}.{}.{}", parts[0], parts[2], parts[3], URL_SAFE_NO_PAD.encode(&tag));
    let rsa = format!("{}.{}", URL_SAFE_NO_PAD.encode(r#"{"alg":"RSA-OAEP","enc":"A256GCM"}"#), "a2V5.AAAAAAAAAAAAAAAA.Y2lwaGVydGV4dA.dGFndGFndGFndGFn");
    let chunked = cookie_list(&v["chunked"][0]);
    let gap: Vec<(String, String)> = chunked.iter().filter(|(n, _)| !n.ends_with(".1")).cloned().collect();
    let mut stale = chunked.clone();
    stale.push((v["chunked"][0]["cookieName"].as_str().unwrap().to_string(), "old".into()));
    let supabase = cookie_list(&v["supabase"][1]);
    let supa_gap: Vec<(String, String)> = supabase.iter().filter(|(n, _)| !n.ends_with(".1")).cloned().collect();
    let no_refresh = format!("sb-x-auth-token=base64-{}", URL_SAFE_NO_PAD.encode(r#"{"access_token":"a.b.c","expires_at":1}"#));
    let inputs: Vec<(String, f64, Vec<&str>)> = vec![
        (authjs.clone(), now, vec![current]),
        (authjs.clone(), now, vec!["another"]),
        (authjs, now, vec![]),
        (changed, now, vec![current]),
        (rsa, now, vec![current]),
        (header_of(&chunked), now, vec![current]),
        (header_of(&gap), now, vec![current]),
        (header_of(&stale), now, vec![current]),
        (header_of(&supa_gap), now, vec![]),
        (no_refresh, now, vec![]),
    ];
    let mut seen = std::collections::BTreeSet::new();
    for (input, now, secrets) in &inputs {
        let r = analyze(input, *now, secrets, None);
        seen.extend(codes(&r));
    }
    let missing: Vec<&str> = Code::ALL
        .iter()
        .map(|c| c.as_str())
        .filter(|c| (c.starts_with("jwe.") || c.starts_with("session.")) && !seen.contains(c))
        .collect();
    assert!(missing.is_empty(), "codes no input triggers: {missing:?}");
}


/// Mutated library tokens, chunk sets and Supabase cookies, with the right and wrong secrets:
/// always a report, never a panic.
#[test]
fn mutated_session_cookies_never_panic() {
    let v = vectors();
    let current = v["secrets"]["current"].as_str().unwrap();
    let mut seeds: Vec<String> = v["tokens"].as_array().unwrap().iter().map(|t| t["token"].as_str().unwrap().to_string()).collect();
    seeds.push(header_of(&cookie_list(&v["chunked"][1])));
    seeds.push(header_of(&cookie_list(&v["supabase"][1])));
    let spice = [".", "=", ";", "%", " ", "-", "_", "0", ".0", ".1", "base64-", "\u{202e}", "=="];
    let mut rng = Rng(0x5eed_0e5e);
    for i in 0..3_000 {
        let mut s: Vec<char> = seeds[i % seeds.len()].chars().collect();
        for _ in 0..1 + rng.below(4) {
            let at = rng.below(s.len() + 1);
            match rng.below(4) {
                0 => s.truncate(at),
                1 if at < s.len() => {
                    s.remove(at);
                }
                2 => {
                    for (k, c) in spice[rng.below(spice.len())].chars().enumerate() {
                        s.insert((at + k).min(s.len()), c);
                    }
                }
                _ if at < s.len() => s[at] = char::from(b'A' + (rng.below(58) as u8)),
                _ => {}
            }
        }
        let input: String = s.into_iter().collect();
        let secrets: &[&str] = match i % 3 {
            0 => &[],
            1 => &[current],
            _ => &["wrong", current],
        };
        let r = analyze(&input, now(&v), secrets, (i % 5 == 0).then_some("authjs.session-token"));
        assert_eq!(r.counts.error + r.counts.warning + r.counts.info, r.findings.len());
    }
}

/// The panel's entry point: every session cookie of a jar, split or not, one report each.
#[test]
fn session_cookies_of_a_jar() {
    let v = vectors();
    let authjs = &v["tokens"][2];
    let supabase = cookie_list(&v["supabase"][1]);
    let mut pairs: Vec<(String, String)> = vec![("theme".into(), "dark".into()), (authjs["cookieName"].as_str().unwrap().into(), authjs["token"].as_str().unwrap().into())];
    pairs.extend(supabase);
    pairs.extend(cookie_list(&v["chunked"][0]));
    let refs: Vec<(&str, &str)> = pairs.iter().map(|(n, v)| (n.as_str(), v.as_str())).collect();
    let keys = KeyOptions { secrets: vec![v["secrets"]["current"].as_str().unwrap().into()], cookie_name: None };
    let reports = analyze_session_cookies(&refs, &TokenOptions { now: now(&v), secret: None }, &keys);
    let names: Vec<&str> = reports.iter().map(|r| r.source.cookie_name.as_deref().unwrap()).collect();
    assert_eq!(names, ["authjs.session-token", "sb-qrstuvwxyzabcdefghij-auth-token", "next-auth.session-token"]);
    assert_eq!(reports[0].payload.as_ref(), Some(&authjs["payload"]));
    assert!(reports[0].source.chunks.is_empty());
    assert_eq!(reports[1].payload.as_ref().unwrap()["role"], "authenticated");
    assert_eq!(reports[2].payload.as_ref(), Some(&v["chunked"][0]["payload"]));
}

/// The panel's jar: the library's chunk cookies, as `chrome.cookies.getAll` lists them (in any
/// order, beside other cookies), are joined and decrypted with the secret into the payload the
/// library's own `decode` returns — and without the secret, the jar says one is needed.
#[test]
fn jar_audit_joins_and_decrypts_library_chunks() {
    use cookie_inspector::cookie::audit::{audit_jar, BrowserCookie};
    let v = read_json(VECTORS);
    for case in v["chunked"].as_array().unwrap() {
        let mut cookies: Vec<BrowserCookie> = case["cookies"]
            .as_array()
            .unwrap()
            .iter()
            .rev()
            .map(|c| BrowserCookie {
                name: c["name"].as_str().unwrap().into(),
                value: c["value"].as_str().unwrap().into(),
                domain: "app.test".into(),
                host_only: true,
                path: "/".into(),
                secure: true,
                http_only: true,
                same_site: "lax".into(),
                ..BrowserCookie::default()
            })
            .collect();
        cookies.insert(1, BrowserCookie { name: "theme".into(), value: "dark".into(), domain: "app.test".into(), path: "/".into(), ..BrowserCookie::default() });
        let secrets: Vec<String> = case["secrets"].as_array().unwrap().iter().map(|s| s.as_str().unwrap().to_string()).collect();
        let now = v["generatedAt"].as_f64().unwrap();
        let jar = audit_jar(&cookies, now, &KeyOptions { secrets, cookie_name: None });
        let name = case["name"].as_str().unwrap();
        assert_eq!(jar.tokens.len(), 1, "{name}: one joined session");
        assert_eq!(jar.tokens[0].payload.as_ref(), Some(&case["payload"]), "{name}: the library's payload");
        let members: Vec<Option<usize>> = jar.rows.iter().filter(|r| r.name != "theme").map(|r| r.token).collect();
        assert!(members.iter().all(|t| *t == Some(0)), "{name}: every chunk points at the session");
        let locked = audit_jar(&cookies, now, &KeyOptions::default());
        assert!(locked.findings.iter().any(|f| f.code == Code::JweSecretNeeded), "{name}: {:?}", locked.findings.iter().map(|f| f.code.as_str()).collect::<Vec<_>>());
    }
}

/// A recorded flow carrying a library-made session cookie: without the secret the token is
/// locked; given the secret afterwards, the flow's token (not the replay) is decrypted — with
/// the salt taken from the cookie it travelled in.
#[test]
fn flow_tokens_decrypt_once_the_secret_is_given() {
    use cookie_inspector::flow::{har::Entry, FlowAnalysis, HarOptions};
    let v = read_json(VECTORS);
    for case in v["tokens"].as_array().unwrap().iter().filter(|c| c["library"] == "@auth/core" && c["cookieName"] != "my-app.session") {
        let (name, token) = (case["cookieName"].as_str().unwrap(), case["token"].as_str().unwrap());
        let entry = format!(
            r#"{{"startedDateTime":"2026-11-23T10:00:00.000Z","request":{{"method":"GET","url":"https://app.test/dashboard","headers":[{{"name":"Cookie","value":"theme=dark; {name}={token}"}}]}},"response":{{"status":200,"headers":[]}}}}"#
        );
        let e: Entry<'_> = serde_json::from_str(&entry).unwrap();
        let mut flow = FlowAnalysis::new(&HarOptions { now: v["generatedAt"].as_f64().unwrap(), ..HarOptions::default() });
        flow.push(&e);
        let before = flow.summary();
        assert!(before.tokens[0].findings.iter().any(|f| f.code == Code::JweSecretNeeded), "{name}");
        let secrets: Vec<String> = case["secrets"].as_array().unwrap().iter().map(|s| s.as_str().unwrap().to_string()).collect();
        flow.set_keys(KeyOptions { secrets, cookie_name: None });
        let after = flow.summary();
        assert_eq!(after.tokens[0].payload.as_ref(), Some(&case["payload"]), "{}", case["name"]);
    }
}

/// Chunked session cookies in a recorded request's Cookie header are joined into one token of
/// the flow (no chunk is a token by itself), and decrypt to the library's payload.
#[test]
fn flow_joins_chunked_session_cookies() {
    use cookie_inspector::flow::{har::Entry, FlowAnalysis, HarOptions};
    let v = read_json(VECTORS);
    for case in v["chunked"].as_array().unwrap() {
        let header: Vec<String> = case["cookies"].as_array().unwrap().iter().map(|c| format!("{}={}", c["name"].as_str().unwrap(), c["value"].as_str().unwrap())).collect();
        let entry = serde_json::json!({
            "startedDateTime": "2026-11-23T10:00:00.000Z",
            "request": { "method": "GET", "url": "https://app.test/dashboard", "headers": [{ "name": "Cookie", "value": format!("theme=dark; {}", header.join("; ")) }] },
            "response": { "status": 200, "headers": [] }
        })
        .to_string();
        let e: Entry<'_> = serde_json::from_str(&entry).unwrap();
        let mut flow = FlowAnalysis::new(&HarOptions { now: v["generatedAt"].as_f64().unwrap(), ..HarOptions::default() });
        flow.push(&e);
        let secrets: Vec<String> = case["secrets"].as_array().unwrap().iter().map(|s| s.as_str().unwrap().to_string()).collect();
        flow.set_keys(KeyOptions { secrets, cookie_name: None });
        let report = flow.summary();
        let name = case["name"].as_str().unwrap();
        assert_eq!(report.tokens.len(), 1, "{name}: the chunks are one token");
        assert_eq!(report.tokens[0].payload.as_ref(), Some(&case["payload"]), "{name}");
        assert_eq!(report.token_sightings[0].location, format!("request.cookie.{}", case["cookieName"].as_str().unwrap()), "{name}");
    }
}
