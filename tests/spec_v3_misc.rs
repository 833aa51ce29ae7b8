//! PINGREQ (§3.12), PINGRESP (§3.13), DISCONNECT (§3.14) under MQTT 3.1.1 and 3.1, and the
//! rules every packet shares: the fixed header (§2.2: packet type, flags, Remaining Length),
//! partial input, the receiver's maximum packet size, the UTF-8 policy, and 5.0-only packets.

#[macro_use]
mod spec_v3_common;

use mqtt_wire::{
    Auth, DecodeErrorKind, DecodeOptions, Disconnect, EncodeError, Packet, Properties, Property,
    Publish, ReasonCode, Status, TailForm, Utf8Policy, Version, decode, decode_with, frame,
};
use spec_v3_common::{encode_fails, hex, invalid, valid};

const V3: [Version; 2] = [Version::V3_1, Version::V3_1_1];

// ---- PINGREQ, PINGRESP, DISCONNECT ----------------------------------------------------------

#[test]
fn pingreq_pingresp_disconnect() {
    for v in V3 {
        valid(v, &hex("C0 00"), &Packet::PingReq); // PINGREQ, Remaining Length 0
        valid(v, &hex("D0 00"), &Packet::PingResp); // PINGRESP, Remaining Length 0
        valid(v, &hex("E0 00"), &Packet::Disconnect(Disconnect::new())); // DISCONNECT
    }
}

invalid!(
    /// §3.12.1: PINGREQ has Remaining Length 0.
    pingreq_remaining_length_1, V3_1_1, "C0 01 00" => InvalidRemainingLength @ 1);
invalid!(
    /// §3.12.1: PINGREQ with Remaining Length 2.
    pingreq_remaining_length_2, V3_1_1, "C0 02 00 00" => InvalidRemainingLength @ 1);
invalid!(
    /// §3.13.1: PINGRESP has Remaining Length 0.
    pingresp_remaining_length_1, V3_1_1, "D0 01 00" => InvalidRemainingLength @ 1);
invalid!(
    /// §3.14.1: DISCONNECT has Remaining Length 0 in 3.x, refused at the header; a 5.0
    /// DISCONNECT may be longer, so the header names the likely mix-up (whatever the body:
    /// 0xFF is no 5.0 reason code).
    disconnect_remaining_length_1, V3_1_1, "E0 01 FF" => WrongProtocolVersion(V5) @ 1);
invalid!(
    /// §3.14.1: DISCONNECT with Remaining Length 2.
    disconnect_remaining_length_2, V3_1_1, "E0 02 FF 00" => WrongProtocolVersion(V5) @ 1);
invalid!(
    /// 3.1: PINGREQ has no body.
    v3_1_pingreq_remaining_length_1, V3_1, "C0 01 00" => InvalidRemainingLength @ 1);
invalid!(
    /// 3.1: PINGRESP has no body.
    v3_1_pingresp_remaining_length_1, V3_1, "D0 01 00" => InvalidRemainingLength @ 1);
invalid!(
    /// 3.1: DISCONNECT has no body.
    v3_1_disconnect_remaining_length_1, V3_1, "E0 01 FF" => WrongProtocolVersion(V5) @ 1);

/// A 3.x DISCONNECT has no reason code and no properties.
#[test]
fn encode_disconnect_v5_parts_not_in_3x() {
    let props = [Property::SessionExpiryInterval(0)];
    let cases = [
        Disconnect {
            reason_code: ReasonCode::DisconnectWithWillMessage,
            ..Disconnect::new()
        },
        Disconnect {
            reason_code: ReasonCode::ServerShuttingDown,
            ..Disconnect::new()
        },
        Disconnect {
            properties: Properties::new(&props),
            ..Disconnect::new()
        },
        Disconnect {
            form: TailForm::ReasonCode,
            ..Disconnect::new()
        },
        Disconnect {
            form: TailForm::Full,
            ..Disconnect::new()
        },
    ];
    for v in V3 {
        for d in cases {
            encode_fails(
                v,
                &Packet::Disconnect(d),
                EncodeError::NotInVersion(disconnect_field(&d)),
            );
        }
    }
}

/// AUTH (type 15) exists only in 5.0.
#[test]
fn encode_auth_not_in_3x() {
    let props = [Property::AuthenticationMethod("SCRAM-SHA-1")];
    let with_method = Auth {
        reason_code: ReasonCode::ContinueAuthentication,
        properties: Properties::new(&props),
        ..Auth::new()
    };
    for v in V3 {
        encode_fails(
            v,
            &Packet::Auth(Auth::new()),
            EncodeError::NotInVersion(mqtt_wire::Field::Auth),
        );
        encode_fails(
            v,
            &Packet::Auth(with_method),
            EncodeError::NotInVersion(mqtt_wire::Field::Auth),
        );
    }
}

