//! MQTT 5.0 normative statements that no other test cited by id: one test per statement,
//! named after it. Packets are written byte by byte from the specification. Valid packets
//! go through `spec_v5_support::check_valid` (decode, re-encode, every prefix); refused
//! ones through `spec_v3_common::invalid`, which takes the version as an argument and
//! checks the exact error kind and offset, every prefix and the framer path.
//!
//! Statements a codec cannot check (broker matching, the sender's role) have a line in
//! `tools/conformance-notes.tsv` instead.

// Only `invalid` and `encode_fails` are used here.
mod spec_v3_common;
mod spec_v5_support;

use mqtt_wire::topic;
use mqtt_wire::{
    Connect, DecodeErrorKind as K, EncodeError, Packet, PacketType, Property, PropertyId, Publish,
    QoS, ReasonCode, Status, Subscribe, Subscription, Subscriptions, TopicFilters, Unsubscribe,
    Version, Will, decode,
};
use spec_v3_common::{encode_fails, invalid};
use spec_v5_support::{V5, block, cat, check_built, check_valid, decode_err, packet, pid};

/// "MQTT", protocol level 5: the start of every 5.0 CONNECT variable header.
const MQTT5: &[u8] = &[0x00, 0x04, b'M', b'Q', b'T', b'T', 0x05];

/// A 5.0 CONNECT with these flags, keep alive 60, no properties, then `payload`.
/// Offsets: level 8, flags 9, property length 12, client id length 13.
fn connect(flags: u8, payload: &[u8]) -> Vec<u8> {
    packet(0x10, &cat(&[MQTT5, &[flags, 0x00, 0x3C, 0x00], payload]))
}

fn decoded_connect(bytes: &[u8]) -> Connect<'_> {
    match check_valid(bytes) {
        Packet::Connect(c) => c,
        other => panic!("not a CONNECT: {other:?}"),
    }
}

fn decoded_publish(bytes: &[u8]) -> Publish<'_> {
    match check_valid(bytes) {
        Packet::Publish(p) => p,
        other => panic!("not a PUBLISH: {other:?}"),
    }
}

/// Whether the `required` flag nibble is the only one `valid` (a packet of that type) can
/// carry: with it the packet decodes, with each of the 15 others it is malformed at byte 0.
fn only_flags(valid: &[u8], required: u8) {
    assert_eq!(valid[0] & 0x0F, required, "{valid:02X?}");
    check_valid(valid);
    for flags in (0u8..=0x0F).filter(|&f| f != required) {
        let mut bytes = valid.to_vec();
        bytes[0] = (valid[0] & 0xF0) | flags;
        invalid(V5, &bytes, K::ReservedFlags, 0);
        assert_eq!(
            K::ReservedFlags.reason_code(),
            ReasonCode::MalformedPacket,
            "{bytes:02X?}"
        );
    }
}

/// Every fixed-header bit marked "Reserved" in the flags table must hold the value the
/// table gives (0010 for PUBREL, SUBSCRIBE and UNSUBSCRIBE, 0000 for every other type but
/// PUBLISH, whose bits are DUP, QoS and RETAIN); any other value is a Malformed Packet.
#[test]
fn mqtt_2_1_3_1_reserved_flag_bits() {
    let minimal: [(PacketType, &[u8]); 14] = [
        (
            PacketType::Connect,
            &[
                0x10, 0x0D, 0x00, 0x04, b'M', b'Q', b'T', b'T', 0x05, 0x02, 0x00, 0x3C, 0x00, 0x00,
                0x00,
            ],
        ),
        (PacketType::ConnAck, &[0x20, 0x03, 0x00, 0x00, 0x00]),
        (PacketType::PubAck, &[0x40, 0x02, 0x00, 0x01]),
        (PacketType::PubRec, &[0x50, 0x02, 0x00, 0x01]),
        (PacketType::PubRel, &[0x62, 0x02, 0x00, 0x01]),
        (PacketType::PubComp, &[0x70, 0x02, 0x00, 0x01]),
        (
            PacketType::Subscribe,
            &[0x82, 0x07, 0x00, 0x01, 0x00, 0x00, 0x01, b'a', 0x00],
        ),
        (PacketType::SubAck, &[0x90, 0x04, 0x00, 0x01, 0x00, 0x00]),
        (
            PacketType::Unsubscribe,
            &[0xA2, 0x06, 0x00, 0x01, 0x00, 0x00, 0x01, b'a'],
        ),
        (PacketType::UnsubAck, &[0xB0, 0x04, 0x00, 0x01, 0x00, 0x00]),
        (PacketType::PingReq, &[0xC0, 0x00]),
        (PacketType::PingResp, &[0xD0, 0x00]),
        (PacketType::Disconnect, &[0xE0, 0x00]),
        (PacketType::Auth, &[0xF0, 0x00]),
    ];
    for (ty, bytes) in minimal {
        let required = match ty {
            PacketType::PubRel | PacketType::Subscribe | PacketType::Unsubscribe => 0b0010,
            _ => 0b0000,
        };
        assert_eq!(check_valid(bytes).packet_type(), ty);
        only_flags(bytes, required);
    }
}

