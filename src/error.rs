//! Error types: [`DecodeError`] (which rule the input broke, and where) and
//! [`EncodeError`] (why a value cannot be written).

use core::fmt;

use crate::properties::PropertyId;
use crate::reason::ReasonCode;

/// A decoding failure: the rule that was broken and the byte offset where it was found.
///
/// The offset counts from the first byte of the slice given to [`decode`](crate::decode)
/// (the packet's first byte). `DecodeError` is `Copy`, two words large, and never allocates.
///
/// # Examples
/// ```
/// use mqtt_wire::{decode, DecodeErrorKind, Version};
/// // PUBLISH with QoS 3 (flags 0b0110): MQTT-3.3.1-4.
/// let err = decode(&[0x36, 0x03, 0x00, 0x01, b'a'], Version::V3_1_1).unwrap_err();
/// assert_eq!(err.kind(), DecodeErrorKind::InvalidQoS);
/// assert_eq!(err.offset(), 0);
/// assert_eq!(err.reason_code(), mqtt_wire::ReasonCode::MalformedPacket);
/// ```
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
#[cfg_attr(feature = "defmt", derive(defmt::Format))]
pub struct DecodeError {
    kind: DecodeErrorKind,
    offset: usize,
}

impl DecodeError {
    /// Makes an error of `kind` found at byte `offset`.
    ///
    /// # Examples
    /// ```
    /// use mqtt_wire::{DecodeError, DecodeErrorKind};
    /// let e = DecodeError::new(DecodeErrorKind::ZeroPacketId, 2);
    /// assert_eq!((e.kind(), e.offset()), (DecodeErrorKind::ZeroPacketId, 2));
    /// ```
    #[must_use]
    pub const fn new(kind: DecodeErrorKind, offset: usize) -> Self {
        Self { kind, offset }
    }

    /// Which rule was broken.
    #[must_use]
    pub const fn kind(&self) -> DecodeErrorKind {
        self.kind
    }

    /// Byte offset, from the start of the decoded slice, where the problem was found.
    #[must_use]
    pub const fn offset(&self) -> usize {
        self.offset
    }

    /// The MQTT 5.0 reason code a receiver should answer with (in a CONNACK or DISCONNECT).
    ///
    /// See [`DecodeErrorKind::reason_code`].
    #[must_use]
    pub const fn reason_code(&self) -> ReasonCode {
        self.kind.reason_code()
    }
}

impl fmt::Display for DecodeError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{} (at byte {})", self.kind, self.offset)
    }
}

impl core::error::Error for DecodeError {}

/// The rule a malformed packet broke.
///
/// Each variant's documentation names the normative statement of the MQTT 3.1.1 or 5.0
/// specification it enforces (where the rule has one) and the section that states it.
#[non_exhaustive]
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
#[cfg_attr(feature = "defmt", derive(defmt::Format))]
pub enum DecodeErrorKind {
    // ---- framing -------------------------------------------------------------------------
    /// Packet type 0, or 15 (AUTH) outside MQTT 5.0: reserved, "Forbidden" (§2.2.1 / §2.1.2).
    InvalidPacketType,
    /// Fixed-header flags other than the ones the packet type prescribes
    /// (`0010` for PUBREL, SUBSCRIBE, UNSUBSCRIBE; `0000` for every non-PUBLISH type).
    /// MQTT-2.2.2-1, MQTT-2.2.2-2 (3.1.1), MQTT-2.1.3-1 (5.0).
    ReservedFlags,
    /// A Variable Byte Integer whose fourth byte still has its continuation bit set
    /// (more than four bytes). §2.2.3 (3.1.1), §1.5.5 (5.0).
    VarIntTooLong,
    /// A Variable Byte Integer not encoded in the minimum number of bytes (e.g. `80 00`).
    /// MQTT-1.5.5-1 (5.0); applied to 3.1 and 3.1.1 too, so that decoding is canonical.
    NonMinimalVarInt,
    /// The whole packet would be larger than the caller's maximum packet size.
    /// Answered with 0x95 Packet Too Large (MQTT 5.0 §3.2.2.3.6, MQTT-3.1.2-24).
    PacketTooLarge,
    /// A field runs past the end of the packet (or of its property block) as given by its
    /// Remaining Length (or Property Length). §2.2.3 (3.1.1), §1.5.5 / §2.1.4 (5.0).
    Truncated,
    /// Bytes are left over after the last field of a packet or of a length-prefixed block.
    /// The Remaining Length must be exactly the size of the variable header and payload.
    TrailingBytes,
    /// The Remaining Length has a value this packet type can never have in the connection's
    /// version (for example a non-zero length for PINGREQ, anything but 2 for a 3.1.1
    /// PUBACK, a SUBSCRIBE too short for one filter): refused by [`frame`](crate::frame) as
    /// soon as the fixed header is read, at offset 1. §3.x.1, and the size rules of each
    /// packet's fields (e.g. MQTT-3.8.3-3, MQTT-3.10.3-2, MQTT-4.7.3-1).
    InvalidRemainingLength,

