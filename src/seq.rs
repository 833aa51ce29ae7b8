//! [`Seq`]: the one zero-copy list type behind properties, subscriptions, topic filters and
//! reason codes.
//!
//! A decoded list keeps the validated wire bytes and re-reads them on iteration (no
//! allocation, no copy, wire order kept, so re-encoding is byte-identical). A list built for
//! sending borrows a caller's slice of items. Both compare equal when they hold the same
//! items in the same order.

use core::fmt;

use crate::error::{DecodeError, EncodeError};
use crate::reader::Reader;
use crate::writer::{self, Writer};

/// What a [`Seq`] can hold: an item with a wire form. Implemented by this crate only
/// ([`Property`](crate::Property), [`Subscription`](crate::Subscription), `&str` topic
/// filters, [`ReasonCode`](crate::ReasonCode)).
pub trait Element<'a>: Copy + Sized {
    /// Reads one item (full validation of its own value).
    #[doc(hidden)]
    fn read(r: &mut Reader<'a>) -> Result<Self, DecodeError>;
    /// Bytes this item takes on the wire.
    #[doc(hidden)]
    fn wire_len(&self) -> Result<usize, EncodeError>;
    /// Writes the item.
    #[doc(hidden)]
    fn write(&self, w: &mut Writer<'_>) -> Result<(), EncodeError>;
}

#[derive(Clone, Copy)]
enum Repr<'a, T> {
    /// Validated bytes from the wire.
    Wire(&'a [u8]),
    /// Items supplied by the caller.
    Items(&'a [T]),
}

/// A list of `T` that is either borrowed wire bytes (after decoding) or a borrowed slice of
/// items (for encoding). See [`Properties`](crate::Properties),
/// [`Subscriptions`](crate::Subscriptions), [`TopicFilters`](crate::TopicFilters),
/// [`ReasonCodes`](crate::ReasonCodes).
///
/// # Examples
/// ```
/// use mqtt_wire::{ReasonCode, ReasonCodes};
/// let codes = ReasonCodes::new(&[ReasonCode::Success, ReasonCode::GrantedQoS1]);
/// assert_eq!(codes.len(), 2);
/// assert_eq!(codes.iter().last(), Some(ReasonCode::GrantedQoS1));
/// ```
#[derive(Clone, Copy)]
pub struct Seq<'a, T> {
    repr: Repr<'a, T>,
}

impl<'a, T: Element<'a>> Seq<'a, T> {
    /// An empty list.
    pub const EMPTY: Self = Self {
        repr: Repr::Items(&[]),
    };

    /// A list of the given items, for encoding.
    #[must_use]
    pub const fn new(items: &'a [T]) -> Self {
        Self {
            repr: Repr::Items(items),
        }
    }

    /// A list over bytes that were validated by the decoder.
    pub(crate) const fn from_wire(bytes: &'a [u8]) -> Self {
        Self {
            repr: Repr::Wire(bytes),
        }
    }

    /// The items, in order.
    #[must_use]
    pub fn iter(&self) -> SeqIter<'a, T> {
        SeqIter {
            repr: match self.repr {
                Repr::Wire(bytes) => Repr::Wire(bytes),
                Repr::Items(items) => Repr::Items(items),
            },
        }
    }

    /// Whether the list has no items.
    #[must_use]
    pub fn is_empty(&self) -> bool {
        match self.repr {
            Repr::Wire(bytes) => bytes.is_empty(),
            Repr::Items(items) => items.is_empty(),
        }
    }

    /// The number of items (counted by walking a decoded list).
    #[must_use]
    pub fn len(&self) -> usize {
        match self.repr {
            Repr::Wire(_) => self.iter().count(),
            Repr::Items(items) => items.len(),
        }
    }

    /// The raw wire bytes, when the list came from the decoder (useful for forwarding).
    #[must_use]
    pub const fn wire_bytes(&self) -> Option<&'a [u8]> {
        match self.repr {
            Repr::Wire(bytes) => Some(bytes),
            Repr::Items(_) => None,
        }
    }

    /// Bytes the items take on the wire (without any length prefix).
    pub(crate) fn wire_len(&self) -> Result<usize, EncodeError> {
        match self.repr {
            Repr::Wire(bytes) => Ok(bytes.len()),
            Repr::Items(items) => items
                .iter()
                .try_fold(0usize, |acc, item| writer::add(acc, item.wire_len()?)),
        }
    }

    pub(crate) fn write(&self, w: &mut Writer<'_>) -> Result<(), EncodeError> {
        match self.repr {
            Repr::Wire(bytes) => w.put(bytes),
            Repr::Items(items) => items.iter().try_for_each(|item| item.write(w)),
        }
    }
}

