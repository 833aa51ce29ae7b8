//! The public entry points that decode: [`frame`], [`decode`], [`decode_with`],
//! [`decode_frame`]. Each runs the hot path (`header::frame_raw`, `packet::decode_raw`)
//! and, only when it failed, the diagnoses (`diagnose`), which themselves use the hot path
//! again; so the modules depend on each other in one direction only:
//! `entry` → `diagnose` → `packet` → `header`.

use crate::error::{DecodeError, DecodeErrorKind};
use crate::header::{self, Frame};
use crate::packet::{self, Packet};
use crate::{DecodeOptions, Role, Side, Status, Version, diagnose};

/// Reads the fixed header at the start of `buf` and says where the packet ends.
///
/// This is the first half of [`decode`](crate::decode) and all a broker needs to forward
/// packets without decoding them. It checks the packet type, the type's fixed-header flags
/// (including PUBLISH QoS 3 and DUP with QoS 0), the Remaining Length encoding, whether the
/// type can have that Remaining Length in `version` (a table of the smallest and, for fixed
/// bodies, the only length of each type and version; see `REMAINING_LENGTHS` in the
/// source), and the caller's maximum packet size — all as soon as the bytes that carry them
/// have arrived: a receiver never waits for a body that can only be malformed.
///
/// Returns `Partial(n)` while the header or the body is incomplete: `n` is exact once the
/// Remaining Length has been read, and a safe lower bound (1 or 2) before that.
///
/// # Errors
/// [`InvalidPacketType`](DecodeErrorKind::InvalidPacketType),
/// [`ReservedFlags`](DecodeErrorKind::ReservedFlags), [`InvalidQoS`](DecodeErrorKind::InvalidQoS),
/// [`DupWithQoS0`](DecodeErrorKind::DupWithQoS0), [`VarIntTooLong`](DecodeErrorKind::VarIntTooLong),
/// [`NonMinimalVarInt`](DecodeErrorKind::NonMinimalVarInt),
/// [`InvalidRemainingLength`](DecodeErrorKind::InvalidRemainingLength) (offset 1),
/// [`PacketTooLarge`](DecodeErrorKind::PacketTooLarge); in place of the first three and of
/// `InvalidRemainingLength`, when the bytes show it:
/// [`TlsOnPlainPort`](DecodeErrorKind::TlsOnPlainPort),
/// [`HttpOnMqttPort`](DecodeErrorKind::HttpOnMqttPort), or
/// [`WrongProtocolVersion`](DecodeErrorKind::WrongProtocolVersion) (AUTH under 3.x at offset
/// 0; at offset 1, a Remaining Length the type cannot have in `version` but a valid packet
/// of the type can have in the other version, 3.x ↔ 5.0: a hint from the header alone,
/// whatever the body turns out to be, so that the answer never depends on how much of the
/// stream has arrived).
///
/// # Examples
/// ```
/// use mqtt_wire::{frame, DecodeOptions, PacketType, Status, Version};
/// let opts = DecodeOptions::new();
/// // A PUBLISH announcing 300 bytes of body, of which none has arrived yet.
/// let status = frame(&[0x30, 0xAC, 0x02], Version::V5, &opts)?;
/// assert_eq!(status, Status::Partial(300));
/// // Too big for a client that accepts at most 256-byte packets: refused before the body.
/// let small = DecodeOptions::new().max_packet_size(256);
/// assert!(frame(&[0x30, 0xAC, 0x02], Version::V5, &small).is_err());
/// // A 3.1.1 DISCONNECT is empty: 268,435,455 bytes of body are refused at once. 5.0
/// // DISCONNECTs may be that long, so the error hints at a version mix-up.
/// let e = frame(&[0xE0, 0xFF, 0xFF, 0xFF, 0x7F], Version::V3_1_1, &opts).unwrap_err();
/// assert_eq!(e.offset(), 1);
/// assert_eq!(e.kind(), mqtt_wire::DecodeErrorKind::WrongProtocolVersion(Version::V5));
/// // A 1-byte SUBSCRIBE exists in no version.
/// let e = frame(&[0x82, 0x01], Version::V5, &opts).unwrap_err();
/// assert_eq!(e.kind(), mqtt_wire::DecodeErrorKind::InvalidRemainingLength);
/// // A complete PINGREQ.
/// let Status::Complete(f) = frame(&[0xC0, 0x00], Version::V5, &opts)? else { panic!() };
/// assert_eq!((f.packet_type, f.len()), (PacketType::PingReq, 2));
/// # Ok::<(), mqtt_wire::DecodeError>(())
/// ```
pub fn frame(
    buf: &[u8],
    version: Version,
    opts: &DecodeOptions,
) -> Result<Status<Frame>, DecodeError> {
    // Errors in the first byte and the Remaining Length rules go through the (cold)
    // diagnoses: TLS, HTTP, AUTH under 3.x.
    header::frame_raw(buf, version, opts)
        .map_err(|err| diagnose::refine_header_error(buf, version, err))
}

