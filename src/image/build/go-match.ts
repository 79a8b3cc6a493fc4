// Go's path/filepath.Match on Linux, which both `.dockerignore` (for its syntax check) and
// COPY/ADD wildcards (`COPY *.txt /dst/`, per path component) use. `*` and `?` never match
// '/', `[...]` is a class (`^` negates, `\` escapes), `\x` is a literal x; a malformed pattern
// is an error even when an earlier part already failed to match, as Go >= 1.16 checks.
// https://pkg.go.dev/path/filepath#Match
import { invalid } from '../../errors.js';

export const BAD_PATTERN = 'syntax error in pattern';

export function badPattern(pattern: string): Error {
  return invalid(`${BAD_PATTERN}: ${JSON.stringify(pattern)}`);
}

/** Whether `name` matches the shell pattern; throws on a malformed pattern. */
export function goMatch(pattern: string, name: string): boolean {
  const p = [...pattern];
  const s = [...name];
  const ok = matchFrom(p, 0, s, 0);
  checkPattern(pattern);
  return ok;
}

/** Throws unless `pattern` is well-formed (what Match(pattern, ".") reports). */
export function checkPattern(pattern: string): void {
  const p = [...pattern];
  for (let i = 0; i < p.length; i++) {
    if (p[i] === '\\') {
      if (++i >= p.length) throw badPattern(pattern);
    } else if (p[i] === '[') {
      const end = scanClass(p, i + 1);
      if (end < 0) throw badPattern(pattern);
      i = end;
    }
  }
}

/** Whether the pattern has any of Go's meta characters (a plain path needs no listing). */
export function hasMeta(pattern: string): boolean {
  return /[*?[\\]/.test(pattern);
}

// Backtracking over runes: `*` tries every split that does not cross '/'.
function matchFrom(p: string[], pi: number, s: string[], si: number): boolean {
  while (pi < p.length) {
    const c = p[pi];
    if (c === '*') {
      while (pi < p.length && p[pi] === '*') pi++;
      if (pi === p.length) return !s.slice(si).includes('/');
      for (let k = si; k <= s.length; k++) {
        if (matchFrom(p, pi, s, k)) return true;
        if (k < s.length && s[k] === '/') return false;
      }
      return false;
    }
    if (si >= s.length) return false;
    if (c === '?') {
      if (s[si] === '/') return false;
      pi++;
      si++;
      continue;
    }
    if (c === '[') {
      const end = scanClass(p, pi + 1);
      if (end < 0) return false;
      if (!classMatches(p, pi + 1, end, s[si])) return false;
      pi = end + 1;
      si++;
      continue;
    }
    let lit = c;
    if (c === '\\') {
      if (pi + 1 >= p.length) return false;
      lit = p[++pi];
    }
    if (s[si] !== lit) return false;
    pi++;
    si++;
  }
  return si === s.length;
}

/** Index of the class's closing ']' (content starts at `from`), or -1 when malformed. */
function scanClass(p: string[], from: number): number {
  let i = from;
  if (p[i] === '^') i++;
  let ranges = 0;
  for (;;) {
    if (i < p.length && p[i] === ']' && ranges > 0) return i;
    const lo = escRune(p, i);
    if (!lo) return -1;
    i = lo.next;
    if (p[i] === '-') {
      const hi = escRune(p, i + 1);
      if (!hi) return -1;
      i = hi.next;
    }
    ranges++;
  }
}

/** getEsc: one rune of a class, `\` escaping; `-` or `]` here, or running off the end, is an error. */
function escRune(p: string[], i: number): { rune: string; next: number } | undefined {
  if (i >= p.length || p[i] === '-' || p[i] === ']') return undefined;
  if (p[i] === '\\') {
    i++;
    if (i >= p.length) return undefined;
  }
  const rune = p[i];
  // Go fails when the class is not closed after this rune.
  if (i + 1 >= p.length) return undefined;
  return { rune, next: i + 1 };
}

function classMatches(p: string[], from: number, end: number, ch: string): boolean {
  let i = from;
  let negated = false;
  if (p[i] === '^') {
    negated = true;
    i++;
  }
  const r = ch.codePointAt(0)!;
  let match = false;
  while (i < end) {
    const lo = escRune(p, i)!;
    i = lo.next;
    let hi = lo.rune;
    if (p[i] === '-') {
      const h = escRune(p, i + 1)!;
      hi = h.rune;
      i = h.next;
    }
    if (lo.rune.codePointAt(0)! <= r && r <= hi.codePointAt(0)!) match = true;
  }
  return match !== negated;
}
