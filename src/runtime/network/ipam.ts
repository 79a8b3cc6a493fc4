// Addresses on a network: the lowest free host address of the subnet (not the gateway), or
// the one asked for with --ip, with docker's errors. Pure; the store calls it with the
// networks lock held and records the result in the network's file before anyone else looks,
// so concurrent `run`s never get the same address and a restart keeps its own.
import { MinidockError } from '../../errors.js';
import { contains, formatIp, isHostAddress, last, parseCidr, parseIp } from './cidr.js';
import type { NetworkRecord } from './model.js';

export function usedAddresses(net: NetworkRecord): Set<number> {
  const used = new Set<number>();
  for (const e of Object.values(net.Endpoints)) {
    const ip = parseIp(e.IPv4Address.split('/')[0]);
    if (ip !== undefined) used.add(ip);
  }
  return used;
}

function ipError(message: string): MinidockError {
  return new MinidockError(message, { kind: 'usage', exitCode: 125 });
}

/** Check a `--ip` request against the network (before anything is reserved). */
export function checkRequestedIp(net: NetworkRecord, requested: string): number {
  if (net.Default) throw ipError('user specified IP address is supported on user defined networks only');
  if (!net.UserSubnet) throw ipError('user specified IP address is supported only when connecting to networks with user configured subnets');
  const ip = parseIp(requested);
  if (ip === undefined) throw ipError(`invalid IPv4 address: ${requested}`);
  const subnet = parseCidr(net.IPAM.Config[0].Subnet)!;
  if (!contains(subnet, ip)) throw ipError(`Invalid address ${requested}: It does not belong to any of this network's subnets`);
  return ip;
}

/** The address for a new endpoint, as `a.b.c.d`. */
export function pickAddress(net: NetworkRecord, requested?: string): string {
  const subnet = parseCidr(net.IPAM.Config[0].Subnet)!;
  const gateway = parseIp(net.IPAM.Config[0].Gateway);
  const used = usedAddresses(net);
  if (requested) {
    const ip = checkRequestedIp(net, requested);
    if (used.has(ip) || ip === gateway || !isHostAddress(subnet, ip)) {
      throw new MinidockError('Address already in use', { kind: 'conflict', exitCode: 125, context: { ip: requested, network: net.Name } });
    }
    return requested;
  }
  for (let ip = subnet.base; ip <= last(subnet); ip++) {
    if (ip !== gateway && !used.has(ip) && isHostAddress(subnet, ip)) return formatIp(ip);
  }
  throw new MinidockError(`no available IPv4 addresses on this network's address pools: ${net.Name} (${net.Id})`, { kind: 'conflict', exitCode: 125 });
}