/// A PUBLISH at QoS 0 carries no Packet Identifier: the topic is followed directly by the
/// Property Length, and the encoder refuses a QoS 0 value that has an identifier.
#[test]
fn mqtt_2_2_1_2_qos0_publish_has_no_packet_id() {
    // QoS 0: topic "a/b", Property Length 0, payload "hi".
    let qos0 = [0x30, 0x08, 0x00, 0x03, b'a', b'/', b'b', 0x00, b'h', b'i'];
    check_built(&Packet::Publish(Publish::new("a/b", b"hi")), &qos0);
    let p = decoded_publish(&qos0);
    assert_eq!(
        (p.qos, p.packet_id, p.payload),
        (QoS::AtMostOnce, None, &b"hi"[..])
    );

    // The same message at QoS 1 has the identifier (00 07) between topic and properties.
    let qos1 = [
        0x32, 0x0A, 0x00, 0x03, b'a', b'/', b'b', 0x00, 0x07, 0x00, b'h', b'i',
    ];
    let p = decoded_publish(&qos1);
    assert_eq!((p.packet_id, p.payload), (Some(pid(7)), &b"hi"[..]));

    let with_id = Publish {
        packet_id: Some(pid(7)),
        ..Publish::new("a/b", b"hi")
    };
    encode_fails(V5, &Packet::Publish(with_id), EncodeError::PacketIdMismatch);
}

/// A protocol level the server does not take (here anything but 5 with "MQTT", or 3.1.1's
/// 4, which it may refuse) may be answered with CONNACK 0x84 before closing. The decoder
/// names the bad level and the reason code to answer with; a 3.1.1 CONNECT is decoded as
/// 3.1.1, so a 5.0-only server sees it and can refuse it; and the 0x84 CONNACK encodes.
#[test]
fn mqtt_3_1_2_2_unsupported_protocol_version() {
    for level in [0u8, 3, 6, 0x85] {
        let bytes = packet(
            0x10,
            &[
                0x00, 0x04, b'M', b'Q', b'T', b'T', level, 0x02, 0x00, 0x3C, 0x00, 0x00, 0x00,
            ],
        );
        invalid(V5, &bytes, K::UnsupportedProtocolLevel, 8);
        assert_eq!(
            K::UnsupportedProtocolLevel.reason_code(),
            ReasonCode::UnsupportedProtocolVersion
        );
    }
    // Level 4 (no Property Length): a well-formed 3.1.1 CONNECT, whatever version is asked.
    let v311 = [
        0x10, 0x0D, 0x00, 0x04, b'M', b'Q', b'T', b'T', 0x04, 0x02, 0x00, 0x3C, 0x00, 0x01, b'c',
    ];
    match decode(&v311, V5) {
        Ok(Status::Complete((Packet::Connect(c), 15))) => {
            assert_eq!((c.version, c.client_id), (Version::V3_1_1, "c"));
        }
        other => panic!("{other:?}"),
    }
    // CONNACK, reason code 0x84, Property Length 0.
    let Packet::ConnAck(ack) = check_valid(&[0x20, 0x03, 0x00, 0x84, 0x00]) else {
        panic!()
    };
    assert_eq!(
        (ack.session_present, ack.reason_code),
        (false, ReasonCode::UnsupportedProtocolVersion)
    );
}

