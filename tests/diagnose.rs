//! Friendly diagnoses: bytes that are malformed MQTT because the peer made a common mistake
//! get an error kind naming the mistake instead of the rule they happen to break.

mod common;

use common::hex;
use mqtt_wire::{
    DecodeErrorKind as K, DecodeOptions, Framer, ReasonCode, Status, Version, decode, frame,
};

fn kind(buf: &[u8], version: Version) -> K {
    decode(buf, version).expect_err("must not decode").kind()
}

/// The first bytes of a real TLS 1.2/1.3 ClientHello (record header: handshake 0x16,
/// legacy version 03 01, length 0x00c8; handshake header: ClientHello 0x01, ...).
const CLIENT_HELLO: &str = "16 03 01 00 c8 01 00 00 c4 03 03 5b 6e 0a f1 22 33";

#[test]
fn tls_client_hello_on_plain_port() {
    let hello = hex(CLIENT_HELLO);
    for v in Version::ALL {
        let err = decode(&hello, v).unwrap_err();
        assert_eq!(err.kind(), K::TlsOnPlainPort, "{v}");
        assert_eq!(err.offset(), 0);
        assert_eq!(err.reason_code(), ReasonCode::MalformedPacket);
        assert!(err.to_string().contains("TLS"), "{err}");
        // frame() (what a forwarding broker uses) says the same.
        let f = frame(&hello, v, &DecodeOptions::new()).unwrap_err();
        assert_eq!(f.kind(), K::TlsOnPlainPort);
    }
    // Two bytes are enough; one is not (0x16 alone is just CONNECT with flags 0110,
    // MQTT-2.2.2-1), and 0x16 followed by something other than 0x03 is not TLS.
    assert_eq!(kind(&hello[..2], Version::V5), K::TlsOnPlainPort);
    assert_eq!(kind(&hello[..1], Version::V5), K::ReservedFlags);
    assert_eq!(kind(&[0x16, 0x00], Version::V5), K::ReservedFlags);
}

/// A plain MQTT client talking to a TLS port gets a TLS alert back (content type 0x15).
#[test]
fn tls_alert_received_by_plain_client() {
    let alert = hex("15 03 03 00 02 02 46");
    assert_eq!(kind(&alert, Version::V3_1_1), K::TlsOnPlainPort);
}

#[test]
fn websocket_upgrade_on_raw_mqtt_port() {
    let req = b"GET /mqtt HTTP/1.1\r\nHost: broker\r\nUpgrade: websocket\r\n\
                Connection: Upgrade\r\nSec-WebSocket-Protocol: mqtt\r\n\r\n";
    for v in Version::ALL {
        let err = decode(req, v).unwrap_err();
        assert_eq!((err.kind(), err.offset()), (K::HttpOnMqttPort, 0), "{v}");
        assert!(err.to_string().contains("HTTP"), "{err}");
    }
    // "GET " is needed in full; "GE" is only a PUBACK with flags 0111 (MQTT-2.2.2-1).
    assert_eq!(kind(b"GE", Version::V5), K::ReservedFlags);
    assert_eq!(kind(b"GET ", Version::V5), K::HttpOnMqttPort);
    for start in [
        &b"HEAD / HTTP/1.1\r\n"[..],
        b"DELETE /x HTTP/1.1\r\n",
        b"OPTIONS * HTTP/1.1\r\n",
        b"CONNECT broker:1883 HTTP/1.1\r\n",
        b"TRACE / HTTP/1.1\r\n",
        b"HTTP/1.1 400 Bad Request\r\n",
    ] {
        assert_eq!(kind(start, Version::V3_1_1), K::HttpOnMqttPort, "{start:?}");
    }
}

/// `POST`, `PUT`, `PATCH` and `PRI` start with 0x50, a valid PUBREC fixed header whose
/// Remaining Length is the second letter: they are diagnosed once that many bytes arrived
/// and the body fails to decode.
#[test]
fn http_methods_that_look_like_pubrec() {
    let mut post = b"POST /api HTTP/1.1\r\nHost: broker\r\nContent-Type: application/json\r\n\
                     Content-Length: 2\r\n\r\n{}"
        .to_vec();
    assert!(
        post.len() > 81,
        "'O' = 79 bytes of body after the fixed header"
    );
    for v in Version::ALL {
        assert_eq!(kind(&post, v), K::HttpOnMqttPort, "{v}");
    }
    // With only the request line, the PUBREC "needs" more bytes: no error yet.
    post.truncate(20);
    assert_eq!(decode(&post, Version::V5), Ok(Status::Partial(81 - 20)));
    let prior_knowledge = b"PRI * HTTP/2.0\r\n\r\nSM\r\n\r\n\0\0\x12\x04\0\0\0\0\0\0\x03\0\0\0\x64\
                            \0\x04\0\x01\0\0\0\x06\0\0\x40\0\0\x08\0\0\0\x01\0\0\0\0\0\0\0\0\0\0\
                            \0\0\0\0\0\0\0\0\0\0\0\0\0\0\0\0\0";
    assert!(prior_knowledge.len() >= 84, "'R' = 82 bytes of body");
    assert_eq!(kind(prior_knowledge, Version::V5), K::HttpOnMqttPort);
}

