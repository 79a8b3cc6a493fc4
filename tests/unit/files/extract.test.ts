// applyArchive into a plain directory tree: docker's NoOverwriteDirNonDir rules, rebasing,
// and containment — nothing an archive holds reaches above the tree's root, and nothing is
// written through a symlink that was already there.
import { existsSync, lstatSync, mkdirSync, mkdtempSync, readFileSync, readlinkSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { RecordingHost } from '../../../src/host/script.js';
import { applyArchive, type ApplyOptions } from '../../../src/runtime/files/extract.js';
import { HostTree } from '../../../src/runtime/files/tree.js';
import { chunked, craftTar, type CraftedEntry } from '../overlay/helpers.js';

let base: string;
let root: string;
let outside: string;

beforeEach(() => {
  base = mkdtempSync(join(tmpdir(), 'minidock-files-extract-'));
  root = join(base, 'root');
  outside = join(base, 'outside');
  mkdirSync(root);
  mkdirSync(outside);
});
afterEach(() => rmSync(base, { recursive: true, force: true }));

async function apply(entries: CraftedEntry[], dirRel = '', opts: Partial<ApplyOptions> = {}) {
  const tree = new HostTree(root, (rel) => `/${rel}`);
  return applyArchive(tree, dirRel, chunked(await craftTar(entries), 700), { host: new RecordingHost(), owner: { kind: 'self' }, ...opts });
}

describe('applyArchive', () => {
  it('extracts files, directories, symlinks and hard links with their modes', async () => {
    await apply([
      { name: 'd/', type: 'directory', mode: 0o750 },
      { name: 'd/f', content: 'hello', mode: 0o640 },
      { name: 'd/l', type: 'symlink', linkname: 'f' },
      { name: 'd/h', type: 'link', linkname: 'd/f' },
    ]);
    expect(readFileSync(join(root, 'd/f'), 'utf8')).toBe('hello');
    expect(lstatSync(join(root, 'd')).mode & 0o777).toBe(0o750);
    expect(lstatSync(join(root, 'd/f')).mode & 0o777).toBe(0o640);
    expect(readlinkSync(join(root, 'd/l'))).toBe('f');
    expect(lstatSync(join(root, 'd/h')).ino).toBe(lstatSync(join(root, 'd/f')).ino);
  });

  it('renames the first component when asked (docker\'s rebase)', async () => {
    await apply([{ name: 'src/', type: 'directory' }, { name: 'src/a', content: 'a' }], '', { rebase: { from: 'src', to: 'dst' } });
    expect(readFileSync(join(root, 'dst/a'), 'utf8')).toBe('a');
    expect(existsSync(join(root, 'src'))).toBe(false);
  });

  it('refuses to replace a directory with a file, or a file with a directory', async () => {
    mkdirSync(join(root, 'dir'));
    writeFileSync(join(root, 'file'), 'x');
    await expect(apply([{ name: 'dir', content: 'x' }])).rejects.toThrow('cannot overwrite directory "/dir" with non-directory "/"');
    await expect(apply([{ name: 'file/', type: 'directory' }])).rejects.toThrow('cannot overwrite non-directory "/file" with directory "/"');
  });

  it('replaces a symlink in the way instead of writing through it', async () => {
    writeFileSync(join(outside, 'secret'), 'host');
    symlinkSync(join(outside, 'secret'), join(root, 'x'));
    await apply([{ name: 'x', content: 'archive' }]);
    expect(readFileSync(join(outside, 'secret'), 'utf8')).toBe('host');
    expect(lstatSync(join(root, 'x')).isFile()).toBe(true);
  });

  it('keeps entries below a symlink of the archive inside the tree', async () => {
    await apply([
      { name: 'a', type: 'symlink', linkname: outside },
      { name: 'a/planted', content: 'x' },
      { name: 'b', type: 'symlink', linkname: '../../../..' },
      { name: 'b/planted2', content: 'y' },
    ]);
    expect(existsSync(join(outside, 'planted'))).toBe(false);
    expect(readFileSync(join(root, outside, 'planted'), 'utf8')).toBe('x');
    expect(readFileSync(join(root, 'planted2'), 'utf8')).toBe('y');
  });

  it('refuses names that climb out of the extraction directory', async () => {
    mkdirSync(join(root, 'sub'));
    await expect(apply([{ name: '../escape', content: 'x' }], 'sub')).rejects.toThrow(/outside the destination/);
    expect(existsSync(join(root, 'escape'))).toBe(false);
  });

  it('makes missing parents 0755 and extracts into a subdirectory', async () => {
    mkdirSync(join(root, 'sub'));
    await apply([{ name: 'p/q/f', content: 'z' }], 'sub');
    expect(readFileSync(join(root, 'sub/p/q/f'), 'utf8')).toBe('z');
    expect(lstatSync(join(root, 'sub/p')).mode & 0o777).toBe(0o755);
  });

  it.runIf(process.geteuid?.() === 0)('owns entries as told: fixed ids, or the archive\'s', async () => {
    await apply([{ name: 'f', content: 'x', uid: 1234, gid: 5678 }], '', { owner: { kind: 'fixed', uid: 0, gid: 0 } });
    expect([lstatSync(join(root, 'f')).uid, lstatSync(join(root, 'f')).gid]).toEqual([0, 0]);
    await apply([{ name: 'g', content: 'x', uid: 1234, gid: 5678 }], '', { owner: { kind: 'archive' } });
    expect([lstatSync(join(root, 'g')).uid, lstatSync(join(root, 'g')).gid]).toEqual([1234, 5678]);
  });
});