// ---- fixed header: packet type and flags (§2.2.1, §2.2.2) ----------------------------------

/// MQTT-2.2.2-1 / MQTT-2.2.2-2: every non-PUBLISH type has fixed flags (0010 for PUBREL,
/// SUBSCRIBE, UNSUBSCRIBE; 0000 otherwise). Any other value is refused at byte 0, as soon as
/// that byte has arrived. MQTT 3.1 also allows DUP (1010) on PUBREL, SUBSCRIBE and
/// UNSUBSCRIBE (3.1 §2.1; see `v3_1_dup_on_pubrel_subscribe_unsubscribe`).
#[test]
fn mqtt_2_2_2_1_reserved_flags_every_type() {
    // (type, required flags); PUBLISH (3) has DUP/QoS/RETAIN instead.
    let types = [
        (1u8, 0b0000u8), // CONNECT
        (2, 0b0000),     // CONNACK
        (4, 0b0000),     // PUBACK
        (5, 0b0000),     // PUBREC
        (6, 0b0010),     // PUBREL (MQTT-3.6.1-1)
        (7, 0b0000),     // PUBCOMP
        (8, 0b0010),     // SUBSCRIBE (MQTT-3.8.1-1)
        (9, 0b0000),     // SUBACK
        (10, 0b0010),    // UNSUBSCRIBE (MQTT-3.10.1-1)
        (11, 0b0000),    // UNSUBACK
        (12, 0b0000),    // PINGREQ
        (13, 0b0000),    // PINGRESP
        (14, 0b0000),    // DISCONNECT
    ];
    let mut checked = 0;
    for v in V3 {
        for (ty, required) in types {
            let v3_1_dup = |f: u8| v == Version::V3_1 && required == 0b0010 && f == 0b1010;
            for flags in (0..16u8).filter(|&f| f != required && !v3_1_dup(f)) {
                let first = (ty << 4) | flags;
                invalid(v, &[first, 0x00], DecodeErrorKind::ReservedFlags, 0);
                let err = decode(&[first], v).unwrap_err();
                assert_eq!(
                    (err.kind(), err.offset()),
                    (DecodeErrorKind::ReservedFlags, 0),
                    "{first:02X} alone"
                );
                checked += 1;
            }
        }
    }
    assert_eq!(checked, 2 * 13 * 15 - 3);
}

/// §2.2.1: packet type 0 is reserved (forbidden) in every version.
#[test]
fn packet_type_0_is_invalid() {
    for v in V3 {
        for flags in 0..16u8 {
            invalid(v, &[flags, 0x00], DecodeErrorKind::InvalidPacketType, 0);
        }
    }
}

/// §2.2.1: type 15 is reserved in 3.1 and 3.1.1 (AUTH exists only in 5.0). With flags other
/// than 0000 it is not even a 5.0 AUTH.
#[test]
fn packet_type_15_is_invalid_in_3x() {
    for v in V3 {
        for flags in 1..16u8 {
            invalid(
                v,
                &[0xF0 | flags, 0x00],
                DecodeErrorKind::InvalidPacketType,
                0,
            );
        }
    }
}

/// `F0 00` is an empty 5.0 AUTH: refused at byte 0 in 3.x, either as a reserved packet type
/// or with the friendlier diagnosis that the peer speaks 5.0.
#[test]
fn auth_packet_is_refused_in_3x() {
    for v in V3 {
        for bytes in [&[0xF0u8, 0x00][..], &[0xF0]] {
            let err = decode(bytes, v).unwrap_err();
            let kind = format!("{:?}", err.kind());
            assert!(
                kind == "InvalidPacketType" || kind.starts_with("WrongProtocolVersion"),
                "{v} {bytes:02X?}: {kind}"
            );
            assert_eq!(err.offset(), 0);
        }
    }
}

// ---- Remaining Length (§2.2.3) -------------------------------------------------------------

/// A QoS 0 PUBLISH to "t" whose Remaining Length is `rl`, with its hand-written fixed header.
fn publish_with_remaining_length(header: &str, rl: usize) -> (Vec<u8>, Vec<u8>) {
    let payload: Vec<u8> = (0..rl - 3).map(|i| (i % 251) as u8).collect();
    let mut bytes = hex(header);
    bytes.extend_from_slice(&[0x00, 0x01, b't']); // topic "t"
    bytes.extend_from_slice(&payload);
    (bytes, payload)
}

