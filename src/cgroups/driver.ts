// The interface the runtime uses for a container's cgroups, whatever the host's cgroup
// version. A CgroupPlan is plain JSON data: the runtime stores it with the container's state
// so later commands (stats, pause, kill, rm) act on exactly the directories that were made.
// Only create/remove/freeze/thaw/kill change the host, and only through the Host.
import type { Host } from '../host/host.js';
import type { CgroupMode } from './detect.js';
import type { Limits } from './limits.js';

export type { CgroupMode } from './detect.js';

/** One step of creating the cgroups, in order; `--dry-run` shows each. */
export type CgroupStep =
  | { op: 'mkdir'; path: string }
  | { op: 'write'; path: string; value: string; why: string }
  /** v1 cpuset: a new cpuset is empty and refuses processes; copy cpus/mems from the parent if ours is empty. */
  | { op: 'copy-if-empty'; path: string; from: string }
  /** v2: make `controllers` available to the children (cgroup.subtree_control); only missing ones are written. */
  | { op: 'enable-controllers'; path: string; controllers: string[] };

export interface CgroupDir {
  path: string;
  /** The hierarchy's mount point (v1 has one per controller group; v2 has one). */
  hierarchy: string;
  role: 'parent' | 'container';
  /**
   * Remove this parent when it is empty after the container's cgroup goes. True for the
   * components of a relative --cgroup-parent (they live beneath minidock's own cgroup and
   * exist only for its containers); false for an absolute parent such as the default
   * /minidock, which stays, as Docker leaves /docker. rmdir refuses a cgroup that still has
   * processes or children, so this can only ever remove an empty directory.
   */
  removeWhenEmpty: boolean;
}

export interface CgroupPlan {
  mode: CgroupMode;
  /** The container id: the last path component on every hierarchy. */
  name: string;
  /** `--cgroup-parent` as given (absolute from the hierarchy root, or relative to our own cgroup). */
  parent: string;
  /** Every directory below the base that the plan creates, shallowest first. */
  dirs: CgroupDir[];
  steps: CgroupStep[];
  /** `cgroup.procs` files the container's first process writes its pid into (`echo $$ > FILE`), in order. */
  procs: string[];
  /** The container's cgroup per controller (v1), or under the key `unified` (v2). */
  controllerDirs: Record<string, string>;
  /** Docker-worded warnings for limits this host cannot enforce. */
  warnings: string[];
}

export interface DriverOptions {
  /** CPUs for Docker's `--cpus` range check (default: this machine's). */
  numCpus?: number;
  /** How long freeze waits for the kernel to report the cgroup frozen (default 5 s). */
  freezeTimeoutMs?: number;
  /** How long remove waits for killed processes to leave the cgroup (default 2 s). */
  removeTimeoutMs?: number;
}

export interface CgroupStats {
  /** Bytes as `docker stats` shows them: usage minus inactive file cache. */
  memoryUsage: number;
  /** The cgroup's own limit in bytes; null when unlimited (Docker then shows the host's memory). */
  memoryLimit: number | null;
  /** Total CPU time of the cgroup's processes, nanoseconds. */
  cpuUsageNs: number;
  pidsCurrent: number;
  /** pids.max; null when unlimited or the controller is absent. */
  pidsLimit: number | null;
}

export interface CgroupDriver {
  readonly mode: CgroupMode;
  /** Pure, given the layout detected at construction: what create() will do. Throws usage errors for bad limits. */
  plan(name: string, parent: string | undefined, limits: Limits): CgroupPlan;
  /** Make the directories and write the limits; on failure removes the directories it made. */
  create(host: Host, plan: CgroupPlan): Promise<void>;
  /**
   * rmdir the container's cgroup (and sub-cgroups) and the removable parents, deepest first.
   * "Already gone" is fine. A cgroup that still has processes is reported with their pids.
   */
  remove(host: Host, plan: CgroupPlan): Promise<void>;
  /** Freeze every process and wait until the kernel reports the cgroup frozen. */
  freeze(host: Host, plan: CgroupPlan): Promise<void>;
  thaw(host: Host, plan: CgroupPlan): Promise<void>;
  isFrozen(plan: CgroupPlan): Promise<boolean>;
  /** Signal every process of the cgroup (v2 SIGKILL uses cgroup.kill: no pid races). A cgroup that is gone has none: no-op. */
  kill(host: Host, plan: CgroupPlan, signal?: NodeJS.Signals): Promise<void>;
  /** Pids in the container's cgroup and its sub-cgroups. */
  pids(plan: CgroupPlan): Promise<number[]>;
  stats(plan: CgroupPlan): Promise<CgroupStats>;
  /** How many processes the kernel's OOM killer has killed in the cgroup (for State.OOMKilled). */
  oomKillCount(plan: CgroupPlan): Promise<number>;
}
