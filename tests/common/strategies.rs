//! proptest strategies for every packet of every protocol version.
//!
//! A strategy cannot hand out borrowed data, so it generates an owned model
//! ([`Case`]: a version and a [`PacketModel`] holding `String`s and `Vec`s). A test turns
//! the model into a `Packet<'_>` in two steps, because property, subscription and filter
//! lists borrow a slice of items that must live somewhere:
//!
//! ```ignore
//! let lists = case.packet.lists();          // Vec<Property<'_>> etc., borrowing the model
//! let packet = case.packet.packet(&lists);  // Packet<'_> borrowing both
//! ```
//!
//! Every generated packet is valid for its version: properties allowed in the packet (all
//! of them are candidates, in random order, User Property repeated), reason codes the
//! packet may carry, topic names without wildcards, filters with well-placed wildcards,
//! 5.0 shared subscriptions, every QoS and every [`TailForm`]. The tables used here
//! (property placement, reason codes per packet) are written out from the specification
//! rather than taken from the crate, so the generator does not inherit the crate's mistakes.
//!
//! Edges: empty strings where the spec allows them, now and then a string or binary field
//! of exactly 65,535 bytes, and PUBLISH payloads sized so the Remaining Length sits on
//! either side of each variable byte integer boundary (127/128, 16,383/16,384,
//! 2,097,151/2,097,152). [`PacketModel::remaining_len`] computes the Remaining Length
//! independently of the crate, as an oracle for `encoded_len`.

use mqtt_wire::{
    Ack, Auth, ConnAck, Connect, Disconnect, Packet, PacketId, PacketType, Properties, Property,
    PropertyContext, Publish, QoS, ReasonCode, ReasonCodes, RetainHandling, SubAck, Subscribe,
    Subscription, SubscriptionOptions, Subscriptions, TailForm, TopicFilters, UnsubAck,
    Unsubscribe, Version, Will,
};
use proptest::collection::vec;
use proptest::prelude::*;
use proptest::sample::select;

/// The longest UTF-8 string / binary field (two-byte length prefix).
pub const FIELD_MAX: usize = 65_535;

/// Remaining Lengths on both sides of each variable byte integer size boundary. Under Miri
/// only the 1-, 2- and 3-byte sizes: building one 2 MiB packet there takes minutes (a
/// payload is filled byte by byte), and `remaining_length.rs` covers the 4-byte header.
pub const VARINT_EDGES: &[usize] = if cfg!(miri) {
    &[127, 128, 16_383, 16_384]
} else {
    &[127, 128, 16_383, 16_384, 2_097_151, 2_097_152]
};

/// A proptest configuration with `default_cases` cases, unless the `PROPTEST_CASES`
/// environment variable says otherwise. Under Miri, [`miri_cases`] of them.
pub fn config(default_cases: u32) -> ProptestConfig {
    let cases = std::env::var("PROPTEST_CASES")
        .ok()
        .and_then(|s| s.parse().ok())
        .unwrap_or(miri_cases(default_cases));
    ProptestConfig {
        cases,
        // Miri checks memory, not coverage of the input space: a few cases of each
        // property suffice, and shrinking a failure there would take hours.
        max_shrink_iters: if cfg!(miri) {
            0
        } else {
            ProptestConfig::default().max_shrink_iters
        },
        ..ProptestConfig::default()
    }
}

/// `cases` natively; under Miri (about a thousand times slower) a 256th of them, at
/// least 4, so that each property still runs on a few generated inputs.
pub const fn miri_cases(cases: u32) -> u32 {
    if cfg!(miri) {
        let few = cases / 256;
        if few < 4 { 4 } else { few }
    } else {
        cases
    }
}

/// Whether `kind` is one of the decoder's diagnoses (src/diagnose.rs), which replace the
/// rule-level error when the bytes show a common mistake. Which one is reported can depend
/// on how much of the input has arrived, and on the UTF-8 policy.
pub fn is_diagnosis(kind: mqtt_wire::DecodeErrorKind) -> bool {
    use mqtt_wire::DecodeErrorKind as K;
    matches!(
        kind,
        K::TlsOnPlainPort
            | K::HttpOnMqttPort
            | K::WrongProtocolVersion(_)
            | K::MisspelledProtocolName(_)
    )
}

/// Bytes a variable byte integer takes for `n` (§1.5.5), computed here from the spec.
pub fn varint_size(n: usize) -> usize {
    match n {
        0..=127 => 1,
        128..=16_383 => 2,
        16_384..=2_097_151 => 3,
        _ => 4,
    }
}

/// Reads a Remaining Length from the bytes after the first header byte: `(value, bytes)`.
/// Written from the spec (§1.5.5 / §2.2.3) for checking encoder output.
pub fn read_remaining_len(after_first: &[u8]) -> (usize, usize) {
    let mut value = 0usize;
    for (i, b) in after_first.iter().take(4).enumerate() {
        value |= usize::from(b & 0x7F) << (7 * i);
        if b & 0x80 == 0 {
            return (value, i + 1);
        }
    }
    panic!("no complete Remaining Length in {after_first:02X?}");
}

// ---------------------------------------------------------------------------------------
// Strings, binary data, topics
// ---------------------------------------------------------------------------------------

/// A character allowed in an MQTT string: anything but U+0000, biased towards ASCII.
fn text_char() -> impl Strategy<Value = char> {
    prop_oneof![
        6 => prop::char::range('a', 'z'),
        2 => prop::char::range(' ', '~'),
        2 => any::<char>(),
    ]
    .prop_map(|c| if c == '\0' { '_' } else { c })
}

/// A character allowed inside one level of a topic name or filter (no `/`, `+`, `#`).
fn level_char() -> impl Strategy<Value = char> {
    text_char().prop_map(|c| if matches!(c, '/' | '+' | '#') { 'x' } else { c })
}

/// Repeats `seed`'s characters (or `a`) to exactly `len` bytes of UTF-8.
fn fill_to(seed: &str, len: usize) -> String {
    let mut s = String::with_capacity(len);
    for c in seed.chars().cycle() {
        if s.len() + c.len_utf8() > len {
            break;
        }
        s.push(c);
    }
    while s.len() < len {
        s.push('a');
    }
    s
}

fn short_text(max: usize) -> impl Strategy<Value = String> {
    vec(text_char(), 0..=max).prop_map(String::from_iter)
}

