// BuildKit's own Dockerfile vectors (/work/shared/conformance/buildkit, see its README), each run
// as its own test: parser AST dumps, inputs the parser must reject, and the shell lexer's
// expansion and word-splitting tables. The directories are read at test time, not copied.
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { dumpAst } from '../../../src/image/dockerfile/ast.js';
import { parse } from '../../../src/image/dockerfile/parser.js';
import { envFromList, expandWord } from '../../../src/image/dockerfile/shell.js';

const ROOT = process.env.BUILDKIT_VECTORS ?? '/work/shared/conformance/buildkit';

function dirs(path: string): string[] {
  return readdirSync(path, { withFileTypes: true })
    .filter((d) => d.isDirectory())
    .map((d) => d.name)
    .sort();
}

describe('buildkit parser/testfiles', () => {
  const base = join(ROOT, 'parser/testfiles');
  const cases = dirs(base);
  it('has vectors', () => expect(cases.length).toBeGreaterThan(30));
  for (const name of cases) {
    it(name, () => {
      const text = readFileSync(join(base, name, 'Dockerfile'), 'utf8');
      const expected = readFileSync(join(base, name, 'result'), 'utf8');
      expect(dumpAst(parse(text))).toBe(expected);
    });
  }
});

describe('buildkit parser/testfiles-negative', () => {
  const base = join(ROOT, 'parser/testfiles-negative');
  const cases = dirs(base);
  it('has vectors', () => expect(cases.length).toBeGreaterThan(3));
  for (const name of cases) {
    it(name, () => {
      const text = readFileSync(join(base, name, 'Dockerfile'), 'utf8');
      // Every rejection names the file (and the line, when there is one).
      expect(() => parse(text)).toThrow(/^Dockerfile(:\d+)?: /);
    });
  }
});

/** Lines of a vector table with their 1-based numbers, comment and blank lines removed. */
function tableLines(path: string): { n: number; line: string }[] {
  return readFileSync(path, 'utf8')
    .split('\n')
    .map((line, i) => ({ n: i + 1, line }))
    .filter(({ line }) => !line.startsWith('#'));
}

describe('buildkit shell/envVarTest (ProcessWord)', () => {
  // The environment BuildKit's TestShellParser4EnvVars uses.
  const env = envFromList(['PWD=/home', 'SHELL=bash', 'KOREAN=한국어', 'NULL=']);
  const rows = tableLines(join(ROOT, 'shell/envVarTest')).filter(({ line }) => line.trim() !== '');
  it('has vectors', () => expect(rows.length).toBeGreaterThan(200));
  for (const { n, line } of rows) {
    const [platform, source, expected] = line.split('|').map((f) => f.trim());
    // W rows describe Windows, where variable names are case-insensitive; minidock is Linux-only.
    const run = platform === 'W' ? it.skip : it;
    run(`line ${n}: ${source}`, () => {
      if (expected === 'error') {
        expect(() => expandWord(source, env)).toThrow();
      } else {
        expect(expandWord(source, env).result).toBe(expected);
      }
    });
  }
});

describe('buildkit shell/wordsTest (ProcessWords)', () => {
  // ENV lines accumulate, so the rows are replayed in order into a list of cases.
  const cases: { n: number; source: string; expected: string[]; env: Map<string, string> }[] = [];
  const envList: string[] = [];
  for (const { n, line } of tableLines(join(ROOT, 'shell/wordsTest'))) {
    if (line.startsWith('ENV ')) {
      envList.push(line.slice(3).replace(/^ +/, ''));
      continue;
    }
    if (line === '') continue;
    const [source, expected] = line.split('|');
    cases.push({ n, source: source.trim(), expected: expected.replace(/^ +/, '').split(','), env: envFromList(envList) });
  }
  it('has vectors', () => expect(cases.length).toBeGreaterThan(20));
  for (const c of cases) {
    it(`line ${c.n}: ${c.source}`, () => {
      let words: string[];
      try {
        words = expandWord(c.source, c.env).words;
      } catch {
        words = ['error'];
      }
      expect(words).toEqual(c.expected);
    });
  }
});
