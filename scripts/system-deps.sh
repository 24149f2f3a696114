#!/bin/sh
# Debian packages the app and its tests need: Qt's runtime libraries (offscreen
# and on a desktop) and PostgreSQL's server binaries, which the test suite
# starts itself. Installs only what is missing, and only when it can (root + apt).
set -e
PKGS="libegl1 libgl1 libopengl0 libxkbcommon0 libxkbcommon-x11-0 libfontconfig1 libdbus-1-3 libglib2.0-0 libxcb-cursor0 postgresql poppler-utils zbar-tools libpulse0"
missing=""
for p in $PKGS; do
    dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "install ok installed" || missing="$missing $p"
done
[ -z "$missing" ] && exit 0
if [ "$(id -u)" = 0 ] && command -v apt-get >/dev/null 2>&1; then
    echo "Installing Debian packages:$missing"
    export DEBIAN_FRONTEND=noninteractive
    apt-get update -qq
    apt-get install -y -qq --no-install-recommends $missing >/dev/null
else
    echo "Missing Debian packages:$missing"
    echo "Install them with: sudo apt-get install$missing"
    exit 1
fi
