//! PUBACK (§3.4), PUBREC (§3.5), PUBREL (§3.6), PUBCOMP (§3.7) and UNSUBACK (§3.11) under
//! MQTT 3.1.1 and 3.1: a fixed header with Remaining Length 2 and a packet identifier.

#[macro_use]
mod spec_v3_common;

use mqtt_wire::{
    Ack, EncodeError, Packet, PacketId, Properties, Property, ReasonCode, ReasonCodes, TailForm,
    UnsubAck, Version,
};
use spec_v3_common::{encode_fails, valid};

const V3: [Version; 2] = [Version::V3_1, Version::V3_1_1];

fn pid(id: u16) -> PacketId {
    PacketId::new(id).unwrap()
}

/// The four acknowledgements that carry an [`Ack`], with their first byte.
fn ack_packets(ack: Ack<'_>) -> [(u8, Packet<'_>); 4] {
    [
        (0x40, Packet::PubAck(ack)),  // PUBACK, flags 0000
        (0x50, Packet::PubRec(ack)),  // PUBREC, flags 0000
        (0x62, Packet::PubRel(ack)),  // PUBREL, flags 0010 (MQTT-3.6.1-1)
        (0x70, Packet::PubComp(ack)), // PUBCOMP, flags 0000
    ]
}

// ---- valid packets -----------------------------------------------------------------------

#[test]
fn acks_both_versions() {
    for v in V3 {
        for id in [1u16, 10, 0x1234, 0xFFFF] {
            let [hi, lo] = id.to_be_bytes();
            for (first, packet) in ack_packets(Ack::new(pid(id))) {
                let bytes = [
                    first, // type and flags
                    0x02,  // Remaining Length 2
                    hi, lo, // packet identifier
                ];
                valid(v, &bytes, &packet);
            }
            let unsuback = [
                0xB0, // UNSUBACK, flags 0000
                0x02, // Remaining Length 2
                hi, lo, // packet identifier
            ];
            valid(
                v,
                &unsuback,
                &Packet::UnsubAck(UnsubAck::new(pid(id), ReasonCodes::EMPTY)),
            );
        }
    }
}

// ---- invalid -----------------------------------------------------------------------------

invalid!(
    /// MQTT-2.3.1-1: PUBACK for packet identifier 0.
    mqtt_2_3_1_1_puback_zero_id, V3_1_1, "40 02 00 00" => ZeroPacketId @ 2);
invalid!(
    /// MQTT-2.3.1-1: PUBREC for packet identifier 0.
    mqtt_2_3_1_1_pubrec_zero_id, V3_1_1, "50 02 00 00" => ZeroPacketId @ 2);
invalid!(
    /// MQTT-2.3.1-1: PUBREL for packet identifier 0.
    mqtt_2_3_1_1_pubrel_zero_id, V3_1_1, "62 02 00 00" => ZeroPacketId @ 2);
invalid!(
    /// MQTT-2.3.1-1: PUBCOMP for packet identifier 0.
    mqtt_2_3_1_1_pubcomp_zero_id, V3_1_1, "70 02 00 00" => ZeroPacketId @ 2);
invalid!(
    /// MQTT-2.3.1-1: UNSUBACK for packet identifier 0.
    mqtt_2_3_1_1_unsuback_zero_id, V3_1_1, "B0 02 00 00" => ZeroPacketId @ 2);
invalid!(
    /// MQTT-2.3.1-1 under 3.1.
    v3_1_puback_zero_id, V3_1, "40 02 00 00" => ZeroPacketId @ 2);

invalid!(
    /// MQTT-3.6.1-1: PUBREL flags must be 0010, not 0000.
    mqtt_3_6_1_1_pubrel_flags_0000, V3_1_1, "60 02 00 01" => ReservedFlags @ 0);
invalid!(
    /// MQTT-3.6.1-1: PUBREL flags 0011.
    mqtt_3_6_1_1_pubrel_flags_0011, V3_1_1, "63 02 00 01" => ReservedFlags @ 0);
invalid!(
    /// MQTT-3.6.1-1 under 3.1.
    v3_1_pubrel_flags_0000, V3_1, "60 02 00 01" => ReservedFlags @ 0);
invalid!(
    /// MQTT-2.2.2-1: PUBACK flags must be 0000 (0010 as in PUBREL).
    mqtt_2_2_2_1_puback_flags, V3_1_1, "42 02 00 01" => ReservedFlags @ 0);
invalid!(
    /// MQTT-2.2.2-1: PUBREC flags 0001.
    mqtt_2_2_2_1_pubrec_flags, V3_1_1, "51 02 00 01" => ReservedFlags @ 0);
invalid!(
    /// MQTT-2.2.2-1: PUBCOMP flags 1000.
    mqtt_2_2_2_1_pubcomp_flags, V3_1_1, "78 02 00 01" => ReservedFlags @ 0);
invalid!(
    /// MQTT-2.2.2-1: UNSUBACK flags 0010.
    mqtt_2_2_2_1_unsuback_flags, V3_1_1, "B2 02 00 01" => ReservedFlags @ 0);

