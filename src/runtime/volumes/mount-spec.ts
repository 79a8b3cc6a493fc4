// The container record's mounts (model.ts MountSpec: docker's Type, Source, Destination, RW,
// Name, Mode-as-Options) and the few fields minidock keeps beside them. MountSpecSchema is
// a loose object, so these extra fields survive the record's round trip through zod; they
// are read back here with type checks, never trusted as typed.
import type { MountSpec } from '../model.js';

export interface MountSpecExtras {
  /** docker's Mounts[].Driver ("local" for volumes). */
  Driver?: string;
  /** docker's Mounts[].Propagation ("rprivate" for binds). minidock mounts are always private. */
  Propagation?: string;
  /** `volume-nocopy`/`:nocopy`, and volumes borrowed with --volumes-from: no copy-up. */
  NoCopy?: boolean;
  /** A `-v` bind: a missing host directory is created at start (docker's -v rule). */
  CreateSource?: boolean;
  /** tmpfs mount data (`size=64m,mode=1777`) of a `--mount type=tmpfs`. */
  TmpfsOptions?: string;
}

export type VolumeMountSpec = MountSpec & MountSpecExtras;

export function extrasOf(m: MountSpec): MountSpecExtras {
  const r = m as Record<string, unknown>;
  const str = (v: unknown) => (typeof v === 'string' ? v : undefined);
  return {
    Driver: str(r.Driver),
    Propagation: str(r.Propagation),
    NoCopy: r.NoCopy === true,
    CreateSource: r.CreateSource === true,
    TmpfsOptions: str(r.TmpfsOptions),
  };
}
