#!/bin/sh
# Runs one interop scenario (interop.py's arguments) against headless
# Chromium inside a network namespace of its own.
#
# Chromium gathers ICE candidates only on non-loopback interfaces, and the
# only traffic this project sends goes to loopback or to namespaces it
# made: so the test makes a namespace with a veth pair whose two ends both
# live inside it (10.77.0.1 and 10.77.0.2), and runs the signalling server,
# rtcpeerbin and Chromium there. Nothing leaves the namespace.
#
#   run-interop.sh NODE_DIR interop.py-arguments...
#   run-interop.sh NODE_DIR --example EXAMPLE.py example-arguments...
# NODE_DIR: where playwright-core is installed (npm ci, once).
set -e
here=$(cd "$(dirname "$0")" && pwd)
node_dir=$1
shift

skip () { echo "SKIP: $*"; exit 77; }

[ "$(id -u)" -eq 0 ] || skip "creating a network namespace needs root"
command -v ip >/dev/null || skip "ip (iproute2) is not installed"
[ -x /usr/bin/chromium ] || { echo "FAIL: /usr/bin/chromium is missing" \
  "(scripts/deps.sh installs it)"; exit 1; }
command -v node >/dev/null || { echo "FAIL: node is missing"; exit 1; }

# playwright-core from the lock file, once per build directory; the lock
# lets concurrent tests wait for the first install
mkdir -p "$node_dir"
(
  flock 9
  if [ ! -f "$node_dir/node_modules/playwright-core/package.json" ] ||
     ! cmp -s "$here/package-lock.json" "$node_dir/package-lock.json"; then
    cp "$here/package.json" "$here/package-lock.json" "$node_dir/"
    (cd "$node_dir" && npm ci --no-audit --no-fund --loglevel=error)
  fi
) 9>"$node_dir/.lock"
export NODE_PATH="$node_dir/node_modules"

ns="rtcpeer-interop-$$"
ip netns add "$ns" || skip "cannot create a network namespace here"
trap 'ip netns delete "$ns"; rm -rf "/etc/netns/$ns"' EXIT INT TERM
# Names for the two addresses, as a browser's mDNS responder would announce
# them; "ip netns exec" shows this file as /etc/hosts inside, so the system
# resolver that rtcpeerbin asks answers for them (interop.py --mdns-rewrite)
mkdir -p "/etc/netns/$ns"
n0="$(cat /proc/sys/kernel/random/uuid).local"
n1="$(cat /proc/sys/kernel/random/uuid).local"
printf '127.0.0.1 localhost\n10.77.0.1 %s\n10.77.0.2 %s\n' "$n0" "$n1" \
  >"/etc/netns/$ns/hosts"
export RTC_INTEROP_MDNS="10.77.0.1=$n0,10.77.0.2=$n1"
ip netns exec "$ns" sh -e -c '
  ip link set lo up
  ip link add rtc0 type veth peer name rtc1
  ip addr add 10.77.0.1/24 dev rtc0
  ip addr add 10.77.0.2/24 dev rtc1
  ip link set rtc0 up
  ip link set rtc1 up'
if [ "$1" = "--example" ]; then
  shift
  ip netns exec "$ns" /usr/bin/python3 "$here/open-example.py" "$@"
else
  ip netns exec "$ns" /usr/bin/python3 "$here/interop.py" \
    --ice-address 10.77.0.1 "$@"
fi
