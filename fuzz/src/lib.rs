//! Oracles shared by the fuzz targets. Each one panics (which libFuzzer reports as a crash)
//! when an invariant of DESIGN.md does not hold.

use mqtt_wire::{
    ClientSide, DecodeError, DecodeErrorKind, DecodeOptions, EncodeError, Packet, Role, ServerSide,
    Status, TailForm, Utf8Policy, Version, decode, decode_as, decode_frame, decode_with, frame,
};

/// Whether `kind` is one of the decoder's diagnoses (src/diagnose.rs), which replace the
/// rule-level error when the bytes show a common mistake. Which one is reported can depend
/// on how much of the input has arrived and on the UTF-8 policy.
pub fn is_diagnosis(kind: DecodeErrorKind) -> bool {
    use DecodeErrorKind as K;
    matches!(
        kind,
        K::TlsOnPlainPort
            | K::HttpOnMqttPort
            | K::WrongProtocolVersion(_)
            | K::MisspelledProtocolName(_)
    )
}

/// The version to encode a packet with: a CONNECT carries its own.
pub fn encode_version(p: &Packet<'_>, connection: Version) -> Version {
    match p {
        Packet::Connect(c) => c.version,
        _ => connection,
    }
}

/// Encodes `p`, checking that `encoded_len` agrees with `encode` and that a buffer one byte
/// too small is refused with the needed size. `None` when the packet cannot be encoded (and
/// then `encode` must refuse it with the same error).
pub fn encode_checked(p: &Packet<'_>, v: Version) -> Option<Vec<u8>> {
    let len = match p.encoded_len(v) {
        Ok(len) => len,
        Err(e) => {
            let mut big = vec![0u8; 1 << 16];
            match p.encode(v, &mut big) {
                // A packet bigger than the scratch buffer says so instead.
                Err(EncodeError::BufferTooSmall { .. }) => {}
                other => assert_eq!(other, Err(e), "encode and encoded_len disagree"),
            }
            return None;
        }
    };
    let mut buf = vec![0u8; len];
    assert_eq!(
        p.encode(v, &mut buf),
        Ok(len),
        "encode disagrees with encoded_len"
    );
    let mut short = vec![0u8; len - 1];
    assert_eq!(
        p.encode(v, &mut short),
        Err(EncodeError::BufferTooSmall { needed: len }),
        "a too-small buffer must be refused with the needed size"
    );
    Some(buf)
}

/// The decode oracle for arbitrary bytes on a connection of version `v`:
///
/// - `decode` is `frame` followed by `decode_frame`, and they agree on every outcome;
/// - a decoded packet re-encodes to exactly the bytes it was decoded from (canonical form),
///   with `encoded_len` equal to the bytes consumed;
/// - every strict prefix of a decoded packet is `Partial(n)`, `n >= 1`, never over-promising;
/// - the strict UTF-8 policy accepts a subset of what the default policy accepts, and a size
///   limit refuses exactly the packets above it.
pub fn check_decode(data: &[u8], v: Version) {
    let opts = DecodeOptions::new();
    let framed = frame(data, v, &opts);
    let decoded = decode(data, v);
    match (&framed, &decoded) {
        (Err(fe), Err(de)) => assert_eq!(fe, de, "frame and decode disagree on the error"),
        (Ok(Status::Partial(a)), Ok(Status::Partial(b))) => {
            assert_eq!(a, b, "frame and decode disagree on the missing count");
            assert!(*a >= 1, "Partial(0)");
        }
        (Ok(Status::Complete(f)), Ok(Status::Complete((_, used)))) => {
            assert_eq!(f.len(), *used, "frame and decode disagree on the length");
        }
        (Ok(Status::Complete(f)), Err(de)) => {
            // The body was refused: decode_frame says the same.
            assert_eq!(decode_frame(data, f, v, &opts).as_ref().err(), Some(de));
        }
        other => panic!("frame and decode disagree: {other:?}"),
    }
    check_roles(data, v, &decoded);
    let Ok(Status::Complete((packet, used))) = decoded else {
        return;
    };
    let f = match framed {
        Ok(Status::Complete(f)) => f,
        _ => unreachable!(),
    };
    assert_eq!(decode_frame(data, &f, v, &opts), Ok(packet));

    // Canonical: re-encoding gives exactly the consumed bytes.
    let ev = encode_version(&packet, v);
    let bytes = encode_checked(&packet, ev).expect("a decoded packet must be encodable");
    assert_eq!(
        bytes.len(),
        used,
        "encoded_len differs from the bytes consumed"
    );
    assert_eq!(
        &bytes[..],
        &data[..used],
        "re-encoding differs from the input"
    );

    // Strict prefixes ask for more, never past the packet's end, exactly once the fixed
    // header is complete.
    for k in 0..used {
        match decode(&data[..k], v) {
            Ok(Status::Partial(n)) => {
                assert!(n >= 1 && k + n <= used, "prefix {k}/{used}: Partial({n})");
                if k >= f.header_len {
                    assert_eq!(k + n, used, "prefix {k}/{used}: inexact Partial({n})");
                }
            }
            other => panic!("prefix {k}/{used}: {other:?}"),
        }
    }

    // Options: a limit at the size accepts, one byte less refuses; Strict is stricter.
    let limit = u32::try_from(used).expect("small input");
    let at_limit = DecodeOptions::new().max_packet_size(limit);
    assert_eq!(
        decode_with(data, v, &at_limit),
        Ok(Status::Complete((packet, used)))
    );
    let below = DecodeOptions::new().max_packet_size(limit - 1);
    match decode_with(data, v, &below) {
        Err(e) => assert_eq!(e.kind(), DecodeErrorKind::PacketTooLarge),
        other => panic!("size limit {} ignored: {other:?}", limit - 1),
    }
    let strict = DecodeOptions::new().utf8_policy(Utf8Policy::Strict);
    match decode_with(data, v, &strict) {
        Ok(Status::Complete((p, n))) => assert_eq!((p, n), (packet, used)),
        Err(e) => assert!(
            e.kind() == DecodeErrorKind::DisallowedCodePoint || is_diagnosis(e.kind()),
            "strict policy refused with {e:?}"
        ),
        Ok(Status::Partial(n)) => panic!("strict policy wants {n} more bytes"),
    }
}

