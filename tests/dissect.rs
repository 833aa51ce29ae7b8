//! Runs the `dissect` example (examples/dissect.rs) on valid and malformed input and checks
//! its tree and JSON output. Expected offsets and values are worked out here from the input
//! bytes and the packet layouts, never copied from the tool's output.

mod common;

use std::io::Write;
use std::path::{Path, PathBuf};
use std::process::{Command, Stdio};
use std::sync::OnceLock;

use common::{captured_packets, hex};

/// Builds the example once (with the `cargo` running these tests) and returns its path,
/// as cargo reports it, so that `CARGO_TARGET_DIR` and friends are respected.
fn exe() -> &'static Path {
    static EXE: OnceLock<PathBuf> = OnceLock::new();
    EXE.get_or_init(|| {
        let out = Command::new(env!("CARGO"))
            .args(["build", "--quiet", "--example", "dissect"])
            .arg("--message-format=json")
            .current_dir(env!("CARGO_MANIFEST_DIR"))
            .stderr(Stdio::inherit())
            .output()
            .expect("cannot run cargo");
        assert!(out.status.success(), "cargo build --example dissect failed");
        let stdout = String::from_utf8(out.stdout).unwrap();
        stdout
            .lines()
            .filter(|l| l.contains(r#""reason":"compiler-artifact""#))
            .filter(|l| l.contains(r#""kind":["example"]"#) && l.contains(r#""name":"dissect""#))
            .find_map(|l| json_string(l, "executable"))
            .map(PathBuf::from)
            .expect("cargo did not report the dissect executable")
    })
}

struct Run {
    code: i32,
    out: String,
    err: String,
}

fn run(args: &[&str], stdin: &[u8]) -> Run {
    let mut child = Command::new(exe())
        .args(args)
        .current_dir(env!("CARGO_MANIFEST_DIR"))
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .expect("cannot start dissect");
    let mut pipe = child.stdin.take().unwrap();
    let input = stdin.to_vec();
    let writer = std::thread::spawn(move || {
        // The tool may stop reading early (e.g. usage errors); that is fine.
        let _ = pipe.write_all(&input);
    });
    let out = child.wait_with_output().unwrap();
    writer.join().unwrap();
    Run {
        code: out.status.code().unwrap_or(-1),
        out: String::from_utf8(out.stdout).expect("stdout is UTF-8"),
        err: String::from_utf8(out.stderr).expect("stderr is UTF-8"),
    }
}

/// The value of `"key":"..."` in one JSON line (no escapes expected in the value), with
/// `\\` unescaped (Windows paths).
fn json_string(line: &str, key: &str) -> Option<String> {
    let start = line.find(&format!("\"{key}\":\""))? + key.len() + 4;
    let mut value = String::new();
    let mut chars = line[start..].chars();
    while let Some(c) = chars.next() {
        match c {
            '"' => return Some(value),
            '\\' => value.push(chars.next()?),
            c => value.push(c),
        }
    }
    None
}

/// The raw text of a number or boolean value `"key":123` in one JSON line.
fn json_scalar<'l>(line: &'l str, key: &str) -> Option<&'l str> {
    let start = line.find(&format!("\"{key}\":"))? + key.len() + 3;
    let rest = &line[start..];
    let end = rest
        .find(|c: char| !(c.is_ascii_alphanumeric() || c == '-'))
        .unwrap_or(rest.len());
    Some(&rest[..end])
}

/// The packet type name for a first byte, from the spec's table (MQTT 5.0 §2.1.2).
fn type_name(first: u8) -> &'static str {
    [
        "reserved",
        "CONNECT",
        "CONNACK",
        "PUBLISH",
        "PUBACK",
        "PUBREC",
        "PUBREL",
        "PUBCOMP",
        "SUBSCRIBE",
        "SUBACK",
        "UNSUBSCRIBE",
        "UNSUBACK",
        "PINGREQ",
        "PINGRESP",
        "DISCONNECT",
        "AUTH",
    ][usize::from(first >> 4)]
}

fn to_hex(b: &[u8]) -> String {
    b.iter().map(|x| format!("{x:02x}")).collect()
}

