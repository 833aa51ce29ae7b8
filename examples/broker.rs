//! A tiny MQTT broker built on mqtt-wire: every byte it reads goes through
//! [`decode_with`], every packet it writes is built as a [`Packet`] and encoded.
//!
//! `cargo run --example broker -- --port 1883 [--quiet]` (listens on 127.0.0.1 only).
//!
//! - MQTT 3.1, 3.1.1 and 5.0, chosen by each client's CONNECT.
//! - PUBLISH at QoS 0, 1 and 2 with the whole handshake in both directions; a subscriber
//!   gets the lower of the published QoS and its subscription's QoS (MQTT-3.8.4-6).
//! - Wildcard subscriptions, retained messages, wills, keep-alive, PINGREQ, UNSUBSCRIBE.
//! - 5.0: the properties of a PUBLISH are forwarded as received (the decoder's property
//!   bytes are encoded again unchanged; only a Message Expiry Interval counts down), No
//!   Local, Retain As Published, Retain Handling, Assigned Client Identifier, Receive
//!   Maximum, Maximum Packet Size, reason codes in acknowledgements and DISCONNECT.
//! - Bridges (mosquitto's `try_private`, MQTT.js' `bridgeMode`: a 3.x CONNECT with
//!   `Connect::bridge`): a bridge never gets back what it published itself (loop
//!   detection, as No Local) and gets RETAIN as published (as Retain As Published).
//!
//! Left out, and announced in the 5.0 CONNACK where the protocol allows it: sessions that
//! outlive their connection (Session Expiry Interval 0, so a will is published as soon as
//! its connection ends, which is also when its session ends), shared subscriptions,
//! subscription identifiers, topic aliases, enhanced authentication. User names and
//! passwords are accepted unchecked.
//!
//! One thread reads each connection and one writes it, from a bounded queue; the routing
//! state is one `Mutex`. A client that breaks the protocol, stops reading or leaves too many
//! messages unacknowledged loses its own connection and nothing else.

use std::collections::{BTreeMap, HashMap, HashSet};
use std::io::{ErrorKind, Read, Write};
use std::net::{Shutdown, TcpListener, TcpStream};
use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::mpsc::{SyncSender, sync_channel};
use std::sync::{Arc, Mutex, MutexGuard, PoisonError};
use std::time::{Duration, Instant};

use mqtt_wire::topic::{matches, shared_parts};
use mqtt_wire::{
    Ack, ConnAck, Connect, DecodeErrorKind, DecodeOptions, Disconnect, EncodeError, Packet,
    PacketId, PacketType, Properties, Property, PropertyId, Publish, QoS, ReasonCode, ReasonCodes,
    RetainHandling, Role, Status, SubAck, Subscribe, SubscriptionOptions, UnsubAck, Unsubscribe,
    Version, decode, decode_with,
};

/// Largest packet we accept (the Maximum Packet Size of our 5.0 CONNACK).
const MAX_PACKET_SIZE: u32 = 1 << 20;
/// QoS 2 PUBLISHes a client may have unreleased towards us (our 5.0 Receive Maximum).
const RECEIVE_MAXIMUM: u16 = 64;
/// Packets queued for one client before it counts as not reading.
const OUTBOX: usize = 1024;
/// Subscriptions one client may hold.
const MAX_SUBSCRIPTIONS: usize = 1024;
/// Time a client has to send its CONNECT, and to take each write from us.
const PATIENCE: Duration = Duration::from_secs(10);

static QUIET: AtomicBool = AtomicBool::new(false);

fn log(who: &str, what: std::fmt::Arguments<'_>) {
    if !QUIET.load(Ordering::Relaxed) {
        eprintln!("[{who}] {what}");
    }
}

fn encode(packet: &Packet<'_>, version: Version) -> Result<Vec<u8>, EncodeError> {
    let mut bytes = vec![0; packet.encoded_len(version)?];
    packet.encode(version, &mut bytes)?;
    Ok(bytes)
}

fn lock(broker: &Mutex<Broker>) -> MutexGuard<'_, Broker> {
    broker.lock().unwrap_or_else(PoisonError::into_inner)
}

/// An application message, to deliver or to keep as retained: a QoS 0 PUBLISH encoded as
/// 5.0, so that its properties stay byte for byte what the publisher sent.
#[derive(Clone)]
struct Message {
    bytes: Vec<u8>,
    qos: QoS,
    received: Instant,
}

