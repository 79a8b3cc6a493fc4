#!/usr/bin/env bash
# busybox-rootfs.sh OUT.tar — a minimal root filesystem from Debian's busybox-static, as a
# deterministic tarball (sorted entries, fixed mtimes and owners: the same bytes every time,
# so the imported layer has the same digest on every machine with the same busybox).
#
# Contents: /bin/busybox with its applet links, /etc/passwd and /etc/group with root, nobody
# and an unprivileged user `app` (uid 1000, also in group `staff`), /tmp (1777), /root,
# (run as root: files are root-owned, /home/app belongs to app)
# /home/app, and empty /proc, /sys, /dev mount points.
set -euo pipefail
out=${1:?usage: busybox-rootfs.sh OUT.tar}
bb=${BUSYBOX:-/bin/busybox}
[ -x "$bb" ] || { echo "busybox-rootfs.sh: $bb not found; apt-get install busybox-static" >&2; exit 1; }
file -L "$bb" 2>/dev/null | grep -q 'statically linked' || ldd "$bb" 2>&1 | grep -q 'not a dynamic' ||
  { echo "busybox-rootfs.sh: $bb is not statically linked; install busybox-static" >&2; exit 1; }

r=$(mktemp -d)
trap 'rm -rf "$r"' EXIT
mkdir -p "$r"/{bin,sbin,usr/bin,usr/sbin,etc,proc,sys,dev,tmp,root,home/app,var/www}
chmod 1777 "$r/tmp"
chmod 700 "$r/root"
cp "$bb" "$r/bin/busybox"
chmod 755 "$r/bin/busybox"
for applet in $("$r/bin/busybox" --list-full); do
  [ "$applet" = bin/busybox ] || [ -e "$r/$applet" ] || ln -s /bin/busybox "$r/$applet"
done
cat >"$r/etc/passwd" <<'P'
root:x:0:0:root:/root:/bin/sh
app:x:1000:1000:app:/home/app:/bin/sh
nobody:x:65534:65534:nobody:/nonexistent:/bin/false
P
cat >"$r/etc/group" <<'G'
root:x:0:
staff:x:50:app
app:x:1000:
nogroup:x:65534:
G
chown 1000:1000 "$r/home/app"
printf 'hosts: files dns\n' >"$r/etc/nsswitch.conf"
tar --sort=name --mtime=@0 --numeric-owner --format=posix \
  --pax-option=exthdr.name=%d/PaxHeaders/%f,delete=atime,delete=ctime \
  -C "$r" -cf "$out" .
