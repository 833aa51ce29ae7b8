//! Streams: split a buffer that grows as bytes arrive into packets.
//!
//! - [`Framer`] walks a borrowed `&[u8]` and yields each complete packet's bytes and
//!   [`Frame`] (all a broker that forwards bytes needs), or, through
//!   [`Framer::next_packet`] / [`Packets`], the decoded [`Packet`]s. It stops at the first
//!   incomplete packet and says how many bytes it still needs.
//! - [`StreamBuffer`] (feature `heapless`) owns a fixed-capacity buffer: push bytes as they
//!   arrive (from a UART, a socket ...), take packets out; consumed bytes are compacted away.
//! - [`read_packet`] (feature `std`) reads exactly one packet from any [`std::io::Read`].
//!
//! All of them are built on [`frame`], so the caller's maximum packet size is enforced as
//! soon as a packet's fixed header has arrived, before its body is waited for. After an
//! error the stream has lost its packet boundaries: the connection should be closed (a 5.0
//! peer first gets a DISCONNECT with [`DecodeError::reason_code`]).

use crate::entry::{decode_frame, frame};
use crate::error::DecodeError;
use crate::header::{Frame, PacketType};
use crate::packet::Packet;
use crate::{DecodeOptions, Status, Version};

/// One complete packet found by a [`Framer`] or [`StreamBuffer`]: its fixed header and its
/// bytes (fixed header included), not decoded yet.
///
/// # Examples
/// ```
/// use mqtt_wire::{Framer, PacketType, Version};
/// let stream = [0xC0, 0x00, 0xD0, 0x00];
/// let raw = Framer::new(&stream, Version::V5).next().unwrap()?;
/// assert_eq!((raw.packet_type(), raw.bytes), (PacketType::PingReq, &[0xC0, 0x00][..]));
/// # Ok::<(), mqtt_wire::DecodeError>(())
/// ```
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
#[cfg_attr(feature = "defmt", derive(defmt::Format))]
pub struct RawPacket<'a> {
    /// The fixed header: type, flags and lengths.
    pub frame: Frame,
    /// The whole packet, `frame.len()` bytes.
    pub bytes: &'a [u8],
}

impl<'a> RawPacket<'a> {
    /// The packet type.
    #[must_use]
    pub const fn packet_type(&self) -> PacketType {
        self.frame.packet_type
    }

    /// The variable header and payload (`frame.remaining_len` bytes).
    #[must_use]
    pub fn body(&self) -> &'a [u8] {
        self.bytes.get(self.frame.header_len..).unwrap_or_default()
    }

    /// Decodes the packet's body, as [`decode_frame`] does.
    ///
    /// # Errors
    /// As [`decode`](crate::decode).
    pub fn decode(
        &self,
        version: Version,
        opts: &DecodeOptions,
    ) -> Result<Packet<'a>, DecodeError> {
        decode_frame(self.bytes, &self.frame, version, opts)
    }
}

/// Iterates over the complete packets at the start of a byte slice.
///
/// As an [`Iterator`] it yields [`RawPacket`]s (boundaries only, bodies not decoded);
/// [`next_packet`](Self::next_packet) and [`packets`](Self::packets) decode them. Iteration
/// ends at the first incomplete packet (then [`needed`](Self::needed) says how many bytes
/// it lacks) or right after the first error. Errors are exactly those of
/// [`decode`](crate::decode) on the bytes from [`consumed`](Self::consumed) on: their
/// offsets count from the failing packet's first byte, which is at `consumed()`.
///
/// The version matters for type 15 (AUTH, 5.0 only) and for decoding. A broker that does
/// not know it yet may frame with [`Version::V5`] until CONNECT arrives; when packets are
/// decoded, a CONNECT switches the framer to the version it names.
///
/// # Examples
/// ```
/// use mqtt_wire::{Framer, Packet, Version};
/// // A PINGREQ, a whole PUBLISH, and the first 3 bytes of another PUBLISH.
/// let buf = [0xC0, 0x00, 0x30, 0x05, 0x00, 0x01, b'a', b'h', b'i', 0x30, 0x05, 0x00];
/// let mut framer = Framer::new(&buf, Version::V3_1_1);
/// assert_eq!(framer.next_packet(), Some(Ok(Packet::PingReq)));
/// let Some(Ok(Packet::Publish(p))) = framer.next_packet() else { panic!() };
/// assert_eq!((p.topic, p.payload), ("a", &b"hi"[..]));
/// assert_eq!(framer.next_packet(), None);
/// assert_eq!((framer.consumed(), framer.needed()), (9, 4));
/// ```
#[derive(Debug, Clone)]
pub struct Framer<'a> {
    buf: &'a [u8],
    consumed: usize,
    version: Version,
    opts: DecodeOptions,
    failed: bool,
}

