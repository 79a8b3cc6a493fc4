// Figures, not a gate (benchmarks are run by hand: MINIDOCK_BENCH=1 npx vitest run this file;
// bench/bench.sh net measures the same through the CLI): attach time, and throughput through a
// published port (kernel DNAT, no userland proxy, 127.0.0.1 included) against the container IP.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { openSync, closeSync, ftruncateSync } from 'node:fs';
import { join } from 'node:path';
import { request } from 'node:http';
import { attachNetworks, detachNetworks, NetworkStore } from '../../../src/runtime/network/index.js';
import { Fixture, isRoot, leftovers, ok } from './helpers.js';

const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)];

async function speed(url: string): Promise<number> {
  return Number(await ok(['curl', '-sS', '--max-time', '30', '-o', '/dev/null', '-w', '%{speed_download}', url], 40_000));
}

/** Single downloads vary by 2x on this VM whatever the path: interleave rounds, compare medians. */
async function speeds(urls: string[], rounds = 7): Promise<number[]> {
  const got: number[][] = urls.map(() => []);
  for (let r = 0; r < rounds; r++) for (const [i, u] of urls.entries()) got[i].push(await speed(u));
  return got.map(median);
}

function connectionsPerSecond(host: string, port: number, ms = 1000): Promise<number> {
  const until = Date.now() + ms;
  let n = 0;
  return new Promise((resolve, reject) => {
    const next = () => {
      if (Date.now() > until) return resolve((n * 1000) / ms);
      const req = request({ host, port, path: '/index.html', agent: false }, (res) => {
        res.resume();
        res.on('end', () => {
          n++;
          next();
        });
      });
      req.on('error', reject);
      req.end();
    };
    next();
  });
}

describe.skipIf(!isRoot || !process.env.MINIDOCK_BENCH)('performance', () => {
  let f: Fixture;
  beforeAll(() => {
    f = new Fixture();
  });
  afterAll(async () => {
    await f.cleanup();
    expect(await leftovers(f)).toEqual([]);
  });

  it('attach time, throughput and connections/s: published vs direct', async () => {
    const store = new NetworkStore(f.engine);
    await store.ensureDefault();
    await store.create({ name: 'perfnet' });
    const times: Record<string, number[]> = { bridge: [], 'bridge -p': [], 'user net (dns)': [], detach: [] };
    for (let i = 0; i < 7; i++) {
      const kinds: [string, Parameters<Fixture['container']>[0]][] = [
        ['bridge', {}],
        ['bridge -p', { ports: { '80/tcp': [{ HostIp: '', HostPort: String(30000 + i) }] } }],
        ['user net (dns)', { network: 'perfnet' }],
      ];
      for (const [label, opts] of kinds) {
        const c = f.container(opts);
        let t = performance.now();
        await attachNetworks(f.engine, c);
        times[label].push(performance.now() - t);
        t = performance.now();
        await detachNetworks(f.engine, c, { release: true });
        times.detach.push(performance.now() - t);
      }
    }
    for (const [k, v] of Object.entries(times)) console.log(`attach ${k}: median ${median(v).toFixed(1)} ms`);

    const port = 31000 + Math.floor(Math.random() * 1000);
    const web = f.container({ ports: { '80/tcp': [{ HostIp: '', HostPort: String(port) }] } });
    const a = await attachNetworks(f.engine, web);
    const hostIp = await f.hostAddress();
    try {
      const fd = openSync(join(f.www, 'big'), 'w');
      ftruncateSync(fd, 256 << 20); // sparse: read from the page cache at memory speed
      closeSync(fd);
      const ip = a.addresses[0].ip;
      await f.httpd(a.netnsPath.split('/').pop()!, ip);
      const [direct, loop, viaHost] = await speeds([`http://${ip}/big`, `http://127.0.0.1:${port}/big`, `http://${hostIp}:${port}/big`]);
      const mb = (x: number) => `${(x / 1e6).toFixed(0)} MB/s`;
      console.log(`throughput: direct ${mb(direct)}, published on 127.0.0.1 ${mb(loop)} (${(loop / direct).toFixed(2)}x), via host address ${mb(viaHost)} (${(viaHost / direct).toFixed(2)}x)`);
      const cDirect = await connectionsPerSecond(ip, 80);
      const cLoop = await connectionsPerSecond('127.0.0.1', port);
      console.log(`connections/s (busybox httpd, new connection each): direct ${cDirect.toFixed(0)}, published on 127.0.0.1 ${cLoop.toFixed(0)}`);
      expect(loop).toBeGreaterThanOrEqual(0.8 * direct);
      expect(viaHost).toBeGreaterThanOrEqual(0.8 * direct);
    } finally {
      await detachNetworks(f.engine, web, { release: true });
    }
    await store.remove('perfnet');
  });
});
