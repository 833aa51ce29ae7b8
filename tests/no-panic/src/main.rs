//! Link-time proof that mqtt-wire's decode, encode, framing, property and topic functions
//! cannot panic.
//!
//! Each `#[no_panic]` wrapper below calls one public function of mqtt-wire. The attribute
//! puts a guard in the wrapper whose destructor refers to a symbol that does not exist; the
//! destructor only runs while unwinding, so the guard survives optimisation exactly when
//! the compiler cannot prove that the call never unwinds, and then the link fails with
//! `ERROR[no-panic]: detected panic in function `NAME``. `main` feeds every wrapper bytes
//! read from standard input, so that no call is folded away at compile time.
//!
//! Build (this is the check; there is nothing to run):
//! `cargo build --release --manifest-path tests/no-panic/Cargo.toml`.
//! The build must use this package's release profile (unwinding, fat LTO, one codegen
//! unit); a debug build proves nothing and fails to link.

use std::hint::black_box;
use std::io::Read;

use mqtt_wire::topic::{self, Levels, TopicFilter, TopicName};
use mqtt_wire::{
    DecodeError, DecodeErrorKind, DecodeOptions, EncodeError, Frame, Framer, Packet, PacketId,
    PacketType, Packets, Properties, Property, PropertyId, RawPacket, ReasonCode, SeqIter, Status,
    StreamBuffer, StreamStatus, Subscription, Utf8Policy, Version,
};
use no_panic::no_panic;

// ---- whole packets: framing, decoding, encoding ----

#[no_panic]
fn frame(buf: &[u8], version: Version, opts: &DecodeOptions) -> Result<Status<Frame>, DecodeError> {
    mqtt_wire::frame(buf, version, opts)
}

#[no_panic]
fn decode(buf: &[u8], version: Version) -> Result<Status<(Packet<'_>, usize)>, DecodeError> {
    mqtt_wire::decode(buf, version)
}

#[no_panic]
fn decode_with<'a>(
    buf: &'a [u8],
    version: Version,
    opts: &DecodeOptions,
) -> Result<Status<(Packet<'a>, usize)>, DecodeError> {
    mqtt_wire::decode_with(buf, version, opts)
}

#[no_panic]
fn decode_as_client<'a>(
    buf: &'a [u8],
    version: Version,
    opts: &DecodeOptions,
) -> Result<Status<(Packet<'a>, usize)>, DecodeError> {
    mqtt_wire::decode_as::<mqtt_wire::ClientSide>(buf, version, opts)
}

#[no_panic]
fn decode_as_server<'a>(
    buf: &'a [u8],
    version: Version,
    opts: &DecodeOptions,
) -> Result<Status<(Packet<'a>, usize)>, DecodeError> {
    mqtt_wire::decode_as::<mqtt_wire::ServerSide>(buf, version, opts)
}

#[no_panic]
fn decode_frame<'a>(
    buf: &'a [u8],
    frame: &Frame,
    version: Version,
    opts: &DecodeOptions,
) -> Result<Packet<'a>, DecodeError> {
    mqtt_wire::decode_frame(buf, frame, version, opts)
}

#[no_panic]
fn encoded_len(packet: &Packet<'_>, version: Version) -> Result<usize, EncodeError> {
    packet.encoded_len(version)
}

#[no_panic]
fn encode(packet: &Packet<'_>, version: Version, buf: &mut [u8]) -> Result<usize, EncodeError> {
    packet.encode(version, buf)
}

// ---- Framer (slice), Packets, RawPacket ----

#[no_panic]
fn framer_next<'a>(framer: &mut Framer<'a>) -> Option<Result<RawPacket<'a>, DecodeError>> {
    framer.next()
}

#[no_panic]
fn framer_next_packet<'a>(framer: &mut Framer<'a>) -> Option<Result<Packet<'a>, DecodeError>> {
    framer.next_packet()
}

#[no_panic]
fn framer_needed(framer: &Framer<'_>) -> usize {
    framer.needed()
}

#[no_panic]
fn framer_status(framer: &Framer<'_>) -> StreamStatus {
    framer.status()
}

#[no_panic]
fn framer_remaining<'a>(framer: &Framer<'a>) -> &'a [u8] {
    framer.remaining()
}

#[no_panic]
fn packets_next<'a>(packets: &mut Packets<'a>) -> Option<Result<Packet<'a>, DecodeError>> {
    packets.next()
}

