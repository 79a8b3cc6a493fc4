// A container's state through its life, as `inspect` reports it (Status, Running, Paused,
// Pid, ExitCode, OOMKilled, StartedAt, FinishedAt), `pause`/`unpause` (a paused container's
// processes do not run) and `rename`.
import { readFileSync } from 'node:fs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { cleanupRoot, expectExit, explain, isRoot, newRoot, out, sleep, state, waitFor, type TestRoot } from './helpers.js';

const ZERO_TIME = '0001-01-01T00:00:00Z';

describe.skipIf(!isRoot).concurrent('container state', () => {
  let root: TestRoot;
  beforeAll(async () => {
    root = await newRoot('rt-state');
  });
  afterAll(async () => {
    await cleanupRoot(root);
  });

  it('inspect State: created, then running (Pid is the host PID of the command), then exited', async () => {
    const id = await out(root, ['create', 'busybox', 'sh', '-c', 'echo ready; exec sleep 300']);
    const created = await state(root, id);
    expect(created, JSON.stringify(created)).toMatchObject({ Status: 'created', Running: false, Paused: false, Pid: 0, ExitCode: 0, OOMKilled: false, StartedAt: ZERO_TIME, FinishedAt: ZERO_TIME });

    const beforeStart = Date.now();
    await expectExit(root, ['start', id], 0);
    const running = await state(root, id);
    expect(running, JSON.stringify(running)).toMatchObject({ Status: 'running', Running: true, Paused: false, Restarting: false, ExitCode: 0, FinishedAt: ZERO_TIME });
    expect(running.Pid, JSON.stringify(running)).toBeGreaterThan(1);
    // the host sees that PID running the container's command
    await waitFor('the command to be exec\'d', () => readFileSync(`/proc/${running.Pid}/cmdline`, 'utf8') === 'sleep\u0000300\u0000');
    const started = Date.parse(running.StartedAt);
    expect(started, JSON.stringify(running)).toBeGreaterThanOrEqual(beforeStart - 1000);
    expect(started, JSON.stringify(running)).toBeLessThanOrEqual(Date.now());

    await expectExit(root, ['stop', '-t', '0', id], 0);
    const exited = await state(root, id);
    expect(exited, JSON.stringify(exited)).toMatchObject({ Status: 'exited', Running: false, Pid: 0, ExitCode: 137, OOMKilled: false, StartedAt: running.StartedAt });
    expect(Date.parse(exited.FinishedAt), JSON.stringify(exited)).toBeGreaterThanOrEqual(started);
    expect(Date.parse(exited.FinishedAt), JSON.stringify(exited)).toBeLessThanOrEqual(Date.now());
    // restarted: a new StartedAt, FinishedAt kept from the last run until it ends again
    await expectExit(root, ['start', id], 0);
    const again = await state(root, id);
    expect(again.Status, JSON.stringify(again)).toBe('running');
    expect(Date.parse(again.StartedAt), JSON.stringify(again)).toBeGreaterThanOrEqual(Date.parse(exited.FinishedAt));
    await expectExit(root, ['rm', '-f', id], 0);
  });

  it('a container that exits on its own: its status and FinishedAt, without anyone waiting for it', async () => {
    const id = await out(root, ['run', '-d', 'busybox', 'sh', '-c', 'sleep 0.3; exit 6']);
    await waitFor('exit', async () => (await state(root, id)).Status === 'exited');
    const s = await state(root, id);
    expect(s, JSON.stringify(s)).toMatchObject({ Running: false, Pid: 0, ExitCode: 6 });
    expect(Date.parse(s.FinishedAt) - Date.parse(s.StartedAt), JSON.stringify(s)).toBeGreaterThanOrEqual(250);
  });

  it('pause freezes the processes (a counter stops), unpause resumes them', async () => {
    const id = await out(root, ['run', '-d', 'busybox', 'sh', '-c', 'i=0; while :; do i=$((i+1)); echo $i; sleep 0.05; done']);
    const lines = async () => String((await expectExit(root, ['logs', id], 0)).stdout).trim().split('\n').length;
    await waitFor('the counter to run', async () => (await lines()) > 3);
    await expectExit(root, ['pause', id], 0);
    const paused = await state(root, id);
    expect(paused, JSON.stringify(paused)).toMatchObject({ Status: 'paused', Running: true, Paused: true });
    expect(await out(root, ['ps', '--filter', `id=${id}`, '--format', '{{.Status}}'])).toMatch(/\(Paused\)$/);
    const n1 = await lines();
    await sleep(700);
    const n2 = await lines();
    expect(n2, `log lines while paused: ${n1} then ${n2}`).toBe(n1);
    const again = await root.run(['pause', id]);
    expect(again.exitCode, explain(again)).not.toBe(0);
    expect(String(again.stderr), explain(again)).toMatch(/already paused/);

    await expectExit(root, ['unpause', id], 0);
    expect((await state(root, id)).Status).toBe('running');
    await waitFor('the counter to run again', async () => (await lines()) > n2 + 3);
    const not = await root.run(['unpause', id]);
    expect(not.exitCode, explain(not)).not.toBe(0);
    expect(String(not.stderr), explain(not)).toMatch(/is not paused/);
    // a paused container can still be stopped
    await expectExit(root, ['pause', id], 0);
    await expectExit(root, ['stop', '-t', '1', id], 0);
    expect((await state(root, id)).Status).toBe('exited');
  });

  it('pause of a container that is not running is refused', async () => {
    const id = await out(root, ['create', 'busybox', 'true']);
    const r = await root.run(['pause', id]);
    expect(r.exitCode, explain(r)).not.toBe(0);
    expect(String(r.stderr), explain(r)).toMatch(/is not running/);
  });

  it('rename: a running container answers to its new name only; a taken name is refused', async () => {
    const id = await out(root, ['run', '-d', '--name', 'before-rename', 'busybox', 'sleep', '300']);
    await expectExit(root, ['create', '--name', 'name-taken', 'busybox', 'true'], 0);
    await expectExit(root, ['rename', 'before-rename', 'after-rename'], 0);
    expect(await out(root, ['inspect', '-f', '{{.Name}} {{.State.Status}}', id])).toBe('/after-rename running');
    await expectExit(root, ['exec', 'after-rename', 'true'], 0);
    const old = await root.run(['inspect', 'before-rename']);
    expect(old.exitCode, explain(old)).toBe(1);
    expect(await out(root, ['ps', '--filter', `id=${id}`, '--format', '{{.Names}}'])).toBe('after-rename');
    const taken = await root.run(['rename', 'after-rename', 'name-taken']);
    expect(taken.exitCode, explain(taken)).not.toBe(0);
    expect(String(taken.stderr), explain(taken)).toMatch(/already in use/);
    const bad = await root.run(['rename', 'after-rename', 'no/slash']);
    expect(bad.exitCode, explain(bad)).not.toBe(0);
    expect(await out(root, ['inspect', '-f', '{{.Name}}', id])).toBe('/after-rename');
    // the old name is free again
    await expectExit(root, ['create', '--name', 'before-rename', 'busybox', 'true'], 0);
  });
});
