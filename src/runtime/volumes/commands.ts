// `volume create`, `volume inspect`, `volume rm`, and the `-v` of `rm`: one library call
// per command, docker's messages. The CLI prints; nothing here does.
import type { Engine } from '../../engine.js';
import { conflict, notFound } from '../../errors.js';
import type { Container } from '../model.js';
import { inspectView, type VolumeInspect, type VolumeRecord } from './record.js';
import { VolumeStore } from './store.js';
import { inUseMessage, volumeUsers } from './usage.js';

export interface CreateVolumeOptions {
  /** Omitted or '': a random 64-hex name. */
  name?: string;
  /** `--driver`/`-d`; only "local" exists. */
  driver?: string;
  /** `--label k=v`, already split. */
  labels?: Record<string, string>;
  /** `--opt`/`-o`; the local driver here takes none. */
  options?: Record<string, string>;
}

/** `volume create`: the new volume, or the existing one of that name (docker returns it too). */
export async function createVolume(engine: Engine, o: CreateVolumeOptions = {}): Promise<VolumeRecord> {
  // The CLI always sends maps, so a volume made by `volume create` shows {} where a volume
  // made by `-v name:/x` shows null.
  return new VolumeStore(engine).create({ name: o.name, driver: o.driver, labels: o.labels ?? {}, options: o.options ?? {} });
}

/** `volume inspect NAME`: docker's JSON object (the CLI prints an array of them). */
export function inspectVolume(engine: Engine, name: string): VolumeInspect {
  const store = new VolumeStore(engine);
  const v = store.get(name);
  if (!v) throw notFound(`No such volume: ${name}`);
  return inspectView(v, store.dataDir(v.Name));
}

/**
 * `volume rm [-f] NAME`: refuses a volume any container uses (docker: also with -f, which
 * only silences "no such volume"). Returns false when -f skipped a missing volume.
 */
export async function removeVolume(engine: Engine, name: string, opts: { force?: boolean } = {}): Promise<boolean> {
  const store = new VolumeStore(engine);
  return store.locked(() => {
    if (!store.get(name)) {
      if (opts.force) return false;
      throw notFound(`get ${name}: no such volume`);
    }
    const users = volumeUsers(engine).get(name);
    if (users?.length) throw conflict(inUseMessage(name, users));
    store.removeLocked(name);
    return true;
  });
}

/**
 * `rm -v`: the container's anonymous volumes go, its named ones stay (docker's rule); an
 * anonymous volume that another container still uses (--volumes-from) stays silently.
 * Call after the container's record is gone, or while it is being removed: it is never
 * counted as a user of its own volumes.
 */
export async function removeContainerVolumes(engine: Engine, c: Pick<Container, 'Id' | 'Mounts'>): Promise<{ removed: string[]; kept: string[] }> {
  const anonymous = [...new Set(c.Mounts.filter((m) => m.Type === 'volume' && m.Anonymous && m.Name).map((m) => m.Name!))];
  if (anonymous.length === 0) return { removed: [], kept: [] };
  const store = new VolumeStore(engine);
  return store.locked(() => {
    const users = volumeUsers(engine, c.Id);
    const removed: string[] = [];
    const kept: string[] = [];
    for (const name of anonymous) {
      if (users.get(name)?.length) kept.push(name);
      else if (store.get(name)) {
        store.removeLocked(name);
        removed.push(name);
      }
    }
    return { removed, kept };
  });
}
