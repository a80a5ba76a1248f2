#!/usr/bin/env bash
# Install the named Debian packages when their commands are missing. Each argument is a package
# whose command has its name (buildah), or package:command when they differ
# (qemu-user-static:qemu-aarch64-static).
set -euo pipefail
missing=()
for argument in "$@"; do
  package=${argument%%:*}
  command_=${argument#*:}
  command -v "$command_" >/dev/null || missing+=("$package")
done
[ ${#missing[@]} -eq 0 ] && exit 0
echo "installing Debian packages: ${missing[*]}" >&2
sudo_=""; [ "$(id -u)" -eq 0 ] || sudo_="sudo"
$sudo_ apt-get update -qq
DEBIAN_FRONTEND=noninteractive $sudo_ apt-get install -y -qq "${missing[@]}" >/dev/null
