//! MQTT 5.0 CONNECT (with Will Properties), CONNACK, PUBLISH, SUBSCRIBE, SUBACK, UNSUBSCRIBE
//! and UNSUBACK rules, 5.0-only parts refused under 3.1.1, and the reason code a receiver
//! answers each decode error with. Bytes are written from the spec by hand.

mod spec_v5_support;

use mqtt_wire::{
    ConnAck, Connect, DecodeErrorKind as K, DecodeOptions, EncodeError, Packet, PacketId,
    Properties, Property, PropertyContext as C, Publish, QoS, ReasonCode, ReasonCodes,
    RetainHandling, Status, SubAck, Subscribe, Subscription, SubscriptionOptions, Subscriptions,
    TopicFilters, UnsubAck, Unsubscribe, Version, Will, decode, decode_with,
};
use spec_v5_support::*;

const MQTT5: &[u8] = &[0x00, 0x04, b'M', b'Q', b'T', b'T', 0x05];

/// MQTT-3.1.3-1: ClientID, Will Properties, Will Topic, Will Payload, User Name, Password,
/// in that order, after the CONNECT properties (§3.1.2.11).
#[test]
fn mqtt_3_1_3_1_connect_with_everything() {
    let body = cat(&[
        MQTT5,
        // User Name, Password, Will Retain, Will QoS 2, Will Flag, Clean Start.
        &[0xF6],
        &[0x00, 0x0A],
        &[0x0F, 0x11, 0x00, 0x00, 0x00, 0x78, 0x21, 0x00, 0x14],
        &[0x26, 0x00, 0x01, b'a', 0x00, 0x01, b'b'],
        &[0x00, 0x03, b'c', b'i', b'd'],
        &[0x0E, 0x18, 0x00, 0x00, 0x00, 0x05, 0x01, 0x01],
        &[0x03, 0x00, 0x04, b't', b'e', b'x', b't'],
        &[0x00, 0x03, b'w', b'/', b't'],
        &[0x00, 0x02, b'h', b'i'],
        &[0x00, 0x01, b'u'],
        &[0x00, 0x02, b'p', b'w'],
    ]);
    let bytes = packet(0x10, &body);
    let Packet::Connect(c) = check_valid(&bytes) else {
        panic!()
    };
    assert_eq!((c.version, c.clean_start, c.keep_alive), (V5, true, 10));
    assert_eq!(c.properties.session_expiry_interval(), Some(120));
    assert_eq!(c.properties.receive_maximum(), Some(20));
    assert_eq!(
        c.properties.user_properties().collect::<Vec<_>>(),
        [("a", "b")]
    );
    assert_eq!(c.client_id, "cid");
    let w = c.will.unwrap();
    assert_eq!(
        (w.topic, w.payload, w.qos, w.retain),
        ("w/t", &b"hi"[..], QoS::ExactlyOnce, true)
    );
    assert_eq!(w.properties.will_delay_interval(), Some(5));
    assert_eq!(w.properties.payload_format_indicator(), Some(true));
    assert_eq!(w.properties.content_type(), Some("text"));
    assert_eq!((c.username, c.password), (Some("u"), Some(&b"pw"[..])));

    let props = [
        Property::SessionExpiryInterval(120),
        Property::ReceiveMaximum(20),
        Property::UserProperty("a", "b"),
    ];
    let will_props = [
        Property::WillDelayInterval(5),
        Property::PayloadFormatIndicator(true),
        Property::ContentType("text"),
    ];
    let built = Packet::Connect(Connect {
        keep_alive: 10,
        properties: Properties::new(&props),
        will: Some(Will {
            properties: Properties::new(&will_props),
            qos: QoS::ExactlyOnce,
            retain: true,
            ..Will::new("w/t", b"hi")
        }),
        username: Some("u"),
        password: Some(b"pw"),
        ..Connect::new(V5, "cid")
    });
    check_built(&built, &bytes);
}

