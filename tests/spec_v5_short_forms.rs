//! MQTT 5.0 short forms (§3.4.2.1/§3.4.2.2.1 .. §3.7.2.1/§3.7.2.2.1, §3.14.2.1/§3.14.2.2.1,
//! §3.15.2.1/§3.15.2.2.1): PUBACK, PUBREC, PUBREL, PUBCOMP, DISCONNECT and AUTH may leave out
//! the reason code and/or the Property Length. Each form decodes, re-encodes in the same
//! form (`TailForm`), and a packet built from scratch uses the shortest form.

mod spec_v5_support;

use mqtt_wire::{
    Ack, Auth, DecodeErrorKind as K, Disconnect, EncodeError, Packet, PacketType, Properties,
    Property, ReasonCode, TailForm, Version,
};
use spec_v5_support::*;

/// The four acknowledgements: first byte, a non-success code from their table, and the
/// packet wrapping an `Ack`.
const ACKS: [(PacketType, u8, u8); 4] = [
    (PacketType::PubAck, 0x40, 0x10),
    (PacketType::PubRec, 0x50, 0x97),
    (PacketType::PubRel, 0x62, 0x92),
    (PacketType::PubComp, 0x70, 0x92),
];

fn wrap(ty: PacketType, a: Ack<'_>) -> Packet<'_> {
    match ty {
        PacketType::PubAck => Packet::PubAck(a),
        PacketType::PubRec => Packet::PubRec(a),
        PacketType::PubRel => Packet::PubRel(a),
        _ => Packet::PubComp(a),
    }
}

fn ack_of<'a>(p: &Packet<'a>) -> Ack<'a> {
    match p {
        Packet::PubAck(a) | Packet::PubRec(a) | Packet::PubRel(a) | Packet::PubComp(a) => *a,
        other => panic!("not an ack: {other:?}"),
    }
}

