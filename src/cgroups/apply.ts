// Carrying out a CgroupPlan, for both drivers: run its steps through the Host (undoing the
// directories it made if a step fails), and remove its directories deepest first.
import { existsSync } from 'node:fs';
import { basename, dirname, join } from 'node:path';
import type { Host } from '../host/host.js';
import { errnoCode, MinidockError, wrap } from '../errors.js';
import type { CgroupPlan, CgroupStep } from './driver.js';
import { pollUntil, readOptionalSync, readPidsTree, subCgroups } from './files.js';

/**
 * A shared parent can vanish while we fill it: another container's removal rmdirs it once
 * it is empty. `mkdir -p` makes it again, but a write into it (v2's subtree_control) may
 * then land in the old one or find it gone (ENOENT): the plan is undone and run again.
 */
const ATTEMPTS = 3;

export async function createFromPlan(host: Host, plan: CgroupPlan): Promise<void> {
  for (let attempt = 1; ; attempt++) {
    try {
      return await createOnce(host, plan);
    } catch (e) {
      if (attempt >= ATTEMPTS || rootErrno(e) !== 'ENOENT') throw e;
    }
  }
}

/** The errno code at the bottom of a chain of wrapped errors. */
function rootErrno(e: unknown): string | undefined {
  for (let x: unknown = e; x !== undefined; x = x instanceof Error ? x.cause : undefined) {
    const code = errnoCode(x);
    if (code) return code;
  }
  return undefined;
}

async function createOnce(host: Host, plan: CgroupPlan): Promise<void> {
  const made: string[] = [];
  try {
    for (const step of plan.steps) await runStep(host, step, made);
  } catch (e) {
    const undo: string[] = [];
    for (const dir of made.reverse()) {
      try {
        await host.rmdir(dir, 'undo: remove a cgroup made for the failed start');
      } catch (u) {
        undo.push(`${dir}: ${(u as Error).message}`);
      }
    }
    throw wrap(`creating the cgroups of container ${short(plan.name)}`, e, {
      kind: e instanceof MinidockError ? e.kind : 'host',
      context: undo.length ? { undoFailed: undo } : undefined,
    });
  }
}

async function runStep(host: Host, step: CgroupStep, made: string[]): Promise<void> {
  switch (step.op) {
    case 'mkdir':
      // An existing directory is reused and not recorded, so a failed start never removes it.
      if (existsSync(step.path)) return;
      await host.mkdir(step.path, 'make a cgroup');
      made.push(step.path);
      return;
    case 'write':
      await host.writeFile(step.path, step.value, step.why);
      return;
    case 'copy-if-empty': {
      if (readOptionalSync(step.path)?.trim()) return;
      await host.writeFile(step.path, inherited(step.from), 'a new cpuset is empty and refuses processes: copy the parent\'s');
      return;
    }
    case 'enable-controllers':
      return enableControllers(host, step.path, step.controllers);
  }
}

/** The value of a cpuset file at `from`, or at the nearest ancestor that has one (dry-run: parents not made yet). */
function inherited(from: string): string {
  for (let file = from; ; ) {
    const v = readOptionalSync(file)?.trim();
    if (v) return v;
    const up = join(dirname(dirname(file)), basename(file));
    if (up === file) throw new MinidockError(`cannot find a parent value for ${from}`, { kind: 'host' });
    file = up;
  }
}

/**
 * cgroup v2 only offers a controller's files to a cgroup if its parent lists the controller
 * in cgroup.subtree_control. Write only the missing ones: a cgroup with processes of its own
 * refuses any change there (EBUSY, the "no internal processes" rule), but an unchanged
 * subtree_control is never a problem. https://docs.kernel.org/admin-guide/cgroup-v2.html#no-internal-process-constraint
 */