/// MQTT-3.1.2-9: with the Will Flag, Will Properties come first (always with a Property
/// Length, MQTT-2.2.2-1); a Will property outside the Will set is refused (covered for all 27
/// in spec_v5_properties); the Will Topic is a topic name.
#[test]
fn mqtt_3_1_2_9_will_properties_block() {
    // Will Flag set, Will Property Length 0.
    let body = cat(&[
        MQTT5,
        &[0x0E, 0x00, 0x00, 0x00],
        &[0x00, 0x01, b'c', 0x00],
        &[0x00, 0x01, b't', 0x00, 0x00],
    ]);
    let bytes = packet(0x10, &body);
    let Packet::Connect(c) = check_valid(&bytes) else {
        panic!()
    };
    let w = c.will.unwrap();
    assert!(w.properties.is_empty());
    assert_eq!(
        (w.qos, w.retain, w.payload),
        (QoS::AtLeastOnce, false, &b""[..])
    );
    // The Will Property Length missing: the Will Topic length is read as the block.
    let body = cat(&[
        MQTT5,
        &[0x06, 0x00, 0x00, 0x00],
        &[0x00, 0x01, b'c'],
        &[0x00, 0x01, b't', 0x00, 0x00],
    ]);
    assert!(decode(&packet(0x10, &body), V5).is_err());
    // Will Topic with a wildcard (MQTT-3.1.3-11 / MQTT-3.3.2-2).
    let body = cat(&[
        MQTT5,
        &[0x06, 0x00, 0x00, 0x00],
        &[0x00, 0x01, b'c', 0x00],
        &[0x00, 0x01, b'#', 0x00, 0x00],
    ]);
    let e = decode_err(&packet(0x10, &body));
    assert_eq!((e.kind(), e.offset()), (K::WildcardInTopicName, 17));
    // Will QoS 3 is malformed (MQTT-3.1.2-12); Will QoS/Retain without the Will Flag
    // (MQTT-3.1.2-11, MQTT-3.1.2-13).
    for (flags, kind) in [
        (0x1E, K::InvalidWillQoS),
        (0x0A, K::WillQoSWithoutWill),
        (0x22, K::WillRetainWithoutWill),
        (0x03, K::ConnectReservedFlag),
    ] {
        let body = cat(&[MQTT5, &[flags, 0x00, 0x00, 0x00], &[0x00, 0x01, b'c']]);
        let e = decode_err(&packet(0x10, &body));
        assert_eq!((e.kind(), e.offset()), (kind, 9), "flags {flags:02X}");
        assert_eq!(e.reason_code(), ReasonCode::MalformedPacket);
    }
}

/// MQTT-3.1.2-18 / MQTT-3.1.2-19: 5.0 allows a Password without a User Name (3.1.1's
/// MQTT-3.1.2-22 is gone).
#[test]
fn mqtt_3_1_2_18_password_without_username_in_5_0() {
    let body = cat(&[
        MQTT5,
        &[0x42, 0x00, 0x3C, 0x00],
        &[0x00, 0x01, b'c'],
        &[0x00, 0x02, 0xFF, 0x00],
    ]);
    let bytes = packet(0x10, &body);
    let Packet::Connect(c) = check_valid(&bytes) else {
        panic!()
    };
    assert_eq!((c.username, c.password), (None, Some(&[0xFF, 0x00][..])));
    let built = Connect {
        password: Some(&[0xFF, 0x00]),
        ..Connect::new(V5, "c")
    };
    check_built(&Packet::Connect(built), &bytes);
    // The same under 3.1.1 is refused both ways.
    let v3 = Connect {
        version: Version::V3_1_1,
        ..built
    };
    assert_eq!(
        encode_as(&Packet::Connect(v3), Version::V3_1_1),
        Err(EncodeError::Invalid(K::PasswordWithoutUsername))
    );
    let body = cat(&[
        &MQTT5[..6],
        &[0x04, 0x42, 0x00, 0x3C],
        &[0x00, 0x01, b'c'],
        &[0x00, 0x02, 0xFF, 0x00],
    ]);
    let e = decode(&packet(0x10, &body), Version::V3_1_1).unwrap_err();
    assert_eq!(e.kind(), K::PasswordWithoutUsername);
}

/// 5.0 drops MQTT-3.1.3-7 (3.1.1): an empty ClientID with Clean Start 0 is the server's
/// decision (0x85), not a malformed packet.
#[test]
fn empty_client_id_without_clean_start_decodes_in_5_0() {
    let body = cat(&[MQTT5, &[0x00, 0x00, 0x3C, 0x00], &[0x00, 0x00]]);
    let bytes = packet(0x10, &body);
    let Packet::Connect(c) = check_valid(&bytes) else {
        panic!()
    };
    assert_eq!((c.client_id, c.clean_start), ("", false));
}