/// The reserved bit 0 of the CONNECT flags must be 0; the server checks it and treats a
/// set bit as a Malformed Packet.
#[test]
fn mqtt_3_1_2_3_connect_reserved_flag() {
    let payload = [0x00, 0x01, b'c'];
    assert_eq!(decoded_connect(&connect(0x02, &payload)).client_id, "c");
    for flags in [0x01, 0x03, 0xC3, 0xFF] {
        invalid(V5, &connect(flags, &payload), K::ConnectReservedFlag, 9);
    }
    assert_eq!(
        K::ConnectReservedFlag.reason_code(),
        ReasonCode::MalformedPacket
    );
}

/// With the User Name Flag at 0 there is no User Name in the payload: a string after the
/// client id is left over, unless the Password Flag says it is the Password.
#[test]
fn mqtt_3_1_2_16_no_username_without_flag() {
    let bytes = connect(0x02, &[0x00, 0x01, b'c']);

    let c = decoded_connect(&bytes);
    assert_eq!((c.username, c.password), (None, None));
    // Client id "c" (13..16), then "u" that no flag announces.
    invalid(
        V5,
        &connect(0x02, &[0x00, 0x01, b'c', 0x00, 0x01, b'u']),
        K::TrailingBytes,
        16,
    );
    // Password Flag alone (allowed in 5.0): the same bytes are the Password.
    let bytes = connect(0x42, &[0x00, 0x01, b'c', 0x00, 0x01, b'u']);

    let c = decoded_connect(&bytes);
    assert_eq!((c.username, c.password), (None, Some(&b"u"[..])));
    // The encoder writes no User Name field when there is none.
    let built = Connect {
        password: Some(b"u"),
        ..Connect::new(V5, "c")
    };
    check_built(
        &Packet::Connect(built),
        &connect(0x42, &[0x00, 0x01, b'c', 0x00, 0x01, b'u']),
    );
}

/// With the User Name Flag at 1 the payload holds a User Name (possibly empty); without
/// one the packet is cut short.
#[test]
fn mqtt_3_1_2_17_username_present_with_flag() {
    let bytes = connect(0x82, &[0x00, 0x01, b'c', 0x00, 0x01, b'u']);

    let c = decoded_connect(&bytes);
    assert_eq!(c.username, Some("u"));
    let bytes = connect(0x82, &[0x00, 0x01, b'c', 0x00, 0x00]);

    let c = decoded_connect(&bytes);
    assert_eq!(c.username, Some(""));
    invalid(V5, &connect(0x82, &[0x00, 0x01, b'c']), K::Truncated, 16);
    invalid(
        V5,
        &connect(0x82, &[0x00, 0x01, b'c', 0x00]),
        K::Truncated,
        16,
    );
    let built = Connect {
        username: Some("u"),
        ..Connect::new(V5, "c")
    };
    check_built(
        &Packet::Connect(built),
        &connect(0x82, &[0x00, 0x01, b'c', 0x00, 0x01, b'u']),
    );
}

/// The Client Identifier is always there, and it is the first field of the payload (before
/// the Will Properties, when there is a Will).
#[test]
fn mqtt_3_1_3_3_client_id_first_and_present() {
    // Will Flag and Clean Start: client id "c", Will Properties (none), topic "t", "p".
    let bytes = connect(
        0x06,
        &[0x00, 0x01, b'c', 0x00, 0x00, 0x01, b't', 0x00, 0x01, b'p'],
    );
    let c = decoded_connect(&bytes);
    assert_eq!(c.client_id, "c");
    let will = c.will.unwrap();
    assert_eq!((will.topic, will.payload), ("t", &b"p"[..]));
    assert!(will.properties.is_empty());
    // No payload at all, or half a length: the client id is missing. Without any payload
    // the CONNECT is below the smallest of any version (12), refused at the header.
    invalid(V5, &connect(0x02, &[]), K::InvalidRemainingLength, 1);
    invalid(V5, &connect(0x02, &[0x00]), K::Truncated, 13);
    // Even an empty client id is written (as a zero length).
    check_built(
        &Packet::Connect(Connect::new(V5, "")),
        &connect(0x02, &[0x00, 0x00]),
    );
}

