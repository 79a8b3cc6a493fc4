// Name resolution on user-defined networks: one dnsmasq per network (not per container),
// listening only on the network's gateway address, answering container names, aliases and
// short ids from a hosts file that the engine rewrites when a container joins or leaves
// (SIGHUP makes dnsmasq re-read it), and forwarding other names to the host's resolvers —
// except on --internal networks, which answer only their own names. This is what docker's
// embedded DNS and podman's aardvark-dns do; the container's resolv.conf names the gateway
// (as podman does) rather than docker's 127.0.0.11, which would need NAT rules inside every
// container's netns. The default `bridge` network has no DNS, as in docker.
//
// The process runs while the network has running containers and is stopped (by PID, checked
// against its start time) when the last one leaves.
import { existsSync, mkdirSync, readdirSync, readFileSync } from 'node:fs';
import type { Engine } from '../../engine.js';
import { MinidockError } from '../../errors.js';
import { processStartTime } from '../../state/lock.js';
import type { NetworkRecord } from './model.js';
import { hostNames } from './names.js';

/** Names a container answers to on one network: name, aliases, short id, `name.network`. */
export function renderDnsHosts(net: NetworkRecord): string {
  const lines: string[] = [];
  const ids = Object.keys(net.Endpoints).sort();
  for (const id of ids) {
    const e = net.Endpoints[id];
    if (!e.Active) continue;
    const ip = e.IPv4Address.split('/')[0];
    const names = [e.Name, ...e.Aliases, id.slice(0, 12), `${e.Name}.${net.Name}`];
    lines.push(`${ip}\t${[...new Set(names)].join(' ')}`);
  }
  return lines.length ? lines.join('\n') + '\n' : '';
}

export interface DnsmasqSpec {
  listen: string;
  hostsFile: string;
  pidFile: string;
  /** Upstream resolvers; none on internal networks. */
  upstreams: string[];
  internal: boolean;
}

export function planDnsmasq(s: DnsmasqSpec): string[] {
  const argv = [
    'dnsmasq',
    '--conf-file=/dev/null', // ignore /etc/dnsmasq.conf: only these options
    `--pid-file=${s.pidFile}`,
    `--listen-address=${s.listen}`,
    '--bind-interfaces', // bind that one address, never 0.0.0.0:53
    '--no-hosts',
    `--addn-hosts=${s.hostsFile}`,
    '--no-resolv',
    '--domain-needed', // single-label names never leave the host
    '--no-negcache', // a container that starts later must resolve at once
    '--local-ttl=0',
  ];
  if (s.internal) argv.push('--local=/#/');
  for (const u of s.upstreams) argv.push(`--server=${u}`);
  return argv;
}

/** The host's nameservers. dnsmasq runs on the host, so 127.0.0.53 and friends work from it. */
export function hostUpstreams(resolvConf: string): string[] {
  const out: string[] = [];
  for (const line of resolvConf.split('\n')) {
    const m = /^\s*nameserver\s+(\S+)/.exec(line);
    if (m && /^[\d.]+$/.test(m[1])) out.push(m[1]);
  }
  return out;
}

function readText(path: string): string {
  try {
    return readFileSync(path, 'utf8');
  } catch {
    return '';
  }
}

export function dnsFiles(engine: Engine, net: NetworkRecord) {
  const dir = hostNames(engine).dnsDir;
  const short = net.Id.slice(0, 12);
  return { dir, hostsFile: `${dir}/${short}.hosts`, pidFile: `${dir}/${short}.pid` };
}

/**
 * Ours and not yet dead. A zombie counts as dead: dnsmasq daemonizes, so after SIGTERM it
 * waits for PID 1 (or a subreaper) to reap it, which may take a while.
 */
export function isDnsRunning(dns: NetworkRecord['Dns']): boolean {
  if (!dns || dns.Pid <= 0 || processStartTime(dns.Pid) !== dns.Start) return false;
  try {
    const stat = readFileSync(`/proc/${dns.Pid}/stat`, 'utf8');
    return !/^[ZX]/.test(stat.slice(stat.lastIndexOf(')') + 2));
  } catch {
    return false;
  }
}
const alive = isDnsRunning;

/**
 * Make the network's dnsmasq match its endpoints: write the hosts file and reload, start it
 * on the first running container, stop it after the last. Call under the networks lock;
 * returns the record's new `Dns` value.
 */
export async function syncDns(engine: Engine, net: NetworkRecord): Promise<NetworkRecord['Dns']> {
  if (net.Default) return null;
  const f = dnsFiles(engine, net);
  const active = Object.values(net.Endpoints).some((e) => e.Active);
  if (!active) {
    await stopDns(engine, net);
    return null;
  }
  if (engine.host.mode === 'real') mkdirSync(f.dir, { recursive: true, mode: 0o755 });
  await engine.host.writeFile(f.hostsFile, renderDnsHosts(net), `names on network ${net.Name}, read by its dnsmasq`);
  if (alive(net.Dns)) {
    engine.host.kill(net.Dns!.Pid, 'SIGHUP', `dnsmasq of ${net.Name} re-reads its hosts file`);
    return net.Dns;
  }
  const gateway = net.IPAM.Config[0].Gateway;
  const argv = planDnsmasq({
    listen: gateway,
    hostsFile: f.hostsFile,
    pidFile: f.pidFile,
    upstreams: net.Internal ? [] : hostUpstreams(readText('/etc/resolv.conf')),
    internal: net.Internal,
  });
  // dnsmasq forks, and its parent exits once the sockets are bound and the pid file written.
  await engine.host.run(argv, { why: `DNS for network ${net.Name} on ${gateway}:53` });
  if (engine.host.mode !== 'real') return { Pid: 0, Start: '' };
  const pid = Number(readText(f.pidFile).trim());
  const start = processStartTime(pid);
  if (!pid || !start) throw new MinidockError(`dnsmasq for network ${net.Name} did not start (no pid in ${f.pidFile})`, { kind: 'host' });
  return { Pid: pid, Start: start };
}

export async function stopDns(engine: Engine, net: NetworkRecord): Promise<void> {
  const f = dnsFiles(engine, net);
  if (alive(net.Dns)) {
    engine.host.kill(net.Dns!.Pid, 'SIGTERM', `no container left on network ${net.Name}: stop its dnsmasq`);
    // Wait for it: a new dnsmasq on the same address (the network re-used at once) would not bind.
    for (let i = 0; i < 200 && alive(net.Dns); i++) await new Promise((r) => setTimeout(r, 5));
  }
  await engine.host.remove(f.hostsFile, 'the network\'s DNS names');
  await engine.host.remove(f.pidFile, 'the network\'s dnsmasq pid file');
  if (engine.host.mode === 'real' && existsSync(f.dir) && readdirSync(f.dir).length === 0) await engine.host.rmdir(f.dir, 'no dnsmasq left for this root');
}