impl<'a> Framer<'a> {
    /// A framer over `buf` for a connection of `version`, without a packet size limit.
    #[must_use]
    pub const fn new(buf: &'a [u8], version: Version) -> Self {
        Self::with_options(buf, version, DecodeOptions::new())
    }

    /// A framer with options (maximum packet size, UTF-8 policy).
    #[must_use]
    pub const fn with_options(buf: &'a [u8], version: Version, opts: DecodeOptions) -> Self {
        Self {
            buf,
            consumed: 0,
            version,
            opts,
            failed: false,
        }
    }

    /// Bytes taken by the packets yielded so far: where the next packet starts. After an
    /// error, where the invalid packet starts.
    #[must_use]
    pub const fn consumed(&self) -> usize {
        self.consumed
    }

    /// The bytes not consumed yet (an incomplete packet, or an invalid one).
    #[must_use]
    pub fn remaining(&self) -> &'a [u8] {
        self.buf.get(self.consumed..).unwrap_or_default()
    }

    /// At least how many more bytes the packet at [`consumed`](Self::consumed) needs: exact
    /// once its fixed header has arrived, 1 or 2 before that. 0 when no packet has begun
    /// (the buffer ends on a packet boundary), when the next packet is complete, or when
    /// the bytes are invalid.
    #[must_use]
    pub fn needed(&self) -> usize {
        let rest = self.remaining();
        if rest.is_empty() {
            return 0;
        }
        match frame(rest, self.version, &self.opts) {
            Ok(Status::Partial(n)) => n,
            _ => 0,
        }
    }

    /// What the bytes at [`consumed`](Self::consumed) are: nothing, a complete packet, the
    /// beginning of one (with how many more bytes it needs), or invalid. Unlike
    /// [`needed`](Self::needed), whose 0 means any of three things.
    ///
    /// # Examples
    /// ```
    /// use mqtt_wire::{Framer, StreamStatus, Version};
    /// assert_eq!(Framer::new(&[], Version::V5).status(), StreamStatus::Empty);
    /// assert_eq!(Framer::new(&[0x30, 0x05, 0x00], Version::V5).status(), StreamStatus::Partial(4));
    /// assert!(matches!(Framer::new(&[0xC0, 0x00], Version::V5).status(), StreamStatus::Complete(_)));
    /// assert!(matches!(Framer::new(&[0x00], Version::V5).status(), StreamStatus::Invalid(_)));
    /// // After a body error, the invalid packet is where the framer stopped.
    /// let mut framer = Framer::new(&[0x62, 0x02, 0x00, 0x00], Version::V5); // PUBREL, id 0
    /// assert!(framer.next_packet().unwrap().is_err());
    /// assert!(matches!(framer.status(), StreamStatus::Invalid(_)));
    /// ```
    #[must_use]
    pub fn status(&self) -> StreamStatus {
        stream_status(self.remaining(), self.version, &self.opts, self.failed)
    }

    /// The protocol version packets are framed and decoded with.
    #[must_use]
    pub const fn version(&self) -> Version {
        self.version
    }

    /// Changes the protocol version for the packets after the current position.
    pub fn set_version(&mut self, version: Version) {
        self.version = version;
    }

    /// Decodes the next complete packet. A decoded CONNECT sets the version for the
    /// packets after it. `None` when the next packet is incomplete, or after an error.
    ///
    /// # Errors
    /// As [`decode`](crate::decode); a body error leaves [`consumed`](Self::consumed) at the
    /// start of the invalid packet.
    pub fn next_packet(&mut self) -> Option<Result<Packet<'a>, DecodeError>> {
        let raw = match self.next()? {
            Ok(raw) => raw,
            Err(e) => return Some(Err(e)),
        };
        match decode_frame(raw.bytes, &raw.frame, self.version, &self.opts) {
            Ok(packet) => {
                if let Packet::Connect(c) = &packet {
                    self.version = c.version;
                }
                Some(Ok(packet))
            }
            Err(e) => {
                self.consumed = self.consumed.saturating_sub(raw.bytes.len());
                self.failed = true;
                Some(Err(e))
            }
        }
    }

    /// An iterator over the decoded packets (see [`next_packet`](Self::next_packet)).
    #[must_use]
    pub const fn packets(self) -> Packets<'a> {
        Packets(self)
    }
}

