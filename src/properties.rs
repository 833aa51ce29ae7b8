//! MQTT 5.0 properties (§2.2.2): the one table of all 27 identifiers, their wire types and
//! the packets each may appear in, which drives decoding, encoding and validation alike.
//!
//! Decoding validates a whole property block once: known identifier, allowed in this packet,
//! no forbidden repetition, value of the right type and in range, block length consistent.
//! After that a [`Properties`] list iterates and answers typed getters without failing.

use crate::error::{DecodeError, DecodeErrorKind, EncodeError};
use crate::reader::Reader;
use crate::seq::{self, Element, Seq};
use crate::topic;
use crate::types::QoS;
use crate::writer::{self, Writer};

/// The data type of a property value (§1.5, §2.2.2.2 Table 2-4).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
#[cfg_attr(feature = "defmt", derive(defmt::Format))]
pub enum WireType {
    /// One byte.
    Byte,
    /// Two Byte Integer (big-endian).
    TwoByteInteger,
    /// Four Byte Integer (big-endian).
    FourByteInteger,
    /// Variable Byte Integer.
    VarInt,
    /// UTF-8 Encoded String.
    Utf8String,
    /// Binary Data.
    BinaryData,
    /// UTF-8 String Pair.
    Utf8StringPair,
}

/// Where a property block sits: one of the 14 packets that carry properties, or the Will
/// Properties in the CONNECT payload.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
#[cfg_attr(feature = "defmt", derive(defmt::Format))]
#[allow(missing_docs)] // the spec's packet names
pub enum PropertyContext {
    Connect,
    Will,
    ConnAck,
    Publish,
    PubAck,
    PubRec,
    PubRel,
    PubComp,
    Subscribe,
    SubAck,
    Unsubscribe,
    UnsubAck,
    Disconnect,
    Auth,
}

impl PropertyContext {
    const fn bit(self) -> u16 {
        1 << (self as u16)
    }
}

