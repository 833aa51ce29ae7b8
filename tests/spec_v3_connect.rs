//! CONNECT under MQTT 3.1.1 (§3.1, protocol "MQTT" level 4) and MQTT 3.1 ("MQIsdp" level 3),
//! written byte by byte from the specifications.
//!
//! Offsets in the 3.1.1 invalid cases: 0 type, 1 Remaining Length, 2-3 name length,
//! 4-7 "MQTT", 8 level, 9 connect flags, 10-11 keep alive, 12-13 client id length, 14.. id.
//! In 3.1 the name is 6 bytes: 10 level, 11 flags, 12-13 keep alive, 14-15 id length.

#[macro_use]
mod spec_v3_common;

use mqtt_wire::{
    Connect, DecodeErrorKind, EncodeError, Packet, Properties, Property, QoS, ReasonCode, Status,
    Version, Will, decode,
};
use spec_v3_common::{encode_fails, hex, valid};

// ---- valid packets -----------------------------------------------------------------------

/// 3.1.1 §3.1.2.10 gives this variable header as its example (flags CE, keep alive 10).
#[test]
fn v3_1_1_spec_example_with_will_username_password() {
    let bytes = hex(concat!(
        "10 22",             // CONNECT, Remaining Length 34
        "00 04 4D 51 54 54", // protocol name "MQTT"
        "04",                // protocol level 4
        "CE",    // user 1, password 1, will retain 0, will QoS 01, will 1, clean 1, reserved 0
        "00 0A", // keep alive 10 s
        "00 03 63 69 64", // client id "cid"
        "00 03 61 2F 62", // will topic "a/b"
        "00 02 68 69", // will message "hi"
        "00 04 75 73 65 72", // user name "user"
        "00 02 70 77", // password "pw"
    ));
    let expected = Packet::Connect(Connect {
        version: Version::V3_1_1,
        clean_start: true,
        keep_alive: 10,
        properties: Properties::EMPTY,
        client_id: "cid",
        will: Some(Will {
            qos: QoS::AtLeastOnce,
            ..Will::new("a/b", b"hi")
        }),
        username: Some("user"),
        password: Some(b"pw"),
        bridge: false,
    });
    valid(Version::V3_1_1, &bytes, &expected);
}

#[test]
fn v3_1_1_minimal_empty_client_id_with_clean_session() {
    let bytes = hex(concat!(
        "10 0C",             // CONNECT, Remaining Length 12
        "00 04 4D 51 54 54", // "MQTT"
        "04",                // level 4
        "02",                // clean session 1 (MQTT-3.1.3-7 allows the empty id)
        "00 3C",             // keep alive 60
        "00 00",             // client id "" (MQTT-3.1.3-6)
    ));
    valid(
        Version::V3_1_1,
        &bytes,
        &Packet::Connect(Connect::new(Version::V3_1_1, "")),
    );
}

#[test]
fn v3_1_1_retained_qos2_will_without_clean_session() {
    let bytes = hex(concat!(
        "10 12",             // CONNECT, Remaining Length 18
        "00 04 4D 51 54 54", // "MQTT"
        "04",                // level 4
        "34",                // will retain 1, will QoS 10, will 1, clean 0
        "00 00",             // keep alive 0 (off)
        "00 01 63",          // client id "c"
        "00 01 77",          // will topic "w"
        "00 00",             // will message: empty
    ));
    let expected = Packet::Connect(Connect {
        clean_start: false,
        keep_alive: 0,
        will: Some(Will {
            qos: QoS::ExactlyOnce,
            retain: true,
            ..Will::new("w", b"")
        }),
        ..Connect::new(Version::V3_1_1, "c")
    });
    valid(Version::V3_1_1, &bytes, &expected);
}

#[test]
fn v3_1_1_username_without_password() {
    let bytes = hex(concat!(
        "10 11",             // Remaining Length 17
        "00 04 4D 51 54 54", // "MQTT"
        "04",                // level 4
        "82",                // user name 1, clean 1
        "FF FF",             // keep alive 65535
        "00 01 63",          // client id "c"
        "00 02 75 31",       // user name "u1"
    ));
    let expected = Packet::Connect(Connect {
        keep_alive: 0xFFFF,
        username: Some("u1"),
        ..Connect::new(Version::V3_1_1, "c")
    });
    valid(Version::V3_1_1, &bytes, &expected);
}

#[test]
fn v3_1_1_empty_username_and_binary_password() {
    let bytes = hex(concat!(
        "10 14",             // Remaining Length 20
        "00 04 4D 51 54 54", // "MQTT"
        "04",                // level 4
        "C2",                // user name 1, password 1, clean 1
        "00 3C",             // keep alive 60
        "00 01 63",          // client id "c"
        "00 00",             // user name ""
        "00 03 00 FF 80",    // password: binary data, need not be UTF-8 (§3.1.3.5)
    ));
    let expected = Packet::Connect(Connect {
        username: Some(""),
        password: Some(&[0x00, 0xFF, 0x80]),
        ..Connect::new(Version::V3_1_1, "c")
    });
    valid(Version::V3_1_1, &bytes, &expected);
}

