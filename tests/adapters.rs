//! The stream adapters (the tokio codec, `VecBuffer`, the embedded-io readers, blocking and
//! async) give back exactly the packets that went in, whatever the pieces the bytes arrive
//! in: every captured packet split at every chunk size, and whole captured sessions in
//! random 1-7 byte pieces. Also: `OwnedPacket`'s view equals the one-shot decode, the
//! encoders agree with `Packet::encode`, and `Framer::status` tells the cases apart.

mod common;

use bytes::{Bytes, BytesMut};
use mqtt_wire::{
    DecodeOptions, Framer, MqttCodec, OwnedPacket, Packet, Status, StreamStatus, VecBuffer,
    Version, decode,
};
use tokio_util::codec::{Decoder, Encoder};

/// Captured packets, grouped by protocol version.
fn streams() -> Vec<(Version, Vec<Vec<u8>>)> {
    let captured = common::captured_packets();
    Version::ALL
        .iter()
        .map(|&v| {
            let packets = captured
                .iter()
                .filter(|c| c.level == v.level())
                .map(|c| c.bytes.clone())
                .collect();
            (v, packets)
        })
        .collect()
}

/// The chunk sizes `packet` is cut into: all of 1..=len natively; under Miri all of them
/// for packets of up to 4 bytes, and for longer ones byte by byte, two at a time, a cut in
/// the middle, the last byte alone and the whole packet.
fn chunk_sizes(len: usize) -> Vec<usize> {
    if !cfg!(miri) || len <= 4 {
        return (1..=len).collect();
    }
    let mut sizes = vec![1, 2, len / 2, len - 1, len];
    sizes.dedup();
    sizes
}

/// A small deterministic generator for piece sizes (xorshift).
struct Pieces(u64);

impl Pieces {
    fn next(&mut self) -> usize {
        self.0 ^= self.0 << 13;
        self.0 ^= self.0 >> 7;
        self.0 ^= self.0 << 17;
        (self.0 % 7) as usize + 1
    }
}

/// Cuts `bytes` into pieces of the sizes `size` gives.
fn cut(bytes: &[u8], mut size: impl FnMut() -> usize) -> Vec<&[u8]> {
    let mut out = Vec::new();
    let mut rest = bytes;
    while !rest.is_empty() {
        let (piece, tail) = rest.split_at(size().min(rest.len()));
        out.push(piece);
        rest = tail;
    }
    out
}

fn via_codec(version: Version, pieces: &[&[u8]]) -> Vec<Vec<u8>> {
    let mut codec = MqttCodec::new(version);
    let mut buf = BytesMut::new();
    let mut out = Vec::new();
    for piece in pieces {
        buf.extend_from_slice(piece);
        while let Some(owned) = codec.decode(&mut buf).expect("valid stream") {
            out.push(owned.bytes().to_vec());
        }
    }
    assert_eq!(codec.decode_eof(&mut buf).unwrap(), None);
    assert!(buf.is_empty());
    out
}

fn via_vec_buffer(version: Version, pieces: &[&[u8]]) -> Vec<Vec<u8>> {
    let mut rx = VecBuffer::new(version);
    let mut out = Vec::new();
    for piece in pieces {
        rx.push(piece);
        loop {
            let v = rx.version();
            match rx.next_packet().expect("valid stream") {
                Status::Complete(packet) => {
                    let v = if let Packet::Connect(c) = &packet {
                        c.version
                    } else {
                        v
                    };
                    out.push(packet.encode_to_vec(v).unwrap());
                }
                Status::Partial(n) => {
                    let expected = if rx.is_empty() {
                        StreamStatus::Empty
                    } else {
                        StreamStatus::Partial(n)
                    };
                    assert_eq!(rx.status(), expected);
                    break;
                }
            }
        }
    }
    assert_eq!(rx.status(), StreamStatus::Empty);
    out
}

/// A reader that hands out the stream in the given pieces (a short read each time).
struct ShortReads<'a> {
    pieces: Vec<&'a [u8]>,
    next: usize,
    offset: usize,
}

impl<'a> ShortReads<'a> {
    fn new(pieces: Vec<&'a [u8]>) -> Self {
        ShortReads {
            pieces,
            next: 0,
            offset: 0,
        }
    }

    fn read_into(&mut self, buf: &mut [u8]) -> usize {
        let Some(piece) = self.pieces.get(self.next) else {
            return 0;
        };
        let rest = &piece[self.offset..];
        let n = rest.len().min(buf.len());
        buf[..n].copy_from_slice(&rest[..n]);
        self.offset += n;
        if self.offset == piece.len() {
            self.next += 1;
            self.offset = 0;
        }
        n
    }
}

impl embedded_io::ErrorType for ShortReads<'_> {
    type Error = core::convert::Infallible;
}

