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

/// What one pass over a string's bytes found: whether U+0000, a wildcard (`+` or `#`) or a
/// non-ASCII byte occurs anywhere in it.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) struct Found {
    nul: bool,
    wildcard: bool,
    non_ascii: bool,
}

impl Found {
    /// Some byte is 0 (U+0000: its byte never occurs inside another code point).
    #[inline]
    pub(crate) const fn nul(self) -> bool {
        self.nul
    }

    /// Some byte is `+` or `#` (neither occurs inside a multi-byte code point).
    #[inline]
    pub(crate) const fn wildcard(self) -> bool {
        self.wildcard
    }

    /// Some byte is 0 or a wildcard: a topic name needs a closer look.
    #[inline]
    pub(crate) const fn nul_or_wildcard(self) -> bool {
        self.nul | self.wildcard
    }
}

const ONES: u64 = 0x0101_0101_0101_0101;
const HIGHS: u64 = 0x8080_8080_8080_8080;

/// Non-zero exactly when some byte of `x` is zero (exact: the borrow out of a zero byte
/// can only set high bits above a byte that is itself zero).
#[inline(always)]
const fn has_zero_byte(x: u64) -> u64 {
    x.wrapping_sub(ONES) & !x & HIGHS
}

/// Scans `bytes` eight at a time for U+0000, `+`, `#` and non-ASCII bytes, without
/// branching on the data (one pass; MQTT strings are short and a hit is rare).
#[inline(always)]
pub(crate) fn scan(bytes: &[u8]) -> Found {
    let (mut all, mut zero, mut wild) = (0u64, 0u64, 0u64);
    let mut word = |x: u64| {
        all |= x;
        zero |= has_zero_byte(x);
        // `+` (0x2B) and `#` (0x23) differ only in bit 3: with it set, both are 0x2B, and
        // no other byte is.
        wild |= has_zero_byte((x | 0x0808_0808_0808_0808) ^ 0x2B2B_2B2B_2B2B_2B2B);
    };
    let mut rest = bytes;
    while let Some((chunk, after)) = rest.split_first_chunk::<8>() {
        word(u64::from_le_bytes(*chunk));
        rest = after;
    }
    let tail = rest;
    if let Some(last) = bytes.last_chunk::<8>() {
        if !tail.is_empty() {
            // The last eight bytes, overlapping bytes already seen.
            word(u64::from_le_bytes(*last));
        }
    } else if let Some(short) = short_word(tail) {
        word(short);
    }
    Found {
        nul: zero != 0,
        wildcard: wild != 0,
        non_ascii: all & HIGHS != 0,
    }
}

/// A string of 1 to 7 bytes in one word, from two overlapping loads (so each byte of the
/// word is a byte of the string), the bytes above it set to 0x01, which is none of the
/// bytes [`scan`] looks for. `None` for the empty string.
#[inline(always)]
fn short_word(bytes: &[u8]) -> Option<u64> {
    let n = bytes.len();
    let (low, high, shift) = if n >= 4 {
        let (Some(a), Some(b)) = (bytes.first_chunk::<4>(), bytes.last_chunk::<4>()) else {
            return None;
        };
        (u32::from_le_bytes(*a), u32::from_le_bytes(*b), 32)
    } else if n >= 2 {
        let (Some(a), Some(b)) = (bytes.first_chunk::<2>(), bytes.last_chunk::<2>()) else {
            return None;
        };
        (
            u32::from(u16::from_le_bytes(*a)),
            u32::from(u16::from_le_bytes(*b)),
            16,
        )
    } else {
        let &b = bytes.first()?;
        (u32::from(b), u32::from(b), 8)
    };
    // `low` and `high` are bytes 0..w and n-w..n of the string, for a load width w (shift
    // is 8w bits) with 2w >= n: together they hold every byte of the string.
    let pair = u64::from(low) | (u64::from(high) << shift);
    let used: u32 = shift << 1;
    let fill = if used >= 64 { 0 } else { ONES << used };
    Some(pair | fill)
}

/// `bytes` as a string, and what [`scan`] found in it; on ill-formed UTF-8, the offset of
/// the first byte that is not part of a valid code point.
#[inline(always)]
pub(crate) fn scan_str(bytes: &[u8]) -> Result<(&str, Found), usize> {
    let found = scan(bytes);
    if found.non_ascii {
        let s = core::str::from_utf8(bytes).map_err(|e| e.valid_up_to())?;
        return Ok((s, found));
    }
    Ok((ascii_str(bytes, found), found))
}

