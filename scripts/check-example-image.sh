#!/usr/bin/env bash
# Build examples/ml-model's real Dockerfile, run the image, and compare its predictions with
# examples/ml-model/expected-output.json. With Docker this runs examples/ml-model/commands.sh,
# the exact commands the lesson shows; with Buildah, their equivalent.
#
# With Docker when a daemon answers. Otherwise (no engine, no registry) with Buildah, rootful,
# chroot isolation and vfs storage, from a local Debian base made with debootstrap and passed in
# through the Dockerfile's BASE_IMAGE build argument. The base is cached between runs.
set -euo pipefail
cd "$(dirname "$0")/.."
example=examples/ml-model
tag=ml-model:1.0
output=$(mktemp)
trap 'rm -f "$output"' EXIT

if docker info >/dev/null 2>&1; then
  echo "building with Docker: running $example/commands.sh" >&2
  (cd "$example" && sh commands.sh) >"$output"
else
  echo "no Docker daemon: building with Buildah from a local Debian base" >&2
  scripts/ensure-debian-packages.sh buildah debootstrap
  buildah=(buildah --storage-driver vfs)
  # Everything that goes into the base is named here; a change makes a new cache key.
  base_packages=python3,python3-pip,python-is-python3,ca-certificates
  recipe="bookworm minbase $base_packages host-ca-bundle v1"
  key=$(printf '%s' "$recipe" | sha256sum | cut -c1-12)
  base=localhost/ml-model-base:bookworm-$key
  cache=${XDG_CACHE_HOME:-$HOME/.cache}/mlops-visual-patterns
  archive=$cache/ml-model-base-$key.tar
  if ! "${buildah[@]}" inspect --type image "$base" >/dev/null 2>&1; then
    if [ -f "$archive" ]; then
      echo "base: from cache $archive" >&2
      "${buildah[@]}" pull -q "oci-archive:$archive" >/dev/null
    fi
  fi
  if ! "${buildah[@]}" inspect --type image "$base" >/dev/null 2>&1; then
    echo "base: debootstrap $recipe (about a minute)" >&2
    rootfs=$(mktemp -d)
    debootstrap --variant=minbase --include="$base_packages" bookworm "$rootfs" \
      http://deb.debian.org/debian >/dev/null
    # Stand in for python:*-slim, where pip installs into the system interpreter.
    rm -f "$rootfs"/usr/lib/python3*/EXTERNALLY-MANAGED
    # Trust what this machine trusts, so pip can reach the package index through its proxy.
    cp /etc/ssl/certs/ca-certificates.crt "$rootfs/etc/ssl/certs/ca-certificates.crt"
    rm -rf "$rootfs"/var/cache/apt/archives/*.deb "$rootfs"/var/lib/apt/lists/*
    container=$("${buildah[@]}" from scratch)
    mountpoint=$("${buildah[@]}" mount "$container")
    cp -a "$rootfs/." "$mountpoint/"
    "${buildah[@]}" umount "$container" >/dev/null
    "${buildah[@]}" commit -q "$container" "$base" >/dev/null
    "${buildah[@]}" rm "$container" >/dev/null
    rm -rf "$rootfs"
    mkdir -p "$cache"
    "${buildah[@]}" push -q "$base" "oci-archive:$archive:$base"
  fi
  # --format docker keeps Docker-only settings (HEALTHCHECK); OCI would drop them.
  "${buildah[@]}" bud --isolation chroot --format docker --quiet \
    --build-arg BASE_IMAGE="$base" -t "$tag" "$example" >/dev/null
  "${buildah[@]}" rmi --prune >/dev/null 2>&1 || true  # the previous build's untagged layers
  # Run what the image says to run, as the user it says to run as.
  user=$("${buildah[@]}" inspect --type image --format '{{.Docker.Config.User}}' "$tag")
  mapfile -t command < <("${buildah[@]}" inspect --type image \
    --format '{{range .Docker.Config.Cmd}}{{println .}}{{end}}' "$tag" | sed '/^$/d')
  container=$("${buildah[@]}" from "$tag")
  trap 'rm -f "$output"; "${buildah[@]}" rm "$container" >/dev/null 2>&1 || true' EXIT
  "${buildah[@]}" run --isolation chroot --user "$user" "$container" -- "${command[@]}" >"$output"
fi

cat "$output"
python3 scripts/compare_predictions.py "$output" "$example/expected-output.json"
