//! Interoperability with the real mosquitto broker, over TCP on 127.0.0.1.
//!
//! Every packet sent is built and encoded by mqtt-wire, every packet received is decoded by
//! it: CONNECT/CONNACK, SUBSCRIBE/SUBACK with wildcards and `$SYS/#`, PUBLISH at QoS 0, 1
//! and 2 with the whole ack handshake in both directions, retained messages, wills, 5.0
//! properties, PINGREQ/PINGRESP, UNSUBSCRIBE/UNSUBACK and DISCONNECT, for MQTT 3.1, 3.1.1
//! and 5.0.
//!
//! Needs the `mosquitto` binary (Debian package `mosquitto`). Without it the test says so
//! and passes, unless `MQTT_WIRE_REQUIRE_MOSQUITTO=1` is set (as `.ci/run` does), in which
//! case a missing broker is a failure.

use std::io::{Read, Write};
use std::net::{TcpListener, TcpStream};
use std::path::PathBuf;
use std::process::{Child, Command, Stdio};
use std::time::{Duration, Instant};

use mqtt_wire::{
    Ack, Connect, Disconnect, Packet, PacketId, Properties, Property, Publish, QoS, ReasonCode,
    Status, Subscribe, Subscription, Subscriptions, TopicFilters, Unsubscribe, Version, Will,
    decode,
};

const TIMEOUT: Duration = Duration::from_secs(10);

fn find_mosquitto() -> Option<PathBuf> {
    let candidates = [
        "/usr/sbin/mosquitto",
        "/usr/local/sbin/mosquitto",
        "/usr/bin/mosquitto",
    ];
    candidates
        .iter()
        .map(PathBuf::from)
        .find(|p| p.exists())
        .or_else(|| {
            let out = Command::new("sh")
                .args(["-c", "command -v mosquitto"])
                .output()
                .ok()?;
            let path = String::from_utf8(out.stdout).ok()?;
            let path = path.trim();
            (!path.is_empty()).then(|| PathBuf::from(path))
        })
}

/// A mosquitto process on a free loopback port, killed on drop.
struct Broker {
    child: Child,
    port: u16,
    _dir: TempDir,
}

struct TempDir(PathBuf);

impl Drop for TempDir {
    fn drop(&mut self) {
        let _ = std::fs::remove_dir_all(&self.0);
    }
}

impl Broker {
    fn start(binary: &PathBuf) -> Broker {
        let port = TcpListener::bind("127.0.0.1:0")
            .unwrap()
            .local_addr()
            .unwrap()
            .port();
        let dir =
            std::env::temp_dir().join(format!("mqtt-wire-interop-{}-{port}", std::process::id()));
        std::fs::create_dir_all(&dir).unwrap();
        let conf = dir.join("mosquitto.conf");
        std::fs::write(
            &conf,
            format!("listener {port} 127.0.0.1\nallow_anonymous true\nsys_interval 1\npersistence false\n"),
        )
        .unwrap();
        let child = Command::new(binary)
            .arg("-c")
            .arg(&conf)
            .stdout(Stdio::null())
            .stderr(Stdio::null())
            .spawn()
            .expect("start mosquitto");
        let started = Instant::now();
        while TcpStream::connect(("127.0.0.1", port)).is_err() {
            assert!(
                started.elapsed() < TIMEOUT,
                "mosquitto did not start listening on {port}"
            );
            std::thread::sleep(Duration::from_millis(50));
        }
        Broker {
            child,
            port,
            _dir: TempDir(dir),
        }
    }
}

impl Drop for Broker {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

/// One connection: encodes with mqtt-wire on the way out, decodes on the way in.
struct Conn {
    stream: TcpStream,
    version: Version,
    buf: Vec<u8>,
}

impl Conn {
    fn open(port: u16, version: Version) -> Conn {
        let stream = TcpStream::connect(("127.0.0.1", port)).unwrap();
        stream.set_read_timeout(Some(TIMEOUT)).unwrap();
        Conn {
            stream,
            version,
            buf: Vec::new(),
        }
    }

    fn send(&mut self, packet: Packet<'_>) {
        let len = packet.encoded_len(self.version).unwrap();
        let mut out = vec![0u8; len];
        assert_eq!(packet.encode(self.version, &mut out).unwrap(), len);
        self.stream.write_all(&out).unwrap();
    }