/// A UTF-8 string field: often empty or short, rarely exactly 65,535 bytes.
pub fn text() -> BoxedStrategy<String> {
    prop_oneof![
        300 => short_text(12),
        1 => short_text(4).prop_map(|s| fill_to(&s, FIELD_MAX)),
    ]
    .boxed()
}

/// A Binary Data field: often empty or short, rarely exactly 65,535 bytes.
pub fn binary() -> BoxedStrategy<Vec<u8>> {
    prop_oneof![
        300 => vec(any::<u8>(), 0..=16),
        1 => any::<u8>().prop_map(|b| vec![b; FIELD_MAX]),
    ]
    .boxed()
}

fn level(max: usize) -> impl Strategy<Value = String> {
    vec(level_char(), 0..=max).prop_map(String::from_iter)
}

/// A topic name: one or more levels (possibly empty ones), no wildcards, never empty
/// (MQTT-4.7.3-1, MQTT-3.3.2-2); rarely 65,535 bytes long.
pub fn topic_name() -> BoxedStrategy<String> {
    prop_oneof![
        300 => vec(level(6), 1..5).prop_map(|levels| {
            let name = levels.join("/");
            if name.is_empty() { "t".to_string() } else { name }
        }),
        1 => level(3).prop_map(|seed| fill_to(&format!("{seed}/"), FIELD_MAX)),
    ]
    .boxed()
}

/// A topic filter (MQTT-4.7.1-2, MQTT-4.7.1-3): levels that are literal or `+`, optionally
/// ending in `#`; under 5.0 sometimes a shared subscription `$share/{group}/{filter}`.
pub fn topic_filter(v: Version) -> BoxedStrategy<String> {
    let level = prop_oneof![3 => level(5), 1 => Just("+".to_string())];
    let plain = prop_oneof![
        1 => Just("#".to_string()),
        12 => (vec(level, 1..5), any::<bool>()).prop_map(|(mut levels, hash)| {
            if hash {
                levels.push("#".to_string());
            }
            let f = levels.join("/");
            // A single empty level would be the empty filter, which is invalid.
            if f.is_empty() { "f".to_string() } else { f }
        }),
    ];
    if v.is_v5() {
        let group = vec(level_char(), 1..6).prop_map(String::from_iter);
        prop_oneof![
            5 => plain.clone(),
            1 => (group, plain).prop_map(|(g, f)| format!("$share/{g}/{f}")),
        ]
        .boxed()
    } else {
        plain.boxed()
    }
}

/// Whether `filter` is a 5.0 shared subscription (for the No Local rule, MQTT-3.8.3-4).
pub fn is_shared(filter: &str, v: Version) -> bool {
    v.is_v5() && filter.starts_with("$share/")
}

// ---------------------------------------------------------------------------------------
// Properties
// ---------------------------------------------------------------------------------------

/// An owned [`Property`].
#[derive(Debug, Clone, PartialEq)]
#[allow(missing_docs)]
pub enum PropModel {
    PayloadFormatIndicator(bool),
    MessageExpiryInterval(u32),
    ContentType(String),
    ResponseTopic(String),
    CorrelationData(Vec<u8>),
    SubscriptionIdentifier(u32),
    SessionExpiryInterval(u32),
    AssignedClientIdentifier(String),
    ServerKeepAlive(u16),
    AuthenticationMethod(String),
    AuthenticationData(Vec<u8>),
    RequestProblemInformation(bool),
    WillDelayInterval(u32),
    RequestResponseInformation(bool),
    ResponseInformation(String),
    ServerReference(String),
    ReasonString(String),
    ReceiveMaximum(u16),
    TopicAliasMaximum(u16),
    TopicAlias(u16),
    MaximumQoS(QoS),
    RetainAvailable(bool),
    UserProperty(String, String),
    MaximumPacketSize(u32),
    WildcardSubscriptionAvailable(bool),
    SubscriptionIdentifierAvailable(bool),
    SharedSubscriptionAvailable(bool),
}

impl PropModel {
    /// The borrowed property.
    pub fn as_property(&self) -> Property<'_> {
        use PropModel as M;
        match self {
            M::PayloadFormatIndicator(b) => Property::PayloadFormatIndicator(*b),
            M::MessageExpiryInterval(v) => Property::MessageExpiryInterval(*v),
            M::ContentType(s) => Property::ContentType(s),
            M::ResponseTopic(s) => Property::ResponseTopic(s),
            M::CorrelationData(b) => Property::CorrelationData(b),
            M::SubscriptionIdentifier(v) => Property::SubscriptionIdentifier(*v),
            M::SessionExpiryInterval(v) => Property::SessionExpiryInterval(*v),
            M::AssignedClientIdentifier(s) => Property::AssignedClientIdentifier(s),
            M::ServerKeepAlive(v) => Property::ServerKeepAlive(*v),
            M::AuthenticationMethod(s) => Property::AuthenticationMethod(s),
            M::AuthenticationData(b) => Property::AuthenticationData(b),
            M::RequestProblemInformation(b) => Property::RequestProblemInformation(*b),
            M::WillDelayInterval(v) => Property::WillDelayInterval(*v),
            M::RequestResponseInformation(b) => Property::RequestResponseInformation(*b),
            M::ResponseInformation(s) => Property::ResponseInformation(s),
            M::ServerReference(s) => Property::ServerReference(s),
            M::ReasonString(s) => Property::ReasonString(s),
            M::ReceiveMaximum(v) => Property::ReceiveMaximum(*v),
            M::TopicAliasMaximum(v) => Property::TopicAliasMaximum(*v),
            M::TopicAlias(v) => Property::TopicAlias(*v),
            M::MaximumQoS(q) => Property::MaximumQoS(*q),
            M::RetainAvailable(b) => Property::RetainAvailable(*b),
            M::UserProperty(k, v) => Property::UserProperty(k, v),
            M::MaximumPacketSize(v) => Property::MaximumPacketSize(*v),
            M::WildcardSubscriptionAvailable(b) => Property::WildcardSubscriptionAvailable(*b),
            M::SubscriptionIdentifierAvailable(b) => Property::SubscriptionIdentifierAvailable(*b),
            M::SharedSubscriptionAvailable(b) => Property::SharedSubscriptionAvailable(*b),
        }
    }

    /// Bytes on the wire: identifier (one byte, all are below 0x80) plus value (§2.2.2.2).
    pub fn wire_len(&self) -> usize {
        use PropModel as M;
        1 + match self {
            M::PayloadFormatIndicator(_)
            | M::RequestProblemInformation(_)
            | M::RequestResponseInformation(_)
            | M::MaximumQoS(_)
            | M::RetainAvailable(_)
            | M::WildcardSubscriptionAvailable(_)
            | M::SubscriptionIdentifierAvailable(_)
            | M::SharedSubscriptionAvailable(_) => 1,
            M::ServerKeepAlive(_)
            | M::ReceiveMaximum(_)
            | M::TopicAliasMaximum(_)
            | M::TopicAlias(_) => 2,
            M::MessageExpiryInterval(_)
            | M::SessionExpiryInterval(_)
            | M::WillDelayInterval(_)
            | M::MaximumPacketSize(_) => 4,
            M::SubscriptionIdentifier(v) => varint_size(*v as usize),
            M::ContentType(s)
            | M::ResponseTopic(s)
            | M::AssignedClientIdentifier(s)
            | M::AuthenticationMethod(s)
            | M::ResponseInformation(s)
            | M::ServerReference(s)
            | M::ReasonString(s) => 2 + s.len(),
            M::CorrelationData(b) | M::AuthenticationData(b) => 2 + b.len(),
            M::UserProperty(k, v) => 4 + k.len() + v.len(),
        }
    }
}

