// Copy-up from a real unpacked image: busybox's rootfs (scripts/busybox-rootfs.sh) as the
// bottom layer, two crafted layers above it (whiteouts, an opaque directory, a lower-layer
// symlink under an upper directory) and the container's upper dir, exactly where
// layeredView looks for them. Checks what docker copies (owners, modes, times, links,
// devices, capabilities) and what must never happen: following a symlink to the host.
import { execFileSync } from 'node:child_process';
import {
  chmodSync, chownSync, linkSync, lstatSync, mkdirSync, readdirSync, readFileSync, readlinkSync, rmSync,
  symlinkSync, utimesSync, writeFileSync,
} from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Container } from '../../../src/runtime/model.js';
import { containerPaths } from '../../../src/runtime/prepare.js';
import { planVolumeMounts } from '../../../src/runtime/volumes/start.js';
import { VolumeStore } from '../../../src/runtime/volumes/store.js';
import { busyboxTarball } from '../../helpers/cli.js';
import { isRoot, TempEngine } from './helpers.js';

const CHAIN = [1, 2, 3].map((n) => `sha256:${String(n).repeat(64)}`); // bottom first
const T2001 = new Date('2001-02-03T04:05:06Z');
// vfs_cap_data revision 2, effective, permitted cap_net_raw (13): what `setcap cap_net_raw+ep` writes.
const CAP_NET_RAW = Buffer.from([0x01, 0, 0, 0x02, 0, 0x20, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0]);

const sh = (cmd: string, ...args: string[]) => execFileSync(cmd, args, { stdio: ['ignore', 'pipe', 'pipe'] }).toString();

function file(path: string, text: string, uid = 0, gid = 0, mode = 0o644): void {
  mkdirSync(join(path, '..'), { recursive: true });
  writeFileSync(path, text);
  chownSync(path, uid, gid);
  chmodSync(path, mode);
}

let t: TempEngine;
let layer: (i: number) => string;

/** The image: busybox, then a "mid" layer, then a "top" layer. */
function buildImage(): void {
  layer = (i: number) => join(t.engine.paths.snapshot(CHAIN[i]), 'fs');
  for (let i = 0; i < 3; i++) mkdirSync(layer(i), { recursive: true });
  sh('tar', '-xpf', busyboxTarball(), '--numeric-owner', '-C', layer(0));

  // Below a file in a middle layer, a lower directory of the same name never shows.
  file(join(layer(0), 'data/blocked/old.txt'), 'hidden by the file above');
  const mid = join(layer(1), 'data');
  file(join(mid, 'blocked'), 'a file between two directories');
  file(join(mid, 'whited'), 'deleted above');
  file(join(mid, 'opaque/hidden'), 'hidden by an opaque dir above');
  file(join(mid, 'merged/from-mid'), 'mid');
  symlinkSync('/etc', join(mid, 'mixed')); // a symlink to the host's /etc if anyone walked it

  const top = join(layer(2), 'data');
  mkdirSync(top);
  file(join(top, 'file.txt'), 'hello', 1000, 50, 0o640);
  utimesSync(join(top, 'file.txt'), T2001, T2001);
  file(join(top, 'setuid'), '#!/bin/sh\n', 0, 0, 0o4755);
  file(join(top, 'sub/deep/deeper.txt'), 'deep', 1000, 1000, 0o600);
  chownSync(join(top, 'sub'), 1000, 1000);
  chmodSync(join(top, 'sub'), 0o2770);
  symlinkSync('/etc/passwd', join(top, 'passwd'));
  execFileSync('chown', ['-h', '1000:1000', join(top, 'passwd')]);
  symlinkSync('../../../../../../etc/shadow', join(top, 'up'));
  file(join(top, 'hard1'), 'linked');
  linkSync(join(top, 'hard1'), join(top, 'hard2'));
  sh('mkfifo', '-m', '0620', join(top, 'fifo'));
  sh('mknod', '-m', '0666', join(top, 'null'), 'c', '1', '3');
  sh('mknod', join(top, 'whited'), 'c', '0', '0'); // overlay whiteout
  file(join(top, 'opaque/visible'), 'top');
  sh('setfattr', '-n', 'trusted.overlay.opaque', '-v', 'y', join(top, 'opaque'));
  file(join(top, 'merged/from-top'), 'top');
  file(join(top, 'mixed/own.txt'), 'top dir over a lower symlink');
  file(join(top, 'blocked/new.txt'), 'top');
  file(join(top, 'ping'), 'not really ping', 0, 0, 0o755);
  sh('setfattr', '-n', 'security.capability', '-v', `0s${CAP_NET_RAW.toString('base64')}`, join(top, 'ping'));
  sh('setfattr', '-n', 'user.note', '-v', 'kept', join(top, 'ping'));
  chownSync(top, 1000, 1000);
  chmodSync(top, 0o750);
  // The mount destination itself is a symlink in the image: it must resolve inside it.
  symlinkSync('/etc', join(layer(2), 'etclink'));
  symlinkSync('../../../../../../../../etc', join(layer(2), 'evil'));
  mkdirSync(join(layer(2), 'empty-owned'));
  chownSync(join(layer(2), 'empty-owned'), 1000, 1000);
  chmodSync(join(layer(2), 'empty-owned'), 0o700);
}

