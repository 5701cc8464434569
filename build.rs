//! Build step: the public suffix list, compactly.
//!
//! `src/cookie/public_suffix_list.dat` stays a byte-for-byte copy of the published list (easy to
//! update and to diff). The module embeds only its rules, front-coded: each rule with its labels
//! reversed (`uk.co`), sorted, and stored as "bytes shared with the previous rule" + the rest.
//! Comments are two thirds of the file and neighbouring rules share long prefixes once reversed,
//! so this is a fifth of the text (and 10 KB less gzipped), decoded in well under a millisecond.
// A build script fails the build by panicking; that is its error channel, not input handling.
#![allow(clippy::panic)]

fn main() {
    let source = "src/cookie/public_suffix_list.dat";
    println!("cargo:rerun-if-changed={source}");
    let text = std::fs::read_to_string(source).unwrap_or_else(|e| panic!("{source}: {e}"));
    let mut rules: Vec<String> = text
        .lines()
        // One rule per line, up to the first whitespace; `//` starts a comment (the list's format).
        .filter_map(|line| line.split_whitespace().next())
        .filter(|rule| !rule.starts_with("//"))
        .map(|rule| rule.split('.').rev().collect::<Vec<_>>().join("."))
        .collect();
    rules.sort();
    rules.dedup();
    let mut out = Vec::with_capacity(text.len() / 4);
    let mut previous: &[u8] = b"";
    for rule in &rules {
        let bytes = rule.as_bytes();
        let shared = bytes.iter().zip(previous).take(255).take_while(|(a, b)| a == b).count();
        out.push(u8::try_from(shared).unwrap_or_else(|_| panic!("shared prefix over 255")));
        out.extend_from_slice(bytes.get(shared..).unwrap_or_default());
        out.push(b'\n');
        previous = bytes;
    }
    let out_dir = std::env::var("OUT_DIR").unwrap_or_else(|e| panic!("OUT_DIR: {e}"));
    let path = std::path::Path::new(&out_dir).join("public_suffix_rules.bin");
    std::fs::write(&path, out).unwrap_or_else(|e| panic!("{}: {e}", path.display()));
}