/// MQTT-1.5.3-3: EF BB BF is U+FEFF and is kept, not stripped.
#[test]
fn mqtt_1_5_3_3_bom_in_client_id_is_kept() {
    let bytes = hex(concat!(
        "10 10",             // Remaining Length 16
        "00 04 4D 51 54 54", // "MQTT"
        "04 02 00 3C",       // level 4, clean 1, keep alive 60
        "00 04 EF BB BF 78", // client id "\u{FEFF}x"
    ));
    valid(
        Version::V3_1_1,
        &bytes,
        &Packet::Connect(Connect::new(Version::V3_1_1, "\u{FEFF}x")),
    );
}

#[test]
fn v3_1_minimal() {
    let bytes = hex(concat!(
        "10 11",                   // CONNECT, Remaining Length 17
        "00 06 4D 51 49 73 64 70", // protocol name "MQIsdp"
        "03",                      // protocol version 3
        "02",                      // clean session 1
        "00 3C",                   // keep alive 60
        "00 03 61 62 63",          // client id "abc"
    ));
    valid(
        Version::V3_1,
        &bytes,
        &Packet::Connect(Connect::new(Version::V3_1, "abc")),
    );
}

/// The 3.1 specification's CONNECT example uses the same flags (CE) and keep alive (10).
#[test]
fn v3_1_with_will_username_password() {
    let bytes = hex(concat!(
        "10 24",                   // Remaining Length 36
        "00 06 4D 51 49 73 64 70", // "MQIsdp"
        "03",                      // version 3
        "CE",                      // user, password, will QoS 1, will, clean
        "00 0A",                   // keep alive 10
        "00 03 63 69 64",          // client id "cid"
        "00 03 61 2F 62",          // will topic "a/b"
        "00 02 68 69",             // will message "hi"
        "00 04 75 73 65 72",       // user name "user"
        "00 02 70 77",             // password "pw"
    ));
    let expected = Packet::Connect(Connect {
        keep_alive: 10,
        will: Some(Will {
            qos: QoS::AtLeastOnce,
            ..Will::new("a/b", b"hi")
        }),
        username: Some("user"),
        password: Some(b"pw"),
        ..Connect::new(Version::V3_1, "cid")
    });
    valid(Version::V3_1, &bytes, &expected);
}

/// A CONNECT names its own version: the level in the packet wins over the argument.
#[test]
fn connect_version_comes_from_the_packet() {
    let v311 = hex("10 0C 00 04 4D 51 54 54 04 02 00 3C 00 00");
    let v31 = hex("10 11 00 06 4D 51 49 73 64 70 03 02 00 3C 00 03 61 62 63");
    for arg in Version::ALL {
        let Ok(Status::Complete((Packet::Connect(c), 14))) = decode(&v311, arg) else {
            panic!("3.1.1 CONNECT under {arg}");
        };
        assert_eq!(c.version, Version::V3_1_1);
        let Ok(Status::Complete((Packet::Connect(c), 19))) = decode(&v31, arg) else {
            panic!("3.1 CONNECT under {arg}");
        };
        assert_eq!(c.version, Version::V3_1);
    }
}

/// A 65,535-byte client id is the longest string (§1.5.3); the packet needs a 3-byte
/// Remaining Length.
#[test]
fn v3_1_1_longest_client_id() {
    let id = "x".repeat(65_535);
    let mut bytes = hex(concat!(
        "10 8B 80 04",       // Remaining Length 65,547 = 0x0B + 0x00<<7 + 0x04<<14
        "00 04 4D 51 54 54", // "MQTT"
        "04 02 00 3C",       // level 4, clean 1, keep alive 60
        "FF FF",             // client id length 65,535
    ));
    bytes.extend_from_slice(id.as_bytes());
    assert_eq!(bytes.len(), 4 + 65_547);
    valid(
        Version::V3_1_1,
        &bytes,
        &Packet::Connect(Connect::new(Version::V3_1_1, &id)),
    );
}

// ---- invalid flags (3.1.1) -----------------------------------------------------------------

invalid!(
    /// MQTT-3.1.2-3: the reserved flag (bit 0) must be 0.
    mqtt_3_1_2_3_reserved_flag, V3_1_1,
    "10 0C 00 04 4D 51 54 54 04 03 00 3C 00 00" => ConnectReservedFlag @ 9);
invalid!(
    /// MQTT-3.1.2-3 with every other flag set as well.
    mqtt_3_1_2_3_reserved_flag_all_bits, V3_1_1,
    "10 0C 00 04 4D 51 54 54 04 FF 00 3C 00 00" => ConnectReservedFlag @ 9);
