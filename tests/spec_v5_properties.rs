//! MQTT 5.0 properties (§2.2.2): all 27 identifiers in all 14 property contexts, repeats,
//! value ranges, unknown identifiers and broken property lengths. Packets are written byte
//! by byte from the spec (see `spec_v5_support`), never taken from the encoder.

mod spec_v5_support;

use mqtt_wire::{
    DecodeErrorKind as K, EncodeError, Packet, Properties, Property, PropertyContext as C,
    PropertyId as P, QoS, ReasonCode, Version, WireType,
};
use spec_v5_support::*;

/// The 27 identifiers of Table 2-4 with their data type (§1.5), typed in from the spec.
const SPEC_TYPES: [(u8, WireType); 27] = {
    use WireType::*;
    [
        (0x01, Byte),
        (0x02, FourByteInteger),
        (0x03, Utf8String),
        (0x08, Utf8String),
        (0x09, BinaryData),
        (0x0B, VarInt),
        (0x11, FourByteInteger),
        (0x12, Utf8String),
        (0x13, TwoByteInteger),
        (0x15, Utf8String),
        (0x16, BinaryData),
        (0x17, Byte),
        (0x18, FourByteInteger),
        (0x19, Byte),
        (0x1A, Utf8String),
        (0x1C, Utf8String),
        (0x1F, Utf8String),
        (0x21, TwoByteInteger),
        (0x22, TwoByteInteger),
        (0x23, TwoByteInteger),
        (0x24, Byte),
        (0x25, Byte),
        (0x26, Utf8StringPair),
        (0x27, FourByteInteger),
        (0x28, Byte),
        (0x29, Byte),
        (0x2A, Byte),
    ]
};

#[test]
fn table_2_4_ids_types_and_contexts_match_the_spec() {
    let ids: Vec<u8> = P::ALL.iter().map(|p| *p as u8).collect();
    let spec_ids: Vec<u8> = SPEC_TYPES.iter().map(|(b, _)| *b).collect();
    assert_eq!(ids, spec_ids);
    assert_eq!(SAMPLES.len(), 27);
    for (b, ty) in SPEC_TYPES {
        let id = P::try_from(b).unwrap();
        assert_eq!(id.wire_type(), ty, "{id:?}");
        assert_eq!(sample(id).bytes[0], b);
        assert_eq!(sample(id).prop.id(), id);
        for ctx in CONTEXTS {
            assert_eq!(
                id.is_allowed_in(ctx),
                spec_allows(id, ctx),
                "{id:?} in {ctx:?}"
            );
        }
    }
    for b in 0..=u8::MAX {
        assert_eq!(
            P::try_from(b).is_ok(),
            spec_ids.contains(&b),
            "identifier 0x{b:02X}"
        );
    }
}

/// §2.2.2.2: each property decodes (typed getter and `get`), re-encodes byte for byte and
/// encodes from values wherever Table 2-4 allows it; anywhere else decoding fails with
/// `PropertyNotAllowed` at the property's first byte (a Malformed Packet) and encoding fails.
#[test]
fn every_property_in_every_context() {
    let (mut allowed, mut refused) = (0, 0);
    for s in SAMPLES {
        for ctx in CONTEXTS {
            let comp = companion(ctx, s.id);
            let (bytes, at) = packet_in(ctx, &cat(&[comp, s.bytes]));
            let list: Vec<Property<'_>> = companion_prop(ctx, s.id)
                .into_iter()
                .chain([s.prop])
                .collect();
            let built = build(ctx, Properties::new(&list));
            let what = format!("{:?} in {ctx:?}: {bytes:02X?}", s.id);
            if spec_allows(s.id, ctx) {
                allowed += 1;
                let p = check_valid(&bytes);
                let props = props_of(&p, ctx);
                assert!(getter_returns(&props, &s.prop), "{what}");
                assert_eq!(props.get(s.id), Some(s.prop), "{what}");
                assert_eq!(props.iter().collect::<Vec<_>>(), list, "{what}");
                check_built(&built, &bytes);
            } else {
                refused += 1;
                let e = decode_err(&bytes);
                assert_eq!(e.kind(), K::PropertyNotAllowed(s.id), "{what}");
                assert_eq!(e.offset(), at + comp.len(), "{what}");
                assert_eq!(e.reason_code(), ReasonCode::MalformedPacket, "{what}");
                let err = Err(EncodeError::Invalid(K::PropertyNotAllowed(s.id)));
                assert_eq!(encode_vec(&built), err, "{what}");
                assert_eq!(built.encoded_len(V5).map(|_| vec![]), err, "{what}");
            }
        }
    }
    // 64 (property, context) pairs in Table 2-4; 27 * 14 in all.
    assert_eq!((allowed, refused), (64, 27 * 14 - 64));
}

