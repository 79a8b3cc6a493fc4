// -v/--volume `[source:]target[:mode]`: the CLI's split (compose loader ParseVolume, relative
// host paths made absolute) and the daemon's (volume/mounts/linux_parser.go ParseMountRaw):
// `/host:/ctr:ro,z` is a bind, `name:/ctr` a named volume, `/ctr` an anonymous volume.
import { posix } from 'node:path';
import { badValue } from './flag-error.js';

export type Propagation = 'private' | 'rprivate' | 'slave' | 'rslave' | 'shared' | 'rshared';
const PROPAGATION: readonly string[] = ['private', 'rprivate', 'slave', 'rslave', 'shared', 'rshared'];
const RW_MODES: readonly string[] = ['rw', 'ro', 'ro-non-recursive', 'ro-force-recursive', 'rro'];
const CONSISTENCY: readonly string[] = ['consistent', 'cached', 'delegated'];

export interface VolumeSpec {
  type: 'bind' | 'volume';
  /** Host path (bind), volume name, or '' for an anonymous volume. */
  source: string;
  target: string;
  readOnly: boolean;
  /** The mode text as given (`ro,z`), as docker keeps it in Mounts[].Mode. */
  mode: string;
  /** Bind propagation; docker's default is rprivate. */
  propagation: Propagation;
  /** SELinux relabel request: `z` (shared) or `Z` (private). */
  relabel?: 'z' | 'Z';
  /** `nocopy`: do not copy image content into a new volume. */
  noCopy: boolean;
  /** `ro-non-recursive` / `ro-force-recursive` (`rro`). */
  readOnlyNonRecursive?: boolean;
  readOnlyForceRecursive?: boolean;
}

/** linuxValidMountMode: comma-separated modes, at most one of each kind. */
export function isValidMountMode(mode: string): boolean {
  if (mode === '') return true;
  const counts = { rw: 0, label: 0, prop: 0, copy: 0, consistency: 0 };
  for (const o of mode.split(',')) {
    if (RW_MODES.includes(o)) counts.rw++;
    else if (o === 'z' || o === 'Z') counts.label++;
    else if (PROPAGATION.includes(o)) counts.prop++;
    else if (o === 'nocopy') counts.copy++;
    else if (CONSISTENCY.includes(o)) counts.consistency++;
    else return false;
  }
  return Object.values(counts).every((n) => n <= 1);
}

const VOLUME_NAME = /^[a-zA-Z0-9][a-zA-Z0-9_.-]+$/;

/** The local volume driver's name rule, with its error text. */
export function validateVolumeName(name: string): void {
  if (!VOLUME_NAME.test(name)) {
    throw badValue(
      `create ${name}: ${JSON.stringify(name)} includes invalid characters for a local volume name, only "[a-zA-Z0-9][a-zA-Z0-9_.-]" are allowed. If you intended to pass a host directory, use absolute path`,
    );
  }
}

/** The CLI's pre-check (compose ParseVolume): no empty section between colons. */
function checkSections(spec: string): void {
  if (spec === '') throw badValue('invalid empty volume spec');
  if (spec.length <= 2) return;
  if (spec.split(':').some((s) => s === '')) throw badValue(`invalid spec: ${spec}: empty section between colons`);
}

/** Parses one -v value. `cwd` resolves `./relative` host paths, as the docker CLI does. */
export function parseVolumeFlag(spec: string, cwd: string): VolumeSpec {
  checkSections(spec);
  const colon = spec.indexOf(':');
  if (colon > 0 && spec.startsWith('.')) {
    spec = posix.resolve(cwd, spec.slice(0, colon)) + spec.slice(colon);
  }
  const invalidSpec = () => badValue(`invalid volume specification: '${spec}'`);
  const arr = splitN(spec, ':', 4);
  if (arr[0] === '') throw invalidSpec();
  let source = '';
  let target: string;
  let mode = '';
  switch (arr.length) {
    case 1:
      target = arr[0];
      break;
    case 2:
      // `/foo:rw` names a mode where the target should be: not a valid volume.
      if (isValidMountMode(arr[1])) throw invalidSpec();
      [source, target] = arr;
      break;
    case 3:
      [source, target, mode] = arr;
      break;
    default:
      throw invalidSpec();
  }
  if (!isValidMountMode(mode)) throw badValue(`invalid mode: ${mode}`);
  const type = posix.isAbsolute(source) ? 'bind' : 'volume';
  const modes = mode === '' ? [] : mode.split(',');
  const readOnly = modes.some((m) => m === 'ro' || m.startsWith('ro-') || m === 'rro');
  const forced = modes.find((m) => m.startsWith('ro-') || m === 'rro');
  if (forced !== undefined && type !== 'bind') {
    throw badValue(`mount mode ${JSON.stringify(mode)} requires a bind mount: invalid volume specification: '${spec}'`);
  }
  const fail = (msg: string) => badValue(`invalid volume specification: '${spec}': invalid mount config for type "${type}": ${msg}`);
  if (target === '') throw fail('field Target must not be empty');
  if (posix.normalize(target.replace(/\\/g, '/')) === '/') {
    throw badValue(`invalid volume specification: '${spec}': invalid specification: destination can't be '/'`);
  }
  if (!posix.isAbsolute(target)) throw fail(`invalid mount path: '${target}' mount path must be absolute`);
  if (type === 'volume') {
    if (source === '' && readOnly) throw fail('must not set ReadOnly mode when using anonymous volumes');
    if (source !== '') validateVolumeName(source);
  }
  const label = modes.find((m) => m === 'z' || m === 'Z') as 'z' | 'Z' | undefined;
  return {
    type,
    source: type === 'bind' ? posix.normalize(source) : source,
    target: posix.normalize(target),
    readOnly,
    mode,
    propagation: (modes.find((m) => PROPAGATION.includes(m)) as Propagation | undefined) ?? 'rprivate',
    ...(label ? { relabel: label } : {}),
    noCopy: modes.includes('nocopy'),
    ...(forced === 'ro-non-recursive' ? { readOnlyNonRecursive: true } : {}),
    ...(forced === 'ro-force-recursive' || forced === 'rro' ? { readOnlyForceRecursive: true } : {}),
  };
}

function splitN(s: string, sep: string, n: number): string[] {
  const parts = s.split(sep);
  return parts.length <= n ? parts : [...parts.slice(0, n - 1), parts.slice(n - 1).join(sep)];
}
