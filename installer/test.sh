#!/usr/bin/env bash
# README command 2: install what is missing, check the style, build the Release configuration
# with the tests and the benchmarks (built, never run: the tests run against the optimised
# build the benchmarks measure), check that every system file the configure, the build and
# both programs read comes from the install list (installer/check-deps.sh), and run the whole
# test suite; the programs the tests start are checked against the list too.
# Exits non-zero on any failure.
set -euo pipefail
cd "$(dirname "$0")/.."
installer/install-deps.sh --test
installer/check-style.sh
BUILD_DIR=build BUILD_TYPE=Release installer/build.sh -DBUILD_TESTING=ON -DSHIVX_BUILD_BENCH=ON
installer/check-deps.sh build
# strace records the programs the tests start (a seccomp filter: other calls cost nothing).
# Debian's default PATH: the tests run the programs of the install list, as on a fresh
# Debian 12, not others that come first in this shell's PATH (pyenv's python3, say).
cd build
strace -f -qq --seccomp-bpf -e trace=execve -e status=successful -o test-run.trace \
    env PATH=/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin QT_QPA_PLATFORM=offscreen \
    ctest --output-on-failure --parallel 2 --timeout 300
../installer/check-deps.sh --tests test-run.trace
