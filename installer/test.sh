#!/usr/bin/env bash
# README command 2: install what is missing, build, and run the whole test suite.
# Exits non-zero on any failure.
set -euo pipefail
cd "$(dirname "$0")/.."
installer/install-deps.sh --test
installer/check-style.sh
BUILD_DIR=build installer/build.sh -DBUILD_TESTING=ON
cd build
QT_QPA_PLATFORM=offscreen ctest --output-on-failure --parallel 2 --timeout 300
