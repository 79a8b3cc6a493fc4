// `--filter key=value` for `volume ls` and `volume prune`, with docker's semantics (moby
// api/types/filters, volume/service/convert.go): values of one key are alternatives (OR),
// different keys must all match (AND); `name` is an exact name or a regular expression;
// `label=k` / `label=k=v` must all match. Pure.
import { MinidockError } from '../../errors.js';
import { parseBool } from '../../cli/parse/strconv.js';

export type Filters = Map<string, string[]>;

const bad = (message: string) => new MinidockError(message, { kind: 'usage' });

/** The CLI's FilterOpt: `key=value` pairs, keys lower-cased, both sides trimmed. */
export function parseFilters(flags: readonly string[]): Filters {
  const out: Filters = new Map();
  for (const f of flags) {
    if (f === '') continue;
    const eq = f.indexOf('=');
    if (eq < 0) throw bad('bad format of filter (expected name=value)');
    const key = f.slice(0, eq).trim().toLowerCase();
    const values = out.get(key) ?? [];
    const v = f.slice(eq + 1).trim();
    if (!values.includes(v)) values.push(v);
    out.set(key, values);
  }
  return out;
}

const invalidFilter = (key: string, values?: readonly string[]) => bad(`invalid filter '${key}${values ? `=${values.join(',')}` : ''}'`);

export function checkFilterKeys(f: Filters, accepted: readonly string[]): void {
  for (const key of f.keys()) if (!accepted.includes(key)) throw invalidFilter(key);
}

/** GetBoolOrDefault: exactly one value, true/1 or false/0 (case-insensitive). */
export function boolFilter(f: Filters, key: string): boolean | undefined {
  const values = f.get(key);
  if (!values) return undefined;
  if (values.length !== 1) throw invalidFilter(key, values);
  const v = values[0].toLowerCase();
  if (v === 'true' || v === '1') return true;
  if (v === 'false' || v === '0') return false;
  throw invalidFilter(key, values);
}

/** `all` of `volume prune`: strconv.ParseBool. */
export function allFilter(f: Filters): boolean {
  const values = f.get('all');
  if (!values) return false;
  if (values.length > 1) throw bad(`invalid filter 'all=[${values.join(' ')}]': only one value is expected`);
  try {
    return parseBool(values[0]);
  } catch (err) {
    throw bad(`invalid filter 'all': ${(err as Error).message}`);
  }
}

/** Args.Match: an exact value, or a regular expression found anywhere in the name. */
export function matchName(f: Filters, name: string): boolean {
  const values = f.get('name');
  if (!values) return true;
  return values.some((v) => {
    if (v === name) return true;
    try {
      return new RegExp(v).test(name);
    } catch {
      return false; // an invalid expression matches nothing, as in Go
    }
  });
}

/** Args.MatchKVList: every `k` or `k=v` value must hold in `labels`. */
export function matchLabels(values: readonly string[] | undefined, labels: Record<string, string> | null): boolean {
  if (!values || values.length === 0) return true;
  if (!labels || Object.keys(labels).length === 0) return false;
  return values.every((v) => {
    const eq = v.indexOf('=');
    const k = eq < 0 ? v : v.slice(0, eq);
    if (!Object.hasOwn(labels, k)) return false;
    return eq < 0 || labels[k] === v.slice(eq + 1);
  });
}

/** byLabelFilter: `label` must all match; if `label!` is given and all of it matches, excluded. */
export function matchLabelFilters(f: Filters, labels: Record<string, string> | null): boolean {
  if (!matchLabels(f.get('label'), labels)) return false;
  const not = f.get('label!');
  return !(not && not.length && matchLabels(not, labels));
}
