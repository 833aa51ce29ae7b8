//! MQTT 5.0 reason codes (§2.4 Table 2-6 and the per-packet Tables 3-1, 3-4 .. 3-11): all
//! 256 byte values in every packet that carries one, decoded and encoded, against sets typed
//! in from the spec tables.

mod spec_v5_support;

use mqtt_wire::{
    Ack, Auth, ConnAck, DecodeErrorKind as K, Disconnect, EncodeError, Packet, PacketType,
    Properties, Property, ReasonCode, ReasonCodes, SubAck, TailForm, UnsubAck, Version,
};
use spec_v5_support::*;

/// Table 2-6: the 43 defined values.
const TABLE_2_6: [u8; 43] = [
    0x00, 0x01, 0x02, 0x04, 0x10, 0x11, 0x18, 0x19, 0x80, 0x81, 0x82, 0x83, 0x84, 0x85, 0x86, 0x87,
    0x88, 0x89, 0x8A, 0x8B, 0x8C, 0x8D, 0x8E, 0x8F, 0x90, 0x91, 0x92, 0x93, 0x94, 0x95, 0x96, 0x97,
    0x98, 0x99, 0x9A, 0x9B, 0x9C, 0x9D, 0x9E, 0x9F, 0xA0, 0xA1, 0xA2,
];

/// Table 3-1, MQTT-3.2.2-8.
const CONNACK: &[u8] = &[
    0x00, 0x80, 0x81, 0x82, 0x83, 0x84, 0x85, 0x86, 0x87, 0x88, 0x89, 0x8A, 0x8C, 0x90, 0x95, 0x97,
    0x99, 0x9A, 0x9B, 0x9C, 0x9D, 0x9F,
];
/// Tables 3-4 and 3-5, MQTT-3.4.2-1, MQTT-3.5.2-1.
const PUBACK_PUBREC: &[u8] = &[0x00, 0x10, 0x80, 0x83, 0x87, 0x90, 0x91, 0x97, 0x99];
/// Tables 3-6 and 3-7, MQTT-3.6.2-1, MQTT-3.7.2-1.
const PUBREL_PUBCOMP: &[u8] = &[0x00, 0x92];
/// Table 3-8, MQTT-3.9.3-2.
const SUBACK: &[u8] = &[
    0x00, 0x01, 0x02, 0x80, 0x83, 0x87, 0x8F, 0x91, 0x97, 0x9E, 0xA1, 0xA2,
];
/// Table 3-9, MQTT-3.11.3-2.
const UNSUBACK: &[u8] = &[0x00, 0x11, 0x80, 0x83, 0x87, 0x8F, 0x91];
/// Table 3-10, MQTT-3.14.2-1 (29 codes; no 0x8C, although Table 2-6 lists it).
const DISCONNECT: &[u8] = &[
    0x00, 0x04, 0x80, 0x81, 0x82, 0x83, 0x87, 0x89, 0x8B, 0x8D, 0x8E, 0x8F, 0x90, 0x93, 0x94, 0x95,
    0x96, 0x97, 0x98, 0x99, 0x9A, 0x9B, 0x9C, 0x9D, 0x9E, 0x9F, 0xA0, 0xA1, 0xA2,
];
/// Table 3-11, MQTT-3.15.2-1.
const AUTH: &[u8] = &[0x00, 0x18, 0x19];

const GRID: [(PacketType, &[u8]); 9] = [
    (PacketType::ConnAck, CONNACK),
    (PacketType::PubAck, PUBACK_PUBREC),
    (PacketType::PubRec, PUBACK_PUBREC),
    (PacketType::PubRel, PUBREL_PUBCOMP),
    (PacketType::PubComp, PUBREL_PUBCOMP),
    (PacketType::SubAck, SUBACK),
    (PacketType::UnsubAck, UNSUBACK),
    (PacketType::Disconnect, DISCONNECT),
    (PacketType::Auth, AUTH),
];

fn ack_first(ty: PacketType) -> u8 {
    match ty {
        PacketType::PubAck => 0x40,
        PacketType::PubRec => 0x50,
        PacketType::PubRel => 0x62,
        _ => 0x70,
    }
}

