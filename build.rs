//! Build step: the public suffix list without its comments.
//!
//! `src/cookie/public_suffix_list.dat` stays a byte-for-byte copy of the published list (easy to
//! update and to diff), while the module embeds only its rules: comments are two thirds of the
//! text, and every byte embedded is a byte each page and panel downloads.
// A build script fails the build by panicking; that is its error channel, not input handling.
#![allow(clippy::panic)]

use std::io::Write;

fn main() {
    let source = "src/cookie/public_suffix_list.dat";
    println!("cargo:rerun-if-changed={source}");
    let text = std::fs::read_to_string(source).unwrap_or_else(|e| panic!("{source}: {e}"));
    let out_dir = std::env::var("OUT_DIR").unwrap_or_else(|e| panic!("OUT_DIR: {e}"));
    let path = std::path::Path::new(&out_dir).join("public_suffix_rules.txt");
    let mut out = std::fs::File::create(&path).unwrap_or_else(|e| panic!("{}: {e}", path.display()));
    for line in text.lines() {
        // One rule per line, up to the first whitespace; `//` starts a comment (the list's format).
        let rule = line.split_whitespace().next().unwrap_or("");
        if !rule.is_empty() && !rule.starts_with("//") {
            writeln!(out, "{rule}").unwrap_or_else(|e| panic!("{}: {e}", path.display()));
        }
    }
}
