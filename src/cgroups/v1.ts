// The cgroup v1 driver (legacy and hybrid hosts): one directory per hierarchy, limits in
// memory/cpu/pids(/cpuset), Docker's device rules in devices, pause through the freezer.
// https://docs.kernel.org/admin-guide/cgroup-v1/index.html
import { existsSync } from 'node:fs';
import { availableParallelism } from 'node:os';
import { join } from 'node:path';
import type { Host } from '../host/host.js';
import { MinidockError } from '../errors.js';
import type { V1Layout } from './detect.js';
import type { CgroupDriver, CgroupPlan, CgroupStats, CgroupStep, CgroupDir, DriverOptions } from './driver.js';
import { deviceWrites } from './devices.js';
import { LIMIT_WHY, planV1Writes, resolveLimits, type Limits } from './limits.js';
import { DEFAULT_CGROUP_PARENT, planChain } from './parent.js';
import { createFromPlan, removeFromPlan, short, signalEach } from './apply.js';
import { parseFlatKeyed, parseLimit, pollUntil, readOptional, readPidsTree, readRequired } from './files.js';

/** Controllers every container gets a cgroup in; cpuset only when --cpuset-* is given. */
const V1_CONTROLLERS = ['memory', 'cpu', 'cpuacct', 'pids', 'freezer', 'devices'];

export class V1Driver implements CgroupDriver {
  readonly mode = 'v1' as const;
  constructor(
    private readonly layout: V1Layout,
    private readonly opts: DriverOptions = {},
  ) {}

  private has(controller: string): boolean {
    return this.layout.hierarchies.some((h) => h.controllers.includes(controller));
  }

  plan(name: string, parent: string | undefined, input: Limits): CgroupPlan {
    const { limits, warnings } = resolveLimits(input, {
      memory: this.has('memory'),
      swap: this.layout.swapAccounting,
      cpu: this.has('cpu'),
      pids: this.has('pids'),
      cpuset: this.has('cpuset'),
      numCpus: this.opts.numCpus ?? availableParallelism(),
    });
    const wanted = limits.cpusetCpus || limits.cpusetMems ? [...V1_CONTROLLERS, 'cpuset'] : V1_CONTROLLERS;
    const dirs: CgroupDir[] = [];
    const steps: CgroupStep[] = [];
    const procs: string[] = [];
    const controllerDirs: Record<string, string> = {};
    for (const h of this.layout.hierarchies) {
      if (!h.controllers.some((c) => wanted.includes(c))) continue;
      const chain = planChain(name, parent, h);
      const cpuset = h.controllers.includes('cpuset');
      for (const d of chain.dirs) {
        steps.push({ op: 'mkdir', path: d.path });
        // An empty cpuset cannot take a process: fill each new level from its parent (runc's cpusetCopyIfNeeded).
        if (cpuset) for (const f of ['cpuset.cpus', 'cpuset.mems']) steps.push({ op: 'copy-if-empty', path: join(d.path, f), from: join(d.path, '..', f) });
      }
      if (h.controllers.includes('devices')) {
        for (const w of deviceWrites()) steps.push({ op: 'write', path: join(chain.container, w.file), value: w.value, why: `devices: ${w.note}` });
      }
      dirs.push(...chain.dirs);
      procs.push(join(chain.container, 'cgroup.procs'));
      for (const c of h.controllers) controllerDirs[c] = chain.container;
    }
    for (const w of planV1Writes(limits, { swapAccounting: this.layout.swapAccounting })) {
      steps.push({ op: 'write', path: join(controllerDirs[w.controller], w.file), value: w.value, why: LIMIT_WHY[w.file] ?? w.file });
    }
    return { mode: 'v1', name, parent: parent || DEFAULT_CGROUP_PARENT, dirs, steps, procs, controllerDirs, warnings };
  }

  create(host: Host, plan: CgroupPlan): Promise<void> {
    return createFromPlan(host, plan);
  }

  remove(host: Host, plan: CgroupPlan): Promise<void> {
    return removeFromPlan(host, plan, { timeoutMs: this.opts.removeTimeoutMs ?? 2000 });
  }

