// Which subnet a new network gets when the user gives none: docker's default address pools
// (172.17.0.0/16 … 172.31.0.0/16, then 192.168.0.0/20 … 192.168.240.0/20; see libnetwork
// ipamutils.PredefinedLocalScopeDefaultNetworks), skipping every block that overlaps a route
// or an address of the host, or another minidock network. Pure: the caller reads the tables.
import { MinidockError } from '../../errors.js';
import { overlaps, parseCidr, parseIp, type Cidr } from './cidr.js';

export function candidatePools(): Cidr[] {
  const out: Cidr[] = [];
  for (let b = 17; b <= 31; b++) out.push({ base: ((172 << 24) | (b << 16)) >>> 0, prefix: 16 });
  for (let c = 0; c < 256; c += 16) out.push({ base: ((192 << 24) | (168 << 16) | (c << 8)) >>> 0, prefix: 20 });
  return out;
}

interface RouteJson {
  dst?: string;
}
interface AddrJson {
  addr_info?: { family?: string; local?: string; prefixlen?: number }[];
}

/** Blocks the host already uses, from `ip -j route show table all` and `ip -j addr`. */
export function hostBlocks(routes: RouteJson[], addrs: AddrJson[]): Cidr[] {
  const out: Cidr[] = [];
  for (const r of routes) {
    if (!r.dst || r.dst === 'default') continue;
    const c = r.dst.includes('/') ? parseCidr(r.dst) : parseIp(r.dst) !== undefined ? { base: parseIp(r.dst)!, prefix: 32 } : undefined;
    // Local/broadcast routes of 127/8 and the multicast range say nothing about LAN blocks.
    if (c && c.prefix > 0) out.push(c);
  }
  for (const a of addrs) {
    for (const i of a.addr_info ?? []) {
      if (i.family !== 'inet' || !i.local) continue;
      const c = parseCidr(`${i.local}/${i.prefixlen ?? 32}`);
      if (c) out.push(c);
    }
  }
  return out;
}

/** The first pool that overlaps nothing in `taken`. */
export function pickSubnet(taken: Cidr[]): Cidr {
  for (const c of candidatePools()) {
    if (!taken.some((t) => overlaps(c, t))) return c;
  }
  throw new MinidockError('could not find an available, non-overlapping IPv4 address pool among the defaults to assign to the network', {
    kind: 'conflict',
    hint: 'give one with --subnet',
  });
}
