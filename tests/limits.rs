//! Limits a broker depends on, with hostile sizes: thousands of properties in one packet,
//! the longest string (65,535 bytes, MQTT-1.5.4-1 / §1.5.3) in every string and binary
//! field, and every truncation point of a large MQTT 5.0 CONNECT. The bytes are built here
//! field by field from the packet layouts (MQTT 3.1.1 §3, MQTT 5.0 §3), not by the encoder.
//! (The header-level limits are in `remaining_length.rs`, topic matching depth in
//! `topic.rs`.)

#[macro_use]
mod spec_v3_common;

use mqtt_wire::{
    Ack, Auth, ConnAck, Connect, Disconnect, EncodeError, Packet, PacketId, Properties, Property,
    Publish, QoS, ReasonCode, Status, Subscribe, Subscription, Subscriptions, TopicFilters,
    Unsubscribe, Version, Will, decode,
};
use spec_v3_common::{encode_fails, valid};

const MAX: usize = 65_535;

fn pid(id: u16) -> PacketId {
    PacketId::new(id).unwrap()
}

/// Bytes of a packet body, field by field.
#[derive(Default)]
struct Body(Vec<u8>);

impl Body {
    fn u8(mut self, b: u8) -> Self {
        self.0.push(b);
        self
    }
    fn u16(mut self, n: u16) -> Self {
        self.0.extend_from_slice(&n.to_be_bytes());
        self
    }
    /// A UTF-8 string or binary field: two-byte length, then the bytes (§1.5.4, §1.5.6).
    fn bytes(mut self, b: &[u8]) -> Self {
        self = self.u16(u16::try_from(b.len()).unwrap());
        self.0.extend_from_slice(b);
        self
    }
    fn raw(mut self, b: &[u8]) -> Self {
        self.0.extend_from_slice(b);
        self
    }
    /// A property block: Property Length (variable byte integer), then the properties.
    fn props(self, props: &[u8]) -> Self {
        self.raw(&varint(props.len())).raw(props)
    }
    /// The whole packet: first byte, Remaining Length, body.
    fn packet(self, first: u8) -> Vec<u8> {
        let mut p = vec![first];
        p.extend(varint(self.0.len()));
        p.extend(self.0);
        p
    }
}

fn varint(mut n: usize) -> Vec<u8> {
    let mut out = Vec::new();
    loop {
        let mut b = (n % 128) as u8;
        n /= 128;
        if n > 0 {
            b |= 0x80;
        }
        out.push(b);
        if n == 0 {
            return out;
        }
    }
}

/// One property (identifiers below 0x80 take one byte) with a string or binary value.
fn prop(id: u8, value: &[u8]) -> Vec<u8> {
    Body::default().u8(id).bytes(value).0
}

/// A User Property (0x26): name, then value.
fn user_prop(name: &[u8], value: &[u8]) -> Vec<u8> {
    Body::default().u8(0x26).bytes(name).bytes(value).0
}

