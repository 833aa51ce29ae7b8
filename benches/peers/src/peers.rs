//! One [`Peer`] adapter per crate. Each uses only the crate's public decode/encode API.

use std::future::Future;
use std::pin::pin;
use std::task::{Context, Poll, Waker};

use bytes::BytesMut;

use crate::{AlignedBuf, Case, Peer, Summary, Ver, consume, frame_len, hex, sum};

/// Room for the biggest single-packet case (the 1 KiB PUBLISH) in the output buffers.
const OUT: usize = 8192;
/// Largest packet the crates with a size limit accept.
const MAX: usize = 1 << 20;

fn opt<T: ToString>(x: Option<T>) -> String {
    x.map_or_else(|| "-".to_owned(), |v| v.to_string())
}

fn publish_sum(
    qos: u8,
    id: Option<u16>,
    topic: &str,
    payload: &[u8],
    retain: bool,
    dup: bool,
) -> Summary {
    let mut s = sum("PUBLISH");
    s.insert("qos", qos.to_string());
    s.insert("id", opt(id));
    s.insert("topic", topic.to_owned());
    s.insert("payload", hex(payload));
    s.insert("retain", retain.to_string());
    s.insert("dup", dup.to_string());
    s
}

#[allow(clippy::too_many_arguments)]
fn connect_sum(
    client_id: &str,
    keep_alive: u16,
    clean: bool,
    will: Option<(&str, &[u8], u8, bool)>,
    username: Option<&str>,
    password: Option<&[u8]>,
) -> Summary {
    let mut s = sum("CONNECT");
    s.insert("client_id", client_id.to_owned());
    s.insert("keep_alive", keep_alive.to_string());
    s.insert("clean", clean.to_string());
    s.insert(
        "will",
        will.map_or_else(
            || "-".to_owned(),
            |(t, p, q, r)| format!("{t} {} q{q} r{r}", hex(p)),
        ),
    );
    s.insert("username", opt(username));
    s.insert("password", opt(password.map(hex)));
    s
}

/// `filters`: each filter with its options byte as on the wire (3.1.1: just the QoS; 5.0:
/// QoS | No Local << 2 | Retain As Published << 3 | Retain Handling << 4).
fn subscribe_sum(id: u16, filters: impl Iterator<Item = (String, u8)>) -> Summary {
    let mut s = sum("SUBSCRIBE");
    s.insert("id", id.to_string());
    let f: Vec<String> = filters.map(|(f, o)| format!("{f}:{o:#04x}")).collect();
    s.insert("filters", f.join(";"));
    s
}

/// The options byte from its parts.
fn options(qos: u8, no_local: bool, retain_as_published: bool, retain_handling: u8) -> u8 {
    qos | u8::from(no_local) << 2 | u8::from(retain_as_published) << 3 | retain_handling << 4
}

fn connack_sum(session_present: bool, code: u8) -> Summary {
    let mut s = sum("CONNACK");
    s.insert("session_present", session_present.to_string());
    s.insert("code", code.to_string());
    s
}

fn id_sum(kind: &str, id: u16) -> Summary {
    let mut s = sum(kind);
    s.insert("id", id.to_string());
    s
}

/// A PUBACK: packet id and reason code (0 under 3.1.1, which has none).
fn puback_sum(id: u16, code: u8) -> Summary {
    let mut s = id_sum("PUBACK", id);
    s.insert("code", code.to_string());
    s
}

fn suback_sum(id: u16, codes: impl Iterator<Item = u8>) -> Summary {
    let mut s = id_sum("SUBACK", id);
    let c: Vec<String> = codes.map(|c| c.to_string()).collect();
    s.insert("codes", c.join(","));
    s
}

fn other_sum(kind: &str) -> Summary {
    sum(kind)
}

fn err<E: std::fmt::Debug>(e: E) -> String {
    format!("{e:?}")
}

/// The packet type (high nibble of the first byte) of every packet in `bytes`.
fn frame_types(mut bytes: &[u8]) -> impl Iterator<Item = u8> + '_ {
    std::iter::from_fn(move || {
        let n = frame_len(bytes)?;
        let t = bytes[0] >> 4;
        bytes = &bytes[n..];
        Some(t)
    })
}

/// Runs an async write that never waits (the writer is a `Vec`) to completion in one poll.
fn poll_once<F: Future>(f: F) -> F::Output {
    let mut f = pin!(f);
    let mut cx = Context::from_waker(Waker::noop());
    match f.as_mut().poll(&mut cx) {
        Poll::Ready(v) => v,
        Poll::Pending => panic!("write into a Vec returned Pending"),
    }
}

// ---------------------------------------------------------------------------------------------
// mqtt-wire

/// mqtt-wire (this crate): borrowed views, no allocation.
pub struct Wire;

impl Peer for Wire {
    const NAME: &'static str = "mqtt-wire";
    const DECODED_FORM: &'static str =
        "borrows &str/&[u8] from the input; lists stay as validated wire bytes";
    type Input = &'static [u8];
    type Enc = mqtt_wire::Packet<'static>;
    type Buf = AlignedBuf;

