// Host artefacts whose container or network no longer exists — left by a crash, a SIGKILLed
// command, a container directory removed by hand. Everything minidock makes carries an id in
// its name, alias, comment tag or command line, so `system prune` can find it; only this
// root's artefacts are considered (other roots have other tags).
import { readdirSync, readFileSync } from 'node:fs';
import type { Engine } from '../../engine.js';
import { ContainerStore } from '../store.js';
import { processStartTime } from '../../state/lock.js';
import { deleteRules, deleteTable, listRules, restoreIpForward } from './firewall.js';
import { readLinks, readNetnsNames } from './host-state.js';
import { planBridgeDown, planTeardown } from './link-plan.js';
import { hostNames } from './names.js';
import { PortReservations } from './port-alloc.js';
import { NetworkStore } from './store.js';
import { stopDns } from './dns.js';
import { removeSandbox } from './sandbox.js';

export type OrphanKind = 'netns' | 'veth' | 'bridge' | 'rule' | 'dnsmasq' | 'port' | 'endpoint';

export interface Orphan {
  kind: OrphanKind;
  /** Link or netns name, rule tag, pid, reservation file, `network/container`. */
  name: string;
  /** The id that no longer exists. */
  owner: string;
}

const escape = (s: string) => s.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');

/** dnsmasq processes of this root: pid, start time and the network id prefix in their pid-file option. */
function dnsmasqProcesses(dnsDir: string): { pid: number; start: string; netPrefix: string }[] {
  const out: { pid: number; start: string; netPrefix: string }[] = [];
  const re = new RegExp(`^--pid-file=${escape(dnsDir)}/([0-9a-f]{12})\\.pid$`);
  for (const d of readdirSync('/proc')) {
    if (!/^\d+$/.test(d)) continue;
    let argv: string[];
    try {
      argv = readFileSync(`/proc/${d}/cmdline`, 'utf8').split('\0');
    } catch {
      continue;
    }
    if (!argv[0]?.endsWith('dnsmasq')) continue;
    for (const a of argv) {
      const m = re.exec(a);
      const start = processStartTime(Number(d));
      if (m && start) out.push({ pid: Number(d), start, netPrefix: m[1] });
    }
  }
  return out;
}

export async function findOrphans(engine: Engine): Promise<Orphan[]> {
  const names = hostNames(engine);
  const containers = new Set(new ContainerStore(engine).ids());
  const nets = new NetworkStore(engine).records();
  const netIds = new Set(nets.map((n) => n.Id));
  const ctrGone = (id12: string) => ![...containers].some((c) => c.startsWith(id12));
  const out: Orphan[] = [];

  const nsRe = new RegExp(`^${escape(names.netns('x').slice(0, -1))}([0-9a-f]{12})$`);
  for (const ns of await readNetnsNames(engine)) {
    const m = nsRe.exec(ns);
    if (m && ctrGone(m[1])) out.push({ kind: 'netns', name: ns, owner: m[1] });
  }
  const vethRe = new RegExp(`^${escape(names.tag)}:ctr:([0-9a-f]{64}):net:([0-9a-f]{64})$`);
  const bridgeRe = new RegExp(`^${escape(names.tag)}:net:([0-9a-f]{64})$`);
  for (const l of await readLinks(engine)) {
    const v = vethRe.exec(l.alias);
    if (v && l.kind === 'veth' && !containers.has(v[1])) out.push({ kind: 'veth', name: l.ifname, owner: v[1] });
    const b = bridgeRe.exec(l.alias);
    if (b && l.kind === 'bridge' && !netIds.has(b[1])) out.push({ kind: 'bridge', name: l.ifname, owner: b[1] });
  }
  for (const r of await listRules(engine)) {
    const m = /^minidock:(ctr|net):([0-9a-f]{64})$/.exec(r.comment);
    if (!m) continue;
    const gone = m[1] === 'ctr' ? !containers.has(m[2]) : !netIds.has(m[2]);
    if (gone && !out.some((o) => o.kind === 'rule' && o.name === r.comment)) out.push({ kind: 'rule', name: r.comment, owner: m[2] });
  }
  if (engine.host.mode === 'real') {
    for (const p of dnsmasqProcesses(names.dnsDir)) {
      const net = nets.find((n) => n.Id.startsWith(p.netPrefix));
      const recorded = net?.Dns && net.Dns.Pid === p.pid && net.Dns.Start === p.start;
      if (!recorded) out.push({ kind: 'dnsmasq', name: `${p.pid} ${p.start}`, owner: p.netPrefix });
    }
  }
  for (const { file, owner } of new PortReservations(engine).all()) {
    if (owner?.root === engine.paths.root && !containers.has(owner.container)) out.push({ kind: 'port', name: file, owner: owner.container });
  }
  for (const n of nets) {
    for (const id of Object.keys(n.Endpoints)) if (!containers.has(id)) out.push({ kind: 'endpoint', name: `${n.Id}/${id}`, owner: id });
  }
  return out;
}