#[no_panic]
fn raw_body<'a>(raw: &RawPacket<'a>) -> &'a [u8] {
    raw.body()
}

#[no_panic]
fn raw_decode<'a>(
    raw: &RawPacket<'a>,
    version: Version,
    opts: &DecodeOptions,
) -> Result<Packet<'a>, DecodeError> {
    raw.decode(version, opts)
}

// ---- StreamBuffer (feature `heapless`) ----

/// The capacity of the stream buffer under proof (any `N` compiles to the same checks).
const CAP: usize = 64;
type Stream = StreamBuffer<CAP>;

#[no_panic]
fn stream_new(version: Version, opts: DecodeOptions) -> Stream {
    StreamBuffer::with_options(version, opts)
}

#[no_panic]
fn stream_push(stream: &mut Stream, data: &[u8]) -> usize {
    stream.push(data)
}

#[no_panic]
fn stream_fill_from(stream: &mut Stream, data: &[u8]) -> Result<usize, ()> {
    stream.fill_from(|space| {
        let mut n = 0;
        for (dst, src) in space.iter_mut().zip(data) {
            *dst = *src;
            n += 1;
        }
        Ok(n)
    })
}

#[no_panic]
fn stream_next_frame(stream: &mut Stream) -> Result<Status<RawPacket<'_>>, DecodeError> {
    stream.next_frame()
}

#[no_panic]
fn stream_next_packet(stream: &mut Stream) -> Result<Status<Packet<'_>>, DecodeError> {
    stream.next_packet()
}

#[no_panic]
fn stream_needed(stream: &Stream) -> usize {
    stream.needed()
}

#[no_panic]
fn stream_status(stream: &Stream) -> StreamStatus {
    stream.status()
}

#[no_panic]
fn stream_pending(stream: &Stream) -> &[u8] {
    stream.pending()
}

#[no_panic]
fn stream_free(stream: &Stream) -> usize {
    stream.free()
}

#[no_panic]
fn stream_clear(stream: &mut Stream) {
    stream.clear();
}

// ---- property lists: iteration and typed getters ----

#[no_panic]
fn properties_next<'a>(it: &mut SeqIter<'a, Property<'a>>) -> Option<Property<'a>> {
    it.next()
}

#[no_panic]
fn properties_len(props: &Properties<'_>) -> usize {
    props.len()
}

#[no_panic]
fn properties_get<'a>(props: &Properties<'a>, id: PropertyId) -> Option<Property<'a>> {
    props.get(id)
}

#[no_panic]
fn property_check(prop: &Property<'_>) -> Result<(), DecodeErrorKind> {
    prop.check()
}

/// Walks both iterator getters to the end.
#[no_panic]
fn properties_repeated(props: &Properties<'_>) -> usize {
    let mut n = 0usize;
    for (k, v) in props.user_properties() {
        n = n.wrapping_add(k.len()).wrapping_add(v.len());
    }
    for id in props.subscription_identifiers() {
        n = n.wrapping_add(id as usize);
    }
    n
}