/// §3.1.2.11.10: Authentication Data without Authentication Method in CONNECT is a Protocol
/// Error. CONNACK (§3.2.2.3.18) states no such rule.
#[test]
fn connect_authentication_data_needs_a_method() {
    let (bytes, at) = packet_in(C::Connect, &[0x16, 0x00, 0x01, 0x2A]);
    let e = decode_err(&bytes);
    // Reported at the Property Length of the CONNECT properties.
    assert_eq!((e.kind(), e.offset()), (K::AuthDataWithoutMethod, at - 1));
    assert_eq!(e.reason_code(), ReasonCode::ProtocolError);
    let data = [Property::AuthenticationData(&[0x2A])];
    assert_eq!(
        encode_vec(&build(C::Connect, Properties::new(&data))),
        Err(EncodeError::Invalid(K::AuthDataWithoutMethod))
    );
    // With the method after the data: fine.
    let (bytes, _) = packet_in(
        C::Connect,
        &[0x16, 0x00, 0x01, 0x2A, 0x15, 0x00, 0x01, b'm'],
    );
    check_valid(&bytes);
    // CONNACK: data alone decodes.
    let (bytes, _) = packet_in(C::ConnAck, &[0x16, 0x00, 0x01, 0x2A]);
    let p = check_valid(&bytes);
    assert_eq!(
        props_of(&p, C::ConnAck).authentication_data(),
        Some(&[0x2A][..])
    );
    check_built(&build(C::ConnAck, Properties::new(&data)), &bytes);
}

/// MQTT-3.2.2-1: CONNACK Acknowledge Flags bits 7-1 are reserved, 0.
#[test]
fn mqtt_3_2_2_1_connack_reserved_flag_bits() {
    for flags in 0..=u8::MAX {
        let bytes = [0x20, 0x03, flags, 0x00, 0x00];
        if flags <= 1 {
            let Packet::ConnAck(c) = check_valid(&bytes) else {
                panic!()
            };
            assert_eq!(c.session_present, flags == 1);
        } else {
            let e = decode_err(&bytes);
            assert_eq!(
                (e.kind(), e.offset()),
                (K::ConnAckReservedFlags, 2),
                "{flags:02X}"
            );
            assert_eq!(e.reason_code(), ReasonCode::MalformedPacket);
        }
    }
}

/// MQTT-3.2.2-6: a CONNACK with a non-zero reason code has Session Present 0.
#[test]
fn mqtt_3_2_2_6_session_present_only_with_success() {
    for rc in ReasonCode::ALL
        .iter()
        .filter(|r| r.is_valid_for(mqtt_wire::PacketType::ConnAck))
    {
        let bytes = [0x20, 0x03, 0x01, *rc as u8, 0x00];
        let built = Packet::ConnAck(ConnAck {
            session_present: true,
            ..ConnAck::new(*rc)
        });
        if *rc == ReasonCode::Success {
            check_built(&built, &bytes);
        } else {
            let e = decode_err(&bytes);
            assert_eq!(
                (e.kind(), e.offset()),
                (K::SessionPresentWithRefusal, 2),
                "{rc}"
            );
            assert_eq!(
                encode_vec(&built),
                Err(EncodeError::Invalid(K::SessionPresentWithRefusal))
            );
            check_valid(&[0x20, 0x03, 0x00, *rc as u8, 0x00]);
        }
    }
}

/// §3.2.2.3.1 / MQTT-2.2.2-1: a 5.0 CONNACK always has a Property Length.
#[test]
fn connack_property_length_is_not_optional() {
    // Remaining Length 2 is refused at the header; it is the length of every 3.1.1
    // CONNACK, so the header names the likely version mix-up, whatever follows (0x8C has no
    // 3.1.1 meaning; `20 02 00 00` is a valid 3.1.1 CONNACK), and before it arrives.
    for bytes in [
        &[0x20, 0x02, 0x00, 0x8C][..],
        &[0x20, 0x02, 0x00, 0x00],
        &[0x20, 0x02],
    ] {
        let e = decode_err(bytes);
        assert_eq!(
            (e.kind(), e.offset()),
            (K::WrongProtocolVersion(Version::V3_1_1), 1)
        );
        assert_eq!(e.reason_code(), ReasonCode::MalformedPacket);
    }
    // Shorter: no version has it.
    assert_eq!(
        decode_err(&[0x20, 0x01, 0x00]).kind(),
        K::InvalidRemainingLength
    );
    check_built(
        &Packet::ConnAck(ConnAck::new(ReasonCode::Success)),
        &[0x20, 0x03, 0x00, 0x00, 0x00],
    );
}

