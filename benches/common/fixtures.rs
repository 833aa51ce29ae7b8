//! The byte fixtures every performance measurement uses: the instruction-count guard
//! (`benches/icount.rs`), the criterion benches and the peer comparison (`benches/peers`,
//! which includes this file by path). Hand-built here, byte by byte, independently of the
//! crate's encoder, so that every codec is measured on the very same bytes.
//!
//! Each fixture is one packet, except [`stream_311`], a ~1 MiB run of packets.

#![allow(dead_code)]

/// MQTT protocol version of a fixture.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum FixtureVersion {
    /// 3.1.1 (level 4).
    V311,
    /// 5.0 (level 5).
    V5,
}

/// One measured input.
#[derive(Clone, Debug)]
pub struct Fixture {
    /// Short id, used in tables and as the operation name.
    pub id: &'static str,
    /// What the bytes are.
    pub title: &'static str,
    /// Protocol version.
    pub version: FixtureVersion,
    /// The bytes.
    pub bytes: Vec<u8>,
    /// A stream of several packets (decoded one after another; not encoded as a whole).
    pub stream: bool,
}

/// Appends a two-byte length and the bytes.
fn prefixed(out: &mut Vec<u8>, bytes: &[u8]) {
    out.extend_from_slice(&u16::try_from(bytes.len()).unwrap().to_be_bytes());
    out.extend_from_slice(bytes);
}

/// Appends a Variable Byte Integer.
fn varint(out: &mut Vec<u8>, mut v: usize) {
    loop {
        let low = (v % 128) as u8;
        v /= 128;
        if v == 0 {
            out.push(low);
            return;
        }
        out.push(low | 0x80);
    }
}

/// A packet: first byte, Remaining Length, body.
fn packet(first: u8, body: &[u8]) -> Vec<u8> {
    let mut out = vec![first];
    varint(&mut out, body.len());
    out.extend_from_slice(body);
    out
}

/// 31-byte topic of the small PUBLISH.
pub const SMALL_TOPIC: &str = "sensors/building-7/floor-3/temp";
/// 16-byte payload of the small PUBLISH.
pub const SMALL_PAYLOAD: &[u8] = b"temp=21.5;hum=40";

/// 3.1.1 PUBLISH QoS 0, 31-byte topic, 16-byte payload.
pub fn publish_qos0_311() -> Vec<u8> {
    let mut body = Vec::new();
    prefixed(&mut body, SMALL_TOPIC.as_bytes());
    body.extend_from_slice(SMALL_PAYLOAD);
    packet(0x30, &body)
}

/// Topic of the 1 KiB PUBLISH.
pub const KIB_TOPIC: &str = "video/frames/cam1";

/// The 1 KiB payload.
pub fn kib_payload() -> Vec<u8> {
    (0..1024u32).map(|i| (i * 7 % 251) as u8).collect()
}

/// 3.1.1 PUBLISH QoS 1, packet id 42, 1024-byte payload.
pub fn publish_qos1_1k_311() -> Vec<u8> {
    let mut body = Vec::new();
    prefixed(&mut body, KIB_TOPIC.as_bytes());
    body.extend_from_slice(&42u16.to_be_bytes());
    body.extend_from_slice(&kib_payload());
    packet(0x32, &body)
}

/// Client id, will and credentials of the CONNECT fixtures.
pub const CLIENT_ID: &str = "client-42";
/// Will topic.
pub const WILL_TOPIC: &str = "clients/client-42/status";
/// Will payload.
pub const WILL_PAYLOAD: &[u8] = b"offline";
/// User name.
pub const USERNAME: &str = "alice";
/// Password.
pub const PASSWORD: &[u8] = b"correct horse battery staple";

/// 3.1.1 CONNECT: clean session, keep alive 60, will (QoS 1, not retained), user name and
/// password.
pub fn connect_311() -> Vec<u8> {
    let mut body = Vec::new();
    prefixed(&mut body, b"MQTT");
    body.push(4);
    // user name, password, will QoS 1, will, clean session.
    body.push(0b1100_1110);
    body.extend_from_slice(&60u16.to_be_bytes());
    prefixed(&mut body, CLIENT_ID.as_bytes());
    prefixed(&mut body, WILL_TOPIC.as_bytes());
    prefixed(&mut body, WILL_PAYLOAD);
    prefixed(&mut body, USERNAME.as_bytes());
    prefixed(&mut body, PASSWORD);
    packet(0x10, &body)
}

