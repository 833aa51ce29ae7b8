//! Topic filter matching: realistic filters against realistic names.

use std::hint::black_box;

use criterion::{Criterion, Throughput, criterion_group, criterion_main};
use mqtt_wire::topic;

/// (case, filter, name, expected): each pair is checked once before it is measured.
const CASES: [(&str, &str, &str, bool); 8] = [
    (
        "exact",
        "devices/abc123/telemetry",
        "devices/abc123/telemetry",
        true,
    ),
    (
        "plus_hit",
        "home/+/temperature",
        "home/kitchen/temperature",
        true,
    ),
    (
        "plus_miss_last",
        "home/+/temperature",
        "home/kitchen/humidity",
        false,
    ),
    (
        "miss_first",
        "office/+/temperature",
        "home/kitchen/temperature",
        false,
    ),
    (
        "hash_deep",
        "sport/tennis/player1/#",
        "sport/tennis/player1/score/wimbledon",
        true,
    ),
    ("hash_dollar", "#", "$SYS/broker/load/bytes/received", false),
    (
        "shared",
        "$share/workers/jobs/+/status",
        "jobs/1234/status",
        true,
    ),
    ("eight_levels", "a/b/c/d/e/f/+/h", "a/b/c/d/e/f/g/h", true),
];

fn bench_cases(c: &mut Criterion) {
    let mut group = c.benchmark_group("topic_match");
    group.throughput(Throughput::Elements(1));
    for (case, filter, name, expected) in CASES {
        assert_eq!(topic::matches(filter, name), expected, "{case}");
        group.bench_function(case, |b| {
            b.iter(|| topic::matches(black_box(filter), black_box(name)))
        });
    }
    group.finish();
}

/// A router's inner loop: every filter of a small subscription table against every name.
fn bench_table(c: &mut Criterion) {
    let filters: Vec<&str> = CASES.iter().map(|c| c.1).collect();
    let names: Vec<&str> = CASES.iter().map(|c| c.2).collect();
    let mut group = c.benchmark_group("topic_table");
    group.throughput(Throughput::Elements((filters.len() * names.len()) as u64));
    group.bench_function("8x8", |b| {
        b.iter(|| {
            let mut hits = 0u32;
            for f in &filters {
                for n in &names {
                    hits += u32::from(topic::matches(black_box(f), black_box(n)));
                }
            }
            hits
        })
    });
    group.finish();
}

criterion_group!(benches, bench_cases, bench_table);
criterion_main!(benches);
