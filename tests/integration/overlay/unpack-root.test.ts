// unpackLayer with root: overlay whiteouts as real 0/0 devices, opaque xattrs, ownership,
// setuid after chown, devices and FIFOs, and PAX xattrs (file capabilities) written by GNU tar.
import { execFileSync } from 'node:child_process';
import { chmodSync, chownSync, lstatSync, mkdirSync, readdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { unpackLayer } from '../../../src/overlay/unpack.js';
import { Sandbox, TeeHost, chunked, craftTar, getXattr, isRoot, isWhiteoutDevice } from './helpers.js';

if (!isRoot) console.warn('tests/integration/overlay/unpack-root.test.ts: skipped, needs root (chown, mknod, trusted xattrs)');

describe.skipIf(!isRoot)('unpackLayer as root', () => {
  const box = new Sandbox();
  afterEach(() => box.cleanup());

  it('turns OCI whiteouts into 0/0 devices and opaque markers into xattrs, one mknod and one setfattr per layer', async () => {
    const dest = join(box.make(), 'snap');
    const host = new TeeHost();
    const tar = await craftTar([
      { name: 'etc/', type: 'directory', mode: 0o755 },
      { name: 'etc/.wh.passwd', content: '' },
      { name: 'etc/.wh.shadow', content: '' },
      { name: 'var/cache/.wh.apt', content: '' },
      { name: 'opt/', type: 'directory', mode: 0o755 },
      { name: 'opt/.wh..wh..opq', content: '' },
      { name: 'opt/new', content: 'n' },
      { name: '.wh.both', content: '' },
      { name: 'both/', type: 'directory', mode: 0o755 },
      { name: 'both/inside', content: 'i' },
      { name: 'file', content: 'f' },
      { name: '.wh.file', content: '' },
    ]);
    const result = await unpackLayer(host, chunked(tar, 999), dest, { mode: 'overlay' });
    expect(result.warnings).toEqual([]);
    for (const w of ['etc/passwd', 'etc/shadow', 'var/cache/apt']) expect(isWhiteoutDevice(join(dest, w)), w).toBe(true);
    expect(lstatSync(join(dest, 'etc/passwd')).nlink).toBeGreaterThan(1); // one shared whiteout inode
    expect(getXattr(join(dest, 'opt'), 'trusted.overlay.opaque')?.toString()).toBe('y');
    // Whited out and added back in the same layer: the directory is opaque, the file is kept.
    expect(getXattr(join(dest, 'both'), 'trusted.overlay.opaque')?.toString()).toBe('y');
    expect(lstatSync(join(dest, 'file')).isFile()).toBe(true);
    expect(getXattr(join(dest, 'etc'), 'trusted.overlay.opaque')).toBeUndefined();
    expect(readdirSync(dest).sort()).toEqual(['both', 'etc', 'file', 'opt', 'var']); // no template left
    expect(host.count('mknod')).toBe(1);
    expect(host.count('setfattr')).toBe(1);
  });

  it('applies owners, then modes (setuid survives chown), to files, dirs, symlinks, devices and FIFOs', async () => {
    const dest = join(box.make(), 'root');
    const host = new TeeHost();
    const tar = await craftTar([
      { name: 'usr/bin/', type: 'directory', mode: 0o755, uid: 0, gid: 0 },
      { name: 'usr/bin/su', content: 'su', mode: 0o4755, uid: 0, gid: 0 },
      { name: 'usr/bin/mine', content: 'm', mode: 0o6711, uid: 1000, gid: 1000 },
      { name: 'home/u/', type: 'directory', mode: 0o700, uid: 1000, gid: 100 },
      { name: 'home/u/link', type: 'symlink', linkname: '/etc/motd', uid: 1000, gid: 100 },
      { name: 'srv/', type: 'directory', mode: 0o2775, uid: 0, gid: 50 },
      { name: 'srv/by-root', content: 'r', mode: 0o644, uid: 0, gid: 0 },
      { name: 'dev/null', type: 'character-device', devmajor: 1, devminor: 3, mode: 0o666 },
      { name: 'dev/loop0', type: 'block-device', devmajor: 7, devminor: 0, mode: 0o660, uid: 0, gid: 6 },
      { name: 'run/initctl', type: 'fifo', mode: 0o600, uid: 33, gid: 33 },
    ]);
    await unpackLayer(host, chunked(tar), dest, { mode: 'overlay' });
    const st = (p: string) => lstatSync(join(dest, p));
    const own = (p: string) => `${st(p).uid}:${st(p).gid} ${(st(p).mode & 0o7777).toString(8)}`;
    expect(own('usr/bin/su')).toBe('0:0 4755');
    expect(own('usr/bin/mine')).toBe('1000:1000 6711');
    expect(own('home/u')).toBe('1000:100 700');
    expect(`${st('home/u/link').uid}:${st('home/u/link').gid}`).toBe('1000:100');
    expect(own('srv')).toBe('0:50 2775');
    expect(own('srv/by-root')).toBe('0:0 644');
    expect(st('dev/null').isCharacterDevice() && st('dev/null').rdev).toBe(0x0103);
    expect(own('dev/null')).toBe('0:0 666');
    expect(st('dev/loop0').isBlockDevice() && st('dev/loop0').rdev).toBe(0x0700);
    expect(own('dev/loop0')).toBe('0:6 660');
    expect(st('run/initctl').isFIFO()).toBe(true);
    expect(own('run/initctl')).toBe('33:33 600');
    expect(host.count('mknod')).toBe(2);
    expect(host.count('mkfifo')).toBe(1);
  });

  it('gives new files in an existing setgid directory the group the archive says (apply mode)', async () => {
    const dest = box.make();
    mkdirSync(join(dest, 'shared'));
    chownSync(join(dest, 'shared'), 0, 50);
    chmodSync(join(dest, 'shared'), 0o2775);
    const tar = await craftTar([{ name: 'shared/file', content: 'x', uid: 0, gid: 0 }, { name: 'shared/sub/', type: 'directory', uid: 0, gid: 0 }]);
    await unpackLayer(new TeeHost(), chunked(tar), dest, { mode: 'apply' });
    expect(lstatSync(join(dest, 'shared/file')).gid).toBe(0);
    expect(lstatSync(join(dest, 'shared/sub')).gid).toBe(0);
  });

  it('restores xattrs from GNU tar --xattrs, binary values and file capabilities included (set after chown)', async () => {
    const src = box.make();
    writeFileSync(join(src, 'ping'), 'ping');
    chownSync(join(src, 'ping'), 1000, 1000); // chown at unpack would clear a capability set before it
    execFileSync('setcap', ['cap_net_raw+ep', join(src, 'ping')]);
    writeFileSync(join(src, 'data'), 'd');
    execFileSync('setfattr', ['-n', 'user.bin', '-v', '0x00ff800a3d', join(src, 'data')]);
    mkdirSync(join(src, 'sneaky'));
    execFileSync('setfattr', ['-n', 'trusted.overlay.redirect', '-v', '/etc', join(src, 'sneaky')]);
    const tar = execFileSync('tar', ['-c', '--xattrs', '--xattrs-include=*', '-C', src, 'ping', 'data', 'sneaky']);
    const dest = join(box.make(), 'out');
    const host = new TeeHost();
    const result = await unpackLayer(host, chunked(tar), dest, { mode: 'overlay' });
    expect(execFileSync('getcap', [join(dest, 'ping')]).toString()).toContain('cap_net_raw=ep');
    expect(lstatSync(join(dest, 'ping')).uid).toBe(1000);
    expect(getXattr(join(dest, 'data'), 'user.bin')).toEqual(Buffer.from([0x00, 0xff, 0x80, 0x0a, 0x3d]));
    expect(getXattr(join(dest, 'sneaky'), 'trusted.overlay.redirect')).toBeUndefined();
    expect(result.warnings).toEqual(['ignored overlayfs xattr trusted.overlay.redirect (a layer may not set it): sneaky/']);
    expect(host.count('setfattr')).toBe(1);
  });
});
