//! SUBSCRIBE (§3.8) and UNSUBSCRIBE (§3.10).

use super::{packet_id, props_if_v5, props_len_if_v5, write_props_if_v5};
use crate::error::{DecodeError, DecodeErrorKind, EncodeError, Field};
use crate::properties::{Properties, PropertyContext};
use crate::reader::Reader;
use crate::seq::{self, Element, Seq};
use crate::topic;
use crate::types::{PacketId, QoS, Version};
use crate::writer::{self, Writer, add};

/// Retain Handling subscription option (MQTT 5.0 §3.8.3.1).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Default)]
#[cfg_attr(feature = "defmt", derive(defmt::Format))]
#[cfg_attr(feature = "arbitrary", derive(arbitrary::Arbitrary))]
pub enum RetainHandling {
    /// 0: send retained messages at the time of the subscribe.
    #[default]
    SendAtSubscribe = 0,
    /// 1: send retained messages only if the subscription did not exist.
    SendIfNew = 1,
    /// 2: do not send retained messages.
    DoNotSend = 2,
}

/// The options byte of one subscription. Under 3.x only `qos` exists (the Requested QoS);
/// the other options must keep their defaults there.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Default)]
#[cfg_attr(feature = "defmt", derive(defmt::Format))]
#[cfg_attr(feature = "arbitrary", derive(arbitrary::Arbitrary))]
pub struct SubscriptionOptions {
    /// Maximum QoS (Requested QoS in 3.x).
    pub qos: QoS,
    /// No Local (5.0).
    pub no_local: bool,
    /// Retain As Published (5.0).
    pub retain_as_published: bool,
    /// Retain Handling (5.0).
    pub retain_handling: RetainHandling,
}

impl SubscriptionOptions {
    /// Options with this QoS and 5.0 defaults for the rest.
    #[must_use]
    pub const fn new(qos: QoS) -> Self {
        Self {
            qos,
            no_local: false,
            retain_as_published: false,
            retain_handling: RetainHandling::SendAtSubscribe,
        }
    }

    fn to_byte(self) -> u8 {
        (self.qos as u8)
            | (u8::from(self.no_local) << 2)
            | (u8::from(self.retain_as_published) << 3)
            | ((self.retain_handling as u8) << 4)
    }

    /// Parses the byte with the 5.0 layout; what 3.x forbids on top is checked by the caller.
    fn from_byte(b: u8) -> Result<Self, DecodeErrorKind> {
        if b & 0b1100_0000 != 0 {
            return Err(DecodeErrorKind::ReservedSubscriptionBits);
        }
        let qos = QoS::try_from(b & 0b11).map_err(|_| DecodeErrorKind::InvalidRequestedQoS)?;
        let retain_handling = match (b >> 4) & 0b11 {
            0 => RetainHandling::SendAtSubscribe,
            1 => RetainHandling::SendIfNew,
            2 => RetainHandling::DoNotSend,
            _ => return Err(DecodeErrorKind::InvalidRetainHandling),
        };
        Ok(Self {
            qos,
            no_local: b & 0b100 != 0,
            retain_as_published: b & 0b1000 != 0,
            retain_handling,
        })
    }
}

/// One topic filter with its options, in a SUBSCRIBE payload.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
#[cfg_attr(feature = "defmt", derive(defmt::Format))]
#[cfg_attr(feature = "arbitrary", derive(arbitrary::Arbitrary))]
pub struct Subscription<'a> {
    /// Topic Filter.
    pub filter: &'a str,
    /// Subscription Options.
    pub options: SubscriptionOptions,
}

impl<'a> Subscription<'a> {
    /// A subscription to `filter` at `qos`, other options default.
    #[must_use]
    pub const fn new(filter: &'a str, qos: QoS) -> Self {
        Self {
            filter,
            options: SubscriptionOptions::new(qos),
        }
    }

    /// The rules of one subscription for `v`: filter syntax, 3.x reserved option bits,
    /// No Local on a shared subscription (MQTT-3.8.3-4 in 5.0).
    fn check(&self, v: Version) -> Result<(), DecodeErrorKind> {
        topic::check_filter(self.filter, v)?;
        self.check_options(v)
    }

    /// The rules of [`check`](Self::check) on the options.
    fn check_options(&self, v: Version) -> Result<(), DecodeErrorKind> {
        let o = self.options;
        if !v.is_v5()
            && (o.no_local
                || o.retain_as_published
                || o.retain_handling != RetainHandling::SendAtSubscribe)
        {
            return Err(DecodeErrorKind::ReservedSubscriptionBits);
        }
        if o.no_local && topic::shared_parts(self.filter, v).is_some() {
            return Err(DecodeErrorKind::NoLocalOnSharedSubscription);
        }
        Ok(())
    }
}

