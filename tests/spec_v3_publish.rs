//! PUBLISH under MQTT 3.1.1 (§3.3) and MQTT 3.1, written byte by byte from the specifications.
//!
//! First byte: 0011 DUP QoS QoS RETAIN. Then Remaining Length, the Topic Name (2-byte length
//! and UTF-8), the Packet Identifier when QoS > 0, and the payload (the rest).

#[macro_use]
mod spec_v3_common;

use mqtt_wire::{
    DecodeErrorKind, EncodeError, Packet, PacketId, Properties, Property, Publish, QoS, Version,
};
use spec_v3_common::{encode_fails, hex, valid};

const V3: [Version; 2] = [Version::V3_1, Version::V3_1_1];

fn pid(id: u16) -> Option<PacketId> {
    PacketId::new(id)
}

// ---- valid packets -----------------------------------------------------------------------

#[test]
fn qos0() {
    let bytes = hex(concat!(
        "30 07",          // PUBLISH, DUP 0, QoS 0, RETAIN 0; Remaining Length 7
        "00 03 61 2F 62", // topic "a/b"
        "68 69",          // payload "hi" (no packet id at QoS 0, MQTT-2.3.1-5)
    ));
    for v in V3 {
        valid(v, &bytes, &Packet::Publish(Publish::new("a/b", b"hi")));
    }
}

/// §3.3.2.3's example variable header: topic "a/b", packet identifier 10.
#[test]
fn qos1_spec_example_variable_header() {
    let bytes = hex(concat!(
        "32 0A",          // PUBLISH, QoS 1; Remaining Length 10
        "00 03 61 2F 62", // topic "a/b"
        "00 0A",          // packet identifier 10
        "68 69 21",       // payload "hi!"
    ));
    let expected = Packet::Publish(Publish {
        qos: QoS::AtLeastOnce,
        packet_id: pid(10),
        ..Publish::new("a/b", b"hi!")
    });
    for v in V3 {
        valid(v, &bytes, &expected);
    }
}

#[test]
fn qos2_dup_retain() {
    let bytes = hex(concat!(
        "3D 08",    // PUBLISH, DUP 1, QoS 2 (10), RETAIN 1; Remaining Length 8
        "00 01 74", // topic "t"
        "12 34",    // packet identifier 0x1234
        "AB CD EF", // payload (binary)
    ));
    let expected = Packet::Publish(Publish {
        dup: true,
        qos: QoS::ExactlyOnce,
        retain: true,
        packet_id: pid(0x1234),
        ..Publish::new("t", &[0xAB, 0xCD, 0xEF])
    });
    for v in V3 {
        valid(v, &bytes, &expected);
    }
}

/// §3.3.1.3: a retained QoS 0 message with an empty payload (clears the retained message).
#[test]
fn retained_empty_payload() {
    let bytes = hex(concat!(
        "31 03",    // PUBLISH, RETAIN 1; Remaining Length 3
        "00 01 74", // topic "t"; payload empty
    ));
    let expected = Packet::Publish(Publish {
        retain: true,
        ..Publish::new("t", b"")
    });
    for v in V3 {
        valid(v, &bytes, &expected);
    }
}

#[test]
fn qos1_dup_packet_id_65535_empty_payload() {
    let bytes = hex(concat!(
        "3A 05",    // PUBLISH, DUP 1, QoS 1; Remaining Length 5
        "00 01 74", // topic "t"
        "FF FF",    // packet identifier 65535
    ));
    let expected = Packet::Publish(Publish {
        dup: true,
        qos: QoS::AtLeastOnce,
        packet_id: pid(0xFFFF),
        ..Publish::new("t", b"")
    });
    for v in V3 {
        valid(v, &bytes, &expected);
    }
}

/// Topic "/ü" (a leading empty level and a two-byte code point); the payload is binary and
/// may hold NUL and bytes that are not UTF-8 (§3.3.3).
#[test]
fn multibyte_topic_and_binary_payload() {
    let bytes = hex(concat!(
        "30 08",          // PUBLISH QoS 0; Remaining Length 8
        "00 03 2F C3 BC", // topic "/ü"
        "00 FF 80",       // payload
    ));
    for v in V3 {
        valid(
            v,
            &bytes,
            &Packet::Publish(Publish::new("/\u{FC}", &[0x00, 0xFF, 0x80])),
        );
    }
}

/// The longest topic name: 65,535 bytes (MQTT-4.7.3-3), Remaining Length 65,537.
#[test]
fn longest_topic_name() {
    let topic = "t".repeat(65_535);
    let mut bytes = hex(concat!(
        "30 81 80 04", // PUBLISH QoS 0; Remaining Length 65,537 = 1 + 0<<7 + 4<<14
        "FF FF",       // topic length 65,535
    ));
    bytes.extend_from_slice(topic.as_bytes());
    assert_eq!(bytes.len(), 4 + 65_537);
    valid(
        Version::V3_1_1,
        &bytes,
        &Packet::Publish(Publish::new(&topic, b"")),
    );
}

