// Attaching a container to its networks before its start chain runs: a named netns
// (`ip netns add`), a veth pair per network with the host end on the network's bridge and the
// container end as eth0, eth1…, addresses, the default route, published ports (DNAT rules),
// its names in each network's DNS. Two `ip -b` processes and at most one `nft -f` per attach.
// On any failure everything done so far is undone by the (idempotent) detach.
import { readFileSync } from 'node:fs';
import type { Engine } from '../../engine.js';
import { MinidockError, wrap } from '../../errors.js';
import type { Container } from '../model.js';
import { ContainerStore } from '../store.js';
import { detachNetworks } from './detach.js';
import { endpointNetworks, reserveEndpoints, setEndpoints } from './endpoints.js';
import { applyNft } from './firewall.js';
import { bridgeReady, ensureBridge } from './bridge.js';
import { planContainerSide, planHostSide, type VethSpec } from './link-plan.js';
import type { NetworkRecord, PublishedPort, Sandbox, SandboxInterface } from './model.js';
import { parseNetworkMode, type StartNetwork } from './mode.js';
import { ctrTag, hostNames } from './names.js';
import { planPortRules } from './nft-plan.js';
import { PortReservations, type Probe } from './port-alloc.js';
import { expandPortRequests } from './port-spec.js';
import { readSandbox, writeSandbox } from './sandbox.js';
import { NetworkStore } from './store.js';

export interface AttachOptions {
  /** `--network-alias` for the container's primary network (NetworkMode), when it joins it now. */
  aliases?: string[];
  /** `--ip` on the primary network. */
  ip?: string;
  /** Replaces the host-port bind probe (tests). */
  probe?: Probe;
}

export interface AttachedAddress {
  network: string;
  networkId: string;
  ifName: string;
  ip: string;
  gateway: string;
  mac: string;
  prefixLen: number;
}

export interface ResolvConfSpec {
  nameservers: string[];
  search: string[];
  options: string[];
}

export interface AttachResult {
  /** Give this to prepareStart's `network`. */
  network: StartNetwork;
  /** The netns the container joins ('' for `none` and `host`). */
  netnsPath: string;
  addresses: AttachedAddress[];
  ports: PublishedPort[];
  /** User-defined networks: the container asks the network's dnsmasq. Undefined: use the host's resolv.conf. */
  resolvConf?: ResolvConfSpec;
  /** `--add-host` entries with `host-gateway` resolved to the container's gateway. */
  hostsEntries: { name: string; ip: string }[];
}

export function resolveExtraHosts(extraHosts: string[], hostGateway: string | undefined): { name: string; ip: string }[] {
  return extraHosts.map((h) => {
    const i = h.indexOf(':');
    const name = h.slice(0, i);
    const ip = h.slice(i + 1);
    if (ip === 'host-gateway') {
      if (!hostGateway) throw new MinidockError(`cannot resolve host-gateway for --add-host ${h}: the container has no gateway`, { kind: 'usage', exitCode: 125 });
      return { name, ip: hostGateway };
    }
    return { name, ip };
  });
}

function readHostResolv(): string {
  try {
    return readFileSync('/etc/resolv.conf', 'utf8');
  } catch {
    return '';
  }
}

/** docker's embedded-DNS resolv.conf, pointing at the network's dnsmasq instead of 127.0.0.11. */
export function planResolvConf(gateway: string, hostResolv: string, dns: string[]): ResolvConfSpec {
  const search: string[] = [];
  for (const line of hostResolv.split('\n')) {
    const m = /^\s*search\s+(.*)$/.exec(line);
    if (m) search.splice(0, search.length, ...m[1].trim().split(/\s+/));
  }
  // --dns servers stay as fallbacks after the network's resolver (which forwards to the host's).
  return { nameservers: [gateway, ...dns.filter((d) => d !== gateway)], search, options: ['ndots:0'] };
}

/** The netns of `container:NAME`: the other container's own one, while it runs. */
function sharedNetns(engine: Engine, ref: string): AttachResult {
  const other = new ContainerStore(engine).get(ref);
  const s = other.state;
  if (s.Status !== 'running' && s.Status !== 'paused') {
    throw new MinidockError(`cannot join network of a non running container: ${other.container.Name}`, { kind: 'conflict', exitCode: 125 });
  }
  const sb = readSandbox(engine, other.container.Id);
  const path = sb?.NetnsPath ?? `/proc/${s.Pid}/ns/net`;
  const gw = sb?.Interfaces.find((i) => i.NetworkId === sb.GatewayNetwork)?.Gateway;
  return {
    network: { kind: 'path', path },
    netnsPath: path,
    addresses: [],
    ports: [],
    hostsEntries: resolveExtraHosts(other.container.HostConfig.ExtraHosts, gw),
  };
}

/** Order: the primary network first, then the others by name (their interfaces eth1, eth2…). */
async function containerNetworks(store: NetworkStore, c: Container, primaryRef: string): Promise<NetworkRecord[]> {
  const primary = await store.bridgeRecord(primaryRef);
  const others = endpointNetworks(store, c.Id)
    .filter((n) => n.Id !== primary.Id)
    .sort((a, b) => a.Name.localeCompare(b.Name));
  return [primary, ...others];
}

export function vethSpec(engine: Engine, containerId: string, net: NetworkRecord, ifName: string): VethSpec {
  const e = net.Endpoints[containerId];
  const [ip, prefix] = e.IPv4Address.split('/');
  const names = hostNames(engine);
  return {
    hostVeth: names.hostVeth(containerId, net.Id),
    ifName,
    mac: e.MacAddress,
    bridge: net.BridgeName,
    alias: `${names.tag}:ctr:${containerId}:net:${net.Id}`,
    ip,
    prefixLen: Number(prefix),
  };
}

