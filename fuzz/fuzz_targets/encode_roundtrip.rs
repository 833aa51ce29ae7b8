//! An arbitrary packet (borrowing from the input) and connection version: if it encodes,
//! it decodes back to itself (modulo a redundant `TailForm`) and re-encodes to the same
//! bytes (`mqtt_wire_fuzz::check_encode`). Packets that `encode` refuses are skipped.
#![no_main]

use arbitrary::{Arbitrary, Unstructured};
use libfuzzer_sys::fuzz_target;
use mqtt_wire::{Packet, Version};

fuzz_target!(|data: &[u8]| {
    let mut u = Unstructured::new(data);
    let Ok(version) = Version::arbitrary(&mut u) else {
        return;
    };
    let Ok(packet) = Packet::arbitrary_take_rest(u) else {
        return;
    };
    mqtt_wire_fuzz::check_encode(&packet, version);
});
