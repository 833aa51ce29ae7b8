//! SUBACK (§3.9) and UNSUBACK (§3.11).

use super::{packet_id, props_if_v5, props_len_if_v5, write_props_if_v5};
use crate::error::{DecodeError, DecodeErrorKind, EncodeError, Field};
use crate::header::PacketType;
use crate::properties::{Properties, PropertyContext};
use crate::reader::Reader;
use crate::reason::ReasonCode;
use crate::seq::{self, Element, Seq};
use crate::types::{PacketId, Version};
use crate::writer::{Writer, add};

/// The return codes of a SUBACK or the reason codes of an UNSUBACK (see [`Seq`]).
pub type ReasonCodes<'a> = Seq<'a, ReasonCode>;

impl<'a> Element<'a> for ReasonCode {
    /// SUBACK or UNSUBACK, and the protocol version.
    type Context = (PacketType, Version);

    fn context_tag((ty, v): (PacketType, Version)) -> u8 {
        // Levels are below 16, packet types below 16.
        (ty as u8).wrapping_shl(4) | v.level()
    }

    fn read(r: &mut Reader<'a>) -> Result<Self, DecodeError> {
        let at = r.offset();
        let b = r.u8()?;
        ReasonCode::try_from(b).map_err(|_| r.err_at(DecodeErrorKind::InvalidReasonCode(b), at))
    }

    fn wire_len(&self) -> Result<usize, EncodeError> {
        Ok(1)
    }

    fn write(&self, w: &mut Writer<'_>) -> Result<(), EncodeError> {
        w.u8(*self as u8)
    }
}

/// Whether `code` may stand in a SUBACK (`ty` = SubAck) or UNSUBACK of version `v`.
/// Returns the error kind to report otherwise.
fn check_code(code: ReasonCode, ty: PacketType, v: Version) -> Result<(), DecodeErrorKind> {
    use ReasonCode as R;
    let ok = match v {
        Version::V5 => code.is_valid_for(ty),
        // 3.1 grants QoS 0..2 only; 3.1.1 adds 0x80 Failure (MQTT-3.9.3-2).
        Version::V3_1 => matches!(code, R::Success | R::GrantedQoS1 | R::GrantedQoS2),
        Version::V3_1_1 => matches!(
            code,
            R::Success | R::GrantedQoS1 | R::GrantedQoS2 | R::UnspecifiedError
        ),
    };
    match (ok, v) {
        (true, _) => Ok(()),
        (false, Version::V5) => Err(DecodeErrorKind::InvalidReasonCode(code as u8)),
        (false, _) => Err(DecodeErrorKind::InvalidSubAckReturnCode),
    }
}

fn decode_codes<'a>(
    r: &mut Reader<'a>,
    ty: PacketType,
    v: Version,
) -> Result<ReasonCodes<'a>, DecodeError> {
    if r.is_empty() {
        return Err(r.err(DecodeErrorKind::NoReasonCodes));
    }
    seq::read_all(r, (ty, v), |code: &ReasonCode, at| {
        check_code(*code, ty, v).map_err(|kind| DecodeError::new(kind, at))
    })
    .map_err(|e| match (e.kind(), v) {
        (DecodeErrorKind::InvalidReasonCode(_), Version::V3_1 | Version::V3_1_1) => {
            DecodeError::new(DecodeErrorKind::InvalidSubAckReturnCode, e.offset())
        }
        _ => e,
    })
}

fn codes_len(codes: &ReasonCodes<'_>, ty: PacketType, v: Version) -> Result<usize, EncodeError> {
    if codes.is_empty() {
        return Err(DecodeErrorKind::NoReasonCodes.into());
    }
    codes.checked_len((ty, v), |code| {
        check_code(*code, ty, v).map_err(|kind| match v {
            Version::V5 => EncodeError::Invalid(kind),
            _ => EncodeError::NotInVersion(Field::ReasonCode),
        })
    })
}

