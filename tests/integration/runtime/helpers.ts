// Shared by the runtime integration tests (one file per feature of "Run containers"): a
// TestRoot with busybox imported, failure messages that carry the command and its output,
// polling instead of fixed sleeps, and the host-side views a user would check (cgroup
// directories of a container, processes still running from a root, mounts).
import { spawn, type ChildProcess } from 'node:child_process';
import { existsSync, readdirSync, readFileSync, rmdirSync } from 'node:fs';
import { join } from 'node:path';
import type { Result } from 'execa';
import { expect } from 'vitest';
import { TestRoot, BIN, isRoot } from '../../helpers/cli.js';
import { createEngine } from '../../../src/engine.js';
import { RealHost } from '../../../src/host/real.js';
import { resetNetworking } from '../../../src/runtime/network/index.js';

export { TestRoot, BIN, isRoot };

export const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

/** The command, its exit code and its output: the message of every failed expectation. */
export function explain(r: Result | { escapedCommand?: string; exitCode?: number; stdout?: unknown; stderr?: unknown }): string {
  return `$ ${r.escapedCommand}\nexit code: ${r.exitCode}\n--- stdout ---\n${String(r.stdout ?? '')}\n--- stderr ---\n${String(r.stderr ?? '')}`;
}

/** A fresh root with busybox imported. */
export async function newRoot(label: string): Promise<TestRoot> {
  const root = new TestRoot(label);
  try {
    await root.importBusybox();
  } catch (e) {
    await root.cleanup();
    throw e;
  }
  return root;
}

/** `minidock ARGS` that must exit `code`; returns stdout (the error message shows everything). */
export async function expectExit(root: TestRoot, args: string[], code: number, opts: { timeout?: number; input?: string } = {}): Promise<Result> {
  const r = await root.run(args, opts);
  expect(r.exitCode, explain(r)).toBe(code);
  return r;
}

/** stdout of a command that must succeed, trimmed. */
export async function out(root: TestRoot, args: string[], opts: { timeout?: number } = {}): Promise<string> {
  const r = await expectExit(root, args, 0, opts);
  return String(r.stdout).trim();
}

/** Poll `probe` until it returns something truthy; on timeout fail with what it saw last. */
export async function waitFor<T>(what: string, probe: () => Promise<T> | T, timeoutMs = 10_000, everyMs = 50): Promise<NonNullable<T>> {
  const deadline = Date.now() + timeoutMs;
  let last: unknown;
  for (;;) {
    try {
      const v = await probe();
      if (v) return v as NonNullable<T>;
      last = v;
    } catch (e) {
      last = e;
    }
    if (Date.now() > deadline) throw new Error(`timed out after ${timeoutMs} ms waiting for ${what}; last saw: ${last instanceof Error ? last.message : JSON.stringify(last)}`);
    await sleep(everyMs);
  }
}

/** `inspect -f '{{json .State}}'` parsed. */
export async function state(root: TestRoot, ref: string): Promise<Record<string, any>> {
  return JSON.parse(await out(root, ['inspect', '-f', '{{json .State}}', ref]));
}

/** Every directory in the cgroup hierarchies whose path contains `component` (the test root's parent, or a container id). */
export function cgroupDirs(component: string): string[] {
  const found: string[] = [];
  const walk = (dir: string, depth: number) => {
    let entries;
    try {
      entries = readdirSync(dir, { withFileTypes: true });
    } catch {
      return;
    }
    for (const e of entries) {
      if (!e.isDirectory()) continue;
      const p = join(dir, e.name);
      if (e.name === component) found.push(p);
      if (depth < 8) walk(p, depth + 1);
    }
  };
  walk('/sys/fs/cgroup', 0);
  return found.sort();
}

/** The container's cgroup directories below the root's --cgroup-parent (one per v1 hierarchy, one on v2). */
export function containerCgroups(root: TestRoot, id: string): string[] {
  return cgroupDirs(root.cgroupParent).flatMap((p) => (existsSync(join(p, id)) ? [join(p, id)] : []));
}

/** Mount points whose path mentions `needle` (this process's mount namespace: the host's). */
export function mountsMentioning(needle: string): string[] {
  return readFileSync('/proc/self/mountinfo', 'utf8')
    .split('\n')
    .filter((l) => l.includes(needle));
}

