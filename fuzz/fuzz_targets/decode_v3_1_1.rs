//! Arbitrary bytes on a 3.1.1 connection: the canonical round-trip oracle
//! (`mqtt_wire_fuzz::check_decode`).
#![no_main]

use libfuzzer_sys::fuzz_target;
use mqtt_wire::Version;

fuzz_target!(|data: &[u8]| {
    mqtt_wire_fuzz::check_decode(data, Version::V3_1_1);
});
