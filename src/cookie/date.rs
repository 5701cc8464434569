//! The cookie-date parsing algorithm of RFC 6265bis §5.1.1 (the `Expires` attribute).
//!
//! The algorithm is deliberately lenient: it splits the text on delimiters and picks the first
//! token that looks like a time, a day of month, a month name and a year, in any order, ignoring
//! everything else. `Wed, 09 Dec 2009 16:27:23 GMT`, `Wednesday, 09-Dec-09 16:27:23 GMT` and
//! `Dec 9 16:27:23 2009` all give the same instant.
//!
//! ## Deviations
//! - None from the spec: this is the §5.1.1 algorithm, and Chromium's own date tests
//!   (`bsd-examples.json`) all pass with it. The 400-day cap of §5.6.1 is applied in the storage
//!   model, where the creation time is known.
//! - Known differences from Chromium's `ParseCookieExpirationTime`, which is an older, similar
//!   tokenizer and NOT followed here: Chromium accepts a year of up to 5 digits and clamps
//!   out-of-range years (a year before 1601 becomes the earliest time, so the cookie is
//!   deleted; here the date is invalid and the cookie becomes a session cookie). Real servers do
//!   not send such dates.

use crate::time::{days_from_civil, DAY, HOUR, MINUTE};

/// RFC 6265bis §5.1.1: `delimiter = %x09 / %x20-2F / %x3B-40 / %x5B-60 / %x7B-7E`.
const fn delimiter_class(b: u8) -> bool {
    matches!(b, 0x09 | 0x20..=0x2F | 0x3B..=0x40 | 0x5B..=0x60 | 0x7B..=0x7E)
}

/// [`delimiter_class`] for every byte, looked up rather than range-tested (every byte of every
/// `Expires` value is classified).
#[allow(clippy::indexing_slicing)] // `b` runs over 0..256, the table's length (checked at compile time).
const DELIMITERS: [bool; 256] = {
    let mut table = [false; 256];
    let mut b = 0;
    while b < 256 {
        table[b] = delimiter_class(b as u8);
        b += 1;
    }
    table
};

fn is_delimiter(b: u8) -> bool {
    DELIMITERS.get(usize::from(b)).copied().unwrap_or(false)
}

/// Reads 1 to `max` leading digits; the token must have at least `min` digits and, after them,
/// either end or continue with a non-digit (`( non-digit *OCTET )` in the grammar).
fn leading_number(token: &[u8], min: usize, max: usize) -> Option<(u32, &[u8])> {
    let digits = token.iter().take_while(|b| b.is_ascii_digit()).count();
    if digits < min || digits > max {
        return None;
    }
    let (number, rest) = token.split_at(digits);
    let mut value: u32 = 0;
    for d in number {
        value = value * 10 + u32::from(d - b'0');
    }
    Some((value, rest))
}

/// `time = hms-time ( non-digit *OCTET )`, `hms-time = time-field ":" time-field ":" time-field`.
fn parse_time(token: &[u8]) -> Option<(u32, u32, u32)> {
    let (hour, rest) = leading_number(token, 1, 2)?;
    let rest = rest.strip_prefix(b":")?;
    let (minute, rest) = leading_number(rest, 1, 2)?;
    let rest = rest.strip_prefix(b":")?;
    let (second, _) = leading_number(rest, 1, 2)?;
    Some((hour, minute, second))
}

/// `month = ( "jan" / … / "dec" ) *OCTET`, case-insensitive.
fn parse_month(token: &[u8]) -> Option<u8> {
    const MONTHS: [&[u8; 3]; 12] = [
        b"jan", b"feb", b"mar", b"apr", b"may", b"jun", b"jul", b"aug", b"sep", b"oct", b"nov", b"dec",
    ];
    let head = token.get(..3)?;
    let index = MONTHS.iter().position(|m| head.eq_ignore_ascii_case(&m[..]))?;
    u8::try_from(index + 1).ok()
}

/// Parses a cookie-date (RFC 6265bis §5.1.1) into seconds since the Unix epoch, or `None` when
/// the algorithm says "fail" (the `Expires` attribute is then ignored).
pub fn parse_cookie_date(text: &str) -> Option<i64> {
    let (time, day, month, year) = match imf_fixdate(text.as_bytes()) {
        Some(fields) => fields,
        None => date_tokens(text.as_bytes())?,
    };
    complete(time, day, month, year)
}

