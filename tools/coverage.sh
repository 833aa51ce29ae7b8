#!/usr/bin/env bash
# Line and branch coverage of src/, per file.
#
#   tools/coverage.sh                      the test suite (cargo test --all-features)
#   tools/coverage.sh --missing            the same, then the lines of src/ it does not reach
#   tools/coverage.sh --fuzz [TARGET...]   each fuzz target (default: all) over its corpus
#
# Branch coverage needs the nightly toolchain (-Zcoverage-options=branch); the script uses
# `cargo +nightly` throughout and installs cargo-llvm-cov and llvm-tools when missing (it
# needs a nightly to be installed already, as .ci/run does).
# Reports go to target/coverage/ (test suite: summary.txt, missing.txt, html/, lcov.info)
# and fuzz/coverage/all/ (all targets together: summary.txt, missing.txt, show.txt,
# lcov.info). The lines neither reaches:
#   python3 tools/uncovered.py target/coverage/lcov.info fuzz/coverage/all/lcov.info
#
# The interop tests run only where mosquitto and paho-mqtt are installed (they skip
# otherwise, and their lines then count as not reached).
#
# --fuzz: the corpus of TARGET is $FUZZ_CORPUS/TARGET (default fuzz/corpus/TARGET, which
# fuzz/seed.py fills from testdata/). `cargo fuzz coverage` replays every input once with
# an instrumented build (a few minutes for all six corpora of the 30-minute runs on 2
# cores, most of it building); no fuzzing is done. The corpus is only read.
set -euo pipefail
cd "$(dirname "$0")/.."
root=$(pwd)

mode=tests
case "${1:-}" in
  --missing) mode=missing; shift ;;
  --fuzz) mode=fuzz; shift ;;
  "") ;;
  *) sed -n '2,18p' "$0" >&2; exit 2 ;;
esac

# Adds llvm-tools to the nightly already installed; never updates the toolchain itself.
rustup component add --toolchain nightly llvm-tools-preview >/dev/null
host=$(rustc +nightly -vV | sed -n 's/^host: //p')
llvm_bin="$(rustc +nightly --print sysroot)/lib/rustlib/$host/bin"

# Only the library's own sources count.
only_src="^$root/src/"
ignore='(/\.rustup/|/tests/|/benches/|/examples/|/fuzz/|/\.cargo/|/rustc/|/target/)'

if [ "$mode" = fuzz ]; then
  command -v cargo-fuzz >/dev/null 2>&1 || cargo install cargo-fuzz --locked
  corpus_root=${FUZZ_CORPUS:-$root/fuzz/corpus}
  cd fuzz
  targets=("$@")
  [ ${#targets[@]} -gt 0 ] || mapfile -t targets < <(cargo +nightly fuzz list)
  objects=()
  profiles=()
  for target in "${targets[@]}"; do
    corpus="$corpus_root/$target"
    [ -d "$corpus" ] || { echo "error: no corpus at $corpus (run python3 fuzz/seed.py)" >&2; exit 1; }
    echo "==== $target ($(find "$corpus" -type f | wc -l) inputs)"
    # Replays the corpus (read only) with an instrumented build; writes
    # fuzz/coverage/<target>/coverage.profdata.
    RUSTFLAGS="${RUSTFLAGS:-} -Zcoverage-options=branch" \
      cargo +nightly fuzz coverage --sanitizer none "$target" "$corpus" >/dev/null 2>&1
    bin="target/$host/coverage/$host/release/$target"
    prof="coverage/$target/coverage.profdata"
    "$llvm_bin/llvm-cov" report "$bin" -instr-profile="$prof" -ignore-filename-regex="$ignore" \
      -show-branch-summary | tail -n 1 | awk -v t="$target" \
      '{ printf "%s: lines %s, branches %s\n", t, $10, $13 }'
    objects+=(-object "$bin")
    profiles+=("$prof")
  done
  # All targets together: the profiles merge (the library's functions have the same hashes
  # in every target binary) and llvm-cov reads every binary.
  out=coverage/all
  mkdir -p "$out"
  "$llvm_bin/llvm-profdata" merge -sparse "${profiles[@]}" -o "$out/coverage.profdata"
  report=("${objects[@]}" -instr-profile="$out/coverage.profdata" -ignore-filename-regex="$ignore")
  "$llvm_bin/llvm-cov" report "${report[@]}" -show-branch-summary \
    | sed "s|^/\?${root#/}/src/|src/|" | tee "$out/summary.txt"
  "$llvm_bin/llvm-cov" export "${report[@]}" -format=lcov >"$out/lcov.info"
  "$llvm_bin/llvm-cov" show "${report[@]}" -show-branches=count -show-line-counts \
    -format=text >"$out/show.txt"
  python3 "$root/tools/uncovered.py" "$out/lcov.info" | tee "$out/missing.txt"
  echo "summary: fuzz/$out/summary.txt; lines not reached: fuzz/$out/missing.txt;"
  echo "line-by-line counts: fuzz/$out/show.txt; lcov: fuzz/$out/lcov.info"
  exit 0
fi

command -v cargo-llvm-cov >/dev/null 2>&1 || cargo install cargo-llvm-cov --locked
export LLVM_COV="$llvm_bin/llvm-cov" LLVM_PROFDATA="$llvm_bin/llvm-profdata"
out=target/coverage
mkdir -p "$out"

cargo +nightly llvm-cov clean --workspace
# Unit tests, integration tests and doctests (their library code counts too), all features.
cargo +nightly llvm-cov --all-features --branch --doctests --no-report --no-fail-fast
suite_report=(report --doctests --branch --ignore-filename-regex "$ignore")
cargo +nightly llvm-cov "${suite_report[@]}" --summary-only \
  | tee "$out/summary.txt"
cargo +nightly llvm-cov "${suite_report[@]}" --html \
  --output-dir "$out/html" >/dev/null
cargo +nightly llvm-cov "${suite_report[@]}" --lcov \
  --output-path "$out/lcov.info"
echo "per-line report: $out/html/index.html; lcov: $out/lcov.info"

if [ "$mode" = missing ]; then
  # One line per file: the line numbers no test executes.
  cargo +nightly llvm-cov "${suite_report[@]}" \
    --show-missing-lines --summary-only \
    | sed -n '/^Uncovered Lines:/,$p' | sed "s|$only_src|src/|" | tee "$out/missing.txt"
fi
