// .dockerignore matching, checked against moby/patternmatcher's own test tables
// (patternmatcher_test.go: TestMatches, TestMatch, compile types) and ignorefile.ReadAll's rules.
import { describe, expect, it } from 'vitest';
import { compile, PatternMatcher } from '../../../src/image/build/pattern-matcher.js';
import { parseIgnoreFile } from '../../../src/image/build/dockerignore.js';
import { goMatch, checkPattern } from '../../../src/image/build/go-match.js';

type Pass = 'fail' | 'exact' | 'inexact';

// TestMatches: pattern, text, and whether it matches exactly or only through a parent.
const MATCHES: [string, string, Pass][] = [
  ['**', 'file', 'exact'],
  ['**', 'file/', 'exact'],
  ['**/', 'file', 'exact'],
  ['**/', 'file/', 'exact'],
  ['**', '/', 'exact'],
  ['**/', '/', 'exact'],
  ['**', 'dir/file', 'exact'],
  ['**/', 'dir/file', 'exact'],
  ['**', 'dir/file/', 'exact'],
  ['**/', 'dir/file/', 'exact'],
  ['**/**', 'dir/file', 'exact'],
  ['**/**', 'dir/file/', 'exact'],
  ['dir/**', 'dir/file', 'exact'],
  ['dir/**', 'dir/file/', 'exact'],
  ['dir/**', 'dir/dir2/file', 'exact'],
  ['dir/**', 'dir/dir2/file/', 'exact'],
  ['**/dir', 'dir', 'exact'],
  ['**/dir', 'dir/file', 'inexact'],
  ['**/dir2/*', 'dir/dir2/file', 'exact'],
  ['**/dir2/*', 'dir/dir2/file/', 'inexact'],
  ['**/dir2/**', 'dir/dir2/dir3/file', 'exact'],
  ['**/dir2/**', 'dir/dir2/dir3/file/', 'exact'],
  ['**file', 'file', 'exact'],
  ['**file', 'dir/file', 'exact'],
  ['**/file', 'dir/file', 'exact'],
  ['**file', 'dir/dir/file', 'exact'],
  ['**/file', 'dir/dir/file', 'exact'],
  ['**/file*', 'dir/dir/file', 'exact'],
  ['**/file*', 'dir/dir/file.txt', 'exact'],
  ['**/file*txt', 'dir/dir/file.txt', 'exact'],
  ['**/file*.txt', 'dir/dir/file.txt', 'exact'],
  ['**/file*.txt*', 'dir/dir/file.txt', 'exact'],
  ['**/**/*.txt', 'dir/dir/file.txt', 'exact'],
  ['**/**/*.txt2', 'dir/dir/file.txt', 'fail'],
  ['**/*.txt', 'file.txt', 'exact'],
  ['**/**/*.txt', 'file.txt', 'exact'],
  ['a**/*.txt', 'a/file.txt', 'exact'],
  ['a**/*.txt', 'a/dir/file.txt', 'exact'],
  ['a**/*.txt', 'a/dir/dir/file.txt', 'exact'],
  ['a/*.txt', 'a/dir/file.txt', 'fail'],
  ['a/*.txt', 'a/file.txt', 'exact'],
  ['a/*.txt**', 'a/file.txt', 'exact'],
  ['a[b-d]e', 'ae', 'fail'],
  ['a[b-d]e', 'ace', 'exact'],
  ['a[b-d]e', 'aae', 'fail'],
  ['a[^b-d]e', 'aze', 'exact'],
  ['.*', '.foo', 'exact'],
  ['.*', 'foo', 'fail'],
  ['abc.def', 'abcdef', 'fail'],
  ['abc.def', 'abc.def', 'exact'],
  ['abc.def', 'abcZdef', 'fail'],
  ['abc?def', 'abcZdef', 'exact'],
  ['abc?def', 'abcdef', 'fail'],
  ['**/foo/bar', 'foo/bar', 'exact'],
  ['**/foo/bar', 'dir/foo/bar', 'exact'],
  ['**/foo/bar', 'dir/dir2/foo/bar', 'exact'],
  ['abc/**', 'abc', 'fail'],
  ['abc/**', 'abc/def', 'exact'],
  ['abc/**', 'abc/def/ghi', 'exact'],
  ['**/.foo', '.foo', 'exact'],
  ['**/.foo', 'bar.foo', 'fail'],
  ['a(b)c/def', 'a(b)c/def', 'exact'],
  ['a(b)c/def', 'a(b)c/xyz', 'fail'],
  ['a.|)$(}+{bc', 'a.|)$(}+{bc', 'exact'],
  ['dist/proxy.py-2.4.0rc3.dev36+g08acad9-py3-none-any.whl', 'dist/proxy.py-2.4.0rc3.dev36+g08acad9-py3-none-any.whl', 'exact'],
  ['dist/*.whl', 'dist/proxy.py-2.4.0rc3.dev36+g08acad9-py3-none-any.whl', 'exact'],
  ['a\\\\', 'a\\', 'exact'],
  ['a\\*b', 'a*b', 'exact'],
];

