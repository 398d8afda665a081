#!/usr/bin/env python3
"""Writes the Day I part of a module set, for compilers that cannot read the Day II modules.

usage: day_i.py SRC_DIR OUT_DIR [ROOT_MODULE [DROPPED_MODULE]]

Reads the modules of SRC_DIR with an ASN.1 tokenizer (comments and layout do not matter), drops
every symbol ROOT_MODULE (default MsgFrame) imports from DROPPED_MODULE (default MsgDayII) and
every CHOICE alternative or SEQUENCE member of a type of that module that names one of them
(with the extension ellipsis that closed the additions, when none is left), then writes
ROOT_MODULE and every module it still reaches through its imports. Day I messages encode the
same without the Day II part: it is only an extension addition of MessageFrame.
"""
import os
import re
import sys

TOKEN = re.compile(r"""
    (?P<comment>--.*?(?:--|$))          # to the next "--" or the end of the line
  | (?P<block>/\*.*?\*/)
  | (?P<space>\s+)
  | (?P<punct>::=|\.\.\.|\.\.|\[\[|\]\]|[{}()\[\],;|.@!^<>:\-])
  | (?P<string>"(?:[^"]|"")*"|'[0-9A-Fa-f]*'[BH])
  | (?P<word>&?[A-Za-z0-9][A-Za-z0-9-]*)
""", re.VERBOSE | re.MULTILINE | re.DOTALL)


def tokens(text):
    """(kind, value, start, end) of every token that is not a comment or space."""
    out, pos = [], 0
    while pos < len(text):
        m = TOKEN.match(text, pos)
        if not m:
            raise SystemExit(f"cannot read ASN.1 at offset {pos}: {text[pos:pos + 20]!r}")
        kind = m.lastgroup
        if kind not in ("comment", "block", "space"):
            out.append((kind, m.group(), m.start(), m.end()))
        pos = m.end()
    return out


def module_name(toks):
    if len(toks) < 2 or toks[1][1] != "DEFINITIONS":
        raise SystemExit("a module must start with its name and DEFINITIONS")
    return toks[0][1]


def imports(toks):
    """The IMPORTS clause: [(module, [(symbol, token index)], first index, last index)]."""
    try:
        i = next(k for k, t in enumerate(toks) if t[1] == "IMPORTS")
    except StopIteration:
        return []
    clauses, symbols = [], []
    i += 1
    first = i
    while toks[i][1] != ";":
        if toks[i][1] == "FROM":
            clauses.append((toks[i + 1][1], symbols, first, i + 1))
            symbols, i = [], i + 2
            first = i
        else:
            if toks[i][0] == "word":
                symbols.append((toks[i][1], i))
            i += 1
    return clauses


def matching(toks, i):
    """The index of the brace that closes the one at `i`."""
    depth = 0
    for k in range(i, len(toks)):
        depth += {"{": 1, "}": -1}.get(toks[k][1], 0)
        if depth == 0:
            return k
    raise SystemExit("unbalanced braces")


def components(toks, open_i, close_i):
    """The top-level components between two braces, as (first, last) token index ranges."""
    out, depth, first = [], 0, open_i + 1
    for k in range(open_i + 1, close_i):
        v = toks[k][1]
        if v in "{([":
            depth += 1
        elif v in "})]":
            depth -= 1
        elif v == "," and depth == 0:
            out.append((first, k - 1))
            first = k + 1
    if first < close_i:
        out.append((first, close_i - 1))
    return out


def day_i(text, dropped_symbols, dropped_module):
    """`text` without the imports from `dropped_module` and the components typed with them."""
    toks = tokens(text)
    cuts = []  # (start offset, end offset, replacement)
    for module, symbols, first, last in imports(toks):
        if module == dropped_module:
            dropped_symbols.update(s for s, _ in symbols)
            cuts.append((toks[first][2], toks[last][3], ""))
    for k, t in enumerate(toks):
        if t[1] not in ("CHOICE", "SEQUENCE") or toks[k + 1][1] != "{":
            continue
        close = matching(toks, k + 1)
        parts = components(toks, k + 1, close)
        kept = [p for p in parts
                if not (p[1] > p[0] and toks[p[0] + 1][1] in dropped_symbols)]
        if len(kept) == len(parts):
            continue
        # an extension ellipsis right after another one closed additions that are all gone
        body = []
        for p in kept:
            if body and toks[p[0]][1] == "..." and toks[body[-1][0]][1] == "..." and p[0] == p[1]:
                continue
            body.append(p)
        inner = ",\n    ".join(text[toks[a][2]:toks[b][3]] for a, b in body)
        cuts.append((toks[k + 1][3], toks[close][2], "\n    " + inner + "\n"))
    for start, end, new in sorted(cuts, reverse=True):
        text = text[:start] + new + text[end:]
    return text


def main():
    if len(sys.argv) not in (3, 4, 5):
        raise SystemExit(__doc__)
    src, out = sys.argv[1], sys.argv[2]
    root = sys.argv[3] if len(sys.argv) > 3 else "MsgFrame"
    dropped = sys.argv[4] if len(sys.argv) > 4 else "MsgDayII"
    modules = {}
    for name in sorted(os.listdir(src)):
        if name.endswith(".asn"):
            text = open(os.path.join(src, name), encoding="ascii").read()
            modules[module_name(tokens(text))] = (name, text)
    if root not in modules:
        raise SystemExit(f"no module {root} in {src}")
    dropped_symbols = set()
    edited = {root: day_i(modules[root][1], dropped_symbols, dropped)}
    # the modules the root still reaches through its imports
    reach, todo = set(), [root]
    while todo:
        m = todo.pop()
        if m in reach:
            continue
        reach.add(m)
        text = edited.get(m, modules[m][1])
        for module, _, _, _ in imports(tokens(text)):
            if module not in modules:
                raise SystemExit(f"{m} imports {module}, which {src} does not have")
            todo.append(module)
    if dropped in reach:
        raise SystemExit(f"{dropped} is still reached from {root}")
    os.makedirs(out, exist_ok=True)
    for m in sorted(reach):
        name, text = modules[m]
        with open(os.path.join(out, name), "w", encoding="ascii") as f:
            f.write(edited.get(m, text))
    print(f"{len(reach)} of {len(modules)} modules; dropped {', '.join(sorted(dropped_symbols))} "
          f"from {root}", file=sys.stderr)


if __name__ == "__main__":
    main()
