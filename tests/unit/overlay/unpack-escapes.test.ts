// Archives that try to write or link outside the destination. Every case must be refused
// with an invalid error naming the entry, or contained under dest; and a sentinel directory
// beside dest (the target of every attack) must be exactly as it was.
import { lstatSync, mkdirSync, readdirSync, statSync, writeFileSync } from 'node:fs';
import { join, relative } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { MinidockError } from '../../../src/errors.js';
import { RecordingHost } from '../../../src/host/script.js';
import { unpackLayer, type UnpackMode } from '../../../src/overlay/unpack.js';
import { TempDirs, chunked, craftTar, describeTree, type CraftedEntry } from './helpers.js';

const temps = new TempDirs();
let base: string;
let dest: string;
let sentinel: string;
let before: string[];

beforeEach(() => {
  base = temps.make();
  dest = join(base, 'dest');
  sentinel = join(base, 'sentinel');
  mkdirSync(join(sentinel, 'sub'), { recursive: true });
  writeFileSync(join(sentinel, 'keep'), 'precious');
  before = describeTree(base, { mtimes: true, owners: true });
});

afterEach(() => {
  try {
    // Outside dest, nothing may have changed: not the sentinel, not base itself.
    expect(describeTree(base, { mtimes: true, owners: true }).filter((l) => !l.startsWith('dest'))).toEqual(
      before.filter((l) => !l.startsWith('dest')),
    );
    expect(statSync(join(sentinel, 'keep')).nlink).toBe(1);
  } finally {
    temps.cleanup();
  }
});

async function unpack(entries: CraftedEntry[], mode: UnpackMode, host = new RecordingHost()) {
  return unpackLayer(host, chunked(await craftTar(entries), 700), dest, { mode });
}

async function expectRefused(entries: CraftedEntry[], mode: UnpackMode, entry: string, message: RegExp) {
  const err = await unpack(entries, mode).then(
    () => undefined,
    (e: unknown) => e,
  );
  expect(err).toBeInstanceOf(MinidockError);
  expect((err as MinidockError).kind).toBe('invalid');
  expect((err as MinidockError).message).toContain(`(entry ${JSON.stringify(entry)})`);
  expect((err as MinidockError).message).toMatch(message);
}

const modes: UnpackMode[] = ['overlay', 'apply', 'plain'];

