//! MQTT 5.0 reason codes (§2.4, Table 2-6) and the set each packet type may carry.
//!
//! MQTT 3.1/3.1.1 CONNACK return codes and SUBACK return codes map onto the same enum:
//! SUBACK's 0x00/0x01/0x02/0x80 are the same bytes, and the six CONNACK return codes map to
//! the 5.0 codes with the same meaning ([`ReasonCode::from_v3_connack`]).

use core::fmt;

use crate::header::PacketType;

macro_rules! reason_codes {
    ($( $(#[$doc:meta])* $name:ident = $value:literal, $text:literal; )*) => {
        /// An MQTT 5.0 reason code (§2.4). Codes below 0x80 mean success, the others failure.
        ///
        /// Which codes a packet may carry is checked on decode and on encode
        /// ([`is_valid_for`](Self::is_valid_for)).
        ///
        /// # Examples
        /// ```
        /// use mqtt_wire::{PacketType, ReasonCode};
        /// let rc = ReasonCode::try_from(0x87)?;
        /// assert_eq!(rc, ReasonCode::NotAuthorized);
        /// assert!(rc.is_error());
        /// assert!(rc.is_valid_for(PacketType::PubAck));
        /// assert!(!rc.is_valid_for(PacketType::PubRel));
        /// # Ok::<(), u8>(())
        /// ```
        #[non_exhaustive]
        #[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
        #[cfg_attr(feature = "defmt", derive(defmt::Format))]
        #[repr(u8)]
        #[cfg_attr(feature = "arbitrary", derive(arbitrary::Arbitrary))]
        pub enum ReasonCode {
            $( $(#[$doc])* $name = $value, )*
        }

        impl ReasonCode {
            /// Every reason code, in numeric order.
            pub const ALL: &'static [ReasonCode] = &[$(ReasonCode::$name),*];

            /// The spec's name for the code (for 0x00, the generic "Success").
            #[must_use]
            pub const fn name(self) -> &'static str {
                match self { $(ReasonCode::$name => $text,)* }
            }
        }

        impl TryFrom<u8> for ReasonCode {
            type Error = u8;
            /// The code with this value; an undefined value is given back as the error.
            fn try_from(v: u8) -> Result<Self, u8> {
                match v { $($value => Ok(ReasonCode::$name),)* other => Err(other) }
            }
        }
    };
}

reason_codes! {
    /// 0x00 Success (also Normal disconnection, Granted QoS 0).
    Success = 0x00, "Success";
    /// 0x01 Granted QoS 1 (SUBACK).
    GrantedQoS1 = 0x01, "Granted QoS 1";
    /// 0x02 Granted QoS 2 (SUBACK).
    GrantedQoS2 = 0x02, "Granted QoS 2";
    /// 0x04 Disconnect with Will Message (DISCONNECT, client only).
    DisconnectWithWillMessage = 0x04, "Disconnect with Will Message";
    /// 0x10 No matching subscribers (PUBACK, PUBREC).
    NoMatchingSubscribers = 0x10, "No matching subscribers";
    /// 0x11 No subscription existed (UNSUBACK).
    NoSubscriptionExisted = 0x11, "No subscription existed";
    /// 0x18 Continue authentication (AUTH).
    ContinueAuthentication = 0x18, "Continue authentication";
    /// 0x19 Re-authenticate (AUTH).
    ReAuthenticate = 0x19, "Re-authenticate";
    /// 0x80 Unspecified error.
    UnspecifiedError = 0x80, "Unspecified error";
    /// 0x81 Malformed Packet.
    MalformedPacket = 0x81, "Malformed Packet";
    /// 0x82 Protocol Error.
    ProtocolError = 0x82, "Protocol Error";
    /// 0x83 Implementation specific error.
    ImplementationSpecificError = 0x83, "Implementation specific error";
    /// 0x84 Unsupported Protocol Version (CONNACK).
    UnsupportedProtocolVersion = 0x84, "Unsupported Protocol Version";
    /// 0x85 Client Identifier not valid (CONNACK).
    ClientIdentifierNotValid = 0x85, "Client Identifier not valid";
    /// 0x86 Bad User Name or Password (CONNACK).
    BadUserNameOrPassword = 0x86, "Bad User Name or Password";
    /// 0x87 Not authorized.
    NotAuthorized = 0x87, "Not authorized";
    /// 0x88 Server unavailable (CONNACK).
    ServerUnavailable = 0x88, "Server unavailable";
    /// 0x89 Server busy.
    ServerBusy = 0x89, "Server busy";
    /// 0x8A Banned (CONNACK).
    Banned = 0x8A, "Banned";
    /// 0x8B Server shutting down (DISCONNECT).
    ServerShuttingDown = 0x8B, "Server shutting down";
    /// 0x8C Bad authentication method (CONNACK only; see [`ReasonCode::is_valid_for`]).
    BadAuthenticationMethod = 0x8C, "Bad authentication method";
    /// 0x8D Keep Alive timeout (DISCONNECT).
    KeepAliveTimeout = 0x8D, "Keep Alive timeout";
    /// 0x8E Session taken over (DISCONNECT).
    SessionTakenOver = 0x8E, "Session taken over";
    /// 0x8F Topic Filter invalid.
    TopicFilterInvalid = 0x8F, "Topic Filter invalid";
    /// 0x90 Topic Name invalid.
    TopicNameInvalid = 0x90, "Topic Name invalid";
    /// 0x91 Packet Identifier in use.
    PacketIdentifierInUse = 0x91, "Packet Identifier in use";
    /// 0x92 Packet Identifier not found (PUBREL, PUBCOMP).
    PacketIdentifierNotFound = 0x92, "Packet Identifier not found";
    /// 0x93 Receive Maximum exceeded (DISCONNECT).
    ReceiveMaximumExceeded = 0x93, "Receive Maximum exceeded";
    /// 0x94 Topic Alias invalid (DISCONNECT).
    TopicAliasInvalid = 0x94, "Topic Alias invalid";
    /// 0x95 Packet too large.
    PacketTooLarge = 0x95, "Packet too large";
    /// 0x96 Message rate too high (DISCONNECT).
    MessageRateTooHigh = 0x96, "Message rate too high";
    /// 0x97 Quota exceeded.
    QuotaExceeded = 0x97, "Quota exceeded";
    /// 0x98 Administrative action (DISCONNECT).
    AdministrativeAction = 0x98, "Administrative action";
    /// 0x99 Payload format invalid.
    PayloadFormatInvalid = 0x99, "Payload format invalid";
    /// 0x9A Retain not supported.
    RetainNotSupported = 0x9A, "Retain not supported";
    /// 0x9B QoS not supported.
    QoSNotSupported = 0x9B, "QoS not supported";
    /// 0x9C Use another server.
    UseAnotherServer = 0x9C, "Use another server";
    /// 0x9D Server moved.
    ServerMoved = 0x9D, "Server moved";
    /// 0x9E Shared Subscriptions not supported.
    SharedSubscriptionsNotSupported = 0x9E, "Shared Subscriptions not supported";
    /// 0x9F Connection rate exceeded.
    ConnectionRateExceeded = 0x9F, "Connection rate exceeded";
    /// 0xA0 Maximum connect time (DISCONNECT).
    MaximumConnectTime = 0xA0, "Maximum connect time";
    /// 0xA1 Subscription Identifiers not supported.
    SubscriptionIdentifiersNotSupported = 0xA1, "Subscription Identifiers not supported";
    /// 0xA2 Wildcard Subscriptions not supported.
    WildcardSubscriptionsNotSupported = 0xA2, "Wildcard Subscriptions not supported";
}

impl ReasonCode {
    /// Whether the code reports a failure (value 0x80 or above).
    #[must_use]
    pub const fn is_error(self) -> bool {
        self as u8 >= 0x80
    }

    /// Whether a packet of type `packet` may carry this code in MQTT 5.0
    /// (Tables 3-1, 3-4 .. 3-11; MQTT-3.2.2-8, MQTT-3.4.2-1, MQTT-3.5.2-1, MQTT-3.6.2-1,
    /// MQTT-3.7.2-1, MQTT-3.9.3-2, MQTT-3.11.3-2, MQTT-3.14.2-1, MQTT-3.15.2-1).
    ///
    /// 0x8C Bad authentication method is listed for DISCONNECT in Table 2-6 but not in the
    /// DISCONNECT table (Table 3-10) that MQTT-3.14.2-1 binds senders to; mqtt-wire follows
    /// Table 3-10 and rejects it in DISCONNECT, in both directions.
    #[must_use]
    pub const fn is_valid_for(self, packet: PacketType) -> bool {
        use ReasonCode as R;
        match packet {
            PacketType::ConnAck => matches!(
                self,
                R::Success
                    | R::UnspecifiedError
                    | R::MalformedPacket
                    | R::ProtocolError
                    | R::ImplementationSpecificError
                    | R::UnsupportedProtocolVersion
                    | R::ClientIdentifierNotValid
                    | R::BadUserNameOrPassword
                    | R::NotAuthorized
                    | R::ServerUnavailable
                    | R::ServerBusy
                    | R::Banned
                    | R::BadAuthenticationMethod
                    | R::TopicNameInvalid
                    | R::PacketTooLarge
                    | R::QuotaExceeded
                    | R::PayloadFormatInvalid
                    | R::RetainNotSupported
                    | R::QoSNotSupported
                    | R::UseAnotherServer
                    | R::ServerMoved
                    | R::ConnectionRateExceeded
            ),
            PacketType::PubAck | PacketType::PubRec => matches!(
                self,
                R::Success
                    | R::NoMatchingSubscribers
                    | R::UnspecifiedError
                    | R::ImplementationSpecificError
                    | R::NotAuthorized
                    | R::TopicNameInvalid
                    | R::PacketIdentifierInUse
                    | R::QuotaExceeded
                    | R::PayloadFormatInvalid
            ),
            PacketType::PubRel | PacketType::PubComp => {
                matches!(self, R::Success | R::PacketIdentifierNotFound)
            }
            PacketType::SubAck => matches!(
                self,
                R::Success
                    | R::GrantedQoS1
                    | R::GrantedQoS2
                    | R::UnspecifiedError
                    | R::ImplementationSpecificError
                    | R::NotAuthorized
                    | R::TopicFilterInvalid
                    | R::PacketIdentifierInUse
                    | R::QuotaExceeded
                    | R::SharedSubscriptionsNotSupported
                    | R::SubscriptionIdentifiersNotSupported
                    | R::WildcardSubscriptionsNotSupported
            ),
            PacketType::UnsubAck => matches!(
                self,
                R::Success
                    | R::NoSubscriptionExisted
                    | R::UnspecifiedError
                    | R::ImplementationSpecificError
                    | R::NotAuthorized
                    | R::TopicFilterInvalid
                    | R::PacketIdentifierInUse
            ),
            PacketType::Disconnect => matches!(
                self,
                R::Success
                    | R::DisconnectWithWillMessage
                    | R::UnspecifiedError
                    | R::MalformedPacket
                    | R::ProtocolError
                    | R::ImplementationSpecificError
                    | R::NotAuthorized
                    | R::ServerBusy
                    | R::ServerShuttingDown
                    | R::KeepAliveTimeout
                    | R::SessionTakenOver
                    | R::TopicFilterInvalid
                    | R::TopicNameInvalid
                    | R::ReceiveMaximumExceeded
                    | R::TopicAliasInvalid
                    | R::PacketTooLarge
                    | R::MessageRateTooHigh
                    | R::QuotaExceeded
                    | R::AdministrativeAction
                    | R::PayloadFormatInvalid
                    | R::RetainNotSupported
                    | R::QoSNotSupported
                    | R::UseAnotherServer
                    | R::ServerMoved
                    | R::SharedSubscriptionsNotSupported
                    | R::ConnectionRateExceeded
                    | R::MaximumConnectTime
                    | R::SubscriptionIdentifiersNotSupported
                    | R::WildcardSubscriptionsNotSupported
            ),
            PacketType::Auth => {
                matches!(
                    self,
                    R::Success | R::ContinueAuthentication | R::ReAuthenticate
                )
            }
            _ => false,
        }
    }

    /// Whether `role` may send this code in a packet of type `packet` (MQTT 5.0): the
    /// "Sent by" column of the DISCONNECT table (§3.14.2.1 Table 3-10: 0x04 only from a
    /// client; 0x87, 0x89, 0x8B, 0x8D, 0x8E, 0x8F and 0x9A .. 0xA2 only from a server) and
    /// of the AUTH table (§3.15.2.1 Table 3-13: 0x19 Re-authenticate only from a client).
    /// For the other packet types, whether `role` sends that type at all
    /// ([`Role::sends`](crate::Role::sends)). Says nothing about whether the packet may
    /// carry the code: see [`is_valid_for`](Self::is_valid_for).
    ///
    /// # Examples
    /// ```
    /// use mqtt_wire::{PacketType, ReasonCode, Role};
    /// let d = PacketType::Disconnect;
    /// assert!(ReasonCode::DisconnectWithWillMessage.sent_by(d, Role::Client));
    /// assert!(!ReasonCode::DisconnectWithWillMessage.sent_by(d, Role::Server));
    /// assert!(ReasonCode::SessionTakenOver.sent_by(d, Role::Server));
    /// assert!(!ReasonCode::SessionTakenOver.sent_by(d, Role::Client));
    /// assert!(ReasonCode::PacketTooLarge.sent_by(d, Role::Client));
    /// assert!(!ReasonCode::ReAuthenticate.sent_by(PacketType::Auth, Role::Server));
    /// assert!(!ReasonCode::Success.sent_by(PacketType::ConnAck, Role::Client));
    /// ```
    #[must_use]
    pub const fn sent_by(self, packet: PacketType, role: crate::Role) -> bool {
        use crate::Role;
        use ReasonCode as R;
        match packet {
            PacketType::Disconnect => match self {
                R::DisconnectWithWillMessage => matches!(role, Role::Client),
                R::NotAuthorized
                | R::ServerBusy
                | R::ServerShuttingDown
                | R::KeepAliveTimeout
                | R::SessionTakenOver
                | R::TopicFilterInvalid
                | R::RetainNotSupported
                | R::QoSNotSupported
                | R::UseAnotherServer
                | R::ServerMoved
                | R::SharedSubscriptionsNotSupported
                | R::ConnectionRateExceeded
                | R::MaximumConnectTime
                | R::SubscriptionIdentifiersNotSupported
                | R::WildcardSubscriptionsNotSupported => matches!(role, Role::Server),
                _ => true,
            },
            PacketType::Auth => !matches!((self, role), (R::ReAuthenticate, Role::Server)),
            _ => role.sends(packet, crate::Version::V5),
        }
    }

    /// The 5.0 code for a 3.1/3.1.1 CONNACK return code (0x00..0x05), as the 5.0 spec
    /// pairs them: 1 → 0x84, 2 → 0x85, 3 → 0x88, 4 → 0x86, 5 → 0x87.
    ///
    /// # Examples
    /// ```
    /// use mqtt_wire::ReasonCode;
    /// assert_eq!(ReasonCode::from_v3_connack(4), Some(ReasonCode::BadUserNameOrPassword));
    /// assert_eq!(ReasonCode::BadUserNameOrPassword.to_v3_connack(), Some(4));
    /// assert_eq!(ReasonCode::from_v3_connack(6), None);
    /// ```
    #[must_use]
    pub const fn from_v3_connack(code: u8) -> Option<Self> {
        Some(match code {
            0 => Self::Success,
            1 => Self::UnsupportedProtocolVersion,
            2 => Self::ClientIdentifierNotValid,
            3 => Self::ServerUnavailable,
            4 => Self::BadUserNameOrPassword,
            5 => Self::NotAuthorized,
            _ => return None,
        })
    }

    /// The 3.1/3.1.1 CONNACK return code for this code, if 3.x has one.
    #[must_use]
    pub const fn to_v3_connack(self) -> Option<u8> {
        Some(match self {
            Self::Success => 0,
            Self::UnsupportedProtocolVersion => 1,
            Self::ClientIdentifierNotValid => 2,
            Self::ServerUnavailable => 3,
            Self::BadUserNameOrPassword => 4,
            Self::NotAuthorized => 5,
            _ => return None,
        })
    }
}

impl ReasonCode {
    /// The QoS a SUBACK reason code grants: 0x00, 0x01, 0x02 give QoS 0, 1, 2; any other
    /// code (a refusal, such as 0x80) grants none. 3.x SUBACK return codes are the same
    /// bytes.
    ///
    /// # Examples
    /// ```
    /// use mqtt_wire::{QoS, ReasonCode};
    /// assert_eq!(ReasonCode::GrantedQoS2.granted_qos(), Some(QoS::ExactlyOnce));
    /// assert_eq!(ReasonCode::Success.granted_qos(), Some(QoS::AtMostOnce));
    /// assert_eq!(ReasonCode::UnspecifiedError.granted_qos(), None);
    /// for qos in [QoS::AtMostOnce, QoS::AtLeastOnce, QoS::ExactlyOnce] {
    ///     assert_eq!(ReasonCode::from(qos).granted_qos(), Some(qos));
    /// }
    /// ```
    #[must_use]
    pub const fn granted_qos(self) -> Option<crate::QoS> {
        match self {
            Self::Success => Some(crate::QoS::AtMostOnce),
            Self::GrantedQoS1 => Some(crate::QoS::AtLeastOnce),
            Self::GrantedQoS2 => Some(crate::QoS::ExactlyOnce),
            _ => None,
        }
    }
}

impl From<ReasonCode> for u8 {
    fn from(rc: ReasonCode) -> u8 {
        rc as u8
    }
}

impl fmt::Display for ReasonCode {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "0x{:02X} {}", *self as u8, self.name())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// The per-packet sets as listed in the spec's tables (see DESIGN notes / checklist).
    #[test]
    fn per_packet_sets_match_the_tables() {
        let sets: [(PacketType, &[u8]); 9] = [
            (
                PacketType::ConnAck,
                &[
                    0x00, 0x80, 0x81, 0x82, 0x83, 0x84, 0x85, 0x86, 0x87, 0x88, 0x89, 0x8A, 0x8C,
                    0x90, 0x95, 0x97, 0x99, 0x9A, 0x9B, 0x9C, 0x9D, 0x9F,
                ],
            ),
            (
                PacketType::PubAck,
                &[0x00, 0x10, 0x80, 0x83, 0x87, 0x90, 0x91, 0x97, 0x99],
            ),
            (
                PacketType::PubRec,
                &[0x00, 0x10, 0x80, 0x83, 0x87, 0x90, 0x91, 0x97, 0x99],
            ),
            (PacketType::PubRel, &[0x00, 0x92]),
            (PacketType::PubComp, &[0x00, 0x92]),
            (
                PacketType::SubAck,
                &[
                    0x00, 0x01, 0x02, 0x80, 0x83, 0x87, 0x8F, 0x91, 0x97, 0x9E, 0xA1, 0xA2,
                ],
            ),
            (
                PacketType::UnsubAck,
                &[0x00, 0x11, 0x80, 0x83, 0x87, 0x8F, 0x91],
            ),
            (
                PacketType::Disconnect,
                &[
                    0x00, 0x04, 0x80, 0x81, 0x82, 0x83, 0x87, 0x89, 0x8B, 0x8D, 0x8E, 0x8F, 0x90,
                    0x93, 0x94, 0x95, 0x96, 0x97, 0x98, 0x99, 0x9A, 0x9B, 0x9C, 0x9D, 0x9E, 0x9F,
                    0xA0, 0xA1, 0xA2,
                ],
            ),
            (PacketType::Auth, &[0x00, 0x18, 0x19]),
        ];
        for (packet, codes) in sets {
            for v in 0..=255u8 {
                let valid = ReasonCode::try_from(v).is_ok_and(|rc| rc.is_valid_for(packet));
                assert_eq!(valid, codes.contains(&v), "{packet:?} 0x{v:02X}");
            }
        }
        assert_eq!(ReasonCode::ALL.len(), 43);
    }

    #[test]
    fn v3_connack_mapping_round_trips() {
        for code in 0..=5 {
            assert_eq!(
                ReasonCode::from_v3_connack(code).and_then(ReasonCode::to_v3_connack),
                Some(code)
            );
        }
    }
}
