//! Helpers shared by the `spec_v5_*` tests: hand-built MQTT 5.0 packets, one sample of every
//! property (bytes written from §2.2.2.2 / §1.5, not from the encoder), the spec's "allowed
//! in" table, and the invariant checks every valid packet must pass.
#![allow(dead_code)]

use mqtt_wire::{
    Ack, Auth, ConnAck, Connect, DecodeError, Disconnect, EncodeError, Packet, PacketId,
    Properties, Property, PropertyContext, PropertyId, Publish, QoS, ReasonCode, ReasonCodes,
    Status, SubAck, Subscribe, Subscription, Subscriptions, TopicFilters, UnsubAck, Unsubscribe,
    Version, Will, decode,
};

pub const V5: Version = Version::V5;

/// A Variable Byte Integer written by hand (§1.5.5): 7 bits per byte, low group first.
pub fn vbi(mut n: usize) -> Vec<u8> {
    let mut out = Vec::new();
    loop {
        let low = (n % 128) as u8;
        n /= 128;
        if n == 0 {
            out.push(low);
            return out;
        }
        out.push(low | 0x80);
    }
}

/// A whole packet: first byte, Remaining Length, body.
pub fn packet(first: u8, body: &[u8]) -> Vec<u8> {
    let mut out = vec![first];
    out.extend(vbi(body.len()));
    out.extend_from_slice(body);
    out
}

/// A property block: Property Length, then the properties.
pub fn block(props: &[u8]) -> Vec<u8> {
    let mut out = vbi(props.len());
    out.extend_from_slice(props);
    out
}

pub fn cat(parts: &[&[u8]]) -> Vec<u8> {
    parts.concat()
}

pub fn pid(n: u16) -> PacketId {
    PacketId::new(n).unwrap()
}

/// Decodes `bytes` as 5.0 and expects an error.
pub fn decode_err(bytes: &[u8]) -> DecodeError {
    match decode(bytes, V5) {
        Err(e) => e,
        Ok(other) => panic!("{bytes:02X?} should not decode: {other:?}"),
    }
}

/// Encodes `p` as 5.0 into a fresh vector.
pub fn encode_vec(p: &Packet<'_>) -> Result<Vec<u8>, EncodeError> {
    encode_as(p, V5)
}

pub fn encode_as(p: &Packet<'_>, v: Version) -> Result<Vec<u8>, EncodeError> {
    let mut buf = vec![0u8; 1024];
    let n = p.encode(v, &mut buf)?;
    buf.truncate(n);
    Ok(buf)
}

/// Length of the fixed header (type byte plus Remaining Length) of a complete packet.
fn header_len(bytes: &[u8]) -> usize {
    1 + bytes[1..].iter().position(|b| b & 0x80 == 0).unwrap() + 1
}

/// Checks every invariant for a valid 5.0 packet and returns the decoded value:
/// it decodes completely, using exactly its bytes (also with more bytes after it);
/// it re-encodes byte for byte; `encoded_len` is exact; a buffer one byte (or all bytes)
/// short is `BufferTooSmall` with the full size; every strict prefix is `Partial` with a
/// count that never over-promises and is exact once the fixed header is complete.
pub fn check_valid(bytes: &[u8]) -> Packet<'_> {
    let (p, used) = match decode(bytes, V5) {
        Ok(Status::Complete(done)) => done,
        other => panic!("{bytes:02X?} should decode: {other:?}"),
    };
    assert_eq!(used, bytes.len(), "{bytes:02X?}");
    let mut longer = bytes.to_vec();
    longer.extend_from_slice(&[0xC0, 0x00]);
    match decode(&longer, V5) {
        Ok(Status::Complete((q, n))) => assert_eq!((q, n), (p, bytes.len()), "{bytes:02X?}"),
        other => panic!("{bytes:02X?} with a second packet after it: {other:?}"),
    }
    let len = bytes.len();
    assert_eq!(p.encoded_len(V5), Ok(len), "{bytes:02X?}");
    let mut out = vec![0u8; len];
    assert_eq!(p.encode(V5, &mut out), Ok(len), "{bytes:02X?}");
    assert_eq!(out, bytes, "re-encoding differs");
    let mut short = vec![0u8; len - 1];
    assert_eq!(
        p.encode(V5, &mut short),
        Err(EncodeError::BufferTooSmall { needed: len }),
        "{bytes:02X?}"
    );
    assert_eq!(
        p.encode(V5, &mut []),
        Err(EncodeError::BufferTooSmall { needed: len })
    );
    let hl = header_len(bytes);
    for k in 0..len {
        match decode(&bytes[..k], V5) {
            Ok(Status::Partial(n)) => {
                assert!(n >= 1, "{bytes:02X?} prefix {k}: Partial(0)");
                assert!(k + n <= len, "{bytes:02X?} prefix {k}: over-promises {n}");
                if k >= hl {
                    assert_eq!(n, len - k, "{bytes:02X?} prefix {k}: not exact");
                }
            }
            other => panic!("{bytes:02X?} prefix {k}: {other:?}"),
        }
    }
    p
}

