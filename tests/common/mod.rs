//! Shared by the tests that compare the engine with Chromium's recorded verdicts.
#![allow(dead_code)]

/// Counts verdicts that agree with Chromium and keeps the ones that do not, worded for a report.
#[derive(Default)]
pub struct Tally {
    pub agree: usize,
    pub total: usize,
    pub disagreements: Vec<String>,
}

impl Tally {
    /// One verdict: Chromium's reasons (or marker) against ours.
    pub fn check(&mut self, what: String, chromium: &[String], ours: &[String]) {
        self.total += 1;
        if chromium == ours {
            self.agree += 1;
        } else {
            self.disagreements.push(format!("{what}: Chromium {chromium:?}, ours {ours:?}"));
        }
    }

    /// The agreement in percent.
    pub fn percent(&self) -> f64 {
        100.0 * self.agree as f64 / self.total.max(1) as f64
    }
}