invalid!(
    /// MQTT-3.1.2-13: Will QoS 1 without the Will Flag.
    mqtt_3_1_2_13_will_qos1_without_will, V3_1_1,
    "10 0C 00 04 4D 51 54 54 04 0A 00 3C 00 00" => WillQoSWithoutWill @ 9);
invalid!(
    /// MQTT-3.1.2-13: Will QoS 2 without the Will Flag.
    mqtt_3_1_2_13_will_qos2_without_will, V3_1_1,
    "10 0C 00 04 4D 51 54 54 04 12 00 3C 00 00" => WillQoSWithoutWill @ 9);
invalid!(
    /// MQTT-3.1.2-13 (and -14): Will QoS 3 without the Will Flag.
    mqtt_3_1_2_13_will_qos3_without_will, V3_1_1,
    "10 0C 00 04 4D 51 54 54 04 1A 00 3C 00 00" => WillQoSWithoutWill @ 9);
invalid!(
    /// MQTT-3.1.2-15: Will Retain without the Will Flag.
    mqtt_3_1_2_15_will_retain_without_will, V3_1_1,
    "10 0C 00 04 4D 51 54 54 04 22 00 3C 00 00" => WillRetainWithoutWill @ 9);
invalid!(
    /// MQTT-3.1.2-14: Will QoS 3 with the Will Flag (topic "w", empty message follow).
    mqtt_3_1_2_14_will_qos3, V3_1_1,
    "10 12 00 04 4D 51 54 54 04 1E 00 3C 00 01 63 00 01 77 00 00" => InvalidWillQoS @ 9);
invalid!(
    /// MQTT-3.1.2-22: Password Flag without User Name Flag (password "p" follows).
    mqtt_3_1_2_22_password_without_username, V3_1_1,
    "10 0F 00 04 4D 51 54 54 04 42 00 3C 00 00 00 01 70" => PasswordWithoutUsername @ 9);

// ---- protocol name and level ---------------------------------------------------------------

invalid!(
    /// MQTT-3.1.2-1: protocol name "AMQP".
    mqtt_3_1_2_1_unknown_protocol_name, V3_1_1,
    "10 0C 00 04 41 4D 51 50 04 02 00 3C 00 00" => InvalidProtocolName @ 2);
invalid!(
    /// MQTT-3.1.2-1: protocol name "MQ" (a prefix of "MQTT").
    mqtt_3_1_2_1_short_protocol_name, V3_1_1,
    "10 0D 00 02 4D 51 04 02 00 3C 00 03 61 62 63" => InvalidProtocolName @ 2);
invalid!(
    /// MQTT-3.1.2-1: an empty protocol name.
    mqtt_3_1_2_1_empty_protocol_name, V3_1_1,
    "10 0C 00 00 04 02 00 3C 00 04 61 62 63 64" => InvalidProtocolName @ 2);

/// MQTT-3.1.2-1: the name is case-sensitive and exact. Names one edit away from "MQTT" or
/// "MQIsdp" may be reported with a friendlier kind (`MisspelledProtocolName`), but always as
/// a refusal of the protocol name at offset 2.
#[test]
fn mqtt_3_1_2_1_near_miss_protocol_names() {
    for bytes in [
        "10 0C 00 04 6D 71 74 74 04 02 00 3C 00 00",    // "mqtt"
        "10 0C 00 04 4D 51 54 58 04 02 00 3C 00 00",    // "MQTX"
        "10 0D 00 05 4D 51 54 54 73 04 02 00 3C 00 00", // "MQTTs"
        "10 0E 00 06 4D 51 49 53 44 50 03 02 00 3C 00 00", // "MQISDP"
        "10 0C 00 03 4D 51 54 04 02 00 3C 00 01 63",    // "MQT"
    ] {
        let bytes = hex(bytes);
        let err = decode(&bytes, Version::V3_1_1).unwrap_err();
        let kind = format!("{:?}", err.kind());
        assert!(
            kind == "InvalidProtocolName" || kind.starts_with("MisspelledProtocolName"),
            "{bytes:02X?}: {kind}"
        );
        assert_eq!(err.offset(), 2, "{bytes:02X?}");
        assert_eq!(err.reason_code(), ReasonCode::UnsupportedProtocolVersion);
    }
}
invalid!(
    /// MQTT-3.1.2-1 / MQTT-1.5.3-1: a protocol name that is not UTF-8.
    mqtt_3_1_2_1_protocol_name_not_utf8, V3_1_1,
    "10 0C 00 04 4D 51 54 FF 04 02 00 3C 00 00" => InvalidUtf8 @ 7);
invalid!(
    /// MQTT-3.1.2-2: "MQTT" with level 3 (3.1's level belongs to "MQIsdp").
    mqtt_3_1_2_2_mqtt_with_level_3, V3_1_1,
    "10 0C 00 04 4D 51 54 54 03 02 00 3C 00 00" => UnsupportedProtocolLevel @ 8);
