// Word expansion beyond BuildKit's vector files: the tables of lex_test.go (matches, the ? and
// pattern modifiers, replacement), lexer options, and the escape token.
import { describe, expect, it } from 'vitest';
import { envFromList, expandWord, processWord, processWords } from '../../../src/image/dockerfile/shell.js';
import { patternToRegExp, reversePattern } from '../../../src/image/dockerfile/shell-pattern.js';

const env = (o: Record<string, string>) => new Map(Object.entries(o));

describe('expandWord: result, matched and unmatched (TestProcessWithMatches)', () => {
  const cases: [string, Record<string, string>, string, string[], string[]][] = [
    ['x', { DUMMY: 'dummy' }, 'x', [], []],
    ['x ${UNUSED}', { DUMMY: 'dummy' }, 'x ', [], ['UNUSED']],
    ['x ${FOO}', { FOO: 'y' }, 'x y', ['FOO'], []],
    ['${FOO-aaa} ${BAR-bbb} ${BAZ-ccc}', { FOO: 'xxx', BAR: '' }, 'xxx  ccc', ['FOO', 'BAR'], ['BAZ']],
    ['${FOO:-aaa} ${BAR:-bbb} ${BAZ:-ccc}', { FOO: 'xxx', BAR: '' }, 'xxx bbb ccc', ['FOO', 'BAR'], ['BAZ']],
    ['${FOO:-}', { FOO: 'xxx', BAR: '' }, 'xxx', ['FOO'], []],
    ['${FOO:-}', {}, '', [], ['FOO']],
    ['${FOO+aaa} ${BAR+bbb} ${BAZ+ccc}', { FOO: 'xxx', BAR: '' }, 'aaa bbb ', ['FOO', 'BAR'], ['BAZ']],
    ['${FOO:+aaa} ${BAR:+bbb} ${BAZ:+ccc}', { FOO: 'xxx', BAR: '' }, 'aaa  ', ['FOO', 'BAR'], ['BAZ']],
    ['${FOO?aaa}', { FOO: 'xxx', BAR: '' }, 'xxx', ['FOO'], []],
    ['${BAR?bbb}', { FOO: 'xxx', BAR: '' }, '', ['BAR'], []],
    ['${FOO:?aaa}', { FOO: 'xxx', BAR: '' }, 'xxx', ['FOO'], []],
    ['${FOO#()[]{\\}^$.\\*\\?|\\\\}', { FOO: '()[]{}^$.*?|\\x' }, 'x', ['FOO'], []],
    ['${FOO%%\\**}', { FOO: 'xx**' }, 'xx', ['FOO'], []],
    ['${FOO#*x*y}', { FOO: 'xxyy' }, 'y', ['FOO'], []],
    ['${FOO#*}', { FOO: 'xxyy' }, 'xxyy', ['FOO'], []],
    ['${FOO#$BAR}', { FOO: 'xxyy', BAR: 'x' }, 'xyy', ['FOO', 'BAR'], []],
    ['${FOO#$BAR}', { FOO: 'xxyy', BAR: '' }, 'xxyy', ['FOO', 'BAR'], []],
    ['${FOO#}', { FOO: 'xxyy' }, 'xxyy', ['FOO'], []],
    ['${FOO##*x}', { FOO: 'xxyy' }, 'yy', ['FOO'], []],
    ['${FOO##}', { FOO: 'xxyy' }, 'xxyy', ['FOO'], []],
    ['${FOO#?\\?}', { FOO: '???y' }, '?y', ['FOO'], []],
    ['${ABC:-.}${FOO%x}${ABC:-.}', { FOO: 'xxyy' }, '.xxyy.', ['FOO'], ['ABC']],
    ['${FOO%%\\**\\*}', { FOO: 'a***yy*' }, 'a', ['FOO'], []],
    ['${FOO%}', { FOO: 'xxyy' }, 'xxyy', ['FOO'], []],
    ['${FOO%%$BAR}', { FOO: 'xxyy', BAR: '' }, 'xxyy', ['FOO', 'BAR'], []],
    ['${FOO/$NEEDLE/.} - ${FOO//$NEEDLE/.}', { FOO: '/foo*/*/*.txt', NEEDLE: '\\*/' }, '/foo.*/*.txt - /foo..*.txt', ['FOO', 'NEEDLE'], []],
    ['${FOO/$NEEDLE/} - ${FOO//$NEEDLE/}', { FOO: '/tmp/tmp/bar.txt', NEEDLE: '/tmp' }, '/tmp/bar.txt - /bar.txt', ['FOO', 'NEEDLE'], []],
    [
      '${FOO/$NEEDLE/$REPLACEMENT} - ${FOO//$NEEDLE/$REPLACEMENT}',
      { FOO: '/a/foo/b/c.txt', NEEDLE: '/?/', REPLACEMENT: '/' },
      '/foo/b/c.txt - /foo/c.txt',
      ['FOO', 'NEEDLE', 'REPLACEMENT'],
      [],
    ],
    ['${FOO/$NEEDLE/$REPLACEMENT}', { FOO: 'http://google.de', NEEDLE: 'http://', REPLACEMENT: 'https://' }, 'https://google.de', ['FOO', 'NEEDLE', 'REPLACEMENT'], []],
    ['${FOO//\\//\\/}', { FOO: '/tmp/foo.txt' }, '\\/tmp\\/foo.txt', ['FOO'], []],
    ['${FOO/$BAR/ww}', { FOO: 'xxyy', BAR: '' }, 'wwxxyy', ['FOO', 'BAR'], []],
    ['${FOO///}', { FOO: 'xxyy' }, 'xxyy', ['FOO'], []],
    ['${FOO///}', {}, '', [], ['FOO']],
    [
      'something-${VERSION}.${TARGETOS}-${TARGETARCH}${TARGETVARIANT:+-${TARGETVARIANT}}.tar.gz',
      { VERSION: 'v1.2.3', TARGETOS: 'linux', TARGETARCH: 'arm', TARGETVARIANT: 'v7' },
      'something-v1.2.3.linux-arm-v7.tar.gz',
      ['VERSION', 'TARGETOS', 'TARGETARCH', 'TARGETVARIANT'],
      [],
    ],
  ];
  for (const [input, vars, expected, matched, unmatched] of cases) {
    it(input, () => {
      const r = expandWord(input, env(vars));
      expect(r.result).toBe(expected);
      expect([...r.matched].sort()).toEqual([...matched].sort());
      expect([...r.unmatched].sort()).toEqual([...unmatched].sort());
    });
  }

  for (const input of ['${BAZ?ccc}', '${BAR:?bbb}', '${BAZ:?ccc}', '${BAZ:?}', '${FOO=aaa}', '${FOO=:aaa}', '${FOO=}', '${FOO//ww}', '${FOO//}']) {
    it(`${input} fails`, () => {
      expect(() => expandWord(input, env({ FOO: 'xxx', BAR: '' }))).toThrow(/failed to process/);
    });
  }
});

