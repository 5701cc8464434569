//! Public suffix lookups (the Public Suffix List, <https://publicsuffix.org/list/>), as used by
//! RFC 6265bis §5.7 ("If the user agent is configured to reject public suffixes…") and for
//! deciding whether two hosts are the same site (registrable domain, "eTLD+1").
//!
//! The list is vendored as `public_suffix_list.dat` beside this file (its rules are embedded by
//! `build.rs`, comments stripped) and parsed once, lazily, on first use. Both sections count: the PRIVATE section (`github.io`, `vercel.app`, …) holds public
//! suffixes for cookies exactly like the ICANN one, as in Chromium.
//!
//! Rules written in Unicode are also indexed in their punycode (ASCII) form, because URL hosts
//! reach the cookie code as ASCII (`xn--…`) while people paste Unicode. A host is looked up in the
//! form it is given, and answers come back in that same form.
//!
//! ## Deviations
//! - Chromium compiles the list into a DAFSA at build time; we parse the text at run time. The
//!   matching algorithm is the list's standard one (longest rule wins, exception rules beat
//!   wildcards, the implicit `*` rule when nothing matches), which is what Chromium implements.
//! - Hosts are lower-cased with Unicode lower-casing only; no full IDNA mapping (NFKC) is done.
//!   URL hosts are already canonical, so this matters only for odd hand-typed input.

use std::collections::HashMap;
use std::sync::OnceLock;

/// The vendored list's rules (Mozilla Public License 2.0; see the header of
/// `public_suffix_list.dat`), front-coded by `build.rs`: each rule with its labels reversed,
/// sorted, as one byte "length shared with the previous rule", the rest, and `\n`.
const LIST_CODED: &[u8] = include_bytes!(concat!(env!("OUT_DIR"), "/public_suffix_rules.bin"));

/// Decodes [`LIST_CODED`] back to one rule per line, labels in the list's order.
fn list_text() -> String {
    let mut text = String::with_capacity(LIST_CODED.len() * 2);
    let mut previous: Vec<u8> = Vec::new();
    let mut rest = LIST_CODED;
    while let Some((&shared, tail)) = rest.split_first() {
        let end = tail.iter().position(|&b| b == b'\n').unwrap_or(tail.len());
        let mut rule = previous.get(..usize::from(shared)).unwrap_or_default().to_vec();
        rule.extend_from_slice(tail.get(..end).unwrap_or_default());
        rest = tail.get(end + 1..).unwrap_or_default();
        // The build wrote UTF-8; a rule that is not (impossible) is skipped rather than trusted.
        if let Ok(reversed) = std::str::from_utf8(&rule) {
            for (i, label) in reversed.rsplit('.').enumerate() {
                if i > 0 {
                    text.push('.');
                }
                text.push_str(label);
            }
            text.push('\n');
        }
        previous = rule;
    }
    text
}

#[derive(Debug, Default, Clone, Copy)]
struct RuleFlags {
    /// `example.com`
    normal: bool,
    /// `*.example.com`, stored under `example.com`
    wildcard: bool,
    /// `!www.example.com`, stored under `www.example.com`
    exception: bool,
}

/// FNV-1a: the keys are short host suffixes, looked up several times per cookie decision, and
/// the list is fixed at build time, so a keyed (SipHash) hasher's flood resistance buys nothing
/// here while costing most of a lookup.
#[derive(Default, Clone, Copy)]
struct Fnv(u64);

impl std::hash::Hasher for Fnv {
    fn finish(&self) -> u64 {
        self.0
    }
    fn write(&mut self, bytes: &[u8]) {
        let mut h = if self.0 == 0 { 0xcbf2_9ce4_8422_2325 } else { self.0 };
        for &b in bytes {
            h = (h ^ u64::from(b)).wrapping_mul(0x0000_0100_0000_01b3);
        }
        self.0 = h;
    }
}

type Rules = HashMap<Box<str>, RuleFlags, std::hash::BuildHasherDefault<Fnv>>;

fn rules() -> &'static Rules {
    static RULES: OnceLock<Rules> = OnceLock::new();
    RULES.get_or_init(|| parse_list(&list_text()))
}

