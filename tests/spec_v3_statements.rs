//! MQTT 3.1.1 normative statements that no other test cited by id: one test per statement,
//! named after it. Packets are written byte by byte from the specification; the checks are
//! the shared ones of `spec_v3_common` (exact error kind and offset, every prefix, the
//! framer path, and the encoder giving back the same bytes).
//!
//! Statements a codec cannot check (broker matching, the sender's role) have a line in
//! `tools/conformance-notes.tsv` instead.

#[macro_use]
mod spec_v3_common;

use mqtt_wire::{
    ConnAck, Connect, DecodeErrorKind as K, Disconnect, EncodeError, Packet, PacketId, Properties,
    Publish, QoS, ReasonCode, TopicFilters, Unsubscribe, Version, Will,
};
use spec_v3_common::{encode_fails, hex, invalid, valid};

const V311: Version = Version::V3_1_1;

fn pid(n: u16) -> PacketId {
    PacketId::new(n).unwrap()
}

/// The payload of a CONNECT holds, when their flags are set, the Client Identifier, the
/// Will Topic, the Will Message, the User Name and the Password, always in that order.
#[test]
fn mqtt_3_1_3_1_payload_field_order() {
    let bytes = hex(concat!(
        "10 1F",                // CONNECT, Remaining Length 31
        "00 04 4D 51 54 54 04", // "MQTT", level 4
        "EE",                   // user name, password, will retain, will QoS 1, will, clean
        "00 3C",                // keep alive 60
        "00 03 63 69 64",       // client id "cid"
        "00 03 77 2F 74",       // will topic "w/t"
        "00 02 68 69",          // will message "hi"
        "00 01 75",             // user name "u"
        "00 02 70 77",          // password "pw"
    ));
    let expected = Connect {
        version: V311,
        clean_start: true,
        keep_alive: 60,
        properties: Properties::EMPTY,
        client_id: "cid",
        will: Some(Will {
            qos: QoS::AtLeastOnce,
            retain: true,
            ..Will::new("w/t", b"hi")
        }),
        username: Some("u"),
        password: Some(b"pw"),
        bridge: false,
    };
    // Decoding reads the fields in this order, and encoding writes them in this order.
    valid(V311, &bytes, &Packet::Connect(expected));

    // The fields are positional: a binary Password written where the Will Topic belongs is
    // read as the Will Topic, and its byte FF is not UTF-8 (offset 17 = its first byte).
    invalid(
        V311,
        &hex(concat!(
            "10 19 00 04 4D 51 54 54 04",
            "C6 00 3C", // user name, password, will (QoS 0), clean
            "00 01 63", // client id "c"
            "00 01 FF", // the password, out of place
            "00 01 77 00 01 6D 00 01 75",
        )),
        K::InvalidUtf8,
        17,
    );
}

/// The Client Identifier is a UTF-8 encoded string: multi-byte characters are accepted
/// and kept; ill-formed UTF-8, encoded surrogates and U+0000 are refused at the bad byte.
#[test]
fn mqtt_3_1_3_4_client_id_is_utf8() {
    // Client id "é" (C3 A9).
    valid(
        V311,
        &hex("10 0E 00 04 4D 51 54 54 04 02 00 3C 00 02 C3 A9"),
        &Packet::Connect(Connect::new(V311, "\u{e9}")),
    );
    // The client id's length is at offset 12, its first byte at 14.
    let header = "00 04 4D 51 54 54 04 02 00 3C";
    for (rl, id, kind, offset) in [
        ("0E", "00 02 61 FF", K::InvalidUtf8, 15), // lone byte FF
        ("0F", "00 03 ED A0 80", K::InvalidUtf8, 14), // surrogate U+D800
        ("0E", "00 02 C0 80", K::InvalidUtf8, 14), // overlong U+0000
        ("0D", "00 01 80", K::InvalidUtf8, 14),    // continuation byte alone
        ("0D", "00 01 C3", K::InvalidUtf8, 14),    // sequence cut short by the length
        ("0E", "00 02 61 00", K::NullCharacter, 15), // U+0000
    ] {
        invalid(V311, &hex(&format!("10 {rl} {header} {id}")), kind, offset);
    }
}

