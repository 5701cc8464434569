//! Every size and depth limit of the core, in one place.
//!
//! Inputs come from sites the user does not control; each limit has a finding that says clearly
//! when it was hit, so a huge input gives a report, never a hang or an out-of-memory abort.

/// The longest token input (after trimming) analysed, in bytes. Real tokens are a few KiB;
/// browsers cap a cookie at 4096 bytes and most servers cap a header line at 8–16 KiB.
pub const MAX_TOKEN_INPUT_BYTES: usize = 256 * 1024;

/// How deep JSON in a token header or payload may nest. serde_json stops at 128 levels itself;
/// this is the same number, named so reports can quote it.
pub const MAX_JSON_DEPTH: usize = 128;

/// The browser's limit on a cookie's name plus value, in bytes (RFC 6265bis §5.6 step 5).
pub const MAX_COOKIE_NAME_VALUE_BYTES: usize = 4096;

/// How many characters of untrusted text a message quotes before cutting it.
pub const MAX_QUOTE_CHARS: usize = 80;

/// The largest HAR file read, in bytes. A recorded sign-in is usually under 10 MB; this leaves room
/// for long sessions while keeping the wasm instance's memory (about twice the file) bounded.
pub const MAX_HAR_BYTES: usize = 256 * 1024 * 1024;

/// The most HAR entries read; the rest are counted and skipped.
pub const MAX_HAR_ENTRIES: usize = 100_000;

/// The most distinct tokens analysed in one flow; later ones are not analysed.
pub const MAX_FLOW_TOKENS: usize = 1_000;

/// Response bodies larger than this (as raw JSON text) are not scanned for tokens.
pub const MAX_BODY_SCAN_BYTES: usize = 256 * 1024;