impl<'a> Iterator for Framer<'a> {
    type Item = Result<RawPacket<'a>, DecodeError>;

    fn next(&mut self) -> Option<Self::Item> {
        if self.failed {
            return None;
        }
        let rest = self.remaining();
        match frame(rest, self.version, &self.opts) {
            Ok(Status::Complete(f)) => {
                let bytes = rest.get(..f.len())?;
                self.consumed = self.consumed.saturating_add(bytes.len());
                Some(Ok(RawPacket { frame: f, bytes }))
            }
            Ok(Status::Partial(_)) => None,
            Err(e) => {
                self.failed = true;
                Some(Err(e))
            }
        }
    }
}

impl core::iter::FusedIterator for Framer<'_> {}

/// What the unconsumed bytes of a stream are: see [`Framer::status`],
/// [`VecBuffer::status`](crate::VecBuffer::status) (feature `alloc`) and
/// [`StreamBuffer::status`] (feature `heapless`).
///
/// # Examples
/// ```
/// use mqtt_wire::{Framer, StreamStatus, Version};
/// match Framer::new(&[0xD0], Version::V5).status() {
///     StreamStatus::Empty => println!("at a packet boundary"),
///     StreamStatus::Complete(frame) => println!("a whole {} is there", frame.packet_type),
///     StreamStatus::Partial(n) => println!("{n} more bytes needed"),
///     StreamStatus::Invalid(e) => println!("close the connection: {e}"),
/// }
/// ```
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
#[cfg_attr(feature = "defmt", derive(defmt::Format))]
pub enum StreamStatus {
    /// No bytes are pending: the stream is at a packet boundary.
    Empty,
    /// A whole packet has arrived: its fixed header. The buffers' `status` has checked its
    /// body too; [`Framer::status`] has only if the framer already decoded and refused it
    /// (then the status is `Invalid`).
    Complete(Frame),
    /// A packet has begun; at least this many (>= 1) more bytes are needed. Exact once the
    /// fixed header is complete.
    Partial(usize),
    /// The pending bytes are not a valid packet (in the fixed header, or, once the packet
    /// has been decoded and refused, in its body).
    Invalid(DecodeError),
}

/// The complete packet at the front of `rest`, framed but not decoded (the step of
/// `StreamBuffer::next_frame` and `VecBuffer::next_frame`).
#[cfg(any(feature = "heapless", feature = "alloc"))]
pub(crate) fn front_frame<'a>(
    rest: &'a [u8],
    version: Version,
    opts: &DecodeOptions,
) -> Result<Status<RawPacket<'a>>, DecodeError> {
    Ok(match frame(rest, version, opts)? {
        Status::Complete(f) => Status::Complete(RawPacket {
            frame: f,
            bytes: rest.get(..f.len()).unwrap_or_default(),
        }),
        Status::Partial(n) => Status::Partial(n),
    })
}

