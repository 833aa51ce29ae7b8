//! Topic names and topic filters (MQTT 3.1.1 §4.7, MQTT 5.0 §4.7 and §4.8.2): validation,
//! level iteration and filter matching.
//!
//! Nothing here allocates, and nothing panics, whatever the input. Validation is syntax only.
//! Strings reaching these functions from the decoder are already well-formed UTF-8 without
//! U+0000. Matching compares bytes exactly, without any normalisation (MQTT-4.7.3-4).
//!
//! # Examples
//! ```
//! use mqtt_wire::topic::{self, TopicFilter, TopicName};
//! use mqtt_wire::Version;
//! assert!(topic::matches("sport/tennis/+", "sport/tennis/player1"));
//! assert!(topic::matches("sport/#", "sport")); // `#` also matches the parent level
//! assert!(!topic::matches("#", "$SYS/broker/uptime")); // MQTT-4.7.2-1
//!
//! let filter = TopicFilter::new("$share/workers/jobs/+", Version::V5)?;
//! assert_eq!(filter.share_group(), Some("workers"));
//! assert!(filter.matches(TopicName::new("jobs/42")?));
//! # Ok::<(), mqtt_wire::DecodeErrorKind>(())
//! ```

use core::fmt;

use crate::error::DecodeErrorKind;
use crate::types::Version;

/// Checks a topic name: at least one byte (MQTT-4.7.3-1), at most 65,535 (MQTT-4.7.3-3),
/// no `+` or `#` (MQTT-3.3.2-2), no U+0000 (MQTT-4.7.3-2).
///
/// # Errors
/// [`EmptyTopic`](DecodeErrorKind::EmptyTopic),
/// [`TopicTooLong`](DecodeErrorKind::TopicTooLong),
/// [`WildcardInTopicName`](DecodeErrorKind::WildcardInTopicName),
/// [`NullCharacter`](DecodeErrorKind::NullCharacter).
///
/// # Examples
/// ```
/// use mqtt_wire::{topic, DecodeErrorKind};
/// assert!(topic::check_name("sensors/kitchen/temp").is_ok());
/// assert_eq!(topic::check_name("sensors/+/temp"), Err(DecodeErrorKind::WildcardInTopicName));
/// assert_eq!(topic::check_name(""), Err(DecodeErrorKind::EmptyTopic));
/// ```
#[inline]
pub fn check_name(name: &str) -> Result<(), DecodeErrorKind> {
    if name.is_empty() {
        return Err(DecodeErrorKind::EmptyTopic);
    }
    if name.len() > crate::STRING_MAX_LEN {
        return Err(DecodeErrorKind::TopicTooLong);
    }
    if !crate::utf8::scan(name.as_bytes()).nul_or_wildcard() {
        return Ok(());
    }
    for b in name.bytes() {
        match b {
            b'+' | b'#' => return Err(DecodeErrorKind::WildcardInTopicName),
            0 => return Err(DecodeErrorKind::NullCharacter),
            _ => {}
        }
    }
    Ok(())
}

/// Checks a topic filter: at least one byte (MQTT-4.7.3-1), at most 65,535 (MQTT-4.7.3-3);
/// `#` only as the whole last level
/// (3.1.1: MQTT-4.7.1-2; 5.0: MQTT-4.7.1-1); `+` only as a whole level (3.1.1: MQTT-4.7.1-3; 5.0: MQTT-4.7.1-2); no U+0000. Under MQTT 5.0 a
/// filter starting with `$share/` must be `$share/{ShareName}/{filter}` with a non-empty
/// ShareName free of `/`, `+` and `#`, followed by a valid filter (MQTT-4.8.2-1, MQTT-4.8.2-2).
/// A bare `$share` (no `/`) is no shared subscription but an ordinary one-level filter.
///
/// # Errors
/// [`EmptyTopic`](DecodeErrorKind::EmptyTopic),
/// [`TopicTooLong`](DecodeErrorKind::TopicTooLong),
/// [`InvalidTopicFilter`](DecodeErrorKind::InvalidTopicFilter),
/// [`NullCharacter`](DecodeErrorKind::NullCharacter).
///
/// # Examples
/// ```
/// use mqtt_wire::{topic, DecodeErrorKind, Version};
/// assert!(topic::check_filter("sport/+/player1/#", Version::V3_1_1).is_ok());
/// assert!(topic::check_filter("$share/group/sport/#", Version::V5).is_ok());
/// assert_eq!(topic::check_filter("sport/ten#", Version::V5), Err(DecodeErrorKind::InvalidTopicFilter));
/// assert_eq!(topic::check_filter("$share/g+/a", Version::V5), Err(DecodeErrorKind::InvalidTopicFilter));
/// ```
pub fn check_filter(filter: &str, version: Version) -> Result<(), DecodeErrorKind> {
    check_filter_found(filter, crate::utf8::scan(filter.as_bytes()), version)
}

