//! The fixed header (MQTT 3.1.1 §2.2, MQTT 5.0 §2.1): packet type, flags and Remaining
//! Length, and [`frame`], which finds a packet's boundaries without decoding its body.

use core::fmt;

use crate::error::{DecodeError, DecodeErrorKind};
use crate::varint::{self, VarInt};
use crate::{DecodeOptions, Status, Version};

/// The 15 MQTT control packet types (type 15, AUTH, exists only in 5.0).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
#[cfg_attr(feature = "defmt", derive(defmt::Format))]
#[repr(u8)]
#[allow(missing_docs)] // the variant names are the spec's packet names
pub enum PacketType {
    Connect = 1,
    ConnAck = 2,
    Publish = 3,
    PubAck = 4,
    PubRec = 5,
    PubRel = 6,
    PubComp = 7,
    Subscribe = 8,
    SubAck = 9,
    Unsubscribe = 10,
    UnsubAck = 11,
    PingReq = 12,
    PingResp = 13,
    Disconnect = 14,
    Auth = 15,
}

impl PacketType {
    /// The packet type in the high nibble of `byte`, if it is defined in `version`.
    ///
    /// # Examples
    /// ```
    /// use mqtt_wire::{PacketType, Version};
    /// assert_eq!(PacketType::from_header_byte(0x30, Version::V5), Some(PacketType::Publish));
    /// assert_eq!(PacketType::from_header_byte(0xF0, Version::V5), Some(PacketType::Auth));
    /// assert_eq!(PacketType::from_header_byte(0xF0, Version::V3_1_1), None);
    /// assert_eq!(PacketType::from_header_byte(0x00, Version::V5), None);
    /// ```
    #[must_use]
    pub const fn from_header_byte(byte: u8, version: Version) -> Option<Self> {
        Some(match byte >> 4 {
            1 => Self::Connect,
            2 => Self::ConnAck,
            3 => Self::Publish,
            4 => Self::PubAck,
            5 => Self::PubRec,
            6 => Self::PubRel,
            7 => Self::PubComp,
            8 => Self::Subscribe,
            9 => Self::SubAck,
            10 => Self::Unsubscribe,
            11 => Self::UnsubAck,
            12 => Self::PingReq,
            13 => Self::PingResp,
            14 => Self::Disconnect,
            15 if version.is_v5() => Self::Auth,
            _ => return None,
        })
    }

    /// The fixed-header flags this type must carry, or `None` for PUBLISH, whose flags are
    /// DUP, QoS and RETAIN (MQTT-2.2.2-1, MQTT-2.1.3-1). MQTT 3.1 also lets a re-sent
    /// PUBREL, SUBSCRIBE or UNSUBSCRIBE set DUP (`1010`, see [`frame`](crate::frame)).
    #[must_use]
    pub const fn required_flags(self) -> Option<u8> {
        match self {
            Self::Publish => None,
            Self::PubRel | Self::Subscribe | Self::Unsubscribe => Some(0b0010),
            _ => Some(0),
        }
    }

    /// The name the specification uses, e.g. `"PUBACK"`.
    #[must_use]
    pub const fn name(self) -> &'static str {
        match self {
            Self::Connect => "CONNECT",
            Self::ConnAck => "CONNACK",
            Self::Publish => "PUBLISH",
            Self::PubAck => "PUBACK",
            Self::PubRec => "PUBREC",
            Self::PubRel => "PUBREL",
            Self::PubComp => "PUBCOMP",
            Self::Subscribe => "SUBSCRIBE",
            Self::SubAck => "SUBACK",
            Self::Unsubscribe => "UNSUBSCRIBE",
            Self::UnsubAck => "UNSUBACK",
            Self::PingReq => "PINGREQ",
            Self::PingResp => "PINGRESP",
            Self::Disconnect => "DISCONNECT",
            Self::Auth => "AUTH",
        }
    }
}

impl fmt::Display for PacketType {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.name())
    }
}