async function enableControllers(host: Host, path: string, controllers: string[]): Promise<void> {
  const enabled = (readOptionalSync(path) ?? '').split(/\s+/);
  const missing = controllers.filter((c) => !enabled.includes(c));
  if (missing.length === 0) return;
  try {
    await host.writeFile(path, missing.map((c) => `+${c}`).join(' '), 'let child cgroups use these controllers');
  } catch (e) {
    const busy = errnoCode(e instanceof MinidockError ? e.cause : e) === 'EBUSY';
    throw new MinidockError(`cannot enable ${missing.join(', ')} in ${path}${busy ? ': the cgroup has processes of its own' : ''}`, {
      kind: 'host',
      hint: busy
        ? 'cgroup v2 forbids controllers for the children of a cgroup that holds processes; run minidock from a leaf cgroup with delegated controllers (systemd-run --scope -p Delegate=yes), or use an absolute --cgroup-parent'
        : undefined,
      context: { path, controllers: missing },
      cause: e,
    });
  }
}

export interface RemoveOptions {
  /** How long to wait for processes that were just killed to leave the cgroup. */
  timeoutMs: number;
}

/** rmdir the plan's directories, deepest first; report cgroups that still hold processes. */
export async function removeFromPlan(host: Host, plan: CgroupPlan, opts: RemoveOptions): Promise<void> {
  const problems: string[] = [];
  const blocked = new Set<string>();
  // One deadline for all hierarchies: on v1 the same processes sit in each of them.
  const deadline = Date.now() + opts.timeoutMs;
  for (const dir of [...plan.dirs].reverse()) {
    if (blocked.has(dir.hierarchy)) continue;
    if (dir.role === 'container') {
      const left = await removeTree(host, dir.path, Math.max(0, deadline - Date.now()));
      if (left.length) {
        problems.push(`${dir.path} still has processes ${left.join(' ')}`);
        blocked.add(dir.hierarchy);
      }
    } else if (!dir.removeWhenEmpty || (await rmdirUnlessBusy(host, dir.path, 'remove an empty cgroup parent', 0, true)) === 'busy') {
      // Another container still uses this parent, or it is a parent the user named, which we keep.
      blocked.add(dir.hierarchy);
    }
  }
  if (problems.length) {
    throw new MinidockError(`cannot remove the cgroups of container ${short(plan.name)}: ${problems.join('; ')}`, {
      kind: 'conflict',
      hint: 'stop the container first (minidock stop / kill), then remove it again',
      context: { problems },
    });
  }
}

/** Remove a container cgroup and any sub-cgroups it made; returns the pids that kept it alive. */
async function removeTree(host: Host, dir: string, timeoutMs: number): Promise<number[]> {
  for (const sub of await subCgroups(dir)) {
    const left = await removeTree(host, sub, timeoutMs);
    if (left.length) return left;
  }
  // Processes that were just killed leave the cgroup when they finish exiting.
  let left: number[] = [];
  await pollUntil(async () => (left = await readPidsTree(dir)).length === 0, timeoutMs);
  if (left.length) return left;
  const result = await rmdirUnlessBusy(host, dir, 'remove the container cgroup', timeoutMs);
  return result === 'busy' ? await readPidsTree(dir) : [];
}

/** rmdir; EBUSY (processes or children remain) is retried for `retryMs`, then reported as 'busy'. */
async function rmdirUnlessBusy(host: Host, dir: string, why: string, retryMs: number, ifEmpty = false): Promise<'removed' | 'busy'> {
  let busy = false;
  await pollUntil(async () => {
    try {
      await host.rmdir(dir, why, { ifEmpty });
      busy = false;
      return true;
    } catch (e) {
      const code = errnoCode(e instanceof MinidockError ? e.cause : e);
      if (code !== 'EBUSY' && code !== 'ENOTEMPTY') throw e;
      busy = true;
      return false;
    }
  }, retryMs);
  return busy ? 'busy' : 'removed';
}

/** Send `signal` to each pid through the Host (logged, dry-runnable). */
export function signalEach(host: Host, pids: number[], signal: NodeJS.Signals, name: string): void {
  for (const pid of pids) host.kill(pid, signal, `signal the processes of container ${short(name)}`);
}

export function short(id: string): string {
  return id.length > 12 ? id.slice(0, 12) : id;
}
