//! The operations the instruction-count guard measures (`benches/icount.py`).
//!
//! Run as `icount <operation> <iterations>`: performs the operation that many times and
//! exits. Under valgrind's callgrind, the difference between the instruction counts of two
//! runs with `k` and `2k` iterations, divided by `k`, is the exact cost of one operation:
//! start-up and set-up cancel out, and the count is the same on every run of the same build.
//! `icount --list` prints the operations. Every operation checks its result once before the
//! measured loop, so a guard figure is always the cost of a correct answer.

use std::hint::black_box;

use mqtt_wire::{
    Ack, Connect, Packet, PacketId, Properties, Property, Publish, QoS, RetainHandling, Status,
    Subscribe, Subscription, SubscriptionOptions, Subscriptions, TailForm, Version, Will, decode,
};

#[path = "common/fixtures.rs"]
mod fixtures;

use fixtures::FixtureVersion;

fn version(v: FixtureVersion) -> Version {
    match v {
        FixtureVersion::V311 => Version::V3_1_1,
        FixtureVersion::V5 => Version::V5,
    }
}

/// `bytes` copied to a 64-byte aligned heap address, so that counts do not depend on where
/// the environment puts the stack.
fn aligned(bytes: &[u8]) -> &'static mut [u8] {
    let storage: &'static mut [u8] = vec![0u8; bytes.len() + 64].leak();
    let skip = storage.as_ptr().align_offset(64);
    let out = &mut storage[skip..skip + bytes.len()];
    out.copy_from_slice(bytes);
    out
}

const PROPS_5: [Property<'static>; 7] = [
    Property::PayloadFormatIndicator(true),
    Property::MessageExpiryInterval(3600),
    Property::ContentType(fixtures::CONTENT_TYPE),
    Property::ResponseTopic(fixtures::RESPONSE_TOPIC),
    Property::CorrelationData(fixtures::CORRELATION),
    Property::UserProperty(fixtures::USER_PROPS[0].0, fixtures::USER_PROPS[0].1),
    Property::UserProperty(fixtures::USER_PROPS[1].0, fixtures::USER_PROPS[1].1),
];

const CONNECT_PROPS_5: [Property<'static>; 5] = [
    Property::SessionExpiryInterval(3600),
    Property::ReceiveMaximum(20),
    Property::MaximumPacketSize(65536),
    Property::TopicAliasMaximum(10),
    Property::UserProperty("client", "demo"),
];

const WILL_PROPS_5: [Property<'static>; 2] = [
    Property::WillDelayInterval(5),
    Property::PayloadFormatIndicator(true),
];

const SUBS_311: [Subscription<'static>; 3] = [
    Subscription::new(fixtures::FILTERS[0].0, QoS::AtLeastOnce),
    Subscription::new(fixtures::FILTERS[1].0, QoS::AtMostOnce),
    Subscription::new(fixtures::FILTERS[2].0, QoS::ExactlyOnce),
];

const SUBS_5: [Subscription<'static>; 3] = [
    Subscription {
        filter: fixtures::FILTERS[0].0,
        options: SubscriptionOptions {
            no_local: true,
            ..SubscriptionOptions::new(QoS::AtLeastOnce)
        },
    },
    Subscription {
        filter: fixtures::FILTERS[1].0,
        options: SubscriptionOptions {
            retain_as_published: true,
            ..SubscriptionOptions::new(QoS::AtMostOnce)
        },
    },
    Subscription {
        filter: fixtures::FILTERS[2].0,
        options: SubscriptionOptions {
            retain_handling: RetainHandling::DoNotSend,
            ..SubscriptionOptions::new(QoS::ExactlyOnce)
        },
    },
];

