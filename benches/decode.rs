//! Decode and encode throughput of typical packets, and of a mixed stream through the framer.

use std::hint::black_box;

use criterion::{BenchmarkId, Criterion, Throughput, criterion_group, criterion_main};
use mqtt_wire::{
    Connect, Framer, Packet, PacketId, Properties, Property, Publish, QoS, Seq, Status, Subscribe,
    Subscription, Version, Will, decode,
};

#[path = "common/fixtures.rs"]
mod fixtures;

/// Encodes `packet` for `version` into a fresh vector (bench setup only).
fn encoded(packet: &Packet<'_>, version: Version) -> Vec<u8> {
    let mut buf = vec![0u8; packet.encoded_len(version).unwrap()];
    let n = packet.encode(version, &mut buf).unwrap();
    assert_eq!(n, buf.len());
    buf
}

/// Reads a `testdata/*.hex` stream: `#` lines are comments, the rest is hex.
fn hex_stream(text: &str) -> Vec<u8> {
    let digits: Vec<u8> = text
        .lines()
        .filter(|l| !l.trim_start().starts_with('#'))
        .flat_map(|l| l.bytes().filter(u8::is_ascii_hexdigit))
        .collect();
    digits
        .chunks(2)
        .map(|p| u8::from_str_radix(std::str::from_utf8(p).unwrap(), 16).unwrap())
        .collect()
}

const PROPS: [Property<'static>; 10] = [
    Property::PayloadFormatIndicator(true),
    Property::MessageExpiryInterval(3600),
    Property::ContentType("application/json"),
    Property::ResponseTopic("replies/client-42"),
    Property::CorrelationData(b"req-000123"),
    Property::UserProperty("trace-id", "4bf92f3577b34da6a3ce929d0e0e4736"),
    Property::UserProperty("tenant", "acme"),
    Property::UserProperty("region", "eu-west-1"),
    Property::UserProperty("schema", "v3"),
    Property::UserProperty("source", "gateway-7"),
];

/// (name, version, packet) for every case measured.
fn cases(large: &'static [u8]) -> Vec<(&'static str, Version, Packet<'static>)> {
    let qos1 = |p: Publish<'static>| Publish {
        qos: QoS::AtLeastOnce,
        packet_id: PacketId::new(42),
        ..p
    };
    let small = Packet::Publish(qos1(Publish::new("sensors/kitchen/temperature", b"21.5")));
    let big = Packet::Publish(qos1(Publish::new("video/frames/cam1", large)));
    let heavy = Packet::Publish(Publish {
        properties: Properties::new(&PROPS),
        ..qos1(Publish::new(
            "orders/eu/created",
            br#"{"id":123,"total":42.5}"#,
        ))
    });
    let connect = |version| {
        Packet::Connect(Connect {
            username: Some("alice"),
            password: Some(b"correct horse battery staple"),
            will: Some(Will {
                qos: QoS::AtLeastOnce,
                ..Will::new("clients/client-42/status", b"offline")
            }),
            ..Connect::new(version, "client-42")
        })
    };
    const SUBS: [Subscription<'static>; 3] = [
        Subscription::new("home/+/temperature", QoS::AtLeastOnce),
        Subscription::new("home/+/humidity", QoS::AtMostOnce),
        Subscription::new("alerts/#", QoS::ExactlyOnce),
    ];
    let subscribe = Packet::Subscribe(Subscribe::new(PacketId::new(7).unwrap(), Seq::new(&SUBS)));
    let mut out = Vec::new();
    for (tag, v) in [("3.1.1", Version::V3_1_1), ("5.0", Version::V5)] {
        let name = |kind: &str| -> &'static str { format!("{kind}/{tag}").leak() };
        out.push((name("publish_small"), v, small));
        out.push((name("publish_4k"), v, big));
        out.push((name("connect"), v, connect(v)));
        out.push((name("subscribe"), v, subscribe));
    }
    out.push(("publish_props/5.0", Version::V5, heavy));
    out
}

fn bench_packets(c: &mut Criterion) {
    let large: &'static [u8] = vec![0xA5u8; 4096].leak();
    let cases = cases(large);
    let mut dec = c.benchmark_group("decode");
    for (name, v, packet) in &cases {
        let bytes = encoded(packet, *v);
        assert_eq!(
            decode(&bytes, *v),
            Ok(Status::Complete((*packet, bytes.len())))
        );
        dec.throughput(Throughput::Bytes(bytes.len() as u64));
        dec.bench_with_input(BenchmarkId::from_parameter(name), &bytes, |b, bytes| {
            b.iter(|| decode(black_box(bytes), *v))
        });
    }
    dec.finish();
    let mut enc = c.benchmark_group("encode");
    for (name, v, packet) in &cases {
        let len = packet.encoded_len(*v).unwrap();
        let mut out = vec![0u8; len];
        enc.throughput(Throughput::Bytes(len as u64));
        enc.bench_with_input(BenchmarkId::from_parameter(name), packet, |b, packet| {
            b.iter(|| black_box(packet).encode(*v, &mut out))
        });
    }
    enc.finish();
}

/// The demo session (both directions), repeated: framing only, and framing plus decoding.
fn bench_stream(c: &mut Criterion) {
    let mut session = hex_stream(include_str!("../testdata/demo.hex"));
    session.extend(hex_stream(include_str!("../testdata/demo_server.hex")));
    let per_session = Framer::new(&session, Version::V5).count();
    let stream = session.repeat(32);
    let packets = Framer::new(&stream, Version::V5).packets();
    assert_eq!(packets.map(Result::unwrap).count(), per_session * 32);
    let mut group = c.benchmark_group("stream");
    group.throughput(Throughput::Bytes(stream.len() as u64));
    group.bench_function("frame", |b| {
        b.iter(|| {
            Framer::new(black_box(&stream), Version::V5)
                .filter(Result::is_ok)
                .count()
        })
    });
    group.bench_function("frame_and_decode", |b| {
        b.iter(|| {
            Framer::new(black_box(&stream), Version::V5)
                .packets()
                .filter(Result::is_ok)
                .count()
        })
    });
    group.finish();
    eprintln!(
        "stream: {} bytes, {} packets per iteration",
        stream.len(),
        per_session * 32
    );
}

/// The ~1 MiB 3.1.1 stream of `benches/common/fixtures.rs`, decoded packet after packet
/// (the row the performance target "at most 10 ns per packet" is about).
fn bench_stream_311(c: &mut Criterion) {
    let (stream, packets) = fixtures::stream_311();
    let decode_all = |bytes: &[u8]| {
        let mut rest = bytes;
        let mut n = 0usize;
        while let Ok(Status::Complete((p, used))) = decode(rest, Version::V3_1_1) {
            black_box(&p);
            rest = &rest[used..];
            n += 1;
        }
        n
    };
    assert_eq!(decode_all(&stream), packets);
    let mut group = c.benchmark_group("stream_311");
    group.throughput(Throughput::Elements(packets as u64));
    group.bench_function("decode", |b| b.iter(|| decode_all(black_box(&stream))));
    group.finish();
}

criterion_group!(benches, bench_packets, bench_stream, bench_stream_311);
criterion_main!(benches);
