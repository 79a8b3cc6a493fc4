#!/usr/bin/env bash
# setup.sh — everything for a fresh Debian 12 machine with Node 20 (run as root): packages,
# build, `minidock` on PATH, then the demo.
set -euo pipefail
cd "$(dirname "$0")/.."
bash scripts/deps.sh
npm link --no-audit --no-fund >/dev/null 2>&1 || npm install -g . --no-audit --no-fund >/dev/null
echo "minidock is $(command -v minidock): $(minidock --version)"
exec bash scripts/demo.sh
