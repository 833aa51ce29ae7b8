//! [`Seq`]: the one zero-copy list type behind properties, subscriptions, topic filters and
//! reason codes.
//!
//! A decoded list keeps the validated wire bytes and re-reads them on iteration (no
//! allocation, no copy, wire order kept, so re-encoding is byte-identical). A list built for
//! sending borrows a caller's slice of items. Both compare equal when they hold the same
//! items in the same order.
//!
//! The rules a list's items obey depend on where the list stands (the packet a property
//! block is in, the protocol version of a subscription list, ...): the element's
//! [`Element::Context`]. A decoded list remembers the context it was validated for, so
//! encoding it in that same context skips re-reading and re-checking its items; in any other
//! context (a caller moved a decoded list into another packet) every item is checked again.

use core::fmt;

use crate::error::{DecodeError, EncodeError};
use crate::reader::Reader;
use crate::writer::{self, Writer};

/// What a [`Seq`] can hold: an item with a wire form. Implemented by this crate only
/// ([`Property`](crate::Property), [`Subscription`](crate::Subscription), `&str` topic
/// filters, [`ReasonCode`](crate::ReasonCode)).
pub trait Element<'a>: Copy + Sized {
    /// Where a list of these items stands, as far as the items' rules depend on it.
    #[doc(hidden)]
    type Context: Copy;
    /// `ctx` as a small tag (distinct contexts give distinct tags).
    #[doc(hidden)]
    fn context_tag(ctx: Self::Context) -> u8;
    /// Reads one item (full validation of its own value).
    #[doc(hidden)]
    fn read(r: &mut Reader<'a>) -> Result<Self, DecodeError>;
    /// Bytes this item takes on the wire (no validation: see [`Seq::checked_len`]).
    #[doc(hidden)]
    fn wire_len(&self) -> Result<usize, EncodeError>;
    /// Writes the item.
    #[doc(hidden)]
    fn write(&self, w: &mut Writer<'_>) -> Result<(), EncodeError>;
}

#[derive(Clone, Copy)]
enum Repr<'a, T> {
    /// Well-formed bytes from the wire, and the tag of the context they were validated for
    /// (`None`: each item is well-formed on its own, nothing more was checked).
    Wire(&'a [u8], Option<u8>),
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

    /// A list over bytes of well-formed items, validated for the context with tag
    /// `checked_for` if given.
    const fn from_wire(bytes: &'a [u8], checked_for: Option<u8>) -> Self {
        Self {
            repr: Repr::Wire(bytes, checked_for),
        }
    }

    /// The items, in order.
    #[must_use]
    pub fn iter(&self) -> SeqIter<'a, T> {
        SeqIter {
            repr: match self.repr {
                Repr::Wire(bytes, checked_for) => Repr::Wire(bytes, checked_for),
                Repr::Items(items) => Repr::Items(items),
            },
        }
    }

    /// Whether the list has no items.
    #[must_use]
    pub fn is_empty(&self) -> bool {
        match self.repr {
            Repr::Wire(bytes, _) => bytes.is_empty(),
            Repr::Items(items) => items.is_empty(),
        }
    }

    /// The number of items (counted by walking a decoded list).
    #[must_use]
    pub fn len(&self) -> usize {
        match self.repr {
            Repr::Wire(..) => self.iter().count(),
            Repr::Items(items) => items.len(),
        }
    }

    /// The raw wire bytes, when the list came from the decoder (useful for forwarding).
    #[must_use]
    pub const fn wire_bytes(&self) -> Option<&'a [u8]> {
        match self.repr {
            Repr::Wire(bytes, _) => Some(bytes),
            Repr::Items(_) => None,
        }
    }

    /// Bytes the items take on the wire (without any length prefix).
    pub(crate) fn wire_len(&self) -> Result<usize, EncodeError> {
        match self.repr {
            Repr::Wire(bytes, _) => Ok(bytes.len()),
            Repr::Items(items) => items
                .iter()
                .try_fold(0usize, |acc, item| writer::add(acc, item.wire_len()?)),
        }
    }

    /// Whether this is a decoded list validated for `ctx` (which encoding does not check
    /// again).
    pub(crate) fn is_checked_for(&self, ctx: T::Context) -> bool {
        matches!(self.repr, Repr::Wire(_, Some(tag)) if tag == T::context_tag(ctx))
    }

    /// Validates the items for encoding in `ctx` with `check` (called once per item, in
    /// order; it must enforce every rule of `ctx` that the decoder's check enforced), and
    /// returns the bytes they take on the wire. A decoded list validated for `ctx` is not
    /// re-read.
    pub(crate) fn checked_len(
        &self,
        ctx: T::Context,
        mut check: impl FnMut(&T) -> Result<(), EncodeError>,
    ) -> Result<usize, EncodeError> {
        match self.repr {
            Repr::Wire(bytes, Some(tag)) if tag == T::context_tag(ctx) => Ok(bytes.len()),
            Repr::Wire(bytes, _) => {
                self.iter().try_for_each(|item| check(&item))?;
                Ok(bytes.len())
            }
            Repr::Items(items) => items.iter().try_fold(0usize, |acc, item| {
                check(item)?;
                writer::add(acc, item.wire_len()?)
            }),
        }
    }

    pub(crate) fn write(&self, w: &mut Writer<'_>) -> Result<(), EncodeError> {
        match self.repr {
            Repr::Wire(bytes, _) => w.put(bytes),
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
            Repr::Wire(bytes, _) => {
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

/// Reads a whole list of `T` from `r` (validating each item on its own) and returns it as
/// wire bytes validated for `ctx`: `check` sees each item and its offset and must enforce
/// every rule of `ctx` (the same rules as the `check` given to [`Seq::checked_len`]).
pub(crate) fn read_all<'a, T: Element<'a>>(
    r: &mut Reader<'a>,
    ctx: T::Context,
    check: impl FnMut(&T, usize) -> Result<(), DecodeError>,
) -> Result<Seq<'a, T>, DecodeError> {
    let bytes = read_items(r, check)?;
    Ok(Seq::from_wire(bytes, Some(T::context_tag(ctx))))
}

/// [`read_all`] with a reader of its own for the items: `read` reads one item and checks
/// it for `ctx` (every rule `read_all`'s `Element::read` and `check` would apply), so that
/// reading and checking can share work (one scan of a string).
pub(crate) fn read_all_by<'a, T: Element<'a>>(
    r: &mut Reader<'a>,
    ctx: T::Context,
    mut read: impl FnMut(&mut Reader<'a>) -> Result<T, DecodeError>,
) -> Result<Seq<'a, T>, DecodeError> {
    let mut start = r.clone();
    while !r.is_empty() {
        read(r)?;
    }
    Ok(Seq::from_wire(start.rest(), Some(T::context_tag(ctx))))
}

/// Reads a whole list of items that are each well-formed, checked for no context.
#[cfg(feature = "arbitrary")]
pub(crate) fn read_unchecked<'a, T: Element<'a>>(
    r: &mut Reader<'a>,
) -> Result<Seq<'a, T>, DecodeError> {
    let bytes = read_items(r, |_: &T, _| Ok(()))?;
    Ok(Seq::from_wire(bytes, None))
}

fn read_items<'a, T: Element<'a>>(
    r: &mut Reader<'a>,
    mut check: impl FnMut(&T, usize) -> Result<(), DecodeError>,
) -> Result<&'a [u8], DecodeError> {
    let mut start = r.clone();
    while !r.is_empty() {
        let at = r.offset();
        let item = T::read(r)?;
        check(&item, at)?;
    }
    Ok(start.rest())
}

