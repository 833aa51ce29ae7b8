#!/usr/bin/env python3
"""Writes the seed corpora fuzz/corpus/<target>/<name> from the captures in testdata/.

The corpus directories are git-ignored; run this (fuzz/run.sh does) before fuzzing.
Existing files are kept, so corpora grown by earlier runs survive.

  decode_v3_1, decode_v3_1_1, decode_v5   one file per captured packet of that version
  encode_roundtrip                        the same packets, all versions (raw material)
  stream                                  one file per capture file and per demo stream:
                                          the stream target's header (version, chunk
                                          sizes) followed by all packets of the file
  topic                                   filter/name pairs in the layout the target reads
"""

import pathlib
import sys

FUZZ = pathlib.Path(__file__).resolve().parent
TESTDATA = FUZZ.parent / "testdata"
CORPUS = FUZZ / "corpus"

VERSIONS = {"v3_1": 0, "v3_1_1": 1, "v5": 2}  # index into Version::ALL

# Filter / name pairs from the spec's topic examples (§4.7) and the edges around them.
TOPIC_PAIRS = [
    ("sport/tennis/player1/#", "sport/tennis/player1"),
    ("sport/tennis/player1/#", "sport/tennis/player1/ranking"),
    ("sport/#", "sport"),
    ("sport/+", "sport/"),
    ("+/+", "/finance"),
    ("/+", "/finance"),
    ("+", "/finance"),
    ("#", "$SYS/broker/uptime"),
    ("$SYS/#", "$SYS/broker/uptime"),
    ("+/monitor/Clients", "$SYS/monitor/Clients"),
    ("$share/group/sport/#", "sport/tennis"),
    ("$share/g", "g"),
    ("a//b", "a//b"),
    ("a/+/c", "a//c"),
    ("sport/ten#", "sport/tennis"),
    ("sport+", "sport"),
]


def write(target, name, data):
    d = CORPUS / target
    d.mkdir(parents=True, exist_ok=True)
    (d / name).write_bytes(bytes(data))


def captures(path):
    """The packets of one capture file (format: testdata/README.md)."""
    out = []
    for line in path.read_text().splitlines():
        line = line.strip()
        if not line or line.startswith("#"):
            continue
        fields = line.split("#", 1)[0].split()
        out.append(bytes.fromhex(fields[2]))
    return out


def demo_stream(path):
    text = "".join(
        line for line in path.read_text().splitlines() if not line.lstrip().startswith("#")
    )
    return bytes.fromhex("".join(text.split()))


def stream_seed(version_index, stream, sizes=(1, 7, 64)):
    """Byte 0: version + 3 * number of chunk sizes; then the sizes; then the stream."""
    return bytes([version_index + 3 * len(sizes), *sizes]) + stream


def topic_seed(filter_, name):
    """`<&str>::arbitrary` takes its length from the last byte when the input is short;
    `arbitrary_take_rest` gets the rest."""
    f, n = filter_.encode(), name.encode()
    assert len(f) + len(n) <= 255
    return f + n + bytes([len(f)])


def main():
    count = 0
    for vdir, vi in VERSIONS.items():
        for path in sorted((TESTDATA / vdir).glob("*.txt")):
            packets = captures(path)
            for i, p in enumerate(packets):
                name = f"{path.stem}_{i:03}"
                write(f"decode_{vdir}", name, p)
                write("encode_roundtrip", f"{vdir}_{name}", p)
                count += 2
            write("stream", f"{vdir}_{path.stem}", stream_seed(vi, b"".join(packets)))
            count += 1
    for name in ("demo.hex", "demo_server.hex"):
        path = TESTDATA / name
        if path.exists():
            write("stream", name.replace(".", "_"), stream_seed(2, demo_stream(path)))
            count += 1
    for i, (f, n) in enumerate(TOPIC_PAIRS):
        write("topic", f"spec_{i:02}", topic_seed(f, n))
        count += 1
    print(f"seed.py: {count} seed files under {CORPUS}", file=sys.stderr)


if __name__ == "__main__":
    main()
