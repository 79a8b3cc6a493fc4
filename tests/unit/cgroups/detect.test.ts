import { afterEach, describe, expect, it } from 'vitest';
import { rmSync } from 'node:fs';
import { join } from 'node:path';
import { detectCgroups, parseMountinfo, parseProcCgroup } from '../../../src/cgroups/detect.js';
import { MinidockError } from '../../../src/errors.js';
import { fakeHybrid, fakeV2, type FakeTree } from './fake.js';

let tree: FakeTree | undefined;
afterEach(() => tree?.cleanup());

describe('parseMountinfo', () => {
  it('reads root, mount point, type and super options, unescaping octal', () => {
    const text =
      '35 31 0:32 / /sys/fs/cgroup/memory rw,relatime - cgroup cgroup rw,memory\n' +
      '36 35 0:33 /docker/abc /sys/fs/cgroup/cpu,cpuacct rw,nosuid shared:9 master:2 - cgroup cgroup rw,cpu,cpuacct\n' +
      '37 35 0:40 / /mnt/with\\040space rw - tmpfs tmpfs rw\n';
    expect(parseMountinfo(text)).toEqual([
      { root: '/', mountpoint: '/sys/fs/cgroup/memory', fstype: 'cgroup', superOptions: ['rw', 'memory'] },
      { root: '/docker/abc', mountpoint: '/sys/fs/cgroup/cpu,cpuacct', fstype: 'cgroup', superOptions: ['rw', 'cpu', 'cpuacct'] },
      { root: '/', mountpoint: '/mnt/with space', fstype: 'tmpfs', superOptions: ['rw'] },
    ]);
  });
});

describe('parseProcCgroup', () => {
  it('splits id, controllers and path; v2 has no controllers', () => {
    expect(parseProcCgroup('4:memory:/process_api/x\n2:cpu,cpuacct:/\n9:name=systemd:/\n0::/user.slice\n')).toEqual([
      { id: 4, controllers: ['memory'], path: '/process_api/x' },
      { id: 2, controllers: ['cpu', 'cpuacct'], path: '/' },
      { id: 9, controllers: ['name=systemd'], path: '/' },
      { id: 0, controllers: [], path: '/user.slice' },
    ]);
  });
});

describe('detectCgroups', () => {
  it('hybrid host: v1 per controller, our memory cgroup below process_api, unified beside', () => {
    tree = fakeHybrid();
    const l = detectCgroups(tree);
    expect(l.mode).toBe('v1');
    if (l.mode !== 'v1') return;
    expect(l.unified).toBe(join(tree.root, 'unified'));
    expect(l.swapAccounting).toBe(true);
    const byCtrl = Object.fromEntries(l.hierarchies.map((h) => [h.controllers.join(','), h]));
    expect(byCtrl.memory).toEqual({ controllers: ['memory'], mountpoint: join(tree.root, 'memory'), ownDir: join(tree.root, 'memory/process_api/abc') });
    expect(byCtrl.cpu.ownDir).toBe(join(tree.root, 'cpu'));
    expect(byCtrl['name=systemd'].mountpoint).toBe(join(tree.root, 'systemd'));
    expect(l.hierarchies.map((h) => h.controllers.join(',')).sort()).toEqual(
      ['blkio', 'cpu', 'cpuacct', 'cpuset', 'devices', 'freezer', 'memory', 'name=systemd', 'pids'].sort(),
    );
  });

  it('no memsw files: no swap accounting', () => {
    tree = fakeHybrid({ swap: false });
    expect(detectCgroups(tree)).toMatchObject({ mode: 'v1', swapAccounting: false });
  });

  it('cpu and cpuacct co-mounted form one hierarchy', () => {
    tree = fakeHybrid({ coMountCpu: true });
    const l = detectCgroups(tree);
    if (l.mode !== 'v1') throw new Error('expected v1');
    const cpu = l.hierarchies.filter((h) => h.controllers.includes('cpu') || h.controllers.includes('cpuacct'));
    expect(cpu).toEqual([{ controllers: ['cpu', 'cpuacct'], mountpoint: join(tree.root, 'cpu,cpuacct'), ownDir: join(tree.root, 'cpu,cpuacct') }]);
  });

  it('pure v2: own cgroup, controllers offered at the root and to our children', () => {
    tree = fakeV2({ ownControllers: 'memory pids' });
    const l = detectCgroups(tree);
    expect(l).toEqual({
      mode: 'v2',
      root: tree.root,
      ownDir: join(tree.root, 'user.slice/session-1.scope'),
      rootControllers: ['cpuset', 'cpu', 'io', 'memory', 'hugetlb', 'pids', 'rdma', 'misc'],
      ownControllers: ['memory', 'pids'],
      swapAccounting: true,
    });
  });

  it('pure v2 without memory.swap.max in our cgroup: no swap accounting', () => {
    tree = fakeV2({ swap: false });
    expect(detectCgroups(tree)).toMatchObject({ mode: 'v2', swapAccounting: false });
  });

  it('inside a cgroup namespace or a sub-tree bind, paths are relative to the mount root', () => {
    const mountinfo = '50 40 0:32 /docker/abc /x/memory rw - cgroup cgroup rw,memory\n60 40 0:33 /docker/abc /x/pids rw - cgroup cgroup rw,pids\n';
    const l = detectCgroups({ root: '/x', mountinfo, selfCgroup: '4:memory:/docker/abc/inner\n5:pids:/other\n' });
    if (l.mode !== 'v1') throw new Error('expected v1');
    expect(l.hierarchies.find((h) => h.controllers[0] === 'memory')?.ownDir).toBe('/x/memory/inner');
    // A cgroup outside the mounted sub-tree has no directory we can reach.
    expect(l.hierarchies.find((h) => h.controllers[0] === 'pids')?.ownDir).toBeUndefined();
  });

  it('the unified mount of a hybrid host can be used as a v2 root', () => {
    tree = fakeHybrid();
    const l = detectCgroups({ ...tree, root: join(tree.root, 'unified') });
    expect(l).toMatchObject({ mode: 'v2', root: join(tree.root, 'unified'), ownDir: join(tree.root, 'unified'), rootControllers: ['hugetlb'] });
  });

  it('fails with a hint when nothing is mounted', () => {
    tree = fakeV2();
    rmSync(join(tree.root, 'cgroup.controllers'));
    const run = () => detectCgroups({ root: '/nowhere', mountinfo: tree!.mountinfo, selfCgroup: '0::/\n' });
    expect(run).toThrow(MinidockError);
    expect(run).toThrow(/no cgroup filesystem is mounted at \/nowhere/);
  });
});
