#!/usr/bin/env python3
"""Instructions per operation of mqtt-wire and its peers, counted by valgrind's callgrind.

    python3 benches/peers/icount.py            # build, check, measure, print the table
    python3 benches/peers/icount.py --only connect   # cases/crates whose name contains this
    python3 benches/peers/icount.py --summary-only   # re-print from target/icount.tsv

For every (case, crate, op) that the crate supports and that passed the equivalence checks
(`icount --list`), the workload binary `icount` runs the operation k and 2k times under
callgrind; (I(2k) - I(k)) / k is the count per operation (per packet for streams). Start-up,
fixture building and set-up are the same in both runs and cancel. See README.md.

Writes target/icount.tsv (one line per measurement), target/icount-summary.tsv (one line per
table row) and target/icount-summary.md (the table, also printed).
"""

import argparse
import concurrent.futures
import csv
import datetime
import os
import platform
import shutil
import statistics
import subprocess
import sys

HERE = os.path.dirname(os.path.abspath(__file__))
TARGET = os.path.join(HERE, "target")
BIN = os.path.join(TARGET, "release", "icount")

# Table columns, in order; the first two are this crate.
CRATES = ["mqtt-wire", "mqtt-wire-built", "mqttbytes", "mqttrs", "mqtt-format",
          "mqtt-protocol", "mqtt-codec-kit", "mqtt5-protocol", "rust-mqtt"]
OURS = ("mqtt-wire", "mqtt-wire-built")

# The project's targets: mqtt-wire / best peer at most this much.
TARGET_DECODE = {"3.1.1": 0.50, "5.0": 0.25}
TARGET_ENCODE = 0.67
TARGET_STREAM = 0.33


def log(msg):
    print(msg, file=sys.stderr, flush=True)


def build():
    log("== building icount (release, lto)")
    subprocess.run(["cargo", "build", "--release", "--bin", "icount", "--quiet"],
                   cwd=HERE, check=True)


def checks():
    """Runs the equivalence checks natively; returns the rows of `icount --list`."""
    path = os.path.join(TARGET, "icount-checks.tsv")
    subprocess.run([BIN, "--list", path], check=True)
    with open(path) as f:
        return list(csv.DictReader(f, delimiter="\t"))


def collected(valgrind, krate, case, op, n, pool):
    """Instructions callgrind counted for one run of the workload."""
    # Fixed-width numbers: both runs of a difference get command lines of the same length, so
    # their start-up allocates identically. An empty environment keeps the process layout
    # independent of the caller's environment.
    cmd = [valgrind, "--tool=callgrind", "--callgrind-out-file=/dev/null",
           BIN, krate, case, op, f"{n:09d}", f"{pool:09d}"]
    p = subprocess.run(cmd, env={}, capture_output=True, text=True)
    for line in p.stderr.splitlines():
        if "Collected :" in line:
            if p.returncode != 0:
                break
            return int(line.rsplit(":", 1)[1])
    raise RuntimeError(f"{' '.join(cmd[3:])}: exit {p.returncode}\n{p.stderr[-2000:]}")


def measure(valgrind, row, k, repeats, prior=None):
    """Per-operation count of one row of the check list: (median, min, max, pairs, exact).
    `prior`: (I(k), I(2k)) already measured for a crate known to vary elsewhere: check harder.
    Also returns the raw (I(k), I(2k)) of the first pair."""
    krate, case, op = row["crate"], row["case"], row["op"]
    packets = int(row["packets"])
    pool = 2 * k  # owned inputs: the same number made in both runs (see src/bin/icount.rs)
    if prior is None:
        lo = collected(valgrind, krate, case, op, k, pool)
        hi = collected(valgrind, krate, case, op, 2 * k, pool)
    else:
        lo, hi = prior
    raw = (lo, hi)
    values = [(hi - lo) / (k * packets)]
    # Run I(k) once more (three times for a crate already seen to vary): if it differs, the
    # crate is not deterministic here (mqtt5-protocol seeds its HashMaps randomly per
    # process); then take the median over several pairs.
    exact = all(collected(valgrind, krate, case, op, k, pool) == lo
                for _ in range(1 if prior is None else 2))
    if not exact:
        for _ in range(repeats - 1):
            lo = collected(valgrind, krate, case, op, k, pool)
            hi = collected(valgrind, krate, case, op, 2 * k, pool)
            values.append((hi - lo) / (k * packets))
    return statistics.median(values), min(values), max(values), len(values), exact, raw


