// Shared by the image CLI tests: minidock with binary stdin/stdout (tarballs), docker's table
// layout as an independent oracle (Go tabwriter: minwidth 10, padding 3, last column not
// padded), and a consistency check of a root's image store.
import { execa, type Result } from 'execa';
import { createEngine } from '../../../src/engine.js';
import { RecordingHost } from '../../../src/host/script.js';
import { ImageStore } from '../../../src/image/store/store.js';
import { BIN, type TestRoot } from '../../helpers/cli.js';
import { storeProblems } from '../../unit/image/helpers.js';

export interface BinaryRun {
  inputFile?: string;
  stdoutFile?: string;
}

/** `minidock ARGS…` with stdin from a file and/or stdout to a file; never throws on exit codes. */
export async function runFiles(root: TestRoot, args: string[], io: BinaryRun): Promise<Result> {
  return execa(BIN, args, {
    env: root.env(),
    reject: false,
    timeout: 60_000,
    stripFinalNewline: false,
    ...(io.inputFile ? { inputFile: io.inputFile } : { stdin: 'ignore' as const }),
    ...(io.stdoutFile ? { stdout: { file: io.stdoutFile } } : {}),
  });
}

export async function okFiles(root: TestRoot, args: string[], io: BinaryRun): Promise<Result> {
  const r = await runFiles(root, args, io);
  if (r.exitCode !== 0) throw new Error(`minidock ${args.join(' ')} exited ${r.exitCode}\nstdout: ${String(r.stdout)}\nstderr: ${String(r.stderr)}`);
  return r;
}

/** What Go's tabwriter.NewWriter(out, 10, 1, 3, ' ', 0) prints for these cells (docker's tables). */
export function goTable(rows: string[][]): string {
  const cols = Math.max(...rows.map((r) => r.length));
  const width: number[] = [];
  for (let c = 0; c < cols - 1; c++) width[c] = Math.max(10, ...rows.map((r) => (r[c]?.length ?? 0) + 3));
  return rows.map((r) => r.map((cell, c) => (c < r.length - 1 ? cell.padEnd(width[c]) : cell)).join('')).join('\n') + '\n';
}

/**
 * Split a printed table into cells at the header's column starts (header cells are separated
 * by at least two spaces; "IMAGE ID" and "CREATED BY" contain one).
 */
export function parseTable(text: string): string[][] {
  const lines = text.replace(/\n$/, '').split('\n');
  const starts: number[] = [];
  const re = /\S+(?: \S+)*/g;
  for (let m = re.exec(lines[0]); m; m = re.exec(lines[0])) starts.push(m.index);
  return lines.map((l) => starts.map((s, i) => l.slice(s, i + 1 < starts.length ? starts[i + 1] : undefined).trimEnd()));
}

/** The cells of a table, after checking that it is laid out exactly as docker lays it out. */
export function dockerTable(text: string): string[][] {
  const cells = parseTable(text);
  if (goTable(cells) !== text) throw new Error(`not docker's table layout:\n${text}\nexpected:\n${goTable(cells)}`);
  return cells;
}

/** Problems of a root's image store (see storeProblems); empty when consistent. */
export async function rootProblems(root: TestRoot): Promise<string[]> {
  return storeProblems(new ImageStore(createEngine({ host: new RecordingHost(), root: root.dir })));
}

export const CREATED_RECENTLY = /^(Less than a second|\d+ seconds?) ago$/;
