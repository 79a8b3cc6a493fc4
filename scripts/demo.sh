#!/usr/bin/env bash
# demo.sh — what minidock does, on the default root (/var/lib/minidock) unless MINIDOCK_ROOT
# says otherwise. Safe to run again: it removes what it starts.
set -euo pipefail
here=$(cd "$(dirname "$0")" && pwd)
md() { echo "+ minidock $*" >&2; "$here/../bin/minidock" "$@"; }
say() { printf '\n== %s\n' "$*" >&2; }
cleanup() { "$here/../bin/minidock" rm -f demo-web >/dev/null 2>&1 || true; rm -rf "$ctx"; }
ctx=$(mktemp -d)
trap cleanup EXIT

say 'a base image from Debian busybox-static, without a registry'
bash "$here/make-base-image.sh"
md images
md image inspect --format '{{.Id}} {{json .Config.Cmd}} {{json .RootFS.Layers}}' busybox
md history busybox

say 'a container: its own hostname, PID 1, docker'"'"'s capability set'
md run --rm busybox sh -c 'echo "hello from $(hostname), I am PID $$"; grep CapEff /proc/self/status'

say 'the host steps of that run, as a shell script (first lines)'
md run --dry-run --rm busybox true | sed -n '1,12p'

say 'a Dockerfile build, then a web server from it on a published port'
mkdir -p "$ctx/site"
echo '<h1>built by minidock</h1>' >"$ctx/site/index.html"
cat >"$ctx/Dockerfile" <<'DF'
FROM busybox
COPY site /var/www
EXPOSE 80
CMD ["httpd", "-f", "-p", "80", "-h", "/var/www"]
DF
md build -t demo-web:latest "$ctx"
md run -d --name demo-web -p 18080:80 demo-web
sleep 0.3
echo "+ curl http://127.0.0.1:18080/" >&2
curl -fsS http://127.0.0.1:18080/
md ps
md exec demo-web ps
md logs demo-web
md stop -t 1 demo-web
md rm demo-web
md system df
