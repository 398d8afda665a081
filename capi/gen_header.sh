#!/usr/bin/env bash
# Regenerates capi/include/cv2x.h with the pinned cbindgen (installs it when missing or of
# another version). CI runs this and then `git diff --exit-code capi/include/cv2x.h`.
set -euo pipefail
CBINDGEN_VERSION=0.29.4
cd "$(dirname "$0")"
if ! command -v cbindgen >/dev/null 2>&1 || [ "$(cbindgen --version)" != "cbindgen $CBINDGEN_VERSION" ]; then
  cargo install --locked cbindgen --version "$CBINDGEN_VERSION"
fi
cbindgen --quiet --config cbindgen.toml --crate cv2x-capi --output include/cv2x.h .
