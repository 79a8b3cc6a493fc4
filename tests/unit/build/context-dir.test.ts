// The build context as COPY sees it: .dockerignore, wildcards, and paths that try to leave it.
import { mkdirSync, mkdtempSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ContextDir, contextRelative } from '../../../src/image/build/context-dir.js';
import { PatternMatcher } from '../../../src/image/build/pattern-matcher.js';
import { applyChmod, resolveChown } from '../../../src/image/build/ownership.js';
import { looksLikeTar } from '../../../src/image/build/context-load.js';
import { urlFileName } from '../../../src/image/build/add-url.js';

let root: string;
let outside: string;

beforeAll(() => {
  root = mkdtempSync(join(tmpdir(), 'minidock-ctx-'));
  outside = mkdtempSync(join(tmpdir(), 'minidock-outside-'));
  writeFileSync(join(outside, 'secret'), 'x');
  for (const d of ['src/sub', 'docs', 'node_modules/pkg', 'logs']) mkdirSync(join(root, d), { recursive: true });
  for (const f of ['Dockerfile', 'a.txt', 'b.txt', 'c.md', 'src/main.c', 'src/sub/x.c', 'docs/README.md', 'docs/other.md', 'node_modules/pkg/i.js', 'logs/keep.log', 'logs/drop.log']) {
    writeFileSync(join(root, f), f);
  }
  symlinkSync('a.txt', join(root, 'link-in'));
  symlinkSync(join(outside, 'secret'), join(root, 'link-out'));
  symlinkSync('../' + outside.split('/').pop() + '/secret', join(root, 'link-up'));
  symlinkSync(join(root, 'b.txt'), join(root, 'link-abs-in'));
});

afterAll(() => {
  rmSync(root, { recursive: true, force: true });
  rmSync(outside, { recursive: true, force: true });
});

const ignore = ['node_modules', 'docs', '!docs/README.md', '*.md', 'logs/*.log', '!logs/keep.log', 'Dockerfile'];

describe('ContextDir', () => {
  it('walks a directory with .dockerignore applied, exceptions re-including files in excluded dirs', () => {
    const ctx = new ContextDir(root, new PatternMatcher(ignore));
    const [top] = ctx.resolveSource('.');
    const rels = ctx.walk(top).map((e) => e.rel);
    expect(rels).toEqual(['a.txt', 'b.txt', 'docs', 'docs/README.md', 'link-abs-in', 'link-in', 'link-out', 'link-up', 'logs', 'logs/keep.log', 'src', 'src/main.c', 'src/sub', 'src/sub/x.c']);
  });
  it('hides excluded paths and says why', () => {
    const ctx = new ContextDir(root, new PatternMatcher(ignore));
    expect(() => ctx.resolveSource('c.md')).toThrow(expect.objectContaining({ message: '"/c.md": not found', hint: 'the path is excluded by .dockerignore' }));
    expect(() => ctx.resolveSource('node_modules/pkg')).toThrow('not found');
    expect(ctx.resolveSource('docs/README.md')).toHaveLength(1);
    expect(() => ctx.resolveSource('Dockerfile')).toThrow('not found');
    expect(() => ctx.resolveSource('missing')).toThrow(expect.objectContaining({ message: '"/missing": not found', hint: undefined }));
  });
  it('matches wildcards per path component, without crossing /, and may match nothing', () => {
    const ctx = new ContextDir(root);
    expect(ctx.resolveSource('*.txt').map((m) => m.rel)).toEqual(['a.txt', 'b.txt']);
    expect(ctx.resolveSource('src/*.c').map((m) => m.rel)).toEqual(['src/main.c']);
    expect(ctx.resolveSource('s?c/su[a-c]/*').map((m) => m.rel)).toEqual(['src/sub/x.c']);
    expect(ctx.resolveSource('*.nothing')).toEqual([]);
  });
  it('takes absolute paths as relative to the context', () => {
    const ctx = new ContextDir(root);
    expect(ctx.resolveSource('/src/main.c')[0].rel).toBe('src/main.c');
    expect(ctx.resolveSource('/../a.txt')[0].rel).toBe('a.txt');
  });
  it('refuses paths and symlinks that leave the context', () => {
    const ctx = new ContextDir(root);
    expect(() => ctx.resolveSource('../x')).toThrow('forbidden path outside the build context: ../x');
    expect(() => ctx.resolveSource('src/../../x')).toThrow(/outside the build context/);
    expect(() => ctx.resolveSource('link-out')).toThrow(/forbidden path outside the build context: link-out \(a symlink to /);
    expect(() => ctx.resolveSource('link-up')).toThrow(/outside the build context/);
  });
  it('follows symlinks that stay inside, naming the match by the link', () => {
    const ctx = new ContextDir(root);
    expect(ctx.resolveSource('link-in')[0]).toMatchObject({ rel: 'a.txt', name: 'link-in' });
    expect(ctx.resolveSource('link-abs-in')[0]).toMatchObject({ rel: 'b.txt', name: 'link-abs-in' });
  });
  it('contextRelative cleans paths', () => {
    expect(contextRelative('.')).toBe('');
    expect(contextRelative('./a//b/')).toBe('a/b');
    expect(() => contextRelative('..')).toThrow();
  });
});

describe('ownership', () => {
  const passwd = 'root:x:0:0::/root:/bin/sh\napp:x:1000:1001::/home/app:/bin/sh\n';
  const group = 'root:x:0:\nstaff:x:50:app\n';
  it('resolves --chown names in the image files, with BuildKit defaults for the group', () => {
    expect(resolveChown('app', passwd, group)).toEqual({ uid: 1000, gid: 1001 });
    expect(resolveChown('app:staff', passwd, group)).toEqual({ uid: 1000, gid: 50 });
    expect(resolveChown('42', passwd, group)).toEqual({ uid: 42, gid: 42 });
    expect(resolveChown('42:7', undefined, undefined)).toEqual({ uid: 42, gid: 7 });
    expect(resolveChown(':staff', passwd, group)).toEqual({ uid: 0, gid: 50 });
    expect(() => resolveChown('nobody', passwd, group)).toThrow(/no such user: nobody/);
    expect(() => resolveChown('app:wheel', passwd, group)).toThrow(/no such group: wheel/);
  });
  it('applies octal and symbolic --chmod', () => {
    expect(applyChmod('755', 0o600, false)).toBe(0o755);
    expect(applyChmod('u+x', 0o644, false)).toBe(0o744);
    expect(applyChmod('a=r', 0o777, false)).toBe(0o444);
    expect(applyChmod('go-rwx', 0o777, false)).toBe(0o700);
    expect(applyChmod('a+X', 0o644, false)).toBe(0o644);
    expect(applyChmod('a+X', 0o644, true)).toBe(0o755);
    expect(applyChmod('u+s,+t', 0o755, false)).toBe(0o5755);
  });
});

describe('small parsers', () => {
  it('recognises tar headers', () => {
    const h = Buffer.alloc(512);
    h.write('ustar', 257, 'latin1');
    expect(looksLikeTar(h)).toBe(true);
    expect(looksLikeTar(Buffer.from('FROM busybox\n'.padEnd(512, ' ')))).toBe(false);
  });
  it('names a download after the URL path', () => {
    expect(urlFileName('http://127.0.0.1:8080/dir/file.tar.gz?x=1')).toBe('file.tar.gz');
    expect(urlFileName('http://127.0.0.1:8080/')).toBe('__unnamed__');
    expect(urlFileName('http://h/a%20b')).toBe('a b');
  });
});
