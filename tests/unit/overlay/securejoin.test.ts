import { mkdirSync, symlinkSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { MinidockError } from '../../../src/errors.js';
import { cleanPath, isInside, secureJoin } from '../../../src/overlay/securejoin.js';
import { TempDirs } from './helpers.js';

describe('cleanPath (Go path.Clean)', () => {
  it.each([
    ['', '.'],
    ['.', '.'],
    ['/', '/'],
    ['a/b/', 'a/b'],
    ['a//b', 'a/b'],
    ['./a/./b', 'a/b'],
    ['a/../b', 'b'],
    ['a/../../b', '../b'],
    ['../a', '../a'],
    ['/../a', '/a'],
    ['/a/../../..', '/'],
    ['a/b/../..', '.'],
    ['..', '..'],
    ['../..', '../..'],
    ['/etc/passwd', '/etc/passwd'],
  ])('%j -> %j', (input, want) => {
    expect(cleanPath(input)).toBe(want);
  });

  it.each([
    ['a', true],
    ['..', false],
    ['../x', false],
    ['..x', true],
    ['a/..', true],
  ])('isInside(%j) = %s', (p, want) => {
    expect(isInside(p)).toBe(want);
  });
});

describe('secureJoin', () => {
  const temps = new TempDirs();
  afterEach(() => temps.cleanup());

  /** root/ with: dir/, dir/file, abs -> /, up -> ../../.., rel -> dir, loop -> loop, chain -> abs/dir */
  function tree(): string {
    const root = join(temps.make(), 'root');
    mkdirSync(join(root, 'dir'), { recursive: true });
    writeFileSync(join(root, 'dir', 'file'), 'x');
    symlinkSync('/', join(root, 'abs'));
    symlinkSync('../../..', join(root, 'up'));
    symlinkSync('dir', join(root, 'rel'));
    symlinkSync('loop', join(root, 'loop'));
    symlinkSync('/abs/dir', join(root, 'chain'));
    symlinkSync('/etc/passwd', join(root, 'dir', 'passwd'));
    return root;
  }

  it.each([
    ['', ''],
    ['dir/file', '/dir/file'],
    ['/dir/file', '/dir/file'],
    ['../../etc/passwd', '/etc/passwd'],
    ['abs/etc/passwd', '/etc/passwd'],
    ['up/etc/shadow', '/etc/shadow'],
    ['rel/file', '/dir/file'],
    ['chain/file', '/dir/file'],
    ['dir/passwd', '/etc/passwd'],
    ['missing/../dir', '/dir'],
    ['missing/a/b', '/missing/a/b'],
    ['dir/file/below', '/dir/file/below'],
    ['abs/..', ''],
  ])('%j resolves to root%s', (input, want) => {
    const root = tree();
    expect(secureJoin(root, input)).toBe(root + want);
  });

  it('refuses a symlink loop with an invalid error naming the path', () => {
    const root = tree();
    expect(() => secureJoin(root, 'loop/x')).toThrow(MinidockError);
    expect(() => secureJoin(root, 'loop/x')).toThrow(/too many levels of symbolic links resolving "loop\/x"/);
  });

  it('never returns a path outside the root, whatever the input', () => {
    const root = tree();
    const inputs = ['..', '../..', '/..', 'up', 'up/..', 'abs/../..', 'rel/../../..', 'chain/../../../x'];
    for (const p of inputs) {
      const got = secureJoin(root, p);
      expect(got === root || got.startsWith(`${root}/`), `${p} -> ${got}`).toBe(true);
    }
  });
});