def run_all(args, rows):
    valgrind = shutil.which("valgrind")
    if valgrind is None:
        sys.exit("valgrind not found (Debian: apt-get install valgrind)")
    todo = [r for r in rows if r["status"].startswith("ok")
            and (not args.only or any(s in r["case"] or s == r["crate"] for s in args.only))]
    log(f"== callgrind: {len(todo)} measurements, k = {args.k} (streams {args.stream_k}), "
        f"{args.jobs} at a time")
    results, raws = {}, {}

    def batch(rows, again):
        with concurrent.futures.ThreadPoolExecutor(max_workers=args.jobs) as pool:
            futures = {}
            for r in rows:
                k = args.stream_k if int(r["packets"]) > 1 else args.k
                key = (r["case"], r["crate"], r["op"])
                prior = raws[key] if again else None
                futures[pool.submit(measure, valgrind, r, k, args.repeats, prior)] = (r, k)
            for i, fut in enumerate(concurrent.futures.as_completed(futures), 1):
                r, k = futures[fut]
                med, lo, hi, pairs, exact, raw = fut.result()
                key = (r["case"], r["crate"], r["op"])
                results[key] = (med, lo, hi, pairs, exact, k)
                raws[key] = raw
                if args.verbose:
                    log(f"  [{i}/{len(rows)}] {r['case']} {r['crate']} {r['op']}: {med:.1f}"
                        + ("" if exact else f" (not exact: {lo:.1f}..{hi:.1f}, {pairs} pairs)"))

    batch(todo, False)
    # Two runs of a nondeterministic crate can agree by chance: once a crate has shown it is
    # not deterministic, its other measurements are checked again, harder.
    shaky = {c for (_, c, _), m in results.items() if not m[4]}
    again = [r for r in todo if r["crate"] in shaky and results[(r["case"], r["crate"], r["op"])][4]]
    if again:
        log(f"== {len(again)} measurements of {', '.join(sorted(shaky))} (not deterministic "
            f"elsewhere) again")
        batch(again, True)
    return results


def write_measurements(rows, results):
    path = os.path.join(TARGET, "icount.tsv")
    with open(path, "w") as f:
        f.write("case\tversion\tfixture\tpackets\tcrate\top\tstatus\tinstructions_per_op"
                "\tmin\tmax\tpairs\tdeterministic\tk\n")
        for r in rows:
            m = results.get((r["case"], r["crate"], r["op"]))
            vals = [f"{m[0]:.2f}", f"{m[1]:.2f}", f"{m[2]:.2f}", str(m[3]), str(m[4]).lower(),
                    str(m[5])] if m else ["-"] * 6
            f.write("\t".join([r["case"], r["version"], r["fixture"], r["packets"], r["crate"],
                               r["op"], r["status"]] + vals) + "\n")


def read_measurements():
    rows, results = [], {}
    with open(os.path.join(TARGET, "icount.tsv")) as f:
        for r in csv.DictReader(f, delimiter="\t"):
            rows.append(r)
            if r["instructions_per_op"] != "-":
                results[(r["case"], r["crate"], r["op"])] = (
                    float(r["instructions_per_op"]), float(r["min"]), float(r["max"]),
                    int(r["pairs"]), r["deterministic"] == "true", int(r["k"]))
    return rows, results


def fmt(v, stream):
    return f"{v:.1f}" if stream else f"{v:.0f}"


def target_for(case_row, op):
    if case_row["fixture"] != "true":
        return None
    if int(case_row["packets"]) > 1:
        return TARGET_STREAM
    if op == "encode":
        return TARGET_ENCODE
    return TARGET_DECODE[case_row["version"]]


