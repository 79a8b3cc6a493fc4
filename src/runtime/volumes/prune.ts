// `volume prune`: unused local volumes go — only anonymous ones unless `-a` (docker 23+,
// moby volume/service Prune + withPrune), narrowed by `--filter label=…`/`label!=…`.
// The report renders as the docker CLI prints it.
import { lstatSync } from 'node:fs';
import type { Engine } from '../../engine.js';
import { walkTree } from '../../overlay/walk.js';
import { allFilter, checkFilterKeys, matchLabelFilters, parseFilters } from './filters.js';
import { ANONYMOUS_LABEL } from './names.js';
import { VolumeStore } from './store.js';
import { volumeUsers } from './usage.js';

export const PRUNE_WARNING = 'WARNING! This will remove anonymous local volumes not used by at least one container.';
export const PRUNE_ALL_WARNING = 'WARNING! This will remove all local volumes not used by at least one container.';

export interface PruneReport {
  deleted: string[];
  /** Bytes. */
  reclaimed: number;
}

/** moby pkg/directory Size: every non-directory's size, hard links counted once. */
export function directorySize(dir: string): number {
  let total = 0;
  const seen = new Set<string>();
  try {
    lstatSync(dir);
  } catch {
    return 0;
  }
  for (const { st } of walkTree(dir)) {
    if (st.isDirectory()) continue;
    if (st.nlink > 1) {
      const key = `${st.dev}:${st.ino}`;
      if (seen.has(key)) continue;
      seen.add(key);
    }
    total += st.size;
  }
  return total;
}

export async function pruneVolumes(engine: Engine, opts: { all?: boolean; filters?: readonly string[] } = {}): Promise<PruneReport> {
  const f = parseFilters([...(opts.filters ?? []), ...(opts.all ? ['all=true'] : [])]);
  checkFilterKeys(f, ['label', 'label!', 'all']);
  const everything = allFilter(f);
  const store = new VolumeStore(engine);
  return store.locked(() => {
    const users = volumeUsers(engine);
    const report: PruneReport = { deleted: [], reclaimed: 0 };
    for (const v of store.list()) {
      if (v.Driver !== 'local' || users.has(v.Name)) continue;
      if (!everything && !Object.hasOwn(v.Labels ?? {}, ANONYMOUS_LABEL)) continue;
      if (!matchLabelFilters(f, v.Labels)) continue;
      const size = directorySize(store.dataDir(v.Name));
      store.removeLocked(v.Name);
      report.deleted.push(v.Name);
      report.reclaimed += size;
    }
    return report;
  });
}

/** docker/go-units HumanSize: decimal units, 4 significant digits (`1.2kB`, `0B`). */
export function humanSize(bytes: number): string {
  const units = ['B', 'kB', 'MB', 'GB', 'TB', 'PB', 'EB', 'ZB', 'YB'];
  let size = bytes;
  let i = 0;
  while (size >= 1000 && i < units.length - 1) {
    size /= 1000;
    i++;
  }
  return `${Number(size.toPrecision(4))}${units[i]}`;
}

/** What `docker volume prune` prints after the confirmation. */
export function renderPruneReport(r: PruneReport): string {
  const head = r.deleted.length ? `Deleted Volumes:\n${r.deleted.map((n) => `${n}\n`).join('')}\n` : '';
  return `${head}Total reclaimed space: ${humanSize(r.deleted.length ? r.reclaimed : 0)}\n`;
}