    // ---- data types ----------------------------------------------------------------------
    /// A UTF-8 Encoded String that is not well-formed UTF-8 (this includes encoded surrogates
    /// U+D800..U+DFFF and overlong forms). MQTT-1.5.3-1 (3.1.1), MQTT-1.5.4-1 (5.0).
    InvalidUtf8,
    /// A UTF-8 Encoded String containing U+0000. MQTT-1.5.3-2 (3.1.1), MQTT-1.5.4-2 (5.0).
    NullCharacter,
    /// A control character (U+0001..U+001F, U+007F..U+009F) or a Unicode non-character in a
    /// string, rejected only under [`Utf8Policy::Strict`](crate::Utf8Policy::Strict).
    /// The spec says a receiver MAY treat these as malformed (§1.5.3 / §1.5.4).
    DisallowedCodePoint,

    // ---- CONNECT -------------------------------------------------------------------------
    /// The protocol name is not `MQTT` (3.1.1, 5.0) or `MQIsdp` (3.1). MQTT-3.1.2-1.
    InvalidProtocolName,
    /// The protocol level does not belong to the protocol name (`MQIsdp` needs 3, `MQTT` needs
    /// 4 or 5). A server answers with return code 0x01 / reason code 0x84. MQTT-3.1.2-2.
    UnsupportedProtocolLevel,
    /// CONNECT flag bit 0 (reserved) is set. MQTT-3.1.2-3.
    ConnectReservedFlag,
    /// Will QoS is not 0 while the Will Flag is 0. MQTT-3.1.2-13 (3.1.1), MQTT-3.1.2-11 (5.0).
    WillQoSWithoutWill,
    /// Will Retain is 1 while the Will Flag is 0. MQTT-3.1.2-15 (3.1.1), MQTT-3.1.2-13 (5.0).
    WillRetainWithoutWill,
    /// Will QoS is 3. MQTT-3.1.2-14 (3.1.1), MQTT-3.1.2-12 (5.0).
    InvalidWillQoS,
    /// The Password Flag is set without the User Name Flag (3.1 and 3.1.1 only; 5.0 allows it).
    /// MQTT-3.1.2-22.
    PasswordWithoutUsername,
    /// A zero-length Client Identifier with Clean Session 0 (3.1.1). MQTT-3.1.3-7.
    EmptyClientIdWithoutCleanSession,

    // ---- CONNACK -------------------------------------------------------------------------
    /// Connect Acknowledge Flags bits 7-1 are not 0 (3.1.1 §3.2.2.1; MQTT-3.2.2-1 in 5.0).
    /// In 3.1 the whole byte is reserved.
    ConnAckReservedFlags,
    /// A 3.x CONNACK return code above 5 ("Reserved for future use", §3.2.2.3).
    InvalidConnectReturnCode,
    /// Session Present is 1 in a CONNACK that refuses the connection.
    /// MQTT-3.2.2-4 (3.1.1), MQTT-3.2.2-6 (5.0).
    SessionPresentWithRefusal,