/// The string of bytes that [`scan`] found to be all ASCII, without a second pass.
#[inline(always)]
#[allow(unsafe_code)]
fn ascii_str(bytes: &[u8], found: Found) -> &str {
    debug_assert!(!found.non_ascii && bytes.is_ascii());
    // SAFETY: `found` is `scan(bytes)` (the only caller, `scan_str`, computes it just
    // before). `scan` ORs every byte of `bytes` into `all`: each byte lies in one of the
    // eight-byte words the loop takes from the front, or in the remainder; a remainder is covered by the last eight
    // bytes of `bytes` when there are eight, and otherwise (a string of 1 to 7 bytes) by
    // `short_word`, whose word holds the first w and the last w bytes with 2w >= len, and
    // 0x01 elsewhere. `non_ascii` is false only if no byte of `all` has bit 7 set, so every
    // byte of `bytes` is below 0x80. A sequence of bytes below 0x80 is valid
    // UTF-8 (each is a one-byte code point), which is what `from_utf8_unchecked` requires.
    unsafe { core::str::from_utf8_unchecked(bytes) }
}

/// Checks `bytes` as an MQTT string; on failure returns the kind and the offending offset.
#[inline]
pub(crate) fn check(bytes: &[u8], policy: Utf8Policy) -> Result<&str, (DecodeErrorKind, usize)> {
    let (s, found) = scan_str(bytes).map_err(|at| (DecodeErrorKind::InvalidUtf8, at))?;
    if found.nul || policy == Utf8Policy::Strict {
        validate_in_order(s, policy)?;
    }
    Ok(s)
}

/// [`check`], also returning what the scan found (for rules on the same bytes).
#[inline]
pub(crate) fn check_found(
    bytes: &[u8],
    policy: Utf8Policy,
) -> Result<(&str, Found), (DecodeErrorKind, usize)> {
    let (s, found) = scan_str(bytes).map_err(|at| (DecodeErrorKind::InvalidUtf8, at))?;
    if found.nul || policy == Utf8Policy::Strict {
        validate_in_order(s, policy)?;
    }
    Ok((s, found))
}

/// Fails with [`DecodeErrorKind::NullCharacter`] if `s` contains U+0000 (the rule every
/// string obeys, MQTT-1.5.3-2 / MQTT-1.5.4-2).
#[inline]
pub(crate) fn no_nul(s: &str) -> Result<(), DecodeErrorKind> {
    if scan(s.as_bytes()).nul {
        Err(DecodeErrorKind::NullCharacter)
    } else {
        Ok(())
    }
}

/// Checks an already well-formed string against the code-point rules.
#[inline]
pub(crate) fn validate_str(s: &str, policy: Utf8Policy) -> Result<(), (DecodeErrorKind, usize)> {
    match policy {
        // Fast path: only U+0000 is forbidden, and its byte never occurs inside another
        // code point's encoding.
        Utf8Policy::Spec if !scan(s.as_bytes()).nul => Ok(()),
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

    /// What `scan` must find, byte by byte.
    fn reference(bytes: &[u8]) -> Found {
        Found {
            nul: bytes.contains(&0),
            wildcard: bytes.iter().any(|&b| b == b'+' || b == b'#'),
            non_ascii: !bytes.is_ascii(),
        }
    }

    #[test]
    fn scan_finds_every_byte_at_every_position() {
        // Each interesting byte (and its neighbours in value, which must not count) at each
        // position of strings of 0..=25 bytes, so that full words, the overlapping last word
        // and the padded short word are all exercised.
        let specials = [
            0x00,
            0x01,
            b'+',
            b'#',
            b'*',
            b'"',
            b'+' | 0x80,
            0x7F,
            0x80,
            0xFF,
            0x2A,
        ];
        for len in 0..=25usize {
            let base = std::vec![b'a'; len];
            assert_eq!(scan(&base), reference(&base));
            for at in 0..len {
                for &b in &specials {
                    let mut s = base.clone();
                    s[at] = b;
                    assert_eq!(scan(&s), reference(&s), "{s:02X?}");
                }
            }
        }
    }

    #[test]
    fn scan_str_agrees_with_from_utf8() {
        for s in [
            &b""[..],
            b"a/b",
            b"caf\xC3\xA9",
            b"\xC3",
            b"abcdefgh\xFF",
            b"\xF0\x9F\x98\x80/x",
        ] {
            let want = core::str::from_utf8(s).map_err(|e| e.valid_up_to());
            assert_eq!(scan_str(s).map(|(s, _)| s), want, "{s:02X?}");
        }
    }

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