/// MQTT 5.0 packets on a 3.1.1 connection.
#[test]
fn v5_packets_on_a_v3_connection() {
    let v5 = K::WrongProtocolVersion(Version::V5);
    // PUBACK with reason code 0x10 No matching subscribers (5.0 §3.4.2.1); 3.1.1 requires
    // a Remaining Length of 2 (§3.4.1).
    let puback = hex("40 03 00 01 10");
    assert!(decode(&puback, Version::V5).is_ok());
    assert_eq!(kind(&puback, Version::V3_1_1), v5);
    assert_eq!(kind(&puback, Version::V3_1), v5);
    // DISCONNECT with reason code 0x04 Disconnect with Will Message.
    assert_eq!(kind(&hex("e0 01 04"), Version::V3_1_1), v5);
    // AUTH (type 15) exists only in 5.0; 3.1.1 §2.2.1 calls type 15 reserved.
    assert_eq!(kind(&hex("f0 00"), Version::V3_1_1), v5);
    assert_eq!(
        kind(&hex("f0 07 18 05 15 00 02 6f 6b"), Version::V3_1_1),
        v5,
        "AUTH continue authentication, method \"ok\""
    );
    // Only the header has arrived: it is a valid 5.0 AUTH header so far.
    assert_eq!(kind(&hex("f0"), Version::V3_1_1), v5);
    let e = decode(&puback, Version::V3_1_1).unwrap_err();
    assert_eq!(e.reason_code(), ReasonCode::MalformedPacket);
    assert!(e.to_string().contains("fits MQTT 5.0"), "{e}");
}

/// MQTT 3.1.1 packets on a 5.0 connection, e.g. a 3.1.1-only broker answering a 5.0 CONNECT.
#[test]
fn v3_packets_on_a_v5_connection() {
    let v3 = K::WrongProtocolVersion(Version::V3_1_1);
    // CONNACK return code 0x01 "unacceptable protocol version" (3.1.1 §3.2.2.3): under 5.0
    // 0x01 is no CONNACK reason code and the property length is missing.
    assert_eq!(kind(&hex("20 02 00 01"), Version::V5), v3);
    // A 3.1.1 PUBLISH "a/b" "hello": 5.0 reads 'h' (104) as the property length. A 3.1.1
    // reading of any broken 5.0 PUBLISH succeeds (the property block becomes payload), so
    // it is no evidence: the rule stays.
    assert_eq!(
        kind(&hex("30 0a 00 03 61 2f 62 68 65 6c 6c 6f"), Version::V5),
        K::Truncated
    );
    // A 3.1.1 SUBSCRIBE to "a" at QoS 0: 5.0 reads the filter length 0x0161.
    assert_eq!(kind(&hex("82 06 00 01 00 01 61 00"), Version::V5), v3);
}

/// Packets invalid in every version keep their rule-level error, except where the fixed
/// header alone names the mix-up: a Remaining Length the type cannot have in the
/// connection's version but can in the other is judged before the body arrives, so that
/// the answer does not depend on how the stream is chunked.
#[test]
fn no_wrong_version_when_invalid_everywhere() {
    // PUBACK with reason code 0x05, which 5.0 does not define for PUBACK (MQTT-3.4.2-1).
    // Under 3.1.1 the header alone refuses Remaining Length 3, a length 5.0 PUBACKs have.
    let e = decode(&hex("40 03 00 01 05"), Version::V3_1_1).unwrap_err();
    assert_eq!(
        (e.kind(), e.offset()),
        (K::WrongProtocolVersion(Version::V5), 1)
    );
    assert_eq!(e.reason_code(), ReasonCode::MalformedPacket);
    assert_eq!(
        decode(&hex("40 03"), Version::V3_1_1).unwrap_err(),
        e,
        "the same error with only the header"
    );
    // A length no version allows for the type stays the rule.
    assert_eq!(
        kind(&hex("40 01 00"), Version::V3_1_1),
        K::InvalidRemainingLength
    );
    assert_eq!(
        kind(&hex("40 03 00 01 05"), Version::V5),
        K::InvalidReasonCode(5)
    );
    // Under 3.1.1 an AUTH header byte (0xF0) is named as a 5.0 packet from that byte alone,
    // whatever follows, so that chunking cannot change the error (offset 0).
    assert_eq!(
        kind(&hex("f0 01 05"), Version::V3_1_1),
        K::WrongProtocolVersion(Version::V5)
    );
    assert_eq!(
        kind(&hex("f0"), Version::V3_1_1),
        K::WrongProtocolVersion(Version::V5)
    );
    // Type 15 with other flags is no AUTH header: just a reserved type.
    assert_eq!(kind(&hex("f1 00"), Version::V3_1_1), K::InvalidPacketType);
    // Packet type 0 is reserved in every version.
    assert_eq!(kind(&hex("00 00"), Version::V3_1_1), K::InvalidPacketType);
    // A PUBLISH with topic length past the end is Truncated in both.
    assert_eq!(kind(&hex("30 04 00 05 61 62"), Version::V5), K::Truncated);
    assert_eq!(
        kind(&hex("30 04 00 05 61 62"), Version::V3_1_1),
        K::Truncated
    );
    // Remaining Length 2 is too short for a PUBLISH in every version.
    assert_eq!(
        kind(&hex("30 02 00 05"), Version::V5),
        K::InvalidRemainingLength
    );
}

