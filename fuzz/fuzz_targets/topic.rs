//! Topic names and filters: `check_name`, `check_filter` and `matches` against small
//! reference implementations written from the spec (MQTT 3.1.1 / 5.0 §4.7, §4.8.2), plus
//! matching laws.
#![no_main]

use arbitrary::{Arbitrary, Unstructured};
use libfuzzer_sys::fuzz_target;
use mqtt_wire::Version;
use mqtt_wire::topic::{check_filter, check_name, matches, matches_in};

/// MQTT-4.7.3-1, MQTT-4.7.3-3, MQTT-3.3.2-2, MQTT-4.7.3-2.
fn ref_name_ok(name: &str) -> bool {
    !name.is_empty() && name.len() <= 65_535 && !name.contains(['+', '#', '\0'])
}

/// MQTT-4.7.1-2, MQTT-4.7.1-3, MQTT-4.7.3-1/-2/-3 and, in 5.0, MQTT-4.8.2-1/-2 (only a
/// filter starting with `$share/` is shared: a bare `$share` is an ordinary filter).
fn ref_filter_ok(filter: &str, v: Version) -> bool {
    fn levels_ok(f: &str) -> bool {
        let levels: Vec<&str> = f.split('/').collect();
        !f.is_empty()
            && !f.contains('\0')
            && levels.iter().enumerate().all(|(i, l)| match *l {
                "#" => i + 1 == levels.len(),
                "+" => true,
                l => !l.contains(['+', '#']),
            })
    }
    if filter.contains('\0') || filter.len() > 65_535 {
        return false;
    }
    if v == Version::V5 {
        if let Some(rest) = filter.strip_prefix("$share/") {
            return match rest.split_once('/') {
                Some((group, inner)) => {
                    !group.is_empty() && !group.contains(['+', '#']) && levels_ok(inner)
                }
                None => false,
            };
        }
    }
    levels_ok(filter)
}

/// Level-by-level matching (§4.7.1, MQTT-4.7.2-1), with `$share/{group}/` stripped when
/// `shared` (5.0).
fn ref_matches(filter: &str, name: &str, shared: bool) -> bool {
    fn go(f: &[&str], n: &[&str]) -> bool {
        match (f.split_first(), n.split_first()) {
            (None, None) => true,
            (Some((&"#", _)), _) => true,
            (Some((&"+", fr)), Some((_, nr))) => go(fr, nr),
            (Some((fl, fr)), Some((nl, nr))) => fl == nl && go(fr, nr),
            _ => false,
        }
    }
    let inner = match filter.strip_prefix("$share/").filter(|_| shared) {
        Some(rest) => match rest.split_once('/') {
            Some((_, inner)) => inner,
            None => return false,
        },
        None => filter,
    };
    if inner.starts_with(['+', '#']) && name.starts_with('$') {
        return false;
    }
    let f: Vec<&str> = inner.split('/').collect();
    let n: Vec<&str> = name.split('/').collect();
    go(&f, &n)
}

fuzz_target!(|data: &[u8]| {
    let mut u = Unstructured::new(data);
    let (Ok(filter), Ok(name)) = (<&str>::arbitrary(&mut u), <&str>::arbitrary_take_rest(u)) else {
        return;
    };
    let name_ok = check_name(name).is_ok();
    assert_eq!(name_ok, ref_name_ok(name), "check_name({name:?})");
    for v in Version::ALL {
        assert_eq!(
            check_filter(filter, v).is_ok(),
            ref_filter_ok(filter, v),
            "check_filter({filter:?}, {v})"
        );
    }
    // Never panics, whatever the arguments.
    let m = matches(filter, name);
    let m3 = matches_in(filter, name, Version::V3_1_1);
    assert_eq!(m, matches_in(filter, name, Version::V5));
    if name_ok && check_filter(filter, Version::V3_1_1).is_ok() {
        assert_eq!(
            m3,
            ref_matches(filter, name, false),
            "matches_in({filter:?}, {name:?}, 3.1.1)"
        );
    }
    if !(name_ok && check_filter(filter, Version::V5).is_ok()) {
        return;
    }
    assert_eq!(
        m,
        ref_matches(filter, name, true),
        "matches({filter:?}, {name:?})"
    );
    // Under 3.1.1 every valid name is a filter matching itself, `$share/...` included.
    assert!(matches_in(name, name, Version::V3_1_1), "{name:?} (3.1.1)");

    // A valid name is a valid filter that matches itself (outside `$share`).
    if !name.starts_with("$share") {
        for v in Version::ALL {
            assert!(
                check_filter(name, v).is_ok(),
                "name {name:?} as a {v} filter"
            );
        }
        assert!(matches(name, name), "{name:?} does not match itself");
    }
    // `#` matches every name outside `$` topics (MQTT-4.7.2-1).
    assert_eq!(matches("#", name), !name.starts_with('$'), "# vs {name:?}");
    // Replacing one level with `+` keeps a match, except a first level starting with `$`.
    let levels: Vec<&str> = name.split('/').collect();
    for i in 0..levels.len() {
        let mut f = levels.clone();
        f[i] = "+";
        let f = f.join("/");
        if check_filter(&f, Version::V5).is_ok() && !f.starts_with("$share/") {
            let expect = !(i == 0 && name.starts_with('$'));
            assert_eq!(matches(&f, name), expect, "{f:?} vs {name:?}");
        }
    }
});
