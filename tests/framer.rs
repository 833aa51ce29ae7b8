//! The streaming framer: packets found in a stream that arrives in arbitrary chunks are
//! exactly the packets one-shot decoding finds (DESIGN.md invariant 5, for streams).

mod common;

use common::{Captured, captured_packets, hex};
use mqtt_wire::{
    DecodeErrorKind, DecodeOptions, Framer, Packet, PacketType, Status, Version, decode,
};
use proptest::prelude::*;

/// One direction of one capture file: the packets' bytes and the connection's version.
struct Stream {
    name: String,
    version: Version,
    packets: Vec<Vec<u8>>,
}

impl Stream {
    fn bytes(&self) -> Vec<u8> {
        self.packets.concat()
    }

    /// The packets as one-shot `decode` of each captured packet gives them.
    fn expected(&self) -> Vec<Packet<'_>> {
        self.packets
            .iter()
            .map(|p| match decode(p, self.version) {
                Ok(Status::Complete((packet, n))) if n == p.len() => packet,
                other => panic!("{}: captured packet does not decode: {other:?}", self.name),
            })
            .collect()
    }
}

fn streams() -> Vec<Stream> {
    let captured = captured_packets();
    let mut out: Vec<Stream> = Vec::new();
    for Captured {
        file,
        client_to_server,
        level,
        bytes,
        ..
    } in captured
    {
        let name = format!(
            "{} {}",
            file.display(),
            if *client_to_server { "C" } else { "S" }
        );
        match out.iter_mut().find(|s| s.name == name) {
            Some(s) => s.packets.push(bytes.clone()),
            None => out.push(Stream {
                name,
                version: Version::from_level(*level).unwrap(),
                packets: vec![bytes.clone()],
            }),
        }
    }
    // Under Miri, which reads every 5th capture file, every 3rd of their streams (some of
    // each version and direction).
    let many = if cfg!(miri) { 20 } else { 150 };
    assert!(
        out.len() > many,
        "expected many capture streams, found {}",
        out.len()
    );
    common::miri_sample(out, 3)
}

/// Splits `bytes` into chunks whose sizes cycle through `sizes`.
fn chunks<'b>(bytes: &'b [u8], sizes: &[usize]) -> Vec<&'b [u8]> {
    let mut out = Vec::new();
    let mut rest = bytes;
    for &size in sizes.iter().cycle() {
        if rest.is_empty() {
            break;
        }
        let (chunk, tail) = rest.split_at(size.min(rest.len()));
        out.push(chunk);
        rest = tail;
    }
    out
}

/// Feeds `stream` to a growing buffer chunk by chunk and runs a `Framer` over the unconsumed
/// part after each chunk, as a network loop would; checks every packet against one-shot
/// decoding and `needed()` against the bytes that are really missing.
fn check_framer_chunked(stream: &Stream, sizes: &[usize], start_version: Version) {
    let bytes = stream.bytes();
    let expected = stream.expected();
    let mut buf: Vec<u8> = Vec::new();
    let mut pos = 0;
    let mut version = start_version;
    let mut got = 0;
    // Where each packet ends in the stream, to check needed().
    let ends: Vec<usize> = stream
        .packets
        .iter()
        .scan(0, |end, p| {
            *end += p.len();
            Some(*end)
        })
        .collect();
    for chunk in chunks(&bytes, sizes) {
        buf.extend_from_slice(chunk);
        let mut framer = Framer::new(&buf[pos..], version);
        while let Some(result) = framer.next_packet() {
            let packet = result.unwrap_or_else(|e| panic!("{}: {e}", stream.name));
            assert_eq!(packet, expected[got], "{} packet {got}", stream.name);
            got += 1;
        }
        pos += framer.consumed();
        version = framer.version();
        assert_eq!(
            pos,
            if got == 0 { 0 } else { ends[got - 1] },
            "{}",
            stream.name
        );
        let needed = framer.needed();
        if pos == buf.len() {
            assert_eq!(needed, 0);
        } else {
            // Never over-promises; exact once the fixed header is in.
            let missing = ends[got] - buf.len();
            assert!(
                (1..=missing).contains(&needed),
                "{}: {needed} > {missing}",
                stream.name
            );
        }
    }
    assert_eq!(got, expected.len(), "{}", stream.name);
    assert_eq!(pos, bytes.len());
    assert_eq!(version, stream.version);
}

#[test]
fn whole_streams_frame_like_one_shot_decoding() {
    for stream in streams() {
        let bytes = stream.bytes();
        let raw: Vec<&[u8]> = Framer::new(&bytes, stream.version)
            .map(|r| r.unwrap().bytes)
            .collect();
        let expected: Vec<&[u8]> = stream.packets.iter().map(Vec::as_slice).collect();
        assert_eq!(raw, expected, "{}", stream.name);
        // Frame types agree with the decoded packets.
        let types: Vec<PacketType> = Framer::new(&bytes, stream.version)
            .map(|r| r.unwrap().packet_type())
            .collect();
        let decoded: Vec<PacketType> = stream.expected().iter().map(Packet::packet_type).collect();
        assert_eq!(types, decoded);
    }
}

