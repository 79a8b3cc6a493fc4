// go-units tables (size_test.go, duration_test.go) and Go time formats.
import { describe, expect, it } from 'vitest';
import {
  bytesSize,
  createdSince,
  formatGoTimeString,
  formatRFC3339Nano,
  formatRFC3339NanoFixed,
  humanDuration,
  humanSize,
  humanSizeWithPrecision,
  parseRFC3339Nano,
} from '../../../src/cli/format/units.js';

const KB = 1000;
const MB = 1000 * KB;
const GB = 1000 * MB;
const TB = 1000 * GB;
const PB = 1000 * TB;
const KiB = 1024;
const MiB = 1024 * KiB;
const GiB = 1024 * MiB;
const TiB = 1024 * GiB;
const PiB = 1024 * TiB;

describe('sizes', () => {
  it.each([
    [1000, '1kB'],
    [1024, '1.024kB'],
    [1000000, '1MB'],
    [1048576, '1.049MB'],
    [2 * MB, '2MB'],
    [3.42 * GB, '3.42GB'],
    [5.372 * TB, '5.372TB'],
    [2.22 * PB, '2.22PB'],
    [10000000000000 * PB, '1e+04YB'],
  ])('HumanSize(%d) = %s', (n, s) => expect(humanSize(n)).toBe(s));

  it.each([
    [1024, '1KiB'],
    [1024 * 1024, '1MiB'],
    [2 * MiB, '2MiB'],
    [3.42 * GiB, '3.42GiB'],
    [5.372 * TiB, '5.372TiB'],
    [2.22 * PiB, '2.22PiB'],
    [KiB * KiB * KiB * KiB * KiB * PiB, '1.049e+06YiB'],
    [1.5 * MiB, '1.5MiB'],
  ])('BytesSize(%d) = %s', (n, s) => expect(bytesSize(n)).toBe(s));

  it.each([
    [0, '0B'],
    [999, '999B'],
    [1125, '1.12kB'],
    [4_860_000, '4.86MB'],
    [523_400, '523kB'],
    [999_999, '1e+03kB'],
    [7_654_321, '7.65MB'],
  ])('docker ps/images size (precision 3) of %d = %s', (n, s) => expect(humanSizeWithPrecision(n, 3)).toBe(s));
});

describe('HumanDuration', () => {
  const s = 1000;
  const m = 60 * s;
  const h = 60 * m;
  const day = 24 * h;
  const week = 7 * day;
  const month = 30 * day;
  const year = 365 * day;
  it.each([
    [450, 'Less than a second'],
    [-5 * s, 'Less than a second'],
    [1 * s, '1 second'],
    [45 * s, '45 seconds'],
    [59 * s, '59 seconds'],
    [60 * s, 'About a minute'],
    [3 * m, '3 minutes'],
    [35 * m + 40 * s, '35 minutes'],
    [59 * m, '59 minutes'],
    [1 * h, 'About an hour'],
    [1 * h + 29 * m, 'About an hour'],
    [1 * h + 31 * m, '2 hours'],
    [3 * h + 29 * m, '3 hours'],
    [3 * h + 31 * m, '4 hours'],
    [24 * h, '24 hours'],
    [1 * day + 12 * h, '36 hours'],
    [2 * day, '2 days'],
    [13 * day + 5 * h, '13 days'],
    [2 * week, '2 weeks'],
    [2 * week + 4 * day, '2 weeks'],
    [4 * week + 3 * day, '4 weeks'],
    [1 * month, '4 weeks'],
    [1 * month + 2 * week, '6 weeks'],
    [2 * month, '2 months'],
    [3 * month + 1 * week, '3 months'],
    [5 * month + 2 * week, '5 months'],
    [13 * month, '13 months'],
    [24 * month, '24 months'],
    [24 * month + 2 * week, '2 years'],
    [3 * year + 2 * month, '3 years'],
  ])('%d ms = %s', (ms, text) => expect(humanDuration(ms)).toBe(text));

  it('CreatedSince appends "ago"', () => {
    expect(createdSince(1_000_000, 1_000_000 + 2 * m)).toBe('2 minutes ago');
  });
});

describe('timestamps', () => {
  const t = 1_700_000_000_123_400_000n; // 2023-11-14T22:13:20.1234Z
  it('RFC3339Nano trims trailing zeros, the fixed form keeps nine digits', () => {
    expect(formatRFC3339Nano(t)).toBe('2023-11-14T22:13:20.1234Z');
    expect(formatRFC3339Nano(1_700_000_000_000_000_000n)).toBe('2023-11-14T22:13:20Z');
    expect(formatRFC3339NanoFixed(t)).toBe('2023-11-14T22:13:20.123400000Z');
    expect(formatRFC3339NanoFixed(1_700_000_000_000_000_000n)).toBe('2023-11-14T22:13:20.000000000Z');
    expect(formatRFC3339Nano(t, 60)).toBe('2023-11-14T23:13:20.1234+01:00');
    expect(formatRFC3339Nano(t, -330)).toBe('2023-11-14T16:43:20.1234-05:30');
  });
  it('Go Time.String as docker prints CreatedAt', () => {
    expect(formatGoTimeString(1_700_000_000_000_000_000n)).toBe('2023-11-14 22:13:20 +0000 UTC');
    expect(formatGoTimeString(t, 60, 'CET')).toBe('2023-11-14 23:13:20.1234 +0100 CET');
  });
  it('reads RFC 3339 back with nanoseconds', () => {
    expect(parseRFC3339Nano('2023-11-14T22:13:20.1234Z')).toBe(t);
    expect(parseRFC3339Nano('2023-11-14T23:13:20.1234+01:00')).toBe(t);
    expect(parseRFC3339Nano('2023-11-14T22:13:20.123456789Z')).toBe(1_700_000_000_123_456_789n);
    expect(parseRFC3339Nano('2023-13-14T22:13:20Z')).toBeUndefined();
    expect(parseRFC3339Nano('yesterday')).toBeUndefined();
  });
  it('handles times before the epoch', () => {
    expect(formatRFC3339Nano(-1n)).toBe('1969-12-31T23:59:59.999999999Z');
  });
});
