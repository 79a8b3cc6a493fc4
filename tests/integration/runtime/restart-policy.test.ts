// Restart policies and --rm, carried out by the shim's exit hook without a daemon:
// on-failure:N restarts a failing container N times, always restarts whatever the exit
// code, `stop` ends it for good, --rm removes the container (and all it held) after it exits.
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { cgroupDirs, cleanupRoot, containerCgroups, expectExit, explain, isRoot, newRoot, out, sleep, state, waitFor, type TestRoot } from './helpers.js';

interface Seen {
  RestartCount: number;
  Status: string;
  ExitCode: number;
  ps: string;
}

async function look(root: TestRoot, id: string): Promise<Seen> {
  const s = JSON.parse(await out(root, ['inspect', '-f', '{"RestartCount":{{.RestartCount}},"Status":"{{.State.Status}}","ExitCode":{{.State.ExitCode}}}', id]));
  const ps = await out(root, ['ps', '-a', '--filter', `id=${id}`, '--format', '{{.Status}}']);
  return { ...s, ps };
}

describe.skipIf(!isRoot).concurrent('restart policies', () => {
  let root: TestRoot;
  beforeAll(async () => {
    root = await newRoot('rt-restart');
  });
  afterAll(async () => {
    await cleanupRoot(root);
  });

  it('on-failure:3 restarts a failing container three times, then leaves it exited', async () => {
    const id = await out(root, ['run', '-d', '--restart', 'on-failure:3', 'busybox', 'sh', '-c', 'sleep 1; exit 1']);
    const history: Seen[] = [];
    await waitFor(
      'three restarts and a final exit',
      async () => {
        const s = await look(root, id);
        history.push(s);
        return s.RestartCount === 3 && s.Status === 'exited';
      },
      40_000,
      30,
    );
    const trace = history.map((h) => JSON.stringify(h)).join('\n');
    // the count grew one by one, and ps showed it running or restarting on the way
    const counts = [...new Set(history.map((h) => h.RestartCount))];
    expect(counts, trace).toEqual([...counts].sort());
    expect(history.some((h) => /^(Up|Restarting \(1\))/.test(h.ps) && h.RestartCount > 0), trace).toBe(true);
    expect(history.at(-1)!.ps, trace).toMatch(/^Exited \(1\) /);
    // and it stays that way
    await sleep(1000);
    const final = await look(root, id);
    expect(final, trace).toMatchObject({ RestartCount: 3, Status: 'exited', ExitCode: 1 });
  });

  it('on-failure does not restart a container that succeeded', async () => {
    const id = await out(root, ['run', '-d', '--restart', 'on-failure', 'busybox', 'true']);
    await waitFor('exit', async () => (await state(root, id)).Status === 'exited');
    await sleep(800);
    expect(await look(root, id)).toMatchObject({ RestartCount: 0, Status: 'exited', ExitCode: 0 });
  });

  it('always restarts after a clean exit; stop ends it for good', async () => {
    const id = await out(root, ['run', '-d', '--restart', 'always', 'busybox', 'sh', '-c', 'sleep 1']);
    await waitFor('two restarts', async () => (await look(root, id)).RestartCount >= 2, 30_000);
    // the restarts (started by the exit hook) put the cgroups where the first start did: below the test's cgroup
    await waitFor('the restarted container to run', async () => (await state(root, id)).Status === 'running', 10_000, 20);
    expect(containerCgroups(root, id).length, `cgroups of ${id} under ${root.cgroupParent}: ${JSON.stringify(cgroupDirs(id))}`).toBeGreaterThan(0);
    expect(cgroupDirs(id).every((d) => d.includes(`/${root.cgroupParent}/`)), JSON.stringify(cgroupDirs(id))).toBe(true);
    const stop = await expectExit(root, ['stop', '-t', '1', id], 0);
    const after = await look(root, id);
    expect(after.Status, explain(stop)).toBe('exited');
    expect(after.ps, JSON.stringify(after)).toMatch(/^Exited \(\d+\) /);
    // a back-off that was pending when stop came must not bring it back
    await sleep(1500);
    const later = await look(root, id);
    expect(later, `before: ${JSON.stringify(after)}`).toMatchObject({ Status: 'exited', RestartCount: after.RestartCount });
    // `start` clears the manual stop: the policy applies again
    await expectExit(root, ['start', id], 0);
    await waitFor('a restart after start', async () => (await look(root, id)).RestartCount > after.RestartCount, 30_000);
    await expectExit(root, ['rm', '-f', id], 0);
  });

  it('kill is a manual stop too: always does not restart a killed container', async () => {
    const id = await out(root, ['run', '-d', '--restart', 'always', 'busybox', 'sleep', '60']);
    await expectExit(root, ['kill', id], 0);
    await waitFor('exit after kill', async () => (await state(root, id)).Status === 'exited');
    await sleep(1000);
    expect(await look(root, id)).toMatchObject({ Status: 'exited', RestartCount: 0, ExitCode: 137 });
  });

  it('--rm -d: the container and all it held are gone after it exits', async () => {
    const id = await out(root, ['run', '-d', '--rm', 'busybox', 'sh', '-c', 'sleep 0.3']);
    const dirs = containerCgroups(root, id);
    expect(dirs.length, 'cgroups while running').toBeGreaterThan(0);
    await waitFor('the container to be removed', async () => (await out(root, ['ps', '-aq', '--no-trunc'])).split('\n').every((l) => l !== id), 15_000);
    expect(existsSync(join(root.dir, 'containers', id)), 'container dir').toBe(false);
    expect(dirs.filter((d) => existsSync(d)), 'cgroup dirs').toEqual([]);
    const gone = await root.run(['inspect', id]);
    expect(gone.exitCode, explain(gone)).toBe(1);
  });

  it('--rm in the foreground: removed when run returns, with the exit code kept', async () => {
    const r = await expectExit(root, ['run', '--rm', '--name', 'fg-rm', 'busybox', 'sh', '-c', 'echo bye; exit 3'], 3);
    expect(String(r.stdout), explain(r)).toBe('bye\n');
    const ps = await out(root, ['ps', '-a', '--filter', 'name=fg-rm', '-q']);
    expect(ps, 'ps -a after run --rm').toBe('');
  });

  it('--rm with a restart policy is refused (125), leaving nothing', async () => {
    const r = await expectExit(root, ['run', '--rm', '--restart', 'always', '--name', 'conflicting', 'busybox', 'true'], 125);
    expect(String(r.stderr), explain(r)).toMatch(/restart/i);
    expect(await out(root, ['ps', '-a', '--filter', 'name=conflicting', '-q'])).toBe('');
  });
});
