//! The code-point rules for UTF-8 Encoded Strings (MQTT 3.1.1 §1.5.3, MQTT 5.0 §1.5.4).

use crate::error::DecodeErrorKind;

/// Which code points a decoded string may contain beyond what the spec requires.
///
/// Every policy rejects what the spec says MUST be rejected: ill-formed UTF-8, encoded
/// surrogates (MQTT-1.5.3-1 / MQTT-1.5.4-1) and U+0000 (MQTT-1.5.3-2 / MQTT-1.5.4-2).
/// The spec adds that a receiver MAY also treat control characters and non-characters
/// as malformed; `Strict` does that (mosquitto does too), `Spec` (the default) does not,
/// because they are legal in strings that peers send.
///
/// U+FEFF (a byte order mark) is always kept as it is, never stripped (MQTT-1.5.3-3).
///
/// # Examples
/// ```
/// use mqtt_wire::{decode_with, DecodeErrorKind, DecodeOptions, Utf8Policy, Version};
/// // PUBLISH QoS 0, topic "a\tb" (contains U+0009).
/// let bytes = [0x30, 0x05, 0x00, 0x03, b'a', b'\t', b'b'];
/// assert!(decode_with(&bytes, Version::V3_1_1, &DecodeOptions::new()).is_ok());
/// let strict = DecodeOptions::new().utf8_policy(Utf8Policy::Strict);
/// let err = decode_with(&bytes, Version::V3_1_1, &strict).unwrap_err();
/// assert_eq!(err.kind(), DecodeErrorKind::DisallowedCodePoint);
/// assert_eq!(err.offset(), 5);
/// ```
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Default)]
#[cfg_attr(feature = "defmt", derive(defmt::Format))]
#[cfg_attr(feature = "arbitrary", derive(arbitrary::Arbitrary))]
pub enum Utf8Policy {
    /// Reject only what the spec requires a receiver to reject.
    #[default]
    Spec,
    /// Also reject U+0001..U+001F, U+007F..U+009F and Unicode non-characters.
    Strict,
}

/// Whether any byte of `bytes` satisfies `hit`. Without an early exit, so that the loop
/// vectorizes: MQTT strings are short, and a hit (an error) is rare.
#[inline]
pub(crate) fn any_byte(bytes: &[u8], hit: impl Fn(u8) -> bool) -> bool {
    bytes.iter().fold(false, |found, &b| found | hit(b))
}

/// Checks `bytes` as an MQTT string; on failure returns the kind and the offending offset.
pub(crate) fn check(bytes: &[u8], policy: Utf8Policy) -> Result<&str, (DecodeErrorKind, usize)> {
    let s =
        core::str::from_utf8(bytes).map_err(|e| (DecodeErrorKind::InvalidUtf8, e.valid_up_to()))?;
    validate_str(s, policy)?;
    Ok(s)
}

/// Checks an already well-formed string against the code-point rules.
#[inline]
pub(crate) fn validate_str(s: &str, policy: Utf8Policy) -> Result<(), (DecodeErrorKind, usize)> {
    match policy {
        // Fast path: only U+0000 is forbidden, and its byte never occurs inside another
        // code point's encoding.
        Utf8Policy::Spec if !any_byte(s.as_bytes(), |b| b == 0) => Ok(()),
        _ => validate_in_order(s, policy),
    }
}

/// [`validate_str`] reporting the first offending code point.
fn validate_in_order(s: &str, policy: Utf8Policy) -> Result<(), (DecodeErrorKind, usize)> {
    match policy {
        Utf8Policy::Spec => match s.bytes().position(|b| b == 0) {
            Some(at) => Err((DecodeErrorKind::NullCharacter, at)),
            None => Ok(()),
        },
        Utf8Policy::Strict => {
            for (at, c) in s.char_indices() {
                if c == '\0' {
                    return Err((DecodeErrorKind::NullCharacter, at));
                }
                if is_disallowed(c) {
                    return Err((DecodeErrorKind::DisallowedCodePoint, at));
                }
            }
            Ok(())
        }
    }
}

/// Control characters and non-characters (§1.5.3: "SHOULD NOT include").
fn is_disallowed(c: char) -> bool {
    let cp = u32::from(c);
    c.is_control() || (0xFDD0..=0xFDEF).contains(&cp) || (cp & 0xFFFE) == 0xFFFE
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn mqtt_1_5_3_1_ill_formed_and_surrogates() {
        // Encoded surrogate U+D800 (ED A0 80) and an overlong '/' (C0 AF).
        assert_eq!(
            check(&[0xED, 0xA0, 0x80], Utf8Policy::Spec),
            Err((DecodeErrorKind::InvalidUtf8, 0))
        );
        assert_eq!(
            check(b"a\xC0\xAF", Utf8Policy::Spec),
            Err((DecodeErrorKind::InvalidUtf8, 1))
        );
        // Above U+10FFFF.
        assert!(check(&[0xF4, 0x90, 0x80, 0x80], Utf8Policy::Spec).is_err());
    }

    #[test]
    fn mqtt_1_5_3_2_nul() {
        assert_eq!(
            check(b"ab\0", Utf8Policy::Spec),
            Err((DecodeErrorKind::NullCharacter, 2))
        );
        assert_eq!(
            check(b"ab\0", Utf8Policy::Strict),
            Err((DecodeErrorKind::NullCharacter, 2))
        );
    }

    #[test]
    fn mqtt_1_5_3_3_bom_is_kept() {
        let s = check("\u{FEFF}x".as_bytes(), Utf8Policy::Strict).unwrap();
        assert_eq!(s, "\u{FEFF}x");
    }

    #[test]
    fn strict_rejects_controls_and_non_characters() {
        for c in [
            '\u{1}',
            '\u{1F}',
            '\u{7F}',
            '\u{9F}',
            '\u{FDD0}',
            '\u{FFFE}',
            '\u{10FFFF}',
        ] {
            let mut buf = [0u8; 4];
            let s = c.encode_utf8(&mut buf);
            assert!(check(s.as_bytes(), Utf8Policy::Spec).is_ok(), "{c:?}");
            assert_eq!(
                check(s.as_bytes(), Utf8Policy::Strict),
                Err((DecodeErrorKind::DisallowedCodePoint, 0)),
                "{c:?}"
            );
        }
        assert!(check("h\u{e9}llo \u{1F600}".as_bytes(), Utf8Policy::Strict).is_ok());
    }
}
