//! Shared code for the peer comparison: the fixtures, one adapter per codec crate (all behind
//! the [`Peer`] trait), and the equivalence checks that run once before anything is timed.
//!
//! Every adapter decodes the very same bytes. A peer is measured on a case only if
//! [`check`] found that it decodes the fixture to the same fields as mqtt-wire and that what
//! it encodes decodes (with mqtt-wire) to the same packet again.

use std::collections::BTreeMap;
use std::fmt::Write as _;
use std::hint::black_box;

pub mod peers;

/// Protocol version of a case.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Ver {
    /// MQTT 3.1.1 (level 4).
    V311,
    /// MQTT 5.0 (level 5).
    V5,
}

impl Ver {
    /// The mqtt-wire version.
    pub fn wire(self) -> mqtt_wire::Version {
        match self {
            Ver::V311 => mqtt_wire::Version::V3_1_1,
            Ver::V5 => mqtt_wire::Version::V5,
        }
    }
}

/// One measured input.
#[derive(Clone, Copy, Debug)]
pub struct Case {
    /// Short id, used as the criterion group suffix.
    pub id: &'static str,
    /// What the bytes are.
    pub title: &'static str,
    /// Where the bytes come from.
    pub source: &'static str,
    /// Protocol version.
    pub ver: Ver,
    /// The bytes: one packet, or a stream of packets for `stream` cases.
    pub bytes: &'static [u8],
    /// A stream of several packets (decoded one after another; not encoded).
    pub stream: bool,
    /// Number of packets in `bytes` (1 unless `stream`).
    pub packets: usize,
    /// One of the shared fixtures of `benches/common/fixtures.rs` (the cases the project's
    /// targets are stated for), as opposed to an extra case from captured traffic.
    pub fixture: bool,
}

// Shared with the main crate's benches; owned there, so `cargo fmt` here leaves it alone.
#[rustfmt::skip]
#[path = "../../common/fixtures.rs"]
mod fixtures;

/// Parses hex digits, skipping whitespace and `#` comment lines.
pub fn unhex(text: &str) -> Vec<u8> {
    let digits: Vec<u8> = text
        .lines()
        .filter(|l| !l.trim_start().starts_with('#'))
        .flat_map(|l| l.bytes().filter(u8::is_ascii_hexdigit))
        .collect();
    assert!(digits.len().is_multiple_of(2), "odd number of hex digits");
    digits
        .chunks(2)
        .map(|p| u8::from_str_radix(std::str::from_utf8(p).unwrap(), 16).unwrap())
        .collect()
}

/// Finds the hex of the first `<dir> <level> <hex>` line of a capture file whose text contains
/// `needle`.
fn captured(file: &str, dir: &str, needle: &str) -> Vec<u8> {
    let text = std::fs::read_to_string(testdata(file)).unwrap();
    let line = text
        .lines()
        .find(|l| l.starts_with(&format!("{dir} ")) && l.contains(needle))
        .unwrap_or_else(|| panic!("no {dir} line with {needle:?} in {file}"));
    let hex = line.split_whitespace().nth(2).unwrap();
    unhex(hex)
}

fn testdata(file: &str) -> std::path::PathBuf {
    std::path::Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("../../testdata")
        .join(file)
}

/// Alignment of every fixture copy and fixed-size output buffer: a cache line, so that what a
/// codec does never depends on where the allocator happened to put the bytes.
pub const ALIGN: usize = 64;

/// A zeroed heap buffer aligned to [`ALIGN`] bytes (the fixed-size output buffers).
pub struct AlignedBuf {
    ptr: std::ptr::NonNull<u8>,
    len: usize,
}

impl AlignedBuf {
    fn layout(len: usize) -> std::alloc::Layout {
        std::alloc::Layout::from_size_align(len.max(1), ALIGN).expect("valid layout")
    }

