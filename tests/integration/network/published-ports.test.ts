// Published ports on the default bridge: DNAT from 127.0.0.1 and a host address, hairpin from
// another container, a taken port refused with nothing left behind, random ports.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createServer, type Server } from 'node:net';
import { attachNetworks, detachNetworks, publishedPorts, renderPortsColumn } from '../../../src/runtime/network/index.js';
import { MinidockError } from '../../../src/errors.js';
import { Fixture, isRoot, leftovers, ok, sh, tagOf } from './helpers.js';

describe.skipIf(!isRoot)('published ports', () => {
  let f: Fixture;
  let hostIp: string;
  const port = 20000 + Math.floor(Math.random() * 5000);

  beforeAll(async () => {
    f = new Fixture();
    hostIp = await f.hostAddress();
  });
  afterAll(async () => {
    await f.cleanup();
    expect(await leftovers(f)).toEqual([]);
  });

  it('answers on 127.0.0.1, a host address, the container IP, and from another container', async () => {
    const web = f.container({ name: 'web', ports: { '80/tcp': [{ HostIp: '', HostPort: String(port) }] } });
    const a = await attachNetworks(f.engine, web);
    expect(a.network.kind).toBe('path');
    expect(a.addresses).toHaveLength(1);
    const ip = a.addresses[0].ip;
    await f.httpd(a.netnsPath.split('/').pop()!, ip);
    expect(await ok(['curl', '-sS', '--max-time', '5', `http://127.0.0.1:${port}/`])).toBe('hello from minidock\n');
    expect(await ok(['curl', '-sS', '--max-time', '5', `http://${hostIp}:${port}/`])).toBe('hello from minidock\n');
    expect(await ok(['curl', '-sS', '--max-time', '5', `http://${ip}/`])).toBe('hello from minidock\n');
    expect(publishedPorts(f.engine, web)).toEqual([{ containerPort: 80, proto: 'tcp', hostIp: '0.0.0.0', hostPort: port }]);
    expect(renderPortsColumn(publishedPorts(f.engine, web), ['80/tcp'])).toBe(`0.0.0.0:${port}->80/tcp`);

    // Hairpin: a second container reaches the first through the host address and through its own gateway.
    const client = f.container({ name: 'client' });
    const b = await attachNetworks(f.engine, client);
    const ns = b.netnsPath.split('/').pop()!;
    const viaHost = await ok(['ip', 'netns', 'exec', ns, 'timeout', '3', '/bin/busybox', 'wget', '-q', '-O', '-', `http://${hostIp}:${port}/`]);
    expect(viaHost).toBe('hello from minidock\n');
    // ...and a container reaching its own published port (hairpin on the same bridge port).
    const self = await ok(['ip', 'netns', 'exec', a.netnsPath.split('/').pop()!, 'timeout', '3', '/bin/busybox', 'wget', '-q', '-O', '-', `http://${hostIp}:${port}/`]);
    expect(self).toBe('hello from minidock\n');

    // The same host port again: a clear error, exit code 125, nothing left behind.
    const again = f.container({ name: 'again', ports: { '80/tcp': [{ HostIp: '', HostPort: String(port) }] } });
    const err = await attachNetworks(f.engine, again).then(
      () => undefined,
      (e: unknown) => e,
    );
    expect(err).toBeInstanceOf(MinidockError);
    expect((err as MinidockError).message).toBe(`Bind for 0.0.0.0:${port} failed: port is already allocated`);
    expect((err as MinidockError).exitCode).toBe(125);
    expect((await sh(['ip', 'netns', 'list'])).stdout).not.toContain(again.Id.slice(0, 12));
    expect((await sh(['ip', 'link', 'show'])).stdout).not.toContain(`md${again.Id.slice(0, 9)}`);
    const ruleset = await ok(['nft', 'list', 'ruleset']);
    expect(ruleset).not.toContain(again.Id);

    await detachNetworks(f.engine, client, { release: true });
    await detachNetworks(f.engine, web, { release: true });
    await detachNetworks(f.engine, web, { release: true }); // idempotent
    expect(await sh(['curl', '-sS', '--max-time', '1', `http://127.0.0.1:${port}/`])).toMatchObject({ code: expect.not.stringMatching(/^0$/) });
    expect(await ok(['nft', 'list', 'ruleset'])).not.toContain(web.Id);
  });

  it('refuses a port a host process listens on, naming it', async () => {
    const srv: Server = createServer();
    await new Promise<void>((r) => srv.listen(port + 1, '127.0.0.1', r));
    try {
      const c = f.container({ ports: { '80/tcp': [{ HostIp: '', HostPort: String(port + 1) }] } });
      await expect(attachNetworks(f.engine, c)).rejects.toThrow(`failed to bind host port 0.0.0.0:${port + 1}/tcp: address already in use`);
      expect((await sh(['ip', 'netns', 'list'])).stdout).not.toContain(c.Id.slice(0, 12));
    } finally {
      srv.close();
    }
  });

  it('picks a free random port for -p 80 and -P', async () => {
    const c = f.container({ ports: { '80/tcp': [{ HostIp: '127.0.0.1', HostPort: '' }] }, publishAll: true, exposed: ['80/tcp', '8080/tcp'] });
    const a = await attachNetworks(f.engine, c);
    try {
      const ports = publishedPorts(f.engine, c);
      expect(ports).toHaveLength(2);
      for (const p of ports) {
        expect(p.hostPort).toBeGreaterThanOrEqual(32768);
        expect(p.hostPort).toBeLessThanOrEqual(60999);
      }
      const p80 = ports.find((p) => p.containerPort === 80)!;
      expect(p80.hostIp).toBe('127.0.0.1');
      await f.httpd(a.netnsPath.split('/').pop()!, a.addresses[0].ip);
      expect(await ok(['curl', '-sS', '--max-time', '5', `http://127.0.0.1:${p80.hostPort}/`])).toBe('hello from minidock\n');
    } finally {
      await detachNetworks(f.engine, c, { release: true });
    }
    // What stays is the network's own: its bridge and the table (until the network goes, or a reset).
    expect(await leftovers(f)).toEqual([`link md0-${tagOf(f)}`, 'nft table']);
  });
});
