// Without a daemon, the truth is on disk and in the kernel: a SIGKILLed shim takes its
// container down with it and `ps` says so; concurrent commands on one root do not corrupt
// it or each other; `rm` leaves nothing of a container (files, cgroups, mounts, processes).
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  cleanupRoot, containerCgroups, expectExit, explain, isRoot, mountsMentioning, newRoot, out, pidAlive,
  processesMentioning, state, waitFor, type TestRoot,
} from './helpers.js';

describe.skipIf(!isRoot).concurrent('crash safety and concurrency', () => {
  let root: TestRoot;
  beforeAll(async () => {
    root = await newRoot('rt-crash');
  });
  afterAll(async () => {
    await cleanupRoot(root);
  });

  it('a SIGKILLed shim takes its container down; ps shows it exited; it can be started again and removed', async () => {
    const id = await out(root, ['run', '-d', 'busybox', 'sh', '-c', 'sleep 3141 & exec sleep 3142']);
    const s = await state(root, id);
    const shims = processesMentioning(id).filter((p) => p.cmd.includes('minidock-shim monitor'));
    expect(shims.length, `the shim of ${id}: ${JSON.stringify(processesMentioning(id))}`).toBe(1);
    const shim = shims[0].pid;
    const cgroups = containerCgroups(root, id);
    // the container's processes, as the host sees them (init and its child)
    const procs = await waitFor('both sleeps', () => {
      const p = processesMentioning('sleep 314').filter((x) => x.cmd === 'sleep 3141 ' || x.cmd === 'sleep 3142 ');
      return p.length === 2 ? p : undefined;
    });
    expect(procs.map((p) => p.pid), JSON.stringify(procs)).toContain(s.Pid);

    process.kill(shim, 'SIGKILL');
    await waitFor('the container\'s processes to die with the shim', () => procs.every((p) => !pidAlive(p.pid)), 10_000);
    const ps = await out(root, ['ps', '-a', '--filter', `id=${id}`, '--format', '{{.State}}|{{.Status}}']);
    expect(ps, 'ps -a after the shim was killed').toMatch(/^exited\|Exited \(\d+\) .*ago$/);
    expect(await out(root, ['ps', '-q', '--filter', `id=${id}`]), 'ps (running only)').toBe('');
    const after = await state(root, id);
    expect(after, JSON.stringify(after)).toMatchObject({ Status: 'exited', Running: false, Pid: 0 });
    const stop = await expectExit(root, ['stop', id], 0);
    expect(String(stop.stdout).trim(), explain(stop)).toBe(id);

    // the leftovers of the dead run are cleaned on the next start, which works
    await expectExit(root, ['start', id], 0);
    expect((await state(root, id)).Status).toBe('running');
    await expectExit(root, ['rm', '-f', id], 0);
    expect(cgroups.filter((d) => existsSync(d)), 'cgroups after rm').toEqual([]);
    await waitFor('no process of the container (shim, exit hook) left', () => processesMentioning(id).length === 0, 10_000);
  });

  it('10 concurrent `run -d` with distinct names all succeed', async () => {
    const names = Array.from({ length: 10 }, (_, i) => `para-${i}`);
    const results = await Promise.all(names.map((n) => root.run(['run', '-d', '--name', n, 'busybox', 'sleep', '300'])));
    for (const r of results) expect(r.exitCode, explain(r)).toBe(0);
    const ids = results.map((r) => String(r.stdout).trim());
    expect(new Set(ids).size, ids.join('\n')).toBe(10);
    const ps = (await out(root, ['ps', '--filter', 'name=para-', '--format', '{{.Names}} {{.State}}'])).split('\n').sort();
    expect(ps).toEqual(names.map((n) => `${n} running`).sort());
    // each one really runs: exec into all of them at once
    const execs = await Promise.all(names.map((n) => root.run(['exec', n, 'hostname'])));
    execs.forEach((r, i) => expect(String(r.stdout).trim(), explain(r)).toBe(ids[i].slice(0, 12)));
    const rm = await expectExit(root, ['rm', '-f', ...names], 0);
    expect(String(rm.stdout).trim().split('\n').sort(), explain(rm)).toEqual([...names].sort());
    expect(await out(root, ['ps', '-aq', '--filter', 'name=para-'])).toBe('');
    for (const id of ids) expect(containerCgroups(root, id), `cgroups of ${id}`).toEqual([]);
  });

  it('concurrent creates of one name: exactly one wins, the others fail with 125', async () => {
    const results = await Promise.all(Array.from({ length: 5 }, () => root.run(['create', '--name', 'only-one', 'busybox', 'true'])));
    const codes = results.map((r) => r.exitCode).sort();
    expect(codes, results.map(explain).join('\n')).toEqual([0, 125, 125, 125, 125]);
    expect(await out(root, ['ps', '-aq', '--filter', 'name=^only-one$'])).toMatch(/^[0-9a-f]{12}$/);
  });

  it('concurrent commands on different containers do not interfere', async () => {
    const [a, b, c, d] = await Promise.all(['cc-stop', 'cc-exec', 'cc-pause', 'cc-kill'].map((n) => out(root, ['run', '-d', '--name', n, 'busybox', 'sleep', '300'])));
    const [stop, exec, pause, kill, rename] = await Promise.all([
      root.run(['stop', '-t', '0', a]),
      root.run(['exec', b, 'sh', '-c', 'echo exec-ok']),
      root.run(['pause', c]),
      root.run(['kill', '-s', 'KILL', d]),
      root.run(['rename', b, 'cc-exec-renamed']),
    ]);
    for (const r of [stop, exec, pause, kill, rename]) expect(r.exitCode, explain(r)).toBe(0);
    expect(String(exec.stdout), explain(exec)).toBe('exec-ok\n');
    await waitFor('the killed container to be seen exited', async () => (await state(root, d)).Status === 'exited');
    const st = await Promise.all([a, b, c, d].map((id) => out(root, ['inspect', '-f', '{{.Name}} {{.State.Status}} {{.State.ExitCode}}', id])));
    expect(st).toEqual(['/cc-stop exited 137', '/cc-exec-renamed running 0', '/cc-pause paused 0', '/cc-kill exited 137']);
    await expectExit(root, ['rm', '-f', a, b, c, d], 0);
  });

  it('after rm nothing of the container remains: its directory, cgroups, mounts, processes', async () => {
    const id = await out(root, ['run', '-d', '--tmpfs', '/scratch', '--memory', '64m', '--pids-limit', '50', 'busybox', 'sh', '-c', 'echo data > /scratch/f; sleep 300']);
    const dir = join(root.dir, 'containers', id);
    const cgroups = containerCgroups(root, id);
    expect(existsSync(dir), dir).toBe(true);
    expect(cgroups.length, 'cgroup dirs while running').toBeGreaterThan(0);
    // the container's mounts live in its own mount namespace, never in the host's
    expect(mountsMentioning(id), 'host mounts mentioning the container').toEqual([]);
    await expectExit(root, ['rm', '-f', id], 0);
    expect(existsSync(dir), `${dir} after rm`).toBe(false);
    expect(cgroups.filter((p) => existsSync(p)), 'cgroup dirs after rm').toEqual([]);
    expect(mountsMentioning(id), 'mounts after rm').toEqual([]);
    await waitFor('no process of the container (shim, exit hook) left', () => processesMentioning(id).length === 0, 10_000);
    const gone = await root.run(['inspect', id]);
    expect(gone.exitCode, explain(gone)).toBe(1);
    expect(String(gone.stderr), explain(gone)).toMatch(/No such object/);
  });
});
