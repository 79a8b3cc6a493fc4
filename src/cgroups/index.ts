// Entry point of src/cgroups: detect the host's layout once and hand out the matching driver.
import type { CgroupLayout } from './detect.js';
import { readCgroupLayout, DEFAULT_CGROUP_ROOT } from './detect.js';
import type { CgroupDriver, DriverOptions } from './driver.js';
import { V1Driver } from './v1.js';
import { V2Driver } from './v2.js';

export function driverFor(layout: CgroupLayout, opts: DriverOptions = {}): CgroupDriver {
  return layout.mode === 'v2' ? new V2Driver(layout, opts) : new V1Driver(layout, opts);
}

/** The driver for this host (reads /proc/self/mountinfo and /proc/self/cgroup). */
export function openCgroups(opts: DriverOptions & { root?: string } = {}): CgroupDriver {
  return driverFor(readCgroupLayout(opts.root ?? DEFAULT_CGROUP_ROOT), opts);
}

export type { CgroupDriver, CgroupPlan, CgroupStep, CgroupDir, CgroupStats, DriverOptions, CgroupMode } from './driver.js';
export type { CgroupLayout, V1Layout, V2Layout, V1Hierarchy } from './detect.js';
export { detectCgroups, readCgroupLayout, parseMountinfo, parseProcCgroup, DEFAULT_CGROUP_ROOT } from './detect.js';
export type { Limits, LimitSupport, LimitWrite } from './limits.js';
export { resolveLimits, planV1Writes, planV2Writes, cpuSharesToWeight, memorySwapToV2, parseCpuList } from './limits.js';
export { DEFAULT_CGROUP_PARENT } from './parent.js';
export { DEFAULT_DEVICE_RULES } from './devices.js';
export { V1Driver } from './v1.js';
export { V2Driver } from './v2.js';
export { CgroupPlanSchema, parseCgroupPlan } from './schema.js';
