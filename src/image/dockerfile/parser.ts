// Dockerfile text -> syntax tree, as BuildKit's parser.Parse does it: parser directives, comment
// lines, line continuations (comments and blank lines inside them are dropped, the latter with
// a warning), each instruction's arguments cut by its line parser, and heredoc bodies read
// after the line that opens them. Pure: the text in, the tree (or a located error) out.
// https://github.com/moby/buildkit/blob/master/frontend/dockerfile/parser/parser.go
import { invalid } from '../../errors.js';
import type { Directive, DockerfileAst, Node, ParseWarning } from './ast.js';
import { DirectiveScanner } from './directives.js';
import { trimLeftSpace, trimSpace } from './go-text.js';
import { HEREDOC_INSTRUCTIONS, heredocsInLine } from './heredoc.js';
import {
  type ParsedArgs,
  parseHealthConfig,
  parseMaybeJson,
  parseMaybeJsonToList,
  parseNameOrNameVal,
  parseNameVal,
  parseString,
  parseWhitespaceDelimited,
  splitCommand,
} from './line-parsers.js';
import { DEFAULT_FILE, dockerfileError, locate } from './location.js';
import type { EscapeToken } from './shell.js';

export interface ParseOptions {
  /** Name used in error messages and lint findings; default "Dockerfile". */
  file?: string;
}

export const EMPTY_CONTINUATION_URL = 'https://docs.docker.com/go/dockerfile/rule/no-empty-continuation/';
// bufio.Scanner's default token limit, which BuildKit does not raise.
const MAX_LINE_BYTES = 64 * 1024;

/** Parse Dockerfile text. Throws a MinidockError naming the file and line on malformed input. */
export function parse(text: string, opts: ParseOptions = {}): DockerfileAst {
  const file = opts.file ?? DEFAULT_FILE;
  if (text.length === 0) throw dockerfileError(file, undefined, 'the Dockerfile cannot be empty');
  const p = new LineParser(file, text);
  return p.run();
}

/** One instruction's text (as found in a base image's ONBUILD list) parsed into a node. */
export function parseInstructionText(line: string, escape: EscapeToken = '\\'): Node {
  return nodeFromLine(line, escape, []);
}

class LineParser {
  private readonly lines: string[];
  private next = 0;
  private lineNo = 0;
  private escape: EscapeToken = '\\';
  private continuation = continuationRegex('\\');
  private readonly scanner = new DirectiveScanner();
  private readonly directives: Directive[] = [];
  private readonly warnings: ParseWarning[] = [];

  constructor(
    private readonly file: string,
    text: string,
  ) {
    this.lines = splitLines(text.startsWith('\ufeff') ? text.slice(1) : text);
  }

  run(): DockerfileAst {
    const nodes: Node[] = [];
    let comments: string[] = [];
    while (this.next < this.lines.length) {
      const raw = this.readLine();
      if (isComment(raw)) {
        const comment = trimSpace(Array.from(raw).slice(1).join(''));
        comments = comment === '' ? [] : [...comments, comment];
      }
      const start = this.lineNo;
      let [piece, endOfLine] = this.trimContinuation(this.processLine(raw, true));
      if (endOfLine && piece === '') continue;
      let buf = piece;
      let emptyContinuation = false;
      while (!endOfLine && this.next < this.lines.length) {
        const cont = this.readLine();
        const text = this.processLine(cont, false);
        // Comment lines inside a continued instruction are dropped; blank ones too, with a warning.
        if (isComment(cont)) continue;
        if (trimLeftSpace(trimNewline(text)) === '') {
          emptyContinuation = true;
          continue;
        }
        [piece, endOfLine] = this.trimContinuation(text);
        buf += piece;
      }
      if (emptyContinuation) {
        this.warnings.push({
          short: `Empty continuation line found in: ${buf}`,
          detail: 'Empty continuation lines will become errors in a future release',
          url: EMPTY_CONTINUATION_URL,
          line: this.lineNo,
        });
      }
      const node = this.located(start, () => nodeFromLine(buf, this.escape, comments));
      this.readHeredocs(node, buf, start);
      node.line = start;
      node.endLine = this.lineNo;
      if (node.trigger) {
        node.trigger.line = start;
        node.trigger.endLine = this.lineNo;
      }
      nodes.push(node);
      comments = [];
    }
    if (nodes.length === 0) throw dockerfileError(this.file, this.lineNo, 'file with no instructions');
    return { file: this.file, nodes, directives: this.directives, escapeToken: this.escape, warnings: this.warnings };
  }

  private readLine(): string {
    const raw = this.lines[this.next++];
    this.lineNo++;
    if (Buffer.byteLength(raw, 'utf8') > MAX_LINE_BYTES) {
      throw dockerfileError(this.file, this.lineNo, `dockerfile line greater than max allowed size of ${MAX_LINE_BYTES - 1}`);
    }
    return raw;
  }

