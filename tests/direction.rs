//! Role-aware decoding: `DecodeOptions::receiver` and `decode_as`. Every expectation is
//! written from the specifications' tables ("Direction of flow", "Sent by"), not derived
//! from the crate's own `Role::sends` / `ReasonCode::sent_by`.

mod common;

use common::{captured_packets, hex};
use mqtt_wire::{
    ClientSide, DecodeErrorKind, DecodeOptions, Framer, PacketType, PropertyId, Role, ServerSide,
    Status, Version, decode, decode_as, decode_with, frame,
};

const VERSIONS: [Version; 3] = [Version::V3_1, Version::V3_1_1, Version::V5];

fn as_client() -> DecodeOptions {
    DecodeOptions::new().receiver(Role::Client)
}

fn as_server() -> DecodeOptions {
    DecodeOptions::new().receiver(Role::Server)
}

/// MQTT 3.1.1 §2.2.1 Table 2.1 and MQTT 5.0 §2.1.2 Table 2-1, "Direction of flow":
/// (type number, client to server, server to client) for 3.x and for 5.0.
const DIRECTIONS_V3: [(u8, bool, bool); 14] = [
    (1, true, false),  // CONNECT
    (2, false, true),  // CONNACK
    (3, true, true),   // PUBLISH
    (4, true, true),   // PUBACK
    (5, true, true),   // PUBREC
    (6, true, true),   // PUBREL
    (7, true, true),   // PUBCOMP
    (8, true, false),  // SUBSCRIBE
    (9, false, true),  // SUBACK
    (10, true, false), // UNSUBSCRIBE
    (11, false, true), // UNSUBACK
    (12, true, false), // PINGREQ
    (13, false, true), // PINGRESP
    (14, true, false), // DISCONNECT: client to server only in 3.1.1
];
const DIRECTIONS_V5_CHANGES: [(u8, bool, bool); 2] = [
    (14, true, true), // DISCONNECT: both ways in 5.0
    (15, true, true), // AUTH
];

fn directions(version: Version) -> Vec<(u8, bool, bool)> {
    let mut table = DIRECTIONS_V3.to_vec();
    if version.is_v5() {
        table.retain(|&(t, ..)| t != 14);
        table.extend(DIRECTIONS_V5_CHANGES);
    }
    table
}

/// The smallest valid packet of type `t` in `version` (fixed header flags included).
fn minimal(t: u8, version: Version) -> Vec<u8> {
    let v5 = version.is_v5();
    match t {
        1 => match version {
            Version::V3_1 => hex("100f 0006 4d5149736470 03 02 0000 000161"),
            Version::V3_1_1 => hex("100d 0004 4d515454 04 02 0000 000161"),
            Version::V5 => hex("100e 0004 4d515454 05 02 0000 00 000161"),
        },
        2 if v5 => hex("20030000 00"),
        2 => hex("20020000"),
        3 if v5 => hex("3004000161 00"),
        3 => hex("3003000161"),
        4 => hex("40020001"),
        5 => hex("50020001"),
        6 => hex("62020001"),
        7 => hex("70020001"),
        8 if v5 => hex("8207000100000161 00"),
        8 => hex("820600010001 6100"),
        9 if v5 => hex("9004000100 00"),
        9 => hex("9003000100"),
        10 if v5 => hex("a2060001000001 61"),
        10 => hex("a20500010001 61"),
        11 if v5 => hex("b00400010000"),
        11 => hex("b0020001"),
        12 => hex("c000"),
        13 => hex("d000"),
        14 => hex("e000"),
        15 => hex("f000"),
        _ => unreachable!(),
    }
}

#[test]
fn minimal_packets_are_valid_without_a_role() {
    for version in VERSIONS {
        for (t, ..) in directions(version) {
            let bytes = minimal(t, version);
            let got = decode(&bytes, version);
            assert!(
                matches!(got, Ok(Status::Complete((_, n))) if n == bytes.len()),
                "type {t} {version:?}: {got:?}"
            );
        }
    }
}

