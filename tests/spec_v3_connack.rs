//! CONNACK under MQTT 3.1.1 (§3.2) and MQTT 3.1, written byte by byte from the specifications.
//!
//! Layout: 0 type (0x20), 1 Remaining Length (always 2), 2 acknowledge flags, 3 return code.

#[macro_use]
mod spec_v3_common;

use mqtt_wire::{
    ConnAck, DecodeErrorKind, EncodeError, Packet, Properties, Property, ReasonCode, Version,
};
use spec_v3_common::{encode_fails, hex, valid};

/// §3.2.2.3 Table 3.1: return codes 0..=5 and the 5.0 codes they are paired with.
const RETURN_CODES: [(u8, ReasonCode); 6] = [
    (0x00, ReasonCode::Success),                    // Connection Accepted
    (0x01, ReasonCode::UnsupportedProtocolVersion), // unacceptable protocol version
    (0x02, ReasonCode::ClientIdentifierNotValid),   // identifier rejected
    (0x03, ReasonCode::ServerUnavailable),          // server unavailable
    (0x04, ReasonCode::BadUserNameOrPassword),      // bad user name or password
    (0x05, ReasonCode::NotAuthorized),              // not authorized
];

#[test]
fn every_return_code_both_versions() {
    for v in [Version::V3_1, Version::V3_1_1] {
        for (code, reason) in RETURN_CODES {
            let bytes = [
                0x20, // CONNACK, flags 0000
                0x02, // Remaining Length 2
                0x00, // acknowledge flags: session present 0
                code, // return code
            ];
            valid(v, &bytes, &Packet::ConnAck(ConnAck::new(reason)));
        }
    }
}

/// 3.1.1 §3.2.2.2: Session Present (bit 0) with return code 0.
#[test]
fn v3_1_1_session_present() {
    let bytes = hex(concat!(
        "20 02", // CONNACK, Remaining Length 2
        "01",    // session present 1
        "00",    // accepted
    ));
    let expected = Packet::ConnAck(ConnAck {
        session_present: true,
        ..ConnAck::new(ReasonCode::Success)
    });
    valid(Version::V3_1_1, &bytes, &expected);
}

// ---- invalid ---------------------------------------------------------------------------------

invalid!(
    /// 3.1.1 §3.2.2.1: acknowledge flags bits 7-1 are reserved (bit 1 set).
    v3_1_1_reserved_bit_1, V3_1_1, "20 02 02 00" => ConnAckReservedFlags @ 2);
invalid!(
    /// 3.1.1 §3.2.2.1: bit 7 set.
    v3_1_1_reserved_bit_7, V3_1_1, "20 02 80 00" => ConnAckReservedFlags @ 2);
invalid!(
    /// 3.1.1 §3.2.2.1: all flag bits set.
    v3_1_1_reserved_all_bits, V3_1_1, "20 02 FF 00" => ConnAckReservedFlags @ 2);
invalid!(
    /// 3.1: the whole first byte is reserved; there is no Session Present.
    v3_1_session_present_bit_is_reserved, V3_1, "20 02 01 00" => ConnAckReservedFlags @ 2);
invalid!(
    /// 3.1: reserved byte with a high bit set.
    v3_1_reserved_bit_7, V3_1, "20 02 80 00" => ConnAckReservedFlags @ 2);
invalid!(
    /// 3.1.1 §3.2.2.3: return codes 6-255 are reserved.
    v3_1_1_return_code_6, V3_1_1, "20 02 00 06" => InvalidConnectReturnCode @ 3);
invalid!(
    /// A 5.0 reason code (0x80) is not a 3.1.1 return code.
    v3_1_1_return_code_0x80, V3_1_1, "20 02 00 80" => InvalidConnectReturnCode @ 3);
invalid!(
    /// Return code 0xFF.
    v3_1_1_return_code_ff, V3_1_1, "20 02 00 FF" => InvalidConnectReturnCode @ 3);
invalid!(
    /// 3.1 return codes stop at 5 too.
    v3_1_return_code_6, V3_1, "20 02 00 06" => InvalidConnectReturnCode @ 3);
invalid!(
    /// MQTT-3.2.2-4: Session Present must be 0 with a non-zero return code.
    mqtt_3_2_2_4_session_present_with_refusal, V3_1_1, "20 02 01 01" => SessionPresentWithRefusal @ 2);
invalid!(
    /// MQTT-3.2.2-4 with return code 5.
    mqtt_3_2_2_4_session_present_with_not_authorized, V3_1_1, "20 02 01 05" => SessionPresentWithRefusal @ 2);
invalid!(
    /// §3.2.1: Remaining Length is 2; here 0.
    remaining_length_0, V3_1_1, "20 00" => InvalidRemainingLength @ 1);
invalid!(
    /// §3.2.1: Remaining Length 1.
    remaining_length_1, V3_1_1, "20 01 00" => InvalidRemainingLength @ 1);
invalid!(
    /// §3.2.1: Remaining Length 3, refused at the header; 5.0 CONNACKs have 3 or more, so
    /// the header names the likely version mix-up (whatever the body: these bytes are no
    /// valid 5.0 CONNACK either).
    remaining_length_3, V3_1_1, "20 03 00 00 FF" => WrongProtocolVersion(V5) @ 1);
invalid!(
    /// 3.1: Remaining Length 3.
    v3_1_remaining_length_3, V3_1, "20 03 00 00 FF" => WrongProtocolVersion(V5) @ 1);
invalid!(
    /// MQTT-2.2.2-1: CONNACK flags must be 0000.
    mqtt_2_2_2_1_flags, V3_1_1, "21 02 00 00" => ReservedFlags @ 0);

// ---- encoding ----------------------------------------------------------------------------------

/// A 5.0 reason code with no 3.x return code cannot be sent to a 3.x client.
#[test]
fn encode_reason_code_without_v3_return_code() {
    for v in [Version::V3_1, Version::V3_1_1] {
        for rc in [
            ReasonCode::ServerBusy,
            ReasonCode::Banned,
            ReasonCode::UnspecifiedError,
            ReasonCode::MalformedPacket,
        ] {
            encode_fails(
                v,
                &Packet::ConnAck(ConnAck::new(rc)),
                EncodeError::NotInVersion(mqtt_wire::Field::ReasonCode),
            );
        }
    }
}

#[test]
fn encode_properties_not_in_3x() {
    let props = [Property::ReceiveMaximum(10)];
    for v in [Version::V3_1, Version::V3_1_1] {
        let p = Packet::ConnAck(ConnAck {
            properties: Properties::new(&props),
            ..ConnAck::new(ReasonCode::Success)
        });
        encode_fails(
            v,
            &p,
            EncodeError::NotInVersion(mqtt_wire::Field::Properties),
        );
    }
}

/// 3.1 has no Session Present flag.
#[test]
fn encode_session_present_not_in_3_1() {
    let p = Packet::ConnAck(ConnAck {
        session_present: true,
        ..ConnAck::new(ReasonCode::Success)
    });
    encode_fails(
        Version::V3_1,
        &p,
        EncodeError::NotInVersion(mqtt_wire::Field::SessionPresent),
    );
}

/// MQTT-3.2.2-4 on the encoding side.
#[test]
fn encode_mqtt_3_2_2_4_session_present_with_refusal() {
    let p = Packet::ConnAck(ConnAck {
        session_present: true,
        ..ConnAck::new(ReasonCode::NotAuthorized)
    });
    encode_fails(
        Version::V3_1_1,
        &p,
        EncodeError::Invalid(DecodeErrorKind::SessionPresentWithRefusal),
    );
}
