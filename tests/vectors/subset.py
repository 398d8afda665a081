#!/usr/bin/env python3
"""Builds the committed conformance subset from the full vector folders.

usage: subset.py SRC_UPER_DIR DEST_DIR FOLDER...
Keeps every realistic line, the first 3 min, max and allopt lines and the first 20 random lines
per type, and 100 invalid lines per folder (a spread over the file).
"""
import json, os, sys

src, dest, folders = sys.argv[1], sys.argv[2], sys.argv[3:]
for folder in folders:
    os.makedirs(os.path.join(dest, folder), exist_ok=True)
    for name in sorted(os.listdir(os.path.join(src, folder))):
        if not name.endswith('.jsonl'):
            continue
        lines = open(os.path.join(src, folder, name)).read().splitlines()
        keep = []
        if name == 'invalid.jsonl':
            step = max(1, len(lines) // 100)
            keep = lines[::step][:100]
        else:
            limit = {'random': 20, 'min': 3, 'max': 3, 'allopt': 3}
            seen = {}
            for l in lines:
                kind = json.loads(l).get('kind')
                seen[kind] = seen.get(kind, 0) + 1
                if seen[kind] <= limit.get(kind, 1 << 30):
                    keep.append(l)
        with open(os.path.join(dest, folder, name), 'w') as f:
            f.write('\n'.join(keep) + '\n')
