// `container prune`: every container that is not running (created, exited, dead) and passes
// the filters is removed, like `rm` without -f; the space reclaimed is the size of their
// writable layers (docker's SizeRw: the upper dir's files, a hard-linked inode counted once).
import { lstatSync, readdirSync } from 'node:fs';
import type { Engine } from '../engine.js';
import { errnoCode } from '../errors.js';
import { liveState } from './lifecycle/status.js';
import { removeContainer } from './lifecycle/remove.js';
import type { Container } from './model.js';
import { containerPaths } from './prepare.js';
import { ContainerStore } from './store.js';

export interface PruneResult {
  /** Full IDs, in the order they were removed. */
  deleted: string[];
  reclaimed: number;
  /** Containers that could not be removed, and why (docker logs these and goes on). */
  failed: { id: string; error: string }[];
}

const PRUNABLE = new Set(['created', 'exited', 'dead']);

/** Bytes held by the files under `dir` (not directories; each inode once). */
export function treeSize(dir: string): number {
  const seen = new Set<string>();
  let total = 0;
  const stack = [dir];
  while (stack.length) {
    const d = stack.pop()!;
    let names: string[];
    try {
      names = readdirSync(d);
    } catch (err) {
      if (errnoCode(err) === 'ENOENT' || errnoCode(err) === 'ENOTDIR') continue;
      throw err;
    }
    for (const n of names) {
      const p = `${d}/${n}`;
      const st = lstatSync(p, { throwIfNoEntry: false });
      if (!st) continue;
      if (st.isDirectory()) stack.push(p);
      else if (st.nlink <= 1 || !seen.has(`${st.dev}:${st.ino}`)) {
        if (st.nlink > 1) seen.add(`${st.dev}:${st.ino}`);
        total += st.size;
      }
    }
  }
  return total;
}

export async function pruneContainers(engine: Engine, keep: (c: Container) => boolean = () => true): Promise<PruneResult> {
  const store = new ContainerStore(engine);
  const result: PruneResult = { deleted: [], reclaimed: 0, failed: [] };
  for (const { container: c, state } of store.list()) {
    const status = liveState(state, containerPaths(engine, c.Id).exitFile).Status;
    if (!PRUNABLE.has(status) || !keep(c)) continue;
    const size = treeSize(containerPaths(engine, c.Id).upper);
    try {
      await removeContainer(engine, store, c); // refuses one that started meanwhile
    } catch (err) {
      result.failed.push({ id: c.Id, error: (err as Error).message });
      continue;
    }
    result.deleted.push(c.Id);
    result.reclaimed += size;
  }
  return result;
}
