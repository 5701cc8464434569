//! `cookie-inspector`: the command-line face of the core, for CI.
//!
//! ```text
//! cookie-inspector token TOKEN|- [--secret S]... [--public-key FILE]... [--cookie-name NAME] [--now SECONDS] [--json] [--fail-on error|warning]
//! ```
//!
//! Exit codes: 0 clean, 1 findings at or above the `--fail-on` threshold (default: error),
//! 2 unusable input or usage. The CLI, like the wasm boundary, is where the clock is read.

use cookie_inspector::finding::{Finding, Severity};
use cookie_inspector::jose::{analyze_token_with_keys, KeyOptions, TokenOptions};
use std::io::{Read, Write};
use std::process::ExitCode;

const USAGE: &str = "usage:
  cookie-inspector check FILE.har|- [--secret S]... [--json] [--fail-on error|warning] [--third-party-cookies allowed|blocked] [--browser chromium|firefox] [--compare-browsers]
  cookie-inspector token TOKEN|- [--secret S]... [--public-key FILE]... [--cookie-name NAME] [--now SECONDS] [--json] [--fail-on error|warning]

  check    replays a recorded sign-in (a HAR file exported from DevTools) and reports where the
           session drops; - reads stdin

  TOKEN    a JWT, `Bearer …`, or a whole Authorization/Cookie header line; `-` reads stdin
  --secret the app's secret: verifies HS256/384/512 and decrypts NextAuth.js / Auth.js session
           cookies (or set COOKIE_INSPECTOR_SECRET); repeat it for a rotation, newest first
  --cookie-name  the cookie a bare encrypted token came from (Auth.js derives its key from it)
  --public-key   a file holding a JWK, a JWKS or a PEM public key (or certificate): verifies
           RS*, PS*, ES* and EdDSA signatures; repeatable
  --now    the time to judge expiry against, in seconds since 1970 (default: the clock)
  --json   print the full report as JSON
  --fail-on  exit 1 when a finding is at least this severe (default: error)
  --browser  replay with this browser's cookie rules (default: the one that wrote the HAR;
           Chromium's when it says nothing)
  --compare-browsers  replay a second time with the other browser's rules and report where
           the session fares otherwise there (an error when the other browser loses it)

exit codes: 0 clean, 1 findings at or above --fail-on, 2 unusable input or usage";

/// A usage problem: printed with the usage text, exit code 2.
struct Usage(String);

fn main() -> ExitCode {
    match try_main(std::env::args().skip(1).collect()) {
        Ok(code) => code,
        Err(Usage(message)) => {
            eprintln!("cookie-inspector: {message}\n\n{USAGE}");
            ExitCode::from(2)
        }
    }
}

fn try_main(args: Vec<String>) -> Result<ExitCode, Usage> {
    let mut args = args.into_iter();
    match args.next().as_deref() {
        Some("token") => token_command(args.collect()),
        Some("check") => check_command(args.collect()),
        Some("-h" | "--help" | "help") => {
            println!("{USAGE}");
            Ok(ExitCode::SUCCESS)
        }
        Some(other) => Err(Usage(format!("unknown command {other:?}"))),
        None => Err(Usage("no command given".into())),
    }
}

#[derive(Default)]
struct Flags {
    positional: Vec<String>,
    secrets: Vec<String>,
    cookie_name: Option<String>,
    public_keys: Vec<String>,
    now: Option<f64>,
    json: bool,
    fail_on: Option<Severity>,
    third_party_blocked: bool,
    browser: Option<cookie_inspector::cookie::site::Browser>,
    compare_browsers: bool,
}

fn parse_flags(args: Vec<String>) -> Result<Flags, Usage> {
    let mut flags = Flags::default();
    let mut args = args.into_iter();
    while let Some(arg) = args.next() {
        let mut value = |name: &str| args.next().ok_or_else(|| Usage(format!("{name} needs a value")));
        match arg.as_str() {
            "--secret" => flags.secrets.push(value("--secret")?),
            "--cookie-name" => flags.cookie_name = Some(value("--cookie-name")?),
            "--public-key" => {
                let path = value("--public-key")?;
                let text = std::fs::read_to_string(&path).map_err(|e| Usage(format!("cannot read the public key {path:?}: {e}")))?;
                flags.public_keys.push(text);
            }
            "--now" => {
                let v = value("--now")?;
                flags.now = Some(v.parse::<f64>().ok().filter(|n| n.is_finite()).ok_or_else(|| Usage(format!("--now takes seconds since 1970, not {v:?}")))?);
            }
            "--json" => flags.json = true,
            "--compare-browsers" => flags.compare_browsers = true,
            "--fail-on" => {
                flags.fail_on = Some(match value("--fail-on")?.as_str() {
                    "error" => Severity::Error,
                    "warning" => Severity::Warning,
                    other => return Err(Usage(format!("--fail-on takes error or warning, not {other:?}"))),
                })
            }
            "--third-party-cookies" => {
                flags.third_party_blocked = match value("--third-party-cookies")?.as_str() {
                    "allowed" => false,
                    "blocked" => true,
                    other => return Err(Usage(format!("--third-party-cookies takes allowed or blocked, not {other:?}"))),
                }
            }
            "--browser" => {
                use cookie_inspector::cookie::site::Browser;
                flags.browser = Some(match value("--browser")?.as_str() {
                    "chromium" | "chrome" | "edge" => Browser::Chromium,
                    "firefox" => Browser::Firefox,
                    other => return Err(Usage(format!("--browser takes chromium or firefox, not {other:?}"))),
                })
            }
            "-" => flags.positional.push(arg),
            a if a.starts_with("--") => return Err(Usage(format!("unknown option {a}"))),
            _ => flags.positional.push(arg),
        }
    }
    Ok(flags)
}

