#!/usr/bin/env bash
# demo.sh — what minidock does today, on the default root (/var/lib/minidock) unless
# MINIDOCK_ROOT says otherwise. Safe to run again.
set -euo pipefail
here=$(cd "$(dirname "$0")" && pwd)
md() { echo "+ minidock $*" >&2; "$here/../bin/minidock" "$@"; }

echo '== a base image from Debian busybox-static, without a registry' >&2
bash "$here/make-base-image.sh"
md images
md image inspect --format '{{.Id}} {{json .Config.Cmd}} {{json .RootFS.Layers}}' busybox
md history busybox
md system df