/// Table 2.1 / Table 2-1: a receiver refuses every packet type only its own side sends, at
/// the first byte, and accepts every other. Checked through `decode_with`, `frame`,
/// `decode_as` and on the first byte alone (nothing else has arrived).
#[test]
fn packet_types_follow_the_direction_of_flow_tables() {
    for version in VERSIONS {
        for (t, from_client, from_server) in directions(version) {
            let bytes = minimal(t, version);
            for (role, allowed) in [(Role::Server, from_client), (Role::Client, from_server)] {
                let opts = DecodeOptions::new().receiver(role);
                let what = format!("type {t} to the {role} under {version:?}");
                let full = decode_with(&bytes, version, &opts);
                let framed = frame(&bytes, version, &opts);
                let first = decode_with(&bytes[..1], version, &opts);
                let static_ = match role {
                    Role::Client => decode_as::<ClientSide>(&bytes, version, &opts),
                    Role::Server => decode_as::<ServerSide>(&bytes, version, &opts),
                };
                if allowed {
                    assert!(matches!(full, Ok(Status::Complete(_))), "{what}: {full:?}");
                    assert!(matches!(framed, Ok(Status::Complete(_))), "{what}");
                    assert!(matches!(first, Ok(Status::Partial(_))), "{what}");
                    assert_eq!(static_, full, "{what}");
                } else {
                    for got in [
                        full.map(|_| ()),
                        framed.map(|_| ()),
                        first.map(|_| ()),
                        static_.map(|_| ()),
                    ] {
                        let e = got.expect_err(&what);
                        assert_eq!(
                            (e.kind(), e.offset()),
                            (DecodeErrorKind::WrongDirection, 0),
                            "{what}"
                        );
                    }
                }
                assert_eq!(
                    Role::peer(role).sends(
                        PacketType::from_header_byte(t << 4, version).unwrap(),
                        version
                    ),
                    allowed,
                    "{what}: Role::sends"
                );
            }
        }
    }
}

/// 3.1.1 §3.14: DISCONNECT is sent from client to server only; a 3.1.1 client that
/// receives one refuses it (5.0 servers may send DISCONNECT).
#[test]
fn v3_disconnect_to_a_client_is_refused_v5_is_not() {
    let e = decode_with(&hex("e000"), Version::V3_1_1, &as_client()).unwrap_err();
    assert_eq!(e.kind(), DecodeErrorKind::WrongDirection);
    assert!(decode_with(&hex("e000"), Version::V5, &as_client()).is_ok());
    assert!(decode_with(&hex("e000"), Version::V3_1_1, &as_server()).is_ok());
}

/// A 5.0 PUBLISH "a" with Subscription Identifier 7 (property 0x0B at offset 6).
const PUBLISH_WITH_SUB_ID: &str = "3006000161020b07";

/// MQTT-3.3.4-6: a PUBLISH from a client to a server must not contain a Subscription
/// Identifier; one from the server may (MQTT-3.3.4-3).
#[test]
fn mqtt_3_3_4_6_subscription_identifier_from_a_client() {
    let bytes = hex(PUBLISH_WITH_SUB_ID);
    let e = decode_with(&bytes, Version::V5, &as_server()).unwrap_err();
    let kind = DecodeErrorKind::PropertyWrongDirection(PropertyId::SubscriptionIdentifier);
    assert_eq!((e.kind(), e.offset()), (kind, 6));
    assert_eq!(e.reason_code(), mqtt_wire::ReasonCode::ProtocolError);
    assert_eq!(
        decode_as::<ServerSide>(&bytes, Version::V5, &DecodeOptions::new()),
        Err(e)
    );
    // After other properties: the offset is the identifier's own (Topic Alias 1, then 0x0B).
    let later = hex("3009000161052300010b07");
    let e = decode_with(&later, Version::V5, &as_server()).unwrap_err();
    assert_eq!((e.kind(), e.offset()), (kind, 9));
    // From the server, and without a role, it is a valid PUBLISH.
    assert!(decode_with(&bytes, Version::V5, &as_client()).is_ok());
    assert!(decode(&bytes, Version::V5).is_ok());
    assert!(decode_as::<ClientSide>(&bytes, Version::V5, &DecodeOptions::new()).is_ok());
}

