// Reading cgroup control files. Reads are not host mutations, so they use fs directly
// (the Host gateway is for writes); formats are in the kernel docs linked from driver.ts.
import { readFile, readdir } from 'node:fs/promises';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { errnoCode, MinidockError } from '../errors.js';

/** The file's text, or undefined when it does not exist (cgroup gone, optional file). */
export async function readOptional(path: string): Promise<string | undefined> {
  try {
    return await readFile(path, 'utf8');
  } catch (e) {
    if (errnoCode(e) === 'ENOENT' || errnoCode(e) === 'ENODEV') return undefined;
    throw e;
  }
}

export function readOptionalSync(path: string): string | undefined {
  try {
    return readFileSync(path, 'utf8');
  } catch (e) {
    if (errnoCode(e) === 'ENOENT' || errnoCode(e) === 'ENOTDIR') return undefined;
    throw e;
  }
}

export async function readRequired(path: string, doing: string): Promise<string> {
  const text = await readOptional(path);
  if (text === undefined) {
    throw new MinidockError(`${doing}: ${path} does not exist`, {
      kind: 'not-found',
      hint: 'the container cgroup is gone: was the container removed or the host rebooted?',
      context: { path },
    });
  }
  return text;
}

/** "Flat keyed" files (memory.stat, cpu.stat, memory.events, v1 memory.oom_control): `key value` lines. */
export function parseFlatKeyed(text: string): Map<string, number> {
  const out = new Map<string, number>();
  for (const line of text.split('\n')) {
    const [key, value] = line.trim().split(/\s+/);
    if (key && value !== undefined && /^-?\d+$/.test(value)) out.set(key, Number(value));
  }
  return out;
}

/**
 * A single-value limit file: `max` (v2) or a value near 2^63 (v1's unlimited,
 * PAGE_COUNTER_MAX × page size = 9223372036854771712) mean no limit → null.
 */
export function parseLimit(text: string): number | null {
  const t = text.trim();
  if (t === 'max' || t === '-1') return null;
  const n = Number(t);
  if (!Number.isFinite(n)) throw new Error(`not a number: ${JSON.stringify(t)}`);
  return n >= 2 ** 62 ? null : n;
}

export function parsePids(text: string): number[] {
  return text
    .split('\n')
    .filter((l) => /^\d+$/.test(l.trim()))
    .map(Number);
}

/** Pids in `dir`'s cgroup.procs and in every sub-cgroup's; [] if the cgroup is gone. */
export async function readPidsTree(dir: string): Promise<number[]> {
  const own = await readOptional(join(dir, 'cgroup.procs'));
  if (own === undefined) return [];
  const pids = parsePids(own);
  for (const sub of await subCgroups(dir)) pids.push(...(await readPidsTree(sub)));
  return pids;
}

/** Child cgroup directories (a cgroup's only subdirectories are child cgroups). */
export async function subCgroups(dir: string): Promise<string[]> {
  try {
    const entries = await readdir(dir, { withFileTypes: true });
    return entries.filter((e) => e.isDirectory()).map((e) => join(dir, e.name));
  } catch (e) {
    if (errnoCode(e) === 'ENOENT') return [];
    throw e;
  }
}

/** Re-check `done` with growing pauses (1 ms → 20 ms) until it holds or `timeoutMs` passes. */
export async function pollUntil(done: () => Promise<boolean>, timeoutMs: number): Promise<boolean> {
  const deadline = Date.now() + timeoutMs;
  let pause = 1;
  for (;;) {
    if (await done()) return true;
    if (Date.now() >= deadline) return false;
    await new Promise((r) => setTimeout(r, pause));
    pause = Math.min(20, pause * 2);
  }
}
