#!/bin/sh
# Installs the Debian 12 packages rtcpeer builds, tests and demos with,
# when any is missing. Safe to run again: it does nothing when all are there.
set -e
PKGS="meson ninja-build pkg-config gcc
libglib2.0-dev libgstreamer1.0-dev libgstreamer-plugins-base1.0-dev
libgstreamer-plugins-bad1.0-dev libnice-dev libssl-dev libsrtp2-dev
libusrsctp-dev libsoup-3.0-dev libjson-glib-dev
gstreamer1.0-tools gstreamer1.0-plugins-base gstreamer1.0-plugins-good
gstreamer1.0-plugins-bad gstreamer1.0-nice
python3-gi gir1.2-gstreamer-1.0 gir1.2-gst-plugins-base-1.0
gir1.2-gst-plugins-bad-1.0 gir1.2-nice-0.1 libclang-rt-14-dev coturn
chromium iproute2"
# Node.js drives Chromium in tests/interop; any packaging of it will do
command -v node >/dev/null && command -v npm >/dev/null ||
  PKGS="$PKGS nodejs npm"

missing=""
for p in $PKGS; do
  dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "ok installed" ||
    missing="$missing $p"
done
[ -z "$missing" ] && exit 0

echo "Installing:$missing"
SUDO=""
[ "$(id -u)" -ne 0 ] && SUDO="sudo"
export DEBIAN_FRONTEND=noninteractive
$SUDO apt-get update -qq
# shellcheck disable=SC2086
$SUDO apt-get install -y -qq --no-install-recommends $missing >/dev/null