/// The fields step 2 finds: time (hour, minute, second), day of month, month (1–12), year.
type DateFields = ((u32, u32, u32), u32, u8, u32);

/// §5.1.1 steps 1 and 2: the first time, day, month and year tokens, in any order.
fn date_tokens(text: &[u8]) -> Option<DateFields> {
    let mut time: Option<(u32, u32, u32)> = None;
    let mut day: Option<u32> = None;
    let mut month: Option<u8> = None;
    let mut year: Option<u32> = None;

    // §5.1.1 step 1: split into date-tokens on delimiters.
    for token in text.split(|b| is_delimiter(*b)).filter(|t| !t.is_empty()) {
        // Step 2: each token is tried against the productions in this order, and each
        // production is taken only once (the first token that matches it wins).
        if time.is_none() {
            if let Some(t) = parse_time(token) {
                time = Some(t);
                continue;
            }
        }
        if day.is_none() {
            if let Some((d, _)) = leading_number(token, 1, 2) {
                day = Some(d);
                continue;
            }
        }
        if month.is_none() {
            if let Some(m) = parse_month(token) {
                month = Some(m);
                continue;
            }
        }
        if year.is_none() {
            if let Some((y, _)) = leading_number(token, 2, 4) {
                year = Some(y);
                continue;
            }
        }
    }
    Some((time?, day?, month?, year?))
}

/// The form nearly every server sends, the IMF-fixdate of RFC 9110 §5.6.7
/// (`Sun, 06 Nov 1994 08:49:37 GMT`), read at its fixed offsets. It gives the very tokens step 2
/// would pick from such a text (the weekday matches no production, being letters that name no
/// month; day, month, year and time then come in that order), so the result is the same; any
/// other text goes through [`date_tokens`].
fn imf_fixdate(b: &[u8]) -> Option<DateFields> {
    let &[w1, w2, w3, b',', b' ', d1, d2, b' ', m1, m2, m3, b' ', y1, y2, y3, y4, b' ', h1, h2, b':', n1, n2, b':', s1, s2, b' ', b'G', b'M', b'T'] =
        b
    else {
        return None;
    };
    let weekday = [w1, w2, w3];
    if !weekday.iter().all(u8::is_ascii_alphabetic) || parse_month(&weekday).is_some() {
        return None;
    }
    let digits = [d1, d2, y1, y2, y3, y4, h1, h2, n1, n2, s1, s2];
    if !digits.iter().all(u8::is_ascii_digit) {
        return None;
    }
    let n = |high: u8, low: u8| u32::from(high - b'0') * 10 + u32::from(low - b'0');
    let month = parse_month(&[m1, m2, m3])?;
    Some(((n(h1, h2), n(n1, n2), n(s1, s2)), n(d1, d2), month, n(y1, y2) * 100 + n(y3, y4)))
}

/// §5.1.1 steps 3 to 6 on the fields found: two-digit years, validation, the instant.
fn complete(time: (u32, u32, u32), day: u32, month: u8, mut year: u32) -> Option<i64> {
    let (hour, minute, second) = time;
    // Step 3 and 4: two-digit years. 70–99 → 1970–1999, 0–69 → 2000–2069.
    if (70..=99).contains(&year) {
        year += 1900;
    } else if year <= 69 {
        year += 2000;
    }
    // Step 5: validation.
    if !(1..=31).contains(&day) || year < 1601 || hour > 23 || minute > 59 || second > 59 {
        return None;
    }
    let year = i64::from(year);
    // Step 6: "If the date does not exist (e.g. 31 February), abort."
    if u32::from(days_in_month(year, month)) < day {
        return None;
    }
    let day = u8::try_from(day).ok()?;
    Some(
        days_from_civil(year, month, day) * DAY
            + i64::from(hour) * HOUR
            + i64::from(minute) * MINUTE
            + i64::from(second),
    )
}