/// A packet built from values encodes to exactly `expected`, and `expected` decodes back to
/// the same value (and passes [`check_valid`]).
pub fn check_built(p: &Packet<'_>, expected: &[u8]) {
    assert_eq!(encode_vec(p).as_deref(), Ok(expected), "{p:?}");
    assert_eq!(check_valid(expected), *p);
}

/// One sample of each of the 27 properties: wire bytes (identifier first) and the value.
pub struct Sample {
    pub id: PropertyId,
    pub bytes: &'static [u8],
    pub prop: Property<'static>,
}

macro_rules! samples {
    ($($id:ident: [$($b:expr),*] => $prop:expr;)*) => {
        pub const SAMPLES: &[Sample] = &[$(Sample {
            id: PropertyId::$id,
            bytes: &[$($b),*],
            prop: $prop,
        }),*];
    };
}

samples! {
    PayloadFormatIndicator: [0x01, 0x01] => Property::PayloadFormatIndicator(true);
    MessageExpiryInterval: [0x02, 0x00, 0x00, 0x0E, 0x10] => Property::MessageExpiryInterval(3600);
    ContentType: [0x03, 0x00, 0x04, b'j', b's', b'o', b'n'] => Property::ContentType("json");
    ResponseTopic: [0x08, 0x00, 0x03, b'r', b'/', b'1'] => Property::ResponseTopic("r/1");
    CorrelationData: [0x09, 0x00, 0x02, 0xBE, 0xEF] => Property::CorrelationData(&[0xBE, 0xEF]);
    SubscriptionIdentifier: [0x0B, 0x80, 0x01] => Property::SubscriptionIdentifier(128);
    SessionExpiryInterval: [0x11, 0xFF, 0xFF, 0xFF, 0xFF] => Property::SessionExpiryInterval(u32::MAX);
    AssignedClientIdentifier: [0x12, 0x00, 0x02, b'i', b'd'] => Property::AssignedClientIdentifier("id");
    ServerKeepAlive: [0x13, 0x00, 0x1E] => Property::ServerKeepAlive(30);
    AuthenticationMethod: [0x15, 0x00, 0x05, b'S', b'C', b'R', b'A', b'M'] => Property::AuthenticationMethod("SCRAM");
    AuthenticationData: [0x16, 0x00, 0x01, 0x2A] => Property::AuthenticationData(&[0x2A]);
    RequestProblemInformation: [0x17, 0x00] => Property::RequestProblemInformation(false);
    WillDelayInterval: [0x18, 0x00, 0x00, 0x01, 0x00] => Property::WillDelayInterval(256);
    RequestResponseInformation: [0x19, 0x01] => Property::RequestResponseInformation(true);
    ResponseInformation: [0x1A, 0x00, 0x01, b'x'] => Property::ResponseInformation("x");
    ServerReference: [0x1C, 0x00, 0x03, b'h', b':', b'1'] => Property::ServerReference("h:1");
    ReasonString: [0x1F, 0x00, 0x02, b'o', b'k'] => Property::ReasonString("ok");
    ReceiveMaximum: [0x21, 0x00, 0x0A] => Property::ReceiveMaximum(10);
    TopicAliasMaximum: [0x22, 0x00, 0x00] => Property::TopicAliasMaximum(0);
    TopicAlias: [0x23, 0x00, 0x07] => Property::TopicAlias(7);
    MaximumQoS: [0x24, 0x01] => Property::MaximumQoS(QoS::AtLeastOnce);
    RetainAvailable: [0x25, 0x00] => Property::RetainAvailable(false);
    UserProperty: [0x26, 0x00, 0x01, b'k', 0x00, 0x01, b'v'] => Property::UserProperty("k", "v");
    MaximumPacketSize: [0x27, 0x00, 0x00, 0x04, 0x00] => Property::MaximumPacketSize(1024);
    WildcardSubscriptionAvailable: [0x28, 0x01] => Property::WildcardSubscriptionAvailable(true);
    SubscriptionIdentifierAvailable: [0x29, 0x00] => Property::SubscriptionIdentifierAvailable(false);
    SharedSubscriptionAvailable: [0x2A, 0x01] => Property::SharedSubscriptionAvailable(true);
}