export function sandboxInterface(net: NetworkRecord, v: VethSpec): SandboxInterface {
  return { NetworkId: net.Id, Network: net.Name, IfName: v.ifName, HostVeth: v.hostVeth, IP: v.ip, PrefixLen: v.prefixLen, Gateway: net.IPAM.Config[0].Gateway, MacAddress: v.mac };
}

export async function ensureBridges(engine: Engine, store: NetworkStore, nets: NetworkRecord[]): Promise<void> {
  const missing = nets.filter((n) => !bridgeReady(engine, n));
  if (missing.length) await store.hostLocked(async () => {
    for (const n of missing) await ensureBridge(engine, n);
  });
}

export async function attachNetworks(engine: Engine, c: Container, opts: AttachOptions = {}): Promise<AttachResult> {
  const mode = parseNetworkMode(c.HostConfig.NetworkMode);
  const extra = c.HostConfig.ExtraHosts;
  if (mode.kind === 'none') return { network: { kind: 'new' }, netnsPath: '', addresses: [], ports: [], hostsEntries: resolveExtraHosts(extra, undefined) };
  if (mode.kind === 'host') return { network: { kind: 'host' }, netnsPath: '', addresses: [], ports: [], hostsEntries: resolveExtraHosts(extra, '127.0.0.1') };
  if (mode.kind === 'container') return sharedNetns(engine, mode.ref);

  const store = new NetworkStore(engine);
  const names = hostNames(engine);
  const netns = names.netns(c.Id);
  let created: string[] = [];
  try {
    let nets = await containerNetworks(store, c, mode.ref);
    created = await reserveEndpoints(store, c.Id, c.Name, nets.map((n, i) => (i === 0 ? { networkId: n.Id, aliases: opts.aliases, ip: opts.ip } : { networkId: n.Id })));
    nets = nets.map((n) => store.read(n.Id));
    await ensureBridges(engine, store, nets);

    const veths = nets.map((n, i) => vethSpec(engine, c.Id, n, `eth${i}`));
    const gatewayIndex = nets.findIndex((n) => !n.Internal);
    const gw = gatewayIndex >= 0 ? { ifName: veths[gatewayIndex].ifName, ip: nets[gatewayIndex].IPAM.Config[0].Gateway } : undefined;

    // Ports before links: a taken port must fail the run before anything exists on the host.
    const requests = gatewayIndex >= 0 ? expandPortRequests(c.HostConfig.PortBindings, c.HostConfig.PublishAllPorts, c.Config.ExposedPorts) : [];
    const ports = requests.length ? await new PortReservations(engine, opts.probe).reserve(c.Id, requests) : [];

    await engine.host.run(['ip', '-b', '-'], { input: planHostSide(netns, veths, true), why: `network namespace and veths of ${c.Id.slice(0, 12)}` });
    await engine.host.run(['ip', '-n', netns, '-b', '-'], { input: planContainerSide(veths, gw, true), why: `addresses and routes inside ${c.Id.slice(0, 12)}` });
    if (ports.length) {
      const target = veths[gatewayIndex].ip;
      const rules = ports.map((p) => ({ hostIp: p.hostIp, hostPort: p.hostPort, proto: p.proto, containerIp: target, containerPort: p.containerPort }));
      await applyNft(engine, planPortRules(names.table, rules, ctrTag(c.Id)), `published ports of ${c.Id.slice(0, 12)}`);
    }
    await setEndpoints(engine, store, c.Id, nets.map((n) => n.Id), { active: true, name: c.Name });

    const sandbox: Sandbox = {
      Netns: netns,
      NetnsPath: names.netnsPath(c.Id),
      Interfaces: nets.map((n, i) => sandboxInterface(n, veths[i])),
      GatewayNetwork: gatewayIndex >= 0 ? nets[gatewayIndex].Id : '',
      Ports: ports,
    };
    writeSandbox(engine, c.Id, sandbox);
    const userNet = nets.find((n) => !n.Default);
    return {
      network: { kind: 'path', path: sandbox.NetnsPath },
      netnsPath: sandbox.NetnsPath,
      addresses: sandbox.Interfaces.map((i) => ({ network: i.Network, networkId: i.NetworkId, ifName: i.IfName, ip: i.IP, gateway: i.Gateway, mac: i.MacAddress, prefixLen: i.PrefixLen })),
      ports,
      resolvConf: userNet ? planResolvConf(userNet.IPAM.Config[0].Gateway, readHostResolv(), c.HostConfig.Dns) : undefined,
      hostsEntries: resolveExtraHosts(extra, gw?.ip),
    };
  } catch (err) {
    const failure = err instanceof MinidockError ? err : wrap(`attaching ${c.Id.slice(0, 12)} to its networks`, err, { exitCode: 125 });
    try {
      await detachNetworks(engine, c, { releaseNetworks: created });
    } catch (undo) {
      throw new MinidockError(`${failure.message} (and undoing the attach failed: ${(undo as Error).message})`, { kind: failure.kind, exitCode: failure.exitCode, cause: failure });
    }
    throw failure;
  }
}

/** Published ports of a running container (empty when it is not attached): `port` and the PORTS column. */
export function publishedPorts(engine: Engine, c: Pick<Container, 'Id'>): PublishedPort[] {
  return readSandbox(engine, c.Id)?.Ports ?? [];
}