async function containerWith(volumes: string[]): Promise<Container> {
  const c = await t.create({ volumes }, { layers: CHAIN });
  const upper = containerPaths(t.engine, c.Id).upper;
  file(join(upper, 'data/from-upper'), 'written by the container before');
  // As overlayfs copies a directory up: with the attributes it had below.
  chownSync(join(upper, 'data'), 1000, 1000);
  chmodSync(join(upper, 'data'), 0o750);
  return c;
}

function tree(dir: string): string[] {
  const out: string[] = [];
  const walk = (rel: string) => {
    for (const n of readdirSync(join(dir, rel)).sort()) {
      const r = rel ? `${rel}/${n}` : n;
      out.push(r);
      if (lstatSync(join(dir, r)).isDirectory()) walk(r);
    }
  };
  walk('');
  return out;
}

beforeAll(() => {
  if (!isRoot) return;
  t = new TempEngine();
  buildImage();
});
afterAll(() => t?.cleanup());

describe.skipIf(!isRoot)('copy-up into a volume on first use', () => {
  it('copies the merged image directory with owners, modes, times, links, devices and capabilities', async () => {
    const c = await containerWith(['datavol:/data']);
    const plan = await planVolumeMounts(t.engine, c);
    const store = new VolumeStore(t.engine);
    const data = store.dataDir('datavol');
    expect(plan).toEqual([{ kind: 'bind', source: data, target: '/data', readOnly: false }]);
    expect(tree(data)).toEqual([
      'blocked', 'blocked/new.txt', 'fifo', 'file.txt', 'from-upper', 'hard1', 'hard2', 'merged', 'merged/from-mid', 'merged/from-top',
      'mixed', 'mixed/own.txt', 'null', 'opaque', 'opaque/visible', 'passwd', 'ping', 'setuid',
      'sub', 'sub/deep', 'sub/deep/deeper.txt', 'up',
    ]);
    const st = (p: string) => lstatSync(join(data, p));
    // The volume's root takes the image directory's owner and mode (docker's copyOwnership).
    expect([st('').uid, st('').gid, st('').mode & 0o7777]).toEqual([1000, 1000, 0o750]);
    expect([st('file.txt').uid, st('file.txt').gid, st('file.txt').mode & 0o7777]).toEqual([1000, 50, 0o640]);
    expect(st('file.txt').mtime.toISOString()).toBe(T2001.toISOString());
    expect(readFileSync(join(data, 'file.txt'), 'utf8')).toBe('hello');
    expect(st('setuid').mode & 0o7777).toBe(0o4755);
    expect([st('sub').uid, st('sub').mode & 0o7777]).toEqual([1000, 0o2770]);
    expect([st('sub/deep/deeper.txt').uid, st('sub/deep/deeper.txt').mode & 0o777]).toEqual([1000, 0o600]);
    expect(st('passwd').isSymbolicLink()).toBe(true);
    expect(readlinkSync(join(data, 'passwd'))).toBe('/etc/passwd');
    expect([st('passwd').uid, st('passwd').gid]).toEqual([1000, 1000]);
    expect(readlinkSync(join(data, 'up'))).toBe('../../../../../../etc/shadow');
    expect(st('hard1').ino).toBe(st('hard2').ino);
    expect(st('fifo').isFIFO()).toBe(true);
    expect(st('fifo').mode & 0o777).toBe(0o620);
    expect(st('null').isCharacterDevice()).toBe(true);
    expect(st('null').rdev).toBe(lstatSync(join(layer(2), 'data/null')).rdev);
    // A lower layer's symlink below an upper directory is never walked into.
    expect(st('mixed').isDirectory()).toBe(true);
    const caps = sh('getfattr', '-h', '-d', '-m', '-', '-e', 'base64', join(data, 'ping'));
    expect(caps).toContain(`security.capability=0s${CAP_NET_RAW.toString('base64')}`);
    expect(caps).toContain('user.note=0sa2VwdA==');
    expect(sh('getfattr', '-h', '-d', '-m', '-', join(data, 'opaque'))).not.toContain('trusted.overlay');
    expect(store.get('datavol')?.Populated).toBe(true);
    expect(readdirSync(join(data, '..')).sort()).toEqual(['_data', 'volume.json']); // no staging left
  });

  it('copies only once: an emptied volume is not filled again', async () => {
    const store = new VolumeStore(t.engine);
    const data = store.dataDir('datavol');
    rmSync(join(data, 'file.txt'));
    const c = await containerWith(['datavol:/data']);
    await planVolumeMounts(t.engine, c);
    expect(tree(data)).not.toContain('file.txt');
    for (const n of readdirSync(data)) rmSync(join(data, n), { recursive: true });
    await planVolumeMounts(t.engine, c);
    expect(readdirSync(data)).toEqual([]);
  });

  it('resolves a symlinked mount point inside the image, never on the host', async () => {
    const c = await containerWith(['etcvol:/etclink', 'evilvol:/evil']);
    const plan = await planVolumeMounts(t.engine, c);
    expect(plan.map((p) => p.target)).toEqual(['/etclink', '/evil']);
    const store = new VolumeStore(t.engine);
    for (const v of ['etcvol', 'evilvol']) {
      const passwd = readFileSync(join(store.dataDir(v), 'passwd'), 'utf8');
      expect(passwd).toBe(readFileSync(join(layer(0), 'etc/passwd'), 'utf8'));
      expect(passwd).toContain('app:x:1000:1000');
      expect(tree(store.dataDir(v)).sort()).toEqual(tree(join(layer(0), 'etc')).sort());
    }
  });

  it('leaves a volume alone with nocopy, when it already has content, or when the image has nothing there', async () => {
    const store = new VolumeStore(t.engine);
    const c1 = await t.create({ volumes: ['nocopyvol:/data:nocopy'], mounts: ['type=volume,src=nocopy2,dst=/etclink,volume-nocopy'] }, { layers: CHAIN });
    await planVolumeMounts(t.engine, c1);
    expect(readdirSync(store.dataDir('nocopyvol'))).toEqual([]);
    expect(readdirSync(store.dataDir('nocopy2'))).toEqual([]);
    expect(store.get('nocopyvol')?.Populated).toBeUndefined();

    await store.create({ name: 'fullvol' });
    writeFileSync(join(store.dataDir('fullvol'), 'mine'), 'user data');
    const c2 = await t.create({ volumes: ['fullvol:/data'] }, { layers: CHAIN });
    await planVolumeMounts(t.engine, c2);
    expect(readdirSync(store.dataDir('fullvol'))).toEqual(['mine']);
    expect(store.get('fullvol')?.Populated).toBe(true);

    // Nothing at /nowhere: the volume stays unpopulated, so a later container fills it.
    const c3 = await t.create({ volumes: ['latevol:/nowhere'] }, { layers: CHAIN });
    await planVolumeMounts(t.engine, c3);
    expect(store.get('latevol')?.Populated).toBeUndefined();
    const c4 = await t.create({ volumes: ['latevol:/etclink'] }, { layers: CHAIN });
    await planVolumeMounts(t.engine, c4);
    expect(readdirSync(store.dataDir('latevol'))).toContain('passwd');
  });

  it('gives an anonymous volume over an empty image directory that directory\'s owner and mode', async () => {
    const c = await t.create({ imageVolumes: { '/empty-owned': {} } }, { layers: CHAIN });
    await planVolumeMounts(t.engine, c);
    const data = new VolumeStore(t.engine).dataDir(c.Mounts[0].Name!);
    const st = lstatSync(data);
    expect([st.uid, st.gid, st.mode & 0o7777, readdirSync(data).length]).toEqual([1000, 1000, 0o700, 0]);
  });

  it('copies once when two containers start together on one new volume', async () => {
    const a = await t.create({ volumes: ['racevol:/etclink'] }, { layers: CHAIN });
    const b = await t.create({ volumes: ['racevol:/etclink'] }, { layers: CHAIN });
    await Promise.all([planVolumeMounts(t.engine, a), planVolumeMounts(t.engine, b)]);
    const data = new VolumeStore(t.engine).dataDir('racevol');
    expect(tree(data).sort()).toEqual(tree(join(layer(0), 'etc')).sort());
  });
});
