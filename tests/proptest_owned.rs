//! Property tests for the ownership and async adapters over generated valid packets of
//! every type and version: an `OwnedPacket` made from the packet (or split off the codec's
//! read buffer) views the very packet `decode` gives, never failing; every encoder writes
//! the same bytes; `Display` gives one line.
//!
//! Case count: 512 by default (`PROPTEST_CASES` overrides).

mod common;

use bytes::{Bytes, BytesMut};
use common::strategies::{Case, case, config};
use mqtt_wire::{DecodeOptions, MqttCodec, OwnedPacket, Status, decode};
use proptest::prelude::*;
use tokio_util::codec::{Decoder, Encoder};

fn check(case: &Case) -> Result<(), TestCaseError> {
    let v = case.version;
    let lists = case.packet.lists();
    let packet = case.packet.packet(v, &lists);
    let bytes = packet.encode_to_vec(v).expect("a valid packet encodes");
    let Ok(Status::Complete((expected, _))) = decode(&bytes, v) else {
        return Err(TestCaseError::fail("a valid packet does not decode"));
    };

    let owned = OwnedPacket::from_packet(&packet, v).expect("a valid packet encodes");
    prop_assert_eq!(owned.packet(), expected);
    prop_assert_eq!(&owned.bytes()[..], &bytes[..]);
    let from_bytes = OwnedPacket::from_bytes(Bytes::from(bytes.clone()), v, &DecodeOptions::new())
        .expect("valid")
        .complete()
        .expect("whole");
    prop_assert_eq!(&from_bytes, &owned);

    // Through the codec: encode the view, decode an owned packet, encode that again.
    let mut codec = MqttCodec::new(v);
    let mut wire = BytesMut::new();
    codec.encode(&packet, &mut wire).expect("encodes");
    prop_assert_eq!(&wire[..], &bytes[..]);
    let decoded = codec.decode(&mut wire).expect("decodes").expect("whole");
    prop_assert!(wire.is_empty());
    prop_assert_eq!(decoded.packet(), expected);
    codec.encode(decoded, &mut wire).expect("encodes");
    prop_assert_eq!(&wire[..], &bytes[..]);

    let mut any: Vec<u8> = Vec::new();
    packet.encode_to_buf(v, &mut any).expect("encodes");
    prop_assert_eq!(&any, &bytes);

    let line = owned.to_string();
    prop_assert!(!line.contains('\n') && !line.contains('\r'), "{}", line);
    prop_assert!(line.starts_with(owned.packet_type().name()), "{}", line);
    Ok(())
}

proptest! {
    #![proptest_config(config(512))]

    #[test]
    fn owned_packets_and_codec_round_trip(case in case()) {
        check(&case)?;
    }
}