macro_rules! property_table {
    ($( $(#[$doc:meta])* $name:ident = $id:literal, $wire:ident, [$($ctx:ident),+]; )*) => {
        /// The 27 property identifiers of MQTT 5.0 (§2.2.2.2, Table 2-4).
        #[non_exhaustive]
        #[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
        #[cfg_attr(feature = "defmt", derive(defmt::Format))]
        #[repr(u8)]
        pub enum PropertyId {
            $( $(#[$doc])* $name = $id, )*
        }

        impl PropertyId {
            /// Every property identifier, in numeric order.
            pub const ALL: &'static [PropertyId] = &[$(PropertyId::$name),*];

            /// The property's value type.
            #[must_use]
            pub const fn wire_type(self) -> WireType {
                match self { $(PropertyId::$name => WireType::$wire,)* }
            }

            /// Whether the property may appear in `ctx` (Table 2-4, "Packet / Will Properties").
            #[must_use]
            pub const fn is_allowed_in(self, ctx: PropertyContext) -> bool {
                let mask: u16 = match self {
                    $(PropertyId::$name => 0 $(| PropertyContext::$ctx.bit())+,)*
                };
                mask & ctx.bit() != 0
            }
        }

        impl TryFrom<u8> for PropertyId {
            type Error = u8;
            /// The property with this identifier; an unknown one is given back as the error.
            fn try_from(v: u8) -> Result<Self, u8> {
                match v { $($id => Ok(PropertyId::$name),)* other => Err(other) }
            }
        }
    };
}

property_table! {
    /// 0x01 Payload Format Indicator (Byte): PUBLISH, Will Properties.
    PayloadFormatIndicator = 0x01, Byte, [Publish, Will];
    /// 0x02 Message Expiry Interval (Four Byte Integer): PUBLISH, Will Properties.
    MessageExpiryInterval = 0x02, FourByteInteger, [Publish, Will];
    /// 0x03 Content Type (UTF-8 String): PUBLISH, Will Properties.
    ContentType = 0x03, Utf8String, [Publish, Will];
    /// 0x08 Response Topic (UTF-8 String): PUBLISH, Will Properties.
    ResponseTopic = 0x08, Utf8String, [Publish, Will];
    /// 0x09 Correlation Data (Binary Data): PUBLISH, Will Properties.
    CorrelationData = 0x09, BinaryData, [Publish, Will];
    /// 0x0B Subscription Identifier (Variable Byte Integer): PUBLISH, SUBSCRIBE.
    SubscriptionIdentifier = 0x0B, VarInt, [Publish, Subscribe];
    /// 0x11 Session Expiry Interval (Four Byte Integer): CONNECT, CONNACK, DISCONNECT.
    SessionExpiryInterval = 0x11, FourByteInteger, [Connect, ConnAck, Disconnect];
    /// 0x12 Assigned Client Identifier (UTF-8 String): CONNACK.
    AssignedClientIdentifier = 0x12, Utf8String, [ConnAck];
    /// 0x13 Server Keep Alive (Two Byte Integer): CONNACK.
    ServerKeepAlive = 0x13, TwoByteInteger, [ConnAck];
    /// 0x15 Authentication Method (UTF-8 String): CONNECT, CONNACK, AUTH.
    AuthenticationMethod = 0x15, Utf8String, [Connect, ConnAck, Auth];
    /// 0x16 Authentication Data (Binary Data): CONNECT, CONNACK, AUTH.
    AuthenticationData = 0x16, BinaryData, [Connect, ConnAck, Auth];
    /// 0x17 Request Problem Information (Byte): CONNECT.
    RequestProblemInformation = 0x17, Byte, [Connect];
    /// 0x18 Will Delay Interval (Four Byte Integer): Will Properties.
    WillDelayInterval = 0x18, FourByteInteger, [Will];
    /// 0x19 Request Response Information (Byte): CONNECT.
    RequestResponseInformation = 0x19, Byte, [Connect];
    /// 0x1A Response Information (UTF-8 String): CONNACK.
    ResponseInformation = 0x1A, Utf8String, [ConnAck];
    /// 0x1C Server Reference (UTF-8 String): CONNACK, DISCONNECT.
    ServerReference = 0x1C, Utf8String, [ConnAck, Disconnect];
    /// 0x1F Reason String (UTF-8 String): CONNACK, PUBACK, PUBREC, PUBREL, PUBCOMP, SUBACK,
    /// UNSUBACK, DISCONNECT, AUTH.
    ReasonString = 0x1F, Utf8String,
        [ConnAck, PubAck, PubRec, PubRel, PubComp, SubAck, UnsubAck, Disconnect, Auth];
    /// 0x21 Receive Maximum (Two Byte Integer): CONNECT, CONNACK.
    ReceiveMaximum = 0x21, TwoByteInteger, [Connect, ConnAck];
    /// 0x22 Topic Alias Maximum (Two Byte Integer): CONNECT, CONNACK.
    TopicAliasMaximum = 0x22, TwoByteInteger, [Connect, ConnAck];
    /// 0x23 Topic Alias (Two Byte Integer): PUBLISH.
    TopicAlias = 0x23, TwoByteInteger, [Publish];
    /// 0x24 Maximum QoS (Byte): CONNACK.
    MaximumQoS = 0x24, Byte, [ConnAck];
    /// 0x25 Retain Available (Byte): CONNACK.
    RetainAvailable = 0x25, Byte, [ConnAck];
    /// 0x26 User Property (UTF-8 String Pair): every packet with properties, and Will
    /// Properties.
    UserProperty = 0x26, Utf8StringPair,
        [Connect, ConnAck, Publish, Will, PubAck, PubRec, PubRel, PubComp, Subscribe, SubAck,
         Unsubscribe, UnsubAck, Disconnect, Auth];
    /// 0x27 Maximum Packet Size (Four Byte Integer): CONNECT, CONNACK.
    MaximumPacketSize = 0x27, FourByteInteger, [Connect, ConnAck];
    /// 0x28 Wildcard Subscription Available (Byte): CONNACK.
    WildcardSubscriptionAvailable = 0x28, Byte, [ConnAck];
    /// 0x29 Subscription Identifier Available (Byte): CONNACK.
    SubscriptionIdentifierAvailable = 0x29, Byte, [ConnAck];
    /// 0x2A Shared Subscription Available (Byte): CONNACK.
    SharedSubscriptionAvailable = 0x2A, Byte, [ConnAck];
}

impl PropertyId {
    /// Whether the property may appear more than once in `ctx`: User Property anywhere,
    /// Subscription Identifier in PUBLISH (§3.3.2.3.8); nothing else.
    #[must_use]
    pub const fn may_repeat_in(self, ctx: PropertyContext) -> bool {
        matches!(
            (self, ctx),
            (Self::UserProperty, _) | (Self::SubscriptionIdentifier, PropertyContext::Publish)
        )
    }
}

/// One property with its typed value, borrowing strings and binary data from the packet.
///
/// Byte properties that may only be 0 or 1 are `bool`s. Range rules that a type cannot
/// express (non-zero values, Maximum QoS at most 1, Response Topic without wildcards) are
/// checked when decoding and again when encoding.
#[non_exhaustive]
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
#[cfg_attr(feature = "defmt", derive(defmt::Format))]
#[cfg_attr(feature = "arbitrary", derive(arbitrary::Arbitrary))]
pub enum Property<'a> {
    /// 0x01: `true` means the payload is UTF-8 (value 1), `false` unspecified bytes (0).
    /// Other values are rejected (the spec names no error for them; mosquitto and
    /// mqtt-wire treat them as a Protocol Error).
    PayloadFormatIndicator(bool),
    /// 0x02, seconds.
    MessageExpiryInterval(u32),
    /// 0x03.
    ContentType(&'a str),
    /// 0x08, a topic name (no wildcards, MQTT-3.3.2-14).
    ResponseTopic(&'a str),
    /// 0x09.
    CorrelationData(&'a [u8]),
    /// 0x0B, 1..=268,435,455.
    SubscriptionIdentifier(u32),
    /// 0x11, seconds.
    SessionExpiryInterval(u32),
    /// 0x12.
    AssignedClientIdentifier(&'a str),
    /// 0x13, seconds.
    ServerKeepAlive(u16),
    /// 0x15.
    AuthenticationMethod(&'a str),
    /// 0x16.
    AuthenticationData(&'a [u8]),
    /// 0x17.
    RequestProblemInformation(bool),
    /// 0x18, seconds.
    WillDelayInterval(u32),
    /// 0x19.
    RequestResponseInformation(bool),
    /// 0x1A.
    ResponseInformation(&'a str),
    /// 0x1C.
    ServerReference(&'a str),
    /// 0x1F.
    ReasonString(&'a str),
    /// 0x21, non-zero.
    ReceiveMaximum(u16),
    /// 0x22.
    TopicAliasMaximum(u16),
    /// 0x23, non-zero.
    TopicAlias(u16),
    /// 0x24, QoS 0 or 1 (absence means 2).
    MaximumQoS(QoS),
    /// 0x25.
    RetainAvailable(bool),
    /// 0x26: name and value.
    UserProperty(&'a str, &'a str),
    /// 0x27, bytes, non-zero.
    MaximumPacketSize(u32),
    /// 0x28.
    WildcardSubscriptionAvailable(bool),
    /// 0x29.
    SubscriptionIdentifierAvailable(bool),
    /// 0x2A.
    SharedSubscriptionAvailable(bool),
}

/// A property value as one of the seven wire types, the common shape for reading and writing.
#[derive(Clone, Copy)]
enum Value<'a> {
    Byte(u8),
    U16(u16),
    U32(u32),
    VarInt(u32),
    Str(&'a str),
    Bin(&'a [u8]),
    Pair(&'a str, &'a str),
}

impl<'a> Property<'a> {
    /// The property's identifier.
    #[must_use]
    #[inline]
    pub const fn id(&self) -> PropertyId {
        use PropertyId as I;
        match self {
            Self::PayloadFormatIndicator(_) => I::PayloadFormatIndicator,
            Self::MessageExpiryInterval(_) => I::MessageExpiryInterval,
            Self::ContentType(_) => I::ContentType,
            Self::ResponseTopic(_) => I::ResponseTopic,
            Self::CorrelationData(_) => I::CorrelationData,
            Self::SubscriptionIdentifier(_) => I::SubscriptionIdentifier,
            Self::SessionExpiryInterval(_) => I::SessionExpiryInterval,
            Self::AssignedClientIdentifier(_) => I::AssignedClientIdentifier,
            Self::ServerKeepAlive(_) => I::ServerKeepAlive,
            Self::AuthenticationMethod(_) => I::AuthenticationMethod,
            Self::AuthenticationData(_) => I::AuthenticationData,
            Self::RequestProblemInformation(_) => I::RequestProblemInformation,
            Self::WillDelayInterval(_) => I::WillDelayInterval,
            Self::RequestResponseInformation(_) => I::RequestResponseInformation,
            Self::ResponseInformation(_) => I::ResponseInformation,
            Self::ServerReference(_) => I::ServerReference,
            Self::ReasonString(_) => I::ReasonString,
            Self::ReceiveMaximum(_) => I::ReceiveMaximum,
            Self::TopicAliasMaximum(_) => I::TopicAliasMaximum,
            Self::TopicAlias(_) => I::TopicAlias,
            Self::MaximumQoS(_) => I::MaximumQoS,
            Self::RetainAvailable(_) => I::RetainAvailable,
            Self::UserProperty(..) => I::UserProperty,
            Self::MaximumPacketSize(_) => I::MaximumPacketSize,
            Self::WildcardSubscriptionAvailable(_) => I::WildcardSubscriptionAvailable,
            Self::SubscriptionIdentifierAvailable(_) => I::SubscriptionIdentifierAvailable,
            Self::SharedSubscriptionAvailable(_) => I::SharedSubscriptionAvailable,
        }
    }

    /// Splits into identifier and wire value.
    #[inline]
    const fn split(&self) -> (PropertyId, Value<'a>) {
        use PropertyId as I;
        match *self {
            Self::PayloadFormatIndicator(b) => (I::PayloadFormatIndicator, Value::Byte(b as u8)),
            Self::MessageExpiryInterval(v) => (I::MessageExpiryInterval, Value::U32(v)),
            Self::ContentType(s) => (I::ContentType, Value::Str(s)),
            Self::ResponseTopic(s) => (I::ResponseTopic, Value::Str(s)),
            Self::CorrelationData(b) => (I::CorrelationData, Value::Bin(b)),
            Self::SubscriptionIdentifier(v) => (I::SubscriptionIdentifier, Value::VarInt(v)),
            Self::SessionExpiryInterval(v) => (I::SessionExpiryInterval, Value::U32(v)),
            Self::AssignedClientIdentifier(s) => (I::AssignedClientIdentifier, Value::Str(s)),
            Self::ServerKeepAlive(v) => (I::ServerKeepAlive, Value::U16(v)),
            Self::AuthenticationMethod(s) => (I::AuthenticationMethod, Value::Str(s)),
            Self::AuthenticationData(b) => (I::AuthenticationData, Value::Bin(b)),
            Self::RequestProblemInformation(b) => {
                (I::RequestProblemInformation, Value::Byte(b as u8))
            }
            Self::WillDelayInterval(v) => (I::WillDelayInterval, Value::U32(v)),
            Self::RequestResponseInformation(b) => {
                (I::RequestResponseInformation, Value::Byte(b as u8))
            }
            Self::ResponseInformation(s) => (I::ResponseInformation, Value::Str(s)),
            Self::ServerReference(s) => (I::ServerReference, Value::Str(s)),
            Self::ReasonString(s) => (I::ReasonString, Value::Str(s)),
            Self::ReceiveMaximum(v) => (I::ReceiveMaximum, Value::U16(v)),
            Self::TopicAliasMaximum(v) => (I::TopicAliasMaximum, Value::U16(v)),
            Self::TopicAlias(v) => (I::TopicAlias, Value::U16(v)),
            Self::MaximumQoS(q) => (I::MaximumQoS, Value::Byte(q as u8)),
            Self::RetainAvailable(b) => (I::RetainAvailable, Value::Byte(b as u8)),
            Self::UserProperty(k, v) => (I::UserProperty, Value::Pair(k, v)),
            Self::MaximumPacketSize(v) => (I::MaximumPacketSize, Value::U32(v)),
            Self::WildcardSubscriptionAvailable(b) => {
                (I::WildcardSubscriptionAvailable, Value::Byte(b as u8))
            }
            Self::SubscriptionIdentifierAvailable(b) => {
                (I::SubscriptionIdentifierAvailable, Value::Byte(b as u8))
            }
            Self::SharedSubscriptionAvailable(b) => {
                (I::SharedSubscriptionAvailable, Value::Byte(b as u8))
            }
        }
    }

    /// The value rules that hold wherever the property appears (used by decode and encode).
    ///
    /// # Errors
    /// [`ZeroTopicAlias`](DecodeErrorKind::ZeroTopicAlias) (MQTT-3.3.2-8);
    /// [`InvalidPropertyValue`](DecodeErrorKind::InvalidPropertyValue) for a zero
    /// Subscription Identifier, Receive Maximum or Maximum Packet Size, a Subscription
    /// Identifier above 268,435,455, Maximum QoS 2, or a Response Topic that is not a valid
    /// topic name (MQTT-3.3.2-14); string rules (U+0000) for every string.
    pub fn check(&self) -> Result<(), DecodeErrorKind> {
        self.check_value()?;
        // Strings built by a caller must obey the same code-point rules as decoded ones
        // (the Response Topic's were checked with the topic name rules).
        match *self {
            Self::ContentType(s)
            | Self::AssignedClientIdentifier(s)
            | Self::AuthenticationMethod(s)
            | Self::ResponseInformation(s)
            | Self::ServerReference(s)
            | Self::ReasonString(s) => no_nul(s),
            Self::UserProperty(k, v) => no_nul(k).and_then(|()| no_nul(v)),
            _ => Ok(()),
        }
    }

    /// [`check`](Self::check) without the code-point rules of strings, which the decoder
    /// applies as it reads them.
    #[inline]
    fn check_value(&self) -> Result<(), DecodeErrorKind> {
        let invalid = || Err(DecodeErrorKind::InvalidPropertyValue(self.id()));
        match *self {
            Self::TopicAlias(0) => Err(DecodeErrorKind::ZeroTopicAlias),
            Self::SubscriptionIdentifier(v) if v == 0 || v > crate::VARINT_MAX => invalid(),
            Self::ReceiveMaximum(0) | Self::MaximumPacketSize(0) => invalid(),
            Self::MaximumQoS(QoS::ExactlyOnce) => invalid(),
            // Too long is the string's fault, not the topic's (encoded as FieldTooLong).
            Self::ResponseTopic(t) => topic::check_name(t).or_else(|kind| match kind {
                DecodeErrorKind::TopicTooLong => Err(kind),
                _ => invalid(),
            }),
            _ => Ok(()),
        }
    }
}

use crate::utf8::no_nul;

impl<'a> Element<'a> for Property<'a> {
    type Context = PropertyContext;

    #[inline]
    fn context_tag(ctx: PropertyContext) -> u8 {
        ctx as u8
    }

    fn read(r: &mut Reader<'a>) -> Result<Self, DecodeError> {
        use PropertyId as I;
        let at = r.offset();
        let raw = r.varint()?;
        let value_at = r.offset();
        let invalid = |id| DecodeError::new(DecodeErrorKind::InvalidPropertyValue(id), value_at);
        // A Byte that may only be 0 or 1.
        let flag = |r: &mut Reader<'a>, id| match r.u8()? {
            0 => Ok(false),
            1 => Ok(true),
            _ => Err(invalid(id)),
        };
        // The identifier decides the value's wire type (Table 2-4, as `property_table!`
        // lists it; `every_property_round_trips_through_bytes` checks the two agree).
        let prop = match raw {
            0x01 => Self::PayloadFormatIndicator(flag(r, I::PayloadFormatIndicator)?),
            0x02 => Self::MessageExpiryInterval(r.u32()?),
            0x03 => Self::ContentType(r.utf8()?),
            0x08 => Self::ResponseTopic(r.utf8()?),
            0x09 => Self::CorrelationData(r.binary()?),
            0x0B => Self::SubscriptionIdentifier(r.varint()?),
            0x11 => Self::SessionExpiryInterval(r.u32()?),
            0x12 => Self::AssignedClientIdentifier(r.utf8()?),
            0x13 => Self::ServerKeepAlive(r.u16()?),
            0x15 => Self::AuthenticationMethod(r.utf8()?),
            0x16 => Self::AuthenticationData(r.binary()?),
            0x17 => Self::RequestProblemInformation(flag(r, I::RequestProblemInformation)?),
            0x18 => Self::WillDelayInterval(r.u32()?),
            0x19 => Self::RequestResponseInformation(flag(r, I::RequestResponseInformation)?),
            0x1A => Self::ResponseInformation(r.utf8()?),
            0x1C => Self::ServerReference(r.utf8()?),
            0x1F => Self::ReasonString(r.utf8()?),
            0x21 => Self::ReceiveMaximum(r.u16()?),
            0x22 => Self::TopicAliasMaximum(r.u16()?),
            0x23 => Self::TopicAlias(r.u16()?),
            0x24 => Self::MaximumQoS(match r.u8()? {
                0 => QoS::AtMostOnce,
                1 => QoS::AtLeastOnce,
                _ => return Err(invalid(I::MaximumQoS)),
            }),
            0x25 => Self::RetainAvailable(flag(r, I::RetainAvailable)?),
            0x26 => {
                let name = r.utf8()?;
                Self::UserProperty(name, r.utf8()?)
            }
            0x27 => Self::MaximumPacketSize(r.u32()?),
            0x28 => Self::WildcardSubscriptionAvailable(flag(r, I::WildcardSubscriptionAvailable)?),
            0x29 => {
                Self::SubscriptionIdentifierAvailable(flag(r, I::SubscriptionIdentifierAvailable)?)
            }
            0x2A => Self::SharedSubscriptionAvailable(flag(r, I::SharedSubscriptionAvailable)?),
            _ => return Err(r.err_at(DecodeErrorKind::UnknownProperty, at)),
        };
        // `r.utf8()` applied the code-point rules to the strings.
        prop.check_value()
            .map_err(|kind| r.err_at(kind, value_at))?;
        Ok(prop)
    }

    #[inline]
    fn wire_len(&self) -> Result<usize, EncodeError> {
        // Every identifier is below 0x80, so it takes one byte.
        let value = match self.split().1 {
            Value::Byte(_) => 1,
            Value::U16(_) => 2,
            Value::U32(_) => 4,
            Value::VarInt(v) => crate::varint_len(v).ok_or(EncodeError::PacketTooLarge)?,
            Value::Str(s) => writer::prefixed_len(s.as_bytes())?,
            Value::Bin(b) => writer::prefixed_len(b)?,
            Value::Pair(k, v) => writer::add(
                writer::prefixed_len(k.as_bytes())?,
                writer::prefixed_len(v.as_bytes())?,
            )?,
        };
        writer::add(value, 1)
    }

    #[inline]
    fn write(&self, w: &mut Writer<'_>) -> Result<(), EncodeError> {
        let (id, value) = self.split();
        w.u8(id as u8)?;
        match value {
            Value::Byte(b) => w.u8(b),
            Value::U16(v) => w.u16(v),
            Value::U32(v) => w.u32(v),
            Value::VarInt(v) => w.varint(v),
            Value::Str(s) => w.utf8(s),
            Value::Bin(b) => w.binary(b),
            Value::Pair(k, v) => {
                w.utf8(k)?;
                w.utf8(v)
            }
        }
    }
}

/// A property list (§2.2.2): decoded (validated wire bytes, wire order kept) or built from a
/// slice of [`Property`] values for encoding. Typed getters return the first occurrence.
///
/// # Examples
/// ```
/// use mqtt_wire::{Properties, Property};
/// let list = [
///     Property::MessageExpiryInterval(60),
///     Property::UserProperty("site", "north"),
///     Property::UserProperty("rack", "7"),
/// ];
/// let props = Properties::new(&list);
/// assert_eq!(props.message_expiry_interval(), Some(60));
/// assert_eq!(props.content_type(), None);
/// let pairs: Vec<_> = props.user_properties().collect();
/// assert_eq!(pairs, [("site", "north"), ("rack", "7")]);
/// ```
pub type Properties<'a> = Seq<'a, Property<'a>>;

macro_rules! getters {
    ($( $(#[$doc:meta])* $fn:ident -> $ty:ty = $variant:ident; )*) => {
        $(
            $(#[$doc])*
            #[must_use]
            pub fn $fn(&self) -> Option<$ty> {
                self.iter().find_map(|p| match p { Property::$variant(v) => Some(v), _ => None })
            }
        )*
    };
}

impl<'a> Seq<'a, Property<'a>> {
    /// The first property with identifier `id`.
    #[must_use]
    pub fn get(&self, id: PropertyId) -> Option<Property<'a>> {
        self.iter().find(|p| p.id() == id)
    }

    /// User Properties as borrowed `(name, value)` pairs, in wire order.
    pub fn user_properties(&self) -> impl Iterator<Item = (&'a str, &'a str)> + 'a {
        self.iter().filter_map(|p| match p {
            Property::UserProperty(k, v) => Some((k, v)),
            _ => None,
        })
    }

    /// Every Subscription Identifier (a PUBLISH from a server may carry several).
    pub fn subscription_identifiers(&self) -> impl Iterator<Item = u32> + 'a {
        self.iter().filter_map(|p| match p {
            Property::SubscriptionIdentifier(v) => Some(v),
            _ => None,
        })
    }

    getters! {
        /// 0x01 Payload Format Indicator: `Some(true)` when the payload is declared UTF-8.
        payload_format_indicator -> bool = PayloadFormatIndicator;
        /// 0x02 Message Expiry Interval, seconds.
        message_expiry_interval -> u32 = MessageExpiryInterval;
        /// 0x03 Content Type.
        content_type -> &'a str = ContentType;
        /// 0x08 Response Topic.
        response_topic -> &'a str = ResponseTopic;
        /// 0x09 Correlation Data.
        correlation_data -> &'a [u8] = CorrelationData;
        /// 0x0B Subscription Identifier (the first one).
        subscription_identifier -> u32 = SubscriptionIdentifier;
        /// 0x11 Session Expiry Interval, seconds.
        session_expiry_interval -> u32 = SessionExpiryInterval;
        /// 0x12 Assigned Client Identifier.
        assigned_client_identifier -> &'a str = AssignedClientIdentifier;
        /// 0x13 Server Keep Alive, seconds.
        server_keep_alive -> u16 = ServerKeepAlive;
        /// 0x15 Authentication Method.
        authentication_method -> &'a str = AuthenticationMethod;
        /// 0x16 Authentication Data.
        authentication_data -> &'a [u8] = AuthenticationData;
        /// 0x17 Request Problem Information.
        request_problem_information -> bool = RequestProblemInformation;
        /// 0x18 Will Delay Interval, seconds.
        will_delay_interval -> u32 = WillDelayInterval;
        /// 0x19 Request Response Information.
        request_response_information -> bool = RequestResponseInformation;
        /// 0x1A Response Information.
        response_information -> &'a str = ResponseInformation;
        /// 0x1C Server Reference.
        server_reference -> &'a str = ServerReference;
        /// 0x1F Reason String.
        reason_string -> &'a str = ReasonString;
        /// 0x21 Receive Maximum.
        receive_maximum -> u16 = ReceiveMaximum;
        /// 0x22 Topic Alias Maximum.
        topic_alias_maximum -> u16 = TopicAliasMaximum;
        /// 0x23 Topic Alias.
        topic_alias -> u16 = TopicAlias;
        /// 0x24 Maximum QoS.
        maximum_qos -> QoS = MaximumQoS;
        /// 0x25 Retain Available.
        retain_available -> bool = RetainAvailable;
        /// 0x27 Maximum Packet Size, bytes.
        maximum_packet_size -> u32 = MaximumPacketSize;
        /// 0x28 Wildcard Subscription Available.
        wildcard_subscription_available -> bool = WildcardSubscriptionAvailable;
        /// 0x29 Subscription Identifier Available.
        subscription_identifier_available -> bool = SubscriptionIdentifierAvailable;
        /// 0x2A Shared Subscription Available.
        shared_subscription_available -> bool = SharedSubscriptionAvailable;
    }
}

/// Checks that a property may stand at this place in the list: allowed in `ctx`, and not a
/// forbidden repeat (tracked in `seen`, one bit per identifier; all are below 64).
#[inline]
fn check_placement(
    prop: &Property<'_>,
    ctx: PropertyContext,
    seen: &mut u64,
) -> Result<(), DecodeErrorKind> {
    let id = prop.id();
    if !id.is_allowed_in(ctx) {
        return Err(DecodeErrorKind::PropertyNotAllowed(id));
    }
    let bit = 1u64 << (id as u8 & 63);
    if *seen & bit != 0 && !id.may_repeat_in(ctx) {
        return Err(DecodeErrorKind::DuplicateProperty(id));
    }
    *seen |= bit;
    Ok(())
}

/// Which property identifiers a block holds (one bit per identifier, from the placement
/// check), so that rules about presence need no second walk over the block.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) struct Ids(u64);

impl Ids {
    /// No identifier.
    pub(crate) const NONE: Self = Self(0);

    /// `id` alone.
    pub(crate) const fn of(id: PropertyId) -> Self {
        Self(1u64 << (id as u8 & 63))
    }

    /// Whether the block holds a property with identifier `id`.
    #[inline]
    pub(crate) const fn has(self, id: PropertyId) -> bool {
        self.0 & (1u64 << (id as u8 & 63)) != 0
    }
}

/// [`decode_block`], refusing the identifiers in `from_wrong_side` (those the sender's
/// side must not send, see [`DecodeOptions::receiver`](crate::DecodeOptions::receiver)) as
/// [`PropertyWrongDirection`](DecodeErrorKind::PropertyWrongDirection) at their offset.
pub(crate) fn decode_block_except<'a>(
    r: &mut Reader<'a>,
    ctx: PropertyContext,
    from_wrong_side: Ids,
) -> Result<Properties<'a>, DecodeError> {
    let len = r.varint_len()?;
    let mut block = r.sub(len)?;
    let mut seen = 0u64;
    seq::read_all(&mut block, ctx, |p: &Property<'a>, at| {
        check_placement(p, ctx, &mut seen).map_err(|kind| DecodeError::new(kind, at))?;
        if from_wrong_side.has(p.id()) {
            let kind = DecodeErrorKind::PropertyWrongDirection(p.id());
            return Err(DecodeError::new(kind, at));
        }
        Ok(())
    })
}

/// Decodes a property block (Property Length, then properties) for `ctx`.
pub(crate) fn decode_block<'a>(
    r: &mut Reader<'a>,
    ctx: PropertyContext,
) -> Result<Properties<'a>, DecodeError> {
    Ok(decode_block_ids(r, ctx)?.0)
}

/// [`decode_block`], also saying which identifiers the block holds.
pub(crate) fn decode_block_ids<'a>(
    r: &mut Reader<'a>,
    ctx: PropertyContext,
) -> Result<(Properties<'a>, Ids), DecodeError> {
    let len = r.varint_len()?;
    let mut block = r.sub(len)?;
    let mut seen = 0u64;
    // `Property::read` has applied the rules of `Property::check` to each value.
    let props = seq::read_all(&mut block, ctx, |p: &Property<'a>, at| {
        check_placement(p, ctx, &mut seen).map_err(|kind| DecodeError::new(kind, at))
    })?;
    Ok((props, Ids(seen)))
}

/// Validates a property list for encoding in `ctx` and returns the size of its block
/// (Property Length included).
pub(crate) fn block_len(
    props: &Properties<'_>,
    ctx: PropertyContext,
) -> Result<usize, EncodeError> {
    Ok(block_len_ids(props, ctx)?.0)
}

/// [`block_len`], also saying which identifiers the list holds; `None` for a decoded list
/// validated for `ctx`, which is not walked again (it passed every rule of `ctx`, those of
/// the packet about its block included, when it was decoded).
pub(crate) fn block_len_ids(
    props: &Properties<'_>,
    ctx: PropertyContext,
) -> Result<(usize, Option<Ids>), EncodeError> {
    let mut seen = 0u64;
    let mut walked = false;
    let len = props.checked_len(ctx, |p| {
        walked = true;
        p.check()?;
        Ok(check_placement(p, ctx, &mut seen)?)
    })?;
    let trusted = !walked && props.is_checked_for(ctx);
    let ids = if trusted { None } else { Some(Ids(seen)) };
    Ok((writer::add(writer::varint_size(len)?, len)?, ids))
}

/// Writes a property block: Property Length, then the properties.
pub(crate) fn write_block(props: &Properties<'_>, w: &mut Writer<'_>) -> Result<(), EncodeError> {
    w.varint_len(props.wire_len()?)?;
    props.write(w)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn table_has_27_properties_with_unique_ids() {
        assert_eq!(PropertyId::ALL.len(), 27);
        for (i, a) in PropertyId::ALL.iter().enumerate() {
            assert_eq!(PropertyId::try_from(*a as u8), Ok(*a));
            assert!(PropertyId::ALL[i + 1..].iter().all(|b| b != a));
        }
    }

    #[test]
    fn decode_block_checks_placement_and_repeats() {
        // Properties block: len 5, Topic Alias 1, Topic Alias 2.
        let bytes = [0x06, 0x23, 0x00, 0x01, 0x23, 0x00, 0x02];
        let e = decode_block(&mut Reader::over(&bytes), PropertyContext::Publish).unwrap_err();
        assert_eq!(
            e,
            DecodeError::new(
                DecodeErrorKind::DuplicateProperty(PropertyId::TopicAlias),
                4
            )
        );
        let e = decode_block(&mut Reader::over(&bytes), PropertyContext::Connect).unwrap_err();
        assert_eq!(
            e,
            DecodeError::new(
                DecodeErrorKind::PropertyNotAllowed(PropertyId::TopicAlias),
                1
            )
        );
        // Subscription Identifier repeats in PUBLISH but not in SUBSCRIBE.
        let bytes = [0x04, 0x0B, 0x01, 0x0B, 0x02];
        let p = decode_block(&mut Reader::over(&bytes), PropertyContext::Publish).unwrap();
        assert_eq!(
            p.subscription_identifiers().collect::<std::vec::Vec<_>>(),
            [1, 2]
        );
        let e = decode_block(&mut Reader::over(&bytes), PropertyContext::Subscribe).unwrap_err();
        assert_eq!(
            e.kind(),
            DecodeErrorKind::DuplicateProperty(PropertyId::SubscriptionIdentifier)
        );
    }

    #[test]
    fn block_length_running_past_the_packet() {
        let bytes = [0x05, 0x23, 0x00, 0x01];
        let e = decode_block(&mut Reader::over(&bytes), PropertyContext::Publish).unwrap_err();
        assert_eq!(e, DecodeError::new(DecodeErrorKind::Truncated, 1));
        // Property Length shorter than the property it holds.
        let bytes = [0x02, 0x23, 0x00, 0x01];
        let e = decode_block(&mut Reader::over(&bytes), PropertyContext::Publish).unwrap_err();
        assert_eq!(e.kind(), DecodeErrorKind::Truncated);
    }

    #[test]
    fn every_property_round_trips_through_bytes() {
        let all = [
            Property::PayloadFormatIndicator(true),
            Property::MessageExpiryInterval(7),
            Property::ContentType("text/plain"),
            Property::ResponseTopic("reply/here"),
            Property::CorrelationData(&[1, 2, 3]),
            Property::SubscriptionIdentifier(268_435_455),
            Property::SessionExpiryInterval(u32::MAX),
            Property::AssignedClientIdentifier("auto-1"),
            Property::ServerKeepAlive(30),
            Property::AuthenticationMethod("SCRAM-SHA-1"),
            Property::AuthenticationData(&[0xAA]),
            Property::RequestProblemInformation(false),
            Property::WillDelayInterval(5),
            Property::RequestResponseInformation(true),
            Property::ResponseInformation("resp/"),
            Property::ServerReference("other:1883"),
            Property::ReasonString("why"),
            Property::ReceiveMaximum(10),
            Property::TopicAliasMaximum(0),
            Property::TopicAlias(3),
            Property::MaximumQoS(QoS::AtLeastOnce),
            Property::RetainAvailable(true),
            Property::UserProperty("k", "v"),
            Property::MaximumPacketSize(1024),
            Property::WildcardSubscriptionAvailable(false),
            Property::SubscriptionIdentifierAvailable(true),
            Property::SharedSubscriptionAvailable(true),
        ];
        assert_eq!(all.len(), PropertyId::ALL.len());
        for p in all {
            // The table's wire type is the one `split` (encode) and `read` (decode) use.
            let (id, value) = p.split();
            assert_eq!(id, p.id());
            let kind = match value {
                Value::Byte(_) => WireType::Byte,
                Value::U16(_) => WireType::TwoByteInteger,
                Value::U32(_) => WireType::FourByteInteger,
                Value::VarInt(_) => WireType::VarInt,
                Value::Str(_) => WireType::Utf8String,
                Value::Bin(_) => WireType::BinaryData,
                Value::Pair(..) => WireType::Utf8StringPair,
            };
            assert_eq!(id.wire_type(), kind, "{id:?}");
            let mut buf = [0u8; 64];
            let n = p.wire_len().unwrap();
            let mut w = Writer::new(&mut buf);
            p.write(&mut w).unwrap();
            assert_eq!(w.written(), n);
            let mut r = Reader::over(&buf[..n]);
            assert_eq!(Property::read(&mut r).unwrap(), p);
            assert!(r.is_empty());
        }
    }

    #[test]
    fn out_of_range_values() {
        let cases: [(&[u8], DecodeErrorKind); 8] = [
            (
                &[0x0B, 0x00],
                DecodeErrorKind::InvalidPropertyValue(PropertyId::SubscriptionIdentifier),
            ),
            (
                &[0x21, 0x00, 0x00],
                DecodeErrorKind::InvalidPropertyValue(PropertyId::ReceiveMaximum),
            ),
            (
                &[0x27, 0, 0, 0, 0],
                DecodeErrorKind::InvalidPropertyValue(PropertyId::MaximumPacketSize),
            ),
            (&[0x23, 0x00, 0x00], DecodeErrorKind::ZeroTopicAlias),
            (
                &[0x24, 0x02],
                DecodeErrorKind::InvalidPropertyValue(PropertyId::MaximumQoS),
            ),
            (
                &[0x25, 0x02],
                DecodeErrorKind::InvalidPropertyValue(PropertyId::RetainAvailable),
            ),
            (
                &[0x01, 0x02],
                DecodeErrorKind::InvalidPropertyValue(PropertyId::PayloadFormatIndicator),
            ),
            (
                &[0x08, 0x00, 0x01, b'#'],
                DecodeErrorKind::InvalidPropertyValue(PropertyId::ResponseTopic),
            ),
        ];
        for (bytes, kind) in cases {
            let e = Property::read(&mut Reader::over(bytes)).unwrap_err();
            assert_eq!(e, DecodeError::new(kind, 1), "{bytes:02X?}");
        }
        assert_eq!(
            Property::read(&mut Reader::over(&[0x05, 0x00])).unwrap_err(),
            DecodeError::new(DecodeErrorKind::UnknownProperty, 0)
        );
    }
}
