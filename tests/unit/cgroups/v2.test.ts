import { afterEach, describe, expect, it } from 'vitest';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { detectCgroups, type V2Layout } from '../../../src/cgroups/detect.js';
import { V2Driver } from '../../../src/cgroups/v2.js';
import { RealHost } from '../../../src/host/real.js';
import { RecordingHost, type HostCall } from '../../../src/host/script.js';
import { fakeV2, put, type FakeTree } from './fake.js';
import { FailingHost } from './hosts.js';

const MiB = 1024 * 1024;
let tree: FakeTree;
afterEach(() => tree.cleanup());

function setup(opts: Parameters<typeof fakeV2>[0] = {}): V2Driver {
  tree = fakeV2(opts);
  return new V2Driver(detectCgroups(tree) as V2Layout, { numCpus: 4, freezeTimeoutMs: 60, removeTimeoutMs: 50 });
}

function lines(calls: HostCall[]): string[] {
  return calls.map((c) => {
    const s = c.op === 'writeFile' ? `write ${c.path} ${c.data}` : c.op === 'kill' ? `kill ${c.pid} ${c.signal}` : c.op === 'comment' ? `# ${c.text}` : `${c.op} ${'path' in c ? c.path : ''}`;
    return s.split(tree.root).join('$R');
  });
}

describe('V2Driver.plan + create', () => {
  it('relative parent: enables only the missing controllers top-down, then writes the limits', async () => {
    const driver = setup({ ownSubtree: 'memory\n' });
    const plan = driver.plan('c1', 'tests/x', { memory: 32 * MiB, nanoCpus: 1e9, cpuShares: 512, pidsLimit: 20 });
    const own = '$R/user.slice/session-1.scope';
    expect(plan.procs.map((p) => p.replace(tree.root, '$R'))).toEqual([`${own}/tests/x/c1/cgroup.procs`]);
    expect(plan.controllerDirs).toEqual({ unified: join(tree.root, 'user.slice/session-1.scope/tests/x/c1') });
    const host = new RecordingHost();
    await driver.create(host, plan);
    expect(lines(host.calls)).toEqual([
      `write ${own}/cgroup.subtree_control +cpu +pids`,
      `mkdir ${own}/tests`,
      `write ${own}/tests/cgroup.subtree_control +cpu +memory +pids`,
      `mkdir ${own}/tests/x`,
      `write ${own}/tests/x/cgroup.subtree_control +cpu +memory +pids`,
      `mkdir ${own}/tests/x/c1`,
      `write ${own}/tests/x/c1/memory.max 33554432`,
      `write ${own}/tests/x/c1/memory.swap.max 33554432`,
      `write ${own}/tests/x/c1/cpu.max 100000 100000`,
      `write ${own}/tests/x/c1/cpu.weight 20`,
      `write ${own}/tests/x/c1/pids.max 20`,
    ]);
  });

  it('nothing is written to our own cgroup when its controllers are already on', async () => {
    const driver = setup({ ownSubtree: 'cpu memory pids\n' });
    const host = new RecordingHost();
    await driver.create(host, driver.plan('c1', 'r', {}));
    expect(lines(host.calls)[0]).toBe('mkdir $R/user.slice/session-1.scope/r');
  });

  it('the default parent /minidock sits at the root; the root offers what it has', async () => {
    const driver = setup({ ownControllers: '' });
    const plan = driver.plan('c1', undefined, { memory: 32 * MiB, cpusetCpus: '3' });
    expect(plan.warnings).toEqual([]);
    const host = new RecordingHost();
    await driver.create(host, plan);
    expect(lines(host.calls)).toEqual([
      'write $R/cgroup.subtree_control +cpuset',
      'mkdir $R/minidock',
      'write $R/minidock/cgroup.subtree_control +cpuset +cpu +memory +pids',
      'mkdir $R/minidock/c1',
      'write $R/minidock/c1/cpuset.cpus 3',
      'write $R/minidock/c1/memory.max 33554432',
      'write $R/minidock/c1/memory.swap.max 33554432',
    ]);
    expect(plan.dirs.map((d) => [d.role, d.removeWhenEmpty])).toEqual([['parent', true], ['container', true]]);
  });

  it('limits for controllers our cgroup is not offered are dropped with Docker warnings', () => {
    const driver = setup({ ownControllers: 'pids' });
    const plan = driver.plan('c1', 'r', { memory: 32 * MiB, pidsLimit: 5 });
    expect(plan.warnings).toEqual(['Your kernel does not support memory limit capabilities or the cgroup is not mounted. Limitation discarded.']);
    expect(plan.steps.filter((s) => s.op === 'write').map((s) => s.path.replace(tree.root, '$R'))).toEqual(['$R/user.slice/session-1.scope/r/c1/pids.max']);
    expect(plan.steps.filter((s) => s.op === 'enable-controllers').map((s) => (s.op === 'enable-controllers' ? s.controllers : []))).toEqual([['pids'], ['pids']]);
  });

  it('EBUSY on subtree_control explains the no-internal-processes rule', async () => {
    const driver = setup();
    const err = await driver.create(new FailingHost('cgroup.subtree_control', 'EBUSY'), driver.plan('c1', 'r', {})).catch((e: Error) => e);
    expect(err).toMatchObject({ kind: 'host' });
    expect((err as Error).message).toMatch(/cannot enable cpu, memory, pids in .*session-1.scope\/cgroup.subtree_control: the cgroup has processes of its own/);
    expect((err as { hint?: string }).hint).toMatch(/Delegate=yes/);
  });
});