/// One wrapper per typed getter, each returning a number that depends on the result.
macro_rules! getters {
    ($($name:ident: $getter:ident => |$v:ident| $use:expr;)*) => {
        $(
            #[no_panic]
            fn $name(props: &Properties<'_>) -> usize {
                match props.$getter() {
                    Some($v) => $use,
                    None => 0,
                }
            }
        )*
        /// Every getter wrapper, for `main`.
        const GETTERS: &[fn(&Properties<'_>) -> usize] = &[$($name),*];
    };
}

getters! {
    get_payload_format_indicator: payload_format_indicator => |v| usize::from(v);
    get_message_expiry_interval: message_expiry_interval => |v| v as usize;
    get_content_type: content_type => |v| v.len();
    get_response_topic: response_topic => |v| v.len();
    get_correlation_data: correlation_data => |v| v.len();
    get_subscription_identifier: subscription_identifier => |v| v as usize;
    get_session_expiry_interval: session_expiry_interval => |v| v as usize;
    get_assigned_client_identifier: assigned_client_identifier => |v| v.len();
    get_server_keep_alive: server_keep_alive => |v| usize::from(v);
    get_authentication_method: authentication_method => |v| v.len();
    get_authentication_data: authentication_data => |v| v.len();
    get_request_problem_information: request_problem_information => |v| usize::from(v);
    get_will_delay_interval: will_delay_interval => |v| v as usize;
    get_request_response_information: request_response_information => |v| usize::from(v);
    get_response_information: response_information => |v| v.len();
    get_server_reference: server_reference => |v| v.len();
    get_reason_string: reason_string => |v| v.len();
    get_receive_maximum: receive_maximum => |v| usize::from(v);
    get_topic_alias_maximum: topic_alias_maximum => |v| usize::from(v);
    get_topic_alias: topic_alias => |v| usize::from(v);
    get_maximum_qos: maximum_qos => |v| v as usize;
    get_retain_available: retain_available => |v| usize::from(v);
    get_maximum_packet_size: maximum_packet_size => |v| v as usize;
    get_wildcard_subscription_available: wildcard_subscription_available => |v| usize::from(v);
    get_subscription_identifier_available: subscription_identifier_available => |v| usize::from(v);
    get_shared_subscription_available: shared_subscription_available => |v| usize::from(v);
}

// ---- the other decoded lists ----

#[no_panic]
fn subscriptions_next<'a>(it: &mut SeqIter<'a, Subscription<'a>>) -> Option<Subscription<'a>> {
    it.next()
}

#[no_panic]
fn topic_filters_next<'a>(it: &mut SeqIter<'a, &'a str>) -> Option<&'a str> {
    it.next()
}

#[no_panic]
fn reason_codes_next(it: &mut SeqIter<'_, ReasonCode>) -> Option<ReasonCode> {
    it.next()
}

#[no_panic]
fn payload_format_valid(packet: &Packet<'_>) -> bool {
    match packet {
        Packet::Publish(p) => p.payload_format_valid(),
        _ => false,
    }
}

// ---- topics ----

#[no_panic]
fn check_name(name: &str) -> Result<(), DecodeErrorKind> {
    topic::check_name(name)
}

#[no_panic]
fn check_filter(filter: &str, version: Version) -> Result<(), DecodeErrorKind> {
    topic::check_filter(filter, version)
}

#[no_panic]
fn shared_parts(filter: &str, version: Version) -> Option<(&str, &str)> {
    topic::shared_parts(filter, version)
}

#[no_panic]
fn matches(filter: &str, name: &str) -> bool {
    topic::matches(filter, name)
}

#[no_panic]
fn matches_in(filter: &str, name: &str, version: Version) -> bool {
    topic::matches_in(filter, name, version)
}

#[no_panic]
fn topic_name_new(name: &str) -> Result<TopicName<'_>, DecodeErrorKind> {
    TopicName::new(name)
}

#[no_panic]
fn topic_name_is_reserved(name: &TopicName<'_>) -> bool {
    name.is_reserved()
}

#[no_panic]
fn topic_filter_new(filter: &str, version: Version) -> Result<TopicFilter<'_>, DecodeErrorKind> {
    TopicFilter::new(filter, version)
}

#[no_panic]
fn topic_filter_matches(filter: &TopicFilter<'_>, name: TopicName<'_>) -> bool {
    filter.matches(name)
}

#[no_panic]
fn levels(s: &str) -> Levels<'_> {
    topic::levels(s)
}

#[no_panic]
fn levels_next<'a>(it: &mut Levels<'a>) -> Option<&'a str> {
    it.next()
}

#[no_panic]
fn levels_next_back<'a>(it: &mut Levels<'a>) -> Option<&'a str> {
    it.next_back()
}

// ---- small helpers with a computation in them ----

#[no_panic]
fn varint_len(value: u32) -> Option<usize> {
    mqtt_wire::varint_len(value)
}

#[no_panic]
fn packet_type_from_header_byte(byte: u8, version: Version) -> Option<PacketType> {
    PacketType::from_header_byte(byte, version)
}

#[no_panic]
fn reason_code_is_valid_for(code: ReasonCode, packet: PacketType) -> bool {
    code.is_valid_for(packet)
}

// ---- driving every wrapper with opaque input ----

/// A number that depends on a decode result, so that no result is dead.
fn weigh<T>(r: &Result<T, DecodeError>) -> usize {
    match r {
        Ok(_) => 1,
        Err(e) => e.offset().wrapping_add(e.kind().reason_code() as usize),
    }
}

