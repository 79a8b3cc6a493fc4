// How each instruction's text is cut into arguments, as BuildKit's line parsers do it
// (parser/line_parsers.go, parser/split_command.go). Nothing is expanded or unquoted here except
// JSON arrays; ENV/LABEL/ARG words keep their quotes for the expansion step.
import { invalid } from '../../errors.js';
import { isSpace, trimLeftSpace, trimSpace, wellFormed } from './go-text.js';
import type { EscapeToken } from './shell.js';

export interface SplitLine {
  keyword: string;
  flags: string[];
  rest: string;
}

export interface ParsedArgs {
  args: string[];
  json: boolean;
}

// BuildKit's reWhitespace / tokenWhitespace: no newline, no Unicode spaces.
const WHITESPACE = /[\t\v\f\r ]+/;

/** splitCommand: the instruction word, its `--flags`, and the rest (trimmed). */
export function splitCommand(line: string): SplitLine {
  const trimmed = trimSpace(line);
  const m = WHITESPACE.exec(trimmed);
  if (!m) return { keyword: trimmed, flags: [], rest: '' };
  const keyword = trimmed.slice(0, m.index);
  const { rest, flags } = extractBuilderFlags(trimmed.slice(m.index + m[0].length));
  return { keyword, flags, rest: trimSpace(rest) };
}

/**
 * extractBuilderFlags: leading words that start with `--` are flags (quotes and backslashes
 * inside them are processed); a bare `--` ends them. BuildKit walks bytes here, so a non-ASCII
 * flag value comes out mangled there; this walks characters and keeps it intact.
 */
export function extractBuilderFlags(line: string): { rest: string; flags: string[] } {
  const chars = Array.from(line);
  const words: string[] = [];
  let phase: 'spaces' | 'word' | 'quote' = 'spaces';
  let word = '';
  let quote = '';
  let blankOK = false;
  let offset = 0; // UTF-16 offset of chars[pos]
  for (let pos = 0; pos <= chars.length; pos++) {
    const end = pos === chars.length;
    const ch = end ? '' : chars[pos];
    if (phase === 'spaces') {
      if (end) break;
      if (isSpace(ch)) {
        offset += ch.length;
        continue;
      }
      if (ch !== '-' || chars[pos + 1] !== '-') return { rest: line.slice(offset), flags: words };
      phase = 'word';
    }
    if (end) {
      if (word !== '--' && (blankOK || word.length > 0)) words.push(word);
      break;
    }
    offset += ch.length;
    if (phase === 'word') {
      if (isSpace(ch)) {
        phase = 'spaces';
        if (word === '--') return { rest: line.slice(offset - ch.length), flags: words };
        if (blankOK || word.length > 0) words.push(word);
        word = '';
        blankOK = false;
        continue;
      }
      if (ch === "'" || ch === '"') {
        quote = ch;
        blankOK = true;
        phase = 'quote';
        continue;
      }
      if (ch === '\\') {
        if (pos + 1 === chars.length) continue;
        pos++;
        word += chars[pos];
        offset += chars[pos].length;
        continue;
      }
      word += ch;
      continue;
    }
    // phase === 'quote'
    if (ch === quote) {
      phase = 'word';
      continue;
    }
    if (ch === '\\') {
      if (pos + 1 === chars.length) {
        phase = 'word';
        continue;
      }
      pos++;
      word += chars[pos];
      offset += chars[pos].length;
      continue;
    }
    word += ch;
  }
  return { rest: '', flags: words };
}

/**
 * parseWords: split at whitespace, keeping quotes and escapes in the words (they are processed
 * later, by the shell lexer). The escape token before any character keeps both.
 */
export function parseWords(rest: string, escape: EscapeToken): string[] {
  const chars = Array.from(rest);
  const words: string[] = [];
  let phase: 'spaces' | 'word' | 'quote' = 'spaces';
  let quote = '';
  let blankOK = false;
  let word = '';
  for (let pos = 0; pos <= chars.length; pos++) {
    const end = pos === chars.length;
    let ch = end ? '' : chars[pos];
    if (phase === 'spaces') {
      if (end) break;
      if (isSpace(ch)) continue;
      phase = 'word';
    }
    if (end) {
      if (blankOK || word.length > 0) words.push(word);
      break;
    }
    if (phase === 'word') {
      if (isSpace(ch)) {
        phase = 'spaces';
        if (blankOK || word.length > 0) words.push(word);
        word = '';
        blankOK = false;
        continue;
      }
      if (ch === "'" || ch === '"') {
        quote = ch;
        blankOK = true;
        phase = 'quote';
      }
      if (ch === escape) {
        if (pos + 1 === chars.length) continue; // an escape token at the end of the line goes
        word += ch;
        pos++;
        ch = chars[pos];
      }
      word += ch;
      continue;
    }
    // phase === 'quote': the escape token works inside "" but not inside ''.
    if (ch === quote) phase = 'word';
    if (ch === escape && quote !== "'") {
      if (pos + 1 === chars.length) {
        phase = 'word';
        continue;
      }
      word += ch;
      pos++;
      ch = chars[pos];
    }
    word += ch;
  }
  return words;
}

