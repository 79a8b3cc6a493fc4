// `.dockerignore` matching, a port of github.com/moby/patternmatcher (what the docker CLI and
// BuildKit both use): patterns are cleaned like paths, `!` makes an exception, later patterns
// override earlier ones, `**` matches any number of directories, and a path is excluded when
// it or any of its parent directories matches (MatchesOrParentMatches).
// Each pattern compiles to an exact, prefix, suffix or regexp match as moby's does; the regexp
// text follows moby's translation (only `.+()|{}$` escaped, `[...]` passed through).
import { cleanPath } from '../../overlay/securejoin.js';
import { invalid } from '../../errors.js';
import { checkPattern } from './go-match.js';

type MatchType = 'exact' | 'prefix' | 'suffix' | 'regexp';

export interface Pattern {
  /** The cleaned pattern, without a leading `!`. */
  readonly text: string;
  readonly exclusion: boolean;
  readonly type: MatchType;
  readonly regexp?: RegExp;
}

export class PatternMatcher {
  readonly patterns: readonly Pattern[];
  /** Some pattern is an exception (`!x`): an excluded directory may still hold included files. */
  readonly exclusions: boolean;

  constructor(patterns: readonly string[]) {
    const out: Pattern[] = [];
    for (const raw of patterns) {
      let p = raw.trim();
      if (p === '') continue;
      p = cleanPath(p);
      let exclusion = false;
      if (p.startsWith('!')) {
        if (p.length === 1) throw invalid('illegal exclusion pattern: "!"');
        exclusion = true;
        p = p.slice(1);
      }
      checkPattern(p);
      out.push(compile(p, exclusion));
    }
    this.patterns = out;
    this.exclusions = out.some((p) => p.exclusion);
  }

  /** Whether `file` (a clean, '/'-separated relative path) or one of its parents is excluded. */
  matchesOrParentMatches(file: string): boolean {
    let matched = false;
    const slash = file.lastIndexOf('/');
    const parentDirs = slash < 0 ? [] : file.slice(0, slash).split('/');
    for (const pattern of this.patterns) {
      // An inclusion cannot change a match, an exclusion cannot change a non-match.
      if (pattern.exclusion !== matched) continue;
      let match = matchPattern(pattern, file);
      for (let i = 0; !match && i < parentDirs.length; i++) {
        match = matchPattern(pattern, parentDirs.slice(0, i + 1).join('/'));
      }
      if (match) matched = !pattern.exclusion;
    }
    return matched;
  }

  /** Whether `file` itself matches, without looking at its parents (MatchesExact). */
  matchesExact(file: string): boolean {
    let matched = false;
    for (const pattern of this.patterns) {
      if (pattern.exclusion !== matched) continue;
      if (matchPattern(pattern, file)) matched = !pattern.exclusion;
    }
    return matched;
  }
}

export function matchPattern(p: Pattern, path: string): boolean {
  switch (p.type) {
    case 'exact':
      return path === p.text;
    case 'prefix':
      return path.startsWith(p.text.slice(0, -2));
    case 'suffix': {
      const suffix = p.text.slice(2);
      if (path.endsWith(suffix)) return true;
      // `**/foo` matches "foo" itself.
      return suffix.startsWith('/') && path === suffix.slice(1);
    }
    case 'regexp':
      return p.regexp!.test(path);
  }
}

// The regexp fragments moby emits, written for a JS `u` regexp with Go's `.` (anything but \n).
const ANY = '[^\\n]*';
const NOT_SLASH = '[^/]';
const GO_ESCAPED = new Set([...'.+()|{}$']);

/** moby's Pattern.compile for the '/' separator. */
export function compile(text: string, exclusion: boolean): Pattern {
  let re = '^';
  let type: MatchType = 'exact';
  const runes = [...text];
  let inClass = false;
  for (let pos = 0, i = 0; pos < runes.length; i++) {
    const ch = runes[pos++];
    if (inClass) {
      // Class contents pass through (checkPattern made sure the class is well-formed).
      if (ch === '\\' && pos < runes.length) re += classEscape(runes[pos++]);
      else {
        // Unescaped `^` (negation) and `-` (range) keep their meaning in both syntaxes.
        re += ch;
        if (ch === ']') inClass = false; // Go forbids an empty class, so this ']' closes it
      }
      continue;
    }
    if (ch === '*') {
      if (runes[pos] === '*') {
        pos++;
        // `**/` is `**`: the slash is eaten.
        if (runes[pos] === '/') pos++;
        if (pos >= runes.length) {
          // `**` at the end accepts everything below, as .gitignore does.
          if (type === 'exact') type = 'prefix';
          else {
            re += ANY;
            type = 'regexp';
          }
        } else {
          re += `(?:${ANY}/)?`;
          type = 'regexp';
        }
        if (i === 0) type = 'suffix';
      } else {
        re += `${NOT_SLASH}*`;
        type = 'regexp';
      }
    } else if (ch === '?') {
      re += NOT_SLASH;
      type = 'regexp';
    } else if (GO_ESCAPED.has(ch)) {
      re += `\\${ch}`;
    } else if (ch === '\\') {
      if (pos < runes.length) {
        re += literal(runes[pos++]);
        type = 'regexp';
      } else {
        re += '\\\\';
      }
    } else if (ch === '[') {
      re += '[';
      inClass = true;
      type = 'regexp';
    } else if (ch === ']') {
      re += '\\]';
      type = 'regexp';
    } else {
      re += literal(ch);
    }
  }
  if (type !== 'regexp') return { text, exclusion, type };
  return { text, exclusion, type, regexp: new RegExp(`${re}$`, 'u') };
}

// Characters that must be escaped to be literal in a `u` regexp (identity escapes are only
// allowed for these there).
const SYNTAX = new Set([...'^$\\.*+?()[]{}|/']);

function literal(ch: string): string {
  return SYNTAX.has(ch) ? `\\${ch}` : ch;
}

function classEscape(ch: string): string {
  return ch === '\\' || ch === ']' || ch === '[' || ch === '^' || ch === '-' ? `\\${ch}` : ch;
}