/** Delete what findOrphans found (processes by PID, checked against their start time). */
export async function pruneOrphans(engine: Engine): Promise<Orphan[]> {
  const found = await findOrphans(engine);
  const host = engine.host;
  const links = found.filter((o) => o.kind === 'veth').map((o) => o.name);
  const batch = planTeardown(links, undefined) + found.filter((o) => o.kind === 'bridge').map((o) => planBridgeDown(o.name)).join('') + found.filter((o) => o.kind === 'netns').map((o) => `netns del ${o.name}\n`).join('');
  if (batch) await host.run(['ip', '-force', '-b', '-'], { input: batch, allowFailure: true, why: 'remove leftover links and namespaces' });
  const tags = new Set(found.filter((o) => o.kind === 'rule').map((o) => o.name));
  if (tags.size) await deleteRules(engine, (c) => tags.has(c), 'remove leftover firewall rules');
  for (const o of found.filter((x) => x.kind === 'dnsmasq')) {
    const [pid, start] = o.name.split(' ');
    if (processStartTime(Number(pid)) === start) host.kill(Number(pid), 'SIGTERM', 'a dnsmasq of a network that no longer exists');
  }
  const ports = new PortReservations(engine);
  for (const o of found.filter((x) => x.kind === 'port')) ports.release(o.owner);
  const store = new NetworkStore(engine);
  const stale = found.filter((o) => o.kind === 'endpoint');
  if (stale.length) {
    await store.locked(async () => {
      for (const o of stale) {
        const [netId, ctr] = o.name.split('/');
        const net = store.read(netId);
        delete net.Endpoints[ctr];
        store.write(net);
      }
    });
  }
  return found;
}

/**
 * Remove every host artefact of this root — bridges, veths, netns, the nft table, dnsmasq,
 * port reservations — keeping the records (bridges come back on next use), and put ip_forward
 * back if minidock turned it on and no other root still has networks. For test teardown and
 * uninstalling; running containers lose their network.
 */
export async function resetNetworking(engine: Engine): Promise<void> {
  const names = hostNames(engine);
  const store = new NetworkStore(engine);
  await store.locked(async () => {
    for (const net of store.records()) {
      await stopDns(engine, net);
      for (const e of Object.values(net.Endpoints)) e.Active = false;
      net.Dns = null;
      store.write(net);
    }
  });
  const vethRe = new RegExp(`^${escape(names.tag)}:(ctr|net):`);
  const links = (await readLinks(engine)).filter((l) => vethRe.test(l.alias)).map((l) => l.ifname);
  const nsRe = new RegExp(`^${escape(names.netns('x').slice(0, -1))}[0-9a-f]{12}$`);
  const netns = (await readNetnsNames(engine)).filter((n) => nsRe.test(n));
  const batch = planTeardown(links, undefined) + netns.map((n) => `netns del ${n}\n`).join('');
  if (batch) await engine.host.run(['ip', '-force', '-b', '-'], { input: batch, allowFailure: true, why: 'remove every link and netns of this root' });
  await deleteTable(engine);
  const ports = new PortReservations(engine);
  for (const { owner } of ports.all()) if (owner?.root === engine.paths.root) ports.release(owner.container);
  for (const c of new ContainerStore(engine).ids()) removeSandbox(engine, c);
  await restoreIpForward(engine);
}
