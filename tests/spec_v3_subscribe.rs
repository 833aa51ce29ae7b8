//! SUBSCRIBE (§3.8), SUBACK (§3.9) and UNSUBSCRIBE (§3.10) under MQTT 3.1.1 and 3.1, written
//! byte by byte from the specifications.
//!
//! Offsets: 0 type and flags, 1 Remaining Length, 2-3 packet identifier, 4.. payload.

#[macro_use]
mod spec_v3_common;

use mqtt_wire::{
    DecodeErrorKind, EncodeError, Packet, PacketId, Properties, Property, QoS, ReasonCode,
    ReasonCodes, RetainHandling, SubAck, Subscribe, Subscription, SubscriptionOptions,
    Subscriptions, TopicFilters, Unsubscribe, Version,
};
use spec_v3_common::{encode_fails, hex, valid};

const V3: [Version; 2] = [Version::V3_1, Version::V3_1_1];

fn pid(id: u16) -> PacketId {
    PacketId::new(id).unwrap()
}

// ---- SUBSCRIBE: valid --------------------------------------------------------------------

/// §3.8.3's payload example: "a/b" at QoS 1 and "c/d" at QoS 2, packet identifier 10.
#[test]
fn subscribe_spec_example() {
    let bytes = hex(concat!(
        "82 0E",          // SUBSCRIBE, flags 0010 (MQTT-3.8.1-1); Remaining Length 14
        "00 0A",          // packet identifier 10
        "00 03 61 2F 62", // topic filter "a/b"
        "01",             // requested QoS 1
        "00 03 63 2F 64", // topic filter "c/d"
        "02",             // requested QoS 2
    ));
    let subs = [
        Subscription::new("a/b", QoS::AtLeastOnce),
        Subscription::new("c/d", QoS::ExactlyOnce),
    ];
    let expected = Packet::Subscribe(Subscribe::new(pid(10), Subscriptions::new(&subs)));
    for v in V3 {
        valid(v, &bytes, &expected);
    }
}

/// §4.7.1 wildcard examples: "#" alone and "+/tennis/#".
#[test]
fn subscribe_wildcard_filters() {
    let bytes = hex(concat!(
        "82 13",                               // SUBSCRIBE; Remaining Length 19
        "00 01",                               // packet identifier 1
        "00 01 23",                            // "#"
        "00",                                  // QoS 0
        "00 0A 2B 2F 74 65 6E 6E 69 73 2F 23", // "+/tennis/#"
        "01",                                  // QoS 1
    ));
    let subs = [
        Subscription::new("#", QoS::AtMostOnce),
        Subscription::new("+/tennis/#", QoS::AtLeastOnce),
    ];
    let expected = Packet::Subscribe(Subscribe::new(pid(1), Subscriptions::new(&subs)));
    for v in V3 {
        valid(v, &bytes, &expected);
    }
}

/// Before 5.0, "$share/..." is an ordinary filter; "/" and "a//b" have empty levels.
#[test]
fn subscribe_plain_filters_with_dollar_and_empty_levels() {
    let bytes = hex(concat!(
        "82 1A",                               // SUBSCRIBE; Remaining Length 26
        "FF FF",                               // packet identifier 65535
        "00 0A 24 73 68 61 72 65 2F 67 2F 61", // "$share/g/a"
        "02",                                  // QoS 2
        "00 01 2F",                            // "/"
        "00",                                  // QoS 0
        "00 04 61 2F 2F 62",                   // "a//b"
        "01",                                  // QoS 1
    ));
    let subs = [
        Subscription::new("$share/g/a", QoS::ExactlyOnce),
        Subscription::new("/", QoS::AtMostOnce),
        Subscription::new("a//b", QoS::AtLeastOnce),
    ];
    let expected = Packet::Subscribe(Subscribe::new(pid(0xFFFF), Subscriptions::new(&subs)));
    for v in V3 {
        valid(v, &bytes, &expected);
    }
}

// ---- SUBSCRIBE: invalid ------------------------------------------------------------------

invalid!(
    /// MQTT-3.8.1-1: SUBSCRIBE flags 0000.
    mqtt_3_8_1_1_flags_0000, V3_1_1, "80 06 00 0A 00 01 61 00" => ReservedFlags @ 0);
