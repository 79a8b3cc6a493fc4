// Sizes, durations and timestamps as the docker CLI prints them: github.com/docker/go-units
// (size.go, duration.go) and Go's time formatting. Times with nanosecond precision are bigint
// nanoseconds since the Unix epoch (`UnixNanos`), since a JS Date stops at milliseconds.
import { formatFloat } from './go/float.js';

const DECIMAL_ABBRS = ['B', 'kB', 'MB', 'GB', 'TB', 'PB', 'EB', 'ZB', 'YB'];
const BINARY_ABBRS = ['B', 'KiB', 'MiB', 'GiB', 'TiB', 'PiB', 'EiB', 'ZiB', 'YiB'];

function sizeAndUnit(size: number, base: number, abbrs: string[]): [number, string] {
  let i = 0;
  while (size >= base && i < abbrs.length - 1) {
    size /= base;
    i++;
  }
  return [size, abbrs[i]];
}

/**
 * go-units HumanSizeWithPrecision: decimal units with `%.<precision>g`. docker ps/images use
 * precision 3: `4.86MB`, `523kB`, `0B`, and, faithfully, `1e+03kB` for 999 999 bytes.
 */
export function humanSizeWithPrecision(size: number, precision: number): string {
  const [v, unit] = sizeAndUnit(size, 1000, DECIMAL_ABBRS);
  return formatFloat(v, 'g', precision) + unit;
}

/** go-units HumanSize: four significant digits (`2.746MB`). */
export function humanSize(size: number): string {
  return humanSizeWithPrecision(size, 4);
}

/** go-units BytesSize: binary units, `%.4g` (`1.5MiB`, `44KiB`). */
export function bytesSize(size: number): string {
  const [v, unit] = sizeAndUnit(size, 1024, BINARY_ABBRS);
  return formatFloat(v, 'g', 4) + unit;
}

/** go-units HumanDuration for a duration in milliseconds: "Less than a second", "About a minute", "3 hours". */
export function humanDuration(ms: number): string {
  const seconds = Math.trunc(ms / 1000);
  if (seconds < 1) return 'Less than a second';
  if (seconds === 1) return '1 second';
  if (seconds < 60) return `${seconds} seconds`;
  const minutes = Math.trunc(ms / 60_000);
  if (minutes === 1) return 'About a minute';
  if (minutes < 60) return `${minutes} minutes`;
  const hoursF = ms / 3_600_000;
  const hours = Math.trunc(hoursF + 0.5);
  if (hours === 1) return 'About an hour';
  if (hours < 48) return `${hours} hours`;
  if (hours < 24 * 7 * 2) return `${Math.trunc(hours / 24)} days`;
  if (hours < 24 * 30 * 2) return `${Math.trunc(hours / 24 / 7)} weeks`;
  if (hours < 24 * 365 * 2) return `${Math.trunc(hours / 24 / 30)} months`;
  return `${Math.trunc(Math.trunc(hoursF) / 24 / 365)} years`;
}

/** docker's CreatedSince/RunningFor column: `2 minutes ago`. Times in epoch milliseconds. */
export function createdSince(createdMs: number, nowMs: number = Date.now()): string {
  return `${humanDuration(nowMs - createdMs)} ago`;
}

// --- timestamps ---

/** Nanoseconds since the Unix epoch. */
export type UnixNanos = bigint;

export function nanosFromMillis(ms: number): UnixNanos {
  return BigInt(Math.round(ms)) * 1_000_000n;
}

export function millisFromNanos(ns: UnixNanos): number {
  return Number(ns / 1_000_000n);
}

function splitNanos(ns: UnixNanos): { date: Date; frac: number } {
  let sec = ns / 1_000_000_000n;
  let frac = ns % 1_000_000_000n;
  if (frac < 0n) {
    frac += 1_000_000_000n;
    sec -= 1n;
  }
  return { date: new Date(Number(sec) * 1000), frac: Number(frac) };
}

function pad(n: number, width: number): string {
  return String(n).padStart(width, '0');
}