describe('mandatory variables (TestShellParserMandatoryEnvVars)', () => {
  const set = envFromList(['VAR=plain', 'ARG=x']);
  const empty = envFromList(['VAR=', 'ARG=x']);
  const unset = envFromList(['ARG=x']);
  it('${VAR:?msg} refuses empty and unset, with the expanded message', () => {
    expect(processWord('${VAR:?message here$ARG}', set)).toBe('plain');
    expect(() => processWord('${VAR:?message here$ARG}', empty)).toThrow('VAR: message herex');
    expect(() => processWord('${VAR:?message here$ARG}', unset)).toThrow('VAR: message herex');
  });
  it('${VAR?msg} refuses only unset', () => {
    expect(processWord('${VAR?message here$ARG}', set)).toBe('plain');
    expect(processWord('${VAR?message here$ARG}', empty)).toBe('');
    expect(() => processWord('${VAR?message here$ARG}', unset)).toThrow('VAR: message herex');
  });
  it('default messages', () => {
    expect(() => processWord('${X?}', unset)).toThrow('X: is not allowed to be unset');
    expect(() => processWord('${VAR:?}', empty)).toThrow('VAR: is not allowed to be empty');
  });
});

describe('patterns (TestConvertShellPatternToRegex, TestReversePattern)', () => {
  it('converts to anchored, escaped regular expressions', () => {
    expect(patternToRegExp('*', true, true).source).toBe('^[^\\n]*');
    expect(patternToRegExp('?', true, true).source).toBe('^[^\\n]');
    expect(patternToRegExp('\\*', true, true).source).toBe('^\\*');
    expect(patternToRegExp('(()[]{\\}^$.\\*\\?|\\\\', true, true).source).toBe('^\\(\\(\\)\\[\\]\\{\\}\\^\\$\\.\\*\\?\\|\\\\');
    expect(patternToRegExp('*', false, false).source).toBe('[^\\n]*?');
  });
  it('rejects escapes of anything but * ? \\', () => {
    for (const p of ['\\', '\\x', '\\\\\\']) expect(() => patternToRegExp(p, true, true)).toThrow(/invalid escape/);
  });
  it('reverses patterns keeping escapes attached', () => {
    expect(reversePattern('a\\*c')).toBe('c\\*a');
    expect(reversePattern('\\\\\\ab')).toBe('b\\a\\\\');
    expect(reversePattern('ab\\')).toBe('\\ba');
    expect(reversePattern('👽\\🚀🖖')).toBe('🖖\\🚀👽');
    expect(reversePattern('\\\\b')).toBe('b\\\\');
  });
  it('a pattern never matches across a newline, as in Go', () => {
    expect(processWord('${V#*b}', env({ V: 'a\nb' }))).toBe('a\nb');
    expect(processWord('${V#*b}', env({ V: 'a\rb' }))).toBe('');
  });
});

