// How a failed build is reported, as the docker CLI prints BuildKit errors: the failed step's
// last output in a box, then the Dockerfile lines around the instruction (errdefs Source.Print):
//   ------
//    > [2/2] RUN make:
//   0.215 cc: error …
//   ------
//   Dockerfile:2
//   --------------------
//      1 |     FROM busybox
//      2 | >>> RUN make
//      3 |
//   --------------------
import type { LogLine } from './progress.js';

export interface SourceRange {
  line: number;
  endLine: number;
}

/** errdefs.Source.Print: the range with up to two lines of context on each side. */
export function renderSource(file: string, text: string, ranges: readonly SourceRange[]): string {
  if (ranges.length === 0) return '';
  const lines = text.split('\n');
  let start = Math.min(...ranges.map((r) => r.line));
  let end = Math.max(...ranges.map((r) => r.endLine));
  if (start > lines.length || start < 1) return '';
  if (end > lines.length) end = lines.length;
  const firstLine = start;
  // BuildKit's padding loop, quirks included: 4 lines of context for a one-line range, 2 otherwise.
  const pad = end === start ? 4 : 2;
  for (let p = 0; p < pad; ) {
    if (start > 1) {
      start--;
      p++;
    }
    if (end !== lines.length) {
      end++;
      p++;
    }
    p++;
  }
  const out = [`${file}:${firstLine}`, '-'.repeat(20)];
  for (let i = start; i <= end; i++) {
    const marked = ranges.some((r) => i >= r.line && i <= r.endLine);
    out.push(` ${String(i).padStart(3)} | ${marked ? '>>>' : '   '} ${lines[i - 1]}`);
  }
  out.push('-'.repeat(20));
  return `${out.join('\n')}\n`;
}

/** The box with the failed vertex's name and last log lines. */
export function renderFailedStep(name: string, tail: readonly LogLine[]): string {
  const logs = tail.map((l) => `${l.at.toFixed(3)} ${l.text}\n`).join('');
  return `------\n > ${name}:\n${logs}------\n`;
}
