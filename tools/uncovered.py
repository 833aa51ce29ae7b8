#!/usr/bin/env python3
"""The lines of src/ that no given lcov report reaches, as `file: line ranges`.

    python3 tools/uncovered.py target/coverage/lcov.info fuzz/coverage/all/lcov.info

A line counts as reached when any of the reports executed it at least once; only lines
instrumented in some report are considered. tools/coverage.sh writes both reports.
"""

import os
import sys

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))


def read(path, counts):
    name = None
    with open(path) as f:
        for line in f:
            line = line.strip()
            if line.startswith("SF:"):
                rel = os.path.relpath(line[3:], ROOT)
                name = rel if rel.startswith("src" + os.sep) else None
            elif line.startswith("DA:") and name:
                number, count = line[3:].split(",")[:2]
                key = (name, int(number))
                counts[key] = max(counts.get(key, 0), int(count))


def ranges(numbers):
    out = []
    for n in numbers:
        if out and out[-1][1] == n - 1:
            out[-1][1] = n
        else:
            out.append([n, n])
    return ", ".join(str(a) if a == b else f"{a}-{b}" for a, b in out)


def main(paths):
    if not paths:
        sys.exit(__doc__)
    counts = {}
    for path in paths:
        read(path, counts)
    missing = {}
    for (name, number), count in counts.items():
        if count == 0:
            missing.setdefault(name, []).append(number)
    total = sum(len(v) for v in missing.values())
    print(f"{total} lines of src/ not reached by: {' + '.join(paths)}")
    for name in sorted(missing):
        print(f"{name}: {ranges(sorted(missing[name]))}")


if __name__ == "__main__":
    main(sys.argv[1:])
