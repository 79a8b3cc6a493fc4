import { describe, expect, it } from 'vitest';
import {
  cpuSharesToWeight,
  memorySwapToV2,
  parseCpuList,
  planV1Writes,
  planV2Writes,
  resolveLimits,
  type LimitSupport,
  type Limits,
} from '../../../src/cgroups/limits.js';

const MiB = 1024 * 1024;
const ALL: LimitSupport = { memory: true, swap: true, cpu: true, pids: true, cpuset: true, numCpus: 2 };

describe('resolveLimits: Docker semantics', () => {
  it.each<[string, Limits, Limits]>([
    ['--memory alone: memory+swap is twice the memory', { memory: 32 * MiB }, { memory: 32 * MiB, memorySwap: 64 * MiB }],
    ['--memory-swap equal to --memory: no swap', { memory: 32 * MiB, memorySwap: 32 * MiB }, { memory: 32 * MiB, memorySwap: 32 * MiB }],
    ['--memory-swap -1: unlimited swap', { memory: 32 * MiB, memorySwap: -1 }, { memory: 32 * MiB, memorySwap: -1 }],
    ['--memory-swap -1 alone means nothing', { memorySwap: -1 }, { memorySwap: undefined }],
    ['--cpu-shares is clamped to the kernel range', { cpuShares: 1 }, { cpuShares: 2 }],
    ['--cpu-shares above the maximum', { cpuShares: 500_000 }, { cpuShares: 262_144 }],
  ])('%s', (_, input, expected) => {
    expect(resolveLimits(input, ALL)).toEqual({ limits: expected, warnings: [] });
  });

  it.each<[string, Limits, RegExp]>([
    ['memory under 6MB', { memory: 4 * MiB }, /^Minimum memory limit allowed is 6MB$/],
    ['memory-swap below memory', { memory: 64 * MiB, memorySwap: 32 * MiB }, /Minimum memoryswap limit should be larger than memory limit/],
    ['memory-swap without memory', { memorySwap: 64 * MiB }, /You should always set the Memory limit when using Memoryswap limit/],
    ['--cpus beyond the host', { nanoCpus: 3e9 }, /^range of CPUs is from 0.01 to 2.00, as there are only 2 CPUs available$/],
    ['--cpus with --cpu-period', { nanoCpus: 1e9, cpuPeriod: 50_000 }, /Conflicting options: Nano CPUs and CPU Period/],
    ['--cpus with --cpu-quota', { nanoCpus: 1e9, cpuQuota: 50_000 }, /Conflicting options: Nano CPUs and CPU Quota/],
    ['period under 1ms', { cpuPeriod: 999 }, /CPU cfs period can not be less than 1ms/],
    ['quota under 1ms', { cpuQuota: 500 }, /CPU cfs quota can not be less than 1ms/],
    ['cpuset syntax', { cpusetCpus: '1-' }, /Invalid value 1- for cpuset cpus/],
    ['cpuset beyond the host', { cpusetCpus: '0-3' }, /Requested CPUs are not available - requested 0-3, available: 0-1/],
  ])('rejects %s', (_, input, message) => {
    expect(() => resolveLimits(input, ALL)).toThrow(message);
  });

  it('without swap accounting, swap is left unlimited with Docker\'s warning', () => {
    const r = resolveLimits({ memory: 32 * MiB }, { ...ALL, swap: false });
    expect(r.limits).toEqual({ memory: 32 * MiB, memorySwap: -1 });
    expect(r.warnings).toEqual(['Your kernel does not support swap limit capabilities or the cgroup is not mounted. Memory limited without swap.']);
  });

  it('drops limits for missing controllers with warnings', () => {
    const r = resolveLimits({ memory: 32 * MiB, pidsLimit: 10, nanoCpus: 1e9, cpusetCpus: '0' }, { ...ALL, memory: false, pids: false, cpu: false, cpuset: false });
    expect(r.limits).toEqual({ memory: undefined, memorySwap: undefined, pidsLimit: undefined, nanoCpus: undefined, cpuPeriod: undefined, cpuQuota: undefined, cpuShares: undefined, cpusetCpus: undefined, cpusetMems: undefined });
    expect(r.warnings).toHaveLength(4);
    expect(r.warnings[0]).toMatch(/does not support memory limit/);
  });
});

