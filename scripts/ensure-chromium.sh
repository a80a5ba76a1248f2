#!/usr/bin/env bash
# Browser tests drive a real Chromium through Playwright. Playwright's own browser download is
# not available everywhere, so they use Debian's chromium (or CHROMIUM_PATH, e.g. Google Chrome
# on GitHub's runners). Install Debian's chromium when neither is there.
set -euo pipefail
path=${CHROMIUM_PATH:-/usr/bin/chromium}
if [ -x "$path" ]; then exit 0; fi
if [ -n "${CHROMIUM_PATH:-}" ]; then
  echo "error: CHROMIUM_PATH=$CHROMIUM_PATH is not an executable" >&2
  exit 1
fi
echo "chromium not found: installing Debian's chromium" >&2
sudo_=""; [ "$(id -u)" -eq 0 ] || sudo_="sudo"
$sudo_ apt-get update -qq
DEBIAN_FRONTEND=noninteractive $sudo_ apt-get install -y -qq chromium fonts-dejavu-core
