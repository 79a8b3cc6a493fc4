// Layer tars from directories, without root: order, hard links, determinism, normalize,
// and diffUpper's reading of xattrs (opaque markers) from a canned getfattr dump.
// Whiteout devices in a real upper dir are in tests/integration/overlay.
import { execFileSync } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { chmodSync, linkSync, lutimesSync, mkdirSync, symlinkSync, truncateSync, utimesSync, writeFileSync } from 'node:fs';
import { createServer } from 'node:net';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { MinidockError } from '../../../src/errors.js';
import { RecordingHost } from '../../../src/host/script.js';
import { diffUpper, diffUpperTo, splitDev, tarDirectory } from '../../../src/overlay/diff.js';
import { TarReader } from '../../../src/overlay/tar/reader.js';
import type { TarHeader } from '../../../src/overlay/tar/header.js';
import { unpackLayer } from '../../../src/overlay/unpack.js';
import { TempDirs, chunked, collect, describeTree } from './helpers.js';

const temps = new TempDirs();
afterEach(() => temps.cleanup());

function headers(tar: Buffer): TarHeader[] {
  const r = new TarReader();
  r.push(tar);
  const out: TarHeader[] = [];
  for (let ev = r.next(); ev; ev = r.next()) if (ev.kind === 'header') out.push(ev.header);
  r.finish();
  return out;
}

/** A small tree; `reverse` creates its entries in the opposite order (readdir order differs). */
function makeTree(root: string, reverse = false): string {
  mkdirSync(join(root, 'b/deep'), { recursive: true });
  const steps: (() => void)[] = [
    () => writeFileSync(join(root, 'b/deep/file'), 'deep'),
    () => writeFileSync(join(root, 'a'), 'first'),
    () => writeFileSync(join(root, 'a-c'), 'dash sorts before slash'),
    () => symlinkSync('../a', join(root, 'b/link')),
    () => writeFileSync(join(root, 'z'), 'z'.repeat(100_000)),
  ];
  for (const s of reverse ? [...steps].reverse() : steps) s();
  linkSync(join(root, 'a'), join(root, 'b/hard'));
  chmodSync(join(root, 'b'), 0o2750);
  for (const p of ['a', 'a-c', 'z', 'b/deep/file', 'b/deep', 'b']) utimesSync(join(root, p), 1_600_000_000, 1_600_000_000);
  lutimesSync(join(root, 'b/link'), 1_600_000_000, 1_600_000_000);
  return root;
}

describe('tarDirectory', () => {
  it('lists a directory before its children, siblings by name, the root left out', async () => {
    const tar = await collect(tarDirectory(makeTree(temps.make())));
    expect(headers(tar).map((h) => `${h.type} ${h.name}${h.linkname ? ` -> ${h.linkname}` : ''}`)).toEqual([
      'file a',
      'file a-c',
      'dir b/',
      'dir b/deep/',
      'file b/deep/file',
      'link b/hard -> a',
      'symlink b/link -> ../a',
      'file z',
    ]);
    const b = headers(tar).find((h) => h.name === 'b/')!;
    expect(b).toMatchObject({ mode: 0o2750, mtime: 1_600_000_000 });
  });

  it('gives identical bytes for identical trees, however they were created', async () => {
    const one = await collect(tarDirectory(makeTree(temps.make())));
    const again = await collect(tarDirectory(makeTree(temps.make())));
    const reversed = await collect(tarDirectory(makeTree(temps.make(), true)));
    expect(again.equals(one)).toBe(true);
    expect(reversed.equals(one)).toBe(true);
  });

  it('normalize clamps newer mtimes to the epoch given, or sets them all with clamp: false', async () => {
    const root = makeTree(temps.make());
    writeFileSync(join(root, 'new'), 'n'); // mtime now, after the epoch below
    const clamped = headers(await collect(tarDirectory(root, { normalize: { mtime: 1_700_000_000 } })));
    expect(new Set(clamped.map((h) => h.mtime))).toEqual(new Set([1_600_000_000, 1_700_000_000]));
    expect(clamped.find((h) => h.name === 'new')?.mtime).toBe(1_700_000_000);
    const set = headers(await collect(tarDirectory(root, { normalize: { mtime: 1_500_000_000, clamp: false } })));
    expect(new Set(set.map((h) => h.mtime))).toEqual(new Set([1_500_000_000]));
  });

  it('round-trips through unpackLayer, and GNU tar extracts the same tree', async () => {
    const src = makeTree(temps.make());
    const tar = await collect(tarDirectory(src));
    const ours = join(temps.make(), 'ours');
    await unpackLayer(new RecordingHost(), chunked(tar, 4096), ours, { mode: 'plain', preserveOwner: false });
    const gnu = temps.make();
    execFileSync('tar', ['-x', '--same-permissions', '-C', gnu, '-f', '-'], { input: tar });
    const want = describeTree(src, { mtimes: true });
    expect(describeTree(ours, { mtimes: true })).toEqual(want);
    expect(describeTree(gnu, { mtimes: true })).toEqual(want);
  });

  it('leaves out what the filter refuses, subtrees included', async () => {
    const tar = await collect(tarDirectory(makeTree(temps.make()), { filter: (rel) => rel !== 'b' && rel !== 'z' }));
    expect(headers(tar).map((h) => h.name)).toEqual(['a', 'a-c']);
  });

  it('fails with the path when a file shrinks while it is read, and warns when one grows', async () => {
    const root = temps.make();
    writeFileSync(join(root, 'grows'), 'g'.repeat(1000));
    writeFileSync(join(root, 'shrinks'), 's'.repeat(100_000));
    const warnings: string[] = [];
    const stream = tarDirectory(root, { onWarning: (w) => warnings.push(w) });
    writeFileSync(join(root, 'grows'), 'g'.repeat(5000));
    truncateSync(join(root, 'shrinks'), 10);
    const err = await collect(stream).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(MinidockError);
    expect((err as MinidockError).kind).toBe('conflict');
    expect((err as MinidockError).message).toBe(`archiving ${root}: shrinks shrank while it was being archived`);
    expect(warnings).toEqual(['grows changed while it was being archived; its first 1000 bytes were kept']);
  });

  it('names the directory when it cannot be read', () => {
    expect(() => tarDirectory('/nonexistent/minidock')).toThrow(/^archiving \/nonexistent\/minidock: ENOENT/);
  });

  it('skips sockets with a warning', async () => {
    const root = temps.make();
    writeFileSync(join(root, 'f'), 'f');
    const server = createServer();
    await new Promise<void>((resolve) => server.listen(join(root, 'sock'), resolve));
    try {
      const warnings: string[] = [];
      const tar = await collect(tarDirectory(root, { onWarning: (w) => warnings.push(w) }));
      expect(headers(tar).map((h) => h.name)).toEqual(['f']);
      expect(warnings).toEqual(['skipped a socket, which a tar cannot hold: sock']);
    } finally {
      await new Promise((resolve) => server.close(resolve));
    }
  });
});