impl Message {
    fn new(publish: &Publish<'_>) -> Result<Message, EncodeError> {
        let p = Publish {
            dup: false,
            qos: QoS::AtMostOnce,
            packet_id: None,
            ..*publish
        };
        let bytes = encode(&Packet::Publish(p), Version::V5)?;
        Ok(Message {
            bytes,
            qos: publish.qos,
            received: Instant::now(),
        })
    }

    /// The stored PUBLISH, decoded again: a view borrowing from `bytes`, no copy.
    fn publish(&self) -> Option<Publish<'_>> {
        match decode(&self.bytes, Version::V5) {
            Ok(Status::Complete((Packet::Publish(p), _))) => Some(p),
            _ => None,
        }
    }
}

/// The sending half of a connection, used by its own reader thread and by the threads of
/// the clients that publish to it. Packets go through a queue to its writer thread.
#[derive(Clone)]
struct Link {
    id: String,
    version: Version,
    outbox: SyncSender<Vec<u8>>,
    socket: Arc<TcpStream>,
    max_packet_size: usize,
}

impl Link {
    /// Queues a packet for the writer thread; false if it was not sent.
    fn send(&self, packet: &Packet<'_>) -> bool {
        log(&self.id, format_args!("-> {}", describe(packet)));
        let why = match encode(packet, self.version) {
            // MQTT-3.1.2-24 (5.0): never more than the client's Maximum Packet Size.
            Ok(bytes) if bytes.len() > self.max_packet_size => "over its Maximum Packet Size",
            Ok(bytes) => match self.outbox.try_send(bytes) {
                Ok(()) => return true,
                // A full queue means the client stopped reading: cut it off, don't wait.
                Err(_) => {
                    let _ = self.socket.shutdown(Shutdown::Both);
                    "the client is not reading"
                }
            },
            Err(e) => {
                log(&self.id, format_args!("   not sent: cannot encode it: {e}"));
                return false;
            }
        };
        log(&self.id, format_args!("   not sent: {why}"));
        false
    }

    /// A 5.0 DISCONNECT (only ever after a successful CONNACK, MQTT-3.14.0-1).
    fn disconnect(&self, reason: ReasonCode) {
        let mut disconnect = Disconnect::new();
        disconnect.reason_code = match reason.is_valid_for(PacketType::Disconnect) {
            true => reason,
            false => ReasonCode::ProtocolError,
        };
        self.send(&Packet::Disconnect(disconnect));
    }

    /// Ends the connection from another thread: a 5.0 DISCONNECT, then its reader stops.
    fn kick(&self, reason: ReasonCode) {
        if self.version.is_v5() {
            self.disconnect(reason);
        }
        let _ = self.socket.shutdown(Shutdown::Read);
    }
}

/// A connected client, as the router sees it.
struct Client {
    link: Link,
    subscriptions: Vec<(String, SubscriptionOptions)>,
    /// Our QoS 1 and 2 PUBLISHes in flight: the acknowledgement each one waits for.
    unacked: HashMap<u16, PacketType>,
    last_id: u16,
    receive_maximum: u16,
    /// A bridge: every subscription acts as No Local and Retain As Published.
    bridge: bool,
}

