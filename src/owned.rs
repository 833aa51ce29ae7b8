//! Packets that own their bytes ([`OwnedPacket`], feature `bytes`) and encoding into
//! growable buffers (`bytes::BufMut` with feature `bytes`, `Vec<u8>` with feature `alloc`).
//!
//! An [`OwnedPacket`] holds one whole packet's wire bytes as a [`bytes::Bytes`] (a
//! reference-counted slice of the buffer it was read into: taking it out of a `BytesMut`
//! copies nothing), the protocol version and the packet's [`Frame`]. It is validated once,
//! when it is made; [`OwnedPacket::packet`] then gives the borrowed [`Packet`] view at any
//! time, without failing. It is `Send + Sync + 'static`, so it can be queued, moved to
//! another task, or kept for retransmission.

use alloc::vec::Vec;

use crate::Version;
use crate::error::EncodeError;
use crate::packet::Packet;
#[cfg(feature = "bytes")]
use crate::{
    DecodeOptions, Status,
    entry::{decode_frame, frame},
    error::DecodeError,
    header::{Frame, PacketType},
};

impl Packet<'_> {
    /// Encodes the packet for `version` and returns the bytes in a new `Vec`, sized exactly.
    ///
    /// # Errors
    /// As [`encode`](Self::encode), never [`EncodeError::BufferTooSmall`].
    ///
    /// # Examples
    /// ```
    /// use mqtt_wire::{Packet, Version};
    /// assert_eq!(Packet::PingReq.encode_to_vec(Version::V5)?, [0xC0, 0x00]);
    /// # Ok::<(), mqtt_wire::EncodeError>(())
    /// ```
    #[cfg_attr(docsrs, doc(cfg(feature = "alloc")))]
    pub fn encode_to_vec(&self, version: Version) -> Result<Vec<u8>, EncodeError> {
        let mut out = Vec::new();
        self.encode_append(version, &mut out)?;
        Ok(out)
    }

    /// Encodes the packet for `version` at the end of `out` and returns the number of bytes
    /// added. On error `out` is unchanged.
    ///
    /// # Errors
    /// As [`encode`](Self::encode), never [`EncodeError::BufferTooSmall`].
    ///
    /// # Examples
    /// ```
    /// use mqtt_wire::{Packet, Version};
    /// let mut out = vec![0xC0, 0x00];
    /// assert_eq!(Packet::PingResp.encode_append(Version::V5, &mut out)?, 2);
    /// assert_eq!(out, [0xC0, 0x00, 0xD0, 0x00]);
    /// # Ok::<(), mqtt_wire::EncodeError>(())
    /// ```
    #[cfg_attr(docsrs, doc(cfg(feature = "alloc")))]
    pub fn encode_append(&self, version: Version, out: &mut Vec<u8>) -> Result<usize, EncodeError> {
        let len = self.encoded_len(version)?;
        let start = out.len();
        out.resize(start.saturating_add(len), 0);
        let result = match out.get_mut(start..) {
            Some(space) => self.encode(version, space),
            None => Err(EncodeError::BufferTooSmall { needed: len }),
        };
        if result.is_err() {
            out.truncate(start);
        }
        result
    }
}

