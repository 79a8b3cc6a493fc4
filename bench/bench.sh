#!/usr/bin/env bash
# bench.sh [SECTION…] — minidock's timings beside their floors and peers, measured in one run
# (medians of hyperfine, ratios printed by bench/report.mjs). Run by hand as root, not in CI.
#
#   sections: cli import run exec mem ps net   (default: all of them)
#   PEERS=1 bench/bench.sh run   also time podman and docker (installs and configures them with
#                                ../shared/tools/peers-bench first; its daemons are stopped after)
#   RUNS=N (default 15)
set -euo pipefail
here=$(cd "$(dirname "$0")" && pwd)
repo=$(cd "$here/.." && pwd)
M="$repo/bin/minidock"
RUNS=${RUNS:-15}
OUT=${BENCH_OUT:-/tmp/minidock-bench}
SECTIONS=${*:-cli import run exec mem ps net}
export MINIDOCK_CGROUP_PARENT=${MINIDOCK_CGROUP_PARENT:-minidock-bench}
rm -rf "$OUT"; mkdir -p "$OUT"
log() { printf '[bench] %s\n' "$*" >&2; }

[ -x "$repo/dist/minidock-shim" ] || (cd "$repo" && npm run build >/dev/null)
command -v hyperfine >/dev/null || { echo "bench: needs hyperfine (apt-get install hyperfine)" >&2; exit 1; }

ROOT=$(mktemp -d /tmp/minidock-bench-root.XXXXXX)
export MINIDOCK_ROOT=$ROOT
cleanup() {
  "$M" system reset -f >/dev/null 2>&1 || true  # containers, bridge, rules, cgroups of this root
  rm -rf "$ROOT" "$OUT/rootfs" "$OUT/ul" "$OUT/extract"
  stop_peers
}
. "$here/peers.sh"
peers_started=""
peers_note_host
trap cleanup EXIT
TAR=$OUT/busybox.tar
bash "$repo/scripts/busybox-rootfs.sh" "$TAR"
"$M" import --change 'CMD ["sh"]' "$TAR" busybox >/dev/null

# bench NAME GROUP COMMAND [hyperfine args…]
bench() {
  local name=$1 group=$2 cmd=$3 runs=$RUNS; shift 3
  if [ "${1:-}" = --runs ]; then runs=$2; shift 2; fi  # hyperfine takes --runs once
  mkdir -p "$OUT/$group"
  log "$group/$name"
  hyperfine -N --style none --warmup 2 --runs "$runs" "$@" --export-json "$OUT/$group/$(ls "$OUT/$group" | wc -l | xargs printf '%02d')-$name.json" "$cmd" >/dev/null 2>"$OUT/$group/$name.err" ||
    { log "$name FAILED: $(tail -2 "$OUT/$group/$name.err" | tr '\n' ' ')"; }
}
report() { echo; echo "== $1"; node "$here/report.mjs" "$OUT/$1" "$2"; }

# The raw util-linux start path of DESIGN.md: fresh overlay upper over the same rootfs, new
# namespaces, /proc, mount --move, chroot, the bounding set, exec; CG=1 adds v1/v2 cgroups
# with limits, created and removed per run.
mkdir -p "$OUT/rootfs" && tar -xf "$TAR" -C "$OUT/rootfs"
cat >"$OUT/ul-run.sh" <<'UL'
#!/bin/bash
set -e
W=$(mktemp -d "$OUT/ul.XXXXXX"); mkdir "$W/upper" "$W/work" "$W/merged"
CAPS=-all,+chown,+dac_override,+fowner,+fsetid,+kill,+setgid,+setuid,+setpcap,+net_bind_service,+net_raw,+sys_chroot,+mknod,+audit_write,+setfcap
JOIN=() G=
if [ -n "${CG:-}" ]; then
  G=$MINIDOCK_CGROUP_PARENT-ul/$$
  for c in memory cpu pids; do mkdir -p "/sys/fs/cgroup/$c/$G"; done
  echo $((256 << 20)) >"/sys/fs/cgroup/memory/$G/memory.limit_in_bytes"
  echo 50000 >"/sys/fs/cgroup/cpu/$G/cpu.cfs_quota_us"
  echo 512 >"/sys/fs/cgroup/pids/$G/pids.max"
  JOIN=(/bin/sh -c 'for c in memory cpu pids; do echo $$ >"/sys/fs/cgroup/$c/'"$G"'/cgroup.procs"; done; exec "$@"' sh)