impl embedded_io::Read for ShortReads<'_> {
    fn read(&mut self, buf: &mut [u8]) -> Result<usize, Self::Error> {
        Ok(self.read_into(buf))
    }
}

impl embedded_io_async::Read for ShortReads<'_> {
    async fn read(&mut self, buf: &mut [u8]) -> Result<usize, Self::Error> {
        Ok(self.read_into(buf))
    }
}

fn via_embedded(version: Version, pieces: &[&[u8]]) -> Vec<Vec<u8>> {
    let mut reader = ShortReads::new(pieces.to_vec());
    let mut buf = [0u8; 512];
    let opts = DecodeOptions::new();
    let mut out = Vec::new();
    let mut version = version;
    while let Some(packet) =
        mqtt_wire::embedded::read_packet(&mut reader, &mut buf, version, &opts).unwrap()
    {
        if let Packet::Connect(c) = &packet {
            version = c.version;
        }
        out.push(packet.encode_to_vec(version).unwrap());
    }
    out
}

fn via_embedded_async(version: Version, pieces: &[&[u8]]) -> Vec<Vec<u8>> {
    let mut reader = ShortReads::new(pieces.to_vec());
    let mut buf = [0u8; 512];
    let opts = DecodeOptions::new();
    let mut out = Vec::new();
    let mut version = version;
    futures::executor::block_on(async {
        while let Some(packet) =
            mqtt_wire::embedded::read_packet_async(&mut reader, &mut buf, version, &opts)
                .await
                .unwrap()
        {
            if let Packet::Connect(c) = &packet {
                version = c.version;
            }
            out.push(packet.encode_to_vec(version).unwrap());
        }
    });
    out
}

type Adapter = fn(Version, &[&[u8]]) -> Vec<Vec<u8>>;

const ADAPTERS: [(&str, Adapter); 4] = [
    ("tokio codec", via_codec),
    ("VecBuffer", via_vec_buffer),
    ("embedded-io", via_embedded),
    ("embedded-io-async", via_embedded_async),
];

#[test]
fn every_packet_split_at_every_chunk_size() {
    for (version, packets) in streams() {
        for packet in &common::miri_sample(packets, 97) {
            // The packet, then a PINGREQ, so that each cut also crosses a boundary.
            let stream = [packet.as_slice(), &[0xC0, 0x00]].concat();
            let expected = vec![packet.clone(), vec![0xC0, 0x00]];
            for chunk in chunk_sizes(packet.len()) {
                let pieces = cut(&stream, || chunk);
                for (name, adapter) in ADAPTERS {
                    assert_eq!(
                        adapter(version, &pieces),
                        expected,
                        "{name}, {version}, chunks of {chunk}: {packet:02x?}"
                    );
                }
            }
        }
    }
}

#[test]
fn whole_sessions_in_random_pieces() {
    for (version, packets) in streams() {
        // Under Miri a session of the first 20 packets, cut two ways.
        let packets = if cfg!(miri) {
            packets.into_iter().take(20).collect()
        } else {
            packets
        };
        let stream = packets.concat();
        let seeds: &[u64] = if cfg!(miri) {
            &[1, 0x5eed]
        } else {
            &[1, 7, 0x5eed, 0xdead_beef]
        };
        for &seed in seeds {
            let mut sizes = Pieces(seed);
            let pieces = cut(&stream, || sizes.next());
            for (name, adapter) in ADAPTERS {
                assert_eq!(
                    adapter(version, &pieces),
                    packets,
                    "{name}, {version}, seed {seed}"
                );
            }
        }
    }
}

#[test]
fn owned_packets_view_what_decode_sees_and_encode_back() {
    for (version, packets) in streams() {
        for bytes in common::miri_sample(packets, 11) {
            let Ok(Status::Complete((expected, _))) = decode(&bytes, version) else {
                panic!("captured packet does not decode: {bytes:02x?}")
            };
            let owned =
                OwnedPacket::from_bytes(Bytes::from(bytes.clone()), version, &DecodeOptions::new())
                    .unwrap()
                    .complete()
                    .unwrap();
            assert_eq!(owned.packet(), expected);
            assert_eq!(owned.to_string(), expected.to_string());
            let v = owned.version();
            // Every encoder writes the same bytes.
            assert_eq!(expected.encode_to_vec(v).unwrap(), bytes);
            let mut bm = BytesMut::from(&b"xy"[..]);
            expected.encode_to_bytes_mut(v, &mut bm).unwrap();
            assert_eq!(&bm[2..], &bytes[..]);
            let mut any: Vec<u8> = Vec::new();
            expected.encode_to_buf(v, &mut any).unwrap();
            assert_eq!(any, bytes);
            let again = OwnedPacket::from_packet(&expected, v).unwrap();
            assert_eq!(again, owned);
            // The codec encodes both the view and the owned packet to the same bytes.
            let mut codec = MqttCodec::new(v);
            let mut wire = BytesMut::new();
            codec.encode(&expected, &mut wire).unwrap();
            codec.encode(&owned, &mut wire).unwrap();
            assert_eq!(wire, [bytes.as_slice(), &bytes].concat());
            let mut out = [0u8; 512];
            let mut sink = &mut out[..];
            let n = mqtt_wire::embedded::write_packet(&mut sink, &expected, v, &mut [0u8; 512])
                .unwrap();
            assert_eq!(&out[..n], &bytes[..]);
        }
    }
}

