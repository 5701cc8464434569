//! Reading a JWT's claims (RFC 7519 §4.1) and what commonly goes wrong with them.
//!
//! # Heuristics
//! A NumericDate is *seconds* since 1970 (RFC 7519 §2). Values that are numbers but not
//! plausibly seconds are read as the mistake they almost always are:
//!
//! | value `v` | reading | why |
//! |---|---|---|
//! | `v < 0`, `NaN`, `±∞` | out of range | no instant a token can mean |
//! | `exp < 10⁸` (before 1973-03-03) | duration | `exp: 3600`, `exp: 86400 * 30`: a lifetime, not a date (jsonwebtoken's `expiresIn` written as `exp`) |
//! | `10¹¹ ≤ v < 10¹⁴` | milliseconds | `Date.now()` is ms; 10¹¹ s is the year 5138, 10¹¹ ms is 1973 |
//! | `v ≥ 10¹⁴` | out of range | micro- (`10¹⁵`) or nanoseconds (`10¹⁸`) |
//! | otherwise | seconds | |
//!
//! `iat` and `nbf` below 10⁸ are read as seconds (`nbf: 0` is a legitimate "valid since 1970").
//!
//! Time checks use no leeway, and say how far off a value is so the reader can judge clock skew:
//! `exp ≤ now` is expired (RFC 7519 §4.1.4: "MUST NOT be accepted on or after"), `nbf > now` is not
//! yet valid, `iat > now` is in the future (an error beyond 5 minutes, a warning within).
//! A token lives "long" when `exp − (nbf or iat)` exceeds 24 hours, unless it says it is a refresh
//! token (`token_use`/`typ`/`token_type` containing "refresh").

use crate::finding::{quote, Code, Finding, Severity};
use crate::limits::MAX_QUOTE_CHARS;
use crate::time::{duration_words, iso8601, relative_words, whole_seconds, DAY, HOUR, MINUTE};
use serde::Serialize;
use serde_json::{Map, Value};

/// Below this an `exp` is read as a duration: 1973-03-03T09:46:40Z.
pub const DURATION_BELOW: f64 = 1e8;
/// From here a value is read as milliseconds: 10¹¹ s is the year 5138, 10¹¹ ms is 1973.
pub const MILLISECONDS_FROM: f64 = 1e11;
/// From here a value is out of range (micro- or nanoseconds): 10¹⁴ ms is the year 5138.
pub const OUT_OF_RANGE_FROM: f64 = 1e14;
/// An `iat` this far in the future is an error rather than clock skew.
pub const SKEW_TOLERATED: i64 = 5 * MINUTE;
/// `jwt.expires-soon` fires when `exp` is at most this far away.
pub const EXPIRES_SOON_WITHIN: i64 = 5 * MINUTE;
/// `jwt.long-lived` fires above this lifetime.
pub const LONG_LIVED_ABOVE: i64 = DAY;

/// How a time claim's number was read.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "kebab-case")]
pub enum Reading {
    Seconds,
    Milliseconds,
    Duration,
    OutOfRange,
    WrongType,
}

/// A time claim (`exp`, `iat`, `nbf`, `auth_time`) as the report shows it.
#[derive(Debug, Clone, PartialEq, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct TimeClaim {
    pub name: &'static str,
    /// The JSON value as sent.
    pub raw: Value,
    /// The value read literally as seconds (RFC 7519), whole; `None` when not a usable number.
    pub seconds: Option<i64>,
    /// `seconds` as ISO 8601 UTC.
    pub iso: Option<String>,
    /// `seconds` relative to `now`, in words.
    pub relative: Option<String>,
    pub reading: Reading,
    /// What the value most likely meant, when the reading is not plain seconds.
    pub note: Option<String>,
}

impl TimeClaim {
    /// The literal instant, only when it was read as plain seconds.
    pub fn instant(&self) -> Option<i64> {
        (self.reading == Reading::Seconds).then_some(self.seconds).flatten()
    }
}

/// The time claims we read, in the order the report lists them.
const TIME_CLAIMS: [&str; 4] = ["iat", "nbf", "exp", "auth_time"];

