// The patterns of ${V#p} ${V##p} ${V%p} ${V%%p} ${V/p/r} ${V//p/r}, as BuildKit implements them:
// `*` and `?` only (no brackets), `\` escapes, compiled to a regular expression with Go's
// semantics (`.` never matches a newline), and Go's ReplaceAllString, whose treatment of empty
// matches and of `$` in the replacement differs from String.prototype.replace.
// https://github.com/moby/buildkit/blob/master/frontend/dockerfile/shell/lex.go
import { invalid } from '../../errors.js';
import { isDigit, isLetter } from './go-text.js';

const REGEX_SPECIAL = new Set(['[', ']', '{', '}', '.', '+', '(', ')', '|', '^', '$']);
// Go's `.` is "any character but newline"; JavaScript's also excludes \r, U+2028 and U+2029.
const ANY = '[^\\n]';

/** A shell pattern as a regular expression (the `u` flag keeps astral characters whole). */
export function patternToRegExp(pattern: string, greedy: boolean, anchored: boolean, flags = 'u'): RegExp {
  const chars = Array.from(pattern.startsWith('\ufeff') ? pattern.slice(1) : pattern);
  let out = anchored ? '^' : '';
  for (let i = 0; i < chars.length; i++) {
    let tok = chars[i];
    if (tok === '*') {
      out += greedy ? `${ANY}*` : `${ANY}*?`;
      continue;
    }
    if (tok === '?') {
      out += ANY;
      continue;
    }
    if (tok === '\\') {
      // `}` and `/` are escaped only so that they do not end the ${} expression.
      const next = chars[i + 1];
      if (next === '}' || next === '/') continue;
      out += '\\';
      i++;
      tok = chars[i];
      if (tok !== '*' && tok !== '?' && tok !== '\\') throw invalid(`invalid escape '\\${tok ?? ''}'`);
    } else if (REGEX_SPECIAL.has(tok)) {
      out += '\\';
    }
    out += tok;
  }
  return new RegExp(out, flags);
}

function compile(pattern: string, greedy: boolean, anchored: boolean, flags?: string): RegExp {
  try {
    return patternToRegExp(pattern, greedy, anchored, flags);
  } catch (err) {
    throw invalid(`invalid pattern (${pattern}) in substitution: ${(err as Error).message}`);
  }
}

/** ${V#p} (shortest) and ${V##p} (greedy): remove a matching prefix. */
export function trimPrefix(pattern: string, value: string, greedy: boolean): string {
  const m = compile(pattern, greedy, true).exec(value);
  return m ? value.slice(m.index + m[0].length) : value;
}

/** Reverse a pattern without separating an escape from the character it escapes: a\*c -> c\*a. */
export function reversePattern(pattern: string): string {
  const runes = Array.from(pattern);
  const out: string[] = new Array<string>(runes.length);
  const last = runes.length - 1;
  for (let i = 0; i <= last; ) {
    const tok = runes[i];
    const at = last - i;
    if (tok === '\\' && i !== last) {
      out[at - 1] = tok;
      out[at] = runes[i + 1];
      i += 2;
    } else {
      out[at] = tok;
      i++;
    }
  }
  return out.join('');
}

function reverse(s: string): string {
  return Array.from(s).reverse().join('');
}

/** ${V%p} and ${V%%p}: regular expressions cannot find the shortest rightmost match, so both
 *  the pattern and the value are reversed and the prefix rule applied. */
export function trimSuffix(pattern: string, value: string, greedy: boolean): string {
  return reverse(trimPrefix(reversePattern(pattern), reverse(value), greedy));
}

/** ${V/p/r}: the first match replaced, the replacement taken literally. */
export function replaceFirst(pattern: string, value: string, replacement: string): string {
  const m = compile(pattern, true, false).exec(value);
  return m ? value.slice(0, m.index) + replacement + value.slice(m.index + m[0].length) : value;
}

/** ${V//p/r}: Go's Regexp.ReplaceAllString, which expands $0 and ${name} in the replacement and
 *  ignores an empty match right after a previous match. */
export function replaceAll(pattern: string, value: string, replacement: string): string {
  const re = compile(pattern, true, false, 'gu');
  let out = '';
  let lastEnd = 0;
  let search = 0;
  while (search <= value.length) {
    re.lastIndex = search;
    const m = re.exec(value);
    if (!m) break;
    const start = m.index;
    const end = start + m[0].length;
    out += value.slice(lastEnd, start);
    if (end > lastEnd || start === 0) out += expandTemplate(replacement, m[0]);
    lastEnd = end;
    const cp = value.codePointAt(search);
    const width = cp === undefined ? 0 : cp > 0xffff ? 2 : 1;
    if (search + width > end) search += width;
    else if (search + 1 > end) search++;
    else search = end;
  }
  return out + value.slice(lastEnd);
}

/** Regexp.Expand for a pattern without capture groups: $0 is the match, $$ a dollar, any
 *  other well-formed $name or ${name} is empty, and a malformed one is kept as text. */
function expandTemplate(template: string, match: string): string {
  let out = '';
  let rest = template;
  for (;;) {
    const at = rest.indexOf('$');
    if (at < 0) break;
    out += rest.slice(0, at);
    rest = rest.slice(at + 1);
    if (rest.startsWith('$')) {
      out += '$';
      rest = rest.slice(1);
      continue;
    }
    const ref = extractName(rest);
    if (!ref) {
      out += '$';
      continue;
    }
    rest = ref.rest;
    if (ref.name === '0') out += match;
  }
  return out + rest;
}

function extractName(s: string): { name: string; rest: string } | undefined {
  const brace = s.startsWith('{');
  const chars = Array.from(brace ? s.slice(1) : s);
  let n = 0;
  while (n < chars.length && (isLetter(chars[n]) || isDigit(chars[n]) || chars[n] === '_')) n++;
  if (n === 0) return undefined;
  const name = chars.slice(0, n).join('');
  if (brace) {
    if (chars[n] !== '}') return undefined;
    n++;
  }
  return { name, rest: chars.slice(n).join('') };
}