/// Everything that can be asked of one decoded packet.
fn exercise_packet(packet: &Packet<'_>, version: Version, out: &mut [u8]) -> usize {
    let mut n = 0usize;
    if let Ok(len) = encoded_len(packet, version) {
        n = n.wrapping_add(len);
    }
    if let Ok(len) = encode(packet, black_box(version), out) {
        n = n.wrapping_add(len);
    }
    n = n.wrapping_add(usize::from(payload_format_valid(packet)));
    let props = match packet {
        Packet::Connect(c) => c.properties,
        Packet::ConnAck(c) => c.properties,
        Packet::Publish(p) => p.properties,
        Packet::PubAck(a) | Packet::PubRec(a) | Packet::PubRel(a) | Packet::PubComp(a) => {
            a.properties
        }
        Packet::Subscribe(s) => s.properties,
        Packet::SubAck(s) | Packet::UnsubAck(s) => s.properties,
        Packet::Unsubscribe(u) => u.properties,
        Packet::Disconnect(d) => d.properties,
        Packet::Auth(a) => a.properties,
        Packet::PingReq | Packet::PingResp => Properties::EMPTY,
    };
    n = n.wrapping_add(exercise_properties(&props));
    match packet {
        Packet::Subscribe(s) => {
            let mut it = s.subscriptions.iter();
            while let Some(sub) = subscriptions_next(&mut it) {
                n = n.wrapping_add(sub.filter.len());
            }
        }
        Packet::Unsubscribe(u) => {
            let mut it = u.filters.iter();
            while let Some(f) = topic_filters_next(&mut it) {
                n = n.wrapping_add(f.len());
            }
        }
        Packet::SubAck(s) | Packet::UnsubAck(s) => {
            let mut it = s.reason_codes.iter();
            while let Some(code) = reason_codes_next(&mut it) {
                n = n.wrapping_add(usize::from(reason_code_is_valid_for(
                    code,
                    packet.packet_type(),
                )));
            }
        }
        _ => {}
    }
    n
}

fn exercise_properties(props: &Properties<'_>) -> usize {
    let mut n = properties_len(props);
    let mut it = props.iter();
    while let Some(p) = properties_next(&mut it) {
        n = n.wrapping_add(usize::from(property_check(&p).is_ok()));
        if properties_get(props, p.id()).is_some() {
            n = n.wrapping_add(1);
        }
    }
    n = n.wrapping_add(properties_repeated(props));
    for getter in GETTERS {
        n = n.wrapping_add(black_box(*getter)(props));
    }
    n
}

fn exercise_topics(a: &str, b: &str, version: Version) -> usize {
    let mut n = 0usize;
    n = n.wrapping_add(usize::from(check_name(b).is_ok()));
    n = n.wrapping_add(usize::from(check_filter(a, version).is_ok()));
    if let Some((group, inner)) = shared_parts(a, version) {
        n = n.wrapping_add(group.len()).wrapping_add(inner.len());
    }
    n = n.wrapping_add(usize::from(matches(a, b)));
    n = n.wrapping_add(usize::from(matches_in(a, b, version)));
    if let (Ok(filter), Ok(name)) = (topic_filter_new(a, version), topic_name_new(b)) {
        n = n.wrapping_add(usize::from(topic_filter_matches(&filter, name)));
        n = n.wrapping_add(usize::from(topic_name_is_reserved(&name)));
    }
    let mut it = levels(a);
    while let Some(level) = levels_next(&mut it) {
        n = n.wrapping_add(level.len());
        if let Some(level) = levels_next_back(&mut it) {
            n = n.wrapping_add(level.len());
        }
    }
    n
}

