// A failing step: docker's report and exit code 1, and nothing half-made left behind — the
// image store (catalogue, blobs, snapshots) exactly as before, no container, cgroup, mount,
// ingest or temp file. Earlier steps that were committed stay, as cache (docker keeps them too).
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { isRoot } from '../../helpers/cli.js';
import { execa } from 'execa';
import { BuildRoot, MINIDOCK, cgroupLeftovers, mountsUnder, storeState } from './helpers.js';

describe.skipIf(!isRoot)('a failed build', () => {
  let root: BuildRoot;
  beforeEach(async () => {
    root = new BuildRoot('build-fail');
    await root.importBusybox();
  });
  afterEach(() => root.cleanup());

  it('reports the command, its exit code and last output, exits 1 and leaves the store as it was', async () => {
    const ok = root.context({ Dockerfile: 'FROM busybox\nRUN echo one > /one\nCOPY f /f\n', f: 'data' });
    await root.buildId(ok, ['-t', 'good']);
    const before = storeState(root.dir);

    const failing = root.context({
      Dockerfile: 'FROM busybox\nRUN echo one > /one\nCOPY f /f\nRUN for i in 1 2 3 4 5 6 7 8 9 10 11 12; do echo line $i; done; echo big > /big; echo oops >&2; exit 3\nRUN echo never\n',
      f: 'data',
    });
    const r = await root.build(failing, ['-t', 'bad']);
    expect(r.exitCode).toBe(1);
    const err = String(r.stderr);
    expect(err).toContain('#8 ERROR: process "/bin/sh -c for i in 1 2 3 4 5 6 7 8 9 10 11 12; do echo line $i; done; echo big > /big; echo oops >&2; exit 3" did not complete successfully: exit code: 3');
    expect(err).toMatch(/------\n > \[4\/5\] RUN for i in .*exit 3:\n(\d+\.\d{3} line \d+\n)+\d+\.\d{3} oops\n------\n/);
    expect(err).toContain('Dockerfile:4\n--------------------\n   2 |     RUN echo one > /one\n   3 |     COPY f /f\n   4 | >>> RUN for i in');
    expect(err).toMatch(/Error: failed to solve: process "\/bin\/sh -c for i in .* exit 3" did not complete successfully: exit code: 3\n$/);
    expect(err).not.toMatch(/#\d+ \[5\/5\]/); // the step after the failure never starts

    expect(storeState(root.dir)).toEqual(before);
    expect(cgroupLeftovers(root.cgroupParent)).toEqual([]);
    expect(mountsUnder(root.dir)).toEqual([]);
    expect(String((await root.ok(['ps', '-aq'])).stdout)).toBe('');
    expect(String((await root.run(['image', 'inspect', 'bad'])).exitCode)).toBe('1');
  });

  it('keeps the steps before the failure as cache', async () => {
    const ctx = root.context({ Dockerfile: 'FROM busybox\nRUN echo kept > /kept\nRUN exit 7\n' });
    expect((await root.build(ctx)).exitCode).toBe(1);
    const again = await root.build(ctx);
    expect(String(again.stderr)).toMatch(/#\d+ \[2\/3\] RUN echo kept > \/kept\n#\d+ CACHED/);
    expect(String(again.stderr)).toContain('did not complete successfully: exit code: 7');
  });

  it('a failing COPY or a bad instruction points at its line and leaves nothing', async () => {
    const before = storeState(root.dir);
    const missing = root.context({ Dockerfile: 'FROM busybox\nCOPY nope /x\n' });
    const r = await root.build(missing);
    expect(r.exitCode).toBe(1);
    expect(String(r.stderr)).toContain('Error: failed to solve: failed to compute cache key: "/nope": not found');
    expect(String(r.stderr)).toContain('   2 | >>> COPY nope /x');
    const base = root.context({ Dockerfile: 'FROM nosuchimage\nRUN true\n' });
    const r2 = await root.build(base);
    expect(r2.exitCode).toBe(1);
    expect(String(r2.stderr)).toContain('nosuchimage: failed to resolve source metadata for docker.io/library/nosuchimage:latest: not found');
    expect(String(r2.stderr)).toContain('   1 | >>> FROM nosuchimage');
    expect(storeState(root.dir)).toEqual(before);
  });

  it('Ctrl-C during a RUN stops it and leaves nothing behind', async () => {
    const before = storeState(root.dir);
    const ctx = root.context({ Dockerfile: 'FROM busybox\nRUN echo started; sleep 60\n' });
    const child = execa(MINIDOCK, ['build', '--progress=plain', ctx], { env: root.env(), reject: false, stripFinalNewline: false });
    let err = '';
    await new Promise<void>((resolve, reject) => {
      const timer = setTimeout(() => reject(new Error(`the step did not start:\n${err}`)), 30_000);
      child.stderr!.on('data', (d: Buffer) => {
        err += d.toString();
        if (/#\d+ \d+\.\d+ started/.test(err)) {
          clearTimeout(timer);
          resolve();
        }
      });
    });
    child.kill('SIGINT');
    const r = await child;
    expect(r.exitCode).toBe(1);
    expect(String(r.stderr)).toContain('Error: failed to solve: the build was canceled');
    expect(storeState(root.dir)).toEqual(before);
    expect(cgroupLeftovers(root.cgroupParent)).toEqual([]);
    expect(mountsUnder(root.dir)).toEqual([]);
  });

  it('refuses RUN --mount as unsupported, before running anything', async () => {
    const ctx = root.context({ Dockerfile: 'FROM busybox\nRUN --mount=type=cache,target=/root/.cache echo hi\n' });
    const r = await root.build(ctx);
    expect(r.exitCode).toBe(1);
    expect(String(r.stderr)).toContain('RUN --mount=type=cache,target=/root/.cache is not supported by minidock build');
    expect(cgroupLeftovers(root.cgroupParent)).toEqual([]);
  });
});
