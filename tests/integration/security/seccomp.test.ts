// Seccomp: util-linux 2.38 cannot load a filter (setpriv --seccomp-filter is 2.41+), so
// containers run without one (docker's default profile would, among much else, refuse
// unshare(CLONE_NEWUSER); mounts-and-masks.test.ts shows that a user namespace stays
// harmless without it). The engine must say so instead of pretending: inspect names the
// state, the kernel agrees (Seccomp: 0), and a profile it cannot apply is refused.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { SecurityRoot, isRoot } from './helpers.js';

describe.skipIf(!isRoot)('seccomp is reported as absent, never pretended', () => {
  let t: SecurityRoot;
  beforeAll(async () => {
    t = new SecurityRoot('seccomp');
    await t.image('probe');
  });
  afterAll(async () => {
    if (t) expect(await t.finish()).toEqual([]);
  });

  it('inspect says unconfined and why; the container and exec really have no filter', async () => {
    const id = String((await t.ok(['run', '-d', 'probe', 'sleep', '60'])).stdout).trim();
    const seccomp = JSON.parse(String((await t.ok(['inspect', '-f', '{{json .Seccomp}}', id])).stdout));
    expect(seccomp).toMatch(/^unconfined/);
    expect(seccomp).toContain('cannot load a seccomp filter');
    for (const args of [['run', '--rm', 'probe'], ['exec', id]]) {
      const out = String((await t.ok([...args, 'grep', '^Seccomp:', '/proc/self/status'])).stdout);
      expect(out, args[0]).toMatch(/^Seccomp:\s+0$/m);
    }
  });

  it('a seccomp profile is refused rather than silently ignored; unconfined is accepted', async () => {
    const r = await t.run(['run', '--rm', '--security-opt', 'seccomp=/nonexistent/profile.json', 'probe', 'true']);
    expect(r.exitCode).toBe(125);
    expect(String(r.stderr)).toContain('seccomp profiles are not supported');
    await t.ok(['run', '--rm', '--security-opt', 'seccomp=unconfined', 'probe', 'true']);
  });
});