invalid!(
    /// MQTT-3.1.2-2: "MQTT" with level 6.
    mqtt_3_1_2_2_mqtt_with_level_6, V3_1_1,
    "10 0C 00 04 4D 51 54 54 06 02 00 3C 00 00" => UnsupportedProtocolLevel @ 8);
invalid!(
    /// MQTT-3.1.2-2: "MQTT" with level 0.
    mqtt_3_1_2_2_mqtt_with_level_0, V3_1_1,
    "10 0C 00 04 4D 51 54 54 00 02 00 3C 00 00" => UnsupportedProtocolLevel @ 8);
invalid!(
    /// MQTT-3.1.2-2: "MQIsdp" with level 4.
    mqtt_3_1_2_2_mqisdp_with_level_4, V3_1,
    "10 0E 00 06 4D 51 49 73 64 70 04 02 00 3C 00 00" => UnsupportedProtocolLevel @ 10);
invalid!(
    /// MQTT-3.1.2-2: "MQIsdp" with level 5.
    mqtt_3_1_2_2_mqisdp_with_level_5, V3_1_1,
    "10 0E 00 06 4D 51 49 73 64 70 05 02 00 3C 00 00" => UnsupportedProtocolLevel @ 10);

// ---- bridges: level | 0x80 (a departure from MQTT-3.1.2-2, see the README's policies) ------

/// What mosquitto 2.0.11 sends for a `bridge_protocol_version mqttv311` bridge with
/// `try_private true` (captured live): "MQTT" level 0x84, flags 2E (will retain, will QoS 1,
/// will, clean session), keep alive 60, client id "vm.br-mqttv311", a retained QoS 1 will
/// "0" on its `$SYS/broker/connection/<client id>/state` topic. It decodes as a 3.1.1 bridge
/// and encodes back to the same bytes.
#[test]
fn mqtt_3_1_2_2_mqtt_with_bridge_bit_is_a_3_1_1_bridge() {
    let bytes = hex(concat!(
        "10 4A 00 04 4D 51 54 54 84 2E 00 3C",
        "00 0E 76 6D 2E 62 72 2D 6D 71 74 74 76 33 31 31",
        "00 2B 24 53 59 53 2F 62 72 6F 6B 65 72 2F 63 6F 6E 6E 65 63 74 69 6F 6E",
        "2F 76 6D 2E 62 72 2D 6D 71 74 74 76 33 31 31 2F 73 74 61 74 65",
        "00 01 30",
    ));
    let expected = Packet::Connect(Connect {
        will: Some(Will {
            qos: QoS::AtLeastOnce,
            retain: true,
            ..Will::new("$SYS/broker/connection/vm.br-mqttv311/state", b"0")
        }),
        bridge: true,
        ..Connect::new(Version::V3_1_1, "vm.br-mqttv311")
    });
    valid(Version::V3_1_1, &bytes, &expected);
}

/// The same for `bridge_protocol_version mqttv31`: "MQIsdp" level 0x83 is a 3.1 bridge.
#[test]
fn mqtt_3_1_2_2_mqisdp_with_bridge_bit_is_a_3_1_bridge() {
    let bytes = hex(concat!(
        "10 4A 00 06 4D 51 49 73 64 70 83 2E 00 3C",
        "00 0D 76 6D 2E 62 72 2D 6D 71 74 74 76 33 31",
        "00 2A 24 53 59 53 2F 62 72 6F 6B 65 72 2F 63 6F 6E 6E 65 63 74 69 6F 6E",
        "2F 76 6D 2E 62 72 2D 6D 71 74 74 76 33 31 2F 73 74 61 74 65",
        "00 01 30",
    ));
    let expected = Packet::Connect(Connect {
        will: Some(Will {
            qos: QoS::AtLeastOnce,
            retain: true,
            ..Will::new("$SYS/broker/connection/vm.br-mqttv31/state", b"0")
        }),
        bridge: true,
        ..Connect::new(Version::V3_1, "vm.br-mqttv31")
    });
    valid(Version::V3_1, &bytes, &expected);
}

/// The smallest 3.1.1 bridge CONNECT; the bit does not depend on the connection's version.
#[test]
fn mqtt_3_1_2_2_bridge_bit_minimal() {
    let bytes = hex("10 0C 00 04 4D 51 54 54 84 02 00 3C 00 00");
    let expected = Packet::Connect(Connect {
        bridge: true,
        ..Connect::new(Version::V3_1_1, "")
    });
    valid(Version::V3_1_1, &bytes, &expected);
    for arg in Version::ALL {
        assert_eq!(
            decode(&bytes, arg),
            Ok(Status::Complete((expected, 14))),
            "{arg}"
        );
    }
}

