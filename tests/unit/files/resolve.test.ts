// resolveIn on an in-memory tree: symlinks are followed as the tree's owner would follow
// them, absolute targets from the tree's root and `..` never above it.
import type { Stats } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { resolveIn } from '../../../src/runtime/files/tree.js';

type Node = { dir: true } | { file: true } | { link: string };

function fakeTree(nodes: Record<string, Node>) {
  const stat = (n: Node) =>
    ({
      isDirectory: () => 'dir' in n,
      isFile: () => 'file' in n,
      isSymbolicLink: () => 'link' in n,
    }) as Stats;
  return {
    lstat: (rel: string) => (rel === '' ? stat({ dir: true }) : nodes[rel] ? stat(nodes[rel]) : undefined),
    readlink: (rel: string) => (nodes[rel] as { link: string }).link,
  };
}

const tree = fakeTree({
  etc: { dir: true },
  'etc/passwd': { file: true },
  out: { link: '/tmp/canary' }, // absolute: the container's /tmp/canary, never the host's
  tmp: { dir: true },
  up: { link: '../../../../etc' },
  rel: { link: 'etc' },
  shadow: { link: '/etc/passwd' },
  loop: { link: 'loop2' },
  loop2: { link: 'loop' },
  dirlink: { link: 'etc/' },
  'etc/back': { link: '..' },
});

describe('resolveIn', () => {
  it.each([
    ['/etc/passwd', false, 'etc/passwd', true],
    ['etc/passwd', false, 'etc/passwd', true],
    ['/out/x', false, 'tmp/canary/x', false],
    ['/out', true, 'tmp/canary', false],
    ['/out', false, 'out', true],
    ['/up/passwd', false, 'etc/passwd', true],
    ['/../../etc/passwd', false, 'etc/passwd', true],
    ['/rel/passwd', false, 'etc/passwd', true],
    ['/shadow', true, 'etc/passwd', true],
    ['/shadow', false, 'shadow', true],
    ['/dirlink/passwd', false, 'etc/passwd', true],
    ['/etc/back/etc/back/tmp', false, 'tmp', true],
    ['/missing/deeper/x', false, 'missing/deeper/x', false],
    ['/missing/../etc', false, 'etc', true],
    ['/', false, '', true],
    ['', true, '', true],
  ])('%j (follow last: %s) → %j', (path, follow, rel, exists) => {
    const r = resolveIn(tree, path, follow);
    expect(r.rel).toBe(rel);
    expect(r.st !== undefined).toBe(exists);
  });

  it('refuses a file used as a directory', () => {
    expect(() => resolveIn(tree, '/etc/passwd/x', false)).toThrow(/not a directory/);
  });

  it('stops a symlink loop', () => {
    expect(() => resolveIn(tree, '/loop/x', false)).toThrow(/too many levels of symbolic links/);
  });
});