    // ---- PUBLISH and packet identifiers --------------------------------------------------
    /// PUBLISH with QoS 3 (both QoS bits set). MQTT-3.3.1-4.
    InvalidQoS,
    /// PUBLISH with QoS 0 and the DUP flag set. MQTT-3.3.1-2.
    DupWithQoS0,
    /// A Packet Identifier of 0. MQTT-2.3.1-1 (3.1.1), MQTT-2.2.1-3 (5.0).
    ZeroPacketId,
    /// A topic name contains a wildcard (`+` or `#`). MQTT-3.3.2-2 (and MQTT-3.3.2-14 for
    /// the Response Topic property).
    WildcardInTopicName,
    /// A zero-length topic name or topic filter. MQTT-4.7.3-1. (In 5.0 an empty PUBLISH topic
    /// is allowed together with a Topic Alias; see [`TopicAliasRequired`](Self::TopicAliasRequired).)
    EmptyTopic,
    /// A topic filter with `#` not alone as the last level, or `+` not alone in its level,
    /// or a malformed `$share/{ShareName}/{filter}`. MQTT-4.7.1-2 and -3 (3.1.1), MQTT-4.7.1-1 and -2 and MQTT-4.8.2-1/2 (5.0).
    InvalidTopicFilter,
    /// A 5.0 PUBLISH with an empty topic name and no Topic Alias property (§3.3.2.1).
    TopicAliasRequired,
    /// A topic name or filter longer than 65,535 bytes, which no packet can carry
    /// (MQTT-4.7.3-3). Only [`topic::check_name`](crate::topic::check_name),
    /// [`topic::check_filter`](crate::topic::check_filter) and the validated topic types
    /// report it (a decoded string is never longer); encoding such a topic is
    /// [`EncodeError::FieldTooLong`], like any other over-long string.
    TopicTooLong,

    // ---- SUBSCRIBE / SUBACK / UNSUBSCRIBE ------------------------------------------------
    /// A SUBSCRIBE or UNSUBSCRIBE without any topic filter. MQTT-3.8.3-3 (3.1.1),
    /// MQTT-3.10.3-2 (3.1.1), MQTT-3.8.3-2 / MQTT-3.10.3-2 (5.0).
    NoTopicFilters,
    /// Requested QoS (subscription Maximum QoS) is 3. MQTT-3.8.3-4 (3.1.1, malformed),
    /// §3.8.3.1 (5.0, where the spec classes it as a Protocol Error, 0x82).
    InvalidRequestedQoS,
    /// Reserved bits of the subscription options byte are set: bits 7-2 in 3.1/3.1.1
    /// (MQTT-3.8.3-4), bits 7-6 in 5.0 (MQTT-3.8.3-5).
    ReservedSubscriptionBits,
    /// Retain Handling is 3 (5.0 §3.8.3.1).
    InvalidRetainHandling,
    /// No Local set on a shared subscription (`$share/...`). MQTT-3.8.3-4 (5.0).
    NoLocalOnSharedSubscription,
    /// A SUBACK with no return/reason code (the payload must hold one per filter,
    /// MQTT-3.9.3-1), or an UNSUBACK 5.0 with no reason code (MQTT-3.11.3-1).
    NoReasonCodes,
    /// A SUBACK return code other than 0x00, 0x01, 0x02, 0x80 (3.1.1: MQTT-3.9.3-2;
    /// 3.1 allows only 0x00-0x02).
    InvalidSubAckReturnCode,

    // ---- MQTT 5.0 properties and reason codes --------------------------------------------
    /// A property identifier the specification does not define (§2.2.2.2).
    UnknownProperty,
    /// A known property in a packet (or in Will Properties) that may not carry it (§2.2.2.2).
    PropertyNotAllowed(PropertyId),
    /// A property repeated where the specification allows it only once (each property's own
    /// subsection, e.g. §3.1.2.11.2: "It is a Protocol Error to include ... more than once").
    DuplicateProperty(PropertyId),
    /// A property value outside its range: 0 for Subscription Identifier, Receive Maximum,
    /// Maximum Packet Size; a byte that must be 0 or 1; Maximum QoS above 1; Payload Format
    /// Indicator above 1 (policy, as mosquitto); a wildcard in Response Topic (MQTT-3.3.2-14).
    InvalidPropertyValue(PropertyId),
    /// Topic Alias property with value 0. MQTT-3.3.2-8; a receiver answers 0x94.
    ZeroTopicAlias,
    /// Authentication Data without Authentication Method in CONNECT (§3.1.2.11.10).
    AuthDataWithoutMethod,
    /// An AUTH packet without Authentication Method (§3.15.2.2.2) whose content is not
    /// "reason 0x00 Success, no properties" (the content of the Remaining Length 0 form that
    /// §3.15.2.1 allows, accepted in either form; see the README's policies).
    AuthMethodMissing,
    /// A reason code the packet type may not carry. MQTT-3.2.2-8, MQTT-3.4.2-1,
    /// MQTT-3.5.2-1, MQTT-3.6.2-1, MQTT-3.7.2-1, MQTT-3.9.3-2, MQTT-3.11.3-2, MQTT-3.14.2-1,
    /// MQTT-3.15.2-1. Carries the byte that was found.
    InvalidReasonCode(u8),