/// The Client Identifier is a UTF-8 Encoded String; ill-formed UTF-8, surrogates and
/// U+0000 are malformed, at the offending byte.
#[test]
fn mqtt_3_1_3_4_client_id_is_utf8() {
    let bytes = connect(0x02, &[0x00, 0x02, 0xC3, 0xA9]);

    let c = decoded_connect(&bytes);
    assert_eq!(c.client_id, "\u{e9}");
    // The client id's bytes start at offset 15.
    for (id, kind, offset) in [
        (&[0x00, 0x02, b'a', 0xFF][..], K::InvalidUtf8, 16),
        (&[0x00, 0x03, 0xED, 0xA0, 0x80][..], K::InvalidUtf8, 15),
        (&[0x00, 0x02, 0xC0, 0x80][..], K::InvalidUtf8, 15),
        (&[0x00, 0x02, b'a', 0x00][..], K::NullCharacter, 16),
    ] {
        invalid(V5, &connect(0x02, id), kind, offset);
        assert_eq!(kind.reason_code(), ReasonCode::MalformedPacket);
    }
}

/// The User Name is a UTF-8 Encoded String; ill-formed UTF-8 and U+0000 are malformed.
#[test]
fn mqtt_3_1_3_12_username_is_utf8() {
    // Client id "c" (13..16), user name length at 16, its bytes from 18.
    let bytes = connect(0x82, &[0x00, 0x01, b'c', 0x00, 0x02, 0xC3, 0xBC]);

    let c = decoded_connect(&bytes);
    assert_eq!(c.username, Some("\u{fc}"));
    for (name, kind, offset) in [
        (&[0x00, 0x02, b'u', 0xFF][..], K::InvalidUtf8, 19),
        (&[0x00, 0x03, 0xED, 0xBF, 0xBF][..], K::InvalidUtf8, 18),
        (&[0x00, 0x01, 0x00][..], K::NullCharacter, 18),
    ] {
        let payload = cat(&[&[0x00, 0x01, b'c'], name]);
        invalid(V5, &connect(0x82, &payload), kind, offset);
    }
}

/// A server checks that a CONNECT has the form of §3.1 and closes the connection when it
/// has not: each malformed form below is refused, with the reason code to send (if any)
/// before closing.
#[test]
fn mqtt_3_1_4_1_malformed_connect_is_refused() {
    let bytes = connect(0x02, &[0x00, 0x01, b'c']);

    let c = decoded_connect(&bytes);
    assert_eq!((c.version, c.client_id), (V5, "c"));
    let cid = [0x00, 0x01, b'c'];
    let cases: [(Vec<u8>, K, usize); 9] = [
        (connect(0x01, &cid), K::ConnectReservedFlag, 9),
        // Will QoS 1 without the Will Flag.
        (connect(0x0A, &cid), K::WillQoSWithoutWill, 9),
        // Will Flag with Will QoS 3.
        (connect(0x1E, &cid), K::InvalidWillQoS, 9),
        // Will Flag, but no Will Properties, Topic or Payload.
        (connect(0x06, &cid), K::Truncated, 16),
        // Nothing may follow the last announced field.
        (
            connect(0x02, &[0x00, 0x01, b'c', 0x00]),
            K::TrailingBytes,
            16,
        ),
        // A 3.1.1-style body (no Property Length) under level 5: the client id's length
        // 00 01 is read as Property Length 0, then 01 63 as a 355-byte client id.
        (
            packet(0x10, &cat(&[MQTT5, &[0x02, 0x00, 0x3C, 0x00, 0x01, b'c']])),
            K::Truncated,
            15,
        ),
        // Property Length 3 with Topic Alias (0x23), a PUBLISH-only property.
        (
            packet(
                0x10,
                &cat(&[MQTT5, &[0x02, 0x00, 0x3C, 0x03, 0x23, 0x00, 0x01], &cid]),
            ),
            K::PropertyNotAllowed(PropertyId::TopicAlias),
            13,
        ),
        // Session Expiry Interval twice.
        (
            packet(
                0x10,
                &cat(&[
                    MQTT5,
                    &[0x02, 0x00, 0x3C, 0x0A],
                    &[0x11, 0x00, 0x00, 0x00, 0x0A, 0x11, 0x00, 0x00, 0x00, 0x0A],
                    &cid,
                ]),
            ),
            K::DuplicateProperty(PropertyId::SessionExpiryInterval),
            18,
        ),
        // Property Length running past the packet.
        (
            packet(0x10, &cat(&[MQTT5, &[0x02, 0x00, 0x3C, 0x09], &cid])),
            K::Truncated,
            13,
        ),
    ];
    for (bytes, kind, offset) in cases {
        invalid(V5, &bytes, kind, offset);
        assert!(
            matches!(
                kind.reason_code(),
                ReasonCode::MalformedPacket | ReasonCode::ProtocolError
            ),
            "{kind:?}"
        );
    }
}

