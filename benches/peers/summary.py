#!/usr/bin/env python3
"""Prints (and writes to target/peers-summary.md) everything `run.sh` measured: the instruction
counts (target/icount-summary.md, made by icount.py), the criterion medians with the ratio
mqtt-wire / fastest peer, and the allocation counts (target/peers-allocs.tsv).

Needs target/icount-checks.tsv (`icount --list`) for the cases and check results.
"""

import csv
import datetime
import json
import os
import platform
import subprocess
import sys

HERE = os.path.dirname(os.path.abspath(__file__))
sys.path.insert(0, HERE)
import icount  # noqa: E402  (same directory: crate order and targets)

TARGET = os.path.join(HERE, "target")
CRITERION = os.path.join(TARGET, "criterion")


def read_tsv(name):
    path = os.path.join(TARGET, name)
    if not os.path.exists(path):
        return []
    with open(path) as f:
        return list(csv.DictReader(f, delimiter="\t"))


def estimate(group, crate):
    p = os.path.join(CRITERION, group, crate, "new", "estimates.json")
    if not os.path.exists(p):
        return None
    with open(p) as f:
        e = json.load(f)
    return e["median"]["point_estimate"], e["median_abs_dev"]["point_estimate"]


def fmt_ns(x):
    return f"{x:.0f}" if x >= 100 else f"{x:.1f}"


def criterion_table(checks):
    cases, meta, status = [], {}, {}
    for r in checks:
        if r["case"] not in meta:
            cases.append(r["case"])
            meta[r["case"]] = r
        status[(r["case"], r["crate"], r["op"])] = r["status"]
    head = (["case", "op"] + icount.CRATES
            + ["fastest peer", "mqtt-wire / fastest", "mqtt-wire-built / fastest", "target",
               "met?"])
    lines = ["| " + " | ".join(head) + " |", "|" + "---|" * len(head)]
    noise = []
    for case in cases:
        c = meta[case]
        packets = int(c["packets"])
        for op in ("decode", "encode"):
            if op == "encode" and packets > 1:
                continue
            cells, vals = [], {}
            for crate in icount.CRATES:
                est = estimate(f"{op}-{case}", crate)
                st = status.get((case, crate, op))
                if est is not None:
                    v = est[0] / packets
                    vals[crate] = v
                    noise.append(est[1] / est[0] if est[0] else 0)
                    cells.append(fmt_ns(v))
                elif st is None:
                    cells.append("-")
                elif st == "n/s":
                    cells.append("n/s")
                elif st.startswith("fail"):
                    cells.append("fail")
                else:
                    cells.append("-")  # not run (criterion filter)
            if not vals:
                continue
            peers = {k: v for k, v in vals.items() if k not in icount.OURS}
            row = [case, op] + cells
            tgt = icount.target_for(c, op)
            if peers:
                best = min(peers, key=peers.get)
                ratios = {k: vals[k] / peers[best] for k in icount.OURS if k in vals}
                row.append(f"{best} ({fmt_ns(peers[best])})")
                row += [f"{ratios[k]:.2f}" if k in ratios else "-" for k in icount.OURS]
                verdicts = [("" if k == "mqtt-wire" else "built ")
                            + ("met" if ratios[k] <= tgt else "missed")
                            for k in icount.OURS if k in ratios and tgt is not None]
                row += [f"≤ {tgt:.2f}" if tgt is not None else "-",
                        " / ".join(verdicts) or "-"]
            else:
                row += ["-"] * 5
            lines.append("| " + " | ".join(row) + " |")
    return lines, noise


def alloc_table(checks):
    allocs = {(r["case"], r["crate"]): r for r in read_tsv("peers-allocs.tsv")}
    cases = list(dict.fromkeys(r["case"] for r in checks))
    packets = {r["case"]: int(r["packets"]) for r in checks}
    lines = ["| case | " + " | ".join(icount.CRATES) + " |",
             "|" + "---|" * (len(icount.CRATES) + 1)]

    def a(v, n):
        if v == "-":
            return "-"
        f = float(v) / n  # streams: per packet
        return f"{f:.0f}" if f == int(f) else f"{f:.2f}"

    for case in cases:
        row = [case]
        for crate in icount.CRATES:
            c = allocs.get((case, crate))
            if c is None:
                row.append("n/s")
            elif c["decode_check"].startswith("FAIL"):
                row.append("fail")
            else:
                n = packets[case]
                row.append(f"{a(c['decode_allocs'], n)} / {a(c['encode_allocs'], n)}")
        lines.append("| " + " | ".join(row) + " |")
    return lines


def main():
    checks = read_tsv("icount-checks.tsv")
    if not checks:
        sys.exit("no target/icount-checks.tsv: run `target/release/icount --list "
                 "target/icount-checks.tsv` (run.sh does)")
    out = ["# mqtt-wire against peer codecs", ""]
    out.append("## Instructions per operation (callgrind)")
    out.append("")
    ic = os.path.join(TARGET, "icount-summary.md")
    if os.path.exists(ic):
        with open(ic) as f:
            out.append(f.read().rstrip("\n"))
    else:
        out.append("(not measured: run `python3 benches/peers/icount.py`)")
    out.append("")

    lines, noise = criterion_table(checks)
    try:
        cpu = next(line.split(":", 1)[1].strip() for line in open("/proc/cpuinfo")
                   if line.startswith("model name"))
    except (OSError, StopIteration):
        cpu = platform.processor() or "?"
    rustc = subprocess.run(["rustc", "--version"], capture_output=True, text=True).stdout.strip()
    noise.sort()
    out.append("## Time per operation (criterion)")
    out.append("")
    out.append(f"Run {datetime.date.today()} on {cpu}, {os.cpu_count()} cores, {rustc}; "
               f"criterion median ns/op, streams ns/packet (lower is better).")
    if noise:
        out.append(f"Noise: median absolute deviation / median is "
                   f"{noise[len(noise) // 2] * 100:.1f}% typical, {noise[-1] * 100:.1f}% worst "
                   f"over all measured functions.")
    out.append("")
    out.extend(lines)
    out.append("")
    out.append("n/s = the crate has no API for this case; fail = the crate does not pass the "
               "equivalence checks (target/icount-checks.tsv says why); targets as in the "
               "instruction-count table.")
    out.append("")
    out.append("## Heap allocations per operation (decode / encode; encode into a reused "
               "buffer; streams: per packet)")
    out.append("")
    out.extend(alloc_table(checks))
    text = "\n".join(out) + "\n"
    with open(os.path.join(TARGET, "peers-summary.md"), "w") as f:
        f.write(text)
    print(text)


if __name__ == "__main__":
    main()
