//! [`VecBuffer`] (feature `alloc`): a growable stream buffer for std and alloc users, with
//! the methods of the fixed-capacity [`StreamBuffer`](crate::StreamBuffer).

use alloc::vec::Vec;

use crate::entry::frame;
use crate::error::DecodeError;
use crate::framer::{RawPacket, StreamStatus, front_frame, front_packet, stream_status};
use crate::packet::Packet;
use crate::{DecodeOptions, Status, Version};

/// How much room [`VecBuffer::fill_from`] offers at least.
const READ_CHUNK: usize = 4096;

/// A growable stream buffer backed by a `Vec<u8>`: push bytes as they arrive, take complete
/// packets out. Consumed bytes are reclaimed when they make up most of the buffer.
///
/// It grows as needed, so set a maximum packet size ([`with_options`](Self::with_options))
/// for a peer you do not trust: a packet above it is refused as soon as its fixed header is
/// in, before its body is buffered. A packet taken out stays valid until the buffer is next
/// changed. A packet refused by [`next_packet`](Self::next_packet) or
/// [`next_frame`](Self::next_frame) stays pending, so the same call refuses it again until
/// [`clear`](Self::clear); `next_frame` only frames, so it hands out (and consumes) a packet
/// whose body `next_packet` refuses.
///
/// # Examples
/// ```
/// use mqtt_wire::{Packet, Status, VecBuffer, Version};
/// let mut rx = VecBuffer::new(Version::V3_1_1);
/// rx.push(&[0x30, 0x05, 0x00, 0x01, b'a']);
/// assert_eq!(rx.next_packet(), Ok(Status::Partial(2)));
/// rx.push(&[b'h', b'i', 0xD0, 0x00]);
/// let Ok(Status::Complete(Packet::Publish(p))) = rx.next_packet() else { panic!() };
/// assert_eq!(p.payload, b"hi");
/// assert_eq!(rx.next_packet(), Ok(Status::Complete(Packet::PingResp)));
/// assert!(rx.is_empty());
/// ```
#[cfg_attr(docsrs, doc(cfg(feature = "alloc")))]
#[derive(Debug, Clone)]
pub struct VecBuffer {
    buf: Vec<u8>,
    start: usize,
    version: Version,
    opts: DecodeOptions,
}

impl VecBuffer {
    /// An empty buffer for a connection of `version`, without a packet size limit.
    ///
    /// # Examples
    /// ```
    /// use mqtt_wire::{VecBuffer, Version};
    /// assert!(VecBuffer::new(Version::V5).is_empty());
    /// ```
    #[must_use]
    pub const fn new(version: Version) -> Self {
        Self::with_options(version, DecodeOptions::new())
    }

    /// An empty buffer with options (maximum packet size, UTF-8 policy).
    ///
    /// # Examples
    /// ```
    /// use mqtt_wire::{DecodeErrorKind, DecodeOptions, VecBuffer, Version};
    /// let mut rx = VecBuffer::with_options(Version::V5, DecodeOptions::new().max_packet_size(8));
    /// rx.push(&[0x30, 0x10]);
    /// assert_eq!(rx.next_packet().unwrap_err().kind(), DecodeErrorKind::PacketTooLarge);
    /// ```
    #[must_use]
    pub const fn with_options(version: Version, opts: DecodeOptions) -> Self {
        Self {
            buf: Vec::new(),
            start: 0,
            version,
            opts,
        }
    }

    /// Appends `data` and returns how many bytes were taken (all of them).
    ///
    /// # Examples
    /// ```
    /// use mqtt_wire::{VecBuffer, Version};
    /// let mut rx = VecBuffer::new(Version::V5);
    /// assert_eq!(rx.push(&[0xC0, 0x00]), 2);
    /// assert_eq!(rx.len(), 2);
    /// ```
    pub fn push(&mut self, data: &[u8]) -> usize {
        self.compact();
        self.buf.extend_from_slice(data);
        data.len()
    }

