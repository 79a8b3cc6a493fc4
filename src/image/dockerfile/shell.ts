// Word expansion as BuildKit's shell.Lex does it (ProcessWord / ProcessWords /
// ProcessWordWithMatches): quotes, the escape token, $V and ${V...} with their modifiers, and
// the record of which variables a word used and which it could not resolve (the builder keys
// its cache on the first, the linter reports the second). Behaviour follows
// https://github.com/moby/buildkit/blob/master/frontend/dockerfile/shell/lex.go, quirks included.
import { invalid } from '../../errors.js';
import { goQuote, isDigit, isLetter, isSpace } from './go-text.js';
import { messageOf } from './location.js';
import { replaceAll, replaceFirst, trimPrefix, trimSuffix } from './shell-pattern.js';

export type EscapeToken = '\\' | '`';

export interface LexOptions {
  /** The Dockerfile's escape token (`# escape=`); default backslash. */
  escape?: EscapeToken;
  /** Keep quote characters in the result (heredoc detection). */
  rawQuotes?: boolean;
  /** Keep escape tokens in the result (heredoc detection). */
  rawEscapes?: boolean;
  /** Treat quotes as ordinary characters (heredoc bodies). */
  skipProcessQuotes?: boolean;
  /** Leave references to unset variables as written instead of expanding them to "". */
  skipUnsetEnv?: boolean;
}

/** Variables visible to expansion. A key present with "" is set (and empty). */
export type Env = ReadonlyMap<string, string>;

export interface WordExpansion {
  /** The word with quotes removed and variables substituted (ProcessWord). */
  result: string;
  /** The same, split into words at unquoted whitespace (ProcessWords). */
  words: string[];
  /** Variables the word referenced that were set. */
  matched: Set<string>;
  /** Variables the word referenced that were not set. */
  unmatched: Set<string>;
}

const EMPTY_ENV: Env = new Map();

/** ProcessWordWithMatches. Throws MinidockError("failed to process \"w\": ...") on a bad word. */
export function expandWord(word: string, env: Env = EMPTY_ENV, opts: LexOptions = {}): WordExpansion {
  const sw = new ShellWord(word, env, opts);
  try {
    const [result, words] = sw.processStopOn(undefined, opts.rawEscapes ?? false);
    return { result, words, matched: sw.matched, unmatched: sw.unmatched };
  } catch (err) {
    throw invalid(`failed to process ${goQuote(word)}: ${messageOf(err)}`);
  }
}

/** ProcessWord: one word out. */
export function processWord(word: string, env?: Env, opts?: LexOptions): string {
  return expandWord(word, env, opts).result;
}

/** ProcessWords: the expansion split at unquoted whitespace. */
export function processWords(word: string, env?: Env, opts?: LexOptions): string[] {
  return expandWord(word, env, opts).words;
}

/** shell.BuildEnvs: "K=V" entries (a bare "K" is set and empty); a later entry wins. */
export function envFromList(list: readonly string[]): Map<string, string> {
  const env = new Map<string, string>();
  for (const e of list) {
    const i = e.indexOf('=');
    if (i < 0) env.set(e, '');
    else env.set(e.slice(0, i), e.slice(i + 1));
  }
  return env;
}

/** Words are accumulated as the Go wordsStruct does: a quoted "" makes a word start without
 *  adding characters, so an empty quoted string vanishes unless something follows it. */
class Words {
  private word = '';
  private inWord = false;
  private readonly out: string[] = [];

  addChar(ch: string): void {
    if (isSpace(ch)) {
      if (this.inWord && this.word.length !== 0) {
        this.out.push(this.word);
        this.word = '';
        this.inWord = false;
      }
    } else {
      this.addRawChar(ch);
    }
  }

  addRawChar(ch: string): void {
    this.word += ch;
    this.inWord = true;
  }

  addString(s: string): void {
    for (const ch of s) this.addChar(ch);
  }

  addRawString(s: string): void {
    this.word += s;
    this.inWord = true;
  }

  get(): string[] {
    if (this.word.length > 0) {
      this.out.push(this.word);
      this.word = '';
      this.inWord = false;
    }
    return this.out;
  }
}

