//! Decode and encode time of mqtt-wire and peer MQTT codec crates on identical bytes.
//!
//! One criterion group per case and direction (`decode-<case>`, `encode-<case>`), one function
//! per crate. A crate is measured on a case only if the equivalence checks
//! (`mqtt_wire_peers::check`) pass; what is left out, and why, is printed to stderr.

use std::hint::black_box;

use criterion::measurement::WallTime;
use criterion::{
    BatchSize, BenchmarkGroup, Criterion, SamplingMode, Throughput, criterion_group, criterion_main,
};
use mqtt_wire_peers::{Case, Peer, cases, check, for_each_peer};

fn decode_one<P: Peer>(g: &mut BenchmarkGroup<'_, WallTime>, case: &Case) {
    if !P::supports(case) || !P::DECODE {
        return;
    }
    if let Err(e) = check::<P>(case).decode {
        eprintln!("skip decode {} {}: {e}", case.id, P::NAME);
        return;
    }
    let (bytes, ver) = (case.bytes, case.ver);
    g.bench_function(P::NAME, |b| {
        if P::OWNED_INPUT {
            // A fresh owned buffer per iteration, made and finally dropped outside the timing.
            b.iter_batched_ref(
                || P::input(bytes),
                |input| P::decode_all(input, ver).unwrap(),
                BatchSize::SmallInput,
            );
        } else {
            let mut input = P::input(bytes);
            b.iter(|| P::decode_all(black_box(&mut input), ver).unwrap());
        }
    });
}

fn encode_one<P: Peer>(g: &mut BenchmarkGroup<'_, WallTime>, case: &Case) {
    if !P::supports(case) || case.stream {
        return;
    }
    if let Err(e) = check::<P>(case).encode {
        eprintln!("skip encode {} {}: {e}", case.id, P::NAME);
        return;
    }
    let mut enc = P::prepare(case.bytes, case.ver).unwrap();
    let mut buf = P::new_buf();
    let ver = case.ver;
    g.bench_function(P::NAME, |b| {
        b.iter(|| P::encode(black_box(&mut enc), ver, &mut buf).unwrap());
    });
}

fn peers(c: &mut Criterion) {
    for case in cases() {
        let mut g = c.benchmark_group(format!("decode-{}", case.id));
        g.throughput(Throughput::Bytes(case.bytes.len() as u64));
        if case.stream {
            // Milliseconds per iteration for the 1 MiB stream: linear sampling would need
            // thousands of iterations; a few flat samples are plenty.
            g.sampling_mode(SamplingMode::Flat).sample_size(20);
        }
        for_each_peer!(decode_one(&mut g, &case));
        g.finish();
        if !case.stream {
            let mut g = c.benchmark_group(format!("encode-{}", case.id));
            g.throughput(Throughput::Bytes(case.bytes.len() as u64));
            for_each_peer!(encode_one(&mut g, &case));
            g.finish();
        }
    }
}

criterion_group!(benches, peers);
criterion_main!(benches);
