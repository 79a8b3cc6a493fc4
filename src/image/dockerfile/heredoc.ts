// Heredoc recognition (RUN <<EOF, COPY <<A <<B /dst): which words open a heredoc, what its
// terminator is, and whether its body expands variables. BuildKit decides "was the delimiter
// quoted?" by lexing the word twice, with and without raw quotes, and comparing how many quote
// characters survive: an escaped quote survives both times, a quoting one only once.
// https://docs.docker.com/reference/dockerfile/#here-documents
import { invalid } from '../../errors.js';
import type { Heredoc } from './ast.js';
import { expandWord, processWords } from './shell.js';

// Go's \s and \d are ASCII-only.
const HEREDOC = /^([0-9]*)<<(-?)[\t\n\f\r ]*([^<]*)$/;

/** Instructions whose shell-form arguments may open heredocs (ONBUILD wrapping one too). */
export const HEREDOC_INSTRUCTIONS = new Set(['add', 'copy', 'run']);

/** ParseHeredoc: the heredoc a word opens, undefined if it opens none. Throws when the delimiter
 *  is malformed (an unterminated quote: `<<'EOF`). */
export function parseHeredocWord(word: string): Omit<Heredoc, 'content'> | undefined {
  const m = HEREDOC.exec(word);
  if (!m) return undefined;
  const rest = m[3];
  if (rest === '') return undefined;
  // Heredoc delimiters are always lexed with a backslash escape, whatever `# escape=` says.
  const words = processWords(rest, undefined, { skipUnsetEnv: true });
  if (words.length !== 1) return undefined;
  const raw = processWords(rest, undefined, { skipUnsetEnv: true, rawQuotes: true });
  if (raw.length !== words.length) throw invalid(`internal lexing of heredoc produced inconsistent results: ${rest}`);
  const name = words[0];
  return {
    name,
    expand: countQuotes(name) === countQuotes(raw[0]),
    chomp: m[2] === '-',
    fileDescriptor: m[1] === '' ? 0 : Number.parseInt(m[1], 10),
  };
}

/** MustParseHeredoc: as parseHeredocWord, a malformed delimiter counting as none. */
export function heredocOf(word: string): Omit<Heredoc, 'content'> | undefined {
  try {
    return parseHeredocWord(word);
  } catch {
    return undefined;
  }
}

function countQuotes(s: string): number {
  let n = 0;
  for (const ch of s) if (ch === "'" || ch === '"') n++;
  return n;
}

/** heredocsFromLine: the heredocs a logical line opens, in order. Quotes, escapes and unset
 *  variables are kept raw so `"<<EOF"` stays a quoted word and `<<$EOF` keeps its name. */
export function heredocsInLine(line: string): Omit<Heredoc, 'content'>[] {
  let words: string[];
  try {
    words = expandWord(line, undefined, { rawQuotes: true, rawEscapes: true, skipUnsetEnv: true }).words;
  } catch {
    // BuildKit ignores a lexing error here: such a line opens no heredoc.
    return [];
  }
  const docs: Omit<Heredoc, 'content'>[] = [];
  for (const word of words) {
    const doc = parseHeredocWord(word);
    if (doc) docs.push(doc);
  }
  return docs;
}

/** ChompHeredocContent: `<<-` strips leading tabs from every body line. */
export function chompHeredoc(content: string): string {
  // Go's multi-line ^ follows only \n; JavaScript's would also follow \r and U+2028.
  return content.replace(/(^|\n)\t+/g, '$1');
}