    /// `len` zero bytes.
    pub fn zeroed(len: usize) -> Self {
        let layout = Self::layout(len);
        // SAFETY: the layout has a non-zero size.
        let raw = unsafe { std::alloc::alloc_zeroed(layout) };
        let ptr =
            std::ptr::NonNull::new(raw).unwrap_or_else(|| std::alloc::handle_alloc_error(layout));
        Self { ptr, len }
    }
}

impl std::ops::Deref for AlignedBuf {
    type Target = [u8];
    fn deref(&self) -> &[u8] {
        // SAFETY: `ptr` points to `len` initialised bytes owned by `self`.
        unsafe { std::slice::from_raw_parts(self.ptr.as_ptr(), self.len) }
    }
}

impl std::ops::DerefMut for AlignedBuf {
    fn deref_mut(&mut self) -> &mut [u8] {
        // SAFETY: as in `deref`, and `&mut self` makes the access unique.
        unsafe { std::slice::from_raw_parts_mut(self.ptr.as_ptr(), self.len) }
    }
}

impl Drop for AlignedBuf {
    fn drop(&mut self) {
        // SAFETY: allocated in `zeroed` with this very layout.
        unsafe { std::alloc::dealloc(self.ptr.as_ptr(), Self::layout(self.len)) }
    }
}

/// Copies `v` into a leaked [`ALIGN`]-aligned allocation (fixtures live for the whole run).
fn leak(v: Vec<u8>) -> &'static [u8] {
    let mut buf = AlignedBuf::zeroed(v.len());
    buf.copy_from_slice(&v);
    let buf = std::mem::ManuallyDrop::new(buf);
    // SAFETY: the allocation is never freed (ManuallyDrop), so the bytes live forever.
    unsafe { std::slice::from_raw_parts(buf.ptr.as_ptr(), buf.len) }
}

/// Length of the packet at the start of `b` (fixed header + Remaining Length), if complete.
pub fn frame_len(b: &[u8]) -> Option<usize> {
    let mut value = 0usize;
    for i in 0..4 {
        let byte = *b.get(1 + i)?;
        value |= usize::from(byte & 0x7f) << (7 * i);
        if byte & 0x80 == 0 {
            let total = 2 + i + value;
            return (total <= b.len()).then_some(total);
        }
    }
    None
}

/// Number of packets in `bytes`, walking the fixed headers only.
fn count_frames(mut bytes: &[u8]) -> usize {
    let mut n = 0;
    while !bytes.is_empty() {
        let len = frame_len(bytes).expect("fixture ends with a complete packet");
        bytes = &bytes[len..];
        n += 1;
    }
    n
}

fn fixture_ver(v: fixtures::FixtureVersion) -> Ver {
    match v {
        fixtures::FixtureVersion::V311 => Ver::V311,
        fixtures::FixtureVersion::V5 => Ver::V5,
    }
}

/// Every case, in report order: first the shared fixtures (`benches/common/fixtures.rs`, the
/// ones the project's targets are about), then two extra cases from captured traffic.
pub fn cases() -> Vec<Case> {
    let mut out: Vec<Case> = fixtures::all()
        .into_iter()
        .map(|f| {
            let bytes = leak(f.bytes);
            Case {
                id: f.id,
                title: f.title,
                source: "benches/common/fixtures.rs",
                ver: fixture_ver(f.version),
                bytes,
                stream: f.stream,
                packets: count_frames(bytes),
                fixture: true,
            }
        })
        .collect();
    out.extend(extra_cases());
    out
}

/// The cases from captured traffic (not part of the shared fixtures).
fn extra_cases() -> Vec<Case> {
    let connack = leak(captured("v5/paho_restricted_broker.txt", "S", "CONNACK"));
    let mut mixed = unhex(&std::fs::read_to_string(testdata("demo.hex")).unwrap());
    mixed.extend(unhex(
        &std::fs::read_to_string(testdata("demo_server.hex")).unwrap(),
    ));
    let mixed = leak(mixed);
    vec![
        Case {
            id: "connack_props_5",
            title: "5.0 CONNACK, 6 properties (captured)",
            source: "testdata/v5/paho_restricted_broker.txt",
            ver: Ver::V5,
            bytes: connack,
            stream: false,
            packets: 1,
            fixture: false,
        },
        Case {
            id: "mixed_stream_5",
            title: "5.0 stream: demo.hex + demo_server.hex (captured)",
            source: "testdata/demo.hex + testdata/demo_server.hex",
            ver: Ver::V5,
            bytes: mixed,
            stream: true,
            packets: count_frames(mixed),
            fixture: false,
        },
    ]
}