const SPECIAL_PARAMS = new Set(['@', '*', '#', '?', '-', '$', '!', '0']);
// processPossibleHeredoc keeps the blanks after `<<` in the word so that `<< EOF` stays one word.
const HEREDOC_BLANKS = new Set([' ', '\t', '\r', '\n']);

class ShellWord {
  readonly matched = new Set<string>();
  readonly unmatched = new Set<string>();
  private readonly chars: string[];
  private pos = 0;
  private rawEscapes = false;
  private readonly escape: EscapeToken;

  constructor(
    source: string,
    private readonly env: Env,
    private readonly opts: LexOptions,
  ) {
    // text/scanner skips a byte-order mark at the start of its input.
    this.chars = Array.from(source.startsWith('\ufeff') ? source.slice(1) : source);
    this.escape = opts.escape ?? '\\';
  }

  private peek(): string | undefined {
    return this.chars[this.pos];
  }

  private next(): string | undefined {
    return this.chars[this.pos++];
  }

  private atEnd(): boolean {
    return this.pos >= this.chars.length;
  }

  processStopOn(stop: string | undefined, rawEscapes: boolean): [string, string[]] {
    let result = '';
    const words = new Words();
    const saved = this.rawEscapes;
    this.rawEscapes = rawEscapes;
    try {
      while (!this.atEnd()) {
        const ch = this.peek() as string;
        if (stop !== undefined && ch === stop) {
          this.next();
          return [result, words.get()];
        }
        if (ch === '$') {
          const tmp = this.processDollar();
          result += tmp;
          words.addString(tmp);
        } else if (ch === '<') {
          const tmp = this.processPossibleHeredoc();
          result += tmp;
          words.addRawString(tmp);
        } else if (!this.opts.skipProcessQuotes && (ch === "'" || ch === '"')) {
          const tmp = ch === "'" ? this.processSingleQuote() : this.processDoubleQuote();
          result += tmp;
          words.addRawString(tmp);
        } else {
          let c = this.next() as string;
          if (c === this.escape) {
            if (this.rawEscapes) {
              words.addRawChar(c);
              result += c;
            }
            // The escape token escapes any next character; at the end of the word it vanishes.
            const escaped = this.next();
            if (escaped === undefined) break;
            c = escaped;
            words.addRawChar(c);
          } else {
            words.addChar(c);
          }
          result += c;
        }
      }
      if (stop !== undefined) throw new Error(`unexpected end of statement while looking for matching ${stop}`);
      return [result, words.get()];
    } finally {
      this.rawEscapes = saved;
    }
  }

  private processSingleQuote(): string {
    // Everything up to the next ' is literal; a single quote cannot be escaped inside.
    let result = '';
    const open = this.next() as string;
    if (this.opts.rawQuotes) result += open;
    for (;;) {
      const ch = this.next();
      if (ch === undefined) throw new Error('unexpected end of statement while looking for matching single-quote');
      if (ch === "'") {
        if (this.opts.rawQuotes) result += ch;
        return result;
      }
      result += ch;
    }
  }

  private processDoubleQuote(): string {
    // Literal except $ and the escape token, which escapes only ", $ and itself (sh(1)).
    let result = '';
    const open = this.next() as string;
    if (this.opts.rawQuotes) result += open;
    for (;;) {
      const p = this.peek();
      if (p === undefined) throw new Error('unexpected end of statement while looking for matching double-quote');
      if (p === '"') {
        this.next();
        if (this.opts.rawQuotes) result += p;
        return result;
      }
      if (p === '$') {
        result += this.processDollar();
        continue;
      }
      let ch = this.next() as string;
      if (ch === this.escape) {
        if (this.rawEscapes) result += ch;
        const after = this.peek();
        if (after === undefined) continue;
        if (after === '"' || after === '$' || after === this.escape) ch = this.next() as string;
      }
      result += ch;
    }
  }

  private processPossibleHeredoc(): string {
    this.next();
    if (this.peek() !== '<') return '<';
    this.next();
    let blanks = '';
    while (HEREDOC_BLANKS.has(this.peek() ?? '')) blanks += this.next();
    return `<<${blanks}`;
  }