#[cfg(test)]
mod tests {
    use crate::{
        Ack, DecodeErrorKind, EncodeError, Packet, PacketType, PropertyId, ReasonCode, Status,
        Version, decode,
    };

    fn decoded(bytes: &[u8], v: Version) -> Packet<'_> {
        match decode(bytes, v) {
            Ok(Status::Complete((p, n))) if n == bytes.len() => p,
            other => panic!("{other:?}"),
        }
    }

    fn encode(p: &Packet<'_>, v: Version) -> Result<std::vec::Vec<u8>, EncodeError> {
        let mut buf = [0u8; 64];
        let n = p.encode(v, &mut buf)?;
        assert_eq!(p.encoded_len(v), Ok(n));
        Ok(buf[..n].to_vec())
    }

    #[test]
    fn decoded_properties_moved_to_another_packet_are_checked_again() {
        // 5.0 PUBLISH "t", QoS 0, properties: Topic Alias 1 (allowed in PUBLISH only).
        let bytes = [0x30, 0x08, 0x00, 0x01, b't', 0x03, 0x23, 0x00, 0x01, b'x'];
        let Packet::Publish(publish) = decoded(&bytes, Version::V5) else {
            panic!()
        };
        assert_eq!(
            encode(&Packet::Publish(publish), Version::V5),
            Ok(bytes.to_vec())
        );
        // MQTT-3.4.2 / Table 2-4: Topic Alias is not a PUBACK property.
        let ack = Ack {
            properties: publish.properties,
            ..Ack::new(crate::PacketId::new(1).unwrap())
        };
        assert_eq!(
            encode(&Packet::PubAck(ack), Version::V5),
            Err(EncodeError::Invalid(DecodeErrorKind::PropertyNotAllowed(
                PropertyId::TopicAlias
            )))
        );
    }

    #[test]
    fn decoded_subscriptions_encoded_in_another_version_are_checked_again() {
        // 5.0 SUBSCRIBE id 1, no properties, "a" with No Local (0x04) at QoS 1.
        let bytes = [0x82, 0x07, 0x00, 0x01, 0x00, 0x00, 0x01, b'a', 0x05];
        let sub = decoded(&bytes, Version::V5);
        assert_eq!(encode(&sub, Version::V5), Ok(bytes.to_vec()));
        assert_eq!(
            encode(&sub, Version::V3_1_1),
            Err(EncodeError::NotInVersion(crate::Field::SubscriptionOptions))
        );
    }

    #[test]
    fn decoded_filters_encoded_in_another_version_are_checked_again() {
        // 3.1.1 UNSUBSCRIBE id 1, "$share/g": an ordinary filter before 5.0, a shared
        // subscription without its filter part in 5.0 (MQTT-4.8.2-1).
        let mut bytes = std::vec![0xA2, 0x0C, 0x00, 0x01, 0x00, 0x08];
        bytes.extend_from_slice(b"$share/g");
        let unsub = decoded(&bytes, Version::V3_1_1);
        assert_eq!(encode(&unsub, Version::V3_1_1), Ok(bytes.clone()));
        assert_eq!(
            encode(&unsub, Version::V5),
            Err(EncodeError::Invalid(DecodeErrorKind::InvalidTopicFilter))
        );
    }

    #[test]
    fn decoded_reason_codes_moved_to_another_packet_are_checked_again() {
        // 5.0 SUBACK id 1, no properties, Granted QoS 1: not an UNSUBACK code.
        let bytes = [0x90, 0x04, 0x00, 0x01, 0x00, 0x01];
        let Packet::SubAck(ack) = decoded(&bytes, Version::V5) else {
            panic!()
        };
        assert_eq!(
            encode(&Packet::SubAck(ack), Version::V5),
            Ok(bytes.to_vec())
        );
        assert!(!ReasonCode::GrantedQoS1.is_valid_for(PacketType::UnsubAck));
        assert_eq!(
            encode(&Packet::UnsubAck(ack), Version::V5),
            Err(EncodeError::Invalid(DecodeErrorKind::InvalidReasonCode(
                0x01
            )))
        );
    }
}
