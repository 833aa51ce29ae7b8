//! Property tests of the decoder on damaged and arbitrary input (DESIGN.md invariants):
//! decode never panics, and whenever it succeeds the packet re-encodes to exactly the bytes
//! it consumed (decoding is canonical), so a mutated packet either decodes to something
//! whose encoding is the mutated bytes, or is refused (or asks for more bytes).
//!
//! Case counts (default; `PROPTEST_CASES` overrides every test in this file):
//! `mutated_packets` 2048 (each with 1..=8 separate mutations, each read under all three
//! versions), `arbitrary_bytes` 8192 and `header_shaped_bytes` 8192 (each under all three).

mod common;

use common::strategies::{Case, case, config, is_diagnosis};
use mqtt_wire::{
    DecodeErrorKind, DecodeOptions, Packet, Status, Utf8Policy, Version, decode, decode_with, frame,
};
use proptest::prelude::*;
use proptest::sample::Index;

/// The canonical round-trip oracle for any input on a connection of version `v`.
fn check_decode(data: &[u8], v: Version) -> Result<(), TestCaseError> {
    let framed = frame(data, v, &DecodeOptions::new());
    let decoded = decode(data, v);
    match (&framed, &decoded) {
        (Err(a), Err(b)) => prop_assert_eq!(a, b),
        (Ok(Status::Partial(a)), Ok(Status::Partial(b))) => {
            prop_assert_eq!(a, b);
            prop_assert!(*a >= 1);
        }
        (Ok(Status::Complete(f)), Ok(Status::Complete((_, used)))) => {
            prop_assert_eq!(f.len(), *used);
        }
        (Ok(Status::Complete(_)), Err(_)) => {}
        other => prop_assert!(false, "frame and decode disagree: {other:?}"),
    }
    let Ok(Status::Complete((packet, used))) = decoded else {
        return Ok(());
    };
    let ev = match packet {
        Packet::Connect(c) => c.version,
        _ => v,
    };
    let len = packet.encoded_len(ev);
    prop_assert_eq!(len, Ok(used), "encoded_len of a decoded {:?}", packet);
    let mut out = vec![0u8; used];
    prop_assert_eq!(packet.encode(ev, &mut out), Ok(used));
    prop_assert_eq!(&out[..], &data[..used], "not canonical: {:?}", packet);
    // The strict UTF-8 policy only refuses more.
    let strict = DecodeOptions::new().utf8_policy(Utf8Policy::Strict);
    match decode_with(data, v, &strict) {
        Ok(Status::Complete(done)) => prop_assert_eq!(done, (packet, used)),
        Err(e) => prop_assert!(
            e.kind() == DecodeErrorKind::DisallowedCodePoint || is_diagnosis(e.kind()),
            "strict policy refused with {:?}",
            e
        ),
        Ok(Status::Partial(n)) => prop_assert!(false, "strict wants {} more", n),
    }
    Ok(())
}

/// One damage to a valid packet.
#[derive(Debug, Clone)]
enum Mutation {
    /// Replace the byte at the index with this value.
    Set(Index, u8),
    /// Flip one bit of the byte at the index.
    Flip(Index, u8),
    /// Insert a byte before the index.
    Insert(Index, u8),
    /// Remove the byte at the index.
    Remove(Index),
    /// Keep only the bytes before the index.
    Truncate(Index),
}

fn mutation() -> impl Strategy<Value = Mutation> {
    prop_oneof![
        4 => (any::<Index>(), any::<u8>()).prop_map(|(i, b)| Mutation::Set(i, b)),
        3 => (any::<Index>(), 0..8u8).prop_map(|(i, b)| Mutation::Flip(i, b)),
        2 => (any::<Index>(), any::<u8>()).prop_map(|(i, b)| Mutation::Insert(i, b)),
        2 => any::<Index>().prop_map(Mutation::Remove),
        1 => any::<Index>().prop_map(Mutation::Truncate),
    ]
}

fn apply(bytes: &[u8], m: &Mutation) -> Vec<u8> {
    let mut out = bytes.to_vec();
    match m {
        Mutation::Set(i, b) => out[i.index(bytes.len())] = *b,
        Mutation::Flip(i, bit) => out[i.index(bytes.len())] ^= 1 << bit,
        Mutation::Insert(i, b) => out.insert(i.index(bytes.len() + 1), *b),
        Mutation::Remove(i) => {
            out.remove(i.index(bytes.len()));
        }
        Mutation::Truncate(i) => out.truncate(i.index(bytes.len())),
    }
    out
}

fn encode_case(case: &Case) -> Vec<u8> {
    let lists = case.packet.lists();
    let p = case.packet.packet(case.version, &lists);
    let mut buf = vec![0u8; p.encoded_len(case.version).expect("valid packet")];
    p.encode(case.version, &mut buf).expect("valid packet");
    buf
}

proptest! {
    #![proptest_config(config(2048))]

    /// Single-byte changes, bit flips, insertions, removals and truncations of a valid
    /// packet: decode either refuses, asks for more, or gives a packet that encodes to
    /// exactly the bytes it consumed. Each mutation is applied alone, and also read under
    /// the other two versions.
    #[test]
    fn mutated_packets(case in case(), mutations in prop::collection::vec(mutation(), 1..=8)) {
        let bytes = encode_case(&case);
        for m in &mutations {
            let damaged = apply(&bytes, m);
            for v in Version::ALL {
                check_decode(&damaged, v)?;
            }
        }
    }
}

/// Bytes that start like a packet: a first byte of a defined type (valid flags or not), a
/// correct Remaining Length, then random body bytes, so decoding gets past the fixed header.
fn header_shaped() -> impl Strategy<Value = Vec<u8>> {
    (
        0x10..=0xFFu8,
        prop::collection::vec(any::<u8>(), 0..200),
        any::<bool>(),
    )
        .prop_map(|(first, body, valid_flags)| {
            let first = if valid_flags {
                // The flags each type requires; PUBLISH keeps random DUP/QoS/RETAIN.
                match first >> 4 {
                    3 => first,
                    6 | 8 | 10 => (first & 0xF0) | 0b0010,
                    _ => first & 0xF0,
                }
            } else {
                first
            };
            let mut out = vec![first];
            let mut n = body.len();
            loop {
                let b = (n % 128) as u8;
                n /= 128;
                out.push(if n > 0 { b | 0x80 } else { b });
                if n == 0 {
                    break;
                }
            }
            out.extend(body);
            out
        })
}

proptest! {
    #![proptest_config(config(8192))]

    /// Any bytes at all: never a panic; success means canonical.
    #[test]
    fn arbitrary_bytes(data in prop::collection::vec(any::<u8>(), 0..64)) {
        for v in Version::ALL {
            check_decode(&data, v)?;
        }
    }

    /// Random bodies behind a well-formed fixed header.
    #[test]
    fn header_shaped_bytes(data in header_shaped()) {
        for v in Version::ALL {
            check_decode(&data, v)?;
        }
    }
}
