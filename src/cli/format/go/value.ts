// How JS values stand in for Go values in templates and fmt: which Go kind a value has, its Go
// type name (for error messages and %T), how %v prints it, and strconv.Quote.
//
// The mapping (documented for command authors):
//   undefined      → an invalid value (a missing map key): prints "<no value>"
//   null           → nil: prints "<nil>"
//   number         → int when integral, else float64; `GoFloat` forces float64 (template `1.0`)
//   bigint         → int
//   Array          → slice
//   Map            → map (keys sorted when printed, ranged or marshalled)
//   plain object   → map too (Docker's `inspect` falls back to map[string]any, see inspect.go)
//   class instance → struct: fields are its properties and getters, methods its functions;
//                    a `toString` of its own makes it a fmt.Stringer
import { quote, quoteRune } from '../../parse/strconv.js';
import { formatFloat } from './float.js';

export { quote as goQuote, quoteRune as goQuoteRune };

/** A float64 that happens to be integral (`{{1.0}}`): prints and compares as a float. */
export class GoFloat {
  constructor(readonly value: number) {}
}

export type GoKind = 'invalid' | 'nil' | 'bool' | 'int' | 'float' | 'string' | 'slice' | 'map' | 'struct' | 'func';

/** Set on a class (static) or instance to name its Go type in messages: `*formatter.ContainerContext`. */
export const GO_TYPE_NAME = Symbol.for('minidock.goTypeName');

export function kindOf(v: unknown): GoKind {
  if (v === undefined) return 'invalid';
  if (v === null) return 'nil';
  switch (typeof v) {
    case 'boolean':
      return 'bool';
    case 'number':
      return Number.isInteger(v) ? 'int' : 'float';
    case 'bigint':
      return 'int';
    case 'string':
      return 'string';
    case 'function':
      return 'func';
  }
  if (v instanceof GoFloat) return 'float';
  if (Array.isArray(v)) return 'slice';
  if (v instanceof Map || isPlainObject(v)) return 'map';
  return 'struct';
}

export function isPlainObject(v: unknown): v is Record<string, unknown> {
  if (typeof v !== 'object' || v === null) return false;
  const proto = Object.getPrototypeOf(v);
  return proto === Object.prototype || proto === null;
}

export function numberOf(v: unknown): number {
  if (v instanceof GoFloat) return v.value;
  if (typeof v === 'bigint') return Number(v);
  return v as number;
}

/** Keys and values of a map-kind value, keys sorted as Go sorts string keys (bytewise). */
export function mapEntries(v: Map<unknown, unknown> | Record<string, unknown>): [unknown, unknown][] {
  const entries: [unknown, unknown][] = v instanceof Map ? [...v.entries()] : Object.entries(v);
  return entries.sort(([a], [b]) => compareKeys(a, b));
}

function compareKeys(a: unknown, b: unknown): number {
  if (typeof a === 'number' && typeof b === 'number') return a - b;
  const sa = String(a);
  const sb = String(b);
  return sa < sb ? -1 : sa > sb ? 1 : 0;
}

export function goTypeName(v: unknown): string {
  switch (kindOf(v)) {
    case 'invalid':
    case 'nil':
      return '<nil>';
    case 'bool':
      return 'bool';
    case 'int':
      return 'int';
    case 'float':
      return 'float64';
    case 'string':
      return 'string';
    case 'func':
      return 'func';
    case 'slice': {
      const a = v as unknown[];
      return a.length > 0 && a.every((e) => typeof e === 'string') ? '[]string' : '[]interface {}';
    }
    case 'map': {
      const values = mapEntries(v as Record<string, unknown>).map(([, e]) => e);
      return values.length > 0 && values.every((e) => typeof e === 'string')
        ? 'map[string]string'
        : 'map[string]interface {}';
    }
    case 'struct': {
      const o = v as Record<PropertyKey, unknown>;
      const named = o[GO_TYPE_NAME] ?? (o.constructor as unknown as Record<PropertyKey, unknown>)?.[GO_TYPE_NAME];
      if (typeof named === 'string') return named;
      return o.constructor?.name || 'struct';
    }
  }
}

/** fmt.Stringer: a struct whose class defines its own `toString`. */
export function stringerOf(v: unknown): (() => string) | undefined {
  if (kindOf(v) !== 'struct') return undefined;
  const fn = (v as { toString?: unknown }).toString;
  return typeof fn === 'function' && fn !== Object.prototype.toString ? (fn as () => string).bind(v) : undefined;
}

/** The exported fields of a struct-kind value, in declaration order, getters included. */
export function structFields(v: object): [string, unknown][] {
  const seen = new Set<string>();
  const out: [string, unknown][] = [];
  for (let o: object | null = v; o !== null && o !== Object.prototype; o = Object.getPrototypeOf(o)) {
    for (const key of Object.getOwnPropertyNames(o)) {
      if (key === 'constructor' || seen.has(key) || !/^[A-Z]/.test(key)) continue;
      const desc = Object.getOwnPropertyDescriptor(o, key)!;
      if (desc.get === undefined && typeof desc.value === 'function') continue;
      seen.add(key);
      out.push([key, (v as Record<string, unknown>)[key]]);
    }
  }
  return out;
}

/** fmt's %v. */
export function formatValue(v: unknown): string {
  switch (kindOf(v)) {
    case 'invalid':
    case 'nil':
      return '<nil>';
    case 'bool':
      return v ? 'true' : 'false';
    case 'int':
      return String(v);
    case 'float':
      return formatFloat(numberOf(v), 'g', -1);
    case 'string':
      return v as string;
    case 'func':
      return '0x0';
    case 'slice':
      return `[${(v as unknown[]).map(formatValue).join(' ')}]`;
    case 'map':
      return `map[${mapEntries(v as Record<string, unknown>)
        .map(([k, e]) => `${formatValue(k)}:${formatValue(e)}`)
        .join(' ')}]`;
    case 'struct': {
      const str = stringerOf(v);
      if (str) return str();
      return `{${structFields(v as object)
        .map(([, e]) => formatValue(e))
        .join(' ')}}`;
    }
  }
}
