// StoppedTree on hand-made layers (root: whiteouts are char devices, opaque markers are
// trusted.* xattrs): the merge overlayfs would show, volumes at their (resolved) targets,
// and writes made as overlayfs makes them — parents copied up with the lower owner, mode
// and time, a whiteout replaced by an opaque directory, mount points never replaced.
import { execFileSync } from 'node:child_process';
import { chownSync, lstatSync, mkdirSync, mkdtempSync, rmSync, symlinkSync, utimesSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createEngine, type Engine } from '../../../src/engine.js';
import { RealHost } from '../../../src/host/real.js';
import type { Container } from '../../../src/runtime/model.js';
import { containerPaths } from '../../../src/runtime/prepare.js';
import { StoppedTree } from '../../../src/runtime/files/stopped-tree.js';
import { resolveIn } from '../../../src/runtime/files/tree.js';
import { makeContainer } from '../../unit/volumes/fixtures.js';
import { isRoot } from './helpers.js';

const CHAIN = [`sha256:${'1'.repeat(64)}`, `sha256:${'2'.repeat(64)}`]; // bottom first
const T2001 = new Date('2001-02-03T04:05:06Z');

let dir: string;
let engine: Engine;
let c: Container;
let volume: string;

const sh = (...argv: string[]) => execFileSync(argv[0], argv.slice(1)).toString();
function put(path: string, text = 'x'): void {
  mkdirSync(join(path, '..'), { recursive: true });
  writeFileSync(path, text);
}

beforeAll(() => {
  if (!isRoot) return;
  dir = mkdtempSync(join(tmpdir(), 'minidock-files-tree-'));
  engine = createEngine({ host: new RealHost(), root: join(dir, 'root') });
  volume = join(dir, 'volume');
  mkdirSync(volume);
  put(join(volume, 'in-volume'), 'v');
  c = makeContainer({
    layers: CHAIN,
    mounts: [{ Type: 'volume', Source: volume, Destination: '/run/data', RW: true, Name: 'v' }],
  });
  const lower = (i: number) => join(engine.paths.snapshot(CHAIN[i]), 'fs');
  const bottom = lower(0);
  put(join(bottom, 'etc/passwd'), 'root');
  put(join(bottom, 'etc/group'), 'group');
  put(join(bottom, 'srv/old/a'), 'old');
  put(join(bottom, 'home/app/.profile'));
  chownSync(join(bottom, 'home/app'), 1000, 1000);
  utimesSync(join(bottom, 'home/app'), T2001, T2001);
  mkdirSync(join(bottom, 'run'));
  symlinkSync('/run', join(bottom, 'var-run'));
  const top = lower(1);
  mkdirSync(join(top, 'etc'), { recursive: true });
  sh('mknod', join(top, 'etc/group'), 'c', '0', '0'); // deleted by the top image layer
  put(join(top, 'srv/new/b'), 'new');
  sh('setfattr', '-n', 'trusted.overlay.opaque', '-v', 'y', join(top, 'srv'));
  const p = containerPaths(engine, c.Id);
  put(join(p.upper, 'tmp/mine'), 'mine');
  sh('mknod', join(p.upper, 'etc-gone'), 'c', '0', '0');
});

afterAll(() => {
  if (dir) rmSync(dir, { recursive: true, force: true });
});

describe.runIf(isRoot)('StoppedTree', () => {
  it('shows the merge overlayfs would show', async () => {
    const t = await StoppedTree.open(engine, c);
    expect(t.readdir('etc')).toEqual(['passwd']);
    expect(t.lstat('etc/group')).toBeUndefined();
    expect(t.readdir('srv')).toEqual(['new']); // opaque: srv/old is hidden
    expect(t.readdir('tmp')).toEqual(['mine']);
    expect(t.readdir('run')).toEqual(['data']); // the volume's target, not in any layer
    expect(t.readdir('run/data')).toEqual(['in-volume']);
    expect(resolveIn(t, '/var-run/data/in-volume', false).st?.isFile()).toBe(true);
  });

  it('copies parents up with the lower owner, mode and time, then creates the entry', async () => {
    const t = await StoppedTree.open(engine, c);
    const abs = await t.prepareCreate('home/app', 'new', 'other');
    writeFileSync(abs, 'n');
    const up = containerPaths(engine, c.Id).upper;
    const st = lstatSync(join(up, 'home/app'));
    expect([st.uid, st.gid, st.mode & 0o7777]).toEqual([1000, 1000, 0o755]);
    expect(abs).toBe(join(up, 'home/app/new'));
    expect(t.readdir('home/app')).toEqual(['.profile', 'new']);
  });

  it('replaces a whiteout with an opaque directory, and writes below volumes to their source', async () => {
    const t = await StoppedTree.open(engine, c);
    const abs = await t.prepareCreate('', 'etc-gone', 'dir');
    mkdirSync(abs);
    await t.finish();
    expect(sh('getfattr', '-n', 'trusted.overlay.opaque', '--only-values', abs)).toBe('y');
    expect(await t.prepareCreate('run/data', 'f', 'other')).toBe(join(volume, 'f'));
    await expect(t.prepareCreate('run', 'data', 'dir')).rejects.toThrow(/a volume or bind mount is mounted there/);
    expect(t.mountFor('run/data/f')?.mount.rw).toBe(true);
  });

  it('links only within the upper dir or one mount; a lower file is copied', async () => {
    const t = await StoppedTree.open(engine, c);
    expect(t.linkSource('tmp/mine', 'tmp')).toBe(join(containerPaths(engine, c.Id).upper, 'tmp/mine'));
    expect(t.linkSource('etc/passwd', 'tmp')).toBeUndefined();
    expect(t.linkSource('run/data/in-volume', 'tmp')).toBeUndefined();
    expect(t.linkSource('run/data/in-volume', 'run/data')).toBe(join(volume, 'in-volume'));
  });
});