/// The packet at the front of `rest`, decoded, and the bytes it takes; a decoded CONNECT
/// sets `version` for what follows (the step of `StreamBuffer::next_packet` and
/// `VecBuffer::next_packet`).
#[cfg(any(feature = "heapless", feature = "alloc"))]
pub(crate) fn front_packet<'a>(
    rest: &'a [u8],
    version: &mut Version,
    opts: &DecodeOptions,
) -> Result<Status<(Packet<'a>, usize)>, DecodeError> {
    let status = crate::entry::decode_with(rest, *version, opts)?;
    if let Status::Complete((Packet::Connect(c), _)) = &status {
        *version = c.version;
    }
    Ok(status)
}

/// The status of `rest`; with `check_body`, a complete first packet is decoded too.
pub(crate) fn stream_status(
    rest: &[u8],
    version: Version,
    opts: &DecodeOptions,
    check_body: bool,
) -> StreamStatus {
    if rest.is_empty() {
        return StreamStatus::Empty;
    }
    match frame(rest, version, opts) {
        Ok(Status::Partial(n)) => StreamStatus::Partial(n),
        Err(e) => StreamStatus::Invalid(e),
        Ok(Status::Complete(f)) if check_body => {
            let bytes = rest.get(..f.len()).unwrap_or_default();
            match decode_frame(bytes, &f, version, opts) {
                Err(e) => StreamStatus::Invalid(e),
                Ok(_) => StreamStatus::Complete(f),
            }
        }
        Ok(Status::Complete(f)) => StreamStatus::Complete(f),
    }
}

/// Iterator over the decoded packets of a [`Framer`]; see [`Framer::packets`].
///
/// # Examples
/// ```
/// use mqtt_wire::{Framer, Packet, Version};
/// let buf = [0xC0, 0x00, 0xC0, 0x00, 0xC0];
/// let mut packets = Framer::new(&buf, Version::V5).packets();
/// assert_eq!(packets.by_ref().collect::<Result<Vec<_>, _>>()?, [Packet::PingReq; 2]);
/// assert_eq!((packets.framer().consumed(), packets.framer().needed()), (4, 1));
/// # Ok::<(), mqtt_wire::DecodeError>(())
/// ```
#[derive(Debug, Clone)]
pub struct Packets<'a>(Framer<'a>);

impl<'a> Packets<'a> {
    /// The underlying framer (position, bytes needed, version).
    #[must_use]
    pub const fn framer(&self) -> &Framer<'a> {
        &self.0
    }

    /// The underlying framer, e.g. to change the version.
    pub fn framer_mut(&mut self) -> &mut Framer<'a> {
        &mut self.0
    }
}

impl<'a> Iterator for Packets<'a> {
    type Item = Result<Packet<'a>, DecodeError>;

    fn next(&mut self) -> Option<Self::Item> {
        self.0.next_packet()
    }
}

impl core::iter::FusedIterator for Packets<'_> {}

/// A fixed-capacity stream buffer: push bytes as they arrive, take complete packets out.
///
/// Packets larger than `N` bytes can never fit, so they are refused with
/// [`PacketTooLarge`](crate::DecodeErrorKind::PacketTooLarge) as soon as their fixed header
/// is in (the limit is the smaller of `N` and the options' maximum packet size). A packet
/// taken out stays valid until the buffer is next changed; its bytes are reclaimed by the
/// next [`push`](Self::push) or [`fill_from`](Self::fill_from) that needs the room. A packet
/// refused by [`next_packet`](Self::next_packet) or [`next_frame`](Self::next_frame) stays
/// pending, so the same call refuses it again until [`clear`](Self::clear); `next_frame`
/// only frames, so it hands out (and consumes) a packet whose body `next_packet` refuses.
///
/// # Examples
/// ```
/// use mqtt_wire::{Packet, Status, StreamBuffer, Version};
/// let mut rx: StreamBuffer<64> = StreamBuffer::new(Version::V3_1_1);
/// // A PUBLISH arrives in two pieces.
/// rx.push(&[0x30, 0x05, 0x00, 0x01]);
/// assert_eq!(rx.next_packet()?, Status::Partial(3));
/// rx.push(&[b'a', b'h', b'i', 0xC0]);
/// let Status::Complete(Packet::Publish(p)) = rx.next_packet()? else { panic!() };
/// assert_eq!((p.topic, p.payload), ("a", &b"hi"[..]));
/// assert_eq!(rx.next_packet()?, Status::Partial(1)); // half a PINGREQ
/// # Ok::<(), mqtt_wire::DecodeError>(())
/// ```
#[cfg(feature = "heapless")]
#[cfg_attr(docsrs, doc(cfg(feature = "heapless")))]
#[derive(Debug, Clone)]
pub struct StreamBuffer<const N: usize> {
    buf: heapless::Vec<u8, N>,
    start: usize,
    version: Version,
    opts: DecodeOptions,
}

