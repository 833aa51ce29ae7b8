#!/usr/bin/env bash
# Builds the bare-metal mqtt-wire test firmware (Cortex-M3, thumbv7m-none-eabi), prints the
# flash and RAM it takes, and runs it on QEMU's lm3s6965evb board. Exits with the
# firmware's status: 0 only if every check passed (last line `N passed, 0 failed`).
#
#   firmware/run.sh            (from anywhere)
#
# Installs what it needs: the rustup target, and qemu-system-arm through apt-get when it is
# missing. Fails loudly when something cannot be had; never skips.
set -euo pipefail

here="$(cd "$(dirname "$0")" && pwd)"
cd "$here"

TARGET=thumbv7m-none-eabi
QEMU=(qemu-system-arm -machine lm3s6965evb -cpu cortex-m3 -nographic
      -semihosting-config enable=on,target=native)
# Keep the build in firmware/target whatever the environment says.
export CARGO_TARGET_DIR="$here/target"
export CARGO_TERM_COLOR=never
OUT="$CARGO_TARGET_DIR/$TARGET/release"

die() { echo "firmware/run.sh: error: $*" >&2; exit 1; }

# ---- tools ---------------------------------------------------------------------------------
command -v rustup >/dev/null 2>&1 || die "rustup is missing"
command -v cargo >/dev/null 2>&1 || die "cargo is missing"
rustup target add "$TARGET" || die "cannot add the rust target $TARGET"

if ! command -v qemu-system-arm >/dev/null 2>&1; then
    command -v apt-get >/dev/null 2>&1 || die "qemu-system-arm is missing and there is no apt-get to install it"
    echo "installing qemu-system-arm"
    apt-get update || die "apt-get update failed"
    DEBIAN_FRONTEND=noninteractive apt-get install -y qemu-system-arm ||
        die "cannot install qemu-system-arm"
fi
command -v qemu-system-arm >/dev/null 2>&1 || die "qemu-system-arm is still missing after installing it"

# A tool that prints an ELF's sections in the SysV format (`-A`): Debian's ARM binutils,
# else LLVM's from rustup's llvm-tools, else the host's GNU size (reads any ELF).
size_tool=""
if command -v arm-none-eabi-size >/dev/null 2>&1; then
    size_tool=arm-none-eabi-size
else
    if rustup component add llvm-tools >/dev/null 2>&1; then
        host="$(rustc -vV | sed -n 's/^host: //p')"
        candidate="$(rustc --print sysroot)/lib/rustlib/$host/bin/llvm-size"
        [ -x "$candidate" ] && size_tool="$candidate"
    fi
    if [ -z "$size_tool" ] && command -v size >/dev/null 2>&1; then
        size_tool=size
    fi
fi
[ -n "$size_tool" ] || die "no size tool: install binutils-arm-none-eabi, rustup's llvm-tools or binutils"

# ---- build ---------------------------------------------------------------------------------
# The suite and the two images of the whole-codec figure below; size.sh builds the others.
cargo build --release --locked --bin mqtt-wire-firmware --bin baseline --bin codec-size ||
    die "the firmware does not build"

# Prints "<flash bytes> <static RAM bytes>" of an ELF: flash holds the vector table, code,
# read-only data and the initial values of .data; RAM holds .data, .bss and .uninit (the
# stack comes on top: the suite measures its peak).
sizes() {
    local out
    out="$("$size_tool" -A "$1")" || die "$size_tool cannot read $1"
    awk '
        $1 == ".vector_table" || $1 == ".text" || $1 == ".rodata" || $1 == ".gnu.sgstubs" { flash += $2 }
        $1 == ".data" { flash += $2; ram += $2 }
        $1 == ".bss" || $1 == ".uninit" { ram += $2 }
        $1 == ".text" { text = 1 }
        END { if (!text) exit 1; printf "%d %d\n", flash, ram }
    ' <<<"$out" || die "cannot find the sections in the output of $size_tool -A $1"
}

read -r suite_flash suite_ram < <(sizes "$OUT/mqtt-wire-firmware")
read -r base_flash _ < <(sizes "$OUT/baseline")
read -r codec_flash _ < <(sizes "$OUT/codec-size")
echo
echo "== sizes ($TARGET, release, opt-level s, LTO; measured with $(basename "$size_tool"))"
"$size_tool" -A "$OUT/mqtt-wire-firmware" | awk 'NR <= 2 || $1 ~ /^\.(vector_table|text|rodata|data|bss|uninit)$/'
printf '  test firmware: flash %d bytes of 262144, static RAM %d bytes of 65536 (the vectors are in flash)\n' \
    "$suite_flash" "$suite_ram"
printf '  mqtt-wire alone (decode+encode of all packet types, Framer, StreamBuffer<128>, topic matching): flash %d bytes\n' \
    "$((codec_flash - base_flash))"
printf '    (= codec-size image %d - baseline image %d: start-up, semihosting, formatting)\n' \
    "$codec_flash" "$base_flash"

# ---- run -----------------------------------------------------------------------------------
echo
echo "== running on QEMU lm3s6965evb (Cortex-M3)"
log="$(mktemp)"
trap 'rm -f "$log"' EXIT
set +e
timeout 60 "${QEMU[@]}" -kernel "$OUT/mqtt-wire-firmware" | tee "$log"
status=${PIPESTATUS[0]}
set -e
if [ "$status" -eq 124 ]; then
    die "the firmware did not finish within 60 s"
fi
if [ "$status" -ne 0 ]; then
    echo "firmware/run.sh: the firmware failed (exit status $status)" >&2
    exit "$status"
fi
# Exit status 0 must come with the final tally, or the suite did not really run.
grep -Eq '^[0-9]+ passed, 0 failed$' "$log" || die "QEMU exited 0 but printed no 'N passed, 0 failed' line"
