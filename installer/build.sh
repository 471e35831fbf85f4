#!/usr/bin/env bash
# Configures and builds into BUILD_DIR (default: build), BUILD_TYPE (default: Release, the
# configuration the test command builds, so that both commands share one build). Extra
# arguments go to cmake.
set -euo pipefail
cd "$(dirname "$0")/.."
build_dir=${BUILD_DIR:-build}
# Let ccache share results between checkouts in different folders (CI clones afresh):
# paths are made relative to the source tree and the working directory is not hashed.
export CCACHE_BASEDIR="$PWD" CCACHE_NOHASHDIR=1
cmake -S . -B "$build_dir" -G Ninja -DCMAKE_BUILD_TYPE="${BUILD_TYPE:-Release}" "$@" >/dev/null
cmake --build "$build_dir" --parallel "$(nproc)"