/// The SUBACK and UNSUBACK packets: a packet identifier, properties (5.0) and one code per
/// filter of the SUBSCRIBE or UNSUBSCRIBE. The same struct serves both (which one it is comes
/// from the [`Packet`](crate::Packet) variant holding it); [`UnsubAck`] is an alias.
///
/// SUBACK carries return codes (3.x: 0x00, 0x01, 0x02, 0x80) or reason codes (5.0), at least
/// one. A 3.x UNSUBACK is only a packet identifier: its `reason_codes` list is empty.
///
/// # Examples
/// ```
/// use mqtt_wire::{decode, Packet, ReasonCode, Status, Version};
/// let bytes = [0x90, 0x04, 0x00, 0x0A, 0x01, 0x80];
/// let Ok(Status::Complete((Packet::SubAck(ack), 6))) = decode(&bytes, Version::V3_1_1) else { panic!() };
/// assert_eq!(ack.packet_id.get(), 10);
/// let codes: Vec<_> = ack.reason_codes.iter().collect();
/// assert_eq!(codes, [ReasonCode::GrantedQoS1, ReasonCode::UnspecifiedError]);
/// ```
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
#[cfg_attr(feature = "defmt", derive(defmt::Format))]
#[cfg_attr(feature = "arbitrary", derive(arbitrary::Arbitrary))]
pub struct SubAck<'a> {
    /// Packet Identifier of the SUBSCRIBE or UNSUBSCRIBE.
    pub packet_id: PacketId,
    /// Properties (5.0 only): Reason String, User Property.
    pub properties: Properties<'a>,
    /// One code per filter, in order (SUBACK, 5.0 UNSUBACK: at least one; 3.x UNSUBACK: none).
    pub reason_codes: ReasonCodes<'a>,
}

/// The UNSUBACK packet: the same layout as [`SubAck`].
///
/// # Examples
/// ```
/// use mqtt_wire::{Packet, PacketId, ReasonCode, ReasonCodes, UnsubAck, Version};
/// let codes = [ReasonCode::Success];
/// let ack = UnsubAck::new(PacketId::new(3).unwrap(), ReasonCodes::new(&codes));
/// let mut buf = [0u8; 8];
/// let n = Packet::UnsubAck(ack).encode(Version::V5, &mut buf)?;
/// assert_eq!(&buf[..n], &[0xB0, 0x04, 0x00, 0x03, 0x00, 0x00]);
/// // Under 3.1.1 an UNSUBACK has no codes: use an empty list there.
/// let ack = UnsubAck::new(PacketId::new(3).unwrap(), ReasonCodes::EMPTY);
/// let n = Packet::UnsubAck(ack).encode(Version::V3_1_1, &mut buf)?;
/// assert_eq!(&buf[..n], &[0xB0, 0x02, 0x00, 0x03]);
/// # Ok::<(), mqtt_wire::EncodeError>(())
/// ```
pub type UnsubAck<'a> = SubAck<'a>;

/// Whether `ty`/`v` has codes on the wire: every SUBACK, and UNSUBACK from 5.0 on.
fn has_codes(ty: PacketType, v: Version) -> bool {
    ty == PacketType::SubAck || v.is_v5()
}

fn context(ty: PacketType) -> PropertyContext {
    if ty == PacketType::SubAck {
        PropertyContext::SubAck
    } else {
        PropertyContext::UnsubAck
    }
}

impl<'a> SubAck<'a> {
    /// An acknowledgement without properties.
    #[must_use]
    pub const fn new(packet_id: PacketId, reason_codes: ReasonCodes<'a>) -> Self {
        Self {
            packet_id,
            properties: Properties::EMPTY,
            reason_codes,
        }
    }

    #[inline]
    pub(super) fn decode_body(
        r: &mut Reader<'a>,
        ty: PacketType,
        v: Version,
    ) -> Result<Self, DecodeError> {
        if !has_codes(ty, v) {
            super::fixed_body_v3(r, v, 2)?;
            return Ok(Self::new(packet_id(r)?, ReasonCodes::EMPTY));
        }
        let packet_id = packet_id(r)?;
        let properties = props_if_v5(r, v, context(ty))?;
        let reason_codes = decode_codes(r, ty, v)?;
        Ok(Self {
            packet_id,
            properties,
            reason_codes,
        })
    }

    pub(super) fn body_len(&self, ty: PacketType, v: Version) -> Result<usize, EncodeError> {
        if !has_codes(ty, v) {
            return if self.properties.is_empty() && self.reason_codes.is_empty() {
                Ok(2)
            } else {
                Err(EncodeError::NotInVersion(if self.properties.is_empty() {
                    Field::ReasonCode
                } else {
                    Field::Properties
                }))
            };
        }
        let len = add(2, props_len_if_v5(&self.properties, v, context(ty))?)?;
        add(len, codes_len(&self.reason_codes, ty, v)?)
    }

    pub(super) fn write_body(
        &self,
        ty: PacketType,
        v: Version,
        w: &mut Writer<'_>,
    ) -> Result<(), EncodeError> {
        w.u16(self.packet_id.get())?;
        if has_codes(ty, v) {
            write_props_if_v5(&self.properties, v, w)?;
            self.reason_codes.write(w)?;
        }
        Ok(())
    }
}