#[cfg(feature = "heapless")]
impl<const N: usize> StreamBuffer<N> {
    /// An empty buffer for a connection of `version`.
    #[must_use]
    pub fn new(version: Version) -> Self {
        Self::with_options(version, DecodeOptions::new())
    }

    /// An empty buffer with options; the maximum packet size is capped at `N`.
    #[must_use]
    pub fn with_options(version: Version, opts: DecodeOptions) -> Self {
        let cap = u32::try_from(N).unwrap_or(u32::MAX);
        Self {
            buf: heapless::Vec::new(),
            start: 0,
            version,
            opts: opts.max_packet_size(opts.max_packet_size.min(cap)),
        }
    }

    /// Appends as much of `data` as fits (moving unconsumed bytes to the front first if
    /// that makes room) and returns how many bytes were taken.
    pub fn push(&mut self, data: &[u8]) -> usize {
        self.make_room(data.len());
        let n = data.len().min(self.spare());
        match data.get(..n).map(|chunk| self.buf.extend_from_slice(chunk)) {
            Some(Ok(())) => n,
            _ => 0,
        }
    }

    /// Lets `read` write straight into the free space (after compaction) and keeps the
    /// number of bytes it reports (capped at the space given). For drivers with a
    /// `read(&mut [u8]) -> Result<usize, E>` shape, without an intermediate copy.
    ///
    /// # Errors
    /// Whatever `read` returns; the buffer is then unchanged.
    ///
    /// # Examples
    /// ```
    /// use mqtt_wire::{Packet, Status, StreamBuffer, Version};
    /// let mut rx: StreamBuffer<16> = StreamBuffer::new(Version::V5);
    /// let n = rx.fill_from(|space| {
    ///     space[..2].copy_from_slice(&[0xD0, 0x00]);
    ///     Ok::<_, ()>(2)
    /// })?;
    /// assert_eq!(n, 2);
    /// assert_eq!(rx.next_packet(), Ok(Status::Complete(Packet::PingResp)));
    /// # Ok::<(), ()>(())
    /// ```
    pub fn fill_from<E>(
        &mut self,
        read: impl FnOnce(&mut [u8]) -> Result<usize, E>,
    ) -> Result<usize, E> {
        self.make_room(N);
        let len = self.buf.len();
        // Cannot fail: `N` is the capacity.
        let _ = self.buf.resize(N, 0);
        let space = self.buf.get_mut(len..).unwrap_or_default();
        let result = read(space).map(|n| n.min(N.saturating_sub(len)));
        self.buf
            .truncate(len.saturating_add(*result.as_ref().unwrap_or(&0)));
        result
    }

    /// The next complete packet's boundaries and bytes, consuming them; `Partial(n)` if at
    /// least `n` more bytes are needed first.
    ///
    /// # Errors
    /// As [`frame`].
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

    /// At least how many more bytes the next packet needs (see [`Framer::needed`]).
    #[must_use]
    pub fn needed(&self) -> usize {
        Framer::with_options(self.pending(), self.version, self.opts).needed()
    }

    /// What the pending bytes are (see [`Framer::status`]). A packet refused by
    /// [`next_packet`](Self::next_packet) stays pending and shows as `Invalid`.
    ///
    /// # Examples
    /// ```
    /// use mqtt_wire::{StreamBuffer, StreamStatus, Version};
    /// let mut rx: StreamBuffer<16> = StreamBuffer::new(Version::V5);
    /// assert_eq!(rx.status(), StreamStatus::Empty);
    /// rx.push(&[0xD0]);
    /// assert_eq!(rx.status(), StreamStatus::Partial(1));
    /// ```
    #[must_use]
    pub fn status(&self) -> StreamStatus {
        stream_status(self.pending(), self.version, &self.opts, true)
    }

