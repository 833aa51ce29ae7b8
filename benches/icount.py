#!/usr/bin/env python3
"""Instruction counts per operation (valgrind's callgrind), and the CI guard against a
committed baseline.

    python3 benches/icount.py                 # print the table
    python3 benches/icount.py --check         # fail if an operation grew > 2% over the baseline
    python3 benches/icount.py --update        # rewrite the baseline (after a deliberate change)
    python3 benches/icount.py decode/puback_311 encode/connect_311   # only these operations

Each operation (see benches/icount.rs) runs under callgrind twice, with k and 2k iterations;
(I(2k) - I(k)) / k is the exact instruction count of one operation: start-up and set-up
cancel out, and the same build gives the same count on every run, however busy the machine.
The stream operation is reported per packet.
"""
import argparse
import concurrent.futures
import json
import os
import re
import subprocess
import sys

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
BASELINE = os.path.join(ROOT, "benches", "icount-baseline.tsv")
TOLERANCE = 0.02
K = 50
STREAM_PACKETS = None


def build():
    out = subprocess.run(
        ["cargo", "bench", "--bench", "icount", "--no-run", "--message-format=json"],
        cwd=ROOT, check=True, stdout=subprocess.PIPE, stderr=subprocess.DEVNULL, text=True,
    ).stdout
    for line in out.splitlines():
        msg = json.loads(line)
        if msg.get("reason") == "compiler-artifact" and msg["target"]["name"] == "icount" \
                and msg.get("executable"):
            return msg["executable"]
    sys.exit("error: no icount executable in cargo's output")


def collected(exe, op, iters):
    r = subprocess.run(
        ["valgrind", "--tool=callgrind", "--callgrind-out-file=/dev/null", exe, op, str(iters)],
        stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True,
    )
    if r.returncode != 0:
        sys.exit(f"error: {op} failed under valgrind:\n{r.stderr[-2000:]}")
    m = re.search(r"Collected\s*:\s*(\d+)", r.stderr)
    if not m:
        sys.exit(f"error: no instruction count for {op}:\n{r.stderr[-2000:]}")
    return int(m.group(1))


def stream_packets(exe):
    # The stream fixture's packet count, from the binary itself (it asserts it).
    out = subprocess.run([exe, "--packets"], stdout=subprocess.PIPE, text=True, check=True)
    return int(out.stdout.strip())


def measure(exe, op, packets):
    k = 1 if op.endswith("stream_311") else K
    a = collected(exe, op, k)
    b = collected(exe, op, 2 * k)
    per = (b - a) / k
    if op.endswith("stream_311"):
        per /= packets
    return per


def read_baseline():
    base = {}
    if os.path.exists(BASELINE):
        for line in open(BASELINE):
            if line.startswith("#") or not line.strip():
                continue
            op, n = line.split("\t")[:2]
            base[op] = float(n)
    return base


def main():
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--check", action="store_true", help="fail on growth over the baseline")
    ap.add_argument("--update", action="store_true", help="rewrite the baseline")
    ap.add_argument("ops", nargs="*", help="operations to measure (default: all)")
    args = ap.parse_args()
    if subprocess.run(["valgrind", "--version"], stdout=subprocess.DEVNULL).returncode != 0:
        sys.exit("error: valgrind is missing (apt-get install valgrind)")
    exe = build()
    ops = args.ops or subprocess.run([exe, "--list"], stdout=subprocess.PIPE, text=True,
                                     check=True).stdout.split()
    packets = stream_packets(exe)
    with concurrent.futures.ThreadPoolExecutor(max_workers=os.cpu_count() or 2) as pool:
        counts = dict(zip(ops, pool.map(lambda op: measure(exe, op, packets), ops)))
    base = read_baseline()
    failed = []
    print(f"| operation | instructions | baseline | change |")
    print(f"|---|---:|---:|---:|")
    for op in ops:
        n = counts[op]
        b = base.get(op)
        if b:
            change = (n - b) / b
            mark = ""
            if change > TOLERANCE:
                mark = " **grew**"
                failed.append(op)
            print(f"| {op} | {n:.0f} | {b:.0f} | {change * 100:+.1f}%{mark} |")
        else:
            print(f"| {op} | {n:.0f} | - | new |")
            if args.check:
                failed.append(op)
    if args.update:
        base.update(counts)
        with open(BASELINE, "w") as f:
            f.write("# operation\tinstructions per operation (callgrind, benches/icount.py)\n")
            for op in sorted(base):
                f.write(f"{op}\t{base[op]:.1f}\n")
        print(f"\nbaseline written: {os.path.relpath(BASELINE, ROOT)}")
    if args.check and failed:
        print(f"\nerror: {len(failed)} operation(s) above the baseline by more than "
              f"{TOLERANCE * 100:.0f}% (or missing from it): {', '.join(failed)}", file=sys.stderr)
        sys.exit(1)


if __name__ == "__main__":
    main()