// ---- invalid -----------------------------------------------------------------------------

invalid!(
    /// MQTT-3.3.1-4: QoS 3 (both QoS bits), found on the first byte.
    mqtt_3_3_1_4_qos3, V3_1_1, "36 03 00 01 61" => InvalidQoS @ 0);
invalid!(
    /// MQTT-3.3.1-4: QoS 3 with RETAIN.
    mqtt_3_3_1_4_qos3_retain, V3_1_1, "37 03 00 01 61" => InvalidQoS @ 0);
invalid!(
    /// MQTT-3.3.1-4: QoS 3 with DUP and RETAIN.
    mqtt_3_3_1_4_qos3_dup_retain, V3_1_1, "3F 05 00 01 61 00 01" => InvalidQoS @ 0);
invalid!(
    /// MQTT-3.3.1-4 under 3.1.
    v3_1_qos3, V3_1, "36 03 00 01 61" => InvalidQoS @ 0);
invalid!(
    /// MQTT-3.3.1-2: DUP with QoS 0.
    mqtt_3_3_1_2_dup_with_qos0, V3_1_1, "38 03 00 01 61" => DupWithQoS0 @ 0);
invalid!(
    /// MQTT-3.3.1-2: DUP with QoS 0 and RETAIN.
    mqtt_3_3_1_2_dup_with_qos0_retain, V3_1_1, "39 03 00 01 61" => DupWithQoS0 @ 0);
invalid!(
    /// MQTT-3.3.1-2 under 3.1.
    v3_1_dup_with_qos0, V3_1, "38 03 00 01 61" => DupWithQoS0 @ 0);
invalid!(
    /// MQTT-3.3.2-2: topic name "#".
    mqtt_3_3_2_2_hash_topic, V3_1_1, "30 03 00 01 23" => WildcardInTopicName @ 2);
invalid!(
    /// MQTT-3.3.2-2: topic name "a/+".
    mqtt_3_3_2_2_plus_level, V3_1_1, "30 05 00 03 61 2F 2B" => WildcardInTopicName @ 2);
invalid!(
    /// MQTT-3.3.2-2: a wildcard character inside a level ("a#") is still forbidden.
    mqtt_3_3_2_2_hash_inside_level, V3_1_1, "30 04 00 02 61 23" => WildcardInTopicName @ 2);
invalid!(
    /// MQTT-3.3.2-2 at QoS 1.
    mqtt_3_3_2_2_qos1, V3_1_1, "32 05 00 01 2B 00 01" => WildcardInTopicName @ 2);
invalid!(
    /// MQTT-3.3.2-2 under 3.1.
    v3_1_wildcard_topic, V3_1, "30 05 00 03 61 2F 23" => WildcardInTopicName @ 2);
invalid!(
    /// MQTT-4.7.3-1: empty topic name (with a payload: without one the Remaining Length
    /// alone is too short, see `empty_topic_without_payload`).
    mqtt_4_7_3_1_empty_topic, V3_1_1, "30 04 00 00 68 69" => EmptyTopic @ 2);
invalid!(
    /// MQTT-4.7.3-1: an empty topic and no payload, Remaining Length 2: below the smallest
    /// 3.x PUBLISH (3), refused at the header.
    empty_topic_without_payload, V3_1_1, "30 02 00 00" => InvalidRemainingLength @ 1);
invalid!(
    /// MQTT-4.7.3-1: empty topic name at QoS 1.
    mqtt_4_7_3_1_empty_topic_qos1, V3_1_1, "32 05 00 00 00 01 78" => EmptyTopic @ 2);
invalid!(
    /// MQTT-4.7.3-1 under 3.1.
    v3_1_empty_topic, V3_1, "30 03 00 00 78" => EmptyTopic @ 2);
invalid!(
    /// MQTT-2.3.1-1: packet identifier 0 at QoS 1.
    mqtt_2_3_1_1_zero_packet_id_qos1, V3_1_1, "32 05 00 01 61 00 00" => ZeroPacketId @ 5);
invalid!(
    /// MQTT-2.3.1-1: packet identifier 0 at QoS 2.
    mqtt_2_3_1_1_zero_packet_id_qos2, V3_1_1, "34 05 00 01 61 00 00" => ZeroPacketId @ 5);
invalid!(
    /// MQTT-2.3.1-1 under 3.1.
    v3_1_zero_packet_id, V3_1, "32 05 00 01 61 00 00" => ZeroPacketId @ 5);
invalid!(
    /// The topic length (5) runs past the Remaining Length.
    topic_length_past_end, V3_1_1, "30 03 00 05 61" => Truncated @ 4);
