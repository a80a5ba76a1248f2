#!/usr/bin/env bash
# Build examples/ml-model's real Dockerfile for linux/amd64 and for linux/arm64, run each image,
# and check each run's output: the predictions identical to examples/ml-model/expected-output.json,
# the architecture it reports (x86_64, aarch64), and the kernel release of the host that ran it
# (a container has no kernel of its own, and an emulated one passes its system calls to the
# host's). For the Buildah build below, also the same python, numpy, system and architecture as
# the committed report examples/ml-model/reports/linux-<arch>.json.
#
# usage: scripts/check-example-image.sh [--record] [--output-dir DIR]
#   --record          once the checks pass, write each run's output to examples/ml-model/reports/
#                     (re-records the committed reports; Buildah only, as they describe its build)
#   --output-dir DIR  keep each run's output as DIR/linux-amd64.json and DIR/linux-arm64.json
#   IMAGE_BUILDER=docker or =buildah overrides the choice below.
#
# With Docker when a daemon answers: the daemon's own platform through examples/ml-model/
# commands.sh, the exact commands the lesson shows, the other with `docker build --platform`.
# That builds from the pinned python:3.12-slim, so its Python is not the committed reports' and
# they are not compared.
#
# Otherwise (no engine, no registry) with Buildah: rootful, chroot isolation, vfs storage, from a
# local Debian bookworm base made with debootstrap (Debian's Python 3.11) and passed in through
# the Dockerfile's BASE_IMAGE argument in place of the pinned python:3.12-slim. The arm64 base is
# made, and the arm64 image built and run, under QEMU user-mode emulation. So this is the same
# Dockerfile, but not the same image that CI (.github/workflows/example-image.yml) builds. The
# bases are cached in ~/.cache/mlops-visual-patterns/.
set -euo pipefail
cd "$(dirname "$0")/.."
example=examples/ml-model
# Each platform as <Debian architecture>:<what platform.machine() reports on it>
platforms=(amd64:x86_64 arm64:aarch64)
sudo_=""; [ "$(id -u)" -eq 0 ] || sudo_="sudo"

fail() { echo "check-example-image.sh: $*" >&2; exit 2; }

record=false
output_dir=""
while [ $# -gt 0 ]; do
  case $1 in
    --record) record=true ;;
    --output-dir) [ $# -ge 2 ] || fail "--output-dir needs a directory"; output_dir=$2; shift ;;
    *) fail "unknown argument '$1' (usage: $0 [--record] [--output-dir DIR])" ;;
  esac
  shift
done

# shellcheck source=scripts/image-builder.sh
. scripts/image-builder.sh
pick_builder
if $record && [ "$builder" != buildah ]; then
  fail "--record needs the Buildah build: the committed reports describe it (IMAGE_BUILDER=buildah, as root)"
fi

work=$(mktemp -d)
containers=()
cleanup() {
  for container in "${containers[@]}"; do
    buildah --storage-driver vfs rm "$container" >/dev/null 2>&1 || true
  done
  rm -rf "$work"
}
trap cleanup EXIT
runs=${output_dir:-$work/runs}
mkdir -p "$runs"

# Runs one platform's image and leaves its output in $runs/linux-<arch>.json.
run_with_docker() {
  local arch=$1 machine=$2 output=$runs/linux-$1.json
  if [ "$machine" = "$(docker info --format '{{.Architecture}}')" ]; then
    echo "linux/$arch: running $example/commands.sh" >&2
    (cd "$example" && sh commands.sh) >"$output"
  else
    # Docker Desktop (macOS, Windows) brings its own emulation; a Linux engine uses this host's.
    if [ "$(uname -s)" = Linux ]; then ensure_emulation "$machine"; fi
    echo "linux/$arch: docker build --platform linux/$arch" >&2
    docker build --quiet --platform "linux/$arch" -t "ml-model:1.0-$arch" "$example" >/dev/null
    docker run --rm --platform "linux/$arch" "ml-model:1.0-$arch" >"$output"
  fi
}

run_with_buildah() {
  local arch=$1 machine=$2 tag=localhost/ml-model:1.0-$1 user container
  local command=()
  [ "$machine" = "$(uname -m)" ] || ensure_emulation "$machine"
  make_base "$arch"
  echo "linux/$arch: buildah bud from $base" >&2
  # --pull=never: the base is local by construction and no registry is reachable anyway.
  "${buildah[@]}" bud --isolation chroot --platform "linux/$arch" --pull=never --quiet \
    --build-arg BASE_IMAGE="$base" -t "$tag" "$example" >/dev/null
  # Run what the image says to run, as the user it says to run as.
  user=$("${buildah[@]}" inspect --type image --format '{{.OCIv1.Config.User}}' "$tag")
  mapfile -t command < <("${buildah[@]}" inspect --type image \
    --format '{{range .OCIv1.Config.Cmd}}{{println .}}{{end}}' "$tag" | sed '/^$/d')
  container=$("${buildah[@]}" from --pull=never --platform "linux/$arch" "$tag")
  containers+=("$container")
  "${buildah[@]}" run --isolation chroot --user "$user" "$container" -- "${command[@]}" \
    >"$runs/linux-$arch.json"
}

if [ "$builder" = docker ]; then
  echo "building with Docker" >&2
  # The containers share the daemon's kernel, which is this machine's only when it runs here.
  kernel=$(docker info --format '{{.KernelVersion}}')
else
  echo "no Docker daemon (or IMAGE_BUILDER=buildah): building with Buildah from local Debian bases" >&2
  scripts/ensure-debian-packages.sh buildah debootstrap
  kernel=$(uname -r)
fi

status=0
for platform in "${platforms[@]}"; do
  arch=${platform%%:*} machine=${platform#*:}
  "run_with_$builder" "$arch" "$machine"
  output=$runs/linux-$arch.json
  cat "$output"
  checks=(--architecture "$machine" --kernel-release "$kernel")
  if [ "$builder" = buildah ] && ! $record; then
    checks+=(--environment-of "$example/reports/linux-$arch.json")
  fi
  python3 scripts/compare_predictions.py "$output" "$example/expected-output.json" "${checks[@]}" ||
    status=1
done
if [ "$builder" = buildah ]; then
  "${buildah[@]}" rmi --prune >/dev/null 2>&1 || true  # earlier builds' untagged images
fi
[ "$status" -eq 0 ] || exit "$status"

if $record; then
  mkdir -p "$example/reports"
  for platform in "${platforms[@]}"; do
    cp "$runs/linux-${platform%%:*}.json" "$example/reports/"
  done
  echo "recorded $example/reports/linux-amd64.json and linux-arm64.json" >&2
fi