impl Client {
    /// Sends `message` at `qos`, under a fresh packet identifier for QoS 1 and 2.
    fn deliver(&mut self, message: &Message, qos: QoS, retain: bool) {
        let Some(mut publish) = message.publish() else {
            return;
        };
        (publish.qos, publish.retain) = (qos, retain);
        let adjusted: Vec<Property<'_>>;
        if !self.link.version.is_v5() {
            publish.properties = Properties::EMPTY;
        } else if let Some(expiry) = publish.properties.message_expiry_interval() {
            // MQTT-3.3.2-5, MQTT-3.3.2-6: drop an expired message, forward the time left.
            let held = u32::try_from(message.received.elapsed().as_secs()).unwrap_or(u32::MAX);
            if held >= expiry {
                return;
            }
            let left = |p| match p {
                Property::MessageExpiryInterval(_) => {
                    Property::MessageExpiryInterval(expiry - held)
                }
                other => other,
            };
            if held > 0 {
                adjusted = publish.properties.iter().map(left).collect();
                publish.properties = Properties::new(&adjusted);
            }
        }
        if qos == QoS::AtMostOnce {
            self.link.send(&Packet::Publish(publish));
            return;
        }
        // MQTT-3.3.4-9: at most Receive Maximum unacknowledged. There is no queue here:
        // a client that falls that far behind is disconnected.
        if self.unacked.len() >= usize::from(self.receive_maximum) {
            return self.link.kick(ReasonCode::QuotaExceeded);
        }
        while self.last_id == 0 || self.unacked.contains_key(&self.last_id) {
            self.last_id = self.last_id.wrapping_add(1);
        }
        publish.packet_id = PacketId::new(self.last_id);
        if self.link.send(&Packet::Publish(publish)) {
            let awaiting = match qos {
                QoS::ExactlyOnce => PacketType::PubRec,
                _ => PacketType::PubAck,
            };
            self.unacked.insert(self.last_id, awaiting);
        }
    }
}

#[derive(Default)]
struct Broker {
    clients: HashMap<u64, Client>,
    retained: BTreeMap<String, Message>,
}

impl Broker {
    /// Keeps or clears the retained message, and sends a copy to each subscribed client.
    /// Returns how many clients it went to.
    fn route(&mut self, from: u64, message: &Message) -> usize {
        let Some(p) = message.publish() else { return 0 };
        if p.retain && p.payload.is_empty() {
            self.retained.remove(p.topic); // MQTT-3.3.1-6, MQTT-3.3.1-7
        } else if p.retain {
            self.retained.insert(p.topic.to_owned(), message.clone()); // MQTT-3.3.1-5
        }
        let mut count = 0;
        for (&no, client) in &mut self.clients {
            // One copy per client, at the highest QoS of its matching subscriptions
            // (MQTT-3.3.4-2), RETAIN set only if one of them asks for it (MQTT-3.3.1-12,
            // MQTT-3.3.1-13); 3.x subscriptions never do (MQTT-3.3.1-9 of 3.1.1).
            // A bridge gets neither its own messages back nor RETAIN cleared.
            let mut best: Option<(QoS, bool)> = None;
            for (filter, opts) in &client.subscriptions {
                let no_local = opts.no_local || client.bridge;
                if matches(filter, p.topic) && !(no_local && no == from) {
                    let (q, r) = (
                        opts.qos.min(message.qos),
                        p.retain && (opts.retain_as_published || client.bridge),
                    );
                    best = Some(best.map_or((q, r), |(bq, br)| (bq.max(q), br || r)));
                }
            }
            if let Some((qos, retain)) = best {
                client.deliver(message, qos, retain);
                count += 1;
            }
        }
        count
    }
}

/// What to do after a packet.
enum Next {
    Read,
    Close,
    Fail(ReasonCode),
}

/// One connection, owned by its reader thread.
struct Session {
    no: u64,
    link: Link,
    connected: bool,
    will: Option<Message>,
    /// QoS 2 identifiers answered with PUBREC and not released yet (MQTT-4.3.3-10).
    incoming: HashSet<u16>,
    broker: Arc<Mutex<Broker>>,
}

impl Session {
    /// Reads and handles packets until the connection ends.
    fn run(&mut self) {
        let socket = Arc::clone(&self.link.socket);
        // A server: packets only servers send, and what clients must not send (a Subscription
        // Identifier in PUBLISH, MQTT-3.3.4-6), are refused.
        let opts = DecodeOptions::new()
            .max_packet_size(MAX_PACKET_SIZE)
            .receiver(Role::Server);
        let (mut buf, mut chunk) = (Vec::new(), [0u8; 4096]);
        loop {
            // Until the CONNECT the version is unknown, but a CONNECT carries its own.
            let next = match decode_with(&buf, self.link.version, &opts) {
                Ok(Status::Complete((packet, used))) => {
                    log(&self.link.id, format_args!("<- {}", describe(&packet)));
                    let next = self.handle(packet);
                    buf.drain(..used);
                    next
                }
                Ok(Status::Partial(_)) => match (&*socket).read(&mut chunk) {
                    Ok(0) => Next::Close,
                    Ok(n) => {
                        buf.extend_from_slice(&chunk[..n]);
                        Next::Read
                    }
                    // 1.5 times the Keep Alive without a packet: MQTT-3.1.2-24 (3.1.1), -22 (5.0).
                    Err(e) if matches!(e.kind(), ErrorKind::WouldBlock | ErrorKind::TimedOut) => {
                        Next::Fail(ReasonCode::KeepAliveTimeout)
                    }
                    Err(_) => Next::Close,
                },
                Err(e) => {
                    let (kind, at) = (e.kind(), e.offset());
                    let why = format_args!("refused: {kind:?} at byte {at}: {}", kind.message());
                    log(&self.link.id, why);
                    if !self.connected {
                        self.refuse_connect(kind);
                    }
                    Next::Fail(e.reason_code())
                }
            };
            match next {
                Next::Read => continue,
                Next::Close => log(&self.link.id, format_args!("connection closed")),
                Next::Fail(reason) if self.connected && self.link.version.is_v5() => {
                    self.link.disconnect(reason);
                }
                Next::Fail(reason) => log(&self.link.id, format_args!("closing: {reason}")),
            }
            return;
        }
    }