#[test]
fn byte_at_a_time() {
    for stream in streams() {
        check_framer_chunked(&stream, &[1], stream.version);
    }
}

/// A broker does not know the version before CONNECT: framing with 5.0 and letting the
/// CONNECT switch it gives the same packets on client streams.
#[test]
fn connect_sets_the_version() {
    for stream in streams().iter().filter(|s| s.name.ends_with(" C")) {
        check_framer_chunked(stream, &[7, 3, 11], Version::V5);
    }
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(common::strategies::miri_cases(64)))]

    #[test]
    fn random_chunks_give_the_one_shot_packets(
        sizes in prop::collection::vec(1usize..96, 1..64),
    ) {
        for stream in streams() {
            check_framer_chunked(&stream, &sizes, stream.version);
        }
    }
}

/// The maximum packet size is enforced as soon as the Remaining Length is read, before the
/// body arrives.
#[test]
fn max_packet_size_checked_at_the_header() {
    let opts = DecodeOptions::new().max_packet_size(100);
    // PINGREQ, then the first 3 bytes of a PUBLISH announcing 300 bytes of body.
    let buf = hex("c0 00 30 ac 02");
    let mut framer = Framer::with_options(&buf, Version::V5, opts);
    assert_eq!(
        framer.next().unwrap().unwrap().packet_type(),
        PacketType::PingReq
    );
    let err = framer.next().unwrap().unwrap_err();
    assert_eq!(err.kind(), DecodeErrorKind::PacketTooLarge);
    assert_eq!(framer.consumed(), 2);
    assert!(framer.next().is_none(), "the framer stops after an error");
    // Without the limit it just waits for the body.
    let mut framer = Framer::new(&buf, Version::V5);
    assert!(framer.next().unwrap().is_ok());
    assert!(framer.next().is_none());
    assert_eq!(framer.needed(), 300);
}

/// After a body error, consumed() points at the bad packet and the error is the one-shot one.
#[test]
fn error_position_matches_one_shot_decode() {
    // PINGREQ, then a SUBSCRIBE whose requested QoS is 3 (MQTT-3.8.3-4).
    let buf = hex("c0 00 82 06 00 01 00 01 61 03 d0 00");
    let mut packets = Framer::new(&buf, Version::V3_1_1).packets();
    assert_eq!(packets.next(), Some(Ok(Packet::PingReq)));
    let err = packets.next().unwrap().unwrap_err();
    assert_eq!(packets.framer().consumed(), 2);
    let one_shot = decode(&buf[2..], Version::V3_1_1).unwrap_err();
    assert_eq!(err, one_shot);
    assert_eq!(err.kind(), DecodeErrorKind::InvalidRequestedQoS);
    assert_eq!(packets.next(), None);
}

#[test]
fn raw_packet_parts() {
    let buf = hex("30 05 00 01 61 68 69");
    let raw = Framer::new(&buf, Version::V3_1_1).next().unwrap().unwrap();
    assert_eq!(raw.bytes, &buf[..]);
    assert_eq!(raw.body(), &buf[2..]);
    let Packet::Publish(p) = raw.decode(Version::V3_1_1, &DecodeOptions::new()).unwrap() else {
        panic!("not a PUBLISH")
    };
    assert_eq!((p.topic, p.payload), ("a", &b"hi"[..]));
}

#[cfg(feature = "heapless")]
mod stream_buffer {
    use super::*;
    use mqtt_wire::StreamBuffer;

    fn check_stream_buffer<const N: usize>(stream: &Stream, sizes: &[usize]) {
        let expected = stream.expected();
        let bytes = stream.bytes();
        let mut rx: StreamBuffer<N> = StreamBuffer::new(stream.version);
        let mut got = 0;
        for mut chunk in chunks(&bytes, sizes) {
            while !chunk.is_empty() {
                let taken = rx.push(chunk);
                chunk = &chunk[taken..];
                let mut progressed = taken > 0;
                while let Status::Complete(packet) = rx.next_packet().unwrap() {
                    assert_eq!(packet, expected[got], "{} packet {got}", stream.name);
                    got += 1;
                    progressed = true;
                }
                assert!(progressed, "{}: buffer full without a packet", stream.name);
            }
        }
        assert_eq!(got, expected.len(), "{}", stream.name);
        assert!(rx.is_empty());
        assert_eq!(rx.needed(), 0);
    }

    proptest! {
        #![proptest_config(ProptestConfig::with_cases(common::strategies::miri_cases(32)))]

        /// A 256-byte buffer (the largest captured packet is 168 bytes) fed random chunks,
        /// compacting as it goes.
        #[test]
        fn random_chunks_through_a_stream_buffer(
            sizes in prop::collection::vec(1usize..300, 1..32),
        ) {
            for stream in streams() {
                check_stream_buffer::<256>(&stream, &sizes);
            }
        }
    }

