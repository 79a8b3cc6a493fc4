// -e / --env-file / -l / --label-file rules (docker/cli opts, pkg/kvfile), messages checked
// against docker 28.2.
import { describe, expect, it } from 'vitest';
import { labelsToMap, mergeEnv, parseEnvFlag, parseKeyValueFile, parseLabelFlag } from '../../../src/cli/parse/env.js';

const lookup = (k: string) => ({ HOME: '/root', EMPTY: '' })[k];

describe('-e', () => {
  it.each([
    ['A=b', 'A=b'],
    ['A=', 'A='],
    ['A=b=c', 'A=b=c'],
    ['HOME', 'HOME=/root'],
    ['EMPTY', 'EMPTY='],
    ['UNSET', 'UNSET'],
    ['A="quoted"', 'A="quoted"'],
  ])('%s → %s', (v, out) => expect(parseEnvFlag(v, lookup)).toBe(out));
  it.each([['=x'], ['']])('rejects %j', (v) => expect(() => parseEnvFlag(v, lookup)).toThrow(`invalid environment variable: ${v}`));
});

describe('--env-file / --label-file content', () => {
  it('skips comments and blank lines, keeps values verbatim, looks up bare keys', () => {
    const content = '\ufeff  # comment\n\nA=1\n  B = x\r\nHOME\nUNSET\nC=\'q\' \nD="x y"\n#E=2\n';
    expect(() => parseKeyValueFile(content, 'f', lookup)).toThrow("invalid env file (f): variable 'B ' contains whitespaces");
    expect(parseKeyValueFile('\ufeff  # comment\n\nA=1\r\nHOME\nUNSET\nC=\'q\' \nD="x y"\n\tF=tab\n', 'f', lookup)).toEqual([
      'A=1',
      'HOME=/root',
      "C='q' ",
      'D="x y"',
      'F=tab',
    ]);
  });
  it('drops bare keys in label files (no lookup)', () => {
    expect(parseKeyValueFile('A=1\nB\n', 'labels')).toEqual(['A=1']);
  });
  it.each([
    ['a b=1\n', "invalid env file (e1): variable 'a b' contains whitespaces"],
    ['=x\n', "invalid env file (e1): no variable name on line '=x'"],
  ])('rejects %j', (c, msg) => expect(() => parseKeyValueFile(c, 'e1', lookup)).toThrow(msg));
  it('reports invalid UTF-8 with the line and bytes', () => {
    expect(() => parseKeyValueFile(new Uint8Array([0x41, 0x3d, 0x31, 0x0a, 0xff, 0x0a]), 'e4')).toThrow(
      'invalid env file (e4): invalid utf8 bytes at line 2: [255]',
    );
    expect(parseKeyValueFile(new TextEncoder().encode('A=é\n'), 'ok')).toEqual(['A=é']);
  });
});

describe('labels', () => {
  it('validates like ValidateLabel', () => {
    expect(parseLabelFlag('a=b')).toBe('a=b');
    expect(parseLabelFlag('a')).toBe('a');
    expect(() => parseLabelFlag('=x')).toThrow("invalid label '=x': empty name");
    expect(() => parseLabelFlag('')).toThrow("invalid label '': empty name");
    expect(() => parseLabelFlag(' a b=1')).toThrow("label 'a b' contains whitespaces");
  });
  it('converts to a map, later wins, bare key is empty', () => {
    expect(labelsToMap(['a=1', 'b', 'a=2', 'c=x=y'])).toEqual({ a: '2', b: '', c: 'x=y' });
  });
});

describe('mergeEnv (ReplaceOrAppendEnvValues)', () => {
  it('overrides by name, appends new, removes bare names', () => {
    expect(mergeEnv(['PATH=/bin', 'A=1', 'B=2'], ['A=x', 'C=3', 'B', 'NOPE'])).toEqual(['PATH=/bin', 'A=x', 'C=3']);
  });
});