/// §3.3.2.1: a zero-length Topic Name is allowed with a Topic Alias (§3.3.2.3.4); without one
/// it is a Protocol Error.
#[test]
fn publish_empty_topic_needs_topic_alias() {
    let bytes = [0x30, 0x07, 0x00, 0x00, 0x03, 0x23, 0x00, 0x05, b'x'];
    let Packet::Publish(p) = check_valid(&bytes) else {
        panic!()
    };
    assert_eq!((p.topic, p.payload), ("", &b"x"[..]));
    assert_eq!(p.properties.topic_alias(), Some(5));
    let alias = [Property::TopicAlias(5)];
    check_built(
        &Packet::Publish(Publish {
            properties: Properties::new(&alias),
            ..Publish::new("", b"x")
        }),
        &bytes,
    );
    // QoS 1 with a packet identifier between topic and properties.
    let bytes = [0x32, 0x08, 0x00, 0x00, 0x12, 0x34, 0x03, 0x23, 0x00, 0x05];
    let Packet::Publish(p) = check_valid(&bytes) else {
        panic!()
    };
    assert_eq!(
        (p.packet_id, p.qos),
        (PacketId::new(0x1234), QoS::AtLeastOnce)
    );

    for (bytes, at) in [
        (&[0x30, 0x04, 0x00, 0x00, 0x00, b'x'][..], 4),
        (&[0x30, 0x06, 0x00, 0x00, 0x02, 0x01, 0x01, b'x'], 4),
        (&[0x34, 0x05, 0x00, 0x00, 0x00, 0x01, 0x00], 6),
    ] {
        let e = decode_err(bytes);
        assert_eq!(
            (e.kind(), e.offset()),
            (K::TopicAliasRequired, at),
            "{bytes:02X?}"
        );
        assert_eq!(e.reason_code(), ReasonCode::ProtocolError);
    }
    assert_eq!(
        encode_vec(&Packet::Publish(Publish::new("", b"x"))),
        Err(EncodeError::Invalid(K::TopicAliasRequired))
    );
    // 3.1.1 has no Topic Alias: an empty topic is just empty.
    assert_eq!(
        encode_as(&Packet::Publish(Publish::new("", b"x")), Version::V3_1_1),
        Err(EncodeError::Invalid(K::EmptyTopic))
    );
    // A topic name with a wildcard stays refused with an alias (MQTT-3.3.2-2).
    let e = decode_err(&[0x30, 0x08, 0x00, 0x01, b'#', 0x03, 0x23, 0x00, 0x05, b'x']);
    assert_eq!((e.kind(), e.offset()), (K::WildcardInTopicName, 2));
}

/// §3.3.2.3.2: with Payload Format Indicator 1 the payload should be UTF-8; the decoder
/// leaves the check to `Publish::payload_format_valid` (a receiver MAY answer 0x99).
#[test]
fn publish_payload_format_valid() {
    for (pfi, payload, valid) in [
        (Some(1u8), &b"caf\xC3\xA9"[..], true),
        (Some(1), b"", true),
        (Some(1), b"\xFF\xFE", false),
        (Some(1), b"\xED\xA0\x80", false),
        (Some(0), b"\xFF", true),
        (None, b"\xFF", true),
    ] {
        let props: Vec<u8> = pfi.map(|v| vec![0x01, v]).unwrap_or_default();
        let body = cat(&[&[0x00, 0x01, b't'], &block(&props), payload]);
        let bytes = packet(0x30, &body);
        let Packet::Publish(p) = check_valid(&bytes) else {
            panic!()
        };
        assert_eq!(p.payload, payload);
        assert_eq!(p.payload_format_valid(), valid, "{pfi:?} {payload:02X?}");
    }
}

/// A PUBLISH with QoS 2, DUP, RETAIN, a packet identifier, properties and a payload.
#[test]
fn publish_with_everything() {
    let body = cat(&[
        &[0x00, 0x03, b'a', b'/', b'b'],
        &[0xBE, 0xEF],
        &[
            0x0C, 0x02, 0x00, 0x00, 0x00, 0x3C, 0x09, 0x00, 0x01, 0x07, 0x0B, 0x80, 0x01,
        ],
        b"payload",
    ]);
    let bytes = packet(0x3D, &body);
    let props = [
        Property::MessageExpiryInterval(60),
        Property::CorrelationData(&[7]),
        Property::SubscriptionIdentifier(128),
    ];
    let built = Packet::Publish(Publish {
        dup: true,
        qos: QoS::ExactlyOnce,
        retain: true,
        packet_id: PacketId::new(0xBEEF),
        properties: Properties::new(&props),
        ..Publish::new("a/b", b"payload")
    });
    check_built(&built, &bytes);
}

fn subscribe_bytes(filter: &[u8], options: u8) -> (Vec<u8>, usize) {
    let mut body = vec![0x00, 0x01, 0x00, 0x00, filter.len() as u8];
    body.extend_from_slice(filter);
    let options_at = 2 + body.len();
    body.push(options);
    (packet(0x82, &body), options_at)
}