    fn supports(_: &Case) -> bool {
        true
    }
    fn input(bytes: &'static [u8]) -> Self::Input {
        bytes
    }
    #[inline(never)]
    fn decode_all(input: &mut Self::Input, ver: Ver) -> Result<usize, String> {
        let mut rest = *input;
        let mut count = 0;
        while !rest.is_empty() {
            match mqtt_wire::decode(rest, ver.wire()).map_err(err)? {
                mqtt_wire::Status::Complete((p, n)) => {
                    consume(p);
                    rest = &rest[n..];
                    count += 1;
                }
                mqtt_wire::Status::Partial(_) => return Err("partial".to_owned()),
            }
        }
        Ok(count)
    }
    fn summaries(bytes: &'static [u8], ver: Ver) -> Result<Vec<Summary>, String> {
        use mqtt_wire::Packet as P;
        let mut rest = bytes;
        let mut out = Vec::new();
        while !rest.is_empty() {
            let (p, n) = match mqtt_wire::decode(rest, ver.wire()).map_err(err)? {
                mqtt_wire::Status::Complete(x) => x,
                mqtt_wire::Status::Partial(_) => return Err("partial".to_owned()),
            };
            rest = &rest[n..];
            out.push(match p {
                P::Publish(x) => publish_sum(
                    x.qos as u8,
                    x.packet_id.map(|i| i.get()),
                    x.topic,
                    x.payload,
                    x.retain,
                    x.dup,
                ),
                P::Connect(c) => connect_sum(
                    c.client_id,
                    c.keep_alive,
                    c.clean_start,
                    c.will
                        .as_ref()
                        .map(|w| (w.topic, w.payload, w.qos as u8, w.retain)),
                    c.username,
                    c.password,
                ),
                P::Subscribe(s) => subscribe_sum(
                    s.packet_id.get(),
                    s.subscriptions.iter().map(|x| {
                        let o = x.options;
                        (
                            x.filter.to_owned(),
                            options(
                                o.qos as u8,
                                o.no_local,
                                o.retain_as_published,
                                o.retain_handling as u8,
                            ),
                        )
                    }),
                ),
                P::ConnAck(c) => connack_sum(c.session_present, u8::from(c.reason_code)),
                P::PubAck(a) => puback_sum(a.packet_id.get(), u8::from(a.reason_code)),
                P::SubAck(s) => suback_sum(s.packet_id.get(), s.reason_codes.iter().map(u8::from)),
                P::PingReq => other_sum("PINGREQ"),
                P::PingResp => other_sum("PINGRESP"),
                P::Disconnect(_) => other_sum("DISCONNECT"),
                other => return Err(format!("no summary for {:?}", other.packet_type())),
            });
        }
        Ok(out)
    }
    fn prepare(bytes: &'static [u8], ver: Ver) -> Result<Self::Enc, String> {
        match mqtt_wire::decode(bytes, ver.wire()).map_err(err)? {
            mqtt_wire::Status::Complete((p, _)) => Ok(p),
            mqtt_wire::Status::Partial(_) => Err("partial".to_owned()),
        }
    }
    fn new_buf() -> Self::Buf {
        AlignedBuf::zeroed(OUT)
    }
    #[inline(never)]
    fn encode(enc: &mut Self::Enc, ver: Ver, buf: &mut Self::Buf) -> Result<usize, String> {
        enc.encode(ver.wire(), buf).map_err(err)
    }
    fn written(buf: &Self::Buf, n: usize) -> Vec<u8> {
        buf[..n].to_vec()
    }
}

// ---------------------------------------------------------------------------------------------
// mqttbytes 0.6 (rumqtt's codec before it moved into rumqttc)

/// mqttbytes: `v4` and `v5` modules, decodes from a `BytesMut` stream.
pub struct MqttBytes;

/// A decoded mqttbytes packet of either version.
#[allow(clippy::large_enum_variant)] // set-up only, never moved in a timed loop
pub enum MbPacket {
    /// 3.1.1
    V4(mqttbytes::v4::Packet),
    /// 5.0
    V5(mqttbytes::v5::Packet),
}

impl Peer for MqttBytes {
    const NAME: &'static str = "mqttbytes";
    const DECODED_FORM: &'static str = "topic/strings copied into String, payload a Bytes slice of the frame (refcounted), lists in Vec";
    type Input = BytesMut;
    const OWNED_INPUT: bool = true;
    type Enc = MbPacket;
    type Buf = BytesMut;

