// `--mount type=bind|volume|tmpfs,source=…,target=…,…` as the docker CLI reads it
// (docker/cli opts/mount.go): one CSV record of key=value fields with docker's aliases
// (src/source, dst/destination/target, ro/readonly), defaulting to type=volume. Errors are
// the CLI's, inside its flag message: `invalid argument "…" for "--mount" flag: …`.
// The daemon's checks (missing source, bind source that does not exist) are in
// docker-mount.ts, run at create time.
import { MinidockError } from '../../errors.js';
import { cleanPath } from '../../overlay/securejoin.js';
import { csvFields, ramInBytes } from '../../image/dockerfile/run-mount.js';
import type { DockerMount } from './docker-mount.js';

const BOOLEAN_KEYS = ['readonly', 'ro', 'volume-nocopy', 'bind-nonrecursive', 'bind-create-src'];

/** The CLI's parseBoolValue: no value means true; otherwise only 1, true, 0, false. */
function boolValue(key: string, val: string, hasValue: boolean): boolean {
  if (!hasValue) return true;
  if (val === '1' || val === 'true') return true;
  if (val === '0' || val === 'false') return false;
  throw new Error(`invalid value for '${key}': invalid boolean value (${JSON.stringify(val)}): must be one of "true", "1", "false", or "0" (default "true")`);
}

function setKV(target: Record<string, string> | undefined, kv: string): Record<string, string> | undefined {
  const eq = kv.indexOf('=');
  const k = eq < 0 ? kv : kv.slice(0, eq);
  if (k === '') return target;
  return { ...target, [k]: eq < 0 ? '' : kv.slice(eq + 1) };
}

/** Applies one `key[=value]` field to `m`; throws the CLI's message for a bad one. */
function applyField(m: DockerMount, field: string, cwd: string): void {
  const eq = field.indexOf('=');
  const hasValue = eq >= 0;
  const rawKey = hasValue ? field.slice(0, eq) : field;
  const val = hasValue ? field.slice(eq + 1) : '';
  if (rawKey.trim() !== rawKey) throw new Error(`invalid option '${rawKey.trim()}' in '${field}': option should not have whitespace`);
  if (hasValue) {
    if (val.trim() === '') throw new Error(`invalid value for '${rawKey}': value is empty`);
    if (val.trim() !== val) throw new Error(`invalid value for '${rawKey}' in '${field}': value should not have whitespace`);
  }
  const key = rawKey.toLowerCase();
  if (!hasValue && !BOOLEAN_KEYS.includes(key)) throw new Error(`invalid field '${field}' must be a key=value pair`);
  const bind = () => (m.BindOptions ??= {});
  const vol = () => (m.VolumeOptions ??= {});
  const tmpfs = () => (m.TmpfsOptions ??= {});
  switch (key) {
    case 'type':
      m.Type = val.toLowerCase();
      return;
    case 'source':
    case 'src':
      // The CLI makes `.`-relative sources absolute; a volume name never starts with '.'.
      m.Source = !val.startsWith('/') && val.startsWith('.') ? cleanPath(`${cwd}/${val}`) : val;
      return;
    case 'target':
    case 'dst':
    case 'destination':
      m.Target = val;
      return;
    case 'readonly':
    case 'ro':
      m.ReadOnly = boolValue(key, val, hasValue);
      return;
    case 'consistency':
      m.Consistency = val.toLowerCase();
      return;
    case 'bind-propagation':
      bind().Propagation = val.toLowerCase();
      return;
    case 'bind-nonrecursive':
      throw new Error('bind-nonrecursive is deprecated, use bind-recursive=disabled instead');
    case 'bind-recursive':
      if (val === 'enabled') return;
      if (val === 'disabled') {
        bind().NonRecursive = true;
        return;
      }
      throw new Error(`invalid value for ${key}: ${val} (minidock supports "enabled" and "disabled")`);
    case 'bind-create-src':
      bind().CreateMountpoint = boolValue(key, val, hasValue);
      return;
    case 'volume-subpath':
      vol().Subpath = val;
      return;
    case 'volume-nocopy':
      vol().NoCopy = boolValue(key, val, hasValue);
      return;
    case 'volume-label':
      vol().Labels = setKV(vol().Labels, val);
      return;
    case 'volume-driver':
      (vol().DriverConfig ??= {}).Name = val;
      return;
    case 'volume-opt': {
      const d = (vol().DriverConfig ??= {});
      d.Options = setKV(d.Options, val);
      return;
    }
    case 'tmpfs-size': {
      const n = ramInBytes(val);
      if (n === undefined) throw new Error(`invalid value for ${key}: ${val}`);
      tmpfs().SizeBytes = n;
      return;
    }
    case 'tmpfs-mode': {
      // strconv.ParseUint(val, 8, 32)
      if (!/^[0-7]+$/.test(val) || parseInt(val, 8) > 0xffffffff) throw new Error(`invalid value for ${key}: ${val}`);
      tmpfs().Mode = parseInt(val, 8);
      return;
    }
    default:
      throw new Error(`unknown option '${key}' in '${field}'`);
  }
}

/** The CLI's validateExclusiveOptions: options of one mount type only. */
function checkExclusive(m: DockerMount): void {
  if (m.Type === '') throw new Error('type is required');
  if (m.Type !== 'bind' && m.BindOptions) throw new Error(`cannot mix 'bind-*' options with mount type '${m.Type}'`);
  if (m.Type !== 'volume' && m.VolumeOptions) throw new Error(`cannot mix 'volume-*' options with mount type '${m.Type}'`);
  if (m.Type !== 'tmpfs' && m.TmpfsOptions) throw new Error(`cannot mix 'tmpfs-*' options with mount type '${m.Type}'`);
}

/** One `--mount` value. `cwd` resolves `source=./dir`. */
export function parseMountFlag(value: string, cwd: string): DockerMount {
  const fail = (why: string) =>
    new MinidockError(`invalid argument ${JSON.stringify(value)} for "--mount" flag: ${why}`, { kind: 'usage', context: { value } });
  const text = value.trim();
  if (text === '') throw fail('value is empty');
  const m: DockerMount = { Type: 'volume' };
  try {
    for (const field of csvFields(text, 'mounts')) applyField(m, field, cwd);
    checkExclusive(m);
  } catch (err) {
    throw fail(err instanceof MinidockError ? err.message : (err as Error).message);
  }
  return m;
}
