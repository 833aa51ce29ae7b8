#!/usr/bin/env bash
# Seeds the corpora from testdata/ and runs every fuzz target for SECONDS each (default 45)
# with the dictionary. Exits non-zero on the first crash, leak, timeout or OOM; the input is
# then in fuzz/artifacts/<target>/ (reproduce with `cargo +nightly fuzz run <target> <file>`).
#
#   fuzz/run.sh [SECONDS]
#
# Needs the nightly toolchain; installs cargo-fuzz if it is missing. Targets are built
# without a sanitizer (more executions per second), with debug assertions and overflow checks
# on (cargo-fuzz's default): the crate's one `unsafe` block (`utf8::ascii_str`) touches no
# memory by itself, and its precondition is re-checked by a `debug_assert!` on every call.
set -euo pipefail

secs="${1:-45}"
cd "$(dirname "$0")"

if ! cargo +nightly fuzz --version >/dev/null 2>&1; then
    cargo install cargo-fuzz --locked
fi

python3 seed.py

flags=(--sanitizer none)
cargo +nightly fuzz build "${flags[@]}"

for target in $(cargo +nightly fuzz list); do
    echo "=== ${target}: ${secs}s"
    cargo +nightly fuzz run "${flags[@]}" "$target" "corpus/$target" -- \
        -max_total_time="$secs" \
        -dict=dictionary.txt \
        -timeout=10 \
        -rss_limit_mb=2048 \
        -print_final_stats=1
done
echo "=== all targets ran ${secs}s without a crash"
