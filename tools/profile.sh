#!/usr/bin/env bash
# Where the instructions of one benches/icount.rs operation go, function by function:
#   tools/profile.sh decode/publish_qos0_311 [iterations]
# (callgrind, limited to the measured loop; output in target/profile/<op>.callgrind).
set -euo pipefail
cd "$(dirname "$0")/.."
op=$1
iters=${2:-1000}
exe=$(cargo bench --bench icount --no-run --message-format=json 2>/dev/null \
  | python3 -c 'import json,sys
for l in sys.stdin:
    m=json.loads(l)
    if m.get("reason")=="compiler-artifact" and m["target"]["name"]=="icount" and m.get("executable"): print(m["executable"])')
mkdir -p target/profile
out="target/profile/${op//\//_}.callgrind"
valgrind --tool=callgrind --toggle-collect='icount::run_*' --callgrind-out-file="$out" \
  "$exe" "$op" "$iters" 2>&1 | grep -E 'Collected' >&2
callgrind_annotate --inclusive=yes "$out" | sed -n '/^Ir/,$p' | head -40
echo "--- self" 
callgrind_annotate "$out" | sed -n '/file:function/,$p' | head -30
