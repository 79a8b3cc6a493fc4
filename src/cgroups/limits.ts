// Resource limits as plain data: Docker's semantics for the flags (`--memory`, `--memory-swap`,
// `--cpus`, `--cpu-shares`, `--pids-limit`, ...) and the control-file writes that express
// them on each cgroup version. Pure: no filesystem, golden-tested in tests/unit/cgroups.
import { usageError } from '../errors.js';

/** What the user asked for, in Docker's HostConfig units. Absent or 0 means "not set". */
export interface Limits {
  /** `--memory`, bytes. */
  memory?: number;
  /** `--memory-swap`: memory plus swap, bytes; -1 = unlimited swap. */
  memorySwap?: number;
  /** `--cpus` × 1e9. */
  nanoCpus?: number;
  /** `--cpu-period`, µs. */
  cpuPeriod?: number;
  /** `--cpu-quota`, µs per period; -1 = unlimited. */
  cpuQuota?: number;
  /** `--cpu-shares`: relative weight, kernel default 1024. */
  cpuShares?: number;
  /** `--pids-limit`; 0 or -1 = unlimited. */
  pidsLimit?: number;
  /** `--cpuset-cpus`, e.g. `0-2,4`. */
  cpusetCpus?: string;
  /** `--cpuset-mems`. */
  cpusetMems?: string;
}

/** What this host can enforce (detected from the cgroup layout). */
export interface LimitSupport {
  memory: boolean;
  /** Swap accounting: v1 `memory.memsw.*`, v2 `memory.swap.max`. */
  swap: boolean;
  cpu: boolean;
  pids: boolean;
  cpuset: boolean;
  numCpus: number;
}

export type LimitController = 'memory' | 'cpu' | 'pids' | 'cpuset';

/** One control-file write, relative to the container's cgroup of `controller`. */
export interface LimitWrite {
  controller: LimitController;
  file: string;
  value: string;
}

/** Docker's minimum for `--memory` (linuxMinMemory in moby's daemon/daemon_unix.go). */
export const MIN_MEMORY = 6 * 1024 * 1024;
/** The CFS period Docker uses for `--cpus` (100 ms). */
export const DEFAULT_CPU_PERIOD = 100_000;
/** The kernel clamps cpu.shares to [2, 262144] (MIN_SHARES/MAX_SHARES in kernel/sched). */
export const MIN_CPU_SHARES = 2;
export const MAX_CPU_SHARES = 262_144;

/**
 * Docker's defaults and checks, in the daemon's order (moby daemon/daemon_unix.go:
 * adaptContainerSettings, then verifyPlatformContainerResources). Returns the limits to
 * apply and the warnings `docker run` prints; throws usage errors with Docker's wording.
 */
export function resolveLimits(input: Limits, support: LimitSupport): { limits: Limits; warnings: string[] } {
  const l: Limits = { ...input };
  const warnings: string[] = [];
  // `--memory` alone: memory+swap defaults to twice the memory (swap as large as memory).
  if (pos(l.memory) && !l.memorySwap) l.memorySwap = l.memory! * 2;
  if (pos(l.memory) && l.memory! < MIN_MEMORY) throw usageError('Minimum memory limit allowed is 6MB');
  if (pos(l.memory) && !support.memory) {
    warnings.push('Your kernel does not support memory limit capabilities or the cgroup is not mounted. Limitation discarded.');
    l.memory = undefined;
    l.memorySwap = undefined;
  }
  if (pos(l.memory) && l.memorySwap !== -1 && !support.swap) {
    warnings.push('Your kernel does not support swap limit capabilities or the cgroup is not mounted. Memory limited without swap.');
    l.memorySwap = -1;
  }
  if (pos(l.memory) && pos(l.memorySwap) && l.memorySwap! < l.memory!) {
    throw usageError('Minimum memoryswap limit should be larger than memory limit, see usage');
  }
  if (!pos(l.memory) && pos(l.memorySwap)) {
    throw usageError('You should always set the Memory limit when using Memoryswap limit, see usage');
  }
  if (!pos(l.memory)) l.memorySwap = undefined;
  resolveCpu(l, support, warnings);
  if (l.pidsLimit !== undefined && !support.pids) {
    if (l.pidsLimit > 0) warnings.push('Your kernel does not support PIDs limit capabilities or the cgroup is not mounted. PIDs limit discarded.');
    l.pidsLimit = undefined;
  }
  resolveCpuset(l, support, warnings);
  return { limits: l, warnings };
}