/// A complete fixed header: where one packet starts and ends in a buffer.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
#[cfg_attr(feature = "defmt", derive(defmt::Format))]
pub struct Frame {
    /// The packet type.
    pub packet_type: PacketType,
    /// The low nibble of the first byte (already checked against the type's rules).
    pub flags: u8,
    /// Bytes taken by the fixed header: 1 plus the Remaining Length's 1 to 4 bytes.
    pub header_len: usize,
    /// The Remaining Length: bytes of variable header plus payload.
    pub remaining_len: usize,
}

impl Frame {
    /// The whole packet's length in bytes (`header_len + remaining_len`).
    #[must_use]
    pub const fn len(&self) -> usize {
        // Both parts are bounded (5 and 268,435,455), so this cannot overflow even on
        // 32-bit targets; saturate anyway so no input can make it panic.
        self.header_len.saturating_add(self.remaining_len)
    }

    /// Never true: every packet has a fixed header. Present for API symmetry with `len`.
    #[must_use]
    pub const fn is_empty(&self) -> bool {
        false
    }
}

/// Every packet type (bit `n` for type number `n`): the `RECEIVES` of a decoder that knows
/// every packet.
pub(crate) const ALL_TYPES: u16 = 0xFFFE;

/// [`frame`](crate::frame) without the diagnoses.
#[inline(always)]
pub(crate) fn frame_raw(
    buf: &[u8],
    version: Version,
    opts: &DecodeOptions,
) -> Result<Status<Frame>, DecodeError> {
    frame_for::<ALL_TYPES>(buf, version, opts)
}

/// [`frame_raw`] for a receiver that can only ever receive the packet types in the mask
/// `RECEIVES` (bit `n` for type number `n`), a constant: the others are refused as
/// [`WrongDirection`](DecodeErrorKind::WrongDirection), as are those the role in `opts`
/// (if any) does not receive in `version`.
#[inline(always)]
pub(crate) fn frame_for<const RECEIVES: u16>(
    buf: &[u8],
    version: Version,
    opts: &DecodeOptions,
) -> Result<Status<Frame>, DecodeError> {
    let Some((&first, rest)) = buf.split_first() else {
        return Ok(Status::Partial(2));
    };
    let Some(packet_type) = PacketType::from_header_byte(first, version) else {
        return Err(DecodeError::new(DecodeErrorKind::InvalidPacketType, 0));
    };
    let bit = 1u16 << (packet_type as u8);
    if RECEIVES & bit == 0 {
        return Err(DecodeError::new(DecodeErrorKind::WrongDirection, 0));
    }
    if let Some(receiver) = opts.receiver {
        crate::direction::check_type(packet_type, version, receiver)?;
    }
    let flags = first & 0x0F;
    check_flags(packet_type, flags, version)?;
    // Most packets are shorter than 128 bytes: a one-byte Remaining Length.
    let (remaining, varint_len) = match rest.first() {
        Some(&len) if len < 0x80 => (u32::from(len), 1),
        _ => match varint::decode(rest) {
            VarInt::Complete(value, len) => (value, len),
            VarInt::Incomplete => return Ok(Status::Partial(1)),
            VarInt::Invalid(kind, at) => {
                return Err(DecodeError::new(kind, at.saturating_add(1)));
            }
        },
    };
    let remaining_len = usize::try_from(remaining)
        .map_err(|_| DecodeError::new(DecodeErrorKind::PacketTooLarge, 1))?;
    let f = Frame {
        packet_type,
        flags,
        header_len: varint_len.saturating_add(1),
        remaining_len,
    };
    check_remaining_len(packet_type, flags, remaining_len, version)?;
    let total = f.len();
    if u64::try_from(total).unwrap_or(u64::MAX) > u64::from(opts.max_packet_size) {
        return Err(DecodeError::new(DecodeErrorKind::PacketTooLarge, 1));
    }
    match total.checked_sub(buf.len()) {
        Some(missing) if missing > 0 => Ok(Status::Partial(missing)),
        _ => Ok(Status::Complete(f)),
    }
}

