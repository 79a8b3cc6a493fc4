// `exec` into a running container: it sees the container's processes, files, hostname; -e,
// -w, -u; exit codes (the command's own, 126 for a directory, 127 for a missing command);
// -d; refused for stopped and paused containers.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { background, cleanupRoot, expectExit, explain, isRoot, newRoot, out, stopBackground, waitFor, type TestRoot } from './helpers.js';

describe.skipIf(!isRoot).concurrent('exec', () => {
  let root: TestRoot;
  let id: string;
  beforeAll(async () => {
    root = await newRoot('rt-exec');
    id = await out(root, ['run', '-d', '--name', 'target', '-e', 'FROM_RUN=1', '-w', '/srv', 'busybox', 'sh', '-c', 'echo in-container > /srv/data.txt; exec sleep 300']);
    await waitFor('the container to write its file', async () => (await root.run(['exec', id, 'cat', '/srv/data.txt'])).stdout === 'in-container\n');
  });
  afterAll(async () => {
    await cleanupRoot(root);
  });

  it("sees the container's processes, files and hostname", async () => {
    const r = await expectExit(root, ['exec', 'target', 'sh', '-c', 'ps -o pid,args; cat /srv/data.txt; hostname'], 0);
    const text = String(r.stdout);
    expect(text, explain(r)).toMatch(/^\s*1 sleep 300$/m);
    expect(text, explain(r)).toContain('in-container\n');
    expect(text.trim().split('\n').at(-1), explain(r)).toBe(id.slice(0, 12));
    // and what exec writes, the container's own process sees
    await expectExit(root, ['exec', 'target', 'sh', '-c', 'echo from-exec > /tmp/x'], 0);
    const seen = await expectExit(root, ['exec', 'target', 'cat', '/proc/1/root/tmp/x'], 0);
    expect(String(seen.stdout), explain(seen)).toBe('from-exec\n');
  });

  it('-e adds to the container environment; -w sets the directory; the defaults are the container\'s', async () => {
    const r = await expectExit(root, ['exec', '-e', 'FOO=bar', '-e', 'FROM_RUN=2', 'target', 'sh', '-c', 'echo "$FOO $FROM_RUN $HOSTNAME"; pwd'], 0);
    expect(String(r.stdout), explain(r)).toBe(`bar 2 ${id.slice(0, 12)}\n/srv\n`);
    const d = await expectExit(root, ['exec', 'target', 'sh', '-c', 'echo "$FROM_RUN"; pwd'], 0);
    expect(String(d.stdout), explain(d)).toBe('1\n/srv\n');
    const w = await expectExit(root, ['exec', '-w', '/etc', 'target', 'pwd'], 0);
    expect(String(w.stdout), explain(w)).toBe('/etc\n');
  });

  it('-u app runs as the image\'s user app, without capabilities', async () => {
    const r = await expectExit(root, ['exec', '-u', 'app', 'target', 'sh', '-c', 'id; grep CapEff /proc/self/status; touch /root/x 2>&1; echo "rc=$?"'], 0);
    const text = String(r.stdout);
    expect(text, explain(r)).toMatch(/^uid=1000\(app\) gid=\d+\(\w+\) groups=.*50\(staff\)/);
    expect(text, explain(r)).toMatch(/CapEff:\s+0000000000000000/);
    expect(text, explain(r)).toMatch(/Permission denied[\s\S]*rc=1/);
    const root0 = await expectExit(root, ['exec', 'target', 'id', '-u'], 0);
    expect(String(root0.stdout), explain(root0)).toBe('0\n');
  });

  it("exit codes: the command's own, 126 for a directory, 127 for a missing command", async () => {
    const zero = await root.run(['exec', 'target', 'true']);
    expect(zero.exitCode, explain(zero)).toBe(0);
    const three = await root.run(['exec', 'target', 'sh', '-c', 'exit 3']);
    expect(three.exitCode, explain(three)).toBe(3);
    const dir = await root.run(['exec', 'target', '/etc']);
    expect(dir.exitCode, explain(dir)).toBe(126);
    expect(String(dir.stderr), explain(dir)).toMatch(/is a directory|permission denied/i);
    const missing = await root.run(['exec', 'target', 'nosuchcmd']);
    expect(missing.exitCode, explain(missing)).toBe(127);
    expect(String(missing.stderr), explain(missing)).toMatch(/nosuchcmd.*not found|executable file not found/);
    // the container is unharmed
    await expectExit(root, ['exec', 'target', 'true'], 0);
  });

  it('exec -d returns while the command runs on in the container', async () => {
    // The command waits for /tmp/go: an exec -d that waited for it would never return.
    const cmd = 'while [ ! -e /tmp/go ]; do sleep 0.05; done; echo done > /tmp/bg';
    await expectExit(root, ['exec', '-d', 'target', 'sh', '-c', cmd], 0, { timeout: 20_000 });
    const ps = await expectExit(root, ['exec', 'target', 'ps', '-o', 'args'], 0);
    expect(String(ps.stdout), explain(ps)).toContain(`sh -c ${cmd}`);
    await expectExit(root, ['exec', 'target', 'touch', '/tmp/go'], 0);
    await waitFor('the detached exec to finish', async () => (await root.run(['exec', 'target', 'cat', '/tmp/bg'])).stdout === 'done\n', 10_000, 200);
  });

  it('SIGINT to exec (Ctrl-C) reaches the command', async () => {
    const ex = background(root, ['exec', 'target', 'sh', '-c', 'trap "echo got-int; exit 42" INT; echo ready; while :; do sleep 0.05; done']);
    try {
      await waitFor(`exec to be ready\n${ex.describe()}`, () => ex.stdout().includes('ready'));
      process.kill(ex.child.pid!, 'SIGINT');
      const ended = await Promise.race([ex.exited, new Promise((r) => setTimeout(() => r('still running 10 s after SIGINT'), 10_000))]);
      expect(ended, ex.describe()).toEqual({ code: 42, signal: null });
      expect(ex.stdout(), ex.describe()).toContain('got-int');
    } finally {
      await stopBackground(ex);
    }
  });

  it('stdin reaches the command with -i', async () => {
    const r = await expectExit(root, ['exec', '-i', 'target', 'sh', '-c', 'tr a-z A-Z'], 0, { input: 'hello\n' });
    expect(String(r.stdout), explain(r)).toBe('HELLO\n');
  });

  it('is refused for a container that is not running, or paused', async () => {
    const stopped = await out(root, ['create', 'busybox', 'sleep', '5']);
    const r = await root.run(['exec', stopped, 'true']);
    expect(r.exitCode, explain(r)).not.toBe(0);
    expect(String(r.stderr), explain(r)).toMatch(/is not running/);
    const p = await out(root, ['run', '-d', 'busybox', 'sleep', '60']);
    await expectExit(root, ['pause', p], 0);
    const paused = await root.run(['exec', p, 'true']);
    expect(paused.exitCode, explain(paused)).not.toBe(0);
    expect(String(paused.stderr), explain(paused)).toMatch(/paused/);
    await expectExit(root, ['unpause', p], 0);
    await expectExit(root, ['exec', p, 'true'], 0);
    await expectExit(root, ['rm', '-f', p, stopped], 0);
  });
});
