#!/bin/sh
# System packages Tearsheet's outputs need. Installed with apt-get when run as
# root; otherwise named, with the command to install them.
#   libharfbuzz-subset0  WeasyPrint subsets fonts with HarfBuzz (else fontTools, ~40% of PDF time)
#   librsvg2-bin         pandoc needs rsvg-convert to put SVG images into DOCX
#   fonts-noto-*         glyphs for the world's scripts and emoji (else blank boxes)
set -eu
PACKAGES="libharfbuzz-subset0 librsvg2-bin fonts-noto-core fonts-noto-cjk fonts-noto-color-emoji"

missing=""
for pkg in $PACKAGES; do
    dpkg-query -W -f='${Status}' "$pkg" 2>/dev/null | grep -q "install ok installed" || missing="$missing $pkg"
done
[ -z "$missing" ] && exit 0

if [ "$(id -u)" = "0" ] && command -v apt-get >/dev/null 2>&1; then
    echo "tearsheet: installing system packages:$missing"
    export DEBIAN_FRONTEND=noninteractive
    apt-get update -qq >/dev/null
    # shellcheck disable=SC2086
    apt-get install -y -qq --no-install-recommends $missing >/dev/null
else
    echo "tearsheet: warning: missing system packages:$missing" >&2
    echo "tearsheet: warning: install them with: sudo apt-get install$missing" >&2
    echo "tearsheet: warning: without them SVG images are left out of DOCX and some scripts render as boxes" >&2
fi
