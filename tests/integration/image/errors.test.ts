// The image commands' failures as docker reports them: an unknown image exits 1 with the
// daemon's "No such image: x:latest"; an invalid name gives the reference library's text; a
// bad flag exits 125; a file that is not a tarball is refused and leaves nothing behind.
import { mkdtempSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { busyboxTarball, isRoot, TestRoot } from '../../helpers/cli.js';
import { rootProblems } from './helpers.js';

const LOWERCASE = 'invalid reference format: repository name (library/Busybox) must be lowercase';

describe.skipIf(!isRoot)('image command errors', () => {
  let root: TestRoot;
  let scratch: string;
  beforeAll(async () => {
    root = new TestRoot('image-errors');
    scratch = mkdtempSync(join(tmpdir(), 'minidock-image-errors-'));
    await root.importBusybox();
  });
  afterAll(async () => {
    await root?.cleanup();
    rmSync(scratch, { recursive: true, force: true });
  });

  it.each([
    [['rmi', 'nope'], 'Error response from daemon: No such image: nope:latest\n'],
    [['image', 'rm', 'nope:1'], 'Error response from daemon: No such image: nope:1\n'],
    [['image', 'inspect', 'nope'], 'Error response from daemon: No such image: nope:latest\n'],
    [['inspect', 'nope'], 'Error: No such object: nope\n'],
  ])('unknown image: minidock %j exits 1', async (args, stderr) => {
    const r = await root.run(args);
    expect(r.exitCode).toBe(1);
    expect(String(r.stderr)).toBe(stderr);
  });

  it.each([['history', 'nope'], ['tag', 'nope', 'x'], ['save', '-o', '/dev/null', 'nope']])('unknown image: minidock %j exits 1', async (...args) => {
    const r = await root.run(args);
    expect(r.exitCode).toBe(1);
    expect(String(r.stderr)).toMatch(/^Error response from daemon: No such image: nope:latest\n/);
  });

  it('inspect prints [] when nothing was found', async () => {
    expect(String((await root.run(['image', 'inspect', 'nope'])).stdout)).toBe('[]\n');
  });

  it.each([
    [['import', busyboxTarball(), 'Busybox']],
    [['tag', 'busybox', 'Busybox']],
    [['rmi', 'Busybox']],
    [['image', 'inspect', 'Busybox']],
    [['history', 'Busybox']],
  ])('uppercase name: minidock %j says what docker says, exit 1', async (args) => {
    const r = await root.run(args);
    expect(r.exitCode).toBe(1);
    expect(String(r.stderr)).toContain(LOWERCASE);
  });

  it.each([
    [['images', '--bogus']],
    [['rmi', '--bogus', 'busybox']],
    [['import', '--bogus', busyboxTarball()]],
    [['history', '-H=maybe', 'busybox']],
  ])('flag error: minidock %j exits 125', async (args) => {
    const r = await root.run(args);
    expect(r.exitCode).toBe(125);
    expect(String(r.stderr)).not.toBe('');
  });

  it('import of a file that is not a tarball: an error, no image, no leftovers', async () => {
    const notTar = join(scratch, 'notes.txt');
    writeFileSync(notTar, 'just some text, definitely not a tar archive\n'.repeat(30));
    const before = String((await root.ok(['images', '-aq', '--no-trunc'])).stdout);
    const r = await root.run(['import', notTar, 'broken']);
    expect(r.exitCode).toBe(1);
    expect(String(r.stderr)).toMatch(/^Error: unpacking the imported tarball: .*invalid tar header/);
    const missing = await root.run(['import', join(scratch, 'nope.tar')]);
    expect(missing.exitCode).toBe(1);
    expect(String(missing.stderr)).toMatch(/^Error: open \S+nope\.tar: no such file or directory\n/);
    const url = await root.run(['import', 'http://127.0.0.1:1/x.tar']);
    expect(url.exitCode).toBe(125);
    expect(String((await root.ok(['images', '-aq', '--no-trunc'])).stdout)).toBe(before);
    expect(readdirSync(join(root.dir, 'ingest'))).toEqual([]);
    expect(readdirSync(join(root.dir, 'snapshots')).filter((n) => n.startsWith('.tmp-'))).toEqual([]);
    expect(await rootProblems(root)).toEqual([]);
  });

  it('an ambiguous ID prefix is reported as such', async () => {
    // Two images whose IDs share a first hex digit: import until it happens (1 in 16 per try).
    const ids = [String((await root.ok(['images', '-q', '--no-trunc', 'busybox'])).stdout).trim()];
    let shared: string | undefined;
    for (let i = 0; i < 40 && !shared; i++) {
      const id = String((await root.ok(['import', busyboxTarball()])).stdout).trim();
      shared = ids.map((x) => x.slice(7, 8)).find((c) => c === id.slice(7, 8));
      ids.push(id);
    }
    expect(shared).toBeDefined();
    const r = await root.run(['rmi', shared!]);
    expect(r.exitCode).toBe(1);
    expect(String(r.stderr)).toMatch(new RegExp(`image ID prefix ${shared} is ambiguous: it matches \\d+ images`));
  });
});