#[cfg(feature = "bytes")]
impl Packet<'_> {
    /// Encodes the packet for `version` at the end of `buf` (reserving the room first) and
    /// returns the number of bytes added. Writes in place: no intermediate buffer.
    ///
    /// # Errors
    /// As [`encode`](Self::encode), never [`EncodeError::BufferTooSmall`]; on error `buf`
    /// is unchanged.
    ///
    /// # Examples
    /// ```
    /// use bytes::BytesMut;
    /// use mqtt_wire::{Packet, Version};
    /// let mut buf = BytesMut::new();
    /// Packet::PingReq.encode_to_bytes_mut(Version::V5, &mut buf)?;
    /// assert_eq!(&buf[..], [0xC0, 0x00]);
    /// # Ok::<(), mqtt_wire::EncodeError>(())
    /// ```
    #[cfg_attr(docsrs, doc(cfg(feature = "bytes")))]
    pub fn encode_to_bytes_mut(
        &self,
        version: Version,
        buf: &mut bytes::BytesMut,
    ) -> Result<usize, EncodeError> {
        let len = self.encoded_len(version)?;
        let start = buf.len();
        buf.resize(start.saturating_add(len), 0);
        let result = match buf.get_mut(start..) {
            Some(space) => self.encode(version, space),
            None => Err(EncodeError::BufferTooSmall { needed: len }),
        };
        if result.is_err() {
            buf.truncate(start);
        }
        result
    }

    /// Encodes the packet for `version` into any [`bytes::BufMut`] and returns the number
    /// of bytes written. Everything is checked, including that `buf` has room, before the
    /// first byte is put.
    ///
    /// A `BufMut` exposes only uninitialised memory without `unsafe`, so the packet is
    /// encoded into a temporary buffer first (on the stack up to 256 bytes); for a
    /// [`bytes::BytesMut`], [`encode_to_bytes_mut`](Self::encode_to_bytes_mut) avoids that copy.
    ///
    /// # Errors
    /// As [`encode`](Self::encode); [`EncodeError::BufferTooSmall`] when
    /// `buf.remaining_mut()` is too small.
    ///
    /// # Examples
    /// ```
    /// use mqtt_wire::{EncodeError, Packet, Version};
    /// let mut out: Vec<u8> = Vec::new();
    /// assert_eq!(Packet::PingReq.encode_to_buf(Version::V5, &mut out)?, 2);
    /// let mut tiny = [0u8; 1];
    /// assert_eq!(
    ///     Packet::PingReq.encode_to_buf(Version::V5, &mut &mut tiny[..]),
    ///     Err(EncodeError::BufferTooSmall { needed: 2 })
    /// );
    /// # Ok::<(), EncodeError>(())
    /// ```
    #[cfg_attr(docsrs, doc(cfg(feature = "bytes")))]
    pub fn encode_to_buf<B: bytes::BufMut + ?Sized>(
        &self,
        version: Version,
        buf: &mut B,
    ) -> Result<usize, EncodeError> {
        let len = self.encoded_len(version)?;
        if buf.remaining_mut() < len {
            return Err(EncodeError::BufferTooSmall { needed: len });
        }
        let mut stack = [0u8; 256];
        let mut heap = Vec::new();
        let space = match stack.get_mut(..len) {
            Some(space) => space,
            None => {
                heap.resize(len, 0);
                heap.as_mut_slice()
            }
        };
        let n = self.encode(version, space)?;
        buf.put_slice(space.get(..n).unwrap_or_default());
        Ok(n)
    }
}

/// One validated packet that owns its bytes (a reference-counted [`bytes::Bytes`]).
///
/// Made by [`split_from`](Self::split_from) (takes the first packet off a `BytesMut`
/// without copying), [`from_bytes`](Self::from_bytes) or
/// [`from_packet`](Self::from_packet) (encodes a packet built in place), and yielded by
/// the tokio codec. The bytes are validated when the value is made, with the version and
/// [`DecodeOptions`] given then; [`packet`](Self::packet) re-reads them into the borrowed
/// [`Packet`] view each time it is called (a cheap walk over bytes already known to be
/// good: lists stay lazy, nothing is copied or allocated).
///
/// Equality compares the bytes (packets decode canonically, so equal bytes are equal
/// packets) and the version.
///
/// # Examples
/// ```
/// use bytes::BytesMut;
/// use mqtt_wire::{DecodeOptions, OwnedPacket, Packet, Status, Version};
/// let mut buf = BytesMut::from(&[0x30, 0x05, 0x00, 0x01, b'a', b'h', b'i', 0xC0][..]);
/// let opts = DecodeOptions::new();
/// let Status::Complete(owned) = OwnedPacket::split_from(&mut buf, Version::V3_1_1, &opts)?
/// else { panic!("a whole PUBLISH is there") };
/// assert_eq!(&buf[..], [0xC0]); // the start of the next packet stays
/// let Packet::Publish(p) = owned.packet() else { panic!() };
/// assert_eq!((p.topic, p.payload), ("a", &b"hi"[..]));
/// // Send + 'static: it can go to another thread.
/// std::thread::spawn(move || assert_eq!(owned.len(), 7)).join().unwrap();
/// # Ok::<(), mqtt_wire::DecodeError>(())
/// ```
#[cfg(feature = "bytes")]
#[cfg_attr(docsrs, doc(cfg(feature = "bytes")))]
#[derive(Clone)]
pub struct OwnedPacket {
    bytes: bytes::Bytes,
    frame: Frame,
    version: Version,
    opts: DecodeOptions,
}