fn days_in_month(year: i64, month: u8) -> u8 {
    match month {
        2 if (year % 4 == 0 && year % 100 != 0) || year % 400 == 0 => 29,
        2 => 28,
        4 | 6 | 9 | 11 => 30,
        _ => 31,
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::time::iso8601;

    #[test]
    fn common_forms() {
        let t = parse_cookie_date("Wed, 09 Dec 2009 16:27:23 GMT").unwrap();
        assert_eq!(iso8601(t).unwrap(), "2009-12-09T16:27:23Z");
        assert_eq!(parse_cookie_date("Wednesday, 09-Dec-09 16:27:23 GMT"), Some(t));
        assert_eq!(parse_cookie_date("Dec 9 16:27:23 2009"), Some(t));
    }

    #[test]
    fn invalid_dates() {
        assert_eq!(parse_cookie_date(""), None);
        assert_eq!(parse_cookie_date("Wed, 99 Foo 99999"), None);
        assert_eq!(parse_cookie_date("Sat, 31 Feb 2009 00:00:00 GMT"), None);
        assert!(parse_cookie_date("Fri, 29 Feb 2008 00:00:00 GMT").is_some());
        assert_eq!(parse_cookie_date("Thu, 01 Jan 1600 00:00:00 GMT"), None);
        assert_eq!(parse_cookie_date("Thu, 01 Jan 2000 24:00:00 GMT"), None);
    }

    /// The fixed-offset reading of IMF-fixdates finds what the general algorithm finds, on
    /// valid and invalid fields alike (weekdays that name a month, days and times out of range,
    /// lower-case months, two-digit-looking years).
    #[test]
    fn imf_fixdate_reads_as_the_algorithm() {
        let weekdays = ["Mon", "Sun", "Jan", "dec", "Xyz", "M0n", "1st"];
        let months = ["Jan", "feb", "MAR", "Dec", "Foo", "Sep"];
        let mut rng = crate::testing::XorShift(0x2545_f491_4f6c_dd1d);
        let mut read = 0;
        for _ in 0..20_000 {
            let state = rng.next();
            let r = |shift: u32, m: u64| ((state >> shift) % m) as usize;
            let text = format!(
                "{}, {:02} {} {:04} {:02}:{:02}:{:02} GMT",
                weekdays[r(0, 7)],
                r(3, 35),
                months[r(6, 6)],
                [1600, 1601, 1969, 2000, 2099, 9999, 70, 1999][r(9, 8)],
                r(12, 26),
                r(17, 62),
                r(23, 62)
            );
            let fast = imf_fixdate(text.as_bytes());
            read += usize::from(fast.is_some());
            let general = date_tokens(text.as_bytes());
            // Both go on through the same steps 3 to 6, so equal fields are an equal result.
            if fast.is_some() {
                assert_eq!(fast, general, "{text}");
            }
        }
        // Every text with a letter weekday naming no month and a real month takes the
        // fixed-offset reading: 3/7 × 5/6 of them.
        assert!(read > 6_000, "{read}");
    }

    /// Parses the suite's expected text `Www, DD Mon YYYY HH:MM:SS GMT` independently.
    fn expected_seconds(text: &str) -> i64 {
        let parts: Vec<&str> = text.split([' ', ':']).collect();
        let months = [
            "Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec",
        ];
        let month = months.iter().position(|m| *m == parts[2]).unwrap() as u8 + 1;
        let n = |i: usize| parts[i].parse::<i64>().unwrap();
        days_from_civil(n(3), month, n(1) as u8) * DAY + n(4) * HOUR + n(5) * MINUTE + n(6)
    }

    /// The http-state date suites: `examples.json` and Chromium's `bsd-examples.json`.
    #[test]
    fn http_state_date_suites() {
        #[derive(serde::Deserialize)]
        struct Case {
            test: String,
            expected: Option<String>,
        }
        let mut failures = Vec::new();
        for file in ["examples.json", "bsd-examples.json"] {
            let path = format!(
                "{}/../shared/corpora/http-state/dates/{file}",
                env!("CARGO_MANIFEST_DIR")
            );
            let text = std::fs::read_to_string(&path).unwrap_or_else(|e| {
                panic!("date corpus missing at {path} ({e}); clone the shared corpora beside the repo")
            });
            let cases: Vec<Case> = serde_json::from_str(&text).unwrap();
            let mut pass = 0;
            for case in &cases {
                let want = case.expected.as_deref().map(expected_seconds);
                let got = parse_cookie_date(&case.test);
                if got == want {
                    pass += 1;
                } else {
                    failures.push(format!("{file}: {:?}: expected {want:?}, got {got:?}", case.test));
                }
            }
            println!("cookie-date {file}: {pass}/{} pass", cases.len());
        }
        assert!(failures.is_empty(), "{failures:#?}");
    }
}
