//! Adapter I/O and buffer paths that the coverage report showed no test reaching: readers
//! that fail or are interrupted, read buffers shorter than a fixed header, the error types'
//! conversions, the tokio codec at end of stream and across versions, incomplete owned
//! packets, and the stream buffers' `status` / `needed` / `next_frame` / `fill_from` in
//! every state. Each module needs only the feature of the adapter it tests.

use mqtt_wire::{
    DecodeError, DecodeErrorKind, DecodeOptions, Frame, Framer, Packet, PacketType, StreamStatus,
    Version,
};

/// Packets shared by the modules (each feature set uses some of them).
#[allow(dead_code)]
mod wire {
    /// PINGREQ.
    pub const PINGREQ: [u8; 2] = [0xC0, 0x00];
    /// PUBLISH QoS 0, topic "a", payload "x", in 5.0 (empty property block).
    pub const PUBLISH_V5: [u8; 7] = [0x30, 0x05, 0x00, 0x01, b'a', 0x00, b'x'];
    /// The same PUBLISH in 3.1.1 (no property block).
    pub const PUBLISH_V3: [u8; 6] = [0x30, 0x04, 0x00, 0x01, b'a', b'x'];
    /// PUBREL with packet identifier 0: a valid fixed header, a malformed body.
    pub const PUBREL_ID_0: [u8; 4] = [0x62, 0x02, 0x00, 0x00];
    /// 5.0 PUBACK, packet id 1, reason code 0x10 (No matching subscribers).
    pub const PUBACK_V5_NO_SUBSCRIBERS: [u8; 5] = [0x40, 0x03, 0x00, 0x01, 0x10];

    /// Whether `packet` is the PUBLISH of `PUBLISH_V5` / `PUBLISH_V3`.
    pub fn is_publish_a_x(packet: &mqtt_wire::Packet<'_>) -> bool {
        matches!(packet, mqtt_wire::Packet::Publish(p) if p.topic == "a" && p.payload == b"x")
    }
}

use wire::{PINGREQ, PUBLISH_V5, PUBREL_ID_0};

/// The error `PUBREL_ID_0` decodes to: the zero packet identifier at byte 2.
fn zero_id() -> DecodeError {
    DecodeError::new(DecodeErrorKind::ZeroPacketId, 2)
}

/// One state of a stream's pending bytes, with what a buffer's `status()` (which also
/// checks a complete packet's body) and `needed()` must say about it.
struct State {
    name: &'static str,
    pending: &'static [u8],
    status: StreamStatus,
    needed: usize,
}

/// Every state, for 5.0: nothing pending, a partial fixed header (one byte; a Remaining
/// Length that continues), a partial body, a complete packet (alone, and with the next
/// one begun), a malformed fixed header, a malformed body.
fn states() -> Vec<State> {
    let pingreq = Frame {
        packet_type: PacketType::PingReq,
        flags: 0,
        header_len: 2,
        remaining_len: 0,
    };
    let state = |name, pending, status, needed| State {
        name,
        pending,
        status,
        needed,
    };
    vec![
        state("empty", &[], StreamStatus::Empty, 0),
        state("first byte", &[0x30], StreamStatus::Partial(1), 1),
        state(
            "length continues",
            &[0x30, 0x80],
            StreamStatus::Partial(1),
            1,
        ),
        state(
            "partial body",
            &PUBLISH_V5[..3],
            StreamStatus::Partial(4),
            4,
        ),
        state("complete", &PINGREQ, StreamStatus::Complete(pingreq), 0),
        state(
            "complete, next begun",
            &[0xC0, 0x00, 0x30],
            StreamStatus::Complete(pingreq),
            0,
        ),
        state(
            "invalid header",
            &[0x00],
            StreamStatus::Invalid(DecodeError::new(DecodeErrorKind::InvalidPacketType, 0)),
            0,
        ),
        state(
            "invalid body",
            &PUBREL_ID_0,
            StreamStatus::Invalid(zero_id()),
            0,
        ),
    ]
}

/// The fixed header of `PUBREL_ID_0`.
fn pubrel_frame() -> Frame {
    Frame {
        packet_type: PacketType::PubRel,
        flags: 0x02,
        header_len: 2,
        remaining_len: 2,
    }
}

mod framer {
    use super::*;

    /// `Framer::status` and `needed` in every state (src/framer.rs): as
    /// the buffers', except that a complete packet whose body has not been decoded yet is
    /// `Complete` (the framer checks the body only once it has refused it).
    #[test]
    fn status_and_needed_in_every_state() {
        for s in states() {
            let framer = Framer::new(s.pending, Version::V5);
            let expected = if s.name == "invalid body" {
                StreamStatus::Complete(pubrel_frame())
            } else {
                s.status
            };
            assert_eq!(framer.status(), expected, "{}", s.name);
            assert_eq!(framer.needed(), s.needed, "{}", s.name);
        }
    }

