//! The browser-state audits the DevTools panel runs: `cookie::audit::audit_jar` on the cookie
//! store (`chrome.cookies.getAll`) and `web_storage::audit_storage` on `localStorage` /
//! `sessionStorage` entries.
//!
//! Two input forms. Bytes starting with `{` are JSON as the panel hands it over —
//! `{"cookies": [chrome.cookies.Cookie…], "storage": [{area, origin, key, value}…], "now": …,
//! "secrets": […], "cookieName": …}` — so real dumps are the seeds. Any other bytes are decoded
//! with `arbitrary` into mirror structs whose names and values lean towards what the audits look
//! for (chunked session names, Supabase cookies, tokens, `base64-` sessions).
//!
//! Checked besides "never panics": one row per cookie, counts agree with findings, errors first,
//! every token index points at a token, and the reports serialise.
#![no_main]

use arbitrary::{Arbitrary, Unstructured};
use cookie_inspector::cookie::audit::{audit_jar, BrowserCookie, PartitionKey};
use cookie_inspector::flow::Counts;
use cookie_inspector::jose::KeyOptions;
use cookie_inspector::web_storage::{audit_storage, StorageItem};
use libfuzzer_sys::fuzz_target;

/// {"alg":"HS256"}.{"sub":"1","iat":1795420000,"exp":1795420000000}: exp in milliseconds.
const JWT: &str = "eyJhbGciOiJIUzI1NiJ9.eyJzdWIiOiIxIiwiaWF0IjoxNzk1NDIwMDAwLCJleHAiOjE3OTU0MjAwMDAwMDB9.c2ln";
/// {"alg":"dir","enc":"A256GCM"}: an encrypted session cookie's shape.
const JWE: &str = "eyJhbGciOiJkaXIiLCJlbmMiOiJBMjU2R0NNIn0..AAAAAAAAAAAAAAAA.Y2lwaGVydGV4dA.dGFndGFndGFndGFn";
const NAMES: [&str; 6] = ["authjs.session-token", "next-auth.session-token", "__Secure-authjs.session-token", "sb-abcdefgh-auth-token", "sid", "theme"];
const SAME_SITE: [&str; 5] = ["strict", "lax", "no_restriction", "unspecified", ""];

#[derive(Debug, Arbitrary)]
enum Name {
    Known(u8),
    Chunk(u8, u16),
    Other(String),
}

#[derive(Debug, Arbitrary)]
enum Value {
    Text(String),
    Jwt { cut: u8, tail: String },
    Jwe { cut: u8 },
    /// A Supabase session: `base64-` + base64url of a JSON object holding a token.
    Supabase { expires_at: i64, refresh: Option<String> },
    Base64(String),
}

#[derive(Debug, Arbitrary)]
struct Cookie {
    name: Name,
    value: Value,
    domain: u8,
    host_only: bool,
    path: u8,
    secure: bool,
    http_only: bool,
    same_site: u8,
    session: bool,
    expiration_date: Option<f64>,
    partition_key: Option<Option<String>>,
}

#[derive(Debug, Arbitrary)]
struct Item {
    local: bool,
    origin: String,
    key: Name,
    value: Value,
    json_field: Option<String>,
}

#[derive(Debug, Arbitrary)]
struct Input {
    cookies: Vec<Cookie>,
    storage: Vec<Item>,
    now: f64,
    secrets: Vec<String>,
    cookie_name: Option<String>,
}

fn base64url(bytes: &[u8]) -> String {
    const ABC: &[u8; 64] = b"ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_";
    let mut out = String::new();
    for chunk in bytes.chunks(3) {
        let n = chunk.iter().enumerate().fold(0u32, |n, (i, &b)| n | u32::from(b) << (16 - 8 * i));
        for k in 0..=chunk.len() {
            out.push(char::from(ABC[((n >> (18 - 6 * k)) & 63) as usize]));
        }
    }
    out
}

fn name(n: &Name) -> String {
    match n {
        Name::Known(i) => NAMES[usize::from(*i) % NAMES.len()].to_string(),
        Name::Chunk(i, k) => format!("{}.{k}", NAMES[usize::from(*i) % NAMES.len()]),
        Name::Other(s) => s.clone(),
    }
}