    // ---- direction: checked only when the receiver's role is known ---------------------
    /// A packet type that only the receiving side itself may send, refused at its first
    /// byte (offset 0) when [`DecodeOptions::receiver`](crate::DecodeOptions::receiver)
    /// names the receiver: a server receiving CONNACK, SUBACK, UNSUBACK or PINGRESP; a
    /// client receiving CONNECT, SUBSCRIBE, UNSUBSCRIBE or PINGREQ, or, under 3.1 and 3.1.1,
    /// DISCONNECT (sent from client to server only). The "Direction of flow" column of
    /// MQTT 3.1.1 §2.2.1 Table 2.1 and MQTT 5.0 §2.1.2 Table 2-1; see [`Role::sends`](crate::Role::sends).
    WrongDirection,
    /// A property the sender's side must not send, with a known receiver: a Subscription
    /// Identifier in a PUBLISH from a client (MQTT-3.3.4-6), a Session Expiry Interval in a
    /// DISCONNECT from the server (MQTT-3.14.2-2). Offset: the property's identifier byte.
    PropertyWrongDirection(PropertyId),
    /// A reason code the sender's side may not use, with a known receiver: in a DISCONNECT,
    /// 0x04 from a server, or a server-only code (0x87, 0x89, 0x8B .. 0x8F, 0x9A .. 0xA2)
    /// from a client (the "Sent by" column of MQTT 5.0 §3.14.2.1 Table 3-10, MQTT-3.14.2-1);
    /// in an AUTH, 0x19 Re-authenticate from a server (§3.15.2.1 Table 3-13, MQTT-3.15.2-1).
    /// Carries the byte that was found. See [`ReasonCode::sent_by`](crate::ReasonCode::sent_by).
    ReasonCodeWrongDirection(u8),

    // ---- diagnoses: common mistakes named after the fact (see `decode`'s docs) ----------
    /// The bytes are a TLS record, not MQTT: the first byte is a TLS content type
    /// (0x14..=0x17, 0x16 for the ClientHello that opens a handshake) and the second is the
    /// TLS major version 0x03. A TLS client reached a plain MQTT port, or a plain client a
    /// TLS port. Such a first byte is malformed MQTT anyway (CONNECT with flags other than
    /// 0000, MQTT-2.2.2-1); the diagnosis needs both bytes, with only the first the error
    /// stays [`ReservedFlags`](Self::ReservedFlags).
    TlsOnPlainPort,
    /// The bytes are HTTP, not MQTT: a request line (`GET `, `POST `, `PUT `, `HEAD `,
    /// `DELETE `, `OPTIONS `, `CONNECT `, `PATCH `, `TRACE `, `PRI `, e.g. a WebSocket
    /// upgrade sent to a raw MQTT port) or a response (`HTTP/`). Named only once decoding has
    /// failed and the whole method token and its space have arrived.
    HttpOnMqttPort,
    /// The packet breaks the rules of the connection's protocol version but fits the
    /// version carried (for example a 5.0 PUBACK with a reason code, a 5.0 DISCONNECT, or an
    /// AUTH on a 3.1.1 connection, or a 3.1.1 CONNACK on a 5.0 connection): the peers
    /// probably disagree on the version. Named from the fixed header alone for a type-15
    /// (AUTH) header byte under 3.x (offset 0) and for a Remaining Length the type can have
    /// only in the other version (offset 1, see [`frame`](crate::frame)); otherwise when the
    /// body decodes in the other version, at the offset where decoding in the connection's
    /// version failed. Answered like the rule it replaces: 0x81 Malformed Packet.
    WrongProtocolVersion(crate::types::Version),
    /// The CONNECT protocol name is nearly `MQTT` or `MQIsdp` (another letter case, or one
    /// letter added, dropped, changed or swapped), e.g. `mqtt`, `MQIsdP`, `MQTTT`. The name
    /// is case-sensitive (MQTT-3.1.2-1). Carries the version the name was probably meant to
    /// be (`MQIsdp`-like: 3.1; `MQTT`-like: 5.0 with protocol level 5, 3.1.1 otherwise).
    MisspelledProtocolName(crate::types::Version),
}

