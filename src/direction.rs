//! The rules that depend on who sent a packet, checked when
//! [`DecodeOptions::receiver`](crate::DecodeOptions::receiver) names the receiver: the
//! packet type at the first byte (by the framer, so such a packet is refused before its
//! body arrives), the rest where the decoders meet the fields (a decoder without a role
//! pays one untaken branch per check).

use crate::error::{DecodeError, DecodeErrorKind};
use crate::header::PacketType;
use crate::properties::{Properties, PropertyId};
use crate::reason::ReasonCode;
use crate::seq::Element;
use crate::types::{Role, Version};

/// A packet type the receiver never receives: refused at its first byte.
#[cold]
#[inline(never)]
pub(crate) fn check_type(
    packet_type: PacketType,
    version: Version,
    receiver: Role,
) -> Result<(), DecodeError> {
    if receiver.peer().sends(packet_type, version) {
        Ok(())
    } else {
        Err(DecodeError::new(DecodeErrorKind::WrongDirection, 0))
    }
}

/// The direction rules on the tail of a DISCONNECT or AUTH from `sender` (whose bytes
/// start `buf`): its reason code (MQTT-3.14.2-1 with Table 3-10, MQTT-3.15.2-1 with Table
/// 3-13), and no Session Expiry Interval in a DISCONNECT from the server (MQTT-3.14.2-2).
#[cold]
#[inline(never)]
pub(crate) fn check_tail(
    buf: &[u8],
    packet_type: PacketType,
    reason_code: ReasonCode,
    properties: &Properties<'_>,
    sender: Role,
) -> Result<(), DecodeError> {
    if !reason_code.sent_by(packet_type, sender) {
        // The reason code is the body's first byte (the default, Success, is allowed from
        // both sides, so this code was on the wire).
        let kind = DecodeErrorKind::ReasonCodeWrongDirection(reason_code.into());
        return Err(DecodeError::new(kind, header_len(buf)));
    }
    if packet_type == PacketType::Disconnect && sender == Role::Server {
        return refuse_property(buf, properties, PropertyId::SessionExpiryInterval);
    }
    Ok(())
}

/// The fixed header's length: the type byte and the Remaining Length's 1 to 4 bytes.
fn header_len(buf: &[u8]) -> usize {
    let continued = buf
        .iter()
        .skip(1)
        .take(3)
        .take_while(|&&b| b & 0x80 != 0)
        .count();
    continued.saturating_add(2)
}

/// Refuses the property `id` if the decoded list `props` (a view into `buf`) holds it, as
/// [`PropertyWrongDirection`](DecodeErrorKind::PropertyWrongDirection) at its identifier.
fn refuse_property(buf: &[u8], props: &Properties<'_>, id: PropertyId) -> Result<(), DecodeError> {
    let Some(wire) = props.wire_bytes() else {
        return Ok(());
    };
    // Where the list starts in `buf`: both are views of the same bytes.
    let mut at = (wire.as_ptr() as usize).saturating_sub(buf.as_ptr() as usize);
    for prop in props.iter() {
        if prop.id() == id {
            return Err(DecodeError::new(
                DecodeErrorKind::PropertyWrongDirection(id),
                at,
            ));
        }
        at = at.saturating_add(prop.wire_len().unwrap_or(0));
    }
    Ok(())
}
