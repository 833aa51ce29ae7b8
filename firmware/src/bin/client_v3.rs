//! Profile (b), a MQTT 3.1.1 client: `baseline` plus the encoders of what a client sends
//! (CONNECT, PUBLISH, SUBSCRIBE, UNSUBSCRIBE, PUBACK, PUBREC, PUBREL, PUBCOMP, PINGREQ,
//! DISCONNECT) and the decoding of what it receives (CONNACK, PUBLISH, the four
//! acknowledgements, SUBACK, UNSUBACK, PINGRESP). Field values and received bytes come
//! from statics through `black_box`, so nothing is computed at build time; each packet is
//! encoded at its own call site, so an encoder the client never calls may be left out.
//! Built only to measure sizes (`firmware/size.sh`).

#![no_std]
#![no_main]

use core::hint::black_box;

use cortex_m as _;
use cortex_m_rt::entry;
use cortex_m_semihosting::{debug, hprintln};
use mqtt_wire::{
    Ack, ClientSide, Connect, DecodeOptions, Disconnect, Packet, PacketId, Publish, QoS, Status,
    Subscribe, Subscription, Subscriptions, TopicFilters, Unsubscribe, Version, decode_as,
};
use panic_semihosting as _;

/// What the client received (opaque: read through `black_box`).
static RX: [u8; 64] = [0; 64];
static TOPIC: &str = "sensors/1/temp";
static FILTER: &str = "actuators/1/#";
static PAYLOAD: &[u8] = b"21.5";

const V: Version = Version::V3_1_1;

#[entry]
fn main() -> ! {
    let topic = black_box(TOPIC);
    let filter = black_box(FILTER);
    let payload = black_box(PAYLOAD);
    let Some(id) = PacketId::new(black_box(1)) else {
        loop {}
    };
    let mut out = [0u8; 64];
    let mut n = 0;

    // What a client sends.
    let connect = Connect {
        keep_alive: black_box(30),
        username: black_box(Some("user")),
        password: black_box(Some(&b"secret"[..])),
        ..Connect::new(V, black_box("client-1"))
    };
    n += Packet::Connect(connect).encode(V, &mut out).unwrap_or(0);
    let publish = Publish {
        qos: black_box(QoS::AtLeastOnce),
        packet_id: Some(id),
        ..Publish::new(topic, payload)
    };
    n += Packet::Publish(publish).encode(V, &mut out).unwrap_or(0);
    let subscriptions = [Subscription::new(filter, black_box(QoS::AtLeastOnce))];
    let subscribe = Subscribe::new(id, Subscriptions::new(&subscriptions));
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
            Packet::ConnAck(c) => usize::from(c.session_present) + c.reason_code as usize,
            Packet::Publish(p) => p.topic.len() + p.payload.len(),
            Packet::PubAck(a) | Packet::PubRec(a) | Packet::PubRel(a) | Packet::PubComp(a) => {
                usize::from(a.packet_id.get())
            }
            Packet::SubAck(s) => s.reason_codes.iter().map(|c| c as usize).sum(),
            Packet::UnsubAck(u) => usize::from(u.packet_id.get()),
            Packet::PingResp => 1,
            _ => 0,
        };
    }
    hprintln!("{}", black_box(n) + usize::from(out[0]));
    debug::exit(debug::EXIT_SUCCESS);
    loop {
        core::hint::spin_loop();
    }
}
