//! CONNECT (MQTT 3.1 §3.1, MQTT 3.1.1 §3.1, MQTT 5.0 §3.1).

use super::{props_if_v5, props_len_if_v5, str_len, write_props_if_v5};
use crate::error::{DecodeError, DecodeErrorKind, EncodeError, Field};
use crate::properties::{self, Properties, PropertyContext, PropertyId};
use crate::reader::Reader;
use crate::topic;
use crate::types::{QoS, Version};
use crate::writer::{self, Writer, add};

const RESERVED: u8 = 0b0000_0001;
const CLEAN_START: u8 = 0b0000_0010;
const WILL: u8 = 0b0000_0100;
const WILL_QOS_SHIFT: u8 = 3;
const WILL_RETAIN: u8 = 0b0010_0000;
const PASSWORD: u8 = 0b0100_0000;
const USERNAME: u8 = 0b1000_0000;
/// The protocol level bit that mosquitto and MQTT.js bridges add (0x83, 0x84); see
/// [`Connect::bridge`].
const BRIDGE: u8 = 0x80;

/// The CONNECT packet: the first packet a client sends. It carries its own protocol version.
///
/// # Examples
/// ```
/// use mqtt_wire::{decode, Connect, Packet, Status, Version};
/// let connect = Connect {
///     username: Some("alice"),
///     password: Some(b"secret"),
///     ..Connect::new(Version::V3_1_1, "client-1")
/// };
/// let mut buf = [0u8; 64];
/// let n = Packet::Connect(connect).encode(Version::V3_1_1, &mut buf)?;
/// // The version argument does not matter for CONNECT: the packet says which it is.
/// let Ok(Status::Complete((Packet::Connect(c), _))) = decode(&buf[..n], Version::V5) else { panic!() };
/// assert_eq!((c.version, c.client_id, c.username), (Version::V3_1_1, "client-1", Some("alice")));
/// # Ok::<(), mqtt_wire::EncodeError>(())
/// ```
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
#[cfg_attr(feature = "defmt", derive(defmt::Format))]
#[cfg_attr(feature = "arbitrary", derive(arbitrary::Arbitrary))]
pub struct Connect<'a> {
    /// The protocol version named by the packet (protocol name and level).
    pub version: Version,
    /// Clean Session (3.x) / Clean Start (5.0).
    pub clean_start: bool,
    /// Keep Alive, seconds (0: off).
    pub keep_alive: u16,
    /// CONNECT properties (5.0 only).
    pub properties: Properties<'a>,
    /// The Client Identifier (may be empty: in 3.1.1 only with `clean_start`).
    pub client_id: &'a str,
    /// The Will Message, if the Will Flag is set.
    pub will: Option<Will<'a>>,
    /// User Name, if the User Name Flag is set.
    pub username: Option<&'a str>,
    /// Password, if the Password Flag is set (binary data).
    pub password: Option<&'a [u8]>,
    /// The client is a bridge: protocol level 0x83 (3.1) or 0x84 (3.1.1), the level with its
    /// top bit set, as mosquitto (`try_private`) and MQTT.js (`bridgeMode`) send it. Not in
    /// the specifications (MQTT-3.1.2-2 refuses these levels): a departure for interoperability,
    /// see the README's policies. 5.0 has no such level ([`EncodeError::NotInVersion`]).
    pub bridge: bool,
}

/// The Will Message of a CONNECT (§3.1.2.5 .. §3.1.3.4).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
#[cfg_attr(feature = "defmt", derive(defmt::Format))]
#[cfg_attr(feature = "arbitrary", derive(arbitrary::Arbitrary))]
pub struct Will<'a> {
    /// Will Properties (5.0 only).
    pub properties: Properties<'a>,
    /// Will Topic: a topic name (no wildcards).
    pub topic: &'a str,
    /// Will Payload.
    pub payload: &'a [u8],
    /// Will QoS.
    pub qos: QoS,
    /// Will Retain.
    pub retain: bool,
}

impl<'a> Will<'a> {
    /// A QoS 0, non-retained will with no properties.
    #[must_use]
    pub const fn new(topic: &'a str, payload: &'a [u8]) -> Self {
        Self {
            properties: Properties::EMPTY,
            topic,
            payload,
            qos: QoS::AtMostOnce,
            retain: false,
        }
    }
}

impl<'a> Connect<'a> {
    /// A CONNECT with Clean Session/Start set, a 60-second keep alive, and nothing else.
    #[must_use]
    pub const fn new(version: Version, client_id: &'a str) -> Self {
        Self {
            version,
            clean_start: true,
            keep_alive: 60,
            properties: Properties::EMPTY,
            client_id,
            will: None,
            username: None,
            password: None,
            bridge: false,
        }
    }

