// Resource flag values: --memory/--memory-swap (go-units RAMInBytes), --cpus (opts.NanoCPUs),
// --cpu-shares and --pids-limit (int64), with the errors docker prints.
import { badValue } from './flag-error.js';
import { parseFloat, parseInt, StrconvError } from './strconv.js';

const BINARY: Record<string, number> = { k: 1024, m: 1024 ** 2, g: 1024 ** 3, t: 1024 ** 4, p: 1024 ** 5 };

/**
 * go-units RAMInBytes (v0.5 parser): a number, an optional space, an optional k/m/g/t/p unit
 * with an optional "b" or "ib": `32m`, `1.5g`, `512k`, `10 MiB`, `100`. Binary multiples.
 */
export function ramInBytes(s: string): number {
  let sep = -1;
  for (let i = s.length - 1; i >= 0; i--) {
    if ('0123456789. '.includes(s[i])) {
      sep = i;
      break;
    }
  }
  if (sep < 0) throw badValue(`invalid size: '${s}'`);
  const num = s[sep] !== ' ' ? s.slice(0, sep + 1) : s.slice(0, sep);
  let sfx = s.slice(sep + 1);
  let size: number;
  try {
    size = parseFloat(num);
  } catch (e) {
    throw badValue((e as StrconvError).message);
  }
  if (size < 0) throw badValue(`invalid size: '${s}'`);
  if (sfx === '') return Math.trunc(size);
  const bad = () => badValue(`invalid suffix: '${sfx}'`);
  if (sfx.length > 3) throw bad();
  sfx = sfx.toLowerCase();
  if (sfx[0] === 'b') {
    if (sfx.length > 1) throw bad();
    return Math.trunc(size);
  }
  const mul = BINARY[sfx[0]];
  if (mul === undefined) throw bad();
  if ((sfx.length === 2 && sfx[1] !== 'b') || (sfx.length === 3 && sfx.slice(1) !== 'ib')) throw bad();
  return Math.trunc(size * mul);
}

/** --memory-swap: like --memory, plus `-1` for unlimited swap (opts.MemSwapBytes). */
export function parseMemorySwap(s: string): number {
  return s === '-1' ? -1 : ramInBytes(s);
}

/**
 * --cpus (opts.ParseCPUs): a rational number (`1.5`, `3/2`, `2e-1`) times 1e9 must be an
 * integer: the NanoCPUs value.
 */
export function parseCpus(s: string): number {
  const r = parseRational(s);
  if (r === undefined) throw badValue(`failed to parse ${s} as a rational number`);
  const [num, den] = r;
  const nano = num * 1_000_000_000n;
  if (nano % den !== 0n) throw badValue('value is too precise');
  return Number(nano / den);
}

/** big.Rat.SetString for decimal input: "a/b" or a decimal number with an optional exponent. */
function parseRational(s: string): [bigint, bigint] | undefined {
  const frac = /^([+-]?\d+)\/(\d+)$/.exec(s);
  if (frac) {
    const den = BigInt(frac[2]);
    return den === 0n ? undefined : [BigInt(frac[1]), den];
  }
  const m = /^([+-]?)(\d*)(?:\.(\d*))?(?:[eE]([+-]?\d+))?$/.exec(s);
  if (!m || (m[2] === '' && (m[3] ?? '') === '')) return undefined;
  const digits = (m[2] || '0') + (m[3] ?? '');
  let num = BigInt(digits) * (m[1] === '-' ? -1n : 1n);
  let den = 10n ** BigInt((m[3] ?? '').length);
  const exp = Number(m[4] ?? '0');
  if (exp > 0) num *= 10n ** BigInt(exp);
  else den *= 10n ** BigInt(-exp);
  return [num, den];
}

/** The CFS period docker uses for --cpus (100ms), in microseconds. */
export const CFS_PERIOD_US = 100_000;

/** How the daemon turns NanoCPUs into cpu.cfs_quota_us / cpu.max (daemon/oci_linux.go). */
export function nanoCpusToCfs(nanoCpus: number, periodUs = CFS_PERIOD_US): { quotaUs: number; periodUs: number } {
  return { quotaUs: Math.trunc((nanoCpus * periodUs) / 1e9), periodUs };
}

/** The daemon's range check for --cpus (daemon/daemon_unix.go). */
export function validateNanoCpus(nanoCpus: number, numCpus: number): void {
  if (nanoCpus < 0 || nanoCpus > numCpus * 1e9) {
    throw badValue(`Range of CPUs is from 0.01 to ${numCpus}.00, as there are only ${numCpus} CPUs available`);
  }
}

/** pflag's Int64 flags (--cpu-shares, --pids-limit, --memory-swappiness…): strconv.ParseInt(s, 0, 64). */
export function parseInt64Flag(s: string): number {
  try {
    return Number(parseInt(s, 0, 64));
  } catch (e) {
    throw badValue((e as StrconvError).message);
  }
}

/** --cpu-shares: a relative weight; 0 means "not set" (the kernel default of 1024). */
export function parseCpuShares(s: string): number {
  return parseInt64Flag(s);
}

/** --pids-limit: a positive limit, or `-1`/`0` for unlimited (returned as undefined). */
export function parsePidsLimit(s: string): number | undefined {
  const n = parseInt64Flag(s);
  return n > 0 ? n : undefined;
}
