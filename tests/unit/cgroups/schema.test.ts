import { afterEach, describe, expect, it } from 'vitest';
import { detectCgroups } from '../../../src/cgroups/detect.js';
import { driverFor } from '../../../src/cgroups/index.js';
import { parseCgroupPlan } from '../../../src/cgroups/schema.js';
import { fakeHybrid, fakeV2, type FakeTree } from './fake.js';

let tree: FakeTree;
afterEach(() => tree.cleanup());

describe('parseCgroupPlan', () => {
  it.each([
    ['v1', fakeHybrid],
    ['v2', fakeV2],
  ])('a %s plan survives JSON and validation unchanged', (_, make) => {
    tree = make();
    const plan = driverFor(detectCgroups(tree), { numCpus: 2 }).plan('c1', 'p/q', { memory: 64 * 1024 * 1024, cpusetCpus: '0', pidsLimit: 9 });
    expect(parseCgroupPlan(JSON.parse(JSON.stringify(plan)))).toEqual(plan);
  });

  it('rejects a plan whose directories could climb out of the hierarchy', () => {
    tree = fakeV2();
    const plan = driverFor(detectCgroups(tree)).plan('c1', 'p', {});
    const bad = { ...plan, dirs: [{ ...plan.dirs[0], path: '/sys/fs/cgroup/../../etc' }] };
    expect(() => parseCgroupPlan(bad)).toThrow(/absolute path without/);
    expect(() => parseCgroupPlan({ ...plan, mode: 'v3' })).toThrow();
  });
});
