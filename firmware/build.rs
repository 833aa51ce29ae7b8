//! Build script: puts `memory.x` where the linker finds it, and turns the captured test
//! vectors of `../testdata` into binary blobs plus tables that the firmware embeds.
//!
//! The parsing here is deliberately independent of mqtt-wire: packet boundaries come from
//! the files' one-packet-per-line layout and the expected packet type from the comment
//! `capture.py` wrote next to each packet, so the firmware can check the codec against
//! them instead of against itself.

use std::env;
use std::fmt::Write as _;
use std::fs;
use std::path::{Path, PathBuf};

/// One packet found in a file.
struct Packet {
    bytes: Vec<u8>,
    /// Packet type name from the description comment (e.g. "PUBLISH").
    kind: String,
    /// 1-based line number in its file.
    line: usize,
    /// Protocol level (3, 4, 5) of the connection; 5 for the demo streams.
    level: u8,
    /// Sent by the client (`C`) rather than the server (`S`).
    client: bool,
}

fn hex_bytes(text: &str, what: &str) -> Vec<u8> {
    let digits: Vec<u8> = text
        .bytes()
        .filter(|b| !b.is_ascii_whitespace())
        .map(|b| match b {
            b'0'..=b'9' => b - b'0',
            b'a'..=b'f' => b - b'a' + 10,
            b'A'..=b'F' => b - b'A' + 10,
            _ => panic!("{what}: not a hex digit: {:?}", b as char),
        })
        .collect();
    assert!(
        digits.len().is_multiple_of(2),
        "{what}: odd number of hex digits"
    );
    digits.chunks(2).map(|d| d[0] << 4 | d[1]).collect()
}

/// The first word of a description if it looks like a packet type name.
fn type_word(comment: &str) -> Option<String> {
    let word = comment.split_whitespace().next()?;
    (!word.is_empty() && word.bytes().all(|b| b.is_ascii_uppercase())).then(|| word.to_string())
}

/// `demo.hex` / `demo_server.hex`: `#` comment lines, then one packet per hex line, each
/// preceded by a comment whose first word is its type.
fn parse_demo(path: &Path) -> Vec<Packet> {
    let text = fs::read_to_string(path).unwrap_or_else(|e| panic!("{}: {e}", path.display()));
    let mut last_type = None;
    let mut out = Vec::new();
    for (i, line) in text.lines().enumerate() {
        let line = line.trim();
        if line.is_empty() {
            continue;
        }
        if let Some(comment) = line.strip_prefix('#') {
            last_type = type_word(comment);
            continue;
        }
        let what = format!("{}:{}", path.display(), i + 1);
        let kind = last_type
            .take()
            .unwrap_or_else(|| panic!("{what}: no packet type comment before the packet"));
        out.push(Packet {
            bytes: hex_bytes(line, &what),
            kind,
            line: i + 1,
            level: 5,
            client: path.file_name().is_some_and(|n| n == "demo.hex"),
        });
    }
    assert!(!out.is_empty(), "{}: no packets", path.display());
    out
}

/// `v*/*.txt`: `<C|S> <level> <hex>  # <TYPE> ...`.
fn parse_capture(path: &Path) -> Vec<Packet> {
    let text = fs::read_to_string(path).unwrap_or_else(|e| panic!("{}: {e}", path.display()));
    let mut out = Vec::new();
    for (i, line) in text.lines().enumerate() {
        let line = line.trim();
        if line.is_empty() || line.starts_with('#') {
            continue;
        }
        let what = format!("{}:{}", path.display(), i + 1);
        let (data, comment) = line.split_once('#').unwrap_or((line, ""));
        let fields: Vec<&str> = data.split_whitespace().collect();
        let [dir, level, hex] = fields[..] else {
            panic!("{what}: expected `<dir> <level> <hex>`")
        };
        out.push(Packet {
            bytes: hex_bytes(hex, &what),
            kind: type_word(comment).unwrap_or_else(|| panic!("{what}: no packet type")),
            line: i + 1,
            level: level
                .parse()
                .unwrap_or_else(|e| panic!("{what}: level: {e}")),
            client: match dir {
                "C" => true,
                "S" => false,
                _ => panic!("{what}: direction {dir:?}"),
            },
        });
    }
    out
}