/// One case, building only its own bytes: [`cases`] builds the 1 MiB stream every time, which
/// would dominate every short run under callgrind. `icount --list` checks that this gives the
/// same case as [`cases`] for every id (the `title` is just the id here).
pub fn case(id: &str) -> Option<Case> {
    use fixtures::FixtureVersion::{V5, V311};
    let (id, bytes, version, stream): (&'static str, Vec<u8>, _, bool) = match id {
        "publish_qos0_311" => (
            "publish_qos0_311",
            fixtures::publish_qos0_311(),
            V311,
            false,
        ),
        "publish_qos1_1k_311" => (
            "publish_qos1_1k_311",
            fixtures::publish_qos1_1k_311(),
            V311,
            false,
        ),
        "connect_311" => ("connect_311", fixtures::connect_311(), V311, false),
        "subscribe_311" => ("subscribe_311", fixtures::subscribe_311(), V311, false),
        "puback_311" => ("puback_311", fixtures::puback_311(), V311, false),
        "publish_props_5" => ("publish_props_5", fixtures::publish_props_5(), V5, false),
        "connect_props_5" => ("connect_props_5", fixtures::connect_props_5(), V5, false),
        "subscribe_opts_5" => ("subscribe_opts_5", fixtures::subscribe_opts_5(), V5, false),
        "puback_5" => ("puback_5", fixtures::puback_5(), V5, false),
        "stream_311" => ("stream_311", fixtures::stream_311().0, V311, true),
        _ => return extra_cases().into_iter().find(|c| c.id == id),
    };
    let bytes = leak(bytes);
    Some(Case {
        id,
        title: id,
        source: "benches/common/fixtures.rs",
        ver: fixture_ver(version),
        bytes,
        stream,
        packets: count_frames(bytes),
        fixture: true,
    })
}

/// Field-by-field view of a decoded packet, built from each crate's own accessors.
pub type Summary = BTreeMap<&'static str, String>;

/// Lowercase hex of some bytes.
pub fn hex(b: &[u8]) -> String {
    let mut s = String::with_capacity(b.len() * 2);
    for x in b {
        let _ = write!(s, "{x:02x}");
    }
    s
}

/// Builds a [`Summary`].
pub fn sum(kind: &str) -> Summary {
    let mut m = Summary::new();
    m.insert("kind", kind.to_owned());
    m
}

/// A codec crate under comparison.
pub trait Peer {
    /// Crate name (and module) shown in the results.
    const NAME: &'static str;
    /// What decoding consumes. Crates that decode from an owned buffer (`BytesMut`) get a fresh
    /// copy per iteration, made outside the timed region (it stands for the socket read).
    type Input;
    /// Whether `Input` is an owned buffer that decoding consumes (then each iteration gets a
    /// fresh one from an untimed setup step).
    const OWNED_INPUT: bool = false;
    /// Whether the decode benchmarks include this entry.
    const DECODE: bool = true;
    /// A decoded packet in the form the crate encodes from.
    type Enc;
    /// The output buffer the crate encodes into (reused across iterations).
    type Buf;

