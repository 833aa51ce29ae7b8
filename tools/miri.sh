#!/usr/bin/env bash
# The whole test suite under Miri: the unit tests, then every integration test binary of
# tests/*.rs (a new one is included without editing this file), JOBS at a time.
#
#   bash tools/miri.sh            # everything, $(nproc) binaries at once
#   JOBS=1 bash tools/miri.sh     # one at a time
#   bash tools/miri.sh framer     # only the named binaries
#
# Under Miri the tests do less work, not other checks (see `common::miri_sample` and
# `strategies::miri_cases`); the tests that start processes or open sockets (the interop
# tests, tests/dissect.rs's example runs) and tests/conformance.rs (a text search, no
# library code) mark themselves ignored there. Each binary's output goes to
# target/miri-logs/NAME.log and is printed when it fails; a line per binary gives its time.
# Isolation is off because the tests read testdata/ and proptest's regression files.
set -euo pipefail
cd "$(dirname "$0")/.."

JOBS=${JOBS:-$(nproc)}
export MIRIFLAGS="${MIRIFLAGS:--Zmiri-disable-isolation}"
export CARGO_TERM_COLOR=never
logs=target/miri-logs
mkdir -p "$logs"

if [ "$#" -gt 0 ]; then
  binaries=("$@")
else
  # The slowest first, so that two at a time finish close together (seconds measured on
  # 2 cores, 2026-12-07: limits 450, proptest_roundtrip 226, framer 122, spec_v5_properties
  # 120, no_alloc 111, proptest_mutation 98, topic 97, spec_v5_reason_codes 66; the rest
  # under a minute each, about 15 minutes in all).
  slow=(limits proptest_roundtrip framer spec_v5_properties no_alloc proptest_mutation topic
    spec_v5_reason_codes spec_v3_connect spec_v5_statements direction)
  binaries=("${slow[@]}")
  for f in tests/*.rs; do
    name=$(basename "$f" .rs)
    [[ " ${slow[*]} " == *" $name "* ]] || binaries+=("$name")
  done
  # The unit tests exercise the crate's one unsafe block (utf8::ascii_str) on strings of
  # every length and byte, with the default features and isolation on.
  MIRIFLAGS= cargo +nightly miri test --lib
fi

# Build every binary once, so that the parallel runs below only interpret.
cargo +nightly miri test --all-features --tests --no-run 2>&1 | tail -n 1

run_one() {
  local name=$1 log="$logs/$1.log" started status
  started=$(date +%s)
  if cargo +nightly miri test --all-features --test "$name" >"$log" 2>&1; then
    status=ok
  else
    status=FAILED
  fi
  printf 'miri %-24s %-6s %4ds  %s\n' "$name" "$status" "$(($(date +%s) - started))" \
    "$(grep -E '^test result' "$log" | tail -n 1)"
  if [ "$status" != ok ]; then
    cat "$log"
    return 1
  fi
}
export -f run_one
export logs

printf '%s\n' "${binaries[@]}" | xargs -P "$JOBS" -I{} bash -c 'run_one "$1"' _ {}