  /** processLine: strip the newline (and, on an instruction's first line, leading blanks), look
   *  for a parser directive, and blank out comment lines. */
  private processLine(raw: string, stripLeft: boolean): string {
    let token = trimNewline(raw);
    if (stripLeft) token = trimLeftSpace(token);
    const directive = this.located(this.lineNo, () => this.scanner.scan(token));
    if (directive) {
      this.directives.push(directive);
      if (directive.name === 'escape') this.located(this.lineNo, () => this.setEscape(directive.value));
    }
    return isComment(token) ? '' : token;
  }

  private setEscape(value: string): void {
    if (value !== '`' && value !== '\\') throw invalid(`invalid escape token '${value}' does not match \` or \\`);
    this.escape = value;
    this.continuation = continuationRegex(value);
  }

  /** The escape token at the end of a line (before optional blanks) continues it, unless it is
   *  itself escaped; BuildKit's regular expression cannot see an escaped escape before it. */
  private trimContinuation(line: string): [string, boolean] {
    if (!this.continuation.test(line)) return [line, true];
    return [line.replace(this.continuation, '$1'), false];
  }

  private readHeredocs(node: Node, line: string, start: number): void {
    const target = node.name === 'onbuild' && node.trigger ? node.trigger : node;
    if (!HEREDOC_INSTRUCTIONS.has(target.name) || target.json || !line.includes('<<')) return;
    const docs = this.located(start, () => heredocsInLine(line));
    for (const doc of docs) {
      let content = '';
      let terminated = false;
      while (this.next < this.lines.length) {
        const raw = this.readLine();
        let terminator = trimNewline(raw);
        if (doc.chomp) terminator = terminator.replace(/^\t+/, '');
        if (terminator === doc.name) {
          terminated = true;
          break;
        }
        content += raw;
      }
      if (!terminated) throw dockerfileError(this.file, { line: start, endLine: this.lineNo }, 'unterminated heredoc');
      node.heredocs.push({ ...doc, content });
    }
  }

  private located<T>(line: number, fn: () => T): T {
    try {
      return fn();
    } catch (err) {
      throw locate(this.file, { line, endLine: Math.max(line, this.lineNo) }, err);
    }
  }
}

function continuationRegex(escape: EscapeToken): RegExp {
  const e = escape === '\\' ? '\\\\' : '`';
  return new RegExp(`([^${e}])${e}[ \\t]*$|^${e}[ \\t]*$`);
}

/** scanLines: lines with their endings kept (heredoc bodies need them). */
function splitLines(text: string): string[] {
  const out: string[] = [];
  let from = 0;
  for (;;) {
    const nl = text.indexOf('\n', from);
    if (nl < 0) break;
    out.push(text.slice(from, nl + 1));
    from = nl + 1;
  }
  if (from < text.length) out.push(text.slice(from));
  return out;
}

function trimNewline(s: string): string {
  return s.replace(/[\r\n]+$/, '');
}

function isComment(line: string): boolean {
  return trimLeftSpace(line).startsWith('#');
}

function dispatchArgs(name: string, rest: string, escape: EscapeToken): ParsedArgs | undefined {
  switch (name) {
    case 'add':
    case 'copy':
    case 'volume':
      return parseMaybeJsonToList(rest);
    case 'run':
    case 'cmd':
    case 'entrypoint':
    case 'shell':
      return parseMaybeJson(rest);
    case 'arg':
      return parseNameOrNameVal(rest, escape);
    case 'env':
    case 'label':
      return parseNameVal(rest, name === 'env' ? 'ENV' : 'LABEL', escape);
    case 'expose':
    case 'from':
      return parseWhitespaceDelimited(rest);
    case 'healthcheck':
      return parseHealthConfig(rest);
    case 'maintainer':
    case 'stopsignal':
    case 'user':
    case 'workdir':
      return parseString(rest);
  }
  return undefined;
}

function nodeFromLine(line: string, escape: EscapeToken, comments: string[]): Node {
  const { keyword, flags, rest } = splitCommand(line);
  const name = keyword.toLowerCase();
  const node: Node = {
    name,
    keyword,
    flags,
    args: [],
    json: false,
    heredocs: [],
    original: line,
    line: 0,
    endLine: 0,
    comments,
  };
  if (name === 'onbuild') {
    if (rest !== '') node.trigger = nodeFromLine(rest, escape, []);
    return node;
  }
  // Unknown instructions parse (with no arguments) and fail in the instructions stage, which
  // can suggest the closest name.
  const parsed = dispatchArgs(name, rest, escape);
  if (parsed) {
    node.args = parsed.args;
    node.json = parsed.json;
  }
  return node;
}
