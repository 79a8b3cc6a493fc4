// Go's number formatting and JSON encoding, checked against values Go prints.
import { describe, expect, it } from 'vitest';
import { formatFloat } from '../../../src/cli/format/go/float.js';
import { sprint, sprintf, sprintln } from '../../../src/cli/format/go/fmt.js';
import { marshalJSON } from '../../../src/cli/format/go/json.js';
import { GoFloat, formatValue, goTypeName } from '../../../src/cli/format/go/value.js';

describe('formatFloat (strconv.FormatFloat)', () => {
  it.each([
    [4.86, 'g', 3, '4.86'],
    [523.4, 'g', 3, '523'],
    [999.9, 'g', 3, '1e+03'],
    [4, 'g', 3, '4'],
    [10, 'g', 3, '10'],
    [0.5, 'g', 3, '0.5'],
    [0, 'g', 3, '0'],
    [1.125, 'g', 3, '1.12'], // exact tie: round half to even, as Go
    [1.375, 'g', 3, '1.38'],
    [2.5, 'f', 0, '2'],
    [3.5, 'f', 0, '4'],
    [1.005, 'f', 2, '1.00'], // 1.005 is 1.00499999… in binary
    [0.06, 'f', 1, '0.1'],
    [0.001, 'f', 1, '0.0'],
    [1234.5678, 'e', 6, '1.234568e+03'],
    [1e-7, 'g', -1, '1e-07'],
    [100000000, 'g', -1, '1e+08'],
    [123456, 'g', -1, '123456'],
    [1234567, 'g', -1, '1.234567e+06'],
    [0.000012, 'g', -1, '1.2e-05'],
    [0.0001, 'g', -1, '0.0001'],
    [1e21, 'G', -1, '1E+21'],
    [1e100, 'e', -1, '1e+100'],
    [-0.5, 'f', -1, '-0.5'],
    [NaN, 'g', -1, 'NaN'],
    [Infinity, 'g', -1, '+Inf'],
  ] as const)('%s %s.%s = %s', (x, fmt, prec, expected) => {
    expect(formatFloat(x, fmt, prec)).toBe(expected);
  });
});

describe('sprintf / sprint / sprintln', () => {
  it.each([
    ['%d|%5d|%-5d|%05d', [1, 2, 3, 4], '1|    2|3    |00004'],
    ['%x %X %#x %o %b %c %q %U', [255, 255, 255, 8, 5, 65, 65, 0x2603], "ff FF 0xff 10 101 A 'A' U+2603"],
    ['%s|%q|%v|%x', ['a"b', 'a"b', 'a"b', 'hi'], 'a"b|"a\\"b"|a"b|6869'],
    ['%.3s|%8.3f|%-8.2e|', ['abcdef', 3.14159, 1234.5], 'abc|   3.142|1.23e+03|'],
    ['%t %v', [true, false], 'true false'],
    ['%v %v %v', [[1, 2], new Map([['b', 1], ['a', 2]]), { k: 'v' }], '[1 2] map[a:2 b:1] map[k:v]'],
    ['%T %T %T %T %T', [1, 1.5, 'x', ['a'], true], 'int float64 string []string bool'],
    ['%d %s', [null, null], '%!d(<nil>) %!s(<nil>)'],
    ['%%|%', [], '%|%!(NOVERB)'],
    ['%[3]d %[1]d', [1, 2, 3], '3 1'],
    ['%[5]d', [1], '%!d(BADINDEX)'],
    ['%d', [1, 'x', 2.5], '1%!(EXTRA string=x, float64=2.5)'],
    ['%q', ['tab\there\u0001é\u00a0'], '"tab\\there\\x01é\\u00a0"'],
  ] as [string, unknown[], string][])('%s', (f, args, expected) => {
    expect(sprintf(f, args)).toBe(expected);
  });

  it('sprint adds spaces only between non-string operands', () => {
    expect(sprint(['a', 1, 2, 'b', true, 3])).toBe('a1 2btrue 3');
    expect(sprintln(['a', 1])).toBe('a 1\n');
  });

  it('keeps float constants floats', () => {
    expect(formatValue(new GoFloat(2))).toBe('2');
    expect(goTypeName(new GoFloat(2))).toBe('float64');
    expect(sprintf('%d', [new GoFloat(2)])).toBe('%!d(float64=2)');
  });
});

describe('marshalJSON (encoding/json)', () => {
  it('escapes like Go, with and without HTML escaping', () => {
    const s = 'a<b>&"\\\n\t\b\f\u0001\u2028é';
    expect(marshalJSON(s, { escapeHTML: true })).toBe('"a\\u003cb\\u003e\\u0026\\"\\\\\\n\\t\\b\\f\\u0001\\u2028é"');
    expect(marshalJSON(s, { escapeHTML: false })).toBe('"a<b>&\\"\\\\\\n\\t\\b\\f\\u0001\\u2028é"');
  });
  it('prints floats as Go does', () => {
    expect(marshalJSON([1, 1.5, 1e-7, 1e21, 1e20, 0.000001, new GoFloat(3)], { escapeHTML: false })).toBe(
      '[1,1.5,1e-7,1e+21,100000000000000000000,0.000001,3]',
    );
  });
  it('sorts Map keys, keeps object order, drops functions, null for undefined', () => {
    expect(marshalJSON({ z: 1, a: new Map([['y', true], ['b', null]]), f: () => 1, u: undefined }, { escapeHTML: false })).toBe(
      '{"z":1,"a":{"b":null,"y":true},"u":null}',
    );
  });
  it('rejects NaN like Go', () => {
    expect(() => marshalJSON(NaN, { escapeHTML: false })).toThrow('json: unsupported value: NaN');
  });
});