/// The identifiers allowed in each property context, from the spec's Table 2-4
/// (MQTT 5.0 §2.2.2.2), written out independently of `PropertyId::is_allowed_in`.
pub fn allowed_ids(ctx: PropertyContext) -> &'static [u8] {
    use PropertyContext as C;
    match ctx {
        C::Connect => &[0x11, 0x15, 0x16, 0x17, 0x19, 0x21, 0x22, 0x26, 0x27],
        C::Will => &[0x01, 0x02, 0x03, 0x08, 0x09, 0x18, 0x26],
        C::ConnAck => &[
            0x11, 0x12, 0x13, 0x15, 0x16, 0x1A, 0x1C, 0x1F, 0x21, 0x22, 0x24, 0x25, 0x26, 0x27,
            0x28, 0x29, 0x2A,
        ],
        C::Publish => &[0x01, 0x02, 0x03, 0x08, 0x09, 0x0B, 0x23, 0x26],
        C::PubAck | C::PubRec | C::PubRel | C::PubComp | C::SubAck | C::UnsubAck => &[0x1F, 0x26],
        C::Subscribe => &[0x0B, 0x26],
        C::Unsubscribe => &[0x26],
        C::Disconnect => &[0x11, 0x1C, 0x1F, 0x26],
        C::Auth => &[0x15, 0x16, 0x1F, 0x26],
    }
}

/// Every property context.
pub const ALL_CONTEXTS: [PropertyContext; 14] = [
    PropertyContext::Connect,
    PropertyContext::Will,
    PropertyContext::ConnAck,
    PropertyContext::Publish,
    PropertyContext::PubAck,
    PropertyContext::PubRec,
    PropertyContext::PubRel,
    PropertyContext::PubComp,
    PropertyContext::Subscribe,
    PropertyContext::SubAck,
    PropertyContext::Unsubscribe,
    PropertyContext::UnsubAck,
    PropertyContext::Disconnect,
    PropertyContext::Auth,
];

/// u32 values with the edges first.
fn u32_value() -> impl Strategy<Value = u32> {
    prop_oneof![1 => select(vec![0, 1, u32::MAX]), 3 => any::<u32>()]
}

fn nonzero_u16() -> impl Strategy<Value = u16> {
    prop_oneof![1 => select(vec![1, u16::MAX]), 3 => 1..=u16::MAX]
}

/// A valid value for property `id` (range rules of §3.x: non-zero Receive Maximum, Topic
/// Alias and Maximum Packet Size, Subscription Identifier 1..=268,435,455, Maximum QoS 0/1,
/// Response Topic a topic name).
pub fn prop_value(id: u8) -> BoxedStrategy<PropModel> {
    use PropModel as M;
    match id {
        0x01 => any::<bool>().prop_map(M::PayloadFormatIndicator).boxed(),
        0x02 => u32_value().prop_map(M::MessageExpiryInterval).boxed(),
        0x03 => text().prop_map(M::ContentType).boxed(),
        0x08 => topic_name().prop_map(M::ResponseTopic).boxed(),
        0x09 => binary().prop_map(M::CorrelationData).boxed(),
        0x0B => prop_oneof![
            1 => select(vec![1u32, 127, 128, 16_383, 16_384, 2_097_151, 2_097_152, 268_435_455]),
            2 => 1..=268_435_455u32,
        ]
        .prop_map(M::SubscriptionIdentifier)
        .boxed(),
        0x11 => u32_value().prop_map(M::SessionExpiryInterval).boxed(),
        0x12 => text().prop_map(M::AssignedClientIdentifier).boxed(),
        0x13 => any::<u16>().prop_map(M::ServerKeepAlive).boxed(),
        0x15 => text().prop_map(M::AuthenticationMethod).boxed(),
        0x16 => binary().prop_map(M::AuthenticationData).boxed(),
        0x17 => any::<bool>().prop_map(M::RequestProblemInformation).boxed(),
        0x18 => u32_value().prop_map(M::WillDelayInterval).boxed(),
        0x19 => any::<bool>()
            .prop_map(M::RequestResponseInformation)
            .boxed(),
        0x1A => text().prop_map(M::ResponseInformation).boxed(),
        0x1C => text().prop_map(M::ServerReference).boxed(),
        0x1F => text().prop_map(M::ReasonString).boxed(),
        0x21 => nonzero_u16().prop_map(M::ReceiveMaximum).boxed(),
        0x22 => any::<u16>().prop_map(M::TopicAliasMaximum).boxed(),
        0x23 => nonzero_u16().prop_map(M::TopicAlias).boxed(),
        0x24 => select(vec![QoS::AtMostOnce, QoS::AtLeastOnce])
            .prop_map(M::MaximumQoS)
            .boxed(),
        0x25 => any::<bool>().prop_map(M::RetainAvailable).boxed(),
        0x26 => (text(), text())
            .prop_map(|(k, v)| M::UserProperty(k, v))
            .boxed(),
        0x27 => prop_oneof![1 => Just(1u32), 1 => Just(u32::MAX), 3 => 1..=u32::MAX]
            .prop_map(M::MaximumPacketSize)
            .boxed(),
        0x28 => any::<bool>()
            .prop_map(M::WildcardSubscriptionAvailable)
            .boxed(),
        0x29 => any::<bool>()
            .prop_map(M::SubscriptionIdentifierAvailable)
            .boxed(),
        0x2A => any::<bool>()
            .prop_map(M::SharedSubscriptionAvailable)
            .boxed(),
        other => panic!("no property 0x{other:02X}"),
    }
}

