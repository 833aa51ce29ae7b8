//! Checks shared by the `spec_v3_*` tests (MQTT 3.1 and 3.1.1, built byte by byte from the
//! specification, never from the encoder's output).
//!
//! - [`valid`]: the DESIGN.md invariants for one hand-written packet and the value it must
//!   decode to.
//! - [`invalid`] / the `invalid!` macro: the exact [`DecodeErrorKind`] and byte offset.
//! - [`encode_fails`]: the exact [`EncodeError`], and nothing written to the buffer.
#![allow(dead_code, unused_macros, unused_imports)]

use mqtt_wire::{
    DecodeErrorKind, DecodeOptions, EncodeError, Packet, Status, Version, decode, decode_frame,
    decode_with, frame,
};

/// Fills output buffers so that any byte written by a failed encode shows.
pub const SENTINEL: u8 = 0xA5;

/// Packets longer than this get a sampled prefix scan instead of every cut (under Miri,
/// about a thousand times slower, every cut only for packets of up to 1 KiB).
const FULL_SCAN_MAX: usize = if cfg!(miri) { 1024 } else { 70_000 };

/// Hex string to bytes (whitespace ignored); the same helper as `tests/common`, included
/// alone so these tests build without the proptest strategies.
#[path = "../common/hex.rs"]
mod hex_digits;
pub use hex_digits::hex;

/// Whether every byte of `buf` is still `SENTINEL`. Compared 4 KiB at a time, as slices:
/// under Miri a byte-by-byte loop costs about a tenth of a millisecond a byte, and the
/// buffers of the longest-string tests are hundreds of kilobytes.
fn untouched(buf: &[u8]) -> bool {
    const FILL: [u8; 4096] = [SENTINEL; 4096];
    buf.chunks(FILL.len()).all(|c| *c == FILL[..c.len()])
}

/// Every invariant for a valid packet: `bytes` (exactly one packet, hand-written from the
/// spec) must decode to `expected` under `version`, and `expected` must encode to `bytes`.
pub fn valid(version: Version, bytes: &[u8], expected: &Packet<'_>) {
    let len = bytes.len();
    let ctx = format!("{version} {:02X?}", &bytes[..len.min(24)]);

    // Decode gives the expected value and consumes every byte.
    assert_eq!(
        decode(bytes, version),
        Ok(Status::Complete((*expected, len))),
        "decode {ctx}"
    );
    // Under Miri a packet over 1 KiB is decoded once and encoded once: the longest-string
    // tests' packets run to 600 KB, each decode validates every string again, and Miri
    // takes about a second per 64 KiB string. The passes below run for every packet
    // natively and for the small ones under Miri.
    let thorough = len <= FULL_SCAN_MAX || !cfg!(miri);
    if thorough {
        other_decoders_agree(version, bytes, expected, &ctx);
    }

    // Encoding the expected value writes exactly the spec bytes, and nothing after them.
    assert_eq!(expected.encoded_len(version), Ok(len), "encoded_len {ctx}");
    let mut buf = vec![SENTINEL; len + 16];
    assert_eq!(expected.encode(version, &mut buf), Ok(len), "encode {ctx}");
    assert!(buf[..len] == *bytes, "encode bytes differ: {ctx}");
    assert!(
        untouched(&buf[len..]),
        "encode wrote past its length: {ctx}"
    );
    if thorough {
        re_encodes(version, bytes, expected, &ctx);
    }

    // Every strict prefix asks for more, never more than the rest of the packet.
    let cuts: Vec<usize> = if len <= FULL_SCAN_MAX {
        (0..len).collect()
    } else {
        (0..16)
            .chain((16..len).step_by(65_537))
            .chain(len - 16..len)
            .collect()
    };
    for cut in cuts {
        match decode(&bytes[..cut], version) {
            Ok(Status::Partial(n)) => {
                assert!(n >= 1, "Partial(0) at cut {cut}: {ctx}");
                assert!(
                    cut + n <= len,
                    "Partial({n}) over-promises at cut {cut}: {ctx}"
                );
            }
            other => panic!("prefix of {cut} bytes gave {other:?}: {ctx}"),
        }
    }
}

/// The rest of [`valid`]'s decoding checks: with a packet after it, through `frame` and
/// `decode_frame`, and against a maximum packet size of its length and one less.
fn other_decoders_agree(version: Version, bytes: &[u8], expected: &Packet<'_>, ctx: &str) {
    let len = bytes.len();
    // A following packet in the same buffer is left alone.
    let mut two = bytes.to_vec();
    two.extend_from_slice(&[0xC0, 0x00]);
    assert_eq!(
        decode(&two, version),
        Ok(Status::Complete((*expected, len))),
        "decode with a PINGREQ after it, {ctx}"
    );
    // The framer agrees on the length, and decode_frame on the value.
    let opts = DecodeOptions::new();
    let Ok(Status::Complete(f)) = frame(bytes, version, &opts) else {
        panic!("frame did not complete: {ctx}");
    };
    assert_eq!(f.len(), len, "frame length {ctx}");
    assert_eq!(f.packet_type, expected.packet_type(), "frame type {ctx}");
    assert_eq!(
        decode_frame(bytes, &f, version, &opts),
        Ok(*expected),
        "decode_frame {ctx}"
    );
    // A maximum packet size equal to the length is enough; one less is not (checked on the
    // fixed header alone, offset 1 = the Remaining Length).
    let exact = DecodeOptions::new().max_packet_size(u32::try_from(len).unwrap());
    assert_eq!(
        decode_with(bytes, version, &exact),
        Ok(Status::Complete((*expected, len))),
        "max_packet_size = len, {ctx}"
    );
    let below = DecodeOptions::new().max_packet_size(u32::try_from(len - 1).unwrap());
    let err = decode_with(bytes, version, &below).unwrap_err();
    assert_eq!(
        (err.kind(), err.offset()),
        (DecodeErrorKind::PacketTooLarge, 1),
        "max_packet_size = len - 1, {ctx}"
    );
}

