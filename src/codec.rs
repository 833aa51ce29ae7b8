//! [`MqttCodec`] (feature `tokio`): a `tokio_util::codec` `Decoder` yielding
//! [`OwnedPacket`]s and an `Encoder` for [`Packet`]s and [`OwnedPacket`]s, so that
//! `tokio_util::codec::Framed` turns a `TcpStream` into a `Stream` + `Sink` of packets.

use bytes::BytesMut;
use tokio_util::codec::{Decoder, Encoder};

use crate::framer::ReadError;
use crate::owned::OwnedPacket;
use crate::packet::Packet;
use crate::{DecodeOptions, Status, Version};

/// The tokio-util codec: decodes [`OwnedPacket`]s (each a refcounted slice of the read
/// buffer, no copy) and encodes [`Packet`]s and [`OwnedPacket`]s.
///
/// - The receiver's limits come from [`DecodeOptions`] ([`with_options`](Self::with_options)):
///   a packet larger than the maximum packet size is refused as soon as its fixed header
///   has arrived, before its body is buffered.
/// - A partial packet leaves the read buffer untouched (the codec reserves the bytes still
///   missing, so the next read can fill them).
/// - Version: a decoded CONNECT (a server's side) and an encoded CONNECT (a client's side)
///   switch the codec to the version the CONNECT names; [`set_version`](Self::set_version)
///   sets it by hand.
/// - After an error the stream has lost its packet boundaries: close the connection (a 5.0
///   peer first gets a DISCONNECT with the error's reason code, see
///   [`DecodeError::reason_code`](crate::DecodeError::reason_code)).
///
/// # Examples
/// Without a runtime, on an in-memory buffer:
/// ```
/// use bytes::BytesMut;
/// use mqtt_wire::{MqttCodec, Packet, Version};
/// use tokio_util::codec::{Decoder, Encoder};
///
/// let mut codec = MqttCodec::new(Version::V5);
/// let mut wire = BytesMut::new();
/// codec.encode(Packet::PingReq, &mut wire)?;
/// codec.encode(Packet::PingResp, &mut wire)?;
/// let half = wire.split_off(3); // the first packet and half of the second
/// assert_eq!(codec.decode(&mut wire)?.unwrap().packet(), Packet::PingReq);
/// assert_eq!(codec.decode(&mut wire)?, None); // waits for the rest
/// wire.unsplit(half);
/// assert_eq!(codec.decode(&mut wire)?.unwrap().packet(), Packet::PingResp);
/// # Ok::<(), mqtt_wire::ReadError>(())
/// ```
#[cfg_attr(docsrs, doc(cfg(feature = "tokio")))]
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct MqttCodec {
    version: Version,
    opts: DecodeOptions,
}

impl MqttCodec {
    /// A codec for a connection of `version`, without a packet size limit.
    ///
    /// # Examples
    /// ```
    /// use mqtt_wire::{MqttCodec, Version};
    /// assert_eq!(MqttCodec::new(Version::V5).version(), Version::V5);
    /// ```
    #[must_use]
    pub const fn new(version: Version) -> Self {
        Self::with_options(version, DecodeOptions::new())
    }

    /// A codec with the receiver's options (maximum packet size, UTF-8 policy).
    ///
    /// # Examples
    /// ```
    /// use bytes::BytesMut;
    /// use mqtt_wire::{DecodeErrorKind, DecodeOptions, MqttCodec, ReadError, Version};
    /// use tokio_util::codec::Decoder;
    /// let mut codec = MqttCodec::with_options(Version::V5, DecodeOptions::new().max_packet_size(64));
    /// // The fixed header of a 1000-byte PUBLISH: refused before its body arrives.
    /// let mut wire = BytesMut::from(&[0x30, 0xE5, 0x07][..]);
    /// let Err(ReadError::Decode(e)) = codec.decode(&mut wire) else { panic!() };
    /// assert_eq!(e.kind(), DecodeErrorKind::PacketTooLarge);
    /// ```
    #[must_use]
    pub const fn with_options(version: Version, opts: DecodeOptions) -> Self {
        Self { version, opts }
    }

