#!/usr/bin/env bash
# make-base-image.sh [MINIDOCK_GLOBAL_FLAGS…] — build the busybox rootfs tarball and import it
# as busybox:latest (CMD ["sh"], as Docker Hub's busybox). Example: make-base-image.sh --root /tmp/r
set -euo pipefail
here=$(cd "$(dirname "$0")" && pwd)
minidock=${MINIDOCK:-$here/../bin/minidock}
tarball=$(mktemp --suffix=.tar)
trap 'rm -f "$tarball"' EXIT
bash "$here/busybox-rootfs.sh" "$tarball"
"$minidock" "$@" import \
  --change 'ENV PATH=/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin' \
  --change 'CMD ["sh"]' \
  --message 'busybox-static from Debian' \
  "$tarball" busybox:latest