#[cfg(feature = "bytes")]
impl OwnedPacket {
    /// Takes the first packet off the front of `buf` (a split, not a copy) once it has
    /// arrived whole and is valid. `Partial(n)` (at least `n` more bytes needed) and errors
    /// leave `buf` untouched.
    ///
    /// A CONNECT is decoded in the version it names, and the owned packet records that
    /// version.
    ///
    /// # Errors
    /// As [`decode_with`](crate::decode_with).
    ///
    /// # Examples
    /// ```
    /// use bytes::BytesMut;
    /// use mqtt_wire::{DecodeOptions, OwnedPacket, Status, Version};
    /// let opts = DecodeOptions::new();
    /// let mut buf = BytesMut::from(&[0xD0][..]);
    /// assert_eq!(OwnedPacket::split_from(&mut buf, Version::V5, &opts)?, Status::Partial(1));
    /// buf.extend_from_slice(&[0x00]);
    /// assert!(matches!(OwnedPacket::split_from(&mut buf, Version::V5, &opts)?, Status::Complete(_)));
    /// assert!(buf.is_empty());
    /// # Ok::<(), mqtt_wire::DecodeError>(())
    /// ```
    pub fn split_from(
        buf: &mut bytes::BytesMut,
        version: Version,
        opts: &DecodeOptions,
    ) -> Result<Status<Self>, DecodeError> {
        let (f, version) = match check(buf, version, opts)? {
            Status::Complete(found) => found,
            Status::Partial(n) => return Ok(Status::Partial(n)),
        };
        let bytes = buf.split_to(f.len()).freeze();
        Ok(Status::Complete(Self {
            bytes,
            frame: f,
            version,
            opts: *opts,
        }))
    }

    /// The packet at the start of `bytes` (which may hold more after it: the owned packet
    /// keeps a refcounted slice of just its own bytes), or `Partial(n)`.
    ///
    /// # Errors
    /// As [`decode_with`](crate::decode_with).
    ///
    /// # Examples
    /// ```
    /// use bytes::Bytes;
    /// use mqtt_wire::{DecodeOptions, OwnedPacket, Packet, Version};
    /// let bytes = Bytes::from_static(&[0xC0, 0x00, 0xD0, 0x00]);
    /// let owned = OwnedPacket::from_bytes(bytes, Version::V5, &DecodeOptions::new())?
    ///     .complete()
    ///     .unwrap();
    /// assert_eq!(owned.packet(), Packet::PingReq);
    /// assert_eq!(owned.len(), 2);
    /// # Ok::<(), mqtt_wire::DecodeError>(())
    /// ```
    pub fn from_bytes(
        bytes: bytes::Bytes,
        version: Version,
        opts: &DecodeOptions,
    ) -> Result<Status<Self>, DecodeError> {
        let (f, version) = match check(&bytes, version, opts)? {
            Status::Complete(found) => found,
            Status::Partial(n) => return Ok(Status::Partial(n)),
        };
        Ok(Status::Complete(Self {
            bytes: bytes.slice(..f.len()),
            frame: f,
            version,
            opts: *opts,
        }))
    }

    /// Encodes `packet` for `version` into a new owned packet (e.g. to keep an outgoing
    /// PUBLISH for retransmission after its borrowed data is gone).
    ///
    /// # Errors
    /// As [`Packet::encode`]; [`EncodeError::Invalid`] if the encoded bytes would not
    /// decode (which the encoder is built never to let happen).
    ///
    /// # Examples
    /// ```
    /// use mqtt_wire::{OwnedPacket, Packet, PacketId, Publish, QoS, Version};
    /// let topic = String::from("a/b");
    /// let owned = OwnedPacket::from_packet(
    ///     &Packet::Publish(Publish {
    ///         qos: QoS::AtLeastOnce,
    ///         packet_id: Some(PacketId::new_const::<1>()),
    ///         ..Publish::new(&topic, b"x")
    ///     }),
    ///     Version::V5,
    /// )?;
    /// drop(topic);
    /// assert!(matches!(owned.packet(), Packet::Publish(p) if p.topic == "a/b"));
    /// # Ok::<(), mqtt_wire::EncodeError>(())
    /// ```
    pub fn from_packet(packet: &Packet<'_>, version: Version) -> Result<Self, EncodeError> {
        let mut buf = bytes::BytesMut::new();
        packet.encode_to_bytes_mut(version, &mut buf)?;
        let opts = DecodeOptions::new();
        match Self::split_from(&mut buf, version, &opts) {
            Ok(Status::Complete(owned)) => Ok(owned),
            Ok(Status::Partial(_)) => Err(EncodeError::Invalid(
                crate::error::DecodeErrorKind::Truncated,
            )),
            Err(e) => Err(EncodeError::Invalid(e.kind())),
        }
    }

