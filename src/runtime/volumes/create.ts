// The mounts of a new container, from `-v`, `--mount`, `--volumes-from`, `--tmpfs` and the
// image's VOLUME: parsed and checked first (nothing is created for a command that fails),
// then the volumes are made and the container record written under the volumes lock, so a
// concurrent `volume prune` cannot remove a volume between its creation and the record
// that uses it.
import { existsSync } from 'node:fs';
import type { Engine } from '../../engine.js';
import { MinidockError } from '../../errors.js';
import type { MountSpec } from '../model.js';
import { ContainerStore } from '../store.js';
import { type DockerMount, MountConfigError, validateMount } from './docker-mount.js';
import type { VolumeMountSpec } from './mount-spec.js';
import { parseMountFlag } from './parse-mount-flag.js';
import { type ParsedVolumeFlag, parseVolumeFlag, parseVolumesFrom, type VolumesFromSpec } from './parse-volume-flag.js';
import { planMountPoints, type PlannedMountPoint } from './plan-mounts.js';
import { VolumeStore } from './store.js';

export interface ContainerMountFlags {
  /** `-v`/`--volume` values. */
  volumes?: readonly string[];
  /** `--mount` values. */
  mounts?: readonly string[];
  /** `--volumes-from` values. */
  volumesFrom?: readonly string[];
  /** HostConfig.Tmpfs (`--tmpfs`): a -v on one of these paths is a duplicate. */
  tmpfs?: Readonly<Record<string, string>>;
  /** The image's Config.Volumes. */
  imageVolumes?: Readonly<Record<string, unknown>> | null;
  /** Resolves `./dir` sources; default process.cwd(). */
  cwd?: string;
}

/** Everything the container record needs from the mount flags. */
export interface ContainerMounts {
  /** Container.Mounts. */
  mounts: MountSpec[];
  /** HostConfig.Binds: the -v values that have a source. */
  binds: string[];
  /** HostConfig.Mounts: the --mount requests as docker keeps them. */
  hostMounts: DockerMount[];
  /** HostConfig.VolumesFrom. */
  volumesFrom: string[];
  /** Config.Volumes: the image's plus `-v /ctr` paths (docker puts them there), or null. */
  configVolumes: Record<string, Record<string, never>> | null;
  /** Volumes this call created (removed again if the container is not created). */
  createdVolumes: string[];
}

export interface ParsedMountFlags {
  binds: ParsedVolumeFlag[];
  anonymous: string[];
  mounts: DockerMount[];
  volumesFrom: VolumesFromSpec[];
}

/** Pure: every flag parsed, docker's CLI errors first. */
export function parseMountFlags(flags: ContainerMountFlags): ParsedMountFlags {
  const cwd = flags.cwd ?? process.cwd();
  const parsed = (flags.volumes ?? []).map((v) => parseVolumeFlag(v, cwd));
  return {
    binds: parsed.filter((p) => p.bind !== undefined),
    anonymous: parsed.filter((p) => p.bind === undefined).map((p) => p.mount.Target!),
    mounts: (flags.mounts ?? []).map((m) => parseMountFlag(m, cwd)),
    volumesFrom: (flags.volumesFrom ?? []).map(parseVolumesFrom),
  };
}

function toSpec(p: PlannedMountPoint, store: VolumeStore): VolumeMountSpec {
  const common = { Destination: p.destination, RW: p.rw, Options: p.mode };
  if (p.type === 'volume') {
    return {
      Type: 'volume',
      Name: p.name,
      Source: store.dataDir(p.name!),
      ...common,
      Driver: 'local',
      Propagation: '',
      ...(p.anonymous ? { Anonymous: true } : {}),
      ...(p.noCopy ? { NoCopy: true } : {}),
    };
  }
  if (p.type === 'bind') {
    return { Type: 'bind', Source: p.source!, ...common, Propagation: p.propagation, ...(p.createSource ? { CreateSource: true } : {}) };
  }
  return { Type: 'tmpfs', Source: '', ...common, Propagation: '', TmpfsOptions: p.tmpfsOptions ?? '' };
}

/**
 * Parse and check the flags, create the volumes, and call `persist` (which writes the
 * container record) with the volumes lock held. Lock order: volumes, then the container
 * store's `names` lock inside `persist`; nothing takes them the other way round.
 */
export async function withContainerMounts<T>(engine: Engine, flags: ContainerMountFlags, persist: (m: ContainerMounts) => Promise<T> | T): Promise<T> {
  const parsed = parseMountFlags(flags);
  for (const m of parsed.mounts) {
    try {
      validateMount(m, (p) => existsSync(p));
    } catch (err) {
      if (err instanceof MountConfigError) throw new MinidockError(err.message, { kind: 'usage', context: { mount: m } });
      throw err;
    }
  }
  const configVolumes = [...Object.keys(flags.imageVolumes ?? {}), ...parsed.anonymous];
  const containers = new ContainerStore(engine);
  const store = new VolumeStore(engine);
  return store.locked(async () => {
    // Inside the lock: a borrowed anonymous volume cannot be removed (rm -v) meanwhile.
    const volumesFrom = parsed.volumesFrom.map((spec) => ({ spec, mounts: containers.get(spec.container).container.Mounts }));
    const points = planMountPoints({
      volumesFrom,
      binds: parsed.binds,
      mounts: parsed.mounts,
      tmpfs: Object.keys(flags.tmpfs ?? {}),
      configVolumes,
    });
    const created: string[] = [];
    try {
      for (const p of points) {
        if (p.type !== 'volume') continue;
        if (p.borrowed) store.require(p.name!);
        if (p.name && store.get(p.name)) continue;
        const r = store.createLocked({ name: p.name, anonymous: p.anonymous, labels: p.labels ?? null });
        p.name = r.volume.Name;
        if (r.created) created.push(r.volume.Name);
      }
      return await persist({
        mounts: points.map((p) => toSpec(p, store)),
        binds: parsed.binds.map((b) => b.bind!),
        hostMounts: parsed.mounts,
        volumesFrom: [...(flags.volumesFrom ?? [])],
        configVolumes: configVolumes.length ? Object.fromEntries(configVolumes.map((v) => [v, {}])) : null,
        createdVolumes: created,
      });
    } catch (err) {
      // The container was not created: the volumes made for it go too (they are unused).
      for (const name of created) store.removeLocked(name);
      throw err;
    }
  });
}
