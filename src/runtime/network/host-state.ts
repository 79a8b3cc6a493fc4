// Reading the host's network state: routes and addresses (to pick free subnets), links (to
// find our orphans), whether a link or netns exists. Reads go through the Host like every
// command, so --debug shows them; in recording mode they return empty answers.
import { existsSync } from 'node:fs';
import type { Engine } from '../../engine.js';
import { hostBlocks } from './subnet-pick.js';
import type { Cidr } from './cidr.js';

function parseJsonArray(text: string): unknown[] {
  if (!text.trim()) return [];
  const v: unknown = JSON.parse(text);
  return Array.isArray(v) ? v : [];
}

/** Every IPv4 block the host routes or has an address in. */
export async function readHostBlocks(engine: Engine): Promise<Cidr[]> {
  const why = 'find the subnets the host already uses';
  const routes = await engine.host.run(['ip', '-j', '-4', 'route', 'show'], { why });
  const addrs = await engine.host.run(['ip', '-j', '-4', 'addr', 'show'], { why });
  return hostBlocks(parseJsonArray(routes.stdout) as never[], parseJsonArray(addrs.stdout) as never[]);
}

export interface LinkInfo {
  ifname: string;
  kind: string;
  alias: string;
  master: string;
}

/** `ip -j -d link`: name, kind (veth, bridge), alias, master. */
export async function readLinks(engine: Engine): Promise<LinkInfo[]> {
  const r = await engine.host.run(['ip', '-j', '-d', 'link', 'show'], { why: 'list links to find leftovers' });
  return parseJsonArray(r.stdout).map((l) => {
    const o = l as { ifname?: string; ifalias?: string; master?: string; linkinfo?: { info_kind?: string } };
    return { ifname: o.ifname ?? '', kind: o.linkinfo?.info_kind ?? '', alias: o.ifalias ?? '', master: o.master ?? '' };
  });
}

/** `ip netns list` names. */
export async function readNetnsNames(engine: Engine): Promise<string[]> {
  const r = await engine.host.run(['ip', '-j', 'netns', 'list'], { why: 'list network namespaces' });
  return parseJsonArray(r.stdout).map((n) => String((n as { name?: string }).name ?? ''));
}

/** Real hosts only: a recording engine pretends nothing exists yet. */
export function linkExists(engine: Engine, name: string): boolean {
  return engine.host.mode === 'real' && existsSync(`/sys/class/net/${name}`);
}

export function netnsExists(engine: Engine, path: string): boolean {
  return engine.host.mode === 'real' && existsSync(path);
}
