//! The one reader every packet decodes with: a cursor over a borrowed byte slice that can
//! only move forward, never reads past its end, and reports where it was when a rule broke.

use crate::error::{DecodeError, DecodeErrorKind};
use crate::utf8::{self, Utf8Policy};
use crate::varint::{self, VarInt};

/// A forward-only cursor over `buf[pos..end]`. Offsets in errors are indexes into `buf`,
/// which is the whole slice given to `decode`, so they point at the exact byte.
///
/// It keeps the unread bytes as a slice (`rest`) and the offset where they end, so that
/// each read is one split of `rest` with one bounds check.
#[derive(Debug, Clone)]
pub struct Reader<'a> {
    rest: &'a [u8],
    end: usize,
    policy: Utf8Policy,
}

impl<'a> Reader<'a> {
    /// A reader over `buf[pos..end]`; `end` is clamped to the slice.
    #[inline]
    pub(crate) fn new(buf: &'a [u8], pos: usize, end: usize, policy: Utf8Policy) -> Self {
        let end = end.min(buf.len());
        Self {
            rest: buf.get(pos.min(end)..end).unwrap_or_default(),
            end,
            policy,
        }
    }

    /// A reader over a whole slice, with offsets counted from its start.
    pub(crate) fn over(buf: &'a [u8]) -> Self {
        Self::new(buf, 0, buf.len(), Utf8Policy::Spec)
    }

    #[inline]
    pub(crate) fn offset(&self) -> usize {
        self.end.saturating_sub(self.rest.len())
    }

    #[inline]
    pub(crate) fn remaining(&self) -> usize {
        self.rest.len()
    }

    #[inline]
    pub(crate) fn is_empty(&self) -> bool {
        self.rest.is_empty()
    }

    /// An error of `kind` at the current position.
    #[inline]
    pub(crate) fn err(&self, kind: DecodeErrorKind) -> DecodeError {
        DecodeError::new(kind, self.offset())
    }

    /// An error of `kind` at `offset`.
    #[inline]
    pub(crate) fn err_at(&self, kind: DecodeErrorKind, offset: usize) -> DecodeError {
        DecodeError::new(kind, offset)
    }

    /// [`DecodeErrorKind::Truncated`] at the current position (kept out of line: the
    /// bounds checks only branch to it).
    #[cold]
    #[inline(never)]
    fn truncated(&self) -> DecodeError {
        self.err(DecodeErrorKind::Truncated)
    }

