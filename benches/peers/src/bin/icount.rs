//! The workload for the instruction counts: runs ONE operation of ONE crate on ONE case a given
//! number of times, and nothing else worth mentioning. `icount.py` runs it under callgrind at
//! two iteration counts and takes the difference (see README.md, "Instruction counts").
//!
//! ```text
//! icount --list [OUT.tsv]                 # checks (natively): what can be measured
//! icount CRATE CASE OP ITERATIONS POOL    # the workload; OP = decode | encode | encode-built
//! ```
//!
//! `encode-built` is mqtt-wire encoding from caller-built lists, i.e. crate `mqtt-wire-built`
//! with op `encode` (both spellings work). `POOL` matters only for crates that decode from an
//! owned buffer (mqttbytes): that many inputs are made before the loop, whatever `ITERATIONS`
//! is, and the first `ITERATIONS` of them are decoded; they are never freed. Pass the same
//! `POOL` to both runs of a difference so that making the inputs cancels exactly.
//!
//! The run mode does no checks (they would only slow callgrind down); `icount.py` runs
//! `--list` first and measures only what passed.

use std::fmt::Write as _;
use std::hint::black_box;

use mqtt_wire_peers::{Case, Peer, case, cases, check, for_each_peer};

#[derive(Clone, Copy, PartialEq, Eq)]
enum Op {
    Decode,
    Encode,
}

/// One line of `--list`.
struct Row {
    case: &'static Case,
    krate: &'static str,
    op: &'static str,
    status: String,
}

fn list<P: Peer>(case: &'static Case, rows: &mut Vec<Row>) {
    let mut push = |op, status: String| {
        rows.push(Row {
            case,
            krate: P::NAME,
            op,
            status,
        })
    };
    if !P::supports(case) {
        if P::DECODE {
            push("decode", "n/s".to_owned());
        }
        if !case.stream {
            push("encode", "n/s".to_owned());
        }
        return;
    }
    let checked = check::<P>(case);
    if P::DECODE {
        push(
            "decode",
            match &checked.decode {
                Ok(()) => "ok".to_owned(),
                Err(e) => format!("fail: {e}"),
            },
        );
    }
    if !case.stream {
        push(
            "encode",
            match &checked.encode {
                Ok(true) => "ok".to_owned(),
                Ok(false) => "ok (same packet, different bytes)".to_owned(),
                Err(e) => format!("fail: {e}"),
            },
        );
    }
}

/// Decodes `n` times (see the module docs for owned inputs).
fn decode<P: Peer>(case: &Case, n: usize, pool: usize) {
    if P::OWNED_INPUT {
        assert!(pool >= n, "POOL must be at least ITERATIONS");
        let mut inputs: Vec<P::Input> = (0..pool).map(|_| P::input(case.bytes)).collect();
        for input in inputs.iter_mut().take(n) {
            black_box(P::decode_all(black_box(input), case.ver).expect("checked"));
        }
        // Freeing the inputs would cost more for the decoded ones than for the rest, i.e.
        // depend on `n`: keep them all.
        std::mem::forget(inputs);
    } else {
        let mut input = P::input(case.bytes);
        for _ in 0..n {
            black_box(P::decode_all(black_box(&mut input), case.ver).expect("checked"));
        }
    }
}

/// Encodes the decoded packet `n` times into one reused buffer.
fn encode<P: Peer>(case: &Case, n: usize) {
    let mut enc = P::prepare(case.bytes, case.ver).expect("checked");
    let mut buf = P::new_buf();
    for _ in 0..n {
        black_box(P::encode(black_box(&mut enc), case.ver, &mut buf).expect("checked"));
        black_box(&buf);
    }
}

fn run<P: Peer>(name: &str, case: &Case, op: Op, n: usize, pool: usize, found: &mut bool) {
    if P::NAME != name {
        return;
    }
    *found = true;
    assert!(P::supports(case), "{name} has no API for {}", case.id);
    match op {
        Op::Decode => {
            assert!(P::DECODE, "{name} does not decode");
            decode::<P>(case, n, pool);
        }
        Op::Encode => {
            assert!(!case.stream, "streams are not encoded");
            encode::<P>(case, n);
        }
    }
}

fn usage() -> ! {
    eprintln!("usage: icount --list [OUT.tsv] | icount CRATE CASE OP ITERATIONS POOL");
    std::process::exit(2);
}

fn main() {
    let args: Vec<String> = std::env::args().skip(1).collect();
    if args.first().map(String::as_str) == Some("--list") {
        let all: &'static [Case] = Vec::leak(cases());
        for c in all {
            let one = case(c.id).expect("every case can be built alone");
            assert!(
                one.bytes == c.bytes
                    && one.ver == c.ver
                    && one.stream == c.stream
                    && one.packets == c.packets
                    && one.fixture == c.fixture,
                "case({}) differs from cases()",
                c.id
            );
        }
        let mut rows = Vec::new();
        for case in all {
            for_each_peer!(list(case, &mut rows));
        }
        let mut tsv = String::from("case\tcrate\top\tstatus\tpackets\tversion\tfixture\tbytes\n");
        for r in &rows {
            let c = r.case;
            let _ = writeln!(
                tsv,
                "{}\t{}\t{}\t{}\t{}\t{}\t{}\t{}",
                c.id,
                r.krate,
                r.op,
                r.status.replace(['\t', '\n'], " "),
                c.packets,
                match c.ver {
                    mqtt_wire_peers::Ver::V311 => "3.1.1",
                    mqtt_wire_peers::Ver::V5 => "5.0",
                },
                c.fixture,
                c.bytes.len(),
            );
        }
        match args.get(1) {
            Some(path) => std::fs::write(path, &tsv).expect("write the list"),
            None => print!("{tsv}"),
        }
        return;
    }
    let [krate, case_id, op, n, pool] = &args[..] else {
        usage()
    };
    let (krate, op) = match (krate.as_str(), op.as_str()) {
        ("mqtt-wire", "encode-built") => ("mqtt-wire-built", Op::Encode),
        (k, "decode") => (k, Op::Decode),
        (k, "encode") => (k, Op::Encode),
        _ => usage(),
    };
    let (Ok(n), Ok(pool)) = (n.parse::<usize>(), pool.parse::<usize>()) else {
        usage()
    };
    let Some(case) = case(case_id) else {
        eprintln!("no case {case_id}");
        std::process::exit(2);
    };
    let case = &case;
    // On the main thread: a worker thread would make the count depend on whether the main
    // thread had to wait for it in `join` (a race). The per-operation counts were checked not
    // to move with the size of the environment, i.e. with where the stack starts.
    let mut found = false;
    for_each_peer!(run(krate, case, op, n, pool, &mut found));
    if !found {
        eprintln!("no crate {}", args[0]);
        std::process::exit(2);
    }
}