describe('planV1Writes', () => {
  const v1 = (l: Limits, current?: number) => planV1Writes(resolveLimits(l, ALL).limits, { swapAccounting: true, currentMemoryLimit: current }).map((w) => `${w.controller}/${w.file}=${w.value}`);

  it('a new cgroup: memory is lowered first, then memsw (memory <= memsw at every step)', () => {
    expect(v1({ memory: 32 * MiB })).toEqual(['memory/memory.limit_in_bytes=33554432', 'memory/memory.memsw.limit_in_bytes=67108864']);
  });

  it('raising above the current memory limit: memsw first (runc setMemoryAndSwap)', () => {
    expect(v1({ memory: 128 * MiB, memorySwap: 256 * MiB }, 32 * MiB)).toEqual([
      'memory/memory.memsw.limit_in_bytes=268435456',
      'memory/memory.limit_in_bytes=134217728',
    ]);
  });

  it('unlimited swap is written before the memory limit', () => {
    expect(v1({ memory: 32 * MiB, memorySwap: -1 })).toEqual(['memory/memory.memsw.limit_in_bytes=-1', 'memory/memory.limit_in_bytes=33554432']);
  });

  it('no memsw write without swap accounting', () => {
    const l = resolveLimits({ memory: 32 * MiB }, { ...ALL, swap: false }).limits;
    expect(planV1Writes(l, { swapAccounting: false }).map((w) => w.file)).toEqual(['memory.limit_in_bytes']);
  });

  it('everything, in order: cpuset, memory, cpu period before quota, shares, pids', () => {
    expect(v1({ memory: 64 * MiB, nanoCpus: 1.5e9, cpuShares: 512, pidsLimit: 100, cpusetCpus: '0-1', cpusetMems: '0' })).toEqual([
      'cpuset/cpuset.cpus=0-1',
      'cpuset/cpuset.mems=0',
      'memory/memory.limit_in_bytes=67108864',
      'memory/memory.memsw.limit_in_bytes=134217728',
      'cpu/cpu.cfs_period_us=100000',
      'cpu/cpu.cfs_quota_us=150000',
      'cpu/cpu.shares=512',
      'pids/pids.max=100',
    ]);
  });

  it('explicit quota and period; pids-limit 0 or -1 is unlimited', () => {
    expect(v1({ cpuQuota: 20_000, cpuPeriod: 50_000, pidsLimit: -1 })).toEqual(['cpu/cpu.cfs_period_us=50000', 'cpu/cpu.cfs_quota_us=20000', 'pids/pids.max=max']);
    expect(v1({ pidsLimit: 0 })).toEqual(['pids/pids.max=max']);
    expect(v1({})).toEqual([]);
  });
});

describe('planV2Writes', () => {
  const v2 = (l: Limits, swap = true) => planV2Writes(resolveLimits(l, { ...ALL, swap }).limits, { swapAccounting: swap }).map((w) => `${w.file}=${w.value}`);

  it('memory.swap.max is swap alone: memory+swap minus memory', () => {
    expect(v2({ memory: 32 * MiB })).toEqual(['memory.max=33554432', 'memory.swap.max=33554432']);
    expect(v2({ memory: 32 * MiB, memorySwap: 32 * MiB })).toEqual(['memory.max=33554432', 'memory.swap.max=0']);
    expect(v2({ memory: 32 * MiB, memorySwap: -1 })).toEqual(['memory.max=33554432', 'memory.swap.max=max']);
    expect(v2({ memory: 32 * MiB }, false)).toEqual(['memory.max=33554432']);
  });

  it('cpu.max is "quota period", cpu.weight converted from shares, pids.max', () => {
    expect(v2({ nanoCpus: 0.5e9, cpuShares: 1024, pidsLimit: 64 })).toEqual(['cpu.max=50000 100000', 'cpu.weight=39', 'pids.max=64']);
    expect(v2({ cpuPeriod: 50_000 })).toEqual(['cpu.max=max 50000']);
    expect(v2({ cpuQuota: 20_000 })).toEqual(['cpu.max=20000']);
    expect(v2({ cpusetCpus: '1', pidsLimit: -1 })).toEqual(['cpuset.cpus=1', 'pids.max=max']);
  });
});

describe('conversions', () => {
  it.each([
    [2, 1],
    [512, 20],
    [1024, 39],
    [2048, 79],
    [262_144, 10_000],
  ])('cpu.shares %i → cpu.weight %i', (shares, weight) => {
    expect(cpuSharesToWeight(shares)).toBe(weight);
  });

  it('memorySwapToV2 follows runc', () => {
    expect(memorySwapToV2(undefined, 100)).toBeUndefined();
    expect(memorySwapToV2(-1, 100)).toBe('max');
    expect(memorySwapToV2(300, 100)).toBe(200);
    expect(() => memorySwapToV2(50, 100)).toThrow(/memory\+swap limit should be >= memory limit/);
  });

  it('parseCpuList', () => {
    expect(parseCpuList('0-2,4')).toEqual([0, 1, 2, 4]);
    expect(parseCpuList('3')).toEqual([3]);
    expect(parseCpuList('2-1')).toBeUndefined();
    expect(parseCpuList('a')).toBeUndefined();
  });
});
