//! CONNACK (MQTT 3.1.1 §3.2, MQTT 5.0 §3.2).

use super::{props_if_v5, props_len_if_v5, write_props_if_v5};
use crate::error::{DecodeError, DecodeErrorKind, EncodeError, Field};
use crate::header::PacketType;
use crate::properties::{Properties, PropertyContext};
use crate::reader::Reader;
use crate::reason::ReasonCode;
use crate::types::Version;
use crate::writer::{Writer, add};

/// The CONNACK packet: the server's answer to CONNECT.
///
/// One `reason_code` field serves every version: a 3.x return code decodes to the 5.0 code
/// with the same meaning (see [`ReasonCode::from_v3_connack`]), and encoding a code that 3.x
/// cannot express is [`EncodeError::NotInVersion`].
///
/// # Examples
/// ```
/// use mqtt_wire::{decode, ConnAck, Packet, ReasonCode, Status, Version};
/// // 3.1.1 CONNACK, return code 5 (not authorized).
/// let Ok(Status::Complete((Packet::ConnAck(ack), 4))) = decode(&[0x20, 0x02, 0x00, 0x05], Version::V3_1_1) else {
///     panic!()
/// };
/// assert_eq!(ack.reason_code, ReasonCode::NotAuthorized);
/// assert!(!ack.session_present);
/// ```
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
#[cfg_attr(feature = "defmt", derive(defmt::Format))]
#[cfg_attr(feature = "arbitrary", derive(arbitrary::Arbitrary))]
pub struct ConnAck<'a> {
    /// Session Present (not in 3.1, where the byte is reserved).
    pub session_present: bool,
    /// Connect Return Code (3.x) / Connect Reason Code (5.0).
    pub reason_code: ReasonCode,
    /// CONNACK properties (5.0 only).
    pub properties: Properties<'a>,
}

impl<'a> ConnAck<'a> {
    /// A CONNACK with this code, no session present and no properties.
    #[must_use]
    pub const fn new(reason_code: ReasonCode) -> Self {
        Self {
            session_present: false,
            reason_code,
            properties: Properties::EMPTY,
        }
    }

    #[inline]
    pub(super) fn decode_body(r: &mut Reader<'a>, v: Version) -> Result<Self, DecodeError> {
        super::fixed_body_v3(r, v, 2)?;
        let flags_at = r.offset();
        let flags = r.u8()?;
        let reserved = if v == Version::V3_1 { 0xFF } else { 0xFE };
        if flags & reserved != 0 {
            return Err(r.err_at(DecodeErrorKind::ConnAckReservedFlags, flags_at));
        }
        let session_present = flags & 1 != 0;
        let code_at = r.offset();
        let code = r.u8()?;
        let reason_code = if v.is_v5() {
            ReasonCode::try_from(code)
                .ok()
                .filter(|rc| rc.is_valid_for(PacketType::ConnAck))
                .ok_or(r.err_at(DecodeErrorKind::InvalidReasonCode(code), code_at))?
        } else {
            ReasonCode::from_v3_connack(code)
                .ok_or(r.err_at(DecodeErrorKind::InvalidConnectReturnCode, code_at))?
        };
        if session_present && reason_code != ReasonCode::Success {
            return Err(r.err_at(DecodeErrorKind::SessionPresentWithRefusal, flags_at));
        }
        let properties = props_if_v5(r, v, PropertyContext::ConnAck)?;
        Ok(Self {
            session_present,
            reason_code,
            properties,
        })
    }

    pub(super) fn body_len(&self, v: Version) -> Result<usize, EncodeError> {
        if v.is_v5() {
            if !self.reason_code.is_valid_for(PacketType::ConnAck) {
                return Err(DecodeErrorKind::InvalidReasonCode(self.reason_code as u8).into());
            }
        } else if self.reason_code.to_v3_connack().is_none() {
            return Err(EncodeError::NotInVersion(Field::ReasonCode));
        } else if v == Version::V3_1 && self.session_present {
            return Err(EncodeError::NotInVersion(Field::SessionPresent));
        }
        if self.session_present && self.reason_code != ReasonCode::Success {
            return Err(DecodeErrorKind::SessionPresentWithRefusal.into());
        }
        add(
            2,
            props_len_if_v5(&self.properties, v, PropertyContext::ConnAck)?,
        )
    }

    pub(super) fn write_body(&self, v: Version, w: &mut Writer<'_>) -> Result<(), EncodeError> {
        w.u8(u8::from(self.session_present))?;
        let code = if v.is_v5() {
            Some(self.reason_code as u8)
        } else {
            self.reason_code.to_v3_connack()
        };
        w.u8(code.ok_or(EncodeError::NotInVersion(Field::ReasonCode))?)?;
        write_props_if_v5(&self.properties, v, w)
    }
}
