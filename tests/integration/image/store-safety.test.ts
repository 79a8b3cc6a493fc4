// The store under stress: concurrent imports into one root, a `kill -9` in the middle of an
// import (no half image visible; the next store write cleans up), and a malicious tarball
// that tries to write outside the root.
import { execa } from 'execa';
import { existsSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { BIN, busyboxTarball, isRoot, TestRoot } from '../../helpers/cli.js';
import { craftTar } from '../../unit/image/helpers.js';
import { rootProblems } from './helpers.js';

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

describe.skipIf(!isRoot)('store safety', () => {
  let root: TestRoot;
  let scratch: string;
  beforeEach(() => {
    root = new TestRoot('image-safety');
    scratch = mkdtempSync(join(tmpdir(), 'minidock-image-safety-'));
  });
  afterEach(async () => {
    await root?.cleanup();
    rmSync(scratch, { recursive: true, force: true });
  });

  it('concurrent imports and tags into one root all succeed; the store stays consistent', async () => {
    await root.importBusybox();
    const results = await Promise.all([
      root.run(['import', busyboxTarball(), 'c1']),
      root.run(['import', '-m', 'two', busyboxTarball(), 'c2']),
      root.run(['import', busyboxTarball(), 'c3:x']),
      root.run(['tag', 'busybox', 't1']),
      root.run(['tag', 'busybox', 't2']),
    ]);
    for (const r of results) expect(r.exitCode, `${r.command}\n${String(r.stderr)}`).toBe(0);
    const names = String((await root.ok(['images', '--format', '{{.Repository}}:{{.Tag}}'])).stdout).split('\n').filter(Boolean).sort();
    expect(names).toEqual(['busybox:latest', 'c1:latest', 'c2:latest', 'c3:x', 't1:latest', 't2:latest']);
    expect(await rootProblems(root)).toEqual([]);
    // One layer for all of them.
    expect(readdirSync(join(root.dir, 'snapshots'))).toHaveLength(1);
  });

  it('kill -9 in the middle of an import: no image appears; the next store write removes the leftovers', async () => {
    await root.importBusybox();
    const tarball = readFileSync(busyboxTarball());
    // A slow producer stands in for a large tarball: half the bytes, then nothing.
    const child = execa(BIN, ['import', '-', 'half:1'], { env: root.env(), reject: false, stdin: 'pipe' });
    child.stdin!.write(tarball.subarray(0, tarball.length >> 1));
    const ingest = join(root.dir, 'ingest');
    const snapshots = join(root.dir, 'snapshots');
    const busy = () =>
      (existsSync(ingest) ? readdirSync(ingest) : []).some((d) => readdirSync(join(ingest, d)).some((f) => statSync(join(ingest, d, f)).size > 0)) &&
      readdirSync(snapshots).some((n) => n.startsWith('.tmp-'));
    for (let i = 0; i < 200 && !busy(); i++) await sleep(25);
    expect(busy()).toBe(true);
    child.kill('SIGKILL');
    const r = await child;
    expect(r.signal).toBe('SIGKILL');

    expect(String((await root.ok(['images', '-a', '--format', '{{.Repository}}:{{.Tag}}'])).stdout)).toBe('busybox:latest\n');
    const index = JSON.parse(readFileSync(join(root.dir, 'index.json'), 'utf8'));
    expect(index.manifests).toHaveLength(1);
    // Left behind by the dead process, invisible to readers:
    expect(await rootProblems(root)).toEqual([expect.stringMatching(/^leftover ingest /), expect.stringMatching(/^leftover snapshot temp /)]);
    // The next write to the store (here an import) cleans them.
    await root.ok(['import', busyboxTarball(), 'next']);
    expect(await rootProblems(root)).toEqual([]);
  });

  it('a store lock left by a killed command is broken by the next one', async () => {
    // What `kill -9` during a commit leaves: the lock file naming a dead process (pid above pid_max).
    mkdirSync(join(root.dir, 'locks'), { recursive: true });
    writeFileSync(join(root.dir, 'locks', 'store.lock'), '4194305 12345');
    await root.importBusybox();
    expect(existsSync(join(root.dir, 'locks', 'store.lock'))).toBe(false);
    expect(await rootProblems(root)).toEqual([]);
  });

  it('a malicious tarball: an entry climbing out with .. is refused, nothing is written outside the root', async () => {
    const sentinel = join(scratch, 'sentinel');
    mkdirSync(sentinel);
    writeFileSync(join(sentinel, 'keep'), 'precious');
    const rootRel = join(...root.dir.split('/').filter(Boolean).map(() => '..'));
    const evil = join(scratch, 'climb.tar');
    writeFileSync(
      evil,
      await craftTar([
        { name: 'ok', content: 'fine' },
        { name: `${rootRel}${sentinel}/pwned`, content: 'x' },
        { name: '../../../../../../../../tmp/minidock-escape-test', content: 'x' },
      ]),
    );
    const r = await root.run(['import', evil, 'evil:1']);
    expect(r.exitCode).toBe(1);
    expect(String(r.stderr)).toMatch(/points outside the destination/);
    expect(readdirSync(sentinel)).toEqual(['keep']);
    expect(existsSync('/tmp/minidock-escape-test')).toBe(false);
    expect(String((await root.ok(['images', '-aq'])).stdout)).toBe('');
    expect(await rootProblems(root)).toEqual([]);
  });

  it('a malicious tarball: absolute names and symlinks stay inside the snapshot; a hard link to a host file is refused', async () => {
    const sentinel = join(scratch, 'sentinel');
    mkdirSync(sentinel);
    writeFileSync(join(sentinel, 'keep'), 'precious');
    const contained = join(scratch, 'contained.tar');
    writeFileSync(
      contained,
      await craftTar([
        { name: `${sentinel}/abs`, content: 'x' },
        { name: 'link', type: 'symlink', linkname: sentinel },
        { name: 'link/through-symlink', content: 'x' },
        { name: 'up', type: 'symlink', linkname: '../../../../../../../../..' },
        { name: `up${sentinel}/through-dotdot`, content: 'x' },
      ]),
    );
    await root.ok(['import', contained, 'contained:1']);
    expect(readdirSync(sentinel)).toEqual(['keep']);
    expect(readFileSync(join(sentinel, 'keep'), 'utf8')).toBe('precious');
    const layer = String((await root.ok(['image', 'inspect', '-f', '{{index .RootFS.Layers 0}}', 'contained:1'])).stdout).trim();
    const fs = join(root.dir, 'snapshots', layer.slice(7), 'fs');
    // Everything landed below the snapshot, where the links point inside the image.
    for (const f of ['abs', 'through-symlink', 'through-dotdot']) expect(readFileSync(join(fs, sentinel, f), 'utf8'), f).toBe('x');

    const hardlink = join(scratch, 'hardlink.tar');
    writeFileSync(hardlink, await craftTar([{ name: 'passwd-link', type: 'link', linkname: '/etc/passwd' }]));
    const before = statSync('/etc/passwd');
    const r = await root.run(['import', hardlink, 'hard:1']);
    expect(r.exitCode).toBe(1);
    expect(String(r.stderr)).toMatch(/hard link "passwd-link": target "\/etc\/passwd" is not in the layer/);
    expect(statSync('/etc/passwd').nlink).toBe(before.nlink);
    expect(String((await root.ok(['images', '-q', 'hard'])).stdout)).toBe('');
    expect(await rootProblems(root)).toEqual([]);
  });
});
