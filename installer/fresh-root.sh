#!/usr/bin/env bash
# Runs the README's two commands in a fresh Debian 12 root, as a new user of a fresh install
# would: `bash installer/console.sh` (no display there, so it serves; checked through
# /api/health/live, then stopped) and `bash installer/test.sh`. Run it whenever a dependency
# changes (docs/development.md, "Set-up checks"). Needs root; installs debootstrap if missing.
#
#   installer/fresh-root.sh [--dir DIR] [--reuse] [--keep-ccache]
#     --dir DIR      where the root lives (default /var/tmp/shivx-fresh-root); DIR/root is the
#                    root, DIR/minbase.tar the untouched debootstrap result, DIR/*.log the logs
#     --reuse        start from DIR/minbase.tar of an earlier run instead of a new debootstrap
#                    (saves the download; the root is still rebuilt from the untouched copy)
#     --keep-ccache  bind the host's ccache into the root (faster; default is a cold cache)
#
# The root is made with `debootstrap --variant=minbase bookworm` from the Debian mirror apt
# already uses here, then made to look like an installed system: /etc/hosts (minbase has
# none, and tests resolve localhost), the root bind-mounted onto itself (so it is a mount
# point, as / is: tests list filesystems), /proc, /sys, /dev, /dev/pts, /dev/shm and /run.
# The repository goes in as a clone of the committed HEAD: uncommitted files cannot hide a
# missing step. Everything is unmounted on exit, also on failure.
set -euo pipefail

dir=/var/tmp/shivx-fresh-root
reuse=0
keep_ccache=0
while [[ $# -gt 0 ]]; do
    case "$1" in
        --dir) dir=$2; shift 2 ;;
        --reuse) reuse=1; shift ;;
        --keep-ccache) keep_ccache=1; shift ;;
        *) echo "fresh-root.sh: unknown argument '$1' (see the header of $0)" >&2; exit 2 ;;
    esac
done
if [[ $(id -u) -ne 0 ]]; then
    echo "fresh-root.sh: needs root (debootstrap, mount, chroot)" >&2
    exit 2
fi
repo=$(cd "$(dirname "$0")/.." && pwd)
head=$(git -C "$repo" rev-parse HEAD)
mkdir -p "$dir"
dir=$(cd "$dir" && pwd)
root=$dir/root
suite=bookworm

steps=()
step_start=0
begin() { step_start=$SECONDS; echo "== $1"; }
record() { # NAME RESULT
    local line
    line=$(printf '%-44s %-6s %5d s' "$1" "$2" $((SECONDS - step_start)))
    steps+=("$line")
    echo "== $line"
}
summary() {
    echo
    echo "fresh-root summary (HEAD $head, root $root):"
    printf '  %s\n' "${steps[@]}"
}

mounted_under() { # lists mount points at or below $1, deepest first
    awk -v r="$1" '$2 == r || index($2, r "/") == 1 { print $2 }' /proc/self/mounts | sort -r
}
stop_root_processes() {
    local p
    for p in /proc/[0-9]*; do
        if [[ "$(readlink "$p/root" 2>/dev/null)" == "$root" ]]; then
            kill -KILL "${p#/proc/}" 2>/dev/null || true
        fi
    done
}
unmount_all() {
    stop_root_processes
    local m
    for m in $(mounted_under "$root"); do
        umount "$m" 2>/dev/null || umount -l "$m"
    done
}
remove_root() {
    unmount_all
    if [[ -n "$(mounted_under "$root")" ]]; then
        echo "fresh-root.sh: still mounted under $root, not removing it:" >&2
        mounted_under "$root" >&2
        exit 1
    fi
    rm -rf --one-file-system "$root"
}
cleanup() {
    local rc=$?
    unmount_all
    summary
    exit $rc
}
trap cleanup EXIT

