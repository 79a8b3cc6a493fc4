// Volume names (and why no name can leave the volumes directory), `--filter` semantics, the
// CLI's natural sort, and the prune report's text.
import { describe, expect, it } from 'vitest';
import { createEngine } from '../../../src/engine.js';
import { RecordingHost } from '../../../src/host/script.js';
import { boolFilter, checkFilterKeys, allFilter, matchLabelFilters, matchName, parseFilters } from '../../../src/runtime/volumes/filters.js';
import { naturalLess } from '../../../src/runtime/volumes/list.js';
import { anonymousVolumeName, volumeNameProblem } from '../../../src/runtime/volumes/names.js';
import { humanSize, renderPruneReport } from '../../../src/runtime/volumes/prune.js';
import { VolumeStore } from '../../../src/runtime/volumes/store.js';

describe('volume names', () => {
  it.each(['ab', 'my-vol', 'my_vol.1', 'A1', 'a'.repeat(200), 'a..b'])('%j is valid', (name) => {
    expect(volumeNameProblem(name)).toBeUndefined();
  });

  it.each([
    ['a', /too short/],
    ['..', /includes invalid characters/],
    ['.', /too short/],
    ['../etc', /includes invalid characters/],
    ['a/b', /includes invalid characters/],
    ['/abs', /includes invalid characters/],
    ['.hidden', /includes invalid characters/],
    ['-x', /includes invalid characters/],
    ['a b', /includes invalid characters/],
    ['é', /includes invalid characters/], // two bytes: not "too short" (Go's len)
    ['a\u0000b', /"a\\x00b" includes invalid characters/],
    ['', /includes invalid characters/],
    ['a'.repeat(201), /too long/],
  ])('%j is refused', (name, why) => {
    expect(volumeNameProblem(name)).toMatch(why);
  });

  it('makes 64-hex anonymous names', () => {
    const a = anonymousVolumeName();
    expect(a).toMatch(/^[0-9a-f]{64}$/);
    expect(anonymousVolumeName()).not.toBe(a);
  });

  it('never builds a path outside the volumes dir', () => {
    const store = new VolumeStore(createEngine({ host: new RecordingHost(), root: '/nonexistent-root' }));
    for (const bad of ['..', '../x', '/etc', 'a/../../b', '.', '']) {
      expect(() => store.dir(bad)).toThrow(/^create /);
      expect(store.get(bad)).toBeUndefined();
    }
    expect(store.dir('ok-name')).toBe('/nonexistent-root/volumes/ok-name');
    expect(store.dataDir('ok-name')).toBe('/nonexistent-root/volumes/ok-name/_data');
  });
});

describe('filters', () => {
  it('parses key=value flags as the CLI does', () => {
    const f = parseFilters(['Name=web', ' label = a=b ', 'name=db', 'name=web', '']);
    expect([...f]).toEqual([
      ['name', ['web', 'db']],
      ['label', ['a=b']],
    ]);
    expect(() => parseFilters(['dangling'])).toThrow('bad format of filter (expected name=value)');
  });

  it('refuses keys the command does not know', () => {
    expect(() => checkFilterKeys(parseFilters(['until=1h']), ['label'])).toThrow("invalid filter 'until'");
  });

  it.each([
    ['true', true],
    ['1', true],
    ['TRUE', true],
    ['false', false],
    ['0', false],
  ])('dangling=%s', (v, want) => {
    expect(boolFilter(parseFilters([`dangling=${v}`]), 'dangling')).toBe(want);
  });

  it('refuses other dangling values', () => {
    expect(() => boolFilter(parseFilters(['dangling=yes']), 'dangling')).toThrow("invalid filter 'dangling=yes'");
    expect(() => boolFilter(parseFilters(['dangling=true', 'dangling=false']), 'dangling')).toThrow("invalid filter 'dangling=true,false'");
    expect(boolFilter(parseFilters([]), 'dangling')).toBeUndefined();
  });

  it('reads all= as strconv.ParseBool', () => {
    expect(allFilter(parseFilters(['all=T']))).toBe(true);
    expect(allFilter(parseFilters([]))).toBe(false);
    expect(() => allFilter(parseFilters(['all=yes']))).toThrow(`invalid filter 'all': strconv.ParseBool: parsing "yes": invalid syntax`);
  });

  it('matches names exactly or as a regular expression', () => {
    const f = parseFilters(['name=^web', 'name=db1']);
    expect(matchName(f, 'webdata')).toBe(true);
    expect(matchName(f, 'db1')).toBe(true);
    expect(matchName(f, 'mydb12')).toBe(true); // unanchored, as Go's regexp.MatchString
    expect(matchName(f, 'cache')).toBe(false);
    expect(matchName(parseFilters(['name=[']), '[')).toBe(true); // exact match even when not a valid regexp
    expect(matchName(parseFilters(['name=[']), 'x')).toBe(false);
  });

  it('matches every label filter, and excludes with label!', () => {
    const labels = { env: 'prod', tier: '' };
    expect(matchLabelFilters(parseFilters(['label=env']), labels)).toBe(true);
    expect(matchLabelFilters(parseFilters(['label=env=prod', 'label=tier']), labels)).toBe(true);
    expect(matchLabelFilters(parseFilters(['label=env=dev']), labels)).toBe(false);
    expect(matchLabelFilters(parseFilters(['label=env', 'label=missing']), labels)).toBe(false);
    expect(matchLabelFilters(parseFilters(['label=env']), null)).toBe(false);
    expect(matchLabelFilters(parseFilters(['label!=env=prod']), labels)).toBe(false);
    expect(matchLabelFilters(parseFilters(['label!=env=dev']), labels)).toBe(true);
    expect(matchLabelFilters(parseFilters([]), null)).toBe(true);
  });
});

describe('naturalLess (the CLI\'s sort order)', () => {
  it('sorts numbers by value and digits first', () => {
    const names = ['vol10', 'vol2', 'Vol1', 'vol1', 'vol01', '9lives', 'alpha', 'vol'];
    const sorted = [...names].sort((a, b) => (naturalLess(a, b) ? -1 : naturalLess(b, a) ? 1 : 0));
    expect(sorted).toEqual(['9lives', 'Vol1', 'alpha', 'vol', 'vol1', 'vol01', 'vol2', 'vol10']);
  });
});

describe('prune report', () => {
  it.each([
    [0, '0B'],
    [999, '999B'],
    [1000, '1kB'],
    [1200, '1.2kB'],
    [4096, '4.096kB'],
    [1234567, '1.235MB'],
    [999960, '1000kB'],
    [5e12, '5TB'],
  ])('humanSize(%d) = %s', (n, want) => {
    expect(humanSize(n)).toBe(want);
  });

  it('prints what docker volume prune prints', () => {
    expect(renderPruneReport({ deleted: ['a1', 'b2'], reclaimed: 1200 })).toBe('Deleted Volumes:\na1\nb2\n\nTotal reclaimed space: 1.2kB\n');
    expect(renderPruneReport({ deleted: [], reclaimed: 0 })).toBe('Total reclaimed space: 0B\n');
  });
});