def summarize(rows, results):
    cases, by_case = [], {}
    status = {}
    for r in rows:
        if r["case"] not in by_case:
            cases.append(r["case"])
            by_case[r["case"]] = r
        status[(r["case"], r["crate"], r["op"])] = r["status"]

    head = (["case", "op"] + CRATES
            + ["best peer", "mqtt-wire / best", "mqtt-wire-built / best", "target", "met?"])
    md = ["| " + " | ".join(head) + " |", "|" + "---|" * len(head)]
    tsv = ["\t".join(["case", "op", "version", "fixture", "best_peer", "best_peer_count",
                      "mqtt_wire", "mqtt_wire_built", "ratio_wire", "ratio_built", "target",
                      "met_wire", "met_built"])]
    met_count = [0, 0]
    inexact = set()
    for case in cases:
        c = by_case[case]
        stream = int(c["packets"]) > 1
        for op in ("decode", "encode"):
            if op == "encode" and stream:
                continue
            cells, vals = [], {}
            for krate in CRATES:
                m = results.get((case, krate, op))
                st = status.get((case, krate, op))
                if m is not None:
                    vals[krate] = m[0]
                    cells.append(("~" if not m[4] else "") + fmt(m[0], stream))
                    if not m[4]:
                        inexact.add(krate)
                elif st is None:
                    cells.append("-")
                elif st == "n/s":
                    cells.append("n/s")
                elif st.startswith("fail"):
                    cells.append("fail")
                else:
                    cells.append("-")  # not measured (--only)
            peers = {k: v for k, v in vals.items() if k not in OURS}
            tgt = target_for(c, op)
            if peers:
                best = min(peers, key=peers.get)
                best_cell = f"{best} ({fmt(peers[best], stream)})"
                ratio = {k: vals[k] / peers[best] for k in OURS if k in vals}
            else:
                best, best_cell, ratio = "", "-", {}
            rw, rb = ratio.get("mqtt-wire"), ratio.get("mqtt-wire-built")
            verdict, met_w, met_b = "-", "", ""
            if tgt is not None and rw is not None:
                met_w = "met" if rw <= tgt else "missed"
                met_count[0] += met_w == "met"
                met_count[1] += 1
                verdict = met_w
                if rb is not None:
                    met_b = "met" if rb <= tgt else "missed"
                    met_count[0] += met_b == "met"
                    met_count[1] += 1
                    verdict = f"{met_w} / built {met_b}"
            md.append("| " + " | ".join(
                [case, op] + cells
                + [best_cell, f"{rw:.2f}" if rw is not None else "-",
                   f"{rb:.2f}" if rb is not None else "-",
                   f"≤ {tgt:.2f}" if tgt is not None else "-", verdict]) + " |")
            tsv.append("\t".join([
                case, op, c["version"], c["fixture"], best,
                f"{peers[best]:.2f}" if best else "-",
                f"{vals['mqtt-wire']:.2f}" if "mqtt-wire" in vals else "-",
                f"{vals['mqtt-wire-built']:.2f}" if "mqtt-wire-built" in vals else "-",
                f"{rw:.3f}" if rw is not None else "-", f"{rb:.3f}" if rb is not None else "-",
                f"{tgt:.2f}" if tgt is not None else "-", met_w or "-", met_b or "-"]))

    root = os.path.join(HERE, "..", "..")
    # The last commit that changed the measured crate (not the benches around it).
    commit = subprocess.run(["git", "-C", root, "log", "-1", "--format=%h", "--", "src",
                             "Cargo.toml"], capture_output=True, text=True).stdout.strip() or "?"
    dirty = subprocess.run(["git", "-C", root, "status", "--porcelain", "--", "src",
                            "Cargo.toml"], capture_output=True, text=True).stdout
    rustc = subprocess.run(["rustc", "--version"], capture_output=True, text=True).stdout.strip()
    vg = subprocess.run(["valgrind", "--version"], capture_output=True, text=True).stdout.strip()
    out = [
        f"Instructions per operation (callgrind `Collected`, difference of k and 2k iterations; "
        f"streams: per packet). mqtt-wire at {commit} (last commit touching src/, Cargo.toml)"
        + (" + uncommitted changes" if dirty.strip() else "")
        + f", {rustc}, {vg}, {platform.machine()}, {datetime.date.today()}.",
        "",
    ]
    out += md
    out += [
        "",
        f"Targets met: {met_count[0]} of {met_count[1]} (fixture rows; decode ≤ 0.50× the best "
        f"peer on 3.1.1, ≤ 0.25× on 5.0; encode ≤ 0.67×, for both mqtt-wire columns; "
        f"stream ≤ 0.33×). Lower is better. n/s = no API for this case; fail = the crate does "
        f"not pass the equivalence checks (target/icount-checks.tsv says why); "
        f"mqtt-wire-built = mqtt-wire encoding from caller-built lists.",
    ]
    if inexact:
        out.append(f"~ = not deterministic ({', '.join(sorted(inexact))}: HashMap seeded "
                   f"randomly per process); median over several pairs of runs, spread in "
                   f"target/icount.tsv.")
    text = "\n".join(out) + "\n"
    with open(os.path.join(TARGET, "icount-summary.md"), "w") as f:
        f.write(text)
    with open(os.path.join(TARGET, "icount-summary.tsv"), "w") as f:
        f.write("\n".join(tsv) + "\n")
    print(text)


def main():
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--k", type=int, default=200,
                    help="iterations of the shorter run, single packets (default 200)")
    ap.add_argument("--stream-k", type=int, default=2,
                    help="iterations of the shorter run, streams (default 2)")
    ap.add_argument("--jobs", type=int, default=2, help="valgrind runs at a time (default 2)")
    ap.add_argument("--repeats", type=int, default=5,
                    help="pairs of runs for a crate found not deterministic (default 5)")
    ap.add_argument("--only", action="append",
                    help="measure only cases containing this / this crate (repeatable)")
    ap.add_argument("--no-build", action="store_true", help="use the built binary as it is")
    ap.add_argument("--summary-only", action="store_true",
                    help="re-print the table from target/icount.tsv")
    ap.add_argument("-v", "--verbose", action="store_true", help="print every measurement")
    args = ap.parse_args()
    os.makedirs(TARGET, exist_ok=True)
    if args.summary_only:
        summarize(*read_measurements())
        return
    if not args.no_build:
        build()
    log("== equivalence checks")
    rows = checks()
    start = datetime.datetime.now()
    results = {}
    if args.only and os.path.exists(os.path.join(TARGET, "icount.tsv")):
        results = read_measurements()[1]  # keep what is not re-measured
    results.update(run_all(args, rows))
    log(f"== callgrind took {(datetime.datetime.now() - start).seconds} s")
    write_measurements(rows, results)
    summarize(rows, results)


if __name__ == "__main__":
    main()
