#!/usr/bin/env bash
# npm installs Mermaid and axe-core from package-lock.json; install Node.js from Debian if absent.
set -euo pipefail
if command -v npm >/dev/null; then exit 0; fi
echo "npm not found: installing Debian's nodejs and npm" >&2
sudo_=""; [ "$(id -u)" -eq 0 ] || sudo_="sudo"
$sudo_ apt-get update -qq
DEBIAN_FRONTEND=noninteractive $sudo_ apt-get install -y -qq nodejs npm