invalid!(
    /// MQTT-3.8.1-1: SUBSCRIBE flags 0011.
    mqtt_3_8_1_1_flags_0011, V3_1_1, "83 06 00 0A 00 01 61 00" => ReservedFlags @ 0);
invalid!(
    /// MQTT-3.8.1-1: SUBSCRIBE flags 1010.
    mqtt_3_8_1_1_flags_1010, V3_1_1, "8A 06 00 0A 00 01 61 00" => ReservedFlags @ 0);
invalid!(
    /// MQTT-3.8.1-1 under 3.1.
    v3_1_subscribe_flags_0000, V3_1, "80 06 00 0A 00 01 61 00" => ReservedFlags @ 0);
invalid!(
    /// MQTT-3.8.3-3: no topic filter. Remaining Length 2 is below the smallest SUBSCRIBE (6:
    /// packet identifier, one 1-byte filter, its QoS), so it is refused at the header.
    mqtt_3_8_3_3_no_topic_filter, V3_1_1, "82 02 00 0A" => InvalidRemainingLength @ 1);
invalid!(
    /// MQTT-3.8.3-3 under 3.1.
    v3_1_subscribe_no_topic_filter, V3_1, "82 02 00 0A" => InvalidRemainingLength @ 1);
invalid!(
    /// MQTT-3.8.3-4: requested QoS 3.
    mqtt_3_8_3_4_qos3, V3_1_1, "82 06 00 0A 00 01 61 03" => InvalidRequestedQoS @ 7);
invalid!(
    /// MQTT-3.8.3-4 under 3.1.
    v3_1_subscribe_qos3, V3_1, "82 06 00 0A 00 01 61 03" => InvalidRequestedQoS @ 7);
invalid!(
    /// MQTT-3.8.3-4: reserved bit 2 (No Local in 5.0).
    mqtt_3_8_3_4_reserved_bit_2, V3_1_1, "82 06 00 0A 00 01 61 04" => ReservedSubscriptionBits @ 7);
invalid!(
    /// MQTT-3.8.3-4: reserved bit 3 (Retain As Published in 5.0).
    mqtt_3_8_3_4_reserved_bit_3, V3_1_1, "82 06 00 0A 00 01 61 09" => ReservedSubscriptionBits @ 7);
invalid!(
    /// MQTT-3.8.3-4: reserved bit 4 (Retain Handling 1 in 5.0).
    mqtt_3_8_3_4_reserved_bit_4, V3_1_1, "82 06 00 0A 00 01 61 10" => ReservedSubscriptionBits @ 7);
invalid!(
    /// MQTT-3.8.3-4: reserved bits 4-5 (Retain Handling 3 in 5.0).
    mqtt_3_8_3_4_reserved_bits_4_5, V3_1_1, "82 06 00 0A 00 01 61 32" => ReservedSubscriptionBits @ 7);
invalid!(
    /// MQTT-3.8.3-4: reserved bit 6.
    mqtt_3_8_3_4_reserved_bit_6, V3_1_1, "82 06 00 0A 00 01 61 40" => ReservedSubscriptionBits @ 7);
invalid!(
    /// MQTT-3.8.3-4: reserved bit 7.
    mqtt_3_8_3_4_reserved_bit_7, V3_1_1, "82 06 00 0A 00 01 61 81" => ReservedSubscriptionBits @ 7);
invalid!(
    /// MQTT-3.8.3-4 under 3.1.
    v3_1_subscribe_reserved_bit_2, V3_1, "82 06 00 0A 00 01 61 04" => ReservedSubscriptionBits @ 7);
invalid!(
    /// MQTT-3.8.3-4 on the second subscription: the offset is its options byte.
    mqtt_3_8_3_4_second_subscription, V3_1_1,
    "82 0A 00 0A 00 01 61 01 00 01 62 80" => ReservedSubscriptionBits @ 11);
invalid!(
    /// MQTT-4.7.1-2: "#" not alone in its level ("a#").
    mqtt_4_7_1_2_hash_inside_level, V3_1_1, "82 07 00 0A 00 02 61 23 00" => InvalidTopicFilter @ 4);
