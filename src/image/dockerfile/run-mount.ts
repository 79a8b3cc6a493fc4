// RUN --mount=type=...,key=value and RUN --device=name[,required], parsed into typed values
// with BuildKit's keys, defaults and errors (instructions/commands_runmount.go,
// commands_rundevice.go), so the builder can refuse precisely what it does not support.
// https://docs.docker.com/reference/dockerfile/#run---mount
import { invalid } from '../../errors.js';
import { parseGoBool, parseGoUint32 } from './go-text.js';
import { withSuggestion } from './suggest.js';
import type { CacheSharing, MountType, RunDevice, RunMount } from './types.js';

const MOUNT_TYPES: readonly MountType[] = ['bind', 'cache', 'tmpfs', 'secret', 'ssh'];
const SHARING: readonly CacheSharing[] = ['shared', 'private', 'locked'];
const MOUNT_KEYS = [
  'type', 'from', 'source', 'target', 'readonly', 'id', 'sharing', 'required', 'size', 'mode', 'uid', 'gid',
  'src', 'dst', 'destination', 'ro', 'rw', 'readwrite', 'env',
];

/** Expands one value with the stage environment (RUN mount values are expanded at build time). */
export type WordExpander = (word: string) => string;

/**
 * Parse one --mount value. Without `expand`, values are not interpreted (they may hold
 * variables): only `from=` is checked, which may never use one. With it, every key=value is
 * expanded, then validated.
 */
export function parseRunMount(spec: string, expand?: WordExpander): RunMount {
  const fields = csvFields(spec, 'mounts');
  const m: RunMount = { type: 'bind', readonly: false, required: false };
  let readonlyAuto = true;
  for (const field of fields) {
    const eq = field.indexOf('=');
    const key = (eq < 0 ? field : field.slice(0, eq)).toLowerCase();
    if (eq < 0) {
      if (!expand) continue; // evaluated later
      if (key === 'readonly' || key === 'ro' || key === 'readwrite' || key === 'rw') {
        m.readonly = key === 'readonly' || key === 'ro';
        readonlyAuto = false;
        continue;
      }
      if (key === 'required') {
        if (m.type !== 'secret' && m.type !== 'ssh') throw invalid(`unexpected key '${key}' for mount type '${m.type}'`);
        m.required = true;
        continue;
      }
      throw invalid(`invalid field '${field}' must be a key=value pair`);
    }
    let value = field.slice(eq + 1);
    if (expand) {
      value = expand(value);
    } else {
      const dollar = value.indexOf('$');
      if (key === 'from' && dollar !== -1 && dollar !== value.length - 1) {
        throw invalid(`'${key}' doesn't support variable expansion, define alias stage instead`);
      }
      continue;
    }
    if (setMountKey(m, key, value, field)) readonlyAuto = false;
  }
  return finishMount(m, readonlyAuto);
}

/** Apply one key=value; true when it set read-only-ness explicitly. */
function setMountKey(m: RunMount, key: string, value: string, field: string): boolean {
  const bool = (): boolean => {
    const b = parseGoBool(value);
    if (b === undefined) throw invalid(`invalid value for ${key}: ${value}`);
    return b;
  };
  const uint = (base: 8 | 10, what: string): number => {
    const n = parseGoUint32(value, base);
    if (n === undefined) throw invalid(`invalid value ${value} for ${what}`);
    return n;
  };
  switch (key) {
    case 'type': {
      const t = value.toLowerCase() as MountType;
      if (!MOUNT_TYPES.includes(t)) throw invalid(withSuggestion(`unsupported mount type "${value}"`, value, MOUNT_TYPES, true));
      m.type = t;
      return false;
    }
    case 'from':
      m.from = value;
      return false;
    case 'source':
    case 'src':
      m.source = value;
      return false;
    case 'target':
    case 'dst':
    case 'destination':
      m.target = value;
      return false;
    case 'readonly':
    case 'ro':
      m.readonly = bool();
      return true;
    case 'readwrite':
    case 'rw':
      m.readonly = !bool();
      return true;
    case 'required':
      if (m.type !== 'secret' && m.type !== 'ssh') throw invalid(`unexpected key '${key}' for mount type '${m.type}'`);
      m.required = bool();
      return false;
    case 'size': {
      if (m.type !== 'tmpfs') throw invalid(`unexpected key '${key}' for mount type '${m.type}'`);
      const size = ramInBytes(value);
      if (size === undefined) throw invalid(`invalid value for ${key}: ${value}`);
      m.sizeLimit = size;
      return false;
    }
    case 'id':
      m.id = value;
      return false;
    case 'sharing': {
      const s = value.toLowerCase() as CacheSharing;
      if (!SHARING.includes(s)) throw invalid(withSuggestion(`unsupported sharing value "${value}"`, value, SHARING, true));
      m.sharing = s;
      return false;
    }
    case 'mode':
      m.mode = uint(8, 'mode');
      return false;
    case 'uid':
      m.uid = uint(10, 'uid');
      return false;
    case 'gid':
      m.gid = uint(10, 'gid');
      return false;
    case 'env':
      m.env = value;
      return false;
  }
  throw invalid(withSuggestion(`unexpected key '${key}' in '${field}'`, key, MOUNT_KEYS, true));
}