    /// The borrowed view of the packet.
    ///
    /// This cannot fail: the bytes were validated when `self` was made, with the same
    /// version and options, and decoding is a pure function of those (the bytes are
    /// immutable). The type system cannot carry that proof, so there is a branch for the
    /// impossible failure; it panics, naming the bug, instead of making up a packet (a
    /// silent stand-in would be worse than a loud crate bug). It is reachable only through
    /// a bug in mqtt-wire itself, never through input; the test suites re-view every
    /// captured and generated packet to keep it that way.
    ///
    /// # Examples
    /// ```
    /// use bytes::Bytes;
    /// use mqtt_wire::{DecodeOptions, OwnedPacket, Packet, Version};
    /// let owned = OwnedPacket::from_bytes(Bytes::from_static(&[0xE0, 0x00]), Version::V5, &DecodeOptions::new())?
    ///     .complete()
    ///     .unwrap();
    /// assert!(matches!(owned.packet(), Packet::Disconnect(_)));
    /// # Ok::<(), mqtt_wire::DecodeError>(())
    /// ```
    #[must_use]
    pub fn packet(&self) -> Packet<'_> {
        match decode_frame(&self.bytes, &self.frame, self.version, &self.opts) {
            Ok(packet) => packet,
            Err(e) => revalidation_failed(e),
        }
    }

    /// The packet's wire bytes (fixed header included).
    ///
    /// # Examples
    /// ```
    /// use bytes::Bytes;
    /// use mqtt_wire::{DecodeOptions, OwnedPacket, Version};
    /// let owned = OwnedPacket::from_bytes(Bytes::from_static(&[0xC0, 0x00]), Version::V5, &DecodeOptions::new())?
    ///     .complete()
    ///     .unwrap();
    /// assert_eq!(&owned.bytes()[..], [0xC0, 0x00]);
    /// # Ok::<(), mqtt_wire::DecodeError>(())
    /// ```
    #[must_use]
    pub const fn bytes(&self) -> &bytes::Bytes {
        &self.bytes
    }

    /// The wire bytes, giving up the packet (e.g. to forward them unchanged).
    ///
    /// # Examples
    /// ```
    /// use bytes::Bytes;
    /// use mqtt_wire::{DecodeOptions, OwnedPacket, Version};
    /// let wire = Bytes::from_static(&[0xC0, 0x00]);
    /// let owned = OwnedPacket::from_bytes(wire.clone(), Version::V5, &DecodeOptions::new())?
    ///     .complete()
    ///     .unwrap();
    /// assert_eq!(owned.into_bytes(), wire);
    /// # Ok::<(), mqtt_wire::DecodeError>(())
    /// ```
    #[must_use]
    pub fn into_bytes(self) -> bytes::Bytes {
        self.bytes
    }

    /// The fixed header: type, flags and lengths.
    ///
    /// # Examples
    /// ```
    /// use bytes::Bytes;
    /// use mqtt_wire::{DecodeOptions, OwnedPacket, Version};
    /// let owned = OwnedPacket::from_bytes(Bytes::from_static(&[0xC0, 0x00]), Version::V5, &DecodeOptions::new())?
    ///     .complete()
    ///     .unwrap();
    /// assert_eq!((owned.frame().header_len, owned.frame().remaining_len), (2, 0));
    /// # Ok::<(), mqtt_wire::DecodeError>(())
    /// ```
    #[must_use]
    pub const fn frame(&self) -> &Frame {
        &self.frame
    }

    /// The packet type.
    ///
    /// # Examples
    /// ```
    /// use bytes::Bytes;
    /// use mqtt_wire::{DecodeOptions, OwnedPacket, PacketType, Version};
    /// let owned = OwnedPacket::from_bytes(Bytes::from_static(&[0xC0, 0x00]), Version::V5, &DecodeOptions::new())?
    ///     .complete()
    ///     .unwrap();
    /// assert_eq!(owned.packet_type(), PacketType::PingReq);
    /// # Ok::<(), mqtt_wire::DecodeError>(())
    /// ```
    #[must_use]
    pub const fn packet_type(&self) -> PacketType {
        self.frame.packet_type
    }

    /// The protocol version the bytes were validated for (for a CONNECT, the one it names).
    ///
    /// # Examples
    /// ```
    /// use bytes::Bytes;
    /// use mqtt_wire::{DecodeOptions, OwnedPacket, Version};
    /// let owned = OwnedPacket::from_bytes(Bytes::from_static(&[0xC0, 0x00]), Version::V3_1_1, &DecodeOptions::new())?
    ///     .complete()
    ///     .unwrap();
    /// assert_eq!(owned.version(), Version::V3_1_1);
    /// # Ok::<(), mqtt_wire::DecodeError>(())
    /// ```
    #[must_use]
    pub const fn version(&self) -> Version {
        self.version
    }

    /// The packet's length in bytes.
    ///
    /// # Examples
    /// ```
    /// use bytes::Bytes;
    /// use mqtt_wire::{DecodeOptions, OwnedPacket, Version};
    /// let owned = OwnedPacket::from_bytes(Bytes::from_static(&[0xC0, 0x00]), Version::V5, &DecodeOptions::new())?
    ///     .complete()
    ///     .unwrap();
    /// assert_eq!(owned.len(), 2);
    /// # Ok::<(), mqtt_wire::DecodeError>(())
    /// ```
    #[must_use]
    pub fn len(&self) -> usize {
        self.bytes.len()
    }

    /// Never true: every packet has a fixed header. Present for API symmetry with `len`.
    ///
    /// # Examples
    /// ```
    /// use bytes::Bytes;
    /// use mqtt_wire::{DecodeOptions, OwnedPacket, Version};
    /// let owned = OwnedPacket::from_bytes(Bytes::from_static(&[0xC0, 0x00]), Version::V5, &DecodeOptions::new())?
    ///     .complete()
    ///     .unwrap();
    /// assert!(!owned.is_empty());
    /// # Ok::<(), mqtt_wire::DecodeError>(())
    /// ```
    #[must_use]
    pub fn is_empty(&self) -> bool {
        self.bytes.is_empty()
    }
}