    /// The `check_body` arm of `stream_status` for a framer (src/framer.rs): after
    /// `next_packet` refused a body, the framer stops at the invalid packet, `status` is
    /// `Invalid` with the same error, and iteration is over.
    #[test]
    fn status_after_a_body_error_is_invalid_at_the_refused_packet() {
        let stream = [0xC0, 0x00, 0x62, 0x02, 0x00, 0x00];
        let mut framer = Framer::new(&stream, Version::V5);
        assert_eq!(framer.next_packet(), Some(Ok(Packet::PingReq)));
        assert_eq!(framer.status(), StreamStatus::Complete(pubrel_frame()));
        assert_eq!(framer.next_packet(), Some(Err(zero_id())));
        assert_eq!(framer.consumed(), 2);
        assert_eq!(framer.remaining(), PUBREL_ID_0);
        assert_eq!(framer.status(), StreamStatus::Invalid(zero_id()));
        assert_eq!(framer.needed(), 0);
        assert_eq!(framer.next(), None);
        assert_eq!(framer.next_packet(), None);
    }

    /// A header error ends iteration at once (src/framer.rs): the error, then
    /// `None`, with `consumed` at the invalid byte.
    #[test]
    fn header_error_is_yielded_once() {
        let stream = [0xC0, 0x00, 0x00, 0xC0, 0x00];
        let mut framer = Framer::new(&stream, Version::V5);
        let raw = framer.next().unwrap().unwrap();
        assert_eq!(raw.bytes, PINGREQ);
        let e = DecodeError::new(DecodeErrorKind::InvalidPacketType, 0);
        assert_eq!(framer.next(), Some(Err(e)));
        assert_eq!(framer.next(), None);
        assert_eq!(framer.consumed(), 2);
        assert_eq!(framer.status(), StreamStatus::Invalid(e));
    }

    /// `RawPacket` of a complete packet with a malformed body (src/framer.rs): the
    /// framer yields it (it frames only), its `body` is the bytes after the fixed header,
    /// and `decode` gives the body's error.
    #[test]
    fn raw_packet_with_a_malformed_body() {
        let raw = Framer::new(&PUBREL_ID_0, Version::V5)
            .next()
            .unwrap()
            .unwrap();
        assert_eq!(raw.packet_type(), PacketType::PubRel);
        assert_eq!(raw.frame, pubrel_frame());
        assert_eq!(raw.body(), [0x00, 0x00]);
        assert_eq!(
            raw.decode(Version::V5, &DecodeOptions::new()),
            Err(zero_id())
        );
    }
}

/// A reader that plays a script: pieces of data (each handed out in as many reads as the
/// caller's buffers need) and errors, then the end of the stream.
#[cfg(any(
    feature = "std",
    feature = "embedded-io",
    feature = "embedded-io-async"
))]
mod script {
    use std::collections::VecDeque;

    pub enum Step<E> {
        Data(&'static [u8]),
        Fail(E),
    }

    pub struct Scripted<E> {
        steps: VecDeque<Step<E>>,
        /// How many times `read` was called.
        pub calls: usize,
    }

    impl<E> Scripted<E> {
        pub fn new(steps: impl IntoIterator<Item = Step<E>>) -> Self {
            Scripted {
                steps: steps.into_iter().collect(),
                calls: 0,
            }
        }

        pub fn read_into(&mut self, buf: &mut [u8]) -> Result<usize, E> {
            self.calls += 1;
            match self.steps.pop_front() {
                None => Ok(0),
                Some(Step::Fail(e)) => Err(e),
                Some(Step::Data(data)) => {
                    let n = data.len().min(buf.len());
                    buf[..n].copy_from_slice(&data[..n]);
                    if n < data.len() {
                        self.steps.push_front(Step::Data(&data[n..]));
                    }
                    Ok(n)
                }
            }
        }
    }

    #[cfg(feature = "std")]
    impl std::io::Read for Scripted<std::io::ErrorKind> {
        fn read(&mut self, buf: &mut [u8]) -> std::io::Result<usize> {
            self.read_into(buf).map_err(std::io::Error::from)
        }
    }

    #[cfg(any(feature = "embedded-io", feature = "embedded-io-async"))]
    pub use embedded::Kind;

    #[cfg(any(feature = "embedded-io", feature = "embedded-io-async"))]
    mod embedded {
        use super::Scripted;
        #[cfg(feature = "embedded-io")]
        pub use embedded_io::{ErrorKind as Kind, ErrorType};
        #[cfg(all(feature = "embedded-io-async", not(feature = "embedded-io")))]
        pub use embedded_io_async::{ErrorKind as Kind, ErrorType};

        impl ErrorType for Scripted<Kind> {
            type Error = Kind;
        }

        #[cfg(feature = "embedded-io")]
        impl embedded_io::Read for Scripted<Kind> {
            fn read(&mut self, buf: &mut [u8]) -> Result<usize, Kind> {
                self.read_into(buf)
            }
        }

        #[cfg(feature = "embedded-io-async")]
        impl embedded_io_async::Read for Scripted<Kind> {
            async fn read(&mut self, buf: &mut [u8]) -> Result<usize, Kind> {
                self.read_into(buf)
            }
        }
    }
}

#[cfg(any(feature = "embedded-io", feature = "embedded-io-async"))]
mod embedded_error {
    use super::*;
    use mqtt_wire::embedded::Error;
    use mqtt_wire::{EncodeError, Field};