describe('V2Driver freeze, kill, stats, remove', () => {
  it('freeze writes cgroup.freeze and waits for "frozen 1"; a freeze that never lands is undone', async () => {
    const driver = setup();
    const plan = driver.plan('c1', 'r', {});
    const dir = plan.controllerDirs.unified;
    put(join(dir, 'cgroup.events'), 'populated 1\nfrozen 1\n');
    await driver.freeze(new RealHost(), plan);
    expect(readFileSync(join(dir, 'cgroup.freeze'), 'utf8')).toBe('1');
    expect(await driver.isFrozen(plan)).toBe(true);
    put(join(dir, 'cgroup.events'), 'populated 1\nfrozen 0\n');
    await expect(driver.freeze(new RealHost(), plan)).rejects.toThrow(/did not report frozen/);
    expect(readFileSync(join(dir, 'cgroup.freeze'), 'utf8')).toBe('0');
  });

  it('SIGKILL uses cgroup.kill when the kernel has it', async () => {
    const driver = setup();
    const plan = driver.plan('c1', 'r', {});
    put(join(plan.controllerDirs.unified, 'cgroup.kill'), '');
    put(join(plan.controllerDirs.unified, 'cgroup.procs'), '5\n6\n');
    const host = new RecordingHost();
    await driver.kill(host, plan);
    expect(lines(host.calls)).toEqual(['write $R/user.slice/session-1.scope/r/c1/cgroup.kill 1']);
  });

  it('other signals (or no cgroup.kill): freeze, signal each pid, thaw', async () => {
    const driver = setup();
    const plan = driver.plan('c1', 'r', {});
    put(join(plan.controllerDirs.unified, 'cgroup.procs'), '5\n6\n');
    const host = new RecordingHost();
    await driver.kill(host, plan, 'SIGTERM');
    const d = '$R/user.slice/session-1.scope/r/c1';
    expect(lines(host.calls)).toEqual([`write ${d}/cgroup.freeze 1`, `# wait until ${d}/cgroup.events shows "frozen 1"`, 'kill 5 SIGTERM', 'kill 6 SIGTERM', `write ${d}/cgroup.freeze 0`]);
  });

  it('stats: memory.current minus inactive_file, cpu.stat µs → ns, pids; OOM kills from memory.events', async () => {
    const driver = setup();
    const plan = driver.plan('c1', 'r', {});
    const d = plan.controllerDirs.unified;
    put(join(d, 'cgroup.procs'), '9\n');
    put(join(d, 'memory.current'), '5000000\n');
    put(join(d, 'memory.stat'), 'anon 100\nfile 200\ninactive_file 1000000\n');
    put(join(d, 'memory.max'), 'max\n');
    put(join(d, 'cpu.stat'), 'usage_usec 2500\nuser_usec 2000\nsystem_usec 500\n');
    put(join(d, 'pids.current'), '1\n');
    put(join(d, 'pids.max'), '20\n');
    put(join(d, 'memory.events'), 'low 0\nhigh 0\nmax 7\noom 2\noom_kill 1\noom_group_kill 0\n');
    expect(await driver.stats(plan)).toEqual({ memoryUsage: 4000000, memoryLimit: null, cpuUsageNs: 2_500_000, pidsCurrent: 1, pidsLimit: 20 });
    expect(await driver.oomKillCount(plan)).toBe(1);
  });

  it('remove: container, then the empty relative parents, deepest first', async () => {
    const driver = setup();
    const host = new RecordingHost();
    await driver.remove(host, driver.plan('c1', 'a/b', {}));
    const own = '$R/user.slice/session-1.scope';
    expect(lines(host.calls)).toEqual([`rmdir ${own}/a/b/c1`, `rmdir ${own}/a/b`, `rmdir ${own}/a`]);
  });
});
