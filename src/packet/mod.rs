//! [`Packet`]: one enum over the 15 control packets, and the decode/encode dispatch.

mod ack;
mod connack;
mod connect;
mod disconnect;
mod publish;
mod suback;
mod subscribe;

pub use ack::{Ack, TailForm};
pub use connack::ConnAck;
pub use connect::{Connect, Will};
pub use disconnect::{Auth, Disconnect};
pub use publish::Publish;
pub use suback::{ReasonCodes, SubAck, UnsubAck};
pub use subscribe::{
    RetainHandling, Subscribe, Subscription, SubscriptionOptions, Subscriptions, TopicFilters,
    Unsubscribe,
};

use crate::error::{DecodeError, DecodeErrorKind, EncodeError};
use crate::header::{self, PacketType};
use crate::properties::{self, Properties, PropertyContext};
use crate::reader::Reader;
use crate::writer::{self, Writer};
use crate::{DecodeOptions, Status, Version};

/// One MQTT control packet, borrowing its strings and payloads from the decoded buffer
/// (or from the caller, when built for encoding).
///
/// The same value type serves every protocol version: parts that only MQTT 5.0 has
/// (properties, reason codes other than success, AUTH) are empty or default under 3.x, and
/// encoding a 5.0-only part as 3.x is an [`EncodeError::NotInVersion`], never a silent drop.
///
/// # Examples
/// ```
/// use mqtt_wire::{decode, Packet, PacketId, Publish, QoS, Status, Version};
/// let publish = Publish {
///     qos: QoS::AtLeastOnce,
///     packet_id: PacketId::new(7),
///     ..Publish::new("sensors/temp", b"21.5")
/// };
/// let packet = Packet::Publish(publish);
/// let mut buf = [0u8; 64];
/// let n = packet.encode(Version::V3_1_1, &mut buf)?;
/// assert_eq!(n, packet.encoded_len(Version::V3_1_1)?);
/// assert_eq!(decode(&buf[..n], Version::V3_1_1), Ok(Status::Complete((packet, n))));
/// # Ok::<(), mqtt_wire::EncodeError>(())
/// ```
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
#[cfg_attr(feature = "defmt", derive(defmt::Format))]
#[allow(missing_docs)] // each variant is the packet of the same name
#[cfg_attr(feature = "arbitrary", derive(arbitrary::Arbitrary))]
pub enum Packet<'a> {
    Connect(Connect<'a>),
    ConnAck(ConnAck<'a>),
    Publish(Publish<'a>),
    PubAck(Ack<'a>),
    PubRec(Ack<'a>),
    PubRel(Ack<'a>),
    PubComp(Ack<'a>),
    Subscribe(Subscribe<'a>),
    SubAck(SubAck<'a>),
    Unsubscribe(Unsubscribe<'a>),
    UnsubAck(UnsubAck<'a>),
    PingReq,
    PingResp,
    Disconnect(Disconnect<'a>),
    Auth(Auth<'a>),
}

impl<'a> Packet<'a> {
    /// The packet's type.
    #[must_use]
    pub const fn packet_type(&self) -> PacketType {
        match self {
            Self::Connect(_) => PacketType::Connect,
            Self::ConnAck(_) => PacketType::ConnAck,
            Self::Publish(_) => PacketType::Publish,
            Self::PubAck(_) => PacketType::PubAck,
            Self::PubRec(_) => PacketType::PubRec,
            Self::PubRel(_) => PacketType::PubRel,
            Self::PubComp(_) => PacketType::PubComp,
            Self::Subscribe(_) => PacketType::Subscribe,
            Self::SubAck(_) => PacketType::SubAck,
            Self::Unsubscribe(_) => PacketType::Unsubscribe,
            Self::UnsubAck(_) => PacketType::UnsubAck,
            Self::PingReq => PacketType::PingReq,
            Self::PingResp => PacketType::PingResp,
            Self::Disconnect(_) => PacketType::Disconnect,
            Self::Auth(_) => PacketType::Auth,
        }
    }

    /// The exact number of bytes [`encode`](Self::encode) writes for this packet in
    /// `version`, after checking that the packet can be encoded at all.
    ///
    /// # Errors
    /// The same as [`encode`](Self::encode), except `BufferTooSmall`.
    pub fn encoded_len(&self, version: Version) -> Result<usize, EncodeError> {
        let body = self.body_len(version)?;
        writer::add(writer::add(body, writer::varint_size(body)?)?, 1)
    }

    /// Encodes the packet for a connection of protocol `version` into `buf` and returns
    /// the number of bytes written. Everything is validated, and the buffer's size checked,
    /// before the first byte is written: on error, the packet was not (partly) written.
    ///
    /// # Errors
    /// [`EncodeError::BufferTooSmall`] (with the needed size), [`EncodeError::NotInVersion`]
    /// for 5.0-only parts under 3.x, [`EncodeError::FieldTooLong`],
    /// [`EncodeError::PacketTooLarge`], [`EncodeError::VersionMismatch`] (CONNECT),
    /// [`EncodeError::PacketIdMismatch`] (PUBLISH), and [`EncodeError::Invalid`] for any
    /// value the decoder would reject (wildcards in a topic name, a property not allowed in
    /// the packet, a reason code the packet may not carry, ...).
    ///
    /// # Examples
    /// ```
    /// use mqtt_wire::{EncodeError, Packet, Version};
    /// let mut buf = [0u8; 2];
    /// assert_eq!(Packet::PingReq.encode(Version::V5, &mut buf), Ok(2));
    /// assert_eq!(buf, [0xC0, 0x00]);
    /// let mut tiny = [0u8; 1];
    /// assert_eq!(
    ///     Packet::PingReq.encode(Version::V5, &mut tiny),
    ///     Err(EncodeError::BufferTooSmall { needed: 2 })
    /// );
    /// ```
    pub fn encode(&self, version: Version, buf: &mut [u8]) -> Result<usize, EncodeError> {
        let body = self.body_len(version)?;
        let total = writer::add(writer::add(body, writer::varint_size(body)?)?, 1)?;
        if buf.len() < total {
            return Err(EncodeError::BufferTooSmall { needed: total });
        }
        let mut w = Writer::new(buf);
        w.u8(((self.packet_type() as u8) << 4) | self.flags())?;
        w.varint_len(body)?;
        self.write_body(version, &mut w)?;
        debug_assert_eq!(w.written(), total, "encoded_len disagrees with encode");
        Ok(w.written())
    }

    fn flags(&self) -> u8 {
        // DUP (bit 3) on a re-sent 3.1 PUBREL, SUBSCRIBE or UNSUBSCRIBE (validated first).
        let dup = |dup: bool| u8::from(dup) << 3;
        match self {
            Self::Publish(p) => p.flags(),
            Self::PubRel(a) => 0b0010 | dup(a.dup),
            Self::Subscribe(s) => 0b0010 | dup(s.dup),
            Self::Unsubscribe(u) => 0b0010 | dup(u.dup),
            other => other.packet_type().required_flags().unwrap_or(0),
        }
    }

    /// Validates the packet for `version` and returns its Remaining Length.
    fn body_len(&self, v: Version) -> Result<usize, EncodeError> {
        match self {
            Self::Connect(p) => p.body_len(v),
            Self::ConnAck(p) => p.body_len(v),
            Self::Publish(p) => p.body_len(v),
            Self::PubAck(p) | Self::PubRec(p) | Self::PubRel(p) | Self::PubComp(p) => {
                p.body_len(self.packet_type(), v)
            }
            Self::Subscribe(p) => p.body_len(v),
            Self::Unsubscribe(p) => p.body_len(v),
            Self::SubAck(p) | Self::UnsubAck(p) => p.body_len(self.packet_type(), v),
            Self::PingReq | Self::PingResp => Ok(0),
            Self::Disconnect(p) => p.body_len(v),
            Self::Auth(p) => p.body_len(v),
        }
    }

    fn write_body(&self, v: Version, w: &mut Writer<'_>) -> Result<(), EncodeError> {
        match self {
            Self::Connect(p) => p.write_body(w),
            Self::ConnAck(p) => p.write_body(v, w),
            Self::Publish(p) => p.write_body(v, w),
            Self::PubAck(p) | Self::PubRec(p) | Self::PubRel(p) | Self::PubComp(p) => {
                p.write_body(self.packet_type(), v, w)
            }
            Self::Subscribe(p) => p.write_body(v, w),
            Self::Unsubscribe(p) => p.write_body(v, w),
            Self::SubAck(p) | Self::UnsubAck(p) => p.write_body(self.packet_type(), v, w),
            Self::PingReq | Self::PingResp => Ok(()),
            Self::Disconnect(p) => p.write_body(v, w),
            Self::Auth(p) => p.write_body(v, w),
        }
    }
}

/// [`decode_with`](crate::decode_with) without the diagnoses: the fixed header, then the body, in one function
/// into which every packet's decoder is inlined, so that the packet is built where the
/// caller receives it.
///
/// [`decode_for`] makes the per-role instances: `RECEIVES` is the mask of the packet types an instance decodes (bit `n` for type number
/// `n`; [`header::ALL_TYPES`] for all): a constant, so that an instance for one role
/// contains only the decoders of the packets that role receives. The instance for all
/// types is made in this crate (by [`decode_with`](crate::decode_with), which is not
/// `#[inline]` for that reason), where it is the only caller of each packet's decoder, so
/// that they are inlined into it; a per-role instance is made in the caller's crate, and
/// only if it is used.
#[inline(never)]
pub(crate) fn decode_raw<'a>(
    buf: &'a [u8],
    version: Version,
    opts: &DecodeOptions,
) -> Result<Status<(Packet<'a>, usize)>, DecodeError> {
    decode_packet!(buf, version, opts, { header::ALL_TYPES })
}

/// [`decode_raw`] for a receiver of the packet types in `RECEIVES` only (see there). Used
/// by `#[inline]` entry points only, so that it is instantiated in the caller's crate and
/// only when used: the one copy of the packet decoders in this crate stays
/// [`decode_raw`]'s, each called once and so inlined into it.
#[inline(never)]
pub(crate) fn decode_for<'a, const RECEIVES: u16>(
    buf: &'a [u8],
    version: Version,
    opts: &DecodeOptions,
) -> Result<Status<(Packet<'a>, usize)>, DecodeError> {
    decode_packet!(buf, version, opts, { RECEIVES })
}

/// The body of [`decode_raw`] and [`decode_for`] (a macro, not a shared generic function:
/// see [`decode_for`]).
macro_rules! decode_packet {
    ($buf:ident, $version:ident, $opts:ident, $receives:tt) => {{
        // Whether this instance decodes type `$t`: a constant (always true in
        // `decode_raw`), so that the arms of the other types are not compiled in.
        macro_rules! receives {
            ($t:ident) => {
                $receives & (1 << (PacketType::$t as u8)) != 0
            };
        }
        let frame = match header::frame_for::<$receives>($buf, $version, $opts)? {
            Status::Complete(f) => f,
            Status::Partial(n) => return Ok(Status::Partial(n)),
        };
        let mut r = Reader::new($buf, frame.header_len, frame.len(), $opts.utf8_policy);
        let r = &mut r;
        // Bit 3 of a PUBREL, SUBSCRIBE or UNSUBSCRIBE header: DUP, which `frame` allows only
        // under 3.1.
        let dup = frame.flags & 0b1000 != 0;
        let len = frame.len();
        // Each arm returns its packet itself, so that it is built where the caller receives it
        // (one shared `let packet = match ..` would be built aside and then copied).
        macro_rules! done {
            ($packet:expr) => {{
                let packet = $packet;
                r.finish()?;
                return Ok(Status::Complete((packet, len)));
            }};
        }
        match frame.packet_type {
            PacketType::Publish if receives!(Publish) => done!(Packet::Publish(
                Publish::decode_body(r, frame.flags, $version, $opts.receiver)?
            )),
            PacketType::PubAck if receives!(PubAck) => done!(Packet::PubAck(Ack::decode_body(
                r,
                PacketType::PubAck,
                $version
            )?)),
            PacketType::PubRec if receives!(PubRec) => done!(Packet::PubRec(Ack::decode_body(
                r,
                PacketType::PubRec,
                $version
            )?)),
            PacketType::PubRel if receives!(PubRel) => done!(Packet::PubRel(Ack {
                dup,
                ..Ack::decode_body(r, PacketType::PubRel, $version)?
            })),
            PacketType::PubComp if receives!(PubComp) => done!(Packet::PubComp(Ack::decode_body(
                r,
                PacketType::PubComp,
                $version
            )?)),
            PacketType::Connect if receives!(Connect) => {
                done!(Packet::Connect(Connect::decode_body(r)?))
            }
            PacketType::ConnAck if receives!(ConnAck) => {
                done!(Packet::ConnAck(ConnAck::decode_body(r, $version)?))
            }
            PacketType::Subscribe if receives!(Subscribe) => {
                done!(Packet::Subscribe(Subscribe {
                    dup,
                    ..Subscribe::decode_body(r, $version)?
                }))
            }
            PacketType::SubAck if receives!(SubAck) => done!(Packet::SubAck(SubAck::decode_body(
                r,
                PacketType::SubAck,
                $version
            )?)),
            PacketType::Unsubscribe if receives!(Unsubscribe) => {
                done!(Packet::Unsubscribe(Unsubscribe {
                    dup,
                    ..Unsubscribe::decode_body(r, $version)?
                }))
            }
            PacketType::UnsubAck if receives!(UnsubAck) => done!(Packet::UnsubAck(
                SubAck::decode_body(r, PacketType::UnsubAck, $version)?
            )),
            PacketType::PingReq if receives!(PingReq) => done!({
                empty_body(r)?;
                Packet::PingReq
            }),
            PacketType::PingResp if receives!(PingResp) => done!({
                empty_body(r)?;
                Packet::PingResp
            }),
            PacketType::Disconnect if receives!(Disconnect) => done!({
                let d = Disconnect::decode_body(r, $version)?;
                if let Some(receiver) = $opts.receiver {
                    let sender = receiver.peer();
                    crate::direction::check_tail(
                        $buf,
                        PacketType::Disconnect,
                        d.reason_code,
                        &d.properties,
                        sender,
                    )?;
                }
                Packet::Disconnect(d)
            }),
            PacketType::Auth if receives!(Auth) => done!({
                let a = Auth::decode_body(r, $version)?;
                if let Some(receiver) = $opts.receiver {
                    let sender = receiver.peer();
                    crate::direction::check_tail(
                        $buf,
                        PacketType::Auth,
                        a.reason_code,
                        &a.properties,
                        sender,
                    )?;
                }
                Packet::Auth(a)
            }),
            // Refused by `frame_for` already: a type this instance does not decode.
            _ => Err(DecodeError::new(DecodeErrorKind::WrongDirection, 0)),
        }
    }};
}
use decode_packet;

/// Packets without a variable header or payload must have Remaining Length 0.
#[inline]
fn empty_body(r: &Reader<'_>) -> Result<(), DecodeError> {
    if r.is_empty() {
        Ok(())
    } else {
        // Offset 1: the Remaining Length field.
        Err(r.err_at(DecodeErrorKind::InvalidRemainingLength, 1))
    }
}

/// Under 3.x, CONNACK, PUBACK, PUBREC, PUBREL, PUBCOMP and UNSUBACK have a body of exactly
/// `len` (2) bytes (§3.2.1, §3.4.1 .. §3.7.1, §3.11.1); any other Remaining Length is refused
/// at that field. 5.0 bodies vary, so nothing is checked there.
#[inline]
fn fixed_body_v3(r: &Reader<'_>, v: Version, len: usize) -> Result<(), DecodeError> {
    if v.is_v5() || r.remaining() == len {
        Ok(())
    } else {
        Err(r.err_at(DecodeErrorKind::InvalidRemainingLength, 1))
    }
}

/// A non-zero Packet Identifier (MQTT-2.3.1-1, MQTT-2.2.1-3).
#[inline]
fn packet_id(r: &mut Reader<'_>) -> Result<crate::PacketId, DecodeError> {
    let at = r.offset();
    crate::PacketId::new(r.u16()?).ok_or(r.err_at(DecodeErrorKind::ZeroPacketId, at))
}

/// A property block under 5.0; nothing (empty properties) under 3.x.
#[inline]
fn props_if_v5<'a>(
    r: &mut Reader<'a>,
    v: Version,
    ctx: PropertyContext,
) -> Result<Properties<'a>, DecodeError> {
    if v.is_v5() {
        properties::decode_block(r, ctx)
    } else {
        Ok(Properties::EMPTY)
    }
}

/// Encoded size of a property block under 5.0; under 3.x the list must be empty.
fn props_len_if_v5(
    props: &Properties<'_>,
    v: Version,
    ctx: PropertyContext,
) -> Result<usize, EncodeError> {
    if v.is_v5() {
        properties::block_len(props, ctx)
    } else if props.is_empty() {
        Ok(0)
    } else {
        Err(EncodeError::NotInVersion(crate::error::Field::Properties))
    }
}

fn write_props_if_v5(
    props: &Properties<'_>,
    v: Version,
    w: &mut Writer<'_>,
) -> Result<(), EncodeError> {
    if v.is_v5() {
        properties::write_block(props, w)
    } else {
        Ok(())
    }
}

/// Encoded size of a UTF-8 string field, refusing U+0000 (MQTT-1.5.3-2) and lengths over
/// 65,535 bytes.
fn str_len(s: &str) -> Result<usize, EncodeError> {
    crate::utf8::no_nul(s)?;
    writer::prefixed_len(s.as_bytes())
}