    /// `From<DecodeError>` and `From<EncodeError>` for `embedded::Error` (src/embedded.rs)
    /// wrap the error unchanged.
    #[test]
    fn from_decode_and_encode_errors() {
        let enc = EncodeError::NotInVersion(Field::Auth);
        assert_eq!(Error::<u8>::from(zero_id()), Error::Decode(zero_id()));
        assert_eq!(Error::<u8>::from(enc), Error::Encode(enc));
    }

    /// `Display` of every `embedded::Error` variant (src/embedded.rs), through
    /// `core::error::Error` as a caller logging a boxed error sees it.
    #[test]
    fn display_of_every_variant() {
        let cases: [(Error<u8>, &str); 4] = [
            (Error::Io(7), "MQTT stream I/O: 7"),
            (Error::UnexpectedEof, "MQTT stream ended inside a packet"),
            (
                Error::Decode(zero_id()),
                "invalid MQTT packet: packet identifier is 0 (at byte 2)",
            ),
            (
                Error::Encode(EncodeError::NotInVersion(Field::Auth)),
                "cannot encode MQTT packet: this protocol version cannot carry the AUTH packet",
            ),
        ];
        for (e, text) in cases {
            let e: &dyn core::error::Error = &e;
            assert_eq!(e.to_string(), text);
        }
    }
}

/// The tests `embedded::read_packet` and `read_packet_async` pass alike (the same loop,
/// once over `embedded_io::Read` and once over `embedded_io_async::Read`): the module that
/// expands it defines `read(reader, buf)`, one call of its reader at 5.0 with no options.
#[cfg(any(feature = "embedded-io", feature = "embedded-io-async"))]
macro_rules! embedded_read_tests {
    () => {
        use super::script::{Kind, Scripted, Step};
        use super::wire::is_publish_a_x;
        use super::*;
        use mqtt_wire::embedded::Error;

        /// A reader error inside a packet, in `read_exact`, is `Error::Io` with the
        /// reader's error (the `ReadExactError::Other` arm, src/embedded.rs): right after
        /// the fixed header, and after part of the body.
        #[test]
        fn read_error_inside_a_packet_is_io() {
            let mut buf = [0u8; 16];
            let mut reader = Scripted::new([
                Step::Data(&PUBLISH_V5[..2]),
                Step::Fail(Kind::ConnectionReset),
            ]);
            assert_eq!(
                read(&mut reader, &mut buf),
                Err(Error::Io(Kind::ConnectionReset))
            );
            assert_eq!(reader.calls, 2);
            let mut reader = Scripted::new([
                Step::Data(&PUBLISH_V5[..2]),
                Step::Data(&PUBLISH_V5[2..4]),
                Step::Fail(Kind::TimedOut),
            ]);
            assert_eq!(read(&mut reader, &mut buf), Err(Error::Io(Kind::TimedOut)));
            assert_eq!(reader.calls, 3);
        }

        /// A reader error on the first read is `Error::Io` too, not a clean end of stream
        /// (the plain read, src/embedded.rs).
        #[test]
        fn read_error_before_the_first_byte_is_io() {
            let mut reader = Scripted::new([Step::Fail(Kind::BrokenPipe)]);
            let mut buf = [0u8; 16];
            assert_eq!(
                read(&mut reader, &mut buf),
                Err(Error::Io(Kind::BrokenPipe))
            );
        }

        /// A packet handed out in pieces is read whole, then the clean end of the stream
        /// is `Ok(None)` (the control case for the error tests).
        #[test]
        fn reads_a_packet_in_pieces_then_none() {
            let mut buf = [0u8; 16];
            let mut reader = Scripted::new([
                Step::Data(&PUBLISH_V5[..1]),
                Step::Data(&PUBLISH_V5[1..4]),
                Step::Data(&PUBLISH_V5[4..]),
            ]);
            assert!(is_publish_a_x(
                &read(&mut reader, &mut buf).unwrap().unwrap()
            ));
            assert_eq!(read(&mut reader, &mut buf), Ok(None));
        }

        /// The stream ending inside a packet's body is `Error::UnexpectedEof` (the
        /// `ReadExactError::UnexpectedEof` arm), not `Ok(None)`.
        #[test]
        fn end_of_stream_inside_a_packet_is_unexpected_eof() {
            let mut reader = Scripted::<Kind>::new([Step::Data(&PUBLISH_V5[..4])]);
            let mut buf = [0u8; 16];
            assert_eq!(read(&mut reader, &mut buf), Err(Error::UnexpectedEof));
        }

        /// A buffer shorter than the fixed header (src/embedded.rs) gives `PacketTooLarge`
        /// at offset 0: a 1-byte buffer before anything is read; a 2-byte buffer once the
        /// first two bytes of a 3-byte fixed header are in (nothing more is read).
        #[test]
        fn buffer_shorter_than_a_fixed_header_is_packet_too_large_at_0() {
            let too_large = Err(Error::Decode(DecodeError::new(
                DecodeErrorKind::PacketTooLarge,
                0,
            )));
            let mut reader = Scripted::<Kind>::new([Step::Data(&PINGREQ)]);
            assert_eq!(read(&mut reader, &mut [0u8; 1]), too_large);
            assert_eq!(reader.calls, 0, "nothing read");
            // A PUBLISH with a 2-byte Remaining Length (128).
            let mut reader = Scripted::<Kind>::new([Step::Data(&[0x30, 0x80, 0x01, 0x00])]);
            assert_eq!(read(&mut reader, &mut [0u8; 2]), too_large);
            assert_eq!(reader.calls, 1, "one read of the 2 bytes the buffer holds");
        }
    };
}

#[cfg(feature = "embedded-io")]
mod embedded_sync {
    embedded_read_tests!();