invalid!(
    /// MQTT-4.7.1-2: "#" not last ("a/#/b").
    mqtt_4_7_1_2_hash_not_last, V3_1_1,
    "82 0A 00 0A 00 05 61 2F 23 2F 62 00" => InvalidTopicFilter @ 4);
invalid!(
    /// MQTT-4.7.1-3: "+" not alone in its level ("+a").
    mqtt_4_7_1_3_plus_inside_level, V3_1_1, "82 07 00 0A 00 02 2B 61 00" => InvalidTopicFilter @ 4);
invalid!(
    /// MQTT-4.7.1-3: "sport+" (the spec's own example).
    mqtt_4_7_1_3_sport_plus, V3_1_1,
    "82 0B 00 0A 00 06 73 70 6F 72 74 2B 00" => InvalidTopicFilter @ 4);
invalid!(
    /// MQTT-4.7.1-2 on the second filter: the offset is its length field.
    mqtt_4_7_1_2_second_filter, V3_1_1,
    "82 0B 00 0A 00 01 61 00 00 02 61 23 00" => InvalidTopicFilter @ 8);
invalid!(
    /// MQTT-4.7.1-2 under 3.1.
    v3_1_subscribe_invalid_filter, V3_1, "82 07 00 0A 00 02 61 23 00" => InvalidTopicFilter @ 4);
invalid!(
    /// MQTT-4.7.3-1: empty topic filter.
    mqtt_4_7_3_1_empty_filter, V3_1_1, "82 09 00 0A 00 00 00 00 01 61 00" => EmptyTopic @ 4);
invalid!(
    /// MQTT-4.7.3-2 / MQTT-1.5.3-2: filter "a\0".
    mqtt_4_7_3_2_filter_nul, V3_1_1, "82 07 00 0A 00 02 61 00 00" => NullCharacter @ 7);
invalid!(
    /// MQTT-1.5.3-1 (MQTT-3.8.3-1): filter FF.
    mqtt_1_5_3_1_filter_not_utf8, V3_1_1, "82 06 00 0A 00 01 FF 00" => InvalidUtf8 @ 6);
invalid!(
    /// MQTT-2.3.1-1: packet identifier 0.
    mqtt_2_3_1_1_subscribe_zero_id, V3_1_1, "82 06 00 00 00 01 61 00" => ZeroPacketId @ 2);
invalid!(
    /// MQTT-2.3.1-1 under 3.1.
    v3_1_subscribe_zero_id, V3_1, "82 06 00 00 00 01 61 00" => ZeroPacketId @ 2);
invalid!(
    /// The requested QoS byte is missing (filter "ab").
    subscribe_missing_options, V3_1_1, "82 06 00 0A 00 02 61 62" => Truncated @ 8);
invalid!(
    /// The requested QoS byte is missing and the packet is below the smallest SUBSCRIBE.
    subscribe_short_missing_options, V3_1_1, "82 05 00 0A 00 01 61" => InvalidRemainingLength @ 1);
invalid!(
    /// The filter length runs past the end.
    subscribe_filter_past_end, V3_1_1, "82 06 00 0A 00 05 61 00" => Truncated @ 6);
invalid!(
    /// Half a packet identifier: refused at the header.
    subscribe_half_packet_id, V3_1_1, "82 01 00" => InvalidRemainingLength @ 1);

// ---- SUBSCRIBE: encoding -----------------------------------------------------------------

/// No Local, Retain As Published and Retain Handling exist only in 5.0.
#[test]
fn encode_v5_subscription_options_not_in_3x() {
    let options = [
        SubscriptionOptions {
            no_local: true,
            ..SubscriptionOptions::new(QoS::AtMostOnce)
        },
        SubscriptionOptions {
            retain_as_published: true,
            ..SubscriptionOptions::new(QoS::AtLeastOnce)
        },
        SubscriptionOptions {
            retain_handling: RetainHandling::SendIfNew,
            ..SubscriptionOptions::new(QoS::AtMostOnce)
        },
        SubscriptionOptions {
            retain_handling: RetainHandling::DoNotSend,
            ..SubscriptionOptions::new(QoS::ExactlyOnce)
        },
    ];
    for v in V3 {
        for options in options {
            let subs = [Subscription {
                filter: "a",
                options,
            }];
            let p = Packet::Subscribe(Subscribe::new(pid(1), Subscriptions::new(&subs)));
            encode_fails(
                v,
                &p,
                EncodeError::NotInVersion(mqtt_wire::Field::SubscriptionOptions),
            );
        }
    }
}

