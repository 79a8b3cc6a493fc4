#!/usr/bin/env bash
# build.sh [SECTION…] — `minidock build` timings beside their floors and peers, from one run
# (hyperfine medians; ratios by bench/report.mjs). Run by hand as root, not in CI.
#
#   cached  a fully cached rebuild of a 15-step Dockerfile  vs  `minidock images` (the floor:
#           node start-up + reading the catalogue); target ratio < 1.5
#   cold    a cold (--no-cache) 4-step build (DESIGN.md's) vs buildah bud / podman build when
#           installed (PEERS=1 installs and configures them with ../shared/tools/peers-bench)
#   commit  a RUN that writes 300 MB in 100 files, minus the same RUN deleting them again (no
#           layer), is the cost of committing the layer (diff + blob + snapshot); compared with
#           `tar -c` of the same files to a file, and with tar -c | tee blob | tar -x (the same
#           three passes over the data that a commit makes)
#   RUNS=N (default 10)
set -euo pipefail
here=$(cd "$(dirname "$0")" && pwd)
repo=$(cd "$here/.." && pwd)
M=${MINIDOCK_BIN:-$repo/bin/minidock}
RUNS=${RUNS:-10}
OUT=${BENCH_OUT:-/tmp/minidock-bench-build}
SECTIONS=${*:-cached cold commit}
export MINIDOCK_CGROUP_PARENT=${MINIDOCK_CGROUP_PARENT:-minidock-bench-build}
rm -rf "$OUT"; mkdir -p "$OUT"
log() { printf '[bench-build] %s\n' "$*" >&2; }

[ -x "$repo/dist/minidock-shim" ] || (cd "$repo" && npm run build >/dev/null)
command -v hyperfine >/dev/null || { echo "bench: needs hyperfine (apt-get install hyperfine)" >&2; exit 1; }