/// Every property a context allows, all in one block, in descending identifier order (the
/// order of different properties carries no meaning, §2.2.2.2): wire order is kept.
#[test]
fn all_allowed_properties_together_keep_their_order() {
    for ctx in CONTEXTS {
        let chosen: Vec<&Sample> = SAMPLES
            .iter()
            .rev()
            .filter(|s| spec_allows(s.id, ctx))
            .collect();
        let raw: Vec<u8> = chosen
            .iter()
            .flat_map(|s| s.bytes.iter().copied())
            .collect();
        let list: Vec<Property<'_>> = chosen.iter().map(|s| s.prop).collect();
        let (bytes, _) = packet_in(ctx, &raw);
        let p = check_valid(&bytes);
        let props = props_of(&p, ctx);
        assert_eq!(props.iter().collect::<Vec<_>>(), list, "{ctx:?}");
        assert_eq!(props.len(), list.len());
        for s in &chosen {
            assert!(getter_returns(&props, &s.prop), "{ctx:?} {:?}", s.id);
        }
        check_built(&build(ctx, Properties::new(&list)), &bytes);
    }
}

/// Hand-written: only User Property (anywhere) and Subscription Identifier (in PUBLISH,
/// §3.3.2.3.8) may repeat.
fn spec_may_repeat(id: P, ctx: C) -> bool {
    id == P::UserProperty || (id == P::SubscriptionIdentifier && ctx == C::Publish)
}

/// Each property's subsection: "It is a Protocol Error to include ... more than once".
/// (PUBLISH's Payload Format Indicator and Message Expiry Interval have no such sentence;
/// mqtt-wire treats them like their Will twins, §3.1.3.2.3 / §3.1.3.2.4.)
#[test]
fn every_non_repeatable_property_twice_is_a_protocol_error() {
    let mut checked = 0;
    for s in SAMPLES {
        for ctx in CONTEXTS.into_iter().filter(|c| spec_allows(s.id, *c)) {
            assert_eq!(s.id.may_repeat_in(ctx), spec_may_repeat(s.id, ctx));
            let comp = companion(ctx, s.id);
            let (bytes, at) = packet_in(ctx, &cat(&[comp, s.bytes, s.bytes]));
            let list: Vec<Property<'_>> = companion_prop(ctx, s.id)
                .into_iter()
                .chain([s.prop, s.prop])
                .collect();
            let built = build(ctx, Properties::new(&list));
            if spec_may_repeat(s.id, ctx) {
                let p = check_valid(&bytes);
                assert_eq!(props_of(&p, ctx).iter().collect::<Vec<_>>(), list);
                check_built(&built, &bytes);
                continue;
            }
            checked += 1;
            let e = decode_err(&bytes);
            let what = format!("{:?} in {ctx:?}", s.id);
            assert_eq!(e.kind(), K::DuplicateProperty(s.id), "{what}");
            assert_eq!(e.offset(), at + comp.len() + s.bytes.len(), "{what}");
            assert_eq!(e.reason_code(), ReasonCode::ProtocolError, "{what}");
            assert_eq!(
                encode_vec(&built),
                Err(EncodeError::Invalid(K::DuplicateProperty(s.id))),
                "{what}"
            );
        }
    }
    // 64 allowed pairs minus 14 User Property pairs minus Subscription Identifier in PUBLISH.
    assert_eq!(checked, 64 - 14 - 1);
}

/// A duplicate separated by other properties is still found.
#[test]
fn duplicate_found_across_other_properties() {
    let raw = cat(&[
        sample(P::SessionExpiryInterval).bytes,
        sample(P::UserProperty).bytes,
        sample(P::ReceiveMaximum).bytes,
        sample(P::SessionExpiryInterval).bytes,
    ]);
    let (bytes, at) = packet_in(C::Connect, &raw);
    let e = decode_err(&bytes);
    assert_eq!(e.kind(), K::DuplicateProperty(P::SessionExpiryInterval));
    assert_eq!(e.offset(), at + raw.len() - 5);
}

