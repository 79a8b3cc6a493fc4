// COPY/ADD destination rules as pure data: which tar entries a copy makes, where, with which
// owner, mode and mtime, and which parent directories it carries along.
import { describe, expect, it } from 'vitest';
import { planCopy, type CopyDest, type CopyPlanOptions, type CopySource, type ImageDirInfo, type SourceEntry } from '../../../src/image/build/copy-plan.js';

const file = (rel: string, extra: Partial<SourceEntry> = {}): SourceEntry => ({ rel, kind: 'file', mode: 0o644, uid: 0, gid: 0, size: 3, mtime: 100, path: `/ctx/${rel}`, ...extra });
const dir = (rel: string, extra: Partial<SourceEntry> = {}): SourceEntry => ({ rel, kind: 'dir', mode: 0o755, uid: 0, gid: 0, size: 0, mtime: 100, ...extra });

/** An image with /, /etc, /tmp (1777) and /usr/local/bin, and a regular file /etc/passwd. */
const IMAGE: Record<string, ImageDirInfo> = {
  etc: { isDir: true, mode: 0o755, uid: 0, gid: 0, mtime: 50 },
  'etc/passwd': { isDir: false, mode: 0o644, uid: 0, gid: 0, mtime: 50 },
  tmp: { isDir: true, mode: 0o1777, uid: 0, gid: 0, mtime: 50 },
  usr: { isDir: true, mode: 0o755, uid: 0, gid: 0, mtime: 50 },
  'usr/local': { isDir: true, mode: 0o755, uid: 0, gid: 0, mtime: 50 },
  'usr/local/bin': { isDir: true, mode: 0o755, uid: 0, gid: 0, mtime: 50 },
};

function opts(extra: Partial<CopyPlanOptions> = {}): CopyPlanOptions {
  return { mtimeClamp: 1000, command: 'COPY', imageDir: (rel) => IMAGE[rel], ...extra };
}

function dest(rel: string, wantsDir = false): CopyDest {
  const have = IMAGE[rel];
  return { rel, wantsDir, existing: have ? (have.isDir ? 'dir' : 'other') : undefined };
}

function names(sources: CopySource[], d: CopyDest, o = opts()): string[] {
  return planCopy(sources, d, o).map((e) => `${e.header.type === 'dir' ? 'd' : 'f'} ${e.header.name}`);
}

describe('planCopy destinations', () => {
  const hello: CopySource = { name: 'hello.txt', entries: [file('')] };

  it('a file to a path that does not exist becomes that path', () => {
    expect(names([hello], dest('app/greeting'))).toEqual(['d app', 'f app/greeting']);
  });
  it('a file to a path ending in / goes inside it', () => {
    expect(names([hello], dest('app', true))).toEqual(['d app', 'f app/hello.txt']);
  });
  it('a file to an existing directory goes inside it, and the directory keeps its metadata', () => {
    const entries = planCopy([hello], dest('tmp'), opts());
    expect(entries.map((e) => e.header.name)).toEqual(['tmp', 'tmp/hello.txt']);
    expect(entries[0].header.mode).toBe(0o1777);
    expect(entries[0].header.mtime).toBe(50);
  });
  it('a file to / goes into the root', () => {
    expect(names([hello], dest('', true))).toEqual(['f hello.txt']);
  });
  it('a directory copies its contents, not itself', () => {
    const src: CopySource = { name: 'src', entries: [dir(''), file('a.txt'), dir('sub'), file('sub/b.txt')] };
    expect(names([src], dest('app'))).toEqual(['d app', 'f app/a.txt', 'd app/sub', 'f app/sub/b.txt']);
  });
  it('a new destination directory takes the source directory mode', () => {
    const src: CopySource = { name: 'src', entries: [dir('', { mode: 0o700 }), file('a')] };
    expect(planCopy([src], dest('app'), opts())[0].header.mode).toBe(0o700);
  });
  it('several sources need a directory destination', () => {
    const b: CopySource = { name: 'b', entries: [file('')] };
    expect(() => planCopy([hello, b], dest('app'), opts())).toThrow('When using COPY with more than one source file, the destination must be a directory and end with a /');
    expect(names([hello, b], dest('app', true))).toEqual(['d app', 'f app/b', 'f app/hello.txt']);
    expect(names([hello, b], dest('tmp'))).toEqual(['d tmp', 'f tmp/b', 'f tmp/hello.txt']);
  });
  it('refuses to put files below a file of the image', () => {
    expect(() => planCopy([hello], dest('etc/passwd/x'), opts())).toThrow(/not a directory/);
    const src: CopySource = { name: 's', entries: [dir(''), file('x')] };
    expect(() => planCopy([src], dest('etc/passwd'), opts())).toThrow(/not a directory/);
  });
  it('later sources win for the same path', () => {
    const a: CopySource = { name: 'x', entries: [file('', { size: 1 })] };
    const b: CopySource = { name: 'x', entries: [file('', { size: 2 })] };
    const entries = planCopy([a, b], dest('d', true), opts());
    expect(entries.find((e) => e.header.name === 'd/x')?.header.size).toBe(2);
  });
});

