#!/usr/bin/env bash
# Runs the peer comparison: equivalence checks + allocation counts, then the criterion benches
# with short times, then prints (and writes to target/peers-summary.md) a table of median ns/op
# per crate and the ratio mqtt-wire / fastest peer.
#
#   benches/peers/run.sh                 # everything (about 6-7 minutes on 2 cores)
#   WARMUP=1 MEASURE=3 benches/peers/run.sh
#   benches/peers/run.sh decode-a        # only groups matching a criterion filter
#   SUMMARY_ONLY=1 benches/peers/run.sh  # re-print the table from the last run's results
set -euo pipefail
cd "$(dirname "$0")"

WARMUP="${WARMUP:-1}"
MEASURE="${MEASURE:-3}"
mkdir -p target

if [[ -z "${SUMMARY_ONLY:-}" ]]; then
    echo "== building (release, lto)" >&2
    cargo build --release --bin allocs --quiet
    cargo bench --bench peers --no-run --quiet 2>/dev/null || cargo bench --bench peers --no-run
    echo "== checks and allocation counts" >&2
    ./target/release/allocs target/peers-allocs.tsv | tee target/peers-allocs.txt
    echo "== criterion: warm-up ${WARMUP}s, measurement ${MEASURE}s per function" >&2
    start=$(date +%s)
    cargo bench --bench peers --quiet -- --warm-up-time "$WARMUP" --measurement-time "$MEASURE" \
        --noplot "$@" 2>target/peers-bench.stderr | tee target/peers-bench.txt >/dev/null
    echo "== criterion took $(( $(date +%s) - start )) s" >&2
    if [[ -s target/peers-bench.stderr ]]; then
        grep -E '^skip ' target/peers-bench.stderr | sort -u >&2 || true
    fi
fi

python3 - <<'EOF'
import csv, json, os, platform, subprocess, datetime

crates = ["mqtt-wire", "mqtt-wire-built", "mqttbytes", "mqttrs", "mqtt-format", "mqtt-protocol",
          "mqtt-codec-kit", "mqtt5-protocol", "rust-mqtt"]
cases = ["a_publish_small_311", "b_publish_4k_311", "c_connect_will_auth_311",
         "d_subscribe_3_311", "e_publish_props_5", "f_connack_props_5", "g_mixed_stream_5"]
root = "target/criterion"

checks = {}
if os.path.exists("target/peers-allocs.tsv"):
    with open("target/peers-allocs.tsv") as f:
        for r in csv.DictReader(f, delimiter="\t"):
            checks[(r["case"], r["crate"])] = r

def estimate(group, crate):
    p = os.path.join(root, group, crate, "new", "estimates.json")
    if not os.path.exists(p):
        return None
    with open(p) as f:
        e = json.load(f)
    med = e["median"]["point_estimate"]
    mad = e["median_abs_dev"]["point_estimate"]
    return med, mad

def cell(op, case, crate):
    est = estimate(f"{op}-{case}", crate)
    if est is not None:
        return est
    c = checks.get((case, crate))
    if c is None:
        return "n/s"          # the crate has no API for this case
    col = "decode_check" if op == "decode" else "encode_check"
    if c[col].startswith("FAIL") or (op == "encode" and c["decode_check"].startswith("FAIL")):
        return "fail"
    return "-"

def fmt_ns(x):
    return f"{x:.0f}" if x >= 100 else f"{x:.1f}"

lines = []
head = "| case | op | " + " | ".join(crates) + " | fastest peer | mqtt-wire / fastest |"
lines.append(head)
lines.append("|" + "---|" * (len(crates) + 4))
noise = []
for case in cases:
    for op in ("decode", "encode"):
        if op == "encode" and case.startswith("g_"):
            continue
        row = [case, op]
        vals = {}
        for crate in crates:
            v = cell(op, case, crate)
            if isinstance(v, tuple):
                vals[crate] = v[0]
                noise.append(v[1] / v[0] if v[0] else 0)
                row.append(fmt_ns(v[0]))
            else:
                row.append(v)
        peers = {k: v for k, v in vals.items() if not k.startswith("mqtt-wire")}
        if peers and "mqtt-wire" in vals:
            best = min(peers, key=peers.get)
            row += [f"{best} ({fmt_ns(peers[best])})", f"{vals['mqtt-wire'] / peers[best]:.2f}"]
        else:
            row += ["-", "-"]
        if len(vals) == 0:
            continue
        lines.append("| " + " | ".join(row) + " |")

alloc_lines = ["| case | " + " | ".join(crates) + " |", "|" + "---|" * (len(crates) + 1)]
def a(v):
    if v == "-":
        return "-"
    f = float(v)
    return f"{f:.0f}" if f == int(f) else f"{f:.2f}"
for case in cases:
    row = [case]
    for crate in crates:
        c = checks.get((case, crate))
        if c is None:
            row.append("n/s")
        elif c["decode_check"].startswith("FAIL"):
            row.append("fail")
        else:
            row.append(f"{a(c['decode_allocs'])} / {a(c['encode_allocs'])}")
    alloc_lines.append("| " + " | ".join(row) + " |")

try:
    cpu = next(l.split(":", 1)[1].strip() for l in open("/proc/cpuinfo") if l.startswith("model name"))
except Exception:
    cpu = platform.processor() or "?"
rustc = subprocess.run(["rustc", "--version"], capture_output=True, text=True).stdout.strip()
noise.sort()
med_noise = noise[len(noise) // 2] * 100 if noise else 0
max_noise = noise[-1] * 100 if noise else 0
out = []
out.append(f"Run {datetime.date.today()} on {cpu}, {os.cpu_count()} cores, {rustc}; "
           f"criterion median ns/op (lower is better).")
out.append(f"Noise: median absolute deviation / median is {med_noise:.1f}% typical, "
           f"{max_noise:.1f}% worst over all measured functions.")
out.append("")
out.extend(lines)
out.append("")
out.append("n/s = the crate has no API for this case; fail = the crate does not decode the fixture "
           "correctly (see the check column of target/peers-allocs.txt); "
           "mqtt-wire / fastest < 1 means mqtt-wire is faster than every peer.")
out.append("")
out.append("Heap allocations per operation (decode / encode; encode into a reused buffer):")
out.append("")
out.extend(alloc_lines)
text = "\n".join(out) + "\n"
open("target/peers-summary.md", "w").write(text)
print(text)
EOF
