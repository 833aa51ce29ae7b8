//! DISCONNECT (§3.14) and AUTH (MQTT 5.0 §3.15).

use super::ack::{Tail, TailForm, decode_tail, tail_len, write_tail};
use crate::error::{DecodeError, DecodeErrorKind, EncodeError};
use crate::header::PacketType;
use crate::properties::Properties;
use crate::reader::Reader;
use crate::reason::ReasonCode;
use crate::types::Version;
use crate::writer::Writer;

/// The DISCONNECT packet. Under 3.x it is empty; in 5.0 it may carry a reason code and
/// properties (Session Expiry Interval, Reason String, Server Reference, User Property).
///
/// # Examples
/// ```
/// use mqtt_wire::{Disconnect, Packet, ReasonCode, Version};
/// let mut buf = [0u8; 4];
/// let d = Disconnect { reason_code: ReasonCode::DisconnectWithWillMessage, ..Disconnect::new() };
/// let n = Packet::Disconnect(d).encode(Version::V5, &mut buf)?;
/// assert_eq!(&buf[..n], &[0xE0, 0x01, 0x04]);
/// let n = Packet::Disconnect(Disconnect::new()).encode(Version::V3_1_1, &mut buf)?;
/// assert_eq!(&buf[..n], &[0xE0, 0x00]);
/// # Ok::<(), mqtt_wire::EncodeError>(())
/// ```
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
#[cfg_attr(feature = "defmt", derive(defmt::Format))]
#[cfg_attr(feature = "arbitrary", derive(arbitrary::Arbitrary))]
pub struct Disconnect<'a> {
    /// Reason code (5.0): `Success` is "Normal disconnection".
    pub reason_code: ReasonCode,
    /// Properties (5.0 only).
    pub properties: Properties<'a>,
    /// Which optional parts are on the wire (see [`TailForm`]).
    pub form: TailForm,
}

impl Default for ReasonCode {
    /// `Success` (0x00).
    fn default() -> Self {
        Self::Success
    }
}

impl<'a> Disconnect<'a> {
    /// A normal disconnection without properties.
    #[must_use]
    pub const fn new() -> Self {
        Self {
            reason_code: ReasonCode::Success,
            properties: Properties::EMPTY,
            form: TailForm::Shortest,
        }
    }

    #[inline]
    pub(super) fn decode_body(r: &mut Reader<'a>, v: Version) -> Result<Self, DecodeError> {
        if !v.is_v5() && !r.is_empty() {
            return Err(r.err_at(DecodeErrorKind::InvalidRemainingLength, 1));
        }
        let Tail {
            reason_code,
            properties,
            form,
        } = decode_tail(r, PacketType::Disconnect, v)?;
        Ok(Self {
            reason_code,
            properties,
            form,
        })
    }

    pub(super) fn body_len(&self, v: Version) -> Result<usize, EncodeError> {
        tail_len(
            PacketType::Disconnect,
            v,
            self.reason_code,
            &self.properties,
            self.form,
        )
    }

    pub(super) fn write_body(&self, v: Version, w: &mut Writer<'_>) -> Result<(), EncodeError> {
        write_tail(
            PacketType::Disconnect,
            v,
            self.reason_code,
            &self.properties,
            self.form,
            w,
        )
    }
}

/// The AUTH packet (MQTT 5.0 only): extended authentication exchange.
///
/// With Remaining Length 0 it means "Success, no properties"; otherwise it carries a reason
/// code and properties. Whether the Authentication Method (§3.15.2.2.2) is required depends
/// on the content, not on the form: "Success, no properties" needs none, whether sent as
/// `f0 00` (the short form §3.15.2.1 allows) or as `f0 02 00 00`; every other AUTH (reason
/// 0x18 or 0x19, or any property) must carry it. See the README's policies.
///
/// # Examples
/// ```
/// use mqtt_wire::{Auth, Packet, Properties, Property, ReasonCode, Version};
/// let props = [Property::AuthenticationMethod("SCRAM-SHA-256"), Property::AuthenticationData(b"x")];
/// let auth = Auth { reason_code: ReasonCode::ContinueAuthentication, properties: Properties::new(&props), ..Auth::new() };
/// let mut buf = [0u8; 64];
/// assert!(Packet::Auth(auth).encode(Version::V5, &mut buf).is_ok());
/// assert!(Packet::Auth(auth).encode(Version::V3_1_1, &mut buf).is_err());
/// ```
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
#[cfg_attr(feature = "defmt", derive(defmt::Format))]
#[cfg_attr(feature = "arbitrary", derive(arbitrary::Arbitrary))]
pub struct Auth<'a> {
    /// 0x00 Success, 0x18 Continue authentication or 0x19 Re-authenticate.
    pub reason_code: ReasonCode,
    /// Properties: Authentication Method (required unless the packet is empty),
    /// Authentication Data, Reason String, User Property.
    pub properties: Properties<'a>,
    /// Which optional parts are on the wire (see [`TailForm`]).
    pub form: TailForm,
}

impl<'a> Auth<'a> {
    /// An empty AUTH (success, no properties: Remaining Length 0).
    #[must_use]
    pub const fn new() -> Self {
        Self {
            reason_code: ReasonCode::Success,
            properties: Properties::EMPTY,
            form: TailForm::Shortest,
        }
    }

    #[inline]
    pub(super) fn decode_body(r: &mut Reader<'a>, v: Version) -> Result<Self, DecodeError> {
        let props_at = r.offset().saturating_add(1);
        let Tail {
            reason_code,
            properties,
            form,
        } = decode_tail(r, PacketType::Auth, v)?;
        if needs_method(reason_code, &properties) && properties.authentication_method().is_none() {
            return Err(r.err_at(DecodeErrorKind::AuthMethodMissing, props_at));
        }
        Ok(Self {
            reason_code,
            properties,
            form,
        })
    }

    pub(super) fn body_len(&self, v: Version) -> Result<usize, EncodeError> {
        if !v.is_v5() {
            return Err(EncodeError::NotInVersion(crate::error::Field::Auth));
        }
        if needs_method(self.reason_code, &self.properties)
            && self.properties.authentication_method().is_none()
        {
            return Err(DecodeErrorKind::AuthMethodMissing.into());
        }
        tail_len(
            PacketType::Auth,
            v,
            self.reason_code,
            &self.properties,
            self.form,
        )
    }

    pub(super) fn write_body(&self, v: Version, w: &mut Writer<'_>) -> Result<(), EncodeError> {
        write_tail(
            PacketType::Auth,
            v,
            self.reason_code,
            &self.properties,
            self.form,
            w,
        )
    }
}

/// Whether an AUTH with this content must carry the Authentication Method: every AUTH but
/// "Success, no properties", the content of the Remaining Length 0 form (§3.15.2.1), in
/// whichever form it is sent.
fn needs_method(reason_code: ReasonCode, properties: &Properties<'_>) -> bool {
    reason_code != ReasonCode::Success || !properties.is_empty()
}