/// [`check_filter`] with the scan of `filter`'s bytes already made.
#[inline]
pub(crate) fn check_filter_found(
    filter: &str,
    found: crate::utf8::Found,
    version: Version,
) -> Result<(), DecodeErrorKind> {
    if filter.is_empty() {
        return Err(DecodeErrorKind::EmptyTopic);
    }
    if filter.len() > crate::STRING_MAX_LEN {
        return Err(DecodeErrorKind::TopicTooLong);
    }
    let inner = match shared_parts(filter, version) {
        Some((group, rest)) => {
            if group.is_empty()
                || group.bytes().any(|b| matches!(b, b'+' | b'#'))
                || rest.is_empty()
            {
                return Err(DecodeErrorKind::InvalidTopicFilter);
            }
            if group.as_bytes().contains(&0) {
                return Err(DecodeErrorKind::NullCharacter);
            }
            rest
        }
        None => filter,
    };
    // What the scan found in the whole filter covers its inner part.
    check_filter_levels_found(inner, found)
}

/// For a 5.0 shared subscription `$share/{group}/{filter}`, the group and the filter.
/// Returns `None` for a filter that is not a shared subscription (any 3.x filter). A
/// `$share/{group}` without a second `/` yields an empty filter part.
#[must_use]
pub fn shared_parts(filter: &str, version: Version) -> Option<(&str, &str)> {
    if !version.is_v5() {
        return None;
    }
    let rest = filter.strip_prefix("$share/")?;
    Some(split_once_slash(rest).unwrap_or((rest, "")))
}

/// `s.split_once('/')` by bytes: `/` is ASCII, so the byte search is exact. (The `char`
/// pattern's searcher keeps the pattern's UTF-8 length in memory and slices by it, a
/// bounds check the compiler cannot remove; this keeps the topic code provably
/// panic-free, see `tests/no-panic`.) Out of line, as the searcher call was: it only runs
/// for `$share/` filters, and inlined it slows the decoder's filter check.
#[inline(never)]
fn split_once_slash(s: &str) -> Option<(&str, &str)> {
    let at = s.bytes().position(|b| b == b'/')?;
    let (before, from) = s.split_at_checked(at)?;
    Some((before, from.get(1..)?))
}

/// As [`split_once_slash`] at the last `/`.
fn rsplit_once_slash(s: &str) -> Option<(&str, &str)> {
    let at = s.bytes().rposition(|b| b == b'/')?;
    let (before, from) = s.split_at_checked(at)?;
    Some((before, from.get(1..)?))
}

/// The levels of a topic name or filter, split at `/`, without allocating.
///
/// A string of `n` separators has `n + 1` levels, some possibly empty; the empty string has
/// one empty level (MQTT 5.0 §4.7.1.1: "adjacent Topic Level Separators indicate a
/// zero-length topic level").
///
/// # Examples
/// ```
/// use mqtt_wire::topic;
/// assert!(topic::levels("sport/tennis/#").eq(["sport", "tennis", "#"]));
/// assert!(topic::levels("/finance").eq(["", "finance"]));
/// assert_eq!(topic::levels("a//b").count(), 3);
/// ```
pub fn levels(s: &str) -> Levels<'_> {
    Levels { rest: Some(s) }
}