    fn read<'b>(
        reader: &mut Scripted<Kind>,
        buf: &'b mut [u8],
    ) -> Result<Option<Packet<'b>>, Error<Kind>> {
        mqtt_wire::embedded::read_packet(reader, buf, Version::V5, &DecodeOptions::new())
    }
}

#[cfg(feature = "embedded-io-async")]
mod embedded_async {
    embedded_read_tests!();

    fn read<'b>(
        reader: &mut Scripted<Kind>,
        buf: &'b mut [u8],
    ) -> Result<Option<Packet<'b>>, Error<Kind>> {
        futures::executor::block_on(mqtt_wire::embedded::read_packet_async(
            reader,
            buf,
            Version::V5,
            &DecodeOptions::new(),
        ))
    }
}

#[cfg(feature = "std")]
mod std_read {
    use super::script::{Scripted, Step};
    use super::wire::is_publish_a_x;
    use super::*;
    use mqtt_wire::{ReadError, read_packet};
    use std::io::ErrorKind;

    /// `Interrupted` is retried (src/framer.rs): before the fixed header and
    /// before the body; the packet is read whole and the next call reads the next one.
    #[test]
    fn interrupted_reads_are_retried() {
        let opts = DecodeOptions::new();
        let mut buf = [0u8; 16];
        let mut reader = Scripted::new([
            Step::Fail(ErrorKind::Interrupted),
            Step::Data(&PUBLISH_V5[..2]),
            Step::Fail(ErrorKind::Interrupted),
            Step::Data(&PUBLISH_V5[2..]),
            Step::Fail(ErrorKind::Interrupted),
            Step::Data(&PINGREQ),
        ]);
        let got = read_packet(&mut reader, &mut buf, Version::V5, &opts).unwrap();
        assert!(is_publish_a_x(&got.unwrap()));
        assert_eq!(reader.calls, 4);
        let got = read_packet(&mut reader, &mut buf, Version::V5, &opts).unwrap();
        assert_eq!(got, Some(Packet::PingReq));
        // An interruption and then the end of the stream is a clean end.
        let mut reader = Scripted::new([Step::Fail(ErrorKind::Interrupted)]);
        let got = read_packet(&mut reader, &mut buf, Version::V5, &opts).unwrap();
        assert_eq!(got, None);
        assert_eq!(reader.calls, 2);
    }

    /// Any other error kind is `ReadError::Io` with that kind, not retried
    /// (src/framer.rs), inside a packet and on the first read.
    #[test]
    fn other_read_errors_are_io_with_their_kind() {
        let opts = DecodeOptions::new();
        let mut buf = [0u8; 16];
        let mut reader = Scripted::new([
            Step::Data(&PUBLISH_V5[..2]),
            Step::Fail(ErrorKind::ConnectionReset),
            Step::Data(&PUBLISH_V5[2..]),
        ]);
        let err = read_packet(&mut reader, &mut buf, Version::V5, &opts).unwrap_err();
        assert!(
            matches!(&err, ReadError::Io(e) if e.kind() == ErrorKind::ConnectionReset),
            "{err:?}"
        );
        assert_eq!(reader.calls, 2);
        let mut reader = Scripted::new([Step::Fail(ErrorKind::BrokenPipe)]);
        let err = read_packet(&mut reader, &mut buf, Version::V5, &opts).unwrap_err();
        assert!(
            matches!(&err, ReadError::Io(e) if e.kind() == ErrorKind::BrokenPipe),
            "{err:?}"
        );
    }

    /// A buffer shorter than the fixed header (src/framer.rs) gives `PacketTooLarge`
    /// at offset 0: a 1-byte buffer before anything is read, a 2-byte buffer once the
    /// first two bytes of a 3-byte fixed header are in.
    #[test]
    fn buffer_shorter_than_a_fixed_header_is_packet_too_large_at_0() {
        let opts = DecodeOptions::new();
        let too_large = DecodeError::new(DecodeErrorKind::PacketTooLarge, 0);
        let mut reader: &[u8] = &PINGREQ;
        let err = read_packet(&mut reader, &mut [0u8; 1], Version::V5, &opts).unwrap_err();
        assert!(
            matches!(err, ReadError::Decode(e) if e == too_large),
            "{err:?}"
        );
        assert_eq!(reader, PINGREQ, "nothing read");
        let mut reader: &[u8] = &[0x30, 0x80, 0x01, 0x00];
        let err = read_packet(&mut reader, &mut [0u8; 2], Version::V5, &opts).unwrap_err();
        assert!(
            matches!(err, ReadError::Decode(e) if e == too_large),
            "{err:?}"
        );
        assert_eq!(reader, [0x01, 0x00]);
    }
}