    /// Lets `read` write straight into free space at the end and keeps the number of bytes
    /// it reports (capped at the space given). For `read(&mut [u8]) -> Result<usize, E>`
    /// shapes such as [`std::io::Read::read`].
    ///
    /// The space offered is what the next packet still needs, but at least 4096 bytes and at
    /// most as many bytes as are already pending (or 4096, whichever is more). So a large
    /// packet is read in a few doubling steps, and the buffer's memory follows the bytes that
    /// really arrive (a small multiple of them), not the length a fixed header announces:
    /// five bytes announcing 256 MB do not make it commit 256 MB.
    ///
    /// # Errors
    /// Whatever `read` returns; the buffer is then unchanged.
    ///
    /// # Examples
    /// ```
    /// use std::io::Read;
    /// use mqtt_wire::{Packet, Status, VecBuffer, Version};
    /// let mut socket: &[u8] = &[0xC0, 0x00];
    /// let mut rx = VecBuffer::new(Version::V5);
    /// assert_eq!(rx.fill_from(|space| socket.read(space))?, 2);
    /// assert_eq!(rx.next_packet(), Ok(Status::Complete(Packet::PingReq)));
    /// # Ok::<(), std::io::Error>(())
    /// ```
    pub fn fill_from<E>(
        &mut self,
        read: impl FnOnce(&mut [u8]) -> Result<usize, E>,
    ) -> Result<usize, E> {
        self.compact();
        let want = match frame(self.pending(), self.version, &self.opts) {
            Ok(Status::Partial(n)) => n.min(self.len()).max(READ_CHUNK),
            _ => READ_CHUNK,
        };
        let len = self.buf.len();
        self.buf.resize(len.saturating_add(want), 0);
        let space = self.buf.get_mut(len..).unwrap_or_default();
        let result = read(space).map(|n| n.min(want));
        self.buf
            .truncate(len.saturating_add(*result.as_ref().unwrap_or(&0)));
        result
    }

