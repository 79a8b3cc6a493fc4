// Two minidock processes on one root: creating the same named volume at once yields one
// volume (same CreatedAt for both), and a `volume prune -a` running beside container
// creation never removes a volume a new container is about to use. Both rest on the
// `volumes` lock (src/state/lock.ts) excluding other processes; the first also on the
// record being linked into place.
import { spawn } from 'node:child_process';
import { existsSync, readdirSync } from 'node:fs';
import { join } from 'node:path';
import { build } from 'esbuild';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ContainerStore } from '../../../src/runtime/store.js';
import { VolumeStore } from '../../../src/runtime/volumes/store.js';
import { isRoot, TempEngine } from './helpers.js';

let t: TempEngine;
let worker: string;

function run(...args: string[]): Promise<{ code: number | null; stdout: string; stderr: string }> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, [worker, ...args], { stdio: ['ignore', 'pipe', 'pipe'] });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (d) => (stdout += d));
    child.stderr.on('data', (d) => (stderr += d));
    child.on('error', reject);
    child.on('close', (code) => resolve({ code, stdout, stderr }));
  });
}

function ok(r: { code: number | null; stdout: string; stderr: string }, what: string): string {
  if (r.code !== 0) throw new Error(`${what} exited ${r.code}\nstdout: ${r.stdout}\nstderr: ${r.stderr}`);
  return r.stdout;
}

beforeAll(async () => {
  t = new TempEngine();
  worker = join(t.dir, 'race-worker.mjs');
  await build({
    entryPoints: [join(import.meta.dirname, 'race-worker.ts')],
    outfile: worker,
    bundle: true,
    format: 'esm',
    platform: 'node',
    target: 'node20',
    logLevel: 'warning',
    banner: { js: "import { createRequire as __cr } from 'node:module'; const require = __cr(import.meta.url);" },
  });
});
afterAll(() => t?.cleanup());

describe.skipIf(!isRoot)('volumes across processes', () => {
  it('two processes creating the same volume get one volume', async () => {
    const [a, b] = await Promise.all([run('create', t.engine.paths.root, 'together', '40'), run('create', t.engine.paths.root, 'together', '40')]);
    const times = [...ok(a, 'first').trim().split('\n'), ...ok(b, 'second').trim().split('\n')];
    expect(times).toHaveLength(80);
    expect(new Set(times).size).toBe(1);
    expect(readdirSync(t.engine.paths.volumesDir)).toEqual(['together']);
    expect(readdirSync(join(t.engine.paths.volumesDir, 'together')).sort()).toEqual(['_data', 'volume.json']);
    expect(new VolumeStore(t.engine).get('together')?.CreatedAt).toBe(times[0]);
  });

  it('a prune beside container creation never removes a volume a container uses', async () => {
    const root = t.engine.paths.root;
    const [c1, c2, p] = await Promise.all([run('containers', root, '25'), run('containers', root, '25'), run('prune', root, '60')]);
    ok(c1, 'containers');
    ok(c2, 'containers');
    ok(p, 'prune');
    const containers = new ContainerStore(t.engine).list();
    expect(containers).toHaveLength(50);
    const store = new VolumeStore(t.engine);
    for (const { container } of containers) {
      expect(container.Mounts).toHaveLength(2);
      for (const m of container.Mounts) {
        expect(store.get(m.Name!), `${m.Name} of ${container.Id}`).toBeDefined();
        expect(existsSync(m.Source)).toBe(true);
      }
    }
    expect(readdirSync(t.engine.paths.volumesDir).filter((n) => n.startsWith('.'))).toEqual([]);
  });
});
