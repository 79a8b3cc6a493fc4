// unpack -> diff -> unpack gives the same tree, with everything a layer can hold: owners,
// special modes, symlinks, hard links, devices, FIFOs, xattrs, whiteouts, opaque dirs,
// long and non-ASCII names. The first layer comes from GNU tar, so the round trip also
// checks that we read what another tool wrote.
import { execFileSync } from 'node:child_process';
import { chmodSync, chownSync, linkSync, lstatSync, lutimesSync, mkdirSync, readdirSync, symlinkSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { diffUpper } from '../../../src/overlay/diff.js';
import { unpackLayer } from '../../../src/overlay/unpack.js';
import { Sandbox, TeeHost, chunked, collect, craftTar, describeTree, dumpXattrs, isRoot } from './helpers.js';

if (!isRoot) console.warn('tests/integration/overlay/roundtrip.test.ts: skipped, needs root (chown, mknod, xattrs)');

const longDir = Array.from({ length: 30 }, (_, i) => `segment-${i}`).join('/');

/** A source tree with one of everything; every mtime fixed. */
function sourceTree(root: string): void {
  mkdirSync(join(root, 'usr/bin'), { recursive: true });
  mkdirSync(join(root, 'home/user/.cache'), { recursive: true });
  mkdirSync(join(root, 'dev'));
  mkdirSync(join(root, longDir), { recursive: true });
  mkdirSync(join(root, 'empty'));
  writeFileSync(join(root, 'usr/bin/tool'), 'binary'.repeat(3000));
  chmodSync(join(root, 'usr/bin/tool'), 0o4755);
  linkSync(join(root, 'usr/bin/tool'), join(root, 'usr/bin/tool-alias'));
  symlinkSync('tool', join(root, 'usr/bin/tool-link'));
  symlinkSync('/nowhere/at/all', join(root, 'dangling'));
  writeFileSync(join(root, 'home/user/notes ünï 名前.txt'), 'notes');
  chownSync(join(root, 'home/user'), 1000, 1000);
  chownSync(join(root, 'home/user/notes ünï 名前.txt'), 1000, 1000);
  chmodSync(join(root, 'home/user'), 0o700);
  writeFileSync(join(root, longDir, 'deep-file'), 'deep');
  execFileSync('mknod', ['-m', '620', join(root, 'dev/tty0'), 'c', '4', '0']);
  execFileSync('mkfifo', ['-m', '640', join(root, 'dev/fifo')]);
  execFileSync('setcap', ['cap_net_bind_service+ep', join(root, 'usr/bin/tool')]);
  execFileSync('setfattr', ['-n', 'user.origin', '-v', '0x00ff10', join(root, 'home/user/.cache')]);
  chmodSync(join(root, 'empty'), 0o1777);
  const touch = (abs: string) => {
    if (lstatSync(abs).isDirectory()) for (const name of readdirSync(abs)) touch(join(abs, name));
    lutimesSync(abs, 1_600_000_000, 1_600_000_000);
  };
  touch(root);
}

describe.skipIf(!isRoot)('unpack -> diffUpper -> unpack', () => {
  const box = new Sandbox();
  afterEach(() => box.cleanup());

  it('gives the same tree, xattrs included', async () => {
    const src = box.make();
    sourceTree(src);
    const layer = execFileSync('tar', ['-c', '--xattrs', '--xattrs-include=*', '--numeric-owner', '-C', src, '.'], { maxBuffer: 1 << 26 });
    const host = new TeeHost();
    const snap1 = join(box.make(), 'snap1');
    const r1 = await unpackLayer(host, chunked(layer), snap1, { mode: 'overlay' });
    expect(r1.warnings).toEqual([]);
    const want = describeTree(src, { owners: true, mtimes: true });
    expect(describeTree(snap1, { owners: true, mtimes: true })).toEqual(want);
    expect(dumpXattrs(snap1)).toBe(dumpXattrs(src));

    const diff = await collect(await diffUpper(host, snap1));
    const snap2 = join(box.make(), 'snap2');
    const r2 = await unpackLayer(host, chunked(diff, 4096), snap2, { mode: 'overlay' });
    expect(r2.warnings).toEqual([]);
    expect(describeTree(snap2, { owners: true, mtimes: true })).toEqual(want);
    expect(dumpXattrs(snap2)).toBe(dumpXattrs(src));
  });

  it('carries whiteouts and opaque dirs through, and two diffs of the tree are byte-identical', async () => {
    const layer = await craftTar([
      { name: 'etc/', type: 'directory', mode: 0o755 },
      { name: 'etc/.wh.passwd', content: '' },
      { name: 'etc/.wh.group', content: '' },
      { name: 'var/', type: 'directory', mode: 0o755 },
      { name: 'var/lib/', type: 'directory', mode: 0o755 },
      { name: 'var/lib/.wh..wh..opq', content: '' },
      { name: 'var/lib/dpkg', content: 'status' },
    ]);
    const host = new TeeHost();
    const snap1 = join(box.make(), 'snap1');
    await unpackLayer(host, chunked(layer), snap1, { mode: 'overlay' });
    const one = await collect(await diffUpper(host, snap1));
    const two = await collect(await diffUpper(host, snap1));
    expect(two.equals(one)).toBe(true);
    const listing = execFileSync('tar', ['-tv', '--numeric-owner', '-f', '-'], { input: one }).toString();
    expect(listing.split('\n').filter(Boolean).map((l) => l.split(/\s+/).slice(5).join(' '))).toEqual([
      'etc/',
      'etc/.wh.group',
      'etc/.wh.passwd',
      'var/',
      'var/lib/',
      'var/lib/.wh..wh..opq',
      'var/lib/dpkg',
    ]);
    const snap2 = join(box.make(), 'snap2');
    await unpackLayer(host, chunked(one), snap2, { mode: 'overlay' });
    expect(describeTree(snap2, { owners: true })).toEqual(describeTree(snap1, { owners: true }));
    expect(dumpXattrs(snap2)).toBe(dumpXattrs(snap1));
  });
});