/** parseNameVal for ENV and LABEL: `K=V K2=V2` or the legacy `K rest of line`. */
export function parseNameVal(rest: string, command: 'ENV' | 'LABEL', escape: EscapeToken): ParsedArgs {
  const words = parseWords(rest, escape);
  if (words.length === 0) return { args: [], json: false };
  if (!words[0].includes('=')) {
    const m = WHITESPACE.exec(rest);
    if (!m) throw invalid(`${command} must have two arguments`);
    return { args: [rest.slice(0, m.index), rest.slice(m.index + m[0].length), ''], json: false };
  }
  const args: string[] = [];
  for (const word of words) {
    const eq = word.indexOf('=');
    if (eq < 0) throw invalid(`Syntax error - can't find = in "${word}". Must be of the form: name=value`);
    args.push(word.slice(0, eq), word.slice(eq + 1), '=');
  }
  return { args, json: false };
}

/** parseNameOrNameVal for ARG: each quote-aware word is one argument. */
export function parseNameOrNameVal(rest: string, escape: EscapeToken): ParsedArgs {
  return { args: parseWords(rest, escape), json: false };
}

/** parseStringsWhitespaceDelimited for FROM and EXPOSE. */
export function parseWhitespaceDelimited(rest: string): ParsedArgs {
  return { args: rest === '' ? [] : rest.split(new RegExp(WHITESPACE.source)), json: false };
}

/** parseString for USER, WORKDIR, STOPSIGNAL, MAINTAINER: the whole rest. */
export function parseString(rest: string): ParsedArgs {
  return { args: rest === '' ? [] : [rest], json: false };
}

class NotStringArray extends Error {}

/** parseJSON: a JSON array of strings, or undefined when the text is not a JSON array. An array
 *  holding anything but strings is an error rather than a fallback to shell form. */
function parseJsonArray(rest: string): string[] | undefined {
  const text = trimLeftSpace(rest);
  if (!text.startsWith('[')) return undefined;
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch {
    return undefined;
  }
  if (!Array.isArray(value)) return undefined;
  if (!value.every((v) => typeof v === 'string')) throw new NotStringArray();
  return (value as string[]).map(wellFormed);
}

function jsonOrThrow(rest: string): string[] | undefined {
  try {
    return parseJsonArray(rest);
  } catch (err) {
    if (err instanceof NotStringArray) {
      throw invalid('when using JSON array syntax, arrays must be comprised of strings only');
    }
    throw err;
  }
}

/** parseMaybeJSON for RUN, CMD, ENTRYPOINT, SHELL: invalid JSON falls back to one shell string. */
export function parseMaybeJson(rest: string): ParsedArgs {
  if (rest === '') return { args: [], json: false };
  const arr = jsonOrThrow(rest);
  return arr ? { args: arr, json: true } : { args: [rest], json: false };
}

/** parseMaybeJSONToList for ADD, COPY, VOLUME: JSON, else whitespace-separated words. */
export function parseMaybeJsonToList(rest: string): ParsedArgs {
  const arr = jsonOrThrow(rest);
  return arr ? { args: arr, json: true } : parseWhitespaceDelimited(rest);
}

/** parseHealthConfig: the type word (CMD, NONE, ...) then the command as parseMaybeJSON. */
export function parseHealthConfig(rest: string): ParsedArgs {
  const chars = Array.from(rest);
  let sep = 0;
  while (sep < chars.length && !isSpace(chars[sep])) sep++;
  let next = sep;
  while (next < chars.length && isSpace(chars[next])) next++;
  if (sep === 0) return { args: [], json: false };
  const cmd = parseMaybeJson(chars.slice(next).join(''));
  return { args: [chars.slice(0, sep).join(''), ...cmd.args], json: cmd.json };
}