invalid!(
    /// The topic length runs past the end under 3.1.
    v3_1_topic_length_past_end, V3_1, "30 03 00 05 61" => Truncated @ 4);
invalid!(
    /// Remaining Length 1: half a topic length, below the smallest PUBLISH (3): refused at
    /// the header.
    half_topic_length, V3_1_1, "30 01 00" => InvalidRemainingLength @ 1);
invalid!(
    /// Remaining Length 0: no topic at all (MQTT-3.3.2-1), refused at the header.
    mqtt_3_3_2_1_no_topic, V3_1_1, "30 00" => InvalidRemainingLength @ 1);
invalid!(
    /// QoS 1 without a packet identifier: a QoS 1 PUBLISH needs at least 5 bytes (topic
    /// length, 1-byte topic, packet identifier; the QoS is in the header), refused there.
    qos1_missing_packet_id, V3_1_1, "32 03 00 01 61" => InvalidRemainingLength @ 1);
invalid!(
    /// QoS 2 with half a packet identifier: refused at the header.
    qos2_half_packet_id, V3_1_1, "34 04 00 01 61 00" => InvalidRemainingLength @ 1);
invalid!(
    /// QoS 1 whose topic length runs past the end.
    qos1_topic_past_end, V3_1_1, "32 05 00 04 61 62 63" => Truncated @ 4);
invalid!(
    /// MQTT-1.5.3-1: topic FF.
    mqtt_1_5_3_1_topic_not_utf8, V3_1_1, "30 03 00 01 FF" => InvalidUtf8 @ 4);
invalid!(
    /// MQTT-1.5.3-1: topic "a" + encoded surrogate U+DFFF (ED BF BF).
    mqtt_1_5_3_1_topic_surrogate, V3_1_1, "30 06 00 04 61 ED BF BF" => InvalidUtf8 @ 5);
invalid!(
    /// MQTT-1.5.3-2 / MQTT-4.7.3-2: topic "a\0b".
    mqtt_4_7_3_2_topic_nul, V3_1_1, "30 05 00 03 61 00 62" => NullCharacter @ 5);
invalid!(
    /// MQTT-1.5.3-2 under 3.1.
    v3_1_topic_nul, V3_1, "30 05 00 03 61 00 62" => NullCharacter @ 5);

// ---- encoding ----------------------------------------------------------------------------------

/// MQTT-2.3.1-5: QoS 0 has no packet identifier; QoS 1 and 2 must have one.
#[test]
fn encode_packet_id_mismatch() {
    for v in V3 {
        let p = Publish {
            packet_id: pid(1),
            ..Publish::new("t", b"")
        };
        encode_fails(v, &Packet::Publish(p), EncodeError::PacketIdMismatch);
        for qos in [QoS::AtLeastOnce, QoS::ExactlyOnce] {
            let p = Publish {
                qos,
                ..Publish::new("t", b"")
            };
            encode_fails(v, &Packet::Publish(p), EncodeError::PacketIdMismatch);
        }
    }
}

/// MQTT-3.3.2-2, MQTT-4.7.3-1, MQTT-4.7.3-2 on the encoding side.
#[test]
fn encode_invalid_topic_names() {
    for v in V3 {
        for (topic, kind) in [
            ("a/+", DecodeErrorKind::WildcardInTopicName),
            ("#", DecodeErrorKind::WildcardInTopicName),
            ("a#b", DecodeErrorKind::WildcardInTopicName),
            ("", DecodeErrorKind::EmptyTopic),
            ("a\0b", DecodeErrorKind::NullCharacter),
        ] {
            let p = Packet::Publish(Publish::new(topic, b"x"));
            encode_fails(v, &p, EncodeError::Invalid(kind));
        }
    }
}

/// MQTT-3.3.1-2 on the encoding side.
#[test]
fn encode_dup_with_qos0() {
    let p = Publish {
        dup: true,
        ..Publish::new("t", b"")
    };
    for v in V3 {
        encode_fails(
            v,
            &Packet::Publish(p),
            EncodeError::Invalid(DecodeErrorKind::DupWithQoS0),
        );
    }
}

#[test]
fn encode_properties_not_in_3x() {
    let props = [Property::MessageExpiryInterval(30)];
    let p = Publish {
        properties: Properties::new(&props),
        ..Publish::new("t", b"")
    };
    for v in V3 {
        encode_fails(
            v,
            &Packet::Publish(p),
            EncodeError::NotInVersion(mqtt_wire::Field::Properties),
        );
    }
}

/// A 65,536-byte topic name does not fit the 2-byte length (MQTT-4.7.3-3).
#[test]
fn encode_65536_byte_topic() {
    let topic = "t".repeat(65_536);
    for v in V3 {
        encode_fails(
            v,
            &Packet::Publish(Publish::new(&topic, b"")),
            EncodeError::FieldTooLong,
        );
    }
}