/// Decodes one packet from the start of `buf` for a connection of protocol `version`.
///
/// Returns `Complete((packet, consumed))` with the bytes the packet took (`buf` may hold more
/// after it), or `Partial(n)` when `buf` is a valid beginning of a packet and at least `n`
/// more bytes are needed (exact once the fixed header is complete). A CONNECT carries its
/// own protocol level, which wins over `version`.
///
/// Equivalent to [`decode_with`] and default [`DecodeOptions`] (no packet size limit).
///
/// # Errors
/// A [`DecodeError`] naming the broken rule and its byte offset. Once decoding has failed
/// (never on the success path), the bytes are checked for common mistakes, which replace
/// the rule-level kind: [`TlsOnPlainPort`](DecodeErrorKind::TlsOnPlainPort),
/// [`HttpOnMqttPort`](DecodeErrorKind::HttpOnMqttPort),
/// [`WrongProtocolVersion`](DecodeErrorKind::WrongProtocolVersion) (the packet is valid in
/// the other version: 3.x and 5.0), and
/// [`MisspelledProtocolName`](DecodeErrorKind::MisspelledProtocolName).
///
/// # Examples
/// ```
/// use mqtt_wire::{decode, Packet, Status, Version};
/// let bytes = [0x30, 0x07, 0x00, 0x03, b'a', b'/', b'b', b'h', b'i'];
/// // Half a packet: 4 more bytes are needed.
/// assert_eq!(decode(&bytes[..5], Version::V3_1_1)?, Status::Partial(4));
/// let Status::Complete((Packet::Publish(p), used)) = decode(&bytes, Version::V3_1_1)? else {
///     panic!("expected a PUBLISH");
/// };
/// assert_eq!((p.topic, p.payload, used), ("a/b", &b"hi"[..], 9));
/// # Ok::<(), mqtt_wire::DecodeError>(())
/// ```
#[inline]
pub fn decode(buf: &[u8], version: Version) -> Result<Status<(Packet<'_>, usize)>, DecodeError> {
    decode_with(buf, version, &DecodeOptions::new())
}

/// [`decode`] with options: a maximum packet size (checked as soon as the fixed header is
/// complete, before the body is waited for) and the [`Utf8Policy`](crate::Utf8Policy).
///
/// # Errors
/// As [`decode`], plus [`DecodeErrorKind::PacketTooLarge`].
///
/// # Examples
/// ```
/// use mqtt_wire::{decode_with, DecodeErrorKind, DecodeOptions, Version};
/// let opts = DecodeOptions::new().max_packet_size(16);
/// // Only the first two bytes of a 202-byte PUBLISH have arrived: refused already.
/// let err = decode_with(&[0x30, 0xC8, 0x01], Version::V5, &opts).unwrap_err();
/// assert_eq!(err.kind(), DecodeErrorKind::PacketTooLarge);
/// ```
#[inline]
pub fn decode_with<'a>(
    buf: &'a [u8],
    version: Version,
    opts: &DecodeOptions,
) -> Result<Status<(Packet<'a>, usize)>, DecodeError> {
    let result = packet::decode_raw(buf, version, opts);
    match result {
        // On failure only, the (cold) diagnoses: TLS, HTTP, wrong version, misspelled
        // protocol name.
        Err(err) => Err(diagnose::refine(buf, version, opts, err)),
        ok => ok,
    }
}

