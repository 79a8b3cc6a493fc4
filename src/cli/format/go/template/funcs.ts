// Functions callable from templates: Go's text/template builtins (funcs.go) with their argument
// typing and error texts. `and`/`or` are declared here but short-circuit in exec.ts.
import { sprint, sprintf, sprintln } from '../fmt.js';
import { formatValue, goTypeName, kindOf, mapEntries, numberOf } from '../value.js';

/**
 * Parameter types, as Go's reflection sees a function's signature:
 *   value   reflect.Value: anything, even a missing value, passes through untouched
 *   any     interface{}: anything; a missing value becomes nil
 *   string, int, bool: checked, with Go's "expected integer; found …" messages
 *   strings []string
 */
export type ParamType = 'value' | 'any' | 'string' | 'int' | 'bool' | 'strings';

export interface GoFunc {
  params: ParamType[];
  /** Element type of a final variadic parameter. */
  variadic?: ParamType;
  fn: (...args: any[]) => unknown;
}

export type FuncMap = Record<string, GoFunc>;

/** An error a function returns; exec reports it as `error calling NAME: message`. */
export class FuncError extends Error {}

export function truth(v: unknown): boolean {
  switch (kindOf(v)) {
    case 'invalid':
    case 'nil':
      return false;
    case 'bool':
      return v as boolean;
    case 'int':
    case 'float':
      return numberOf(v) !== 0;
    case 'string':
      return (v as string).length > 0;
    case 'slice':
      return (v as unknown[]).length > 0;
    case 'map':
      return v instanceof Map ? v.size > 0 : Object.keys(v as object).length > 0;
    default:
      return true;
  }
}

type BasicKind = 'bool' | 'int' | 'float' | 'string';

function basicKind(v: unknown): BasicKind | undefined {
  const k = kindOf(v);
  return k === 'bool' || k === 'int' || k === 'float' || k === 'string' ? k : undefined;
}

const isValid = (x: unknown): boolean => x !== undefined && x !== null;

function eq(a: unknown, ...rest: unknown[]): boolean {
  if (rest.length === 0) throw new FuncError('missing argument for comparison');
  const k1 = basicKind(a);
  for (const b of rest) {
    const k2 = basicKind(b);
    let t: boolean;
    if (k1 !== k2) {
      // A missing value (or nil) compares unequal to anything; two real values of different kinds fail.
      if (isValid(a) && isValid(b)) throw new FuncError('incompatible types for comparison');
      t = false;
    } else if (k1 === undefined) {
      if (isValid(a) && isValid(b)) {
        throw new FuncError(`non-comparable types ${formatValue(a)}: ${goTypeName(a)}, ${goTypeName(b)}: ${formatValue(b)}`);
      }
      t = !isValid(a) && !isValid(b);
    } else t = k1 === 'int' || k1 === 'float' ? numberOf(a) === numberOf(b) : a === b;
    if (t) return true;
  }
  return false;
}

function lt(a: unknown, b: unknown): boolean {
  const k1 = basicKind(a);
  const k2 = basicKind(b);
  if (k1 === undefined || k2 === undefined) throw new FuncError('invalid type for comparison');
  if (k1 !== k2) throw new FuncError('incompatible types for comparison');
  if (k1 === 'bool') throw new FuncError('invalid type for comparison');
  if (k1 === 'string') return (a as string) < (b as string);
  return numberOf(a) < numberOf(b);
}

function indexArg(i: unknown, cap: number): number {
  const k = kindOf(i);
  if (k === 'invalid' || k === 'nil') throw new FuncError('cannot index slice/array with nil');
  if (k !== 'int') throw new FuncError(`cannot index slice/array with type ${goTypeName(i)}`);
  const x = numberOf(i);
  if (x < 0 || x > cap) throw new FuncError(`index out of range: ${x}`);
  return x;
}

function index(item: unknown, ...indexes: unknown[]): unknown {
  if (item === undefined || item === null) throw new FuncError('index of untyped nil');
  for (const i of indexes) {
    if (item === null) throw new FuncError('index of nil pointer');
    switch (kindOf(item)) {
      case 'string': {
        const bytes = Buffer.from(item as string, 'utf8');
        const x = indexArg(i, bytes.length);
        if (x === bytes.length) throw new FuncError('reflect: string index out of range');
        item = bytes[x];
        break;
      }
      case 'slice': {
        const a = item as unknown[];
        const x = indexArg(i, a.length);
        if (x === a.length) throw new FuncError('reflect: slice index out of range');
        item = a[x];
        break;
      }
      case 'map': {
        if (i !== undefined && i !== null && typeof i !== 'string') {
          throw new FuncError(`value has type ${goTypeName(i)}; should be string`);
        }
        const key = i ?? '';
        item = item instanceof Map ? item.get(key) : Object.hasOwn(item as object, key as string) ? (item as Record<string, unknown>)[key as string] : undefined;
        break;
      }
      default:
        throw new FuncError(`can't index item of type ${goTypeName(item)}`);
    }
  }
  return item;
}