/// MQTT-3.3.2-18 / MQTT-3.1.3-10: User Property may repeat, also with the same name and the
/// same pair, and the order is kept.
#[test]
fn mqtt_3_3_2_18_user_properties_repeat_in_order() {
    let raw = cat(&[
        &[0x26, 0, 1, b'a', 0, 1, b'1'],
        sample(P::ContentType).bytes,
        &[0x26, 0, 1, b'b', 0, 0],
        &[0x26, 0, 1, b'a', 0, 1, b'3'],
        &[0x26, 0, 1, b'a', 0, 1, b'1'],
    ]);
    for ctx in [C::Publish, C::Will] {
        let (bytes, _) = packet_in(ctx, &raw);
        let p = check_valid(&bytes);
        let props = props_of(&p, ctx);
        let pairs: Vec<_> = props.user_properties().collect();
        assert_eq!(pairs, [("a", "1"), ("b", ""), ("a", "3"), ("a", "1")]);
        assert_eq!(props.content_type(), Some("json"));
    }
    // Every context, three pairs.
    let three = cat(&[
        &[0x26, 0, 1, b'z', 0, 1, b'1'],
        &[0x26, 0, 1, b'y', 0, 1, b'2'],
        &[0x26, 0, 1, b'z', 0, 1, b'3'],
    ]);
    for ctx in CONTEXTS {
        let raw = cat(&[companion(ctx, P::UserProperty), &three]);
        let (bytes, _) = packet_in(ctx, &raw);
        let p = check_valid(&bytes);
        let pairs: Vec<_> = props_of(&p, ctx).user_properties().collect();
        assert_eq!(pairs, [("z", "1"), ("y", "2"), ("z", "3")], "{ctx:?}");
    }
}

/// §3.3.2.3.8: a PUBLISH may hold several Subscription Identifiers (the same value too);
/// §3.8.2.1.2: more than one in SUBSCRIBE is a Protocol Error.
#[test]
fn subscription_identifier_repeats_in_publish_not_in_subscribe() {
    let raw = [0x0B, 0x01, 0x0B, 0xFF, 0xFF, 0xFF, 0x7F, 0x0B, 0x01];
    let (bytes, _) = packet_in(C::Publish, &raw);
    let p = check_valid(&bytes);
    let props = props_of(&p, C::Publish);
    assert_eq!(
        props.subscription_identifiers().collect::<Vec<_>>(),
        [1, 268_435_455, 1]
    );
    assert_eq!(props.subscription_identifier(), Some(1));
    let list = [
        Property::SubscriptionIdentifier(1),
        Property::SubscriptionIdentifier(268_435_455),
        Property::SubscriptionIdentifier(1),
    ];
    check_built(&build(C::Publish, Properties::new(&list)), &bytes);

    let (bytes, at) = packet_in(C::Subscribe, &raw);
    let e = decode_err(&bytes);
    assert_eq!(e.kind(), K::DuplicateProperty(P::SubscriptionIdentifier));
    assert_eq!(
        (e.offset(), e.reason_code()),
        (at + 2, ReasonCode::ProtocolError)
    );
    assert_eq!(
        encode_vec(&build(C::Subscribe, Properties::new(&list))),
        Err(EncodeError::Invalid(K::DuplicateProperty(
            P::SubscriptionIdentifier
        )))
    );
}

/// Decodes a packet with `raw` as the block of `ctx` and expects `kind` at `at + rel`.
fn expect_bad(ctx: C, raw: &[u8], rel: usize, kind: K) {
    let (bytes, at) = packet_in(ctx, raw);
    let e = decode_err(&bytes);
    assert_eq!(
        (e.kind(), e.offset()),
        (kind, at + rel),
        "{ctx:?}: {bytes:02X?}"
    );
}

fn expect_unencodable(ctx: C, prop: Property<'_>, kind: K) {
    let list = [prop];
    assert_eq!(
        encode_vec(&build(ctx, Properties::new(&list))),
        Err(EncodeError::Invalid(kind)),
        "{prop:?} in {ctx:?}"
    );
}