/// Iterator over the levels of a topic name or filter; see [`levels`].
#[derive(Debug, Clone)]
pub struct Levels<'a> {
    /// The levels not yielded yet, `/`-separated; `None` once all are.
    rest: Option<&'a str>,
}

impl<'a> Iterator for Levels<'a> {
    type Item = &'a str;

    fn next(&mut self) -> Option<&'a str> {
        let rest = self.rest?;
        match split_once_slash(rest) {
            Some((level, after)) => {
                self.rest = Some(after);
                Some(level)
            }
            None => self.rest.take(),
        }
    }
}

impl<'a> DoubleEndedIterator for Levels<'a> {
    fn next_back(&mut self) -> Option<&'a str> {
        let rest = self.rest?;
        match rsplit_once_slash(rest) {
            Some((before, level)) => {
                self.rest = Some(before);
                Some(level)
            }
            None => self.rest.take(),
        }
    }
}

impl core::iter::FusedIterator for Levels<'_> {}

/// Whether the topic filter `filter` matches the topic name `name` (MQTT 5.0 §4.7,
/// MQTT 3.1.1 §4.7).
///
/// - `+` matches exactly one level, which may be empty (`+/+` matches `/finance`).
/// - `#` matches any number of levels, including none: `sport/#` matches `sport`,
///   `sport/` and `sport/tennis/player1`.
/// - A filter starting with `+` or `#` never matches a name starting with `$`
///   (MQTT-4.7.2-1): subscribe to `$SYS/#` explicitly to get `$SYS` topics.
/// - A shared subscription `$share/{ShareName}/{filter}` matches with its inner filter
///   (MQTT 5.0 §4.8.2): `matches` is the 5.0 answer, [`matches_in`] with `Version::V5`.
///   Mosquitto gives 3.1.1 clients the same meaning; for the 3.1.1 answer, where `$share`
///   is an ordinary level, use [`matches_in`] with a 3.x [`Version`] (or [`TopicFilter`]).
/// - Levels are compared byte for byte, with no normalisation (MQTT-4.7.3-4).
///
/// Both arguments are assumed valid (see [`check_filter`], [`check_name`]); on invalid ones
/// the answer is unspecified but the function still never panics.
///
/// # Examples
/// ```
/// use mqtt_wire::topic::matches;
/// assert!(matches("sport/+/player1", "sport/tennis/player1"));
/// assert!(!matches("sport/+", "sport/tennis/player1"));
/// assert!(matches("+/+", "/finance"));
/// assert!(!matches("+/monitor/Clients", "$SYS/monitor/Clients"));
/// assert!(matches("$SYS/#", "$SYS/monitor/Clients"));
/// assert!(matches("$share/g/sport/#", "sport/tennis"));
/// ```
#[must_use]
pub fn matches(filter: &str, name: &str) -> bool {
    matches_in(filter, name, Version::V5)
}

/// Whether the topic filter `filter`, subscribed on a connection of protocol `version`,
/// matches the topic name `name`. The rules are those of [`matches()`], except that before
/// 5.0 there are no shared subscriptions: under 3.1 and 3.1.1 `$share/g/a` is an ordinary
/// filter, matching the topic `$share/g/a` and not `a`. With `Version::V5` this is
/// [`matches()`].
///
/// # Examples
/// ```
/// use mqtt_wire::topic::matches_in;
/// use mqtt_wire::Version;
/// assert!(matches_in("$share/g/a", "a", Version::V5));
/// assert!(!matches_in("$share/g/a", "$share/g/a", Version::V5));
/// assert!(matches_in("$share/g/a", "$share/g/a", Version::V3_1_1));
/// assert!(!matches_in("$share/g/a", "a", Version::V3_1_1));
/// ```
#[must_use]
pub fn matches_in(filter: &str, name: &str, version: Version) -> bool {
    if !version.is_v5() {
        return matches_plain(filter, name);
    }
    match filter.strip_prefix("$share/") {
        Some(rest) => match split_once_slash(rest) {
            Some((_group, inner)) => matches_plain(inner, name),
            None => false,
        },
        None => matches_plain(filter, name),
    }
}

