# Shared by scripts/check-example-image.sh and scripts/check-example.sh (sourced, not run):
# QEMU user-mode emulation for a foreign architecture, and the local Debian bookworm base that
# stands in for the Dockerfiles' pinned python:3.12-slim when no registry can be reached.
# Expects: `fail`, `$sudo_`, `$work` (a temporary directory) and the array `containers`, whose
# working containers the caller removes on exit (pick_builder needs only `fail`).

# Sets $builder: IMAGE_BUILDER when given (docker or buildah), else Docker when a daemon answers.
pick_builder() {
  builder=${IMAGE_BUILDER:-}
  if [ -z "$builder" ]; then
    if docker info >/dev/null 2>&1; then builder=docker; else builder=buildah; fi
  fi
  case $builder in
    docker | buildah) ;;
    *) fail "IMAGE_BUILDER is '$builder', expected docker or buildah" ;;
  esac
}

# Programs of a foreign architecture run under QEMU user-mode emulation: binfmt_misc hands each
# one to qemu-<arch>-static. The F flag makes the kernel open the emulator at registration, so it
# is found from inside a chroot or a container whose files do not include it.
ensure_emulation() {
  local machine=$1 conf line name entry
  scripts/ensure-debian-packages.sh "qemu-user-static:qemu-$machine-static"
  if [ ! -e /proc/sys/fs/binfmt_misc/register ]; then
    $sudo_ mount -t binfmt_misc binfmt_misc /proc/sys/fs/binfmt_misc
  fi
  for conf in /usr/lib/binfmt.d/qemu-"$machine".conf /usr/lib/binfmt.d/qemu-"$machine"-static.conf; do
    [ -f "$conf" ] && line=$(grep -v '^#' "$conf") && break
  done
  [ -n "${line:-}" ] || fail "qemu-user-static installed no /usr/lib/binfmt.d/qemu-$machine.conf"
  name=$(cut -d: -f2 <<<"$line")
  entry=/proc/sys/fs/binfmt_misc/$name
  if [ ! -e "$entry" ]; then
    echo "registering QEMU for $machine with binfmt_misc" >&2
    printf '%s\n' "$line" | $sudo_ tee /proc/sys/fs/binfmt_misc/register >/dev/null
  fi
  grep -qx enabled "$entry" || fail "$entry is disabled: echo 1 > $entry"
  grep -q '^flags: .*F' "$entry" ||
    fail "$entry is registered without the F flag, so a chroot cannot find the emulator: remove it (echo -1 > $entry) and run again"
}

buildah=(buildah --storage-driver vfs)
cache=${XDG_CACHE_HOME:-$HOME/.cache}/mlops-visual-patterns
# Everything that goes into a base is named here; a change makes a new cache key.
base_packages=python3,python3-pip,python-is-python3,ca-certificates

# Sets $base to a local Debian bookworm image for this architecture, made once and cached.
make_base() {
  local arch=$1 recipe key archive rootfs container mountpoint
  recipe="bookworm minbase $arch $base_packages host-ca-bundle v2"
  key=$(printf '%s' "$recipe" | sha256sum | cut -c1-12)
  base=localhost/ml-model-base:bookworm-$arch-$key
  archive=$cache/ml-model-base-$arch-$key.tar
  if ! "${buildah[@]}" inspect --type image "$base" >/dev/null 2>&1 && [ -f "$archive" ]; then
    echo "linux/$arch base: from cache $archive" >&2
    "${buildah[@]}" pull -q --platform "linux/$arch" "oci-archive:$archive" >/dev/null
  fi
  "${buildah[@]}" inspect --type image "$base" >/dev/null 2>&1 && return
  echo "linux/$arch base: debootstrap $recipe (minutes; longer when emulated)" >&2
  rootfs=$work/rootfs-$arch
  # With the emulator registered (F flag), debootstrap's second stage runs the foreign
  # architecture's maintainer scripts in the chroot directly; no --foreign split is needed.
  debootstrap --arch="$arch" --variant=minbase --include="$base_packages" bookworm "$rootfs" \
    http://deb.debian.org/debian >/dev/null
  # Stand in for python:*-slim, where pip installs into the system interpreter.
  rm -f "$rootfs"/usr/lib/python3*/EXTERNALLY-MANAGED
  # Trust what this machine trusts, so pip can reach the package index through its proxy.
  cp /etc/ssl/certs/ca-certificates.crt "$rootfs/etc/ssl/certs/ca-certificates.crt"
  rm -rf "$rootfs"/var/cache/apt/archives/*.deb "$rootfs"/var/lib/apt/lists/*
  container=$("${buildah[@]}" from scratch)
  containers+=("$container")
  mountpoint=$("${buildah[@]}" mount "$container")
  cp -a "$rootfs/." "$mountpoint/"
  "${buildah[@]}" umount "$container" >/dev/null
  # The image must say what it holds, or a --platform build would not accept it as a base.
  "${buildah[@]}" config --os linux --arch "$arch" "$container"
  "${buildah[@]}" commit -q "$container" "$base" >/dev/null
  rm -rf "$rootfs"
  mkdir -p "$cache"
  "${buildah[@]}" push -q "$base" "oci-archive:$archive:$base"
}

