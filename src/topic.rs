//! Topic names and topic filters (MQTT 3.1.1 §4.7, MQTT 5.0 §4.7 and §4.8.2).
//!
//! Validation here is syntax only and needs no allocation. Strings reaching these functions
//! from the decoder are already well-formed UTF-8 without U+0000.

use crate::error::DecodeErrorKind;
use crate::types::Version;

/// Checks a topic name: at least one byte (MQTT-4.7.3-1), no `+` or `#` (MQTT-3.3.2-2),
/// no U+0000 (MQTT-4.7.3-2).
///
/// # Errors
/// [`EmptyTopic`](DecodeErrorKind::EmptyTopic),
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
pub fn check_name(name: &str) -> Result<(), DecodeErrorKind> {
    if name.is_empty() {
        return Err(DecodeErrorKind::EmptyTopic);
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

/// Checks a topic filter: at least one byte (MQTT-4.7.3-1); `#` only as the whole last level
/// (MQTT-4.7.1-2); `+` only as a whole level (MQTT-4.7.1-3); no U+0000. Under MQTT 5.0 a
/// filter starting with `$share/` must be `$share/{ShareName}/{filter}` with a non-empty
/// ShareName free of `/`, `+` and `#`, followed by a valid filter (MQTT-4.8.2-1, MQTT-4.8.2-2).
///
/// # Errors
/// [`EmptyTopic`](DecodeErrorKind::EmptyTopic),
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
    if filter.is_empty() {
        return Err(DecodeErrorKind::EmptyTopic);
    }
    let inner = match shared_parts(filter, version) {
        Some((group, rest)) => {
            if group.is_empty()
                || group.bytes().any(|b| matches!(b, b'+' | b'#'))
                || rest.is_empty()
            {
                return Err(DecodeErrorKind::InvalidTopicFilter);
            }
            rest
        }
        None if version.is_v5() && filter == "$share" => {
            return Err(DecodeErrorKind::InvalidTopicFilter);
        }
        None => filter,
    };
    check_filter_levels(inner)
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
    Some(rest.split_once('/').unwrap_or((rest, "")))
}

fn check_filter_levels(filter: &str) -> Result<(), DecodeErrorKind> {
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
            "$share",
            "$share/g/a#",
        ] {
            assert!(check_filter(bad, Version::V5).is_err(), "{bad}");
        }
        // Before 5.0, $share is an ordinary first level.
        assert!(check_filter("$share/g", Version::V3_1_1).is_ok());
    }
}
