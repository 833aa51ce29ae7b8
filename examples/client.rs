//! An async MQTT 5.0 client on tokio, speaking through mqtt-wire's tokio-util codec
//! (`MqttCodec`, feature `tokio`).
//!
//! It connects with a user name, a password and a will, subscribes to `<topic>/#` at QoS 2,
//! publishes one message at each QoS to `<topic>/q0`, `<topic>/q1`, `<topic>/q2` (as the
//! sender: PUBACK; PUBREC, PUBREL, PUBCOMP), receives the three messages back through its
//! own subscription (as the receiver: PUBACK; PUBREC, PUBREL, PUBCOMP answered), pings, and
//! disconnects. Every packet sent and received is printed as one line (`Display`).
//!
//! ```sh
//! cargo run --example client --features tokio -- --host 127.0.0.1 --port 1883 \
//!     --user alice --password secret --topic mqtt-wire/demo
//! ```
//!
//! `tests/interop_client.rs` runs this file's `run` against a real mosquitto.

use std::collections::HashSet;
use std::error::Error;
use std::time::Duration;

use futures::{SinkExt, StreamExt};
use mqtt_wire::{
    Ack, Connect, DecodeOptions, Disconnect, MqttCodec, OwnedPacket, Packet, PacketId, Publish,
    QoS, ReasonCode, Role, Subscribe, Subscription, Subscriptions, Version, Will,
};
use tokio::net::TcpStream;
use tokio_util::codec::Framed;

/// Any error of the client, with a readable message.
pub type BoxError = Box<dyn Error + Send + Sync>;

/// How long to wait for the broker's next packet.
const TIMEOUT: Duration = Duration::from_secs(10);

/// Where to connect and as whom.
#[derive(Debug, Clone)]
pub struct Config {
    pub host: String,
    pub port: u16,
    pub username: Option<String>,
    pub password: Option<String>,
    pub client_id: String,
    /// Topic prefix: messages go to `<topic>/q0` .. `<topic>/q2`, the will to `<topic>/will`.
    pub topic: String,
}

impl Config {
    /// Parses `--host H --port P --user U --password W --client-id C --topic T` (all optional).
    pub fn from_args(mut args: impl Iterator<Item = String>) -> Result<Config, String> {
        let mut cfg = Config {
            host: "127.0.0.1".into(),
            port: 1883,
            username: None,
            password: None,
            client_id: format!("mqtt-wire-client-{}", std::process::id()),
            topic: "mqtt-wire/client".into(),
        };
        while let Some(flag) = args.next() {
            let mut value = || args.next().ok_or(format!("{flag} needs a value"));
            match flag.as_str() {
                "--host" => cfg.host = value()?,
                "--port" => cfg.port = value()?.parse().map_err(|e| format!("--port: {e}"))?,
                "--user" => cfg.username = Some(value()?),
                "--password" => cfg.password = Some(value()?),
                "--client-id" => cfg.client_id = value()?,
                "--topic" => cfg.topic = value()?,
                "-h" | "--help" => return Err(USAGE.into()),
                other => return Err(format!("unknown argument {other}\n{USAGE}")),
            }
        }
        Ok(cfg)
    }
}

const USAGE: &str = "usage: client [--host H] [--port P] [--user U] [--password W] \
                     [--client-id C] [--topic T]";

/// What happened: every packet as one line, the messages received, the QoS granted.
#[derive(Debug, Default)]
pub struct Report {
    /// `-> PACKET ...` for packets sent, `<- PACKET ...` for packets received.
    pub log: Vec<String>,
    /// (topic, QoS, payload) of each message received.
    pub received: Vec<(String, QoS, Vec<u8>)>,
    /// The QoS the broker granted to the subscription.
    pub granted: Vec<QoS>,
}

/// One connection: the framed socket, and the receiver's state of QoS 2 messages.
struct Session {
    framed: Framed<TcpStream, MqttCodec>,
    /// Incoming QoS 2 packet ids answered with PUBREC, waiting for their PUBREL.
    awaiting_rel: HashSet<PacketId>,
    report: Report,
}

impl Session {
    async fn send(&mut self, packet: Packet<'_>) -> Result<(), BoxError> {
        self.report.log.push(format!("-> {packet}"));
        self.framed.send(packet).await?;
        Ok(())
    }

