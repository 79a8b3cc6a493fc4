// --ulimit name=soft[:hard] (go-units ParseUlimit as vendored by docker 28).
import { badValue } from './flag-error.js';
import { parseInt, StrconvError } from './strconv.js';

/** RLIMIT_* numbers by docker's names (`as` is deliberately absent, as in go-units). */
export const ULIMIT_RESOURCES: Readonly<Record<string, number>> = {
  core: 4,
  cpu: 0,
  data: 2,
  fsize: 1,
  locks: 10,
  memlock: 8,
  msgqueue: 12,
  nice: 13,
  nofile: 7,
  nproc: 6,
  rss: 5,
  rtprio: 14,
  rttime: 15,
  sigpending: 11,
  stack: 3,
};

export interface Ulimit {
  Name: string;
  Soft: number;
  Hard: number;
}

function value(s: string): number {
  try {
    return Number(parseInt(s, 10, 64));
  } catch (e) {
    throw badValue((e as StrconvError).message);
  }
}

export function parseUlimit(val: string): Ulimit {
  const eq = val.indexOf('=');
  if (eq < 0) throw badValue(`invalid ulimit argument: ${val}`);
  const name = val.slice(0, eq);
  const limits = val.slice(eq + 1);
  if (!(name in ULIMIT_RESOURCES)) throw badValue(`invalid ulimit type: ${name}`);
  const parts = limits.split(':');
  if (parts.length > 2) {
    throw badValue(`too many limit value arguments - ${limits}, can only have up to two, \`soft[:hard]\``);
  }
  const hard = parts.length === 2 ? value(parts[1]) : undefined;
  const soft = value(parts[0]);
  const h = hard ?? soft;
  if (h !== -1) {
    if (soft === -1) {
      throw badValue(`ulimit soft limit must be less than or equal to hard limit: soft: -1 (unlimited), hard: ${h}`);
    }
    if (soft > h) throw badValue(`ulimit soft limit must be less than or equal to hard limit: ${soft} > ${h}`);
  }
  return { Name: name, Soft: soft, Hard: h };
}

/** UlimitOpt: repeated flags for the same resource keep the last one, in first-seen order. */
export function parseUlimits(values: readonly string[]): Ulimit[] {
  const byName = new Map<string, Ulimit>();
  for (const v of values) {
    const u = parseUlimit(v);
    byName.set(u.Name, u);
  }
  return [...byName.values()];
}