#[test]
fn owned_packet_is_send_sync_static() {
    fn check<T: Send + Sync + 'static>() {}
    check::<OwnedPacket>();
    check::<mqtt_wire::ReadError>();
}

#[test]
fn codec_leaves_partial_packets_alone_and_switches_version_on_connect() {
    // A 3.1.1 CONNECT arrives on a codec that starts at 5.0.
    let connect = Packet::Connect(mqtt_wire::Connect::new(Version::V3_1_1, "c"));
    let mut wire = BytesMut::from(&connect.encode_to_vec(Version::V3_1_1).unwrap()[..]);
    let whole = wire.clone();
    let tail = wire.split_off(5);
    let mut codec = MqttCodec::new(Version::V5);
    assert_eq!(codec.decode(&mut wire).unwrap(), None);
    assert_eq!(&wire[..], &whole[..5], "a partial packet is left untouched");
    wire.unsplit(tail);
    let owned = codec.decode(&mut wire).unwrap().unwrap();
    assert_eq!(owned.version(), Version::V3_1_1);
    assert_eq!(codec.version(), Version::V3_1_1);
    // A client's codec switches when it encodes its CONNECT.
    let mut client = MqttCodec::new(Version::V5);
    client.encode(connect, &mut BytesMut::new()).unwrap();
    assert_eq!(client.version(), Version::V3_1_1);
    // A stream cut inside a packet is an UnexpectedEof at its end.
    let mut cut = BytesMut::from(&whole[..3]);
    let Err(mqtt_wire::ReadError::Io(e)) = codec.decode_eof(&mut cut) else {
        panic!()
    };
    assert_eq!(e.kind(), std::io::ErrorKind::UnexpectedEof);
    // An encoding error comes back as ReadError::Encode.
    let auth = Packet::Auth(mqtt_wire::Auth::new());
    assert!(matches!(
        codec.encode(auth, &mut BytesMut::new()),
        Err(mqtt_wire::ReadError::Encode(
            mqtt_wire::EncodeError::NotInVersion(mqtt_wire::Field::Auth)
        ))
    ));
}

#[test]
fn embedded_reader_limits_and_end_of_stream() {
    let opts = DecodeOptions::new();
    // A packet larger than the buffer is refused once its fixed header is in.
    let mut reader: &[u8] = &[0x30, 0x7F];
    let mut small = [0u8; 16];
    let err = mqtt_wire::embedded::read_packet(&mut reader, &mut small, Version::V5, &opts);
    assert!(matches!(err, Err(mqtt_wire::embedded::Error::Decode(e))
        if e.kind() == mqtt_wire::DecodeErrorKind::PacketTooLarge));
    // A stream that ends inside a packet.
    let mut reader: &[u8] = &[0x30, 0x05, 0x00];
    let err = mqtt_wire::embedded::read_packet(&mut reader, &mut small, Version::V5, &opts);
    assert_eq!(err, Err(mqtt_wire::embedded::Error::UnexpectedEof));
    // It never reads past the packet: the next packet stays in the reader.
    let mut reader: &[u8] = &[0xC0, 0x00, 0xD0, 0x00];
    let got = mqtt_wire::embedded::read_packet(&mut reader, &mut small, Version::V5, &opts);
    assert_eq!(got, Ok(Some(Packet::PingReq)));
    assert_eq!(reader, [0xD0, 0x00]);
}

#[test]
fn framer_status_tells_the_cases_apart() {
    let v = Version::V5;
    let mut framer = Framer::new(&[0xC0, 0x00, 0x30], v);
    assert!(matches!(framer.status(), StreamStatus::Complete(f) if f.len() == 2));
    assert_eq!(framer.next_packet(), Some(Ok(Packet::PingReq)));
    assert_eq!(
        (framer.status(), framer.needed()),
        (StreamStatus::Partial(1), 1)
    );
    let framer = Framer::new(&[0xC0, 0x00], v);
    let mut packets = framer.packets();
    assert_eq!(packets.next(), Some(Ok(Packet::PingReq)));
    assert_eq!(packets.framer().status(), StreamStatus::Empty);
    assert_eq!(packets.framer().needed(), 0);
    let framer = Framer::new(&[0xF0, 0x00], Version::V3_1_1);
    assert!(matches!(framer.status(), StreamStatus::Invalid(_)));
    assert_eq!(framer.needed(), 0);
}
