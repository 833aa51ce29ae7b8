//! Topic filter matching (MQTT 3.1.1 §4.7, MQTT 5.0 §4.7, §4.8.2): the spec's own examples,
//! the `$` rule, shared subscriptions, and a property test against a plain reference matcher.

use mqtt_wire::topic::{self, TopicFilter, TopicName};
use mqtt_wire::{DecodeErrorKind, Version};
use proptest::prelude::*;

/// The examples of MQTT 5.0 §4.7.1.2 (multi-level wildcard).
#[test]
fn spec_4_7_1_2_multi_level_wildcard() {
    let f = "sport/tennis/player1/#";
    for name in [
        "sport/tennis/player1",
        "sport/tennis/player1/ranking",
        "sport/tennis/player1/score/wimbledon",
    ] {
        assert!(topic::matches(f, name), "{f} should match {name}");
    }
    assert!(!topic::matches(f, "sport/tennis/player2"));
    assert!(!topic::matches(f, "sport/tennis"));
    // "sport/#" also matches the singular "sport", since # includes the parent level.
    assert!(topic::matches("sport/#", "sport"));
    assert!(topic::matches("sport/#", "sport/"));
    assert!(!topic::matches("sport/#", "sports"));
    assert!(topic::matches("#", "sport/tennis"));
    assert!(topic::matches("#", "/"));
}

/// The examples of MQTT 5.0 §4.7.1.3 (single-level wildcard).
#[test]
fn spec_4_7_1_3_single_level_wildcard() {
    assert!(topic::matches("sport/tennis/+", "sport/tennis/player1"));
    assert!(topic::matches("sport/tennis/+", "sport/tennis/player2"));
    assert!(!topic::matches(
        "sport/tennis/+",
        "sport/tennis/player1/ranking"
    ));
    assert!(!topic::matches("sport/+", "sport"));
    assert!(topic::matches("sport/+", "sport/"));
    assert!(topic::matches("+/+", "/finance"));
    assert!(topic::matches("/+", "/finance"));
    assert!(!topic::matches("+", "/finance"));
    assert!(topic::matches("+/tennis/#", "sport/tennis/player1"));
    assert!(topic::matches("sport/+/player1", "sport/tennis/player1"));
    // + matches an empty level in the middle too.
    assert!(topic::matches("a/+/b", "a//b"));
    assert!(!topic::matches("a/+/b", "a/b"));
}

/// MQTT-4.7.2-1: a filter starting with a wildcard does not match a `$` topic.
#[test]
fn mqtt_4_7_2_1_dollar_topics() {
    assert!(!topic::matches("#", "$SYS/broker/uptime"));
    assert!(!topic::matches("+/monitor/Clients", "$SYS/monitor/Clients"));
    assert!(!topic::matches("+", "$SYS"));
    assert!(topic::matches("$SYS/#", "$SYS/monitor/Clients"));
    assert!(topic::matches("$SYS/monitor/+", "$SYS/monitor/Clients"));
    assert!(topic::matches("$SYS/#", "$SYS"));
    // Only the first character counts: a `$` later in the name is ordinary.
    assert!(topic::matches("#", "a/$SYS"));
    assert!(topic::matches("+/+", "a/$b"));
    // The rule applies to the inner filter of a shared subscription too.
    assert!(!topic::matches("$share/g/#", "$SYS/x"));
    assert!(topic::matches("$share/g/$SYS/#", "$SYS/x"));
}

/// MQTT-4.7.3-4: no normalisation; matching is case-sensitive and byte-exact.
#[test]
fn mqtt_4_7_3_4_no_normalisation() {
    assert!(!topic::matches("ACCOUNTS", "Accounts"));
    assert!(!topic::matches("a b", "a  b"));
    assert!(!topic::matches("caf\u{e9}", "cafe\u{301}"));
    assert!(topic::matches("caf\u{e9}/+", "caf\u{e9}/x"));
}