function offsetText(minutes: number, colon: boolean): string {
  const sign = minutes < 0 ? '-' : '+';
  const abs = Math.abs(minutes);
  return `${sign}${pad(Math.trunc(abs / 60), 2)}${colon ? ':' : ''}${pad(abs % 60, 2)}`;
}

/** Wall-clock fields of `ns` shifted by `offsetMinutes`. */
function fields(ns: UnixNanos, offsetMinutes: number) {
  const { date, frac } = splitNanos(ns + BigInt(offsetMinutes) * 60_000_000_000n);
  return {
    date: `${pad(date.getUTCFullYear(), 4)}-${pad(date.getUTCMonth() + 1, 2)}-${pad(date.getUTCDate(), 2)}`,
    time: `${pad(date.getUTCHours(), 2)}:${pad(date.getUTCMinutes(), 2)}:${pad(date.getUTCSeconds(), 2)}`,
    frac,
  };
}

/**
 * Go's time.RFC3339Nano (`2006-01-02T15:04:05.999999999Z07:00`): trailing zeros of the fraction
 * are dropped, and the fraction entirely when zero. This is how `docker inspect` prints times
 * and how the json-file log driver stores each line's "time".
 */
export function formatRFC3339Nano(ns: UnixNanos, offsetMinutes = 0): string {
  const f = fields(ns, offsetMinutes);
  const frac = f.frac === 0 ? '' : '.' + pad(f.frac, 9).replace(/0+$/, '');
  return `${f.date}T${f.time}${frac}${offsetMinutes === 0 ? 'Z' : offsetText(offsetMinutes, true)}`;
}

/**
 * docker's RFC3339NanoFixed (`2006-01-02T15:04:05.000000000Z07:00`): always nine digits, so that
 * `docker logs --timestamps` lines align.
 */
export function formatRFC3339NanoFixed(ns: UnixNanos, offsetMinutes = 0): string {
  const f = fields(ns, offsetMinutes);
  return `${f.date}T${f.time}.${pad(f.frac, 9)}${offsetMinutes === 0 ? 'Z' : offsetText(offsetMinutes, true)}`;
}

/**
 * Go's Time.String(): `2006-01-02 15:04:05.999999999 -0700 MST`, as docker ps/images print
 * CreatedAt. Docker prints local time; pass the zone's offset and abbreviation (default UTC).
 */
export function formatGoTimeString(ns: UnixNanos, offsetMinutes = 0, zoneName = 'UTC'): string {
  const f = fields(ns, offsetMinutes);
  const frac = f.frac === 0 ? '' : '.' + pad(f.frac, 9).replace(/0+$/, '');
  return `${f.date} ${f.time}${frac} ${offsetText(offsetMinutes, false)} ${zoneName}`;
}

const RFC3339_RE = /^(\d{4})-(\d{2})-(\d{2})[Tt](\d{2}):(\d{2}):(\d{2})(?:\.(\d{1,9}))?(?:([Zz])|([+-])(\d{2}):(\d{2}))$/;

/** Reads an RFC 3339 timestamp (as written by formatRFC3339Nano) back to nanoseconds. */
export function parseRFC3339Nano(s: string): UnixNanos | undefined {
  const m = RFC3339_RE.exec(s);
  if (!m) return undefined;
  const [, y, mo, d, h, mi, se, frac = '', z, sign, oh, om] = m;
  const ms = Date.UTC(Number(y), Number(mo) - 1, Number(d), Number(h), Number(mi), Number(se));
  if (Number.isNaN(ms) || Number(mo) > 12 || Number(d) > 31 || Number(h) > 23 || Number(mi) > 59 || Number(se) > 59) return undefined;
  let ns = BigInt(ms) * 1_000_000n + BigInt(frac.padEnd(9, '0') || '0');
  if (!z) {
    const off = (Number(oh) * 60 + Number(om)) * (sign === '-' ? -1 : 1);
    ns -= BigInt(off) * 60_000_000_000n;
  }
  return ns;
}
