//! Time: NumericDate (seconds since the Unix epoch, RFC 7519 §2) ↔ calendar, and durations in words.
//!
//! The core never reads the clock; every function here takes the instants it talks about.
//! Calendar maths uses the proleptic Gregorian calendar in UTC (no leap seconds, as POSIX time and
//! RFC 7519 do), by the well-known days-from-civil / civil-from-days conversion.

/// Seconds in a minute, hour, day and (365-day) year.
pub const MINUTE: i64 = 60;
pub const HOUR: i64 = 60 * MINUTE;
pub const DAY: i64 = 24 * HOUR;
pub const YEAR: i64 = 365 * DAY;

/// The widest instant (in seconds either side of 1970) that is formatted as a date:
/// years −999,999 to 999,999 fit, which covers millisecond and microsecond mistakes.
const MAX_FORMATTED_SECONDS: i64 = 31_000_000_000_000;

/// A calendar date and time of day in UTC.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
pub struct CivilDateTime {
    pub year: i64,
    pub month: u8,
    pub day: u8,
    pub hour: u8,
    pub minute: u8,
    pub second: u8,
}

/// Days since 1970-01-01 of a proleptic Gregorian date. `month` is 1–12.
pub fn days_from_civil(year: i64, month: u8, day: u8) -> i64 {
    let y = if month <= 2 { year - 1 } else { year };
    let era = y.div_euclid(400);
    let yoe = y - era * 400; // [0, 399]
    let m = i64::from(month);
    let mp = if m > 2 { m - 3 } else { m + 9 }; // March = 0
    let doy = (153 * mp + 2) / 5 + i64::from(day) - 1; // [0, 365]
    let doe = yoe * 365 + yoe / 4 - yoe / 100 + doy; // [0, 146096]
    era * 146_097 + doe - 719_468
}

/// The calendar date and time of `seconds` since the epoch, or `None` beyond ±~1,000,000 years.
pub fn civil_from_seconds(seconds: i64) -> Option<CivilDateTime> {
    if !(-MAX_FORMATTED_SECONDS..=MAX_FORMATTED_SECONDS).contains(&seconds) {
        return None;
    }
    let days = seconds.div_euclid(DAY);
    let secs_of_day = seconds.rem_euclid(DAY);
    let z = days + 719_468;
    let era = z.div_euclid(146_097);
    let doe = z - era * 146_097; // [0, 146096]
    let yoe = (doe - doe / 1460 + doe / 36_524 - doe / 146_096) / 365; // [0, 399]
    let doy = doe - (365 * yoe + yoe / 4 - yoe / 100); // [0, 365]
    let mp = (5 * doy + 2) / 153; // [0, 11]
    let day = doy - (153 * mp + 2) / 5 + 1; // [1, 31]
    let month = if mp < 10 { mp + 3 } else { mp - 9 }; // [1, 12]
    let year = yoe + era * 400 + i64::from(month <= 2);
    Some(CivilDateTime {
        year,
        month: u8::try_from(month).ok()?,
        day: u8::try_from(day).ok()?,
        hour: u8::try_from(secs_of_day / HOUR).ok()?,
        minute: u8::try_from(secs_of_day % HOUR / MINUTE).ok()?,
        second: u8::try_from(secs_of_day % MINUTE).ok()?,
    })
}

/// ISO 8601 / RFC 3339 text in UTC, e.g. `2026-11-23T13:24:11Z`.
///
/// Years outside 0000–9999 use ISO 8601's expanded form (`+55808-03-14T…Z`), which is exactly
/// what makes a millisecond timestamp read as seconds stand out.
pub fn iso8601(seconds: i64) -> Option<String> {
    let c = civil_from_seconds(seconds)?;
    // Written digit by digit: this runs for every time claim of every token in a HAR replay,
    // and `format!` costs several times more.
    let mut out = String::with_capacity(27);
    if (0..=9999).contains(&c.year) {
        push_padded(&mut out, c.year.unsigned_abs(), 4);
    } else {
        out.push(if c.year < 0 { '-' } else { '+' });
        push_padded(&mut out, c.year.unsigned_abs(), 6);
    }
    for (sep, n) in [('-', c.month), ('-', c.day), ('T', c.hour), (':', c.minute), (':', c.second)] {
        out.push(sep);
        push_padded(&mut out, u64::from(n), 2);
    }
    out.push('Z');
    Some(out)
}

