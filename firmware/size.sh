#!/usr/bin/env bash
# Flash footprint of mqtt-wire per use case. Builds the size-only images of src/bin/ for
# thumbv6m-none-eabi (Cortex-M0/M0+) and thumbv7em-none-eabihf (Cortex-M4F/M7) at
# opt-level "s" and "z" (release profile: fat LTO, codegen-units 1, panic abort), and
# prints, as markdown:
#   - the codec's bytes per profile, target and opt-level: text+rodata+data of the profile
#     image minus the same of `baseline` (start-up, semihosting, formatting) built alike;
#   - per profile, the 10 largest symbols the codec adds (thumbv7em-none-eabihf, -Os):
#     symbols that `baseline` does not have, or has smaller (`main` holds what was inlined);
#   - whether any call cycle (recursion) goes through mqtt-wire in those images (fails if so).
#
#   firmware/size.sh            the table and the symbols
#   firmware/size.sh --check    also fail when a profile listed in size-budget.tsv grew by
#                               more than 5% over its budget (what CI runs)
#   firmware/size.sh --budget   write the measured sizes of the budgeted profiles to
#                               size-budget.tsv (after a deliberate change; commit it)
#
# Builds land in firmware/target (opt-level "z" in firmware/target/opt-z), so reruns only
# relink what changed. Installs the rustup targets and llvm-tools it needs.
set -euo pipefail

here="$(cd "$(dirname "$0")" && pwd)"
cd "$here"

mode="${1:-}"
case "$mode" in
    "" | --check | --budget) ;;
    *) echo "usage: firmware/size.sh [--check | --budget]" >&2; exit 2 ;;
esac

TARGETS=(thumbv6m-none-eabi thumbv7em-none-eabihf)
OPTS=(s z)
# image name, profile label
PROFILES=(
    "codec-size|(a) whole codec"
    "client-v3|(b) 3.1.1 client"
    "client-v5|(c) 5.0 client, properties"
    "forward|(d) broker forwarding"
)
BUDGET="$here/size-budget.tsv"
# Growth over the budget that fails --check, in percent.
TOLERANCE=5
SYMBOLS_TARGET=thumbv7em-none-eabihf
SYMBOLS_OPT=s

export CARGO_TERM_COLOR=never
die() { echo "firmware/size.sh: error: $*" >&2; exit 1; }

command -v cargo >/dev/null 2>&1 || die "cargo is missing"
command -v rustup >/dev/null 2>&1 || die "rustup is missing"
rustup target add "${TARGETS[@]}" >/dev/null 2>&1 || die "cannot add the targets ${TARGETS[*]}"
host="$(rustc -vV | sed -n 's/^host: //p')"
bin="$(rustc --print sysroot)/lib/rustlib/$host/bin"
SIZE="$bin/llvm-size"
NM="$bin/llvm-nm"
# llvm-tools may be there without rustup knowing (then adding it fails): use what is there.
if ! [ -x "$SIZE" ] || ! [ -x "$NM" ] || ! [ -x "$bin/llvm-objdump" ]; then
    rustup component add llvm-tools >/dev/null 2>&1 || die "cannot add rustup's llvm-tools"
fi
[ -x "$SIZE" ] && [ -x "$NM" ] && [ -x "$bin/llvm-objdump" ] ||
    die "llvm-size / llvm-nm / llvm-objdump missing under $bin"
command -v python3 >/dev/null 2>&1 || die "python3 is missing (callgraph.py)"

bins=(--bin baseline)
for p in "${PROFILES[@]}"; do bins+=(--bin "${p%%|*}"); done

# Where the images of one opt-level land.
target_dir() { if [ "$1" = s ]; then echo "$here/target"; else echo "$here/target/opt-$1"; fi; }

for opt in "${OPTS[@]}"; do
    for target in "${TARGETS[@]}"; do
        echo "building $target opt-level $opt" >&2
        CARGO_TARGET_DIR="$(target_dir "$opt")" cargo build --quiet --release --locked \
            --target "$target" --config "profile.release.opt-level=\"$opt\"" "${bins[@]}" ||
            die "the size images do not build for $target at opt-level $opt"
    done
done

image() { echo "$(target_dir "$2")/$1/release/$3"; }

# text + rodata + data of an ELF, in bytes.
flash() {
    "$SIZE" -A "$1" | awk '
        $1 == ".text" || $1 == ".rodata" || $1 == ".data" { n += $2; seen = 1 }
        END { if (!seen) exit 1; print n }
    ' || die "cannot read the sections of $1"
}

# The codec's bytes: profile minus baseline of the same target and opt-level.
codec() { echo $(( $(flash "$(image "$2" "$3" "$1")") - $(flash "$(image "$2" "$3" baseline)") )); }

declare -A measured
for p in "${PROFILES[@]}"; do
    name="${p%%|*}"
    for target in "${TARGETS[@]}"; do
        for opt in "${OPTS[@]}"; do
            measured["$name $target $opt"]="$(codec "$name" "$target" "$opt")"
        done
    done
done

# ---- the table -------------------------------------------------------------------------------
echo
echo "Codec bytes (text+rodata+data of the profile image minus \`baseline\`; $(rustc --version | cut -d' ' -f1-2), fat LTO, codegen-units 1, panic abort):"
echo
header="| profile |"
rule="|---|"
for target in "${TARGETS[@]}"; do
    for opt in "${OPTS[@]}"; do
        header+=" ${target%%-*} -O$opt |"
        rule+="---:|"
    done