/// A `bridge_protocol_version mqttv50` bridge of mosquitto 2.0.11 sends plain level 5
/// (captured live; 5.0 has no bridge level), so it is an ordinary 5.0 CONNECT.
#[test]
fn mosquitto_v5_bridge_sends_plain_level_5() {
    let bytes = hex(concat!(
        "10 4D 00 04 4D 51 54 54 05 2E 00 3C 03 21 00 14",
        "00 0D 76 6D 2E 62 72 2D 6D 71 74 74 76 35 30 00",
        "00 2A 24 53 59 53 2F 62 72 6F 6B 65 72 2F 63 6F 6E 6E 65 63 74 69 6F 6E",
        "2F 76 6D 2E 62 72 2D 6D 71 74 74 76 35 30 2F 73 74 61 74 65",
        "00 01 30",
    ));
    let Ok(Status::Complete((Packet::Connect(c), 79))) = decode(&bytes, Version::V5) else {
        panic!("mosquitto's 5.0 bridge CONNECT");
    };
    assert_eq!((c.version, c.bridge), (Version::V5, false));
}

invalid!(
    /// MQTT-3.1.2-2: the bridge bit alone (level 0x80) is no level.
    mqtt_3_1_2_2_bridge_bit_alone, V3_1_1,
    "10 0C 00 04 4D 51 54 54 80 02 00 3C 00 00" => UnsupportedProtocolLevel @ 8);
invalid!(
    /// MQTT-3.1.2-2: 0x85, 5 with the bridge bit: mosquitto sends 5 for a 5.0 bridge, and
    /// nothing known sends 0x85, so it stays refused.
    mqtt_3_1_2_2_mqtt_with_level_0x85, V3_1_1,
    "10 0C 00 04 4D 51 54 54 85 02 00 3C 00 00" => UnsupportedProtocolLevel @ 8);
invalid!(
    /// MQTT-3.1.2-2: 0x86, the bridge bit on an unknown level.
    mqtt_3_1_2_2_mqtt_with_level_0x86, V3_1_1,
    "10 0C 00 04 4D 51 54 54 86 02 00 3C 00 00" => UnsupportedProtocolLevel @ 8);
invalid!(
    /// MQTT-3.1.2-2: 0xC4, another high bit besides the bridge bit.
    mqtt_3_1_2_2_mqtt_with_level_0xc4, V3_1_1,
    "10 0C 00 04 4D 51 54 54 C4 02 00 3C 00 00" => UnsupportedProtocolLevel @ 8);
invalid!(
    /// MQTT-3.1.2-2: 0x44, a high bit other than the bridge bit.
    mqtt_3_1_2_2_mqtt_with_level_0x44, V3_1_1,
    "10 0C 00 04 4D 51 54 54 44 02 00 3C 00 00" => UnsupportedProtocolLevel @ 8);
invalid!(
    /// MQTT-3.1.2-2: "MQTT" with 0x83: the 3.1 bridge level belongs to "MQIsdp".
    mqtt_3_1_2_2_mqtt_with_level_0x83, V3_1_1,
    "10 0C 00 04 4D 51 54 54 83 02 00 3C 00 00" => UnsupportedProtocolLevel @ 8);
invalid!(
    /// MQTT-3.1.2-2: "MQIsdp" with 0x84: the 3.1.1 bridge level belongs to "MQTT".
    mqtt_3_1_2_2_mqisdp_with_level_0x84, V3_1,
    "10 0E 00 06 4D 51 49 73 64 70 84 02 00 3C 00 00" => UnsupportedProtocolLevel @ 10);
invalid!(
    /// MQTT-3.1.2-2: "MQIsdp" with 0x85.
    mqtt_3_1_2_2_mqisdp_with_level_0x85, V3_1,
    "10 0E 00 06 4D 51 49 73 64 70 85 02 00 3C 00 00" => UnsupportedProtocolLevel @ 10);
invalid!(
    /// MQTT-3.1.2-2: "MQIsdp" with the bridge bit alone.
    mqtt_3_1_2_2_mqisdp_with_level_0x80, V3_1,
    "10 0E 00 06 4D 51 49 73 64 70 80 02 00 3C 00 00" => UnsupportedProtocolLevel @ 10);

/// A 5.0 CONNECT cannot say "bridge": encoding one is refused, not sent as plain 5.
#[test]
fn encode_bridge_not_in_v5() {
    let p = Packet::Connect(Connect {
        bridge: true,
        ..Connect::new(Version::V5, "c")
    });
    encode_fails(
        Version::V5,
        &p,
        EncodeError::NotInVersion(mqtt_wire::Field::Bridge),
    );
}

// ---- payload (3.1.1) -------------------------------------------------------------------------

invalid!(
    /// MQTT-3.1.3-7: a zero-length client id requires Clean Session 1.
    mqtt_3_1_3_7_empty_client_id_without_clean_session, V3_1_1,
    "10 0C 00 04 4D 51 54 54 04 00 00 3C 00 00" => EmptyClientIdWithoutCleanSession @ 12);
