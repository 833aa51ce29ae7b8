//! Rules, accessors and conversions next to lines of src/ that `tools/coverage.sh` and
//! `tools/uncovered.py` showed unreached by the rest of the test suite and the fuzz corpora.

use std::num::NonZeroU16;

use mqtt_wire::topic::{TopicFilter, TopicName};
use mqtt_wire::{
    DecodeErrorKind, DecodeOptions, EncodeError, Field, Framer, Packet, PacketId, PacketType,
    Properties, Property, PropertyId, ReasonCode, Role, Seq, Status, Version, decode, decode_frame,
    frame,
};

/// MQTT 5.0 §3.15.2.2.1: the Reason Code of AUTH may be omitted only together with the
/// Property Length (Remaining Length 0); a Remaining Length of 1 is malformed, and the
/// error points at the Remaining Length field. (The fixed-header length bounds refuse it
/// before the body is decoded, so the AUTH check in src/packet/ack.rs stays unreached.)
#[test]
fn v5_auth_with_reason_code_only_is_malformed() {
    let err = decode(&[0xF0, 0x01, 0x00], Version::V5).unwrap_err();
    assert_eq!(
        (err.kind(), err.offset()),
        (DecodeErrorKind::InvalidRemainingLength, 1)
    );
}

/// `decode_frame` documents `Truncated` when `buf` is shorter than the frame it is given
/// (src/entry.rs): a caller that frames one buffer and then passes a shorter one gets an
/// error at the end of what it passed, not a panic or a read past it.
#[test]
fn decode_frame_with_a_buffer_shorter_than_the_frame_is_truncated() {
    let opts = DecodeOptions::new();
    let puback = [0x40, 0x02, 0x00, 0x01];
    let Ok(Status::Complete(f)) = frame(&puback, Version::V3_1_1, &opts) else {
        panic!("PUBACK frames")
    };
    let err = decode_frame(&puback[..3], &f, Version::V3_1_1, &opts).unwrap_err();
    assert_eq!((err.kind(), err.offset()), (DecodeErrorKind::Truncated, 3));
}

/// The same when the frame belongs to other bytes: `buf` holds `frame.len()` bytes, but
/// they are the start of a longer packet, so decoding them is incomplete (src/entry.rs).
#[test]
fn decode_frame_with_a_frame_of_other_bytes_is_truncated() {
    let opts = DecodeOptions::new();
    let Ok(Status::Complete(f)) = frame(&[0x40, 0x02, 0x00, 0x01], Version::V3_1_1, &opts) else {
        panic!("PUBACK frames")
    };
    // A PUBLISH whose Remaining Length says 5: its first 4 bytes are not a whole packet.
    let publish = [0x30, 0x05, 0x00, 0x01, 0x61, 0x62, 0x63];
    let err = decode_frame(&publish, &f, Version::V3_1_1, &opts).unwrap_err();
    assert_eq!((err.kind(), err.offset()), (DecodeErrorKind::Truncated, 4));
}

/// MQTT-3.1.3-8: a server that refuses a zero-byte Client Identifier without Clean Session
/// answers CONNACK 0x02 (3.1.1), Client Identifier not valid (0x85 in 5.0); the error's
/// `reason_code` is that answer.
#[test]
fn mqtt_3_1_3_8_empty_client_id_without_clean_session_answers_identifier_rejected() {
    // CONNECT 3.1.1, flags 0x00 (no Clean Session), keep-alive 60, client id "" (length 0).
    let connect = [
        0x10, 0x0C, 0x00, 0x04, b'M', b'Q', b'T', b'T', 0x04, 0x00, 0x00, 0x3C, 0x00, 0x00,
    ];
    let err = decode(&connect, Version::V3_1_1).unwrap_err();
    assert_eq!(
        err.kind(),
        DecodeErrorKind::EmptyClientIdWithoutCleanSession
    );
    assert_eq!(err.reason_code(), ReasonCode::ClientIdentifierNotValid);
    assert_eq!(ReasonCode::from_v3_connack(0x02), Some(err.reason_code()));
}

