// Many `run`s at once on one network: distinct addresses, every one answers, and all of it
// goes away on detach.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { attachNetworks, detachNetworks, NetworkStore } from '../../../src/runtime/network/index.js';
import { Fixture, isRoot, leftovers, ok } from './helpers.js';

describe.skipIf(!isRoot)('parallel attaches', () => {
  let f: Fixture;
  beforeAll(() => {
    f = new Fixture();
  });
  afterAll(async () => {
    await f.cleanup();
    expect(await leftovers(f)).toEqual([]);
  });

  it('20 containers get distinct addresses and all answer', async () => {
    const store = new NetworkStore(f.engine);
    await store.create({ name: 'many' });
    const cs = Array.from({ length: 20 }, (_, i) => f.container({ name: `c${i}`, network: 'many' }));
    const started = performance.now();
    const results = await Promise.all(cs.map((c) => attachNetworks(f.engine, c)));
    const ms = performance.now() - started;
    console.log(`20 parallel attaches: ${ms.toFixed(0)} ms`);
    const ips = results.map((r) => r.addresses[0].ip);
    expect(new Set(ips).size).toBe(20);
    try {
      await Promise.all(results.map((r) => f.httpd(r.netnsPath.split('/').pop()!, r.addresses[0].ip)));
      const first = results[0].netnsPath.split('/').pop()!;
      const gw = results[0].addresses[0].gateway;
      for (const [i, ip] of ips.entries()) {
        expect(await ok(['ip', 'netns', 'exec', first, 'timeout', '3', '/bin/busybox', 'wget', '-q', '-O', '-', `http://${ip}/`])).toBe('hello from minidock\n');
        expect(await ok(['ip', 'netns', 'exec', first, '/bin/busybox', 'nslookup', `c${i}`, gw])).toContain(`Address: ${ip}`);
      }
    } finally {
      await Promise.all(cs.map((c) => detachNetworks(f.engine, c, { release: true })));
    }
    expect(Object.keys(store.read(store.get('many').Id).Endpoints)).toEqual([]);
    await store.remove('many');
  });
});