    /// Whether the crate has an API for this case at all.
    fn supports(case: &Case) -> bool;
    /// Makes the decode input from the fixture bytes (not timed).
    fn input(bytes: &'static [u8]) -> Self::Input;
    /// Decodes every packet of `input` (drops them too); returns how many. This is what the
    /// decode benchmarks time.
    fn decode_all(input: &mut Self::Input, ver: Ver) -> Result<usize, String>;
    /// Decodes every packet and describes each with the crate's own accessors.
    fn summaries(bytes: &'static [u8], ver: Ver) -> Result<Vec<Summary>, String>;
    /// Decodes the single packet of a non-stream case into encodable form.
    fn prepare(bytes: &'static [u8], ver: Ver) -> Result<Self::Enc, String>;
    /// A reusable output buffer.
    fn new_buf() -> Self::Buf;
    /// Encodes `enc` into `buf` (reused: cleared first); returns the bytes written. This is
    /// what the encode benchmarks time.
    fn encode(enc: &mut Self::Enc, ver: Ver, buf: &mut Self::Buf) -> Result<usize, String>;
    /// The bytes the last [`Peer::encode`] wrote.
    fn written(buf: &Self::Buf, n: usize) -> Vec<u8>;
    /// How the crate holds decoded strings and binaries (for the fairness notes).
    const DECODED_FORM: &'static str;
}

/// Canonical full description of a packet decoded by mqtt-wire: `Debug` of the packet with its
/// property lists taken out, then every property list with the non-user properties sorted (so
/// that a crate that keeps properties in a map still compares equal) and user properties kept
/// in wire order.
pub fn canonical(bytes: &[u8], ver: Ver) -> Result<Vec<String>, String> {
    use mqtt_wire::{Packet, Properties, Status};
    let mut out = Vec::new();
    let mut rest = bytes;
    while !rest.is_empty() {
        let (mut p, n) = match mqtt_wire::decode(rest, ver.wire()) {
            Ok(Status::Complete(x)) => x,
            Ok(Status::Partial(n)) => return Err(format!("partial, {n} more bytes needed")),
            Err(e) => return Err(format!("{e:?}")),
        };
        rest = &rest[n..];
        let mut lists: Vec<Properties<'_>> = Vec::new();
        fn take<'a>(lists: &mut Vec<Properties<'a>>, props: &mut Properties<'a>) {
            lists.push(std::mem::replace(props, Properties::EMPTY));
        }
        match &mut p {
            Packet::Connect(c) => {
                take(&mut lists, &mut c.properties);
                if let Some(w) = &mut c.will {
                    take(&mut lists, &mut w.properties);
                }
            }
            Packet::ConnAck(c) => take(&mut lists, &mut c.properties),
            Packet::Publish(x) => take(&mut lists, &mut x.properties),
            Packet::PubAck(a) | Packet::PubRec(a) | Packet::PubRel(a) | Packet::PubComp(a) => {
                take(&mut lists, &mut a.properties);
                // The short forms are equivalent; only the reason code counts.
                a.form = mqtt_wire::TailForm::Shortest;
            }
            Packet::Subscribe(s) => take(&mut lists, &mut s.properties),
            Packet::SubAck(s) => take(&mut lists, &mut s.properties),
            Packet::Unsubscribe(s) => take(&mut lists, &mut s.properties),
            Packet::UnsubAck(s) => take(&mut lists, &mut s.properties),
            Packet::Disconnect(d) => {
                take(&mut lists, &mut d.properties);
                d.form = mqtt_wire::TailForm::Shortest;
            }
            Packet::Auth(d) => {
                take(&mut lists, &mut d.properties);
                d.form = mqtt_wire::TailForm::Shortest;
            }
            Packet::PingReq | Packet::PingResp => {}
        }
        let mut s = format!("{p:?}");
        for props in lists {
            let mut items: Vec<String> = props.iter().map(|x| format!("{x:?}")).collect();
            // Stable sort on the variant name: user properties keep their order.
            items.sort_by_key(|x| {
                let name = x.split('(').next().unwrap_or("").to_owned();
                if name == "UserProperty" {
                    "~".to_owned()
                } else {
                    x.clone()
                }
            });
            let _ = write!(s, " props{items:?}");
        }
        out.push(s);
    }
    Ok(out)
}

/// Outcome of the equivalence checks of one crate on one case.
#[derive(Clone, Debug)]
pub struct Checked {
    /// `Ok` if the crate decodes the fixture to the same fields as mqtt-wire.
    pub decode: Result<(), String>,
    /// `Ok(identical)` if what the crate encodes (from its own decoded packet) decodes with
    /// mqtt-wire to the same packet; `identical` tells whether the bytes are the fixture's.
    /// `Err` also when the case is a stream (not encoded) or decode failed.
    pub encode: Result<bool, String>,
}

/// Runs the equivalence checks (outside any timing loop).
pub fn check<P: Peer>(case: &Case) -> Checked {
    let reference = peers::Wire::summaries(case.bytes, case.ver).expect("mqtt-wire decodes");
    let decode = match P::summaries(case.bytes, case.ver) {
        Ok(s) if s == reference => match P::decode_all(&mut P::input(case.bytes), case.ver) {
            Ok(n) if n == reference.len() => Ok(()),
            Ok(n) => Err(format!("decoded {n} packets, expected {}", reference.len())),
            Err(e) => Err(e),
        },
        Ok(s) => Err(first_difference(&reference, &s)),
        Err(e) => Err(e),
    };
    let encode = if case.stream {
        Err("stream: not encoded".to_owned())
    } else if let Err(e) = &decode {
        Err(format!("not decoded: {e}"))
    } else {
        encode_check::<P>(case)
    };
    Checked { decode, encode }
}

fn encode_check<P: Peer>(case: &Case) -> Result<bool, String> {
    let mut enc = P::prepare(case.bytes, case.ver)?;
    let mut buf = P::new_buf();
    let n = P::encode(&mut enc, case.ver, &mut buf)?;
    let out = P::written(&buf, n);
    // Encode a second time into the same buffer: the benchmark reuses it.
    let n2 = P::encode(&mut enc, case.ver, &mut buf)?;
    if P::written(&buf, n2) != out {
        return Err("second encode into the reused buffer differs".to_owned());
    }
    let want = canonical(case.bytes, case.ver)?;
    let got = canonical(&out, case.ver).map_err(|e| format!("output not valid MQTT: {e}"))?;
    if got != want {
        return Err(format!(
            "output decodes differently: {}",
            first_difference_str(&want, &got)
        ));
    }
    Ok(out == case.bytes)
}

fn first_difference(want: &[Summary], got: &[Summary]) -> String {
    if want.len() != got.len() {
        return format!("{} packets, expected {}", got.len(), want.len());
    }
    for (i, (w, g)) in want.iter().zip(got).enumerate() {
        if w != g {
            return format!("packet {i}: expected {w:?}, got {g:?}");
        }
    }
    "?".to_owned()
}

fn first_difference_str(want: &[String], got: &[String]) -> String {
    for (w, g) in want.iter().zip(got) {
        if w != g {
            return format!("expected {w}, got {g}");
        }
    }
    format!("{} packets, expected {}", got.len(), want.len())
}

/// Keeps a decoded value alive until here (so the optimiser cannot skip decoding) and drops it.
#[inline(always)]
pub fn consume<T>(x: T) {
    black_box(&x);
    drop(x);
}

/// Calls `$f::<Peer>($args)` for every peer, in table order.
#[macro_export]
macro_rules! for_each_peer {
    ($f:ident ( $($arg:expr),* )) => {{
        $f::<$crate::peers::Wire>($($arg),*);
        $f::<$crate::peers::WireBuilt>($($arg),*);
        $f::<$crate::peers::MqttBytes>($($arg),*);
        $f::<$crate::peers::Mqttrs>($($arg),*);
        $f::<$crate::peers::MqttFormat>($($arg),*);
        $f::<$crate::peers::MqttProtocol>($($arg),*);
        $f::<$crate::peers::CodecKit>($($arg),*);
        $f::<$crate::peers::Mqtt5Protocol>($($arg),*);
        $f::<$crate::peers::RustMqtt>($($arg),*);
    }};
}
