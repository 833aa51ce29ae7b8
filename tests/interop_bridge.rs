//! A real mosquitto bridged to the example broker (`examples/broker.rs`), over TCP on
//! 127.0.0.1: mosquitto's `connection` to the broker sends a CONNECT with the bridge bit
//! (`try_private true`: level 0x84 for 3.1.1, 0x83 for 3.1), which the broker must accept
//! as a bridge (`Connect::bridge`), not refuse. Then a topic is bridged both ways, the
//! broker does not echo the bridge's own messages back to it (loop detection), and a
//! retained message keeps its RETAIN flag on its way to the bridge.
//!
//! Needs the `mosquitto` binary (Debian package `mosquitto`). Without it the test says so
//! and passes, unless `MQTT_WIRE_REQUIRE_MOSQUITTO=1` is set (as `.ci/run` does).

use std::io::{Read, Write};
use std::net::{TcpListener, TcpStream};
use std::path::{Path, PathBuf};
use std::process::{Child, Command, Stdio};
use std::time::{Duration, Instant};

use mqtt_wire::{
    Connect, Packet, PacketId, Publish, QoS, Status, Subscribe, Subscription, Subscriptions,
    Version, decode,
};

/// For each step (the broker's first build through `cargo run` may take longer).
const TIMEOUT: Duration = Duration::from_secs(10);
const BUILD_TIMEOUT: Duration = Duration::from_secs(120);
/// How long to wait for a copy that must not come.
const QUIET_TIME: Duration = Duration::from_millis(700);
const BRIDGE_ID: &str = "mqtt-wire-bridge";

fn manifest_dir() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR"))
}

fn free_port() -> u16 {
    TcpListener::bind("127.0.0.1:0")
        .unwrap()
        .local_addr()
        .unwrap()
        .port()
}

fn wait_listening(port: u16, child: &mut Child, what: &str, timeout: Duration) {
    let started = Instant::now();
    while TcpStream::connect(("127.0.0.1", port)).is_err() {
        if let Some(status) = child.try_wait().unwrap() {
            panic!("{what} exited ({status})");
        }
        assert!(
            started.elapsed() < timeout,
            "{what} did not listen on {port}"
        );
        std::thread::sleep(Duration::from_millis(50));
    }
}

/// A child process killed on drop, with a directory for its files removed on drop.
struct Proc {
    child: Child,
    dir: PathBuf,
}

impl Drop for Proc {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
        let _ = std::fs::remove_dir_all(&self.dir);
    }
}

fn temp_dir(name: &str, port: u16) -> PathBuf {
    let dir = std::env::temp_dir().join(format!(
        "mqtt-wire-bridge-{name}-{}-{port}",
        std::process::id()
    ));
    std::fs::create_dir_all(&dir).unwrap();
    dir
}

/// The example broker, its log (one line per packet) in `dir/broker.log`.
fn start_broker(port: u16) -> Proc {
    let dir = temp_dir("broker", port);
    let log = std::fs::File::create(dir.join("broker.log")).unwrap();
    let features: Vec<&str> = [
        ("std", cfg!(feature = "std")),
        ("defmt", cfg!(feature = "defmt")),
        ("heapless", cfg!(feature = "heapless")),
        ("arbitrary", cfg!(feature = "arbitrary")),
    ]
    .into_iter()
    .filter_map(|(name, on)| on.then_some(name))
    .collect();
    // `cargo run` replaces itself with the program (on Unix): killing it kills the broker.
    let child = Command::new(env!("CARGO"))
        .current_dir(manifest_dir())
        .args(["run", "--quiet", "--example", "broker"])
        .args(["--features", &features.join(","), "--"])
        .args(["--port", &port.to_string()])
        .stdin(Stdio::null())
        .stdout(Stdio::null())
        .stderr(log)
        .spawn()
        .expect("start `cargo run --example broker`");
    let mut p = Proc { child, dir };
    wait_listening(port, &mut p.child, "the example broker", BUILD_TIMEOUT);
    p
}

fn broker_log(broker: &Proc) -> String {
    std::fs::read_to_string(broker.dir.join("broker.log")).unwrap_or_default()
}

