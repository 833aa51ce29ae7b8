#![doc = include_str!("../README.md")]
//!
//! # Guarantees
//!
//! - [`decode`] never panics, never reads outside the slice it is given, does work linear in
//!   the input and never allocates. Any byte string either decodes (`Complete`), is a valid
//!   beginning of a packet (`Partial`, with how many more bytes are needed), or is refused
//!   with a [`DecodeError`] naming the broken rule and its byte offset.
//! - Hostile input costs no more than its length: decoding, encoding, validation and
//!   [`topic::matches`] take time linear in their input (property repeats are checked with
//!   one bit per property identifier, so 20,000 User Properties in one packet are 20,000
//!   steps; topic matching never backtracks, so 30,000 levels of `+/` are one pass), use a
//!   small fixed amount of stack (no recursion anywhere) and never allocate (`#![no_std]`,
//!   no `alloc`; lists are borrowed wire bytes or caller slices).
//! - [`frame`] refuses a packet as soon as its fixed header proves it unacceptable: a
//!   Remaining Length the packet type cannot have in the connection's version (each
//!   type's smallest body, and the fixed sizes of 3.x bodies), or one above the caller's
//!   maximum packet size. A receiver never waits for, or buffers, the body of such a packet.
//! - Decoding is canonical: if `decode(bytes)` succeeds, encoding the result writes exactly
//!   `bytes` back (minimal variable byte integers, zero reserved bits, properties in wire
//!   order, 5.0 short forms remembered).
//! - [`Packet::encoded_len`] is exact, and [`Packet::encode`] checks everything before it
//!   writes the first byte; it never writes a value the decoder would refuse.
//! - Inside a complete packet, a field that runs past the Remaining Length is
//!   [`DecodeErrorKind::Truncated`] (malformed), never `Partial`.
#![no_std]
// One `unsafe` block in the crate (`utf8::ascii_str`, with its proof); see ARCHITECTURE.md.
#![deny(unsafe_code, clippy::undocumented_unsafe_blocks)]
#![deny(missing_docs, missing_debug_implementations)]
#![cfg_attr(
    not(test),
    deny(
        clippy::indexing_slicing,
        clippy::unwrap_used,
        clippy::expect_used,
        clippy::panic,
        clippy::arithmetic_side_effects,
        clippy::cast_possible_truncation,
    )
)]
#![warn(clippy::std_instead_of_core, clippy::alloc_instead_of_core)]
#![cfg_attr(docsrs, feature(doc_cfg))]

#[cfg(feature = "alloc")]
extern crate alloc;

// `arbitrary` needs std (its derive uses `std::thread_local!`).
#[cfg(any(test, feature = "std", feature = "arbitrary"))]
extern crate std;

#[cfg(feature = "arbitrary")]
mod arbitrary;
#[cfg(feature = "tokio")]
mod codec;
mod diagnose;
mod direction;
mod display;
#[cfg(any(feature = "embedded-io", feature = "embedded-io-async"))]
#[cfg_attr(
    docsrs,
    doc(cfg(any(feature = "embedded-io", feature = "embedded-io-async")))
)]
pub mod embedded;
mod entry;
mod error;
mod framer;
mod header;
#[cfg(feature = "alloc")]
mod owned;
mod packet;
mod properties;
mod reader;
mod reason;
mod seq;
#[cfg(feature = "std")]
mod std_io;
pub mod topic;
mod types;
mod utf8;
mod varint;
#[cfg(feature = "alloc")]
mod vec_buffer;
mod writer;

#[cfg(feature = "tokio")]
pub use codec::MqttCodec;
#[cfg(feature = "bytes")]
pub use owned::OwnedPacket;
#[cfg(feature = "alloc")]
pub use vec_buffer::VecBuffer;

pub use entry::{decode, decode_as, decode_frame, decode_with, frame};
pub use error::{DecodeError, DecodeErrorKind, EncodeError, Field};
#[cfg(feature = "heapless")]
pub use framer::StreamBuffer;
pub use framer::{Framer, Packets, RawPacket, StreamStatus};
#[cfg(feature = "std")]
pub use framer::{ReadError, read_packet};
pub use header::{Frame, PacketType};
pub use packet::{
    Ack, Auth, ConnAck, Connect, Disconnect, Packet, Publish, RetainHandling, SubAck, Subscribe,
    Subscription, SubscriptionOptions, TailForm, UnsubAck, Unsubscribe, Will,
};
pub use packet::{ReasonCodes, Subscriptions, TopicFilters};
pub use properties::{Properties, Property, PropertyContext, PropertyId, WireType};
pub use reason::ReasonCode;
pub use seq::{Seq, SeqIter};
pub use types::{ClientSide, PacketId, QoS, Role, ServerSide, Side, Version};
pub use utf8::Utf8Policy;
pub use varint::{VARINT_MAX, varint_len};
pub use writer::STRING_MAX_LEN;