fn clock_now() -> f64 {
    std::time::SystemTime::now().duration_since(std::time::UNIX_EPOCH).map_or(0.0, |d| d.as_secs_f64())
}

fn token_command(args: Vec<String>) -> Result<ExitCode, Usage> {
    let flags = parse_flags(args)?;
    let [input] = flags.positional.as_slice() else {
        return Err(Usage("token takes exactly one TOKEN (or - for stdin)".into()));
    };
    let text = if input == "-" {
        let mut s = String::new();
        std::io::stdin().read_to_string(&mut s).map_err(|e| Usage(format!("cannot read stdin: {e}")))?;
        s
    } else {
        input.clone()
    };
    let mut secrets = flags.secrets.into_iter();
    let secret = secrets.next().or_else(|| std::env::var("COOKIE_INSPECTOR_SECRET").ok());
    let keys = KeyOptions { secrets: secrets.collect(), cookie_name: flags.cookie_name };
    let report = analyze_token_with_keys(&text, &TokenOptions { now: flags.now.unwrap_or_else(clock_now), secret }, &keys, &flags.public_keys);
    let mut out = std::io::stdout().lock();
    if flags.json {
        let json = serde_json::to_string_pretty(&report).unwrap_or_else(|e| format!("{{\"error\": \"{e}\"}}"));
        let _ = writeln!(out, "{json}");
    } else {
        let _ = writeln!(
            out,
            "{} token, {} error(s), {} warning(s), {} note(s); signature: {}",
            serde_json::to_value(report.kind).ok().and_then(|v| v.as_str().map(str::to_uppercase)).unwrap_or_default(),
            report.counts.error,
            report.counts.warning,
            report.counts.info,
            report.signature.detail
        );
        if let Some(life) = &report.lifetime {
            let _ = writeln!(out, "lifetime: {}", life.summary);
        }
        for f in &report.findings {
            print_finding(&mut out, f);
        }
    }
    let threshold = flags.fail_on.unwrap_or(Severity::Error);
    // A token that cannot be read at all is unusable input.
    if report.kind == cookie_inspector::jose::TokenKind::Unknown && report.counts.error > 0 {
        return Ok(ExitCode::from(2));
    }
    Ok(if report.findings.iter().any(|f| f.severity <= threshold) { ExitCode::from(1) } else { ExitCode::SUCCESS })
}

fn check_command(args: Vec<String>) -> Result<ExitCode, Usage> {
    use cookie_inspector::cookie::site::ThirdPartyCookies;
    use cookie_inspector::flow::{analyze_har_with_keys, replay::ReplayOptions, HarOptions};
    let flags = parse_flags(args)?;
    let [path] = flags.positional.as_slice() else {
        return Err(Usage("check takes exactly one FILE.har (or - for stdin)".into()));
    };
    let bytes = if path == "-" {
        let mut b = Vec::new();
        std::io::stdin().read_to_end(&mut b).map_err(|e| Usage(format!("cannot read stdin: {e}")))?;
        b
    } else {
        match std::fs::read(path) {
            Ok(b) => b,
            Err(e) => {
                eprintln!("cookie-inspector: cannot read {path}: {e}");
                return Ok(ExitCode::from(2));
            }
        }
    };
    let options = HarOptions {
        now: flags.now.unwrap_or_else(clock_now),
        replay: ReplayOptions {
            third_party_cookies: if flags.third_party_blocked { ThirdPartyCookies::Blocked } else { ThirdPartyCookies::Allowed },
            browser: flags.browser,
        },
        compare_browsers: flags.compare_browsers,
    };
    let mut secrets = flags.secrets.clone();
    if secrets.is_empty() {
        secrets.extend(std::env::var("COOKIE_INSPECTOR_SECRET").ok());
    }
    let report = analyze_har_with_keys(&bytes, &options, KeyOptions { secrets, cookie_name: None });
    let mut out = std::io::stdout().lock();
    if flags.json {
        let json = serde_json::to_string_pretty(&report).unwrap_or_else(|e| format!("{{\"error\": \"{e}\"}}"));
        let _ = writeln!(out, "{json}");
    } else {
        let _ = write!(out, "{}", cookie_inspector::flow::text::plain_text(&report));
    }
    // A file with nothing to replay is unusable input.
    let unusable = report.entries.is_empty()
        && report.findings.iter().any(|f| matches!(f.finding.code.as_str(), "har.malformed" | "har.not-har" | "har.too-large" | "har.truncated" | "har.empty"));
    if unusable {
        return Ok(ExitCode::from(2));
    }
    let threshold = flags.fail_on.unwrap_or(Severity::Error);
    Ok(if report.findings.iter().any(|f| f.finding.severity <= threshold) { ExitCode::from(1) } else { ExitCode::SUCCESS })
}

fn print_finding(out: &mut impl Write, f: &Finding) {
    let mut text = String::new();
    cookie_inspector::flow::text::push_finding(&mut text, f);
    let _ = write!(out, "{text}");
}