describe('${V//p/r} follows Go ReplaceAllString', () => {
  // The replacement is lexed first (so $0 is a variable, unset) with its escapes kept raw; an
  // escaped \$0 reaches the Go template, where it names the match.
  it('the lexer expands the replacement first', () => {
    expect(processWord('${V//o/<$0>}', env({ V: 'foo' }))).toBe('f<><>');
    expect(processWord('${V//o/<$R>}', env({ V: 'foo', R: 'r' }))).toBe('f<r><r>');
  });
  it('an escaped $0 reaches the template and is the match', () => {
    expect(processWord('${V//o/<\\$0>}', env({ V: 'foo' }))).toBe('f<\\o><\\o>');
  });
  it('an empty match right after a match is not replaced again', () => {
    expect(processWord('${V//*/-}', env({ V: 'ab' }))).toBe('-');
    expect(processWord('${V//$E/-}', env({ V: 'ab', E: '' }))).toBe('-a-b-');
  });
  it('the first-match form takes the replacement literally', () => {
    expect(processWord('${V/o/<\\$0>}', env({ V: 'foo' }))).toBe('f<\\$0>o');
  });
});

describe('lexer options', () => {
  it('rawQuotes and rawEscapes keep what they name', () => {
    expect(processWord(`a'b'"c"`, undefined, { rawQuotes: true })).toBe(`a'b'"c"`);
    expect(processWord('a\\ b', undefined, { rawEscapes: true })).toBe('a\\ b');
    expect(processWord('a\\ b')).toBe('a b');
  });
  it('skipUnsetEnv leaves unset references as written', () => {
    const e = env({ SET: 'v' });
    expect(processWord('$SET $UNSET ${UNSET} ${UNSET:-d} ${UNSET/a/b}', e, { skipUnsetEnv: true })).toBe(
      'v $UNSET ${UNSET} ${UNSET:-d} ${UNSET/a/b}',
    );
  });
  it('skipProcessQuotes treats quotes as text but still expands inside them', () => {
    expect(processWord(`echo "$A" '$A'`, env({ A: 'x' }), { skipProcessQuotes: true })).toBe(`echo "x" 'x'`);
  });
  it('the backtick escape token', () => {
    expect(processWord('a`$b c', env({ b: 'B' }), { escape: '`' })).toBe('a$b c');
    expect(processWord('C:\\dir', undefined, { escape: '`' })).toBe('C:\\dir');
    expect(processWord('"q`"q"', undefined, { escape: '`' })).toBe('q"q');
  });
  it('<< keeps the blanks after it in the same word (heredoc delimiters)', () => {
    expect(processWords('cat <<  EOF > x')).toEqual(['cat', '<<  EOF', '>', 'x']);
    expect(processWords('a < b')).toEqual(['a', '<', 'b']);
  });
  it('a quoted empty string is no word on its own', () => {
    expect(processWords('"" x')).toEqual(['x']);
    expect(processWords('a""')).toEqual(['a']);
  });
  it('a byte-order mark at the start is skipped', () => {
    expect(processWord('\ufeffabc')).toBe('abc');
  });
  it('errors name the word', () => {
    expect(() => processWord('he${PWD')).toThrow(`failed to process "he\${PWD": syntax error: missing '}'`);
    expect(() => processWord('${}')).toThrow('syntax error: bad substitution');
    expect(() => processWord('${A:=x}')).toThrow('unsupported modifier (:=) in substitution');
  });
  it('envFromList: a later entry wins, a bare name is set and empty (TestGetEnv)', () => {
    expect(processWord('[$car][$foo]', envFromList(['foo', 'car=hat', 'car=bike']))).toBe('[bike][]');
    expect(expandWord('$foo', envFromList(['foo'])).matched).toEqual(new Set(['foo']));
  });
});
