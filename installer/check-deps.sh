#!/usr/bin/env bash
# The dependency check the test command runs (docs/development.md, "Set-up checks"): every
# system file that the configure, the build and a run of both programs read must come from a
# package a fresh Debian 12 has after installer/install-deps.sh: the list, what the list pulls
# in through Depends/Pre-Depends (not Recommends), or what a minbase system has. Each file
# that does not is named with its package. It would have caught Qt6OpenGL's CMake files
# (libqt6opengl6-dev, only a Recommends of qt6-base-dev) before a fresh machine did.
#
#   installer/check-deps.sh [--verbose] [BUILD_DIR]   (default build; built first when out
#                                            of date; --verbose lists what is not counted)
#   installer/check-deps.sh --tests TRACE    programs the test suite ran (strace -f -e
#                                            trace=execve of ctest) against the list with --test
#
# What it collects, reusing BUILD_DIR (seconds, not a second build):
#  - configure: strace of a fresh cmake configure with BUILD_DIR's options, into a temporary
#    folder (CMake modules, Qt's and the other packages' CMake files, compiler checks);
#  - compile: every header each object read, from the compiler depfiles (ninja -t deps);
#  - tools and link inputs named on the build's command lines (moc, rcc, uic, lrelease, the
#    compiler launcher, libraries), and strace of one link of each distinct set of libraries
#    (the linker's implicit inputs and the libraries behind the named ones);
#  - run: strace of `shivx version`, `shivx serve` (until /api/health/live answers),
#    `shivx audit verify --report FILE.pdf`, and `shivx-console` on the offscreen platform and,
#    when Xvfb is installed, on xcb; their /proc/PID/maps say which Qt plugins they loaded.
# Not counted (installer/check-deps-map.py says why): what a process read that then exited
# non-zero (failed probes), Qt plugins opened but not loaded, caches, and the files in its
# OPTIONAL list, which programs read only when present.
# Requires strace and python3 (both in `install-deps.sh --test`).
set -euo pipefail
caller=$PWD # BUILD_DIR and TRACE are relative to where the script was called from
cd "$(dirname "$0")/.."
src=$PWD
started=$SECONDS
base_list=$(installer/install-deps.sh --list | paste -sd,)
test_list=$(comm -13 <(installer/install-deps.sh --list | sort) \
    <(installer/install-deps.sh --test --list | sort) | paste -sd,)
verbose=()
if [[ "${1:-}" == "--verbose" ]]; then
    verbose=(--verbose)
    shift
fi
judge() {
    python3 installer/check-deps-map.py --base "$base_list" --test "$test_list" "${verbose[@]}" "$@"
}

if [[ "${1:-}" == "--tests" ]]; then
    judge --exclude "$src" --trace test "$(cd "$caller" && realpath "$2")"
    exit
fi

build=$(cd "$caller" && cd "${1:-$src/build}" && pwd)
work=$(mktemp -d "${TMPDIR:-/tmp}/shivx-check-deps.XXXXXX")
children=()
cleanup() {
    local p
    for p in "${children[@]}"; do
        kill -KILL "$p" 2>/dev/null || true
    done
    rm -rf "$work"
}
trap cleanup EXIT
strace=(strace -f -q -y -e trace=open,openat,execve -e status=successful)
trace() { # NAME COMMAND...: runs COMMAND under strace into $work/NAME.trace
    local name=$1
    shift
    "${strace[@]}" -o "$work/$name.trace" "$@"
}
phase() { # prints how long the previous phase took
    echo "check-deps: $1 ($((SECONDS - phase_start)) s)"
    phase_start=$SECONDS
}
phase_start=$SECONDS
inputs=()

# Same options as BUILD_DIR: build type, tests, benchmarks, sanitizers, ...
export CCACHE_BASEDIR="$src" CCACHE_NOHASHDIR=1
cmake --build "$build" --parallel "$(nproc)" >/dev/null
mapfile -t options < <(sed -nE 's/^(CMAKE_BUILD_TYPE|BUILD_TESTING|SHIVX_[A-Z_]+):[A-Z]+=(.*)/-D\1=\2/p' \
    "$build/CMakeCache.txt")
trace configure cmake -S "$src" -B "$work/configure" -G Ninja "${options[@]}" >/dev/null
inputs+=(--trace base "$work/configure.trace")
phase "configure traced"

# Headers of every object (CMake's Ninja generator keeps system headers in the depfiles).
ninja -C "$build" -t deps | sed -n 's/^    \(\/.*\)/\1/p' | sort -u >"$work/headers.paths"
ninja -C "$build" -t commands >"$work/commands"
{
    grep -oE '(^|[ "=])/[^ "]+' "$work/commands" | sed -E 's/^[ "=]//'
    find "$build" -name AutogenInfo.json -exec cat {} + \
        | sed -nE 's/.*"QT_(MOC|UIC|RCC)_EXECUTABLE" *: *"([^"]+)".*/\2/p'
    sed -n 's/^CMAKE_CXX_COMPILER_LAUNCHER:[A-Z]*=//p' "$build/CMakeCache.txt"
} | sort -u >"$work/commandline.paths"
inputs+=(--paths base "$work/headers.paths" --paths base "$work/commandline.paths")
phase "headers, tools and libraries of the build listed"

# One traced link per distinct set of libraries, written to a scratch file.
n=0
while IFS= read -r cmd; do
    n=$((n + 1))
    (cd "$build" && trace "link$n" bash -c "$cmd") || {
        echo "check-deps: this link failed under strace: $cmd" >&2
        exit 1
    }
    inputs+=(--trace base "$work/link$n.trace")