/// §2.2.3 Table 2.4: the one/two/three/four-byte boundaries of the Remaining Length.
#[test]
fn remaining_length_boundaries_round_trip() {
    for (header, rl) in [
        ("30 7F", 127),                // largest 1-byte length
        ("30 80 01", 128),             // smallest 2-byte length
        ("30 FF 7F", 16_383),          // largest 2-byte length
        ("30 80 80 01", 16_384),       // smallest 3-byte length
        ("30 FF FF 7F", 2_097_151),    // largest 3-byte length
        ("30 80 80 80 01", 2_097_152), // smallest 4-byte length
    ]
    .into_iter()
    // Under Miri (about a thousand times slower) the 2 MiB packets would take most of an
    // hour; the 1- and 2-byte boundaries still run there, all six natively.
    .filter(|&(_, rl)| !cfg!(miri) || rl <= 16_384)
    {
        let (bytes, payload) = publish_with_remaining_length(header, rl);
        assert_eq!(bytes.len(), hex(header).len() + rl);
        for v in V3 {
            valid(v, &bytes, &Packet::Publish(Publish::new("t", &payload)));
        }
    }
}

/// 268,435,455 (`FF FF FF 7F`) is the largest Remaining Length: the framer accepts it and
/// asks for exactly the missing bytes (no need to allocate them).
#[test]
fn largest_remaining_length_is_announced_exactly() {
    let opts = DecodeOptions::new();
    for v in V3 {
        assert_eq!(
            decode(&hex("30 FF FF FF 7F"), v),
            Ok(Status::Partial(268_435_455))
        );
        assert_eq!(
            decode(&hex("30 FF FF FF 7F 00 01 74"), v),
            Ok(Status::Partial(268_435_452))
        );
        assert_eq!(
            frame(&hex("30 FF FF FF 7F"), v, &opts),
            Ok(Status::Partial(268_435_455))
        );
        // The smallest 4-byte value too.
        assert_eq!(
            decode(&hex("30 80 80 80 01"), v),
            Ok(Status::Partial(2_097_152))
        );
    }
}

invalid!(
    /// MQTT-1.5.5-1 (applied to 3.x for a canonical decode): 0 in two bytes (`80 00`).
    non_minimal_remaining_length_pingreq, V3_1_1, "C0 80 00" => NonMinimalVarInt @ 2);
invalid!(
    /// 3 in two bytes (`83 00`).
    non_minimal_remaining_length_two_bytes, V3_1_1, "30 83 00 00 01 74" => NonMinimalVarInt @ 2);
invalid!(
    /// 127 in three bytes (`FF 80 00`).
    non_minimal_remaining_length_three_bytes, V3_1_1, "30 FF 80 00" => NonMinimalVarInt @ 3);
invalid!(
    /// 0 in four bytes (`80 80 80 00`).
    non_minimal_remaining_length_four_bytes, V3_1_1, "D0 80 80 80 00" => NonMinimalVarInt @ 4);
invalid!(
    /// Non-minimal Remaining Length under 3.1.
    v3_1_non_minimal_remaining_length, V3_1, "C0 80 00" => NonMinimalVarInt @ 2);
invalid!(
    /// §2.2.3: at most four bytes; the fourth has its continuation bit set (`FF FF FF FF 7F`).
    five_byte_remaining_length, V3_1_1, "30 FF FF FF FF 7F" => VarIntTooLong @ 4);
invalid!(
    /// §2.2.3: `80 80 80 80 01` (a 5-byte 268,435,456).
    five_byte_remaining_length_268435456, V3_1_1, "30 80 80 80 80 01" => VarIntTooLong @ 4);
invalid!(
    /// A 5-byte Remaining Length under 3.1.
    v3_1_five_byte_remaining_length, V3_1, "C0 FF FF FF FF 01" => VarIntTooLong @ 4);

/// Before the Remaining Length is complete, the count is a lower bound (1 or 2); once it is,
/// it is exact.
#[test]
fn partial_counts_in_the_fixed_header() {
    for v in V3 {
        let cases: [(&str, usize); 7] = [
            ("", 2),               // nothing yet: at least a 2-byte fixed header
            ("30", 1),             // type, no length
            ("30 80", 1),          // length continues
            ("30 80 80", 1),       // length continues
            ("30 80 80 80", 1),    // length continues (the 4th byte ends it)
            ("30 05", 5),          // length 5, no body yet
            ("30 05 00 01 74", 2), // 3 of 5 body bytes
        ];
        for (input, needed) in cases {
            assert_eq!(
                decode(&hex(input), v),
                Ok(Status::Partial(needed)),
                "{v} {input:?}"
            );
        }
    }
}