const MULTI: [string[], string, Pass][] = [
  [['**', '!util/docker/web'], 'util/docker/web/foo', 'fail'],
  [['**', '!util/docker/web', 'util/docker/web/foo'], 'util/docker/web/foo', 'exact'],
  [['**', '!dist/proxy.py-2.4.0rc3.dev36+g08acad9-py3-none-any.whl'], 'dist/proxy.py-2.4.0rc3.dev36+g08acad9-py3-none-any.whl', 'fail'],
  [['**', '!dist/*.whl'], 'dist/proxy.py-2.4.0rc3.dev36+g08acad9-py3-none-any.whl', 'fail'],
];

describe('PatternMatcher (moby TestMatches)', () => {
  it.each(MATCHES)('%s vs %s: MatchesExact', (pattern, text, pass) => {
    expect(new PatternMatcher([pattern]).matchesExact(text)).toBe(pass === 'exact');
  });
  it.each(MATCHES)('%s vs %s: MatchesOrParentMatches', (pattern, text, pass) => {
    expect(new PatternMatcher([pattern]).matchesOrParentMatches(text)).toBe(pass !== 'fail');
  });
  it.each(MULTI)('%j vs %s', (patterns, text, pass) => {
    expect(new PatternMatcher(patterns).matchesOrParentMatches(text)).toBe(pass !== 'fail');
  });
});

describe('PatternMatcher exclusions', () => {
  it('a folder pattern followed by an exception does not match the exception', () => {
    for (const p of ['docs', 'docs/', 'docs/*']) {
      expect(new PatternMatcher([p, '!docs/README.md']).matchesOrParentMatches('docs/README.md')).toBe(false);
      expect(new PatternMatcher([p, '!docs/README.md']).matchesOrParentMatches('docs/other.md')).toBe(true);
    }
  });
  it('a pattern after an exception wins', () => {
    expect(new PatternMatcher(['!fileutils.go', '*.go']).matchesOrParentMatches('fileutils.go')).toBe(true);
    expect(new PatternMatcher(['*.go', '!fileutils.go']).matchesOrParentMatches('fileutils.go')).toBe(false);
  });
  it('reports whether exceptions exist, trimming spaces', () => {
    expect(new PatternMatcher(['docs', '  !docs/README.md  ']).exclusions).toBe(true);
    expect(new PatternMatcher(['docs', 'config', '']).patterns).toHaveLength(2);
  });
  it('refuses a lone "!" and malformed patterns', () => {
    expect(() => new PatternMatcher(['!'])).toThrow('illegal exclusion pattern: "!"');
    expect(() => new PatternMatcher(['['])).toThrow(/syntax error in pattern/);
  });
});

describe('compile (moby compileTests)', () => {
  const cases: [string, string, string | undefined][] = [
    ['*', 'regexp', '^[^/]*$'],
    ['file*', 'regexp', '^file[^/]*$'],
    ['**', 'suffix', undefined],
    ['dir/**', 'prefix', undefined],
    ['**/dir', 'suffix', undefined],
    ['**file', 'suffix', undefined],
    ['abc', 'exact', undefined],
    ['a.b', 'exact', undefined],
    ['a[b-d]e', 'regexp', '^a[b-d]e$'],
  ];
  it.each(cases)('%s is a %s match', (pattern, type, source) => {
    const p = compile(pattern, false);
    expect(p.type).toBe(type);
    if (source) expect(p.regexp?.source).toBe(source);
  });
});