    /// The buffered bytes not consumed yet.
    #[must_use]
    pub fn pending(&self) -> &[u8] {
        self.buf.get(self.start..).unwrap_or_default()
    }

    /// The number of buffered bytes not consumed yet.
    #[must_use]
    pub fn len(&self) -> usize {
        self.pending().len()
    }

    /// Whether no unconsumed bytes are buffered.
    #[must_use]
    pub fn is_empty(&self) -> bool {
        self.pending().is_empty()
    }

    /// How many bytes [`push`](Self::push) can take now (consumed bytes count as free).
    #[must_use]
    pub fn free(&self) -> usize {
        N.saturating_sub(self.len())
    }

    /// Drops every buffered byte (e.g. after an error, for a new connection).
    pub fn clear(&mut self) {
        self.buf.clear();
        self.start = 0;
    }

    /// The protocol version packets are framed and decoded with.
    #[must_use]
    pub const fn version(&self) -> Version {
        self.version
    }

    /// Changes the protocol version for the packets still to come.
    pub fn set_version(&mut self, version: Version) {
        self.version = version;
    }

    fn spare(&self) -> usize {
        N.saturating_sub(self.buf.len())
    }

    /// Moves the unconsumed bytes to the front when everything is consumed or when `want`
    /// more bytes do not fit behind them.
    fn make_room(&mut self, want: usize) {
        let len = self.buf.len();
        let start = self.start.min(len);
        if start == len {
            self.clear();
        } else if start > 0 && want > self.spare() {
            self.buf.copy_within(start..len, 0);
            self.buf.truncate(len.saturating_sub(start));
            self.start = 0;
        }
    }
}

/// Why a `std` stream adapter failed: the I/O error, a decoding error, or (when writing)
/// an encoding error. The error of [`read_packet`] and of the tokio codec (`MqttCodec`,
/// feature `tokio`); it converts from and into [`std::io::Error`].
///
/// # Examples
/// ```
/// use mqtt_wire::{DecodeError, DecodeErrorKind, ReadError};
/// let e = ReadError::from(DecodeError::new(DecodeErrorKind::ZeroPacketId, 2));
/// assert_eq!(e.to_string(), "invalid MQTT packet: packet identifier is 0 (at byte 2)");
/// let io: std::io::Error = e.into();
/// assert_eq!(io.kind(), std::io::ErrorKind::InvalidData);
/// ```
#[cfg(feature = "std")]
#[cfg_attr(docsrs, doc(cfg(feature = "std")))]
#[non_exhaustive]
#[derive(Debug)]
pub enum ReadError {
    /// The reader failed, or the stream ended inside a packet
    /// ([`UnexpectedEof`](std::io::ErrorKind::UnexpectedEof)).
    Io(std::io::Error),
    /// The bytes are not a valid packet (or one larger than the buffer:
    /// [`PacketTooLarge`](crate::DecodeErrorKind::PacketTooLarge)).
    Decode(DecodeError),
    /// A packet given to be written cannot be encoded.
    Encode(crate::EncodeError),
}

#[cfg(feature = "std")]
impl core::fmt::Display for ReadError {
    fn fmt(&self, f: &mut core::fmt::Formatter<'_>) -> core::fmt::Result {
        match self {
            Self::Io(e) => write!(f, "MQTT stream I/O: {e}"),
            Self::Decode(e) => write!(f, "invalid MQTT packet: {e}"),
            Self::Encode(e) => write!(f, "cannot encode MQTT packet: {e}"),
        }
    }
}

#[cfg(feature = "std")]
impl core::error::Error for ReadError {
    fn source(&self) -> Option<&(dyn core::error::Error + 'static)> {
        match self {
            Self::Io(e) => Some(e),
            Self::Decode(e) => Some(e),
            Self::Encode(e) => Some(e),
        }
    }
}