/// The small conversions and accessors nothing else calls: each returns what its
/// documentation says.
#[test]
fn accessors_and_conversions_say_what_their_docs_say() {
    assert_eq!(Version::from_level(6), None);
    assert_eq!(Version::from_level(4), Some(Version::V3_1_1));
    let id = PacketId::from(NonZeroU16::new(7).unwrap());
    assert_eq!(id.get(), 7);
    assert_eq!(ReasonCode::default(), ReasonCode::Success);
    let opts = DecodeOptions::default();
    assert_eq!(opts, DecodeOptions::new());
    assert_eq!(opts.receiving_role(), None);
    assert_eq!(
        DecodeOptions::new().receiver(Role::Server).receiving_role(),
        Some(Role::Server)
    );
    assert!(Status::<()>::Partial(1).is_partial());
    assert!(!Status::Complete(()).is_partial());
    assert_eq!(PacketType::SubAck.to_string(), "SUBACK");
    let Ok(Status::Complete(f)) = frame(&[0xC0, 0x00], Version::V5, &DecodeOptions::new()) else {
        panic!("PINGREQ frames")
    };
    assert!(!f.is_empty());
    assert_eq!(f.len(), 2);

    let name = TopicName::new("a/b").unwrap();
    assert_eq!((name.as_ref(), name.to_string().as_str()), ("a/b", "a/b"));
    let filter = TopicFilter::new("a/+", Version::V5).unwrap();
    assert_eq!(
        (filter.as_ref(), filter.to_string().as_str()),
        ("a/+", "a/+")
    );

    let empty: Seq<'_, &str> = Seq::default();
    assert_eq!(empty.iter().count(), 0);
    let seq = Seq::new(&["a", "b/#"]);
    assert_eq!(seq.into_iter().collect::<Vec<_>>(), ["a", "b/#"]);
    assert_eq!((&seq).into_iter().count(), 2);
    assert_eq!(format!("{seq:?}"), r#"["a", "b/#"]"#);
    assert_eq!(format!("{:?}", seq.iter()), "SeqIter");

    let props = [
        Property::SubscriptionIdentifier(5),
        Property::ContentType("text/plain"),
        Property::SubscriptionIdentifier(9),
    ];
    let props = Properties::new(&props);
    assert_eq!(props.subscription_identifiers().collect::<Vec<_>>(), [5, 9]);
}

/// PUBACK id 1, reason 0x10, empty properties: valid in 5.0 only (a 3.1.1 PUBACK has a
/// 2-byte body).
const PUBACK_V5: [u8; 6] = [0x40, 0x04, 0x00, 0x01, 0x10, 0x00];

/// The version setters of the framer: a packet after the switch is read under the new
/// version.
#[test]
fn version_setters_change_how_the_next_packet_is_read() {
    let mut framer = Framer::new(&PUBACK_V5, Version::V3_1_1);
    framer.set_version(Version::V5);
    assert!(matches!(framer.next_packet(), Some(Ok(Packet::PubAck(_)))));

    let mut packets = Framer::new(&PUBACK_V5, Version::V3_1_1).packets();
    packets.framer_mut().set_version(Version::V5);
    assert_eq!(packets.framer().version(), Version::V5);
    assert!(matches!(packets.next(), Some(Ok(Packet::PubAck(_)))));
}

/// The same for `StreamBuffer`: refused under 3.1.1, read after the switch to 5.0.
#[cfg(feature = "heapless")]
#[test]
fn stream_buffer_version_setter() {
    let mut rx: mqtt_wire::StreamBuffer<16> = mqtt_wire::StreamBuffer::new(Version::V3_1_1);
    rx.push(&PUBACK_V5);
    assert_eq!(rx.version(), Version::V3_1_1);
    assert!(rx.next_packet().is_err(), "a 3.1.1 PUBACK has 2 bytes");
    rx.set_version(Version::V5);
    assert_eq!(rx.version(), Version::V5);
    assert!(matches!(
        rx.next_packet(),
        Ok(Status::Complete(Packet::PubAck(_)))
    ));
}

/// `OwnedPacket`'s `Hash` agrees with its `Eq` (same version and bytes), and its `Debug`
/// shows the version and the decoded packet.
#[cfg(feature = "bytes")]
#[test]
fn owned_packet_hash_and_debug() {
    use std::collections::HashSet;
    let ping = mqtt_wire::OwnedPacket::from_packet(&Packet::PingReq, Version::V5).unwrap();
    let again = mqtt_wire::OwnedPacket::from_packet(&Packet::PingReq, Version::V5).unwrap();
    let older = mqtt_wire::OwnedPacket::from_packet(&Packet::PingReq, Version::V3_1_1).unwrap();
    let set: HashSet<_> = [ping.clone(), again, older].into_iter().collect();
    assert_eq!(
        set.len(),
        2,
        "equal packets hash alike; the version tells them apart"
    );
    assert_eq!(
        format!("{ping:?}"),
        "OwnedPacket { version: V5, packet: PingReq }"
    );
}

/// Every decode error kind (52 on 2026-12-07; a new one belongs in this list) has its own
/// one-line message, and `Display` adds the argument the kind carries: what a log line or
/// the dissector shows a user.
#[test]
fn every_decode_error_kind_has_its_own_message() {
    use DecodeErrorKind as K;
    let kinds = [
        K::InvalidPacketType,
        K::ReservedFlags,
        K::VarIntTooLong,
        K::NonMinimalVarInt,
        K::PacketTooLarge,
        K::Truncated,
        K::TrailingBytes,
        K::InvalidRemainingLength,
        K::InvalidUtf8,
        K::NullCharacter,
        K::DisallowedCodePoint,
        K::InvalidProtocolName,
        K::UnsupportedProtocolLevel,
        K::ConnectReservedFlag,
        K::WillQoSWithoutWill,
        K::WillRetainWithoutWill,
        K::InvalidWillQoS,
        K::PasswordWithoutUsername,
        K::EmptyClientIdWithoutCleanSession,
        K::ConnAckReservedFlags,
        K::InvalidConnectReturnCode,
        K::SessionPresentWithRefusal,
        K::InvalidQoS,
        K::DupWithQoS0,
        K::ZeroPacketId,
        K::WildcardInTopicName,
        K::EmptyTopic,
        K::InvalidTopicFilter,
        K::TopicAliasRequired,
        K::TopicTooLong,
        K::NoTopicFilters,
        K::InvalidRequestedQoS,
        K::ReservedSubscriptionBits,
        K::InvalidRetainHandling,
        K::NoLocalOnSharedSubscription,
        K::NoReasonCodes,
        K::InvalidSubAckReturnCode,
        K::UnknownProperty,
        K::PropertyNotAllowed(PropertyId::ContentType),
        K::DuplicateProperty(PropertyId::ContentType),
        K::InvalidPropertyValue(PropertyId::ContentType),
        K::ZeroTopicAlias,
        K::AuthDataWithoutMethod,
        K::AuthMethodMissing,
        K::InvalidReasonCode(0x83),
        K::WrongDirection,
        K::PropertyWrongDirection(PropertyId::ContentType),
        K::ReasonCodeWrongDirection(0x83),
        K::TlsOnPlainPort,
        K::HttpOnMqttPort,
        K::WrongProtocolVersion(Version::V5),
        K::MisspelledProtocolName(Version::V3_1_1),
    ];
    let mut messages = std::collections::BTreeSet::new();
    for kind in kinds {
        let message = kind.message();
        assert!(!message.is_empty() && !message.contains('\n'), "{kind:?}");
        assert!(messages.insert(message), "{kind:?} repeats {message:?}");
        assert!(kind.to_string().starts_with(message), "{kind:?}");
    }
    assert_eq!(messages.len(), 52);
    let shown = |k: K| k.to_string();
    assert!(shown(K::DuplicateProperty(PropertyId::ContentType)).ends_with(": ContentType (0x03)"));
    assert!(shown(K::InvalidReasonCode(0x83)).ends_with(": 0x83"));
    assert!(shown(K::WrongProtocolVersion(Version::V5)).ends_with(" (it fits MQTT 5.0)"));
    assert!(
        shown(K::MisspelledProtocolName(Version::V3_1))
            .ends_with(r#" (expected "MQIsdp" for MQTT 3.1)"#)
    );
    assert_eq!(shown(K::Truncated), K::Truncated.message());
}

/// Every encode error has its own message, and `NotInVersion` names the field the version
/// lacks (each field its own name).
#[test]
fn every_encode_error_and_field_has_its_own_message() {
    let fields = [
        Field::Properties,
        Field::ReasonCode,
        Field::TailForm,
        Field::SessionPresent,
        Field::Dup,
        Field::SubscriptionOptions,
        Field::Auth,
        Field::Bridge,
    ];
    let mut names = std::collections::BTreeSet::new();
    for field in fields {
        assert!(names.insert(field.name()), "{field:?}");
        assert_eq!(field.to_string(), field.name());
        let message = EncodeError::NotInVersion(field).to_string();
        assert!(message.ends_with(field.name()), "{message}");
    }
    let errors = [
        EncodeError::BufferTooSmall { needed: 7 },
        EncodeError::FieldTooLong,
        EncodeError::PacketTooLarge,
        EncodeError::NotInVersion(Field::Dup),
        EncodeError::VersionMismatch,
        EncodeError::PacketIdMismatch,
        EncodeError::Invalid(DecodeErrorKind::ZeroPacketId),
    ];
    let messages: std::collections::BTreeSet<String> =
        errors.iter().map(ToString::to_string).collect();
    assert_eq!(messages.len(), errors.len());
    assert!(messages.contains("output buffer too small: 7 bytes needed"));
    assert!(messages.contains("invalid packet: packet identifier is 0"));
}

/// With `arbitrary`, a `Seq` is drawn from a byte slice, so its size hint is the slice's
/// (what lets a derived packet's hint add up).
#[cfg(feature = "arbitrary")]
#[test]
fn arbitrary_seq_size_hint_is_the_byte_slice_one() {
    use arbitrary::Arbitrary;
    for depth in [0, 3] {
        assert_eq!(
            <Seq<'_, Property<'_>> as Arbitrary<'_>>::size_hint(depth),
            <&[u8] as Arbitrary<'_>>::size_hint(depth)
        );
    }
}