/// The packets of a demo stream file: one hex line per packet, `#` lines are comments
/// (testdata/README.md, "Demo stream format").
fn demo_packets(name: &str) -> Vec<Vec<u8>> {
    let path = Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("testdata")
        .join(name);
    std::fs::read_to_string(path)
        .unwrap()
        .lines()
        .map(str::trim)
        .filter(|l| !l.is_empty() && !l.starts_with('#'))
        .map(hex)
        .collect()
}

fn find(haystack: &[u8], needle: &[u8]) -> usize {
    haystack
        .windows(needle.len())
        .position(|w| w == needle)
        .unwrap_or_else(|| panic!("{needle:?} not in the stream"))
}

/// Asserts that a tree line starts with `offset` and holds `label` and then `value`.
#[track_caller]
fn assert_field(tree: &str, offset: usize, label: &str, value: &str) {
    let found = tree.lines().any(|l| {
        let mut parts = l.trim_start().splitn(2, ' ');
        parts.next() == Some(offset.to_string().as_str())
            && parts.next().is_some_and(|rest| {
                let rest = rest.trim_start();
                rest.starts_with(label) && rest[label.len()..].contains(value)
            })
    });
    assert!(found, "no line `{offset} {label} ... {value}` in:\n{tree}");
}

#[test]
#[cfg_attr(miri, ignore = "runs cargo and the dissect example: processes")]
fn demo_tree_shows_every_packet_and_field_at_its_stream_offset() {
    let packets = demo_packets("demo.hex");
    let stream: Vec<u8> = packets.concat();
    let r = run(&["testdata/demo.hex"], b"");
    assert_eq!(r.code, 0, "{}{}", r.out, r.err);
    assert!(r.err.is_empty(), "{}", r.err);
    assert!(
        r.out
            .contains("MQTT 5.0 (level 5, from the CONNECT at offset 0)")
    );

    let mut at = 0;
    for (i, p) in packets.iter().enumerate() {
        let title = format!("#{} {}  at {at}, {} bytes", i + 1, type_name(p[0]), p.len());
        assert!(r.out.contains(&title), "missing {title:?} in:\n{}", r.out);
        assert_field(&r.out, at, "fixed header", &format!("0x{:02x}", p[0]));
        at += p.len();
    }
    assert!(
        r.out
            .contains(&format!("{} packets, {at} bytes", packets.len()))
    );

    // CONNECT (§3.1.2): protocol name at 2, level at 8, flags at 9, keep alive at 10.
    assert_field(&r.out, 2, "protocol name", "\"MQTT\"");
    assert_field(&r.out, 8, "protocol level", "5");
    assert_field(&r.out, 9, "connect flags", &format!("0x{:02x}", stream[9]));
    assert_field(&r.out, 10, "keep alive", "2 s");
    let id = find(&stream, b"\x00\x0emqtt-wire-demo");
    assert_field(&r.out, id, "client id", "\"mqtt-wire-demo\"");
    let user = find(&stream, b"\x00\x05alice");
    assert_field(&r.out, user, "user name", "\"alice\"");
    assert_field(&r.out, user + 7, "password", "6 bytes  736563726574");
    // A property line starts at its identifier byte: User Property is 0x26.
    let prop = find(&stream, b"\x26\x00\x07purpose\x00\x04demo");
    assert_field(&r.out, prop, "0x26 User Property", "\"purpose\" = \"demo\"");

    // PUBLISH QoS 1 (§3.3): flags, topic, packet id, then properties, then the payload.
    let publish = packets[0].len() + packets[1].len();
    assert_field(&r.out, publish, "fixed header", "DUP 0, QoS 1, RETAIN 0");
    let topic = find(&stream, b"\x00\x0ddemo/greeting");
    assert_field(&r.out, topic, "topic name", "\"demo/greeting\"");
    assert_field(&r.out, topic + 15, "packet id", "2");
    let payload = find(&stream, b"hello from mqtt-wire");
    assert_field(&r.out, payload, "payload", "20 bytes");
    assert_field(&r.out, payload, "payload", "\"hello from mqtt-wire\"");
    let lang = find(&stream, b"\x26\x00\x04lang");
    assert_field(&r.out, lang, "0x26 User Property", "\"lang\" = \"en\"");
}