fn value(v: &Value) -> String {
    let cut = |s: &str, at: u8| s.get(..s.len() * usize::from(at) / 255).unwrap_or(s).to_string();
    match v {
        Value::Text(s) => s.clone(),
        Value::Jwt { cut: at, tail } => cut(JWT, *at) + tail,
        Value::Jwe { cut: at } => cut(JWE, *at),
        Value::Supabase { expires_at, refresh } => {
            let session = serde_json::json!({ "access_token": JWT, "expires_at": expires_at, "refresh_token": refresh });
            format!("base64-{}", base64url(session.to_string().as_bytes()))
        }
        Value::Base64(s) => format!("base64-{}", base64url(s.as_bytes())),
    }
}

fn decode(data: &[u8]) -> arbitrary::Result<(Vec<BrowserCookie>, Vec<StorageItem>, f64, KeyOptions)> {
    let input = Input::arbitrary_take_rest(Unstructured::new(data))?;
    let domains = ["app.test", ".app.test", "idp.test", "localhost", ""];
    let paths = ["/", "/api", "/auth", ""];
    let cookies = input
        .cookies
        .iter()
        .map(|c| BrowserCookie {
            name: name(&c.name),
            value: value(&c.value),
            domain: domains[usize::from(c.domain) % domains.len()].to_string(),
            host_only: c.host_only,
            path: paths[usize::from(c.path) % paths.len()].to_string(),
            secure: c.secure,
            http_only: c.http_only,
            same_site: SAME_SITE[usize::from(c.same_site) % SAME_SITE.len()].to_string(),
            session: c.session,
            expiration_date: c.expiration_date,
            partition_key: c.partition_key.clone().map(|top_level_site| PartitionKey { top_level_site }),
        })
        .collect();
    let storage = input
        .storage
        .iter()
        .map(|i| {
            let v = value(&i.value);
            StorageItem {
                area: if i.local { "localStorage" } else { "sessionStorage" }.to_string(),
                origin: i.origin.clone(),
                key: name(&i.key),
                value: match &i.json_field {
                    Some(field) => serde_json::json!({ field.as_str(): v, "refresh_token": "r" }).to_string(),
                    None => v,
                },
            }
        })
        .collect();
    Ok((cookies, storage, input.now, KeyOptions { secrets: input.secrets, cookie_name: input.cookie_name }))
}

/// The JSON form (the panel's objects).
#[derive(serde::Deserialize)]
#[serde(rename_all = "camelCase", default)]
struct Json {
    cookies: Vec<BrowserCookie>,
    storage: Vec<StorageItem>,
    now: f64,
    secrets: Vec<String>,
    cookie_name: Option<String>,
}

impl Default for Json {
    fn default() -> Json {
        Json { cookies: Vec::new(), storage: Vec::new(), now: 1_795_420_000.0, secrets: Vec::new(), cookie_name: None }
    }
}

fuzz_target!(|data: &[u8]| {
    let (cookies, storage, now, keys) = if data.first() == Some(&b'{') {
        let Ok(json) = serde_json::from_slice::<Json>(data) else { return };
        (json.cookies, json.storage, json.now, KeyOptions { secrets: json.secrets, cookie_name: json.cookie_name })
    } else {
        let Ok(decoded) = decode(data) else { return };
        decoded
    };

    let jar = audit_jar(&cookies, now, &keys);
    assert_eq!(jar.rows.len(), cookies.len().min(5_000));
    assert_eq!(jar.counts, Counts::of(&jar.findings));
    assert!(jar.findings.is_sorted_by_key(|f| f.severity));
    for row in &jar.rows {
        assert!(row.token.is_none_or(|t| t < jar.tokens.len()));
    }
    for t in &jar.tokens {
        assert_eq!(t.counts, Counts::of(&t.findings));
    }
    assert!(serde_json::to_vec(&jar).is_ok());

    let web = audit_storage(&storage, now);
    assert_eq!(web.counts, Counts::of(&web.findings));
    assert!(web.findings.is_sorted_by_key(|f| f.severity));
    assert!(web.items.len() <= storage.len());
    for row in &web.items {
        assert!(row.token.is_none_or(|t| t < web.tokens.len()));
    }
    assert!(serde_json::to_vec(&web).is_ok());
});
