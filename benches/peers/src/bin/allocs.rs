//! Runs the equivalence checks and counts heap allocations per decode and per encode, for every
//! crate and case, with a counting global allocator.
//!
//! Usage: `cargo run --release --bin allocs [-- OUT.tsv]`. Prints a table; with an argument
//! also writes the rows as tab-separated values (read by `run.sh`). Exits non-zero if
//! mqtt-wire fails a check or allocates.

use std::alloc::{GlobalAlloc, Layout, System};
use std::fmt::Write as _;
use std::sync::atomic::{AtomicUsize, Ordering::Relaxed};

use mqtt_wire_peers::{Case, Peer, cases, check, for_each_peer};

struct Counting;

static ALLOCS: AtomicUsize = AtomicUsize::new(0);
static BYTES: AtomicUsize = AtomicUsize::new(0);

// SAFETY: forwards every call unchanged to the system allocator; only counts.
unsafe impl GlobalAlloc for Counting {
    unsafe fn alloc(&self, layout: Layout) -> *mut u8 {
        ALLOCS.fetch_add(1, Relaxed);
        BYTES.fetch_add(layout.size(), Relaxed);
        // SAFETY: same contract as the caller's.
        unsafe { System.alloc(layout) }
    }
    unsafe fn alloc_zeroed(&self, layout: Layout) -> *mut u8 {
        ALLOCS.fetch_add(1, Relaxed);
        BYTES.fetch_add(layout.size(), Relaxed);
        // SAFETY: same contract as the caller's.
        unsafe { System.alloc_zeroed(layout) }
    }
    unsafe fn dealloc(&self, ptr: *mut u8, layout: Layout) {
        // SAFETY: same contract as the caller's.
        unsafe { System.dealloc(ptr, layout) }
    }
    unsafe fn realloc(&self, ptr: *mut u8, layout: Layout, new_size: usize) -> *mut u8 {
        ALLOCS.fetch_add(1, Relaxed);
        BYTES.fetch_add(new_size, Relaxed);
        // SAFETY: same contract as the caller's.
        unsafe { System.realloc(ptr, layout, new_size) }
    }
}

#[global_allocator]
static GLOBAL: Counting = Counting;

/// Runs of each operation counted; the result is the average per operation.
const RUNS: usize = 16;

/// Counts (allocations, bytes) per call of `f`, averaged over [`RUNS`] calls after one warm-up.
fn count(mut f: impl FnMut()) -> (f64, f64) {
    f();
    let (a0, b0) = (ALLOCS.load(Relaxed), BYTES.load(Relaxed));
    for _ in 0..RUNS {
        f();
    }
    let (a1, b1) = (ALLOCS.load(Relaxed), BYTES.load(Relaxed));
    (
        (a1 - a0) as f64 / RUNS as f64,
        (b1 - b0) as f64 / RUNS as f64,
    )
}

struct Row {
    case: &'static str,
    peer: &'static str,
    decode_check: String,
    encode_check: String,
    decode: Option<(f64, f64)>,
    encode: Option<(f64, f64)>,
}

fn measure<P: Peer>(case: &Case, rows: &mut Vec<Row>) {
    if !P::supports(case) {
        return;
    }
    let checked = check::<P>(case);
    let decode = (checked.decode.is_ok() && P::DECODE).then(|| {
        // Inputs are made outside the counted region (an owned input stands for the socket
        // buffer; only what decoding allocates is counted).
        let mut inputs: Vec<P::Input> = (0..=RUNS).map(|_| P::input(case.bytes)).collect();
        let mut it = inputs.iter_mut();
        let r = count(|| {
            let input = it.next().expect("enough inputs");
            P::decode_all(input, case.ver).expect("checked");
        });
        drop(inputs);
        r
    });
    let encode = checked.encode.is_ok().then(|| {
        let mut enc = P::prepare(case.bytes, case.ver).expect("checked");
        let mut buf = P::new_buf();
        count(|| {
            P::encode(&mut enc, case.ver, &mut buf).expect("checked");
        })
    });
    rows.push(Row {
        case: case.id,
        peer: P::NAME,
        decode_check: match &checked.decode {
            Ok(()) => "ok".to_owned(),
            Err(e) => format!("FAIL: {e}"),
        },
        encode_check: match &checked.encode {
            Ok(true) => "ok (byte-identical)".to_owned(),
            Ok(false) => "ok (same packet, different bytes)".to_owned(),
            Err(e) => format!("n/a: {e}"),
        },
        decode,
        encode,
    });
}

fn fmt(x: Option<(f64, f64)>) -> String {
    match x {
        Some((a, b)) if a.fract() == 0.0 => format!("{a:.0} ({b:.0} B)"),
        Some((a, b)) => format!("{a:.2} ({b:.0} B)"),
        None => "-".to_owned(),
    }
}

fn main() {
    let mut rows = Vec::new();
    for case in cases() {
        for_each_peer!(measure(&case, &mut rows));
    }
    let mut table = String::new();
    let _ = writeln!(
        table,
        "{:<26} {:<23} {:>16} {:>16}  checks (decode / encode)",
        "case", "crate", "allocs/decode", "allocs/encode"
    );
    for r in &rows {
        let _ = writeln!(
            table,
            "{:<26} {:<23} {:>16} {:>16}  {} / {}",
            r.case,
            r.peer,
            fmt(r.decode),
            fmt(r.encode),
            r.decode_check,
            r.encode_check
        );
    }
    print!("{table}");
    if let Some(path) = std::env::args().nth(1) {
        let mut tsv = String::from(
            "case\tcrate\tdecode_allocs\tdecode_bytes\tencode_allocs\tencode_bytes\tdecode_check\tencode_check\n",
        );
        for r in &rows {
            let n = |x: Option<(f64, f64)>, i: usize| {
                x.map_or_else(
                    || "-".to_owned(),
                    |v| format!("{}", if i == 0 { v.0 } else { v.1 }),
                )
            };
            let _ = writeln!(
                tsv,
                "{}\t{}\t{}\t{}\t{}\t{}\t{}\t{}",
                r.case,
                r.peer,
                n(r.decode, 0),
                n(r.decode, 1),
                n(r.encode, 0),
                n(r.encode, 1),
                r.decode_check.replace('\t', " "),
                r.encode_check.replace('\t', " ")
            );
        }
        std::fs::write(&path, tsv).expect("write tsv");
    }
    let wire_bad = rows
        .iter()
        .filter(|r| r.peer.starts_with("mqtt-wire"))
        .any(|r| {
            !r.decode_check.starts_with("ok")
                || (r.peer == "mqtt-wire" && r.decode.is_none_or(|d| d.0 != 0.0))
                || r.encode.is_some_and(|e| e.0 != 0.0)
        });
    if wire_bad {
        eprintln!("mqtt-wire failed a check or allocated");
        std::process::exit(1);
    }
}