/// A valid property list for `ctx`: each allowed property at most once (each present with
/// probability ~1/3), User Property 0..=4 times (sometimes up to 40), Subscription
/// Identifier repeated in PUBLISH (§3.3.2.3.8), in random order.
pub fn props(ctx: PropertyContext) -> BoxedStrategy<Vec<PropModel>> {
    let mut parts: Vec<BoxedStrategy<Vec<PropModel>>> = Vec::new();
    for &id in allowed_ids(ctx) {
        let repeats = match (id, ctx) {
            (0x26, _) => prop_oneof![8 => 0..=4usize, 1 => 5..=40usize].boxed(),
            (0x0B, PropertyContext::Publish) => {
                prop_oneof![3 => Just(0usize), 1 => 1..=3usize].boxed()
            }
            _ => prop_oneof![2 => Just(0usize), 1 => Just(1usize)].boxed(),
        };
        parts.push(
            repeats
                .prop_flat_map(move |n| vec(prop_value(id), n))
                .boxed(),
        );
    }
    parts
        .prop_map(|lists| lists.into_iter().flatten().collect::<Vec<_>>())
        .prop_shuffle()
        .boxed()
}

/// A property list, or none at all under 3.x.
fn props_for(v: Version, ctx: PropertyContext) -> BoxedStrategy<Vec<PropModel>> {
    if v.is_v5() {
        props(ctx)
    } else {
        Just(Vec::new()).boxed()
    }
}

fn block_len(props: &[PropModel]) -> usize {
    let len: usize = props.iter().map(PropModel::wire_len).sum();
    varint_size(len) + len
}

fn block_len_if_v5(v: Version, props: &[PropModel]) -> usize {
    if v.is_v5() { block_len(props) } else { 0 }
}

// ---------------------------------------------------------------------------------------
// Reason codes (MQTT 5.0 §2.4 and each packet's table), written from the spec
// ---------------------------------------------------------------------------------------

/// The reason codes `ty` may carry in MQTT 5.0.
pub fn reason_codes_for(ty: PacketType) -> Vec<ReasonCode> {
    let bytes: &[u8] = match ty {
        PacketType::ConnAck => &[
            0x00, 0x80, 0x81, 0x82, 0x83, 0x84, 0x85, 0x86, 0x87, 0x88, 0x89, 0x8A, 0x8C, 0x90,
            0x95, 0x97, 0x99, 0x9A, 0x9B, 0x9C, 0x9D, 0x9F,
        ],
        PacketType::PubAck | PacketType::PubRec => {
            &[0x00, 0x10, 0x80, 0x83, 0x87, 0x90, 0x91, 0x97, 0x99]
        }
        PacketType::PubRel | PacketType::PubComp => &[0x00, 0x92],
        PacketType::SubAck => &[
            0x00, 0x01, 0x02, 0x80, 0x83, 0x87, 0x8F, 0x91, 0x97, 0x9E, 0xA1, 0xA2,
        ],
        PacketType::UnsubAck => &[0x00, 0x11, 0x80, 0x83, 0x87, 0x8F, 0x91],
        PacketType::Disconnect => &[
            0x00, 0x04, 0x80, 0x81, 0x82, 0x83, 0x87, 0x89, 0x8B, 0x8D, 0x8E, 0x8F, 0x90, 0x93,
            0x94, 0x95, 0x96, 0x97, 0x98, 0x99, 0x9A, 0x9B, 0x9C, 0x9D, 0x9E, 0x9F, 0xA0, 0xA1,
            0xA2,
        ],
        PacketType::Auth => &[0x00, 0x18, 0x19],
        other => panic!("{other} has no reason code"),
    };
    bytes
        .iter()
        .map(|&b| ReasonCode::try_from(b).expect("reason code in the spec's table"))
        .collect()
}

/// A reason code for `ty` in 5.0, `Success` half the time.
fn reason_code(ty: PacketType) -> BoxedStrategy<ReasonCode> {
    prop_oneof![1 => Just(ReasonCode::Success), 1 => select(reason_codes_for(ty))].boxed()
}

fn qos() -> impl Strategy<Value = QoS> {
    select(vec![QoS::AtMostOnce, QoS::AtLeastOnce, QoS::ExactlyOnce])
}

fn tail_form() -> impl Strategy<Value = TailForm> {
    select(vec![
        TailForm::Shortest,
        TailForm::ReasonCode,
        TailForm::Full,
    ])
}

fn packet_id() -> impl Strategy<Value = u16> {
    prop_oneof![1 => select(vec![1u16, 0x00FF, 0x0100, u16::MAX]), 3 => 1..=u16::MAX]
}

fn pid(id: u16) -> PacketId {
    PacketId::new(id).expect("generated packet ids are non-zero")
}

// ---------------------------------------------------------------------------------------
// Packets
// ---------------------------------------------------------------------------------------

/// An owned Will Message.
#[derive(Debug, Clone)]
#[allow(missing_docs)]
pub struct WillModel {
    pub props: Vec<PropModel>,
    pub topic: String,
    pub payload: Vec<u8>,
    pub qos: QoS,
    pub retain: bool,
}

/// An owned CONNECT.
#[derive(Debug, Clone)]
#[allow(missing_docs)]
pub struct ConnectModel {
    pub clean_start: bool,
    pub keep_alive: u16,
    pub props: Vec<PropModel>,
    pub client_id: String,
    pub will: Option<WillModel>,
    pub username: Option<String>,
    pub password: Option<Vec<u8>>,
    /// The bridge bit (3.x only).
    pub bridge: bool,
}

/// An owned PUBLISH.
#[derive(Debug, Clone)]
#[allow(missing_docs)]
pub struct PublishModel {
    pub dup: bool,
    pub qos: QoS,
    pub retain: bool,
    pub topic: String,
    pub packet_id: Option<u16>,
    pub props: Vec<PropModel>,
    pub payload: Vec<u8>,
}

/// Which of the four PUBLISH acknowledgements an [`PacketModel::Ack`] is.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
#[allow(missing_docs, clippy::enum_variant_names)] // the spec's packet names
pub enum AckKind {
    PubAck,
    PubRec,
    PubRel,
    PubComp,
}

impl AckKind {
    /// The packet type.
    pub fn packet_type(self) -> PacketType {
        match self {
            Self::PubAck => PacketType::PubAck,
            Self::PubRec => PacketType::PubRec,
            Self::PubRel => PacketType::PubRel,
            Self::PubComp => PacketType::PubComp,
        }
    }