/// The Remaining Lengths one packet type can have in one protocol version: from `min` to
/// `max` (AUTH also has the empty short form below its `min`). `valid_min` is the smallest
/// valid body, where it is above `min` (see [`REMAINING_LENGTHS`]).
#[derive(Debug, Clone, Copy)]
struct Lengths {
    min: usize,
    valid_min: usize,
    max: usize,
    or_empty: bool,
}

const ANY: usize = crate::varint::VARINT_MAX as usize;

/// Any Remaining Length from `min` up to the largest a variable byte integer holds.
const fn at_least(min: usize) -> Option<Lengths> {
    Some(Lengths {
        min,
        valid_min: min,
        max: ANY,
        or_empty: false,
    })
}

/// From `min`, where bodies shorter than `valid_min` are judged by the body rules.
const fn judged_from(min: usize, valid_min: usize) -> Option<Lengths> {
    Some(Lengths {
        min,
        valid_min,
        max: ANY,
        or_empty: false,
    })
}

/// Exactly `len`: a body of fixed size.
const fn exactly(len: usize) -> Option<Lengths> {
    Some(Lengths {
        min: len,
        valid_min: len,
        max: len,
        or_empty: false,
    })
}

/// The Remaining Lengths each packet type can have, under MQTT 3.1 and 3.1.1 (one column:
/// their bodies have the same sizes) and under 5.0, worked out from the spec; `None`: no
/// such packet. Each minimum is the smallest valid body of the type in that version, with
/// one exception in 5.0: where a shorter body is complete and breaks only a rule the spec
/// classes as a Protocol Error (0x82), the minimum is that body, so that the body is read
/// and the error carries the spec's reason code rather than 0x81 Malformed Packet. Below
/// each minimum every packet of the type is malformed.
///
/// The 5.0 column gives the smallest valid body in brackets where it differs; only a
/// length a valid packet of the type could have in the other version gives the
/// `WrongProtocolVersion` hint (see [`check_remaining_len`]).
///
/// | type | 3.1, 3.1.1 | 5.0 | smallest body |
/// |---|---|---|---|
/// | CONNECT | ≥ 12 | ≥ 12 | CONNECT names its own version (its level wins over the connection's), so the smallest of any version: 3.1.1 protocol name `MQTT` (2+4), level, flags, Keep Alive (2), empty Client Identifier (2) = 12; 5.0 adds a Property Length (13), 3.1's `MQIsdp` and non-empty Client Identifier make 15 |
/// | CONNACK | = 2 | ≥ 3 | flags and return code (§3.2.1); 5.0 adds the Property Length, never omitted (§3.2.2.3.1) |
/// | PUBLISH | ≥ 3 (+2) | ≥ 3 (+2) [4 (+2)] | topic length (2) and a topic of at least 1 byte (MQTT-4.7.3-1); with QoS 1 or 2 (the header flags say) a Packet Identifier (+2). 5.0: topic length, empty topic, Property Length 0: complete, and only a Protocol Error (an empty topic needs a Topic Alias, §3.3.2.1; the smallest valid is 4: 1-byte topic, Property Length) |
/// | PUBACK, PUBREC, PUBREL, PUBCOMP | = 2 | ≥ 2 | Packet Identifier (§3.4.1); 5.0 short form without reason code and properties (§3.4.2.1) |
/// | SUBSCRIBE | ≥ 6 | ≥ 3 [7] | Packet Identifier, one filter of at least 1 byte (2+1, MQTT-4.7.3-1), its options byte (MQTT-3.8.3-3: at least one). 5.0: Packet Identifier and Property Length: complete, and "a SUBSCRIBE packet with no Payload is a Protocol Error" (MQTT-3.8.3-2; the smallest valid is 7) |
/// | SUBACK | ≥ 3 | ≥ 4 | Packet Identifier and one return code (MQTT-3.9.3-1); 5.0 + Property Length |
/// | UNSUBSCRIBE | ≥ 5 | ≥ 3 [6] | Packet Identifier and one filter of at least 1 byte (MQTT-3.10.3-2). 5.0: as SUBSCRIBE, no payload is a Protocol Error (MQTT-3.10.3-2; the smallest valid is 6) |
/// | UNSUBACK | = 2 | ≥ 4 | Packet Identifier (§3.11.1); 5.0 + Property Length and one reason code (MQTT-3.11.3-1) |
/// | PINGREQ, PINGRESP | = 0 | = 0 | no variable header or payload (§3.12.1, §3.13.1) |
/// | DISCONNECT | = 0 | ≥ 0 | 3.x: empty (§3.14.1); 5.0 short form 0 (§3.14.2.1) |
/// | AUTH | — | 0 or ≥ 2 | 5.0 only; Remaining Length 0 short form, else reason code and Property Length (no 1-byte form, §3.15.2.2.1) |
const REMAINING_LENGTHS: [(PacketType, Option<Lengths>, Option<Lengths>); 15] = [
    (PacketType::Connect, at_least(12), at_least(12)),
    (PacketType::ConnAck, exactly(2), at_least(3)),
    (PacketType::Publish, at_least(3), judged_from(3, 4)),
    (PacketType::PubAck, exactly(2), at_least(2)),
    (PacketType::PubRec, exactly(2), at_least(2)),
    (PacketType::PubRel, exactly(2), at_least(2)),
    (PacketType::PubComp, exactly(2), at_least(2)),
    (PacketType::Subscribe, at_least(6), judged_from(3, 7)),
    (PacketType::SubAck, at_least(3), at_least(4)),
    (PacketType::Unsubscribe, at_least(5), judged_from(3, 6)),
    (PacketType::UnsubAck, exactly(2), at_least(4)),
    (PacketType::PingReq, exactly(0), exactly(0)),
    (PacketType::PingResp, exactly(0), exactly(0)),
    (PacketType::Disconnect, exactly(0), at_least(0)),
    (
        PacketType::Auth,
        None,
        Some(Lengths {
            min: 2,
            valid_min: 2,
            max: ANY,
            or_empty: true,
        }),
    ),
];