invalid!(
    /// MQTT-3.3.2-2 / MQTT-4.7.1-1 for the Will Topic (a topic name): "a/+".
    mqtt_3_3_2_2_will_topic_with_plus, V3_1_1,
    "10 14 00 04 4D 51 54 54 04 06 00 3C 00 01 63 00 03 61 2F 2B 00 00" => WildcardInTopicName @ 15);
invalid!(
    /// MQTT-3.3.2-2 / MQTT-4.7.1-1 for the Will Topic: "#".
    mqtt_3_3_2_2_will_topic_with_hash, V3_1_1,
    "10 12 00 04 4D 51 54 54 04 06 00 3C 00 01 63 00 01 23 00 00" => WildcardInTopicName @ 15);
invalid!(
    /// MQTT-4.7.3-1: an empty Will Topic.
    mqtt_4_7_3_1_empty_will_topic, V3_1_1,
    "10 11 00 04 4D 51 54 54 04 06 00 3C 00 01 63 00 00 00 00" => EmptyTopic @ 15);
invalid!(
    /// MQTT-1.5.3-1: client id "a" + lone byte FF.
    mqtt_1_5_3_1_client_id_not_utf8, V3_1_1,
    "10 0E 00 04 4D 51 54 54 04 02 00 3C 00 02 61 FF" => InvalidUtf8 @ 15);
invalid!(
    /// MQTT-1.5.3-1: client id holding an encoded surrogate U+D800 (ED A0 80).
    mqtt_1_5_3_1_client_id_surrogate, V3_1_1,
    "10 0F 00 04 4D 51 54 54 04 02 00 3C 00 03 ED A0 80" => InvalidUtf8 @ 14);
invalid!(
    /// MQTT-1.5.3-1: client id holding the overlong encoding C0 80 of U+0000.
    mqtt_1_5_3_1_client_id_overlong_nul, V3_1_1,
    "10 0E 00 04 4D 51 54 54 04 02 00 3C 00 02 C0 80" => InvalidUtf8 @ 14);
invalid!(
    /// MQTT-1.5.3-2: client id "a\0".
    mqtt_1_5_3_2_client_id_nul, V3_1_1,
    "10 0E 00 04 4D 51 54 54 04 02 00 3C 00 02 61 00" => NullCharacter @ 15);
invalid!(
    /// MQTT-1.5.3-1 (MQTT-3.1.3-11): user name "u" + FF.
    mqtt_1_5_3_1_username_not_utf8, V3_1_1,
    "10 11 00 04 4D 51 54 54 04 82 00 3C 00 01 63 00 02 75 FF" => InvalidUtf8 @ 18);
invalid!(
    /// MQTT-1.5.3-2: user name "\0u".
    mqtt_1_5_3_2_username_nul, V3_1_1,
    "10 11 00 04 4D 51 54 54 04 82 00 3C 00 01 63 00 02 00 75" => NullCharacter @ 17);
invalid!(
    /// MQTT-1.5.3-1 (MQTT-3.1.3-10): will topic "a" + FF.
    mqtt_1_5_3_1_will_topic_not_utf8, V3_1_1,
    "10 13 00 04 4D 51 54 54 04 06 00 3C 00 01 63 00 02 61 FF 00 00" => InvalidUtf8 @ 18);
invalid!(
    /// MQTT-1.5.3-2 / MQTT-4.7.3-2: will topic "a\0".
    mqtt_1_5_3_2_will_topic_nul, V3_1_1,
    "10 13 00 04 4D 51 54 54 04 06 00 3C 00 01 63 00 02 61 00 00 00" => NullCharacter @ 18);

// ---- truncated fields and trailing bytes (3.1.1) ---------------------------------------------

invalid!(
    /// A CONNECT with Remaining Length 0: below the smallest CONNECT of any version (12,
    /// see `header.rs`), refused at the header.
    truncated_empty_body, V3_1_1, "10 00" => InvalidRemainingLength @ 1);
invalid!(
    /// The protocol name runs past the Remaining Length (too short: refused at the header).
    truncated_protocol_name, V3_1_1, "10 03 00 04 4D" => InvalidRemainingLength @ 1);
invalid!(
    /// The protocol name (length 14) runs past the Remaining Length.
    truncated_long_protocol_name, V3_1_1,
    "10 0C 00 0E 4D 51 54 54 4D 51 54 54 4D 51 54 54" => Truncated @ 4);
invalid!(
    /// Keep Alive has one of its two bytes (too short: refused at the header).
    truncated_keep_alive, V3_1_1, "10 09 00 04 4D 51 54 54 04 02 00" => InvalidRemainingLength @ 1);
invalid!(
    /// MQTT-3.1.3-3: the client id is always present; without it the CONNECT is below the
    /// smallest of any version and refused at the header.
    mqtt_3_1_3_3_missing_client_id, V3_1_1,
    "10 0A 00 04 4D 51 54 54 04 02 00 3C" => InvalidRemainingLength @ 1);
invalid!(
    /// The client id claims 5 bytes, none follow.
    truncated_client_id, V3_1_1,
    "10 0C 00 04 4D 51 54 54 04 02 00 3C 00 05" => Truncated @ 14);