#[test]
fn encode_subscribe_properties_not_in_3x() {
    let props = [Property::SubscriptionIdentifier(1)];
    let subs = [Subscription::new("a", QoS::AtMostOnce)];
    let p = Packet::Subscribe(Subscribe {
        properties: Properties::new(&props),
        ..Subscribe::new(pid(1), Subscriptions::new(&subs))
    });
    for v in V3 {
        encode_fails(
            v,
            &p,
            EncodeError::NotInVersion(mqtt_wire::Field::Properties),
        );
    }
}

/// MQTT-3.8.3-3, MQTT-4.7.1-2, MQTT-4.7.1-3, MQTT-4.7.3-1 on the encoding side.
#[test]
fn encode_subscribe_invalid_payload() {
    for v in V3 {
        let p = Packet::Subscribe(Subscribe::new(pid(1), Subscriptions::EMPTY));
        encode_fails(v, &p, EncodeError::Invalid(DecodeErrorKind::NoTopicFilters));
        for (filter, kind) in [
            ("a#", DecodeErrorKind::InvalidTopicFilter),
            ("#/a", DecodeErrorKind::InvalidTopicFilter),
            ("a+", DecodeErrorKind::InvalidTopicFilter),
            ("", DecodeErrorKind::EmptyTopic),
            ("a\0", DecodeErrorKind::NullCharacter),
        ] {
            let subs = [Subscription::new(filter, QoS::AtMostOnce)];
            let p = Packet::Subscribe(Subscribe::new(pid(1), Subscriptions::new(&subs)));
            encode_fails(v, &p, EncodeError::Invalid(kind));
        }
    }
}

#[test]
fn encode_subscribe_65536_byte_filter() {
    let filter = "f".repeat(65_536);
    let subs = [Subscription::new(&filter, QoS::AtMostOnce)];
    let p = Packet::Subscribe(Subscribe::new(pid(1), Subscriptions::new(&subs)));
    for v in V3 {
        encode_fails(v, &p, EncodeError::FieldTooLong);
    }
}

// ---- SUBACK ------------------------------------------------------------------------------

/// §3.9.3 return codes 0x00, 0x01, 0x02 and 0x80 (Failure) in 3.1.1.
#[test]
fn suback_v3_1_1_all_return_codes() {
    let bytes = hex(concat!(
        "90 06",       // SUBACK; Remaining Length 6
        "00 0A",       // packet identifier 10
        "00 01 02 80", // granted QoS 0, 1, 2; failure
    ));
    let codes = [
        ReasonCode::Success,
        ReasonCode::GrantedQoS1,
        ReasonCode::GrantedQoS2,
        ReasonCode::UnspecifiedError,
    ];
    let expected = Packet::SubAck(SubAck::new(pid(10), ReasonCodes::new(&codes)));
    valid(Version::V3_1_1, &bytes, &expected);
}

/// 3.1 grants QoS 0, 1 or 2 (it has no failure code).
#[test]
fn suback_v3_1_granted_qos() {
    let bytes = hex(concat!(
        "90 05",    // SUBACK; Remaining Length 5
        "00 0A",    // packet identifier 10
        "02 01 00", // granted QoS 2, 1, 0
    ));
    let codes = [
        ReasonCode::GrantedQoS2,
        ReasonCode::GrantedQoS1,
        ReasonCode::Success,
    ];
    let expected = Packet::SubAck(SubAck::new(pid(10), ReasonCodes::new(&codes)));
    for v in V3 {
        valid(v, &bytes, &expected);
    }
}

invalid!(
    /// MQTT-3.9.3-2: return code 0x03.
    mqtt_3_9_3_2_code_03, V3_1_1, "90 03 00 0A 03" => InvalidSubAckReturnCode @ 4);
invalid!(
    /// MQTT-3.9.3-2: return code 0x81.
    mqtt_3_9_3_2_code_81, V3_1_1, "90 03 00 0A 81" => InvalidSubAckReturnCode @ 4);