/// ~20,000 user properties in one 5.0 PUBLISH decode, in linear time: repeats are checked
/// with one bit per property identifier (no list of what was seen), and User Property may
/// repeat, with the same name too, in wire order (MQTT-3.3.2-17, MQTT-3.3.2-18).
///
/// Under Miri 200 properties: the same decoding and re-encoding, checked for undefined
/// behaviour.
#[test]
fn mqtt_3_3_2_18_twenty_thousand_user_properties_decode() {
    let n = if cfg!(miri) { 200 } else { 20_000 };
    let values: Vec<String> = (0..n).map(|i| (i % 1000).to_string()).collect();
    let mut block = Vec::new();
    for v in &values {
        block.extend(user_prop(b"k", v.as_bytes()));
    }
    // Empty names and values are strings too.
    for _ in 0..n / 4 {
        block.extend(user_prop(b"", b""));
    }
    let bytes = Body::default()
        .bytes(b"t")
        .props(&block)
        .raw(b"x")
        .packet(0x30);
    assert!(bytes.len() > n * 7);

    let Ok(Status::Complete((Packet::Publish(p), used))) = decode(&bytes, Version::V5) else {
        panic!("the PUBLISH must decode");
    };
    assert_eq!(used, bytes.len());
    let decoded: Vec<Property<'_>> = p.properties.iter().collect();
    assert_eq!(decoded.len(), n + n / 4);
    for (i, v) in values.iter().enumerate() {
        assert_eq!(decoded[i], Property::UserProperty("k", v), "property {i}");
    }
    assert_eq!(decoded[n], Property::UserProperty("", ""));
    assert_eq!(p.payload, b"x");
    // Built from scratch, the same list encodes to the same bytes (wire order kept).
    let built = Packet::Publish(Publish {
        properties: Properties::new(&decoded),
        ..Publish::new("t", b"x")
    });
    let mut buf = vec![0; bytes.len()];
    assert_eq!(built.encode(Version::V5, &mut buf), Ok(bytes.len()));
    assert_eq!(buf, bytes);
    // A quadratic duplicate check would take on the order of 10^8 comparisons per packet
    // here (minutes over the four packets, which CI's time limit would not allow); linear
    // decoding of 150 KB takes milliseconds. No clock: timed tests fail on a loaded machine.

    // The same in the other packets that allow User Property: CONNACK, DISCONNECT, PUBACK.
    let connack = Body::default().u8(0).u8(0).props(&block).packet(0x20);
    let disconnect = Body::default().u8(0).props(&block).packet(0xE0);
    let puback = Body::default().u16(1).u8(0).props(&block).packet(0x40);
    for bytes in [connack, disconnect, puback] {
        let Ok(Status::Complete((packet, used))) = decode(&bytes, Version::V5) else {
            panic!("{:02X}", bytes[0]);
        };
        assert_eq!(used, bytes.len());
        let mut buf = vec![0; used];
        assert_eq!(packet.encode(Version::V5, &mut buf), Ok(used));
        assert_eq!(buf, bytes);
    }
    // A repeat of a property that may appear once is still refused, however far apart.
    let mut twice = user_prop(b"k", b"v");
    twice.extend(prop(0x03, b"a")); // Content Type
    twice.extend(block.iter().copied().take(7 * 1000));
    twice.extend(prop(0x03, b"b"));
    let bytes = Body::default().bytes(b"t").props(&twice).packet(0x30);
    let e = decode(&bytes, Version::V5).unwrap_err();
    assert_eq!(
        e.kind(),
        mqtt_wire::DecodeErrorKind::DuplicateProperty(mqtt_wire::PropertyId::ContentType)
    );
}

