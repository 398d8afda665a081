#!/usr/bin/env python3
"""Check an ASN.1 module set against the UPER/JER conformance vectors.

Usage: check_vectors.py [--vectors DIR] [--verbose] [FOLDER ...]

FOLDER is one of csae53_2020, csae157_2020_dayII, csae53_2019, csae53_2017 (default: all).
The Day I 2020 and Day II folders are checked against asn1/csae53-2020-dayII,
the 2019 folder against asn1/csae53-2019, the 2017 folder against asn1/csae53-2017.  Needs asn1tools 0.169.0.

For every valid line: the UPER bytes decode as `type`, the decoded value
rendered in the vectors' JER conventions equals `jer`, it re-encodes to the
same bytes, and `jer` read back through the JER codec encodes to the same
bytes.  Every line of invalid.jsonl must fail to decode.
"""
import argparse
import binascii
import glob
import json
import os
import re
import sys

import asn1tools

HERE = os.path.dirname(os.path.abspath(__file__))
ASN1_DIR = os.path.dirname(HERE)
DEFAULT_VECTORS = os.path.normpath(os.path.join(ASN1_DIR, '..', '..', '..', 'shared', 'vectors', 'uper'))
if not os.path.isdir(DEFAULT_VECTORS):
    DEFAULT_VECTORS = '/work/shared/vectors/uper'

SETS = {
    'csae53_2020': 'csae53-2020-dayII',
    'csae157_2020_dayII': 'csae53-2020-dayII',
    'csae53_2019': 'csae53-2019',
    'csae53_2017': 'csae53-2017',
}


def preprocess(text):
    """Work around asn1tools parser limits without touching the module files.

    asn1tools cannot parse an extension list that closes with a second
    ellipsis after extension additions (`{ a, ..., b, ... }`).  That closing
    ellipsis never changes an encoding, so it is dropped here.  Only
    ellipses directly inside braces count; those inside parentheses are
    extensible constraints and stay.
    """
    out = []
    stack = []  # one entry per open bracket: [kind, ellipses seen]
    tokens = re.split(r'(\{|\}|\(|\)|\.\.\.|--[^\n]*|/\*.*?\*/)', text, flags=re.S)
    for tok in tokens:
        if tok in ('{', '('):
            stack.append([tok, 0])
        elif tok in ('}', ')'):
            if stack:
                stack.pop()
        elif tok == '...' and stack and stack[-1][0] == '{':
            stack[-1][1] += 1
            if stack[-1][1] == 2:
                # drop this closing ellipsis and the comma before it
                j = len(out) - 1
                while j >= 0 and (out[j].strip() == '' or out[j].startswith('--')
                                  or out[j].startswith('/*')):
                    j -= 1
                if j >= 0:
                    out[j] = re.sub(r',\s*$', '', out[j])
                continue
        out.append(tok)
    return ''.join(out)


def compile_set(set_dir, codec):
    files = sorted(glob.glob(os.path.join(set_dir, '*.asn')))
    texts = [preprocess(open(f, encoding='utf-8').read()) for f in files]
    if codec == 'jer':
        # asn1tools' JER codec has no open type; the checker reads the
        # payload of msgFrameExt separately, so stand in an OCTET STRING.
        texts = [re.sub(r'[A-Za-z0-9-]+\.&Type\s*\(\s*\{[^}]*\}\s*\{[^}]*\}\s*\)',
                        'OCTET STRING', t) for t in texts]
    return asn1tools.compile_string('\n'.join(texts), codec)


def open_type_table(set_dir):
    """messageId -> type name, read from the MESSAGE-ID-AND-TYPE object set."""
    text = '\n'.join(open(f, encoding='utf-8').read()
                     for f in glob.glob(os.path.join(set_dir, '*.asn')))
    values = {m.group(1): int(m.group(2))
              for m in re.finditer(r'([a-z][\w-]*)\s+DSRCmsgID\s*::=\s*(\d+)', text)}
    return {values[m.group(2)]: m.group(1)
            for m in re.finditer(r'\{\s*([A-Z][\w-]*)\s+IDENTIFIED\s+BY\s+([a-z][\w-]*)\s*\}', text)
            if m.group(2) in values}


def decode_strict(uper, table, typ, data):
    """Decode with constraints checked; a Day II frame's payload is decoded too."""
    value = uper.decode(typ, data, check_constraints=True)
    if typ == 'MessageFrame' and isinstance(value, tuple) and value[0] == 'msgFrameExt':
        inner_type = table.get(value[1]['messageId'])
        if inner_type is not None:
            uper.decode(inner_type, bytes(value[1]['value']), check_constraints=True)
    return value