impl<'a> Element<'a> for Subscription<'a> {
    type Context = Version;

    fn context_tag(v: Version) -> u8 {
        v.level()
    }

    fn read(r: &mut Reader<'a>) -> Result<Self, DecodeError> {
        let filter = r.utf8()?;
        let at = r.offset();
        let options = SubscriptionOptions::from_byte(r.u8()?).map_err(|kind| r.err_at(kind, at))?;
        Ok(Self { filter, options })
    }

    fn wire_len(&self) -> Result<usize, EncodeError> {
        add(writer::prefixed_len(self.filter.as_bytes())?, 1)
    }

    fn write(&self, w: &mut Writer<'_>) -> Result<(), EncodeError> {
        w.utf8(self.filter)?;
        w.u8(self.options.to_byte())
    }
}

impl<'a> Element<'a> for &'a str {
    type Context = Version;

    fn context_tag(v: Version) -> u8 {
        v.level()
    }

    fn read(r: &mut Reader<'a>) -> Result<Self, DecodeError> {
        r.utf8()
    }

    fn wire_len(&self) -> Result<usize, EncodeError> {
        writer::prefixed_len(self.as_bytes())
    }

    fn write(&self, w: &mut Writer<'_>) -> Result<(), EncodeError> {
        w.utf8(self)
    }
}

/// The subscriptions of a SUBSCRIBE, decoded or built (see [`Seq`]).
pub type Subscriptions<'a> = Seq<'a, Subscription<'a>>;
/// The topic filters of an UNSUBSCRIBE, decoded or built (see [`Seq`]).
pub type TopicFilters<'a> = Seq<'a, &'a str>;

/// The SUBSCRIBE packet: a packet identifier, properties (5.0) and at least one subscription.
///
/// # Examples
/// ```
/// use mqtt_wire::{Packet, PacketId, QoS, Subscribe, Subscription, Subscriptions, Version};
/// let subs = [Subscription::new("sensors/+/temp", QoS::AtLeastOnce), Subscription::new("$SYS/#", QoS::AtMostOnce)];
/// let sub = Subscribe::new(PacketId::new(1).unwrap(), Subscriptions::new(&subs));
/// let mut buf = [0u8; 64];
/// let n = Packet::Subscribe(sub).encode(Version::V3_1_1, &mut buf)?;
/// assert_eq!(buf[0], 0x82); // flags 0010 (MQTT-3.8.1-1)
/// # let _ = n;
/// # Ok::<(), mqtt_wire::EncodeError>(())
/// ```
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
#[cfg_attr(feature = "defmt", derive(defmt::Format))]
#[cfg_attr(feature = "arbitrary", derive(arbitrary::Arbitrary))]
pub struct Subscribe<'a> {
    /// Packet Identifier.
    pub packet_id: PacketId,
    /// SUBSCRIBE properties (5.0 only): Subscription Identifier, User Property.
    pub properties: Properties<'a>,
    /// The topic filters and their options (at least one).
    pub subscriptions: Subscriptions<'a>,
    /// DUP flag of a re-sent SUBSCRIBE: MQTT 3.1 only (§2.1; 3.1.1 and 5.0 fix the flags at
    /// `0010`, MQTT-3.8.1-1). Encoding it under 3.1.1 or 5.0 is
    /// [`EncodeError::NotInVersion`].
    pub dup: bool,
}

impl<'a> Subscribe<'a> {
    /// A SUBSCRIBE without properties.
    #[must_use]
    pub const fn new(packet_id: PacketId, subscriptions: Subscriptions<'a>) -> Self {
        Self {
            packet_id,
            properties: Properties::EMPTY,
            subscriptions,
            dup: false,
        }
    }

    #[inline]
    pub(super) fn decode_body(r: &mut Reader<'a>, v: Version) -> Result<Self, DecodeError> {
        let packet_id = packet_id(r)?;
        let properties = props_if_v5(r, v, PropertyContext::Subscribe)?;
        if r.is_empty() {
            return Err(r.err(DecodeErrorKind::NoTopicFilters));
        }
        let subscriptions = seq::read_all_by(r, v, |r| {
            // As `Element::read` and `check`, with one scan of the filter for both.
            let at = r.offset();
            let (filter, found) = r.utf8_found()?;
            let options_at = r.offset();
            let options = SubscriptionOptions::from_byte(r.u8()?)
                .map_err(|kind| DecodeError::new(kind, options_at))?;
            // Filter errors point at the filter, option errors at the options byte.
            topic::check_filter_found(filter, found, v)
                .map_err(|kind| DecodeError::new(kind, at))?;
            let s = Subscription { filter, options };
            s.check_options(v)
                .map_err(|kind| DecodeError::new(kind, options_at))?;
            Ok(s)
        })
        .map_err(|e| match e.kind() {
            // Bits 4-5 are Retain Handling only in 5.0; before that they are reserved.
            DecodeErrorKind::InvalidRetainHandling if !v.is_v5() => {
                DecodeError::new(DecodeErrorKind::ReservedSubscriptionBits, e.offset())
            }
            _ => e,
        })?;
        Ok(Self {
            packet_id,
            properties,
            subscriptions,
            dup: false,
        })
    }