    /// The protocol version packets are decoded and encoded with.
    ///
    /// # Examples
    /// ```
    /// use mqtt_wire::{MqttCodec, Version};
    /// assert_eq!(MqttCodec::new(Version::V3_1_1).version(), Version::V3_1_1);
    /// ```
    #[must_use]
    pub const fn version(&self) -> Version {
        self.version
    }

    /// Sets the protocol version for the packets still to come.
    ///
    /// # Examples
    /// ```
    /// use mqtt_wire::{MqttCodec, Version};
    /// let mut codec = MqttCodec::new(Version::V5);
    /// codec.set_version(Version::V3_1);
    /// assert_eq!(codec.version(), Version::V3_1);
    /// ```
    pub fn set_version(&mut self, version: Version) {
        self.version = version;
    }

    /// The decoding options.
    ///
    /// # Examples
    /// ```
    /// use mqtt_wire::{DecodeOptions, MqttCodec, Version};
    /// assert_eq!(*MqttCodec::new(Version::V5).options(), DecodeOptions::new());
    /// ```
    #[must_use]
    pub const fn options(&self) -> &DecodeOptions {
        &self.opts
    }
}

impl Decoder for MqttCodec {
    type Item = OwnedPacket;
    type Error = ReadError;

    fn decode(&mut self, src: &mut BytesMut) -> Result<Option<OwnedPacket>, ReadError> {
        match OwnedPacket::split_from(src, self.version, &self.opts)? {
            Status::Complete(owned) => {
                if owned.packet_type() == crate::PacketType::Connect {
                    self.version = owned.version();
                }
                Ok(Some(owned))
            }
            Status::Partial(n) => {
                src.reserve(n);
                Ok(None)
            }
        }
    }

    fn decode_eof(&mut self, src: &mut BytesMut) -> Result<Option<OwnedPacket>, ReadError> {
        match self.decode(src)? {
            Some(owned) => Ok(Some(owned)),
            None if src.is_empty() => Ok(None),
            None => Err(ReadError::Io(std::io::ErrorKind::UnexpectedEof.into())),
        }
    }
}

impl<'a> Encoder<Packet<'a>> for MqttCodec {
    type Error = ReadError;

    /// Encodes `item` at the end of `dst`. A CONNECT is encoded in the version it names and
    /// switches the codec to it.
    fn encode(&mut self, item: Packet<'a>, dst: &mut BytesMut) -> Result<(), ReadError> {
        self.encode(&item, dst)
    }
}

impl<'a> Encoder<&Packet<'a>> for MqttCodec {
    type Error = ReadError;

    fn encode(&mut self, item: &Packet<'a>, dst: &mut BytesMut) -> Result<(), ReadError> {
        let version = match item {
            Packet::Connect(c) => c.version,
            _ => self.version,
        };
        item.encode_to_bytes_mut(version, dst)?;
        self.version = version;
        Ok(())
    }
}

impl Encoder<&OwnedPacket> for MqttCodec {
    type Error = ReadError;

    /// Copies the packet's bytes when it was validated for the codec's version, or is a
    /// CONNECT (which is in the version it names, and switches the codec to it); otherwise
    /// re-encodes its view in the codec's version.
    fn encode(&mut self, item: &OwnedPacket, dst: &mut BytesMut) -> Result<(), ReadError> {
        if item.packet_type() == crate::PacketType::Connect {
            self.version = item.version();
        }
        if item.version() == self.version {
            dst.extend_from_slice(item.bytes());
            Ok(())
        } else {
            self.encode(&item.packet(), dst)
        }
    }
}

impl Encoder<OwnedPacket> for MqttCodec {
    type Error = ReadError;

    fn encode(&mut self, item: OwnedPacket, dst: &mut BytesMut) -> Result<(), ReadError> {
        self.encode(&item, dst)
    }
}