/// The four properties that may not be 0 (§3.3.2.3.8, §3.8.2.1.2, §3.1.2.11.3, §3.2.2.3.3,
/// §3.1.2.11.4, §3.2.2.3.6, MQTT-3.3.2-8), decoded and encoded.
#[test]
fn zero_values_refused() {
    let sub_id = K::InvalidPropertyValue(P::SubscriptionIdentifier);
    for ctx in [C::Publish, C::Subscribe] {
        expect_bad(ctx, &[0x0B, 0x00], 1, sub_id);
        expect_unencodable(ctx, Property::SubscriptionIdentifier(0), sub_id);
        // Above the Variable Byte Integer range it cannot be written at all.
        expect_unencodable(ctx, Property::SubscriptionIdentifier(268_435_456), sub_id);
    }
    for ctx in [C::Connect, C::ConnAck] {
        let k = K::InvalidPropertyValue(P::ReceiveMaximum);
        expect_bad(ctx, &[0x21, 0x00, 0x00], 1, k);
        expect_unencodable(ctx, Property::ReceiveMaximum(0), k);
        let k = K::InvalidPropertyValue(P::MaximumPacketSize);
        expect_bad(ctx, &[0x27, 0, 0, 0, 0], 1, k);
        expect_unencodable(ctx, Property::MaximumPacketSize(0), k);
    }
    expect_bad(C::Publish, &[0x23, 0x00, 0x00], 1, K::ZeroTopicAlias);
    expect_unencodable(C::Publish, Property::TopicAlias(0), K::ZeroTopicAlias);
    // §3.3.4: the receiver answers 0x94 Topic Alias invalid.
    assert_eq!(
        K::ZeroTopicAlias.reason_code(),
        ReasonCode::TopicAliasInvalid
    );
    assert_eq!(sub_id.reason_code(), ReasonCode::ProtocolError);
    // Zero is fine for the others, e.g. Topic Alias Maximum (§3.1.2.11.5) and Session
    // Expiry Interval.
    for ctx in [C::Connect, C::ConnAck] {
        check_valid(&packet_in(ctx, &[0x22, 0, 0, 0x11, 0, 0, 0, 0]).0);
    }
    // Largest values.
    check_valid(
        &packet_in(
            C::Publish,
            &[0x23, 0xFF, 0xFF, 0x0B, 0xFF, 0xFF, 0xFF, 0x7F],
        )
        .0,
    );
    check_valid(
        &packet_in(
            C::Connect,
            &[0x21, 0xFF, 0xFF, 0x27, 0xFF, 0xFF, 0xFF, 0xFF],
        )
        .0,
    );
}

/// The seven Byte properties that may only be 0 or 1 (§3.1.2.11.6, §3.1.2.11.7,
/// §3.2.2.3.4, §3.2.2.3.5, §3.2.2.3.11 .. §3.2.2.3.13), plus Payload Format Indicator
/// (policy: the spec names no error for 2..255, mqtt-wire refuses them as mosquitto does).
#[test]
fn byte_properties_only_zero_or_one() {
    let cases = [
        (P::RequestProblemInformation, C::Connect),
        (P::RequestResponseInformation, C::Connect),
        (P::MaximumQoS, C::ConnAck),
        (P::RetainAvailable, C::ConnAck),
        (P::WildcardSubscriptionAvailable, C::ConnAck),
        (P::SubscriptionIdentifierAvailable, C::ConnAck),
        (P::SharedSubscriptionAvailable, C::ConnAck),
        (P::PayloadFormatIndicator, C::Publish),
        (P::PayloadFormatIndicator, C::Will),
    ];
    for (id, ctx) in cases {
        for v in 0..=u8::MAX {
            let raw = [id as u8, v];
            if v <= 1 {
                check_valid(&packet_in(ctx, &raw).0);
            } else {
                expect_bad(ctx, &raw, 1, K::InvalidPropertyValue(id));
            }
        }
        assert_eq!(
            K::InvalidPropertyValue(id).reason_code(),
            ReasonCode::ProtocolError
        );
    }
    // Maximum QoS 2 is the absence of the property (§3.2.2.3.4): sending 2 is an error.
    expect_unencodable(
        C::ConnAck,
        Property::MaximumQoS(QoS::ExactlyOnce),
        K::InvalidPropertyValue(P::MaximumQoS),
    );
    let (bytes, _) = packet_in(C::ConnAck, &[0x24, 0x00]);
    let p = check_valid(&bytes);
    assert_eq!(
        props_of(&p, C::ConnAck).maximum_qos(),
        Some(QoS::AtMostOnce)
    );
}

