//! Decodes a few packets, prints them, and encodes them again byte for byte.
//!
//! `cargo run --example roundtrip`

use mqtt_wire::{Packet, Status, Version, decode};

fn main() {
    // (version, bytes): a 3.1.1 CONNECT, a 5.0 PUBLISH with a user property, a 3.1 SUBACK,
    // and a 5.0 DISCONNECT carrying reason code 0x04 in its one-byte short form.
    let samples: [(Version, &[u8]); 4] = [
        (
            Version::V3_1_1,
            &[
                0x10, 0x10, 0x00, 0x04, b'M', b'Q', b'T', b'T', 0x04, 0x02, 0x00, 0x3C, 0x00, 0x04,
                b'd', b'e', b'm', b'o',
            ],
        ),
        (
            Version::V5,
            &[
                0x30, 0x12, 0x00, 0x03, b'a', b'/', b'b', 0x07, 0x26, 0x00, 0x01, b'k', 0x00, 0x01,
                b'v', b'h', b'e', b'l', b'l', b'o',
            ],
        ),
        (Version::V3_1, &[0x90, 0x04, 0x00, 0x01, 0x00, 0x02]),
        (Version::V5, &[0xE0, 0x01, 0x04]),
    ];
    for (version, bytes) in samples {
        match decode(bytes, version) {
            Ok(Status::Complete((packet, used))) => show(version, &packet, &bytes[..used]),
            Ok(Status::Partial(n)) => println!("incomplete: {n} more bytes needed"),
            Err(e) => println!("malformed: {e}"),
        }
    }
}

fn show(version: Version, packet: &Packet<'_>, bytes: &[u8]) {
    println!("MQTT {version} {}: {packet:?}", packet.packet_type());
    let mut out = [0u8; 256];
    match packet.encode(version, &mut out) {
        Ok(n) if out[..n] == *bytes => println!("  re-encoded: {n} identical bytes\n"),
        Ok(n) => println!("  re-encoded DIFFERENTLY: {:02x?}\n", &out[..n]),
        Err(e) => println!("  cannot re-encode: {e}\n"),
    }
}
