// --internal networks: no route out. A container on one reaches its gateway's DNS but not the
// host's other addresses, while a container on a normal network does; the two networks are
// isolated from each other (docker's isolation chains).
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { attachNetworks, detachNetworks, NetworkStore } from '../../../src/runtime/network/index.js';
import { Fixture, isRoot, leftovers, ok, sh } from './helpers.js';

describe.skipIf(!isRoot)('internal networks', () => {
  let f: Fixture;
  beforeAll(() => {
    f = new Fixture();
  });
  afterAll(async () => {
    await f.cleanup();
    expect(await leftovers(f)).toEqual([]);
  });

  it('cannot reach the host or other networks; names still resolve', async () => {
    const hostIp = await f.hostAddress();
    // A listener on the host address the test made (busybox httpd on the host, by PID).
    const { spawn } = await import('node:child_process');
    const srv = spawn('/bin/busybox', ['httpd', '-f', '-p', `${hostIp}:8099`, '-h', f.www], { stdio: 'ignore' });
    f.procs.push(srv);
    const store = new NetworkStore(f.engine);
    await store.create({ name: 'secret', internal: true, subnet: '10.214.0.0/24' });
    await store.create({ name: 'open', subnet: '10.215.0.0/24' });
    const inside = f.container({ name: 'inside', network: 'secret' });
    const peer = f.container({ name: 'peer', network: 'secret' });
    const outside = f.container({ name: 'outside', network: 'open' });
    const a = await attachNetworks(f.engine, inside);
    const p = await attachNetworks(f.engine, peer);
    const b = await attachNetworks(f.engine, outside);
    const nsA = a.netnsPath.split('/').pop()!;
    const nsB = b.netnsPath.split('/').pop()!;
    try {
      const wget = (ns: string, url: string) => sh(['ip', 'netns', 'exec', ns, 'timeout', '2', '/bin/busybox', 'wget', '-q', '-O', '-', url]);
      for (let i = 0; i < 100 && (await wget(nsB, `http://${hostIp}:8099/`)).code !== 0; i++) await new Promise((r) => setTimeout(r, 20));
      expect((await wget(nsB, `http://${hostIp}:8099/`)).stdout).toBe('hello from minidock\n');
      expect((await wget(nsA, `http://${hostIp}:8099/`)).code).not.toBe(0);
      // No default route at all on an internal network (docker gives none either).
      expect(await ok(['ip', '-n', nsA, 'route'])).not.toContain('default');
      // Not even with a route added by hand (root in the netns): the input rule drops it.
      await ok(['ip', '-n', nsA, 'route', 'add', 'default', 'via', a.addresses[0].gateway]);
      expect((await wget(nsA, `http://${hostIp}:8099/`)).code).not.toBe(0);
      // Across networks: nothing, either way.
      await f.httpd(p.netnsPath.split('/').pop()!, p.addresses[0].ip);
      expect((await wget(nsB, `http://${p.addresses[0].ip}/`)).code).not.toBe(0);
      // Inside the network: fine, by name, through the gateway's dnsmasq (which forwards nothing).
      expect((await wget(nsA, `http://${p.addresses[0].ip}/`)).stdout).toBe('hello from minidock\n');
      const gw = a.addresses[0].gateway;
      expect(await ok(['ip', 'netns', 'exec', nsA, '/bin/busybox', 'nslookup', 'peer', gw])).toContain(`Address: ${p.addresses[0].ip}`);
      expect((await sh(['ip', 'netns', 'exec', nsA, '/bin/busybox', 'nslookup', 'example.com', gw])).stdout).toContain('NXDOMAIN');
    } finally {
      for (const c of [inside, peer, outside]) await detachNetworks(f.engine, c, { release: true });
    }
    await store.remove('secret');
    await store.remove('open');
    expect(await leftovers(f)).toEqual([]);
  });
});