    fn supports(_: &Case) -> bool {
        true
    }
    fn input(bytes: &'static [u8]) -> Self::Input {
        BytesMut::from(bytes)
    }
    #[inline(never)]
    fn decode_all(input: &mut Self::Input, ver: Ver) -> Result<usize, String> {
        let mut count = 0;
        while !input.is_empty() {
            match ver {
                Ver::V311 => consume(mqttbytes::v4::read(input, MAX).map_err(err)?),
                Ver::V5 => consume(mqttbytes::v5::read(input, MAX).map_err(err)?),
            }
            count += 1;
        }
        Ok(count)
    }
    fn summaries(bytes: &'static [u8], ver: Ver) -> Result<Vec<Summary>, String> {
        let mut input = BytesMut::from(bytes);
        let mut out = Vec::new();
        while !input.is_empty() {
            out.push(match ver {
                Ver::V311 => {
                    use mqttbytes::v4::Packet as P;
                    match mqttbytes::v4::read(&mut input, MAX).map_err(err)? {
                        P::Publish(x) => publish_sum(
                            x.qos as u8,
                            (x.qos as u8 > 0).then_some(x.pkid),
                            &x.topic,
                            &x.payload,
                            x.retain,
                            x.dup,
                        ),
                        P::Connect(c) => connect_sum(
                            &c.client_id,
                            c.keep_alive,
                            c.clean_session,
                            c.last_will
                                .as_ref()
                                .map(|w| (w.topic.as_str(), &w.message[..], w.qos as u8, w.retain)),
                            c.login.as_ref().map(|l| l.username.as_str()),
                            c.login.as_ref().map(|l| l.password.as_bytes()),
                        ),
                        P::Subscribe(s) => subscribe_sum(
                            s.pkid,
                            s.filters.iter().map(|f| (f.path.clone(), f.qos as u8)),
                        ),
                        P::PubAck(a) => puback_sum(a.pkid, 0),
                        P::PingReq => other_sum("PINGREQ"),
                        other => return Err(format!("no summary for {other:?}")),
                    }
                }
                Ver::V5 => {
                    use mqttbytes::v5::Packet as P;
                    match mqttbytes::v5::read(&mut input, MAX).map_err(err)? {
                        P::Publish(x) => publish_sum(
                            x.qos as u8,
                            (x.qos as u8 > 0).then_some(x.pkid),
                            &x.topic,
                            &x.payload,
                            x.retain,
                            x.dup,
                        ),
                        P::Connect(c) => connect_sum(
                            &c.client_id,
                            c.keep_alive,
                            c.clean_session,
                            c.last_will
                                .as_ref()
                                .map(|w| (w.topic.as_str(), &w.message[..], w.qos as u8, w.retain)),
                            c.login.as_ref().map(|l| l.username.as_str()),
                            c.login.as_ref().map(|l| l.password.as_bytes()),
                        ),
                        P::Subscribe(s) => {
                            use mqttbytes::v5::RetainForwardRule as R;
                            subscribe_sum(
                                s.pkid,
                                s.filters.iter().map(|f| {
                                    let rh = match f.retain_forward_rule {
                                        R::OnEverySubscribe => 0,
                                        R::OnNewSubscribe => 1,
                                        R::Never => 2,
                                    };
                                    let o = options(f.qos as u8, f.nolocal, f.preserve_retain, rh);
                                    (f.path.clone(), o)
                                }),
                            )
                        }
                        P::ConnAck(c) => connack_sum(c.session_present, c.code as u8),
                        P::PubAck(a) => puback_sum(a.pkid, a.reason as u8),
                        P::SubAck(s) => suback_sum(s.pkid, s.return_codes.iter().map(|c| *c as u8)),
                        P::PingReq => other_sum("PINGREQ"),
                        P::PingResp => other_sum("PINGRESP"),
                        P::Disconnect(_) => other_sum("DISCONNECT"),
                        other => return Err(format!("no summary for {other:?}")),
                    }
                }
            });
        }
        Ok(out)
    }
    fn prepare(bytes: &'static [u8], ver: Ver) -> Result<Self::Enc, String> {
        let mut input = BytesMut::from(bytes);
        Ok(match ver {
            Ver::V311 => MbPacket::V4(mqttbytes::v4::read(&mut input, MAX).map_err(err)?),
            Ver::V5 => MbPacket::V5(mqttbytes::v5::read(&mut input, MAX).map_err(err)?),
        })
    }
    fn new_buf() -> Self::Buf {
        BytesMut::with_capacity(OUT)
    }
    #[inline(never)]
    fn encode(enc: &mut Self::Enc, _: Ver, buf: &mut Self::Buf) -> Result<usize, String> {
        buf.clear();
        match enc {
            MbPacket::V4(p) => {
                use mqttbytes::v4::Packet as P;
                match p {
                    P::Publish(x) => x.write(buf),
                    P::Connect(x) => x.write(buf),
                    P::Subscribe(x) => x.write(buf),
                    P::ConnAck(x) => x.write(buf),
                    P::PubAck(x) => x.write(buf),
                    _ => return Err("not wired up".to_owned()),
                }
            }
            MbPacket::V5(p) => {
                use mqttbytes::v5::Packet as P;
                match p {
                    P::Publish(x) => x.write(buf),
                    P::Connect(x) => x.write(buf),
                    P::Subscribe(x) => x.write(buf),
                    P::ConnAck(x) => x.write(buf),
                    P::PubAck(x) => x.write(buf),
                    _ => return Err("not wired up".to_owned()),
                }
            }
        }
        .map_err(err)?;
        // Not `write`'s return value: for CONNECT it is 2 short of what it wrote.
        Ok(buf.len())
    }
    fn written(buf: &Self::Buf, n: usize) -> Vec<u8> {
        buf[..n].to_vec()
    }
}

// ---------------------------------------------------------------------------------------------
// mqttrs 0.4

/// mqttrs: 3.1.1 only, `decode_slice`/`encode_slice`.
pub struct Mqttrs;

