// Real cgroups for integration tests, always beneath this test process's own cgroup (a
// relative --cgroup-parent), and a cleanup that leaves nothing even when a test fails midway.
import { spawn, type ChildProcess } from 'node:child_process';
import { existsSync, rmdirSync } from 'node:fs';
import { randomBytes } from 'node:crypto';
import type { CgroupDriver, CgroupPlan } from '../../../src/cgroups/driver.js';
import { RealHost } from '../../../src/host/real.js';

export const host = new RealHost();

export function uniqueParent(): string {
  return `minidock-test-${randomBytes(4).toString('hex')}`;
}

export function containerId(): string {
  return randomBytes(32).toString('hex');
}

export interface Started {
  child: ChildProcess;
  pid: number;
  exit: Promise<{ code: number | null; signal: NodeJS.Signals | null; stderr: string }>;
}

/**
 * Start `payload` the way the runtime's start script does: the shell writes its own pid
 * into every cgroup.procs of the plan (passed as arguments, never spliced into the script),
 * then execs the payload. Resolves once the kernel lists the pid in the cgroup.
 */
export async function startIn(driver: CgroupDriver, plan: CgroupPlan, payload: string): Promise<Started> {
  const child = spawn('sh', ['-c', 'for f in "$@"; do echo $$ > "$f" || exit 99; done; exec sh -c "$PAYLOAD"', 'sh', ...plan.procs], {
    env: { PATH: '/usr/sbin:/usr/bin:/sbin:/bin', PAYLOAD: payload },
    stdio: ['ignore', 'ignore', 'pipe'],
  });
  let stderr = '';
  child.stderr!.on('data', (b: Buffer) => (stderr += b.toString()));
  const exit = new Promise<{ code: number | null; signal: NodeJS.Signals | null; stderr: string }>((resolve) =>
    child.on('close', (code, signal) => resolve({ code, signal, stderr })),
  );
  const pid = child.pid!;
  for (let i = 0; i < 200; i++) {
    if ((await driver.pids(plan)).includes(pid) || child.exitCode !== null) break;
    await new Promise((r) => setTimeout(r, 5));
  }
  return { child, pid, exit };
}

/**
 * Kill whatever is still in the cgroups (all of it was started by the test), thaw, remove,
 * and rmdir any planned directory that survived; throws listing leftovers.
 */
export async function cleanUp(driver: CgroupDriver, plan: CgroupPlan | undefined, started: Started[]): Promise<void> {
  if (!plan) return;
  const errors: string[] = [];
  try {
    if (plan.dirs.some((d) => d.role === 'container' && existsSync(d.path))) {
      if (await driver.isFrozen(plan)) await driver.thaw(host, plan);
      await driver.kill(host, plan, 'SIGKILL');
    }
  } catch (e) {
    errors.push(`kill: ${(e as Error).message}`);
  }
  for (const s of started) {
    if (s.child.exitCode === null && s.child.signalCode === null) {
      try {
        process.kill(s.pid, 'SIGKILL');
      } catch {
        // already gone
      }
    }
    await s.exit;
  }
  try {
    await driver.remove(host, plan);
  } catch (e) {
    errors.push(`remove: ${(e as Error).message}`);
  }
  for (const d of [...plan.dirs].reverse()) {
    if ((d.role === 'container' || d.removeWhenEmpty) && existsSync(d.path)) {
      try {
        rmdirSync(d.path);
      } catch (e) {
        errors.push(`left behind ${d.path}: ${(e as Error).message}`);
      }
    }
  }
  if (errors.length) throw new Error(`cgroup cleanup: ${errors.join('; ')}`);
}

export function sleep(ms: number): Promise<void> {
  return new Promise((r) => setTimeout(r, ms));
}