/// MQTT-1.5.4-1 / §1.5.3, §1.5.6, MQTT-4.7.3-3: a UTF-8 string or binary field holds at
/// most 65,535 bytes. Every string and binary field of every packet decodes and encodes at
/// that size; one byte more cannot be encoded (`FieldTooLong`).
#[test]
fn mqtt_1_5_4_1_longest_string_in_every_field() {
    let s = "s".repeat(MAX);
    let b = vec![0xB5; MAX];
    let (s, b) = (s.as_str(), b.as_slice());

    // CONNECT 3.1.1: Client Identifier, Will Topic, Will Payload, User Name, Password.
    let flags = 0x80 | 0x40 | 0x04 | 0x02; // user name, password, will, clean session
    let bytes = Body::default()
        .bytes(b"MQTT")
        .u8(4)
        .u8(flags)
        .u16(60)
        .bytes(s.as_bytes())
        .bytes(s.as_bytes())
        .bytes(b)
        .bytes(s.as_bytes())
        .bytes(b)
        .packet(0x10);
    let connect = |v, client_id, topic, payload, username, password| Connect {
        keep_alive: 60,
        will: Some(Will::new(topic, payload)),
        username: Some(username),
        password: Some(password),
        ..Connect::new(v, client_id)
    };
    let c = connect(Version::V3_1_1, s, s, b, s, b);
    valid(Version::V3_1_1, &bytes, &Packet::Connect(c));

    // CONNECT 5.0: the same fields, and every string property of CONNECT and of the Will.
    let connect_props = [
        Property::AuthenticationMethod(s),
        Property::AuthenticationData(b),
        Property::UserProperty(s, s),
    ];
    let will_props = [
        Property::ContentType(s),
        Property::ResponseTopic(s),
        Property::CorrelationData(b),
        Property::UserProperty(s, s),
    ];
    let connect_block = [
        prop(0x15, s.as_bytes()),
        prop(0x16, b),
        user_prop(s.as_bytes(), s.as_bytes()),
    ]
    .concat();
    let will_block = [
        prop(0x03, s.as_bytes()),
        prop(0x08, s.as_bytes()),
        prop(0x09, b),
        user_prop(s.as_bytes(), s.as_bytes()),
    ]
    .concat();
    let big_connect = Body::default()
        .bytes(b"MQTT")
        .u8(5)
        .u8(flags)
        .u16(60)
        .props(&connect_block)
        .bytes(s.as_bytes())
        .props(&will_block)
        .bytes(s.as_bytes())
        .bytes(b)
        .bytes(s.as_bytes())
        .bytes(b)
        .packet(0x10);
    let mut c5 = connect(Version::V5, s, s, b, s, b);
    c5.properties = Properties::new(&connect_props);
    c5.will.as_mut().unwrap().properties = Properties::new(&will_props);
    valid(Version::V5, &big_connect, &Packet::Connect(c5));

    // PUBLISH 5.0: Topic Name and the string properties of PUBLISH.
    let publish_props = [
        Property::ContentType(s),
        Property::ResponseTopic(s),
        Property::CorrelationData(b),
        Property::UserProperty(s, s),
    ];
    let bytes = Body::default()
        .bytes(s.as_bytes())
        .props(&will_block)
        .raw(b"payload")
        .packet(0x30);
    let p = Publish {
        properties: Properties::new(&publish_props),
        ..Publish::new(s, b"payload")
    };
    valid(Version::V5, &bytes, &Packet::Publish(p));
    // PUBLISH 3.1.1: the Topic Name.
    let bytes = Body::default().bytes(s.as_bytes()).packet(0x30);
    valid(
        Version::V3_1_1,
        &bytes,
        &Packet::Publish(Publish::new(s, b"")),
    );

    // CONNACK 5.0: every string and binary property it may carry.
    let connack_props = [
        Property::AssignedClientIdentifier(s),
        Property::AuthenticationMethod(s),
        Property::AuthenticationData(b),
        Property::ResponseInformation(s),
        Property::ServerReference(s),
        Property::ReasonString(s),
        Property::UserProperty(s, s),
    ];
    let block = [
        prop(0x12, s.as_bytes()),
        prop(0x15, s.as_bytes()),
        prop(0x16, b),
        prop(0x1A, s.as_bytes()),
        prop(0x1C, s.as_bytes()),
        prop(0x1F, s.as_bytes()),
        user_prop(s.as_bytes(), s.as_bytes()),
    ]
    .concat();
    let bytes = Body::default().u8(0).u8(0).props(&block).packet(0x20);
    let ack = ConnAck {
        properties: Properties::new(&connack_props),
        ..ConnAck::new(ReasonCode::Success)
    };
    valid(Version::V5, &bytes, &Packet::ConnAck(ack));

    // SUBSCRIBE and UNSUBSCRIBE: a Topic Filter, in both versions (plus 3.1).
    let subs = [Subscription::new(s, QoS::AtLeastOnce)];
    let filters = [s];
    for v in Version::ALL {
        let props = |body: Body| if v.is_v5() { body.props(&[]) } else { body };
        let bytes = props(Body::default().u16(1))
            .bytes(s.as_bytes())
            .u8(1)
            .packet(0x82);
        let sub = Subscribe::new(pid(1), Subscriptions::new(&subs));
        valid(v, &bytes, &Packet::Subscribe(sub));
        let bytes = props(Body::default().u16(1))
            .bytes(s.as_bytes())
            .packet(0xA2);
        let unsub = Unsubscribe::new(pid(1), TopicFilters::new(&filters));
        valid(v, &bytes, &Packet::Unsubscribe(unsub));
    }

    // Reason String in an acknowledgement, DISCONNECT (with Server Reference) and AUTH (with
    // Authentication Method and Data).
    let reason = [Property::ReasonString(s), Property::UserProperty(s, s)];
    let reason_block = [
        prop(0x1F, s.as_bytes()),
        user_prop(s.as_bytes(), s.as_bytes()),
    ]
    .concat();
    let bytes = Body::default()
        .u16(1)
        .u8(0)
        .props(&reason_block)
        .packet(0x40);
    let puback = Ack {
        properties: Properties::new(&reason),
        ..Ack::new(pid(1))
    };
    valid(Version::V5, &bytes, &Packet::PubAck(puback));
    let disconnect_props = [Property::ServerReference(s), Property::ReasonString(s)];
    let block = [prop(0x1C, s.as_bytes()), prop(0x1F, s.as_bytes())].concat();
    let bytes = Body::default().u8(0x9C).props(&block).packet(0xE0);
    let d = Disconnect {
        reason_code: ReasonCode::UseAnotherServer,
        properties: Properties::new(&disconnect_props),
        ..Disconnect::new()
    };
    valid(Version::V5, &bytes, &Packet::Disconnect(d));
    let auth_props = [
        Property::AuthenticationMethod(s),
        Property::AuthenticationData(b),
        Property::ReasonString(s),
    ];
    let block = [
        prop(0x15, s.as_bytes()),
        prop(0x16, b),
        prop(0x1F, s.as_bytes()),
    ]
    .concat();
    let bytes = Body::default().u8(0x18).props(&block).packet(0xF0);
    let a = Auth {
        reason_code: ReasonCode::ContinueAuthentication,
        properties: Properties::new(&auth_props),
        ..Auth::new()
    };
    valid(Version::V5, &bytes, &Packet::Auth(a));

    // One byte more, in any one field, cannot be encoded.
    let s1 = "s".repeat(MAX + 1);
    let b1 = vec![0xB5; MAX + 1];
    let (s1, b1) = (s1.as_str(), b1.as_slice());
    let too_long = EncodeError::FieldTooLong;
    for v in [Version::V3_1_1, Version::V5] {
        for c in [
            connect(v, s1, "t", b"", "u", b""),
            connect(v, "c", s1, b"", "u", b""),
            connect(v, "c", "t", b1, "u", b""),
            connect(v, "c", "t", b"", s1, b""),
            connect(v, "c", "t", b"", "u", b1),
        ] {
            encode_fails(v, &Packet::Connect(c), too_long);
        }
        encode_fails(v, &Packet::Publish(Publish::new(s1, b"")), too_long);
        let subs = [Subscription::new(s1, QoS::AtMostOnce)];
        let sub = Subscribe::new(pid(1), Subscriptions::new(&subs));
        encode_fails(v, &Packet::Subscribe(sub), too_long);
        let filters = [s1];
        let unsub = Unsubscribe::new(pid(1), TopicFilters::new(&filters));
        encode_fails(v, &Packet::Unsubscribe(unsub), too_long);
    }
    for p in [
        Property::ContentType(s1),
        Property::ResponseTopic(s1),
        Property::CorrelationData(b1),
        Property::UserProperty(s1, "v"),
        Property::UserProperty("k", s1),
    ] {
        let props = [p];
        let publish = Publish {
            properties: Properties::new(&props),
            ..Publish::new("t", b"")
        };
        encode_fails(Version::V5, &Packet::Publish(publish), too_long);
    }
    for p in [
        Property::AssignedClientIdentifier(s1),
        Property::AuthenticationMethod(s1),
        Property::AuthenticationData(b1),
        Property::ResponseInformation(s1),
        Property::ServerReference(s1),
        Property::ReasonString(s1),
    ] {
        let props = [p];
        let ack = ConnAck {
            properties: Properties::new(&props),
            ..ConnAck::new(ReasonCode::Success)
        };
        encode_fails(Version::V5, &Packet::ConnAck(ack), too_long);
    }
}

