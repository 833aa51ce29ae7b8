//! Interoperability of the example broker (`examples/broker.rs`, all mqtt-wire) with the
//! real paho-mqtt 2.x Python client, over TCP on 127.0.0.1.
//!
//! Starts the broker with `cargo run --example broker` on a free port and runs
//! `tests/paho/interop.py`, which drives paho-mqtt with MQTT 3.1, 3.1.1 and 5.0: CONNECT
//! with a will and a user name and password, wildcard SUBSCRIBE at QoS 0/1/2, PUBLISH at
//! QoS 0/1/2 in both directions (payloads, QoS downgrade, order), retained messages, 5.0
//! properties, UNSUBSCRIBE, PINGREQ with Keep Alive 1, wills after an abrupt close and after
//! a keep-alive timeout, and clean DISCONNECT; then a few hand-made broken clients (raw
//! sockets) that must lose their own connection with the right answer, and nothing else.
//!
//! Needs `python3` with `paho-mqtt>=2,<3`. Without it the test says so and passes, unless
//! `MQTT_WIRE_REQUIRE_PAHO=1` is set (as `.ci/run` does), in which case it fails.

use std::io::Read;
use std::net::{TcpListener, TcpStream};
use std::path::{Path, PathBuf};
use std::process::{Child, Command, ExitStatus, Stdio};
use std::time::{Duration, Instant};

/// The whole test, broker build included; the script itself takes about 17 s.
const TEST_TIMEOUT: Duration = Duration::from_secs(55);
/// Time left to the script at the latest.
const SCRIPT_MIN_TIME: Duration = Duration::from_secs(25);
/// Broker log lines shown when the test fails.
const LOG_TAIL: usize = 80;

fn manifest_dir() -> &'static Path {
    Path::new(env!("CARGO_MANIFEST_DIR"))
}

/// Why paho-mqtt 2.x cannot be used, if it cannot.
fn paho_missing() -> Option<String> {
    let check = "import paho.mqtt, paho.mqtt.enums; print(paho.mqtt.__version__)";
    match Command::new("python3").args(["-c", check]).output() {
        Err(e) => Some(format!("python3 cannot be started: {e}")),
        Ok(out) if !out.status.success() => Some(format!(
            "python3 -c 'import paho.mqtt' failed ({}): {}",
            out.status,
            String::from_utf8_lossy(&out.stderr).trim()
        )),
        Ok(out) => {
            let version = String::from_utf8_lossy(&out.stdout).trim().to_owned();
            let major = version
                .split('.')
                .next()
                .and_then(|m| m.parse::<u32>().ok());
            (major != Some(2)).then(|| format!("paho-mqtt {version} found, 2.x needed"))
        }
    }
}

/// A child process killed (and reaped) on drop.
struct Killed(Child);

impl Drop for Killed {
    fn drop(&mut self) {
        let _ = self.0.kill();
        let _ = self.0.wait();
    }
}

/// A file in the temp directory, removed on drop.
struct TempFile(PathBuf);

impl Drop for TempFile {
    fn drop(&mut self) {
        let _ = std::fs::remove_file(&self.0);
    }
}

/// The example broker on a free loopback port.
struct Broker {
    process: Killed,
    port: u16,
    log: TempFile,
}

