//! Small value types shared by every packet: protocol version, QoS, packet identifier.

use core::fmt;
use core::num::NonZeroU16;

/// The MQTT protocol version of a connection, set by its CONNECT packet.
///
/// # Examples
/// ```
/// use mqtt_wire::Version;
/// assert_eq!(Version::V3_1_1.level(), 4);
/// assert_eq!(Version::V3_1.protocol_name(), "MQIsdp");
/// assert_eq!(Version::from_level(5), Some(Version::V5));
/// ```
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
#[cfg_attr(feature = "defmt", derive(defmt::Format))]
#[cfg_attr(feature = "arbitrary", derive(arbitrary::Arbitrary))]
pub enum Version {
    /// MQTT 3.1: protocol name `MQIsdp`, level 3.
    V3_1,
    /// MQTT 3.1.1: protocol name `MQTT`, level 4.
    V3_1_1,
    /// MQTT 5.0: protocol name `MQTT`, level 5.
    V5,
}

impl Version {
    /// Every version, oldest first.
    pub const ALL: [Self; 3] = [Self::V3_1, Self::V3_1_1, Self::V5];

    /// The protocol level byte of CONNECT (3, 4 or 5).
    #[must_use]
    pub const fn level(self) -> u8 {
        match self {
            Self::V3_1 => 3,
            Self::V3_1_1 => 4,
            Self::V5 => 5,
        }
    }

    /// The version with this protocol level, if any.
    #[must_use]
    pub const fn from_level(level: u8) -> Option<Self> {
        match level {
            3 => Some(Self::V3_1),
            4 => Some(Self::V3_1_1),
            5 => Some(Self::V5),
            _ => None,
        }
    }

    /// The protocol name CONNECT carries: `MQIsdp` for 3.1, `MQTT` otherwise.
    #[must_use]
    pub const fn protocol_name(self) -> &'static str {
        match self {
            Self::V3_1 => "MQIsdp",
            _ => "MQTT",
        }
    }

    /// Whether this is MQTT 5.0 (properties, reason codes, AUTH).
    #[must_use]
    pub const fn is_v5(self) -> bool {
        matches!(self, Self::V5)
    }
}

impl fmt::Display for Version {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(match self {
            Self::V3_1 => "3.1",
            Self::V3_1_1 => "3.1.1",
            Self::V5 => "5.0",
        })
    }
}

/// Quality of Service level (§4.3).
///
/// # Examples
/// ```
/// use mqtt_wire::QoS;
/// assert_eq!(QoS::try_from(1), Ok(QoS::AtLeastOnce));
/// assert!(QoS::try_from(3).is_err());
/// assert_eq!(u8::from(QoS::ExactlyOnce), 2);
/// ```
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Default)]
#[cfg_attr(feature = "defmt", derive(defmt::Format))]
#[repr(u8)]
#[cfg_attr(feature = "arbitrary", derive(arbitrary::Arbitrary))]
pub enum QoS {
    /// QoS 0: at most once.
    #[default]
    AtMostOnce = 0,
    /// QoS 1: at least once.
    AtLeastOnce = 1,
    /// QoS 2: exactly once.
    ExactlyOnce = 2,
}

impl TryFrom<u8> for QoS {
    type Error = u8;

    /// Converts 0, 1, 2; any other value is given back as the error.
    fn try_from(v: u8) -> Result<Self, u8> {
        match v {
            0 => Ok(Self::AtMostOnce),
            1 => Ok(Self::AtLeastOnce),
            2 => Ok(Self::ExactlyOnce),
            other => Err(other),
        }
    }
}

impl QoS {
    /// The SUBACK reason code granting this QoS: 0x00, 0x01 or 0x02 (the 3.x return codes
    /// are the same bytes).
    ///
    /// # Examples
    /// ```
    /// use mqtt_wire::{QoS, ReasonCode};
    /// assert_eq!(QoS::AtLeastOnce.granted(), ReasonCode::GrantedQoS1);
    /// assert_eq!(ReasonCode::from(QoS::AtMostOnce), ReasonCode::Success);
    /// ```
    #[must_use]
    pub const fn granted(self) -> crate::ReasonCode {
        match self {
            Self::AtMostOnce => crate::ReasonCode::Success,
            Self::AtLeastOnce => crate::ReasonCode::GrantedQoS1,
            Self::ExactlyOnce => crate::ReasonCode::GrantedQoS2,
        }
    }
}