/// A zero-length Client Identifier with Clean Session 0 must be refused with CONNACK return
/// code 0x02 (Identifier rejected). The decoder detects the condition; the refusal it calls
/// for is representable: 0x02 is `ClientIdentifierNotValid` and encodes as `20 02 00 02`.
#[test]
fn mqtt_3_1_3_8_empty_client_id_without_clean_session() {
    // Clean Session 0, client id "" (length at offset 12).
    invalid(
        V311,
        &hex("10 0C 00 04 4D 51 54 54 04 00 00 3C 00 00"),
        K::EmptyClientIdWithoutCleanSession,
        12,
    );
    // The same CONNECT with Clean Session 1 is fine.
    valid(
        V311,
        &hex("10 0C 00 04 4D 51 54 54 04 02 00 3C 00 00"),
        &Packet::Connect(Connect::new(V311, "")),
    );
    // The CONNACK the server must answer with.
    assert_eq!(
        ReasonCode::from_v3_connack(2),
        Some(ReasonCode::ClientIdentifierNotValid)
    );
    assert_eq!(
        ReasonCode::ClientIdentifierNotValid.to_v3_connack(),
        Some(2)
    );
    valid(
        V311,
        &hex("20 02 00 02"),
        &Packet::ConnAck(ConnAck::new(ReasonCode::ClientIdentifierNotValid)),
    );
    // A client cannot encode the forbidden CONNECT either.
    let connect = Connect {
        clean_start: false,
        ..Connect::new(V311, "")
    };
    encode_fails(
        V311,
        &Packet::Connect(connect),
        EncodeError::Invalid(K::EmptyClientIdWithoutCleanSession),
    );
}

/// A server checks that a CONNECT has the form of §3.1 and closes the connection, without
/// a CONNACK, when it has not. Each malformed form below is refused by the decoder, and
/// the reason it reports has no 3.1.1 CONNACK return code (so there is nothing to answer).
#[test]
fn mqtt_3_1_4_1_malformed_connect_is_refused() {
    valid(
        V311,
        &hex("10 0D 00 04 4D 51 54 54 04 02 00 3C 00 01 63"),
        &Packet::Connect(Connect::new(V311, "c")),
    );
    // Protocol name "AMQP": refused too. (What the server then does is §3.1.2.1's choice:
    // close, or go on under another protocol, never under this one.)
    invalid(
        V311,
        &hex("10 0D 00 04 41 4D 51 50 04 02 00 3C 00 01 63"),
        K::InvalidProtocolName,
        2,
    );
    for (hex_bytes, kind, offset) in [
        // Reserved CONNECT flag set.
        (
            "10 0D 00 04 4D 51 54 54 04 03 00 3C 00 01 63",
            K::ConnectReservedFlag,
            9,
        ),
        // Will QoS 1 without the Will Flag.
        (
            "10 0D 00 04 4D 51 54 54 04 0A 00 3C 00 01 63",
            K::WillQoSWithoutWill,
            9,
        ),
        // Password Flag without the User Name Flag.
        (
            "10 10 00 04 4D 51 54 54 04 42 00 3C 00 01 63 00 01 70",
            K::PasswordWithoutUsername,
            9,
        ),
        // No payload at all: the client id is missing. Remaining Length 10 is below the
        // smallest CONNECT of any version (12), so the header refuses it.
        (
            "10 0A 00 04 4D 51 54 54 04 02 00 3C",
            K::InvalidRemainingLength,
            1,
        ),
        // Will Flag set, but nothing after the client id.
        (
            "10 0D 00 04 4D 51 54 54 04 06 00 3C 00 01 63",
            K::Truncated,
            15,
        ),
        // A byte after the last field the flags announce.
        (
            "10 0E 00 04 4D 51 54 54 04 02 00 3C 00 01 63 00",
            K::TrailingBytes,
            15,
        ),
        // Keep Alive cut short by the Remaining Length (refused at the header, too short).
        (
            "10 09 00 04 4D 51 54 54 04 02 00",
            K::InvalidRemainingLength,
            1,
        ),
        // The client id's length runs past the Remaining Length.
        (
            "10 0C 00 04 4D 51 54 54 04 02 00 3C 00 05",
            K::Truncated,
            14,
        ),
    ] {
        let bytes = hex(hex_bytes);
        invalid(V311, &bytes, kind, offset);
        assert_eq!(
            kind.reason_code().to_v3_connack(),
            None,
            "{kind:?} should not map to a CONNACK return code"
        );
    }
}

