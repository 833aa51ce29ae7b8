//! The Remaining Length each packet type can have, per protocol version, checked by
//! `frame()` on the fixed header alone, before any body has arrived.
//!
//! The table below is written from the specifications, independently of `src/header.rs`:
//! the smallest body of each type is the sum of its mandatory fields.
//!
//! MQTT 3.1 / 3.1.1 (§3.x.1 and the field rules):
//! - CONNECT: any version's smallest, since CONNECT names its own version: protocol name
//!   `MQTT` (2 + 4), level, flags, Keep Alive (2), empty Client Identifier (2) = 12.
//! - CONNACK: exactly 2 (§3.2.1). PUBACK, PUBREC, PUBREL, PUBCOMP, UNSUBACK: exactly 2.
//! - PUBLISH: topic length + a 1-byte topic (MQTT-4.7.3-1) = 3; QoS 1/2 add the Packet
//!   Identifier (MQTT-2.3.1-5): 5.
//! - SUBSCRIBE: Packet Identifier + one 1-byte filter + QoS (MQTT-3.8.3-3) = 6.
//! - SUBACK: Packet Identifier + one return code (MQTT-3.9.3-1... one per filter) = 3.
//! - UNSUBSCRIBE: Packet Identifier + one 1-byte filter (MQTT-3.10.3-2) = 5.
//! - PINGREQ, PINGRESP, DISCONNECT: exactly 0 (§3.12.1, §3.13.1, §3.14.1).
//!
//! MQTT 5.0:
//! - CONNECT 12 (as above); CONNACK ≥ 3 (flags, code, Property Length, §3.2.2.3.1).
//! - PUBLISH: topic length, empty topic, Property Length = 3 (+2 for QoS 1/2). That body is
//!   complete and breaks only a Protocol Error rule (an empty topic needs a Topic Alias,
//!   §3.3.2.1, answered 0x82), so the body rule answers it; the smallest valid is 4 (+2).
//! - PUBACK, PUBREC, PUBREL, PUBCOMP ≥ 2 (short form, §3.4.2.1).
//! - SUBSCRIBE, UNSUBSCRIBE ≥ 3: Packet Identifier and Property Length, no payload, which
//!   is a Protocol Error (MQTT-3.8.3-2, MQTT-3.10.3-2) the body rule answers; smallest valid
//!   7 and 6.
//! - SUBACK, UNSUBACK ≥ 4: Packet Identifier, Property Length, one reason code
//!   (MQTT-3.9.3-1, MQTT-3.11.3-1).
//! - PINGREQ, PINGRESP = 0; DISCONNECT ≥ 0 (§3.14.2.1); AUTH 0 or ≥ 2 (§3.15.2.1,
//!   §3.15.2.2.1: no 1-byte form).
//!
//! Below the minimum (or above a fixed size) `frame()` refuses at offset 1 with
//! `InvalidRemainingLength`, or with `WrongProtocolVersion(other)` when a valid packet of
//! the type could have that length in the other version (3.x ↔ 5.0).

use mqtt_wire::{DecodeErrorKind as K, DecodeOptions, PacketType, ReasonCode, Status, Version};
use mqtt_wire::{decode, decode_with, frame};

const ANY: usize = 268_435_455;

/// (first byte, type, 3.x (min, valid min, max), 5.0 (min, valid min, max)); `None`: no such
/// packet in that version.
type Range = Option<(usize, usize, usize)>;

const fn at_least(n: usize) -> Range {
    Some((n, n, ANY))
}
const fn exactly(n: usize) -> Range {
    Some((n, n, n))
}

fn table() -> Vec<(u8, PacketType, Range, Range)> {
    use PacketType as T;
    vec![
        (0x10, T::Connect, at_least(12), at_least(12)),
        (0x20, T::ConnAck, exactly(2), at_least(3)),
        (0x30, T::Publish, at_least(3), Some((3, 4, ANY))),
        (0x31, T::Publish, at_least(3), Some((3, 4, ANY))), // RETAIN
        (0x32, T::Publish, at_least(5), Some((5, 6, ANY))), // QoS 1
        (0x3A, T::Publish, at_least(5), Some((5, 6, ANY))), // QoS 1, DUP
        (0x34, T::Publish, at_least(5), Some((5, 6, ANY))), // QoS 2
        (0x40, T::PubAck, exactly(2), at_least(2)),
        (0x50, T::PubRec, exactly(2), at_least(2)),
        (0x62, T::PubRel, exactly(2), at_least(2)),
        (0x70, T::PubComp, exactly(2), at_least(2)),
        (0x82, T::Subscribe, at_least(6), Some((3, 7, ANY))),
        (0x90, T::SubAck, at_least(3), at_least(4)),
        (0xA2, T::Unsubscribe, at_least(5), Some((3, 6, ANY))),
        (0xB0, T::UnsubAck, exactly(2), at_least(4)),
        (0xC0, T::PingReq, exactly(0), exactly(0)),
        (0xD0, T::PingResp, exactly(0), exactly(0)),
        (0xE0, T::Disconnect, exactly(0), at_least(0)),
        (0xF0, T::Auth, None, Some((2, 2, ANY))),
    ]
}