    /// Takes the next `n` bytes.
    #[inline]
    pub(crate) fn take(&mut self, n: usize) -> Result<&'a [u8], DecodeError> {
        match self.rest.split_at_checked(n) {
            Some((bytes, rest)) => {
                self.rest = rest;
                Ok(bytes)
            }
            None => Err(self.truncated()),
        }
    }

    /// Takes everything up to the end.
    #[inline]
    pub(crate) fn rest(&mut self) -> &'a [u8] {
        core::mem::take(&mut self.rest)
    }

    /// Splits off a child reader over the next `n` bytes and skips them here.
    #[inline]
    pub(crate) fn sub(&mut self, n: usize) -> Result<Self, DecodeError> {
        let bytes = self.take(n)?;
        Ok(Self {
            rest: bytes,
            end: self.offset(),
            policy: self.policy,
        })
    }

    #[inline]
    pub(crate) fn u8(&mut self) -> Result<u8, DecodeError> {
        let [b] = self.array::<1>()?;
        Ok(b)
    }

    #[inline]
    pub(crate) fn u16(&mut self) -> Result<u16, DecodeError> {
        Ok(u16::from_be_bytes(self.array()?))
    }

    #[inline]
    pub(crate) fn u32(&mut self) -> Result<u32, DecodeError> {
        Ok(u32::from_be_bytes(self.array()?))
    }

    #[inline]
    fn array<const N: usize>(&mut self) -> Result<[u8; N], DecodeError> {
        match self.rest.split_first_chunk::<N>() {
            Some((bytes, rest)) => {
                self.rest = rest;
                Ok(*bytes)
            }
            None => Err(self.truncated()),
        }
    }

    /// A two-byte length, then that many bytes (the shape of Binary Data and of the bytes of
    /// a UTF-8 string); also returns the offset of the bytes.
    #[inline]
    fn prefixed(&mut self) -> Result<(&'a [u8], usize), DecodeError> {
        let len = usize::from(self.u16()?);
        let at = self.offset();
        Ok((self.take(len)?, at))
    }

    /// A Variable Byte Integer (minimal encoding only).
    #[inline]
    pub(crate) fn varint(&mut self) -> Result<u32, DecodeError> {
        // Most values (property identifiers, lengths) fit in one byte.
        if let Some((&b, rest)) = self.rest.split_first()
            && b < 0x80
        {
            self.rest = rest;
            return Ok(u32::from(b));
        }
        match varint::decode(self.rest) {
            VarInt::Complete(value, len) => {
                self.take(len)?;
                Ok(value)
            }
            VarInt::Incomplete => Err(self.err_at(DecodeErrorKind::Truncated, self.end)),
            VarInt::Invalid(kind, at) => Err(self.err_at(kind, self.offset().saturating_add(at))),
        }
    }

    /// A Variable Byte Integer used as a length of what follows.
    #[inline]
    pub(crate) fn varint_len(&mut self) -> Result<usize, DecodeError> {
        let at = self.offset();
        let v = self.varint()?;
        usize::try_from(v).map_err(|_| self.err_at(DecodeErrorKind::Truncated, at))
    }

    /// Binary Data: a two-byte length, then that many bytes (§1.5.6).
    #[inline]
    pub(crate) fn binary(&mut self) -> Result<&'a [u8], DecodeError> {
        Ok(self.prefixed()?.0)
    }

    /// A UTF-8 Encoded String: a two-byte length, then well-formed UTF-8 without U+0000
    /// (and, under the strict policy, without control characters or non-characters).
    #[inline]
    pub(crate) fn utf8(&mut self) -> Result<&'a str, DecodeError> {
        let (bytes, start) = self.prefixed()?;
        utf8::check(bytes, self.policy)
            .map_err(|(kind, at)| DecodeError::new(kind, start.saturating_add(at)))
    }

    /// [`utf8`](Self::utf8), also returning what the scan of its bytes found, so that a
    /// rule on the same string (a topic filter's) needs no second pass.
    #[inline]
    pub(crate) fn utf8_found(&mut self) -> Result<(&'a str, utf8::Found), DecodeError> {
        let (bytes, start) = self.prefixed()?;
        utf8::check_found(bytes, self.policy)
            .map_err(|(kind, at)| DecodeError::new(kind, start.saturating_add(at)))
    }

    /// A topic name (§4.7.3): a UTF-8 string as [`utf8`](Self::utf8) reads it that also
    /// passes [`check_name`](crate::topic::check_name) (except that it may be empty when
    /// `may_be_empty`), checked for U+0000 and wildcards in the same pass that checks the
    /// encoding. Code-point errors point at the byte, name rule errors at the string's
    /// length prefix.
    #[inline]
    pub(crate) fn topic_name(&mut self, may_be_empty: bool) -> Result<&'a str, DecodeError> {
        let at = self.offset();
        let (bytes, start) = self.prefixed()?;
        let code_point_err =
            |(kind, i): (DecodeErrorKind, usize)| DecodeError::new(kind, start.saturating_add(i));
        let (name, found) =
            utf8::scan_str(bytes).map_err(|i| code_point_err((DecodeErrorKind::InvalidUtf8, i)))?;
        if found.nul() || self.policy == Utf8Policy::Strict {
            // U+0000 (and, under the strict policy, a disallowed code point) is reported at
            // its byte, before any wildcard.
            utf8::validate_str(name, self.policy).map_err(code_point_err)?;
        }
        if name.is_empty() && !may_be_empty {
            Err(self.err_at(DecodeErrorKind::EmptyTopic, at))
        } else if found.wildcard() {
            Err(self.err_at(DecodeErrorKind::WildcardInTopicName, at))
        } else {
            Ok(name)
        }
    }

    /// Fails with [`DecodeErrorKind::TrailingBytes`] unless every byte was consumed.
    #[inline]
    pub(crate) fn finish(&self) -> Result<(), DecodeError> {
        if self.is_empty() {
            Ok(())
        } else {
            Err(self.err(DecodeErrorKind::TrailingBytes))
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn take_never_passes_end() {
        let data = [1, 2, 3, 4];
        let mut r = Reader::new(&data, 1, 3, Utf8Policy::Spec);
        assert_eq!(
            r.take(3).unwrap_err(),
            DecodeError::new(DecodeErrorKind::Truncated, 1)
        );
        assert_eq!(r.take(2).unwrap(), &[2, 3]);
        assert_eq!(
            r.take(usize::MAX).unwrap_err().kind(),
            DecodeErrorKind::Truncated
        );
        assert!(r.finish().is_ok());
    }

    #[test]
    fn sub_reader_is_bounded() {
        let data = [0x00, 0x02, b'h', b'i', 0xFF];
        let mut r = Reader::over(&data);
        let mut s = r.sub(4).unwrap();
        assert_eq!(s.utf8().unwrap(), "hi");
        assert!(s.finish().is_ok());
        assert_eq!(r.u8().unwrap(), 0xFF);
        assert_eq!(
            r.u8().unwrap_err(),
            DecodeError::new(DecodeErrorKind::Truncated, 5)
        );
    }

    #[test]
    fn integers_are_big_endian() {
        let data = [0x12, 0x34, 0x01, 0x02, 0x03, 0x04];
        let mut r = Reader::over(&data);
        assert_eq!(r.u16().unwrap(), 0x1234);
        assert_eq!(r.u32().unwrap(), 0x0102_0304);
    }

    #[test]
    fn utf8_error_points_at_bad_byte() {
        let data = [0x00, 0x03, b'a', 0x00, b'b'];
        let e = Reader::over(&data).utf8().unwrap_err();
        assert_eq!(e, DecodeError::new(DecodeErrorKind::NullCharacter, 3));
        let data = [0x00, 0x02, b'a', 0xC0];
        let e = Reader::over(&data).utf8().unwrap_err();
        assert_eq!(e, DecodeError::new(DecodeErrorKind::InvalidUtf8, 3));
    }

    #[test]
    fn topic_name_errors_point_at_byte_or_field() {
        // U+0000 wins over an earlier wildcard and points at its byte (MQTT-4.7.3-2).
        let data = [0xFF, 0x00, 0x03, b'+', b'a', 0x00];
        let mut r = Reader::over(&data);
        r.u8().unwrap();
        assert_eq!(
            r.topic_name(false).unwrap_err(),
            DecodeError::new(DecodeErrorKind::NullCharacter, 5)
        );
        // A wildcard points at the length prefix (MQTT-3.3.2-2).
        let data = [0xFF, 0x00, 0x03, b'a', b'/', b'#'];
        let mut r = Reader::over(&data);
        r.u8().unwrap();
        assert_eq!(
            r.topic_name(false).unwrap_err(),
            DecodeError::new(DecodeErrorKind::WildcardInTopicName, 1)
        );
        // Empty: refused unless allowed (MQTT-4.7.3-1).
        let data = [0x00, 0x00];
        assert_eq!(
            Reader::over(&data).topic_name(false).unwrap_err(),
            DecodeError::new(DecodeErrorKind::EmptyTopic, 0)
        );
        assert_eq!(Reader::over(&data).topic_name(true), Ok(""));
        // Strict policy: a control character is reported at its byte, before the wildcard.
        let data = [0x00, 0x03, b'#', 0x01, b'a'];
        let mut r = Reader::new(&data, 0, data.len(), Utf8Policy::Strict);
        assert_eq!(
            r.topic_name(false).unwrap_err(),
            DecodeError::new(DecodeErrorKind::DisallowedCodePoint, 3)
        );
        let data = [0x00, 0x03, b'a', b'/', b'b'];
        let mut r = Reader::new(&data, 0, data.len(), Utf8Policy::Strict);
        assert_eq!(r.topic_name(false), Ok("a/b"));
        assert_eq!(Reader::over(&data).topic_name(false), Ok("a/b"));
    }

    #[test]
    fn varint_errors_and_truncation() {
        let mut r = Reader::over(&[0x80, 0x00]);
        assert_eq!(
            r.varint().unwrap_err(),
            DecodeError::new(DecodeErrorKind::NonMinimalVarInt, 1)
        );
        let mut r = Reader::over(&[0x80]);
        assert_eq!(r.varint().unwrap_err().kind(), DecodeErrorKind::Truncated);
    }
}
