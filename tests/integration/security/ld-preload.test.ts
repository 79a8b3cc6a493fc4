// Attack 9: the container's environment reaching a host helper. The image (or -e, or
// --env-file) sets LD_PRELOAD / LD_AUDIT to a malicious shared object, either at its path in
// the image or at the host path of the image's unpacked snapshot, where it really exists on
// the host. If any dynamically linked host program of the start or exec chain (sh, unshare,
// nsenter, mount, cp, ip) got that environment, the object's constructor would create the
// canary file. The container's environment must only ever reach the static shim, as
// arguments (shim.c: enter --env).
import { existsSync, mkdirSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { execFileSync } from 'node:child_process';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { SecurityRoot, evilSharedObject, isRoot } from './helpers.js';

/** Paths of files named `name` below `dir`. */
function find(dir: string, name: string): string[] {
  const out: string[] = [];
  for (const e of readdirSync(dir, { withFileTypes: true })) {
    const p = join(dir, e.name);
    if (e.isDirectory()) out.push(...find(p, name));
    else if (e.name === name) out.push(p);
  }
  return out;
}

describe.skipIf(!isRoot)('LD_PRELOAD from the container never reaches a host helper (attack 9)', () => {
  let t: SecurityRoot;
  let canary = '';
  let so = '';
  let hostSo = '';
  beforeAll(async () => {
    t = new SecurityRoot('preload');
    mkdirSync(join(t.scratch, 'preload'));
    canary = join(t.scratch, 'preload', 'loaded');
    so = evilSharedObject(join(t.scratch, 'preload'), canary);
    // the object works: loaded by a host program, it creates the canary
    execFileSync('/usr/bin/true', { env: { LD_PRELOAD: so } });
    expect(existsSync(canary)).toBe(true);
    rmSync(canary);

    await t.image('preload', (root) => writeFileSync(join(root, 'evil.so'), execFileSync('cat', [so])), ['CMD ["sh"]', 'ENV LD_PRELOAD=/evil.so']);
    hostSo = find(join(t.dir, 'snapshots'), 'evil.so')[0];
    expect(hostSo).toBeDefined();
    // the same layer, now pointing at the object's real path on the host
    await t.image('preload-host', (root) => writeFileSync(join(root, 'evil.so'), execFileSync('cat', [so])), [
      'CMD ["sh"]', `ENV LD_PRELOAD=${hostSo}`, `ENV LD_AUDIT=${hostSo}`, `ENV LD_LIBRARY_PATH=${join(hostSo, '..')}`,
    ]);
  });
  afterAll(async () => {
    if (t) expect(await t.finish()).toEqual([]);
  });

  it('run and exec of images whose ENV preloads the object, and -e / --env-file doing the same', async () => {
    const envFile = join(t.scratch, 'env');
    writeFileSync(envFile, `LD_PRELOAD=${hostSo}\nLD_AUDIT=${hostSo}\n`);
    const runs = [
      ['run', '--rm', 'preload', 'true'],
      ['run', '--rm', 'preload-host', 'sh', '-c', 'echo $LD_PRELOAD'],
      ['run', '--rm', '-i', 'preload-host', 'true'],
      ['run', '--rm', '-e', `LD_PRELOAD=${hostSo}`, '-e', `LD_AUDIT=${hostSo}`, 'preload', 'true'],
      ['run', '--rm', '--env-file', envFile, 'preload', 'true'],
    ];
    for (const args of runs) {
      const r = await t.run(args, { input: '' });
      expect(r.exitCode, `${args.join(' ')}: ${String(r.stderr)}`).toBe(0);
      expect(existsSync(canary), args.join(' ')).toBe(false);
    }
    // the container does see the variable: it is only kept from the host side
    expect(String((await t.ok(['run', '--rm', 'preload-host', 'sh', '-c', 'echo $LD_PRELOAD'])).stdout).trim()).toBe(hostSo);

    for (const image of ['preload', 'preload-host']) {
      const id = String((await t.ok(['run', '-d', image, 'sleep', '60'])).stdout).trim();
      for (const extra of [[], ['-e', `LD_PRELOAD=${hostSo}`], ['--env-file', envFile], ['-u', '1000'], ['-d']]) {
        const r = await t.run(['exec', ...extra, id, 'true']);
        expect(r.exitCode, `exec ${extra.join(' ')} in ${image}: ${String(r.stderr)}`).toBe(0);
        expect(existsSync(canary), `exec ${extra.join(' ')} in ${image}`).toBe(false);
      }
      await t.ok(['rm', '-f', id]);
      expect(existsSync(canary), `rm -f of ${image}`).toBe(false);
    }
  });
});
