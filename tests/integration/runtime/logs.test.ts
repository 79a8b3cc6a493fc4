// `run -d` then `logs`: output streams with -f while the container runs, stdout and stderr
// stay apart, --tail, -t, --since; the logs outlive `stop` and go with `rm`.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { background, cleanupRoot, expectExit, explain, isRoot, newRoot, out, stopBackground, waitFor, type Background, type TestRoot } from './helpers.js';

/** A container that prints `early` on both streams, waits for /go (made by `exec`), then prints `late`. */
const GATED = 'echo early-out; echo early-err >&2; while [ ! -e /go ]; do sleep 0.05; done; echo late-out; echo late-err >&2; sleep 60';

describe.skipIf(!isRoot).concurrent('logs', () => {
  let root: TestRoot;
  beforeAll(async () => {
    root = await newRoot('rt-logs');
  });
  afterAll(async () => {
    await cleanupRoot(root);
  });

  it('logs -f streams while the container runs, keeps stdout and stderr apart, and ends with the container', async () => {
    const id = await out(root, ['run', '-d', 'busybox', 'sh', '-c', GATED]);
    let follow: Background | undefined;
    try {
      follow = background(root, ['logs', '-f', id]);
      const f = follow;
      await waitFor(`early output from logs -f\n${f.describe()}`, () => f.stdout().includes('early-out') && f.stderr().includes('early-err'));
      // still running, still following: nothing late yet
      expect(f.child.exitCode, f.describe()).toBeNull();
      expect(f.stdout(), f.describe()).not.toContain('late');
      await expectExit(root, ['exec', id, 'touch', '/go'], 0);
      await waitFor(`late output from logs -f\n${f.describe()}`, () => f.stdout().includes('late-out') && f.stderr().includes('late-err'));
      expect(f.stdout(), f.describe()).toBe('early-out\nlate-out\n');
      expect(f.stderr(), f.describe()).toBe('early-err\nlate-err\n');
      // stop ends the container, and with it logs -f
      await expectExit(root, ['stop', '-t', '0', id], 0);
      const ended = await Promise.race([f.exited, new Promise((r) => setTimeout(() => r('still running'), 5000))]);
      expect(ended, f.describe()).toEqual({ code: 0, signal: null });
    } finally {
      await stopBackground(follow);
    }
    // the logs outlive the stopped container...
    const after = await expectExit(root, ['logs', id], 0);
    expect(String(after.stdout), explain(after)).toBe('early-out\nlate-out\n');
    expect(String(after.stderr), explain(after)).toBe('early-err\nlate-err\n');
    // ...and go with it
    await expectExit(root, ['rm', id], 0);
    const gone = await root.run(['logs', id]);
    expect(gone.exitCode, explain(gone)).not.toBe(0);
    expect(String(gone.stderr), explain(gone)).toMatch(/No such container/);
  });

  it('--tail N shows the last N lines; --tail 0 none', async () => {
    const id = await out(root, ['run', '-d', 'busybox', 'sh', '-c', 'for i in 1 2 3 4 5; do echo line$i; done']);
    await waitFor('the container to exit', async () => (await out(root, ['inspect', '-f', '{{.State.Status}}', id])) === 'exited');
    const r = await expectExit(root, ['logs', '--tail', '2', id], 0);
    expect(String(r.stdout), explain(r)).toBe('line4\nline5\n');
    const n = await expectExit(root, ['logs', '-n', '0', id], 0);
    expect(String(n.stdout), explain(n)).toBe('');
    const all = await expectExit(root, ['logs', '--tail', 'all', id], 0);
    expect(String(all.stdout), explain(all)).toBe('line1\nline2\nline3\nline4\nline5\n');
  });

  it('-t prefixes each line with its RFC 3339 timestamp', async () => {
    const before = Date.now();
    const id = await out(root, ['run', '-d', 'busybox', 'sh', '-c', 'echo one; echo two >&2']);
    await waitFor('the container to exit', async () => (await out(root, ['inspect', '-f', '{{.State.Status}}', id])) === 'exited');
    const r = await expectExit(root, ['logs', '-t', id], 0);
    const re = /^(\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{9}Z) (one|two)$/;
    const outLine = re.exec(String(r.stdout).trim());
    const errLine = re.exec(String(r.stderr).trim());
    expect(outLine?.[2], explain(r)).toBe('one');
    expect(errLine?.[2], explain(r)).toBe('two');
    const t = Date.parse(outLine![1]);
    expect(t, `${explain(r)}\ntest started at ${new Date(before).toISOString()}`).toBeGreaterThanOrEqual(before - 1000);
    expect(t, explain(r)).toBeLessThanOrEqual(Date.now());
  });

  it('--since shows only what came after a timestamp (absolute, Unix or relative)', async () => {
    const id = await out(root, ['run', '-d', 'busybox', 'sh', '-c', GATED]);
    await waitFor('early output', async () => String((await root.run(['logs', id])).stdout).includes('early-out'));
    await new Promise((r) => setTimeout(r, 50));
    const cut = new Date();
    await new Promise((r) => setTimeout(r, 50));
    await expectExit(root, ['exec', id, 'touch', '/go'], 0);
    await waitFor('late output', async () => String((await root.run(['logs', id])).stdout).includes('late-out'));
    const iso = await expectExit(root, ['logs', '--since', cut.toISOString(), id], 0);
    expect(String(iso.stdout), explain(iso)).toBe('late-out\n');
    expect(String(iso.stderr), explain(iso)).toBe('late-err\n');
    const unix = await expectExit(root, ['logs', '--since', (cut.getTime() / 1000).toFixed(3), id], 0);
    expect(String(unix.stdout), explain(unix)).toBe('late-out\n');
    const relative = await expectExit(root, ['logs', '--since', '10m', id], 0);
    expect(String(relative.stdout), explain(relative)).toBe('early-out\nlate-out\n');
    const future = await expectExit(root, ['logs', '--since', new Date(Date.now() + 60_000).toISOString(), id], 0);
    expect(String(future.stdout) + String(future.stderr), explain(future)).toBe('');
    await expectExit(root, ['rm', '-f', id], 0);
  });
});
