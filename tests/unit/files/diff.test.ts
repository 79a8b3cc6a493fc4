// The classification of `diff` on a described upper dir and lower view: whiteouts, opaque
// directories, copied-up directories that did not change, ancestors printed before the
// first change below them, docker's walk order.
import { describe, expect, it } from 'vitest';
import { computeChanges, type DiffSource, type EntryInfo } from '../../../src/runtime/diff.js';

const dir = (mtimeMs = 1000, mode = 0o40755, size = 4096): EntryInfo => ({ type: 'dir', size, mode, mtimeMs });
const file = (size = 1): EntryInfo => ({ type: 'other', size, mode: 0o100644, mtimeMs: 5000 });
const whiteout: EntryInfo = { type: 'whiteout', size: 0, mode: 0o20000, mtimeMs: 0 };

/** Paths relative to the root; a directory is implied by its children. */
function source(upper: Record<string, EntryInfo>, lower: Record<string, EntryInfo>, opaque: string[] = []): DiffSource {
  const children = (m: Record<string, EntryInfo>, rel: string) =>
    Object.keys(m)
      .filter((p) => (rel === '' ? !p.includes('/') : p.startsWith(`${rel}/`) && !p.slice(rel.length + 1).includes('/')))
      .map((p) => p.slice(rel === '' ? 0 : rel.length + 1));
  return {
    upper: (rel) => children(upper, rel).map((name) => ({ name, info: upper[rel ? `${rel}/${name}` : name] })),
    upperOpaque: (rel) => opaque.includes(rel),
    lower: (rel) => lower[rel],
    lowerNames: (rel) => children(lower, rel),
  };
}

const lines = (src: DiffSource) => computeChanges(src).map((c) => `${c.kind} ${c.path}`);

describe('computeChanges', () => {
  const lower = { etc: dir(), 'etc/passwd': file(), 'etc/group': file(), tmp: dir(), var: dir(), 'var/lib': dir(), 'var/lib/x': file() };

  it('adds, changes and deletes, with their directories first', () => {
    const upper = { etc: dir(9000), 'etc/group': whiteout, 'etc/passwd': file(2), tmp: dir(9000), 'tmp/new': file() };
    expect(lines(source(upper, lower))).toEqual(['C /etc', 'D /etc/group', 'C /etc/passwd', 'C /tmp', 'A /tmp/new']);
  });

  it('skips a copied-up directory that did not change, but prints it before a change inside', () => {
    const upper = { var: dir(), 'var/lib': dir(), 'var/lib/x': file(3) };
    expect(lines(source(upper, lower))).toEqual(['C /var', 'C /var/lib', 'C /var/lib/x']);
    expect(lines(source({ var: dir(), 'var/lib': dir() }, lower))).toEqual([]);
  });

  it('marks everything under a new directory as added', () => {
    const upper = { opt: dir(), 'opt/a': dir(), 'opt/a/b': file() };
    expect(lines(source(upper, lower))).toEqual(['A /opt', 'A /opt/a', 'A /opt/a/b']);
  });

  it('an opaque directory is changed and hides what was below', () => {
    const upper = { etc: dir(), 'etc/new': file(), 'etc/passwd': file() };
    expect(lines(source(upper, lower, ['etc']))).toEqual(['C /etc', 'D /etc/group', 'A /etc/new', 'C /etc/passwd']);
  });

  it('a directory replacing a deleted file is changed; its contents are added', () => {
    const upper = { etc: dir(9000), 'etc/passwd': dir(), 'etc/passwd/x': file() };
    expect(lines(source(upper, lower))).toEqual(['C /etc', 'C /etc/passwd', 'A /etc/passwd/x']);
  });

  it('orders a walk, not a string sort: /etc/x before /etc-old', () => {
    const upper = { etc: dir(9000), 'etc/x': file(), 'etc-old': file() };
    expect(lines(source(upper, lower))).toEqual(['C /etc', 'A /etc/x', 'A /etc-old']);
  });

  it('the ignore hook leaves out the engine\'s own mount points', () => {
    const src = source({ proc: dir(), tmp: dir(9000) }, lower);
    expect(computeChanges(src, (rel, _info, isNew) => isNew && rel === 'proc').map((c) => c.path)).toEqual(['/tmp']);
  });

  it('a whiteout of a directory is one deletion', () => {
    expect(lines(source({ var: whiteout }, lower))).toEqual(['D /var']);
  });
});
