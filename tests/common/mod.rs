//! Shared by the integration tests: the tally of Chromium's recorded verdicts, and a seeded
//! random source for the hostile-input tests.
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

/// xorshift64*: enough randomness for mutations, no dependency, and seeded so a failure
/// reproduces.
pub struct Rng(pub u64);

impl Rng {
    pub fn next(&mut self) -> u64 {
        self.0 ^= self.0 >> 12;
        self.0 ^= self.0 << 25;
        self.0 ^= self.0 >> 27;
        self.0.wrapping_mul(0x2545_f491_4f6c_dd1d)
    }

    pub fn below(&mut self, n: usize) -> usize {
        (self.next() % n.max(1) as u64) as usize
    }
}