/// §3.8.3.1: every Subscription Options byte. Bits 0-1 Maximum QoS (3 is a Protocol Error),
/// bit 2 No Local, bit 3 Retain As Published, bits 4-5 Retain Handling (3 is a Protocol
/// Error), bits 6-7 reserved (MQTT-3.8.3-5, malformed). When several rules break, the
/// reserved bits are reported first, then QoS, then Retain Handling.
#[test]
fn mqtt_3_8_3_5_every_subscription_options_byte() {
    for b in 0..=u8::MAX {
        let (bytes, at) = subscribe_bytes(b"a/+", b);
        let expected = if b & 0xC0 != 0 {
            Some(K::ReservedSubscriptionBits)
        } else if b & 0x03 == 3 {
            Some(K::InvalidRequestedQoS)
        } else if (b >> 4) & 0x03 == 3 {
            Some(K::InvalidRetainHandling)
        } else {
            None
        };
        match expected {
            Some(kind) => {
                let e = decode_err(&bytes);
                assert_eq!((e.kind(), e.offset()), (kind, at), "options {b:02X}");
            }
            None => {
                let Packet::Subscribe(s) = check_valid(&bytes) else {
                    panic!()
                };
                let sub = s.subscriptions.iter().next().unwrap();
                let o = sub.options;
                assert_eq!(o.qos as u8, b & 3);
                assert_eq!(o.no_local, b & 0x04 != 0);
                assert_eq!(o.retain_as_published, b & 0x08 != 0);
                assert_eq!(o.retain_handling as u8, (b >> 4) & 3);
                let subs = [sub];
                check_built(
                    &Packet::Subscribe(Subscribe::new(pid(1), Subscriptions::new(&subs))),
                    &bytes,
                );
            }
        }
    }
    // §3.8.3.1: QoS 3 and Retain Handling 3 are Protocol Errors; reserved bits are malformed.
    assert_eq!(
        K::InvalidRetainHandling.reason_code(),
        ReasonCode::ProtocolError
    );
    assert_eq!(
        K::InvalidRequestedQoS.reason_code(),
        ReasonCode::ProtocolError
    );
    assert_eq!(
        K::ReservedSubscriptionBits.reason_code(),
        ReasonCode::MalformedPacket
    );
}

/// MQTT-3.8.3-4: No Local on a shared subscription is a Protocol Error.
#[test]
fn mqtt_3_8_3_4_no_local_on_shared_subscription() {
    let (bytes, at) = subscribe_bytes(b"$share/g/a", 0x04);
    let e = decode_err(&bytes);
    assert_eq!((e.kind(), e.offset()), (K::NoLocalOnSharedSubscription, at));
    assert_eq!(e.reason_code(), ReasonCode::ProtocolError);
    let subs = [Subscription {
        filter: "$share/g/a",
        options: SubscriptionOptions {
            no_local: true,
            ..SubscriptionOptions::new(QoS::AtMostOnce)
        },
    }];
    let built = Packet::Subscribe(Subscribe::new(pid(1), Subscriptions::new(&subs)));
    assert_eq!(
        encode_vec(&built),
        Err(EncodeError::Invalid(K::NoLocalOnSharedSubscription))
    );
    // Without No Local, or on a filter that is not shared: fine.
    check_valid(&subscribe_bytes(b"$share/g/a", 0x2A).0);
    check_valid(&subscribe_bytes(b"$SHARE/g/a", 0x04).0);
    check_valid(&subscribe_bytes(b"$shared/a", 0x04).0);
    check_valid(&subscribe_bytes(b"$share", 0x04).0);
}

/// MQTT-4.8.2-1 / MQTT-4.8.2-2: `$share/{ShareName}/{filter}`, ShareName at least one
/// character without `/`, `+`, `#`, then `/` and a valid filter. In SUBSCRIBE and UNSUBSCRIBE.
#[test]
fn mqtt_4_8_2_1_and_2_shared_subscription_form() {
    for bad in [
        "$share/",
        "$share//a",
        "$share/g",
        "$share/g/",
        "$share/+/a",
        "$share/#/a",
        "$share/g+/a",
        "$share/g/a#",
        "$share/g/a/#/b",
    ] {
        let (bytes, _) = subscribe_bytes(bad.as_bytes(), 0x01);
        let e = decode_err(&bytes);
        // Reported at the filter's length prefix.
        assert_eq!((e.kind(), e.offset()), (K::InvalidTopicFilter, 5), "{bad}");
        let mut body = vec![0x00, 0x01, 0x00, 0x00, bad.len() as u8];
        body.extend_from_slice(bad.as_bytes());
        let e = decode_err(&packet(0xA2, &body));
        assert_eq!((e.kind(), e.offset()), (K::InvalidTopicFilter, 5), "{bad}");
        let subs = [Subscription::new(bad, QoS::AtLeastOnce)];
        assert_eq!(
            encode_vec(&Packet::Subscribe(Subscribe::new(
                pid(1),
                Subscriptions::new(&subs)
            ))),
            Err(EncodeError::Invalid(K::InvalidTopicFilter)),
            "{bad}"
        );
        let filters = [bad];
        assert_eq!(
            encode_vec(&Packet::Unsubscribe(Unsubscribe::new(
                pid(1),
                TopicFilters::new(&filters)
            ))),
            Err(EncodeError::Invalid(K::InvalidTopicFilter)),
            "{bad}"
        );
    }
    for good in [
        "$share/g/#",
        "$share/g/+",
        "$share/group-1/a/+/c",
        "$share/g//",
        // Only a filter starting with `$share/` is shared (MQTT-4.8.2-1): a bare `$share`
        // is an ordinary one-level filter (and may carry No Local: 0x06).
        "$share",
    ] {
        let (bytes, _) = subscribe_bytes(good.as_bytes(), 0x02);
        let Packet::Subscribe(s) = check_valid(&bytes) else {
            panic!()
        };
        assert_eq!(s.subscriptions.iter().next().unwrap().filter, good);
        let mut body = vec![0x00, 0x01, 0x00, 0x00, good.len() as u8];
        body.extend_from_slice(good.as_bytes());
        check_valid(&packet(0xA2, &body));
    }
}