    fn context(self) -> PropertyContext {
        match self {
            Self::PubAck => PropertyContext::PubAck,
            Self::PubRec => PropertyContext::PubRec,
            Self::PubRel => PropertyContext::PubRel,
            Self::PubComp => PropertyContext::PubComp,
        }
    }
}

/// An owned model of one packet.
#[derive(Debug, Clone)]
#[allow(missing_docs)]
pub enum PacketModel {
    Connect(ConnectModel),
    ConnAck {
        session_present: bool,
        reason_code: ReasonCode,
        props: Vec<PropModel>,
    },
    Publish(PublishModel),
    Ack {
        kind: AckKind,
        packet_id: u16,
        reason_code: ReasonCode,
        props: Vec<PropModel>,
        form: TailForm,
        /// DUP on a re-sent 3.1 PUBREL.
        dup: bool,
    },
    Subscribe {
        packet_id: u16,
        props: Vec<PropModel>,
        subs: Vec<(String, SubscriptionOptions)>,
        /// DUP on a re-sent 3.1 SUBSCRIBE.
        dup: bool,
    },
    SubAck {
        packet_id: u16,
        props: Vec<PropModel>,
        codes: Vec<ReasonCode>,
    },
    Unsubscribe {
        packet_id: u16,
        props: Vec<PropModel>,
        filters: Vec<String>,
        /// DUP on a re-sent 3.1 UNSUBSCRIBE.
        dup: bool,
    },
    UnsubAck {
        packet_id: u16,
        props: Vec<PropModel>,
        codes: Vec<ReasonCode>,
    },
    PingReq,
    PingResp,
    Disconnect {
        reason_code: ReasonCode,
        props: Vec<PropModel>,
        form: TailForm,
    },
    Auth {
        reason_code: ReasonCode,
        props: Vec<PropModel>,
        form: TailForm,
    },
}

/// A generated packet and the version of the connection it is sent on.
#[derive(Debug, Clone)]
pub struct Case {
    /// The connection's protocol version (a CONNECT's own version is the same).
    pub version: Version,
    /// The packet.
    pub packet: PacketModel,
}

/// The borrowed item lists a [`PacketModel`] needs to become a [`Packet`].
#[derive(Debug, Default)]
pub struct Lists<'m> {
    props: Vec<Property<'m>>,
    will_props: Vec<Property<'m>>,
    subs: Vec<Subscription<'m>>,
    filters: Vec<&'m str>,
}

fn borrow_props(props: &[PropModel]) -> Vec<Property<'_>> {
    props.iter().map(PropModel::as_property).collect()
}

/// How many optional tail parts a 5.0 PUBACK/PUBREC/PUBREL/PUBCOMP/DISCONNECT/AUTH has on
/// the wire (0: none, 1: reason code, 2: reason code and properties), from §3.4.2.1,
/// §3.14.2.1 and §3.15.2.1: the content needs some, the form may ask for more, and AUTH has
/// no reason-code-only form.
pub fn tail_level(ty: PacketType, rc: ReasonCode, has_props: bool, form: TailForm) -> usize {
    let auth = |l: usize| {
        if ty == PacketType::Auth && l == 1 {
            2
        } else {
            l
        }
    };
    let needed = auth(if has_props {
        2
    } else if rc != ReasonCode::Success {
        1
    } else {
        0
    });
    let asked = match form {
        TailForm::Shortest => 0,
        TailForm::ReasonCode => 1,
        TailForm::Full => 2,
    };
    auth(needed.max(asked))
}

/// The form a decoder reports for a tail that was encoded with `form`: `Shortest` when the
/// wire form is the shortest the content allows, else the form actually on the wire.
pub fn decoded_form(ty: PacketType, rc: ReasonCode, has_props: bool, form: TailForm) -> TailForm {
    let on_wire = tail_level(ty, rc, has_props, form);
    let needed = tail_level(ty, rc, has_props, TailForm::Shortest);
    match (on_wire > needed, on_wire) {
        (false, _) => TailForm::Shortest,
        (true, 1) => TailForm::ReasonCode,
        (true, _) => TailForm::Full,
    }
}

fn tail_wire_len(ty: PacketType, rc: ReasonCode, props: &[PropModel], form: TailForm) -> usize {
    match tail_level(ty, rc, !props.is_empty(), form) {
        0 => 0,
        1 => 1,
        _ => 1 + block_len(props),
    }
}

impl PacketModel {
    /// The packet type.
    pub fn packet_type(&self) -> PacketType {
        match self {
            Self::Connect(_) => PacketType::Connect,
            Self::ConnAck { .. } => PacketType::ConnAck,
            Self::Publish(_) => PacketType::Publish,
            Self::Ack { kind, .. } => kind.packet_type(),
            Self::Subscribe { .. } => PacketType::Subscribe,
            Self::SubAck { .. } => PacketType::SubAck,
            Self::Unsubscribe { .. } => PacketType::Unsubscribe,
            Self::UnsubAck { .. } => PacketType::UnsubAck,
            Self::PingReq => PacketType::PingReq,
            Self::PingResp => PacketType::PingResp,
            Self::Disconnect { .. } => PacketType::Disconnect,
            Self::Auth { .. } => PacketType::Auth,
        }
    }