/// The Topic Filters of an UNSUBSCRIBE are UTF-8 encoded strings, one after the other with
/// nothing between them. Each is handed back exactly as sent, wildcards included.
#[test]
fn mqtt_3_10_3_1_unsubscribe_filters_are_utf8() {
    let bytes = hex(concat!(
        "A2 0E",          // UNSUBSCRIBE, Remaining Length 14
        "00 0A",          // packet id 10
        "00 03 61 2F 2B", // "a/+"
        "00 01 23",       // "#"
        "00 02 C3 A9",    // "é"
    ));
    let filters = ["a/+", "#", "\u{e9}"];
    let expected = Unsubscribe::new(pid(10), TopicFilters::new(&filters));
    valid(V311, &bytes, &Packet::Unsubscribe(expected));

    for (hex_bytes, kind, offset) in [
        // Second filter is the lone byte FF.
        ("A2 08 00 0A 00 01 61 00 01 FF", K::InvalidUtf8, 9),
        // Encoded surrogate U+D800.
        ("A2 07 00 0A 00 03 ED A0 80", K::InvalidUtf8, 6),
        // U+0000 inside a filter.
        ("A2 06 00 0A 00 02 61 00", K::NullCharacter, 7),
        // The second filter's length runs past the packet.
        ("A2 09 00 0A 00 01 61 00 05 61 62", K::Truncated, 9),
    ] {
        invalid(V311, &hex(hex_bytes), kind, offset);
    }
}

/// The reserved flag bits of a DISCONNECT's fixed header are all 0; a server that sees any
/// other value treats the packet as malformed and drops the client.
#[test]
fn mqtt_3_14_1_1_disconnect_flags_must_be_zero() {
    valid(V311, &hex("E0 00"), &Packet::Disconnect(Disconnect::new()));
    for flags in 1u8..=0x0F {
        invalid(V311, &[0xE0 | flags, 0x00], K::ReservedFlags, 0);
    }
}

/// In the QoS 0 exchange the sender's PUBLISH has QoS 0 and DUP 0: the encoder writes a
/// QoS 0 PUBLISH with a flag nibble of 0 and refuses one marked as a duplicate.
#[test]
fn mqtt_4_3_1_1_qos0_sender_sends_dup_0() {
    // PUBLISH, flags 0000, topic "a", payload "x".
    valid(
        V311,
        &hex("30 04 00 01 61 78"),
        &Packet::Publish(Publish::new("a", b"x")),
    );
    let dup = Publish {
        dup: true,
        ..Publish::new("a", b"x")
    };
    encode_fails(
        V311,
        &Packet::Publish(dup),
        EncodeError::Invalid(K::DupWithQoS0),
    );
    // DUP stays available where it means something: QoS 1, flags 1010, packet id 1.
    let redelivery = Publish {
        dup: true,
        qos: QoS::AtLeastOnce,
        packet_id: Some(pid(1)),
        ..Publish::new("a", b"x")
    };
    valid(
        V311,
        &hex("3A 06 00 01 61 00 01 78"),
        &Packet::Publish(redelivery),
    );
}