function resolveCpu(l: Limits, support: LimitSupport, warnings: string[]): void {
  if (pos(l.nanoCpus) && pos(l.cpuPeriod)) throw usageError('Conflicting options: Nano CPUs and CPU Period cannot both be set');
  if (pos(l.nanoCpus) && pos(l.cpuQuota)) throw usageError('Conflicting options: Nano CPUs and CPU Quota cannot both be set');
  if (l.nanoCpus && (l.nanoCpus < 0 || l.nanoCpus > support.numCpus * 1e9)) {
    const n = support.numCpus;
    throw usageError(`range of CPUs is from 0.01 to ${n}.00, as there are only ${n} CPUs available`);
  }
  if (l.cpuPeriod && (l.cpuPeriod < 1000 || l.cpuPeriod > 1_000_000)) {
    throw usageError('CPU cfs period can not be less than 1ms (i.e. 1000) or larger than 1s (i.e. 1000000)');
  }
  if (pos(l.cpuQuota) && l.cpuQuota! < 1000) throw usageError('CPU cfs quota can not be less than 1ms (i.e. 1000)');
  if (l.cpuShares !== undefined && l.cpuShares < 0) throw usageError(`invalid CPU shares ${l.cpuShares}: must not be negative`);
  if (!support.cpu && (l.nanoCpus || l.cpuPeriod || l.cpuQuota || l.cpuShares)) {
    warnings.push('Your kernel does not support CPU CFS scheduler or the cgroup is not mounted. CPU limits discarded.');
    l.nanoCpus = l.cpuPeriod = l.cpuQuota = l.cpuShares = undefined;
  }
  // The kernel clamps shares silently on v1; do it here so v2's weight conversion sees the same value.
  if (l.cpuShares) l.cpuShares = Math.min(MAX_CPU_SHARES, Math.max(MIN_CPU_SHARES, l.cpuShares));
}

function resolveCpuset(l: Limits, support: LimitSupport, warnings: string[]): void {
  if (!l.cpusetCpus && !l.cpusetMems) return;
  if (!support.cpuset) {
    warnings.push('Your kernel does not support cpuset or the cgroup is not mounted. Cpuset discarded.');
    l.cpusetCpus = l.cpusetMems = undefined;
    return;
  }
  if (l.cpusetCpus) {
    const cpus = parseCpuList(l.cpusetCpus);
    if (!cpus) throw usageError(`Invalid value ${l.cpusetCpus} for cpuset cpus`);
    if (Math.max(...cpus) >= support.numCpus) {
      throw usageError(`Requested CPUs are not available - requested ${l.cpusetCpus}, available: 0-${support.numCpus - 1}`);
    }
  }
  if (l.cpusetMems && !parseCpuList(l.cpusetMems)) throw usageError(`Invalid value ${l.cpusetMems} for cpuset mems`);
}

/** The kernel's list format (`0-2,4`), see cpuset(7) "List format"; undefined if malformed. */
export function parseCpuList(text: string): number[] | undefined {
  const out: number[] = [];
  for (const part of text.split(',')) {
    const m = /^(\d+)(?:-(\d+))?$/.exec(part.trim());
    if (!m) return undefined;
    const lo = Number(m[1]);
    const hi = m[2] === undefined ? lo : Number(m[2]);
    if (hi < lo) return undefined;
    for (let i = lo; i <= hi; i++) out.push(i);
  }
  return out;
}

/** Quota and period in µs: `--cpus` becomes a quota over Docker's 100 ms period. */
export function cpuQuotaPeriod(l: Limits): { quota?: number; period?: number } {
  if (pos(l.nanoCpus)) return { quota: Math.floor((l.nanoCpus! * DEFAULT_CPU_PERIOD) / 1e9), period: DEFAULT_CPU_PERIOD };
  return { quota: l.cpuQuota || undefined, period: l.cpuPeriod || undefined };
}

/**
 * cgroup v1 writes. Takes resolved limits; `currentMemoryLimit` is the cgroup's present
 * `memory.limit_in_bytes` (unlimited for a new cgroup). The kernel insists that
 * memory.limit_in_bytes <= memory.memsw.limit_in_bytes at every moment, so when memsw grows
 * beyond the current memory limit it must be written first, and otherwise last; this is
 * runc's rule (libcontainer/cgroups/fs/memory.go, setMemoryAndSwap).
 */
