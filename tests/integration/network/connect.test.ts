// `network connect`/`disconnect` of a running container (a veth hot-plugged into its netns),
// of a stopped one (only the endpoint), and --ip kept across a restart.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { attachNetworks, connectNetwork, detachNetworks, disconnectNetwork, NetworkStore } from '../../../src/runtime/network/index.js';
import { Fixture, isRoot, leftovers, ok, sh } from './helpers.js';

describe.skipIf(!isRoot)('connect and disconnect', () => {
  let f: Fixture;
  beforeAll(() => {
    f = new Fixture();
  });
  afterAll(async () => {
    await f.cleanup();
    expect(await leftovers(f)).toEqual([]);
  });

  it('hot-plugs and unplugs an interface; keeps --ip across restarts', async () => {
    const store = new NetworkStore(f.engine);
    await store.create({ name: 'front', subnet: '10.216.0.0/24' });
    await store.create({ name: 'back', subnet: '10.217.0.0/24' });
    const app = f.container({ name: 'app', network: 'front' });
    const db = f.container({ name: 'db', network: 'back' });
    const a = await attachNetworks(f.engine, app, { ip: '10.216.0.50' });
    const d = await attachNetworks(f.engine, db);
    const nsA = a.netnsPath.split('/').pop()!;
    try {
      expect(a.addresses[0].ip).toBe('10.216.0.50');
      await f.httpd(d.netnsPath.split('/').pop()!, d.addresses[0].ip);
      const wget = () => sh(['ip', 'netns', 'exec', nsA, 'timeout', '2', '/bin/busybox', 'wget', '-q', '-O', '-', `http://${d.addresses[0].ip}/`]);
      expect((await wget()).code).not.toBe(0); // isolated networks

      const iface = await connectNetwork(f.engine, 'back', app, { aliases: ['api'] });
      expect(iface).toMatchObject({ network: 'back', ifName: 'eth1' });
      expect(await ok(['ip', '-n', nsA, '-br', 'addr', 'show', 'eth1'])).toContain(`${iface!.ip}/24`);
      expect((await wget()).stdout).toBe('hello from minidock\n');
      expect(await ok(['ip', 'netns', 'exec', nsA, '/bin/busybox', 'nslookup', 'db', '10.217.0.1'])).toContain(`Address: ${d.addresses[0].ip}`);
      expect(await ok(['ip', 'netns', 'exec', nsA, '/bin/busybox', 'nslookup', 'api', '10.217.0.1'])).toContain(`Address: ${iface!.ip}`);
      await expect(connectNetwork(f.engine, 'back', app)).rejects.toThrow('endpoint with name app already exists in network back');

      await disconnectNetwork(f.engine, 'back', app);
      expect((await sh(['ip', '-n', nsA, 'link', 'show', 'eth1'])).code).not.toBe(0);
      expect((await wget()).code).not.toBe(0);
      await expect(disconnectNetwork(f.engine, 'back', app)).rejects.toThrow(`container ${app.Id} is not connected to network back`);

      // Stop, connect while stopped, start again: same --ip, and the new network as eth1.
      await detachNetworks(f.engine, app);
      expect(await connectNetwork(f.engine, 'back', app)).toBeUndefined();
      const again = await attachNetworks(f.engine, app);
      expect(again.addresses.map((x) => [x.network, x.ifName, x.ip])).toEqual([
        ['front', 'eth0', '10.216.0.50'],
        ['back', 'eth1', iface!.ip],
      ]);
      // --ip errors, as docker words them.
      const other = f.container({ name: 'other', network: 'front' });
      await expect(attachNetworks(f.engine, other, { ip: '10.216.0.50' })).rejects.toThrow('Address already in use');
      await expect(attachNetworks(f.engine, other, { ip: '10.9.9.9' })).rejects.toThrow("Invalid address 10.9.9.9: It does not belong to any of this network's subnets");
      await expect(store.remove('front')).rejects.toThrow(/has active endpoints/);
    } finally {
      await detachNetworks(f.engine, app, { release: true });
      await detachNetworks(f.engine, db, { release: true });
    }
    await store.remove('front');
    await store.remove('back');
  });
});