    /// 3.1.1 asks for a CONNACK with a return code for these two refusals.
    fn refuse_connect(&mut self, kind: DecodeErrorKind) {
        let code = match kind {
            DecodeErrorKind::UnsupportedProtocolLevel => ReasonCode::UnsupportedProtocolVersion,
            DecodeErrorKind::EmptyClientIdWithoutCleanSession => {
                ReasonCode::ClientIdentifierNotValid
            }
            _ => return,
        }; // MQTT-3.1.2-2, MQTT-3.1.3-8
        self.link.version = Version::V3_1_1;
        self.link.send(&Packet::ConnAck(ConnAck::new(code)));
    }

    fn handle(&mut self, packet: Packet<'_>) -> Next {
        match packet {
            Packet::Connect(c) if !self.connected => self.connect(&c),
            _ if !self.connected => Next::Close, // MQTT-3.1.0-1
            Packet::Connect(_) => Next::Fail(ReasonCode::ProtocolError), // MQTT-3.1.0-2
            Packet::Publish(p) => self.publish(&p),
            Packet::PubAck(a) => self.acknowledged(a, PacketType::PubAck),
            Packet::PubRec(a) => self.acknowledged(a, PacketType::PubRec),
            Packet::PubComp(a) => self.acknowledged(a, PacketType::PubComp),
            Packet::PubRel(a) => {
                let mut comp = Ack::new(a.packet_id); // MQTT-4.3.3-11
                if !self.incoming.remove(&a.packet_id.get()) && self.link.version.is_v5() {
                    comp.reason_code = ReasonCode::PacketIdentifierNotFound;
                }
                self.link.send(&Packet::PubComp(comp));
                Next::Read
            }
            Packet::Subscribe(s) => self.subscribe(&s),
            Packet::Unsubscribe(u) => self.unsubscribe(&u),
            Packet::PingReq => {
                self.link.send(&Packet::PingResp);
                Next::Read
            }
            Packet::Disconnect(d) => {
                // MQTT-3.1.2-10: DISCONNECT discards the will, except 5.0's reason 0x04.
                if d.reason_code != ReasonCode::DisconnectWithWillMessage {
                    self.will = None;
                }
                Next::Close
            }
            // Packets only a server sends, and AUTH (no enhanced authentication here).
            _ => Next::Fail(ReasonCode::ProtocolError),
        }
    }

