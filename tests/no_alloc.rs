//! Zero heap allocations on every codec path: decoding (valid and invalid input, with the
//! diagnoses), framing, encoding, `encoded_len`, property iteration and getters, topic
//! checks and matching, on every captured packet and every benchmark fixture. A counting
//! global allocator sees every allocation of this test binary; the test runs alone in it
//! (one `#[test]`), so nothing else allocates while the counter is read.

mod common;

use std::alloc::{GlobalAlloc, Layout, System};
use std::sync::atomic::{AtomicUsize, Ordering};

use mqtt_wire::{
    DecodeOptions, Framer, Packet, Status, Version, decode, decode_with, frame, topic,
};

#[path = "../benches/common/fixtures.rs"]
mod fixtures;

struct Counting;

static ALLOCATIONS: AtomicUsize = AtomicUsize::new(0);

// SAFETY: forwards to the system allocator unchanged; only counts calls.
#[allow(unsafe_code)]
unsafe impl GlobalAlloc for Counting {
    unsafe fn alloc(&self, layout: Layout) -> *mut u8 {
        ALLOCATIONS.fetch_add(1, Ordering::SeqCst);
        // SAFETY: same contract as the caller's.
        unsafe { System.alloc(layout) }
    }
    unsafe fn dealloc(&self, ptr: *mut u8, layout: Layout) {
        // SAFETY: same contract as the caller's.
        unsafe { System.dealloc(ptr, layout) }
    }
}

#[global_allocator]
static GLOBAL: Counting = Counting;

/// Runs `f` and returns how many allocations it made.
fn allocations(f: impl FnOnce()) -> usize {
    let before = ALLOCATIONS.load(Ordering::SeqCst);
    f();
    ALLOCATIONS.load(Ordering::SeqCst) - before
}

/// Every codec operation on one input, into a caller's buffer.
fn exercise(bytes: &[u8], version: Version, out: &mut [u8]) {
    let opts = DecodeOptions::new();
    let _ = std::hint::black_box(frame(bytes, version, &opts));
    // Every strict prefix (Partial) and a corrupted copy (errors, diagnoses).
    for end in [0, 1, 2, bytes.len() / 2, bytes.len().saturating_sub(1)] {
        let _ = std::hint::black_box(decode(&bytes[..end.min(bytes.len())], version));
    }
    for other in Version::ALL {
        let _ = std::hint::black_box(decode_with(bytes, other, &opts));
    }
    let mut rest = bytes;
    while let Ok(Status::Complete((packet, n))) = decode(rest, version) {
        let _ = std::hint::black_box(packet.encoded_len(version));
        let _ = std::hint::black_box(packet.encode(version, out));
        touch(&packet);
        rest = &rest[n..];
    }
    for raw in Framer::new(bytes, version).packets() {
        let _ = std::hint::black_box(raw);
    }
}

/// Iterates every list of a packet and calls the getters and topic functions.
fn touch(packet: &Packet<'_>) {
    match packet {
        Packet::Publish(p) => {
            std::hint::black_box(p.properties.iter().count());
            std::hint::black_box(p.properties.user_properties().count());
            std::hint::black_box(p.properties.topic_alias());
            let _ = std::hint::black_box(topic::check_name(p.topic));
            std::hint::black_box(topic::matches("a/+/#", p.topic));
        }
        Packet::Connect(c) => {
            std::hint::black_box(c.properties.iter().count());
            std::hint::black_box(c.properties.session_expiry_interval());
        }
        Packet::Subscribe(s) => {
            for sub in s.subscriptions {
                let _ = std::hint::black_box(topic::check_filter(sub.filter, Version::V5));
                std::hint::black_box(topic::levels(sub.filter).count());
            }
        }
        _ => {}
    }
}

#[test]
fn no_codec_path_allocates() {
    let captured = common::captured_packets();
    let mut inputs: Vec<(Vec<u8>, Version)> = captured
        .iter()
        .map(|c| (c.bytes.clone(), Version::from_level(c.level).unwrap()))
        .collect();
    for mut f in fixtures::all() {
        // Under Miri the first 4 KiB of the 1 MiB stream fixture (about 70 packets of its
        // mix; the whole stream takes 15 minutes there).
        if cfg!(miri) && f.stream {
            f.bytes.truncate(4096);
        }
        let v = match f.version {
            fixtures::FixtureVersion::V311 => Version::V3_1_1,
            fixtures::FixtureVersion::V5 => Version::V5,
        };
        let mut bad = f.bytes.clone();
        bad.truncate(bad.len().min(4096));
        if let Some(b) = bad.get_mut(3) {
            *b ^= 0x80;
        }
        inputs.push((f.bytes, v));
        inputs.push((bad, v));
    }
    // TLS and HTTP on an MQTT port (diagnoses).
    inputs.push((vec![0x16, 0x03, 0x01, 0x00, 0x05], Version::V3_1_1));
    inputs.push((b"GET / HTTP/1.1\r\n".to_vec(), Version::V5));
    let mut out = vec![0u8; 2 << 20];
    let n = allocations(|| {
        for (bytes, version) in &inputs {
            exercise(bytes, *version, &mut out);
        }
    });
    assert_eq!(n, 0, "the codec allocated {n} times");
    // The counter works: a Vec allocates.
    assert!(allocations(|| drop(std::hint::black_box(vec![1u8; 16]))) > 0);
}
