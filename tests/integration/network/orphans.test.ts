// After a crash: a container's record gone while its netns, veth, rules, port reservation and
// endpoint are still there. findOrphans lists them, pruneOrphans removes them; a network whose
// record vanished loses its bridge and rules; another root's artefacts are never touched.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { rmSync } from 'node:fs';
import { join } from 'node:path';
import { attachNetworks, detachNetworks, findOrphans, NetworkStore, pruneOrphans } from '../../../src/runtime/network/index.js';
import { Fixture, isRoot, leftovers, ok, sh } from './helpers.js';

describe.skipIf(!isRoot)('orphans', () => {
  let f: Fixture;
  let g: Fixture;
  beforeAll(() => {
    f = new Fixture();
    g = new Fixture();
  });
  afterAll(async () => {
    await f.cleanup();
    await g.cleanup();
    expect(await leftovers(f)).toEqual([]);
    expect(await leftovers(g)).toEqual([]);
  });

  it('finds and removes what a crash left', async () => {
    const port = 25000 + Math.floor(Math.random() * 5000);
    const store = new NetworkStore(f.engine);
    const net = await store.create({ name: 'crashy' });
    const lost = f.container({ name: 'lost', network: 'crashy', ports: { '80/tcp': [{ HostIp: '', HostPort: String(port) }] } });
    const kept = f.container({ name: 'kept', network: 'crashy' });
    await attachNetworks(f.engine, lost);
    await attachNetworks(f.engine, kept);
    // Another root's container: must survive f's prune.
    const foreign = g.container({ name: 'foreign' });
    await attachNetworks(g.engine, foreign);

    rmSync(f.engine.paths.container(lost.Id), { recursive: true, force: true }); // the crash
    const found = await findOrphans(f.engine);
    expect(found.map((o) => o.kind).sort()).toEqual(['endpoint', 'netns', 'port', 'rule', 'veth']);
    expect(found.every((o) => o.owner.startsWith(lost.Id.slice(0, 12)))).toBe(true);
    await pruneOrphans(f.engine);
    expect(await findOrphans(f.engine)).toEqual([]);
    expect(await ok(['nft', 'list', 'ruleset'])).not.toContain(lost.Id);
    expect((await sh(['ip', 'netns', 'list'])).stdout).not.toContain(lost.Id.slice(0, 12));
    expect(Object.keys(store.read(net.Id).Endpoints)).toEqual([kept.Id]);
    expect((await sh(['ip', 'netns', 'list'])).stdout).toContain(foreign.Id.slice(0, 12));

    // A network record lost: its bridge, rules and dnsmasq are orphans.
    await detachNetworks(f.engine, kept, { release: true });
    rmSync(join(f.engine.paths.networksDir, `${net.Id}.json`));
    expect((await findOrphans(f.engine)).map((o) => o.kind).sort()).toEqual(['bridge', 'rule']);
    await pruneOrphans(f.engine);
    expect(await findOrphans(f.engine)).toEqual([]);
    expect((await sh(['ip', 'link', 'show', net.BridgeName])).code).not.toBe(0);
    await detachNetworks(g.engine, foreign, { release: true });
  });
});