impl DecodeErrorKind {
    /// The MQTT 5.0 reason code a receiver should send back (in a CONNACK before the
    /// connection is accepted, in a DISCONNECT after) when it meets this error:
    /// 0x95 Packet Too Large, 0x84 Unsupported Protocol Version, 0x94 Topic Alias invalid,
    /// 0x82 Protocol Error for rules the spec calls a Protocol Error, and 0x81 Malformed Packet
    /// for everything else.
    ///
    /// # Examples
    /// ```
    /// use mqtt_wire::{DecodeErrorKind, ReasonCode, PropertyId};
    /// assert_eq!(DecodeErrorKind::PacketTooLarge.reason_code(), ReasonCode::PacketTooLarge);
    /// assert_eq!(
    ///     DecodeErrorKind::DuplicateProperty(PropertyId::TopicAlias).reason_code(),
    ///     ReasonCode::ProtocolError
    /// );
    /// assert_eq!(DecodeErrorKind::Truncated.reason_code(), ReasonCode::MalformedPacket);
    /// ```
    #[must_use]
    pub const fn reason_code(self) -> ReasonCode {
        use DecodeErrorKind as K;
        match self {
            K::PacketTooLarge => ReasonCode::PacketTooLarge,
            K::UnsupportedProtocolLevel | K::InvalidProtocolName | K::MisspelledProtocolName(_) => {
                ReasonCode::UnsupportedProtocolVersion
            }
            K::ZeroTopicAlias => ReasonCode::TopicAliasInvalid,
            // MQTT-3.1.3-8: the server answers CONNACK 0x02 (3.1.1) / 0x85 (5.0).
            K::EmptyClientIdWithoutCleanSession => ReasonCode::ClientIdentifierNotValid,
            K::DuplicateProperty(_)
            | K::InvalidPropertyValue(_)
            | K::AuthDataWithoutMethod
            | K::AuthMethodMissing
            | K::TopicAliasRequired
            | K::InvalidRetainHandling
            | K::InvalidRequestedQoS
            | K::NoLocalOnSharedSubscription
            | K::InvalidReasonCode(_)
            | K::WrongDirection
            | K::PropertyWrongDirection(_)
            | K::ReasonCodeWrongDirection(_)
            | K::NoTopicFilters
            | K::ZeroPacketId => ReasonCode::ProtocolError,
            _ => ReasonCode::MalformedPacket,
        }
    }

    /// Whether the spec classes this as a Malformed Packet (as opposed to a Protocol Error
    /// or a limit): true exactly when [`reason_code`](Self::reason_code) is 0x81.
    #[must_use]
    pub const fn is_malformed(self) -> bool {
        matches!(self.reason_code(), ReasonCode::MalformedPacket)
    }

