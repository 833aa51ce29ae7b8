//! The one writer every packet encodes with: a cursor over a caller's `&mut [u8]` that never
//! writes past the end. Packets compute their length first and check the buffer before the
//! first byte is written, so the errors here are a second line of defence, not a protocol.

use crate::error::EncodeError;
use crate::varint;

/// Largest length a two-byte prefix can carry.
pub const STRING_MAX_LEN: usize = 65_535;

/// A forward-only cursor over a mutable byte slice.
#[derive(Debug)]
pub struct Writer<'b> {
    buf: &'b mut [u8],
    pos: usize,
}

impl<'b> Writer<'b> {
    pub(crate) fn new(buf: &'b mut [u8]) -> Self {
        Self { buf, pos: 0 }
    }

    /// How many bytes have been written.
    pub(crate) fn written(&self) -> usize {
        self.pos
    }

    #[inline]
    pub(crate) fn put(&mut self, bytes: &[u8]) -> Result<(), EncodeError> {
        let stop = self
            .pos
            .checked_add(bytes.len())
            .ok_or(EncodeError::PacketTooLarge)?;
        let needed = stop;
        let dst = self
            .buf
            .get_mut(self.pos..stop)
            .ok_or(EncodeError::BufferTooSmall { needed })?;
        dst.copy_from_slice(bytes);
        self.pos = stop;
        Ok(())
    }

    /// Writes a fixed number of bytes (a store, not a copy call).
    #[inline]
    fn array<const N: usize>(&mut self, bytes: [u8; N]) -> Result<(), EncodeError> {
        let stop = self.pos.checked_add(N).ok_or(EncodeError::PacketTooLarge)?;
        match self
            .buf
            .get_mut(self.pos..stop)
            .and_then(|dst| dst.first_chunk_mut::<N>())
        {
            Some(dst) => {
                *dst = bytes;
                self.pos = stop;
                Ok(())
            }
            None => Err(EncodeError::BufferTooSmall { needed: stop }),
        }
    }

    #[inline]
    pub(crate) fn u8(&mut self, v: u8) -> Result<(), EncodeError> {
        self.array([v])
    }

    #[inline]
    pub(crate) fn u16(&mut self, v: u16) -> Result<(), EncodeError> {
        self.array(v.to_be_bytes())
    }

    #[inline]
    pub(crate) fn u32(&mut self, v: u32) -> Result<(), EncodeError> {
        self.array(v.to_be_bytes())
    }

    #[inline]
    pub(crate) fn varint(&mut self, v: u32) -> Result<(), EncodeError> {
        // Lengths and identifiers below 128 take one byte.
        if let Ok(b) = u8::try_from(v)
            && b < 0x80
        {
            return self.u8(b);
        }
        let (bytes, len) = varint::encode(v).ok_or(EncodeError::PacketTooLarge)?;
        self.put(bytes.get(..len).unwrap_or_default())
    }

    /// A length as a Variable Byte Integer.
    #[inline]
    pub(crate) fn varint_len(&mut self, len: usize) -> Result<(), EncodeError> {
        self.varint(u32::try_from(len).map_err(|_| EncodeError::PacketTooLarge)?)
    }

    /// Binary Data or the bytes of a UTF-8 string: two-byte length, then the bytes.
    #[inline]
    pub(crate) fn binary(&mut self, bytes: &[u8]) -> Result<(), EncodeError> {
        let len = u16::try_from(bytes.len()).map_err(|_| EncodeError::FieldTooLong)?;
        self.u16(len)?;
        self.put(bytes)
    }

    #[inline]
    pub(crate) fn utf8(&mut self, s: &str) -> Result<(), EncodeError> {
        self.binary(s.as_bytes())
    }
}

/// Length arithmetic for encoders: sums that report overflow as [`EncodeError::PacketTooLarge`].
pub(crate) fn add(a: usize, b: usize) -> Result<usize, EncodeError> {
    a.checked_add(b).ok_or(EncodeError::PacketTooLarge)
}

/// Encoded size of a two-byte-length-prefixed field.
pub(crate) fn prefixed_len(bytes: &[u8]) -> Result<usize, EncodeError> {
    if bytes.len() > STRING_MAX_LEN {
        return Err(EncodeError::FieldTooLong);
    }
    add(bytes.len(), 2)
}

/// Encoded size of a Variable Byte Integer holding `len`.
pub(crate) fn varint_size(len: usize) -> Result<usize, EncodeError> {
    u32::try_from(len)
        .ok()
        .and_then(varint::varint_len)
        .ok_or(EncodeError::PacketTooLarge)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn never_writes_past_end() {
        let mut buf = [0u8; 3];
        let mut w = Writer::new(&mut buf);
        w.u16(0xABCD).unwrap();
        assert_eq!(w.u16(1), Err(EncodeError::BufferTooSmall { needed: 4 }));
        w.u8(7).unwrap();
        assert_eq!(w.written(), 3);
        assert_eq!(buf, [0xAB, 0xCD, 7]);
    }

    #[test]
    fn long_fields_are_errors_not_truncations() {
        let big = [0u8; STRING_MAX_LEN + 1];
        let mut buf = [0u8; 8];
        assert_eq!(
            Writer::new(&mut buf).binary(&big),
            Err(EncodeError::FieldTooLong)
        );
        assert_eq!(prefixed_len(&big), Err(EncodeError::FieldTooLong));
        assert_eq!(prefixed_len(&big[..STRING_MAX_LEN]), Ok(STRING_MAX_LEN + 2));
    }

    #[test]
    fn varints() {
        let mut buf = [0u8; 4];
        let mut w = Writer::new(&mut buf);
        w.varint(321).unwrap();
        assert_eq!(w.written(), 2);
        assert_eq!(&buf[..2], &[0xC1, 0x02]);
        assert_eq!(varint_size(268_435_456), Err(EncodeError::PacketTooLarge));
    }
}
