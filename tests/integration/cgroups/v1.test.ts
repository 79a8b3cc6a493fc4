// cgroup v1 on the real kernel (these hosts are hybrid). Every cgroup is made beneath this
// process's own cgroup of each controller and removed in afterEach, even after a failure.
import { afterEach, describe, expect, it } from 'vitest';
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { readCgroupLayout, type CgroupLayout } from '../../../src/cgroups/detect.js';
import { driverFor } from '../../../src/cgroups/index.js';
import type { CgroupPlan } from '../../../src/cgroups/driver.js';
import { cleanUp, containerId, host, sleep, startIn, uniqueParent, type Started } from './helpers.js';

const MiB = 1024 * 1024;
let layout: CgroupLayout | undefined;
try {
  layout = readCgroupLayout();
} catch {
  layout = undefined;
}
const runnable = process.getuid?.() === 0 && layout?.mode === 'v1';
const driver = layout ? driverFor(layout, { removeTimeoutMs: 300 }) : undefined!;

let plan: CgroupPlan | undefined;
let started: Started[] = [];
afterEach(async () => {
  const p = plan;
  plan = undefined;
  const s = started;
  started = [];
  await cleanUp(driver, p, s);
});

const read = (dir: string, file: string) => readFileSync(join(dir, file), 'utf8').trim();
const state = (pid: number) => /^State:\s+(\S)/m.exec(readFileSync(`/proc/${pid}/status`, 'utf8'))?.[1];

describe.skipIf(!runnable)('cgroup v1 driver on the real kernel', () => {
  it('limits, a process that joins, stats, freeze/thaw, kill, and nothing left after remove', async () => {
    plan = driver.plan(containerId(), uniqueParent(), { memory: 32 * MiB, nanoCpus: 0.5e9, cpuShares: 512, pidsLimit: 50 });
    const d = plan.controllerDirs;
    // Our parent sits under this process's own cgroup (e.g. memory:/process_api/<id>).
    const own = /^\d+:memory:(.*)$/m.exec(readFileSync('/proc/self/cgroup', 'utf8'))![1];
    expect(d.memory.startsWith(join('/sys/fs/cgroup/memory', own) + '/')).toBe(true);
    await driver.create(host, plan);

    expect(read(d.memory, 'memory.limit_in_bytes')).toBe(String(32 * MiB));
    if (existsSync(join(d.memory, 'memory.memsw.limit_in_bytes'))) expect(read(d.memory, 'memory.memsw.limit_in_bytes')).toBe(String(64 * MiB));
    expect([read(d.cpu, 'cpu.cfs_quota_us'), read(d.cpu, 'cpu.cfs_period_us'), read(d.cpu, 'cpu.shares'), read(d.pids, 'pids.max')]).toEqual(['50000', '100000', '512', '50']);
    const devices = read(d.devices, 'devices.list').split('\n');
    expect(devices).toContain('c 1:3 rwm');
    expect(devices).toContain('c 136:* rwm');
    expect(devices).not.toContain('a *:* rwm');

    const s = await startIn(driver, plan, 'exec sleep 30');
    started.push(s);
    expect(await driver.pids(plan)).toEqual([s.pid]);
    const cg = readFileSync(`/proc/${s.pid}/cgroup`, 'utf8');
    expect(cg).toContain(`memory:${d.memory.slice('/sys/fs/cgroup/memory'.length)}\n`);

    const stats = await driver.stats(plan);
    expect(stats.memoryLimit).toBe(32 * MiB);
    expect(stats.pidsCurrent).toBe(1);
    expect(stats.pidsLimit).toBe(50);
    expect(stats.memoryUsage).toBeGreaterThan(0);
    expect(stats.cpuUsageNs).toBeGreaterThan(0);

    await driver.freeze(host, plan);
    expect(read(d.freezer, 'freezer.state')).toBe('FROZEN');
    expect(await driver.isFrozen(plan)).toBe(true);
    expect(state(s.pid)).toBe('D'); // v1 frozen tasks show as uninterruptible sleep
    await driver.thaw(host, plan);
    expect(await driver.isFrozen(plan)).toBe(false);
    expect(state(s.pid)).toBe('S');

    await driver.kill(host, plan);
    expect((await s.exit).signal).toBe('SIGKILL');
    expect(await driver.oomKillCount(plan)).toBe(0);

    await driver.remove(host, plan);
    for (const dir of plan.dirs) expect(existsSync(dir.path), dir.path).toBe(false);
    expect(await driver.pids(plan)).toEqual([]);
  });

  it('a frozen busy loop uses no CPU until thawed', async () => {
    plan = driver.plan(containerId(), uniqueParent(), {});
    await driver.create(host, plan);
    started.push(await startIn(driver, plan, 'while :; do :; done'));
    await sleep(50);
    await driver.freeze(host, plan);
    const a = (await driver.stats(plan)).cpuUsageNs;
    await sleep(200);
    const b = (await driver.stats(plan)).cpuUsageNs;
    expect(b).toBe(a);
    await driver.thaw(host, plan);
    await sleep(200);
    expect((await driver.stats(plan)).cpuUsageNs).toBeGreaterThan(b + 20e6);
  });

  it('the OOM killer is counted when a process outgrows --memory', async () => {
    plan = driver.plan(containerId(), uniqueParent(), { memory: 32 * MiB });
    await driver.create(host, plan);
    // tail keeps a whole newline-free input in memory: 128 MiB cannot fit in 32.
    const s = await startIn(driver, plan, 'head -c 134217728 /dev/zero | tail > /dev/null');
    started.push(s);
    const { code } = await s.exit;
    expect(code).not.toBe(0);
    expect(await driver.oomKillCount(plan)).toBeGreaterThanOrEqual(1);
  });

  it('the device rules deny what Docker denies and allow /dev/null', async () => {
    plan = driver.plan(containerId(), uniqueParent(), {});
    await driver.create(host, plan);
    const ok = await startIn(driver, plan, 'echo x > /dev/null && : < /dev/urandom');
    started.push(ok);
    expect(await ok.exit).toMatchObject({ code: 0, stderr: '' });
    const denied = await startIn(driver, plan, ': < /dev/kmsg'); // c 1:11, not in the allow list
    started.push(denied);
    const r = await denied.exit;
    expect(r.code).not.toBe(0);
    expect(r.stderr).toMatch(/Operation not permitted/);
  });

  it('remove reports a cgroup that still has a process, then succeeds after kill', async () => {
    plan = driver.plan(containerId(), uniqueParent(), {});
    await driver.create(host, plan);
    const s = await startIn(driver, plan, 'exec sleep 30');
    started.push(s);
    await expect(driver.remove(host, plan)).rejects.toThrow(new RegExp(`still has processes ${s.pid}`));
    expect(existsSync(plan.controllerDirs.memory)).toBe(true);
    expect(existsSync(plan.controllerDirs.freezer)).toBe(true);
    await driver.kill(host, plan);
    await s.exit;
    await driver.remove(host, plan);
    for (const dir of plan.dirs) expect(existsSync(dir.path), dir.path).toBe(false);
  });
});