    async fn recv(&mut self) -> Result<OwnedPacket, BoxError> {
        let next = tokio::time::timeout(TIMEOUT, self.framed.next())
            .await
            .map_err(|_| "timed out waiting for the broker")?;
        let owned = next.ok_or("the broker closed the connection")??;
        self.report.log.push(format!("<- {owned}"));
        Ok(owned)
    }

    /// Answers a packet that belongs to the receiver's side (an incoming PUBLISH, the
    /// PUBREL of an incoming QoS 2 message); `false` for any other packet.
    async fn answer(&mut self, owned: &OwnedPacket) -> Result<bool, BoxError> {
        match owned.packet() {
            Packet::Publish(p) => {
                let message = (p.topic.to_string(), p.qos, p.payload.to_vec());
                self.report.received.push(message);
                match (p.qos, p.packet_id) {
                    (QoS::AtMostOnce, _) => {}
                    (QoS::AtLeastOnce, Some(id)) => self.send(Packet::PubAck(Ack::new(id))).await?,
                    (QoS::ExactlyOnce, Some(id)) => {
                        self.awaiting_rel.insert(id);
                        self.send(Packet::PubRec(Ack::new(id))).await?;
                    }
                    _ => return Err("PUBLISH without a packet id".into()),
                }
                Ok(true)
            }
            Packet::PubRel(rel) if self.awaiting_rel.remove(&rel.packet_id) => {
                self.send(Packet::PubComp(Ack::new(rel.packet_id))).await?;
                Ok(true)
            }
            _ => Ok(false),
        }
    }

