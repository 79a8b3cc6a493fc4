// Go's time.ParseDuration, which HEALTHCHECK --interval/--timeout/--start-period/
// --start-interval use ("1m30s", "1.5h", "300ms"). Returns nanoseconds.
// https://pkg.go.dev/time#ParseDuration
import { invalid } from '../../errors.js';
import { goQuote } from './go-text.js';

const UNITS: Record<string, bigint> = {
  ns: 1n,
  us: 1000n,
  'µs': 1000n, // U+00B5 micro sign
  'μs': 1000n, // U+03BC Greek mu
  ms: 1_000_000n,
  s: 1_000_000_000n,
  m: 60_000_000_000n,
  h: 3_600_000_000_000n,
};
const MAX = (1n << 63n) - 1n;

export function parseGoDuration(text: string): number {
  const bad = () => invalid(`time: invalid duration ${goQuote(text)}`);
  let s = text;
  let neg = false;
  if (s.startsWith('-') || s.startsWith('+')) {
    neg = s[0] === '-';
    s = s.slice(1);
  }
  if (s === '0') return 0;
  if (s === '') throw bad();
  let total = 0n;
  while (s !== '') {
    const m = /^([0-9]*)(\.([0-9]*))?/.exec(s) as RegExpExecArray;
    const whole = m[1];
    const frac = m[3];
    if (whole === '' && (frac === undefined || frac === '')) throw bad();
    s = s.slice(m[0].length);
    const unitMatch = /^[^.0-9]*/.exec(s) as RegExpExecArray;
    const unitText = unitMatch[0];
    if (unitText === '') throw invalid(`time: missing unit in duration ${goQuote(text)}`);
    s = s.slice(unitText.length);
    const unit = UNITS[unitText];
    if (unit === undefined) throw invalid(`time: unknown unit ${goQuote(unitText)} in duration ${goQuote(text)}`);
    let v = whole === '' ? 0n : BigInt(whole);
    if (v > MAX / unit) throw bad();
    v *= unit;
    if (frac) {
      // Go adds the fraction as float64(f) * (float64(unit) / scale), truncated.
      v += BigInt(Math.trunc(Number(`0.${frac}`) * Number(unit)));
    }
    total += v;
    if (total > MAX) throw bad();
  }
  return Number(neg ? -total : total);
}