/** Processes whose command line mentions `needle` (e.g. the root dir: shims, exit hooks). */
export function processesMentioning(needle: string): { pid: number; cmd: string }[] {
  const outp: { pid: number; cmd: string }[] = [];
  for (const name of readdirSync('/proc')) {
    if (!/^\d+$/.test(name) || Number(name) === process.pid) continue;
    try {
      const cmd = readFileSync(`/proc/${name}/cmdline`, 'utf8').split('\0').join(' ');
      if (cmd.includes(needle)) outp.push({ pid: Number(name), cmd });
    } catch {
      /* gone */
    }
  }
  return outp;
}

/**
 * TestRoot.cleanup, then what it cannot see: the exit hooks of containers that just ended
 * (they finish on their own; waited for, never killed), and the root's cgroup parent, which
 * must be gone with its last container. Throws if anything of the root is left.
 */
export async function cleanupRoot(root: TestRoot | undefined): Promise<void> {
  if (!root) return;
  const problems: string[] = [];
  const ps = await root.run(['ps', '-aq', '--no-trunc']);
  const ids = String(ps.stdout).split('\n').filter(Boolean);
  if (ids.length) {
    const rm = await root.run(['rm', '-f', ...ids]);
    if (rm.exitCode !== 0) problems.push(`removing the containers failed:\n${explain(rm)}`);
  }
  try {
    await waitFor('the exit hooks of the root\'s containers to finish', () => processesMentioning(root.dir).length === 0, 10_000);
  } catch {
    problems.push(`processes left: ${JSON.stringify(processesMentioning(root.dir))}`);
  }
  // The root's default bridge, its nft table and netns outlive its containers (as docker0 does):
  // they go with the root.
  await resetNetworking(createEngine({ host: new RealHost(), root: root.dir })).catch((e) => problems.push(`resetting the root's networking: ${(e as Error).message}`));
  await root.cleanup();
  for (const d of cgroupDirs(root.cgroupParent).reverse()) {
    // Only ever an empty directory of our own parent: rmdir refuses anything else.
    try {
      rmdirSync(d);
      problems.push(`cgroup parent left behind (removed now): ${d}`);
    } catch (e) {
      problems.push(`cgroup left behind: ${d}: ${(e as Error).message}`);
    }
  }
  const mounts = mountsMentioning(root.dir);
  if (mounts.length) problems.push(`mounts left: ${mounts.join('\n')}`);
  if (problems.length) throw new Error(`cleanup of ${root.dir}:\n${problems.join('\n')}`);
}

/** A `minidock` process that keeps running (logs -f, a foreground run), tracked so it can be killed by PID. */
export interface Background {
  child: ChildProcess;
  stdout: () => string;
  stderr: () => string;
  exited: Promise<{ code: number | null; signal: NodeJS.Signals | null }>;
  describe: () => string;
}

export function background(root: TestRoot, args: string[]): Background {
  const child = spawn(BIN, args, { env: { ...process.env, ...root.env() }, stdio: ['ignore', 'pipe', 'pipe'] });
  let so = '';
  let se = '';
  child.stdout!.setEncoding('utf8').on('data', (d: string) => (so += d));
  child.stderr!.setEncoding('utf8').on('data', (d: string) => (se += d));
  const exited = new Promise<{ code: number | null; signal: NodeJS.Signals | null }>((resolve) => child.on('exit', (code, signal) => resolve({ code, signal })));
  let status = 'running';
  void exited.then((e) => (status = `exit code ${e.code} signal ${e.signal}`));
  return {
    child,
    stdout: () => so,
    stderr: () => se,
    exited,
    describe: () => `$ minidock ${args.join(' ')}\n${status}\n--- stdout ---\n${so}\n--- stderr ---\n${se}`,
  };
}

/** Kill a background minidock by its PID (never by name) and wait for it. */
export async function stopBackground(b: Background | undefined): Promise<void> {
  if (!b) return;
  if (b.child.exitCode === null && b.child.signalCode === null) {
    try {
      process.kill(b.child.pid!, 'SIGKILL');
    } catch {
      /* already gone */
    }
  }
  await b.exited;
}

/** /proc/PID/status field (CapEff, NoNewPrivs...) of the host's own process, for comparisons. */
export function ownStatusField(field: string): string {
  const m = new RegExp(`^${field}:\\s*(\\S+)`, 'm').exec(readFileSync('/proc/self/status', 'utf8'));
  return m ? m[1] : '';
}

/** Alive and not a zombie, as the host sees the PID. */
export function pidAlive(pid: number): boolean {
  try {
    const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
    return stat.slice(stat.lastIndexOf(')') + 2)[0] !== 'Z';
  } catch {
    return false;
  }
}
