#!/usr/bin/env bash
# Browser tests drive Debian's chromium through Playwright (playwright's own browser download
# is not available everywhere). Install it when it is missing.
set -euo pipefail
if [ -x /usr/bin/chromium ]; then exit 0; fi
echo "chromium not found: installing Debian's chromium" >&2
sudo_=""; [ "$(id -u)" -eq 0 ] || sudo_="sudo"
$sudo_ apt-get update -qq
DEBIAN_FRONTEND=noninteractive $sudo_ apt-get install -y -qq chromium fonts-dejavu-core