invalid!(
    /// MQTT-3.9.3-2: 0x8F is a 5.0 SUBACK reason code, not a 3.1.1 return code.
    mqtt_3_9_3_2_code_8f, V3_1_1, "90 03 00 0A 8F" => InvalidSubAckReturnCode @ 4);
invalid!(
    /// MQTT-3.9.3-2: return code 0xFF.
    mqtt_3_9_3_2_code_ff, V3_1_1, "90 03 00 0A FF" => InvalidSubAckReturnCode @ 4);
invalid!(
    /// MQTT-3.9.3-2: the second return code is 0x03.
    mqtt_3_9_3_2_second_code, V3_1_1, "90 04 00 0A 00 03" => InvalidSubAckReturnCode @ 5);
invalid!(
    /// 3.1 has no failure return code 0x80.
    v3_1_suback_code_80, V3_1, "90 03 00 0A 80" => InvalidSubAckReturnCode @ 4);
invalid!(
    /// 3.1: return code 0x03.
    v3_1_suback_code_03, V3_1, "90 03 00 0A 03" => InvalidSubAckReturnCode @ 4);
invalid!(
    /// MQTT-3.8.4-5 / MQTT-3.9.3-1: a SUBACK holds one return code per filter, so at least one.
    /// Remaining Length 2 is below the smallest SUBACK (3), refused at the header.
    suback_without_return_codes, V3_1_1, "90 02 00 0A" => InvalidRemainingLength @ 1);
invalid!(
    /// No return codes under 3.1.
    v3_1_suback_without_return_codes, V3_1, "90 02 00 0A" => InvalidRemainingLength @ 1);
invalid!(
    /// MQTT-2.3.1-7 / MQTT-2.3.1-1: packet identifier 0.
    suback_zero_packet_id, V3_1_1, "90 03 00 00 00" => ZeroPacketId @ 2);
invalid!(
    /// MQTT-2.2.2-1: SUBACK flags must be 0000.
    mqtt_2_2_2_1_suback_flags, V3_1_1, "92 03 00 0A 00" => ReservedFlags @ 0);

#[test]
fn encode_suback_codes_not_in_version() {
    // 0x80 exists from 3.1.1 on; 5.0-only codes exist in neither.
    let failure = [ReasonCode::UnspecifiedError];
    let p = Packet::SubAck(SubAck::new(pid(1), ReasonCodes::new(&failure)));
    encode_fails(
        Version::V3_1,
        &p,
        EncodeError::NotInVersion(mqtt_wire::Field::ReasonCode),
    );
    for rc in [
        ReasonCode::TopicFilterInvalid,
        ReasonCode::NotAuthorized,
        ReasonCode::QuotaExceeded,
    ] {
        let codes = [ReasonCode::Success, rc];
        let p = Packet::SubAck(SubAck::new(pid(1), ReasonCodes::new(&codes)));
        for v in V3 {
            encode_fails(
                v,
                &p,
                EncodeError::NotInVersion(mqtt_wire::Field::ReasonCode),
            );
        }
    }
}

#[test]
fn encode_suback_without_codes_or_with_properties() {
    for v in V3 {
        let p = Packet::SubAck(SubAck::new(pid(1), ReasonCodes::EMPTY));
        encode_fails(v, &p, EncodeError::Invalid(DecodeErrorKind::NoReasonCodes));
        let props = [Property::ReasonString("r")];
        let codes = [ReasonCode::Success];
        let p = Packet::SubAck(SubAck {
            properties: Properties::new(&props),
            ..SubAck::new(pid(1), ReasonCodes::new(&codes))
        });
        encode_fails(
            v,
            &p,
            EncodeError::NotInVersion(mqtt_wire::Field::Properties),
        );
    }
}

// ---- UNSUBSCRIBE -------------------------------------------------------------------------

#[test]
fn unsubscribe_two_filters() {
    let bytes = hex(concat!(
        "A2 0C",          // UNSUBSCRIBE, flags 0010 (MQTT-3.10.1-1); Remaining Length 12
        "00 0B",          // packet identifier 11
        "00 03 61 2F 62", // "a/b"
        "00 03 63 2F 64", // "c/d"
    ));
    let filters = ["a/b", "c/d"];
    let expected = Packet::Unsubscribe(Unsubscribe::new(pid(11), TopicFilters::new(&filters)));
    for v in V3 {
        valid(v, &bytes, &expected);
    }
}

