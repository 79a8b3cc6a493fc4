// A container's endpoints on its networks: reserved (an address recorded in the network's
// file) under the networks lock, activated once its interface exists (its names go into the
// network's DNS), deactivated when it stops, released when it leaves the network or is removed.
import { randomBytes } from 'node:crypto';
import type { Engine } from '../../engine.js';
import { MinidockError } from '../../errors.js';
import { macForIp, parseCidr, parseIp } from './cidr.js';
import { syncDns } from './dns.js';
import { pickAddress } from './ipam.js';
import type { Endpoint, NetworkRecord } from './model.js';
import type { NetworkStore } from './store.js';

export interface EndpointRequest {
  networkId: string;
  aliases?: string[];
  ip?: string;
}

function newEndpoint(net: NetworkRecord, name: string, req: EndpointRequest): Endpoint {
  if (net.Default && req.aliases?.length) {
    throw new MinidockError('network-scoped alias is supported only for containers in user defined networks', { kind: 'usage', exitCode: 125 });
  }
  const ip = pickAddress(net, req.ip);
  const prefix = parseCidr(net.IPAM.Config[0].Subnet)!.prefix;
  return {
    Name: name,
    EndpointID: randomBytes(32).toString('hex'),
    MacAddress: macForIp(parseIp(ip)!),
    IPv4Address: `${ip}/${prefix}`,
    Aliases: req.aliases ?? [],
    IPAMConfig: req.ip ? { IPv4Address: req.ip } : null,
    Active: false,
  };
}

/**
 * Make sure `containerId` has an endpoint on each network (existing ones keep their address).
 * Returns the ids of the networks where it was created now, for rollback.
 */
export async function reserveEndpoints(store: NetworkStore, containerId: string, name: string, reqs: EndpointRequest[]): Promise<string[]> {
  return store.locked(() => {
    const created: string[] = [];
    const pending: NetworkRecord[] = [];
    for (const req of reqs) {
      const net = store.read(req.networkId);
      if (net.Endpoints[containerId]) continue;
      net.Endpoints[containerId] = newEndpoint(net, name, req);
      pending.push(net);
      created.push(net.Id);
    }
    // Written only when every network had room: an error above leaves nothing reserved.
    for (const net of pending) store.write(net);
    return created;
  });
}

/** Mark endpoints active or not (and drop them with `release`), then bring each network's DNS in line. */
export async function setEndpoints(engine: Engine, store: NetworkStore, containerId: string, networkIds: string[], change: { active: boolean; release?: boolean; name?: string }): Promise<void> {
  await store.locked(async () => {
    for (const id of networkIds) {
      let net: NetworkRecord;
      try {
        net = store.read(id);
      } catch {
        continue; // the network was removed meanwhile
      }
      const e = net.Endpoints[containerId];
      if (!e) continue;
      if (change.release) delete net.Endpoints[containerId];
      else {
        e.Active = change.active;
        if (change.name) e.Name = change.name;
      }
      net.Dns = await syncDns(engine, net);
      store.write(net);
    }
  });
}

/** Network ids where `containerId` has an endpoint (connected while stopped, or earlier runs). */
export function endpointNetworks(store: NetworkStore, containerId: string): NetworkRecord[] {
  return store.records().filter((n) => n.Endpoints[containerId]);
}
