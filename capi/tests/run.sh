#!/usr/bin/env bash
# C tests of the cv2x C ABI: builds the library with the test-only panic exports, then runs
# capi/tests/*.c (C99, -Wall -Wextra -Wpedantic -Werror -Wconversion)
#  1. against the static library under AddressSanitizer + UndefinedBehaviorSanitizer
#     (LeakSanitizer included), and
#  2. against the shared library under valgrind --error-exitcode=1 --leak-check=full.
# Also checks that every function the header declares is called by the tests.
# Ends with `N passed, M failed` over both runs. Usage: capi/tests/run.sh [TEST_NAME]
set -euo pipefail
cd "$(dirname "$0")/../.."
ROOT=$PWD
OUT=$ROOT/target/capi-tests
mkdir -p "$OUT"
CC=${CC:-gcc}

cargo build -q -p cv2x-capi --features test-panic
LIB=$ROOT/target/debug
HDR=$ROOT/capi/include

# every declared function is exercised
missing=0
declared=$(grep -oE '^[a-z0-9_ ]*\*?cv2x_[a-z0-9_]+\(' "$HDR/cv2x.h" | sed -E 's/.*(cv2x_[a-z0-9_]+)\($/\1/' | sort -u)
test "$(echo "$declared" | wc -l)" -ge 100
for f in $declared; do
  if ! grep -q "$f(" capi/tests/test_*.c; then echo "not tested: $f"; missing=1; fi
done
test "$missing" -eq 0

# the fixed contract's declarations agree with the header
$CC -std=c99 -Wall -Wextra -Wpedantic -Werror -Wconversion -Wno-array-parameter -I"$HDR" -c capi/tests/contract.c -o "$OUT/contract.o"
echo "fixed contract: declarations match cv2x.h"

CFLAGS=(-std=c99 -Wall -Wextra -Wpedantic -Werror -Wconversion -g -DCV2X_TEST_PANIC -I"$HDR" -Icapi/tests -Iexamples/c)
SRCS=(capi/tests/test_main.c capi/tests/common.c capi/tests/test_codec.c capi/tests/test_security.c capi/tests/test_net.c
  capi/tests/test_stack.c capi/tests/test_host.c)
NATIVE=$(cat capi/native-static-libs.txt)

$CC "${CFLAGS[@]}" -fsanitize=address,undefined -fno-sanitize-recover=all -fno-omit-frame-pointer \
  "${SRCS[@]}" "$LIB/libcv2x_capi.a" $NATIVE -o "$OUT/test_capi_asan"
# the shared library under its SONAME, as installed
ln -sf "$LIB/libcv2x_capi.so" "$OUT/libcv2x.so.1"
ln -sf libcv2x.so.1 "$OUT/libcv2x.so"
$CC "${CFLAGS[@]}" "${SRCS[@]}" -L"$OUT" -lcv2x -Wl,-rpath,"$OUT" -lpthread -o "$OUT/test_capi_shared"

total_pass=0
total_fail=0
run() {
  local log=$1; shift
  set +e
  "$@" > "$log" 2>&1
  local rc=$?
  set -e
  grep -v '^ok ' "$log" | grep -v 'forced panic' | grep -v 'panicked at' | grep -v '^note: run with' | grep -v '^$' | tail -n 40 || true
  local line
  line=$(grep -E '^[0-9]+ passed, [0-9]+ failed$' "$log" | tail -n 1)
  if [ -z "$line" ]; then echo "no summary from $*"; total_fail=$((total_fail + 1)); return; fi
  total_pass=$((total_pass + $(echo "$line" | cut -d' ' -f1)))
  total_fail=$((total_fail + $(echo "$line" | cut -d' ' -f3)))
  if [ $rc -ne 0 ] && [ "$(echo "$line" | cut -d' ' -f3)" = 0 ]; then
    echo "exit code $rc with no failed test (sanitizer or valgrind error)"; total_fail=$((total_fail + 1))
  fi
}

export RUST_BACKTRACE=0
echo "--- static library, ASan + UBSan + LSan"
ASAN_OPTIONS=detect_leaks=1:abort_on_error=0 UBSAN_OPTIONS=print_stacktrace=1:halt_on_error=1 \
  run "$OUT/asan.log" "$OUT/test_capi_asan" "$ROOT" "$@"
echo "--- shared library, valgrind"
if command -v valgrind >/dev/null 2>&1; then
  run "$OUT/valgrind.log" valgrind -q --error-exitcode=1 --leak-check=full --errors-for-leak-kinds=definite,indirect \
    "$OUT/test_capi_shared" "$ROOT" "$@"
else
  echo "valgrind not installed: shared-library run FAILED to start"; total_fail=$((total_fail + 1))
fi
echo "$total_pass passed, $total_fail failed"
test "$total_fail" -eq 0
