// `--format` templates as the docker CLI runs them: Go text/template plus docker's functions
// (github.com/docker/cli templates/templates.go), errors worded as docker prints them
// ("template parsing error: template: :1: …"). Commands use formatter.ts for lists and tables;
// `inspect`-style commands call `parseFormatTemplate` directly.
import { MinidockError } from '../../errors.js';
import { marshalJSON } from './go/json.js';
import { BUILTINS, type FuncMap } from './go/template/funcs.js';
import { executeTemplate, TemplateExecError, type ExecOptions } from './go/template/exec.js';
import { parseTemplate, TemplateParseError, type ParsedTemplate } from './go/template/parse.js';

/** strings.Title: upper-cases the first letter of each word (ASCII punctuation separates words). */
function title(s: string): string {
  let prev = ' ';
  let out = '';
  for (const ch of s) {
    out += isSeparator(prev) ? ch.toUpperCase() : ch;
    prev = ch;
  }
  return out;
}

function isSeparator(ch: string): boolean {
  if (ch.codePointAt(0)! <= 0x7f) return !/[0-9A-Za-z_]/.test(ch);
  if (/[\p{L}\p{Nd}]/u.test(ch)) return false;
  return /\s/u.test(ch);
}

/** strings.Split: an empty separator splits into characters; an empty string gives [""]. */
function split(s: string, sep: string): string[] {
  return sep === '' ? [...s] : s.split(sep);
}

/** truncateWithLength: cuts at a byte length, as Go slices strings. */
function truncate(s: string, length: number): string {
  const bytes = Buffer.from(s, 'utf8');
  return bytes.length < length ? s : bytes.subarray(0, Math.max(length, 0)).toString('utf8');
}

/** docker's basicFunctions. `json` does not HTML-escape: the CLI calls SetEscapeHTML(false). */
export const DOCKER_FUNCS: FuncMap = {
  json: { params: ['any'], fn: (v: unknown) => marshalJSON(v, { escapeHTML: false }).trim() },
  split: { params: ['string', 'string'], fn: split },
  join: { params: ['strings', 'string'], fn: (a: string[] | null, sep: string) => (a ?? []).join(sep) },
  title: { params: ['string'], fn: title },
  lower: { params: ['string'], fn: (s: string) => s.toLowerCase() },
  upper: { params: ['string'], fn: (s: string) => s.toUpperCase() },
  pad: {
    params: ['string', 'int', 'int'],
    fn: (s: string, prefix: number, suffix: number) => (s === '' ? s : ' '.repeat(Math.max(prefix, 0)) + s + ' '.repeat(Math.max(suffix, 0))),
  },
  truncate: { params: ['string', 'int'], fn: truncate },
};

/**
 * docker's HeaderFunctions: when a table's header row is rendered, the template runs over the
 * header names, and these functions leave the names intact (`{{upper .Names}}` heads "NAMES").
 */
export const HEADER_FUNCS: FuncMap = {
  json: { params: ['string'], fn: (v: string) => v },
  split: { params: ['string', 'string'], fn: (v: string) => v },
  join: { params: ['string', 'string'], fn: (v: string) => v },
  title: { params: ['string'], fn: (v: string) => v },
  lower: { params: ['string'], fn: (v: string) => v },
  upper: { params: ['string'], fn: (v: string) => v },
  truncate: { params: ['string', 'int'], fn: (v: string) => v },
};

const ALL_FUNCS: FuncMap = { ...BUILTINS, ...DOCKER_FUNCS };

export interface ExecuteOptions extends ExecOptions {
  /** Run with HEADER_FUNCS in place of docker's functions (the header row of a table). */
  header?: boolean;
}

function formatError(message: string, cause: unknown): MinidockError {
  return new MinidockError(`template parsing error: ${message}`, { kind: 'invalid', cause });
}

/** A parsed `--format` template. */
export class FormatTemplate {
  private constructor(private readonly parsed: ParsedTemplate) {}

  /** Parses Go template text. Throws "template parsing error: template: :1: …". */
  static parse(text: string): FormatTemplate {
    try {
      return new FormatTemplate(parseTemplate(text, (name) => name in ALL_FUNCS));
    } catch (e) {
      if (e instanceof TemplateParseError) throw formatError(e.message, e);
      throw e;
    }
  }

  /** Runs the template over `data`. Throws "template parsing error: template: :1:2: executing …". */
  execute(data: unknown, opts: ExecuteOptions = {}): string {
    const r = this.tryExecute(data, opts);
    if (r.error) throw r.error;
    return r.output;
  }

  /** Like execute, but keeps what was written before an error (Go writes as it goes). */
  tryExecute(data: unknown, opts: ExecuteOptions = {}): { output: string; error?: MinidockError } {
    const funcs = opts.header ? { ...ALL_FUNCS, ...HEADER_FUNCS } : ALL_FUNCS;
    try {
      return { output: executeTemplate(this.parsed, funcs, data, opts) };
    } catch (e) {
      if (e instanceof TemplateExecError) return { output: e.partialOutput, error: formatError(e.message, e) };
      throw e;
    }
  }
}

/** Parse and execute in one step, as `docker inspect --format` does for each object. */
export function renderTemplate(text: string, data: unknown, opts: ExecuteOptions = {}): string {
  return FormatTemplate.parse(text).execute(data, opts);
}
