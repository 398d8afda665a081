#!/usr/bin/env python3
"""Seeds the fuzz corpora: hand-made seeds from fuzz/seeds/<target>/, and the committed
conformance vectors (tests/vectors) for the codec targets."""
import glob, json, os, hashlib, shutil

root = os.path.dirname(os.path.abspath(__file__))
vec = os.path.join(root, '..', 'tests', 'vectors')

def write(target, data):
    d = os.path.join(root, 'corpus', target)
    os.makedirs(d, exist_ok=True)
    with open(os.path.join(d, hashlib.sha1(data).hexdigest()), 'wb') as f:
        f.write(data)

import re
mod = open(os.path.join(root, '..', 'src', 'msg', 'v2020', 'mod.rs')).read()
types = re.findall(r'"([^"]+)"', re.search(r'pub const TYPES: &\[&str\] = &\[(.*?)\];', mod, re.S).group(1))

for folder in ('csae53_2020', 'csae157_2020_dayII'):
    for path in sorted(glob.glob(os.path.join(vec, folder, '*.jsonl'))):
        for line in open(path):
            v = json.loads(line)
            b = bytes.fromhex(v['uper_hex'])
            if v['type'] == 'MessageFrame':
                write('uper_decode_v2020', b)
            if v['type'] in types:
                write('uper_named_v2020', bytes([types.index(v['type'])]) + b)

for target in os.listdir(os.path.join(root, 'seeds')):
    src = os.path.join(root, 'seeds', target)
    dst = os.path.join(root, 'corpus', target)
    os.makedirs(dst, exist_ok=True)
    for name in os.listdir(src):
        shutil.copy(os.path.join(src, name), os.path.join(dst, name))