def to_jer(value):
    """asn1tools' Python value -> JER value in the vectors' conventions."""
    if isinstance(value, dict):
        return {k: to_jer(v) for k, v in value.items()}
    if isinstance(value, list):
        return [to_jer(v) for v in value]
    if isinstance(value, tuple):
        if len(value) == 2 and isinstance(value[0], str):  # CHOICE
            return {value[0]: to_jer(value[1])}
        if len(value) == 2 and isinstance(value[0], (bytes, bytearray)):  # BIT STRING
            data, nbits = value
            return binascii.hexlify(bytes(data[:(nbits + 7) // 8])).decode().upper()
        raise ValueError('unexpected tuple %r' % (value,))
    if isinstance(value, (bytes, bytearray)):
        return binascii.hexlify(bytes(value)).decode().upper()
    return value


def norm(jer):
    """Hex case-insensitive comparison: upper-case every hex-looking string."""
    if isinstance(jer, dict):
        return {k: norm(v) for k, v in jer.items()}
    if isinstance(jer, list):
        return [norm(v) for v in jer]
    return jer


def same(a, b):
    if isinstance(a, dict) and isinstance(b, dict):
        return a.keys() == b.keys() and all(same(a[k], b[k]) for k in a)
    if isinstance(a, list) and isinstance(b, list):
        return len(a) == len(b) and all(same(x, y) for x, y in zip(a, b))
    if isinstance(a, str) and isinstance(b, str):
        return a == b or (re.fullmatch(r'[0-9A-Fa-f]*', a) is not None and a.upper() == b.upper())
    return type(a) is type(b) and a == b


def check_valid(uper, jer, rec, table=None):
    typ = rec['type']
    data = binascii.unhexlify(rec['uper_hex'])
    value = uper.decode(typ, data, check_constraints=True)
    if rec.get('alt') == 'msgFrameExt':
        alt, ext = value
        if alt != 'msgFrameExt':
            return 'decoded alternative %s' % alt
        if ext['messageId'] != rec['messageId']:
            return 'messageId %s != %s' % (ext['messageId'], rec['messageId'])
        if table is not None and table.get(ext['messageId']) != rec['inner_type']:
            return 'object set maps messageId %s to %s' % (ext['messageId'], table.get(ext['messageId']))
        inner_bytes = bytes(ext['value'])
        if inner_bytes.hex() != rec['inner_uper_hex'].lower():
            return 'open type payload differs'
        inner = uper.decode(rec['inner_type'], inner_bytes, check_constraints=True)
        got = {'msgFrameExt': {'messageId': ext['messageId'], 'value': to_jer(inner)}}
        if not same(got, rec['jer']):
            return 'JER differs: %s' % json.dumps(got)[:400]
        if uper.encode(rec['inner_type'], inner) != inner_bytes:
            return 'inner re-encode differs'
        if uper.encode(typ, value) != data:
            return 're-encode differs'
        inner_from_jer = jer.decode(rec['inner_type'], json.dumps(rec['jer']['msgFrameExt']['value']).encode())
        inner_enc = uper.encode(rec['inner_type'], inner_from_jer)
        frame = ('msgFrameExt', {'messageId': rec['messageId'], 'value': inner_enc})
        if uper.encode(typ, frame) != data:
            return 'JER -> UPER differs'
        return None
    got = to_jer(value)
    if not same(got, rec['jer']):
        return 'JER differs: %s' % json.dumps(got)[:400]
    if uper.encode(typ, value) != data:
        return 're-encode differs: %s' % uper.encode(typ, value).hex()[:200]
    from_jer = jer.decode(typ, json.dumps(rec['jer']).encode())
    if uper.encode(typ, from_jer) != data:
        return 'JER -> UPER differs'
    return None


def check_folder(folder, vectors, verbose):
    set_dir = os.path.join(ASN1_DIR, SETS[folder])
    uper = compile_set(set_dir, 'uper')
    jer = compile_set(set_dir, 'jer')
    table = open_type_table(set_dir)
    passed = failed = 0
    for path in sorted(glob.glob(os.path.join(vectors, folder, '*.jsonl'))):
        invalid = os.path.basename(path) == 'invalid.jsonl'
        for lineno, line in enumerate(open(path, encoding='utf-8'), 1):
            rec = json.loads(line)
            if invalid:
                try:
                    decode_strict(uper, table, rec['type'], binascii.unhexlify(rec['uper_hex']))
                    err = 'decoded an invalid encoding'
                except Exception:
                    err = None
            else:
                try:
                    err = check_valid(uper, jer, rec, table)
                except Exception as e:  # noqa: BLE001 - report every failure
                    err = '%s: %s' % (type(e).__name__, e)
            if err is None:
                passed += 1
            else:
                failed += 1
                if verbose:
                    print('%s:%d %s (%s): %s' % (os.path.relpath(path, vectors), lineno,
                                                 rec['type'], rec.get('kind'), err))
    print('%s: %d passed, %d failed' % (folder, passed, failed))
    return failed


def main():
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument('--vectors', default=DEFAULT_VECTORS)
    ap.add_argument('--verbose', '-v', action='store_true')
    ap.add_argument('folders', nargs='*', default=list(SETS))
    args = ap.parse_args()
    total_failed = 0
    for folder in args.folders:
        total_failed += check_folder(folder, args.vectors, args.verbose)
    return 1 if total_failed else 0


if __name__ == '__main__':
    sys.exit(main())