    #[inline]
    pub(super) fn decode_body(r: &mut Reader<'a>) -> Result<Self, DecodeError> {
        let name_at = r.offset();
        let name = r.utf8()?;
        let level_at = r.offset();
        let level = r.u8()?;
        let (version, bridge) = match (name, level) {
            ("MQIsdp", 3) => (Version::V3_1, false),
            ("MQTT", 4) => (Version::V3_1_1, false),
            ("MQTT", 5) => (Version::V5, false),
            // Bridges (see `Connect::bridge`); nothing sends 0x85.
            ("MQIsdp", 0x83) => (Version::V3_1, true),
            ("MQTT", 0x84) => (Version::V3_1_1, true),
            ("MQIsdp" | "MQTT", _) => {
                return Err(r.err_at(DecodeErrorKind::UnsupportedProtocolLevel, level_at));
            }
            _ => return Err(r.err_at(DecodeErrorKind::InvalidProtocolName, name_at)),
        };
        let flags_at = r.offset();
        let flags = r.u8()?;
        let flag_err = |kind| Err(DecodeError::new(kind, flags_at));
        let will_qos = (flags >> WILL_QOS_SHIFT) & 0b11;
        if flags & RESERVED != 0 {
            return flag_err(DecodeErrorKind::ConnectReservedFlag);
        }
        if flags & WILL == 0 {
            if will_qos != 0 {
                return flag_err(DecodeErrorKind::WillQoSWithoutWill);
            }
            if flags & WILL_RETAIN != 0 {
                return flag_err(DecodeErrorKind::WillRetainWithoutWill);
            }
        }
        let Ok(will_qos) = QoS::try_from(will_qos) else {
            return flag_err(DecodeErrorKind::InvalidWillQoS);
        };
        if !version.is_v5() && flags & PASSWORD != 0 && flags & USERNAME == 0 {
            return flag_err(DecodeErrorKind::PasswordWithoutUsername);
        }
        let clean_start = flags & CLEAN_START != 0;
        let keep_alive = r.u16()?;
        let props_at = r.offset();
        let properties = if version.is_v5() {
            let (properties, ids) = properties::decode_block_ids(r, PropertyContext::Connect)?;
            if ids.has(PropertyId::AuthenticationData) && !ids.has(PropertyId::AuthenticationMethod)
            {
                return Err(r.err_at(DecodeErrorKind::AuthDataWithoutMethod, props_at));
            }
            properties
        } else {
            Properties::EMPTY
        };
        let id_at = r.offset();
        let client_id = r.utf8()?;
        if version == Version::V3_1_1 && client_id.is_empty() && !clean_start {
            return Err(r.err_at(DecodeErrorKind::EmptyClientIdWithoutCleanSession, id_at));
        }
        let will = if flags & WILL != 0 {
            let properties = props_if_v5(r, version, PropertyContext::Will)?;
            let topic = r.topic_name(false)?;
            let payload = r.binary()?;
            Some(Will {
                properties,
                topic,
                payload,
                qos: will_qos,
                retain: flags & WILL_RETAIN != 0,
            })
        } else {
            None
        };
        let username = if flags & USERNAME != 0 {
            Some(r.utf8()?)
        } else {
            None
        };
        let password = if flags & PASSWORD != 0 {
            Some(r.binary()?)
        } else {
            None
        };
        Ok(Self {
            version,
            clean_start,
            keep_alive,
            properties,
            client_id,
            will,
            username,
            password,
            bridge,
        })
    }

    fn flags(&self) -> u8 {
        let mut flags = 0;
        if self.clean_start {
            flags |= CLEAN_START;
        }
        if let Some(will) = &self.will {
            flags |= WILL | ((will.qos as u8) << WILL_QOS_SHIFT);
            if will.retain {
                flags |= WILL_RETAIN;
            }
        }
        if self.username.is_some() {
            flags |= USERNAME;
        }
        if self.password.is_some() {
            flags |= PASSWORD;
        }
        flags
    }

    pub(super) fn body_len(&self, v: Version) -> Result<usize, EncodeError> {
        if v != self.version {
            return Err(EncodeError::VersionMismatch);
        }
        if self.bridge && v.is_v5() {
            return Err(EncodeError::NotInVersion(Field::Bridge));
        }
        if !v.is_v5() && self.password.is_some() && self.username.is_none() {
            return Err(DecodeErrorKind::PasswordWithoutUsername.into());
        }
        if v == Version::V3_1_1 && self.client_id.is_empty() && !self.clean_start {
            return Err(DecodeErrorKind::EmptyClientIdWithoutCleanSession.into());
        }
        let props_len = if v.is_v5() {
            let (len, ids) = properties::block_len_ids(&self.properties, PropertyContext::Connect)?;
            if ids.is_some_and(|ids| {
                ids.has(PropertyId::AuthenticationData)
                    && !ids.has(PropertyId::AuthenticationMethod)
            }) {
                return Err(DecodeErrorKind::AuthDataWithoutMethod.into());
            }
            len
        } else {
            props_len_if_v5(&self.properties, v, PropertyContext::Connect)?
        };
        // Protocol name, level, flags, keep alive.
        let mut len = add(writer::prefixed_len(v.protocol_name().as_bytes())?, 4)?;
        len = add(len, props_len)?;
        len = add(len, str_len(self.client_id)?)?;
        if let Some(will) = &self.will {
            topic::check_name(will.topic)?;
            len = add(
                len,
                props_len_if_v5(&will.properties, v, PropertyContext::Will)?,
            )?;
            // `check_name` above refused U+0000.
            len = add(len, writer::prefixed_len(will.topic.as_bytes())?)?;
            len = add(len, writer::prefixed_len(will.payload)?)?;
        }
        if let Some(username) = self.username {
            len = add(len, str_len(username)?)?;
        }
        if let Some(password) = self.password {
            len = add(len, writer::prefixed_len(password)?)?;
        }
        Ok(len)
    }

    pub(super) fn write_body(&self, w: &mut Writer<'_>) -> Result<(), EncodeError> {
        let v = self.version;
        w.utf8(v.protocol_name())?;
        w.u8(if self.bridge {
            v.level() | BRIDGE
        } else {
            v.level()
        })?;
        w.u8(self.flags())?;
        w.u16(self.keep_alive)?;
        write_props_if_v5(&self.properties, v, w)?;
        w.utf8(self.client_id)?;
        if let Some(will) = &self.will {
            write_props_if_v5(&will.properties, v, w)?;
            w.utf8(will.topic)?;
            w.binary(will.payload)?;
        }
        if let Some(username) = self.username {
            w.utf8(username)?;
        }
        if let Some(password) = self.password {
            w.binary(password)?;
        }
        Ok(())
    }
}