impl Broker {
    /// Builds and starts the broker; it must listen before `deadline`. Its log (one line
    /// per packet) goes to a temporary file, shown when the test fails.
    fn start(deadline: Instant) -> Broker {
        let port = TcpListener::bind("127.0.0.1:0")
            .unwrap()
            .local_addr()
            .unwrap()
            .port();
        let log = TempFile(std::env::temp_dir().join(format!(
            "mqtt-wire-paho-broker-{}-{port}.log",
            std::process::id()
        )));
        let stderr = std::fs::File::create(&log.0).unwrap();
        // The features this test was built with, so that `cargo run` reuses the library
        // already compiled instead of building it again.
        let features: Vec<&str> = [
            ("std", cfg!(feature = "std")),
            ("defmt", cfg!(feature = "defmt")),
            ("heapless", cfg!(feature = "heapless")),
            ("arbitrary", cfg!(feature = "arbitrary")),
        ]
        .into_iter()
        .filter_map(|(name, on)| on.then_some(name))
        .collect();
        // `cargo run` replaces itself with the program (on Unix), so killing the child
        // kills the broker.
        let child = Command::new(env!("CARGO"))
            .current_dir(manifest_dir())
            .args(["run", "--quiet", "--example", "broker"])
            .args(["--features", &features.join(","), "--"])
            .args(["--port", &port.to_string()])
            .stdin(Stdio::null())
            .stdout(Stdio::null())
            .stderr(stderr)
            .spawn()
            .expect("start `cargo run --example broker`");
        let mut broker = Broker {
            process: Killed(child),
            port,
            log,
        };
        while TcpStream::connect(("127.0.0.1", port)).is_err() {
            if let Some(status) = broker.process.0.try_wait().unwrap() {
                panic!("the broker exited ({status}):\n{}", broker.log());
            }
            assert!(
                Instant::now() < deadline,
                "the broker did not listen on {port} in time:\n{}",
                broker.log()
            );
            std::thread::sleep(Duration::from_millis(100));
        }
        broker
    }

    /// The end of the broker's log.
    fn log(&mut self) -> String {
        let log = std::fs::read_to_string(&self.log.0).unwrap_or_default();
        let lines: Vec<&str> = log.lines().collect();
        lines[lines.len().saturating_sub(LOG_TAIL)..].join("\n")
    }
}

/// Runs a command to completion, killing it after `timeout`. Returns its status (`None`
/// when it had to be killed), stdout and stderr.
fn run_with_timeout(command: &mut Command, timeout: Duration) -> (Option<ExitStatus>, String) {
    let mut child = command
        .stdin(Stdio::null())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .expect("start python3");
    let drain = |mut pipe: Box<dyn Read + Send>| {
        std::thread::spawn(move || {
            let mut text = String::new();
            let _ = pipe.read_to_string(&mut text);
            text
        })
    };
    let stdout = drain(Box::new(child.stdout.take().unwrap()));
    let stderr = drain(Box::new(child.stderr.take().unwrap()));
    let mut child = Killed(child);
    let started = Instant::now();
    let status = loop {
        if let Some(status) = child.0.try_wait().unwrap() {
            break Some(status);
        }
        if started.elapsed() > timeout {
            break None;
        }
        std::thread::sleep(Duration::from_millis(50));
    };
    drop(child); // kills it if still running, which closes the pipes
    let output = format!(
        "--- stdout ---\n{}--- stderr ---\n{}",
        stdout.join().unwrap(),
        stderr.join().unwrap()
    );
    (status, output)
}

#[test]
#[cfg_attr(
    miri,
    ignore = "interop: runs the Python paho-mqtt client against the example broker over TCP"
)]
fn paho_client_talks_to_the_example_broker() {
    let required = std::env::var("MQTT_WIRE_REQUIRE_PAHO").is_ok_and(|v| v == "1");
    if let Some(why) = paho_missing() {
        assert!(!required, "MQTT_WIRE_REQUIRE_PAHO=1 but {why}");
        eprintln!("{why}: paho interop test not run (pip install 'paho-mqtt>=2,<3')");
        return;
    }
    let deadline = Instant::now() + TEST_TIMEOUT;
    let mut broker = Broker::start(deadline - SCRIPT_MIN_TIME);
    let script = manifest_dir().join("tests/paho/interop.py");
    let started = Instant::now();
    let script_timeout = deadline - started;
    let (status, output) = run_with_timeout(
        Command::new("python3")
            .arg("-u")
            .arg(&script)
            .arg(broker.port.to_string()),
        script_timeout,
    );
    let elapsed = started.elapsed();
    let Some(status) = status else {
        panic!(
            "interop.py did not finish within {script_timeout:.1?}\n{output}\n--- broker ---\n{}",
            broker.log()
        );
    };
    assert!(
        status.success(),
        "interop.py failed ({status}) after {elapsed:.1?}\n{output}\n--- broker ---\n{}",
        broker.log()
    );
    // The broker must still be up: nothing the client did brought it down.
    assert!(
        broker.process.0.try_wait().unwrap().is_none(),
        "the broker exited during the test:\n{}",
        broker.log()
    );
    println!("paho interop passed in {elapsed:.1?}\n{output}");
}