/// mosquitto listening on `port`, bridging `bridged/#` both ways to the broker on `remote`.
fn start_mosquitto(binary: &Path, port: u16, remote: u16, protocol: &str) -> Proc {
    let dir = temp_dir("mosquitto", port);
    let conf = dir.join("mosquitto.conf");
    std::fs::write(
        &conf,
        format!(
            "listener {port} 127.0.0.1\n\
             allow_anonymous true\n\
             persistence false\n\
             connection to-example-broker\n\
             address 127.0.0.1:{remote}\n\
             remote_clientid {BRIDGE_ID}\n\
             topic bridged/# both 1\n\
             try_private true\n\
             bridge_protocol_version {protocol}\n\
             cleansession true\n\
             notifications false\n\
             start_type automatic\n\
             restart_timeout 1\n"
        ),
    )
    .unwrap();
    let child = Command::new(binary)
        .arg("-c")
        .arg(&conf)
        .stdout(Stdio::null())
        .stderr(Stdio::null())
        .spawn()
        .expect("start mosquitto");
    let mut p = Proc { child, dir };
    wait_listening(port, &mut p.child, "mosquitto", TIMEOUT);
    p
}

/// One 3.1.1 client connection, encoded and decoded by mqtt-wire.
struct Conn {
    stream: TcpStream,
    buf: Vec<u8>,
}

const V: Version = Version::V3_1_1;

impl Conn {
    fn connect(port: u16, client_id: &str) -> Conn {
        let stream = TcpStream::connect(("127.0.0.1", port)).unwrap();
        let mut c = Conn {
            stream,
            buf: Vec::new(),
        };
        c.send(Packet::Connect(Connect::new(V, client_id)));
        let ack = c.recv(TIMEOUT).expect("CONNACK");
        assert!(matches!(decoded(&ack), Packet::ConnAck(a) if !a.reason_code.is_error()));
        c
    }

    fn send(&mut self, packet: Packet<'_>) {
        let mut out = vec![0u8; packet.encoded_len(V).unwrap()];
        packet.encode(V, &mut out).unwrap();
        self.stream.write_all(&out).unwrap();
    }

    /// The bytes of the next packet, or `None` if none comes within `timeout`.
    fn recv(&mut self, timeout: Duration) -> Option<Vec<u8>> {
        let deadline = Instant::now() + timeout;
        loop {
            if let Ok(Status::Complete((_, used))) = decode(&self.buf, V) {
                return Some(self.buf.drain(..used).collect());
            }
            let left = deadline.checked_duration_since(Instant::now())?;
            self.stream
                .set_read_timeout(Some(left.max(Duration::from_millis(1))))
                .unwrap();
            let mut chunk = [0u8; 4096];
            match self.stream.read(&mut chunk) {
                Ok(0) => panic!("connection closed"),
                Ok(n) => self.buf.extend_from_slice(&chunk[..n]),
                Err(_) => return None,
            }
        }
    }

    fn subscribe(&mut self, filter: &str) {
        let subs = [Subscription::new(filter, QoS::AtLeastOnce)];
        let id = PacketId::new(1).unwrap();
        self.send(Packet::Subscribe(Subscribe::new(
            id,
            Subscriptions::new(&subs),
        )));
        let ack = self.recv(TIMEOUT).expect("SUBACK");
        assert!(matches!(decoded(&ack), Packet::SubAck(_)));
    }

    /// A QoS 0 PUBLISH.
    fn publish(&mut self, topic: &str, payload: &[u8], retain: bool) {
        let p = Publish {
            retain,
            ..Publish::new(topic, payload)
        };
        self.send(Packet::Publish(p));
    }

    /// The next PUBLISH on `topic` within `timeout` (acknowledging QoS 1), as
    /// (payload, retain); other packets are skipped.
    fn next_publish(&mut self, topic: &str, timeout: Duration) -> Option<(Vec<u8>, bool)> {
        let deadline = Instant::now() + timeout;
        loop {
            let left = deadline.checked_duration_since(Instant::now())?;
            let bytes = self.recv(left)?;
            if let Packet::Publish(p) = decoded(&bytes) {
                if let Some(id) = p.packet_id {
                    self.send(Packet::PubAck(mqtt_wire::Ack::new(id)));
                }
                if p.topic == topic {
                    return Some((p.payload.to_vec(), p.retain));
                }
            }
        }
    }
}

fn decoded(bytes: &[u8]) -> Packet<'_> {
    match decode(bytes, V) {
        Ok(Status::Complete((p, _))) => p,
        other => panic!("{bytes:02X?}: {other:?}"),
    }
}

