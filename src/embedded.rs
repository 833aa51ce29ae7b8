//! Reading and writing one packet over [`embedded-io`](::embedded_io) (blocking) and
//! [`embedded-io-async`](::embedded_io_async) (async: Embassy, RTIC) streams, in the
//! caller's buffer: no allocation, `no_std`.
//!
//! The readers have the semantics of [`read_packet`](crate::read_packet): they never read
//! past the packet's last byte (they ask for exactly what [`frame`] says is missing), so
//! the next call starts at the next packet; the maximum packet size is the smaller of the
//! buffer's length and the options' maximum, enforced as soon as the fixed header is in.
//! The writers encode into the caller's buffer and `write_all` it; call `flush` when the
//! transport needs it.

use crate::entry::{decode_frame, frame};
use crate::error::{DecodeError, DecodeErrorKind, EncodeError};
use crate::header::Frame;
use crate::packet::Packet;
use crate::{DecodeOptions, Status, Version};

/// Why reading or writing a packet failed.
///
/// # Examples
/// ```
/// use mqtt_wire::embedded::Error;
/// use mqtt_wire::{DecodeError, DecodeErrorKind};
/// let e: Error<core::convert::Infallible> = DecodeError::new(DecodeErrorKind::Truncated, 3).into();
/// assert!(matches!(e, Error::Decode(_)));
/// ```
#[cfg_attr(
    docsrs,
    doc(cfg(any(feature = "embedded-io", feature = "embedded-io-async")))
)]
#[non_exhaustive]
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
#[cfg_attr(feature = "defmt", derive(defmt::Format))]
pub enum Error<E> {
    /// The transport failed.
    Io(E),
    /// The stream ended inside a packet.
    UnexpectedEof,
    /// The bytes are not a valid packet (or one larger than the buffer:
    /// [`PacketTooLarge`](DecodeErrorKind::PacketTooLarge)).
    Decode(DecodeError),
    /// The packet to write cannot be encoded (or does not fit the buffer:
    /// [`BufferTooSmall`](EncodeError::BufferTooSmall)).
    Encode(EncodeError),
}

impl<E> From<DecodeError> for Error<E> {
    fn from(e: DecodeError) -> Self {
        Self::Decode(e)
    }
}

impl<E> From<EncodeError> for Error<E> {
    fn from(e: EncodeError) -> Self {
        Self::Encode(e)
    }
}

impl<E: core::fmt::Debug> core::fmt::Display for Error<E> {
    fn fmt(&self, f: &mut core::fmt::Formatter<'_>) -> core::fmt::Result {
        match self {
            Self::Io(e) => write!(f, "MQTT stream I/O: {e:?}"),
            Self::UnexpectedEof => f.write_str("MQTT stream ended inside a packet"),
            Self::Decode(e) => write!(f, "invalid MQTT packet: {e}"),
            Self::Encode(e) => write!(f, "cannot encode MQTT packet: {e}"),
        }
    }
}

impl<E: core::fmt::Debug> core::error::Error for Error<E> {}

/// What the reader must do next with `buf[..filled]`.
enum Step {
    /// The packet is complete.
    Done(Frame),
    /// Read exactly `buf[filled..end]`.
    Read(usize),
}

fn step(
    buf: &[u8],
    filled: usize,
    version: Version,
    limited: &DecodeOptions,
) -> Result<Step, DecodeError> {
    let head = buf.get(..filled).unwrap_or_default();
    match frame(head, version, limited)? {
        Status::Complete(f) => Ok(Step::Done(f)),
        Status::Partial(missing) => {
            let end = filled.saturating_add(missing);
            if end > buf.len() {
                // Only when `buf` is shorter than a fixed header.
                return Err(DecodeError::new(DecodeErrorKind::PacketTooLarge, 0));
            }
            Ok(Step::Read(end))
        }
    }
}