/// Frames and fully decodes the packet at the start of `buf`; returns its frame and the
/// version it is valid in (a CONNECT's own).
#[cfg(feature = "bytes")]
fn check(
    buf: &[u8],
    version: Version,
    opts: &DecodeOptions,
) -> Result<Status<(Frame, Version)>, DecodeError> {
    let f = match frame(buf, version, opts)? {
        Status::Complete(f) => f,
        Status::Partial(n) => return Ok(Status::Partial(n)),
    };
    let bytes = buf.get(..f.len()).unwrap_or_default();
    let version = match decode_frame(bytes, &f, version, opts)? {
        Packet::Connect(c) => c.version,
        _ => version,
    };
    Ok(Status::Complete((f, version)))
}

/// The impossible branch of [`OwnedPacket::packet`]; see its documentation.
#[cfg(feature = "bytes")]
#[cold]
#[inline(never)]
#[allow(clippy::panic)] // unreachable from input: only a crate bug (a non-pure decoder) gets here
fn revalidation_failed(e: DecodeError) -> ! {
    panic!("mqtt-wire bug: an OwnedPacket validated when made failed to decode again: {e}")
}

#[cfg(feature = "bytes")]
impl PartialEq for OwnedPacket {
    fn eq(&self, other: &Self) -> bool {
        self.version == other.version && self.bytes == other.bytes
    }
}

#[cfg(feature = "bytes")]
impl Eq for OwnedPacket {}

#[cfg(feature = "bytes")]
impl core::hash::Hash for OwnedPacket {
    fn hash<H: core::hash::Hasher>(&self, state: &mut H) {
        self.version.hash(state);
        self.bytes.hash(state);
    }
}

#[cfg(feature = "bytes")]
impl core::fmt::Debug for OwnedPacket {
    fn fmt(&self, f: &mut core::fmt::Formatter<'_>) -> core::fmt::Result {
        f.debug_struct("OwnedPacket")
            .field("version", &self.version)
            .field("packet", &self.packet())
            .finish()
    }
}

#[cfg(feature = "bytes")]
impl core::fmt::Display for OwnedPacket {
    fn fmt(&self, f: &mut core::fmt::Formatter<'_>) -> core::fmt::Result {
        core::fmt::Display::fmt(&self.packet(), f)
    }
}
