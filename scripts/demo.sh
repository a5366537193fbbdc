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
echo "== one gst-launch-1.0 line: two rtcpeerbins negotiate by themselves (peer=a)"
line="videotestsrc num-buffers=90 ! vp8enc deadline=1 ! rtcpeerbin name=a ice-addresses=127.0.0.1  rtcpeerbin peer=a ice-addresses=127.0.0.1 ! decodebin ! fakesink"
echo "gst-launch-1.0 -e $line"
# shellcheck disable=SC2086
out=$(gst-launch-1.0 -e $line 2>&1) || { echo "$out"; exit 1; }
echo "$out" | tail -n 3
echo
echo "== a call between two rtcpeerbins (VP8 + Opus both ways, loopback)"
exec /usr/bin/python3 examples/two_peers.py 5