    /// Builds the item lists the packet borrows.
    pub fn lists(&self) -> Lists<'_> {
        let mut l = Lists::default();
        match self {
            Self::Connect(c) => {
                l.props = borrow_props(&c.props);
                if let Some(w) = &c.will {
                    l.will_props = borrow_props(&w.props);
                }
            }
            Self::Publish(p) => l.props = borrow_props(&p.props),
            Self::ConnAck { props, .. }
            | Self::Ack { props, .. }
            | Self::SubAck { props, .. }
            | Self::UnsubAck { props, .. }
            | Self::Disconnect { props, .. }
            | Self::Auth { props, .. } => l.props = borrow_props(props),
            Self::Subscribe { props, subs, .. } => {
                l.props = borrow_props(props);
                l.subs = subs
                    .iter()
                    .map(|(filter, options)| Subscription {
                        filter,
                        options: *options,
                    })
                    .collect();
            }
            Self::Unsubscribe { props, filters, .. } => {
                l.props = borrow_props(props);
                l.filters = filters.iter().map(String::as_str).collect();
            }
            Self::PingReq | Self::PingResp => {}
        }
        l
    }

    /// The packet to encode, borrowing the model and `l` (from [`lists`](Self::lists)).
    pub fn packet<'s>(&'s self, v: Version, l: &'s Lists<'s>) -> Packet<'s> {
        let props = Properties::new(&l.props);
        match self {
            Self::Connect(c) => Packet::Connect(Connect {
                version: v,
                clean_start: c.clean_start,
                keep_alive: c.keep_alive,
                properties: props,
                client_id: &c.client_id,
                will: c.will.as_ref().map(|w| Will {
                    properties: Properties::new(&l.will_props),
                    topic: &w.topic,
                    payload: &w.payload,
                    qos: w.qos,
                    retain: w.retain,
                }),
                username: c.username.as_deref(),
                password: c.password.as_deref(),
                bridge: c.bridge,
            }),
            Self::ConnAck {
                session_present,
                reason_code,
                ..
            } => Packet::ConnAck(ConnAck {
                session_present: *session_present,
                reason_code: *reason_code,
                properties: props,
            }),
            Self::Publish(p) => Packet::Publish(Publish {
                dup: p.dup,
                qos: p.qos,
                retain: p.retain,
                topic: &p.topic,
                packet_id: p.packet_id.map(pid),
                properties: props,
                payload: &p.payload,
            }),
            Self::Ack {
                kind,
                packet_id,
                reason_code,
                form,
                dup,
                ..
            } => {
                let ack = Ack {
                    packet_id: pid(*packet_id),
                    reason_code: *reason_code,
                    properties: props,
                    form: *form,
                    dup: *dup,
                };
                match kind {
                    AckKind::PubAck => Packet::PubAck(ack),
                    AckKind::PubRec => Packet::PubRec(ack),
                    AckKind::PubRel => Packet::PubRel(ack),
                    AckKind::PubComp => Packet::PubComp(ack),
                }
            }
            Self::Subscribe { packet_id, dup, .. } => Packet::Subscribe(Subscribe {
                packet_id: pid(*packet_id),
                properties: props,
                subscriptions: Subscriptions::new(&l.subs),
                dup: *dup,
            }),
            Self::SubAck {
                packet_id, codes, ..
            } => Packet::SubAck(SubAck {
                packet_id: pid(*packet_id),
                properties: props,
                reason_codes: ReasonCodes::new(codes),
            }),
            Self::Unsubscribe { packet_id, dup, .. } => Packet::Unsubscribe(Unsubscribe {
                packet_id: pid(*packet_id),
                properties: props,
                filters: TopicFilters::new(&l.filters),
                dup: *dup,
            }),
            Self::UnsubAck {
                packet_id, codes, ..
            } => Packet::UnsubAck(UnsubAck {
                packet_id: pid(*packet_id),
                properties: props,
                reason_codes: ReasonCodes::new(codes),
            }),
            Self::PingReq => Packet::PingReq,
            Self::PingResp => Packet::PingResp,
            Self::Disconnect {
                reason_code, form, ..
            } => Packet::Disconnect(Disconnect {
                reason_code: *reason_code,
                properties: props,
                form: *form,
            }),
            Self::Auth {
                reason_code, form, ..
            } => Packet::Auth(Auth {
                reason_code: *reason_code,
                properties: props,
                form: *form,
            }),
        }
    }

    /// The packet a decoder must give back: [`packet`](Self::packet) with each
    /// [`TailForm`] replaced by [`decoded_form`] (a longer form than the content needs is
    /// remembered, a redundant one is not).
    pub fn expected<'s>(&'s self, v: Version, l: &'s Lists<'s>) -> Packet<'s> {
        let mut p = self.packet(v, l);
        let ty = p.packet_type();
        match &mut p {
            Packet::PubAck(a) | Packet::PubRec(a) | Packet::PubRel(a) | Packet::PubComp(a) => {
                a.form = decoded_form(ty, a.reason_code, !a.properties.is_empty(), a.form);
            }
            Packet::Disconnect(d) => {
                d.form = decoded_form(ty, d.reason_code, !d.properties.is_empty(), d.form);
            }
            Packet::Auth(a) => {
                a.form = decoded_form(ty, a.reason_code, !a.properties.is_empty(), a.form);
            }
            _ => {}
        }
        p
    }

    /// The Remaining Length, computed from the model and the spec's field layouts (not by
    /// the crate): an oracle for `encoded_len`.
    pub fn remaining_len(&self, v: Version) -> usize {
        let s = |s: &str| 2 + s.len();
        match self {
            Self::Connect(c) => {
                let mut n = s(if v == Version::V3_1 { "MQIsdp" } else { "MQTT" }) + 1 + 1 + 2;
                n += block_len_if_v5(v, &c.props) + s(&c.client_id);
                if let Some(w) = &c.will {
                    n += block_len_if_v5(v, &w.props) + s(&w.topic) + 2 + w.payload.len();
                }
                n += c.username.as_deref().map_or(0, s);
                n + c.password.as_ref().map_or(0, |p| 2 + p.len())
            }
            Self::ConnAck { props, .. } => 2 + block_len_if_v5(v, props),
            Self::Publish(p) => {
                s(&p.topic)
                    + if p.packet_id.is_some() { 2 } else { 0 }
                    + block_len_if_v5(v, &p.props)
                    + p.payload.len()
            }
            Self::Ack {
                kind,
                reason_code,
                props,
                form,
                ..
            } => {
                2 + if v.is_v5() {
                    tail_wire_len(kind.packet_type(), *reason_code, props, *form)
                } else {
                    0
                }
            }
            Self::Subscribe { props, subs, .. } => {
                2 + block_len_if_v5(v, props) + subs.iter().map(|(f, _)| s(f) + 1).sum::<usize>()
            }
            Self::SubAck { props, codes, .. } => 2 + block_len_if_v5(v, props) + codes.len(),
            Self::Unsubscribe { props, filters, .. } => {
                2 + block_len_if_v5(v, props) + filters.iter().map(|f| s(f)).sum::<usize>()
            }
            Self::UnsubAck { props, codes, .. } => {
                2 + if v.is_v5() {
                    block_len(props) + codes.len()
                } else {
                    0
                }
            }
            Self::PingReq | Self::PingResp => 0,
            Self::Disconnect {
                reason_code,
                props,
                form,
            } => {
                if v.is_v5() {
                    tail_wire_len(PacketType::Disconnect, *reason_code, props, *form)
                } else {
                    0
                }
            }
            Self::Auth {
                reason_code,
                props,
                form,
            } => tail_wire_len(PacketType::Auth, *reason_code, props, *form),
        }
    }

    /// The payload of a PUBLISH (empty for other packets).
    pub fn payload(&self) -> &[u8] {
        match self {
            Self::Publish(p) => &p.payload,
            _ => &[],
        }
    }

    /// The whole packet's size: first byte, Remaining Length, body.
    pub fn total_len(&self, v: Version) -> usize {
        let rem = self.remaining_len(v);
        1 + varint_size(rem) + rem
    }
}

