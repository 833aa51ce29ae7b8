//! `examples/client.rs` (an async MQTT 5.0 client on tokio through `MqttCodec`) against the
//! real mosquitto broker on 127.0.0.1, with a password file made by `mosquitto_passwd`.
//!
//! Needs `mosquitto` and `mosquitto_passwd` (Debian package `mosquitto`). Without them the
//! test says so and passes, unless `MQTT_WIRE_REQUIRE_MOSQUITTO=1` is set (as `.ci/run`
//! does), in which case they are required.

#[path = "../examples/client.rs"]
#[allow(dead_code)]
mod client;

use std::net::{TcpListener, TcpStream};
use std::path::{Path, PathBuf};
use std::process::{Child, Command, Stdio};
use std::time::{Duration, Instant};

use mqtt_wire::QoS;

const USER: &str = "alice";
const PASSWORD: &str = "s3cret wire";

fn find(name: &str, dirs: &[&str]) -> Option<PathBuf> {
    dirs.iter()
        .map(|d| Path::new(d).join(name))
        .find(|p| p.exists())
}

/// mosquitto on a free loopback port, anonymous clients refused, one user; killed on drop.
struct Broker {
    child: Child,
    port: u16,
    dir: PathBuf,
}

impl Broker {
    fn start(mosquitto: &Path, passwd: &Path) -> Broker {
        let port = TcpListener::bind("127.0.0.1:0")
            .unwrap()
            .local_addr()
            .unwrap()
            .port();
        let dir = std::env::temp_dir().join(format!(
            "mqtt-wire-interop-client-{}-{port}",
            std::process::id()
        ));
        std::fs::create_dir_all(&dir).unwrap();
        let passwords = dir.join("passwords");
        let status = Command::new(passwd)
            .arg("-c")
            .arg("-b")
            .arg(&passwords)
            .args([USER, PASSWORD])
            .stdout(Stdio::null())
            .stderr(Stdio::null())
            .status()
            .expect("run mosquitto_passwd");
        assert!(status.success(), "mosquitto_passwd failed");
        let conf = dir.join("mosquitto.conf");
        std::fs::write(
            &conf,
            format!(
                "listener {port} 127.0.0.1\nallow_anonymous false\npassword_file {}\npersistence false\n",
                passwords.display()
            ),
        )
        .unwrap();
        let child = Command::new(mosquitto)
            .arg("-c")
            .arg(&conf)
            .stdout(Stdio::null())
            .stderr(Stdio::null())
            .spawn()
            .expect("start mosquitto");
        let started = Instant::now();
        while TcpStream::connect(("127.0.0.1", port)).is_err() {
            assert!(
                started.elapsed() < Duration::from_secs(10),
                "mosquitto did not start listening on {port}"
            );
            std::thread::sleep(Duration::from_millis(50));
        }
        Broker { child, port, dir }
    }
}

impl Drop for Broker {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
        let _ = std::fs::remove_dir_all(&self.dir);
    }
}

fn config(port: u16, password: &str) -> client::Config {
    let args = [
        "--port",
        &port.to_string(),
        "--user",
        USER,
        "--password",
        password,
        "--topic",
        "interop/client",
    ]
    .map(String::from);
    client::Config::from_args(args.into_iter()).unwrap()
}

fn block_on<T>(f: impl std::future::Future<Output = T>) -> T {
    tokio::runtime::Builder::new_current_thread()
        .enable_all()
        .build()
        .unwrap()
        .block_on(f)
}

#[test]
#[cfg_attr(
    miri,
    ignore = "interop: starts the mosquitto broker and talks to it over TCP"
)]
fn example_client_talks_to_mosquitto() {
    let required = std::env::var("MQTT_WIRE_REQUIRE_MOSQUITTO").is_ok_and(|v| v == "1");
    let dirs = ["/usr/sbin", "/usr/local/sbin", "/usr/bin", "/usr/local/bin"];
    let (Some(mosquitto), Some(passwd)) =
        (find("mosquitto", &dirs), find("mosquitto_passwd", &dirs))
    else {
        assert!(
            !required,
            "MQTT_WIRE_REQUIRE_MOSQUITTO=1 but mosquitto or mosquitto_passwd was not found"
        );
        eprintln!(
            "mosquitto not installed: client interop test not run (apt-get install mosquitto)"
        );
        return;
    };
    let broker = Broker::start(&mosquitto, &passwd);

    // The whole session: CONNECT (user, password, will), SUBSCRIBE, PUBLISH at QoS 0/1/2
    // with both handshakes in both roles, PINGREQ, DISCONNECT.
    let report = block_on(client::run(&config(broker.port, PASSWORD))).expect("client session");
    let log = report.log.join("\n");
    assert_eq!(report.granted, [QoS::ExactlyOnce], "{log}");
    let mut received = report.received.clone();
    received.sort();
    assert_eq!(
        received,
        [
            (
                "interop/client/q0".into(),
                QoS::AtMostOnce,
                b"hello at QoS 0".to_vec()
            ),
            (
                "interop/client/q1".into(),
                QoS::AtLeastOnce,
                b"hello at QoS 1".to_vec()
            ),
            (
                "interop/client/q2".into(),
                QoS::ExactlyOnce,
                b"hello at QoS 2".to_vec()
            ),
        ],
        "{log}"
    );
    for line in [
        "-> CONNECT v5 client",
        "<- CONNACK (s0, rc0",
        "-> SUBSCRIBE (m1, 'interop/client/#' q2",
        "<- SUBACK (m1, rc2",
        "<- PUBACK (m2, rc0",
        "<- PUBREC (m3, rc0",
        "-> PUBREL (m3, rc0",
        "<- PUBCOMP (m3, rc0",
        "-> PUBACK (m",
        "-> PUBREC (m",
        "<- PUBREL (m",
        "-> PUBCOMP (m",
        "-> PINGREQ",
        "<- PINGRESP",
        "-> DISCONNECT (rc0)",
    ] {
        assert!(
            report.log.iter().any(|l| l.starts_with(line)),
            "no line starting with {line:?} in\n{log}"
        );
    }
    assert!(
        log.contains("(c1, k30, u1, p1, will q1 r0 'interop/client/will')"),
        "{log}"
    );

    // A wrong password is refused in the CONNACK (mosquitto 2.0 answers 0x87 Not
    // authorized; 0x86 Bad User Name or Password would do too).
    let err = block_on(client::run(&config(broker.port, "wrong"))).unwrap_err();
    let msg = err.to_string();
    assert!(
        msg.contains("connection refused: 0x87") || msg.contains("connection refused: 0x86"),
        "{msg}"
    );
}