fi
rc=0
"${JOIN[@]}" unshare --mount --uts --ipc --net --pid --cgroup --fork --kill-child --propagation private -- \
  /bin/sh -c 'mount -t overlay overlay -o "lowerdir=$1,upperdir=$2/upper,workdir=$2/work" "$2/merged" &&
    mount -t proc proc "$2/merged/proc" && cd "$2/merged" && mount --move . / &&
    caps=$3 && shift 3 && exec setpriv --bounding-set "$caps" -- chroot . "$@"' sh "$OUT/rootfs" "$W" "$CAPS" /bin/true || rc=$?
[ -z "$G" ] || for c in memory cpu pids; do rmdir "/sys/fs/cgroup/$c/$G" "/sys/fs/cgroup/$c/${G%/*}" 2>/dev/null || true; done
rm -rf "$W"; exit $rc
UL
chmod +x "$OUT/ul-run.sh"; export OUT

if [ -n "${PEERS:-}" ]; then
  PB=$(peers_bench)
  log "setting up peers with $PB (podman, docker)"
  ONLY='^$' KEEP_DAEMONS=1 RUNS=1 WARMUP=0 "$PB" >/dev/null 2>&1 || log "peers-bench setup failed"
  peers_started=1
fi
# Debian's podman on this hybrid host needs runc, cgroupfs and raised ulimits (peers-bench
# writes that containers.conf); use it whenever a previous PEERS=1 run left it.
[ ! -f "${PEERS_DIR:-/tmp/peers}/containers.conf" ] || export CONTAINERS_CONF=${PEERS_DIR:-/tmp/peers}/containers.conf
stop_peers() {
  if [ -n "$peers_started" ]; then
    for f in "${PEERS_DIR:-/tmp/peers}"/registry.pid "${PEERS_DIR:-/tmp/peers}"/docker/dockerd.pid "${PEERS_DIR:-/tmp/peers}"/docker/containerd.pid; do
      [ -f "$f" ] && kill "$(cat "$f")" 2>/dev/null && rm -f "$f"
    done
    ip link del mdbr0 2>/dev/null || true
  fi
  peers_tidy_host
  peers_started=""
}

for s in $SECTIONS; do case $s in
cli)
  bench node_e0 cli 'node -e 0'
  bench version cli "$M --version"
  bench images_empty cli "env MINIDOCK_ROOT=$OUT/empty-root $M images"
  for i in $(seq 1 99); do
    d=$(mktemp -d); echo "$i" >"$d/n"; tar -C "$d" -cf "$d.tar" n; "$M" import "$d.tar" "bench/img$i:latest" >/dev/null; rm -rf "$d" "$d.tar"
  done
  bench images_100 cli "$M images"
  report cli node_e0 ;;
import)
  # ~200 MB of a real root filesystem: many small files and some large ones.
  BIG=$OUT/rootfs200.tar
  (cd / && find usr/share usr/lib -xdev \( -type f -o -type l \) -printf '%s\t%p\n' 2>/dev/null |
    awk -F'\t' '{ s += $1; if (s > 200 * 1024 * 1024) exit; print $2 }') >"$OUT/files.txt" || true  # find gets SIGPIPE
  tar -C / -cf "$BIG" -T "$OUT/files.txt" 2>/dev/null || true
  log "import tarball: $(du -h "$BIG" | cut -f1)"
  bench tar_x import "bash -c 'rm -rf $OUT/extract && mkdir $OUT/extract && tar -xf $BIG -C $OUT/extract'" --runs 5
  bench minidock_import import "$M import $BIG bench/big:latest" --runs 5 --prepare "bash -c '$M rmi -f bench/big:latest >/dev/null 2>&1; true'"
  report import tar_x ;;
