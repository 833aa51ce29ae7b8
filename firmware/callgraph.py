#!/usr/bin/env python3
"""Looks for recursion in a firmware image: builds the call graph from the disassembly
(`llvm-objdump -d`: every `bl`/`blx <symbol>` and every branch to another function's
first instruction, i.e. a tail call) and prints its cycles (strongly connected components
of more than one function, and functions that call themselves). Also lists the indirect
calls (`blx rN`) made by mqtt-wire's functions, which the graph cannot follow.

    firmware/callgraph.py OBJDUMP ELF

Exits 1 when a cycle goes through a function of mqtt_wire. size.sh runs it.
"""

import re
import subprocess
import sys

FUNC = re.compile(r"^([0-9a-f]+) <(.+)>:$")
# `bl 0x1234 <name>`, `b.w 0x1234 <name+0x10>`, `beq 0x... <name>`, ...
BRANCH = re.compile(r"\s(bl|blx|b(?:\.w|\.n)?|b(?:eq|ne|cs|cc|hs|lo|mi|pl|vs|vc|hi|ls|ge|lt|gt|le)(?:\.w|\.n)?)\s+(?:0x)?[0-9a-f]+\s+<([^>]+)>")
OURS = re.compile(r"mqtt_wire(?:::|\.\.)")
INDIRECT = re.compile(r"\sblx\s+r\d+|\sbx\s+r(?:[0-9]|1[0-2])\b")


def main() -> int:
    objdump, elf = sys.argv[1], sys.argv[2]
    text = subprocess.run(
        [objdump, "-d", "--no-show-raw-insn", "--demangle", elf],
        check=True,
        capture_output=True,
        text=True,
    ).stdout
    edges: dict[str, set[str]] = {}
    indirect: dict[str, int] = {}
    current = None
    for line in text.splitlines():
        m = FUNC.match(line)
        if m:
            current = m.group(2)
            edges.setdefault(current, set())
            continue
        if current is None:
            continue
        m = BRANCH.search(line)
        if m:
            target = m.group(2)
            # A branch inside the function is `<current+0x..>`; one to another function's
            # start (no offset) is a call or a tail call.
            if "+0x" in target:
                continue
            if target != current or m.group(1) in ("bl", "blx"):
                edges[current].add(target)
        elif INDIRECT.search(line) and OURS.search(current):
            indirect[current] = indirect.get(current, 0) + 1

    # Tarjan's strongly connected components, iteratively.
    index: dict[str, int] = {}
    low: dict[str, int] = {}
    on_stack: set[str] = set()
    stack: list[str] = []
    cycles: list[list[str]] = []
    counter = 0
    for root in edges:
        if root in index:
            continue
        work = [(root, iter(sorted(edges.get(root, ()))))]
        index[root] = low[root] = counter
        counter += 1
        stack.append(root)
        on_stack.add(root)
        while work:
            node, children = work[-1]
            advanced = False
            for child in children:
                if child not in index:
                    index[child] = low[child] = counter
                    counter += 1
                    stack.append(child)
                    on_stack.add(child)
                    work.append((child, iter(sorted(edges.get(child, ())))))
                    advanced = True
                    break
                if child in on_stack:
                    low[node] = min(low[node], index[child])
            if advanced:
                continue
            work.pop()
            if work:
                parent = work[-1][0]
                low[parent] = min(low[parent], low[node])
            if low[node] == index[node]:
                component = []
                while True:
                    member = stack.pop()
                    on_stack.discard(member)
                    component.append(member)
                    if member == node:
                        break
                if len(component) > 1 or node in edges.get(node, ()):
                    cycles.append(sorted(component))

    functions = len(edges)
    codec = sum(1 for f in edges if OURS.search(f))
    calls = sum(len(t) for t in edges.values())
    print(f"call graph of {elf}: {functions} functions ({codec} of mqtt_wire), {calls} call edges")
    bad = 0
    for component in cycles:
        ours = any(OURS.search(f) for f in component)
        bad += ours
        print(("  CYCLE (mqtt_wire): " if ours else "  cycle (not the codec): ") + " -> ".join(component))
    if not cycles:
        print("  no cycles: no function reaches itself through direct calls")
    for f, n in sorted(indirect.items()):
        print(f"  indirect calls in {f}: {n}")
    if not indirect:
        print("  no indirect calls in mqtt_wire's functions")
    return 1 if bad else 0


if __name__ == "__main__":
    sys.exit(main())