fn range(row: &(u8, PacketType, Range, Range), v: Version) -> Range {
    if v.is_v5() { row.3 } else { row.2 }
}

/// The Remaining Length as a Variable Byte Integer.
fn varint(mut n: usize) -> Vec<u8> {
    let mut out = Vec::new();
    loop {
        let mut b = (n % 128) as u8;
        n /= 128;
        if n > 0 {
            b |= 0x80;
        }
        out.push(b);
        if n == 0 {
            return out;
        }
    }
}

fn header(first: u8, len: usize) -> Vec<u8> {
    let mut h = vec![first];
    h.extend(varint(len));
    h
}

fn other(v: Version) -> Version {
    if v.is_v5() {
        Version::V3_1_1
    } else {
        Version::V5
    }
}

/// Whether `len` is allowed for the row in `v`: to be read (`valid` false), or as the length
/// of a valid packet (`valid` true).
fn allowed(row: &(u8, PacketType, Range, Range), v: Version, len: usize, valid: bool) -> bool {
    match range(row, v) {
        None => false,
        Some((min, valid_min, max)) => {
            let auth_empty = row.1 == PacketType::Auth && len == 0;
            auth_empty || (len >= if valid { valid_min } else { min } && len <= max)
        }
    }
}

/// The error `frame()` must give for a refused `len`.
fn expected_kind(row: &(u8, PacketType, Range, Range), v: Version, len: usize) -> K {
    if allowed(row, other(v), len, true) {
        K::WrongProtocolVersion(other(v))
    } else {
        K::InvalidRemainingLength
    }
}

#[track_caller]
fn refused(v: Version, first: u8, len: usize, kind: K) {
    let opts = DecodeOptions::new();
    let h = header(first, len);
    let ctx = format!("{v} {first:02X} len {len}");
    let e = frame(&h, v, &opts).unwrap_err();
    assert_eq!((e.kind(), e.offset()), (kind, 1), "frame {ctx}");
    assert_eq!(e.reason_code(), ReasonCode::MalformedPacket, "{ctx}");
    // decode gives the same error, with the header alone or with a body of that length.
    assert_eq!(decode(&h, v).unwrap_err(), e, "decode header {ctx}");
    if len < 1000 {
        let mut whole = h.clone();
        whole.resize(h.len() + len, 0);
        assert_eq!(decode(&whole, v).unwrap_err(), e, "decode whole {ctx}");
    }
}

#[track_caller]
fn accepted(v: Version, first: u8, len: usize) {
    let opts = DecodeOptions::new();
    let h = header(first, len);
    let ctx = format!("{v} {first:02X} len {len}");
    if len > 0 {
        assert_eq!(frame(&h, v, &opts), Ok(Status::Partial(len)), "{ctx}");
    }
    let mut whole = h.clone();
    whole.resize(h.len() + len, 0);
    let Ok(Status::Complete(f)) = frame(&whole, v, &opts) else {
        panic!("frame did not complete: {ctx}");
    };
    assert_eq!((f.remaining_len, f.header_len), (len, h.len()), "{ctx}");
}

