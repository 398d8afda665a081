#!/usr/bin/env bash
# Builds the C ABI in release mode and installs it under a prefix:
#   DIR/include/cv2x.h
#   DIR/lib/libcv2x.a, DIR/lib/libcv2x.so.<ABI version> (+ libcv2x.so.<major>, libcv2x.so links)
#   DIR/lib/pkgconfig/cv2x.pc       (`pkg-config --static --cflags --libs cv2x`: the native
#                                    libraries a static link needs are in Libs.private)
#   DIR/lib/cmake/cv2x/             (`find_package(cv2x)` → imported target cv2x::cv2x)
# The libraries are installed without debug information unless --keep-debug is given.
# Usage: capi/install.sh --prefix DIR [--target-dir DIR] [--keep-debug]
set -euo pipefail
usage() { echo "usage: $0 --prefix DIR [--target-dir DIR] [--keep-debug]" >&2; exit 2; }
PREFIX=
TARGET_DIR=
KEEP_DEBUG=0
while [ $# -gt 0 ]; do
  case "$1" in
    --prefix) [ $# -ge 2 ] || usage; PREFIX=$2; shift 2 ;;
    --prefix=*) PREFIX=${1#--prefix=}; shift ;;
    --target-dir) [ $# -ge 2 ] || usage; TARGET_DIR=$2; shift 2 ;;
    --keep-debug) KEEP_DEBUG=1; shift ;;
    *) usage ;;
  esac
done
[ -n "$PREFIX" ] || usage
cd "$(dirname "$0")/.."
ROOT=$PWD
mkdir -p "$PREFIX"
PREFIX=$(cd "$PREFIX" && pwd)
TARGET_DIR=${TARGET_DIR:-$ROOT/target}

VERSION=$(sed -n 's/^version = "\(.*\)"/\1/p' capi/Cargo.toml | head -n 1)
MAJOR=${VERSION%%.*}
NATIVE=$(cat capi/native-static-libs.txt)

cargo build --release -p cv2x-capi --target-dir "$TARGET_DIR"
REL=$TARGET_DIR/release

install -d "$PREFIX/include" "$PREFIX/lib/pkgconfig" "$PREFIX/lib/cmake/cv2x"
install -m 0644 capi/include/cv2x.h "$PREFIX/include/cv2x.h"
install -m 0644 "$REL/libcv2x_capi.a" "$PREFIX/lib/libcv2x.a"
install -m 0755 "$REL/libcv2x_capi.so" "$PREFIX/lib/libcv2x.so.$VERSION"
if [ "$KEEP_DEBUG" = 0 ] && command -v strip >/dev/null 2>&1; then
  strip --strip-debug "$PREFIX/lib/libcv2x.a" "$PREFIX/lib/libcv2x.so.$VERSION"
fi
ln -sf "libcv2x.so.$VERSION" "$PREFIX/lib/libcv2x.so.$MAJOR"
ln -sf "libcv2x.so.$MAJOR" "$PREFIX/lib/libcv2x.so"

cat > "$PREFIX/lib/pkgconfig/cv2x.pc" <<PC
prefix=$PREFIX
libdir=\${prefix}/lib
includedir=\${prefix}/include

Name: cv2x
Description: On-board C-V2X stack: CSAE messages (UPER/JER), IEEE 1609.2 / GB/T 45112 security, DSMP
Version: $VERSION
Cflags: -I\${includedir}
Libs: -L\${libdir} -lcv2x -Wl,-rpath,\${libdir}
Libs.private: $NATIVE
PC

cat > "$PREFIX/lib/cmake/cv2x/cv2xConfigVersion.cmake" <<CM
# Version of the installed cv2x C ABI: compatible within one major version.
set(PACKAGE_VERSION "$VERSION")
if(PACKAGE_FIND_VERSION_MAJOR AND NOT PACKAGE_FIND_VERSION_MAJOR STREQUAL "$MAJOR")
  set(PACKAGE_VERSION_COMPATIBLE FALSE)
elseif(PACKAGE_FIND_VERSION VERSION_GREATER PACKAGE_VERSION)
  set(PACKAGE_VERSION_COMPATIBLE FALSE)
else()
  set(PACKAGE_VERSION_COMPATIBLE TRUE)
  if(PACKAGE_FIND_VERSION STREQUAL PACKAGE_VERSION)
    set(PACKAGE_VERSION_EXACT TRUE)
  endif()
endif()
CM

# the same libraries as a CMake list
CMAKE_NATIVE=$(echo "$NATIVE" | tr -s ' ' ';')
cat > "$PREFIX/lib/cmake/cv2x/cv2xConfig.cmake" <<CM
# cv2x C ABI. Targets:
#   cv2x::cv2x_static  libcv2x.a with the native libraries a static link needs
#   cv2x::cv2x_shared  libcv2x.so.$MAJOR
#   cv2x::cv2x         the static library, or the shared one when CV2X_USE_SHARED is ON
get_filename_component(_cv2x_prefix "\${CMAKE_CURRENT_LIST_DIR}/../../.." ABSOLUTE)
if(NOT TARGET cv2x::cv2x)
  add_library(cv2x::cv2x_static STATIC IMPORTED)
  set_target_properties(cv2x::cv2x_static PROPERTIES
    IMPORTED_LOCATION "\${_cv2x_prefix}/lib/libcv2x.a"
    INTERFACE_INCLUDE_DIRECTORIES "\${_cv2x_prefix}/include"
    INTERFACE_LINK_LIBRARIES "$CMAKE_NATIVE")
  add_library(cv2x::cv2x_shared SHARED IMPORTED)
  set_target_properties(cv2x::cv2x_shared PROPERTIES
    IMPORTED_LOCATION "\${_cv2x_prefix}/lib/libcv2x.so.$MAJOR"
    IMPORTED_SONAME "libcv2x.so.$MAJOR"
    INTERFACE_INCLUDE_DIRECTORIES "\${_cv2x_prefix}/include")
  add_library(cv2x::cv2x INTERFACE IMPORTED)
  if(CV2X_USE_SHARED)
    set_target_properties(cv2x::cv2x PROPERTIES INTERFACE_LINK_LIBRARIES cv2x::cv2x_shared)
  else()
    set_target_properties(cv2x::cv2x PROPERTIES INTERFACE_LINK_LIBRARIES cv2x::cv2x_static)
  endif()
endif()
set(cv2x_FOUND TRUE)
unset(_cv2x_prefix)
CM
echo "installed cv2x $VERSION under $PREFIX"
