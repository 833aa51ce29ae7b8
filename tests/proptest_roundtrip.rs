//! Property tests over generated valid packets of every type and version (DESIGN.md
//! invariants): encode then decode gives the packet back, `encoded_len` is exact, the
//! Remaining Length is the spec's, every strict prefix asks for more bytes without
//! over-promising, and a too-small buffer is refused.
//!
//! Case counts (default; `PROPTEST_CASES` overrides every test in this file):
//! `round_trip` 4096, `strict_prefixes_are_partial` 512, `varint_boundaries` 128.

mod common;

use common::strategies::{
    ALL_CONTEXTS, Case, PacketModel, VARINT_EDGES, allowed_ids, case, config, publish,
    read_remaining_len, varint_size,
};
use mqtt_wire::{
    DecodeOptions, EncodeError, Packet, PropertyId, Status, Version, decode, decode_with, frame,
};
use proptest::prelude::*;

/// Encodes `p` for `v`, checking `encoded_len` against the bytes written.
fn encode(p: &Packet<'_>, v: Version) -> Vec<u8> {
    let n = p
        .encoded_len(v)
        .unwrap_or_else(|e| panic!("valid packet refused: {e:?}\n{p:#?}"));
    let mut buf = vec![0u8; n];
    assert_eq!(
        p.encode(v, &mut buf),
        Ok(n),
        "encode disagrees with encoded_len"
    );
    buf
}

fn check_round_trip(case: &Case) -> Result<(), TestCaseError> {
    let v = case.version;
    let lists = case.packet.lists();
    let packet = case.packet.packet(v, &lists);
    let bytes = encode(&packet, v);

    // The size is the one the spec's field layout gives.
    prop_assert_eq!(bytes.len(), case.packet.total_len(v));
    let (rem, rem_len) = read_remaining_len(&bytes[1..]);
    prop_assert_eq!(rem, case.packet.remaining_len(v));
    prop_assert_eq!(rem_len, varint_size(rem), "Remaining Length not minimal");
    prop_assert_eq!(bytes[0] >> 4, case.packet.packet_type() as u8);

    // Decode gives the packet back (a redundant TailForm comes back as Shortest).
    let expected = case.packet.expected(v, &lists);
    prop_assert_eq!(
        decode(&bytes, v),
        Ok(Status::Complete((expected, bytes.len())))
    );
    // Also with trailing bytes after it, and with a limit equal to its size.
    let mut longer = bytes.clone();
    longer.extend_from_slice(&[0xFF, 0x00, 0x30]);
    prop_assert_eq!(
        decode(&longer, v),
        Ok(Status::Complete((expected, bytes.len())))
    );
    let limit = u32::try_from(bytes.len()).unwrap();
    let opts = DecodeOptions::new().max_packet_size(limit);
    prop_assert_eq!(
        decode_with(&bytes, v, &opts),
        Ok(Status::Complete((expected, bytes.len())))
    );
    // frame() agrees on the boundaries.
    match frame(&longer, v, &DecodeOptions::new()) {
        Ok(Status::Complete(f)) => {
            prop_assert_eq!(f.len(), bytes.len());
            prop_assert_eq!(f.header_len, 1 + rem_len);
            prop_assert_eq!(f.remaining_len, rem);
            prop_assert_eq!(f.packet_type, packet.packet_type());
        }
        other => prop_assert!(false, "frame: {:?}", other),
    }
    // Decoding is canonical: the decoded packet re-encodes to the same bytes.
    prop_assert_eq!(encode(&expected, v), bytes.clone());

    // A buffer one byte short is refused with the size needed, and nothing else happens.
    let mut short = vec![0u8; bytes.len() - 1];
    prop_assert_eq!(
        packet.encode(v, &mut short),
        Err(EncodeError::BufferTooSmall {
            needed: bytes.len()
        })
    );
    Ok(())
}