/// A CONNECT with protocol name `name`, level `level`, clean session, keep alive 60,
/// client id "client" (and an empty property block for level 5).
fn connect(name: &str, level: u8) -> Vec<u8> {
    let mut body = Vec::new();
    body.extend_from_slice(&u16::try_from(name.len()).unwrap().to_be_bytes());
    body.extend_from_slice(name.as_bytes());
    body.extend_from_slice(&[level, 0x02, 0x00, 0x3c]);
    if level == 5 {
        body.push(0);
    }
    // A client id long enough that even an empty name leaves the CONNECT above the smallest
    // valid one (12 bytes), so that the body, and its name, is looked at.
    body.extend_from_slice(&[0x00, 0x06]);
    body.extend_from_slice(b"client");
    let mut packet = vec![0x10, u8::try_from(body.len()).unwrap()];
    packet.extend(body);
    packet
}

/// MQTT-3.1.2-1: the protocol name is exactly "MQTT" (or "MQIsdp" for 3.1).
#[test]
fn mqtt_3_1_2_1_misspelled_protocol_name() {
    // The helper builds valid packets when the name is right.
    assert!(decode(&connect("MQTT", 4), Version::V5).is_ok());
    assert!(decode(&connect("MQTT", 5), Version::V5).is_ok());
    assert!(decode(&connect("MQIsdp", 3), Version::V5).is_ok());
    for (name, level, meant) in [
        ("MQTt", 4, Version::V3_1_1),
        ("mqtt", 5, Version::V5),
        ("MQTTT", 4, Version::V3_1_1),
        ("MQT", 4, Version::V3_1_1),
        ("MTQT", 4, Version::V3_1_1),
        ("MQIsdP", 3, Version::V3_1),
        ("MQISDP", 3, Version::V3_1),
        ("MQIsp", 3, Version::V3_1),
    ] {
        let err = decode(&connect(name, level), Version::V3_1_1).unwrap_err();
        assert_eq!(err.kind(), K::MisspelledProtocolName(meant), "{name}");
        assert_eq!(err.offset(), 2, "the protocol name's length field");
        assert_eq!(err.reason_code(), ReasonCode::UnsupportedProtocolVersion);
        let expected = format!("expected \"{}\"", meant.protocol_name());
        assert!(err.to_string().contains(&expected), "{err}");
    }
    for unrelated in ["AMQP", "HTTP", "MQ", "", "MQTTv5"] {
        assert_eq!(
            kind(&connect(unrelated, 4), Version::V3_1_1),
            K::InvalidProtocolName,
            "{unrelated}"
        );
    }
}

/// The framer reports the same diagnoses as decode, as soon as the header is read.
#[test]
fn framer_reports_diagnoses() {
    let hello = hex(CLIENT_HELLO);
    let mut framer = Framer::new(&hello, Version::V5);
    assert_eq!(
        framer.next().unwrap().unwrap_err().kind(),
        K::TlsOnPlainPort
    );
    assert!(framer.next().is_none());
    // A 3.1.1 connection that has seen one valid PINGREQ, then a 5.0 PUBACK.
    let stream = hex("c0 00 40 03 00 01 10");
    let mut packets = Framer::new(&stream, Version::V3_1_1).packets();
    assert!(packets.next().unwrap().is_ok());
    let err = packets.next().unwrap().unwrap_err();
    assert_eq!(err.kind(), K::WrongProtocolVersion(Version::V5));
    assert_eq!(packets.framer().consumed(), 2);
}
