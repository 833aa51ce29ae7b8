//! Profile (c), the MQTT 5.0 client of `client_v3` with properties: the same packets
//! encoded with `Version::V5`, a few of them carrying properties built with
//! `Properties::new`, and property getters read on the CONNACK and PUBLISH it receives.
//! Built only to measure sizes (`firmware/size.sh`).

#![no_std]
#![no_main]

use core::hint::black_box;

use cortex_m as _;
use cortex_m_rt::entry;
use cortex_m_semihosting::{debug, hprintln};
use mqtt_wire::{
    Ack, ClientSide, Connect, DecodeOptions, Disconnect, Packet, PacketId, Properties, Property,
    Publish, QoS, Status, Subscribe, Subscription, Subscriptions, TopicFilters, Unsubscribe,
    Version, decode_as,
};
use panic_semihosting as _;

/// What the client received (opaque: read through `black_box`).
static RX: [u8; 64] = [0; 64];
static TOPIC: &str = "sensors/1/temp";
static FILTER: &str = "actuators/1/#";
static PAYLOAD: &[u8] = b"21.5";

const V: Version = Version::V5;

#[entry]
fn main() -> ! {
    let topic = black_box(TOPIC);
    let filter = black_box(FILTER);
    let payload = black_box(PAYLOAD);
    let Some(id) = PacketId::new(black_box(1)) else {
        loop {}
    };
    let mut out = [0u8; 96];
    let mut n = 0;

    // What a client sends.
    let connect_props = [
        Property::SessionExpiryInterval(black_box(3600)),
        Property::ReceiveMaximum(black_box(8)),
    ];
    let connect = Connect {
        keep_alive: black_box(30),
        properties: Properties::new(&connect_props),
        username: black_box(Some("user")),
        password: black_box(Some(&b"secret"[..])),
        ..Connect::new(V, black_box("client-1"))
    };
    n += Packet::Connect(connect).encode(V, &mut out).unwrap_or(0);
    let publish_props = [
        Property::MessageExpiryInterval(black_box(60)),
        Property::ContentType(black_box("text/plain")),
        Property::UserProperty(black_box("site"), black_box("north")),
    ];
    let publish = Publish {
        qos: black_box(QoS::AtLeastOnce),
        packet_id: Some(id),
        properties: Properties::new(&publish_props),
        ..Publish::new(topic, payload)
    };
    n += Packet::Publish(publish).encode(V, &mut out).unwrap_or(0);
    let subscribe_props = [Property::SubscriptionIdentifier(black_box(5))];
    let subscriptions = [Subscription::new(filter, black_box(QoS::AtLeastOnce))];
    let subscribe = Subscribe {
        properties: Properties::new(&subscribe_props),
        ..Subscribe::new(id, Subscriptions::new(&subscriptions))
    };
    n += Packet::Subscribe(subscribe)
        .encode(V, &mut out)
        .unwrap_or(0);
    let filters = [filter];
    let unsubscribe = Unsubscribe::new(id, TopicFilters::new(&filters));
    n += Packet::Unsubscribe(unsubscribe)
        .encode(V, &mut out)
        .unwrap_or(0);
    n += Packet::PubAck(Ack::new(id))
        .encode(V, &mut out)
        .unwrap_or(0);
    n += Packet::PubRec(Ack::new(id))
        .encode(V, &mut out)
        .unwrap_or(0);
    n += Packet::PubRel(Ack::new(id))
        .encode(V, &mut out)
        .unwrap_or(0);
    n += Packet::PubComp(Ack::new(id))
        .encode(V, &mut out)
        .unwrap_or(0);
    n += Packet::PingReq.encode(V, &mut out).unwrap_or(0);
    n += Packet::Disconnect(Disconnect::new())
        .encode(V, &mut out)
        .unwrap_or(0);

    // What it receives: a stream of packets from the server.
    let rx: &[u8] = black_box(&RX);
    let mut at = 0;
    while let Ok(Status::Complete((packet, used))) =
        decode_as::<ClientSide>(rx.get(at..).unwrap_or_default(), V, &DecodeOptions::new())
    {
        at += used;
        n += match packet {
            Packet::ConnAck(c) => {
                usize::from(c.properties.receive_maximum().unwrap_or(u16::MAX))
                    + usize::from(c.properties.topic_alias_maximum().unwrap_or(0))
                    + c.reason_code as usize
            }
            Packet::Publish(p) => {
                p.topic.len()
                    + p.payload.len()
                    + p.properties.message_expiry_interval().unwrap_or(0) as usize
            }
            Packet::PubAck(a) | Packet::PubRec(a) | Packet::PubRel(a) | Packet::PubComp(a) => {
                usize::from(a.packet_id.get()) + a.reason_code as usize
            }
            Packet::SubAck(s) => s.reason_codes.iter().map(|c| c as usize).sum(),
            Packet::UnsubAck(u) => u.reason_codes.iter().map(|c| c as usize).sum(),
            Packet::PingResp => 1,
            Packet::Disconnect(d) => d.reason_code as usize,
            _ => 0,
        };
    }
    hprintln!("{}", black_box(n) + usize::from(out[0]));
    debug::exit(debug::EXIT_SUCCESS);
    loop {
        core::hint::spin_loop();
    }
}
