#!/usr/bin/env bash
# Peer benchmark: cv2x against asn1c (Debian's 0.9.28, -fcompound-names -gen-PER) on the same
# realistic encodings of BSM, SPAT, MAP and RSM (T/CSAE 53-2020 Day I). Each side times
# decode + encode (+ free) per message in the same run. The C code is generated from this
# repository's own ASN.1 modules, Day I part: asn1c cannot compile the Day II information object
# class, and Day I messages encode identically without the Day II modules.
#
# usage: benches/peer/run.sh [--short]
#   --short  time each message for about 10 ms instead of 1 s, and build cv2x's side with the
#            release profile instead of the bench profile (a check that the comparison runs;
#            its figures are rough)
set -euo pipefail
cd "$(dirname "$0")/../.."
out=target/peer
mkdir -p "$out"
target_ns=1000000000
profile=bench
if [ "${1:-}" = "--short" ]; then
  target_ns=10000000
  profile=release
elif [ -n "${1:-}" ]; then
  echo "usage: benches/peer/run.sh [--short]" >&2
  exit 2
fi
export PEER_TARGET_NS=$target_ns

if ! command -v asn1c >/dev/null 2>&1; then
  echo "installing asn1c" >&2
  (apt-get install -y asn1c >/dev/null 2>&1 || (apt-get update >/dev/null && apt-get install -y asn1c >/dev/null)) \
    || sudo apt-get install -y asn1c >/dev/null
fi

# Day I module set: the 2020 modules as MsgFrame reaches them without MsgDayII and without the
# msgFrameExt alternative, derived by reading the modules (not by editing their text)
rm -rf "$out/asn" "$out/gen" && mkdir -p "$out/gen"
python3 benches/peer/day_i.py asn1/csae53-2020-dayII "$out/asn"
(cd "$out/gen" && asn1c -fcompound-names -gen-PER ../asn/*.asn >/dev/null 2>"../asn1c.log") || {
  cat "$out/asn1c.log" >&2; exit 1; }
rm -f "$out/gen/converter-sample.c" "$out/gen/converter-example.c"
gcc -O2 -w -I"$out/gen" -o "$out/harness" benches/peer/harness.c "$out"/gen/*.c -lm

hex_of() {
  python3 - "$1" <<'PY'
import json, sys
for l in open(f"tests/vectors/csae53_2020/{sys.argv[1]}.jsonl"):
    v = json.loads(l)
    if v.get("kind") == "realistic":
        print(v["uper_hex"]); break
PY
}
args=()
for pair in BSM:BasicSafetyMessage SPAT:SPAT MAP:MapData RSM:RoadsideSafetyMessage; do
  args+=("${pair%%:*}" "$(hex_of "${pair#*:}")")
done

"$out/harness" "${args[@]}" > "$out/asn1c.txt"
cargo bench -q --profile "$profile" --all-features --bench peer 2>"$out/cargo.log" | grep '^cv2x ' > "$out/cv2x.txt" || {
  cat "$out/cargo.log" >&2; exit 1; }

python3 - "$out/asn1c.txt" "$out/cv2x.txt" <<'PY'
import math, sys
def load(p):
    return {l.split()[1]: float(l.split()[2]) for l in open(p) if l.strip()}
c, r = load(sys.argv[1]), load(sys.argv[2])
print(f"{'message':8} {'asn1c ns':>10} {'cv2x ns':>10} {'ratio':>7}   (decode + encode, one core)")
ratios = []
for m in ("BSM", "SPAT", "MAP", "RSM"):
    ratios.append(c[m] / r[m])
    print(f"{m:8} {c[m]:10.1f} {r[m]:10.1f} {c[m] / r[m]:7.2f}")
g = math.exp(sum(math.log(x) for x in ratios) / len(ratios))
print(f"peer ratio asn1c/cv2x: {g:.2f}")
PY