invalid!(
    /// MQTT-3.1.2-9: Will Flag set, no Will Topic.
    mqtt_3_1_2_9_missing_will_topic, V3_1_1,
    "10 0D 00 04 4D 51 54 54 04 06 00 3C 00 01 63" => Truncated @ 15);
invalid!(
    /// MQTT-3.1.2-9: Will Topic present, no Will Message.
    mqtt_3_1_2_9_missing_will_message, V3_1_1,
    "10 10 00 04 4D 51 54 54 04 06 00 3C 00 01 63 00 01 77" => Truncated @ 18);
invalid!(
    /// MQTT-3.1.2-19: User Name Flag set, no User Name.
    mqtt_3_1_2_19_missing_username, V3_1_1,
    "10 0D 00 04 4D 51 54 54 04 82 00 3C 00 01 63" => Truncated @ 15);
invalid!(
    /// MQTT-3.1.2-21: Password Flag set, no Password.
    mqtt_3_1_2_21_missing_password, V3_1_1,
    "10 10 00 04 4D 51 54 54 04 C2 00 3C 00 01 63 00 01 75" => Truncated @ 18);
invalid!(
    /// MQTT-3.1.2-11 / -18 / -20: nothing may follow the client id when the Will, User Name
    /// and Password flags are 0.
    mqtt_3_1_2_11_trailing_bytes_after_client_id, V3_1_1,
    "10 0E 00 04 4D 51 54 54 04 02 00 3C 00 00 00 00" => TrailingBytes @ 14);