/// Matching without the `$share/` interpretation, in one pass over both strings: equal
/// bytes (across `/` too) are skipped in bulk, and only where they differ does the filter
/// need to be at a wildcard level.
fn matches_plain(filter: &str, name: &str) -> bool {
    let (mut f, mut n) = (filter.as_bytes(), name.as_bytes());
    // MQTT-4.7.2-1: wildcards in the first level never match a `$` topic.
    if matches!(f.first(), Some(b'+' | b'#')) && n.first() == Some(&b'$') {
        return false;
    }
    // Whether `f` and `n` are both at the start of a level.
    let mut at_level_start = true;
    loop {
        let common = f.iter().zip(n).take_while(|(a, b)| a == b).count();
        let (Some((same, f_rest)), Some(n_rest)) = (f.split_at_checked(common), n.get(common..))
        else {
            return false;
        };
        if let Some(&last) = same.last() {
            at_level_start = last == b'/';
        }
        (f, n) = (f_rest, n_rest);
        match f.split_first() {
            None => return n.is_empty(),
            Some((b'#', rest)) if at_level_start && rest.is_empty() => return true,
            Some((b'+', rest)) if at_level_start && matches!(rest.first(), None | Some(b'/')) => {
                // `+` takes the whole name level, possibly empty.
                let level_len = n.iter().position(|&b| b == b'/').unwrap_or(n.len());
                n = n.get(level_len..).unwrap_or_default();
                f = rest;
                at_level_start = false;
            }
            // `x/#` matches `x`: the multi-level wildcard includes the parent level.
            Some((b'/', rest)) if n.is_empty() => return rest == b"#",
            Some(_) => return false,
        }
    }
}

/// A validated topic name: non-empty, at most 65,535 bytes, no wildcards, no U+0000
/// (MQTT-4.7.3-1, MQTT-4.7.3-3, MQTT-3.3.2-2, MQTT-4.7.3-2): it can always be encoded.
///
/// # Examples
/// ```
/// use mqtt_wire::topic::TopicName;
/// let name = TopicName::new("$SYS/broker/uptime")?;
/// assert!(name.is_reserved());
/// assert_eq!(name.levels().count(), 3);
/// assert!(TopicName::new("a/+").is_err());
/// # Ok::<(), mqtt_wire::DecodeErrorKind>(())
/// ```
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
#[cfg_attr(feature = "defmt", derive(defmt::Format))]
pub struct TopicName<'a>(&'a str);

impl<'a> TopicName<'a> {
    /// Validates `name` with [`check_name`].
    ///
    /// # Errors
    /// As [`check_name`].
    pub fn new(name: &'a str) -> Result<Self, DecodeErrorKind> {
        check_name(name).map(|()| Self(name))
    }

    /// The name.
    #[must_use]
    pub const fn as_str(&self) -> &'a str {
        self.0
    }

    /// Whether the name starts with `$` (server-specific topics such as `$SYS/...`, which
    /// filters starting with a wildcard do not match; MQTT-4.7.2-1).
    #[must_use]
    pub fn is_reserved(&self) -> bool {
        self.0.starts_with('$')
    }

    /// The name's levels; see [`levels`].
    pub fn levels(&self) -> Levels<'a> {
        levels(self.0)
    }
}

impl AsRef<str> for TopicName<'_> {
    fn as_ref(&self) -> &str {
        self.0
    }
}

impl fmt::Display for TopicName<'_> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.0)
    }
}

