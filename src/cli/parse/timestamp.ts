// --since/--until values (docker/cli api/types/time GetTimestamp + ParseTimestamps): a Go
// duration back from now (`10m`), an RFC 3339 date or date-time (zone optional: local time), or
// Unix seconds with an optional fraction (`1700000000.123`).
import { badValue } from './flag-error.js';
import { parseGoDuration } from './duration.js';
import { parseInt } from './strconv.js';

export interface TimestampOptions {
  /** "Now", in epoch milliseconds. */
  nowMs?: number;
  /** The client's zone for values without one, minutes east of UTC (default: this process's). */
  localOffsetMinutes?: number;
}

/** Returns the instant as nanoseconds since the epoch. */
export function parseTimestamp(value: string, opts: TimestampOptions = {}): bigint {
  const nowMs = opts.nowMs ?? Date.now();
  if (value !== '0') {
    try {
      const d = parseGoDuration(value);
      // reference.Add(-d).Unix(): whole seconds, rounded down.
      const ns = BigInt(Math.round(nowMs)) * 1_000_000n - d;
      return floorDiv(ns, 1_000_000_000n) * 1_000_000_000n;
    } catch {
      /* not a duration */
    }
  }
  const inLocation = !(/[zZ+]/.test(value) || value.split('-').length - 1 === 3);
  const offset = opts.localOffsetMinutes ?? -new Date(nowMs).getTimezoneOffset();
  const parsed = parseDateTime(value, inLocation ? offset : undefined);
  if (parsed !== undefined) return parsed;
  // Not a date: a Unix timestamp, passed through as docker passes it to the daemon.
  if (value.includes('-')) throw badValue(`parsing time ${JSON.stringify(value)}: cannot parse as RFC 3339`);
  const dot = value.indexOf('.');
  try {
    const sec = parseInt(dot < 0 ? value : value.slice(0, dot), 10, 64);
    if (dot < 0) return sec * 1_000_000_000n;
    const frac = value.slice(dot + 1);
    const n = parseInt(frac, 10, 64);
    // "should already be in nanoseconds but just in case convert n to nanoseconds"
    return sec * 1_000_000_000n + BigInt(Math.trunc(Number(n) * 10 ** (9 - frac.length)));
  } catch {
    throw badValue(`failed to parse value as time or duration: ${JSON.stringify(value)}`);
  }
}

function floorDiv(a: bigint, b: bigint): bigint {
  const q = a / b;
  return a % b !== 0n && a < 0n ? q - 1n : q;
}

const DATE_TIME =
  /^(\d{4})-(\d{2})-(\d{2})(?:T(\d{1,2})(?::(\d{2})(?::(\d{2})(?:\.(\d+))?)?)?)?(Z|z|[+-]\d{2}:\d{2})?$/;

/**
 * The layouts GetTimestamp picks from: 2006-01-02[Z07:00], 2006-01-02T15[:04[:05[.999999999]]]
 * [Z07:00]. `offset` undefined means the value must carry its own zone.
 */
function parseDateTime(value: string, offset: number | undefined): bigint | undefined {
  const m = DATE_TIME.exec(value);
  if (!m) return undefined;
  const [, y, mo, d, h = '0', mi = '0', s = '0', frac = '', zone] = m;
  if ((zone === undefined) !== (offset !== undefined)) return undefined;
  const year = Number(y);
  const month = Number(mo);
  const day = Number(d);
  const daysIn = new Date(Date.UTC(year, month, 0)).getUTCDate();
  if (month < 1 || month > 12 || day < 1 || day > daysIn || Number(h) > 23 || Number(mi) > 59 || Number(s) > 59) return undefined;
  const ms = Date.UTC(year, month - 1, day, Number(h), Number(mi), Number(s));
  let ns = BigInt(ms) * 1_000_000n + BigInt((frac + '000000000').slice(0, 9));
  let off = offset ?? 0;
  if (zone !== undefined && zone.toUpperCase() !== 'Z') off = (zone[0] === '-' ? -1 : 1) * (Number(zone.slice(1, 3)) * 60 + Number(zone.slice(4, 6)));
  ns -= BigInt(off) * 60_000_000_000n;
  return ns;
}