/// The DUP flag of every QoS 0 PUBLISH is 0: `38` and `39` (DUP with QoS 0, with and
/// without RETAIN) are malformed from the first byte on; the encoder will not write them.
#[test]
fn mqtt_3_3_1_2_dup_must_be_0_for_qos0() {
    for first in [0x38, 0x39] {
        invalid(
            V5,
            &[first, 0x04, 0x00, 0x01, b'a', 0x00],
            K::DupWithQoS0,
            0,
        );
    }
    assert_eq!(K::DupWithQoS0.reason_code(), ReasonCode::MalformedPacket);
    // DUP with QoS 1 is fine.
    let p = decoded_publish(&[0x3A, 0x06, 0x00, 0x01, b'a', 0x00, 0x01, 0x00]);
    assert!(p.dup);
    let dup0 = Publish {
        dup: true,
        ..Publish::new("a", b"")
    };
    encode_fails(
        V5,
        &Packet::Publish(dup0),
        EncodeError::Invalid(K::DupWithQoS0),
    );
}

/// The Topic Name comes first in the PUBLISH variable header and is a UTF-8 Encoded
/// String.
#[test]
fn mqtt_3_3_2_1_topic_name_first_and_utf8() {
    // QoS 1: topic "é/x", then packet id 5, then Property Length 0.
    let p = decoded_publish(&[
        0x32, 0x09, 0x00, 0x04, 0xC3, 0xA9, b'/', b'x', 0x00, 0x05, 0x00,
    ]);
    assert_eq!((p.topic, p.packet_id), ("\u{e9}/x", Some(pid(5))));
    for (bytes, kind, offset) in [
        (
            &[0x30, 0x05, 0x00, 0x02, b'a', 0xFF, 0x00][..],
            K::InvalidUtf8,
            5,
        ),
        (
            &[0x30, 0x06, 0x00, 0x03, 0xED, 0xA0, 0x80, 0x00][..],
            K::InvalidUtf8,
            4,
        ),
        (
            &[0x30, 0x05, 0x00, 0x02, b'a', 0x00, 0x00][..],
            K::NullCharacter,
            5,
        ),
        // The topic's length runs past the packet.
        (&[0x30, 0x03, 0x00, 0x05, b'a'][..], K::Truncated, 4),
        // No topic at all: below the smallest PUBLISH, refused at the header.
        (&[0x30, 0x00][..], K::InvalidRemainingLength, 1),
    ] {
        invalid(V5, bytes, kind, offset);
    }
}

/// PUBLISH `t`, QoS 0, with the property block `props` and payload "x"; the offset of the
/// first property byte is 6.
fn publish_with(props: &[u8]) -> Vec<u8> {
    let len = u8::try_from(props.len()).unwrap();
    packet(0x30, &cat(&[&[0x00, 0x01, b't', len], props, b"x"]))
}

/// A property `id` whose UTF-8 string value is bad is malformed at the bad byte. In Will
/// Properties (CONNECT names its own version) the exact rule comes back. In a PUBLISH the
/// offset and the reason code (0x81) are exact, but the kind may be the version-mix-up
/// diagnosis: read as 3.1.1, the same bytes are a valid PUBLISH whose payload swallows the
/// property block (see src/diagnose.rs).
fn bad_string_property(id: u8) {
    for (value, kind, at) in [
        (&[0x00, 0x02, b'r', 0xFF][..], K::InvalidUtf8, 1),
        (&[0x00, 0x03, 0xED, 0xA0, 0x80][..], K::InvalidUtf8, 0),
        (&[0x00, 0x02, b'r', 0xC3][..], K::InvalidUtf8, 1),
        (&[0x00, 0x01, 0x00][..], K::NullCharacter, 0),
    ] {
        let prop = cat(&[&[id], value]);
        // Will Flag: client id "c" (13..16), Will Property Length at 16, the string's
        // bytes from 20, then Will Topic "t" and Will Payload "p".
        let will = cat(&[
            &[0x00, 0x01, b'c'],
            &block(&prop),
            &[0x00, 0x01, b't', 0x00, 0x01, b'p'],
        ]);
        invalid(V5, &connect(0x06, &will), kind, 20 + at);
        // PUBLISH: the string's bytes from 9.
        let err = decode_err(&publish_with(&prop));
        assert_eq!(err.offset(), 9 + at, "{prop:02X?}");
        assert_eq!(
            err.reason_code(),
            ReasonCode::MalformedPacket,
            "{prop:02X?}"
        );
        assert!(
            err.kind() == kind || err.kind() == K::WrongProtocolVersion(Version::V3_1_1),
            "{prop:02X?}: {err:?}"
        );
    }
}

