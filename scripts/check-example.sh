#!/usr/bin/env bash
# Build one lesson example's real Dockerfile for this machine's platform and run the example's
# own check of the image: examples/<name>/image-check.sh defines `check_image`, which uses the
# functions below (build_image, run_image, start_image, stop_image, image_healthcheck) and
# returns non-zero, having said why, when the image does not do what the lesson says it does.
# (examples/ml-model has a check of its own, for two platforms: scripts/check-example-image.sh.)
#
# usage: scripts/check-example.sh NAME
#   IMAGE_BUILDER=docker or =buildah overrides the choice below.
#
# With Docker when a daemon answers (CI's example-image workflow), from the Dockerfile's pinned
# base. Otherwise (no engine, no registry) with Buildah, rootful, chroot isolation, vfs storage,
# from a local Debian bookworm base passed in through the Dockerfile's BASE_IMAGE argument (see
# scripts/image-builder.sh): the same Dockerfile, not the same image. Buildah writes Docker's
# image format, which keeps HEALTHCHECK (the OCI format has no field for it).
set -euo pipefail
cd "$(dirname "$0")/.."
sudo_=""; [ "$(id -u)" -eq 0 ] || sudo_="sudo"

fail() { echo "check-example.sh: $*" >&2; exit 2; }

[ $# -eq 1 ] || fail "usage: $0 NAME (one of: $(cd examples && ls -d */ | tr -d / | tr '\n' ' '))"
name=$1
example=examples/$name
[[ $name =~ ^[a-z0-9]+(-[a-z0-9]+)*$ ]] || fail "'$name' is not an example name (kebab-case)"
[ -f "$example/Dockerfile" ] || fail "$example/Dockerfile: no such file"
[ -f "$example/image-check.sh" ] || fail "$example/image-check.sh: no such file (it defines check_image)"

# shellcheck source=scripts/image-builder.sh
. scripts/image-builder.sh
pick_builder

work=$(mktemp -d)
containers=()
declare -A servers=() # Buildah: the process id of each started image, by name
cleanup() {
  for pid in "${servers[@]}"; do kill "$pid" 2>/dev/null || true; done
  if [ "$builder" = docker ]; then
    for container in "${containers[@]}"; do docker rm -f "$container" >/dev/null 2>&1 || true; done
  else
    for container in "${containers[@]}"; do
      buildah --storage-driver vfs rm "$container" >/dev/null 2>&1 || true
    done
  fi
  rm -rf "$work"
}
trap cleanup EXIT

case $(uname -m) in
  x86_64) arch=amd64 ;;
  aarch64) arch=arm64 ;;
  *) fail "no Debian base for this machine's architecture ($(uname -m))" ;;
esac

# build_image TAG [BUILD OPTIONS...]: the example's Dockerfile, as TAG.
build_image() {
  local tag=$1
  shift
  echo "$name: building $tag" >&2
  if [ "$builder" = docker ]; then
    docker build --quiet "$@" -t "$tag" "$example" >/dev/null
  else
    make_base "$arch"
    # --pull=never: the base is local by construction and no registry is reachable anyway.
    "${buildah[@]}" bud --isolation chroot --format docker --pull=never --quiet "$@" \
      --build-arg BASE_IMAGE="$base" -t "$tag" "$example" >/dev/null
  fi
}

# Buildah: a working container of TAG, as $container, and the image's user and command.
_buildah_container() {
  local tag=$1
  user=$("${buildah[@]}" inspect --type image --format '{{.Docker.Config.User}}' "$tag")
  mapfile -t command < <("${buildah[@]}" inspect --type image \
    --format '{{range .Docker.Config.Cmd}}{{println .}}{{end}}' "$tag" | sed '/^$/d')
  container=$("${buildah[@]}" from --pull=never "$tag")
  containers+=("$container")
}

# run_image TAG: runs what the image says to run, as the user it says to, to the end; its
# standard output is this function's.
run_image() {
  local tag=$1 user container command=()
  if [ "$builder" = docker ]; then
    docker run --rm "$tag"
  else
    _buildah_container "$tag"
    "${buildah[@]}" run --isolation chroot --user "$user" "$container" -- "${command[@]}"
  fi
}

# start_image TAG NAME HOST_PORT CONTAINER_PORT: starts the image's command in the background,
# reachable at 127.0.0.1:HOST_PORT. Buildah's chroot isolation shares this machine's network,
# so there the server itself listens on HOST_PORT (the image reads its port from $PORT).
start_image() {
  local tag=$1 handle=$2 host_port=$3 container_port=$4 user container command=()
  if [ "$builder" = docker ]; then
    containers+=("$handle")
    docker run -d --name "$handle" -p "127.0.0.1:$host_port:$container_port" "$tag" >/dev/null
  else
    _buildah_container "$tag"
    "${buildah[@]}" config --env PORT="$host_port" "$container"
    "${buildah[@]}" run --isolation chroot --user "$user" "$container" -- "${command[@]}" \
      >"$work/$handle.log" 2>&1 &
    servers[$handle]=$!
  fi
}

# stop_image NAME: stops what start_image started (SIGTERM, as `docker stop` sends first).
stop_image() {
  local handle=$1 pid
  if [ "$builder" = docker ]; then
    docker stop --time 10 "$handle" >/dev/null
  else
    pid=${servers[$handle]}
    pkill -TERM -P "$pid" 2>/dev/null || true # the server, a child of buildah run
    kill -TERM "$pid" 2>/dev/null || true
    wait "$pid" 2>/dev/null || true
    unset "servers[$handle]"
  fi
}

# image_healthcheck TAG: the command of the image's HEALTHCHECK, as the builder prints it
# (Docker: a JSON list; Buildah, whose templates have no json: a Go list), or nothing useful
# (null, <nil>, []) when the image has none.
image_healthcheck() {
  if [ "$builder" = docker ]; then
    docker image inspect --format '{{json .Config.Healthcheck.Test}}' "$1"
  else
    "${buildah[@]}" inspect --type image --format '{{.Docker.Config.Healthcheck}}' "$1"
  fi
}

# A free port on 127.0.0.1, for start_image.
free_port() {
  python3 -c 'import socket; s = socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])'
}

if [ "$builder" = buildah ]; then
  echo "no Docker daemon (or IMAGE_BUILDER=buildah): building with Buildah from a local Debian base" >&2
  scripts/ensure-debian-packages.sh buildah debootstrap
fi

# shellcheck source=/dev/null
. "$example/image-check.sh"
declare -F check_image >/dev/null || fail "$example/image-check.sh defines no check_image function"
if check_image; then
  echo "$name: image check passed ($builder, linux/$arch)"
else
  echo "$name: image check FAILED ($builder, linux/$arch)" >&2
  exit 1
fi
