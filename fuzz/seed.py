#!/usr/bin/env python3
"""Seeds the fuzz corpora: hand-made seeds from fuzz/seeds/<target>/, and the committed
conformance vectors (tests/vectors) for the codec targets and, wrapped as ingest records,
for stack_ingest."""
import glob, json, os, hashlib, shutil

root = os.path.dirname(os.path.abspath(__file__))
vec = os.path.join(root, '..', 'tests', 'vectors')

def write(target, data):
    d = os.path.join(root, 'corpus', target)
    os.makedirs(d, exist_ok=True)
    with open(os.path.join(d, hashlib.sha1(data).hexdigest()), 'wb') as f:
        f.write(data)

import re

def types_of(set_dir):
    mod = open(os.path.join(root, '..', 'asn1', 'msg', 'src', set_dir, 'mod.rs')).read()
    body = re.search(r'pub const TYPES: &\[&str\] = &\[(.*?)\];', mod, re.S).group(1)
    return re.findall(r'"([^"]+)"', body)

for folder, set_dir in (('csae53_2020', 'v2020'), ('csae157_2020_dayII', 'v2020'), ('csae53_2019', 'v2019'),
                        ('csae53_2017', 'v2017')):
    types = types_of(set_dir)
    for path in sorted(glob.glob(os.path.join(vec, folder, '*.jsonl'))):
        for line in open(path):
            v = json.loads(line)
            b = bytes.fromhex(v['uper_hex'])
            if v['type'] == 'MessageFrame':
                write('uper_decode_' + set_dir, b)
                if set_dir == 'v2020' and v.get('valid', True):
                    # stack_ingest: an ego state, the message, a poll 100 ms later.
                    ego = bytes([2, 0, 0]) + bytes(8)
                    msg = bytes([0, 0, 0]) + len(b).to_bytes(2, 'big') + b
                    write('stack_ingest', ego + msg + bytes([3, 0, 100]))
                    # Signed, verified on demand (first byte's top bit): the frame signed three
                    # times 100 ms apart, the last one with a flipped signature, with polls.
                    signed = lambda f: bytes([6, 0, 100, f]) + len(b).to_bytes(2, 'big') + b
                    write('stack_ingest', bytes([0x80, 0, 0]) + bytes(8) + signed(0) + signed(0)
                          + bytes([3, 0, 0]) + signed(1) + bytes([3, 0, 100]))
            if v['type'] in types:
                write('uper_named_' + set_dir, types.index(v['type']).to_bytes(2, 'big') + b)

# Security targets: every certificate and signed message of the security vectors.
sec = os.path.join(root, '..', 'tests', 'data', 'security')
for path in sorted(glob.glob(os.path.join(sec, '*', '*.coer.hex'))):
    b = bytes.fromhex(open(path).read().strip())
    write('spdu_verify' if os.path.basename(path).startswith(('cam_', 'vw_')) else 'cert_parse', b)

# Trust lists: the two real signed TDCLs.
real = os.path.join(root, '..', 'tests', 'data', 'real', 'wanji_obu_pki_sm2', 'ctl')
for path in sorted(glob.glob(os.path.join(real, '*'))):
    write('ctl_parse', open(path, 'rb').read())
# host_vehicle: the first 200 samples of the example drive as state records (lat, lon, speed,
# heading, yaw rate, acceleration present), each followed by a poll; unsigned and signed, both
# BSM forms.
import struct
drive = os.path.join(root, '..', 'tests', 'data', 'drives', 'lab_drive.jsonl')
if os.path.exists(drive):
    recs = b''
    for line in open(drive).readlines()[:200]:
        v = json.loads(line)
        present = (1 << 0) | (1 << 1) | (1 << 4) | (1 << 5) | (1 << 6) | (1 << 7)
        values = [v['lat'], v['lon'], v['speed_mps'], v['heading_deg'], v['yaw_rate_dps'], v['accel_mps2']]
        recs += bytes([0]) + struct.pack('>h', 100) + struct.pack('>H', present)
        recs += b''.join(struct.pack('>d', x) for x in values)
        recs += bytes([3]) + struct.pack('>h', 0)
    for head in (0, 1, 2, 3):
        write('host_vehicle', bytes([head]) + recs)

# Hand-made seeds, among them fuzz/seeds/stack_ingest/day2_*: a drive per Day II service with
# its messages addressed to the ego, commands and polls (written by
# `CV2X_FUZZ_SEEDS=fuzz/seeds/stack_ingest cargo test --features testing --test day2_services fuzz_seeds`).
for target in os.listdir(os.path.join(root, 'seeds')):
    src = os.path.join(root, 'seeds', target)
    dst = os.path.join(root, 'corpus', target)
    os.makedirs(dst, exist_ok=True)
    for name in os.listdir(src):
        shutil.copy(os.path.join(src, name), os.path.join(dst, name))