function slice(item: unknown, ...indexes: unknown[]): unknown {
  if (item === undefined || item === null) throw new FuncError('slice of untyped nil');
  if (indexes.length > 3) throw new FuncError(`too many slice indexes: ${indexes.length}`);
  const k = kindOf(item);
  if (k !== 'string' && k !== 'slice') throw new FuncError(`can't slice item of type ${goTypeName(item)}`);
  if (k === 'string' && indexes.length === 3) throw new FuncError('cannot 3-index slice a string');
  const len = k === 'string' ? Buffer.byteLength(item as string) : (item as unknown[]).length;
  const idx = [0, len];
  indexes.slice(0, 2).forEach((v, n) => (idx[n] = indexArg(v, len)));
  if (idx[0] > idx[1]) throw new FuncError(`invalid slice index: ${idx[0]} > ${idx[1]}`);
  if (k === 'string') return Buffer.from(item as string, 'utf8').subarray(idx[0], idx[1]).toString('utf8');
  return (item as unknown[]).slice(idx[0], idx[1]);
}

function length(item: unknown): number {
  switch (kindOf(item)) {
    case 'invalid':
    case 'nil': // an explicit or decoded nil reaches len as an untyped nil interface
      throw new FuncError('reflect: call of reflect.Value.Type on zero Value');
    case 'string':
      return Buffer.byteLength(item as string);
    case 'slice':
      return (item as unknown[]).length;
    case 'map':
      return mapEntries(item as Record<string, unknown>).length;
  }
  throw new FuncError(`len of type ${goTypeName(item)}`);
}

/** evalArgs (funcs.go): one string argument is used as is, anything else goes through fmt.Sprint. */
function argsString(args: unknown[]): string {
  return args.length === 1 && typeof args[0] === 'string' ? args[0] : sprint(args);
}

function htmlEscape(s: string): string {
  return s.replace(/[\0"'&<>]/g, (c) => ({ '\0': '\ufffd', '"': '&#34;', "'": '&#39;', '&': '&amp;', '<': '&lt;', '>': '&gt;' })[c]!);
}

function jsEscape(s: string): string {
  let out = '';
  for (const ch of s) {
    const cp = ch.codePointAt(0)!;
    if (ch === '\\' || ch === "'" || ch === '"') out += '\\' + ch;
    else if ('<>&='.includes(ch) || cp < 0x20 || !/[\p{L}\p{M}\p{N}\p{P}\p{S} ]/u.test(ch)) {
      out += cp < 0x10000 ? '\\u' + cp.toString(16).toUpperCase().padStart(4, '0') : ch;
    } else out += ch;
  }
  return out;
}

function queryEscape(s: string): string {
  let out = '';
  for (const b of Buffer.from(s, 'utf8')) {
    const c = String.fromCharCode(b);
    if (/[A-Za-z0-9\-_.~]/.test(c)) out += c;
    else if (c === ' ') out += '+';
    else out += '%' + b.toString(16).toUpperCase().padStart(2, '0');
  }
  return out;
}

function call(fn: unknown, ...args: unknown[]): unknown {
  if (fn === undefined || fn === null) throw new FuncError('call of nil');
  if (typeof fn !== 'function') throw new FuncError(`non-function of type ${goTypeName(fn)}`);
  return (fn as (...a: unknown[]) => unknown)(...args);
}

/** Go's text/template builtins. */
export const BUILTINS: FuncMap = {
  and: { params: ['value'], variadic: 'value', fn: () => undefined },
  or: { params: ['value'], variadic: 'value', fn: () => undefined },
  not: { params: ['value'], fn: (v: unknown) => !truth(v) },
  call: { params: ['value'], variadic: 'value', fn: call },
  html: { params: [], variadic: 'any', fn: (...a: unknown[]) => htmlEscape(argsString(a)) },
  js: { params: [], variadic: 'any', fn: (...a: unknown[]) => jsEscape(argsString(a)) },
  urlquery: { params: [], variadic: 'any', fn: (...a: unknown[]) => queryEscape(argsString(a)) },
  index: { params: ['value'], variadic: 'value', fn: index },
  slice: { params: ['value'], variadic: 'value', fn: slice },
  len: { params: ['value'], fn: length },
  print: { params: [], variadic: 'any', fn: (...a: unknown[]) => sprint(a) },
  printf: { params: ['string'], variadic: 'any', fn: (f: string, ...a: unknown[]) => sprintf(f, a) },
  println: { params: [], variadic: 'any', fn: (...a: unknown[]) => sprintln(a) },
  eq: { params: ['value'], variadic: 'value', fn: eq },
  ne: { params: ['value', 'value'], fn: (a: unknown, b: unknown) => !eq(a, b) },
  lt: { params: ['value', 'value'], fn: lt },
  le: { params: ['value', 'value'], fn: (a: unknown, b: unknown) => lt(a, b) || eq(a, b) },
  gt: { params: ['value', 'value'], fn: (a: unknown, b: unknown) => !(lt(a, b) || eq(a, b)) },
  ge: { params: ['value', 'value'], fn: (a: unknown, b: unknown) => !lt(a, b) },
};