/// The Response Topic property is a UTF-8 Encoded String.
#[test]
fn mqtt_3_3_2_13_response_topic_is_utf8() {
    let bytes = publish_with(&[0x08, 0x00, 0x04, b'r', b'/', 0xC3, 0xA9]);
    assert_eq!(
        decoded_publish(&bytes).properties.response_topic(),
        Some("r/\u{e9}")
    );
    bad_string_property(0x08);
}

/// The Content Type property is a UTF-8 Encoded String.
#[test]
fn mqtt_3_3_2_19_content_type_is_utf8() {
    let bytes = publish_with(&[0x03, 0x00, 0x05, b'c', b'a', b'f', 0xC3, 0xA9]);
    assert_eq!(
        decoded_publish(&bytes).properties.content_type(),
        Some("caf\u{e9}")
    );
    let built = Publish {
        properties: mqtt_wire::Properties::new(&[Property::ContentType("caf\u{e9}")]),
        ..Publish::new("t", b"x")
    };
    check_built(&Packet::Publish(built), &bytes);
    bad_string_property(0x03);
}

/// PUBREL's fixed-header flags are exactly 0010; anything else is malformed.
#[test]
fn mqtt_3_6_1_1_pubrel_flags() {
    only_flags(&[0x62, 0x02, 0x00, 0x01], 0b0010);
    // Full form: reason code 0x92 (Packet Identifier not found), no properties.
    only_flags(&[0x62, 0x04, 0x00, 0x01, 0x92, 0x00], 0b0010);
}

/// SUBSCRIBE's fixed-header flags are exactly 0010; anything else is malformed.
#[test]
fn mqtt_3_8_1_1_subscribe_flags() {
    only_flags(
        &[0x82, 0x07, 0x00, 0x01, 0x00, 0x00, 0x01, b'a', 0x01],
        0b0010,
    );
}

/// The Topic Filters of a SUBSCRIBE are UTF-8 Encoded Strings, each followed by its
/// options byte.
#[test]
fn mqtt_3_8_3_1_subscribe_filters_are_utf8() {
    let bytes = [
        0x82, 0x10, 0x00, 0x01, 0x00, // packet id 1, no properties
        0x00, 0x03, b'a', b'/', b'+', 0x01, // "a/+", QoS 1
        0x00, 0x04, 0xC3, 0xA9, b'/', b'#', 0x02, // "é/#", QoS 2
    ];
    let subs = [
        Subscription::new("a/+", QoS::AtLeastOnce),
        Subscription::new("\u{e9}/#", QoS::ExactlyOnce),
    ];
    check_built(
        &Packet::Subscribe(Subscribe::new(pid(1), Subscriptions::new(&subs))),
        &bytes,
    );
    for (bytes, kind, offset) in [
        // The second filter is the lone byte FF (at 11).
        (
            &[
                0x82, 0x0B, 0x00, 0x01, 0x00, 0x00, 0x01, b'a', 0x00, 0x00, 0x01, 0xFF, 0x00,
            ][..],
            K::InvalidUtf8,
            11,
        ),
        (
            &[
                0x82, 0x09, 0x00, 0x01, 0x00, 0x00, 0x03, 0xED, 0xA0, 0x80, 0x00,
            ][..],
            K::InvalidUtf8,
            7,
        ),
        (
            &[0x82, 0x07, 0x00, 0x01, 0x00, 0x00, 0x02, b'a', 0x00, 0x00][..],
            K::NullCharacter,
            8,
        ),
    ] {
        invalid(V5, bytes, kind, offset);
    }
}

