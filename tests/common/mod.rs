//! Helpers shared by the integration tests.
#![allow(dead_code)]

use std::path::{Path, PathBuf};

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

/// Every packet of every `testdata/v*/**.txt` file.
pub fn captured_packets() -> Vec<Captured> {
    let root = Path::new(env!("CARGO_MANIFEST_DIR")).join("testdata");
    let mut files: Vec<PathBuf> = ["v3_1", "v3_1_1", "v5"]
        .iter()
        .flat_map(|dir| std::fs::read_dir(root.join(dir)).unwrap())
        .map(|e| e.unwrap().path())
        .filter(|p| p.extension().is_some_and(|x| x == "txt"))
        .collect();
    files.sort();
    let mut out = Vec::new();
    for file in files {
        let text = std::fs::read_to_string(&file).unwrap();
        for (i, line) in text.lines().enumerate() {
            let line = line.trim();
            if line.is_empty() || line.starts_with('#') {
                continue;
            }
            let (data, comment) = line.split_once('#').unwrap_or((line, ""));
            let mut parts = data.split_whitespace();
            let dir = parts.next().unwrap();
            let level: u8 = parts.next().unwrap().parse().unwrap();
            let bytes = hex(parts.next().unwrap());
            assert!(
                parts.next().is_none(),
                "{}:{}: extra fields",
                file.display(),
                i + 1
            );
            out.push(Captured {
                file: file.clone(),
                line: i + 1,
                client_to_server: dir == "C",
                level,
                bytes,
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