/// Appends `n` in decimal, left-padded with zeros to `width` digits.
pub fn push_padded(out: &mut String, n: u64, width: usize) {
    let mut digits = [b'0'; 20];
    let mut len = 0;
    let mut rest = n;
    while rest > 0 || len == 0 {
        if let Some(d) = digits.get_mut(len) {
            *d = b'0' + (rest % 10) as u8;
        }
        rest /= 10;
        len += 1;
    }
    for _ in len..width {
        out.push('0');
    }
    for &d in digits.iter().take(len).rev() {
        out.push(char::from(d));
    }
}

/// Parses an RFC 3339 date-time (`2026-11-23T10:00:00.123Z`, `…+01:00`) to seconds since 1970,
/// with the fraction. HAR's `startedDateTime` is in this form (Chromium writes `Z`, Firefox an offset).
pub fn parse_rfc3339(text: &str) -> Option<f64> {
    let b = text.trim().as_bytes();
    let num = |from: usize, len: usize| -> Option<i64> {
        let digits = b.get(from..from + len)?;
        digits.iter().try_fold(0i64, |acc, &d| d.is_ascii_digit().then(|| acc * 10 + i64::from(d - b'0')))
    };
    let (year, month, day) = (num(0, 4)?, num(5, 2)?, num(8, 2)?);
    let (hour, minute, second) = (num(11, 2)?, num(14, 2)?, num(17, 2)?);
    let seps_ok = b.get(4) == Some(&b'-')
        && b.get(7) == Some(&b'-')
        && matches!(b.get(10), Some(b'T' | b't' | b' '))
        && b.get(13) == Some(&b':')
        && b.get(16) == Some(&b':');
    if !seps_ok || !(1..=12).contains(&month) || !(1..=31).contains(&day) || hour > 23 || minute > 59 || second > 60 {
        return None;
    }
    let mut at = 19;
    let mut fraction = 0.0;
    if b.get(at) == Some(&b'.') {
        at += 1;
        let mut scale = 0.1;
        while let Some(d) = b.get(at).filter(|d| d.is_ascii_digit()) {
            fraction += f64::from(d - b'0') * scale;
            scale /= 10.0;
            at += 1;
        }
    }
    let offset = match b.get(at) {
        Some(b'Z' | b'z') if at + 1 == b.len() => 0,
        Some(&sign @ (b'+' | b'-')) if at + 6 == b.len() && b.get(at + 3) == Some(&b':') => {
            let minutes = num(at + 1, 2)? * 60 + num(at + 4, 2)?;
            if sign == b'+' { minutes * 60 } else { -minutes * 60 }
        }
        _ => return None,
    };
    let month = u8::try_from(month).ok()?;
    let day = u8::try_from(day).ok()?;
    let secs = days_from_civil(year, month, day) * DAY + hour * HOUR + minute * MINUTE + second - offset;
    Some(secs as f64 + fraction)
}

/// A whole number of seconds from a JSON number, if it is finite and formats as a date.
pub fn whole_seconds(value: f64) -> Option<i64> {
    if !value.is_finite() || value.abs() > MAX_FORMATTED_SECONDS as f64 {
        return None;
    }
    // In range, so the cast is exact up to the fraction it drops.
    Some(value.floor() as i64)
}

/// A duration in words with the two largest units: `1 hour`, `29 days 23 hours`, `45 seconds`.
pub fn duration_words(seconds: i64) -> String {
    let mut out = String::with_capacity(24);
    push_duration_words(&mut out, seconds);
    out
}

