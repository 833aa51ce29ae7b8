//! Rules next to decoder lines that `tools/coverage.sh --missing` showed unreached.

use mqtt_wire::{DecodeErrorKind, Version, decode};

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
