//! The same byte stream gives the same packets, and ends in the same state (error or missing
//! count), whether it is decoded in one go, decoded from a buffer that grows in
//! fuzzer-chosen chunks, walked by a `Framer`, or pushed chunk by chunk into a
//! `StreamBuffer`. `Partial(n)` never over-promises along the way. As a receiver would, every
//! reader switches to the version a decoded CONNECT names.
//!
//! Input: byte 0 picks the version (`% 3`) and how many chunk-size bytes follow
//! (`/ 3 % 16`); those bytes are the chunk sizes (used in a cycle, 0 meaning an empty
//! read); the rest is the stream.
#![no_main]

use libfuzzer_sys::fuzz_target;
use mqtt_wire::{
    DecodeError, DecodeErrorKind, Framer, Packet, Status, StreamBuffer, Version, decode,
};
use mqtt_wire_fuzz::is_diagnosis;

/// Capacity of the `StreamBuffer` under test; longer streams skip that check.
const CAP: usize = 16 * 1024;

/// What one-shot decoding found: the packets with their sizes, and how it ended.
struct Reference<'a> {
    packets: Vec<(Packet<'a>, usize)>,
    end: Result<usize, DecodeError>,
    /// Bytes taken by the packets.
    consumed: usize,
}

fn version_after(p: &Packet<'_>, v: Version) -> Version {
    match p {
        Packet::Connect(c) => c.version,
        _ => v,
    }
}

/// Decodes packets from the front of `stream` until it runs out or fails.
fn one_shot(stream: &[u8], mut v: Version) -> Reference<'_> {
    let mut packets = Vec::new();
    let mut pos = 0;
    loop {
        match decode(&stream[pos..], v) {
            Ok(Status::Complete((p, n))) => {
                assert!(n >= 2, "a packet takes at least two bytes");
                v = version_after(&p, v);
                packets.push((p, n));
                pos += n;
            }
            Ok(Status::Partial(n)) => {
                return Reference {
                    packets,
                    end: Ok(n),
                    consumed: pos,
                };
            }
            Err(e) => {
                return Reference {
                    packets,
                    end: Err(e),
                    consumed: pos,
                };
            }
        }
    }
}

/// An error seen by a streaming reader matches the one-shot outcome. The diagnoses look at
/// the bytes that have arrived (and at bytes after the packet), so when either side reports
/// one, only the fact of the error is compared.
fn same_error(reference: &Reference<'_>, seen: usize, e: DecodeError, who: &str) {
    assert_eq!(
        seen,
        reference.packets.len(),
        "{who}: error {e:?} before packet {seen}"
    );
    match reference.end {
        Err(one) if is_diagnosis(one.kind()) || is_diagnosis(e.kind()) => {}
        Err(one) => assert_eq!(one, e, "{who}: different error"),
        Ok(n) => panic!("{who}: {e:?}; one-shot: Partial({n})"),
    }
}

/// Decodes from a `Vec` that grows chunk by chunk, removing packets as they complete.
fn chunked(stream: &[u8], mut v: Version, sizes: &[usize], reference: &Reference<'_>) {
    let mut buf: Vec<u8> = Vec::new();
    let mut fed = 0;
    let mut next = 0;
    // Decode may not complete before the buffer holds this many bytes.
    let mut promised = 0;
    let mut chunks = sizes.iter().cycle();
    let mut last: Result<usize, DecodeError>;
    loop {
        loop {
            match decode(&buf, v) {
                Ok(Status::Complete((p, n))) => {
                    assert!(buf.len() >= promised, "Partial over-promised");
                    assert!(next < reference.packets.len(), "extra packet {p:?}");
                    assert_eq!((p, n), reference.packets[next], "packet {next} differs");
                    v = version_after(&p, v);
                    next += 1;
                    buf.drain(..n);
                    promised = 0;
                }
                Ok(Status::Partial(n)) => {
                    assert!(n >= 1, "Partial(0)");
                    promised = buf.len() + n;
                    last = Ok(n);
                    break;
                }
                Err(e) => return same_error(reference, next, e, "chunked decode"),
            }
        }
        if fed == stream.len() {
            break;
        }
        let c = (*chunks.next().unwrap()).min(stream.len() - fed);
        buf.extend_from_slice(&stream[fed..fed + c]);
        fed += c;
    }
    assert_eq!(next, reference.packets.len(), "packets missing");
    assert_eq!(last, reference.end, "different final state");
}