fn push_duration_words(out: &mut String, seconds: i64) {
    const UNITS: [(u64, &str); 5] = [
        (YEAR as u64, "year"),
        (DAY as u64, "day"),
        (HOUR as u64, "hour"),
        (MINUTE as u64, "minute"),
        (1, "second"),
    ];
    let mut rest = seconds.unsigned_abs();
    let mut written = 0;
    for (size, name) in UNITS {
        let n = rest / size;
        if n > 0 {
            if written > 0 {
                out.push(' ');
            }
            push_padded(out, n, 1);
            out.push(' ');
            out.push_str(name);
            if n != 1 {
                out.push('s');
            }
            rest -= n * size;
            written += 1;
            if written == 2 {
                break;
            }
        } else if written > 0 {
            // Only adjacent units: "1 year 3 seconds" reads as noise.
            break;
        }
    }
    if written == 0 {
        out.push_str("0 seconds");
    }
}

/// `instant` relative to `now` in words: `in 59 minutes`, `3 days ago`, `now`.
pub fn relative_words(instant: i64, now: i64) -> String {
    let delta = instant.saturating_sub(now);
    let mut out = String::with_capacity(28);
    if delta == 0 {
        out.push_str("now");
    } else if delta > 0 {
        out.push_str("in ");
        push_duration_words(&mut out, delta);
    } else {
        push_duration_words(&mut out, delta);
        out.push_str(" ago");
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn epoch_and_known_instants() {
        assert_eq!(iso8601(0).unwrap(), "1970-01-01T00:00:00Z");
        assert_eq!(iso8601(3600).unwrap(), "1970-01-01T01:00:00Z");
        assert_eq!(iso8601(1_700_000_000).unwrap(), "2023-11-14T22:13:20Z");
        assert_eq!(iso8601(951_782_400).unwrap(), "2000-02-29T00:00:00Z");
        assert_eq!(iso8601(-1).unwrap(), "1969-12-31T23:59:59Z");
        assert_eq!(iso8601(253_402_300_799).unwrap(), "9999-12-31T23:59:59Z");
        // A millisecond timestamp read as seconds.
        assert_eq!(iso8601(1_700_000_000_000).unwrap(), "+055840-11-08T22:13:20Z");
        assert!(iso8601(i64::MAX).is_none());
    }

    #[test]
    fn civil_round_trip() {
        for secs in (-5_000_000_000i64..5_000_000_000).step_by(7_777_777) {
            let c = civil_from_seconds(secs).unwrap();
            let back = days_from_civil(c.year, c.month, c.day) * DAY
                + i64::from(c.hour) * HOUR
                + i64::from(c.minute) * MINUTE
                + i64::from(c.second);
            assert_eq!(back, secs);
        }
    }

    #[test]
    fn words() {
        assert_eq!(duration_words(3600), "1 hour");
        assert_eq!(duration_words(30 * DAY), "30 days");
        assert_eq!(duration_words(DAY + 2 * HOUR + 5), "1 day 2 hours");
        assert_eq!(duration_words(YEAR + 5), "1 year");
        assert_eq!(relative_words(100, 40), "in 1 minute");
        assert_eq!(relative_words(0, 7200), "2 hours ago");
        assert_eq!(relative_words(5, 5), "now");
    }

    #[test]
    fn rfc3339() {
        assert_eq!(parse_rfc3339("2023-11-14T22:13:20Z"), Some(1_700_000_000.0));
        assert_eq!(parse_rfc3339("2023-11-14T22:13:20.250Z"), Some(1_700_000_000.25));
        assert_eq!(parse_rfc3339("2023-11-14T23:13:20.250+01:00"), Some(1_700_000_000.25));
        assert_eq!(parse_rfc3339("2023-11-14T21:13:20-01:00"), Some(1_700_000_000.0));
        for bad in ["", "2023-11-14", "2023-13-14T22:13:20Z", "2023-11-14T22:13:20", "2023-11-14T22:13:20Zjunk", "２０２３-11-14T22:13:20Z"] {
            assert_eq!(parse_rfc3339(bad), None, "{bad}");
        }
    }

    #[test]
    fn whole_seconds_rejects_nonsense() {
        assert_eq!(whole_seconds(1.9), Some(1));
        assert_eq!(whole_seconds(f64::NAN), None);
        assert_eq!(whole_seconds(1e300), None);
    }
}