  /**
   * Write FROZEN and read freezer.state back until it says FROZEN rather than FREEZING. As in
   * runc (libcontainer/cgroups/fs/freezer.go) the write is repeated: a v1 freeze can stall
   * while new processes keep arriving; on timeout the cgroup is thawed, never left half frozen.
   */
  async freeze(host: Host, plan: CgroupPlan): Promise<void> {
    const state = join(freezerDir(plan), 'freezer.state');
    const why = `pause container ${short(plan.name)}`;
    if (host.mode !== 'real') {
      await host.writeFile(state, 'FROZEN', why);
      host.comment(`wait until ${state} reads FROZEN`);
      return;
    }
    const frozen = await pollUntil(async () => {
      await host.writeFile(state, 'FROZEN', why);
      return (await readRequired(state, 'reading the freezer state')).trim() === 'FROZEN';
    }, this.opts.freezeTimeoutMs ?? 5000);
    if (!frozen) {
      await host.writeFile(state, 'THAWED', 'undo a freeze that did not complete');
      throw new MinidockError(`cannot pause container ${short(plan.name)}: ${state} stayed FREEZING`, { kind: 'host', context: { path: state } });
    }
  }

  async thaw(host: Host, plan: CgroupPlan): Promise<void> {
    await host.writeFile(join(freezerDir(plan), 'freezer.state'), 'THAWED', `unpause container ${short(plan.name)}`);
  }

  async isFrozen(plan: CgroupPlan): Promise<boolean> {
    const dir = plan.controllerDirs.freezer;
    if (!dir) return false;
    return (await readOptional(join(dir, 'freezer.state')))?.trim() === 'FROZEN';
  }

  /**
   * Signal every process. The cgroup is frozen meanwhile so that nothing forks a process we
   * would miss (runc's signalAllProcesses). Frozen v1 tasks only die once thawed, so after a
   * SIGKILL the cgroup is thawed even if it was paused before.
   */
  async kill(host: Host, plan: CgroupPlan, signal: NodeJS.Signals = 'SIGKILL'): Promise<void> {
    const dir = plan.controllerDirs.freezer ?? plan.controllerDirs.pids ?? plan.controllerDirs.memory;
    if (dir === undefined || !existsSync(dir)) return;
    const canFreeze = plan.controllerDirs.freezer !== undefined;
    const wasFrozen = canFreeze && (await this.isFrozen(plan));
    if (canFreeze && !wasFrozen) await this.freeze(host, plan);
    try {
      signalEach(host, await this.pids(plan), signal, plan.name);
    } finally {
      if (canFreeze && (!wasFrozen || signal === 'SIGKILL')) await this.thaw(host, plan);
    }
  }

  pids(plan: CgroupPlan): Promise<number[]> {
    const c = plan.controllerDirs;
    const dir = c.freezer ?? c.pids ?? c.memory ?? Object.values(c)[0];
    return dir ? readPidsTree(dir) : Promise.resolve([]);
  }

  /** Docker's numbers: usage_in_bytes minus total_inactive_file (docker CLI calculateMemUsageUnixNoCache). */
  async stats(plan: CgroupPlan): Promise<CgroupStats> {
    const { memory, cpuacct, pids } = plan.controllerDirs;
    const out: CgroupStats = { memoryUsage: 0, memoryLimit: null, cpuUsageNs: 0, pidsCurrent: 0, pidsLimit: null };
    if (memory) {
      const usage = Number(await readRequired(join(memory, 'memory.usage_in_bytes'), 'reading memory usage'));
      const inactive = parseFlatKeyed((await readOptional(join(memory, 'memory.stat'))) ?? '').get('total_inactive_file') ?? 0;
      out.memoryUsage = inactive < usage ? usage - inactive : usage;
      out.memoryLimit = parseLimit(await readRequired(join(memory, 'memory.limit_in_bytes'), 'reading the memory limit'));
    }
    if (cpuacct) out.cpuUsageNs = Number(await readRequired(join(cpuacct, 'cpuacct.usage'), 'reading CPU usage'));
    if (pids) {
      out.pidsCurrent = Number(await readRequired(join(pids, 'pids.current'), 'reading the pid count'));
      out.pidsLimit = parseLimit(await readRequired(join(pids, 'pids.max'), 'reading the pid limit'));
    }
    return out;
  }

  /** `oom_kill N` in memory.oom_control (Linux 4.13+; older kernels lack the line: 0). */
  async oomKillCount(plan: CgroupPlan): Promise<number> {
    const memory = plan.controllerDirs.memory;
    if (!memory) return 0;
    return parseFlatKeyed((await readOptional(join(memory, 'memory.oom_control'))) ?? '').get('oom_kill') ?? 0;
  }
}

function freezerDir(plan: CgroupPlan): string {
  const dir = plan.controllerDirs.freezer;
  if (!dir) {
    throw new MinidockError(`cannot pause container ${short(plan.name)}: the v1 freezer controller is not mounted`, {
      kind: 'host',
      hint: 'mount it: mkdir /sys/fs/cgroup/freezer && mount -t cgroup -o freezer freezer /sys/fs/cgroup/freezer',
    });
  }
  return dir;
}
