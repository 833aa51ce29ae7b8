//! Profile (d), a broker's or bridge's forwarding path: `frame` finds where each packet of
//! the input ends; a PUBLISH is decoded (`decode_frame`) and re-encoded for a subscriber
//! (its own packet identifier and QoS, possibly another protocol version); other packets
//! are passed over by their length alone. Versions and bytes are opaque to the optimiser.
//! Built only to measure sizes (`firmware/size.sh`).

#![no_std]
#![no_main]

use core::hint::black_box;

use cortex_m as _;
use cortex_m_rt::entry;
use cortex_m_semihosting::{debug, hprintln};
use mqtt_wire::{
    DecodeOptions, Packet, PacketId, PacketType, Properties, Publish, QoS, Status, Version,
    decode_frame, frame,
};
use panic_semihosting as _;

/// What the publisher sent (opaque: read through `black_box`).
static RX: [u8; 64] = [0; 64];

#[entry]
fn main() -> ! {
    let from = black_box(Version::V5);
    let to = black_box(Version::V3_1_1);
    let opts = DecodeOptions::new().max_packet_size(black_box(1024));
    let rx: &[u8] = black_box(&RX);
    let mut out = [0u8; 64];
    let (mut at, mut n) = (0, 0);
    while let Ok(Status::Complete(f)) = frame(rx.get(at..).unwrap_or_default(), from, &opts) {
        let bytes = rx.get(at..).unwrap_or_default();
        at += f.len();
        if f.packet_type != PacketType::Publish {
            continue;
        }
        if let Ok(Packet::Publish(p)) = decode_frame(bytes, &f, from, &opts) {
            let qos = black_box(QoS::AtMostOnce).min(p.qos);
            let forwarded = Publish {
                qos,
                dup: false,
                packet_id: PacketId::new(black_box(9)).filter(|_| qos != QoS::AtMostOnce),
                // 3.x has no properties (a 5.0 Topic Alias would need resolving first).
                properties: if to.is_v5() {
                    p.properties
                } else {
                    Properties::EMPTY
                },
                ..p
            };
            n += Packet::Publish(forwarded).encode(to, &mut out).unwrap_or(0);
        }
    }
    hprintln!("{}", black_box(n) + usize::from(out[0]));
    debug::exit(debug::EXIT_SUCCESS);
    loop {
        core::hint::spin_loop();
    }
}