#[cfg(feature = "std")]
mod read_error {
    use super::*;
    use mqtt_wire::{EncodeError, Field, ReadError};
    use std::error::Error as _;
    use std::io::{self, ErrorKind};

    fn io_error() -> io::Error {
        io::Error::new(ErrorKind::ConnectionReset, "peer went away")
    }

    const ENC: EncodeError = EncodeError::NotInVersion(Field::Auth);

    /// `ReadError::source` (src/framer.rs) is the inner error for all three
    /// variants.
    #[test]
    fn source_is_the_inner_error() {
        let io = ReadError::Io(io_error());
        let inner = io.source().unwrap().downcast_ref::<io::Error>().unwrap();
        assert_eq!(
            (inner.kind(), inner.to_string()),
            (ErrorKind::ConnectionReset, "peer went away".to_owned())
        );
        let decode = ReadError::Decode(zero_id());
        let inner = decode.source().unwrap().downcast_ref::<DecodeError>();
        assert_eq!(inner, Some(&zero_id()));
        let encode = ReadError::Encode(ENC);
        let inner = encode.source().unwrap().downcast_ref::<EncodeError>();
        assert_eq!(inner, Some(&ENC));
    }

    /// `Display` of all three variants (src/framer.rs).
    #[test]
    fn display_of_every_variant() {
        assert_eq!(
            ReadError::Io(io_error()).to_string(),
            "MQTT stream I/O: peer went away"
        );
        assert_eq!(
            ReadError::Decode(zero_id()).to_string(),
            "invalid MQTT packet: packet identifier is 0 (at byte 2)"
        );
        assert_eq!(
            ReadError::Encode(ENC).to_string(),
            "cannot encode MQTT packet: this protocol version cannot carry the AUTH packet"
        );
    }

    /// `From<ReadError> for std::io::Error` (src/std_io.rs): `Io` gives the error
    /// itself, `Decode` is `InvalidData` and `Encode` `InvalidInput`, each keeping the
    /// MQTT error as the inner error.
    #[test]
    fn into_io_error() {
        let e = io::Error::from(ReadError::Io(io_error()));
        assert_eq!(
            (e.kind(), e.to_string()),
            (ErrorKind::ConnectionReset, "peer went away".to_owned())
        );
        let e = io::Error::from(ReadError::Decode(zero_id()));
        assert_eq!(e.kind(), ErrorKind::InvalidData);
        assert_eq!(
            e.get_ref().unwrap().downcast_ref::<DecodeError>(),
            Some(&zero_id())
        );
        let e = io::Error::from(ReadError::Encode(ENC));
        assert_eq!(e.kind(), ErrorKind::InvalidInput);
        assert_eq!(
            e.get_ref().unwrap().downcast_ref::<EncodeError>(),
            Some(&ENC)
        );
    }

    /// `From<io::Error>`, `From<DecodeError>` and `From<EncodeError>` for `ReadError`
    /// (src/framer.rs) pick the matching variant, so `?` works on all three.
    #[test]
    fn from_each_error() {
        fn io_step() -> Result<(), ReadError> {
            Err(io::Error::from(ErrorKind::TimedOut))?
        }
        fn decode_step() -> Result<(), ReadError> {
            Err(zero_id())?
        }
        fn encode_step() -> Result<(), ReadError> {
            Err(ENC)?
        }
        let e = io_step().unwrap_err();
        assert!(
            matches!(&e, ReadError::Io(e) if e.kind() == ErrorKind::TimedOut),
            "{e:?}"
        );
        let e = decode_step().unwrap_err();
        assert!(matches!(e, ReadError::Decode(d) if d == zero_id()), "{e:?}");
        let e = encode_step().unwrap_err();
        assert!(matches!(e, ReadError::Encode(x) if x == ENC), "{e:?}");
    }
}

#[cfg(feature = "tokio")]
mod codec {
    use super::wire::{PUBACK_V5_NO_SUBSCRIBERS, PUBLISH_V3};
    use super::*;
    use bytes::{Bytes, BytesMut};
    use mqtt_wire::{Connect, EncodeError, Field, MqttCodec, OwnedPacket, ReadError};
    use tokio_util::codec::{Decoder, Encoder};

    fn owned(bytes: &'static [u8], version: Version) -> OwnedPacket {
        OwnedPacket::from_bytes(Bytes::from_static(bytes), version, &DecodeOptions::new())
            .unwrap()
            .complete()
            .unwrap()
    }

    /// `decode_eof` on an empty buffer is `Ok(None)` (src/codec.rs).
    #[test]
    fn decode_eof_on_an_empty_buffer_is_none() {
        let mut codec = MqttCodec::new(Version::V5);
        let mut src = BytesMut::new();
        assert_eq!(codec.decode_eof(&mut src).unwrap(), None);
        assert!(src.is_empty());
    }

