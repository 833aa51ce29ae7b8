//! Helpers shared by the integration tests.
#![allow(dead_code)]

use std::path::{Path, PathBuf};
use std::sync::OnceLock;

pub mod strategies;

#[path = "hex.rs"]
mod hex_digits;
pub use hex_digits::hex;

/// One captured packet from a `testdata/` file.
#[derive(Debug, Clone)]
pub struct Captured {
    pub file: PathBuf,
    pub line: usize,
    pub client_to_server: bool,
    pub level: u8,
    pub bytes: Vec<u8>,
    pub comment: String,
}

/// Every packet of every `testdata/v*/**.txt` file, read once per test binary (its tests
/// share it).
///
/// Under Miri, where reading all 94 files still took over a minute with the parser below,
/// the packets of every 5th file (19 files, of all three versions and both clients).
pub fn captured_packets() -> &'static [Captured] {
    static CAPTURED: OnceLock<Vec<Captured>> = OnceLock::new();
    CAPTURED.get_or_init(read_captured_packets)
}

fn read_captured_packets() -> Vec<Captured> {
    // Written for Miri, where every interpreted step counts (a loop over the 232 KB of
    // text, byte by byte, takes 20 s there): file names are sorted as strings (a `Path`
    // compares component by component), lines are found with `lines` and fields with
    // `split_once` (both skip ahead a word at a time), and `split_whitespace`, which tests
    // every character against Unicode's White_Space (135 s over the captures), is not used.
    let root = Path::new(env!("CARGO_MANIFEST_DIR")).join("testdata");
    let mut names: Vec<String> = Vec::new();
    for dir in ["v3_1", "v3_1_1", "v5"] {
        for entry in std::fs::read_dir(root.join(dir)).unwrap() {
            let name = entry.unwrap().file_name().into_string().unwrap();
            if name.ends_with(".txt") {
                names.push(format!("{dir}/{name}"));
            }
        }
    }
    names.sort();
    let mut out = Vec::new();
    for name in miri_sample(names, 5) {
        let file = root.join(&name);
        let text = std::fs::read_to_string(&file).unwrap();
        for (i, line) in text.lines().enumerate() {
            if line.is_empty() || line.starts_with('#') {
                continue;
            }
            // `C 5 1047...  # CONNECT ...`: direction, protocol level, hex, comment.
            let at = || format!("{}:{}", file.display(), i + 1);
            let (data, comment) = line.split_once('#').unwrap_or((line, ""));
            let (dir, rest) = data.split_once(' ').unwrap_or_else(|| panic!("{}", at()));
            let (level, digits) = rest.split_once(' ').unwrap_or_else(|| panic!("{}", at()));
            let digits = digits.trim_ascii_end();
            assert!(
                matches!(dir, "C" | "S") && !digits.contains(' '),
                "{}: expected `C|S level hex  # comment`",
                at()
            );
            out.push(Captured {
                file: file.clone(),
                line: i + 1,
                client_to_server: dir == "C",
                level: level.parse().unwrap_or_else(|e| panic!("{}: {e}", at())),
                bytes: hex(digits),
                comment: comment.trim().to_string(),
            });
        }
    }
    out
}

/// Under Miri (about a thousand times slower), every `stride`th of `items`, so that a test
/// over the captured packets still runs on packets of every kind and version; natively all
/// of them. An odd stride keeps both directions of interleaved client/server lists.
pub fn miri_sample<T>(items: Vec<T>, stride: usize) -> Vec<T> {
    let stride = if cfg!(miri) { stride } else { 1 };
    items.into_iter().step_by(stride).collect()
}
