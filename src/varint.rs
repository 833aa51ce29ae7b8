//! Variable Byte Integers (MQTT 3.1.1 §2.2.3, MQTT 5.0 §1.5.5).
//!
//! Seven bits per byte, least significant group first, the top bit of each byte says
//! "another byte follows". At most four bytes, so the largest value is [`VARINT_MAX`].
//! Decoding accepts only the minimal encoding (MQTT-1.5.5-1), in every protocol version.

use crate::error::DecodeErrorKind;

/// The largest value a Variable Byte Integer can hold: 268,435,455 (`FF FF FF 7F`).
pub const VARINT_MAX: u32 = 268_435_455;

/// The outcome of reading a Variable Byte Integer from the front of a slice.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum VarInt {
    /// The value and how many bytes (1..=4) it took.
    Complete(u32, usize),
    /// The slice ends before the integer does.
    Incomplete,
    /// The bytes can never form a valid integer; the `usize` is the offset of the bad byte.
    Invalid(DecodeErrorKind, usize),
}

/// Reads a Variable Byte Integer from the start of `bytes`.
pub(crate) fn decode(bytes: &[u8]) -> VarInt {
    let mut value: u32 = 0;
    // (shift of this byte's 7 bits, index of this byte, length if it is the last one)
    let steps = [0u32, 7, 14, 21]
        .into_iter()
        .zip((0usize..4).zip(1usize..=4));
    for (&b, (shift, (index, len))) in bytes.iter().zip(steps) {
        value |= u32::from(b & 0x7F) << shift;
        if b & 0x80 == 0 {
            if len > 1 && b == 0 {
                return VarInt::Invalid(DecodeErrorKind::NonMinimalVarInt, index);
            }
            return VarInt::Complete(value, len);
        }
        if len == 4 {
            return VarInt::Invalid(DecodeErrorKind::VarIntTooLong, index);
        }
    }
    VarInt::Incomplete
}

/// How many bytes `value` takes as a Variable Byte Integer, or `None` above [`VARINT_MAX`].
///
/// # Examples
/// ```
/// use mqtt_wire::varint_len;
/// assert_eq!(varint_len(127), Some(1));
/// assert_eq!(varint_len(128), Some(2));
/// assert_eq!(varint_len(268_435_455), Some(4));
/// assert_eq!(varint_len(268_435_456), None);
/// ```
#[must_use]
pub const fn varint_len(value: u32) -> Option<usize> {
    match value {
        0..=127 => Some(1),
        128..=16_383 => Some(2),
        16_384..=2_097_151 => Some(3),
        2_097_152..=VARINT_MAX => Some(4),
        _ => None,
    }
}

/// Writes `value` into a 4-byte scratch array; returns the array and the used length.
pub(crate) fn encode(value: u32) -> Option<([u8; 4], usize)> {
    let len = varint_len(value)?;
    let mut out = [0u8; 4];
    let mut v = value;
    for slot in &mut out {
        let low = (v & 0x7F) as u8;
        v >>= 7;
        if v == 0 {
            *slot = low;
            break;
        }
        *slot = low | 0x80;
    }
    Some((out, len))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn boundaries_round_trip() {
        for (value, bytes) in [
            (0u32, &[0x00][..]),
            (127, &[0x7F]),
            (128, &[0x80, 0x01]),
            (16_383, &[0xFF, 0x7F]),
            (16_384, &[0x80, 0x80, 0x01]),
            (2_097_151, &[0xFF, 0xFF, 0x7F]),
            (2_097_152, &[0x80, 0x80, 0x80, 0x01]),
            (268_435_455, &[0xFF, 0xFF, 0xFF, 0x7F]),
        ] {
            assert_eq!(
                decode(bytes),
                VarInt::Complete(value, bytes.len()),
                "{value}"
            );
            let (buf, len) = encode(value).unwrap();
            assert_eq!(&buf[..len], bytes);
            assert_eq!(varint_len(value), Some(bytes.len()));
        }
        assert_eq!(encode(268_435_456), None);
    }

    #[test]
    fn mqtt_1_5_5_1_non_minimal_rejected() {
        assert_eq!(
            decode(&[0x80, 0x00]),
            VarInt::Invalid(DecodeErrorKind::NonMinimalVarInt, 1)
        );
        assert_eq!(
            decode(&[0xFF, 0x80, 0x00]),
            VarInt::Invalid(DecodeErrorKind::NonMinimalVarInt, 2)
        );
        assert_eq!(
            decode(&[0x80, 0x80, 0x80, 0x00]),
            VarInt::Invalid(DecodeErrorKind::NonMinimalVarInt, 3)
        );
    }

    #[test]
    fn five_bytes_rejected_before_the_fifth_arrives() {
        assert_eq!(
            decode(&[0xFF, 0xFF, 0xFF, 0xFF]),
            VarInt::Invalid(DecodeErrorKind::VarIntTooLong, 3)
        );
        assert_eq!(
            decode(&[0xFF, 0xFF, 0xFF, 0xFF, 0x7F]),
            VarInt::Invalid(DecodeErrorKind::VarIntTooLong, 3)
        );
    }

    #[test]
    fn incomplete() {
        assert_eq!(decode(&[]), VarInt::Incomplete);
        assert_eq!(decode(&[0x80]), VarInt::Incomplete);
        assert_eq!(decode(&[0xFF, 0xFF, 0xFF]), VarInt::Incomplete);
    }
}