export function planV1Writes(l: Limits, opts: { swapAccounting: boolean; currentMemoryLimit?: number }): LimitWrite[] {
  const out: LimitWrite[] = [...cpusetWrites(l)];
  const memory = pos(l.memory) ? l.memory! : undefined;
  const swap = opts.swapAccounting && l.memorySwap ? l.memorySwap : undefined;
  const mem: LimitWrite[] = [];
  if (memory !== undefined) mem.push({ controller: 'memory', file: 'memory.limit_in_bytes', value: String(memory) });
  const sw: LimitWrite[] = swap === undefined ? [] : [{ controller: 'memory', file: 'memory.memsw.limit_in_bytes', value: String(swap) }];
  const current = opts.currentMemoryLimit ?? Infinity;
  const swapFirst = memory !== undefined && swap !== undefined && (swap === -1 || current < swap);
  out.push(...(swapFirst ? [...sw, ...mem] : [...mem, ...sw]));
  // Period before quota, as runc does: a new quota is checked against the period in force.
  const { quota, period } = cpuQuotaPeriod(l);
  if (period) out.push({ controller: 'cpu', file: 'cpu.cfs_period_us', value: String(period) });
  if (quota) out.push({ controller: 'cpu', file: 'cpu.cfs_quota_us', value: String(quota) });
  if (l.cpuShares) out.push({ controller: 'cpu', file: 'cpu.shares', value: String(l.cpuShares) });
  out.push(...pidsWrites(l));
  return out;
}

/** cgroup v2 writes (https://docs.kernel.org/admin-guide/cgroup-v2.html#memory-interface-files). */
export function planV2Writes(l: Limits, opts: { swapAccounting: boolean }): LimitWrite[] {
  const out: LimitWrite[] = [...cpusetWrites(l)];
  if (pos(l.memory)) {
    out.push({ controller: 'memory', file: 'memory.max', value: String(l.memory) });
    const swap = opts.swapAccounting ? memorySwapToV2(l.memorySwap, l.memory!) : undefined;
    if (swap !== undefined) out.push({ controller: 'memory', file: 'memory.swap.max', value: String(swap) });
  }
  const { quota, period } = cpuQuotaPeriod(l);
  if (quota || period) {
    // cpu.max is "$MAX $PERIOD"; without a quota the max is the word "max" (runc fs2/cpu.go).
    const max = quota && quota > 0 ? String(quota) : 'max';
    out.push({ controller: 'cpu', file: 'cpu.max', value: period ? `${max} ${period}` : max });
  }
  if (l.cpuShares) out.push({ controller: 'cpu', file: 'cpu.weight', value: String(cpuSharesToWeight(l.cpuShares)) });
  out.push(...pidsWrites(l));
  return out;
}

/**
 * v1 memsw counts memory plus swap; v2 memory.swap.max counts swap alone. Same rules as
 * runc's ConvertMemorySwapToCgroupV2Value: -1 → "max", unset → no write, else the difference.
 */
export function memorySwapToV2(memorySwap: number | undefined, memory: number): number | 'max' | undefined {
  if (!memorySwap) return undefined;
  if (memorySwap === -1) return 'max';
  if (memorySwap < memory) throw usageError('memory+swap limit should be >= memory limit');
  return memorySwap - memory;
}

/**
 * cpu.shares [2, 262144] → cpu.weight [1, 10000], the linear map runc and crun use
 * (ConvertCPUSharesToCgroupV2Value). It sends the default 1024 to 39, not 100; newer runc
 * releases switched to a curve that keeps 1024 → 100, kept linear here to match the
 * runtimes Docker ships with today.
 */
export function cpuSharesToWeight(shares: number): number {
  if (shares === 0) return 0;
  return 1 + Math.floor(((shares - 2) * 9999) / 262_142);
}

function cpusetWrites(l: Limits): LimitWrite[] {
  const out: LimitWrite[] = [];
  if (l.cpusetCpus) out.push({ controller: 'cpuset', file: 'cpuset.cpus', value: l.cpusetCpus });
  if (l.cpusetMems) out.push({ controller: 'cpuset', file: 'cpuset.mems', value: l.cpusetMems });
  return out;
}

function pidsWrites(l: Limits): LimitWrite[] {
  if (l.pidsLimit === undefined) return [];
  return [{ controller: 'pids', file: 'pids.max', value: l.pidsLimit > 0 ? String(l.pidsLimit) : 'max' }];
}

function pos(n: number | undefined): boolean {
  return n !== undefined && n > 0;
}

/** Which docker flag a control file expresses: the reason shown by --dry-run and --debug. */
export const LIMIT_WHY: Readonly<Record<string, string>> = {
  'memory.limit_in_bytes': '--memory',
  'memory.memsw.limit_in_bytes': '--memory-swap (memory plus swap)',
  'memory.max': '--memory',
  'memory.swap.max': '--memory-swap minus --memory (v2 counts swap alone)',
  'cpu.cfs_period_us': '--cpus / --cpu-period',
  'cpu.cfs_quota_us': '--cpus / --cpu-quota',
  'cpu.max': '--cpus / --cpu-quota / --cpu-period',
  'cpu.shares': '--cpu-shares',
  'cpu.weight': '--cpu-shares, converted to a v2 weight',
  'pids.max': '--pids-limit',
  'cpuset.cpus': '--cpuset-cpus',
  'cpuset.mems': '--cpuset-mems',
};