/// Every packet type in every version: refused at the header at min - 1 (and above a fixed
/// size), accepted by `frame()` at the minimum (and, for fixed sizes, at that size only).
/// MQTT-3.8.3-3, MQTT-3.10.3-2, MQTT-4.7.3-1, MQTT-2.3.1-5 give the 3.1.1 minimums,
/// MQTT-3.8.3-2, MQTT-3.10.3-2, MQTT-3.9.3-1, MQTT-3.11.3-1 the 5.0 ones.
#[test]
fn every_type_and_version_at_the_minimum_and_one_below() {
    for v in Version::ALL {
        for row in table() {
            let (first, ty, ..) = row;
            let Some((min, _, max)) = range(&row, v) else {
                // AUTH under 3.x: the type itself is refused, at offset 0.
                let e = frame(&[first, 0], v, &DecodeOptions::new()).unwrap_err();
                assert_eq!(
                    (e.kind(), e.offset()),
                    (K::WrongProtocolVersion(Version::V5), 0)
                );
                continue;
            };
            accepted(v, first, min);
            if min > 0 {
                let below = min - 1;
                if !(ty == PacketType::Auth && below == 0) {
                    refused(v, first, below, expected_kind(&row, v, below));
                }
            }
            if max < ANY {
                refused(v, first, max + 1, expected_kind(&row, v, max + 1));
                refused(v, first, ANY, expected_kind(&row, v, ANY));
            } else {
                accepted(v, first, min + 1);
                accepted(v, first, 127);
                accepted(v, first, 128);
                assert_eq!(
                    frame(&header(first, ANY), v, &DecodeOptions::new()),
                    Ok(Status::Partial(ANY)),
                    "{v} {first:02X}"
                );
            }
            // Every length from 0 to 20 agrees with the table.
            for len in 0..=20 {
                if allowed(&row, v, len, false) {
                    accepted(v, first, len);
                } else {
                    refused(v, first, len, expected_kind(&row, v, len));
                }
            }
        }
    }
    // AUTH: 0 (short form) and 2 are fine, 1 is not.
    accepted(Version::V5, 0xF0, 0);
    refused(Version::V5, 0xF0, 1, K::InvalidRemainingLength);
}

/// The hostile inputs of the issue: under 3.1 and 3.1.1, packets whose body has a fixed
/// size announcing 268,435,455 bytes are refused at once instead of `Partial(268435455)`.
/// 5.0 packets of these types may be that long, so the hint names 5.0 (except PINGREQ and
/// PINGRESP, empty in every version).
#[test]
fn fixed_size_3_x_bodies_announcing_the_largest_length_are_refused() {
    let v5 = K::WrongProtocolVersion(Version::V5);
    for v in [Version::V3_1, Version::V3_1_1] {
        for (bytes, kind) in [
            ("e0 ff ff ff 7f", v5),                        // DISCONNECT
            ("40 ff ff ff 7f", v5),                        // PUBACK
            ("50 ff ff ff 7f", v5),                        // PUBREC
            ("62 ff ff ff 7f", v5),                        // PUBREL
            ("70 ff ff ff 7f", v5),                        // PUBCOMP
            ("b0 ff ff ff 7f", v5),                        // UNSUBACK
            ("20 ff ff ff 7f", v5),                        // CONNACK
            ("c0 ff ff ff 7f", K::InvalidRemainingLength), // PINGREQ
            ("d0 ff ff ff 7f", K::InvalidRemainingLength), // PINGRESP
        ] {
            let h = hex(bytes);
            let e = frame(&h, v, &DecodeOptions::new()).unwrap_err();
            assert_eq!((e.kind(), e.offset()), (kind, 1), "{v} {bytes}");
        }
    }
    // Under 5.0 the same headers are the start of a (large) packet, except the pings.
    for bytes in [
        "e0 ff ff ff 7f",
        "40 ff ff ff 7f",
        "20 ff ff ff 7f",
        "b0 ff ff ff 7f",
    ] {
        assert_eq!(
            frame(&hex(bytes), Version::V5, &DecodeOptions::new()),
            Ok(Status::Partial(ANY)),
            "{bytes}"
        );
    }
}

/// A 4-byte Remaining Length against a small maximum packet size is refused by `frame()`
/// from the fixed header alone (MQTT 5.0 §3.1.2.11.4: the receiver's Maximum Packet Size),
/// for every type that may be that long.
#[test]
fn four_byte_remaining_length_against_a_small_maximum_packet_size() {
    let opts = DecodeOptions::new().max_packet_size(1024);
    for v in Version::ALL {
        for first in [0x10, 0x30, 0x32, 0x82, 0x90, 0xA2] {
            for len in [ANY, 2_097_152, 16_384] {
                let h = header(first, len);
                assert_eq!(h.len(), if len >= 2_097_152 { 5 } else { 4 });
                let e = frame(&h, v, &opts).unwrap_err();
                assert_eq!(
                    (e.kind(), e.offset()),
                    (K::PacketTooLarge, 1),
                    "{v} {first:02X} {len}"
                );
                assert_eq!(decode_with(&h, v, &opts).unwrap_err(), e);
            }
        }
        // With the limit just met, the same header waits for its body.
        let h = header(0x30, 1019);
        assert_eq!(h.len(), 3);
        let limit = DecodeOptions::new().max_packet_size(1022);
        assert_eq!(frame(&h, v, &limit), Ok(Status::Partial(1019)));
    }
}

fn hex(s: &str) -> Vec<u8> {
    s.split_whitespace()
        .map(|b| u8::from_str_radix(b, 16).unwrap())
        .collect()
}
