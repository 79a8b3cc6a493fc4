# Sourced by bench.sh and build.sh: finding ../shared/tools/peers-bench, and undoing what the
# peers leave on the host. dockerd leaves docker0 and its iptables-nft tables (ip nat, ip
# filter) when it stops; netavark (podman -p) leaves its chains in the same tables.
# peers_note_host records what is there before the run; peers_tidy_host removes what was not.

peers_bench() {
  local pb
  pb=$(cd "$repo/.." && pwd)/shared/tools/peers-bench
  [ -x "$pb" ] || pb=/work/shared/tools/peers-bench
  printf '%s\n' "$pb"
}

peers_note_host() {
  nft_before=$(nft list tables 2>/dev/null || true)
  docker0_before=$(ip link show docker0 2>/dev/null || true)
}

peers_tidy_host() {
  [ -n "$docker0_before" ] || ip link del docker0 2>/dev/null || true
  local t
  for t in nat filter; do
    grep -qx "table ip $t" <<<"$nft_before" || nft delete table ip "$t" 2>/dev/null || true
  done
}