#[test]
#[cfg_attr(miri, ignore = "runs cargo and the dissect example: processes")]
fn server_stream_needs_level_5_and_says_the_level_was_a_guess() {
    let guessed = run(&["testdata/demo_server.hex"], b"");
    assert_eq!(guessed.code, 1);
    assert!(guessed.out.contains("level 4, default"), "{}", guessed.out);
    assert!(guessed.out.contains("MALFORMED packet at offset 0"));
    assert!(guessed.out.contains("--level 5"), "{}", guessed.out);
    assert!(guessed.out.contains("cannot be resynchronised"));

    let packets = demo_packets("demo_server.hex");
    let r = run(&["--level", "5", "testdata/demo_server.hex"], b"");
    assert_eq!(r.code, 0, "{}{}", r.out, r.err);
    assert!(r.out.contains("MQTT 5.0 (level 5, from --level)"));
    // CONNACK (§3.2.2): flags at 2, reason code at 3, property length at 4.
    assert_field(&r.out, 2, "acknowledge flags", "session present 0");
    assert_field(&r.out, 3, "reason code", "0x00 Success");
    assert_field(&r.out, 5, "0x22 Topic Alias Maximum", "10");
    // SUBACK (§3.9): packet id, property length, one reason code per filter.
    let suback = packets[0].len();
    assert_field(&r.out, suback + 2, "packet id", "1");
    assert_field(&r.out, suback + 5, "reason code", "0x01 Granted QoS 1");
    assert!(r.out.contains(&format!("{} packets", packets.len())));
}

