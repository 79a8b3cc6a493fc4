import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { existsSync, mkdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { detectCgroups, type V1Layout } from '../../../src/cgroups/detect.js';
import { V1Driver } from '../../../src/cgroups/v1.js';
import { RealHost } from '../../../src/host/real.js';
import { DryRunHost, RecordingHost, type HostCall } from '../../../src/host/script.js';
import { MinidockError } from '../../../src/errors.js';
import { fakeHybrid, put, type FakeTree } from './fake.js';
import { FailingHost, FreezingHost } from './hosts.js';

const MiB = 1024 * 1024;
let tree: FakeTree;
let driver: V1Driver;

beforeEach(() => {
  tree = fakeHybrid();
  driver = new V1Driver(detectCgroups(tree) as V1Layout, { numCpus: 2, freezeTimeoutMs: 100, removeTimeoutMs: 50 });
});
afterEach(() => tree.cleanup());

/** Calls with the temp root replaced by $R, one line each. */
function lines(calls: HostCall[]): string[] {
  return calls.map((c) => {
    const s = c.op === 'writeFile' ? `write ${c.path} ${c.data}` : c.op === 'kill' ? `kill ${c.pid} ${c.signal}` : c.op === 'comment' ? `# ${c.text}` : `${c.op} ${'path' in c ? c.path : ''}`;
    return s.split(tree.root).join('$R');
  });
}

const DEVICES = [
  'write $R/devices/t/c1/devices.deny a',
  'write $R/devices/t/c1/devices.allow c *:* m',
  'write $R/devices/t/c1/devices.allow b *:* m',
  'write $R/devices/t/c1/devices.allow c 1:3 rwm',
  'write $R/devices/t/c1/devices.allow c 1:5 rwm',
  'write $R/devices/t/c1/devices.allow c 1:7 rwm',
  'write $R/devices/t/c1/devices.allow c 1:8 rwm',
  'write $R/devices/t/c1/devices.allow c 1:9 rwm',
  'write $R/devices/t/c1/devices.allow c 5:0 rwm',
  'write $R/devices/t/c1/devices.allow c 5:1 rwm',
  'write $R/devices/t/c1/devices.allow c 5:2 rwm',
  'write $R/devices/t/c1/devices.allow c 136:* rwm',
  'write $R/devices/t/c1/devices.allow c 10:200 rwm',
];

describe('V1Driver.plan + create', () => {
  it('a relative parent lands beneath our own cgroup of each controller; exact writes', async () => {
    const plan = driver.plan('c1', 't', { memory: 32 * MiB, nanoCpus: 0.5e9, pidsLimit: 50 });
    expect(plan.procs.map((p) => p.replace(tree.root, '$R'))).toEqual([
      '$R/cpu/t/c1/cgroup.procs',
      '$R/cpuacct/t/c1/cgroup.procs',
      '$R/memory/process_api/abc/t/c1/cgroup.procs',
      '$R/devices/t/c1/cgroup.procs',
      '$R/freezer/t/c1/cgroup.procs',
      '$R/pids/t/c1/cgroup.procs',
    ]);
    expect(plan.controllerDirs.memory).toBe(join(tree.root, 'memory/process_api/abc/t/c1'));
    expect(plan.dirs.filter((d) => d.role === 'parent').every((d) => d.removeWhenEmpty)).toBe(true);
    expect(plan.warnings).toEqual([]);
    const host = new RecordingHost();
    await driver.create(host, plan);
    expect(lines(host.calls)).toEqual([
      'mkdir $R/cpu/t',
      'mkdir $R/cpu/t/c1',
      'mkdir $R/cpuacct/t',
      'mkdir $R/cpuacct/t/c1',
      'mkdir $R/memory/process_api/abc/t',
      'mkdir $R/memory/process_api/abc/t/c1',
      'mkdir $R/devices/t',
      'mkdir $R/devices/t/c1',
      ...DEVICES,
      'mkdir $R/freezer/t',
      'mkdir $R/freezer/t/c1',
      'mkdir $R/pids/t',
      'mkdir $R/pids/t/c1',
      'write $R/memory/process_api/abc/t/c1/memory.limit_in_bytes 33554432',
      'write $R/memory/process_api/abc/t/c1/memory.memsw.limit_in_bytes 67108864',
      'write $R/cpu/t/c1/cpu.cfs_period_us 100000',
      'write $R/cpu/t/c1/cpu.cfs_quota_us 50000',
      'write $R/pids/t/c1/pids.max 50',
    ]);
    // Every step carries its reason for --dry-run.
    expect(host.calls.filter((c) => c.op === 'writeFile').every((c) => c.why)).toBe(true);
  });

  it('the default parent is /minidock at each hierarchy root, removed with its last container', async () => {
    const plan = driver.plan('c1', undefined, {});
    expect(plan.parent).toBe('/minidock');
    expect(plan.controllerDirs.memory).toBe(join(tree.root, 'memory/minidock/c1'));
    expect(plan.dirs.find((d) => d.path === join(tree.root, 'memory/minidock'))).toMatchObject({ role: 'parent', removeWhenEmpty: true });
    const host = new RecordingHost();
    await driver.remove(host, plan);
    const controllers = ['cpu', 'cpuacct', 'devices', 'freezer', 'memory', 'pids'];
    expect(lines(host.calls).sort()).toEqual(controllers.flatMap((c) => [`rmdir $R/${c}/minidock`, `rmdir $R/${c}/minidock/c1`]).sort());
  });

  it('an absolute parent the user names is kept on removal: it may not be ours', async () => {
    const plan = driver.plan('c1', '/system.slice', {});
    expect(plan.dirs.find((d) => d.path === join(tree.root, 'memory/system.slice'))).toMatchObject({ role: 'parent', removeWhenEmpty: false });
    const host = new RecordingHost();
    await driver.remove(host, plan);
    expect(lines(host.calls).sort()).toEqual(['cpu', 'cpuacct', 'devices', 'freezer', 'memory', 'pids'].map((c) => `rmdir $R/${c}/system.slice/c1`));
  });

  it('a parent removed by another container meanwhile (ENOENT) makes the plan run again', async () => {
    const host = new FailingHost('pids.max', 'ENOENT', 1);
    await driver.create(host, driver.plan('c1', 't', { pidsLimit: 5 }));
    const calls = lines(host.calls);
    // made, undone after the failed write, made again; the write succeeds the second time
    expect(calls.filter((l) => l.endsWith('pids/t/c1'))).toEqual(['mkdir $R/pids/t/c1', 'rmdir $R/pids/t/c1', 'mkdir $R/pids/t/c1']);
    expect(calls.filter((l) => l.endsWith('pids.max 5'))).toEqual(['write $R/pids/t/c1/pids.max 5']);
    // …but not forever, and not for other errors
    await expect(driver.create(new FailingHost('pids.max', 'ENOENT'), driver.plan('c2', 't', { pidsLimit: 5 }))).rejects.toThrow(/pids.max/);
    const einval = new FailingHost('pids.max', 'EINVAL');
    await expect(driver.create(einval, driver.plan('c3', 't', { pidsLimit: 5 }))).rejects.toThrow(/pids.max/);
    expect(lines(einval.calls).filter((l) => l.startsWith('write') && l.endsWith('pids.max 5'))).toHaveLength(0);
  });

  it('cpuset is made only for --cpuset-*, filled from the parent before the limit (real files)', async () => {
    expect(driver.plan('c1', 't', {}).controllerDirs.cpuset).toBeUndefined();
    const plan = driver.plan('c1', 't/u', { cpusetCpus: '1' });
    await driver.create(new RealHost(), plan);
    const cs = (p: string) => readFileSync(join(tree.root, 'cpuset', p), 'utf8');
    expect([cs('t/cpuset.cpus'), cs('t/cpuset.mems'), cs('t/u/cpuset.cpus'), cs('t/u/c1/cpuset.mems'), cs('t/u/c1/cpuset.cpus')]).toEqual(['0-1', '0', '0-1', '0', '1']);
    expect(readFileSync(join(plan.controllerDirs.devices, 'devices.deny'), 'utf8')).toBe('a');
  });

  it('an existing cpuset value is not overwritten', async () => {
    put(join(tree.root, 'cpuset/t/cpuset.cpus'), '1\n');
    const host = new RecordingHost();
    await driver.create(host, driver.plan('c1', 't', { cpusetMems: '0' }));
    const cpus = lines(host.calls).filter((l) => l.includes('cpuset.cpus'));
    expect(cpus).toEqual(['write $R/cpuset/t/c1/cpuset.cpus 1']);
  });

  it('dry-run prints a script that explains each step', async () => {
    const host = new DryRunHost();
    await driver.create(host, driver.plan('c1', 't', { memory: 32 * MiB }));
    const script = host.script().split(tree.root).join('$R');
    expect(script).toContain('# --memory\necho 33554432 > $R/memory/process_api/abc/t/c1/memory.limit_in_bytes\n');
    expect(script).toContain('# devices: deny all devices, then allow the defaults\necho a > $R/devices/t/c1/devices.deny\n');
  });

  it('a failing write undoes the directories it made, deepest first, and keeps existing ones', async () => {
    mkdirSync(join(tree.root, 'pids/t'));
    const host = new FailingHost('pids.max', 'EINVAL');
    await expect(driver.create(host, driver.plan('c1', 't', { pidsLimit: 5 }))).rejects.toThrow(/creating the cgroups of container c1: cannot write 5 to .*pids.max/);
    const undo = lines(host.calls.slice(host.calls.findIndex((c) => c.op === 'rmdir')));
    expect(undo).toEqual([
      'rmdir $R/pids/t/c1',
      'rmdir $R/freezer/t/c1',
      'rmdir $R/freezer/t',
      'rmdir $R/devices/t/c1',
      'rmdir $R/devices/t',
      'rmdir $R/memory/process_api/abc/t/c1',
      'rmdir $R/memory/process_api/abc/t',
      'rmdir $R/cpuacct/t/c1',
      'rmdir $R/cpuacct/t',
      'rmdir $R/cpu/t/c1',
      'rmdir $R/cpu/t',
    ]);
  });

  it('rejects a parent that climbs out of our cgroup', () => {
    expect(() => driver.plan('c1', '../x', {})).toThrow(/invalid --cgroup-parent/);
    expect(() => driver.plan('../c1', 't', {})).toThrow(/invalid cgroup name/);
  });
});

describe('V1Driver.remove', () => {
  it('removes the container and empty relative parents, deepest first, per hierarchy', async () => {
    const plan = driver.plan('c1', 'a/b', {});
    const host = new RecordingHost();
    await driver.remove(host, plan);
    const memory = lines(host.calls).filter((l) => l.includes('/memory/'));
    expect(memory).toEqual(['rmdir $R/memory/process_api/abc/a/b/c1', 'rmdir $R/memory/process_api/abc/a/b', 'rmdir $R/memory/process_api/abc/a']);
    expect(host.calls).toHaveLength(18);
  });

  it('reports a cgroup that still has processes and leaves it and its parents', async () => {
    const plan = driver.plan('c1', 't', {});
    put(join(plan.controllerDirs.freezer, 'cgroup.procs'), '4242\n4243\n');
    const host = new RecordingHost();
    const err = await driver.remove(host, plan).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(MinidockError);
    expect((err as MinidockError).kind).toBe('conflict');
    expect((err as MinidockError).message).toMatch(/freezer\/t\/c1 still has processes 4242 4243/);
    expect(lines(host.calls).filter((l) => l.includes('/freezer/'))).toEqual([]);
    expect(lines(host.calls).filter((l) => l.includes('/memory/'))).toHaveLength(2);
  });
});

describe('V1Driver freeze, kill, stats', () => {
  it('freeze writes FROZEN and reads it back; thaw writes THAWED (real files)', async () => {
    const plan = driver.plan('c1', 't', {});
    await driver.create(new RealHost(), plan);
    await driver.freeze(new RealHost(), plan);
    expect(await driver.isFrozen(plan)).toBe(true);
    await driver.thaw(new RealHost(), plan);
    expect(await driver.isFrozen(plan)).toBe(false);
  });

  it('a freeze stuck in FREEZING is thawed back and reported', async () => {
    const plan = driver.plan('c1', 't', {});
    await driver.create(new RealHost(), plan);
    const host = new FreezingHost();
    await expect(driver.freeze(host, plan)).rejects.toThrow(/stayed FREEZING/);
    expect(readFileSync(join(plan.controllerDirs.freezer, 'freezer.state'), 'utf8')).toBe('THAWED');
    expect(host.writes.length).toBeGreaterThan(2);
  });

  it('kill freezes, signals every pid by number, then thaws', async () => {
    const plan = driver.plan('c1', 't', {});
    put(join(plan.controllerDirs.freezer, 'cgroup.procs'), '101\n102\n');
    const host = new RecordingHost();
    await driver.kill(host, plan);
    expect(lines(host.calls)).toEqual([
      'write $R/freezer/t/c1/freezer.state FROZEN',
      '# wait until $R/freezer/t/c1/freezer.state reads FROZEN',
      'kill 101 SIGKILL',
      'kill 102 SIGKILL',
      'write $R/freezer/t/c1/freezer.state THAWED',
    ]);
  });

  it('a paused container keeps paused for SIGTERM, and is thawed for SIGKILL so the processes can die', async () => {
    const plan = driver.plan('c1', 't', {});
    put(join(plan.controllerDirs.freezer, 'freezer.state'), 'FROZEN\n');
    put(join(plan.controllerDirs.freezer, 'cgroup.procs'), '7\n');
    const term = new RecordingHost();
    await driver.kill(term, plan, 'SIGTERM');
    expect(lines(term.calls)).toEqual(['kill 7 SIGTERM']);
    const kill = new RecordingHost();
    await driver.kill(kill, plan, 'SIGKILL');
    expect(lines(kill.calls)).toEqual(['kill 7 SIGKILL', 'write $R/freezer/t/c1/freezer.state THAWED']);
  });

  it('stats: usage minus total_inactive_file, limits, cpuacct, pids; OOM kills', async () => {
    const plan = driver.plan('c1', 't', {});
    const d = plan.controllerDirs;
    put(join(d.memory, 'memory.usage_in_bytes'), '10485760\n');
    put(join(d.memory, 'memory.stat'), 'cache 4096\ninactive_file 1\ntotal_inactive_file 2097152\n');
    put(join(d.memory, 'memory.limit_in_bytes'), '33554432\n');
    put(join(d.memory, 'memory.oom_control'), 'oom_kill_disable 0\nunder_oom 0\noom_kill 3\n');
    put(join(d.cpuacct, 'cpuacct.usage'), '123456789\n');
    put(join(d.pids, 'pids.current'), '4\n');
    put(join(d.pids, 'pids.max'), 'max\n');
    put(join(d.freezer, 'cgroup.procs'), '1\n2\n');
    put(join(d.freezer, 'sub', 'cgroup.procs'), '3\n');
    expect(await driver.stats(plan)).toEqual({ memoryUsage: 8388608, memoryLimit: 33554432, cpuUsageNs: 123456789, pidsCurrent: 4, pidsLimit: null });
    expect(await driver.oomKillCount(plan)).toBe(3);
    expect(await driver.pids(plan)).toEqual([1, 2, 3]);
    put(join(d.memory, 'memory.limit_in_bytes'), '9223372036854771712\n');
    expect((await driver.stats(plan)).memoryLimit).toBeNull();
  });

  it('a cgroup that is gone: stats is a not-found error, pids empty, kill a no-op', async () => {
    const plan = driver.plan('gone', 't', {});
    await expect(driver.stats(plan)).rejects.toMatchObject({ kind: 'not-found' });
    expect(await driver.pids(plan)).toEqual([]);
    expect(await driver.oomKillCount(plan)).toBe(0);
    const host = new RecordingHost();
    await driver.kill(host, plan);
    expect(host.calls).toEqual([]);
  });
});
