// --filter values (moby api/types/filters): `key=value` pairs collected into a set per key,
// checked against the keys each command accepts ("invalid filter 'foo'"), and the matchers the
// daemon uses: labels, name regexps, ID prefixes, booleans, and image reference globs.
import { type Reference } from '../../image/reference.js';
import { badValue } from './flag-error.js';
import { MinidockError } from '../../errors.js';
import { pathMatch } from './pathmatch.js';
import { atoi } from './strconv.js';

/** filters.Args: each key maps to a set of values (insertion-ordered here). */
export type Filters = Map<string, Set<string>>;

/** FilterOpt.Set for each --filter value: names are lower-cased, both sides trimmed. */
export function parseFilters(values: readonly string[]): Filters {
  const f: Filters = new Map();
  for (const value of values) {
    if (value === '') continue;
    const eq = value.indexOf('=');
    if (eq < 0) throw badValue('bad format of filter (expected name=value)');
    const name = value.slice(0, eq).trim().toLowerCase();
    const v = value.slice(eq + 1).trim();
    if (!f.has(name)) f.set(name, new Set());
    f.get(name)!.add(v);
  }
  return f;
}

/** The daemon's invalidFilter error: "invalid filter 'name'" or "invalid filter 'name=v1,v2'". */
export function invalidFilter(name: string, values?: readonly string[]): Error {
  // docker's daemon checks filters: its error exits 1, not the CLI's 125 for flag errors.
  return new MinidockError(`invalid filter '${name}${values === undefined ? '' : '=' + values.join(',')}'`, { kind: 'invalid' });
}

// Accepted keys per command, as the daemon lists them.
export const CONTAINER_LIST_FILTERS = ['ancestor', 'before', 'exited', 'expose', 'health', 'id', 'label', 'name', 'status', 'publish', 'since', 'volume', 'network', 'is-task', 'isolation'] as const;
export const IMAGE_LIST_FILTERS = ['dangling', 'label', 'before', 'since', 'reference', 'until'] as const;
export const VOLUME_LIST_FILTERS = ['dangling', 'name', 'driver', 'label'] as const;
export const NETWORK_LIST_FILTERS = ['dangling', 'driver', 'id', 'label', 'name', 'scope', 'type'] as const;
export const CONTAINER_PRUNE_FILTERS = ['until', 'label', 'label!'] as const;
export const IMAGE_PRUNE_FILTERS = ['dangling', 'label', 'label!', 'until'] as const;
export const VOLUME_PRUNE_FILTERS = ['label', 'label!', 'all'] as const;
export const NETWORK_PRUNE_FILTERS = ['until', 'label', 'label!'] as const;
export const EVENT_FILTERS = ['container', 'event', 'image', 'scope', 'label', 'type', 'daemon', 'volume', 'network', 'plugin', 'node', 'service', 'secret', 'config'] as const;

/** filters.Validate: every key must be one the command accepts. */
export function validateFilters(f: Filters, accepted: readonly string[]): void {
  for (const name of f.keys()) if (!accepted.includes(name)) throw invalidFilter(name);
}

const CONTAINER_STATES = ['created', 'restarting', 'running', 'removing', 'paused', 'exited', 'dead'];
const HEALTH_STATES = ['starting', 'healthy', 'unhealthy', 'none'];

/** Value checks `docker ps` makes beyond the key names (daemon/list.go). */
export function validateContainerFilterValues(f: Filters): void {
  for (const v of values(f, 'status')) if (!CONTAINER_STATES.includes(v)) throw invalidFilter('status', [v]);
  for (const v of values(f, 'health')) if (!HEALTH_STATES.includes(v)) throw invalidFilter('health', [v]);
  for (const v of values(f, 'exited')) {
    try {
      atoi(v);
    } catch (e) {
      throw badValue(`invalid filter 'exited=${v}': ${(e as Error).message}`);
    }
  }
  getBool(f, 'is-task', false);
}

export function values(f: Filters, key: string): string[] {
  return [...(f.get(key) ?? [])];
}

/** GetBoolOrDefault: `true`/`1` or `false`/`0`; anything else (or both) is an invalid filter. */
export function getBool(f: Filters, key: string, dflt: boolean): boolean {
  const v = f.get(key);
  if (v === undefined) return dflt;
  if (v.size === 0) throw invalidFilter(key);
  const isFalse = v.has('0') || v.has('false');
  const isTrue = v.has('1') || v.has('true');
  if (isFalse === isTrue) throw invalidFilter(key, [...v]);
  return isTrue;
}

/** ExactMatch: true when the key is unset or one of its values equals `source`. */
export function exactMatch(f: Filters, key: string, source: string): boolean {
  const v = f.get(key);
  return v === undefined || v.size === 0 || v.has(source);
}

/** FuzzyMatch: like exactMatch, but a value may also be a prefix (IDs). */
export function fuzzyMatch(f: Filters, key: string, source: string): boolean {
  if (exactMatch(f, key, source)) return true;
  return values(f, key).some((v) => source.startsWith(v));
}

/** Match: values are regular expressions matched anywhere in `source` (the `name` filter). */
export function regexMatch(f: Filters, key: string, source: string): boolean {
  if (exactMatch(f, key, source)) return true;
  return values(f, key).some((v) => {
    try {
      return new RegExp(v).test(source);
    } catch {
      return false;
    }
  });
}

/** MatchKVList: every `label=key` must exist, every `label=key=value` must be equal. */
export function matchLabels(f: Filters, key: string, labels: Record<string, string> | undefined): boolean {
  const v = values(f, key);
  if (v.length === 0) return true;
  if (labels === undefined || Object.keys(labels).length === 0) return false;
  return v.every((test) => {
    const eq = test.indexOf('=');
    const k = eq < 0 ? test : test.slice(0, eq);
    if (!Object.hasOwn(labels, k)) return false;
    return eq < 0 || labels[k] === test.slice(eq + 1);
  });
}

/**
 * reference.FamiliarMatch, the `reference` image filter: the glob must match the familiar
 * string (`busybox:latest`) or the familiar name (`busybox`).
 */
export function familiarMatch(pattern: string, ref: Reference): boolean {
  const whole = pathMatch(pattern, ref.familiarString());
  return whole || pathMatch(pattern, ref.familiarName);
}
