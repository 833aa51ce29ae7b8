//! Friendly diagnoses: after decoding has failed, look at the bytes once more and, when they
//! show a common mistake, replace the rule-level error with a kind that names the mistake.
//!
//! | kind | when |
//! |---|---|
//! | [`TlsOnPlainPort`](DecodeErrorKind::TlsOnPlainPort) | fixed header invalid; bytes start with a TLS content type (0x14..=0x17) and 0x03 |
//! | [`HttpOnMqttPort`](DecodeErrorKind::HttpOnMqttPort) | header or body invalid; bytes start with an HTTP method and a space, or `HTTP/` |
//! | [`WrongProtocolVersion`](DecodeErrorKind::WrongProtocolVersion) | type 15 (AUTH) on a 3.x connection; a Remaining Length the type can have only in the other version (header alone, see [`frame`](crate::frame)); or a non-CONNECT body invalid in the connection's version that decodes in the other one (3.x ↔ 5.0), except a PUBLISH on a 5.0 connection |
//! | [`MisspelledProtocolName`](DecodeErrorKind::MisspelledProtocolName) | CONNECT protocol name within one edit (ignoring case) of `MQTT` or `MQIsdp` |
//!
//! Everything here runs only on the error path (the functions are `#[cold]`), so a valid
//! packet costs nothing extra. The diagnosis never turns an error into success or `Partial`,
//! and it looks only at bytes that have arrived: with fewer bytes than a signature needs, the
//! rule-level error stays.

use crate::error::{DecodeError, DecodeErrorKind};
use crate::header::{Frame, PacketType};
use crate::types::Version;
use crate::{DecodeOptions, Status};

/// HTTP/1.x request methods (RFC 9110 §9, plus PATCH and the HTTP/2 preface `PRI`) with the
/// space that ends the method token, and the start of a response status line.
const HTTP_STARTS: [&[u8]; 11] = [
    b"GET ",
    b"POST ",
    b"PUT ",
    b"HEAD ",
    b"DELETE ",
    b"OPTIONS ",
    b"CONNECT ",
    b"PATCH ",
    b"TRACE ",
    b"PRI ",
    b"HTTP/",
];

/// Whether `buf` starts like a TLS record: content type change_cipher_spec, alert, handshake
/// or application_data (RFC 8446 §5.1), then major version 3.
fn is_tls(buf: &[u8]) -> bool {
    matches!(buf, [0x14..=0x17, 0x03, ..])
}

/// Whether `buf` starts with an HTTP request line's method or a response's `HTTP/`.
fn is_http(buf: &[u8]) -> bool {
    HTTP_STARTS.iter().any(|start| buf.starts_with(start))
}

/// The version to try when a packet fails in `version`.
const fn other_version(version: Version) -> Version {
    if version.is_v5() {
        Version::V3_1_1
    } else {
        Version::V5
    }
}

/// Refines an error of [`decode_raw`](crate::packet::decode_raw): one found in the body
/// of a packet whose fixed header is valid, or one of the fixed header (as [`frame`] does).
///
/// [`frame`]: crate::frame
#[cold]
#[inline(never)]
pub(crate) fn refine(
    buf: &[u8],
    version: Version,
    opts: &DecodeOptions,
    err: DecodeError,
) -> DecodeError {
    match crate::header::frame_raw(buf, version, opts) {
        Ok(Status::Complete(frame)) => body_error(buf, &frame, version, opts, err),
        _ => refine_header_error(buf, version, err),
    }
}

/// The diagnoses of an error [`frame_raw`](crate::header::frame_raw) found.
#[cold]
#[inline(never)]
pub(crate) fn refine_header_error(buf: &[u8], version: Version, err: DecodeError) -> DecodeError {
    let rule_of_the_header = err.offset() == 0
        || matches!(
            err.kind(),
            DecodeErrorKind::InvalidRemainingLength | DecodeErrorKind::WrongProtocolVersion(_)
        );
    if rule_of_the_header {
        header_error(buf, version, err)
    } else {
        err
    }
}

/// Refines an error found in the fixed header (packet type, flags or Remaining Length).
#[cold]
#[inline(never)]
pub(crate) fn header_error(buf: &[u8], version: Version, err: DecodeError) -> DecodeError {
    if is_tls(buf) {
        return DecodeError::new(DecodeErrorKind::TlsOnPlainPort, 0);
    }
    if is_http(buf) {
        return DecodeError::new(DecodeErrorKind::HttpOnMqttPort, 0);
    }
    // Type 15 with the flags 0000 that AUTH requires: an AUTH header, which only 5.0 has.
    // Judged on this byte alone, so that the same stream gives the same error however it
    // is chunked (the error's offset is this byte).
    if !version.is_v5() && buf.first() == Some(&0xF0) {
        return DecodeError::new(DecodeErrorKind::WrongProtocolVersion(Version::V5), 0);
    }
    err
}

