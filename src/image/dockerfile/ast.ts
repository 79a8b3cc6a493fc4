// The syntax tree the parser produces: one node per instruction, with its flags and arguments
// as BuildKit's parser splits them, its heredocs and its source lines. `dumpNode` prints a node
// in BuildKit's test-vector format (parser/testfiles/<case>/result), so the conformance tests
// can compare trees byte for byte.
import type { EscapeToken } from './shell.js';
import { goQuote, goQuoteList } from './go-text.js';

export interface Heredoc {
  /** The delimiter word with quotes removed: `<<"EOF"` is named EOF. */
  name: string;
  /** The body, every line with its newline, the terminator excluded. Tabs are not stripped
   *  here even for `<<-` (see `chomp`); the instructions stage does that. */
  content: string;
  /** False when any part of the delimiter was quoted: the body is then taken literally. */
  expand: boolean;
  /** `<<-`: leading tabs are stripped from the body and the terminator. */
  chomp: boolean;
  /** `3<<EOF` names file descriptor 3; 0 when not given. */
  fileDescriptor: number;
}

export interface Node {
  /** Instruction name in lower case ("run"); an unknown word is kept, lower-cased, too. */
  name: string;
  /** The instruction word as written ("RUN", "Run"), for the casing lint rules. */
  keyword: string;
  /** `--name=value` words between the instruction and its arguments, as written. */
  flags: string[];
  /**
   * Arguments as BuildKit's line parsers produce them: one string for a shell-form RUN, CMD,
   * ENTRYPOINT, SHELL; one per element for the JSON form; whitespace-separated words for FROM,
   * EXPOSE, ADD/COPY/VOLUME (unless JSON); the whole rest for USER, WORKDIR, STOPSIGNAL,
   * MAINTAINER; quote-aware words for ARG; for ENV and LABEL, three strings per pair: key,
   * value (quotes kept) and "=" or "" (legacy `ENV key value` form); for HEALTHCHECK, the
   * type ("CMD", "NONE") followed by the command.
   */
  args: string[];
  /** The arguments were a JSON array (exec form). */
  json: boolean;
  /** ONBUILD's trigger instruction. */
  trigger?: Node;
  heredocs: Heredoc[];
  /** The logical line after continuation lines were joined (heredoc bodies excluded). */
  original: string;
  /** 1-based. */
  line: number;
  endLine: number;
  /** Comment lines directly above the instruction, without the `#`. */
  comments: string[];
}

export interface Directive {
  name: 'syntax' | 'escape' | 'check';
  value: string;
  line: number;
}

export interface ParseWarning {
  /** "Empty continuation line found in: RUN apk add ..." */
  short: string;
  detail: string;
  url: string;
  line: number;
}

export interface DockerfileAst {
  file: string;
  nodes: Node[];
  directives: Directive[];
  escapeToken: EscapeToken;
  warnings: ParseWarning[];
}

/** One node in BuildKit's dump format, without the surrounding parentheses. */
export function dumpNode(node: Node): string {
  let out = node.name.toLowerCase();
  if (node.flags.length > 0) out += ` ${goQuoteList(node.flags)}`;
  if (node.trigger) return `${out} (${dumpNode(node.trigger)})`;
  for (const arg of node.args) out += ` ${goQuote(arg)}`;
  return out;
}

/** A whole tree as BuildKit's `result` files hold it: "(node)\n" per instruction. */
export function dumpAst(ast: DockerfileAst): string {
  return ast.nodes.map((n) => `(${dumpNode(n)})\n`).join('');
}