/// Decodes the packet at the start of `rest` and moves past it. `decode_slice` does not say how
/// many bytes it used, so the adapter steps over the frame by its fixed header (`frame_len`),
/// as a caller walking a buffer has to.
#[inline(always)]
fn mqttrs_next(rest: &mut &'static [u8]) -> Result<mqttrs::Packet<'static>, String> {
    let n = frame_len(rest).ok_or("incomplete")?;
    let (frame, after) = rest.split_at(n);
    let p = mqttrs::decode_slice(frame)
        .map_err(err)?
        .ok_or("incomplete")?;
    *rest = after;
    Ok(p)
}

impl Peer for Mqttrs {
    const NAME: &'static str = "mqttrs";
    const DECODED_FORM: &'static str =
        "PUBLISH/CONNECT borrow &str/&[u8]; SUBSCRIBE filters copied into String in a Vec";
    type Input = &'static [u8];
    type Enc = mqttrs::Packet<'static>;
    type Buf = AlignedBuf;

    fn supports(case: &Case) -> bool {
        case.ver == Ver::V311
    }
    fn input(bytes: &'static [u8]) -> Self::Input {
        bytes
    }
    #[inline(never)]
    fn decode_all(input: &mut Self::Input, _: Ver) -> Result<usize, String> {
        let mut rest = *input;
        let mut count = 0;
        while !rest.is_empty() {
            consume(mqttrs_next(&mut rest)?);
            count += 1;
        }
        Ok(count)
    }
    fn summaries(bytes: &'static [u8], _: Ver) -> Result<Vec<Summary>, String> {
        use mqttrs::{Packet as P, QosPid};
        let mut rest = bytes;
        let mut out = Vec::new();
        while !rest.is_empty() {
            out.push(match mqttrs_next(&mut rest)? {
                P::Publish(x) => {
                    let (q, id) = match x.qospid {
                        QosPid::AtMostOnce => (0, None),
                        QosPid::AtLeastOnce(p) => (1, Some(p.get())),
                        QosPid::ExactlyOnce(p) => (2, Some(p.get())),
                    };
                    publish_sum(q, id, x.topic_name, x.payload, x.retain, x.dup)
                }
                P::Connect(c) => connect_sum(
                    c.client_id,
                    c.keep_alive,
                    c.clean_session,
                    c.last_will
                        .as_ref()
                        .map(|w| (w.topic, w.message, w.qos as u8, w.retain)),
                    c.username,
                    c.password,
                ),
                P::Subscribe(s) => subscribe_sum(
                    s.pid.get(),
                    s.topics
                        .iter()
                        .map(|t| (t.topic_path.to_string(), t.qos as u8)),
                ),
                P::Puback(pid) => puback_sum(pid.get(), 0),
                P::Pingreq => other_sum("PINGREQ"),
                other => return Err(format!("no summary for {other:?}")),
            });
        }
        Ok(out)
    }
    fn prepare(bytes: &'static [u8], _: Ver) -> Result<Self::Enc, String> {
        Ok(mqttrs::decode_slice(bytes)
            .map_err(err)?
            .ok_or("incomplete")?)
    }
    fn new_buf() -> Self::Buf {
        AlignedBuf::zeroed(OUT)
    }
    #[inline(never)]
    fn encode(enc: &mut Self::Enc, _: Ver, buf: &mut Self::Buf) -> Result<usize, String> {
        mqttrs::encode_slice(enc, buf).map_err(err)
    }
    fn written(buf: &Self::Buf, n: usize) -> Vec<u8> {
        buf[..n].to_vec()
    }
}

// ---------------------------------------------------------------------------------------------
// mqtt-format 0.4 (cloudmqtt)

/// mqtt-format: 3.1.1 only, nom parser; encoding is an async `write_to` (polled once here).
pub struct MqttFormat;

impl Peer for MqttFormat {
    const NAME: &'static str = "mqtt-format";
    const DECODED_FORM: &'static str =
        "borrows everything; SUBSCRIBE filters stay wire bytes (lazy iterator)";
    type Input = &'static [u8];
    type Enc = mqtt_format::v3::packet::MPacket<'static>;
    type Buf = Vec<u8>;

    fn supports(case: &Case) -> bool {
        case.ver == Ver::V311
    }
    fn input(bytes: &'static [u8]) -> Self::Input {
        bytes
    }
    #[inline(never)]
    fn decode_all(input: &mut Self::Input, _: Ver) -> Result<usize, String> {
        let mut rest = *input;
        let mut count = 0;
        while !rest.is_empty() {
            let (r, p) = mqtt_format::v3::packet::mpacket(rest).map_err(err)?;
            consume(p);
            rest = r;
            count += 1;
        }
        Ok(count)
    }
    fn summaries(bytes: &'static [u8], _: Ver) -> Result<Vec<Summary>, String> {
        use mqtt_format::v3::packet::MPacket as P;
        use mqtt_format::v3::qos::MQualityOfService as Q;
        let q = |q: Q| match q {
            Q::AtMostOnce => 0u8,
            Q::AtLeastOnce => 1,
            Q::ExactlyOnce => 2,
        };
        let mut rest = bytes;
        let mut out = Vec::new();
        while !rest.is_empty() {
            let (r, p) = mqtt_format::v3::packet::mpacket(rest).map_err(err)?;
            rest = r;
            out.push(match p {
                P::Publish(x) => publish_sum(
                    q(x.qos),
                    x.id.map(|i| i.0),
                    x.topic_name.value,
                    x.payload,
                    x.retain,
                    x.dup,
                ),
                P::Connect(c) => connect_sum(
                    c.client_id.value,
                    c.keep_alive,
                    c.clean_session,
                    c.will
                        .as_ref()
                        .map(|w| (w.topic.value, w.payload, q(w.qos), w.retain)),
                    c.username.map(|u| u.value),
                    c.password,
                ),
                P::Subscribe(s) => subscribe_sum(
                    s.id.0,
                    s.subscriptions
                        .into_iter()
                        .map(|r| (r.topic.value.to_owned(), q(r.qos))),
                ),
                P::Puback(a) => puback_sum(a.id.0, 0),
                P::Pingreq(_) => other_sum("PINGREQ"),
                other => return Err(format!("no summary for {other:?}")),
            });
        }
        Ok(out)
    }
    fn prepare(bytes: &'static [u8], _: Ver) -> Result<Self::Enc, String> {
        Ok(mqtt_format::v3::packet::mpacket(bytes).map_err(err)?.1)
    }
    fn new_buf() -> Self::Buf {
        Vec::with_capacity(OUT)
    }
    #[inline(never)]
    fn encode(enc: &mut Self::Enc, _: Ver, buf: &mut Self::Buf) -> Result<usize, String> {
        buf.clear();
        poll_once(enc.write_to(std::pin::Pin::new(buf))).map_err(err)?;
        Ok(buf.len())
    }
    fn written(buf: &Self::Buf, n: usize) -> Vec<u8> {
        buf[..n].to_vec()
    }
}

// ---------------------------------------------------------------------------------------------
// mqtt-protocol 0.12 (crate `mqtt`)

/// mqtt-protocol: 3.1.1 only, `Decodable`/`Encodable` over `io::Read`/`io::Write`.
pub struct MqttProtocol;

impl Peer for MqttProtocol {
    const NAME: &'static str = "mqtt-protocol";
    const DECODED_FORM: &'static str = "copies everything into String/Vec<u8>";
    type Input = &'static [u8];
    type Enc = mqtt::packet::VariablePacket;
    type Buf = Vec<u8>;

    fn supports(case: &Case) -> bool {
        case.ver == Ver::V311
    }
    fn input(bytes: &'static [u8]) -> Self::Input {
        bytes
    }
    #[inline(never)]
    fn decode_all(input: &mut Self::Input, _: Ver) -> Result<usize, String> {
        use mqtt::Decodable;
        let mut rest = *input;
        let mut count = 0;
        while !rest.is_empty() {
            consume(mqtt::packet::VariablePacket::decode(&mut rest).map_err(err)?);
            count += 1;
        }
        Ok(count)
    }
    fn summaries(bytes: &'static [u8], _: Ver) -> Result<Vec<Summary>, String> {
        use mqtt::Decodable;
        use mqtt::packet::{QoSWithPacketIdentifier as QP, VariablePacket as P};
        let mut rest = bytes;
        let mut out = Vec::new();
        while !rest.is_empty() {
            out.push(match P::decode(&mut rest).map_err(err)? {
                P::PublishPacket(x) => {
                    let (q, id) = match x.qos() {
                        QP::Level0 => (0, None),
                        QP::Level1(i) => (1, Some(i)),
                        QP::Level2(i) => (2, Some(i)),
                    };
                    publish_sum(q, id, x.topic_name(), x.payload(), x.retain(), x.dup())
                }
                P::ConnectPacket(c) => connect_sum(
                    c.client_identifier(),
                    c.keep_alive(),
                    c.clean_session(),
                    c.will().map(|(t, m)| (t, m, c.will_qos(), c.will_retain())),
                    c.user_name(),
                    c.password().map(str::as_bytes),
                ),
                P::SubscribePacket(s) => subscribe_sum(
                    s.packet_identifier(),
                    s.subscribes()
                        .iter()
                        .map(|(f, q)| (f.to_string(), *q as u8)),
                ),
                P::PubackPacket(a) => puback_sum(a.packet_identifier(), 0),
                P::PingreqPacket(_) => other_sum("PINGREQ"),
                other => return Err(format!("no summary for {other:?}")),
            });
        }
        Ok(out)
    }
    fn prepare(bytes: &'static [u8], _: Ver) -> Result<Self::Enc, String> {
        use mqtt::Decodable;
        let mut rest = bytes;
        mqtt::packet::VariablePacket::decode(&mut rest).map_err(err)
    }
    fn new_buf() -> Self::Buf {
        Vec::with_capacity(OUT)
    }
    #[inline(never)]
    fn encode(enc: &mut Self::Enc, _: Ver, buf: &mut Self::Buf) -> Result<usize, String> {
        use mqtt::Encodable;
        buf.clear();
        enc.encode(buf).map_err(err)?;
        Ok(buf.len())
    }
    fn written(buf: &Self::Buf, n: usize) -> Vec<u8> {
        buf[..n].to_vec()
    }
}

// ---------------------------------------------------------------------------------------------
// mqtt-codec-kit 1.0 (fork of mqtt-protocol with a v5 module)

/// mqtt-codec-kit: `v4` and `v5` modules, `Decodable`/`Encodable` over `io::Read`/`io::Write`.
pub struct CodecKit;

/// A decoded mqtt-codec-kit packet of either version.
#[allow(clippy::large_enum_variant)] // set-up only, never moved in a timed loop
pub enum CkPacket {
    /// 3.1.1
    V4(mqtt_codec_kit::v4::packet::VariablePacket),
    /// 5.0
    V5(mqtt_codec_kit::v5::packet::VariablePacket),
}

impl Peer for CodecKit {
    const NAME: &'static str = "mqtt-codec-kit";
    const DECODED_FORM: &'static str =
        "copies everything into String/Vec<u8>; 5.0 properties in typed structs";
    type Input = &'static [u8];
    type Enc = CkPacket;
    type Buf = Vec<u8>;

    fn supports(_: &Case) -> bool {
        true
    }
    fn input(bytes: &'static [u8]) -> Self::Input {
        bytes
    }
    #[inline(never)]
    fn decode_all(input: &mut Self::Input, ver: Ver) -> Result<usize, String> {
        use mqtt_codec_kit::common::Decodable;
        let mut rest = *input;
        let mut count = 0;
        while !rest.is_empty() {
            match ver {
                Ver::V311 => consume(
                    mqtt_codec_kit::v4::packet::VariablePacket::decode(&mut rest).map_err(err)?,
                ),
                Ver::V5 => consume(
                    mqtt_codec_kit::v5::packet::VariablePacket::decode(&mut rest).map_err(err)?,
                ),
            }
            count += 1;
        }
        Ok(count)
    }
    fn summaries(bytes: &'static [u8], ver: Ver) -> Result<Vec<Summary>, String> {
        use mqtt_codec_kit::common::Decodable;
        use mqtt_codec_kit::common::qos::QoSWithPacketIdentifier as QP;
        let qp = |q: QP| match q {
            QP::Level0 => (0u8, None),
            QP::Level1(i) => (1, Some(i)),
            QP::Level2(i) => (2, Some(i)),
        };
        let mut rest = bytes;
        let mut out = Vec::new();
        while !rest.is_empty() {
            out.push(match ver {
                Ver::V311 => {
                    use mqtt_codec_kit::v4::packet::VariablePacket as P;
                    match P::decode(&mut rest).map_err(err)? {
                        P::PublishPacket(x) => {
                            let (q, id) = qp(x.qos());
                            publish_sum(q, id, x.topic_name(), x.payload(), x.retain(), x.dup())
                        }
                        P::ConnectPacket(c) => {
                            let will = c.will();
                            connect_sum(
                                c.client_identifier(),
                                c.keep_alive(),
                                c.clean_session(),
                                will.as_ref().map(|w| {
                                    (
                                        &w.topic()[..],
                                        &w.message().0[..],
                                        w.qos() as u8,
                                        w.retain(),
                                    )
                                }),
                                c.username(),
                                c.password().map(str::as_bytes),
                            )
                        }
                        P::SubscribePacket(s) => subscribe_sum(
                            s.packet_identifier(),
                            s.subscribes()
                                .iter()
                                .map(|(f, q)| (f.to_string(), *q as u8)),
                        ),
                        P::PubackPacket(a) => puback_sum(a.packet_identifier(), 0),
                        P::PingreqPacket(_) => other_sum("PINGREQ"),
                        other => return Err(format!("no summary for {other:?}")),
                    }
                }
                Ver::V5 => {
                    use mqtt_codec_kit::v5::packet::VariablePacket as P;
                    match P::decode(&mut rest).map_err(err)? {
                        P::PublishPacket(x) => {
                            let (q, id) = qp(x.qos());
                            publish_sum(q, id, x.topic_name(), x.payload(), x.retain(), x.dup())
                        }
                        P::ConnectPacket(c) => {
                            let will = c.will();
                            connect_sum(
                                c.client_identifier(),
                                c.keep_alive(),
                                c.clean_session(),
                                will.as_ref().map(|w| {
                                    (
                                        &w.topic()[..],
                                        &w.message().0[..],
                                        w.qos() as u8,
                                        w.retain(),
                                    )
                                }),
                                c.username(),
                                c.password().map(str::as_bytes),
                            )
                        }
                        P::SubscribePacket(s) => subscribe_sum(
                            s.packet_identifier(),
                            s.subscribes().iter().map(|(f, o)| {
                                let o = options(
                                    o.qos() as u8,
                                    o.no_local(),
                                    o.retain_as_published(),
                                    u8::from(o.retain_handling()),
                                );
                                (f.to_string(), o)
                            }),
                        ),
                        P::ConnackPacket(c) => connack_sum(
                            c.connack_flags().session_present,
                            u8::from(c.connect_reason_code()),
                        ),
                        P::PubackPacket(a) => {
                            puback_sum(a.packet_identifier(), u8::from(a.reason_code()))
                        }
                        P::SubackPacket(s) => suback_sum(
                            s.packet_identifier(),
                            s.reason_code().iter().map(|c| u8::from(*c)),
                        ),
                        P::PingreqPacket(_) => other_sum("PINGREQ"),
                        P::PingrespPacket(_) => other_sum("PINGRESP"),
                        P::DisconnectPacket(_) => other_sum("DISCONNECT"),
                        other => return Err(format!("no summary for {other:?}")),
                    }
                }
            });
        }
        Ok(out)
    }
    fn prepare(bytes: &'static [u8], ver: Ver) -> Result<Self::Enc, String> {
        use mqtt_codec_kit::common::Decodable;
        let mut rest = bytes;
        Ok(match ver {
            Ver::V311 => CkPacket::V4(
                mqtt_codec_kit::v4::packet::VariablePacket::decode(&mut rest).map_err(err)?,
            ),
            Ver::V5 => CkPacket::V5(
                mqtt_codec_kit::v5::packet::VariablePacket::decode(&mut rest).map_err(err)?,
            ),
        })
    }
    fn new_buf() -> Self::Buf {
        Vec::with_capacity(OUT)
    }
    #[inline(never)]
    fn encode(enc: &mut Self::Enc, _: Ver, buf: &mut Self::Buf) -> Result<usize, String> {
        use mqtt_codec_kit::common::Encodable;
        buf.clear();
        match enc {
            CkPacket::V4(p) => p.encode(buf).map_err(err)?,
            CkPacket::V5(p) => p.encode(buf).map_err(err)?,
        }
        Ok(buf.len())
    }
    fn written(buf: &Self::Buf, n: usize) -> Vec<u8> {
        buf[..n].to_vec()
    }
}

// ---------------------------------------------------------------------------------------------
// mqtt5-protocol 0.16 (mqtt-lib)

/// mqtt5-protocol: `FixedHeader::decode` + `Packet::decode_from_body_with_version`
/// (level 4 or 5), `MqttPacket::encode` into a `BufMut`.
pub struct Mqtt5Protocol;

fn m5_level(ver: Ver) -> u8 {
    match ver {
        Ver::V311 => 4,
        Ver::V5 => 5,
    }
}

fn m5_decode(rest: &mut &'static [u8], ver: Ver) -> Result<mqtt5_protocol::Packet, String> {
    let mut r = *rest;
    let fh = mqtt5_protocol::FixedHeader::decode(&mut r).map_err(err)?;
    let len = fh.remaining_length as usize;
    if r.len() < len {
        return Err("incomplete".to_owned());
    }
    let (mut body, after) = r.split_at(len);
    let p = mqtt5_protocol::Packet::decode_from_body_with_version(
        fh.packet_type,
        &fh,
        &mut body,
        m5_level(ver),
    )
    .map_err(err)?;
    *rest = after;
    Ok(p)
}

impl Peer for Mqtt5Protocol {
    const NAME: &'static str = "mqtt5-protocol";
    const DECODED_FORM: &'static str =
        "copies into String/Bytes/Vec; properties in a HashMap<PropertyId, Vec<PropertyValue>>";
    type Input = &'static [u8];
    type Enc = mqtt5_protocol::Packet;
    type Buf = BytesMut;

    fn supports(_: &Case) -> bool {
        true
    }
    fn input(bytes: &'static [u8]) -> Self::Input {
        bytes
    }
    #[inline(never)]
    fn decode_all(input: &mut Self::Input, ver: Ver) -> Result<usize, String> {
        let mut rest = *input;
        let mut count = 0;
        while !rest.is_empty() {
            consume(m5_decode(&mut rest, ver)?);
            count += 1;
        }
        Ok(count)
    }
    fn summaries(bytes: &'static [u8], ver: Ver) -> Result<Vec<Summary>, String> {
        use mqtt5_protocol::Packet as P;
        let mut rest = bytes;
        let mut out = Vec::new();
        while !rest.is_empty() {
            out.push(match m5_decode(&mut rest, ver)? {
                P::Publish(x) => publish_sum(
                    u8::from(x.qos),
                    x.packet_id,
                    &x.topic_name,
                    &x.payload,
                    x.retain,
                    x.dup,
                ),
                P::Connect(c) => connect_sum(
                    &c.client_id,
                    c.keep_alive,
                    c.clean_start,
                    c.will
                        .as_ref()
                        .map(|w| (w.topic.as_str(), &w.payload[..], u8::from(w.qos), w.retain)),
                    c.username.as_deref(),
                    c.password.as_deref(),
                ),
                P::Subscribe(s) => subscribe_sum(
                    s.packet_id,
                    s.filters.iter().map(|f| {
                        let o = f.options;
                        let o = options(
                            u8::from(o.qos),
                            o.no_local,
                            o.retain_as_published,
                            o.retain_handling as u8,
                        );
                        (f.filter.clone(), o)
                    }),
                ),
                P::ConnAck(c) => connack_sum(c.session_present, u8::from(c.reason_code)),
                P::PubAck(a) => puback_sum(a.packet_id, u8::from(a.reason_code)),
                P::SubAck(s) => suback_sum(s.packet_id, s.reason_codes.iter().map(|c| *c as u8)),
                P::PingReq => other_sum("PINGREQ"),
                P::PingResp => other_sum("PINGRESP"),
                P::Disconnect(_) => other_sum("DISCONNECT"),
                other => return Err(format!("no summary for {}", other.packet_type_name())),
            });
        }
        Ok(out)
    }
    fn prepare(bytes: &'static [u8], ver: Ver) -> Result<Self::Enc, String> {
        let mut rest = bytes;
        m5_decode(&mut rest, ver)
    }
    fn new_buf() -> Self::Buf {
        BytesMut::with_capacity(OUT)
    }
    #[inline(never)]
    fn encode(enc: &mut Self::Enc, _: Ver, buf: &mut Self::Buf) -> Result<usize, String> {
        use mqtt5_protocol::Packet as P;
        use mqtt5_protocol::packet::MqttPacket;
        buf.clear();
        match enc {
            P::Publish(x) => x.encode(buf),
            P::Connect(x) => x.encode(buf),
            P::Subscribe(x) => x.encode(buf),
            P::ConnAck(x) => x.encode(buf),
            P::PubAck(x) => x.encode(buf),
            _ => return Err("not wired up".to_owned()),
        }
        .map_err(err)?;
        Ok(buf.len())
    }
    fn written(buf: &Self::Buf, n: usize) -> Vec<u8> {
        buf[..n].to_vec()
    }
}

// ---------------------------------------------------------------------------------------------
// rust-mqtt 0.3.1 (embedded client; its last release with a public packet module)

/// rust-mqtt 0.3.1: 5.0 only, one struct per packet type with `decode(&mut BuffReader)` /
/// `encode(&mut [u8])`; being a client, it only decodes what a server sends.
pub struct RustMqtt;

/// Properties kept per packet (a fixed-capacity `heapless::Vec`).
const RM_PROPS: usize = 16;

/// A decoded rust-mqtt packet (the types a client decodes).
pub enum RmPacket {
    /// PUBLISH
    Publish(rust_mqtt::packet::v5::publish_packet::PublishPacket<'static, RM_PROPS>),
    /// CONNACK
    ConnAck(rust_mqtt::packet::v5::connack_packet::ConnackPacket<'static, RM_PROPS>),
    /// PUBACK
    PubAck(rust_mqtt::packet::v5::puback_packet::PubackPacket<'static, RM_PROPS>),
    /// SUBACK
    SubAck(rust_mqtt::packet::v5::suback_packet::SubackPacket<'static, 16, RM_PROPS>),
    /// PINGRESP
    PingResp(rust_mqtt::packet::v5::pingresp_packet::PingrespPacket),
    /// DISCONNECT
    Disconnect(rust_mqtt::packet::v5::disconnect_packet::DisconnectPacket<'static, RM_PROPS>),
}

/// Decodes the packet at the start of `rest` with the struct for its type, as the client does
/// after reading one whole packet.
fn rm_decode(rest: &mut &'static [u8]) -> Result<RmPacket, String> {
    use rust_mqtt::packet::v5::mqtt_packet::Packet;
    use rust_mqtt::packet::v5::*;
    use rust_mqtt::utils::buffer_reader::BuffReader;
    let n = frame_len(rest).ok_or("incomplete")?;
    let (frame, after) = rest.split_at(n);
    let mut r = BuffReader::new(frame, n);
    let kind = frame[0] >> 4;
    let p = match kind {
        2 => {
            let mut p = connack_packet::ConnackPacket::new();
            p.decode(&mut r).map_err(err)?;
            RmPacket::ConnAck(p)
        }
        3 => {
            let mut p = publish_packet::PublishPacket::new();
            p.decode(&mut r).map_err(err)?;
            RmPacket::Publish(p)
        }
        4 => {
            let mut p = puback_packet::PubackPacket::new();
            p.decode(&mut r).map_err(err)?;
            RmPacket::PubAck(p)
        }
        9 => {
            let mut p = suback_packet::SubackPacket::new();
            p.decode(&mut r).map_err(err)?;
            RmPacket::SubAck(p)
        }
        13 => {
            let mut p = pingresp_packet::PingrespPacket::new();
            p.decode(&mut r).map_err(err)?;
            RmPacket::PingResp(p)
        }
        14 => {
            let mut p = disconnect_packet::DisconnectPacket::new();
            p.decode(&mut r).map_err(err)?;
            RmPacket::Disconnect(p)
        }
        other => {
            return Err(format!(
                "no decoder for packet type {other} (client-side crate: decodes only what a server sends)"
            ));
        }
    };
    *rest = after;
    Ok(p)
}

impl Peer for RustMqtt {
    const NAME: &'static str = "rust-mqtt";
    const DECODED_FORM: &'static str =
        "borrows &str/&[u8]; properties parsed into a heapless::Vec<Property, 16>";
    type Input = &'static [u8];
    type Enc = RmPacket;
    type Buf = AlignedBuf;

    fn supports(case: &Case) -> bool {
        // A client: it has decoders only for what a server sends.
        case.ver == Ver::V5 && frame_types(case.bytes).all(|t| matches!(t, 2 | 3 | 4 | 9 | 13 | 14))
    }
    fn input(bytes: &'static [u8]) -> Self::Input {
        bytes
    }
    #[inline(never)]
    fn decode_all(input: &mut Self::Input, _: Ver) -> Result<usize, String> {
        let mut rest = *input;
        let mut count = 0;
        while !rest.is_empty() {
            consume(rm_decode(&mut rest)?);
            count += 1;
        }
        Ok(count)
    }
    fn summaries(bytes: &'static [u8], _: Ver) -> Result<Vec<Summary>, String> {
        let mut rest = bytes;
        let mut out = Vec::new();
        while !rest.is_empty() {
            out.push(match rm_decode(&mut rest)? {
                RmPacket::Publish(x) => {
                    let q = (x.fixed_header >> 1) & 3;
                    publish_sum(
                        q,
                        (q > 0).then_some(x.packet_identifier),
                        x.topic_name.string,
                        x.message.unwrap_or(&[]),
                        x.fixed_header & 1 == 1,
                        x.fixed_header & 8 == 8,
                    )
                }
                RmPacket::ConnAck(c) => connack_sum(c.ack_flags & 1 == 1, c.connect_reason_code),
                RmPacket::PubAck(a) => puback_sum(a.packet_identifier, a.reason_code),
                RmPacket::SubAck(s) => {
                    suback_sum(s.packet_identifier, s.reason_codes.iter().copied())
                }
                RmPacket::PingResp(_) => other_sum("PINGRESP"),
                RmPacket::Disconnect(_) => other_sum("DISCONNECT"),
            });
        }
        Ok(out)
    }
    fn prepare(bytes: &'static [u8], _: Ver) -> Result<Self::Enc, String> {
        let mut rest = bytes;
        rm_decode(&mut rest)
    }
    fn new_buf() -> Self::Buf {
        AlignedBuf::zeroed(OUT)
    }
    #[inline(never)]
    fn encode(enc: &mut Self::Enc, _: Ver, buf: &mut Self::Buf) -> Result<usize, String> {
        use rust_mqtt::packet::v5::mqtt_packet::Packet;
        let len = buf.len();
        match enc {
            RmPacket::Publish(p) => p.encode(buf, len),
            RmPacket::ConnAck(p) => p.encode(buf, len),
            RmPacket::PubAck(p) => p.encode(buf, len),
            _ => return Err("not wired up".to_owned()),
        }
        .map_err(err)
    }
    fn written(buf: &Self::Buf, n: usize) -> Vec<u8> {
        buf[..n].to_vec()
    }
}

// ---------------------------------------------------------------------------------------------
// mqtt-wire, encoding from caller-built lists

/// mqtt-wire encoding a packet whose lists (properties, subscriptions) were built by the caller
/// (`Seq::new(&items)`) instead of coming from the decoder as wire bytes: what a sender does.
/// Encode only; its decode is [`Wire`]'s.
pub struct WireBuilt;

/// Turns every decoded list of `p` into a caller-built list (leaked: set-up only).
fn rebuild(p: &mut mqtt_wire::Packet<'static>) {
    use mqtt_wire::{Packet as P, Properties, Seq};
    fn props(x: &mut Properties<'static>) {
        let items: Vec<mqtt_wire::Property<'static>> = x.iter().collect();
        *x = Seq::new(Vec::leak(items));
    }
    match p {
        P::Connect(c) => {
            props(&mut c.properties);
            if let Some(w) = &mut c.will {
                props(&mut w.properties);
            }
        }
        P::ConnAck(c) => props(&mut c.properties),
        P::Publish(x) => props(&mut x.properties),
        P::Subscribe(s) => {
            props(&mut s.properties);
            let items: Vec<mqtt_wire::Subscription<'static>> = s.subscriptions.iter().collect();
            s.subscriptions = Seq::new(Vec::leak(items));
        }
        _ => {}
    }
}

impl Peer for WireBuilt {
    const NAME: &'static str = "mqtt-wire-built";
    const DECODED_FORM: &'static str = "encode only: lists are caller-built items";
    const DECODE: bool = false;
    type Input = &'static [u8];
    type Enc = mqtt_wire::Packet<'static>;
    type Buf = AlignedBuf;

    fn supports(case: &Case) -> bool {
        !case.stream
    }
    fn input(bytes: &'static [u8]) -> Self::Input {
        bytes
    }
    fn decode_all(input: &mut Self::Input, ver: Ver) -> Result<usize, String> {
        Wire::decode_all(input, ver)
    }
    fn summaries(bytes: &'static [u8], ver: Ver) -> Result<Vec<Summary>, String> {
        Wire::summaries(bytes, ver)
    }
    fn prepare(bytes: &'static [u8], ver: Ver) -> Result<Self::Enc, String> {
        let mut p = Wire::prepare(bytes, ver)?;
        rebuild(&mut p);
        Ok(p)
    }
    fn new_buf() -> Self::Buf {
        AlignedBuf::zeroed(OUT)
    }
    #[inline(never)]
    fn encode(enc: &mut Self::Enc, ver: Ver, buf: &mut Self::Buf) -> Result<usize, String> {
        enc.encode(ver.wire(), buf).map_err(err)
    }
    fn written(buf: &Self::Buf, n: usize) -> Vec<u8> {
        buf[..n].to_vec()
    }
}