function finishMount(m: RunMount, readonlyAuto: boolean): RunMount {
  const fileInfoAllowed = m.type === 'secret' || m.type === 'ssh' || m.type === 'cache';
  if (!fileInfoAllowed) {
    for (const k of ['mode', 'uid', 'gid'] as const) {
      if (m[k] !== undefined) throw invalid(`${k} not allowed for "${m.type}" type mounts`);
    }
  }
  // Bind, secret and ssh mounts are read-only unless asked otherwise; cache and tmpfs writable.
  if (readonlyAuto) m.readonly = m.type !== 'cache' && m.type !== 'tmpfs';
  if (m.type === 'secret') {
    if (m.from !== undefined) throw invalid('secret mount should not have a from');
    if (m.sharing !== undefined) throw invalid('secret mount should not define sharing');
    if (m.source === undefined && m.target === undefined && m.id === undefined) {
      throw invalid('invalid secret mount. one of source, target required');
    }
    if (m.source !== undefined && m.id !== undefined) throw invalid("both source and id can't be set");
  }
  if (m.sharing !== undefined && m.type !== 'cache') throw invalid(`invalid cache sharing set for ${m.type} mount`);
  return m;
}

/** --device=name[,required[=bool]] (CDI device names). */
export function parseRunDevice(spec: string): RunDevice {
  const d: RunDevice = { name: '', required: false };
  for (const field of csvFields(spec, 'devices')) {
    const eq = field.indexOf('=');
    const key = (eq < 0 ? field : field.slice(0, eq)).toLowerCase();
    const value = field.slice(eq + 1);
    if (eq < 0 && key === 'required') {
      d.required = true;
    } else if (eq >= 0 && key === 'name') {
      if (d.name !== '') throw invalid(`device name already set to ${d.name}`);
      d.name = value;
    } else if (eq >= 0 && key === 'required') {
      const b = parseGoBool(value);
      if (b === undefined) throw invalid(`invalid value for ${key}: ${value}`);
      d.required = b;
    } else if (d.name === '') {
      d.name = field;
    } else if (eq < 0) {
      throw invalid(`invalid field '${field}' must be a key=value pair`);
    } else {
      throw invalid(withSuggestion(`unexpected key '${key}' in '${field}'`, key, ['name', 'required'], true));
    }
  }
  return d;
}

/** One CSV record as encoding/csv reads it: `"a,b"` quotes a comma, `""` is a quote, and a
 *  quote inside an unquoted field is an error. */
export function csvFields(text: string, what: 'mounts' | 'devices'): string[] {
  const fail = (why: string) => invalid(`failed to parse csv ${what}: ${why}`);
  const fields: string[] = [];
  let i = 0;
  for (;;) {
    let field = '';
    if (text[i] === '"') {
      i++;
      for (;;) {
        if (i >= text.length) throw fail('extraneous or missing " in quoted-field');
        if (text[i] === '"') {
          if (text[i + 1] === '"') {
            field += '"';
            i += 2;
            continue;
          }
          i++;
          break;
        }
        field += text[i++];
      }
      if (i < text.length && text[i] !== ',') throw fail('extraneous or missing " in quoted-field');
    } else {
      while (i < text.length && text[i] !== ',') {
        if (text[i] === '"') throw fail('bare " in non-quoted field');
        field += text[i++];
      }
    }
    fields.push(field);
    if (i >= text.length) return fields;
    i++; // the comma
  }
}

/** docker/go-units RAMInBytes: "64m", "1.5g", "100" (binary multiples). */
export function ramInBytes(text: string): number | undefined {
  const m = /^([0-9]+(?:\.[0-9]+)*) ?([kKmMgGtTpP])?[iI]?[bB]?$/.exec(text);
  if (!m) return undefined;
  const n = Number(m[1]);
  if (Number.isNaN(n) || m[1].split('.').length > 2) return undefined;
  const power = m[2] ? 'kmgtp'.indexOf(m[2].toLowerCase()) + 1 : 0;
  return Math.trunc(n * 1024 ** power);
}