run)
  bench node_e0 run 'node -e 0'
  bench ul_raw run "$OUT/ul-run.sh"
  bench ul_raw_cgroups run "env CG=1 $OUT/ul-run.sh"
  bench minidock_run run "$M run --rm --network none busybox true"
  if command -v podman >/dev/null && podman image exists localhost/busybox 2>/dev/null; then
    bench podman_run run 'podman run --rm --network none localhost/busybox true'
  fi
  # Debian's client (peers-bench's dockerd is Debian's); /usr/local/bin/docker may be newer
  D=$(command -v /usr/bin/docker || command -v docker || true)
  if [ -n "$D" ] && "$D" info >/dev/null 2>&1; then bench docker_run run "$D run --rm --network none busybox true"; fi
  report run node_e0 ;;
exec)
  "$M" run -d --name bench-exec busybox sleep 100000 >/dev/null
  P=$("$M" inspect -f '{{.State.Pid}}' bench-exec)
  bench node_e0 exec 'node -e 0'
  bench nsenter_raw exec "nsenter --target $P --mount --uts --ipc --net --pid --cgroup --root -- /bin/true"
  bench minidock_exec exec "$M exec bench-exec true"
  "$M" rm -f bench-exec >/dev/null
  report exec node_e0 ;;
mem)
  for i in $(seq 1 20); do "$M" run -d --name "bench-mem-$i" busybox sleep 100000 >/dev/null; done
  pids=$(for i in $(seq 1 20); do "$M" inspect -f '{{.State.Pid}}' "bench-mem-$i"; done)
  # Engine processes that stay: each container's shim (the parent of the container's init).
  total=0
  for p in $pids; do
    shim=$(awk '{print $4}' "/proc/$p/stat")
    rss=$(awk '/^VmRSS/{print $2}' "/proc/$shim/status"); total=$((total + rss))
    extra=$(pgrep -P "$shim" | grep -vx "$p" || true); [ -z "$extra" ] || log "shim $shim has other children: $extra"
  done
  echo; echo "== mem: engine RSS kept per detached container (20 containers)"
  echo "total shim RSS: ${total} kB; per container: $((total / 20)) kB (budget: 8192 kB)"
  "$M" rm -f $(for i in $(seq 1 20); do echo "bench-mem-$i"; done) >/dev/null ;;
ps)
  for i in $(seq 1 100); do "$M" run -d --name "bench-ps-$i" busybox sleep 100000 >/dev/null; done
  bench ps_100 ps "$M ps"
  bench ps_a_100 ps "$M ps -a"
  if command -v podman >/dev/null && podman image exists localhost/busybox 2>/dev/null; then
    for i in $(seq 1 100); do podman run -d --name "bench-ps-$i" --network none localhost/busybox sleep 100000 >/dev/null; done
    bench podman_ps_100 ps 'podman ps'
    podman rm -f -t 0 $(for i in $(seq 1 100); do echo "bench-ps-$i"; done) >/dev/null 2>&1 || true
  fi
  report ps ps_100
  "$M" rm -f $(for i in $(seq 1 100); do echo "bench-ps-$i"; done) >/dev/null ;;
