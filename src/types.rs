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