/// MQTT-3.8.3-2 / MQTT-3.10.3-2: at least one filter; a SUBSCRIBE or UNSUBSCRIBE with no
/// payload is a Protocol Error.
#[test]
fn mqtt_3_8_3_2_and_3_10_3_2_at_least_one_filter() {
    for first in [0x82, 0xA2] {
        let e = decode_err(&[first, 0x03, 0x00, 0x01, 0x00]);
        assert_eq!((e.kind(), e.offset()), (K::NoTopicFilters, 5));
        assert_eq!(e.reason_code(), ReasonCode::ProtocolError);
    }
    assert_eq!(
        encode_vec(&Packet::Subscribe(Subscribe::new(
            pid(1),
            Subscriptions::EMPTY
        ))),
        Err(EncodeError::Invalid(K::NoTopicFilters))
    );
    assert_eq!(
        encode_vec(&Packet::Unsubscribe(Unsubscribe::new(
            pid(1),
            TopicFilters::EMPTY
        ))),
        Err(EncodeError::Invalid(K::NoTopicFilters))
    );
}

/// SUBSCRIBE and UNSUBSCRIBE with several entries and properties.
#[test]
fn subscribe_and_unsubscribe_with_properties() {
    let body = cat(&[
        &[0x00, 0x0A],
        &[0x09, 0x0B, 0x05, 0x26, 0x00, 0x01, b'k', 0x00, 0x01, b'v'],
        &[0x00, 0x03, b'a', b'/', b'#', 0x2E],
        &[0x00, 0x01, b'b', 0x00],
    ]);
    let bytes = packet(0x82, &body);
    let props = [
        Property::SubscriptionIdentifier(5),
        Property::UserProperty("k", "v"),
    ];
    let subs = [
        Subscription {
            filter: "a/#",
            options: SubscriptionOptions {
                qos: QoS::ExactlyOnce,
                no_local: true,
                retain_as_published: true,
                retain_handling: RetainHandling::DoNotSend,
            },
        },
        Subscription::new("b", QoS::AtMostOnce),
    ];
    check_built(
        &Packet::Subscribe(Subscribe {
            properties: Properties::new(&props),
            ..Subscribe::new(pid(10), Subscriptions::new(&subs))
        }),
        &bytes,
    );
    let body = cat(&[
        &[0x00, 0x0B],
        &[0x07, 0x26, 0x00, 0x01, b'k', 0x00, 0x01, b'v'],
        &[0x00, 0x03, b'a', b'/', b'#'],
        &[0x00, 0x01, b'b'],
    ]);
    let bytes = packet(0xA2, &body);
    let props = [Property::UserProperty("k", "v")];
    let filters = ["a/#", "b"];
    check_built(
        &Packet::Unsubscribe(Unsubscribe {
            properties: Properties::new(&props),
            ..Unsubscribe::new(pid(11), TopicFilters::new(&filters))
        }),
        &bytes,
    );
}