net)
  # busybox httpd serving a 256 MB file (from tmpfs: page-cache speed) and a small page, reached
  # from the host at the container's own address and through a published port on 127.0.0.1
  # (kernel DNAT, no proxy). Throughput: time of one download (lower is faster); connection
  # rate: 200 HTTP/1.0 requests, a new TCP connection each, from one bash (no process per request).
  web="dd if=/dev/zero of=/www/big bs=1M count=256 2>/dev/null; echo hi >/www/small; exec httpd -f -p 80 -h /www"
  "$M" run -d --name bench-web --tmpfs /www -p 127.0.0.1:18090:80 busybox sh -c "$web" >/dev/null
  IP=$("$M" inspect -f '{{.NetworkSettings.IPAddress}}' bench-web)
  for _ in $(seq 1 50); do curl -fsS -o /dev/null "http://$IP/small" 2>/dev/null && break; sleep 0.1; done
  conns() { echo "bash -c 'for i in {1..200}; do exec 3<>/dev/tcp/$1/$2; printf \"GET /small HTTP/1.0\\r\\n\\r\\n\" >&3; while read -r -u 3 l; do :; done; exec 3<&-; done'"; }
  bench direct_256mb net "curl -fsS -o /dev/null http://$IP/big" --runs 7
  bench published_256mb net "curl -fsS -o /dev/null http://127.0.0.1:18090/big" --runs 7
  report net direct_256mb; rm -rf "${OUT:?}/net"
  bench direct_200conns net "$(conns "$IP" 80)" --runs 7
  bench published_200conns net "$(conns 127.0.0.1 18090)" --runs 7
  report net direct_200conns; rm -rf "${OUT:?}/net"
  if command -v podman >/dev/null && podman image exists localhost/busybox 2>/dev/null; then
    podman rm -f -t 0 bench-web >/dev/null 2>&1 || true
    if podman run -d --name bench-web --tmpfs /www -p 127.0.0.1:18091:80 localhost/busybox sh -c "$web" >/dev/null 2>"$OUT/podman-web.err"; then
      for _ in $(seq 1 50); do curl -fsS -o /dev/null "http://127.0.0.1:18091/small" 2>/dev/null && break; sleep 0.1; done
      bench minidock_published_256mb net "curl -fsS -o /dev/null http://127.0.0.1:18090/big" --runs 7
      bench podman_published_256mb net "curl -fsS -o /dev/null http://127.0.0.1:18091/big" --runs 7
      bench minidock_published_200conns net "$(conns 127.0.0.1 18090)" --runs 7
      bench podman_published_200conns net "$(conns 127.0.0.1 18091)" --runs 7
      report net minidock_published_256mb; rm -rf "${OUT:?}/net"
    else log "podman -p did not run: $(tail -1 "$OUT/podman-web.err")"; fi
    podman rm -f -t 0 bench-web >/dev/null 2>&1 || true
  fi
  "$M" rm -f bench-web >/dev/null
  # Start time of a detached container with a published port (veth, address, DNAT rules)
  # against one without a network namespace to wire.
  bench run_d_none net "$M run -d --name bench-p --network none busybox sleep 1000" --prepare "bash -c '$M rm -f bench-p >/dev/null 2>&1; true'"
  bench run_d_bridge net "$M run -d --name bench-p busybox sleep 1000" --prepare "bash -c '$M rm -f bench-p >/dev/null 2>&1; true'"
  bench run_d_publish net "$M run -d --name bench-p -p 127.0.0.1:18092:80 busybox sleep 1000" --prepare "bash -c '$M rm -f bench-p >/dev/null 2>&1; true'"
  if command -v podman >/dev/null && podman image exists localhost/busybox 2>/dev/null; then
    bench podman_run_d_none net "podman run -d --name bench-p --network none localhost/busybox sleep 1000" --prepare "bash -c 'podman rm -f -t 0 bench-p >/dev/null 2>&1; true'"
    bench podman_run_d_publish net "podman run -d --name bench-p -p 127.0.0.1:18092:80 localhost/busybox sleep 1000" --prepare "bash -c 'podman rm -f -t 0 bench-p >/dev/null 2>&1; true'"
    podman rm -f -t 0 bench-p >/dev/null 2>&1 || true
  fi
  "$M" rm -f bench-p >/dev/null 2>&1 || true
  report net run_d_none ;;
*) echo "bench: unknown section $s" >&2; exit 2 ;;
esac; done
stop_peers