/// Whether a packet of this type and fixed-header `flags` can have Remaining Length `len`
/// in `version` (see [`REMAINING_LENGTHS`]): whether the body is to be read (`valid`
/// false), or whether a valid packet can be that long (`valid` true).
#[inline(always)]
fn len_possible(
    packet_type: PacketType,
    flags: u8,
    len: usize,
    version: Version,
    valid: bool,
) -> bool {
    let table = if version.is_v5() {
        &BY_TYPE_V5
    } else {
        &BY_TYPE_V3
    };
    let Some(&Some(lengths)) = table.get(usize::from(packet_type as u8)) else {
        return false;
    };
    // QoS 1 and 2 PUBLISH carry a Packet Identifier (MQTT-2.3.1-5 / MQTT-2.2.1-2).
    let packet_id = if packet_type == PacketType::Publish && flags & 0b0110 != 0 {
        2
    } else {
        0
    };
    let min = if valid {
        lengths.valid_min
    } else {
        lengths.min
    };
    (len == 0 && lengths.or_empty) || (len >= min.saturating_add(packet_id) && len <= lengths.max)
}

/// Refuses, as soon as the fixed header is read, a Remaining Length that the packet type
/// cannot have in the connection's `version` (see [`REMAINING_LENGTHS`]), so that a receiver
/// never waits for a body that can only be malformed: `InvalidRemainingLength` at offset 1.
/// Where a valid packet of the type could have that length in the other protocol version (3.x ↔ 5.0,
/// e.g. a 3-byte PUBACK on a 3.1.1 connection, a 2-byte CONNACK on a 5.0 one), the peer
/// may speak that version: `WrongProtocolVersion` at offset 1, judged from the header
/// alone, so that the answer does not depend on how much of the body has arrived.
#[inline(always)]
fn check_remaining_len(
    packet_type: PacketType,
    flags: u8,
    len: usize,
    version: Version,
) -> Result<(), DecodeError> {
    if len_possible(packet_type, flags, len, version, false) {
        return Ok(());
    }
    Err(remaining_len_error(packet_type, flags, len, version))
}