fn parse_list(text: &str) -> Rules {
    let mut map = Rules::with_capacity_and_hasher(20_000, Default::default());
    for line in text.lines() {
        // The format: one rule per line, up to the first whitespace; `//` starts a comment line.
        let rule = line.split_whitespace().next().unwrap_or("");
        if rule.is_empty() || rule.starts_with("//") {
            continue;
        }
        let rule = rule.to_lowercase();
        let (key, kind) = if let Some(rest) = rule.strip_prefix('!') {
            (rest.to_string(), 2)
        } else if let Some(rest) = rule.strip_prefix("*.") {
            (rest.to_string(), 1)
        } else {
            (rule.clone(), 0)
        };
        let mut keys = vec![key.clone()];
        if !key.is_ascii() {
            if let Some(ascii) = domain_to_punycode(&key) {
                keys.push(ascii);
            }
        }
        for k in keys {
            let flags = map.entry(k.into_boxed_str()).or_default();
            match kind {
                2 => flags.exception = true,
                1 => flags.wildcard = true,
                _ => flags.normal = true,
            }
        }
    }
    map
}

/// The public suffix of `host` (lower-cased, without a trailing dot), by the list's algorithm.
/// `None` for an empty host, a host with an empty label (`.com`, `a..b`).
pub fn public_suffix(host: &str) -> Option<String> {
    let host = normalise(host)?;
    suffix_of_normalised(&host).map(str::to_string)
}

/// How many answers of [`suffix_of_normalised`] are remembered (a power of two).
const RECENT_HOSTS: usize = 32;

thread_local! {
    /// Recent answers of [`suffix_of_normalised`], by host: (hash, host, where its suffix starts).
    /// A flow asks about the same handful of hosts for every cookie and request (a URL's site, a
    /// `Domain` attribute, a partition), and each lookup otherwise hashes every suffix of the host
    /// into the list. Direct-mapped by the host's hash; a slot's buffer is reused when it is
    /// replaced. Only speed depends on it: an answer is the same whether remembered or not.
    static RECENT: std::cell::RefCell<Vec<(u64, String, Option<usize>)>> = const { std::cell::RefCell::new(Vec::new()) };
}

/// [`public_suffix`] of a host already [`normalise`]d: a slice of it.
fn suffix_of_normalised(host: &str) -> Option<&str> {
    // The slot is chosen by the length and the first and last eight bytes, which tell a flow's
    // hosts apart well enough; the host itself is compared on a hit.
    let bytes = host.as_bytes();
    let word = |at: usize| {
        bytes.get(at..at + 8).and_then(|w| w.try_into().ok()).map_or_else(
            || bytes.iter().skip(at).take(8).rev().fold(0u64, |w, &b| w << 8 | u64::from(b)),
            u64::from_le_bytes,
        )
    };
    let hash = (word(0) ^ word(bytes.len().saturating_sub(8)).rotate_left(29) ^ bytes.len() as u64)
        .wrapping_mul(0x9e37_79b9_7f4a_7c15);
    let hash = hash >> 32;
    let slot = usize::try_from(hash).unwrap_or_default() & (RECENT_HOSTS - 1);
    let remembered = RECENT.with(|recent| {
        let recent = recent.try_borrow().ok()?;
        let (h, text, at) = recent.get(slot)?;
        (*h == hash && text == host).then_some(*at)
    });
    let at = match remembered {
        Some(at) => at,
        None => {
            let at = suffix_start(host);
            RECENT.with(|recent| {
                if let Ok(mut recent) = recent.try_borrow_mut() {
                    if recent.is_empty() {
                        recent.resize(RECENT_HOSTS, (0, String::new(), None));
                    }
                    if let Some((h, text, remembered)) = recent.get_mut(slot) {
                        *h = hash;
                        text.clear();
                        text.push_str(host);
                        *remembered = at;
                    }
                }
            });
            at
        }
    };
    host.get(at?..)
}

/// Where the public suffix of a [`normalise`]d host starts, by the list's algorithm.
fn suffix_start(host: &str) -> Option<usize> {
    let rules = rules();
    // The suffixes from the longest (the host) to the shortest (the last label); `previous` is
    // where the suffix one label longer started.
    let mut best: Option<usize> = None; // byte offset of the longest match
    let mut previous: Option<usize> = None;
    let mut start = 0;
    loop {
        let suffix = host.get(start..)?;
        let flags = rules.get(suffix).copied().unwrap_or_default();
        let next = suffix.bytes().position(|b| b == b'.').map(|dot| start + dot + 1);
        if flags.exception {
            // An exception rule wins over everything: the public suffix is the rule minus its
            // leftmost label.
            return next;
        }
        if best.is_none() && flags.normal {
            best = Some(start);
        }
        // `*.rule` makes the suffix one label longer public, unless a longer match is known.
        if let (true, Some(p)) = (flags.wildcard, previous) {
            if best.is_none_or(|b| b > p) {
                best = Some(p);
            }
        }
        match next {
            Some(n) => {
                previous = Some(start);
                start = n;
            }
            // The implicit `*` rule: an unlisted TLD is a public suffix.
            None => return Some(best.unwrap_or(start)),
        }
    }
}

