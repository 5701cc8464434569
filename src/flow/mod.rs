//! Sign-in flow analysis: a recorded flow (HAR) replayed to find the hop where the session drops.
//!
//! - [`har`]: reading HAR 1.2 files as Chromium and Firefox export them.

pub mod har;