invalid!(
    /// The spec example with one byte after the password.
    trailing_byte_after_password, V3_1_1,
    "10 23 00 04 4D 51 54 54 04 CE 00 0A 00 03 63 69 64 00 03 61 2F 62 00 02 68 69
     00 04 75 73 65 72 00 02 70 77 FF" => TrailingBytes @ 36);

// ---- MQTT 3.1 --------------------------------------------------------------------------------

invalid!(
    /// MQTT-3.1.2-3 under 3.1.
    v3_1_reserved_flag, V3_1,
    "10 11 00 06 4D 51 49 73 64 70 03 03 00 3C 00 03 61 62 63" => ConnectReservedFlag @ 11);
invalid!(
    /// MQTT-3.1.2-13 under 3.1.
    v3_1_will_qos_without_will, V3_1,
    "10 11 00 06 4D 51 49 73 64 70 03 0A 00 3C 00 03 61 62 63" => WillQoSWithoutWill @ 11);
invalid!(
    /// MQTT-3.1.2-15 under 3.1.
    v3_1_will_retain_without_will, V3_1,
    "10 11 00 06 4D 51 49 73 64 70 03 22 00 3C 00 03 61 62 63" => WillRetainWithoutWill @ 11);
invalid!(
    /// MQTT-3.1.2-14 under 3.1 (will topic "w", empty message).
    v3_1_will_qos3, V3_1,
    "10 16 00 06 4D 51 49 73 64 70 03 1E 00 3C 00 03 61 62 63 00 01 77 00 00" => InvalidWillQoS @ 11);
invalid!(
    /// MQTT-3.1.2-22 under 3.1 (password "p").
    v3_1_password_without_username, V3_1,
    "10 14 00 06 4D 51 49 73 64 70 03 42 00 3C 00 03 61 62 63 00 01 70" => PasswordWithoutUsername @ 11);
invalid!(
    /// MQTT-3.1.2-2: "MQTT" with level 3.
    v3_1_mqtt_with_level_3, V3_1,
    "10 0C 00 04 4D 51 54 54 03 02 00 3C 00 00" => UnsupportedProtocolLevel @ 8);
invalid!(
    /// MQTT-3.1.2-2: "MQIsdp" with level 4.
    v3_1_mqisdp_with_level_4, V3_1,
    "10 11 00 06 4D 51 49 73 64 70 04 02 00 3C 00 03 61 62 63" => UnsupportedProtocolLevel @ 10);
invalid!(
    /// MQTT-3.3.2-2 for the 3.1 Will Topic "#".
    v3_1_will_topic_wildcard, V3_1,
    "10 16 00 06 4D 51 49 73 64 70 03 06 00 3C 00 03 61 62 63 00 01 23 00 00" => WildcardInTopicName @ 19);
invalid!(
    /// MQTT-1.5.3-2 under 3.1: client id "a\0c".
    v3_1_client_id_nul, V3_1,
    "10 11 00 06 4D 51 49 73 64 70 03 02 00 3C 00 03 61 00 63" => NullCharacter @ 17);
invalid!(
    /// MQTT-1.5.3-1 under 3.1: user name FF.
    v3_1_username_not_utf8, V3_1,
    "10 14 00 06 4D 51 49 73 64 70 03 82 00 3C 00 03 61 62 63 00 01 FF" => InvalidUtf8 @ 21);
invalid!(
    /// Trailing byte after a 3.1 client id.
    v3_1_trailing_byte, V3_1,
    "10 12 00 06 4D 51 49 73 64 70 03 02 00 3C 00 03 61 62 63 00" => TrailingBytes @ 19);

// ---- encoding ----------------------------------------------------------------------------------

#[test]
fn encode_version_mismatch() {
    let c311 = Packet::Connect(Connect::new(Version::V3_1_1, "c"));
    encode_fails(Version::V3_1, &c311, EncodeError::VersionMismatch);
    encode_fails(Version::V5, &c311, EncodeError::VersionMismatch);
    let c31 = Packet::Connect(Connect::new(Version::V3_1, "c"));
    encode_fails(Version::V3_1_1, &c31, EncodeError::VersionMismatch);
}

#[test]
fn encode_properties_not_in_3x() {
    let props = [Property::SessionExpiryInterval(10)];
    for v in [Version::V3_1, Version::V3_1_1] {
        let p = Packet::Connect(Connect {
            properties: Properties::new(&props),
            ..Connect::new(v, "c")
        });
        encode_fails(
            v,
            &p,
            EncodeError::NotInVersion(mqtt_wire::Field::Properties),
        );
    }
}

#[test]
fn encode_will_properties_not_in_3x() {
    let props = [Property::WillDelayInterval(5)];
    for v in [Version::V3_1, Version::V3_1_1] {
        let p = Packet::Connect(Connect {
            will: Some(Will {
                properties: Properties::new(&props),
                ..Will::new("w", b"x")
            }),
            ..Connect::new(v, "c")
        });
        encode_fails(
            v,
            &p,
            EncodeError::NotInVersion(mqtt_wire::Field::Properties),
        );
    }
}

/// MQTT-3.3.2-2 / MQTT-4.7.3-1 for the Will Topic, on the encoding side.
#[test]
fn encode_invalid_will_topic() {
    for v in [Version::V3_1, Version::V3_1_1] {
        for (topic, kind) in [
            ("a/+", DecodeErrorKind::WildcardInTopicName),
            ("#", DecodeErrorKind::WildcardInTopicName),
            ("", DecodeErrorKind::EmptyTopic),
            ("a\0", DecodeErrorKind::NullCharacter),
        ] {
            let p = Packet::Connect(Connect {
                will: Some(Will::new(topic, b"")),
                ..Connect::new(v, "c")
            });
            encode_fails(v, &p, EncodeError::Invalid(kind));
        }
    }
}

/// MQTT-3.1.2-22 on the encoding side.
#[test]
fn encode_mqtt_3_1_2_22_password_without_username() {
    for v in [Version::V3_1, Version::V3_1_1] {
        let p = Packet::Connect(Connect {
            password: Some(b"pw"),
            ..Connect::new(v, "c")
        });
        encode_fails(
            v,
            &p,
            EncodeError::Invalid(DecodeErrorKind::PasswordWithoutUsername),
        );
    }
}

/// MQTT-3.1.3-7 on the encoding side.
#[test]
fn encode_mqtt_3_1_3_7_empty_client_id_without_clean_session() {
    let p = Packet::Connect(Connect {
        clean_start: false,
        ..Connect::new(Version::V3_1_1, "")
    });
    encode_fails(
        Version::V3_1_1,
        &p,
        EncodeError::Invalid(DecodeErrorKind::EmptyClientIdWithoutCleanSession),
    );
}

/// MQTT-1.5.3-2 on the encoding side: client id and user name.
#[test]
fn encode_mqtt_1_5_3_2_nul() {
    let nul = EncodeError::Invalid(DecodeErrorKind::NullCharacter);
    let p = Packet::Connect(Connect::new(Version::V3_1_1, "a\0"));
    encode_fails(Version::V3_1_1, &p, nul);
    let p = Packet::Connect(Connect {
        username: Some("\0"),
        ..Connect::new(Version::V3_1, "c")
    });
    encode_fails(Version::V3_1, &p, nul);
}

/// §1.5.3 / §1.5.6: strings and binary data hold at most 65,535 bytes.
#[test]
fn encode_65536_byte_fields_are_too_long() {
    let long = "x".repeat(65_536);
    let bin = vec![0u8; 65_536];
    for v in [Version::V3_1, Version::V3_1_1] {
        let cases = [
            Connect::new(v, &long),
            Connect {
                username: Some(&long),
                ..Connect::new(v, "c")
            },
            Connect {
                username: Some("u"),
                password: Some(&bin),
                ..Connect::new(v, "c")
            },
            Connect {
                will: Some(Will::new(&long, b"")),
                ..Connect::new(v, "c")
            },
            Connect {
                will: Some(Will::new("w", &bin)),
                ..Connect::new(v, "c")
            },
        ];
        for c in cases {
            encode_fails(v, &Packet::Connect(c), EncodeError::FieldTooLong);
        }
    }
}