/// The registrable domain ("eTLD+1") of `host`: its public suffix plus one label, or `None` when
/// the host is itself a public suffix (or empty / malformed).
pub fn registrable_domain(host: &str) -> Option<String> {
    registrable_domain_cow(host).map(std::borrow::Cow::into_owned)
}

/// [`registrable_domain`], borrowed from `host` when `host` is already lower-case without a
/// trailing dot (every URL host and stored cookie domain is): no allocation.
pub fn registrable_domain_cow(host: &str) -> Option<std::borrow::Cow<'_, str>> {
    use std::borrow::Cow;
    match normalise(host)? {
        Cow::Borrowed(h) => registrable_of_normalised(h).map(Cow::Borrowed),
        Cow::Owned(h) => registrable_of_normalised(&h).map(|d| Cow::Owned(d.to_string())),
    }
}

/// [`registrable_domain`] of a host already [`normalise`]d: a slice of it.
fn registrable_of_normalised(normalised: &str) -> Option<&str> {
    let suffix = suffix_of_normalised(normalised)?;
    if suffix.len() >= normalised.len() {
        return None;
    }
    let head = normalised.get(..normalised.len() - suffix.len() - 1)?;
    let label_start = head.bytes().rposition(|b| b == b'.').map_or(0, |dot| dot + 1);
    normalised.get(label_start..)
}

/// Whether `host` is exactly a public suffix (`com`, `co.uk`, `github.io`).
pub fn is_public_suffix(host: &str) -> bool {
    normalise(host).is_some_and(|h| suffix_of_normalised(&h).is_some_and(|s| s.len() == h.len()))
}

/// The host as the list is keyed: without a trailing dot, lower-case; borrowed when it already
/// is (URL hosts and cookie domains are), so a lookup allocates nothing.
fn normalise(host: &str) -> Option<std::borrow::Cow<'_, str>> {
    use std::borrow::Cow;
    let host = host.strip_suffix('.').unwrap_or(host);
    // No empty label: not empty, no leading or trailing dot, no two dots in a row. One pass
    // checks that and whether the host needs lower-casing (every lookup normalises).
    let mut previous = b'.';
    let mut lower = true;
    for &b in host.as_bytes() {
        if b == b'.' && previous == b'.' {
            return None;
        }
        lower &= b.is_ascii() && !b.is_ascii_uppercase();
        previous = b;
    }
    if previous == b'.' {
        return None; // empty, or a trailing dot after the one stripped
    }
    Some(if lower {
        Cow::Borrowed(host)
    } else if host.is_ascii() {
        Cow::Owned(host.to_ascii_lowercase())
    } else {
        Cow::Owned(host.to_lowercase())
    })
}

/// The ASCII form of a Unicode domain: each non-ASCII label punycode-encoded with `xn--`
/// (RFC 3492). Used only for list rules, which are already lower-case and normalised.
fn domain_to_punycode(domain: &str) -> Option<String> {
    let mut labels = Vec::new();
    for label in domain.split('.') {
        if label.is_ascii() {
            labels.push(label.to_string());
        } else {
            labels.push(format!("xn--{}", punycode_encode(label)?));
        }
    }
    Some(labels.join("."))
}

/// RFC 3492 §6.3 encoding procedure, with the parameters of §5.
fn punycode_encode(input: &str) -> Option<String> {
    const BASE: u32 = 36;
    const TMIN: u32 = 1;
    const TMAX: u32 = 26;
    let code_points: Vec<u32> = input.chars().map(u32::from).collect();
    let mut output: String = input.chars().filter(char::is_ascii).collect();
    let basic = u32::try_from(output.len()).ok()?;
    let mut handled = basic;
    if basic > 0 {
        output.push('-');
    }
    let mut n: u32 = 128;
    let mut delta: u32 = 0;
    let mut bias: u32 = 72;
    let total = u32::try_from(code_points.len()).ok()?;
    while handled < total {
        let m = code_points.iter().copied().filter(|&c| c >= n).min()?;
        delta = delta.checked_add((m - n).checked_mul(handled + 1)?)?;
        n = m;
        for &c in &code_points {
            if c < n {
                delta = delta.checked_add(1)?;
            }
            if c == n {
                let mut q = delta;
                let mut k = BASE;
                loop {
                    let t = if k <= bias {
                        TMIN
                    } else if k >= bias + TMAX {
                        TMAX
                    } else {
                        k - bias
                    };
                    if q < t {
                        break;
                    }
                    output.push(digit(t + (q - t) % (BASE - t))?);
                    q = (q - t) / (BASE - t);
                    k += BASE;
                }
                output.push(digit(q)?);
                bias = adapt(delta, handled + 1, handled == basic);
                delta = 0;
                handled += 1;
            }
        }
        delta = delta.checked_add(1)?;
        n = n.checked_add(1)?;
    }
    Some(output)
}