/// MQTT-3.9.3-1 / MQTT-3.11.3-1: SUBACK and 5.0 UNSUBACK carry at least one reason code
/// (one per filter) after the properties.
#[test]
fn suback_and_unsuback_need_reason_codes() {
    for first in [0x90, 0xB0] {
        // Properties but no codes.
        let e = decode_err(&[first, 0x08, 0x00, 0x01, 0x05, 0x1F, 0x00, 0x02, b'n', b'o']);
        assert_eq!((e.kind(), e.offset()), (K::NoReasonCodes, 10));
    }
    // Property Length 0 and no codes: Remaining Length 3 is below the smallest 5.0 SUBACK
    // and UNSUBACK (4), refused at the header. 3 is a 3.1.1 SUBACK's length (one return
    // code), so the header names the version mix-up there; no 3.1.1 UNSUBACK has it.
    let e = decode_err(&[0xB0, 0x03, 0x00, 0x01, 0x00]);
    assert_eq!((e.kind(), e.offset()), (K::InvalidRemainingLength, 1));
    let e = decode_err(&[0x90, 0x03, 0x00, 0x01, 0x00]);
    assert_eq!(
        (e.kind(), e.offset()),
        (K::WrongProtocolVersion(Version::V3_1_1), 1)
    );
    // 5.0 requires the Property Length (MQTT-2.2.2-1); `B0 02 00 01` is a 3.1.1 UNSUBACK.
    assert_eq!(
        decode_err(&[0x90, 0x02, 0x00, 0x01]).kind(),
        K::InvalidRemainingLength
    );
    assert_eq!(
        decode_err(&[0xB0, 0x02, 0x00, 0x01]).kind(),
        K::WrongProtocolVersion(Version::V3_1_1)
    );
    assert_eq!(
        encode_vec(&Packet::SubAck(SubAck::new(pid(1), ReasonCodes::EMPTY))),
        Err(EncodeError::Invalid(K::NoReasonCodes))
    );
    assert_eq!(
        encode_vec(&Packet::UnsubAck(UnsubAck::new(pid(1), ReasonCodes::EMPTY))),
        Err(EncodeError::Invalid(K::NoReasonCodes))
    );
    let codes = [ReasonCode::NoSubscriptionExisted, ReasonCode::Success];
    let props = [Property::ReasonString("no")];
    check_built(
        &Packet::UnsubAck(UnsubAck {
            properties: Properties::new(&props),
            ..UnsubAck::new(pid(1), ReasonCodes::new(&codes))
        }),
        &[
            0xB0, 0x0A, 0x00, 0x01, 0x05, 0x1F, 0x00, 0x02, b'n', b'o', 0x11, 0x00,
        ],
    );
}

/// Everything that only 5.0 has is `NotInVersion` when encoded as 3.1.1, never dropped:
/// properties in each packet (and the Will), AUTH, the 5.0 subscription options.
#[test]
fn five_only_parts_are_not_in_3_1_1() {
    let up = [Property::UserProperty("k", "v")];
    for ctx in CONTEXTS {
        let mut p = build(ctx, Properties::new(&up));
        if let Packet::Connect(c) = &mut p {
            c.version = Version::V3_1_1;
        }
        if let Packet::UnsubAck(u) = &mut p {
            u.reason_codes = ReasonCodes::EMPTY;
        }
        let five_only = match p {
            Packet::Auth(_) => mqtt_wire::Field::Auth,
            _ => mqtt_wire::Field::Properties,
        };
        assert_eq!(
            encode_as(&p, Version::V3_1_1),
            Err(EncodeError::NotInVersion(five_only)),
            "{ctx:?}"
        );
        assert_eq!(
            p.encoded_len(Version::V3_1_1),
            Err(EncodeError::NotInVersion(five_only)),
            "{ctx:?}"
        );
        // Without the property every packet but AUTH encodes.
        let mut plain = build(ctx, Properties::EMPTY);
        if let Packet::Connect(c) = &mut plain {
            c.version = Version::V3_1_1;
        }
        if let Packet::UnsubAck(u) = &mut plain {
            u.reason_codes = ReasonCodes::EMPTY;
        }
        assert_eq!(
            encode_as(&plain, Version::V3_1_1).is_ok(),
            ctx != C::Auth,
            "{ctx:?}"
        );
    }
    for options in [
        SubscriptionOptions {
            no_local: true,
            ..SubscriptionOptions::new(QoS::AtLeastOnce)
        },
        SubscriptionOptions {
            retain_as_published: true,
            ..SubscriptionOptions::new(QoS::AtLeastOnce)
        },
        SubscriptionOptions {
            retain_handling: RetainHandling::SendIfNew,
            ..SubscriptionOptions::new(QoS::AtLeastOnce)
        },
        SubscriptionOptions {
            retain_handling: RetainHandling::DoNotSend,
            ..SubscriptionOptions::new(QoS::AtLeastOnce)
        },
    ] {
        let subs = [Subscription {
            filter: "a",
            options,
        }];
        let p = Packet::Subscribe(Subscribe::new(pid(1), Subscriptions::new(&subs)));
        assert_eq!(
            encode_as(&p, Version::V3_1_1),
            Err(EncodeError::NotInVersion(
                mqtt_wire::Field::SubscriptionOptions
            )),
            "{options:?}"
        );
        assert!(encode_vec(&p).is_ok());
    }
    let subs = [Subscription::new("a", QoS::AtLeastOnce)];
    let p = Packet::Subscribe(Subscribe::new(pid(1), Subscriptions::new(&subs)));
    assert_eq!(
        encode_as(&p, Version::V3_1_1),
        Ok(vec![0x82, 0x06, 0x00, 0x01, 0x00, 0x01, b'a', 0x01])
    );
}

