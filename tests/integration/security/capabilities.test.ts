// Attack 1: what a container process may do at all. docker's default capability set
// (CapEff 00000000a80425fb), nothing inheritable or ambient (CVE-2022-24769: runc left the
// inheritable set full, so a file with inheritable caps regained them), nothing at all for a
// non-root user, --cap-drop ALL, and no_new_privs only when asked for.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { SecurityRoot, isRoot } from './helpers.js';

const DEFAULT = '00000000a80425fb';
const NONE = '0000000000000000';

function status(out: string): Record<string, string> {
  return Object.fromEntries([...out.matchAll(/^(Cap\w+|NoNewPrivs|Seccomp):\s*(\S+)$/gm)].map((m) => [m[1], m[2]]));
}

const READ = ['sh', '-c', 'grep -E "^(Cap|NoNewPrivs|Seccomp)" /proc/self/status'];

describe.skipIf(!isRoot)('capabilities (attack 1)', () => {
  let t: SecurityRoot;
  let running = '';
  beforeAll(async () => {
    t = new SecurityRoot('caps');
    await t.image('probe');
    running = String((await t.ok(['run', '-d', 'probe', 'sleep', '60'])).stdout).trim();
  });
  afterAll(async () => {
    if (t) expect(await t.finish()).toEqual([]);
  });

  it('a default container has docker\'s set in eff/prm/bnd, nothing inheritable or ambient', async () => {
    const s = status(String((await t.ok(['run', '--rm', 'probe', ...READ])).stdout));
    expect(s).toMatchObject({ CapInh: NONE, CapPrm: DEFAULT, CapEff: DEFAULT, CapBnd: DEFAULT, CapAmb: NONE, NoNewPrivs: '0' });
  });

  it('exec gets the same set', async () => {
    const s = status(String((await t.ok(['exec', running, ...READ])).stdout));
    expect(s).toMatchObject({ CapInh: NONE, CapPrm: DEFAULT, CapEff: DEFAULT, CapBnd: DEFAULT, CapAmb: NONE });
  });

  it('a non-root user has no capabilities (run and exec)', async () => {
    for (const args of [['run', '--rm', '-u', '1000', 'probe', ...READ], ['exec', '-u', '1000', running, ...READ]]) {
      const s = status(String((await t.ok(args)).stdout));
      expect(s, args.join(' ')).toMatchObject({ CapInh: NONE, CapPrm: NONE, CapEff: NONE, CapBnd: DEFAULT, CapAmb: NONE });
    }
  });

  it('--cap-drop ALL leaves nothing, even in the bounding set', async () => {
    const r = await t.ok(['run', '--rm', '--cap-drop', 'ALL', 'probe', 'sh', '-c', `${READ[2]}; chown 1000 /tmp && echo CHOWNED; true`]);
    expect(status(String(r.stdout))).toMatchObject({ CapInh: NONE, CapPrm: NONE, CapEff: NONE, CapBnd: NONE, CapAmb: NONE });
    expect(String(r.stdout)).not.toContain('CHOWNED');
  });

  it('--security-opt no-new-privileges sets no_new_privs (run and exec)', async () => {
    const id = String((await t.ok(['run', '-d', '--security-opt', 'no-new-privileges', 'probe', 'sleep', '60'])).stdout).trim();
    const fromRun = status(String((await t.ok(['run', '--rm', '--security-opt', 'no-new-privileges', 'probe', ...READ])).stdout));
    const fromExec = status(String((await t.ok(['exec', id, ...READ])).stdout));
    expect(fromRun.NoNewPrivs).toBe('1');
    expect(fromExec.NoNewPrivs).toBe('1');
    await t.run(['rm', '-f', id]);
  });
});