/// The result of decoding input that may not be complete yet.
///
/// # Examples
/// ```
/// use mqtt_wire::{decode, Status, Version};
/// assert_eq!(decode(&[], Version::V5), Ok(Status::Partial(2)));
/// assert_eq!(decode(&[0xD0], Version::V5), Ok(Status::Partial(1)));
/// assert!(matches!(decode(&[0xD0, 0x00], Version::V5), Ok(Status::Complete(_))));
/// ```
#[must_use]
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
#[cfg_attr(feature = "defmt", derive(defmt::Format))]
pub enum Status<T> {
    /// A whole packet: the value (with, for [`decode`], the number of bytes it used).
    Complete(T),
    /// The input is a valid beginning; at least this many (>= 1) more bytes are needed.
    /// Exact once the fixed header is complete; 1 or 2 before that.
    Partial(usize),
}

impl<T> Status<T> {
    /// The complete value, or `None` for `Partial`.
    pub fn complete(self) -> Option<T> {
        match self {
            Self::Complete(t) => Some(t),
            Self::Partial(_) => None,
        }
    }

    /// Whether more bytes are needed.
    #[must_use]
    pub const fn is_partial(&self) -> bool {
        matches!(self, Self::Partial(_))
    }
}

/// Options for [`decode_with`] and [`frame`]: limits and policies chosen by the receiver.
///
/// # Examples
/// ```
/// use mqtt_wire::{DecodeOptions, Utf8Policy};
/// let opts = DecodeOptions::new().max_packet_size(1024).utf8_policy(Utf8Policy::Strict);
/// # let _ = opts;
/// ```
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
#[cfg_attr(feature = "defmt", derive(defmt::Format))]
pub struct DecodeOptions {
    pub(crate) max_packet_size: u32,
    pub(crate) utf8_policy: Utf8Policy,
    pub(crate) receiver: Option<Role>,
}

impl DecodeOptions {
    /// No size limit (beyond the protocol's 268,435,460 bytes), [`Utf8Policy::Spec`].
    #[must_use]
    pub const fn new() -> Self {
        Self {
            max_packet_size: u32::MAX,
            utf8_policy: Utf8Policy::Spec,
            receiver: None,
        }
    }

    /// Refuse packets whose total size (fixed header included, as the 5.0 Maximum Packet
    /// Size property counts it) exceeds `bytes`, as soon as the fixed header says so.
    #[must_use]
    pub const fn max_packet_size(mut self, bytes: u32) -> Self {
        self.max_packet_size = bytes;
        self
    }

    /// Which code points strings may contain (see [`Utf8Policy`]).
    #[must_use]
    pub const fn utf8_policy(mut self, policy: Utf8Policy) -> Self {
        self.utf8_policy = policy;
        self
    }

    /// Says which side is decoding, so that the rules that depend on who sent a packet are
    /// enforced too (by default the decoder knows no role and accepts what either side may
    /// send):
    ///
    /// - packet types only the receiver's own side sends are refused at their first byte
    ///   ([`WrongDirection`](DecodeErrorKind::WrongDirection)), before any body arrives;
    /// - a Subscription Identifier in a PUBLISH from a client (MQTT-3.3.4-6) and a Session
    ///   Expiry Interval in a DISCONNECT from the server (MQTT-3.14.2-2) are refused
    ///   ([`PropertyWrongDirection`](DecodeErrorKind::PropertyWrongDirection));
    /// - DISCONNECT and AUTH reason codes the sender's side may not use are refused
    ///   ([`ReasonCodeWrongDirection`](DecodeErrorKind::ReasonCodeWrongDirection)).
    ///
    /// The [`Framer`], the stream buffers and the adapters take the same options.
    /// [`decode_as`] applies the same rules with the role fixed at compile time (and links
    /// only the decoders that role needs).
    ///
    /// # Examples
    /// ```
    /// use mqtt_wire::{decode_with, DecodeErrorKind, DecodeOptions, PropertyId, Role, Version};
    /// // A 5.0 PUBLISH "a" with Subscription Identifier 1 (property 0x0B).
    /// let publish = [0x30, 0x06, 0x00, 0x01, b'a', 0x02, 0x0B, 0x01];
    /// // A client may receive it: a server sends Subscription Identifiers.
    /// let as_client = DecodeOptions::new().receiver(Role::Client);
    /// assert!(decode_with(&publish, Version::V5, &as_client).is_ok());
    /// // A server may not: MQTT-3.3.4-6. The offset is the property's identifier.
    /// let as_server = DecodeOptions::new().receiver(Role::Server);
    /// let e = decode_with(&publish, Version::V5, &as_server).unwrap_err();
    /// let kind = DecodeErrorKind::PropertyWrongDirection(PropertyId::SubscriptionIdentifier);
    /// assert_eq!((e.kind(), e.offset()), (kind, 6));
    /// ```
    #[must_use]
    pub const fn receiver(mut self, role: Role) -> Self {
        self.receiver = Some(role);
        self
    }

    /// The receiving side set with [`receiver`](Self::receiver), if any.
    #[must_use]
    pub const fn receiving_role(&self) -> Option<Role> {
        self.receiver
    }
}

impl Default for DecodeOptions {
    fn default() -> Self {
        Self::new()
    }
}