/// Reads the time claims and checks every registered claim, pushing findings.
pub fn check_claims(payload: &Map<String, Value>, now: i64, findings: &mut Vec<Finding>) -> Vec<TimeClaim> {
    let claims: Vec<TimeClaim> = TIME_CLAIMS
        .iter()
        .filter_map(|&name| payload.get(name).map(|v| read_time_claim(name, v, now)))
        .collect();
    let get = |name: &str| claims.iter().find(|c| c.name == name);
    let (exp, iat, nbf) = (get("exp"), get("iat"), get("nbf"));

    for claim in &claims {
        check_reading(claim, iat, now, findings);
    }

    // RFC 7519 §4.1.4: the token MUST NOT be accepted on or after exp.
    match exp.and_then(TimeClaim::instant) {
        Some(e) if e <= now => findings.push(Finding::new(
            Code::JwtExpired,
            Severity::Error,
            "payload.exp",
            format!("Expired {}", relative_words(e, now)),
            format!(
                "exp is {e} ({}), {} before now ({}). Every verifier rejects it; a session that keeps using it is logged out on the next request.",
                iso_or_raw(e),
                duration_words(now - e),
                iso_or_raw(now)
            ),
            "Refresh the token before it expires (e.g. when less than a minute is left), or re-authenticate; if it expired at once, check how exp is computed.",
            "RFC 7519 §4.1.4",
        )),
        Some(e) if e - now <= EXPIRES_SOON_WITHIN => findings.push(Finding::new(
            Code::JwtExpiresSoon,
            Severity::Warning,
            "payload.exp",
            format!("Expires {}", relative_words(e, now)),
            format!(
                "exp is {e} ({}), only {} from now. Requests in flight when it passes fail with 401 unless the client refreshes first.",
                iso_or_raw(e),
                duration_words(e - now)
            ),
            "Refresh proactively: when exp − now < 60 s, call the refresh endpoint before sending the request.",
            "RFC 7519 §4.1.4",
        )),
        _ => {}
    }

    // RFC 7519 §4.1.5: MUST NOT be accepted before nbf.
    if let Some(n) = nbf.and_then(TimeClaim::instant) {
        if n > now {
            findings.push(Finding::new(
                Code::JwtNotYetValid,
                Severity::Error,
                "payload.nbf",
                format!("Not valid until {}", relative_words(n, now)),
                format!(
                    "nbf is {n} ({}), {} after now. Verifiers reject the token until then. {}",
                    iso_or_raw(n),
                    duration_words(n - now),
                    skew_hint(n - now)
                ),
                "Set nbf to the issue time (or omit it), and keep server clocks in sync with NTP; libraries accept a small leeway, e.g. jose's jwtVerify(token, key, { clockTolerance: 30 }).",
                "RFC 7519 §4.1.5",
            ));
        }
    }

    if let Some(i) = iat.and_then(TimeClaim::instant) {
        if i > now {
            let ahead = i - now;
            findings.push(Finding::new(
                Code::JwtIatInFuture,
                if ahead > SKEW_TOLERATED { Severity::Error } else { Severity::Warning },
                "payload.iat",
                format!("Issued {}", relative_words(i, now)),
                format!(
                    "iat is {i} ({}), {} after now: the issuer's clock is ahead of this one. {} Libraries that check iat (PyJWT, Spring, many API gateways) reject the token until then.",
                    iso_or_raw(i),
                    duration_words(ahead),
                    skew_hint(ahead)
                ),
                "Sync the issuer's and verifier's clocks (NTP), and allow a small leeway when verifying, e.g. jose's jwtVerify(token, key, { clockTolerance: 30 }).",
                "RFC 7519 §4.1.6",
            ));
        }
    }

    if let (Some(e), Some(i)) = (exp.and_then(TimeClaim::instant), iat.and_then(TimeClaim::instant)) {
        if e <= i {
            findings.push(Finding::new(
                Code::JwtExpBeforeIat,
                Severity::Error,
                "payload.exp",
                "Expires before it was issued",
                format!(
                    "exp ({}) is {} the issue time iat ({}): the token was never valid. Usually exp was computed from a different clock or unit than iat, or the lifetime was subtracted instead of added.",
                    iso_or_raw(e),
                    if e == i { "equal to".to_string() } else { format!("{} before", duration_words(i - e)) },
                    iso_or_raw(i)
                ),
                "const iat = Math.floor(Date.now() / 1000);\nconst exp = iat + 60 * 60; // one hour later, in seconds",
                "RFC 7519 §4.1.4, §4.1.6",
            ));
        }
    }

    if exp.is_none() {
        findings.push(Finding::new(
            Code::JwtMissingExp,
            Severity::Warning,
            "payload",
            "No expiry (exp)",
            "The token has no exp claim, so it never expires: a stolen copy works forever, and logging out cannot revoke it. Some verifiers (e.g. with requiredClaims: ['exp']) reject it outright.",
            "Give it a short lifetime: new SignJWT(claims).setIssuedAt().setExpirationTime('15m') (jose), or jwt.sign(claims, key, { expiresIn: '15m' }) (jsonwebtoken).",
            "RFC 7519 §4.1.4, RFC 8725 §3.10",
        ));
    }

    if let Some(lifetime) = long_lifetime(payload, exp, iat, nbf, now) {
        findings.push(lifetime);
    }

    check_string_claims(payload, findings);
    claims
}