done
echo "$header"
echo "$rule"
for p in "${PROFILES[@]}"; do
    name="${p%%|*}"
    row="| ${p#*|} (\`$name\`) |"
    for target in "${TARGETS[@]}"; do
        for opt in "${OPTS[@]}"; do
            row+=" ${measured["$name $target $opt"]} |"
        done
    done
    echo "$row"
done

# ---- the largest symbols ---------------------------------------------------------------------
# Legacy Rust mangling that llvm-nm leaves half done, and the hashes.
demangle() {
    sed -E -e 's/::h[0-9a-f]{16}$//' -e 's/\t_\$LT\$/\t$LT$/' -e 's/\$LT\$/</g' -e 's/\$GT\$/>/g' \
        -e 's/\$u20\$/ /g' -e 's/\$RF\$/\&/g' -e 's/\$BP\$/*/g' -e 's/\$C\$/,/g' \
        -e 's/\$u7b\$/{/g' -e 's/\$u7d\$/}/g' -e 's/\$LP\$/(/g' -e 's/\$RP\$/)/g' -e 's/\.\./::/g'
}
# "<size> <name>" of the code and data symbols of an ELF.
symbols() {
    "$NM" --print-size --size-sort -C --radix=d "$1" |
        awk 'NF >= 4 && $3 ~ /^[tTrRdDbB]$/ { size = $2 + 0; $1 = $2 = $3 = ""; sub(/^ +/, ""); print size "\t" $0 }' |
        demangle
}
for p in "${PROFILES[@]}"; do
    name="${p%%|*}"
    base="$(image "$SYMBOLS_TARGET" "$SYMBOLS_OPT" baseline)"
    echo
    echo "Largest codec symbols of ${p#*|} (\`$name\`, $SYMBOLS_TARGET -O$SYMBOLS_OPT; bytes):"
    echo
    echo "| bytes | symbol |"
    echo "|---:|---|"
    # Strip the binary's own crate name from `main` so that profiles compare.
    awk -F'\t' 'NR == FNR { base[$2] = $1; next } !($2 in base) || $1 > base[$2] { print }' \
        <(symbols "$base" | sed -E 's/^([0-9]+\t)[a-z_0-9]+::__cortex_m_rt_main$/\1main/') \
        <(symbols "$(image "$SYMBOLS_TARGET" "$SYMBOLS_OPT" "$name")" |
            sed -E 's/^([0-9]+\t)[a-z_0-9]+::__cortex_m_rt_main$/\1main/') |
        sort -t$'\t' -k1,1nr | head -10 |
        awk -F'\t' '{ gsub(/\|/, "\\|", $2); printf "| %d | `%s` |\n", $1, $2 }'
done

# ---- recursion -------------------------------------------------------------------------------
echo
echo "Recursion (call graphs of the $SYMBOLS_TARGET -O$SYMBOLS_OPT images, callgraph.py):"
for p in "${PROFILES[@]}"; do
    python3 "$here/callgraph.py" "$bin/llvm-objdump" "$(image "$SYMBOLS_TARGET" "$SYMBOLS_OPT" "${p%%|*}")" |
        sed 's/^/    /' || die "a call cycle goes through mqtt-wire (${p%%|*})"
done

# ---- the budget ------------------------------------------------------------------------------
if [ "$mode" = --budget ]; then
    {
        echo "# Flash budget of the codec per profile (firmware/size.sh --check fails above +${TOLERANCE}%)."
        echo "# profile	target	opt-level	bytes"
        for p in "client-v3" "client-v5"; do
            for target in "${TARGETS[@]}"; do
                for opt in "${OPTS[@]}"; do
                    printf '%s\t%s\t%s\t%s\n' "$p" "$target" "$opt" "${measured["$p $target $opt"]}"
                done
            done
        done
    } >"$BUDGET"
    echo
    echo "wrote $BUDGET"
fi

if [ "$mode" = --check ]; then
    [ -f "$BUDGET" ] || die "no budget file $BUDGET (make one with --budget)"
    echo
    echo "Budget ($BUDGET, +${TOLERANCE}% allowed):"
    failed=0
    checked=0
    while IFS=$'\t' read -r name target opt budget; do
        case "$name" in "" | \#*) continue ;; esac
        got="${measured["$name $target $opt"]:-}"
        [ -n "$got" ] || die "size-budget.tsv names $name $target $opt, which this script does not build"
        limit=$(( budget + budget * TOLERANCE / 100 ))
        checked=$((checked + 1))
        if [ "$got" -gt "$limit" ]; then
            printf '  FAIL %-10s %-22s -O%s %6d bytes, budget %d (limit %d)\n' "$name" "$target" "$opt" "$got" "$budget" "$limit"
            failed=$((failed + 1))
        else
            printf '  ok   %-10s %-22s -O%s %6d bytes, budget %d (%+d)\n' "$name" "$target" "$opt" "$got" "$budget" "$((got - budget))"
        fi
    done <"$BUDGET"
    [ "$checked" -gt 0 ] || die "$BUDGET lists no budget"
    [ "$failed" -eq 0 ] || die "$failed profile(s) grew more than ${TOLERANCE}% over size-budget.tsv"
fi