/// A validated topic filter (see [`check_filter`]: it can always be encoded) for a connection
/// of a given version, with a 5.0 shared
/// subscription (`$share/{ShareName}/{filter}`) split into its group and inner filter.
///
/// # Examples
/// ```
/// use mqtt_wire::topic::{TopicFilter, TopicName};
/// use mqtt_wire::Version;
/// let shared = TopicFilter::new("$share/g/sensors/#", Version::V5)?;
/// assert_eq!((shared.share_group(), shared.filter()), (Some("g"), "sensors/#"));
/// assert!(shared.matches(TopicName::new("sensors/kitchen")?));
/// // Before 5.0, `$share` is an ordinary first level.
/// let plain = TopicFilter::new("$share/g/sensors/#", Version::V3_1_1)?;
/// assert_eq!(plain.share_group(), None);
/// assert!(!plain.matches(TopicName::new("sensors/kitchen")?));
/// # Ok::<(), mqtt_wire::DecodeErrorKind>(())
/// ```
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
#[cfg_attr(feature = "defmt", derive(defmt::Format))]
pub struct TopicFilter<'a> {
    full: &'a str,
    share_group: Option<&'a str>,
    filter: &'a str,
}

impl<'a> TopicFilter<'a> {
    /// Validates `filter` with [`check_filter`] for `version`.
    ///
    /// # Errors
    /// As [`check_filter`].
    pub fn new(filter: &'a str, version: Version) -> Result<Self, DecodeErrorKind> {
        check_filter(filter, version)?;
        let (share_group, inner) = match shared_parts(filter, version) {
            Some((group, inner)) => (Some(group), inner),
            None => (None, filter),
        };
        Ok(Self {
            full: filter,
            share_group,
            filter: inner,
        })
    }

    /// The filter as subscribed, `$share/...` prefix included.
    #[must_use]
    pub const fn as_str(&self) -> &'a str {
        self.full
    }

    /// The ShareName of a shared subscription.
    #[must_use]
    pub const fn share_group(&self) -> Option<&'a str> {
        self.share_group
    }

    /// The filter that topic names are matched against (without any `$share/{group}/`).
    #[must_use]
    pub const fn filter(&self) -> &'a str {
        self.filter
    }

    /// Whether this filter matches `name`; the rules are those of [`matches()`].
    #[must_use]
    pub fn matches(&self, name: TopicName<'_>) -> bool {
        matches_plain(self.filter, name.0)
    }

    /// The levels of the inner filter; see [`levels`].
    pub fn levels(&self) -> Levels<'a> {
        levels(self.filter)
    }
}

impl AsRef<str> for TopicFilter<'_> {
    fn as_ref(&self) -> &str {
        self.full
    }
}

impl fmt::Display for TopicFilter<'_> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.full)
    }
}

/// The level rules of a (non-shared, non-empty) filter: `+` and `#` only as whole levels,
/// `#` only last, no U+0000. One scan finds whether there is anything to look at; then only
/// the bytes around each wildcard are checked.
#[cfg(test)]
fn check_filter_levels(filter: &str) -> Result<(), DecodeErrorKind> {
    check_filter_levels_found(filter, crate::utf8::scan(filter.as_bytes()))
}

/// [`check_filter_levels`] given a scan of `filter` or of a string that contains it (which
/// finds at least what `filter` holds).
#[inline]
fn check_filter_levels_found(
    filter: &str,
    found: crate::utf8::Found,
) -> Result<(), DecodeErrorKind> {
    let bytes = filter.as_bytes();
    if found.nul() {
        // Rare: which error comes first depends on the levels (see below).
        return check_filter_levels_in_order(filter);
    }
    if !found.wildcard() || wildcards_in_place(bytes) {
        Ok(())
    } else {
        Err(DecodeErrorKind::InvalidTopicFilter)
    }
}

/// Whether the wildcard at `bytes[i]` (if it is one) is a whole level, and `#` the last.
#[inline]
fn wildcard_in_place(bytes: &[u8], i: usize) -> bool {
    let starts_level = match i.checked_sub(1) {
        None => true,
        Some(prev) => bytes.get(prev) == Some(&b'/'),
    };
    let next = i.checked_add(1).and_then(|n| bytes.get(n));
    match bytes.get(i) {
        Some(b'+') => starts_level && matches!(next, None | Some(b'/')),
        Some(b'#') => starts_level && next.is_none(),
        _ => true,
    }
}