/// MQTT 5.0 §4.8.2: `$share/{ShareName}/{filter}` matches with its inner filter.
#[test]
fn mqtt_4_8_2_shared_subscriptions_match_inner_filter() {
    assert!(topic::matches(
        "$share/consumer1/sport/tennis/+",
        "sport/tennis/player1"
    ));
    assert!(!topic::matches(
        "$share/consumer1/sport/tennis/+",
        "sport/golf/player1"
    ));
    assert!(topic::matches("$share/g/#", "a/b"));
    // A malformed shared filter matches nothing, without panicking.
    assert!(!topic::matches("$share/g", "g"));

    let shared = TopicFilter::new("$share/g/a/+", Version::V5).unwrap();
    assert_eq!(shared.share_group(), Some("g"));
    assert_eq!(shared.filter(), "a/+");
    assert_eq!(shared.as_str(), "$share/g/a/+");
    assert!(shared.matches(TopicName::new("a/b").unwrap()));
    assert!(shared.levels().eq(["a", "+"]));

    // Under 3.1.1 `$share` is an ordinary level (starting with `$`).
    let plain = TopicFilter::new("$share/g/a/+", Version::V3_1_1).unwrap();
    assert_eq!(plain.share_group(), None);
    assert!(!plain.matches(TopicName::new("a/b").unwrap()));
    assert!(plain.matches(TopicName::new("$share/g/a/b").unwrap()));
}

/// MQTT 5.0 §4.8.2 applies only to 5.0: under 3.1.1 (§4.7) and 3.1 `$share/g/a` is an
/// ordinary filter, and the free function gives that answer with a version.
#[test]
fn mqtt_4_8_2_matches_in_gives_the_3_x_answer() {
    for v in [Version::V3_1, Version::V3_1_1] {
        assert!(topic::matches_in("$share/g/a", "$share/g/a", v), "{v}");
        assert!(!topic::matches_in("$share/g/a", "a", v), "{v}");
        assert!(topic::matches_in("$share/+/#", "$share/g/a/b", v), "{v}");
        // A malformed 5.0 shared filter is an ordinary filter before 5.0.
        assert!(topic::matches_in("$share/g", "$share/g", v), "{v}");
        assert!(topic::matches_in("sport/#", "sport", v), "{v}");
        assert!(!topic::matches_in("#", "$SYS/x", v), "{v}");
    }
    assert!(topic::matches_in("$share/g/a", "a", Version::V5));
    assert!(!topic::matches_in("$share/g/a", "$share/g/a", Version::V5));
    // `matches` is the 5.0 answer.
    for (f, n) in [
        ("$share/g/a", "a"),
        ("$share/g/a", "$share/g/a"),
        ("a/+", "a/b"),
    ] {
        assert_eq!(topic::matches(f, n), topic::matches_in(f, n, Version::V5));
    }
    // The same answers as the validated filter type.
    for v in Version::ALL {
        let f = TopicFilter::new("$share/g/a", v).unwrap();
        for n in ["a", "$share/g/a"] {
            let name = TopicName::new(n).unwrap();
            assert_eq!(
                f.matches(name),
                topic::matches_in(f.as_str(), n, v),
                "{v} {n}"
            );
        }
    }
}

/// Matching is linear in the two strings (no backtracking): 30,000 levels of `+/` against
/// 30,000 levels, matching and failing at the very end, with `#` and shared prefixes.
/// No clock here (timed tests fail on a loaded machine): a quadratic matcher would take
/// about 10^9 steps per call, 70 calls, minutes that CI's time limit would not allow; the
/// linear one takes milliseconds. `benches/topic.rs` measures the time. Under Miri: 300
/// levels, once.
#[test]
fn deeply_repeated_levels_match_in_linear_time() {
    let n = if cfg!(miri) { 300 } else { 30_000 };
    let plus = format!("{}+", "+/".repeat(n));
    let name = format!("{}a", "a/".repeat(n));
    let longer = format!("{name}/b");
    let mismatch_last = format!("{}b", "+/".repeat(n));
    let hash = format!("{}#", "+/".repeat(n));
    let shared = format!("$share/g/{plus}");
    for _ in 0..if cfg!(miri) { 1 } else { 10 } {
        assert!(topic::matches(&plus, &name));
        assert!(!topic::matches(&plus, &longer));
        assert!(!topic::matches(&mismatch_last, &name));
        assert!(topic::matches(&hash, &longer));
        assert!(topic::matches(&shared, &name));
        assert!(!topic::matches_in(&shared, &name, Version::V3_1_1));
        assert!(topic::matches(&name, &name));
    }
}

