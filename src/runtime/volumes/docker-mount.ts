// docker's mount request (api/types/mount.Mount: what `--mount` sends, and what `-v` is
// parsed into) and the daemon's check of it (moby volume/mounts/linux_parser.go,
// validateMountConfigImpl), with docker's error texts. Pure: the one filesystem question,
// "does the bind source exist?", is asked through a callback.
import { cleanPath } from '../../overlay/securejoin.js';

export type MountType = 'bind' | 'volume' | 'tmpfs';

/** Field names and nesting as in docker's API, so `inspect` can show HostConfig.Mounts. */
export interface DockerMount {
  /** Any string the user typed; validation refuses the ones minidock does not know. */
  Type: string;
  Source?: string;
  Target?: string;
  ReadOnly?: boolean;
  Consistency?: string;
  BindOptions?: { Propagation?: string; NonRecursive?: boolean; CreateMountpoint?: boolean };
  VolumeOptions?: {
    NoCopy?: boolean;
    Labels?: Record<string, string>;
    Subpath?: string;
    DriverConfig?: { Name?: string; Options?: Record<string, string> };
  };
  TmpfsOptions?: { SizeBytes?: number; Mode?: number };
}

export const PROPAGATION_MODES = ['private', 'rprivate', 'slave', 'rslave', 'shared', 'rshared'];
const DEFAULT_PROPAGATION = 'rprivate';

/** moby's errMountConfig: `invalid mount config for type "bind": <why>`. */
export class MountConfigError extends Error {
  constructor(type: string, why: string) {
    super(`invalid mount config for type ${JSON.stringify(type)}: ${why}`);
    this.name = 'MountConfigError';
  }
}

const missing = (field: string) => `field ${field} must not be empty`;
const extra = (field: string) => `field ${field} must not be specified`;

function targetProblem(target: string): string | undefined {
  if (cleanPath(target) === '/') return "invalid specification: destination can't be '/'";
  if (!target.startsWith('/')) return `invalid mount path: '${target}' mount path must be absolute`;
  return undefined;
}

/**
 * The daemon's check of one mount. `bindSourceExists` is consulted for `--mount type=bind`
 * (docker refuses a missing source there) and omitted for `-v`, which creates it at start.
 */
export function validateMount(m: DockerMount, bindSourceExists?: (path: string) => boolean): void {
  const fail = (why: string) => new MountConfigError(m.Type, why);
  const target = m.Target ?? '';
  if (target === '') throw fail(missing('Target'));
  const t = targetProblem(target);
  if (t) throw fail(t);
  const source = m.Source ?? '';
  switch (m.Type) {
    case 'bind': {
      if (source === '') throw fail(missing('Source'));
      const prop = m.BindOptions?.Propagation;
      if (prop && !PROPAGATION_MODES.includes(prop)) throw fail(`invalid propagation mode: ${prop}`);
      if (m.VolumeOptions) throw fail(extra('VolumeOptions'));
      if (!source.startsWith('/')) throw fail(`invalid mount path: '${source}' mount path must be absolute`);
      if (bindSourceExists && !m.BindOptions?.CreateMountpoint && !bindSourceExists(source)) {
        throw fail(`bind source path does not exist: ${source}`);
      }
      return;
    }
    case 'volume': {
      if (m.BindOptions) throw fail(extra('BindOptions'));
      const anonymous = source === '';
      const sub = m.VolumeOptions?.Subpath;
      if (sub) {
        if (anonymous) throw fail('must not set Subpath when using anonymous volumes');
        throw fail('volume subpaths are not supported by minidock');
      }
      if (m.ReadOnly && anonymous) throw fail('must not set ReadOnly mode when using anonymous volumes');
      const driver = m.VolumeOptions?.DriverConfig?.Name;
      if (driver && driver !== 'local') throw fail(`volume driver ${JSON.stringify(driver)} is not available: minidock has only the "local" driver`);
      const opts = m.VolumeOptions?.DriverConfig?.Options;
      if (opts && Object.keys(opts).length) throw fail('volume driver options (volume-opt) are not supported by minidock');
      return;
    }
    case 'tmpfs':
      if (m.BindOptions) throw fail(extra('BindOptions'));
      if (source !== '') throw fail(extra('Source'));
      return;
    default:
      throw fail('mount type unknown');
  }
}

/** moby's ConvertTmpfsOptions: `ro,mode=1777,size=64m` (size in the largest exact unit). */
export function tmpfsOptions(m: Pick<DockerMount, 'ReadOnly' | 'TmpfsOptions'>): string {
  const out: string[] = [];
  if (m.ReadOnly) out.push('ro');
  const mode = m.TmpfsOptions?.Mode;
  if (mode) out.push(`mode=${mode.toString(8)}`);
  const size = m.TmpfsOptions?.SizeBytes;
  if (size) {
    const unit = ([['g', 2 ** 30], ['m', 2 ** 20], ['k', 2 ** 10]] as const).find(([, d]) => size % d === 0);
    out.push(unit ? `size=${size / unit[1]}${unit[0]}` : `size=${size}`);
  }
  return out.join(',');
}

export function propagationOf(m: DockerMount): string {
  return m.BindOptions?.Propagation || DEFAULT_PROPAGATION;
}
