#!/bin/sh
# The cores take bytes and time in and give bytes and events out; they must
# not reach for pads, elements, clocks, main contexts, threads or sockets.
dir=${1:-gst/rtcpeer/core}
bad=$(grep -rnE 'GstPad|GstElement|gst_clock_|g_main_context_|g_thread_|GThread|socket\(|g_get_monotonic_time|g_get_real_time' \
  --include='*.c' --include='*.h' "$dir" |
  grep -vE '^[^:]+:[0-9]+: *(\*|/\*|//)')
if [ -n "$bad" ]; then
  echo "core code reaches outside its boundary:" >&2
  echo "$bad" >&2
  exit 1
fi
exit 0