fn will(v: Version) -> impl Strategy<Value = WillModel> {
    (
        props_for(v, PropertyContext::Will),
        topic_name(),
        binary(),
        qos(),
        any::<bool>(),
    )
        .prop_map(|(props, topic, payload, qos, retain)| WillModel {
            props,
            topic,
            payload,
            qos,
            retain,
        })
}

fn connect(v: Version) -> BoxedStrategy<PacketModel> {
    (
        any::<bool>(),
        prop_oneof![1 => Just(0u16), 1 => Just(u16::MAX), 3 => any::<u16>()],
        props_for(v, PropertyContext::Connect),
        text(),
        prop::option::of(will(v)),
        prop::option::of(text()),
        prop::option::of(binary()),
        any::<bool>(),
    )
        .prop_map(
            move |(
                clean_start,
                keep_alive,
                mut props,
                client_id,
                will,
                username,
                password,
                bridge,
            )| {
                // Authentication Data needs an Authentication Method (§3.1.2.11.10).
                let has = |id: fn(&PropModel) -> bool, props: &[PropModel]| props.iter().any(id);
                if has(|p| matches!(p, PropModel::AuthenticationData(_)), &props)
                    && !has(|p| matches!(p, PropModel::AuthenticationMethod(_)), &props)
                {
                    props.push(PropModel::AuthenticationMethod("SCRAM-SHA-1".into()));
                }
                let mut c = ConnectModel {
                    clean_start,
                    keep_alive,
                    props,
                    client_id,
                    will,
                    username,
                    password,
                    // 5.0 has no bridge level (NotInVersion).
                    bridge: bridge && !v.is_v5(),
                };
                // 3.x: a password needs a user name (MQTT-3.1.2-22).
                if !v.is_v5() && c.password.is_some() && c.username.is_none() {
                    c.username = Some("user".into());
                }
                // 3.1.1: an empty client id needs Clean Session (MQTT-3.1.3-7).
                if v == Version::V3_1_1 && c.client_id.is_empty() {
                    c.clean_start = true;
                }
                PacketModel::Connect(c)
            },
        )
        .boxed()
}

fn connack(v: Version) -> BoxedStrategy<PacketModel> {
    let code = if v.is_v5() {
        reason_code(PacketType::ConnAck)
    } else {
        // The six 3.x return codes (MQTT 3.1.1 §3.2.2.3), as the 5.0 codes they map to.
        select(
            (0..=5u8)
                .map(|c| ReasonCode::from_v3_connack(c).expect("3.x return code"))
                .collect::<Vec<_>>(),
        )
        .boxed()
    };
    (any::<bool>(), code, props_for(v, PropertyContext::ConnAck))
        .prop_map(move |(sp, reason_code, props)| PacketModel::ConnAck {
            // Session Present only with success (MQTT-3.2.2-4), and 3.1 has no such flag.
            session_present: sp && reason_code == ReasonCode::Success && v != Version::V3_1,
            reason_code,
            props,
        })
        .boxed()
}

/// A PUBLISH valid for `v`; now and then sized to a varint boundary (see [`VARINT_EDGES`]).
pub fn publish(v: Version) -> BoxedStrategy<PacketModel> {
    let topic = if v.is_v5() {
        // 5.0: an empty topic name with a Topic Alias (§3.3.2.3.4).
        prop_oneof![8 => topic_name(), 1 => Just(String::new())].boxed()
    } else {
        topic_name()
    };
    (
        any::<bool>(),
        qos(),
        any::<bool>(),
        topic,
        packet_id(),
        props_for(v, PropertyContext::Publish),
        vec(any::<u8>(), 0..32),
        prop_oneof![40 => Just(None), 1 => select(VARINT_EDGES.to_vec()).prop_map(Some)],
    )
        .prop_map(
            move |(dup, qos, retain, topic, id, mut props, mut payload, target)| {
                if topic.is_empty() && !props.iter().any(|p| matches!(p, PropModel::TopicAlias(_)))
                {
                    props.push(PropModel::TopicAlias(1));
                }
                let mut p = PublishModel {
                    // DUP only with QoS 1 or 2 (MQTT-3.3.1-2).
                    dup: dup && qos != QoS::AtMostOnce,
                    qos,
                    retain,
                    topic,
                    // A packet id exactly with QoS 1 or 2 (MQTT-2.3.1-5).
                    packet_id: (qos != QoS::AtMostOnce).then_some(id),
                    props,
                    payload: Vec::new(),
                };
                if let Some(target) = target {
                    // Size the payload so the Remaining Length is exactly `target`.
                    let rest = PacketModel::Publish(p.clone()).remaining_len(v);
                    if rest <= target {
                        let fill = payload.first().copied().unwrap_or(0x5A);
                        payload.resize(target - rest, fill);
                    }
                }
                p.payload = payload;
                PacketModel::Publish(p)
            },
        )
        .boxed()
}

fn ack(v: Version) -> BoxedStrategy<PacketModel> {
    select(vec![
        AckKind::PubAck,
        AckKind::PubRec,
        AckKind::PubRel,
        AckKind::PubComp,
    ])
    .prop_flat_map(move |kind| {
        let ty = kind.packet_type();
        let tail = if v.is_v5() {
            (reason_code(ty), props(kind.context()), tail_form()).boxed()
        } else {
            Just((ReasonCode::Success, Vec::new(), TailForm::Shortest)).boxed()
        };
        // MQTT 3.1 §2.1: a re-sent PUBREL may carry DUP; no other version or ack has it.
        let dup = dup_if(v == Version::V3_1 && kind == AckKind::PubRel);
        (packet_id(), tail, dup).prop_map(move |(packet_id, (reason_code, props, form), dup)| {
            PacketModel::Ack {
                kind,
                packet_id,
                reason_code,
                props,
                form,
                dup,
            }
        })
    })
    .boxed()
}