impl From<QoS> for crate::ReasonCode {
    fn from(q: QoS) -> Self {
        q.granted()
    }
}

impl From<QoS> for u8 {
    fn from(q: QoS) -> u8 {
        q as u8
    }
}

/// A Packet Identifier: a non-zero 16-bit number (MQTT-2.3.1-1 / MQTT-2.2.1-3).
///
/// # Examples
/// ```
/// use mqtt_wire::PacketId;
/// assert_eq!(PacketId::new(10).map(PacketId::get), Some(10));
/// assert_eq!(PacketId::new(0), None);
/// ```
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
#[cfg_attr(feature = "defmt", derive(defmt::Format))]
#[cfg_attr(feature = "arbitrary", derive(arbitrary::Arbitrary))]
pub struct PacketId(NonZeroU16);

impl PacketId {
    /// The identifier `id`, or `None` for 0.
    #[must_use]
    pub const fn new(id: u16) -> Option<Self> {
        match NonZeroU16::new(id) {
            Some(n) => Some(Self(n)),
            None => None,
        }
    }

    /// The identifier `ID`, checked at compile time: `PacketId::new_const::<7>()` is a
    /// `PacketId` without an `Option` to unwrap, and `PacketId::new_const::<0>()` does not
    /// compile (the check runs in a `const` block, so it can never fail at run time).
    ///
    /// # Examples
    /// ```
    /// use mqtt_wire::PacketId;
    /// const FIRST: PacketId = PacketId::new_const::<1>();
    /// assert_eq!(FIRST.get(), 1);
    /// assert_eq!(PacketId::new_const::<7>(), PacketId::new(7).unwrap());
    /// ```
    ///
    /// Zero is refused by the compiler:
    /// ```compile_fail
    /// let id = mqtt_wire::PacketId::new_const::<0>();
    /// ```
    #[must_use]
    pub const fn new_const<const ID: u16>() -> Self {
        const {
            match NonZeroU16::new(ID) {
                Some(n) => Self(n),
                // A compile-time error (const evaluation), never a run-time panic.
                #[allow(clippy::panic)]
                None => panic!("a packet identifier must not be 0 (MQTT-2.3.1-1)"),
            }
        }
    }

    /// The identifier as a number.
    #[must_use]
    pub const fn get(self) -> u16 {
        self.0.get()
    }
}

impl From<NonZeroU16> for PacketId {
    fn from(n: NonZeroU16) -> Self {
        Self(n)
    }
}

impl fmt::Display for PacketId {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        fmt::Display::fmt(&self.0, f)
    }
}

/// A side of an MQTT connection: the client, or the server (the broker).
///
/// Set with [`DecodeOptions::receiver`](crate::DecodeOptions::receiver), it tells the
/// decoder who is receiving, so that the rules that depend on the direction of a packet
/// are enforced too: packet types only the receiver's own side sends (a server never
/// receives CONNACK; a client never receives CONNECT), properties and reason codes only the
/// other side may use (MQTT-3.3.4-6, MQTT-3.14.2-2). [`decode_as`](crate::decode_as) fixes
/// the role at compile time ([`ClientSide`], [`ServerSide`]), so that a firmware links only
/// the decoders of the packets it can receive.
///
/// # Examples
/// ```
/// use mqtt_wire::{decode_with, DecodeErrorKind, DecodeOptions, PacketType, Role, Version};
/// assert!(Role::Client.sends(PacketType::Subscribe, Version::V5));
/// assert!(!Role::Server.sends(PacketType::Subscribe, Version::V5));
/// // DISCONNECT goes both ways in 5.0, from client to server only in 3.1.1.
/// assert!(Role::Server.sends(PacketType::Disconnect, Version::V5));
/// assert!(!Role::Server.sends(PacketType::Disconnect, Version::V3_1_1));
///
/// // A client that receives a SUBSCRIBE: refused at its first byte.
/// let as_client = DecodeOptions::new().receiver(Role::Client);
/// let subscribe = [0x82, 0x06, 0x00, 0x01, 0x00, 0x01, b'a', 0x00];
/// let e = decode_with(&subscribe, Version::V3_1_1, &as_client).unwrap_err();
/// assert_eq!((e.kind(), e.offset()), (DecodeErrorKind::WrongDirection, 0));
/// assert_eq!(Role::Client.peer(), Role::Server);
/// ```
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
#[cfg_attr(feature = "defmt", derive(defmt::Format))]
#[cfg_attr(feature = "arbitrary", derive(arbitrary::Arbitrary))]
pub enum Role {
    /// The client: sends CONNECT, SUBSCRIBE, UNSUBSCRIBE, PINGREQ; receives CONNACK, SUBACK,
    /// UNSUBACK, PINGRESP.
    Client,
    /// The server: sends CONNACK, SUBACK, UNSUBACK, PINGRESP; receives CONNECT, SUBSCRIBE,
    /// UNSUBSCRIBE, PINGREQ.
    Server,
}