/// Checks that every strict prefix of `bytes` (all of them for packets up to 4 KiB, a
/// sample for bigger ones) is `Partial(n)` with `n >= 1`, never past the packet's end, and
/// exact once the fixed header is complete.
fn check_prefixes(bytes: &[u8], header_len: usize, v: Version) -> Result<(), TestCaseError> {
    let total = bytes.len();
    let mut lens: Vec<usize> = (0..total.min(4096)).collect();
    if total > 4096 {
        let step = (total / 1024).max(1);
        lens.extend((4096..total).step_by(step));
        lens.extend(total.saturating_sub(64).max(4096)..total);
    }
    for k in lens {
        match decode(&bytes[..k], v) {
            Ok(Status::Partial(n)) => {
                prop_assert!(n >= 1, "prefix {k}: Partial(0)");
                prop_assert!(
                    k + n <= total,
                    "prefix {k}: asks for {n}, packet is {total}"
                );
                if k >= header_len {
                    prop_assert_eq!(k + n, total, "prefix {}: inexact count", k);
                }
            }
            other => prop_assert!(false, "prefix {k} of {total}: {other:?}"),
        }
    }
    Ok(())
}

proptest! {
    #![proptest_config(config(4096))]

    /// encode -> decode is the identity, `encoded_len` is exact, decode -> encode gives
    /// the same bytes (DESIGN.md invariants).
    #[test]
    fn round_trip(case in case()) {
        check_round_trip(&case)?;
    }
}

proptest! {
    #![proptest_config(config(512))]

    /// Every strict prefix of a valid packet is `Partial(n)`, `n >= 1`, never more than is
    /// missing, exact once the fixed header is there.
    #[test]
    fn strict_prefixes_are_partial(case in case()) {
        let v = case.version;
        let lists = case.packet.lists();
        let bytes = encode(&case.packet.packet(v, &lists), v);
        let (_, rem_len) = read_remaining_len(&bytes[1..]);
        check_prefixes(&bytes, 1 + rem_len, v)?;
    }
}

/// PUBLISH packets whose Remaining Length is exactly each varint boundary value.
fn boundary_publish() -> impl Strategy<Value = (Case, usize)> {
    (
        prop::sample::select(Version::ALL.to_vec()),
        prop::sample::select(VARINT_EDGES.to_vec()),
    )
        .prop_flat_map(|(version, target)| {
            publish(version).prop_map(move |mut p| {
                let others = p.remaining_len(version) - p.payload().len();
                if let PacketModel::Publish(m) = &mut p {
                    m.payload.resize(target.saturating_sub(others), 0xA5);
                }
                (Case { version, packet: p }, target)
            })
        })
}

proptest! {
    #![proptest_config(config(128))]

    /// Remaining Lengths 127/128, 16,383/16,384, 2,097,151/2,097,152 take 1/2/3/4 bytes
    /// (§1.5.5) and round-trip, prefixes included (under Miri, up to 3 bytes: see
    /// `VARINT_EDGES`).
    #[test]
    fn varint_boundaries((case, target) in boundary_publish()) {
        let v = case.version;
        prop_assume!(case.packet.remaining_len(v) == target);
        check_round_trip(&case)?;
        let lists = case.packet.lists();
        let bytes = encode(&case.packet.packet(v, &lists), v);
        let (rem, rem_len) = read_remaining_len(&bytes[1..]);
        prop_assert_eq!(rem, target);
        prop_assert_eq!(rem_len, varint_size(target));
        check_prefixes(&bytes, 1 + rem_len, v)?;
    }
}

/// The generator's placement table (written from the spec, Table 2-4) agrees with the
/// crate's, so the generated property lists cover exactly what each packet allows.
#[test]
fn placement_table_matches_the_crate() {
    for ctx in ALL_CONTEXTS {
        for &id in PropertyId::ALL {
            assert_eq!(
                id.is_allowed_in(ctx),
                allowed_ids(ctx).contains(&(id as u8)),
                "{id:?} in {ctx:?}"
            );
        }
    }
}
