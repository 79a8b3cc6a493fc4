// What `run` returns: the container's own status; 125 when the engine fails (and then
// nothing is left behind: no container, no cgroup); 126 when the command cannot be run,
// 127 when it is not found; and a signal sent to a foreground `run` reaches the container.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { background, cgroupDirs, cleanupRoot, expectExit, explain, isRoot, newRoot, out, stopBackground, waitFor, type TestRoot } from './helpers.js';

describe.skipIf(!isRoot).concurrent('run exit codes', () => {
  let root: TestRoot;
  beforeAll(async () => {
    root = await newRoot('rt-exit');
  });
  afterAll(async () => {
    await cleanupRoot(root);
  });

  it("run returns the container's exit status", async () => {
    for (const code of [0, 1, 42, 255]) {
      const r = await root.run(['run', '--rm', 'busybox', 'sh', '-c', `exit ${code}`]);
      expect(r.exitCode, explain(r)).toBe(code);
    }
  });

  it('a foreground run whose container is killed returns 128 + the signal (137)', async () => {
    const run = background(root, ['run', '--rm', '--name', 'to-kill', 'busybox', 'sh', '-c', 'echo ready; exec sleep 60']);
    try {
      await waitFor(`the container to be ready\n${run.describe()}`, () => run.stdout().includes('ready'));
      await waitFor('State.Running', async () => (await root.run(['inspect', '-f', '{{.State.Running}}', 'to-kill'])).stdout === 'true\n');
      await expectExit(root, ['kill', 'to-kill'], 0);
      const ended = await Promise.race([run.exited, new Promise((r) => setTimeout(() => r('still running 10 s after kill'), 10_000))]);
      expect(ended, run.describe()).toEqual({ code: 137, signal: null });
    } finally {
      await stopBackground(run);
    }
  });

  it('126 when the command is a directory, 127 when it does not exist', async () => {
    const dir = await root.run(['run', '--name', 'is-a-dir', 'busybox', '/etc']);
    expect(dir.exitCode, explain(dir)).toBe(126);
    expect(String(dir.stderr), explain(dir)).toMatch(/\/etc.*(is a directory|permission denied)/i);
    const missing = await root.run(['run', '--name', 'not-found', 'busybox', 'nosuchcmd']);
    expect(missing.exitCode, explain(missing)).toBe(127);
    expect(String(missing.stderr), explain(missing)).toMatch(/nosuchcmd.*executable file not found/);
    // as with docker, the container stays (created, never started) with the error recorded
    const s = JSON.parse(await out(root, ['inspect', '-f', '{{json .State}}', 'not-found']));
    expect({ Status: s.Status, ExitCode: s.ExitCode }, JSON.stringify(s)).toEqual({ Status: 'created', ExitCode: 127 });
    expect(s.Error, JSON.stringify(s)).toMatch(/nosuchcmd/);
    const paths = await root.run(['run', '--rm', 'busybox', '/no/such/path']);
    expect(paths.exitCode, explain(paths)).toBe(127);
  });

  it('SIGINT to a foreground run (Ctrl-C) reaches the container: its trap decides the exit code', async () => {
    const run = background(root, ['run', '--rm', 'busybox', 'sh', '-c', 'trap "echo got-int; exit 42" INT; echo ready; while :; do sleep 0.05; done']);
    try {
      await waitFor(`the container to be ready\n${run.describe()}`, () => run.stdout().includes('ready'));
      process.kill(run.child.pid!, 'SIGINT');
      const ended = await Promise.race([run.exited, new Promise((r) => setTimeout(() => r('still running 10 s after SIGINT'), 10_000))]);
      expect(ended, run.describe()).toEqual({ code: 42, signal: null });
      expect(run.stdout(), run.describe()).toContain('got-int');
    } finally {
      await stopBackground(run);
    }
  });

  it('SIGTERM to a foreground run is forwarded too', async () => {
    const run = background(root, ['run', '--rm', 'busybox', 'sh', '-c', 'trap "exit 43" TERM; echo ready; while :; do sleep 0.05; done']);
    try {
      await waitFor(`the container to be ready\n${run.describe()}`, () => run.stdout().includes('ready'));
      process.kill(run.child.pid!, 'SIGTERM');
      const ended = await Promise.race([run.exited, new Promise((r) => setTimeout(() => r('still running 10 s after SIGTERM'), 10_000))]);
      expect(ended, run.describe()).toEqual({ code: 43, signal: null });
    } finally {
      await stopBackground(run);
    }
  });
});

describe.skipIf(!isRoot)('engine errors: 125 and nothing left behind', () => {
  // A root of its own: "nothing new in ps -a" must not see the other tests' containers.
  let root: TestRoot;
  beforeAll(async () => {
    root = await newRoot('rt-exit125');
    await expectExit(root, ['create', '--name', 'taken', 'busybox', 'true'], 0);
  });
  afterAll(async () => {
    await cleanupRoot(root);
  });

  const cases: [string, string[], RegExp][] = [
    ['an unknown image', ['run', 'no-such-image:1.0', 'true'], /Unable to find image 'no-such-image:1.0' locally/],
    ['a bad flag value', ['run', '--memory', '1x', 'busybox', 'true'], /invalid argument "1x" for "-m, --memory" flag/],
    ['an unknown flag', ['run', '--no-such-flag', 'busybox', 'true'], /unknown flag: --no-such-flag/],
    ['a name in use', ['run', '--name', 'taken', 'busybox', 'true'], /Conflict\. The container name "\/taken" is already in use/],
    ['a name in use, detached', ['run', '-d', '--name', 'taken', 'busybox', 'sleep', '10'], /is already in use/],
    ['an invalid name', ['run', '--name', 'bad/name', 'busybox', 'true'], /Invalid container name/],
  ];
  for (const [what, args, message] of cases) {
    it(`${what}: exit 125, an error message, no new container, no cgroup`, async () => {
      const before = await out(root, ['ps', '-aq', '--no-trunc']);
      const r = await root.run(args);
      expect(r.exitCode, explain(r)).toBe(125);
      expect(String(r.stderr), explain(r)).toMatch(message);
      expect(String(r.stdout), explain(r)).toBe('');
      expect(await out(root, ['ps', '-aq', '--no-trunc']), `ps -a after\n${explain(r)}`).toBe(before);
      expect(cgroupDirs(root.cgroupParent), `cgroups under ${root.cgroupParent}`).toEqual([]);
    });
  }
});