/// MQTT-4.8.2-1: a bare `$share` is no shared subscription, just a one-level filter.
#[test]
fn mqtt_4_8_2_1_bare_share_is_an_ordinary_filter() {
    for v in Version::ALL {
        let f = TopicFilter::new("$share", v).unwrap();
        assert_eq!((f.share_group(), f.filter()), (None, "$share"));
        assert!(f.matches(TopicName::new("$share").unwrap()));
    }
    assert!(topic::matches("$share", "$share"));
    assert!(!topic::matches("+", "$share"));
}

/// MQTT-4.7.3-3: a topic name or filter is at most 65,535 bytes; the validated types mean
/// "encodable", so longer strings are refused.
#[test]
fn mqtt_4_7_3_3_topics_longer_than_65535_bytes_refused() {
    let longest = "a".repeat(65_535);
    let too_long = "a".repeat(65_536);
    assert_eq!(topic::check_name(&longest), Ok(()));
    assert_eq!(
        TopicName::new(&longest).map(|n| n.as_str().len()),
        Ok(65_535)
    );
    assert_eq!(
        topic::check_name(&too_long),
        Err(DecodeErrorKind::TopicTooLong)
    );
    assert_eq!(
        TopicName::new(&too_long),
        Err(DecodeErrorKind::TopicTooLong)
    );
    let long_filter = format!("{}/#", "a".repeat(65_533));
    let long_shared = format!("$share/g/{}", "a".repeat(65_535 - 9));
    for v in Version::ALL {
        assert_eq!(topic::check_filter(&longest, v), Ok(()), "{v}");
        assert_eq!(topic::check_filter(&long_filter, v), Ok(()), "{v}");
        assert_eq!(topic::check_filter(&long_shared, v), Ok(()), "{v}");
        assert_eq!(
            topic::check_filter(&too_long, v),
            Err(DecodeErrorKind::TopicTooLong),
            "{v}"
        );
        assert_eq!(
            TopicFilter::new(&format!("{long_filter}a"), v),
            Err(DecodeErrorKind::TopicTooLong),
            "{v}"
        );
        assert_eq!(
            TopicFilter::new(&format!("{long_shared}a"), v),
            Err(DecodeErrorKind::TopicTooLong),
            "{v}"
        );
    }
}

#[test]
fn newtypes_validate() {
    // MQTT-4.7.3-1, MQTT-3.3.2-2, MQTT-4.7.1-2, MQTT-4.8.2-2.
    assert_eq!(TopicName::new(""), Err(DecodeErrorKind::EmptyTopic));
    assert_eq!(
        TopicName::new("a/#"),
        Err(DecodeErrorKind::WildcardInTopicName)
    );
    assert_eq!(
        TopicFilter::new("a/#/b", Version::V3_1_1),
        Err(DecodeErrorKind::InvalidTopicFilter)
    );
    assert_eq!(
        TopicFilter::new("$share/g+/a", Version::V5),
        Err(DecodeErrorKind::InvalidTopicFilter)
    );
    let name = TopicName::new("$SYS/x").unwrap();
    assert!(name.is_reserved());
    assert!(!TopicName::new("x/$SYS").unwrap().is_reserved());
    assert_eq!(name.to_string(), "$SYS/x");
}