/// Hand-written packets of type `ty` carrying the code byte `b`, each with the offset of
/// that byte: the shortest form able to carry a code, and a longer one.
fn carriers(ty: PacketType, b: u8) -> Vec<(Vec<u8>, usize)> {
    match ty {
        PacketType::ConnAck => vec![
            (vec![0x20, 0x03, 0x00, b, 0x00], 3),
            (vec![0x20, 0x06, 0x00, b, 0x03, 0x1F, 0x00, 0x00], 3),
        ],
        PacketType::SubAck => vec![
            (vec![0x90, 0x04, 0x00, 0x01, 0x00, b], 5),
            (vec![0x90, 0x06, 0x00, 0x01, 0x00, 0x01, 0x00, b], 7),
        ],
        PacketType::UnsubAck => vec![
            (vec![0xB0, 0x04, 0x00, 0x01, 0x00, b], 5),
            (vec![0xB0, 0x06, 0x00, 0x01, 0x00, 0x11, 0x80, b], 7),
        ],
        PacketType::Disconnect => vec![(vec![0xE0, 0x01, b], 2), (vec![0xE0, 0x02, b, 0x00], 2)],
        PacketType::Auth => vec![
            (vec![0xF0, 0x06, b, 0x04, 0x15, 0x00, 0x01, b'm'], 2),
            (
                vec![
                    0xF0, 0x0A, b, 0x08, 0x15, 0x00, 0x01, b'm', 0x16, 0x00, 0x01, b,
                ],
                2,
            ),
        ],
        _ => {
            let f = ack_first(ty);
            vec![
                (vec![f, 0x03, 0x00, 0x01, b], 4),
                (vec![f, 0x04, 0x00, 0x01, b, 0x00], 4),
                (vec![f, 0x07, 0x00, 0x01, b, 0x03, 0x1F, 0x00, 0x00], 4),
            ]
        }
    }
}

/// The reason code(s) of a decoded packet.
fn codes(p: &Packet<'_>) -> Vec<ReasonCode> {
    match p {
        Packet::ConnAck(c) => vec![c.reason_code],
        Packet::PubAck(a) | Packet::PubRec(a) | Packet::PubRel(a) | Packet::PubComp(a) => {
            vec![a.reason_code]
        }
        Packet::SubAck(s) => s.reason_codes.iter().collect(),
        Packet::UnsubAck(s) => s.reason_codes.iter().collect(),
        Packet::Disconnect(d) => vec![d.reason_code],
        Packet::Auth(a) => vec![a.reason_code],
        other => panic!("no reason code in {other:?}"),
    }
}

#[test]
fn table_2_6_defines_43_codes() {
    for b in 0..=u8::MAX {
        let rc = ReasonCode::try_from(b);
        assert_eq!(rc.is_ok(), TABLE_2_6.contains(&b), "0x{b:02X}");
        if let Ok(rc) = rc {
            assert_eq!(rc as u8, b);
            assert_eq!(u8::from(rc), b);
            // §2.4: 0x80 and above mean failure.
            assert_eq!(rc.is_error(), b >= 0x80);
        }
    }
    let all: Vec<u8> = ReasonCode::ALL.iter().map(|r| *r as u8).collect();
    assert_eq!(all, TABLE_2_6);
    // Every per-packet set is part of Table 2-6.
    for (_, set) in GRID {
        assert!(set.iter().all(|b| TABLE_2_6.contains(b)));
    }
}

/// Decoding: for each packet with a reason code, every byte 0..=255 either decodes to that
/// code (it is in the packet's table) or fails with `InvalidReasonCode(b)` at the code's
/// offset, a Protocol Error. Senders must use their packet's table: MQTT-3.2.2-8 (CONNACK),
/// MQTT-3.4.2-1 (PUBACK), MQTT-3.5.2-1 (PUBREC), MQTT-3.6.2-1 (PUBREL), MQTT-3.7.2-1
/// (PUBCOMP), MQTT-3.9.3-2 (SUBACK), MQTT-3.11.3-2 (UNSUBACK), MQTT-3.14.2-1 (DISCONNECT),
/// MQTT-3.15.2-1 (AUTH).
#[test]
fn every_byte_in_every_reason_code_packet_decodes_as_the_tables_say() {
    for (ty, set) in GRID {
        let mut valid = 0;
        for b in 0..=u8::MAX {
            for (bytes, at) in carriers(ty, b) {
                if set.contains(&b) {
                    let p = check_valid(&bytes);
                    assert_eq!(p.packet_type(), ty);
                    let got = codes(&p);
                    assert_eq!(got.last().map(|c| *c as u8), Some(b), "{ty} 0x{b:02X}");
                    assert!(got.iter().all(|c| c.is_valid_for(ty)));
                } else {
                    let e = decode_err(&bytes);
                    assert_eq!(
                        (e.kind(), e.offset()),
                        (K::InvalidReasonCode(b), at),
                        "{ty} 0x{b:02X}: {bytes:02X?}"
                    );
                    assert_eq!(e.reason_code(), ReasonCode::ProtocolError);
                }
            }
            valid += usize::from(set.contains(&b));
        }
        assert_eq!(valid, set.len());
    }
}