ROOT=$(mktemp -d /tmp/minidock-bench-build-root.XXXXXX)
export MINIDOCK_ROOT=$ROOT
. "$here/peers.sh"
peers_note_host
cleanup() {
  "$M" system reset -f >/dev/null 2>&1 || true
  rm -rf "$ROOT" "$OUT/data" "$OUT/extract" "$OUT"/*.tar
  peers_tidy_host
}
trap cleanup EXIT
TAR=$OUT/busybox.tar
bash "$repo/scripts/busybox-rootfs.sh" "$TAR"
"$M" import --change 'CMD ["sh"]' "$TAR" busybox >/dev/null

# bench NAME GROUP COMMAND [hyperfine args…]
bench() {
  local name=$1 group=$2 cmd=$3; shift 3
  mkdir -p "$OUT/$group"
  log "$group/$name"
  hyperfine -N --style none --warmup 1 --runs "$RUNS" "$@" --export-json "$OUT/$group/$(ls "$OUT/$group" | wc -l | xargs printf '%02d')-$name.json" "$cmd" >/dev/null 2>"$OUT/$group/$name.err" ||
    log "$name FAILED: $(tail -2 "$OUT/$group/$name.err" | tr '\n' ' ')"
}
report() { echo; echo "== $1"; node "$here/report.mjs" "$OUT/$1" "$2"; }
has() { [[ " $SECTIONS " == *" $1 "* ]]; }

if has cached; then
  C=$OUT/ctx15; mkdir -p "$C/src"
  for i in 1 2 3 4 5; do echo "file $i" >"$C/src/f$i.txt"; done
  cat >"$C/Dockerfile" <<'DF'
FROM busybox
ARG VERSION=1
ENV APP=/app VERSION=$VERSION
LABEL org.example.name=bench
WORKDIR /app
RUN echo "v$VERSION" > version
COPY src/f1.txt src/f2.txt ./
RUN cat f1.txt f2.txt > both
COPY src/ ./src/
RUN ls src > listing
USER app
RUN id > /tmp/whoami
EXPOSE 8080
ENV MODE=production
CMD ["cat", "/app/both"]
DF
  "$M" build -q "$C" >/dev/null
  bench images cached "$M images"
  bench build_cached_15 cached "$M build -q $C"
  bench build_cached_15_plain cached "$M build --progress=plain $C"
  report cached images
fi

if has cold; then
  C=$OUT/ctx4; mkdir -p "$C"
  printf 'FROM busybox\nRUN echo hi > /a\nCOPY . /app\nRUN ls /app > /list\n' >"$C/Dockerfile"
  echo data >"$C/data.txt"
  bench build_minidock_cold cold "$M build --no-cache -q $C"
  bench build_minidock_warm cold "$M build -q $C"
  if [ -n "${PEERS:-}" ]; then
    PB=$(peers_bench)
    log "setting up peers with $PB"
    ONLY='^$' RUNS=1 WARMUP=0 "$PB" >/dev/null 2>&1 || log "peers-bench setup failed"
  fi
  export CONTAINERS_CONF=${CONTAINERS_CONF:-${PEERS_DIR:-/tmp/peers}/containers.conf}
  if command -v buildah >/dev/null && command -v podman >/dev/null && [ -f "$CONTAINERS_CONF" ]; then
    P=$OUT/ctx4-peers; mkdir -p "$P"; cp "$C/data.txt" "$P/"
    podman image exists localhost/busybox || podman import -q "$TAR" localhost/busybox >/dev/null
    sed 's#^FROM busybox#FROM localhost/busybox#' "$C/Dockerfile" >"$P/Dockerfile"
    bench build_buildah_cold cold "buildah bud --no-cache -q -t localhost/mdbench-build:buildah $P"
    bench build_podman_cold cold "podman build --no-cache -q -t localhost/mdbench-build:podman $P"
    bench build_podman_warm cold "podman build -q -t localhost/mdbench-build:podman $P"
  else
    log "buildah/podman not set up: cold build measured without peers (PEERS=1 to install them)"
  fi
  report cold build_minidock_cold
fi

if has commit; then
  C=$OUT/ctx-commit; mkdir -p "$C"
  # 100 files of 3 MB of random bytes (incompressible, as real binaries), made inside the step.
  GEN='mkdir /data && i=0; while [ $i -lt 100 ]; do head -c 3145728 /dev/urandom > /data/f$i; i=$((i+1)); done'
  printf 'FROM busybox\nRUN %s\n' "$GEN" >"$C/Dockerfile"
  printf 'FROM busybox\nRUN %s && rm -rf /data\n' "$GEN" >"$C/Dockerfile.nolayer"
  mkdir -p "$OUT/data"; for i in $(seq 0 99); do head -c 3145728 /dev/urandom >"$OUT/data/f$i"; done
  # Every run starts from an empty page cache backlog: the last run's layers are removed and
  # written back first (`sync` in --prepare, not timed). Without that, each run of 600 MB of
  # writes pays for the dirty pages of the runs before it (measured: 2.0 s instead of 0.55 s).
  CLEAN="sh -c '$M image prune -f >/dev/null 2>&1; rm -f $OUT/t.tar $OUT/t2.tar; rm -rf $OUT/extract; sync'"
  bench run_300mb_commit commit "$M build --no-cache -q $C" --prepare "$CLEAN"
  bench run_300mb_nolayer commit "$M build --no-cache -q -f $C/Dockerfile.nolayer $C" --prepare "$CLEAN"
  bench tar_c_300mb commit "tar -cf $OUT/t.tar -C $OUT/data ." --prepare "$CLEAN"
  # what a content-addressed layer costs at least on one thread: the tar, and its sha256
  bench tar_c_sha256_300mb commit "sh -c 'tar -cf $OUT/t.tar -C $OUT/data . && openssl dgst -sha256 $OUT/t.tar'" --prepare "$CLEAN"
  bench tar_c_tee_x_300mb commit "sh -c 'mkdir $OUT/extract && tar -c -C $OUT/data . | tee $OUT/t2.tar | tar -x -C $OUT/extract'" --prepare "$CLEAN"
  report commit tar_c_300mb
  node -e '
    const fs = require("fs"), path = require("path");
    const dir = process.argv[1];
    const med = (n) => { const f = fs.readdirSync(dir).find((x) => x.endsWith(`-${n}.json`)); return f && JSON.parse(fs.readFileSync(path.join(dir, f))).results[0].median * 1000; };
    const commit = med("run_300mb_commit") - med("run_300mb_nolayer");
    console.log(`\ncommit of the 300 MB layer (with minus without it): ${commit.toFixed(0)} ms = ${(commit / med("tar_c_300mb")).toFixed(2)} x tar -c, ${(commit / med("tar_c_sha256_300mb")).toFixed(2)} x tar -c + sha256, ${(commit / med("tar_c_tee_x_300mb")).toFixed(2)} x tar -c | tee | tar -x`);
  ' "$OUT/commit"
fi