    fn connect(&mut self, c: &Connect<'_>) -> Next {
        self.link.version = c.version;
        let assigned = format!("auto-{}-{}", std::process::id(), self.no);
        let id = if c.client_id.is_empty() {
            assigned.as_str()
        } else {
            c.client_id
        };
        // 3.1 requires a client identifier; 3.1.1 and 5.0 let the server pick one.
        let refusal = if c.client_id.is_empty() && c.version == Version::V3_1 {
            ReasonCode::ClientIdentifierNotValid
        } else if c.properties.authentication_method().is_some() {
            ReasonCode::BadAuthenticationMethod
        } else {
            ReasonCode::Success
        };
        if refusal != ReasonCode::Success {
            self.link.send(&Packet::ConnAck(ConnAck::new(refusal)));
            return Next::Close;
        }
        self.link.id = id.to_owned();
        if c.bridge {
            log(
                id,
                format_args!("is a bridge: no echo, RETAIN as published"),
            );
        }
        let max_packet_size = c.properties.maximum_packet_size().unwrap_or(u32::MAX);
        self.link.max_packet_size = usize::try_from(max_packet_size).unwrap_or(usize::MAX);
        if let Some(w) = c.will {
            // The will becomes a PUBLISH: same properties minus the Will Delay Interval.
            let delay = |p: &Property<'_>| p.id() == PropertyId::WillDelayInterval;
            let props: Vec<_> = w.properties.iter().filter(|p| !delay(p)).collect();
            let properties = Properties::new(&props);
            let (qos, retain) = (w.qos, w.retain);
            let will = Publish {
                qos,
                retain,
                properties,
                ..Publish::new(w.topic, w.payload)
            };
            self.will = Message::new(&will).ok();
        }
        if c.keep_alive > 0 {
            let limit = Duration::from_millis(u64::from(c.keep_alive) * 1500);
            let _ = self.link.socket.set_read_timeout(Some(limit));
        }
        let mut props = Vec::new();
        if c.version.is_v5() {
            props.extend([
                Property::ReceiveMaximum(RECEIVE_MAXIMUM),
                Property::TopicAliasMaximum(0),
                Property::MaximumPacketSize(MAX_PACKET_SIZE),
                Property::SubscriptionIdentifierAvailable(false),
                Property::SharedSubscriptionAvailable(false),
            ]);
            if c.client_id.is_empty() {
                props.push(Property::AssignedClientIdentifier(id)); // MQTT-3.2.2-16
            }
            if c.properties.session_expiry_interval().unwrap_or(0) > 0 {
                props.push(Property::SessionExpiryInterval(0));
            }
        }
        let mut broker = lock(&self.broker);
        // MQTT-3.1.4-2 (3.1.1), MQTT-3.1.4-3 (5.0): a second connection takes over.
        if let Some(old) = broker.clients.values().find(|old| old.link.id == id) {
            old.link.kick(ReasonCode::SessionTakenOver);
        }
        let properties = Properties::new(&props);
        let ack = ConnAck {
            properties,
            ..ConnAck::new(ReasonCode::Success)
        };
        self.link.send(&Packet::ConnAck(ack));
        self.connected = true;
        let client = Client {
            link: self.link.clone(),
            subscriptions: Vec::new(),
            unacked: HashMap::new(),
            last_id: 0,
            receive_maximum: c.properties.receive_maximum().unwrap_or(u16::MAX),
            bridge: c.bridge,
        };
        broker.clients.insert(self.no, client);
        Next::Read
    }

    fn publish(&mut self, p: &Publish<'_>) -> Next {
        if p.properties.topic_alias().is_some() {
            return Next::Fail(ReasonCode::TopicAliasInvalid); // we allow none: MQTT-3.2.2-18
        }
        if p.properties.subscription_identifier().is_some() {
            return Next::Fail(ReasonCode::ProtocolError); // MQTT-3.3.4-6
        }
        if !p.payload_format_valid() {
            return Next::Fail(ReasonCode::PayloadFormatInvalid);
        }
        if let (QoS::ExactlyOnce, Some(id)) = (p.qos, p.packet_id) {
            if self.incoming.contains(&id.get()) {
                // MQTT-4.3.3-10: a repeat before PUBREL is acknowledged, not delivered.
                self.link.send(&Packet::PubRec(Ack::new(id)));
                return Next::Read;
            }
            if self.incoming.len() >= usize::from(RECEIVE_MAXIMUM) {
                return Next::Fail(ReasonCode::ReceiveMaximumExceeded);
            }
        }
        let Ok(message) = Message::new(p) else {
            return Next::Fail(ReasonCode::ImplementationSpecificError);
        };
        let delivered = lock(&self.broker).route(self.no, &message);
        let Some(id) = p.packet_id else {
            return Next::Read;
        };
        let mut ack = Ack::new(id);
        if delivered == 0 && self.link.version.is_v5() {
            ack.reason_code = ReasonCode::NoMatchingSubscribers;
        }
        if p.qos == QoS::ExactlyOnce {
            self.incoming.insert(id.get());
            self.link.send(&Packet::PubRec(ack));
        } else {
            self.link.send(&Packet::PubAck(ack));
        }
        Next::Read
    }

