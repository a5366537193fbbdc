#!/bin/sh
# Configures (once) and builds rtcpeer in $1 (default: build), with any
# further arguments passed to meson setup.
set -e
cd "$(dirname "$0")/.."
dir=${1:-build}
[ $# -gt 0 ] && shift
if [ ! -f "$dir/build.ninja" ]; then
  meson setup "$dir" "$@" >/dev/null
fi
ninja -C "$dir" >/dev/null
