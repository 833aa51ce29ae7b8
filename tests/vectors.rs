//! Every packet captured from mosquitto 2.0.11 and paho-mqtt 2.x (see testdata/README.md)
//! decodes, re-encodes byte for byte, and asks for more bytes at every strict prefix.

mod common;

use mqtt_wire::{Packet, PacketType, Status, Version, decode};

#[test]
fn every_captured_packet_round_trips() {
    let packets = common::captured_packets();
    assert!(
        packets.len() > if cfg!(miri) { 100 } else { 500 },
        "testdata went missing: {} packets",
        packets.len()
    );
    let mut seen = std::collections::BTreeSet::new();
    for c in packets {
        let version = Version::from_level(c.level).unwrap();
        let ctx = format!("{}:{} {}", c.file.display(), c.line, c.comment);
        let (packet, used) = match decode(&c.bytes, version) {
            Ok(Status::Complete(done)) => done,
            other => panic!("{ctx}: {other:?}"),
        };
        assert_eq!(used, c.bytes.len(), "{ctx}");
        seen.insert((version, packet.packet_type()));
        let mut out = vec![0u8; c.bytes.len()];
        let n = packet
            .encode(version, &mut out)
            .unwrap_or_else(|e| panic!("{ctx}: {e}"));
        assert_eq!(out[..n], c.bytes[..], "{ctx}: re-encoding differs");
        assert_eq!(packet.encoded_len(version), Ok(n), "{ctx}");
        if let Packet::Connect(connect) = packet {
            assert_eq!(
                connect.version, version,
                "{ctx}: level column disagrees with CONNECT"
            );
        }
    }
    // The captures cover every packet type each version has (AUTH aside: neither mosquitto
    // 2.0.11 nor paho sends it without an auth plugin). Under Miri, which reads a sample
    // of the files, every version at least.
    if cfg!(miri) {
        for v in Version::ALL {
            assert!(
                seen.iter().any(|&(version, _)| version == v),
                "no {v} packet"
            );
        }
        return;
    }
    for v in Version::ALL {
        for t in [
            PacketType::Connect,
            PacketType::ConnAck,
            PacketType::Publish,
            PacketType::PubAck,
            PacketType::PubRec,
            PacketType::PubRel,
            PacketType::PubComp,
            PacketType::Subscribe,
            PacketType::SubAck,
            PacketType::Unsubscribe,
            PacketType::UnsubAck,
            PacketType::PingReq,
            PacketType::PingResp,
            PacketType::Disconnect,
        ] {
            assert!(seen.contains(&(v, t)), "no captured {t} for {v}");
        }
    }
}

#[test]
fn every_strict_prefix_of_a_captured_packet_is_partial() {
    for c in common::captured_packets() {
        let version = Version::from_level(c.level).unwrap();
        for cut in 0..c.bytes.len() {
            match decode(&c.bytes[..cut], version) {
                Ok(Status::Partial(n)) => {
                    assert!(
                        n >= 1 && cut + n <= c.bytes.len(),
                        "{}:{} cut {cut}: over-promised {n}",
                        c.file.display(),
                        c.line
                    )
                }
                other => panic!("{}:{} cut {cut}: {other:?}", c.file.display(), c.line),
            }
        }
    }
}
