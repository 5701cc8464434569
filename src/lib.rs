//! Cookie Inspector's core: explains why a sign-in session is lost.
//!
//! The core is pure: it never reads the clock or the network. `now` and the request context are
//! inputs, so the same input always gives the same report — in the browser (through
//! [`wasm`](crate::wasm), the only module that touches wasm-bindgen), in the CLI and in tests.
//!
//! - [`cookie`]: the cookie engine (RFC 6265bis as Chromium implements it): parsing, storage,
//!   retrieval and a jar.
//! - [`finding`]: the one finding type every analysis reports through.
//! - [`jose`]: JWT/JWS/JWE token analysis.
//! - [`flow`]: sign-in flows recorded as HAR files.
//! - [`time`]: NumericDate ↔ calendar conversion and human-readable durations.
#![forbid(unsafe_code)]
// A finding is the error value of the decoding steps and is meant to be rich; boxing it buys nothing.
#![allow(clippy::result_large_err)]
#![cfg_attr(test, allow(clippy::unwrap_used, clippy::expect_used, clippy::indexing_slicing, clippy::panic))]

pub mod cookie;
pub mod finding;
pub mod flow;
// How reports reach JavaScript; the wasm build's, and tested natively too.
#[cfg(any(target_arch = "wasm32", test))]
mod handover;
pub mod jose;
pub mod limits;
mod order;
pub mod redact;
pub mod time;
pub mod web_storage;
#[cfg(test)]
mod testing;

#[cfg(target_arch = "wasm32")]
pub mod wasm;