# "URI SUITE" for every deb source apt reads here (one-line and deb822 formats).
apt_sources() {
    local f
    for f in /etc/apt/sources.list /etc/apt/sources.list.d/*.list; do
        [[ -f "$f" ]] || continue
        awk '$1 == "deb" { i = 2; if ($2 ~ /^\[/) { while ($i !~ /\]$/) i++; i++ }
                           print $i, $(i + 1) }' "$f"
    done
    for f in /etc/apt/sources.list.d/*.sources; do
        [[ -f "$f" ]] || continue
        awk 'function flush() { if (types ~ /(^| )deb( |$)/ && enabled != "no")
                                    for (u in uris) for (s in suites) print uris[u], suites[s]
                                types = ""; enabled = ""; delete uris; delete suites }
             /^[ \t]*$/ { flush(); next }
             /^#/ { next }
             tolower($1) == "types:" { $1 = ""; types = $0 }
             tolower($1) == "enabled:" { enabled = tolower($2) }
             tolower($1) == "uris:" { for (i = 2; i <= NF; i++) uris[i] = $i }
             tolower($1) == "suites:" { for (i = 2; i <= NF; i++) suites[i] = $i }
             END { flush() }' "$f"
    done
}
mirror=$(apt_sources | awk -v s=$suite '$2 == s { print $1; exit }')
if [[ -z "$mirror" ]]; then
    echo "fresh-root.sh: no 'deb ... $suite' source in /etc/apt/sources.list{,.d}" >&2
    exit 1
fi

begin "debootstrap --variant=minbase $suite ($mirror)"
if ! command -v debootstrap >/dev/null; then
    DEBIAN_FRONTEND=noninteractive apt-get install -y -q --no-install-recommends debootstrap
fi
remove_root
if [[ $reuse -eq 1 && -f "$dir/minbase.tar" ]]; then
    mkdir "$root"
    tar -C "$root" -xpf "$dir/minbase.tar"
    record "minbase root (reused $dir/minbase.tar)" ok
else
    rm -f "$dir/minbase.tar"
    if ! debootstrap --variant=minbase "$suite" "$root" "$mirror" >"$dir/debootstrap.log" 2>&1; then
        tail -20 "$dir/debootstrap.log" >&2
        record "debootstrap (log: $dir/debootstrap.log)" FAIL
        exit 1
    fi
    tar -C "$root" -cpf "$dir/minbase.tar" .
    record "debootstrap --variant=minbase $suite" ok
fi

begin "set up the root as an installed system"
# The same suites as here (bookworm, -updates, -security), as a Debian 12 install has them.
apt_sources | awk -v s=$suite '$2 == s || index($2, s "-") == 1 { print "deb " $1 " " $2 " main" }' \
    | sort -u >"$root/etc/apt/sources.list"
printf '127.0.0.1\tlocalhost\n::1\t\tlocalhost ip6-localhost ip6-loopback\n' >"$root/etc/hosts"
echo shivx-fresh >"$root/etc/hostname"
cp -L /etc/resolv.conf "$root/etc/resolv.conf"
# Private: on a host whose / is shared (systemd), mounts made below must not show up there.
mount --bind "$root" "$root"
mount --make-private "$root"
mount -t proc proc "$root/proc"
mount -t sysfs sysfs "$root/sys"
mount --bind /dev "$root/dev"
mount --make-private "$root/dev"
mount --bind /dev/pts "$root/dev/pts"
mount -t tmpfs -o mode=1777 shm "$root/dev/shm"
mount -t tmpfs -o mode=755 run "$root/run"
if [[ $keep_ccache -eq 1 ]]; then
    host_ccache=$(ccache -k cache_dir 2>/dev/null || echo "$HOME/.cache/ccache")
    mkdir -p "$root/root/.cache/ccache"
    mount --bind "$host_ccache" "$root/root/.cache/ccache"
fi
git clone -q --no-hardlinks "$repo" "$root/root/shivx"
git -C "$root/root/shivx" checkout -q --detach "$head"
record "root set up, repository at ${head:0:7}" ok

# A login shell of a new user: nothing of this machine's environment comes along but the
# locale every Debian 12 has (C.UTF-8; ccache keys its results on LANG too). It replaces the
# calling (sub)shell, so that the caller's $! is the program the command ends in.
in_root() {
    exec chroot "$root" /usr/bin/env -i HOME=/root TERM=dumb LANG=C.UTF-8 \
        PATH=/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin \
        /bin/bash -c "cd /root/shivx && exec $1"
}

# Command 1. There is no display in the root, so it builds and runs `shivx serve`. The host
# shares the loopback with other programs, so the port is picked free (--listen 127.0.0.1:0).
begin "bash installer/console.sh"
log=$dir/console.log
(in_root "bash installer/console.sh --listen 127.0.0.1:0") >"$log" 2>&1 &
pid=$!
url=
while kill -0 $pid 2>/dev/null; do
    url=$(grep -oE 'listening on http://[0-9.]+:[0-9]+' "$log" | head -1 | cut -d' ' -f3 || true)
    [[ -n "$url" ]] && break
    sleep 2
done
live=
if [[ -n "$url" ]]; then
    hostport=${url#http://}
    # bash's /dev/tcp: the host may have no HTTP client installed.
    if exec 3<>"/dev/tcp/${hostport%:*}/${hostport#*:}"; then
        printf 'GET /api/health/live HTTP/1.0\r\nHost: %s\r\n\r\n' "$hostport" >&3
        # head reads the socket itself: a `cat | head` would die of SIGPIPE (pipefail).
        live=$(timeout 10 head -1 <&3 | tr -d '\r' || true)
        exec 3<&-
    fi
fi
if kill -0 $pid 2>/dev/null; then
    kill -TERM $pid
fi
serve_rc=0
wait $pid || serve_rc=$?
echo "   served at ${url:-nothing}: ${live:-no answer}; exit status after SIGTERM: $serve_rc (log: $log)"
if [[ "$live" == *" 200"* && $serve_rc -eq 0 ]]; then
    record "bash installer/console.sh (served, live 200)" ok
else
    tail -30 "$log" >&2
    record "bash installer/console.sh (log: $log)" FAIL
    exit 1
fi

begin "bash installer/test.sh"
log=$dir/test.log
test_rc=0
(in_root "bash installer/test.sh") >"$log" 2>&1 || test_rc=$?
grep -E 'tests passed|tests failed|Total Test time' "$log" | sed 's/^/   /' || true
if [[ $test_rc -eq 0 ]]; then
    record "bash installer/test.sh" ok
else
    tail -40 "$log" >&2
    record "bash installer/test.sh (exit $test_rc, log: $log)" FAIL
    exit 1
fi