#[test]
fn levels_split_at_every_separator() {
    assert!(topic::levels("a").eq(["a"]));
    assert!(topic::levels("").eq([""]));
    assert!(topic::levels("/").eq(["", ""]));
    assert!(topic::levels("a//b/").eq(["a", "", "b", ""]));
    assert!(topic::levels("a/b/c").rev().eq(["c", "b", "a"]));
    // Both ends at once meet in the middle, each level yielded once.
    let mut both = topic::levels("a/b/c");
    assert_eq!((both.next(), both.next_back()), (Some("a"), Some("c")));
    assert_eq!(
        (both.next_back(), both.next(), both.next_back()),
        (Some("b"), None, None)
    );
    let mut one = topic::levels("x");
    assert_eq!((one.next_back(), one.next()), (Some("x"), None));
}

/// A deliberately naive matcher, written from the spec's definitions: split into vectors,
/// `#` consumes any number (0..) of the remaining levels, `+` exactly one.
fn reference(filter: &str, name: &str) -> bool {
    let filter = match filter.strip_prefix("$share/") {
        Some(rest) => match rest.split_once('/') {
            Some((_, inner)) => inner,
            None => return false,
        },
        None => filter,
    };
    let f: Vec<&str> = filter.split('/').collect();
    let n: Vec<&str> = name.split('/').collect();
    if name.starts_with('$') && (f[0] == "+" || f[0] == "#") {
        return false;
    }
    fn go(f: &[&str], n: &[&str]) -> bool {
        match f.split_first() {
            None => n.is_empty(),
            Some((&"#", rest)) => (0..=n.len()).any(|k| go(rest, &n[k..])),
            Some((&"+", rest)) => !n.is_empty() && go(rest, &n[1..]),
            Some((level, rest)) => n.first() == Some(level) && go(rest, &n[1..]),
        }
    }
    go(&f, &n)
}

fn name_level() -> impl Strategy<Value = &'static str> {
    prop_oneof![Just("a"), Just("b"), Just("$x"), Just("")]
}

fn filter_level() -> impl Strategy<Value = &'static str> {
    prop_oneof![Just("a"), Just("b"), Just("$x"), Just(""), Just("+")]
}

/// Valid topic names over a small alphabet.
fn name() -> impl Strategy<Value = String> {
    prop::collection::vec(name_level(), 1..5)
        .prop_map(|levels| levels.join("/"))
        .prop_filter("names are not empty", |n| !n.is_empty())
}

/// Valid topic filters over a small alphabet, optionally ending in `#`, optionally shared.
fn filter() -> impl Strategy<Value = String> {
    let inner = (prop::collection::vec(filter_level(), 0..5), any::<bool>())
        .prop_map(|(mut levels, hash)| {
            if hash || levels.is_empty() {
                levels.push("#");
            }
            levels.join("/")
        })
        .prop_filter("filters are not empty", |f| !f.is_empty());
    (inner, any::<bool>())
        .prop_map(|(f, shared)| if shared { format!("$share/grp/{f}") } else { f })
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(if cfg!(miri) { 16 } else { 4096 }))]

    #[test]
    fn matches_agrees_with_reference(f in filter(), n in name()) {
        prop_assert!(topic::check_filter(&f, Version::V5).is_ok(), "{}", f);
        prop_assert!(topic::check_name(&n).is_ok(), "{}", n);
        prop_assert_eq!(topic::matches(&f, &n), reference(&f, &n), "{} vs {}", f, n);
        let typed = TopicFilter::new(&f, Version::V5).unwrap();
        prop_assert_eq!(typed.matches(TopicName::new(&n).unwrap()), reference(&f, &n));
    }

    /// Every name matches itself used as a filter, and `#` unless it starts with `$`.
    #[test]
    fn name_matches_itself(n in name()) {
        prop_assert!(topic::matches(&n, &n));
        prop_assert_eq!(topic::matches("#", &n), !n.starts_with('$'));
    }

    /// Arbitrary (also invalid) strings never panic; levels() is split('/').
    #[test]
    fn never_panics(f in "[ab/+#$\u{0}]{0,12}", n in "[ab/+#$]{0,12}") {
        let _ = topic::matches(&f, &n);
        let _ = topic::check_filter(&f, Version::V5);
        let _ = topic::check_name(&n);
        prop_assert!(topic::levels(&f).eq(f.split('/')));
    }
}