// ---- maximum packet size ----------------------------------------------------------------------

/// The receiver's limit is checked right after the fixed header: the body never has to arrive.
#[test]
fn max_packet_size_refused_after_the_fixed_header() {
    for v in V3 {
        // PUBLISH announcing 128 bytes of body: 131 bytes in all.
        let header = hex("30 80 01");
        for max in [3, 64, 130] {
            let opts = DecodeOptions::new().max_packet_size(max);
            let err = decode_with(&header, v, &opts).unwrap_err();
            assert_eq!(
                (err.kind(), err.offset()),
                (DecodeErrorKind::PacketTooLarge, 1),
                "max {max}"
            );
            let err = frame(&header, v, &opts).unwrap_err();
            assert_eq!(
                (err.kind(), err.offset()),
                (DecodeErrorKind::PacketTooLarge, 1)
            );
        }
        let exact = DecodeOptions::new().max_packet_size(131);
        assert_eq!(decode_with(&header, v, &exact), Ok(Status::Partial(128)));
        // A CONNECT announcing 16,383 bytes, refused by a 1 KiB limit before its body.
        let opts = DecodeOptions::new().max_packet_size(1024);
        let err = decode_with(&hex("10 FF 7F"), v, &opts).unwrap_err();
        assert_eq!(
            (err.kind(), err.offset()),
            (DecodeErrorKind::PacketTooLarge, 1)
        );
        // The largest Remaining Length against a limit one byte short of it.
        let opts = DecodeOptions::new().max_packet_size(268_435_459);
        let err = decode_with(&hex("30 FF FF FF 7F"), v, &opts).unwrap_err();
        assert_eq!(err.kind(), DecodeErrorKind::PacketTooLarge);
        let opts = DecodeOptions::new().max_packet_size(268_435_460);
        assert_eq!(
            decode_with(&hex("30 FF FF FF 7F"), v, &opts),
            Ok(Status::Partial(268_435_455))
        );
    }
}

// ---- UTF-8 policy (§1.5.3) ------------------------------------------------------------------

/// §1.5.3: control characters and non-characters SHOULD NOT be sent, and a receiver MAY
/// refuse them: `Spec` accepts them, `Strict` refuses them (MQTT-1.5.3-1/-2 apply to both).
#[test]
fn utf8_policy_for_control_characters_and_non_characters() {
    let strict = DecodeOptions::new().utf8_policy(Utf8Policy::Strict);
    for v in V3 {
        for (input, topic, at) in [
            ("30 05 00 03 61 01 62", "a\u{1}b", 5),      // U+0001
            ("30 05 00 03 61 7F 62", "a\u{7F}b", 5),     // U+007F
            ("30 06 00 04 61 C2 9F 62", "a\u{9F}b", 5),  // U+009F
            ("30 06 00 04 61 EF BF BF", "a\u{FFFF}", 5), // non-character U+FFFF
        ] {
            let bytes = hex(input);
            valid(v, &bytes, &Packet::Publish(Publish::new(topic, b"")));
            let err = decode_with(&bytes, v, &strict).unwrap_err();
            assert_eq!(
                (err.kind(), err.offset()),
                (DecodeErrorKind::DisallowedCodePoint, at),
                "{input}"
            );
        }
        // U+0000 is refused under both policies (MQTT-1.5.3-2).
        let err = decode_with(&hex("30 04 00 02 61 00"), v, &strict).unwrap_err();
        assert_eq!(
            (err.kind(), err.offset()),
            (DecodeErrorKind::NullCharacter, 5)
        );
    }
}

/// A Remaining Length that no version allows is refused as soon as the fixed header is
/// complete, not after waiting for (up to 268 MB of) body: PINGREQ/PINGRESP must be 0
/// (§3.12.1, §3.13.1), acknowledgements at least 2 (they carry a packet identifier).
#[test]
fn impossible_remaining_length_refused_before_the_body() {
    use mqtt_wire::{DecodeErrorKind, Version, decode};
    for header in [
        &[0xC0, 0xFF, 0xFF, 0xFF, 0x7F][..],
        &[0xD0, 0x01],
        &[0x40, 0x01],
        &[0x50, 0x00],
        &[0x62, 0x01],
        &[0x70, 0x00],
        &[0xB0, 0x01],
        &[0x20, 0x01],
    ] {
        for v in [Version::V3_1, Version::V3_1_1, Version::V5] {
            let e = decode(header, v).unwrap_err();
            assert_eq!(
                (e.kind(), e.offset()),
                (DecodeErrorKind::InvalidRemainingLength, 1),
                "{header:02X?} {v}"
            );
        }
    }
    // AUTH cannot be 1 byte long (§3.15.2.2.1 gives no default property length).
    let e = decode(&[0xF0, 0x01], Version::V5).unwrap_err();
    assert_eq!(e.kind(), DecodeErrorKind::InvalidRemainingLength);
}

