//! The `encode_roundtrip` fuzz oracle on packets built by the `arbitrary` feature from
//! random bytes, so `cargo test --all-features` exercises it without nightly: a packet that
//! encodes decodes back to itself (modulo a redundant `TailForm`), consuming exactly the
//! encoded bytes, and re-encodes to the same bytes; one that does not encode is refused the
//! same way by `encode` and `encoded_len`.
//!
//! Case count: `arbitrary_packets_round_trip` 4096 (`PROPTEST_CASES` overrides).
#![cfg(feature = "arbitrary")]

mod common;

use arbitrary::{Arbitrary, Unstructured};
use common::strategies::config;
use mqtt_wire::{Ack, Auth, Disconnect, EncodeError, Packet, Status, TailForm, Version, decode};
use proptest::prelude::*;

fn shortest(a: Ack<'_>) -> Ack<'_> {
    Ack {
        form: TailForm::Shortest,
        ..a
    }
}

fn without_form(p: Packet<'_>) -> Packet<'_> {
    match p {
        Packet::PubAck(a) => Packet::PubAck(shortest(a)),
        Packet::PubRec(a) => Packet::PubRec(shortest(a)),
        Packet::PubRel(a) => Packet::PubRel(shortest(a)),
        Packet::PubComp(a) => Packet::PubComp(shortest(a)),
        Packet::Disconnect(d) => Packet::Disconnect(Disconnect {
            form: TailForm::Shortest,
            ..d
        }),
        Packet::Auth(a) => Packet::Auth(Auth {
            form: TailForm::Shortest,
            ..a
        }),
        other => other,
    }
}

proptest! {
    #![proptest_config(config(4096))]

    #[test]
    fn arbitrary_packets_round_trip(data in prop::collection::vec(any::<u8>(), 0..256)) {
        let mut u = Unstructured::new(&data);
        let Ok(v) = Version::arbitrary(&mut u) else { return Ok(()) };
        let Ok(p) = Packet::arbitrary_take_rest(u) else { return Ok(()) };
        let ev = match p {
            Packet::Connect(c) => c.version,
            _ => v,
        };
        let mut buf = vec![0u8; 1024];
        let len = match p.encoded_len(ev) {
            Ok(len) => len,
            Err(e) => {
                prop_assert_eq!(p.encode(ev, &mut buf), Err(e));
                return Ok(());
            }
        };
        prop_assert_eq!(p.encode(ev, &mut buf[..len]), Ok(len));
        prop_assert_eq!(
            p.encode(ev, &mut buf[..len - 1]),
            Err(EncodeError::BufferTooSmall { needed: len })
        );
        let bytes = &buf[..len];
        let (q, used) = match decode(bytes, v) {
            Ok(Status::Complete(done)) => done,
            other => return Err(TestCaseError::fail(format!("{p:?} -> {bytes:02X?} -> {other:?}"))),
        };
        prop_assert_eq!(used, len);
        prop_assert_eq!(without_form(q), without_form(p));
        let mut again = vec![0u8; len];
        prop_assert_eq!(q.encode(ev, &mut again), Ok(len));
        prop_assert_eq!(&again[..], bytes);
    }
}