fn limit(buf: &[u8], opts: &DecodeOptions) -> DecodeOptions {
    let cap = u32::try_from(buf.len()).unwrap_or(u32::MAX);
    opts.max_packet_size(opts.max_packet_size.min(cap))
}

fn finish<'b, E>(
    buf: &'b [u8],
    f: &Frame,
    version: Version,
    opts: &DecodeOptions,
) -> Result<Option<Packet<'b>>, Error<E>> {
    let bytes = buf.get(..f.len()).unwrap_or_default();
    Ok(Some(decode_frame(bytes, f, version, opts)?))
}

/// Reads exactly one packet from a blocking `embedded-io` reader into `buf` and decodes it;
/// `Ok(None)` if the stream ends cleanly before the packet's first byte.
///
/// # Errors
/// [`Error::Io`] from the reader, [`Error::UnexpectedEof`] inside a packet,
/// [`Error::Decode`] as [`decode`](crate::decode) (and `PacketTooLarge` for a packet that
/// does not fit `buf`).
///
/// # Examples
/// ```
/// use mqtt_wire::embedded::read_packet;
/// use mqtt_wire::{DecodeOptions, Packet, Version};
/// let mut uart: &[u8] = &[0xC0, 0x00, 0xD0, 0x00];
/// let mut buf = [0u8; 64];
/// let opts = DecodeOptions::new();
/// assert_eq!(read_packet(&mut uart, &mut buf, Version::V5, &opts)?, Some(Packet::PingReq));
/// assert_eq!(read_packet(&mut uart, &mut buf, Version::V5, &opts)?, Some(Packet::PingResp));
/// assert_eq!(read_packet(&mut uart, &mut buf, Version::V5, &opts)?, None);
/// # Ok::<(), mqtt_wire::embedded::Error<core::convert::Infallible>>(())
/// ```
#[cfg(feature = "embedded-io")]
#[cfg_attr(docsrs, doc(cfg(feature = "embedded-io")))]
pub fn read_packet<'b, R: ::embedded_io::Read + ?Sized>(
    reader: &mut R,
    buf: &'b mut [u8],
    version: Version,
    opts: &DecodeOptions,
) -> Result<Option<Packet<'b>>, Error<R::Error>> {
    let limited = limit(buf, opts);
    let mut filled = 0usize;
    loop {
        let end = match step(buf, filled, version, &limited)? {
            Step::Done(f) => {
                let buf: &'b [u8] = buf;
                return finish(buf, &f, version, opts);
            }
            Step::Read(end) => end,
        };
        let space = buf.get_mut(filled..end).unwrap_or_default();
        if filled == 0 {
            // One plain read first, to tell a clean end of stream from a cut packet.
            match reader.read(space).map_err(Error::Io)? {
                0 => return Ok(None),
                n => filled = n.min(end),
            }
        } else {
            reader.read_exact(space).map_err(|e| match e {
                ::embedded_io::ReadExactError::UnexpectedEof => Error::UnexpectedEof,
                ::embedded_io::ReadExactError::Other(e) => Error::Io(e),
            })?;
            filled = end;
        }
    }
}

/// Encodes `packet` for `version` into `buf` and writes it with `write_all` to a blocking
/// `embedded-io` writer; returns the number of bytes written.
///
/// # Errors
/// [`Error::Encode`] (nothing is written then; `BufferTooSmall` when `buf` is too small),
/// [`Error::Io`] from the writer.
///
/// # Examples
/// ```
/// use mqtt_wire::embedded::write_packet;
/// use mqtt_wire::{Packet, Version};
/// let mut out = [0u8; 8];
/// let mut buf = [0u8; 64];
/// let n = write_packet(&mut &mut out[..], &Packet::PingReq, Version::V5, &mut buf)?;
/// assert_eq!(out[..n], [0xC0, 0x00]);
/// # Ok::<(), mqtt_wire::embedded::Error<embedded_io::SliceWriteError>>(())
/// ```
#[cfg(feature = "embedded-io")]
#[cfg_attr(docsrs, doc(cfg(feature = "embedded-io")))]
pub fn write_packet<W: ::embedded_io::Write + ?Sized>(
    writer: &mut W,
    packet: &Packet<'_>,
    version: Version,
    buf: &mut [u8],
) -> Result<usize, Error<W::Error>> {
    let n = packet.encode(version, buf)?;
    writer
        .write_all(buf.get(..n).unwrap_or_default())
        .map_err(Error::Io)?;
    Ok(n)
}

