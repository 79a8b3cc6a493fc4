// docker's JSON views: `network inspect` and a container's `NetworkSettings` (for `inspect`).
import type { Engine } from '../../engine.js';
import type { Container } from '../model.js';
import { readSandbox } from './sandbox.js';
import { NetworkStore, type NetworkSummary } from './store.js';

/** `network inspect REF`: the record in docker's shape, with only running containers under Containers. */
export async function inspectNetwork(engine: Engine, ref: string): Promise<Record<string, unknown>> {
  const store = new NetworkStore(engine);
  const n: NetworkSummary = store.get(ref);
  if (n.Driver !== 'bridge') {
    return { Name: n.Name, Id: n.Id, Created: n.Created, Scope: 'local', Driver: n.Driver, EnableIPv6: false, IPAM: { Driver: 'default', Options: null, Config: [] }, Internal: false, Attachable: false, Ingress: false, ConfigFrom: { Network: '' }, ConfigOnly: false, Containers: {}, Options: {}, Labels: {} };
  }
  const net = await store.bridgeRecord(n.Id);
  const containers: Record<string, unknown> = {};
  for (const [id, e] of Object.entries(net.Endpoints)) {
    if (!e.Active) continue;
    containers[id] = { Name: e.Name, EndpointID: e.EndpointID, MacAddress: e.MacAddress, IPv4Address: e.IPv4Address, IPv6Address: '' };
  }
  return {
    Name: net.Name,
    Id: net.Id,
    Created: net.Created,
    Scope: net.Scope,
    Driver: net.Driver,
    EnableIPv6: net.EnableIPv6,
    IPAM: net.IPAM,
    Internal: net.Internal,
    Attachable: net.Attachable,
    Ingress: false,
    ConfigFrom: { Network: '' },
    ConfigOnly: false,
    Containers: containers,
    Options: net.Options,
    Labels: net.Labels,
  };
}

/** A container's `NetworkSettings` in docker's shape, from its network records and (when running) its sandbox. */
export function networkSettings(engine: Engine, c: Container): Record<string, unknown> {
  const store = new NetworkStore(engine);
  const sandbox = readSandbox(engine, c.Id);
  const networks: Record<string, unknown> = {};
  let primary: { Gateway: string; IPAddress: string; IPPrefixLen: number; MacAddress: string } | undefined;
  for (const net of store.records()) {
    const e = net.Endpoints[c.Id];
    if (!e) continue;
    const live = sandbox?.Interfaces.find((i) => i.NetworkId === net.Id);
    const view = {
      IPAMConfig: e.IPAMConfig,
      Links: null,
      Aliases: e.Aliases.length ? e.Aliases : null,
      MacAddress: live ? e.MacAddress : '',
      NetworkID: net.Id,
      EndpointID: live ? e.EndpointID : '',
      Gateway: live ? live.Gateway : '',
      IPAddress: live ? live.IP : '',
      IPPrefixLen: live ? live.PrefixLen : 0,
      IPv6Gateway: '',
      GlobalIPv6Address: '',
      GlobalIPv6PrefixLen: 0,
      DNSNames: net.Default ? null : [e.Name, ...e.Aliases, c.Id.slice(0, 12)],
    };
    networks[net.Name] = view;
    if (net.Default && live) primary = { Gateway: view.Gateway, IPAddress: view.IPAddress, IPPrefixLen: view.IPPrefixLen, MacAddress: view.MacAddress };
  }
  const mode = c.HostConfig.NetworkMode;
  if (mode === 'host' || mode === 'none') networks[mode] = { IPAMConfig: null, Links: null, Aliases: null, NetworkID: '', EndpointID: '', Gateway: '', IPAddress: '', IPPrefixLen: 0, MacAddress: '' };
  const ports: Record<string, { HostIp: string; HostPort: string }[] | null> = {};
  for (const key of Object.keys(c.Config.ExposedPorts ?? {})) ports[key] = null;
  for (const p of sandbox?.Ports ?? []) (ports[`${p.containerPort}/${p.proto}`] ??= []).push({ HostIp: p.hostIp, HostPort: String(p.hostPort) });
  return {
    Bridge: '',
    SandboxID: sandbox ? sandbox.Netns : '',
    SandboxKey: sandbox ? sandbox.NetnsPath : '',
    Ports: ports,
    Gateway: primary?.Gateway ?? '',
    IPAddress: primary?.IPAddress ?? '',
    IPPrefixLen: primary?.IPPrefixLen ?? 0,
    MacAddress: primary?.MacAddress ?? '',
    Networks: networks,
  };
}

/** Names of the networks a container is connected to (`ps --filter network=`). */
export function containerNetworkNames(engine: Engine, c: Container): string[] {
  const names = new NetworkStore(engine)
    .records()
    .filter((n) => n.Endpoints[c.Id])
    .map((n) => n.Name);
  const mode = c.HostConfig.NetworkMode;
  if ((mode === 'host' || mode === 'none' || mode.startsWith('container:')) && !names.includes(mode)) names.unshift(mode);
  return names;
}