fn digit(d: u32) -> Option<char> {
    match d {
        0..=25 => char::from_u32(u32::from(b'a') + d),
        26..=35 => char::from_u32(u32::from(b'0') + d - 26),
        _ => None,
    }
}

/// RFC 3492 §6.1 bias adaptation.
fn adapt(delta: u32, points: u32, first: bool) -> u32 {
    let mut delta = if first { delta / 700 } else { delta / 2 };
    delta += delta / points;
    let mut k = 0;
    while delta > ((36 - 1) * 26) / 2 {
        delta /= 36 - 1;
        k += 36;
    }
    k + (36 * delta) / (delta + 38)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn punycode_known_values() {
        assert_eq!(punycode_encode("公司").unwrap(), "55qx5d");
        assert_eq!(punycode_encode("中国").unwrap(), "fiqs8s");
        assert_eq!(punycode_encode("食狮").unwrap(), "85x722f");
        assert_eq!(punycode_encode("bücher").unwrap(), "bcher-kva");
    }

    /// Remembered answers are the list's answers: many more hosts than slots, asked in
    /// different orders, so slots are hit, missed and replaced.
    #[test]
    fn remembered_answers_match_the_list() {
        let bases = ["example.com", "shop.co.uk", "myapp.vercel.app", "foo.github.io", "a.b.kawasaki.jp", "city.kawasaki.jp", "test", "x.ck", "www.ck"];
        let hosts: Vec<String> =
            (0..150).map(|i| if i % 3 == 0 { bases[i % bases.len()].to_string() } else { format!("h{i}.{}", bases[i % bases.len()]) }).collect();
        for pass in 0..4 {
            for k in 0..hosts.len() {
                let host = &hosts[(k * (2 * pass + 1)) % hosts.len()];
                let expected = suffix_start(host).and_then(|at| host.get(at..));
                assert_eq!(suffix_of_normalised(host), expected, "{host}");
                // Asked again at once: now from the slot.
                assert_eq!(suffix_of_normalised(host), expected, "{host}");
            }
        }
        assert_eq!(suffix_of_normalised("www.ck"), Some("ck"));
        assert_eq!(suffix_of_normalised("x.ck"), Some("x.ck"));
    }

    #[test]
    fn private_section_counts() {
        assert!(is_public_suffix("github.io"));
        assert!(is_public_suffix("vercel.app"));
        assert!(is_public_suffix("co.uk"));
        assert!(!is_public_suffix("example.co.uk"));
        assert_eq!(registrable_domain("me.github.io").as_deref(), Some("me.github.io"));
        assert_eq!(
            registrable_domain("a.b.example.co.uk").as_deref(),
            Some("example.co.uk")
        );
        assert_eq!(registrable_domain("localhost"), None);
    }

    /// Runs every active `checkPublicSuffix(input, expected)` line of the list's own test file.
    #[test]
    fn psl_test_file() {
        let path = concat!(env!("CARGO_MANIFEST_DIR"), "/../shared/corpora/psl/test_psl.txt");
        let text = std::fs::read_to_string(path).unwrap_or_else(|e| {
            panic!("PSL test file missing at {path} ({e}); clone the shared corpora beside the repo")
        });
        let (mut pass, mut total) = (0, 0);
        let mut failures = Vec::new();
        for line in text.lines() {
            let Some(args) = line.trim().strip_prefix("checkPublicSuffix(") else {
                continue;
            };
            let args = args.trim_end_matches(';').trim_end_matches(')');
            let parts: Vec<Option<String>> = args
                .split(", ")
                .map(|a| {
                    if a == "null" {
                        None
                    } else {
                        Some(a.trim_matches('\'').to_string())
                    }
                })
                .collect();
            let (input, expected) = (parts[0].clone(), parts[1].clone());
            total += 1;
            let got = input.as_deref().and_then(|i| {
                if i.starts_with('.') {
                    None
                } else {
                    registrable_domain(i)
                }
            });
            if got == expected {
                pass += 1;
            } else {
                failures.push(format!("{input:?}: expected {expected:?}, got {got:?}"));
            }
        }
        println!("PSL: {pass}/{total} checkPublicSuffix lines pass");
        assert_eq!(total, 78);
        assert!(failures.is_empty(), "{failures:#?}");
    }
}
