//! Rules next to decoder lines that `tools/coverage.sh --missing` showed unreached.

use mqtt_wire::{DecodeErrorKind, DecodeOptions, Status, Version, decode, decode_frame, frame};

/// MQTT 5.0 §3.15.2.2.1: the Reason Code of AUTH may be omitted only together with the
/// Property Length (Remaining Length 0); a Remaining Length of 1 is malformed, and the
/// error points at the Remaining Length field. (The fixed-header length bounds refuse it
/// before the body is decoded, so the AUTH check in src/packet/ack.rs stays unreached.)
#[test]
fn v5_auth_with_reason_code_only_is_malformed() {
    let err = decode(&[0xF0, 0x01, 0x00], Version::V5).unwrap_err();
    assert_eq!(
        (err.kind(), err.offset()),
        (DecodeErrorKind::InvalidRemainingLength, 1)
    );
}

/// `decode_frame` documents `Truncated` when `buf` is shorter than the frame it is given
/// (src/entry.rs): a caller that frames one buffer and then passes a shorter one gets an
/// error at the end of what it passed, not a panic or a read past it.
#[test]
fn decode_frame_with_a_buffer_shorter_than_the_frame_is_truncated() {
    let opts = DecodeOptions::new();
    let puback = [0x40, 0x02, 0x00, 0x01];
    let Ok(Status::Complete(f)) = frame(&puback, Version::V3_1_1, &opts) else {
        panic!("PUBACK frames")
    };
    let err = decode_frame(&puback[..3], &f, Version::V3_1_1, &opts).unwrap_err();
    assert_eq!((err.kind(), err.offset()), (DecodeErrorKind::Truncated, 3));
}

/// The same when the frame belongs to other bytes: `buf` holds `frame.len()` bytes, but
/// they are the start of a longer packet, so decoding them is incomplete (src/entry.rs).
#[test]
fn decode_frame_with_a_frame_of_other_bytes_is_truncated() {
    let opts = DecodeOptions::new();
    let Ok(Status::Complete(f)) = frame(&[0x40, 0x02, 0x00, 0x01], Version::V3_1_1, &opts) else {
        panic!("PUBACK frames")
    };
    // A PUBLISH whose Remaining Length says 5: its first 4 bytes are not a whole packet.
    let publish = [0x30, 0x05, 0x00, 0x01, 0x61, 0x62, 0x63];
    let err = decode_frame(&publish, &f, Version::V3_1_1, &opts).unwrap_err();
    assert_eq!((err.kind(), err.offset()), (DecodeErrorKind::Truncated, 4));
}