#[test]
fn unsubscribe_wildcard_filter() {
    let bytes = hex(concat!(
        "A2 08",             // UNSUBSCRIBE; Remaining Length 8
        "00 01",             // packet identifier 1
        "00 04 2B 2F 2B 2F", // "+/+/" (three levels, the last one empty)
    ));
    let filters = ["+/+/"];
    let expected = Packet::Unsubscribe(Unsubscribe::new(pid(1), TopicFilters::new(&filters)));
    for v in V3 {
        valid(v, &bytes, &expected);
    }
}

invalid!(
    /// MQTT-3.10.1-1: UNSUBSCRIBE flags 0000.
    mqtt_3_10_1_1_flags_0000, V3_1_1, "A0 05 00 0B 00 01 61" => ReservedFlags @ 0);
invalid!(
    /// MQTT-3.10.1-1: UNSUBSCRIBE flags 0011.
    mqtt_3_10_1_1_flags_0011, V3_1_1, "A3 05 00 0B 00 01 61" => ReservedFlags @ 0);
invalid!(
    /// MQTT-3.10.1-1 under 3.1.
    v3_1_unsubscribe_flags_0000, V3_1, "A0 05 00 0B 00 01 61" => ReservedFlags @ 0);
invalid!(
    /// MQTT-3.10.3-2: no topic filter. Remaining Length 2 is below the smallest UNSUBSCRIBE
    /// (5: packet identifier, one 1-byte filter), refused at the header.
    mqtt_3_10_3_2_no_topic_filter, V3_1_1, "A2 02 00 0B" => InvalidRemainingLength @ 1);
invalid!(
    /// MQTT-3.10.3-2 under 3.1.
    v3_1_unsubscribe_no_topic_filter, V3_1, "A2 02 00 0B" => InvalidRemainingLength @ 1);
invalid!(
    /// MQTT-4.7.1-2: "a#".
    mqtt_4_7_1_2_unsubscribe_filter, V3_1_1, "A2 06 00 0B 00 02 61 23" => InvalidTopicFilter @ 4);
invalid!(
    /// MQTT-4.7.1-3: "a+".
    mqtt_4_7_1_3_unsubscribe_filter, V3_1_1, "A2 06 00 0B 00 02 61 2B" => InvalidTopicFilter @ 4);
invalid!(
    /// MQTT-4.7.3-1: empty filter.
    mqtt_4_7_3_1_unsubscribe_empty_filter, V3_1_1, "A2 07 00 0B 00 00 00 01 61" => EmptyTopic @ 4);
invalid!(
    /// MQTT-1.5.3-2: filter "a\0".
    mqtt_1_5_3_2_unsubscribe_filter_nul, V3_1_1, "A2 06 00 0B 00 02 61 00" => NullCharacter @ 7);
invalid!(
    /// MQTT-2.3.1-1: packet identifier 0.
    mqtt_2_3_1_1_unsubscribe_zero_id, V3_1_1, "A2 05 00 00 00 01 61" => ZeroPacketId @ 2);
invalid!(
    /// The filter length runs past the end.
    unsubscribe_filter_past_end, V3_1_1, "A2 05 00 0B 00 05 61" => Truncated @ 6);

#[test]
fn encode_unsubscribe_invalid() {
    for v in V3 {
        let p = Packet::Unsubscribe(Unsubscribe::new(pid(1), TopicFilters::EMPTY));
        encode_fails(v, &p, EncodeError::Invalid(DecodeErrorKind::NoTopicFilters));
        let bad = ["a/#/b"];
        let p = Packet::Unsubscribe(Unsubscribe::new(pid(1), TopicFilters::new(&bad)));
        encode_fails(
            v,
            &p,
            EncodeError::Invalid(DecodeErrorKind::InvalidTopicFilter),
        );
        let props = [Property::UserProperty("k", "v")];
        let ok = ["a"];
        let p = Packet::Unsubscribe(Unsubscribe {
            properties: Properties::new(&props),
            ..Unsubscribe::new(pid(1), TopicFilters::new(&ok))
        });
        encode_fails(
            v,
            &p,
            EncodeError::NotInVersion(mqtt_wire::Field::Properties),
        );
    }
}
