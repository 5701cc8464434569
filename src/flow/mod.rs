//! Sign-in flow analysis: a recorded flow (HAR) replayed to find the hop where the session drops.
//!
//! - [`har`]: reading HAR 1.2 files as Chromium and Firefox export them.
//! - [`refresh`]: parallel token refreshes that log the user out.
//! - [`tokens`]: every token in the flow, analysed once, with where it was seen.

pub mod har;
pub mod refresh;
pub mod tokens;
