// Attacks 5 and 10: what the container inherits from the host side of the engine.
// CVE-2024-21626 (runc "leaky vessels"): a host directory fd left open by the runtime made
// `WORKDIR /proc/self/fd/7` start the container with its cwd on the host. Here a -w or an
// image WORKDIR of /proc/self/fd/3…9 must either fail to start or start inside the root,
// for `run` and `exec`, with minidock itself running from a host canary directory; and
// only fds 0-2 may reach the container's process (attached, interactive, tty, detached; run
// and exec). The container's mountinfo (run and exec) shows exactly the container's mounts.
// (That the host's mounts are gone from its mount namespace, not merely out of reach, is
// what mounts-and-masks.test.ts checks through a user namespace: see shim.c pivot_into_cwd.)
import { existsSync } from 'node:fs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { existingMasks, existingPaths, READONLY_PATHS } from '../../../src/runtime/defaults.js';
import { SecurityRoot, fdsOf, isRoot } from './helpers.js';

const FDS = [3, 4, 5, 6, 7, 8, 9];

/** Every mount point a default container has, and nothing else. */
function containerMountPoints(): string[] {
  const m = existingMasks();
  const points = [
    '/', '/proc', '/sys', '/dev',
    ...['null', 'zero', 'full', 'random', 'urandom', 'tty', 'pts', 'shm', 'mqueue'].map((d) => `/dev/${d}`),
    ...m.files, ...m.dirs, ...existingPaths(READONLY_PATHS),
    '/etc/hostname', '/etc/hosts', '/etc/resolv.conf',
    ...(existsSync('/sys/fs/cgroup/cgroup.controllers') ? ['/sys/fs/cgroup'] : []),
  ];
  return [...new Set(points)].sort();
}

const mountPoints = (mountinfo: string) => [...new Set(mountinfo.split('\n').filter((l) => l.includes(' - ')).map((l) => l.split(' ')[4]))].sort();

describe.skipIf(!isRoot)('host fds and mounts reaching the container (attacks 5, 10)', () => {
  let t: SecurityRoot;
  let hostDir = '';
  let running = '';
  beforeAll(async () => {
    t = new SecurityRoot('fds');
    hostDir = t.canary('cwd');
    await t.image('probe');
    running = String((await t.ok(['run', '-d', 'probe', 'sleep', '60'])).stdout).trim();
  });
  afterAll(async () => {
    if (t) expect(await t.finish()).toEqual([]);
  });

  // What a process started with a hostile workdir sees: refused, or a cwd inside the root.
  const WHERE = '/probe cwd; [ -e keep ] && echo HOST-DIR; [ -e /proc/self/cwd/keep ] && echo HOST-DIR; true';
  const expectContained = (r: { exitCode?: number; stdout: unknown; stderr: unknown }, what: string) => {
    const out = String(r.stdout);
    expect(out, what).not.toContain('HOST-DIR');
    expect(out, what).not.toContain('cwd-error');
    if (r.exitCode === 0) expect(out, what).toMatch(/^cwd \//);
    else expect(r.exitCode, `${what}: ${String(r.stderr)}`).toBe(125);
  };

  it('CVE-2024-21626: run -w /proc/self/fd/N never starts in a host directory', async () => {
    for (const n of FDS) {
      const r = await t.runIn(hostDir, ['run', '--rm', '-w', `/proc/self/fd/${n}`, 'probe', 'sh', '-c', WHERE]);
      expectContained(r, `run -w /proc/self/fd/${n}`);
    }
  });

  it('CVE-2024-21626: exec -w /proc/self/fd/N never starts in a host directory', async () => {
    for (const n of FDS) {
      const r = await t.runIn(hostDir, ['exec', '-w', `/proc/self/fd/${n}`, running, 'sh', '-c', WHERE]);
      expectContained(r, `exec -w /proc/self/fd/${n}`);
    }
  });

  it('CVE-2024-21626: an image whose WORKDIR is /proc/self/fd/N never starts in a host directory', async () => {
    for (const n of FDS) {
      await t.image(`wd${n}`, undefined, ['CMD ["sh"]', `WORKDIR /proc/self/fd/${n}`]);
      const r = await t.runIn(hostDir, ['run', '--rm', `wd${n}`, 'sh', '-c', WHERE]);
      expectContained(r, `WORKDIR /proc/self/fd/${n}`);
    }
  });

  it('only fds 0-2 reach a container started by run: attached, interactive, tty, detached', async () => {
    const outputs: [string, string][] = [];
    for (const flags of [[], ['-i'], ['-t'], ['-i', '-t']]) {
      const r = await t.runIn(hostDir, ['run', '--rm', ...flags, 'probe', '/probe', 'fds'], { input: flags.includes('-i') ? 'x\n' : undefined });
      expect(r.exitCode, String(r.stderr)).toBe(0);
      outputs.push([`run ${flags.join(' ')}`, String(r.stdout)]);
    }
    const id = String((await t.ok(['run', '-d', 'probe', '/probe', 'fds'])).stdout).trim();
    await t.ok(['wait', id]);
    outputs.push(['run -d', String((await t.ok(['logs', id])).stdout)]);
    for (const [what, out] of outputs) expect([...fdsOf(out).keys()], `${what}:\n${out}`).toEqual([0, 1, 2]);
  });

  it('only fds 0-2 reach a process started by exec: attached, interactive, tty, detached', async () => {
    const outputs: [string, string][] = [];
    for (const flags of [[], ['-i'], ['-t'], ['-i', '-t']]) {
      const r = await t.runIn(hostDir, ['exec', ...flags, running, '/probe', 'fds'], { input: flags.includes('-i') ? 'x\n' : undefined });
      expect(r.exitCode, String(r.stderr)).toBe(0);
      outputs.push([`exec ${flags.join(' ')}`, String(r.stdout)]);
    }
    await t.ok(['exec', '-d', running, 'sh', '-c', '/probe fds > /tmp/exec-d-fds']);
    for (let i = 0; i < 50 && !String((await t.run(['exec', running, 'cat', '/tmp/exec-d-fds'])).stdout).includes('fd 2'); i++) await new Promise((r) => setTimeout(r, 50));
    outputs.push(['exec -d', String((await t.ok(['exec', running, 'cat', '/tmp/exec-d-fds'])).stdout)]);
    for (const [what, out] of outputs) expect([...fdsOf(out).keys()], `${what}:\n${out}`).toEqual([0, 1, 2]);
  });

  it('mountinfo inside run and exec shows only the container\'s mounts', async () => {
    const want = containerMountPoints();
    const fromRun = String((await t.ok(['run', '--rm', 'probe', 'cat', '/proc/self/mountinfo'])).stdout);
    const fromExec = String((await t.ok(['exec', running, 'cat', '/proc/self/mountinfo'])).stdout);
    expect(mountPoints(fromRun)).toEqual(want);
    expect(mountPoints(fromExec)).toEqual(want);
  });
});