    pub(super) fn body_len(&self, v: Version) -> Result<usize, EncodeError> {
        if self.dup && v != Version::V3_1 {
            return Err(EncodeError::NotInVersion(Field::Dup));
        }
        if self.subscriptions.is_empty() {
            return Err(DecodeErrorKind::NoTopicFilters.into());
        }
        let subs_len = self.subscriptions.checked_len(v, |s| {
            // 5.0 subscription options cannot be sent under 3.x (EncodeError::NotInVersion).
            if !v.is_v5() && s.options != SubscriptionOptions::new(s.options.qos) {
                return Err(EncodeError::NotInVersion(Field::SubscriptionOptions));
            }
            Ok(s.check(v)?)
        })?;
        let len = add(
            2,
            props_len_if_v5(&self.properties, v, PropertyContext::Subscribe)?,
        )?;
        add(len, subs_len)
    }

    pub(super) fn write_body(&self, v: Version, w: &mut Writer<'_>) -> Result<(), EncodeError> {
        w.u16(self.packet_id.get())?;
        write_props_if_v5(&self.properties, v, w)?;
        self.subscriptions.write(w)
    }
}

/// The UNSUBSCRIBE packet: a packet identifier, properties (5.0) and at least one filter.
///
/// # Examples
/// ```
/// use mqtt_wire::{Packet, PacketId, TopicFilters, Unsubscribe, Version};
/// let filters = ["a/b", "c/#"];
/// let unsub = Unsubscribe::new(PacketId::new(2).unwrap(), TopicFilters::new(&filters));
/// let mut buf = [0u8; 32];
/// let n = Packet::Unsubscribe(unsub).encode(Version::V5, &mut buf)?;
/// assert_eq!(&buf[..5], &[0xA2, (n - 2) as u8, 0x00, 0x02, 0x00]);
/// # Ok::<(), mqtt_wire::EncodeError>(())
/// ```
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
#[cfg_attr(feature = "defmt", derive(defmt::Format))]
#[cfg_attr(feature = "arbitrary", derive(arbitrary::Arbitrary))]
pub struct Unsubscribe<'a> {
    /// Packet Identifier.
    pub packet_id: PacketId,
    /// UNSUBSCRIBE properties (5.0 only): User Property.
    pub properties: Properties<'a>,
    /// Topic filters (at least one).
    pub filters: TopicFilters<'a>,
    /// DUP flag of a re-sent UNSUBSCRIBE: MQTT 3.1 only (§2.1; 3.1.1 and 5.0 fix the flags
    /// at `0010`, MQTT-3.10.1-1). Encoding it under 3.1.1 or 5.0 is
    /// [`EncodeError::NotInVersion`].
    pub dup: bool,
}

impl<'a> Unsubscribe<'a> {
    /// An UNSUBSCRIBE without properties.
    #[must_use]
    pub const fn new(packet_id: PacketId, filters: TopicFilters<'a>) -> Self {
        Self {
            packet_id,
            properties: Properties::EMPTY,
            filters,
            dup: false,
        }
    }

    #[inline]
    pub(super) fn decode_body(r: &mut Reader<'a>, v: Version) -> Result<Self, DecodeError> {
        let packet_id = packet_id(r)?;
        let properties = props_if_v5(r, v, PropertyContext::Unsubscribe)?;
        if r.is_empty() {
            return Err(r.err(DecodeErrorKind::NoTopicFilters));
        }
        let filters = seq::read_all_by(r, v, |r| {
            let at = r.offset();
            let (filter, found) = r.utf8_found()?;
            topic::check_filter_found(filter, found, v)
                .map_err(|kind| DecodeError::new(kind, at))?;
            Ok(filter)
        })?;
        Ok(Self {
            packet_id,
            properties,
            filters,
            dup: false,
        })
    }

    pub(super) fn body_len(&self, v: Version) -> Result<usize, EncodeError> {
        if self.dup && v != Version::V3_1 {
            return Err(EncodeError::NotInVersion(Field::Dup));
        }
        if self.filters.is_empty() {
            return Err(DecodeErrorKind::NoTopicFilters.into());
        }
        let filters_len = self
            .filters
            .checked_len(v, |f| Ok(topic::check_filter(f, v)?))?;
        let len = add(
            2,
            props_len_if_v5(&self.properties, v, PropertyContext::Unsubscribe)?,
        )?;
        add(len, filters_len)
    }

    pub(super) fn write_body(&self, v: Version, w: &mut Writer<'_>) -> Result<(), EncodeError> {
        w.u16(self.packet_id.get())?;
        write_props_if_v5(&self.properties, v, w)?;
        self.filters.write(w)
    }
}