const REASON_R: &[Property<'static>] = &[Property::ReasonString("r")];

/// PUBACK/PUBREC/PUBREL/PUBCOMP with Remaining Length 2, 3, 4 and more.
#[test]
fn ack_short_forms_decode_and_reencode_in_the_same_form() {
    for (ty, f, code) in ACKS {
        let rc = ReasonCode::try_from(code).unwrap();
        // (bytes, reason code, has Reason String, form)
        let cases: [(Vec<u8>, ReasonCode, bool, TailForm); 8] = [
            // Remaining Length 2: reason 0x00, no properties.
            (
                vec![f, 0x02, 0x00, 0x07],
                ReasonCode::Success,
                false,
                TailForm::Shortest,
            ),
            // Remaining Length 3: reason only (Property Length taken as 0).
            (
                vec![f, 0x03, 0x00, 0x07, 0x00],
                ReasonCode::Success,
                false,
                TailForm::ReasonCode,
            ),
            (
                vec![f, 0x03, 0x00, 0x07, code],
                rc,
                false,
                TailForm::Shortest,
            ),
            // Remaining Length 4: reason and Property Length 0.
            (
                vec![f, 0x04, 0x00, 0x07, 0x00, 0x00],
                ReasonCode::Success,
                false,
                TailForm::Full,
            ),
            (
                vec![f, 0x04, 0x00, 0x07, code, 0x00],
                rc,
                false,
                TailForm::Full,
            ),
            // More than 4: reason, Property Length, properties.
            (
                vec![f, 0x08, 0x00, 0x07, 0x00, 0x04, 0x1F, 0x00, 0x01, b'r'],
                ReasonCode::Success,
                true,
                TailForm::Shortest,
            ),
            (
                vec![f, 0x08, 0x00, 0x07, code, 0x04, 0x1F, 0x00, 0x01, b'r'],
                rc,
                true,
                TailForm::Shortest,
            ),
            (
                vec![
                    f, 0x0B, 0x00, 0x07, code, 0x07, 0x26, 0x00, 0x01, b'k', 0x00, 0x01, b'v',
                ],
                rc,
                false,
                TailForm::Shortest,
            ),
        ];
        for (bytes, reason, has_reason_string, form) in cases {
            let p = check_valid(&bytes);
            assert_eq!(p.packet_type(), ty);
            let a = ack_of(&p);
            assert_eq!(a.packet_id.get(), 7);
            assert_eq!((a.reason_code, a.form), (reason, form), "{bytes:02X?}");
            assert_eq!(
                a.properties.reason_string().is_some(),
                has_reason_string,
                "{bytes:02X?}"
            );
            // The same content built with the decoded form gives the same bytes back.
            let props: Vec<Property<'_>> = a.properties.iter().collect();
            let rebuilt = wrap(
                ty,
                Ack {
                    packet_id: pid(7),
                    reason_code: reason,
                    properties: Properties::new(&props),
                    form,
                    dup: false,
                },
            );
            check_built(&rebuilt, &bytes);
        }
    }
}

/// §3.4.2.1: a packet built from scratch omits what the content allows; a longer form is
/// used only when asked for, and never a form shorter than the content needs.
#[test]
fn ack_built_from_scratch_uses_the_shortest_form() {
    for (ty, f, code) in ACKS {
        let rc = ReasonCode::try_from(code).unwrap();
        let cases: [(Ack<'_>, Vec<u8>); 7] = [
            (Ack::new(pid(7)), vec![f, 0x02, 0x00, 0x07]),
            (
                Ack {
                    reason_code: rc,
                    ..Ack::new(pid(7))
                },
                vec![f, 0x03, 0x00, 0x07, code],
            ),
            (
                Ack {
                    properties: Properties::new(REASON_R),
                    ..Ack::new(pid(7))
                },
                vec![f, 0x08, 0x00, 0x07, 0x00, 0x04, 0x1F, 0x00, 0x01, b'r'],
            ),
            (
                Ack {
                    form: TailForm::ReasonCode,
                    ..Ack::new(pid(7))
                },
                vec![f, 0x03, 0x00, 0x07, 0x00],
            ),
            (
                Ack {
                    form: TailForm::Full,
                    ..Ack::new(pid(7))
                },
                vec![f, 0x04, 0x00, 0x07, 0x00, 0x00],
            ),
            (
                Ack {
                    reason_code: rc,
                    form: TailForm::Full,
                    ..Ack::new(pid(7))
                },
                vec![f, 0x04, 0x00, 0x07, code, 0x00],
            ),
            // The content wins over a form too short for it.
            (
                Ack {
                    reason_code: rc,
                    properties: Properties::new(REASON_R),
                    form: TailForm::ReasonCode,
                    ..Ack::new(pid(7))
                },
                vec![f, 0x08, 0x00, 0x07, code, 0x04, 0x1F, 0x00, 0x01, b'r'],
            ),
        ];
        for (ack, bytes) in cases {
            let p = wrap(ty, ack);
            assert_eq!(encode_vec(&p).as_deref(), Ok(&bytes[..]), "{p:?}");
            assert_eq!(p.encoded_len(V5), Ok(bytes.len()));
            // Decoding gives the same content back.
            let back = ack_of(&check_valid(&bytes));
            assert_eq!(
                (back.reason_code, back.properties),
                (ack.reason_code, ack.properties)
            );
        }
    }
}

/// Below Remaining Length 2 the packet identifier is missing: malformed, and refused from the
/// fixed header alone (the Remaining Length field, offset 1).
#[test]
fn ack_shorter_than_a_packet_identifier_is_malformed() {
    for (_, f, _) in ACKS {
        for bytes in [vec![f, 0x00], vec![f, 0x01, 0x00]] {
            let e = decode_err(&bytes);
            assert_eq!(
                (e.kind(), e.offset()),
                (K::InvalidRemainingLength, 1),
                "{bytes:02X?}"
            );
            assert_eq!(e.reason_code(), ReasonCode::MalformedPacket);
        }
        // A zero packet identifier (MQTT-2.2.1-3).
        let e = decode_err(&[f, 0x02, 0x00, 0x00]);
        assert_eq!((e.kind(), e.offset()), (K::ZeroPacketId, 2));
    }
}

/// §3.14.2.1: DISCONNECT with Remaining Length 0 (0x00 Normal disconnection), 1 (reason
/// only) and 2+ (reason, Property Length, properties).
#[test]
fn disconnect_short_forms() {
    let sei = &[Property::SessionExpiryInterval(60)][..];
    let cases: [(&[u8], ReasonCode, &[Property<'_>], TailForm); 7] = [
        (&[0xE0, 0x00], ReasonCode::Success, &[], TailForm::Shortest),
        (
            &[0xE0, 0x01, 0x00],
            ReasonCode::Success,
            &[],
            TailForm::ReasonCode,
        ),
        (
            &[0xE0, 0x01, 0x04],
            ReasonCode::DisconnectWithWillMessage,
            &[],
            TailForm::Shortest,
        ),
        (
            &[0xE0, 0x02, 0x00, 0x00],
            ReasonCode::Success,
            &[],
            TailForm::Full,
        ),
        (
            &[0xE0, 0x02, 0x8E, 0x00],
            ReasonCode::SessionTakenOver,
            &[],
            TailForm::Full,
        ),
        (
            &[0xE0, 0x07, 0x00, 0x05, 0x11, 0x00, 0x00, 0x00, 0x3C],
            ReasonCode::Success,
            sei,
            TailForm::Shortest,
        ),
        (
            &[0xE0, 0x08, 0x9C, 0x06, 0x1C, 0x00, 0x03, b'h', b':', b'2'],
            ReasonCode::UseAnotherServer,
            &[Property::ServerReference("h:2")],
            TailForm::Shortest,
        ),
    ];
    for (bytes, rc, props, form) in cases {
        let p = check_valid(bytes);
        let Packet::Disconnect(d) = p else {
            panic!("{p:?}")
        };
        assert_eq!(d.reason_code, rc, "{bytes:02X?}");
        assert_eq!(d.form, form, "{bytes:02X?}");
        assert_eq!(d.properties.iter().collect::<Vec<_>>(), props);
        check_built(
            &Packet::Disconnect(Disconnect {
                reason_code: rc,
                properties: Properties::new(props),
                form,
            }),
            bytes,
        );
        // Built from scratch (Shortest) it takes the shortest form for its content.
        let shortest = encode_vec(&Packet::Disconnect(Disconnect {
            form: TailForm::Shortest,
            ..d
        }))
        .unwrap();
        let expected = match (rc == ReasonCode::Success, props.is_empty()) {
            (true, true) => vec![0xE0, 0x00],
            (false, true) => vec![0xE0, 0x01, rc as u8],
            _ => bytes.to_vec(),
        };
        assert_eq!(shortest, expected, "{bytes:02X?}");
    }
    assert_eq!(
        encode_vec(&Packet::Disconnect(Disconnect::new())),
        Ok(vec![0xE0, 0x00])
    );
}

/// §3.15.2.1: AUTH with Remaining Length 0 (Success, no properties), or a reason code and a
/// property block. There is no Remaining Length 1 form (§3.15.2.2.1 gives no default for
/// a missing Property Length): mqtt-wire rejects it as malformed.
#[test]
fn auth_short_forms() {
    let p = check_valid(&[0xF0, 0x00]);
    assert_eq!(p, Packet::Auth(Auth::new()));
    let Packet::Auth(a) = p else { panic!() };
    assert_eq!(
        (a.reason_code, a.form),
        (ReasonCode::Success, TailForm::Shortest)
    );
    assert_eq!(encode_vec(&Packet::Auth(Auth::new())), Ok(vec![0xF0, 0x00]));

    for code in [0x00, 0x18, 0x19] {
        let e = decode_err(&[0xF0, 0x01, code]);
        assert_eq!((e.kind(), e.offset()), (K::InvalidRemainingLength, 1));
        assert_eq!(e.reason_code(), ReasonCode::MalformedPacket);
    }

    let method = [Property::AuthenticationMethod("m")];
    let full = [
        Property::AuthenticationMethod("SCRAM"),
        Property::AuthenticationData(&[1, 2]),
        Property::ReasonString("again"),
        Property::UserProperty("k", "v"),
    ];
    let cases: [(Vec<u8>, ReasonCode, &[Property<'_>]); 4] = [
        (
            vec![0xF0, 0x06, 0x00, 0x04, 0x15, 0x00, 0x01, b'm'],
            ReasonCode::Success,
            &method,
        ),
        (
            vec![0xF0, 0x06, 0x18, 0x04, 0x15, 0x00, 0x01, b'm'],
            ReasonCode::ContinueAuthentication,
            &method,
        ),
        (
            cat(&[
                &[0xF0, 0x1E, 0x19, 0x1C],
                &[0x15, 0x00, 0x05, b'S', b'C', b'R', b'A', b'M'],
                &[0x16, 0x00, 0x02, 1, 2],
                &[0x1F, 0x00, 0x05, b'a', b'g', b'a', b'i', b'n'],
                &[0x26, 0x00, 0x01, b'k', 0x00, 0x01, b'v'],
            ]),
            ReasonCode::ReAuthenticate,
            &full,
        ),
        // Method last: order does not matter.
        (
            vec![
                0xF0, 0x0A, 0x18, 0x08, 0x16, 0x00, 0x01, 9, 0x15, 0x00, 0x01, b'm',
            ],
            ReasonCode::ContinueAuthentication,
            &[
                Property::AuthenticationData(&[9]),
                Property::AuthenticationMethod("m"),
            ],
        ),
    ];
    for (bytes, rc, props) in cases {
        let p = check_valid(&bytes);
        let Packet::Auth(a) = p else { panic!("{p:?}") };
        assert_eq!((a.reason_code, a.form), (rc, TailForm::Shortest));
        assert_eq!(a.properties.iter().collect::<Vec<_>>(), props);
        check_built(
            &Packet::Auth(Auth {
                reason_code: rc,
                properties: Properties::new(props),
                form: TailForm::Shortest,
            }),
            &bytes,
        );
        // Asking for the reason-code-only form still writes the Property Length.
        let asked = Packet::Auth(Auth {
            reason_code: rc,
            properties: Properties::new(props),
            form: TailForm::ReasonCode,
        });
        assert_eq!(encode_vec(&asked), Ok(bytes.clone()));
    }
}

/// §3.15.2.2.2: an AUTH must carry the Authentication Method, a Protocol Error otherwise,
/// except "Success, no properties", which §3.15.2.1 allows as Remaining Length 0 (see
/// `auth_success_without_properties_in_either_form`).
#[test]
fn auth_without_authentication_method() {
    for bytes in [
        &[0xF0, 0x02, 0x18, 0x00][..],
        &[0xF0, 0x02, 0x19, 0x00],
        // Success with a Reason String but no method.
        &[0xF0, 0x06, 0x00, 0x04, 0x1F, 0x00, 0x01, b'r'],
        &[0xF0, 0x06, 0x18, 0x04, 0x16, 0x00, 0x01, 0x2A],
        &[
            0xF0, 0x09, 0x18, 0x07, 0x26, 0x00, 0x01, b'k', 0x00, 0x01, b'v',
        ],
    ] {
        let e = decode_err(bytes);
        assert_eq!(
            (e.kind(), e.offset()),
            (K::AuthMethodMissing, 3),
            "{bytes:02X?}"
        );
        assert_eq!(e.reason_code(), ReasonCode::ProtocolError);
    }
    let data = [Property::AuthenticationData(b"x")];
    for auth in [
        Auth {
            reason_code: ReasonCode::ContinueAuthentication,
            ..Auth::new()
        },
        Auth {
            reason_code: ReasonCode::ReAuthenticate,
            form: TailForm::Full,
            ..Auth::new()
        },
        Auth {
            properties: Properties::new(&data),
            ..Auth::new()
        },
    ] {
        assert_eq!(
            encode_vec(&Packet::Auth(auth)),
            Err(EncodeError::Invalid(K::AuthMethodMissing)),
            "{auth:?}"
        );
    }
    // A full-form AUTH with the method is fine (Full adds nothing: properties need it).
    let method = [Property::AuthenticationMethod("m")];
    let bytes = [0xF0, 0x06, 0x00, 0x04, 0x15, 0x00, 0x01, b'm'];
    let full = Packet::Auth(Auth {
        properties: Properties::new(&method),
        form: TailForm::Full,
        ..Auth::new()
    });
    assert_eq!(encode_vec(&full), Ok(bytes.to_vec()));
    let Packet::Auth(back) = check_valid(&bytes) else {
        panic!()
    };
    assert_eq!(back.form, TailForm::Shortest);
}

/// §3.15.2.1 against §3.15.2.2.2, one reading for both forms: the content "reason 0x00
/// Success, no properties" needs no Authentication Method, whether it is sent as the
/// Remaining Length 0 short form (`f0 00`) or in full (`f0 02 00 00`: reason code and an
/// empty property block). Both decode, and re-encode as they came; a built value asking
/// for a longer form gets the full one (AUTH has no reason-code-only form).
#[test]
fn auth_success_without_properties_in_either_form() {
    let Packet::Auth(short) = check_valid(&[0xF0, 0x00]) else {
        panic!()
    };
    assert_eq!(short, Auth::new());
    let Packet::Auth(full) = check_valid(&[0xF0, 0x02, 0x00, 0x00]) else {
        panic!()
    };
    assert_eq!(
        (full.reason_code, full.properties.is_empty(), full.form),
        (ReasonCode::Success, true, TailForm::Full)
    );
    for form in [TailForm::ReasonCode, TailForm::Full] {
        let built = Packet::Auth(Auth {
            form,
            ..Auth::new()
        });
        assert_eq!(encode_vec(&built), Ok(vec![0xF0, 0x02, 0x00, 0x00]));
    }
}

/// PINGREQ and PINGRESP have Remaining Length 0 and no short form to speak of.
#[test]
fn pings_have_no_body() {
    assert_eq!(check_valid(&[0xC0, 0x00]), Packet::PingReq);
    assert_eq!(check_valid(&[0xD0, 0x00]), Packet::PingResp);
    for first in [0xC0, 0xD0] {
        let e = decode_err(&[first, 0x01, 0x00]);
        assert_eq!((e.kind(), e.offset()), (K::InvalidRemainingLength, 1));
    }
}

/// A longer-than-needed form, or any reason code or property, cannot be written as 3.1.1.
#[test]
fn short_form_tails_are_not_in_3_1_1() {
    for (ty, f, _) in ACKS {
        let plain = wrap(ty, Ack::new(pid(7)));
        assert_eq!(
            encode_as(&plain, Version::V3_1_1),
            Ok(vec![f, 0x02, 0x00, 0x07])
        );
        for form in [TailForm::ReasonCode, TailForm::Full] {
            let p = wrap(
                ty,
                Ack {
                    form,
                    ..Ack::new(pid(7))
                },
            );
            assert_eq!(
                encode_as(&p, Version::V3_1_1),
                Err(EncodeError::NotInVersion(mqtt_wire::Field::TailForm))
            );
        }
    }
    for form in [TailForm::ReasonCode, TailForm::Full] {
        let d = Packet::Disconnect(Disconnect {
            form,
            ..Disconnect::new()
        });
        assert_eq!(
            encode_as(&d, Version::V3_1_1),
            Err(EncodeError::NotInVersion(mqtt_wire::Field::TailForm))
        );
    }
    assert_eq!(
        encode_as(&Packet::Auth(Auth::new()), Version::V3_1_1),
        Err(EncodeError::NotInVersion(mqtt_wire::Field::Auth))
    );
}