/// Walks the whole stream with a `Framer`.
fn framer(stream: &[u8], v: Version, reference: &Reference<'_>) {
    let mut framer = Framer::new(stream, v);
    for (i, (p, _)) in reference.packets.iter().enumerate() {
        match framer.next_packet() {
            Some(Ok(q)) => assert_eq!(q, *p, "framer: packet {i} differs"),
            Some(Err(e)) => return same_error(reference, i, e, "framer"),
            None => panic!("framer: stopped before packet {i}"),
        }
    }
    match (framer.next_packet(), reference.end) {
        (Some(Err(e)), _) => same_error(reference, reference.packets.len(), e, "framer"),
        (None, Ok(n)) => {
            assert_eq!(framer.consumed(), reference.consumed, "framer: consumed");
            let rest_empty = reference.consumed == stream.len();
            assert_eq!(
                framer.needed(),
                if rest_empty { 0 } else { n },
                "framer: needed"
            );
        }
        (other, end) => panic!("framer: {other:?}; one-shot: {end:?}"),
    }
}

/// Pushes the stream chunk by chunk into a `StreamBuffer` and takes packets out.
fn stream_buffer(stream: &[u8], v: Version, sizes: &[usize], reference: &Reference<'_>) {
    if stream.len() > CAP {
        return;
    }
    let mut sb: StreamBuffer<CAP> = StreamBuffer::new(v);
    let mut fed = 0;
    let mut next = 0;
    let mut chunks = sizes.iter().cycle();
    let mut last: Result<usize, DecodeError>;
    loop {
        loop {
            match sb.next_packet() {
                Ok(Status::Complete(p)) => {
                    assert!(next < reference.packets.len(), "stream buffer: extra {p:?}");
                    assert_eq!(p, reference.packets[next].0, "stream buffer: packet {next}");
                    next += 1;
                }
                Ok(Status::Partial(n)) => {
                    last = Ok(n);
                    break;
                }
                Err(e) if e.kind() == DecodeErrorKind::PacketTooLarge => {
                    // Only the last, incomplete packet can be too big for the buffer.
                    assert_eq!(next, reference.packets.len(), "stream buffer: {e:?}");
                    let pending = stream.len() - reference.consumed;
                    match reference.end {
                        Ok(n) => assert!(pending + n > CAP, "stream buffer: {e:?}"),
                        Err(one) => assert_eq!(one.kind(), DecodeErrorKind::PacketTooLarge),
                    }
                    return;
                }
                Err(e) => return same_error(reference, next, e, "stream buffer"),
            }
        }
        if fed == stream.len() {
            break;
        }
        let c = (*chunks.next().unwrap()).min(stream.len() - fed);
        assert_eq!(
            sb.push(&stream[fed..fed + c]),
            c,
            "stream buffer: push refused"
        );
        fed += c;
    }
    assert_eq!(
        next,
        reference.packets.len(),
        "stream buffer: packets missing"
    );
    assert_eq!(last, reference.end, "stream buffer: different final state");
}

fuzz_target!(|data: &[u8]| {
    let Some((&sel, rest)) = data.split_first() else {
        return;
    };
    let v = Version::ALL[usize::from(sel % 3)];
    let k = usize::from(sel / 3 % 16).min(rest.len());
    let (sizes, stream) = rest.split_at(k);
    let sizes: Vec<usize> = if sizes.iter().any(|&s| s > 0) {
        sizes.iter().map(|&s| usize::from(s)).collect()
    } else {
        vec![stream.len().max(1)]
    };

    let reference = one_shot(stream, v);
    chunked(stream, v, &sizes, &reference);
    framer(stream, v, &reference);
    stream_buffer(stream, v, &sizes, &reference);
});