/// [`REMAINING_LENGTHS`] for one version, indexed by packet type number (one load on the
/// hot path); `None` where the type does not exist. Evaluated only at compile time (for the
/// two constants below), where an out-of-range index would fail the build.
#[allow(clippy::indexing_slicing, clippy::arithmetic_side_effects)]
const fn by_type(v5: bool) -> [Option<Lengths>; 16] {
    let mut out = [None; 16];
    let mut i = 0;
    while i < REMAINING_LENGTHS.len() {
        let (ty, v3, v5_lengths) = REMAINING_LENGTHS[i];
        out[ty as usize] = if v5 { v5_lengths } else { v3 };
        i += 1;
    }
    out
}

const BY_TYPE_V3: [Option<Lengths>; 16] = by_type(false);
const BY_TYPE_V5: [Option<Lengths>; 16] = by_type(true);

/// The error for a Remaining Length [`check_remaining_len`] refused.
#[cold]
#[inline(never)]
fn remaining_len_error(
    packet_type: PacketType,
    flags: u8,
    len: usize,
    version: Version,
) -> DecodeError {
    let other = if version.is_v5() {
        Version::V3_1_1
    } else {
        Version::V5
    };
    let kind = if len_possible(packet_type, flags, len, other, true) {
        DecodeErrorKind::WrongProtocolVersion(other)
    } else {
        DecodeErrorKind::InvalidRemainingLength
    };
    DecodeError::new(kind, 1)
}

/// The fixed-header flag rules. MQTT 3.1 §2.1: DUP "is set when the client or server
/// attempts to re-deliver a PUBLISH, PUBREL, SUBSCRIBE or UNSUBSCRIBE message" with QoS
/// above 0, and PUBREL, SUBSCRIBE and UNSUBSCRIBE use QoS 1; the other types do not use
/// DUP, QoS or RETAIN, which are required to be 0 here (as 3.1.1 later states, MQTT-2.2.2-1).
/// 3.1.1 and 5.0 fix PUBREL, SUBSCRIBE and UNSUBSCRIBE at `0010` (MQTT-3.6.1-1,
/// MQTT-3.8.1-1, MQTT-3.10.1-1).
#[inline(always)]
fn check_flags(packet_type: PacketType, flags: u8, version: Version) -> Result<(), DecodeError> {
    match packet_type.required_flags() {
        Some(0b0010) if flags == 0b1010 && version == Version::V3_1 => Ok(()),
        Some(required) if flags != required => {
            Err(DecodeError::new(DecodeErrorKind::ReservedFlags, 0))
        }
        Some(_) => Ok(()),
        None => {
            let qos = (flags >> 1) & 0b11;
            if qos == 3 {
                Err(DecodeError::new(DecodeErrorKind::InvalidQoS, 0))
            } else if qos == 0 && flags & 0b1000 != 0 {
                Err(DecodeError::new(DecodeErrorKind::DupWithQoS0, 0))
            } else {
                Ok(())
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn remaining_length_rows_in_packet_type_order() {
        // The table by type number holds each row under its own type.
        for (ty, v3, v5) in REMAINING_LENGTHS {
            let at = ty as usize;
            assert_eq!(
                BY_TYPE_V3[at].map(|l| (l.min, l.max)),
                v3.map(|l| (l.min, l.max))
            );
            assert_eq!(
                BY_TYPE_V5[at].map(|l| (l.min, l.max)),
                v5.map(|l| (l.min, l.max))
            );
        }
        for (i, (ty, _, _)) in REMAINING_LENGTHS.iter().enumerate() {
            assert_eq!(*ty as usize, i + 1, "{ty}");
        }
    }
}