/// The three filters of the SUBSCRIBE fixtures, with their (3.1.1) requested QoS.
pub const FILTERS: [(&str, u8); 3] = [
    ("home/+/temperature", 1),
    ("home/+/humidity", 0),
    ("alerts/#", 2),
];

/// 3.1.1 SUBSCRIBE, packet id 7, three filters.
pub fn subscribe_311() -> Vec<u8> {
    let mut body = 7u16.to_be_bytes().to_vec();
    for (filter, qos) in FILTERS {
        prefixed(&mut body, filter.as_bytes());
        body.push(qos);
    }
    packet(0x82, &body)
}

/// 3.1.1 PUBACK, packet id 42.
pub fn puback_311() -> Vec<u8> {
    packet(0x40, &42u16.to_be_bytes())
}

/// Topic of the 5.0 PUBLISH with properties.
pub const PROPS_TOPIC: &str = "orders/eu/created";
/// Its payload.
pub const PROPS_PAYLOAD: &[u8] = br#"{"id":123,"total":42.5}"#;
/// Its Content Type.
pub const CONTENT_TYPE: &str = "application/json";
/// Its Response Topic.
pub const RESPONSE_TOPIC: &str = "replies/client-42";
/// Its Correlation Data.
pub const CORRELATION: &[u8] = b"req-000123";
/// Its two User Properties.
pub const USER_PROPS: [(&str, &str); 2] = [
    ("trace-id", "4bf92f3577b34da6a3ce929d0e0e4736"),
    ("tenant", "acme"),
];

/// 5.0 PUBLISH QoS 1, packet id 42, 7 properties: Payload Format Indicator 1, Message Expiry
/// Interval 3600, Content Type, Response Topic, Correlation Data, two User Properties.
pub fn publish_props_5() -> Vec<u8> {
    let mut props = vec![0x01, 0x01, 0x02];
    props.extend_from_slice(&3600u32.to_be_bytes());
    props.push(0x03);
    prefixed(&mut props, CONTENT_TYPE.as_bytes());
    props.push(0x08);
    prefixed(&mut props, RESPONSE_TOPIC.as_bytes());
    props.push(0x09);
    prefixed(&mut props, CORRELATION);
    for (k, v) in USER_PROPS {
        props.push(0x26);
        prefixed(&mut props, k.as_bytes());
        prefixed(&mut props, v.as_bytes());
    }
    let mut body = Vec::new();
    prefixed(&mut body, PROPS_TOPIC.as_bytes());
    body.extend_from_slice(&42u16.to_be_bytes());
    varint(&mut body, props.len());
    body.extend_from_slice(&props);
    body.extend_from_slice(PROPS_PAYLOAD);
    packet(0x32, &body)
}

/// 5.0 CONNECT: clean start, keep alive 60; properties Session Expiry Interval 3600, Receive
/// Maximum 20, Maximum Packet Size 65536, Topic Alias Maximum 10, User Property
/// ("client", "demo"); will (QoS 1) with Will Delay Interval 5 and Payload Format Indicator 1;
/// user name and password.
pub fn connect_props_5() -> Vec<u8> {
    let mut props = vec![0x11];
    props.extend_from_slice(&3600u32.to_be_bytes());
    props.extend_from_slice(&[0x21, 0x00, 20]);
    props.push(0x27);
    props.extend_from_slice(&65536u32.to_be_bytes());
    props.extend_from_slice(&[0x22, 0x00, 10]);
    props.push(0x26);
    prefixed(&mut props, b"client");
    prefixed(&mut props, b"demo");
    let mut will_props = vec![0x18];
    will_props.extend_from_slice(&5u32.to_be_bytes());
    will_props.extend_from_slice(&[0x01, 0x01]);
    let mut body = Vec::new();
    prefixed(&mut body, b"MQTT");
    body.push(5);
    body.push(0b1100_1110);
    body.extend_from_slice(&60u16.to_be_bytes());
    varint(&mut body, props.len());
    body.extend_from_slice(&props);
    prefixed(&mut body, CLIENT_ID.as_bytes());
    varint(&mut body, will_props.len());
    body.extend_from_slice(&will_props);
    prefixed(&mut body, WILL_TOPIC.as_bytes());
    prefixed(&mut body, WILL_PAYLOAD);
    prefixed(&mut body, USERNAME.as_bytes());
    prefixed(&mut body, PASSWORD);
    packet(0x10, &body)
}

