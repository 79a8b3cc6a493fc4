// --init: a tiny init (tini, as /sbin/docker-init) is PID 1; it reaps orphaned processes
// and forwards signals, so `stop` of a plain `sleep` ends it with SIGTERM (143) at once.
// Without it the same container keeps zombies and ignores SIGTERM (PID 1 has no default
// signal actions), so stop has to wait for the timeout and SIGKILL it (137).
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { cleanupRoot, expectExit, explain, isRoot, newRoot, out, state, waitFor, type TestRoot } from './helpers.js';

/** Makes an orphan (its parent exits at once) that ends after 0.2 s, then PID 1 is a `sleep` that never reaps. */
const ORPHAN_MAKER = 'sh -c "sleep 0.2 &"; exec sleep 60';

async function zombies(root: TestRoot, id: string): Promise<{ zombies: string[]; ps: string }> {
  const r = await expectExit(root, ['exec', id, 'ps', '-o', 'pid,stat,args'], 0);
  const lines = String(r.stdout).split('\n').slice(1).filter(Boolean);
  return { zombies: lines.filter((l) => /^\s*\d+\s+Z/.test(l)), ps: explain(r) };
}

describe.skipIf(!isRoot).concurrent('--init', () => {
  let root: TestRoot;
  beforeAll(async () => {
    root = await newRoot('rt-init');
  });
  afterAll(async () => {
    await cleanupRoot(root);
  });

  it('PID 1 is docker-init, running the command as its child', async () => {
    const r = await expectExit(root, ['run', '--rm', '--init', 'busybox', 'sh', '-c', 'tr "\\0" " " < /proc/1/cmdline; echo; echo "$$ $PPID"'], 0);
    const [cmdline, ids] = String(r.stdout).split('\n');
    expect(cmdline, explain(r)).toMatch(/^\/sbin\/docker-init -- sh -c /);
    expect(ids, explain(r)).toMatch(/^\d+ 1$/);
    expect(ids.split(' ')[0], explain(r)).not.toBe('1');
  });

  it('reaps orphaned zombies; without --init they stay', async () => {
    const plain = await out(root, ['run', '-d', 'busybox', 'sh', '-c', ORPHAN_MAKER]);
    const withInit = await out(root, ['run', '-d', '--init', 'busybox', 'sh', '-c', ORPHAN_MAKER]);
    // the orphans exist for 0.2 s: give both containers time to have made and ended them
    const seen = await waitFor('a zombie in the container without --init', async () => {
      const z = await zombies(root, plain);
      return z.zombies.length > 0 ? z : undefined;
    });
    expect(seen.zombies.join('\n'), seen.ps).toMatch(/Z\s+\[?sleep\]?/);
    // once its orphan has ended (no live `sleep 0.2` left) and docker-init has had its SIGCHLD
    // (a ps in the instant between the exit and the reap shows the zombie), none is left;
    // without --init the zombie above stays for good
    const reaped = await waitFor('the orphan in the --init container to end and be reaped', async () => {
      const z = await zombies(root, withInit);
      return /^\s*\d+\s+\S+\s+sleep 0\.2$/m.test(z.ps) || z.zombies.length > 0 ? undefined : z;
    });
    expect(reaped.zombies, reaped.ps).toEqual([]);
    expect(reaped.ps, 'docker-init is PID 1').toMatch(/^\s*1\s+\S+\s+\/sbin\/docker-init/m);
    await expectExit(root, ['rm', '-f', plain, withInit], 0);
  });

  it('forwards signals: stop of `--init sleep` exits at once with 143; without --init it takes the timeout and 137', async () => {
    const withInit = await out(root, ['run', '-d', '--init', 'busybox', 'sleep', '100']);
    const plain = await out(root, ['run', '-d', 'busybox', 'sleep', '100']);
    const timedStop = async (id: string) => {
      const t = performance.now();
      const r = await expectExit(root, ['stop', '-t', '3', id], 0);
      return { secs: (performance.now() - t) / 1000, r };
    };
    const [a, b] = await Promise.all([timedStop(withInit), timedStop(plain)]);
    expect(a.secs, `with --init\n${explain(a.r)}`).toBeLessThan(2.5);
    expect((await state(root, withInit)).ExitCode).toBe(143);
    expect(b.secs, `without --init\n${explain(b.r)}`).toBeGreaterThanOrEqual(2.9);
    expect((await state(root, plain)).ExitCode).toBe(137);
  });
});
