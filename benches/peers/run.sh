#!/usr/bin/env bash
# The whole peer comparison: equivalence checks, instruction counts under callgrind
# (icount.py), allocation counts, the criterion benches with short times, then one summary
# (printed and written to target/peers-summary.md) with the instruction-count table, the
# criterion table and the allocation table.
#
#   benches/peers/run.sh                   # everything (about 10 minutes on 2 cores)
#   WARMUP=1 MEASURE=3 benches/peers/run.sh   # longer criterion times
#   ICOUNT=0 benches/peers/run.sh          # skip the instruction counts (keeps the last ones)
#   CRITERION=0 benches/peers/run.sh       # skip criterion (keeps the last results)
#   benches/peers/run.sh decode-connect    # a criterion filter: only the matching groups
#   SUMMARY_ONLY=1 benches/peers/run.sh    # re-print the summary from the last results
set -euo pipefail
cd "$(dirname "$0")"

WARMUP="${WARMUP:-0.5}"
MEASURE="${MEASURE:-1}"
ICOUNT="${ICOUNT:-1}"
CRITERION="${CRITERION:-1}"
mkdir -p target

if [[ -z "${SUMMARY_ONLY:-}" ]]; then
    total=$(date +%s)
    echo "== building (release, lto)" >&2
    cargo build --release --bins --quiet
    if [[ "$CRITERION" != 0 ]]; then
        cargo bench --bench peers --no-run --quiet 2>/dev/null || cargo bench --bench peers --no-run
    fi
    echo "== checks" >&2
    ./target/release/icount --list target/icount-checks.tsv
    if [[ "$ICOUNT" != 0 ]]; then
        python3 icount.py --no-build >/dev/null
    fi
    echo "== allocation counts" >&2
    ./target/release/allocs target/peers-allocs.tsv > target/peers-allocs.txt
    if [[ "$CRITERION" != 0 ]]; then
        echo "== criterion: warm-up ${WARMUP}s, measurement ${MEASURE}s per function" >&2
        start=$(date +%s)
        cargo bench --bench peers --quiet -- --warm-up-time "$WARMUP" \
            --measurement-time "$MEASURE" --noplot "$@" \
            2>target/peers-bench.stderr | tee target/peers-bench.txt >/dev/null
        echo "== criterion took $(( $(date +%s) - start )) s" >&2
        if [[ -s target/peers-bench.stderr ]]; then
            grep -E '^skip ' target/peers-bench.stderr | sort -u >&2 || true
        fi
    fi
    echo "== run.sh took $(( $(date +%s) - total )) s" >&2
fi

python3 summary.py