fn main() {
    let mut input = Vec::new();
    if std::io::stdin().read_to_end(&mut input).is_err() {
        return;
    }
    let input: &[u8] = black_box(&input);
    let (version, max) = match input.first().copied().map(|b| b % 3) {
        Some(0) => (Version::V3_1, 64),
        Some(1) => (Version::V3_1_1, 1 << 20),
        _ => (Version::V5, u32::MAX),
    };
    let version = black_box(version);
    let opts = black_box(DecodeOptions::new().max_packet_size(max).utf8_policy(
        if input.len().is_multiple_of(2) {
            Utf8Policy::Strict
        } else {
            Utf8Policy::Spec
        },
    ));
    let bytes = input.get(1..).unwrap_or_default();
    let first_byte = input.first().copied().unwrap_or(0);
    let mut out = vec![0u8; black_box(bytes.len().saturating_mul(2))];
    let mut n = 0usize;

    // Single packets.
    n = n.wrapping_add(weigh(&frame(bytes, version, &opts)));
    n = n.wrapping_add(weigh(&decode(bytes, version)));
    n = n.wrapping_add(weigh(&decode_as_client(bytes, version, &opts)));
    n = n.wrapping_add(weigh(&decode_as_server(bytes, version, &opts)));
    // The same options with a receiver: the direction rules (`direction::check_*`).
    for role in [mqtt_wire::Role::Client, mqtt_wire::Role::Server] {
        let with_role = black_box(opts.receiver(role));
        n = n.wrapping_add(weigh(&decode_with(bytes, version, &with_role)));
        n = n.wrapping_add(weigh(&frame(bytes, version, &with_role)));
    }
    match decode_with(bytes, version, &opts) {
        Ok(Status::Complete((packet, used))) => {
            n = n
                .wrapping_add(used)
                .wrapping_add(exercise_packet(&packet, version, &mut out));
        }
        other => n = n.wrapping_add(weigh(&other)),
    }
    if let Ok(Status::Complete(f)) = frame(bytes, version, &opts) {
        n = n.wrapping_add(weigh(&decode_frame(bytes, &f, version, &opts)));
    }
    // A frame whose lengths are not those of the bytes.
    let forged = black_box(Frame {
        packet_type: PacketType::Publish,
        flags: 0,
        header_len: usize::from(first_byte),
        remaining_len: bytes.len().wrapping_mul(3),
    });
    n = n.wrapping_add(weigh(&decode_frame(bytes, &forged, version, &opts)));

    // A slice framer.
    let mut framer = Framer::with_options(bytes, version, opts);
    while let Some(raw) = framer_next(&mut framer) {
        if let Ok(raw) = raw {
            n = n.wrapping_add(raw_body(&raw).len());
            n = n.wrapping_add(weigh(&raw_decode(&raw, version, &opts)));
        }
    }
    n = n
        .wrapping_add(framer_needed(&framer))
        .wrapping_add(framer_remaining(&framer).len());
    n = n.wrapping_add(matches!(framer_status(&framer), StreamStatus::Complete(_)) as usize);
    let mut framer = Framer::with_options(bytes, version, opts);
    while let Some(packet) = framer_next_packet(&mut framer) {
        if let Ok(packet) = packet {
            n = n.wrapping_add(exercise_packet(&packet, version, &mut out));
        }
    }
    let mut packets = Framer::with_options(bytes, version, opts).packets();
    while let Some(packet) = packets_next(&mut packets) {
        n = n.wrapping_add(weigh(&packet));
    }

    // A stream buffer, fed in chunks of opaque size.
    let mut stream = stream_new(version, opts);
    let chunk = usize::from(input.first().copied().unwrap_or(1)).max(1);
    for (i, piece) in bytes.chunks(chunk).enumerate() {
        let taken = if i % 2 == 0 {
            stream_push(&mut stream, piece)
        } else {
            stream_fill_from(&mut stream, piece).unwrap_or(0)
        };
        n = n.wrapping_add(taken);
        match stream_next_packet(&mut stream) {
            Ok(Status::Complete(packet)) => n = n.wrapping_add(packet.packet_type() as usize),
            Ok(Status::Partial(k)) => n = n.wrapping_add(k),
            Err(_) => stream_clear(&mut stream),
        }
        if let Ok(Status::Complete(raw)) = stream_next_frame(&mut stream) {
            n = n.wrapping_add(raw.bytes.len());
        }
        n = n
            .wrapping_add(stream_needed(&stream))
            .wrapping_add(stream_free(&stream));
        n = n.wrapping_add(stream_pending(&stream).len());
        n = n.wrapping_add(matches!(stream_status(&stream), StreamStatus::Empty) as usize);
    }

    // Topics: the input's text split in two at its first space.
    let text = String::from_utf8_lossy(bytes);
    let (a, b) = text.split_once(' ').unwrap_or((&text, ""));
    n = n.wrapping_add(exercise_topics(a, b, version));

    // Small helpers.
    let word = u32::from_le_bytes(*bytes.first_chunk::<4>().unwrap_or(&[0; 4]));
    n = n.wrapping_add(varint_len(word).unwrap_or(0));
    let first = bytes.first().copied().unwrap_or(0);
    n = n.wrapping_add(packet_type_from_header_byte(first, version).map_or(0, |t| t as usize));
    if let Some(id) = PacketId::new(u16::from(first)) {
        n = n.wrapping_add(usize::from(id.get()));
    }

    println!("{n}");
}
