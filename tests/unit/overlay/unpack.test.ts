// What unpackLayer writes, without root: plain and apply modes in full, overlay mode as far
// as it goes without mknod (opaque dirs are asserted as the exact setfattr call). Whiteout
// devices, ownership, devices and real xattrs are in tests/integration/overlay.
import { createHash } from 'node:crypto';
import { linkSync, lstatSync, mkdirSync, readdirSync, readFileSync, symlinkSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { gzipSync } from 'node:zlib';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { RecordingHost } from '../../../src/host/script.js';
import { checksum, encodePaxRecord } from '../../../src/overlay/tar/header.js';
import { encodeHeader, padding } from '../../../src/overlay/tar/writer.js';
import { unpackLayer, type UnpackOptions } from '../../../src/overlay/unpack.js';
import { TempDirs, chunked, craftTar, describeTree, type CraftedEntry } from './helpers.js';

const temps = new TempDirs();
let dest: string;
beforeEach(() => {
  dest = join(temps.make(), 'dest');
});
afterEach(() => temps.cleanup());

const T = (s: number) => new Date(s * 1000);

async function unpack(entries: CraftedEntry[] | Buffer, opts: Partial<UnpackOptions> = {}, host = new RecordingHost()) {
  const tar = Buffer.isBuffer(entries) ? entries : await craftTar(entries);
  const result = await unpackLayer(host, chunked(tar, 1000), dest, { mode: 'plain', ...opts });
  return { result, host };
}

const rootfs: CraftedEntry[] = [
  { name: 'bin/', type: 'directory', mode: 0o755, mtime: T(1000) },
  { name: 'bin/sh', content: '#!busybox', mode: 0o755, mtime: T(2000) },
  { name: 'bin/ls', type: 'symlink', linkname: 'sh', mtime: T(2500) },
  { name: 'bin/sh2', type: 'link', linkname: 'bin/sh' },
  { name: 'tmp/', type: 'directory', mode: 0o1777, mtime: T(3000) },
  { name: 'ro/', type: 'directory', mode: 0o555, mtime: T(4000) },
  { name: 'ro/inside', content: 'written before the dir became read-only', mode: 0o444, mtime: T(5000) },
  { name: 'sgid/', type: 'directory', mode: 0o2775, mtime: T(6000) },
  { name: 'big', content: Buffer.alloc(200_000, 7), mode: 0o600, mtime: T(7000) },
  { name: 'implicit/parent/file', content: 'x', mode: 0o644, mtime: T(8000) },
  { name: '.wh.ordinary', content: 'not a whiteout in plain mode', mode: 0o644, mtime: T(9000) },
];

describe('unpackLayer, plain mode', () => {
  it('writes files, modes (sticky, setgid), symlinks, hard links and times; dir times after their children', async () => {
    const { result, host } = await unpack(rootfs);
    expect(describeTree(dest, { mtimes: true })).toEqual([
      '.wh.ordinary file 644 ' + hash('not a whiteout in plain mode') + ' 9000',
      'big file 600 ' + hash(Buffer.alloc(200_000, 7)) + ' 7000',
      'bin dir 755 1000',
      'bin/ls symlink 777 sh',
      'bin/sh file 755 ' + hash('#!busybox') + ' 2000',
      'bin/sh2 file 755 ' + hash('#!busybox') + ' =bin/sh 2000',
      expect.stringMatching(/^implicit dir 755 \d+$/),
      expect.stringMatching(/^implicit\/parent dir 755 \d+$/),
      'implicit/parent/file file 644 ' + hash('x') + ' 8000',
      'ro dir 555 4000',
      'ro/inside file 444 ' + hash('written before the dir became read-only') + ' 5000',
      'sgid dir 2775 6000',
      'tmp dir 1777 3000',
    ]);
    expect(lstatSync(join(dest, 'bin/ls')).mtimeMs).toBe(2_500_000);
    expect(result.entries).toBe(rootfs.length);
    expect(result.bytes).toBeGreaterThan(200_000);
    expect(result.warnings).toEqual([]);
    expect(host.calls).toEqual([]); // nothing here needs a host command
  });

  it('reads gzip layers, detected by their magic bytes', async () => {
    const gz = gzipSync(await craftTar(rootfs));
    const { result } = await unpack(gz);
    expect(result.entries).toBe(rootfs.length);
    expect(readFileSync(join(dest, 'bin/sh'), 'utf8')).toBe('#!busybox');
  });

  it('refuses zstd, a corrupt gzip and a non-tar with clear errors', async () => {
    const zstd = Buffer.concat([Buffer.from([0x28, 0xb5, 0x2f, 0xfd]), Buffer.alloc(100)]);
    await expect(unpack(zstd)).rejects.toThrow(/zstd-compressed, which is not supported/);
    const gz = gzipSync(await craftTar(rootfs));
    await expect(unpack(gz.subarray(0, gz.length - 40))).rejects.toThrow(/cannot decompress the gzip layer/);
    await expect(unpack(Buffer.from('this is not a tar archive at all'.repeat(20)))).rejects.toThrow(/invalid tar header checksum/);
  });

  it.each([false, true])('releases the input stream when it fails midway (gzip: %s)', async (gz) => {
    const tar = await craftTar([{ name: 'ok', content: 'x'.repeat(100_000) }, { name: '../escape', content: 'x' }, ...rootfs]);
    const input = chunked(gz ? gzipSync(tar) : tar, 4096);
    await expect(unpackLayer(new RecordingHost(), input, dest, { mode: 'plain' })).rejects.toThrow(/points outside/);
    expect(input.destroyed).toBe(true);
  });

  it('refuses a name with a NUL byte (from PAX) as invalid', async () => {
    await expect(unpack([{ name: 'x', content: 'x', pax: { path: 'a\0b' } }])).rejects.toThrow(/contains a NUL byte/);
  });

  it('replaces what is in the way instead of writing through it', async () => {
    mkdirSync(dest, { recursive: true });
    const outside = join(dest, '..', 'outside');
    writeFileSync(outside, 'outside content');
    linkSync(outside, join(dest, 'hardlinked')); // writing through it would change `outside`
    writeFileSync(join(dest, 'was-file'), 'x');
    mkdirSync(join(dest, 'was-dir/deep'), { recursive: true });
    mkdirSync(join(dest, 'merged/old'), { recursive: true });
    symlinkSync(outside, join(dest, 'was-symlink'));
    await unpack([
      { name: 'hardlinked', content: 'new' },
      { name: 'was-file/', type: 'directory', mode: 0o750 },
      { name: 'was-dir', content: 'now a file' },
      { name: 'merged/', type: 'directory', mode: 0o700 },
      { name: 'merged/new', content: 'n' },
      { name: 'was-symlink', content: 'plain file now' },
    ]);
    expect(readFileSync(outside, 'utf8')).toBe('outside content');
    expect(readFileSync(join(dest, 'hardlinked'), 'utf8')).toBe('new');
    expect(lstatSync(join(dest, 'was-file')).isDirectory()).toBe(true);
    expect(readFileSync(join(dest, 'was-dir'), 'utf8')).toBe('now a file');
    expect(readdirSync(join(dest, 'merged')).sort()).toEqual(['new', 'old']);
    expect(lstatSync(join(dest, 'was-symlink')).isFile()).toBe(true);
  });

  it('replaces an entry that appears twice; the last one wins', async () => {
    await unpack([
      { name: 'd/', type: 'directory', mode: 0o700, mtime: T(1) },
      { name: 'd/f', content: 'child' },
      { name: 'd', type: 'symlink', linkname: '/elsewhere' },
      { name: 'f', content: 'one' },
      { name: 'f', content: 'two' },
    ]);
    expect(lstatSync(join(dest, 'd')).isSymbolicLink()).toBe(true);
    expect(readFileSync(join(dest, 'f'), 'utf8')).toBe('two');
  });

  it('applies the root entry (./) to dest itself', async () => {
    await unpack([{ name: './', type: 'directory', mode: 0o751, mtime: T(42) }, { name: './a', content: 'a' }]);
    const st = lstatSync(dest);
    expect(st.mode & 0o7777).toBe(0o751);
    expect(st.mtimeMs).toBe(42_000);
  });

  it('reports what it does not apply: PAX records, overlay and host-label xattrs, ownership without root', async () => {
    const { result, host } = await unpack(
      [
        { name: 'acl', content: 'a', pax: { 'SCHILY.acl.access': 'user::rw-' } },
        { name: 'acl2', content: 'a', pax: { 'SCHILY.acl.access': 'user::rw-' } },
        { name: 'sneaky/', type: 'directory', pax: { 'SCHILY.xattr.trusted.overlay.redirect': '/etc' } },
        { name: 'label', content: 'l', pax: { 'SCHILY.xattr.security.selinux': 'system_u:object_r:bin_t:s0' } },
        { name: 'owned', content: 'o', uid: 4242, gid: 4242 },
        { name: 'kept', content: 'k', pax: { 'SCHILY.xattr.user.note': 'hello world', 'SCHILY.xattr.security.capability': 'caps' } },
      ],
      { preserveOwner: false },
    );
    expect(result.warnings.sort()).toEqual([
      'ignored PAX record SCHILY.acl.access: acl and 1 more',
      'ignored host security label security.selinux: label',
      'ignored overlayfs xattr trusted.overlay.redirect (a layer may not set it): sneaky/',
      'ownership not applied (unpacking without root): owned',
    ]);
    expect(host.calls).toEqual([
      {
        op: 'run',
        argv: ['setfattr', '-h', '--restore=-'],
        cwd: dest,
        input: '# file: kept\nuser.note=0saGVsbG8gd29ybGQ=\nsecurity.capability=0sY2Fwcw==\n',
        why: 'setting the extended attributes of a layer',
      },
    ]);
  });

  it('reports global PAX headers other than a comment', async () => {
    const records = Buffer.concat([encodePaxRecord('comment', 'git commit'), encodePaxRecord('mtime', '1')]);
    const g = encodeHeader({ name: 'pax_global_header', type: 'file', mode: 0o644, uid: 0, gid: 0, size: records.length, mtime: 0, linkname: '', devmajor: 0, devminor: 0 });
    g[156] = 'g'.charCodeAt(0);
    g.write(checksum(g).toString(8).padStart(6, '0') + '\0 ', 148, 'latin1');
    const tar = Buffer.concat([g, records, Buffer.alloc(padding(records.length)), await craftTar([{ name: 'f', content: 'f' }])]);
    const { result } = await unpack(tar);
    expect(result.warnings).toEqual(['ignored global PAX record: mtime']);
    expect(result.entries).toBe(1);
  });
});

describe('unpackLayer, apply mode (onto a merged tree)', () => {
  beforeEach(() => {
    mkdirSync(join(dest, 'etc/old.d'), { recursive: true });
    writeFileSync(join(dest, 'etc/passwd'), 'root');
    writeFileSync(join(dest, 'etc/old.d/conf'), 'c');
    mkdirSync(join(dest, 'var/cache/apt'), { recursive: true });
    writeFileSync(join(dest, 'var/cache/apt/pkg'), 'p');
    writeFileSync(join(dest, 'var/cache/keep-me-not'), 'k');
  });

  it('deletes whited-out files and directories and empties opaque directories', async () => {
    const { host } = await unpack(
      [
        { name: 'etc/.wh.passwd', content: '' },
        { name: 'etc/.wh.old.d', content: '' },
        { name: 'var/cache/.wh..wh..opq', content: '' },
        { name: 'var/cache/fresh', content: 'f' },
        { name: 'etc/.wh.not-there', content: '' },
        { name: 'nowhere/.wh.x', content: '' },
      ],
      { mode: 'apply' },
    );
    expect(describeTree(dest).map((l) => l.split(' ')[0])).toEqual(['etc', 'var', 'var/cache', 'var/cache/fresh']);
    expect(host.calls).toEqual([]);
  });

  it('leaves alone what the same layer wrote, whatever the order (OCI: whiteouts apply to lower layers)', async () => {
    await unpack(
      [
        { name: 'var/cache/new', content: 'n' },
        { name: 'var/cache/.wh..wh..opq', content: '' },
        { name: 'etc/passwd', content: 'replaced' },
        { name: 'etc/.wh.passwd', content: '' },
        { name: 'etc/old.d/', type: 'directory' },
        { name: 'etc/old.d/mine', content: 'm' },
        { name: 'etc/.wh.old.d', content: '' },
      ],
      { mode: 'apply' },
    );
    expect(readdirSync(join(dest, 'var/cache'))).toEqual(['new']);
    expect(readFileSync(join(dest, 'etc/passwd'), 'utf8')).toBe('replaced');
    // Added, then whited out: the lower directory's content goes, this layer's stays.
    expect(readdirSync(join(dest, 'etc/old.d'))).toEqual(['mine']);
  });

  it('skips AUFS metadata with a warning', async () => {
    const { result } = await unpack(
      [
        { name: '.wh..wh.plnk/', type: 'directory' },
        { name: '.wh..wh.plnk/123.456', content: 'hard link bookkeeping' },
        { name: '.wh..wh.aufs', content: '' },
        { name: 'real', content: 'r' },
      ],
      { mode: 'apply' },
    );
    expect(result.warnings).toEqual(['skipped AUFS metadata entry: .wh..wh.plnk/ and 2 more']);
    expect(readdirSync(dest).sort()).toEqual(['etc', 'real', 'var']);
  });
});

describe('unpackLayer, overlay mode (what needs no mknod)', () => {
  it('marks opaque directories with one setfattr call, paths relative to dest', async () => {
    const { host } = await unpack(
      [
        { name: 'a/', type: 'directory' },
        { name: 'a/b/.wh..wh..opq', content: '' },
        { name: 'a/b/new', content: 'n' },
        { name: '-dash/.wh..wh..opq', content: '' },
        { name: '.wh..wh..opq', content: '' },
      ],
      { mode: 'overlay' },
    );
    expect(host.calls).toEqual([
      {
        op: 'run',
        argv: ['setfattr', '-h', '-n', 'trusted.overlay.opaque', '-v', 'y', '--', 'a/b', '-dash', '.'],
        cwd: dest,
        input: undefined,
        why: 'marking the opaque directories of a layer for overlayfs',
      },
    ]);
    expect(readdirSync(dest).sort()).toEqual(['-dash', 'a']); // markers are not files
  });
});

function hash(s: string | Buffer): string {
  return createHash('sha256').update(s).digest('hex').slice(0, 12);
}