/// Refines an error found in the body of a packet whose fixed header was valid.
fn body_error(
    buf: &[u8],
    frame: &Frame,
    version: Version,
    opts: &DecodeOptions,
    err: DecodeError,
) -> DecodeError {
    // `POST`, `PUT`, `PATCH`, `PRI` start with 0x50, a valid PUBREC header.
    if is_http(buf) {
        return DecodeError::new(DecodeErrorKind::HttpOnMqttPort, 0);
    }
    if frame.packet_type == PacketType::Connect {
        let name_at = buf.get(err.offset()..).unwrap_or_default();
        if err.kind() == DecodeErrorKind::InvalidProtocolName
            && let Some(meant) = misspelled_protocol_name(name_at)
        {
            let kind = DecodeErrorKind::MisspelledProtocolName(meant);
            return DecodeError::new(kind, err.offset());
        }
        // CONNECT names its own version: there is no other version to try.
        return err;
    }
    // A broken 5.0 property rule means the bytes parsed as a 5.0 property block; its reason
    // code (0x82, 0x94 ...) is what a 5.0 receiver must answer with. A 3.1.1 reading of the
    // same bytes almost always succeeds (a PUBLISH payload swallows the block), so it is no
    // evidence of a version mix-up: keep the rule.
    if is_v5_property_rule(err.kind())
        || is_string_rule(err.kind())
        || is_direction_rule(err.kind())
    {
        return err;
    }
    // The same holds for every error in a PUBLISH on a 5.0 connection: the topic and packet
    // identifier read the same in both versions, so what failed is the property block (its
    // length, an identifier, a value cut short), and the 3.1.1 reading, taking the block for
    // payload, succeeds whatever those bytes are.
    if version.is_v5() && frame.packet_type == PacketType::Publish {
        return err;
    }
    let other = other_version(version);
    if matches!(
        crate::packet::decode_raw(buf, other, opts),
        Ok(Status::Complete(_))
    ) {
        return DecodeError::new(DecodeErrorKind::WrongProtocolVersion(other), err.offset());
    }
    err
}

/// Rules about the content of one string (ill-formed UTF-8, U+0000, disallowed code points):
/// they name the exact bytes at fault, while another version's reading of the packet would
/// often just swallow those bytes into a payload, which proves nothing about the version.
const fn is_string_rule(kind: DecodeErrorKind) -> bool {
    use DecodeErrorKind as K;
    matches!(
        kind,
        K::InvalidUtf8 | K::NullCharacter | K::DisallowedCodePoint
    )
}

/// Rules about who sent the packet (with a known receiver): the packet is valid, only not
/// from this sender, whatever the version.
const fn is_direction_rule(kind: DecodeErrorKind) -> bool {
    use DecodeErrorKind as K;
    matches!(
        kind,
        K::WrongDirection | K::PropertyWrongDirection(_) | K::ReasonCodeWrongDirection(_)
    )
}

/// Rules that only a 5.0 property block (or its presence rules) can break.
const fn is_v5_property_rule(kind: DecodeErrorKind) -> bool {
    use DecodeErrorKind as K;
    matches!(
        kind,
        K::UnknownProperty
            | K::PropertyNotAllowed(_)
            | K::DuplicateProperty(_)
            | K::InvalidPropertyValue(_)
            | K::ZeroTopicAlias
            | K::AuthDataWithoutMethod
            | K::AuthMethodMissing
            | K::TopicAliasRequired
    )
}

/// `at` starts with the CONNECT protocol name (2-byte length, bytes) and the protocol level.
/// Returns the version the name most likely meant, if it is near `MQTT` or `MQIsdp`.
fn misspelled_protocol_name(at: &[u8]) -> Option<Version> {
    let (len, rest) = at.split_first_chunk::<2>()?;
    let len = usize::from(u16::from_be_bytes(*len));
    let (name, after) = rest.split_at_checked(len)?;
    let level = after.first().copied();
    if near(name, b"MQIsdp") {
        Some(Version::V3_1)
    } else if near(name, b"MQTT") {
        Some(if level == Some(5) {
            Version::V5
        } else {
            Version::V3_1_1
        })
    } else {
        None
    }
}

/// Whether `a` equals `b` ignoring ASCII case, or becomes equal after one edit: a letter
/// inserted, deleted, replaced, or two adjacent letters swapped.
fn near(a: &[u8], b: &[u8]) -> bool {
    let eq = |x: &[u8], y: &[u8]| x.eq_ignore_ascii_case(y);
    let common = a
        .iter()
        .zip(b)
        .take_while(|(x, y)| x.eq_ignore_ascii_case(y))
        .count();
    let (Some(a), Some(b)) = (a.get(common..), b.get(common..)) else {
        return false;
    };
    match (a.split_first(), b.split_first()) {
        (None, None) => true,
        (Some((_, a_rest)), None) => a_rest.is_empty(),
        (None, Some((_, b_rest))) => b_rest.is_empty(),
        (Some((&x, a_rest)), Some((&y, b_rest))) => {
            let swapped = match (a_rest.split_first(), b_rest.split_first()) {
                (Some((&x2, a_rest2)), Some((&y2, b_rest2))) => {
                    x.eq_ignore_ascii_case(&y2)
                        && y.eq_ignore_ascii_case(&x2)
                        && eq(a_rest2, b_rest2)
                }
                _ => false,
            };
            eq(a_rest, b_rest) || eq(a_rest, b) || eq(a, b_rest) || swapped
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn near_edits() {
        for yes in [&b"mqtt"[..], b"MQT", b"MQTTT", b"QMTT", b"MQTX", b"mQtT"] {
            assert!(near(yes, b"MQTT"), "{yes:?}");
        }
        for no in [&b""[..], b"MQ", b"MQTTTT", b"TTQM", b"MQIsdp", b"HTTP"] {
            assert!(!near(no, b"MQTT"), "{no:?}");
        }
        assert!(near(b"MQIsdP", b"MQIsdp"));
        assert!(near(b"MQIsd", b"MQIsdp"));
        assert!(!near(b"MQIs", b"MQIsdp"));
    }
}