/// Writes the packets' bytes, concatenated, to `OUT_DIR/<name>.bin`, and appends to `code`
/// a `pub static <NAME>: &[u8]` for the blob and a `pub static <NAME>_PACKETS: &[Vector]`
/// table (`file` indexes `files`).
fn emit(code: &mut String, out_dir: &Path, name: &str, packets: &[(usize, Packet)]) {
    let mut blob = Vec::new();
    let mut table = String::new();
    for (file, p) in packets {
        writeln!(
            table,
            "    Vector {{ file: {file}, line: {}, level: {}, client: {}, start: {}, len: {}, kind: {:?} }},",
            p.line,
            p.level,
            p.client,
            blob.len(),
            p.bytes.len(),
            p.kind
        )
        .unwrap();
        blob.extend_from_slice(&p.bytes);
    }
    fs::write(out_dir.join(format!("{name}.bin")), &blob).unwrap();
    let upper = name.to_ascii_uppercase();
    writeln!(
        code,
        "pub static {upper}: &[u8] = include_bytes!(concat!(env!(\"OUT_DIR\"), \"/{name}.bin\"));"
    )
    .unwrap();
    writeln!(
        code,
        "pub static {upper}_PACKETS: &[Vector] = &[\n{table}];"
    )
    .unwrap();
}

fn main() {
    let out_dir = PathBuf::from(env::var_os("OUT_DIR").unwrap());
    let manifest = PathBuf::from(env::var_os("CARGO_MANIFEST_DIR").unwrap());

    // The linker script: cortex-m-rt's link.x includes memory.x from the search path.
    fs::copy(manifest.join("memory.x"), out_dir.join("memory.x")).unwrap();
    println!("cargo:rustc-link-search={}", out_dir.display());
    println!("cargo:rerun-if-changed=memory.x");
    println!("cargo:rerun-if-changed=build.rs");

    let testdata = manifest.join("../testdata");
    println!("cargo:rerun-if-changed={}", testdata.display());

    let mut files = vec!["demo.hex".to_string(), "demo_server.hex".to_string()];
    let demo_client: Vec<_> = parse_demo(&testdata.join("demo.hex"))
        .into_iter()
        .map(|p| (0, p))
        .collect();
    let demo_server: Vec<_> = parse_demo(&testdata.join("demo_server.hex"))
        .into_iter()
        .map(|p| (1, p))
        .collect();

    let mut captures = Vec::new();
    for dir in ["v3_1", "v3_1_1", "v5"] {
        let dir_path = testdata.join(dir);
        println!("cargo:rerun-if-changed={}", dir_path.display());
        let mut names: Vec<String> = fs::read_dir(&dir_path)
            .unwrap_or_else(|e| panic!("{}: {e}", dir_path.display()))
            .map(|e| e.unwrap().file_name().into_string().unwrap())
            .filter(|n| n.ends_with(".txt"))
            .collect();
        names.sort();
        for name in names {
            let path = dir_path.join(&name);
            println!("cargo:rerun-if-changed={}", path.display());
            let index = files.len();
            files.push(format!("{dir}/{name}"));
            captures.extend(parse_capture(&path).into_iter().map(|p| (index, p)));
        }
    }
    assert!(
        captures.len() > 500,
        "testdata went missing: {} packets",
        captures.len()
    );

    let max_len = demo_client
        .iter()
        .chain(&demo_server)
        .chain(&captures)
        .map(|(_, p)| p.bytes.len())
        .max()
        .unwrap();

    let mut code = String::from("// Generated by build.rs from ../testdata. Do not edit.\n");
    writeln!(code, "pub static FILES: &[&str] = &{files:?};").unwrap();
    writeln!(code, "/// The longest packet of all the vectors.").unwrap();
    writeln!(code, "pub const MAX_LEN: usize = {max_len};").unwrap();
    emit(&mut code, &out_dir, "demo_client", &demo_client);
    emit(&mut code, &out_dir, "demo_server", &demo_server);
    emit(&mut code, &out_dir, "captures", &captures);
    fs::write(out_dir.join("vectors.rs"), code).unwrap();
}