pub fn sample(id: PropertyId) -> &'static Sample {
    SAMPLES.iter().find(|s| s.id == id).unwrap()
}

/// Whether the typed getter for `p`'s property returns `p`'s value.
pub fn getter_returns(props: &Properties<'_>, p: &Property<'_>) -> bool {
    match *p {
        Property::PayloadFormatIndicator(v) => props.payload_format_indicator() == Some(v),
        Property::MessageExpiryInterval(v) => props.message_expiry_interval() == Some(v),
        Property::ContentType(v) => props.content_type() == Some(v),
        Property::ResponseTopic(v) => props.response_topic() == Some(v),
        Property::CorrelationData(v) => props.correlation_data() == Some(v),
        Property::SubscriptionIdentifier(v) => props.subscription_identifier() == Some(v),
        Property::SessionExpiryInterval(v) => props.session_expiry_interval() == Some(v),
        Property::AssignedClientIdentifier(v) => props.assigned_client_identifier() == Some(v),
        Property::ServerKeepAlive(v) => props.server_keep_alive() == Some(v),
        Property::AuthenticationMethod(v) => props.authentication_method() == Some(v),
        Property::AuthenticationData(v) => props.authentication_data() == Some(v),
        Property::RequestProblemInformation(v) => props.request_problem_information() == Some(v),
        Property::WillDelayInterval(v) => props.will_delay_interval() == Some(v),
        Property::RequestResponseInformation(v) => props.request_response_information() == Some(v),
        Property::ResponseInformation(v) => props.response_information() == Some(v),
        Property::ServerReference(v) => props.server_reference() == Some(v),
        Property::ReasonString(v) => props.reason_string() == Some(v),
        Property::ReceiveMaximum(v) => props.receive_maximum() == Some(v),
        Property::TopicAliasMaximum(v) => props.topic_alias_maximum() == Some(v),
        Property::TopicAlias(v) => props.topic_alias() == Some(v),
        Property::MaximumQoS(v) => props.maximum_qos() == Some(v),
        Property::RetainAvailable(v) => props.retain_available() == Some(v),
        Property::UserProperty(k, v) => props.user_properties().any(|kv| kv == (k, v)),
        Property::MaximumPacketSize(v) => props.maximum_packet_size() == Some(v),
        Property::WildcardSubscriptionAvailable(v) => {
            props.wildcard_subscription_available() == Some(v)
        }
        Property::SubscriptionIdentifierAvailable(v) => {
            props.subscription_identifier_available() == Some(v)
        }
        Property::SharedSubscriptionAvailable(v) => {
            props.shared_subscription_available() == Some(v)
        }
        _ => panic!("property added without a getter check: {p:?}"),
    }
}

use PropertyContext as C;

/// Every place a property block can be: 14 packets and the Will Properties.
pub const CONTEXTS: [PropertyContext; 14] = [
    C::Connect,
    C::Will,
    C::ConnAck,
    C::Publish,
    C::PubAck,
    C::PubRec,
    C::PubRel,
    C::PubComp,
    C::Subscribe,
    C::SubAck,
    C::Unsubscribe,
    C::UnsubAck,
    C::Disconnect,
    C::Auth,
];

const ALL_WITH_PROPS: &[PropertyContext] = &CONTEXTS;