/// The rest of [`valid`]'s encoding checks: the decoded value (lists backed by wire bytes)
/// re-encodes to the same bytes, and a buffer one byte short is refused untouched.
fn re_encodes(version: Version, bytes: &[u8], expected: &Packet<'_>, ctx: &str) {
    let len = bytes.len();
    // The decoded value (lists backed by wire bytes) re-encodes to the same bytes too.
    let Ok(Status::Complete((decoded, _))) = decode(bytes, version) else {
        unreachable!()
    };
    assert_eq!(
        decoded.encoded_len(version),
        Ok(len),
        "re-encoded_len {ctx}"
    );
    let mut again = vec![SENTINEL; len];
    assert_eq!(
        decoded.encode(version, &mut again),
        Ok(len),
        "re-encode {ctx}"
    );
    assert!(again == *bytes, "re-encode bytes differ: {ctx}");

    // One byte too short: BufferTooSmall with the full length, buffer untouched.
    let mut small = vec![SENTINEL; len - 1];
    assert_eq!(
        expected.encode(version, &mut small),
        Err(EncodeError::BufferTooSmall { needed: len }),
        "encode into len - 1, {ctx}"
    );
    assert!(untouched(&small), "failed encode wrote bytes: {ctx}");
}

/// `bytes` must fail to decode under `version` with `kind` at byte `offset`; every prefix
/// is either `Partial` (never over-promising) or the same error; the framer plus
/// `decode_frame` path reports the same error.
#[track_caller]
pub fn invalid(version: Version, bytes: &[u8], kind: DecodeErrorKind, offset: usize) {
    let ctx = format!("{version} {bytes:02X?}");
    let err = match decode(bytes, version) {
        Err(e) => e,
        Ok(other) => panic!("expected {kind:?} @ {offset}, got {other:?}: {ctx}"),
    };
    assert_eq!(
        (err.kind(), err.offset()),
        (kind, offset),
        "kind and offset: {ctx}"
    );
    assert!(err.offset() <= bytes.len(), "offset past the input: {ctx}");
    for cut in 0..bytes.len() {
        match decode(&bytes[..cut], version) {
            Ok(Status::Partial(n)) => {
                assert!(
                    n >= 1 && cut + n <= bytes.len(),
                    "prefix {cut}: Partial({n}): {ctx}"
                );
            }
            Err(e) => assert_eq!(e, err, "prefix {cut} fails differently: {ctx}"),
            Ok(Status::Complete(p)) => panic!("prefix {cut} decodes to {p:?}: {ctx}"),
        }
    }
    let opts = DecodeOptions::new();
    match frame(bytes, version, &opts) {
        Err(e) => assert_eq!(e, err, "frame: {ctx}"),
        Ok(Status::Complete(f)) => {
            assert_eq!(
                decode_frame(bytes, &f, version, &opts),
                Err(err),
                "decode_frame: {ctx}"
            );
        }
        Ok(Status::Partial(n)) => panic!("frame is Partial({n}) on input decode refuses: {ctx}"),
    }
}

/// Encoding `packet` under `version` must fail with `expected` — from `encoded_len` too, and
/// before the buffer size matters — and leave the buffer untouched.
#[track_caller]
pub fn encode_fails(version: Version, packet: &Packet<'_>, expected: EncodeError) {
    assert_eq!(packet.encoded_len(version), Err(expected), "encoded_len");
    // Room for any packet these tests build (under Miri, whose every byte check costs about
    // a microsecond, 4 KiB: validation fails before the size matters, as checked below).
    let mut buf = vec![SENTINEL; if cfg!(miri) { 1 << 12 } else { 1 << 18 }];
    assert_eq!(packet.encode(version, &mut buf), Err(expected), "encode");
    assert!(untouched(&buf), "a failed encode wrote to the buffer");
    assert_eq!(
        packet.encode(version, &mut []),
        Err(expected),
        "validation comes before the buffer size check"
    );
}

/// `invalid!(test_name, V3_1_1, "36 03 00 01 61" => InvalidQoS @ 0);` — one `#[test]`
/// asserting the decode error kind and offset (doc comments before the name are kept).
macro_rules! invalid {
    ($(#[$meta:meta])* $name:ident, $version:ident, $hex:expr => $kind:ident @ $offset:expr) => {
        $(#[$meta])*
        #[test]
        fn $name() {
            crate::spec_v3_common::invalid(
                mqtt_wire::Version::$version,
                &crate::spec_v3_common::hex($hex),
                mqtt_wire::DecodeErrorKind::$kind,
                $offset,
            );
        }
    };
    ($(#[$meta:meta])* $name:ident, $version:ident, $hex:expr => $kind:ident($arg:ident) @ $offset:expr) => {
        $(#[$meta])*
        #[test]
        fn $name() {
            crate::spec_v3_common::invalid(
                mqtt_wire::Version::$version,
                &crate::spec_v3_common::hex($hex),
                mqtt_wire::DecodeErrorKind::$kind(mqtt_wire::Version::$arg),
                $offset,
            );
        }
    };
}