/// `DecodeError::reason_code`: 0x81 for a Malformed Packet, 0x82 for a Protocol Error,
/// 0x95 for a packet over the receiver's Maximum Packet Size, 0x84 for an unsupported
/// protocol version, 0x94 for Topic Alias 0, each reached through real bytes.
#[test]
fn decode_errors_carry_the_reason_code_to_answer_with() {
    let cases: [(Vec<u8>, K, ReasonCode); 14] = [
        (
            // A PUBACK shorter than its packet identifier: refused from the fixed header.
            vec![0x40, 0x01, 0x00],
            K::InvalidRemainingLength,
            ReasonCode::MalformedPacket,
        ),
        (
            vec![0x30, 0x80, 0x00],
            K::NonMinimalVarInt,
            ReasonCode::MalformedPacket,
        ),
        (
            vec![0x42, 0x02, 0x00, 0x01],
            K::ReservedFlags,
            ReasonCode::MalformedPacket,
        ),
        (
            vec![0x36, 0x03, 0x00, 0x01, b'a'],
            K::InvalidQoS,
            ReasonCode::MalformedPacket,
        ),
        (
            packet_in(C::ConnAck, &[0x04, 0x00]).0,
            K::UnknownProperty,
            ReasonCode::MalformedPacket,
        ),
        (
            packet_in(C::ConnAck, &[0x23, 0x00, 0x01]).0,
            K::PropertyNotAllowed(mqtt_wire::PropertyId::TopicAlias),
            ReasonCode::MalformedPacket,
        ),
        (
            vec![0x20, 0x04, 0x00, 0x00, 0x00, 0x00],
            K::TrailingBytes,
            ReasonCode::MalformedPacket,
        ),
        (
            packet_in(C::ConnAck, &[0x25, 0x01, 0x25, 0x01]).0,
            K::DuplicateProperty(mqtt_wire::PropertyId::RetainAvailable),
            ReasonCode::ProtocolError,
        ),
        (
            packet_in(C::ConnAck, &[0x21, 0x00, 0x00]).0,
            K::InvalidPropertyValue(mqtt_wire::PropertyId::ReceiveMaximum),
            ReasonCode::ProtocolError,
        ),
        (
            subscribe_bytes(b"a", 0x03).0,
            K::InvalidRequestedQoS,
            ReasonCode::ProtocolError,
        ),
        (
            subscribe_bytes(b"a", 0x30).0,
            K::InvalidRetainHandling,
            ReasonCode::ProtocolError,
        ),
        (
            vec![0xE0, 0x01, 0x01],
            K::InvalidReasonCode(0x01),
            ReasonCode::ProtocolError,
        ),
        (
            packet_in(C::Publish, &[0x23, 0x00, 0x00]).0,
            K::ZeroTopicAlias,
            ReasonCode::TopicAliasInvalid,
        ),
        (
            packet(
                0x10,
                &cat(&[
                    &MQTT5[..6],
                    &[0x06, 0x02, 0x00, 0x3C, 0x00, 0x00, 0x01, b'c'],
                ]),
            ),
            K::UnsupportedProtocolLevel,
            ReasonCode::UnsupportedProtocolVersion,
        ),
    ];
    for (bytes, kind, rc) in cases {
        let e = decode_err(&bytes);
        assert_eq!(e.kind(), kind, "{bytes:02X?}");
        assert_eq!(e.reason_code(), rc, "{bytes:02X?}");
        assert_eq!(e.kind().is_malformed(), rc == ReasonCode::MalformedPacket);
    }
    // Maximum Packet Size (§3.1.2.11.4 / §3.2.2.3.6): over the limit is 0x95, refused as soon
    // as the fixed header is known.
    let opts = DecodeOptions::new().max_packet_size(8);
    let e = decode_with(&[0x30, 0x07, 0x00, 0x01, b't', 0x00], V5, &opts).unwrap_err();
    assert_eq!(
        (e.kind(), e.reason_code()),
        (K::PacketTooLarge, ReasonCode::PacketTooLarge)
    );
    let ok = [0x30, 0x06, 0x00, 0x01, b't', 0x00, b'a', b'b'];
    assert!(matches!(
        decode_with(&ok, V5, &opts),
        Ok(Status::Complete((_, 8)))
    ));
}
