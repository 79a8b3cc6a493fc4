// Go's path.Match: shell-style globs over slash-separated names. `*` and `?` never cross `/`,
// classes are `[a-z]` / `[^a-z]`, `\` escapes. Docker matches `--filter reference=` with it.
import { badValue } from './flag-error.js';

const cache = new Map<string, RegExp | null>();

function escapeRe(ch: string): string {
  return /[\\^$.*+?()[\]{}|/-]/.test(ch) ? '\\' + ch : ch;
}

/** Translates a pattern to an anchored RegExp; null when it is malformed (path.ErrBadPattern). */
function compile(pattern: string): RegExp | null {
  const chars = [...pattern];
  let re = '^';
  let i = 0;
  const getEsc = (): string | null => {
    let c = chars[i];
    if (c === undefined || c === '-' || c === ']') return null;
    if (c === '\\') {
      i++;
      c = chars[i];
      if (c === undefined) return null;
    }
    i++;
    return c;
  };
  while (i < chars.length) {
    const c = chars[i];
    if (c === '*') {
      re += '[^/]*';
      i++;
    } else if (c === '?') {
      re += '[^/]';
      i++;
    } else if (c === '\\') {
      if (i + 1 >= chars.length) return null;
      re += escapeRe(chars[i + 1]);
      i += 2;
    } else if (c === '[') {
      i++;
      let cls = '';
      if (chars[i] === '^') {
        cls = '^';
        i++;
      }
      let first = true;
      for (;;) {
        if (i >= chars.length) return null;
        if (chars[i] === ']' && !first) {
          i++;
          break;
        }
        const lo = getEsc();
        if (lo === null) return null;
        let hi = lo;
        if (chars[i] === '-') {
          i++;
          const h = getEsc();
          if (h === null || h.codePointAt(0)! < lo.codePointAt(0)!) return null;
          hi = h;
        }
        cls += lo === hi ? escapeRe(lo) : `${escapeRe(lo)}-${escapeRe(hi)}`;
        first = false;
      }
      re += `[${cls}]`;
    } else {
      re += escapeRe(c);
      i++;
    }
  }
  return new RegExp(re + '$', 'u');
}

/** path.Match(pattern, name). Throws "syntax error in pattern" for a malformed pattern. */
export function pathMatch(pattern: string, name: string): boolean {
  let re = cache.get(pattern);
  if (re === undefined) {
    re = compile(pattern);
    cache.set(pattern, re);
  }
  if (re === null) throw badValue('syntax error in pattern');
  return re.test(name);
}