/// The role oracle: with a receiver, decoding refuses more (only by the direction rules)
/// and never accepts what the role-free decoder refuses; `decode_as` agrees with
/// `decode_with` and the same receiver (up to the diagnoses, which it does not make).
pub fn check_roles(
    data: &[u8],
    v: Version,
    free: &Result<Status<(Packet<'_>, usize)>, DecodeError>,
) {
    use DecodeErrorKind as K;
    for role in [Role::Client, Role::Server] {
        let with = decode_with(data, v, &DecodeOptions::new().receiver(role));
        let lean = match role {
            Role::Client => decode_as::<ClientSide>(data, v, &DecodeOptions::new()),
            Role::Server => decode_as::<ServerSide>(data, v, &DecodeOptions::new()),
        };
        match (&with, &lean) {
            (Err(a), Err(_)) if is_diagnosis(a.kind()) => {}
            _ => assert_eq!(with, lean, "decode_as and decode_with({role}) disagree"),
        }
        let direction = |e: &DecodeError| {
            matches!(
                e.kind(),
                K::WrongDirection | K::PropertyWrongDirection(_) | K::ReasonCodeWrongDirection(_)
            )
        };
        match (free, &with) {
            (Ok(a), Ok(b)) => assert_eq!(a, b, "a receiver changed a packet ({role})"),
            (Ok(_), Err(e)) => assert!(direction(e), "{role} refused a valid packet with {e:?}"),
            (Err(_), Ok(b)) => panic!("{role} accepted what the role-free decoder refuses: {b:?}"),
            (Err(a), Err(b)) => assert!(
                a == b || direction(b) || is_diagnosis(a.kind()) || is_diagnosis(b.kind()),
                "{role}: {b:?} instead of {a:?}"
            ),
        }
    }
}

/// `p` with every [`TailForm`] set to `Shortest`, for comparing values whose wire form
/// may differ only in redundant optional parts.
pub fn without_form(p: Packet<'_>) -> Packet<'_> {
    match p {
        Packet::PubAck(a) => Packet::PubAck(mqtt_wire::Ack {
            form: TailForm::Shortest,
            ..a
        }),
        Packet::PubRec(a) => Packet::PubRec(mqtt_wire::Ack {
            form: TailForm::Shortest,
            ..a
        }),
        Packet::PubRel(a) => Packet::PubRel(mqtt_wire::Ack {
            form: TailForm::Shortest,
            ..a
        }),
        Packet::PubComp(a) => Packet::PubComp(mqtt_wire::Ack {
            form: TailForm::Shortest,
            ..a
        }),
        Packet::Disconnect(d) => Packet::Disconnect(mqtt_wire::Disconnect {
            form: TailForm::Shortest,
            ..d
        }),
        Packet::Auth(a) => Packet::Auth(mqtt_wire::Auth {
            form: TailForm::Shortest,
            ..a
        }),
        other => other,
    }
}

/// The encode oracle: a packet that encodes decodes back to itself (modulo a redundant
/// [`TailForm`]), consuming exactly the encoded bytes, and re-encodes to the same bytes.
pub fn check_encode(p: &Packet<'_>, v: Version) {
    let ev = encode_version(p, v);
    let Some(bytes) = encode_checked(p, ev) else {
        return;
    };
    let (q, used) = match decode(&bytes, v) {
        Ok(Status::Complete(done)) => done,
        other => panic!("encoded packet does not decode: {other:?}\n{p:?}\n{bytes:02X?}"),
    };
    assert_eq!(used, bytes.len(), "decode consumed a different length");
    assert_eq!(
        without_form(q),
        without_form(*p),
        "round trip changed the packet"
    );
    let again = encode_checked(&q, ev).expect("a decoded packet must be encodable");
    assert_eq!(again, bytes, "decode -> encode is not the identity");
    // The full decode oracle holds for the encoded bytes too.
    check_decode(&bytes, v);
}