    /// `decode_eof` gives a whole packet, then, on the packet cut short behind it, an
    /// `Io` error of kind `UnexpectedEof`, leaving the cut bytes in the buffer
    /// (src/codec.rs).
    #[test]
    fn decode_eof_gives_the_whole_packet_then_refuses_the_cut_one() {
        let mut codec = MqttCodec::new(Version::V5);
        let mut src = BytesMut::from(&[0xC0, 0x00, 0x30, 0x05, 0x00][..]);
        let first = codec.decode_eof(&mut src).unwrap().unwrap();
        assert_eq!(first.packet(), Packet::PingReq);
        let err = codec.decode_eof(&mut src).unwrap_err();
        assert!(
            matches!(&err, ReadError::Io(e) if e.kind() == std::io::ErrorKind::UnexpectedEof),
            "{err:?}"
        );
        assert_eq!(&src[..], [0x30, 0x05, 0x00]);
    }

    /// `decode_eof` on malformed bytes is the decoding error, not `UnexpectedEof`
    /// (src/codec.rs, the `?`).
    #[test]
    fn decode_eof_on_malformed_bytes_is_decode() {
        let mut codec = MqttCodec::new(Version::V5);
        let mut src = BytesMut::from(&PUBREL_ID_0[..]);
        let err = codec.decode_eof(&mut src).unwrap_err();
        assert!(
            matches!(err, ReadError::Decode(e) if e == zero_id()),
            "{err:?}"
        );
        assert_eq!(&src[..], PUBREL_ID_0);
    }

    /// `Encoder<&OwnedPacket>` for a packet validated in another version than the codec's
    /// (src/codec.rs) re-encodes it in the codec's version: a 5.0 PUBLISH goes out
    /// as the 3.1.1 one, the bytes of `Packet::encode` for 3.1.1. By value too.
    #[test]
    fn owned_packet_of_another_version_is_reencoded() {
        let owned = owned(&PUBLISH_V5, Version::V5);
        let mut codec = MqttCodec::new(Version::V3_1_1);
        let mut dst = BytesMut::new();
        codec.encode(&owned, &mut dst).unwrap();
        assert_eq!(&dst[..], PUBLISH_V3);
        assert_eq!(
            dst[..],
            owned.packet().encode_to_vec(Version::V3_1_1).unwrap()
        );
        assert_eq!(codec.version(), Version::V3_1_1);
        codec.encode(owned, &mut dst).unwrap();
        assert_eq!(&dst[..], [PUBLISH_V3, PUBLISH_V3].concat());
    }

    /// The re-encoding refuses what the codec's version cannot carry (src/codec.rs):
    /// a 5.0 PUBACK with a reason code is `Encode(NotInVersion(ReasonCode))` on a 3.1.1
    /// codec, and the destination is left as it was.
    #[test]
    fn owned_packet_the_codec_version_cannot_carry_is_refused() {
        let owned = owned(&PUBACK_V5_NO_SUBSCRIBERS, Version::V5);
        let mut codec = MqttCodec::new(Version::V3_1_1);
        let mut dst = BytesMut::from(&b"xy"[..]);
        let err = codec.encode(&owned, &mut dst).unwrap_err();
        assert!(
            matches!(
                err,
                ReadError::Encode(EncodeError::NotInVersion(Field::ReasonCode))
            ),
            "{err:?}"
        );
        assert_eq!(&dst[..], b"xy");
    }

    /// An owned CONNECT of another version (`Encoder<&OwnedPacket>`, src/codec.rs) goes out
    /// in its own version, byte for byte, and switches the codec to it.
    #[test]
    fn owned_connect_of_another_version_switches_the_codec() {
        let connect = Packet::Connect(Connect::new(Version::V3_1_1, "c"));
        let owned = OwnedPacket::from_packet(&connect, Version::V3_1_1).unwrap();
        assert_eq!(owned.version(), Version::V3_1_1);
        let mut codec = MqttCodec::new(Version::V5);
        let mut dst = BytesMut::new();
        codec.encode(&owned, &mut dst).unwrap();
        assert_eq!(&dst[..], &owned.bytes()[..]);
        assert_eq!(codec.version(), Version::V3_1_1);
    }
}

#[cfg(feature = "bytes")]
mod owned {
    use super::*;
    use bytes::{Bytes, BytesMut};
    use mqtt_wire::{OwnedPacket, Status};

    /// Incomplete packets and the exact number of bytes each still needs.
    const INCOMPLETE: [(&[u8], usize); 5] = [
        (&[], 2),
        (&[0x30], 1),
        (&[0x30, 0x80], 1),
        (&[0x30, 0x05, 0x00], 4),
        (&[0x30, 0x05, 0x00, 0x01, b'a', 0x00], 1),
    ];

