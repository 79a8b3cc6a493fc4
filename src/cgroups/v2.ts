// The cgroup v2 (unified) driver: one directory, controllers enabled top-down through
// cgroup.subtree_control, pause with cgroup.freeze, kill with cgroup.kill.
// https://docs.kernel.org/admin-guide/cgroup-v2.html
import { existsSync } from 'node:fs';
import { availableParallelism } from 'node:os';
import { join } from 'node:path';
import type { Host } from '../host/host.js';
import { MinidockError } from '../errors.js';
import type { V2Layout } from './detect.js';
import type { CgroupDriver, CgroupPlan, CgroupStats, CgroupStep, DriverOptions } from './driver.js';
import { LIMIT_WHY, planV2Writes, resolveLimits, type Limits } from './limits.js';
import { DEFAULT_CGROUP_PARENT, parseCgroupParent, planChain } from './parent.js';
import { createFromPlan, removeFromPlan, short, signalEach } from './apply.js';
import { parseFlatKeyed, parseLimit, pollUntil, readOptional, readPidsTree, readRequired } from './files.js';

// Device access on v2 is an eBPF program, not a file: see devices.ts for what minidock does instead.

export class V2Driver implements CgroupDriver {
  readonly mode = 'v2' as const;
  constructor(
    private readonly layout: V2Layout,
    private readonly opts: DriverOptions = {},
  ) {}

  plan(name: string, parent: string | undefined, input: Limits): CgroupPlan {
    const chain = planChain(name, parent, { mountpoint: this.layout.root, ownDir: this.layout.ownDir });
    // What the base offers its children is what our cgroups can have.
    const offered = parseCgroupParent(parent).relative ? this.layout.ownControllers : this.layout.rootControllers;
    const { limits, warnings } = resolveLimits(input, {
      memory: offered.includes('memory'),
      swap: this.layout.swapAccounting,
      cpu: offered.includes('cpu'),
      pids: offered.includes('pids'),
      cpuset: offered.includes('cpuset'),
      numCpus: this.opts.numCpus ?? availableParallelism(),
    });
    // memory, cpu and pids always (docker stats reads them); cpuset only when asked for.
    const wanted = [...(limits.cpusetCpus || limits.cpusetMems ? ['cpuset'] : []), 'cpu', 'memory', 'pids'];
    const enable = wanted.filter((c) => offered.includes(c));
    const steps: CgroupStep[] = [];
    const enableIn = (dir: string) => {
      if (enable.length) steps.push({ op: 'enable-controllers', path: join(dir, 'cgroup.subtree_control'), controllers: enable });
    };
    enableIn(chain.base);
    for (const d of chain.dirs) {
      steps.push({ op: 'mkdir', path: d.path });
      if (d.role === 'parent') enableIn(d.path);
    }
    for (const w of planV2Writes(limits, { swapAccounting: this.layout.swapAccounting })) {
      steps.push({ op: 'write', path: join(chain.container, w.file), value: w.value, why: LIMIT_WHY[w.file] ?? w.file });
    }
    return {
      mode: 'v2',
      name,
      parent: parent || DEFAULT_CGROUP_PARENT,
      dirs: chain.dirs,
      steps,
      procs: [join(chain.container, 'cgroup.procs')],
      controllerDirs: { unified: chain.container },
      warnings,
    };
  }

  create(host: Host, plan: CgroupPlan): Promise<void> {
    return createFromPlan(host, plan);
  }

  remove(host: Host, plan: CgroupPlan): Promise<void> {
    return removeFromPlan(host, plan, { timeoutMs: this.opts.removeTimeoutMs ?? 2000 });
  }

  /** cgroup.freeze is asynchronous; cgroup.events says `frozen 1` once every task has stopped. */
  async freeze(host: Host, plan: CgroupPlan): Promise<void> {
    const dir = dirOf(plan);
    const why = `pause container ${short(plan.name)}`;
    await host.writeFile(join(dir, 'cgroup.freeze'), '1', why);
    if (host.mode !== 'real') {
      host.comment(`wait until ${join(dir, 'cgroup.events')} shows "frozen 1"`);
      return;
    }
    if (!(await pollUntil(() => this.isFrozen(plan), this.opts.freezeTimeoutMs ?? 5000))) {
      await host.writeFile(join(dir, 'cgroup.freeze'), '0', 'undo a freeze that did not complete');
      throw new MinidockError(`cannot pause container ${short(plan.name)}: ${dir} did not report frozen`, { kind: 'host', context: { path: dir } });
    }
  }

  async thaw(host: Host, plan: CgroupPlan): Promise<void> {
    await host.writeFile(join(dirOf(plan), 'cgroup.freeze'), '0', `unpause container ${short(plan.name)}`);
  }

  async isFrozen(plan: CgroupPlan): Promise<boolean> {
    const events = await readOptional(join(dirOf(plan), 'cgroup.events'));
    return parseFlatKeyed(events ?? '').get('frozen') === 1;
  }

  /**
   * SIGKILL: write cgroup.kill (Linux 5.14+), which kills the whole subtree atomically, no
   * pid list to race with. Other signals, or older kernels: freeze, signal each pid, thaw.
   */
  async kill(host: Host, plan: CgroupPlan, signal: NodeJS.Signals = 'SIGKILL'): Promise<void> {
    const dir = dirOf(plan);
    if (!existsSync(dir)) return;
    if (signal === 'SIGKILL' && existsSync(join(dir, 'cgroup.kill'))) {
      await host.writeFile(join(dir, 'cgroup.kill'), '1', `kill every process of container ${short(plan.name)}`);
      return;
    }
    const wasFrozen = await this.isFrozen(plan);
    if (!wasFrozen) await this.freeze(host, plan);
    try {
      signalEach(host, await this.pids(plan), signal, plan.name);
    } finally {
      if (!wasFrozen) await this.thaw(host, plan);
    }
  }

  pids(plan: CgroupPlan): Promise<number[]> {
    return readPidsTree(dirOf(plan));
  }

  /** memory.current minus inactive_file, as the docker CLI computes it for v2; cpu.stat is in µs. */
  async stats(plan: CgroupPlan): Promise<CgroupStats> {
    const dir = dirOf(plan);
    await readRequired(join(dir, 'cgroup.procs'), 'reading container stats');
    const num = async (file: string) => Number((await readOptional(join(dir, file)))?.trim() ?? 0);
    const limit = async (file: string) => {
      const t = await readOptional(join(dir, file));
      return t === undefined ? null : parseLimit(t);
    };
    const usage = await num('memory.current');
    const inactive = parseFlatKeyed((await readOptional(join(dir, 'memory.stat'))) ?? '').get('inactive_file') ?? 0;
    const usageUsec = parseFlatKeyed((await readOptional(join(dir, 'cpu.stat'))) ?? '').get('usage_usec') ?? 0;
    return {
      memoryUsage: inactive < usage ? usage - inactive : usage,
      memoryLimit: await limit('memory.max'),
      cpuUsageNs: usageUsec * 1000,
      pidsCurrent: await num('pids.current'),
      pidsLimit: await limit('pids.max'),
    };
  }

  /** `oom_kill N` in memory.events (counts the subtree). */
  async oomKillCount(plan: CgroupPlan): Promise<number> {
    return parseFlatKeyed((await readOptional(join(dirOf(plan), 'memory.events'))) ?? '').get('oom_kill') ?? 0;
  }
}

function dirOf(plan: CgroupPlan): string {
  const dir = plan.controllerDirs.unified;
  if (!dir) throw new MinidockError(`container ${short(plan.name)} has no cgroup v2 directory in its plan`, { kind: 'internal' });
  return dir;
}
