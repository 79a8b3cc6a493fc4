// --mount type=bind|volume|tmpfs|image,source=…,target=…,readonly,… (docker/cli opts/mount.go
// as in docker 28) and the daemon's checks that need no filesystem (linux_parser.go).
import { posix } from 'node:path';
import { readCsvRecord } from './csv.js';
import { badValue } from './flag-error.js';
import { ramInBytes } from './memory.js';
import { parseBool, parseUint } from './strconv.js';
import { validateVolumeName, type Propagation } from './volume.js';

/** The API's mount.Mount, as far as --mount fills it. */
export interface Mount {
  Type: string;
  Source?: string;
  Target: string;
  ReadOnly?: boolean;
  Consistency?: string;
  BindOptions?: {
    Propagation?: string;
    NonRecursive?: boolean;
    ReadOnlyNonRecursive?: boolean;
    ReadOnlyForceRecursive?: boolean;
  };
  VolumeOptions?: {
    NoCopy?: boolean;
    Labels?: Record<string, string>;
    DriverConfig?: { Name?: string; Options?: Record<string, string> };
    Subpath?: string;
  };
  TmpfsOptions?: { SizeBytes?: number; Mode?: number };
  ImageOptions?: { Subpath?: string };
}

function setOnMap(target: Record<string, string>, kv: string): void {
  const eq = kv.indexOf('=');
  const k = eq < 0 ? kv : kv.slice(0, eq);
  if (k !== '') target[k] = eq < 0 ? '' : kv.slice(eq + 1);
}

/** Parses one --mount value. `cwd` resolves a `./relative` source, as the CLI does. */
export function parseMountFlag(value: string, cwd: string): Mount {
  const fields = readCsvRecord(value);
  const m: Mount = { Type: 'volume', Target: '' };
  const vol = () => (m.VolumeOptions ??= { Labels: {}, DriverConfig: {} });
  const bind = () => (m.BindOptions ??= {});
  const tmpfs = () => (m.TmpfsOptions ??= {});
  const image = () => (m.ImageOptions ??= {});
  const bool = (key: string, val: string, msg = `invalid value for ${key}: ${val}`) => {
    try {
      return parseBool(val);
    } catch {
      throw badValue(msg);
    }
  };
  for (const field of fields) {
    const eq = field.indexOf('=');
    // Keys are matched case-insensitively (a docker quirk marked TODO upstream).
    const key = (eq < 0 ? field : field.slice(0, eq)).toLowerCase();
    const val = eq < 0 ? '' : field.slice(eq + 1);
    if (eq < 0) {
      if (key === 'readonly' || key === 'ro') m.ReadOnly = true;
      else if (key === 'volume-nocopy') vol().NoCopy = true;
      else if (key === 'bind-nonrecursive') bind().NonRecursive = true;
      else throw badValue(`invalid field '${field}' must be a key=value pair`);
      continue;
    }
    switch (key) {
      case 'type':
        m.Type = val.toLowerCase();
        break;
      case 'source':
      case 'src':
        m.Source = val === '.' || val.startsWith('./') ? posix.resolve(cwd, val) : val;
        break;
      case 'target':
      case 'dst':
      case 'destination':
        m.Target = val;
        break;
      case 'readonly':
      case 'ro':
        m.ReadOnly = bool(key, val);
        break;
      case 'consistency':
        m.Consistency = val.toLowerCase();
        break;
      case 'bind-propagation':
        bind().Propagation = val.toLowerCase();
        break;
      case 'bind-nonrecursive':
        bind().NonRecursive = bool(key, val);
        break;
      case 'bind-recursive':
        if (val === 'disabled') bind().NonRecursive = true;
        else if (val === 'writable') bind().ReadOnlyNonRecursive = true;
        else if (val === 'readonly') bind().ReadOnlyForceRecursive = true;
        else if (val !== 'enabled') {
          throw badValue(`invalid value for ${key}: ${val} (must be "enabled", "disabled", "writable", or "readonly")`);
        }
        break;
      case 'volume-subpath':
        vol().Subpath = val;
        break;
      case 'volume-nocopy':
        vol().NoCopy = bool(key, val, `invalid value for volume-nocopy: ${val}`);
        break;
      case 'volume-label':
        setOnMap(vol().Labels!, val);
        break;
      case 'volume-driver':
        vol().DriverConfig!.Name = val;
        break;
      case 'volume-opt':
        setOnMap((vol().DriverConfig!.Options ??= {}), val);
        break;
      case 'image-subpath':
        image().Subpath = val;
        break;
      case 'tmpfs-size':
        try {
          tmpfs().SizeBytes = ramInBytes(val);
        } catch {
          throw badValue(`invalid value for ${key}: ${val}`);
        }
        break;
      case 'tmpfs-mode':
        try {
          tmpfs().Mode = Number(parseUint(val, 8, 32));
        } catch {
          throw badValue(`invalid value for ${key}: ${val}`);
        }
        break;
      default:
        throw badValue(`unexpected key '${key}' in '${field}'`);
    }
  }
  if (m.Type === '') throw badValue('type is required');
  if (m.Target === '') throw badValue('target is required');
  for (const [opts, type, prefix] of [
    [m.VolumeOptions, 'volume', 'volume'],
    [m.ImageOptions, 'image', 'image'],
    [m.BindOptions, 'bind', 'bind'],
    [m.TmpfsOptions, 'tmpfs', 'tmpfs'],
  ] as const) {
    if (opts !== undefined && m.Type !== type) throw badValue(`cannot mix '${prefix}-*' options with mount type '${m.Type}'`);
  }
  if (m.BindOptions?.ReadOnlyNonRecursive && !m.ReadOnly) {
    throw badValue("option 'bind-recursive=writable' requires 'readonly' to be specified in conjunction");
  }
  if (m.BindOptions?.ReadOnlyForceRecursive) {
    if (!m.ReadOnly) throw badValue("option 'bind-recursive=readonly' requires 'readonly' to be specified in conjunction");
    if (m.BindOptions.Propagation !== 'rprivate') {
      throw badValue("option 'bind-recursive=readonly' requires 'bind-propagation=rprivate' to be specified in conjunction");
    }
  }
  return m;
}

