// The containers `ps` lists: live states, docker's default (running only) and its filters.
import type { Engine } from '../engine.js';
import { exactMatch, fuzzyMatch, matchLabels, regexMatch, values, type Filters } from '../cli/parse/filter.js';
import { ImageStore } from '../image/store/store.js';
import { liveState } from './lifecycle/status.js';
import type { Container, State } from './model.js';
import { containerPaths } from './prepare.js';
import { ContainerStore } from './store.js';

export interface PsEntry {
  container: Container;
  state: State;
}

export interface PsOptions {
  all?: boolean;
  last?: number;
  filters: Filters;
}

const isUp = (s: State) => s.Status === 'running' || s.Status === 'paused' || s.Status === 'restarting';

export function listContainers(engine: Engine, o: PsOptions): PsEntry[] {
  const store = new ContainerStore(engine);
  let entries = store
    .list()
    .map(({ container, state }) => ({ container, state: liveState(state, containerPaths(engine, container.Id).exitFile) }))
    .sort((a, b) => b.container.Created.localeCompare(a.container.Created));
  const f = o.filters;
  const all = o.all || (o.last ?? 0) > 0 || f.has('status') || f.has('exited');
  const byRef = (ref: string) => entries.find((e) => e.container.Id === ref || e.container.Name === ref || e.container.Id.startsWith(ref));
  const before = values(f, 'before').map(byRef);
  const since = values(f, 'since').map(byRef);
  let ancestors: Set<string> | undefined;
  if (f.has('ancestor')) {
    const images = new ImageStore(engine);
    ancestors = new Set(values(f, 'ancestor').map((a) => images.find(a)?.id ?? a));
  }
  entries = entries.filter(({ container: c, state: s }) => {
    if (!all && !isUp(s)) return false;
    if (!exactMatch(f, 'status', s.Status)) return false;
    if (f.has('exited') && (s.Status !== 'exited' || !values(f, 'exited').includes(String(s.ExitCode)))) return false;
    if (!regexMatch(f, 'name', c.Name)) return false;
    if (!fuzzyMatch(f, 'id', c.Id)) return false;
    if (!matchLabels(f, 'label', c.Config.Labels)) return false;
    if (ancestors && !ancestors.has(c.Image) && !ancestors.has(c.ImageName) && !ancestors.has(c.Config.Image)) return false;
    if (before.some((b) => !b || c.Created >= b.container.Created)) return false;
    if (since.some((b) => !b || c.Created <= b.container.Created)) return false;
    if (f.has('volume') && !values(f, 'volume').some((v) => c.Mounts.some((m) => m.Name === v || m.Source === v || m.Destination === v))) return false;
    return true;
  });
  if (o.last && o.last > 0) entries = entries.slice(0, o.last);
  return entries;
}
