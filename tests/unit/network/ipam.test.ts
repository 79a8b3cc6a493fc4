// Addresses: lowest free first, --ip with docker's errors, and no two processes ever handed
// the same address (the networks lock around read-pick-write).
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { execFile } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { build } from 'esbuild';
import { createEngine, type Engine } from '../../../src/engine.js';
import { RecordingHost } from '../../../src/host/script.js';
import { reserveEndpoints } from '../../../src/runtime/network/endpoints.js';
import { pickAddress } from '../../../src/runtime/network/ipam.js';
import { NetworkStore } from '../../../src/runtime/network/store.js';

let root: string;
let engine: Engine;
let store: NetworkStore;
beforeAll(() => {
  root = mkdtempSync(join(tmpdir(), 'minidock-ipam-'));
  engine = createEngine({ host: new RecordingHost(), root });
  store = new NetworkStore(engine);
});
afterAll(() => rmSync(root, { recursive: true, force: true }));

const cid = (n: number) => n.toString(16).padStart(64, '0');

describe('IPAM', () => {
  it('hands out the lowest free address, skipping the gateway, and reuses freed ones', async () => {
    const net = await store.create({ name: 'small', subnet: '10.50.0.0/29' });
    expect(net.IPAM.Config[0]).toEqual({ Subnet: '10.50.0.0/29', Gateway: '10.50.0.1' });
    for (let i = 1; i <= 5; i++) await reserveEndpoints(store, cid(i), `c${i}`, [{ networkId: net.Id }]);
    const ips = () => Object.values(store.read(net.Id).Endpoints).map((e) => e.IPv4Address);
    expect(ips()).toEqual(['10.50.0.2/29', '10.50.0.3/29', '10.50.0.4/29', '10.50.0.5/29', '10.50.0.6/29']);
    await expect(reserveEndpoints(store, cid(6), 'c6', [{ networkId: net.Id }])).rejects.toThrow(`no available IPv4 addresses on this network's address pools: small (${net.Id})`);
    await store.update(net.Id, (n) => void delete n.Endpoints[cid(2)]);
    await reserveEndpoints(store, cid(7), 'c7', [{ networkId: net.Id }]);
    expect(store.read(net.Id).Endpoints[cid(7)].IPv4Address).toBe('10.50.0.3/29');
    expect(store.read(net.Id).Endpoints[cid(7)].MacAddress).toBe('02:42:0a:32:00:03');
  });

  it('--ip: docker\'s errors', async () => {
    const user = await store.create({ name: 'withsubnet', subnet: '10.51.0.0/24', gateway: '10.51.0.254' });
    const auto = await store.create({ name: 'auto' });
    expect(pickAddress(user)).toBe('10.51.0.1');
    expect(pickAddress(user, '10.51.0.77')).toBe('10.51.0.77');
    expect(() => pickAddress(user, '10.51.0.254')).toThrow('Address already in use');
    expect(() => pickAddress(user, '10.52.0.1')).toThrow("Invalid address 10.52.0.1: It does not belong to any of this network's subnets");
    expect(() => pickAddress(user, 'ten')).toThrow('invalid IPv4 address: ten');
    expect(() => pickAddress(auto, '172.17.0.9')).toThrow('user specified IP address is supported only when connecting to networks with user configured subnets');
    const def = await store.ensureDefault();
    expect(() => pickAddress(def, '172.17.0.9')).toThrow('user specified IP address is supported on user defined networks only');
    await reserveEndpoints(store, cid(20), 'x', [{ networkId: user.Id, ip: '10.51.0.77' }]);
    await expect(reserveEndpoints(store, cid(21), 'y', [{ networkId: user.Id, ip: '10.51.0.77' }])).rejects.toThrow('Address already in use');
    expect(store.read(user.Id).Endpoints[cid(21)]).toBeUndefined();
  });

  it('many processes allocating at once never collide', async () => {
    const net = await store.create({ name: 'busy', subnet: '10.60.0.0/24' });
    const out = join(root, 'ipam-child.mjs');
    await build({ entryPoints: [join(import.meta.dirname, 'ipam-child.ts')], bundle: true, platform: 'node', format: 'esm', outfile: out, logLevel: 'silent' });
    const run = () =>
      new Promise<string[]>((resolve, reject) =>
        execFile(process.execPath, [out, root, net.Id, '8'], (err, stdout, stderr) => (err ? reject(new Error(`${err.message}\n${stderr}`)) : resolve(JSON.parse(stdout) as string[]))),
      );
    const results = (await Promise.all(Array.from({ length: 12 }, run))).flat();
    expect(results).toHaveLength(96);
    expect(new Set(results).size).toBe(96);
    expect(Object.keys(store.read(net.Id).Endpoints)).toHaveLength(96);
  });
});