    /// The next complete packet's boundaries and bytes, consuming them; `Partial(n)` if at
    /// least `n` more bytes are needed first.
    ///
    /// # Errors
    /// As [`frame`](crate::frame).
    ///
    /// # Examples
    /// ```
    /// use mqtt_wire::{PacketType, Status, VecBuffer, Version};
    /// let mut rx = VecBuffer::new(Version::V5);
    /// rx.push(&[0xC0, 0x00]);
    /// let Status::Complete(raw) = rx.next_frame()? else { panic!() };
    /// assert_eq!((raw.packet_type(), raw.bytes), (PacketType::PingReq, &[0xC0, 0x00][..]));
    /// # Ok::<(), mqtt_wire::DecodeError>(())
    /// ```
    pub fn next_frame(&mut self) -> Result<Status<RawPacket<'_>>, DecodeError> {
        let rest = self.buf.get(self.start..).unwrap_or_default();
        let status = front_frame(rest, self.version, &self.opts)?;
        if let Status::Complete(raw) = &status {
            self.start = self.start.saturating_add(raw.bytes.len());
        }
        Ok(status)
    }

    /// The next complete packet, decoded and consumed; `Partial(n)` if at least `n` more
    /// bytes are needed first. A decoded CONNECT sets the version for what follows.
    ///
    /// # Errors
    /// As [`decode`](crate::decode); the invalid packet is not consumed.
    ///
    /// # Examples
    /// ```
    /// use mqtt_wire::{Packet, Status, VecBuffer, Version};
    /// let mut rx = VecBuffer::new(Version::V5);
    /// rx.push(&[0xD0, 0x00]);
    /// assert_eq!(rx.next_packet(), Ok(Status::Complete(Packet::PingResp)));
    /// assert_eq!(rx.next_packet(), Ok(Status::Partial(2)));
    /// ```
    pub fn next_packet(&mut self) -> Result<Status<Packet<'_>>, DecodeError> {
        let rest = self.buf.get(self.start..).unwrap_or_default();
        match front_packet(rest, &mut self.version, &self.opts)? {
            Status::Complete((packet, used)) => {
                self.start = self.start.saturating_add(used);
                Ok(Status::Complete(packet))
            }
            Status::Partial(n) => Ok(Status::Partial(n)),
        }
    }

    /// At least how many more bytes the next packet needs (see
    /// [`Framer::needed`](crate::Framer::needed); [`status`](Self::status) says more).
    ///
    /// # Examples
    /// ```
    /// use mqtt_wire::{VecBuffer, Version};
    /// let mut rx = VecBuffer::new(Version::V5);
    /// rx.push(&[0x30, 0x03]);
    /// assert_eq!(rx.needed(), 3);
    /// ```
    #[must_use]
    pub fn needed(&self) -> usize {
        match frame(self.pending(), self.version, &self.opts) {
            Ok(Status::Partial(n)) if !self.is_empty() => n,
            _ => 0,
        }
    }

    /// What the pending bytes are: nothing, a complete (and valid) packet, the beginning of
    /// one with how many more bytes it needs, or invalid.
    ///
    /// # Examples
    /// ```
    /// use mqtt_wire::{StreamStatus, VecBuffer, Version};
    /// let mut rx = VecBuffer::new(Version::V5);
    /// assert_eq!(rx.status(), StreamStatus::Empty);
    /// rx.push(&[0x30, 0x03]);
    /// assert_eq!(rx.status(), StreamStatus::Partial(3));
    /// ```
    #[must_use]
    pub fn status(&self) -> StreamStatus {
        stream_status(self.pending(), self.version, &self.opts, true)
    }

    /// The buffered bytes not consumed yet.
    ///
    /// # Examples
    /// ```
    /// use mqtt_wire::{VecBuffer, Version};
    /// let mut rx = VecBuffer::new(Version::V5);
    /// rx.push(&[0xC0, 0x00, 0xD0]);
    /// let _ = rx.next_frame();
    /// assert_eq!(rx.pending(), [0xD0]);
    /// ```
    #[must_use]
    pub fn pending(&self) -> &[u8] {
        self.buf.get(self.start..).unwrap_or_default()
    }

    /// The number of buffered bytes not consumed yet.
    ///
    /// # Examples
    /// ```
    /// use mqtt_wire::{VecBuffer, Version};
    /// let mut rx = VecBuffer::new(Version::V5);
    /// rx.push(&[0xC0]);
    /// assert_eq!(rx.len(), 1);
    /// ```
    #[must_use]
    pub fn len(&self) -> usize {
        self.pending().len()
    }

    /// Whether no unconsumed bytes are buffered.
    ///
    /// # Examples
    /// ```
    /// use mqtt_wire::{VecBuffer, Version};
    /// assert!(VecBuffer::new(Version::V5).is_empty());
    /// ```
    #[must_use]
    pub fn is_empty(&self) -> bool {
        self.pending().is_empty()
    }

    /// How many bytes can be buffered before the `Vec` reallocates (consumed bytes count
    /// as free). [`push`](Self::push) takes any amount regardless.
    ///
    /// # Examples
    /// ```
    /// use mqtt_wire::{VecBuffer, Version};
    /// let rx = VecBuffer::new(Version::V5);
    /// assert_eq!(rx.free(), 0); // nothing allocated yet
    /// ```
    #[must_use]
    pub fn free(&self) -> usize {
        self.buf.capacity().saturating_sub(self.len())
    }

    /// Drops every buffered byte (e.g. after an error, for a new connection), keeping the
    /// allocation.
    ///
    /// # Examples
    /// ```
    /// use mqtt_wire::{VecBuffer, Version};
    /// let mut rx = VecBuffer::new(Version::V5);
    /// rx.push(&[0x00]);
    /// rx.clear();
    /// assert!(rx.is_empty());
    /// ```
    pub fn clear(&mut self) {
        self.buf.clear();
        self.start = 0;
    }

    /// The protocol version packets are framed and decoded with.
    ///
    /// # Examples
    /// ```
    /// use mqtt_wire::{VecBuffer, Version};
    /// assert_eq!(VecBuffer::new(Version::V3_1).version(), Version::V3_1);
    /// ```
    #[must_use]
    pub const fn version(&self) -> Version {
        self.version
    }

    /// Changes the protocol version for the packets still to come.
    ///
    /// # Examples
    /// ```
    /// use mqtt_wire::{VecBuffer, Version};
    /// let mut rx = VecBuffer::new(Version::V5);
    /// rx.set_version(Version::V3_1_1);
    /// assert_eq!(rx.version(), Version::V3_1_1);
    /// ```
    pub fn set_version(&mut self, version: Version) {
        self.version = version;
    }

    /// Drops the consumed bytes when everything is consumed, or when they are at least
    /// half the buffer (so that each byte is moved at most about once).
    fn compact(&mut self) {
        let len = self.buf.len();
        let start = self.start.min(len);
        if start == len {
            self.clear();
        } else if start >= len.saturating_sub(start) {
            self.buf.drain(..start);
            self.start = 0;
        }
    }
}