    #[test]
    fn packets_larger_than_the_buffer_are_refused_at_the_header() {
        let mut rx: StreamBuffer<32> = StreamBuffer::new(Version::V5);
        assert_eq!(rx.push(&[0x30, 0x28]), 2); // PUBLISH of 42 bytes in all
        assert_eq!(
            rx.next_packet().unwrap_err().kind(),
            DecodeErrorKind::PacketTooLarge
        );
        // The error repeats until the buffer is cleared.
        assert!(rx.next_frame().is_err());
        rx.clear();
        rx.push(&[0xC0, 0x00]);
        assert_eq!(rx.next_packet(), Ok(Status::Complete(Packet::PingReq)));
        // A 32-byte packet fits exactly.
        let mut full = vec![0x30, 30, 0x00, 0x01, b'a', 0x00]; // 5.0: empty properties
        full.resize(32, b'x');
        assert_eq!(rx.push(&full), 32);
        assert!(matches!(
            rx.next_packet(),
            Ok(Status::Complete(Packet::Publish(_)))
        ));
    }

    #[test]
    fn push_takes_what_fits_and_frames_forward() {
        let mut rx: StreamBuffer<4> = StreamBuffer::new(Version::V5);
        // Three PINGREQs: only two fit.
        assert_eq!(rx.push(&[0xC0, 0x00, 0xC0, 0x00, 0xC0, 0x00]), 4);
        assert_eq!(rx.free(), 0);
        let Status::Complete(raw) = rx.next_frame().unwrap() else {
            panic!()
        };
        assert_eq!(raw.bytes, [0xC0, 0x00]);
        assert_eq!(rx.len(), 2);
        assert_eq!(rx.free(), 2);
        // Room is made by moving the unconsumed PINGREQ to the front.
        assert_eq!(rx.push(&[0xC0, 0x00]), 2);
        assert_eq!(rx.pending(), [0xC0, 0x00, 0xC0, 0x00]);
        let n = rx.fill_from(|space| Ok::<_, ()>(space.len())).unwrap();
        assert_eq!(n, 0, "no space left");
        assert_eq!(rx.fill_from(|_| Err::<usize, _>("io")), Err("io"));
        assert_eq!(rx.len(), 4);
    }
}

#[cfg(feature = "std")]
mod read {
    use super::*;
    use mqtt_wire::{ReadError, read_packet};
    use std::io::Read;

    /// A reader that returns at most `sizes[i]` bytes per call, cycling.
    struct Chunky<'b> {
        data: &'b [u8],
        sizes: Vec<usize>,
        call: usize,
    }

    impl Read for Chunky<'_> {
        fn read(&mut self, out: &mut [u8]) -> std::io::Result<usize> {
            let size = self.sizes[self.call % self.sizes.len()];
            self.call += 1;
            let n = size.min(out.len()).min(self.data.len());
            out[..n].copy_from_slice(&self.data[..n]);
            self.data = &self.data[n..];
            Ok(n)
        }
    }

    proptest! {
        #![proptest_config(ProptestConfig::with_cases(common::strategies::miri_cases(16)))]

        #[test]
        fn read_packet_reads_each_packet_exactly(
            sizes in prop::collection::vec(1usize..40, 1..16),
        ) {
            for stream in streams() {
                let bytes = stream.bytes();
                let expected = stream.expected();
                let mut reader = Chunky { data: &bytes, sizes: sizes.clone(), call: 0 };
                let opts = DecodeOptions::new();
                let mut buf = [0u8; 512];
                for want in &expected {
                    let got = read_packet(&mut reader, &mut buf, stream.version, &opts).unwrap();
                    prop_assert_eq!(got.as_ref(), Some(want));
                }
                let end = read_packet(&mut reader, &mut buf, stream.version, &opts).unwrap();
                prop_assert!(end.is_none());
            }
        }
    }

    #[test]
    fn read_packet_errors() {
        let opts = DecodeOptions::new();
        let mut buf = [0u8; 8];
        // The stream ends inside a packet.
        let mut cut: &[u8] = &[0x30, 0x05, 0x00];
        let err = read_packet(&mut cut, &mut buf, Version::V5, &opts).unwrap_err();
        assert!(matches!(err, ReadError::Io(e) if e.kind() == std::io::ErrorKind::UnexpectedEof));
        // A packet larger than the buffer is refused after the fixed header.
        let mut big: &[u8] = &[0x30, 0x10, 0x00, 0x01, b'a'];
        let err = read_packet(&mut big, &mut buf, Version::V5, &opts).unwrap_err();
        assert!(matches!(err, ReadError::Decode(e) if e.kind() == DecodeErrorKind::PacketTooLarge));
        assert_eq!(
            big,
            [0x00, 0x01, b'a'],
            "nothing read past the fixed header"
        );
        // A TLS handshake is diagnosed.
        let mut tls: &[u8] = &hex("16 03 01 00 c8 01");
        let err = read_packet(&mut tls, &mut buf, Version::V5, &opts).unwrap_err();
        assert!(matches!(err, ReadError::Decode(e) if e.kind() == DecodeErrorKind::TlsOnPlainPort));
        assert!(err.to_string().contains("TLS"));
    }
}