describe('planCopy parents', () => {
  const hello: CopySource = { name: 'h', entries: [file('')] };
  it('carries existing parents with their metadata and makes missing ones 0755 root', () => {
    const entries = planCopy([hello], dest('usr/local/bin/new/h'), opts());
    expect(entries.map((e) => [e.header.name, e.header.mode.toString(8), e.header.mtime])).toEqual([
      ['usr', '755', 50],
      ['usr/local', '755', 50],
      ['usr/local/bin', '755', 50],
      ['usr/local/bin/new', '755', 1000],
      ['usr/local/bin/new/h', '644', 100],
    ]);
  });
  it('--chown owns the files and the directories the copy creates, not existing ones', () => {
    const entries = planCopy([hello], dest('tmp/new/h'), opts({ owner: { uid: 1000, gid: 50 } }));
    expect(entries.map((e) => [e.header.name, e.header.uid, e.header.gid])).toEqual([
      ['tmp', 0, 0],
      ['tmp/new', 1000, 50],
      ['tmp/new/h', 1000, 50],
    ]);
  });
});

describe('planCopy metadata', () => {
  it('keeps the owners the entries carry (--from) unless --chown', () => {
    const src: CopySource = { name: 'f', entries: [file('', { uid: 1000, gid: 1000 })] };
    expect(planCopy([src], dest('f'), opts())[0].header.uid).toBe(1000);
    expect(planCopy([src], dest('f'), opts({ owner: { uid: 7, gid: 8 } }))[0].header).toMatchObject({ uid: 7, gid: 8 });
  });
  it('applies --chmod to files and directories but not symlinks', () => {
    const src: CopySource = {
      name: 's',
      entries: [dir(''), file('a'), { rel: 'l', kind: 'symlink', mode: 0o777, uid: 0, gid: 0, size: 0, mtime: 1, linkname: 'a' }],
    };
    const entries = planCopy([src], dest('app'), opts({ chmod: '0640' }));
    expect(entries.map((e) => [e.header.name, e.header.mode.toString(8)])).toEqual([
      ['app', '640'],
      ['app/a', '640'],
      ['app/l', '777'],
    ]);
    const sym = planCopy([src], dest('app'), opts({ chmod: 'u+x,go-r' }));
    expect(sym.map((e) => e.header.mode.toString(8))).toEqual(['711', '700', '777']);
  });
  it('clamps mtimes to the build epoch and keeps older ones', () => {
    const src: CopySource = { name: 's', entries: [dir('', { mtime: 5000 }), file('old', { mtime: 10 }), file('new', { mtime: 9999 })] };
    const m = planCopy([src], dest('d'), opts()).map((e) => [e.header.name, e.header.mtime]);
    expect(m).toEqual([
      ['d', 1000],
      ['d/new', 1000],
      ['d/old', 10],
    ]);
  });
  it('sorts entries so that parents come first', () => {
    const src: CopySource = { name: 's', entries: [dir(''), dir('b'), file('b/x'), file('a-b'), file('a')] };
    expect(names([src], dest('d'))).toEqual(['d d', 'f d/a', 'f d/a-b', 'd d/b', 'f d/b/x']);
  });
});