/// Whether every `+` and `#` of `bytes` is in place, visiting only the wildcards: eight
/// bytes at a time, each word gives the positions of its wildcards as a bit mask.
fn wildcards_in_place(bytes: &[u8]) -> bool {
    const LOW7: u64 = 0x7F7F_7F7F_7F7F_7F7F;
    let mut ok = true;
    let mut visit = |word: [u8; 8], base: usize| {
        // Bytes of `t` are zero exactly at `+` and `#` (see `utf8::scan`); the high bit of
        // each zero byte of `t` is set in `at`, and only those (no borrow between bytes).
        let t = (u64::from_le_bytes(word) | 0x0808_0808_0808_0808) ^ 0x2B2B_2B2B_2B2B_2B2B;
        let mut at = !(((t & LOW7).wrapping_add(LOW7)) | t) & !LOW7;
        while at != 0 {
            let i = base.saturating_add((at.trailing_zeros() / 8) as usize);
            ok &= wildcard_in_place(bytes, i);
            at &= at.wrapping_sub(1);
        }
    };
    let mut rest = bytes;
    let mut base = 0usize;
    while let Some((word, after)) = rest.split_first_chunk::<8>() {
        visit(*word, base);
        rest = after;
        base = base.saturating_add(8);
    }
    if rest.is_empty() {
        return ok;
    }
    match bytes.last_chunk::<8>() {
        // The last eight bytes again (a wildcard seen twice is checked twice, harmlessly).
        Some(last) => visit(*last, bytes.len().saturating_sub(8)),
        None => {
            for i in 0..bytes.len() {
                ok &= wildcard_in_place(bytes, i);
            }
        }
    }
    ok
}