/// Bit `n` set for packet type number `n` (1 CONNECT .. 15 AUTH).
const fn types(list: &[u8]) -> u16 {
    let mut mask = 0u16;
    let mut rest = list;
    while let [n, tail @ ..] = rest {
        mask |= 1 << (*n & 15);
        rest = tail;
    }
    mask
}

/// Packet types either side sends: PUBLISH, PUBACK, PUBREC, PUBREL, PUBCOMP (5.0 adds AUTH
/// and DISCONNECT, see [`Role::sent_mask`]).
const BOTH: u16 = types(&[3, 4, 5, 6, 7]);

impl Role {
    /// The other side of the connection.
    #[must_use]
    pub const fn peer(self) -> Self {
        match self {
            Self::Client => Self::Server,
            Self::Server => Self::Client,
        }
    }

    /// Whether this side may send packets of `packet_type` on a connection of `version`:
    /// the "Direction of flow" column of MQTT 3.1.1 §2.2.1 Table 2.1 (3.1: §2, the same
    /// directions) and MQTT 5.0 §2.1.2 Table 2-1. AUTH exists only in 5.0; DISCONNECT goes
    /// from client to server only before 5.0.
    #[must_use]
    pub const fn sends(self, packet_type: crate::PacketType, version: Version) -> bool {
        self.sent_mask(version) & (1 << (packet_type as u8)) != 0
    }

    /// [`sends`](Self::sends) for every packet type at once: bit `n` for type number `n`.
    pub(crate) const fn sent_mask(self, version: Version) -> u16 {
        // CONNECT 1, SUBSCRIBE 8, UNSUBSCRIBE 10, PINGREQ 12, DISCONNECT 14, AUTH 15;
        // CONNACK 2, SUBACK 9, UNSUBACK 11, PINGRESP 13.
        match (self, version.is_v5()) {
            (Self::Client, false) => BOTH | types(&[1, 8, 10, 12, 14]),
            (Self::Client, true) => BOTH | types(&[1, 8, 10, 12, 14, 15]),
            (Self::Server, false) => BOTH | types(&[2, 9, 11, 13]),
            (Self::Server, true) => BOTH | types(&[2, 9, 11, 13, 14, 15]),
        }
    }
}

impl fmt::Display for Role {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(match self {
            Self::Client => "client",
            Self::Server => "server",
        })
    }
}

/// A [`Role`] as a type, for [`decode_as`](crate::decode_as): [`ClientSide`] or
/// [`ServerSide`]. Sealed: implemented by those two only.
pub trait Side: sealed::Sealed {
    /// The role.
    const ROLE: Role;
}

mod sealed {
    pub trait Sealed {}
    impl Sealed for super::ClientSide {}
    impl Sealed for super::ServerSide {}
}

/// The client as a [`Side`]: `decode_as::<ClientSide>` decodes what a client receives.
///
/// # Examples
/// ```
/// use mqtt_wire::{ClientSide, Role, Side};
/// assert_eq!(ClientSide::ROLE, Role::Client);
/// ```
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Default)]
pub struct ClientSide;

/// The server as a [`Side`]: `decode_as::<ServerSide>` decodes what a server receives.
///
/// # Examples
/// ```
/// use mqtt_wire::{Role, ServerSide, Side};
/// assert_eq!(ServerSide::ROLE, Role::Server);
/// ```
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Default)]
pub struct ServerSide;

impl Side for ClientSide {
    const ROLE: Role = Role::Client;
}

impl Side for ServerSide {
    const ROLE: Role = Role::Server;
}