    /// `OwnedPacket::split_from` on an incomplete packet (src/owned.rs) is
    /// `Partial(n)` with the exact `n`, and leaves the buffer untouched.
    #[test]
    fn split_from_an_incomplete_packet_is_partial() {
        let opts = DecodeOptions::new();
        for (bytes, n) in INCOMPLETE {
            let mut buf = BytesMut::from(bytes);
            let got = OwnedPacket::split_from(&mut buf, Version::V5, &opts);
            assert_eq!(got, Ok(Status::Partial(n)), "{bytes:02x?}");
            assert_eq!(&buf[..], bytes);
        }
    }

    /// `OwnedPacket::split_from` on a malformed packet (src/owned.rs, the `?`) is the
    /// decoding error, and leaves the buffer untouched, the next packet included.
    #[test]
    fn split_from_a_malformed_packet_leaves_the_buffer() {
        let stream = [0x62, 0x02, 0x00, 0x00, 0xC0, 0x00];
        let mut buf = BytesMut::from(&stream[..]);
        let got = OwnedPacket::split_from(&mut buf, Version::V5, &DecodeOptions::new());
        assert_eq!(got, Err(zero_id()));
        assert_eq!(&buf[..], stream);
    }

    /// `OwnedPacket::from_bytes` on an incomplete packet (src/owned.rs) is
    /// `Partial(n)` with the exact `n`.
    #[test]
    fn from_bytes_of_an_incomplete_packet_is_partial() {
        let opts = DecodeOptions::new();
        for (bytes, n) in INCOMPLETE {
            let got = OwnedPacket::from_bytes(Bytes::from_static(bytes), Version::V5, &opts);
            assert_eq!(got, Ok(Status::Partial(n)), "{bytes:02x?}");
        }
    }
}

/// The tests `VecBuffer` and `StreamBuffer` (the same methods over a growable and a fixed
/// buffer) pass alike; `$new` makes an empty buffer for 5.0.
#[cfg(any(feature = "alloc", feature = "heapless"))]
macro_rules! same_buffer_tests {
    ($new:expr) => {
        /// `status` and `needed` in every state: a complete packet with a malformed body
        /// is `Invalid` (the buffers check the body).
        #[test]
        fn status_and_needed_in_every_state() {
            for s in states() {
                let mut rx = $new;
                assert_eq!(rx.push(s.pending), s.pending.len());
                assert_eq!(rx.status(), s.status, "{}", s.name);
                assert_eq!(rx.needed(), s.needed, "{}", s.name);
            }
        }

        /// `next_frame` when the front packet's fixed header is malformed: the error,
        /// again on the next call, nothing consumed.
        #[test]
        fn next_frame_on_a_malformed_header_is_the_error_every_time() {
            let mut rx = $new;
            rx.push(&[0xC0, 0x00, 0x00, 0xC0, 0x00]);
            let Ok(Status::Complete(raw)) = rx.next_frame() else {
                panic!("PINGREQ first")
            };
            assert_eq!(raw.bytes, PINGREQ);
            let e = DecodeError::new(DecodeErrorKind::InvalidPacketType, 0);
            assert_eq!(rx.next_frame(), Err(e));
            assert_eq!(rx.next_frame(), Err(e));
            assert_eq!(rx.pending(), [0x00, 0xC0, 0x00]);
            assert_eq!(rx.status(), StreamStatus::Invalid(e));
        }

        /// `next_frame` on a partial packet: `Partial` with exactly what is missing,
        /// nothing consumed.
        #[test]
        fn next_frame_on_a_partial_packet_consumes_nothing() {
            let mut rx = $new;
            rx.push(&PUBLISH_V5[..3]);
            assert!(matches!(rx.next_frame(), Ok(Status::Partial(4))));
            assert_eq!(rx.pending(), &PUBLISH_V5[..3]);
        }

        /// `next_frame` frames only: a complete packet with a malformed body, which
        /// `status` and `next_packet` refuse, is handed out and consumed; its `decode` is
        /// the error.
        #[test]
        fn next_frame_hands_out_a_malformed_body() {
            let mut rx = $new;
            rx.push(&PUBREL_ID_0);
            assert_eq!(rx.next_packet(), Err(zero_id()));
            assert_eq!(rx.status(), StreamStatus::Invalid(zero_id()));
            let Ok(Status::Complete(raw)) = rx.next_frame() else {
                panic!("the frame is complete")
            };
            assert_eq!((raw.frame, raw.bytes), (pubrel_frame(), &PUBREL_ID_0[..]));
            assert_eq!(
                raw.decode(Version::V5, &DecodeOptions::new()),
                Err(zero_id())
            );
            assert!(rx.is_empty());
            assert_eq!(rx.status(), StreamStatus::Empty);
        }
    };
}

#[cfg(feature = "alloc")]
mod vec_buffer {
    use super::*;
    use mqtt_wire::{Status, VecBuffer};

    same_buffer_tests!(VecBuffer::new(Version::V5));