/// MQTT 5.0 Table 2-4 (§2.2.2.2), typed in from the spec: identifier, allowed contexts.
/// Cross-checked against each packet's property subsection (§3.1.2.11, §3.1.3.2, §3.2.2.3,
/// §3.3.2.3, §3.4.2.2 .. §3.7.2.2, §3.8.2.1, §3.9.2.1, §3.10.2.1, §3.11.2.1, §3.14.2.2,
/// §3.15.2.2).
pub const SPEC_TABLE: [(u8, &[PropertyContext]); 27] = [
    (0x01, &[C::Publish, C::Will]),
    (0x02, &[C::Publish, C::Will]),
    (0x03, &[C::Publish, C::Will]),
    (0x08, &[C::Publish, C::Will]),
    (0x09, &[C::Publish, C::Will]),
    (0x0B, &[C::Publish, C::Subscribe]),
    (0x11, &[C::Connect, C::ConnAck, C::Disconnect]),
    (0x12, &[C::ConnAck]),
    (0x13, &[C::ConnAck]),
    (0x15, &[C::Connect, C::ConnAck, C::Auth]),
    (0x16, &[C::Connect, C::ConnAck, C::Auth]),
    (0x17, &[C::Connect]),
    (0x18, &[C::Will]),
    (0x19, &[C::Connect]),
    (0x1A, &[C::ConnAck]),
    (0x1C, &[C::ConnAck, C::Disconnect]),
    (
        0x1F,
        &[
            C::ConnAck,
            C::PubAck,
            C::PubRec,
            C::PubRel,
            C::PubComp,
            C::SubAck,
            C::UnsubAck,
            C::Disconnect,
            C::Auth,
        ],
    ),
    (0x21, &[C::Connect, C::ConnAck]),
    (0x22, &[C::Connect, C::ConnAck]),
    (0x23, &[C::Publish]),
    (0x24, &[C::ConnAck]),
    (0x25, &[C::ConnAck]),
    (0x26, ALL_WITH_PROPS),
    (0x27, &[C::Connect, C::ConnAck]),
    (0x28, &[C::ConnAck]),
    (0x29, &[C::ConnAck]),
    (0x2A, &[C::ConnAck]),
];

pub fn spec_allows(id: PropertyId, ctx: PropertyContext) -> bool {
    let (_, ctxs) = SPEC_TABLE.iter().find(|(b, _)| *b == id as u8).unwrap();
    ctxs.contains(&ctx)
}

/// Authentication Method `"m"`, the companion some contexts need.
pub const AUTH_METHOD: &[u8] = &[0x15, 0x00, 0x01, b'm'];

/// Properties that must accompany `id` in `ctx` for the packet to be valid otherwise:
/// AUTH needs an Authentication Method (§3.15.2.2.2), and CONNECT's Authentication Data
/// needs one too (§3.1.2.11.10).
pub fn companion(ctx: PropertyContext, id: PropertyId) -> &'static [u8] {
    match (ctx, id) {
        (C::Auth, PropertyId::AuthenticationMethod) => &[],
        (C::Auth, _) | (C::Connect, PropertyId::AuthenticationData) => AUTH_METHOD,
        _ => &[],
    }
}

pub fn companion_prop(ctx: PropertyContext, id: PropertyId) -> Option<Property<'static>> {
    (!companion(ctx, id).is_empty()).then_some(Property::AuthenticationMethod("m"))
}

/// A valid 5.0 packet whose property block for `ctx` holds `props` (raw property bytes),
/// and the offset of the first property byte in the packet.
pub fn packet_in(ctx: PropertyContext, props: &[u8]) -> (Vec<u8>, usize) {
    let blk = block(props);
    let len_of_len = blk.len() - props.len();
    let (first, before, after): (u8, &[u8], &[u8]) = match ctx {
        C::Connect => (
            0x10,
            &[0, 4, b'M', b'Q', b'T', b'T', 5, 0x02, 0x00, 0x3C],
            &[0x00, 0x01, b'c'],
        ),
        C::Will => (
            0x10,
            &[
                0, 4, b'M', b'Q', b'T', b'T', 5, 0x06, 0x00, 0x3C, 0x00, 0x00, 0x01, b'c',
            ],
            &[0x00, 0x01, b't', 0x00, 0x01, b'p'],
        ),
        C::ConnAck => (0x20, &[0x00, 0x00], &[]),
        C::Publish => (0x30, &[0x00, 0x01, b't'], b"x"),
        C::PubAck => (0x40, &[0x00, 0x01, 0x00], &[]),
        C::PubRec => (0x50, &[0x00, 0x01, 0x00], &[]),
        C::PubRel => (0x62, &[0x00, 0x01, 0x00], &[]),
        C::PubComp => (0x70, &[0x00, 0x01, 0x00], &[]),
        C::Subscribe => (0x82, &[0x00, 0x01], &[0x00, 0x01, b'a', 0x00]),
        C::SubAck => (0x90, &[0x00, 0x01], &[0x00]),
        C::Unsubscribe => (0xA2, &[0x00, 0x01], &[0x00, 0x01, b'a']),
        C::UnsubAck => (0xB0, &[0x00, 0x01], &[0x00]),
        C::Disconnect => (0xE0, &[0x00], &[]),
        C::Auth => (0xF0, &[0x00], &[]),
    };
    let body = cat(&[before, &blk, after]);
    let bytes = packet(first, &body);
    let at = 1 + vbi(body.len()).len() + before.len() + len_of_len;
    (bytes, at)
}

