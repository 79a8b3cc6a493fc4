// Error texts verified against docker 28.2 (`docker create --memory … busybox` reports flag
// errors before contacting the daemon).
import { describe, expect, it } from 'vitest';
import { flagParser } from '../../../src/cli/parse/flag-error.js';
import {
  nanoCpusToCfs,
  parseCpus,
  parseCpuShares,
  parseMemorySwap,
  parsePidsLimit,
  ramInBytes,
  validateNanoCpus,
} from '../../../src/cli/parse/memory.js';
import { parseUlimit, parseUlimits } from '../../../src/cli/parse/ulimit.js';

const KiB = 1024;
const MiB = 1024 * KiB;
const GiB = 1024 * MiB;

describe('RAMInBytes', () => {
  it.each([
    ['32', 32], ['32b', 32], ['32B', 32], ['32k', 32 * KiB], ['32K', 32 * KiB], ['32kb', 32 * KiB], ['32Kib', 32 * KiB],
    ['32KIB', 32 * KiB], ['32Mb', 32 * MiB], ['32m', 32 * MiB], ['1g', GiB], ['1.5g', 1.5 * GiB], ['512k', 512 * KiB],
    ['32.3', 32], ['32.3 mb', Math.trunc(32.3 * MiB)], ['0.3MB', Math.trunc(0.3 * MiB)], ['10 m', 10 * MiB],
    ['1e3', 1000], ['1e3k', 1000 * KiB], ['.5k', 512], ['5.', 5], ['32P', 32 * 1024 ** 5],
  ])('%j = %d', (s, n) => expect(ramInBytes(s)).toBe(n));

  it.each([
    ['1.5x', "invalid suffix: 'x'"],
    ['1.2.3', 'strconv.ParseFloat: parsing "1.2.3": invalid syntax'],
    ['-1', "invalid size: '-1'"],
    ['', "invalid size: ''"],
    ['10  m', 'strconv.ParseFloat: parsing "10 ": invalid syntax'],
    ['10kibx', "invalid suffix: 'kibx'"],
    ['10bb', "invalid suffix: 'bb'"],
    [' 10', 'strconv.ParseFloat: parsing " 10": invalid syntax'],
    ['0x10', 'strconv.ParseFloat: parsing "0x10": invalid syntax'],
    ['inf', "invalid size: 'inf'"],
    ['nan', "invalid size: 'nan'"],
    ['1km', "invalid suffix: 'km'"],
    ['hello', "invalid size: 'hello'"],
    ['32bm', "invalid suffix: 'bm'"],
  ])('rejects %j: %s', (s, msg) => expect(() => ramInBytes(s)).toThrow(msg));

  it('wraps errors as pflag does, with exit code 125', () => {
    const parse = flagParser('-m, --memory', ramInBytes);
    try {
      parse('1.5x');
      expect.unreachable();
    } catch (e) {
      expect((e as Error).message).toBe(`invalid argument "1.5x" for "-m, --memory" flag: invalid suffix: 'x'`);
      expect(e).toMatchObject({ kind: 'usage', exitCode: 125 });
    }
  });

  it('--memory-swap accepts -1', () => {
    expect(parseMemorySwap('-1')).toBe(-1);
    expect(parseMemorySwap('1g')).toBe(GiB);
    expect(() => parseMemorySwap('-2')).toThrow("invalid size: '-2'");
  });
});

describe('--cpus, --cpu-shares, --pids-limit', () => {
  it.each([
    ['1.5', 1_500_000_000], ['0.5', 500_000_000], ['2', 2_000_000_000], ['3/2', 1_500_000_000], ['1e-3', 1_000_000],
    ['.25', 250_000_000], ['-1', -1_000_000_000], ['0.000000001', 1],
  ])('--cpus %s = %d NanoCPUs', (s, n) => expect(parseCpus(s)).toBe(n));

  it.each([
    ['abc', 'failed to parse abc as a rational number'],
    ['', 'failed to parse  as a rational number'],
    ['0.0000000001', 'value is too precise'],
    ['1/3', 'value is too precise'],
    ['1/0', 'failed to parse 1/0 as a rational number'],
  ])('rejects --cpus %j', (s, msg) => expect(() => parseCpus(s)).toThrow(msg));

  it('turns NanoCPUs into a CFS quota over a 100ms period', () => {
    expect(nanoCpusToCfs(1_500_000_000)).toEqual({ quotaUs: 150_000, periodUs: 100_000 });
    expect(nanoCpusToCfs(10_000_000)).toEqual({ quotaUs: 1_000, periodUs: 100_000 });
    expect(() => validateNanoCpus(3e9, 2)).toThrow('Range of CPUs is from 0.01 to 2.00, as there are only 2 CPUs available');
    expect(() => validateNanoCpus(2e9, 2)).not.toThrow();
  });

  it('parses int64 flags as pflag does (base prefixes allowed)', () => {
    expect(parseCpuShares('512')).toBe(512);
    expect(parseCpuShares('0x10')).toBe(16);
    expect(() => parseCpuShares('0x10x')).toThrow('strconv.ParseInt: parsing "0x10x": invalid syntax');
    expect(() => parseCpuShares('1.5')).toThrow('strconv.ParseInt: parsing "1.5": invalid syntax');
    expect(() => parseCpuShares('99999999999999999999')).toThrow('strconv.ParseInt: parsing "99999999999999999999": value out of range');
    expect(parsePidsLimit('100')).toBe(100);
    expect(parsePidsLimit('-1')).toBeUndefined();
    expect(parsePidsLimit('0')).toBeUndefined();
    expect(() => parsePidsLimit('abc')).toThrow('strconv.ParseInt: parsing "abc": invalid syntax');
  });
});

describe('--ulimit', () => {
  it.each([
    ['nofile=1024', { Name: 'nofile', Soft: 1024, Hard: 1024 }],
    ['nofile=1024:2048', { Name: 'nofile', Soft: 1024, Hard: 2048 }],
    ['core=-1', { Name: 'core', Soft: -1, Hard: -1 }],
    ['nproc=5:-1', { Name: 'nproc', Soft: 5, Hard: -1 }],
  ])('%s', (s, u) => expect(parseUlimit(s)).toEqual(u));

  it.each([
    ['nofile', 'invalid ulimit argument: nofile'],
    ['foo=1', 'invalid ulimit type: foo'],
    ['as=1', 'invalid ulimit type: as'],
    ['nofile=2:1', 'ulimit soft limit must be less than or equal to hard limit: 2 > 1'],
    ['nofile=a', 'strconv.ParseInt: parsing "a": invalid syntax'],
    ['nofile=1:2:3', 'too many limit value arguments - 1:2:3, can only have up to two, `soft[:hard]`'],
    ['nofile=-1:5', 'ulimit soft limit must be less than or equal to hard limit: soft: -1 (unlimited), hard: 5'],
    ['nofile=infinity', 'strconv.ParseInt: parsing "infinity": invalid syntax'],
  ])('rejects %s', (s, msg) => expect(() => parseUlimit(s)).toThrow(msg));

  it('keeps the last value per resource', () => {
    expect(parseUlimits(['nofile=1', 'nproc=2', 'nofile=3'])).toEqual([
      { Name: 'nofile', Soft: 3, Hard: 3 },
      { Name: 'nproc', Soft: 2, Hard: 2 },
    ]);
  });
});