/// MQTT-3.14.2-2: the server must not send Session Expiry Interval in a DISCONNECT; a
/// client may (§3.14.2.2.2).
#[test]
fn mqtt_3_14_2_2_session_expiry_in_a_disconnect_from_the_server() {
    // DISCONNECT 0x00, properties: Session Expiry Interval (0x11) = 60.
    let bytes = hex("e00700051100 00003c");
    let e = decode_with(&bytes, Version::V5, &as_client()).unwrap_err();
    let kind = DecodeErrorKind::PropertyWrongDirection(PropertyId::SessionExpiryInterval);
    assert_eq!((e.kind(), e.offset()), (kind, 4));
    assert_eq!(
        decode_as::<ClientSide>(&bytes, Version::V5, &DecodeOptions::new()),
        Err(e)
    );
    assert!(decode_with(&bytes, Version::V5, &as_server()).is_ok());
    assert!(decode(&bytes, Version::V5).is_ok());
    // Any other DISCONNECT property from the server is fine (Reason String "x").
    assert!(decode_with(&hex("e0060004 1f000178"), Version::V5, &as_client()).is_ok());
}

/// MQTT-3.14.2-1 with §3.14.2.1 Table 3-10, "Sent by": (code, client may, server may).
const DISCONNECT_CODES: [(u8, bool, bool); 29] = [
    (0x00, true, true),
    (0x04, true, false),
    (0x80, true, true),
    (0x81, true, true),
    (0x82, true, true),
    (0x83, true, true),
    (0x87, false, true),
    (0x89, false, true),
    (0x8B, false, true),
    (0x8D, false, true),
    (0x8E, false, true),
    (0x8F, false, true),
    (0x90, true, true),
    (0x93, true, true),
    (0x94, true, true),
    (0x95, true, true),
    (0x96, true, true),
    (0x97, true, true),
    (0x98, true, true),
    (0x99, true, true),
    (0x9A, false, true),
    (0x9B, false, true),
    (0x9C, false, true),
    (0x9D, false, true),
    (0x9E, false, true),
    (0x9F, false, true),
    (0xA0, false, true),
    (0xA1, false, true),
    (0xA2, false, true),
];

#[test]
fn mqtt_3_14_2_1_disconnect_reason_codes_by_sender() {
    for (code, client_may, server_may) in DISCONNECT_CODES {
        for form in [vec![0xE0, 0x01, code], vec![0xE0, 0x02, code, 0x00]] {
            assert!(
                decode(&form, Version::V5).is_ok(),
                "0x{code:02X} without a role"
            );
            for (receiver, allowed) in [(Role::Server, client_may), (Role::Client, server_may)] {
                let opts = DecodeOptions::new().receiver(receiver);
                let got = decode_with(&form, Version::V5, &opts);
                if allowed {
                    assert!(got.is_ok(), "0x{code:02X} to the {receiver}: {got:?}");
                } else {
                    let e = got.unwrap_err();
                    let kind = DecodeErrorKind::ReasonCodeWrongDirection(code);
                    assert_eq!(
                        (e.kind(), e.offset()),
                        (kind, 2),
                        "0x{code:02X} to the {receiver}"
                    );
                }
            }
        }
    }
}

/// MQTT-3.15.2-1 with §3.15.2.1 Table 3-13: 0x19 Re-authenticate is sent by the client only;
/// 0x00 and 0x18 by either side.
#[test]
fn mqtt_3_15_2_1_auth_reason_codes_by_sender() {
    // AUTH with Authentication Method "m" (0x15).
    for (code, server_may) in [(0x00u8, true), (0x18, true), (0x19, false)] {
        let bytes = [0xF0, 0x06, code, 0x04, 0x15, 0x00, 0x01, b'm'];
        assert!(
            decode_with(&bytes, Version::V5, &as_server()).is_ok(),
            "0x{code:02X}"
        );
        let got = decode_with(&bytes, Version::V5, &as_client());
        if server_may {
            assert!(got.is_ok(), "0x{code:02X}: {got:?}");
        } else {
            let e = got.unwrap_err();
            let kind = DecodeErrorKind::ReasonCodeWrongDirection(code);
            assert_eq!((e.kind(), e.offset()), (kind, 2));
        }
    }
}