    /// `fill_from` offers what the front packet still needs, at least the 4096-byte read
    /// chunk and at most as much as is already pending (src/vec_buffer.rs, `fill_from`): a
    /// 100,000-byte PUBLISH arrives in doubling reads, and a fixed header announcing the
    /// largest Remaining Length (268,435,455) gets 4096 bytes of room, not 256 MB.
    #[test]
    fn fill_from_grows_with_what_arrives_not_with_what_is_announced() {
        // Remaining Length 100,000 = 0xA0 0x8D 0x06: topic "a", no properties, payload.
        let mut packet = vec![0x30, 0xA0, 0x8D, 0x06, 0x00, 0x01, b'a', 0x00];
        packet.resize(4 + 100_000, b'p');
        let mut rx = VecBuffer::new(Version::V5);
        rx.push(&packet[..4]);
        let mut sent = 4;
        let mut offers = Vec::new();
        while sent < packet.len() {
            let pending = rx.len();
            rx.fill_from(|space| {
                offers.push(space.len());
                assert!(
                    space.len() <= pending.max(4096),
                    "{} > {pending}",
                    space.len()
                );
                let n = space.len().min(packet.len() - sent);
                space[..n].copy_from_slice(&packet[sent..sent + n]);
                sent += n;
                Ok::<_, ()>(n)
            })
            .unwrap();
        }
        assert_eq!(
            offers,
            [4096, 4100, 8200, 16400, 32800, 34404],
            "doubling reads"
        );
        let Ok(Status::Complete(Packet::Publish(p))) = rx.next_packet() else {
            panic!("the PUBLISH is complete")
        };
        assert_eq!((p.topic, p.payload.len()), ("a", 99_996));
        assert!(rx.is_empty());

        let mut rx = VecBuffer::new(Version::V5);
        rx.push(&[0x30, 0xFF, 0xFF, 0xFF, 0x7F]);
        assert_eq!(rx.needed(), 268_435_455);
        let offered = rx.fill_from(|space| Ok::<_, ()>(space.len())).unwrap();
        assert_eq!(offered, 4096);
        assert_eq!(rx.len(), 5 + 4096);
    }

    /// `fill_from` offers exactly the 4096-byte chunk when the front is empty, a packet
    /// needing less, or invalid (src/vec_buffer.rs); keeps at most what it offered
    /// when `read` reports more; and leaves the buffer as it was when `read` fails, even if
    /// `read` wrote into the space.
    #[test]
    fn fill_from_offers_the_read_chunk_caps_and_undoes() {
        let fronts: [&[u8]; 3] = [&[], &[0x30, 0x05, 0x00], &[0x00]];
        for front in fronts {
            let mut rx = VecBuffer::new(Version::V5);
            rx.push(front);
            let mut offered = 0;
            let got = rx.fill_from(|space| {
                offered = space.len();
                space.fill(0xEE);
                Err::<usize, _>("reset")
            });
            assert_eq!((got, offered), (Err("reset"), 4096), "{front:02x?}");
            assert_eq!(rx.pending(), front);
        }
        let mut rx = VecBuffer::new(Version::V5);
        let n = rx.fill_from(|space| Ok::<_, ()>(space.len() + 10)).unwrap();
        assert_eq!((n, rx.len()), (4096, 4096));
    }
}

#[cfg(feature = "heapless")]
mod stream_buffer {
    use super::*;
    use mqtt_wire::{Status, StreamBuffer};

    same_buffer_tests!(StreamBuffer::<16>::new(Version::V5));

    /// `fill_from` after a consumed packet (src/framer.rs): the partial packet is
    /// moved to the front, `read` is offered all the rest of the capacity, a larger count
    /// than that is capped, and the packet completes.
    #[test]
    fn fill_from_compacts_and_completes_a_partial_packet() {
        let mut rx: StreamBuffer<8> = StreamBuffer::new(Version::V5);
        // A PINGREQ and the first 4 bytes of an 8-byte PUBLISH (topic "a", payload "hi").
        assert_eq!(rx.push(&[0xC0, 0x00, 0x30, 0x06, 0x00, 0x01]), 6);
        assert_eq!(rx.next_packet(), Ok(Status::Complete(Packet::PingReq)));
        assert_eq!(rx.status(), StreamStatus::Partial(4));
        let mut offered = 0;
        let n = rx
            .fill_from(|space| {
                offered = space.len();
                space[..4].copy_from_slice(&[b'a', 0x00, b'h', b'i']);
                Ok::<_, ()>(100)
            })
            .unwrap();
        assert_eq!((offered, n), (4, 4));
        let Ok(Status::Complete(Packet::Publish(p))) = rx.next_packet() else {
            panic!("the PUBLISH is complete")
        };
        assert_eq!((p.topic, p.payload), ("a", &b"hi"[..]));
        assert!(rx.is_empty());
    }

    /// `fill_from` whose `read` fails after writing into the space leaves the pending
    /// bytes as they were (src/framer.rs).
    #[test]
    fn fill_from_error_leaves_the_pending_bytes() {
        let mut rx: StreamBuffer<8> = StreamBuffer::new(Version::V5);
        rx.push(&[0x30, 0x06, 0x00]);
        let got = rx.fill_from(|space| {
            space.fill(0xEE);
            Err::<usize, _>("reset")
        });
        assert_eq!(got, Err("reset"));
        assert_eq!(rx.pending(), [0x30, 0x06, 0x00]);
        assert_eq!(rx.needed(), 5);
    }
}
