// Name resolution on a user-defined network: containers find each other by name, alias and
// short id through the network's dnsmasq — asked directly, and through the resolv.conf that
// attach returns (bind-mounted in a private mount namespace, as the container will see it).
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { attachNetworks, detachNetworks, NetworkStore } from '../../../src/runtime/network/index.js';
import { isDnsRunning } from '../../../src/runtime/network/dns.js';
import { renderResolvConf } from '../../../src/runtime/etc-files.js';
import { Fixture, isRoot, leftovers, ok, sh } from './helpers.js';

describe.skipIf(!isRoot)('DNS on user-defined networks', () => {
  let f: Fixture;
  beforeAll(() => {
    f = new Fixture();
  });
  afterAll(async () => {
    await f.cleanup();
    expect(await leftovers(f)).toEqual([]);
  });

  it('resolves names, aliases and ids; stops dnsmasq with the last container', async () => {
    const store = new NetworkStore(f.engine);
    const net = await store.create({ name: 'appnet' });
    const gw = net.IPAM.Config[0].Gateway;
    const web = f.container({ name: 'web', network: 'appnet' });
    const client = f.container({ name: 'client', network: 'appnet' });
    const a = await attachNetworks(f.engine, web, { aliases: ['www'] });
    const b = await attachNetworks(f.engine, client);
    const webIp = a.addresses[0].ip;
    const nsB = b.netnsPath.split('/').pop()!;
    await f.httpd(a.netnsPath.split('/').pop()!, webIp);

    for (const name of ['web', 'www', web.Id.slice(0, 12), 'web.appnet']) {
      const out = await ok(['ip', 'netns', 'exec', nsB, '/bin/busybox', 'nslookup', name, gw]);
      expect(out, name).toContain(`Address: ${webIp}`);
    }
    expect((await sh(['ip', 'netns', 'exec', nsB, '/bin/busybox', 'nslookup', 'nosuchname', gw])).stdout).toContain('NXDOMAIN');

    // What the container's /etc/resolv.conf says, and a lookup through it (no server given).
    expect(b.resolvConf?.nameservers[0]).toBe(gw);
    const text = renderResolvConf('', b.resolvConf!.nameservers, b.resolvConf!.search, b.resolvConf!.options);
    expect(text).toContain(`nameserver ${gw}\n`);
    expect(text).toContain('options ndots:0\n');
    const resolv = join(f.root, 'resolv.conf');
    writeFileSync(resolv, text);
    const script = `mount --bind ${resolv} /etc/resolv.conf && /bin/busybox nslookup web && timeout 3 /bin/busybox wget -q -O - http://web/`;
    const out = await ok(['ip', 'netns', 'exec', nsB, 'unshare', '--mount', '--propagation', 'private', 'sh', '-c', script]);
    expect(out).toContain(`Address: ${webIp}`);
    expect(out).toContain('hello from minidock');

    // A stopped container no longer resolves; the last one stopping ends dnsmasq.
    await detachNetworks(f.engine, web);
    const gone = await sh(['ip', 'netns', 'exec', nsB, '/bin/busybox', 'nslookup', 'web', gw]);
    expect(gone.stdout).toContain('NXDOMAIN');
    const dns = store.read(net.Id).Dns!;
    expect(isDnsRunning(dns)).toBe(true);
    await detachNetworks(f.engine, client);
    expect(store.read(net.Id).Dns).toBeNull();
    expect(isDnsRunning(dns)).toBe(false);
    // Endpoints (and addresses) stay reserved while the containers exist.
    expect(Object.keys(store.read(net.Id).Endpoints)).toHaveLength(2);
    await expect(store.remove('appnet')).resolves.toMatchObject({ Name: 'appnet' });
  });

  it('the default bridge has no DNS: resolv.conf is left to the host', async () => {
    const c = f.container({ extraHosts: ['gw:host-gateway', 'db:10.0.0.5'] });
    const a = await attachNetworks(f.engine, c);
    try {
      expect(a.resolvConf).toBeUndefined();
      expect(a.hostsEntries).toEqual([
        { name: 'gw', ip: a.addresses[0].gateway },
        { name: 'db', ip: '10.0.0.5' },
      ]);
    } finally {
      await detachNetworks(f.engine, c, { release: true });
    }
  });
});
