// docker cp's path rules (pkg/archive copy.go, docker/cli cp.go) as tables.
import { describe, expect, it } from 'vitest';
import {
  assertsDirectory,
  containerAbsPath,
  getRebaseName,
  goBase,
  goDir,
  planArchiveCopy,
  preserveTrailingDotOrSeparator,
  rebaseEntryName,
  sourceBase,
  splitCpArg,
  splitPathDirEntry,
} from '../../../src/runtime/files/cp-paths.js';

describe('splitCpArg', () => {
  it.each([
    ['c1:/etc/passwd', { container: 'c1', path: '/etc/passwd' }],
    ['c1:etc', { container: 'c1', path: 'etc' }],
    ['c1:', { container: 'c1', path: '' }],
    ['/abs/file:name', { path: '/abs/file:name' }],
    ['./file:name.txt', { path: './file:name.txt' }],
    ['../x:y', { path: '../x:y' }],
    ['plain', { path: 'plain' }],
    ['-', { path: '-' }],
  ])('%s', (arg, want) => expect(splitCpArg(arg)).toEqual(want));
});

describe('Go path helpers', () => {
  it.each([
    ['', '.'],
    ['/', '/'],
    ['a/b/', 'b'],
    ['a/.', '.'],
    ['.', '.'],
    ['///', '/'],
  ])('Base(%j) = %j', (p, want) => expect(goBase(p)).toBe(want));

  it.each([
    ['/a/b', '/a'],
    ['a', '.'],
    ['/', '/'],
    ['/a/.', '/a'],
  ])('Dir(%j) = %j', (p, want) => expect(goDir(p)).toBe(want));

  it.each([
    ['/a/b', 'a/b/', '/a/b/'],
    ['/a/b', 'a/b/.', '/a/b/.'],
    ['/a/b', 'a/b/./', '/a/b/./'],
    ['/', '/', '/'],
    ['/', '/.', '/.'],
    ['/a', 'a', '/a'],
  ])('PreserveTrailingDotOrSeparator(%j, %j)', (clean, orig, want) => expect(preserveTrailingDotOrSeparator(clean, orig)).toBe(want));

  it.each([
    ['etc/passwd', '/etc/passwd'],
    ['/tmp/../etc/', '/etc/'],
    ['dir/.', '/dir/.'],
    ['', '/.'], // docker: `c1:` is the root's contents
    ['../../x', '/x'],
  ])('container path %j → %j', (p, want) => expect(containerAbsPath(p)).toBe(want));

  it.each([
    ['/a/b', ['/a', 'b']],
    ['/a/b/', ['/a', 'b']],
    ['/a/b/.', ['/a/b', '.']],
    ['/', ['/', '/']],
  ])('SplitPathDirEntry(%j)', (p, want) => expect(splitPathDirEntry(p)).toEqual(want));

  it('trailing / and /. assert a directory', () => {
    expect(assertsDirectory('/a/')).toBe(true);
    expect(assertsDirectory('/a/.')).toBe(true);
    expect(assertsDirectory('/a')).toBe(false);
  });
});

describe('PrepareArchiveCopy', () => {
  const file = (path: string) => ({ path, exists: true, isDir: false });
  const dir = (path: string) => ({ path, exists: true, isDir: true });
  const missing = (path: string) => ({ path, exists: false, isDir: false });

  it.each([
    // [what, src, dst, plan or error]
    ['file into an existing dir', file('/s/f'), dir('/d'), { dstDir: '/d' }],
    ['file onto an existing file', file('/s/f'), file('/d/g'), { dstDir: '/d', rebase: { from: 'f', to: 'g' } }],
    ['file to a new name', file('/s/f'), missing('/d/new'), { dstDir: '/d', rebase: { from: 'f', to: 'new' } }],
    ['file to a missing dir (trailing /)', file('/s/f'), missing('/d/new/'), 'no such directory'],
    ['file to a missing dir (/.)', file('/s/f'), missing('/d/new/.'), 'no such directory'],
    ['dir into an existing dir', dir('/s/dir'), dir('/d'), { dstDir: '/d' }],
    ['dir to a new name', dir('/s/dir'), missing('/d/new'), { dstDir: '/d', rebase: { from: 'dir', to: 'new' } }],
    ['dir to a new name with /', dir('/s/dir'), missing('/d/new/'), { dstDir: '/d', rebase: { from: 'dir', to: 'new' } }],
    ['dir onto a file', dir('/s/dir'), file('/d/f'), 'cannot copy directory'],
    ['dir contents into an existing dir', dir('/s/dir/.'), dir('/d'), { dstDir: '/d' }],
    ['dir contents to a new name', dir('/s/dir/.'), missing('/d/new'), { dstDir: '/d', rebase: { from: '.', to: 'new' } }],
    ['root to a new name', dir('/'), missing('/d/new'), { dstDir: '/d', rebase: { from: '.', to: 'new' } }],
    ['a followed link keeps its own name', { ...file('/s/target'), rebaseName: 'link' }, missing('/d/n'), { dstDir: '/d', rebase: { from: 'link', to: 'n' } }],
  ] as const)('%s', (_what, src, dst, want) => {
    if (typeof want === 'string') expect(() => planArchiveCopy(src, dst)).toThrow(want);
    else expect(planArchiveCopy(src, dst)).toEqual(want);
  });

  it('names the archive after the source', () => {
    expect(sourceBase(dir('/a/b/.'))).toBe('.');
    expect(sourceBase(dir('/a/b/'))).toBe('b');
    expect(sourceBase(dir('/'))).toBe('.');
  });
});

describe('rebasing', () => {
  it.each([
    ['dir', 'dir', 'new', 'new'],
    ['dir/', 'dir', 'new', 'new/'],
    ['dir/a/b', 'dir', 'new', 'new/a/b'],
    ['dirx/a', 'dir', 'new', 'dirx/a'],
    ['./', '.', 'new', 'new/'],
    ['./a', '.', 'new', 'new/a'],
  ])('%j with %j → %j', (name, from, to, want) => expect(rebaseEntryName(name, from, to)).toBe(want));

  it.each([
    ['/c/link', '/c/target', { resolved: '/c/target', rebaseName: 'link' }],
    ['/c/link/', '/c/target', { resolved: '/c/target/', rebaseName: 'link' }],
    ['/c/link/.', '/c/target', { resolved: '/c/target/.' }],
    ['/c/same', '/d/same', { resolved: '/d/same' }],
  ])('GetRebaseName(%j, %j)', (path, resolved, want) => expect(getRebaseName(path, resolved)).toEqual(want));
});
