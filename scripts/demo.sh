#!/bin/sh
# The README's first command: install what is missing, build, run the demo.
set -e
cd "$(dirname "$0")/.."
sh scripts/deps.sh
sh scripts/build.sh build
export GST_PLUGIN_PATH="$PWD/build/gst/rtcpeer${GST_PLUGIN_PATH:+:$GST_PLUGIN_PATH}"
echo "== gst-inspect-1.0 rtcpeerbin (first lines)"
gst-inspect-1.0 rtcpeerbin | sed -n '1,12p'
echo
echo "== a call between two rtcpeerbins (VP8 + Opus both ways, loopback)"
exec /usr/bin/python3 examples/two_peers.py 5