    /// A one-line, human-readable description of the rule.
    #[must_use]
    pub const fn message(self) -> &'static str {
        use DecodeErrorKind as K;
        match self {
            K::InvalidPacketType => "reserved packet type (0, or 15 before MQTT 5.0)",
            K::ReservedFlags => "fixed header flags are not the ones this packet type requires",
            K::VarIntTooLong => "variable byte integer longer than 4 bytes",
            K::NonMinimalVarInt => "variable byte integer not encoded in the fewest bytes",
            K::PacketTooLarge => "packet is larger than the maximum packet size",
            K::Truncated => "a field runs past the end of the packet or block",
            K::TrailingBytes => "unexpected bytes after the last field",
            K::InvalidRemainingLength => "remaining length is impossible for this packet type",
            K::InvalidUtf8 => "string is not well-formed UTF-8",
            K::NullCharacter => "string contains U+0000",
            K::DisallowedCodePoint => "string contains a control character or non-character",
            K::InvalidProtocolName => "protocol name is neither \"MQTT\" nor \"MQIsdp\"",
            K::UnsupportedProtocolLevel => "protocol level does not match the protocol name",
            K::ConnectReservedFlag => "CONNECT reserved flag (bit 0) is set",
            K::WillQoSWithoutWill => "will QoS is set but the will flag is not",
            K::WillRetainWithoutWill => "will retain is set but the will flag is not",
            K::InvalidWillQoS => "will QoS is 3",
            K::PasswordWithoutUsername => "password flag set without user name flag",
            K::EmptyClientIdWithoutCleanSession => "empty client id requires clean session",
            K::ConnAckReservedFlags => "CONNACK acknowledge flags have reserved bits set",
            K::InvalidConnectReturnCode => "CONNACK return code above 5",
            K::SessionPresentWithRefusal => "session present set in a refusing CONNACK",
            K::InvalidQoS => "PUBLISH QoS is 3",
            K::DupWithQoS0 => "PUBLISH DUP flag set with QoS 0",
            K::ZeroPacketId => "packet identifier is 0",
            K::WildcardInTopicName => "topic name contains a wildcard (+ or #)",
            K::EmptyTopic => "topic is empty",
            K::InvalidTopicFilter => "topic filter has a misplaced wildcard or bad $share form",
            K::TopicAliasRequired => "empty topic name without a topic alias",
            K::TopicTooLong => "topic name or filter longer than 65535 bytes",
            K::NoTopicFilters => "SUBSCRIBE or UNSUBSCRIBE without a topic filter",
            K::InvalidRequestedQoS => "requested QoS is 3",
            K::ReservedSubscriptionBits => "subscription options have reserved bits set",
            K::InvalidRetainHandling => "retain handling is 3",
            K::NoLocalOnSharedSubscription => "no local set on a shared subscription",
            K::NoReasonCodes => "acknowledgement carries no return or reason code",
            K::InvalidSubAckReturnCode => "SUBACK return code is not 0, 1, 2 or 0x80",
            K::UnknownProperty => "unknown property identifier",
            K::PropertyNotAllowed(_) => "property not allowed in this packet",
            K::DuplicateProperty(_) => "property appears more than once",
            K::InvalidPropertyValue(_) => "property value out of range",
            K::ZeroTopicAlias => "topic alias is 0",
            K::AuthDataWithoutMethod => "authentication data without authentication method",
            K::AuthMethodMissing => "AUTH without authentication method",
            K::InvalidReasonCode(_) => "reason code not allowed in this packet",
            K::WrongDirection => "packet type the receiving side never receives",
            K::PropertyWrongDirection(_) => "property the sending side must not send",
            K::ReasonCodeWrongDirection(_) => "reason code the sending side must not use",
            K::TlsOnPlainPort => {
                "TLS handshake on a plain MQTT connection: the peer speaks TLS \
                 (connect to the TLS port, or enable TLS on this one)"
            }
            K::HttpOnMqttPort => {
                "HTTP on a raw MQTT connection: the peer speaks HTTP or WebSocket \
                 (use the broker's WebSocket port, or a raw MQTT client)"
            }
            K::WrongProtocolVersion(_) => {
                "packet is invalid in this connection's protocol version \
                 but fits another: the peers probably disagree on the version"
            }
            K::MisspelledProtocolName(_) => {
                "protocol name is a misspelling of \"MQTT\" or \"MQIsdp\" (it is case-sensitive)"
            }
        }
    }
}

impl fmt::Display for DecodeErrorKind {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.message())?;
        match self {
            Self::PropertyNotAllowed(p)
            | Self::DuplicateProperty(p)
            | Self::InvalidPropertyValue(p)
            | Self::PropertyWrongDirection(p) => {
                write!(f, ": {p:?} (0x{:02X})", *p as u8)
            }
            Self::InvalidReasonCode(c) | Self::ReasonCodeWrongDirection(c) => {
                write!(f, ": 0x{c:02X}")
            }
            Self::WrongProtocolVersion(v) => write!(f, " (it fits MQTT {v})"),
            Self::MisspelledProtocolName(v) => {
                write!(f, " (expected \"{}\" for MQTT {v})", v.protocol_name())
            }
            _ => Ok(()),
        }
    }
}