/// Findings for a claim read as anything but plain seconds.
fn check_reading(claim: &TimeClaim, iat: Option<&TimeClaim>, now: i64, findings: &mut Vec<Finding>) {
    let name = claim.name;
    let location = format!("payload.{name}");
    let spec = match name {
        "exp" => "RFC 7519 §4.1.4, §2 (NumericDate)",
        "nbf" => "RFC 7519 §4.1.5, §2 (NumericDate)",
        "iat" => "RFC 7519 §4.1.6, §2 (NumericDate)",
        _ => "RFC 7519 §2 (NumericDate)",
    };
    let raw = quote(&claim.raw.to_string(), MAX_QUOTE_CHARS);
    match claim.reading {
        Reading::Seconds => {}
        Reading::WrongType => findings.push(Finding::new(
            Code::JwtClaimType,
            Severity::Error,
            location,
            format!("{name} is not a number"),
            format!(
                "{name} is {raw}, a JSON {}; it must be a JSON number of seconds since 1970. Strict verifiers (jose, PyJWT) reject the token; lenient ones ignore the claim, so the check it stands for never happens.{}",
                json_type(&claim.raw),
                claim.note.as_deref().map(|n| format!(" {n}")).unwrap_or_default()
            ),
            format!("Write it as a number: {{ \"{name}\": {} }}", claim.seconds.map_or_else(|| "1767225600".to_string(), |s| s.to_string())),
            spec,
        )),
        Reading::OutOfRange => findings.push(Finding::new(
            Code::JwtClaimOutOfRange,
            Severity::Error,
            location,
            format!("{name} is not a plausible time"),
            format!("{name} is {raw}. {}", claim.note.as_deref().unwrap_or("")),
            format!("Use whole seconds since 1970: {{ \"{name}\": Math.floor(Date.now() / 1000) }}"),
            spec,
        )),
        Reading::Milliseconds => {
            let code = match name {
                "exp" => Code::JwtExpMilliseconds,
                "iat" => Code::JwtIatMilliseconds,
                "nbf" => Code::JwtNbfMilliseconds,
                // auth_time in ms: same mistake, reported as a type problem of the claim.
                _ => Code::JwtClaimOutOfRange,
            };
            findings.push(Finding::new(
                code,
                Severity::Error,
                location,
                format!("{name} is in milliseconds"),
                milliseconds_detail(claim, iat, now),
                format!(
                    "const {name} = Math.floor(Date.now() / 1000){}; // seconds, not milliseconds",
                    if name == "exp" { " + 60 * 60" } else { "" }
                ),
                spec,
            ));
        }
        Reading::Duration => findings.push(Finding::new(
            Code::JwtExpDuration,
            Severity::Error,
            location,
            "exp is a duration, not a date",
            format!(
                "exp is {raw}, which as a date is {} — {} ago. It reads like a lifetime of {}, but exp is an absolute time in seconds since 1970, so the token expired before it was issued. {}",
                claim.iso.as_deref().unwrap_or("1970"),
                claim.seconds.map(|s| duration_words(now.saturating_sub(s))).unwrap_or_default(),
                claim.seconds.map(duration_words).unwrap_or_default(),
                iat.and_then(TimeClaim::instant)
                    .zip(claim.seconds)
                    .map(|(i, d)| format!("Meant as iat + {}, it would be {} ({}).", duration_words(d), i.saturating_add(d), iso_or_raw(i.saturating_add(d))))
                    .unwrap_or_default()
            ),
            "Pass the lifetime as an option, not as the claim: jwt.sign(claims, key, { expiresIn: 3600 }) (jsonwebtoken) or new SignJWT(claims).setExpirationTime('1h') (jose); by hand: exp = Math.floor(Date.now() / 1000) + 3600.",
            spec,
        )),
    }
}

