// Go durations (time.ParseDuration / Duration.String): `10s`, `1m30s`, `500ms`, `1.5h`, as
// --health-interval, --stop-timeout style flags and --since/--until take them.
import { badValue } from './flag-error.js';

const UNITS: Record<string, bigint> = {
  ns: 1n,
  us: 1_000n,
  'µs': 1_000n, // U+00B5
  'μs': 1_000n, // U+03BC
  ms: 1_000_000n,
  s: 1_000_000_000n,
  m: 60_000_000_000n,
  h: 3_600_000_000_000n,
};
const MAX_INT64 = (1n << 63n) - 1n;

/** time.ParseDuration, in nanoseconds. Errors read `time: invalid duration "x"` as Go's do. */
export function parseGoDuration(s: string): bigint {
  const orig = s;
  const q = JSON.stringify(orig);
  const invalid = () => badValue(`time: invalid duration ${q}`);
  let neg = false;
  if (s[0] === '-' || s[0] === '+') {
    neg = s[0] === '-';
    s = s.slice(1);
  }
  if (s === '0') return 0n;
  if (s === '') throw invalid();
  let total = 0n;
  while (s !== '') {
    const m = /^(\d*)(?:\.(\d*))?/.exec(s)!;
    const intPart = m[1];
    const fracPart = m[2];
    if (intPart === '' && (fracPart === undefined || fracPart === '')) throw invalid();
    s = s.slice(m[0].length);
    const u = /^[^0-9.]*/.exec(s)![0];
    if (u === '') throw badValue(`time: missing unit in duration ${q}`);
    const unit = UNITS[u];
    if (unit === undefined) throw badValue(`time: unknown unit ${JSON.stringify(u)} in duration ${q}`);
    s = s.slice(u.length);
    let v = BigInt(intPart || '0') * unit;
    if (fracPart) v += (BigInt(fracPart) * unit) / 10n ** BigInt(fracPart.length);
    total += v;
    if (total > MAX_INT64 + (neg ? 1n : 0n)) throw invalid();
  }
  return neg ? -total : total;
}

/** time.Duration.String: `1m30s`, `500ms`, `1h0m0s`, `0s`. */
export function formatGoDuration(ns: bigint): string {
  if (ns === 0n) return '0s';
  const neg = ns < 0n;
  let u = neg ? -ns : ns;
  let out: string;
  if (u < 1_000_000_000n) {
    const [unit, div] = u < 1_000n ? ['ns', 1n] : u < 1_000_000n ? ['µs', 1_000n] : ['ms', 1_000_000n];
    out = fraction(u, div as bigint) + unit;
  } else {
    const h = u / 3_600_000_000_000n;
    u %= 3_600_000_000_000n;
    const m = u / 60_000_000_000n;
    u %= 60_000_000_000n;
    out = `${fraction(u, 1_000_000_000n)}s`;
    if (h > 0n || m > 0n) out = `${m}m${out}`;
    if (h > 0n) out = `${h}h${out}`;
  }
  return (neg ? '-' : '') + out;
}

function fraction(v: bigint, div: bigint): string {
  const int = v / div;
  const frac = v % div;
  if (frac === 0n) return String(int);
  const width = String(div).length - 1;
  return `${int}.${String(frac).padStart(width, '0').replace(/0+$/, '')}`;
}
