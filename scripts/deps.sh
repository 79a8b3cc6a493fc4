#!/usr/bin/env bash
# deps.sh — install what minidock needs on Debian 12 (as root): the host tools the engine
# drives, the C compiler for its shim, the peers used in interop tests, then the npm
# packages, and build. Idempotent; used by setup.sh and by CI (.ci/run).
set -euo pipefail
cd "$(dirname "$0")/.."

# util-linux: unshare, nsenter, setpriv, mount   iproute2: ip        attr: setfattr/getfattr
# busybox-static: the base image                 tini: --init        gcc/libc6-dev: the shim (static)
# nftables: published ports and NAT              dnsmasq-base: name resolution on user networks
# skopeo, docker-registry: interop and registry tests               curl: tests talk HTTP
PKGS="util-linux mount iproute2 procps attr busybox-static tini gcc libc6-dev nftables iptables dnsmasq-base openssl
      skopeo docker-registry curl file xz-utils bzip2 zstd"
missing=$(for p in $PKGS; do dpkg -s "$p" >/dev/null 2>&1 || echo "$p"; done)
if [ -n "$missing" ]; then
  echo "deps: apt-get install $(echo $missing)" >&2
  export DEBIAN_FRONTEND=noninteractive
  apt-get install -y --no-install-recommends $missing >/tmp/minidock-apt.log 2>&1 || {
    apt-get update >>/tmp/minidock-apt.log 2>&1
    apt-get install -y --no-install-recommends $missing >>/tmp/minidock-apt.log 2>&1
  } || { echo "deps: apt-get failed, see /tmp/minidock-apt.log" >&2; exit 1; }
fi

node -e 'const [maj]=process.versions.node.split(".").map(Number); if (maj < 20) { console.error("minidock needs Node >= 20, found " + process.version); process.exit(1) }'
if [ -f package-lock.json ]; then npm ci --no-audit --no-fund >/dev/null; else npm install --no-audit --no-fund >/dev/null; fi
npm run build >/dev/null
