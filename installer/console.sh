#!/usr/bin/env bash
# README command 1: install what is missing, build, and start the console on the embedded
# default configuration. Without a display it says so and runs `shivx serve` instead.
set -euo pipefail
cd "$(dirname "$0")/.."
installer/install-deps.sh
installer/build.sh
if [[ -n "${DISPLAY:-}" || -n "${WAYLAND_DISPLAY:-}" ]]; then
    exec build/app/console/shivx-console "$@"
fi
echo "No display found (DISPLAY and WAYLAND_DISPLAY are unset): running the headless engine instead."
echo "Stop it with Ctrl+C. To see the console without a display: xvfb-run -a build/app/console/shivx-console"
exec build/app/cli/shivx serve "$@"
