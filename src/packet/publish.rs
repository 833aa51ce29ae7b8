//! PUBLISH (MQTT 3.1.1 §3.3, MQTT 5.0 §3.3).

use super::{packet_id, props_len_if_v5, write_props_if_v5};
use crate::error::{DecodeError, DecodeErrorKind, EncodeError};
use crate::properties::{self, Ids, Properties, PropertyContext, PropertyId};
use crate::reader::Reader;
use crate::topic;
use crate::types::{PacketId, QoS, Version};
use crate::writer::{self, Writer, add};

/// The PUBLISH packet. The payload is the rest of the packet, borrowed, never copied.
///
/// # Examples
/// ```
/// use mqtt_wire::{Packet, Properties, Property, Publish, Version};
/// let props = [Property::ContentType("text/plain"), Property::UserProperty("k", "v")];
/// let publish = Publish { properties: Properties::new(&props), ..Publish::new("a/b", b"hello") };
/// let mut buf = [0u8; 64];
/// let n = Packet::Publish(publish).encode(Version::V5, &mut buf)?;
/// assert_eq!(&buf[..2], &[0x30, (n - 2) as u8]);
/// // 3.1.1 has no properties: refusing beats silently dropping them.
/// assert!(Packet::Publish(publish).encode(Version::V3_1_1, &mut buf).is_err());
/// # Ok::<(), mqtt_wire::EncodeError>(())
/// ```
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
#[cfg_attr(feature = "defmt", derive(defmt::Format))]
#[cfg_attr(feature = "arbitrary", derive(arbitrary::Arbitrary))]
pub struct Publish<'a> {
    /// DUP flag: this may be a re-delivery (only with QoS 1 or 2, MQTT-3.3.1-2).
    pub dup: bool,
    /// QoS level.
    pub qos: QoS,
    /// RETAIN flag.
    pub retain: bool,
    /// Topic Name (no wildcards; empty only in 5.0 together with a Topic Alias).
    pub topic: &'a str,
    /// Packet Identifier: present exactly when QoS is 1 or 2 (MQTT-2.3.1-5).
    pub packet_id: Option<PacketId>,
    /// PUBLISH properties (5.0 only).
    pub properties: Properties<'a>,
    /// Application message.
    pub payload: &'a [u8],
}

impl<'a> Publish<'a> {
    /// A QoS 0, not retained, not duplicate PUBLISH without properties.
    #[must_use]
    pub const fn new(topic: &'a str, payload: &'a [u8]) -> Self {
        Self {
            dup: false,
            qos: QoS::AtMostOnce,
            retain: false,
            topic,
            packet_id: None,
            properties: Properties::EMPTY,
            payload,
        }
    }

    /// Whether the payload agrees with the Payload Format Indicator: `false` only when the
    /// indicator says UTF-8 and the payload is not well-formed UTF-8 (a receiver may then
    /// answer 0x99 Payload format invalid, §3.3.2.3.2). Not checked by `decode`, because a
    /// receiver MAY skip it and it costs a pass over the payload.
    ///
    /// # Examples
    /// ```
    /// use mqtt_wire::{Properties, Property, Publish};
    /// let utf8 = [Property::PayloadFormatIndicator(true)];
    /// let p = Publish { properties: Properties::new(&utf8), ..Publish::new("t", b"\xFF") };
    /// assert!(!p.payload_format_valid());
    /// assert!(Publish::new("t", b"\xFF").payload_format_valid());
    /// ```
    #[must_use]
    pub fn payload_format_valid(&self) -> bool {
        self.properties.payload_format_indicator() != Some(true)
            || core::str::from_utf8(self.payload).is_ok()
    }

    pub(super) fn flags(&self) -> u8 {
        (u8::from(self.dup) << 3) | ((self.qos as u8) << 1) | u8::from(self.retain)
    }

    #[inline]
    pub(super) fn decode_body(
        r: &mut Reader<'a>,
        flags: u8,
        v: Version,
        receiver: Option<crate::Role>,
    ) -> Result<Self, DecodeError> {
        // The fixed-header flags were checked by the framer (QoS 3, DUP with QoS 0).
        let qos = QoS::try_from((flags >> 1) & 0b11)
            .map_err(|_| r.err_at(DecodeErrorKind::InvalidQoS, 0))?;
        // 5.0: an empty topic name stands for a Topic Alias (checked below).
        let topic = r.topic_name(v.is_v5())?;
        let packet_id = if qos == QoS::AtMostOnce {
            None
        } else {
            Some(packet_id(r)?)
        };
        let props_at = r.offset();
        let properties = if v.is_v5() {
            // A server must not receive a Subscription Identifier (MQTT-3.3.4-6).
            let from_wrong_side = match receiver {
                Some(crate::Role::Server) => Ids::of(PropertyId::SubscriptionIdentifier),
                _ => Ids::NONE,
            };
            properties::decode_block_except(r, PropertyContext::Publish, from_wrong_side)?
        } else {
            Properties::EMPTY
        };
        if topic.is_empty() && properties.topic_alias().is_none() {
            return Err(r.err_at(DecodeErrorKind::TopicAliasRequired, props_at));
        }
        let payload = r.rest();
        Ok(Self {
            dup: flags & 0b1000 != 0,
            qos,
            retain: flags & 1 != 0,
            topic,
            packet_id,
            properties,
            payload,
        })
    }

    pub(super) fn body_len(&self, v: Version) -> Result<usize, EncodeError> {
        if (self.qos == QoS::AtMostOnce) != self.packet_id.is_none() {
            return Err(EncodeError::PacketIdMismatch);
        }
        if self.dup && self.qos == QoS::AtMostOnce {
            return Err(DecodeErrorKind::DupWithQoS0.into());
        }
        // `check_name` also refuses U+0000, which the empty name cannot hold.
        if !(v.is_v5() && self.topic.is_empty()) {
            topic::check_name(self.topic)?;
        }
        if self.topic.is_empty() && self.properties.topic_alias().is_none() {
            return Err(DecodeErrorKind::TopicAliasRequired.into());
        }
        let mut len = writer::prefixed_len(self.topic.as_bytes())?;
        if self.packet_id.is_some() {
            len = add(len, 2)?;
        }
        len = add(
            len,
            props_len_if_v5(&self.properties, v, PropertyContext::Publish)?,
        )?;
        add(len, self.payload.len())
    }

    pub(super) fn write_body(&self, v: Version, w: &mut Writer<'_>) -> Result<(), EncodeError> {
        w.utf8(self.topic)?;
        if let Some(id) = self.packet_id {
            w.u16(id.get())?;
        }
        write_props_if_v5(&self.properties, v, w)?;
        w.put(self.payload)
    }
}
