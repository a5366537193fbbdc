#!/bin/sh
# Installs the Debian 12 packages rtcpeer builds, tests and demos with, at
# the distribution's current versions: missing ones are installed and
# installed ones are upgraded, so that every machine (a newcomer's, CI's)
# runs what a fresh install gets today. The -dev packages depend on their
# libraries' exact versions, so those follow.
#   RTC_DEPS_NO_UPGRADE=1  only install what is missing (offline work)
set -e
PKGS="meson ninja-build pkg-config gcc clang
libglib2.0-dev libgstreamer1.0-dev libgstreamer-plugins-base1.0-dev
libgstreamer-plugins-bad1.0-dev libnice-dev libssl-dev libsrtp2-dev
libusrsctp-dev libsoup-3.0-dev libjson-glib-dev
openssl gstreamer1.0-tools gstreamer1.0-plugins-base
gstreamer1.0-plugins-good gstreamer1.0-plugins-bad gstreamer1.0-nice
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
if [ -n "$RTC_DEPS_NO_UPGRADE" ]; then
  [ -z "$missing" ] && exit 0
  PKGS=$missing
fi

SUDO=""
[ "$(id -u)" -ne 0 ] && SUDO="sudo"
export DEBIAN_FRONTEND=noninteractive
$SUDO apt-get update -qq
# "install" of an installed package upgrades it to the candidate version.
# shellcheck disable=SC2086
$SUDO apt-get install -y -qq --no-install-recommends $PKGS >/dev/null
dpkg-query -W -f='${Package} ${Version}\n' libssl3 libnice10 libsrtp2-1 \
  libusrsctp2 libgstreamer1.0-0 gstreamer1.0-plugins-good 2>/dev/null |
  sed 's/^/deps: /'