/// [`read_packet`] for an async `embedded-io-async` reader (an Embassy `TcpSocket`, a
/// UART ...).
///
/// # Errors
/// As [`read_packet`].
///
/// # Examples
/// ```
/// use mqtt_wire::embedded::read_packet_async;
/// use mqtt_wire::{DecodeOptions, Packet, Version};
/// # let block_on = |f| futures::executor::block_on(f);
/// let mut socket: &[u8] = &[0xD0, 0x00];
/// let mut buf = [0u8; 64];
/// let opts = DecodeOptions::new();
/// let packet = block_on(read_packet_async(&mut socket, &mut buf, Version::V5, &opts))?;
/// assert_eq!(packet, Some(Packet::PingResp));
/// # Ok::<(), mqtt_wire::embedded::Error<core::convert::Infallible>>(())
/// ```
#[cfg(feature = "embedded-io-async")]
#[cfg_attr(docsrs, doc(cfg(feature = "embedded-io-async")))]
pub async fn read_packet_async<'b, R: ::embedded_io_async::Read + ?Sized>(
    reader: &mut R,
    buf: &'b mut [u8],
    version: Version,
    opts: &DecodeOptions,
) -> Result<Option<Packet<'b>>, Error<R::Error>> {
    let limited = limit(buf, opts);
    let mut filled = 0usize;
    loop {
        let end = match step(buf, filled, version, &limited)? {
            Step::Done(f) => {
                let buf: &'b [u8] = buf;
                return finish(buf, &f, version, opts);
            }
            Step::Read(end) => end,
        };
        let space = buf.get_mut(filled..end).unwrap_or_default();
        if filled == 0 {
            match reader.read(space).await.map_err(Error::Io)? {
                0 => return Ok(None),
                n => filled = n.min(end),
            }
        } else {
            reader.read_exact(space).await.map_err(|e| match e {
                ::embedded_io_async::ReadExactError::UnexpectedEof => Error::UnexpectedEof,
                ::embedded_io_async::ReadExactError::Other(e) => Error::Io(e),
            })?;
            filled = end;
        }
    }
}

/// [`write_packet`] for an async `embedded-io-async` writer.
///
/// # Errors
/// As [`write_packet`].
///
/// # Examples
/// ```
/// use mqtt_wire::embedded::write_packet_async;
/// use mqtt_wire::{Packet, Version};
/// # let block_on = |f| futures::executor::block_on(f);
/// let mut out = [0u8; 8];
/// let mut buf = [0u8; 64];
/// let n = block_on(write_packet_async(&mut &mut out[..], &Packet::PingResp, Version::V5, &mut buf))?;
/// assert_eq!(out[..n], [0xD0, 0x00]);
/// # Ok::<(), Box<dyn std::error::Error>>(())
/// ```
#[cfg(feature = "embedded-io-async")]
#[cfg_attr(docsrs, doc(cfg(feature = "embedded-io-async")))]
pub async fn write_packet_async<W: ::embedded_io_async::Write + ?Sized>(
    writer: &mut W,
    packet: &Packet<'_>,
    version: Version,
    buf: &mut [u8],
) -> Result<usize, Error<W::Error>> {
    let n = packet.encode(version, buf)?;
    writer
        .write_all(buf.get(..n).unwrap_or_default())
        .await
        .map_err(Error::Io)?;
    Ok(n)
}