/// MQTT-3.3.2-14: the Response Topic is a topic name (no wildcards, not empty).
#[test]
fn mqtt_3_3_2_14_response_topic_without_wildcards() {
    for ctx in [C::Publish, C::Will] {
        for bad in ["a/+", "#", "a/#", "+", "a+b", ""] {
            let mut raw = vec![0x08, 0x00, bad.len() as u8];
            raw.extend_from_slice(bad.as_bytes());
            expect_bad(ctx, &raw, 1, K::InvalidPropertyValue(P::ResponseTopic));
            expect_unencodable(
                ctx,
                Property::ResponseTopic(bad),
                K::InvalidPropertyValue(P::ResponseTopic),
            );
        }
        check_valid(&packet_in(ctx, &[0x08, 0x00, 0x03, b'$', b'/', b'a']).0);
    }
}

/// Property values are of their data type: UTF-8 rules (MQTT-1.5.4-1, MQTT-1.5.4-2) hold
/// for string properties and both halves of a User Property (MQTT-1.5.7-1).
#[test]
fn mqtt_1_5_4_and_1_5_7_string_properties() {
    // In the Will Properties (a CONNECT is never re-read as another version).
    expect_bad(C::Will, &[0x03, 0x00, 0x01, 0xFF], 3, K::InvalidUtf8);
    expect_bad(
        C::Will,
        &[0x03, 0x00, 0x02, b'a', 0x00],
        4,
        K::NullCharacter,
    );
    expect_bad(
        C::Will,
        &[0x26, 0x00, 0x01, 0xC0, 0x00, 0x00],
        3,
        K::InvalidUtf8,
    );
    expect_bad(
        C::Will,
        &[0x26, 0x00, 0x00, 0x00, 0x01, 0x00],
        5,
        K::NullCharacter,
    );
    // In a PUBLISH the same bytes would also be a valid 3.1.1 PUBLISH (the block read as
    // payload), but a string error names the exact bytes at fault: it is kept, not turned
    // into a version diagnosis.
    expect_bad(C::Publish, &[0x03, 0x00, 0x01, 0xFF], 3, K::InvalidUtf8);
    // Encoded surrogate U+D800 (ED A0 80).
    expect_bad(
        C::ConnAck,
        &[0x1F, 0x00, 0x03, 0xED, 0xA0, 0x80],
        3,
        K::InvalidUtf8,
    );
    expect_unencodable(C::Publish, Property::ContentType("a\0"), K::NullCharacter);
    expect_unencodable(
        C::Publish,
        Property::UserProperty("k", "\0"),
        K::NullCharacter,
    );
    // U+FEFF is kept (MQTT-1.5.4-3).
    let (bytes, _) = packet_in(C::Publish, &[0x03, 0x00, 0x03, 0xEF, 0xBB, 0xBF]);
    let p = check_valid(&bytes);
    assert_eq!(props_of(&p, C::Publish).content_type(), Some("\u{FEFF}"));
}