#[test]
#[cfg_attr(miri, ignore = "runs cargo and the dissect example: processes")]
fn json_stream_reencodes_every_demo_packet() {
    let packets = demo_packets("demo.hex");
    let r = run(&["--json", "testdata/demo.hex"], b"");
    assert_eq!(r.code, 0, "{}", r.err);
    let lines: Vec<&str> = r.out.lines().collect();
    assert_eq!(lines.len(), packets.len());
    let mut at = 0;
    for (line, p) in lines.iter().zip(&packets) {
        assert!(line.starts_with(r#"{"ok":true,"#), "{line}");
        assert_eq!(json_string(line, "type").as_deref(), Some(type_name(p[0])));
        assert_eq!(json_scalar(line, "version"), Some("5"));
        assert_eq!(json_scalar(line, "offset"), Some(at.to_string().as_str()));
        assert_eq!(json_scalar(line, "len"), Some(p.len().to_string().as_str()));
        assert_eq!(json_string(line, "reencoded"), Some(to_hex(p)));
        at += p.len();
    }
    assert!(lines[0].contains(r#""client_id":"mqtt-wire-demo""#));
    assert!(lines[0].contains(r#""will":{"qos":1,"retain":true,"#));
    assert!(lines[2].contains(r#""topic":"demo/greeting""#));
    assert!(lines[2].contains(&format!(
        r#""payload_hex":"{}""#,
        to_hex(b"hello from mqtt-wire")
    )));
    assert!(
        lines[2]
            .contains(r#"{"id":38,"name":"User Property","value":{"key":"lang","value":"en"}}"#)
    );
}

#[test]
#[cfg_attr(miri, ignore = "runs cargo and the dissect example: processes")]
fn lines_mode_reencodes_every_line_of_every_v5_capture_file() {
    let dir = Path::new(env!("CARGO_MANIFEST_DIR")).join("testdata/v5");
    let mut files: Vec<PathBuf> = std::fs::read_dir(dir)
        .unwrap()
        .map(|e| e.unwrap().path())
        .filter(|p| p.extension().is_some_and(|x| x == "txt"))
        .collect();
    files.sort();
    assert!(!files.is_empty());
    for file in files {
        let text = std::fs::read_to_string(&file).unwrap();
        // Each packet line is `<dir> <level> <hex>  # description`.
        let expected: Vec<String> = text
            .lines()
            .map(str::trim)
            .filter(|l| !l.is_empty() && !l.starts_with('#'))
            .map(|l| l.split_whitespace().nth(2).unwrap().to_string())
            .collect();
        // The file goes in as it is: comments and the C/S column are skipped.
        let r = run(&["--lines"], text.as_bytes());
        assert_eq!(r.code, 0, "{}: {}", file.display(), r.err);
        assert!(r.err.is_empty(), "{}: {}", file.display(), r.err);
        let lines: Vec<&str> = r.out.lines().collect();
        assert_eq!(lines.len(), expected.len(), "{}", file.display());
        for (line, hex) in lines.iter().zip(&expected) {
            assert_eq!(
                json_string(line, "reencoded").as_ref(),
                Some(hex),
                "{}: {line}",
                file.display()
            );
        }
    }
}

#[test]
#[cfg_attr(miri, ignore = "runs cargo and the dissect example: processes")]
fn lines_mode_dissects_every_captured_packet_of_all_three_versions() {
    let captured = captured_packets();
    let input: String = captured
        .iter()
        .map(|c| format!("{} {}\n", c.level, to_hex(&c.bytes)))
        .collect();
    let r = run(&["--lines"], input.as_bytes());
    assert_eq!(r.code, 0);
    // The tool warns on stderr when its field offsets do not add up to the packet length
    // or re-encoding differs: neither may happen for any captured packet.
    assert!(r.err.is_empty(), "{}", r.err);
    let lines: Vec<&str> = r.out.lines().collect();
    assert_eq!(lines.len(), captured.len());
    let mut seen = std::collections::BTreeSet::new();
    for (line, c) in lines.iter().zip(captured) {
        let at = format!("{}:{}", c.file.display(), c.line);
        assert!(line.starts_with(r#"{"ok":true,"#), "{at}: {line}");
        let ty = type_name(c.bytes[0]);
        assert_eq!(json_string(line, "type").as_deref(), Some(ty), "{at}");
        assert_eq!(
            json_scalar(line, "version"),
            Some(c.level.to_string().as_str()),
            "{at}"
        );
        assert_eq!(
            json_string(line, "reencoded"),
            Some(to_hex(&c.bytes)),
            "{at}"
        );
        seen.insert((c.level, ty));
    }
    // Every packet type except AUTH (5.0 only, not used by mosquitto 2.0.11 or paho) is in
    // the captures of every version; AUTH is covered by `auth_packets_are_dissected`.
    for level in [3, 4, 5] {
        for first in 1..=14u8 {
            let ty = type_name(first << 4);
            assert!(
                seen.contains(&(level, ty)),
                "no {ty} captured for level {level}"
            );
        }
    }
}

#[test]
#[cfg_attr(miri, ignore = "runs cargo and the dissect example: processes")]
fn auth_packets_are_dissected() {
    // AUTH (MQTT 5.0 §3.15): reason 0x18, property length 4, Authentication Method "x".
    let auth = "f006180415000178";
    let r = run(&["--level", "5", auth], b"");
    assert_eq!(r.code, 0, "{}{}", r.out, r.err);
    assert!(r.out.contains("#1 AUTH  at 0, 8 bytes"), "{}", r.out);
    assert_field(&r.out, 2, "reason code", "0x18 Continue authentication");
    assert_field(&r.out, 3, "properties", "1 in 4 bytes");
    assert_field(&r.out, 4, "0x15 Authentication Method", "\"x\"");

    let lines = run(
        &["--lines"],
        format!("5 {auth}\n5 f000\n4 f000\n").as_bytes(),
    );
    let lines: Vec<&str> = lines.out.lines().collect();
    assert_eq!(lines.len(), 3);
    assert_eq!(json_string(lines[0], "type").as_deref(), Some("AUTH"));
    assert_eq!(json_string(lines[0], "reencoded").as_deref(), Some(auth));
    assert_eq!(json_scalar(lines[0], "reason_code"), Some("24"));
    // The 2-byte AUTH: reason code 0x00 implied (§3.15.2.1).
    assert_eq!(json_string(lines[1], "reencoded").as_deref(), Some("f000"));
    assert_eq!(json_scalar(lines[1], "reason_code"), Some("0"));
    // Packet type 15 is reserved before 5.0 (MQTT 3.1.1 §2.2.1): an error at byte 0, named
    // by the decoder (the rule, or the diagnosis that the bytes are a 5.0 AUTH).
    assert!(
        lines[2].starts_with(r#"{"ok":false,"error":""#),
        "{}",
        lines[2]
    );
    assert_eq!(json_scalar(lines[2], "error_offset_in_packet"), Some("0"));
    let kind = json_string(lines[2], "error").unwrap();
    assert!(
        kind == "InvalidPacketType" || kind == "WrongProtocolVersion",
        "{}",
        lines[2]
    );
}

#[test]
#[cfg_attr(miri, ignore = "runs cargo and the dissect example: processes")]
fn mqtt_3_3_1_4_qos_3_publish_is_malformed() {
    let publish = "3603000161";
    let r = run(&["--level", "5", publish], b"");
    assert_eq!(r.code, 1);
    assert!(r.out.contains("MALFORMED packet at offset 0"), "{}", r.out);
    assert!(r.out.contains("error:   InvalidQoS"));
    assert!(r.out.contains("message: PUBLISH QoS is 3"));
    assert!(r.out.contains("reason code 0x81 Malformed Packet"));

    let r = run(&["--level", "5", "--json", publish], b"");
    let line = r.out.trim_end();
    assert!(
        line.starts_with(r#"{"ok":false,"error":"InvalidQoS","offset":0,"#),
        "{line}"
    );
    assert_eq!(json_scalar(line, "reason_code"), Some("129"));

    // Under 3.1.1 there is no reason code to send.
    let r = run(&["--lines"], format!("4 {publish}\n").as_bytes());
    assert!(r.out.contains(r#""error":"InvalidQoS""#), "{}", r.out);
    assert!(!r.out.contains("reason_code"), "{}", r.out);
}

#[test]
#[cfg_attr(miri, ignore = "runs cargo and the dissect example: processes")]
fn an_error_stops_the_stream_and_its_offset_is_absolute() {
    // PINGREQ, then a QoS 3 PUBLISH at offset 2, then another PINGREQ that is never reached.
    let r = run(&["--level", "4", "c000 3603000161 c000"], b"");
    assert_eq!(r.code, 1);
    assert!(r.out.contains("#1 PINGREQ  at 0, 2 bytes"));
    assert!(r.out.contains("MALFORMED packet at offset 2"), "{}", r.out);
    assert!(r.out.contains("offset:  2 (byte 0 of this packet)"));
    assert!(r.out.contains("cannot be resynchronised"));
    assert!(!r.out.contains("#2 "), "{}", r.out);

    let r = run(&["--level", "4", "--json", "c000 3603000161 c000"], b"");
    let lines: Vec<&str> = r.out.lines().collect();
    assert_eq!(lines.len(), 2, "{}", r.out);
    assert_eq!(json_scalar(lines[1], "offset"), Some("2"));
    assert_eq!(json_scalar(lines[1], "stream_offset"), Some("2"));
    assert_eq!(json_scalar(lines[1], "error_offset_in_packet"), Some("0"));
}

/// In `--json` stream mode every answer's "offset" is where its packet starts in the
/// stream; an error's byte is given both ways, with keys that say which: counted from the
/// stream ("stream_offset") and from the packet ("error_offset_in_packet", the N of the
/// message's "(at byte N)"). MQTT-1.5.3-1: the topic byte 0xFF is ill-formed UTF-8.
#[test]
#[cfg_attr(miri, ignore = "runs cargo and the dissect example: processes")]
fn mqtt_1_5_3_1_json_error_offsets_say_which_is_which() {
    // PINGREQ (2 bytes), then a PUBLISH whose 1-byte topic is 0xFF: byte 4 of the packet,
    // byte 6 of the stream.
    let r = run(&["--level", "4", "--json", "c000 30030001ff"], b"");
    let lines: Vec<&str> = r.out.lines().collect();
    assert_eq!(lines.len(), 2, "{}", r.out);
    let err = lines[1];
    assert_eq!(json_string(err, "error").as_deref(), Some("InvalidUtf8"));
    assert_eq!(json_scalar(err, "offset"), Some("2"), "{err}");
    assert_eq!(json_scalar(err, "stream_offset"), Some("6"), "{err}");
    assert_eq!(
        json_scalar(err, "error_offset_in_packet"),
        Some("4"),
        "{err}"
    );
    assert!(err.contains("(at byte 4)"), "{err}");
    // The first packet's "offset" means the same: where it starts.
    assert_eq!(json_scalar(lines[0], "offset"), Some("0"));
    // One packet per line: only the offset in the packet.
    let r = run(&["--lines"], b"4 30030001ff\n");
    let line = r.out.trim_end();
    assert_eq!(
        json_scalar(line, "error_offset_in_packet"),
        Some("4"),
        "{line}"
    );
    assert_eq!(json_scalar(line, "stream_offset"), None, "{line}");
    assert_eq!(json_scalar(line, "offset"), None, "{line}");
}

#[test]
#[cfg_attr(miri, ignore = "runs cargo and the dissect example: processes")]
fn mqtt_3_3_2_8_zero_topic_alias_answers_0x94() {
    // PUBLISH "a", property length 3 at offset 5, Topic Alias (0x23) at 6, its value 0 at 7.
    let r = run(&["--level", "5", "300700016103230000"], b"");
    assert_eq!(r.code, 1);
    assert!(r.out.contains("error:   ZeroTopicAlias"), "{}", r.out);
    assert!(r.out.contains("offset:  7 "), "{}", r.out);
    assert!(
        r.out.contains("reason code 0x94 Topic Alias invalid"),
        "{}",
        r.out
    );
}

/// The start of a TLS 1.2 ClientHello record: handshake (0x16), version 3.1, length,
/// ClientHello (0x01), its length, client version 3.3, then random bytes.
const CLIENT_HELLO: &[u8] = &[
    0x16, 0x03, 0x01, 0x00, 0xa5, 0x01, 0x00, 0x00, 0xa1, 0x03, 0x03, 0x5e, 0x1f, 0x2a, 0x90, 0x11,
    0x42, 0x07,
];

#[test]
#[cfg_attr(miri, ignore = "runs cargo and the dissect example: processes")]
fn tls_client_hello_is_named() {
    let r = run(&[], CLIENT_HELLO);
    assert_eq!(r.code, 1);
    assert!(r.out.contains("raw bytes"), "{}", r.out);
    assert!(r.out.contains("TlsOnPlainPort"), "{}", r.out);
    assert!(r.out.contains("TLS"), "{}", r.out);
    let r = run(&["--json", "-"], CLIENT_HELLO);
    assert!(
        r.out
            .starts_with(r#"{"ok":false,"error":"TlsOnPlainPort","offset":0,"#),
        "{}",
        r.out
    );
    let r = run(
        &["--lines"],
        format!("4 {}\n", to_hex(CLIENT_HELLO)).as_bytes(),
    );
    assert!(r.out.contains(r#""error":"TlsOnPlainPort""#), "{}", r.out);
}

#[test]
#[cfg_attr(miri, ignore = "runs cargo and the dissect example: processes")]
fn http_requests_are_named() {
    let get = b"GET /mqtt HTTP/1.1\r\nHost: localhost:1883\r\nUpgrade: websocket\r\n\r\n";
    let r = run(&[], get);
    assert_eq!(r.code, 1);
    assert!(r.out.contains("HttpOnMqttPort"), "{}", r.out);
    assert!(r.out.contains("HTTP"), "{}", r.out);
    // "PO" reads as a PUBREC with Remaining Length 0x4f, which no 3.1.1 PUBREC has (it is
    // 2 bytes, §3.5.1): refused at the fixed header, where the bytes already name HTTP.
    let post = b"POST /mqtt HTTP/1.1\r\nHost: localhost:1883\r\nContent-Type: text/plain\r\n\
                 Content-Length: 5\r\n\r\nhello";
    assert!(post.len() > 81);
    let r = run(&["--json", "-"], post);
    assert!(r.out.contains(r#""error":"HttpOnMqttPort""#), "{}", r.out);
    // Without waiting for the 81 bytes the PUBREC would announce.
    let r = run(&["--json", "-"], &post[..40]);
    assert!(r.out.contains(r#""error":"HttpOnMqttPort""#), "{}", r.out);
    // Under 5.0 a PUBREC may be that long: only the start of a packet, and the tool says so.
    let r = run(&["--json", "--level", "5", "-"], &post[..40]);
    assert_eq!(r.out.trim_end(), r#"{"ok":false,"partial":41,"offset":0}"#);
}

#[test]
#[cfg_attr(miri, ignore = "runs cargo and the dissect example: processes")]
fn truncated_stream_says_how_many_bytes_are_missing() {
    let packets = demo_packets("demo.hex");
    let stream = packets.concat();
    let cut = &stream[..stream.len() - 3];
    let last = stream.len() - packets.last().unwrap().len();
    // The last packet's fixed header is complete, so exactly the 3 cut bytes are missing.
    let r = run(&["-"], to_hex(cut).as_bytes());
    assert_eq!(r.code, 1);
    assert!(
        r.out
            .contains(&format!("INCOMPLETE packet at offset {last}")),
        "{}",
        r.out
    );
    assert!(r.out.contains("3 more bytes needed"), "{}", r.out);

    let r = run(&["--json", "-"], cut);
    let tail = r.out.lines().last().unwrap();
    assert_eq!(
        tail,
        format!(r#"{{"ok":false,"partial":3,"offset":{last}}}"#)
    );
}

#[test]
#[cfg_attr(miri, ignore = "runs cargo and the dissect example: processes")]
fn lines_mode_empty_hex_is_partial_and_connect_level_wins() {
    let connect = to_hex(&demo_packets("demo.hex")[0]);
    let r = run(&["--lines"], format!("5\n3 {connect}\n").as_bytes());
    let lines: Vec<&str> = r.out.lines().collect();
    assert_eq!(lines[0], r#"{"ok":false,"partial":2}"#);
    // The CONNECT says level 5; the line said 3.
    assert_eq!(json_scalar(lines[1], "version"), Some("5"));
    assert_eq!(json_string(lines[1], "reencoded"), Some(connect));
}

#[test]
#[cfg_attr(miri, ignore = "runs cargo and the dissect example: processes")]
fn binary_stdin_gives_the_same_packets_as_hex() {
    let stream = demo_packets("demo.hex").concat();
    let from_hex = run(&["--json", "testdata/demo.hex"], b"");
    let from_bin = run(&["--json"], &stream);
    assert_eq!(from_bin.code, 0, "{}", from_bin.err);
    assert!(!from_hex.out.is_empty());
    assert_eq!(from_bin.out, from_hex.out);
}

#[test]
#[cfg_attr(miri, ignore = "runs cargo and the dissect example: processes")]
fn hex_and_binary_can_be_forced() {
    // "c000" is a PINGREQ as hex; as raw bytes it starts with 0x63, a PUBREL with flags
    // 0011 instead of 0010 (MQTT-2.2.2-1).
    let auto = run(&["--json"], b"c000\n");
    assert!(auto.out.contains(r#""type":"PINGREQ""#), "{}", auto.out);
    let hex = run(&["--json", "--hex"], b"c000\n");
    assert_eq!(hex.out, auto.out);
    let bin = run(&["--json", "--binary"], b"c000\n");
    assert!(
        bin.out.contains(r#""error":"ReservedFlags""#),
        "{}",
        bin.out
    );
}

#[test]
#[cfg_attr(miri, ignore = "runs cargo and the dissect example: processes")]
fn strings_are_escaped_in_json_and_tree() {
    // 3.1.1 PUBLISH, topic `a"\` + U+0001 (allowed by the spec's default rules), payload
    // "x\n".
    let publish = "30 08 00 04 61 22 5c 01 78 0a".replace(' ', "");
    let r = run(&["--lines"], format!("4 {publish}\n").as_bytes());
    let line = r.out.trim_end();
    assert!(line.contains(r#""topic":"a\"\\\u0001""#), "{line}");
    assert!(line.contains(r#""payload_hex":"780a""#), "{line}");
    let r = run(&[&publish], b"");
    assert_field(&r.out, 2, "topic name", r#""a\"\\\u0001""#);
    assert_field(&r.out, 8, "payload", r#"2 bytes  780a  "x\n""#);
}

#[test]
#[cfg_attr(miri, ignore = "runs cargo and the dissect example: processes")]
fn bad_usage_exits_2() {
    assert_eq!(run(&["--level", "7", "c000"], b"").code, 2);
    assert_eq!(run(&["--bogus"], b"").code, 2);
    assert_eq!(run(&["c00"], b"").code, 2); // odd number of hex digits
    assert_eq!(run(&["--help"], b"").code, 0);
}