describe.each(modes)('unpacking in %s mode', (mode) => {
  it('refuses names that climb out with ..', async () => {
    await expectRefused([{ name: '../escape', content: 'x' }], mode, '../escape', /points outside the destination/);
    await expectRefused([{ name: 'a/../../escape', content: 'x' }], mode, 'a/../../escape', /points outside/);
    await expectRefused([{ name: './../sentinel/keep', content: 'x' }], mode, './../sentinel/keep', /points outside/);
  });

  it('refuses a PAX path that climbs out, whatever the ustar name says', async () => {
    await expectRefused([{ name: 'innocent', content: 'x', pax: { path: '../sentinel/pwned' } }], mode, '../sentinel/pwned', /points outside/);
  });

  it('contains absolute names under dest, as Docker does', async () => {
    await unpack([{ name: `${sentinel}/pwned`, content: 'x' }, { name: '/../../etc/motd', content: 'm' }], mode);
    expect(lstatSync(join(dest, sentinel, 'pwned')).isFile()).toBe(true);
    expect(lstatSync(join(dest, 'etc/motd')).isFile()).toBe(true);
  });

  it.each([
    ['an absolute symlink to the target', () => sentinel, () => 'a/pwned', () => join(dest, sentinel, 'pwned')],
    ['a relative symlink that climbs out', () => '../sentinel', () => 'a/pwned', () => join(dest, 'sentinel/pwned')],
    ['a symlink to /', () => '/', () => `a${sentinel}/pwned`, () => join(dest, sentinel, 'pwned')],
    ['a symlink to ../../../..', () => '../'.repeat(12), () => `a${sentinel}/pwned`, () => join(dest, sentinel, 'pwned')],
  ])('contains a file written through %s', async (_what, target, through, landed) => {
    await unpack([{ name: 'a', type: 'symlink', linkname: target() }, { name: through(), content: 'x' }], mode);
    expect(lstatSync(join(dest, 'a')).isSymbolicLink()).toBe(true);
    expect(lstatSync(landed()).isFile()).toBe(true);
  });

  it('contains a write through a chain of symlinks', async () => {
    await unpack(
      [
        { name: 'a', type: 'symlink', linkname: 'b' },
        { name: 'b', type: 'symlink', linkname: '../sentinel' },
        { name: 'a/sub/pwned', content: 'x' },
      ],
      mode,
    );
    expect(lstatSync(join(dest, 'sentinel/sub/pwned')).isFile()).toBe(true);
  });

  it('replaces a symlink entry rather than writing through it (file, then directory)', async () => {
    await unpack(
      [
        { name: 'f', type: 'symlink', linkname: join(sentinel, 'keep') },
        { name: 'f', content: 'new' },
        { name: 'd', type: 'symlink', linkname: sentinel },
        { name: 'd', type: 'directory', mode: 0o700, mtime: new Date(0) },
      ],
      mode,
    );
    expect(lstatSync(join(dest, 'f')).isFile()).toBe(true);
    expect(lstatSync(join(dest, 'd')).isDirectory()).toBe(true);
  });

  it('refuses hard links to targets outside dest or missing from it', async () => {
    await expectRefused([{ name: 'h', type: 'link', linkname: '../sentinel/keep' }], mode, 'h', /points outside the destination/);
    await expectRefused([{ name: 'h', type: 'link', linkname: join(sentinel, 'keep') }], mode, 'h', /is not in the layer/);
    await expectRefused([{ name: 'h', type: 'link', linkname: '/etc/shadow' }], mode, 'h', /is not in the layer/);
    await expectRefused(
      [
        { name: 'a', type: 'symlink', linkname: sentinel },
        { name: 'h', type: 'link', linkname: 'a/keep' },
      ],
      mode,
      'h',
      /is not in the layer/,
    );
    await expectRefused(
      [
        { name: 'a', type: 'symlink', linkname: '../../../..' },
        { name: 'h', type: 'link', linkname: `a${sentinel}/keep` },
      ],
      mode,
      'h',
      /is not in the layer/,
    );
  });

  it('links an absolute hard-link target to the file inside dest', async () => {
    await unpack([{ name: 'etc/passwd', content: 'root' }, { name: 'h', type: 'link', linkname: '/etc/passwd' }], mode);
    expect(lstatSync(join(dest, 'h')).ino).toBe(lstatSync(join(dest, 'etc/passwd')).ino);
  });

  it('makes a hard link to an escaping symlink a second symlink, never a link to the host file', async () => {
    await unpack([{ name: 's', type: 'symlink', linkname: join(sentinel, 'keep') }, { name: 'h', type: 'link', linkname: 's' }], mode);
    expect(lstatSync(join(dest, 'h')).isSymbolicLink()).toBe(true);
  });

  it('refuses a symlink loop with a clear error', async () => {
    await expectRefused(
      [
        { name: 'l', type: 'symlink', linkname: 'l' },
        { name: 'l/x', content: 'x' },
      ],
      mode,
      'l/x',
      /too many levels of symbolic links/,
    );
  });

  it('refuses an entry that would replace dest itself', async () => {
    await expectRefused([{ name: './', type: 'symlink', linkname: sentinel }], mode, './', /would replace the destination itself/);
  });
});

describe.each(['overlay', 'apply'] as const)('whiteouts in %s mode', (mode) => {
  it.each(['.wh...', '.wh..', 'a/.wh.'])('refuses the whiteout %j, which names no file', async (name) => {
    const host = new RecordingHost();
    const err = await unpack([{ name, content: '' }], mode, host).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(MinidockError);
    expect((err as MinidockError).message).toMatch(/whiteout .* names "\.{0,2}", which is not a file name/);
    expect(host.calls).toEqual([]);
  });

  it('refuses a whiteout that climbs out', async () => {
    await expectRefused([{ name: '../sentinel/.wh.keep', content: '' }], mode, '../sentinel/.wh.keep', /points outside/);
  });
});

describe('apply-mode whiteouts through symlinks', () => {
  it('deletes inside dest only', async () => {
    await unpack(
      [
        { name: 'a', type: 'symlink', linkname: sentinel },
        { name: 'a/.wh.keep', content: '' },
        { name: 'b', type: 'symlink', linkname: '../sentinel' },
        { name: 'b/.wh..wh..opq', content: '' },
        { name: 'c', type: 'symlink', linkname: '../../../../../..' },
        { name: `c${sentinel}/.wh.sub`, content: '' },
      ],
      'apply',
    );
    expect(readdirSync(dest).sort()).toEqual(['a', 'b', 'c']);
    expect(relative(dest, join(dest, 'a'))).toBe('a');
  });
});
