// Which mount ends up at each destination of a new container, by docker's rules (moby
// daemon/volumes.go registerMountPoints, then create_unix.go for Config.Volumes):
//   1. mounts borrowed with --volumes-from (a later one replaces an earlier one);
//   2. `-v` binds and named volumes replace them; two on one path, or one on a --tmpfs
//      path, is "Duplicate mount point";
//   3. `--mount`s the same way;
//   4. every Config.Volumes path (the image's VOLUME, `-v /ctr`) not yet covered by a
//      mount or a --tmpfs gets a new anonymous volume.
// Pure: volumes are named here ('' = anonymous, to be created) but made by the caller.
import { MinidockError } from '../../errors.js';
import { cleanPath } from '../../overlay/securejoin.js';
import type { MountSpec } from '../model.js';
import { type DockerMount, MountConfigError, propagationOf, tmpfsOptions, validateMount } from './docker-mount.js';
import { extrasOf } from './mount-spec.js';
import { invalidSpec, type ParsedVolumeFlag, type VolumesFromSpec } from './parse-volume-flag.js';

export interface PlannedMountPoint {
  type: 'bind' | 'volume' | 'tmpfs';
  destination: string;
  rw: boolean;
  /** bind: the host path. */
  source?: string;
  /** volume: its name; '' for a new anonymous volume. */
  name?: string;
  anonymous: boolean;
  /** docker's Mounts[].Mode: the -v MODE field ("z" for a volume without one). */
  mode: string;
  propagation: string;
  noCopy: boolean;
  createSource: boolean;
  /** Labels for a volume this mount creates (`volume-label=`). */
  labels?: Record<string, string>;
  tmpfsOptions?: string;
  /** Taken from another container (--volumes-from): its volume must exist already. */
  borrowed?: boolean;
}

export interface MountPlanInput {
  volumesFrom?: { spec: VolumesFromSpec; mounts: readonly MountSpec[] }[];
  /** `-v` values that have a source (binds and named volumes). */
  binds?: readonly ParsedVolumeFlag[];
  /** `--mount` values, already through validateMount. */
  mounts?: readonly DockerMount[];
  /** --tmpfs destinations (HostConfig.Tmpfs keys). */
  tmpfs?: readonly string[];
  /** The image's VOLUME paths and `-v /ctr` destinations. */
  configVolumes?: readonly string[];
}

export const duplicateMountPoint = (dest: string) => new MinidockError(`Duplicate mount point: ${dest}`, { kind: 'usage', context: { destination: dest } });

/** A borrowed mount: same source, read-only if either side says so, never copied into. */
function borrow(m: MountSpec, readWrite: boolean): PlannedMountPoint | undefined {
  if (m.Type === 'tmpfs') return undefined; // a tmpfs belongs to its container; nothing to share
  const x = extrasOf(m);
  return {
    type: m.Type,
    destination: m.Destination,
    rw: m.RW && readWrite,
    source: m.Type === 'bind' ? m.Source : undefined,
    name: m.Type === 'volume' ? m.Name : undefined,
    anonymous: m.Anonymous === true,
    mode: m.Options ?? '',
    propagation: x.Propagation ?? '',
    noCopy: true,
    createSource: x.CreateSource === true,
    borrowed: true,
  };
}

function fromFlag(p: ParsedVolumeFlag): PlannedMountPoint {
  const m = p.mount;
  const volume = m.Type === 'volume';
  return {
    type: volume ? 'volume' : 'bind',
    destination: cleanPath(m.Target!),
    rw: !m.ReadOnly,
    source: volume ? undefined : m.Source,
    name: volume ? m.Source : undefined,
    anonymous: false,
    mode: volume && p.mode === '' ? 'z' : p.mode,
    propagation: volume ? '' : propagationOf(m),
    noCopy: m.VolumeOptions?.NoCopy === true,
    createSource: !volume,
  };
}

function fromMount(m: DockerMount): PlannedMountPoint {
  const base = { destination: cleanPath(m.Target!), rw: !m.ReadOnly, noCopy: false, createSource: false };
  if (m.Type === 'bind') {
    return { ...base, type: 'bind', source: cleanPath(m.Source!), anonymous: false, mode: '', propagation: propagationOf(m), createSource: m.BindOptions?.CreateMountpoint === true };
  }
  if (m.Type === 'tmpfs') return { ...base, type: 'tmpfs', anonymous: false, mode: '', propagation: '', tmpfsOptions: tmpfsOptions(m) };
  const name = m.Source ?? '';
  return {
    ...base,
    type: 'volume',
    name,
    anonymous: name === '',
    mode: 'z',
    propagation: '',
    noCopy: m.VolumeOptions?.NoCopy === true,
    labels: m.VolumeOptions?.Labels,
  };
}

function checkConfigVolume(path: string): string {
  try {
    validateMount({ Type: 'volume', Target: path });
  } catch (err) {
    if (err instanceof MountConfigError) throw new MinidockError(`${invalidSpec(path)}: ${err.message}`, { kind: 'usage' });
    throw err;
  }
  return cleanPath(path);
}

export function planMountPoints(input: MountPlanInput): PlannedMountPoint[] {
  const points = new Map<string, PlannedMountPoint>();
  const tmpfs = new Set((input.tmpfs ?? []).map(cleanPath));
  for (const { spec, mounts } of input.volumesFrom ?? []) {
    for (const m of mounts) {
      const p = borrow(m, spec.readWrite);
      if (p) points.set(p.destination, p);
    }
  }
  // Destinations given by -v and --mount: each may appear once (volumes-from ones may be replaced).
  const claimed = new Set<string>();
  const claim = (p: PlannedMountPoint, shown: string) => {
    if (claimed.has(p.destination) || tmpfs.has(p.destination)) throw duplicateMountPoint(shown);
    claimed.add(p.destination);
    points.set(p.destination, p);
  };
  for (const b of input.binds ?? []) {
    const p = fromFlag(b);
    claim(p, p.destination);
  }
  for (const m of input.mounts ?? []) claim(fromMount(m), m.Target!);
  for (const path of input.configVolumes ?? []) {
    const dest = checkConfigVolume(path);
    if (points.has(dest) || tmpfs.has(dest)) continue;
    points.set(dest, { type: 'volume', destination: dest, rw: true, name: '', anonymous: true, mode: '', propagation: '', noCopy: false, createSource: false });
  }
  return [...points.values()];
}
