// Parser directives: `# syntax=`, `# escape=` and `# check=` comments before the first
// instruction. Scanning stops at the first line that is not such a comment (a blank line too),
// and each directive may appear once, as BuildKit's DirectiveParser enforces.
// https://docs.docker.com/reference/dockerfile/#parser-directives
import { invalid } from '../../errors.js';
import type { Directive } from './ast.js';
import { trimLeftSpace } from './go-text.js';

// Go's \s is ASCII whitespace only, and its `.` matches \r.
const DIRECTIVE = /^([a-zA-Z][a-zA-Z0-9]*)[\t\n\f\r ]*=[\t\n\f\r ]*([^\n]+?)[\t\n\f\r ]*$/;
const KNOWN = new Set(['syntax', 'escape', 'check']);

/** Line-by-line directive recognition; `done` once a line is not a directive. */
export class DirectiveScanner {
  private line = 0;
  private done = false;
  private readonly seen = new Set<string>();

  constructor(
    private readonly comment = '#',
    firstLine = 1,
  ) {
    this.line = firstLine - 1;
  }

  isDone(): boolean {
    return this.done;
  }

  /** The directive on this line, if directives are still being read and the line is one. */
  scan(text: string): Directive | undefined {
    this.line++;
    if (this.done) return undefined;
    if (!text.startsWith(this.comment)) {
      this.done = true;
      return undefined;
    }
    const m = DIRECTIVE.exec(trimLeftSpace(text.slice(this.comment.length)));
    const key = m?.[1].toLowerCase();
    if (!m || !key || !KNOWN.has(key)) {
      this.done = true;
      return undefined;
    }
    if (this.seen.has(key)) throw invalid(`only one ${key} parser directive can be used`);
    this.seen.add(key);
    return { name: key as Directive['name'], value: m[2], line: this.line };
  }
}

/**
 * The value of one directive as BuildKit's ParseDirective/DetectSyntax read it: a UTF-8 BOM and
 * a `#!` first line are skipped, and for `syntax` also `// syntax=` comments and a JSON
 * document's "syntax" key are accepted. `value` is the first space-separated word (`# check =
 * skip=all // opts` gives "skip=all"), `full` the whole text.
 */
export function findDirective(
  key: Directive['name'],
  text: string,
): { value: string; full: string; line: number } | undefined {
  let body = text.startsWith('\ufeff') ? text.slice(1) : text;
  let first = 1;
  const nl = body.indexOf('\n');
  if ((nl < 0 ? body : body.slice(0, nl)).startsWith('#!')) {
    body = nl < 0 ? '' : body.slice(nl + 1);
    first = 2;
  }
  const prefixes = key === 'syntax' ? ['#', '//'] : ['#'];
  for (const prefix of prefixes) {
    const found = scanAll(new DirectiveScanner(prefix, first), body).find((d) => d.name === key);
    if (found) return { value: found.value.split(' ')[0], full: found.value, line: found.line };
  }
  if (key === 'syntax') {
    try {
      const doc: unknown = JSON.parse(body);
      const v = doc && typeof doc === 'object' && !Array.isArray(doc) ? (doc as Record<string, unknown>).syntax : undefined;
      if (typeof v === 'string') return { value: v, full: v, line: first };
    } catch {
      // not JSON: no syntax directive
    }
  }
  return undefined;
}

function scanAll(scanner: DirectiveScanner, body: string): Directive[] {
  const out: Directive[] = [];
  for (const line of body.split('\n')) {
    let d: Directive | undefined;
    try {
      d = scanner.scan(line.replace(/\r$/, ''));
    } catch {
      break;
    }
    if (!d) {
      if (scanner.isDone()) break;
      continue;
    }
    out.push(d);
  }
  return out;
}
