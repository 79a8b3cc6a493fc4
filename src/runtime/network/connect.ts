// `network connect` / `network disconnect`. A stopped container only gains or loses an
// endpoint (its address is reserved now, its interface appears at the next start); a running
// one gets a veth hot-plugged into its netns, or loses it, at once.
import type { Engine } from '../../engine.js';
import { MinidockError } from '../../errors.js';
import type { Container } from '../model.js';
import { ensureBridges, sandboxInterface, vethSpec, type AttachedAddress } from './attach.js';
import { reserveEndpoints, setEndpoints } from './endpoints.js';
import { linkExists, netnsExists } from './host-state.js';
import { planContainerSide, planHostSide, planTeardown } from './link-plan.js';
import { parseNetworkMode } from './mode.js';
import { readSandbox, writeSandbox } from './sandbox.js';
import { NetworkStore } from './store.js';

export interface ConnectOptions {
  aliases?: string[];
  ip?: string;
}

function refuseSpecialModes(c: Container, netName: string): void {
  const mode = parseNetworkMode(c.HostConfig.NetworkMode);
  if (mode.kind === 'host' || netName === 'host') throw new MinidockError('container cannot be disconnected from host network or connected to host network', { kind: 'conflict' });
  if (mode.kind === 'none' || netName === 'none') throw new MinidockError('container cannot be connected to multiple networks with one of the networks in private (none) mode', { kind: 'conflict' });
  if (mode.kind === 'container') throw new MinidockError('container sharing network namespace with another container or host cannot be connected to any other network', { kind: 'conflict' });
}

/** Returns the new interface when the container is running, else undefined. */
export async function connectNetwork(engine: Engine, netRef: string, c: Container, opts: ConnectOptions = {}): Promise<AttachedAddress | undefined> {
  const store = new NetworkStore(engine);
  refuseSpecialModes(c, store.get(netRef).Name);
  let net = await store.bridgeRecord(netRef);
  if (net.Endpoints[c.Id]) throw new MinidockError(`endpoint with name ${c.Name} already exists in network ${net.Name}`, { kind: 'conflict' });
  const created = await reserveEndpoints(store, c.Id, c.Name, [{ networkId: net.Id, aliases: opts.aliases, ip: opts.ip }]);
  const sandbox = readSandbox(engine, c.Id);
  if (!sandbox || !netnsExists(engine, sandbox.NetnsPath)) return undefined;
  try {
    net = store.read(net.Id);
    await ensureBridges(engine, store, [net]);
    const used = new Set(sandbox.Interfaces.map((i) => i.IfName));
    let n = 0;
    while (used.has(`eth${n}`)) n++;
    const v = vethSpec(engine, c.Id, net, `eth${n}`);
    // A container whose networks were all internal gets its default route from this one.
    const gw = !sandbox.GatewayNetwork && !net.Internal ? { ifName: v.ifName, ip: net.IPAM.Config[0].Gateway } : undefined;
    await engine.host.run(['ip', '-b', '-'], { input: planHostSide(sandbox.Netns, [v], false), why: `hot-plug ${v.ifName} of ${c.Id.slice(0, 12)} into ${net.Name}` });
    await engine.host.run(['ip', '-n', sandbox.Netns, '-b', '-'], { input: planContainerSide([v], gw, false), why: `address of ${v.ifName}` });
    await setEndpoints(engine, store, c.Id, [net.Id], { active: true, name: c.Name });
    const iface = sandboxInterface(net, v);
    writeSandbox(engine, c.Id, { ...sandbox, Interfaces: [...sandbox.Interfaces, iface], GatewayNetwork: gw ? net.Id : sandbox.GatewayNetwork });
    return { network: net.Name, networkId: net.Id, ifName: iface.IfName, ip: iface.IP, gateway: iface.Gateway, mac: iface.MacAddress, prefixLen: iface.PrefixLen };
  } catch (err) {
    const v = vethSpec(engine, c.Id, store.read(net.Id), 'eth0');
    if (linkExists(engine, v.hostVeth)) await engine.host.run(['ip', '-force', '-b', '-'], { input: planTeardown([v.hostVeth], undefined), allowFailure: true, why: 'undo the hot-plug' });
    await setEndpoints(engine, store, c.Id, created, { active: false, release: true });
    throw err;
  }
}

export async function disconnectNetwork(engine: Engine, netRef: string, c: Container): Promise<void> {
  const store = new NetworkStore(engine);
  refuseSpecialModes(c, store.get(netRef).Name);
  const net = await store.bridgeRecord(netRef);
  if (!net.Endpoints[c.Id]) throw new MinidockError(`container ${c.Id} is not connected to network ${net.Name}`, { kind: 'not-found' });
  const sandbox = readSandbox(engine, c.Id);
  const iface = sandbox?.Interfaces.find((i) => i.NetworkId === net.Id);
  if (sandbox && iface) {
    if (linkExists(engine, iface.HostVeth) || engine.host.mode !== 'real') {
      // Deleting one end of a veth deletes its peer inside the container too.
      await engine.host.run(['ip', '-b', '-'], { input: planTeardown([iface.HostVeth], undefined), why: `unplug ${iface.IfName} of ${c.Id.slice(0, 12)} from ${net.Name}` });
    }
    writeSandbox(engine, c.Id, {
      ...sandbox,
      Interfaces: sandbox.Interfaces.filter((i) => i !== iface),
      GatewayNetwork: sandbox.GatewayNetwork === net.Id ? '' : sandbox.GatewayNetwork,
    });
  }
  await setEndpoints(engine, store, c.Id, [net.Id], { active: false, release: true });
}