fn milliseconds_detail(claim: &TimeClaim, iat: Option<&TimeClaim>, now: i64) -> String {
    let name = claim.name;
    let value = claim.raw.as_f64().unwrap_or_default();
    let ms_instant = whole_seconds(value / 1000.0);
    let mut text = format!(
        "{name} is {}, a millisecond timestamp (Date.now() in JavaScript). Read as seconds, as RFC 7519 and every JWT library read it, that is {}.",
        claim.raw,
        claim.iso.as_deref().map_or("far beyond the year 9999".to_string(), |iso| format!("the year {}", iso.split('-').next().unwrap_or(iso).trim_start_matches(['+', '0'])))
    );
    match name {
        "exp" => {
            text.push_str(" So the token never expires for a standard verifier");
            if let Some(ms) = ms_instant {
                text.push_str(&format!(
                    ", while code that compares it with Date.now() sees it expire at {} ({})",
                    iso_or_raw(ms),
                    relative_words(ms, now)
                ));
            }
            text.push('.');
            // The signature of `Date.now() + 3600`: seconds added to milliseconds.
            if let Some(i) = iat.and_then(TimeClaim::instant) {
                let delta = value - (i as f64) * 1000.0;
                if (0.0..=7.0 * DAY as f64).contains(&delta) {
                    let added = seconds_added(delta);
                    text.push_str(&format!(
                        " exp − iat×1000 = {added}: the shape of Date.now() + {added} — a lifetime in seconds ({}) added to milliseconds, so it became {} milliseconds, i.e. {}. The token is dead on arrival wherever exp is compared in milliseconds.",
                        duration_words(added),
                        added,
                        if added < 1000 { "less than a second".to_string() } else { duration_words(added / 1000) }
                    ));
                }
            }
        }
        "iat" => text.push_str(" Verifiers that check iat think the token was issued in the far future and reject it; exp − iat comparisons go negative."),
        "nbf" => text.push_str(" So the token is not valid until then: every verifier rejects it."),
        _ => {}
    }
    text
}

/// The lifetime that `Date.now() + lifetime` most likely added, given `delta = exp − iat×1000`.
///
/// `iat` is usually `Math.floor(Date.now() / 1000)` taken at the same moment, so
/// `delta = lifetime + (milliseconds dropped by the floor)`: the lifetime lies in
/// `(delta − 1000, delta]`. People write round lifetimes, so the roundest value there wins.
fn seconds_added(delta: f64) -> i64 {
    let high = delta.floor() as i64;
    let low = high - 999;
    for unit in [DAY, HOUR, 15 * MINUTE, 5 * MINUTE, MINUTE, 10] {
        let candidate = high - high.rem_euclid(unit);
        if candidate >= low && candidate > 0 {
            return candidate;
        }
    }
    high
}

/// Reads one time claim's value.
fn read_time_claim(name: &'static str, raw: &Value, now: i64) -> TimeClaim {
    let mut claim = TimeClaim { name, raw: raw.clone(), seconds: None, iso: None, relative: None, reading: Reading::Seconds, note: None };
    let number = match raw {
        Value::Number(n) => n.as_f64(),
        Value::String(s) => {
            claim.reading = Reading::WrongType;
            let parsed = s.trim().parse::<f64>().ok().filter(|v| v.is_finite());
            if parsed.is_some() {
                claim.note = Some("It holds a number in a string: write it without quotes.".into());
            }
            parsed
        }
        _ => {
            claim.reading = Reading::WrongType;
            None
        }
    };
    let Some(value) = number else { return claim };
    if claim.reading == Reading::Seconds {
        claim.reading = if value < 0.0 {
            claim.note = Some("A negative time is before 1970: no token is issued or expires then.".into());
            Reading::OutOfRange
        } else if value >= OUT_OF_RANGE_FROM {
            claim.note = Some(
                if value >= 1e17 {
                    "It looks like nanoseconds since 1970 (Go's time.UnixNano, Java's System.nanoTime is not even a date); NumericDate is seconds."
                } else {
                    "It looks like microseconds since 1970; NumericDate is seconds."
                }
                .into(),
            );
            Reading::OutOfRange
        } else if value >= MILLISECONDS_FROM {
            claim.note = whole_seconds(value / 1000.0).and_then(iso8601).map(|iso| format!("As milliseconds it is {iso}."));
            Reading::Milliseconds
        } else if name == "exp" && value < DURATION_BELOW {
            claim.note = Some(format!("As a duration it is {}.", duration_words(value as i64)));
            Reading::Duration
        } else {
            Reading::Seconds
        };
    }
    claim.seconds = whole_seconds(value);
    claim.iso = claim.seconds.and_then(iso8601);
    claim.relative = claim.seconds.map(|s| relative_words(s, now));
    claim
}