/// Why a packet value could not be encoded. Nothing is written when this is returned.
#[non_exhaustive]
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
#[cfg_attr(feature = "defmt", derive(defmt::Format))]
pub enum EncodeError {
    /// The output buffer is shorter than the encoded packet; `needed` is the full length.
    BufferTooSmall {
        /// The packet's full encoded length.
        needed: usize,
    },
    /// A string or binary field is longer than 65,535 bytes (§1.5.3 / §1.5.6).
    FieldTooLong,
    /// The Remaining Length (or a Property Length) exceeds 268,435,455 (§2.2.3 / §1.5.5).
    PacketTooLarge,
    /// The value uses a part that this protocol version does not have; the [`Field`] says
    /// which.
    ///
    /// ```
    /// use mqtt_wire::{Auth, EncodeError, Field, Packet, Version};
    /// let e = Packet::Auth(Auth::new()).encoded_len(Version::V3_1_1).unwrap_err();
    /// assert_eq!(e, EncodeError::NotInVersion(Field::Auth));
    /// assert_eq!(e.to_string(), "this protocol version cannot carry the AUTH packet");
    /// ```
    NotInVersion(Field),
    /// A CONNECT whose own `version` differs from the version asked for.
    VersionMismatch,
    /// A PUBLISH whose packet identifier does not fit its QoS (QoS 0 must have none,
    /// QoS 1 and 2 must have one; MQTT-2.3.1-5 / MQTT-2.2.1-2).
    PacketIdMismatch,
    /// The value breaks a rule that the decoder enforces; it would not decode.
    Invalid(DecodeErrorKind),
}

impl fmt::Display for EncodeError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Self::BufferTooSmall { needed } => {
                write!(f, "output buffer too small: {needed} bytes needed")
            }
            Self::FieldTooLong => f.write_str("string or binary field longer than 65535 bytes"),
            Self::PacketTooLarge => f.write_str("packet longer than 268435455 bytes"),
            Self::NotInVersion(field) => {
                write!(f, "this protocol version cannot carry {}", field.name())
            }
            Self::VersionMismatch => f.write_str("CONNECT version differs from the one requested"),
            Self::PacketIdMismatch => f.write_str("PUBLISH packet identifier does not fit its QoS"),
            Self::Invalid(kind) => write!(f, "invalid packet: {kind}"),
        }
    }
}

impl core::error::Error for EncodeError {}

/// The part of a packet that a protocol version lacks ([`EncodeError::NotInVersion`]).
#[non_exhaustive]
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
#[cfg_attr(feature = "defmt", derive(defmt::Format))]
pub enum Field {
    /// Properties (5.0 only).
    Properties,
    /// A reason or return code that the version does not have (3.x acknowledgements carry
    /// none, CONNACK only its six return codes, SUBACK only 0, 1, 2 and 0x80).
    ReasonCode,
    /// A [`TailForm`](crate::TailForm) other than the shortest (5.0 only).
    TailForm,
    /// Session Present in a CONNACK (3.1.1 and 5.0 only).
    SessionPresent,
    /// DUP on a PUBREL, SUBSCRIBE or UNSUBSCRIBE (3.1 only).
    Dup,
    /// Subscription options other than the QoS (5.0 only).
    SubscriptionOptions,
    /// The AUTH packet (5.0 only).
    Auth,
    /// The bridge bit of a CONNECT (3.1 and 3.1.1 only).
    Bridge,
}

impl Field {
    /// The field as the error message names it.
    #[must_use]
    pub const fn name(self) -> &'static str {
        match self {
            Self::Properties => "properties",
            Self::ReasonCode => "this reason code",
            Self::TailForm => "an explicit reason code or property length",
            Self::SessionPresent => "the Session Present flag",
            Self::Dup => "the DUP flag on this packet",
            Self::SubscriptionOptions => "subscription options",
            Self::Auth => "the AUTH packet",
            Self::Bridge => "the bridge bit",
        }
    }
}

impl fmt::Display for Field {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.name())
    }
}

impl From<DecodeErrorKind> for EncodeError {
    /// `Invalid(kind)`; a too-long topic is [`FieldTooLong`](Self::FieldTooLong), the error
    /// every other over-long string gives.
    fn from(kind: DecodeErrorKind) -> Self {
        match kind {
            DecodeErrorKind::TopicTooLong => Self::FieldTooLong,
            kind => Self::Invalid(kind),
        }
    }
}