/// UNSUBSCRIBE's fixed-header flags are exactly 0010; anything else is malformed.
#[test]
fn mqtt_3_10_1_1_unsubscribe_flags() {
    only_flags(&[0xA2, 0x06, 0x00, 0x01, 0x00, 0x00, 0x01, b'a'], 0b0010);
}

/// The Topic Filters of an UNSUBSCRIBE are UTF-8 Encoded Strings, back to back.
#[test]
fn mqtt_3_10_3_1_unsubscribe_filters_are_utf8() {
    let bytes = [
        0xA2, 0x0C, 0x00, 0x02, 0x00, // packet id 2, no properties
        0x00, 0x03, b'a', b'/', b'+', // "a/+"
        0x00, 0x02, 0xC3, 0xA9, // "é"
    ];
    check_built(
        &Packet::Unsubscribe(Unsubscribe::new(
            pid(2),
            TopicFilters::new(&["a/+", "\u{e9}"]),
        )),
        &bytes,
    );
    for (bytes, kind, offset) in [
        (
            &[
                0xA2, 0x09, 0x00, 0x02, 0x00, 0x00, 0x01, b'a', 0x00, 0x01, 0xFF,
            ][..],
            K::InvalidUtf8,
            10,
        ),
        (
            &[0xA2, 0x08, 0x00, 0x02, 0x00, 0x00, 0x03, 0xED, 0xA0, 0x80][..],
            K::InvalidUtf8,
            7,
        ),
        (
            &[0xA2, 0x07, 0x00, 0x02, 0x00, 0x00, 0x02, b'a', 0x00][..],
            K::NullCharacter,
            8,
        ),
    ] {
        invalid(V5, bytes, kind, offset);
    }
}

/// DISCONNECT's reserved flag bits are 0; a receiver that sees others answers with a
/// DISCONNECT carrying 0x81 (Malformed Packet), which encodes as `E0 01 81`.
#[test]
fn mqtt_3_14_1_1_disconnect_flags_must_be_zero() {
    only_flags(&[0xE0, 0x00], 0);
    only_flags(&[0xE0, 0x02, 0x04, 0x00], 0);
    let Packet::Disconnect(d) = check_valid(&[0xE0, 0x01, 0x81]) else {
        panic!()
    };
    assert_eq!(d.reason_code, ReasonCode::MalformedPacket);
    assert!(d.properties.is_empty());
}

/// AUTH's fixed-header flags are exactly 0000; anything else is malformed.
#[test]
fn mqtt_3_15_1_1_auth_flags() {
    only_flags(&[0xF0, 0x00], 0);
    // Continue authentication (0x18), method "m".
    only_flags(&[0xF0, 0x06, 0x18, 0x04, 0x15, 0x00, 0x01, b'm'], 0);
}

/// In the QoS 0 exchange the sender's PUBLISH has QoS 0 and DUP 0: the encoder writes
/// flags 0000 for a plain QoS 0 PUBLISH and refuses one marked as a duplicate.
#[test]
fn mqtt_4_3_1_1_qos0_sender_sends_dup_0() {
    check_built(
        &Packet::Publish(Publish::new("a", b"x")),
        &[0x30, 0x05, 0x00, 0x01, b'a', 0x00, b'x'],
    );
    let dup = Publish {
        dup: true,
        ..Publish::new("a", b"x")
    };
    encode_fails(
        V5,
        &Packet::Publish(dup),
        EncodeError::Invalid(K::DupWithQoS0),
    );
}