    /// Reads until one whole packet is buffered and returns its bytes (checked to re-encode
    /// identically). Decoding them again gives a `Packet` borrowing from the returned bytes.
    fn recv_bytes(&mut self) -> Vec<u8> {
        loop {
            match decode(&self.buf, self.version) {
                Ok(Status::Complete((packet, used))) => {
                    let bytes = self.buf[..used].to_vec();
                    let mut again = vec![0u8; used];
                    let n = packet.encode(self.version, &mut again).unwrap();
                    assert_eq!(
                        again[..n],
                        bytes[..],
                        "mosquitto's packet did not re-encode identically"
                    );
                    self.buf.drain(..used);
                    return bytes;
                }
                Ok(Status::Partial(n)) => {
                    let mut chunk = vec![0u8; n.max(1)];
                    let got = self.stream.read(&mut chunk).expect("read from mosquitto");
                    assert!(got > 0, "mosquitto closed the connection");
                    self.buf.extend_from_slice(&chunk[..got]);
                }
                Err(e) => panic!(
                    "mosquitto sent bytes mqtt-wire refuses: {e} in {:02x?}",
                    self.buf
                ),
            }
        }
    }

    fn connect(&mut self, connect: Connect<'_>) {
        self.send(Packet::Connect(connect));
        let bytes = self.recv_bytes();
        match decode_one(&bytes, self.version) {
            Packet::ConnAck(ack) => assert_eq!(ack.reason_code, ReasonCode::Success),
            other => panic!("expected CONNACK, got {other:?}"),
        }
    }