/// `ReasonCode::is_valid_for` agrees with the hand-written grid, and is false for packets
/// that carry no reason code.
#[test]
fn is_valid_for_matches_the_grid() {
    for rc in ReasonCode::ALL {
        for (ty, set) in GRID {
            assert_eq!(rc.is_valid_for(ty), set.contains(&(*rc as u8)), "{ty} {rc}");
        }
        for ty in [
            PacketType::Connect,
            PacketType::Publish,
            PacketType::Subscribe,
            PacketType::Unsubscribe,
            PacketType::PingReq,
            PacketType::PingResp,
        ] {
            assert!(!rc.is_valid_for(ty), "{ty} {rc}");
        }
    }
}

const METHOD: &[Property<'static>] = &[Property::AuthenticationMethod("m")];

/// A packet of type `ty` built from values with code `rc`, and the bytes the spec gives for
/// its shortest form.
fn built(ty: PacketType, code: &'static ReasonCode) -> (Packet<'static>, Vec<u8>) {
    let rc = *code;
    let b = rc as u8;
    // A one-code list borrowed from `ReasonCode::ALL` (no leaked allocation: Miri reports
    // those).
    let codes: &'static [ReasonCode] = std::slice::from_ref(code);
    match ty {
        PacketType::ConnAck => (
            Packet::ConnAck(ConnAck::new(rc)),
            vec![0x20, 0x03, 0x00, b, 0x00],
        ),
        PacketType::SubAck => (
            Packet::SubAck(SubAck::new(pid(1), ReasonCodes::new(codes))),
            vec![0x90, 0x04, 0x00, 0x01, 0x00, b],
        ),
        PacketType::UnsubAck => (
            Packet::UnsubAck(UnsubAck::new(pid(1), ReasonCodes::new(codes))),
            vec![0xB0, 0x04, 0x00, 0x01, 0x00, b],
        ),
        PacketType::Disconnect => (
            Packet::Disconnect(Disconnect {
                reason_code: rc,
                ..Disconnect::new()
            }),
            if b == 0 {
                vec![0xE0, 0x00]
            } else {
                vec![0xE0, 0x01, b]
            },
        ),
        PacketType::Auth => (
            Packet::Auth(Auth {
                reason_code: rc,
                properties: Properties::new(METHOD),
                form: TailForm::Shortest,
            }),
            vec![0xF0, 0x06, b, 0x04, 0x15, 0x00, 0x01, b'm'],
        ),
        _ => {
            let ack = Ack {
                reason_code: rc,
                ..Ack::new(pid(1))
            };
            let p = match ty {
                PacketType::PubAck => Packet::PubAck(ack),
                PacketType::PubRec => Packet::PubRec(ack),
                PacketType::PubRel => Packet::PubRel(ack),
                _ => Packet::PubComp(ack),
            };
            let f = ack_first(ty);
            let bytes = if b == 0 {
                vec![f, 0x02, 0x00, 0x01]
            } else {
                vec![f, 0x03, 0x00, 0x01, b]
            };
            (p, bytes)
        }
    }
}

/// Encoding: each of the 43 codes encodes in exactly the packets whose table lists it
/// (MQTT-3.2.2-8, 3.4.2-1, 3.5.2-1, 3.6.2-1, 3.7.2-1, 3.9.3-2, 3.11.3-2, 3.14.2-1,
/// 3.15.2-1), and is refused as `Invalid(InvalidReasonCode)` elsewhere.
#[test]
fn every_code_encodes_only_where_its_table_allows() {
    for (ty, set) in GRID {
        for rc in ReasonCode::ALL {
            let (p, bytes) = built(ty, rc);
            if set.contains(&(*rc as u8)) {
                check_built(&p, &bytes);
            } else {
                let err = Err(EncodeError::Invalid(K::InvalidReasonCode(*rc as u8)));
                assert_eq!(encode_vec(&p), err, "{ty} {rc}");
                assert_eq!(p.encoded_len(V5).map(|_| vec![]), err, "{ty} {rc}");
            }
        }
    }
}

/// 0x8C Bad authentication method: in Table 2-6 for CONNACK and DISCONNECT, but Table 3-10
/// (DISCONNECT) lacks it and MQTT-3.14.2-1 binds the sender to Table 3-10. mqtt-wire
/// refuses it in DISCONNECT both ways; CONNACK keeps it.
#[test]
fn mqtt_3_14_2_1_bad_authentication_method_not_in_disconnect() {
    let e = decode_err(&[0xE0, 0x01, 0x8C]);
    assert_eq!((e.kind(), e.offset()), (K::InvalidReasonCode(0x8C), 2));
    let d = Packet::Disconnect(Disconnect {
        reason_code: ReasonCode::BadAuthenticationMethod,
        ..Disconnect::new()
    });
    assert_eq!(
        encode_vec(&d),
        Err(EncodeError::Invalid(K::InvalidReasonCode(0x8C)))
    );
    let p = check_valid(&[0x20, 0x03, 0x00, 0x8C, 0x00]);
    assert_eq!(codes(&p), [ReasonCode::BadAuthenticationMethod]);
}

/// SUBACK and UNSUBACK carry one code per filter; a bad one anywhere in the list is found
/// at its own offset.
#[test]
fn bad_code_late_in_a_suback_list() {
    let e = decode_err(&[0x90, 0x06, 0x00, 0x01, 0x00, 0x00, 0x01, 0x03]);
    assert_eq!((e.kind(), e.offset()), (K::InvalidReasonCode(0x03), 7));
    let e = decode_err(&[0xB0, 0x06, 0x00, 0x01, 0x00, 0x00, 0x11, 0x10]);
    assert_eq!((e.kind(), e.offset()), (K::InvalidReasonCode(0x10), 7));
    let p = check_valid(&[0x90, 0x06, 0x00, 0x01, 0x00, 0x02, 0xA2, 0x01]);
    assert_eq!(
        codes(&p),
        [
            ReasonCode::GrantedQoS2,
            ReasonCode::WildcardSubscriptionsNotSupported,
            ReasonCode::GrantedQoS1
        ]
    );
}

/// Under 3.1.1 only the 3.x CONNACK return codes (mapped) and SUBACK's 0x00..0x02, 0x80
/// exist; other 5.0 codes are `NotInVersion` when encoded.
#[test]
fn non_success_codes_are_not_in_3_1_1() {
    for rc in ReasonCode::ALL {
        let b = *rc as u8;
        let (p, _) = built(PacketType::ConnAck, rc);
        let v3 = encode_as(&p, Version::V3_1_1);
        if let Some(code) = rc.to_v3_connack() {
            assert_eq!(v3, Ok(vec![0x20, 0x02, 0x00, code]), "{rc}");
        } else {
            assert_eq!(
                v3,
                Err(EncodeError::NotInVersion(mqtt_wire::Field::ReasonCode)),
                "{rc}"
            );
        }
        let (p, _) = built(PacketType::SubAck, rc);
        let v3 = encode_as(&p, Version::V3_1_1);
        if matches!(b, 0x00 | 0x01 | 0x02 | 0x80) {
            assert_eq!(v3, Ok(vec![0x90, 0x03, 0x00, 0x01, b]), "{rc}");
        } else {
            assert_eq!(
                v3,
                Err(EncodeError::NotInVersion(mqtt_wire::Field::ReasonCode)),
                "{rc}"
            );
        }
        for ty in [
            PacketType::PubAck,
            PacketType::PubRec,
            PacketType::PubRel,
            PacketType::PubComp,
            PacketType::Disconnect,
            PacketType::UnsubAck,
        ] {
            let (p, _) = built(ty, rc);
            let v3 = encode_as(&p, Version::V3_1_1);
            if b == 0 && ty != PacketType::UnsubAck {
                assert!(v3.is_ok(), "{ty} {rc}");
            } else {
                assert_eq!(
                    v3,
                    Err(EncodeError::NotInVersion(mqtt_wire::Field::ReasonCode)),
                    "{ty} {rc}"
                );
            }
        }
    }
}