    /// The client acknowledged a PUBLISH we sent it (PUBACK, PUBREC) or a PUBREL (PUBCOMP).
    fn acknowledged(&mut self, ack: Ack<'_>, kind: PacketType) -> Next {
        let mut broker = lock(&self.broker);
        let Some(client) = broker.clients.get_mut(&self.no) else {
            return Next::Close;
        };
        let id = ack.packet_id;
        let state = client.unacked.get(&id.get()).copied();
        if kind != PacketType::PubRec || ack.reason_code.is_error() {
            if state == Some(kind) {
                client.unacked.remove(&id.get());
            }
            return Next::Read;
        }
        // PUBREC: release with PUBREL and wait for PUBCOMP (MQTT-4.3.3-4). A repeated
        // PUBREC gets a PUBREL again, an unknown one is answered 0x92 (5.0).
        let mut rel = Ack::new(id);
        if matches!(state, Some(PacketType::PubRec | PacketType::PubComp)) {
            client.unacked.insert(id.get(), PacketType::PubComp);
        } else if client.link.version.is_v5() {
            rel.reason_code = ReasonCode::PacketIdentifierNotFound;
        }
        client.link.send(&Packet::PubRel(rel));
        Next::Read
    }

    fn subscribe(&mut self, s: &Subscribe<'_>) -> Next {
        if s.properties.subscription_identifier().is_some() {
            return Next::Fail(ReasonCode::SubscriptionIdentifiersNotSupported);
        }
        let mut broker = lock(&self.broker);
        let Broker { clients, retained } = &mut *broker;
        let Some(client) = clients.get_mut(&self.no) else {
            return Next::Close;
        };
        let v = client.link.version;
        let (mut codes, mut retained_for) = (Vec::new(), Vec::new());
        // MQTT-3.8.4-5: as if one SUBSCRIBE per filter, with one SUBACK.
        for sub in s.subscriptions.iter() {
            if v.is_v5() && shared_parts(sub.filter, v).is_some() {
                codes.push(ReasonCode::SharedSubscriptionsNotSupported);
                continue;
            }
            let subs = &mut client.subscriptions;
            let full = subs.len() >= MAX_SUBSCRIPTIONS;
            let existed = match subs.iter_mut().find(|(f, _)| f == sub.filter) {
                Some(old) => Some(std::mem::replace(&mut old.1, sub.options)), // MQTT-3.8.4-3
                None if full => {
                    return Next::Fail(ReasonCode::QuotaExceeded);
                }
                None => {
                    subs.push((sub.filter.to_owned(), sub.options));
                    None
                }
            };
            codes.push(match sub.options.qos {
                QoS::AtMostOnce => ReasonCode::Success,
                QoS::AtLeastOnce => ReasonCode::GrantedQoS1,
                QoS::ExactlyOnce => ReasonCode::GrantedQoS2,
            });
            // MQTT-3.3.1-9, MQTT-3.3.1-10, MQTT-3.3.1-11 (5.0): retained messages or not.
            let send_retained = match sub.options.retain_handling {
                RetainHandling::SendAtSubscribe => true,
                RetainHandling::SendIfNew => existed.is_none(),
                RetainHandling::DoNotSend => false,
            };
            if send_retained {
                retained_for.push((sub.filter, sub.options.qos));
            }
        }
        let codes = ReasonCodes::new(&codes);
        client
            .link
            .send(&Packet::SubAck(SubAck::new(s.packet_id, codes)));
        // Then the retained messages, with RETAIN set (MQTT-3.3.1-8 of 3.1.1).
        for (filter, qos) in retained_for {
            for (topic, message) in retained.iter().filter(|(t, _)| matches(filter, t)) {
                log(
                    &client.link.id,
                    format_args!("retained message for {topic:?}"),
                );
                client.deliver(message, qos.min(message.qos), true);
            }
        }
        Next::Read
    }

