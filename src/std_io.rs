//! Conversions of the error types into [`std::io::Error`] (feature `std`), so that `?`
//! works in functions returning `std::io::Result`.

use crate::error::{DecodeError, EncodeError};
use crate::framer::ReadError;

/// A decoding error as [`InvalidData`](std::io::ErrorKind::InvalidData), keeping the
/// [`DecodeError`] as the inner error.
///
/// # Examples
/// ```
/// use mqtt_wire::{decode, Version};
/// fn first_byte_ok(b: &[u8]) -> std::io::Result<()> {
///     decode(b, Version::V5)?;
///     Ok(())
/// }
/// assert_eq!(first_byte_ok(&[0x00]).unwrap_err().kind(), std::io::ErrorKind::InvalidData);
/// ```
impl From<DecodeError> for std::io::Error {
    fn from(e: DecodeError) -> Self {
        Self::new(std::io::ErrorKind::InvalidData, e)
    }
}

/// An encoding error as [`InvalidInput`](std::io::ErrorKind::InvalidInput), keeping the
/// [`EncodeError`] as the inner error.
///
/// # Examples
/// ```
/// use mqtt_wire::{EncodeError, Field, Packet, Version};
/// let e: std::io::Error = EncodeError::NotInVersion(Field::Properties).into();
/// assert_eq!(e.kind(), std::io::ErrorKind::InvalidInput);
/// ```
impl From<EncodeError> for std::io::Error {
    fn from(e: EncodeError) -> Self {
        Self::new(std::io::ErrorKind::InvalidInput, e)
    }
}

/// The I/O error itself, or the decoding / encoding error converted as above.
///
/// # Examples
/// ```
/// use mqtt_wire::ReadError;
/// let e: std::io::Error = ReadError::Io(std::io::ErrorKind::UnexpectedEof.into()).into();
/// assert_eq!(e.kind(), std::io::ErrorKind::UnexpectedEof);
/// ```
impl From<ReadError> for std::io::Error {
    fn from(e: ReadError) -> Self {
        match e {
            ReadError::Io(e) => e,
            ReadError::Decode(e) => e.into(),
            ReadError::Encode(e) => e.into(),
        }
    }
}