/// MQTT 3.1 §2.1: DUP "is set when the client or server attempts to re-deliver a PUBLISH,
/// PUBREL, SUBSCRIBE or UNSUBSCRIBE message" (QoS above 0), and PUBREL, SUBSCRIBE and
/// UNSUBSCRIBE use QoS 1 (flags 0010). So a re-sent 3.1 PUBREL, SUBSCRIBE or UNSUBSCRIBE
/// has flags 1010; the DUP bit is kept in the decoded value and written back (canonical
/// round trip). 3.1.1 fixes these flags at 0010 (MQTT-3.6.1-1, MQTT-3.8.1-1,
/// MQTT-3.10.1-1), as does 5.0: there 1010 is refused, and a `dup` value cannot be encoded.
#[test]
fn v3_1_dup_on_pubrel_subscribe_unsubscribe() {
    use mqtt_wire::{Ack, PacketId, QoS, Subscribe, Subscription, Subscriptions, TopicFilters};
    use mqtt_wire::{Unsubscribe, Version::V3_1};
    let pid = PacketId::new(1).unwrap();
    let subs = [Subscription::new("a", QoS::AtMostOnce)];
    let filters = ["a"];
    let pubrel = Packet::PubRel(Ack {
        dup: true,
        ..Ack::new(pid)
    });
    let subscribe = Packet::Subscribe(Subscribe {
        dup: true,
        ..Subscribe::new(pid, Subscriptions::new(&subs))
    });
    let unsubscribe = Packet::Unsubscribe(Unsubscribe {
        dup: true,
        ..Unsubscribe::new(pid, TopicFilters::new(&filters))
    });
    for (bytes, packet) in [
        ("6a 02 00 01", pubrel),
        ("8a 06 00 01 00 01 61 00", subscribe),
        ("aa 05 00 01 00 01 61", unsubscribe),
    ] {
        valid(V3_1, &hex(bytes), &packet);
        // The first-delivery form (0010) is the same packet without DUP.
        let mut first = hex(bytes);
        first[0] &= !0x08;
        let Ok(mqtt_wire::Status::Complete((plain, _))) = decode(&first, V3_1) else {
            panic!("{bytes}")
        };
        assert_ne!(plain, packet, "{bytes}: DUP must be remembered");
        for v in [Version::V3_1_1, Version::V5] {
            let e = decode(&hex(bytes), v).unwrap_err();
            assert_eq!(
                (e.kind(), e.offset()),
                (DecodeErrorKind::ReservedFlags, 0),
                "{v} {bytes}"
            );
            encode_fails(v, &packet, EncodeError::NotInVersion(mqtt_wire::Field::Dup));
        }
    }
    // The other bits stay fixed in 3.1 too: RETAIN, QoS 0 or 2 on these three, and DUP on
    // every type that 3.1 does not re-deliver with it.
    for first in [0x60, 0x63, 0x64, 0x6B, 0x80, 0x8B, 0x8E, 0xA0, 0xAB] {
        let e = decode(&[first, 0x02], V3_1).unwrap_err();
        assert_eq!(e.kind(), DecodeErrorKind::ReservedFlags, "{first:02X}");
    }
    for first in [0x18, 0x28, 0x48, 0x58, 0x78, 0x98, 0xB8, 0xC8, 0xD8, 0xE8] {
        let e = decode(&[first, 0x02], V3_1).unwrap_err();
        assert_eq!(e.kind(), DecodeErrorKind::ReservedFlags, "{first:02X}");
    }
    // DUP on the acknowledgements that never carry it is refused in every version.
    for packet in [Packet::PubAck, Packet::PubRec, Packet::PubComp] {
        let p = packet(Ack {
            dup: true,
            ..Ack::new(pid)
        });
        for v in Version::ALL {
            encode_fails(v, &p, EncodeError::Invalid(DecodeErrorKind::ReservedFlags));
        }
    }
}

/// Which part of a 5.0 DISCONNECT 3.x lacks, checked in this order.
fn disconnect_field(d: &Disconnect<'_>) -> mqtt_wire::Field {
    if d.reason_code != ReasonCode::Success {
        mqtt_wire::Field::ReasonCode
    } else if !d.properties.is_empty() {
        mqtt_wire::Field::Properties
    } else {
        mqtt_wire::Field::TailForm
    }
}
