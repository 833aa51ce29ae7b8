//! PUBACK, PUBREC, PUBREL, PUBCOMP (§3.4 .. §3.7), and the optional "reason code, then
//! properties" tail they share with DISCONNECT and AUTH in MQTT 5.0.

use super::packet_id;
use crate::error::{DecodeError, DecodeErrorKind, EncodeError, Field};
use crate::header::PacketType;
use crate::properties::{self, Properties, PropertyContext};
use crate::reader::Reader;
use crate::reason::ReasonCode;
use crate::types::{PacketId, Version};
use crate::writer::{Writer, add};

/// How much of the optional MQTT 5.0 tail (reason code, then property block) a PUBACK,
/// PUBREC, PUBREL, PUBCOMP, DISCONNECT or AUTH carries on the wire.
///
/// The spec lets a sender omit the property length when there are no properties, and the
/// reason code too when it is the success code (§3.4.2.1, §3.14.2.1, §3.15.2.1). A packet
/// built from scratch (`Shortest`, the default) uses the shortest form its content allows.
/// The decoder records a longer form than needed here, so that re-encoding gives back the
/// same bytes. A form shorter than the content needs is never used: the content wins.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Default)]
#[cfg_attr(feature = "defmt", derive(defmt::Format))]
#[cfg_attr(feature = "arbitrary", derive(arbitrary::Arbitrary))]
pub enum TailForm {
    /// The shortest form the content allows.
    #[default]
    Shortest,
    /// At least the reason code, even when it is the success code.
    ReasonCode,
    /// Reason code and property length, even when there are no properties.
    Full,
}

/// How many tail parts are on the wire: 0 none, 1 reason code, 2 reason code and properties.
fn level(form: TailForm) -> u8 {
    match form {
        TailForm::Shortest => 0,
        TailForm::ReasonCode => 1,
        TailForm::Full => 2,
    }
}

/// The tail level that `reason_code` and `props` need; AUTH has no level-1 form.
fn needed_level(ty: PacketType, reason_code: ReasonCode, props: &Properties<'_>) -> u8 {
    let needed = if !props.is_empty() {
        2
    } else if reason_code != ReasonCode::Success {
        1
    } else {
        0
    };
    if ty == PacketType::Auth && needed == 1 {
        2
    } else {
        needed
    }
}

fn context(ty: PacketType) -> PropertyContext {
    match ty {
        PacketType::PubAck => PropertyContext::PubAck,
        PacketType::PubRec => PropertyContext::PubRec,
        PacketType::PubRel => PropertyContext::PubRel,
        PacketType::PubComp => PropertyContext::PubComp,
        PacketType::Disconnect => PropertyContext::Disconnect,
        _ => PropertyContext::Auth,
    }
}

/// The decoded optional tail of a 5.0 packet.
pub(super) struct Tail<'a> {
    pub(super) reason_code: ReasonCode,
    pub(super) properties: Properties<'a>,
    pub(super) form: TailForm,
}

/// Reads the optional tail under 5.0 (whatever is left in `r`); under 3.x there is none.
pub(super) fn decode_tail<'a>(
    r: &mut Reader<'a>,
    ty: PacketType,
    v: Version,
) -> Result<Tail<'a>, DecodeError> {
    let mut tail = Tail {
        reason_code: ReasonCode::Success,
        properties: Properties::EMPTY,
        form: TailForm::Shortest,
    };
    if !v.is_v5() || r.is_empty() {
        return Ok(tail);
    }
    let code_at = r.offset();
    let code = r.u8()?;
    tail.reason_code = ReasonCode::try_from(code)
        .ok()
        .filter(|rc| rc.is_valid_for(ty))
        .ok_or(r.err_at(DecodeErrorKind::InvalidReasonCode(code), code_at))?;
    let mut seen = 1;
    if !r.is_empty() {
        tail.properties = properties::decode_block(r, context(ty))?;
        seen = 2;
    } else if ty == PacketType::Auth {
        // AUTH has no "reason code only" form (§3.15.2.2.1 gives no default).
        return Err(r.err_at(DecodeErrorKind::InvalidRemainingLength, 1));
    }
    if seen > needed_level(ty, tail.reason_code, &tail.properties) {
        tail.form = if seen == 1 {
            TailForm::ReasonCode
        } else {
            TailForm::Full
        };
    }
    Ok(tail)
}

/// Validates a tail for `ty`/`v` and returns its encoded size.
#[inline]
pub(super) fn tail_len(
    ty: PacketType,
    v: Version,
    reason_code: ReasonCode,
    props: &Properties<'_>,
    form: TailForm,
) -> Result<usize, EncodeError> {
    if !v.is_v5() {
        let plain =
            reason_code == ReasonCode::Success && props.is_empty() && form == TailForm::Shortest;
        if plain {
            return Ok(0);
        }
        return Err(EncodeError::NotInVersion(
            if reason_code != ReasonCode::Success {
                Field::ReasonCode
            } else if !props.is_empty() {
                Field::Properties
            } else {
                Field::TailForm
            },
        ));
    }
    if !reason_code.is_valid_for(ty) {
        return Err(DecodeErrorKind::InvalidReasonCode(reason_code as u8).into());
    }
    let block = properties::block_len(props, context(ty))?;
    Ok(match tail_level(ty, reason_code, props, form) {
        0 => 0,
        1 => 1,
        _ => add(block, 1)?,
    })
}