/// `+` and `#` may be used in Topic Filters but never in a Topic Name: not in a PUBLISH
/// topic, not in a Will Topic, while a SUBSCRIBE filter may hold them.
#[test]
fn mqtt_4_7_0_1_wildcards_only_in_filters() {
    for s in ["+", "#", "a/+", "a/#", "+/b"] {
        assert_eq!(topic::check_name(s), Err(K::WildcardInTopicName), "{s}");
        assert_eq!(topic::check_filter(s, V5), Ok(()), "{s}");
    }
    // Wildcard characters inside a level are no wildcards in a filter, but still refused
    // in a name.
    assert_eq!(topic::check_name("a+b"), Err(K::WildcardInTopicName));
    // PUBLISH with topic "a/+": refused at the topic (offset 2).
    invalid(
        V5,
        &[0x30, 0x06, 0x00, 0x03, b'a', b'/', b'+', 0x00],
        K::WildcardInTopicName,
        2,
    );
    // SUBSCRIBE to "a/+" is fine.
    check_valid(&[
        0x82, 0x09, 0x00, 0x01, 0x00, 0x00, 0x03, b'a', b'/', b'+', 0x00,
    ]);
    // CONNECT whose Will Topic is "#" (its length at 17).
    invalid(
        V5,
        &connect(
            0x06,
            &[0x00, 0x01, b'c', 0x00, 0x00, 0x01, b'#', 0x00, 0x00],
        ),
        K::WildcardInTopicName,
        17,
    );
    encode_fails(
        V5,
        &Packet::Publish(Publish::new("a/#", b"")),
        EncodeError::Invalid(K::WildcardInTopicName),
    );
    let will = Connect {
        will: Some(Will::new("+", b"")),
        ..Connect::new(V5, "c")
    };
    encode_fails(
        V5,
        &Packet::Connect(will),
        EncodeError::Invalid(K::WildcardInTopicName),
    );
}

/// `#` is either the whole filter or follows a `/`, and nothing comes after it.
#[test]
fn mqtt_4_7_1_1_multi_level_wildcard_placement() {
    for ok in ["#", "a/#", "/#", "+/#", "a/b/#", "a//#"] {
        assert_eq!(topic::check_filter(ok, V5), Ok(()), "{ok}");
    }
    for bad in ["a#", "#a", "#/", "#/a", "a/#/b", "a/b#", "##", "a/#/"] {
        assert_eq!(
            topic::check_filter(bad, V5),
            Err(K::InvalidTopicFilter),
            "{bad}"
        );
    }
    // SUBSCRIBE "a/#/b": refused at the filter (its length at offset 5).
    invalid(
        V5,
        &[
            0x82, 0x0B, 0x00, 0x01, 0x00, 0x00, 0x05, b'a', b'/', b'#', b'/', b'b', 0x00,
        ],
        K::InvalidTopicFilter,
        5,
    );
    // UNSUBSCRIBE "a#".
    invalid(
        V5,
        &[0xA2, 0x07, 0x00, 0x01, 0x00, 0x00, 0x02, b'a', b'#'],
        K::InvalidTopicFilter,
        5,
    );
    let subs = [Subscription::new("a#", QoS::AtMostOnce)];
    encode_fails(
        V5,
        &Packet::Subscribe(Subscribe::new(pid(1), Subscriptions::new(&subs))),
        EncodeError::Invalid(K::InvalidTopicFilter),
    );
    // `$share/{ShareName}/` is not part of the filter: `#` may follow it directly.
    assert_eq!(topic::check_filter("$share/g/#", V5), Ok(()));
    assert_eq!(
        topic::check_filter("$share/g/a#", V5),
        Err(K::InvalidTopicFilter)
    );
}

/// Topic Names and Topic Filters encode to at most 65,535 bytes: that many is accepted
/// both ways, one more is refused by the encoder (a length field cannot say more).
#[test]
fn mqtt_4_7_3_3_topics_at_most_65535_bytes() {
    let longest = "a".repeat(65_535);
    let too_long = "a".repeat(65_536);

    // PUBLISH with the longest topic: Remaining Length 2 + 65,535 + 1 = 65,538 (82 80 04).
    let publish = Publish::new(&longest, b"");
    let mut bytes = vec![0x30, 0x82, 0x80, 0x04, 0xFF, 0xFF];
    bytes.extend_from_slice(longest.as_bytes());
    bytes.push(0x00);
    // (`spec_v3_common::valid` takes the version and has room for a packet this size.)
    spec_v3_common::valid(V5, &bytes, &Packet::Publish(publish));

    encode_fails(
        V5,
        &Packet::Publish(Publish::new(&too_long, b"")),
        EncodeError::FieldTooLong,
    );
    let subs = [Subscription::new(&too_long, QoS::AtMostOnce)];
    encode_fails(
        V5,
        &Packet::Subscribe(Subscribe::new(pid(1), Subscriptions::new(&subs))),
        EncodeError::FieldTooLong,
    );
    let filters = [too_long.as_str()];
    encode_fails(
        V5,
        &Packet::Unsubscribe(Unsubscribe::new(pid(1), TopicFilters::new(&filters))),
        EncodeError::FieldTooLong,
    );
}
