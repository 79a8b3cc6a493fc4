// Network records: docker's errors for create/rm, predefined networks, lookup, prune.
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createEngine, type Engine } from '../../../src/engine.js';
import { RecordingHost } from '../../../src/host/script.js';
import { reserveEndpoints, setEndpoints } from '../../../src/runtime/network/endpoints.js';
import { NetworkStore, predefinedId } from '../../../src/runtime/network/store.js';
import { NetworkSchema } from '../../../src/runtime/network/model.js';
import { readFileSync } from 'node:fs';

let root: string;
let engine: Engine;
let store: NetworkStore;
beforeEach(() => {
  root = mkdtempSync(join(tmpdir(), 'minidock-netstore-'));
  engine = createEngine({ host: new RecordingHost(), root });
  store = new NetworkStore(engine);
});
afterEach(() => rmSync(root, { recursive: true, force: true }));

describe('NetworkStore', () => {
  it('lists the predefined networks as docker does, with stable ids', async () => {
    expect(store.list().map((n) => [n.Name, n.Driver, n.Scope])).toEqual([
      ['bridge', 'bridge', 'local'],
      ['host', 'host', 'local'],
      ['none', 'null', 'local'],
    ]);
    const before = store.get('bridge').Id;
    const def = await store.ensureDefault();
    expect(def.Id).toBe(before);
    expect(def.Id).toBe(predefinedId(root, 'bridge'));
    expect(def.IPAM.Config[0]).toEqual({ Subnet: '172.17.0.0/16', Gateway: '172.17.0.1' });
    expect(store.list()).toHaveLength(3);
  });

  it('creates with docker\'s checks and errors', async () => {
    const a = await store.create({ name: 'a', labels: { team: 'x' } });
    expect(a.IPAM.Config[0].Subnet).toBe('172.17.0.0/16'); // the default network does not exist yet
    expect(a.BridgeName).toBe(`mdbr-${a.Id.slice(0, 10)}`);
    expect((await store.create({ name: 'b' })).IPAM.Config[0].Subnet).toBe('172.18.0.0/16');
    await expect(store.create({ name: 'a' })).rejects.toThrow('network with name a already exists');
    await expect(store.create({ name: 'host' })).rejects.toThrow('network with name host already exists');
    await expect(store.create({ name: 'c', subnet: '172.18.3.0/24' })).rejects.toThrow('Pool overlaps with other one on this address space');
    await expect(store.create({ name: 'c', subnet: '300.1.1.0/24' })).rejects.toThrow('invalid CIDR address: 300.1.1.0/24');
    await expect(store.create({ name: 'c', subnet: '10.1.0.0/16', gateway: '10.2.0.1' })).rejects.toThrow('no matching subnet for gateway 10.2.0.1');
    await expect(store.create({ name: 'c', gateway: '10.2.0.1' })).rejects.toThrow('every ip-range or gateway must have a corresponding subnet');
    await expect(store.create({ name: 'c', driver: 'overlay' })).rejects.toThrow('plugin "overlay" not found');
    await expect(store.create({ name: 'c', driver: 'host' })).rejects.toThrow('only one instance of "host" network is allowed');
    await expect(store.create({ name: 'bad name' })).rejects.toThrow(/invalid network name/);
    // Only a and b were written, each a valid record.
    expect(store.records().map((r) => r.Name).sort()).toEqual(['a', 'b']);
    expect(NetworkSchema.safeParse(JSON.parse(readFileSync(join(engine.paths.networksDir, `${a.Id}.json`), 'utf8'))).success).toBe(true);
  });

  it('finds by name, id and unique prefix', async () => {
    const a = await store.create({ name: 'alpha' });
    expect(store.get('alpha').Id).toBe(a.Id);
    expect(store.get(a.Id).Name).toBe('alpha');
    expect(store.get(a.Id.slice(0, 6)).Name).toBe('alpha');
    expect(() => store.get('nope')).toThrow('network nope not found');
  });

  it('removes: not predefined, not while a container runs on it; prune keeps used ones', async () => {
    await expect(store.remove('bridge')).rejects.toThrow('bridge is a pre-defined network and cannot be removed');
    await expect(store.remove('none')).rejects.toThrow('none is a pre-defined network and cannot be removed');
    const used = await store.create({ name: 'used' });
    const stopped = await store.create({ name: 'stopped' });
    await store.create({ name: 'unused' });
    const c1 = '1'.repeat(64);
    const c2 = '2'.repeat(64);
    await reserveEndpoints(store, c1, 'one', [{ networkId: used.Id }]);
    await reserveEndpoints(store, c2, 'two', [{ networkId: stopped.Id }]);
    await setEndpoints(engine, store, c1, [used.Id], { active: true });
    await expect(store.remove('used')).rejects.toThrow(`error while removing network: network used id ${used.Id} has active endpoints`);
    expect(await store.prune()).toEqual(['unused']);
    await store.remove('stopped'); // a stopped container does not hold a network (docker)
    expect(store.list().map((n) => n.Name)).toEqual(['bridge', 'host', 'none', 'used']);
  });
});
