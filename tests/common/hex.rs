//! Hex text to bytes, shared by the integration tests (included with `#[path]`).

/// Decodes a hex string (whitespace ignored).
pub fn hex(s: &str) -> Vec<u8> {
    // Two digits a step and no intermediate buffer: the captured traffic is about 71,000
    // hex digits, and under Miri every interpreted step counts.
    let nibble = |c: u8| match c {
        b'0'..=b'9' => c - b'0',
        b'a'..=b'f' => c - b'a' + 10,
        b'A'..=b'F' => c - b'A' + 10,
        _ => panic!("not a hex digit: {:?} in {s:?}", char::from(c)),
    };
    let mut out = Vec::with_capacity(s.len() / 2);
    let mut spaced = Vec::new();
    let digits = if s.bytes().any(|b| b.is_ascii_whitespace()) {
        spaced.extend(s.bytes().filter(|b| !b.is_ascii_whitespace()));
        &spaced[..]
    } else {
        s.as_bytes()
    };
    let pairs = digits.chunks_exact(2);
    assert!(
        pairs.remainder().is_empty(),
        "odd number of hex digits in {s:?}"
    );
    for pair in pairs {
        out.push((nibble(pair[0]) << 4) | nibble(pair[1]));
    }
    out
}
