// Attack 4: what the kernel interfaces of a default container let it reach. No mount or
// unmount (no CAP_SYS_ADMIN); no new namespaces but a user namespace, which must be harmless
// (no seccomp filter blocks it here: inside it the container's masks must hold, and no fresh
// procfs or sysfs may be mounted, or /proc/sys/kernel/core_pattern would be writable to it as
// uid 0, a host root escape); masked paths read empty; read-only paths refuse writes; /dev
// has docker's minimal set; a block device node for the host's root disk cannot be opened
// (nodev mounts, and the devices cgroup on v1). Writes are only ever attempted as
// open(O_WRONLY) without writing (probe open-w), so a failure here changes nothing on the host.
import { existsSync, lstatSync, mkdirSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { existingMasks, existingPaths, READONLY_PATHS } from '../../../src/runtime/defaults.js';
import { planFstabs, type StartPlanInput } from '../../../src/runtime/start-plan.js';
import { SecurityRoot, isRoot } from './helpers.js';

/** glibc's major()/minor() of a dev_t. */
function devNumbers(dev: number): [number, number] {
  const d = BigInt(dev);
  return [Number(((d >> 8n) & 0xfffn) | ((d >> 32n) & ~0xfffn)), Number((d & 0xffn) | ((d >> 12n) & ~0xffn))];
}

describe.skipIf(!isRoot)('mounts, namespaces, masked and read-only paths, devices (attack 4)', () => {
  let t: SecurityRoot;
  beforeAll(async () => {
    t = new SecurityRoot('mounts');
    await t.image('probe');
  });
  afterAll(async () => {
    if (t) expect(await t.finish()).toEqual([]);
  });

  const sh = async (script: string, extra: string[] = []) => {
    const r = await t.run(['run', '--rm', ...extra, 'probe', 'sh', '-c', script]);
    expect(r.exitCode, String(r.stderr)).toBe(0);
    return String(r.stdout);
  };

  it('mount, bind mount and umount fail', async () => {
    const out = await sh([
      'mkdir -p /mnt/t',
      'mount -t tmpfs t /mnt/t && echo MOUNTED-tmpfs',
      'mount --bind /etc /mnt/t && echo MOUNTED-bind',
      'mount -o remount,rw /sys && echo REMOUNTED-sys',
      'umount /etc/hosts && echo UMOUNTED-hosts',
      'umount -l /proc/keys 2>/dev/null && echo UMOUNTED-mask',
      'true',
    ].join('\n'));
    expect(out).toBe('');
  });

  it('new namespaces other than a user namespace are refused', async () => {
    const out = await sh('for f in -m -n -p -i -u -C; do unshare $f true 2>/dev/null && echo "UNSHARED $f"; done; true');
    expect(out).toBe('');
  });

  it('a user namespace is harmless: masks hold, no fresh procfs or sysfs, the root cannot be unmounted', async () => {
    const out = await sh([
      'mkdir -p /tmp/p /tmp/s',
      // a fresh procfs without the masks: would expose a writable /proc/sys to uid 0
      'unshare -Urpf --mount-proc /probe open-w /proc/sys/kernel/core_pattern /proc/sys/vm/drop_caches 2>/dev/null | sed "s/^/FRESH-PROC /"',
      'unshare -Urpfm sh -c "mount -t proc proc /tmp/p && echo FRESH-PROC-MOUNTED"',
      'unshare -Urnm sh -c "mount -t sysfs sysfs /tmp/s && echo FRESH-SYSFS-MOUNTED"',
      'unshare -Urm sh -c "mount --bind /proc /tmp/p && echo BOUND-PROC"',
      'unshare -Urm sh -c "umount /proc/keys && echo UNMASKED; umount -l /proc/keys && echo UNMASKED; umount -l / && echo ROOT-UNMOUNTED; echo keys=\\$(wc -c < /proc/keys)"',
      'true',
    ].join('\n'));
    expect(out).not.toMatch(/FRESH|BOUND|UNMASKED|ROOT-UNMOUNTED/);
    expect(out).toContain('keys=0');
  });

  it('masked paths read empty and cannot be written', async () => {
    const masks = existingMasks();
    expect(masks.files.length + masks.dirs.length).toBeGreaterThan(0);
    const out = await sh([
      `for f in ${masks.files.join(' ')}; do echo "file $f $(wc -c < $f)"; done`,
      `for d in ${masks.dirs.join(' ')}; do echo "dir $d $(ls -A $d | wc -l)"; touch $d/x 2>/dev/null && echo "WROTE $d"; done`,
      'true',
    ].join('\n'));
    for (const f of masks.files) expect(out).toContain(`file ${f} 0\n`);
    for (const d of masks.dirs) expect(out).toContain(`dir ${d} 0\n`);
    expect(out).not.toContain('WROTE');
  });

  it('read-only paths and /sys refuse writes; the mounts say ro', async () => {
    const candidates = ['/proc/sys/kernel/hostname', '/proc/sys/vm/drop_caches', '/proc/sysrq-trigger', '/proc/irq/default_smp_affinity', '/sys/kernel/profiling'];
    const targets = candidates.filter((p) => existsSync(p));
    const out = await sh(`/probe open-w ${targets.join(' ')}; touch /sys/x 2>/dev/null && echo WROTE-sys; cat /proc/self/mountinfo`);
    for (const p of targets) expect(out).toContain(`open ${p} EROFS`);
    expect(out).not.toContain('WROTE');
    const mountOpts = new Map(out.split('\n').filter((l) => / - /.test(l)).map((l) => [l.split(' ')[4], l.split(' ')[5]]));
    for (const p of [...existingPaths(READONLY_PATHS), '/sys']) expect(mountOpts.get(p)?.split(','), p).toContain('ro');
  });

  it('/dev has only the minimal set', async () => {
    const out = await sh('ls -A /dev; echo --; ls -A /dev/pts /dev/shm /dev/mqueue');
    expect(out.split('--')[0].trim().split('\n').sort()).toEqual(
      ['core', 'fd', 'full', 'mqueue', 'null', 'ptmx', 'pts', 'random', 'shm', 'stderr', 'stdin', 'stdout', 'tty', 'urandom', 'zero'].sort(),
    );
  });

  it('a device node for the host\'s root disk cannot be opened, wherever it is made', async () => {
    const [major, minor] = devNumbers(lstatSync('/').dev);
    const vol = join(t.scratch, 'vol-dev');
    mkdirSync(vol);
    const nodes = ['/tmp/disk', '/dev/disk', '/dev/shm/disk', '/data/disk'];
    const out = await sh(
      [...nodes.map((n) => `mknod ${n} b ${major} ${minor} || echo "no-mknod ${n}"`), `mknod /data/mem c 1 1`, `/probe open-r ${nodes.join(' ')} /data/mem`].join('\n'),
      ['-v', `${vol}:/data`],
    );
    for (const n of [...nodes, '/data/mem']) {
      expect(out, n).toMatch(new RegExp(`^open ${n} (EACCES|EPERM|ENXIO)$`, 'm'));
    }
  });
});

// cgroup v2 hosts have no devices controller (and minidock attaches no device eBPF program):
// there a volume without nodev would let CAP_MKNOD open the host's disk. This host is v1, so
// the plan is what can be checked.
describe('the start plan: binds on cgroup v2 are nodev; nested targets are never created by libmount', () => {
  const input = (cgroup2: boolean, privileged = false): StartPlanInput => ({
    rootfs: '/r', snapshotsDir: '/s', lowerDirs: ['l'], upperDir: '/u', workDir: '/w', devSkeleton: '/d', hostname: 'h',
    privileged, readOnly: false, network: { kind: 'new' }, cgroup2, maskedFiles: [], maskedDirs: [], readonlyPaths: [],
    mounts: [
      { kind: 'bind', source: '/vol', target: 'data', readOnly: false },
      { kind: 'bind', source: '/x', target: 'data/sub', readOnly: true, prepared: true },
    ],
    cgroupProcs: [], tools: { sh: '/bin/sh', unshare: '/u', nsenter: '/n', shim: '/s' }, enterArgs: [],
  });
  const line = (fstab: string, target: string) => fstab.split('\n').find((l) => l.split(' ')[1] === target) ?? '';

  it('v2: every bind is nodev unless --privileged; v1 keeps docker\'s options (the devices cgroup guards)', () => {
    expect(line(planFstabs(input(true)).fstabMounts, '/r/data')).toContain('rbind,nodev,X-mount.mkdir');
    expect(line(planFstabs(input(false)).fstabMounts, '/r/data')).toContain('rbind,X-mount.mkdir');
    expect(line(planFstabs(input(true, true)).fstabMounts, '/r/data')).not.toContain('nodev');
  });

  it('a target made inside a parent mount\'s source has no X-mount.mkdir', () => {
    expect(line(planFstabs(input(false)).fstabMounts, '/r/data/sub')).toMatch(/ none rbind,ro 0 0$/);
  });
});