fn subscription(v: Version) -> BoxedStrategy<(String, SubscriptionOptions)> {
    let handling = select(vec![
        RetainHandling::SendAtSubscribe,
        RetainHandling::SendIfNew,
        RetainHandling::DoNotSend,
    ]);
    (
        topic_filter(v),
        qos(),
        any::<bool>(),
        any::<bool>(),
        handling,
    )
        .prop_map(move |(filter, qos, no_local, rap, retain_handling)| {
            let options = if v.is_v5() {
                SubscriptionOptions {
                    qos,
                    // No Local is a Protocol Error on a shared subscription (MQTT-3.8.3-4).
                    no_local: no_local && !is_shared(&filter, v),
                    retain_as_published: rap,
                    retain_handling,
                }
            } else {
                SubscriptionOptions::new(qos)
            };
            (filter, options)
        })
        .boxed()
}

/// 1..=4 items usually, sometimes up to 40.
fn some<T: std::fmt::Debug + 'static>(s: BoxedStrategy<T>) -> BoxedStrategy<Vec<T>> {
    prop_oneof![6 => vec(s.clone(), 1..=4), 1 => vec(s, 5..=40)].boxed()
}

fn subscribe(v: Version) -> BoxedStrategy<PacketModel> {
    (
        packet_id(),
        props_for(v, PropertyContext::Subscribe),
        some(subscription(v)),
        dup_if(v == Version::V3_1),
    )
        .prop_map(|(packet_id, props, subs, dup)| PacketModel::Subscribe {
            packet_id,
            props,
            subs,
            dup,
        })
        .boxed()
}

/// The DUP flag of a PUBREL, SUBSCRIBE or UNSUBSCRIBE: either value where it exists (3.1),
/// otherwise `false`.
fn dup_if(exists: bool) -> BoxedStrategy<bool> {
    if exists {
        any::<bool>().boxed()
    } else {
        Just(false).boxed()
    }
}

fn suback(v: Version) -> BoxedStrategy<PacketModel> {
    let code: BoxedStrategy<ReasonCode> = match v {
        Version::V5 => select(reason_codes_for(PacketType::SubAck)).boxed(),
        // 3.1 grants QoS 0..2; 3.1.1 adds 0x80 Failure (MQTT-3.9.3-2).
        Version::V3_1 => select(vec![
            ReasonCode::Success,
            ReasonCode::GrantedQoS1,
            ReasonCode::GrantedQoS2,
        ])
        .boxed(),
        Version::V3_1_1 => select(vec![
            ReasonCode::Success,
            ReasonCode::GrantedQoS1,
            ReasonCode::GrantedQoS2,
            ReasonCode::UnspecifiedError,
        ])
        .boxed(),
    };
    (
        packet_id(),
        props_for(v, PropertyContext::SubAck),
        some(code),
    )
        .prop_map(|(packet_id, props, codes)| PacketModel::SubAck {
            packet_id,
            props,
            codes,
        })
        .boxed()
}

fn unsubscribe(v: Version) -> BoxedStrategy<PacketModel> {
    (
        packet_id(),
        props_for(v, PropertyContext::Unsubscribe),
        some(topic_filter(v)),
        dup_if(v == Version::V3_1),
    )
        .prop_map(
            |(packet_id, props, filters, dup)| PacketModel::Unsubscribe {
                packet_id,
                props,
                filters,
                dup,
            },
        )
        .boxed()
}

fn unsuback(v: Version) -> BoxedStrategy<PacketModel> {
    let codes = if v.is_v5() {
        some(select(reason_codes_for(PacketType::UnsubAck)).boxed())
    } else {
        // 3.x UNSUBACK is only a packet identifier.
        Just(Vec::new()).boxed()
    };
    (packet_id(), props_for(v, PropertyContext::UnsubAck), codes)
        .prop_map(|(packet_id, props, codes)| PacketModel::UnsubAck {
            packet_id,
            props,
            codes,
        })
        .boxed()
}

fn disconnect(v: Version) -> BoxedStrategy<PacketModel> {
    if !v.is_v5() {
        return Just(PacketModel::Disconnect {
            reason_code: ReasonCode::Success,
            props: Vec::new(),
            form: TailForm::Shortest,
        })
        .boxed();
    }
    (
        reason_code(PacketType::Disconnect),
        props(PropertyContext::Disconnect),
        tail_form(),
    )
        .prop_map(|(reason_code, props, form)| PacketModel::Disconnect {
            reason_code,
            props,
            form,
        })
        .boxed()
}

/// AUTH (5.0 only): the empty form (success, Remaining Length 0), or a reason code with
/// properties that include the Authentication Method (§3.15.2.2.2).
fn auth() -> BoxedStrategy<PacketModel> {
    let empty = Just(PacketModel::Auth {
        reason_code: ReasonCode::Success,
        props: Vec::new(),
        form: TailForm::Shortest,
    });
    let full = (
        reason_code(PacketType::Auth),
        props(PropertyContext::Auth),
        tail_form(),
        text(),
    )
        .prop_map(|(reason_code, mut props, form, method)| {
            if !props
                .iter()
                .any(|p| matches!(p, PropModel::AuthenticationMethod(_)))
            {
                props.push(PropModel::AuthenticationMethod(method));
            }
            PacketModel::Auth {
                reason_code,
                props,
                form,
            }
        });
    prop_oneof![1 => empty, 4 => full].boxed()
}

/// Any packet valid for a connection of version `v` (AUTH only in 5.0).
pub fn packet(v: Version) -> BoxedStrategy<PacketModel> {
    let mut choices: Vec<(u32, BoxedStrategy<PacketModel>)> = vec![
        (3, connect(v)),
        (2, connack(v)),
        (4, publish(v)),
        (3, ack(v)),
        (2, subscribe(v)),
        (2, suback(v)),
        (2, unsubscribe(v)),
        (2, unsuback(v)),
        (1, Just(PacketModel::PingReq).boxed()),
        (1, Just(PacketModel::PingResp).boxed()),
        (2, disconnect(v)),
    ];
    if v.is_v5() {
        choices.push((2, auth()));
    }
    proptest::strategy::Union::new_weighted(choices).boxed()
}

/// A protocol version, 5.0 twice as often as each 3.x (it has the most to test).
pub fn version() -> impl Strategy<Value = Version> {
    prop_oneof![
        1 => Just(Version::V3_1),
        1 => Just(Version::V3_1_1),
        2 => Just(Version::V5),
    ]
}

/// Any valid packet of any version.
pub fn case() -> BoxedStrategy<Case> {
    version()
        .prop_flat_map(|version| packet(version).prop_map(move |packet| Case { version, packet }))
        .boxed()
}
