//! HAR files: `flow::analyze_har` on arbitrary bytes (its report also as plain text), and the same file fed to `flow::FlowAnalysis`
//! one entry at a time (as the DevTools panel does), whose `report()` must equal the whole-file
//! analysis wherever the entries are already in time order (the whole-file path replays them
//! sorted; the incremental one in arrival order).
//!
//! The input is the file itself, so real exports are the seeds. Its length picks the options:
//! the third-party cookie setting, and whether the app's secrets are given (encrypted session
//! cookies are then decrypted in the flow).
#![no_main]

use cookie_inspector::cookie::site::{Browser, ThirdPartyCookies};
use cookie_inspector::flow::har::parse_har;
use cookie_inspector::flow::replay::{replay_order, ReplayOptions};
use cookie_inspector::flow::{analyze_har_with_keys, Counts, FlowAnalysis, FlowReport, HarOptions};
use cookie_inspector::jose::KeyOptions;
use libfuzzer_sys::fuzz_target;

fn check(report: &FlowReport) {
    assert_eq!(report.counts, Counts::of(report.findings.iter().map(|f| &f.finding)));
    assert!(!report.headline.is_empty());
    assert!(report.findings.is_sorted_by_key(|f| f.finding.severity));
    for (i, e) in report.entries.iter().enumerate() {
        assert_eq!(e.index, i);
    }
    assert!(serde_json::to_vec(report).is_ok());
    // The plain text (the CLI's, the page's "Copy as text"): one line per entry after the
    // verdict, and its redaction never panics either.
    let text = cookie_inspector::flow::text::plain_text(report);
    assert!(text.starts_with(&report.headline));
    let _ = cookie_inspector::redact::redact_tokens(&text);
}

fuzz_target!(|data: &[u8]| {
    let third_party_cookies = match data.len() % 3 {
        0 => ThirdPartyCookies::Allowed,
        1 => ThirdPartyCookies::Blocked,
        _ => ThirdPartyCookies::Phaseout,
    };
    let browser = [None, Some(Browser::Chromium), Some(Browser::Firefox)].get(data.len() / 3 % 3).copied().flatten();
    let options = HarOptions { now: 1_795_420_000.0, replay: ReplayOptions { third_party_cookies, browser }, compare_browsers: data.len() % 7 == 3 };
    let keys = if data.len() % 2 == 1 {
        KeyOptions { secrets: vec!["an-app-secret-shared-by-every-instance-0001".into()], cookie_name: None }
    } else {
        KeyOptions::default()
    };
    let whole = analyze_har_with_keys(data, &options, keys.clone());
    check(&whole);

    let har = parse_har(data);
    assert_eq!(whole.entries.len(), har.entries.len());
    let (order, _) = replay_order(&har.entries);
    if !order.iter().enumerate().all(|(position, &i)| position == i) {
        return;
    }
    let mut flow = FlowAnalysis::new(&options);
    flow.cookie_headers_kept(har.cookie_headers_kept);
    if !keys.secrets.is_empty() {
        flow.set_keys(keys);
    }
    for finding in har.findings {
        flow.note(None, finding);
    }
    if let Some(creator) = har.creator.as_deref() {
        flow.recorded_by(creator);
    }
    for (i, entry) in har.entries.iter().enumerate() {
        let replayed = flow.push(entry).expect("push returns the replay it stored");
        assert_eq!(replayed.index, i);
    }
    let summary = flow.summary();
    let mut incremental = flow.report();
    assert_eq!(summary, FlowReport { entries: Vec::new(), ..incremental.clone() });
    incremental.creator.clone_from(&whole.creator);
    assert_eq!(incremental, whole);
});
