// `-v`/`--volume SRC:DST[:MODE]` and `--volumes-from CONTAINER[:MODE]`, as the docker CLI
// and daemon read them (docker/cli container/opts.go, moby volume/mounts/linux_parser.go
// ParseMountRaw/ParseVolumesFrom). Pure and table-tested.
//
//   /host:/ctr[:ro]   bind (absolute source; `./x` is made absolute by the CLI)
//   name:/ctr         named volume, created on first use
//   /ctr              anonymous volume (docker puts it in Config.Volumes, like VOLUME)
import { MinidockError } from '../../errors.js';
import { cleanPath } from '../../overlay/securejoin.js';
import { type DockerMount, MountConfigError, PROPAGATION_MODES, validateMount } from './docker-mount.js';
import { volumeNameProblem } from './names.js';

const RW_MODES = ['rw', 'ro', 'ro-non-recursive', 'ro-force-recursive', 'rro'];
const READ_ONLY_MODES = ['ro', 'ro-non-recursive', 'ro-force-recursive', 'rro'];
const LABEL_MODES = ['z', 'Z'];
const COPY_MODES = ['nocopy'];
const CONSISTENCY_MODES = ['consistent', 'cached', 'delegated'];
const MODE_GROUPS = [RW_MODES, LABEL_MODES, PROPAGATION_MODES, COPY_MODES, CONSISTENCY_MODES];

/** linuxValidMountMode: every option known, at most one of each kind ('' is valid). */
export function isValidMode(mode: string): boolean {
  if (mode === '') return true;
  const counts = MODE_GROUPS.map(() => 0);
  for (const o of mode.split(',')) {
    const g = MODE_GROUPS.findIndex((group) => group.includes(o));
    if (g < 0) return false;
    counts[g]++;
  }
  return counts.every((n) => n <= 1);
}

export function isReadWriteMode(mode: string): boolean {
  return isValidMode(mode) && !mode.split(',').some((o) => READ_ONLY_MODES.includes(o));
}

export const invalidSpec = (raw: string) => `invalid volume specification: '${raw}'`;
export const invalidMode = (mode: string) => `invalid mode: ${mode}`;

const usage = (message: string, raw: string) => new MinidockError(message, { kind: 'usage', context: { value: raw } });

export interface ParsedVolumeFlag {
  /** The mount as docker's API would carry it. */
  mount: DockerMount;
  /** The MODE field as given (`ro,z`): the container's Mounts[].Mode. */
  mode: string;
  /** The value as HostConfig.Binds keeps it (relative source made absolute); none for `-v /ctr`. */
  bind?: string;
}

/** The CLI's step: `./data:/x` and `../d:/x` bind the directory relative to the working dir. */
function absolutizeSource(raw: string, cwd: string): string {
  const colon = raw.indexOf(':');
  if (colon <= 0) return raw;
  const host = raw.slice(0, colon);
  if (host.startsWith('/') || !host.startsWith('.')) return raw;
  return `${cleanPath(`${cwd}/${host}`)}${raw.slice(colon)}`;
}

/** One `-v` value. `cwd` resolves relative sources (`./data`) as the docker CLI does. */
export function parseVolumeFlag(value: string, cwd: string): ParsedVolumeFlag {
  const raw = absolutizeSource(value, cwd);
  // Go's strings.SplitN(raw, ":", 4)
  const parts = raw.split(':');
  const arr = parts.length > 4 ? [...parts.slice(0, 3), parts.slice(3).join(':')] : parts;
  if (arr[0] === '') throw usage(invalidSpec(raw), raw);
  let source = '';
  let target: string;
  let mode = '';
  switch (arr.length) {
    case 1:
      target = arr[0];
      break;
    case 2:
      // `/foo:rw` is a destination with a mode, which a volume cannot be.
      if (isValidMode(arr[1])) throw usage(invalidSpec(raw), raw);
      [source, target] = arr;
      break;
    case 3:
      [source, target, mode] = arr;
      break;
    default:
      throw usage(invalidSpec(raw), raw);
  }
  if (!isValidMode(mode)) throw usage(invalidMode(mode), raw);

  const opts = mode.split(',');
  const m: DockerMount = {
    Type: source.startsWith('/') ? 'bind' : 'volume',
    Source: source,
    Target: target,
    ReadOnly: !isReadWriteMode(mode),
  };
  if (opts.includes('nocopy')) m.VolumeOptions = { NoCopy: true };
  const propagation = opts.find((o) => PROPAGATION_MODES.includes(o));
  if (propagation) m.BindOptions = { Propagation: propagation };
  try {
    validateMount(m); // no existence check: -v creates a missing host directory at start
  } catch (err) {
    if (err instanceof MountConfigError) throw usage(`${invalidSpec(raw)}: ${err.message}`, raw);
    throw err;
  }
  if (m.Type === 'bind') m.Source = cleanPath(source);
  if (m.Type === 'volume' && source !== '') {
    const problem = volumeNameProblem(source);
    if (problem) throw usage(`create ${source}: ${problem}`, raw);
  }
  return { mount: m, mode, bind: source === '' ? undefined : raw };
}

export interface VolumesFromSpec {
  container: string;
  /** 'rw' when none was given. */
  mode: string;
  readWrite: boolean;
}

/** One `--volumes-from` value (ParseVolumesFrom). */
export function parseVolumesFrom(spec: string): VolumesFromSpec {
  if (spec === '') throw usage('volumes-from specification cannot be an empty string', spec);
  const colon = spec.indexOf(':');
  const container = colon < 0 ? spec : spec.slice(0, colon);
  const mode = colon < 0 ? '' : spec.slice(colon + 1);
  if (mode === '') return { container, mode: 'rw', readWrite: true };
  const opts = mode.split(',');
  // Propagation and copy modes belong to the original mount, not to the borrower.
  if (!isValidMode(mode) || opts.some((o) => PROPAGATION_MODES.includes(o) || COPY_MODES.includes(o))) {
    throw usage(invalidMode(mode), spec);
  }
  return { container, mode, readWrite: isReadWriteMode(mode) };
}
