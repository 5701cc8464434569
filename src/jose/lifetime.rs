//! The lifetime bar: where `iat`, `nbf`, `exp` and now sit on one time axis.
//!
//! The page only draws what this computes (positions in percent), so the maths lives in one place.
//! The axis spans the *plausible* instants (claims read as seconds, and now), padded on both sides.
//! A claim read as milliseconds, a duration or out of range cannot share that axis without
//! squashing everything else to a dot, so it is pinned to the edge it lies beyond (`clipped`) and
//! marked `suspect` — exactly the picture that makes `exp` in the year 55,840 or in 1970 obvious.

use super::claims::{Reading, TimeClaim};
use crate::time::{duration_words, iso8601, relative_words, HOUR};
use serde::Serialize;

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "kebab-case")]
pub enum LifetimeStatus {
    Valid,
    Expired,
    NotYetValid,
    NoExpiry,
    /// A time claim is not plain seconds, or exp ≤ iat: the token's times cannot be trusted.
    Broken,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "kebab-case")]
pub enum Clipped {
    Before,
    After,
}

#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Marker {
    pub name: &'static str,
    pub seconds: i64,
    pub iso: Option<String>,
    pub label: String,
    /// 0–100, along the bar.
    pub position: f64,
    pub clipped: Option<Clipped>,
    pub suspect: bool,
}

#[derive(Debug, Clone, PartialEq, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct ValidRange {
    pub from: f64,
    pub to: f64,
    /// The valid range runs off the right edge (no `exp`, or an `exp` far beyond the axis).
    pub open_ended: bool,
}

#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Lifetime {
    pub status: LifetimeStatus,
    pub summary: String,
    pub markers: Vec<Marker>,
    pub valid: Option<ValidRange>,
}

/// Lays out the bar for the token's time claims at `now`.
pub fn lifetime(claims: &[TimeClaim], now: i64) -> Lifetime {
    let get = |name: &str| claims.iter().find(|c| c.name == name);
    let (exp, iat, nbf) = (get("exp"), get("iat"), get("nbf"));
    let points: Vec<(&'static str, i64, bool)> = [iat, nbf, exp]
        .into_iter()
        .flatten()
        .filter_map(|c| c.seconds.map(|s| (c.name, s, c.reading != Reading::Seconds)))
        .chain(std::iter::once(("now", now, false)))
        .collect();

    // The axis: plausible points, padded by 8% (at least half an hour) on each side.
    let plausible = points.iter().filter(|p| !p.2).map(|p| p.1);
    let lo = plausible.clone().min().unwrap_or(now);
    let hi = plausible.max().unwrap_or(now);
    let pad = ((hi - lo) / 12).max(HOUR / 2);
    let (start, end) = (lo.saturating_sub(pad), hi.saturating_add(pad));
    let span = (end - start).max(1) as f64;
    let place = |s: i64| -> (f64, Option<Clipped>) {
        if s < start {
            (0.0, Some(Clipped::Before))
        } else if s > end {
            (100.0, Some(Clipped::After))
        } else {
            (((s - start) as f64 / span * 1000.0).round() / 10.0, None)
        }
    };

    let markers: Vec<Marker> = points
        .iter()
        .map(|&(name, seconds, suspect)| {
            let (position, clipped) = place(seconds);
            let iso = iso8601(seconds);
            let when = if suspect || clipped.is_some() {
                iso.as_deref().map_or_else(|| seconds.to_string(), |i| i.get(..i.find('T').unwrap_or(i.len())).unwrap_or(i).to_string())
            } else if name == "now" {
                "now".to_string()
            } else {
                relative_words(seconds, now)
            };
            Marker { name, seconds, iso, label: if name == "now" { when } else { format!("{name} · {when}") }, position, clipped, suspect }
        })
        .collect();

    let reading = |c: Option<&TimeClaim>| c.map(|c| c.reading);
    let exp_s = exp.and_then(TimeClaim::instant);
    let begin = nbf.and_then(TimeClaim::instant).or_else(|| iat.and_then(TimeClaim::instant));
    let from = begin.map_or(0.0, |b| place(b).0);
    let valid = match (reading(exp), exp_s) {
        (None, _) => Some(ValidRange { from, to: 100.0, open_ended: true }),
        (Some(Reading::Milliseconds), _) => Some(ValidRange { from, to: 100.0, open_ended: true }),
        (_, Some(e)) if begin.is_none_or(|b| e > b) => Some(ValidRange { from, to: place(e).0, open_ended: false }),
        _ => None,
    };

    let suspect = claims.iter().find(|c| matches!(c.name, "exp" | "iat" | "nbf") && c.reading != Reading::Seconds);
    let (status, summary) = if let Some(c) = suspect {
        let what = match c.reading {
            Reading::Milliseconds => format!(
                "{} is in milliseconds: read as seconds it is {}",
                c.name,
                c.iso.as_deref().unwrap_or("beyond any calendar")
            ),
            Reading::Duration => format!("exp is a duration: as a date it is {}", c.iso.as_deref().unwrap_or("1970")),
            Reading::WrongType => format!("{} is not a number", c.name),
            _ => format!("{} is not a plausible time", c.name),
        };
        (LifetimeStatus::Broken, what)
    } else if let (Some(e), Some(i)) = (exp_s, iat.and_then(TimeClaim::instant)) {
        if e <= i {
            (LifetimeStatus::Broken, "Expires before it was issued: never valid".to_string())
        } else {
            status_by_now(exp_s, nbf.and_then(TimeClaim::instant), now)
        }
    } else {
        status_by_now(exp_s, nbf.and_then(TimeClaim::instant), now)
    };
    Lifetime { status, summary, markers, valid }
}

fn status_by_now(exp: Option<i64>, nbf: Option<i64>, now: i64) -> (LifetimeStatus, String) {
    match (exp, nbf) {
        (Some(e), _) if e <= now => (LifetimeStatus::Expired, format!("Expired {}", relative_words(e, now))),
        (_, Some(n)) if n > now => (LifetimeStatus::NotYetValid, format!("Not valid until {}", relative_words(n, now))),
        (Some(e), _) => (LifetimeStatus::Valid, format!("Valid for another {}", duration_words(e - now))),
        (None, _) => (LifetimeStatus::NoExpiry, "Never expires (no exp)".to_string()),
    }
}