    fn subscribe(&mut self, id: u16, subs: &[Subscription<'_>]) -> Vec<ReasonCode> {
        let packet_id = PacketId::new(id).unwrap();
        self.send(Packet::Subscribe(Subscribe::new(
            packet_id,
            Subscriptions::new(subs),
        )));
        let bytes = self.recv_bytes();
        match decode_one(&bytes, self.version) {
            Packet::SubAck(ack) => {
                assert_eq!(ack.packet_id, packet_id);
                ack.reason_codes.iter().collect()
            }
            other => panic!("expected SUBACK, got {other:?}"),
        }
    }

    /// Publishes and completes the sender's side of the QoS handshake.
    fn publish(&mut self, publish: Publish<'_>) {
        self.send(Packet::Publish(publish));
        let Some(id) = publish.packet_id else { return };
        let bytes = self.recv_bytes();
        match (publish.qos, decode_one(&bytes, self.version)) {
            (QoS::AtLeastOnce, Packet::PubAck(ack)) => assert_eq!(ack.packet_id, id),
            (QoS::ExactlyOnce, Packet::PubRec(rec)) => {
                assert_eq!(rec.packet_id, id);
                self.send(Packet::PubRel(Ack::new(id)));
                let bytes = self.recv_bytes();
                match decode_one(&bytes, self.version) {
                    Packet::PubComp(comp) => assert_eq!(comp.packet_id, id),
                    other => panic!("expected PUBCOMP, got {other:?}"),
                }
            }
            (qos, other) => panic!("unexpected answer to a {qos:?} PUBLISH: {other:?}"),
        }
    }

    /// Receives the next PUBLISH (skipping `$SYS` ones unless asked for), completes the
    /// receiver's side of the QoS handshake, and returns the raw bytes of the PUBLISH.
    fn receive_publish(&mut self, want_sys: bool) -> Vec<u8> {
        loop {
            let bytes = self.recv_bytes();
            let Packet::Publish(p) = decode_one(&bytes, self.version) else {
                panic!(
                    "expected PUBLISH, got {:?}",
                    decode_one(&bytes, self.version)
                );
            };
            match (p.qos, p.packet_id) {
                (QoS::AtLeastOnce, Some(id)) => self.send(Packet::PubAck(Ack::new(id))),
                (QoS::ExactlyOnce, Some(id)) => {
                    self.send(Packet::PubRec(Ack::new(id)));
                    let rel = self.recv_bytes();
                    assert!(
                        matches!(decode_one(&rel, self.version), Packet::PubRel(a) if a.packet_id == id)
                    );
                    self.send(Packet::PubComp(Ack::new(id)));
                }
                _ => {}
            }
            if want_sys || !p.topic.starts_with("$SYS") {
                return bytes;
            }
        }
    }
}

fn decode_one(bytes: &[u8], version: Version) -> Packet<'_> {
    match decode(bytes, version) {
        Ok(Status::Complete((packet, _))) => packet,
        other => panic!("not a whole packet: {other:?}"),
    }
}

fn session(port: u16, version: Version) {
    let tag = version.level();
    let root = format!("interop/{tag}");
    let sub_filter = format!("{root}/#");
    let will_topic = format!("{root}/will");

    // Subscriber: wildcards at QoS 2, and $SYS/# at QoS 0.
    let mut sub = Conn::open(port, version);
    sub.connect(Connect::new(version, &format!("wire-sub-{tag}")));
    let granted = sub.subscribe(
        1,
        &[
            Subscription::new(&sub_filter, QoS::ExactlyOnce),
            Subscription::new("+/+/never", QoS::AtLeastOnce),
        ],
    );
    assert_eq!(granted, [ReasonCode::GrantedQoS2, ReasonCode::GrantedQoS1]);

    // Publisher with a will, QoS 0/1/2 publishes, a retained one, 5.0 properties.
    let mut publisher = Conn::open(port, version);
    let will = Will {
        qos: QoS::AtLeastOnce,
        ..Will::new(&will_topic, b"publisher vanished")
    };
    publisher.connect(Connect {
        will: Some(will),
        ..Connect::new(version, &format!("wire-pub-{tag}"))
    });
    let topic = format!("{root}/data");
    let user = [
        Property::UserProperty("origin", "mqtt-wire"),
        Property::ContentType("text/plain"),
    ];
    for (i, qos) in [QoS::AtMostOnce, QoS::AtLeastOnce, QoS::ExactlyOnce]
        .into_iter()
        .enumerate()
    {
        let payload = format!("message {i}");
        let mut p = Publish {
            qos,
            packet_id: PacketId::new(10 + i as u16).filter(|_| qos != QoS::AtMostOnce),
            ..Publish::new(&topic, payload.as_bytes())
        };
        if version.is_v5() {
            p.properties = Properties::new(&user);
        }
        publisher.publish(p);
        let got = sub.receive_publish(false);
        let Packet::Publish(r) = decode_one(&got, version) else {
            unreachable!()
        };
        assert_eq!(
            (r.topic, r.payload, r.qos),
            (topic.as_str(), payload.as_bytes(), qos)
        );
        if version.is_v5() {
            let pairs: Vec<_> = r.properties.user_properties().collect();
            assert_eq!(pairs, [("origin", "mqtt-wire")]);
            assert_eq!(r.properties.content_type(), Some("text/plain"));
        }
    }
    let retained_topic = format!("{root}/retained");
    publisher.publish(Publish {
        retain: true,
        ..Publish::new(&retained_topic, b"kept")
    });
    let _live = sub.receive_publish(false);

    // A late subscriber gets the retained message with the retain flag set.
    let mut late = Conn::open(port, version);
    late.connect(Connect::new(version, &format!("wire-late-{tag}")));
    assert_eq!(
        late.subscribe(2, &[Subscription::new(&retained_topic, QoS::AtMostOnce)]),
        [ReasonCode::Success]
    );
    let got = late.receive_publish(false);
    let Packet::Publish(r) = decode_one(&got, version) else {
        unreachable!()
    };
    assert!(r.retain && r.payload == b"kept");
    // Clear it again (empty retained payload).
    publisher.publish(Publish {
        retain: true,
        ..Publish::new(&retained_topic, b"")
    });
    let _ = sub.receive_publish(false);
    let cleared = late.receive_publish(false);
    assert!(matches!(decode_one(&cleared, version), Packet::Publish(p) if p.payload.is_empty()));
    late.send(Packet::Unsubscribe(Unsubscribe::new(
        PacketId::new(3).unwrap(),
        TopicFilters::new(&[retained_topic.as_str()]),
    )));
    let bytes = late.recv_bytes();
    assert!(matches!(decode_one(&bytes, version), Packet::UnsubAck(a) if a.packet_id.get() == 3));

    // $SYS/#: mosquitto publishes its retained $SYS topics at once.
    assert_eq!(
        late.subscribe(4, &[Subscription::new("$SYS/#", QoS::AtMostOnce)]),
        [ReasonCode::Success]
    );
    let sys = late.receive_publish(true);
    let Packet::Publish(s) = decode_one(&sys, version) else {
        unreachable!()
    };
    assert!(s.topic.starts_with("$SYS/"), "{}", s.topic);

    // Keep-alive.
    late.send(Packet::PingReq);
    loop {
        let bytes = late.recv_bytes();
        match decode_one(&bytes, version) {
            Packet::PingResp => break,
            Packet::Publish(_) => continue, // more $SYS traffic
            other => panic!("expected PINGRESP, got {other:?}"),
        }
    }
    late.send(Packet::Disconnect(Disconnect::new()));

    // The publisher vanishes without DISCONNECT: its will reaches the subscriber.
    drop(publisher);
    let got = sub.receive_publish(false);
    let Packet::Publish(w) = decode_one(&got, version) else {
        unreachable!()
    };
    assert_eq!(
        (w.topic, w.payload),
        (will_topic.as_str(), &b"publisher vanished"[..])
    );
    sub.send(Packet::Disconnect(Disconnect::new()));
}

#[test]
#[cfg_attr(
    miri,
    ignore = "interop: starts the mosquitto broker and talks to it over TCP"
)]
fn mosquitto_speaks_with_mqtt_wire() {
    let required = std::env::var("MQTT_WIRE_REQUIRE_MOSQUITTO").is_ok_and(|v| v == "1");
    let Some(binary) = find_mosquitto() else {
        assert!(
            !required,
            "MQTT_WIRE_REQUIRE_MOSQUITTO=1 but no mosquitto binary was found"
        );
        eprintln!("mosquitto not installed: interop test not run (apt-get install mosquitto)");
        return;
    };
    let broker = Broker::start(&binary);
    for version in Version::ALL {
        session(broker.port, version);
    }
}