/// The captured traffic (mosquitto and paho sessions) decodes with the receiver its
/// direction says; the packet types only one side sends are refused by that side; and
/// `decode_as` (the static, diagnosis-free entry point) accepts and refuses exactly what
/// `decode_with` with the same receiver does, on every captured packet and on every
/// truncation and single-byte change of it, with the same error (up to the diagnoses).
#[test]
fn captured_traffic_by_direction_and_decode_as_agrees_with_decode_with() {
    // Under Miri (which reads a fifth of the capture files) every 3rd packet, cut and
    // flipped at fewer places.
    let packets = common::miri_sample(captured_packets().iter().collect(), 3);
    assert!(packets.len() > 50);
    let diagnosis = |k: DecodeErrorKind| {
        matches!(
            k,
            DecodeErrorKind::TlsOnPlainPort
                | DecodeErrorKind::HttpOnMqttPort
                | DecodeErrorKind::WrongProtocolVersion(_)
                | DecodeErrorKind::MisspelledProtocolName(_)
        )
    };
    let mut compared = 0usize;
    for c in packets {
        let version = Version::from_level(c.level).unwrap();
        let receiver = if c.client_to_server {
            Role::Server
        } else {
            Role::Client
        };
        let opts = DecodeOptions::new().receiver(receiver);
        let what = format!("{}:{}", c.file.display(), c.line);
        assert!(
            matches!(
                decode_with(&c.bytes, version, &opts),
                Ok(Status::Complete(_))
            ),
            "{what}: refused by its own receiver"
        );
        let len = c.bytes.len();
        let mut variants = vec![c.bytes.clone()];
        let cuts: Vec<usize> = if cfg!(miri) && len > 6 {
            vec![0, 1, 2, 3, len / 2, len - 1]
        } else {
            (0..len).collect()
        };
        for cut in cuts {
            variants.push(c.bytes[..cut].to_vec());
        }
        for i in 0..len.min(if cfg!(miri) { 6 } else { 24 }) {
            for flip in [0x01u8, 0x80, 0xFF] {
                let mut v = c.bytes.clone();
                v[i] ^= flip;
                variants.push(v);
            }
        }
        for bytes in &variants {
            for role in [Role::Client, Role::Server] {
                let opts = DecodeOptions::new().receiver(role);
                let full = decode_with(bytes, version, &opts);
                let lean = match role {
                    Role::Client => decode_as::<ClientSide>(bytes, version, &DecodeOptions::new()),
                    Role::Server => decode_as::<ServerSide>(bytes, version, &DecodeOptions::new()),
                };
                match (&full, &lean) {
                    // A diagnosis of `decode_with` replaces a rule-level error, which
                    // `decode_as` reports (both refuse).
                    (Err(a), Err(_)) if diagnosis(a.kind()) => {}
                    _ => assert_eq!(full, lean, "{what}: {role} {bytes:02x?}"),
                }
                compared += 1;
            }
        }
    }
    assert!(
        compared > if cfg!(miri) { 1_000 } else { 10_000 },
        "{compared}"
    );
}

/// The framer takes the same options: a stream that a client receives stops at the first
/// packet only a client sends.
#[test]
fn framer_honours_the_receiver() {
    // PINGRESP, then PINGREQ (client to server only).
    let stream = hex("d000 c000");
    let mut framer = Framer::with_options(&stream, Version::V3_1_1, as_client());
    assert!(matches!(
        framer.next_packet(),
        Some(Ok(mqtt_wire::Packet::PingResp))
    ));
    let e = framer.next_packet().unwrap().unwrap_err();
    assert_eq!((e.kind(), e.offset()), (DecodeErrorKind::WrongDirection, 0));
    assert_eq!(framer.consumed(), 2);
}