const SUB_ID_5: [Property<'static>; 1] = [Property::SubscriptionIdentifier(12)];

fn id(n: u16) -> PacketId {
    PacketId::new(n).expect("non-zero")
}

/// The packet of a single-packet fixture, built field by field as a sender would.
fn built(fixture: &str, kib: &'static [u8]) -> Packet<'static> {
    let connect = |v| Connect {
        keep_alive: 60,
        will: Some(Will {
            qos: QoS::AtLeastOnce,
            ..Will::new(fixtures::WILL_TOPIC, fixtures::WILL_PAYLOAD)
        }),
        username: Some(fixtures::USERNAME),
        password: Some(fixtures::PASSWORD),
        ..Connect::new(v, fixtures::CLIENT_ID)
    };
    match fixture {
        "publish_qos0_311" => {
            Packet::Publish(Publish::new(fixtures::SMALL_TOPIC, fixtures::SMALL_PAYLOAD))
        }
        "publish_qos1_1k_311" => Packet::Publish(Publish {
            qos: QoS::AtLeastOnce,
            packet_id: Some(id(42)),
            ..Publish::new(fixtures::KIB_TOPIC, kib)
        }),
        "connect_311" => Packet::Connect(connect(Version::V3_1_1)),
        "subscribe_311" => Packet::Subscribe(Subscribe::new(id(7), Subscriptions::new(&SUBS_311))),
        "puback_311" => Packet::PubAck(Ack::new(id(42))),
        "publish_props_5" => Packet::Publish(Publish {
            qos: QoS::AtLeastOnce,
            packet_id: Some(id(42)),
            properties: Properties::new(&PROPS_5),
            ..Publish::new(fixtures::PROPS_TOPIC, fixtures::PROPS_PAYLOAD)
        }),
        "connect_props_5" => {
            let base = connect(Version::V5);
            Packet::Connect(Connect {
                properties: Properties::new(&CONNECT_PROPS_5),
                will: base.will.map(|w| Will {
                    properties: Properties::new(&WILL_PROPS_5),
                    ..w
                }),
                ..base
            })
        }
        "subscribe_opts_5" => Packet::Subscribe(Subscribe {
            properties: Properties::new(&SUB_ID_5),
            ..Subscribe::new(id(7), Subscriptions::new(&SUBS_5))
        }),
        "puback_5" => Packet::PubAck(Ack {
            reason_code: mqtt_wire::ReasonCode::NoMatchingSubscribers,
            form: TailForm::Shortest,
            ..Ack::new(id(42))
        }),
        other => panic!("no built packet for {other}"),
    }
}

fn decode_one(bytes: &[u8], v: Version) -> Packet<'_> {
    match decode(bytes, v) {
        Ok(Status::Complete((p, n))) if n == bytes.len() => p,
        other => panic!("fixture does not decode: {other:?}"),
    }
}

/// Decodes every packet of `stream`; returns how many.
#[inline(never)]
fn decode_stream(stream: &[u8], v: Version) -> usize {
    let mut rest = stream;
    let mut count = 0;
    while let Ok(Status::Complete((p, n))) = decode(rest, v) {
        black_box(&p);
        rest = rest.get(n..).unwrap_or_default();
        count += 1;
    }
    count
}

// The measured loops, apart so that a profile can be limited to them:
// `valgrind --tool=callgrind --toggle-collect='icount::run_*' <icount> <op> <n>`.

#[inline(never)]
fn run_stream(bytes: &[u8], v: Version, iters: u64) {
    for _ in 0..iters {
        black_box(decode_stream(black_box(bytes), v));
    }
}

#[inline(never)]
fn run_decode(bytes: &[u8], v: Version, iters: u64) {
    for _ in 0..iters {
        let r = decode(black_box(bytes), v);
        black_box(&r);
    }
}

#[inline(never)]
fn run_encode(packet: &Packet<'_>, v: Version, out: &mut [u8], iters: u64) {
    for _ in 0..iters {
        let r = black_box(packet).encode(v, black_box(&mut *out));
        black_box(&r);
    }
}

fn operations() -> Vec<String> {
    let mut ops = Vec::new();
    for f in fixtures::all() {
        ops.push(format!("decode/{}", f.id));
        if !f.stream {
            ops.push(format!("encode/{}", f.id));
            ops.push(format!("reencode/{}", f.id));
        }
    }
    ops
}

fn main() {
    let args: Vec<String> = std::env::args().collect();
    if args.get(1).map(String::as_str) == Some("--packets") {
        println!("{}", fixtures::stream_311().1);
        return;
    }
    if args.get(1).map(String::as_str) == Some("--list") {
        for op in operations() {
            println!("{op}");
        }
        return;
    }
    let (Some(op), Some(iters)) = (args.get(1), args.get(2)) else {
        eprintln!("usage: icount <operation> <iterations> | icount --list");
        std::process::exit(2);
    };
    let iters: u64 = iters.parse().expect("iterations");
    let (kind, name) = op.split_once('/').expect("operation is kind/fixture");
    let fixture = fixtures::all()
        .into_iter()
        .find(|f| f.id == name)
        .unwrap_or_else(|| panic!("unknown fixture {name}"));
    let v = version(fixture.version);
    let bytes: &'static [u8] = aligned(&fixture.bytes);
    let kib: &'static [u8] = aligned(&fixtures::kib_payload());
    match kind {
        "decode" if fixture.stream => {
            let (_, packets) = fixtures::stream_311();
            assert_eq!(decode_stream(bytes, v), packets);
            run_stream(bytes, v, iters);
        }
        "decode" => {
            decode_one(bytes, v);
            run_decode(bytes, v, iters);
        }
        "encode" | "reencode" => {
            let packet = if kind == "encode" {
                built(name, kib)
            } else {
                decode_one(bytes, v)
            };
            let out = aligned(&vec![0u8; bytes.len()]);
            assert_eq!(packet.encode(v, out), Ok(bytes.len()));
            assert_eq!(&out[..], bytes, "{op} does not give the fixture's bytes");
            run_encode(&packet, v, out, iters);
        }
        other => panic!("unknown operation kind {other}"),
    }
}
