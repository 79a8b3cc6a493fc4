// A network's host side: its bridge (with the gateway address, which installs the subnet's
// route), route_localnet on it, its firewall rules, ip_forward. Made when the network is
// created (so other roots see its route and pick another subnet) and re-made on first use if
// something removed it (a reboot, `resetNetworking`).
import type { Engine } from '../../engine.js';
import { MinidockError } from '../../errors.js';
import { overlaps, parseCidr } from './cidr.js';
import { applyNft, deleteRules, ensureIpForward, forwardDropWarning } from './firewall.js';
import { linkExists, readHostBlocks } from './host-state.js';
import { planBridgeDown, planBridgeUp } from './link-plan.js';
import type { NetworkRecord } from './model.js';
import { hostNames, netTag } from './names.js';
import { planNetworkRules } from './nft-plan.js';

export function poolOverlaps(detail: string): MinidockError {
  return new MinidockError('Pool overlaps with other one on this address space', { kind: 'conflict', context: { overlaps: detail } });
}

/** Locally administered, unicast, derived from the network id. */
export function bridgeMac(networkId: string): string {
  return ['02', ...networkId.slice(0, 10).match(/../g)!].join(':');
}

/** Bridges made by this process: a recording or dry-run host cannot look at /sys to know. */
const madeHere = new Set<string>();

export function bridgeReady(engine: Engine, net: NetworkRecord): boolean {
  return engine.host.mode === 'real' ? linkExists(engine, net.BridgeName) : madeHere.has(`${engine.paths.root}\0${net.BridgeName}`);
}

/** Create the bridge, its sysctl and firewall rules if the bridge is missing. Call under the host lock. */
export async function ensureBridge(engine: Engine, net: NetworkRecord): Promise<void> {
  if (bridgeReady(engine, net)) return;
  madeHere.add(`${engine.paths.root}\0${net.BridgeName}`);
  const subnet = parseCidr(net.IPAM.Config[0].Subnet)!;
  const clash = (await readHostBlocks(engine)).find((b) => overlaps(b, subnet));
  if (clash) throw poolOverlaps(`${net.IPAM.Config[0].Subnet} and a route or address of the host`);
  const host = engine.host;
  const tag = `${hostNames(engine).tag}:net:${net.Id}`;
  await host.run(['ip', '-b', '-'], {
    input: planBridgeUp({ name: net.BridgeName, mac: bridgeMac(net.Id), alias: tag, gateway: net.IPAM.Config[0].Gateway, prefixLen: subnet.prefix }),
    why: `bridge ${net.BridgeName} for network ${net.Name}`,
  });
  try {
    // Published ports answer on 127.0.0.1 through DNAT: the kernel drops 127/8 sources on any
    // interface but lo unless route_localnet is set on the outgoing one (podman does this too).
    await host.writeFile(`/proc/sys/net/ipv4/conf/${net.BridgeName}/route_localnet`, '1', 'publish ports on 127.0.0.1 without a userland proxy');
    // Stale rules of an earlier life of this network (a crash between bridge and rules) go first.
    await deleteRules(engine, (c) => c === netTag(net.Id), 'remove stale rules of this network');
    const rules = planNetworkRules(
      hostNames(engine).table,
      { id: net.Id, bridge: net.BridgeName, subnet: net.IPAM.Config[0].Subnet, gateway: net.IPAM.Config[0].Gateway, internal: net.Internal },
      netTag(net.Id),
    );
    await applyNft(engine, rules, `firewall rules for network ${net.Name}`);
    if (!net.Internal) await ensureIpForward(engine);
    const warning = await forwardDropWarning(engine);
    if (warning) host.comment(`WARNING: ${warning}`);
  } catch (err) {
    await removeBridge(engine, net).catch(() => {});
    throw err;
  }
}

/** Idempotent: rules, then the bridge (its route goes with it). */
export async function removeBridge(engine: Engine, net: NetworkRecord): Promise<void> {
  madeHere.delete(`${engine.paths.root}\0${net.BridgeName}`);
  await deleteRules(engine, (c) => c === netTag(net.Id), `firewall rules of network ${net.Name}`, true);
  if (linkExists(engine, net.BridgeName) || engine.host.mode !== 'real') {
    await engine.host.run(['ip', '-b', '-'], { input: planBridgeDown(net.BridgeName), why: `bridge of network ${net.Name}` });
  }
}