    /// Receives until a packet that `want` accepts, answering the receiver's side on the
    /// way; any other packet is an error.
    async fn wait_for(
        &mut self,
        what: &str,
        want: impl Fn(&Packet<'_>) -> bool,
    ) -> Result<OwnedPacket, BoxError> {
        loop {
            let owned = self.recv().await?;
            if want(&owned.packet()) {
                return Ok(owned);
            }
            if !self.answer(&owned).await? {
                return Err(format!("expected {what}, got {owned}").into());
            }
        }
    }

    /// Sends a PUBLISH and completes the sender's side of its QoS handshake.
    async fn publish(&mut self, publish: Publish<'_>) -> Result<(), BoxError> {
        self.send(Packet::Publish(publish)).await?;
        let Some(id) = publish.packet_id else {
            return Ok(());
        };
        let is_ack =
            |want: fn(&Packet<'_>) -> Option<PacketId>| move |p: &Packet<'_>| want(p) == Some(id);
        if publish.qos == QoS::AtLeastOnce {
            let ack = self.wait_for("PUBACK", is_ack(puback_id)).await?;
            return check_ack(&ack);
        }
        let rec = self.wait_for("PUBREC", is_ack(pubrec_id)).await?;
        check_ack(&rec)?;
        self.send(Packet::PubRel(Ack::new(id))).await?;
        let comp = self.wait_for("PUBCOMP", is_ack(pubcomp_id)).await?;
        check_ack(&comp)
    }
}

fn puback_id(p: &Packet<'_>) -> Option<PacketId> {
    matches!(p, Packet::PubAck(_)).then(|| ack_id(p)).flatten()
}

fn pubrec_id(p: &Packet<'_>) -> Option<PacketId> {
    matches!(p, Packet::PubRec(_)).then(|| ack_id(p)).flatten()
}

fn pubcomp_id(p: &Packet<'_>) -> Option<PacketId> {
    matches!(p, Packet::PubComp(_)).then(|| ack_id(p)).flatten()
}

fn ack_id(p: &Packet<'_>) -> Option<PacketId> {
    match p {
        Packet::PubAck(a) | Packet::PubRec(a) | Packet::PubRel(a) | Packet::PubComp(a) => {
            Some(a.packet_id)
        }
        _ => None,
    }
}

fn check_ack(owned: &OwnedPacket) -> Result<(), BoxError> {
    match owned.packet() {
        Packet::PubAck(a) | Packet::PubRec(a) | Packet::PubComp(a) if a.reason_code.is_error() => {
            Err(format!("the broker refused: {owned}").into())
        }
        _ => Ok(()),
    }
}

/// Runs the whole session against the broker in `cfg`.
pub async fn run(cfg: &Config) -> Result<Report, BoxError> {
    let stream = TcpStream::connect((cfg.host.as_str(), cfg.port)).await?;
    stream.set_nodelay(true)?;
    // The client's limit on what it accepts (a 5.0 client would also announce it in the
    // CONNECT's Maximum Packet Size property), and its role: packets only clients send, and
    // what only a server may not send (a DISCONNECT with Session Expiry Interval), are
    // refused.
    let codec = MqttCodec::with_options(
        Version::V5,
        DecodeOptions::new()
            .max_packet_size(1 << 20)
            .receiver(Role::Client),
    );
    let mut s = Session {
        framed: Framed::new(stream, codec),
        awaiting_rel: HashSet::new(),
        report: Report::default(),
    };

    // CONNECT with user name, password and will; CONNACK.
    let will_topic = format!("{}/will", cfg.topic);
    s.send(Packet::Connect(Connect {
        keep_alive: 30,
        username: cfg.username.as_deref(),
        password: cfg.password.as_deref().map(str::as_bytes),
        will: Some(Will {
            qos: QoS::AtLeastOnce,
            ..Will::new(&will_topic, b"the client went away")
        }),
        ..Connect::new(Version::V5, &cfg.client_id)
    }))
    .await?;
    let connack = s
        .wait_for("CONNACK", |p| matches!(p, Packet::ConnAck(_)))
        .await?;
    if let Packet::ConnAck(ack) = connack.packet()
        && ack.reason_code != ReasonCode::Success
    {
        return Err(format!("connection refused: {}", ack.reason_code).into());
    }

    // SUBSCRIBE to everything under the prefix at QoS 2; SUBACK.
    let filter = format!("{}/#", cfg.topic);
    let subs = [Subscription::new(&filter, QoS::ExactlyOnce)];
    let sub_id = PacketId::new_const::<1>();
    s.send(Packet::Subscribe(Subscribe::new(
        sub_id,
        Subscriptions::new(&subs),
    )))
    .await?;
    let suback = s
        .wait_for(
            "SUBACK",
            |p| matches!(p, Packet::SubAck(a) if a.packet_id == sub_id),
        )
        .await?;
    if let Packet::SubAck(ack) = suback.packet() {
        for code in ack.reason_codes.iter() {
            let qos = code
                .granted_qos()
                .ok_or_else(|| format!("subscription refused: {code}"))?;
            s.report.granted.push(qos);
        }
    }

    // One PUBLISH at each QoS, with the sender's handshakes.
    let topics = [0, 1, 2].map(|q| format!("{}/q{q}", cfg.topic));
    let ids = [
        None,
        Some(PacketId::new_const::<2>()),
        Some(PacketId::new_const::<3>()),
    ];
    for ((qos, topic), packet_id) in [QoS::AtMostOnce, QoS::AtLeastOnce, QoS::ExactlyOnce]
        .into_iter()
        .zip(&topics)
        .zip(ids)
    {
        let payload = format!("hello at QoS {}", qos as u8);
        s.publish(Publish {
            qos,
            packet_id,
            ..Publish::new(topic, payload.as_bytes())
        })
        .await?;
    }

    // The three messages come back through the subscription; finish the receiver's side.
    while s.report.received.len() < topics.len() || !s.awaiting_rel.is_empty() {
        let owned = s.recv().await?;
        if !s.answer(&owned).await? {
            return Err(format!("unexpected {owned}").into());
        }
    }

    // PINGREQ / PINGRESP, then DISCONNECT (normal: the will is not sent).
    s.send(Packet::PingReq).await?;
    s.wait_for("PINGRESP", |p| matches!(p, Packet::PingResp))
        .await?;
    s.send(Packet::Disconnect(Disconnect::new())).await?;
    Ok(s.report)
}

fn main() {
    let cfg = match Config::from_args(std::env::args().skip(1)) {
        Ok(cfg) => cfg,
        Err(e) => {
            eprintln!("{e}");
            std::process::exit(2);
        }
    };
    let runtime = tokio::runtime::Builder::new_current_thread()
        .enable_all()
        .build()
        .expect("a tokio runtime");
    match runtime.block_on(run(&cfg)) {
        Ok(report) => {
            for line in &report.log {
                println!("{line}");
            }
            println!(
                "received {} messages, granted {:?}",
                report.received.len(),
                report.granted
            );
        }
        Err(e) => {
            eprintln!("error: {e}");
            std::process::exit(1);
        }
    }
}