  private getEnv(name: string): [string, boolean] {
    const v = this.env.get(name);
    if (v === undefined) {
      this.unmatched.add(name);
      return ['', false];
    }
    this.matched.add(name);
    return [v, true];
  }

  private processName(): string {
    // A name is letters, digits and _; $1 and $@ style parameters are names too (never set).
    let name = '';
    while (!this.atEnd()) {
      const ch = this.peek() as string;
      if (name === '' && isDigit(ch)) {
        while (!this.atEnd() && isDigit(this.peek() as string)) name += this.next();
        return name;
      }
      if (name === '' && SPECIAL_PARAMS.has(ch)) {
        this.next();
        return ch;
      }
      if (!isLetter(ch) && !isDigit(ch) && ch !== '_') break;
      name += this.next();
    }
    return name;
  }

  private processDollar(): string {
    this.next();
    if (this.peek() !== '{') {
      const name = this.processName();
      if (name === '') return '$';
      const [value, found] = this.getEnv(name);
      if (!found && this.opts.skipUnsetEnv) return `$${name}`;
      return value;
    }
    this.next();
    const first = this.peek();
    if (first === undefined) throw new Error("syntax error: missing '}'");
    if (first === '{' || first === '}' || first === ':') throw new Error('syntax error: bad substitution');
    const name = this.processName();
    let ch = this.next();
    if (ch === undefined) throw new Error("syntax error: missing '}'");
    let modifier = ch;
    if (ch === '}') {
      const [value, set] = this.getEnv(name);
      if (!set && this.opts.skipUnsetEnv) return `\${${name}}`;
      return value;
    }
    if (ch === '/') return this.processReplace(name);
    let nullIsUnset = false;
    if (ch === ':') {
      nullIsUnset = true;
      ch = this.next() ?? '\ufffd';
      modifier += ch;
    } else if (!'+-?#%'.includes(ch)) {
      throw new Error(`unsupported modifier (${modifier}) in substitution`);
    }
    return this.processModifier(name, ch, modifier, nullIsUnset);
  }

  private processModifier(name: string, ch: string, modifier: string, nullIsUnset: boolean): string {
    // Patterns of # and % keep their escapes raw: the pattern compiler interprets them.
    let word = this.stopOnBrace('}', ch === '#' || ch === '%', "syntax error: missing '}'");
    const [value, set] = this.getEnv(name);
    if (this.opts.skipUnsetEnv && !set) return `\${${name}${modifier}${word}}`;
    const unset = !set || (nullIsUnset && value === '');
    switch (ch) {
      case '-':
        return unset ? word : value;
      case '+':
        return unset ? '' : word;
      case '?':
        if (!set) throw new Error(`${name}: ${word || 'is not allowed to be unset'}`);
        if (nullIsUnset && value === '') throw new Error(`${name}: ${word || 'is not allowed to be empty'}`);
        return value;
      case '%':
      case '#': {
        const greedy = word.startsWith(ch);
        if (greedy) word = word.slice(1);
        return ch === '%' ? trimSuffix(word, value, greedy) : trimPrefix(word, value, greedy);
      }
      default:
        throw new Error(`unsupported modifier (${modifier}) in substitution`);
    }
  }

  private processReplace(name: string): string {
    const all = this.peek() === '/';
    if (all) this.next();
    const pattern = this.stopOnBrace('/', true, "syntax error: missing '/' in ${}");
    const replacement = this.stopOnBrace('}', true, "syntax error: missing '}'");
    const [value, set] = this.getEnv(name);
    if (this.opts.skipUnsetEnv && !set) return `\${${name}/${pattern}/${replacement}}`;
    return all ? replaceAll(pattern, value, replacement) : replaceFirst(pattern, value, replacement);
  }

  /** processStopOn inside ${...}; running out of input becomes the syntax error BuildKit prints. */
  private stopOnBrace(stop: string, rawEscapes: boolean, atEof: string): string {
    try {
      return this.processStopOn(stop, rawEscapes)[0];
    } catch (err) {
      if (this.atEnd()) throw new Error(atEof);
      throw err;
    }
  }
}