#[cfg(feature = "std")]
impl From<std::io::Error> for ReadError {
    fn from(e: std::io::Error) -> Self {
        Self::Io(e)
    }
}

#[cfg(feature = "std")]
impl From<DecodeError> for ReadError {
    fn from(e: DecodeError) -> Self {
        Self::Decode(e)
    }
}

#[cfg(feature = "std")]
impl From<crate::EncodeError> for ReadError {
    fn from(e: crate::EncodeError) -> Self {
        Self::Encode(e)
    }
}

/// Reads exactly one packet from `reader` into `buf` and decodes it; `Ok(None)` if the
/// stream ends cleanly before the packet's first byte.
///
/// It never reads past the packet's last byte (it asks for no more than
/// [`frame`] says is missing), so the next call starts at the next packet; wrap unbuffered
/// readers such as a `TcpStream` in a [`std::io::BufReader`]. Packets larger than `buf`
/// (or than the options' maximum packet size) are refused once their fixed header is read.
///
/// # Errors
/// [`ReadError::Io`] from the reader (`UnexpectedEof` inside a packet),
/// [`ReadError::Decode`] as [`decode`](crate::decode).
///
/// # Examples
/// ```
/// use mqtt_wire::{read_packet, DecodeOptions, Packet, Version};
/// let mut stream: &[u8] = &[0xC0, 0x00, 0xD0, 0x00];
/// let mut buf = [0u8; 256];
/// let opts = DecodeOptions::new();
/// assert_eq!(read_packet(&mut stream, &mut buf, Version::V5, &opts)?, Some(Packet::PingReq));
/// assert_eq!(read_packet(&mut stream, &mut buf, Version::V5, &opts)?, Some(Packet::PingResp));
/// assert_eq!(read_packet(&mut stream, &mut buf, Version::V5, &opts)?, None);
/// # Ok::<(), mqtt_wire::ReadError>(())
/// ```
#[cfg(feature = "std")]
#[cfg_attr(docsrs, doc(cfg(feature = "std")))]
pub fn read_packet<'b, R: std::io::Read + ?Sized>(
    reader: &mut R,
    buf: &'b mut [u8],
    version: Version,
    opts: &DecodeOptions,
) -> Result<Option<Packet<'b>>, ReadError> {
    let cap = u32::try_from(buf.len()).unwrap_or(u32::MAX);
    let limited = opts.max_packet_size(opts.max_packet_size.min(cap));
    let mut filled = 0usize;
    loop {
        let head = buf.get(..filled).unwrap_or_default();
        let missing = match frame(head, version, &limited)? {
            Status::Complete(f) => {
                let buf: &'b [u8] = buf;
                let bytes = buf.get(..f.len()).unwrap_or_default();
                return Ok(Some(decode_frame(bytes, &f, version, opts)?));
            }
            Status::Partial(n) => n,
        };
        let end = filled.saturating_add(missing);
        let Some(space) = buf.get_mut(filled..end) else {
            // Only when `buf` is shorter than a fixed header.
            let kind = crate::DecodeErrorKind::PacketTooLarge;
            return Err(ReadError::Decode(DecodeError::new(kind, 0)));
        };
        let got = read_full(reader, space)?;
        if got < missing {
            if filled == 0 && got == 0 {
                return Ok(None);
            }
            return Err(ReadError::Io(std::io::ErrorKind::UnexpectedEof.into()));
        }
        filled = end;
    }
}

/// Reads until `buf` is full or the stream ends; returns the bytes read.
#[cfg(feature = "std")]
fn read_full<R: std::io::Read + ?Sized>(reader: &mut R, buf: &mut [u8]) -> std::io::Result<usize> {
    let mut got = 0usize;
    while let Some(space) = buf.get_mut(got..).filter(|s| !s.is_empty()) {
        match reader.read(space) {
            Ok(0) => break,
            Ok(n) => got = got.saturating_add(n),
            Err(e) if e.kind() == std::io::ErrorKind::Interrupted => {}
            Err(e) => return Err(e),
        }
    }
    Ok(got)
}