/// Decodes one packet that side `S` receives ([`ClientSide`](crate::ClientSide) or
/// [`ServerSide`](crate::ServerSide)): [`decode_with`] with
/// [`DecodeOptions::receiver`]`(S::ROLE)` (whatever `opts` says about the receiver), built
/// so that an image that calls only this links only the decoders of the packets the other
/// side sends and none of the diagnoses. A client's image has no CONNECT, SUBSCRIBE,
/// UNSUBSCRIBE or PINGREQ decoder; a server's no CONNACK, SUBACK, UNSUBACK or PINGRESP
/// decoder.
///
/// It accepts and refuses exactly what `decode_with` with that receiver does, with the same
/// rule-level error (a test checks it on every captured packet and thousands of broken
/// variants); only the after-the-fact diagnoses that `decode_with` puts in place of some
/// errors ([`TlsOnPlainPort`](DecodeErrorKind::TlsOnPlainPort),
/// [`HttpOnMqttPort`](DecodeErrorKind::HttpOnMqttPort),
/// [`MisspelledProtocolName`](DecodeErrorKind::MisspelledProtocolName), and
/// [`WrongProtocolVersion`](DecodeErrorKind::WrongProtocolVersion) except the one the fixed
/// header alone shows, see [`frame`]) are not made; call `decode_with` on the same bytes to
/// get them.
///
/// Generic so that it is compiled in the caller's crate, and only if called: the packet
/// decoders it uses are inlined into it there when the build can see across crates (LTO,
/// as firmware builds use), and called otherwise.
///
/// # Errors
/// As [`decode_with`] with `S::ROLE`, without the diagnoses.
///
/// # Examples
/// ```
/// use mqtt_wire::{decode_as, ClientSide, DecodeErrorKind, DecodeOptions, Packet, ServerSide, Status, Version};
/// let opts = DecodeOptions::new();
/// // CONNACK: session present, accepted.
/// let Status::Complete((Packet::ConnAck(ack), 4)) =
///     decode_as::<ClientSide>(&[0x20, 0x02, 0x01, 0x00], Version::V3_1_1, &opts)?
/// else {
///     panic!("expected a CONNACK");
/// };
/// assert!(ack.session_present);
/// // PINGREQ only ever goes to a server.
/// let e = decode_as::<ClientSide>(&[0xC0, 0x00], Version::V3_1_1, &opts).unwrap_err();
/// assert_eq!(e.kind(), DecodeErrorKind::WrongDirection);
/// assert!(decode_as::<ServerSide>(&[0xC0, 0x00], Version::V3_1_1, &opts).is_ok());
/// # Ok::<(), mqtt_wire::DecodeError>(())
/// ```
pub fn decode_as<'a, S: Side>(
    buf: &'a [u8],
    version: Version,
    opts: &DecodeOptions,
) -> Result<Status<(Packet<'a>, usize)>, DecodeError> {
    let opts = DecodeOptions {
        receiver: Some(S::ROLE),
        ..*opts
    };
    match S::ROLE {
        Role::Client => {
            packet::decode_for::<{ Role::Server.sent_mask(Version::V5) }>(buf, version, &opts)
        }
        Role::Server => {
            packet::decode_for::<{ Role::Client.sent_mask(Version::V5) }>(buf, version, &opts)
        }
    }
}

/// Decodes the body of a packet whose fixed header has been read by [`frame`](crate::frame)
/// (`buf` starts at the packet's first byte and holds at least `frame.len()` bytes).
///
/// # Errors
/// As [`decode`]; [`DecodeErrorKind::Truncated`] if `buf` is shorter than the frame.
pub fn decode_frame<'a>(
    buf: &'a [u8],
    frame: &Frame,
    version: Version,
    opts: &DecodeOptions,
) -> Result<Packet<'a>, DecodeError> {
    // The packet's bytes are decoded whole (reading the fixed header again is cheaper than
    // a second copy of every packet's decoder).
    let Some(bytes) = buf.get(..frame.len()) else {
        return Err(DecodeError::new(DecodeErrorKind::Truncated, buf.len()));
    };
    match decode_with(bytes, version, opts)? {
        Status::Complete((packet, _)) => Ok(packet),
        Status::Partial(_) => Err(DecodeError::new(DecodeErrorKind::Truncated, bytes.len())),
    }
}