// §3.4.1, §3.5.1, §3.6.1, §3.7.1, §3.11.1: the Remaining Length is 2, refused otherwise at
// the header, before the body. Below 2 no version has such a packet: InvalidRemainingLength.
// A longer PUBACK, PUBREC, PUBREL or PUBCOMP is possible in 5.0 (reason code, properties), so
// the header alone names the likely version mix-up (WrongProtocolVersion(V5), offset 1),
// whatever the body holds (here 0xFF, no 5.0 reason code), so that the answer does not
// depend on how much of the body has arrived. UNSUBACK 3 is no 5.0 UNSUBACK (at least 4).
invalid!(
    /// §3.4.1: PUBACK with Remaining Length 0.
    puback_remaining_length_0, V3_1_1, "40 00" => InvalidRemainingLength @ 1);
invalid!(
    /// §3.4.1: PUBACK with Remaining Length 1.
    puback_remaining_length_1, V3_1_1, "40 01 00" => InvalidRemainingLength @ 1);
invalid!(
    /// §3.4.1: PUBACK with Remaining Length 3.
    puback_remaining_length_3, V3_1_1, "40 03 00 01 FF" => WrongProtocolVersion(V5) @ 1);
invalid!(
    /// §3.4.1: PUBACK with Remaining Length 4.
    puback_remaining_length_4, V3_1_1, "40 04 00 01 00 FF" => WrongProtocolVersion(V5) @ 1);
invalid!(
    /// §3.5.1: PUBREC with Remaining Length 3.
    pubrec_remaining_length_3, V3_1_1, "50 03 00 01 FF" => WrongProtocolVersion(V5) @ 1);
invalid!(
    /// §3.6.1: PUBREL with Remaining Length 1.
    pubrel_remaining_length_1, V3_1_1, "62 01 00" => InvalidRemainingLength @ 1);
invalid!(
    /// §3.7.1: PUBCOMP with Remaining Length 3.
    pubcomp_remaining_length_3, V3_1_1, "70 03 00 01 FF" => WrongProtocolVersion(V5) @ 1);
invalid!(
    /// §3.11.1: UNSUBACK with Remaining Length 0.
    unsuback_remaining_length_0, V3_1_1, "B0 00" => InvalidRemainingLength @ 1);
invalid!(
    /// §3.11.1: UNSUBACK with Remaining Length 3 (3.1.1 UNSUBACK has no payload).
    unsuback_remaining_length_3, V3_1_1, "B0 03 00 01 FF" => InvalidRemainingLength @ 1);
invalid!(
    /// 3.1: PUBACK with Remaining Length 3.
    v3_1_puback_remaining_length_3, V3_1, "40 03 00 01 FF" => WrongProtocolVersion(V5) @ 1);
invalid!(
    /// 3.1: UNSUBACK with Remaining Length 1.
    v3_1_unsuback_remaining_length_1, V3_1, "B0 01 00" => InvalidRemainingLength @ 1);

// ---- encoding ----------------------------------------------------------------------------------

/// 3.x acknowledgements carry no reason code: anything but Success is 5.0-only.
#[test]
fn encode_reason_code_not_in_3x() {
    for v in V3 {
        for rc in [
            ReasonCode::NoMatchingSubscribers,
            ReasonCode::UnspecifiedError,
            ReasonCode::PacketIdentifierNotFound,
        ] {
            let ack = Ack {
                reason_code: rc,
                ..Ack::new(pid(1))
            };
            for (_, packet) in ack_packets(ack) {
                encode_fails(
                    v,
                    &packet,
                    EncodeError::NotInVersion(mqtt_wire::Field::ReasonCode),
                );
            }
        }
    }
}

#[test]
fn encode_properties_not_in_3x() {
    let props = [Property::ReasonString("why")];
    let ack = Ack {
        properties: Properties::new(&props),
        ..Ack::new(pid(1))
    };
    let unsuback = UnsubAck {
        properties: Properties::new(&props),
        ..UnsubAck::new(pid(1), ReasonCodes::EMPTY)
    };
    for v in V3 {
        for (_, packet) in ack_packets(ack) {
            encode_fails(
                v,
                &packet,
                EncodeError::NotInVersion(mqtt_wire::Field::Properties),
            );
        }
        encode_fails(
            v,
            &Packet::UnsubAck(unsuback),
            EncodeError::NotInVersion(mqtt_wire::Field::Properties),
        );
    }
}

/// A longer 5.0 form (reason code, or reason code and property length) has no 3.x encoding.
#[test]
fn encode_long_tail_form_not_in_3x() {
    for v in V3 {
        for form in [TailForm::ReasonCode, TailForm::Full] {
            let ack = Ack {
                form,
                ..Ack::new(pid(1))
            };
            for (_, packet) in ack_packets(ack) {
                encode_fails(
                    v,
                    &packet,
                    EncodeError::NotInVersion(mqtt_wire::Field::TailForm),
                );
            }
        }
    }
}

/// A 3.x UNSUBACK has no payload: reason codes are 5.0-only (even Success).
#[test]
fn encode_unsuback_reason_codes_not_in_3x() {
    let codes = [ReasonCode::Success];
    let p = Packet::UnsubAck(UnsubAck::new(pid(1), ReasonCodes::new(&codes)));
    for v in V3 {
        encode_fails(
            v,
            &p,
            EncodeError::NotInVersion(mqtt_wire::Field::ReasonCode),
        );
    }
}