/// §2.2.2.2: an identifier the spec does not define makes the packet malformed, whether
/// one byte (0x00, 0x04, 0x2B ...) or a multi-byte Variable Byte Integer.
#[test]
fn unknown_property_identifiers() {
    let known: Vec<u8> = SPEC_TYPES.iter().map(|(b, _)| *b).collect();
    let mut unknown = 0;
    for b in (0..0x80u8).filter(|b| !known.contains(b)) {
        unknown += 1;
        for ctx in [C::Publish, C::ConnAck, C::Connect] {
            expect_bad(ctx, &[b, 0x00, 0x00, 0x00, 0x00], 0, K::UnknownProperty);
        }
    }
    assert_eq!(unknown, 128 - 27);
    for id in [
        &[0x80, 0x01][..],
        &[0x81, 0x01],
        &[0xA6, 0x01],
        &[0xFF, 0x7F],
        &[0x80, 0x80, 0x01],
        &[0xFF, 0xFF, 0xFF, 0x7F],
    ] {
        let raw = cat(&[id, &[0x00, 0x00]]);
        expect_bad(C::Publish, &raw, 0, K::UnknownProperty);
    }
    assert_eq!(
        K::UnknownProperty.reason_code(),
        ReasonCode::MalformedPacket
    );
    // An identifier written in more bytes than needed (0x26 as A6 00) is not minimal
    // (MQTT-1.5.5-1); the offending byte is the last one.
    expect_bad(
        C::ConnAck,
        &[0xA6, 0x00, 0, 1, b'k', 0, 1, b'v'],
        1,
        K::NonMinimalVarInt,
    );
    // A five-byte identifier.
    expect_bad(
        C::ConnAck,
        &[0x80, 0x80, 0x80, 0x80, 0x01],
        3,
        K::VarIntTooLong,
    );
    // The identifier is cut by the end of the block.
    let (bytes, _) = packet_in(C::ConnAck, &[0x80]);
    assert_eq!(decode_err(&bytes).kind(), K::Truncated);
}

/// §2.2.2.1: the Property Length must match the properties it holds.
#[test]
fn property_length_must_match_the_block() {
    // CONNACK, Property Length 5 but only 2 bytes of packet left.
    let bytes = [0x20, 0x05, 0x00, 0x00, 0x05, 0x25, 0x01];
    let e = decode_err(&bytes);
    assert_eq!((e.kind(), e.offset()), (K::Truncated, 5));
    assert_eq!(e.reason_code(), ReasonCode::MalformedPacket);
    // PUBLISH, Property Length larger than the rest (the payload cannot make it up). As
    // 3.1.1 the same bytes are a PUBLISH with a 4-byte payload, but so is every broken 5.0
    // PUBLISH: no evidence of a version mix-up, the rule stays.
    let bytes = [0x30, 0x07, 0x00, 0x01, b't', 0x09, 0x23, 0x00, 0x07];
    let e = decode_err(&bytes);
    assert_eq!((e.kind(), e.offset()), (K::Truncated, 6));
    assert_eq!(e.reason_code(), ReasonCode::MalformedPacket);
    // With an empty topic (no 3.1.1 reading) the rule-level error shows.
    let bytes = [0x30, 0x06, 0x00, 0x00, 0x09, 0x23, 0x00, 0x07];
    let e = decode_err(&bytes);
    assert_eq!((e.kind(), e.offset()), (K::Truncated, 5));
    // Property Length 2 cuts Receive Maximum (3 bytes) in half.
    let bytes = [0x20, 0x06, 0x00, 0x00, 0x02, 0x21, 0x00, 0x0A];
    let e = decode_err(&bytes);
    assert_eq!((e.kind(), e.offset()), (K::Truncated, 6));
    // Property Length 2 ends on a property boundary; the second property is left over.
    let bytes = [0x20, 0x07, 0x00, 0x00, 0x02, 0x25, 0x01, 0x25, 0x01];
    let e = decode_err(&bytes);
    assert_eq!((e.kind(), e.offset()), (K::TrailingBytes, 7));
    // In every short-form packet, too.
    for first in [0x40, 0x50, 0x62, 0x70] {
        let bytes = [first, 0x06, 0x00, 0x01, 0x00, 0x01, 0x1F, 0x00];
        assert_eq!(decode_err(&bytes).kind(), K::Truncated);
    }
    let e = decode_err(&[0xE0, 0x04, 0x00, 0x05, 0x11, 0x00]);
    assert_eq!((e.kind(), e.offset()), (K::Truncated, 4));
}