describe('diffUpper with a canned getfattr dump', () => {
  function upper(): string {
    const root = temps.make();
    mkdirSync(join(root, 'etc/opaque.d'), { recursive: true });
    writeFileSync(join(root, 'etc/opaque.d/only'), 'o');
    writeFileSync(join(root, 'etc/caps'), 'c');
    for (const p of ['etc/opaque.d/only', 'etc/caps', 'etc/opaque.d', 'etc']) utimesSync(join(root, p), 1_600_000_000, 1_600_000_000);
    return root;
  }

  const dump = [
    '# file: etc',
    'trusted.overlay.impure=0seQ==',
    '',
    '# file: etc/opaque.d',
    'trusted.overlay.opaque=0seQ==',
    'user.note=0saGk=',
    '',
    '# file: etc/caps',
    'security.capability=0sAQAAAgAgAAAAAAAAAAAAAAAAAAA=',
    'security.selinux=0sc3lzdGVtX3U=',
    '',
  ].join('\n');

  it('reads xattrs with one getfattr run, writes the opaque marker after its dir and keeps capabilities', async () => {
    const root = upper();
    const host = new RecordingHost();
    host.results.set('getfattr', { stdout: dump });
    const warnings: string[] = [];
    const tar = await collect(await diffUpper(host, root, { onWarning: (w) => warnings.push(w) }));
    expect(host.calls).toEqual([
      {
        op: 'run',
        argv: ['getfattr', '-R', '-P', '-h', '-d', '-m', '-', '-e', 'base64', '.'],
        cwd: root,
        input: undefined,
        why: 'reading the extended attributes of an upper dir (opaque directories among them)',
      },
    ]);
    const hs = headers(tar);
    expect(hs.map((h) => h.name)).toEqual(['etc/', 'etc/caps', 'etc/opaque.d/', 'etc/opaque.d/.wh..wh..opq', 'etc/opaque.d/only']);
    expect(hs[0].xattrs).toBeUndefined(); // overlay bookkeeping is never archived
    expect(hs[1].xattrs).toEqual(new Map([['security.capability', Buffer.from('AQAAAgAgAAAAAAAAAAAAAAAAAAA=', 'base64')]]));
    expect(hs[2].xattrs).toEqual(new Map([['user.note', Buffer.from('hi')]]));
    expect(hs[3]).toMatchObject({ type: 'file', size: 0, mode: 0o755, mtime: 1_600_000_000 });
    expect(warnings).toEqual(['left out host security label security.selinux: etc/caps']);
  });

  it('gives the same bytes twice, and the same through diffUpperTo (one reused buffer)', async () => {
    const root = upper();
    writeFileSync(join(root, 'etc/large'), randomBytes(700_000)); // spans several 256 KiB batches
    const host = new RecordingHost();
    host.results.set('getfattr', { stdout: dump });
    const a = await collect(await diffUpper(host, root));
    const b = await collect(await diffUpper(host, root));
    expect(a.equals(b)).toBe(true);
    const copies: Buffer[] = [];
    const seen = new Set<ArrayBufferLike>();
    await diffUpperTo(host, root, (chunk) => {
      seen.add(chunk.buffer);
      copies.push(Buffer.from(chunk)); // a sink must copy what it keeps
    });
    expect(Buffer.concat(copies).equals(a)).toBe(true);
    expect(copies.length).toBeGreaterThan(3);
    expect(seen.size).toBeLessThanOrEqual(2); // the batch buffer, and END_OF_ARCHIVE's
  });
});

describe('splitDev', () => {
  it.each([
    [0x0103, [1, 3]], // /dev/null
    [0x0805, [8, 5]], // /dev/sda5
    [(259 << 8) | 1, [259, 1]],
    [0x10010301, [259, 65537]], // glibc makedev(259, 65537): the minor's high bits sit above the major
  ])('%i -> %j', (rdev, want) => {
    expect(splitDev(rdev)).toEqual(want);
  });
});