/// [`check_filter_levels`] in one ordered pass over the bytes, for the precise error when
/// U+0000 is present: errors come level by level, and within a level a misplaced wildcard is
/// reported before U+0000.
fn check_filter_levels_in_order(filter: &str) -> Result<(), DecodeErrorKind> {
    // The previous byte; a virtual `/` before the first level.
    let mut prev = b'/';
    let mut nul_in_level = false;
    for &b in filter.as_bytes() {
        // A wildcard (only ever accepted at the start of a level) must end its level, and
        // `#` must end the filter.
        if prev == b'#' || (prev == b'+' && b != b'/') {
            return Err(DecodeErrorKind::InvalidTopicFilter);
        }
        match b {
            b'+' | b'#' if prev != b'/' => return Err(DecodeErrorKind::InvalidTopicFilter),
            b'/' if nul_in_level => return Err(DecodeErrorKind::NullCharacter),
            0 => nul_in_level = true,
            _ => {}
        }
        prev = b;
    }
    if nul_in_level {
        Err(DecodeErrorKind::NullCharacter)
    } else {
        Ok(())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn mqtt_4_7_1_2_and_3_wildcard_placement() {
        for ok in [
            "#",
            "+",
            "a/#",
            "+/+",
            "/+",
            "a//b",
            "+/tennis/#",
            "$SYS/#",
            "/",
        ] {
            assert_eq!(check_filter(ok, Version::V3_1_1), Ok(()), "{ok}");
        }
        for bad in ["a#", "a/#/b", "#/a", "a+", "a/b+/c", "++", "##"] {
            assert_eq!(
                check_filter(bad, Version::V3_1_1),
                Err(DecodeErrorKind::InvalidTopicFilter),
                "{bad}"
            );
        }
    }

    #[test]
    fn mqtt_4_8_2_shared_subscriptions() {
        assert!(check_filter("$share/g/#", Version::V5).is_ok());
        for bad in [
            "$share/",
            "$share//a",
            "$share/g",
            "$share/g/",
            "$share/#/a",
            "$share/g/a#",
        ] {
            assert!(check_filter(bad, Version::V5).is_err(), "{bad}");
        }
        // MQTT-4.8.2-1: only a filter starting with `$share/` is a shared subscription; a
        // bare `$share` (or `$shared/...`) is an ordinary filter.
        for plain in ["$share", "$shared/g/a", "$sharex"] {
            assert_eq!(check_filter(plain, Version::V5), Ok(()), "{plain}");
            assert_eq!(shared_parts(plain, Version::V5), None, "{plain}");
        }
        assert!(matches("$share", "$share"));
        // Before 5.0, $share is an ordinary first level.
        assert!(check_filter("$share/g", Version::V3_1_1).is_ok());
    }

    #[test]
    fn mqtt_4_7_3_2_null_in_share_name() {
        assert_eq!(
            check_filter("$share/g\0/a", Version::V5),
            Err(DecodeErrorKind::NullCharacter)
        );
    }

    /// The level rules written level by level (split at `/`), as a reference for the
    /// one-pass [`check_filter_levels`].
    fn levels_reference(filter: &str) -> Result<(), DecodeErrorKind> {
        let mut levels = filter.split('/').peekable();
        while let Some(level) = levels.next() {
            let last = levels.peek().is_none();
            let ok = match level {
                "#" => last,
                "+" => true,
                _ => !level.bytes().any(|b| matches!(b, b'+' | b'#')),
            };
            if !ok {
                return Err(DecodeErrorKind::InvalidTopicFilter);
            }
            if level.as_bytes().contains(&0) {
                return Err(DecodeErrorKind::NullCharacter);
            }
        }
        Ok(())
    }

    #[test]
    #[cfg_attr(miri, ignore = "exhaustive over 19,530 strings: too slow under Miri")]
    fn one_pass_level_check_agrees_with_level_by_level() {
        // Every string of up to 6 bytes over the bytes that matter.
        let alphabet = [b'a', b'/', b'+', b'#', 0];
        let mut strings = std::vec![std::vec::Vec::new()];
        let mut start = 0;
        for _ in 0..6 {
            let end = strings.len();
            for i in start..end {
                for &c in &alphabet {
                    let mut s = strings[i].clone();
                    s.push(c);
                    strings.push(s);
                }
            }
            start = end;
        }
        assert_eq!(strings.len(), 1 + 5 + 25 + 125 + 625 + 3125 + 15625);
        let mut failures = 0;
        for s in &strings[1..] {
            let s = core::str::from_utf8(s).unwrap();
            assert_eq!(check_filter_levels(s), levels_reference(s), "{s:?}");
            assert_eq!(
                check_filter_levels_in_order(s),
                levels_reference(s),
                "{s:?}"
            );
            failures += usize::from(levels_reference(s).is_err());
        }
        // Both outcomes are exercised.
        assert!(failures > 0 && failures < strings.len() - 1);
    }

    #[test]
    #[cfg_attr(miri, ignore = "about 40,000 strings: too slow under Miri")]
    fn word_at_a_time_level_check_agrees_with_level_by_level() {
        // Strings of 7 to 19 bytes (full words and an overlapping last word) with two of
        // `+`, `#`, `/` placed at every pair of positions.
        let marks = [b'+', b'#', b'/'];
        let (mut ok, mut bad) = (0, 0);
        for len in 7..=19 {
            for i in 0..len {
                for j in i + 1..len {
                    for &a in &marks {
                        for &b in &marks {
                            let mut s = std::vec![b'a'; len];
                            s[i] = a;
                            s[j] = b;
                            for filter in [s.clone(), [&b"x/"[..], &s].concat()] {
                                let f = core::str::from_utf8(&filter).unwrap();
                                let want = levels_reference(f);
                                assert_eq!(check_filter_levels(f), want, "{f:?}");
                                if want.is_ok() { ok += 1 } else { bad += 1 }
                            }
                        }
                    }
                }
            }
        }
        assert!(ok > 1000 && bad > 1000, "{ok} {bad}");
    }
}