// Go's filepath.Match table, as moby's TestMatch copies it.
const GO_MATCH: [string, string, boolean, boolean?][] = [
  ['abc', 'abc', true],
  ['*', 'abc', true],
  ['*c', 'abc', true],
  ['a*', 'a', true],
  ['a*', 'abc', true],
  ['a*', 'ab/c', false],
  ['a*/b', 'abc/b', true],
  ['a*/b', 'a/c/b', false],
  ['a*b*c*d*e*/f', 'axbxcxdxe/f', true],
  ['a*b*c*d*e*/f', 'axbxcxdxexxx/f', true],
  ['a*b*c*d*e*/f', 'axbxcxdxe/xxx/f', false],
  ['a*b*c*d*e*/f', 'axbxcxdxexxx/fff', false],
  ['a*b?c*x', 'abxbbxdbxebxczzx', true],
  ['a*b?c*x', 'abxbbxdbxebxczzy', false],
  ['ab[c]', 'abc', true],
  ['ab[b-d]', 'abc', true],
  ['ab[e-g]', 'abc', false],
  ['ab[^c]', 'abc', false],
  ['ab[^b-d]', 'abc', false],
  ['ab[^e-g]', 'abc', true],
  ['a\\*b', 'a*b', true],
  ['a\\*b', 'ab', false],
  ['a?b', 'a☺b', true],
  ['a[^a]b', 'a☺b', true],
  ['a???b', 'a☺b', false],
  ['a[^a][^a][^a]b', 'a☺b', false],
  ['[a-ζ]*', 'α', true],
  ['*[a-ζ]', 'A', false],
  ['a?b', 'a/b', false],
  ['a*b', 'a/b', false],
  ['[\\]a]', ']', true],
  ['[\\-]', '-', true],
  ['[x\\-]', 'x', true],
  ['[x\\-]', '-', true],
  ['[x\\-]', 'z', false],
  ['[\\-x]', 'x', true],
  ['[\\-x]', '-', true],
  ['[\\-x]', 'a', false],
  ['[]a]', ']', false, true],
  ['[-]', '-', false, true],
  ['[x-]', 'x', false, true],
  ['[-x]', 'x', false, true],
  ['\\', 'a', false, true],
  ['[a-b-c]', 'a', false, true],
  ['[', 'a', false, true],
  ['[^', 'a', false, true],
  ['[^bc', 'a', false, true],
  ['a[', 'a', false, true],
  ['a[', 'ab', false, true],
  ['*x', 'xxx', true],
];

describe('goMatch (Go filepath.Match)', () => {
  it.each(GO_MATCH)('Match(%s, %s) = %s', (pattern, name, want, bad) => {
    if (bad) {
      expect(() => goMatch(pattern, name)).toThrow(/syntax error in pattern/);
      expect(() => checkPattern(pattern)).toThrow();
    } else {
      expect(goMatch(pattern, name)).toBe(want);
    }
  });
  it.each(GO_MATCH.filter(([, , , bad]) => !bad))('the .dockerignore regexp agrees: %s vs %s', (pattern, name, want) => {
    expect(new PatternMatcher([pattern]).matchesExact(name)).toBe(want);
  });
});

describe('parseIgnoreFile (ignorefile.ReadAll)', () => {
  it('drops comments, blank lines and a BOM, cleans paths and strips a leading slash', () => {
    const text = '\ufeff# comment\n\n  node_modules/  \n/build\n!/build/keep\n./a/../b//c\n #not-a-comment\r\n!\n';
    expect(parseIgnoreFile(text)).toEqual(['node_modules', 'build', '!build/keep', 'b/c', '#not-a-comment', '!']);
  });
  it('keeps "/" alone and "!" followed by spaces as an exception of nothing', () => {
    expect(parseIgnoreFile('/\n!  x\n')).toEqual(['/', '!x']);
  });
});