    fn unsubscribe(&mut self, u: &Unsubscribe<'_>) -> Next {
        let mut broker = lock(&self.broker);
        let Some(client) = broker.clients.get_mut(&self.no) else {
            return Next::Close;
        };
        let mut codes = Vec::new();
        for filter in u.filters.iter() {
            let before = client.subscriptions.len();
            client.subscriptions.retain(|(f, _)| f != filter);
            let removed = client.subscriptions.len() < before;
            codes.push(if removed {
                ReasonCode::Success
            } else {
                ReasonCode::NoSubscriptionExisted
            });
        }
        // A 3.x UNSUBACK has no reason codes.
        let v5 = client.link.version.is_v5();
        let codes = if v5 {
            ReasonCodes::new(&codes)
        } else {
            ReasonCodes::EMPTY
        };
        client
            .link
            .send(&Packet::UnsubAck(UnsubAck::new(u.packet_id, codes)));
        Next::Read
    }

    /// Forgets the client and, unless a DISCONNECT removed it, publishes its will
    /// (MQTT-3.1.2-8).
    fn end(&mut self) {
        let mut broker = lock(&self.broker);
        broker.clients.remove(&self.no);
        if let Some(will) = self.will.take() {
            log(&self.link.id, format_args!("publishing the will"));
            broker.route(self.no, &will);
        }
    }
}

/// One line for the log (no payloads, no passwords).
fn describe(packet: &Packet<'_>) -> String {
    match packet {
        Packet::Connect(c) => format!(
            "CONNECT {}{} client_id={:?} clean_start={} keep_alive={} will={:?} username={:?} \
             password={} properties={:?}",
            c.version,
            if c.bridge { " bridge" } else { "" },
            c.client_id,
            c.clean_start,
            c.keep_alive,
            c.will.map(|w| w.topic),
            c.username,
            c.password.is_some(),
            c.properties
        ),
        Packet::Publish(p) => format!(
            "PUBLISH {:?} qos={} id={:?} retain={} dup={} payload={} bytes properties={:?}",
            p.topic,
            p.qos as u8,
            p.packet_id.map(PacketId::get),
            p.retain,
            p.dup,
            p.payload.len(),
            p.properties
        ),
        other => format!("{other:?}"),
    }
}

/// Serves one connection: this thread reads, a second one writes what the outbox gets.
fn connection(no: u64, socket: TcpStream, broker: Arc<Mutex<Broker>>) -> std::io::Result<()> {
    socket.set_read_timeout(Some(PATIENCE))?; // for the CONNECT; then the keep-alive's
    socket.set_write_timeout(Some(PATIENCE))?;
    let socket = Arc::new(socket);
    let (outbox, queue) = sync_channel::<Vec<u8>>(OUTBOX);
    let writer = Arc::clone(&socket);
    std::thread::spawn(move || {
        // Until a write fails or every sender is gone (the client was forgotten).
        for bytes in queue {
            if (&*writer).write_all(&bytes).is_err() {
                break;
            }
        }
        let _ = writer.shutdown(Shutdown::Both);
    });
    let id = socket
        .peer_addr()
        .map_or(format!("#{no}"), |a| a.to_string());
    let link = Link {
        id,
        version: Version::V5,
        outbox,
        socket,
        max_packet_size: usize::MAX,
    };
    let mut session = Session {
        no,
        link,
        connected: false,
        will: None,
        incoming: HashSet::new(),
        broker,
    };
    session.run();
    session.end();
    Ok(())
}

fn main() {
    let usage = || -> ! {
        eprintln!("usage: broker [--port N] [--quiet]    (listens on 127.0.0.1)");
        std::process::exit(2)
    };
    let mut port = 1883;
    let mut args = std::env::args().skip(1);
    while let Some(arg) = args.next() {
        match arg.as_str() {
            "--quiet" => QUIET.store(true, Ordering::Relaxed),
            "--port" => {
                port = args
                    .next()
                    .and_then(|p| p.parse().ok())
                    .unwrap_or_else(|| usage())
            }
            _ => usage(),
        }
    }
    let listener = TcpListener::bind(("127.0.0.1", port)).unwrap_or_else(|e| {
        eprintln!("cannot listen on 127.0.0.1:{port}: {e}");
        std::process::exit(1)
    });
    log("broker", format_args!("listening on 127.0.0.1:{port}"));
    let broker = Arc::new(Mutex::new(Broker::default()));
    for (no, socket) in (1..).zip(listener.incoming()) {
        let Ok(socket) = socket else { continue };
        let broker = Arc::clone(&broker);
        std::thread::spawn(move || connection(no, socket, broker));
    }
}
