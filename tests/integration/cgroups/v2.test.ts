// The cgroup v2 driver on the real kernel. On a pure v2 host it uses /sys/fs/cgroup; on a
// hybrid host like these it uses the cgroup2 mount at /sys/fs/cgroup/unified, which offers
// no limit controllers but has the core files (cgroup.procs, cgroup.freeze, cgroup.kill,
// cgroup.events, cpu.stat) that pause, kill, pids and CPU stats rely on.
import { afterEach, describe, expect, it } from 'vitest';
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { readCgroupLayout, type CgroupLayout } from '../../../src/cgroups/detect.js';
import { driverFor } from '../../../src/cgroups/index.js';
import type { CgroupPlan } from '../../../src/cgroups/driver.js';
import { cleanUp, containerId, host, sleep, startIn, uniqueParent, type Started } from './helpers.js';

const MiB = 1024 * 1024;
function v2Layout(): CgroupLayout | undefined {
  try {
    const l = readCgroupLayout();
    if (l.mode === 'v2') return l;
    return l.unified ? readCgroupLayout(l.unified) : undefined;
  } catch {
    return undefined;
  }
}
const layout = v2Layout();
const runnable = process.getuid?.() === 0 && layout?.mode === 'v2';
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

const events = (dir: string) => readFileSync(join(dir, 'cgroup.events'), 'utf8');

describe.skipIf(!runnable)('cgroup v2 driver on the real kernel', () => {
  it('a process joins, is frozen and thawed, killed with cgroup.kill, and nothing is left', async () => {
    plan = driver.plan(containerId(), uniqueParent(), { memory: 32 * MiB });
    const dir = plan.controllerDirs.unified;
    if (layout?.mode === 'v2' && layout.ownControllers.includes('memory')) {
      expect(plan.warnings).toEqual([]);
    } else {
      // The hybrid unified mount offers only hugetlb: Docker's warning, no memory.max write.
      expect(plan.warnings).toEqual(['Your kernel does not support memory limit capabilities or the cgroup is not mounted. Limitation discarded.']);
      expect(plan.steps.some((s) => s.op === 'write')).toBe(false);
    }
    await driver.create(host, plan);
    if (plan.warnings.length === 0) expect(readFileSync(join(dir, 'memory.max'), 'utf8').trim()).toBe(String(32 * MiB));

    const s = await startIn(driver, plan, 'while :; do :; done');
    started.push(s);
    expect(await driver.pids(plan)).toEqual([s.pid]);
    expect(events(dir)).toMatch(/^populated 1$/m);

    await driver.freeze(host, plan);
    expect(events(dir)).toMatch(/^frozen 1$/m);
    const a = (await driver.stats(plan)).cpuUsageNs;
    await sleep(200);
    expect((await driver.stats(plan)).cpuUsageNs).toBe(a);
    await driver.thaw(host, plan);
    expect(await driver.isFrozen(plan)).toBe(false);
    await sleep(200);
    expect((await driver.stats(plan)).cpuUsageNs).toBeGreaterThan(a + 20e6);

    await driver.kill(host, plan);
    expect((await s.exit).signal).toBe('SIGKILL');
    await driver.remove(host, plan);
    for (const d of plan.dirs) expect(existsSync(d.path), d.path).toBe(false);
  });

  it('SIGTERM reaches every process of the cgroup, children included', async () => {
    plan = driver.plan(containerId(), uniqueParent(), {});
    await driver.create(host, plan);
    const s = await startIn(driver, plan, 'sleep 30 & sleep 30 & wait');
    started.push(s);
    for (let i = 0; i < 100 && (await driver.pids(plan)).length < 3; i++) await sleep(10);
    expect((await driver.pids(plan)).length).toBe(3);
    await driver.kill(host, plan, 'SIGTERM');
    await s.exit;
    for (let i = 0; i < 100 && (await driver.pids(plan)).length > 0; i++) await sleep(10);
    expect(await driver.pids(plan)).toEqual([]);
    await driver.remove(host, plan);
    expect(existsSync(plan.controllerDirs.unified)).toBe(false);
  });
});
