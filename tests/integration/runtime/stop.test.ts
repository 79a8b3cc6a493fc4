// `stop`, `kill` and `wait`: the stop signal (--stop-signal, the image's STOPSIGNAL, -s),
// the timeout before SIGKILL (-t, --stop-timeout), and the exit codes they leave.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { busyboxTarball } from '../../helpers/cli.js';
import { background, cleanupRoot, expectExit, explain, isRoot, newRoot, out, state, stopBackground, waitFor, type TestRoot } from './helpers.js';

/** A PID 1 that exits with `code` on `sig` and says so once it is ready. */
const trapping = (sig: string, code: number) => `trap "echo got-${sig}; exit ${code}" ${sig}; echo ready; while :; do sleep 0.05; done`;
/** sh as PID 1 without handlers: the kernel drops SIGTERM/SIGINT, only SIGKILL ends it. */
const STUBBORN = 'echo ready; while :; do sleep 0.05; done';

async function started(root: TestRoot, args: string[]): Promise<string> {
  const id = await out(root, ['run', '-d', ...args]);
  await waitFor(`container ${id} to be ready`, async () => String((await root.run(['logs', id])).stdout).includes('ready'));
  return id;
}

async function timed<T>(fn: () => Promise<T>): Promise<[T, number]> {
  const t = performance.now();
  const v = await fn();
  return [v, (performance.now() - t) / 1000];
}

describe.skipIf(!isRoot).concurrent('stop, kill, wait', () => {
  let root: TestRoot;
  beforeAll(async () => {
    root = await newRoot('rt-stop');
    await root.ok(['import', '--change', 'STOPSIGNAL SIGUSR1', '--change', 'CMD ["sh"]', busyboxTarball(), 'busybox-usr1:latest']);
  });
  afterAll(async () => {
    await cleanupRoot(root);
  });

  it('stop sends SIGTERM: a container that handles it exits at once with its own code', async () => {
    const id = await started(root, ['busybox', 'sh', '-c', trapping('TERM', 3)]);
    const [r, secs] = await timed(() => expectExit(root, ['stop', id], 0));
    expect(String(r.stdout).trim(), explain(r)).toBe(id);
    expect(secs, `stop took ${secs}s\n${explain(r)}`).toBeLessThan(5);
    const s = await state(root, id);
    expect({ Status: s.Status, ExitCode: s.ExitCode, Running: s.Running }, JSON.stringify(s)).toEqual({ Status: 'exited', ExitCode: 3, Running: false });
    expect(String((await root.run(['logs', id])).stdout)).toContain('got-TERM');
  });

  it('--stop-signal is what stop sends', async () => {
    const id = await started(root, ['--stop-signal', 'SIGUSR1', 'busybox', 'sh', '-c', trapping('USR1', 7)]);
    await expectExit(root, ['stop', id], 0);
    expect((await state(root, id)).ExitCode).toBe(7);
    expect(await out(root, ['inspect', '-f', '{{.Config.StopSignal}}', id])).toBe('SIGUSR1');
  });

  it("the image's STOPSIGNAL is what stop sends; stop -s overrides it", async () => {
    const id = await started(root, ['busybox-usr1', 'sh', '-c', trapping('USR1', 5)]);
    await expectExit(root, ['stop', id], 0);
    expect((await state(root, id)).ExitCode).toBe(5);
    const other = await started(root, ['busybox-usr1', 'sh', '-c', trapping('HUP', 9)]);
    await expectExit(root, ['stop', '-s', 'HUP', other], 0);
    expect((await state(root, other)).ExitCode).toBe(9);
  });

  it('stop -t N: a container that ignores the signal is SIGKILLed after N seconds (137)', async () => {
    const id = await started(root, ['busybox', 'sh', '-c', STUBBORN]);
    const [r, secs] = await timed(() => expectExit(root, ['stop', '-t', '1', id], 0));
    expect(secs, `stop -t 1 took ${secs}s\n${explain(r)}`).toBeGreaterThanOrEqual(0.9);
    expect(secs, `stop -t 1 took ${secs}s\n${explain(r)}`).toBeLessThan(5);
    const s = await state(root, id);
    expect({ Status: s.Status, ExitCode: s.ExitCode, OOMKilled: s.OOMKilled }, JSON.stringify(s)).toEqual({ Status: 'exited', ExitCode: 137, OOMKilled: false });
  });

  it('--stop-timeout at create is the default for stop', async () => {
    const id = await started(root, ['--stop-timeout', '1', 'busybox', 'sh', '-c', STUBBORN]);
    const [r, secs] = await timed(() => expectExit(root, ['stop', id], 0));
    expect(secs, `stop took ${secs}s (--stop-timeout 1)\n${explain(r)}`).toBeGreaterThanOrEqual(0.9);
    expect(secs, `stop took ${secs}s (--stop-timeout 1, the default would be 10)\n${explain(r)}`).toBeLessThan(5);
    expect((await state(root, id)).ExitCode).toBe(137);
  });

  it('stop of a stopped container succeeds and changes nothing', async () => {
    const id = await out(root, ['run', '-d', 'busybox', 'sh', '-c', 'exit 4']);
    await waitFor('exit', async () => (await state(root, id)).Status === 'exited');
    await expectExit(root, ['stop', id], 0);
    expect((await state(root, id)).ExitCode).toBe(4);
  });

  it('kill sends SIGKILL by default (137); kill -s sends the signal given', async () => {
    const id = await started(root, ['busybox', 'sh', '-c', STUBBORN]);
    await expectExit(root, ['kill', id], 0);
    await waitFor('exit after kill', async () => (await state(root, id)).Status === 'exited');
    expect((await state(root, id)).ExitCode).toBe(137);

    const other = await started(root, ['busybox', 'sh', '-c', trapping('USR2', 12)]);
    await expectExit(root, ['kill', '-s', 'USR2', other], 0);
    await waitFor('exit after kill -s USR2', async () => (await state(root, other)).Status === 'exited');
    expect((await state(root, other)).ExitCode).toBe(12);
    const again = await root.run(['kill', other]);
    expect(again.exitCode, explain(again)).toBe(1);
    expect(String(again.stderr), explain(again)).toMatch(/is not running/);
  });

  it('wait blocks until the container exits and prints its exit code', async () => {
    const id = await started(root, ['busybox', 'sh', '-c', trapping('TERM', 42)]);
    const w = background(root, ['wait', id]);
    try {
      await new Promise((r) => setTimeout(r, 300));
      expect(w.child.exitCode, `wait returned while the container runs\n${w.describe()}`).toBeNull();
      await expectExit(root, ['stop', id], 0);
      const done = await Promise.race([w.exited, new Promise((r) => setTimeout(() => r('still waiting'), 5000))]);
      expect(done, w.describe()).toEqual({ code: 0, signal: null });
      expect(w.stdout(), w.describe()).toBe('42\n');
    } finally {
      await stopBackground(w);
    }
    // an exited container: at once
    const r = await expectExit(root, ['wait', id], 0);
    expect(String(r.stdout), explain(r)).toBe('42\n');
  });
});