/// `jwt.long-lived`: an access token that lives more than a day.
fn long_lifetime(
    payload: &Map<String, Value>,
    exp: Option<&TimeClaim>,
    iat: Option<&TimeClaim>,
    nbf: Option<&TimeClaim>,
    now: i64,
) -> Option<Finding> {
    let e = exp?.instant()?;
    let is_refresh = ["token_use", "typ", "token_type", "type"].iter().any(|k| {
        payload.get(*k).and_then(Value::as_str).is_some_and(|v| v.to_ascii_lowercase().contains("refresh"))
    });
    if is_refresh {
        return None;
    }
    let (start, from_what) = match (nbf.and_then(TimeClaim::instant), iat.and_then(TimeClaim::instant)) {
        (Some(n), _) => (n, "nbf"),
        (None, Some(i)) => (i, "iat"),
        (None, None) => (now, "now"),
    };
    let lifetime = e.checked_sub(start)?;
    (lifetime > LONG_LIVED_ABOVE).then(|| {
        Finding::new(
            Code::JwtLongLived,
            Severity::Warning,
            "payload.exp",
            format!("Lives {}", duration_words(lifetime)),
            format!(
                "From {from_what} to exp the token is valid for {}. A bearer token cannot be revoked: whoever copies it (an XSS, a log line, a shared HAR) keeps access that long. Access tokens usually live 5–60 minutes and are renewed with a refresh token. (A long-lived *session* cookie that the server can revoke is a different thing.)",
                duration_words(lifetime)
            ),
            "Issue short access tokens and refresh them: new SignJWT(claims).setExpirationTime('15m') (jose), jwt.sign(claims, key, { expiresIn: '15m' }) (jsonwebtoken).",
            "RFC 8725 §3.10, RFC 6749 §1.5",
        )
    })
}

/// `sub`, `iss`, `jti` must be strings, `aud` a string or an array of strings (RFC 7519 §4.1.1–4.1.7).
fn check_string_claims(payload: &Map<String, Value>, findings: &mut Vec<Finding>) {
    match payload.get("sub") {
        None => findings.push(Finding::new(
            Code::JwtMissingSub,
            Severity::Warning,
            "payload",
            "No subject (sub)",
            "The token names no user: there is no sub claim. Session libraries take the user id from sub (NextAuth/Auth.js token.sub, Passport, most API gateways), so the app may treat the request as signed out even though the token is valid.",
            "Put the user id in sub: new SignJWT({ ... }).setSubject(String(user.id)) (jose), jwt.sign({ sub: String(user.id) }, key) (jsonwebtoken).",
            "RFC 7519 §4.1.2",
        )),
        Some(Value::String(_)) => {}
        Some(other) => findings.push(type_finding("sub", other, "a string", format!("\"sub\": \"{}\"", other.to_string().trim_matches('"')))),
    }
    for name in ["iss", "jti"] {
        if let Some(v) = payload.get(name).filter(|v| !v.is_string()) {
            findings.push(type_finding(name, v, "a string", format!("\"{name}\": \"…\"")));
        }
    }
    if let Some(aud) = payload.get("aud") {
        let ok = match aud {
            Value::String(_) => true,
            Value::Array(items) => items.iter().all(Value::is_string),
            _ => false,
        };
        if !ok {
            findings.push(type_finding("aud", aud, "a string or an array of strings", "\"aud\": \"https://api.example.com\"".into()));
        }
    }
}

fn type_finding(name: &str, value: &Value, expected: &str, fix: String) -> Finding {
    Finding::new(
        Code::JwtClaimType,
        Severity::Error,
        format!("payload.{name}"),
        format!("{name} has the wrong type"),
        format!(
            "{name} is {}, a JSON {}; RFC 7519 requires {expected}. Strict verifiers reject the token, and comparisons such as sub === user.id silently fail.",
            quote(&value.to_string(), MAX_QUOTE_CHARS),
            json_type(value)
        ),
        format!("Write it as {expected}: {fix}"),
        "RFC 7519 §4.1",
    )
}

fn json_type(v: &Value) -> &'static str {
    match v {
        Value::Null => "null",
        Value::Bool(_) => "boolean",
        Value::Number(_) => "number",
        Value::String(_) => "string",
        Value::Array(_) => "array",
        Value::Object(_) => "object",
    }
}

fn skew_hint(ahead: i64) -> &'static str {
    if ahead <= SKEW_TOLERATED {
        "A few seconds or minutes usually means clock skew between the issuing and the verifying machine."
    } else if ahead >= HOUR && ahead % HOUR < MINUTE {
        "A whole number of hours usually means a time-zone mistake: local time used where UTC was meant."
    } else {
        "That is more than clock skew: the value was computed wrongly."
    }
}

fn iso_or_raw(seconds: i64) -> String {
    iso8601(seconds).unwrap_or_else(|| seconds.to_string())
}