fn bridge_both_ways(protocol: &str, connect_line: &str) {
    let required = std::env::var("MQTT_WIRE_REQUIRE_MOSQUITTO").is_ok_and(|v| v == "1");
    let binary = PathBuf::from("/usr/sbin/mosquitto");
    if !binary.exists() {
        assert!(
            !required,
            "MQTT_WIRE_REQUIRE_MOSQUITTO=1 but no /usr/sbin/mosquitto"
        );
        eprintln!("no /usr/sbin/mosquitto: bridge interop test not run");
        return;
    }
    let (broker_port, mosquitto_port) = (free_port(), free_port());
    let broker = start_broker(broker_port);
    let _mosquitto = start_mosquitto(&binary, mosquitto_port, broker_port, protocol);

    // The bridge connects as a bridge, and subscribes to `bridged/#` on the broker.
    let started = Instant::now();
    let subscribed = format!("[{BRIDGE_ID}] <- Subscribe");
    loop {
        let log = broker_log(&broker);
        if log.contains(&subscribed) {
            assert!(log.contains(connect_line), "{connect_line:?} not in\n{log}");
            assert!(log.contains(&format!("[{BRIDGE_ID}] is a bridge")), "{log}");
            break;
        }
        assert!(
            started.elapsed() < TIMEOUT,
            "the bridge did not subscribe on the broker:\n{log}"
        );
        std::thread::sleep(Duration::from_millis(50));
    }

    let mut local = Conn::connect(mosquitto_port, "on-mosquitto");
    local.subscribe("bridged/#");
    let mut remote = Conn::connect(broker_port, "on-broker");
    remote.subscribe("bridged/#");

    // mosquitto -> bridge -> broker, and no copy back over the bridge: the local
    // subscriber gets its message exactly once.
    local.publish("bridged/up", b"from mosquitto", false);
    let got = remote.next_publish("bridged/up", TIMEOUT);
    assert_eq!(got, Some((b"from mosquitto".to_vec(), false)));
    let once = local.next_publish("bridged/up", TIMEOUT);
    assert_eq!(once, Some((b"from mosquitto".to_vec(), false)));
    assert_eq!(
        local.next_publish("bridged/up", QUIET_TIME),
        None,
        "echoed back"
    );
    let log = broker_log(&broker);
    let echo = format!("[{BRIDGE_ID}] -> PUBLISH \"bridged/up\"");
    assert!(
        !log.contains(&echo),
        "the broker echoed to the bridge:\n{log}"
    );

    // broker -> bridge -> mosquitto.
    remote.publish("bridged/down", b"from the broker", false);
    let got = local.next_publish("bridged/down", TIMEOUT);
    assert_eq!(got, Some((b"from the broker".to_vec(), false)));

    // A retained message keeps RETAIN towards the bridge, so mosquitto keeps it: a new
    // subscriber on mosquitto gets it as retained.
    remote.publish("bridged/kept", b"retained", true);
    let live = local.next_publish("bridged/kept", TIMEOUT);
    assert_eq!(live.map(|(p, _)| p), Some(b"retained".to_vec()));
    let kept = format!("[{BRIDGE_ID}] -> PUBLISH \"bridged/kept\" qos=0 id=None retain=true");
    let log = broker_log(&broker);
    assert!(log.contains(&kept), "{kept:?} not in\n{log}");
    let mut late = Conn::connect(mosquitto_port, "late-on-mosquitto");
    late.subscribe("bridged/kept");
    let got = late.next_publish("bridged/kept", TIMEOUT);
    assert_eq!(got, Some((b"retained".to_vec(), true)));
}

#[test]
#[cfg_attr(
    miri,
    ignore = "interop: runs mosquitto and the example broker over TCP"
)]
fn mosquitto_3_1_1_bridge_to_the_example_broker() {
    bridge_both_ways(
        "mqttv311",
        &format!("<- CONNECT 3.1.1 bridge client_id=\"{BRIDGE_ID}\""),
    );
}

#[test]
#[cfg_attr(
    miri,
    ignore = "interop: runs mosquitto and the example broker over TCP"
)]
fn mosquitto_3_1_bridge_to_the_example_broker() {
    bridge_both_ways(
        "mqttv31",
        &format!("<- CONNECT 3.1 bridge client_id=\"{BRIDGE_ID}\""),
    );
}