const SUBS: &[Subscription<'static>] = &[Subscription::new("a", QoS::AtMostOnce)];
const CODES: &[ReasonCode] = &[ReasonCode::Success];

/// The packet [`packet_in`] writes, built from values.
pub fn build<'a>(ctx: PropertyContext, properties: Properties<'a>) -> Packet<'a> {
    match ctx {
        C::Connect => Packet::Connect(Connect {
            properties,
            ..Connect::new(V5, "c")
        }),
        C::Will => Packet::Connect(Connect {
            will: Some(Will {
                properties,
                ..Will::new("t", b"p")
            }),
            ..Connect::new(V5, "c")
        }),
        C::ConnAck => Packet::ConnAck(ConnAck {
            properties,
            ..ConnAck::new(ReasonCode::Success)
        }),
        C::Publish => Packet::Publish(Publish {
            properties,
            ..Publish::new("t", b"x")
        }),
        C::PubAck | C::PubRec | C::PubRel | C::PubComp => {
            let ack = Ack {
                properties,
                ..Ack::new(pid(1))
            };
            match ctx {
                C::PubAck => Packet::PubAck(ack),
                C::PubRec => Packet::PubRec(ack),
                C::PubRel => Packet::PubRel(ack),
                _ => Packet::PubComp(ack),
            }
        }
        C::Subscribe => Packet::Subscribe(Subscribe {
            properties,
            ..Subscribe::new(pid(1), Subscriptions::new(SUBS))
        }),
        C::SubAck => Packet::SubAck(SubAck {
            properties,
            ..SubAck::new(pid(1), ReasonCodes::new(CODES))
        }),
        C::Unsubscribe => Packet::Unsubscribe(Unsubscribe {
            properties,
            ..Unsubscribe::new(pid(1), TopicFilters::new(&["a"]))
        }),
        C::UnsubAck => Packet::UnsubAck(UnsubAck {
            properties,
            ..UnsubAck::new(pid(1), ReasonCodes::new(CODES))
        }),
        C::Disconnect => Packet::Disconnect(Disconnect {
            properties,
            ..Disconnect::new()
        }),
        C::Auth => Packet::Auth(Auth {
            properties,
            ..Auth::new()
        }),
    }
}

/// The property block of `ctx` inside a decoded packet.
pub fn props_of<'a>(p: &Packet<'a>, ctx: PropertyContext) -> Properties<'a> {
    match (p, ctx) {
        (Packet::Connect(c), C::Will) => c.will.unwrap().properties,
        (Packet::Connect(c), _) => c.properties,
        (Packet::ConnAck(c), _) => c.properties,
        (Packet::Publish(c), _) => c.properties,
        (Packet::PubAck(c) | Packet::PubRec(c) | Packet::PubRel(c) | Packet::PubComp(c), _) => {
            c.properties
        }
        (Packet::Subscribe(c), _) => c.properties,
        (Packet::SubAck(c), _) => c.properties,
        (Packet::Unsubscribe(c), _) => c.properties,
        (Packet::UnsubAck(c), _) => c.properties,
        (Packet::Disconnect(c), _) => c.properties,
        (Packet::Auth(c), _) => c.properties,
        _ => panic!("no properties in {p:?}"),
    }
}
