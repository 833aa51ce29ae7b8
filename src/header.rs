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
    /// DUP, QoS and RETAIN (MQTT-2.2.2-1, MQTT-2.1.3-1).
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

/// Reads the fixed header at the start of `buf` and says where the packet ends.
///
/// This is the first half of [`decode`](crate::decode) and all a broker needs to forward
/// packets without decoding them. It checks the packet type, the type's fixed-header flags
/// (including PUBLISH QoS 3 and DUP with QoS 0), the Remaining Length encoding, and the
/// caller's maximum packet size — all as soon as the bytes that carry them have arrived.
///
/// Returns `Partial(n)` while the header or the body is incomplete: `n` is exact once the
/// Remaining Length has been read, and a safe lower bound (1 or 2) before that.
///
/// # Errors
/// [`InvalidPacketType`](DecodeErrorKind::InvalidPacketType),
/// [`ReservedFlags`](DecodeErrorKind::ReservedFlags), [`InvalidQoS`](DecodeErrorKind::InvalidQoS),
/// [`DupWithQoS0`](DecodeErrorKind::DupWithQoS0), [`VarIntTooLong`](DecodeErrorKind::VarIntTooLong),
/// [`NonMinimalVarInt`](DecodeErrorKind::NonMinimalVarInt),
/// [`PacketTooLarge`](DecodeErrorKind::PacketTooLarge); in place of the first three, when
/// the bytes show it: [`TlsOnPlainPort`](DecodeErrorKind::TlsOnPlainPort),
/// [`HttpOnMqttPort`](DecodeErrorKind::HttpOnMqttPort), or
/// [`WrongProtocolVersion`](DecodeErrorKind::WrongProtocolVersion) (AUTH under 3.x).
///
/// # Examples
/// ```
/// use mqtt_wire::{frame, DecodeOptions, PacketType, Status, Version};
/// let opts = DecodeOptions::new();
/// // A PUBLISH announcing 300 bytes of body, of which none has arrived yet.
/// let status = frame(&[0x30, 0xAC, 0x02], Version::V5, &opts)?;
/// assert_eq!(status, Status::Partial(300));
/// // Too big for a client that accepts at most 256-byte packets: refused before the body.
/// let small = DecodeOptions::new().max_packet_size(256);
/// assert!(frame(&[0x30, 0xAC, 0x02], Version::V5, &small).is_err());
/// // A complete PINGREQ.
/// let Status::Complete(f) = frame(&[0xC0, 0x00], Version::V5, &opts)? else { panic!() };
/// assert_eq!((f.packet_type, f.len()), (PacketType::PingReq, 2));
/// # Ok::<(), mqtt_wire::DecodeError>(())
/// ```
pub fn frame(
    buf: &[u8],
    version: Version,
    opts: &DecodeOptions,
) -> Result<Status<Frame>, DecodeError> {
    // Errors in the first byte go through the (cold) diagnoses: TLS, HTTP, AUTH under 3.x.
    frame_raw(buf, version, opts).map_err(|err| {
        if err.offset() == 0 {
            crate::diagnose::header_error(buf, version, err)
        } else {
            err
        }
    })
}

/// [`frame`] without the diagnoses.
#[inline(always)]
pub(crate) fn frame_raw(
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
    let flags = first & 0x0F;
    check_flags(packet_type, flags)?;
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
    check_remaining_len(packet_type, remaining_len)?;
    let total = f.len();
    if u64::try_from(total).unwrap_or(u64::MAX) > u64::from(opts.max_packet_size) {
        return Err(DecodeError::new(DecodeErrorKind::PacketTooLarge, 1));
    }
    match total.checked_sub(buf.len()) {
        Some(missing) if missing > 0 => Ok(Status::Partial(missing)),
        _ => Ok(Status::Complete(f)),
    }
}

/// Refuses, as soon as the fixed header is read, a Remaining Length that the packet type can
/// have in no protocol version, so that a receiver does not wait for a body that can only be
/// malformed: PINGREQ/PINGRESP other than 0 (§3.12.1, §3.13.1); CONNACK, PUBACK, PUBREC,
/// PUBREL, PUBCOMP, UNSUBACK shorter than 2; AUTH of exactly 1 (§3.15.2.2.1). Lengths that
/// only one version forbids are judged with the body, where the diagnoses can tell a
/// packet of the other version.
#[inline(always)]
fn check_remaining_len(packet_type: PacketType, len: usize) -> Result<(), DecodeError> {
    let impossible = match packet_type {
        PacketType::PingReq | PacketType::PingResp => len != 0,
        PacketType::ConnAck
        | PacketType::PubAck
        | PacketType::PubRec
        | PacketType::PubRel
        | PacketType::PubComp
        | PacketType::UnsubAck => len < 2,
        PacketType::Auth => len == 1,
        _ => false,
    };
    if impossible {
        Err(DecodeError::new(DecodeErrorKind::InvalidRemainingLength, 1))
    } else {
        Ok(())
    }
}

#[inline(always)]
fn check_flags(packet_type: PacketType, flags: u8) -> Result<(), DecodeError> {
    match packet_type.required_flags() {
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
