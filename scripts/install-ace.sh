#!/bin/sh
# Ace by DAISY, the EPUB accessibility checker the tests and `tearsheet check --accessibility` run:
# Chromium from Debian (installed when run as root) and the Node package pinned in package-lock.json,
# in ./node_modules. No browser is downloaded: Ace drives the system's Chromium.
set -eu
cd "$(dirname "$0")/.."

browser=""
for name in chromium chromium-browser google-chrome; do
    if command -v "$name" >/dev/null 2>&1; then browser=$(command -v "$name"); break; fi
done
if [ -z "$browser" ]; then
    if [ "$(id -u)" = "0" ] && command -v apt-get >/dev/null 2>&1; then
        echo "tearsheet: installing chromium (for Ace)"
        export DEBIAN_FRONTEND=noninteractive
        apt-get update -qq >/dev/null
        apt-get install -y -qq --no-install-recommends chromium >/dev/null
    else
        echo "tearsheet: error: Ace needs Chromium: sudo apt-get install chromium" >&2
        exit 1
    fi
fi

wanted=$(sed -n 's/.*"@daisy\/ace": "\([^"]*\)".*/\1/p' package.json)
have=$(sed -n 's/^  "version": "\([^"]*\)".*/\1/p' node_modules/@daisy/ace/package.json 2>/dev/null || true)
if [ -x node_modules/.bin/ace-puppeteer ] && [ "$have" = "$wanted" ]; then
    exit 0
fi
if ! command -v npm >/dev/null 2>&1; then
    echo "tearsheet: error: Ace needs Node.js and npm (sudo apt-get install nodejs npm)" >&2
    exit 1
fi
echo "tearsheet: installing Ace by DAISY $wanted (npm ci)"
# Electron and Puppeteer's own Chromium are not needed (ace-puppeteer drives the system's):
# their download scripts are skipped.
ELECTRON_SKIP_BINARY_DOWNLOAD=1 PUPPETEER_SKIP_DOWNLOAD=1 npm ci --ignore-scripts --no-audit --no-fund --loglevel=error