/// Every strict prefix of a large 5.0 CONNECT (about 200 KB, every optional part present)
/// is `Partial`: before the fixed header is complete a lower bound that never
/// over-promises, and from then on exactly the number of missing bytes; it never fails and
/// never completes early (§2.1.4: the Remaining Length gives the packet's size).
#[test]
fn every_truncation_of_a_large_v5_connect_is_partial_with_an_exact_count() {
    let s = "c".repeat(20_000);
    let b = vec![0x5A; 20_000];
    let (s, b) = (s.as_str(), b.as_slice());
    let mut block = [prop(0x15, s.as_bytes()), prop(0x16, b)].concat();
    block.extend(Body::default().u8(0x11).raw(&[0, 0, 0, 60]).0); // Session Expiry Interval
    block.extend(Body::default().u8(0x21).u16(10).0); // Receive Maximum
    for i in 0..200u32 {
        block.extend(user_prop(b"n", i.to_string().as_bytes()));
    }
    let will_block = [prop(0x03, s.as_bytes()), prop(0x09, b)].concat();
    let bytes = Body::default()
        .bytes(b"MQTT")
        .u8(5)
        .u8(0x80 | 0x40 | 0x20 | 0x10 | 0x04) // user name, password, will retain, QoS 2, will
        .u16(0)
        .props(&block)
        .bytes(s.as_bytes())
        .props(&will_block)
        .bytes(s.as_bytes())
        .bytes(b)
        .bytes(s.as_bytes())
        .bytes(b)
        .packet(0x10);
    let len = bytes.len();
    assert!(len > 150_000, "{len}");
    let header_len = 1 + varint(len - 4).len();
    assert_eq!(header_len, 4, "a 3-byte Remaining Length");
    let Ok(Status::Complete((Packet::Connect(c), used))) = decode(&bytes, Version::V3_1_1) else {
        panic!("the CONNECT must decode (its own level wins)");
    };
    assert_eq!((used, c.version, c.client_id), (len, Version::V5, s));
    // Under Miri the first and last 64 prefixes and every 997th in between.
    let stride = if cfg!(miri) { 997 } else { 1 };
    let prefixes = (0..64)
        .chain((64..len - 64).step_by(stride))
        .chain(len - 64..len);
    for k in prefixes {
        match decode(&bytes[..k], Version::V5) {
            Ok(Status::Partial(n)) if k >= header_len => {
                assert_eq!(k + n, len, "prefix {k}: Partial({n})");
            }
            Ok(Status::Partial(n)) => assert!(n >= 1 && k + n <= len, "prefix {k}: {n}"),
            other => panic!("prefix {k}: {other:?}"),
        }
    }
}
