// Reading a container's json-file log (written by the shim): docker's `logs` options —
// --tail, --since/--until, -t timestamps, -f follow — with stdout and stderr kept apart.
import { closeSync, openSync, readSync, statSync } from 'node:fs';

export interface LogLine {
  stream: 'stdout' | 'stderr';
  /** RFC3339 with 9 fractional digits, as written. */
  time: string;
  /** Nanoseconds since the epoch, for --since/--until. */
  ns: bigint;
  text: string;
}

export interface LogOptions {
  tail?: number;
  sinceNs?: bigint;
  untilNs?: bigint;
}

export function timeToNs(t: string): bigint {
  const m = /^(.*T\d\d:\d\d:\d\d)(?:\.(\d+))?Z$/.exec(t);
  if (!m) return 0n;
  const ms = Date.parse(`${m[1]}Z`);
  const frac = (m[2] ?? '').padEnd(9, '0').slice(0, 9);
  return BigInt(ms) * 1_000_000n + BigInt(frac);
}

export function parseLogLine(line: string): LogLine | undefined {
  try {
    const o = JSON.parse(line) as { log: string; stream: string; time: string };
    return { stream: o.stream === 'stderr' ? 'stderr' : 'stdout', time: o.time, ns: timeToNs(o.time), text: o.log };
  } catch {
    return undefined;
  }
}

/** Complete lines from `offset`; returns them and the offset after the last complete line. */
export function readLines(path: string, offset: number): { lines: string[]; next: number } {
  let size: number;
  try {
    size = statSync(path).size;
  } catch {
    return { lines: [], next: offset };
  }
  if (size <= offset) return { lines: [], next: offset };
  const fd = openSync(path, 'r');
  try {
    const buf = Buffer.alloc(size - offset);
    const n = readSync(fd, buf, 0, buf.length, offset);
    const text = buf.subarray(0, n).toString('utf8');
    const end = text.lastIndexOf('\n');
    if (end < 0) return { lines: [], next: offset };
    return { lines: text.slice(0, end).split('\n'), next: offset + Buffer.byteLength(text.slice(0, end + 1)) };
  } finally {
    closeSync(fd);
  }
}

export function selectLines(raw: string[], o: LogOptions): LogLine[] {
  let lines = raw.map(parseLogLine).filter((l): l is LogLine => !!l);
  if (o.sinceNs !== undefined) lines = lines.filter((l) => l.ns >= o.sinceNs!);
  if (o.untilNs !== undefined) lines = lines.filter((l) => l.ns <= o.untilNs!);
  if (o.tail !== undefined && o.tail >= 0) lines = o.tail === 0 ? [] : lines.slice(-o.tail);
  return lines;
}
