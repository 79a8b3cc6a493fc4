// nftables scripts, one `nft -f` transaction per change (an iptables call costs ~10 ms here;
// a whole nft transaction ~4 ms). Everything lives in a table of our own, `ip minidock`
// (`ip minidock-<instance>` for other roots), never in anyone else's. Every rule carries a
// comment `minidock:net:<id>` or `minidock:ctr:<id>`: rules are deleted by handle after
// looking them up by that comment, and a prune finds orphans the same way.
//
// What the rules do (docker's iptables rules in libnetwork/drivers/bridge, and netavark's
// nftables driver for the loopback and hairpin cases):
//   nat postrouting  masquerade what leaves a non-internal subnet; masquerade DNATed traffic
//                    that comes back into its own bridge (hairpin); masquerade 127.0.0.0/8
//                    sources sent to a bridge (publish on 127.0.0.1 with route_localnet=1)
//   nat prerouting   DNAT published ports for traffic arriving from outside or from containers
//   nat output       the same DNAT for traffic the host itself sends, 127.0.0.1 included
//   filter forward   internal networks: nothing in or out of the bridge; other networks:
//                    no direct traffic between two minidock bridges (docker's isolation
//                    chains) unless it was DNATed to a published port
//   filter input     internal networks reach only their gateway (dnsmasq) on the host

export interface NetRules {
  id: string;
  bridge: string;
  subnet: string;
  gateway: string;
  internal: boolean;
}

export interface PortRule {
  /** '' or '0.0.0.0': every local address (fib daddr type local), else that address. */
  hostIp: string;
  hostPort: number;
  proto: 'tcp' | 'udp';
  containerIp: string;
  containerPort: number;
}

const CHAINS = [
  'prerouting { type nat hook prerouting priority -100; policy accept; }',
  'output { type nat hook output priority -100; policy accept; }',
  'postrouting { type nat hook postrouting priority 100; policy accept; }',
  'forward { type filter hook forward priority 0; policy accept; }',
  'input { type filter hook input priority 0; policy accept; }',
  'isolate { }',
];

/** `add` is idempotent for tables and chains: every transaction starts with the skeleton. */
export function planSkeleton(table: string): string[] {
  return [`add table ip ${table}`, ...CHAINS.map((c) => `add chain ip ${table} ${c}`)];
}

const q = (s: string) => `"${s}"`;

export function planNetworkRules(table: string, n: NetRules, tag: string): string[] {
  const add = (chain: string, rule: string) => `add rule ip ${table} ${chain} ${rule} comment ${q(tag)}`;
  const br = q(n.bridge);
  if (n.internal) {
    return [
      add('forward', `iifname ${br} oifname != ${br} drop`),
      add('forward', `oifname ${br} iifname != ${br} drop`),
      add('input', `iifname ${br} ip daddr != ${n.gateway} drop`),
    ];
  }
  return [
    add('postrouting', `ip saddr ${n.subnet} oifname != ${br} masquerade`),
    add('postrouting', `ip saddr ${n.subnet} oifname ${br} ct status dnat masquerade`),
    add('postrouting', `ip saddr 127.0.0.0/8 oifname ${br} masquerade`),
    add('forward', `iifname ${br} oifname != ${br} ct status != dnat jump isolate`),
    add('isolate', `oifname ${br} drop`),
  ];
}

export function planPortRules(table: string, rules: PortRule[], tag: string): string[] {
  const out: string[] = [];
  for (const r of rules) {
    const dst = r.hostIp && r.hostIp !== '0.0.0.0' ? `ip daddr ${r.hostIp}` : 'fib daddr type local';
    const rule = `${dst} ${r.proto} dport ${r.hostPort} dnat to ${r.containerIp}:${r.containerPort} comment ${q(tag)}`;
    out.push(`add rule ip ${table} prerouting ${rule}`, `add rule ip ${table} output ${rule}`);
  }
  return out;
}

export interface RuleRef {
  chain: string;
  handle: number;
  comment: string;
}

export function planDeleteRules(table: string, rules: RuleRef[]): string[] {
  return rules.map((r) => `delete rule ip ${table} ${r.chain} handle ${r.handle}`);
}

export function renderScript(lines: string[]): string {
  return lines.join('\n') + '\n';
}

/** Rules of `nft -j -a list table`: chain, handle and comment of each. */
export function parseRuleList(json: string): RuleRef[] {
  if (!json.trim()) return [];
  const doc = JSON.parse(json) as { nftables?: { rule?: { chain: string; handle: number; comment?: string } }[] };
  const out: RuleRef[] = [];
  for (const item of doc.nftables ?? []) {
    if (item.rule) out.push({ chain: item.rule.chain, handle: item.rule.handle, comment: item.rule.comment ?? '' });
  }
  return out;
}
