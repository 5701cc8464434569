//! Distinct tokens, analysed once each, for the reports that list where each was seen (the
//! cookie jar, web storage): the same session token sits in several cookies and entries, and its
//! report should be one, with every place pointing at it.

use super::extract::tokens_in_value;
use super::{analyze_token_with, KeyOptions, TokenOptions, TokenReport};
use crate::finding::{Finding, Severity};
use crate::limits::MAX_FLOW_TOKENS;
use std::collections::HashMap;

#[derive(Debug, Default)]
pub struct TokenSet {
    /// One report per distinct token, in the order first seen.
    pub reports: Vec<TokenReport>,
    index: HashMap<String, usize>,
}

impl TokenSet {
    /// The slot of the token keyed `key`, made with `analyse` the first time it is seen; `None`
    /// once [`MAX_FLOW_TOKENS`] distinct tokens are held.
    pub fn slot(&mut self, key: &str, analyse: impl FnOnce() -> TokenReport) -> Option<usize> {
        if let Some(&slot) = self.index.get(key) {
            return Some(slot);
        }
        if self.reports.len() >= MAX_FLOW_TOKENS {
            return None;
        }
        let slot = self.reports.len();
        self.index.insert(key.to_string(), slot);
        self.reports.push(analyse());
        Some(slot)
    }

    /// Finds the tokens a stored value holds ([`tokens_in_value`]: the value itself, or fields of
    /// its JSON), analyses each once, and adds their problems to `flags` located at
    /// `{at}.value[.field] → …`. Returns the slot of the first token.
    pub fn add_value(&mut self, value: &str, at: &str, now: f64, keys: &KeyOptions, flags: &mut Vec<Finding>) -> Option<usize> {
        let mut first = None;
        for (field, token) in tokens_in_value(value).into_iter().take(4) {
            let Some(slot) = self.slot(&token, || analyze_token_with(&token, &TokenOptions { now, secret: None }, keys)) else { continue };
            first.get_or_insert(slot);
            let place = if field.is_empty() { format!("{at}.value") } else { format!("{at}.value.{field}") };
            if let Some(report) = self.reports.get(slot) {
                for f in report.findings.iter().filter(|f| f.severity != Severity::Info) {
                    let mut f = f.clone();
                    f.location = format!("{place} → {}", f.location);
                    flags.push(f);
                }
            }
        }
        first
    }
}
