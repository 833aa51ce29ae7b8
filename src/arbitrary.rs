//! [`arbitrary::Arbitrary`] for the packet types (feature `arbitrary`), for fuzzing.
//!
//! The packet types derive `Arbitrary` where they are defined; strings and binary data
//! borrow from the fuzzer's input, so building a packet allocates nothing. This module holds
//! the one hand-written impl, for [`Seq`]: a list cannot borrow a slice of items out of raw
//! input, so an arbitrary list is an arbitrary byte slice kept as a decoded (wire) list
//! when it is a complete sequence of individually valid items, and the empty list
//! otherwise. Whether the items suit the packet they end up in (property placement, reason
//! codes per packet, filter syntax) is left to `encode`, which refuses what the decoder
//! would refuse, so generated packets need not be valid.
//!
//! The feature links `std`: the `arbitrary` crate and its derive need it.
//!
//! # Examples
//! ```
//! use arbitrary::{Arbitrary, Unstructured};
//! use mqtt_wire::{Packet, Version};
//! let input = [0x03u8, 0x07, 0x00, 0x01, b'a', 0x2A, 0x10, 0x99];
//! let mut u = Unstructured::new(&input);
//! if let Ok(packet) = Packet::arbitrary(&mut u) {
//!     let mut buf = [0u8; 64];
//!     // Either a valid packet for this version, or an error: never a panic.
//!     let _ = packet.encode(Version::V5, &mut buf);
//! }
//! ```

use ::arbitrary::{Arbitrary, Result, Unstructured};

use crate::reader::Reader;
use crate::seq::{self, Element, Seq};

impl<'a, T: Element<'a>> Arbitrary<'a> for Seq<'a, T> {
    fn arbitrary(u: &mut Unstructured<'a>) -> Result<Self> {
        let bytes: &'a [u8] = u.arbitrary()?;
        Ok(Self::from_valid_bytes(bytes))
    }

    fn arbitrary_take_rest(u: Unstructured<'a>) -> Result<Self> {
        let bytes: &'a [u8] = <&'a [u8]>::arbitrary_take_rest(u)?;
        Ok(Self::from_valid_bytes(bytes))
    }

    fn size_hint(depth: usize) -> (usize, Option<usize>) {
        <&'a [u8] as Arbitrary<'a>>::size_hint(depth)
    }
}

impl<'a, T: Element<'a>> Seq<'a, T> {
    /// `bytes` as a wire list if it is a complete sequence of valid items, else empty.
    fn from_valid_bytes(bytes: &'a [u8]) -> Self {
        seq::read_unchecked(&mut Reader::over(bytes)).unwrap_or(Self::EMPTY)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::{Properties, Property, ReasonCode, ReasonCodes, TopicFilters};

    #[test]
    fn valid_bytes_become_a_wire_list() {
        // Topic Alias 5, then User Property ("k", "v").
        let bytes = [0x23, 0x00, 0x05, 0x26, 0x00, 0x01, b'k', 0x00, 0x01, b'v'];
        let props = Properties::from_valid_bytes(&bytes);
        assert_eq!(props.wire_bytes(), Some(&bytes[..]));
        let items: std::vec::Vec<_> = props.iter().collect();
        assert_eq!(
            items,
            [Property::TopicAlias(5), Property::UserProperty("k", "v")]
        );
    }

    #[test]
    fn invalid_or_incomplete_bytes_give_the_empty_list() {
        // Unknown property 0x05; a string running past the end; reason code 0x03.
        assert!(Properties::from_valid_bytes(&[0x05, 0x00]).is_empty());
        assert!(TopicFilters::from_valid_bytes(&[0x00, 0x03, b'a']).is_empty());
        assert!(ReasonCodes::from_valid_bytes(&[0x00, 0x03]).is_empty());
        let codes = ReasonCodes::from_valid_bytes(&[0x00, 0x80]);
        assert_eq!(
            codes.iter().collect::<std::vec::Vec<_>>(),
            [ReasonCode::Success, ReasonCode::UnspecifiedError]
        );
    }

    #[test]
    fn arbitrary_list_is_empty_or_fully_valid() {
        // Whatever the input, the list is empty or wire bytes that re-read as a whole, so
        // iterating it never hits the "validated list" assertion.
        let inputs: [&[u8]; 4] = [
            &[],
            &[0xFF; 9],
            &[0x04, 0x26, 0x00, 0x00, 0x00, 0x00],
            &[0x26, 0x00, 0x00, 0x00, 0x00],
        ];
        let mut non_empty = 0;
        for input in inputs {
            let lists = [
                Properties::arbitrary(&mut Unstructured::new(input)),
                Properties::arbitrary_take_rest(Unstructured::new(input)),
            ];
            for props in lists.into_iter().flatten() {
                if props.is_empty() {
                    continue;
                }
                non_empty += 1;
                let wire = props
                    .wire_bytes()
                    .expect("an arbitrary list is a wire list");
                assert!(seq::read_unchecked::<Property<'_>>(&mut Reader::over(wire)).is_ok());
                assert_eq!(props.iter().count(), props.len());
            }
        }
        // The last input taken whole is one User Property ("", "").
        assert!(non_empty >= 1);
    }
}
