#!/usr/bin/env bash
# Installs what ShivX needs to build, test and run on Debian 12, and nothing more.
# Idempotent: when everything is present it returns at once without touching apt.
# ca-certificates: HTTPS probes verify against its bundle, /etc/ssl/certs/ca-certificates.crt
# (libcurl only recommends it, and nothing else here depends on it).
#   installer/install-deps.sh          build + run dependencies
#   installer/install-deps.sh --test   also what the test suite uses (promtool, Xvfb, python3 and
#                                      zstd for the audit reference verifier and the backup
#                                      reference restorer with python3-cryptography, pdftotext,
#                                      clang-format for the style check, strace for the
#                                      dependency check)
#   installer/install-deps.sh --bench  also the peers the benchmarks run side by side (never
#                                      needed by the tests or CI; docs/development.md, Benchmarks)
#   installer/install-deps.sh [--test] [--bench] --list   print the list, one package a line, and stop
set -euo pipefail
with_test=0
with_bench=0
list_only=0
for arg in "$@"; do
    case "$arg" in
        --test) with_test=1 ;;
        --bench) with_bench=1 ;;
        --list) list_only=1 ;;
        *) echo "install-deps.sh: unknown argument '$arg' (--test, --bench, --list)" >&2; exit 2 ;;
    esac
done

packages=(
    build-essential cmake ninja-build ccache pkg-config
    qt6-base-dev qt6-charts-dev qt6-httpserver-dev qt6-websockets-dev qt6-tools-dev
    qt6-l10n-tools qt6-tools-dev-tools qt6-qpa-plugins libqt6sql6-sqlite fonts-dejavu-core
    libssl-dev libyaml-cpp-dev libzstd-dev libgl-dev libqt6opengl6-dev libcurl4-openssl-dev
    ca-certificates libsqlite3-dev libpcre2-dev
    qtkeychain-qt6-dev libsecret-1-0 # backup keyring slots; QtKeychain loads libsecret at run time
)
if [[ $with_test -eq 1 ]]; then
    packages+=(prometheus prometheus-alertmanager xvfb xauth openssl python3 zstd poppler-utils
        clang-format strace python3-cryptography rclone openssh-server)
    packages+=(trayer dbus-daemon) # tst_alerttray: a tray host under Xvfb, a private session bus
    packages+=(gnome-keyring) # tst_keyringslot: a Secret Service of its own on that private bus
    # tst_postgresjobstore, tst_pipelinescaleout, tst_postgresdump (also its pg_dump, pg_restore):
    # a private server each test starts itself
    packages+=(postgresql libqt6sql6-psql)
fi
if [[ $with_bench -eq 1 ]]; then
    packages+=(monit restic borgbackup fail2ban aide)
    packages+=(graphviz) # dot: bench_daglayout's peer
fi
if [[ $list_only -eq 1 ]]; then
    printf '%s\n' "${packages[@]}"
    exit 0
fi

missing=()
for p in "${packages[@]}"; do
    if ! dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "install ok installed"; then
        missing+=("$p")
    fi
done

if [[ ${#missing[@]} -eq 0 ]]; then
    exit 0
fi

if [[ $(id -u) -ne 0 ]]; then
    if command -v sudo >/dev/null && sudo -n true 2>/dev/null; then
        SUDO=sudo
    else
        echo "Missing packages: ${missing[*]}" >&2
        echo "Install them as root with:" >&2
        echo "  apt-get update && apt-get install -y --no-install-recommends ${missing[*]}" >&2
        exit 1
    fi
else
    SUDO=
fi

echo "Installing: ${missing[*]}"
export DEBIAN_FRONTEND=noninteractive
$SUDO apt-get update -q
# Servers in the list (prometheus, and the peers the tests and benchmarks start themselves) would
# start as system services through their postinst; policy-rc.d keeps every service from starting
# during the install: the tests start their own copies on loopback.
if [[ ! -e /usr/sbin/policy-rc.d ]]; then
    printf '#!/bin/sh\nexit 101\n' | $SUDO tee /usr/sbin/policy-rc.d >/dev/null
    $SUDO chmod +x /usr/sbin/policy-rc.d
    trap '$SUDO rm -f /usr/sbin/policy-rc.d' EXIT
fi
# postgresql-15's postinst would also create (initdb) and start a system cluster; the tests initdb
# their own into a temporary directory. A drop-in in createcluster.d (which createcluster.conf
# includes last) turns that off before the package is configured; unlike editing
# createcluster.conf itself, it does not collide with that conffile when postgresql-common arrives
# in the same install.
if [[ " ${missing[*]} " == *" postgresql "* ]]; then
    $SUDO mkdir -p /etc/postgresql-common/createcluster.d
    echo 'create_main_cluster = false' \
        | $SUDO tee /etc/postgresql-common/createcluster.d/shivx-no-main-cluster.conf >/dev/null
fi
$SUDO apt-get install -y -q --no-install-recommends "${missing[@]}"