impl<'a, T: Element<'a>> Default for Seq<'a, T> {
    fn default() -> Self {
        Self::EMPTY
    }
}

impl<'a, T: Element<'a> + PartialEq> PartialEq for Seq<'a, T> {
    fn eq(&self, other: &Self) -> bool {
        self.iter().eq(other.iter())
    }
}

impl<'a, T: Element<'a> + Eq> Eq for Seq<'a, T> {}

impl<'a, T: Element<'a> + fmt::Debug> fmt::Debug for Seq<'a, T> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_list().entries(self.iter()).finish()
    }
}

#[cfg(feature = "defmt")]
impl<'a, T: Element<'a> + defmt::Format> defmt::Format for Seq<'a, T> {
    fn format(&self, f: defmt::Formatter<'_>) {
        defmt::write!(f, "[");
        for item in self.iter() {
            defmt::write!(f, "{}, ", item);
        }
        defmt::write!(f, "]");
    }
}

impl<'a, T: Element<'a>> IntoIterator for Seq<'a, T> {
    type Item = T;
    type IntoIter = SeqIter<'a, T>;
    fn into_iter(self) -> SeqIter<'a, T> {
        self.iter()
    }
}

impl<'a, T: Element<'a>> IntoIterator for &Seq<'a, T> {
    type Item = T;
    type IntoIter = SeqIter<'a, T>;
    fn into_iter(self) -> SeqIter<'a, T> {
        self.iter()
    }
}

/// Iterator over a [`Seq`]. Infallible: a decoded list was validated when it was decoded.
#[derive(Clone)]
pub struct SeqIter<'a, T> {
    repr: Repr<'a, T>,
}

impl<T> fmt::Debug for SeqIter<'_, T> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("SeqIter")
    }
}

impl<'a, T: Element<'a>> Iterator for SeqIter<'a, T> {
    type Item = T;

    fn next(&mut self) -> Option<T> {
        match &mut self.repr {
            Repr::Wire(bytes) => {
                if bytes.is_empty() {
                    return None;
                }
                let mut r = Reader::over(bytes);
                match T::read(&mut r) {
                    Ok(item) => {
                        *bytes = r.rest();
                        Some(item)
                    }
                    Err(_) => {
                        // Unreachable for lists built by the decoder (validated up front).
                        debug_assert!(false, "invalid bytes in a validated list");
                        *bytes = &[];
                        None
                    }
                }
            }
            Repr::Items(items) => {
                let (first, rest) = items.split_first()?;
                *items = rest;
                Some(*first)
            }
        }
    }
}

/// Reads a whole list of `T` from `r` (validating each item) and returns it as wire bytes.
/// `check` sees each item and its offset, for rules that depend on the packet.
pub(crate) fn read_all<'a, T: Element<'a>>(
    r: &mut Reader<'a>,
    mut check: impl FnMut(&T, usize) -> Result<(), DecodeError>,
) -> Result<Seq<'a, T>, DecodeError> {
    let start = r.clone();
    while !r.is_empty() {
        let at = r.offset();
        let item = T::read(r)?;
        check(&item, at)?;
    }
    let mut start = start;
    Ok(Seq::from_wire(start.rest()))
}
