// Detaching a container from its networks when it stops (or after a crash, or when half an
// attach failed): every step works from names derived from the ids and tolerates what is
// already gone, so it is safe to call twice. The host end of each veth is deleted explicitly:
// netns teardown is asynchronous, and waiting for it would keep the veth names busy.
import { existsSync } from 'node:fs';
import type { Engine } from '../../engine.js';
import { MinidockError } from '../../errors.js';
import type { Container } from '../model.js';
import { endpointNetworks, setEndpoints } from './endpoints.js';
import { deleteRules } from './firewall.js';
import { linkExists, netnsExists } from './host-state.js';
import { planTeardown } from './link-plan.js';
import { ctrTag, hostNames } from './names.js';
import { PortReservations } from './port-alloc.js';
import { readSandbox, removeSandbox } from './sandbox.js';
import { NetworkStore } from './store.js';

export interface DetachOptions {
  /** Drop the container's endpoints (and addresses) on every network: `rm`. Default: keep them for the next start. */
  release?: boolean;
  /** Drop the endpoints on these networks only (a failed attach releases what it reserved). */
  releaseNetworks?: string[];
}

/** Remove links and netns; returns an error message or undefined. */
async function removeLinks(engine: Engine, hostVeths: string[], netns: string): Promise<string | undefined> {
  const real = engine.host.mode === 'real';
  const veths = real ? hostVeths.filter((v) => linkExists(engine, v)) : hostVeths;
  const ns = !real || netnsExists(engine, `/run/netns/${netns}`) ? netns : undefined;
  const batch = planTeardown(veths, ns);
  if (!batch) return undefined;
  // -force: go on after a line fails (a veth that vanished between the check and the delete).
  const r = await engine.host.run(['ip', '-force', '-b', '-'], { input: batch, allowFailure: true, why: `veths and netns of a stopped container` });
  const left = real ? [...veths.filter((v) => linkExists(engine, v)), ...(ns && netnsExists(engine, `/run/netns/${ns}`) ? [ns] : [])] : [];
  return left.length ? `could not remove ${left.join(', ')}: ${r.stderr.trim()}` : undefined;
}

export async function detachNetworks(engine: Engine, c: Pick<Container, 'Id'>, opts: DetachOptions = {}): Promise<void> {
  const id = c.Id;
  const names = hostNames(engine);
  const store = new NetworkStore(engine);
  const sandbox = readSandbox(engine, id);
  const nets = endpointNetworks(store, id);
  // Never attached (`--network none`/`host`, or a second call): attach reserves endpoints
  // before it makes anything, so with neither a sandbox nor an endpoint there is nothing to undo.
  if (!sandbox && nets.length === 0 && !existsSync(names.netnsPath(id))) return;
  const errors: string[] = [];
  const step = async (what: string, fn: () => Promise<unknown> | unknown) => {
    try {
      await fn();
    } catch (err) {
      errors.push(`${what}: ${(err as Error).message}`);
    }
  };

  const veths = new Set(nets.map((n) => names.hostVeth(id, n.Id)));
  for (const i of sandbox?.Interfaces ?? []) veths.add(i.HostVeth);
  await step('removing links', async () => {
    const e = await removeLinks(engine, [...veths], names.netns(id));
    if (e) throw new Error(e);
  });
  // Without a sandbox record (a crash mid-attach) there may be rules nobody wrote down.
  if (!sandbox || sandbox.Ports.length) {
    await step('removing published-port rules', () => deleteRules(engine, (t) => t === ctrTag(id), `published ports of ${id.slice(0, 12)}`));
  }
  await step('releasing host ports', () => new PortReservations(engine).release(id));
  const all = nets.map((n) => n.Id);
  const dropped = opts.release ? all : (opts.releaseNetworks ?? []);
  await step('updating endpoints', async () => {
    await setEndpoints(engine, store, id, dropped, { active: false, release: true });
    await setEndpoints(engine, store, id, all.filter((n) => !dropped.includes(n)), { active: false });
  });
  await step('removing network.json', () => removeSandbox(engine, id));
  if (errors.length) {
    throw new MinidockError(`detaching ${id.slice(0, 12)} from its networks: ${errors.join('; ')}`, { kind: 'host', context: { container: id } });
  }
}