const PROPAGATIONS: readonly Propagation[] = ['private', 'rprivate', 'slave', 'rslave', 'shared', 'rshared'];

/**
 * The daemon's validateMountConfig, without the bind-source-exists check (which needs the
 * filesystem: the caller must stat Source and fail with
 * `invalid mount config for type "bind": bind source path does not exist: <path>`).
 */
export function validateMount(m: Mount): void {
  const fail = (msg: string) => badValue(`invalid mount config for type ${JSON.stringify(m.Type)}: ${msg}`);
  if (m.Target === '') throw fail('field Target must not be empty');
  if (posix.normalize(m.Target.replace(/\\/g, '/')) === '/') throw fail("invalid specification: destination can't be '/'");
  if (!posix.isAbsolute(m.Target)) throw fail(`invalid mount path: '${m.Target}' mount path must be absolute`);
  switch (m.Type) {
    case 'bind':
      if (!m.Source) throw fail('field Source must not be empty');
      if (m.BindOptions?.Propagation && !PROPAGATIONS.includes(m.BindOptions.Propagation as Propagation)) {
        throw fail(`invalid propagation mode: ${m.BindOptions.Propagation}`);
      }
      if (m.VolumeOptions) throw fail('field VolumeOptions must not be specified');
      if (!posix.isAbsolute(m.Source)) throw fail(`invalid mount path: '${m.Source}' mount path must be absolute`);
      return;
    case 'volume':
      if (m.BindOptions) throw fail('field BindOptions must not be specified');
      if (!m.Source && m.ReadOnly) throw fail('must not set ReadOnly mode when using anonymous volumes');
      if (m.Source) validateVolumeName(m.Source);
      return;
    case 'tmpfs':
      if (m.BindOptions) throw fail('field BindOptions must not be specified');
      if (m.Source) throw fail('field Source must not be specified');
      return;
    default:
      throw fail('mount type unknown');
  }
}

/**
 * ConvertTmpfsOptions: the mount data for a tmpfs --mount, e.g. `ro,mode=1777,size=64m` (the
 * size in the largest unit that divides it).
 */
export function tmpfsMountData(m: Mount): string {
  const opts: string[] = [];
  if (m.ReadOnly) opts.push('ro');
  const t = m.TmpfsOptions;
  if (t?.Mode) opts.push(`mode=${t.Mode.toString(8)}`);
  if (t?.SizeBytes) {
    let size = t.SizeBytes;
    let suffix = '';
    for (const [s, div] of [['g', 2 ** 30], ['m', 2 ** 20], ['k', 2 ** 10]] as const) {
      if (size % div === 0) {
        size /= div;
        suffix = s;
        break;
      }
    }
    opts.push(`size=${size}${suffix}`);
  }
  return opts.join(',');
}