fn tail_level(
    ty: PacketType,
    reason_code: ReasonCode,
    props: &Properties<'_>,
    form: TailForm,
) -> u8 {
    let l = needed_level(ty, reason_code, props).max(level(form));
    if ty == PacketType::Auth && l == 1 {
        2
    } else {
        l
    }
}

/// Writes the tail (after [`tail_len`] accepted it).
#[inline]
pub(super) fn write_tail(
    ty: PacketType,
    v: Version,
    reason_code: ReasonCode,
    props: &Properties<'_>,
    form: TailForm,
    w: &mut Writer<'_>,
) -> Result<(), EncodeError> {
    if !v.is_v5() {
        return Ok(());
    }
    let l = tail_level(ty, reason_code, props, form);
    if l >= 1 {
        w.u8(reason_code as u8)?;
    }
    if l >= 2 {
        properties::write_block(props, w)?;
    }
    Ok(())
}

/// PUBACK, PUBREC, PUBREL or PUBCOMP: a packet identifier and, in 5.0, an optional reason
/// code and properties. Which of the four it is comes from the [`Packet`](crate::Packet)
/// variant holding it.
///
/// # Examples
/// ```
/// use mqtt_wire::{decode, Ack, Packet, PacketId, ReasonCode, Status, TailForm, Version};
/// // 5.0 PUBACK, Remaining Length 3: packet id 1, reason 0x10, no property length.
/// let bytes = [0x40, 0x03, 0x00, 0x01, 0x10];
/// let Ok(Status::Complete((Packet::PubAck(ack), 5))) = decode(&bytes, Version::V5) else { panic!() };
/// assert_eq!(ack.reason_code, ReasonCode::NoMatchingSubscribers);
/// assert_eq!(ack.form, TailForm::Shortest);
/// // Built from scratch, a success ack takes the 2-byte short form.
/// let mut buf = [0u8; 8];
/// let n = Packet::PubAck(Ack::new(PacketId::new(1).unwrap())).encode(Version::V5, &mut buf)?;
/// assert_eq!(&buf[..n], &[0x40, 0x02, 0x00, 0x01]);
/// # Ok::<(), mqtt_wire::EncodeError>(())
/// ```
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
#[cfg_attr(feature = "defmt", derive(defmt::Format))]
#[cfg_attr(feature = "arbitrary", derive(arbitrary::Arbitrary))]
pub struct Ack<'a> {
    /// Packet Identifier of the PUBLISH (or PUBREL) being acknowledged.
    pub packet_id: PacketId,
    /// Reason code (5.0; always `Success` under 3.x).
    pub reason_code: ReasonCode,
    /// Properties (5.0 only): Reason String and User Property.
    pub properties: Properties<'a>,
    /// Which optional parts are on the wire (see [`TailForm`]).
    pub form: TailForm,
    /// DUP flag of a re-sent PUBREL: MQTT 3.1 only (§2.1; 3.1.1 and 5.0 fix the PUBREL
    /// flags at `0010`, MQTT-3.6.1-1). Encoding it under 3.1.1 or 5.0 is
    /// [`EncodeError::NotInVersion`]; on PUBACK, PUBREC or PUBCOMP, which never carry
    /// it, `Invalid(ReservedFlags)`.
    pub dup: bool,
}

impl<'a> Ack<'a> {
    /// A success acknowledgement of `packet_id`, without properties.
    #[must_use]
    pub const fn new(packet_id: PacketId) -> Self {
        Self {
            packet_id,
            reason_code: ReasonCode::Success,
            properties: Properties::EMPTY,
            form: TailForm::Shortest,
            dup: false,
        }
    }

    #[inline]
    pub(super) fn decode_body(
        r: &mut Reader<'a>,
        ty: PacketType,
        v: Version,
    ) -> Result<Self, DecodeError> {
        super::fixed_body_v3(r, v, 2)?;
        let packet_id = packet_id(r)?;
        if r.is_empty() {
            // 3.x, or the 5.0 short form: success, no properties.
            return Ok(Self::new(packet_id));
        }
        let Tail {
            reason_code,
            properties,
            form,
        } = decode_tail(r, ty, v)?;
        Ok(Self {
            packet_id,
            reason_code,
            properties,
            form,
            dup: false,
        })
    }

    pub(super) fn body_len(&self, ty: PacketType, v: Version) -> Result<usize, EncodeError> {
        if self.dup {
            if ty != PacketType::PubRel {
                return Err(DecodeErrorKind::ReservedFlags.into());
            }
            if v != Version::V3_1 {
                return Err(EncodeError::NotInVersion(Field::Dup));
            }
        }
        add(
            2,
            tail_len(ty, v, self.reason_code, &self.properties, self.form)?,
        )
    }

    pub(super) fn write_body(
        &self,
        ty: PacketType,
        v: Version,
        w: &mut Writer<'_>,
    ) -> Result<(), EncodeError> {
        w.u16(self.packet_id.get())?;
        write_tail(ty, v, self.reason_code, &self.properties, self.form, w)
    }
}