/// Options bytes of the 5.0 SUBSCRIBE: QoS 1 + No Local; QoS 0 + Retain As Published;
/// QoS 2 + Retain Handling 2.
pub const OPTIONS_5: [u8; 3] = [0b0000_0101, 0b0000_1000, 0b0010_0010];

/// 5.0 SUBSCRIBE, packet id 7, Subscription Identifier 12, the three filters with
/// [`OPTIONS_5`].
pub fn subscribe_opts_5() -> Vec<u8> {
    let mut body = 7u16.to_be_bytes().to_vec();
    body.extend_from_slice(&[0x02, 0x0B, 12]);
    for ((filter, _), options) in FILTERS.iter().zip(OPTIONS_5) {
        prefixed(&mut body, filter.as_bytes());
        body.push(options);
    }
    packet(0x82, &body)
}

/// 5.0 PUBACK, packet id 42, reason code 0x10 (No matching subscribers), no properties.
pub fn puback_5() -> Vec<u8> {
    packet(0x40, &[0x00, 42, 0x10])
}

/// Topic of the stream's PUBLISH packets.
pub const STREAM_TOPIC: &str = "sensors/kitchen/temp";

/// About 1 MiB of 3.1.1 packets back to back, in runs of ten: seven PUBLISH QoS 0 with a
/// 16-byte payload, one PUBLISH QoS 1 with a 64-byte payload, one PUBACK, one PINGREQ.
/// Returns the bytes and the number of packets.
pub fn stream_311() -> (Vec<u8>, usize) {
    let mut qos0 = Vec::new();
    prefixed(&mut qos0, STREAM_TOPIC.as_bytes());
    qos0.extend_from_slice(SMALL_PAYLOAD);
    let qos0 = packet(0x30, &qos0);
    let mut qos1 = Vec::new();
    prefixed(&mut qos1, STREAM_TOPIC.as_bytes());
    let mut out = Vec::new();
    let mut count = 0;
    let mut id: u16 = 1;
    while out.len() < (1 << 20) {
        for _ in 0..7 {
            out.extend_from_slice(&qos0);
        }
        let mut body = qos1.clone();
        body.extend_from_slice(&id.to_be_bytes());
        body.extend(std::iter::repeat_n(b'x', 64));
        out.extend_from_slice(&packet(0x32, &body));
        out.extend_from_slice(&packet(0x40, &id.to_be_bytes()));
        out.extend_from_slice(&[0xC0, 0x00]);
        id = id % 65_535 + 1;
        count += 10;
    }
    (out, count)
}

/// Every single-packet fixture and the stream, in report order.
pub fn all() -> Vec<Fixture> {
    use FixtureVersion::{V5, V311};
    let one = |id, title, version, bytes| Fixture {
        id,
        title,
        version,
        bytes,
        stream: false,
    };
    vec![
        one(
            "publish_qos0_311",
            "3.1.1 PUBLISH QoS 0, 31-byte topic, 16 B payload",
            V311,
            publish_qos0_311(),
        ),
        one(
            "publish_qos1_1k_311",
            "3.1.1 PUBLISH QoS 1, 1 KiB payload",
            V311,
            publish_qos1_1k_311(),
        ),
        one(
            "connect_311",
            "3.1.1 CONNECT, will + user name + password",
            V311,
            connect_311(),
        ),
        one(
            "subscribe_311",
            "3.1.1 SUBSCRIBE, 3 filters",
            V311,
            subscribe_311(),
        ),
        one("puback_311", "3.1.1 PUBACK", V311, puback_311()),
        one(
            "publish_props_5",
            "5.0 PUBLISH QoS 1, 7 properties",
            V5,
            publish_props_5(),
        ),
        one(
            "connect_props_5",
            "5.0 CONNECT with properties, will properties, user name + password",
            V5,
            connect_props_5(),
        ),
        one(
            "subscribe_opts_5",
            "5.0 SUBSCRIBE, 3 filters with options, Subscription Identifier",
            V5,
            subscribe_opts_5(),
        ),
        one("puback_5", "5.0 PUBACK with reason code", V5, puback_5()),
        Fixture {
            id: "stream_311",
            title: "~1 MiB stream of 3.1.1 packets (70% PUBLISH QoS 0, 10% QoS 1, 10% PUBACK, 10% PINGREQ)",
            version: V311,
            bytes: stream_311().0,
            stream: true,
        },
    ]
}