done < <(grep -E '^: && /[^ ]*(c\+\+|g\+\+)[^ ]* ' "$work/commands" | grep -v ' -c ' \
    | awk -v out="$work/linked" '{
          key = $0; while (gsub(/ [^ ]+\.o( |$)| -o [^ ]+ /, " ", key)) {}
          if (!(key in seen)) { seen[key] = 1; sub(/ -o [^ ]+/, " -o " out); print } }')

phase "$n distinct links traced"

# Both programs, briefly. PID of the program itself (strace's child), when it is up.
traced_pid() { # NAME: PID of the program traced into $work/NAME.trace (its first execve)
    local pid=
    for _ in $(seq 300); do
        pid=$(head -1 "$work/$1.trace" 2>/dev/null | sed -nE 's/^([0-9]+) +execve.*/\1/p')
        [[ -n "$pid" ]] && { echo "$pid"; return; }
        sleep 0.1
    done
    echo "check-deps: $1 did not start under strace" >&2
    exit 1
}
wait_for() { # SECONDS COMMAND...: polls COMMAND every 0.2 s
    local end=$((SECONDS + $1))
    shift
    until "$@"; do
        [[ $SECONDS -ge $end ]] && return 1
        sleep 0.2
    done
}
stop() { # NAME PID STRACE_PID: saves the program's maps, then SIGTERM, SIGKILL after 10 s
    cp "/proc/$2/maps" "$work/$1.maps" 2>/dev/null || true
    inputs+=(--maps "$work/$1.maps")
    kill -TERM "$2" 2>/dev/null || true
    wait_for 10 bash -c "! kill -0 $2 2>/dev/null" || kill -KILL "$2" 2>/dev/null || true
    wait "$3" 2>/dev/null || true
}
http_get() { # HOST:PORT PATH -> status line
    exec 3<>"/dev/tcp/${1%:*}/${1#*:}" || return 1
    printf 'GET %s HTTP/1.0\r\nHost: %s\r\n\r\n' "$2" "$1" >&3
    timeout 10 head -1 <&3 | tr -d '\r'
    exec 3<&-
}
cli=$build/app/cli/shivx
console=$build/app/console/shivx-console
export XDG_DATA_HOME=$work/xdg XDG_CONFIG_HOME=$work/xdg-config XDG_CACHE_HOME=$work/xdg-cache \
    XDG_RUNTIME_DIR=$work/xdg-runtime
mkdir -m 700 "$XDG_RUNTIME_DIR"

trace version "$cli" version >/dev/null
inputs+=(--trace base "$work/version.trace")

"${strace[@]}" -o "$work/serve.trace" "$cli" serve --data-dir "$work/data" --listen 127.0.0.1:0 >"$work/serve.log" 2>&1 &
spid=$!
children+=($spid)
wait_for 60 grep -qs 'listening on http://' "$work/serve.log" || {
    echo "check-deps: shivx serve did not start:" >&2
    cat "$work/serve.log" >&2
    exit 1
}
hostport=$(grep -oE 'listening on http://[^/ ]+' "$work/serve.log" | head -1 | cut -d/ -f3)
live=$(http_get "$hostport" /api/health/live || true)
http_get "$hostport" /metrics >/dev/null || true
[[ "$live" == *" 200"* ]] || { echo "check-deps: /api/health/live answered '$live'" >&2; exit 1; }
spid_program=$(traced_pid serve)
stop serve "$spid_program" $spid
inputs+=(--trace base "$work/serve.trace")

trace report "$cli" audit verify --data-dir "$work/data" --report "$work/report.pdf" >/dev/null
inputs+=(--trace base "$work/report.trace")

run_console() { # NAME ENV...: shivx-console with ENV (the platform) in its environment
    local name=$1 tpid pid
    shift
    "${strace[@]}" -o "$work/$name.trace" env "$@" "$console" --data-dir "$work/data-$name" --listen 127.0.0.1:0 \
        >"$work/$name.log" 2>&1 &
    tpid=$!
    children+=($tpid)
    pid=$(traced_pid "$name")
    # Up when the SQLite plugin is loaded (the platform plugin is before), then time to paint.
    wait_for 60 grep -qs libqsqlite "/proc/$pid/maps" || {
        echo "check-deps: shivx-console ($name) did not come up:" >&2
        cat "$work/$name.log" >&2
        exit 1
    }
    sleep 3
    stop "$name" "$pid" "$tpid"
    inputs+=(--trace base "$work/$name.trace")
}
run_console console-offscreen QT_QPA_PLATFORM=offscreen
# On a desktop the console uses xcb: its plugin and libraries must be in the list too.
if command -v Xvfb >/dev/null; then
    Xvfb -displayfd 5 -nolisten tcp -screen 0 1280x800x24 5>"$work/display" 2>/dev/null &
    xvfb=$!
    children+=($xvfb)
    wait_for 20 test -s "$work/display" || { echo "check-deps: Xvfb did not start" >&2; exit 1; }
    run_console console-xcb -u QT_QPA_PLATFORM -u WAYLAND_DISPLAY DISPLAY=":$(cat "$work/display")"
    kill -TERM $xvfb
fi

phase "both programs run and traced"
judge --exclude "$src" --exclude "$(sed -n 's/^CMAKE_HOME_DIRECTORY:[A-Z]*=//p' "$build/CMakeCache.txt")" \
    --exclude "$build" --exclude "$work" "${inputs[@]}"
echo "check-deps: done in $((SECONDS - started)) s"