/// Errors inside a 5.0 PUBLISH's property block on a 5.0 connection name the rule broken
/// (MQTT-1.5.5-1 minimal variable byte integers, §2.2.2.2 property identifiers, §1.5.2 a Two
/// Byte Integer cut short), not `WrongProtocolVersion`: each of these PUBLISHes also parses
/// as 3.1.1 (the property block becomes payload), as every 5.0 PUBLISH does.
#[test]
fn mqtt_1_5_5_1_publish_property_errors_keep_their_rule() {
    for (bytes, kind, at) in [
        // Property Length `80 00`: not minimal.
        (
            &[0x30, 0x05, 0x00, 0x01, 0x74, 0x80, 0x00][..],
            K::NonMinimalVarInt,
            6,
        ),
        // Property identifier `ff ff ff ff`: a variable byte integer of 5 bytes.
        (
            &[0x30, 0x08, 0x00, 0x01, 0x74, 0x04, 0xFF, 0xFF, 0xFF, 0xFF],
            K::VarIntTooLong,
            9,
        ),
        // QoS 1, Property Length 2 holding Topic Alias (0x23) and one of its two bytes.
        (
            &[
                0x32, 0x09, 0x00, 0x01, 0x74, 0x00, 0x01, 0x02, 0x23, 0x00, 0x01,
            ],
            K::Truncated,
            9,
        ),
    ] {
        assert!(
            mqtt_wire::decode(bytes, Version::V3_1_1).is_ok(),
            "{bytes:02X?}"
        );
        let e = mqtt_wire::decode(bytes, Version::V5).unwrap_err();
        assert_eq!((e.kind(), e.offset()), (kind, at), "{bytes:02X?}");
        assert_eq!(e.reason_code(), ReasonCode::MalformedPacket);
    }
}

/// MQTT-1.5.5-1: the Property Length, a Variable Byte Integer, must be minimal.
#[test]
fn mqtt_1_5_5_1_property_length_minimal() {
    let nm = K::NonMinimalVarInt;
    for (bytes, kind, at) in [
        (&[0x20, 0x04, 0x00, 0x00, 0x80, 0x00][..], nm, 5),
        (&[0x20, 0x05, 0x00, 0x00, 0x80, 0x80, 0x00], nm, 6),
        (&[0x20, 0x06, 0x00, 0x00, 0x81, 0x00, 0x25, 0x01], nm, 5),
        (&[0xE0, 0x03, 0x00, 0x80, 0x00], nm, 4),
        (&[0x40, 0x05, 0x00, 0x01, 0x00, 0x80, 0x00], nm, 6),
        (
            &[
                0x82, 0x09, 0x00, 0x01, 0x80, 0x00, 0x00, 0x01, b'a', 0x00, 0x00,
            ],
            nm,
            5,
        ),
        // As 3.1.1 this is a PUBLISH with payload `80 00 78`, which proves nothing about the
        // version (a 3.1.1 reading of any 5.0 PUBLISH succeeds): the rule stays.
        (&[0x30, 0x06, 0x00, 0x01, b't', 0x80, 0x00, b'x'], nm, 6),
    ] {
        let e = decode_err(bytes);
        assert_eq!((e.kind(), e.offset()), (kind, at), "{bytes:02X?}");
        assert_eq!(e.reason_code(), ReasonCode::MalformedPacket);
    }
    // Two-byte Property Length for a 128-byte block is minimal and fine.
    let mut raw = vec![0x1F, 0x00, 125];
    raw.extend(std::iter::repeat_n(b'r', 125));
    let (bytes, at) = packet_in(C::ConnAck, &raw);
    assert_eq!(&bytes[at - 2..at], &[0x80, 0x01]);
    let p = check_valid(&bytes);
    assert_eq!(
        props_of(&p, C::ConnAck).reason_string().map(str::len),
        Some(125)
    );
}

/// A decoded property list forwards as its wire bytes, and a forwarded copy equals the
/// decoded one (encoding takes either form, §2.2.2).
#[test]
fn decoded_properties_forward_unchanged() {
    let raw = cat(&[
        sample(P::ResponseTopic).bytes,
        sample(P::CorrelationData).bytes,
        sample(P::UserProperty).bytes,
    ]);
    let (bytes, at) = packet_in(C::Publish, &raw);
    let p = check_valid(&bytes);
    let Packet::Publish(publish) = p else {
        panic!("{p:?}")
    };
    assert_eq!(
        publish.properties.wire_bytes(),
        Some(&bytes[at..at + raw.len()])
    );
    let items: Vec<Property<'_>> = publish.properties.iter().collect();
    let rebuilt = Packet::Publish(mqtt_wire::Publish {
        properties: Properties::new(&items),
        ..publish
    });
    assert_eq!(rebuilt, p);
    assert_eq!(encode_vec(&rebuilt).unwrap(), bytes);
}
