// Golden files of our own (tests/golden/dockerfile): each <case>/Dockerfile is parsed and typed,
// and the rendering below must equal <case>/expected; each invalid/<case>/Dockerfile must fail
// with exactly the message in invalid/<case>/expected. Cases reproduce what BuildKit tests in Go
// (parser_test.go, parser_heredoc_test.go, directives_test.go, instructions/parse_test.go) plus
// heredoc and flag cases. UPDATE_GOLDEN=1 rewrites the expected files; review the diff.
import { existsSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { dumpNode } from '../../../src/image/dockerfile/ast.js';
import type { DockerfileAst } from '../../../src/image/dockerfile/ast.js';
import { goQuote } from '../../../src/image/dockerfile/go-text.js';
import { toStages } from '../../../src/image/dockerfile/instructions.js';
import { parse } from '../../../src/image/dockerfile/parser.js';

const ROOT = fileURLToPath(new URL('../../golden/dockerfile', import.meta.url));
const update = process.env.UPDATE_GOLDEN === '1';

function cases(dir: string): string[] {
  return readdirSync(dir, { withFileTypes: true })
    .filter((d) => d.isDirectory() && d.name !== 'invalid')
    .map((d) => d.name)
    .sort();
}

/** The AST (BuildKit's dump plus what the dump leaves out), then the typed stages. */
function render(ast: DockerfileAst): string {
  const out: string[] = ['== ast'];
  for (const n of ast.nodes) {
    out.push(`${n.line}-${n.endLine} (${dumpNode(n)})`);
    for (const h of n.heredocs) {
      out.push(`    heredoc ${goQuote(h.name)} fd=${h.fileDescriptor} expand=${h.expand} chomp=${h.chomp} ${goQuote(h.content)}`);
    }
    if (n.comments.length > 0) out.push(`    comments ${n.comments.map(goQuote).join(' ')}`);
  }
  if (ast.directives.length > 0) {
    out.push('== directives');
    for (const d of ast.directives) out.push(`${d.line} ${d.name} ${goQuote(d.value)}`);
  }
  out.push(`== escape ${goQuote(ast.escapeToken)}`);
  if (ast.warnings.length > 0) {
    out.push('== warnings');
    for (const w of ast.warnings) out.push(`${w.line} ${goQuote(w.short)}`);
  }
  out.push('== stages');
  try {
    const { metaArgs, stages } = toStages(ast);
    out.push(JSON.stringify({ metaArgs, stages }, null, 2));
  } catch (err) {
    out.push(`error: ${(err as Error).message}`);
  }
  return `${out.join('\n')}\n`;
}

function check(expectedPath: string, actual: string): void {
  if (update || !existsSync(expectedPath)) {
    writeFileSync(expectedPath, actual);
    if (!update) throw new Error(`wrote missing golden ${expectedPath}: review it`);
  }
  expect(actual).toBe(readFileSync(expectedPath, 'utf8'));
}

describe('golden: valid Dockerfiles', () => {
  for (const name of cases(ROOT)) {
    it(name, () => {
      const text = readFileSync(join(ROOT, name, 'Dockerfile'), 'utf8');
      check(join(ROOT, name, 'expected'), render(parse(text)));
    });
  }
});

describe('golden: invalid Dockerfiles', () => {
  const dir = join(ROOT, 'invalid');
  for (const name of cases(dir)) {
    it(name, () => {
      const text = readFileSync(join(dir, name, 'Dockerfile'), 'utf8');
      let message = '(no error)';
      try {
        toStages(parse(text));
      } catch (err) {
        message = (err as Error).message;
      }
      check(join(dir, name, 'expected'), `${message}\n`);
    });
  }
});
