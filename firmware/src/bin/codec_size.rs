//! `baseline` plus what a typical device links of mqtt-wire: decode any packet of any
//! version from a stream (`Framer`), re-encode it, match its topic against a filter, and
//! buffer a byte stream in a `StreamBuffer`. The inputs are opaque to the optimiser, so
//! every packet type's decoder and encoder stays in. Built only to measure sizes.

#![no_std]
#![no_main]

use core::hint::black_box;

use cortex_m as _;
use cortex_m_rt::entry;
use cortex_m_semihosting::{debug, hprintln};
use mqtt_wire::{Framer, Packet, Status, StreamBuffer, Version, topic};
use panic_semihosting as _;

#[entry]
fn main() -> ! {
    let input = black_box([0u8; 64]);
    let version = black_box(Version::V5);
    let mut out = [0u8; 64];
    let mut n = 0;
    for packet in Framer::new(&input, version).packets().flatten() {
        n += packet.encode(version, &mut out).unwrap_or(0);
        if let Packet::Publish(p) = packet {
            n += usize::from(topic::matches(black_box("a/+/c"), p.topic));
        }
    }
    let mut rx: StreamBuffer<128> = StreamBuffer::new(version);
    rx.push(&input);
    if let Ok(Status::Complete(packet)) = rx.next_packet() {
        n += packet.encode(version, &mut out).unwrap_or(0);
    }
    hprintln!("{}", black_box(n) + usize::from(out[0]));
    debug::exit(debug::EXIT_SUCCESS);
    loop {
        core::hint::spin_loop();
    }
}
